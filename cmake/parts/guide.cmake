# guide.cmake - the guide's commands (setup, doctor, keys, policy, usage, budget, token, demo):
# unit tests of the pure logic (rotation state machine, key store) and integration tests of
# the commands against moto_server in IAM auth mode and the bedrock-emulator; (the demo test is not there yet).
brk_add_test(NAME test_rotate
  SOURCES tests/unit/test_rotate.c src/services/guide/rotate.c LIBS brk_core PkgConfig::JANSSON)

find_package(Python3 COMPONENTS Interpreter)
if(TARGET bedrockctl AND Python3_Interpreter_FOUND)
  set(BRK_GUIDE_TEST_ENV
    "BRK_SHARED_DIR=${BRK_SHARED_DIR};BRK_SOURCE_DIR=${CMAKE_SOURCE_DIR};BRK_BUILD_DIR=${CMAKE_BINARY_DIR}")
  foreach(t moto emulator)
    if(EXISTS ${CMAKE_SOURCE_DIR}/tests/integration/test_guide_${t}.py)
      add_test(NAME test_guide_${t}
               COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/integration/test_guide_${t}.py)
      set_tests_properties(test_guide_${t} PROPERTIES ENVIRONMENT "${BRK_GUIDE_TEST_ENV}"
                           TIMEOUT 900 SKIP_RETURN_CODE 77)
    endif()
  endforeach()
  # TODO(guide): `bedrockctl demo` is not written yet; register test_guide_demo with it.
endif()
