// The summary's promises: every headline field is present, computed only from measured
// records, and null exactly when its inputs are missing, with a note naming what is missing.
import test from 'node:test';
import assert from 'node:assert/strict';
import { summarize } from './summary.mjs';

const FIELDS = ['browser_vs_tfjs_speedup', 'browser_vs_pytorch_ratio', 'native_vs_pytorch_speedup', 'browser_time_to_99_s',
  'native_time_to_99_s', 'wasm_gemm_fraction_of_peak', 'threads_speedup_browser', 'browser_views_max_slowdown',
  'browser_views_max_cpu_share', 'best_native_test_accuracy', 'best_native_s', 'best_browser_test_accuracy', 'best_browser_s',
  'pytorch_time_to_99_s', 'browser_time_to_99_vs_pytorch', 'native_time_to_99_vs_pytorch', 'presets_browser_vs_pytorch_min',
  'presets_native_vs_pytorch_min'];

// Two presets measured by each peer in two rounds.
const presetRecords = (speeds) => Object.entries(speeds).flatMap(([preset, list]) =>
  list.map((sps, i) => ({ preset, batch: preset === 'mlp' ? 32 : 64, threads: 2, samples_per_second: sps, round: i + 1 })));

const full = () => ({
  threads_all: 2,
  records: {
    native: { peak_gflops: 100, kernels: [{ name: 'gemm a', fraction_of_peak: 0.8 }], training: [
      { batch: 32, threads: 1, samples_per_second: 7000 }, { batch: 32, threads: 2, samples_per_second: 12000 }],
    presets: presetRecords({ mlp: [40000, 50000], 'torch-lenet': [3000, 3000] }) },
    pytorch_presets: presetRecords({ mlp: [20000, 20000], 'torch-lenet': [2000, 2000] }),
    browser_presets: presetRecords({ mlp: [10000, 10000], 'torch-lenet': [2500, 2500] }),
    pytorch_time_to_99: [{ seed: 1, seconds_to_target: 25, test_accuracy: 0.991, target: 0.99 }, { seed: 2, seconds_to_target: null, test_accuracy: 0.989, target: 0.99 },
      { seed: 3, seconds_to_target: 35, test_accuracy: 0.992, target: 0.99 }],
    native_time_to_99: [{ seed: 1, seconds_to_target: 20, test_accuracy: 0.991 }],
    pytorch: [{ batch: 32, threads: 2, samples_per_second: 2000 }, { batch: 32, threads: 2, samples_per_second: 3000 }],
    tfjs: [{ backend: 'cpu', batch: 32, samples_per_second: 10 }, { backend: 'webgl', batch: 32, samples_per_second: 20 },
      { backend: 'wasm', batch: 32, error: "Kernel 'Conv2DBackpropFilter' not registered" }],
    browser: [{ batch: 32, threads: 1, samples_per_second: 1000 }, { batch: 32, threads: 2, samples_per_second: 1500 }],
    browser_time_to_99: [{ seed: 1, seconds_to_target: 50 }, { seed: 2, seconds_to_target: 70 }, { seed: 3, seconds_to_target: 60 }],
    native_best: [{ seed: 1, seconds_to_target: 300, wall_seconds: 300, test_accuracy: 0.9962, target: 0.996 }],
    browser_best: [{ seed: 1, seconds_to_target: null, wall_seconds: 900, test_accuracy: 0.9955, target: 0.996 }],
    wasm_kernels: { kernels: [{ name: 'gemm a', fraction_of_peak: 0.5 }, { name: 'gemm b', fraction_of_peak: 0.7 }, { name: 'maxpool', fraction_of_peak: 0.01 }] },
    browser_views: [['views closed', 1000, 1, 0.1], ['Inspect', 980, 0.98, 0.16], ['Mistakes', 1010, 1.01, 0.12]].map(([view, sps, ratio, ui]) =>
      ({ preset: 'keras-cnn', view, samples_per_second: sps, ratio_to_closed: ratio, ui_cores: ui, window_seconds: 4, windows: [sps, sps + 10, sps - 10] })),
  },
});

test('every field from a complete run, no notes', () => {
  const s = summarize(full());
  for (const f of FIELDS) assert.equal(typeof s[f], 'number', f);
  assert.equal(s.browser_vs_tfjs_speedup, 1500 / 20);       // best of ours vs best backend
  assert.equal(s.browser_vs_pytorch_ratio, 1500 / 3000);    // same threads, PyTorch's faster run
  assert.equal(s.native_vs_pytorch_speedup, 12000 / 3000);
  assert.equal(s.threads_speedup_browser, 1.5);
  assert.equal(s.browser_time_to_99_s, 60);                  // median over seeds
  assert.equal(s.native_time_to_99_s, 20);
  assert.equal(s.best_native_test_accuracy, 0.9962);
  assert.equal(s.best_native_s, 300);
  assert.equal(s.best_browser_test_accuracy, 0.9955);  // short of 99.6%: its whole run's time
  assert.equal(s.best_browser_s, 900);
  assert.equal(s.pytorch_time_to_99_s, 30);                  // median of the seeds that reached 99%
  assert.equal(s.browser_time_to_99_vs_pytorch, 60 / 30);
  assert.equal(s.native_time_to_99_vs_pytorch, 20 / 30);
  assert.equal(s.presets_browser_vs_pytorch_min, 10000 / 20000);  // mlp is the page's worst preset
  assert.equal(s.presets_native_vs_pytorch_min, 1.5);             // torch-lenet natively
  assert.ok(Math.abs(s.wasm_gemm_fraction_of_peak - 0.6) < 1e-12);  // GEMMs only
  assert.ok(Math.abs(s.browser_views_max_slowdown - 0.02) < 1e-12);  // the costliest view
  assert.ok(Math.abs(s.browser_views_max_cpu_share - 0.03) < 1e-12);  // (0.16 - 0.1) of 2 cores
  assert.deepEqual(s.notes, ['pytorch_time_to_99_s: 1 of 3 runs did not reach 99.00%']);
});

test('speeds are the median round, not the best one', () => {
  const r = full();
  r.records.pytorch = [3000, 9000, 3300].flatMap((sps, i) => [
    { batch: 32, threads: 2, samples_per_second: sps, round: i + 1, omp_wait_policy: 'default' },
    { batch: 32, threads: 2, samples_per_second: sps - 100, round: i + 1, omp_wait_policy: 'PASSIVE' }]);
  r.records.browser = [1000, 1600, 1500].map((sps, i) => ({ batch: 32, threads: 2, samples_per_second: sps, round: i + 1 }))
    .concat([{ batch: 32, threads: 1, samples_per_second: 1000, round: 1 }]);
  const s = summarize(r);
  assert.equal(s.browser_vs_pytorch_ratio, 1500 / 3300);  // each round's faster policy, then the median
  assert.equal(s.threads_speedup_browser, 1.5);
});

test('missing parts give null with a note each, never a number', () => {
  const r = full();
  delete r.records.browser;
  delete r.records.browser_time_to_99;
  delete r.records.wasm_kernels;
  delete r.records.browser_views;
  delete r.records.browser_best;
  delete r.records.browser_presets;
  r.records.native_best = [{ seed: 1, error: 'exit status 1' }];
  r.records.native_time_to_99 = [{ seed: 1, seconds_to_target: null, test_accuracy: 0.985 }];
  const s = summarize(r);
  for (const f of ['browser_vs_tfjs_speedup', 'browser_vs_pytorch_ratio', 'threads_speedup_browser', 'browser_time_to_99_s',
    'wasm_gemm_fraction_of_peak', 'native_time_to_99_s', 'browser_views_max_slowdown', 'browser_views_max_cpu_share',
    'best_native_test_accuracy', 'best_browser_s', 'browser_time_to_99_vs_pytorch', 'native_time_to_99_vs_pytorch',
    'presets_browser_vs_pytorch_min']) {
    assert.equal(s[f], null, f);
    assert.ok(s.notes.some((n) => n.startsWith(`${f}: null because`)), `note for ${f}`);
  }
  assert.ok(s.notes.some((n) => n.includes('98.50%')));
  assert.ok(s.notes.some((n) => n.startsWith('best_native_test_accuracy: null because exit status 1')));
  assert.equal(s.native_vs_pytorch_speedup, 4);
});

test('no ratio against PyTorch on the reference BLAS; OpenBLAS is compared', () => {
  const r = full();
  r.records.pytorch = r.records.pytorch.map((x) => ({ ...x, blas: 'reference' }));
  let s = summarize(r);
  assert.equal(s.browser_vs_pytorch_ratio, null);
  assert.equal(s.native_vs_pytorch_speedup, null);
  assert.ok(s.notes.some((n) => n.startsWith('PyTorch ran on the reference BLAS')));
  r.records.pytorch = r.records.pytorch.map((x) => ({ ...x, blas: 'openblas' }));
  s = summarize(r);
  assert.equal(s.browser_vs_pytorch_ratio, 1500 / 3000);
  assert.equal(s.native_vs_pytorch_speedup, 12000 / 3000);
});

test('failed records are not measurements', () => {
  const r = full();
  r.records.tfjs = r.records.tfjs.filter((x) => x.error);
  r.records.browser = [{ batch: 32, threads: 2, error: 'boom' }, { batch: 32, threads: 1, samples_per_second: 0 }];
  const s = summarize(r);
  assert.equal(s.browser_vs_tfjs_speedup, null);
  assert.equal(s.threads_speedup_browser, null);
});

test('the table shows each profile layer by layer, native beside wasm, with shares of the total', async () => {
  const { formatTable } = await import('./table.mjs');
  const results = { ...full(), mode: 'full', machine: { cpus: 2, loadavg_start: [0, 0, 0] }, unavailable: {} };
  const profile = (scale) => ({ preset: 'keras-cnn', samples: 16, layers: [
    { layer: 'conv2d 32 3x3 valid', forward_us: 30 * scale, backward_us: 45 * scale },
    { layer: 'relu', forward_us: 10 * scale, backward_us: 15 * scale }] });
  results.records.native.profiles = [profile(1)];
  results.records.wasm_kernels.profiles = [profile(4)];
  results.summary = summarize(results);
  const lines = formatTable(results).split('\n');
  const row = (name) => lines.find((l) => l.startsWith(name));
  assert.ok(lines.some((l) => l.startsWith('keras-cnn profile, 16 samples')));
  assert.match(row('conv2d 32 3x3 valid'), /75\.0\s+75%\s+300\.0\s+75%/);
  assert.match(row('relu'), /25\.0\s+25%\s+100\.0\s+25%/);
  assert.match(lines.find((l) => /^total\s/.test(l)), /100\.0\s+400\.0/);
  assert.match(row('Inspect'), /980\s+98\.0%\s+0\.160\s+980 990 970/);
});
