// The native side: `digitrain bench --json` (peak, per-kernel GFLOP/s, keras-cnn training
// samples/s, every preset's), the `fast` preset's time to 99% test accuracy and the `best`
// preset's whole run through `digitrain train`.
import { run, jsonLines } from './lib/proc.mjs';

// The presets the CLI knows, with their batch sizes: [{preset, batch}].
export async function listPresets({ cli }) {
  const text = (await run(cli, ['presets', '--json'])).lines.map((l) => l.text).join('\n');
  let list = null;
  try { list = JSON.parse(text); } catch { /* reported below */ }
  if (!Array.isArray(list)) throw new Error(`${cli} presets --json printed no list`);
  return list.map((p) => ({ preset: p.name, batch: p.batch }));
}

// `trainingOnly`: the training rows alone (the benchmark's later rounds), without the kernels.
export async function benchNative({ cli, quick, trainingOnly = false }) {
  const { lines } = await run(cli, ['bench', '--json', ...(quick ? ['--quick'] : []), ...(trainingOnly ? ['--training-only'] : [])]);
  const j = jsonLines(lines).pop();
  if (!j) throw new Error(`${cli} bench --json printed no JSON`);
  // Older builds name the per-kernel list `gemm`.
  const kernels = (j.kernels || j.gemm || []).map((k) => ({ name: k.name.replace(/\s+/g, ' ').trim(), gflops: k.simd_gflops, fraction_of_peak: k.simd_gflops / j.peak_gflops }));
  return {
    peak_gflops: j.peak_gflops, simd_width: j.simd_width, kernels, profiles: j.profiles || [],
    training: j.training.map((t) => ({ peer: 'digitrain-native', batch: t.batch, threads: t.threads, samples_per_second: t.samples_per_second })),
    presets: (j.presets || []).map((t) => ({ peer: 'digitrain-native', preset: t.preset, batch: t.batch, threads: t.threads,
      samples_per_second: t.samples_per_second })),
  };
}

// Wall time from the run's `start` line (data loaded, model built) to its `done` line, whose
// test evaluation is the run's only one: the time to the target when that evaluation reaches
// it. `limit` (smoke mode) trains on the first N samples only, to exercise the path quickly.
export async function nativeTimeToAccuracy({ cli, preset = 'fast', seed, threads, target = 0.99, limit = 0, epochs = 0, timeoutMs = 900000 }) {
  const args = ['train', '--preset', preset, '--seed', String(seed), '--threads', String(threads), '--json'];
  if (limit) args.push('--limit', String(limit));
  if (epochs) args.push('--epochs', String(epochs));
  const records = jsonLines((await run(cli, args, { timeoutMs })).lines);
  const start = records.find((r) => r.event === 'start');
  const done = records.find((r) => r.event === 'done');
  if (!start || !done) throw new Error(`${cli} ${args.join(' ')}: no start/done JSON lines`);
  const wall = done.t - start.t;
  return {
    peer: 'digitrain-native', preset, seed, threads: done.threads, epochs: start.epochs, train_samples: start.train_samples,
    test_accuracy: done.test_accuracy, wall_seconds: wall, train_seconds: done.train_seconds,
    seconds_to_target: done.test_accuracy >= target ? wall : null, target,
  };
}
