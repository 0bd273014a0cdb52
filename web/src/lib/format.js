// Numbers as people read them, in the UI language: 12,345 / 1.2万 on cards.
import { i18n } from '@/i18n';

const cache = new Map();
function nf(locale, opts) {
  const key = locale + JSON.stringify(opts);
  if (!cache.has(key)) cache.set(key, new Intl.NumberFormat(locale, opts));
  return cache.get(key);
}

/** Integer or decimal with grouping; `digits` = most fraction digits (default 0 for ints, 2 else). */
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
