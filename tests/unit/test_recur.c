/* test_recur.c: weekly series occurrences. */
#include "testutil.h"
#include "domain/recur.h"
#include <stdio.h>

#define D(y, m, d) ((struct rx_date){y, m, d})
#define WD(d) (1u << (d))

static void test_weekday(void **state)
{
    (void)state;
    struct rx_date days[] = {D(1970, 1, 1), D(2026, 3, 2), D(2026, 3, 5), D(2026, 3, 8),
                             D(1969, 12, 29)};
    int want[] = {4, 1, 4, 7, 1};
    for (size_t i = 0; i < ARRAY_LEN(days); i++)
        assert_int_equal(rx_recur_weekday(rx_timefmt_date_to_days(&days[i])), want[i]);
}

static void test_hhmm(void **state)
{
    (void)state;
    int m = -1;
    assert_int_equal(rx_recur_parse_hhmm("14:30", 5, &m), RX_RECUR_OK);
    assert_int_equal(m, 870);
    assert_int_equal(rx_recur_parse_hhmm("00:00", 5, &m), RX_RECUR_OK);
    assert_int_equal(m, 0);
    assert_int_equal(rx_recur_parse_hhmm("23:59", 5, &m), RX_RECUR_OK);
    assert_int_equal(m, 1439);
    const char *bad[] = {"24:00", "12:60", "1:30", "12-30", "ab:cd", "12:300", ""};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++)
        assert_int_equal(rx_recur_parse_hhmm(bad[i], strlen(bad[i]), &m), RX_RECUR_ERULE);
}

/* Mondays and Thursdays 14:30-16:30 in March 2026 (+08:00): 2, 5, 9, 12, 16, 19, 23, 26, 30. */
static void test_mon_thu(void **state)
{
    (void)state;
    struct rx_recur_rule r = {WD(1) | WD(4), 870, 990, D(2026, 3, 1), D(2026, 3, 31), 480};
    struct rx_recur_occurrence o[20];
    size_t n = 0;
    assert_int_equal(rx_recur_expand(&r, o, 20, &n), RX_RECUR_OK);
    assert_int_equal(n, 9);
    int days[] = {2, 5, 9, 12, 16, 19, 23, 26, 30};
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(o[i].date.day, days[i]);
        assert_int_equal(o[i].ends_at - o[i].starts_at, 7200);
        char buf[RX_TIMEFMT_RFC3339_SIZE];
        rx_timefmt_format(o[i].starts_at, 480, buf, sizeof buf);
        char want[32];
        snprintf(want, sizeof want, "2026-03-%02dT14:30:00+08:00", days[i]);
        assert_string_equal(buf, want);
    }
}

static void test_night(void **state)
{
    (void)state;
    /* Saturdays 22:00-02:00: ends the next day, four hours long */
    struct rx_recur_rule r = {WD(6), 1320, 120, D(2026, 3, 7), D(2026, 3, 14), 480};
    struct rx_recur_occurrence o[4];
    size_t n = 0;
    assert_int_equal(rx_recur_expand(&r, o, 4, &n), RX_RECUR_OK);
    assert_int_equal(n, 2);
    assert_int_equal(o[0].ends_at - o[0].starts_at, 4 * 3600);
    char buf[RX_TIMEFMT_RFC3339_SIZE];
    rx_timefmt_format(o[1].ends_at, 480, buf, sizeof buf);
    assert_string_equal(buf, "2026-03-15T02:00:00+08:00");
    /* equal start and end is a full day */
    r.end_min = r.start_min;
    assert_int_equal(rx_recur_expand(&r, o, 4, &n), RX_RECUR_OK);
    assert_int_equal(o[0].ends_at - o[0].starts_at, 86400);
}

static void test_errors(void **state)
{
    (void)state;
    struct rx_recur_occurrence o[3];
    size_t n = 99;
    struct rx_recur_rule r = {0, 600, 660, D(2026, 3, 1), D(2026, 3, 31), 480};
    assert_int_equal(rx_recur_expand(&r, o, 3, &n), RX_RECUR_ERULE);
    assert_int_equal(n, 0);
    r.weekdays = WD(0);
    assert_int_equal(rx_recur_expand(&r, o, 3, &n), RX_RECUR_ERULE);
    r.weekdays = 1u << 8;
    assert_int_equal(rx_recur_expand(&r, o, 3, &n), RX_RECUR_ERULE);
    r.weekdays = WD(1);
    r.until = D(2026, 2, 28);
    assert_int_equal(rx_recur_expand(&r, o, 3, &n), RX_RECUR_ERANGE);
    r.until = D(2026, 3, 31); /* five Mondays into three places */
    assert_int_equal(rx_recur_expand(&r, o, 3, &n), RX_RECUR_ETOOMANY);
    r.first = D(2026, 3, 3);
    r.until = D(2026, 3, 8); /* Tuesday to Sunday: no Monday */
    assert_int_equal(rx_recur_expand(&r, o, 3, &n), RX_RECUR_EEMPTY);
    r.start_min = 1440;
    assert_int_equal(rx_recur_expand(&r, o, 3, &n), RX_RECUR_ERULE);
    r.start_min = 600;
    r.first = D(2026, 2, 30);
    assert_int_equal(rx_recur_expand(&r, o, 3, &n), RX_RECUR_ERANGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weekday), cmocka_unit_test(test_hhmm),
        cmocka_unit_test(test_mon_thu), cmocka_unit_test(test_night),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
