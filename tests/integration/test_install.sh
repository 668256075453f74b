#!/usr/bin/env bash
# tests/integration/test_install.sh - install libbedrock into a temporary prefix, then build
# examples/hello.c against it the way an application would: with pkg-config (shared, and
# static with --static), and with find_package(bedrock) in CMake; run each against a
# bedrock-emulator on 127.0.0.1 and check the guide's "Access keys are working!" answer.
set -euo pipefail
src=${BRK_SOURCE_DIR:?}
build=${BRK_BUILD_DIR:?}
san=${BRK_SANITIZE_FLAGS:-}
tmp=$(mktemp -d)
emu_pid=
cleanup() { [ -n "$emu_pid" ] && kill "$emu_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
test -f "$tmp/prefix/include/bedrock/bedrock.h"
test -f "$tmp/prefix/lib/pkgconfig/bedrock.pc"
test -f "$tmp/prefix/lib/cmake/bedrock/bedrockConfig.cmake"
ls "$tmp/prefix/lib/libbedrock.so" "$tmp/prefix/lib/libbedrock.a" >/dev/null
test -x "$tmp/prefix/bin/bedrockctl"
export PKG_CONFIG_PATH=$tmp/prefix/lib/pkgconfig
[ "$(pkg-config --modversion bedrock)" = "$(sed -n 's/^project(bedrock VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")" ]

# shellcheck disable=SC2046,SC2086
cc -std=c11 $san "$src/examples/hello.c" -o "$tmp/hello-shared" $(pkg-config --cflags --libs bedrock)
# libbedrock.a linked in, its dependencies (Requires.private) as the system's shared libraries:
# `pkg-config --static` would also ask for libcurl's own static dependencies, which Debian's
# libcurl4-openssl-dev does not pull in.
# shellcheck disable=SC2046,SC2086
cc -std=c11 $san "$src/examples/hello.c" -o "$tmp/hello-static" $(pkg-config --cflags bedrock) \
   "$tmp/prefix/lib/libbedrock.a" $(pkg-config --libs libcurl openssl jansson expat) -ldeflate -lm
! ldd "$tmp/hello-static" | grep -q libbedrock

mkdir "$tmp/cm"
cat > "$tmp/cm/CMakeLists.txt" <<CM
cmake_minimum_required(VERSION 3.18)
project(hello_consumer C)
find_package(bedrock 0.1 REQUIRED)
add_executable(hello_cmake $src/examples/hello.c)
target_link_libraries(hello_cmake PRIVATE bedrock::bedrock)
CM
cmake -S "$tmp/cm" -B "$tmp/cm/b" -DCMAKE_PREFIX_PATH="$tmp/prefix" -DCMAKE_C_FLAGS="$san" \
      -DCMAKE_EXE_LINKER_FLAGS="$san" >/dev/null
cmake --build "$tmp/cm/b" >/dev/null

"$tmp/prefix/bin/bedrock-emulator" --listen 127.0.0.1:0 --port-file "$tmp/url" >/dev/null 2>&1 &
emu_pid=$!
for _ in $(seq 100); do [ -s "$tmp/url" ] && break; sleep 0.05; done
export AWS_ENDPOINT_URL; AWS_ENDPOINT_URL=$(head -1 "$tmp/url")
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
export AWS_REGION=eu-central-1
unset AWS_PROFILE AWS_BEARER_TOKEN_BEDROCK
cd "$tmp"
for h in "$tmp/hello-shared" "$tmp/hello-static" "$tmp/cm/b/hello_cmake"; do
  out=$(LD_LIBRARY_PATH=$tmp/prefix/lib "$h")
  grep -q "Access keys are working" <<<"$out" || { echo "FAIL: $h said: $out"; exit 1; }
  echo "ok: $(basename "$h")"
done
# a wrong secret must fail with the guide's error line and a non-zero exit
if AWS_SECRET_ACCESS_KEY=CanarySecretXyZ0123456789abcdefghijKLMNOP LD_LIBRARY_PATH=$tmp/prefix/lib "$tmp/hello-shared" > "$tmp/bad" 2>&1; then
  echo "FAIL: hello succeeded with a wrong secret"; exit 1
fi
grep -q "Error" "$tmp/bad"
grep -q "CanarySecretXyZ" "$tmp/bad" && { echo "FAIL: the secret was printed"; exit 1; }
echo "1 passed, 0 failed"
