// The page's checks at its edges, without a browser: the pixels window.digitrain.predict
// takes (web/pixels.js), the saved run and the past runs read back from IndexedDB
// (web/run_record.js), and how a run's curves are kept small (web/curves.js).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');
// Browser modules without imports: loaded as such, whatever node makes of web/'s .js files.
async function load(name) {
  const source = fs.readFileSync(path.join(WEB, name), 'utf8');
  return import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`);
}
const { checkPixels } = await load('pixels.js');
const { checkRecord, checkPastRun, RECORD_VERSION, PAST_RUN_VERSION } = await load('run_record.js');
const { Curves, MAX_POINTS } = await load('curves.js');

test('predict pixels: 784 finite numbers in [0, 1], or an error naming the first bad one', () => {
  const good = new Array(784).fill(0).map((_, i) => (i % 3) / 2);
  const image = checkPixels(good);
  assert.ok(image instanceof Float32Array);
  assert.deepEqual(Array.from(image.slice(0, 3)), [0, 0.5, 1]);
  assert.ok(checkPixels(new Float32Array(784)) instanceof Float32Array);
  assert.ok(checkPixels(new Uint8Array(784)) instanceof Float32Array);

  const bad = (value, at = 100) => { const p = new Array(784).fill(0); p[at] = value; return p; };
  const cases = [
    [undefined, /given nothing/],
    [null, /given null/],
    ['0'.repeat(784), /given the string "0000/],
    [{ length: 784 }, /given an object/],
    [new Array(783).fill(0), /given 783 values/],
    [new Float64Array(785), /given 785 values/],
    [bad(NaN), /pixel 100 \(row 3, column 16\) is NaN/],
    [bad(Infinity), /pixel 100 .* is Infinity/],
    [bad(-Infinity, 0), /pixel 0 \(row 0, column 0\) is -Infinity/],
    [bad(-1e30, 783), /pixel 783 \(row 27, column 27\) is -1e\+30/],
    [bad(1.5), /is 1\.5/],
    [bad(-0.001), /is -0\.001/],
    [bad('0.5'), /is the string "0\.5"/],
    [bad(null), /is null/],
    [bad([1]), /is an array/],
  ];
  for (const [input, message] of cases) {
    const result = checkPixels(input);
    assert.ok(result instanceof Error, `accepted ${String(input).slice(0, 30)}`);
    assert.match(result.message, /^predict takes 784 numbers in \[0, 1\]/);
    assert.match(result.message, message);
  }
});

// A .safetensors file as the engine writes one: header length, JSON header, data.
function safetensors() {
  const header = Buffer.from('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}');
  const bytes = new Uint8Array(8 + header.length + 4);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
  bytes.set(header, 8);
  return bytes;
}
const rows = () => Array.from({ length: 10 }, (_, i) => Array.from({ length: 10 }, (_, j) => (i === j ? 98 : 1)));
const curves = () => ({ step: [100, 200], loss: [0.5, 0.2], accuracy: [0.8, 0.9], testEpoch: [1], testAccuracy: [0.98],
  valEpoch: [1], valLoss: [0.1], valAccuracy: [0.95] });
function record(changes = {}) {
  return { version: RECORD_VERSION, id: 1763999990000, config: { preset: 'fast', dataset: 'mnist' }, weights: safetensors(),
    progress: { type: 'progress', epoch: 1, step: 200, stepsPerEpoch: 200, samplesSeen: 6400, epochLoss: 0.2, trainAccuracy: 0.9 },
    epoch: { type: 'epoch', epoch: 1, testAccuracy: 0.98, valAccuracy: 0, testLoss: 0.05, confusion: rows() },
    curves: curves(), seconds: 12.5, savedAt: 1764000000000, ...changes };
}
// A version-1 record: no id, curves or seconds.
function recordV1(changes = {}) {
  const r = record({ version: 1, ...changes });
  delete r.id;
  delete r.curves;
  delete r.seconds;
  return r;
}

test('a saved run that checks out comes back whole', () => {
  const { record: r, problem } = checkRecord(record());
  assert.equal(problem, undefined);
  assert.equal(r.version, RECORD_VERSION);
  assert.deepEqual(r.epoch.confusion, rows());
  assert.equal(r.progress.step, 200);
  assert.deepEqual(r.curves, curves());
  assert.equal(r.id, 1763999990000);
  assert.equal(r.seconds, 12.5);
  // Progress and epoch are optional (a run stopped before its first epoch has no epoch).
  assert.equal(checkRecord(record({ epoch: null, progress: undefined })).record.epoch, null);
  // A run stopped mid-way carries its checkpoint and the settings it used.
  const mid = checkRecord(record({ resumable: true, checkpoint: safetensors(), settings: { preset: 'fast', batch: 32 } })).record;
  assert.equal(mid.resumable, true);
  assert.equal(mid.settings.batch, 32);
  assert.equal(checkRecord(record()).record.resumable, false);
});

test('a version-1 record is upgraded: its savedAt becomes its id, its last report and epoch its curves', () => {
  const { record: r, problem } = checkRecord(recordV1());
  assert.equal(problem, undefined);
  assert.equal(r.version, RECORD_VERSION);
  assert.equal(r.id, 1764000000000);
  assert.equal(r.seconds, 0);
  // Its epoch report has valAccuracy 0: a run without a validation split, as version 1 said it.
  assert.deepEqual(r.curves, { step: [200], loss: [0.2], accuracy: [0.9], testEpoch: [1], testAccuracy: [0.98], valEpoch: [],
    valLoss: [], valAccuracy: [] });
  const validated = checkRecord(recordV1({ epoch: { epoch: 2, testAccuracy: 0.98, valAccuracy: 0.97, valLoss: 0.1, confusion: rows() } }));
  assert.deepEqual(validated.record.curves.valEpoch, [2]);
  assert.deepEqual(validated.record.curves.valAccuracy, [0.97]);
  // Stopped before its first report: no curves at all.
  assert.deepEqual(checkRecord(recordV1({ progress: null, epoch: null })).record.curves.step, []);
  // Version 1 had no curves: a version-1 record with them is not one.
  assert.match(checkRecord({ ...recordV1(), curves: curves() }).problem, /fields a version 1 run does not have/);
});

test('a record from before versions is upgraded: its flat confusion becomes 10 rows', () => {
  const old = recordV1({ epoch: { epoch: 1, testAccuracy: 0.98, confusion: rows().flat() } });
  delete old.version;
  const { record: r } = checkRecord(old);
  assert.deepEqual(r.epoch.confusion, rows());
  assert.equal(r.version, RECORD_VERSION);
  // In a versioned record a flat matrix is a fault, not an old format.
  assert.match(checkRecord(record({ epoch: { epoch: 1, confusion: rows().flat() } })).problem, /10 rows of 10 counts/);
});

test('a broken record is a problem in words, never a throw', () => {
  const noConfusion = record();
  delete noConfusion.epoch.confusion;  // the record that once stopped the UI at every reload
  const cases = [
    ['a plain string', /it is a string, not a run/],
    [null, /it is null/],
    [[record()], /an array/],
    [record({ version: RECORD_VERSION + 1 }), new RegExp(`newer version of digitrain \\(record version ${RECORD_VERSION + 1}`)],
    [record({ id: undefined }), /its id is undefined/],
    [record({ id: -3 }), /its id is -3/],
    [record({ seconds: -1 }), /its seconds is -1, not a duration/],
    [record({ curves: undefined }), /its curves are not an object/],
    [record({ curves: { ...curves(), step: [1, 'x'] } }), /curves\.step is not a list of numbers/],
    [record({ curves: { ...curves(), loss: [1] } }), /curves\.loss has 1 points but curves\.step has 2/],
    [record({ curves: { ...curves(), testAccuracy: [] } }), /curves\.testAccuracy has 0 points but curves\.testEpoch has 1/],
    [record({ curves: { ...curves(), valLoss: [] } }), /curves\.valLoss has 0 points but curves\.valEpoch has 1/],
    [record({ curves: { ...curves(), zoom: [] } }), /curves have fields curves do not have \(zoom\)/],
    [record({ curves: { ...curves(), step: new Array(6000).fill(1), loss: new Array(6000).fill(1), accuracy: new Array(6000).fill(1) } }), /6000 points, more than 5000/],
    [record({ version: -1 }), /not a version number/],
    [record({ extra: 1 }), /fields a run does not have \(extra\)/],
    [record({ config: 'fast' }), /its config is not an object/],
    [record({ config: { preset: 7 } }), /config\.preset is not a name/],
    [record({ weights: undefined }), /its model weights are not bytes/],
    [record({ weights: [1, 2, 3] }), /its model weights are not bytes/],
    [record({ weights: new Uint8Array(4) }), /4 bytes, too short/],
    [record({ weights: new Uint8Array(64) }), /not a \.safetensors file/],
    [record({ weights: (() => { const w = safetensors(); w[0] = 250; return w; })() }), /not a \.safetensors file/],
    [record({ savedAt: 'yesterday' }), /its savedAt is not a time/],
    [record({ settings: 'fast' }), /its settings are not an object/],
    [record({ checkpoint: new Uint8Array(64) }), /its checkpoint are not a \.safetensors file/],
    [record({ resumable: 'yes', checkpoint: safetensors() }), /resumable is not true or false/],
    [record({ resumable: true }), /resumable but has no checkpoint/],
    [record({ progress: 'half' }), /its progress is not an object/],
    [record({ progress: { step: -5 } }), /progress\.step is -5, not a count/],
    [record({ progress: { step: 1.5 } }), /progress\.step is 1\.5/],
    [record({ progress: { epochLoss: 'nan' } }), /progress\.epochLoss is "nan", not a number/],
    [record({ progress: { trainAccuracy: 7 } }), /progress\.trainAccuracy is 7, not in \[0, 1\]/],
    [noConfusion, /epoch\.confusion is not 10 rows of 10 counts/],
    [record({ epoch: { epoch: 1, confusion: rows().map((r) => r.slice(1)) } }), /10 rows of 10/],
    [record({ epoch: { epoch: 1, confusion: [...rows().slice(1), new Array(10).fill(-1)] } }), /10 rows of 10/],
    [record({ epoch: { epoch: 'one', confusion: rows() } }), /epoch\.epoch is "one"/],
    [record({ epoch: { epoch: 1, testAccuracy: 98, confusion: rows() } }), /epoch\.testAccuracy is 98, not in \[0, 1\]/],
  ];
  for (const [value, message] of cases) {
    const { record: r, problem } = checkRecord(value);
    assert.equal(r, undefined, `accepted ${JSON.stringify(value).slice(0, 60)}`);
    assert.match(problem, message);
  }
});

function pastRun(changes = {}) {
  return { version: PAST_RUN_VERSION, id: 1763999990000, savedAt: 1764000000000, ended: 'finished',
    config: { preset: 'fast', dataset: 'mnist' }, settings: { preset: 'fast', batch: 32 },
    progress: { epoch: 1, step: 200, samplesPerSecond: 4000 }, epoch: { epoch: 1, testAccuracy: 0.98, confusion: rows() },
    curves: curves(), seconds: 12.5, weightsSize: 455000, hasWeights: true, ...changes };
}

test('a past run checks out whole, or is a problem in words', () => {
  const { run, problem } = checkPastRun(pastRun());
  assert.equal(problem, undefined);
  assert.deepEqual(run.curves, curves());
  assert.equal(run.ended, 'finished');
  // Stopped before its first epoch: no epoch report.
  assert.equal(checkPastRun(pastRun({ epoch: null, ended: 'stopped' })).run.epoch, null);
  const cases = [
    [7, /not a past run/],
    [pastRun({ version: 2 }), /its version 2 is not 1/],
    [pastRun({ weights: safetensors() }), /fields a past run does not have \(weights\)/],
    [pastRun({ id: 'x' }), /its id is "x"/],
    [pastRun({ ended: 'crashed' }), /its ended is "crashed", not one of finished, stopped/],
    [pastRun({ seconds: NaN }), /its seconds is null, not a duration/],
    [pastRun({ hasWeights: 1 }), /hasWeights is not true or false/],
    [pastRun({ weightsSize: -1 }), /weightsSize is -1/],
    [pastRun({ curves: { ...curves(), accuracy: [] } }), /curves\.accuracy has 0 points/],
    [pastRun({ epoch: { epoch: 1, testAccuracy: 2, confusion: rows() } }), /epoch\.testAccuracy is 2/],
  ];
  for (const [value, message] of cases) {
    const checked = checkPastRun(value);
    assert.equal(checked.run, undefined, `accepted ${JSON.stringify(value).slice(0, 60)}`);
    assert.match(checked.problem, message);
  }
});

test('curves keep at most MAX_POINTS evenly spaced points however long the run, and the latest report', () => {
  const c = new Curves();
  const reports = 25 * MAX_POINTS + 7;
  for (let i = 1; i <= reports; i++) c.addProgress({ step: 10 * i, epochLoss: 1 / i, trainAccuracy: 1 - 1 / (i + 1) });
  c.addEpoch({ epoch: 1, valLoss: 0.1, valAccuracy: 0.97, testAccuracy: 0.98 });
  c.addEpoch({ epoch: 2, valLoss: null, valAccuracy: null, testAccuracy: 0.985 });  // no validation split
  const plain = c.toPlain();
  assert.ok(plain.step.length <= MAX_POINTS + 1 && plain.step.length > MAX_POINTS / 2, `${plain.step.length} points`);
  assert.equal(plain.step.length, plain.loss.length);
  assert.equal(plain.step.length, plain.accuracy.length);
  assert.equal(plain.step[0], 10);
  assert.equal(plain.step[plain.step.length - 1], 10 * reports);  // the latest report is always there
  const gaps = new Set(plain.step.slice(1, -1).map((s, i) => s - plain.step[i]));
  assert.equal(gaps.size, 1, `evenly spaced: gaps ${[...gaps]}`);
  assert.deepEqual(plain.testEpoch, [1, 2]);
  assert.deepEqual(plain.testAccuracy, [0.98, 0.985]);
  assert.deepEqual(plain.valEpoch, [1]);
  assert.deepEqual(plain.valAccuracy, [0.97]);
  // Values are kept to 5 significant digits.
  for (const v of [...plain.loss, ...plain.accuracy]) assert.equal(Number(v.toPrecision(5)), v);
  assert.notEqual(plain.loss[plain.loss.length - 1], 1 / reports);
  // A run continued after a reload goes on from its stored curves.
  const more = new Curves(plain);
  more.addProgress({ step: 10 * reports + 10, epochLoss: 0.01, trainAccuracy: 0.99 });
  assert.equal(more.toPlain().step.length, plain.step.length + 1);
});
