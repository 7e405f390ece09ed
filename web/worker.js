// The training worker: loads the engine's WebAssembly module and the dataset, then trains in
// short slices so that it always hears pause, stop or a new learning rate within ~50 ms.
//
// Message protocol (plain objects through postMessage)
//   page -> worker
//     {type: 'start', config, weights?}   config as in window.digitrain.start (all fields
//                                 optional); weights: .safetensors to continue training from
//     {type: 'pause'} | {type: 'resume'} | {type: 'stop'}
//     {type: 'set', lr}          a new learning rate for the running session
//   worker -> page
//     {type: 'loading', file, loaded, total}          bytes of the compressed file so far
//     {type: 'ready', maxThreads, simd, crossOriginIsolated, datasets}
//     {type: 'testset', dataset, images, labels}       copies, for showing test examples
//     {type: 'started', config, settings, threads}     a run began (curves start afresh);
//                                                      settings: what it really uses
//     {type: 'state', state}                           loading | idle | training | paused | done
//     {type: 'progress', ...}                          after every slice (see training_session.h)
//     {type: 'epoch', ...}                             metrics and the test confusion matrix
//     {type: 'predictions', dataset, predicted}        predicted class of each test image
//     {type: 'weights', bytes}                         .safetensors snapshot (about once a second)
//     {type: 'error', message}                         anything that went wrong, in words
'use strict';

const params = new URLSearchParams(self.location.search);
const dataRoot = params.get('data') || 'data/';
const isolated = self.crossOriginIsolated === true && typeof SharedArrayBuffer !== 'undefined';
const moduleFile = isolated ? 'digitrain-worker-mt.js' : 'digitrain-worker.js';
const SLICE_MS = 50;          // training time per message-loop turn
const WEIGHTS_EVERY_MS = 1000;

let engine = null;            // the Emscripten module
let state = 'loading';
let dataset = 'mnist';
let lastWeightsAt = 0;
const loaded = new Set();

function post(message, transfer) { self.postMessage(message, transfer || []); }
function setState(next) { state = next; post({ type: 'state', state }); }
function fail(message) { state = 'error'; post({ type: 'error', message: String(message) }); }

// ---- calling the engine -------------------------------------------------------------------
function withString(text, fn) {
  const size = engine.lengthBytesUTF8(text) + 1;
  const ptr = engine._malloc(size);
  engine.stringToUTF8(text, ptr, size);
  try { return fn(ptr); } finally { engine._free(ptr); }
}
// A view of the whole wasm memory. With pthreads, memory grown by another thread leaves
// HEAPU8 short, so the view is renewed from the memory itself when it no longer covers it.
function heap() {
  const memory = engine.wasmMemory;
  if (memory && engine.HEAPU8.byteLength !== memory.buffer.byteLength) engine.HEAPU8 = new Uint8Array(memory.buffer);
  return engine.HEAPU8;
}
function copyOut(ptr, size) { return heap().slice(ptr, ptr + size); }

// ---- data ---------------------------------------------------------------------------------
const FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

// Fetches one gzip file, reporting compressed bytes as they arrive, and inflates it.
async function fetchGzip(url) {
  let response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new Error(`could not fetch ${url} (${e.message})`);
  }
  if (!response.ok) throw new Error(`data file ${url} is missing (HTTP ${response.status}); rebuild the site with "make site"`);
  const total = Number(response.headers.get('content-length')) || 0;
  let got = 0;
  const counter = new TransformStream({
    transform(chunk, out) {
      got += chunk.byteLength;
      post({ type: 'loading', file: url, loaded: got, total });
      out.enqueue(chunk);
    },
  });
  try {
    const inflated = response.body.pipeThrough(counter).pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(inflated).arrayBuffer());
  } catch (e) {
    throw new Error(`data file ${url} is corrupt: it is not a valid gzip file`);
  }
}

async function loadDataset(name) {
  if (loaded.has(name)) return;
  const bytes = [];
  for (const f of FILES) bytes.push(await fetchGzip(`${dataRoot}${name}/${f}.gz`));
  const ptrs = bytes.map((b) => { const p = engine._malloc(b.length); heap().set(b, p); return p; });
  const error = withString(name, (n) => engine.UTF8ToString(engine._dtw_add_dataset(n,
    ptrs[0], bytes[0].length, ptrs[1], bytes[1].length, ptrs[2], bytes[2].length, ptrs[3], bytes[3].length)));
  ptrs.forEach((p) => engine._free(p));
  if (error) throw new Error(error);
  loaded.add(name);
  withString(name, (n) => {
    const count = engine._dtw_test_count(n);
    const images = copyOut(engine._dtw_test_images(n), count * 784);
    const labels = copyOut(engine._dtw_test_labels(n), count);
    post({ type: 'testset', dataset: name, images, labels }, [images.buffer, labels.buffer]);
  });
}

// ---- training slices ------------------------------------------------------------------------
const tick = new MessageChannel();
tick.port1.onmessage = slice;
function scheduleSlice() { tick.port2.postMessage(0); }

function postWeights() {
  const ptr = engine._dtw_weights();
  const bytes = copyOut(ptr, engine._dtw_weights_size());
  post({ type: 'weights', bytes }, [bytes.buffer]);
  lastWeightsAt = performance.now();
}

function slice() {
  if (state !== 'training') return;
  let report;
  try {
    report = JSON.parse(engine.UTF8ToString(engine._dtw_run(SLICE_MS)));
  } catch (e) {
    fail(`training stopped: ${e.message || e}`);
    return;
  }
  if (report.progress) post({ type: 'progress', ...report.progress });
  if (report.epoch) {
    post({ type: 'epoch', ...report.epoch });
    const n = engine._dtw_test_predictions_count();
    const predicted = copyOut(engine._dtw_test_predictions(), n);
    post({ type: 'predictions', dataset, predicted }, [predicted.buffer]);
  }
  if (report.epoch || report.done || performance.now() - lastWeightsAt > WEIGHTS_EVERY_MS) postWeights();
  if (report.error) { fail(report.error); return; }  // diverged: the weights posted are the last good ones
  if (report.done) setState('done');
  else scheduleSlice();
}

async function start(config, weights) {
  config = config || {};
  dataset = config.dataset || 'mnist';
  try {
    if (!loaded.has(dataset)) {
      setState('loading');
      await loadDataset(dataset);
    }
    let w = 0;
    if (weights && weights.length) { w = engine._malloc(weights.length); heap().set(weights, w); }
    let error;
    try {
      error = withString(JSON.stringify(config), (c) =>
        engine.UTF8ToString(engine._dtw_start(c, engine._dtw_max_threads(), w, w ? weights.length : 0)));
    } finally {
      if (w) engine._free(w);
    }
    if (error) {
      fail(error);
      return;
    }
  } catch (e) {
    fail(e.message || e);
    return;
  }
  const settings = JSON.parse(engine.UTF8ToString(engine._dtw_settings()));
  post({ type: 'started', config, settings, threads: engine._dtw_threads(), resumed: Boolean(weights) });
  setState('training');
  postWeights();
  scheduleSlice();
}

self.onmessage = (event) => {
  const m = event.data || {};
  if (!engine) { post({ type: 'error', message: 'the trainer is still loading' }); return; }
  switch (m.type) {
    case 'start': start(m.config, m.weights); break;
    case 'pause': if (state === 'training') setState('paused'); break;
    case 'resume': if (state === 'paused') { setState('training'); scheduleSlice(); } break;
    case 'stop': if (state === 'training' || state === 'paused') setState('idle'); break;
    case 'set': if (m.lr > 0) engine._dtw_set_lr(m.lr); break;
    default: post({ type: 'error', message: `unknown message type '${m.type}'` });
  }
};

// ---- start-up -------------------------------------------------------------------------------
(async () => {
  try {
    importScripts(moduleFile);
    engine = await createTrainerModule(isolated ? { mainScriptUrlOrBlob: moduleFile } : {});
  } catch (e) {
    fail(`the training engine could not start: ${e.message || e}`);
    return;
  }
  let datasets = [];
  try {
    const r = await fetch(`${dataRoot}datasets.json`);
    if (r.ok) datasets = await r.json();
  } catch (e) { /* reported below when the data itself is fetched */ }
  try {
    await loadDataset('mnist');
  } catch (e) {
    fail(e.message || e);
    return;
  }
  state = 'idle';
  post({ type: 'ready', maxThreads: engine._dtw_max_threads(), simd: true, crossOriginIsolated: isolated, datasets });
  setState('idle');
})();
