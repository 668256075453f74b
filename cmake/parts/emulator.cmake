# cmake/parts/emulator.cmake - tests and fuzz targets of the emulator core (server, router,
# verify, policy, store, IAM, STS). The bedrock-emulator executable itself is in CMakeLists.txt.

brk_add_test(NAME test_emu_policy
             SOURCES tests/unit/test_emu_policy.c src/emulator/policy.c
             LIBS brk_core PkgConfig::JANSSON)

if(TARGET bedrock-emulator)
  add_test(NAME test_emulator_iam_sts
           COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/compat/test_emulator_iam_sts.py)
  set_tests_properties(test_emulator_iam_sts PROPERTIES TIMEOUT 300 ENVIRONMENT
    "BRK_SHARED_DIR=${BRK_SHARED_DIR};BRK_SOURCE_DIR=${CMAKE_SOURCE_DIR};BRK_BUILD_DIR=${CMAKE_BINARY_DIR}")
endif()

brk_add_fuzz(NAME policy SOURCES fuzz/fuzz_policy.c src/emulator/policy.c
             LIBS brk_core PkgConfig::JANSSON)

# The request and auth fuzzers drive the whole emulator (minus main.c) without sockets.
file(GLOB BRK_EMU_FUZZ_SRC CONFIGURE_DEPENDS src/emulator/*.c)
list(FILTER BRK_EMU_FUZZ_SRC EXCLUDE REGEX "/main\\.c$")
if(BRK_EMU_FUZZ_SRC AND TARGET brk_crypto AND TARGET brk_es)
  foreach(f emu_request emu_auth)
    brk_add_fuzz(NAME ${f} SOURCES fuzz/fuzz_${f}.c fuzz/fuzz_emu_common.c ${BRK_EMU_FUZZ_SRC}
                 LIBS brk_core brk_crypto brk_es PkgConfig::LIBEVENT PkgConfig::SQLITE PkgConfig::JANSSON PkgConfig::EXPAT
                      OpenSSL::SSL OpenSSL::Crypto ${CBOR_LIB} ${LIBDEFLATE_LIB} m)
    if(TARGET fuzz_${f})
      target_include_directories(fuzz_${f} PRIVATE ${CBOR_INC} ${LIBDEFLATE_INC})
    endif()
  endforeach()
endif()
