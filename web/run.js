// The run as the page knows it: the status window.digitrain.status() reports, the latest
// confusion matrix and weights, and the saved copy that survives a reload. It folds in the
// worker's reports, builds start messages (continuing a saved run when asked) and keeps the
// saved copy current: at every epoch's end, when a run is paused or stopped, every
// SAVE_EVERY_MS while it trains, and when the page is hidden or left. The saved copy carries
// the run's checkpoint, so a run stopped mid-way (a reload, a closed tab) continues exactly,
// and its curves, so that they come back with it. A run that finishes or is stopped also goes
// into the list of past runs (run_history.js), from which one can be reopened.

import { Curves } from './curves.js';
import { MessageType, RunState } from './protocol.js';
import { PastRunEnd } from './run_record.js';
import { addPastRun } from './run_history.js';
import { clearRun, saveRun } from './saved_run.js';

const DEFAULT_PRESET = 'keras-cnn';
const SAVE_EVERY_MS = 5_000;  // a crash or a killed tab loses at most this much training
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
  // onPastRunsChanged(): a run went into the list of past runs.
  constructor({ isolated, simd, onPastRunsChanged = () => {} }) {
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
    this.id = 0;                // the running (or last) run's id: when it started
    this.curves = new Curves(); // and its curves
    this.seconds = 0;           // how long it trained before trainingSince
    this.trainingSince = 0;     // when it last began training, 0 while it does not
    this.archiveWithNextWeights = false;
    this.pastRuns = [];         // the past runs kept in storage, newest first (main.js keeps it current)
    this.onPastRunsChanged = onPastRunsChanged;
  }

  // Seconds the run has trained (wall time, its evaluations included), pauses left out.
  elapsed() { return this.seconds + (this.trainingSince ? (Date.now() - this.trainingSince) / 1000 : 0); }

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
      case MessageType.state: {
        // Paused or stopped: keep it, with the weights and checkpoint the worker sends next;
        // stopped, it also becomes a past run.
        const ran = this.status.state !== RunState.loading && this.lastProgress;
        if ((m.state === RunState.idle || m.state === RunState.paused) && ran) this.saveWithNextWeights = true;
        if (m.state === RunState.idle && ran && (this.status.state === RunState.training || this.status.state === RunState.paused)) {
          this.archiveWithNextWeights = true;
        }
        if (this.trainingSince && m.state !== RunState.training) {
          this.seconds = this.elapsed();
          this.trainingSince = 0;
        }
        if (m.state === RunState.training && !this.trainingSince) this.trainingSince = Date.now();
        this.status.state = m.state;
        if (m.state !== RunState.error) delete this.status.message;
        if (m.state !== RunState.training) delete this.status.evaluating;
        // Finished: its last weights came just before.
        if (m.state === RunState.done && this.lastProgress && this.weights) this.archive();
        break;
      }
      case MessageType.started: {
        // A run continued exactly (from a checkpoint) is the same run: its id, curves and time
        // go on. Anything else is a new run; a saved run it replaces that stopped mid-way (a
        // reload) is kept among the past runs first.
        const same = m.exact && this.saved && this.saved.resumable;
        if (!same && this.saved && this.saved.resumable && !this.pastRuns.some((r) => r.id === this.saved.id)) {
          this.archiveRecord(this.saved, PastRunEnd.stopped);
        }
        delete this.status.notice;
        delete this.status.resumable;
        delete this.status.evaluating;
        this.status.restored = false;
        this.status.reopened = null;
        this.status.opened = null;
        this.status.continued = Boolean(m.resumed);
        this.config = m.config || {};
        this.settings = m.settings || null;
        this.lastProgress = null;
        this.lastEpoch = same ? this.saved.epoch : null;
        this.checkpoint = null;
        this.id = same ? this.saved.id : Date.now();
        this.curves = new Curves(same ? this.saved.curves : null);
        this.seconds = same ? this.saved.seconds : 0;
        this.trainingSince = 0;
        Object.assign(this.status, FRESH, { epoch: 1, epochs: (m.settings && m.settings.epochs) || 0, threads: m.threads || 0 });
        this.confusion = null;
        break;
      }
      case MessageType.progress:
        this.lastProgress = m;
        this.curves.addProgress(m);
        Object.assign(this.status, progressStatus(m));
        break;
      case MessageType.evaluating: this.status.evaluating = m.epoch; break;
      case MessageType.epoch:
        delete this.status.evaluating;
        this.lastEpoch = m;
        this.curves.addEpoch(m);
        this.saveWithNextWeights = true;  // the epoch's weights follow this message
        this.takeEpoch(m);
        break;
      case MessageType.weights:
        this.weights = m.bytes;
        this.checkpoint = m.checkpoint || null;
        let saved;
        if (this.saveWithNextWeights || (this.status.state === RunState.training && Date.now() - this.savedAt > SAVE_EVERY_MS)) {
          this.saveWithNextWeights = false;
          saved = this.persist();
        }
        if (this.archiveWithNextWeights) {
          this.archiveWithNextWeights = false;
          this.archive(saved);  // after the save: a reload right after Stop most needs that one
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
  // its metrics and curves are shown and Continue trains on from it. Returns the messages that
  // bring the UI to the same place: one `restored` with all of it.
  restore(record, { reopened = false, hasWeights = true, opened = null } = {}) {
    if (!record) return [];
    this.saved = record;
    this.config = record.config;
    this.settings = record.settings;
    this.weights = hasWeights ? record.weights : null;  // Save downloads the run on screen, or nothing
    this.id = record.id;
    this.curves = new Curves(record.curves);
    this.seconds = record.seconds;
    this.lastProgress = this.lastEpoch = null;  // a new run's reports, not the restored one's
    Object.assign(this.status, FRESH);
    if (record.progress) Object.assign(this.status, progressStatus(record.progress));
    this.confusion = null;
    if (record.epoch) this.takeEpoch(record.epoch);
    const p = record.progress || {};
    this.status.restored = true;
    this.status.resumable = record.resumable;
    // A past run opened from the list, rather than the run this browser was last training.
    this.status.reopened = reopened ? { preset: this.preset(), hasWeights } : null;
    // A model file the user opened: its name, layers and parameter count.
    this.status.opened = opened;
    return [{ type: MessageType.restored, id: record.id, savedAt: record.savedAt, preset: this.preset(), settings: record.settings,
      resumable: record.resumable, step: p.step, totalSteps: p.totalSteps, reopened, hasWeights,
      progress: record.progress, epoch: record.epoch, curves: this.curves.toPlain(), ...(opened ? { opened } : {}),
      // A model with its own layers (an opened file, a run of an edited network): the editor shows them.
      ...(record.config && record.config.architecture ? { architecture: record.config.architecture } : {}) }];
  }

  // A model file the user opened, as the worker evaluated it (its `evaluate` answer `m`) with
  // the file's `bytes`, whose weights the pad's model has taken: it becomes the run on screen
  // as a reopened run does, and is kept in storage as the latest run, so that a reload brings
  // it back. Its test metrics show, and Continue trains it on: the recipe of the preset it
  // names (or the default) on the file's own layers.
  open(m, bytes) {
    const record = { id: Date.now(), config: { preset: m.preset, dataset: m.dataset, architecture: m.architecture },
      settings: m.settings, weights: bytes, checkpoint: null, resumable: false, progress: null,
      epoch: { epoch: 0, ...m.epoch }, curves: new Curves().toPlain(), seconds: 0, savedAt: Date.now() };
    const messages = this.restore(record, { opened: { name: m.name, layers: m.layers, parameters: m.parameters } });
    saveRun(record);
    return messages;
  }

  // A past run (run_history.js loadPastRun: the run and its weights, or null when they were not
  // kept) becomes the run on screen, as a restored one: its settings, metrics and curves show,
  // and, with its weights, the pad answers with its model and Continue trains on from it.
  reopen(past, weights) {
    const record = { id: past.id, config: past.config, settings: past.settings, weights, checkpoint: null, resumable: false,
      progress: past.progress, epoch: past.epoch, curves: past.curves, seconds: past.seconds, savedAt: past.savedAt };
    return this.restore(record, { reopened: true, hasWeights: Boolean(weights) });
  }

  // The running run, finished or stopped, into the past runs (its weights: the latest), as it
  // is now, once `after` (a save in progress) is done.
  archive(after) {
    const finished = this.status.state === RunState.done || (this.lastEpoch && this.lastEpoch.stoppedEarly);
    this.archiveRecord({ id: this.id, config: this.config, settings: this.settings, weights: this.weights, progress: this.lastProgress,
      epoch: this.lastEpoch, curves: this.curves.toPlain(), seconds: this.elapsed(), savedAt: Date.now() },
    finished ? PastRunEnd.finished : PastRunEnd.stopped, after);
  }

  archiveRecord(r, ended, after) {
    if (!r.weights || !r.id) return;
    Promise.resolve(after).then(() => addPastRun({ id: r.id, savedAt: r.savedAt, ended, config: r.config, settings: r.settings,
      progress: r.progress, epoch: r.epoch, curves: r.curves, seconds: r.seconds }, r.weights)).then(() => this.onPastRunsChanged());
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
    this.curves = new Curves();
    Object.assign(this.status, FRESH, { restored: false, reopened: null, opened: null });
    clearRun();
  }

  preset() { return this.config.preset || DEFAULT_PRESET; }

  // Keeps the run in storage now (also called when the page is hidden or left); resolves once
  // it is written.
  persist() {
    if (!this.weights || !this.lastProgress) return undefined;
    const p = this.lastProgress;
    // Resumable: stopped before its last step (not finished, not stopped early) with a checkpoint.
    const finished = this.status.state === RunState.done || (this.lastEpoch && this.lastEpoch.stoppedEarly);
    const resumable = Boolean(this.checkpoint) && !finished && p.step < p.totalSteps;
    this.savedAt = Date.now();
    this.saved = { id: this.id, config: this.config, settings: this.settings, weights: this.weights,
      checkpoint: resumable ? this.checkpoint : null, resumable, progress: p, epoch: this.lastEpoch,
      curves: this.curves.toPlain(), seconds: this.elapsed(), savedAt: this.savedAt };
    return saveRun(this.saved);
  }

  // While a run trains or is paused, keep it as it is now (the page is being hidden or left).
  persistIfRunning() {
    if (this.status.state === RunState.training || this.status.state === RunState.paused) this.persist();
  }
}
