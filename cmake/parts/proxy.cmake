# cmake/parts/proxy.cmake - bedrockctl honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY (and their
# lowercase forms): tests/integration/test_proxy.py drives bedrockctl through
# tests/tools/proxy_server.py (CONNECT tunnels and absolute-URI forwarding) to bedrock-emulator
# over HTTPS and HTTP. Exit 77 = skipped (no openssl CLI for the test certificate).
if(TARGET bedrock-emulator AND TARGET bedrockctl)
  add_test(NAME test_proxy COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/integration/test_proxy.py)
  set_tests_properties(test_proxy PROPERTIES TIMEOUT 120 SKIP_RETURN_CODE 77 ENVIRONMENT
    "BRK_SHARED_DIR=${BRK_SHARED_DIR};BRK_SOURCE_DIR=${CMAKE_SOURCE_DIR};BRK_BUILD_DIR=${CMAKE_BINARY_DIR}")
endif()
