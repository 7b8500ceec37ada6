// Spendings are written to the outbox first and sent from there, so nothing typed is lost when
// the network or the session is gone. Each create carries a client UUID and its exact body, so a
// retry after a lost answer is idempotent on the server (same id + same body → no duplicate).

import { api, ApiError, AuthError, OfflineError } from './api.js';
import { currentUser } from './auth.js';
import { withLock } from './locks.js';
import * as db from './outbox-db.js';
import { announcedKey } from './storage-keys.js';

const listeners = new Set();
let waiting = [];           // this user's unsent entries, oldest first
let sent = [];              // {op, id, spending, sentAt}: sent by this tab, maybe not yet in the overview
let inflight = null;        // id being sent by this tab
let flushing = null;
let flushAgain = false;     // something was queued while a drain was ending: drain once more
const acks = new Map();     // id → resolve(sent?) for whenSent()
let retryTimer = null;
let retryDelay = 2000;
let seq = 0;

/** fn({type: 'change'|'sent'|'rejected', ...}) */
export function onQueue(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
const emit = (event) => listeners.forEach((fn) => fn(event));

export const waitingEntries = () => waiting;
export const sentEntries = () => sent;
export function forgetSentBefore(time) {
  sent = sent.filter((s) => s.sentAt >= time);
}

export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = Array.from(b, (n) => n.toString(16).padStart(2, '0')).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

const nextSeq = () => Date.now() * 1000 + (seq++ % 1000);

export async function reload() {
  const user = currentUser();
  waiting = user ? await db.entries(user) : [];
  emit({ type: 'change' });
}

/** Records a spending (now, or at `timestamp` for an earlier day): stored locally at once, then
 * sent. Resolves with the spending. */
export async function record({ amount, funnel_id, note = '', timestamp = Date.now() }) {
  const id = uuid();
  const body = { id, amount, funnel_id, note, timestamp };
  await db.put({ key: `create:${id}`, op: 'create', id, user: currentUser(), seq: nextSeq(), attempts: 0, body });
  await reload();
  flush();
  return body;
}

/** Deletes a spending (undo, or from a list). `spending` = {id, amount, funnel_id, timestamp}. */
export async function discard(spending) {
  forgetAnnounced(spending.id);
  const create = await db.get(`create:${spending.id}`);
  if (create) await db.remove(create.key);
  // Never attempted and not being sent: the server never saw it, dropping it is enough.
  const unseen = create && create.attempts === 0 && inflight !== spending.id;
  if (!unseen) {
    const { id, amount, funnel_id, timestamp } = spending;
    await db.put({ key: `delete:${id}`, op: 'delete', id, user: currentUser(), seq: nextSeq(), attempts: 0, spending: { id, amount, funnel_id, timestamp } });
  }
  await reload();
  flush();
}

// Deletes that can still be undone: hidden from the lists (store.view) until their time is up,
// then discarded. Nothing reaches the outbox before, so an undo leaves no trace on the server
// (the spending keeps its id, author and receipt). Leaving the app commits them at once.
const undoable = new Map(); // id → {spending, timer}
export const undoableDeletes = () => [...undoable.values()].map((u) => u.spending);

/** Deletes `spending` after `ms` unless undone; answers {undo()} (true while it could). */
export function discardLater(spending, ms) {
  const commit = () => {
    if (!undoable.delete(spending.id)) return;
    discard(spending);
  };
  undoable.set(spending.id, { spending, timer: setTimeout(commit, ms), commit });
  emit({ type: 'change' });
  return {
    undo() {
      const entry = undoable.get(spending.id);
      if (!entry) return false;
      clearTimeout(entry.timer);
      undoable.delete(spending.id);
      emit({ type: 'change' });
      return true;
    },
  };
}

/** Sends the deletes waiting for their undo time now (the person leaves the app). */
export function commitUndoableDeletes() {
  for (const entry of [...undoable.values()]) {
    clearTimeout(entry.timer);
    entry.commit();
  }
}

const transient = (e) => e instanceof OfflineError || e instanceof AuthError || (e instanceof ApiError && (e.status >= 500 || e.status === 429 || e.status === 408));

/**
 * Whether the server has the entry `id` within `ms`: true once it answered, false when the
 * send stopped (offline, server down) or the time ran out first.
 */
export function whenSent(id, ms) {
  if (sent.some((s) => s.id === id)) return Promise.resolve(true);
  if (!waiting.some((e) => e.id === id)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (value) => {
      clearTimeout(timer);
      acks.delete(id);
      resolve(value);
    };
    const timer = setTimeout(() => done(false), ms);
    acks.set(id, done);
  });
}

// What the person was told waits on this phone, by id; kept in localStorage so that the notice
// that it was sent still comes after the app was closed and opened again.
function announced() {
  try {
    return JSON.parse(localStorage.getItem(announcedKey(currentUser()))) || {};
  } catch {
    return {};
  }
}

function setAnnounced(map) {
  const key = announcedKey(currentUser());
  if (Object.keys(map).length) localStorage.setItem(key, JSON.stringify(map));
  else localStorage.removeItem(key);
}

function forgetAnnounced(id) {
  const map = announced();
  if (!(id in map)) return undefined;
  const text = map[id];
  delete map[id];
  setAnnounced(map);
  return text;
}

/** After the person was told `text` was kept on this phone, the 'sent' event names it when it leaves. */
export function announceWhenSent(id, text) {
  setAnnounced({ ...announced(), [id]: text });
}

/** Sends what waits, one at a time, in order; single-flight in this tab and across tabs. */
export function flush() {
  if (flushing) {
    // The drain under way may already have read an empty outbox: this entry needs another pass.
    flushAgain = true;
    return flushing;
  }
  flushing = (async () => {
    let stopped;
    do {
      flushAgain = false;
      stopped = await withLock('stracker-outbox', drain);
    } while (flushAgain && !stopped); // a stopped send has its retry scheduled already
  })().finally(() => {
    flushing = null;
  });
  return flushing;
}

async function drain() {
  const user = currentUser();
  if (!user) return null;
  let count = 0;
  const told = [];
  let stopped = null;
  for (;;) {
    const [entry] = await db.entries(user);
    if (!entry) break;
    entry.attempts += 1;
    await db.put(entry);
    inflight = entry.id;
    try {
      if (entry.op === 'create') await api('spending/', { method: 'POST', body: entry.body });
      else await api(`spending/${entry.id}`, { method: 'DELETE' });
      sent.push({ op: entry.op, id: entry.id, spending: entry.body || entry.spending, sentAt: Date.now() });
      count += 1;
      if (entry.op === 'create') {
        acks.get(entry.id)?.(true);
        const text = forgetAnnounced(entry.id);
        if (text) told.push(text);
      }
    } catch (error) {
      if (transient(error)) {
        stopped = error;
        break;
      }
      // A delete of what is already gone is done; anything else the server refused is reported.
      if (!(entry.op === 'delete' && error.status === 404)) emit({ type: 'rejected', entry, error });
      if (entry.op === 'create') {
        acks.get(entry.id)?.(false);
        forgetAnnounced(entry.id);
      }
    } finally {
      inflight = null;
    }
    await db.remove(entry.key);
  }
  await reload();
  // What could not be sent now is not sent "soon": whoever waits for it hears so at once.
  if (stopped) for (const done of acks.values()) done(false);
  if (count) emit({ type: 'sent', count, announced: told });
  scheduleRetry(stopped);
  return stopped;
}

function scheduleRetry(error) {
  clearTimeout(retryTimer);
  if (!error || !waiting.length || error instanceof AuthError) {
    retryDelay = 2000;
    return;
  }
  retryTimer = setTimeout(flush, retryDelay);
  retryDelay = Math.min(retryDelay * 2, 60000);
}

window.addEventListener('online', () => {
  retryDelay = 2000;
  flush();
});

// The app going to the background or away: what waits for its undo time is deleted now.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') commitUndoableDeletes();
});
window.addEventListener('pagehide', commitUndoableDeletes);
