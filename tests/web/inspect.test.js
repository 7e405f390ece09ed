// Inside the network: the Inspect panel lists every layer of `fast` (convolutions, batch
// norm, pooling, ReLU, dense) with its output shape and parameter count, and shows what a
// drawn digit produces after each one. Layers are chosen by real clicks; what is shown is
// checked against the architecture and against the engine's own arithmetic between layers
// (a 2x2 max pool keeps each channel's largest value, ReLU clips at 0, the softmax is the
// pad's guess).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { openApp, waitForState, ready, frames } = require('./harness.js');
const { drawStrokes, SEVEN } = require('./drawing.js');

const OUT = process.env.DT_WEB_TEST_OUT || path.join(__dirname, '..', '..', 'build', 'web-test');
fs.mkdirSync(OUT, { recursive: true });


// `fast`, layer by layer: name, output shape and trainable parameters (weights + biases; batch
// norm's gamma and beta, not its running statistics).
const conv = (k, c, oc) => k * k * c * oc + oc;
const dense = (i, o) => i * o + o;
const FAST = [
  ['conv2d 32 3x3 valid', [26, 26, 32], conv(3, 1, 32)],
  ['batchnorm', [26, 26, 32], 2 * 32],
  ['maxpool 2', [13, 13, 32], 0],
  ['relu', [13, 13, 32], 0],
  ['conv2d 32 3x3 valid', [11, 11, 32], conv(3, 32, 32)],
  ['batchnorm', [11, 11, 32], 2 * 32],
  ['maxpool 2', [5, 5, 32], 0],
  ['relu', [5, 5, 32], 0],
  ['flatten', [1, 1, 800], 0],
  ['dense 128', [1, 1, 128], dense(800, 128)],
  ['batchnorm', [1, 1, 128], 2 * 128],
  ['relu', [1, 1, 128], 0],
  ['dense 10', [1, 1, 10], dense(128, 10)],
];

// Wheels `window` until the element at `rect()` (x, y, w, h in CSS pixels) is wholly in view
// below its title bar; returns its centre.
async function reveal(page, windowName, rect) {
  const viewport = page.viewportSize();
  for (let i = 0; i < 40; i++) {
    const r = await rect();
    const win = await page.evaluate((n) => window.digitrain.windowScroll(n), windowName);
    const bottom = Math.min(viewport.height, win.y + win.height);
    if (r && r.y >= win.y + 20 && r.y + r.height <= bottom) return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    await page.mouse.move(win.x + win.width / 2, win.y + win.height / 2);
    await page.mouse.wheel(0, !r || r.y + r.height > bottom ? 60 : -60);
    await frames(page, 4);
  }
  throw new Error(`never came into view in ${windowName}`);
}

// The occlusion map's value at (row, col) as the page computes it (nn/attribution.h, with the
// page's 5x5 patch at stride 2), from the model's own answers through predict(): the mean, over
// the patches covering the pixel, of the drop in p(k) when the patch is set to 0.
function occlusionAt(page, pixels, k, row, col) {
  return page.evaluate(({ pixels, k, row, col }) => {
    const size = 5, stride = 2, side = 28;
    const starts = [];
    for (let s = 0; s + size <= side; s += stride) starts.push(s);
    if (starts[starts.length - 1] !== side - size) starts.push(side - size);
    const base = window.digitrain.predict(pixels).probabilities[k];
    let sum = 0, count = 0;
    for (const y of starts) for (const x of starts) {
      if (row < y || row >= y + size || col < x || col >= x + size) continue;
      const hidden = pixels.slice();
      for (let dy = 0; dy < size; dy++) for (let dx = 0; dx < size; dx++) hidden[(y + dy) * side + x + dx] = 0;
      sum += base - window.digitrain.predict(hidden).probabilities[k];
      count++;
    }
    return sum / count;
  }, { pixels, k, row, col });
}

// A click on the layer list's row for layer k (1-based), wheeling the Inspect window until the
// row is in view; resolves to what the panel then shows.
async function chooseLayer(page, k) {
  const viewport = page.viewportSize();
  for (let i = 0; i < 30; i++) {
    const r = await page.evaluate((n) => window.digitrain.widgetRect(n), `Layer ${k}`);
    const win = await page.evaluate(() => window.digitrain.windowScroll('Inspect'));
    const bottom = Math.min(viewport.height, win.y + win.height);
    if (r && r.y >= win.y + 20 && r.y + r.height <= bottom) {
      await page.mouse.click(r.x + 20, r.y + r.height / 2);
      await frames(page, 6);
      return page.evaluate(() => window.digitrain.shown().inspect);
    }
    await page.mouse.move(win.x + win.width / 2, win.y + win.height / 2);
    await page.mouse.wheel(0, !r || r.y + r.height > bottom ? 60 : -60);
    await frames(page, 4);
  }
  throw new Error(`the row of layer ${k} never came into view`);
}

test('data at a glance: the split\'s class counts and training samples, with and without augmentation', { timeout: 120_000 }, async (t) => {
  const { page, errors, close } = await openApp({ viewport: { width: 1280, height: 800 } });
  t.after(close);
  await ready(page);
  const header = await reveal(page, 'Train', () => page.evaluate(() => window.digitrain.widgetRect('Data at a glance')));
  await page.mouse.click(header.x, header.y);
  await page.waitForFunction(() => window.digitrain.shown().data.samples > 0, null, { timeout: 10_000, polling: 100 });
  let data = await page.evaluate(() => window.digitrain.shown().data);
  // keras-cnn holds out 10% of MNIST's 60,000 training images for validation.
  const sum = (v) => v.reduce((a, b) => a + b, 0);
  assert.equal(data.dataset, 'mnist');
  assert.equal(sum(data.trainCounts), 54000);
  assert.equal(sum(data.valCounts), 6000);
  data.trainCounts.forEach((n, k) => assert.ok(n > 4000 && n < 7500, `class ${k}: ${n}`));
  assert.equal(data.samples, 24);
  assert.equal(data.augmented, false);
  // Augmentation ticked in the Train panel: the samples come again, transformed.
  const tick = await reveal(page, 'Train', () => page.evaluate(() => window.digitrain.widgetRect('Augment')));
  await page.mouse.click(tick.x, tick.y);
  await page.waitForFunction(() => window.digitrain.shown().data.augmented, null, { timeout: 10_000, polling: 100 });
  data = await page.evaluate(() => window.digitrain.shown().data);
  assert.equal(sum(data.trainCounts), 54000, 'the same split');
  const train = await page.evaluate(() => window.digitrain.windowScroll('Train'));
  await page.mouse.move(train.x + train.width / 2, train.y + train.height / 2);
  await page.mouse.wheel(0, 5000);  // to the samples at the bottom
  await page.mouse.move(train.x + train.width + 50, 10);
  await frames(page, 8);
  await page.screenshot({ path: path.join(OUT, 'data-at-a-glance.png') });
  assert.deepEqual(errors, []);
});

// `best` as a person picks it: its training settings come with it (augmentation on, the whole
// training set, no validation split), Data at a glance shows its samples, and its recipe trains
// in the page. One epoch here (its one-cycle schedule squeezed into it); its full 20 epochs are
// `make bench`'s browser_best stage.
test('best: chosen in the controls, its data shown, one epoch of its recipe in the page >= 99%', { timeout: 600_000 }, async (t) => {
  const { page, errors, close } = await openApp({ viewport: { width: 1280, height: 800 } });
  t.after(close);
  await ready(page);
  await page.waitForFunction(() => document.querySelector('#controls [name=preset]').options.length > 1, null, { timeout: 5_000, polling: 50 });
  await page.selectOption('#controls [name=preset]', 'best');
  await page.waitForFunction(() => window.digitrain.trainPanel().preset === 'best', null, { timeout: 2_000, polling: 50 });
  const panel = await page.evaluate(() => window.digitrain.trainPanel());
  assert.equal(panel.settings.augment, true);
  assert.equal(panel.settings.epochs, 20);
  assert.equal(panel.settings.batch, 64);

  const header = await reveal(page, 'Train', () => page.evaluate(() => window.digitrain.widgetRect('Data at a glance')));
  await page.mouse.click(header.x, header.y);
  await page.waitForFunction(() => window.digitrain.shown().data.samples > 0, null, { timeout: 10_000, polling: 100 });
  const data = await page.evaluate(() => window.digitrain.shown().data);
  const sum = (v) => v.reduce((a, b) => a + b, 0);
  assert.equal(sum(data.trainCounts), 60000, 'best trains on the whole training set');
  assert.equal(sum(data.valCounts), 0);
  assert.equal(data.augmented, true);

  await page.evaluate(() => window.digitrain.start({ preset: 'best', epochs: 1, seed: 1 }));
  const s = await waitForState(page, ['done', 'error'], 480_000);
  assert.equal(s.state, 'done', s.message);
  assert.ok(s.testAccuracy >= 0.99, `test accuracy ${s.testAccuracy}`);
  fs.writeFileSync(path.join(OUT, 'best-one-epoch.json'), JSON.stringify(s));
  assert.deepEqual(errors, []);
});

test('inspect: every layer of fast, its output for a drawn digit checked against the engine', { timeout: 900_000 }, async (t) => {
  const { page, errors, close } = await openApp({ viewport: { width: 1280, height: 800 } });
  t.after(close);
  await ready(page);
  await page.evaluate(() => window.digitrain.start({ preset: 'fast', epochs: 1, seed: 1 }));
  await waitForState(page, ['done'], 600_000);
  await drawStrokes(page, SEVEN);
  await frames(page, 6);

  const shown = [];
  for (let k = 1; k <= FAST.length; k++) {
    const s = await chooseLayer(page, k);
    const [name, shape, params] = FAST[k - 1];
    assert.equal(s.layer, k - 1, `layer ${k} chosen by its row`);
    assert.equal(s.name, name);
    assert.deepEqual(s.shape, shape, `layer ${k}'s output shape`);
    assert.equal(s.params, params, `layer ${k}'s parameters`);
    const spatial = shape[0] * shape[1] > 1;
    assert.equal(s.outputView, spatial ? 'maps' : k === FAST.length ? 'softmax' : 'bars');
    assert.equal(s.values.length, spatial ? shape[2] : shape[2] * shape[0] * shape[1]);
    assert.equal(s.weightsView, name.startsWith('conv2d') ? 'filters' : name.startsWith('dense') ? 'unit' : '');
    if (name.startsWith('conv2d') || name.startsWith('dense')) assert.ok(s.weightExtent > 0);
    shown.push(s);
    if (k === 1 || k === 10) await page.screenshot({ path: path.join(OUT, `inspect-layer-${k}.png`) });
  }
  const values = (k) => shown[k - 1].values;
  const relu = (v) => v.map((x) => Math.max(0, x));
  // A 2x2 max pool over 26x26 maps covers every pixel: each channel keeps its largest value;
  // over 11x11 it drops the last row and column, so it can only be smaller.
  assert.deepEqual(values(3), values(2));
  values(7).forEach((v, c) => assert.ok(v <= values(6)[c], `channel ${c}: ${v} > ${values(6)[c]}`));
  assert.deepEqual(values(4), relu(values(3)));
  assert.deepEqual(values(8), relu(values(7)));
  assert.deepEqual(values(12), relu(values(11)));
  // The last layer shows the softmax: the pad's guess, exactly.
  const guess = await page.evaluate(() => window.digitrain.lastPrediction());
  assert.deepEqual(values(13), guess.probabilities);

  await t.test('why this guess: gradient x input and occlusion maps of a test image, against the model\'s own answers', async () => {
    // The most confidently wrong test image goes onto the pad, by a click in the gallery.
    const n = (await page.evaluate(() => window.digitrain.shown().mistakes)).shown[0];
    const at = await reveal(page, 'Evaluate', async () => {
      const c = (await page.evaluate(() => window.digitrain.shown().mistakes)).cells[0];
      return c && { x: c[0], y: c[1], width: c[2], height: c[3] };
    });
    await page.mouse.click(at.x, at.y);
    await page.waitForFunction((want) => window.digitrain.shown().mistakes.padTestIndex === want, n, { timeout: 5_000, polling: 50 });
    await frames(page, 6);
    const sample = await page.evaluate((k) => window.digitrain.testSample(k), n);
    const guessed = await page.evaluate(() => window.digitrain.lastPrediction());
    let why = await page.evaluate(() => window.digitrain.shown().why);
    assert.equal(why.method, 'gradient');
    assert.equal(why.class, guessed.digit, 'the guess is explained');
    assert.equal(why.map.length, 784);
    // Gradient x input: no ink, no attribution; ink somewhere, some.
    sample.pixels.forEach((v, i) => { if (v === 0) assert.equal(why.map[i], 0, `pixel ${i} has no ink`); });
    assert.ok(why.extent > 0);

    const radio = await reveal(page, 'Inspect', () => page.evaluate(() => window.digitrain.widgetRect('Why: occlusion')));
    await page.mouse.click(radio.x, radio.y);
    await page.waitForFunction(() => window.digitrain.shown().why.method === 'occlusion', null, { timeout: 5_000, polling: 50 });
    why = await page.evaluate(() => window.digitrain.shown().why);
    // The pixel with the largest |value|, and one on the digit's edge: as predict() says.
    const top = why.map.reduce((best, v, i) => (Math.abs(v) > Math.abs(why.map[best]) ? i : best), 0);
    for (const i of [top, why.map.findIndex((v) => v !== 0)]) {
      const expected = await occlusionAt(page, sample.pixels, why.class, Math.floor(i / 28), i % 28);
      assert.ok(Math.abs(why.map[i] - expected) < 1e-4, `pixel ${i}: shown ${why.map[i]}, predict() gives ${expected}`);
    }
    assert.ok(Math.abs(why.map[top]) > 0.01, `the top pixel matters: ${why.map[top]}`);
    await page.screenshot({ path: path.join(OUT, 'inspect-why-occlusion.png') });
  });
  assert.deepEqual(errors, []);
});

// A preset's layers as the engine names them, with output shapes and trainable parameters,
// worked out here from its architecture (src/recipe/presets.cpp).
function layersOf(architecture) {
  let [h, w, c] = [28, 28, 1];
  return architecture.map(([kind, ...a]) => {
    if (kind === 'conv') {
      const [filters, k, same] = a;
      const params = conv(k, c, filters);
      if (!same) { h -= k - 1; w -= k - 1; }
      c = filters;
      return [`conv2d ${filters} ${k}x${k} ${same ? 'same' : 'valid'}`, [h, w, c], params];
    }
    if (kind === 'dense') {
      const params = dense(h * w * c, a[0]);
      [h, w, c] = [1, 1, a[0]];
      return [`dense ${a[0]}`, [h, w, c], params];
    }
    if (kind === 'maxpool') { h = Math.floor(h / 2); w = Math.floor(w / 2); return ['maxpool 2', [h, w, c], 0]; }
    if (kind === 'flatten') { [h, w, c] = [1, 1, h * w * c]; return ['flatten', [h, w, c], 0]; }
    if (kind === 'batchnorm') return ['batchnorm', [h, w, c], 2 * c];
    if (kind === 'dropout') return [`dropout ${a[0]}`, [h, w, c], 0];
    if (kind === 'standardize') return ['standardize mean 0.1307 std 0.3081', [h, w, c], 0];
    return [kind, [h, w, c], 0];  // relu
  });
}
const PRESETS = {
  mlp: [['flatten'], ['dense', 100], ['relu'], ['dense', 100], ['relu'], ['dense', 10]],
  'keras-cnn': [['conv', 32, 3], ['relu'], ['maxpool'], ['conv', 64, 3], ['relu'], ['maxpool'], ['conv', 64, 3], ['relu'],
    ['flatten'], ['dense', 64], ['relu'], ['dense', 10]],
  'keras-cnn-dropout': [['conv', 32, 3], ['relu'], ['maxpool'], ['conv', 64, 3], ['relu'], ['maxpool'], ['flatten'],
    ['dense', 64], ['relu'], ['dropout', 0.5], ['dense', 10]],
  'torch-lenet': [['standardize'], ['conv', 32, 5, true], ['relu'], ['maxpool'], ['conv', 64, 5, true], ['relu'], ['maxpool'],
    ['flatten'], ['dense', 1024], ['relu'], ['dense', 10]],
  best: [['conv', 32, 5], ['batchnorm'], ['maxpool'], ['relu'], ['dropout', 0.25], ['conv', 64, 5], ['batchnorm'], ['maxpool'],
    ['relu'], ['dropout', 0.25], ['flatten'], ['dense', 256], ['batchnorm'], ['relu'], ['dropout', 0.3], ['dense', 10]],
};

test('inspect and why for every other preset: mlp (no conv, its first layer as 28x28 templates), dropout, standardize, 5x5 convs', { timeout: 600_000 }, async (t) => {
  const { page, errors, close } = await openApp({ viewport: { width: 1280, height: 800 } });
  t.after(close);
  await ready(page);
  await drawStrokes(page, SEVEN);
  for (const [preset, architecture] of Object.entries(PRESETS)) {
    // A few hundred steps: the views need a model, not a trained one.
    await page.evaluate((p) => window.digitrain.start({ preset: p, epochs: 1, seed: 1 }), preset);
    await page.waitForFunction(() => window.digitrain.status().samplesSeen >= 2000, null, { timeout: 120_000, polling: 100 });
    await page.evaluate(() => window.digitrain.stop());
    await waitForState(page, ['done', 'idle'], 60_000);
    await frames(page, 10);
    const layers = layersOf(architecture);
    for (let k = 1; k <= layers.length; k++) {
      const s = await chooseLayer(page, k);
      const [name, shape, params] = layers[k - 1];
      const where = `${preset} layer ${k}`;
      assert.equal(s.layer, k - 1, where);
      assert.equal(s.name, name, where);
      assert.deepEqual(s.shape, shape, where);
      assert.equal(s.params, params, where);
      const spatial = shape[0] * shape[1] > 1;
      assert.equal(s.outputView, spatial ? 'maps' : k === layers.length ? 'softmax' : 'bars', where);
      const weights = name.startsWith('conv2d') ? 'filters' : !name.startsWith('dense') ? '' : preset === 'mlp' && k === 2 ? 'templates' : 'unit';
      assert.equal(s.weightsView, weights, where);
      if (weights === 'templates') {  // wheeled down to them for the screenshot
        const win = await page.evaluate(() => window.digitrain.windowScroll('Inspect'));
        await page.mouse.move(win.x + win.width / 2, win.y + win.height / 2);
        await page.mouse.wheel(0, 5000);
        await frames(page, 8);
        await page.screenshot({ path: path.join(OUT, 'inspect-mlp-templates.png') });
      }
      if (k === layers.length) {
        const guess = await page.evaluate(() => window.digitrain.lastPrediction());
        assert.deepEqual(s.values, guess.probabilities, `${preset}: the softmax shown is the pad's guess`);
        const why = await page.evaluate(() => window.digitrain.shown().why);
        assert.equal(why.class, guess.digit, `${preset}: why explains the guess`);
        assert.equal(why.map.length, 784);
        assert.ok(why.extent > 0, `${preset}: the map is not empty`);
      }
    }
  }
  assert.deepEqual(errors, []);
});
