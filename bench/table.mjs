// The readable table `make bench` prints, from the same object that goes to results.json.
import { medianRound, presetSpeeds, roundFigures } from './summary.mjs';

export function formatTable(results) {
  const { records: r, summary: s, threads_all: all } = results;
  const out = [];
  const sps = (x) => (x == null ? '-' : x.error ? 'failed' : Math.round(x.samples_per_second).toLocaleString('en-US'));
  const pad = (text, n) => String(text).padStart(n);
  // keras-cnn's median round for (batch, threads) as a record, or the failed one, or none.
  const find = (list, batch, threads) => {
    const hits = (list || []).filter((x) => x.batch === batch && (x.preset ?? 'keras-cnn') === 'keras-cnn'
      && (threads == null || (x.threads_requested ?? x.threads) === threads));
    const good = hits.filter((x) => !x.error && x.samples_per_second > 0);
    return good.length ? { samples_per_second: medianRound(good) } : hits[0];
  };
  // Each round's figure at (batch, threads), in round order.
  const rounds = (list, batch, threads) => {
    const hits = (list || []).filter((x) => x.batch === batch && x.threads === threads && (x.preset ?? 'keras-cnn') === 'keras-cnn'
      && !x.error && x.samples_per_second > 0);
    return roundFigures(hits).map((v) => Math.round(v).toLocaleString('en-US')).join(' / ');
  };

  out.push(`digitrain benchmark (${results.mode}), ${results.machine.cpus} cores, load ${results.machine.loadavg_start.map((x) => x.toFixed(1)).join(' ')}, ${results.machine.chromium || 'no browser'}`);
  out.push('');
  out.push(`${'keras-cnn samples/s, median round'.padEnd(40)}${pad('batch 32', 12)}${pad('batch 128', 12)}`);
  const row = (label, list, threads) => out.push(`${label.padEnd(40)}${pad(sps(find(list, 32, threads)), 12)}${pad(sps(find(list, 128, threads)), 12)}`);
  const threadSet = [...new Set([1, all])];
  for (const t of threadSet) row(`digitrain native, ${t} thread${t > 1 ? 's' : ''}`, r.native && r.native.training, t);
  if (r.browser) for (const t of threadSet) row(`digitrain in Chromium (wasm), ${t} thread${t > 1 ? 's' : ''}`, r.browser, t);
  else out.push(`${'digitrain in Chromium (wasm)'.padEnd(40)}${pad(results.unavailable.browser || 'not run', 24)}`);
  const torchLabel = (x) => (x ? `${x.torch_version}${x.blas ? ` (${x.blas})` : ''}` : '');
  if (r.pytorch) for (const t of threadSet) row(`PyTorch ${torchLabel(r.pytorch[0])}, ${t} thread${t > 1 ? 's' : ''}`, r.pytorch, t);
  else out.push(`${'PyTorch'.padEnd(40)}${pad(results.unavailable.pytorch || 'not run', 24)}`);
  for (const backend of [...new Set((r.tfjs || []).map((x) => x.backend))]) {
    const list = r.tfjs.filter((x) => x.backend === backend);
    const failed = list.find((x) => x.error);
    if (failed) out.push(`${`TF.js 4.22 ${backend}`.padEnd(40)}  cannot train: ${failed.error}`);
    else row(`TF.js 4.22 ${backend}`, list, null);
  }
  for (const x of [...(r.browser || []), ...(r.browser_presets || [])])
    if (x.error) out.push(`  in Chromium, ${x.preset || 'keras-cnn'}, batch ${x.batch}, ${x.threads} thread(s): ${x.error}`);
  out.push(`rounds at batch 32, ${all} threads: native ${rounds(r.native && r.native.training, 32, all) || '-'}; `
    + `Chromium ${rounds(r.browser, 32, all) || '-'}; PyTorch ${rounds(r.pytorch, 32, all) || '-'}`);

  // Every preset with its own recipe and batch size, all threads.
  const each = presetSpeeds(r, all);
  if (each.length) {
    out.push('');
    out.push(`every preset at its own batch size, ${all} threads, samples/s (median round)`);
    out.push(`${'preset'.padEnd(28)}${pad('batch', 6)}${pad('native', 10)}${pad('Chromium', 10)}${pad('PyTorch', 10)}${pad('page/PT', 9)}${pad('nat/PT', 8)}`);
    const n = (v) => (v == null ? '-' : Math.round(v).toLocaleString('en-US'));
    const q = (a, b) => (a == null || b == null ? '-' : (a / b).toFixed(2));
    for (const p of each)
      out.push(`${p.preset.padEnd(28)}${pad(p.batch, 6)}${pad(n(p.native), 10)}${pad(n(p.browser), 10)}${pad(n(p.pytorch), 10)}${pad(q(p.browser, p.pytorch), 9)}${pad(q(p.native, p.pytorch), 8)}`);
  }

  out.push('');
  const nk = (r.native && r.native.kernels) || [], wk = (r.wasm_kernels && r.wasm_kernels.kernels) || [];
  const names = [...new Set([...nk, ...wk].map((k) => k.name))];
  const w = Math.max(40, ...names.map((n) => n.length + 2));  // the longest kernel name sets the column
  out.push(`${'kernels (one core), GFLOP/s'.padEnd(w)}${pad('native', 10)}${pad('of peak', 9)}${pad('wasm', 10)}${pad('of peak', 9)}`);
  const g = (x) => (x == null ? '-' : x.toFixed(1)), pct = (x) => (x == null ? '-' : `${(100 * x).toFixed(0)}%`);
  out.push(`${'multiply-add peak'.padEnd(w)}${pad(g(r.native && r.native.peak_gflops), 10)}${pad('', 9)}${pad(g(r.wasm_kernels && r.wasm_kernels.peak_gflops), 10)}`);
  for (const name of names) {
    const a = nk.find((k) => k.name === name), b = wk.find((k) => k.name === name);
    out.push(`${name.padEnd(w)}${pad(g(a && a.gflops), 10)}${pad(pct(a && a.fraction_of_peak), 9)}${pad(g(b && b.gflops), 10)}${pad(pct(b && b.fraction_of_peak), 9)}`);
  }
  if (!r.wasm_kernels) out.push(`  wasm: ${results.unavailable.wasm_kernels || 'not run'}`);

  // Where a training step's time goes, layer by layer, natively and in the browser.
  const np = (r.native && r.native.profiles) || [], wp = (r.wasm_kernels && r.wasm_kernels.profiles) || [];
  for (const preset of [...new Set([...np, ...wp].map((p) => p.preset))]) {
    const a = np.find((p) => p.preset === preset), b = wp.find((p) => p.preset === preset);
    const total = (p) => (p ? p.layers.reduce((t, l) => t + l.forward_us + l.backward_us, 0) : null);
    const ta = total(a), tb = total(b);
    const samples = (a || b).samples;
    out.push('');
    out.push(`${`${preset} profile, ${samples} samples, fwd+bwd us`.padEnd(40)}${pad('native', 10)}${pad('share', 9)}${pad('wasm', 10)}${pad('share', 9)}`);
    const layers = (a || b).layers;
    layers.forEach((l, i) => {
      const x = a && a.layers[i], y = b && b.layers[i];
      const us = (v) => (v ? v.forward_us + v.backward_us : null);
      out.push(`${l.layer.padEnd(40)}${pad(g(us(x)), 10)}${pad(pct(x && us(x) / ta), 9)}${pad(g(us(y)), 10)}${pad(pct(y && us(y) / tb), 9)}`);
    });
    out.push(`${'total'.padEnd(40)}${pad(g(ta), 10)}${pad('', 9)}${pad(g(tb), 10)}`);
  }

  out.push('');
  out.push('time to 99% test accuracy (fast preset)');
  const tt = (label, runs, why) => {
    if (!runs) { out.push(`  ${label.padEnd(38)}${why || 'not run'}`); return; }
    for (const x of runs) {
      const what = x.error ? `failed: ${x.error}` : x.seconds_to_target != null ? `${x.seconds_to_target.toFixed(1)} s (test ${(100 * x.test_accuracy).toFixed(2)}%)`
        : `not reached (test ${x.test_accuracy == null ? '-' : (100 * x.test_accuracy).toFixed(2) + '%'})`;
      out.push(`  ${`${label}, seed ${x.seed}`.padEnd(38)}${what}`);
    }
  };
  tt('digitrain native', r.native_time_to_99, results.unavailable.native_time_to_99);
  tt('digitrain in Chromium', r.browser_time_to_99, results.unavailable.browser_time_to_99);
  tt('PyTorch, same recipe', r.pytorch_time_to_99, results.unavailable.pytorch_time_to_99 || results.unavailable.pytorch);
  out.push('');
  out.push('the best preset to 99.6% (its whole run; the page stops at the first epoch that reaches it)');
  tt('digitrain native', r.native_best, results.unavailable.native_best);
  tt('digitrain in Chromium', r.browser_best, results.unavailable.browser_best);

  if (r.browser_views && r.browser_views.length) {
    const v0 = r.browser_views[0];
    out.push('');
    out.push(`${`${v0.preset} in Chromium beside each view, samples/s`.padEnd(40)}${pad('median', 10)}${pad('of closed', 11)}${pad('UI cores', 10)}   windows (${v0.window_seconds} s)`);
    for (const x of r.browser_views)
      out.push(`${x.view.padEnd(40)}${pad(sps(x), 10)}${pad(`${(100 * x.ratio_to_closed).toFixed(1)}%`, 11)}${pad(x.ui_cores == null ? '-' : x.ui_cores.toFixed(3), 10)}   ${x.windows.map((w) => Math.round(w)).join(' ')}`);
  }

  out.push('');
  out.push('summary');
  const figure = (k, v) => (v == null ? 'null' : k.endsWith('_accuracy') ? `${(100 * v).toFixed(2)}%` : Number(v).toFixed(2));
  for (const [k, v] of Object.entries(s)) if (k !== 'notes') out.push(`  ${k.padEnd(32)}${figure(k, v)}`);
  for (const n of s.notes) out.push(`  note: ${n}`);
  return out.join('\n');
}
