#!/usr/bin/env node
// Serves the built site (dist/) for `make serve` and the browser tests, with the headers that
// make the page cross-origin isolated (so the trainer can use threads). No npm packages.
//   node web/serve.js [--root DIR] [--port N] [--no-isolation]
// --no-isolation serves the same files without those headers, like a plain static host.
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');

function parseArgs(argv) {
  const opts = { root: path.join(__dirname, '..', 'dist'), port: 8000, isolation: true, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--root') opts.root = path.resolve(argv[++i]);
    else if (a === '--port') opts.port = Number(argv[++i]);
    else if (a === '--no-isolation') opts.isolation = false;
    else if (a === '--quiet') opts.quiet = true;
    else throw new Error(`unknown option ${a} (use --root DIR, --port N, --no-isolation, --quiet)`);
  }
  return opts;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', '.json': 'application/json', '.png': 'image/png', '.css': 'text/css', '.svg': 'image/svg+xml',
  // Served as plain bytes, never with Content-Encoding: the page inflates them itself.
  '.gz': 'application/gzip', '.webmanifest': 'application/manifest+json',
};

// The request handler alone, so that tests and the benchmark can put it behind their own
// servers and routes. It serves `root`, or several folders under URL prefixes:
// mounts = { '/url/prefix/': folder, ... }, the longest matching prefix winning. GET and HEAD
// only, files only, and never a path outside its folder.
function staticHandler({ root, mounts, isolation = true }) {
  const table = Object.entries(mounts || { '/': root })
    .map(([prefix, dir]) => [prefix, path.resolve(dir)])
    .sort((a, b) => b[0].length - a[0].length);
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405, { Allow: 'GET, HEAD' }).end(); return; }
    const url = new URL(req.url, 'http://localhost');
    const hit = table.find(([prefix]) => url.pathname.startsWith(prefix));
    if (!hit) { res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found'); return; }
    const [prefix, dir] = hit;
    let relative;
    try {
      relative = decodeURIComponent(url.pathname.slice(prefix.length));
    } catch (e) {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('bad URL encoding');
      return;
    }
    let file = path.normalize(path.join(dir, relative));
    // A bare prefix test would let /../dist2/... reach a sibling folder whose name starts alike.
    if (file !== dir && !file.startsWith(dir + path.sep)) { res.writeHead(403).end('forbidden'); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) { res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found'); return; }
      const headers = {
        'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
        'Content-Length': st.size,
        'Cache-Control': 'no-cache',
      };
      if (isolation) {
        headers['Cross-Origin-Opener-Policy'] = 'same-origin';
        headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
        headers['Cross-Origin-Resource-Policy'] = 'same-origin';
      }
      res.writeHead(200, headers);
      if (req.method === 'HEAD') { res.end(); return; }
      fs.createReadStream(file).pipe(res);
    });
  };
}

function createServer(opts) {
  return http.createServer(staticHandler(opts));
}

module.exports = { createServer, staticHandler };

if (require.main === module) {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`serve: ${e.message}`);
    process.exit(2);
  }
  if (!fs.existsSync(path.join(opts.root, 'index.html'))) {
    console.error(`serve: ${opts.root}/index.html is missing; build the site first with "make site"`);
    process.exit(1);
  }
  createServer(opts).listen(opts.port, () => {
    console.log(`digitrain at http://localhost:${opts.port}/ (${opts.isolation ? 'cross-origin isolated' : 'no isolation headers'}), serving ${opts.root}`);
  });
}
