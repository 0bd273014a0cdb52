// Lost PostgreSQL connections (a failover, a restarted pooler, an administrator killing
// sessions): the server re-establishes them without failing more than the requests in
// flight. Runs under tests/pg/run.sh (REXIN_TEST_DB).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login, testPsql } from '../lib/server.mjs';
import { stopChecked } from '../lib/registry_fixtures.mjs';

const PG = !!process.env.REXIN_TEST_DB;
const skip = PG ? false : 'needs PostgreSQL: run tests/pg/run.sh (make test-pg)';
let S, dbName;

async function killConnections() {
  const n = await testPsql(
    `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '${dbName}' AND pid <> pg_backend_pid()`,
  );
  return Number(n.trim());
}

before(async () => {
  if (!PG) return;
  S = await startServer();
  dbName = /^postgres(?:ql)?:\/\/[^/?]*\/([^?]*)/.exec(S.dbUrl)[1];
});

after(async () => {
  if (S) await stopChecked(S);
});

test('after every connection is killed, the next reads and writes succeed', { skip }, async () => {
  const cookie = await login(S.url);
  assert.equal((await api(S.url, '/api/v1/me', { cookie })).status, 200);
  // 1 main/writer + 3 writers + at least the reader that answered above.
  assert.ok((await killConnections()) >= 5);
  // Reads outside a transaction reconnect and run again at once.
  for (let i = 0; i < 6; i++) {
    const r = await api(S.url, '/api/v1/me', { cookie });
    assert.equal(r.status, 200, `read ${i}: ${r.text}`);
  }
  // Writers find their connection dead at BEGIN, reconnect and go on: every login works,
  // whichever of the writers takes it.
  const cookies = [];
  for (let i = 0; i < 8; i++) cookies.push(await login(S.url));
  for (const c of cookies) assert.equal((await api(S.url, '/api/v1/me', { cookie: c })).status, 200);
  // Once more while requests run: each answers 200 or, if it was in flight on a dying
  // connection, 503 with Retry-After; the ones after that all succeed.
  const burst = Promise.all(Array.from({ length: 10 }, () => api(S.url, '/api/v1/me', { cookie })));
  await killConnections();
  for (const r of await burst) {
    assert.ok(r.status === 200 || (r.status === 503 && r.headers.get('retry-after')), `${r.status} ${r.text}`);
  }
  for (let i = 0; i < 4; i++) assert.equal((await api(S.url, '/api/v1/me', { cookie })).status, 200);
  assert.equal((await api(S.url, '/api/v1/session', { method: 'DELETE', cookie })).status, 204);
});

test('the store reports PostgreSQL retries in /metrics', { skip }, async () => {
  const m = await api(S.url, '/metrics');
  assert.equal(m.status, 200);
  assert.match(m.text, /^rexin_db_retries_total \d+$/m);
});
