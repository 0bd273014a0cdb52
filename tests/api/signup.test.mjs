// Sign-up: capacity under concurrency, the waitlist, overlap, conditions, idempotent retries.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as F from '../lib/activity_fixtures.mjs';
import { stopChecked } from '../lib/registry_fixtures.mjs';

const { api } = F;
let srv, admin, staff, leader, vol, noPerson;
let org, team, cleaning, crowd, volPerson, leaderPerson, member, stranger;

const signup = (cookie, activity, body, headers) =>
  api(srv.url, `/api/v1/activities/${activity}/signups`, { method: 'POST', cookie, body, headers });

before(async () => {
  srv = await F.startActivityServer();
  admin = await F.login(srv.url);
  await F.setClock(srv, admin, '2030-05-01T09:00:00+08:00');
  org = await F.orgId(srv, '荣华社区');
  cleaning = await F.categoryId(srv, 'cleaning');
  crowd = await F.makeVolunteers(srv, { org, n: 200, prefix: 'crowd' });
  [volPerson, leaderPerson, member, stranger] = await F.makeVolunteers(srv, { org, n: 4, skills: ['急救'] });
  team = await F.makeTeam(srv, admin, {
    org,
    name: '党员老妈妈服务队',
    category: cleaning,
    members: [{ person: leaderPerson, role: 'leader' }, { person: member }, { person: volPerson }],
  });
  staff = await F.makeUser(srv, 'rh_staff', { grants: [['community_admin', org]] });
  leader = await F.makeUser(srv, 'rh_leader', { person: leaderPerson });
  vol = await F.makeUser(srv, 'rh_vol', { person: volPerson });
  noPerson = await F.makeUser(srv, 'rh_noperson');
});

after(async () => {
  if (srv) await stopChecked(srv);
});

const activity = (fields) =>
  F.makeActivity(srv, staff, {
    team_id: team,
    starts_at: '2030-05-10T14:00:00+08:00',
    ends_at: '2030-05-10T17:00:00+08:00',
    ...fields,
  });

test('200 simultaneous sign-ups for 10 places: exactly 10 confirmed, 190 waitlisted in arrival order', async () => {
  const a = await activity({ title: '春节前大扫除', capacity: 10 });
  const answers = await Promise.all(crowd.map((p) => signup(staff, a.id, { person_id: p })));
  assert.ok(answers.every((r) => r.status === 201), answers.find((r) => r.status !== 201)?.text);
  const confirmed = answers.filter((r) => r.json.status === 'confirmed').map((r) => r.json);
  const waiting = answers.filter((r) => r.json.status === 'waitlisted').map((r) => r.json);
  assert.equal(confirmed.length, 10);
  assert.equal(waiting.length, 190);
  // arrival order is the order the writer took them in, which is id order
  const maxConfirmed = Math.max(...confirmed.map((s) => s.id));
  assert.ok(waiting.every((s) => s.id > maxConfirmed), 'nobody waits who came before a confirmed person');
  waiting.sort((x, y) => x.id - y.id);
  assert.deepEqual(waiting.map((s) => s.position), Array.from({ length: 190 }, (_, i) => i + 1));
  assert.ok(confirmed.every((s) => s.position === null));

  const g = await api(srv.url, `/api/v1/activities/${a.id}`, { cookie: staff });
  assert.equal(g.json.places_taken, 10);
  assert.equal(g.json.places_left, 0);
  assert.equal(g.json.waitlisted, 190);
  const db = await F.rows(srv, `SELECT status, count(*) AS n FROM signups WHERE activity_id = ${a.id} GROUP BY status ORDER BY status`);
  assert.deepEqual(db, [{ status: 'confirmed', n: 10 }, { status: 'waitlisted', n: 190 }]);

  // the database holds the line on its own, whoever writes
  await assert.rejects(
    F.exec(srv, `INSERT INTO signups(activity_id, person_id, status, created_at, updated_at) VALUES(${a.id}, ${member}, 'confirmed', 0, 0);`),
    /capacity_full/,
  );
  await assert.rejects(
    F.exec(srv, `UPDATE signups SET status = 'confirmed' WHERE id = ${waiting[0].id};`),
    /capacity_full/,
  );

  // cancelling a place promotes the head of the waitlist and tells them
  const cancel = await api(srv.url, `/api/v1/activities/${a.id}/signups/${confirmed[0].id}`, { method: 'DELETE', cookie: staff });
  assert.equal(cancel.status, 200, cancel.text);
  assert.equal(cancel.json.signup.status, 'cancelled');
  assert.equal(cancel.json.promoted.id, waiting[0].id);
  assert.equal(cancel.json.promoted.status, 'confirmed');
  const note = await F.rows(srv, `SELECT person_id, payload FROM notifications WHERE kind = 'waitlist_promoted'`);
  assert.deepEqual(note.map((n) => n.person_id), [waiting[0].person_id]);
  assert.equal(JSON.parse(note[0].payload).activity_id, a.id);
  const next = await api(srv.url, `/api/v1/activities/${a.id}/signups/${waiting[1].id}`, { cookie: staff });
  assert.equal(next.json.position, 1, 'everyone moves up one');
  // cancelling a waitlisted sign-up promotes nobody
  const c2 = await api(srv.url, `/api/v1/activities/${a.id}/signups/${waiting[5].id}`, { method: 'DELETE', cookie: staff });
  assert.equal(c2.json.promoted, null);
  const last = await api(srv.url, `/api/v1/activities/${a.id}/signups/${waiting[189].id}`, { cookie: staff });
  assert.equal(last.json.position, 188);
});

test('nobody is confirmed into two overlapping activities; the error names the other', async () => {
  const a = await activity({ title: '周六巡逻', capacity: 5, starts_at: '2030-05-11T14:00:00+08:00', ends_at: '2030-05-11T17:00:00+08:00' });
  const b = await activity({ title: '周六义诊', capacity: 5, starts_at: '2030-05-11T16:00:00+08:00', ends_at: '2030-05-11T18:00:00+08:00' });
  const c = await activity({ title: '周六晚会', capacity: 5, starts_at: '2030-05-11T17:00:00+08:00', ends_at: '2030-05-11T19:00:00+08:00' });
  const p = crowd[150];
  assert.equal((await signup(staff, a.id, { person_id: p })).json.status, 'confirmed');
  const clash = await signup(staff, b.id, { person_id: p }, { 'Accept-Language': 'en' });
  assert.equal(clash.status, 409);
  assert.equal(clash.json.code, 'signup_overlap');
  assert.match(clash.json.detail, /周六巡逻/);
  assert.equal(clash.json.errors[0].field, 'starts_at');
  assert.match(clash.json.errors[0].message, /周六巡逻/);
  assert.equal((await signup(staff, c.id, { person_id: p })).json.status, 'confirmed', 'back to back is fine');
  // the trigger refuses what C would refuse
  await assert.rejects(
    F.exec(srv, `INSERT INTO signups(activity_id, person_id, status, created_at, updated_at) VALUES(${b.id}, ${p}, 'confirmed', 0, 0);`),
    /signup_overlap/,
  );
  // moving an activity onto another a participant holds is refused too
  const move = await api(srv.url, `/api/v1/activities/${c.id}`, {
    method: 'PATCH',
    cookie: staff,
    body: { starts_at: '2030-05-11T16:30:00+08:00' },
  });
  assert.equal(move.status, 409);
  assert.equal(move.json.code, 'signup_overlap');
  // once the first place is given up, the other can be taken
  const s = await api(srv.url, `/api/v1/activities/${a.id}/signups?status=confirmed`, { cookie: staff });
  const mine = s.json.items.find((x) => x.person_id === p);
  await api(srv.url, `/api/v1/activities/${a.id}/signups/${mine.id}`, { method: 'DELETE', cookie: staff });
  assert.equal((await signup(staff, b.id, { person_id: p })).status, 409, 'still overlaps 周六晚会 (17:00-18:00)');
  const cs = (await api(srv.url, `/api/v1/activities/${c.id}/signups`, { cookie: staff })).json.items.find((x) => x.person_id === p);
  await api(srv.url, `/api/v1/activities/${c.id}/signups/${cs.id}`, { method: 'DELETE', cookie: staff });
  assert.equal((await signup(staff, b.id, { person_id: p })).json.status, 'confirmed');
});

test('a moved activity takes its places along: a sign-up that overlaps its new time is refused', async () => {
  const d = await activity({ title: '周日清扫', capacity: 5, starts_at: '2030-05-12T09:00:00+08:00', ends_at: '2030-05-12T11:00:00+08:00' });
  const e = await activity({ title: '周一义诊', capacity: 5, starts_at: '2030-05-13T09:00:00+08:00', ends_at: '2030-05-13T11:00:00+08:00' });
  const p = crowd[151];
  assert.equal((await signup(staff, d.id, { person_id: p })).json.status, 'confirmed');
  const move = await api(srv.url, `/api/v1/activities/${d.id}`, {
    method: 'PATCH',
    cookie: staff,
    body: { starts_at: '2030-05-13T10:00:00+08:00', ends_at: '2030-05-13T12:00:00+08:00' },
  });
  assert.equal(move.status, 200, move.text);
  const clash = await signup(staff, e.id, { person_id: p }, { 'Accept-Language': 'en' });
  assert.equal(clash.status, 409, clash.text);
  assert.equal(clash.json.code, 'signup_overlap');
  assert.match(clash.json.detail, /周日清扫/);
  // and the Sunday morning it left is free again
  const f = await activity({ title: '周日巡逻', capacity: 5, starts_at: '2030-05-12T09:30:00+08:00', ends_at: '2030-05-12T10:30:00+08:00' });
  assert.equal((await signup(staff, f.id, { person_id: p })).json.status, 'confirmed');
});

test('minimum age, required skills and the sign-up window give clear field errors', async () => {
  const [child] = await F.makeVolunteers(srv, { org, n: 1, birth_date: '2016-05-13', prefix: 'child' });
  const [unknown] = await F.makeVolunteers(srv, { org, n: 1, birth_date: null, prefix: 'nobirth' });
  const [turns14] = await F.makeVolunteers(srv, { org, n: 1, birth_date: '2016-05-12', prefix: 't14' });
  const a = await activity({ title: '急救培训', capacity: 5, min_age: 14, skills_required: ['急救', '驾驶'], starts_at: '2030-05-12T09:00:00+08:00', ends_at: '2030-05-12T10:00:00+08:00' });
  const r = await signup(staff, a.id, { person_id: child }, { 'Accept-Language': 'en' });
  assert.equal(r.status, 409);
  assert.equal(r.json.code, 'signup_not_allowed');
  const e = Object.fromEntries(r.json.errors.map((x) => [x.field, x]));
  assert.equal(e.min_age.code, 'too_young');
  assert.match(e.min_age.message, /14/);
  assert.equal(e.skills_required.code, 'missing_skills');
  assert.match(e.skills_required.message, /急救, 驾驶/);
  const u = await signup(staff, a.id, { person_id: unknown });
  assert.equal(u.json.errors.find((x) => x.field === 'min_age').code, 'age_unknown');
  // 14 on the day itself counts (born 2016-05-12, activity 2030-05-12); skills still missing
  const t = await signup(staff, a.id, { person_id: turns14 });
  assert.deepEqual(t.json.errors.map((x) => x.code), ['missing_skills'], 'the age is fine on the birthday');
  const b = await activity({ title: '只需急救', capacity: 5, min_age: 18, skills_required: ['急救'], starts_at: '2030-05-13T09:00:00+08:00', ends_at: '2030-05-13T10:00:00+08:00' });
  assert.equal((await signup(staff, b.id, { person_id: member })).json.status, 'confirmed');

  const w = await activity({
    title: '窗口',
    capacity: 5,
    starts_at: '2030-05-20T09:00:00+08:00',
    ends_at: '2030-05-20T10:00:00+08:00',
    signup_opens_at: '2030-05-02T08:00:00+08:00',
    signup_closes_at: '2030-05-18T20:00:00+08:00',
  });
  const early = await signup(staff, w.id, { person_id: member });
  assert.equal(early.status, 409);
  assert.equal(early.json.errors[0].field, 'signup_opens_at');
  assert.equal(early.json.errors[0].code, 'signup_not_open');
  assert.match(early.json.errors[0].message, /2030-05-02T08:00:00\+08:00/);
  await F.setClock(srv, admin, '2030-05-19T09:00:00+08:00');
  const late = await signup(staff, w.id, { person_id: member });
  assert.equal(late.json.errors[0].code, 'signup_closed');
  await F.setClock(srv, admin, '2030-05-10T09:00:00+08:00');
  assert.equal((await signup(staff, w.id, { person_id: member })).status, 201);
  await F.setClock(srv, admin, '2030-05-01T09:00:00+08:00');
  const nobody = await signup(staff, w.id, { person_id: 999999 });
  assert.equal(nobody.status, 400);
  assert.equal(nobody.json.errors[0].code, 'not_found_ref');
});

test('volunteers sign themselves up; a retried request with the same Idempotency-Key signs up once', async () => {
  const a = await activity({ title: '自助报名', capacity: 5, starts_at: '2030-05-14T09:00:00+08:00', ends_at: '2030-05-14T10:00:00+08:00' });
  const h = { 'Idempotency-Key': 'retry-7f3c' };
  const first = await signup(vol, a.id, undefined, h);
  assert.equal(first.status, 201, first.text);
  assert.equal(first.json.person_id, volPerson);
  const again = await signup(vol, a.id, undefined, h);
  assert.equal(again.status, 201);
  assert.deepEqual(again.json, first.json, 'the same answer, replayed');
  assert.equal(again.headers.get('location'), first.headers.get('location'));
  const list = await api(srv.url, `/api/v1/activities/${a.id}/signups`, { cookie: staff });
  assert.equal(list.json.items.length, 1);
  const noKey = await signup(vol, a.id);
  assert.equal(noKey.status, 409);
  assert.equal(noKey.json.code, 'already_signed_up');
  const other = await activity({ title: '别的活动', capacity: 5, starts_at: '2030-05-15T09:00:00+08:00', ends_at: '2030-05-15T10:00:00+08:00' });
  const reused = await signup(vol, other.id, undefined, h);
  assert.equal(reused.status, 422, 'a key belongs to one request');

  // the volunteer sees their own sign-up, not others'
  await signup(staff, a.id, { person_id: member });
  const mine = await api(srv.url, `/api/v1/activities/${a.id}/signups`, { cookie: vol });
  assert.deepEqual(mine.json.items.map((s) => s.person_id), [volPerson]);
  const me = await api(srv.url, '/api/v1/me/signups', { cookie: vol });
  assert.ok(me.json.items.some((s) => s.activity_id === a.id && s.status === 'confirmed'));
  const g = await api(srv.url, `/api/v1/activities/${a.id}`, { cookie: vol });
  assert.equal(g.json.my_signup.status, 'confirmed');

  const np = await signup(noPerson, a.id);
  assert.equal(np.status, 403);
  assert.equal(np.json.code, 'no_person');
  const forOther = await signup(vol, a.id, { person_id: stranger });
  assert.equal(forOther.status, 403, 'a volunteer cannot sign up someone else');
  // the volunteer cancels their own place
  const del = await api(srv.url, first.headers.get('location'), { method: 'DELETE', cookie: vol });
  assert.equal(del.status, 200);
  assert.equal(del.json.signup.status, 'cancelled');
  assert.equal((await signup(vol, a.id)).status, 201, 'and may sign up again');
});

test('a team leader signs up team members only; no cancelling after the start', async () => {
  const a = await activity({ title: '队内活动', capacity: 5, starts_at: '2030-05-16T09:00:00+08:00', ends_at: '2030-05-16T10:00:00+08:00' });
  const ok = await signup(leader, a.id, { person_id: member });
  assert.equal(ok.status, 201, ok.text);
  const no = await signup(leader, a.id, { person_id: stranger });
  assert.equal(no.status, 409);
  assert.equal(no.json.errors[0].code, 'not_team_member');
  const [notVol] = await F.makeVolunteers(srv, { org, n: 1, prefix: 'nv' });
  await F.exec(srv, `DELETE FROM volunteers WHERE person_id = ${notVol};`);
  const nv = await signup(staff, a.id, { person_id: notVol });
  assert.equal(nv.json.errors[0].code, 'not_a_volunteer');
  await F.setClock(srv, admin, '2030-05-16T09:05:00+08:00');
  const late = await api(srv.url, ok.headers.get('location'), { method: 'DELETE', cookie: leader });
  assert.equal(late.status, 409);
  assert.equal(late.json.code, 'activity_started');
  await F.setClock(srv, admin, '2030-05-01T09:00:00+08:00');
});
