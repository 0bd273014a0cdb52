// Foundation (issue 2), the binary: configuration sources and --print-config, migrate,
// refusing a newer database, online backup under load, user and role administration.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, api, login, ADMIN_PASSWORD } from '../lib/server.mjs';
import { rexin, addUser } from '../lib/util.mjs';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rexin-cli-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const sqlite = (db, sql) => execFileSync('sqlite3', [db, sql], { encoding: 'utf8' }).trim();
const freshDir = (name) => {
  const d = path.join(tmp, name);
  fs.mkdirSync(d);
  return d;
};

/** --print-config as {name: [value, source]}. */
function parseConfig(text) {
  const out = {};
  for (const line of text.trim().split('\n')) {
    const m = /^(\S+)\s+=\s+(.*?)(?:\s+# (\w+))?$/.exec(line);
    if (m) out[m[1]] = [m[2], m[3] || null];
  }
  return out;
}

let srv;
before(async () => {
  srv = await startServer();
});
after(async () => {
  const r = await srv.stop();
  assert.equal(r.code, 0, `server exit ${JSON.stringify(r)}\n${srv.stderr().slice(-4000)}`);
});

test('--print-config: flags over environment over file over defaults; secrets hidden', async () => {
  const dir = freshDir('conf');
  fs.writeFileSync(path.join(dir, 'rexin.conf'),
    '# settings\nsession-idle = 77\nlog-level = debug\nthreads=3\nconn-timeout = 9\n');
  const r = await rexin(['serve', '--print-config', '--data', dir, '--threads', '7'], {
    env: { REXIN_LOG_LEVEL: 'warn', REXIN_THREADS: '5', REXIN_ADMIN_PASSWORD: 'very-secret-pw-42', REXIN_CONN_TIMEOUT: '' },
  });
  assert.equal(r.code, 0, r.stderr);
  const c = parseConfig(r.stdout);
  assert.deepEqual(c.threads, ['7', 'flag']);
  assert.deepEqual(c['log-level'], ['warn', 'env']);
  assert.deepEqual(c['session-idle'], ['77', 'file']);
  assert.deepEqual(c['conn-timeout'], ['9', 'file'], 'an empty variable does not count');
  assert.deepEqual(c['max-body'], ['1048576', 'default']);
  assert.deepEqual(c.listen, ['127.0.0.1:8080', 'default']);
  assert.deepEqual(c.data, [dir, 'flag']);
  assert.equal(c.db[0], `sqlite:${dir}/rexin.db`);
  assert.equal(c['admin-password'][1], 'env');
  assert.doesNotMatch(r.stdout, /very-secret-pw-42/);
  assert.equal(c.config[0], path.join(dir, 'rexin.conf'));
  const flag = await rexin(['serve', '--print-config', '--data', dir, '--admin-password=flag-secret-77']);
  assert.doesNotMatch(flag.stdout, /flag-secret-77/);
  assert.deepEqual(parseConfig(flag.stdout)['admin-password'], ['******', 'flag']);
  // Mistakes are reported, not ignored.
  const bad = await rexin(['serve', '--print-config', '--data', dir, '--threads', 'many']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /threads/);
  fs.writeFileSync(path.join(dir, 'rexin.conf'), 'no-such-setting = 1\n');
  const badFile = await rexin(['serve', '--print-config', '--data', dir]);
  assert.equal(badFile.code, 2);
  assert.match(badFile.stderr, /rexin\.conf:1: unknown setting 'no-such-setting'/);
});

test('the server reads DATA/rexin.conf', async () => {
  const dir = freshDir('conf-serve');
  fs.writeFileSync(path.join(dir, 'rexin.conf'), 'max-body = 2000\n');
  const s = await startServer({ dataDir: dir });
  try {
    const body = JSON.stringify({ login: 'admin', password: 'p'.repeat(2100) });
    const res = await api(s.url, '/api/v1/session', { method: 'POST', body }).catch((e) => ({ status: String(e) }));
    assert.equal(res.status, 413);
    assert.equal((await api(s.url, '/api/v1/session', { method: 'POST', body: { login: 'admin', password: ADMIN_PASSWORD } })).status, 200);
  } finally {
    assert.equal((await s.stop()).code, 0);
  }
});

test('rexin migrate on a fresh directory creates the schema at the newest version', async () => {
  const dir = path.join(tmp, 'migrate-new'); // does not exist yet
  const r = await rexin(['migrate', '--data', dir]);
  assert.equal(r.code, 0, r.stderr);
  const m = /schema is at version (\d+) \(this rexin knows (\d+)\)/.exec(r.stdout);
  assert.ok(m, r.stdout);
  assert.equal(m[1], m[2]);
  const db = path.join(dir, 'rexin.db');
  assert.equal(sqlite(db, 'PRAGMA user_version'), m[1]);
  assert.equal(sqlite(db, 'PRAGMA journal_mode'), 'wal');
  const tables = sqlite(db, "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").split('\n');
  for (const t of ['audit_log', 'org_units', 'role_grants', 'sessions', 'users']) assert.ok(tables.includes(t), t);
  // Running it again changes nothing.
  const again = await rexin(['migrate', '--data', dir]);
  assert.equal(again.code, 0);
  assert.equal(again.stdout, r.stdout);
});

// SQLite files only (PRAGMA user_version, rexin backup); tests/pg covers PostgreSQL's versions.
const sqliteOnly = { skip: process.env.REXIN_TEST_DB ? 'SQLite only' : false };

test('a database newer than the binary is refused with a clear message', sqliteOnly, async () => {
  const dir = path.join(tmp, 'migrate-future');
  assert.equal((await rexin(['migrate', '--data', dir])).code, 0);
  const db = path.join(dir, 'rexin.db');
  sqlite(db, 'PRAGMA user_version = 999');
  const r = await startServer({ dataDir: dir }).then(
    async (s) => {
      await s.stop();
      return null;
    },
    (e) => e,
  );
  assert.ok(r, 'the server must not start');
  assert.match(r.stderr, /schema version 999 but this rexin knows only up to \d+/);
  const m = await rexin(['migrate', '--data', dir]);
  assert.equal(m.code, 1);
  assert.match(m.stderr, /newer rexin/);
  assert.equal(sqlite(db, 'PRAGMA user_version'), '999', 'left untouched');
});

test('rexin backup copies a live database under write load', sqliteOnly, async () => {
  let stop = false;
  let writes = 0;
  const loop = async () => {
    while (!stop) {
      const res = await api(srv.url, '/api/v1/session', { method: 'POST', body: { login: 'admin', password: ADMIN_PASSWORD } });
      assert.equal(res.status, 200);
      writes++;
    }
  };
  const loaders = [loop(), loop()];
  while (writes < 5) await new Promise((r) => setTimeout(r, 20));
  const file = path.join(tmp, 'backup.db');
  const r = await rexin(['backup', file, '--data', srv.dataDir]);
  const during = writes;
  stop = true;
  await Promise.all(loaders);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /backed up to/);
  assert.ok(writes > during || during >= 5, 'the server kept writing');
  assert.equal(sqlite(file, 'PRAGMA integrity_check'), 'ok');
  assert.equal(sqlite(file, "SELECT username FROM users WHERE username = 'admin'"), 'admin');
  assert.equal(sqlite(file, 'PRAGMA journal_mode'), 'delete', 'a standalone file, no WAL needed');
  assert.ok(Number(sqlite(file, 'SELECT count(*) FROM sessions')) >= 5);
  assert.ok(!fs.existsSync(`${file}-wal`));
  // It never overwrites.
  const again = await rexin(['backup', file, '--data', srv.dataDir]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /exists/);
});

test('rexin user add / passwd / grant / revoke', async () => {
  const d = srv.dataDir;
  const add = await rexin(['user', 'add', 'zhou', '--phone', '13900001111', '--display-name', '周阿姨', '--data', d], {
    env: { REXIN_PASSWORD: 'zhou-pass-1' },
  });
  assert.equal(add.code, 0, add.stderr);
  let cookie = await login(srv.url, '13900001111', 'zhou-pass-1');
  let me = (await api(srv.url, '/api/v1/me', { cookie })).json;
  assert.equal(me.display_name, '周阿姨');
  assert.deepEqual(me.roles, []);
  const dup = await rexin(['user', 'add', 'zhou', '--data', d], { env: { REXIN_PASSWORD: 'zhou-pass-1' } });
  assert.equal(dup.code, 1);
  assert.match(dup.stderr, /already exists/);
  const short = await rexin(['user', 'add', 'wu', '--data', d], { env: { REXIN_PASSWORD: 'short' } });
  assert.equal(short.code, 2);

  const pw = await rexin(['user', 'passwd', 'zhou', '--data', d], { env: { REXIN_PASSWORD: 'zhou-pass-2' } });
  assert.equal(pw.code, 0, pw.stderr);
  assert.equal((await api(srv.url, '/api/v1/me', { cookie })).status, 401, 'a new password ends sessions');
  assert.equal((await api(srv.url, '/api/v1/session', { method: 'POST', body: { login: 'zhou', password: 'zhou-pass-1' } })).status, 401);
  cookie = await login(srv.url, 'zhou', 'zhou-pass-2');

  // ORG by exact name, by 12-digit code, by id.
  const g1 = await rexin(['user', 'grant', 'zhou', 'volunteer', '英协社区', '--data', d]);
  assert.equal(g1.code, 0, g1.stderr);
  const g2 = await rexin(['user', 'grant', 'zhou', 'district_admin', '410105000000', '--data', d]);
  assert.equal(g2.code, 0, g2.stderr);
  me = (await api(srv.url, '/api/v1/me', { cookie })).json;
  assert.deepEqual(me.roles.map((r) => [r.role, r.org_unit_name, r.org_unit_kind]), [
    ['volunteer', '英协社区', 'community'],
    ['district_admin', '金水区', 'district'],
  ]);
  const id = me.roles[1].org_unit_id;
  const rv = await rexin(['user', 'revoke', 'zhou', 'district_admin', String(id), '--data', d]);
  assert.equal(rv.code, 0, rv.stderr);
  me = (await api(srv.url, '/api/v1/me', { cookie })).json;
  assert.deepEqual(me.roles.map((r) => r.role), ['volunteer']);

  const badRole = await rexin(['user', 'grant', 'zhou', 'emperor', '英协社区', '--data', d]);
  assert.equal(badRole.code, 2);
  assert.match(badRole.stderr, /unknown role/);
  const badOrg = await rexin(['user', 'grant', 'zhou', 'volunteer', '不存在社区', '--data', d]);
  assert.equal(badOrg.code, 1);
  assert.match(badOrg.stderr, /no org unit/);
  const noUser = await rexin(['user', 'grant', 'nobody', 'volunteer', '英协社区', '--data', d]);
  assert.equal(noUser.code, 1);
  assert.match(noUser.stderr, /no user named nobody/);
});

test('every subcommand has --help', async () => {
  for (const cmd of ['serve', 'migrate', 'user', 'token', 'backup']) {
    const r = await rexin([cmd, '--help']);
    assert.equal(r.code, 0, `${cmd} --help`);
    assert.match(r.stdout, /usage: rexin/);
  }
  const top = await rexin(['--help']);
  assert.equal(top.code, 0);
  for (const cmd of ['serve', 'migrate', 'user add', 'token create', 'backup', 'routes']) assert.ok(top.stdout.includes(cmd), cmd);
  assert.equal((await rexin(['frobnicate'])).code, 2);
});
