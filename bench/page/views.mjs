// What the page's views cost the training next to them: keras-cnn samples/s in the page while
// each view is open, against the same page with every view closed. One page and one run, so
// the conditions share the model, the worker and the minute; they take turns in short windows
// (interleaved rounds), and each condition keeps the median of its windows.
//
// The page is a portrait window, so it has the one-column layout, where every view sits under a
// header a person opens or closes with a click; that is how the views are switched here (real
// mouse clicks and wheel turns, as in the browser tests). A digit is drawn on the pad first, so
// Inspect shows the drawing's maps and Why this guess computes its map, and the measurement
// starts after the first epoch, so Mistakes has its gallery. A window that spans the end of an
// epoch (when the test set is evaluated) is measured again.
//
// Training speed on this machine wanders by ~10% from one window to the next, more than the
// views cost; so each window also measures, from /proc, the CPU time the browser spent outside
// its web workers (the page's UI thread, the compositor, the GPU process's software GL): what
// a view adds there is taken from the cores the worker trains on.
import fs from 'node:fs';
import { openPage } from '../browser/chromium.mjs';

const VIEWPORT = { width: 800, height: 1000 };

// Each condition: which headers are open, and Why's method when Inspect is open.
export const CONDITIONS = [
  { name: 'views closed', inspect: false, mistakes: false, data: false },
  { name: 'Inspect + Why (gradient x input)', inspect: true, mistakes: false, data: false, why: 'gradient' },
  { name: 'Inspect + Why (occlusion)', inspect: true, mistakes: false, data: false, why: 'occlusion' },
  { name: 'Mistakes', inspect: false, mistakes: true, data: false },
  { name: 'Data at a glance', inspect: false, mistakes: false, data: true },
];

const frames = (page, n) => page.evaluate((k) => new Promise((done) => {
  const step = (left) => (left ? requestAnimationFrame(() => step(left - 1)) : done());
  step(k);
}), n);
const rectOf = (page, name) => page.evaluate((n) => window.digitrain.widgetRect(n), name);

// Wheels the page's one window until the widget is wholly in view, then clicks its middle.
async function clickWidget(page, name) {
  for (let i = 0; i < 60; i++) {
    const r = await rectOf(page, name);
    const win = await page.evaluate(() => window.digitrain.windowScroll('digitrain'));
    const bottom = Math.min(VIEWPORT.height, win.y + win.height);
    if (r && r.y >= win.y && r.y + r.height <= bottom) {
      // Held for 50 ms, a few frames, so that the UI sees the press and the release apart.
      await page.mouse.click(r.x + Math.min(40, r.width / 2), r.y + r.height / 2, { delay: 50 });
      await frames(page, 4);
      return;
    }
    await page.mouse.move(win.x + win.width / 2, win.y + win.height / 2);
    await page.mouse.wheel(0, !r || r.y + r.height > bottom ? 120 : -120);
    await frames(page, 3);
  }
  throw new Error(`"${name}" never came into view`);
}

// What the page shows now, as far as the conditions go.
const openViews = (page) => page.evaluate(() => {
  const s = window.digitrain.shown();
  return { inspect: s.inspect.layer >= 0, why: s.why.method, mistakes: s.mistakes.shown.length > 0, data: s.data.dataset !== '' };
});

// Clicks headers (and Why's method) until the page shows `c`.
async function bring(page, c) {
  for (let attempt = 0; attempt < 3; attempt++) {
    let v = await openViews(page);
    if (v.inspect !== c.inspect) await clickWidget(page, 'Inspect');
    if (v.mistakes !== c.mistakes) await clickWidget(page, 'Mistakes');
    if (v.data !== c.data) await clickWidget(page, 'Data at a glance');
    v = await openViews(page);
    if (c.why && v.why !== c.why) await clickWidget(page, c.why === 'occlusion' ? 'Why: occlusion' : 'Why: gradient');
    v = await openViews(page);
    if (v.inspect === c.inspect && v.mistakes === c.mistakes && v.data === c.data && (!c.why || v.why === c.why)) return;
  }
  throw new Error(`could not bring the page to "${c.name}": it shows ${JSON.stringify(await openViews(page))}`);
}

// Samples/s between two progress messages about `seconds` apart; null when an epoch ended in
// between or was about to (its evaluation is not training speed), or the run stopped.
const windowSpeed = (page, seconds) => page.evaluate(async (seconds) => {
  const d = window.digitrain;
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  let evaluated = false;
  const watch = (s) => { if (s.evaluating != null) evaluated = true; return s; };
  const nextChange = async (after) => {
    for (;;) {
      const s = watch(d.status());
      if (s.state !== 'training') return null;
      if (s.samplesSeen !== after) return { s, t: performance.now() };
      await sleep(5);
    }
  };
  const a = await nextChange(d.status().samplesSeen);
  if (!a) return null;
  for (const end = performance.now() + seconds * 1000; performance.now() < end;) {
    watch(d.status());
    await sleep(20);
  }
  const b = await nextChange(d.status().samplesSeen);
  if (!b || b.s.epoch !== a.s.epoch || evaluated) return null;
  return (b.s.samplesSeen - a.s.samplesSeen) / ((b.t - a.t) / 1000);
}, seconds);

// CPU seconds used so far by the browser's threads, split into web workers (the trainer) and
// the rest; null without Linux's /proc.
function browserCpu() {
  if (!fs.existsSync('/proc/self/task')) return null;
  const ticks = { workers: 0, rest: 0 };
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('chromium')) continue;
      for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
        const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ticks[name.startsWith('DedicatedWorker') ? 'workers' : 'rest'] += Number(fields[11]) + Number(fields[12]);  // utime + stime
      }
    } catch {
      // a process or thread that ended while being read
    }
  }
  return { workers: ticks.workers / 100, rest: ticks.rest / 100 };  // USER_HZ is 100 on Linux
}

// Pen strokes of a zero in the pad's unit square.
const ZERO = [[0.5, 0.15], [0.3, 0.3], [0.28, 0.6], [0.5, 0.85], [0.7, 0.6], [0.7, 0.3], [0.5, 0.15]];

async function drawZero(page) {
  const r = await page.evaluate(() => window.digitrain.drawPadRect());
  const at = ([u, v]) => [r.x + u * r.width, r.y + v * r.height];
  await page.mouse.move(...at(ZERO[0]));
  await page.mouse.down();
  for (let i = 1; i < ZERO.length; i++) {
    const [x0, y0] = at(ZERO[i - 1]), [x1, y1] = at(ZERO[i]);
    for (let k = 1; k <= 6; k++) await page.mouse.move(x0 + ((x1 - x0) * k) / 6, y0 + ((y1 - y0) * k) / 6);
  }
  await page.mouse.up();
  await frames(page, 6);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// One record per condition: its windows' samples/s, their median, and the median's ratio to
// "views closed" (1 - ratio is what the view costs training).
export async function benchViews({ browser, baseUrl, preset = 'keras-cnn', batch = 32, threads, rounds, windowSeconds, timeoutMs = 900000 }) {
  const { page, log, close } = await openPage(browser, `${baseUrl}/`, { timeoutMs, viewport: VIEWPORT });
  try {
    await page.waitForFunction(() => window.digitrain, null, { timeout: 60000 });
    await page.evaluate(() => window.digitrain.ready);
    // Enough epochs that the run outlasts every window: it is stopped after the last. (20 did
    // not, once Winograd brought a keras-cnn epoch here down to about 9 s.)
    await page.evaluate((config) => window.digitrain.start(config), { preset, batch, threads, epochs: 1000, seed: 1 });
    await page.waitForFunction(() => {
      const s = window.digitrain.status();
      if (s.state === 'error') throw new Error(s.message || 'training stopped with an error');
      return s.testAccuracy != null && s.state === 'training';
    }, null, { timeout: timeoutMs, polling: 200 });
    await drawZero(page);
    if ((await page.evaluate(() => window.digitrain.shown().guess)) === '-') throw new Error('the pad has no guess after drawing');
    const windows = CONDITIONS.map(() => []);
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < CONDITIONS.length; i++) {
        await bring(page, CONDITIONS[i]);
        // The view's first build, and the second after the clicks in which the UI is built in
        // every frame (src/app/main.cpp), are not part of the window: it measures a person
        // watching the view.
        await page.waitForTimeout(1200);
        let speed = null, cpu = null;
        for (let tries = 0; speed == null && tries < 10; tries++) {
          const [c0, t0] = [browserCpu(), performance.now()];
          speed = await windowSpeed(page, windowSeconds);
          const [c1, t1] = [browserCpu(), performance.now()];
          if (c0 && c1) cpu = { ui: (c1.rest - c0.rest) / ((t1 - t0) / 1000), workers: (c1.workers - c0.workers) / ((t1 - t0) / 1000) };
        }
        if (speed == null) throw new Error(`no window without an epoch's end for "${CONDITIONS[i].name}"`);
        windows[i].push({ speed, cpu });
      }
    }
    await page.evaluate(() => window.digitrain.stop());
    const speeds = windows.map((list) => list.map((w) => w.speed));
    const ui = windows.map((list) => (list.every((w) => w.cpu) ? median(list.map((w) => w.cpu.ui)) : null));
    const workers = windows.map((list) => (list.every((w) => w.cpu) ? median(list.map((w) => w.cpu.workers)) : null));
    return CONDITIONS.map((c, i) => ({
      peer: 'digitrain-browser', preset, batch, threads, view: c.name, windows: speeds[i], window_seconds: windowSeconds,
      samples_per_second: median(speeds[i]), ratio_to_closed: median(speeds[i]) / median(speeds[0]),
      // CPU cores in use, median over the windows: the browser outside its workers, and the
      // workers (the trainer); the view's share of the machine is ui - ui of "views closed"
      // over the core count.
      ui_cores: ui[i], worker_cores: workers[i],
    }));
  } catch (e) {
    const msg = e.message.split('\n')[0].replace(/^page\.\w+: (Error: )?/, '');
    throw new Error(log.length ? `${msg} (console: ${log.slice(-2).join(' / ')})` : msg);
  } finally {
    await close();
  }
}
