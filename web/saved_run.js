// Storage: the latest run, kept in the browser's IndexedDB so that a reload (or a closed tab)
// does not lose a trained model. One record only:
//   {config, weights (.safetensors bytes), progress, epoch (the last reports), savedAt}
// Storage can be unavailable (private modes, quotas): then runs are simply not kept.

const DB = 'digitrain', STORE = 'runs', KEY = 'latest';

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function transact(mode, fn) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = fn(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

// Records saved by earlier versions of the page carry the confusion matrix as 100 counts in a
// row; the reports now carry 10 rows of 10.
function upgrade(record) {
  const counts = record && record.epoch && record.epoch.confusion;
  if (Array.isArray(counts) && counts.length === 100 && typeof counts[0] === 'number') {
    record.epoch.confusion = Array.from({ length: 10 }, (_, i) => counts.slice(i * 10, i * 10 + 10));
  }
  return record;
}

export function saveRun(record) {
  return transact('readwrite', (s) => s.put(record, KEY)).catch((e) => console.warn(`run not saved: ${e.message}`));
}
export function loadRun() {
  return transact('readonly', (s) => s.get(KEY)).then(upgrade, () => undefined);
}
export function clearRun() {
  return transact('readwrite', (s) => s.delete(KEY)).catch(() => undefined);
}
