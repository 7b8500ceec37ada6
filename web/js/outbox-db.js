// Where unsent changes wait: an IndexedDB object store (localStorage if IndexedDB cannot open).
// Entries: {key, op: 'create'|'delete', id, user, seq, attempts, body | spending}.

import { OUTBOX_STORE, openDB, run as runIn } from './idb.js';
import { OUTBOX } from './storage-keys.js';

const run = (db, mode, work) => runIn(db, OUTBOX_STORE, mode, work);

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
