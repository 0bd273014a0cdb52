// QR check-in: the code, the token's 30-second window and replay, the check-in window,
// check-out, the leader's manual marks, the kiosk list and walk-ups. Time moves with the test
// clock, never with sleeps.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as F from '../lib/activity_fixtures.mjs';
import { stopChecked } from '../lib/registry_fixtures.mjs';
import { startServer } from '../lib/server.mjs';

const { api } = F;
let srv, admin, staff, leader;
let org, team, cleaning, people, users;
let leaderPerson;

const clock = (iso) => F.setClock(srv, admin, iso);
// The test clock keeps running after it is set, so instants are compared to the second or two.
const near = (actual, iso, why) => {
  const d = (Date.parse(actual) - Date.parse(iso)) / 1000;
  assert.ok(d >= 0 && d <= 3 && /\+08:00$/.test(actual), `${why || ''}: ${actual} is not just after ${iso}`);
};
const code = async (activity, cookie = leader) => {
  const r = await api(srv.url, `/api/v1/activities/${activity}/checkin-code?format=json`, { cookie });
  assert.equal(r.status, 200, r.text);
  return r.json;
};
const scan = (cookie, activity, token) =>
  api(srv.url, `/api/v1/activities/${activity}/checkin`, { method: 'POST', cookie, body: { token } });
const mark = (activity, body, cookie = leader) =>
  api(srv.url, `/api/v1/activities/${activity}/attendance`, { method: 'POST', cookie, body });

before(async () => {
  srv = await F.startActivityServer();
  admin = await F.login(srv.url);
  await clock('2030-05-01T09:00:00+08:00');
  org = await F.orgId(srv, '代书胡同社区');
  cleaning = await F.categoryId(srv, 'cleaning');
  people = await F.makeVolunteers(srv, { org, n: 8 });
  [leaderPerson] = await F.makeVolunteers(srv, { org, n: 1, prefix: 'lead' });
  team = await F.makeTeam(srv, admin, {
    org,
    name: '巾帼志愿者',
    category: cleaning,
    members: [{ person: leaderPerson, role: 'leader' }, ...people.map((p) => ({ person: p }))],
  });
  staff = await F.makeUser(srv, 'dshh_staff', { grants: [['community_admin', org]] });
  leader = await F.makeUser(srv, 'dshh_leader', { person: leaderPerson });
  users = [];
  for (let i = 0; i < 4; i++) users.push(await F.makeUser(srv, `dshh_v${i}`, { person: people[i] }));
});

after(async () => {
  if (srv) await stopChecked(srv);
});

async function activityWith(fields, signed = []) {
  const a = await F.makeActivity(srv, leader, {
    team_id: team,
    title: '胡同清扫',
    starts_at: '2030-05-10T14:00:00+08:00',
    ends_at: '2030-05-10T17:00:00+08:00',
    capacity: 10,
    ...fields,
  });
  for (const p of signed) {
    const s = await api(srv.url, `/api/v1/activities/${a.id}/signups`, { method: 'POST', cookie: leader, body: { person_id: p } });
    assert.equal(s.status, 201, s.text);
  }
  return a;
}

test('the leader’s QR code is an SVG of the check-in URL; volunteers cannot get it', async () => {
  await clock('2030-05-01T09:00:00+08:00');
  const a = await activityWith({ title: '二维码' });
  const svg = await api(srv.url, `/api/v1/activities/${a.id}/checkin-code`, { cookie: leader });
  assert.equal(svg.status, 200);
  assert.match(svg.headers.get('content-type'), /^image\/svg\+xml/);
  assert.equal(svg.headers.get('cache-control'), 'no-store');
  const m = /viewBox="0 0 (\d+) (\d+)"/.exec(svg.text);
  assert.ok(m, 'has a viewBox');
  const n = Number(m[1]) - 8; // modules, without the quiet zone
  assert.ok(n >= 21 && (n - 17) % 4 === 0, `a QR symbol is 17 + 4v modules wide, got ${n}`);
  // the three finder patterns start with a run of seven dark modules
  assert.ok(svg.text.includes('<rect x="4" y="4" width="7" height="1"'));
  assert.ok(svg.text.includes(`<rect x="${4 + n - 7}" y="4" width="7" height="1"`));
  assert.ok(svg.text.includes(`<rect x="4" y="${4 + n - 7}" width="7" height="1"`));
  const j = await code(a.id);
  assert.match(j.url, new RegExp(`^${srv.url.replace(/[.]/g, '\\.')}/checkin/${a.id}\\?t=[A-Z2-7]{16}$`));
  assert.equal(j.url.split('t=')[1], j.token);
  assert.equal(j.step_seconds, 30);
  assert.ok(j.seconds_left >= 27 && j.seconds_left <= 30, 'the clock was set on a step boundary');
  assert.equal((await api(srv.url, `/api/v1/activities/${a.id}/checkin-code`, { cookie: users[0] })).status, 403);
});

test('the code links to the configured public URL', async () => {
  const pub = await startServer({ args: ['--public-url', 'http://rexin.example.org'] });
  try {
    const origin = { Origin: 'http://rexin.example.org' };
    const adm = (await api(pub.url, '/api/v1/session', { method: 'POST', headers: origin, body: { login: 'admin', password: 'admin-test-pw-1' } })).cookie;
    const o = await F.orgId(pub, '西堡社区');
    const [p] = await F.makeVolunteers(pub, { org: o, n: 1 });
    // (the API would want the public origin on every write: one team row by hand)
    await F.exec(pub, `INSERT INTO teams(org_unit_id, name, leader_person_id, category_id, created_at, updated_at) VALUES(${o}, 'qr-team', ${p}, ${cleaning}, 0, 0);`);
    const t = (await F.rows(pub, `SELECT id FROM teams WHERE name = 'qr-team'`))[0].id;
    await F.exec(pub, `INSERT INTO users(username, display_name, person_id, password_hash, created_at, updated_at) SELECT 'xleader', 'x', ${p}, password_hash, 0, 0 FROM users WHERE username = 'admin';`);
    const lc = (await api(pub.url, '/api/v1/session', { method: 'POST', headers: origin, body: { login: 'xleader', password: 'admin-test-pw-1' } })).cookie;
    const a = await api(pub.url, '/api/v1/activities', {
      method: 'POST',
      cookie: lc,
      headers: origin,
      body: { team_id: t, title: 'p', capacity: 1, status: 'published', starts_at: '2035-01-01T09:00:00+08:00', ends_at: '2035-01-01T10:00:00+08:00' },
    });
    assert.equal(a.status, 201, a.text);
    const j = await api(pub.url, `/api/v1/activities/${a.json.id}/checkin-code?format=json`, { cookie: lc });
    assert.match(j.json.url, new RegExp(`^http://rexin\\.example\\.org/checkin/${a.json.id}\\?t=[A-Z2-7]{16}$`));
    assert.ok(adm);
  } finally {
    await stopChecked(pub);
  }
});

test('scan to check in and out: the window, the token’s 30-second steps and replay', async () => {
  await clock('2030-05-01T09:00:00+08:00');
  const a = await activityWith({ title: '扫码' }, [people[0], people[1], people[2]]);
  const other = await activityWith({ title: '别的活动', starts_at: '2030-05-11T14:00:00+08:00', ends_at: '2030-05-11T17:00:00+08:00' });

  // a photo of yesterday's code
  await clock('2030-05-09T13:40:00+08:00');
  const yesterday = (await code(a.id)).token;

  await clock('2030-05-10T13:00:00+08:00'); // more than 30 minutes before the start
  let t = (await code(a.id)).token;
  let r = await scan(users[0], a.id, t);
  assert.equal(r.status, 409);
  assert.equal(r.json.code, 'checkin_not_open');

  await clock('2030-05-10T13:40:00+08:00');
  t = (await code(a.id)).token;
  await clock('2030-05-10T13:40:10+08:00');
  r = await scan(users[0], a.id, t);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.action, 'checkin');
  near(r.json.attendance.checkin_at, '2030-05-10T13:40:10+08:00');
  assert.equal(r.json.attendance.checkin_via, 'qr');

  // the code changed while the next phone was focusing: the previous step still works
  await clock('2030-05-10T13:40:35+08:00');
  assert.notEqual((await code(a.id)).token, t, 'a new token every 30 seconds');
  r = await scan(users[1], a.id, t);
  assert.equal(r.status, 200, r.text);
  // two steps old: expired
  await clock('2030-05-10T13:41:05+08:00');
  r = await scan(users[2], a.id, t);
  assert.equal(r.status, 410);
  assert.equal(r.json.code, 'checkin_token_expired');
  // yesterday's photo, a forged token, another activity's token, garbage
  for (const bad of [yesterday, 'AAAAAAAAAAAAAAAA', (await code(other.id)).token, 'abc', 'A'.repeat(64)]) {
    r = await scan(users[2], a.id, bad);
    assert.equal(r.status, 403, `token ${bad}`);
    assert.equal(r.json.code, 'checkin_token_invalid');
  }
  // a double scan right after checking in is not a check-out
  t = (await code(a.id)).token;
  r = await scan(users[1], a.id, t);
  assert.equal(r.status, 409);
  assert.equal(r.json.code, 'already_checked_in');

  // check out at 16:50: credited from the start (early arrival does not count) to 16:50
  await clock('2030-05-10T16:50:00+08:00');
  t = (await code(a.id)).token;
  r = await scan(users[0], a.id, t);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.action, 'checkout');
  near(r.json.attendance.checkout_at, '2030-05-10T16:50:00+08:00');
  assert.equal(r.json.record.minutes, 170);
  assert.equal(r.json.record.status, 'pending');
  assert.equal(r.json.record.source, 'attendance');
  assert.equal(r.json.record.service_date, '2030-05-10');
  assert.equal(r.json.record.needs_review, false);
  r = await scan(users[0], a.id, t);
  assert.equal(r.json.code, 'already_checked_out');

  // someone who never signed up, and someone who arrives after the end
  r = await scan(users[3], a.id, t);
  assert.equal(r.status, 409);
  assert.equal(r.json.code, 'not_signed_up');
  await clock('2030-05-10T17:30:00+08:00');
  t = (await code(a.id)).token;
  r = await scan(users[2], a.id, t);
  assert.equal(r.json.code, 'activity_ended');
  // check-out stays open until 19:00
  await clock('2030-05-10T18:59:00+08:00');
  t = (await code(a.id)).token;
  r = await scan(users[1], a.id, t);
  assert.equal(r.status, 200);
  assert.equal(r.json.record.minutes, 180, 'staying late does not count');
  await clock('2030-05-10T19:00:30+08:00');
  t = (await code(a.id)).token;
  r = await scan(users[2], a.id, t);
  assert.equal(r.status, 410);
  assert.equal(r.json.code, 'checkin_closed');
});

test('a waitlisted volunteer is not checked in by scanning', async () => {
  await clock('2030-05-01T09:00:00+08:00');
  const a = await activityWith({ title: '满员', capacity: 1, starts_at: '2030-05-12T14:00:00+08:00', ends_at: '2030-05-12T15:00:00+08:00' }, [people[0], people[1]]);
  await clock('2030-05-12T14:00:00+08:00');
  const r = await scan(users[1], a.id, (await code(a.id)).token);
  assert.equal(r.status, 409);
  assert.equal(r.json.code, 'still_waitlisted');
});

test('the leader checks people in and out by hand with a reason; the kiosk lists the confirmed', async () => {
  await clock('2030-05-01T09:00:00+08:00');
  const a = await activityWith({ title: '手工签到', capacity: 4, starts_at: '2030-05-13T09:00:00+08:00', ends_at: '2030-05-13T11:00:00+08:00' }, [people[0], people[1], people[2]]);
  await clock('2030-05-13T08:45:00+08:00');
  const kiosk = await api(srv.url, `/api/v1/activities/${a.id}/attendance`, { cookie: leader });
  assert.equal(kiosk.status, 200);
  assert.deepEqual(kiosk.json.items.map((x) => [x.person_id, x.state]).sort(), [people[0], people[1], people[2]].map((p) => [p, 'expected']).sort());
  assert.equal((await api(srv.url, `/api/v1/activities/${a.id}/attendance`, { cookie: users[0] })).status, 403);

  let r = await mark(a.id, { person_id: people[0], action: 'checkin' });
  assert.equal(r.status, 400);
  assert.equal(r.json.errors[0].field, 'reason');
  r = await mark(a.id, { person_id: people[0], action: 'checkin', reason: '手机没电' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.attendance.checkin_via, 'leader');
  assert.equal(r.json.attendance.checkin_reason, '手机没电');
  r = await mark(a.id, { person_id: people[1], action: 'checkin', via: 'kiosk' });
  assert.equal(r.status, 200, 'the kiosk needs no reason');
  assert.equal(r.json.attendance.checkin_via, 'kiosk');
  r = await mark(a.id, { person_id: people[1], action: 'checkin', via: 'kiosk' });
  assert.equal(r.json.code, 'already_checked_in');
  r = await mark(a.id, { person_id: people[0], action: 'checkout', at: '2030-05-13T12:00:00+08:00', reason: 'x' });
  assert.equal(r.status, 400);
  assert.equal(r.json.errors[0].code, 'in_future');
  r = await mark(a.id, { person_id: people[0], action: 'checkout', at: '2030-05-13T06:00:00+08:00', reason: 'x' });
  assert.equal(r.json.errors[0].code, 'outside_checkin_window');
  assert.equal((await mark(a.id, { person_id: people[2], action: 'checkout', reason: 'x' })).json.code, 'not_checked_in');

  // walk-ups: a place remains for one (capacity 4, three signed up)
  r = await mark(a.id, { person_id: people[5], action: 'checkin', via: 'kiosk' });
  assert.equal(r.status, 409, 'the kiosk does not take walk-ups');
  r = await mark(a.id, { person_id: people[5], action: 'checkin', reason: '临时参加' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.attendance.walk_in, true);
  r = await mark(a.id, { person_id: people[6], action: 'checkin', reason: '临时参加' });
  assert.equal(r.status, 409);
  assert.equal(r.json.code, 'capacity_full');

  await clock('2030-05-13T10:40:00+08:00');
  r = await mark(a.id, { person_id: people[0], action: 'checkout', at: '2030-05-13T10:30:00+08:00', reason: '提前离开' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.attendance.checkout_reason, '提前离开');
  assert.equal(r.json.record.minutes, 90, '09:00 (start) to 10:30');
  // the leader corrects the time while the record is pending; the record follows
  r = await mark(a.id, { person_id: people[0], action: 'checkout', at: '2030-05-13T10:40:00+08:00', reason: '记错了' });
  assert.equal(r.json.record.minutes, 100);
  assert.equal(r.json.record.version, 2);
  const k2 = await api(srv.url, `/api/v1/activities/${a.id}/attendance`, { cookie: leader });
  const st = Object.fromEntries(k2.json.items.map((x) => [x.person_id, x.state]));
  assert.deepEqual([st[people[0]], st[people[1]], st[people[2]], st[people[5]]], ['out', 'in', 'expected', 'in']);
  const audit = await F.rows(srv, `SELECT action FROM audit_log WHERE entity = 'attendance' ORDER BY id`);
  assert.ok(audit.filter((x) => x.action === 'checkin').length >= 3);
});
