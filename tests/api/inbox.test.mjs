// The in-app inbox (what needs each user's attention, from help requests and the rest of
// rexin) and webhook delivery of the same notifications to a deployment's gateway: signed,
// retried with exponential back-off (driven by the test clock), never holding up the request
// that caused them. Also the background sweep thread escalating without the test route.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHmac } from 'node:crypto';
import * as F from '../lib/help_fixtures.mjs';
import { stopChecked } from '../lib/registry_fixtures.mjs';
import { waitFor } from '../lib/util.mjs';

const SECRET = 'hook-secret-例';
let srv, admin, call, hook;
let yx, street, repair;
let sw, streetAdmin, resident, vol, vol2, staff;

// The gateway: answers 500 to the first two attempts of every notification, then 200;
// `delayMs` holds each answer back that long.
const gateway = { received: [], delayMs: 0, failFirst: 2 };
function startGateway() {
  return new Promise((resolve) => {
    const s = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const id = req.headers['x-rexin-delivery'];
        const before = gateway.received.filter((x) => x.id === id).length;
        gateway.received.push({ id, headers: req.headers, body, json: JSON.parse(body), at: Date.now() });
        const status = before < gateway.failFirst ? 500 : 200;
        setTimeout(() => {
          res.writeHead(status, { 'Content-Type': 'text/plain' });
          res.end(status === 200 ? 'ok' : 'try again');
        }, gateway.delayMs);
      });
    });
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
}

const clock = (iso) => F.setClock(srv, admin.cookie, iso);
const ask = async (fields = {}) => {
  const r = await call(resident, '/api/v1/help-requests', { method: 'POST', body: { category_id: repair, need: '水管漏水', address: '1号楼', ...fields } });
  assert.equal(r.status, 201, r.text);
  return r.json;
};
const act = (who, id, action, body = {}) => call(who, `/api/v1/help-requests/${id}/${action}`, { method: 'POST', body });
const inbox = async (who, q = '') => {
  const r = await call(who, `/api/v1/inbox?limit=200${q}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
};
const delivery = async (notification) => (await F.rows(srv, `SELECT * FROM webhook_deliveries WHERE notification_id = ${notification}`))[0];

before(async () => {
  hook = await startGateway();
  srv = await F.startActivityServer([
    '--webhook-url', `http://127.0.0.1:${hook.address().port}/rexin/hook?src=test`,
    '--webhook-secret', SECRET,
    '--help-sweep-seconds', '1',
  ]);
  admin = { cookie: await F.login(srv.url) };
  call = F.caller(srv);
  await clock('2030-07-01T09:00:00+08:00');
  yx = await F.orgId(srv, '英协社区');
  street = await F.orgId(srv, '凤凰台街道');
  repair = await F.categoryId(srv, 'appliance_repair');
  const [pRes, pVol, pVol2] = await F.makeVolunteers(srv, { org: yx, n: 3, prefix: 'ib' });
  await F.setPerson(srv, pVol, { phone: '13712345678' });
  [sw, streetAdmin, resident, vol, vol2, staff] = await F.tokenUsers(srv, [
    { name: 'sw', grants: [['social_worker', yx]] },
    { name: 'street', grants: [['street_admin', street]] },
    { name: 'res', person: pRes },
    { name: 'vol', person: pVol },
    { name: 'vol2', person: pVol2 },
    { name: 'staff', grants: [['community_admin', yx]] },
  ]);
});

after(async () => {
  if (srv) await stopChecked(srv);
  if (hook) await new Promise((r) => hook.close(r));
});

test('the inbox: each user\'s own notifications, unread count, read one, read all', async () => {
  const r = await ask();
  // staff are addressed as accounts
  const s = await inbox(sw);
  const submitted = s.items.find((x) => x.kind === 'help_request_submitted' && x.payload.help_request_id === r.id);
  assert.ok(submitted);
  assert.equal(submitted.read_at, null);
  assert.equal(submitted.payload.need, '水管漏水');
  assert.match(submitted.created_at, /^2030-07-01T09:0\d:\d\d\+08:00$/);
  // volunteers as people, which reach their account
  const d = await act(sw, r.id, 'dispatch', { person_id: vol.person });
  assert.equal(d.status, 200, d.text);
  const v = await inbox(vol);
  assert.deepEqual(v.items.map((x) => x.kind), ['help_request_dispatched']);
  assert.equal(v.unread, 1);
  assert.equal((await call(vol, '/api/v1/inbox/unread-count')).json.unread, 1);
  assert.equal((await inbox(vol2)).items.length, 0, 'nobody else\'s');
  const note = v.items[0];
  assert.equal((await call(vol2, `/api/v1/inbox/${note.id}/read`, { method: 'POST' })).status, 404, 'someone else\'s answers 404');
  assert.equal((await call(sw, `/api/v1/inbox/${note.id}/read`, { method: 'POST' })).status, 404);
  const read = await call(vol, `/api/v1/inbox/${note.id}/read`, { method: 'POST' });
  assert.equal(read.status, 200, read.text);
  assert.ok(read.json.read_at);
  assert.equal((await call(vol, '/api/v1/inbox/unread-count')).json.unread, 0);
  const again = await call(vol, `/api/v1/inbox/${note.id}/read`, { method: 'POST' });
  assert.equal(again.json.read_at, read.json.read_at, 'reading twice keeps the first time');
  // the rest of rexin: accepted → the resident; done → records; confirmed → the volunteer
  await act(vol, r.id, 'accept');
  await act(vol, r.id, 'start');
  const done = await act(vol, r.id, 'done', { time: [{ person_id: vol.person, minutes: 45 }] });
  assert.equal(done.status, 200, done.text);
  const conf = await call(staff, `/api/v1/records/${done.json.records[0].id}/confirm`, { method: 'POST' });
  assert.equal(conf.status, 200, conf.text);
  const act1 = await call(sw, '/api/v1/activities', {
    method: 'POST',
    body: { team_id: await F.makeTeam(srv, admin.cookie, { org: yx, name: '收件队' }), title: '清扫', category_id: repair, capacity: 3, status: 'published', starts_at: '2030-07-05T09:00:00+08:00', ends_at: '2030-07-05T11:00:00+08:00' },
  });
  assert.equal(act1.status, 201, act1.text);
  assert.equal((await call(vol, `/api/v1/activities/${act1.json.id}/signups`, { method: 'POST', body: {} })).status, 201);
  assert.equal((await call(sw, `/api/v1/activities/${act1.json.id}/cancel`, { method: 'POST', body: { reason: '下雨' } })).status, 200);
  const all = await inbox(vol);
  assert.deepEqual(all.items.map((x) => x.kind), ['activity_cancelled', 'record_confirmed', 'help_request_dispatched'], 'newest first');
  assert.equal(all.unread, 2);
  assert.deepEqual((await inbox(vol, '&unread=true')).items.map((x) => x.kind), ['activity_cancelled', 'record_confirmed']);
  assert.deepEqual((await inbox(vol, '&kind=record_confirmed')).items.map((x) => x.payload.record_id), [done.json.records[0].id]);
  assert.deepEqual((await inbox(resident)).items.map((x) => x.kind).sort(), ['help_request_accepted', 'help_request_done']);
  const ra = await call(vol, '/api/v1/inbox/read-all', { method: 'POST' });
  assert.equal(ra.status, 200, ra.text);
  assert.deepEqual(ra.json, { marked: 2, unread: 0 });
  assert.equal((await inbox(vol, '&unread=true')).items.length, 0);
  assert.ok((await inbox(resident)).unread > 0, 'read-all is one\'s own');
  assert.equal((await call(vol, '/api/v1/inbox?unread=maybe')).status, 400);
  // pages
  const p1 = (await call(vol, '/api/v1/inbox?limit=2')).json;
  assert.equal(p1.items.length, 2);
  const p2 = await call(vol, `/api/v1/inbox?limit=2&cursor=${p1.next_cursor}`);
  assert.deepEqual(p2.json.items.map((x) => x.kind), ['help_request_dispatched']);
});

test('a notification to a person without an account waits for the account', async () => {
  const [p] = await F.makeVolunteers(srv, { org: yx, n: 1, prefix: 'later' });
  const r = await ask();
  assert.equal((await act(sw, r.id, 'dispatch', { person_id: p })).status, 200);
  const [row] = await F.rows(srv, `SELECT user_id, person_id FROM notifications WHERE person_id = ${p}`);
  assert.deepEqual(row, { user_id: null, person_id: p });
  const u = await F.tokenUser(srv, { name: 'later', person: p });
  const got = await inbox(u);
  assert.deepEqual(got.items.map((x) => [x.kind, x.payload.help_request_id]), [['help_request_dispatched', r.id]]);
  const rd = await call(u, `/api/v1/inbox/${got.items[0].id}/read`, { method: 'POST' });
  assert.equal(rd.status, 200);
});

test('webhook: signed JSON, retried after 5 s then 10 s (test clock), delivered on the third attempt', async () => {
  const r = await ask({ need: '门锁坏了' });
  const d = await act(sw, r.id, 'dispatch', { person_id: vol2.person });
  assert.equal(d.status, 200, d.text);
  const [n] = await F.rows(srv, `SELECT id FROM notifications WHERE kind = 'help_request_dispatched' AND person_id = ${vol2.person} ORDER BY id DESC LIMIT 1`);
  const id = String(n.id);
  const attempts = () => gateway.received.filter((x) => x.id === id);

  await waitFor(async () => (await delivery(n.id)).attempts === 1 && (await delivery(n.id)).last_status === 500, 5000, 'first attempt');
  let row = await delivery(n.id);
  assert.equal(row.next_attempt_at - row.last_attempt_at, 5, 'back off 5 s');
  assert.equal(row.delivered_at, null);
  assert.equal(row.last_error, 'answered 500');
  // not again before it is due
  await new Promise((res) => setTimeout(res, 600));
  assert.equal(attempts().length, 1);
  await clock(new Date((row.next_attempt_at + 1) * 1000).toISOString());
  await waitFor(async () => (await delivery(n.id)).attempts === 2 && (await delivery(n.id)).last_status === 500, 5000, 'second attempt');
  row = await delivery(n.id);
  assert.equal(row.next_attempt_at - row.last_attempt_at, 10, 'then 10 s');
  await clock(new Date((row.next_attempt_at + 1) * 1000).toISOString());
  await waitFor(async () => (await delivery(n.id)).delivered_at !== null, 5000, 'delivery');
  row = await delivery(n.id);
  assert.equal(row.attempts, 3);
  assert.equal(row.last_status, 200);
  assert.equal(row.last_error, null);

  const got = attempts();
  assert.deepEqual(got.map((x) => x.headers['x-rexin-attempt']), ['1', '2', '3']);
  for (const a of got) {
    assert.equal(a.headers['content-type'], 'application/json');
    assert.equal(a.headers['x-rexin-event'], 'help_request_dispatched');
    const mac = 'sha256=' + createHmac('sha256', SECRET).update(a.body).digest('hex');
    assert.equal(a.headers['x-rexin-signature'], mac, 'signed with webhook-secret');
  }
  const body = got[2].json;
  assert.equal(body.id, n.id);
  assert.equal(body.kind, 'help_request_dispatched');
  assert.equal(body.person_id, vol2.person);
  assert.equal(body.user_id, vol2.id);
  assert.equal(body.payload.help_request_id, r.id);
  assert.equal(body.payload.need, '门锁坏了');
  assert.match(body.created_at, /\+08:00$/);
  // a gateway with a phone to text: the person's number when on record
  const forVol = gateway.received.find((x) => x.json.person_id === vol.person);
  assert.equal(forVol.json.phone, '13712345678');
  // the path and query of webhook-url are kept
  assert.ok(got.every((a) => a.headers.host && a.headers.host.startsWith('127.0.0.1:')));
});

test('a slow gateway never holds up the request that caused the notification', async () => {
  gateway.failFirst = 0;
  gateway.delayMs = 3000;
  try {
    const r = await ask({ need: '慢网关' });
    // let the delivery thread get stuck on the slow gateway
    await waitFor(() => gateway.received.some((x) => x.json.kind === 'help_request_submitted' && x.json.payload.help_request_id === r.id), 5000, 'a slow post in flight');
    const t = Date.now();
    const d = await act(sw, r.id, 'dispatch', { person_id: vol.person });
    assert.equal(d.status, 200, d.text);
    assert.ok(Date.now() - t < 1000, `dispatch took ${Date.now() - t} ms`);
    const [n] = await F.rows(srv, `SELECT id FROM notifications WHERE kind = 'help_request_dispatched' ORDER BY id DESC LIMIT 1`);
    const row = await delivery(n.id);
    assert.equal(row.delivered_at, null, 'written, to be delivered later');
    assert.equal(row.attempts, 0);
  } finally {
    gateway.delayMs = 0;
    gateway.failFirst = 2;
  }
});

test('the background sweep escalates on its own (help-sweep-seconds 1)', async () => {
  await clock('2030-07-02T09:00:00+08:00');
  const r = await ask({ urgency: 'urgent', need: '急事' });
  await clock('2030-07-02T11:01:00+08:00');
  await waitFor(async () => (await inbox(streetAdmin, '&kind=help_request_escalated')).items.some((x) => x.payload.help_request_id === r.id), 5000, 'escalation by the thread');
  const g = await call(sw, `/api/v1/help-requests/${r.id}`);
  assert.ok(g.json.escalated_at);
  // the webhook forwards it too
  await waitFor(() => gateway.received.some((x) => x.json.kind === 'help_request_escalated' && x.json.payload.help_request_id === r.id), 5000, 'escalation posted');
});

test('webhook-url must be plain http://', async () => {
  for (const url of ['https://gateway.example/hook', 'ftp://x', 'http://user:pw@host/', 'http://host:99999/', 'http:///nohost']) {
    await assert.rejects(
      F.startActivityServer(['--webhook-url', url]).then((s) => s.stop()),
      /webhook-url must be http:\/\/host\[:port\]\[\/path\]/,
      url,
    );
  }
});
