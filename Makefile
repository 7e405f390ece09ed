# digitrain: the front door. CMake is the source of truth for builds; this file strings the
# steps together so that each README command works on a fresh Debian machine.
#
#   make test    install what is missing, build native + wasm + the sanitizer tree (with the
#                fuzzers), run every test (CTest)
#   make fuzz    fuzz every parser for FUZZ_SECONDS each (default 600), FUZZ_JOBS at a time
#   make serve   install what is missing, build the web app, serve it on http://localhost:8000
#   make site    write the deployable static site to dist/
#   make bench   print the benchmark table
SHELL := /bin/bash
# Emscripten's JS optimiser needs Debian's acorn; the machine's Node.js does not look there.
export NODE_PATH := /usr/share/nodejs

NATIVE := build/native
WASM := build/wasm
# The sanitizer tree (suites, CLI and fuzzers) is a native build with Debian's clang (setup
# installs it).
ASAN := build/asan
CLANG := -DCMAKE_CXX_COMPILER=clang++-14
FUZZ_SECONDS ?= 600
FUZZ_JOBS ?= 1

.PHONY: all setup test-setup native wasm asan test fuzz serve site bench clean

all: native

## SETUP: Debian packages, Dear ImGui sources, npm packages (idempotent, seconds when done)
setup:
	@bash scripts/setup.sh

# What only the tests need besides (PyTorch, for the model-file round trip).
test-setup:
	@bash scripts/setup.sh --tests

## BUILDS
native: setup
	@cmake -S . -B $(NATIVE) -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
	@cmake --build $(NATIVE)

wasm: setup
	@emcmake cmake -S . -B $(WASM) -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
	@cmake --build $(WASM)

# The suites, the CLI and the libFuzzer harnesses of fuzz/ under AddressSanitizer +
# UndefinedBehaviorSanitizer.
asan: setup
	@cmake -S . -B $(ASAN) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CLANG) -DDT_SANITIZE=ON > /dev/null
	@cmake --build $(ASAN)

## TESTS: each build tree runs its own tests with CTest: the native suites, the real-data
## tier and the CLI cases; the same under the sanitizers; each fuzz harness over its seed
## corpus and then fuzzing for 20 s (two at a time); then the suites as wasm under Node, the
## browser tests and the benchmark's smoke run (which compares the two builds). It ends with
## CTest's summary line.
test: test-setup native asan wasm
	@cd $(NATIVE) && ctest --output-on-failure
	@cd $(ASAN) && ctest --output-on-failure -j2
	@cd $(WASM) && ctest --output-on-failure

## FUZZING: every harness for FUZZ_SECONDS from its seed corpus (copied to $(ASAN)/fuzz-work/NAME,
## where the corpus grows from run to run and any finding's input is kept); one line each,
## and a non-zero exit on any finding.
fuzz: asan
	@ls fuzz/corpus | xargs -P $(FUZZ_JOBS) -I{} \
	  bash fuzz/run.sh fuzz $(ASAN)/fuzz_{} fuzz/corpus/{} $(ASAN)/fuzz-work/{} $(FUZZ_SECONDS)

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
