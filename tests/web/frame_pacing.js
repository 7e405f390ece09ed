// Frame pacing of the page, as docs/web-app.md reports it: the intervals between animation
// frames (p50/p95) while idle, while training, and while drawing on the pad during training,
// with a mouse at 1280x800 and a finger (CDP touch events) on a 390x844 phone.
// Not a test (the numbers depend on the machine): run it by hand against a built site,
//   DT_SITE_DIR=dist node tests/web/frame_pacing.js
'use strict';
const { openApp, ready, waitForState } = require('./harness.js');

const SECONDS = Number(process.env.DT_PACING_SECONDS || 5);

// Records requestAnimationFrame intervals in the page until stop() is evaluated.
const startRecording = (page) => page.evaluate(() => {
  window.__intervals = [];
  let last = performance.now();
  window.__recording = true;
  const tick = (t) => {
    window.__intervals.push(t - last);
    last = t;
    if (window.__recording) requestAnimationFrame(tick);
  };
  requestAnimationFrame((t) => { last = t; requestAnimationFrame(tick); });
});
const stopRecording = (page) => page.evaluate(() => { window.__recording = false; return window.__intervals; });

function percentile(values, p) {
  const v = values.slice().sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.floor((p / 100) * v.length))];
}

// Circles on the pad for `seconds`, one stroke a second, as a mouse or a finger.
async function scribble(page, seconds, touch) {
  const r = await page.evaluate(() => window.digitrain.drawPadRect());
  const at = (a) => [r.x + r.width * (0.5 + 0.3 * Math.cos(a)), r.y + r.height * (0.5 + 0.3 * Math.sin(a))];
  const cdp = touch ? await page.context().newCDPSession(page) : null;
  const touchEvent = (type, p) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: p ? [{ x: p[0], y: p[1] }] : [] });
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    let a = 0;
    if (touch) await touchEvent('touchStart', at(a)); else { await page.mouse.move(...at(a)); await page.mouse.down(); }
    const strokeEnd = Math.min(end, Date.now() + 1000);
    while (Date.now() < strokeEnd) {
      a += 0.15;
      if (touch) await touchEvent('touchMove', at(a)); else await page.mouse.move(...at(a));
      await new Promise((resolve) => setTimeout(resolve, 8));
    }
    if (touch) await touchEvent('touchEnd'); else await page.mouse.up();
    await page.evaluate(() => window.digitrain.clearPad());
  }
  if (cdp) await cdp.detach();
}

async function measure(label, page, during) {
  await startRecording(page);
  await during();
  const intervals = (await stopRecording(page)).slice(1);
  const row = { label, frames: intervals.length, p50: percentile(intervals, 50), p95: percentile(intervals, 95) };
  console.log(`${label.padEnd(40)} frames ${String(row.frames).padStart(4)}  p50 ${row.p50.toFixed(1).padStart(6)} ms  p95 ${row.p95.toFixed(1).padStart(6)} ms`);
  return row;
}

async function run(name, viewport, device, touch) {
  const { page, close } = await openApp({ viewport, device });
  try {
    await ready(page);
    await page.waitForTimeout(1000);
    await measure(`${name} idle`, page, () => page.waitForTimeout(SECONDS * 1000));
    await page.evaluate(() => window.digitrain.start({ preset: 'fast', epochs: 1 }));
    await waitForState(page, ['training'], 60_000);
    await page.waitForFunction(() => window.digitrain.status().step > 20, null, { timeout: 60_000, polling: 100 });
    await measure(`${name} training`, page, () => page.waitForTimeout(SECONDS * 1000));
    await measure(`${name} drawing (${touch ? 'touch' : 'mouse'}) while training`, page, () => scribble(page, SECONDS, touch));
    const s = await page.evaluate(() => window.digitrain.status());
    if (s.state !== 'training') console.log(`  (the run was ${s.state} by the end: numbers after that are not 'while training')`);
    await page.evaluate(() => window.digitrain.stop());
  } finally {
    await close();
  }
}

(async () => {
  await run('1280x800', { width: 1280, height: 800 }, {}, false);
  await run('390x844 phone', { width: 390, height: 844 }, { deviceScaleFactor: 3, hasTouch: true, isMobile: true }, true);
})().catch((e) => { console.error(e); process.exit(1); });
