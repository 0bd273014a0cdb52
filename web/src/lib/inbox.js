// The inbox's unread count, shared by the tab bar and the side navigation: asked for when
// a screen using it appears, after every navigation, every minute while the page is
// visible, and set directly by the inbox screen when it marks things read.
import { onBeforeUnmount, onMounted, reactive } from 'vue';
import { useRouter } from 'vue-router';
import { inboxApi } from '@/api/client';
import { session } from './session';

export const inbox = reactive({ unread: 0 });

let inflight = null;
let users = 0;
let timer = null;
let lastAsked = 0;

export function refreshUnread({ force = false } = {}) {
  if (!session.me) return Promise.resolve(inbox.unread);
  if (inflight) return inflight;
  if (!force && Date.now() - lastAsked < 1500) return Promise.resolve(inbox.unread);
  lastAsked = Date.now();
  inflight = inboxApi
    .unreadCount()
    .then((r) => {
      inbox.unread = Number(r?.unread) || 0;
      return inbox.unread;
    })
    .catch(() => inbox.unread)
    .finally(() => {
      inflight = null;
    });
  return inflight;
}

export function setUnread(n) {
  inbox.unread = Math.max(0, Number(n) || 0);
}

function onVisible() {
  if (document.visibilityState === 'visible') refreshUnread();
}

/** For the components that show the badge: keeps the count fresh while any is mounted. */
export function useUnread() {
  const router = useRouter();
  let stop = null;
  onMounted(() => {
    users++;
    refreshUnread({ force: users === 1 });
    stop = router.afterEach(() => refreshUnread());
    if (users === 1) {
      timer = setInterval(() => document.visibilityState === 'visible' && refreshUnread(), 60_000);
      document.addEventListener('visibilitychange', onVisible);
    }
  });
  onBeforeUnmount(() => {
    users--;
    if (stop) stop();
    if (users === 0) {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    }
  });
  return inbox;
}

/** Badge text: nothing for 0, "99+" beyond 99. */
export function badgeText(n) {
  if (!n) return '';
  return n > 99 ? '99+' : String(n);
}

/** Where a notification leads, from its kind and payload (null when nowhere). */
export function noteLink(n) {
  const p = n?.payload || {};
  if (String(n?.kind || '').startsWith('help_request_') && p.help_request_id) return `/help-requests/${p.help_request_id}`;
  if ((n.kind === 'waitlist_promoted' || n.kind === 'activity_cancelled') && p.activity_id) return `/activities/${p.activity_id}`;
  if (['record_confirmed', 'record_rejected', 'correction_decided'].includes(n.kind) && p.record_id) return `/records/${p.record_id}`;
  return null;
}
