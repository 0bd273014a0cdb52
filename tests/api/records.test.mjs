// Service records: the hours rule as a table of cases, confirmation (one and bulk), locked
// confirmed records, corrections with history, rollups against hand-worked sums, sessions of
// performances, self-reports, the daily cap, and the other Art. 19 records.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as F from '../lib/activity_fixtures.mjs';
import { stopChecked } from '../lib/registry_fixtures.mjs';

const { api } = F;
let srv, admin, staff, leader, outsider, vols, volUsers;
let org, otherOrg, team, cleaning, patrol, performanceCat, leaderPerson;

const clock = (iso) => F.setClock(srv, admin, iso);
const mark = (activity, body) => api(srv.url, `/api/v1/activities/${activity}/attendance`, { method: 'POST', cookie: leader, body: { reason: '按名单', ...body } });
const signup = (activity, person) => api(srv.url, `/api/v1/activities/${activity}/signups`, { method: 'POST', cookie: leader, body: { person_id: person } });
const entry = (cookie, body) => api(srv.url, '/api/v1/records', { method: 'POST', cookie, body });
const confirm = (id, cookie = staff) => api(srv.url, `/api/v1/records/${id}/confirm`, { method: 'POST', cookie });

before(async () => {
  srv = await F.startActivityServer();
  admin = await F.login(srv.url);
  await clock('2030-05-01T09:00:00+08:00');
  org = await F.orgId(srv, '西堡社区');
  otherOrg = await F.orgId(srv, '荣华社区');
  cleaning = await F.categoryId(srv, 'cleaning');
  patrol = await F.categoryId(srv, 'patrol');
  performanceCat = await F.categoryId(srv, 'performance');
  vols = await F.makeVolunteers(srv, { org, n: 12 });
  [leaderPerson] = await F.makeVolunteers(srv, { org, n: 1, prefix: 'lead' });
  team = await F.makeTeam(srv, admin, {
    org,
    name: '西堡服务队',
    category: cleaning,
    members: [{ person: leaderPerson, role: 'leader' }, ...vols.map((p) => ({ person: p }))],
  });
  staff = await F.makeUser(srv, 'xb_staff', { grants: [['community_admin', org]] });
  leader = await F.makeUser(srv, 'xb_leader', { person: leaderPerson });
  outsider = await F.makeUser(srv, 'rh_staff2', { grants: [['community_admin', otherOrg]] });
  volUsers = [];
  for (let i = 0; i < 3; i++) volUsers.push(await F.makeUser(srv, `xb_v${i}`, { person: vols[i] }));
});

after(async () => {
  if (srv) await stopChecked(srv);
});

// One attendance, marked by the leader with exact times; returns the record (or null).
async function attend({ day, start, end, endDay = day, checkin, checkout, person }) {
  await clock(`${day}T06:00:00+08:00`);
  const a = await F.makeActivity(srv, leader, {
    team_id: team,
    title: `case ${day} ${start}`,
    capacity: 5,
    starts_at: `${day}T${start}:00+08:00`,
    ends_at: `${endDay}T${end}:00+08:00`,
  });
  assert.equal((await signup(a.id, person)).status, 201);
  // just before the window for marks closes (two hours after the end)
  await clock(new Date(Date.parse(`${endDay}T${end}:00+08:00`) + 119 * 60e3).toISOString());
  const i = await mark(a.id, { person_id: person, action: 'checkin', at: checkin });
  assert.equal(i.status, 200, i.text);
  let record = null;
  if (checkout) {
    const o = await mark(a.id, { person_id: person, action: 'checkout', at: checkout });
    assert.equal(o.status, 200, o.text);
    record = o.json.record;
  } else {
    const f = await api(srv.url, `/api/v1/activities/${a.id}/finish`, { method: 'POST', cookie: leader });
    assert.equal(f.status, 200, f.text);
    const l = await api(srv.url, `/api/v1/records?activity_id=${a.id}`, { cookie: staff });
    record = l.json.items[0] || null;
  }
  return { activity: a, record };
}

test('hours from attendance, as a table of cases', async () => {
  const cases = [
    { name: 'normal', day: '2030-05-06', start: '14:00', end: '17:00', in: '14:00', out: '17:00', minutes: 180 },
    { name: 'early arrival', day: '2030-05-07', start: '14:00', end: '17:00', in: '13:35', out: '17:00', minutes: 180 },
    { name: 'late leave', day: '2030-05-08', start: '14:00', end: '17:00', in: '14:00', out: '18:30', minutes: 180 },
    { name: 'late in, early out', day: '2030-05-09', start: '14:00', end: '17:00', in: '14:20', out: '16:05', minutes: 105 },
    { name: 'no check-out', day: '2030-05-10', start: '14:00', end: '17:00', in: '14:10', out: null, minutes: 170, review: 'no_checkout' },
    { name: 'over the daily cap', day: '2030-05-11', start: '08:00', end: '18:00', in: '08:00', out: '18:00', minutes: 480, review: 'over_daily_cap' },
    { name: 'across midnight', day: '2030-05-12', start: '22:00', end: '02:00', endDay: '2030-05-13', in: '21:50', out: '02:00', outDay: '2030-05-13', minutes: 240 },
    { name: 'below the minimum', day: '2030-05-14', start: '14:00', end: '17:00', in: '14:00', out: '14:05', minutes: null },
  ];
  for (const [i, c] of cases.entries()) {
    const { record } = await attend({
      day: c.day,
      start: c.start,
      end: c.end,
      endDay: c.endDay,
      person: vols[3 + (i % 8)],
      checkin: `${c.day}T${c.in}:00+08:00`,
      checkout: c.out ? `${c.outDay || c.day}T${c.out}:00+08:00` : null,
    });
    if (c.minutes === null) {
      assert.equal(record, null, `${c.name}: no record`);
      continue;
    }
    assert.ok(record, `${c.name}: a record`);
    assert.equal(record.minutes, c.minutes, c.name);
    assert.equal(record.needs_review, !!c.review, `${c.name}: needs_review`);
    assert.equal(record.review_reason, c.review || null, c.name);
    assert.equal(record.service_date, c.day, `${c.name}: counted on the start date`);
    assert.equal(record.status, 'pending');
    assert.equal(record.source, 'attendance');
    assert.equal(record.team_id, team);
    assert.equal(record.category_id, cleaning);
  }
});

test('a leader fixes a missing check-out; the pending record follows and leaves review', async () => {
  const { activity, record } = await attend({ day: '2030-05-15', start: '09:00', end: '11:00', checkin: '2030-05-15T09:00:00+08:00', checkout: null, person: vols[3] });
  assert.equal(record.needs_review, true);
  assert.equal(record.minutes, 120);
  const o = await mark(activity.id, { person_id: vols[3], action: 'checkout', at: '2030-05-15T10:15:00+08:00', reason: '忘记签退，电话核实' });
  assert.equal(o.status, 200, o.text);
  assert.equal(o.json.record.id, record.id);
  assert.equal(o.json.record.minutes, 75);
  assert.equal(o.json.record.needs_review, false);
  const s = await api(srv.url, `/api/v1/activities/${activity.id}/signups`, { cookie: leader });
  assert.equal(s.json.items[0].status, 'attended');
});

test('bulk confirm for an activity leaves flagged records unless asked', async () => {
  await clock('2030-05-20T08:00:00+08:00');
  const a = await F.makeActivity(srv, leader, { team_id: team, title: '批量', capacity: 5, starts_at: '2030-05-20T09:00:00+08:00', ends_at: '2030-05-20T10:00:00+08:00' });
  for (const p of [vols[4], vols[5], vols[6], vols[7]]) assert.equal((await signup(a.id, p)).status, 201);
  await clock('2030-05-20T10:30:00+08:00');
  for (const p of [vols[4], vols[5], vols[6]]) await mark(a.id, { person_id: p, action: 'checkin', at: '2030-05-20T09:00:00+08:00' });
  for (const p of [vols[4], vols[5]]) await mark(a.id, { person_id: p, action: 'checkout', at: '2030-05-20T10:00:00+08:00' });
  const f = await api(srv.url, `/api/v1/activities/${a.id}/finish`, { method: 'POST', cookie: leader });
  assert.equal(f.json.status, 'finished');
  const signups = (await api(srv.url, `/api/v1/activities/${a.id}/signups`, { cookie: leader })).json.items;
  assert.equal(signups.find((s) => s.person_id === vols[7]).status, 'no_show');
  const byVol = await api(srv.url, `/api/v1/activities/${a.id}/records/confirm`, { method: 'POST', cookie: volUsers[0] });
  assert.equal(byVol.status, 403);
  const b = await api(srv.url, `/api/v1/activities/${a.id}/records/confirm`, { method: 'POST', cookie: leader });
  assert.equal(b.status, 200, b.text);
  assert.deepEqual(b.json, { confirmed: 2, skipped_needs_review: 1, skipped_own: 0 });
  const b2 = await api(srv.url, `/api/v1/activities/${a.id}/records/confirm`, { method: 'POST', cookie: staff, body: { include_flagged: true } });
  assert.deepEqual(b2.json, { confirmed: 1, skipped_needs_review: 0, skipped_own: 0 });
  const recs = (await api(srv.url, `/api/v1/records?activity_id=${a.id}`, { cookie: staff })).json.items;
  assert.deepEqual(recs.map((r) => r.status), ['confirmed', 'confirmed', 'confirmed']);
  const notes = await F.rows(srv, `SELECT count(*) AS n FROM notifications WHERE kind = 'record_confirmed' AND person_id IN (${vols[4]}, ${vols[5]}, ${vols[6]})`);
  assert.equal(notes[0].n, 3);
});

test('a confirmed record is locked; corrections are proposed, decided by staff, and every version stays', async () => {
  await clock('2030-06-10T09:00:00+08:00');
  const v = volUsers[0];
  const e = await entry(leader, { person_id: vols[0], team_id: team, service_date: '2030-06-09', minutes: 120, people_served: 4, description: '清扫楼道' });
  assert.equal(e.status, 201, e.text);
  assert.equal(e.json.source, 'team_entry');
  assert.equal(e.json.status, 'pending');
  const id = e.json.id;
  // pending: the leader may still edit it
  const p = await api(srv.url, `/api/v1/records/${id}`, { method: 'PATCH', cookie: leader, body: { minutes: 150, reason: '补记' } });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.minutes, 150);
  // nobody confirms their own record; a volunteer confirms nothing
  assert.equal((await confirm(id, v)).status, 403);
  const c = await confirm(id, leader);
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.status, 'confirmed');
  // locked: through the API ...
  const locked = await api(srv.url, `/api/v1/records/${id}`, { method: 'PATCH', cookie: leader, body: { minutes: 10 } });
  assert.equal(locked.status, 409);
  assert.equal(locked.json.code, 'record_locked');
  assert.equal((await confirm(id, leader)).json.code, 'record_not_pending');
  // ... and in the database, whoever writes
  await assert.rejects(F.exec(srv, `UPDATE service_records SET minutes = 10 WHERE id = ${id};`), /record_locked/);
  await assert.rejects(F.exec(srv, `UPDATE service_records SET service_date = '2030-06-01' WHERE id = ${id};`), /record_locked/);
  await assert.rejects(F.exec(srv, `UPDATE service_records SET person_id = ${vols[1]} WHERE id = ${id};`), /record_locked/);
  await assert.rejects(F.exec(srv, `DELETE FROM service_records WHERE id = ${id};`), /record_locked/);
  await assert.rejects(F.exec(srv, `DELETE FROM record_versions WHERE record_id = ${id};`), /append_only/);

  // the volunteer disputes it
  const bad = await api(srv.url, `/api/v1/records/${id}/corrections`, { method: 'POST', cookie: v, body: { reason: '少算了' } });
  assert.equal(bad.status, 400, 'a correction proposes a change');
  const corr = await api(srv.url, `/api/v1/records/${id}/corrections`, { method: 'POST', cookie: v, body: { minutes: 165, people_served: 6, reason: '实际从13:45开始' } });
  assert.equal(corr.status, 201, corr.text);
  assert.equal(corr.json.status, 'pending');
  const dup = await api(srv.url, `/api/v1/records/${id}/corrections`, { method: 'POST', cookie: v, body: { minutes: 170, reason: 'x' } });
  assert.equal(dup.status, 409);
  assert.equal(dup.json.code, 'correction_pending');
  // the team leader is not staff: only staff decide corrections
  const dec = (cookie, body) => api(srv.url, `/api/v1/records/${id}/corrections/${corr.json.id}/decision`, { method: 'POST', cookie, body });
  assert.equal((await dec(leader, { decision: 'accept' })).status, 403);
  assert.equal((await dec(v, { decision: 'accept' })).status, 403);
  const ok = await dec(staff, { decision: 'accept', reason: '核对签到表属实' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.correction.status, 'accepted');
  assert.equal(ok.json.record.minutes, 165);
  assert.equal(ok.json.record.people_served, 6);
  assert.equal(ok.json.record.status, 'confirmed');
  assert.equal((await dec(staff, { decision: 'refuse', reason: 'x' })).json.code, 'correction_decided');

  // a second correction, refused: nothing changes
  const c2 = await api(srv.url, `/api/v1/records/${id}/corrections`, { method: 'POST', cookie: v, body: { service_date: '2030-06-08', reason: '日期记错' } });
  assert.equal(c2.status, 201);
  const r2 = (body) => api(srv.url, `/api/v1/records/${id}/corrections/${c2.json.id}/decision`, { method: 'POST', cookie: staff, body });
  assert.equal((await r2({ decision: 'refuse' })).status, 400, 'a refusal gives a reason');
  const refused = await r2({ decision: 'refuse', reason: '签到记录显示为9日' });
  assert.equal(refused.json.correction.status, 'refused');
  assert.equal(refused.json.record.service_date, '2030-06-09');

  const h = await api(srv.url, `/api/v1/records/${id}/history`, { cookie: v });
  assert.equal(h.status, 200);
  assert.deepEqual(
    h.json.items.map((x) => [x.version, x.event, x.status, x.minutes, x.people_served]),
    [
      [1, 'created', 'pending', 120, 4],
      [2, 'edited', 'pending', 150, 4],
      [3, 'confirmed', 'confirmed', 150, 4],
      [4, 'corrected', 'confirmed', 165, 6],
    ],
  );
  assert.equal(h.json.items[1].reason, '补记');
  assert.equal(h.json.items[3].reason, '实际从13:45开始');
  assert.equal(h.json.items[3].correction_id, corr.json.id);
  assert.equal(h.json.items[3].changed_by_name, 'xb_staff');
  const list = await api(srv.url, `/api/v1/records/${id}/corrections`, { cookie: v });
  assert.deepEqual(list.json.items.map((x) => [x.status, x.applied_version]), [['accepted', 4], ['refused', null]]);
  const notes = await F.rows(srv, `SELECT payload FROM notifications WHERE kind = 'correction_decided' AND person_id = ${vols[0]} ORDER BY id`);
  assert.deepEqual(notes.map((n) => JSON.parse(n.payload).decision), ['accepted', 'refused']);
  // out of scope: another community's staff do not see it
  assert.equal((await api(srv.url, `/api/v1/records/${id}`, { cookie: outsider })).status, 404);
  assert.equal((await api(srv.url, `/api/v1/records/${id}/history`, { cookie: volUsers[1] })).status, 404);
});

test('a rejected record stays rejected and never counts', async () => {
  await clock('2030-06-10T09:00:00+08:00');
  const e = await entry(leader, { person_id: vols[1], team_id: team, service_date: '2030-06-09', minutes: 60 });
  const noReason = await api(srv.url, `/api/v1/records/${e.json.id}/reject`, { method: 'POST', cookie: staff, body: {} });
  assert.equal(noReason.status, 400);
  const r = await api(srv.url, `/api/v1/records/${e.json.id}/reject`, { method: 'POST', cookie: staff, body: { reason: '当天未参加' } });
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'rejected');
  assert.equal(r.json.reason, '当天未参加');
  assert.equal((await api(srv.url, `/api/v1/records/${e.json.id}`, { method: 'PATCH', cookie: leader, body: { minutes: 30 } })).json.code, 'record_rejected_final');
  assert.equal((await api(srv.url, `/api/v1/records/${e.json.id}/corrections`, { method: 'POST', cookie: volUsers[1], body: { minutes: 30, reason: 'x' } })).json.code, 'record_not_confirmed');
  const n = await F.rows(srv, `SELECT payload FROM notifications WHERE kind = 'record_rejected' AND person_id = ${vols[1]}`);
  assert.equal(JSON.parse(n[0].payload).reason, '当天未参加');
});

test('self-reports, the daily cap, and who sees which records', async () => {
  await clock('2030-06-20T09:00:00+08:00');
  const v = volUsers[2];
  const s = await entry(v, { category_id: patrol, service_date: '2030-06-19', minutes: 300, description: '夜间巡逻' });
  assert.equal(s.status, 201, s.text);
  assert.equal(s.json.source, 'self_report');
  assert.equal(s.json.person_id, vols[2]);
  assert.equal(s.json.org_unit_id, org, 'recorded where the volunteer registered');
  const over = await entry(v, { category_id: patrol, service_date: '2030-06-19', minutes: 181 });
  assert.equal(over.status, 409);
  assert.equal(over.json.code, 'over_daily_cap');
  assert.match(over.json.errors[0].message, /180/);
  assert.equal((await entry(v, { category_id: patrol, service_date: '2030-06-19', minutes: 180 })).status, 201);
  const future = await entry(v, { category_id: patrol, service_date: '2030-06-21', minutes: 30 });
  assert.equal(future.status, 400);
  assert.equal(future.json.errors[0].code, 'in_future');
  const forOther = await entry(v, { person_id: vols[1], team_id: team, service_date: '2030-06-19', minutes: 30 });
  assert.equal(forOther.status, 403, 'a volunteer enters no team records');
  // the volunteer sees their own records only; staff see the community's; outsiders none of it
  const mine = await api(srv.url, '/api/v1/records?limit=200', { cookie: v });
  assert.ok(mine.json.items.length >= 2);
  assert.ok(mine.json.items.every((r) => r.person_id === vols[2]));
  const all = await api(srv.url, `/api/v1/records?limit=200&org_unit=${org}`, { cookie: staff });
  assert.ok(new Set(all.json.items.map((r) => r.person_id)).size > 3);
  const theirs = await api(srv.url, '/api/v1/records?limit=200', { cookie: outsider });
  assert.equal(theirs.json.items.length, 0);
  const pending = await api(srv.url, `/api/v1/records?status=pending&person_id=${vols[2]}`, { cookie: staff });
  assert.ok(pending.json.items.every((r) => r.status === 'pending' && r.person_id === vols[2]));
});

test('rollups follow confirmations, corrections and rejections to the hand-worked sums', async () => {
  const o = await F.orgId(srv, '平等街社区');
  const [p1, p2, p3] = await F.makeVolunteers(srv, { org: o, n: 3, prefix: 'roll' });
  await F.makePartyMember(srv, p1, o, '2000-07-01');
  await F.makePartyMember(srv, p3, o, '2030-06-15'); // joins the Party after the service day
  const t = await F.makeTeam(srv, admin, { org: o, name: '平等街队', category: cleaning, members: [p1, p2, p3].map((p) => ({ person: p })) });
  const st = await F.makeUser(srv, 'pd_roll', { grants: [['community_admin', o]] });
  await clock('2030-06-30T09:00:00+08:00');
  const rec = async (person, category, date, minutes, served) => {
    const r = await entry(st, { person_id: person, team_id: t, category_id: category, service_date: date, minutes, people_served: served });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  const A = await rec(p1, cleaning, '2030-06-03', 120, 5);
  const B = await rec(p2, cleaning, '2030-06-03', 90, 3);
  const C = await rec(p2, patrol, '2030-06-04', 60, 1);
  const D = await rec(p1, patrol, '2030-06-04', 30, 0);
  await rec(p3, cleaning, '2030-06-05', 100, 9); // stays pending
  const E = await rec(p3, cleaning, '2030-06-06', 40, 2); // Party member only from 15 June
  for (const id of [A, B, C, E]) assert.equal((await confirm(id, st)).status, 200);
  await api(srv.url, `/api/v1/records/${D}/reject`, { method: 'POST', cookie: st, body: { reason: '重复登记' } });
  // correct C: 45 minutes, 2 people, moved to 5 June
  const corr = await api(srv.url, `/api/v1/records/${C}/corrections`, { method: 'POST', cookie: st, body: { minutes: 45, people_served: 2, service_date: '2030-06-05', reason: '更正' } });
  const st2 = await F.makeUser(srv, 'pd_roll2', { grants: [['community_admin', o]] });
  assert.equal((await api(srv.url, `/api/v1/records/${C}/corrections/${corr.json.id}/decision`, { method: 'POST', cookie: st2, body: { decision: 'accept' } })).status, 200);

  const daily = await F.rows(srv, `SELECT category_id AS c, day, party_member AS pm, person_times AS n, minutes AS m, people_served AS s FROM rollup_daily WHERE org_unit_id = ${o} AND team_id = ${t} ORDER BY day, category_id, party_member`);
  assert.deepEqual(daily, [
    { c: cleaning, day: '2030-06-03', pm: 0, n: 1, m: 90, s: 3 },
    { c: cleaning, day: '2030-06-03', pm: 1, n: 1, m: 120, s: 5 },
    { c: patrol, day: '2030-06-04', pm: 0, n: 0, m: 0, s: 0 }, // moved away by the correction
    { c: patrol, day: '2030-06-05', pm: 0, n: 1, m: 45, s: 2 },
    { c: cleaning, day: '2030-06-06', pm: 0, n: 1, m: 40, s: 2 },
  ]);
  const monthly = await F.rows(srv, `SELECT category_id AS c, month, party_member AS pm, person_times AS n, minutes AS m, people_served AS s FROM rollup_monthly WHERE org_unit_id = ${o} ORDER BY category_id, party_member`);
  assert.deepEqual(monthly, [
    { c: cleaning, month: '2030-06', pm: 0, n: 2, m: 130, s: 5 },
    { c: cleaning, month: '2030-06', pm: 1, n: 1, m: 120, s: 5 },
    { c: patrol, month: '2030-06', pm: 0, n: 1, m: 45, s: 2 },
  ]);
  const perPerson = await F.rows(srv, `SELECT person_id AS p, person_times AS n, minutes AS m, people_served AS s FROM rollup_person WHERE person_id IN (${p1}, ${p2}, ${p3}) ORDER BY person_id`);
  assert.deepEqual(perPerson, [
    { p: p1, n: 1, m: 120, s: 5 },
    { p: p2, n: 2, m: 135, s: 5 },
    { p: p3, n: 1, m: 40, s: 2 },
  ]);
  const pm = await F.rows(srv, `SELECT person_id AS p, category_id AS c, person_times AS n, minutes AS m FROM rollup_person_monthly WHERE org_unit_id = ${o} AND person_times > 0 ORDER BY person_id, category_id`);
  assert.deepEqual(pm, [
    { p: p1, c: cleaning, n: 1, m: 120 },
    { p: p2, c: cleaning, n: 1, m: 90 },
    { p: p2, c: patrol, n: 1, m: 45 },
    { p: p3, c: cleaning, n: 1, m: 40 },
  ]);
  // the sums equal what the confirmed records say
  const check = await F.rows(srv, `SELECT count(*) AS n, sum(minutes) AS m, sum(people_served) AS s FROM service_records WHERE org_unit_id = ${o} AND status = 'confirmed'`);
  const roll = await F.rows(srv, `SELECT sum(person_times) AS n, sum(minutes) AS m, sum(people_served) AS s FROM rollup_daily WHERE org_unit_id = ${o}`);
  assert.deepEqual(roll, check);
});

test('a held performance counts one session for its team with its audience; training enters the file', async () => {
  await clock('2030-07-01T08:00:00+08:00');
  const show = await F.makeActivity(srv, leader, { team_id: team, title: '文艺汇演', kind: 'performance', category_id: performanceCat, capacity: 20, starts_at: '2030-07-01T19:00:00+08:00', ends_at: '2030-07-01T21:00:00+08:00' });
  const early = await api(srv.url, `/api/v1/activities/${show.id}/finish`, { method: 'POST', cookie: leader, body: { audience: 300 } });
  assert.equal(early.status, 409);
  assert.equal(early.json.code, 'activity_not_started');
  await clock('2030-07-01T21:30:00+08:00');
  const f = await api(srv.url, `/api/v1/activities/${show.id}/finish`, { method: 'POST', cookie: leader, body: { audience: 300 } });
  assert.equal(f.status, 200, f.text);
  assert.equal(f.json.audience, 300);
  const s = await F.rows(srv, `SELECT sessions, audience, day FROM rollup_team_sessions WHERE team_id = ${team}`);
  assert.deepEqual(s, [{ sessions: 1, audience: 300, day: '2030-07-01' }]);
  assert.equal((await api(srv.url, `/api/v1/activities/${show.id}/finish`, { method: 'POST', cookie: leader })).status, 409, 'held once');
  const cancelled = await F.makeActivity(srv, leader, { team_id: team, title: '取消的演出', kind: 'performance', capacity: 5, starts_at: '2030-07-02T19:00:00+08:00', ends_at: '2030-07-02T21:00:00+08:00' });
  await api(srv.url, `/api/v1/activities/${cancelled.id}/cancel`, { method: 'POST', cookie: leader, body: { reason: '下雨' } });
  assert.equal((await F.rows(srv, `SELECT sum(sessions) AS n FROM rollup_team_sessions WHERE team_id = ${team}`))[0].n, 1, 'a cancelled show is no session');

  const service = await F.makeActivity(srv, leader, { team_id: team, title: '普通服务', capacity: 5, starts_at: '2030-07-01T21:00:00+08:00', ends_at: '2030-07-01T21:20:00+08:00' });
  const aud = await api(srv.url, `/api/v1/activities/${service.id}/finish`, { method: 'POST', cookie: leader, body: { audience: 5 } });
  assert.equal(aud.status, 400);
  assert.equal(aud.json.errors[0].code, 'only_for_performance');

  const training = await F.makeActivity(srv, leader, { team_id: team, title: '急救培训', kind: 'training', capacity: 5, starts_at: '2030-07-01T20:00:00+08:00', ends_at: '2030-07-01T21:00:00+08:00' });
  assert.equal((await signup(training.id, vols[0])).status, 409, 'signing up closed at the start');
  const w = await mark(training.id, { person_id: vols[0], action: 'checkin', at: '2030-07-01T20:00:00+08:00', reason: '现场报名' });
  assert.equal(w.status, 200, w.text);
  await mark(training.id, { person_id: vols[0], action: 'checkout', at: '2030-07-01T21:00:00+08:00' });
  assert.equal((await api(srv.url, `/api/v1/activities/${training.id}/finish`, { method: 'POST', cookie: leader })).status, 200);
  const file = await api(srv.url, `/api/v1/people/${vols[0]}/training`, { cookie: volUsers[0] });
  assert.equal(file.status, 200);
  assert.equal(file.json.items.length, 1);
  assert.equal(file.json.items[0].text, '急救培训');
  assert.equal(file.json.items[0].date, '2030-07-01');
  assert.equal(file.json.items[0].activity_id, training.id);
});

test('awards, evaluations and complaints: date, issuer, text; seen by the person and their staff', async () => {
  await clock('2030-07-05T09:00:00+08:00');
  const p = vols[1];
  const add = (kind, cookie, body) => api(srv.url, `/api/v1/people/${p}/${kind}`, { method: 'POST', cookie, body });
  const aw = await add('awards', staff, { date: '2030-07-01', issuer: '管城区文明办', text: '优秀志愿者' });
  assert.equal(aw.status, 201, aw.text);
  assert.equal(aw.json.kind, 'award');
  assert.equal(aw.headers.get('location'), `/api/v1/people/${p}/awards`);
  assert.equal((await add('evaluations', staff, { date: '2030-07-02', issuer: '西堡服务队', text: '认真负责' })).status, 201);
  assert.equal((await add('complaints', staff, { date: '2030-07-03', issuer: '居民', text: '迟到' })).status, 201);
  assert.equal((await add('training', staff, { date: '2030-07-04', issuer: '红十字会', text: '心肺复苏' })).status, 201);
  const badDate = await add('awards', staff, { date: '2030-13-01', issuer: 'x', text: 'y' });
  assert.equal(badDate.status, 400);
  assert.equal(badDate.json.errors[0].field, 'date');
  assert.equal((await add('awards', volUsers[1], { date: '2030-07-01', issuer: 'me', text: 'me' })).status, 403);
  assert.equal((await add('complaints', outsider, { date: '2030-07-01', issuer: 'x', text: 'y' })).status, 404);
  const mine = await api(srv.url, `/api/v1/people/${p}/complaints`, { cookie: volUsers[1] });
  assert.deepEqual(mine.json.items.map((x) => [x.date, x.issuer, x.text]), [['2030-07-03', '居民', '迟到']]);
  assert.equal((await api(srv.url, `/api/v1/people/${p}/awards`, { cookie: volUsers[0] })).status, 404, 'not another volunteer’s file');
  const ev = await api(srv.url, `/api/v1/people/${p}/evaluations`, { cookie: staff });
  assert.equal(ev.json.items[0].text, '认真负责');
});
