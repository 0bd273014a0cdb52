// Foundation (issue 2), connections and lifetime: login throttling, session idle expiry,
// slow clients, the per-IP connection limit, graceful shutdown. Each case that changes
// server settings (or poisons the client address with failed log-ins) has its own server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, api, login, ADMIN_PASSWORD } from '../lib/server.mjs';
import { addUser, rawSocket, parseResponses, sleep, waitFor } from '../lib/util.mjs';

async function withServer(opts, fn) {
  const srv = await startServer(opts);
  try {
    await fn(srv);
  } finally {
    const r = await srv.stop();
    assert.equal(r.code, 0, `server exit ${JSON.stringify(r)}\n${srv.stderr().slice(-4000)}`);
  }
}

const attempt = (srv, loginName, password, headers) =>
  api(srv.url, '/api/v1/session', { method: 'POST', body: { login: loginName, password }, headers });

test('5 failed log-ins for one account: 429 with Retry-After, even with the right password', async () => {
  await withServer({}, async (srv) => {
    await addUser(srv.dataDir, 'qian', 'qian-pass-123');
    for (let i = 0; i < 5; i++) assert.equal((await attempt(srv, 'qian', `wrong-${i}`)).status, 401);
    const res = await attempt(srv, 'qian', 'qian-pass-123', { 'Accept-Language': 'en' });
    assert.equal(res.status, 429);
    assert.equal(res.json.code, 'too_many_attempts');
    assert.equal(res.json.title, 'Too many attempts; try again later');
    const wait = Number(res.headers.get('retry-after'));
    assert.ok(wait > 880 && wait <= 900, `Retry-After ${wait}: until the oldest failure is 15 min old`);
    assert.match(res.json.detail, new RegExp(`${wait}|${wait - 1}`));
    // Other accounts from the same address are not locked by it.
    assert.equal((await attempt(srv, 'admin', ADMIN_PASSWORD)).status, 200);
    // The attempts are logged.
    const admin = await login(srv.url);
    const audit = await api(srv.url, '/api/v1/audit-log?limit=200', { cookie: admin });
    assert.equal(audit.json.items.filter((e) => e.action === 'login_failed').length, 5);
  });
});

test('20 failed log-ins from one address across accounts: 429 for every account', async () => {
  await withServer({}, async (srv) => {
    for (let i = 0; i < 20; i++) {
      const res = await attempt(srv, `nobody-${i}`, 'wrong');
      assert.equal(res.status, 401, `attempt ${i}`);
    }
    const res = await attempt(srv, 'admin', ADMIN_PASSWORD);
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get('retry-after')) > 0);
    assert.equal(res.cookie, null);
  });
});

test('a session idle longer than --session-idle ends; activity keeps it alive', async () => {
  await withServer({ args: ['--session-idle', '2'] }, async (srv) => {
    const idle = await login(srv.url);
    const active = await login(srv.url);
    // Keep one session busy for 3.6 s, touching it every 0.4 s.
    for (let t = 0; t < 9; t++) {
      await sleep(400);
      assert.equal((await api(srv.url, '/api/v1/me', { cookie: active })).status, 200, `active at ${t}`);
    }
    const res = await api(srv.url, '/api/v1/me', { cookie: idle });
    assert.equal(res.status, 401);
    assert.equal(res.json.code, 'unauthenticated');
  });
});

test('slow clients are dropped after --conn-timeout while others are served', async () => {
  await withServer({ args: ['--conn-timeout', '2'] }, async (srv) => {
    const slow = await rawSocket(srv.url);
    const t0 = Date.now();
    slow.socket.write('GET /hea');
    await sleep(300);
    const res = await api(srv.url, '/healthz');
    assert.equal(res.status, 200, 'served while a slow client hangs');
    await waitFor(() => slow.closed, 5000, 'slow client dropped');
    const took = slow.closedAt - t0;
    assert.ok(took >= 1500 && took <= 4500, `dropped after ${took} ms`);
    assert.equal(slow.data, '', 'no answer to half a request line');
    // An idle keep-alive connection is also closed after the timeout.
    const idle = await rawSocket(srv.url);
    idle.socket.write(`GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n`);
    await waitFor(() => parseResponses(idle.data).length === 1, 2000, 'answer');
    await waitFor(() => idle.closed, 5000, 'idle connection dropped');
  });
});

test('--per-ip-connections 5: the sixth connection from one address is refused', async () => {
  await withServer({ args: ['--per-ip-connections', '5'] }, async (srv) => {
    const open = [];
    for (let i = 0; i < 5; i++) {
      const s = await rawSocket(srv.url);
      s.socket.write(`GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n`);
      await waitFor(() => parseResponses(s.data).length === 1, 2000, `answer on connection ${i}`);
      open.push(s);
    }
    const sixth = await rawSocket(srv.url).catch(() => ({ closed: true, data: '' }));
    if (!sixth.closed) sixth.socket.write(`GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n`);
    await waitFor(() => sixth.closed, 3000, 'sixth connection closed');
    assert.equal(parseResponses(sixth.data).length, 0, 'no answer on the sixth');
    for (const s of open) assert.equal(s.closed, false, 'the five stay open');
    for (const s of open) s.socket.destroy();
    await waitFor(async () => (await api(srv.url, '/healthz').catch(() => ({ status: 0 }))).status === 200, 3000,
      'served again once the others closed');
  });
});

test('--max-connections 3: a fourth connection gets nothing until a slot frees', async () => {
  await withServer({ args: ['--max-connections', '3'] }, async (srv) => {
    const open = [];
    for (let i = 0; i < 3; i++) {
      const s = await rawSocket(srv.url);
      s.socket.write(`GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n`);
      await waitFor(() => parseResponses(s.data).length === 1, 2000, `answer on connection ${i}`);
      open.push(s);
    }
    // At the limit the server stops accepting: the fourth waits (kernel backlog) or is closed.
    const fourth = await rawSocket(srv.url).catch(() => ({ closed: true, data: '' }));
    if (!fourth.closed) fourth.socket.write(`GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n`);
    await sleep(800);
    assert.equal(parseResponses(fourth.data).length, 0, 'no answer beyond the limit');
    open.pop().socket.destroy();
    if (!fourth.closed) {
      await waitFor(() => parseResponses(fourth.data).length === 1 || fourth.closed, 3000, 'fourth served');
      if (!fourth.closed) fourth.socket.destroy();
    }
    await waitFor(async () => (await api(srv.url, '/healthz').catch(() => ({ status: 0 }))).status === 200, 3000,
      'a free slot is used again');
    for (const s of open) s.socket.destroy();
  });
});

test('SIGTERM: the request in flight completes, exit code 0, WAL checkpointed', async () => {
  const srv = await startServer();
  const host = new URL(srv.url).host;
  const body = JSON.stringify({ login: 'admin', password: ADMIN_PASSWORD });
  const s = await rawSocket(srv.url);
  // Headers and half the body: the request has begun.
  s.socket.write(
    `POST /api/v1/session HTTP/1.1\r\nHost: ${host}\r\nOrigin: http://${host}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
  );
  await sleep(300);
  srv.proc.kill('SIGTERM');
  await sleep(500);
  // New connections are no longer accepted.
  const late = await api(srv.url, '/healthz').then((r) => r.status, () => 'refused');
  assert.equal(late, 'refused');
  assert.equal(srv.proc.exitCode, null, 'still running while a request is in flight');
  // A second SIGTERM (a supervisor repeating itself) does not cut the stop short.
  srv.proc.kill('SIGTERM');
  await sleep(200);
  assert.equal(srv.proc.exitCode, null, 'still running after a second SIGTERM');
  s.socket.write(body.slice(10));
  await waitFor(() => parseResponses(s.data).length === 1, 5000, 'the answer');
  const [res] = parseResponses(s.data);
  assert.equal(res.status, 200);
  assert.match(res.headers['set-cookie'], /^rexin_session=/);
  const killer = setTimeout(() => srv.proc.kill('SIGKILL'), 10_000);
  const exit = await srv.exited;
  clearTimeout(killer);
  try {
    assert.deepEqual(exit, { code: 0, signal: null }, srv.stderr().slice(-3000));
    assert.match(srv.stderr(), /stopped cleanly/);
    if (!srv.dbUrl) {
      // SQLite: the WAL is checkpointed into the file (PostgreSQL keeps its own WAL).
      const wal = path.join(srv.dataDir, 'rexin.db-wal');
      assert.ok(!fs.existsSync(wal) || fs.statSync(wal).size === 0, 'no WAL left behind');
      assert.ok(fs.statSync(path.join(srv.dataDir, 'rexin.db')).size > 0);
    }
  } finally {
    fs.rmSync(srv.dataDir, { recursive: true, force: true });
  }
});
