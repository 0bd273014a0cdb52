// Helpers for the registry tests (people, import): users with roles through the CLI, org
// unit ids by name, Party branches, and valid resident ID numbers made on the spot.
import { spawnSync } from 'node:child_process';
import { api, login, rexinBin, serverSql } from './server.mjs';

/** Runs `rexin ARGS --data DIR` synchronously; returns {status, stdout, stderr}. */
export function rexin(srv, args, { env = {}, input } = {}) {
  const r = spawnSync(rexinBin(), [...args, '--data', srv.dataDir], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    input,
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** One SQL statement against the live database (test set-up only): sqlite3, or psql when
 * the server runs on PostgreSQL (serverSql in server.mjs). */
export function sql(srv, statement) {
  try {
    return serverSql(srv, statement);
  } catch (e) {
    throw new Error(`${srv.dbUrl ? 'psql' : 'sqlite3'}: ${e.stderr || e.message}`);
  }
}

export function orgId(srv, name) {
  const id = Number(sql(srv, `SELECT id FROM org_units WHERE name = '${name.replace(/'/g, "''")}' ORDER BY id LIMIT 1`));
  if (!id) throw new Error(`no org unit ${name}`);
  return id;
}

/** A Party branch attached to the org unit (name), made through the API; returns its id. */
export async function makeBranch(srv, cookie, orgName, name) {
  const res = await api(srv.url, '/api/v1/party-branches', {
    method: 'POST',
    body: { org_unit_id: orgId(srv, orgName), kind: 'branch', name },
    cookie,
  });
  if (res.status !== 201) throw new Error(`party branch: ${res.status} ${res.text}`);
  return res.json.id;
}

/** Creates a user holding `role` over org unit `org` (name) and logs in; returns the cookie. */
export async function userWithRole(srv, username, role, org) {
  const env = { REXIN_PASSWORD: 'test-password-1' };
  let r = rexin(srv, ['user', 'add', username], { env });
  if (r.status !== 0) throw new Error(`user add: ${r.stderr}`);
  r = rexin(srv, ['user', 'grant', username, role, org]);
  if (r.status !== 0) throw new Error(`user grant: ${r.stderr}`);
  return login(srv.url, username, 'test-password-1');
}

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** The GB 11643 check character of 17 digits. */
export function checkChar(d17) {
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(d17[i]) * W[i];
  return '10X98765432'[s % 11];
}

/** A valid resident ID: region (6 digits), birth 'YYYY-MM-DD', sequence 0..99, sex 'M'|'F'. */
export function residentId(region, birth, seq, sex) {
  const d17 = `${region}${birth.replace(/-/g, '')}${String(seq).padStart(2, '0')}${sex === 'M' ? 1 : 2}`;
  return d17 + checkChar(d17);
}

/** 'YYYY-MM-DD' of the date `years` years before today (Beijing), on June 1st. */
export function yearsAgo(years) {
  const now = new Date(Date.now() + 8 * 3600 * 1000);
  return `${now.getUTCFullYear() - years}-06-01`;
}

/** 'YYYY-MM-DD' of the day `n` days before today in Beijing. */
export function daysAgo(n) {
  return new Date(Date.now() + 8 * 3600 * 1000 - n * 86400 * 1000).toISOString().slice(0, 10);
}
