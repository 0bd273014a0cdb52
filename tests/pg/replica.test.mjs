// Reports on a read replica with read-your-writes (--db-read, RX_EXEC_REPORT routes such as
// GET /api/v1/audit-log). The "replica" here is a frozen copy of the primary made with
// CREATE DATABASE ... TEMPLATE, i.e. a replica lagging forever: whatever a report shows that
// the copy does not have proves it was read from the primary, and the other way round.
// Runs under tests/pg/run.sh (REXIN_TEST_DB).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startServer, api, rexinBin, testPsql, testDbUrl, dropTestDb } from '../lib/server.mjs';
import { stopChecked } from '../lib/registry_fixtures.mjs';

const PG = !!process.env.REXIN_TEST_DB;
const skip = PG ? false : 'needs PostgreSQL: run tests/pg/run.sh (make test-pg)';
const WINDOW = 2; // --read-your-writes seconds

let A, B, dirA, dirB, replicaName, tok, userId;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function cli(args, env = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(rexinBin(), args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (c) => (out += c));
    p.stderr.on('data', (c) => (err += c));
    p.once('error', reject);
    p.once('exit', (code) => resolve({ code, out, err }));
  });
}

const auth = () => ({ Authorization: `Bearer ${tok}` });

/** How many change_password entries of our user a report read through s shows. */
async function changes(s, headers = {}) {
  const r = await api(s.url, `/api/v1/audit-log?entity=user&entity_id=${userId}`, { headers: { ...auth(), ...headers } });
  assert.equal(r.status, 200, r.text);
  return r.json.items.filter((e) => e.action === 'change_password').length;
}

async function changePassword(s) {
  const r = await api(s.url, '/api/v1/me/password', {
    method: 'PUT',
    body: { current_password: 'report-password-1', new_password: 'report-password-1' },
    headers: auth(),
  });
  assert.equal(r.status, 204, r.text);
  return r;
}

before(async () => {
  if (!PG) return;
  // Seed the primary, make a user with a token, then freeze a copy as the replica.
  const first = await startServer();
  dirA = first.dataDir;
  let r = await cli(['user', 'add', 'reporter', '--data', dirA], { REXIN_PASSWORD: 'report-password-1' });
  assert.equal(r.code, 0, r.err);
  r = await cli(['user', 'grant', 'reporter', 'city_admin', '410100000000', '--data', dirA]);
  assert.equal(r.code, 0, r.err);
  r = await cli(['token', 'create', 'reporter', '--data', dirA]);
  assert.equal(r.code, 0, r.err);
  tok = r.out.trim().split('\n').pop();
  userId = (await api(first.url, '/api/v1/me', { headers: auth() })).json.id;
  await first.stop({ keepData: true });
  const primaryName = /^postgres(?:ql)?:\/\/[^/?]*\/([^?]*)/.exec(first.dbUrl)[1];
  replicaName = `${primaryName}_replica`;
  await testPsql(`CREATE DATABASE ${replicaName} TEMPLATE ${primaryName}`);
  const args = ['--db-read', testDbUrl(replicaName), '--read-your-writes', String(WINDOW)];
  A = await startServer({ dataDir: dirA, args });
  dirB = await fs.mkdtemp(path.join(os.tmpdir(), 'rexin-test-b-'));
  await fs.copyFile(path.join(dirA, 'secret.key'), path.join(dirB, 'secret.key'));
  await fs.writeFile(path.join(dirB, 'rexin.conf'), `db = ${first.dbUrl}\n`);
  B = await startServer({ dataDir: dirB, args });
});

after(async () => {
  if (B) await stopChecked(B);
  if (A) await stopChecked(A);
  for (const d of [dirA, dirB]) if (d) await fs.rm(d, { recursive: true, force: true });
  if (replicaName) await dropTestDb(replicaName);
});

test('reports read the replica, except for a user who just wrote (read-your-writes)', { skip }, async () => {
  assert.equal(await changes(A), 0);
  const w = await changePassword(A);
  const wrote = w.headers.get('x-rexin-wrote');
  assert.match(wrote || '', /^\d+$/);
  assert.match(w.headers.getSetCookie().join('\n'), /rexin_wrote=\d+; Path=\/; Max-Age=2/);
  // Right after the write: the primary, which has it.
  assert.equal(await changes(A), 1);
  // Another server does not know from memory, only from what the client brings back.
  assert.equal(await changes(B), 0, 'without the hint, B reads the (stale) replica');
  assert.equal(await changes(B, { 'X-Rexin-Wrote': wrote }), 1, 'header');
  assert.equal(await changes(B, { Cookie: `rexin_wrote=${wrote}` }), 1, 'cookie');
  // After the window, back to the replica, which never saw the write.
  await sleep((WINDOW + 1.2) * 1000);
  assert.equal(await changes(A), 0);
  assert.equal(await changes(B, { 'X-Rexin-Wrote': wrote }), 0);
  // A hint from the future is not believed.
  assert.equal(await changes(B, { 'X-Rexin-Wrote': String(Number(wrote) + 3600) }), 0);
});

test('a replica that cannot be reached falls back to the primary', { skip }, async () => {
  // Drop the replica under the servers: their connections break, reports still answer.
  await dropTestDb(replicaName);
  replicaName = null;
  const n = await changes(A);
  assert.equal(n, 1, 'the primary has the one change made above');
  assert.equal(await changes(B), 1);
});
