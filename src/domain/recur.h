/* recur.h: the occurrences of a weekly activity series ("every Monday and Thursday,
 * 14:30-16:30, until June").
 *
 * A rule names ISO weekdays (1 = Monday .. 7 = Sunday), a start and end time of day, a
 * first and a last date (inclusive) and the UTC offset the times of day are read in (China:
 * +08:00, no daylight saving). An end time not after the start time ends on the next day
 * (a night patrol 22:00-02:00). Out come the occurrences in date order as unix seconds.
 *
 * Pure: no I/O, nothing allocated; the caller gives the output array and its size. */
#ifndef RX_RECUR_H
#define RX_RECUR_H
#include "lib/timefmt.h"
#include <stddef.h>
#include <stdint.h>

enum rx_recur_status {
    RX_RECUR_OK = 0,
    RX_RECUR_ERULE = 1,    /* no weekday, a weekday outside 1..7, a time outside 00:00..23:59 */
    RX_RECUR_ERANGE = 2,   /* until before first, or a date the calendar cannot hold */
    RX_RECUR_ETOOMANY = 3, /* more occurrences than the output can hold */
    RX_RECUR_EEMPTY = 4,   /* the dates contain none of the weekdays */
};

struct rx_recur_rule {
    unsigned weekdays;    /* bit (1u << d) set for ISO weekday d, 1..7 */
    int start_min;        /* minutes after midnight, 0..1439 */
    int end_min;          /* minutes after midnight, 0..1439; <= start_min: the next day */
    struct rx_date first; /* first date considered */
    struct rx_date until; /* last date considered, inclusive */
    int offset_min;       /* minutes east of UTC the times are in (RX_TIMEFMT_BEIJING) */
};

struct rx_recur_occurrence {
    int64_t starts_at;   /* unix seconds */
    int64_t ends_at;     /* unix seconds, after starts_at */
    struct rx_date date; /* the calendar date it starts on */
};

/* Writes the occurrences into out[0..max) and their number into *n. */
int rx_recur_expand(const struct rx_recur_rule *r, struct rx_recur_occurrence *out, size_t max,
                    size_t *n);

/* ISO weekday (1 = Monday .. 7 = Sunday) of a day number (days since 1970-01-01). */
int rx_recur_weekday(int64_t days);

/* Parses "HH:MM" (exactly five characters, 00:00..23:59) into minutes after midnight. */
int rx_recur_parse_hhmm(const char *s, size_t n, int *minutes);

#endif
