// Two communities full of personal data, built through the API, for the scope walk
// (tests/api/scope_walk.test.mjs): in each, a community admin, a social worker, a team
// leader with a team, two volunteers and a vulnerable resident (ID numbers, phones), a Party
// branch with a member, a local service category, an activity (and a weekly series) with
// sign-ups and attendance, a confirmed and a pending record, a correction, the other Art. 19
// records, a help request with vulnerable flags, an issued certificate and inbox
// notifications. Accounts are API-token users (help_fixtures), so no argon2 per account.
import * as F from './help_fixtures.mjs';
import { residentId } from './registry.mjs';

export * from './help_fixtures.mjs';

async function ok(res, what, status = [200, 201]) {
  if (!status.includes(res.status)) throw new Error(`${what}: ${res.status} ${res.text}`);
  return res.json;
}

/**
 * Builds one community's world. `spec`: {org (name), tag, region (6 digits), names:
 * {leader, vol1, vol2, resident}, phone (8-digit prefix, e.g. '13811110'), vulnerable: {vol2,
 * resident, help} (flag lists)}. `admin` is the
 * built-in admin as {cookie}. Sets the test clock to 2030-05-01T08:00+08:00 and leaves it at
 * 2030-05-02T11:30+08:00.
 */
export async function buildCommunity(srv, admin, spec) {
  const call = F.caller(srv);
  await F.setClock(srv, admin.cookie, '2030-05-01T08:00:00+08:00');
  const org = await F.orgId(srv, spec.org);
  const W = { org, name: spec.org, tag: spec.tag };
  const [ca, sw] = await F.tokenUsers(srv, [
    { name: `${spec.tag}-admin`, grants: [['community_admin', org]] },
    { name: `${spec.tag}-sw`, grants: [['social_worker', org]] },
  ]);
  W.admin = ca;
  W.sw = sw;

  // people through the API, with ID numbers and phones; the resident is vulnerable, and so
  // is the second volunteer (the blind resident who joined the team)
  const mk = async (key, n, birth, sex, extra = {}) => {
    const body = {
      name: spec.names[key],
      id_number: residentId(spec.region, birth, n, sex),
      phone: `${spec.phone}${String(n).padStart(3, '0')}`,
      org_unit_id: org,
      political_status: '群众',
      ...extra,
    };
    const p = await ok(await call(ca, '/api/v1/people', { method: 'POST', body }), `person ${body.name}`);
    return { id: p.id, name: body.name, id_number: body.id_number, phone: body.phone, vulnerable: extra.vulnerable || [] };
  };
  W.people = {
    leader: await mk('leader', 11, '1968-04-12', 'M'),
    vol1: await mk('vol1', 12, '1975-09-23', 'F', { skills: ['家电维修'] }),
    vol2: await mk('vol2', 13, '1982-01-30', 'M', { vulnerable: spec.vulnerable.vol2 }),
    resident: await mk('resident', 14, '1941-11-02', 'F', { vulnerable: spec.vulnerable.resident }),
  };
  const P = W.people;
  W.volunteers = {};
  for (const k of ['leader', 'vol1', 'vol2']) {
    const v = await ok(await call(ca, `/api/v1/people/${P[k].id}/volunteer`, { method: 'POST', body: { registered_on: '2020-01-01' } }), `volunteer ${k}`);
    W.volunteers[k] = v;
  }

  // Party branch with the leader as secretary; the first volunteer a member
  W.branch = (await ok(await call(ca, '/api/v1/party-branches', {
    method: 'POST',
    body: { org_unit_id: org, kind: 'branch', name: `${spec.tag}测试党支部`, secretary_person_id: P.leader.id },
  }), 'branch')).id;
  await ok(await call(ca, `/api/v1/people/${P.vol1.id}/party-membership`, {
    method: 'PUT',
    body: { branch_id: W.branch, kind: 'full', since: '2010-07-01', employer_unit: `${spec.tag}某单位` },
  }), 'membership');

  // a local category and a team with its members
  const nationalParent = (await F.rows(srv, `SELECT id FROM service_categories WHERE code = 'community'`))[0].id;
  W.category = (await ok(await call(ca, '/api/v1/service-categories', {
    method: 'POST',
    body: { org_unit_id: org, parent_id: nationalParent, name: `${spec.tag}楼道清扫` },
  }), 'category')).id;
  W.team = (await ok(await call(ca, '/api/v1/teams', {
    method: 'POST',
    body: { org_unit_id: org, name: `${spec.tag}服务队`, branch_id: W.branch, leader_person_id: P.leader.id, category_id: W.category, description: '测试' },
  }), 'team')).id;
  W.members = {};
  for (const [k, role] of [['leader', 'leader'], ['vol1', 'member'], ['vol2', 'member']]) {
    const m = await ok(await call(ca, `/api/v1/teams/${W.team}/members`, {
      method: 'POST',
      body: { person_id: P[k].id, role, joined_on: '2020-01-01' },
    }), `member ${k}`);
    W.members[k] = m.id;
  }

  // accounts of the people (volunteers hold the volunteer role over their community)
  const [leader, vol1, vol2, resident] = await F.tokenUsers(srv, [
    { name: `${spec.tag}-leader`, person: P.leader.id, grants: [['volunteer', org]] },
    { name: `${spec.tag}-vol1`, person: P.vol1.id, grants: [['volunteer', org]] },
    { name: `${spec.tag}-vol2`, person: P.vol2.id, grants: [['volunteer', org]] },
    { name: `${spec.tag}-resident`, person: P.resident.id },
  ]);
  W.users = { leader, vol1, vol2, resident };

  // an activity: both volunteers sign up, attend; the first one's record is confirmed
  const act = await ok(await call(leader, '/api/v1/activities', {
    method: 'POST',
    body: {
      team_id: W.team, title: `${spec.tag}清扫家园`, capacity: 10, status: 'published', venue: '3号楼',
      starts_at: '2030-05-02T09:00:00+08:00', ends_at: '2030-05-02T11:00:00+08:00',
    },
  }), 'activity');
  W.activity = act.id;
  W.signups = {};
  for (const k of ['vol1', 'vol2']) {
    const s = await ok(await call(W.users[k], `/api/v1/activities/${W.activity}/signups`, { method: 'POST', body: {} }), `signup ${k}`);
    W.signups[k] = s.id;
  }
  // a weekly series (its id for /activity-series/{id}); a draft activity nobody else sees
  const series = await ok(await call(leader, '/api/v1/activities', {
    method: 'POST',
    body: {
      team_id: W.team, title: `${spec.tag}四点钟课堂`, capacity: 5, status: 'published',
      recurrence: { weekdays: [1, 4], start_time: '16:00', end_time: '17:30', from: '2030-05-06', until: '2030-05-20' },
    },
  }), 'series');
  W.series = series.series_id ?? series.items?.[0]?.series_id ?? series.series?.id;
  W.draft = (await ok(await call(leader, '/api/v1/activities', {
    method: 'POST',
    body: { team_id: W.team, title: `${spec.tag}草稿`, capacity: 5, starts_at: '2030-06-02T09:00:00+08:00', ends_at: '2030-06-02T10:00:00+08:00' },
  }), 'draft')).id;

  await F.setClock(srv, admin.cookie, '2030-05-02T11:30:00+08:00');
  W.records = {};
  for (const k of ['vol1', 'vol2']) {
    for (const [action, at] of [['checkin', '2030-05-02T09:00:00+08:00'], ['checkout', '2030-05-02T11:00:00+08:00']]) {
      const m = await ok(await call(leader, `/api/v1/activities/${W.activity}/attendance`, {
        method: 'POST',
        body: { person_id: P[k].id, action, at, reason: '按名单' },
      }), `attendance ${k} ${action}`);
      if (action === 'checkout') W.records[k] = m.record.id;
    }
  }
  await ok(await call(ca, `/api/v1/records/${W.records.vol1}/confirm`, { method: 'POST', body: {} }), 'confirm');
  // the first volunteer disputes the confirmed record (pending correction)
  const cor = await ok(await call(vol1, `/api/v1/records/${W.records.vol1}/corrections`, {
    method: 'POST',
    body: { minutes: 150, reason: '提前到场布置' },
  }), 'correction');
  W.correction = cor.id ?? cor.correction?.id;

  // the other Art. 19 records
  W.file = {};
  for (const [kind, text] of [['training', '急救培训'], ['awards', '优秀志愿者'], ['evaluations', '认真负责'], ['complaints', '迟到一次']]) {
    W.file[kind] = (await ok(await call(ca, `/api/v1/people/${P.vol1.id}/${kind}`, {
      method: 'POST',
      body: { date: '2030-05-02', issuer: `${spec.tag}社区`, text: `${spec.tag}${text}` },
    }), kind)).id;
  }

  // a help request from the vulnerable resident, dispatched to the first volunteer
  const help = await ok(await call(resident, '/api/v1/help-requests', {
    method: 'POST',
    body: {
      category_id: W.category, need: `${spec.tag}下水道堵了`, address: `${spec.tag}3号楼2单元101`,
      contact_phone: P.resident.phone, vulnerable: spec.vulnerable.help,
    },
  }), 'help request');
  W.help = help.id;
  await ok(await call(sw, `/api/v1/help-requests/${W.help}/dispatch`, { method: 'POST', body: { person_id: P.vol1.id } }), 'dispatch');
  // and one open for the community's volunteers to take (抢单)
  W.openHelp = (await ok(await call(resident, '/api/v1/help-requests', {
    method: 'POST',
    body: { category_id: W.category, need: `${spec.tag}灯泡坏了`, address: `${spec.tag}5号楼302`, contact_phone: P.resident.phone, vulnerable: spec.vulnerable.help },
  }), 'open request')).id;
  await ok(await call(sw, `/api/v1/help-requests/${W.openHelp}/open`, { method: 'POST', body: {} }), 'open');
  W.addresses = [`${spec.tag}3号楼2单元101`, `${spec.tag}5号楼302`];

  // a certificate for the first volunteer, issued
  const cert = await ok(await call(ca, '/api/v1/certificates', {
    method: 'POST',
    body: { person_id: P.vol1.id, org_unit_id: org, from: '2030-01-01', to: '2030-05-02', issue: true, person_in_charge: '负责人' },
  }), 'certificate');
  W.certificate = cert;

  // the first volunteer's inbox (record confirmed, request dispatched)
  const inbox = await ok(await call(vol1, '/api/v1/inbox?limit=200'), 'inbox');
  if (!inbox.items.length) throw new Error('no notifications for the volunteer');
  W.notification = inbox.items[0].id;
  return W;
}
