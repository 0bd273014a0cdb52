/* test_series.c: dates, date series and the size sweep (domain/series.c). */
#include "testutil.h"
#include "domain/series.h"

static void test_parse(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int ok;
    } t[] = {{"2024-02-29", 1}, {"2023-02-29", 0}, {"2000-02-29", 1}, {"1900-02-29", 0},
             {"2024-04-31", 0}, {"2024-13-01", 0}, {"2024-00-10", 0}, {"2024-1-01", 0},
             {"2024-01-01x", 0}, {"1899-12-31", 0}, {"2199-12-31", 1}, {"2024/01/01", 0},
             {"", 0},           {NULL, 0}};
    for (size_t i = 0; i < ARRAY_LEN(t); i++) {
        struct rx_date d;
        if ((rx_date_parse(t[i].s, &d) == 0) != t[i].ok) fail_msg("parse row %zu", i);
    }
}

static void test_days_round_trip(void **state)
{
    (void)state;
    struct rx_date d;
    assert_int_equal(rx_date_parse("1970-01-01", &d), 0);
    assert_int_equal(rx_date_days(d), 0);
    assert_int_equal(rx_date_parse("2000-03-01", &d), 0);
    assert_int_equal(rx_date_days(d), 11017);
    assert_int_equal(rx_date_parse("1900-01-01", &d), 0);
    assert_int_equal(rx_date_days(d), -25567);
    for (int64_t k = -25567; k < 84000; k += 37) {
        char s[11];
        rx_date_format(rx_date_from_days(k), s);
        assert_int_equal(rx_date_parse(s, &d), 0);
        assert_int_equal(rx_date_days(d), k);
    }
    /* 2024-01-01T00:00:00+08:00 is 2023-12-31T16:00:00Z = 1704038400 */
    char s[11];
    rx_date_format(rx_date_at(1704038400, 8 * 3600), s);
    assert_string_equal(s, "2024-01-01");
    rx_date_format(rx_date_at(1704038400 - 1, 8 * 3600), s);
    assert_string_equal(s, "2023-12-31");
}

static void check_series(const char *from, const char *to, const char *iv, const char *const *want,
                         int n_want)
{
    struct rx_date f, t, out[16];
    enum rx_interval v;
    assert_int_equal(rx_date_parse(from, &f), 0);
    assert_int_equal(rx_date_parse(to, &t), 0);
    assert_int_equal(rx_interval_parse(iv, &v), 0);
    int n = rx_series_dates(f, t, v, out, 16);
    if (n != n_want) fail_msg("%s..%s by %s: %d points, want %d", from, to, iv, n, n_want);
    for (int i = 0; i < n; i++) {
        char s[11];
        rx_date_format(out[i], s);
        if (strcmp(s, want[i])) fail_msg("%s..%s by %s: point %d is %s, want %s", from, to, iv, i, s, want[i]);
    }
}

#define CHECK(from, to, iv, ...)                                                                   \
    check_series(from, to, iv, (const char *const[]){__VA_ARGS__},                                 \
                 (int)(sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *)))

static void test_series(void **state)
{
    (void)state;
    CHECK("2024-01-31", "2024-05-01", "month", "2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30",
          "2024-05-01");
    CHECK("2024-01-01", "2024-01-04", "day", "2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04");
    CHECK("2024-01-01", "2024-01-20", "week", "2024-01-01", "2024-01-08", "2024-01-15", "2024-01-20");
    CHECK("2020-02-29", "2023-03-01", "year", "2020-02-29", "2021-02-28", "2022-02-28", "2023-02-28",
          "2023-03-01");
    CHECK("2024-06-15", "2024-06-15", "month", "2024-06-15");
    CHECK("2023-12-15", "2024-02-15", "month", "2023-12-15", "2024-01-15", "2024-02-15");
    struct rx_date f, t, out[4];
    enum rx_interval v;
    assert_int_equal(rx_date_parse("2024-01-01", &f), 0);
    assert_int_equal(rx_date_parse("2024-01-10", &t), 0);
    assert_int_equal(rx_interval_parse("day", &v), 0);
    assert_int_equal(rx_series_dates(f, t, v, out, 4), -1); /* 10 points do not fit in 4 */
    assert_int_equal(rx_series_dates(t, f, v, out, 4), 0);  /* to before from: nothing */
    assert_int_equal(rx_interval_parse("fortnight", &v), -1);
    assert_int_equal(rx_interval_parse(NULL, &v), -1);
}

static void test_sizes(void **state)
{
    (void)state;
    /* joins on 01-01 (x2) and 01-10, one leave on 01-10 (not counted from that day), one on 02-01 */
    struct rx_date d;
    const char *ev_dates[] = {"2024-01-01", "2024-01-01", "2024-01-10", "2024-01-10", "2024-02-01"};
    const int ev_delta[] = {1, 1, -1, 1, -1};
    struct rx_size_event ev[5];
    for (int i = 0; i < 5; i++) {
        assert_int_equal(rx_date_parse(ev_dates[i], &d), 0);
        ev[i] = (struct rx_size_event){rx_date_days(d), ev_delta[i]};
    }
    const char *pt_dates[] = {"2023-12-31", "2024-01-01", "2024-01-09", "2024-01-10", "2024-01-31",
                              "2024-02-01", "2025-01-01"};
    const int64_t want[] = {0, 2, 2, 2, 2, 1, 1};
    struct rx_date pts[7];
    int64_t sizes[7];
    for (int i = 0; i < 7; i++) assert_int_equal(rx_date_parse(pt_dates[i], &pts[i]), 0);
    rx_series_sizes(ev, 5, pts, 7, sizes);
    for (int i = 0; i < 7; i++)
        if (sizes[i] != want[i]) fail_msg("size on %s is %lld, want %lld", pt_dates[i], (long long)sizes[i],
                                          (long long)want[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_days_round_trip),
        cmocka_unit_test(test_series),
        cmocka_unit_test(test_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
