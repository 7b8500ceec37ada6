// The token pair in localStorage and its rotation. A refresh token works once and presenting a
// spent one revokes the device session, so refreshing is single-flight within this tab (one
// shared promise) and across tabs (a Web Lock, then a re-read: another tab may have rotated it).
// The re-read cannot trust localStorage alone: another tab's copy may lag behind the write of the
// tab that held the lock before it, so the rotation is also recorded in IndexedDB before the lock
// is released, and read back from there.

import { ROTATION_STORE, openDB, run } from './idb.js';
import { withLock } from './locks.js';
import { LAST_USER, SIGNOUT_REASON, TOKENS } from './storage-keys.js';

export class AuthError extends Error {
  constructor(message = 'Please sign in again') {
    super(message);
    this.name = 'AuthError';
  }
}

export function tokens() {
  try {
    const pair = JSON.parse(localStorage.getItem(TOKENS));
    return pair && pair.access && pair.refresh ? pair : null;
  } catch {
    return null;
  }
}

function claims(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(Array.from(atob(part), (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''));
    return JSON.parse(json);
  } catch {
    return {};
  }
}

const expired = (token) => !(claims(token).exp * 1000 > Date.now());

/** The signed-in user's name (from the refresh token, which outlives the access token). */
export function currentUser() {
  const pair = tokens();
  return pair ? claims(pair.refresh).username || localStorage.getItem(LAST_USER) : null;
}

export const lastUser = () => localStorage.getItem(LAST_USER) || '';

function save(pair) {
  localStorage.setItem(TOKENS, JSON.stringify({ access: pair.access, refresh: pair.refresh }));
  const name = claims(pair.refresh).username;
  if (name) localStorage.setItem(LAST_USER, name);
}

export function signIn(pair) {
  save(pair);
  window.dispatchEvent(new CustomEvent('stracker:auth', { detail: { signedIn: true } }));
}

/** Forgets the tokens. `reason` is shown on the sign-in screen. */
export function signOut(reason = '') {
  localStorage.removeItem(TOKENS);
  forgetRotation();
  if (reason) sessionStorage.setItem(SIGNOUT_REASON, reason);
  window.dispatchEvent(new CustomEvent('stracker:auth', { detail: { signedIn: false, reason } }));
}

export function takeSignOutReason() {
  const reason = sessionStorage.getItem(SIGNOUT_REASON) || '';
  sessionStorage.removeItem(SIGNOUT_REASON);
  return reason;
}

let inflight = null;

/** A fresh pair, rotating the stored refresh token at most once however many callers ask. */
export function refresh() {
  const used = tokens()?.refresh;
  if (!used) return Promise.reject(new AuthError());
  if (!inflight) {
    inflight = withLock('stracker-refresh', () => rotate(used)).finally(() => {
      inflight = null;
    });
  }
  return inflight;
}

// The last few rotations this browser made, oldest first: {key, chain: [{used, access, refresh}]}.
// A tab that slept through two rotations follows the chain from the token it holds to the newest.
const ROTATION_KEY = 'chain';
const CHAIN_LENGTH = 8;

async function readChain(db) {
  return (await run(db, ROTATION_STORE, 'readonly', (s) => s.get(ROTATION_KEY)))?.chain ?? [];
}

async function recordRotation(used, pair) {
  const db = await openDB();
  if (!db) return;
  const chain = [...(await readChain(db)), { used, access: pair.access, refresh: pair.refresh }].slice(-CHAIN_LENGTH);
  await run(db, ROTATION_STORE, 'readwrite', (s) => s.put({ key: ROTATION_KEY, chain }));
}

/** The newest pair rotated from `used` in any tab, or null when none was. */
async function rotationOf(used) {
  const db = await openDB();
  if (!db) return null;
  const chain = await readChain(db);
  let pair = null;
  for (let link = chain.find((l) => l.used === used); link; link = chain.find((l) => l.used === pair.refresh)) {
    pair = { access: link.access, refresh: link.refresh };
  }
  return pair;
}

function forgetRotation() {
  openDB()
    .then((db) => db && run(db, ROTATION_STORE, 'readwrite', (s) => s.delete(ROTATION_KEY)))
    .catch(() => {});
}

async function rotate(used) {
  const current = tokens();
  if (!current) throw new AuthError();
  if (current.refresh !== used) return current; // another tab rotated it while we waited
  const rotated = await rotationOf(used).catch(() => null);
  if (rotated) {
    // Another tab rotated it, and this tab's localStorage has not seen that yet.
    save(rotated);
    if (!expired(rotated.access)) return rotated;
    used = rotated.refresh;
  }
  const response = await fetch('user/refresh', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ refresh: used }),
  }); // a network error propagates: offline is not signed out
  if (response.ok) {
    const pair = await response.json();
    save(pair);
    await recordRotation(used, pair).catch(() => {});
    return pair;
  }
  if (response.status >= 500 || response.status === 429) {
    throw Object.assign(new Error(`Server error ${response.status}`), { status: response.status });
  }
  if (tokens()?.refresh === used) signOut('Your session has ended. Please sign in again.');
  throw new AuthError();
}

// Another tab signed in or out: follow it.
window.addEventListener('storage', (event) => {
  if (event.key !== TOKENS) return;
  window.dispatchEvent(new CustomEvent('stracker:auth', { detail: { signedIn: !!tokens(), remote: true } }));
});
