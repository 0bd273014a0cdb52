// Routes (history mode: the server answers index.html for unknown non-API paths).
// Every route needs a signed-in user unless meta.public; the guard asks /api/v1/me once
// and sends people without a session to /login?redirect=<where they were going>.
import { createRouter, createWebHistory } from 'vue-router';
import { onUnauthorized } from '@/api/client';
import { session, loadMe, forget } from '@/lib/session';
import { AREAS } from '@/lib/areas';
import { dashboardRoutes } from '@/screens/reports/routes';
import { activityRoutes } from '@/screens/activities/routes';
import { helpRoutes } from '@/screens/help/routes';

const ComingSoon = () => import('@/screens/coming-soon/ComingSoonScreen.vue');
const OrgScreen = () => import('@/screens/org/OrgScreen.vue');
const BranchForm = () => import('@/screens/branches/BranchFormScreen.vue');
const TeamForm = () => import('@/screens/teams/TeamFormScreen.vue');
const PersonForm = () => import('@/screens/people/PersonFormScreen.vue');
const BUILT = ['org', 'branches', 'teams', 'people'];

const routes = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/screens/login/LoginScreen.vue'),
    meta: { public: true, bare: true },
  },
  { path: '/', name: 'home', component: () => import('@/screens/home/HomeScreen.vue') },
  { path: '/me', name: 'me', component: () => import('@/screens/me/MeScreen.vue') },
  // Registry screens (org tree, Party branches, teams, assignment proposals).
  { path: '/org', name: 'org-roots', component: OrgScreen, meta: { area: 'org' } },
  { path: '/org/:id(\\d+)', name: 'org', component: OrgScreen, meta: { area: 'org' } },
  { path: '/party-branches', name: 'branches', component: () => import('@/screens/branches/BranchesScreen.vue'), meta: { area: 'branches' } },
  { path: '/party-branches/new', name: 'branch-new', component: BranchForm, meta: { area: 'branches' } },
  { path: '/party-branches/:id(\\d+)', name: 'branch', component: () => import('@/screens/branches/BranchScreen.vue'), meta: { area: 'branches' } },
  { path: '/party-branches/:id(\\d+)/edit', name: 'branch-edit', component: BranchForm, meta: { area: 'branches' } },
  {
    path: '/party-branches/:id(\\d+)/proposals',
    name: 'proposals',
    component: () => import('@/screens/proposals/ProposalsScreen.vue'),
    meta: { area: 'branches' },
  },
  { path: '/teams', name: 'teams', component: () => import('@/screens/teams/TeamsScreen.vue'), meta: { area: 'teams' } },
  { path: '/teams/new', name: 'team-new', component: TeamForm, meta: { area: 'teams' } },
  { path: '/teams/:id(\\d+)', name: 'team', component: () => import('@/screens/teams/TeamScreen.vue'), meta: { area: 'teams' } },
  { path: '/teams/:id(\\d+)/edit', name: 'team-edit', component: TeamForm, meta: { area: 'teams' } },
  { path: '/people', name: 'people', component: () => import('@/screens/people/PeopleScreen.vue'), meta: { area: 'people' } },
  { path: '/people/new', name: 'person-new', component: PersonForm, meta: { area: 'people' } },
  { path: '/people/import', name: 'people-import', component: () => import('@/screens/people/ImportScreen.vue'), meta: { area: 'people' } },
  { path: '/people/:id(\\d+)', name: 'person', component: () => import('@/screens/people/PersonScreen.vue'), meta: { area: 'people' } },
  { path: '/people/:id(\\d+)/edit', name: 'person-edit', component: PersonForm, meta: { area: 'people' } },
  ...activityRoutes,
  ...dashboardRoutes,
  ...helpRoutes,
  // Areas without their own screens yet show a placeholder.
  ...AREAS.filter(
    (a) => !BUILT.includes(a.key) && ![...activityRoutes, ...dashboardRoutes, ...helpRoutes].some((r) => r.path === a.path),
  ).map((a) => ({
    path: a.path,
    name: `area-${a.key}`,
    component: ComingSoon,
    props: { area: a.key },
    meta: { area: a.key },
  })),
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('@/screens/not-found/NotFoundScreen.vue'),
  },
];

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior(to, from, saved) {
    return saved || { top: 0 };
  },
});

function toLogin(to) {
  const redirect = to.fullPath && to.fullPath !== '/' ? to.fullPath : undefined;
  return { name: 'login', query: redirect ? { redirect } : {} };
}

router.beforeEach(async (to) => {
  if (to.name === 'login' && session.me) return afterLoginTarget(to); // already signed in
  if (to.meta.public) return true;
  try {
    const me = await loadMe();
    if (!me) return toLogin(to);
  } catch {
    // The server could not be asked (offline, 5xx): let the screen show the error and a retry.
  }
  return true;
});

// A 401 from any later call means the session ended (expired, logged out elsewhere).
onUnauthorized(() => {
  forget();
  const current = router.currentRoute.value;
  if (!current.meta.public) router.replace(toLogin(current));
});

/** Where to go after signing in: the saved path if it is one of ours, else home. */
export function afterLoginTarget(route) {
  const r = route.query.redirect;
  if (typeof r === 'string' && /^\/(?![\/\\])/.test(r) && !r.startsWith('/login')) return r;
  return '/';
}
