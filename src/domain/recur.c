/* recur.c: see recur.h. */
#include "domain/recur.h"

int rx_recur_weekday(int64_t days)
{
    /* 1970-01-01 was a Thursday (ISO 4) */
    int64_t r = (days + 3) % 7;
    if (r < 0) r += 7;
    return (int)r + 1;
}

int rx_recur_parse_hhmm(const char *s, size_t n, int *minutes)
{
    if (!s || n != 5 || s[2] != ':') return RX_RECUR_ERULE;
    for (size_t i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9')) return RX_RECUR_ERULE;
    int h = (s[0] - '0') * 10 + (s[1] - '0');
    int m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 23 || m > 59) return RX_RECUR_ERULE;
    *minutes = h * 60 + m;
    return RX_RECUR_OK;
}

int rx_recur_expand(const struct rx_recur_rule *r, struct rx_recur_occurrence *out, size_t max,
                    size_t *n)
{
    *n = 0;
    if ((r->weekdays & 0xFEu) == 0 || (r->weekdays & ~0xFEu) != 0) return RX_RECUR_ERULE;
    if (r->start_min < 0 || r->start_min > 1439 || r->end_min < 0 || r->end_min > 1439)
        return RX_RECUR_ERULE;
    if (r->offset_min < -1439 || r->offset_min > 1439) return RX_RECUR_ERULE;
    if (!rx_timefmt_date_valid(r->first.year, r->first.month, r->first.day) ||
        !rx_timefmt_date_valid(r->until.year, r->until.month, r->until.day))
        return RX_RECUR_ERANGE;
    int64_t d0 = rx_timefmt_date_to_days(&r->first), d1 = rx_timefmt_date_to_days(&r->until);
    if (d1 < d0) return RX_RECUR_ERANGE;
    int64_t len =
        r->end_min > r->start_min ? r->end_min - r->start_min : r->end_min + 1440 - r->start_min;
    size_t k = 0;
    for (int64_t d = d0; d <= d1; d++) {
        if (!(r->weekdays & (1u << rx_recur_weekday(d)))) continue;
        if (k >= max) return RX_RECUR_ETOOMANY;
        struct rx_recur_occurrence *o = &out[k++];
        o->starts_at = d * 86400 + (int64_t)r->start_min * 60 - (int64_t)r->offset_min * 60;
        o->ends_at = o->starts_at + len * 60;
        if (rx_timefmt_date_from_days(d, &o->date) != RX_TIMEFMT_OK) return RX_RECUR_ERANGE;
    }
    *n = k;
    return k ? RX_RECUR_OK : RX_RECUR_EEMPTY;
}
