// int8 for deployment in the page: after a run, the Train panel's Quantise button (a real
// click) makes the int8 model of the weights on screen in the worker; the panel shows its test
// accuracy beside the float model's, the file sizes and one image's time; the pad answers with
// both models; Save int8 downloads a file about a quarter of the float one; new weights drop it.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { openApp, waitForState, ready, frames, press } = require('./harness.js');
const { drawStrokes, SEVEN } = require('./drawing.js');

const OUT = process.env.DT_WEB_TEST_OUT || path.join(__dirname, '..', '..', 'build', 'web-test');
fs.mkdirSync(OUT, { recursive: true });

const shown = (page) => page.evaluate(() => window.digitrain.shown());
const rect = (page, name) => page.evaluate((n) => window.digitrain.widgetRect(n), name);

// "int8: test 98.95% (float 99.01%, -0.06 points); 117 KB, 3.9x smaller; one image 22 us (float 25 us)"
function parseLine(line) {
  const m = line.match(/^int8: test ([\d.]+)% \(float ([\d.]+)%, ([-+][\d.]+) points\); (\d+) KB, ([\d.]+)x smaller; one image (\d+) us \(float (\d+) us\)$/);
  assert.ok(m, `the int8 line reads as a report: ${JSON.stringify(line)}`);
  return { int8: Number(m[1]), float: Number(m[2]), kb: Number(m[4]), smaller: Number(m[5]), int8Us: Number(m[6]), floatUs: Number(m[7]) };
}

// The safetensors header of a file, as JSON.
function header(bytes) {
  const n = Number(bytes.readBigUInt64LE(0));
  return JSON.parse(bytes.subarray(8, 8 + n).toString('utf8'));
}

test('int8 in the page: Quantise, the report, both guesses on the pad, Save int8', { timeout: 600_000 }, async (t) => {
  const { page, errors, close } = await openApp({ viewport: { width: 1280, height: 800 } });
  t.after(close);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digitrain-int8-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  await ready(page);
  await page.waitForFunction(() => !document.querySelector('#controls [data-action=start]').disabled, null, { timeout: 10_000, polling: 50 });
  await frames(page, 10);

  await t.test('before a run there is nothing to quantise', async () => {
    assert.equal((await shown(page)).int8, '');
    const r = await rect(page, 'Quantise');
    assert.ok(r && r.width > 0, 'the button is drawn');
  });

  let trained;
  await t.test('one epoch of fast', async () => {
    await page.selectOption('#controls [name=preset]', 'fast');
    await frames(page, 4);
    await press(page, 'Start');
    await waitForState(page, ['training'], 30_000);
    trained = await waitForState(page, ['done'], 300_000);
    assert.ok(trained.testAccuracy > 0.98, `test accuracy ${trained.testAccuracy}`);
  });

  let report;
  await t.test('Quantise: the int8 model tested beside the float one, within 0.1 points', async () => {
    await frames(page, 10);
    await press(page, 'Quantise');
    await page.waitForFunction(() => /^int8: test/.test(window.digitrain.shown().int8), null, { timeout: 120_000, polling: 100 });
    report = parseLine((await shown(page)).int8);
    assert.equal(report.float.toFixed(2), (100 * trained.testAccuracy).toFixed(2), 'the float model is the run on screen');
    assert.ok(Math.abs(report.int8 - report.float) <= 0.1 + 1e-9, `int8 ${report.int8}% against float ${report.float}%`);
    assert.ok(report.smaller > 3.5 && report.smaller < 4.2, `${report.smaller}x smaller`);
    assert.ok(report.int8Us > 0 && report.floatUs > 0);
    assert.match(await page.textContent('#announce'), /int8 model: test accuracy/);
  });

  await t.test('the pad answers with both models', async () => {
    await drawStrokes(page, SEVEN);
    await page.waitForFunction(() => window.digitrain.shown().int8Guess !== '', null, { timeout: 10_000, polling: 50 });
    const s = await shown(page);
    assert.match(s.guess, /^7 \(/);
    assert.match(s.int8Guess, /^7 \(/, `int8 guess ${s.int8Guess}`);
    const p = (text) => Number(text.match(/\(([\d.]+)%\)/)[1]);
    assert.ok(Math.abs(p(s.guess) - p(s.int8Guess)) < 5, `${s.guess} against ${s.int8Guess}`);
    await page.screenshot({ path: path.join(OUT, 'int8.png') });
  });

  await t.test('Save int8 downloads the int8 file: a quarter of the float one, int8 weights', async () => {
    const [int8] = await Promise.all([page.waitForEvent('download'), press(page, 'Save int8')]);
    assert.equal(int8.suggestedFilename(), 'digitrain-fast-int8.safetensors');
    const int8File = path.join(dir, 'int8.safetensors');
    await int8.saveAs(int8File);
    const [float] = await Promise.all([page.waitForEvent('download'), press(page, 'Save')]);
    const floatFile = path.join(dir, 'float.safetensors');
    await float.saveAs(floatFile);
    const a = fs.readFileSync(int8File), b = fs.readFileSync(floatFile);
    assert.ok(a.length * 3.5 < b.length, `${a.length} bytes against ${b.length}`);
    assert.equal(Math.round(a.length / 1e3), report.kb);
    const h = header(a);
    assert.equal(h.__metadata__.quantization, 'int8');
    assert.equal(h['layers.0.weight'].dtype, 'I8');
  });

  await t.test('Reset drops the int8 model with the weights it was made from', async () => {
    await press(page, 'Reset');
    await page.waitForFunction(() => window.digitrain.shown().int8 === '', null, { timeout: 10_000, polling: 50 });
    assert.equal((await shown(page)).int8Guess, '');
  });

  assert.deepEqual(errors, []);
});
