// Runs are never lost: the curves of the run on screen come back after a reload, and every
// finished or stopped run is kept in a list of past runs (the latest 10) that the runs panel,
// at the bottom of the Evaluate window, reopens, compares and deletes, through real clicks.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { openApp, waitForState, ready, status, frames, click: clickAt } = require('./harness.js');

const OUT = process.env.DT_WEB_TEST_OUT || path.join(__dirname, '..', '..', 'build', 'web-test');
fs.mkdirSync(OUT, { recursive: true });

// A thick vertical stroke: any fixed image will do, as long as two models read it differently.
const PIXELS = Array.from({ length: 784 }, (_, i) => {
  const x = i % 28, y = Math.floor(i / 28);
  return x >= 12 && x <= 15 && y >= 4 && y <= 23 ? 1 : x === 11 && y > 10 ? 0.5 : 0;
});

const pastRuns = (page) => page.evaluate(() => window.digitrain.pastRuns());
const panel = (page) => page.evaluate(() => window.digitrain.runsPanel());
const predict = (page) => page.evaluate((p) => window.digitrain.predict(p), PIXELS);

// Polls `condition` (an async function of nothing) until it holds.
async function until(condition, timeoutMs, what) {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// One short run to its end; resolves to the past runs once it is among them.
async function trainToEnd(page, config) {
  const before = (await pastRuns(page)).length;
  await page.evaluate((c) => window.digitrain.start(c), config);
  await waitForState(page, ['training'], 30_000);
  await waitForState(page, ['done'], 120_000);
  await until(async () => (await pastRuns(page)).length > before, 10_000, 'the run among the past runs');
  return pastRuns(page);
}

// A click as a person makes it, at the middle of `rect`.
const click = (page, rect) => clickAt(page, rect.x + rect.width / 2, rect.y + rect.height / 2);

const inside = (r, v) => r && r.y >= v.y && r.y + r.height <= v.y + v.height && r.height > 0;

// Scrolls the window holding the runs panel until `pick(panel)` is in view: a click on its
// scrollbar's track (at the right edge of the window) moves the scrolled view to there.
async function reveal(page, pick) {
  for (let attempt = 0; attempt < 12; attempt++) {
    const p = await panel(page);
    const target = pick(p);
    if (inside(target, p.visible) && target.y + target.height <= page.viewportSize().height) return target;
    const v = p.visible, bottom = Math.min(v.y + v.height, page.viewportSize().height);
    const below = !target || target.y > bottom - 10;
    // The track spans the window's height below the title bar; aim at the end the target is on.
    const y = below ? bottom - 12 - attempt * 4 : v.y + 40;
    await click(page, { x: v.x + v.width - 6, y: y - 2, width: 4, height: 4 });
  }
  throw new Error(`the runs panel could not be scrolled to its target: ${JSON.stringify(await panel(page))}`);
}

// Scrolls that window to its end (the comparison sits below the rows).
async function scrollToEnd(page) {
  const v = (await panel(page)).visible, bottom = Math.min(v.y + v.height, page.viewportSize().height);
  await click(page, { x: v.x + v.width - 6, y: bottom - 8, width: 2, height: 2 });
  await frames(page, 6);
}

test('past runs: kept with their metrics and curves, reopened, compared and deleted', { timeout: 600_000 }, async (t) => {
  const { page, errors, close } = await openApp({ viewport: { width: 1280, height: 800 } });
  t.after(close);
  await ready(page);
  assert.deepEqual(await pastRuns(page), []);

  // Two short runs with different settings; each one's answer on the fixed image is noted.
  const configA = { preset: 'mlp', epochs: 1, batch: 256, lr: 0.003, optimizer: 'adam', seed: 1 };
  const configB = { preset: 'mlp', epochs: 1, batch: 128, lr: 0.05, optimizer: 'sgd', seed: 2 };
  const [a] = await trainToEnd(page, configA);
  const predictionA = await predict(page);
  const testA = (await status(page)).testAccuracy;
  const listed = await trainToEnd(page, configB);
  const predictionB = await predict(page);
  assert.equal(listed.length, 2);
  const [b] = listed;
  assert.notDeepEqual(predictionA.probabilities, predictionB.probabilities, 'the two runs must differ to tell them apart');

  await page.reload();
  await ready(page);

  await t.test('the list has both runs, newest first, with their settings and final metrics', async () => {
    const runs = await pastRuns(page);
    assert.deepEqual(runs.map((r) => r.id), [b.id, a.id]);
    for (const [r, config] of [[runs[0], configB], [runs[1], configA]]) {
      assert.equal(r.ended, 'finished');
      assert.equal(r.settings.preset, 'mlp');
      assert.equal(r.settings.batch, config.batch);
      assert.equal(r.settings.optimizer, config.optimizer);
      assert.ok(Math.abs(r.settings.lr - config.lr) < 1e-6);
      assert.equal(r.epoch.epoch, 1);
      assert.ok(r.epoch.testAccuracy > 0.8, `test accuracy ${r.epoch.testAccuracy}`);
      assert.ok(r.seconds > 0 && r.seconds < 300, `${r.seconds} s`);  // an idle machine trains this mlp epoch in under half a second
      assert.ok(r.progress.samplesPerSecond > 0);
      assert.ok(r.hasWeights);
      assert.ok(r.weightsSize > 300_000 && r.weightsSize < 1_000_000, `${r.weightsSize} bytes`);
      assert.ok(r.curves.step.length >= 3 && r.curves.step.length <= 1001, `${r.curves.step.length} points`);
      assert.equal(r.curves.testAccuracy.length, 1);
    }
    assert.equal(runs[1].epoch.testAccuracy, testA);
  });

  await t.test('the latest run\'s step curves came back with it', async () => {
    const sizes = await page.evaluate(() => window.digitrain.curveSizes());
    const [latest] = await pastRuns(page);
    assert.equal(sizes.steps, latest.curves.step.length);
    assert.ok(sizes.steps >= 3, `${sizes.steps} points`);
    assert.equal(sizes.epochs, 1);
    // The panel lists what the page handed it in a frame after the reload: wait for that frame.
    await until(async () => (await panel(page)).rows.length > 0, 5_000, 'the runs panel to draw its rows');
    const p = await panel(page);
    assert.equal(p.rows.length, 2);
    assert.equal(p.rows.find((r) => r.shown).id, b.id, 'the restored run is marked as the one on screen');
  });

  await t.test('a click on Open makes the older run the one on screen: its settings, its model on the pad', async () => {
    const open = await reveal(page, (p) => p.rows.find((r) => r.id === a.id).open);
    await page.waitForTimeout(700);  // a picture that changed without input is drawn within 0.5 s
    await page.screenshot({ path: path.join(OUT, 'runs-list.png') });
    await click(page, open);
    await page.waitForFunction((id) => window.digitrain.runsPanel().rows.some((r) => r.id === id && r.shown), a.id, { timeout: 10_000, polling: 100 });
    const p = await panel(page);
    assert.equal(p.train.batch, configA.batch);
    assert.equal(p.train.optimizer, configA.optimizer);
    assert.ok(Math.abs(p.train.lr - configA.lr) < 1e-6);
    assert.equal(p.train.preset, 'mlp');
    const now = await predict(page);
    assert.equal(now.digit, predictionA.digit);
    now.probabilities.forEach((v, i) => assert.ok(Math.abs(v - predictionA.probabilities[i]) < 1e-6, `class ${i}: ${v} vs ${predictionA.probabilities[i]}`));
    const s = await status(page);
    assert.equal(s.testAccuracy, testA);
    assert.match(await page.evaluate(() => document.getElementById('status').textContent),
      /reopened a past mlp run \(test accuracy \d+\.\d\d%; Continue trains on from its weights\)/);
    const sizes = await page.evaluate(() => window.digitrain.curveSizes());
    assert.equal(sizes.steps, a.curves.step.length);
  });

  await t.test('ticking both compares them: curves overlaid, metrics side by side', async () => {
    for (const id of [a.id, b.id]) {
      const box = await reveal(page, (p) => p.rows.find((r) => r.id === id).compare);
      await click(page, box);
    }
    await page.waitForFunction(() => window.digitrain.runsPanel().comparing.length === 2, null, { timeout: 5_000, polling: 100 });
    const p = await panel(page);
    assert.deepEqual(p.comparing.slice().sort(), [a.id, b.id].sort());
    await scrollToEnd(page);
    await frames(page, 10);
    await page.screenshot({ path: path.join(OUT, 'runs-compare.png') });
  });

  await t.test('Delete removes a run, and it stays removed after a reload', async () => {
    const del = await reveal(page, (p) => p.rows.find((r) => r.id === b.id).delete);
    await click(page, del);
    await until(async () => (await pastRuns(page)).length === 1, 10_000, 'one past run');
    assert.equal((await panel(page)).rows.length, 1);
    await page.reload();
    await ready(page);
    assert.deepEqual((await pastRuns(page)).map((r) => r.id), [a.id]);
    await frames(page);
    assert.deepEqual((await panel(page)).rows.map((r) => r.id), [a.id]);
  });

  await t.test('a run cut off by a reload and then replaced by a new run is kept as a stopped past run', async () => {
    await page.evaluate(() => window.digitrain.start({ preset: 'mlp', epochs: 3, batch: 64 }));
    await waitForState(page, ['training'], 30_000);
    await page.waitForFunction(() => window.digitrain.status().step > 20, null, { timeout: 30_000, polling: 50 });
    await page.evaluate(() => window.digitrain.pause());  // kept as it is, checkpoint and all
    await waitForState(page, ['paused'], 10_000);
    await page.waitForTimeout(500);
    await page.reload();
    await ready(page);
    const cut = await status(page);
    assert.equal(cut.resumable, true);
    const known = new Set((await pastRuns(page)).map((r) => r.id));
    await page.evaluate(() => window.digitrain.start({ preset: 'mlp', epochs: 1, batch: 64 }));  // not Continue
    await until(async () => (await pastRuns(page)).some((r) => !known.has(r.id)), 10_000, 'the cut-off run among the past runs');
    const kept = (await pastRuns(page)).find((r) => !known.has(r.id));
    assert.equal(kept.ended, 'stopped');
    assert.equal(kept.progress.step, cut.step);
    assert.equal(kept.settings.epochs, 3);
    await waitForState(page, ['training'], 30_000);
    await page.evaluate(() => window.digitrain.stop());
    await waitForState(page, ['idle'], 10_000);
    await until(async () => (await pastRuns(page)).length === known.size + 2, 10_000, 'the new run among the past runs');
  });

  await t.test('more than 10 runs: the latest 10 are kept', async () => {
    const ids = [];
    for (let i = 0; i < 10; i++) {
      const [previous] = await pastRuns(page);
      await page.evaluate(() => window.digitrain.start({ preset: 'mlp', epochs: 1, batch: 64 }));
      await waitForState(page, ['training'], 30_000);
      await page.waitForFunction(() => window.digitrain.status().step > 0, null, { timeout: 30_000, polling: 50 });
      await page.evaluate(() => window.digitrain.stop());
      await waitForState(page, ['idle'], 10_000);
      await until(async () => (await pastRuns(page))[0].id !== previous.id, 10_000, 'the stopped run among the past runs');
      const [newest] = await pastRuns(page);
      assert.equal(newest.ended, 'stopped', JSON.stringify((await pastRuns(page)).map((r) => [r.id, r.ended, r.progress && r.progress.step])));
      ids.unshift(newest.id);
    }
    const runs = await pastRuns(page);
    assert.equal(runs.length, 10);
    assert.deepEqual(runs.map((r) => r.id), ids, 'the 10 latest, newest first; the oldest went');
    assert.ok(!runs.some((r) => r.id === a.id));
    await page.reload();
    await ready(page);
    assert.equal((await pastRuns(page)).length, 10);
    await frames(page);
    assert.equal((await panel(page)).rows.length, 10);
  });

  await t.test('the runs panel at 1280x800 and on a 390x844 phone', async () => {
    await reveal(page, (p) => p.rows[0].row);
    await frames(page, 10);
    await page.screenshot({ path: path.join(OUT, 'runs-1280x800.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await frames(page, 10);
    await reveal(page, (p) => p.rows[0].row);
    await frames(page, 10);
    await page.screenshot({ path: path.join(OUT, 'runs-390x844.png') });
  });
  assert.deepEqual(errors, []);
});
