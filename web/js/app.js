// Entry point: hash routes, the sign-in gate, the connection banner, the service worker.

import { currentUser } from './auth.js';
import { flush, onQueue, reload as reloadQueue } from './offline-queue.js';
import { toast } from './toast.js';
import * as store from './store.js';
import * as format from './format.js';
import * as dashboard from './views/dashboard.js';
import * as historyView from './views/history.js';
import * as login from './views/login.js';
import * as register from './views/register.js';
import * as settings from './views/settings.js';
import { applyTheme } from './theme.js';

const routes = { '': dashboard, history: historyView, settings, login, register };
const PUBLIC = new Set(['login', 'register']);
const main = document.getElementById('main');
const nav = document.getElementById('nav');
const banner = document.getElementById('status');

let unmount = null;
let current = null;

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  return { name: path.split('/')[0], params: new URLSearchParams(query) };
}

function render() {
  const { name, params } = parseHash();
  const signedIn = !!currentUser();
  if (!(name in routes)) return location.replace('#/');
  if (!signedIn && !PUBLIC.has(name)) return location.replace('#/login');
  if (signedIn && PUBLIC.has(name)) return location.replace('#/');
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
  unmount = routes[name].mount(main, params) || null;
  if (!first) {
    window.scrollTo(0, 0);
    main.focus({ preventScroll: true });
  }
  updateBanner();
}

function updateBanner() {
  const waiting = store.view()?.waiting || 0;
  let text = '';
  if (currentUser() && !store.state.online) {
    text = store.state.fetchedAt ? `Offline · figures as of ${format.when(store.state.fetchedAt)}` : 'Offline';
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
  localStorage.setItem('stracker.draft', JSON.stringify(draft));
  window.history.replaceState(null, '', location.pathname + location.hash);
}

function onAuth(event) {
  if (event.detail.signedIn) {
    if (event.detail.remote && current && !PUBLIC.has(current)) return;
    store.restoreCache();
    reloadQueue().then(flush);
    store.loadOverview().catch(() => {});
  } else {
    store.restoreCache();
    reloadQueue();
  }
  render();
}

function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  const hadController = !!navigator.serviceWorker.controller;
  navigator.serviceWorker.register('sw.js').catch(() => {});
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (!hadController) return;
    toast('A new version of STracker is ready.', { action: 'Reload', onAction: () => location.reload(), duration: 30000 });
  });
}

function start() {
  applyTheme();
  takeShortcut();
  store.restoreCache();
  store.subscribe(updateBanner);
  onQueue((event) => {
    updateBanner();
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
  if (currentUser()) reloadQueue().then(flush);
  registerServiceWorker();
}

start();
