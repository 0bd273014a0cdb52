/* timefmt.c: see timefmt.h. Day numbers use Howard Hinnant's days_from_civil and
 * civil_from_days ("chrono-Compatible Low-Level Date Algorithms"), which are exact over the
 * whole proleptic Gregorian calendar with 400-year eras, so no table and no mktime/timegm
 * (which depend on TZ and on the C library's time_t range). */
#include "lib/timefmt.h"
#include <stdio.h>

/* Instants of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z. */
#define MIN_UNIX (-62135596800LL)
#define MAX_UNIX (253402300799LL)
#define MAX_OFFSET 1439

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}

bool rx_timefmt_leap_year(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && rx_timefmt_leap_year(y) ? 29 : mdays[m - 1];
}

bool rx_timefmt_date_valid(int y, int m, int d)
{
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
    return d <= days_in_month(y, m);
}

int64_t rx_timefmt_date_to_days(const struct rx_date *dt)
{
    int64_t y = dt->year - (dt->month <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = dt->month > 2 ? dt->month - 3 : dt->month + 9;
    int64_t doy = (153 * mp + 2) / 5 + dt->day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int rx_timefmt_date_from_days(int64_t days, struct rx_date *out)
{
    /* 0001-01-01 is day -719162, 9999-12-31 is day 2932896. */
    if (days < -719162 || days > 2932896) return RX_TIMEFMT_ERANGE;
    int64_t z = days + 719468;
    /* z >= 0 always holds after the range check; the general formula is kept whole. */
    // cppcheck-suppress knownConditionTrueFalse
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    out->year = (int)(yoe + era * 400 + (m <= 2));
    out->month = (int)m;
    out->day = (int)(doy - (153 * mp + 2) / 5 + 1);
    return RX_TIMEFMT_OK;
}

int rx_timefmt_date_cmp(const struct rx_date *a, const struct rx_date *b)
{
    if (a->year != b->year) return a->year < b->year ? -1 : 1;
    if (a->month != b->month) return a->month < b->month ? -1 : 1;
    if (a->day != b->day) return a->day < b->day ? -1 : 1;
    return 0;
}

/* Reads exactly k ASCII digits at s[at..at+k) into *v; false if any is not a digit. */
static bool digits(const char *s, size_t at, size_t k, int *v)
{
    int x = 0;
    for (size_t i = 0; i < k; i++) {
        char c = s[at + i];
        if (c < '0' || c > '9') return false;
        x = x * 10 + (c - '0');
    }
    *v = x;
    return true;
}

/* "YYYY-MM-DD" at the start of s, which has at least 10 bytes. */
static int parse_date10(const char *s, struct rx_date *out)
{
    int y, m, d;
    if (!digits(s, 0, 4, &y) || s[4] != '-' || !digits(s, 5, 2, &m) || s[7] != '-' ||
        !digits(s, 8, 2, &d))
        return RX_TIMEFMT_ESYNTAX;
    if (y == 0) return RX_TIMEFMT_ERANGE;
    if (!rx_timefmt_date_valid(y, m, d)) return RX_TIMEFMT_EVALUE;
    out->year = y, out->month = m, out->day = d;
    return RX_TIMEFMT_OK;
}

int rx_timefmt_date_parse(const char *s, size_t n, struct rx_date *out)
{
    if (n != 10) return RX_TIMEFMT_ESYNTAX;
    return parse_date10(s, out);
}

int rx_timefmt_date_format(const struct rx_date *d, char *out, size_t outsz)
{
    if (outsz < RX_TIMEFMT_DATE_SIZE) return RX_TIMEFMT_ESIZE;
    if (!rx_timefmt_date_valid(d->year, d->month, d->day)) return RX_TIMEFMT_EVALUE;
    snprintf(out, outsz, "%04d-%02d-%02d", d->year, d->month, d->day);
    return RX_TIMEFMT_OK;
}

int rx_timefmt_parse(const char *s, size_t n, int64_t *t, int *offset_min)
{
    struct rx_date d;
    int hh, mi, ss, oh, om, off;
    size_t i;
    int rc;

    /* Shortest form is "YYYY-MM-DDTHH:MM:SSZ" (20). */
    if (n < 20 || n > RX_TIMEFMT_MAX_INPUT) return RX_TIMEFMT_ESYNTAX;
    if (s[10] != 'T' && s[10] != 't') return RX_TIMEFMT_ESYNTAX;
    if (!digits(s, 11, 2, &hh) || s[13] != ':' || !digits(s, 14, 2, &mi) || s[16] != ':' ||
        !digits(s, 17, 2, &ss))
        return RX_TIMEFMT_ESYNTAX;
    rc = parse_date10(s, &d);
    if (rc != RX_TIMEFMT_OK) return rc;
    i = 19;
    if (s[i] == '.') {
        size_t start = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == start || i - start > 9) return RX_TIMEFMT_ESYNTAX;
    }
    if (i >= n) return RX_TIMEFMT_ESYNTAX; /* the offset is mandatory */
    if (s[i] == 'Z' || s[i] == 'z') {
        off = 0;
        i++;
    } else if (s[i] == '+' || s[i] == '-') {
        if (n - i < 6 || !digits(s, i + 1, 2, &oh) || s[i + 3] != ':' || !digits(s, i + 4, 2, &om))
            return RX_TIMEFMT_ESYNTAX;
        if (oh > 23 || om > 59) return RX_TIMEFMT_EVALUE;
        off = (oh * 60 + om) * (s[i] == '-' ? -1 : 1);
        i += 6;
    } else {
        return RX_TIMEFMT_ESYNTAX;
    }
    if (i != n) return RX_TIMEFMT_ESYNTAX;
    if (hh > 23 || mi > 59 || ss > 59) return RX_TIMEFMT_EVALUE;

    int64_t v = rx_timefmt_date_to_days(&d) * 86400 + hh * 3600 + mi * 60 + ss - off * 60;
    if (v < MIN_UNIX || v > MAX_UNIX) return RX_TIMEFMT_ERANGE;
    *t = v;
    if (offset_min) *offset_min = off;
    return RX_TIMEFMT_OK;
}

int rx_timefmt_date_at(int64_t t, int offset_min, struct rx_date *out)
{
    if (offset_min < -MAX_OFFSET || offset_min > MAX_OFFSET) return RX_TIMEFMT_EVALUE;
    if (t < MIN_UNIX - 86400 || t > MAX_UNIX + 86400) return RX_TIMEFMT_ERANGE;
    return rx_timefmt_date_from_days(floor_div(t + offset_min * 60, 86400), out);
}

/* Writes v (0 <= v < 10^width) in exactly width digits; returns the end. */
static char *put_digits(char *o, int v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        o[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return o + width;
}

int rx_timefmt_format(int64_t t, int offset_min, char *out, size_t outsz)
{
    struct rx_date d;
    int rc;

    if (outsz < RX_TIMEFMT_RFC3339_SIZE) return RX_TIMEFMT_ESIZE;
    rc = rx_timefmt_date_at(t, offset_min, &d);
    if (rc != RX_TIMEFMT_OK) return rc;
    int64_t local = t + offset_min * 60;
    int secs = (int)(local - floor_div(local, 86400) * 86400);
    /* YYYY-MM-DDTHH:MM:SS then Z or +HH:MM, by hand (lists format several times a row;
     * snprintf costs far more). Years are 0001-9999 (MIN_UNIX, MAX_UNIX). */
    char *o = out;
    o = put_digits(o, d.year, 4);
    *o++ = '-';
    o = put_digits(o, d.month, 2);
    *o++ = '-';
    o = put_digits(o, d.day, 2);
    *o++ = 'T';
    o = put_digits(o, secs / 3600, 2);
    *o++ = ':';
    o = put_digits(o, secs / 60 % 60, 2);
    *o++ = ':';
    o = put_digits(o, secs % 60, 2);
    if (offset_min == 0) {
        *o++ = 'Z';
    } else {
        int a = offset_min < 0 ? -offset_min : offset_min;
        *o++ = offset_min < 0 ? '-' : '+';
        o = put_digits(o, a / 60, 2);
        *o++ = ':';
        o = put_digits(o, a % 60, 2);
    }
    *o = 0;
    return RX_TIMEFMT_OK;
}

int rx_timefmt_age(const struct rx_date *birth, const struct rx_date *on, int *years)
{
    if (!rx_timefmt_date_valid(birth->year, birth->month, birth->day) ||
        !rx_timefmt_date_valid(on->year, on->month, on->day))
        return RX_TIMEFMT_EVALUE;
    if (rx_timefmt_date_cmp(on, birth) < 0) return RX_TIMEFMT_ERANGE;
    int age = on->year - birth->year;
    if (on->month < birth->month || (on->month == birth->month && on->day < birth->day)) age--;
    *years = age;
    return RX_TIMEFMT_OK;
}
