// Where a person's view of the org tree starts: the units their roles cover, minus those
// already under another of them. Org units are cached for breadcrumbs (names rarely change;
// screens that change one call forgetUnit).
import { orgApi } from '@/api/client';
import { PERM, pathIds, scopeUnitIds } from './perms';
import { session } from './session';

const units = new Map(); // id -> Promise<OrgUnit|null>
let rootsFor = null;
let rootsPromise = null;

/** One org unit, or null when it is out of scope (404/403). Other errors reject. */
export function getUnit(id) {
  id = Number(id);
  if (!units.has(id)) {
    const p = orgApi.get(id).catch((err) => {
      units.delete(id);
      if (err.status === 404 || err.status === 403) return null;
      throw err;
    });
    units.set(id, p);
  }
  return units.get(id);
}

export function rememberUnit(unit) {
  if (unit && unit.id) units.set(unit.id, Promise.resolve(unit));
}

export function forgetUnit(id) {
  units.delete(Number(id));
  rootsFor = null;
}

/** The top units of the person's scope, sorted by path. */
export function scopeRoots() {
  if (rootsPromise && rootsFor === session.me) return rootsPromise;
  rootsFor = session.me;
  rootsPromise = (async () => {
    const found = (await Promise.all(scopeUnitIds(PERM.READ_ORG).map(getUnit))).filter(Boolean);
    const ids = new Set(found.map((u) => u.id));
    return found
      .filter((u) => !pathIds(u.path).slice(0, -1).some((a) => ids.has(a)))
      .sort((a, b) => a.path.localeCompare(b.path));
  })().catch((err) => {
    rootsFor = null;
    throw err;
  });
  return rootsPromise;
}

/** The ancestors of a unit (and the unit) that the person can see, top first. */
export async function visibleLineage(unit) {
  const ids = pathIds(unit.path);
  const all = await Promise.all(ids.map((id) => (id === unit.id ? unit : getUnit(id))));
  // Drop what lies above the scope: the first visible ancestor and everything below it.
  const first = all.findIndex(Boolean);
  return first < 0 ? [unit] : all.slice(first).filter(Boolean);
}

/** The community a person works in, when their roles with perm cover exactly one community. */
export async function ownCommunity(perm) {
  const ids = scopeUnitIds(perm);
  if (ids.length !== 1) return null;
  const u = await getUnit(ids[0]).catch(() => null);
  return u && u.kind === 'community' ? u : null;
}
