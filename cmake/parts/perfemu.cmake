# cmake/parts/perfemu.cmake - emulator robustness under hostile clients, its faults and the
# freshness of its IAM caches (tests/compat/test_emulator_robustness.py). The load benchmark
# (bench/emulator_load.sh) is run by hand, not in CTest: it needs the whole machine.
if(TARGET bedrock-emulator)
  add_test(NAME test_emulator_robustness
           COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/compat/test_emulator_robustness.py)
  set_tests_properties(test_emulator_robustness PROPERTIES TIMEOUT 300 ENVIRONMENT
    "BRK_SHARED_DIR=${BRK_SHARED_DIR};BRK_SOURCE_DIR=${CMAKE_SOURCE_DIR};BRK_BUILD_DIR=${CMAKE_BINARY_DIR}")
endif()
