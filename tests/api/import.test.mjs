// Importing people from the sheets communities already keep: CSV in UTF-8, UTF-8 with BOM and
// GB18030 (what Chinese Excel writes), and .xlsx; dry runs; all or nothing; --skip-invalid.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, api, login, REPO_ROOT } from '../lib/server.mjs';
import { stopChecked } from '../lib/registry_fixtures.mjs';
import { orgId, userWithRole, residentId, rexin } from '../lib/registry.mjs';

let srv, admin, rongAdmin, yingAdmin, RONG, YING, tmp;

before(async () => {
  srv = await startServer();
  admin = await login(srv.url);
  RONG = orgId(srv, '荣华社区');
  YING = orgId(srv, '英协社区');
  rongAdmin = await userWithRole(srv, 'rong_admin', 'community_admin', '荣华社区');
  yingAdmin = await userWithRole(srv, 'ying_admin', 'community_admin', '英协社区');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rexin-import-'));
});
after(async () => {
  if (srv) await stopChecked(srv);
  fs.rmSync(tmp, { recursive: true, force: true });
});

const CSV = 'text/csv; charset=utf-8';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function upload(body, { community = RONG, dry = false, skip = false, type = CSV, cookie = rongAdmin, rows } = {}) {
  const q = `community=${community}&dry_run=${dry}&skip_invalid=${skip}${rows ? `&rows=${rows}` : ''}`;
  const res = await fetch(`${srv.url}/api/v1/imports/people?${q}`, {
    method: 'POST',
    headers: { 'Content-Type': type, Origin: srv.url, Cookie: cookie, Accept: 'application/json' },
    body,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, text };
}

async function findByName(name, cookie = rongAdmin) {
  const res = await api(srv.url, `/api/v1/people?q=${encodeURIComponent(name)}&limit=200`, { cookie });
  return res.json.items;
}

const id1 = residentId('410105', '1950-03-07', 12, 'F');
const id2 = residentId('410104', '1965-11-20', 13, 'M');
const id3 = residentId('410105', '1972-02-29', 14, 'M'); // a leap day

function sheet(rows) {
  return ['姓名,身份证号,性别,出生日期,手机,政治面貌,特长,备注', ...rows].join('\r\n') + '\r\n';
}

test('a dry run reports every row and writes nothing', async () => {
  const body = sheet([
    `韩梅梅,${id1},女,1950-03-07,138 0013 8000,中共党员,理发、按摩,`,
    `李雷,${id2},男,1965/11/20,,群众,修家电,楼长`,
  ]);
  const res = await upload(body, { dry: true });
  assert.equal(res.status, 200, res.text);
  const r = res.json;
  assert.equal(r.format, 'csv');
  assert.equal(r.encoding, 'UTF-8');
  assert.equal(r.dry_run, true);
  assert.equal(r.committed, false);
  assert.deepEqual([r.rows, r.created, r.updated, r.rejected], [2, 2, 0, 0]);
  assert.deepEqual(r.items.map((i) => [i.row, i.action, i.person_id]), [[2, 'create', null], [3, 'create', null]]);
  assert.deepEqual(r.columns.slice(0, 3).map((c) => c.field), ['name', 'id_number', 'sex']);
  assert.equal((await findByName('韩梅梅')).length, 0);
});

test('UTF-8 with a BOM imports; the fields are normalised like the API does', async () => {
  const body = '\uFEFF' + sheet([`韩梅梅,${id1},女,1950-03-07,+86 138-0013-8000,中共党员,理发、按摩,`]);
  const res = await upload(body);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.encoding, 'UTF-8 (BOM)');
  assert.equal(res.json.committed, true);
  assert.equal(res.json.created, 1);
  const [p] = await findByName('韩梅梅');
  assert.equal(p.id, res.json.items[0].person_id);
  assert.equal(p.phone, '13800138000');
  assert.equal(p.political_status, '01');
  assert.deepEqual(p.skills, ['理发', '按摩']);
  assert.equal(p.id_masked, `4101**********${id1.slice(14)}`);
  assert.equal(p.org_unit_id, RONG);
});

test('GB18030, as Chinese Excel saves CSV, imports with the right characters', async () => {
  const utf8 = path.join(tmp, 'gb.csv');
  fs.writeFileSync(utf8, sheet([`李雷,${id2},男,1965年11月20日,13900001111,群众,修家电；下棋,楼长`, `钟 馗,,,1972.2.29,,,,`]));
  const conv = spawnSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030', utf8]);
  assert.equal(conv.status, 0, String(conv.stderr));
  assert.ok(!conv.stdout.equals(fs.readFileSync(utf8)), 'the bytes really are GB18030');
  const res = await upload(conv.stdout, { type: 'text/csv' });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.encoding, 'GB18030');
  assert.equal(res.json.created, 2);
  const [p] = await findByName('李雷');
  assert.equal(p.birth_date, '1965-11-20');
  assert.deepEqual(p.skills, ['修家电', '下棋']);
  assert.equal(p.notes, '楼长');
  const [z] = await findByName('钟馗');
  assert.equal(z.name, '钟 馗');
  assert.equal(z.birth_date, '1972-02-29');
});

test('the .xlsx fixture imports: shared and inline strings, numbers, serial dates', async () => {
  const body = fs.readFileSync(path.join(REPO_ROOT, 'tests/fixtures/people.xlsx'));
  const dry = await upload(body, { type: XLSX, dry: true, community: YING, cookie: yingAdmin });
  assert.equal(dry.status, 200, dry.text);
  assert.equal(dry.json.format, 'xlsx');
  assert.deepEqual(dry.json.items.map((i) => [i.row, i.action]), [[2, 'create'], [3, 'create'], [5, 'create']]);
  const res = await upload(body, { type: XLSX, community: YING, cookie: yingAdmin });
  assert.equal(res.status, 200, res.text);
  const [zhang] = await findByName('张秀英', yingAdmin);
  assert.equal(zhang.birth_date, '1950-03-07'); // Excel serial 18329
  assert.equal(zhang.phone, '13812345678'); // stored as a number in the sheet
  assert.deepEqual(zhang.skills, ['理发', '按摩']);
  const [shi] = await findByName('施杰', yingAdmin);
  assert.equal(shi.name, '施 杰');
  assert.equal(shi.phone, '13900001111');
  const [li] = await findByName('李明', yingAdmin);
  assert.equal(li.id_masked, '4101**********059X');
  assert.equal(li.sex, 'M');
});

test('one bad row: nothing is written, and the report says which row and why', async () => {
  const before = (await api(srv.url, '/api/v1/people?limit=200', { cookie: rongAdmin })).json.items.length;
  const badId = id3.slice(0, 17) + (id3[17] === '0' ? '1' : '0');
  const body = sheet([`王小二,${id3},男,,,,,`, `赵小三,${badId},男,,,,,`, `孙小四,,女,,13712345678,团员,,`]);
  const res = await upload(body);
  assert.equal(res.status, 422, res.text);
  assert.equal(res.json.code, 'import_rejected');
  const r = res.json.report;
  assert.equal(r.committed, false);
  assert.equal(r.rejected, 1);
  const bad = r.items.find((i) => i.action === 'reject');
  assert.equal(bad.row, 3);
  assert.deepEqual(bad.errors.map((e) => [e.field, e.code]), [['id_number', 'id_check_digit']]);
  assert.equal(bad.errors[0].message_zh, '身份证号码校验位不正确，请核对');
  assert.match(bad.errors[0].message_en, /check digit/);
  const after = (await api(srv.url, '/api/v1/people?limit=200', { cookie: rongAdmin })).json.items.length;
  assert.equal(after, before);
  assert.equal((await findByName('王小二')).length, 0);

  // With skip_invalid the good rows go in and the report lists the rest.
  const skip = await upload(body, { skip: true });
  assert.equal(skip.status, 200, skip.text);
  assert.deepEqual([skip.json.created, skip.json.rejected, skip.json.committed], [2, 1, true]);
  assert.equal((await findByName('王小二')).length, 1);
  const [sun] = await findByName('孙小四');
  assert.equal(sun.political_status, '03');
  assert.equal((await findByName('赵小三')).length, 0);
  const only = await upload(body, { dry: true, rows: 'rejected' });
  assert.ok(only.json.items.every((i) => i.action === 'reject'));
});

test('a known ID fills the person\'s blanks; repeats in a file and suspects are refused', async () => {
  // 王小二 (id3) exists from the previous test without a phone.
  const body = sheet([
    `王小二,${id3},男,1972-02-29,13611112222,,,`,
    `王小二,${id3},男,,,,,`,
    `孙小四,,女,,13712345678,,,`,
    `无名氏,410105abc,,,,,,`,
  ]);
  const res = await upload(body, { dry: true });
  const [upd, rep, sus, bad] = res.json.items;
  assert.equal(upd.action, 'update');
  assert.deepEqual(upd.changed, ['phone']);
  assert.deepEqual([rep.action, rep.errors[0].code, rep.errors[0].detail], ['reject', 'duplicate_in_file', '2']);
  assert.deepEqual([sus.action, sus.errors[0].code], ['reject', 'suspected_duplicate']);
  assert.equal(sus.candidate_ids.length, 1);
  assert.equal(bad.errors[0].code, 'id_length');
  const real = await upload(sheet([`王小二,${id3},男,1972-02-29,13611112222,,,`]));
  assert.equal(real.json.updated, 1);
  const [p] = await findByName('王小二');
  assert.equal(p.phone, '13611112222');
  // The same ID held by someone out of the importer's scope is refused without a reference.
  const other = await upload(sheet([`王小二,${id3},男,,,,,`]), { community: YING, cookie: yingAdmin, dry: true });
  assert.deepEqual(other.json.items[0].errors.map((e) => e.code), ['duplicate_person']);
  assert.equal(other.json.items[0].person_id, null);
});

test('uploads are checked: scope, content type, headers, encoding', async () => {
  const body = sheet([`某人,,,,,,,`]);
  assert.equal((await upload(body, { cookie: yingAdmin })).status, 404); // another community: out of sight
  const notCommunity = await upload(body, { community: orgId(srv, '金水区'), cookie: admin });
  assert.equal(notCommunity.json.errors[0].code, 'not_a_community');
  assert.equal((await upload(body, { type: 'application/json' })).status, 415);
  let res = await upload('手机,备注\r\n13800000000,x\r\n');
  assert.equal(res.status, 400);
  assert.equal(res.json.code, 'import_unreadable');
  assert.equal(res.json.reason, 'import_missing_column');
  res = await upload(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), { type: XLSX });
  assert.equal(res.json.reason, 'xlsx_not_zip');
  res = await upload('name,phone,Name\r\na,1,b\r\n');
  assert.equal(res.json.reason, 'import_duplicate_column');
  // English headers work as well.
  res = await upload('Name,ID Number,Sex,Birth Date,Mobile\r\nTom Lee,,M,1990-01-02,13500000001\r\n', { dry: true });
  assert.equal(res.json.created, 1, res.text);
});

test('the CLI imports too: dry run, all or nothing, --skip-invalid', async () => {
  const file = path.join(tmp, 'cli.csv');
  const good = residentId('410105', '1944-04-04', 15, 'F');
  fs.writeFileSync(file, sheet([`陈奶奶,${good},女,,,,,`, `错号码,410105194404040000,女,,,,,`]));
  let r = rexin(srv, ['import', 'people', file, '--community', '荣华社区', '--dry-run']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /row 2\s+create/);
  assert.match(r.stdout, /row 3\s+reject\s+id_number: the ID number's check digit is wrong/);
  r = rexin(srv, ['import', 'people', file, '--community', '荣华社区']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /nothing imported/);
  assert.equal((await findByName('陈奶奶')).length, 0);
  r = rexin(srv, ['import', 'people', file, '--community', String(RONG), '--skip-invalid', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.deepEqual([report.created, report.rejected, report.committed], [1, 1, true]);
  assert.equal((await findByName('陈奶奶')).length, 1);
  r = rexin(srv, ['import', 'people', file, '--community', '金水区']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /not a community/);
});

test('the generator makes valid sheets: 2,000 rows import in one go', async () => {
  const file = path.join(tmp, 'gen.csv');
  const gen = spawnSync(process.execPath, [path.join(REPO_ROOT, 'tests/tools/gen_people_csv.mjs'), '--rows', '2000', '--seed', '3', '--out', file]);
  assert.equal(gen.status, 0, String(gen.stderr));
  const res = await upload(fs.readFileSync(file), { community: YING, cookie: yingAdmin, rows: 'rejected' });
  assert.equal(res.status, 200, res.text.slice(0, 2000));
  assert.deepEqual([res.json.rows, res.json.created, res.json.rejected], [2000, 2000, 0]);
  assert.deepEqual(res.json.items, []);
  const audit = await api(srv.url, `/api/v1/audit-log?entity=org_unit&entity_id=${YING}`, { cookie: admin });
  const imp = audit.json.items.find((a) => a.action === 'import');
  assert.equal(imp.detail.created, 2000);
});
