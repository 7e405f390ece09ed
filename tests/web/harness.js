// Shared set-up for the browser tests: serve the built site (with or without cross-origin
// isolation headers) on a free port and open it in headless Chromium through playwright-core.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');
const http = require('http');
const { staticHandler } = require('../../web/serve.js');

const SITE = process.env.DT_SITE_DIR || path.join(__dirname, '..', '..', 'dist');
const CHROMIUM = process.env.DT_CHROMIUM || '/usr/bin/chromium';
// Software WebGL (SwiftShader) and nothing that phones home; see the README's test notes.
const FLAGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--enable-unsafe-swiftshader', '--use-angle=swiftshader'];

// `routes` maps a URL path to the bytes served for it (e.g. a corrupt data file).
function serve(isolation, routes = {}) {
  if (!fs.existsSync(path.join(SITE, 'index.html'))) throw new Error(`${SITE}/index.html is missing: build the site first (make site)`);
  const files = staticHandler({ root: SITE, isolation });
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      const body = routes[new URL(req.url, 'http://localhost').pathname];
      if (body === undefined) { files(req, res); return; }
      res.writeHead(200, { 'Content-Type': 'application/gzip', 'Content-Length': body.length, 'Cross-Origin-Resource-Policy': 'same-origin' });
      res.end(body);
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// Opens the app; returns {page, errors, loaded, close}. `errors` collects console errors and
// page exceptions for the whole session; `loaded` counts the bytes the page fetched.
// serviceWorker: serve without headers and let the page's service worker isolate it.
// device: more of the browser context's options, e.g. a phone's {deviceScaleFactor, hasTouch, isMobile}.
async function openApp({ isolation = true, serviceWorker = false, query = '', routes = {}, viewport = { width: 1280, height: 860 }, device = {} } = {}) {
  const server = await serve(isolation && !serviceWorker, routes);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'digitrain-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: FLAGS, viewport, ...device,
  });
  const page = context.pages()[0] || await context.newPage();
  const errors = [];
  const loaded = { bytes: 0, files: 0 };  // what the page fetched, by Content-Length
  page.on('response', (r) => {
    if (r.request().method() === 'HEAD') return;  // sizes asked for, nothing fetched
    const n = Number(r.headers()['content-length']);
    if (n > 0) { loaded.bytes += n; loaded.files += 1; }
  });
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  // localhost is a secure context; without isolation headers the page must not switch to the
  // service worker, or both runs would test the same thing.
  const q = isolation || serviceWorker ? query : `?isolate=0${query ? `&${query.replace(/^\?/, '')}` : ''}`;
  await page.goto(`http://localhost:${server.address().port}/${q}`);
  const close = async () => {
    await context.close();
    server.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { page, errors, loaded, close };
}

async function waitForState(page, states, timeoutMs) {
  await page.waitForFunction((s) => s.includes(window.digitrain.status().state), states, { timeout: timeoutMs, polling: 100 });
  return page.evaluate(() => window.digitrain.status());
}

// The page is up: window.digitrain exists and its `ready` has resolved.
async function ready(page) {
  await page.waitForFunction(() => window.digitrain, null, { timeout: 20_000 });
  await page.evaluate(() => window.digitrain.ready);
}
// Resolves after `n` animation frames of the page (the UI reads input in its next frame and
// shows the result in the one after).
const frames = (page, n = 6) => page.evaluate((k) => new Promise((done) => {
  const step = (left) => (left ? requestAnimationFrame(() => step(left - 1)) : done());
  step(k);
}), n);

// A click as a person makes it at (x, y), a frame or two between moving, pressing and releasing.
async function click(page, x, y) {
  await page.mouse.move(x, y);
  await frames(page, 2);
  await page.mouse.down();
  await frames(page, 2);
  await page.mouse.up();
  await frames(page, 4);
}

// A named widget's rectangle (window.digitrain.widgetRect), or null.
const widgetRect = (page, name) => page.evaluate((n) => window.digitrain.widgetRect(n), name);

// Wheels the Train window until the named control is wholly in view and has stopped moving;
// returns its rectangle.
async function reveal(page, name) {
  const height = page.viewportSize().height;
  for (let i = 0; i < 40; i++) {
    const r = await widgetRect(page, name);
    await frames(page, 2);
    const again = await widgetRect(page, name);
    const still = r && again && r.x === again.x && r.y === again.y;
    if (still && r.width > 0 && r.y >= 30 && r.y + r.height <= height - 10) return r;
    await page.mouse.move(200, height / 2);
    await page.mouse.wheel(0, !r || r.width === 0 || r.y + r.height > height - 10 ? 120 : -120);
    await frames(page, 3);
  }
  throw new Error(`${name} never came into view: ${JSON.stringify(await widgetRect(page, name))}`);
}

// A real click in the middle of a named Train-window control, scrolled into view first.
async function press(page, name) {
  const r = await reveal(page, name);
  await click(page, r.x + r.width / 2, r.y + r.height / 2);
}

// Retypes the focused text field as a person does: select all, type, Enter, a frame or two
// apart (ImGui reads the keyboard once per frame, and a field takes it in the frame after the
// click that focused it).
async function retype(page, text) {
  await frames(page, 4);
  await page.keyboard.press('Control+A');
  await frames(page, 2);
  await page.keyboard.type(text, { delay: 50 });
  await frames(page, 2);
  await page.keyboard.press('Enter');
  await frames(page, 4);
}

const status = (page) => page.evaluate(() => window.digitrain.status());
const statusText = (page) => page.textContent('#status');

module.exports = { openApp, waitForState, ready, status, statusText, frames, click, widgetRect, reveal, press, retype, SITE };
