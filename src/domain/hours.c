/* hours.c: see hours.h. */
#include "domain/hours.h"
#include <stddef.h>

void rx_hours_rules_default(struct rx_hours_rules *r)
{
    r->daily_cap = RX_HOURS_DEFAULT_DAILY_CAP;
    r->minimum = RX_HOURS_DEFAULT_MINIMUM;
    r->close = RX_HOURS_CLOSE_AT_END;
}

const char *rx_hours_reason(unsigned flags)
{
    if (flags & RX_HOURS_NO_CHECKOUT) return "no_checkout";
    if (flags & RX_HOURS_OUTSIDE_WINDOW) return "outside_window";
    if (flags & RX_HOURS_BELOW_MINIMUM) return "below_minimum";
    if (flags & RX_HOURS_OVER_DAILY_CAP) return "over_daily_cap";
    return NULL;
}

int rx_hours_compute(const struct rx_hours_attendance *a, const struct rx_hours_rules *r,
                     struct rx_hours_result *out)
{
    unsigned flags = 0;
    int64_t from, to, minutes;

    if (r->daily_cap < 1 || r->daily_cap > 1440 || r->minimum < 0 || r->minimum > r->daily_cap ||
        (r->close != RX_HOURS_CLOSE_AT_END && r->close != RX_HOURS_CLOSE_ZERO))
        return RX_HOURS_ERULES;
    if (a->prior_minutes < 0) return RX_HOURS_ERULES;
    if (a->start <= 0 || a->end <= a->start || a->checkin <= 0 || a->checkout < 0)
        return RX_HOURS_EWINDOW;
    if (a->checkout != 0 && a->checkout < a->checkin) return RX_HOURS_ECHECKOUT;

    from = a->checkin > a->start ? a->checkin : a->start;
    to = a->checkout == 0 ? a->end : (a->checkout < a->end ? a->checkout : a->end);
    if (a->checkout == 0) flags |= RX_HOURS_NO_CHECKOUT;

    if (a->checkin >= a->end || (a->checkout != 0 && a->checkout <= a->start)) {
        flags |= RX_HOURS_OUTSIDE_WINDOW;
        minutes = 0;
    } else if (a->checkout == 0 && r->close == RX_HOURS_CLOSE_ZERO) {
        minutes = 0;
    } else {
        minutes = to > from ? (to - from) / 60 : 0;
        if (minutes < r->minimum) {
            flags |= RX_HOURS_BELOW_MINIMUM;
            minutes = 0;
        }
    }

    int64_t left = r->daily_cap > a->prior_minutes ? r->daily_cap - a->prior_minutes : 0;
    if (minutes > left) {
        flags |= RX_HOURS_OVER_DAILY_CAP;
        minutes = left;
    }

    if (flags & ~(unsigned)RX_HOURS_BELOW_MINIMUM) flags |= RX_HOURS_NEEDS_REVIEW;
    out->minutes = (int)minutes;
    out->flags = flags;
    out->reason = rx_hours_reason(flags);
    return RX_HOURS_OK;
}

int64_t rx_hours_hundredths(int64_t minutes)
{
    return minutes * 100 / 60 + ((minutes * 100) % 60 >= 30);
}

double rx_hours_2dp(int64_t minutes)
{
    return (double)rx_hours_hundredths(minutes) / 100.0;
}
