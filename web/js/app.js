// Entry point: hash routes, the sign-in gate, the connection banner, the service worker.

import { currentUser } from './auth.js';
import { flush, onQueue, reload as reloadQueue, waitingEntries } from './offline-queue.js';
import { toast } from './toast.js';
import * as store from './store.js';
import { DRAFT } from './storage-keys.js';
import * as format from './format.js';
import { applyTheme } from './theme.js';
import { startLive, stopLive } from './live.js';
import './install.js'; // listens for the browser's install offer from the first moment

// Each screen is loaded when first shown, so a first visit downloads only what it displays
// (the service worker still caches them all for offline use).
const routes = {
  '': () => import('./views/dashboard.js'),
  history: () => import('./views/history.js'),
  settings: () => import('./views/settings.js'),
  login: () => import('./views/login.js'),
  register: () => import('./views/register.js'),
  recover: () => import('./views/recover.js'),
  enrol: () => import('./views/recover.js'),
  'recovery-codes': () => import('./views/recovery-codes.js'),
};
const PUBLIC = new Set(['login', 'register', 'recover', 'enrol']);
const main = document.getElementById('main');
const nav = document.getElementById('nav');
const banner = document.getElementById('status');

let unmount = null;
let current = null;
let rendering = 0;

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  return { name: path.split('/')[0], params: new URLSearchParams(query) };
}

async function render() {
  const { name, params } = parseHash();
  const signedIn = !!currentUser();
  if (!(name in routes)) return location.replace('#/');
  if (!signedIn && !PUBLIC.has(name)) return location.replace('#/login');
  if (signedIn && PUBLIC.has(name)) return location.replace('#/');
  const ticket = ++rendering;
  let view;
  try {
    view = await routes[name]();
  } catch {
    main.replaceChildren(Object.assign(document.createElement('p'), { className: 'muted', textContent: 'This screen could not be loaded. Check the connection and try again.' }));
    return;
  }
  if (ticket !== rendering) return; // another route was asked for meanwhile
  const first = current === null;
  if (unmount) unmount();
  unmount = null;
  current = name;
  main.replaceChildren();
  nav.hidden = !signedIn;
  document.body.classList.toggle('with-nav', signedIn);
  for (const link of nav.querySelectorAll('a')) {
    if (link.dataset.route === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  unmount = view.mount(main, params) || null;
  if (!first) {
    window.scrollTo(0, 0);
    main.focus({ preventScroll: true });
  }
  updateBanner();
}

function updateBanner() {
  const waiting = currentUser() ? waitingEntries().length : 0;
  let text = '';
  if (currentUser() && !store.state.online) {
    text = navigator.onLine === false ? 'Offline' : 'Offline: the server does not answer';
    if (store.state.fetchedAt) text += ` · figures as of ${format.when(store.state.fetchedAt)}`;
    if (waiting) text += ` · ${format.plural(waiting, 'spending')} waiting to be sent`;
  } else if (currentUser() && waiting) {
    text = `Sending ${format.plural(waiting, 'spending')}…`;
  }
  banner.hidden = !text;
  banner.textContent = text;
}

/** `?amount=12.5&funnel=<id>` (phone shortcuts): kept as the draft, then removed from the URL. */
function takeShortcut() {
  const query = new URLSearchParams(location.search);
  if (!query.has('amount') && !query.has('funnel')) return;
  const draft = { amount: query.get('amount') || '', note: '', funnel: query.get('funnel') || '' };
  localStorage.setItem(DRAFT, JSON.stringify(draft));
  window.history.replaceState(null, '', location.pathname + location.hash);
}

function onAuth(event) {
  if (event.detail.signedIn) {
    if (event.detail.remote && current && !PUBLIC.has(current)) return;
    store.restoreCache();
    reloadQueue().then(flush);
    store.loadOverview().catch(() => {});
    startLive();
  } else {
    stopLive();
    store.restoreCache();
    reloadQueue();
  }
  render();
}

/** Installs the service worker; offers a reload when a new version is waiting. */
async function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (reloading) location.reload();
  });
  const offer = (worker) => {
    if (!navigator.serviceWorker.controller) return; // the first install: nothing to update
    toast('A new version of STracker is ready.', {
      action: 'Reload',
      duration: 60000,
      onAction: () => {
        reloading = true;
        worker.postMessage('skip-waiting');
      },
    });
  };
  try {
    const registration = await navigator.serviceWorker.register('sw.js');
    if (registration.waiting) offer(registration.waiting);
    registration.addEventListener('updatefound', () => {
      const worker = registration.installing;
      worker?.addEventListener('statechange', () => {
        if (worker.state === 'installed') offer(worker);
      });
    });
  } catch {
    // No service worker (private mode, plain http): the app still works online.
  }
}

function start() {
  applyTheme();
  takeShortcut();
  store.restoreCache();
  store.subscribe(updateBanner);
  onQueue((event) => {
    updateBanner();
    if (event.type === 'sent' && event.announced.length) {
      const [first] = event.announced;
      toast(event.announced.length === 1
        ? `${first} was sent: the server has it now.`
        : `${event.announced.length} spendings saved on this phone were sent: the server has them now.`);
    }
    if (event.type === 'rejected') {
      const s = event.entry.body || event.entry.spending;
      const what = event.entry.op === 'create' ? 'save' : 'delete';
      toast(`Could not ${what} the spending of ${format.money(s.amount)}: ${event.error.message}`, { tone: 'bad', duration: 8000 });
    }
  });
  window.addEventListener('stracker:auth', onAuth);
  window.addEventListener('hashchange', render);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && currentUser()) flush();
  });
  render();
  if (currentUser()) {
    reloadQueue().then(flush);
    startLive();
  }
  registerServiceWorker();
}

start();
