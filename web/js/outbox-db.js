// Where unsent changes wait: an IndexedDB object store (localStorage if IndexedDB cannot open).
// Entries: {key, op: 'create'|'delete', id, user, seq, attempts, body | spending}.

import { OUTBOX } from './storage-keys.js';

const DB_NAME = 'stracker';
const STORE = 'outbox';

let opening = null;

function openDB() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      if (!window.indexedDB) return reject(new Error('no IndexedDB'));
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'key' });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error('IndexedDB blocked'));
    }).catch(() => null);
  }
  return opening;
}

function run(db, mode, work) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const result = work(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(result.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

const readFallback = () => {
  try {
    return JSON.parse(localStorage.getItem(OUTBOX)) || {};
  } catch {
    return {};
  }
};
const writeFallback = (map) => localStorage.setItem(OUTBOX, JSON.stringify(map));

/** Every entry of `user`, oldest first. */
export async function entries(user) {
  const db = await openDB();
  const all = db ? await run(db, 'readonly', (s) => s.getAll()) : Object.values(readFallback());
  return all.filter((e) => e.user === user).sort((a, b) => a.seq - b.seq);
}

export async function get(key) {
  const db = await openDB();
  return db ? run(db, 'readonly', (s) => s.get(key)) : readFallback()[key];
}

export async function put(entry) {
  const db = await openDB();
  if (db) return run(db, 'readwrite', (s) => s.put(entry));
  const map = readFallback();
  map[entry.key] = entry;
  writeFallback(map);
}

export async function remove(key) {
  const db = await openDB();
  if (db) return run(db, 'readwrite', (s) => s.delete(key));
  const map = readFallback();
  delete map[key];
  writeFallback(map);
}
