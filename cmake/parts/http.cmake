# cmake/parts/http.cmake - tests and fuzz targets of the HTTP layer (src/http).
# test_http talks real HTTP to tests/tools/stubserver.py, started by the test itself with the
# real interpreter path (BRK_PYTHON; pyenv shims fork, so the shim's PID would be wrong).
if(TARGET brk_http)
  execute_process(COMMAND python3 -c "import sys; print(sys.executable)"
                  OUTPUT_VARIABLE BRK_PYTHON_EXE OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE brk_py_rc)
  if(NOT brk_py_rc EQUAL 0 OR NOT BRK_PYTHON_EXE)
    set(BRK_PYTHON_EXE python3)
  endif()
  brk_add_test(NAME test_http SOURCES tests/unit/test_http.c LIBS brk_http brk_core)
  set_property(TEST test_http APPEND PROPERTY ENVIRONMENT "BRK_PYTHON=${BRK_PYTHON_EXE}")
  set_tests_properties(test_http PROPERTIES TIMEOUT 180)
  brk_add_test(NAME test_xml SOURCES tests/unit/test_xml.c LIBS brk_http brk_core)
  brk_add_test(NAME test_http_wire SOURCES tests/unit/test_http_wire.c LIBS brk_http brk_core)
  brk_add_fuzz(NAME xml SOURCES fuzz/fuzz_xml.c LIBS brk_http brk_core)
  brk_add_fuzz(NAME json_error SOURCES fuzz/fuzz_json_error.c LIBS brk_http brk_core)
endif()
