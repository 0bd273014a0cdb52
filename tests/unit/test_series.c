/* test_series.c: date series and the size sweep (domain/series.c). */
#include "testutil.h"
#include "domain/series.h"

static struct rx_date D(const char *s) {
    struct rx_date d;
    if (rx_timefmt_date_parse(s, strlen(s), &d)) fail_msg("bad date in test: %s", s);
    return d;
}

static void
check_series(const char *from, const char *to, const char *iv, const char *const *want, int n_want)
{
    struct rx_date f = D(from), t = D(to), out[16];
    enum rx_interval v;
    assert_int_equal(rx_interval_parse(iv, &v), 0);
    int n = rx_series_dates(&f, &t, v, out, 16);
    if (n != n_want) fail_msg("%s..%s by %s: %d points, want %d", from, to, iv, n, n_want);
    for (int i = 0; i < n; i++) {
        char s[RX_TIMEFMT_DATE_SIZE];
        rx_timefmt_date_format(&out[i], s, sizeof s);
        if (strcmp(s, want[i]))
            fail_msg("%s..%s by %s: point %d is %s, want %s", from, to, iv, i, s, want[i]);
    }
}

#define CHECK(from, to, iv, ...)                                                                   \
    check_series(from, to, iv, (const char *const[]){__VA_ARGS__},                                 \
                 (int)(sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *)))

static void test_series(void **state)
{
    (void)state;
    CHECK("2024-01-31", "2024-05-01", "month", "2024-01-31", "2024-02-29", "2024-03-31",
          "2024-04-30", "2024-05-01");
    CHECK("2024-01-01", "2024-01-04", "day", "2024-01-01", "2024-01-02", "2024-01-03",
          "2024-01-04");
    CHECK("2024-12-30", "2025-01-02", "day", "2024-12-30", "2024-12-31", "2025-01-01",
          "2025-01-02");
    CHECK("2024-01-01", "2024-01-20", "week", "2024-01-01", "2024-01-08", "2024-01-15",
          "2024-01-20");
    CHECK("2020-02-29", "2023-03-01", "year", "2020-02-29", "2021-02-28", "2022-02-28",
          "2023-02-28", "2023-03-01");
    CHECK("2024-06-15", "2024-06-15", "month", "2024-06-15");
    CHECK("2023-12-15", "2024-02-15", "month", "2023-12-15", "2024-01-15", "2024-02-15");
    /* the step after the last one would leave the calendar: still ends on `to` */
    CHECK("9998-06-01", "9999-12-31", "year", "9998-06-01", "9999-06-01", "9999-12-31");
    CHECK("9999-12-30", "9999-12-31", "week", "9999-12-30", "9999-12-31");
    struct rx_date f = D("2024-01-01"), t = D("2024-01-10"), out[4];
    enum rx_interval v;
    assert_int_equal(rx_interval_parse("day", &v), 0);
    assert_int_equal(rx_series_dates(&f, &t, v, out, 4), -1); /* 10 points do not fit in 4 */
    assert_int_equal(rx_series_dates(&t, &f, v, out, 4), 0);  /* to before from: nothing */
    assert_int_equal(rx_interval_parse("fortnight", &v), -1);
    assert_int_equal(rx_interval_parse("Month", &v), -1);
    assert_int_equal(rx_interval_parse(NULL, &v), -1);
}

static void test_sizes(void **state)
{
    (void)state;
    /* joins on 01-01 (x2) and 01-10, one leave on 01-10 (not counted from that day), one on 02-01
     */
    const char *ev_dates[] = {"2024-01-01", "2024-01-01", "2024-01-10", "2024-01-10", "2024-02-01"};
    const int ev_delta[] = {1, 1, -1, 1, -1};
    struct rx_size_event ev[5];
    for (int i = 0; i < 5; i++) {
        struct rx_date d = D(ev_dates[i]);
        ev[i] = (struct rx_size_event){rx_timefmt_date_to_days(&d), ev_delta[i]};
    }
    const char *pt_dates[] = {"2023-12-31", "2024-01-01", "2024-01-09", "2024-01-10",
                              "2024-01-31", "2024-02-01", "2025-01-01"};
    const int64_t want[] = {0, 2, 2, 2, 2, 1, 1};
    struct rx_date pts[7];
    int64_t sizes[7];
    for (int i = 0; i < 7; i++)
        pts[i] = D(pt_dates[i]);
    rx_series_sizes(ev, 5, pts, 7, sizes);
    for (int i = 0; i < 7; i++)
        if (sizes[i] != want[i])
            fail_msg("size on %s is %lld, want %lld", pt_dates[i], (long long)sizes[i],
                     (long long)want[i]);
    rx_series_sizes(NULL, 0, pts, 7, sizes); /* no members at all */
    for (int i = 0; i < 7; i++)
        assert_int_equal(sizes[i], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_series),
        cmocka_unit_test(test_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
