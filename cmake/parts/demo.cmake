# demo.cmake - `bedrockctl usage` (tests against bedrock-emulator after real invocations and
# against moto_server's CloudWatch in auth mode) and `bedrockctl demo` (the whole guide against
# a private emulator: exit 0, every step header, nothing left behind, no secret printed).
find_package(Python3 COMPONENTS Interpreter)
if(TARGET bedrockctl AND Python3_Interpreter_FOUND)
  set(BRK_DEMO_TEST_ENV
    "BRK_SHARED_DIR=${BRK_SHARED_DIR};BRK_SOURCE_DIR=${CMAKE_SOURCE_DIR};BRK_BUILD_DIR=${CMAKE_BINARY_DIR}")
  foreach(t usage demo)
    add_test(NAME test_${t}
             COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/integration/test_${t}.py)
    set_tests_properties(test_${t} PROPERTIES ENVIRONMENT "${BRK_DEMO_TEST_ENV}"
                         TIMEOUT 900 SKIP_RETURN_CODE 77)
  endforeach()
  set_tests_properties(test_usage PROPERTIES RESOURCE_LOCK moto_server)
endif()
