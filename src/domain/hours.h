/* hours.h: service minutes credited for one attendance at one activity.
 *
 * The rule (记录办法): actual service time only, travel excluded, clipped to the activity's
 * scheduled window: minutes = min(check-out, end) - max(check-in, start), floored to whole
 * minutes. Early arrival and staying late do not count. Then, in this order:
 *   - no check-out: counted up to the scheduled end (or 0, by rule), flagged "no_checkout";
 *   - attendance entirely outside the window: 0, flagged "outside_window";
 *   - fewer than the minimum (with or without check-out): 0, flagged "below_minimum";
 *   - more than the daily cap (counting minutes already credited that day): clipped to what
 *     is left under the cap, flagged "over_daily_cap".
 * Anything flagged except below_minimum also sets RX_HOURS_NEEDS_REVIEW: the record goes to
 * a person before it is confirmed. A short scan-in-and-out is routine, so below_minimum is
 * recorded but not queued.
 *
 * Times are unix seconds, so activities across midnight need nothing special. Which calendar
 * day a record belongs to for the cap (normally the activity's start date in Beijing) is the
 * caller's decision, expressed through prior_minutes. Pure; nothing allocated. */
#ifndef RX_HOURS_H
#define RX_HOURS_H
#include <stdint.h>

enum rx_hours_status {
    RX_HOURS_OK = 0,
    RX_HOURS_EWINDOW = 1,   /* scheduled end not after start, or a time <= 0 */
    RX_HOURS_ECHECKOUT = 2, /* check-out before check-in */
    RX_HOURS_ERULES = 3,    /* rules out of range (see struct rx_hours_rules) */
};

/* What to credit when nobody checked out. */
enum rx_hours_close {
    RX_HOURS_CLOSE_AT_END = 0, /* up to the scheduled end (default) */
    RX_HOURS_CLOSE_ZERO = 1,   /* nothing until a person decides */
};

/* Flags of a result; reasons are listed in the order they are checked. */
enum {
    RX_HOURS_NEEDS_REVIEW = 1u << 0,
    RX_HOURS_NO_CHECKOUT = 1u << 1,    /* "no_checkout" */
    RX_HOURS_OUTSIDE_WINDOW = 1u << 2, /* "outside_window" */
    RX_HOURS_BELOW_MINIMUM = 1u << 3,  /* "below_minimum" */
    RX_HOURS_OVER_DAILY_CAP = 1u << 4, /* "over_daily_cap" */
};

#define RX_HOURS_DEFAULT_DAILY_CAP 480 /* minutes: 8 hours */
#define RX_HOURS_DEFAULT_MINIMUM 10    /* minutes */

struct rx_hours_rules {
    int daily_cap;             /* minutes per person per day, 1..1440 */
    int minimum;               /* minutes; shorter counts 0. 0..daily_cap; 0 = no minimum */
    enum rx_hours_close close; /* what a missing check-out earns */
};

struct rx_hours_attendance {
    int64_t start;     /* scheduled start, unix seconds */
    int64_t end;       /* scheduled end, unix seconds, after start */
    int64_t checkin;   /* unix seconds */
    int64_t checkout;  /* unix seconds, or 0 when the volunteer never checked out */
    int prior_minutes; /* minutes already credited to this person on the same day, >= 0 */
};

struct rx_hours_result {
    int minutes;        /* minutes to credit, 0..daily_cap */
    unsigned flags;     /* RX_HOURS_* flags */
    const char *reason; /* first flag's code ("no_checkout" ...), or NULL; static string */
};

/* The defaults: 480-minute cap, 10-minute minimum, close at the scheduled end. */
void rx_hours_rules_default(struct rx_hours_rules *r);

/* Computes the credit for one attendance; *out is written only on RX_HOURS_OK. */
int rx_hours_compute(const struct rx_hours_attendance *a, const struct rx_hours_rules *r,
                     struct rx_hours_result *out);

/* The code of the first reason set in flags ("no_checkout" ...), or NULL if none. */
const char *rx_hours_reason(unsigned flags);

/* Minutes shown as hours with two decimals (DESIGN.md §3: hours = minutes / 60), in whole
 * hundredths of an hour rounded half up: 50 min -> 83, 90 -> 150. The one rounding every
 * answer, export, certificate and verification page uses; integer arithmetic on purpose,
 * truncating toward zero like C's division for negative minutes. */
int64_t rx_hours_hundredths(int64_t minutes);
/* The same as a number: 50 min -> 0.83. */
double rx_hours_2dp(int64_t minutes);

#endif
