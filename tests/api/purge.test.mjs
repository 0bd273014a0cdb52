// Housekeeping: the periodic sweep purges expired sessions, log-in attempts older than an
// hour (the throttle counts 15 minutes) and idempotency keys older than max(24 h,
// session-max), at most 2000 rows of each per sweep (api/purge.c). Driven with the test
// clock and POST /api/v1/test/sweep; rows are looked at in the database itself.
//
// The server runs with --session-max 10800 (3 h), so idempotency keys are kept the 24 h floor.
// Times only move forward through the file; each test first sweeps what earlier ones left.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, serverSql } from '../lib/server.mjs';
import { rexin, addUser } from '../lib/util.mjs';

let srv;
let admin; // bearer token headers: tokens do not expire when the clock jumps
const totals = { sessions: 0, login_attempts: 0, idempotency_keys: 0 };

before(async () => {
  srv = await startServer({
    env: { REXIN_TEST_CLOCK: '1' },
    args: ['--session-max', '10800', '--help-sweep-seconds', '0'],
  });
  const t = await rexin(['token', 'create', 'admin', '--data', srv.dataDir]);
  assert.equal(t.code, 0, t.stderr);
  admin = { Authorization: `Bearer ${t.stdout.trim().split('\n').at(-1)}` };
  await addUser(srv.dataDir, 'wang', 'wang-pass-123');
  await addUser(srv.dataDir, 'zhao', 'zhao-pass-123');
});
after(async () => {
  const r = await srv.stop();
  assert.equal(r.code, 0, `server exit ${JSON.stringify(r)}\n${srv.stderr().slice(-4000)}`);
});

const sql = (text) => serverSql(srv, text);
const count = (text) => Number(sql(text));
const epoch = (iso) => Math.floor(Date.parse(iso) / 1000);

async function clock(now) {
  const r = await api(srv.url, '/api/v1/test/clock', { method: 'PUT', headers: admin, body: { now } });
  assert.equal(r.status, 200, r.text);
}

async function sweep() {
  const r = await api(srv.url, '/api/v1/test/sweep', { method: 'POST', headers: admin, body: {} });
  assert.equal(r.status, 200, r.text);
  totals.sessions += r.json.sessions_purged;
  totals.login_attempts += r.json.login_attempts_purged;
  totals.idempotency_keys += r.json.idempotency_keys_purged;
  return r.json;
}

const logIn = (login, password) => api(srv.url, '/api/v1/session', { method: 'POST', body: { login, password } });
const me = (cookie) => api(srv.url, '/api/v1/me', { cookie });

async function cookieOf(login, password) {
  const r = await logIn(login, password);
  assert.equal(r.status, 200, r.text);
  return r.cookie;
}

test('expired sessions stop working and their rows go at the next sweep; live ones stay', async () => {
  await clock('2030-03-01T08:00:00+08:00');
  await sweep();
  const idle = await cookieOf('wang', 'wang-pass-123'); // used once, then left (idle limit 2 h)
  const busy = await cookieOf('wang', 'wang-pass-123'); // used every 1.5 h (absolute limit 3 h)
  const fresh = () => count(`SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'wang'`);
  assert.equal(fresh(), 2);

  await clock('2030-03-01T09:30:00+08:00');
  assert.equal((await me(busy)).status, 200); // touches last_seen
  await clock('2030-03-01T10:01:00+08:00');
  assert.equal((await me(idle)).status, 401, 'idle 2 h 1 min: refused');
  // Idle past the limit but within the 5-minute grace: refused, yet not purged.
  let s = await sweep();
  assert.equal(s.sessions_purged, 0);
  assert.equal(fresh(), 2);

  await clock('2030-03-01T10:06:00+08:00'); // idle 2 h 6 min > 2 h + 5 min
  s = await sweep();
  assert.equal(s.sessions_purged, 1);
  assert.equal(fresh(), 1);
  assert.equal((await me(idle)).status, 401);
  assert.equal((await me(busy)).status, 200, 'the session in use is untouched');

  // Absolute expiry (3 h after log-in) ends even a session in use.
  await clock('2030-03-01T10:59:00+08:00');
  assert.equal((await me(busy)).status, 200);
  s = await sweep();
  assert.equal(s.sessions_purged, 0);
  await clock('2030-03-01T11:01:00+08:00');
  assert.equal((await me(busy)).status, 401);
  s = await sweep();
  assert.equal(s.sessions_purged, 1);
  assert.equal(fresh(), 0);
});

test('log-in attempts: older than an hour purged, recent kept, throttling holds across sweeps', async () => {
  await clock('2030-03-05T08:00:00+08:00');
  await sweep(); // whatever earlier tests left is over an hour old
  assert.equal(count('SELECT count(*) FROM login_attempts'), 0);

  for (let i = 0; i < 5; i++) assert.equal((await logIn('zhao', `wrong-${i}`)).status, 401);
  assert.equal((await logIn('zhao', 'zhao-pass-123')).status, 429);
  await clock('2030-03-05T08:14:00+08:00');
  let s = await sweep();
  assert.equal(s.login_attempts_purged, 0, 'inside the 15-minute window nothing goes');
  const r = await logIn('zhao', 'zhao-pass-123');
  assert.equal(r.status, 429, 'still throttled after the sweep');
  const wait = Number(r.headers.get('retry-after'));
  assert.ok(wait >= 59 && wait <= 60, `Retry-After ${wait}: 08:00 + 15 min - 08:14`);

  // 30 minutes on: the window is over, the rows are kept (an hour).
  await clock('2030-03-05T08:30:00+08:00');
  s = await sweep();
  assert.equal(s.login_attempts_purged, 0);
  assert.equal(count(`SELECT count(*) FROM login_attempts WHERE login = 'zhao'`), 5);
  assert.equal((await logIn('zhao', 'zhao-pass-123')).status, 200);

  // 08:45: four more failures. At 09:01 the five of 08:00 and the success of 08:30 are over
  // an hour old; the four stay, and one more failure throttles again.
  await clock('2030-03-05T08:45:00+08:00');
  for (let i = 0; i < 4; i++) assert.equal((await logIn('zhao', `again-${i}`)).status, 401);
  await clock('2030-03-05T09:31:00+08:00');
  s = await sweep();
  assert.equal(s.login_attempts_purged, 6);
  const left = sql(`SELECT ok, count(*) FROM login_attempts WHERE login = 'zhao' GROUP BY ok ORDER BY ok`);
  assert.equal(left, '0|4');
  // 09:31 is 46 minutes after 08:45, outside the window: the four no longer count. Five fresh
  // failures throttle as before, across a sweep.
  for (let i = 0; i < 5; i++) assert.equal((await logIn('zhao', `late-${i}`)).status, 401);
  await sweep();
  assert.equal((await logIn('zhao', 'zhao-pass-123')).status, 429);
});

test('at most 2000 rows of a table go per sweep; the rest at the next ones', async () => {
  await clock('2030-03-06T08:00:00+08:00');
  await sweep();
  sql(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500)
       INSERT INTO login_attempts(login, ip, at, ok) SELECT 'bulk', '10.0.0.1', ${epoch('2030-03-01T00:00:00Z')}, 0 FROM n;`);
  assert.equal((await sweep()).login_attempts_purged, 2000);
  assert.equal(count(`SELECT count(*) FROM login_attempts WHERE login = 'bulk'`), 500);
  assert.equal((await sweep()).login_attempts_purged, 500);
  assert.equal((await sweep()).login_attempts_purged, 0);
});

test('idempotency keys: kept 24 h (the floor, session-max being 3 h), a recent one still replays', async () => {
  await clock('2030-03-10T08:00:00+08:00');
  await sweep();
  const community = count(`SELECT id FROM org_units WHERE name = '荣华社区'`);
  const culture = count(`SELECT id FROM service_categories WHERE code = 'culture'`);
  const create = (key, name) => api(srv.url, '/api/v1/service-categories', {
    method: 'POST',
    headers: { ...admin, 'Idempotency-Key': key },
    body: { org_unit_id: community, parent_id: culture, name },
  });
  const keys = () => sql(`SELECT key FROM idempotency_keys WHERE key LIKE 'purge-%' ORDER BY key`).split('\n').filter(Boolean);

  const old = await create('purge-old', '旧的类别');
  assert.equal(old.status, 201, old.text);
  await clock('2030-03-10T20:00:00+08:00');
  const recent = await create('purge-recent', '新的类别');
  assert.equal(recent.status, 201, recent.text);

  await clock('2030-03-11T07:59:00+08:00'); // 23 h 59 min: both kept
  let s = await sweep();
  assert.equal(s.idempotency_keys_purged, 0);
  assert.deepEqual(keys(), ['purge-old', 'purge-recent']);

  await clock('2030-03-11T08:01:00+08:00'); // 24 h 1 min after the first
  s = await sweep();
  assert.equal(s.idempotency_keys_purged, 1);
  assert.deepEqual(keys(), ['purge-recent']);

  const replay = await create('purge-recent', '新的类别');
  assert.equal(replay.status, 201);
  assert.equal(replay.text, recent.text, 'the first answer, replayed');
  assert.equal(replay.headers.get('location'), recent.headers.get('location'));
  assert.equal(count(`SELECT count(*) FROM service_categories WHERE name = '新的类别'`), 1, 'acted once');
  // The purged key is forgotten: a retry now acts again (and the name is taken).
  assert.equal((await create('purge-old', '旧的类别')).status, 409);
});

test('/metrics counts the rows purged', async () => {
  const m = await api(srv.url, '/metrics');
  assert.equal(m.status, 200);
  const v = (table) => Number(new RegExp(`^rexin_purged_rows_total\\{table="${table}"\\} (\\d+)$`, 'm').exec(m.text)[1]);
  assert.equal(v('sessions'), totals.sessions);
  assert.equal(v('login_attempts'), totals.login_attempts);
  assert.equal(v('idempotency_keys'), totals.idempotency_keys);
  assert.ok(totals.sessions >= 2 && totals.login_attempts >= 2506 && totals.idempotency_keys >= 1);
});
