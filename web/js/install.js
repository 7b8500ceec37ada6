// Installing the PWA: Chromium offers it through a `beforeinstallprompt` event that the page may
// keep and answer later (with a button); iPhone and iPad Safari have no such event, only
// Share › Add to Home Screen, which the hint spells out. Nothing is offered inside the installed
// app, or once the person said "Not now" on this device.

import { INSTALL_HINT } from './storage-keys.js';

const listeners = new Set();
let deferred = null; // the kept beforeinstallprompt event
let installed = false;

const notify = () => listeners.forEach((fn) => fn());

export function onInstallChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

const standalone = () => matchMedia('(display-mode: standalone)').matches || navigator.standalone === true;
// iPadOS Safari calls itself a Mac; its touch points tell it apart. Other iOS browsers (CriOS,
// FxiOS, EdgiOS) cannot add to the home screen the same way, so they get no hint.
const iosSafari = () => {
  const ua = navigator.userAgent;
  const ios = /iPhone|iPad|iPod/.test(ua) || (/Macintosh/.test(ua) && navigator.maxTouchPoints > 1);
  return ios && /Safari/.test(ua) && !/CriOS|FxiOS|EdgiOS/.test(ua);
};

/** 'prompt' (an Install button works), 'ios' (how to add it by hand) or '' (nothing to offer). */
export function installOffer() {
  if (installed || standalone() || localStorage.getItem(INSTALL_HINT) === 'dismissed') return '';
  if (deferred) return 'prompt';
  return iosSafari() ? 'ios' : '';
}

/** Shows the browser's install dialog; resolves true when the person accepted. */
export async function promptInstall() {
  const event = deferred;
  if (!event) return false;
  deferred = null;
  await event.prompt();
  const choice = await event.userChoice.catch(() => ({ outcome: 'dismissed' }));
  // Accepted: the browser installs it (appinstalled follows); a new offer until then is stale.
  if (choice.outcome === 'accepted') installed = true;
  notify();
  return choice.outcome === 'accepted';
}

export function dismissInstall() {
  localStorage.setItem(INSTALL_HINT, 'dismissed');
  notify();
}

window.addEventListener('beforeinstallprompt', (event) => {
  event.preventDefault(); // no mini-infobar: the hint on the dashboard offers it instead
  deferred = event;
  notify();
});
window.addEventListener('appinstalled', () => {
  installed = true;
  deferred = null;
  notify();
});
