// The page for keyboard and screen-reader users (web/a11y.js), driven with real key presses
// only: Tab reaches labelled DOM controls for the Train panel, a preset chosen there is the
// panel's preset, Enter on Start starts the run and the buttons' disabled states follow it;
// the polite region #announce speaks a drawn digit's guess once and a run's events without
// flooding, and #status says what happens during the end-of-epoch evaluation. Tab alone also
// walks into the canvas, through its panels and out again.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { openApp, waitForState, ready, status, statusText, frames } = require('./harness.js');
const { drawStrokes, ONE, SEVEN } = require('./drawing.js');

const OUT = process.env.DT_WEB_TEST_OUT || path.join(__dirname, '..', '..', 'build', 'web-test');
fs.mkdirSync(OUT, { recursive: true });

// Every text #announce and #status take from now on, with the time, kept in the page.
function recordLiveRegions(page) {
  return page.evaluate(() => {
    window.liveLog = { announce: [], status: [] };
    for (const [id, log] of [['announce', window.liveLog.announce], ['status', window.liveLog.status]]) {
      const el = document.getElementById(id);
      new MutationObserver(() => { if (el.textContent) log.push({ text: el.textContent, at: performance.now(), busy: el.getAttribute('aria-busy') }); })
        .observe(el, { childList: true, characterData: true, subtree: true });
    }
  });
}
const announced = (page) => page.evaluate(() => window.liveLog.announce.map((e) => e.text));
const statuses = (page) => page.evaluate(() => window.liveLog.status);
const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return el && (el.getAttribute('data-action') || el.getAttribute('name') || el.id || el.tagName);
});

// Presses Tab until `what` (a data-action or a select's name) has the focus; returns the presses.
async function tabTo(page, what, most = 12) {
  for (let n = 1; n <= most; n++) {
    await page.keyboard.press('Tab');
    if (await focused(page) === what) return n;
  }
  throw new Error(`${most} presses of Tab never reached ${what} (focus on ${await focused(page)})`);
}

// The controls as the accessibility tree has them: role, name and disabled state.
async function controlStates(page) {
  const out = {};
  for (const name of ['Start', 'Pause', 'Resume', 'Stop']) out[name] = await page.getByRole('button', { name, exact: true }).isDisabled();
  return out;
}

test('keyboard and screen reader: controls, a run started by Enter, guesses and epoch results spoken', { timeout: 800_000 }, async (t) => {
  const { page, errors, close } = await openApp({ viewport: { width: 1280, height: 800 } });
  t.after(close);
  await ready(page);
  await recordLiveRegions(page);

  await t.test('Tab reaches labelled controls; a preset chosen by keyboard is the Train panel\'s', async () => {
    // The controls follow the panel within a quarter second of the UI's start.
    await page.waitForFunction(() => document.querySelector('#controls [name=preset]').options.length > 1 &&
      !document.querySelector('#controls [data-action=start]').disabled, null, { timeout: 5_000, polling: 50 });
    // Named selects and buttons in the accessibility tree, disabled as the panel's are.
    const tree = await page.locator('#controls').ariaSnapshot();
    for (const line of ['combobox "dataset"', 'combobox "preset"', 'button "Start"', 'button "Pause" [disabled]',
      'button "Resume" [disabled]', 'button "Stop" [disabled]']) assert.ok(tree.includes(line), `${line} in\n${tree}`);
    assert.deepEqual(await controlStates(page), { Start: false, Pause: true, Resume: true, Stop: true });
    assert.equal(await page.getByRole('button', { name: 'Continue' }).count(), 0);  // no saved run: hidden

    assert.equal(await tabTo(page, 'preset'), 2);  // dataset, then preset: first in the page's Tab order
    const before = await page.evaluate(() => window.digitrain.trainPanel());
    assert.equal(before.preset, 'keras-cnn');
    await page.keyboard.press('f');  // type-ahead: the first preset whose name starts with f
    for (let i = 0; i < 8 && await page.evaluate(() => document.activeElement.value) !== 'fast'; i++) await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => window.digitrain.trainPanel().preset === 'fast', null, { timeout: 2_000, polling: 50 });
    const panel = await page.evaluate(() => window.digitrain.trainPanel());
    assert.equal(panel.settings.epochs, 1);  // fast's own settings came with it
    assert.equal(panel.settings.batch, 32);
    assert.ok(Math.abs(panel.settings.lr - 0.005) < 1e-6, `lr ${panel.settings.lr}`);

    // The focused control is visible, on screen, with a focus ring.
    const look = await page.evaluate(() => {
      const r = document.getElementById('controls').getBoundingClientRect();
      const s = getComputedStyle(document.activeElement);
      return { width: r.width, height: r.height, right: r.right, outline: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) };
    });
    assert.ok(look.width > 200 && look.height > 30 && look.right <= 1280, JSON.stringify(look));
    assert.equal(look.outline, 'solid');
    assert.ok(look.outlineWidth >= 2);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(OUT, 'a11y-controls-1280x800.png') });
  });

  await t.test('Enter on Start starts the run; the buttons follow it and focus stays in the controls', async () => {
    await tabTo(page, 'start');
    await page.keyboard.press('Enter');
    await waitForState(page, ['training'], 30_000);
    await page.waitForFunction(() => !document.querySelector('[data-action=pause]').disabled, null, { timeout: 5_000, polling: 50 });
    assert.deepEqual(await controlStates(page), { Start: true, Pause: false, Resume: true, Stop: false });
    assert.equal(await focused(page), 'pause');  // Start disabled itself: focus moved on, not lost
    assert.ok(await page.getByRole('combobox', { name: 'preset' }).isDisabled());  // the run holds its settings
    assert.ok((await announced(page)).includes('training started: fast model on mnist, 1 epoch'), JSON.stringify(await announced(page)));
    await page.waitForFunction(() => window.digitrain.status().step > 10, null, { timeout: 60_000, polling: 100 });
    assert.match(await statusText(page), /^training: epoch 1 of 1, step \d+ of 1875, train accuracy \d+\.\d\d% \(running, this epoch\), \d+ samples\/s on \d threads?$/);
    assert.equal(await page.getAttribute('#status', 'aria-busy'), 'true');  // progress is not spoken once a second
    // The first words of the run: no "0 threads", no "-" for an accuracy that does not exist yet.
    const first = (await statuses(page)).map((e) => e.text).filter((s) => s.startsWith('training'));
    assert.match(first[0], /^training: starting epoch 1 of 1 on [1-9]\d* threads?$/);
    for (const s of first) assert.doesNotMatch(s, /\b0 threads?\b|accuracy -/);
  });

  await t.test('Space on Pause pauses; a drawn digit\'s guess is spoken once, and nothing for an empty pad', async () => {
    await page.keyboard.press(' ');  // focus is on Pause
    await waitForState(page, ['paused'], 10_000);
    await page.waitForFunction(() => !document.querySelector('[data-action=resume]').disabled, null, { timeout: 5_000, polling: 50 });
    assert.equal(await focused(page), 'resume');
    assert.deepEqual(await controlStates(page), { Start: true, Pause: true, Resume: false, Stop: false });
    assert.equal(await page.getAttribute('#status', 'aria-busy'), 'false');  // "paused at step N" is spoken by #status

    const heard = (await announced(page)).length;
    await drawStrokes(page, ONE);
    await page.waitForTimeout(1_500);  // the guess settles 0.7 s after the stroke
    const after = (await announced(page)).slice(heard);
    const guess = await page.evaluate(() => window.digitrain.lastPrediction());
    const expected = `guess: ${guess.digit}, ${Math.round(100 * guess.probabilities[guess.digit])}%`;
    assert.deepEqual(after, [expected]);
    await page.screenshot({ path: path.join(OUT, 'a11y-guess-1280x800.png') });

    // Clear: the pad is empty, nothing is said. A new digit is spoken again.
    await page.evaluate(() => window.digitrain.clearPad());
    await page.mouse.click(5, 795);  // a click that draws nothing
    await page.waitForTimeout(1_200);
    assert.equal((await announced(page)).length, heard + 1);
    await drawStrokes(page, SEVEN);
    await page.waitForTimeout(1_500);
    const seven = await page.evaluate(() => window.digitrain.lastPrediction());
    assert.deepEqual((await announced(page)).slice(heard + 1), [`guess: ${seven.digit}, ${Math.round(100 * seven.probabilities[seven.digit])}%`]);
  });

  await t.test('resumed to its end: a few announcements, no flood; #status says when it evaluates', async () => {
    const heard = (await announced(page)).length;
    assert.equal(await focused(page), 'resume');  // drawing with the mouse left the focus where it was
    await page.keyboard.press('Enter');
    await waitForState(page, ['training'], 10_000);
    // One epoch of fast: 23 s on a quiet 2-core machine, 160 s on a busy one.
    await page.waitForFunction(() => window.digitrain.status().evaluating, null, { timeout: 420_000, polling: 50 });
    await page.waitForFunction(() => /evaluating on the test set/.test(document.getElementById('status').textContent), null, { timeout: 2_000, polling: 50 });
    assert.equal(await statusText(page), 'training: epoch 1 of 1 trained; evaluating on the test set…');
    const s = await waitForState(page, ['done'], 120_000);
    assert.ok(s.testAccuracy > 0.9, `test accuracy ${s.testAccuracy}`);
    await page.waitForTimeout(300);

    const during = (await announced(page)).slice(heard);
    assert.deepEqual(during, [
      'training resumed',
      'epoch 1 of 1 trained; evaluating on the test set…',
      `epoch 1 of 1: test accuracy ${(100 * s.testAccuracy).toFixed(1)}%`,
    ]);
    assert.match(await statusText(page), /^done: test accuracy \d+\.\d\d% after 1 epoch$/);
    assert.equal(await page.getAttribute('#status', 'aria-busy'), 'false');
    assert.deepEqual(await controlStates(page), { Start: false, Pause: true, Resume: true, Stop: true });
  });
  assert.deepEqual(errors, []);
});

test('phone (390x844): the controls fit the screen when focused', { timeout: 120_000 }, async (t) => {
  const { page, errors, close } = await openApp({ viewport: { width: 390, height: 844 } });
  t.after(close);
  await ready(page);
  // Start is enabled once the worker is ready; until then Tab passes it, into the canvas.
  await page.waitForFunction(() => !document.querySelector('#controls [data-action=start]').disabled, null, { timeout: 10_000, polling: 50 });
  await tabTo(page, 'start');
  const box = await page.evaluate(() => {
    const r = document.getElementById('controls').getBoundingClientRect();
    const all = [...document.querySelectorAll('#controls select, #controls button:not([hidden])')].map((e) => e.getBoundingClientRect());
    return { left: r.left, right: r.right, bottom: r.bottom, smallest: Math.min(...all.map((b) => b.height)) };
  });
  assert.ok(box.left >= 0 && box.right <= 390 && box.bottom < 844, JSON.stringify(box));
  assert.ok(box.smallest >= 32, `touch targets ${box.smallest} px high`);
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(OUT, 'a11y-controls-390x844.png') });
  assert.deepEqual(errors, []);
});

// Where the keyboard is: a page control, or a panel and its named control inside the canvas.
const keyboardAt = (page) => page.evaluate(() => {
  const el = document.activeElement;
  if (el && el.id === 'canvas') return { panel: window.digitrain.focusedPanel(), control: window.digitrain.focusedControl() };
  return { page: el && (el.getAttribute('data-action') || el.getAttribute('name') || el.tagName) };
});


// Presses `key` until the keyboard leaves the canvas; returns every stop inside it.
async function walkPanels(page, key) {
  const stops = [];
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press(key);
    await frames(page, 3);  // the UI reads the key in its next frame and applies the move in the one after
    const at = await keyboardAt(page);
    if (at.page) return { stops, leftTo: at.page };
    stops.push(at);
  }
  throw new Error(`80 presses of ${key} never left the canvas`);
}

test('keyboard alone: Tab walks the page\'s controls, every panel in turn, and out again', { timeout: 120_000 }, async (t) => {
  const { page, errors, close } = await openApp({ viewport: { width: 1280, height: 800 } });
  t.after(close);
  await ready(page);
  await page.waitForFunction(() => !document.querySelector('#controls [data-action=start]').disabled, null, { timeout: 5_000, polling: 50 });
  // The page's last control, after Start and the buttons Tab skips while disabled: the file
  // input that opens a model file.
  await tabTo(page, 'model-file');
  assert.equal(await page.evaluate(() => document.activeElement.labels[0].textContent.trim()), 'open a model file');
  const forward = await walkPanels(page, 'Tab');
  // In reading order: Train, Draw, Inspect, Evaluate.
  const panels = [...new Set(forward.stops.map((s) => s.panel))];
  assert.deepEqual(panels, ['Train', 'Draw', 'Inspect', 'Evaluate'], JSON.stringify(forward.stops));
  assert.deepEqual(forward.stops[0], { panel: 'Train', control: 'Dataset' });  // the first panel's first control
  const named = forward.stops.map((s) => s.control).filter(Boolean);
  for (const c of ['Start', 'Pause', 'Resume', 'Stop', 'Reset', 'Save', 'Clear', 'Pad', 'Layer 1']) assert.ok(named.includes(c), `${c} in ${named}`);
  assert.ok(named.indexOf('Save') < named.indexOf('Clear'), named.join());
  assert.equal(forward.leftTo, 'dataset');  // past the last panel: round to the page's first control

  // Shift+Tab from before the page's controls (the browser's bar) enters at the last panel's
  // last control and walks the same stops backwards, out to the page's last control.
  await page.keyboard.press('Shift+Tab');
  assert.deepEqual(await keyboardAt(page), { page: 'BODY' });
  const backward = await walkPanels(page, 'Shift+Tab');
  assert.deepEqual(backward.stops, forward.stops.slice().reverse());
  assert.equal(backward.leftTo, 'model-file');
  // Off the canvas, no focus frame stays drawn on it.
  assert.equal(await page.evaluate(() => window.digitrain.focusedPanel()), '');
  assert.deepEqual(errors, []);
});
