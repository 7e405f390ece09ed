// A run survives a reload: the page keeps the run's checkpoint (weights, optimiser state,
// position) while it trains, and after a reload Continue trains on exactly from there, with
// the run's own settings back in the Train panel. The bit-for-bit equality of a resumed run
// with an uninterrupted one is checked natively (tests/train/checkpoint_test.cpp,
// tests/worker/training_session_test.cpp); here, that the page carries it through a reload.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { openApp, waitForState, ready, status, statusText } = require('./harness.js');

const OUT = process.env.DT_WEB_TEST_OUT || path.join(__dirname, '..', '..', 'build', 'web-test');
fs.mkdirSync(OUT, { recursive: true });

test('a run reloaded mid-epoch continues exactly where it was', { timeout: 300_000 }, async (t) => {
  const { page, errors, close } = await openApp();
  t.after(close);
  await ready(page);

  // Longer than the page's save interval (5 s), so the run is kept even if the reload leaves
  // no time to write it once more; and epochs enough that an idle machine (an mlp epoch in
  // about a second) is still training when the page reloads.
  await page.evaluate(() => window.digitrain.start({ preset: 'mlp', batch: 64, lr: 0.002, epochs: 100 }));
  await waitForState(page, ['training'], 20_000);
  await page.waitForTimeout(7_000);
  const before = await status(page);
  assert.equal(before.state, 'training');
  await page.reload();
  await ready(page);

  const restored = await status(page);
  assert.equal(restored.state, 'idle');
  assert.equal(restored.restored, true);
  assert.equal(restored.resumable, true);
  assert.ok(restored.step > 20 && restored.step <= before.step + 200, `saved at step ${restored.step}, reloaded near ${before.step}`);
  assert.match(await statusText(page), /restored the run stopped at step \d+ \(Continue trains on exactly from there\)/);
  await page.waitForTimeout(600);
  await page.screenshot({ path: path.join(OUT, 'restored-mid-run.png') });

  await t.test('Continue trains on from the saved step, with the run\'s own settings', async () => {
    await page.evaluate(() => window.digitrain.start({ resume: true }));
    await waitForState(page, ['training'], 30_000);
    await page.waitForFunction(() => window.digitrain.status().step > 0, null, { timeout: 30_000, polling: 20 });
    const resumed = await status(page);
    // A fresh run would be a few steps in; this one goes on from where it was saved.
    assert.ok(resumed.step > restored.step, `step ${resumed.step} after resuming from ${restored.step}`);
    assert.ok(resumed.step < restored.step + 200, `step ${resumed.step} after resuming from ${restored.step}`);
    assert.ok(resumed.epoch === restored.epoch || resumed.epoch === restored.epoch + 1);
    // Trained on, not restarted: the running accuracy is that of a model far past its start.
    await page.waitForFunction((s) => window.digitrain.status().step > s + 20, resumed.step, { timeout: 60_000, polling: 100 });
    assert.ok((await status(page)).trainAccuracy > 0.6);
    await page.evaluate(() => window.digitrain.stop());
    await waitForState(page, ['idle'], 10_000);
  });
  assert.deepEqual(errors, []);
});

// Fixed inputs to compare two models by: equal weights give bit-equal outputs.
function probes() {
  return [0, 1, 2].map((k) => Array.from({ length: 784 }, (_, i) => ((i * (k + 3)) % 17) / 16));
}

test('paused, reloaded and continued, a run ends with the model of a run never interrupted', { timeout: 600_000 }, async (t) => {
  const { page, errors, close } = await openApp();
  t.after(close);
  await ready(page);
  // One thread: the order of every floating-point sum is then fixed, so the models are bit-equal.
  const config = { preset: 'mlp', epochs: 1, batch: 64, threads: 1 };
  const outputs = () => page.evaluate((inputs) => inputs.map((x) => window.digitrain.predict(x).probabilities), probes());

  await page.evaluate((c) => window.digitrain.start(c), config);
  await waitForState(page, ['training'], 30_000);
  await waitForState(page, ['done'], 300_000);
  const straight = await outputs();

  await page.evaluate((c) => window.digitrain.start(c), config);
  await waitForState(page, ['training'], 30_000);
  await page.waitForFunction(() => window.digitrain.status().step > 200, null, { timeout: 120_000, polling: 20 });
  await page.evaluate(() => window.digitrain.pause());
  await waitForState(page, ['paused'], 10_000);
  const pausedAt = (await status(page)).step;
  await page.waitForTimeout(1500);  // the checkpoint that follows the pause is written
  await page.reload();
  await ready(page);
  const restored = await status(page);
  assert.equal(restored.resumable, true);
  assert.equal(restored.step, pausedAt);

  await page.evaluate(() => window.digitrain.start({ resume: true }));
  await waitForState(page, ['training'], 30_000);
  await waitForState(page, ['done'], 300_000);
  const resumed = await outputs();
  assert.ok(pausedAt < 844, 'the reload came mid-run');
  assert.deepEqual(resumed, straight);
  assert.deepEqual(errors, []);
});
