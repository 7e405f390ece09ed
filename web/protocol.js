// The page's message protocol for JavaScript: the run states and message types defined once
// in src/protocol/protocol.h (which says what each means and carries), under the same names.
// tests/web/protocol.test.mjs fails when the two differ, or when another script spells one of
// these names as a string instead of taking it from here.

const names = (...list) => Object.freeze(Object.fromEntries(list.map((name) => [name, name])));

// Where a training run is, as the worker reports it and window.digitrain.status() shows it.
export const RunState = names('loading', 'idle', 'training', 'paused', 'done', 'error');

// Every message is a plain object {type, ...fields} with one of these types.
export const MessageType = names(
  'start', 'pause', 'resume', 'stop', 'set', 'save', 'reset', 'reopen', 'forget', 'open',
  'samples', 'quantize',
  'evaluate',
  'loading', 'ready', 'testset', 'started', 'state', 'progress', 'evaluating', 'epoch', 'predictions', 'weights', 'error',
  'restored', 'notice', 'history');

// Which types travel which way.
const T = MessageType;
const workerToPage = [T.loading, T.ready, T.testset, T.started, T.state, T.progress, T.evaluating, T.epoch, T.predictions, T.weights, T.error,
  T.samples, T.quantize];
export const Direction = Object.freeze({
  uiToPage: Object.freeze([T.start, T.pause, T.resume, T.stop, T.set, T.save, T.reset, T.reopen, T.forget, T.open, T.samples, T.quantize]),
  pageToWorker: Object.freeze([T.start, T.pause, T.resume, T.stop, T.set, T.samples, T.quantize, T.evaluate]),
  // `evaluate` answers the page alone: an opened model file reaches the UI as `restored`.
  workerToPage: Object.freeze([...workerToPage, T.evaluate]),
  // The page passes every other worker report on to the UI and adds what it keeps in storage
  // or was given.
  pageToUi: Object.freeze([...workerToPage, T.restored, T.notice, T.history]),
});
