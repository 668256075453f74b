if(EXISTS ${CMAKE_SOURCE_DIR}/examples/hello.c AND TARGET bedrockctl AND TARGET bedrock-emulator)
  add_test(NAME test_install COMMAND ${CMAKE_SOURCE_DIR}/tests/integration/test_install.sh)
  if(BRK_SANITIZE)
    set(brk_san_flags "-fsanitize=address,undefined")
  endif()
  set_tests_properties(test_install PROPERTIES ENVIRONMENT
    "BRK_SOURCE_DIR=${CMAKE_SOURCE_DIR};BRK_BUILD_DIR=${CMAKE_BINARY_DIR};BRK_SANITIZE_FLAGS=${brk_san_flags};ASAN_OPTIONS=detect_leaks=0")
endif()
