// `rexin migrate --from sqlite:PATH --to postgresql://...`: a community's SQLite data moves to
// PostgreSQL with equal figures, ids kept and sequences advanced; a copy that cannot be
// completed leaves the target untouched. Runs under tests/pg/run.sh (REXIN_TEST_DB).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { startServer, api, login, rexinBin, createTestDb, dropTestDb, testPsql, ADMIN_PASSWORD } from '../lib/server.mjs';

const PG = !!process.env.REXIN_TEST_DB;
const skip = PG ? false : 'needs PostgreSQL: run tests/pg/run.sh (make test-pg)';

let dir, tok, snapshot, dbs = [];

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

const sqlite3 = (file, sql) =>
  new Promise((resolve, reject) =>
    execFile('sqlite3', [file, sql], (e, out, err) => (e ? reject(new Error(err || e.message)) : resolve(out))),
  );

async function freshDb() {
  const db = await createTestDb();
  dbs.push(db.name);
  return db;
}

async function everything(url) {
  const headers = { Authorization: `Bearer ${tok}` };
  const me = await api(url, '/api/v1/me', { headers });
  assert.equal(me.status, 200, me.text);
  const audit = [];
  let cursor = null;
  do {
    const r = await api(url, `/api/v1/audit-log?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { headers });
    assert.equal(r.status, 200, r.text);
    audit.push(...r.json.items);
    cursor = r.json.next_cursor;
  } while (cursor);
  return { me: me.json, audit };
}

before(async () => {
  if (!PG) return;
  // A community on the embedded default, with a little history.
  const s = await startServer({ sqlite: true });
  dir = s.dataDir;
  let r = await cli(['user', 'add', 'mig-lead', '--phone=13812345678', '--data', dir], { REXIN_PASSWORD: 'lead-password-1' });
  assert.equal(r.code, 0, r.err);
  r = await cli(['user', 'grant', 'mig-lead', 'city_admin', '410100000000', '--data', dir]);
  assert.equal(r.code, 0, r.err);
  r = await cli(['user', 'grant', 'mig-lead', 'community_admin', '荣华社区', '--data', dir]);
  assert.equal(r.code, 0, r.err);
  r = await cli(['token', 'create', 'mig-lead', '--data', dir]);
  assert.equal(r.code, 0, r.err);
  tok = r.out.trim().split('\n').pop();
  for (let i = 0; i < 3; i++) await login(s.url);
  const bad = await api(s.url, '/api/v1/session', { body: { login: 'mig-lead', password: 'nope-nope' } });
  assert.equal(bad.status, 401);
  const c = await login(s.url, 'mig-lead', 'lead-password-1');
  assert.equal((await api(s.url, '/api/v1/session', { method: 'DELETE', cookie: c })).status, 204);
  snapshot = await everything(s.url);
  await s.stop({ keepData: true });
});

after(async () => {
  for (const name of dbs) await dropTestDb(name);
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

test('the SQLite data arrives in PostgreSQL with equal figures, ids and passwords', { skip }, async () => {
  const db = await freshDb();
  const r = await cli(['migrate', '--from', `sqlite:${path.join(dir, 'rexin.db')}`, '--to', db.url]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /copied \d+ rows in \d+ tables; \d+ counts and sums agree/);
  assert.match(r.out, /org_units\s+13 rows/);
  assert.match(r.out, /users\s+2 rows/);
  await fs.writeFile(path.join(dir, 'rexin.conf'), `db = ${db.url}\n`);
  const p = await startServer({ dataDir: dir });
  try {
    // The same answers, read through the copied API token.
    assert.deepEqual(await everything(p.url), snapshot);
    assert.deepEqual(snapshot.me.roles.map((g) => g.org_unit_name).sort(), ['荣华社区', '郑州市'].sort());
    // Old passwords work; the new session gets the id after the highest copied one, as
    // SQLite would have given it (the last session was logged out, so one below the
    // highest session id the audit log mentions).
    const maxSession = Number((await sqlite3(path.join(dir, 'rexin.db'), 'SELECT max(id) FROM sessions')).trim());
    assert.equal(maxSession, 3);
    await login(p.url, 'admin', ADMIN_PASSWORD);
    const top = (await api(p.url, '/api/v1/audit-log?limit=1', { headers: { Authorization: `Bearer ${tok}` } })).json.items[0];
    assert.equal(top.action, 'login');
    assert.equal(top.entity_id, maxSession + 1);
    assert.equal(top.id, snapshot.audit[0].id + 1);
  } finally {
    await p.stop({ keepData: true });
  }
  // A second copy into the same database is refused: it already has accounts.
  const again = await cli(['migrate', '--from', `sqlite:${path.join(dir, 'rexin.db')}`, '--to', db.url]);
  assert.equal(again.code, 1);
  assert.match(again.err, /already holds accounts/);
});

test('a copy that fails half-way leaves the target as it was (all or nothing)', { skip }, async () => {
  // A SQLite file with one value PostgreSQL refuses (text in an INTEGER column), in the last
  // row of a table that is copied after users and org units.
  const broken = path.join(dir, 'broken.db');
  await fs.copyFile(path.join(dir, 'rexin.db'), broken);
  await sqlite3(broken, "UPDATE sessions SET last_seen = 'yesterday' WHERE id = (SELECT max(id) FROM sessions)");
  const db = await freshDb();
  const r = await cli(['migrate', '--from', `sqlite:${broken}`, '--to', db.url]);
  assert.equal(r.code, 1);
  assert.match(r.err, /COPY into sessions failed/);
  const counts = await testPsql(
    "SELECT (SELECT count(*) FROM users) || ' ' || (SELECT count(*) FROM org_units) || ' ' || (SELECT count(*) FROM service_categories)",
    db.url,
  );
  // Nothing copied; the categories the migrations put there are still there.
  assert.equal(counts.trim(), '0 0 31');
});

test('a SQLite file at an older schema version is refused', { skip }, async () => {
  const old = path.join(dir, 'old.db');
  await fs.copyFile(path.join(dir, 'rexin.db'), old);
  await sqlite3(old, 'PRAGMA user_version = 1');
  const db = await freshDb();
  const r = await cli(['migrate', '--from', `sqlite:${old}`, '--to', db.url]);
  assert.equal(r.code, 1);
  assert.match(r.err, /schema version 1 .* run `rexin migrate --db sqlite:/);
});

test('a PostgreSQL database newer than the binary is refused and left alone', { skip }, async () => {
  const db = await freshDb();
  const r = await cli(['migrate', '--data', dir, '--db', db.url]);
  assert.equal(r.code, 0, r.err);
  await testPsql('UPDATE schema_version SET version = 999', db.url);
  const m = await cli(['migrate', '--data', dir, '--db', db.url]);
  assert.equal(m.code, 1);
  assert.match(m.err, /schema version 999 but this rexin knows only up to \d+; run a newer rexin/);
  assert.equal((await testPsql('SELECT version FROM schema_version', db.url)).trim(), '999');
});
