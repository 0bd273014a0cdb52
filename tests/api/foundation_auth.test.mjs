// Foundation (issue 2), accounts and access: log-in by username and phone, localised
// problems, log-out, cookie flags, Origin checks, bearer tokens, idempotent retries, audit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login, ADMIN_PASSWORD } from '../lib/server.mjs';
import { rexin, addUser } from '../lib/util.mjs';

let srv;
before(async () => {
  srv = await startServer();
  await addUser(srv.dataDir, 'wang', 'wang-pass-123', { phone: '13812345678' });
});
after(async () => {
  const r = await srv.stop();
  assert.equal(r.code, 0, `server exit ${JSON.stringify(r)}\n${srv.stderr().slice(-4000)}`);
});

const me = (cookie, headers) => api(srv.url, '/api/v1/me', { cookie, headers });
const auditItems = async (cookie, query = '') =>
  (await api(srv.url, `/api/v1/audit-log?limit=200${query}`, { cookie })).json.items;

test('log in by username answers the user and sets an HttpOnly SameSite=Lax cookie', async () => {
  const res = await api(srv.url, '/api/v1/session', { method: 'POST', body: { login: 'admin', password: ADMIN_PASSWORD } });
  assert.equal(res.status, 200);
  assert.equal(res.json.user.username, 'admin');
  const sc = res.headers.getSetCookie().find((c) => c.startsWith('rexin_session='));
  assert.ok(sc, 'session cookie set');
  const attrs = sc.split(';').map((a) => a.trim().toLowerCase());
  assert.ok(attrs.includes('httponly'));
  assert.ok(attrs.includes('samesite=lax'));
  assert.ok(attrs.includes('path=/'));
  assert.ok(!attrs.includes('secure'), 'plain http: no Secure');
  // 32 random bytes, base64url: 43 characters.
  assert.match(res.cookie, /^rexin_session=[A-Za-z0-9_-]{43}$/);
  const who = await me(res.cookie);
  assert.equal(who.status, 200);
  assert.equal(who.json.username, 'admin');
  assert.deepEqual(who.json.roles.map((r) => [r.role, r.org_unit_name]), [['city_admin', '郑州市']]);
});

test('log in by phone number', async () => {
  const cookie = await login(srv.url, '13812345678', 'wang-pass-123');
  const who = await me(cookie);
  assert.equal(who.json.username, 'wang');
  assert.equal(who.json.phone, '13812345678');
});

test('wrong password: 401 problem in Chinese by default, English on request', async () => {
  const body = { login: 'wang', password: 'not-the-password' };
  const zh = await api(srv.url, '/api/v1/session', { method: 'POST', body });
  assert.equal(zh.status, 401);
  assert.match(zh.headers.get('content-type'), /^application\/problem\+json/);
  assert.equal(zh.json.code, 'login_failed');
  assert.equal(zh.json.title, '账号或密码错误');
  assert.equal(zh.cookie, null);
  const en = await api(srv.url, '/api/v1/session', { method: 'POST', body, headers: { 'Accept-Language': 'en-US,en;q=0.9' } });
  assert.equal(en.status, 401);
  assert.equal(en.json.title, 'Wrong username or password');
  const zhFirst = await api(srv.url, '/api/v1/session', {
    method: 'POST', body, headers: { 'Accept-Language': 'zh-CN,zh;q=0.9,en;q=0.8' },
  });
  assert.equal(zhFirst.json.title, '账号或密码错误');
  // Field messages follow the language too.
  const fieldsZh = await api(srv.url, '/api/v1/session', { method: 'POST', body: { login: 'wang' } });
  assert.equal(fieldsZh.status, 400);
  assert.deepEqual(fieldsZh.json.errors, [{ field: 'password', code: 'required', message: '必填' }]);
  const fieldsEn = await api(srv.url, '/api/v1/session', {
    method: 'POST', body: { login: 'wang', extra: 1 }, headers: { 'Accept-Language': 'en' },
  });
  assert.equal(fieldsEn.json.title, 'The request has invalid fields');
  assert.deepEqual(fieldsEn.json.errors.map((e) => [e.field, e.code, e.message]), [
    ['password', 'required', 'is required'],
    ['extra', 'unknown_field', 'is not a known field'],
  ]);
  // An unknown account answers exactly like a wrong password.
  const nobody = await api(srv.url, '/api/v1/session', { method: 'POST', body: { login: 'nobody-here', password: 'x' } });
  assert.equal(nobody.status, 401);
  assert.equal(nobody.json.code, 'login_failed');
});

test('log-out ends the session; the old cookie is refused', async () => {
  const cookie = await login(srv.url);
  assert.equal((await me(cookie)).status, 200);
  const out = await api(srv.url, '/api/v1/session', { method: 'DELETE', cookie, headers: { Origin: srv.url } });
  assert.equal(out.status, 204);
  const cleared = out.headers.getSetCookie().find((c) => c.startsWith('rexin_session='));
  assert.match(cleared, /Max-Age=0/);
  const after = await me(cookie);
  assert.equal(after.status, 401);
  assert.equal(after.json.code, 'unauthenticated');
  // Without any session the log-out itself is 401.
  assert.equal((await api(srv.url, '/api/v1/session', { method: 'DELETE', headers: { Origin: srv.url } })).status, 401);
});

test('DELETE /api/v1/session?all=true ends every session of the user, not others', async () => {
  const a = await login(srv.url, 'wang', 'wang-pass-123');
  const b = await login(srv.url, 'wang', 'wang-pass-123');
  const other = await login(srv.url);
  const out = await api(srv.url, '/api/v1/session?all=true', { method: 'DELETE', cookie: a, headers: { Origin: srv.url } });
  assert.equal(out.status, 204);
  assert.equal((await me(a)).status, 401);
  assert.equal((await me(b)).status, 401);
  assert.equal((await me(other)).status, 200);
});

test('cookie writes need a matching Origin (403); bearer token writes do not', async () => {
  const cookie = await login(srv.url, 'wang', 'wang-pass-123');
  const evil = await api(srv.url, '/api/v1/session', {
    method: 'DELETE', cookie, headers: { Origin: 'http://evil.example' },
  });
  assert.equal(evil.status, 403);
  assert.equal(evil.json.code, 'bad_origin');
  const port = new URL(srv.url).port;
  const otherPort = await api(srv.url, '/api/v1/session', {
    method: 'DELETE', cookie, headers: { Origin: `http://127.0.0.1:${Number(port) + 1}` },
  });
  assert.equal(otherPort.status, 403);
  const crossSite = await api(srv.url, '/api/v1/session', {
    method: 'DELETE', cookie, headers: { 'Sec-Fetch-Site': 'cross-site' },
  });
  assert.equal(crossSite.status, 403);
  assert.equal((await me(cookie)).status, 200, 'refused writes did nothing');
  // Reads need no Origin.
  assert.equal((await me(cookie, { Origin: 'http://evil.example' })).status, 200);

  const t = await rexin(['token', 'create', 'wang', '--name', 'ci', '--data', srv.dataDir]);
  assert.equal(t.code, 0, t.stderr);
  const token = t.stdout.trim().split('\n').at(-1);
  const bearer = { Authorization: `Bearer ${token}`, Origin: 'http://evil.example' };
  const res = await api(srv.url, '/api/v1/me/password', {
    method: 'PUT', headers: bearer, body: { current_password: 'wang-pass-123', new_password: 'wang-pass-456' },
  });
  assert.equal(res.status, 204, res.text);
  await login(srv.url, 'wang', 'wang-pass-456');
});

test('bearer tokens: shown once, work for reads and writes, revocable', async () => {
  const t = await rexin(['token', 'create', 'admin', '--data', srv.dataDir]);
  assert.equal(t.code, 0, t.stderr);
  const m = /^token (\d+) for admin/m.exec(t.stdout);
  assert.ok(m, t.stdout);
  const token = t.stdout.trim().split('\n').at(-1);
  assert.match(token, /^rx_[A-Za-z0-9_-]{40,}$/);
  const auth = { Authorization: `Bearer ${token}` };
  const who = await me(null, auth);
  assert.equal(who.status, 200);
  assert.equal(who.json.username, 'admin');
  assert.equal((await me(null, { Authorization: `Bearer ${token}x` })).status, 401);
  assert.equal((await me(null, { Authorization: 'Bearer ' })).status, 401);
  const r = await rexin(['token', 'revoke', m[1], '--data', srv.dataDir]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await me(null, auth)).status, 401);
  const again = await rexin(['token', 'revoke', m[1], '--data', srv.dataDir]);
  assert.match(again.stderr, /no active token/);
});

test('Idempotency-Key: a retry answers the first answer and does not act twice', async () => {
  await addUser(srv.dataDir, 'li', 'li-pass-1234');
  const t = await rexin(['token', 'create', 'li', '--data', srv.dataDir]);
  const token = t.stdout.trim().split('\n').at(-1);
  const headers = { Authorization: `Bearer ${token}`, 'Idempotency-Key': 'change-1' };
  const body = { current_password: 'li-pass-1234', new_password: 'li-pass-5678' };
  const first = await api(srv.url, '/api/v1/me/password', { method: 'PUT', headers, body });
  assert.equal(first.status, 204, first.text);
  const retry = await api(srv.url, '/api/v1/me/password', { method: 'PUT', headers, body });
  assert.equal(retry.status, 204, retry.text);
  // The same key on another path is an error, not a replay.
  const other = await api(srv.url, '/api/v1/session?all=true', { method: 'DELETE', headers });
  assert.equal(other.status, 422);
  assert.equal(other.json.code, 'idempotency_key_reused');
  // Acted once: one audit entry, and the new password works.
  const admin = await login(srv.url);
  const liId = (await me(null, { Authorization: `Bearer ${token}` })).json.id;
  const changes = (await auditItems(admin, `&entity=user&entity_id=${liId}`)).filter((e) => e.action === 'change_password');
  assert.equal(changes.length, 1);
  await login(srv.url, 'li', 'li-pass-5678');
  // Keys belong to their user: another user's identical key acts on its own.
  const wangToken = (await rexin(['token', 'create', 'wang', '--data', srv.dataDir])).stdout.trim().split('\n').at(-1);
  const wang = await api(srv.url, '/api/v1/me/password', {
    method: 'PUT', headers: { Authorization: `Bearer ${wangToken}`, 'Idempotency-Key': 'change-1' },
    body: { current_password: 'wrong-password', new_password: 'whatever-123' },
  });
  assert.equal(wang.status, 400);
});

test('changing the password keeps this session and ends the others', async () => {
  await addUser(srv.dataDir, 'zhao', 'zhao-pass-123');
  const here = await login(srv.url, 'zhao', 'zhao-pass-123');
  const elsewhere = await login(srv.url, 'zhao', 'zhao-pass-123');
  const res = await api(srv.url, '/api/v1/me/password', {
    method: 'PUT', cookie: here, body: { current_password: 'zhao-pass-123', new_password: 'zhao-pass-456' },
  });
  assert.equal(res.status, 204, res.text);
  assert.equal((await me(here)).status, 200);
  assert.equal((await me(elsewhere)).status, 401);
  const weak = await api(srv.url, '/api/v1/me/password', {
    method: 'PUT', cookie: here, body: { current_password: 'zhao-pass-456', new_password: 'short' },
  });
  assert.equal(weak.status, 400);
  assert.deepEqual(weak.json.errors.map((e) => [e.field, e.code]), [['new_password', 'weak_password']]);
});

test('the audit log records log-in and log-out with the address', async () => {
  await addUser(srv.dataDir, 'sun', 'sun-pass-123');
  const cookie = await login(srv.url, 'sun', 'sun-pass-123');
  await api(srv.url, '/api/v1/session', { method: 'DELETE', cookie, headers: { Origin: srv.url } });
  await api(srv.url, '/api/v1/session', { method: 'POST', body: { login: 'sun', password: 'wrong-one' } });
  const admin = await login(srv.url);
  const items = await auditItems(admin);
  const sun = items.filter((e) => e.username === 'sun');
  const actions = sun.map((e) => e.action);
  assert.ok(actions.includes('login'), JSON.stringify(sun));
  assert.ok(actions.includes('logout'));
  for (const e of sun) {
    assert.equal(e.ip, '127.0.0.1');
    assert.ok(Math.abs(e.at - Date.now() / 1000) < 60, 'recent unix time');
  }
  const failed = items.find((e) => e.action === 'login_failed');
  assert.ok(failed, 'failed log-ins are audited');
  assert.equal(failed.ip, '127.0.0.1');
  // Only city-level auditors read the whole log.
  const wang = await login(srv.url, 'wang', 'wang-pass-456');
  assert.equal((await api(srv.url, '/api/v1/audit-log', { cookie: wang })).status, 403);
  assert.equal((await api(srv.url, '/api/v1/audit-log')).status, 401);
});
