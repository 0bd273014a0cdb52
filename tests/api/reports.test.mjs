// Reports, star levels, certificates and exports (issue "Reports, star levels, certificates
// and exports"). One community, 代书胡同社区, with records made through the records API —
// confirmed, one corrected, one rejected, one left pending — and every figure checked
// against numbers worked out by hand below. Then certificates (PDF text, QR code, public
// verification, revocation, rate limit), star levels with the national and Beijing
// thresholds, exports (CSV BOM, xlsx text, formula neutralisation) and the CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  api, login, exec, rows, orgId, categoryId, makeVolunteers, makeTeam, makeUser, makePartyMember,
} from '../lib/activity_fixtures.mjs';
import { startServer, rexinBin } from '../lib/server.mjs';
import { rexin } from '../lib/util.mjs';

const run = promisify(execFile);
const LONG = ['--session-idle', '1000000000', '--session-max', '1000000000', '--daily-cap-minutes', '1440'];
let srv, admin, ca, cb, da, v1c, v2c;
const F = {}; // ids

async function record(cookie, body, confirm = true) {
  const r = await api(srv.url, '/api/v1/records', { method: 'POST', cookie, body: { source: 'team_entry', ...body } });
  assert.equal(r.status, 201, r.text);
  if (confirm) {
    const c = await api(srv.url, `/api/v1/records/${r.json.id}/confirm`, { method: 'POST', cookie });
    assert.equal(c.status, 200, c.text);
  }
  return r.json.id;
}

before(async () => {
  srv = await startServer({ args: LONG });
  admin = await login(srv.url);
  F.dai = await orgId(srv, '代书胡同社区');
  F.xibao = await orgId(srv, '西堡社区');
  F.district = await orgId(srv, '管城回族区');
  F.street = await orgId(srv, '西大街街道');
  F.cleaning = await categoryId(srv, 'cleaning');
  F.patrol = await categoryId(srv, 'patrol');
  F.environment = await categoryId(srv, 'environment');
  ca = await makeUser(srv, 'rep-ca', { grants: [['community_admin', F.dai]] });
  cb = await makeUser(srv, 'rep-cb', { grants: [['community_admin', F.xibao]] });
  da = await makeUser(srv, 'rep-da', { grants: [['district_admin', F.district]] });
  [F.v1, F.v2, F.v3] = await makeVolunteers(srv, { org: F.dai, n: 3, prefix: 'rep' });
  [F.w1, F.s1] = await makeVolunteers(srv, { org: F.xibao, n: 2, prefix: 'rep-x' });
  await exec(srv, `UPDATE people SET name = '张三', name_norm = '张三', id_masked = '4101**********123X' WHERE id = ${F.v1};
                   UPDATE people SET name = '李四', name_norm = '李四' WHERE id = ${F.v2};
                   UPDATE people SET name = '王五', name_norm = '王五' WHERE id = ${F.v3};`);
  F.v1no = (await rows(srv, `SELECT volunteer_no FROM volunteers WHERE person_id = ${F.v1}`))[0].volunteer_no;
  await makePartyMember(srv, F.v1, F.dai, '2000-01-01');
  v1c = await makeUser(srv, 'rep-v1', { person: F.v1 });
  v2c = await makeUser(srv, 'rep-v2', { person: F.v2 });
  F.t1 = await makeTeam(srv, ca, { org: F.dai, name: '清扫队', category: F.cleaning, members: [{ person: F.v1 }, { person: F.v2 }] });
  F.t2 = await makeTeam(srv, ca, { org: F.dai, name: '巡逻队', category: F.patrol, members: [{ person: F.v1 }, { person: F.v3 }] });
  F.t3 = await makeTeam(srv, cb, { org: F.xibao, name: '西堡队', category: F.cleaning, members: [{ person: F.w1 }, { person: F.s1 }] });

  // 代书胡同社区, 2026 (hand-worked figures in the tests below)
  await record(ca, { person_id: F.v1, team_id: F.t1, category_id: F.cleaning, service_date: '2026-01-10', minutes: 120, people_served: 5 });
  await record(ca, { person_id: F.v2, team_id: F.t1, category_id: F.cleaning, service_date: '2026-01-10', minutes: 60, people_served: 3 });
  await record(ca, { person_id: F.v1, team_id: F.t2, category_id: F.patrol, service_date: '2026-02-15', minutes: 90, people_served: 0 });
  const r4 = await record(ca, { person_id: F.v3, team_id: F.t2, category_id: F.patrol, service_date: '2026-03-01', minutes: 30, people_served: 2 });
  // r4 corrected: 30 -> 45 minutes, 2 -> 4 people served
  const cor = await api(srv.url, `/api/v1/records/${r4}/corrections`, { method: 'POST', cookie: ca, body: { minutes: 45, people_served: 4, reason: '签退时间录错' } });
  assert.equal(cor.status, 201, cor.text);
  const cid = cor.json.id ?? cor.json.correction?.id;
  const dec = await api(srv.url, `/api/v1/records/${r4}/corrections/${cid}/decision`, { method: 'POST', cookie: ca, body: { decision: 'accept' } });
  assert.equal(dec.status, 200, dec.text);
  // rejected and pending records never count
  const r5 = await record(ca, { person_id: F.v2, team_id: F.t1, category_id: F.cleaning, service_date: '2026-03-20', minutes: 100, people_served: 10 }, false);
  assert.equal((await api(srv.url, `/api/v1/records/${r5}/reject`, { method: 'POST', cookie: ca, body: { reason: '重复录入' } })).status, 200);
  await record(ca, { person_id: F.v3, team_id: F.t2, category_id: F.patrol, service_date: '2026-04-05', minutes: 60, people_served: 1 }, false);
  // 西堡社区: one record in 2026; s1's 15 days of 1000 minutes in May 2025 (star levels)
  await record(cb, { person_id: F.w1, team_id: F.t3, category_id: F.cleaning, service_date: '2026-01-20', minutes: 30, people_served: 1 });
  for (let d = 1; d <= 15; d++) {
    await record(cb, { person_id: F.s1, team_id: F.t3, category_id: F.cleaning, service_date: `2025-05-${String(d).padStart(2, '0')}`, minutes: 1000 });
  }
});

after(async () => {
  await srv?.stop();
});

const Q = (o) => new URLSearchParams(o).toString();
async function summary(params, cookie = ca) {
  const r = await api(srv.url, `/api/v1/reports/summary?${Q(params)}`, { cookie });
  assert.equal(r.status, 200, r.text);
  return r.json;
}
const cat = (row, id) => row.by_category.find((c) => c.category_id === id);

test('summary: every figure of a community for a year, by hand', async () => {
  const s = await summary({ org_unit: F.dai, from: '2026-01-01', to: '2026-12-31' });
  // confirmed: v1 120 min (5 served), v2 60 (3), v1 90 (0), v3 45 (4, corrected from 30/2)
  assert.equal(s.years, 1);
  assert.equal(s.total.person_times, 4);
  assert.equal(s.total.minutes, 315);
  assert.equal(s.total.hours, 5.25);
  assert.equal(s.total.people_served, 12);
  assert.equal(s.total.sessions, 0);
  assert.equal(s.total.volunteers, 3);
  assert.equal(s.total.party_member_volunteers, 1);
  assert.equal(s.total.participations_per_volunteer_per_year, 1.33); // 4 / 3
  assert.equal(s.total.hours_per_volunteer_per_year, 1.75); // 5.25 / 3
  const c = cat(s.total, F.cleaning), p = cat(s.total, F.patrol);
  assert.deepEqual([c.person_times, c.minutes, c.people_served, c.volunteers, c.party_member_volunteers, c.name], [2, 180, 8, 2, 1, '清扫家园']);
  assert.deepEqual([p.person_times, p.minutes, p.people_served, p.volunteers, p.party_member_volunteers, p.name], [2, 135, 4, 2, 1, '治安巡逻']);
  assert.equal(s.total.by_category.length, 2);
});

test('summary: drill-down rows add up, each record counted once; volunteers are distinct per row', async () => {
  const s = await summary({ org_unit: F.dai, from: '2026-01-01', to: '2026-12-31', group_by: 'child' });
  const t1 = s.rows.find((x) => x.id === F.t1), t2 = s.rows.find((x) => x.id === F.t2);
  assert.equal(t1.kind, 'team');
  assert.deepEqual([t1.person_times, t1.minutes, t1.people_served, t1.volunteers, t1.party_member_volunteers], [2, 180, 8, 2, 1]);
  assert.deepEqual([t2.person_times, t2.minutes, t2.people_served, t2.volunteers, t2.party_member_volunteers], [2, 135, 4, 2, 1]);
  assert.equal(s.rows.reduce((a, x) => a + x.person_times, 0), 4);
  assert.equal(s.rows.reduce((a, x) => a + x.minutes, 0), 315);
  assert.equal(s.total.volunteers, 3); // v1 is in both teams
  assert.ok(s.rows.some((x) => x.id === null && x.person_times === 0)); // records without a team
  // the district: its children are the street and the two communities
  const d = await summary({ org_unit: F.district, from: '2026-01-01', to: '2026-12-31', group_by: 'child' }, da);
  const dai = d.rows.find((x) => x.id === F.dai), xb = d.rows.find((x) => x.id === F.xibao), st = d.rows.find((x) => x.id === F.street);
  assert.deepEqual([dai.person_times, dai.minutes, dai.volunteers], [4, 315, 3]);
  assert.deepEqual([xb.person_times, xb.minutes, xb.people_served, xb.volunteers], [1, 30, 1, 1]);
  assert.equal(st.person_times, 0);
  assert.deepEqual([d.total.person_times, d.total.minutes, d.total.people_served, d.total.volunteers], [5, 345, 13, 4]);
});

test('summary: filters by Party status, category (with sub-categories), team, and partial months', async () => {
  const pm = await summary({ org_unit: F.dai, from: '2026-01-01', to: '2026-12-31', party_member: 'true' });
  assert.deepEqual([pm.total.person_times, pm.total.minutes, pm.total.people_served, pm.total.volunteers], [2, 210, 5, 1]);
  assert.equal(pm.total.sessions, null);
  const np = await summary({ org_unit: F.dai, from: '2026-01-01', to: '2026-12-31', party_member: 'false' });
  assert.deepEqual([np.total.person_times, np.total.minutes, np.total.volunteers, np.total.party_member_volunteers], [2, 105, 2, 0]);
  const env = await summary({ org_unit: F.dai, from: '2026-01-01', to: '2026-12-31', category: F.environment });
  assert.deepEqual([env.total.person_times, env.total.minutes], [2, 180]);
  const t2 = await summary({ org_unit: F.dai, from: '2026-01-01', to: '2026-12-31', team: F.t2 });
  assert.deepEqual([t2.total.person_times, t2.total.minutes, t2.total.volunteers], [2, 135, 2]);
  // 01-15..03-10: half of January and of March by day, February whole: r3 and r4 only
  const part = await summary({ org_unit: F.dai, from: '2026-01-15', to: '2026-03-10' });
  assert.deepEqual([part.total.person_times, part.total.minutes, part.total.volunteers], [2, 135, 2]);
  const day = await summary({ org_unit: F.dai, from: '2026-01-10', to: '2026-01-10' });
  assert.deepEqual([day.total.person_times, day.total.minutes, day.total.volunteers, day.total.party_member_volunteers], [2, 180, 2, 1]);
  // a half year: per volunteer per year doubles
  const half = await summary({ org_unit: F.dai, from: '2026-01-01', to: '2026-06-30' });
  assert.equal(half.total.person_times, 4);
  assert.equal(half.total.participations_per_volunteer_per_year, Math.round((4 / 3 / (181 / 365)) * 100) / 100);
});

test('summary: scope and input', async () => {
  assert.equal((await api(srv.url, `/api/v1/reports/summary?org_unit=${F.xibao}`, { cookie: ca })).status, 404);
  assert.equal((await api(srv.url, `/api/v1/reports/summary?org_unit=${F.dai}`, { cookie: v1c })).status, 404);
  const bad = await api(srv.url, `/api/v1/reports/summary?org_unit=${F.dai}&from=2026-02-30&party_member=yes`, { cookie: ca });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.json.errors.map((e) => e.field).sort(), ['from', 'party_member']);
});

test('timeseries by month: figures, team size and cumulative people served', async () => {
  const r = await api(srv.url, `/api/v1/reports/timeseries?${Q({ org_unit: F.dai, from: '2026-01-01', to: '2026-04-30', interval: 'month' })}`, { cookie: ca });
  assert.equal(r.status, 200, r.text);
  const it = r.json.items;
  assert.deepEqual(it.map((x) => [x.from, x.to]), [['2026-01-01', '2026-01-31'], ['2026-02-01', '2026-02-28'], ['2026-03-01', '2026-03-31'], ['2026-04-01', '2026-04-30']]);
  assert.deepEqual(it.map((x) => x.person_times), [2, 1, 1, 0]);
  assert.deepEqual(it.map((x) => x.minutes), [180, 90, 45, 0]);
  assert.deepEqual(it.map((x) => x.cumulative_people_served), [8, 8, 12, 12]);
  assert.deepEqual(it.map((x) => x.team_size), [4, 4, 4, 4]); // 清扫队 v1 v2, 巡逻队 v1 v3
  const y = await api(srv.url, `/api/v1/reports/timeseries?${Q({ org_unit: F.xibao, from: '2025-01-01', to: '2026-12-31', interval: 'year' })}`, { cookie: cb });
  assert.deepEqual(y.json.items.map((x) => [x.person_times, x.minutes]), [[15, 15000], [1, 30]]);
});

test('rankings: volunteers by name and number only, and teams', async () => {
  const h = await api(srv.url, `/api/v1/reports/rankings?${Q({ org_unit: F.dai, from: '2026-01-01', to: '2026-12-31', by: 'hours' })}`, { cookie: ca });
  assert.equal(h.status, 200, h.text);
  assert.deepEqual(h.json.items.map((x) => [x.rank, x.name, x.minutes]), [[1, '张三', 210], [2, '李四', 60], [3, '王五', 45]]);
  assert.deepEqual(Object.keys(h.json.items[0]).sort(), ['hours', 'minutes', 'name', 'person_times', 'rank', 'volunteer_no']);
  assert.equal(h.json.items[0].volunteer_no, F.v1no);
  const pt = await api(srv.url, `/api/v1/reports/rankings?${Q({ org_unit: F.dai, from: '2026-01-01', to: '2026-12-31', by: 'person_times' })}`, { cookie: ca });
  assert.deepEqual(pt.json.items.map((x) => [x.name, x.person_times]), [['张三', 2], ['李四', 1], ['王五', 1]]);
  const t = await api(srv.url, `/api/v1/reports/rankings?${Q({ org_unit: F.dai, from: '2026-01-01', to: '2026-12-31', of: 'teams' })}`, { cookie: ca });
  assert.deepEqual(t.json.items.map((x) => [x.team_id, x.minutes, x.people_served]), [[F.t1, 180, 8], [F.t2, 135, 4]]);
});

test('star levels with the national default, and who reached one in a period', async () => {
  const s = await api(srv.url, `/api/v1/people/${F.s1}/star`, { cookie: cb });
  assert.equal(s.status, 200, s.text);
  // 15 x 1000 minutes = 250 h: level 1 (100..300), 50 h to level 2
  assert.deepEqual([s.json.level, s.json.hours, s.json.next_level_hours, s.json.hours_to_next], [1, 250, 300, 50]);
  assert.deepEqual(s.json.thresholds_hours, [100, 300, 600, 1000, 1500]);
  const own = await api(srv.url, `/api/v1/people/${F.v1}/star`, { cookie: v1c });
  assert.deepEqual([own.json.level, own.json.minutes, own.json.minutes_to_next], [0, 210, 6000 - 210]);
  assert.equal((await api(srv.url, `/api/v1/people/${F.v2}/star`, { cookie: v1c })).status, 404);
  assert.equal((await api(srv.url, `/api/v1/people/${F.s1}/star`, { cookie: ca })).status, 404);
  const may = await api(srv.url, `/api/v1/star-levels/reached?${Q({ org_unit: F.xibao, from: '2025-05-01', to: '2025-05-31' })}`, { cookie: cb });
  assert.deepEqual(may.json.items.map((x) => [x.person_id, x.level_before, x.level]), [[F.s1, 0, 1]]);
  // from 05-07: 6000 minutes (100 h, level 1) were already there; still level 1 at the end
  const late = await api(srv.url, `/api/v1/star-levels/reached?${Q({ org_unit: F.xibao, from: '2025-05-07', to: '2025-05-31' })}`, { cookie: cb });
  assert.deepEqual(late.json.items, []);
});

test('star levels with Beijing thresholds (--star-thresholds)', async () => {
  // A second server on the same figures: on SQLite one server owns a data directory, so it
  // runs on an online backup of it (with the same data key); PostgreSQL shares the database.
  let dir = srv.dataDir;
  if (!process.env.REXIN_TEST_DB) {
    dir = await tmpdir();
    assert.equal((await rexin(['backup', path.join(dir, 'rexin.db'), '--data', srv.dataDir])).code, 0);
    await fs.copyFile(path.join(srv.dataDir, 'secret.key'), path.join(dir, 'secret.key'));
  }
  const b = await startServer({ dataDir: dir, args: [...LONG, '--star-thresholds', '100,200,500,800,1000'] });
  try {
    const cbb = await login(b.url, 'rep-cb', 'volunteer-pw-1');
    const s = await api(b.url, `/api/v1/people/${F.s1}/star`, { cookie: cbb });
    assert.deepEqual([s.json.level, s.json.next_level_hours, s.json.hours_to_next], [2, 500, 250]);
    const late = await api(b.url, `/api/v1/star-levels/reached?${Q({ org_unit: F.xibao, from: '2025-05-07', to: '2025-05-31' })}`, { cookie: cbb });
    assert.deepEqual(late.json.items.map((x) => [x.person_id, x.level_before, x.level]), [[F.s1, 1, 2]]);
  } finally {
    await b.stop();
    if (dir !== srv.dataDir) await fs.rm(dir, { recursive: true, force: true });
  }
});

async function tmpdir() {
  return fs.mkdtemp(path.join(os.tmpdir(), 'rexin-rep-'));
}
const squash = (s) => s.replace(/\s+/g, '');

test('certificates: request, issue, PDF fields and QR code, verification, revocation', async () => {
  // the volunteer asks for their own; someone else cannot ask for them
  const req = await api(srv.url, '/api/v1/certificates', { method: 'POST', cookie: v1c, body: { org_unit_id: F.dai, from: '2026-01-01', to: '2026-12-31', itemised: true, note: '评优' } });
  assert.equal(req.status, 201, req.text);
  assert.equal(req.json.status, 'requested');
  assert.equal(req.json.number, null);
  assert.equal((await api(srv.url, '/api/v1/certificates', { method: 'POST', cookie: v2c, body: { person_id: F.v1, org_unit_id: F.dai, from: '2026-01-01', to: '2026-12-31' } })).status, 404);
  // only staff of the issuer issue it
  assert.equal((await api(srv.url, `/api/v1/certificates/${req.json.id}/issue`, { method: 'POST', cookie: v1c, body: { person_in_charge: 'x' } })).status, 403);
  assert.equal((await api(srv.url, `/api/v1/certificates/${req.json.id}`, { cookie: cb })).status, 404);
  const iss = await api(srv.url, `/api/v1/certificates/${req.json.id}/issue`, { method: 'POST', cookie: ca, body: { person_in_charge: '陈思', handler: '李培会' } });
  assert.equal(iss.status, 200, iss.text);
  const c = iss.json;
  const year = new Date().getFullYear();
  assert.equal(c.number, `ZZ-O${F.dai}-${year}-000001`);
  assert.deepEqual([c.status, c.minutes, c.hours, c.person_times], ['issued', 210, 3.5, 2]);
  assert.deepEqual(c.content.by_category.map((x) => [x.name, x.person_times, x.minutes]), [['清扫家园', 1, 120], ['治安巡逻', 1, 90]]);
  assert.equal((await api(srv.url, `/api/v1/certificates/${c.id}/issue`, { method: 'POST', cookie: ca, body: { person_in_charge: '陈思' } })).status, 409);
  // numbers run on per issuer and year; a team issues its own series
  const second = await api(srv.url, '/api/v1/certificates', { method: 'POST', cookie: ca, body: { person_id: F.v2, org_unit_id: F.dai, from: '2026-01-01', to: '2026-12-31', issue: true, person_in_charge: '陈思' } });
  assert.equal(second.json.number, `ZZ-O${F.dai}-${year}-000002`);
  assert.equal(second.json.minutes, 60);
  const team = await api(srv.url, '/api/v1/certificates', { method: 'POST', cookie: ca, body: { person_id: F.v1, team_id: F.t2, from: '2026-01-01', to: '2026-12-31', issue: true, person_in_charge: '陈思' } });
  assert.deepEqual([team.json.number, team.json.minutes], [`ZZ-T${F.t2}-${year}-000001`, 90]);
  // the volunteer sees their own, staff of the issuer see all of it
  const mine = await api(srv.url, '/api/v1/certificates', { cookie: v1c });
  assert.deepEqual(mine.json.items.map((x) => x.id).sort(), [c.id, team.json.id].sort());
  const theirs = await api(srv.url, '/api/v1/certificates', { cookie: cb });
  assert.equal(theirs.json.items.length, 0);

  // the PDF: every field, read back as text; the QR code read back from the picture
  const dir = await tmpdir();
  try {
    const pdf = await fetch(`${srv.url}/api/v1/certificates/${c.id}.pdf`, { headers: { cookie: v1c } });
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    await fs.writeFile(path.join(dir, 'c.pdf'), Buffer.from(await pdf.arrayBuffer()));
    const { stdout: text } = await run('pdftotext', [path.join(dir, 'c.pdf'), '-']);
    const t = squash(text);
    for (const want of ['志愿服务记录证明', '张三', '4101**********123X', F.v1no, '2026-01-01至2026-12-31', '3.50小时',
      '清扫家园', '治安巡逻', '出具单位：代书胡同社区', '负责人：陈思', '经办人：李培会', `证明编号：${c.number}`,
      `出具日期：${c.issued_on}`, '特此证明', '2026-01-10', '2026-02-15', squash(c.verify_url)]) {
      assert.ok(t.includes(squash(want)), `PDF text lacks ${want}:\n${text}`);
    }
    await run('pdftoppm', ['-r', '150', '-png', '-singlefile', path.join(dir, 'c.pdf'), path.join(dir, 'page')]);
    const { stdout: qr } = await run('zbarimg', ['-q', '--raw', path.join(dir, 'page.png')]);
    assert.equal(qr.trim(), c.verify_url);
    assert.match(c.verify_url, new RegExp(`^${srv.url}/verify/${c.number}\\?c=[0-9a-f]{12}$`));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }

  // public verification: no login; the same "not found" for a wrong, missing or unknown check
  const u = new URL(c.verify_url);
  const ok = await api(srv.url, `/api/v1/verify/${c.number}${u.search}`);
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json, { number: c.number, genuine: true, revoked: false, name_masked: '张*', period_from: '2026-01-01', period_to: '2026-12-31', minutes: 210, hours: 3.5 });
  const page = await fetch(c.verify_url);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.ok(html.includes('该证明真实有效') && html.includes('张*') && !html.includes('张三'));
  const wrong = await api(srv.url, `/api/v1/verify/${c.number}?c=000000000000`);
  const none = await api(srv.url, `/api/v1/verify/${c.number}`);
  const unknown = await api(srv.url, `/api/v1/verify/ZZ-O${F.dai}-${year}-000099?c=000000000000`);
  for (const x of [wrong, none, unknown]) {
    assert.equal(x.status, 404);
    assert.equal(x.text, wrong.text);
  }
  assert.equal((await fetch(`${srv.url}/verify/${c.number}?c=000000000000`)).status, 404);

  // revocation: a reason, audited, shown on verification; final
  assert.equal((await api(srv.url, `/api/v1/certificates/${c.id}/revoke`, { method: 'POST', cookie: ca, body: {} })).status, 400);
  const rev = await api(srv.url, `/api/v1/certificates/${c.id}/revoke`, { method: 'POST', cookie: ca, body: { reason: '时长有误' } });
  assert.equal(rev.status, 200, rev.text);
  assert.deepEqual([rev.json.status, rev.json.revoke_reason], ['revoked', '时长有误']);
  assert.equal((await api(srv.url, `/api/v1/certificates/${c.id}/revoke`, { method: 'POST', cookie: ca, body: { reason: 'again' } })).status, 409);
  const audit = await rows(srv, `SELECT action FROM audit_log WHERE entity = 'certificate' AND entity_id = ${c.id} ORDER BY id`);
  assert.deepEqual(audit.map((a) => a.action), ['request', 'issue', 'revoke']);
  const after = await api(srv.url, `/api/v1/verify/${c.number}${u.search}`);
  assert.deepEqual([after.status, after.json.genuine, after.json.revoked], [200, true, true]);
  assert.ok((await (await fetch(c.verify_url)).text()).includes('已被出具单位撤销'));
  // the database refuses to change an issued certificate
  await assert.rejects(exec(srv, `UPDATE certificates SET minutes = 1 WHERE id = ${second.json.id};`), /certificate_locked/);
});

test('verification is rate-limited per address: 30 in 10 minutes', async () => {
  const b = await startServer({ args: LONG });
  try {
    const codes = [];
    for (let i = 0; i < 32; i++) codes.push((await api(b.url, `/api/v1/verify/ZZ-O1-2026-${String(i + 1).padStart(6, '0')}?c=0123456789ab`)).status);
    assert.deepEqual(codes.slice(0, 30), Array(30).fill(404));
    assert.deepEqual(codes.slice(30), [429, 429]);
    const page = await fetch(`${b.url}/verify/ZZ-O1-2026-000001?c=0123456789ab`);
    assert.equal(page.status, 429);
  } finally {
    await b.stop();
  }
});

test('exports: CSV with BOM and neutralised formulas, streamed; xlsx with Chinese text', async () => {
  const evil = '=HYPERLINK("http://evil.example","点我")';
  const t = await api(srv.url, '/api/v1/teams', { method: 'POST', cookie: ca, body: { org_unit_id: F.dai, name: evil } });
  assert.equal(t.status, 201, t.text);
  const csv = await fetch(`${srv.url}/api/v1/teams?format=csv&org_unit_id=${F.dai}`, { headers: { cookie: ca } });
  assert.equal(csv.status, 200);
  assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.equal(csv.headers.get('content-disposition'), 'attachment; filename="teams.csv"');
  const bytes = Buffer.from(await csv.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString('utf8');
  const lines = text.split('\r\n');
  assert.equal(lines[0], '队伍编号,队伍名称,所属社区,领建党组织,队长,服务类别,成立日期,现有队员,简介,需要');
  assert.ok(lines.some((l) => l.startsWith(`${F.t1},清扫队-`) && l.includes(',代书胡同社区,') && l.includes(',清扫家园,')));
  assert.ok(text.includes(`${t.json.id},"'=HYPERLINK(""http://evil.example"",""点我"")",代书胡同社区`), text);
  assert.ok(!lines.some((l) => l.split(',').some((cell) => cell.startsWith('='))));

  const dir = await tmpdir();
  try {
    const x = await fetch(`${srv.url}/api/v1/teams?format=xlsx&org_unit_id=${F.dai}`, { headers: { cookie: ca } });
    assert.equal(x.status, 200);
    await fs.writeFile(path.join(dir, 't.xlsx'), Buffer.from(await x.arrayBuffer()));
    // constant-memory mode writes strings inline in the sheet rather than in sharedStrings.xml
    const { stdout: sheet } = await run('unzip', ['-p', path.join(dir, 't.xlsx'), 'xl/worksheets/sheet1.xml'], { maxBuffer: 1 << 24 });
    assert.ok(sheet.includes('<t>队伍名称</t>') && sheet.includes('<t>代书胡同社区</t>'));
    assert.ok(sheet.includes(`<t>'=HYPERLINK("http://evil.example","点我")</t>`), sheet.slice(-1500));
    assert.ok(!sheet.includes('<f>'));
    // a report as xlsx: hours as numbers with two decimals
    const rx = await fetch(`${srv.url}/api/v1/reports/summary?org_unit=${F.dai}&from=2026-01-01&to=2026-12-31&format=xlsx`, { headers: { cookie: ca } });
    await fs.writeFile(path.join(dir, 's.xlsx'), Buffer.from(await rx.arrayBuffer()));
    const { stdout: s2 } = await run('unzip', ['-p', path.join(dir, 's.xlsx'), 'xl/worksheets/sheet1.xml'], { maxBuffer: 1 << 24 });
    assert.ok(s2.includes('<t>清扫家园</t>') && s2.includes('<t>合计</t>') && s2.includes('<v>5.25</v>'));
    const { stdout: styles } = await run('unzip', ['-p', path.join(dir, 's.xlsx'), 'xl/styles.xml']);
    assert.ok(styles.includes('formatCode="0.00"'));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
  // report CSV: the total row
  const rc = await fetch(`${srv.url}/api/v1/reports/summary?org_unit=${F.dai}&from=2026-01-01&to=2026-12-31&format=csv`, { headers: { cookie: ca } });
  const rt = (await rc.text()).replace(/^\uFEFF/, '');
  assert.ok(rt.split('\r\n').includes('合计,全部,4,5.25,12,0,3,1,1.33,1.75'), rt);
  assert.equal((await api(srv.url, `/api/v1/teams?format=pdf`, { cookie: ca })).status, 400);
});

test('CSV export of a long list streams page by page', async () => {
  // 1200 teams (more than two pages of 500) written straight into the database
  const [{ n: had }] = await rows(srv, `SELECT count(*) AS n FROM teams WHERE org_unit_id = ${F.xibao}`);
  const values = Array.from({ length: 1200 }, (_, i) => `(${F.xibao}, 'bulk-${i}', 0, 0)`).join(',');
  await exec(srv, `INSERT INTO teams(org_unit_id, name, created_at, updated_at) VALUES ${values};`);
  const r = await fetch(`${srv.url}/api/v1/teams?format=csv&org_unit_id=${F.xibao}`, { headers: { cookie: cb } });
  assert.equal(r.headers.get('content-length'), null); // streamed, no length known up front
  const lines = (await r.text()).split('\r\n').filter((l) => l.length);
  assert.equal(lines.length, 1 + 1200 + had); // the header, the bulk teams and those before
  assert.equal(new Set(lines).size, lines.length);
});

test('rexin report summary prints the same figures', async () => {
  const bin = rexinBin();
  const { stdout } = await run(bin, ['report', 'summary', '--org-unit', String(F.dai), '--from', '2026-01-01', '--to', '2026-12-31', '--format', 'json', '--data', srv.dataDir]);
  const j = JSON.parse(stdout);
  assert.deepEqual([j.total.person_times, j.total.minutes, j.total.people_served, j.total.volunteers], [4, 315, 12, 3]);
  const { stdout: table } = await run(bin, ['report', 'summary', '--org-unit', String(F.dai), '--from', '2026-01-01', '--to', '2026-12-31', '--data', srv.dataDir]);
  const total = table.split('\n').find((l) => l.startsWith('合计'));
  assert.deepEqual(total.split(/\s+/), ['合计', '全部', '4', '5.25', '12', '0', '3', '1', '1.33', '1.75']);
  const { stdout: csv } = await run(bin, ['report', 'summary', '--org-unit', '410104000000', '--from', '2026-01-01', '--to', '2026-12-31', '--format', 'csv', '--data', srv.dataDir]);
  assert.ok(csv.startsWith('\uFEFF') && csv.includes('合计,全部,5,5.75,13,0,4,1,1.25,1.44'), csv);
});
