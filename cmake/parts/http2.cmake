# HTTP/2 where offered: bedrockctl against nghttpd over TLS (tests/integration/test_http2.py).
if(TARGET bedrockctl)
  add_test(NAME test_http2 COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/integration/test_http2.py)
  set_tests_properties(test_http2 PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120 ENVIRONMENT
    "BRK_BUILD_DIR=${CMAKE_BINARY_DIR};BRK_SOURCE_DIR=${CMAKE_SOURCE_DIR};BRK_SHARED_DIR=${BRK_SHARED_DIR}")
endif()
