/* period.h: report periods (from..to, inclusive dates) cut the way the rollups are stored,
 * calendar buckets for time series, and a period's length in years. Pure; dates are
 * lib/timefmt.h's struct rx_date, results go into caller structs.
 *
 * Split: the whole calendar months inside the period are read from monthly rollups, only
 * the ragged ends from daily ones, so a report over three years reads 36 monthly slices and
 * at most two partial months of days. 2026-01-15..2026-04-10 -> months 2026-02..2026-03,
 * days 2026-01-15..2026-01-31 and 2026-04-01..2026-04-10. A period inside one month that is
 * not the whole month is all days.
 *
 * Buckets: calendar weeks (Monday..Sunday), months or years that meet the period, each
 * clipped to it: the first and last may be partial.
 *
 * Years: each calendar year the period touches counts its covered days over that year's
 * length, so 2024-01-01..2024-12-31 is exactly 1 and 2025-07-01..2026-06-30 is
 * 184/365 + 181/365. */
#ifndef RX_PERIOD_H
#define RX_PERIOD_H
#include "lib/timefmt.h"

struct rx_period_split {
    int has_months;             /* months m_from..m_to (year, month; day unused) */
    struct rx_date m_from, m_to;
    int has_head, has_tail;     /* day ranges */
    struct rx_date head_from, head_to, tail_from, tail_to;
};

/* Splits from..to (from <= to, both valid). */
void rx_period_split(const struct rx_date *from, const struct rx_date *to,
                     struct rx_period_split *out);
/* Days in a month (28..31). */
int rx_period_month_days(int year, int month);
/* The period's length in years as above. */
double rx_period_years(const struct rx_date *from, const struct rx_date *to);

enum rx_bucket { RX_BUCKET_WEEK, RX_BUCKET_MONTH, RX_BUCKET_YEAR };
/* 0 and *out for "week", "month", "year"; -1 otherwise. */
int rx_bucket_parse(const char *s, enum rx_bucket *out);
/* Fills starts[]/ends[] with the buckets of from..to; returns how many, or -1 when there
 * would be more than max. */
int rx_period_buckets(const struct rx_date *from, const struct rx_date *to, enum rx_bucket b,
                      struct rx_date *starts, struct rx_date *ends, int max);

#endif
