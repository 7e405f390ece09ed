// A run's curves as the page keeps them: the training loss and running accuracy of every
// progress report (against the global step), each epoch's test accuracy, and its validation
// loss and accuracy when the run has a validation split.
// They go into storage with the run (run_record.js, run_history.js) and back to the UI after
// a reload or when a past run is reopened, so they stay small: past MAX_POINTS step points,
// every other point is dropped and from then on only every other report is kept, so the
// points stay (about) evenly spaced however long the run, and there are never more than
// MAX_POINTS (plus the latest report).

export const MAX_POINTS = 1000;

// Five significant digits: what a chart can show, and half the bytes of a full double in JSON.
const round = (v) => Number(v.toPrecision(5));

export class Curves {
  // curves: the plain form (toPlain) of a run's curves to go on from, or nothing.
  constructor(curves) {
    const c = curves || {};
    this.step = (c.step || []).slice();
    this.loss = (c.loss || []).slice();
    this.accuracy = (c.accuracy || []).slice();
    this.testEpoch = (c.testEpoch || []).slice();
    this.testAccuracy = (c.testAccuracy || []).slice();
    this.valEpoch = (c.valEpoch || []).slice();
    this.valLoss = (c.valLoss || []).slice();
    this.valAccuracy = (c.valAccuracy || []).slice();
    // Keep one report in `stride` (a run continued after a reload starts again at 1: its old
    // points stay as they were, the halving evens them out again).
    this.stride = 1;
    this.reports = 0;
    this.latest = null;  // the newest report, kept even when the stride skips it
  }

  // One progress report (protocol: progress).
  addProgress(p) {
    const point = [p.step || 0, round(p.epochLoss || 0), round(p.trainAccuracy || 0)];
    this.latest = point;
    if (this.reports++ % this.stride !== 0) return;
    this.step.push(point[0]);
    this.loss.push(point[1]);
    this.accuracy.push(point[2]);
    if (this.step.length > MAX_POINTS) {
      const even = (_, i) => i % 2 === 0;
      this.step = this.step.filter(even);
      this.loss = this.loss.filter(even);
      this.accuracy = this.accuracy.filter(even);
      this.stride *= 2;
      this.reports = 1;
    }
  }

  // One epoch report (protocol: epoch); its validation values are null without a split.
  addEpoch(e) {
    this.testEpoch.push(e.epoch);
    this.testAccuracy.push(round(e.testAccuracy || 0));
    if (e.valAccuracy == null) return;
    this.valEpoch.push(e.epoch);
    this.valLoss.push(round(e.valLoss || 0));
    this.valAccuracy.push(round(e.valAccuracy));
  }

  // Plain arrays of numbers, as stored and as the UI reads them; the latest report included.
  toPlain() {
    const step = this.step.slice(), loss = this.loss.slice(), accuracy = this.accuracy.slice();
    if (this.latest && (step.length === 0 || step[step.length - 1] < this.latest[0])) {
      step.push(this.latest[0]);
      loss.push(this.latest[1]);
      accuracy.push(this.latest[2]);
    }
    return { step, loss, accuracy, testEpoch: this.testEpoch.slice(), testAccuracy: this.testAccuracy.slice(),
      valEpoch: this.valEpoch.slice(), valLoss: this.valLoss.slice(), valAccuracy: this.valAccuracy.slice() };
  }
}
