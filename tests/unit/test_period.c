/* test_period.c: report periods split for the rollups, calendar buckets, years. */
#include "testutil.h"
#include "domain/period.h"

#define D(y, m, d) ((struct rx_date){y, m, d})

static int same(struct rx_date a, struct rx_date b)
{
    return a.year == b.year && a.month == b.month && a.day == b.day;
}

static void test_split(void **state)
{
    struct rx_period_split s;
    rx_period_split(&(struct rx_date){2026, 1, 15}, &(struct rx_date){2026, 4, 10}, &s);
    assert_true(s.has_months && s.has_head && s.has_tail);
    assert_true(same(s.m_from, D(2026, 2, 1)) && same(s.m_to, D(2026, 3, 1)));
    assert_true(same(s.head_from, D(2026, 1, 15)) && same(s.head_to, D(2026, 1, 31)));
    assert_true(same(s.tail_from, D(2026, 4, 1)) && same(s.tail_to, D(2026, 4, 10)));
    /* whole years: months only */
    rx_period_split(&(struct rx_date){2024, 1, 1}, &(struct rx_date){2026, 12, 31}, &s);
    assert_true(s.has_months && !s.has_head && !s.has_tail);
    assert_true(same(s.m_from, D(2024, 1, 1)) && same(s.m_to, D(2026, 12, 1)));
    /* inside one month: days only */
    rx_period_split(&(struct rx_date){2026, 2, 3}, &(struct rx_date){2026, 2, 27}, &s);
    assert_true(!s.has_months && s.has_head && !s.has_tail);
    assert_true(same(s.head_from, D(2026, 2, 3)) && same(s.head_to, D(2026, 2, 27)));
    /* February of a leap year ends on the 29th */
    rx_period_split(&(struct rx_date){2024, 2, 1}, &(struct rx_date){2024, 2, 29}, &s);
    assert_true(s.has_months && !s.has_head && !s.has_tail && same(s.m_to, D(2024, 2, 1)));
    rx_period_split(&(struct rx_date){2024, 2, 1}, &(struct rx_date){2024, 2, 28}, &s);
    assert_true(!s.has_months && s.has_head);
    /* two partial months next to each other */
    rx_period_split(&(struct rx_date){2026, 1, 31}, &(struct rx_date){2026, 2, 1}, &s);
    assert_true(!s.has_months && s.has_head && same(s.head_to, D(2026, 2, 1)));
    /* one day */
    rx_period_split(&(struct rx_date){2026, 3, 1}, &(struct rx_date){2026, 3, 1}, &s);
    assert_true(!s.has_months && s.has_head && same(s.head_from, D(2026, 3, 1)));
}

static void test_years(void **state)
{
    assert_true(rx_period_years(&(struct rx_date){2024, 1, 1}, &(struct rx_date){2024, 12, 31}) == 1.0);
    assert_true(rx_period_years(&(struct rx_date){2024, 1, 1}, &(struct rx_date){2026, 12, 31}) == 3.0);
    double y = rx_period_years(&(struct rx_date){2025, 7, 1}, &(struct rx_date){2026, 6, 30});
    assert_true(y > 1.0 - 1e-9 && y < 1.0 + 1e-9); /* 184/365 + 181/365 */
    y = rx_period_years(&(struct rx_date){2026, 1, 1}, &(struct rx_date){2026, 1, 31});
    assert_true(y > 31.0 / 365 - 1e-12 && y < 31.0 / 365 + 1e-12);
}

static void test_buckets(void **state)
{
    struct rx_date s[10], e[10];
    /* 2026-01-01 is a Thursday: the first week is Thu..Sun */
    int n = rx_period_buckets(&(struct rx_date){2026, 1, 1}, &(struct rx_date){2026, 1, 14},
                              RX_BUCKET_WEEK, s, e, 10);
    assert_int_equal(n, 3);
    assert_true(same(s[0], D(2026, 1, 1)) && same(e[0], D(2026, 1, 4)));
    assert_true(same(s[1], D(2026, 1, 5)) && same(e[1], D(2026, 1, 11)));
    assert_true(same(s[2], D(2026, 1, 12)) && same(e[2], D(2026, 1, 14)));
    n = rx_period_buckets(&(struct rx_date){2025, 12, 20}, &(struct rx_date){2026, 2, 10},
                          RX_BUCKET_MONTH, s, e, 10);
    assert_int_equal(n, 3);
    assert_true(same(e[0], D(2025, 12, 31)) && same(s[1], D(2026, 1, 1)) && same(e[2], D(2026, 2, 10)));
    n = rx_period_buckets(&(struct rx_date){2024, 3, 1}, &(struct rx_date){2026, 2, 10},
                          RX_BUCKET_YEAR, s, e, 10);
    assert_int_equal(n, 3);
    assert_true(same(e[0], D(2024, 12, 31)) && same(s[2], D(2026, 1, 1)));
    assert_int_equal(rx_period_buckets(&(struct rx_date){2024, 1, 1}, &(struct rx_date){2026, 1, 1},
                                       RX_BUCKET_MONTH, s, e, 10),
                     -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_split), cmocka_unit_test(test_years),
                                       cmocka_unit_test(test_buckets)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
