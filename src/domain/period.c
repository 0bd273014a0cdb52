/* period.c: see period.h. */
#include "domain/period.h"
#include <string.h>

int rx_period_month_days(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) return 30;
    return month == 2 && rx_timefmt_leap_year(year) ? 29 : days[month - 1];
}

static int month_index(const struct rx_date *d)
{
    return d->year * 12 + (d->month - 1);
}

static struct rx_date month_of(int idx, int day)
{
    return (struct rx_date){idx / 12, idx % 12 + 1, day};
}

void rx_period_split(const struct rx_date *from, const struct rx_date *to,
                     struct rx_period_split *out)
{
    memset(out, 0, sizeof *out);
    int first_full = month_index(from) + (from->day == 1 ? 0 : 1);
    int to_end = to->day == rx_period_month_days(to->year, to->month);
    int last_full = month_index(to) - (to_end ? 0 : 1);
    if (first_full > last_full) { /* no whole month: all days */
        out->has_head = 1;
        out->head_from = *from;
        out->head_to = *to;
        return;
    }
    out->has_months = 1;
    out->m_from = month_of(first_full, 1);
    out->m_to = month_of(last_full, 1);
    if (from->day != 1) {
        out->has_head = 1;
        out->head_from = *from;
        out->head_to = (struct rx_date){from->year, from->month,
                                        rx_period_month_days(from->year, from->month)};
    }
    if (!to_end) {
        out->has_tail = 1;
        out->tail_from = (struct rx_date){to->year, to->month, 1};
        out->tail_to = *to;
    }
}

double rx_period_years(const struct rx_date *from, const struct rx_date *to)
{
    double years = 0;
    for (int y = from->year; y <= to->year; y++) {
        struct rx_date a = y == from->year ? *from : (struct rx_date){y, 1, 1};
        struct rx_date b = y == to->year ? *to : (struct rx_date){y, 12, 31};
        int64_t n = rx_timefmt_date_to_days(&b) - rx_timefmt_date_to_days(&a) + 1;
        years += (double)n / (rx_timefmt_leap_year(y) ? 366.0 : 365.0);
    }
    return years;
}

int rx_bucket_parse(const char *s, enum rx_bucket *out)
{
    if (!s) return -1;
    if (strcmp(s, "week") == 0) *out = RX_BUCKET_WEEK;
    else if (strcmp(s, "month") == 0) *out = RX_BUCKET_MONTH;
    else if (strcmp(s, "year") == 0) *out = RX_BUCKET_YEAR;
    else return -1;
    return 0;
}

int rx_period_buckets(const struct rx_date *from, const struct rx_date *to, enum rx_bucket b,
                      struct rx_date *starts, struct rx_date *ends, int max)
{
    int64_t d = rx_timefmt_date_to_days(from), last = rx_timefmt_date_to_days(to);
    int n = 0;
    while (d <= last) {
        struct rx_date s, e;
        int64_t end;
        if (rx_timefmt_date_from_days(d, &s)) return -1;
        if (b == RX_BUCKET_WEEK) {
            int64_t wd = ((d % 7) + 7 + 3) % 7; /* 1970-01-01 was a Thursday: 0 = Monday */
            end = d + (6 - wd);
        } else if (b == RX_BUCKET_MONTH) {
            struct rx_date me = {s.year, s.month, rx_period_month_days(s.year, s.month)};
            end = rx_timefmt_date_to_days(&me);
        } else {
            struct rx_date ye = {s.year, 12, 31};
            end = rx_timefmt_date_to_days(&ye);
        }
        if (end > last) end = last;
        if (rx_timefmt_date_from_days(end, &e)) return -1;
        if (n == max) return -1;
        starts[n] = s;
        ends[n] = e;
        n++;
        d = end + 1;
    }
    return n;
}
