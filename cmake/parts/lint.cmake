add_test(NAME lint COMMAND ${CMAKE_SOURCE_DIR}/scripts/lint.sh)
set_tests_properties(lint PROPERTIES ENVIRONMENT "BRK_BUILD_DIR=${CMAKE_BINARY_DIR}")
