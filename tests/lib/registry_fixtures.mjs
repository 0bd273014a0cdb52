// registry_fixtures.mjs: rows owned by the people module (people, Party membership,
// volunteers) written straight into a running server's database with the sqlite3 CLI, so
// the org/team tests do not depend on that module's API. Only columns of migration 0002.
// Also: accounts with roles through the CLI, and a stop that checks sanitizer output.
import { execFileSync } from 'node:child_process';
import { rexinBin, login, serverSql } from './server.mjs';

// Runs the rexin CLI against the server's data dir.
export function cli(srv, args, env = {}) {
  return execFileSync(rexinBin(), [...args, '--data', srv.dataDir], { env: { ...process.env, ...env }, encoding: 'utf8' });
}

// Creates an account with one role over an org unit (id, code or name) and logs it in;
// the password is 'pw-<name>-123'.
export async function userWithRole(srv, name, role, org) {
  const password = 'pw-' + name + '-123';
  cli(srv, ['user', 'add', name], { REXIN_PASSWORD: password });
  cli(srv, ['user', 'grant', name, role, String(org)]);
  return login(srv.url, name, password);
}

// Stops the server and fails loudly when a sanitizer reported anything (leaks are
// reported at exit, into its stderr).
export async function stopChecked(srv) {
  await srv.stop();
  const err = srv.stderr();
  if (/Sanitizer|runtime error:/.test(err)) throw new Error('sanitizer report:\n' + err);
}

// sqlite3 on the data dir, or psql when the server runs on PostgreSQL (tests/pg/run.sh).
export function sql(srv, text) {
  return serverSql(srv, text);
}

const q = (s) => (s === null || s === undefined ? 'NULL' : `'${String(s).replace(/'/g, "''")}'`);

export function person(srv, orgId, name, { skills = [], interests = [] } = {}) {
  return Number(sql(srv, `INSERT INTO people(org_unit_id, name, name_norm, skills, interests, created_at, updated_at)
    VALUES(${orgId}, ${q(name)}, ${q(name)}, ${q(JSON.stringify(skills))}, ${q(JSON.stringify(interests))}, 0, 0) RETURNING id;`));
}

export function partyMember(srv, personId, branchId, { since = '2010-07-01', until = null } = {}) {
  return Number(sql(srv, `INSERT INTO party_memberships(person_id, branch_id, kind, since, until, created_at)
    VALUES(${personId}, ${branchId}, 'full', ${q(since)}, ${q(until)}, 0) RETURNING id;`));
}

export function volunteer(srv, personId, orgId, number) {
  return Number(sql(srv, `INSERT INTO volunteers(person_id, volunteer_no, org_unit_id, registered_on, created_at, updated_at)
    VALUES(${personId}, ${q(number)}, ${orgId}, '2020-01-01', 0, 0) RETURNING id;`));
}
