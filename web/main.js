// The page's glue: starts the UI's WebAssembly module and the training worker, carries
// messages between them (protocol in worker.js), keeps #status in words and exposes
// window.digitrain, the contract tests and scripts use (see README).
'use strict';
(() => {
  const canvas = document.getElementById('canvas');
  const statusEl = document.getElementById('status');
  const isolated = self.crossOriginIsolated === true;

  // ---- state as window.digitrain.status() reports it ------------------------------------------
  const status = {
    state: 'loading', epoch: 0, step: 0, samplesSeen: 0, loss: null, trainAccuracy: null,
    testAccuracy: null, samplesPerSecond: 0, threads: 0, simd: typeof WebAssembly === 'object' &&
      WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11])),
    crossOriginIsolated: isolated, maxThreads: 1,
  };
  let confusion = null;
  let loadingText = 'starting';

  function describe() {
    const pct = (x) => (x == null ? '-' : `${(100 * x).toFixed(2)}%`);
    switch (status.state) {
      case 'loading': return `loading: ${loadingText}`;
      case 'idle': return `idle: ready to train (${status.maxThreads} thread${status.maxThreads > 1 ? 's' : ''}${isolated ? '' : ', single-threaded: page not cross-origin isolated'})${status.restored ? `; restored the saved model (test accuracy ${pct(status.testAccuracy)})` : ''}`;
      case 'training': return `training: epoch ${status.epoch}, step ${status.step}, train accuracy ${pct(status.trainAccuracy)}, ${Math.round(status.samplesPerSecond)} samples/s on ${status.threads} thread${status.threads > 1 ? 's' : ''}`;
      case 'paused': return `paused at step ${status.step}`;
      case 'done': return `done: test accuracy ${pct(status.testAccuracy)} after ${status.epoch} epoch${status.epoch > 1 ? 's' : ''}`;
      case 'error': return `error: ${status.message}`;
      default: return status.state;
    }
  }
  // A screen reader announces every change of #status: state changes go out at once,
  // progress within a state at most once a second.
  let shownText = '', shownState = '', shownAt = 0, statusTimer = 0;
  function showStatus(immediately) {
    const text = describe();
    if (text === shownText) return;
    const now = performance.now();
    if (!immediately && status.state === shownState && now - shownAt < 1000) {
      if (!statusTimer) statusTimer = setTimeout(() => { statusTimer = 0; showStatus(); }, 1000 - (now - shownAt));
      return;
    }
    shownText = text;
    shownState = status.state;
    shownAt = now;
    statusEl.textContent = text;
    statusEl.classList.toggle('error', status.state === 'error');
  }

  // ---- ready: the UI draws, the worker is up and the data is loaded ----------------------------
  let uiUp = false, workerUp = false, resolveReady, rejectReady;
  const ready = new Promise((resolve, reject) => { resolveReady = resolve; rejectReady = reject; });
  ready.catch(() => {});  // the failure is shown in #status; callers may still catch it
  function checkReady() {
    if (!uiUp || !workerUp) return;
    restore().finally(resolveReady);
  }
  function fail(message) {
    status.state = 'error';
    status.message = message;
    showStatus();
    rejectReady(new Error(message));
    if (app) app.ccall('app_on_message', null, ['string'], [JSON.stringify({ type: 'error', message })]);
  }

  // ---- the UI module -----------------------------------------------------------------------
  let app = null;
  const early = [];  // worker messages that arrive before the UI is up

  function toApp(m) {
    if (!app) { early.push(m); return; }
    if (m.type !== 'progress' && pendingProgress) {  // keep the order: progress before what follows it
      const p = pendingProgress;
      pendingProgress = null;
      toApp(p);
    }
    switch (m.type) {
      case 'weights': withBytes(m.bytes, (p) => app._app_set_weights(p, m.bytes.length)); return;
      case 'predictions': withBytes(m.predicted, (p) => app._app_set_predictions(p, m.predicted.length)); return;
      case 'testset':
        withBytes(m.images, (pi) => withBytes(m.labels, (pl) =>
          app.ccall('app_set_testset', null, ['string', 'number', 'number', 'number'], [m.dataset, pi, pl, m.labels.length])));
        return;
      default: app.ccall('app_on_message', null, ['string'], [JSON.stringify(m)]);
    }
  }
  function withBytes(bytes, fn) {
    const p = app._malloc(bytes.length);
    app.HEAPU8.set(bytes, p);
    try { fn(p); } finally { app._free(p); }
  }
  function readFloats(ptr, n) { return Array.from(app.HEAPF32.subarray(ptr >> 2, (ptr >> 2) + n)); }
  function prediction(ptr) {
    const v = readFloats(ptr, 11);
    return { digit: v[0], probabilities: v.slice(1) };
  }

  createAppModule({
    canvas,
    onCommand: (json) => command(JSON.parse(json)),
    onUiReady: (error) => {
      if (error) { fail(`the user interface cannot start: ${error}`); return; }
      uiUp = true;
      document.body.classList.add('ui-up');
      checkReady();
    },
    onAbort: (what) => fail(`the user interface stopped: ${what}`),
    printErr: (text) => console.warn(text),
  }).then((module) => {
    app = module;
    early.splice(0).forEach(toApp);
  }, (e) => fail(`the user interface cannot start: ${e.message || e}`));

  // Mouse, touch and pen, all as pointer events in CSS pixels relative to the canvas.
  function pointer(e, down) {
    if (!app) return;
    const r = canvas.getBoundingClientRect();
    app._app_pointer(e.clientX - r.left, e.clientY - r.top, down ? 1 : 0);
  }
  canvas.addEventListener('pointerdown', (e) => { canvas.setPointerCapture(e.pointerId); pointer(e, true); e.preventDefault(); });
  canvas.addEventListener('pointermove', (e) => pointer(e, (e.buttons & 1) !== 0));
  canvas.addEventListener('pointerup', (e) => pointer(e, false));
  canvas.addEventListener('pointercancel', (e) => pointer(e, false));
  // Here rather than inline in index.html: `make serve`'s Content-Security-Policy forbids inline handlers.
  canvas.addEventListener('contextmenu', (e) => e.preventDefault());

  // ---- the worker ----------------------------------------------------------------------------
  const worker = new Worker(`worker.js${location.search}`);
  function send(message) { worker.postMessage(message); }
  let latestWeights = null;  // the worker's latest .safetensors snapshot
  let runConfig = {};
  let lastProgress = null, lastEpoch = null, saveWithNextWeights = false;
  let saved = null;          // the run restored from storage, if any

  function persist() {
    if (!latestWeights) return;
    saved = { config: runConfig, weights: latestWeights, progress: lastProgress, epoch: lastEpoch, savedAt: Date.now() };
    SavedRun.save(saved);
  }

  // After a reload: the saved model answers on the pad, its metrics are shown, and Continue
  // (or start({resume: true})) trains on from its weights.
  async function restore() {
    const r = await SavedRun.load();
    if (!r || !r.weights) return;
    saved = r;
    runConfig = r.config || {};
    latestWeights = r.weights;
    toApp({ type: 'weights', bytes: r.weights });
    if (r.progress) { toApp({ type: 'progress', ...r.progress }); Object.assign(status, pickProgress(r.progress)); }
    if (r.epoch && r.epoch.confusion && r.epoch.confusion.length === 100) {  // saved as 100 counts before
      r.epoch.confusion = Array.from({ length: 10 }, (_, i) => r.epoch.confusion.slice(i * 10, i * 10 + 10));
    }
    if (r.epoch) { toApp({ type: 'epoch', ...r.epoch }); takeEpoch(r.epoch); }
    toApp({ type: 'restored', savedAt: r.savedAt, preset: runConfig.preset || 'keras-cnn' });
    status.restored = true;
    showStatus(true);
  }
  function pickProgress(m) {
    return { epoch: m.epoch, step: m.step, samplesSeen: m.samplesSeen, loss: m.epochLoss,
      trainAccuracy: m.trainAccuracy, samplesPerSecond: m.samplesPerSecond, threads: m.threads };
  }
  function takeEpoch(m) {
    status.testAccuracy = m.testAccuracy;
    confusion = m.confusion.map((row) => row.slice());  // rows: the true class
  }
  function startMessage(config) {
    const message = { type: 'start', config: config || {} };
    if (message.config.resume && saved && saved.weights) {
      message.config = { ...saved.config, ...message.config };
      message.weights = saved.weights;
    }
    return message;
  }

  // Commands from the UI: most go to the worker; saving the weights is the page's job.
  function command(message) {
    if (message.type === 'start') { send(startMessage(message.config)); return; }
    if (message.type === 'reset') {  // back to an untrained model: forget the saved run too
      lastProgress = lastEpoch = latestWeights = saved = null;
      confusion = null;
      Object.assign(status, { epoch: 0, step: 0, samplesSeen: 0, loss: null, trainAccuracy: null, testAccuracy: null, restored: false });
      SavedRun.clear();
      send({ type: 'stop' });
      showStatus(true);
      return;
    }
    if (message.type !== 'save') { send(message); return; }
    if (!latestWeights) return;
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([latestWeights], { type: 'application/octet-stream' }));
    link.download = `digitrain-${runConfig.preset || 'keras-cnn'}.safetensors`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }
  worker.onerror = (e) => fail(`the training worker failed: ${e.message || 'unknown error'}`);

  worker.onmessage = (event) => {
    const m = event.data;
    switch (m.type) {
      case 'loading': {
        const name = m.file.split('/').pop();
        loadingText = m.total ? `${name} ${Math.round((100 * m.loaded) / m.total)}%` : `${name} ${(m.loaded / 1e6).toFixed(1)} MB`;
        if (status.state !== 'error') status.state = 'loading';
        break;
      }
      case 'ready':
        status.maxThreads = m.maxThreads;
        status.simd = status.simd && m.simd;
        workerUp = true;
        checkReady();
        break;
      case 'state':
        if (m.state === 'idle' && status.state !== 'loading' && lastProgress) persist();  // stopped: keep it
        status.state = m.state;
        if (m.state !== 'error') delete status.message;
        break;
      case 'started':
        runConfig = m.config || {};
        lastProgress = lastEpoch = null;
        Object.assign(status, { epoch: 1, step: 0, samplesSeen: 0, loss: null, trainAccuracy: null, testAccuracy: null });
        confusion = null;
        break;
      case 'progress':
        lastProgress = m;
        Object.assign(status, pickProgress(m));
        break;
      case 'epoch':
        lastEpoch = m;
        saveWithNextWeights = true;  // the epoch's weights follow this message
        takeEpoch(m);
        break;
      case 'weights':
        latestWeights = m.bytes;
        if (saveWithNextWeights) { saveWithNextWeights = false; persist(); }
        break;
      case 'error':
        fail(m.message);
        return;
      default: break;
    }
    showStatus();
    if (m.type === 'progress') toAppThrottled(m);
    else toApp(m);
  };

  // Progress arrives every ~50 ms; the UI shows it at most 5 times a second, since every
  // change costs a redraw and, with software WebGL, CPU that training would use.
  const PROGRESS_EVERY_MS = 200;
  let pendingProgress = null, progressTimer = 0;
  function toAppThrottled(m) {
    pendingProgress = m;
    if (progressTimer) return;
    progressTimer = setTimeout(() => {
      progressTimer = 0;
      const p = pendingProgress;
      pendingProgress = null;
      if (p) toApp(p);
    }, PROGRESS_EVERY_MS);
  }

  // ---- the contract --------------------------------------------------------------------------
  window.digitrain = {
    ready,
    // config.resume: continue from the model saved before a reload (same preset).
    start(config) { send(startMessage(config)); },
    pause() { send({ type: 'pause' }); },
    resume() { send({ type: 'resume' }); },
    stop() { send({ type: 'stop' }); },
    setLearningRate(lr) { send({ type: 'set', lr }); },
    status() { return { ...status }; },
    confusion() { return confusion && confusion.map((row) => row.slice()); },
    predict(pixels) {
      if (!app || !pixels || pixels.length !== 784) throw new Error('predict needs 784 pixel values (28x28, row-major, in [0,1])');
      const p = app._malloc(784 * 4);
      app.HEAPF32.set(Float32Array.from(pixels), p >> 2);
      try { return prediction(app._app_predict(p)); } finally { app._free(p); }
    },
    lastPrediction() { return app ? prediction(app._app_last_prediction()) : null; },
    drawPadRect() {
      if (!app) return null;
      const [x, y, width, height] = readFloats(app._app_pad_rect(), 4);
      const r = canvas.getBoundingClientRect();
      return { x: r.left + x, y: r.top + y, width, height };
    },
    clearPad() { if (app) app._app_clear_pad(); },
    // Beyond the contract, for tests: where a confusion-matrix cell is (CSS pixels), and
    // which cell is selected with how many of its test images are shown.
    confusionCellRect(truth, predicted) {
      if (!app) return null;
      const [x, y, width] = readFloats(app._app_heatmap_rect(), 4);
      if (!width) return null;
      const r = canvas.getBoundingClientRect(), cell = width / 10;
      return { x: r.left + x + predicted * cell, y: r.top + y + truth * cell, width: cell, height: cell };
    },
    selectedCell() {
      if (!app) return null;
      const [truth, predicted, shown] = readFloats(app._app_selected_cell(), 3);
      return truth < 0 ? null : { truth, predicted, shown };
    },
  };
  showStatus();
})();
