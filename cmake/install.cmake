# Install rules: libbedrock (shared + static), public headers, pkg-config file, CMake package
# config, binaries and the man page.
install(TARGETS bedrock bedrock_static
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY include/bedrock DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
foreach(t bedrockctl bedrock-emulator)
  if(TARGET ${t})
    install(TARGETS ${t} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  endif()
endforeach()
if(EXISTS ${CMAKE_SOURCE_DIR}/docs/bedrockctl.1)
  install(FILES docs/bedrockctl.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()
if(EXISTS ${CMAKE_SOURCE_DIR}/data/prices.json)
  install(FILES data/prices.json DESTINATION ${CMAKE_INSTALL_DATADIR}/bedrock)
endif()

configure_file(${CMAKE_SOURCE_DIR}/cmake/bedrock.pc.in ${CMAKE_BINARY_DIR}/bedrock.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/bedrock.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

include(CMakePackageConfigHelpers)
configure_package_config_file(${CMAKE_SOURCE_DIR}/cmake/bedrockConfig.cmake.in
  ${CMAKE_BINARY_DIR}/bedrockConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/bedrock
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_LIBDIR)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/bedrockConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_BINARY_DIR}/bedrockConfig.cmake ${CMAKE_BINARY_DIR}/bedrockConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/bedrock)
