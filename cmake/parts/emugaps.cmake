# cmake/parts/emugaps.cmake - emulator corners that need a whole client stack: HTTPS
# (--tls-cert/--tls-key, with boto3 and bedrockctl), the /_emulator admin API, and the AWS JS
# SDK v3 as an independent client (tests/compat/js, installed by npm ci on first run).
# Exit 77 = skipped (no openssl CLI; no node/npm or no reachable npm registry).
if(TARGET bedrock-emulator)
  set(BRK_EMUGAPS_TESTS test_emulator_admin test_emulator_jssdk)
  if(TARGET bedrockctl)
    list(APPEND BRK_EMUGAPS_TESTS test_emulator_tls)
  endif()
  foreach(t ${BRK_EMUGAPS_TESTS})
    add_test(NAME ${t} COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/compat/${t}.py)
    set_tests_properties(${t} PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77 ENVIRONMENT
      "BRK_SHARED_DIR=${BRK_SHARED_DIR};BRK_SOURCE_DIR=${CMAKE_SOURCE_DIR};BRK_BUILD_DIR=${CMAKE_BINARY_DIR}")
  endforeach()
endif()
