// The run's state in words, in the aria-live element #status, for screen readers and tests.

import { RunState } from './protocol.js';

const percent = (x) => (x == null ? '-' : `${(100 * x).toFixed(2)}%`);
const plural = (n, word) => `${n} ${word}${n > 1 ? 's' : ''}`;

// `status` as window.digitrain.status() reports it; `loading`: what is being fetched.
export function describe(status, loading) {
  switch (status.state) {
    case RunState.loading: return `loading: ${loading}`;
    case RunState.idle: {
      const threads = `${plural(status.maxThreads, 'thread')}${status.crossOriginIsolated ? '' : ', single-threaded: page not cross-origin isolated'}`;
      const restored = !status.restored ? ''
        : status.resumable ? `; restored the run stopped at step ${status.step} (Continue trains on exactly from there)`
          : `; restored the saved model (test accuracy ${percent(status.testAccuracy)})`;
      const notice = status.notice ? `; ${status.notice}` : '';
      return `idle: ready to train (${threads})${restored}${notice}`;
    }
    case RunState.training:
      return `training: epoch ${status.epoch}, step ${status.step}, train accuracy ${percent(status.trainAccuracy)}, ${Math.round(status.samplesPerSecond)} samples/s on ${plural(status.threads, 'thread')}`;
    case RunState.paused: return `paused at step ${status.step}`;
    case RunState.done: return `done: test accuracy ${percent(status.testAccuracy)} after ${plural(status.epoch, 'epoch')}`;
    case RunState.error: return `error: ${status.message}`;
    default: return status.state;
  }
}

// A screen reader announces every change of #status: state changes go out at once, progress
// within a state at most once a second. `current()` returns {state, text} as they are now.
export class StatusText {
  constructor(element, current) {
    this.element = element;
    this.current = current;
    this.shown = { text: '', state: '', at: 0 };
    this.timer = 0;
  }

  update(immediately = false) {
    const { state, text } = this.current();
    if (text === this.shown.text) return;
    const now = performance.now();
    if (!immediately && state === this.shown.state && now - this.shown.at < 1000) {
      if (!this.timer) this.timer = setTimeout(() => { this.timer = 0; this.update(); }, 1000 - (now - this.shown.at));
      return;
    }
    this.shown = { text, state, at: now };
    this.element.textContent = text;
    this.element.dataset.state = state;  // index.html styles errors by it
  }
}
