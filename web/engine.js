// The training engine as the worker calls it: loads the Emscripten module (the pthread build
// when the page is cross-origin isolated, else the single-threaded one; both ES modules) and
// wraps its C functions (src/worker/worker_exports.cpp) so that no caller touches pointers.

const THREADED = './digitrain-worker-mt.js', SINGLE = './digitrain-worker.js';

export class Engine {
  // threaded: load the pthread build (needs SharedArrayBuffer).
  static async load(threaded) {
    const url = new URL(threaded ? THREADED : SINGLE, import.meta.url).href;
    const { default: createTrainerModule } = await import(url);
    // An abort (out of memory, a trap) ends the module for good: every later call would fail.
    // It is remembered so that the worker can say the engine is gone rather than retry.
    const abort = { reason: '' };
    const options = { onAbort: (what) => { abort.reason = String(what || 'aborted'); } };
    // The pthread workers import the same module again; tell them where it is.
    if (threaded) options.mainScriptUrlOrBlob = url;
    return new Engine(await createTrainerModule(options), abort);
  }

  constructor(module, abort) {
    this.m = module;
    this.abort = abort;
  }

  // Why the engine stopped for good (out of memory, a trap), or '' while it works.
  stopped() { return this.abort.reason; }

  maxThreads() { return this.m._dtw_max_threads(); }

  // A dataset's four idx files (bytes: train images, train labels, test images, test labels),
  // parsed and kept under `name`. Throws what was wrong.
  addDataset(name, files) {
    const ptrs = files.map((b) => this.copyIn(b));
    try {
      const error = this.withString(name, (n) => this.m.UTF8ToString(this.m._dtw_add_dataset(n,
        ptrs[0], files[0].length, ptrs[1], files[1].length, ptrs[2], files[2].length, ptrs[3], files[3].length)));
      if (error) throw new Error(error);
    } finally {
      ptrs.forEach((p) => this.m._free(p));
    }
  }

  // Copies of a loaded dataset's test images (count x 784 bytes) and labels.
  testSet(name) {
    return this.withString(name, (n) => {
      const count = this.m._dtw_test_count(n);
      return { images: this.copyOut(this.m._dtw_test_images(n), count * 784), labels: this.copyOut(this.m._dtw_test_labels(n), count) };
    });
  }

  // What is wrong with a start config, or "": the checks start() makes first, without data.
  checkConfig(config) {
    return this.withString(JSON.stringify(config), (c) => this.m.UTF8ToString(this.m._dtw_check_config(c, this.maxThreads())));
  }

  // A new run: config as window.digitrain.start takes it, weights (.safetensors) to continue
  // from or null. Returns "" or what was wrong.
  start(config, weights) {
    const w = weights && weights.length ? this.copyIn(weights) : 0;
    try {
      return this.withString(JSON.stringify(config), (c) =>
        this.m.UTF8ToString(this.m._dtw_start(c, this.maxThreads(), w, w ? weights.length : 0)));
    } finally {
      if (w) this.m._free(w);
    }
  }

  // Continues the run a checkpoint() saved, exactly where it was; its config is inside. The
  // checkpoint's dataset (see checkpointConfig) must be loaded. Returns "" or what was wrong.
  resume(bytes) {
    if (!bytes || !bytes.length) return 'the checkpoint is empty';
    const p = this.copyIn(bytes);
    try {
      return this.m.UTF8ToString(this.m._dtw_resume(p, bytes.length, this.maxThreads()));
    } finally {
      this.m._free(p);
    }
  }

  // The start config a checkpoint's run was made with (an object), or null when the bytes are
  // not a checkpoint (resume() then says why).
  checkpointConfig(bytes) {
    if (!bytes || !bytes.length) return null;
    const p = this.copyIn(bytes);
    try {
      const text = this.m.UTF8ToString(this.m._dtw_checkpoint_config(p, bytes.length));
      return text ? JSON.parse(text) : null;
    } finally {
      this.m._free(p);
    }
  }

  // A model file a user opened (`name` starts every message): {dataset} (the dataset it was
  // trained on, to load first) or {error}.
  modelFileDataset(bytes, name) {
    return this.withBytes(bytes, (p, n) => this.withString(name, (s) =>
      JSON.parse(this.m.UTF8ToString(this.m._dtw_model_file_dataset(p, n, s)))));
  }

  // Evaluates a model file on its dataset's test set (loaded): {dataset, preset, architecture,
  // layers, parameters, settings, epoch: {testAccuracy, ...}} or {error}; its per-image
  // predictions then come from testPredictions() and testProbabilities().
  evaluateModel(bytes, name) {
    return this.withBytes(bytes, (p, n) => this.withString(name, (s) =>
      JSON.parse(this.m.UTF8ToString(this.m._dtw_evaluate_model(p, n, s, this.maxThreads())))));
  }

  // A float model file as int8, calibrated on its dataset's training images (loaded): {dataset,
  // calibration, floatAccuracy, int8Accuracy, floatBytes, int8Bytes, floatUs, int8Us} or
  // {error}; the int8 file then comes from quantized().
  quantizeModel(bytes, name) {
    return this.withBytes(bytes, (p, n) => this.withString(name, (s) =>
      JSON.parse(this.m.UTF8ToString(this.m._dtw_quantize_model(p, n, s, this.maxThreads())))));
  }
  quantized() { return this.copyOut(this.m._dtw_quantized(), this.m._dtw_quantized_size()); }

  settings() { return JSON.parse(this.m.UTF8ToString(this.m._dtw_settings())); }
  threads() { return this.m._dtw_threads(); }
  setLearningRate(lr) { this.m._dtw_set_lr(lr); }

  // Trains for about `ms`; returns {progress, epoch?, done, error?} (src/worker/training_session.h).
  run(ms) { return JSON.parse(this.m.UTF8ToString(this.m._dtw_run(ms))); }

  weights() { return this.copyOut(this.m._dtw_weights(), this.m._dtw_weights_size()); }
  // The run's exact checkpoint (.safetensors with optimiser state and position); empty without a run.
  checkpoint() { return this.copyOut(this.m._dtw_checkpoint(), this.m._dtw_checkpoint_size()); }
  // The data a run with `config` would train on (src/worker/training_session.h preview_data):
  // {info: {dataset, trainCounts, valCounts, augment} or {error}, images, labels}.
  preview(config, seed, count) {
    const info = JSON.parse(this.withString(JSON.stringify(config), (c) =>
      this.m.UTF8ToString(this.m._dtw_preview(c, this.maxThreads(), seed, count))));
    const n = this.m._dtw_preview_count();
    return { info, images: this.copyOut(this.m._dtw_preview_images(), n * 784), labels: this.copyOut(this.m._dtw_preview_labels(), n) };
  }
  testPredictions() { return this.copyOut(this.m._dtw_test_predictions(), this.m._dtw_test_predictions_count()); }
  // Float32Array of 10 probabilities per test image.
  testProbabilities() {
    const bytes = this.copyOut(this.m._dtw_test_probabilities(), 4 * this.m._dtw_test_probabilities_count());
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  }

  // ---- memory -----------------------------------------------------------------------------
  // A view of the whole wasm memory. With pthreads, memory grown by another thread leaves
  // HEAPU8 short, so the view is renewed from the memory itself when it no longer covers it.
  heap() {
    const memory = this.m.wasmMemory;
    if (memory && this.m.HEAPU8.byteLength !== memory.buffer.byteLength) this.m.HEAPU8 = new Uint8Array(memory.buffer);
    return this.m.HEAPU8;
  }

  copyIn(bytes) {
    const p = this.m._malloc(bytes.length);
    this.heap().set(bytes, p);
    return p;
  }

  // fn(pointer, length) over a copy of `bytes` in wasm memory (a null pointer when empty).
  withBytes(bytes, fn) {
    const p = bytes && bytes.length ? this.copyIn(bytes) : 0;
    try { return fn(p, p ? bytes.length : 0); } finally { if (p) this.m._free(p); }
  }

  copyOut(ptr, size) { return this.heap().slice(ptr, ptr + size); }

  withString(text, fn) {
    const size = this.m.lengthBytesUTF8(text) + 1;
    const ptr = this.m._malloc(size);
    this.m.stringToUTF8(text, ptr, size);
    try { return fn(ptr); } finally { this.m._free(ptr); }
  }
}
