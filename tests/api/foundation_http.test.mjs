// Foundation (issue 2), HTTP layer: health, metrics, request limits, routing errors,
// keep-alive and pipelining, the OpenAPI document against the route table.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from '../lib/server.mjs';
import { rexin, rawSocket, parseResponses, waitFor } from '../lib/util.mjs';

let srv;
let admin;
before(async () => {
  srv = await startServer();
  admin = await login(srv.url);
});
after(async () => {
  const r = await srv.stop();
  assert.equal(r.code, 0, `server exit ${JSON.stringify(r)}\n${srv.stderr().slice(-4000)}`);
});

/** Sends raw bytes and collects everything until the server closes or timeoutMs passes. */
async function rawExchange(bytes, { timeoutMs = 3000, until = null } = {}) {
  const s = await rawSocket(srv.url);
  s.socket.write(bytes);
  await waitFor(() => s.closed || (until && until(s.data)), timeoutMs, 'server answer').catch(() => {});
  s.socket.destroy();
  return s.data;
}

function problemOk(res, status, code) {
  assert.equal(res.status, status, res.text);
  assert.match(res.headers.get('content-type'), /^application\/problem\+json/);
  assert.equal(res.json.status, status);
  if (code) assert.equal(res.json.code, code);
  assert.ok(res.json.title && typeof res.json.title === 'string');
  assert.ok(Array.isArray(res.json.errors));
}

test('healthz reports the server and the database as ok', async () => {
  const res = await api(srv.url, '/healthz');
  assert.equal(res.status, 200);
  assert.deepEqual(res.json, { status: 'ok', database: 'ok' });
});

test('metrics count requests by route and status, latency histogram, commit batches', async () => {
  for (let i = 0; i < 3; i++) await api(srv.url, '/healthz');
  await api(srv.url, '/api/v1/me'); // 401
  await login(srv.url); // a write: at least one commit
  let text = '';
  const line = (re) => {
    const m = re.exec(text);
    return m ? Number(m[1]) : null;
  };
  // Requests are counted when the server finishes them, just after the client has the answer.
  await waitFor(async () => {
    text = (await api(srv.url, '/metrics')).text;
    return (line(/^rexin_http_requests_total\{method="GET",route="\/healthz",status="200"\} (\d+)$/m) ?? 0) >= 3 &&
      (line(/^rexin_http_requests_total\{method="GET",route="\/api\/v1\/me",status="401"\} (\d+)$/m) ?? 0) >= 1;
  }, 5000, 'metrics');
  const res = await api(srv.url, '/metrics');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/plain/);
  text = res.text;
  assert.ok(line(/^rexin_http_requests_total\{method="POST",route="\/api\/v1\/session",status="200"\} (\d+)$/m) >= 2);
  // Latency histogram: cumulative buckets ending in +Inf = count.
  const buckets = [...text.matchAll(/^rexin_http_request_duration_seconds_bucket\{le="([^"]+)"\} (\d+)$/gm)];
  assert.ok(buckets.length >= 5, 'latency buckets present');
  for (let i = 1; i < buckets.length; i++) assert.ok(Number(buckets[i][2]) >= Number(buckets[i - 1][2]), 'cumulative');
  assert.equal(buckets.at(-1)[1], '+Inf');
  const count = line(/^rexin_http_request_duration_seconds_count (\d+)$/m);
  assert.equal(Number(buckets.at(-1)[2]), count);
  assert.ok(count >= 6);
  assert.ok(line(/^rexin_http_request_duration_seconds_sum ([\d.]+)$/m) > 0);
  // Commit batch sizes: a histogram whose count is the number of commits, sum the jobs.
  const commits = line(/^rexin_db_commit_batch_size_count (\d+)$/m);
  assert.ok(commits >= 1, 'a login commits');
  assert.ok(line(/^rexin_db_commit_batch_size_sum (\d+)$/m) >= commits);
  assert.equal(line(/^rexin_db_commit_batch_size_bucket\{le="\+Inf"\} (\d+)$/m), commits);
});

test('one structured log line per request', async () => {
  await api(srv.url, '/healthz?probe=log-line-check');
  await api(srv.url, '/api/v1/me', { cookie: admin });
  await waitFor(() => /msg=request method=GET path="\/api\/v1\/me" route="\/api\/v1\/me" status=200 dur_us=\d+ user=1 ip=127\.0\.0\.1/.test(srv.stderr()),
    3000, 'log line');
  const lines = srv.stderr().split('\n').filter((l) => l.includes('msg=request'));
  for (const l of lines) assert.match(l, /^ts=\d{4}-\d\d-\d\dT[\d:.]+Z level=info msg=request method=\w+ path="[^"]*" route="[^"]*" status=\d+ dur_us=\d+ user=\d+ ip=/);
});

test('unknown API route is 404, wrong method is 405 with Allow', async () => {
  problemOk(await api(srv.url, '/api/v1/no-such-thing'), 404, 'not_found');
  problemOk(await api(srv.url, '/api/v2/me'), 404, 'not_found');
  const res = await api(srv.url, '/api/v1/session', { method: 'PATCH', body: {} });
  problemOk(res, 405, 'method_not_allowed');
  assert.deepEqual(res.headers.get('allow').split(/,\s*/).sort(), ['DELETE', 'POST']);
  const me = await api(srv.url, '/api/v1/me', { method: 'POST', body: {}, cookie: admin });
  problemOk(me, 405);
  assert.equal(me.headers.get('allow'), 'GET');
});

test('a body over 1 MiB is refused with 413, with Content-Length or chunked', async () => {
  const big = 'x'.repeat(1024 * 1024 + 10);
  const head = (extra) =>
    `POST /api/v1/session HTTP/1.1\r\nHost: ${new URL(srv.url).host}\r\nOrigin: ${srv.url}\r\n` +
    `Content-Type: application/json\r\n${extra}\r\n`;
  // Declared length up to 8 MiB: the body is read and thrown away, then the 413, and the
  // connection stays usable (closing with the body unread would reset it, and the reset can
  // destroy the 413 before the client reads it).
  let out = await rawExchange(
    head(`Content-Length: ${big.length}\r\n`) + big + `GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n`,
    { until: (d) => parseResponses(d).length >= 2 },
  );
  let rs = parseResponses(out);
  assert.equal(rs[0]?.status, 413, out.slice(0, 300));
  assert.equal(JSON.parse(rs[0].body).code, 'body_too_large');
  assert.equal(rs[1]?.status, 200, 'next request on the same connection');
  // Over 8 MiB, or a client waiting for "100 Continue": refused from the headers at once.
  for (const extra of [`Content-Length: ${8 * 1024 * 1024 + 1}\r\n`, `Content-Length: ${big.length}\r\nExpect: 100-continue\r\n`]) {
    out = await rawExchange(head(extra));
    rs = parseResponses(out);
    assert.equal(rs[0]?.status, 413, `${extra}: ${out.slice(0, 300)}`);
    assert.equal(JSON.parse(rs[0].body).code, 'body_too_large');
  }
  // Chunked: refused once the body ends, and the connection stays usable.
  const chunk = 'y'.repeat(64 * 1024);
  let body = '';
  for (let n = 0; n < 17; n++) body += `${chunk.length.toString(16)}\r\n${chunk}\r\n`;
  body += '0\r\n\r\n';
  out = await rawExchange(
    head('Transfer-Encoding: chunked\r\n') + body + `GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n`,
    { until: (d) => parseResponses(d).length >= 2 },
  );
  rs = parseResponses(out);
  assert.equal(rs[0]?.status, 413, out.slice(0, 300));
  assert.equal(JSON.parse(rs[0].body).code, 'body_too_large');
  assert.equal(rs[1]?.status, 200, 'next request on the same connection');
  // Through an ordinary client too.
  problemOk(await api(srv.url, '/api/v1/session', { method: 'POST', body: big }), 413, 'body_too_large');
  // Just under the cap is parsed (and found to be bad JSON, not too large).
  const under = await api(srv.url, '/api/v1/session', { method: 'POST', body: 'x'.repeat(1024 * 1024 - 10) });
  problemOk(under, 400, 'invalid_json');
});

test('headers over 16 KiB are refused with 431', async () => {
  const res = await api(srv.url, '/healthz', { headers: { 'X-Filler': 'h'.repeat(17 * 1024) } });
  problemOk(res, 431, 'headers_too_large');
  const split = await api(srv.url, '/healthz', {
    headers: { 'X-A': 'a'.repeat(9 * 1024), 'X-B': 'b'.repeat(9 * 1024) },
  });
  problemOk(split, 431, 'headers_too_large');
  // Far past the limit libmicrohttpd itself refuses (its own body, but the same status).
  const huge = await api(srv.url, '/healthz', { headers: { 'X-A': 'a'.repeat(70 * 1024) } });
  assert.equal(huge.status, 431);
  const ok = await api(srv.url, '/healthz', { headers: { 'X-A': 'a'.repeat(8 * 1024) } });
  assert.equal(ok.status, 200);
});

test('JSON bodies: too deep, duplicate keys, invalid, bad UTF-8, NUL bytes are 400', async () => {
  const post = (body) => api(srv.url, '/api/v1/session', { method: 'POST', body });
  problemOk(await post('['.repeat(33) + ']'.repeat(33)), 400, 'json_too_deep');
  problemOk(await post('{"a":'.repeat(40) + '1' + '}'.repeat(40)), 400, 'json_too_deep');
  // 32 levels are fine as JSON (the handler then wants an object with login/password).
  const ok32 = await post('['.repeat(32) + ']'.repeat(32));
  problemOk(ok32, 400, 'body_not_object');
  problemOk(await post('{"login":"admin","login":"x","password":"p"}'), 400, 'duplicate_key');
  problemOk(await post('{"login": "admin", '), 400, 'invalid_json');
  problemOk(await post('{"login":"admin","password":"p"} trailing'), 400, 'invalid_json');
  problemOk(await post(Buffer.from('{"login":"\xff\xfe","password":"p"}', 'latin1')), 400, 'invalid_json');
  problemOk(await post(Buffer.from('{"login":"\xc0\xaf","password":"p"}', 'latin1')), 400, 'invalid_json');
  problemOk(await post('{"login":"a\\u0000b","password":"p"}'), 400, 'invalid_json');
  problemOk(await post(Buffer.from('{"login":"a\0b","password":"p"}', 'latin1')), 400, 'invalid_json');
  // A bad body never reaches the handler: nothing was counted as a failed login.
  const audit = await api(srv.url, '/api/v1/audit-log?entity=user', { cookie: admin });
  assert.equal(audit.json.items.filter((e) => e.action === 'login_failed').length, 0);
});

test('writes need Content-Type application/json (415)', async () => {
  const body = JSON.stringify({ login: 'admin', password: 'admin-test-pw-1' });
  problemOk(await api(srv.url, '/api/v1/session', { method: 'POST', body, headers: { 'Content-Type': 'text/plain' } }), 415,
    'unsupported_media_type');
  problemOk(await api(srv.url, '/api/v1/session', {
    method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  }), 415, 'unsupported_media_type');
  problemOk(await api(srv.url, '/api/v1/session', { method: 'POST', body, headers: { 'Content-Type': 'application/jsonp' } }),
    415, 'unsupported_media_type');
  const ok = await api(srv.url, '/api/v1/session', {
    method: 'POST', body, headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
  assert.equal(ok.status, 200);
});

test('keep-alive: one connection serves several requests, including ones that suspend', async () => {
  const s = await rawSocket(srv.url);
  const host = new URL(srv.url).host;
  const send = async (req, n) => {
    s.socket.write(req);
    await waitFor(() => parseResponses(s.data).length >= n || s.closed, 5000, `${n} responses`);
  };
  await send(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\n\r\n`, 1);
  const body = JSON.stringify({ login: 'admin', password: 'admin-test-pw-1' });
  // Log-in runs on the CPU pool and the writer: the connection is suspended and resumed.
  await send(
    `POST /api/v1/session HTTP/1.1\r\nHost: ${host}\r\nOrigin: http://${host}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    2,
  );
  await send(`GET /api/v1/me HTTP/1.1\r\nHost: ${host}\r\n\r\n`, 3);
  await send(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\n\r\n`, 4);
  const rs = parseResponses(s.data);
  assert.deepEqual(rs.map((r) => r.status), [200, 200, 401, 200]);
  assert.equal(s.closed, false, 'the connection is still open');
  for (const r of rs) assert.notEqual((r.headers.connection || '').toLowerCase(), 'close');
  s.socket.destroy();
});

test('pipelining: two requests sent at once get two answers in order', async () => {
  const host = new URL(srv.url).host;
  const out = await rawExchange(
    `GET /healthz HTTP/1.1\r\nHost: ${host}\r\n\r\nGET /api/v1/nope HTTP/1.1\r\nHost: ${host}\r\n\r\n` +
      `GET /healthz HTTP/1.1\r\nHost: ${host}\r\n\r\n`,
    { until: (d) => parseResponses(d).length >= 3 },
  );
  const rs = parseResponses(out);
  assert.deepEqual(rs.map((r) => r.status), [200, 404, 200]);
  assert.deepEqual(JSON.parse(rs[0].body), { status: 'ok', database: 'ok' });
});

test('/api/openapi.json is OpenAPI 3.1 and lists exactly the routes of the router', async () => {
  const res = await api(srv.url, '/api/openapi.json');
  assert.equal(res.status, 200);
  assert.ok(res.json, 'valid JSON');
  assert.match(res.json.openapi, /^3\.1/);
  const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
  const doc = new Set();
  for (const [p, item] of Object.entries(res.json.paths)) {
    for (const m of Object.keys(item)) if (methods.includes(m)) doc.add(`${m.toUpperCase()} ${p}`);
  }
  const r = await rexin(['routes']);
  assert.equal(r.code, 0);
  const routes = new Set(r.stdout.trim().split('\n'));
  assert.ok(routes.size >= 8);
  const missingInDoc = [...routes].filter((x) => !doc.has(x));
  const missingInRouter = [...doc].filter((x) => !routes.has(x));
  assert.deepEqual(missingInDoc, [], 'routes not documented in openapi.json');
  assert.deepEqual(missingInRouter, [], 'documented paths the router does not have');
  // Every documented operation names its responses, and parameters in the path are declared.
  for (const [p, item] of Object.entries(res.json.paths)) {
    for (const [m, op] of Object.entries(item)) {
      if (!methods.includes(m)) continue;
      assert.ok(op.responses && Object.keys(op.responses).length, `${m} ${p} has responses`);
      for (const name of [...p.matchAll(/\{(\w+)\}/g)].map((x) => x[1])) {
        const params = [...(item.parameters || []), ...(op.parameters || [])];
        const resolve = (x) => (x.$ref ? res.json.components?.parameters?.[x.$ref.split('/').pop()] || {} : x);
        const declared = params.map(resolve).some((x) => x.name === name && x.in === 'path');
        assert.ok(declared, `${m} ${p} declares path parameter ${name}`);
      }
    }
  }
});
