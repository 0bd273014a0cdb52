// Fixtures for the help-request and inbox tests, on top of activity_fixtures.mjs.
//
// Accounts here are made straight in the running server's database (one sqlite3 or psql call for
// any number of them) with an API token each, so tests can act as fifty volunteers without
// fifty argon2 hashes: a user is {id, person, headers} and `as(user)` sends requests with
// its Authorization header. People and volunteers use activity_fixtures' makeVolunteers
// until the registry's people API is merged.
import { createHash, randomBytes } from 'node:crypto';
import * as F from './activity_fixtures.mjs';

export * from './activity_fixtures.mjs';

let seq = 0;

/**
 * Accounts with tokens. specs: [{name, person, grants: [[role, orgId]]}]. Returns users
 * {id, name, person, headers} in the same order.
 */
export async function tokenUsers(srv, specs) {
  const tag = `${process.pid}-${++seq}`;
  const lines = ['BEGIN;'];
  const tokens = [];
  specs.forEach((s, i) => {
    const name = `${s.name || 'u'}-${tag}-${i}`;
    const token = 'rx_test_' + randomBytes(16).toString('hex');
    const hash = createHash('sha256').update(token).digest('hex');
    tokens.push({ name, token });
    lines.push(
      `INSERT INTO users(username, display_name, person_id, password_hash, created_at, updated_at)` +
        ` VALUES('${name}', '${name}', ${s.person || 'NULL'}, '!', 0, 0);`,
      `INSERT INTO api_tokens(token_hash, user_id, name, created_at) VALUES('${hash}', (SELECT id FROM users WHERE username = '${name}'), 'test', 0);`,
    );
    for (const [role, org] of s.grants || []) {
      lines.push(
        `INSERT INTO role_grants(user_id, role, org_unit_id, created_at) SELECT id, '${role}', ${org}, 0 FROM users WHERE username = '${name}';`,
      );
    }
  });
  lines.push('COMMIT;');
  await F.exec(srv, lines.join('\n'));
  const ids = await F.rows(srv, `SELECT id, username FROM users WHERE username LIKE '%-${tag}-%'`);
  const byName = new Map(ids.map((r) => [r.username, r.id]));
  return tokens.map((t, i) => ({
    id: byName.get(t.name),
    name: t.name,
    person: specs[i].person || null,
    headers: { Authorization: `Bearer ${t.token}` },
  }));
}

export async function tokenUser(srv, spec) {
  return (await tokenUsers(srv, [spec]))[0];
}

/** Request helpers bound to a server: call(user, path, {method, body}) where user is a token
 * user, or {cookie} for a logged-in session. */
export function caller(srv) {
  return (user, path, opts = {}) =>
    F.api(srv.url, path, {
      ...opts,
      cookie: user && user.cookie,
      headers: { ...(user && user.headers), ...(opts.headers || {}) },
    });
}

/** An org unit under a parent through the API (as the admin). Returns its id. */
export async function makeOrg(srv, adminCookie, parentId, kind, name) {
  const r = await F.api(srv.url, '/api/v1/org-units', {
    method: 'POST',
    cookie: adminCookie,
    body: { parent_id: parentId, kind, name: `${name}-${++seq}` },
  });
  if (r.status !== 201) throw new Error(`org: ${r.status} ${r.text}`);
  return r.json.id;
}

/** Sets a person's columns (skills, availability, vulnerable flags, phone). */
export async function setPerson(srv, person, fields) {
  const sets = Object.entries(fields).map(([k, v]) => {
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    return `${k} = '${text.replace(/'/g, "''")}'`;
  });
  await F.exec(srv, `UPDATE people SET ${sets.join(', ')} WHERE id = ${person};`);
}
