// The latest run, kept in the browser's IndexedDB so that a reload (or a closed tab) does not
// lose a trained model: its config, .safetensors weights and last metrics. One record only.
'use strict';
const SavedRun = (() => {
  const DB = 'digitrain', STORE = 'runs', KEY = 'latest';

  function open() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  async function run(mode, fn) {
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
  return {
    // Storage can be unavailable (private modes, quotas): then runs are simply not kept.
    save: (record) => run('readwrite', (s) => s.put(record, KEY)).catch((e) => console.warn(`run not saved: ${e.message}`)),
    load: () => run('readonly', (s) => s.get(KEY)).catch(() => undefined),
    clear: () => run('readwrite', (s) => s.delete(KEY)).catch(() => undefined),
  };
})();
