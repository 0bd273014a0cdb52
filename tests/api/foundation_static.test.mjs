// Foundation (issue 2), the web UI: embedded files (or the fallback page when the binary was
// built without web/dist), --web DIR, ETag/If-None-Match, Cache-Control, gzip, client routes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, api } from '../lib/server.mjs';

const get = (base, p, headers = {}) => fetch(base + p, { headers });

let srv;
let webSrv;
const webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rexin-web-'));
const INDEX = '<!doctype html><html><head><meta charset="utf-8"><title>测试</title></head><body>index from disk</body></html>';
before(async () => {
  fs.mkdirSync(path.join(webDir, 'assets'));
  fs.writeFileSync(path.join(webDir, 'index.html'), INDEX);
  fs.writeFileSync(path.join(webDir, 'assets', 'app.js'), 'console.log("hi");\n');
  fs.writeFileSync(path.join(webDir, 'assets', 'app.css'), 'body{color:red}\n');
  fs.writeFileSync(path.join(webDir, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  fs.writeFileSync(path.join(webDir, 'assets', 'icon.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
  fs.writeFileSync(path.join(webDir, 'manifest.webmanifest'), '{}');
  fs.writeFileSync(path.join(webDir, 'data.bin'), Buffer.alloc(10));
  fs.writeFileSync(path.join(os.tmpdir(), 'rexin-secret-outside.txt'), 'secret');
  srv = await startServer();
  webSrv = await startServer({ args: ['--web', webDir] });
});
after(async () => {
  assert.equal((await srv.stop()).code, 0);
  assert.equal((await webSrv.stop()).code, 0);
  fs.rmSync(webDir, { recursive: true, force: true });
  fs.rmSync(path.join(os.tmpdir(), 'rexin-secret-outside.txt'), { force: true });
});

test('embedded UI (or the fallback page): HTML, ETag, Cache-Control, 304, gzip, client routes', async (t) => {
  const res = await get(srv.url, '/');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/html; charset=utf-8/);
  const html = await res.text();
  assert.match(html, /<html/i);
  if (/was not built into this binary/.test(html)) {
    // Built without web/dist: every non-API path answers the fallback page.
    const route = await get(srv.url, '/activities/12');
    assert.equal(route.status, 200);
    assert.equal(await route.text(), html);
    t.skip('web/dist not embedded: fallback page checked only');
    return;
  }
  const etag = res.headers.get('etag');
  assert.match(etag, /^"[^"]+"$/);
  assert.equal(res.headers.get('cache-control'), 'no-cache', 'index.html must be revalidated');
  const again = await get(srv.url, '/', { 'If-None-Match': etag });
  assert.equal(again.status, 304);
  assert.equal(await again.text(), '');
  // Client-side routes get index.html.
  const route = await get(srv.url, '/some/client/route');
  assert.equal(route.status, 200);
  assert.equal(await route.text(), html);
  // The largest script or stylesheet the page loads comes gzipped when asked for.
  const assets = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  assert.ok(assets.length > 0, 'index.html loads assets');
  let biggest = null;
  for (const a of assets) {
    const r = await get(srv.url, `/${a}`, { 'Accept-Encoding': 'identity' });
    assert.equal(r.status, 200, a);
    const body = Buffer.from(await r.arrayBuffer());
    assert.match(r.headers.get('content-type'), a.endsWith('.js') ? /^text\/javascript/ : /^text\/css/);
    assert.match(r.headers.get('cache-control'), /immutable/, 'hashed assets are cached for good');
    if (!biggest || body.length > biggest.body.length) biggest = { a, body, etag: r.headers.get('etag') };
  }
  if (biggest.body.length > 1024) {
    const gz = await fetch(`${srv.url}/${biggest.a}`, { headers: { 'Accept-Encoding': 'gzip' } });
    // fetch decodes gzip transparently; compare the decoded bytes and look at the header.
    assert.equal(gz.headers.get('content-encoding'), 'gzip');
    assert.match(gz.headers.get('vary') || '', /Accept-Encoding/);
    assert.deepEqual(Buffer.from(await gz.arrayBuffer()), biggest.body);
  }
});

test('--web DIR serves files from disk with their content types', async () => {
  const cases = [
    ['/', 'text/html; charset=utf-8', INDEX],
    ['/index.html', 'text/html; charset=utf-8', INDEX],
    ['/assets/app.js', 'text/javascript; charset=utf-8', 'console.log("hi");\n'],
    ['/assets/app.css', 'text/css; charset=utf-8', 'body{color:red}\n'],
    ['/assets/logo.svg', 'image/svg+xml', null],
    ['/assets/icon.png', 'image/png', null],
    ['/manifest.webmanifest', 'application/manifest+json', '{}'],
    ['/data.bin', 'application/octet-stream', null],
  ];
  for (const [p, type, body] of cases) {
    const res = await get(webSrv.url, p);
    assert.equal(res.status, 200, p);
    assert.equal(res.headers.get('content-type'), type, p);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    const text = await res.text();
    if (body !== null) assert.equal(text, body, p);
  }
});

test('--web DIR: ETag and If-None-Match, Cache-Control, client routes, no escaping the folder', async () => {
  const res = await get(webSrv.url, '/assets/app.js');
  const etag = res.headers.get('etag');
  assert.match(etag, /^"[^"]+"$/);
  assert.ok(res.headers.get('cache-control'), 'Cache-Control present');
  assert.equal((await get(webSrv.url, '/assets/app.js', { 'If-None-Match': etag })).status, 304);
  assert.equal((await get(webSrv.url, '/assets/app.js', { 'If-None-Match': '"other"' })).status, 200);
  // A changed file gets a new ETag.
  fs.writeFileSync(path.join(webDir, 'assets', 'app.js'), 'console.log("changed, longer");\n');
  const changed = await get(webSrv.url, '/assets/app.js', { 'If-None-Match': etag });
  assert.equal(changed.status, 200);
  assert.notEqual(changed.headers.get('etag'), etag);
  for (const route of ['/some/client/route', '/activities/42/sign-up', '/me']) {
    const r = await get(webSrv.url, route);
    assert.equal(r.status, 200, route);
    assert.equal(await r.text(), INDEX, route);
  }
  for (const evil of ['/../rexin-secret-outside.txt', '/assets/..%2f..%2frexin-secret-outside.txt', '/%2e%2e/rexin-secret-outside.txt']) {
    const r = await get(webSrv.url, evil);
    assert.doesNotMatch(await r.text(), /^secret$/, evil);
  }
  // Static paths take GET and HEAD only; API paths never fall back to index.html.
  const post = await api(webSrv.url, '/some/page', { method: 'POST', body: {} });
  assert.equal(post.status, 405);
  const head = await fetch(`${webSrv.url}/`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  const apiMiss = await api(webSrv.url, '/api/v1/nothing-here');
  assert.equal(apiMiss.status, 404);
  assert.equal(apiMiss.json.code, 'not_found');
});
