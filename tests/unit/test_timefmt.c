/* test_timefmt.c: RFC 3339 and YYYY-MM-DD parsing and formatting, day numbers, ages. */
#define _DEFAULT_SOURCE /* timegm, used as an independent reference */
#include "testutil.h"
#include "lib/timefmt.h"
#include <stdio.h>
#include <time.h>

#define B(lit) lit, sizeof(lit) - 1

struct parse_case {
    const char *s;
    size_t n;
    int rc;
    int64_t t;
    int off;
};

static const struct parse_case parse_cases[] = {
    {B("2026-11-29T14:00:00+08:00"), RX_TIMEFMT_OK, 1795932000, 480},
    {B("2026-11-29T06:00:00Z"), RX_TIMEFMT_OK, 1795932000, 0},
    {B("2026-11-29t06:00:00z"), RX_TIMEFMT_OK, 1795932000, 0},
    {B("2026-11-29T06:00:00+00:00"), RX_TIMEFMT_OK, 1795932000, 0},
    {B("2026-11-29T06:00:00-00:00"), RX_TIMEFMT_OK, 1795932000, 0},
    {B("2026-11-29T14:00:00.5+08:00"), RX_TIMEFMT_OK, 1795932000, 480},
    {B("2026-11-29T14:00:00.999999999+08:00"), RX_TIMEFMT_OK, 1795932000, 480},
    {B("2026-11-29T14:00:00.123Z"), RX_TIMEFMT_OK, 1795960800, 0}, /* that is 22:00 Beijing */
    {B("1970-01-01T00:00:00Z"), RX_TIMEFMT_OK, 0, 0},
    {B("1969-12-31T23:59:59Z"), RX_TIMEFMT_OK, -1, 0},
    {B("2024-02-29T23:59:59-05:30"), RX_TIMEFMT_OK, 1709270999, -330},
    {B("2000-03-01T00:00:00+08:00"), RX_TIMEFMT_OK, 951840000, 480},
    {B("1949-10-01T15:00:00+08:00"), RX_TIMEFMT_OK, -639075600, 480},
    {B("2026-01-01T00:30:00+08:00"), RX_TIMEFMT_OK, 1767198600, 480}, /* previous day in UTC */
    {B("0001-01-01T00:00:00Z"), RX_TIMEFMT_OK, -62135596800LL, 0},
    {B("9999-12-31T23:59:59Z"), RX_TIMEFMT_OK, 253402300799LL, 0},
    {B("9999-12-31T23:59:59-23:59"), RX_TIMEFMT_ERANGE, 0, 0}, /* instant past year 9999 */
    {B("0001-01-01T00:00:00+23:59"), RX_TIMEFMT_ERANGE, 0, 0}, /* instant before year 1 */
    {B("0000-01-01T00:00:00Z"), RX_TIMEFMT_ERANGE, 0, 0},
    /* impossible values */
    {B("2026-02-30T10:00:00+08:00"), RX_TIMEFMT_EVALUE, 0, 0},
    {B("2025-02-29T10:00:00+08:00"), RX_TIMEFMT_EVALUE, 0, 0}, /* not a leap year */
    {B("1900-02-29T10:00:00+08:00"), RX_TIMEFMT_EVALUE, 0, 0}, /* century, not leap */
    {B("2026-04-31T10:00:00+08:00"), RX_TIMEFMT_EVALUE, 0, 0},
    {B("2026-13-01T10:00:00+08:00"), RX_TIMEFMT_EVALUE, 0, 0},
    {B("2026-00-01T10:00:00+08:00"), RX_TIMEFMT_EVALUE, 0, 0},
    {B("2026-01-00T10:00:00+08:00"), RX_TIMEFMT_EVALUE, 0, 0},
    {B("2026-11-29T24:00:00+08:00"), RX_TIMEFMT_EVALUE, 0, 0},
    {B("2026-11-29T23:60:00+08:00"), RX_TIMEFMT_EVALUE, 0, 0},
    {B("2016-12-31T23:59:60Z"), RX_TIMEFMT_EVALUE, 0, 0}, /* leap second */
    {B("2026-11-29T14:00:00+24:00"), RX_TIMEFMT_EVALUE, 0, 0},
    {B("2026-11-29T14:00:00+08:60"), RX_TIMEFMT_EVALUE, 0, 0},
    /* wrong shape */
    {B(""), RX_TIMEFMT_ESYNTAX, 0, 0},
    {B("2026-11-29T14:00:00"), RX_TIMEFMT_ESYNTAX, 0, 0}, /* missing offset */
    {B("2026-11-29T14:00:00.5"), RX_TIMEFMT_ESYNTAX, 0, 0},
    {B("2026-11-29T14:00+08:00"), RX_TIMEFMT_ESYNTAX, 0, 0},    /* no seconds */
    {B("2026-11-29 14:00:00+08:00"), RX_TIMEFMT_ESYNTAX, 0, 0}, /* space separator */
    {B("2026-11-29T14:00:00+0800"), RX_TIMEFMT_ESYNTAX, 0, 0},
    {B("2026-11-29T14:00:00+08"), RX_TIMEFMT_ESYNTAX, 0, 0},
    {B("2026-11-29T14:00:00+08:00 "), RX_TIMEFMT_ESYNTAX, 0, 0},
    {B(" 2026-11-29T14:00:00+08:00"), RX_TIMEFMT_ESYNTAX, 0, 0},
    {B("2026-11-29T14:00:00Z+08:00"), RX_TIMEFMT_ESYNTAX, 0, 0},
    {B("2026-11-29T14:00:00.+08:00"), RX_TIMEFMT_ESYNTAX, 0, 0},
    {B("2026-11-29T14:00:00.1234567890+08:00"), RX_TIMEFMT_ESYNTAX, 0, 0}, /* 10 digits */
    {B("2026-1-29T14:00:00+08:00"), RX_TIMEFMT_ESYNTAX, 0, 0},
    {B("+2026-11-29T14:00:00+08:00"), RX_TIMEFMT_ESYNTAX, 0, 0},
    {B("2026-11-29T14:00:00\0+08:00"), RX_TIMEFMT_ESYNTAX, 0, 0},
    {B("2026-11-29T14:00:00+08:00\0"), RX_TIMEFMT_ESYNTAX, 0, 0},
    {B("2026-11-29T1\xEF\xBC\x94:00:00+08:00"), RX_TIMEFMT_ESYNTAX, 0, 0}, /* full-width 4 */
    {B("2026-11-29T14:00:00+\xFF\xFF:00"), RX_TIMEFMT_ESYNTAX, 0, 0},
    {B("2026-11-29T-1:00:00+08:00"), RX_TIMEFMT_ESYNTAX, 0, 0},
    {B("2026-11-29T14:00:00+08:00000000000000000000000000000000000000000000000"),
     RX_TIMEFMT_ESYNTAX, 0, 0},
};

static void test_parse_table(void **state)
{
    for (size_t i = 0; i < ARRAY_LEN(parse_cases); i++) {
        const struct parse_case *c = &parse_cases[i];
        int64_t t = 12345;
        int off = 777;
        int rc = rx_timefmt_parse(c->s, c->n, &t, &off);
        if (rc != c->rc) fail_msg("case %zu (%s): rc %d, want %d", i, c->s, rc, c->rc);
        if (rc == RX_TIMEFMT_OK) {
            if (t != c->t) fail_msg("case %zu: t %lld want %lld", i, (long long)t, (long long)c->t);
            if (off != c->off) fail_msg("case %zu: offset %d want %d", i, off, c->off);
        } else {
            assert_int_equal(t, 12345); /* outputs untouched on error */
            assert_int_equal(off, 777);
        }
    }
    int64_t t = 0;
    assert_int_equal(rx_timefmt_parse(B("2026-11-29T14:00:00Z"), &t, NULL), RX_TIMEFMT_OK);
    assert_int_equal(t, 1795960800); /* offset_min may be NULL */
}

struct format_case {
    int64_t t;
    int off;
    int rc;
    const char *want;
};

static const struct format_case format_cases[] = {
    {1795932000, 480, RX_TIMEFMT_OK, "2026-11-29T14:00:00+08:00"},
    {1795932000, 0, RX_TIMEFMT_OK, "2026-11-29T06:00:00Z"},
    {1795932000, -330, RX_TIMEFMT_OK, "2026-11-29T00:30:00-05:30"},
    {1767198600, 480, RX_TIMEFMT_OK, "2026-01-01T00:30:00+08:00"},
    {1767198600, 0, RX_TIMEFMT_OK, "2025-12-31T16:30:00Z"},
    {0, 480, RX_TIMEFMT_OK, "1970-01-01T08:00:00+08:00"},
    {-1, 0, RX_TIMEFMT_OK, "1969-12-31T23:59:59Z"},
    {-639075600, 480, RX_TIMEFMT_OK, "1949-10-01T15:00:00+08:00"},
    {951839999, 480, RX_TIMEFMT_OK, "2000-02-29T23:59:59+08:00"},
    {-62135596800LL, 0, RX_TIMEFMT_OK, "0001-01-01T00:00:00Z"},
    {253402300799LL, 0, RX_TIMEFMT_OK, "9999-12-31T23:59:59Z"},
    {253402300799LL, 1, RX_TIMEFMT_ERANGE, ""},  /* local time is in year 10000 */
    {-62135596800LL, -1, RX_TIMEFMT_ERANGE, ""}, /* local time is in year 0 */
    {INT64_MAX, 480, RX_TIMEFMT_ERANGE, ""},
    {INT64_MIN, 480, RX_TIMEFMT_ERANGE, ""},
    {0, 1440, RX_TIMEFMT_EVALUE, ""},
    {0, -1440, RX_TIMEFMT_EVALUE, ""},
    {0, 1439, RX_TIMEFMT_OK, "1970-01-01T23:59:00+23:59"},
    {0, -1439, RX_TIMEFMT_OK, "1969-12-31T00:01:00-23:59"},
};

static void test_format_table(void **state)
{
    for (size_t i = 0; i < ARRAY_LEN(format_cases); i++) {
        const struct format_case *c = &format_cases[i];
        char out[RX_TIMEFMT_RFC3339_SIZE];
        int rc = rx_timefmt_format(c->t, c->off, out, sizeof(out));
        if (rc != c->rc) fail_msg("case %zu: rc %d want %d", i, rc, c->rc);
        if (rc == RX_TIMEFMT_OK) assert_string_equal(out, c->want);
    }
    char small[RX_TIMEFMT_RFC3339_SIZE - 1];
    assert_int_equal(rx_timefmt_format(0, 480, small, sizeof(small)), RX_TIMEFMT_ESIZE);
}

/* format then parse gives back the instant and the offset, across eras and offsets. */
static void test_roundtrip(void **state)
{
    static const int offs[] = {480, 0, -330, 345, -600, 1439, -1439, 60};
    char out[RX_TIMEFMT_RFC3339_SIZE];
    for (int64_t t = -62135596800LL + 86400; t < 253402300799LL - 86400; t += 7919 * 3607) {
        for (size_t k = 0; k < ARRAY_LEN(offs); k++) {
            int64_t back;
            int off;
            assert_int_equal(rx_timefmt_format(t, offs[k], out, sizeof(out)), RX_TIMEFMT_OK);
            assert_int_equal(rx_timefmt_parse(out, strlen(out), &back, &off), RX_TIMEFMT_OK);
            assert_int_equal(back, t);
            assert_int_equal(off, offs[k]);
        }
    }
}

struct date_case {
    const char *s;
    size_t n;
    int rc;
    int y, m, d;
    int64_t days;
};

static const struct date_case date_cases[] = {
    {B("1970-01-01"), RX_TIMEFMT_OK, 1970, 1, 1, 0},
    {B("2026-11-29"), RX_TIMEFMT_OK, 2026, 11, 29, 20786},
    {B("2000-02-29"), RX_TIMEFMT_OK, 2000, 2, 29, 11016},
    {B("1949-12-31"), RX_TIMEFMT_OK, 1949, 12, 31, -7306},
    {B("0001-01-01"), RX_TIMEFMT_OK, 1, 1, 1, -719162},
    {B("9999-12-31"), RX_TIMEFMT_OK, 9999, 12, 31, 2932896},
    {B("0000-12-31"), RX_TIMEFMT_ERANGE, 0, 0, 0, 0},
    {B("2026-02-29"), RX_TIMEFMT_EVALUE, 0, 0, 0, 0},
    {B("2100-02-29"), RX_TIMEFMT_EVALUE, 0, 0, 0, 0},
    {B("2026-02-30"), RX_TIMEFMT_EVALUE, 0, 0, 0, 0},
    {B("2026-06-31"), RX_TIMEFMT_EVALUE, 0, 0, 0, 0},
    {B("2026-00-10"), RX_TIMEFMT_EVALUE, 0, 0, 0, 0},
    {B("2026-10-00"), RX_TIMEFMT_EVALUE, 0, 0, 0, 0},
    {B("2026-10-32"), RX_TIMEFMT_EVALUE, 0, 0, 0, 0},
    {B(""), RX_TIMEFMT_ESYNTAX, 0, 0, 0, 0},
    {B("2026-1-1"), RX_TIMEFMT_ESYNTAX, 0, 0, 0, 0},
    {B("20261129"), RX_TIMEFMT_ESYNTAX, 0, 0, 0, 0},
    {B("2026/11/29"), RX_TIMEFMT_ESYNTAX, 0, 0, 0, 0},
    {B("2026-11-29 "), RX_TIMEFMT_ESYNTAX, 0, 0, 0, 0},
    {B("2026-11-2\0"), RX_TIMEFMT_ESYNTAX, 0, 0, 0, 0},
    {B("2026-11-29T00:00:00Z"), RX_TIMEFMT_ESYNTAX, 0, 0, 0, 0},
    {B("-026-11-29"), RX_TIMEFMT_ESYNTAX, 0, 0, 0, 0},
    {B("2026-+1-29"), RX_TIMEFMT_ESYNTAX, 0, 0, 0, 0},
};

static void test_date_table(void **state)
{
    for (size_t i = 0; i < ARRAY_LEN(date_cases); i++) {
        const struct date_case *c = &date_cases[i];
        struct rx_date d = {-1, -1, -1}, back;
        char out[RX_TIMEFMT_DATE_SIZE];
        int rc = rx_timefmt_date_parse(c->s, c->n, &d);
        if (rc != c->rc) fail_msg("case %zu (%s): rc %d want %d", i, c->s, rc, c->rc);
        if (rc != RX_TIMEFMT_OK) {
            assert_int_equal(d.year, -1);
            continue;
        }
        assert_int_equal(d.year, c->y);
        assert_int_equal(d.month, c->m);
        assert_int_equal(d.day, c->d);
        assert_int_equal(rx_timefmt_date_to_days(&d), c->days);
        assert_int_equal(rx_timefmt_date_from_days(c->days, &back), RX_TIMEFMT_OK);
        assert_int_equal(rx_timefmt_date_cmp(&d, &back), 0);
        assert_int_equal(rx_timefmt_date_format(&d, out, sizeof(out)), RX_TIMEFMT_OK);
        assert_memory_equal(out, c->s, c->n + 1);
    }
    struct rx_date bad = {2026, 2, 29};
    char out[RX_TIMEFMT_DATE_SIZE];
    assert_int_equal(rx_timefmt_date_format(&bad, out, sizeof(out)), RX_TIMEFMT_EVALUE);
    struct rx_date ok = {2026, 2, 28};
    assert_int_equal(rx_timefmt_date_format(&ok, out, 10), RX_TIMEFMT_ESIZE);
    assert_int_equal(rx_timefmt_date_from_days(-719163, &ok), RX_TIMEFMT_ERANGE);
    assert_int_equal(rx_timefmt_date_from_days(2932897, &ok), RX_TIMEFMT_ERANGE);
}

/* Day numbers agree with glibc's timegm over every day from 1900 to 2200, and consecutive
 * day numbers are consecutive valid dates. */
static void test_days_vs_timegm(void **state)
{
    struct rx_date d = {1900, 1, 1}, next;
    int64_t days = rx_timefmt_date_to_days(&d);
    while (d.year < 2200) {
        struct tm tm = {0};
        tm.tm_year = d.year - 1900, tm.tm_mon = d.month - 1, tm.tm_mday = d.day;
        assert_int_equal((int64_t)timegm(&tm), days * 86400);
        assert_true(rx_timefmt_date_valid(d.year, d.month, d.day));
        assert_int_equal(rx_timefmt_date_from_days(days + 1, &next), RX_TIMEFMT_OK);
        assert_true(rx_timefmt_date_cmp(&d, &next) < 0);
        assert_int_equal(rx_timefmt_date_to_days(&next), days + 1);
        d = next;
        days++;
    }
}

struct date_at_case {
    int64_t t;
    int off;
    const char *want;
};

static const struct date_at_case date_at_cases[] = {
    {1767196799, 480, "2025-12-31"}, /* 23:59:59 Beijing */
    {1767196800, 480, "2026-01-01"}, /* 00:00:00 Beijing, still 2025 in UTC */
    {1767196800, 0, "2025-12-31"},   {-1, 0, "1969-12-31"}, {-1, 480, "1970-01-01"},
};

static void test_date_at(void **state)
{
    for (size_t i = 0; i < ARRAY_LEN(date_at_cases); i++) {
        struct rx_date d;
        char out[RX_TIMEFMT_DATE_SIZE];
        assert_int_equal(rx_timefmt_date_at(date_at_cases[i].t, date_at_cases[i].off, &d),
                         RX_TIMEFMT_OK);
        assert_int_equal(rx_timefmt_date_format(&d, out, sizeof(out)), RX_TIMEFMT_OK);
        assert_string_equal(out, date_at_cases[i].want);
    }
    struct rx_date d;
    assert_int_equal(rx_timefmt_date_at(INT64_MAX, 480, &d), RX_TIMEFMT_ERANGE);
    assert_int_equal(rx_timefmt_date_at(0, 2000, &d), RX_TIMEFMT_EVALUE);
}

struct age_case {
    struct rx_date birth, on;
    int rc;
    int years;
};

static const struct age_case age_cases[] = {
    {{1949, 12, 31}, {2026, 11, 29}, RX_TIMEFMT_OK, 76},
    {{1949, 12, 31}, {2026, 12, 30}, RX_TIMEFMT_OK, 76},
    {{1949, 12, 31}, {2026, 12, 31}, RX_TIMEFMT_OK, 77}, /* birthday itself */
    {{2008, 11, 29}, {2026, 11, 28}, RX_TIMEFMT_OK, 17}, /* under 18 the day before */
    {{2008, 11, 29}, {2026, 11, 29}, RX_TIMEFMT_OK, 18},
    {{2012, 6, 1}, {2026, 5, 31}, RX_TIMEFMT_OK, 13}, /* under 14 */
    {{2012, 6, 1}, {2026, 6, 1}, RX_TIMEFMT_OK, 14},
    {{2008, 2, 29}, {2026, 2, 28}, RX_TIMEFMT_OK, 17}, /* leapling, common year */
    {{2008, 2, 29}, {2026, 3, 1}, RX_TIMEFMT_OK, 18},
    {{2008, 2, 29}, {2028, 2, 29}, RX_TIMEFMT_OK, 20},
    {{2026, 11, 29}, {2026, 11, 29}, RX_TIMEFMT_OK, 0}, /* born today */
    {{2026, 11, 30}, {2026, 11, 29}, RX_TIMEFMT_ERANGE, 0},
    {{2026, 2, 30}, {2026, 11, 29}, RX_TIMEFMT_EVALUE, 0},
    {{2000, 1, 1}, {2026, 13, 1}, RX_TIMEFMT_EVALUE, 0},
};

static void test_age_table(void **state)
{
    for (size_t i = 0; i < ARRAY_LEN(age_cases); i++) {
        int years = -1;
        int rc = rx_timefmt_age(&age_cases[i].birth, &age_cases[i].on, &years);
        if (rc != age_cases[i].rc) fail_msg("case %zu: rc %d", i, rc);
        if (rc == RX_TIMEFMT_OK && years != age_cases[i].years)
            fail_msg("case %zu: age %d want %d", i, years, age_cases[i].years);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_table),    cmocka_unit_test(test_format_table),
        cmocka_unit_test(test_roundtrip),      cmocka_unit_test(test_date_table),
        cmocka_unit_test(test_days_vs_timegm), cmocka_unit_test(test_date_at),
        cmocka_unit_test(test_age_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
