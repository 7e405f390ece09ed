# digitrain: the front door. CMake is the source of truth for builds; this file strings the
# steps together so that each README command works on a fresh Debian machine.
#
#   make test    install what is missing, build native + wasm, run every test (CTest)
#   make serve   install what is missing, build the web app, serve it on http://localhost:8000
#   make site    write the deployable static site to dist/
#   make bench   print the benchmark table
SHELL := /bin/bash
# Emscripten's JS optimiser needs Debian's acorn; the machine's Node.js does not look there.
export NODE_PATH := /usr/share/nodejs

NATIVE := build/native
WASM := build/wasm

.PHONY: all setup native wasm test serve site bench clean

all: native

## SETUP: Debian packages, Dear ImGui sources, npm packages (idempotent, seconds when done)
setup:
	@bash scripts/setup.sh

## BUILDS
native: setup
	@cmake -S . -B $(NATIVE) -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
	@cmake --build $(NATIVE)

wasm: setup
	@emcmake cmake -S . -B $(WASM) -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
	@cmake --build $(WASM)

## TESTS: each build tree runs its own tests with CTest: the native suites, the real-data
## tier and the CLI cases; then the same suites as wasm under Node, the browser tests and the
## benchmark's smoke run (which compares the two builds). It ends with CTest's summary line.
test: native wasm
	@cd $(NATIVE) && ctest --output-on-failure
	@cd $(WASM) && ctest --output-on-failure

## THE WEB APP: the wasm build also writes the static site (CMake target `site`) to dist/;
## `serve` serves it with the cross-origin isolation headers that let the trainer use threads.
site: wasm

serve: site
	@node web/serve.js --root dist --port 8000

## BENCHMARK: digitrain native and in headless Chromium against PyTorch and TensorFlow.js on
## this machine (bench/run.mjs says what it runs); prints the table, writes bench/results.json.
bench: native site
	@node bench/run.mjs

clean:
	rm -rf build dist
