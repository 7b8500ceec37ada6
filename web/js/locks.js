// Cross-tab mutual exclusion: the Web Locks API where the page may use it (secure contexts), else
// a best-effort lease in localStorage (plain http on a home network has no navigator.locks).

import { lockKey } from './storage-keys.js';

const LEASE_MS = 15000;
const tabId = Math.random().toString(36).slice(2);

export function withLock(name, fn) {
  if (navigator.locks && navigator.locks.request) return navigator.locks.request(name, () => fn());
  return withLease(lockKey(name), fn);
}

async function withLease(key, fn) {
  for (;;) {
    const held = readLease(key);
    if (!held || held.until < Date.now() || held.tab === tabId) {
      localStorage.setItem(key, JSON.stringify({ tab: tabId, until: Date.now() + LEASE_MS }));
      await new Promise((r) => setTimeout(r, 30));
      if (readLease(key)?.tab === tabId) break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    return await fn();
  } finally {
    if (readLease(key)?.tab === tabId) localStorage.removeItem(key);
  }
}

function readLease(key) {
  try {
    return JSON.parse(localStorage.getItem(key));
  } catch {
    return null;
  }
}
