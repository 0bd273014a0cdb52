// teams.test.mjs: teams, membership, size over time and assignment proposals
// (/api/v1/teams, /api/v1/teams/{id}/members, /api/v1/teams/{id}/size,
// /api/v1/party-branches/{id}/assignment-proposals).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from '../lib/server.mjs';
import { sql, person, partyMember, userWithRole, stopChecked } from '../lib/registry_fixtures.mjs';

let srv, admin;
const org = {};  // demo org ids by name
const cat = {};  // category ids by code
const teamsByName = {}; // demo teams: name -> [team, ...]

before(async () => {
  srv = await startServer();
  admin = await login(srv.url);
  for (const o of (await api(srv.url, '/api/v1/org-units?limit=200', { cookie: admin })).json.items) org[o.name] = o.id;
  for (const c of (await api(srv.url, '/api/v1/service-categories', { cookie: admin })).json.items) cat[c.code] = c.id;
  for (const t of (await api(srv.url, '/api/v1/teams?limit=200', { cookie: admin })).json.items)
    (teamsByName[t.name] ||= []).push(t);
});
after(async () => srv && stopChecked(srv));

const get = (path, cookie = admin, headers) => api(srv.url, path, { cookie, headers });
const post = (path, body, cookie = admin, headers) => api(srv.url, path, { method: 'POST', body, cookie, headers });
const patch = (path, body, cookie = admin) => api(srv.url, path, { method: 'PATCH', body, cookie });
const del = (path, cookie = admin) => api(srv.url, path, { method: 'DELETE', cookie });
const fieldCodes = (r) => r.json.errors.map((e) => `${e.field}:${e.code}`).sort();
const newCommunity = async (parent, name) =>
  (await post('/api/v1/org-units', { parent_id: parent, kind: 'community', name })).json.id;

test('demo teams of the article, each with its branch, leader and category', async () => {
  const one = (name, community) => teamsByName[name].find((t) => t.org_unit_name === community);
  const mama = one('党员老妈妈服务队', '荣华社区');
  assert.equal(mama.leader_name, '周淑枝');
  assert.equal(mama.branch_name, '荣华社区党支部');
  assert.equal(mama.category_code, 'community');
  assert.equal(one('党员志愿服务队', '英协社区').leader_name, '王宽');
  const door = one('党员家门口志愿服务队', '平等街社区');
  assert.equal(door.leader_name, '胡东乔');
  assert.equal(door.category_name, '义务理发');
  assert.ok(one('党员志愿服务队', '西堡社区'));
  const ds = (await get(`/api/v1/teams?org_unit_id=${org['代书胡同社区']}`)).json.items;
  assert.deepEqual(Object.fromEntries(ds.map((t) => [t.name, t.category_code])), {
    书梦艺术团: 'performance',
    老年书画协会: 'calligraphy',
    '校外课堂（四点钟课堂）': 'afterschool',
    巾帼志愿者: 'resident_help',
    家电维修队: 'appliance_repair',
  });
  assert.ok(ds.every((t) => t.branch_name === '代书胡同社区党支部'));
  // the leaders are people of their communities
  const zhou = await userWithRole(srv, 'rh_reader', 'community_admin', org['荣华社区']);
  assert.equal((await get(`/api/v1/teams/${mama.id}`, zhou)).json.leader_name, '周淑枝');
});

test('create and edit a team: community only, branch at or above it, category usable there', async () => {
  const c = await newCommunity(org['凤凰台街道'], '队伍测试社区');
  const leader = person(srv, c, '队长甲');
  const branch = (await post('/api/v1/party-branches', { org_unit_id: c, kind: 'branch', name: '队伍测试社区党支部' })).json.id;
  let r = await post('/api/v1/teams', {
    org_unit_id: c, branch_id: branch, name: '义务理发队', leader_person_id: leader,
    category_id: cat.haircut, founded_on: '2014-03-05', description: '每月为老人理发', needs: '会理发的党员',
  });
  assert.equal(r.status, 201);
  assert.equal(r.headers.get('location'), `/api/v1/teams/${r.json.id}`);
  assert.equal(r.json.member_count, 0);
  assert.equal(r.json.leader_name, '队长甲');
  assert.equal(r.json.category_name_en, 'Free haircuts');
  assert.equal(r.json.district_id, org['金水区']);
  const team = r.json;

  r = await post('/api/v1/teams', { org_unit_id: c, name: '坏日期队', founded_on: '2014-02-30' });
  assert.deepEqual(fieldCodes(r), ['founded_on:invalid_date']);
  r = await post('/api/v1/teams', { org_unit_id: org['凤凰台街道'], name: '街道级队' });
  assert.deepEqual(fieldCodes(r), ['org_unit_id:not_community']);
  const daishuBranch = (await get('/api/v1/party-branches?q=' + encodeURIComponent('代书胡同'))).json.items[0].id;
  r = await post('/api/v1/teams', { org_unit_id: c, name: '别人支部领建队', branch_id: daishuBranch });
  assert.deepEqual(fieldCodes(r), ['branch_id:branch_not_above']);
  r = await post('/api/v1/teams', { org_unit_id: c, name: '无此人队', leader_person_id: 999999, category_id: 999999 });
  assert.deepEqual(fieldCodes(r), ['category_id:not_found_ref', 'leader_person_id:not_found_ref']);
  r = await post('/api/v1/teams', { org_unit_id: c, name: '义务理发队' });
  assert.equal(r.status, 409);
  assert.deepEqual(fieldCodes(r), ['name:taken']);
  r = await post('/api/v1/teams', { org_unit_id: c, name: '多余字段队', colour: 'red' });
  assert.deepEqual(fieldCodes(r), ['colour:unknown_field']);

  // a street committee leads teams of the communities of its street
  const sd = await newCommunity(org['商都路街道'], '商都路测试社区');
  const committee = (await get('/api/v1/party-branches?kind=committee')).json.items.find((b) => b.name === '商都路街道党工委');
  r = await post('/api/v1/teams', { org_unit_id: sd, name: '党工委领建队', branch_id: committee.id });
  assert.equal(r.status, 201);

  // another community's own category cannot be used here
  const local = (await post('/api/v1/service-categories', { org_unit_id: sd, parent_id: cat.culture, name: '太极' })).json;
  r = await patch(`/api/v1/teams/${team.id}`, { category_id: local.id });
  assert.deepEqual(fieldCodes(r), ['category_id:not_found_ref']);
  r = await patch(`/api/v1/teams/${team.id}`, { needs: '会理发、会按摩', leader_person_id: null, name: '义务理发服务队' });
  assert.equal(r.status, 200);
  assert.equal(r.json.needs, '会理发、会按摩');
  assert.equal(r.json.leader_person_id, null);
  assert.equal(r.json.founded_on, '2014-03-05');
  const audit = await get(`/api/v1/audit-log?entity=team&entity_id=${team.id}`);
  assert.deepEqual(audit.json.items.map((a) => a.action), ['update', 'create']);
  assert.equal(audit.json.items[0].detail.before.name, '义务理发队');
  assert.equal(audit.json.items[0].detail.after.name, '义务理发服务队');
});

test('list: subtree of a node, category with its sub-categories, name search, member counts', async () => {
  const gc = (await get(`/api/v1/teams?org_unit_id=${org['管城回族区']}&limit=200`)).json.items.map((t) => t.org_unit_name);
  assert.deepEqual([...new Set(gc)].sort(), ['代书胡同社区', '平等街社区', '西堡社区'].sort());
  const culture = (await get(`/api/v1/teams?category_id=${cat.culture}&org_unit_id=${org['代书胡同社区']}`)).json.items;
  assert.deepEqual(culture.map((t) => t.name).sort(), ['书梦艺术团', '老年书画协会'].sort());
  const q = (await get('/api/v1/teams?q=' + encodeURIComponent('维修'))).json.items;
  assert.deepEqual(q.map((t) => t.name), ['家电维修队']);
  const branch = teamsByName['书梦艺术团'][0].branch_id;
  assert.equal((await get(`/api/v1/teams?branch_id=${branch}`)).json.items.length, 5);

  const t = teamsByName['家电维修队'][0];
  const a = person(srv, org['代书胡同社区'], '维修工甲');
  const b = person(srv, org['代书胡同社区'], '维修工乙');
  await post(`/api/v1/teams/${t.id}/members`, { person_id: a, joined_on: '2015-01-01' });
  const mb = (await post(`/api/v1/teams/${t.id}/members`, { person_id: b, joined_on: '2015-01-01' })).json;
  await patch(`/api/v1/teams/${t.id}/members/${mb.id}`, { left_on: '2016-01-01' });
  const listed = (await get('/api/v1/teams?q=' + encodeURIComponent('家电维修'))).json.items[0];
  assert.equal(listed.member_count, 1);
});

test('members: join, not twice at once, leave, rejoin without overlap, several teams', async () => {
  const c = await newCommunity(org['西大街街道'], '队员测试社区');
  const t1 = (await post('/api/v1/teams', { org_unit_id: c, name: '一队' })).json.id;
  const t2 = (await post('/api/v1/teams', { org_unit_id: c, name: '二队' })).json.id;
  const p = person(srv, c, '队员甲');
  const q = person(srv, c, '队员乙');

  let r = await post(`/api/v1/teams/${t1}/members`, { person_id: p, role: 'deputy', joined_on: '2020-01-01' });
  assert.equal(r.status, 201);
  assert.equal(r.headers.get('location'), `/api/v1/teams/${t1}/members/${r.json.id}`);
  assert.deepEqual(r.json, { id: r.json.id, team_id: t1, person_id: p, name: '队员甲', volunteer_no: null, role: 'deputy', joined_on: '2020-01-01', left_on: null });
  const m1 = r.json.id;
  r = await post(`/api/v1/teams/${t1}/members`, { person_id: p, joined_on: '2021-01-01' });
  assert.equal(r.status, 409);
  assert.deepEqual(fieldCodes(r), ['person_id:already_member']);
  assert.equal((await post(`/api/v1/teams/${t2}/members`, { person_id: p, joined_on: '2020-06-01' })).status, 201);
  r = await post(`/api/v1/teams/${t1}/members`, { person_id: q, role: 'captain', joined_on: '2020-13-01' });
  assert.deepEqual(fieldCodes(r), ['joined_on:invalid_date', 'role:invalid']);
  r = await post(`/api/v1/teams/${t1}/members`, { person_id: 999999 });
  assert.deepEqual(fieldCodes(r), ['person_id:not_found_ref']);
  // joined_on defaults to today
  r = await post(`/api/v1/teams/${t1}/members`, { person_id: q });
  assert.match(r.json.joined_on, /^\d{4}-\d\d-\d\d$/);
  assert.equal(r.json.role, 'member');

  r = await patch(`/api/v1/teams/${t1}/members/${m1}`, { left_on: '2019-12-31' });
  assert.deepEqual(fieldCodes(r), ['left_on:before_joined']);
  r = await patch(`/api/v1/teams/${t1}/members/${m1}`, { left_on: '2022-06-30', role: 'member' });
  assert.equal(r.status, 200);
  assert.equal(r.json.left_on, '2022-06-30');
  let cur = (await get(`/api/v1/teams/${t1}/members`)).json.items.map((m) => m.person_id);
  assert.deepEqual(cur, [q]);
  let all = (await get(`/api/v1/teams/${t1}/members?all=true`)).json.items.map((m) => m.person_id);
  assert.deepEqual(all, [p, q]);

  // rejoining inside the old period would count the person twice: refused
  r = await post(`/api/v1/teams/${t1}/members`, { person_id: p, joined_on: '2022-01-01' });
  assert.equal(r.status, 409);
  assert.deepEqual(fieldCodes(r), ['joined_on:membership_overlap']);
  r = await post(`/api/v1/teams/${t1}/members`, { person_id: p, joined_on: '2022-06-30' });
  assert.equal(r.status, 201);
  // and the old period cannot be reopened while the new one runs
  r = await patch(`/api/v1/teams/${t1}/members/${m1}`, { left_on: null });
  assert.equal(r.status, 409);
  assert.equal((await get(`/api/v1/teams/${t1}/members/${m1}`)).json.left_on, '2022-06-30');
  assert.equal((await get(`/api/v1/teams/${t2}/members/${m1}`)).status, 404); // member of another team

  r = await del(`/api/v1/teams/${t1}`);
  assert.equal(r.status, 409);
  assert.deepEqual(fieldCodes(r), ['members:blocking_dependents']);
  const t3 = (await post('/api/v1/teams', { org_unit_id: c, name: '空队' })).json.id;
  assert.equal((await del(`/api/v1/teams/${t3}`)).status, 204);
  assert.equal((await get(`/api/v1/teams/${t3}`)).status, 404);
});

test('size over time: hand-worked counts by month, week and year', async () => {
  const c = await newCommunity(org['西大街街道'], '规模测试社区');
  const t = (await post('/api/v1/teams', { org_unit_id: c, name: '规模队', founded_on: '2024-01-10' })).json.id;
  const join = async (name, joined_on, left_on) => {
    const m = (await post(`/api/v1/teams/${t}/members`, { person_id: person(srv, c, name), joined_on })).json;
    if (left_on) assert.equal((await patch(`/api/v1/teams/${t}/members/${m.id}`, { left_on })).status, 200);
  };
  await join('A', '2024-01-15', '2024-03-01'); // gone on the day it leaves
  await join('B', '2024-02-01');
  await join('C', '2024-02-01', '2024-02-01'); // left the day it joined: never counted
  await join('D', '2024-03-01');                // joins the day A leaves
  await join('E', '2024-04-10', '2024-06-30');
  const size = async (qs) => {
    const r = await get(`/api/v1/teams/${t}/size?${qs}`);
    assert.equal(r.status, 200, r.text);
    return r.json.items.map((p) => [p.date, p.size]);
  };
  assert.deepEqual(await size('from=2024-01-01&to=2024-07-01&interval=month'), [
    ['2024-01-01', 0], ['2024-02-01', 2], ['2024-03-01', 2], ['2024-04-01', 2],
    ['2024-05-01', 3], ['2024-06-01', 3], ['2024-07-01', 2],
  ]);
  assert.deepEqual(await size('from=2024-06-24&to=2024-07-03&interval=week'), [
    ['2024-06-24', 3], ['2024-07-01', 2], ['2024-07-03', 2],
  ]);
  assert.deepEqual(await size('from=2024-01-14&to=2024-01-16&interval=day'), [
    ['2024-01-14', 0], ['2024-01-15', 1], ['2024-01-16', 1],
  ]);
  assert.deepEqual(await size('from=2023-06-15&to=2025-01-01&interval=year'), [
    ['2023-06-15', 0], ['2024-06-15', 3], ['2025-01-01', 2],
  ]);
  // defaults: from the founding date, monthly, to today
  const d = (await get(`/api/v1/teams/${t}/size`)).json;
  assert.equal(d.from, '2024-01-10');
  assert.equal(d.interval, 'month');
  assert.deepEqual(d.items.slice(0, 3).map((p) => p.size), [0, 2, 2]); // 01-10, 02-10, 03-10
  assert.equal(d.items.at(-1).size, 2);                                // B and D today

  const bad = async (qs, want) => {
    const r = await get(`/api/v1/teams/${t}/size?${qs}`);
    assert.equal(r.status, 400, qs);
    assert.deepEqual(fieldCodes(r), want);
  };
  await bad('interval=fortnight', ['interval:invalid']);
  await bad('from=2024-02-30', ['from:invalid_date']);
  await bad('from=2024-05-01&to=2024-04-01', ['from:after_to']);
  await bad('from=2000-01-01&to=2024-01-01&interval=day', ['interval:too_many_points']);
});

test('size over time with 10,000 members is exact and fast', async () => {
  const c = await newCommunity(org['凤凰台街道'], '万人社区');
  const t = (await post('/api/v1/teams', { org_unit_id: c, name: '万人队' })).json.id;
  const day0 = Date.UTC(2015, 0, 1);
  const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
  const rows = [];
  for (let i = 0; i < 10000; i++) {
    const joined = day0 + ((i * 7919) % 3650) * 86400000;
    const left = i % 3 === 0 ? joined + (i % 700) * 86400000 : null;
    rows.push([iso(joined), left ? iso(left) : null]);
  }
  const lastPerson = Number(sql(srv, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
    INSERT INTO people(org_unit_id, name, name_norm, created_at, updated_at) SELECT ${c}, 'p' || i, 'p' || i, 0, 0 FROM n;
    SELECT max(id) FROM people;`));
  const first = lastPerson - 9999;
  const values = rows.map(([j, l], i) => `(${t}, ${first + i}, 'member', '${j}', ${l ? `'${l}'` : 'NULL'}, 0)`);
  sql(srv, `BEGIN; INSERT INTO team_members(team_id, person_id, role, joined_on, left_on, created_at) VALUES ${values.join(',')}; COMMIT;`);

  const from = '2014-12-01', to = '2026-01-01';
  const t0 = performance.now();
  const r = await get(`/api/v1/teams/${t}/size?from=${from}&to=${to}&interval=day`);
  const ms = performance.now() - t0;
  assert.equal(r.status, 200);
  assert.equal(r.json.items.length, 4050);
  assert.ok(ms < 2000, `took ${ms} ms`);
  // every 97th point against a direct count
  for (let k = 0; k < r.json.items.length; k += 97) {
    const { date, size } = r.json.items[k];
    const want = rows.filter(([j, l]) => j <= date && (l === null || l > date)).length;
    assert.equal(size, want, date);
  }
  assert.equal(r.json.items.at(-1).size, rows.filter(([, l]) => l === null || l > to).length);
});

test('scope: 荣华社区\'s admin cannot see or change 代书胡同社区\'s teams (404)', async () => {
  const rh = await userWithRole(srv, 'rh_team_admin', 'community_admin', org['荣华社区']);
  const art = teamsByName['书梦艺术团'][0].id;
  const p = person(srv, org['荣华社区'], '荣华居民');
  assert.equal((await get(`/api/v1/teams/${art}`, rh)).status, 404);
  assert.equal((await patch(`/api/v1/teams/${art}`, { name: '改名' }, rh)).status, 404);
  assert.equal((await del(`/api/v1/teams/${art}`, rh)).status, 404);
  assert.equal((await get(`/api/v1/teams/${art}/members`, rh)).status, 404);
  assert.equal((await post(`/api/v1/teams/${art}/members`, { person_id: p }, rh)).status, 404);
  assert.equal((await get(`/api/v1/teams/${art}/size`, rh)).status, 404);
  assert.deepEqual((await get('/api/v1/teams', rh)).json.items.map((t) => t.name), ['党员老妈妈服务队']);
  const r = await post('/api/v1/teams', { org_unit_id: org['代书胡同社区'], name: '越界队' }, rh);
  assert.deepEqual(fieldCodes(r), ['org_unit_id:not_found_ref']);
  // in its own community it manages teams, but cannot enrol people it cannot see
  const own = await post('/api/v1/teams', { org_unit_id: org['荣华社区'], name: '荣华新队' }, rh);
  assert.equal(own.status, 201);
  const stranger = person(srv, org['代书胡同社区'], '代书胡同居民');
  const j = await post(`/api/v1/teams/${own.json.id}/members`, { person_id: stranger }, rh);
  assert.deepEqual(fieldCodes(j), ['person_id:not_found_ref']);
  assert.equal((await post(`/api/v1/teams/${own.json.id}/members`, { person_id: p }, rh)).status, 201);
  // a team leader reads but does not manage
  const tl = await userWithRole(srv, 'rh_team_leader', 'team_leader', org['荣华社区']);
  assert.equal((await get(`/api/v1/teams/${own.json.id}/members`, tl)).status, 200);
  assert.equal((await post('/api/v1/teams', { org_unit_id: org['荣华社区'], name: '队长建的' }, tl)).status, 403);
  assert.equal((await patch(`/api/v1/teams/${own.json.id}`, { needs: 'x' }, tl)).status, 403);
});

test('assignment proposals by skills and interests, then accept all or nothing', async () => {
  const c = await newCommunity(org['金水区'], '分配测试社区');
  const b = (await post('/api/v1/party-branches', { org_unit_id: c, kind: 'branch', name: '分配测试社区党支部' })).json.id;
  const other = (await post('/api/v1/party-branches', { org_unit_id: c, kind: 'branch', name: '另一个党支部' })).json.id;
  const team = async (name, category, needs) =>
    (await post('/api/v1/teams', { org_unit_id: c, branch_id: b, name, category_id: cat[category], needs })).json.id;
  const haircut = await team('理发队', 'haircut', '需要会按摩的队员');
  const repair = await team('维修队', 'appliance_repair');
  const art = await team('书画社', 'calligraphy');
  const member = (name, tags, opts) => {
    const id = person(srv, c, name, tags);
    partyMember(srv, id, opts?.branch ?? b, opts);
    return id;
  };
  const m1 = member('理发党员', { skills: ['理发'] });
  const m2 = member('维修党员', { skills: ['repair'], interests: ['书法'] });
  const m3 = member('艺术党员', { interests: ['艺术'] });
  const m4 = member('按摩党员', { skills: ['按摩'] });
  const m5 = member('游泳党员', { skills: ['游泳'] });
  const busy = member('已在队党员', { skills: ['理发'] });
  await post(`/api/v1/teams/${repair}/members`, { person_id: busy, joined_on: '2020-01-01' });
  member('转出党员', { skills: ['理发'] }, { until: '2022-01-01' });
  member('别支部党员', { skills: ['理发'] }, { branch: other });

  let r = await post(`/api/v1/party-branches/${b}/assignment-proposals`, {});
  assert.equal(r.status, 200, r.text);
  const got = r.json.items.map((p) => [p.person_name, p.team_id, p.score, p.reason_zh, p.reason_en]);
  assert.deepEqual(got, [
    ['理发党员', haircut, 10, '特长「理发」与队伍服务类别「义务理发」相符', "Skill '理发' matches the team's category 'Free haircuts'"],
    ['维修党员', repair, 10, '特长「repair」与队伍服务类别「家电维修」相符', "Skill 'repair' matches the team's category 'Appliance repair'"],
    ['艺术党员', art, 3, '兴趣「艺术」与队伍服务大类「文化艺术」相符', "Interest '艺术' matches the team's broader category 'Culture and arts'"],
    ['按摩党员', haircut, 6, '特长「按摩」正是队伍所需', "Skill '按摩' is what the team says it needs"],
  ]);
  assert.deepEqual(r.json.unmatched, [{ person_id: m5, person_name: '游泳党员' }]);
  assert.equal(r.json.items[0].reason, r.json.items[0].reason_zh);
  const en = await post(`/api/v1/party-branches/${b}/assignment-proposals`, {}, admin, { 'Accept-Language': 'en' });
  assert.equal(en.json.items[0].reason, "Skill '理发' matches the team's category 'Free haircuts'");

  // one bad pair (m1 twice in the same team): 409 naming it, and nothing written
  r = await post(`/api/v1/party-branches/${b}/assignment-proposals/accept`, {
    joined_on: '2024-05-01',
    items: [{ person_id: m4, team_id: haircut }, { person_id: m1, team_id: haircut }, { person_id: m1, team_id: haircut }],
  });
  assert.equal(r.status, 409);
  assert.deepEqual(fieldCodes(r), ['items[2].person_id:already_member']);
  assert.deepEqual((await get(`/api/v1/teams/${haircut}/members`)).json.items, []);
  r = await post(`/api/v1/party-branches/${b}/assignment-proposals/accept`, {
    items: [{ person_id: m4, team_id: haircut }, { person_id: busy, team_id: repair }],
  });
  assert.equal(r.status, 409);
  assert.deepEqual(fieldCodes(r), ['items[1].person_id:already_member']);
  r = await post(`/api/v1/party-branches/${b}/assignment-proposals/accept`, {
    items: [{ person_id: m4, team_id: haircut }, { person_id: m5 + 1000, team_id: art }],
  });
  assert.equal(r.status, 409);
  assert.deepEqual(fieldCodes(r), ['items[1].person_id:not_branch_member']);
  r = await post(`/api/v1/party-branches/${b}/assignment-proposals/accept`, {
    items: [{ person_id: m4, team_id: teamsByName['书梦艺术团'][0].id }, { person_id: m4 }],
  });
  assert.equal(r.status, 400);
  assert.deepEqual(fieldCodes(r), ['items[1].team_id:required']);
  r = await post(`/api/v1/party-branches/${b}/assignment-proposals/accept`, {
    items: [{ person_id: m4, team_id: teamsByName['书梦艺术团'][0].id }],
  });
  assert.deepEqual(fieldCodes(r), ['items[0].team_id:team_outside_branch']);
  assert.equal((await post(`/api/v1/party-branches/${b}/assignment-proposals/accept`, { items: [] })).status, 400);
  assert.deepEqual((await get(`/api/v1/teams/${haircut}/members`)).json.items, []);

  // the good set goes in together
  r = await post(`/api/v1/party-branches/${b}/assignment-proposals/accept`, {
    joined_on: '2024-05-01',
    items: [{ person_id: m1, team_id: haircut }, { person_id: m2, team_id: repair }, { person_id: m3, team_id: art }],
  });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.items.map((i) => [i.person_id, i.team_id]), [[m1, haircut], [m2, repair], [m3, art]]);
  const hm = (await get(`/api/v1/teams/${haircut}/members`)).json.items;
  assert.deepEqual(hm.map((m) => [m.person_id, m.joined_on, m.role]), [[m1, '2024-05-01', 'member']]);
  r = await post(`/api/v1/party-branches/${b}/assignment-proposals`, {});
  assert.deepEqual(r.json.items.map((p) => p.person_id), [m4]);

  // scope: another community's admin does not see this branch
  const rh = await login(srv.url, 'rh_team_admin', 'pw-rh_team_admin-123');
  assert.equal((await post(`/api/v1/party-branches/${b}/assignment-proposals`, {}, rh)).status, 404);
  assert.equal((await post(`/api/v1/party-branches/${b}/assignment-proposals/accept`, { items: [{ person_id: m4, team_id: haircut }] }, rh)).status, 404);
});
