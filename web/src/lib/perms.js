// What each role may do, mirrored from the server's permission matrix (src/domain/roles.c)
// so screens can hide buttons a person cannot use. The server still decides: a hidden
// button only saves a 403.
import { session } from './session';

export const PERM = {
  READ_ORG: 'read_org',
  MANAGE_ORG: 'manage_org',
  READ_PEOPLE: 'read_people',
  MANAGE_PEOPLE: 'manage_people',
  SENSITIVE: 'sensitive',
  MANAGE_TEAMS: 'manage_teams',
  DISPATCH: 'dispatch',
  CONFIRM_RECORDS: 'confirm_records',
  REPORTS: 'reports',
};

const P = PERM;
const MATRIX = {
  resident: [],
  volunteer: [P.READ_ORG],
  team_leader: [P.READ_ORG, P.CONFIRM_RECORDS],
  social_worker: [P.READ_ORG, P.READ_PEOPLE, P.MANAGE_PEOPLE, P.SENSITIVE, P.DISPATCH, P.REPORTS],
  community_admin: [
    P.READ_ORG,
    P.MANAGE_ORG,
    P.READ_PEOPLE,
    P.MANAGE_PEOPLE,
    P.SENSITIVE,
    P.MANAGE_TEAMS,
    P.DISPATCH,
    P.CONFIRM_RECORDS,
    P.REPORTS,
  ],
  street_admin: [P.READ_ORG, P.MANAGE_ORG, P.READ_PEOPLE, P.MANAGE_PEOPLE, P.MANAGE_TEAMS, P.DISPATCH, P.CONFIRM_RECORDS, P.REPORTS],
  district_admin: [P.READ_ORG, P.MANAGE_ORG, P.READ_PEOPLE, P.MANAGE_PEOPLE, P.MANAGE_TEAMS, P.REPORTS],
  city_admin: [P.READ_ORG, P.MANAGE_ORG, P.READ_PEOPLE, P.MANAGE_PEOPLE, P.MANAGE_TEAMS, P.REPORTS],
  auditor: [P.READ_ORG, P.READ_PEOPLE, P.REPORTS],
};

/** The roles that carry a permission (for lib/areas.js). */
export function rolesWith(perm) {
  return Object.keys(MATRIX).filter((r) => MATRIX[r].includes(perm));
}

/** Org unit ids "/1/3/11/" -> [1, 3, 11]. */
export function pathIds(path) {
  return String(path || '')
    .split('/')
    .filter(Boolean)
    .map(Number);
}

/** Whether the signed-in person holds perm anywhere (no node) or over a node with this path. */
export function can(perm, path) {
  const roles = session.me?.roles || [];
  const ids = path === undefined ? null : pathIds(path);
  return roles.some((r) => (MATRIX[r.role] || []).includes(perm) && (!ids || ids.includes(r.org_unit_id)));
}

/** The org units the person's roles with perm cover (may nest; the caller resolves that). */
export function scopeUnitIds(perm) {
  const roles = session.me?.roles || [];
  const ids = roles.filter((r) => (MATRIX[r.role] || []).includes(perm)).map((r) => r.org_unit_id);
  return [...new Set(ids)];
}
