// Live updates: GET /events (Server-Sent Events) read with fetch, so that the access token goes
// in the Authorization header and never into a URL (EventSource cannot send headers). Each
// change the server announces makes the screens load their figures again (the event says what
// changed, not its content); reconnecting sends Last-Event-ID, so nothing in between is missed.

import { AuthError, refresh, tokens } from './auth.js';
import { isOnline, onConnectivity } from './api.js';

const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30000;
// Changes that come together (a partner deleting three spendings) cause one reload.
const SETTLE_MS = 120;

let running = false;
let controller = null;
let lastId = null;
let retryMs = RETRY_FIRST_MS;
let retryTimer = null;
let wake = null; // ends the wait before the next attempt
let looping = false;
let settleTimer = null;
let pendingKinds = new Set();
export const live = { connected: false };

/** Announces `stracker:changed` with the kinds of change (["spending.created", …]) once they settle. */
function changed(kind) {
  pendingKinds.add(kind);
  clearTimeout(settleTimer);
  settleTimer = setTimeout(() => {
    const kinds = [...pendingKinds];
    pendingKinds = new Set();
    window.dispatchEvent(new CustomEvent('stracker:changed', { detail: { kinds } }));
  }, SETTLE_MS);
}

function setConnected(value) {
  if (live.connected === value) return;
  live.connected = value;
  document.documentElement.dataset.live = value ? 'on' : 'off';
  window.dispatchEvent(new CustomEvent('stracker:live', { detail: { connected: value } }));
}

/** Handles one event block; answers what the stream's end means ('expired', …) or null. */
function handle(block) {
  let event = 'message';
  let id = null;
  const data = [];
  for (const line of block.split('\n')) {
    if (!line || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (name === 'event') event = value;
    else if (name === 'id') id = value;
    else if (name === 'data') data.push(value);
  }
  if (!data.length) return null;
  if (id !== null) lastId = id;
  let payload = {};
  try {
    payload = JSON.parse(data.join('\n'));
  } catch {
    return null;
  }
  if (event === 'ready') {
    retryMs = RETRY_FIRST_MS;
    setConnected(true);
  } else if (event === 'reset') {
    changed('reset');
  } else if (event === 'closed') {
    return payload.reason || 'closed';
  } else if (payload.type) {
    changed(payload.type);
  }
  return null;
}

async function readStream(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let ending = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    let cut;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      ending = handle(buffer.slice(0, cut)) || ending;
      buffer = buffer.slice(cut + 2);
    }
  }
  return ending;
}

async function connectOnce() {
  let access = tokens()?.access;
  if (!access) throw new AuthError();
  controller = new AbortController();
  const open = (token) => {
    const headers = { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' };
    if (lastId) headers['Last-Event-ID'] = lastId;
    return fetch('events', { headers, cache: 'no-store', signal: controller.signal });
  };
  let response = await open(access);
  if (response.status === 403 || response.status === 400) {
    // An expired access token: rotate once (AuthError when the session has ended).
    access = (await refresh()).access;
    response = await open(access);
  }
  if (!response.ok) throw new Error(`events: ${response.status}`);
  const ending = await readStream(response);
  setConnected(false);
  return ending;
}

async function loop() {
  while (running) {
    if (!isOnline() || document.visibilityState === 'hidden') return; // resumed by the listeners below
    let ending = null;
    try {
      ending = await connectOnce();
    } catch (error) {
      setConnected(false);
      if (error instanceof AuthError) {
        running = false;
        return;
      }
      if (!running) return;
    }
    // An expired token: reconnect at once (the next connect refreshes it). Else wait a little longer each time.
    if (ending === 'expired') continue;
    await new Promise((resolve) => {
      wake = resolve;
      retryTimer = setTimeout(resolve, retryMs);
    });
    wake = null;
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  }
}

/** Connects now: at start, back online, or back in view (a wait for the next attempt is cut short). */
function resume() {
  if (!running || live.connected) return;
  retryMs = RETRY_FIRST_MS;
  if (looping) {
    clearTimeout(retryTimer);
    wake?.();
    return;
  }
  looping = true;
  loop().finally(() => {
    looping = false;
  });
}

/** Starts following the signed-in user's household (again after a sign-in). */
export function startLive() {
  running = true;
  resume();
}

/** Stops (sign-out): the open stream is dropped. */
export function stopLive() {
  running = false;
  lastId = null;
  clearTimeout(retryTimer);
  wake?.();
  controller?.abort();
  setConnected(false);
}

onConnectivity((online) => {
  if (online) resume();
});
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') resume();
});
