/* series.h: calendar dates and date series for "size over time" reports (a team's members
 * on each date from..to by day, week, month or year). Pure functions, no I/O.
 *
 * Dates are proleptic Gregorian YYYY-MM-DD between 1900-01-01 and 2199-12-31. A series
 * starts at `from`, steps by the interval (a month or year step keeps from's day of month,
 * clamped to the month's length: 01-31, 02-29, 03-31 ...), and always ends with `to`, so
 * the last point is the size "as of to" even when to is not on a step. */
#ifndef RX_SERIES_H
#define RX_SERIES_H
#include <stddef.h>
#include <stdint.h>

struct rx_date {
    int y; /* year, 1900..2199 */
    int m; /* month, 1..12 */
    int d; /* day, 1..days in month */
};

enum rx_interval { RX_IV_DAY, RX_IV_WEEK, RX_IV_MONTH, RX_IV_YEAR };

/* 0 when s is exactly YYYY-MM-DD and a real date in range; -1 otherwise. */
int rx_date_parse(const char *s, struct rx_date *out);
/* Writes YYYY-MM-DD and a NUL (11 bytes). */
void rx_date_format(struct rx_date d, char out[11]);
/* Days since 1970-01-01 (negative before), and back. */
int64_t rx_date_days(struct rx_date d);
struct rx_date rx_date_from_days(int64_t days);
/* The calendar date at unix time t in a zone utc_offset seconds east of UTC. */
struct rx_date rx_date_at(int64_t t, int utc_offset);
int rx_date_cmp(struct rx_date a, struct rx_date b);
/* 0 and *out set for "day", "week", "month", "year"; -1 otherwise. */
int rx_interval_parse(const char *s, enum rx_interval *out);
/* The point `i` steps after from. */
struct rx_date rx_series_step(struct rx_date from, enum rx_interval iv, int i);
/* Fills out[] with the series from..to (from <= to); returns how many points, or -1 when
 * the series would have more than max points. */
int rx_series_dates(struct rx_date from, struct rx_date to, enum rx_interval iv,
                    struct rx_date *out, int max);

/* A change in size on a date: +1 for a join (counted from that day), -1 for a leave
 * (not counted from that day on). */
struct rx_size_event {
    int64_t day;   /* rx_date_days of the date */
    int delta;     /* +1 or -1 */
};
/* Sweeps events sorted by day over points sorted ascending: sizes[k] = sum of the deltas of
 * events with day <= points[k]. Events need not be in any order within a day. */
void rx_series_sizes(const struct rx_size_event *ev, size_t n_ev, const struct rx_date *points,
                     int n_points, int64_t *sizes);

#endif
