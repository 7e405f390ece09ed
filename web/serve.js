#!/usr/bin/env node
// Serves the built site (dist/) for `make serve` and the browser tests, with the headers that
// make the page cross-origin isolated (so the trainer can use threads). No npm packages.
//   node web/serve.js [--root DIR] [--port N] [--host ADDR] [--no-isolation] [--quiet]
// --host ADDR listens on ADDR instead of 127.0.0.1, e.g. 0.0.0.0 to let other machines in
//   (they get the single-threaded page: isolation needs https or localhost).
// --no-isolation serves the same files without those headers, like a plain static host.
// Every response, errors included, carries X-Content-Type-Options: nosniff and the
// Content-Security-Policy below. A request the server cannot make sense of is answered 400
// with the reason in plain text; nothing a client sends stops the server.
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');
const { pipeline } = require('stream');

// What the app needs and nothing more: no injected script can run (no 'unsafe-inline', no
// 'unsafe-eval'), and the page loads and fetches nothing from elsewhere.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  // Classic scripts and ES modules from the site; 'wasm-unsafe-eval' allows compiling
  // WebAssembly and nothing else eval-like.
  "script-src 'self' 'wasm-unsafe-eval'",
  // The training worker, its pthread workers and the service worker (sw.js).
  "worker-src 'self'",
  // The datasets, fetched by the worker (and again by sw.js). `?data=` must stay on the site.
  "connect-src 'self'",
  "img-src 'self' data:",  // the empty data: favicon
  // index.html's <style>. CSS runs no code, and with nothing loadable from elsewhere it
  // cannot send anything out either.
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const MAX_PATH_LENGTH = 2048;  // far beyond the site's longest path

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', '.json': 'application/json', '.png': 'image/png', '.css': 'text/css', '.svg': 'image/svg+xml',
  // Served as plain bytes, never with Content-Encoding: the page inflates them itself.
  '.gz': 'application/gzip', '.webmanifest': 'application/manifest+json',
};

function parseArgs(argv) {
  const opts = { root: path.join(__dirname, '..', 'dist'), port: 8000, host: '127.0.0.1', isolation: true, quiet: false };
  const usage = 'use --root DIR, --port N, --host ADDR, --no-isolation, --quiet';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value (${usage})`);
      return argv[++i];
    };
    if (a === '--root') opts.root = path.resolve(value());
    else if (a === '--port') {
      const text = value();
      opts.port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
      if (!(opts.port <= 65535)) throw new Error(`--port ${text} is not a port number (0 to 65535)`);
    } else if (a === '--host') opts.host = value();
    else if (a === '--no-isolation') opts.isolation = false;
    else if (a === '--quiet') opts.quiet = true;
    else throw new Error(`unknown option ${a} (${usage})`);
  }
  return opts;
}

function securityHeaders(contentSecurityPolicy) {
  const headers = { 'X-Content-Type-Options': 'nosniff' };
  if (contentSecurityPolicy) headers['Content-Security-Policy'] = contentSecurityPolicy;
  return headers;
}

// The request target's path, decoded and checked, as {path}; or {status, reason} saying why
// it is refused. Takes origin-form (/path?query) and absolute-form (http://host/path), which
// HTTP/1.1 servers must accept; anything else names no file.
function requestPath(target) {
  const refuse = (status, reason) => ({ status, reason });
  let raw = target;
  if (/^[a-z][a-z0-9+.-]*:/i.test(raw)) {
    try {
      const url = new URL(raw);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return refuse(400, `${url.protocol} URLs are not served`);
    } catch (e) {
      return refuse(400, 'malformed URL');
    }
    raw = raw.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '') || '/';  // the authority says nothing here
  }
  if (!raw.startsWith('/')) return refuse(400, 'the request target must be a path starting with /');
  raw = raw.replace(/[?#].*$/s, '');
  if (raw.length > MAX_PATH_LENGTH) return refuse(414, `the path is longer than ${MAX_PATH_LENGTH} characters`);
  if (/[^\x21-\x7e]/.test(raw)) return refuse(400, 'the path has characters that must be percent-encoded');
  let decoded;
  try {
    decoded = decodeURIComponent(raw);
  } catch (e) {
    return refuse(400, 'bad percent-encoding in the path (it must be UTF-8)');
  }
  if (/[\x00-\x1f\x7f]/.test(decoded)) return refuse(400, 'the path has a control character (NUL, newline, ...)');
  if (decoded.includes('\\')) return refuse(400, 'the path has a backslash; use /');
  if (decoded.split('/').includes('..')) return refuse(403, "'..' in the path would leave the site");
  return { path: decoded };
}

// The file a path names (a folder's index.html for a folder), open, with its name and size;
// or null. Opened before the status goes out, so that an unreadable file is a 404, not a
// cut-off 200, and checked once open, so that nothing swapped in meanwhile is read instead.
async function openFile(file) {
  const st = await fs.promises.stat(file).catch(() => null);
  if (st && st.isDirectory()) file = path.join(file, 'index.html');
  const handle = await fs.promises.open(file, 'r').catch(() => null);
  if (!handle) return null;
  try {
    const opened = await handle.stat();
    if (opened.isFile()) return { handle, file, size: opened.size };
  } catch (e) { /* closed below */ }
  await handle.close();
  return null;
}

// A short plain-text answer; a response already under way can only be cut off.
function answer(res, status, reason, extraHeaders = {}) {
  if (res.headersSent) { res.destroy(); return; }
  const body = `${reason}\n`;
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...extraHeaders,
  });
  res.end(body);
}

// The request handler alone, so that tests and the benchmark can put it behind their own
// servers and routes. It serves `root`, or several folders under URL prefixes:
// mounts = { '/url/prefix/': folder, ... }, the longest matching prefix winning. GET and HEAD
// only, files only, and never a path outside its folder. contentSecurityPolicy: the app's
// by default; null for pages that need another (nosniff is always sent).
function staticHandler({ root, mounts, isolation = true, contentSecurityPolicy = CONTENT_SECURITY_POLICY }) {
  const table = Object.entries(mounts || { '/': root })
    .map(([prefix, dir]) => [prefix, path.resolve(dir)])
    .sort((a, b) => b[0].length - a[0].length);
  const always = securityHeaders(contentSecurityPolicy);

  async function respond(req, res) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      answer(res, 405, `method ${req.method} is not served: use GET or HEAD`, { Allow: 'GET, HEAD' });
      return;
    }
    // Node's own check (requireHostHeader) would answer without this server's headers.
    if (req.httpVersion === '1.1' && !req.headers.host) {
      answer(res, 400, 'an HTTP/1.1 request needs a Host header');
      return;
    }
    const target = requestPath(req.url);
    if (!target.path) { answer(res, target.status, target.reason); return; }
    const hit = table.find(([prefix]) => target.path.startsWith(prefix));
    if (!hit) { answer(res, 404, 'not found'); return; }
    const [prefix, dir] = hit;
    const wanted = path.join(dir, target.path.slice(prefix.length));
    // A bare prefix test would let /../dist2/... reach a sibling folder whose name starts alike.
    if (wanted !== dir && !wanted.startsWith(dir + path.sep)) { answer(res, 403, 'outside the site'); return; }
    const found = await openFile(wanted);
    if (!found) { answer(res, 404, 'not found'); return; }
    const { handle, file, size } = found;
    const headers = {
      'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
      'Content-Length': size,
      'Cache-Control': 'no-cache',
    };
    if (isolation) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
      headers['Cross-Origin-Resource-Policy'] = 'same-origin';
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') { await handle.close(); res.end(); return; }
    // pipeline closes the file and the response whichever side fails (a client gone mid-file).
    pipeline(handle.createReadStream(), res, () => {});
  }

  return (req, res) => {
    for (const [name, value] of Object.entries(always)) res.setHeader(name, value);
    res.on('error', () => {});  // the client went away: nothing left to tell it
    respond(req, res).catch((e) => {
      console.error(`serve: ${req.method} ${JSON.stringify(req.url)} failed: ${e.stack || e}`);
      answer(res, 500, 'internal error');
    });
  };
}

// A raw HTTP answer for what never became a request (Node's parser refused it), with the same
// security headers as every other response.
function rawAnswer(status, reason, contentSecurityPolicy, extraHeaders = {}) {
  const body = `${reason}\n`;
  const headers = {
    'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body),
    ...securityHeaders(contentSecurityPolicy), ...extraHeaders, Connection: 'close',
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n${lines}\r\n${body}`;
}

function createServer(opts) {
  const csp = opts.contentSecurityPolicy === undefined ? CONTENT_SECURITY_POLICY : opts.contentSecurityPolicy;
  const server = http.createServer({ requireHostHeader: false }, staticHandler(opts));
  server.on('clientError', (err, socket) => {
    // Once anything went out on this connection an answer could land inside another: hang up.
    if (err.code === 'ECONNRESET' || !socket.writable || socket.bytesWritten > 0) { socket.destroy(); return; }
    const detail = err.reason ? ` (${String(err.reason).replace(/[^\x20-\x7e]/g, '?')})` : '';
    const [status, reason] = err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'request headers too large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'request took too long']
        : [400, `malformed HTTP request${detail}`];
    socket.end(rawAnswer(status, reason, csp));
  });
  // CONNECT (authority-form, a proxy request) never reaches the request handler.
  server.on('connect', (req, socket) => {
    socket.on('error', () => {});
    socket.end(rawAnswer(405, 'method CONNECT is not served: use GET or HEAD', csp, { Allow: 'GET, HEAD' }));
  });
  return server;
}

module.exports = { createServer, staticHandler, CONTENT_SECURITY_POLICY };

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
  const server = createServer(opts);
  server.on('error', (e) => {
    const what = e.code === 'EADDRINUSE' ? `port ${opts.port} is in use: stop what uses it or pass --port N`
      : `cannot listen on ${opts.host} port ${opts.port} (${e.message}); check --host`;
    console.error(`serve: ${what}`);
    process.exit(1);
  });
  server.listen(opts.port, opts.host, () => {
    const { port } = server.address();
    const everywhere = ['0.0.0.0', '::'].includes(opts.host);
    const loopback = ['127.0.0.1', 'localhost', '::1'].includes(opts.host);
    const where = loopback ? `http://localhost:${port}/`
      : everywhere ? `http://localhost:${port}/ and port ${port} of every address of this machine`
        : `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}/`;
    const headers = opts.isolation ? 'cross-origin isolated' : 'no isolation headers';
    console.log(`digitrain at ${where} (${headers}), serving ${opts.root}`);
  });
}
