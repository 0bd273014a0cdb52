// Personal data never leaves its scope (DESIGN.md §1 and §6 "Private", issue 10: "a volunteer
// cannot reach another person's data by changing ids in URLs").
//
// Two communities in different streets, each full of personal data built through the API
// (tests/lib/scope_fixtures.mjs): A = 英协社区 (凤凰台街道, 金水区), B = 代书胡同社区 (管城回族区).
// The walk is data-driven over `rexin routes`, so routes added later are covered:
//   1. every route with path parameters, with A's ids in every parameter, as B's community
//      admin, social worker, team leader and volunteer, and as a volunteer of A who is not the
//      owner: 401/403/404, never 2xx, except the commented ALLOW list; an allowed 2xx carries no
//      ID number, full phone, vulnerable flag or name of A's people beyond what it permits;
//   2. every list route (no path parameters), plain and with every filter set to A's ids, as
//      B's staff and volunteer: nothing of A's people anywhere in the text;
//   3. exports (?format=csv|xlsx) of lists and reports as B's admin: nothing of A;
//   4. the public verification page and JSON: masked name, period and hours only;
//   5. the street admin over A: A's people, never vulnerable flags, full ID numbers or phones
//      (reveal-id refused).
// A route whose parameter names a collection the walk has no fixture for fails the walk:
// add an id to IDS below.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import * as S from '../lib/scope_fixtures.mjs';
import { rexin } from '../lib/util.mjs';
import { stopChecked } from '../lib/registry_fixtures.mjs';

let srv, admin, call, A, B, routes, doc, streetA;
const callers = {}; // kind -> token user
// What a caller owns among A's things (candidate labels): theirs to see, so not walked.
const OWN = { aOtherVolunteer: ['vol2', 'pending record of vol2'] };
// The people of A whose names a caller may meet anywhere (their own).
const SELF = { aOtherVolunteer: ['vol2'] };

const FLAGS_A = ['lonely_elderly', 'lives_alone', 'disabled']; // B's people only have very_old
const ALL_FLAGS = [...FLAGS_A, 'very_old'];

before(async () => {
  srv = await S.startActivityServer(['--help-sweep-seconds', '0']);
  admin = { cookie: await S.login(srv.url) };
  call = S.caller(srv);
  A = await S.buildCommunity(srv, admin, {
    org: '英协社区', tag: '甲', region: '410105', phone: '13811110',
    names: { leader: '上官夏荷', vol1: '司马秋菊', vol2: '欧阳春生', resident: '诸葛冬梅' },
    vulnerable: { vol2: ['disabled'], resident: ['lonely_elderly', 'lives_alone'], help: ['lives_alone'] },
  });
  B = await S.buildCommunity(srv, admin, {
    org: '代书胡同社区', tag: '乙', region: '410104', phone: '13922220',
    names: { leader: '令狐长风', vol1: '东方晓光', vol2: '慕容雪莲', resident: '皇甫青松' },
    vulnerable: { vol2: [], resident: ['very_old'], help: ['very_old'] },
  });
  callers.bAdmin = B.admin;
  callers.bSocialWorker = B.sw;
  callers.bLeader = B.users.leader;
  callers.bVolunteer = B.users.vol1;
  callers.aOtherVolunteer = A.users.vol2; // of A, but not the owner of vol1's things
  [streetA] = await S.tokenUsers(srv, [{ name: 'street-a', grants: [['street_admin', await S.orgId(srv, '凤凰台街道')]] }]);
  const r = await rexin(['routes']);
  assert.equal(r.code, 0);
  routes = r.stdout.trim().split('\n').map((l) => {
    const [method, pattern] = l.split(' ');
    return { method, pattern, key: `${method} ${pattern}` };
  });
  doc = (await S.api(srv.url, '/api/openapi.json')).json;
});

after(async () => {
  if (srv) await stopChecked(srv);
});

// ------------------------------------------------------------------ what A's data looks like

/** Everything in `text` that belongs to A's people: [what, value] pairs. `names` lists the
 * people keys (leader, vol1 …) whose names the caller may see. */
function leaksOfA(text, { names = [], flags = true } = {}) {
  const found = [];
  for (const [key, p] of Object.entries(A.people)) {
    if (!names.includes(key) && text.includes(p.name)) found.push(['name', p.name]);
    if (text.includes(p.id_number) || text.includes(p.id_number.toLowerCase())) found.push(['id number', p.id_number]);
    const masked = new RegExp(`${p.id_number.slice(0, 4)}\\*+${p.id_number.slice(-4)}`);
    if (!names.includes(key) && masked.test(text)) found.push(['masked id', p.id_number]);
    if (text.includes(p.phone)) found.push(['phone', p.phone]);
    const maskedPhone = new RegExp(`${p.phone.slice(0, 3)}\\*{4}${p.phone.slice(-4)}`);
    if (!names.includes(key) && maskedPhone.test(text)) found.push(['masked phone', p.phone]);
  }
  if (flags) for (const f of FLAGS_A) if (text.includes(f)) found.push(['vulnerable flag', f]);
  return found;
}

/** Personal data nobody outside A's own staff may see, whoever it belongs to. */
function sensitive(text, { flags = ALL_FLAGS, phones = [] } = {}) {
  const found = [];
  for (const m of text.matchAll(/(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g)) found.push(['id number', m[0]]);
  for (const m of text.matchAll(/(?<!\d)1[3-9]\d{9}(?!\d)/g)) if (!phones.includes(m[0])) found.push(['phone', m[0]]);
  for (const f of flags) if (text.includes(f)) found.push(['vulnerable flag', f]);
  return found;
}

// ------------------------------------------------------------------ A's ids for each parameter

/** Candidate ids for a path parameter, by its name or by the collection segment before it:
 * [label, id]. Every candidate is tried (the other parameters take their first). */
function idsFor(param, collection) {
  const P = A.people;
  const byParam = {
    sid: [['signup of vol1', A.signups.vol1]],
    cid: [['correction of vol1', A.correction]],
    member_id: [['membership of vol1', A.members.vol1]],
    number: [['certificate of vol1', A.certificate.number]],
  };
  const byCollection = {
    people: [['vol1', P.vol1.id], ['resident', P.resident.id], ['vol2', P.vol2.id]],
    activities: [['published activity', A.activity], ['draft activity', A.draft]],
    'activity-series': [['series', A.series]],
    records: [['confirmed record of vol1', A.records.vol1], ['pending record of vol2', A.records.vol2]],
    teams: [['team', A.team]],
    'help-requests': [['help request', A.help]],
    inbox: [['notification of vol1', A.notification]],
    certificates: [['certificate of vol1', A.certificate.id]],
    'party-branches': [['branch', A.branch]],
    'org-units': [['community', A.org]],
    'service-categories': [['local category', A.category]],
    volunteers: [['volunteer vol1', A.volunteers.vol1.id]],
    verify: [['certificate of vol1', A.certificate.number]],
  };
  return byParam[param] || byCollection[collection] || null;
}

/** The concrete URLs of a route with A's ids: [{url, labels}]. */
function fill(route) {
  const segs = route.pattern.split('/');
  const slots = []; // {i, name, suffix, cands}
  segs.forEach((s, i) => {
    const m = /^\{([^}]+)\}(.*)$/.exec(s);
    if (!m) return;
    const cands = idsFor(m[1], segs[i - 1]);
    assert.ok(cands, `${route.key}: no fixture id for {${m[1]}} after /${segs[i - 1]}/ — add it to idsFor()`);
    slots.push({ i, name: m[1], suffix: m[2], cands });
  });
  const out = [];
  const n = Math.max(...slots.map((s) => s.cands.length));
  for (let k = 0; k < n; k++) {
    const parts = [...segs];
    const labels = {};
    for (const [j, s] of slots.entries()) {
      // the first parameter walks its candidates; a later one walks its own only when the
      // earlier ones have a single candidate
      const c = s.cands[Math.min(j === 0 || slots[0].cands.length === 1 ? k : 0, s.cands.length - 1)];
      parts[s.i] = encodeURIComponent(String(c[1])) + s.suffix;
      labels[s.name] = c[0];
    }
    let url = parts.join('/');
    if (/\/verify\//.test(route.pattern)) url += `?c=${new URL(A.certificate.verify_url).searchParams.get('c')}`;
    if (!out.some((o) => o.url === url)) out.push({ url, labels });
  }
  return out;
}

// ------------------------------------------------------------------ bodies for writes

/** A body that would be accepted if the caller were allowed, aimed at A's people, so the
 * answer is decided by scope and not by validation. */
function bodyFor(route) {
  const P = A.people;
  const bodies = {
    'PATCH /api/v1/activities/{id}': { title: '改名', capacity: 3 },
    'POST /api/v1/activities/{id}/cancel': { reason: '取消' },
    'POST /api/v1/activities/{id}/finish': {},
    'POST /api/v1/activities/{id}/signups': { person_id: P.resident.id },
    'POST /api/v1/activities/{id}/checkin': { token: 'x'.repeat(20) },
    'POST /api/v1/activities/{id}/attendance': { person_id: P.vol1.id, action: 'checkout', at: '2030-05-02T11:00:00+08:00', reason: '按名单' },
    'POST /api/v1/activities/{id}/records/confirm': {},
    'PATCH /api/v1/records/{id}': { minutes: 30, reason: '改' },
    'POST /api/v1/records/{id}/confirm': {},
    'POST /api/v1/records/{id}/reject': { reason: '不对' },
    'POST /api/v1/records/{id}/corrections': { minutes: 30, reason: '改' },
    'POST /api/v1/records/{id}/corrections/{cid}/decision': { decision: 'accept' },
    'POST /api/v1/people/{id}/training': { date: '2030-05-02', issuer: 'x', text: 'y' },
    'POST /api/v1/people/{id}/awards': { date: '2030-05-02', issuer: 'x', text: 'y' },
    'POST /api/v1/people/{id}/evaluations': { date: '2030-05-02', issuer: 'x', text: 'y' },
    'POST /api/v1/people/{id}/complaints': { date: '2030-05-02', issuer: 'x', text: 'y' },
    'PATCH /api/v1/org-units/{id}': { name: '改名社区' },
    'PATCH /api/v1/party-branches/{id}': { name: '改名支部' },
    'POST /api/v1/party-branches/{id}/assignment-proposals': {},
    'POST /api/v1/party-branches/{id}/assignment-proposals/accept': { assignments: [{ person_id: P.resident.id, team_id: A.team }] },
    'PATCH /api/v1/teams/{id}': { name: '改名队' },
    'POST /api/v1/teams/{id}/members': { person_id: P.resident.id, role: 'member', joined_on: '2030-05-01' },
    'PATCH /api/v1/teams/{id}/members/{member_id}': { left_on: '2030-05-02' },
    'POST /api/v1/help-requests/{id}/dispatch': { person_id: P.leader.id },
    'POST /api/v1/help-requests/{id}/open': {},
    'POST /api/v1/help-requests/{id}/accept': {},
    'POST /api/v1/help-requests/{id}/decline': { reason: '没空' },
    'POST /api/v1/help-requests/{id}/start': {},
    'POST /api/v1/help-requests/{id}/done': { time: [{ person_id: P.vol1.id, minutes: 30, people_served: 1 }] },
    'POST /api/v1/help-requests/{id}/cancel': { reason: '不用了' },
    'POST /api/v1/help-requests/{id}/close': { reason: '解决不了' },
    'POST /api/v1/help-requests/{id}/rate': { rating: 5, comment: '好' },
    'POST /api/v1/certificates/{id}/issue': { person_in_charge: '负责人' },
    'POST /api/v1/certificates/{id}/revoke': { reason: '重开' },
    'PATCH /api/v1/people/{id}': { notes: '改' },
    'POST /api/v1/people/{id}/reveal-id': { reason: '核对身份' },
    'POST /api/v1/people/{id}/volunteer': { registered_on: '2030-05-01' },
    'PUT /api/v1/people/{id}/party-membership': { branch_id: A.branch, kind: 'full', since: '2030-05-01' },
  };
  if (route.method === 'GET' || route.method === 'DELETE') return undefined;
  return bodies[route.key] ?? {};
}

// ------------------------------------------------------------------ the allow list

// Where the design lets a caller outside the owner's scope get a 2xx, and why. `who`: caller
// kinds; `only`: the parameter labels it holds for (others must still be refused); `names`:
// A's people whose names the answer may carry. Every allowed answer is still searched for ID
// numbers, full phones, vulnerable flags and any other name of A's people.
const EVERYONE = ['bAdmin', 'bSocialWorker', 'bLeader', 'bVolunteer', 'aOtherVolunteer'];
const ALLOW = [
  // Published activities are announced city-wide: any volunteer may find one and sign up
  // (DESIGN.md §1 "finds activities, signs up"); a draft is its team's business only.
  { route: 'GET /api/v1/activities/{id}', who: EVERYONE, only: { id: ['published activity'] } },
  { route: 'GET /api/v1/activity-series/{id}', who: EVERYONE },
  // The sign-up list of a published activity answers everyone but those who lead it with
  // their own sign-ups only (none, for B), never the others'.
  { route: 'GET /api/v1/activities/{id}/signups', who: EVERYONE, only: { id: ['published activity'] } },
  // A volunteer holds the volunteer role over their own community (RX_PERM_READ_ORG): the
  // organisation tree, its branches (the secretary is a public office), local categories,
  // teams (the leader likewise) and team sizes are not personal data. Team rosters are.
  { route: 'GET /api/v1/org-units/{id}', who: ['aOtherVolunteer'] },
  { route: 'GET /api/v1/org-units/{id}/children', who: ['aOtherVolunteer'] },
  { route: 'GET /api/v1/org-units/{id}/subtree', who: ['aOtherVolunteer'] },
  { route: 'GET /api/v1/party-branches/{id}', who: ['aOtherVolunteer'], names: ['leader'] },
  { route: 'GET /api/v1/service-categories/{id}', who: ['aOtherVolunteer'] },
  { route: 'GET /api/v1/teams/{id}', who: ['aOtherVolunteer'], names: ['leader'] },
  { route: 'GET /api/v1/teams/{id}/size', who: ['aOtherVolunteer'] },
  // The public verification page: anyone with the QR code sees the masked name, period, hours.
  { route: 'GET /api/v1/verify/{number}', who: EVERYONE },
  { route: 'GET /verify/{number}', who: EVERYONE },
];

function allowed(route, who, labels) {
  return ALLOW.find(
    (a) =>
      a.route === route.key &&
      a.who.includes(who) &&
      (!a.only || Object.entries(a.only).every(([p, ls]) => ls.includes(labels[p]))),
  );
}

// ------------------------------------------------------------------ the walk

async function request(who, method, url, body) {
  const opts = { method, headers: { 'Accept-Language': 'en' } };
  if (body !== undefined) opts.body = body;
  if (method === 'DELETE') opts.headers.Origin = srv.url;
  return call(callers[who] || who, url, opts);
}

const withParams = () => routes.filter((r) => r.pattern.includes('{'));

test('every route with path parameters refuses A’s ids to B’s staff and volunteers and to A’s other volunteer', async () => {
  const problems = [];
  let calls = 0;
  for (const route of withParams()) {
    for (const { url, labels } of fill(route)) {
      for (const who of Object.keys(callers)) {
        if (Object.values(labels).some((l) => (OWN[who] || []).includes(l))) continue;
        const res = await request(who, route.method, url, bodyFor(route));
        calls++;
        if (process.env.SCOPE_WALK_LOG) console.log(`${res.status} ${who} ${route.method} ${url}`);
        const where = `${who}: ${route.method} ${url} (${Object.values(labels).join(', ')})`;
        const allow = allowed(route, who, labels);
        if (res.status >= 200 && res.status < 300) {
          if (!allow) {
            problems.push(`${where} answered ${res.status}: ${res.text.slice(0, 200)}`);
            continue;
          }
          const leaks = [...leaksOfA(res.text, { names: [...(allow.names || []), ...(SELF[who] || [])] }), ...sensitive(res.text)];
          if (leaks.length) problems.push(`${where} (allowed) leaks ${JSON.stringify(leaks)}`);
        } else if (![401, 403, 404].includes(res.status) && !(allow && res.status === 429)) {
          problems.push(`${where} answered ${res.status}, not 401/403/404: ${res.text.slice(0, 200)}`);
        }
      }
    }
  }
  assert.ok(calls > 300, `walked ${calls} calls`);
  assert.deepEqual(problems, []);
});

// ------------------------------------------------------------------ list routes

/** The query parameters of an operation in the OpenAPI document (refs resolved). */
function queryParams(route) {
  const op = doc.paths[route.pattern]?.[route.method.toLowerCase()];
  const out = [];
  for (let p of op?.parameters || []) {
    if (p.$ref) p = p.$ref.split('/').slice(1).reduce((o, k) => o[k], doc);
    if (p.in === 'query') out.push(p);
  }
  return out;
}

/** Query variants for a list route: plain, and each filter aimed at A (ids, A's name as the
 * search text, every enum value, booleans on). */
function listVariants(route) {
  const params = queryParams(route);
  const names = new Set(params.map((p) => p.name));
  const base = names.has('from') && names.has('to') ? { from: '2030-01-01', to: '2030-12-31' } : {};
  const aim = {
    person_id: A.people.vol1.id, activity_id: A.activity, team_id: A.team, team: A.team,
    org_unit: A.org, org_unit_id: A.org, parent_id: A.org, category_id: A.category, category: A.category,
    branch_id: A.branch, series: A.series, entity_id: A.people.vol1.id, skill: '家电维修',
    // searching by A's name, ID number or phone finds nothing
    q: [A.people.vol1.name, A.people.vol1.id_number, A.people.resident.phone],
  };
  const out = [base];
  for (const p of params) {
    if (['limit', 'cursor', 'format', 'from', 'to'].includes(p.name)) continue;
    const s = p.schema || {};
    if (p.name in aim) for (const v of [aim[p.name]].flat()) out.push({ ...base, [p.name]: v });
    else if (s.enum) for (const v of s.enum) out.push({ ...base, [p.name]: v });
    else if (s.type === 'boolean') out.push({ ...base, [p.name]: 'true' });
  }
  // the audit log of A's person, by entity
  if (names.has('entity')) out.push({ entity: 'person', entity_id: A.people.vol1.id });
  return out;
}

const qs = (q) => {
  const s = new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)])).toString();
  return s ? `?${s}` : '';
};

const lists = () => routes.filter((r) => r.method === 'GET' && !r.pattern.includes('{') && r.pattern.startsWith('/api/v1/'));

test('list routes, plain and filtered by A’s ids and names, show B nothing of A’s people', async () => {
  const problems = [];
  const seenOwn = { bAdmin: 0, bVolunteer: 0 };
  for (const route of lists()) {
    for (const q of listVariants(route)) {
      for (const who of ['bAdmin', 'bSocialWorker', 'bLeader', 'bVolunteer']) {
        const url = route.pattern + qs(q);
        const res = await request(who, 'GET', url);
        if (res.status >= 500) problems.push(`${who}: GET ${url} answered ${res.status}`);
        const leaks = leaksOfA(res.text);
        if (leaks.length) problems.push(`${who}: GET ${url} shows ${JSON.stringify(leaks)}`);
        // B's volunteer sees no flags and no full ID numbers or phones of anyone but the
        // resident whose request they were sent to (the assignee calls them)
        if (who === 'bVolunteer') {
          const s = sensitive(res.text, { phones: [B.people.resident.phone] });
          if (s.length) problems.push(`${who}: GET ${url} shows ${JSON.stringify(s)}`);
        }
        if (who in seenOwn && res.status === 200 && res.text.includes(B.people.vol1.name)) seenOwn[who]++;
      }
    }
  }
  assert.deepEqual(problems, []);
  // the walk can fail: B's own people do show up where they should
  assert.ok(seenOwn.bAdmin >= 5, `B's admin saw B's volunteer in ${seenOwn.bAdmin} lists`);
  assert.ok(seenOwn.bVolunteer >= 2, `B's volunteer saw themself in ${seenOwn.bVolunteer} lists`);
});

test('list routes show A’s other volunteer nobody else’s ID numbers, phones, flags or records', async () => {
  const problems = [];
  for (const route of lists()) {
    for (const q of listVariants(route)) {
      const url = route.pattern + qs(q);
      const res = await request('aOtherVolunteer', 'GET', url);
      // the team leader and branch secretary hold public offices; the open request's
      // requester is masked (诸**)
      const leaks = [...leaksOfA(res.text, { names: ['vol2', 'leader'], flags: false }), ...sensitive(res.text)];
      if (leaks.length) problems.push(`GET ${url} shows ${JSON.stringify(leaks)}`);
      for (const addr of A.addresses) if (res.text.includes(addr)) problems.push(`GET ${url} shows the address ${addr}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('routes without a login carry nothing of anyone', async () => {
  const doors = routes.filter((r) => r.method === 'GET' && !r.pattern.includes('{') && !r.pattern.startsWith('/api/v1/'));
  assert.ok(doors.length >= 3, doors.map((r) => r.key).join(' '));
  for (const route of doors) {
    const res = await S.api(srv.url, route.pattern);
    // (the API document names the flags, as an enum)
    assert.deepEqual([...leaksOfA(res.text, { flags: false }), ...sensitive(res.text, { flags: [] })], [], route.key);
  }
});

// ------------------------------------------------------------------ exports

/** The text of every file in a zip (an .xlsx): stored or deflated entries. */
function unzipText(buf) {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'a zip file');
  const n = buf.readUInt16LE(eocd + 10);
  let off = buf.readUInt32LE(eocd + 16);
  let text = '';
  for (let i = 0; i < n; i++) {
    const method = buf.readUInt16LE(off + 10);
    const size = buf.readUInt32LE(off + 20);
    const nameLen = buf.readUInt16LE(off + 28);
    const skip = nameLen + buf.readUInt16LE(off + 30) + buf.readUInt16LE(off + 32);
    const local = buf.readUInt32LE(off + 42);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    text += (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    off += 46 + skip;
  }
  return text;
}

async function download(user, url) {
  const res = await fetch(srv.url + url, { headers: { ...user.headers, 'Accept-Language': 'en' } });
  const buf = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get('content-type') || '';
  const text = /spreadsheetml/.test(type) ? unzipText(buf) : buf.toString('utf8');
  return { status: res.status, type, text };
}

const exportable = () => lists().filter((r) => queryParams(r).some((p) => p.name === 'format'));

test('exports (CSV and Excel) of lists and reports as B’s admin hold nothing of A', async () => {
  assert.ok(exportable().length >= 6, exportable().map((r) => r.pattern).join(' '));
  const problems = [];
  let files = 0, own = 0;
  for (const route of exportable()) {
    for (const q of listVariants(route)) {
      for (const format of ['csv', 'xlsx']) {
        const url = route.pattern + qs({ ...q, format });
        const res = await download(B.admin, url);
        if (res.status >= 500) problems.push(`GET ${url} answered ${res.status}`);
        if (res.status !== 200) continue;
        files++;
        if (res.text.includes(B.people.vol1.name)) own++;
        const leaks = leaksOfA(res.text);
        if (leaks.length) problems.push(`GET ${url} (${res.type}) holds ${JSON.stringify(leaks)}`);
      }
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(files >= 20, `${files} files`);
  assert.ok(own >= 4, `B's volunteer in ${own} of B's own files`);
});

// ------------------------------------------------------------------ an open request, up close

test('an open request shows A’s other volunteer the need, not who, where or how to call; B’s volunteer not at all', async () => {
  const mine = await request('aOtherVolunteer', 'GET', `/api/v1/help-requests/${A.openHelp}`);
  assert.equal(mine.status, 200, mine.text);
  assert.equal(mine.json.need, '甲灯泡坏了');
  assert.equal(mine.json.person_name, '诸**');
  assert.deepEqual([mine.json.person_id, mine.json.address, mine.json.contact_phone, mine.json.vulnerable], [null, null, null, null]);
  assert.deepEqual(sensitive(mine.text), []);
  for (const who of ['bVolunteer', 'bAdmin']) {
    assert.equal((await request(who, 'GET', `/api/v1/help-requests/${A.openHelp}`)).status, 404, who);
    const take = await request(who, 'POST', `/api/v1/help-requests/${A.openHelp}/accept`, {});
    assert.equal(take.status, 404, `${who} cannot take another community's open request: ${take.text}`);
  }
});

// ------------------------------------------------------------------ public verification

test('the public verification reveals the masked name, the period and the hours, nothing else', async () => {
  const c = new URL(A.certificate.verify_url).searchParams.get('c');
  const number = A.certificate.number;
  const json = await S.api(srv.url, `/api/v1/verify/${number}?c=${c}`);
  assert.equal(json.status, 200, json.text);
  assert.deepEqual(json.json, {
    number, genuine: true, revoked: false, name_masked: '司***', period_from: '2030-01-01', period_to: '2030-05-02', minutes: 120, hours: 2,
  });
  const page = await S.api(srv.url, `/verify/${number}?c=${c}`, { headers: { Accept: 'text/html' } });
  assert.equal(page.status, 200);
  assert.match(page.text, /司\*/);
  assert.match(page.text, /2030-01-01 至 2030-05-02/);
  assert.match(page.text, /2\.00 小时/);
  for (const res of [json, page]) {
    assert.deepEqual(leaksOfA(res.text), [], 'no name, ID number or phone of A’s people');
    assert.deepEqual(sensitive(res.text), []);
    assert.ok(!res.text.includes(A.volunteers.vol1.volunteer_no), 'no volunteer number');
    assert.ok(!res.text.includes('英协社区'), 'no community');
  }
  // without the check code from the QR code, or with another, it is not found
  for (const q of ['', '?c=000000000000']) {
    assert.equal((await S.api(srv.url, `/api/v1/verify/${number}${q}`)).status, 404, q);
  }
});

// ------------------------------------------------------------------ the street above A

test('the street admin over A sees A’s people but never vulnerable flags, full ID numbers or phones', async () => {
  const P = A.people;
  const list = await call(streetA, `/api/v1/people?org_unit_id=${A.org}&limit=200`);
  assert.equal(list.status, 200, list.text);
  const byId = new Map(list.json.items.map((p) => [p.id, p]));
  for (const p of Object.values(P)) {
    assert.ok(byId.has(p.id), `${p.name} is listed`);
    assert.equal(byId.get(p.id).id_masked, `${p.id_number.slice(0, 4)}**********${p.id_number.slice(-4)}`);
  }
  const one = await call(streetA, `/api/v1/people/${P.resident.id}`);
  assert.equal(one.status, 200, one.text);
  assert.equal(one.json.name, P.resident.name);
  assert.ok(!one.json.vulnerable || one.json.vulnerable.length === 0, `no flags: ${one.text}`);
  const reveal = await call(streetA, `/api/v1/people/${P.vol1.id}/reveal-id`, { method: 'POST', body: { reason: '核对身份' } });
  assert.equal(reveal.status, 403, reveal.text);
  // A's own community admin does see the flags and may reveal (the check above can fail)
  const own = await call(A.admin, `/api/v1/people/${P.resident.id}`);
  assert.deepEqual([...own.json.vulnerable].sort(), ['lives_alone', 'lonely_elderly']);
  const revealed = await call(A.admin, `/api/v1/people/${P.vol1.id}/reveal-id`, { method: 'POST', body: { reason: '核对身份' } });
  assert.equal(revealed.status, 200, revealed.text);
  assert.ok(revealed.text.includes(P.vol1.id_number));

  // a help request: the street dispatches and is told of escalations, but calls nobody
  const help = await call(streetA, `/api/v1/help-requests/${A.help}`);
  assert.equal(help.status, 200, help.text);
  assert.equal(help.json.contact_phone, `${P.resident.phone.slice(0, 3)}****${P.resident.phone.slice(-4)}`);
  assert.equal(help.json.vulnerable, null);
  assert.equal((await call(A.sw, `/api/v1/help-requests/${A.help}`)).json.contact_phone, P.resident.phone, 'the community’s own staff call');
  // past the accept deadline the sweep tells the street: the note names no flags or phones
  await S.setClock(srv, admin.cookie, '2030-05-04T12:00:00+08:00');
  assert.equal((await S.api(srv.url, '/api/v1/test/sweep', { method: 'POST', cookie: admin.cookie })).status, 200);
  const notes = await call(streetA, '/api/v1/inbox?limit=200');
  assert.ok(notes.json.items.some((n) => n.kind === 'help_request_escalated'), notes.text);

  // every GET route, with A's ids and every filter, and every export
  const problems = [];
  for (const route of routes.filter((r) => r.method === 'GET' && r.pattern.startsWith('/api/v1/'))) {
    const urls = route.pattern.includes('{')
      ? fill(route).map((f) => f.url)
      : listVariants(route).map((q) => route.pattern + qs(q));
    for (const url of urls) {
      const res = await call(streetA, url, { headers: { 'Accept-Language': 'en' } });
      if (res.status >= 500) problems.push(`GET ${url} answered ${res.status}`);
      const s = sensitive(res.text);
      if (s.length) problems.push(`GET ${url} shows ${JSON.stringify(s)}`);
    }
  }
  let seen = 0;
  for (const route of exportable()) {
    for (const format of ['csv', 'xlsx']) {
      const url = route.pattern + qs({ org_unit_id: A.org, format });
      const res = await download(streetA, url);
      if (res.text.includes(P.vol1.name)) seen++;
      const s = sensitive(res.text);
      if (s.length) problems.push(`GET ${url} shows ${JSON.stringify(s)}`);
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(seen >= 2, `A's volunteer in ${seen} of the street's exports (people at least)`);
});

// ------------------------------------------------------------------ A's ids inside bodies

// B's staff writing to B's own things with A's people, teams, branches and places in the
// body: refused (a 4xx), and the answer names nobody of A. Runs last: a refused write that
// slipped through would change the world the other tests look at.
test('B’s staff cannot pull A’s people or things into B’s writes by id', async () => {
  const P = A.people;
  const day = { service_date: '2030-05-02', minutes: 30, people_served: 1 };
  const cases = [
    ['POST', '/api/v1/teams', { org_unit_id: B.org, name: '越界队1', leader_person_id: P.vol1.id }],
    ['POST', '/api/v1/teams', { org_unit_id: B.org, name: '越界队2', branch_id: A.branch }],
    ['POST', '/api/v1/teams', { org_unit_id: B.org, name: '越界队3', category_id: A.category }],
    ['POST', '/api/v1/teams', { org_unit_id: A.org, name: '越界队4' }],
    ['PATCH', `/api/v1/teams/${B.team}`, { leader_person_id: P.vol1.id }],
    ['POST', `/api/v1/teams/${B.team}/members`, { person_id: P.vol1.id }],
    ['POST', '/api/v1/party-branches', { org_unit_id: B.org, kind: 'branch', name: '越界支部', secretary_person_id: P.vol1.id }],
    ['POST', '/api/v1/party-branches', { org_unit_id: A.org, kind: 'branch', name: '越界支部2' }],
    ['PATCH', `/api/v1/party-branches/${B.branch}`, { secretary_person_id: P.vol1.id }],
    ['PUT', `/api/v1/people/${B.people.vol2.id}/party-membership`, { branch_id: A.branch, kind: 'full', since: '2030-05-01' }],
    ['POST', `/api/v1/people/${B.people.resident.id}/volunteer`, { org_unit_id: A.org }],
    ['POST', '/api/v1/people', { name: '越界居民', org_unit_id: A.org }],
    ['PATCH', `/api/v1/people/${B.people.vol2.id}`, { org_unit_id: A.org }],
    ['POST', '/api/v1/people/merge', { survivor_id: B.people.vol2.id, loser_id: P.vol2.id }],
    ['POST', '/api/v1/people/merge', { survivor_id: P.vol2.id, loser_id: B.people.vol2.id }],
    ['POST', '/api/v1/org-units', { parent_id: A.org, kind: 'venue', name: '越界活动室' }],
    ['PATCH', `/api/v1/org-units/${B.org}`, { parent_id: A.org }],
    ['POST', '/api/v1/service-categories', { org_unit_id: A.org, parent_id: 1, name: '越界类别' }],
    ['POST', '/api/v1/records', { source: 'team_entry', person_id: P.vol1.id, team_id: B.team, ...day }],
    ['POST', '/api/v1/records', { source: 'team_entry', person_id: B.people.vol2.id, team_id: A.team, ...day }],
    ['POST', '/api/v1/records', { source: 'team_entry', person_id: B.people.vol2.id, team_id: B.team, category_id: A.category, ...day }],
    ['PATCH', `/api/v1/records/${B.records.vol2}`, { person_id: P.vol1.id }],
    ['PATCH', `/api/v1/records/${B.records.vol2}`, { category_id: A.category, reason: '改类别' }],
    ['PATCH', `/api/v1/activities/${B.activity}`, { category_id: A.category }],
    ['POST', '/api/v1/activities', { team_id: A.team, title: '越界活动', capacity: 3, starts_at: '2030-06-01T09:00:00+08:00', ends_at: '2030-06-01T10:00:00+08:00' }],
    ['POST', '/api/v1/activities', { team_id: B.team, category_id: A.category, title: '越界活动', capacity: 3, starts_at: '2030-06-01T09:00:00+08:00', ends_at: '2030-06-01T10:00:00+08:00' }],
    ['POST', `/api/v1/activities/${B.activity}/signups`, { person_id: P.vol1.id }],
    ['POST', `/api/v1/activities/${B.activity}/attendance`, { person_id: P.vol1.id, action: 'checkin', at: '2030-05-02T09:00:00+08:00', reason: '按名单' }],
    ['POST', '/api/v1/certificates', { person_id: P.vol1.id, org_unit_id: B.org, from: '2030-01-01', to: '2030-05-02' }],
    ['POST', '/api/v1/certificates', { person_id: B.people.vol1.id, org_unit_id: A.org, from: '2030-01-01', to: '2030-05-02' }],
    ['POST', '/api/v1/certificates', { person_id: B.people.vol1.id, team_id: A.team, from: '2030-01-01', to: '2030-05-02' }],
    ['POST', '/api/v1/help-requests', { person_id: P.resident.id, category_id: B.category, need: '越界', address: 'x' }],
    ['POST', `/api/v1/help-requests/${B.openHelp}/dispatch`, { person_id: P.vol1.id }],
    ['POST', `/api/v1/help-requests/${B.openHelp}/dispatch`, { team_id: A.team }],
    ['POST', `/api/v1/party-branches/${B.branch}/assignment-proposals/accept`, { assignments: [{ person_id: P.vol2.id, team_id: B.team }] }],
    ['POST', `/api/v1/party-branches/${B.branch}/assignment-proposals/accept`, { assignments: [{ person_id: B.people.vol2.id, team_id: A.team }] }],
    ['POST', `/api/v1/imports/people?community=${A.org}&dry_run=true`, '姓名,手机\n越界,13900000000\n'],
  ];
  const problems = [];
  for (const who of ['bAdmin', 'bSocialWorker', 'bLeader']) {
    for (const [method, url, body] of cases) {
      const headers = typeof body === 'string' ? { 'Content-Type': 'text/csv' } : {};
      const res = await call(callers[who], url, { method, body, headers: { 'Accept-Language': 'en', ...headers } });
      const where = `${who}: ${method} ${url} ${JSON.stringify(body)}`;
      if (res.status < 400 || res.status >= 500) problems.push(`${where} answered ${res.status}: ${res.text.slice(0, 300)}`);
      const leaks = leaksOfA(res.text);
      if (res.text.includes(`"existing_id":${P.vol1.id}`)) leaks.push(['existing id', P.vol1.id]);
      if (leaks.length) problems.push(`${where} shows ${JSON.stringify(leaks)}`);
    }
  }
  // B's volunteer, for themself: no draft of A's in a self-report, nobody of A's certified
  for (const [method, url, body] of [
    ['POST', '/api/v1/records', { source: 'self_report', activity_id: A.draft, category_id: await S.categoryId(srv, 'community'), service_date: '2030-05-02', minutes: 30 }],
    ['POST', '/api/v1/certificates', { person_id: P.vol1.id, org_unit_id: A.org, from: '2030-01-01', to: '2030-05-02' }],
    ['POST', '/api/v1/certificates', { person_id: P.vol1.id, org_unit_id: B.org, from: '2030-01-01', to: '2030-05-02' }],
    ['POST', '/api/v1/help-requests', { person_id: P.resident.id, category_id: B.category, need: '越界', address: 'x' }],
  ]) {
    const res = await call(B.users.vol1, url, { method, body });
    const where = `bVolunteer: ${method} ${url} ${JSON.stringify(body)}`;
    if (res.status < 400 || res.status >= 500) problems.push(`${where} answered ${res.status}: ${res.text.slice(0, 300)}`);
    if (leaksOfA(res.text).length || res.text.includes('甲草稿')) problems.push(`${where} shows ${res.text.slice(0, 300)}`);
  }
  // dispatch suggestions for B's request name nobody of A (another district)
  const sug = await call(B.sw, `/api/v1/help-requests/${B.openHelp}/suggestions`);
  assert.equal(sug.status, 200, sug.text);
  assert.deepEqual(leaksOfA(sug.text), [], 'suggestions');
  // an import row with A's ID number is refused without saying whose it is
  const csv = `姓名,身份证号,手机\n冒名的人,${P.vol1.id_number},13900000001\n`;
  const imp = await fetch(`${srv.url}/api/v1/imports/people?community=${B.org}&dry_run=true`, {
    method: 'POST',
    headers: { ...B.admin.headers, 'Content-Type': 'text/csv; charset=utf-8', Origin: srv.url },
    body: csv,
  });
  const impText = await imp.text();
  assert.equal(imp.status, 200, impText);
  assert.deepEqual(leaksOfA(impText), [], impText);
  assert.ok(!new RegExp(`"(existing|person)_id":${P.vol1.id}\\b`).test(impText), impText);
  // a person with A's ID number is a duplicate, but B is not told who it is
  const dup = await call(B.admin, '/api/v1/people', { method: 'POST', body: { name: '重复的人', id_number: P.vol1.id_number, org_unit_id: B.org } });
  assert.equal(dup.status, 409, dup.text);
  assert.deepEqual(leaksOfA(dup.text), []);
  assert.ok(!dup.text.includes(`"existing_id":${P.vol1.id}`), dup.text);
  // the same name and phone as A's volunteer: no suspected duplicate from another community
  const twin = await call(B.admin, '/api/v1/people', { method: 'POST', body: { name: P.vol1.name, phone: P.vol1.phone, org_unit_id: B.org } });
  assert.equal(twin.status, 201, twin.text);
  assert.deepEqual(problems, []);
});
