/* series.c: see series.h. Day counts use Howard Hinnant's days_from_civil algorithm. */
#include "domain/series.h"
#include <string.h>

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
    static const int n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : n[m - 1];
}

int rx_date_parse(const char *s, struct rx_date *out)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return -1;
    int v[3] = {0, 0, 0};
    const int start[3] = {0, 5, 8}, len[3] = {4, 2, 2};
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < len[k]; i++) {
            char c = s[start[k] + i];
            if (c < '0' || c > '9') return -1;
            v[k] = v[k] * 10 + (c - '0');
        }
    if (v[0] < 1900 || v[0] > 2199 || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
        v[2] > month_days(v[0], v[1]))
        return -1;
    out->y = v[0];
    out->m = v[1];
    out->d = v[2];
    return 0;
}

void rx_date_format(struct rx_date d, char out[11])
{
    int y = d.y;
    out[0] = (char)('0' + (y / 1000) % 10);
    out[1] = (char)('0' + (y / 100) % 10);
    out[2] = (char)('0' + (y / 10) % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + (d.m / 10) % 10);
    out[6] = (char)('0' + d.m % 10);
    out[7] = '-';
    out[8] = (char)('0' + (d.d / 10) % 10);
    out[9] = (char)('0' + d.d % 10);
    out[10] = 0;
}

int64_t rx_date_days(struct rx_date dt)
{
    int64_t y = dt.y - (dt.m <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = (dt.m + 9) % 12;
    int64_t doy = (153 * mp + 2) / 5 + dt.d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct rx_date rx_date_from_days(int64_t z)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    struct rx_date d;
    d.d = (int)(doy - (153 * mp + 2) / 5 + 1);
    d.m = (int)(mp < 10 ? mp + 3 : mp - 9);
    d.y = (int)(yoe + era * 400 + (d.m <= 2));
    return d;
}

struct rx_date rx_date_at(int64_t t, int utc_offset)
{
    int64_t s = t + utc_offset;
    int64_t days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
    return rx_date_from_days(days);
}

int rx_date_cmp(struct rx_date a, struct rx_date b)
{
    if (a.y != b.y) return a.y < b.y ? -1 : 1;
    if (a.m != b.m) return a.m < b.m ? -1 : 1;
    if (a.d != b.d) return a.d < b.d ? -1 : 1;
    return 0;
}

int rx_interval_parse(const char *s, enum rx_interval *out)
{
    static const struct {
        const char *name;
        enum rx_interval iv;
    } t[] = {{"day", RX_IV_DAY}, {"week", RX_IV_WEEK}, {"month", RX_IV_MONTH}, {"year", RX_IV_YEAR}};
    if (!s) return -1;
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(s, t[i].name) == 0) {
            *out = t[i].iv;
            return 0;
        }
    return -1;
}

struct rx_date rx_series_step(struct rx_date from, enum rx_interval iv, int i)
{
    switch (iv) {
    case RX_IV_DAY: return rx_date_from_days(rx_date_days(from) + i);
    case RX_IV_WEEK: return rx_date_from_days(rx_date_days(from) + 7 * (int64_t)i);
    case RX_IV_MONTH:
    case RX_IV_YEAR: {
        int64_t months = (int64_t)from.y * 12 + (from.m - 1) + (iv == RX_IV_MONTH ? i : 12 * (int64_t)i);
        struct rx_date d;
        d.y = (int)(months / 12);
        d.m = (int)(months % 12) + 1;
        int md = month_days(d.y, d.m);
        d.d = from.d > md ? md : from.d;
        return d;
    }
    }
    return from;
}

int rx_series_dates(struct rx_date from, struct rx_date to, enum rx_interval iv,
                    struct rx_date *out, int max)
{
    int n = 0;
    if (rx_date_cmp(from, to) > 0) return 0;
    for (int i = 0;; i++) {
        struct rx_date d = rx_series_step(from, iv, i);
        int c = rx_date_cmp(d, to);
        if (c > 0) d = to; /* the last step overshot: end on `to` itself */
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
        int64_t day = rx_date_days(points[k]);
        while (e < n_ev && ev[e].day <= day) size += ev[e++].delta;
        sizes[k] = size;
    }
}
