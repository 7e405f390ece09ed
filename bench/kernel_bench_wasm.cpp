// The kernel benchmark as a WebAssembly module for the browser: the same measurements as
// `digitrain bench`, against the browser's own SIMD128 peak. Called from JavaScript:
//   const m = await DigitrainKernelBench(); const json = m.ccall('run_kernel_bench_json',
//       'string', ['number'], [quick ? 1 : 0]);
#include <emscripten/emscripten.h>

#include <string>

#include "bench/kernel_bench.h"

extern "C" EMSCRIPTEN_KEEPALIVE const char* run_kernel_bench_json(int quick) {
  static std::string result;  // owned here until the next call; JavaScript copies it at once
  result = dt::bench::to_json(dt::bench::run_kernel_bench(quick != 0));
  return result.c_str();
}
