# cmake/parts/credentials.cmake - tests and fuzz targets of the configuration and credentials
# layer (src/credentials, src/core/fileio.c).
set(BRK_CREDS_LIBS brk_creds brk_http brk_crypto brk_core)

brk_add_test(NAME test_fileio SOURCES tests/unit/test_fileio.c LIBS brk_core)
if(TARGET brk_creds AND TARGET brk_http AND TARGET brk_crypto)
  brk_add_test(NAME test_ini SOURCES tests/unit/test_ini.c LIBS ${BRK_CREDS_LIBS})
  brk_add_test(NAME test_dotenv SOURCES tests/unit/test_dotenv.c LIBS ${BRK_CREDS_LIBS})
  brk_add_test(NAME test_config SOURCES tests/unit/test_config.c LIBS ${BRK_CREDS_LIBS})
  if(EXISTS ${CMAKE_SOURCE_DIR}/tests/integration/test_creds_servers.c)
  brk_add_test(NAME test_creds_servers SOURCES tests/integration/test_creds_servers.c
               LIBS ${BRK_CREDS_LIBS})
  set_tests_properties(test_creds_servers PROPERTIES TIMEOUT 120)
  endif()
  brk_add_fuzz(NAME ini SOURCES fuzz/fuzz_ini.c LIBS ${BRK_CREDS_LIBS})
  brk_add_fuzz(NAME dotenv SOURCES fuzz/fuzz_dotenv.c LIBS ${BRK_CREDS_LIBS})
  if(EXISTS ${CMAKE_SOURCE_DIR}/tests/integration/creds_probe.c)
  # AssumeRole against moto_server (skipped with code 77 when moto is not installed).
  add_executable(brk_creds_probe tests/integration/creds_probe.c)
  target_link_libraries(brk_creds_probe PRIVATE ${BRK_CREDS_LIBS})
  set_target_properties(brk_creds_probe PROPERTIES RUNTIME_OUTPUT_DIRECTORY
                        ${CMAKE_BINARY_DIR}/tests)
  add_test(NAME test_assume_role_moto
           COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/integration/test_assume_role_moto.py
                   $<TARGET_FILE:brk_creds_probe>)
  set_tests_properties(test_assume_role_moto PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120
    ENVIRONMENT "BRK_SHARED_DIR=${BRK_SHARED_DIR};BRK_SOURCE_DIR=${CMAKE_SOURCE_DIR};BRK_BUILD_DIR=${CMAKE_BINARY_DIR}")
  endif()
endif()
