// rexin restore: a backup goes back in place while rexin is stopped, the database it
// replaces is kept, and neither restore nor a second server runs beside a live server.
// SQLite only (PostgreSQL deployments use pg_dump / pg_restore).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { startServer, api, login } from '../lib/server.mjs';
import { rexin } from '../lib/util.mjs';

const sqliteOnly = { skip: process.env.REXIN_TEST_DB ? 'SQLite only' : false };

async function orgNames(srv) {
  const cookie = await login(srv.url);
  const r = await api(srv.url, '/api/v1/org-units?limit=200', { cookie });
  assert.equal(r.status, 200);
  return { cookie, names: r.json.items.map((o) => o.name), city: r.json.items.find((o) => o.name === '郑州市').id };
}

test('restore puts a backup back, keeps the replaced database, refuses while serving', sqliteOnly, async () => {
  let srv = await startServer({ sqlite: true });
  const dir = srv.dataDir;
  const backup = path.join(dir, '..', `${path.basename(dir)}-backup.db`);
  try {
    const { cookie, city } = await orgNames(srv);
    assert.equal((await rexin(['backup', backup, '--data', dir])).code, 0);
    const made = await api(srv.url, '/api/v1/org-units', {
      method: 'POST', cookie, body: { parent_id: city, kind: 'district', name: '备份之后区' },
    });
    assert.equal(made.status, 201);

    // A second server on the same data directory, and a restore under a live server, are refused.
    const second = await rexin(['serve', '--listen', '127.0.0.1:0', '--data', dir], { timeoutMs: 10_000 });
    assert.equal(second.code, 1);
    assert.match(second.stderr, /another rexin is serving/);
    const busy = await rexin(['restore', backup, '--data', dir]);
    assert.equal(busy.code, 1);
    assert.match(busy.stderr, /running/);

    await srv.stop({ keepData: true });
    // A file that is not a database is refused before anything is touched.
    const junk = path.join(dir, 'junk.db');
    await fs.writeFile(junk, 'not a database at all, just text'.repeat(200));
    const bad = await rexin(['restore', junk, '--data', dir]);
    assert.notEqual(bad.code, 0);

    const r = await rexin(['restore', backup, '--data', dir]);
    assert.equal(r.code, 0, r.stderr);
    const kept = (await fs.readdir(dir)).filter((f) => f.startsWith('rexin.db.before-restore-') && !f.endsWith('-wal'));
    assert.equal(kept.length, 1, 'the replaced database is kept beside it');

    srv = await startServer({ dataDir: dir, sqlite: true });
    const after = await orgNames(srv);
    assert.ok(after.names.includes('郑州市'));
    assert.ok(!after.names.includes('备份之后区'), 'what was written after the backup is gone');
  } finally {
    await srv.stop();
    await fs.rm(backup, { force: true });
  }
});
