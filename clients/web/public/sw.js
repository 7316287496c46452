// The app shell offline: a teacher who loses the connection mid-lesson can
// reload the page and keep entering marks (they wait in IndexedDB). Only the
// app's own files and its runtime settings are cached here; the API
// (/graphql, /exports) and Keycloak are never cached.
const CACHE = 'district-web-shell'; // suffixed with the build's hash by scripts/precache-list.mjs
const SHELL = ['/', '/config.json'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(SHELL);
      // Every file of the build (scripts/precache-list.mjs), so any section opens after a reload offline.
      const assets = await (await fetch('/precache.json', { cache: 'no-store' })).json();
      await cache.addAll(assets);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/graphql') || url.pathname.startsWith('/exports') || url.pathname === '/health') return;
  if (url.pathname.startsWith('/assets/')) {
    // Hashed file names never change: the cache first, the network once.
    event.respondWith(
      (async () => {
        const cache = await caches.open(CACHE);
        const hit = await cache.match(request);
        if (hit) return hit;
        const response = await fetch(request);
        if (response.ok) await cache.put(request, response.clone());
        return response;
      })(),
    );
    return;
  }
  if (request.mode === 'navigate' || url.pathname === '/config.json') {
    // The newest page and settings when online; the cached ones when not. Every route is the same page.
    event.respondWith(
      (async () => {
        const cache = await caches.open(CACHE);
        const key = request.mode === 'navigate' ? '/' : '/config.json';
        try {
          const response = await fetch(request);
          if (response.ok) await cache.put(key, response.clone());
          return response;
        } catch (error) {
          const hit = await cache.match(key);
          if (hit) return hit;
          throw error;
        }
      })(),
    );
  }
});
