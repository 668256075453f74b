# emulator services (emusvc): Bedrock runtime/control plane, CloudWatch, Budgets.
if(TARGET bedrock-emulator)
  foreach(t test_emulator_bedrock test_emulator_cloudwatch_budgets)
    if(EXISTS ${CMAKE_SOURCE_DIR}/tests/compat/${t}.py)
      add_test(NAME ${t} COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/compat/${t}.py)
      set_tests_properties(${t} PROPERTIES TIMEOUT 300 ENVIRONMENT
        "BRK_SHARED_DIR=${BRK_SHARED_DIR};BRK_SOURCE_DIR=${CMAKE_SOURCE_DIR};BRK_BUILD_DIR=${CMAKE_BINARY_DIR}")
    endif()
  endforeach()
endif()
brk_add_fuzz(NAME cbor SOURCES fuzz/fuzz_cbor.c src/emulator/cw_cbor.c
             LIBS brk_core ${CBOR_LIB} PkgConfig::JANSSON)
brk_add_fuzz(NAME emu_body SOURCES fuzz/fuzz_emu_body.c src/emulator/model_sim.c
             LIBS brk_core PkgConfig::JANSSON)
if(TARGET fuzz_cbor)
  target_include_directories(fuzz_cbor PRIVATE ${CBOR_INC})
endif()
