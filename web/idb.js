// IndexedDB in one call: a database of named object stores (created the first time), and a
// transaction over all of them. saved_run.js and run_history.js keep their records with it.

function open(name, stores) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => stores.forEach((s) => request.result.createObjectStore(s));
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

// fn(...object stores, in the order of `stores`) runs in one transaction; resolves once it
// completes, with what fn returned (an IDBRequest's result, or a plain value as it is then).
export async function transact(name, stores, mode, fn) {
  const db = await open(name, stores);
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(stores, mode);
      const out = fn(...stores.map((s) => tx.objectStore(s)));
      tx.oncomplete = () => resolve(out instanceof IDBRequest ? out.result : out);
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}
