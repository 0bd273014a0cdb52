// Several servers behind a reverse proxy (docs/scaling.md): the client's address comes from
// the proxy's X-Real-IP header, believed only from --trusted-proxies, so per-address login
// throttling and the audit log see the people behind the proxy, not the proxy itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from '../lib/server.mjs';
import { stopChecked } from '../lib/registry_fixtures.mjs';

let P, D;

before(async () => {
  P = await startServer({ args: ['--trusted-proxies', '10.9.9.9, 127.0.0.1'] });
  D = await startServer();
});

after(async () => {
  if (P) await stopChecked(P);
  if (D) await stopChecked(D);
});

const attempt = (s, loginName, password, ip) =>
  api(s.url, '/api/v1/session', { body: { login: loginName, password }, headers: { 'X-Real-IP': ip } });

test('behind a trusted proxy, throttling counts each client address on its own', async () => {
  // 20 failures (the per-address limit) from one client, on different logins.
  for (let i = 0; i < 20; i++) {
    const r = await attempt(P, `ghost-${i}`, 'wrong-password', '203.0.113.7');
    assert.equal(r.status, 401, `attempt ${i + 1}`);
  }
  // That client is throttled even with the right password...
  assert.equal((await attempt(P, 'admin', 'admin-test-pw-1', '203.0.113.7')).status, 429);
  // ...the others behind the same proxy are not.
  assert.equal((await attempt(P, 'admin', 'admin-test-pw-1', '2001:db8::1')).status, 200);
  const cookie = await login(P.url);
  const log = await api(P.url, '/api/v1/audit-log?entity=user', { cookie });
  const failed = log.json.items.filter((e) => e.action === 'login_failed');
  assert.equal(failed.length, 20);
  assert.ok(failed.every((e) => e.ip === '203.0.113.7'));
});

test('X-Real-IP is ignored from untrusted peers and when it is not an address', async () => {
  assert.equal((await attempt(D, 'nobody-here', 'x', '198.51.100.1')).status, 401);
  assert.equal((await attempt(P, 'nobody-there', 'x', '1.2.3.4; DROP TABLE')).status, 401);
  const logD = await api(D.url, '/api/v1/audit-log?entity=user', { cookie: await login(D.url) });
  assert.deepEqual(logD.json.items.filter((e) => e.action === 'login_failed').map((e) => e.ip), ['127.0.0.1']);
  const logP = await api(P.url, '/api/v1/audit-log?entity=user', { cookie: await login(P.url) });
  const last = logP.json.items.find((e) => e.action === 'login_failed');
  assert.equal(last.ip, '127.0.0.1');
});
