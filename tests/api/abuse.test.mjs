// Abuse: connections that hold the server without asking anything of it, bodies that never
// end, headers that never stop; the server must keep serving everyone else, with its default
// settings.
//
// The attackers connect from other loopback addresses (127.0.0.2, 127.0.1.x ...; all of
// 127/8 is loopback on Linux), as many real attackers come from many addresses, and the
// ordinary client stays on 127.0.0.1. The per-address limit (--per-ip-connections, 256) is
// respected by each attacking address; what is tested is the total. File descriptors: node
// raises its own limit to the hard limit, the server raises its own (see rx_server_start);
// with a hard limit too low for the numbers below the test says so and skips.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import { api, login, startServer } from '../lib/server.mjs';
import { stopChecked } from '../lib/registry_fixtures.mjs';
import { parseResponses, sleep } from '../lib/util.mjs';

const IDLE = Number(process.env.ABUSE_IDLE || 2000);
const SLOW = Number(process.env.ABUSE_SLOW || 500);
const PER_ADDRESS = 200; // below the default per-IP limit of 256

let srv, host, port;

function fdLimit() {
  const line = fs.readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
  const soft = line ? line.split(/\s+/)[3] : 'unlimited';
  return soft === 'unlimited' ? Infinity : Number(soft);
}

before(async () => {
  srv = await startServer();
  ({ hostname: host, port } = new URL(srv.url));
  port = Number(port);
});

after(async () => {
  if (srv) await stopChecked(srv);
});

/** Opens a connection from the given local address; resolves to a state object once it is
 * connected (or closed/refused). */
function connectFrom(localAddress) {
  return new Promise((resolve) => {
    const st = { closed: false, data: '', socket: null, ok: false };
    const s = net.connect({ host, port, localAddress });
    st.socket = s;
    s.setEncoding('latin1');
    s.on('data', (d) => (st.data += d));
    s.on('error', () => {});
    s.on('close', () => {
      st.closed = true;
      resolve(st);
    });
    s.once('connect', () => {
      st.ok = true;
      resolve(st);
    });
  });
}

async function openMany(n, addressOf) {
  const out = [];
  for (let i = 0; i < n; i += 100) {
    const batch = [];
    for (let k = i; k < Math.min(n, i + 100); k++) batch.push(connectFrom(addressOf(k)));
    out.push(...(await Promise.all(batch)));
  }
  return out;
}

test(`${IDLE} idle and ${SLOW} slow-loris connections do not stop others being served`, async (t) => {
  const need = IDLE + SLOW + 200;
  if (fdLimit() < need) return t.skip(`needs ${need} open files, the limit is ${fdLimit()}`);
  const admin = await login(srv.url);

  // 2,000 connections that send nothing at all.
  const idle = await openMany(IDLE, (k) => `127.0.0.${2 + Math.floor(k / PER_ADDRESS)}`);
  // 500 slow-loris connections: a request line and then headers one byte a second.
  const slow = await openMany(SLOW, (k) => `127.0.1.${1 + Math.floor(k / PER_ADDRESS)}`);
  const loris = 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'a'.repeat(10_000);
  let pos = 0;
  for (const s of slow) if (!s.closed) s.socket.write(loris.slice(0, 24));
  pos = 24;
  const drip = setInterval(() => {
    for (const s of slow) if (!s.closed) s.socket.write(loris[pos] || 'a');
    pos++;
  }, 1000);

  try {
    await sleep(500);
    const heldIdle = idle.filter((s) => s.ok && !s.closed).length;
    const heldSlow = slow.filter((s) => s.ok && !s.closed).length;

    // Meanwhile, an ordinary client: health, log-in (argon2 on the CPU pool), reads, a write.
    const times = [];
    const timed = async (what, fn) => {
      const t0 = Date.now();
      const r = await fn();
      times.push([what, Date.now() - t0]);
      return r;
    };
    for (let i = 0; i < 20; i++) {
      const h = await timed('healthz', () => api(srv.url, '/healthz'));
      assert.equal(h.status, 200, `healthz ${i}: ${h.status}`);
    }
    const cookie = await timed('login', () => login(srv.url));
    const me = await timed('me', () => api(srv.url, '/api/v1/me', { cookie }));
    assert.equal(me.status, 200);
    const orgs = await timed('org-units', () => api(srv.url, '/api/v1/org-units?limit=50', { cookie: admin }));
    assert.equal(orgs.status, 200);
    const para = await timed('20 parallel', () => Promise.all(Array.from({ length: 20 }, () => api(srv.url, '/healthz'))));
    assert.ok(para.every((r) => r.status === 200));
    const worst = times.reduce((a, b) => (b[1] > a[1] ? b : a));
    assert.ok(worst[1] < 3000, `slowest ordinary request: ${worst[0]} took ${worst[1]} ms`);
    t.diagnostic(
      `held ${heldIdle}/${IDLE} idle and ${heldSlow}/${SLOW} slow connections; ordinary requests: ` +
        `max ${worst[1]} ms (${worst[0]}), ${times.length} timed`,
    );
    // The slow ones never got an answer: their headers are not complete.
    assert.ok(slow.every((s) => !parseResponses(s.data).some((r) => r.status === 200)));
  } finally {
    clearInterval(drip);
    for (const s of [...idle, ...slow]) s.socket.destroy();
  }
  // and the server is fine afterwards
  assert.equal((await api(srv.url, '/healthz')).status, 200);
});

test('an endless chunked body is cut off with 413 and the connection closed', async () => {
  const s = net.connect({ host, port });
  s.setEncoding('latin1');
  let data = '';
  let closed = false;
  s.on('data', (d) => (data += d));
  s.on('error', () => {});
  const closedP = new Promise((r) => s.on('close', () => r((closed = true))));
  await new Promise((r) => s.once('connect', r));
  s.write(
    `POST /api/v1/session HTTP/1.1\r\nHost: ${host}:${port}\r\nOrigin: ${srv.url}\r\n` +
      'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
  );
  const chunk = `10000\r\n${'z'.repeat(0x10000)}\r\n`;
  let sent = 0;
  const t0 = Date.now();
  // Keep sending for as long as the server reads, like a client that never stops.
  while (!closed && !data.includes('\r\n\r\n') && Date.now() - t0 < 20_000 && sent < 512 * 1024 * 1024) {
    if (!s.write(chunk)) await new Promise((r) => s.once('drain', r).once('close', r));
    sent += chunk.length;
  }
  await Promise.race([closedP, sleep(5000)]);
  const rs = parseResponses(data);
  assert.equal(rs[0]?.status, 413, `answer: ${data.slice(0, 200)} (sent ${sent} bytes)`);
  assert.equal(JSON.parse(rs[0].body).code, 'body_too_large');
  assert.ok(closed, 'connection closed');
  assert.ok(sent < 128 * 1024 * 1024, `cut off after ${sent} bytes`);
  assert.equal((await api(srv.url, '/healthz')).status, 200);
});

test('huge headers are refused with 431, and endless ones cut off', async () => {
  const r = await api(srv.url, '/healthz', { headers: { 'X-Huge': 'h'.repeat(20 * 1024) } });
  assert.equal(r.status, 431);
  assert.equal(r.json?.code, 'headers_too_large');
  const many = {};
  for (let i = 0; i < 200; i++) many[`X-H${i}`] = 'v'.repeat(100);
  const r2 = await api(srv.url, '/healthz', { headers: many });
  assert.equal(r2.status, 431);
  // A header line that never ends: the server answers 431 or hangs up, and stops reading.
  const s = net.connect({ host, port });
  let data = '';
  let closed = false;
  s.setEncoding('latin1');
  s.on('data', (d) => (data += d));
  s.on('error', () => {});
  const closedP = new Promise((res) => s.on('close', () => res((closed = true))));
  await new Promise((res) => s.once('connect', res));
  s.write('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Endless: ');
  let sent = 0;
  const t0 = Date.now();
  while (!closed && Date.now() - t0 < 10_000 && sent < 64 * 1024 * 1024) {
    if (!s.write('e'.repeat(16 * 1024))) await new Promise((res) => s.once('drain', res).once('close', res));
    sent += 16 * 1024;
  }
  await Promise.race([closedP, sleep(3000)]);
  assert.ok(closed, `connection closed (sent ${sent} bytes)`);
  assert.ok(sent < 8 * 1024 * 1024, `stopped reading after ${sent} bytes`);
  if (data) assert.equal(parseResponses(data)[0]?.status, 431);
});

test('/metrics after requests cut off mid-body still answers (status bucket "other")', async () => {
  // A request whose client goes away before the body is complete is counted with status 0,
  // in the last ("other") bucket; /metrics once read past the end of its table for it.
  for (let i = 0; i < 3; i++) {
    const s = net.connect({ host, port });
    await new Promise((res) => s.once('connect', res));
    s.write('POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"lo');
    await sleep(50);
    s.destroy();
  }
  await sleep(200);
  const m = await api(srv.url, '/metrics');
  assert.equal(m.status, 200);
  assert.match(m.text, /status="other"\} [1-9]/);
});
