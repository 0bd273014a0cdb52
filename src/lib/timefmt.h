/* timefmt.h: the API's time and date text forms, and calendar arithmetic on them.
 *
 * Instants travel as RFC 3339 text with a mandatory offset ("2026-11-29T14:00:00+08:00",
 * "Z" allowed, fractional seconds accepted and dropped) and live in C as int64_t unix
 * seconds. Calendar dates travel as "YYYY-MM-DD" and live in C as struct rx_date, which
 * converts to and from a day number (days since 1970-01-01, negative before) for arithmetic.
 * The calendar is the proleptic Gregorian one; years 0001..9999 only. Leap seconds (":60")
 * are rejected: unix time has none.
 *
 * Pure functions, no allocation, no global state, no time zone database: the caller says
 * which offset it means (China has one, +08:00, without daylight saving). Output strings go
 * into caller buffers. */
#ifndef RX_TIMEFMT_H
#define RX_TIMEFMT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A calendar date. Fields are plain numbers: year 1..9999, month 1..12, day 1..31. */
struct rx_date {
    int year;  /* e.g. 2026 */
    int month; /* 1..12 */
    int day;   /* 1..31, valid for the month */
};

enum rx_timefmt_status {
    RX_TIMEFMT_OK = 0,
    RX_TIMEFMT_ESYNTAX = 1, /* not the expected shape (wrong length, separators, missing offset) */
    RX_TIMEFMT_EVALUE = 2,  /* right shape, impossible value: Feb 30, hour 24, offset +25:00 */
    RX_TIMEFMT_ERANGE = 3,  /* outside years 0001..9999, or a negative age */
    RX_TIMEFMT_ESIZE = 4,   /* output buffer too small */
};

#define RX_TIMEFMT_BEIJING 480     /* +08:00, the default offset, in minutes east of UTC */
#define RX_TIMEFMT_MAX_INPUT 64    /* longest RFC 3339 text accepted */
#define RX_TIMEFMT_RFC3339_SIZE 26 /* buffer for "2026-11-29T14:00:00+08:00" and its NUL */
#define RX_TIMEFMT_DATE_SIZE 11    /* buffer for "2026-11-29" and its NUL */

/* Parses RFC 3339 date-time s[0..n): YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM), with
 * 't'/'z' also accepted. The fraction (1..9 digits) is dropped, not rounded. Writes unix
 * seconds to *t and, if offset_min is not NULL, the offset in minutes east of UTC. */
int rx_timefmt_parse(const char *s, size_t n, int64_t *t, int *offset_min);

/* Formats t as RFC 3339 seen from offset_min minutes east of UTC (-1439..1439; use
 * RX_TIMEFMT_BEIJING by default), e.g. "2026-11-29T14:00:00+08:00"; offset 0 gives "Z".
 * out needs RX_TIMEFMT_RFC3339_SIZE bytes. */
int rx_timefmt_format(int64_t t, int offset_min, char *out, size_t outsz);

/* True when y-m-d is a real date in years 1..9999. */
bool rx_timefmt_date_valid(int y, int m, int d);
/* True for Gregorian leap years. */
bool rx_timefmt_leap_year(int y);

/* Parses "YYYY-MM-DD" (exactly 10 characters) into *out. */
int rx_timefmt_date_parse(const char *s, size_t n, struct rx_date *out);
/* Formats a valid date as "YYYY-MM-DD"; out needs RX_TIMEFMT_DATE_SIZE bytes. */
int rx_timefmt_date_format(const struct rx_date *d, char *out, size_t outsz);

/* Day number of a valid date: days since 1970-01-01 (which is day 0). */
int64_t rx_timefmt_date_to_days(const struct rx_date *d);
/* The date of a day number; RX_TIMEFMT_ERANGE outside years 1..9999. */
int rx_timefmt_date_from_days(int64_t days, struct rx_date *out);
/* The calendar date at instant t seen from offset_min (the "today" of a user in that zone). */
int rx_timefmt_date_at(int64_t t, int offset_min, struct rx_date *out);
/* <0, 0, >0 as a is before, equal to, after b. */
int rx_timefmt_date_cmp(const struct rx_date *a, const struct rx_date *b);

/* Age in whole years on date `on` of someone born on `birth` (both valid dates). A birthday
 * counts from the day itself; someone born on 29 February turns a year older on 1 March in
 * common years. RX_TIMEFMT_ERANGE if on is before birth. */
int rx_timefmt_age(const struct rx_date *birth, const struct rx_date *on, int *years);

#endif
