// The run's state in words, in the aria-live element #status, for screen readers and tests.
// It carries everything, progress included; a11y.js's #announce is what speaks while a run
// trains (see StatusText for how the two share the work).

import { RunState } from './protocol.js';

const percent = (x) => (x == null ? '-' : `${(100 * x).toFixed(2)}%`);
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
const of = (n, total) => (total ? `${n} of ${total}` : `${n}`);

function training(status) {
  const threads = status.threads ? ` on ${plural(status.threads, 'thread')}` : '';
  // Between an epoch's last step and its results: seconds with no progress to show.
  if (status.evaluating) return `training: epoch ${of(status.evaluating, status.epochs)} trained; evaluating on the test set…`;
  // Before the first progress report there is no step, accuracy or speed yet.
  if (!status.step) {
    return status.continued ? `training: continuing the saved run${threads}`
      : `training: starting epoch ${of(1, status.epochs)}${threads}`;
  }
  const accuracy = status.trainAccuracy == null ? '' : `, train accuracy ${percent(status.trainAccuracy)} (running, this epoch)`;
  const speed = status.samplesPerSecond ? `, ${Math.round(status.samplesPerSecond)} samples/s${threads}` : threads;
  return `training: epoch ${of(status.epoch, status.epochs)}, step ${of(status.step, status.totalSteps)}${accuracy}${speed}`;
}

// `status` as window.digitrain.status() reports it; `loading`: what is being fetched.
export function describe(status, loading) {
  switch (status.state) {
    case RunState.loading: return `loading: ${loading}`;
    case RunState.idle: {
      const threads = `${plural(status.maxThreads, 'thread')}${status.crossOriginIsolated ? '' : ', single-threaded: page not cross-origin isolated'}`;
      const tested = status.testAccuracy == null ? 'not tested yet' : `test accuracy ${percent(status.testAccuracy)}`;
      let last = '';
      if (status.opened) {
        last = `; opened ${status.opened.name}, ${status.opened.parameters.toLocaleString('en-US')} parameters (${tested}; Continue trains it on)`;
      } else if (status.reopened) {
        last = status.reopened.hasWeights
          ? `; reopened a past ${status.reopened.preset} run (${tested}; Continue trains on from its weights)`
          : `; reopened a past ${status.reopened.preset} run: its curves and settings only, its weights were not kept (${tested})`;
      } else if (status.restored) {
        last = status.resumable ? `; restored the run stopped at step ${status.step} (Continue trains on exactly from there)`
          : `; restored the saved model (${tested})`;
      } else if (status.step) {
        last = `; the last run stopped at step ${of(status.step, status.totalSteps)} (${tested})`;
      }
      const notice = status.notice ? `; ${status.notice}` : '';
      return `idle: ready to train (${threads})${last}${notice}`;
    }
    case RunState.training: return training(status);
    case RunState.paused: return `paused at step ${of(status.step, status.totalSteps)}`;
    case RunState.done: return `done: test accuracy ${percent(status.testAccuracy)} after ${plural(status.epoch, 'epoch')}`;
    case RunState.error: return `error: ${status.message}`;
    default: return status.state;
  }
}

// Where a run is within its state, for StatusText: a run that has not reported a step yet, or
// evaluates an epoch, is in its own phase, whose first words go out at once.
export function phaseOf(status) {
  if (status.state !== RunState.training) return status.state;
  if (status.evaluating) return `${status.state}, evaluating`;
  return status.step ? status.state : `${status.state}, starting`;
}

// Changes of #status go out at once when the state or its phase (phaseOf) changes, and
// progress within one at most once a second. While a run trains or loads, #status is
// aria-busy: its once-a-second progress would drown everything else, so a screen reader reads
// it when asked, and a11y.js's #announce speaks the run's events instead. When training stops
// (paused, done, stopped, an error) the region is no longer busy and its new text is spoken.
// `current()` returns {state, phase, text} as they are now.
export class StatusText {
  constructor(element, current) {
    this.element = element;
    this.current = current;
    this.shown = { text: '', phase: '', at: 0 };
    this.timer = 0;
  }

  update(immediately = false) {
    const { state, phase = state, text } = this.current();
    if (text === this.shown.text) return;
    const now = performance.now();
    if (!immediately && phase === this.shown.phase && now - this.shown.at < 1000) {
      if (!this.timer) this.timer = setTimeout(() => { this.timer = 0; this.update(); }, 1000 - (now - this.shown.at));
      return;
    }
    this.shown = { text, phase, at: now };
    this.element.setAttribute('aria-busy', String(state === RunState.training || state === RunState.loading));
    this.element.textContent = text;
    this.element.dataset.state = state;  // index.html styles errors by it
  }
}
