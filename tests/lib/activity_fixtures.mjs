// Fixtures for the activity, sign-up, check-in and record tests: a server with the test
// clock and long sessions, accounts with roles, people, volunteers and teams.
//
// Teams go through the teams API. People and volunteers are written straight into the
// running server's database with the sqlite3 CLI (WAL lets it share the file), or psql on
// PostgreSQL, and accounts
// with `rexin user`: a stop-gap until the registry's people API is merged.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { api, login, rexinBin, startServer } from './server.mjs';

const run = promisify(execFile);

export const TEST_PASSWORD = 'volunteer-pw-1';

/** A server with the test clock on and sessions that survive clock moves. */
export async function startActivityServer(extraArgs = []) {
  return startServer({
    env: { REXIN_TEST_CLOCK: '1' },
    args: ['--session-idle', '1000000000', '--session-max', '1000000000', ...extraArgs],
  });
}

function dbPath(srv) {
  return path.join(srv.dataDir, 'rexin.db');
}

// execFile with input: promisify does not pass stdin, so write through a child.
function sqliteIn(args, input) {
  return new Promise((resolve, reject) => {
    const child = execFile('sqlite3', args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`sqlite3 failed: ${stderr || err.message}`));
      else resolve(stdout);
    });
    child.stdin.end(input);
  });
}

// psql when the server runs on PostgreSQL (tests/pg/run.sh): the same portable SQL.
function psqlIn(srv, input) {
  return new Promise((resolve, reject) => {
    const args = ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', srv.dbUrl];
    const child = execFile(process.env.REXIN_TEST_PSQL || 'psql', args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`psql failed: ${stderr || err.message}`));
      else resolve(stdout);
    });
    child.stdin.end(input);
  });
}

/** Rows of a query as objects. */
export async function rows(srv, query) {
  if (srv.dbUrl) {
    // A CTE takes SELECTs and INSERT/UPDATE ... RETURNING alike.
    const out = await psqlIn(srv, `WITH q AS (${query.replace(/;\s*$/, '')}) SELECT COALESCE(json_agg(q), '[]') FROM q;`);
    return JSON.parse(out.trim());
  }
  const out = await sqliteIn(['-json', '-cmd', '.timeout 10000', dbPath(srv)], query);
  return out.trim() ? JSON.parse(out) : [];
}

/** Runs statements (write). */
export async function exec(srv, text) {
  if (srv.dbUrl) return psqlIn(srv, text);
  return sqliteIn(['-bail', '-cmd', '.timeout 10000', dbPath(srv)], text);
}

export async function orgId(srv, name) {
  const r = await rows(srv, `SELECT id FROM org_units WHERE name = '${name.replace(/'/g, "''")}'`);
  if (!r.length) throw new Error(`no org unit ${name}`);
  return r[0].id;
}

export async function categoryId(srv, code) {
  const r = await rows(srv, `SELECT id FROM service_categories WHERE code = '${code}'`);
  return r[0].id;
}

let seq = 0;
/**
 * Creates people who are active volunteers. opts: {org, n, birth_date, skills, prefix}.
 * Returns their ids in creation order.
 */
export async function makeVolunteers(srv, { org, n = 1, birth_date = '1980-01-01', skills = [], prefix = 'vol' } = {}) {
  const tag = `${prefix}-${process.pid}-${++seq}`;
  const lines = ['BEGIN;'];
  const sk = JSON.stringify(skills).replace(/'/g, "''");
  for (let i = 0; i < n; i++) {
    const name = `${tag}-${i}`;
    // Under 18 on the registration date needs a guardian and consent on record (the
    // database refuses it otherwise, migration 0004): an adult made alongside.
    const minor = birth_date && birth_date > '2002-01-01';
    if (minor)
      lines.push(
        `INSERT INTO people(org_unit_id, name, name_norm, birth_date, created_at, updated_at)` +
          ` VALUES(${org}, 'guardian-${name}', 'guardian-${name}', '1970-01-01', 0, 0);`,
      );
    lines.push(
      `INSERT INTO people(org_unit_id, name, name_norm, birth_date, skills, created_at, updated_at)` +
        ` VALUES(${org}, '${name}', '${name}', ${birth_date ? `'${birth_date}'` : 'NULL'}, '${sk}', 0, 0);`,
      `INSERT INTO volunteers(person_id, volunteer_no, org_unit_id, registered_on, guardian_person_id, guardian_consent_on, created_at, updated_at)` +
        ` VALUES((SELECT id FROM people WHERE name = '${name}'), 'V${tag}-${i}', ${org}, '2020-01-01',` +
        (minor ? ` (SELECT id FROM people WHERE name = 'guardian-${name}'), '2020-01-01',` : ' NULL, NULL,') +
        ` 0, 0);`,
    );
  }
  lines.push('COMMIT;');
  await exec(srv, lines.join('\n'));
  const r = await rows(srv, `SELECT id FROM people WHERE name LIKE '${tag}-%' ORDER BY id`);
  return r.map((x) => x.id);
}

/** A team in a community through the teams API (as `cookie`, who must manage teams there);
 * members: [{person, role}] (leader, deputy or member), joined on 2020-01-01. */
export async function makeTeam(srv, cookie, { org, name, category = null, members = [] }) {
  const t = await api(srv.url, '/api/v1/teams', {
    method: 'POST',
    cookie,
    body: { org_unit_id: org, name: `${name}-${++seq}`, ...(category ? { category_id: category } : {}) },
  });
  if (t.status !== 201) throw new Error(`create team: ${t.status} ${t.text}`);
  for (const m of members) {
    const r = await api(srv.url, `/api/v1/teams/${t.json.id}/members`, {
      method: 'POST',
      cookie,
      body: { person_id: m.person, role: m.role || 'member', joined_on: '2020-01-01' },
    });
    if (r.status !== 201) throw new Error(`add member: ${r.status} ${r.text}`);
  }
  return t.json.id;
}

/** Makes a Party member of a person from `since` (a branch in their community is created). */
export async function makePartyMember(srv, person, org, since = '2000-01-01', until = null) {
  const branch = `b-${person}-${++seq}`;
  await exec(
    srv,
    `INSERT INTO party_branches(org_unit_id, kind, name, created_at, updated_at) VALUES(${org}, 'branch', '${branch}', 0, 0);
     INSERT INTO party_memberships(person_id, branch_id, kind, since, until, created_at)
       VALUES(${person}, (SELECT id FROM party_branches WHERE org_unit_id = ${org} AND name = '${branch}'), 'full', '${since}', ${until ? `'${until}'` : 'NULL'}, 0);`,
  );
}

/**
 * An account (via `rexin user add/grant`), optionally linked to a person, logged in.
 * grants: [[role, orgId]]. Returns the session cookie.
 */
export async function makeUser(srv, username, { grants = [], person = null } = {}) {
  const env = { ...process.env, REXIN_PASSWORD: TEST_PASSWORD };
  const bin = rexinBin();
  await run(bin, ['user', 'add', username, '--data', srv.dataDir], { env });
  for (const [role, org] of grants) await run(bin, ['user', 'grant', username, role, String(org), '--data', srv.dataDir], { env });
  if (person) await exec(srv, `UPDATE users SET person_id = ${person} WHERE username = '${username}';`);
  return login(srv.url, username, TEST_PASSWORD);
}

/** Sets the server's clock (test clock route) as the admin. */
export async function setClock(srv, adminCookie, iso) {
  const r = await api(srv.url, '/api/v1/test/clock', { method: 'PUT', body: { now: iso }, cookie: adminCookie });
  if (r.status !== 200) throw new Error(`clock: ${r.status} ${r.text}`);
  return r.json;
}

/** Creates an activity (as `cookie`); fields override sensible defaults. Returns the JSON. */
export async function makeActivity(srv, cookie, fields) {
  const r = await api(srv.url, '/api/v1/activities', {
    method: 'POST',
    cookie,
    body: { title: '清扫家园', capacity: 10, status: 'published', ...fields },
  });
  if (r.status !== 201) throw new Error(`create activity: ${r.status} ${r.text}`);
  return r.json;
}

export { api, login };
