// The run as the page knows it: the status window.digitrain.status() reports, the latest
// confusion matrix and weights, and the saved copy that survives a reload. It folds in the
// worker's reports, builds start messages (continuing a saved run when asked) and keeps the
// saved copy current: at every epoch's end, when a run is paused or stopped, every
// SAVE_EVERY_MS while it trains, and when the page is hidden or left. The saved copy carries
// the run's checkpoint, so a run stopped mid-way (a reload, a closed tab) continues exactly.

import { MessageType, RunState } from './protocol.js';
import { clearRun, saveRun } from './saved_run.js';

const DEFAULT_PRESET = 'keras-cnn';
const SAVE_EVERY_MS = 15_000;  // a reload loses at most this much training
const FRESH = { epoch: 0, epochs: 0, step: 0, totalSteps: 0, samplesSeen: 0, loss: null, trainAccuracy: null, testAccuracy: null };

function progressStatus(m) {
  return { epoch: m.epoch, epochs: m.epochs, step: m.step, totalSteps: m.totalSteps, samplesSeen: m.samplesSeen, loss: m.epochLoss,
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
    this.checkpoint = null;     // and the running run's checkpoint (weights, optimiser, position)
    this.settings = null;       // what the running (or last) run really uses
    this.savedAt = 0;
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
        const name = m.dataset || m.file.split('/').pop(), mb = (n) => (n / 1e6).toFixed(1);
        this.loading = m.total ? `${name}, ${mb(m.loaded)} of ${mb(m.total)} MB` : `${name}, ${mb(m.loaded)} MB`;
        if (this.status.state !== RunState.error) this.status.state = RunState.loading;
        break;
      }
      case MessageType.ready:
        this.status.maxThreads = m.maxThreads;
        this.status.simd = this.status.simd && m.simd;
        break;
      case MessageType.state:
        // Paused or stopped: keep it, with the weights and checkpoint the worker sends next.
        if ((m.state === RunState.idle || m.state === RunState.paused) && this.status.state !== RunState.loading && this.lastProgress) {
          this.saveWithNextWeights = true;
        }
        this.status.state = m.state;
        if (m.state !== RunState.error) delete this.status.message;
        if (m.state !== RunState.training) delete this.status.evaluating;
        break;
      case MessageType.started:
        delete this.status.notice;
        delete this.status.resumable;
        delete this.status.evaluating;
        this.status.restored = false;
        this.status.continued = Boolean(m.resumed);
        this.config = m.config || {};
        this.settings = m.settings || null;
        this.lastProgress = this.lastEpoch = null;
        this.checkpoint = null;
        Object.assign(this.status, FRESH, { epoch: 1, epochs: (m.settings && m.settings.epochs) || 0, threads: m.threads || 0 });
        this.confusion = null;
        break;
      case MessageType.progress:
        this.lastProgress = m;
        Object.assign(this.status, progressStatus(m));
        break;
      case MessageType.evaluating: this.status.evaluating = m.epoch; break;
      case MessageType.epoch:
        delete this.status.evaluating;
        this.lastEpoch = m;
        this.saveWithNextWeights = true;  // the epoch's weights follow this message
        this.takeEpoch(m);
        break;
      case MessageType.weights:
        this.weights = m.bytes;
        this.checkpoint = m.checkpoint || null;
        if (this.saveWithNextWeights || (this.status.state === RunState.training && Date.now() - this.savedAt > SAVE_EVERY_MS)) {
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
  // and a saved run: one that stopped mid-way continues exactly from its checkpoint (its own
  // settings, optimiser state and position); a finished one trains on from its weights, with
  // its settings unless `config` says otherwise. `resume` travels on to the worker, whose
  // start config accepts it.
  startMessage(config) {
    const message = { type: MessageType.start, config: config || {} };
    config = message.config;
    if (config.resume && this.saved) {
      message.config = { ...this.saved.config, ...config };
      if (this.saved.resumable && this.saved.checkpoint) message.checkpoint = this.saved.checkpoint;
      else message.weights = this.saved.weights;
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
    this.settings = record.settings;
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
    const p = record.progress || {};
    toUi.push({ type: MessageType.restored, savedAt: record.savedAt, preset: this.preset(), settings: record.settings,
      resumable: record.resumable, step: p.step, totalSteps: p.totalSteps });
    this.status.restored = true;
    this.status.resumable = record.resumable;
    return toUi;
  }

  // The saved record did not check out (run_record.js) and was set aside: say so, once.
  setAside(problem) {
    this.status.notice = `the run saved in this browser could not be read (${problem}), so it was set aside; training starts afresh`;
    return [{ type: MessageType.notice, message: this.status.notice }];
  }

  // Back to an untrained model: the saved run is forgotten too.
  reset() {
    this.lastProgress = this.lastEpoch = this.weights = this.checkpoint = this.saved = null;
    this.confusion = null;
    Object.assign(this.status, FRESH, { restored: false });
    clearRun();
  }

  preset() { return this.config.preset || DEFAULT_PRESET; }

  // Keeps the run in storage now (also called when the page is hidden or left).
  persist() {
    if (!this.weights || !this.lastProgress) return;
    const p = this.lastProgress;
    // Resumable: stopped before its last step (not finished, not stopped early) with a checkpoint.
    const finished = this.status.state === RunState.done || (this.lastEpoch && this.lastEpoch.stoppedEarly);
    const resumable = Boolean(this.checkpoint) && !finished && p.step < p.totalSteps;
    this.savedAt = Date.now();
    this.saved = { config: this.config, settings: this.settings, weights: this.weights, checkpoint: resumable ? this.checkpoint : null,
      resumable, progress: p, epoch: this.lastEpoch, savedAt: this.savedAt };
    saveRun(this.saved);
  }

  // While a run trains or is paused, keep it as it is now (the page is being hidden or left).
  persistIfRunning() {
    if (this.status.state === RunState.training || this.status.state === RunState.paused) this.persist();
  }
}
