// Model files in: a run trained in the page and saved with the Train panel's Save button is
// opened again after a reload through the Open button's file picker, and comes back whole: the
// same test accuracy and confusion matrix, the same answers on the pad; a reload keeps it, and
// Continue trains it on.
// A file dropped on the page that is not a digitrain model, or a foreign .safetensors, is
// refused with the reason and changes nothing.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { openApp, waitForState, ready, status, statusText, frames, click: clickAt } = require('./harness.js');

const OUT = process.env.DT_WEB_TEST_OUT || path.join(__dirname, '..', '..', 'build', 'web-test');
fs.mkdirSync(OUT, { recursive: true });

// A fixed image for the pad's model to answer on (a thick stroke).
const PIXELS = Array.from({ length: 784 }, (_, i) => {
  const x = i % 28, y = Math.floor(i / 28);
  return x >= 12 && x <= 15 && y >= 4 && y <= 23 ? 1 : x === 11 && y > 10 ? 0.5 : 0;
});

// `fast`'s trainable parameters: two 3x3 convs, batch norms' gamma and beta, dense 800-128-10.
const FAST_PARAMETERS = (3 * 3 * 1 * 32 + 32) + 2 * 32 + (3 * 3 * 32 * 32 + 32) + 2 * 32 + (800 * 128 + 128) + 2 * 128 + (128 * 10 + 10);
const predict = (page) => page.evaluate((p) => window.digitrain.predict(p), PIXELS);
const shown = (page) => page.evaluate(() => window.digitrain.shown());
const announced = (page) => page.textContent('#announce');

// The page is up and its UI has drawn the idle Train panel a few times since: a click on it
// right after a reload can land before the panel takes pointer input.
async function settled(page) {
  await ready(page);
  await page.waitForFunction(() => window.digitrain.trainPanel() && window.digitrain.trainPanel().allowed.start, null, { timeout: 10_000, polling: 100 });
  await frames(page, 10);
}

// A real click in the middle of a named Train panel button.
async function press(page, name) {
  const r = await page.evaluate((n) => window.digitrain.widgetRect(n), name);
  assert.ok(r && r.width > 0, `the ${name} button is on screen`);
  await clickAt(page, r.x + r.width / 2, r.y + r.height / 2);
}

// A file dropped on the canvas, as the browser delivers a drag from the desktop.
async function drop(page, name, bytes) {
  await page.evaluate(({ name, bytes }) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(bytes)], name, { type: 'application/octet-stream' }));
    const canvas = document.getElementById('canvas');
    const rect = canvas.getBoundingClientRect();
    const at = { bubbles: true, cancelable: true, dataTransfer: transfer, clientX: rect.width / 2, clientY: rect.height / 2 };
    canvas.dispatchEvent(new DragEvent('dragenter', at));
    canvas.dispatchEvent(new DragEvent('dragover', at));
    canvas.dispatchEvent(new DragEvent('drop', at));
  }, { name, bytes: Array.from(bytes) });
}

// A .safetensors file of someone else's: a valid header with a tensor, but no architecture.
function foreignFile() {
  const header = Buffer.from(JSON.stringify({ __metadata__: { format: 'pt' }, weight: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(header.length));
  return Buffer.concat([length, header, Buffer.alloc(8)]);
}

test('a saved model opened again: same accuracy, same answers, trains on; bad files change nothing', { timeout: 600_000 }, async (t) => {
  const { page, errors, close } = await openApp({ viewport: { width: 1280, height: 800 } });
  t.after(close);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digitrain-open-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  await ready(page);

  // One epoch of `fast`, then Save: the download is the model file.
  await page.evaluate(() => window.digitrain.start({ preset: 'fast', epochs: 1, seed: 1 }));
  await waitForState(page, ['training'], 30_000);
  const trained = await waitForState(page, ['done'], 300_000);
  const confusion = await page.evaluate(() => window.digitrain.confusion());
  const answer = await predict(page);
  await frames(page);
  const [download] = await Promise.all([page.waitForEvent('download'), press(page, 'Save')]);
  const file = path.join(dir, download.suggestedFilename());
  await download.saveAs(file);
  assert.equal(download.suggestedFilename(), 'digitrain-fast.safetensors');

  // Reset forgets the run (and its saved copy), so the reload brings back nothing.
  await press(page, 'Reset');
  await page.waitForFunction(() => !window.digitrain.status().testAccuracy, null, { timeout: 10_000, polling: 100 });
  await page.reload();
  await settled(page);
  assert.equal((await status(page)).testAccuracy, null);

  await t.test('Open: the file picker takes the saved file; it is tested, and its model answers on the pad', async () => {
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), press(page, 'Open')]);
    await chooser.setFiles(file);
    await page.waitForFunction(() => window.digitrain.status().opened, null, { timeout: 60_000, polling: 100 });
    const s = await status(page);
    assert.equal(s.testAccuracy, trained.testAccuracy, 'the same model on the same test set');
    assert.deepEqual(await page.evaluate(() => window.digitrain.confusion()), confusion);
    assert.equal(s.opened.name, 'digitrain-fast.safetensors');
    assert.equal(s.opened.parameters, FAST_PARAMETERS);
    const now = await predict(page);
    assert.equal(now.digit, answer.digit);
    now.probabilities.forEach((p, i) => assert.ok(Math.abs(p - answer.probabilities[i]) < 1e-6, `class ${i}: ${p} vs ${answer.probabilities[i]}`));
    assert.match(await statusText(page), /opened digitrain-fast\.safetensors, 113,770 parameters \(test accuracy \d+\.\d\d%; Continue trains it on\)/);
    assert.match(await announced(page), /^opened digitrain-fast\.safetensors: test accuracy \d+\.\d\d%$/);
    await frames(page, 4);
    const notes = (await shown(page)).trainNotes;
    assert.match(notes[0], /^opened digitrain-fast\.safetensors \(conv2d 32 3x3 valid, batchnorm, .*dense 10; 113770 parameters\); Continue trains it on with the fast recipe$/);
    const train = await page.evaluate(() => window.digitrain.trainPanel());
    assert.equal(train.preset, 'fast');
    assert.equal(train.allowed.continue, true);
    await page.screenshot({ path: path.join(OUT, 'open-model.png') });
  });

  await t.test('a dropped file that is not a model, and a foreign .safetensors, are refused and change nothing', async () => {
    const before = await status(page);
    await drop(page, 'notes.txt', Buffer.from('not a model at all, just text\n'));
    await page.waitForFunction(() => /could not open notes\.txt/.test(document.getElementById('announce').textContent), null, { timeout: 10_000 });
    assert.match(await announced(page), /^could not open notes\.txt: .*; nothing changed$/);
    await frames(page, 4);
    assert.match((await shown(page)).trainNotes[1], /^could not open notes\.txt: /);

    const foreign = path.join(dir, 'foreign.safetensors');
    fs.writeFileSync(foreign, foreignFile());
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), press(page, 'Open')]);
    await chooser.setFiles(foreign);
    await page.waitForFunction(() => /could not open foreign\.safetensors/.test(document.getElementById('announce').textContent), null, { timeout: 10_000 });
    assert.equal(await announced(page),
      'could not open foreign.safetensors: no architecture in __metadata__; it was not written by digitrain; nothing changed');

    const after = await status(page);
    assert.equal(after.testAccuracy, before.testAccuracy);
    assert.equal(after.opened.name, 'digitrain-fast.safetensors');
    const now = await predict(page);
    assert.equal(now.digit, answer.digit);
    await page.screenshot({ path: path.join(OUT, 'open-model-refused.png') });
  });

  await t.test('the opened model is the run a reload brings back', async () => {
    const before = await status(page);
    await page.reload();
    await settled(page);
    const after = await status(page);
    assert.equal(after.restored, true);
    assert.equal(after.testAccuracy, before.testAccuracy);
    assert.deepEqual(await page.evaluate(() => window.digitrain.confusion()), confusion);
    assert.equal((await predict(page)).digit, answer.digit);
    assert.match(await statusText(page), /restored the saved model \(test accuracy \d+\.\d\d%\)/);
  });

  await t.test('Continue trains the opened model on from its weights, on its own layers', async () => {
    const worse = trained.testAccuracy;
    await press(page, 'Continue');
    const started = await waitForState(page, ['training'], 30_000);
    assert.equal(started.continued, true);
    assert.equal(started.opened, null);
    const done = await waitForState(page, ['done'], 300_000);
    // One more epoch from a model at ~99%: far above what one epoch from scratch would start at.
    assert.ok(done.testAccuracy > worse - 0.01, `${done.testAccuracy} after continuing from ${worse}`);
  });

  assert.deepEqual(errors, []);
});
