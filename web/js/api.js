// JSON over fetch, relative to the page (so the app also works under a path prefix).
// An authentication failure refreshes the token pair once and retries; a network failure is an
// OfflineError, never a sign-out.

import { AuthError, refresh, tokens } from './auth.js';

export { AuthError };

export class ApiError extends Error {
  constructor(status, detail, headers) {
    super(describe(detail) || `Request failed (${status})`);
    this.name = 'ApiError';
    this.status = status;
    this.detail = detail;
    this.headers = headers;
  }
}

export class OfflineError extends Error {
  constructor() {
    super('You are offline');
    this.name = 'OfflineError';
  }
}

/** The server's detail as a sentence: a string, or FastAPI-style [{loc, msg}]. */
function describe(detail) {
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    return detail.map((d) => {
      const field = (d.loc || []).filter((p) => p !== 'body' && p !== 'query').join(' ').replace(/_/g, ' ');
      return field ? `${field}: ${d.msg}` : d.msg;
    }).join('; ');
  }
  return '';
}

// Answers that mean "this access token will not do" (the old contract: refresh on 403).
const TOKEN_PROBLEMS = new Set(['Not authenticated', 'Authorization expired', 'Token is blacklisted', 'Invalid authentication credentials']);
const isTokenProblem = (status, detail) =>
  (status === 403 && TOKEN_PROBLEMS.has(detail)) || (status === 400 && detail === 'Invalid token');

const listeners = new Set();
let online = navigator.onLine !== false;
export const isOnline = () => online;
export function onConnectivity(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
function setOnline(value) {
  if (value === online) return;
  online = value;
  listeners.forEach((fn) => fn(value));
}
window.addEventListener('online', () => setOnline(true));
window.addEventListener('offline', () => setOnline(false));

async function send(path, method, body, access, { contentType, blob } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = contentType || 'application/json';
  if (access) headers.Authorization = `Bearer ${access}`;
  let response;
  try {
    const payload = body === undefined || contentType ? body : JSON.stringify(body);
    response = await fetch(path, { method, headers, body: payload, cache: 'no-store' });
  } catch {
    setOnline(false);
    throw new OfflineError();
  }
  setOnline(true);
  if (blob && response.ok) return { response, data: await response.blob() };
  const text = response.status === 204 ? '' : await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = text;
  }
  return { response, data };
}

async function refreshed() {
  try {
    return await refresh();
  } catch (error) {
    if (error instanceof AuthError) throw error;
    if (error.status) throw new ApiError(error.status, 'The server is busy. Try again in a moment.');
    setOnline(false);
    throw new OfflineError();
  }
}

/**
 * api('overview'), api('spending/', {method: 'POST', body}). Resolves with the parsed JSON (null
 * for 204); rejects with ApiError, OfflineError or AuthError (signed out). With `contentType`
 * the body (a string or a File) is sent as it is; with `blob` a successful answer resolves
 * with its body as a Blob (a download).
 */
export async function api(path, { method = 'GET', body, auth = true, contentType, blob } = {}) {
  const options = { contentType, blob };
  let access;
  if (auth) {
    access = tokens()?.access;
    if (!access) throw new AuthError();
  }
  let { response, data } = await send(path, method, body, access, options);
  if (auth && isTokenProblem(response.status, data?.detail)) {
    const current = tokens()?.access;
    if (!current) throw new AuthError();
    // Another request (or tab) may have rotated the pair meanwhile: then just use the new one.
    const next = current !== access ? current : (await refreshed()).access;
    ({ response, data } = await send(path, method, body, next, options));
    if (isTokenProblem(response.status, data?.detail)) throw new AuthError();
  }
  if (!response.ok) throw new ApiError(response.status, data?.detail ?? data, response.headers);
  return data;
}

/** A message for the user from any error this module throws. */
export function messageFor(error) {
  if (error instanceof OfflineError) return 'You are offline. Try again when you are connected.';
  if (error instanceof AuthError) return 'Please sign in again.';
  if (error instanceof ApiError) return error.message;
  return 'Something went wrong. Please try again.';
}
