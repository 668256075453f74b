# cmake/parts/crypto.cmake - SigV4 tests, fuzz target, botocore compat check and bench.
brk_add_test(NAME test_sigv4 SOURCES tests/unit/test_sigv4.c tests/unit/test_sigv4_signing.c LIBS brk_core brk_crypto)
brk_add_test(NAME test_sigv4_vectors SOURCES tests/vectors/test_sigv4_vectors.c tests/vectors/vec_request.c
             LIBS brk_core brk_crypto PkgConfig::JANSSON)
brk_add_fuzz(NAME sigv4_auth SOURCES fuzz/fuzz_sigv4_auth.c LIBS brk_core brk_crypto)

# sigv4_dump: prints our canonical request, string to sign and Authorization for the compat test.
add_executable(sigv4_dump tests/compat/sigv4_dump.c)
target_link_libraries(sigv4_dump PRIVATE brk_core brk_crypto)
set_target_properties(sigv4_dump PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
# python3 from PATH (pyenv), which has botocore; the system interpreter may not.
add_test(NAME sigv4_botocore
         COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/compat/sigv4_botocore.py
                 $<TARGET_FILE:sigv4_dump>)
set_tests_properties(sigv4_botocore PROPERTIES ENVIRONMENT
  "BRK_SHARED_DIR=${BRK_SHARED_DIR};BRK_SOURCE_DIR=${CMAKE_SOURCE_DIR};BRK_BUILD_DIR=${CMAKE_BINARY_DIR}")

# Not a test: signatures per second on one core (lands in bin/, where bench/run.sh looks).
add_executable(bench_sign bench/bench_sign.c)
target_link_libraries(bench_sign PRIVATE brk_core brk_crypto)
