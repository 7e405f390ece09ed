// Input as people use it, through real events at four window sizes (800x600, 1280x800,
// 1920x1080 and a 390x844 phone): the wheel scrolls the panels, a finger's swipe scrolls outside
// the pad and draws inside it, Tab/Space/Enter work the controls, the run's buttons stay put
// when Continue appears, and nothing is cut off at a window's right edge. The checks read
// where things are through window.digitrain (widgetRect, windowScroll, clipped,
// focusedControl); every action is a real mouse, wheel, touch or key event.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { openApp, waitForState, ready, status } = require('./harness.js');
const { drawStrokes, ONE } = require('./drawing.js');

const OUT = process.env.DT_WEB_TEST_OUT || path.join(__dirname, '..', '..', 'build', 'web-test');
fs.mkdirSync(OUT, { recursive: true });

const PHONE = { deviceScaleFactor: 3, hasTouch: true, isMobile: true };
const SIZES = [
  { name: '800x600', viewport: { width: 800, height: 600 } },
  { name: '1280x800', viewport: { width: 1280, height: 800 } },
  { name: '1920x1080', viewport: { width: 1920, height: 1080 } },
  { name: 'phone', viewport: { width: 390, height: 844 }, device: PHONE },
];
const BUTTONS = ['Start', 'Pause', 'Resume', 'Stop', 'Reset', 'Save'];
const LANDSCAPE_WINDOWS = ['Train', 'Draw', 'Inspect', 'Evaluate'];

const frames = (page, n = 4) => page.evaluate((k) => new Promise((resolve) => {
  const step = () => (--k <= 0 ? resolve() : requestAnimationFrame(step));
  requestAnimationFrame(step);
}), n);
const api = (page, method, ...args) => page.evaluate(([m, a]) => window.digitrain[m](...a), [method, args]);
const inside = (r, v) => r.x >= 0 && r.y >= 0 && r.x + r.width <= v.width + 0.5 && r.y + r.height <= v.height + 0.5;
const centre = (r) => [r.x + r.width / 2, r.y + r.height / 2];

// Nothing cut off: no window's contents are wider than it, and the controls a person needs
// lie inside the viewport (in the phone's column, inside its width: the column scrolls).
async function checkLayout(page, { name, viewport }) {
  assert.equal(await api(page, 'clipped'), '', `${name}: contents wider than their window`);
  for (const button of BUTTONS) {
    const r = await api(page, 'widgetRect', button);
    assert.ok(r, `${name}: ${button} is shown`);
    if (name === 'phone') assert.ok(r.x >= 0 && r.x + r.width <= viewport.width, `${name}: ${button} at x ${r.x}..${r.x + r.width}`);
    else assert.ok(inside(r, viewport), `${name}: ${button} ${JSON.stringify(r)} lies outside ${viewport.width}x${viewport.height}`);
  }
  const pad = await api(page, 'drawPadRect');
  assert.ok(inside(pad, viewport), `${name}: the pad ${JSON.stringify(pad)}`);
  if (name !== 'phone') {
    // The pad, its guess and the probabilities fit the Draw window without scrolling.
    const draw = await api(page, 'windowScroll', 'Draw');
    assert.equal(draw.maxScrollY, 0, `${name}: the Draw window needs scrolling to show the guess`);
  }
}

// The window under the wheel scrolls down and back up.
async function checkWheel(page, { name }, windowName) {
  const w = await api(page, 'windowScroll', windowName);
  assert.ok(w.maxScrollY > 0, `${name}: ${windowName} has something to scroll`);
  await page.mouse.move(w.x + w.width / 2, w.y + w.height * 0.6);
  for (let i = 0; i < 3; i++) await page.mouse.wheel(0, 100);
  await frames(page);
  const down = (await api(page, 'windowScroll', windowName)).scrollY;
  // The window scrolls by what the wheel events say, in CSS pixels (Chromium divides the
  // driver's 100 by the device pixel ratio).
  const wheeled = 300 / (await page.evaluate(() => devicePixelRatio));
  const least = Math.min(wheeled - 2, w.maxScrollY - 1);
  assert.ok(down >= least, `${name}: three wheel notches scrolled ${windowName} by ${down} px`);
  for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -100);
  await frames(page);
  assert.equal((await api(page, 'windowScroll', windowName)).scrollY, 0, `${name}: wheel up scrolls ${windowName} back`);
}

// A finger's drag through CDP touch events (what a phone sends).
async function swipe(cdp, from, to, steps = 8) {
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: from[0], y: from[1] }] });
  for (let k = 1; k <= steps; k++) {
    const x = from[0] + ((to[0] - from[0]) * k) / steps, y = from[1] + ((to[1] - from[1]) * k) / steps;
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y }] });
    await new Promise((r) => setTimeout(r, 20));
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

for (const size of SIZES) {
  test(`${size.name}: layout, wheel${size.device ? ', touch' : ''}`, { timeout: 90_000 }, async () => {
    const { page, errors, close } = await openApp({ viewport: size.viewport, device: size.device || {} });
    try {
      await ready(page);
      await frames(page, 10);
      await page.screenshot({ path: path.join(OUT, `input-${size.name}.png`) });
      await checkLayout(page, size);

      if (size.name === 'phone') {
        // One column: the wheel scrolls it, a swipe outside the pad scrolls it, a swipe on
        // the pad draws and leaves it where it is.
        await checkWheel(page, size, 'digitrain');
        const cdp = await page.context().newCDPSession(page);
        const pad = await api(page, 'drawPadRect');
        const below = pad.y + pad.height + 40;  // the Train panel, below the pad
        await swipe(cdp, [size.viewport.width / 2, below + 300], [size.viewport.width / 2, below]);
        await frames(page);
        const scrolled = (await api(page, 'windowScroll', 'digitrain')).scrollY;
        assert.ok(scrolled > 200, `a 300 px swipe up scrolled the column by ${scrolled} px`);
        await page.screenshot({ path: path.join(OUT, 'input-phone-swiped.png') });
        await swipe(cdp, [size.viewport.width / 2, below + 20], [size.viewport.width / 2, below + 20 + scrolled]);
        await frames(page);
        assert.equal((await api(page, 'windowScroll', 'digitrain')).scrollY, 0, 'a swipe down scrolls back to the top');

        const empty = await api(page, 'lastPrediction');
        const p = await api(page, 'drawPadRect');
        await swipe(cdp, [p.x + p.width * 0.5, p.y + p.height * 0.15], [p.x + p.width * 0.5, p.y + p.height * 0.85], 12);
        await frames(page);
        const drawn = await api(page, 'lastPrediction');
        assert.notDeepEqual(drawn.probabilities, empty.probabilities, 'a swipe on the pad drew on it');
        assert.equal((await api(page, 'windowScroll', 'digitrain')).scrollY, 0, 'drawing does not scroll');
        await page.screenshot({ path: path.join(OUT, 'input-phone-drawn.png') });
        await cdp.detach();
      } else {
        // The window with the most to scroll (Train's charts or Inspect's maps, by size).
        let best = null;
        for (const name of LANDSCAPE_WINDOWS) {
          const w = await api(page, 'windowScroll', name);
          if (w && (!best || w.maxScrollY > best.maxScrollY)) best = { name, ...w };
        }
        if (best.maxScrollY > 0) await checkWheel(page, size, best.name);
        else assert.ok(size.viewport.height >= 1000, `${size.name}: nothing to scroll`);  // everything fits at 1920x1080
        // A mouse stroke still draws after all that.
        await drawStrokes(page, ONE);
        assert.ok((await api(page, 'lastPrediction')).probabilities.some((v) => v > 0), 'the pad answers');
      }
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
}

test('1280x800: the keyboard starts and stops a run; Continue does not move the buttons', { timeout: 150_000 }, async () => {
  const viewport = { width: 1280, height: 800 };
  const { page, errors, close } = await openApp({ viewport });
  try {
    await ready(page);
    await frames(page);
    const tabTo = async (name) => {
      for (let i = 0; i < 40 && (await api(page, 'focusedControl')) !== name; i++) {
        await page.keyboard.press('Tab');
        await frames(page, 2);
      }
      assert.equal(await api(page, 'focusedControl'), name, `Tab reaches ${name}`);
    };
    // A click on the Train panel's background (the empty slot Continue keeps) gives the canvas
    // the keyboard; Tab then goes through the panel's controls.
    const slot = await api(page, 'widgetRect', 'Start');
    await page.mouse.click(slot.x + slot.width + 20, slot.y + slot.height / 2);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'canvas', 'a click gives the canvas the keyboard');
    await tabTo('Start');
    await page.screenshot({ path: path.join(OUT, 'input-keyboard-focus.png') });
    const before = {};
    for (const b of BUTTONS) before[b] = await api(page, 'widgetRect', b);
    assert.equal(await api(page, 'widgetRect', 'Continue'), null, 'no saved run: no Continue');

    await page.keyboard.press('Space');
    await waitForState(page, ['training'], 60_000);
    await page.waitForFunction(() => window.digitrain.status().step > 0, null, { timeout: 30_000, polling: 50 });
    await tabTo('Stop');
    await page.keyboard.press('Enter');
    await waitForState(page, ['idle', 'done'], 20_000);
    // Stopped, the run is written to storage and then listed among the past runs: once it is
    // listed, it is kept.
    for (let i = 0; i < 100 && (await page.evaluate(() => window.digitrain.pastRuns())).length === 0; i++) await page.waitForTimeout(100);

    // The stopped run comes back after a reload, and Continue appears in its own slot.
    await page.reload();
    await ready(page);
    await page.waitForFunction(() => window.digitrain.status().restored, null, { timeout: 20_000, polling: 100 });
    await frames(page, 6);
    assert.ok(await api(page, 'widgetRect', 'Continue'), 'a saved run: Continue is shown');
    for (const b of BUTTONS) assert.deepEqual(await api(page, 'widgetRect', b), before[b], `${b} stays where it was`);
    await page.screenshot({ path: path.join(OUT, 'input-continue.png') });
    assert.equal((await status(page)).state, 'idle');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
