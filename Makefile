# Stripeline: `make run` and `make test` are the whole quick start (see README.md).
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
DATA_DIR ?= ./data
LISTEN ?= 127.0.0.1:8080

.PHONY: all deps build run test unit integration bench clean

all: build

deps:
	@./scripts/install-deps.sh

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

clean:
	rm -rf $(BUILD_DIR)
