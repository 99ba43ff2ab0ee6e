# Stripeline: `make run` and `make test` are the whole quick start (see README.md).
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
DATA_DIR ?= ./data
LISTEN ?= 127.0.0.1:8080
# Benchmarks build in their own directory, always optimized (Release).
BENCH_DIR ?= build-bench

.PHONY: all deps build run test unit integration browser bench clean

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

clean:
	rm -rf $(BUILD_DIR)
