// Storage: the past runs, each finished or stopped run kept in the browser's IndexedDB so that
// the runs panel can list, reopen, compare and delete them. The latest KEEP runs are kept; an
// older one goes when a new one comes. Each run is kept as a summary (its form and checks:
// run_record.js, checkPastRun) and, apart, its weights, when they are at most MAX_WEIGHTS bytes
// (every preset but torch-lenet's 13 MB; that one's past runs keep curves and settings only).
// A summary that does not check out is dropped with its weights. Storage can be unavailable
// (private modes, quotas): then past runs are simply not kept.

import { transact as idbTransact } from './idb.js';
import { checkPastRun, checkPastWeights, PAST_RUN_VERSION } from './run_record.js';

export const KEEP = 10;
export const MAX_WEIGHTS = 4 * 1024 * 1024;

const DB = 'digitrain-history', SUMMARIES = 'summaries', WEIGHTS = 'model-files';

// fn(summaries, weights) runs in one transaction over both stores.
const transact = (mode, fn) => idbTransact(DB, [SUMMARIES, WEIGHTS], mode, fn);

// run: {id, savedAt, ended, config, settings, progress, epoch, curves, seconds} (a past run as
// run_record.js describes it, without version and the weights' fields); weights: its
// .safetensors bytes. A run already kept under the same id (stopped, then continued) is
// replaced. Resolves to the ids dropped to keep KEEP.
export function addPastRun(run, weights) {
  const hasWeights = Boolean(weights) && weights.length <= MAX_WEIGHTS;
  const summary = { version: PAST_RUN_VERSION, ...run, weightsSize: weights ? weights.length : 0, hasWeights };
  const dropped = [];
  return transact('readwrite', (summaries, stored) => {
    summaries.put(summary, run.id);
    if (hasWeights) stored.put(weights, run.id);
    else stored.delete(run.id);
    // Ids are start times: the smallest are the oldest.
    const keys = summaries.getAllKeys();
    keys.onsuccess = () => {
      const ids = keys.result.slice().sort((a, b) => a - b);
      for (const id of ids.slice(0, Math.max(0, ids.length - KEEP))) {
        summaries.delete(id);
        stored.delete(id);
        dropped.push(id);
      }
    };
    return dropped;
  }).catch((e) => {
    console.warn(`past run not kept: ${e.message}`);
    return [];
  });
}

// The past runs that check out, newest first (without weights). Those that do not are deleted.
export async function listPastRuns() {
  let values;
  try {
    values = await transact('readonly', (summaries) => summaries.getAll());
  } catch (e) {
    return [];
  }
  const runs = [], bad = [];
  for (const value of values) {
    const checked = checkPastRun(value);
    if (checked.run) runs.push(checked.run);
    else {
      bad.push(value && value.id);
      console.warn(`a past run was dropped: ${checked.problem}`);
    }
  }
  if (bad.length) await transact('readwrite', (summaries, stored) => bad.forEach((id) => { summaries.delete(id); stored.delete(id); })).catch(() => undefined);
  return runs.sort((a, b) => b.id - a.id);
}

// {run, weights (null when not kept)} for a past run, {problem} when it is gone or does not
// check out.
export async function loadPastRun(id) {
  let value, weights;
  try {
    [value, weights] = await transact('readonly', (summaries, stored) => {
      const s = summaries.get(id), w = stored.get(id);
      const both = [];
      s.onsuccess = () => { both[0] = s.result; };
      w.onsuccess = () => { both[1] = w.result; };
      return both;
    });
  } catch (e) {
    return { problem: `the browser's storage could not be read (${e.message})` };
  }
  if (value === undefined) return { problem: 'it is no longer kept in this browser' };
  const checked = checkPastRun(value);
  if (checked.problem) return { problem: checked.problem };
  if (!checked.run.hasWeights || weights === undefined) return { run: checked.run, weights: null };
  const bad = checkPastWeights(weights);
  if (bad.problem) return { problem: bad.problem };
  return { run: checked.run, weights };
}

export function deletePastRun(id) {
  return transact('readwrite', (summaries, stored) => {
    summaries.delete(id);
    stored.delete(id);
  }).catch(() => undefined);
}
