// Threads need a cross-origin isolated page. Hosts that cannot send the headers get them from
// a service worker (sw.js): register it and reload once. Without service workers (or with
// ?isolate=0) the page runs single-threaded and says so.

const RELOADED = 'digitrain-isolation-reload';  // sessionStorage key: the reload was tried

function isolate() {
  const params = new URLSearchParams(location.search);
  if (self.crossOriginIsolated || params.get('isolate') === '0' || !('serviceWorker' in navigator) || !window.isSecureContext) return;
  if (sessionStorage.getItem(RELOADED)) return;  // already tried: the fallback is single-threaded
  navigator.serviceWorker.register('sw.js').then((registration) => {
    const reload = () => { sessionStorage.setItem(RELOADED, '1'); location.reload(); };
    if (navigator.serviceWorker.controller) reload();
    else navigator.serviceWorker.addEventListener('controllerchange', reload, { once: true });
    return registration;
  }).catch((e) => console.warn(`no service worker, running single-threaded: ${e.message}`));
}

isolate();
