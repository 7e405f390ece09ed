// The static server behind `make serve`, the browser tests and the benchmark: what it serves,
// what it refuses, the headers on every answer, and that no request can stop it (hostile
// requests sent as raw bytes to the real `node web/serve.js` process).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const { staticHandler } = require('../../web/serve.js');

const SERVE_JS = path.join(__dirname, '..', '..', 'web', 'serve.js');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function makeTree() {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'digitrain-serve-'));
  const put = (rel, data) => { fs.mkdirSync(path.dirname(path.join(base, rel)), { recursive: true }); fs.writeFileSync(path.join(base, rel), data); };
  put('site/index.html', 'home');
  put('site/app.js', 'js');
  put('site/data/mnist/a.gz', 'gz');  // site/data has no index.html
  put('site/big.wasm', Buffer.alloc(8 << 20, 7));
  put('site2/secret.txt', 'sibling');
  put('data/mnist/a.gz', 'gz');
  return base;
}
// One tree for every case (none writes to it), removed at the end.
const base = makeTree();
test.after(() => fs.rmSync(base, { recursive: true, force: true }));

// ---- the handler inside another server (as the browser tests and the benchmark use it) ------

async function withServer(options, fn) {
  const server = http.createServer(staticHandler(options));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const get = (p, method = 'GET') => new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.address().port, path: p, method }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
  try { await fn(get); } finally { server.close(); }
}

test('serves the root folder with isolation headers, index.html for folders', async () => {
  await withServer({ root: path.join(base, 'site') }, async (get) => {
    const home = await get('/');
    assert.equal(home.status, 200);
    assert.equal(home.body, 'home');
    assert.equal(home.headers['cross-origin-opener-policy'], 'same-origin');
    assert.equal(home.headers['cross-origin-embedder-policy'], 'require-corp');
    const js = await get('/app.js');
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal((await get('/missing.js')).status, 404);
  });
});

test('refuses paths outside its folder, other methods and bad encodings', async () => {
  await withServer({ root: path.join(base, 'site') }, async (get) => {
    assert.equal((await get('/..%2fsite2/secret.txt')).status, 403);
    const dots = await get('/%2e%2e/site2/secret.txt');  // decoded, the dots would leave the site
    assert.notEqual(dots.body, 'sibling');
    assert.equal(dots.status, 403);
    assert.equal((await get('/app.js', 'POST')).status, 405);
    assert.equal((await get('/%E0%A4%A')).status, 400);
  });
});

test('mounts: the longest matching prefix serves, unmatched paths are not found', async () => {
  await withServer({ mounts: { '/': path.join(base, 'site'), '/mnist/': path.join(base, 'data', 'mnist') } }, async (get) => {
    assert.equal((await get('/mnist/a.gz')).body, 'gz');
    assert.equal((await get('/mnist/a.gz')).headers['content-type'], 'application/gzip');
    assert.equal((await get('/app.js')).body, 'js');
  });
  await withServer({ mounts: { '/mnist/': path.join(base, 'data', 'mnist') }, isolation: false }, async (get) => {
    assert.equal((await get('/app.js')).status, 404);
    const r = await get('/mnist/a.gz', 'HEAD');
    assert.equal(r.status, 200);
    assert.equal(r.body, '');
    assert.equal(r.headers['cross-origin-opener-policy'], undefined);
  });
});

test('nosniff always; the content security policy unless the caller opts out', async () => {
  await withServer({ root: path.join(base, 'site') }, async (get) => {
    for (const p of ['/', '/missing', '/%zz']) {
      const r = await get(p);
      assert.equal(r.headers['x-content-type-options'], 'nosniff', p);
      assert.match(r.headers['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval'/, p);
    }
  });
  await withServer({ root: path.join(base, 'site'), contentSecurityPolicy: null }, async (get) => {
    const r = await get('/');
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.headers['content-security-policy'], undefined);
  });
});

// ---- the real server process, over raw TCP -------------------------------------------------

async function freePort() {
  const probe = net.createServer();
  await new Promise((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address();
  await new Promise((r) => probe.close(r));
  return port;
}

function canConnect(port, host) {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    const done = (ok) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(1000, () => done(false));
    socket.on('connect', () => done(true));
    socket.on('error', () => done(false));
  });
}

// Starts `node web/serve.js` on a free port and waits until it accepts connections.
async function startServer(root, args = []) {
  const port = await freePort();
  const child = spawn(process.execPath, [SERVE_JS, '--root', root, '--port', String(port), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c) => { output += c; });
  child.stderr.on('data', (c) => { output += c; });
  const exited = new Promise((r) => child.once('exit', r));
  for (let i = 0; i < 200 && child.exitCode === null; ++i) {
    if (await canConnect(port, '127.0.0.1')) break;
    await sleep(25);
  }
  if (child.exitCode !== null) throw new Error(`serve.js exited at start: ${output}`);
  return {
    port, child, output: () => output,
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: async () => { if (child.exitCode === null) { child.kill(); await exited; } },
  };
}

// Sends `pieces` (strings or buffers, `gapMs` apart, so that each arrives in its own packet) and
// reads until the server closes. Resolves to {status, headers, body, reset} of the first answer.
function exchange(port, pieces, { gapMs = 0, timeoutMs = 5000, host = '127.0.0.1' } = {}) {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.setNoDelay(true);
    const chunks = [];
    let done = false;
    const finish = (problem) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...parseAnswer(Buffer.concat(chunks)), problem });
    };
    const timer = setTimeout(() => finish('no answer in time'), timeoutMs);
    socket.on('data', (c) => chunks.push(c));
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    socket.on('error', (e) => finish(e.code));
    socket.on('connect', async () => {
      for (const piece of pieces) {
        if (socket.destroyed) return;
        socket.write(piece);
        if (gapMs) await sleep(gapMs);
      }
    });
  });
}

function parseAnswer(bytes) {
  const text = bytes.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  if (!match || end < 0) return { status: null, headers: {}, body: '' };
  const headers = {};
  for (const line of text.slice(0, end).split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(match[1]), headers, body: text.slice(end + 4) };
}

// An HTTP/1.1 request for `target`, closing the connection after the answer.
function request(target, { method = 'GET', headers = 'Host: localhost\r\n' } = {}) {
  return `${method} ${target} HTTP/1.1\r\n${headers}Connection: close\r\n\r\n`;
}

// [what, pieces, statuses accepted, options]. mayReset: the request is larger than the server
// reads, so the answer can be lost to a TCP reset when the server hangs up on the rest.
const HOSTILE = [
  ['NUL percent-encoded', [request('/%00')], [400]],
  ['NUL before an extension', [request('/index.html%00.png')], [400]],
  ['NUL byte in the request line', [request('/a\0b')], [400]],
  ['scheme-relative target with a bad host', [request('//[')], [400, 404]],
  ['absolute-form with a bad host', [request('http://[/')], [400]],
  ['scheme-relative target with a port out of range', [request('//a:b@c:99999/')], [400, 404]],
  ['absolute-form with a port out of range', [request('http://a:b@c:99999/')], [400]],
  ['absolute-form climbing out of the site', [request('http://localhost/../../etc/passwd')], [403]],
  ['absolute-form of another scheme', [request('file:///etc/passwd')], [400]],
  ['authority-form with GET', [request('localhost:8000')], [400]],
  ['authority-form with CONNECT', [request('localhost:22', { method: 'CONNECT' })], [405]],
  ['asterisk-form', [request('*', { method: 'OPTIONS' })], [405]],
  ['long file name', [request(`/${'a'.repeat(1000)}`)], [404]],
  ['very long path', [request(`/${'a'.repeat(5000)}`)], [414]],
  ['very many segments', [request('/a'.repeat(3000))], [414]],
  ['path past the header size limit', [request(`/${'a'.repeat(100000)}`)], [431], { mayReset: true }],
  ['headers past the size limit', [request('/', { headers: `Host: x\r\n${'X-Filler: 0123456789\r\n'.repeat(4000)}` })], [431], { mayReset: true }],
  ['dot-dot', [request('/../../../../etc/passwd')], [403]],
  ['dot-dot after a folder', [request('/data/../../site2/secret.txt')], [403]],
  ['encoded dot-dot', [request('/%2e%2e/%2e%2e/etc/passwd')], [403]],
  ['encoded dot-dot and slash, mixed case', [request('/%2E%2E%2f%2E%2e%2Fsite2%2fsecret.txt')], [403]],
  ['dot-dot into a sibling folder', [request('/..%2fsite2/secret.txt')], [403]],
  ['backslashes', [request('/..\\..\\etc\\passwd')], [400]],
  ['encoded backslashes', [request('/%5c..%5c..%5cetc%5cpasswd')], [400]],
  ['overlong UTF-8 dots', [request('/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd')], [400]],
  ['overlong UTF-8 slash', [request('/..%c0%af..%c0%afetc%c0%afpasswd')], [400]],
  ['three-byte overlong dot', [request('/%e0%80%ae%e0%80%ae/x')], [400]],
  ['UTF-16 surrogate in UTF-8', [request('/%ed%a0%80')], [400]],
  ['lone percent', [request('/%')], [400]],
  ['percent without hex', [request('/%zz')], [400]],
  ['cut-off UTF-8 sequence', [request('/%E0%A4%A')], [400]],
  ['raw UTF-8 bytes in the path', [Buffer.from(request('/caf\u00e9'), 'utf8')], [400]],
  ['encoded CR LF', [request('/a%0d%0aSet-Cookie:%20x=1')], [400]],
  ['POST', [request('/', { method: 'POST', headers: 'Host: x\r\nContent-Length: 5\r\n' }), 'hello'], [405]],
  ['PUT', [request('/index.html', { method: 'PUT', headers: 'Host: x\r\nContent-Length: 0\r\n' })], [405]],
  ['DELETE', [request('/index.html', { method: 'DELETE' })], [405]],
  ['TRACE', [request('/', { method: 'TRACE' })], [405]],
  ['unknown method', [request('/', { method: 'FOO' })], [400]],
  ['lower-case method', [request('/', { method: 'get' })], [400]],
  ['HTTP/1.0 without Host', ['GET / HTTP/1.0\r\n\r\n'], [200]],
  ['HTTP/1.0 without Host, NUL', ['GET /%00 HTTP/1.0\r\n\r\n'], [400]],
  ['HTTP/1.1 without Host', ['GET / HTTP/1.1\r\nConnection: close\r\n\r\n'], [400]],
  ['no version (HTTP/0.9)', ['GET /\r\n\r\n'], [200, 400]],
  ['unknown version', ['GET / HTTP/9.9\r\nHost: x\r\n\r\n'], [400, 505]],
  ['Content-Length with Transfer-Encoding', [request('/', { headers: 'Host: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n' }), '0\r\n\r\n'], [400]],
  ['TLS hello on the plain port', [Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03, 0, 0, 0, 0])], [400]],
  ['a request split across packets', ['GE', 'T /ind', 'ex.html HTTP/1.1\r\nHo', 'st: x\r\nConn', 'ection: close\r\n', '\r\n'], [200], { gapMs: 30 }],
  ['a hostile request split across packets', ['GET /%', '00 HTTP/1.1\r\n', 'Host: x\r\nConnection: close\r\n\r\n'], [400], { gapMs: 30 }],
  ['a folder without index.html', [request('/data')], [404]],
  ['junk in the query', [request('/index.html?%%%00\\..')], [200]],
];

test('no request stops the server; each gets a sane status and the security headers', async (t) => {
  const root = path.join(base, 'site');
  let server = await startServer(root, ['--quiet']);
  const problems = [];
  try {
    for (const [what, pieces, statuses, { mayReset = false, gapMs = 0 } = {}] of HOSTILE) {
      const r = await exchange(server.port, pieces, { gapMs });
      await sleep(20);  // let a crash, if any, happen before checking
      const lost = r.status === null && mayReset && ['ECONNRESET', 'EPIPE', undefined].includes(r.problem);
      if (!lost) {
        if (!statuses.includes(r.status)) problems.push(`${what}: status ${r.status}${r.problem ? ` (${r.problem})` : ''}, expected ${statuses.join(' or ')}`);
        if (r.status !== null && r.headers['x-content-type-options'] !== 'nosniff') problems.push(`${what}: no X-Content-Type-Options: nosniff`);
        if (r.status !== null && !r.headers['content-security-policy']) problems.push(`${what}: no Content-Security-Policy`);
        if (r.status >= 400 && !/^text\/plain/.test(r.headers['content-type'] || '')) problems.push(`${what}: the ${r.status} has no plain-text reason`);
        if (r.status >= 400 && r.body.trim() === '' && r.status !== null) problems.push(`${what}: the ${r.status} gives no reason`);
      }
      const normal = server.alive() ? await exchange(server.port, [request('/')]) : { status: null };
      if (!server.alive() || normal.status !== 200) {
        const why = server.output().split('\n').find((line) => /^\w*Error/.test(line));
        problems.push(`${what}: stopped the server${why ? ` (${why})` : ''}`);
        await server.stop();
        server = await startServer(root, ['--quiet']);
      }
    }
  } finally {
    await server.stop();
  }
  t.diagnostic(`${HOSTILE.length} hostile requests`);
  assert.deepEqual(problems, []);
});

test('clients that hang up mid-file, or pipeline requests, leave the server answering', async () => {
  const server = await startServer(path.join(base, 'site'), ['--quiet']);
  // Open files and sockets of the server process (Linux), to see that nothing is left open.
  const openFds = () => (fs.existsSync(`/proc/${server.child.pid}/fd`) ? fs.readdirSync(`/proc/${server.child.pid}/fd`).length : 0);
  try {
    const fdsBefore = openFds();
    for (let i = 0; i < 20; ++i) {
      await new Promise((resolve) => {
        const socket = net.connect(server.port, '127.0.0.1', () => socket.write(request('/big.wasm')));
        socket.once('data', () => { socket.destroy(); resolve(); });  // the first bytes of 8 MiB
        socket.on('error', resolve);
      });
    }
    await sleep(200);
    assert.ok(server.alive(), 'the server stopped');
    assert.ok(openFds() < fdsBefore + 5, `the server holds ${openFds() - fdsBefore} more files or sockets than before`);
    const pipelined = await exchange(server.port, [`GET /app.js HTTP/1.1\r\nHost: x\r\n\r\nGET /%00 HTTP/1.1\r\nHost: x\r\n\r\n${request('/')}`]);
    assert.equal(pipelined.status, 200);
    const answers = (pipelined.body.match(/HTTP\/1\.1 \d{3}/g) || []).map((s) => Number(s.slice(-3)));
    assert.deepEqual(answers, [400, 200]);
    const big = await exchange(server.port, [request('/big.wasm')]);
    assert.equal(big.status, 200);
    assert.equal(big.body.length, 8 << 20);
    assert.equal(big.headers['x-content-type-options'], 'nosniff');
    assert.equal(big.headers['cross-origin-embedder-policy'], 'require-corp');
  } finally {
    await server.stop();
  }
});

test('listens on 127.0.0.1 unless --host says otherwise', async (t) => {
  const outside = Object.values(os.networkInterfaces()).flat().find((a) => a.family === 'IPv4' && !a.internal);
  const local = await startServer(path.join(base, 'site'));
  try {
    for (let i = 0; i < 100 && !local.output().includes('\n'); ++i) await sleep(20);  // stdout lags the socket
    assert.match(local.output(), new RegExp(`digitrain at http://localhost:${local.port}/ `));
    assert.equal((await exchange(local.port, [request('/')])).status, 200);
    if (outside) assert.equal(await canConnect(local.port, outside.address), false, `reachable on ${outside.address}`);
  } finally {
    await local.stop();
  }
  if (!outside) { t.diagnostic('no non-loopback IPv4 address: --host 0.0.0.0 not checked'); return; }
  const open = await startServer(path.join(base, 'site'), ['--host', '0.0.0.0']);
  try {
    assert.equal((await exchange(open.port, [request('/')], { host: outside.address })).status, 200);
  } finally {
    await open.stop();
  }
});

test('bad command lines say what is wrong', async () => {
  const run = (args) => new Promise((resolve) => {
    const child = spawn(process.execPath, [SERVE_JS, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c) => { err += c; });
    child.on('exit', (code) => resolve({ code, err }));
  });
  const port = await run(['--port', 'eighty']);
  assert.equal(port.code, 2);
  assert.match(port.err, /--port eighty is not a port number/);
  const host = await run(['--host']);
  assert.equal(host.code, 2);
  assert.match(host.err, /--host needs a value/);
});
