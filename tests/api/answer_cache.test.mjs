// The answer and credential caches (src/http/cache.h): a kept answer is only ever the answer
// the handler would give at that moment. Every way the truth can change is tried: a write
// through the API, a write by another process (the CLI, sqlite3), a logout, a revoked token,
// the clock passing a session's idle limit, and the cache turned off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as F from '../lib/activity_fixtures.mjs';
import { stopChecked } from '../lib/registry_fixtures.mjs';
import { rexinBin, startServer } from '../lib/server.mjs';

const { api } = F;
let srv, admin, staff, vol, yingxie, team, people;

async function cacheCounts(s = srv) {
  const m = await api(s.url, '/metrics');
  const hit = Number(/rexin_answer_cache_total\{result="hit"\} (\d+)/.exec(m.text)?.[1]);
  const miss = Number(/rexin_answer_cache_total\{result="miss"\} (\d+)/.exec(m.text)?.[1]);
  return { hit, miss };
}

const listPath = () => `/api/v1/activities?org_unit=${yingxie}&status=published&limit=20`;

before(async () => {
  srv = await F.startActivityServer();
  admin = await F.login(srv.url);
  await F.setClock(srv, admin, '2030-05-01T09:00:00+08:00');
  yingxie = await F.orgId(srv, '英协社区');
  const cleaning = await F.categoryId(srv, 'cleaning');
  people = await F.makeVolunteers(srv, { org: yingxie, n: 3 });
  team = await F.makeTeam(srv, admin, { org: yingxie, name: '缓存清扫队', category: cleaning, members: [{ person: people[0], role: 'leader' }] });
  staff = await F.makeUser(srv, 'cache_staff', { grants: [['community_admin', yingxie]] });
  vol = await F.makeUser(srv, 'cache_vol', { person: people[1] });
});

after(async () => {
  if (srv) await stopChecked(srv);
});

test('a repeated GET is answered from the cache with the same bytes', async () => {
  await F.makeActivity(srv, staff, { team_id: team, title: '缓存一', starts_at: '2030-05-06T09:00:00+08:00', ends_at: '2030-05-06T11:00:00+08:00' });
  const before = await cacheCounts();
  const a = await api(srv.url, listPath(), { cookie: vol });
  const b = await api(srv.url, listPath(), { cookie: vol });
  const c = await api(srv.url, listPath(), { cookie: vol });
  assert.equal(a.status, 200, a.text);
  assert.equal(b.text, a.text);
  assert.equal(c.text, a.text);
  assert.equal(c.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(c.headers.get('cache-control'), 'no-store');
  const after1 = await cacheCounts();
  if (srv.dbUrl) {
    // PostgreSQL: other servers' commits cannot be seen, so nothing is kept (cache.h)
    assert.deepEqual(after1, before, 'no answer kept on PostgreSQL');
    return;
  }
  // The server has one thread per core; each thread keeps its own, so of three identical
  // requests at least one (and at most two) ran the handler, and at least one was a hit.
  assert.ok(after1.hit - before.hit >= 1, `hits ${after1.hit - before.hit}`);
  assert.ok(after1.miss - before.miss >= 1);
  assert.equal(after1.hit - before.hit + after1.miss - before.miss, 3);
});

test('a sign-up through the API is seen by the very next read', async () => {
  const act = await F.makeActivity(srv, staff, { team_id: team, title: '缓存二', capacity: 5, starts_at: '2030-05-07T09:00:00+08:00', ends_at: '2030-05-07T11:00:00+08:00' });
  const path = `/api/v1/activities/${act.id}`;
  for (let i = 0; i < 3; i++) {
    const g = await api(srv.url, path, { cookie: vol });
    assert.equal(g.json.places_left, 5);
    assert.equal(g.json.my_signup, null);
  }
  const s = await api(srv.url, `/api/v1/activities/${act.id}/signups`, { method: 'POST', cookie: vol, body: {} });
  assert.equal(s.status, 201, s.text);
  for (let i = 0; i < 3; i++) {
    const g = await api(srv.url, path, { cookie: vol });
    assert.equal(g.json.places_left, 4, 'the sign-up is counted at once');
    assert.equal(g.json.my_signup?.status, 'confirmed');
  }
  // the same URL for another person is another answer
  const other = await api(srv.url, path, { cookie: staff });
  assert.equal(other.json.my_signup, null);
});

test('a change made by another process (sqlite3, the CLI) is seen at once', async () => {
  const act = await F.makeActivity(srv, staff, { team_id: team, title: '缓存三', starts_at: '2030-05-08T09:00:00+08:00', ends_at: '2030-05-08T11:00:00+08:00' });
  for (let i = 0; i < 3; i++) assert.equal((await api(srv.url, `/api/v1/activities/${act.id}`, { cookie: vol })).json.title, '缓存三');
  await F.exec(srv, `UPDATE activities SET title = '改过的标题' WHERE id = ${act.id};`);
  for (let i = 0; i < 3; i++) assert.equal((await api(srv.url, `/api/v1/activities/${act.id}`, { cookie: vol })).json.title, '改过的标题');

  // grants come from the credential cache: a grant by the CLI takes effect on the next request
  const plain = await F.makeUser(srv, 'cache_plain');
  const report = `/api/v1/reports/summary?org_unit=${yingxie}&from=2030-01-01&to=2030-12-31`;
  for (let i = 0; i < 3; i++) assert.notEqual((await api(srv.url, report, { cookie: plain })).status, 200);
  execFileSync(rexinBin(), ['user', 'grant', 'cache_plain', 'community_admin', String(yingxie), '--data', srv.dataDir], { stdio: 'ignore' });
  for (let i = 0; i < 3; i++) assert.equal((await api(srv.url, report, { cookie: plain })).status, 200);
  execFileSync(rexinBin(), ['user', 'revoke', 'cache_plain', 'community_admin', String(yingxie), '--data', srv.dataDir], { stdio: 'ignore' });
  for (let i = 0; i < 3; i++) assert.notEqual((await api(srv.url, report, { cookie: plain })).status, 200, 'revoked at once');
});

test('logging out and revoking a token end access at once', async () => {
  const own = await F.makeUser(srv, 'cache_logout', { person: people[2] });
  for (let i = 0; i < 3; i++) assert.equal((await api(srv.url, listPath(), { cookie: own })).status, 200);
  const out = await api(srv.url, '/api/v1/session', { method: 'DELETE', cookie: own });
  assert.ok(out.status === 204 || out.status === 200, out.text);
  for (let i = 0; i < 3; i++) assert.equal((await api(srv.url, listPath(), { cookie: own })).status, 401);

  const printed = execFileSync(rexinBin(), ['token', 'create', 'cache_vol', '--name=cache-test', '--data', srv.dataDir], { encoding: 'utf8' });
  const tokenId = /^token (\d+) /.exec(printed)[1];
  const bearer = { authorization: `Bearer ${printed.trim().split('\n').pop()}` };
  for (let i = 0; i < 3; i++) assert.equal((await api(srv.url, listPath(), { headers: bearer })).status, 200);
  execFileSync(rexinBin(), ['token', 'revoke', tokenId, '--data', srv.dataDir], { stdio: 'ignore' });
  for (let i = 0; i < 3; i++) assert.equal((await api(srv.url, listPath(), { headers: bearer })).status, 401);
});

test('a session past its idle limit ends even though nothing was committed', async () => {
  const s2 = await startServer({ env: { REXIN_TEST_CLOCK: '1' }, args: ['--session-idle', '3600'] });
  try {
    const a2 = await F.login(s2.url);
    await F.setClock(s2, a2, '2030-05-01T09:00:00+08:00');
    const a3 = await F.login(s2.url); // a2 went idle when the clock jumped to 2030
    const u = await F.login(s2.url);
    for (let i = 0; i < 3; i++) assert.equal((await api(s2.url, '/api/v1/service-categories', { cookie: u })).status, 200);
    // the test clock moves without a commit: the cached session must still expire
    await F.setClock(s2, a3, '2030-05-01T10:30:00+08:00');
    for (let i = 0; i < 3; i++) assert.equal((await api(s2.url, '/api/v1/service-categories', { cookie: u })).status, 401);
  } finally {
    await stopChecked(s2);
  }
});

test('Cache-Control: no-cache runs the handler', async () => {
  const p = '/api/v1/service-categories';
  await api(srv.url, p, { cookie: vol });
  const before = await cacheCounts();
  for (let i = 0; i < 4; i++) assert.equal((await api(srv.url, p, { cookie: vol, headers: { 'cache-control': 'no-cache' } })).status, 200);
  assert.deepEqual(await cacheCounts(), before, 'neither a hit nor a miss: the cache was not asked');
});

test('with --answer-cache-mib 0 nothing is kept', async () => {
  const s2 = await F.startActivityServer(['--answer-cache-mib', '0']);
  try {
    const c = await F.login(s2.url);
    for (let i = 0; i < 4; i++) assert.equal((await api(s2.url, '/api/v1/service-categories', { cookie: c })).status, 200);
    assert.deepEqual(await cacheCounts(s2), { hit: 0, miss: 0 });
  } finally {
    await stopChecked(s2);
  }
});
