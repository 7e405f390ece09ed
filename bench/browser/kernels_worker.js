// Loads the kernel benchmark module and runs it once; the result is its JSON report.
'use strict';
onmessage = async (e) => {
  try {
    importScripts('/kernel-bench/digitrain_kernel_bench.js');
    const m = await DigitrainKernelBench({ locateFile: (f) => `/kernel-bench/${f}` });
    const json = m.ccall('run_kernel_bench_json', 'string', ['number'], [e.data.quick ? 1 : 0]);
    postMessage({ report: JSON.parse(json) });
  } catch (err) {
    postMessage({ error: String(err && err.message || err) });
  }
};
