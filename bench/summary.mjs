// The headline numbers, computed only from records measured in this run. A field that could
// not be computed is null, and `notes` says why; nothing is filled in from elsewhere.
//   speeds are keras-cnn samples/s at batch 32 (the preset's batch size), each peer's median
//   round (a round's figure is its fastest record: PyTorch has one per OpenMP wait policy);
//   "all threads" is the machine's core count, the same for every peer;
//   times to 99% are medians over seeds.
export function summarize(results) {
  const { records: r, threads_all: all } = results;
  const notes = [];
  const ok = (x) => x && Number.isFinite(x.samples_per_second) && x.samples_per_second > 0;
  const speed = (list, batch, threads, preset) => medianRound((list || []).filter((x) => x.batch === batch
    && (threads == null || x.threads === threads) && (preset == null || (x.preset ?? 'keras-cnn') === preset) && ok(x)));
  const ratio = (name, a, b, why) => {
    if (a != null && b != null) return a / b;
    notes.push(`${name}: null because ${why(a, b)}`);
    return null;
  };
  const missing = (what) => (a, b) => what.filter((_, i) => [a, b][i] == null).join(' and ') + ' not measured';

  // PyTorch on Debian's reference BLAS is not PyTorch at its best: no ratio against it.
  const blas = [...new Set((r.pytorch || []).map((x) => x.blas).filter(Boolean))];
  const reference = blas.includes('reference');
  const pytorch = reference ? null : r.pytorch;
  if (blas.includes('reference'))
    notes.push('PyTorch ran on the reference BLAS (install libopenblas0-pthread, as make bench does): its ratios are null');
  const browser = r.browser;
  const browserBest = Math.max(...(browser || []).filter((x) => x.batch === 32 && ok(x)).map((x) => x.samples_per_second), -1);
  const tfjsBest = Math.max(...(r.tfjs || []).filter((x) => x.batch === 32 && ok(x)).map((x) => x.samples_per_second), -1);
  const s = {};
  s.browser_vs_tfjs_speedup = ratio('browser_vs_tfjs_speedup', browserBest > 0 ? browserBest : null, tfjsBest > 0 ? tfjsBest : null,
    missing(['digitrain in the browser (batch 32)', 'any TensorFlow.js backend (batch 32)']));
  s.browser_vs_pytorch_ratio = ratio('browser_vs_pytorch_ratio', speed(browser, 32, all), speed(pytorch, 32, all),
    missing([`digitrain in the browser (batch 32, ${all} threads)`, `PyTorch (batch 32, ${all} threads)`]));
  s.native_vs_pytorch_speedup = ratio('native_vs_pytorch_speedup', speed(r.native && r.native.training, 32, all), speed(pytorch, 32, all),
    missing([`digitrain native (batch 32, ${all} threads)`, `PyTorch (batch 32, ${all} threads)`]));
  s.browser_time_to_99_s = timeTo('browser_time_to_99_s', r.browser_time_to_99, notes);
  s.native_time_to_99_s = timeTo('native_time_to_99_s', r.native_time_to_99, notes);
  s.pytorch_time_to_99_s = reference ? null : timeTo('pytorch_time_to_99_s', r.pytorch_time_to_99, notes);
  s.browser_time_to_99_vs_pytorch = ratio('browser_time_to_99_vs_pytorch', s.browser_time_to_99_s, s.pytorch_time_to_99_s,
    missing(['the page\'s time to 99%', 'PyTorch\'s time to 99%']));
  s.native_time_to_99_vs_pytorch = ratio('native_time_to_99_vs_pytorch', s.native_time_to_99_s, s.pytorch_time_to_99_s,
    missing(['the native time to 99%', 'PyTorch\'s time to 99%']));
  // Every preset at its own batch on all threads: the slowest against PyTorch, so that one
  // slow layer shape cannot hide behind keras-cnn.
  const each = presetSpeeds(r, all, reference);
  for (const [field, peer] of [['presets_browser_vs_pytorch_min', 'browser'], ['presets_native_vs_pytorch_min', 'native']]) {
    const ratios = each.filter((p) => p[peer] != null && p.pytorch != null).map((p) => ({ preset: p.preset, ratio: p[peer] / p.pytorch }));
    const worst = ratios.sort((a, b) => a.ratio - b.ratio)[0];
    s[field] = worst ? worst.ratio : null;
    if (!worst) notes.push(`${field}: null because no preset was measured both ${peer === 'browser' ? 'in the page' : 'natively'} and in PyTorch`);
    else if (ratios.length < each.length) notes.push(`${field}: only ${ratios.length} of ${each.length} presets measured both ways`);
  }
  // The `best` preset's one run (seed 1) each way: its test accuracy and its wall time.
  for (const [where, runs] of [['native', r.native_best], ['browser', r.browser_best]]) {
    const x = (runs || []).find((y) => !y.error && y.test_accuracy != null);
    s[`best_${where}_test_accuracy`] = x ? x.test_accuracy : null;
    s[`best_${where}_s`] = x ? x.seconds_to_target ?? x.wall_seconds : null;
    const why = runs && runs.length ? runs.map((y) => y.error || 'no test accuracy').join('; ') : 'not measured';
    if (!x) for (const field of [`best_${where}_test_accuracy`, `best_${where}_s`]) notes.push(`${field}: null because ${why}`);
  }
  const gemms = ((r.wasm_kernels && r.wasm_kernels.kernels) || []).filter((k) => k.name.startsWith('gemm'));
  s.wasm_gemm_fraction_of_peak = gemms.length ? mean(gemms.map((k) => k.fraction_of_peak)) : null;
  if (!gemms.length) notes.push('wasm_gemm_fraction_of_peak: null because the wasm kernel benchmark did not run in the browser');
  const nativeGemms = ((r.native && r.native.kernels) || []).filter((k) => k.name.startsWith('gemm'));
  s.native_gemm_fraction_of_peak = nativeGemms.length ? mean(nativeGemms.map((k) => k.fraction_of_peak)) : null;
  s.threads_speedup_browser = ratio('threads_speedup_browser', speed(browser, 32, all), speed(browser, 32, 1),
    missing([`digitrain in the browser with ${all} threads`, 'with 1 thread']));
  s.threads_speedup_native = ratio('threads_speedup_native', speed(r.native && r.native.training, 32, all), speed(r.native && r.native.training, 32, 1),
    missing([`digitrain native with ${all} threads`, 'with 1 thread']));
  // The costliest view: 1 - its training speed over the speed with every view closed.
  const views = (r.browser_views || []).filter((x) => x.view !== 'views closed' && Number.isFinite(x.ratio_to_closed));
  s.browser_views_max_slowdown = views.length ? Math.max(0, ...views.map((x) => 1 - x.ratio_to_closed)) : null;
  if (!views.length) notes.push('browser_views_max_slowdown: null because the views were not measured in the page');
  // The costliest view as a share of the machine: the CPU the browser spends outside its
  // workers with the view open, less that with every view closed, over the core count.
  const closed = (r.browser_views || []).find((x) => x.view === 'views closed');
  const withCpu = views.filter((x) => x.ui_cores != null);
  s.browser_views_max_cpu_share = closed && closed.ui_cores != null && withCpu.length
    ? Math.max(0, ...withCpu.map((x) => (x.ui_cores - closed.ui_cores) / all)) : null;
  if (s.browser_views_max_cpu_share == null) notes.push('browser_views_max_cpu_share: null because the browser\'s CPU time was not measured (no /proc)');
  if (all < 2) notes.push('this machine has one core: the thread speed-ups compare 1 thread with itself');
  s.notes = notes;
  return s;
}

// Each preset's median-round speed natively, in the page and in PyTorch (at the batch size the
// native record gives it; null where a peer has no record).
export function presetSpeeds(r, all, referenceBlas = false) {
  const native = (r.native && r.native.presets) || [];
  return [...new Set(native.map((x) => x.preset))].map((preset) => {
    const batch = native.find((x) => x.preset === preset).batch;
    const of = (list) => medianRound((list || []).filter((x) => x.preset === preset && x.batch === batch && x.threads === all
      && Number.isFinite(x.samples_per_second) && x.samples_per_second > 0));
    return { preset, batch, native: of(native), browser: of(r.browser_presets), pytorch: referenceBlas ? null : of(r.pytorch_presets) };
  });
}

// Each round's fastest record, in round order (records without a round are one round).
export function roundFigures(records) {
  const best = new Map();
  for (const x of records) best.set(x.round ?? 0, Math.max(best.get(x.round ?? 0) ?? 0, x.samples_per_second));
  return [...best.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

// The median of roundFigures; null without records.
export function medianRound(records) {
  return records.length ? median(roundFigures(records)) : null;
}

// Median over the seeds that reached the target; null (with a note) when none did.
function timeTo(name, runs, notes) {
  const list = runs || [];
  const reached = list.filter((x) => x.seconds_to_target != null).map((x) => x.seconds_to_target);
  if (reached.length) {
    if (reached.length < list.length) notes.push(`${name}: ${list.length - reached.length} of ${list.length} runs did not reach ${fmtAcc(list[0].target)}`);
    return median(reached);
  }
  const why = !list.length ? 'not measured'
    : list.map((x) => x.error ? `seed ${x.seed}: ${x.error}` : `seed ${x.seed} ended at ${fmtAcc(x.test_accuracy)} test accuracy`).join('; ');
  notes.push(`${name}: null because ${why}`);
  return null;
}

const fmtAcc = (a) => (a == null ? 'no' : `${(100 * a).toFixed(2)}%`);
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
