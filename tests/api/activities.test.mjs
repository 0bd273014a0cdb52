// Activities: create, read, edit, search, weekly series, cancel (with notifications), finish.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as F from '../lib/activity_fixtures.mjs';
import { stopChecked } from '../lib/registry_fixtures.mjs';

const { api } = F;
let srv, admin, staff, leader, vol, outsider;
let yingxie, pingdeng, street, team, otherTeam, cleaning, environment, patrol;
let people; // volunteers in 英协社区
let leaderPerson;

before(async () => {
  srv = await F.startActivityServer();
  admin = await F.login(srv.url);
  await F.setClock(srv, admin, '2030-05-01T09:00:00+08:00');
  yingxie = await F.orgId(srv, '英协社区'); // under 凤凰台街道
  pingdeng = await F.orgId(srv, '平等街社区'); // under 西大街街道
  street = await F.orgId(srv, '凤凰台街道');
  cleaning = await F.categoryId(srv, 'cleaning');
  environment = await F.categoryId(srv, 'environment');
  patrol = await F.categoryId(srv, 'patrol');
  people = await F.makeVolunteers(srv, { org: yingxie, n: 6 });
  [leaderPerson] = await F.makeVolunteers(srv, { org: yingxie, n: 1, prefix: 'leader' });
  team = await F.makeTeam(srv, admin, {
    org: yingxie,
    name: '清扫队',
    category: cleaning,
    members: [{ person: leaderPerson, role: 'leader' }, { person: people[0] }],
  });
  otherTeam = await F.makeTeam(srv, admin, { org: pingdeng, name: '巡逻队', category: patrol });
  staff = await F.makeUser(srv, 'yx_staff', { grants: [['community_admin', yingxie]] });
  leader = await F.makeUser(srv, 'yx_leader', { person: leaderPerson });
  vol = await F.makeUser(srv, 'yx_vol', { person: people[0] });
  outsider = await F.makeUser(srv, 'pd_staff', { grants: [['community_admin', pingdeng]] });
});

after(async () => {
  if (srv) await stopChecked(srv);
});

test('an activity is created with RFC 3339 times and read back in Beijing time', async () => {
  const r = await api(srv.url, '/api/v1/activities', {
    method: 'POST',
    cookie: staff,
    body: {
      team_id: team,
      title: '周一清扫',
      description: '清扫楼道',
      venue: '英协社区3号楼',
      starts_at: '2030-05-06T06:00:00Z', // 14:00 in Beijing
      ends_at: '2030-05-06T17:30:00+08:00',
      capacity: 12,
      skills_required: ['扫地'],
      min_age: 16,
      kind: 'service',
    },
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.headers.get('location'), `/api/v1/activities/${r.json.id}`);
  const a = r.json;
  assert.equal(a.starts_at, '2030-05-06T14:00:00+08:00');
  assert.equal(a.ends_at, '2030-05-06T17:30:00+08:00');
  assert.equal(a.service_date, '2030-05-06');
  assert.equal(a.category_id, cleaning, 'category defaults to the team’s');
  assert.equal(a.org_unit_id, yingxie);
  assert.equal(a.status, 'draft', 'new activities are drafts unless published');
  assert.deepEqual(a.skills_required, ['扫地']);
  assert.equal(a.min_age, 16);
  assert.equal(a.places_left, 12);

  // a draft is invisible to a volunteer, visible to the staff who made it
  assert.equal((await api(srv.url, `/api/v1/activities/${a.id}`, { cookie: vol })).status, 404);
  const p = await api(srv.url, `/api/v1/activities/${a.id}`, { method: 'PATCH', cookie: staff, body: { status: 'published' } });
  assert.equal(p.status, 200, p.text);
  const g = await api(srv.url, `/api/v1/activities/${a.id}`, { cookie: vol });
  assert.equal(g.status, 200);
  assert.equal(g.json.status, 'published');
  assert.equal(g.json.can_lead, false);
  assert.equal(g.json.my_signup, null);
});

test('bad input gets clear field errors and nothing is written', async () => {
  const before = await F.rows(srv, 'SELECT count(*) AS n FROM activities');
  const r = await api(srv.url, '/api/v1/activities', {
    method: 'POST',
    cookie: staff,
    headers: { 'Accept-Language': 'en' },
    body: {
      team_id: team,
      title: 'x'.repeat(201),
      starts_at: '2030-05-06 14:00',
      ends_at: '2030-05-06T13:00:00+08:00',
      capacity: 0,
      kind: 'party',
      colour: 'red',
    },
  });
  assert.equal(r.status, 400);
  const codes = Object.fromEntries(r.json.errors.map((e) => [e.field, e.code]));
  assert.equal(codes.title, 'too_long');
  assert.equal(codes.starts_at, 'invalid_time');
  assert.equal(codes.capacity, 'out_of_range');
  assert.equal(codes.kind, 'invalid');
  assert.equal(codes.colour, 'unknown_field');
  const r2 = await api(srv.url, '/api/v1/activities', {
    method: 'POST',
    cookie: staff,
    body: { team_id: team, title: 't', capacity: 3, starts_at: '2030-05-06T14:00:00+08:00', ends_at: '2030-05-06T13:00:00+08:00' },
  });
  assert.equal(r2.status, 400);
  assert.deepEqual(r2.json.errors.map((e) => [e.field, e.code]), [['ends_at', 'ends_before_start']]);
  const r3 = await api(srv.url, '/api/v1/activities', {
    method: 'POST',
    cookie: staff,
    body: { team_id: team, title: 't', capacity: 3, starts_at: '2030-02-30T14:00:00+08:00', ends_at: '2030-05-06T13:00:00+08:00' },
  });
  assert.equal(r3.status, 400, 'February 30 is refused');
  const afterN = await F.rows(srv, 'SELECT count(*) AS n FROM activities');
  assert.equal(afterN[0].n, before[0].n);
});

test('who may create: staff of the community and the team’s leader, nobody else', async () => {
  const body = { team_id: team, title: '队长组织', capacity: 5, starts_at: '2030-05-07T09:00:00+08:00', ends_at: '2030-05-07T11:00:00+08:00' };
  const byLeader = await api(srv.url, '/api/v1/activities', { method: 'POST', cookie: leader, body });
  assert.equal(byLeader.status, 201, byLeader.text);
  const byVol = await api(srv.url, '/api/v1/activities', { method: 'POST', cookie: vol, body });
  assert.equal(byVol.status, 403);
  const byOutsider = await api(srv.url, '/api/v1/activities', { method: 'POST', cookie: outsider, body });
  assert.equal(byOutsider.status, 403, 'staff of another community');
  const noTeam = await api(srv.url, '/api/v1/activities', { method: 'POST', cookie: staff, body: { ...body, team_id: 999999 } });
  assert.equal(noTeam.status, 400);
  assert.equal(noTeam.json.errors[0].code, 'not_found_ref');
  const otherByLeader = await api(srv.url, '/api/v1/activities', {
    method: 'POST',
    cookie: leader,
    body: { ...body, team_id: otherTeam },
  });
  assert.equal(otherByLeader.status, 403, 'a leader leads only their own team');
  // the admin (city) has no right to run activities
  assert.equal((await api(srv.url, '/api/v1/activities', { method: 'POST', cookie: admin, body })).status, 403);
});

test('search by community, street subtree, category, date and open places', async () => {
  const mk = (cookie, f) => F.makeActivity(srv, cookie, f);
  const a1 = await mk(staff, { team_id: team, title: 'S1', starts_at: '2030-06-03T09:00:00+08:00', ends_at: '2030-06-03T10:00:00+08:00', capacity: 1 });
  const a2 = await mk(staff, { team_id: team, title: 'S2', starts_at: '2030-06-04T09:00:00+08:00', ends_at: '2030-06-04T10:00:00+08:00', capacity: 5, category_id: patrol });
  const a3 = await mk(outsider, { team_id: otherTeam, title: 'S3', starts_at: '2030-06-03T09:00:00+08:00', ends_at: '2030-06-03T10:00:00+08:00' });
  const ids = async (q) => (await api(srv.url, `/api/v1/activities?from=2030-06-01&to=2030-06-30&${q}`, { cookie: vol })).json.items.map((x) => x.id);

  assert.deepEqual(await ids(`org_unit=${yingxie}`), [a1.id, a2.id]);
  assert.deepEqual(await ids(`org_unit=${street}`), [a1.id, a2.id], 'a street covers its communities');
  assert.deepEqual(await ids(`org_unit=${pingdeng}`), [a3.id]);
  assert.deepEqual(await ids(''), [a1.id, a3.id, a2.id], 'ordered by start time');
  assert.deepEqual(await ids(`category=${patrol}`), [a3.id, a2.id]);
  assert.deepEqual(await ids(`category=${environment}`), [a1.id], 'a national category covers its sub-categories');
  const june3 = (await api(srv.url, '/api/v1/activities?from=2030-06-03&to=2030-06-03', { cookie: vol })).json.items.map((x) => x.id);
  assert.deepEqual(june3, [a1.id, a3.id]);

  // fill a1 and it drops out of has_places=true
  const s = await api(srv.url, `/api/v1/activities/${a1.id}/signups`, { method: 'POST', cookie: staff, body: { person_id: people[1] } });
  assert.equal(s.status, 201);
  assert.deepEqual(await ids(`org_unit=${yingxie}&has_places=true`), [a2.id]);
  // paging
  const p1 = await api(srv.url, '/api/v1/activities?from=2030-06-01&to=2030-06-30&limit=2', { cookie: vol });
  assert.equal(p1.json.items.length, 2);
  assert.ok(p1.json.next_cursor);
  const p2 = await api(srv.url, `/api/v1/activities?from=2030-06-01&to=2030-06-30&limit=2&cursor=${p1.json.next_cursor}`, { cookie: vol });
  assert.deepEqual(p2.json.items.map((x) => x.id), [a2.id]);
  assert.equal(p2.json.next_cursor, null);
  const bad = await api(srv.url, '/api/v1/activities?from=yesterday&has_places=maybe', { cookie: vol });
  assert.equal(bad.status, 400);
});

test('a weekly series makes one activity per occurrence; edit one, or this and following', async () => {
  const r = await api(srv.url, '/api/v1/activities', {
    method: 'POST',
    cookie: staff,
    body: {
      team_id: team,
      title: '四点钟课堂',
      capacity: 2,
      status: 'published',
      recurrence: { weekdays: [1, 4], start_time: '14:30', end_time: '16:30', from: '2030-05-01', until: '2030-05-31' },
    },
  });
  assert.equal(r.status, 201, r.text);
  assert.match(r.headers.get('location'), /^\/api\/v1\/activity-series\/\d+$/);
  const occ = r.json.items;
  // Mondays 6, 13, 20, 27 and Thursdays 2, 9, 16, 23, 30 May 2030
  assert.deepEqual(
    occ.map((a) => a.starts_at.slice(0, 10)),
    ['2030-05-02', '2030-05-06', '2030-05-09', '2030-05-13', '2030-05-16', '2030-05-20', '2030-05-23', '2030-05-27', '2030-05-30'],
  );
  assert.ok(occ.every((a) => a.starts_at.endsWith('T14:30:00+08:00') && a.ends_at.endsWith('T16:30:00+08:00')));
  assert.ok(occ.every((a) => a.series_id === r.json.series.id));
  assert.deepEqual(r.json.series.weekdays, [1, 4]);

  // each occurrence has its own sign-ups
  const s = await api(srv.url, `/api/v1/activities/${occ[1].id}/signups`, { method: 'POST', cookie: staff, body: { person_id: people[2] } });
  assert.equal(s.status, 201);
  const o0 = await api(srv.url, `/api/v1/activities/${occ[0].id}`, { cookie: vol });
  const o1 = await api(srv.url, `/api/v1/activities/${occ[1].id}`, { cookie: vol });
  assert.equal(o0.json.places_taken, 0);
  assert.equal(o1.json.places_taken, 1);

  // edit one occurrence only
  const e1 = await api(srv.url, `/api/v1/activities/${occ[2].id}`, { method: 'PATCH', cookie: staff, body: { title: '四点钟课堂（停水改期）' } });
  assert.equal(e1.status, 200, e1.text);
  let series = (await api(srv.url, `/api/v1/activity-series/${r.json.series.id}`, { cookie: vol })).json.items;
  assert.deepEqual(series.map((a) => a.title).filter((t) => t !== '四点钟课堂'), ['四点钟课堂（停水改期）']);

  // this and following: from 20 May on, 15:00-17:00
  const e2 = await api(srv.url, `/api/v1/activities/${occ[5].id}?scope=following`, {
    method: 'PATCH',
    cookie: staff,
    body: { starts_at: '2030-05-20T15:00:00+08:00', ends_at: '2030-05-20T17:00:00+08:00', venue: '新活动室' },
  });
  assert.equal(e2.status, 200, e2.text);
  series = (await api(srv.url, `/api/v1/activity-series/${r.json.series.id}`, { cookie: vol })).json.items;
  assert.deepEqual(
    series.map((a) => a.starts_at.slice(11, 16) + (a.venue ? '@' + a.venue : '')),
    ['14:30', '14:30', '14:30', '14:30', '14:30', '15:00@新活动室', '15:00@新活动室', '15:00@新活动室', '15:00@新活动室'],
  );
  assert.equal(series[8].starts_at, '2030-05-30T15:00:00+08:00');

  // cancel this and following from 27 May
  const c = await api(srv.url, `/api/v1/activities/${occ[7].id}/cancel?scope=following`, { method: 'POST', cookie: staff, body: { reason: '暑假' } });
  assert.equal(c.status, 200, c.text);
  series = (await api(srv.url, `/api/v1/activity-series/${r.json.series.id}`, { cookie: vol })).json.items;
  assert.deepEqual(series.map((a) => a.status), ['published', 'published', 'published', 'published', 'published', 'published', 'published', 'cancelled', 'cancelled']);

  const bad = await api(srv.url, '/api/v1/activities', {
    method: 'POST',
    cookie: staff,
    body: { team_id: team, title: 'x', capacity: 2, recurrence: { weekdays: [8], start_time: '25:00', end_time: '16:30', until: '2030-05-31' } },
  });
  assert.equal(bad.status, 400);
  const f = Object.fromEntries(bad.json.errors.map((e) => [e.field, e.code]));
  assert.equal(f['recurrence.weekdays'], 'out_of_range');
  assert.equal(f['recurrence.start_time'], 'invalid_time_of_day');
  const tooMany = await api(srv.url, '/api/v1/activities', {
    method: 'POST',
    cookie: staff,
    body: { team_id: team, title: 'x', capacity: 2, recurrence: { weekdays: [1, 2, 3, 4, 5, 6, 7], start_time: '08:00', end_time: '09:00', from: '2030-01-01', until: '2030-12-31' } },
  });
  assert.equal(tooMany.status, 400);
  assert.equal(tooMany.json.errors[0].code, 'too_many_occurrences');
});

test('cancelling tells everyone signed up; a cancelled activity takes no sign-ups', async () => {
  const a = await F.makeActivity(srv, staff, { team_id: team, title: '取消测试', capacity: 1, starts_at: '2031-03-03T09:00:00+08:00', ends_at: '2031-03-03T10:00:00+08:00' });
  for (const p of [people[3], people[4]]) {
    const s = await api(srv.url, `/api/v1/activities/${a.id}/signups`, { method: 'POST', cookie: staff, body: { person_id: p } });
    assert.equal(s.status, 201);
  }
  const byVol = await api(srv.url, `/api/v1/activities/${a.id}/cancel`, { method: 'POST', cookie: vol, body: { reason: 'x' } });
  assert.equal(byVol.status, 403);
  const noReason = await api(srv.url, `/api/v1/activities/${a.id}/cancel`, { method: 'POST', cookie: staff, body: {} });
  assert.equal(noReason.status, 400);
  const c = await api(srv.url, `/api/v1/activities/${a.id}/cancel`, { method: 'POST', cookie: staff, body: { reason: '暴雨预警' } });
  assert.equal(c.status, 200);
  assert.equal(c.json.status, 'cancelled');
  assert.equal(c.json.cancel_reason, '暴雨预警');
  const notes = (
    await F.rows(srv, `SELECT person_id, kind, payload FROM notifications WHERE kind = 'activity_cancelled' ORDER BY person_id`)
  ).filter((n) => JSON.parse(n.payload).activity_id === a.id);
  assert.deepEqual(notes.map((n) => n.person_id), [people[3], people[4]], 'the confirmed and the waitlisted person');
  assert.equal(JSON.parse(notes[0].payload).reason, '暴雨预警');
  assert.equal(JSON.parse(notes[0].payload).title, '取消测试');
  const late = await api(srv.url, `/api/v1/activities/${a.id}/signups`, { method: 'POST', cookie: staff, body: { person_id: people[5] } });
  assert.equal(late.status, 409);
  assert.equal(late.json.code, 'activity_not_open');
  const again = await api(srv.url, `/api/v1/activities/${a.id}/cancel`, { method: 'POST', cookie: staff, body: { reason: 'x' } });
  assert.equal(again.status, 409);
  const edit = await api(srv.url, `/api/v1/activities/${a.id}`, { method: 'PATCH', cookie: staff, body: { title: 'y' } });
  assert.equal(edit.status, 409);
  // the database itself refuses to reopen it
  await assert.rejects(F.exec(srv, `UPDATE activities SET status = 'published' WHERE id = ${a.id};`), /activity_status_final/);
});

test('capacity cannot drop below the places taken; raising it promotes the waitlist', async () => {
  const a = await F.makeActivity(srv, staff, { team_id: team, title: '扩容', capacity: 1, starts_at: '2030-07-02T09:00:00+08:00', ends_at: '2030-07-02T10:00:00+08:00' });
  const s1 = await api(srv.url, `/api/v1/activities/${a.id}/signups`, { method: 'POST', cookie: staff, body: { person_id: people[1] } });
  const s2 = await api(srv.url, `/api/v1/activities/${a.id}/signups`, { method: 'POST', cookie: staff, body: { person_id: people[2] } });
  assert.equal(s1.json.status, 'confirmed');
  assert.equal(s2.json.status, 'waitlisted');
  const grow = await api(srv.url, `/api/v1/activities/${a.id}`, { method: 'PATCH', cookie: staff, body: { capacity: 2 } });
  assert.equal(grow.status, 200);
  assert.equal(grow.json.places_taken, 2);
  assert.equal(grow.json.waitlisted, 0);
  const s2b = await api(srv.url, `/api/v1/activities/${a.id}/signups/${s2.json.id}`, { cookie: staff });
  assert.equal(s2b.json.status, 'confirmed');
  const shrink = await api(srv.url, `/api/v1/activities/${a.id}`, { method: 'PATCH', cookie: staff, body: { capacity: 1 } });
  assert.equal(shrink.status, 409);
  assert.equal(shrink.json.code, 'capacity_below_taken');
  // back to draft is refused once people signed up
  const draft = await api(srv.url, `/api/v1/activities/${a.id}`, { method: 'PATCH', cookie: staff, body: { status: 'draft' } });
  assert.equal(draft.status, 400);
  assert.equal(draft.json.errors[0].code, 'has_signups');
});

test('the test clock answers 404 without REXIN_TEST_CLOCK and only admins move it', async () => {
  const r = await api(srv.url, '/api/v1/test/clock', { method: 'PUT', cookie: staff, body: { now: '2030-05-01T09:00:00+08:00' } });
  assert.equal(r.status, 403);
  const plain = await (await import('../lib/server.mjs')).startServer();
  try {
    const c = await F.login(plain.url);
    const x = await api(plain.url, '/api/v1/test/clock', { method: 'PUT', cookie: c, body: { now: '2030-05-01T09:00:00+08:00' } });
    assert.equal(x.status, 404);
  } finally {
    await stopChecked(plain);
  }
});

test('a community moved to another street takes its activities along in the street and district lists', async () => {
  const streetRow = (await api(srv.url, `/api/v1/org-units/${street}`, { cookie: admin })).json;
  const mkOrg = async (parent_id, kind, name) => {
    const r = await api(srv.url, '/api/v1/org-units', { method: 'POST', cookie: admin, body: { parent_id, kind, name } });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  const newStreet = await mkOrg(streetRow.parent_id, 'street', '新村街道');
  const moved = await mkOrg(street, 'community', '搬迁社区');
  const t = await F.makeTeam(srv, admin, { org: moved, name: '搬迁社区志愿队', category: cleaning });
  const s = await F.makeUser(srv, 'move_staff', { grants: [['community_admin', moved]] });
  const a = await F.makeActivity(srv, s, { team_id: t, title: 'M1', starts_at: '2031-03-03T09:00:00+08:00', ends_at: '2031-03-03T10:00:00+08:00' });
  // does the list of org unit `org` (any status, and open ones only) show the activity?
  const lists = async (org) => {
    const all = (await api(srv.url, `/api/v1/activities?org_unit=${org}&limit=200`, { cookie: vol })).json.items;
    const open = (await api(srv.url, `/api/v1/activities?org_unit=${org}&status=published&limit=200`, { cookie: vol })).json.items;
    const inAll = all.some((x) => x.id === a.id), inOpen = open.some((x) => x.id === a.id);
    assert.equal(inAll, inOpen, 'both statements agree');
    return inAll;
  };
  assert.equal(await lists(street), true);
  assert.equal(await lists(newStreet), false);

  const mv = await api(srv.url, `/api/v1/org-units/${moved}`, { method: 'PATCH', cookie: admin, body: { parent_id: newStreet } });
  assert.equal(mv.status, 200, mv.text);
  assert.equal(await lists(street), false, 'the old street no longer lists it');
  assert.equal(await lists(newStreet), true, 'the new street does');
  assert.equal(await lists(streetRow.parent_id), true, 'the district still does');
  assert.equal(await lists(moved), true);

  // straight under the district (no street): only the district and the community list it
  const mv2 = await api(srv.url, `/api/v1/org-units/${moved}`, { method: 'PATCH', cookie: admin, body: { parent_id: streetRow.parent_id } });
  assert.equal(mv2.status, 200, mv2.text);
  assert.equal(await lists(newStreet), false);
  assert.equal(await lists(streetRow.parent_id), true);
});
