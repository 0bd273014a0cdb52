// Small display helpers: dates, names and numbers as people read them, in the UI language.
import { i18n } from '@/i18n';

/** Today as YYYY-MM-DD in the browser's time zone. */
export function today() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** "2026-03-01" -> "2026年3月1日" / "1 Mar 2026"; empty for nothing. */
export function formatDate(s) {
  if (!s) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return s;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Intl.DateTimeFormat(i18n.global.locale.value, { year: 'numeric', month: 'short', day: 'numeric' }).format(d);
}

/** A category's name in the UI language (the English one when there is one). */
export function categoryName(c, prefix = '') {
  if (!c) return '';
  const zh = c[`${prefix}name`];
  const en = c[`${prefix}name_en`];
  return i18n.global.locale.value === 'en' && en ? en : zh || en || '';
}

/** The first character of a name, for round avatars. */
export function initial(name) {
  return Array.from(String(name || '?').trim())[0] || '?';
}

const numberFormats = new Map();
function nf(locale, opts) {
  const key = locale + JSON.stringify(opts);
  if (!numberFormats.has(key)) numberFormats.set(key, new Intl.NumberFormat(locale, opts));
  return numberFormats.get(key);
}

/** 12,345 / 356.5: grouping; `digits` = most fraction digits (default 0 for ints, 2 else). */
export function formatNumber(v, digits) {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return '—';
  const n = Number(v);
  const max = digits ?? (Number.isInteger(n) ? 0 : 2);
  return nf(i18n.global.locale.value, { maximumFractionDigits: max }).format(n);
}

/** A share as a percentage with one decimal: 0.4567 -> "45.7%". */
export function formatPercent(part, whole) {
  if (!whole) return '—';
  return nf(i18n.global.locale.value, { style: 'percent', maximumFractionDigits: 1 }).format(part / whole);
}
