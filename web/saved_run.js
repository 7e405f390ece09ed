// Storage: the latest run, kept in the browser's IndexedDB so that a reload (or a closed tab)
// does not lose a trained model. One record (its form and checks: run_record.js). A record
// that fails the checks is moved aside, under its own key, where it stays for a look in the
// browser's developer tools until the next one replaces it; the page starts as if none had
// been saved and says so. Storage can be unavailable (private modes, quotas): then runs are
// simply not kept.

import { transact as idbTransact } from './idb.js';
import { checkRecord, RECORD_VERSION } from './run_record.js';

const DB = 'digitrain', STORE = 'runs', KEY = 'latest', SET_ASIDE = 'set-aside';

const transact = (mode, fn) => idbTransact(DB, [STORE], mode, fn);

// record: {config, weights, progress, epoch, savedAt}; the version is added here.
export function saveRun(record) {
  return transact('readwrite', (s) => s.put({ version: RECORD_VERSION, ...record }, KEY))
    .catch((e) => console.warn(`run not saved: ${e.message}`));
}

// {record} for a saved run that checks out, {problem} for one that was set aside, {} for none
// (or no storage).
export async function loadRun() {
  let value;
  try {
    value = await transact('readonly', (s) => s.get(KEY));
  } catch (e) {
    return {};
  }
  if (value === undefined) return {};
  const checked = checkRecord(value);
  if (checked.problem) await setAsideRun(value);
  return checked;
}

// Moves the saved run out of the way (to the key `set-aside`): it is not read again.
export function setAsideRun(value) {
  return transact('readwrite', (s) => {
    s.put(value, SET_ASIDE);
    return s.delete(KEY);
  }).catch(() => undefined);
}

// Forgets the saved run if it is the run `id` (a past run being deleted).
export function clearRunIf(id) {
  return transact('readwrite', (s) => {
    const request = s.get(KEY);
    request.onsuccess = () => { if (request.result && request.result.id === id) s.delete(KEY); };
    return request;
  }).catch(() => undefined);
}

export function clearRun() {
  return transact('readwrite', (s) => s.delete(KEY)).catch(() => undefined);
}
