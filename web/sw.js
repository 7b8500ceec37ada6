// The service worker: keeps the app shell in a versioned cache so STracker opens offline.
// VERSION is a hash of the shell: after changing any file here, run `python3 tools/browser_assets.py`
// (it also stamps the ?v= of index.html's assets). Activation deletes older versions' caches. API requests are not touched: the app keeps
// its own last-known data and queues spendings in IndexedDB.

const VERSION = 'c0ac47702a';
const CACHE = `stracker-shell-v${VERSION}`;
const SHELL = [
  './',
  'css/app.css?v=c0ac47702a',
  'js/app.js?v=c0ac47702a',
  'js/allowance.js',
  'js/api.js',
  'js/auth.js',
  'js/chart.js',
  'js/device-name.js',
  'js/dom.js',
  'js/format.js',
  'js/idb.js',
  'js/install.js',
  'js/live.js',
  'js/locks.js',
  'js/offline-queue.js',
  'js/outbox-db.js',
  'js/storage-keys.js',
  'js/time-zone.js',
  'js/store.js',
  'js/theme.js',
  'js/toast.js',
  'js/wall-clock.js',
  'js/views/form-parts.js',
  'js/views/authenticator-setup.js',
  'js/views/dashboard.js',
  'js/views/funnel-card.js',
  'js/views/funnel-form.js',
  'js/views/history.js',
  'js/views/icons.js',
  'js/views/install-hint.js',
  'js/views/login.js',
  'js/views/receipts.js',
  'js/views/recover.js',
  'js/views/recovery-codes.js',
  'js/views/register.js',
  'js/views/settings.js',
  'js/views/settings-data.js',
  'js/views/settings-devices.js',
  'js/views/settings-funnels.js',
  'js/views/settings-household.js',
  'js/views/spending-edit.js',
  'js/views/spending-list.js',
  'manifest.webmanifest',
  'icons/icon.svg',
  'icons/icon-192.png',
];
const shellURLs = new Set(SHELL.map((path) => new URL(path, self.registration.scope).href));

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(SHELL.map((path) => new Request(path, { cache: 'no-cache' })));
  })());
});

// A new version waits until the user agrees to reload (the page asks), so that one page never
// mixes modules of two versions.
self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith('stracker-shell-') && name !== CACHE).map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    // The page itself: the network when it answers (updates show at once), else the cached shell.
    event.respondWith(fetch(request).catch(async () => (await caches.match('./', { cacheName: CACHE })) || Response.error()));
    return;
  }
  if (shellURLs.has(request.url)) {
    event.respondWith((async () => (await caches.match(request, { cacheName: CACHE })) || fetch(request))());
  }
});
