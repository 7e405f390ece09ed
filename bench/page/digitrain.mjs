// digitrain in its own page (dist/, served cross-origin isolated like `make serve`), driven
// only through the window.digitrain contract: a preset's samples/s per (batch, threads), and
// a preset's wall time from start() to the first test evaluation at its target (`fast` to 99%,
// `best` to 99.6%).
// Each measurement gets a fresh page, so one run's state cannot leak into the next.
import { openPage } from '../browser/chromium.mjs';

// Runs in the page. Samples are counted between two status() changes, so the window starts
// and ends on progress messages rather than on an arbitrary poll.
async function measureSpeed({ config, warmupSamples, measureSeconds, timeoutMs }) {
  const d = window.digitrain;
  await d.ready;
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const t0 = performance.now();
  const check = (s) => {
    if (s.state === 'error') throw new Error(s.message || 'training stopped with an error');
    if (performance.now() - t0 > timeoutMs) throw new Error(`no result after ${timeoutMs / 1000} s (state ${s.state}, ${s.samplesSeen} samples)`);
  };
  const nextChange = async (after) => {
    for (;;) {
      const s = d.status();
      check(s);
      if (s.samplesSeen !== after) return { s, t: performance.now() };
      if (s.state === 'done') throw new Error('training finished before the measurement did; raise epochs');
      await sleep(5);
    }
  };
  d.start(config);
  for (;;) {
    const s = d.status();
    check(s);
    if (s.state === 'training' && s.samplesSeen >= warmupSamples) break;
    if (s.state === 'done') throw new Error('training finished during warm-up; raise epochs');
    await sleep(20);
  }
  const a = await nextChange(d.status().samplesSeen);
  await sleep(measureSeconds * 1000);
  const b = await nextChange(d.status().samplesSeen);
  d.stop();
  return {
    samples: b.s.samplesSeen - a.s.samplesSeen, seconds: (b.t - a.t) / 1000,
    samples_per_second: (b.s.samplesSeen - a.s.samplesSeen) / ((b.t - a.t) / 1000),
    reported_samples_per_second: b.s.samplesPerSecond, threads: b.s.threads, simd: b.s.simd,
    cross_origin_isolated: b.s.crossOriginIsolated,
  };
}

// Runs in the page: seconds from start() to the first status() whose testAccuracy >= target.
async function measureTimeTo({ config, target, timeoutMs }) {
  const d = window.digitrain;
  await d.ready;
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const t0 = performance.now();
  d.start(config);
  for (;;) {
    const s = d.status();
    const t = (performance.now() - t0) / 1000;
    if (s.state === 'error') throw new Error(s.message || 'training stopped with an error');
    if (s.testAccuracy != null && s.testAccuracy >= target)
      return { seconds_to_target: t, test_accuracy: s.testAccuracy, epoch: s.epoch, threads: s.threads };
    if (s.state === 'done') return { seconds_to_target: null, test_accuracy: s.testAccuracy, wall_seconds: t, threads: s.threads };
    if (t * 1000 > timeoutMs) throw new Error(`no result after ${timeoutMs / 1000} s (state ${s.state})`);
    await sleep(25);
  }
}

async function inPage(browser, baseUrl, fn, arg, timeoutMs) {
  const { page, log, close } = await openPage(browser, `${baseUrl}/`, { timeoutMs: timeoutMs + 60000 });
  try {
    if (!(await page.evaluate(() => typeof window.digitrain === 'object' && window.digitrain !== null)))
      throw new Error('the page has no window.digitrain');
    return await page.evaluate(fn, arg);
  } catch (e) {
    const msg = e.message.split('\n')[0].replace(/^page\.evaluate: (Error: )?/, '');
    throw new Error(log.length ? `${msg} (console: ${log.slice(-2).join(' / ')})` : msg);
  } finally {
    await close();
  }
}

// One record per (batch, threads); a failure is a record with `error`.
export async function benchPageSpeed({ browser, baseUrl, preset = 'keras-cnn', batches, threads, warmupSteps, measureSeconds, timeoutMs = 300000 }) {
  const records = [];
  for (const batch of batches) {
    for (const t of threads) {
      const record = { peer: 'digitrain-browser', preset, batch, threads: t };
      try {
        // Epochs enough that no run ends inside its window (an mlp epoch takes about a second);
        // the measurement stops the run.
        const config = { preset, batch, threads: t, epochs: 100, seed: 1 };
        const r = await inPage(browser, baseUrl, measureSpeed, { config, warmupSamples: warmupSteps * batch, measureSeconds, timeoutMs }, timeoutMs);
        Object.assign(record, r, { threads_requested: t, threads: r.threads });
      } catch (e) {
        record.error = e.message;
      }
      records.push(record);
    }
  }
  return records;
}

export async function pageTimeToAccuracy({ browser, baseUrl, preset = 'fast', seed, target = 0.99, timeoutMs = 900000 }) {
  const record = { peer: 'digitrain-browser', preset, seed, target };
  try {
    Object.assign(record, await inPage(browser, baseUrl, measureTimeTo, { config: { preset, seed }, target, timeoutMs }, timeoutMs));
  } catch (e) {
    record.error = e.message;
  }
  return record;
}
