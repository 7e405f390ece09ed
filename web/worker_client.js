// The page's side of the training worker (worker.js, a module worker): starts it, sends it
// commands, and hands each of its reports (types in protocol.js, Direction.workerToPage) on.
//
// A worker can die: its engine ran out of memory or trapped (it then reports a fatal error),
// or the worker threw past its own handlers. The failure is reported, the dead worker is let
// go, and the next start opens a fresh worker and sends the run once it is ready, so a new
// run never needs a reload.

import { MessageType } from './protocol.js';

export class WorkerClient {
  constructor() {
    this.worker = null;
    this.ready = false;
    this.pending = null;  // a start sent while a fresh worker loads
  }

  // Starts the worker. search: the page's query string (the worker reads ?data= from it).
  // onReport(message): one report. onFail(text): the worker itself failed.
  open(search, { onReport, onFail }) {
    this.search = search;
    this.handlers = { onReport, onFail };
    this.spawn();
  }

  spawn() {
    const { onReport, onFail } = this.handlers;
    const worker = new Worker(`worker.js${this.search}`, { type: 'module' });
    this.worker = worker;
    this.ready = false;
    worker.onmessage = (event) => {
      const m = event.data || {};
      if (m.type === MessageType.error && m.fatal) this.lose(worker);
      onReport(m);
      if (m.type === MessageType.ready) this.becomeReady();
    };
    worker.onerror = (e) => {
      e.preventDefault();
      this.lose(worker);
      onFail(`the training worker failed: ${e.message || 'unknown error'}; the next run starts a fresh one`);
    };
  }

  // Lets a dead worker go; the next start opens another.
  lose(worker) {
    if (this.worker !== worker) return;
    worker.terminate();
    this.worker = null;
    this.ready = false;
  }

  becomeReady() {
    this.ready = true;
    const pending = this.pending;
    this.pending = null;
    if (pending) this.worker.postMessage(pending);
  }

  alive() { return this.worker !== null; }

  // message: {type: MessageType.start, config, weights?}, as Run.startMessage builds it.
  start(message) {
    if (!this.worker) this.spawn();
    if (this.ready) this.worker.postMessage(message);
    else this.pending = message;
  }
  pause() { this.send({ type: MessageType.pause }); }
  resume() { this.send({ type: MessageType.resume }); }
  stop() {
    this.pending = null;
    this.send({ type: MessageType.stop });
  }
  setLearningRate(lr) { this.send({ type: MessageType.set, lr }); }
  // {type: samples, config, seed, count}: what a run with that config would train on.
  samples(message) { this.send(message); }

  // A model file to evaluate ({name, bytes}); answered with an `evaluate` report. False when no
  // worker is up to take it.
  evaluate(name, bytes) {
    if (!this.worker || !this.ready) return false;
    this.worker.postMessage({ type: MessageType.evaluate, name, bytes });
    return true;
  }

  // Commands other than start mean nothing to a worker that is gone or still loading: false
  // when none took it.
  send(message) {
    if (!this.worker || !this.ready) return false;
    this.worker.postMessage(message);
    return true;
  }
}
