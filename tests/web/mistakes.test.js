// What the network gets wrong: after a run, the Evaluate window's gallery lists the test
// images the model misclassifies, the most confidently wrong first. Checked against the
// engine itself (the page's model run on every test image through window.digitrain.predict),
// then through real clicks: a confusion cell filters the gallery, a thumbnail goes onto the
// pad, where the network then sees exactly that test image.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { openApp, waitForState, ready, frames, click } = require('./harness.js');
const { drawStrokes, ONE } = require('./drawing.js');

const OUT = process.env.DT_WEB_TEST_OUT || path.join(__dirname, '..', '..', 'build', 'web-test');
fs.mkdirSync(OUT, { recursive: true });

const gallery = (page) => page.evaluate(() => window.digitrain.shown().mistakes);

// Wheels the Evaluate window until the gallery's k-th thumbnail is wholly in view; returns it.
async function revealThumbnail(page, k) {
  const viewport = page.viewportSize();
  for (let i = 0; i < 30; i++) {
    const cell = (await gallery(page)).cells[k];
    assert.ok(cell, `thumbnail ${k} is drawn`);
    const [x, y, w, h] = cell;
    if (y >= 0 && y + h <= viewport.height) return { x: x + w / 2, y: y + h / 2 };
    const win = await page.evaluate(() => window.digitrain.windowScroll('Evaluate'));
    await page.mouse.move(win.x + win.width / 2, win.y + win.height / 2);
    await page.mouse.wheel(0, y + h > viewport.height ? 120 : -120);
    await frames(page, 4);
  }
  throw new Error(`thumbnail ${k} never came into view`);
}

// Every test image through the page's model (the run's final weights): each one's label, the
// class it predicts and the probability it gives that class.
function engineAnswers(page) {
  return page.evaluate(() => {
    const out = [];
    for (let n = 0; ; n++) {
      const s = window.digitrain.testSample(n);
      if (!s) return out;
      const p = window.digitrain.predict(s.pixels);
      out.push({ n, label: s.label, predicted: p.digit, confidence: p.probabilities[p.digit] });
    }
  });
}

test('mistakes: ranked by confidence as the engine computes them, filtered by a confusion cell, put on the pad', { timeout: 600_000 }, async (t) => {
  const { page, errors, close } = await openApp({ viewport: { width: 1280, height: 800 } });
  t.after(close);
  await ready(page);
  assert.equal((await gallery(page)).matching, 0, 'no mistakes before a run');
  await page.evaluate(() => window.digitrain.start({ preset: 'mlp', epochs: 1, seed: 1 }));
  await waitForState(page, ['done'], 300_000);
  await page.waitForFunction(() => window.digitrain.shown().mistakes.shown.length > 0, null, { timeout: 10_000, polling: 100 });

  await t.test('every mistake, the most confidently wrong first', async () => {
    const answers = await engineAnswers(page);
    assert.equal(answers.length, 10000);
    const wrong = answers.filter((a) => a.predicted !== a.label).sort((a, b) => b.confidence - a.confidence);
    const g = await gallery(page);
    const confusion = await page.evaluate(() => window.digitrain.confusion());
    const offDiagonal = confusion.reduce((sum, row, i) => sum + row.reduce((s, v, j) => s + (i === j ? 0 : v), 0), 0);
    assert.equal(g.matching, offDiagonal, 'the gallery counts the confusion matrix\'s mistakes');
    // The engine in one image at a time and the evaluation in batches may differ in the last
    // bits, so the count may differ by an image that sits on a class boundary.
    assert.ok(Math.abs(wrong.length - g.matching) <= 2, `${wrong.length} wrong by the page's model, ${g.matching} in the gallery`);
    assert.equal(g.shown.length, 30);
    const byIndex = new Map(answers.map((a) => [a.n, a]));
    let last = Infinity;
    for (const n of g.shown) {
      const a = byIndex.get(n);
      assert.notEqual(a.predicted, a.label, `test image ${n} is a mistake`);
      assert.ok(a.confidence <= last + 1e-5, `ranked by confidence: ${a.confidence} after ${last}`);
      last = a.confidence;
    }
    // Nothing left out is more confidently wrong than the last one shown.
    const shown = new Set(g.shown);
    const missed = wrong.filter((a) => !shown.has(a.n) && a.confidence > last + 1e-5);
    assert.deepEqual(missed, [], 'mistakes more confident than the last shown');
  });

  await t.test('a click on a confusion cell shows that cell\'s mistakes', async () => {
    const confusion = await page.evaluate(() => window.digitrain.confusion());
    let cell = [0, 1];
    confusion.forEach((row, i) => row.forEach((v, j) => { if (i !== j && v > confusion[cell[0]][cell[1]]) cell = [i, j]; }));
    const [truth, predicted] = cell;
    const r = await page.evaluate(([i, j]) => window.digitrain.confusionCellRect(i, j), cell);
    await click(page, r.x + r.width / 2, r.y + r.height / 2);
    const g = await gallery(page);
    assert.equal(g.truth, truth);
    assert.equal(g.predicted, predicted);
    assert.equal(g.matching, confusion[truth][predicted]);
    for (const n of g.shown) {
      const s = await page.evaluate((k) => window.digitrain.testSample(k), n);
      assert.equal(s.label, truth);
    }
  });

  await t.test('a click on a thumbnail puts that test image on the pad, exactly', async () => {
    const g = await gallery(page);
    const k = Math.min(2, g.shown.length - 1);
    const n = g.shown[k];
    const at = await revealThumbnail(page, k);
    await click(page, at.x, at.y);
    await page.waitForFunction((want) => window.digitrain.shown().mistakes.padTestIndex === want, n, { timeout: 5_000, polling: 50 });
    await frames(page, 4);
    const onPad = await page.evaluate(() => window.digitrain.lastPrediction());
    const direct = await page.evaluate((k) => window.digitrain.predict(window.digitrain.testSample(k).pixels), n);
    assert.deepEqual(onPad, direct, 'the pad\'s guess is the model\'s answer on the test image itself');
    assert.equal((await page.evaluate(() => window.digitrain.shown())).padPrompt, '');
    await page.screenshot({ path: path.join(OUT, 'mistakes-1280x800.png') });
    // Ink drawn over it makes it a drawing again.
    await drawStrokes(page, ONE);
    await frames(page, 4);
    assert.equal((await gallery(page)).padTestIndex, -1);
  });
  assert.deepEqual(errors, []);
});
