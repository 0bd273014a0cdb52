// Disk full: the data directory on a small tmpfs, filled to the last byte while the server
// runs. Writes must fail with a clear 503 storage_unavailable (problem+json, Retry-After),
// leave nothing half-written, reads must keep working, and once space is freed writes must
// succeed again without a restart.
//
// A real full file system, not a simulation (SQLite's max_page_count would only refuse new
// pages of the main file, while a WAL database writes its log first and the OS says ENOSPC
// in places a pragma never reaches: WAL appends, checkpoints, the -shm file). Mounting needs
// root; without it (or without tmpfs) the test is skipped and says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { api, login, startServer } from '../lib/server.mjs';
import { stopChecked, sql } from '../lib/registry_fixtures.mjs';

let mnt = null;
let skip = false;
let srv, admin, city;

function tryMount(dir) {
  if (process.getuid?.() !== 0) return 'needs root to mount a tmpfs';
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', dir], { stdio: 'pipe' });
    return null;
  } catch (e) {
    return `cannot mount a tmpfs: ${String(e.stderr || e.message).trim()}`;
  }
}

/** Fills the file system of `dir` to the last byte with a file; returns its path. */
async function fill(dir) {
  const file = path.join(dir, 'filler');
  const fh = await fs.open(file, 'w');
  try {
    for (let chunk = 1 << 20; chunk >= 1; chunk >>= 2) {
      const buf = Buffer.alloc(chunk, 0x55);
      for (;;) {
        try {
          const { bytesWritten } = await fh.write(buf);
          if (bytesWritten < chunk) break;
        } catch (e) {
          if (e.code !== 'ENOSPC') throw e;
          break;
        }
      }
    }
  } finally {
    await fh.close();
  }
  return file;
}

const createOrg = (name) =>
  api(srv.url, '/api/v1/org-units', { method: 'POST', cookie: admin, body: { parent_id: city, kind: 'district', name } });

before(async () => {
  // The full disk is the SQLite data directory's; on PostgreSQL the database is elsewhere.
  if (process.env.REXIN_TEST_DB) {
    skip = 'SQLite only: PostgreSQL keeps its data outside the data directory';
    return;
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rexin-diskfull-'));
  const why = tryMount(dir);
  if (why) {
    skip = why;
    await fs.rm(dir, { recursive: true, force: true });
    return;
  }
  mnt = dir;
  srv = await startServer({ dataDir: path.join(mnt, 'data') });
  admin = await login(srv.url);
  const r = await api(srv.url, '/api/v1/org-units?limit=200', { cookie: admin });
  city = r.json.items.find((o) => o.name === '郑州市').id;
});

after(async () => {
  if (srv) await stopChecked(srv);
  if (mnt) {
    execFileSync('umount', [mnt]);
    await fs.rm(mnt, { recursive: true, force: true });
  }
});

test('disk full: writes answer 503 storage_unavailable, nothing half-written, reads work, writes resume', async (t) => {
  if (skip) return t.skip(skip);
  // works before
  const before1 = await createOrg('满盘之前区');
  assert.equal(before1.status, 201, before1.text);

  const filler = await fill(mnt);
  const { bavail } = await fs.statfs(mnt);
  assert.equal(bavail, 0, 'the file system is full');
  const orgsBefore = sql(srv, 'SELECT count(*) FROM org_units');
  const auditBefore = sql(srv, 'SELECT count(*) FROM audit_log');

  // Writes fail, clearly, and keep failing the same way (the server does not wedge).
  for (let i = 0; i < 5; i++) {
    const w = await createOrg(`满盘区${i}`);
    assert.equal(w.status, 503, `write ${i} while full: ${w.status} ${w.text}`);
    assert.match(w.headers.get('content-type'), /^application\/problem\+json/);
    assert.equal(w.json.code, 'storage_unavailable');
    assert.equal(w.json.status, 503);
    assert.ok(Number(w.headers.get('retry-after')) > 0, 'Retry-After tells clients when to retry');
  }
  // A log-in writes too (session, attempt, audit): refused the same way, no session made.
  const li = await api(srv.url, '/api/v1/session', { method: 'POST', body: { login: 'admin', password: 'admin-test-pw-1' } });
  assert.equal(li.status, 503, li.text);
  assert.equal(li.json.code, 'storage_unavailable');
  assert.equal(li.cookie, null);

  // Nothing half-written: no org unit, no audit entry, no session from the refused writes.
  assert.equal(sql(srv, 'SELECT count(*) FROM org_units'), orgsBefore);
  assert.equal(sql(srv, 'SELECT count(*) FROM audit_log'), auditBefore);
  assert.equal(sql(srv, "SELECT count(*) FROM org_units WHERE name LIKE '满盘区%'"), '0');

  // Reads keep working: the signed-in user, lists, health, for as long as the disk is full.
  const me = await api(srv.url, '/api/v1/me', { cookie: admin });
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.username, 'admin');
  const list = await api(srv.url, '/api/v1/org-units?limit=200', { cookie: admin });
  assert.equal(list.status, 200);
  assert.ok(list.json.items.some((o) => o.name === '满盘之前区'), 'the write from before is there');
  assert.ok(!list.json.items.some((o) => o.name.startsWith('满盘区')));
  assert.equal((await api(srv.url, '/healthz')).status, 200);

  // Space freed: writes succeed again without a restart, each exactly once.
  await fs.rm(filler);
  const again = await createOrg('满盘之后区');
  assert.equal(again.status, 201, again.text);
  assert.equal(sql(srv, "SELECT count(*) FROM org_units WHERE name = '满盘之后区'"), '1');
  assert.equal(sql(srv, "SELECT count(*) FROM org_units WHERE name LIKE '满盘区%'"), '0');
  const li2 = await api(srv.url, '/api/v1/session', { method: 'POST', body: { login: 'admin', password: 'admin-test-pw-1' } });
  assert.equal(li2.status, 200, li2.text);
  assert.equal(sql(srv, 'PRAGMA integrity_check'), 'ok');
});
