// Service worker for static hosts that cannot send headers (GitHub Pages, a USB stick behind
// a simple server): it adds the cross-origin isolation headers to every response, so the
// trainer can use threads, and keeps a copy of the site so the page works offline.
'use strict';
const CACHE = 'digitrain-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

function isolated(response) {
  if (response.status === 0) return response;  // opaque: headers cannot be changed
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith((async () => {
    try {
      const response = await fetch(request);
      if (response.ok) {
        const copy = response.clone();
        caches.open(CACHE).then((c) => c.put(request, copy)).catch(() => {});
      }
      return isolated(response);
    } catch (e) {
      const cached = await caches.match(request);  // offline
      if (cached) return isolated(cached);
      throw e;
    }
  })());
});
