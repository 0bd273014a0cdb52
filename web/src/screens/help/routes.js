// Routes of the help-request screens (点单 · 派单 · 接单 · 评单), the inbox, the record
// confirmation queue and people's duplicates and merge. /help-requests opens the tab that
// fits the person: the dispatch board for community staff, 接单 for volunteers, else 我的求助.
import { onMounted } from 'vue';
import { useRouter } from 'vue-router';
import { canDispatchSomewhere, isHelper } from '@/lib/help';
import { session } from '@/lib/session';

const id = ':id(\\d+)';
const help = { area: 'help' };

export function helpHome() {
  if (canDispatchSomewhere() && !session.me?.person_id) return '/help-requests/dispatch';
  if (isHelper()) return '/help-requests/tasks';
  return '/help-requests/mine';
}

// Decides once /me is known (the layout renders screens only then), so not a route redirect.
const HelpHome = {
  name: 'HelpHome',
  setup() {
    const router = useRouter();
    onMounted(() => router.replace(helpHome()));
    return () => null;
  },
};

export const helpRoutes = [
  { path: '/help-requests', name: 'help', component: HelpHome, meta: help },
  { path: '/help-requests/mine', name: 'help-mine', component: () => import('./MyHelpScreen.vue'), meta: help },
  { path: '/help-requests/new', name: 'help-new', component: () => import('@/screens/help-ask/AskHelpScreen.vue'), meta: help },
  { path: '/help-requests/tasks', name: 'help-tasks', component: () => import('@/screens/help-tasks/TasksScreen.vue'), meta: help },
  {
    path: '/help-requests/dispatch',
    name: 'help-dispatch',
    component: () => import('@/screens/help-dispatch/DispatchScreen.vue'),
    meta: help,
  },
  { path: `/help-requests/${id}`, name: 'help-request', component: () => import('@/screens/help-request/HelpRequestScreen.vue'), meta: help },
  { path: '/inbox', name: 'inbox', component: () => import('@/screens/inbox/InboxScreen.vue'), meta: { area: 'inbox' } },
  {
    path: '/records/pending',
    name: 'record-queue',
    component: () => import('@/screens/record-queue/RecordQueueScreen.vue'),
    meta: { area: 'review' },
  },
  { path: `/people/${id}/merge`, name: 'person-merge', component: () => import('@/screens/people/MergeScreen.vue'), meta: { area: 'people' } },
];
