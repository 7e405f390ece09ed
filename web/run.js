// The run as the page knows it: the status window.digitrain.status() reports, the latest
// confusion matrix and weights, and the saved copy that survives a reload. It folds in the
// worker's reports, builds start messages (continuing a saved run when asked) and keeps the
// saved copy current: at every epoch's end and when a run is stopped.

import { MessageType, RunState } from './protocol.js';
import { clearRun, saveRun } from './saved_run.js';

const DEFAULT_PRESET = 'keras-cnn';
const FRESH = { epoch: 0, step: 0, samplesSeen: 0, loss: null, trainAccuracy: null, testAccuracy: null };

function progressStatus(m) {
  return { epoch: m.epoch, step: m.step, samplesSeen: m.samplesSeen, loss: m.epochLoss,
    trainAccuracy: m.trainAccuracy, samplesPerSecond: m.samplesPerSecond, threads: m.threads };
}

// `confusion`: 10 rows (true class) of 10 counts (predicted class); anything else is null.
function confusionRows(confusion) {
  const square = Array.isArray(confusion) && confusion.length === 10 &&
    confusion.every((row) => Array.isArray(row) && row.length === 10 && row.every(Number.isInteger));
  return square ? confusion.map((row) => row.slice()) : null;
}

export class Run {
  // isolated: the page is cross-origin isolated; simd: the browser runs WebAssembly SIMD.
  constructor({ isolated, simd }) {
    this.status = { state: RunState.loading, ...FRESH, samplesPerSecond: 0, threads: 0, simd,
      crossOriginIsolated: isolated, maxThreads: 1 };
    this.loading = 'starting';  // what is being fetched, in words
    this.confusion = null;
    this.config = {};           // the running (or last) run's config
    this.weights = null;        // the worker's latest .safetensors snapshot
    this.lastProgress = null;
    this.lastEpoch = null;
    this.saveWithNextWeights = false;
    this.saved = null;          // the record restored from storage, if any
  }

  fail(message) {
    this.status.state = RunState.error;
    this.status.message = message;
  }

  // One report from the worker (its errors come through fail()).
  take(m) {
    switch (m.type) {
      case MessageType.loading: {
        const name = m.file.split('/').pop();
        this.loading = m.total ? `${name} ${Math.round((100 * m.loaded) / m.total)}%` : `${name} ${(m.loaded / 1e6).toFixed(1)} MB`;
        if (this.status.state !== RunState.error) this.status.state = RunState.loading;
        break;
      }
      case MessageType.ready:
        this.status.maxThreads = m.maxThreads;
        this.status.simd = this.status.simd && m.simd;
        break;
      case MessageType.state:
        if (m.state === RunState.idle && this.status.state !== RunState.loading && this.lastProgress) this.persist();  // stopped: keep it
        this.status.state = m.state;
        if (m.state !== RunState.error) delete this.status.message;
        break;
      case MessageType.started:
        delete this.status.notice;
        this.config = m.config || {};
        this.lastProgress = this.lastEpoch = null;
        Object.assign(this.status, FRESH, { epoch: 1 });
        this.confusion = null;
        break;
      case MessageType.progress:
        this.lastProgress = m;
        Object.assign(this.status, progressStatus(m));
        break;
      case MessageType.epoch:
        this.lastEpoch = m;
        this.saveWithNextWeights = true;  // the epoch's weights follow this message
        this.takeEpoch(m);
        break;
      case MessageType.weights:
        this.weights = m.bytes;
        if (this.saveWithNextWeights) {
          this.saveWithNextWeights = false;
          this.persist();
        }
        break;
      default: break;
    }
  }

  takeEpoch(m) {
    this.status.testAccuracy = m.testAccuracy;
    this.confusion = confusionRows(m.confusion);
  }

  // The start message for `config` (as window.digitrain.start takes it). With config.resume
  // and a saved run, training continues from its weights, with its settings unless `config`
  // says otherwise. `resume` travels on to the worker, whose start config accepts it.
  startMessage(config) {
    const message = { type: MessageType.start, config: config || {} };
    config = message.config;
    if (config.resume && this.saved && this.saved.weights) {
      message.config = { ...this.saved.config, ...config };
      message.weights = this.saved.weights;
    }
    return message;
  }

  // A record from storage (checked: run_record.js) whose weights the pad's model has taken:
  // its metrics are shown and Continue trains on from it. Returns the messages that bring the
  // UI to the same place.
  restore(record) {
    if (!record) return [];
    this.saved = record;
    this.config = record.config;
    this.weights = record.weights;
    const toUi = [];
    if (record.progress) {
      toUi.push({ ...record.progress, type: MessageType.progress });
      Object.assign(this.status, progressStatus(record.progress));
    }
    if (record.epoch) {
      toUi.push({ ...record.epoch, type: MessageType.epoch });
      this.takeEpoch(record.epoch);
    }
    toUi.push({ type: MessageType.restored, savedAt: record.savedAt, preset: this.preset() });
    this.status.restored = true;
    return toUi;
  }

  // The saved record did not check out (run_record.js) and was set aside: say so, once.
  setAside(problem) {
    this.status.notice = `the run saved in this browser could not be read (${problem}), so it was set aside; training starts afresh`;
    return [{ type: MessageType.notice, message: this.status.notice }];
  }

  // Back to an untrained model: the saved run is forgotten too.
  reset() {
    this.lastProgress = this.lastEpoch = this.weights = this.saved = null;
    this.confusion = null;
    Object.assign(this.status, FRESH, { restored: false });
    clearRun();
  }

  preset() { return this.config.preset || DEFAULT_PRESET; }

  persist() {
    if (!this.weights) return;
    this.saved = { config: this.config, weights: this.weights, progress: this.lastProgress, epoch: this.lastEpoch, savedAt: Date.now() };
    saveRun(this.saved);
  }
}
