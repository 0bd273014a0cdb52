// Rules the help-request screens share: who may dispatch or take requests (from /me's
// roles, mirrored from the server), the colour and the plain-words step of each state, and
// the categories offered first when a resident asks for help. The server still decides.
import { reactive } from 'vue';
import { i18n } from '@/i18n';
import { session } from './session';
import { loadCategories } from './categories';
import { can, PERM, scopeUnitIds } from './perms';

// Roles with RX_PERM_DISPATCH, and the ones who take requests (接单).
export const DISPATCH_ROLES = ['social_worker', 'community_admin', 'street_admin'];
export const HELPER_ROLES = ['volunteer', 'team_leader'];
// Who may register a request for a person of their community by choosing them
// (RX_PERM_MANAGE_PEOPLE or DISPATCH there).
export const ON_BEHALF_ROLES = ['social_worker', 'community_admin', 'street_admin', 'district_admin', 'city_admin'];

export const STATES = ['submitted', 'open', 'dispatched', 'accepted', 'in_progress', 'done', 'rated', 'cancelled', 'closed_unresolved'];
export const ACTIVE_STATES = ['submitted', 'open', 'dispatched', 'accepted', 'in_progress'];
export const STATE_TONE = {
  submitted: 'gold',
  open: 'orange',
  dispatched: 'blue',
  accepted: 'teal',
  in_progress: 'purple',
  done: 'teal',
  rated: 'teal',
  cancelled: 'grey',
  closed_unresolved: 'red',
};

// The resident's six steps: 已提交 → 已派单 → 已接单 → 服务中 → 已完成 → 已评价.
export const STEPS = ['submitted', 'dispatched', 'accepted', 'in_progress', 'done', 'rated'];
/** Which of STEPS a state stands on (open counts as dispatched: it waits for a taker). */
export function stepOf(state) {
  if (state === 'open') return 1;
  const i = STEPS.indexOf(state);
  return i < 0 ? -1 : i;
}

const roles = () => session.me?.roles || [];
export const hasRole = (list) => roles().some((r) => list.includes(r.role));
export const canDispatchSomewhere = () => hasRole(DISPATCH_ROLES);
export const isHelper = () => hasRole(HELPER_ROLES);
export const canPickPerson = () => hasRole(ON_BEHALF_ROLES);

/** Dispatcher over this unit (its path "/1/3/8/"): the dispatcher's tools are shown. */
export function dispatchesAt(path) {
  return !!path && can(PERM.DISPATCH, path);
}

/** The communities this account is attached to through any role, for registering by name. */
export function myCommunities() {
  const seen = new Map();
  for (const r of roles()) {
    if ((r.org_unit_kind || 'community') === 'community' && !seen.has(r.org_unit_id)) seen.set(r.org_unit_id, { id: r.org_unit_id, name: r.org_unit_name });
  }
  return [...seen.values()];
}

export function dispatchUnitIds() {
  return scopeUnitIds(PERM.DISPATCH);
}

/** The requester's side: the person helped, or the account that registered it. */
export function isRequester(h) {
  const me = session.me;
  if (!me || !h) return false;
  return h.registered_by === me.id || (!!me.person_id && h.person_id === me.person_id);
}

export const canCancel = (h) => ACTIVE_STATES.includes(h.state);

// Categories a resident most often needs, offered as big tiles (codes of the national list).
export const QUICK_CATEGORIES = ['resident_help', 'appliance_repair', 'elder_care', 'cleaning', 'haircut', 'massage', 'mediation'];

/** Minutes as a short figure: 95 -> "1 小时 35 分" style is formatMinutes; this is for figures. */
export function medianText(t, min) {
  if (min == null) return '—';
  if (min < 60) return t('help.stats.minutes', { n: min });
  const h = min / 60;
  return t('help.stats.hours', { n: Number.isInteger(h) ? h : h.toFixed(1) });
}

// A request's category in the UI language: the API names it in Chinese only, so English
// looks up the category list (loaded once, shared with the pickers).
const names = reactive({ byId: null });
let asked = false;
export function categoryLabel(h) {
  if (!h) return '';
  if (i18n.global.locale.value !== 'en') return h.category_name;
  if (!asked) {
    asked = true;
    loadCategories()
      .then((list) => (names.byId = new Map(list.map((c) => [c.id, c.name_en || c.name]))))
      .catch(() => (asked = false));
  }
  return names.byId?.get(h.category_id) || h.category_name;
}
