// Routes (history mode: the server answers index.html for unknown non-API paths).
// Every route needs a signed-in user unless meta.public; the guard asks /api/v1/me once
// and sends people without a session to /login?redirect=<where they were going>.
import { createRouter, createWebHistory } from 'vue-router';
import { onUnauthorized } from '@/api/client';
import { session, loadMe, forget } from '@/lib/session';
import { AREAS } from '@/lib/areas';

const ComingSoon = () => import('@/screens/coming-soon/ComingSoonScreen.vue');

const routes = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/screens/login/LoginScreen.vue'),
    meta: { public: true, bare: true },
  },
  { path: '/', name: 'home', component: () => import('@/screens/home/HomeScreen.vue') },
  { path: '/me', name: 'me', component: () => import('@/screens/me/MeScreen.vue') },
  ...AREAS.map((a) => ({
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
