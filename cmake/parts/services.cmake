# services.cmake - tests and benches of src/services (client, call layer, STS, runtime, control).
brk_add_test(NAME test_stream
  SOURCES tests/unit/test_stream.c src/services/runtime/stream.c src/services/runtime/jscan.c
  LIBS brk_core brk_es PkgConfig::JANSSON)
if(TARGET bedrock_static)
  brk_add_test(NAME test_whoami_moto
    SOURCES tests/integration/test_whoami_moto.c tests/integration/servers.c
    LIBS bedrock_static)
  set_tests_properties(test_whoami_moto PROPERTIES TIMEOUT 120)
endif()
if(TARGET bedrock_static)
  brk_add_test(NAME test_call
    SOURCES tests/unit/test_call.c tests/integration/servers.c
    LIBS bedrock_static PkgConfig::JANSSON)
  target_include_directories(test_call PRIVATE ${CMAKE_SOURCE_DIR}/tests/integration)
  set_tests_properties(test_call PROPERTIES TIMEOUT 120)
endif()
if(TARGET bedrock_static AND TARGET bedrock-emulator)
  brk_add_test(NAME test_client_emulator
    SOURCES tests/integration/test_client_emulator.c tests/integration/servers.c
    LIBS bedrock_static)
  add_dependencies(test_client_emulator bedrock-emulator)
  if(TARGET hello)
    add_dependencies(test_client_emulator hello)
  endif()
  set_tests_properties(test_client_emulator PROPERTIES TIMEOUT 180)
endif()
# Bench (measured, never asserted): make bench_stream_pipeline && bin/bench_stream_pipeline [MiB]
add_executable(bench_stream_pipeline bench/bench_stream_pipeline.c
  src/services/runtime/stream.c src/services/runtime/jscan.c)
target_link_libraries(bench_stream_pipeline PRIVATE brk_core brk_es)
