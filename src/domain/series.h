/* series.h: date series for "size over time" reports (a team's members on each date
 * from..to by day, week, month or year), and the sweep that counts them. Pure functions, no
 * I/O. Dates are lib/timefmt.h's struct rx_date.
 *
 * A series starts at `from`, steps by the interval (a month or year step keeps from's day of
 * month, clamped to the month's length: 01-31, 02-29, 03-31 ...), and always ends with `to`,
 * so the last point is the size "as of to" even when to is not on a step. */
#ifndef RX_SERIES_H
#define RX_SERIES_H
#include "lib/timefmt.h"
#include <stddef.h>
#include <stdint.h>

enum rx_interval { RX_IV_DAY, RX_IV_WEEK, RX_IV_MONTH, RX_IV_YEAR };

/* 0 and *out set for "day", "week", "month", "year"; -1 otherwise. */
int rx_interval_parse(const char *s, enum rx_interval *out);
/* The point `i` steps after from; 0, or -1 when it falls after year 9999. */
int rx_series_step(const struct rx_date *from, enum rx_interval iv, int i, struct rx_date *out);
/* Fills out[] with the series from..to (valid dates); returns how many points (0 when from
 * is after to), or -1 when the series would have more than max points. */
int rx_series_dates(const struct rx_date *from, const struct rx_date *to, enum rx_interval iv,
                    struct rx_date *out, int max);

/* A change in size on a date: +1 for a join (counted from that day), -1 for a leave
 * (not counted from that day on). */
struct rx_size_event {
    int64_t day; /* rx_timefmt_date_to_days of the date */
    int delta;   /* +1 or -1 */
};
/* Sweeps events sorted by day over points sorted ascending: sizes[k] = sum of the deltas of
 * events with day <= points[k]. Events need not be in any order within a day. */
void rx_series_sizes(const struct rx_size_event *ev, size_t n_ev, const struct rx_date *points,
                     int n_points, int64_t *sizes);

#endif
