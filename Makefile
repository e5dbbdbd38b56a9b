# The two commands of README.md: `make demo` and `make check`. Everything else is a step of them.
#
#   make deps         install missing Debian packages (scripts/install-deps)
#   make build        configure + build into build/
#   make test         every CTest test of build/ (unit, fuzz-corpus replay, scenarios)
#   make check-asan   unit tests under ASan+UBSan (build-asan/)
#   make fuzz-smoke   each libFuzzer harness for a few seconds (build-fuzz/, clang)
#   make check        deps + all of the above
#   make demo         deps + build + a small virtual mesh with its UI
#   make fuzz-long    each harness for 10 M executions at nice 19, new coverage merged into
#                     tests/fuzz/corpus/ (build-fuzz-long/; hours; not part of `make check`)
#   make bench        benchmarks in bench/, printing ratios against a same-run baseline
#   make cross        cross builds for router CPUs (ARCH=mipsel|armhf|arm64|s390x, default all
#                     four) with their unit tests under qemu-user; not part of `make check`

JOBS ?= $(shell nproc)
CMAKE ?= cmake
CTEST_ARGS ?= --output-on-failure --no-tests=error
FUZZ_SECONDS ?= 8

.PHONY: all deps build test check check-asan fuzz-smoke fuzz-long demo demo-down bench cross clean

all: build

deps:
	bash scripts/install-deps

build/CMakeCache.txt:
	$(CMAKE) -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: build/CMakeCache.txt
	$(CMAKE) --build build -j $(JOBS)

test: build
	cd build && ctest $(CTEST_ARGS) -j 1

check-asan:
	$(CMAKE) -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DLIME_SANITIZE=ON -DCMAKE_C_COMPILER=clang
	$(CMAKE) --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    ctest $(CTEST_ARGS) -L unit -j $(JOBS)

fuzz-smoke:
	$(CMAKE) -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DLIME_FUZZ=ON -DCMAKE_C_COMPILER=clang \
	    -DLIME_FUZZ_SECONDS=$(FUZZ_SECONDS)
	$(CMAKE) --build build-fuzz -j $(JOBS)
	cd build-fuzz && ctest --output-on-failure --no-tests=error -L fuzz -j $(JOBS)

fuzz-long:
	bash scripts/fuzz-long

check: deps
	$(MAKE) test
	$(MAKE) check-asan
	$(MAKE) fuzz-smoke

demo: deps build
	bash scripts/demo

demo-down:
	bash scripts/demo down

bench: deps build
	bash bench/run

ARCH ?=
cross:
	bash scripts/cross $(ARCH)

clean:
	rm -rf build build-asan build-fuzz build-fuzz-long build-cross-*
