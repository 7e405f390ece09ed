// The saved run's record, checked as a whole before the page trusts it. IndexedDB keeps
// whatever was put there: by an older version of the page, by a newer one, by a browser
// extension, or half-written. A record that does not check out is set aside with a message
// (saved_run.js); it never stops the page. Past runs (run_history.js) are checked here too.
//
// Version 2:
//   {version: 2,
//    id:         the run's identity, ms since 1970 when it started (a continued run keeps it),
//    config:     the start config the run was started with (an object; the worker checks it),
//    settings:   what the run really used (the worker's `started` settings) or null,
//    weights:    a .safetensors snapshot (Uint8Array),
//    checkpoint: the run's checkpoint (.safetensors with optimiser state and position) or null,
//    resumable:  true when the run stopped mid-way and continues exactly from its checkpoint,
//    progress:   the last progress report or null, epoch: the last epoch report or null,
//    curves:     {step, loss, accuracy} per progress report (at most a few thousand, curves.js),
//                {testEpoch, testAccuracy} per epoch and {valEpoch, valLoss, valAccuracy} per epoch
//                with a validation split: arrays of numbers,
//    seconds:    how long it has trained (wall time, evaluations included),
//    savedAt:    ms since 1970}
// Version 1 had no id, curves or seconds: it is upgraded with its savedAt as id, curves made of
// what it has (the last progress report and the last epoch) and 0 seconds. Records without
// `version` come from the pages before it; they are version 1 but may carry the confusion
// matrix as 100 counts in a row (now 10 rows of 10), and are upgraded the same way.

export const RECORD_VERSION = 2;

// {record} (upgraded to the current version) or {problem: what is wrong, in words}.
export function checkRecord(value) {
  try {
    return { record: check(value) };
  } catch (e) {
    if (e instanceof RecordProblem) return { problem: e.message };
    throw e;
  }
}

class RecordProblem extends Error {}
function problem(text) { throw new RecordProblem(text); }

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v);
const isCount = (v) => Number.isSafeInteger(v) && v >= 0;

function check(value) {
  if (!isObject(value)) problem(`it is ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`}, not a run`);
  const { version = 0, id, config, settings = null, weights, checkpoint = null, resumable = false, progress, epoch, curves,
    seconds, savedAt, ...unknown } = value;
  if (!isCount(version)) problem(`its version ${JSON.stringify(version)} is not a version number`);
  if (version > RECORD_VERSION) problem(`it was saved by a newer version of digitrain (record version ${version}; this page reads up to ${RECORD_VERSION})`);
  if (Object.keys(unknown).length) problem(`it has fields a run does not have (${Object.keys(unknown).join(', ')})`);

  if (!isObject(config)) problem('its config is not an object');
  name(config.preset, 'config.preset');
  name(config.dataset, 'config.dataset');
  if (settings !== null && !isObject(settings)) problem('its settings are not an object');
  checkWeights(weights, 'model weights');
  if (checkpoint !== null) checkWeights(checkpoint, 'checkpoint');
  if (typeof resumable !== 'boolean') problem('its resumable is not true or false');
  if (resumable && checkpoint === null) problem('it is resumable but has no checkpoint');
  if (!Number.isFinite(savedAt)) problem('its savedAt is not a time');

  const checked = { progress: progress == null ? null : checkProgress(progress),
    epoch: epoch == null ? null : checkEpoch(epoch, version) };
  if (version < 2) {
    if (id !== undefined || curves !== undefined || seconds !== undefined) problem(`it has fields a version ${version} run does not have`);
    return { version: RECORD_VERSION, id: Math.round(savedAt), config, settings, weights, checkpoint, resumable, ...checked,
      curves: curvesOf(checked.progress, checked.epoch), seconds: 0, savedAt };
  }
  if (!isCount(id)) problem(`its id is ${JSON.stringify(id)}, not a run's id`);
  number(seconds, 'seconds');
  if (!(seconds >= 0)) problem(`its seconds is ${JSON.stringify(seconds)}, not a duration`);
  return { version: RECORD_VERSION, id, config, settings, weights, checkpoint, resumable, ...checked,
    curves: checkCurves(curves), seconds, savedAt };
}

// The curves a version-1 record can give: its last progress report and its last epoch.
function curvesOf(progress, epoch) {
  const c = { step: [], loss: [], accuracy: [], testEpoch: [], testAccuracy: [], valEpoch: [], valLoss: [], valAccuracy: [] };
  if (progress && progress.step != null) {
    c.step.push(progress.step);
    c.loss.push(progress.epochLoss || 0);
    c.accuracy.push(progress.trainAccuracy || 0);
  }
  if (epoch) {
    c.testEpoch.push(epoch.epoch);
    c.testAccuracy.push(epoch.testAccuracy || 0);
    // Pages of version 1 reported 0 for a run without a validation split: no point for it.
    if (epoch.valAccuracy > 0) {
      c.valEpoch.push(epoch.epoch);
      c.valLoss.push(epoch.valLoss || 0);
      c.valAccuracy.push(epoch.valAccuracy);
    }
  }
  return c;
}

// More points than curves.js ever keeps (with room for an older page's): a bound, so that a
// corrupt record cannot hand the UI millions of points.
export const MAX_CURVE_POINTS = 5000;
const CURVE_GROUPS = [['step', 'loss', 'accuracy'], ['testEpoch', 'testAccuracy'], ['valEpoch', 'valLoss', 'valAccuracy']];

export function checkCurves(c) {
  if (!isObject(c)) problem('its curves are not an object');
  const known = CURVE_GROUPS.flat();
  const unknown = Object.keys(c).filter((k) => !known.includes(k));
  if (unknown.length) problem(`its curves have fields curves do not have (${unknown.join(', ')})`);
  const out = {};
  for (const group of CURVE_GROUPS) {
    for (const key of group) {
      const v = c[key];
      if (!Array.isArray(v) || !v.every(Number.isFinite)) problem(`its curves.${key} is not a list of numbers`);
      if (v.length > MAX_CURVE_POINTS) problem(`its curves.${key} has ${v.length} points, more than ${MAX_CURVE_POINTS}`);
      if (v.length !== c[group[0]].length) problem(`its curves.${key} has ${v.length} points but curves.${group[0]} has ${c[group[0]].length}`);
      out[key] = v;
    }
  }
  return out;
}

// ---- past runs (run_history.js) ------------------------------------------------------------
// Version 1:
//   {version: 1, id, savedAt, config, settings, progress, epoch, curves, seconds: as in a run's
//    record (version 2),
//    ended:       'finished' (all its epochs, or stopped early by its own rule) or 'stopped',
//    weightsSize: the size of its .safetensors weights in bytes,
//    hasWeights:  whether they were kept (run_history.js keeps weights up to a size)}
// The weights themselves are stored apart, under the same id, so that listing the runs does
// not read them.
export const PAST_RUN_VERSION = 1;
export const PastRunEnd = Object.freeze({ finished: 'finished', stopped: 'stopped' });

// {run} or {problem}, like checkRecord.
export function checkPastRun(value) {
  try {
    return { run: checkPast(value) };
  } catch (e) {
    if (e instanceof RecordProblem) return { problem: e.message };
    throw e;
  }
}

function checkPast(value) {
  if (!isObject(value)) problem('it is not a past run');
  const { version, id, savedAt, config, settings = null, progress = null, epoch = null, curves, seconds, ended, weightsSize,
    hasWeights, ...unknown } = value;
  if (version !== PAST_RUN_VERSION) problem(`its version ${JSON.stringify(version)} is not ${PAST_RUN_VERSION}`);
  if (Object.keys(unknown).length) problem(`it has fields a past run does not have (${Object.keys(unknown).join(', ')})`);
  if (!isCount(id)) problem(`its id is ${JSON.stringify(id)}, not a run's id`);
  if (!Number.isFinite(savedAt)) problem('its savedAt is not a time');
  if (!isObject(config)) problem('its config is not an object');
  name(config.preset, 'config.preset');
  name(config.dataset, 'config.dataset');
  if (settings !== null && !isObject(settings)) problem('its settings are not an object');
  if (!Object.values(PastRunEnd).includes(ended)) problem(`its ended is ${JSON.stringify(ended)}, not one of ${Object.values(PastRunEnd).join(', ')}`);
  if (!(Number.isFinite(seconds) && seconds >= 0)) problem(`its seconds is ${JSON.stringify(seconds)}, not a duration`);
  if (!isCount(weightsSize)) problem(`its weightsSize is ${JSON.stringify(weightsSize)}, not a count`);
  if (typeof hasWeights !== 'boolean') problem('its hasWeights is not true or false');
  return { version, id, savedAt, config, settings, progress: progress === null ? null : checkProgress(progress),
    epoch: epoch === null ? null : checkEpoch(epoch, 1), curves: checkCurves(curves), seconds, ended, weightsSize, hasWeights };
}

// A past run's weights, read back apart from it: the same framing checks as a record's.
export function checkPastWeights(bytes) {
  try {
    checkWeights(bytes, 'model weights');
    return {};
  } catch (e) {
    if (e instanceof RecordProblem) return { problem: e.message };
    throw e;
  }
}

// The safetensors framing: an 8-byte little-endian header length, then that many bytes of
// JSON. The engine checks the rest (tensors, shapes, finite values) when it loads them.
function checkWeights(bytes, what) {
  if (!(bytes instanceof Uint8Array)) problem(`its ${what} are not bytes`);
  if (bytes.length < 10) problem(`its ${what} are ${bytes.length} bytes, too short for a model file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = Number(view.getBigUint64(0, true));
  if (header < 2 || 8 + header > bytes.length || bytes[8] !== 0x7b /* { */) problem(`its ${what} are not a .safetensors file`);
}

// Each check takes the value and where it is in the record, for the message.
function name(v, where) {
  if (v != null && typeof v !== 'string') problem(`its ${where} is not a name`);
}
function count(v, where) {
  if (v !== undefined && !isCount(v)) problem(`its ${where} is ${JSON.stringify(v)}, not a count`);
}
function number(v, where) {
  if (v != null && !Number.isFinite(v)) problem(`its ${where} is ${JSON.stringify(v)}, not a number`);
}
function fraction(v, where) {
  number(v, where);
  if (v != null && (v < 0 || v > 1)) problem(`its ${where} is ${v}, not in [0, 1]`);
}

function checkProgress(p) {
  if (!isObject(p)) problem('its progress is not an object');
  count(p.epoch, 'progress.epoch');
  count(p.step, 'progress.step');
  count(p.samplesSeen, 'progress.samplesSeen');
  number(p.loss, 'progress.loss');
  number(p.epochLoss, 'progress.epochLoss');
  number(p.lr, 'progress.lr');
  number(p.samplesPerSecond, 'progress.samplesPerSecond');
  fraction(p.trainAccuracy, 'progress.trainAccuracy');
  return p;
}

function checkEpoch(e, version) {
  if (!isObject(e)) problem('its epoch report is not an object');
  if (!isCount(e.epoch)) problem(`its epoch.epoch is ${JSON.stringify(e.epoch)}, not a count`);
  fraction(e.trainAccuracy, 'epoch.trainAccuracy');
  fraction(e.valAccuracy, 'epoch.valAccuracy');
  fraction(e.testAccuracy, 'epoch.testAccuracy');
  number(e.trainLoss, 'epoch.trainLoss');
  number(e.valLoss, 'epoch.valLoss');
  number(e.testLoss, 'epoch.testLoss');
  let confusion = e.confusion;
  if (version === 0 && Array.isArray(confusion) && confusion.length === 100 && confusion.every(isCount)) {
    confusion = Array.from({ length: 10 }, (_, i) => confusion.slice(i * 10, i * 10 + 10));
  }
  const square = Array.isArray(confusion) && confusion.length === 10 &&
    confusion.every((row) => Array.isArray(row) && row.length === 10 && row.every(isCount));
  if (!square) problem('its epoch.confusion is not 10 rows of 10 counts');
  return { ...e, confusion };
}
