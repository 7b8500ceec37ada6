// What the screens show: the last overview and household from the server (kept in localStorage
// for offline use, per user), adjusted by the spendings this device has not yet sent or that the
// server's figures do not yet include.

import { api, isOnline, onConnectivity, OfflineError } from './api.js';
import { currentUser } from './auth.js';
import { afterSpending } from './allowance.js';
import { setCurrency, setTimeZone, toMinor } from './format.js';
import { forgetSentBefore, onQueue, sentEntries, undoableDeletes, waitingEntries } from './offline-queue.js';
import { householdKey, overviewKey, userCacheKeys } from './storage-keys.js';

const listeners = new Set();
export const state = { overview: null, fetchedAt: 0, household: null, online: isOnline(), loading: false, error: null };

export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
const notify = () => listeners.forEach((fn) => fn(state));

function restore(key) {
  try {
    return JSON.parse(localStorage.getItem(key));
  } catch {
    return null;
  }
}

/** Loads the cached state of the signed-in user (call after sign-in and at start). */
export function restoreCache() {
  const cached = restore(overviewKey(currentUser()));
  state.overview = cached?.overview || null;
  state.fetchedAt = cached?.fetchedAt || 0;
  state.household = restore(householdKey(currentUser()));
  if (state.household) setTimeZone(state.household.time_zone);
  if (state.overview) setCurrency(state.overview.currency);
  notify();
}

export function clearCache() {
  for (const key of userCacheKeys(currentUser())) localStorage.removeItem(key);
  state.overview = state.household = null;
  state.fetchedAt = 0;
}

let loadingOverview = null;

/** Fetches /overview (one request at a time); offline keeps the last known state. */
export function loadOverview() {
  if (!loadingOverview) {
    loadingOverview = (async () => {
      const started = Date.now();
      state.loading = true;
      try {
        const overview = await api('overview');
        forgetSentBefore(started);
        setCurrency(overview.currency);
        Object.assign(state, { overview, fetchedAt: Date.now(), error: null });
        localStorage.setItem(overviewKey(currentUser()), JSON.stringify({ overview, fetchedAt: state.fetchedAt }));
      } catch (error) {
        state.error = error instanceof OfflineError ? null : error;
        if (!(error instanceof OfflineError)) throw error;
      } finally {
        state.loading = false;
        loadingOverview = null;
        notify();
      }
    })();
  }
  return loadingOverview;
}

/** Loads /overview again after a change elsewhere: a load already under way may predate it. */
export async function reloadOverview() {
  if (loadingOverview) await loadingOverview.catch(() => {});
  return loadOverview();
}

export async function loadHousehold() {
  const household = await api('household');
  setHousehold(household);
  return household;
}

export function setHousehold(household) {
  state.household = household;
  setTimeZone(household.time_zone);
  localStorage.setItem(householdKey(currentUser()), JSON.stringify(household));
  notify();
}

/** Funnels and recent spendings as the user should see them now. */
export function view() {
  const overview = state.overview;
  if (!overview) return null;
  const known = new Set(overview.recent.map((s) => s.id));
  const me = overview.username;
  const creates = [];
  const deletes = [];
  for (const e of waitingEntries()) {
    // A create the server already lists was stored but its answer got lost: count it once.
    if (e.op === 'create' && !known.has(e.id)) creates.push({ ...e.body, user: me, pending: true });
    if (e.op === 'delete') deletes.push(e.spending);
  }
  // A delete that can still be undone is shown as done; the server still counts it.
  for (const s of undoableDeletes()) deletes.push(s);
  for (const s of sentEntries()) {
    if (s.op === 'create' && !known.has(s.id)) creates.push({ ...s.spending, user: me, pending: false });
    if (s.op === 'delete' && known.has(s.id)) deletes.push(s.spending);
  }
  const deleted = new Set(deletes.map((s) => s.id));
  const inPeriod = (s) => s.timestamp >= overview.period.start && s.timestamp < overview.period.end;
  const delta = new Map();
  const add = (s, sign) => {
    if (!inPeriod(s)) return;
    delta.set(s.funnel_id, (delta.get(s.funnel_id) || 0) + sign * toMinor(s.amount));
  };
  creates.filter((s) => !deleted.has(s.id)).forEach((s) => add(s, 1));
  deletes.filter((s) => known.has(s.id)).forEach((s) => add(s, -1));
  const funnels = overview.funnels.map((f) => afterSpending(f, delta.get(f.id), overview.period.days_after_today));
  const recent = [...creates.filter((s) => !deleted.has(s.id)), ...overview.recent.filter((s) => !deleted.has(s.id))]
    .sort((a, b) => b.timestamp - a.timestamp)
    .slice(0, 20);
  return { ...overview, funnels, recent, waiting: waitingEntries().length };
}

onQueue((event) => {
  if (event.type === 'sent') loadOverview().catch(() => {});
  notify();
});
// A change announced by the server (live.js): the figures, and the household when it changed.
window.addEventListener('stracker:changed', (event) => {
  if (!currentUser()) return;
  reloadOverview().catch(() => {});
  const kinds = event.detail.kinds;
  if (state.household && kinds.some((k) => k === 'reset' || k === 'household.changed' || k === 'members.changed')) {
    loadHousehold().catch(() => {});
  }
});

onConnectivity((online) => {
  state.online = online;
  notify();
  if (online && currentUser()) loadOverview().catch(() => {});
});
