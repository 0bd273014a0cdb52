// Fixtures for the dashboard browser test: a city with volunteers in five communities of the
// demo tree, in their teams since dates spread over three years, and a few hundred service
// records through the records API (entered and confirmed by community staff), so that every
// figure, chart and ranking has something to show. Deterministic: the same records each run.
//
//   node tests/lib/dashboard_fixtures.mjs      starts a seeded server and keeps it running
//                                              (for looking at the dashboard by hand)
import { api, exec, rows, orgId, makeVolunteers, makeUser, TEST_PASSWORD } from './activity_fixtures.mjs';

const NAMES = [
  '张淑芬', '李建国', '王秀兰', '刘志强', '陈桂英', '杨德明', '赵玉梅', '黄国华', '周丽娟', '吴建军',
  '徐凤英', '孙立新', '马秀珍', '朱红梅', '胡永胜', '郭爱民', '何金花', '高振华', '林春燕', '罗海涛',
  '梁淑珍', '宋文斌', '郑桂兰', '谢国强', '韩美玲', '唐志刚', '冯秀英', '于建华', '董玉兰', '萧德胜',
];

// community -> [category codes of its records besides its teams' own]
const COMMUNITIES = [
  { name: '代书胡同社区', n: 8, extra: ['cleaning', 'patrol', 'elder_care'] },
  { name: '西堡社区', n: 6, extra: ['cleaning', 'patrol', 'resident_help'] },
  { name: '荣华社区', n: 7, extra: ['elder_care', 'haircut', 'mediation', 'traffic_assist'] },
  { name: '英协社区', n: 5, extra: ['special_groups', 'cleaning'] },
  { name: '平等街社区', n: 4, extra: ['haircut', 'massage'] },
];

/** A small deterministic random number generator (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n) => String(n).padStart(2, '0');

/** Runs fn over items with at most `n` at a time. */
async function pool(items, n, fn) {
  let i = 0;
  const worker = async () => {
    while (i < items.length) {
      const k = i++;
      await fn(items[k], k);
    }
  };
  await Promise.all(Array.from({ length: n }, worker));
}

/**
 * Seeds the server; `today` (YYYY-MM-DD) bounds the service dates. Returns
 * {city, communities: {name: id}, staff: cookie of a staff account over all five,
 *  volunteer: {person, username, password}, chensi: {username, password}}.
 */
export async function seedDashboard(srv, { today = new Date().toISOString().slice(0, 10), records = 260 } = {}) {
  const rand = rng(20260101);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const city = await orgId(srv, '郑州市');
  const ids = {};
  for (const c of COMMUNITIES) ids[c.name] = await orgId(srv, c.name);

  // staff: one account over all five communities enters and confirms the records
  const staff = await makeUser(srv, 'dash-staff', { grants: COMMUNITIES.map((c) => ['community_admin', ids[c.name]]) });
  // 陈思, the Party secretary of 代书胡同社区, issues its certificates in the browser
  await makeUser(srv, 'chensi', { grants: [['community_admin', ids['代书胡同社区']]] });

  const people = []; // {id, org, party}
  let ni = 0;
  for (const c of COMMUNITIES) {
    const vs = await makeVolunteers(srv, { org: ids[c.name], n: c.n, prefix: `dash-${c.n}` });
    for (const id of vs) people.push({ id, org: ids[c.name], name: NAMES[ni++ % NAMES.length] });
  }
  const sql = ['BEGIN;'];
  for (const p of people) {
    sql.push(`UPDATE people SET name = '${p.name}', name_norm = '${p.name}' WHERE id = ${p.id};`);
    sql.push(`UPDATE volunteers SET volunteer_no = '${41010000 + p.id * 7}' WHERE person_id = ${p.id};`);
  }
  // about half of them Party members, in their community's branch
  for (const [i, p] of people.entries()) {
    if (i % 2 === 0) {
      p.party = true;
      sql.push(
        `INSERT INTO party_memberships(person_id, branch_id, kind, since, created_at)
         SELECT ${p.id}, id, 'full', '1998-07-01', 0 FROM party_branches WHERE org_unit_id = ${p.org} ORDER BY id LIMIT 1;`,
      );
    }
  }
  sql.push('COMMIT;');
  await exec(srv, sql.join('\n'));

  // teams of the demo tree, with members joining over three years
  const teams = await rows(srv, `SELECT t.id, t.org_unit_id AS org, c.code FROM teams t LEFT JOIN service_categories c ON c.id = t.category_id ORDER BY t.id`);
  const byOrg = (org) => teams.filter((t) => t.org === org);
  const year = Number(today.slice(0, 4));
  const memberships = [];
  for (const [i, p] of people.entries()) {
    const own = byOrg(p.org);
    if (!own.length) continue;
    p.team = own[i % own.length];
    const y = year - 2 + (i % 3);
    const m = 1 + ((i * 5) % 11);
    memberships.push({ team: p.team.id, person: p.id, joined_on: `${y}-${pad(m)}-${pad(1 + (i % 27))}` });
  }
  await pool(memberships, 4, async (m) => {
    const r = await api(srv.url, `/api/v1/teams/${m.team}/members`, {
      method: 'POST',
      cookie: staff,
      body: { person_id: m.person, role: 'member', joined_on: m.joined_on },
    });
    if (r.status !== 201) throw new Error(`join team: ${r.status} ${r.text}`);
  });

  // categories by code
  const cats = {};
  for (const r of await rows(srv, 'SELECT id, code FROM service_categories')) cats[r.code] = r.id;

  // records: more in recent months, each on its own day for its volunteer
  const used = new Set();
  const plan = [];
  const start = Date.UTC(year - 2, 0, 1);
  const end = Date.parse(`${today}T00:00:00Z`);
  for (let k = 0; k < records; k++) {
    const p = people[Math.floor(rand() * people.length)];
    if (!p.team) continue;
    // skew towards this year: two in three records fall in it
    const from = rand() < 0.66 ? Date.UTC(year, 0, 1) : start;
    const when = new Date(from + Math.floor(rand() * ((end - from) / 86400000 + 1)) * 86400000);
    const date = `${when.getUTCFullYear()}-${pad(when.getUTCMonth() + 1)}-${pad(when.getUTCDate())}`;
    if (used.has(`${p.id}/${date}`)) continue;
    used.add(`${p.id}/${date}`);
    const c = COMMUNITIES.find((x) => ids[x.name] === p.org);
    const code = rand() < 0.55 && p.team.code ? p.team.code : pick(c.extra);
    plan.push({
      person_id: p.id,
      team_id: p.team.id,
      category_id: cats[code],
      service_date: date,
      minutes: 30 * (1 + Math.floor(rand() * 6)),
      people_served: Math.floor(rand() * 12),
    });
  }
  // three model volunteers of 代书胡同社区 with long days of service this year: they pass
  // the first star level (100 hours) in it
  const models = people.filter((p) => p.org === ids['代书胡同社区'] && p.team).slice(0, 3);
  for (const [mi, p] of models.entries()) {
    for (let d = 0; d < 24 - mi * 4; d++) {
      const when = new Date(Date.UTC(year, 0, 3) + d * 12 * 86400000 + mi * 86400000);
      if (when.getTime() > end) break;
      const date = `${when.getUTCFullYear()}-${pad(when.getUTCMonth() + 1)}-${pad(when.getUTCDate())}`;
      if (used.has(`${p.id}/${date}`)) continue;
      used.add(`${p.id}/${date}`);
      plan.push({
        person_id: p.id,
        team_id: p.team.id,
        category_id: cats[p.team.code] || cats.resident_help,
        service_date: date,
        minutes: 420 + 30 * (d % 3),
        people_served: 6 + (d % 5),
      });
    }
  }
  await pool(plan, 4, async (body) => {
    const r = await api(srv.url, '/api/v1/records', { method: 'POST', cookie: staff, body: { source: 'team_entry', ...body } });
    if (r.status !== 201) throw new Error(`record: ${r.status} ${r.text}`);
    const c = await api(srv.url, `/api/v1/records/${r.json.id}/confirm`, { method: 'POST', cookie: staff });
    if (c.status !== 200) throw new Error(`confirm: ${c.status} ${c.text}`);
  });

  // performances held by 书梦艺术团 and 党员老妈妈服务队: 场次 and their audiences
  const troupes = await rows(srv, `SELECT id FROM teams WHERE name IN ('书梦艺术团', '党员老妈妈服务队') ORDER BY id`);
  const shows = [];
  for (const [ti, tm] of troupes.entries()) {
    for (let k = 0; k < 14; k++) {
      const when = new Date(Date.UTC(year - 2, 1 + ti, 10) + k * 62 * 86400000);
      if (when.getTime() > end - 86400000) break;
      shows.push({ team: tm.id, day: when.toISOString().slice(0, 10), audience: 60 + Math.floor(rand() * 180) });
    }
  }
  await pool(shows, 4, async (s) => {
    const a = await api(srv.url, '/api/v1/activities', {
      method: 'POST',
      cookie: staff,
      body: {
        team_id: s.team,
        title: '社区文艺汇演',
        kind: 'performance',
        status: 'published',
        capacity: 40,
        starts_at: `${s.day}T15:00:00+08:00`,
        ends_at: `${s.day}T17:00:00+08:00`,
      },
    });
    if (a.status !== 201) throw new Error(`performance: ${a.status} ${a.text}`);
    const f = await api(srv.url, `/api/v1/activities/${a.json.id}/finish`, { method: 'POST', cookie: staff, body: { audience: s.audience } });
    if (f.status !== 200) throw new Error(`finish: ${f.status} ${f.text}`);
  });

  // a model volunteer of 代书胡同社区 with an account of their own
  const volunteer = models[0];
  await makeUser(srv, 'dash-volunteer', { person: volunteer.id });

  return {
    city,
    communities: ids,
    staff,
    records: plan.length,
    sessions: shows.length,
    volunteer: { person: volunteer.id, name: volunteer.name, username: 'dash-volunteer', password: TEST_PASSWORD },
    chensi: { username: 'chensi', password: TEST_PASSWORD },
  };
}

// By hand: a seeded server that stays up.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { startServer } = await import('./server.mjs');
  const web = process.env.REXIN_WEB_DIR ? ['--web', process.env.REXIN_WEB_DIR] : [];
  const srv = await startServer({
    args: ['--session-idle', '1000000000', '--session-max', '1000000000', '--daily-cap-minutes', '1440', ...web],
  });
  const t0 = Date.now();
  const s = await seedDashboard(srv);
  console.log(`${srv.url}  (data ${srv.dataDir}; ${s.records} records in ${Date.now() - t0} ms)`);
  console.log(`admin / admin-test-pw-1, chensi / ${TEST_PASSWORD}, dash-volunteer / ${TEST_PASSWORD}`);
  process.on('SIGINT', async () => {
    await srv.stop();
    process.exit(0);
  });
}

