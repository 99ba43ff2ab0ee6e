# Stripeline: `make run` and `make test` are the whole quick start (see README.md).
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
DATA_DIR ?= ./data
LISTEN ?= 127.0.0.1:8080
# Benchmarks build in their own directory, always optimized (Release).
BENCH_DIR ?= build-bench
# The libFuzzer targets (fuzz/) build with Debian's Clang in their own directory.
FUZZ_DIR ?= build-fuzz
FUZZ_CXX ?= clang++-14
FUZZ_SECONDS ?= 60

.PHONY: all deps build run test unit integration browser bench sanitize fuzz clean

all: build

deps:
	@./scripts/install-deps.sh
	@./scripts/install-web-deps.sh

$(BUILD_DIR)/build.ninja: CMakeLists.txt
	@cmake -S . -B $(BUILD_DIR) -G Ninja

build: deps $(BUILD_DIR)/build.ninja
	@cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	@./scripts/run.sh "$(BUILD_DIR)/stripeline" "$(DATA_DIR)" "$(LISTEN)"

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

unit: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -L unit -j $(JOBS)

integration: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -L integration

# The web app in headless Chromium (web/tests/); screenshots in $(BUILD_DIR)/screenshots/.
browser: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -L browser -j $(JOBS)

# Not part of `test`: builds and runs every benchmark of bench/ (a few minutes) and prints its
# figures (docs/PERFORMANCE.md).
bench: deps
	@cmake -S . -B $(BENCH_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
	@cmake --build $(BENCH_DIR) -j $(JOBS) --target run_benchmarks

# Not part of `test`: the unit and integration tests built with AddressSanitizer and
# UndefinedBehaviorSanitizer (build-asan/), then the sync, webhook and HTTP server tests with
# ThreadSanitizer (build-tsan/). Any report fails the run (docs/SECURITY.md).
sanitize: deps
	@cmake -S . -B build-asan -G Ninja -DSTRIPELINE_SANITIZE=address,undefined > /dev/null
	@cmake --build build-asan -j $(JOBS)
	@cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -L 'unit|integration' -j $(JOBS)
	@cmake -S . -B build-tsan -G Ninja -DSTRIPELINE_SANITIZE=thread > /dev/null
	@cmake --build build-tsan -j $(JOBS) --target unit_sync unit_common unit_http
	@cd build-tsan && TSAN_OPTIONS=halt_on_error=1 ./unit_sync --gtest_brief=1 && \
	  TSAN_OPTIONS=halt_on_error=1 ./unit_common --gtest_brief=1 && \
	  TSAN_OPTIONS=halt_on_error=1 ./unit_http --gtest_brief=1

# Not part of `test`: builds the libFuzzer targets of fuzz/ with AddressSanitizer and
# UndefinedBehaviorSanitizer (Clang, $(FUZZ_DIR)/) and runs each for FUZZ_SECONDS (60 s) from
# its seed corpus fuzz/corpus/<target>/; a crash fails the run (scripts/fuzz.sh,
# docs/SECURITY.md). `make fuzz FUZZ_TARGETS="webhook"` runs only those.
fuzz: deps
	@test -f $(FUZZ_DIR)/CMakeCache.txt || cmake -S . -B $(FUZZ_DIR) -G Ninja \
	  -DCMAKE_CXX_COMPILER=$(FUZZ_CXX) -DSTRIPELINE_FUZZ=ON > /dev/null
	@cmake --build $(FUZZ_DIR) -j $(JOBS) --target fuzzers
	@./scripts/fuzz.sh $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

clean:
	rm -rf $(BUILD_DIR)
