// The PWA's IndexedDB database. Unlike localStorage, whose copy in another tab may lag behind a
// write, a committed IndexedDB transaction is seen by every transaction that starts after it in
// any tab; the token rotation relies on that (auth.js).

const DB_NAME = 'stracker';
export const OUTBOX_STORE = 'outbox';
export const ROTATION_STORE = 'rotation';
const STORES = [OUTBOX_STORE, ROTATION_STORE];

let opening = null;

/** The open database, or null where IndexedDB cannot open (private modes, old browsers). */
export function openDB() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      if (!window.indexedDB) return reject(new Error('no IndexedDB'));
      const request = indexedDB.open(DB_NAME, 2);
      request.onupgradeneeded = () => {
        for (const name of STORES) {
          if (!request.result.objectStoreNames.contains(name)) request.result.createObjectStore(name, { keyPath: 'key' });
        }
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error('IndexedDB blocked'));
    }).catch(() => null);
  }
  return opening;
}

/** Runs `work(objectStore)` in one transaction; resolves with its request's result once committed. */
export function run(db, store, mode, work) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const result = work(tx.objectStore(store));
    tx.oncomplete = () => resolve(result.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}
