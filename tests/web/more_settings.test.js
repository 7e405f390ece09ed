// The rest of the CLI's training settings in the page: the Train panel's "More settings",
// driven by real clicks, wheel and typing. A preset fills them in; a loss, a schedule, a
// validation share and early stopping chosen by hand are what the worker trains with, and the
// panel only offers what can act (label smoothing for cross-entropy, patience with validation).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { openApp, waitForState, ready, frames, press, reveal, retype } = require('./harness.js');

const OUT = process.env.DT_WEB_TEST_OUT || path.join(__dirname, '..', '..', 'build', 'web-test');
fs.mkdirSync(OUT, { recursive: true });

const settings = async (page) => (await page.evaluate(() => window.digitrain.trainPanel())).settings;
const visible = (page, name) => page.evaluate((n) => {
  const r = window.digitrain.widgetRect(n);
  return Boolean(r && r.width > 0);
}, name);

// Ctrl+click turns an ImGui slider into a text field: the value is typed, as a person does.
async function typeIntoSlider(page, name, text) {
  const r = await reveal(page, name);  // not a plain click: that sets the slider from the pointer
  await page.mouse.move(r.x + r.width / 2, r.y + r.height / 2);
  await page.keyboard.down('Control');
  await frames(page, 2);
  await page.mouse.down();
  await frames(page, 2);
  await page.mouse.up();
  await frames(page, 2);
  await page.keyboard.up('Control');
  await retype(page, text);
}

async function typeIntoField(page, name, text) {
  await press(page, name);
  await retype(page, text);
}

async function choose(page, combo, entry) {
  await press(page, combo);
  await frames(page, 4);
  await press(page, `${combo}: ${entry}`);
  await frames(page, 4);
}

test('more settings: a preset fills them, a person changes them, the run trains with them', { timeout: 600_000 }, async (t) => {
  const { page, errors, close } = await openApp({ viewport: { width: 1280, height: 800 } });
  t.after(close);
  await ready(page);
  await page.waitForFunction(() => !document.querySelector('#controls [data-action=start]').disabled, null, { timeout: 10_000, polling: 50 });

  await t.test('best brings its schedule, label smoothing and augmentation; fast its own', async () => {
    await page.selectOption('#controls [name=preset]', 'best');
    await frames(page, 4);
    let s = await settings(page);
    assert.equal(s.schedule, 'one-cycle');
    assert.ok(Math.abs(s.label_smoothing - 0.1) < 1e-6);
    assert.equal(s.augment, true);
    assert.equal(s.rotate, 10);
    await page.selectOption('#controls [name=preset]', 'fast');
    await frames(page, 4);
    s = await settings(page);
    assert.equal(s.label_smoothing, 0);
    assert.equal(s.val, 0);
    assert.equal(s.augment, false);
  });

  await t.test('the section opens; what cannot act is not offered', async () => {
    await press(page, 'More settings');
    await frames(page, 4);
    assert.equal((await page.evaluate(() => window.digitrain.shown())).moreSettings, true);
    assert.ok(await visible(page, 'Label smoothing'), 'cross-entropy offers label smoothing');
    assert.ok(!(await visible(page, 'Focal gamma')));
    assert.ok(!(await visible(page, 'Momentum')), 'adam has no momentum setting');
    assert.ok(!(await visible(page, 'Rotate')), 'no amounts while augmentation is off');
  });

  await t.test('a loss, a schedule, a validation share and patience, chosen by hand', async () => {
    await choose(page, 'Loss', 'focal');
    await choose(page, 'Schedule', 'cosine');
    let s = await settings(page);
    assert.equal(s.loss, 'focal');
    assert.equal(s.schedule, 'cosine');
    assert.ok(await visible(page, 'Focal gamma'));
    assert.ok(!(await visible(page, 'Label smoothing')), 'label smoothing is for cross-entropy only');
    // fast holds nothing out: patience waits for a validation share.
    await typeIntoField(page, 'Patience', '3');
    assert.equal((await settings(page)).patience, 0, 'no early stopping without validation');
    await typeIntoSlider(page, 'Validation', '0.2');
    await typeIntoField(page, 'Patience', '1');
    await typeIntoField(page, 'L2', '0.0001');
    s = await settings(page);
    assert.ok(Math.abs(s.val - 0.2) < 1e-6, `val ${s.val}`);
    assert.equal(s.patience, 1);
    assert.ok(Math.abs(s.l2 - 1e-4) < 1e-9, `l2 ${s.l2}`);
    await page.screenshot({ path: path.join(OUT, 'more-settings.png') });
  });

  await t.test('Start trains with them: the worker reports the same settings, and validation runs', async () => {
    await page.evaluate(() => document.activeElement.blur());
    await press(page, 'Start');
    await waitForState(page, ['training'], 30_000);
    const done = await waitForState(page, ['done'], 300_000);
    assert.ok(done.testAccuracy > 0.95, `test accuracy ${done.testAccuracy}`);
    const s = await settings(page);  // as the worker said it trains
    assert.equal(s.loss, 'focal');
    assert.equal(s.schedule, 'cosine');
    assert.ok(Math.abs(s.val - 0.2) < 1e-6);
    assert.equal(s.patience, 1);
    let runs = [];
    for (let i = 0; i < 100 && !runs.length; i++) {
      runs = await page.evaluate(() => window.digitrain.pastRuns());
      if (!runs.length) await page.waitForTimeout(100);
    }
    assert.ok(runs.length, 'the run among the past runs');
    const { settings: used } = runs[0];
    assert.equal(used.loss, 'focal');
    assert.ok(Math.abs(used.val - 0.2) < 1e-6);
    // 20% of 60,000 held out: the Data glance and the run trained on 48,000.
    const curves = await page.evaluate(() => window.digitrain.shown().accuracy);
    assert.ok(curves.series.some((name) => /validation/i.test(name)), `series ${curves.series}`);
  });

  assert.deepEqual(errors, []);
});
