# cli.cmake - bedrockctl tests: the option parser (unit), the framework, sign (AWS vectors,
# botocore, curl against moto_server), whoami (moto_server in auth mode), models/invoke/chat
# (bedrock-emulator), and the secret canary over every command.
brk_add_test(NAME test_args SOURCES tests/unit/test_args.c src/cli/args.c LIBS brk_core m)

find_package(Python3 COMPONENTS Interpreter)
if(TARGET bedrockctl AND Python3_Interpreter_FOUND)
  set(BRK_CLI_TEST_ENV
    "BRK_SHARED_DIR=${BRK_SHARED_DIR};BRK_SOURCE_DIR=${CMAKE_SOURCE_DIR};BRK_BUILD_DIR=${CMAKE_BINARY_DIR}")
  foreach(t framework sign whoami emulator)
    add_test(NAME test_cli_${t}
             COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/integration/test_cli_${t}.py)
    set_tests_properties(test_cli_${t} PROPERTIES ENVIRONMENT "${BRK_CLI_TEST_ENV}"
                         TIMEOUT 600 SKIP_RETURN_CODE 77)
  endforeach()
  add_test(NAME test_secret_canary
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/compat/test_secret_canary.py)
  set_tests_properties(test_secret_canary PROPERTIES ENVIRONMENT "${BRK_CLI_TEST_ENV}"
                       TIMEOUT 600)
  set_tests_properties(test_cli_whoami test_cli_sign test_secret_canary PROPERTIES
                       RESOURCE_LOCK moto_server)
endif()
