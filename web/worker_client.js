// The page's side of the training worker (worker.js, a module worker): starts it, sends it
// commands, and hands each of its reports (types in protocol.js, Direction.workerToPage) on.

import { MessageType } from './protocol.js';

export class WorkerClient {
  constructor() { this.worker = null; }

  // Starts the worker. search: the page's query string (the worker reads ?data= from it).
  // onReport(message): one report. onFail(text): the worker itself failed.
  open(search, { onReport, onFail }) {
    this.worker = new Worker(`worker.js${search}`, { type: 'module' });
    this.worker.onmessage = (event) => onReport(event.data);
    this.worker.onerror = (e) => onFail(`the training worker failed: ${e.message || 'unknown error'}`);
  }

  // message: {type: MessageType.start, config, weights?}, as Run.startMessage builds it.
  start(message) { this.worker.postMessage(message); }
  pause() { this.worker.postMessage({ type: MessageType.pause }); }
  resume() { this.worker.postMessage({ type: MessageType.resume }); }
  stop() { this.worker.postMessage({ type: MessageType.stop }); }
  setLearningRate(lr) { this.worker.postMessage({ type: MessageType.set, lr }); }
}
