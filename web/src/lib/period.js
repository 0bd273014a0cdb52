// Report periods: 今年 / 去年 / 近三年 / 自定义, as {from, to} dates (YYYY-MM-DD, local),
// and the time-series step that suits a period's length.

export const PERIODS = ['this_year', 'last_year', 'last3', 'custom'];

const pad = (n) => String(n).padStart(2, '0');
export function isoDate(d) {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** {from, to} of a named period on `today` (a Date); custom keeps the dates given. */
export function periodRange(kind, today = new Date(), custom = {}) {
  const y = today.getFullYear();
  const t = isoDate(today);
  switch (kind) {
    case 'last_year':
      return { from: `${y - 1}-01-01`, to: `${y - 1}-12-31` };
    case 'last3':
      return { from: `${y - 2}-01-01`, to: t };
    case 'custom':
      return { from: custom.from || `${y}-01-01`, to: custom.to || t };
    default:
      return { from: `${y}-01-01`, to: t };
  }
}

function days(from, to) {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86400000) + 1;
}

/** week up to two months, month up to four years, else year. */
export function intervalFor(from, to) {
  const n = days(from, to);
  if (n <= 62) return 'week';
  if (n <= 4 * 366) return 'month';
  return 'year';
}

/** Whether a period spans more than one calendar year (labels then carry the year). */
export function spansYears(from, to) {
  return from.slice(0, 4) !== to.slice(0, 4);
}
