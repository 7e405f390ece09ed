// What the page shows is true: no guess without a trained network or without ink, charts with
// an epoch axis and no made-up validation point, a download announced with its size before
// Start, Fashion-MNIST's class names wherever classes appear, the isolation warning only
// when the page is not isolated. Checked through window.digitrain.shown(), the panels' own
// account of the text and marks they drew in the last frame; the actions are real pointer
// events where a person would use them.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { openApp, waitForState, ready, statusText, SITE } = require('./harness.js');
const { drawStrokes, ONE } = require('./drawing.js');

const OUT = process.env.DT_WEB_TEST_OUT || path.join(__dirname, '..', '..', 'build', 'web-test');
fs.mkdirSync(OUT, { recursive: true });

const shown = (page) => page.evaluate(() => window.digitrain.shown());
const FASHION = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
// A frame or two (the UI draws at least twice a second without input).
const nextFrames = (page) => page.waitForTimeout(700);

async function click(page, r) {
  await page.mouse.move(r.x + r.width / 2, r.y + r.height / 2);
  await page.mouse.down();
  await page.mouse.up();
  await nextFrames(page);
}

test('before a run: no guess, empty curves, no test accuracy', { timeout: 60_000 }, async (t) => {
  const { page, errors, close } = await openApp({ viewport: { width: 1280, height: 800 } });
  t.after(close);
  await ready(page);
  await nextFrames(page);
  let s = await shown(page);
  assert.equal(s.guess, '-');
  assert.equal(s.padPrompt, 'draw a digit here');
  assert.equal(s.trainingLine, 'loss -  train acc -  test acc -');
  assert.equal(s.isolationWarning, false, 'an isolated page is not told that it is not');
  assert.deepEqual(s.accuracy.series, ['train (running mean)', 'test']);
  assert.deepEqual(s.accuracy.points, [0, 0]);
  assert.equal(s.accuracy.xLabel, 'epoch');
  assert.equal(s.download, '', 'MNIST is already loaded');
  assert.equal(s.featureMaps, false);

  // Ink on the pad, but the network has not trained: still no guess.
  await drawStrokes(page, ONE);
  await nextFrames(page);
  s = await shown(page);
  assert.equal(s.padPrompt, '');
  assert.equal(s.guess, '-');
  assert.equal(s.featureMaps, true);
  assert.deepEqual(errors, []);
});

test('Fashion-MNIST: its size before Start, its class names after, and no validation point for fast', { timeout: 900_000 }, async (t) => {
  const { page, errors, close } = await openApp({ viewport: { width: 1280, height: 800 } });
  t.after(close);
  await ready(page);
  await nextFrames(page);

  // Choose the dataset in the Train panel with the mouse: the list and the note give the size.
  const rect = (name) => page.evaluate((n) => window.digitrain.widgetRect(n), name);
  assert.equal(await rect('Dataset: fashion'), null, 'the list is closed');
  await click(page, await rect('Dataset'));
  assert.ok(await rect('Dataset: mnist'), 'the open combo lists MNIST');
  await click(page, await rect('Dataset: fashion'));
  let s = await shown(page);
  const dir = path.join(SITE, 'data', 'fashion');
  const bytes = fs.readdirSync(dir).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
  assert.equal(s.download, `Start first fetches Fashion-MNIST (${(bytes / 1e6).toFixed(1)} MB download).`);
  await page.screenshot({ path: path.join(OUT, 'display-download-note.png') });

  await page.evaluate(() => window.digitrain.start({ preset: 'fast', dataset: 'fashion', epochs: 1 }));
  // While it downloads, #status counts megabytes of the whole dataset.
  await page.waitForFunction(() => /training|loading: fashion, [\d.]+ of [\d.]+ MB/.test(document.getElementById('status').textContent),
    null, { timeout: 60_000, polling: 50 });
  await waitForState(page, ['done', 'error'], 800_000);
  assert.match(await statusText(page), /^done/);

  await drawStrokes(page, ONE);
  await nextFrames(page);
  s = await shown(page);
  assert.deepEqual(s.classLabels, FASHION);
  const [name, percent] = s.guess.match(/^(.+) \(([\d.]+)%\)$/).slice(1);
  assert.ok(FASHION.includes(name), `the guess '${s.guess}' names a Fashion-MNIST class`);
  const p = await page.evaluate(() => window.digitrain.lastPrediction());
  assert.equal(name, FASHION[p.digit]);
  assert.ok(Math.abs(Number(percent) - 100 * p.probabilities[p.digit]) <= 0.051, `${s.guess} against ${p.probabilities[p.digit]}`);
  assert.deepEqual(s.confusionRows, FASHION.map((c, k) => `${k} ${c}`));
  assert.equal(s.download, '', 'Fashion-MNIST is loaded now');
  assert.match(s.trainingLine, /^loss [\d.]+  test acc [\d.]+%  train acc [\d.]+% \(running, this epoch\)$/);
  // fast keeps no validation split: no validation series, one test point after one epoch.
  assert.deepEqual(s.accuracy.series, ['train (running mean)', 'test']);
  assert.deepEqual(s.loss.series, ['train (running mean)']);
  assert.equal(s.accuracy.points[1], 1);
  assert.ok(s.accuracy.points[0] > 10, 'the training curve has its points');
  await page.screenshot({ path: path.join(OUT, 'display-fashion-trained.png') });

  // A cleared pad: no guess and no feature maps, the prompt in the dataset's words.
  await page.evaluate(() => window.digitrain.clearPad());
  await nextFrames(page);
  s = await shown(page);
  assert.equal(s.guess, '-');
  assert.equal(s.featureMaps, false);
  assert.equal(s.padPrompt, 'draw a trouser, a bag, a shoe...');
  assert.deepEqual(errors, []);
});

// While a run trains and nobody touches the page, the UI builds and draws about once a second
// (each frame's work takes CPU from the training threads); a pointer or a new window size
// brings its frames back at once.
test('while a run trains untouched, the UI sleeps between pictures; input wakes it at once', { timeout: 120_000 }, async (t) => {
  const { page, errors, close } = await openApp({ viewport: { width: 1280, height: 800 } });
  t.after(close);
  await ready(page);
  await page.evaluate(() => window.digitrain.start({ preset: 'keras-cnn', epochs: 2 }));
  await waitForState(page, ['training'], 60_000);
  await page.waitForFunction(() => window.digitrain.status().step > 20, null, { timeout: 60_000, polling: 100 });
  await page.waitForTimeout(1500);  // past the second the UI stays awake after news
  const quiet = async (ms) => {
    const a = await shown(page);
    await page.waitForTimeout(ms);
    const b = await shown(page);
    return { frames: b.frames - a.frames, pictures: b.pictures - a.pictures };
  };
  const untouched = await quiet(4000);
  // Awake, it builds every animation frame while input lasts and 10 times a second otherwise.
  assert.ok(untouched.frames <= 16, `${untouched.frames} frames in 4 s of training without input`);
  assert.ok(untouched.pictures >= 2, `the progress is still drawn: ${untouched.pictures} pictures in 4 s`);

  const woken = async (what, act) => {
    const before = (await shown(page)).frames;
    await act();
    await page.waitForTimeout(400);
    const after = (await shown(page)).frames;
    assert.ok(after - before >= 3, `${what}: ${after - before} frames in the 0.4 s after it`);
  };
  await woken('a pointer moved over the canvas', () => page.mouse.move(640, 400));
  await page.waitForTimeout(1500);
  await woken('a new window size', () => page.setViewportSize({ width: 800, height: 600 }));
  await page.waitForTimeout(300);
  const start = await page.evaluate(() => window.digitrain.widgetRect('Start'));
  assert.ok(start && start.x + start.width <= 800 && start.y + start.height <= 600, `the layout follows 800x600: Start at ${JSON.stringify(start)}`);
  assert.equal((await page.evaluate(() => window.digitrain.status())).state, 'training', 'the run trained throughout');
  await page.evaluate(() => window.digitrain.stop());
  assert.deepEqual(errors, []);
});

test('the single-thread warning shows when the page is not isolated', { timeout: 60_000 }, async (t) => {
  const { page, close } = await openApp({ isolation: false, viewport: { width: 1280, height: 800 } });
  t.after(close);
  await ready(page);
  await nextFrames(page);
  assert.equal((await shown(page)).isolationWarning, true);
});
