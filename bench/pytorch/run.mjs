// The PyTorch peer: Debian's python3-torch (installed here with apt-get when missing and the
// caller allows it), running presets.py with Debian's own interpreter. PyTorch there calls
// libblas.so.3, which is netlib's reference BLAS unless an optimised one is installed: with it,
// keras-cnn trained at 3,535-3,741 samples/s against 4,334-4,641 with OpenBLAS, and a
// 3136x1024 dense layer 7x slower. So OpenBLAS (libopenblas0-pthread, which Debian's
// alternatives then make libblas.so.3) is installed with it, and each record says which BLAS
// PyTorch loaded.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, jsonLines } from '../lib/proc.mjs';

const PYTHON = '/usr/bin/python3';  // python3-torch installs here, not into other interpreters
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'presets.py');

async function torchVersion() {
  try {
    const { lines } = await run(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { timeoutMs: 120000 });
    return lines.map((l) => l.text).join('').trim();
  } catch {
    return null;
  }
}

const PACKAGES = ['python3-torch', 'libopenblas0-pthread'];

const installed = async (pkg) => {
  try {
    const { lines } = await run('dpkg-query', ['-W', '-f=${Status}', pkg], { timeoutMs: 60000 });
    return lines.map((l) => l.text).join('').includes('install ok installed');
  } catch {
    return false;
  }
};

// Resolves to torch's version, or null when it is missing and `install` is false. With
// `install`, python3-torch and OpenBLAS are installed when missing.
export async function ensureTorch({ install }) {
  const have = await torchVersion();
  if (!install) return have;
  const missing = [];
  for (const pkg of PACKAGES) if (!(await installed(pkg))) missing.push(pkg);
  if (have && !missing.length) return have;
  const apt = (args) => run('apt-get', args, { timeoutMs: 1800000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  try {
    await apt(['install', '-y', '-q', ...missing]);
  } catch {
    // A fresh machine's package lists may be stale or empty: update once, then retry.
    try {
      await apt(['update', '-q']);
      await apt(['install', '-y', '-q', ...missing]);
    } catch (e) {
      throw new Error(`${missing.join(' and ')} missing and apt-get failed: ${e.message}`);
    }
  }
  const now = await torchVersion();
  if (!now) throw new Error(`python3-torch installed but ${PYTHON} cannot import torch`);
  return now;
}

// presets.py in `mode` with `args`; its records and its closing {torch, blas}.
async function presetsScript(mode, args, policy, timeoutMs) {
  // PyTorch runs its own OpenMP threads; OpenBLAS's pthreads on top of them oversubscribe the
  // cores (keras-cnn, batch 32, 2 threads: ~830 samples/s with OpenBLAS's default threads,
  // ~1,250 with one), so OpenBLAS is kept to one thread unless the caller says otherwise.
  const env = { OPENBLAS_NUM_THREADS: '1', ...process.env, ...(policy ? { OMP_WAIT_POLICY: policy } : {}) };
  const out = jsonLines((await run(PYTHON, [SCRIPT, mode, ...args], { timeoutMs, env })).lines);
  const done = out.find((r) => r.event === 'done') || {};
  const base = { peer: 'pytorch', torch_version: done.torch, blas: done.blas, openblas_threads: env.OPENBLAS_NUM_THREADS,
    omp_wait_policy: policy || 'default' };
  return out.filter((r) => r.preset).map((r) => ({ ...base, ...r }));
}

// Training speed: one record per (preset, batch, threads, OpenMP wait policy). Multi-threaded
// runs are made twice: with libgomp's default (spin-waiting, best on an idle machine) and
// OMP_WAIT_POLICY=PASSIVE (far better when other processes share the cores, where spinning
// starves the other thread); the summary takes the faster, so PyTorch is compared at its best.
// `batches` empty: each preset's own batch size.
export async function benchPytorch({ dataDir, presets = ['keras-cnn'], batches = [], threads, warmup, samples }) {
  const once = async (threadList, policy) => (await presetsScript('speed', ['--data', dataDir, '--presets', presets.join(','),
    '--batches', batches.join(','), '--threads', threadList.join(','), '--warmup', String(warmup), '--samples', String(samples)],
  policy, 1200000)).map((r) => ({ ...r, samples: r.steps * r.batch }));
  const records = await once(threads, null);
  const multi = threads.filter((t) => t > 1);
  if (multi.length) records.push(...(await once(multi, 'PASSIVE')));
  return records;
}

// A preset's whole run and its test evaluation per seed, timed as digitrain's CLI times its
// own (from the built model to the test accuracy): one record per seed, with
// `seconds_to_target` when the run reached `target`. `limit` (smoke mode) is not offered:
// PyTorch either runs the recipe or is not compared.
export async function pytorchTimeToAccuracy({ dataDir, preset = 'fast', seeds, threads, target = 0.99 }) {
  const records = await presetsScript('time-to', ['--data', dataDir, '--presets', preset, '--seeds', seeds.join(','),
    '--threads', String(threads)], null, 3600000);
  return records.map((r) => ({ ...r, target, seconds_to_target: r.test_accuracy >= target ? r.wall_seconds : null }));
}
