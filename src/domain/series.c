/* series.c: see series.h. Calendar arithmetic is lib/timefmt.c's. */
#include "domain/series.h"
#include <string.h>

static int month_days(int y, int m)
{
    static const int n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && rx_timefmt_leap_year(y) ? 29 : n[m - 1];
}

int rx_interval_parse(const char *s, enum rx_interval *out)
{
    static const struct {
        const char *name;
        enum rx_interval iv;
    } t[] = {
        {"day", RX_IV_DAY}, {"week", RX_IV_WEEK}, {"month", RX_IV_MONTH}, {"year", RX_IV_YEAR}};
    if (!s) return -1;
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(s, t[i].name) == 0) {
            *out = t[i].iv;
            return 0;
        }
    return -1;
}

int rx_series_step(const struct rx_date *from, enum rx_interval iv, int i, struct rx_date *out)
{
    if (iv == RX_IV_DAY || iv == RX_IV_WEEK) {
        int64_t days = rx_timefmt_date_to_days(from) + (iv == RX_IV_WEEK ? 7 * (int64_t)i : i);
        return rx_timefmt_date_from_days(days, out) == RX_TIMEFMT_OK ? 0 : -1;
    }
    int64_t months =
        (int64_t)from->year * 12 + (from->month - 1) + (iv == RX_IV_MONTH ? i : 12 * (int64_t)i);
    if (months / 12 > 9999) return -1;
    out->year = (int)(months / 12);
    out->month = (int)(months % 12) + 1;
    int md = month_days(out->year, out->month);
    out->day = from->day > md ? md : from->day;
    return 0;
}

int rx_series_dates(const struct rx_date *from, const struct rx_date *to, enum rx_interval iv,
                    struct rx_date *out, int max)
{
    int n = 0;
    if (rx_timefmt_date_cmp(from, to) > 0) return 0;
    for (int i = 0;; i++) {
        struct rx_date d;
        int c = rx_series_step(from, iv, i, &d) ? 1 : rx_timefmt_date_cmp(&d, to);
        if (c > 0) d = *to; /* the last step overshot: end on `to` itself */
        if (n >= max) return -1;
        out[n++] = d;
        if (c >= 0) break;
    }
    return n;
}

void rx_series_sizes(const struct rx_size_event *ev, size_t n_ev, const struct rx_date *points,
                     int n_points, int64_t *sizes)
{
    size_t e = 0;
    int64_t size = 0;
    for (int k = 0; k < n_points; k++) {
        int64_t day = rx_timefmt_date_to_days(&points[k]);
        while (e < n_ev && ev[e].day <= day)
            size += ev[e++].delta;
        sizes[k] = size;
    }
}
