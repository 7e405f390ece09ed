// Your own network: the Train panel's network editor, driven by real clicks, wheel and typing.
// It starts from `fast`'s layers; removing the last layer makes the design unusable (said at
// its layer, Start disabled); a copied layer moved to the end and given 10 units makes it whole
// again, and a narrower dense layer makes it the user's own. That network trains one epoch,
// is saved, and after a reload the saved file opens with the same test accuracy and layers.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { openApp, waitForState, ready, status, frames, press, retype } = require('./harness.js');

const OUT = process.env.DT_WEB_TEST_OUT || path.join(__dirname, '..', '..', 'build', 'web-test');
fs.mkdirSync(OUT, { recursive: true });

const shown = async (page) => (await page.evaluate(() => window.digitrain.shown())).network;

// Types a whole number into one of a layer's fields, as a person does: click, select all,
// type, Enter; then waits for the editor to show `expected` (a layer's name) in its list.
async function typeInto(page, name, text, expected) {
  await press(page, name);
  await retype(page, text);
  await page.waitForFunction((want) => window.digitrain.shown().network.layers.some((l) => l.name === want), expected,
    { timeout: 10_000, polling: 100 });
}

const names = async (page) => (await shown(page)).layers.map((l) => l.name);
const FAST_TAIL = ['flatten', 'dense 128', 'batchnorm', 'relu', 'dense 10'];

test('the network editor: edit fast by hand, train it, save it, open it again', { timeout: 600_000 }, async (t) => {
  const { page, errors, close } = await openApp({ viewport: { width: 1280, height: 800 } });
  t.after(close);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digitrain-editor-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  await ready(page);
  await page.waitForFunction(() => !document.querySelector('#controls [data-action=start]').disabled, null, { timeout: 10_000, polling: 50 });
  await page.selectOption('#controls [name=preset]', 'fast');
  await frames(page, 4);

  await t.test('it opens on the preset\'s layers with their shapes and parameters', async () => {
    await press(page, 'Network');
    await frames(page, 4);
    const n = await shown(page);
    assert.equal(n.open, true);
    assert.equal(n.edited, false);
    assert.equal(n.layers.length, 13);
    assert.deepEqual(n.layers.slice(8).map((l) => l.name), FAST_TAIL);
    assert.deepEqual(n.layers.map((l) => l.shape).slice(0, 3), ['26x26x32', '26x26x32', '13x13x32']);
    assert.equal(n.params, 113_770);
    assert.equal(n.error, '');
  });

  await t.test('removing the last layer is refused at its layer, and Start is disabled', async () => {
    await press(page, 'Network: layer 13 remove');
    await frames(page, 4);
    const n = await shown(page);
    assert.equal(n.layers.length, 12);
    assert.equal(n.errorLayer, 11);
    assert.match(n.error, /gives 1x1x128 = 128 values per image; it must give one per class \(10\): end with a dense 10/);
    assert.equal((await page.evaluate(() => window.digitrain.trainPanel())).allowed.start, false);
    await page.screenshot({ path: path.join(OUT, 'network-editor-error.png') });
  });

  await t.test('a copied dense layer moved to the end with 10 units, and a narrower hidden layer: a network of one\'s own', async () => {
    await press(page, 'Network: layer 10 copy');
    await frames(page, 4);
    assert.deepEqual((await names(page)).slice(8), ['flatten', 'dense 128', 'dense 128', 'batchnorm', 'relu']);
    await press(page, 'Network: layer 11 down');
    await frames(page, 4);
    await press(page, 'Network: layer 12 down');
    await frames(page, 4);
    assert.deepEqual((await names(page)).slice(8), ['flatten', 'dense 128', 'batchnorm', 'relu', 'dense 128']);
    await typeInto(page, 'Network: layer 13 units', '10', 'dense 10');
    let n = await shown(page);
    assert.deepEqual(n.layers.slice(8).map((l) => l.name), FAST_TAIL);
    assert.equal(n.error, '');
    assert.equal(n.edited, false, 'back to exactly the preset\'s layers');
    await typeInto(page, 'Network: layer 10 units', '48', 'dense 48');
    n = await shown(page);
    assert.equal(n.edited, true);
    assert.deepEqual(n.layers.slice(8).map((l) => l.name), ['flatten', 'dense 48', 'batchnorm', 'relu', 'dense 10']);
    assert.equal(n.params, 113_770 - (800 * 80 + 80) - 2 * 80 - 80 * 10);
    assert.equal((await page.evaluate(() => window.digitrain.trainPanel())).allowed.start, true);
    await page.screenshot({ path: path.join(OUT, 'network-editor.png') });
  });

  let trained;
  await t.test('Start trains the edited layers', async () => {
    await page.focus('#controls [data-action=start]');
    await page.keyboard.press('Enter');
    await waitForState(page, ['training'], 30_000);
    trained = await waitForState(page, ['done'], 300_000);
    assert.ok(trained.testAccuracy > 0.97, `test accuracy ${trained.testAccuracy}`);
    // The finished run goes into the past runs once its last weights are stored.
    let runs = [];
    for (let i = 0; i < 100 && !runs.length; i++) {
      runs = await page.evaluate(() => window.digitrain.pastRuns());
      if (!runs.length) await page.waitForTimeout(100);
    }
    const [run] = runs;
    assert.ok(run, 'the run among the past runs');
    const dense = run.config.architecture.layers.filter((l) => l.type === 'dense').map((l) => l.units);
    assert.deepEqual(dense, [48, 10]);
    const n = await shown(page);
    assert.match(n.epochEstimate, /^about .+ per epoch at the last run's speed$/);
  });

  await t.test('saved, reloaded and opened again: the same layers and test accuracy', async () => {
    // Focus leaves the page's controls (their bar covers the Train panel's top while focused).
    await page.evaluate(() => document.activeElement.blur());
    const [download] = await Promise.all([page.waitForEvent('download'), press(page, 'Save')]);
    const file = path.join(dir, 'mine.safetensors');
    await download.saveAs(file);
    await page.reload();
    await ready(page);
    await page.waitForFunction(() => window.digitrain.trainPanel() && window.digitrain.trainPanel().allowed.start, null, { timeout: 10_000, polling: 100 });
    await frames(page, 10);  // a click right after a reload can land before the panel takes pointer input
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), press(page, 'Open')]);
    await chooser.setFiles(file);
    await page.waitForFunction(() => window.digitrain.status().opened, null, { timeout: 60_000, polling: 100 });
    const s = await status(page);
    assert.equal(s.testAccuracy, trained.testAccuracy);
    assert.equal(s.opened.parameters, 113_770 - (800 * 80 + 80) - 2 * 80 - 80 * 10);
    await frames(page, 4);
    const n = await shown(page);
    assert.equal(n.edited, true, 'the editor shows the file\'s own layers');
    assert.deepEqual(n.layers.slice(8).map((l) => l.name), ['flatten', 'dense 48', 'batchnorm', 'relu', 'dense 10']);
  });

  assert.deepEqual(errors, []);
});
