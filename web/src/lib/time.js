// Times as people in Zhengzhou read them. The API speaks RFC 3339 in +08:00 and dates are
// Beijing dates, so everything here formats in Asia/Shanghai whatever the device's zone,
// in the UI language.
import { i18n } from '@/i18n';

export const TZ = 'Asia/Shanghai';
export const OFFSET = '+08:00';

const cache = new Map();
function fmt(options) {
  const lang = i18n.global.locale.value;
  const key = lang + JSON.stringify(options);
  if (!cache.has(key)) cache.set(key, new Intl.DateTimeFormat(lang, { timeZone: TZ, ...options }));
  return cache.get(key);
}

function toDate(v) {
  if (!v) return null;
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "14:30" */
export function formatTime(v) {
  const d = toDate(v);
  return d ? fmt({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d) : '';
}

/** "5月10日 周六" / "Sat, 10 May" */
export function formatDay(v, { year = false } = {}) {
  const d = toDate(v);
  if (!d) return '';
  return fmt({ month: 'short', day: 'numeric', weekday: 'short', ...(year ? { year: 'numeric' } : {}) }).format(d);
}

/** "2030年5月10日" for a YYYY-MM-DD date (a service date). */
export function formatDate(ymd) {
  if (!ymd) return '';
  const d = toDate(`${ymd}T12:00:00${OFFSET}`);
  return d ? fmt({ year: 'numeric', month: 'short', day: 'numeric' }).format(d) : ymd;
}

/** "5月10日 14:30" */
export function formatDateTime(v) {
  const d = toDate(v);
  return d ? `${formatDay(d)} ${formatTime(d)}` : '';
}

/** "5月10日 周六 14:00–17:00" (the end's day too when it runs past midnight). */
export function formatRange(start, end) {
  const s = toDate(start);
  const e = toDate(end);
  if (!s) return '';
  if (!e) return formatDateTime(s);
  const sameDay = beijingDate(s) === beijingDate(e);
  return `${formatDay(s)} ${formatTime(s)}–${sameDay ? '' : formatDay(e) + ' '}${formatTime(e)}`;
}

/** The Beijing date of an instant as YYYY-MM-DD. */
export function beijingDate(v = new Date()) {
  const d = toDate(v);
  if (!d) return '';
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(d);
  const get = (t) => parts.find((p) => p.type === t).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The Beijing wall time of an instant as HH:MM. */
export function beijingTime(v) {
  const d = toDate(v);
  if (!d) return '';
  return new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
}

/** YYYY-MM-DD plus n days. */
export function addDays(ymd, n) {
  const d = new Date(`${ymd}T12:00:00${OFFSET}`);
  d.setTime(d.getTime() + n * 86400000);
  return beijingDate(d);
}

/** ISO weekday (1 = Monday) of a YYYY-MM-DD date. */
export function isoWeekday(ymd) {
  const w = new Date(`${ymd}T12:00:00Z`).getUTCDay();
  return w === 0 ? 7 : w;
}

/** "2030-05-10" + "14:30" -> "2030-05-10T14:30:00+08:00" (Beijing wall time). */
export function toRfc3339(ymd, hm) {
  if (!ymd || !hm) return '';
  return `${ymd}T${hm}:00${OFFSET}`;
}

/** Minutes as "2 小时 30 分" / "2 h 30 min". */
export function formatMinutes(min) {
  const { t } = i18n.global;
  const m = Math.max(0, Math.round(Number(min) || 0));
  const h = Math.floor(m / 60);
  const r = m % 60;
  if (h && r) return t('time.hoursMinutes', { h, m: r });
  if (h) return t('time.hours', { h });
  return t('time.minutes', { m: r });
}

/** Minutes as hours with one decimal ("2.5"), for big figures. */
export function hoursFigure(min) {
  const h = (Number(min) || 0) / 60;
  return Number.isInteger(h) ? String(h) : h.toFixed(1);
}

/** Localised weekday name for an ISO weekday (1 = Monday). */
export function weekdayName(n, style = 'short') {
  // 2024-01-01 was a Monday.
  const d = new Date(Date.UTC(2024, 0, n, 4));
  return fmt({ weekday: style }).format(d);
}
