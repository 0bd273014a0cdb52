// The product areas a person can enter from home and the side navigation. Each area
// routes to its screen (a placeholder until the screen exists). `roles` limits an area to
// people holding one of those roles; no `roles` means everyone.
const STAFF = ['team_leader', 'social_worker', 'community_admin', 'street_admin', 'district_admin', 'city_admin', 'auditor'];
const PEOPLE_STAFF = ['social_worker', 'community_admin', 'street_admin', 'district_admin', 'city_admin', 'auditor'];
// Roles that read reports (RX_PERM_REPORTS) and that issue certificates (CONFIRM_RECORDS).
export const REPORT_ROLES = ['social_worker', 'community_admin', 'street_admin', 'district_admin', 'city_admin', 'auditor'];
export const ISSUER_ROLES = ['team_leader', 'community_admin', 'street_admin'];
// Everyone who can see the org tree and its teams (RX_PERM_READ_ORG).
const ORG_READERS = ['volunteer', ...STAFF];
// Who confirms service records (RX_PERM_CONFIRM_RECORDS).
const CONFIRMERS = ['team_leader', 'community_admin', 'street_admin'];

export const AREAS = [
  { key: 'activities', path: '/activities', icon: 'calendar-o', tone: 'red' },
  { key: 'help', path: '/help-requests', icon: 'service-o', tone: 'orange' },
  { key: 'hours', path: '/my-hours', icon: 'clock-o', tone: 'gold' },
  { key: 'reports', path: '/reports', icon: 'chart-trending-o', tone: 'teal', roles: REPORT_ROLES },
  { key: 'people', path: '/people', icon: 'friends-o', tone: 'blue', roles: PEOPLE_STAFF },
  { key: 'teams', path: '/teams', icon: 'cluster-o', tone: 'purple', roles: ORG_READERS },
  { key: 'branches', path: '/party-branches', icon: 'flag-o', tone: 'red', roles: PEOPLE_STAFF },
  { key: 'org', path: '/org', icon: 'map-marked', tone: 'orange', roles: PEOPLE_STAFF },
  { key: 'star', path: '/my-star', icon: 'star-o', tone: 'gold', roles: ['person'] },
  { key: 'certificates', path: '/certificates', icon: 'certificate', tone: 'red', roles: ['person', ...ISSUER_ROLES, ...PEOPLE_STAFF] },
  { key: 'review', path: '/records/pending', icon: 'todo-list-o', tone: 'teal', roles: CONFIRMERS },
  { key: 'inbox', path: '/inbox', icon: 'chat-o', tone: 'blue', badge: 'inbox' },
];

/** The area a path belongs to ("/teams/4/edit" -> teams), for the navigation's highlight. */
export function areaOfPath(path) {
  return AREAS.find((a) => path === a.path || path.startsWith(a.path + '/')) || null;
}

export const ROLE_NAMES = [
  'resident',
  'volunteer',
  'team_leader',
  'social_worker',
  'community_admin',
  'street_admin',
  'district_admin',
  'city_admin',
  'auditor',
];
