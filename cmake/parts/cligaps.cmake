# cligaps.cmake - bedrockctl behaviours the other CLI tests leave out: interactive chat through
# a pty, inference-profile policies proven against the emulator, budgets against moto_server in
# auth mode, setup --full-access, doctor --output json, keys rotate --grace, keys revoke --help,
# and a Bedrock API key as the only credential (tests/integration/test_cli_gaps.py).
find_package(Python3 COMPONENTS Interpreter)
if(TARGET bedrockctl AND Python3_Interpreter_FOUND)
  add_test(NAME test_cli_gaps
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/integration/test_cli_gaps.py)
  set_tests_properties(test_cli_gaps PROPERTIES
    ENVIRONMENT
      "BRK_SHARED_DIR=${BRK_SHARED_DIR};BRK_SOURCE_DIR=${CMAKE_SOURCE_DIR};BRK_BUILD_DIR=${CMAKE_BINARY_DIR}"
    TIMEOUT 300 SKIP_RETURN_CODE 77 RESOURCE_LOCK moto_server)
endif()
