# Top-level Makefile: a thin wrapper over CMake.
#   make          release build into build/ (binaries in build/bin/)
#   make test     sanitizer build (ASan+UBSan) in build-asan/, then every test with CTest
#   make demo     build, then run the main job: bedrockctl demo against a private emulator
#   make bench    benchmarks side by side with the AWS CLI, boto3 and the JS SDK
#   make install  PREFIX=/usr/local
PREFIX ?= /usr/local
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all build deps test test-release demo bench install clean format lint fuzz

all: build

deps:
	@scripts/deps.sh

build: deps
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_FLAGS) >/dev/null
	@cmake --build build -j $(JOBS)

build-asan/CMakeCache.txt:
	@cmake -S . -B build-asan -DBRK_SANITIZE=ON -DBRK_WERROR=ON -DCMAKE_BUILD_TYPE=Debug $(CMAKE_FLAGS) >/dev/null

test: deps build-asan/CMakeCache.txt
	@cmake -S . -B build-asan >/dev/null
	@cmake --build build-asan -j $(JOBS)
	@cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	    ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

test-release: build
	@cd build && ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

demo: build
	@build/bin/bedrockctl demo

bench: build
	@scripts/deps.sh --bench
	@bench/run.sh

install: build
	@cmake --install build --prefix $(PREFIX)

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

lint:
	@scripts/lint.sh

clean:
	@rm -rf build build-asan
