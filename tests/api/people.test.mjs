// People, volunteers, Party membership and merge: the registry rules of issue 3 as a
// community worker meets them through the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, login } from '../lib/server.mjs';
import { stopChecked } from '../lib/registry_fixtures.mjs';
import { orgId, makeBranch, userWithRole, residentId, yearsAgo, daysAgo, sql } from '../lib/registry.mjs';

let srv, admin, rongAdmin, yingAdmin, street;
let RONG, YING;

before(async () => {
  srv = await startServer();
  admin = await login(srv.url); // city_admin over 郑州市: manages people, no sensitive data
  RONG = orgId(srv, '荣华社区');
  YING = orgId(srv, '英协社区');
  rongAdmin = await userWithRole(srv, 'rong_admin', 'community_admin', '荣华社区');
  yingAdmin = await userWithRole(srv, 'ying_admin', 'community_admin', '英协社区');
  street = await userWithRole(srv, 'fht_street', 'street_admin', '凤凰台街道'); // 英协社区's street
});
after(() => srv && stopChecked(srv));

const post = (path, body, cookie) => api(srv.url, path, { method: 'POST', body, cookie });
const get = (path, cookie) => api(srv.url, path, { cookie });
const patch = (path, body, cookie) => api(srv.url, path, { method: 'PATCH', body, cookie });
const fieldErr = (res, field) => res.json.errors.find((e) => e.field === field)?.code;

test('an 18-digit resident ID is checked: length, characters, birth date, check character', async () => {
  const cases = [
    ['41010519500307002', 'id_length'],
    ['4101051950030700A8', 'id_characters'],
    ['410105195002300028', 'id_birth_date'], // 30 February
    ['410105195003070027', 'id_check_digit'], // the right one ends in 8
  ];
  for (const [number, code] of cases) {
    const res = await post('/api/v1/people', { name: '测试', id_number: number, org_unit_id: RONG }, rongAdmin);
    assert.equal(res.status, 400, number);
    assert.equal(fieldErr(res, 'id_number'), code, number);
  }
  // A lower-case x is accepted and stored as X; the masked form shows it.
  const res = await post('/api/v1/people', { name: '李明', id_number: '41010519491231059x', org_unit_id: RONG }, rongAdmin);
  assert.equal(res.status, 201, res.text);
  assert.equal(res.json.id_masked, '4101**********059X');
  assert.equal(res.headers.get('location'), `/api/v1/people/${res.json.id}`);
});

test('sex and birth date come from the ID and must agree with what was typed', async () => {
  // 410105195003070028: born 1950-03-07, 17th digit 2 = female.
  let res = await post('/api/v1/people', { name: '甲', id_number: '410105195003070028', sex: 'M', birth_date: '1950-03-08', org_unit_id: RONG }, rongAdmin);
  assert.equal(res.status, 400);
  assert.equal(fieldErr(res, 'sex'), 'sex_mismatch');
  assert.equal(fieldErr(res, 'birth_date'), 'birth_date_mismatch');
  res = await post('/api/v1/people', { name: '张秀英', id_number: '410105195003070028', sex: 'F', birth_date: '1950-03-07', org_unit_id: RONG, phone: '+86 138-1234-5678' }, rongAdmin);
  assert.equal(res.status, 201, res.text);
  assert.equal(res.json.sex, 'F');
  assert.equal(res.json.birth_date, '1950-03-07');
  assert.equal(res.json.phone, '13812345678'); // normalised; full for the community's own staff
  // Nothing typed: both derived.
  res = await post('/api/v1/people', { name: '丙', id_number: residentId('410105', '1961-10-01', 11, 'M'), org_unit_id: RONG }, rongAdmin);
  assert.equal(res.status, 201);
  assert.equal(res.json.sex, 'M');
  assert.equal(res.json.birth_date, '1961-10-01');
  // A bad phone is a field error.
  res = await post('/api/v1/people', { name: '丁', phone: '0371-1234567', org_unit_id: RONG }, rongAdmin);
  assert.equal(fieldErr(res, 'phone'), 'invalid_phone');
});

test('ID numbers are masked everywhere; staff of the own community reveal them, audited', async () => {
  const number = residentId('410105', '1955-05-05', 21, 'F');
  const created = await post('/api/v1/people', { name: '王芳', id_number: number, org_unit_id: RONG }, rongAdmin);
  assert.equal(created.status, 201);
  const id = created.json.id;
  assert.equal(created.json.id_masked, `4101**********${number.slice(14)}`);
  for (const cookie of [admin, rongAdmin]) {
    const one = await get(`/api/v1/people/${id}`, cookie);
    assert.equal(one.status, 200);
    assert.ok(!one.text.includes(number), 'the full number never appears in a read');
    const list = await get(`/api/v1/people?q=${encodeURIComponent('王芳')}`, cookie);
    assert.ok(!list.text.includes(number));
    assert.equal(list.json.items[0].id_masked, created.json.id_masked);
  }
  // The city admin sees the person but holds no sensitive permission: 403.
  let res = await post(`/api/v1/people/${id}/reveal-id`, { reason: '核对' }, admin);
  assert.equal(res.status, 403);
  // Another community's admin does not see the person at all: 404.
  res = await post(`/api/v1/people/${id}/reveal-id`, { reason: '核对' }, yingAdmin);
  assert.equal(res.status, 404);
  res = await post(`/api/v1/people/${id}/reveal-id`, {}, rongAdmin);
  assert.equal(res.status, 400);
  assert.equal(fieldErr(res, 'reason'), 'required');
  res = await post(`/api/v1/people/${id}/reveal-id`, { reason: '办理志愿服务证明' }, rongAdmin);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.id_number, number);
  const audit = await get(`/api/v1/audit-log?entity=person&entity_id=${id}`, admin);
  const reveal = audit.json.items.find((a) => a.action === 'reveal_id');
  assert.ok(reveal, 'the reveal is in the audit log');
  assert.equal(reveal.detail.reason, '办理志愿服务证明');
  assert.equal(reveal.username, 'rong_admin');
  assert.ok(!JSON.stringify(audit.json).includes(number), 'the audit log does not hold the number');
});

test('the same ID is the same person; a similar name with the same birth date is a suspect', async () => {
  const number = residentId('410105', '1965-11-20', 31, 'M');
  const first = await post('/api/v1/people', { name: '施杰', id_number: number, org_unit_id: RONG, phone: '13900001111' }, rongAdmin);
  assert.equal(first.status, 201);
  // Same ID, in scope: 409 with a reference.
  let res = await post('/api/v1/people', { name: '施杰', id_number: number, org_unit_id: RONG }, rongAdmin);
  assert.equal(res.status, 409);
  assert.equal(res.json.code, 'duplicate_person');
  assert.equal(res.json.existing_id, first.json.id);
  // Same ID from another community: 409, but no reference to someone out of scope.
  res = await post('/api/v1/people', { name: '施杰', id_number: number, org_unit_id: YING }, yingAdmin);
  assert.equal(res.status, 409);
  assert.equal(res.json.code, 'duplicate_person');
  assert.equal(res.json.existing_id, undefined);
  // "施 杰" is "施杰" after normalisation: same birth date → suspected duplicate.
  res = await post('/api/v1/people', { name: '施 杰', birth_date: '1965-11-20', org_unit_id: RONG }, rongAdmin);
  assert.equal(res.status, 409);
  assert.equal(res.json.code, 'suspected_duplicate');
  assert.deepEqual(res.json.candidates.map((c) => c.id), [first.json.id]);
  // Same phone does it too.
  res = await post('/api/v1/people', { name: '施　杰', phone: '139 0000 1111', org_unit_id: RONG }, rongAdmin);
  assert.equal(res.json?.code, 'suspected_duplicate');
  // Confirmed as someone else: created.
  res = await post('/api/v1/people', { name: '施 杰', birth_date: '1965-11-20', org_unit_id: RONG, confirm_not_duplicate: true }, rongAdmin);
  assert.equal(res.status, 201);
  assert.equal(res.json.name, '施 杰'); // display keeps what was typed
  // A different birth date and phone is not a suspect.
  res = await post('/api/v1/people', { name: '施杰', birth_date: '1988-01-01', org_unit_id: RONG }, rongAdmin);
  assert.equal(res.status, 201);
});

test('people outside the caller\'s scope do not exist for the caller', async () => {
  const p = await post('/api/v1/people', { name: '荣华居民甲', org_unit_id: RONG }, rongAdmin);
  assert.equal(p.status, 201);
  assert.equal((await get(`/api/v1/people/${p.json.id}`, yingAdmin)).status, 404);
  assert.equal((await patch(`/api/v1/people/${p.json.id}`, { notes: 'x' }, yingAdmin)).status, 404);
  const list = await get('/api/v1/people?limit=200', yingAdmin);
  assert.equal(list.status, 200);
  assert.ok(list.json.items.every((i) => i.org_unit_id === YING));
  // Creating someone in a community one does not manage.
  const res = await post('/api/v1/people', { name: '越权', org_unit_id: RONG }, yingAdmin);
  assert.ok(res.status === 403 || res.status === 404, String(res.status));
});

test('vulnerable flags and a child\'s birth date are only for the community\'s own staff', async () => {
  const elder = await post('/api/v1/people', { name: '独居老人', org_unit_id: YING, vulnerable: ['lives_alone', 'very_old'], birth_date: '1936-02-02', phone: '13700001234' }, yingAdmin);
  assert.equal(elder.status, 201, elder.text);
  assert.deepEqual(elder.json.vulnerable, ['lives_alone', 'very_old']);
  const childBirth = yearsAgo(10);
  const child = await post('/api/v1/people', { name: '小朋友', id_number: residentId('410105', childBirth, 41, 'F'), org_unit_id: YING }, yingAdmin);
  assert.equal(child.status, 201);
  assert.equal(child.json.birth_date, childBirth);

  // The street admin above 英协社区 sees the people, but not the flags, the full phone or the
  // child's full birth date.
  const e = await get(`/api/v1/people/${elder.json.id}`, street);
  assert.equal(e.status, 200);
  assert.ok(!('vulnerable' in e.json));
  assert.equal(e.json.phone, '137****1234');
  const c = await get(`/api/v1/people/${child.json.id}`, street);
  assert.equal(c.json.birth_date, null);
  assert.equal(c.json.birth_year, Number(childBirth.slice(0, 4)));
  assert.equal(c.json.birth_date_masked, true);
  const list = await get(`/api/v1/people?org_unit_id=${YING}&limit=200`, street);
  assert.ok(list.json.items.length >= 2);
  assert.ok(list.json.items.every((i) => !('vulnerable' in i)));
  assert.ok(!list.text.includes('lives_alone'));
  // Setting flags needs the same permission.
  const res = await post('/api/v1/people', { name: '另一位', org_unit_id: YING, vulnerable: ['disabled'] }, street);
  assert.equal(res.status, 400);
  assert.equal(fieldErr(res, 'vulnerable'), 'sensitive_only');
  // Unknown flags are refused.
  const bad = await post('/api/v1/people', { name: '又一位', org_unit_id: YING, vulnerable: ['rich'] }, yingAdmin);
  assert.equal(fieldErr(bad, 'vulnerable[0]'), 'invalid_flag');
});

test('list filters: normalised name, political status, volunteers, skill tag, subtree, cursor', async () => {
  const mk = (body) => post('/api/v1/people', { org_unit_id: RONG, ...body }, rongAdmin);
  const a = await mk({ name: '艾克拜尔·米吉提', political_status: '中共党员', skills: ['书法', '理发'] });
  const b = await mk({ name: '赵 理发', political_status: '13', skills: ['按摩'] });
  assert.equal(a.status, 201);
  assert.equal(a.json.political_status, '01');
  assert.equal(b.json.political_status_name, '群众');
  let res = await get(`/api/v1/people?q=${encodeURIComponent('艾克拜尔•米吉提')}`, rongAdmin);
  assert.deepEqual(res.json.items.map((i) => i.id), [a.json.id]);
  res = await get(`/api/v1/people?skill=${encodeURIComponent('理发')}&org_unit_id=${RONG}`, rongAdmin);
  assert.deepEqual(res.json.items.map((i) => i.id), [a.json.id]);
  res = await get(`/api/v1/people?political_status=01&org_unit_id=${RONG}`, rongAdmin);
  assert.ok(res.json.items.some((i) => i.id === a.json.id));
  assert.ok(res.json.items.every((i) => i.political_status === '01'));
  res = await get('/api/v1/people?political_status=nonsense', rongAdmin);
  assert.equal(res.status, 400);
  // Subtree: the district of 荣华社区 holds it; 英协社区's street does not.
  const jinshui = orgId(srv, '金水区');
  res = await get(`/api/v1/people?org_unit_id=${jinshui}&q=${encodeURIComponent('赵理发')}`, admin);
  assert.deepEqual(res.json.items.map((i) => i.id), [b.json.id]);
  res = await get(`/api/v1/people?org_unit_id=${orgId(srv, '凤凰台街道')}&q=${encodeURIComponent('赵理发')}`, admin);
  assert.equal(res.json.items.length, 0);
  // Cursor pagination walks everything once.
  const seen = new Set();
  let cursor = '';
  for (let i = 0; i < 50; i++) {
    const page = await get(`/api/v1/people?limit=3&org_unit_id=${RONG}${cursor ? `&cursor=${cursor}` : ''}`, rongAdmin);
    for (const it of page.json.items) {
      assert.ok(!seen.has(it.id));
      seen.add(it.id);
    }
    if (!page.json.next_cursor) break;
    cursor = page.json.next_cursor;
  }
  const all = await get(`/api/v1/people?limit=200&org_unit_id=${RONG}`, rongAdmin);
  assert.equal(seen.size, all.json.items.length);
});

test('editing a person keeps the ID rules, and every change is audited', async () => {
  const p = await post('/api/v1/people', { name: '钱七', id_number: residentId('410105', '1970-07-07', 51, 'M'), org_unit_id: RONG }, rongAdmin);
  let res = await patch(`/api/v1/people/${p.json.id}`, { sex: 'F' }, rongAdmin);
  assert.equal(res.status, 400);
  assert.equal(fieldErr(res, 'sex'), 'sex_mismatch');
  res = await patch(`/api/v1/people/${p.json.id}`, { phone: '13512345678', interests: ['下棋'], name: '钱 七' }, rongAdmin);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.phone, '13512345678');
  assert.equal(res.json.name, '钱 七');
  assert.equal(res.json.sex, 'M');
  assert.deepEqual(res.json.interests, ['下棋']);
  const audit = await get(`/api/v1/audit-log?entity=person&entity_id=${p.json.id}`, admin);
  const upd = audit.json.items.find((a) => a.action === 'update');
  assert.deepEqual(upd.detail.changed.sort(), ['interests', 'name', 'phone']);
  res = await patch(`/api/v1/people/${p.json.id}`, { id_number: '410105197007070000' }, rongAdmin);
  assert.equal(fieldErr(res, 'id_number'), 'id_check_digit');
});

test('a volunteer gets a number that is not the ID; under 18 needs an adult guardian', async () => {
  const adultId = residentId('410105', '1980-01-15', 61, 'F');
  const adult = await post('/api/v1/people', { name: '志愿者甲', id_number: adultId, org_unit_id: RONG }, rongAdmin);
  let res = await post(`/api/v1/people/${adult.json.id}/volunteer`, { registered_on: '2024-03-05' }, rongAdmin);
  assert.equal(res.status, 201, res.text);
  assert.match(res.json.volunteer_no, /^ZZ410105\d{7}$/); // 金水区's code, then a sequence
  assert.ok(!res.json.volunteer_no.includes(adultId.slice(6, 14)));
  assert.equal(res.json.registered_on, '2024-03-05');
  assert.equal(res.headers.get('location'), `/api/v1/volunteers/${res.json.id}`);
  const firstNo = res.json.volunteer_no;
  res = await post(`/api/v1/people/${adult.json.id}/volunteer`, {}, rongAdmin);
  assert.equal(res.status, 409);
  assert.equal(res.json.code, 'already_volunteer');

  const teen = await post('/api/v1/people', { name: '少年', id_number: residentId('410105', yearsAgo(16), 71, 'M'), org_unit_id: RONG }, rongAdmin);
  res = await post(`/api/v1/people/${teen.json.id}/volunteer`, {}, rongAdmin);
  assert.equal(res.status, 400);
  assert.equal(fieldErr(res, 'guardian_person_id'), 'guardian_required');
  assert.equal(fieldErr(res, 'guardian_consent_on'), 'consent_required');
  const kid = await post('/api/v1/people', { name: '小孩', id_number: residentId('410105', yearsAgo(12), 72, 'F'), org_unit_id: RONG }, rongAdmin);
  res = await post(`/api/v1/people/${teen.json.id}/volunteer`, { guardian_person_id: kid.json.id, guardian_consent_on: daysAgo(0) }, rongAdmin);
  assert.equal(fieldErr(res, 'guardian_person_id'), 'guardian_not_adult');
  res = await post(`/api/v1/people/${teen.json.id}/volunteer`, { guardian_person_id: teen.json.id, guardian_consent_on: daysAgo(0) }, rongAdmin);
  assert.equal(fieldErr(res, 'guardian_person_id'), 'guardian_self');
  res = await post(`/api/v1/people/${teen.json.id}/volunteer`, { guardian_person_id: adult.json.id, guardian_consent_on: daysAgo(0), registered_on: daysAgo(10) }, rongAdmin);
  assert.equal(fieldErr(res, 'guardian_consent_on'), 'consent_after_registration');
  res = await post(`/api/v1/people/${teen.json.id}/volunteer`, { registered_on: '1999-12-31' }, rongAdmin);
  assert.equal(fieldErr(res, 'registered_on'), 'before_birth');
  res = await post(`/api/v1/people/${teen.json.id}/volunteer`, { guardian_person_id: adult.json.id, guardian_consent_on: daysAgo(3) }, rongAdmin);
  assert.equal(res.status, 201, res.text);
  assert.equal(res.json.guardian_person_id, adult.json.id);
  const n1 = Number(firstNo.slice(-7)), n2 = Number(res.json.volunteer_no.slice(-7));
  assert.equal(n2, n1 + 1);
  // An adult needs no guardian.
  const other = await post('/api/v1/people', { name: '志愿者乙', birth_date: '1990-02-02', org_unit_id: RONG }, rongAdmin);
  res = await post(`/api/v1/people/${other.json.id}/volunteer`, { guardian_person_id: adult.json.id, guardian_consent_on: '2024-01-01' }, rongAdmin);
  assert.equal(fieldErr(res, 'guardian_person_id'), 'guardian_not_needed');

  const list = await get('/api/v1/volunteers?limit=200', rongAdmin);
  assert.ok(list.json.items.some((v) => v.volunteer_no === firstNo));
  assert.equal((await get('/api/v1/volunteers?limit=200', yingAdmin)).json.items.some((v) => v.volunteer_no === firstNo), false);
  const one = await get(`/api/v1/volunteers/${list.json.items[0].id}`, yingAdmin);
  assert.equal(one.status, 404);
  const flagged = await get(`/api/v1/people?is_volunteer=true&org_unit_id=${RONG}&limit=200`, rongAdmin);
  assert.ok(flagged.json.items.every((p) => p.is_volunteer));
  assert.ok(flagged.json.items.some((p) => p.id === adult.json.id));
});

test('Party membership: changing branch keeps the history and sets the political status', async () => {
  const b1 = await makeBranch(srv, admin, '荣华社区', '荣华社区第一党支部');
  const b2 = await makeBranch(srv, admin, '荣华社区', '荣华社区第二党支部');
  const p = await post('/api/v1/people', { name: '老党员', birth_date: '1945-10-01', org_unit_id: RONG, political_status: '群众' }, rongAdmin);
  const put = (body, cookie = rongAdmin) =>
    api(srv.url, `/api/v1/people/${p.json.id}/party-membership`, { method: 'PUT', body, cookie });
  let res = await put({ branch_id: b1, kind: 'probationary', since: '2019-07-01' });
  assert.equal(res.status, 200, res.text);
  assert.equal((await get(`/api/v1/people/${p.json.id}`, rongAdmin)).json.political_status, '02');
  res = await put({ branch_id: b1, kind: 'full', since: '2020-07-01' });
  res = await put({ branch_id: b2, kind: 'full', since: '2023-05-01', employer_unit: '郑州市自来水公司' });
  assert.equal(res.json.branch_name, '荣华社区第二党支部');
  assert.equal(res.json.employer_unit, '郑州市自来水公司');
  res = await put({ branch_id: b1, kind: 'full', since: '2022-01-01' });
  assert.equal(res.status, 400);
  assert.equal(fieldErr(res, 'since'), 'since_before_current');
  const hist = await get(`/api/v1/people/${p.json.id}/party-memberships`, rongAdmin);
  assert.deepEqual(
    hist.json.items.map((m) => [m.branch_id, m.kind, m.since, m.until]),
    [
      [b2, 'full', '2023-05-01', null],
      [b1, 'full', '2020-07-01', '2023-05-01'],
      [b1, 'probationary', '2019-07-01', '2020-07-01'],
    ],
  );
  const person = await get(`/api/v1/people/${p.json.id}`, rongAdmin);
  assert.equal(person.json.political_status, '01');
  assert.equal(person.json.party_branch_id, b2);
  assert.equal((await put({ branch_id: b1, kind: 'full', since: '2024-01-01' }, yingAdmin)).status, 404);
});

test('merging two records moves memberships and registrations to the survivor, audited', async () => {
  const branch = await makeBranch(srv, admin, '荣华社区', '荣华社区合并测试支部');
  const idNo = residentId('410105', '1958-08-08', 81, 'F');
  const survivor = await post('/api/v1/people', { name: '刘桂英', birth_date: '1958-08-08', org_unit_id: RONG }, rongAdmin);
  const loser = await post('/api/v1/people', { name: '刘 桂英', id_number: idNo, phone: '13600001111', org_unit_id: RONG, confirm_not_duplicate: true }, rongAdmin);
  assert.equal(loser.status, 201, loser.text);
  await api(srv.url, `/api/v1/people/${loser.json.id}/party-membership`, { method: 'PUT', body: { branch_id: branch, kind: 'full', since: '1990-07-01' }, cookie: rongAdmin });
  const vol = await post(`/api/v1/people/${loser.json.id}/volunteer`, { registered_on: '2021-01-01' }, rongAdmin);
  assert.equal(vol.status, 201);
  // Out of scope for 英协's admin: as if the records did not exist.
  let res = await post('/api/v1/people/merge', { survivor_id: survivor.json.id, loser_id: loser.json.id }, yingAdmin);
  assert.equal(res.status, 404);
  res = await post('/api/v1/people/merge', { survivor_id: survivor.json.id, loser_id: survivor.json.id }, rongAdmin);
  assert.equal(fieldErr(res, 'loser_id'), 'same_person');
  res = await post('/api/v1/people/merge', { survivor_id: survivor.json.id, loser_id: loser.json.id }, rongAdmin);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.id, survivor.json.id);
  assert.equal(res.json.party_branch_id, branch);
  assert.equal(res.json.political_status, '01');
  assert.equal(res.json.volunteer_no, vol.json.volunteer_no);
  assert.equal(res.json.id_masked, `4101**********${idNo.slice(14)}`); // taken from the loser
  assert.equal(res.json.phone, '13600001111');
  const hist = await get(`/api/v1/people/${survivor.json.id}/party-memberships`, rongAdmin);
  assert.equal(hist.json.items.length, 1);
  assert.equal(hist.json.items[0].since, '1990-07-01');
  const gone = await get(`/api/v1/people/${loser.json.id}`, rongAdmin);
  assert.equal(gone.json.merged_into, survivor.json.id);
  const list = await get(`/api/v1/people?q=${encodeURIComponent('刘桂英')}`, rongAdmin);
  assert.deepEqual(list.json.items.map((i) => i.id), [survivor.json.id]);
  // The ID now belongs to the survivor: registering it again points there.
  res = await post('/api/v1/people', { name: '刘桂英', id_number: idNo, org_unit_id: RONG }, rongAdmin);
  assert.equal(res.json.existing_id, survivor.json.id);
  const audit = await get(`/api/v1/audit-log?entity=person&entity_id=${survivor.json.id}`, admin);
  const m = audit.json.items.find((a) => a.action === 'merge');
  assert.deepEqual([m.detail.survivor_id, m.detail.loser_id], [survivor.json.id, loser.json.id]);
  res = await patch(`/api/v1/people/${loser.json.id}`, { notes: '已合并' }, rongAdmin);
  assert.equal(res.json.code, 'person_merged');
});

test('a merge keeps one team membership per team, from the earlier join date', async () => {
  const team = await post('/api/v1/teams', { org_unit_id: RONG, name: '合并测试服务队' }, admin);
  assert.equal(team.status, 201, team.text);
  const other = await post('/api/v1/teams', { org_unit_id: RONG, name: '合并测试艺术团' }, admin);
  const s = await post('/api/v1/people', { name: '郑大', birth_date: '1950-01-01', org_unit_id: RONG }, rongAdmin);
  const l = await post('/api/v1/people', { name: '郑 大', birth_date: '1950-01-01', org_unit_id: RONG, confirm_not_duplicate: true }, rongAdmin);
  const join = (t, p, d) => post(`/api/v1/teams/${t}/members`, { person_id: p, role: 'member', joined_on: d }, admin);
  assert.equal((await join(team.json.id, s.json.id, '2022-03-01')).status, 201);
  assert.equal((await join(team.json.id, l.json.id, '2018-05-01')).status, 201);
  assert.equal((await join(other.json.id, l.json.id, '2019-09-09')).status, 201);
  const res = await post('/api/v1/people/merge', { survivor_id: s.json.id, loser_id: l.json.id }, rongAdmin);
  assert.equal(res.status, 200, res.text);
  const m1 = await get(`/api/v1/teams/${team.json.id}/members?all=true`, admin);
  assert.deepEqual(m1.json.items.map((m) => [m.person_id, m.joined_on, m.left_on]), [[s.json.id, '2018-05-01', null]]);
  const m2 = await get(`/api/v1/teams/${other.json.id}/members`, admin);
  assert.deepEqual(m2.json.items.map((m) => m.person_id), [s.json.id]);
});

test('a merge moves service records (one more version, rollups follow) and sign-ups', async () => {
  const team = await post('/api/v1/teams', { org_unit_id: RONG, name: '合并记录测试队' }, admin);
  const s = await post('/api/v1/people', { name: '冯甲', birth_date: '1951-01-01', org_unit_id: RONG }, rongAdmin);
  const l = await post('/api/v1/people', { name: '冯 甲', birth_date: '1951-01-01', org_unit_id: RONG, confirm_not_duplicate: true }, rongAdmin);
  const cat = Number(sql(srv, "SELECT id FROM service_categories WHERE code = 'cleaning'"));
  const act = Number(sql(srv, `INSERT INTO activities(org_unit_id, team_id, category_id, title, starts_at, ends_at, service_date, capacity, status, created_at, updated_at)
    VALUES(${RONG}, ${team.json.id}, ${cat}, '清扫家园', 1700000000, 1700007200, '2023-11-15', 10, 'published', 0, 0) RETURNING id`));
  for (const p of [s.json.id, l.json.id])
    sql(srv, `INSERT INTO signups(activity_id, person_id, status, created_at, updated_at) VALUES(${act}, ${p}, 'confirmed', 0, 0)`);
  const rec = Number(sql(srv, `INSERT INTO service_records(person_id, activity_id, team_id, category_id, org_unit_id, service_date, minutes, source, status, created_at, updated_at)
    VALUES(${l.json.id}, ${act}, ${team.json.id}, ${cat}, ${RONG}, '2023-11-15', 120, 'team_entry', 'confirmed', 0, 0) RETURNING id`));
  assert.equal(sql(srv, `SELECT minutes FROM rollup_person WHERE person_id = ${l.json.id}`), '120');
  const res = await post('/api/v1/people/merge', { survivor_id: s.json.id, loser_id: l.json.id }, rongAdmin);
  assert.equal(res.status, 200, res.text);
  assert.equal(sql(srv, `SELECT person_id || ' ' || version || ' ' || status FROM service_records WHERE id = ${rec}`), `${s.json.id} 2 confirmed`);
  assert.equal(sql(srv, `SELECT minutes FROM rollup_person WHERE person_id = ${s.json.id}`), '120');
  assert.equal(sql(srv, `SELECT minutes FROM rollup_person WHERE person_id = ${l.json.id}`), '0');
  // One place held for the one person now: the loser's duplicate sign-up was cancelled.
  assert.equal(sql(srv, `SELECT count(*) FROM signups WHERE activity_id = ${act} AND status <> 'cancelled'`), '1');
  assert.equal(sql(srv, `SELECT places_taken FROM activities WHERE id = ${act}`), '1');
  assert.equal(sql(srv, `SELECT count(*) FROM signups WHERE person_id = ${l.json.id}`), '0');
});

test('merging two volunteers with different numbers needs the survivor\'s number kept on purpose', async () => {
  const a = await post('/api/v1/people', { name: '周一', birth_date: '1970-01-01', org_unit_id: RONG }, rongAdmin);
  const b = await post('/api/v1/people', { name: '周二', birth_date: '1971-01-01', org_unit_id: RONG }, rongAdmin);
  const va = await post(`/api/v1/people/${a.json.id}/volunteer`, {}, rongAdmin);
  const vb = await post(`/api/v1/people/${b.json.id}/volunteer`, {}, rongAdmin);
  let res = await post('/api/v1/people/merge', { survivor_id: a.json.id, loser_id: b.json.id }, rongAdmin);
  assert.equal(res.status, 409);
  assert.equal(res.json.code, 'merge_volunteer_conflict');
  assert.equal(res.json.loser_volunteer_no, vb.json.volunteer_no);
  res = await post('/api/v1/people/merge', { survivor_id: a.json.id, loser_id: b.json.id, keep_survivor_volunteer_no: true }, rongAdmin);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.volunteer_no, va.json.volunteer_no);
  const audit = await get(`/api/v1/audit-log?entity=person&entity_id=${a.json.id}`, admin);
  assert.equal(audit.json.items.find((x) => x.action === 'merge').detail.retired_volunteer_no, vb.json.volunteer_no);
  // Two different ID numbers are two people.
  const c = await post('/api/v1/people', { name: '吴三', id_number: residentId('410105', '1960-03-03', 91, 'M'), org_unit_id: RONG }, rongAdmin);
  const d = await post('/api/v1/people', { name: '吴三', id_number: residentId('410105', '1960-03-03', 93, 'M'), org_unit_id: RONG }, rongAdmin);
  res = await post('/api/v1/people/merge', { survivor_id: c.json.id, loser_id: d.json.id }, rongAdmin);
  assert.equal(res.json.code, 'merge_different_ids');
});

test('the database itself refuses what the API refuses (guardians, dates, codes, merges)', async () => {
  const kid = await post('/api/v1/people', { name: '数据库测试孩子', birth_date: yearsAgo(12), org_unit_id: RONG }, rongAdmin);
  const refused = (statement, code) =>
    assert.throws(() => sql(srv, statement), (e) => e.message.includes(code), `${code}: ${statement}`);
  refused(
    `INSERT INTO volunteers(person_id, volunteer_no, org_unit_id, registered_on, created_at, updated_at) VALUES(${kid.json.id}, 'ZZTEST1', ${RONG}, '${daysAgo(0)}', 0, 0)`,
    'guardian_required',
  );
  refused(
    `INSERT INTO volunteers(person_id, volunteer_no, org_unit_id, registered_on, guardian_person_id, created_at, updated_at) VALUES(${kid.json.id}, 'ZZTEST2', ${RONG}, '${daysAgo(0)}', ${kid.json.id}, 0, 0)`,
    'guardian_invalid',
  );
  refused(`UPDATE people SET political_status = '99' WHERE id = ${kid.json.id}`, 'invalid_political_status');
  refused(`UPDATE people SET merged_into = ${kid.json.id} WHERE id = ${kid.json.id}`, 'invalid_merge');
  const b = await makeBranch(srv, admin, '荣华社区', '约束测试支部');
  refused(
    `INSERT INTO party_memberships(person_id, branch_id, kind, since, until, created_at) VALUES(${kid.json.id}, ${b}, 'full', '2020-01-01', '2019-01-01', 0)`,
    'membership_dates',
  );
});
