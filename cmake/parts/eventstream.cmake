# cmake/parts/eventstream.cmake - event-stream codec and base64: tests, fuzz replays, bench.
brk_add_test(NAME test_base64 SOURCES tests/unit/test_base64.c LIBS brk_core)
brk_add_test(NAME test_eventstream SOURCES tests/unit/test_eventstream.c
             LIBS brk_es brk_core)
brk_add_test(NAME test_eventstream_vectors SOURCES tests/vectors/test_eventstream_vectors.c
             LIBS brk_es brk_core PkgConfig::JANSSON)
brk_add_fuzz(NAME eventstream SOURCES fuzz/fuzz_eventstream.c LIBS brk_es brk_core)
brk_add_fuzz(NAME base64 SOURCES fuzz/fuzz_base64.c LIBS brk_core)

# Measured, never asserted: build it in a Release tree for real figures.
find_library(BRK_ZLIB_LIB z)
if(BRK_ZLIB_LIB)
  add_executable(bench_eventstream bench/bench_eventstream.c)
  target_link_libraries(bench_eventstream PRIVATE brk_es brk_core ${BRK_ZLIB_LIB}
                        ${LIBDEFLATE_LIB})
  set_target_properties(bench_eventstream PROPERTIES RUNTIME_OUTPUT_DIRECTORY
                        ${CMAKE_BINARY_DIR}/bench)
endif()
