// The static handler behind `make serve`, the browser tests and the benchmark: what it serves,
// what it refuses, and the headers that make the page cross-origin isolated.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { staticHandler } = require('../../web/serve.js');

function tree() {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'digitrain-serve-'));
  const put = (rel, text) => { fs.mkdirSync(path.dirname(path.join(base, rel)), { recursive: true }); fs.writeFileSync(path.join(base, rel), text); };
  put('site/index.html', 'home');
  put('site/app.js', 'js');
  put('site2/secret.txt', 'sibling');
  put('data/mnist/a.gz', 'gz');
  return base;
}

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
  const base = tree();
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
  const base = tree();
  await withServer({ root: path.join(base, 'site') }, async (get) => {
    assert.equal((await get('/..%2fsite2/secret.txt')).status, 403);
    const dots = await get('/%2e%2e/site2/secret.txt');  // URL parsing folds the dots: /site2/secret.txt
    assert.notEqual(dots.body, 'sibling');
    assert.equal(dots.status, 404);
    assert.equal((await get('/app.js', 'POST')).status, 405);
    assert.equal((await get('/%E0%A4%A')).status, 400);
  });
});

test('mounts: the longest matching prefix serves, unmatched paths are not found', async () => {
  const base = tree();
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
