// Authorisation walk over the whole route table (`rexin routes`), so routes added later are
// covered without touching this file. Every route is called as anonymous, as a volunteer of
// one community, as the community admin of another community and as the city admin, with
// path parameters filled by an existing-looking id (1) and a missing one (999999):
//   - anonymous gets 401 everywhere except the public routes;
//   - nobody ever gets a 5xx;
//   - every error is application/problem+json with a code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from '../lib/server.mjs';
import { rexin, addUser } from '../lib/util.mjs';

const ALWAYS_PUBLIC = ['GET /healthz', 'GET /metrics', 'GET /api/openapi.json', 'POST /api/v1/session'];
const PUBLIC = new Set();

let srv;
let routes = [];
const users = {}; // name -> {login, password, cookie}

before(async () => {
  srv = await startServer();
  const r = await rexin(['routes']);
  assert.equal(r.code, 0);
  routes = r.stdout.trim().split('\n').map((l) => {
    const [method, pattern] = l.split(' ');
    return { method, pattern };
  });
  const doc = (await api(srv.url, '/api/openapi.json')).json;
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(item)) {
      if (Array.isArray(op.security) && op.security.length === 0) PUBLIC.add(`${m.toUpperCase()} ${p}`);
    }
  }
  await addUser(srv.dataDir, 'walk-volunteer', 'walk-pass-123', { roles: [['volunteer', '英协社区']] });
  await addUser(srv.dataDir, 'walk-other-admin', 'walk-pass-123', { roles: [['community_admin', '西堡社区']] });
  users.volunteer = { login: 'walk-volunteer', password: 'walk-pass-123' };
  users.otherAdmin = { login: 'walk-other-admin', password: 'walk-pass-123' };
  users.admin = { login: 'admin', password: 'admin-test-pw-1' };
  for (const u of Object.values(users)) u.cookie = await login(srv.url, u.login, u.password);
});
after(async () => {
  const r = await srv.stop();
  assert.equal(r.code, 0, `server exit ${JSON.stringify(r)}\n${srv.stderr().slice(-4000)}`);
});

const fill = (pattern, id) => pattern.replace(/\{[^}]+\}/g, String(id));
// Log-outs last, so they do not end the sessions the other calls use.
const ordered = () => [...routes].sort((a, b) => (a.method === 'DELETE' && a.pattern === '/api/v1/session') - (b.method === 'DELETE' && b.pattern === '/api/v1/session'));

async function call(route, id, cookie) {
  const p = fill(route.pattern, id);
  const opts = { method: route.method, cookie, headers: { 'Accept-Language': 'en' } };
  if (route.method !== 'GET' && route.method !== 'DELETE') opts.body = {};
  if (route.method === 'DELETE') opts.headers.Origin = srv.url;
  const res = await api(srv.url, p, opts);
  return { ...res, where: `${route.method} ${p}` };
}

function wellFormed(res) {
  assert.ok(res.status < 500, `${res.where} answered ${res.status}: ${res.text.slice(0, 300)}`);
  // /verify/{number} is the public HTML page a certificate's QR code opens: it answers its
  // 404 and 429 as HTML for the person holding the phone (its JSON twin is under /api/v1).
  if (res.status >= 400 && res.where.startsWith('GET /verify/')) {
    assert.match(res.headers.get('content-type') || '', /^text\/html/, res.where);
    return;
  }
  if (res.status >= 400) {
    assert.match(res.headers.get('content-type') || '', /^application\/problem\+json/, res.where);
    assert.equal(res.json.status, res.status, res.where);
    assert.ok(res.json.code, `${res.where} has a problem code`);
    assert.ok(res.json.title, `${res.where} has a title`);
  }
}

test('the route table is not empty and has the public routes', () => {
  const keys = routes.map((r) => `${r.method} ${r.pattern}`);
  for (const p of ALWAYS_PUBLIC) {
    assert.ok(keys.includes(p), p);
    assert.ok(PUBLIC.has(p), `${p} is marked security: [] in openapi.json`);
  }
});

test('anonymous: 401 on every route but the public ones', async () => {
  for (const route of ordered()) {
    const key = `${route.method} ${route.pattern}`;
    for (const id of [1, 999999]) {
      const res = await call(route, id, null);
      wellFormed(res);
      if (PUBLIC.has(key)) {
        assert.notEqual(res.status, 401, `${res.where} is public`);
      } else {
        assert.equal(res.status, 401, `${res.where} must need a log-in, answered ${res.status}`);
        assert.equal(res.json.code, 'unauthenticated', res.where);
      }
      if (!route.pattern.includes('{')) break;
    }
  }
});

for (const who of ['volunteer', 'otherAdmin', 'admin']) {
  test(`${who}: every route answers without a server error`, async () => {
    const u = users[who];
    for (const route of ordered()) {
      for (const id of [1, 999999]) {
        // A call may have ended the session (log-out, password change): log in again.
        if ((await api(srv.url, '/api/v1/me', { cookie: u.cookie })).status === 401) {
          u.cookie = await login(srv.url, u.login, u.password);
        }
        const res = await call(route, id, u.cookie);
        wellFormed(res);
        if (!PUBLIC.has(`${route.method} ${route.pattern}`)) {
          assert.notEqual(res.status, 401, `${res.where} as ${who}: logged in, yet 401`);
        }
        if (!route.pattern.includes('{')) break;
      }
    }
  });
}

test('scope: the audit log is for city-level auditors only', async () => {
  // The one scoped read in the foundation: other resources bring their own scope tests.
  for (const [who, status] of [['volunteer', 403], ['otherAdmin', 403], ['admin', 200]]) {
    const u = users[who];
    if ((await api(srv.url, '/api/v1/me', { cookie: u.cookie })).status === 401) u.cookie = await login(srv.url, u.login, u.password);
    const res = await api(srv.url, '/api/v1/audit-log', { cookie: u.cookie });
    assert.equal(res.status, status, who);
  }
});
