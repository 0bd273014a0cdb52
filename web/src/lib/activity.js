// Small rules the activity screens share: who may lead or confirm (from /me's roles), the
// colour of each status, and what a volunteer can do with a sign-up right now.
import { session } from '@/lib/session';
import { i18n } from '@/i18n';

// Roles whose grants carry RX_PERM_LEAD_ACTIVITIES / RX_PERM_CONFIRM_RECORDS (domain/roles.c).
export const LEAD_ROLES = ['team_leader', 'social_worker', 'community_admin'];
export const CONFIRM_ROLES = ['team_leader', 'community_admin', 'street_admin'];

/** The org units where the signed-in user leads activities or confirms records. */
export function leadUnits() {
  const seen = new Map();
  for (const r of session.me?.roles || []) {
    if (LEAD_ROLES.includes(r.role) || CONFIRM_ROLES.includes(r.role)) {
      if (!seen.has(r.org_unit_id)) seen.set(r.org_unit_id, { id: r.org_unit_id, name: r.org_unit_name });
    }
  }
  return [...seen.values()];
}

export function canLeadSomewhere() {
  return (session.me?.roles || []).some((r) => LEAD_ROLES.includes(r.role));
}

export function canManageSomewhere() {
  return leadUnits().length > 0;
}

// Tones map to theme colours (see .rx-pill in theme-activities.css).
export const SIGNUP_TONE = {
  confirmed: 'teal',
  waitlisted: 'gold',
  cancelled: 'grey',
  attended: 'blue',
  no_show: 'red',
};
export const RECORD_TONE = { pending: 'gold', confirmed: 'teal', rejected: 'red' };
export const ACTIVITY_TONE = { draft: 'grey', published: 'teal', cancelled: 'red', finished: 'blue' };
export const KIOSK_TONE = { expected: 'grey', in: 'teal', out: 'blue' };

/** A category's name in the UI language (the API gives name and name_en). */
export function categoryName(c) {
  if (!c) return '';
  return i18n.global.locale.value === 'en' && c.name_en ? c.name_en : c.name;
}

/** Places left as a short phrase with a tone: "还剩 5 个名额", "已满 · 可候补". */
export function placesInfo(a) {
  const { t } = i18n.global;
  if (a.status === 'cancelled') return { text: t('activity.status.cancelled'), tone: 'red' };
  if (a.status === 'finished') return { text: t('activity.status.finished'), tone: 'blue' };
  if (a.places_left > 0) {
    return { text: t('activity.placesLeft', { n: a.places_left }, a.places_left), tone: a.places_left <= 3 ? 'orange' : 'teal' };
  }
  return { text: t('activity.fullWaitlist'), tone: 'gold' };
}

/** A fresh Idempotency-Key so a retried sign-up (double tap, flaky network) counts once. */
export function newKey() {
  if (typeof crypto !== 'undefined' && crypto.randomUUID) return crypto.randomUUID();
  return `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}
