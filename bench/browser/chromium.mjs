// Headless Chromium for the benchmark, driven by playwright-core. The browser is the system's
// (/usr/bin/chromium): playwright's own browser downloads are not used. SwiftShader gives
// WebGL2 without a GPU, which is what the TensorFlow.js webgl backend runs on here.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.DT_CHROMIUM || '/usr/bin/chromium';

const FLAGS = [
  '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--enable-unsafe-swiftshader', '--use-angle=swiftshader',
  // A benchmark tab must not be throttled as a background tab would be.
  '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows',
];

export async function launch() {
  try {
    return await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  } catch (e) {
    throw new Error(`cannot start Chromium at ${CHROMIUM} (install it with scripts/setup.sh): ${e.message.split('\n')[0]}`);
  }
}

// A fresh page whose console errors and crashes are kept for error messages; `viewport` in
// CSS pixels, or playwright's default (1280x720).
export async function openPage(browser, url, { timeoutMs = 120000, viewport } = {}) {
  const context = await browser.newContext(viewport ? { viewport } : {});
  const page = await context.newPage();
  const log = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') log.push(m.text()); });
  page.on('pageerror', (e) => log.push(`page error: ${e.message}`));
  page.setDefaultTimeout(timeoutMs);
  await page.goto(url, { waitUntil: 'load' });
  return { page, log, close: () => context.close() };
}
