// The page against careless and hostile input, in headless Chromium: predict() with values
// that are not pixels, a dataset that does not exist, a training worker that dies mid-run, and
// saved runs that cannot be read. Nothing may stop the page: each says what was wrong, and the
// next thing a user does works without a reload.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { openApp, waitForState, ready, status, statusText } = require('./harness.js');

const OUT = process.env.DT_WEB_TEST_OUT || path.join(__dirname, '..', '..', 'build', 'web-test');
fs.mkdirSync(OUT, { recursive: true });


// Trains `config` until a few steps have run, then stops it (the run is then saved).
async function trainBriefly(page, config) {
  await page.evaluate((c) => window.digitrain.start(c), config);
  await page.waitForFunction(() => window.digitrain.status().step > 5, null, { timeout: 60_000, polling: 100 });
  await page.evaluate(() => window.digitrain.stop());
  await waitForState(page, ['idle'], 10_000);
}

test('bad input while the page runs', { timeout: 300_000 }, async (t) => {
  const { page, errors, close } = await openApp();
  t.after(close);
  const requested = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  await ready(page);
  // Set once: if any step below reloaded the page, it would be gone.
  await page.evaluate(() => { window.notReloaded = true; });

  await t.test('predict() refuses what is not 784 pixels in [0, 1], naming the first bad one', async () => {
    const answers = await page.evaluate(() => {
      const image = (bad) => { const p = new Array(784).fill(0); p[300] = bad; return p; };
      const inputs = { nan: image(NaN), infinity: image(Infinity), string: image('0.5'), huge: image(-1e30),
        short: new Array(783).fill(0), text: 'x'.repeat(784), nothing: undefined };
      return Object.fromEntries(Object.entries(inputs).map(([name, input]) => {
        try {
          return [name, `answered ${JSON.stringify(window.digitrain.predict(input))}`];
        } catch (e) {
          return [name, e.message];
        }
      }));
    });
    assert.match(answers.nan, /pixel 300 \(row 10, column 20\) is NaN/);
    assert.match(answers.infinity, /pixel 300 .* is Infinity/);
    assert.match(answers.string, /pixel 300 .* is the string "0\.5"/);
    assert.match(answers.huge, /pixel 300 .* is -1e\+30/);
    assert.match(answers.short, /given 783 values/);
    assert.match(answers.text, /given the string/);
    assert.match(answers.nothing, /given nothing/);
    for (const a of Object.values(answers)) assert.match(a, /^predict takes 784 numbers in \[0, 1\]/);
    // A good image still gets its answer.
    const good = await page.evaluate(() => window.digitrain.predict(new Array(784).fill(0.5)));
    assert.ok(Math.abs(good.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-4);
    assert.equal((await status(page)).state, 'idle');
  });

  await t.test('an unknown dataset is refused before anything is fetched', async () => {
    await page.evaluate(() => window.digitrain.start({ dataset: 'cifar' }));
    const s = await waitForState(page, ['error'], 10_000);
    assert.match(s.message, /unknown dataset 'cifar' \(use mnist or fashion\)/);
    assert.match(await statusText(page), /^error: unknown dataset 'cifar'/);
    assert.deepEqual(requested.filter((p) => p.includes('cifar')), []);
  });

  await t.test('a batch too big for the page is refused with the batch that fits', async () => {
    await page.evaluate(() => window.digitrain.start({ preset: 'keras-cnn', batch: 65536 }));
    // The page is still in the last test's error state: wait for this start's own message.
    await page.waitForFunction(() => /batch 65536/.test(window.digitrain.status().message || ''), null, { timeout: 10_000, polling: 50 });
    const s = await status(page);
    assert.equal(s.state, 'error');
    assert.match(s.message, /batch 65536 needs about [\d.]+ GB .* use a batch of \d+ or less/);
  });

  await t.test('a worker that dies mid-run is reported, and the next run starts without a reload', async () => {
    await page.evaluate(() => window.digitrain.start({ preset: 'fast' }));
    await page.waitForFunction(() => window.digitrain.status().step > 5, null, { timeout: 60_000, polling: 100 });
    // The training worker throws past every handler of its own, as a trap in its engine would.
    const trainer = page.workers().find((w) => /\/worker\.js/.test(w.url()));
    assert.ok(trainer, `no training worker among ${page.workers().map((w) => w.url())}`);
    await trainer.evaluate(() => { setTimeout(() => { throw new Error('the engine trapped'); }, 0); });
    const s = await waitForState(page, ['error'], 10_000);
    assert.match(s.message, /the training worker failed: .*the engine trapped.*the next run starts a fresh one/);
    assert.match(await statusText(page), /^error: the training worker failed/);
    await page.waitForTimeout(600);  // the UI redraws what changed at most twice a second
    await page.screenshot({ path: path.join(OUT, 'worker-died.png') });

    // No reload: Start again; a fresh worker loads MNIST and trains.
    await page.evaluate(() => window.digitrain.start({ preset: 'fast' }));
    await waitForState(page, ['training'], 60_000);
    await page.waitForFunction(() => window.digitrain.status().step > 5, null, { timeout: 60_000, polling: 100 });
    await page.evaluate(() => window.digitrain.stop());
    await waitForState(page, ['idle'], 10_000);
    assert.equal(await page.evaluate(() => window.notReloaded), true);
  });

  // The worker's death is an uncaught error in the worker, which Chromium also logs.
  assert.deepEqual(errors.filter((e) => !/the engine trapped/.test(e)), []);
});

// Writes `value` as the saved run (IndexedDB digitrain/runs/latest), as another version of the
// page, an extension or a half-finished write might have left it.
function storeRecord(page, value) {
  return page.evaluate((v) => new Promise((resolve, reject) => {
    const open = indexedDB.open('digitrain', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('runs');
    open.onsuccess = () => {
      const tx = open.result.transaction('runs', 'readwrite');
      const record = v.weightsAsBytes ? { ...v.record, weights: new Uint8Array(v.record.weights) } : v.record;
      tx.objectStore('runs').put(record, 'latest');
      tx.oncomplete = () => { open.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  }), value);
}
function storedKeys(page) {
  return page.evaluate(() => new Promise((resolve) => {
    const open = indexedDB.open('digitrain', 1);
    open.onsuccess = () => {
      const request = open.result.transaction('runs').objectStore('runs').getAllKeys();
      request.onsuccess = () => { open.result.close(); resolve(request.result.sort()); };
    };
  }));
}
function readLatest(page) {
  return page.evaluate(() => new Promise((resolve) => {
    const open = indexedDB.open('digitrain', 1);
    open.onsuccess = () => {
      const request = open.result.transaction('runs').objectStore('runs').get('latest');
      request.onsuccess = () => {
        open.result.close();
        const r = request.result;
        resolve(r && { ...r, weights: Array.from(r.weights) });
      };
    };
  }));
}

test('a saved run that cannot be read is set aside with a message; the page starts', { timeout: 300_000 }, async (t) => {
  const { page, errors, close } = await openApp();
  t.after(close);
  await ready(page);
  await trainBriefly(page, { preset: 'mlp' });
  let good;  // the stopped run is written to IndexedDB as the stop is reported
  for (let i = 0; i < 50 && !good; i++) {
    good = await readLatest(page);
    if (!good) await page.waitForTimeout(100);
  }
  assert.ok(good && good.version === 2 && good.weights.length > 1000, 'a stopped run is saved, with its version');

  // The last float of the weights (little-endian) becomes NaN.
  const nan = [...good.weights];
  nan.splice(nan.length - 4, 4, 0x00, 0x00, 0xc0, 0x7f);
  const noConfusion = { ...good, epoch: { type: 'epoch', epoch: 1, testAccuracy: 0.9 } };
  const cases = [
    ['a plain string', 'garbage', /it is a string, not a run/],
    ['an epoch report without its confusion matrix', noConfusion, /epoch\.confusion is not 10 rows of 10 counts/],
    ['a record from a newer page', { ...good, version: 7 }, /newer version of digitrain/],
    ['weights holding NaN', { ...good, weights: nan }, /its weights were refused: .*(NaN|not finite|non-finite)/],
  ];
  for (const [name, record, problem] of cases) {
    await t.test(name, async () => {
      await storeRecord(page, { record, weightsAsBytes: Boolean(record && record.weights) });
      await page.reload();
      await ready(page);  // resolves: a bad record never stops the page
      const s = await status(page);
      assert.equal(s.state, 'idle');
      assert.notEqual(s.restored, true);
      assert.match(s.notice, problem);
      assert.match(await statusText(page), /^idle: ready to train .*could not be read .*set aside; training starts afresh/);
      assert.deepEqual(await storedKeys(page), ['set-aside']);
      assert.equal(await page.evaluate(() => window.digitrain.confusion()), null);
    });
  }
  await page.screenshot({ path: path.join(OUT, 'saved-run-set-aside.png') });

  await t.test('the next run trains, is saved and comes back after a reload', async () => {
    await trainBriefly(page, { preset: 'mlp' });
    // The stopped run is written when its last weights arrive, just after the state says idle:
    // a reload in between would race the write (a person's reload a moment after Stop still
    // finds the copy saved every 5 s). Wait for the stopped run's copy, at its last step.
    const step = (await status(page)).step;
    for (let waited = 0; ; waited += 100) {
      const r = await readLatest(page);
      if (r && r.resumable && r.progress && r.progress.step === step) break;
      assert.ok(waited < 10_000, 'the stopped run was saved within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await page.reload();
    await ready(page);
    const s = await status(page);
    assert.equal(s.restored, true);
    assert.equal(s.notice, undefined);
    assert.match(await statusText(page), /restored the run stopped at step \d+ \(Continue trains on exactly from there\)/);
  });
  assert.deepEqual(errors, []);
});
