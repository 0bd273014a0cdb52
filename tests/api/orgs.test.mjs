// orgs.test.mjs: the organisation tree, Party branches and service categories
// (/api/v1/org-units, /api/v1/party-branches, /api/v1/service-categories).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from '../lib/server.mjs';
import { sql, person, partyMember, volunteer, userWithRole, stopChecked } from '../lib/registry_fixtures.mjs';

let srv, admin;
const org = {}; // demo org ids by name

before(async () => {
  srv = await startServer();
  admin = await login(srv.url);
  const r = await api(srv.url, '/api/v1/org-units?limit=200', { cookie: admin });
  for (const o of r.json.items) org[o.name] = o.id;
});
after(async () => srv && stopChecked(srv));

const get = (path, cookie = admin, headers) => api(srv.url, path, { cookie, headers });
const post = (path, body, cookie = admin) => api(srv.url, path, { method: 'POST', body, cookie });
const patch = (path, body, cookie = admin) => api(srv.url, path, { method: 'PATCH', body, cookie });
const del = (path, cookie = admin) => api(srv.url, path, { method: 'DELETE', cookie });
const fieldCodes = (r) => r.json.errors.map((e) => `${e.field}:${e.code}`).sort();

async function create(parent_id, kind, name, code, cookie = admin) {
  const body = { parent_id, kind, name };
  if (code !== undefined) body.code = code;
  return post('/api/v1/org-units', body, cookie);
}

test('demo tree has the article\'s communities and venue where the article puts them', async () => {
  const r = await get(`/api/v1/org-units/${org['郑州市']}/subtree?format=flat`);
  assert.equal(r.status, 200);
  const by = Object.fromEntries(r.json.items.map((o) => [o.name, o]));
  const parentName = (n) => r.json.items.find((o) => o.id === by[n].parent_id)?.name;
  assert.equal(parentName('荣华社区'), '金水区');
  assert.equal(parentName('英协社区'), '凤凰台街道');
  assert.equal(parentName('平等街社区'), '西大街街道');
  assert.equal(parentName('代书胡同社区'), '管城回族区');
  assert.equal(parentName('西堡社区'), '管城回族区');
  assert.equal(by['体育公园党群服务中心'].kind, 'venue');
  assert.equal(parentName('体育公园党群服务中心'), '商都路街道');
  assert.equal(parentName('商都路街道'), '郑东新区');
  assert.equal(by['郑州市'].depth, 0);
  assert.equal(by['英协社区'].depth, 3);
  assert.equal(by['英协社区'].district_id, org['金水区']);
});

test('demo Party organisations with their secretaries', async () => {
  const r = await get('/api/v1/party-branches?limit=200');
  const by = Object.fromEntries(r.json.items.map((b) => [b.name, b]));
  for (const n of ['荣华社区党支部', '英协社区党支部', '平等街社区党支部', '代书胡同社区党支部', '西堡社区党支部'])
    assert.equal(by[n].kind, 'branch', n);
  assert.equal(by['代书胡同社区党支部'].secretary_name, '陈思');
  assert.equal(by['代书胡同社区党支部'].org_unit_id, org['代书胡同社区']);
  assert.equal(by['代书胡同社区党支部'].team_count, 5);
  assert.equal(by['商都路街道党工委'].kind, 'committee');
  assert.equal(by['商都路街道党工委'].secretary_name, '张俊忠');
});

test('create: kind must fit under the parent; path and district follow', async () => {
  const s = await create(org['金水区'], 'street', '测试街道');
  assert.equal(s.status, 201);
  assert.equal(s.headers.get('location'), `/api/v1/org-units/${s.json.id}`);
  assert.equal(s.json.path, `/${org['郑州市']}/${org['金水区']}/${s.json.id}/`);
  assert.equal(s.json.district_id, org['金水区']);
  assert.equal(s.json.parent_id, org['金水区']);
  // community under a street, community straight under a district, venue under community
  const c = await create(s.json.id, 'community', '测试社区甲');
  assert.equal(c.status, 201);
  assert.equal(c.json.district_id, org['金水区']);
  assert.equal((await create(org['金水区'], 'community', '区直属社区')).status, 201);
  assert.equal((await create(c.json.id, 'venue', '测试党群服务中心')).status, 201);

  for (const [parent, kind] of [
    [org['郑州市'], 'street'], [org['郑州市'], 'community'], [s.json.id, 'district'],
    [s.json.id, 'street'], [c.json.id, 'community'], [org['体育公园党群服务中心'], 'venue'],
  ]) {
    const r = await create(parent, kind, '不该建成');
    assert.equal(r.status, 400, `${kind} under ${parent}`);
    assert.deepEqual(fieldCodes(r), ['kind:kind_not_allowed']);
  }
  const bad = await post('/api/v1/org-units', { kind: 'planet', name: '' });
  assert.equal(bad.status, 400);
  assert.deepEqual(fieldCodes(bad), ['kind:invalid', 'name:required', 'parent_id:required']);
  const ghost = await create(999999, 'street', '无上级');
  assert.equal(ghost.status, 400);
  assert.deepEqual(fieldCodes(ghost), ['parent_id:not_found_ref']);
});

test('12-digit code: format checked, unique when given (409 on field code)', async () => {
  const bad = await create(org['管城回族区'], 'street', '坏代码街道', '41010400')
  assert.equal(bad.status, 400);
  assert.deepEqual(fieldCodes(bad), ['code:invalid_org_code']);
  const dup = await create(org['管城回族区'], 'street', '重复代码街道', '410105000000');
  assert.equal(dup.status, 409);
  assert.deepEqual(fieldCodes(dup), ['code:taken']);
  const ok = await create(org['管城回族区'], 'street', '有代码街道', '410104001000');
  assert.equal(ok.status, 201);
  assert.equal(ok.json.code, '410104001000');
  const clash = await patch(`/api/v1/org-units/${ok.json.id}`, { code: '410104000000' });
  assert.equal(clash.status, 409);
  assert.deepEqual(fieldCodes(clash), ['code:taken']);
  // its own code again is no clash; null clears it
  assert.equal((await patch(`/api/v1/org-units/${ok.json.id}`, { code: '410104001000' })).status, 200);
  const cleared = await patch(`/api/v1/org-units/${ok.json.id}`, { code: null, name: '无代码街道' });
  assert.equal(cleared.status, 200);
  assert.equal(cleared.json.code, null);
  assert.equal(cleared.json.name, '无代码街道');
  assert.equal((await create(org['管城回族区'], 'street', '拿回代码街道', '410104001000')).status, 201);
});

test('list filters, children and subtree (nested and flat with depth)', async () => {
  const kids = await get(`/api/v1/org-units/${org['管城回族区']}/children`);
  assert.equal(kids.status, 200);
  const names = kids.json.items.map((o) => o.name);
  for (const n of ['西大街街道', '代书胡同社区', '西堡社区']) assert.ok(names.includes(n), n);
  assert.ok(kids.json.items.every((o) => o.parent_id === org['管城回族区']));

  const comms = await get(`/api/v1/org-units?parent_id=${org['管城回族区']}&kind=community`);
  assert.deepEqual(comms.json.items.map((o) => o.name).sort(), ['代书胡同社区', '西堡社区'].sort());
  const q = await get('/api/v1/org-units?q=' + encodeURIComponent('胡同'));
  assert.deepEqual(q.json.items.map((o) => o.name), ['代书胡同社区']);
  const pct = await get('/api/v1/org-units?q=' + encodeURIComponent('%'));
  assert.equal(pct.status, 200);
  assert.equal(pct.json.items.length, 0); // % is a character here, not a wildcard
  assert.equal((await get('/api/v1/org-units?kind=galaxy')).status, 400);
  const page = await get('/api/v1/org-units?limit=2');
  assert.equal(page.json.items.length, 2);
  const page2 = await get(`/api/v1/org-units?limit=2&cursor=${page.json.next_cursor}`);
  assert.ok(page2.json.items[0].id > page.json.items[1].id);

  const nested = await get(`/api/v1/org-units/${org['管城回族区']}/subtree`);
  assert.equal(nested.json.name, '管城回族区');
  const xdj = nested.json.children.find((c) => c.name === '西大街街道');
  assert.deepEqual(xdj.children.map((c) => c.name), ['平等街社区']);
  assert.equal(xdj.children[0].depth, 2);
  const shallow = await get(`/api/v1/org-units/${org['郑州市']}/subtree?format=flat&max_depth=1`);
  assert.deepEqual(shallow.json.items.map((o) => o.depth).sort(), [0, 1, 1, 1]);
});

test('move: the whole subtree gets new paths and district, teams too; no cycles', async () => {
  const s = (await create(org['金水区'], 'street', '搬迁街道')).json;
  const c = (await create(s.id, 'community', '搬迁社区')).json;
  const v = (await create(c.id, 'venue', '搬迁服务站')).json;
  const t = await post('/api/v1/teams', { org_unit_id: c.id, name: '搬迁队' });
  assert.equal(t.status, 201);
  assert.equal(t.json.district_id, org['金水区']);

  const m = await patch(`/api/v1/org-units/${s.id}`, { parent_id: org['管城回族区'] });
  assert.equal(m.status, 200);
  const base = `/${org['郑州市']}/${org['管城回族区']}/${s.id}/`;
  assert.equal(m.json.path, base);
  const sub = await get(`/api/v1/org-units/${s.id}/subtree?format=flat`);
  for (const o of sub.json.items) assert.equal(o.district_id, org['管城回族区'], o.name);
  assert.equal((await get(`/api/v1/org-units/${c.id}`)).json.path, `${base}${c.id}/`);
  assert.equal((await get(`/api/v1/org-units/${v.id}`)).json.path, `${base}${c.id}/${v.id}/`);
  assert.equal((await get(`/api/v1/teams/${t.json.id}`)).json.district_id, org['管城回族区']);

  // under its own descendant: refused, nothing changed
  const cyc = await patch(`/api/v1/org-units/${s.id}`, { parent_id: c.id });
  assert.equal(cyc.status, 409);
  assert.deepEqual(fieldCodes(cyc), ['parent_id:org_cycle']);
  assert.equal((await patch(`/api/v1/org-units/${s.id}`, { parent_id: s.id })).status, 409);
  // a community cannot sit under a venue or a city
  const kind = await patch(`/api/v1/org-units/${c.id}`, { parent_id: org['体育公园党群服务中心'] });
  assert.equal(kind.status, 400);
  assert.deepEqual(fieldCodes(kind), ['parent_id:kind_not_allowed']);
  // community straight under a district is fine
  const up = await patch(`/api/v1/org-units/${c.id}`, { parent_id: org['郑东新区'] });
  assert.equal(up.status, 200);
  assert.equal((await get(`/api/v1/org-units/${v.id}`)).json.path,
    `/${org['郑州市']}/${org['郑东新区']}/${c.id}/${v.id}/`);
  assert.equal((await get(`/api/v1/org-units/${v.id}`)).json.district_id, org['郑东新区']);
  assert.equal((await get(`/api/v1/org-units/${s.id}`)).json.path, base);

  const audit = await get(`/api/v1/audit-log?entity=org_unit&entity_id=${c.id}`);
  assert.deepEqual(audit.json.items.map((a) => a.action), ['move', 'create']);
  assert.equal(audit.json.items[0].detail.after.parent_id, org['郑东新区']);
});

test('delete: 409 names what blocks it; a bare node goes', async () => {
  const s = (await create(org['金水区'], 'street', '删除街道')).json;
  const c = (await create(s.id, 'community', '删除社区')).json;
  let r = await del(`/api/v1/org-units/${s.id}`);
  assert.equal(r.status, 409);
  assert.equal(r.json.code, 'has_dependents');
  assert.deepEqual(fieldCodes(r), ['children:blocking_dependents']);

  const team = (await post('/api/v1/teams', { org_unit_id: c.id, name: '挡路队' })).json;
  const br = (await post('/api/v1/party-branches', { org_unit_id: c.id, kind: 'branch', name: '删除社区党支部' })).json;
  person(srv, c.id, '住在这里的人');
  r = await api(srv.url, `/api/v1/org-units/${c.id}`, { method: 'DELETE', cookie: admin, headers: { 'Accept-Language': 'en' } });
  assert.equal(r.status, 409);
  assert.deepEqual(fieldCodes(r), ['branches:blocking_dependents', 'people:blocking_dependents', 'teams:blocking_dependents']);
  assert.match(r.json.detail, /people 1/);
  assert.match(r.json.detail, /teams 1/);
  r = await del(`/api/v1/org-units/${c.id}`);
  assert.match(r.json.detail, /队伍 1/);

  assert.equal((await del(`/api/v1/teams/${team.id}`)).status, 204);
  assert.equal((await del(`/api/v1/party-branches/${br.id}`)).status, 204);
  sql(srv, `DELETE FROM people WHERE org_unit_id = ${c.id};`);
  assert.equal((await del(`/api/v1/org-units/${c.id}`)).status, 204);
  assert.equal((await get(`/api/v1/org-units/${c.id}`)).status, 404);
  assert.equal((await del(`/api/v1/org-units/${s.id}`)).status, 204);
});

test('scope: a community admin sees and manages only below its community', async () => {
  const rh = await userWithRole(srv, 'rh_org_admin', 'community_admin', org['荣华社区']);
  const list = await get('/api/v1/org-units?limit=200', rh);
  assert.deepEqual(list.json.items.map((o) => o.name), ['荣华社区']);
  assert.equal((await get(`/api/v1/org-units/${org['代书胡同社区']}`, rh)).status, 404);
  assert.equal((await get(`/api/v1/org-units/${org['金水区']}`, rh)).status, 404);
  assert.equal((await get(`/api/v1/org-units/${org['金水区']}/subtree`, rh)).status, 404);
  assert.equal((await patch(`/api/v1/org-units/${org['代书胡同社区']}`, { name: 'x' }, rh)).status, 404);
  assert.equal((await del(`/api/v1/org-units/${org['代书胡同社区']}`, rh)).status, 404);
  // its own community is managed by the street/district above, not by itself
  assert.equal((await patch(`/api/v1/org-units/${org['荣华社区']}`, { name: '改名社区' }, rh)).status, 403);
  // below it: yes
  const v = await create(org['荣华社区'], 'venue', '荣华社区活动室', undefined, rh);
  assert.equal(v.status, 201);
  assert.equal((await patch(`/api/v1/org-units/${v.json.id}`, { name: '荣华社区活动中心' }, rh)).status, 200);
  // not under someone else's community, and not moved there
  const other = await create(org['代书胡同社区'], 'venue', '越界活动室', undefined, rh);
  assert.equal(other.status, 400);
  assert.deepEqual(fieldCodes(other), ['parent_id:not_found_ref']);
  const away = await patch(`/api/v1/org-units/${v.json.id}`, { parent_id: org['代书胡同社区'] }, rh);
  assert.equal(away.status, 400);
  assert.equal((await del(`/api/v1/org-units/${v.json.id}`, rh)).status, 204);

  const vol = await userWithRole(srv, 'rh_org_volunteer', 'volunteer', org['荣华社区']);
  assert.equal((await get(`/api/v1/org-units/${org['荣华社区']}`, vol)).status, 200);
  assert.equal((await create(org['荣华社区'], 'venue', '志愿者建的', undefined, vol)).status, 403);
});

test('party branches: CRUD, kinds, secretary in scope, members, delete blocked', async () => {
  const c = (await create(org['西大街街道'], 'community', '支部测试社区')).json;
  const sec = person(srv, c.id, '书记甲');
  const farAway = person(srv, org['代书胡同社区'], '外社区的人');
  let r = await post('/api/v1/party-branches', { org_unit_id: c.id, kind: 'branch', name: '支部测试社区党支部', secretary_person_id: sec });
  assert.equal(r.status, 201);
  assert.equal(r.json.secretary_name, '书记甲');
  assert.equal(r.json.district_id, org['管城回族区']);
  const b = r.json;
  assert.equal(r.headers.get('location'), `/api/v1/party-branches/${b.id}`);

  r = await post('/api/v1/party-branches', { org_unit_id: c.id, kind: 'cell', name: '坏类型', secretary_person_id: 999999 });
  assert.equal(r.status, 400);
  assert.deepEqual(fieldCodes(r), ['kind:invalid']);
  r = await post('/api/v1/party-branches', { org_unit_id: c.id, kind: 'branch', name: '无此书记', secretary_person_id: 999999 });
  assert.deepEqual(fieldCodes(r), ['secretary_person_id:not_found_ref']);
  r = await post('/api/v1/party-branches', { org_unit_id: c.id, kind: 'branch', name: '支部测试社区党支部' });
  assert.equal(r.status, 409);
  assert.deepEqual(fieldCodes(r), ['name:taken']);

  r = await patch(`/api/v1/party-branches/${b.id}`, { kind: 'general_branch', name: '支部测试社区党总支', secretary_person_id: null });
  assert.equal(r.status, 200);
  assert.equal(r.json.kind, 'general_branch');
  assert.equal(r.json.secretary_person_id, null);

  // a community admin cannot name a secretary it cannot see
  const ca = await userWithRole(srv, 'branch_test_admin', 'community_admin', c.id);
  r = await patch(`/api/v1/party-branches/${b.id}`, { secretary_person_id: farAway }, ca);
  assert.equal(r.status, 400);
  assert.deepEqual(fieldCodes(r), ['secretary_person_id:not_found_ref']);
  assert.equal((await patch(`/api/v1/party-branches/${b.id}`, { secretary_person_id: sec }, ca)).status, 200);
  const daishu = (await get('/api/v1/party-branches?q=' + encodeURIComponent('代书胡同'))).json.items[0];
  assert.equal((await get(`/api/v1/party-branches/${daishu.id}`, ca)).status, 404);
  assert.equal((await patch(`/api/v1/party-branches/${daishu.id}`, { name: 'x' }, ca)).status, 404);
  assert.equal((await get(`/api/v1/party-branches/${daishu.id}/members`, ca)).status, 404);
  assert.deepEqual((await get('/api/v1/party-branches', ca)).json.items.map((x) => x.id), [b.id]);

  // members: current ones only, name and volunteer number only
  const p1 = person(srv, c.id, '党员一');
  const p2 = person(srv, c.id, '党员二');
  const p3 = person(srv, c.id, '已转出党员');
  partyMember(srv, p1, b.id);
  partyMember(srv, p2, b.id);
  partyMember(srv, p3, b.id, { until: '2023-01-01' });
  volunteer(srv, p1, c.id, 'ZZ-0001');
  r = await get(`/api/v1/party-branches/${b.id}/members`, ca);
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.items, [
    { person_id: p1, name: '党员一', volunteer_no: 'ZZ-0001' },
    { person_id: p2, name: '党员二', volunteer_no: null },
  ]);
  assert.equal((await get(`/api/v1/party-branches/${b.id}`)).json.member_count, 2);

  r = await del(`/api/v1/party-branches/${b.id}`);
  assert.equal(r.status, 409);
  assert.deepEqual(fieldCodes(r), ['party_members:blocking_dependents']);
  const empty = (await post('/api/v1/party-branches', { org_unit_id: c.id, kind: 'committee', name: '空党委' })).json;
  assert.equal((await del(`/api/v1/party-branches/${empty.id}`, ca)).status, 204);
  assert.equal((await get(`/api/v1/party-branches/${empty.id}`)).status, 404);
});

test('service categories: national list in two languages plus a community\'s own', async () => {
  const all = await get('/api/v1/service-categories');
  const national = all.json.items.filter((c) => c.org_unit_id === null);
  const culture = national.find((c) => c.code === 'culture');
  assert.equal(culture.name, '文化艺术');
  assert.equal(culture.name_en, 'Culture and arts');
  assert.equal(national.find((c) => c.code === 'haircut').parent_id, national.find((c) => c.code === 'community').id);

  const rh = await login(srv.url, 'rh_org_admin', 'pw-rh_org_admin-123');
  let r = await post('/api/v1/service-categories', { org_unit_id: org['荣华社区'], parent_id: culture.id, name: '广场舞', name_en: 'Square dancing' }, rh);
  assert.equal(r.status, 201);
  assert.equal(r.json.code, `local_${r.json.id}`);
  assert.equal(r.json.org_unit_id, org['荣华社区']);
  const dance = r.json;

  const haircut = national.find((c) => c.code === 'haircut');
  r = await post('/api/v1/service-categories', { org_unit_id: org['荣华社区'], parent_id: haircut.id, name: '男士理发' }, rh);
  assert.equal(r.status, 400);
  assert.deepEqual(fieldCodes(r), ['parent_id:not_national_parent']);
  r = await post('/api/v1/service-categories', { org_unit_id: org['荣华社区'], parent_id: culture.id, name: '义务理发' }, rh);
  assert.equal(r.status, 409);
  assert.deepEqual(fieldCodes(r), ['name:taken']);
  r = await post('/api/v1/service-categories', { org_unit_id: org['荣华社区'], parent_id: culture.id, name: '广场舞' }, rh);
  assert.deepEqual(fieldCodes(r), ['name:taken']);
  r = await post('/api/v1/service-categories', { org_unit_id: org['代书胡同社区'], parent_id: culture.id, name: '越界类别' }, rh);
  assert.deepEqual(fieldCodes(r), ['org_unit_id:not_found_ref']);
  r = await post('/api/v1/service-categories', { org_unit_id: org['金水区'], parent_id: culture.id, name: '区级类别' });
  assert.deepEqual(fieldCodes(r), ['org_unit_id:not_community']);
  r = await post('/api/v1/service-categories', { org_unit_id: org['代书胡同社区'], parent_id: culture.id, name: '广场舞', code: 'square_dance' });
  assert.equal(r.status, 201); // another community may use the same name
  assert.equal(r.json.code, 'square_dance');
  r = await post('/api/v1/service-categories', { org_unit_id: org['西堡社区'], parent_id: culture.id, name: '秧歌', code: 'square_dance' });
  assert.deepEqual(fieldCodes(r), ['code:taken']);

  const mine = (await get('/api/v1/service-categories', rh)).json.items;
  assert.ok(mine.some((c) => c.id === dance.id));
  assert.ok(!mine.some((c) => c.code === 'square_dance'));
  const ds = await userWithRole(srv, 'ds_cat_admin', 'community_admin', org['代书胡同社区']);
  assert.equal((await get(`/api/v1/service-categories/${dance.id}`, ds)).status, 404);
  assert.equal((await get(`/api/v1/service-categories/${culture.id}`, ds)).status, 200);
});
