// The past runs as the UI's runs panel reads them (the `history` message, protocol.js): for
// each, what it trained (from the settings it really used, else its start config), how it
// ended, its final metrics and its curves. Built from run_history.js's summaries.

import { MessageType } from './protocol.js';

// `augment` is true, false, or {rotate, scale, shift, elastic, elastic_sigma}.
function augmented(a) {
  if (a && typeof a === 'object') return ['rotate', 'scale', 'shift', 'elastic'].some((k) => a[k] > 0);
  return a === true;
}

export function pastRunSummary(r) {
  const s = { ...r.config, ...(r.settings || {}) };
  const p = r.progress || {}, e = r.epoch;
  return {
    id: r.id,
    savedAt: r.savedAt,
    ended: r.ended,
    dataset: s.dataset || 'mnist',
    preset: s.preset || '',
    optimizer: s.optimizer || '',
    lr: Number.isFinite(s.lr) ? s.lr : null,
    batch: Number.isFinite(s.batch) ? s.batch : null,
    epochs: Number.isFinite(s.epochs) ? s.epochs : null,
    augment: augmented(s.augment),
    epochsDone: e ? e.epoch : 0,
    testAccuracy: e && Number.isFinite(e.testAccuracy) ? e.testAccuracy : null,
    seconds: r.seconds,
    samplesPerSecond: Number.isFinite(p.samplesPerSecond) ? p.samplesPerSecond : null,
    step: Number.isFinite(p.step) ? p.step : 0,
    stepsPerEpoch: Number.isFinite(p.stepsPerEpoch) ? p.stepsPerEpoch : 0,
    hasWeights: r.hasWeights,
    weightsSize: r.weightsSize,
    curves: r.curves,
  };
}

export function pastRunsMessage(runs) {
  return { type: MessageType.history, runs: runs.map(pastRunSummary) };
}
