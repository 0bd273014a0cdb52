// Follow-ups across modules: exports of the people and records lists (masking as in the JSON),
// an org-unit move carrying district_id through the activity and certificate tables (and the
// reports following it), person merges that free a place (waitlist promotion) and leave
// issued certificates findable through merged_into, demo people with a real name key, and the
// sweep of missed check-outs under the test clock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as F from '../lib/activity_fixtures.mjs';
import { stopChecked } from '../lib/registry_fixtures.mjs';
import { residentId } from '../lib/registry.mjs';
import { startServer } from '../lib/server.mjs';

const run = promisify(execFile);
const { api } = F;
let srv, admin;
const O = {}; // org ids

const get = (p, cookie) => api(srv.url, p, { cookie });
const post = (p, body, cookie) => api(srv.url, p, { method: 'POST', body, cookie });
const clock = (iso) => F.setClock(srv, admin, iso);

/** A CSV download: status, headers and its lines (BOM checked and dropped). */
async function csv(p, cookie) {
  const res = await fetch(srv.url + p, { headers: { cookie } });
  const buf = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) return { status: res.status, lines: [], text: buf.toString('utf8') };
  assert.deepEqual([...buf.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
  const text = buf.subarray(3).toString('utf8');
  return { status: res.status, headers: res.headers, text, lines: text.split('\r\n').filter((l) => l.length) };
}

/** The first worksheet of an xlsx download as XML text. */
async function xlsxSheet(p, cookie) {
  const res = await fetch(srv.url + p, { headers: { cookie } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rexin-fu-'));
  try {
    await fs.writeFile(path.join(dir, 'x.xlsx'), Buffer.from(await res.arrayBuffer()));
    const { stdout } = await run('unzip', ['-p', path.join(dir, 'x.xlsx'), 'xl/worksheets/sheet1.xml'], { maxBuffer: 1 << 24 });
    return stdout;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

before(async () => {
  srv = await F.startActivityServer();
  admin = await F.login(srv.url);
  await clock('2030-05-01T09:00:00+08:00');
  for (const n of ['荣华社区', '英协社区', '凤凰台街道', '西堡社区', '管城回族区', '郑州市'])
    O[n] = await F.orgId(srv, n);
});

after(async () => {
  if (srv) await stopChecked(srv);
});

test('people export: masked IDs, phones and children\'s birth dates; flags only where the caller may see them', async () => {
  const ying = await F.makeUser(srv, 'fu_ying', { grants: [['community_admin', O['英协社区']]] });
  const rong = await F.makeUser(srv, 'fu_rong', { grants: [['community_admin', O['荣华社区']]] });
  const street = await F.makeUser(srv, 'fu_street', { grants: [['street_admin', O['凤凰台街道']]] });
  // sensitive at 荣华社区, only a reader at 英协社区 (through the street)
  const mixed = await F.makeUser(srv, 'fu_mixed', { grants: [['community_admin', O['荣华社区']], ['street_admin', O['凤凰台街道']]] });
  const elderId = residentId('410105', '1936-02-02', 51, 'F');
  const childId = residentId('410105', '2022-06-01', 41, 'F'); // 7 on the test clock's 2030-05-01
  const elder = await post('/api/v1/people', { name: '独居老人甲', id_number: elderId, phone: '13700001234', org_unit_id: O['英协社区'], vulnerable: ['lives_alone', 'very_old'], skills: ['剪纸', '唱歌'] }, ying);
  assert.equal(elder.status, 201, elder.text);
  const child = await post('/api/v1/people', { name: '小朋友乙', id_number: childId, org_unit_id: O['英协社区'] }, ying);
  assert.equal(child.status, 201, child.text);
  const other = await post('/api/v1/people', { name: '荣华居民丙', org_unit_id: O['荣华社区'], vulnerable: ['disabled'], phone: '13900002222' }, rong);
  assert.equal(other.status, 201, other.text);
  const em = `4101**********${elderId.slice(14)}`;

  // The street's admin: no flags column at all, masked phone, no child's birth date.
  const s = await csv(`/api/v1/people?format=csv&org_unit_id=${O['英协社区']}`, street);
  assert.equal(s.status, 200);
  assert.equal(s.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.equal(s.headers.get('content-disposition'), 'attachment; filename="people.csv"');
  assert.equal(s.lines[0], '人员编号,姓名,证件类型,证件号码,性别,出生日期,联系电话,所属社区,政治面貌,志愿者编号,特长,兴趣,备注');
  assert.ok(s.lines.includes(`${elder.json.id},独居老人甲,居民身份证,${em},女,1936-02-02,137****1234,英协社区,,,剪纸、唱歌,,`), s.text);
  assert.ok(s.lines.includes(`${child.json.id},小朋友乙,居民身份证,4101**********${childId.slice(14)},女,,,英协社区,,,,,`), s.text);
  assert.ok(!s.text.includes(elderId) && !s.text.includes('13700001234') && !s.text.includes('高龄'));
  // exactly the rows of the JSON list, in its order (newest first)
  const list = await get(`/api/v1/people?org_unit_id=${O['英协社区']}&limit=200`, street);
  assert.deepEqual(s.lines.slice(1).map((l) => Number(l.split(',')[0])), list.json.items.map((i) => i.id));

  // The community's own admin: full phone, the child's birth date, the flags in words; the
  // ID number stays masked.
  const y = await csv(`/api/v1/people?format=csv&org_unit_id=${O['英协社区']}`, ying);
  assert.equal(y.lines[0], '人员编号,姓名,证件类型,证件号码,性别,出生日期,联系电话,所属社区,政治面貌,志愿者编号,特长,兴趣,备注,困难情况');
  assert.ok(y.lines.includes(`${elder.json.id},独居老人甲,居民身份证,${em},女,1936-02-02,13700001234,英协社区,,,剪纸、唱歌,,,独居、高龄`), y.text);
  assert.ok(y.lines.includes(`${child.json.id},小朋友乙,居民身份证,4101**********${childId.slice(14)},女,2022-06-01,,英协社区,,,,,,`), y.text);
  assert.ok(!y.text.includes(elderId));

  // Both scopes in one file: flags and full phones only on 荣华社区's rows.
  const m = await csv('/api/v1/people?format=csv&limit=1', mixed);
  assert.ok(m.lines[0].endsWith(',困难情况'));
  assert.ok(m.lines.length > 2, 'limit does not apply to exports');
  assert.ok(m.lines.includes(`${other.json.id},荣华居民丙,,,,,13900002222,荣华社区,,,,,,残障`), m.text);
  assert.ok(m.lines.includes(`${elder.json.id},独居老人甲,居民身份证,${em},女,1936-02-02,137****1234,英协社区,,,剪纸、唱歌,,,`), m.text);

  // The city's admin (people, but nothing sensitive) as xlsx: masked, no flags.
  const sheet = await xlsxSheet(`/api/v1/people?format=xlsx&q=${encodeURIComponent('独居老人')}`, admin);
  assert.ok(sheet.includes('<t>证件号码</t>') && sheet.includes(`<t>${em}</t>`) && sheet.includes('<t>137****1234</t>'));
  assert.ok(!sheet.includes('困难情况') && !sheet.includes('独居、') && !sheet.includes(elderId));
  assert.equal((await get('/api/v1/people?format=pdf', street)).status, 400);
});

test('a people export longer than a page streams newest first, every row once', async () => {
  const org = await F.orgId(srv, '平等街社区');
  const values = Array.from({ length: 1100 }, (_, i) => `(${org}, 'bulk-${i}', 'bulk-${i}', 0, 0)`).join(',');
  await F.exec(srv, `INSERT INTO people(org_unit_id, name, name_norm, created_at, updated_at) VALUES ${values};`);
  const [{ n }] = await F.rows(srv, `SELECT count(*) AS n FROM people WHERE org_unit_id = ${org} AND merged_into IS NULL`);
  const res = await fetch(`${srv.url}/api/v1/people?format=csv&org_unit_id=${org}`, { headers: { cookie: admin } });
  assert.equal(res.headers.get('content-length'), null); // streamed
  const ids = (await res.text()).split('\r\n').slice(1).filter((l) => l).map((l) => Number(l.split(',')[0]));
  assert.equal(ids.length, n);
  assert.ok(n > 1100);
  assert.ok(ids.every((id, i) => i === 0 || id < ids[i - 1]), 'strictly descending, no repeats');
});

test('records export: who, what, where, hours with two decimals, source and status in words', async () => {
  const xibao = await F.makeUser(srv, 'fu_xibao', { grants: [['community_admin', O['西堡社区']]] });
  const rong = await F.makeUser(srv, 'fu_rong2', { grants: [['community_admin', O['荣华社区']]] });
  const cleaning = await F.categoryId(srv, 'cleaning');
  const [p1, p2] = await F.makeVolunteers(srv, { org: O['西堡社区'], n: 2, prefix: 'fu-rec' });
  await F.exec(srv, `UPDATE people SET name = '赵六', name_norm = '赵六' WHERE id = ${p1}; UPDATE people SET name = '钱七', name_norm = '钱七' WHERE id = ${p2};`);
  const [{ volunteer_no: no1 }] = await F.rows(srv, `SELECT volunteer_no FROM volunteers WHERE person_id = ${p1}`);
  const [{ volunteer_no: no2 }] = await F.rows(srv, `SELECT volunteer_no FROM volunteers WHERE person_id = ${p2}`);
  const team = await F.makeTeam(srv, xibao, { org: O['西堡社区'], name: '西堡清扫队', category: cleaning, members: [{ person: p1, role: 'leader' }, { person: p2 }] });
  const [{ name: teamName }] = await F.rows(srv, `SELECT name FROM teams WHERE id = ${team}`);
  const act = await F.makeActivity(srv, xibao, { team_id: team, category_id: cleaning, title: '楼院大扫除', starts_at: '2030-05-20T09:00:00+08:00', ends_at: '2030-05-20T11:00:00+08:00' });
  const r1 = await post('/api/v1/records', { source: 'team_entry', person_id: p1, team_id: team, activity_id: act.id, category_id: cleaning, service_date: '2030-04-20', minutes: 90, people_served: 3 }, xibao);
  assert.equal(r1.status, 201, r1.text);
  assert.equal((await post(`/api/v1/records/${r1.json.id}/confirm`, {}, xibao)).status, 200);
  const r2 = await post('/api/v1/records', { source: 'team_entry', person_id: p2, team_id: team, category_id: cleaning, service_date: '2030-04-21', minutes: 45 }, xibao);
  assert.equal(r2.status, 201, r2.text);
  const r3 = await post('/api/v1/records', { source: 'team_entry', person_id: p2, team_id: team, category_id: cleaning, service_date: '2030-04-22', minutes: 20 }, xibao);
  assert.equal((await post(`/api/v1/records/${r3.json.id}/reject`, { reason: '重复' }, xibao)).status, 200);
  // a help request done by p1: its record names what was needed
  const p1u = await F.makeUser(srv, 'fu_p1', { person: p1 });
  const hr = await post('/api/v1/help-requests', { person_id: p2, category_id: cleaning, need: '楼道灯坏了', address: '3号楼' }, xibao);
  assert.equal(hr.status, 201, hr.text);
  assert.equal((await post(`/api/v1/help-requests/${hr.json.id}/dispatch`, { person_id: p1 }, xibao)).status, 200);
  for (const step of ['accept', 'start']) assert.equal((await post(`/api/v1/help-requests/${hr.json.id}/${step}`, {}, p1u)).status, 200);
  const done = await post(`/api/v1/help-requests/${hr.json.id}/done`, { time: [{ person_id: p1, minutes: 60 }] }, p1u);
  assert.equal(done.status, 200, done.text);
  const r4 = done.json.records[0];

  const x = await csv(`/api/v1/records?format=csv&org_unit=${O['西堡社区']}`, xibao);
  assert.equal(x.status, 200);
  assert.equal(x.headers.get('content-disposition'), 'attachment; filename="records.csv"');
  assert.equal(x.lines[0], '记录编号,姓名,志愿者编号,活动/点单,服务队伍,服务类别,记录社区,服务日期,服务时长(小时),服务群众人次,来源,状态');
  const ours = x.lines.filter((l) => [r1, r2, r3, { json: r4 }].some((r) => l.startsWith(`${r.json.id},`)));
  assert.deepEqual(ours, [
    `${r4.id},赵六,${no1},点单：楼道灯坏了,,清扫家园,西堡社区,${r4.service_date},1.00,1,群众点单,待确认`,
    `${r3.json.id},钱七,${no2},,${teamName},清扫家园,西堡社区,2030-04-22,0.33,0,队伍录入,已驳回`,
    `${r2.json.id},钱七,${no2},,${teamName},清扫家园,西堡社区,2030-04-21,0.75,0,队伍录入,待确认`,
    `${r1.json.id},赵六,${no1},楼院大扫除,${teamName},清扫家园,西堡社区,2030-04-20,1.50,3,队伍录入,已确认`,
  ]);
  // the same filters as the JSON
  const c = await csv(`/api/v1/records?format=csv&org_unit=${O['西堡社区']}&status=confirmed&person_id=${p1}`, xibao);
  assert.deepEqual(c.lines.slice(1).map((l) => Number(l.split(',')[0])), [r1.json.id]);
  // out of scope: nothing; a volunteer: their own only
  const o = await csv('/api/v1/records?format=csv', rong);
  assert.ok(!o.lines.some((l) => l.includes('赵六') || l.includes('钱七')));
  const mine = await F.makeUser(srv, 'fu_p2', { person: p2 });
  const own = await csv('/api/v1/records?format=csv', mine);
  assert.deepEqual(own.lines.slice(1).map((l) => Number(l.split(',')[0])), [r3.json.id, r2.json.id]);
  assert.equal(r4.service_date, '2030-05-01');
  // xlsx: hours as numbers
  const sheet = await xlsxSheet(`/api/v1/records?format=xlsx&org_unit=${O['西堡社区']}&person_id=${p1}`, xibao);
  assert.ok(sheet.includes('<t>赵六</t>') && sheet.includes('<v>1.5</v>') && sheet.includes('<t>已确认</t>'), sheet.slice(-1200));
});

test('moving a community to another district moves district_id everywhere and the reports follow', async () => {
  const cleaning = await F.categoryId(srv, 'cleaning');
  const created = await post('/api/v1/org-units', { parent_id: O['管城回族区'], kind: 'community', name: '迁移社区' }, admin);
  assert.equal(created.status, 201, created.text);
  const c = created.json.id;
  const nd = await post('/api/v1/org-units', { parent_id: O['郑州市'], kind: 'district', name: '航空港区' }, admin);
  assert.equal(nd.status, 201, nd.text);
  const ca = await F.makeUser(srv, 'fu_move', { grants: [['community_admin', c]] });
  const [p1, p2] = await F.makeVolunteers(srv, { org: c, n: 2, prefix: 'fu-mv' });
  const team = await F.makeTeam(srv, ca, { org: c, name: '迁移服务队', category: cleaning, members: [{ person: p1, role: 'leader' }, { person: p2 }] });
  // an activity held with attendance (record confirmed), a team entry corrected, certificates
  await clock('2030-05-02T08:00:00+08:00');
  const act = await F.makeActivity(srv, ca, { team_id: team, category_id: cleaning, title: '迁移前的活动', starts_at: '2030-05-02T09:00:00+08:00', ends_at: '2030-05-02T11:00:00+08:00' });
  assert.equal((await post(`/api/v1/activities/${act.id}/signups`, { person_id: p1 }, ca)).status, 201);
  await clock('2030-05-02T11:30:00+08:00');
  for (const [action, at] of [['checkin', '2030-05-02T09:00:00+08:00'], ['checkout', '2030-05-02T11:00:00+08:00']]) {
    const m = await post(`/api/v1/activities/${act.id}/attendance`, { person_id: p1, action, at, reason: '按名单' }, ca);
    assert.equal(m.status, 200, m.text);
  }
  assert.equal((await post(`/api/v1/activities/${act.id}/records/confirm`, {}, ca)).status, 200);
  const e = await post('/api/v1/records', { source: 'team_entry', person_id: p2, team_id: team, category_id: cleaning, service_date: '2030-05-02', minutes: 30, people_served: 2 }, ca);
  assert.equal((await post(`/api/v1/records/${e.json.id}/confirm`, {}, ca)).status, 200);
  const cor = await post(`/api/v1/records/${e.json.id}/corrections`, { minutes: 60, reason: '漏记' }, ca);
  assert.equal(cor.status, 201, cor.text);
  const cid = cor.json.id ?? cor.json.correction?.id;
  assert.equal((await post(`/api/v1/records/${e.json.id}/corrections/${cid}/decision`, { decision: 'accept' }, ca)).status, 200);
  const cert = await post('/api/v1/certificates', { person_id: p1, org_unit_id: c, from: '2030-01-01', to: '2030-05-02', issue: true, person_in_charge: '负责人' }, ca);
  assert.equal(cert.status, 201, cert.text);
  const revoked = await post('/api/v1/certificates', { person_id: p2, org_unit_id: c, from: '2030-01-01', to: '2030-05-02', issue: true, person_in_charge: '负责人' }, ca);
  assert.equal((await post(`/api/v1/certificates/${revoked.json.id}/revoke`, { reason: '重开' }, ca)).status, 200);

  const help = await post('/api/v1/help-requests', { person_id: p2, category_id: cleaning, need: '换灯泡', address: '1号楼' }, ca);
  assert.equal(help.status, 201, help.text);
  assert.equal((await post(`/api/v1/help-requests/${help.json.id}/dispatch`, { person_id: p1 }, ca)).status, 200);

  const summary = async (org) => {
    const r = await get(`/api/v1/reports/summary?org_unit=${org}&from=2030-01-01&to=2030-12-31`, admin);
    assert.equal(r.status, 200, r.text);
    return [r.json.total.person_times, r.json.total.minutes];
  };
  const [oldTimes, oldMinutes] = await summary(O['管城回族区']);
  assert.deepEqual(await summary(c), [2, 180]); // 120 from attendance + 60 corrected
  assert.deepEqual(await summary(nd.json.id), [0, 0]);

  const versions = (await get(`/api/v1/records/${e.json.id}/history`, ca)).json.items.length;
  const moved = await api(srv.url, `/api/v1/org-units/${c}`, { method: 'PATCH', body: { parent_id: nd.json.id }, cookie: admin });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.json.district_id, nd.json.id);
  assert.deepEqual(await summary(nd.json.id), [2, 180]);
  assert.deepEqual(await summary(O['管城回族区']), [oldTimes - 2, oldMinutes - 180]);

  // the distribution key of every row of the community now names the new district
  const d = nd.json.id;
  const districts = async (table, where) => (await F.rows(srv, `SELECT DISTINCT district_id AS d FROM ${table} WHERE ${where}`)).map((r) => r.d);
  const inOrg = `org_unit_id = ${c}`;
  assert.deepEqual(await districts('activities', inOrg), [d]);
  assert.deepEqual(await districts('signups', `activity_id = ${act.id}`), [d]);
  assert.deepEqual(await districts('attendance', `activity_id = ${act.id}`), [d]);
  assert.deepEqual(await districts('service_records', inOrg), [d]);
  assert.deepEqual(await districts('record_corrections', `record_id = ${e.json.id}`), [d]);
  assert.deepEqual(await districts('certificates', inOrg), [d]);
  assert.deepEqual(await districts('people', inOrg), [d]);
  assert.deepEqual(await districts('help_requests', inOrg), [d]);
  assert.deepEqual(await districts('help_request_events', `request_id = ${help.json.id}`), [d]);
  assert.equal((await get(`/api/v1/help-requests/${help.json.id}/events`, ca)).json.items.length, 2); // the log is as it was
  // nothing a row says changed: no new versions, the issued certificate and its number intact
  const h = await get(`/api/v1/records/${e.json.id}/history`, ca);
  assert.equal(h.json.items.length, versions, h.text);
  const again = await get(`/api/v1/certificates/${cert.json.id}`, ca);
  assert.deepEqual([again.json.status, again.json.number], ['issued', cert.json.number]);
});

test('a merge that gives up a place promotes the waitlist; a waitlisted survivor keeps the loser\'s place', async () => {
  await clock('2030-05-03T09:00:00+08:00');
  const cleaning = await F.categoryId(srv, 'cleaning');
  const ca = await F.makeUser(srv, 'fu_merge', { grants: [['community_admin', O['西堡社区']]] });
  const [s, l, t] = await F.makeVolunteers(srv, { org: O['西堡社区'], n: 3, prefix: 'fu-mg' });
  const team = await F.makeTeam(srv, ca, { org: O['西堡社区'], name: '合并队', category: cleaning, members: [{ person: s }, { person: l }, { person: t }] });
  const a = await F.makeActivity(srv, ca, { team_id: team, category_id: cleaning, capacity: 2, starts_at: '2030-05-20T14:00:00+08:00', ends_at: '2030-05-20T16:00:00+08:00' });
  const b = await F.makeActivity(srv, ca, { team_id: team, category_id: cleaning, capacity: 1, starts_at: '2030-05-21T14:00:00+08:00', ends_at: '2030-05-21T16:00:00+08:00' });
  const signup = async (act, person) => (await post(`/api/v1/activities/${act}/signups`, { person_id: person }, ca)).json;
  assert.equal((await signup(a.id, s)).status, 'confirmed');
  assert.equal((await signup(a.id, l)).status, 'confirmed');
  const waiting = await signup(a.id, t);
  assert.equal(waiting.status, 'waitlisted');
  assert.equal((await signup(b.id, l)).status, 'confirmed');
  assert.equal((await signup(b.id, s)).status, 'waitlisted');

  const m = await post('/api/v1/people/merge', { survivor_id: s, loser_id: l, keep_survivor_volunteer_no: true }, ca);
  assert.equal(m.status, 200, m.text);
  // A: the loser's place went to the head of the waitlist, told like any promotion
  const la = await get(`/api/v1/activities/${a.id}/signups`, ca);
  const byPerson = (items) => items.filter((i) => i.status !== 'cancelled').map((i) => [i.person_id, i.status]).sort();
  assert.deepEqual(byPerson(la.json.items), [[s, 'confirmed'], [t, 'confirmed']].sort());
  const promoted = await get(`/api/v1/activities/${a.id}/signups/${waiting.id}`, ca);
  assert.equal(promoted.json.status, 'confirmed');
  assert.ok(promoted.json.promoted_at);
  const ga = await get(`/api/v1/activities/${a.id}`, ca);
  assert.deepEqual([ga.json.places_taken, ga.json.waitlisted], [2, 0]);
  const [{ n }] = await F.rows(srv, `SELECT count(*) AS n FROM notifications WHERE person_id = ${t} AND kind = 'waitlist_promoted'`);
  assert.equal(n, 1);
  // B: one human, one place: the survivor holds the loser's confirmed place, nobody waits
  const lb = await get(`/api/v1/activities/${b.id}/signups`, ca);
  assert.deepEqual(byPerson(lb.json.items), [[s, 'confirmed']]);
  assert.equal((await get(`/api/v1/activities/${b.id}`, ca)).json.places_taken, 1);
});

test('issued certificates keep the merged record\'s person id and are found through the survivor', async () => {
  await clock('2030-05-04T09:00:00+08:00');
  const cleaning = await F.categoryId(srv, 'cleaning');
  const ca = await F.makeUser(srv, 'fu_cert', { grants: [['community_admin', O['西堡社区']]] });
  const [s, l] = await F.makeVolunteers(srv, { org: O['西堡社区'], n: 2, prefix: 'fu-ct' });
  const team = await F.makeTeam(srv, ca, { org: O['西堡社区'], name: '证明队', category: cleaning, members: [{ person: s }, { person: l }] });
  const rec = await post('/api/v1/records', { source: 'team_entry', person_id: l, team_id: team, category_id: cleaning, service_date: '2030-04-10', minutes: 120 }, ca);
  assert.equal((await post(`/api/v1/records/${rec.json.id}/confirm`, {}, ca)).status, 200);
  const issued = await post('/api/v1/certificates', { person_id: l, org_unit_id: O['西堡社区'], from: '2030-01-01', to: '2030-04-30', issue: true, person_in_charge: '负责人' }, ca);
  assert.equal(issued.status, 201, issued.text);
  const asked = await post('/api/v1/certificates', { person_id: l, org_unit_id: O['西堡社区'], from: '2030-04-01', to: '2030-04-30' }, ca);
  assert.equal(asked.status, 201, asked.text);
  const sv = await F.makeUser(srv, 'fu_cert_s', { person: s });
  assert.equal((await get(`/api/v1/certificates/${issued.json.id}`, sv)).status, 404); // not theirs yet

  const m = await post('/api/v1/people/merge', { survivor_id: s, loser_id: l, keep_survivor_volunteer_no: true }, ca);
  assert.equal(m.status, 200, m.text);
  const list = await get(`/api/v1/certificates?person_id=${s}`, ca);
  assert.deepEqual(list.json.items.map((c) => [c.id, c.person_id, c.status]), [
    [issued.json.id, l, 'issued'], // frozen: still names the record it was issued to
    [asked.json.id, s, 'requested'], // not issued yet: the survivor's now
  ]);
  // the survivor's own account finds and opens it
  const mine = await get('/api/v1/certificates', sv);
  assert.deepEqual(mine.json.items.map((c) => c.id), [issued.json.id, asked.json.id]);
  const one = await get(`/api/v1/certificates/${issued.json.id}`, sv);
  assert.deepEqual([one.status, one.json.number], [200, issued.json.number]);
  // issuing the moved request certifies the survivor, whose the record now is
  const done = await post(`/api/v1/certificates/${asked.json.id}/issue`, { person_in_charge: '负责人' }, ca);
  assert.equal(done.status, 200, done.text);
  assert.deepEqual([done.json.person_id, done.json.minutes], [s, 120]);
});

test('demo people have a name key: found by search, and only suspects with a matching birth date or phone', async () => {
  const rong = await F.makeUser(srv, 'fu_demo', { grants: [['community_admin', O['荣华社区']]] });
  const found = await get(`/api/v1/people?q=${encodeURIComponent('周淑枝')}`, rong);
  assert.equal(found.status, 200);
  assert.deepEqual(found.json.items.map((p) => p.name), ['周淑枝']);
  const zhou = found.json.items[0].id;
  assert.deepEqual((await get(`/api/v1/people?q=${encodeURIComponent('周 淑枝')}`, rong)).json.items.map((p) => p.id), [zhou]);
  // she has no birth date or phone on record: the same name alone is no suspect
  const same = await post('/api/v1/people', { name: '周 淑枝', org_unit_id: O['荣华社区'], birth_date: '1951-03-03' }, rong);
  assert.equal(same.status, 201, same.text);
  // once her birth date is known, the same name and date is a suspected duplicate
  assert.equal((await api(srv.url, `/api/v1/people/${zhou}`, { method: 'PATCH', body: { birth_date: '1948-09-09' }, cookie: rong })).status, 200);
  const dup = await post('/api/v1/people', { name: '周　淑枝', org_unit_id: O['荣华社区'], birth_date: '1948-09-09' }, rong);
  assert.equal(dup.status, 409, dup.text);
  assert.equal(dup.json.code, 'suspected_duplicate');
  assert.deepEqual(dup.json.candidates.map((c) => c.id), [zhou]);
  const [{ name_norm }] = await F.rows(srv, `SELECT name_norm FROM people WHERE id = ${zhou}`);
  assert.equal(name_norm, '周淑枝');
});

test('the sweep closes missed check-outs: a record for review without waiting for the leader', async () => {
  const cleaning = await F.categoryId(srv, 'cleaning');
  const ca = await F.makeUser(srv, 'fu_sweep', { grants: [['community_admin', O['西堡社区']]] });
  const [p1, p2, p3] = await F.makeVolunteers(srv, { org: O['西堡社区'], n: 3, prefix: 'fu-sw' });
  const team = await F.makeTeam(srv, ca, { org: O['西堡社区'], name: '签退队', category: cleaning, members: [{ person: p1 }, { person: p2 }, { person: p3 }] });
  await clock('2030-06-01T08:00:00+08:00');
  const a = await F.makeActivity(srv, ca, { team_id: team, category_id: cleaning, title: '忘了签退', starts_at: '2030-06-01T14:00:00+08:00', ends_at: '2030-06-01T16:00:00+08:00' });
  for (const p of [p1, p2, p3]) assert.equal((await post(`/api/v1/activities/${a.id}/signups`, { person_id: p }, ca)).status, 201);
  await clock('2030-06-01T14:20:00+08:00');
  const mark = (person, action, at) => post(`/api/v1/activities/${a.id}/attendance`, { person_id: person, action, at, reason: '按名单' }, ca);
  assert.equal((await mark(p1, 'checkin', '2030-06-01T14:00:00+08:00')).status, 200);
  assert.equal((await mark(p2, 'checkin', '2030-06-01T14:15:00+08:00')).status, 200);
  assert.equal((await mark(p3, 'checkin', '2030-06-01T14:00:00+08:00')).status, 200);
  await clock('2030-06-01T16:05:00+08:00');
  assert.equal((await mark(p3, 'checkout', '2030-06-01T16:00:00+08:00')).status, 200);

  const sweep = () => post('/api/v1/test/sweep', {}, admin);
  const records = async () => (await get(`/api/v1/records?activity_id=${a.id}`, ca)).json.items
    .map((r) => [r.person_id, r.minutes, r.status, r.needs_review, r.review_reason]).sort((x, y) => x[0] - y[0]);
  // the window for check-outs is open until 18:00: nothing to do yet
  await clock('2030-06-01T17:59:00+08:00');
  let sw = await sweep();
  assert.equal(sw.status, 200, sw.text);
  assert.equal(sw.json.checkouts_closed, 0);
  assert.deepEqual(await records(), [[p3, 120, 'pending', false, null]]);
  // after it: both still in get a record up to the scheduled end, for review
  await clock('2030-06-01T18:01:00+08:00');
  sw = await sweep();
  assert.deepEqual([sw.json.checkouts_closed, sw.json.records_flagged], [2, 2]);
  assert.deepEqual(await records(), [
    [p1, 120, 'pending', true, 'no_checkout'],
    [p2, 105, 'pending', true, 'no_checkout'],
    [p3, 120, 'pending', false, null],
  ]);
  const att = await get(`/api/v1/activities/${a.id}/attendance`, ca);
  assert.deepEqual(att.json.items.map((x) => [x.person_id, x.state, x.checkout_at === null]).sort((x, y) => x[0] - y[0]),
    [[p1, 'closed', true], [p2, 'closed', true], [p3, 'out', false]]);
  assert.equal((await get(`/api/v1/activities/${a.id}`, ca)).json.status, 'published'); // the leader's to finish
  // once only
  sw = await sweep();
  assert.equal(sw.json.checkouts_closed, 0);
  // finishing later changes nothing about them
  assert.equal((await post(`/api/v1/activities/${a.id}/finish`, {}, ca)).status, 200);
  assert.equal((await records()).length, 3);
  const hist = await get(`/api/v1/records/${(await get(`/api/v1/records?activity_id=${a.id}&person_id=${p1}`, ca)).json.items[0].id}/history`, ca);
  assert.equal(hist.json.items.length, 1);
  const audit = await get('/api/v1/audit-log?entity=attendance', admin);
  assert.ok(audit.json.items.filter((x) => x.action === 'close_checkout').length >= 2);
  // only for the city's administrators, and only with the test clock
  assert.equal((await post('/api/v1/test/sweep', {}, ca)).status, 403);
  const plain = await startServer();
  try {
    const c = await F.login(plain.url);
    assert.equal((await api(plain.url, '/api/v1/test/sweep', { method: 'POST', body: {}, cookie: c })).status, 404);
  } finally {
    await plain.stop();
  }
});
