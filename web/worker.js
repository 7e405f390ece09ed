// The training worker (a module worker): loads the engine (engine.js) and MNIST
// (datasets.js), then trains in short slices so that it always hears pause, stop or a new
// learning rate within ~50 ms. Message types and run states come from protocol.js; what each
// message carries is listed in src/protocol/protocol.h and docs/web-app.md.

import { datasetBytes, fetchDataset, listDatasets } from './datasets.js';
import { Engine } from './engine.js';
import { MessageType, RunState } from './protocol.js';

const SLICE_MS = 50;          // training time per message-loop turn
const WEIGHTS_EVERY_MS = 1000;
const DEFAULT_DATASET = 'mnist';

function post(message, transfer = []) { self.postMessage(message, transfer); }

// The worker's one run at a time, over one engine.
class Trainer {
  constructor(engine, dataRoot) {
    this.engine = engine;
    this.dataRoot = dataRoot;
    this.state = RunState.loading;
    this.dataset = DEFAULT_DATASET;  // the run's
    this.loaded = new Set();         // datasets the engine holds
    this.bytes = {};                 // each dataset's download size, when known
    this.lastWeightsAt = 0;
    this.evaluating = null;          // {epoch, epochs} when the next slice ends an epoch and evaluates
    // A slice runs as its own task, after the messages that arrived during the last one.
    this.tick = new MessageChannel();
    this.tick.port1.onmessage = () => this.slice();
  }

  setState(state) {
    this.state = state;
    post({ type: MessageType.state, state });
  }

  // An error report. When the engine itself has stopped (it ran out of memory or trapped), the
  // report is fatal: this worker can train no more, and the page starts a new one for the next
  // run.
  fail(message) {
    this.state = RunState.error;
    const stopped = this.engine.stopped();
    if (stopped) {
      const why = /OOM/.test(stopped) ? 'ran out of memory (try a smaller batch)' : `stopped (${stopped})`;
      post({ type: MessageType.error, fatal: true,
        message: `the training engine ${why}; the next run starts with a fresh engine` });
      self.onmessage = null;
      return;
    }
    post({ type: MessageType.error, message: String(message) });
  }

  handle(m) {
    switch (m.type) {
      case MessageType.start: this.start(m.config || {}, m.weights, m.checkpoint); break;
      case MessageType.pause:
        if (this.state === RunState.training) {
          this.setState(RunState.paused);
          this.postWeights();
        }
        break;
      case MessageType.resume:
        if (this.state === RunState.paused) {
          this.setState(RunState.training);
          this.scheduleSlice();
        }
        break;
      case MessageType.stop:
        if (this.state === RunState.training || this.state === RunState.paused) {
          this.setState(RunState.idle);
          this.postWeights();
        }
        break;
      case MessageType.set: if (m.lr > 0) this.engine.setLearningRate(m.lr); break;
      case MessageType.samples: {
        const { info, images, labels } = this.engine.preview(m.config || {}, Number(m.seed) || 0, Number(m.count) || 0);
        post({ ...info, type: MessageType.samples, seed: m.seed, images, labels }, [images.buffer, labels.buffer]);
        break;
      }
      case MessageType.evaluate: this.evaluate(String(m.name || 'the file'), m.bytes); break;
      case MessageType.quantize: this.quantize(String(m.name || 'the model'), m.bytes); break;
      default: post({ type: MessageType.error, message: `unknown message type '${m.type}'` });
    }
  }

  async loadDataset(name) {
    if (this.loaded.has(name)) return;
    const files = await fetchDataset(this.dataRoot, name, (file, loaded, total) =>
      post({ type: MessageType.loading, dataset: name, file, loaded, total }), this.bytes[name] || 0);
    this.engine.addDataset(name, files);
    this.loaded.add(name);
    const { images, labels } = this.engine.testSet(name);
    post({ type: MessageType.testset, dataset: name, images, labels }, [images.buffer, labels.buffer]);
  }

  // A model file the page sent for `work` (its dataset loaded first if need be), answered
  // with a `type` message: work(bytes) gives the answer's fields and the buffers to transfer,
  // or {error}. Not while a run holds the trainer, which it leaves alone; messages start with
  // `name`.
  async withModelFile(type, name, bytes, work) {
    const answer = (fields, transfer) => post({ type, name, ...fields }, transfer);
    if (this.state === RunState.training || this.state === RunState.paused || this.state === RunState.loading) {
      answer({ error: `${name}: a run holds the trainer; stop it first` });
      return;
    }
    if (!(bytes instanceof Uint8Array) || !bytes.length) {
      answer({ error: `${name} is empty` });
      return;
    }
    const { dataset, error } = this.engine.modelFileDataset(bytes, name);
    if (error) {
      answer({ error });
      return;
    }
    const before = this.state;
    try {
      if (!this.loaded.has(dataset)) {
        this.setState(RunState.loading);
        await this.loadDataset(dataset);
        this.setState(before);
      }
      const { fields, transfer } = work(bytes);
      answer(fields, transfer);
    } catch (e) {
      if (this.state === RunState.loading) this.setState(before);
      answer({ error: `${name}: ${e.message || e}` });
    }
  }

  // A model file the user opened, evaluated on its dataset's test set: the answer carries its
  // metrics, architecture and per-image predictions, or what is wrong with it.
  evaluate(name, bytes) {
    return this.withModelFile(MessageType.evaluate, name, bytes, (file) => {
      const result = this.engine.evaluateModel(file, name);
      if (result.error) return { fields: { error: result.error } };
      const predicted = this.engine.testPredictions();
      const probabilities = this.engine.testProbabilities();
      return { fields: { ...result, predicted, probabilities }, transfer: [predicted.buffer, probabilities.buffer] };
    });
  }

  // The Quantise button: the run on screen's weights as an int8 model, with its test accuracy
  // beside the float one's, file sizes and one image's inference time each way.
  quantize(name, bytes) {
    return this.withModelFile(MessageType.quantize, name, bytes, (file) => {
      const report = this.engine.quantizeModel(file, name);
      if (report.error) return { fields: { error: report.error } };
      const int8 = this.engine.quantized();
      return { fields: { ...report, bytes: int8 }, transfer: [int8.buffer] };
    });
  }

  // A new run from `config` (and `weights` to continue from), or, with `checkpoint`, the run
  // that checkpoint saved, exactly where it was: its own config (inside it) replaces `config`.
  async start(config, weights, checkpoint) {
    const resuming = Boolean(checkpoint && checkpoint.length);
    try {
      if (resuming) config = this.engine.checkpointConfig(checkpoint) || config;
      // Everything the config says is checked before any data is fetched for it.
      const problem = this.engine.checkConfig(config);
      if (problem) {
        this.fail(problem);
        return;
      }
      this.dataset = config.dataset || DEFAULT_DATASET;
      if (!this.loaded.has(this.dataset)) {
        this.setState(RunState.loading);
        await this.loadDataset(this.dataset);
      }
      const error = resuming ? this.engine.resume(checkpoint) : this.engine.start(config, weights);
      if (error) {
        this.fail(error);
        return;
      }
    } catch (e) {
      this.fail(e.message || e);
      return;
    }
    this.evaluating = null;
    post({ type: MessageType.started, config, settings: this.engine.settings(), threads: this.engine.threads(), resumed: resuming || Boolean(weights), exact: resuming });
    this.setState(RunState.training);
    this.postWeights();
    this.scheduleSlice();
  }

  scheduleSlice() { this.tick.port2.postMessage(0); }

  slice() {
    if (this.state !== RunState.training) return;
    // This slice ends an epoch and evaluates on the validation and test sets, seconds without
    // progress: the page says so before it starts.
    if (this.evaluating) post({ ...this.evaluating, type: MessageType.evaluating });
    let report;
    try {
      report = this.engine.run(SLICE_MS);
    } catch (e) {
      this.fail(`training stopped: ${e.message || e}`);
      return;
    }
    if (report.progress) post({ ...report.progress, type: MessageType.progress });
    this.evaluating = report.epochEndsNext && report.progress ? { epoch: report.progress.epoch, epochs: report.progress.epochs } : null;
    if (report.epoch) {
      post({ ...report.epoch, type: MessageType.epoch });
      const predicted = this.engine.testPredictions();
      const probabilities = this.engine.testProbabilities();
      post({ type: MessageType.predictions, dataset: this.dataset, predicted, probabilities }, [predicted.buffer, probabilities.buffer]);
    }
    if (report.epoch || report.done || performance.now() - this.lastWeightsAt > WEIGHTS_EVERY_MS) this.postWeights();
    if (report.error) {  // diverged: the weights posted are the last good ones
      this.fail(report.error);
      return;
    }
    if (report.done) this.setState(RunState.done);
    else this.scheduleSlice();
  }

  // The weights, and the run's exact checkpoint to resume it from after a reload.
  postWeights() {
    const bytes = this.engine.weights();
    const checkpoint = this.engine.checkpoint();
    if (checkpoint.length) post({ type: MessageType.weights, bytes, checkpoint }, [bytes.buffer, checkpoint.buffer]);
    else post({ type: MessageType.weights, bytes }, [bytes.buffer]);
    this.lastWeightsAt = performance.now();
  }
}

// ---- start-up ---------------------------------------------------------------------------
async function boot() {
  self.onmessage = () => post({ type: MessageType.error, message: 'the trainer is still loading' });
  const dataRoot = new URLSearchParams(self.location.search).get('data') || 'data/';
  const isolated = self.crossOriginIsolated === true && typeof SharedArrayBuffer !== 'undefined';
  let engine;
  try {
    engine = await Engine.load(isolated);
  } catch (e) {
    post({ type: MessageType.error, message: `the training engine could not start: ${e.message || e}` });
    return;
  }
  const trainer = new Trainer(engine, dataRoot);
  const datasets = await listDatasets(dataRoot);
  const sizes = await Promise.all(datasets.map((name) => datasetBytes(dataRoot, name)));
  datasets.forEach((name, i) => { trainer.bytes[name] = sizes[i]; });
  try {
    await trainer.loadDataset(DEFAULT_DATASET);
  } catch (e) {
    trainer.fail(e.message || e);
    return;
  }
  post({ type: MessageType.ready, maxThreads: engine.maxThreads(), simd: true, crossOriginIsolated: isolated, datasets, datasetBytes: sizes });
  trainer.setState(RunState.idle);
  self.onmessage = (event) => trainer.handle(event.data || {});
}

boot();
