// The saved run's record, checked as a whole before the page trusts it. IndexedDB keeps
// whatever was put there: by an older version of the page, by a newer one, by a browser
// extension, or half-written. A record that does not check out is set aside with a message
// (saved_run.js); it never stops the page.
//
// Version 1:
//   {version: 1,
//    config:     the start config the run was started with (an object; the worker checks it),
//    settings:   what the run really used (the worker's `started` settings) or null,
//    weights:    a .safetensors snapshot (Uint8Array),
//    checkpoint: the run's checkpoint (.safetensors with optimiser state and position) or null,
//    resumable:  true when the run stopped mid-way and continues exactly from its checkpoint,
//    progress:   the last progress report or null, epoch: the last epoch report or null,
//    savedAt:    ms since 1970}
// Records without `version` come from the pages before it; they are the same but may carry
// the confusion matrix as 100 counts in a row (now 10 rows of 10), and are upgraded.

export const RECORD_VERSION = 1;

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
  const { version = 0, config, settings = null, weights, checkpoint = null, resumable = false, progress, epoch, savedAt,
    ...unknown } = value;
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

  return { version: RECORD_VERSION, config, settings, weights, checkpoint, resumable,
    progress: progress == null ? null : checkProgress(progress),
    epoch: epoch == null ? null : checkEpoch(epoch, version), savedAt };
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
