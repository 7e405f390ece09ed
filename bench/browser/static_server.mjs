// A tiny static file server for the benchmark pages: loopback only, GET/HEAD only, files only
// from the folders it is given, and it closes itself after `lifetimeSeconds` so a crashed
// benchmark never leaves it listening. Every response carries the cross-origin isolation
// headers, so pages served by it may use SharedArrayBuffer (threads) like `make serve`.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css', '.png': 'image/png',
  '.svg': 'image/svg+xml', '.webmanifest': 'application/manifest+json',
};

// mounts: { '/url/prefix/': '/absolute/folder' }. Resolves to { url, close() }.
export function serve(mounts, { lifetimeSeconds = 1800, isolation = true } = {}) {
  const table = Object.entries(mounts).map(([prefix, dir]) => [prefix, path.resolve(dir)]);
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405).end(); return; }
    const url = new URL(req.url, 'http://127.0.0.1');
    const hit = table.find(([prefix]) => url.pathname.startsWith(prefix));
    if (!hit) { res.writeHead(404).end('not found'); return; }
    const [prefix, dir] = hit;
    let file = path.normalize(path.join(dir, decodeURIComponent(url.pathname.slice(prefix.length))));
    if (file !== dir && !file.startsWith(dir + path.sep)) { res.writeHead(403).end('forbidden'); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) { res.writeHead(404).end('not found'); return; }
      const headers = { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream', 'Content-Length': st.size, 'Cache-Control': 'no-cache' };
      if (isolation) {
        headers['Cross-Origin-Opener-Policy'] = 'same-origin';
        headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
        headers['Cross-Origin-Resource-Policy'] = 'same-origin';
      }
      res.writeHead(200, headers);
      if (req.method === 'HEAD') { res.end(); return; }
      fs.createReadStream(file).pipe(res);
    });
  });
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
