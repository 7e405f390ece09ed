// The benchmark pages' server: web/serve.js's handler (the one `make serve` uses) over several
// folders, on loopback only, closing itself after `lifetimeSeconds` so a crashed benchmark
// never leaves it listening. Responses carry the cross-origin isolation headers, so pages may
// use SharedArrayBuffer (threads) as in the app.
import http from 'node:http';
import serveJs from '../../web/serve.js';

const { staticHandler } = serveJs;

// mounts: { '/url/prefix/': '/absolute/folder' }. Resolves to { url, close() }.
export function serve(mounts, { lifetimeSeconds = 1800, isolation = true } = {}) {
  // The benchmark pages have inline scripts and TensorFlow.js, which the app's content
  // security policy does not allow for; they are served without one (nosniff stays).
  const server = http.createServer(staticHandler({ mounts, isolation, contentSecurityPolicy: null }));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const timer = setTimeout(() => server.close(), lifetimeSeconds * 1000);
      timer.unref();
      const close = () => new Promise((done) => {
        clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => done());
      });
      resolve({ url: `http://127.0.0.1:${server.address().port}`, close });
    });
  });
}
