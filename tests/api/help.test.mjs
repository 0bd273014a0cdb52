// Residents' requests for help (点单 → 派单 → 接单 → 评单): every transition and the forbidden
// ones (in the API and in the database), registration on someone's behalf, the vulnerable
// flags' scope, dispatch to a team and to a volunteer, the order of suggestions, the
// single winner of 抢单 under concurrency, escalation with the test clock, service records on
// completion, ratings and the low-rating list, and the figures against hand-worked values.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as F from '../lib/help_fixtures.mjs';
import { stopChecked } from '../lib/registry_fixtures.mjs';

let srv, admin, call;
let yx, street, jinshui, rongHua, pingDeng; // 英协社区 under 凤凰台街道 under 金水区; 荣华 under 金水区; 平等街 elsewhere
let repair, elder;
let sw, streetAdmin, otherSw, districtAdmin;
let resident, neighbour, noPerson, vol, vol2, leader, member, outsiderVol;
let team;

const clock = (iso) => F.setClock(srv, admin.cookie, iso);
const create = (who, body) => call(who, '/api/v1/help-requests', { method: 'POST', body });
const act = (who, id, action, body) => call(who, `/api/v1/help-requests/${id}/${action}`, { method: 'POST', body: body === undefined ? {} : body });
const get = (who, id) => call(who, `/api/v1/help-requests/${id}`);
const list = (who, query = '') => call(who, `/api/v1/help-requests${query}`);
const events = async (id) => (await call(sw, `/api/v1/help-requests/${id}/events`)).json.items;
const inbox = async (who, kind) => (await call(who, `/api/v1/inbox?limit=200${kind ? `&kind=${kind}` : ''}`)).json.items;
const sweep = async () => {
  const r = await call(admin, '/api/v1/test/sweep', { method: 'POST' });
  assert.equal(r.status, 200, r.text);
  return r.json;
};
const minutesLater = (iso, m) => new Date(Date.parse(iso) + m * 60e3).toISOString();

// a request from the resident (urgent or not), checked
async function ask(fields = {}, who = resident) {
  const r = await create(who, { category_id: repair, need: '下水道堵了', address: '英协社区3号楼2单元', ...fields });
  assert.equal(r.status, 201, r.text);
  return r.json;
}
async function ok(res, state) {
  assert.equal(res.status, 200, res.text);
  if (state) assert.equal(res.json.state, state);
  return res.json;
}

before(async () => {
  srv = await F.startActivityServer(['--help-sweep-seconds', '0']);
  admin = { cookie: await F.login(srv.url) };
  call = F.caller(srv);
  await clock('2030-05-01T09:00:00+08:00');
  yx = await F.orgId(srv, '英协社区');
  street = await F.orgId(srv, '凤凰台街道');
  jinshui = await F.orgId(srv, '金水区');
  rongHua = await F.orgId(srv, '荣华社区');
  pingDeng = await F.orgId(srv, '平等街社区');
  repair = await F.categoryId(srv, 'appliance_repair');
  elder = await F.categoryId(srv, 'elder_care');
  const [pRes, pNeigh, pVol, pVol2, pLeader, pMember] = await F.makeVolunteers(srv, { org: yx, n: 6, prefix: 'yx' });
  const [pOut] = await F.makeVolunteers(srv, { org: pingDeng, n: 1, prefix: 'pd' });
  team = await F.makeTeam(srv, admin.cookie, {
    org: yx,
    name: '英协维修队',
    category: repair,
    members: [{ person: pLeader, role: 'leader' }, { person: pMember }],
  });
  [sw, streetAdmin, otherSw, districtAdmin, resident, neighbour, noPerson, vol, vol2, leader, member, outsiderVol] = await F.tokenUsers(srv, [
    { name: 'sw', grants: [['social_worker', yx]] },
    { name: 'street', grants: [['street_admin', street]] },
    { name: 'othersw', grants: [['social_worker', pingDeng]] },
    { name: 'district', grants: [['district_admin', jinshui]] },
    { name: 'resident', person: pRes },
    { name: 'neighbour', person: pNeigh },
    { name: 'noperson' },
    { name: 'vol', person: pVol },
    { name: 'vol2', person: pVol2 },
    { name: 'leader', person: pLeader },
    { name: 'member', person: pMember },
    { name: 'outsider', person: pOut },
  ]);
});

after(async () => {
  if (srv) await stopChecked(srv);
});

test('a resident asks for help: deadline by urgency, the event log, dispatchers told', async () => {
  await clock('2030-05-02T10:00:00+08:00');
  const n = await ask({ details: '厨房的下水道', contact_phone: '+86 138-0013-8000', wanted_from: '2030-05-02T14:00:00+08:00', wanted_to: '2030-05-02T18:00:00+08:00' });
  assert.equal(n.state, 'submitted');
  assert.equal(n.person_id, resident.person);
  assert.equal(n.registered_by, resident.id);
  assert.equal(n.on_behalf, false);
  assert.equal(n.org_unit_id, yx, 'the home community by default');
  assert.equal(n.contact_phone, '13800138000', 'normalised');
  assert.equal(n.urgency, 'normal');
  const span = (x) => (Date.parse(x.accept_deadline_at) - Date.parse(x.created_at)) / 60e3;
  assert.equal(span(n), 24 * 60, '24 hours for a normal request');
  assert.match(n.accept_deadline_at, /^2030-05-03T10:00:\d\d\+08:00$/);
  assert.equal(n.overdue, false);
  const u = await ask({ urgency: 'urgent' });
  assert.equal(span(u), 120, '2 hours for an urgent one');
  const g = await call(resident, `/api/v1/help-requests/${n.id}`);
  assert.equal(g.json.need, '下水道堵了');
  assert.deepEqual((await events(n.id)).map((e) => [e.action, e.from_state, e.to_state, e.by_user_id]), [['submit', null, 'submitted', resident.id]]);
  const note = (await inbox(sw, 'help_request_submitted')).find((x) => x.payload.help_request_id === n.id);
  assert.ok(note, 'the community social worker is told');
  assert.equal(note.payload.need, '下水道堵了');
  assert.equal((await inbox(otherSw, 'help_request_submitted')).length, 0, 'not another community');
  // input errors, all at once
  const bad = await create(resident, { category_id: 999999, need: '', address: 'x', urgency: 'now', vulnerable: ['rich'], contact_phone: '12345', wanted_from: '2030-05-02T18:00:00+08:00', wanted_to: '2030-05-02T17:00:00+08:00', colour: 'red' });
  assert.equal(bad.status, 400);
  const codes = Object.fromEntries(bad.json.errors.map((e) => [e.field, e.code]));
  assert.deepEqual(codes, {
    need: 'required',
    urgency: 'invalid',
    vulnerable: 'invalid_flag',
    contact_phone: 'invalid_phone',
    wanted_to: 'ends_before_start',
    colour: 'unknown_field',
  });
  const cat = await create(resident, { category_id: 999999, need: 'x', address: 'x' });
  assert.deepEqual(cat.json.errors.map((e) => [e.field, e.code]), [['category_id', 'not_found_ref']]);
  const none = await create(noPerson, { category_id: repair, need: 'x', address: 'x' });
  assert.deepEqual(none.json.errors.map((e) => [e.field, e.code]), [['person_id', 'required']]);
});

test('on behalf: a neighbour by name, a social worker by person; both the person and the registrar are kept', async () => {
  await clock('2030-05-03T09:00:00+08:00');
  const r = await create(neighbour, { person_name: '王奶奶', org_unit_id: yx, category_id: elder, need: '帮忙买菜', address: '5号楼101', contact_phone: '13900139000' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.on_behalf, true);
  assert.equal(r.json.registered_by, neighbour.id);
  assert.equal(r.json.person_name, '王奶奶');
  assert.notEqual(r.json.person_id, neighbour.person);
  const [p] = await F.rows(srv, `SELECT org_unit_id, name, phone FROM people WHERE id = ${r.json.person_id}`);
  assert.deepEqual(p, { org_unit_id: yx, name: '王奶奶', phone: '13900139000' }, 'a person record for someone without a phone');
  assert.equal((await get(neighbour, r.json.id)).status, 200, 'the registrar sees it');
  assert.equal((await get(sw, r.json.id)).status, 200);
  assert.equal((await get(vol, r.json.id)).status, 404);

  const s = await create(sw, { person_id: resident.person, category_id: repair, need: '修电视', address: '3号楼' });
  assert.equal(s.status, 201, s.text);
  assert.equal(s.json.person_id, resident.person);
  assert.equal(s.json.registered_by, sw.id);
  assert.equal(s.json.on_behalf, true);
  assert.equal((await get(resident, s.json.id)).status, 200, 'the person helped sees it too');
  // only staff of the person's community name a person; others use a name
  const n2 = await create(neighbour, { person_id: resident.person, category_id: repair, need: 'x', address: 'x' });
  assert.equal(n2.status, 400);
  assert.deepEqual(n2.json.errors.map((e) => [e.field, e.code]), [['person_id', 'not_found_ref']]);
  const o2 = await create(otherSw, { person_id: resident.person, category_id: repair, need: 'x', address: 'x' });
  assert.equal(o2.status, 400);
  const both = await create(sw, { person_id: resident.person, person_name: '某人', org_unit_id: yx, category_id: repair, need: 'x', address: 'x' });
  assert.equal(both.json.errors[0].code, 'only_one_of');
  const notCommunity = await create(neighbour, { person_name: '李爷爷', org_unit_id: street, category_id: repair, need: 'x', address: 'x' });
  assert.deepEqual(notCommunity.json.errors.map((e) => [e.field, e.code]), [['org_unit_id', 'not_community']]);
});

test('vulnerable flags: only community staff with the sensitive right see them', async () => {
  await clock('2030-05-03T10:00:00+08:00');
  const r = await ask({ vulnerable: ['very_old', 'lives_alone', 'lives_alone'] });
  assert.equal(r.vulnerable, null, 'not even the resident who gave them');
  assert.deepEqual((await get(sw, r.id)).json.vulnerable, ['lives_alone', 'very_old'], 'the community social worker');
  assert.equal((await get(streetAdmin, r.id)).json.vulnerable, null, 'street staff dispatch but do not see them');
  assert.equal((await get(streetAdmin, r.id)).json.address, '英协社区3号楼2单元');
  await ok(await act(sw, r.id, 'dispatch', { person_id: vol.person }), 'dispatched');
  const v = await get(vol, r.id);
  assert.equal(v.json.vulnerable, null, 'nor the volunteer');
  assert.equal(v.json.address, '英协社区3号楼2单元', 'who needs the address');
  const listed = (await list(sw)).json.items.find((x) => x.id === r.id);
  assert.deepEqual(listed.vulnerable, ['lives_alone', 'very_old']);
  assert.equal((await list(streetAdmin)).json.items.find((x) => x.id === r.id).vulnerable, null);
  // by default the person's recorded flags
  await F.setPerson(srv, resident.person, { vulnerable: ['disabled'] });
  const d = await ask();
  assert.deepEqual((await get(sw, d.id)).json.vulnerable, ['disabled']);
  await F.setPerson(srv, resident.person, { vulnerable: [] });
  // help needed in another community: its staff do not see the flags of a person from here
  const rhStaff = await F.tokenUser(srv, { name: 'rhadmin', grants: [['community_admin', rongHua]] });
  const away = await create(sw, { person_id: resident.person, org_unit_id: rongHua, category_id: repair, need: '去亲戚家帮忙', address: '荣华小区', vulnerable: ['lives_alone'] });
  assert.equal(away.status, 201, away.text);
  assert.equal((await get(rhStaff, away.json.id)).json.vulnerable, null, 'not the person\'s own community');
  assert.equal((await get(rhStaff, away.json.id)).json.address, '荣华小区');
  assert.equal((await get(sw, away.json.id)).json.vulnerable, null, 'nor staff of the person\'s community for a request elsewhere');
});

// Each path is a list of steps [action, who, body]; the last state and the log are checked.
const PATHS = [
  { name: 'the whole way', steps: [['dispatch', 'sw', 'vol'], ['accept', 'vol'], ['start', 'vol'], ['done', 'vol'], ['rate', 'resident', { stars: 5 }]], end: 'rated' },
  { name: 'open, taken', steps: [['open', 'sw'], ['accept', 'vol2']], end: 'accepted' },
  { name: 'cancelled at once', steps: [['cancel', 'resident', { reason: '自己修好了' }]], end: 'cancelled' },
  { name: 'closed at once', steps: [['close', 'sw', { reason: '非本社区事务' }]], end: 'closed_unresolved' },
  { name: 'open, then given to a team', steps: [['open', 'sw'], ['dispatch', 'sw', 'team'], ['accept', 'leader']], end: 'accepted' },
  { name: 'open, cancelled', steps: [['open', 'sw'], ['cancel', 'resident']], end: 'cancelled' },
  { name: 'open, closed', steps: [['open', 'sw'], ['close', 'sw', { reason: '无人接单' }]], end: 'closed_unresolved' },
  { name: 'declined, back to the dispatcher', steps: [['dispatch', 'sw', 'vol'], ['decline', 'vol', { reason: '出差了' }]], end: 'submitted' },
  { name: 'given to someone else', steps: [['dispatch', 'sw', 'vol'], ['dispatch', 'sw', 'vol2']], end: 'dispatched' },
  { name: 'dispatched, then opened', steps: [['dispatch', 'sw', 'vol'], ['open', 'sw']], end: 'open' },
  { name: 'dispatched, cancelled', steps: [['dispatch', 'sw', 'vol'], ['cancel', 'resident']], end: 'cancelled' },
  { name: 'dispatched, closed', steps: [['dispatch', 'sw', 'vol'], ['close', 'sw', { reason: '重复' }]], end: 'closed_unresolved' },
  { name: 'accepted, then declined', steps: [['dispatch', 'sw', 'vol'], ['accept', 'vol'], ['decline', 'vol', { reason: '工具不够' }]], end: 'submitted' },
  { name: 'accepted, cancelled', steps: [['dispatch', 'sw', 'vol'], ['accept', 'vol'], ['cancel', 'resident']], end: 'cancelled' },
  { name: 'accepted, closed', steps: [['dispatch', 'sw', 'vol'], ['accept', 'vol'], ['close', 'sw', { reason: '联系不上' }]], end: 'closed_unresolved' },
  { name: 'in progress, cancelled', steps: [['dispatch', 'sw', 'vol'], ['accept', 'vol'], ['start', 'vol'], ['cancel', 'resident']], end: 'cancelled' },
  { name: 'in progress, closed', steps: [['dispatch', 'sw', 'vol'], ['accept', 'vol'], ['start', 'vol'], ['close', 'sw', { reason: '需要专业维修' }]], end: 'closed_unresolved' },
];

test('every allowed transition, through the API, each logged with who, from, to and why', async () => {
  await clock('2030-05-04T09:00:00+08:00');
  const who = () => ({ sw, vol, vol2, leader, resident });
  const seen = new Set();
  for (const path of PATHS) {
    const r = await ask();
    let state = 'submitted';
    const expected = [['submit', null, 'submitted', resident.id, null]];
    for (const [action, actor, arg] of path.steps) {
      let body = arg;
      if (action === 'dispatch') body = arg === 'team' ? { team_id: team } : { person_id: who()[arg].person };
      const res = await act(who()[actor], r.id, action, body);
      assert.equal(res.status, 200, `${path.name}: ${action} → ${res.text}`);
      const to = res.json.state;
      seen.add(`${state}→${to}`);
      expected.push([action, state, to, who()[actor].id, (body && body.reason) || null]);
      state = to;
    }
    assert.equal(state, path.end, path.name);
    const log = (await events(r.id)).map((e) => [e.action, e.from_state, e.to_state, e.by_user_id, e.reason]);
    assert.deepEqual(log, expected, path.name);
  }
  // together the paths walk every pair the database allows
  const table = await F.rows(srv, 'SELECT from_state, to_state FROM help_request_transitions ORDER BY from_state, to_state');
  const all = table.map((t) => `${t.from_state}→${t.to_state}`);
  assert.deepEqual([...seen].sort(), [...all].sort());
  assert.equal(all.length, 22);
});

test('a decline needs a reason and clears the assignee; dispatchers hear of it', async () => {
  await clock('2030-05-04T11:00:00+08:00');
  const r = await ask();
  await ok(await act(sw, r.id, 'dispatch', { person_id: vol.person }));
  const noReason = await act(vol, r.id, 'decline', {});
  assert.equal(noReason.status, 400);
  assert.equal(noReason.json.errors[0].field, 'reason');
  const d = await ok(await act(vol, r.id, 'decline', { reason: '人在外地' }), 'submitted');
  assert.equal(d.assignee_person_id, null);
  assert.equal(d.accepted_at, null);
  const note = (await inbox(sw, 'help_request_declined')).find((x) => x.payload.help_request_id === r.id);
  assert.equal(note.payload.reason, '人在外地');
  assert.equal((await get(vol, r.id)).status, 404, 'no longer theirs to see');
});

test('forbidden transitions answer 409 invalid_transition naming both states; wrong people 403/404', async () => {
  await clock('2030-05-04T13:00:00+08:00');
  const expect409 = async (res, from, to) => {
    assert.equal(res.status, 409, res.text);
    assert.equal(res.json.code, 'invalid_transition');
    assert.equal(res.json.from, from);
    assert.equal(res.json.to, to);
    assert.match(res.json.detail, new RegExp(`${from} → ${to}`));
    assert.equal(res.json.errors[0].field, 'state');
  };
  const r = await ask();
  await expect409(await act(resident, r.id, 'rate', { stars: 5 }), 'submitted', 'rated');
  await ok(await act(sw, r.id, 'dispatch', { person_id: vol.person }));
  await expect409(await act(vol, r.id, 'start'), 'dispatched', 'in_progress');
  await expect409(await act(vol, r.id, 'done'), 'dispatched', 'done');
  await ok(await act(vol, r.id, 'accept'));
  await expect409(await act(vol, r.id, 'done'), 'accepted', 'done');
  await expect409(await act(sw, r.id, 'dispatch', { person_id: vol2.person }), 'accepted', 'dispatched');
  await expect409(await act(sw, r.id, 'open'), 'accepted', 'open');
  await expect409(await act(vol, r.id, 'accept'), 'accepted', 'accepted');
  await ok(await act(vol, r.id, 'start'));
  await expect409(await act(vol, r.id, 'decline', { reason: 'x' }), 'in_progress', 'submitted');
  await ok(await act(vol, r.id, 'done'));
  await expect409(await act(resident, r.id, 'cancel'), 'done', 'cancelled');
  await expect409(await act(sw, r.id, 'close', { reason: 'x' }), 'done', 'closed_unresolved');
  await ok(await act(resident, r.id, 'rate', { stars: 4 }));
  await expect409(await act(resident, r.id, 'rate', { stars: 1 }), 'rated', 'rated');
  await expect409(await act(sw, r.id, 'close', { reason: 'x' }), 'rated', 'closed_unresolved');
  const c = await ask();
  await ok(await act(resident, c.id, 'cancel'));
  await expect409(await act(sw, c.id, 'dispatch', { person_id: vol.person }), 'cancelled', 'dispatched');
  await expect409(await act(sw, c.id, 'open'), 'cancelled', 'open');
  // a failed move leaves no trace in the log
  assert.deepEqual((await events(c.id)).map((e) => e.action), ['submit', 'cancel']);

  // the wrong people
  const w = await ask();
  assert.equal((await act(resident, w.id, 'dispatch', { person_id: vol.person })).status, 403, 'the requester does not dispatch');
  assert.equal((await act(vol, w.id, 'accept')).status, 404, 'a volunteer it was not given to does not see it');
  assert.equal((await act(otherSw, w.id, 'dispatch', { person_id: vol.person })).status, 404, 'another community');
  assert.equal((await get(otherSw, w.id)).status, 404);
  await ok(await act(streetAdmin, w.id, 'dispatch', { person_id: vol.person }), 'dispatched'); // street staff dispatch below them
  assert.equal((await act(vol2, w.id, 'accept')).status, 404);
  assert.equal((await act(sw, w.id, 'accept')).status, 403, 'staff do not accept for the volunteer');
  assert.equal((await act(vol, w.id, 'cancel')).status, 403, 'only the requester cancels');
  assert.equal((await act(vol, w.id, 'close', { reason: 'x' })).status, 403);
  assert.equal((await act(vol, w.id, 'rate', { stars: 3 })).status, 403);
  const self = await act(sw, w.id, 'dispatch', { person_id: resident.person });
  assert.equal(self.status, 400);
  assert.equal(self.json.errors[0].code, 'own_request');
  const far = await act(sw, w.id, 'dispatch', { person_id: outsiderVol.person });
  assert.equal(far.json.errors[0].code, 'not_a_volunteer', 'volunteers of the district only');
  const both = await act(sw, w.id, 'dispatch', { person_id: vol.person, team_id: team });
  assert.equal(both.json.errors[0].code, 'only_one_of');
});

test('the database holds the state machine on its own', async () => {
  const r = await ask();
  await assert.rejects(F.exec(srv, `UPDATE help_requests SET state = 'done' WHERE id = ${r.id};`), /invalid_transition/);
  await assert.rejects(F.exec(srv, `UPDATE help_requests SET state = 'rated', rating = 5 WHERE id = ${r.id};`), /invalid_transition/);
  await assert.rejects(
    F.exec(srv, `INSERT INTO help_requests(org_unit_id, person_id, registered_by, category_id, need, address, state, accept_deadline_at, last_progress_at, created_at, updated_at)
                 VALUES(${yx}, ${resident.person}, ${resident.id}, ${repair}, 'x', 'x', 'accepted', 0, 0, 0, 0);`),
    /invalid_transition/,
  );
  await assert.rejects(F.exec(srv, `UPDATE help_requests SET state = 'dispatched' WHERE id = ${r.id};`), /CHECK constraint/i, 'dispatched needs an assignee');
  await assert.rejects(F.exec(srv, `UPDATE help_request_events SET reason = 'x' WHERE request_id = ${r.id};`), /append_only/);
  await assert.rejects(F.exec(srv, `DELETE FROM help_request_events WHERE request_id = ${r.id};`), /append_only/);
  await assert.rejects(F.exec(srv, `DELETE FROM help_requests WHERE id = ${r.id};`), /help_request_no_delete/);
  await assert.rejects(F.exec(srv, `UPDATE help_requests SET person_id = ${vol.person} WHERE id = ${r.id};`), /requester_fixed/);
  // a move the table allows goes through, and is logged by the database itself
  await F.exec(srv, `UPDATE help_requests SET state = 'cancelled', last_action = 'cancel', changed_by = ${resident.id}, updated_at = 5 WHERE id = ${r.id};`);
  assert.deepEqual((await events(r.id)).map((e) => [e.action, e.from_state, e.to_state]), [['submit', null, 'submitted'], ['cancel', 'submitted', 'cancelled']]);
});

test('merging two records of one person moves their requests to the survivor', async () => {
  await clock('2030-05-04T15:00:00+08:00');
  const r = (await create(neighbour, { person_name: '孙奶奶', org_unit_id: yx, category_id: elder, need: '送饭', address: '9号楼' })).json;
  const [assignee] = await F.makeVolunteers(srv, { org: yx, n: 1, prefix: 'mg' });
  await ok(await act(sw, r.id, 'dispatch', { person_id: assignee }));
  const [s1] = await F.rows(srv, `INSERT INTO people(org_unit_id, name, created_at, updated_at) VALUES(${yx}, '孙奶奶', 0, 0) RETURNING id`);
  const [s2] = await F.rows(srv, `INSERT INTO people(org_unit_id, name, created_at, updated_at) VALUES(${yx}, '志愿者', 0, 0) RETURNING id`);
  for (const [survivor, loser] of [[s1.id, r.person_id], [s2.id, assignee]]) {
    const m = await call(sw, '/api/v1/people/merge', { method: 'POST', body: { survivor_id: survivor, loser_id: loser } });
    assert.equal(m.status, 200, m.text);
  }
  const [row] = await F.rows(srv, `SELECT person_id, assignee_person_id FROM help_requests WHERE id = ${r.id}`);
  assert.deepEqual(row, { person_id: s1.id, assignee_person_id: s2.id });
  // anything else than a merge still cannot change who asked
  await assert.rejects(F.exec(srv, `UPDATE help_requests SET person_id = ${vol.person} WHERE id = ${r.id};`), /requester_fixed/);
});

test('dispatch to a team: its leaders are told and accept; members see it; time for the team', async () => {
  await clock('2030-05-05T09:00:00+08:00');
  const r = await ask({ need: '修洗衣机' });
  const d = await ok(await act(sw, r.id, 'dispatch', { team_id: team, note: '请尽快' }), 'dispatched');
  assert.equal(d.assignee_team_id, team);
  assert.match(d.assignee_team_name, /英协维修队/);
  const note = (await inbox(leader, 'help_request_dispatched')).find((x) => x.payload.help_request_id === r.id);
  assert.equal(note.payload.note, '请尽快');
  assert.equal((await inbox(member, 'help_request_dispatched')).length, 0, 'members are not paged, leaders are');
  assert.equal((await get(member, r.id)).status, 200, 'members see it');
  assert.equal((await act(member, r.id, 'accept')).status, 403, 'members do not accept for the team');
  await ok(await act(leader, r.id, 'accept'), 'accepted');
  assert.equal((await inbox(resident, 'help_request_accepted')).filter((x) => x.payload.help_request_id === r.id).length, 1);
  await ok(await act(leader, r.id, 'start'), 'in_progress');
  const notMember = await act(leader, r.id, 'done', { time: [{ person_id: member.person, minutes: 60 }, { person_id: vol.person, minutes: 60 }] });
  assert.equal(notMember.status, 400);
  assert.deepEqual(notMember.json.errors.map((e) => [e.field, e.code]), [['time[1].person_id', 'not_team_member']]);
  const done = await ok(await act(leader, r.id, 'done', { outcome: '换了排水管', time: [{ person_id: member.person, minutes: 90 }, { person_id: leader.person, minutes: 75, people_served: 2 }] }), 'done');
  assert.equal(done.outcome, '换了排水管');
  assert.deepEqual(
    done.records.map((x) => [x.person_id, x.minutes, x.people_served, x.team_id, x.source, x.status, x.help_request_id, x.org_unit_id, x.service_date, x.description]),
    [
      [member.person, 90, 1, team, 'help_request', 'pending', r.id, yx, '2030-05-05', '修洗衣机'],
      [leader.person, 75, 2, team, 'help_request', 'pending', r.id, yx, '2030-05-05', '修洗衣机'],
    ],
  );
});

test('done: the volunteer records their time as pending service records, confirmed like any other', async () => {
  await clock('2030-05-06T09:00:00+08:00');
  const r = await ask({ need: '换灯泡' });
  await ok(await act(sw, r.id, 'dispatch', { person_id: vol.person }));
  await ok(await act(vol, r.id, 'accept'));
  await ok(await act(vol, r.id, 'start'));
  const other = await act(vol, r.id, 'done', { time: [{ person_id: vol2.person, minutes: 30 }] });
  assert.equal(other.json.errors[0].code, 'not_assignee');
  const bad = await act(vol, r.id, 'done', { time: [{ person_id: vol.person, minutes: 0 }, { person_id: vol.person }, { minutes: 5, who: 1 }] });
  assert.deepEqual(bad.json.errors.map((e) => [e.field, e.code]), [
    ['time[0].minutes', 'out_of_range'],
    ['time[1].minutes', 'required'],
    ['time[2]', 'invalid'],
  ]);
  // the daily cap (480) holds: nothing is written, the request stays in progress
  const cap = await act(vol, r.id, 'done', { time: [{ person_id: vol.person, minutes: 500 }] });
  assert.equal(cap.status, 409);
  assert.equal(cap.json.code, 'over_daily_cap');
  assert.equal(cap.json.errors[0].field, 'time[0].minutes');
  assert.equal((await get(vol, r.id)).json.state, 'in_progress');
  const done = await ok(await act(vol, r.id, 'done', { time: [{ person_id: vol.person, minutes: 40 }] }), 'done');
  assert.equal(done.records.length, 1);
  const rec = done.records[0];
  assert.deepEqual([rec.source, rec.status, rec.minutes, rec.help_request_id, rec.team_id], ['help_request', 'pending', 40, r.id, null]);
  // the same records list and confirmation as any other record
  const l = await call(sw, `/api/v1/records?source=help_request&person_id=${vol.person}`);
  assert.ok(l.json.items.some((x) => x.id === rec.id));
  assert.equal((await call(vol, `/api/v1/records/${rec.id}/confirm`, { method: 'POST' })).status, 403, 'not one\'s own');
  const conf = await call(sw, `/api/v1/records/${rec.id}/confirm`, { method: 'POST' });
  assert.equal(conf.status, 403, 'social workers do not confirm records');
  const staff = await F.tokenUser(srv, { name: 'yxadmin', grants: [['community_admin', yx]] });
  const c2 = await call(staff, `/api/v1/records/${rec.id}/confirm`, { method: 'POST' });
  assert.equal(c2.status, 200, c2.text);
  assert.equal(c2.json.status, 'confirmed');
  const [roll] = await F.rows(srv, `SELECT minutes FROM rollup_person WHERE person_id = ${vol.person}`);
  assert.equal(roll.minutes, 40);
  // the database keeps one record per volunteer and request
  await assert.rejects(
    F.exec(srv, `INSERT INTO service_records(person_id, help_request_id, category_id, org_unit_id, service_date, minutes, source, created_at, updated_at)
                 VALUES(${vol.person}, ${r.id}, ${repair}, ${yx}, '2030-05-06', 10, 'help_request', 0, 0);`),
    /UNIQUE/i, // SQLite: "UNIQUE constraint failed"; PostgreSQL: "violates unique constraint"
  );
  // no time is fine too
  const r2 = await ask();
  await ok(await act(sw, r2.id, 'dispatch', { person_id: vol.person }));
  await ok(await act(vol, r2.id, 'accept'));
  await ok(await act(vol, r2.id, 'start'));
  assert.deepEqual((await ok(await act(sw, r2.id, 'done', {}), 'done')).records, [], 'staff may close the work for a volunteer without a phone');
});

test('rating: 1-5 stars by the requester or the registrar; low ratings listed and notified to the community', async () => {
  await clock('2030-05-07T09:00:00+08:00');
  const finish = async (r) => {
    await ok(await act(sw, r.id, 'dispatch', { person_id: vol.person }));
    await ok(await act(vol, r.id, 'accept'));
    await ok(await act(vol, r.id, 'start'));
    await ok(await act(vol, r.id, 'done'));
  };
  const low = await ask({ need: '修水龙头' });
  const high = await ask({ need: '修门锁' });
  const behalf = (await create(neighbour, { person_name: '赵大爷', org_unit_id: yx, category_id: repair, need: '修暖气', address: '7号楼' })).json;
  for (const r of [low, high, behalf]) await finish(r);
  for (const stars of [0, 6, '5', null]) {
    const b = await act(resident, low.id, 'rate', { stars });
    assert.equal(b.status, 400, `stars ${stars}`);
  }
  assert.equal((await act(vol, low.id, 'rate', { stars: 5 })).status, 403, 'not the volunteer');
  const l = await ok(await act(resident, low.id, 'rate', { stars: 2, comment: '来得太晚' }), 'rated');
  assert.equal(l.rating, 2);
  assert.equal(l.rating_comment, '来得太晚');
  await ok(await act(resident, high.id, 'rate', { stars: 5, comment: '很好' }), 'rated');
  await ok(await act(neighbour, behalf.id, 'rate', { stars: 1 }), 'rated');
  const ids = (await list(sw, '?low_rating=true')).json.items.map((x) => x.id);
  assert.ok(ids.includes(low.id) && ids.includes(behalf.id));
  assert.ok(!ids.includes(high.id));
  assert.ok((await list(sw, '?low_rating=true')).json.items.every((x) => x.rating <= 2));
  assert.deepEqual((await list(otherSw, '?low_rating=true')).json.items, [], 'another community sees none');
  const notes = (await inbox(sw, 'help_request_low_rating')).map((x) => [x.payload.help_request_id, x.payload.comment]);
  assert.deepEqual(notes.sort(), [[behalf.id, null], [low.id, '来得太晚']].sort());
  assert.ok((await inbox(vol, 'help_request_rated')).some((x) => x.payload.help_request_id === high.id && x.payload.stars === 5));
  // the registrar heard it was done
  assert.ok((await inbox(neighbour, 'help_request_done')).some((x) => x.payload.help_request_id === behalf.id));
});

test('suggestions: matching skill, free at the time, ordered by tree distance then load', async () => {
  await clock('2030-05-08T09:00:00+08:00');
  const sibling = await F.makeOrg(srv, admin.cookie, street, 'community', '凤凰台二社区');
  const street2 = await F.makeOrg(srv, admin.cookie, jinshui, 'street', '新街道');
  const farther = await F.makeOrg(srv, admin.cookie, street2, 'community', '新街道社区');
  const mk = async (org, skills, extra = {}) => {
    const [p] = await F.makeVolunteers(srv, { org, n: 1, prefix: 'sg', skills });
    if (Object.keys(extra).length) await F.setPerson(srv, p, extra);
    return p;
  };
  const near = await mk(yx, ['家电维修']);
  const loaded = await mk(yx, ['维修']);
  const busy = await mk(yx, ['家电维修']);
  const wrongSkill = await mk(yx, ['理发']);
  const notThen = await mk(yx, ['家电维修'], { availability: [{ weekday: 3, from: '09:00', to: '11:00' }] });
  const sib = await mk(sibling, ['社区服务']);
  const far = await mk(farther, ['家电维修']);
  const underDistrict = await mk(rongHua, ['Appliance repair']);
  await mk(pingDeng, ['家电维修']); // another district
  const then = await mk(yx, ['家电维修'], { availability: [{ weekday: 1, from: '14:00', to: '18:00' }] });
  // loaded: one request accepted and not finished
  const [loadedUser, busyUser] = await F.tokenUsers(srv, [{ name: 'loaded', person: loaded }, { name: 'busy', person: busy }]);
  const job = await ask({ need: '别的活' });
  await ok(await act(sw, job.id, 'dispatch', { person_id: loaded }));
  await ok(await act(loadedUser, job.id, 'accept'));
  // busy: a confirmed sign-up overlapping the time (Monday 2030-05-13 15:00-17:00)
  const act1 = await call(sw, '/api/v1/activities', {
    method: 'POST',
    body: { team_id: team, title: '周一义修', capacity: 5, status: 'published', starts_at: '2030-05-13T15:00:00+08:00', ends_at: '2030-05-13T17:00:00+08:00' },
  });
  assert.equal(act1.status, 201, act1.text);
  const a = act1.json;
  const s = await call(busyUser, `/api/v1/activities/${a.id}/signups`, { method: 'POST', body: {} });
  assert.equal(s.status, 201, s.text);
  assert.equal(s.json.status, 'confirmed');

  const r = await ask({ wanted_from: '2030-05-13T14:00:00+08:00', wanted_to: '2030-05-13T16:00:00+08:00' });
  const g = await call(sw, `/api/v1/help-requests/${r.id}/suggestions`);
  assert.equal(g.status, 200, g.text);
  const mine = new Set([near, loaded, busy, wrongSkill, notThen, sib, far, underDistrict, then]);
  const got = g.json.items.filter((x) => mine.has(x.person_id) || x.org_unit_id === pingDeng);
  assert.deepEqual(
    got.map((x) => [x.person_id, x.distance, x.load, x.skill_match]),
    [
      [near, 0, 0, 'category'],
      [then, 0, 0, 'category'],
      [loaded, 0, 1, 'category'],
      [sib, 2, 0, 'parent'],
      [underDistrict, 3, 0, 'category'],
      [far, 4, 0, 'category'],
    ],
  );
  assert.equal(got[1].matched_skill, '家电维修');
  assert.equal(got[3].matched_skill, '社区服务');
  assert.ok(!g.json.items.some((x) => x.person_id === resident.person), 'never the person asking');
  assert.equal((await call(streetAdmin, `/api/v1/help-requests/${r.id}/suggestions`)).status, 200);
  assert.equal((await call(resident, `/api/v1/help-requests/${r.id}/suggestions`)).status, 403);
  assert.equal((await call(otherSw, `/api/v1/help-requests/${r.id}/suggestions`)).status, 404);
  // the first suggestion can be dispatched to as is
  await ok(await act(sw, r.id, 'dispatch', { person_id: g.json.items[0].person_id }), 'dispatched');
});

test('抢单: fifty volunteers accept an open request at once; exactly one gets it', async () => {
  await clock('2030-05-09T09:00:00+08:00');
  const people = await F.makeVolunteers(srv, { org: yx, n: 50, prefix: 'grab' });
  const users = await F.tokenUsers(srv, people.map((p) => ({ name: 'grab', person: p })));
  const r = await ask({ need: '搬冰箱', urgency: 'urgent' });
  await ok(await act(sw, r.id, 'open', { note: '谁有空' }), 'open');
  // volunteers of the community see it, without the resident's particulars
  const seen = await get(users[0], r.id);
  assert.equal(seen.status, 200);
  assert.equal(seen.json.address, null);
  assert.equal(seen.json.contact_phone, null);
  assert.equal(seen.json.person_id, null);
  assert.match(seen.json.person_name, /^.\*\*$/u);
  assert.ok((await list(users[1], '?open=true')).json.items.some((x) => x.id === r.id));
  assert.equal((await inbox(users[2], 'help_request_open')).filter((x) => x.payload.help_request_id === r.id).length, 1);
  assert.equal((await get(outsiderVol, r.id)).status, 404, 'not another community\'s volunteers');
  assert.equal((await act(outsiderVol, r.id, 'accept')).status, 404);

  const answers = await Promise.all(users.map((u) => act(u, r.id, 'accept')));
  const winners = answers.filter((a) => a.status === 200);
  const losers = answers.filter((a) => a.status === 409);
  assert.equal(winners.length, 1, answers.map((a) => a.status).join(','));
  assert.equal(losers.length, 49);
  assert.ok(losers.every((a) => a.json.code === 'help_request_taken'));
  const winner = users[answers.indexOf(winners[0])];
  const [row] = await F.rows(srv, `SELECT state, assignee_person_id FROM help_requests WHERE id = ${r.id}`);
  assert.deepEqual(row, { state: 'accepted', assignee_person_id: winner.person });
  const accepts = (await events(r.id)).filter((e) => e.action === 'accept');
  assert.equal(accepts.length, 1);
  assert.equal(accepts[0].by_user_id, winner.id);
  assert.equal((await get(users.find((u) => u !== winner), r.id)).status, 404, 'once taken, the others no longer see it');
  assert.equal((await get(winner, r.id)).json.address, '英协社区3号楼2单元', 'the winner sees where to go');
});

test('escalation: not accepted in time → overdue list and the street\'s staff told (test clock, no sleeps)', async () => {
  const t0 = '2030-05-10T08:00:00+08:00';
  await clock(t0);
  const urgent = await ask({ urgency: 'urgent', need: '老人摔倒了' });
  const normal = await ask({ need: '修柜门' });
  const quick = await ask({ urgency: 'urgent', need: '很快有人接' });
  await ok(await act(sw, quick.id, 'dispatch', { person_id: vol.person }));
  await ok(await act(vol, quick.id, 'accept'));
  const overdueIds = async (who) => (await list(who, '?overdue=true')).json.items.map((x) => x.id);

  await clock(minutesLater(t0, 119));
  assert.ok(!(await overdueIds(sw)).includes(urgent.id));
  await sweep();
  assert.equal((await get(sw, urgent.id)).json.escalated_at, null);

  await clock(minutesLater(t0, 121));
  assert.ok((await overdueIds(sw)).includes(urgent.id), 'listed as soon as it is late, before any sweep');
  assert.ok(!(await overdueIds(sw)).includes(normal.id));
  assert.ok(!(await overdueIds(sw)).includes(quick.id), 'accepted in time');
  assert.equal((await get(sw, urgent.id)).json.overdue, true);
  const s1 = await sweep();
  assert.ok(s1.escalated >= 1);
  const esc = await get(sw, urgent.id);
  assert.match(esc.json.escalated_at, /^2030-05-10T10:01:\d\d\+08:00$/);
  const notes = (await inbox(streetAdmin, 'help_request_escalated')).filter((x) => x.payload.help_request_id === urgent.id);
  assert.equal(notes.length, 1, 'the street is told');
  assert.equal(notes[0].payload.urgency, 'urgent');
  assert.equal((await inbox(otherSw, 'help_request_escalated')).length, 0);
  await sweep();
  assert.equal((await inbox(streetAdmin, 'help_request_escalated')).filter((x) => x.payload.help_request_id === urgent.id).length, 1, 'once');
  const [audit] = await F.rows(srv, `SELECT count(*) AS n FROM audit_log WHERE action = 'escalate' AND entity_id = ${urgent.id}`);
  assert.equal(audit.n, 1);
  assert.ok((await overdueIds(streetAdmin)).includes(urgent.id), 'on the street\'s overdue list too');
  assert.ok(!(await overdueIds(otherSw)).includes(urgent.id));

  await clock(minutesLater(t0, 24 * 60 - 1));
  assert.ok(!(await overdueIds(sw)).includes(normal.id));
  await clock(minutesLater(t0, 24 * 60 + 1));
  assert.ok((await overdueIds(sw)).includes(normal.id), 'a normal request after 24 hours');
  // accepting takes it off the list; it stays marked as escalated
  await ok(await act(sw, urgent.id, 'dispatch', { person_id: vol.person }));
  await ok(await act(vol, urgent.id, 'accept'));
  assert.ok(!(await overdueIds(sw)).includes(urgent.id));
  assert.ok((await get(sw, urgent.id)).json.escalated_at);

  // a community hanging directly under its district: the district's staff are told
  const t2 = minutesLater(t0, 24 * 60);
  const rh = await create(neighbour, { person_name: '周大娘', org_unit_id: rongHua, category_id: repair, need: '灯不亮', address: '荣华小区', urgency: 'urgent' });
  assert.equal(rh.status, 201, rh.text);
  await clock(minutesLater(t2, 125));
  await sweep();
  assert.equal((await inbox(districtAdmin, 'help_request_escalated')).filter((x) => x.payload.help_request_id === rh.json.id).length, 1);
  assert.equal((await inbox(streetAdmin, 'help_request_escalated')).filter((x) => x.payload.help_request_id === rh.json.id).length, 0);
});

test('stalled: accepted without progress for three days is flagged, and the community told', async () => {
  const t1 = '2030-05-20T10:00:00+08:00';
  await clock(t1);
  const r = await ask({ need: '疏通管道' });
  await ok(await act(sw, r.id, 'dispatch', { person_id: vol2.person }));
  await ok(await act(vol2, r.id, 'accept'));
  const stalledIds = async () => (await list(sw, '?stalled=true')).json.items.map((x) => x.id);
  await clock(minutesLater(t1, 3 * 24 * 60 - 1));
  assert.equal((await get(sw, r.id)).json.stalled, false);
  assert.ok(!(await stalledIds()).includes(r.id));
  await sweep();
  assert.equal((await get(sw, r.id)).json.stalled_at, null);
  await clock(minutesLater(t1, 3 * 24 * 60 + 1));
  assert.equal((await get(sw, r.id)).json.stalled, true);
  assert.ok((await stalledIds()).includes(r.id));
  const s = await sweep();
  assert.ok(s.stalled >= 1);
  assert.ok((await get(sw, r.id)).json.stalled_at);
  assert.equal((await inbox(sw, 'help_request_stalled')).filter((x) => x.payload.help_request_id === r.id).length, 1);
  await sweep();
  assert.equal((await inbox(sw, 'help_request_stalled')).filter((x) => x.payload.help_request_id === r.id).length, 1, 'once');
  // progress clears the flag
  const started = await ok(await act(vol2, r.id, 'start'), 'in_progress');
  assert.equal(started.stalled, false);
  assert.equal(started.stalled_at, null);
});

test('lists: mine, assigned, state and scope', async () => {
  await clock('2030-05-25T09:00:00+08:00');
  const r = await ask({ need: '列表测试' });
  await ok(await act(sw, r.id, 'dispatch', { person_id: vol.person }));
  const mine = (await list(resident, '?mine=true&limit=200')).json.items;
  assert.ok(mine.some((x) => x.id === r.id));
  assert.ok(mine.every((x) => x.person_id === resident.person || x.registered_by === resident.id));
  const assigned = (await list(vol, '?assigned=true&limit=200')).json.items;
  assert.ok(assigned.some((x) => x.id === r.id));
  assert.ok(assigned.every((x) => x.assignee_person_id === vol.person));
  const dispatched = (await list(sw, '?state=dispatched&limit=200')).json.items;
  assert.ok(dispatched.every((x) => x.state === 'dispatched'));
  assert.ok(dispatched.some((x) => x.id === r.id));
  assert.equal((await list(sw, '?state=lost')).status, 400);
  assert.ok((await list(otherSw, '?limit=200')).json.items.every((x) => x.org_unit_id === pingDeng));
  // pages
  const p1 = await list(sw, '?limit=2');
  assert.equal(p1.json.items.length, 2);
  const p2 = await list(sw, `?limit=2&cursor=${p1.json.next_cursor}`);
  assert.ok(p2.json.items[0].id < p1.json.items[1].id);
});

test('figures: by state and category, medians, share within the deadline, average rating', async () => {
  const day = '2030-06-10';
  const at = (hm) => `${day}T${hm}:00+08:00`;
  const place = await F.makeOrg(srv, admin.cookie, street, 'community', '统计社区');
  const [pr, pv] = await F.makeVolunteers(srv, { org: place, n: 2, prefix: 'st' });
  const [res2, volS, staff] = await F.tokenUsers(srv, [
    { name: 'st-res', person: pr },
    { name: 'st-vol', person: pv },
    { name: 'st-staff', grants: [['community_admin', place]] },
  ]);
  const mk = async (fields) => {
    const r = await create(res2, { category_id: repair, need: 'x', address: 'x', ...fields });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  const take = async (id) => {
    await ok(await act(staff, id, 'dispatch', { person_id: pv }));
    await ok(await act(volS, id, 'accept'));
    await ok(await act(volS, id, 'start'));
  };
  await clock('2030-06-09T23:59:00+08:00');
  await mk({}); // the day before: outside the period
  await clock(at('10:00'));
  const r1 = await mk({});
  const r2 = await mk({ urgency: 'urgent' });
  const r3 = await mk({ category_id: elder, wanted_to: at('11:15') });
  const r4 = await mk({ category_id: elder });
  await mk({ category_id: elder }); // r5 stays submitted
  await clock(at('10:30'));
  await take(r1); // accepted after 30 min
  await clock(at('11:00'));
  await take(r3); // 60 min
  await ok(await act(res2, r4, 'cancel'));
  await clock(at('11:30'));
  await ok(await act(volS, r3, 'done'), 'done'); // 90 min, after the 11:15 the resident asked for
  await clock(at('12:00'));
  await ok(await act(volS, r1, 'done')); // 120 min
  await clock(at('13:00'));
  await take(r2); // 180 min: past the urgent deadline of 12:00
  await clock(at('14:00'));
  await ok(await act(volS, r2, 'done')); // 240 min
  await clock(at('14:30'));
  await ok(await act(res2, r1, 'rate', { stars: 5 }));
  await ok(await act(res2, r2, 'rate', { stars: 2 }));

  const g = await call(staff, `/api/v1/help-requests/stats?org_unit=${place}&from=${day}&to=${day}`);
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.from, day);
  assert.equal(g.json.to, day);
  const states = (o) => ({ submitted: 0, open: 0, dispatched: 0, accepted: 0, in_progress: 0, done: 0, rated: 0, cancelled: 0, closed_unresolved: 0, ...o });
  assert.deepEqual(g.json.total, {
    requests: 5,
    by_state: states({ rated: 2, done: 1, cancelled: 1, submitted: 1 }),
    accepted: 3,
    median_minutes_to_accept: 60, // 30, 60, 180
    done: 3,
    median_minutes_to_finish: 120, // 90, 120, 240
    done_within_deadline: 1, // r1 only: r2 accepted late, r3 done after its wanted_to
    within_deadline_share: 0.3333,
    rated: 2,
    average_rating: 3.5,
  });
  assert.deepEqual(g.json.by_category.map((c) => c.category_code), ['appliance_repair', 'elder_care']);
  const [rep, eld] = g.json.by_category;
  assert.deepEqual(
    [rep.requests, rep.accepted, rep.median_minutes_to_accept, rep.done, rep.median_minutes_to_finish, rep.done_within_deadline, rep.within_deadline_share, rep.average_rating],
    [2, 2, 105, 2, 180, 1, 0.5, 3.5], // (30+180)/2, (120+240)/2
  );
  assert.deepEqual(rep.by_state, states({ rated: 2 }));
  assert.deepEqual(
    [eld.requests, eld.accepted, eld.median_minutes_to_accept, eld.done, eld.median_minutes_to_finish, eld.done_within_deadline, eld.within_deadline_share, eld.rated, eld.average_rating],
    [3, 1, 60, 1, 90, 0, 0, 0, null],
  );
  assert.deepEqual(eld.by_state, states({ done: 1, cancelled: 1, submitted: 1 }));
  assert.equal(g.json.by_community.length, 1);
  assert.equal(g.json.by_community[0].org_unit_id, place);
  assert.equal(g.json.by_community[0].requests, 5);
  // the street sees its communities; the period and the subtree bound what is counted
  const up = await call(streetAdmin, `/api/v1/help-requests/stats?org_unit=${street}&from=2030-06-09&to=${day}`);
  assert.equal(up.status, 200, up.text);
  assert.equal(up.json.by_community.find((c) => c.org_unit_id === place).requests, 6);
  const none = await call(staff, `/api/v1/help-requests/stats?org_unit=${place}&from=2030-06-11&to=2030-06-12`);
  assert.equal(none.json.total.requests, 0);
  assert.equal(none.json.total.median_minutes_to_accept, null);
  assert.equal(none.json.total.within_deadline_share, null);
  assert.equal((await call(otherSw, `/api/v1/help-requests/stats?org_unit=${place}`)).status, 404);
  assert.equal((await call(volS, `/api/v1/help-requests/stats?org_unit=${place}`)).status, 404);
  assert.equal((await call(staff, `/api/v1/help-requests/stats?org_unit=${place}&from=2030-06-12&to=2030-06-11`)).status, 400);
});
