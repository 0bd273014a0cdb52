// Who is signed in: the answer of GET /api/v1/me, loaded once and shared by all screens.
// The router guard calls loadMe(); a 401 means nobody is signed in.
import { reactive } from 'vue';
import { sessionApi } from '@/api/client';

export const session = reactive({
  me: null, // {id, username, display_name, person_id, roles: [{role, org_unit_id, org_unit_name}]}
  loaded: false, // true once /me answered (with a user or 401)
  error: null, // the ApiError of the last failed /me, other than 401
});

let pending = null;

/** Resolves with the user or null (not signed in); rejects on other errors. */
export function loadMe({ force = false } = {}) {
  if (session.loaded && !force) return Promise.resolve(session.me);
  if (pending) return pending;
  pending = sessionApi
    .me()
    .then((me) => {
      session.me = me;
      session.loaded = true;
      session.error = null;
      return me;
    })
    .catch((err) => {
      if (err && err.status === 401) {
        session.me = null;
        session.loaded = true;
        session.error = null;
        return null;
      }
      session.error = err;
      throw err;
    })
    .finally(() => {
      pending = null;
    });
  return pending;
}

export async function login(loginName, password) {
  const res = await sessionApi.login(loginName, password);
  forget();
  return res;
}

/** Ends the session on the server; a session that already expired counts as ended. */
export async function logout() {
  try {
    await sessionApi.logout();
  } catch (err) {
    if (!err || err.status !== 401) throw err;
  }
  forget();
}

/** Drop what we know, e.g. after a 401 from any call. */
export function forget() {
  session.me = null;
  session.loaded = false;
}

/** Whether the user holds one of `roles`; the pseudo-role 'person' means "the account is
 * linked to a person" (a volunteer's own pages: star level, certificates). */
export function hasAnyRole(roles) {
  if (!roles) return true;
  if (roles.includes('person') && session.me?.person_id) return true;
  const mine = session.me?.roles || [];
  return mine.some((r) => roles.includes(r.role));
}

/** The org units where the user holds one of `roles`, broadest first (city before district…). */
const KIND_RANK = { city: 0, district: 1, street: 2, community: 3, venue: 4 };
export function unitsWithRoles(roles) {
  const seen = new Map();
  for (const r of session.me?.roles || []) {
    if (!roles.includes(r.role) || seen.has(r.org_unit_id)) continue;
    seen.set(r.org_unit_id, { id: r.org_unit_id, name: r.org_unit_name, kind: r.org_unit_kind, role: r.role });
  }
  return [...seen.values()].sort((a, b) => (KIND_RANK[a.kind] ?? 9) - (KIND_RANK[b.kind] ?? 9) || a.id - b.id);
}
