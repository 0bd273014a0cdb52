/* test_star.c: star level thresholds and levels. */
#include "testutil.h"
#include "domain/star.h"

#define B(lit) lit, sizeof(lit) - 1

struct parse_case {
    const char *s;
    size_t n;
    int rc;
    int count;
    int32_t hours[RX_STAR_MAX_LEVELS];
};

static const struct parse_case parse_cases[] = {
    {B(RX_STAR_NATIONAL), RX_STAR_OK, 5, {100, 300, 600, 1000, 1500}},
    {B(RX_STAR_BEIJING), RX_STAR_OK, 5, {100, 200, 500, 800, 1000}},
    {B("100, 300 ,600"), RX_STAR_OK, 3, {100, 300, 600}},
    {B(" 50\t"), RX_STAR_OK, 1, {50}},
    {B("1,2,3,4,5,6,7,8,9,10"), RX_STAR_OK, 10, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
    {B("0100,0300"), RX_STAR_OK, 2, {100, 300}},
    {B("1000000"), RX_STAR_OK, 1, {1000000}},
    {B(""), RX_STAR_ECOUNT, 0, {0}},
    {B("   "), RX_STAR_ECOUNT, 0, {0}},
    {B("1,2,3,4,5,6,7,8,9,10,11"), RX_STAR_ECOUNT, 0, {0}},
    {B("100,300,300"), RX_STAR_EORDER, 0, {0}},
    {B("300,100"), RX_STAR_EORDER, 0, {0}},
    {B("0,100"), RX_STAR_ERANGE, 0, {0}},
    {B("1000001"), RX_STAR_ERANGE, 0, {0}},
    {B("99999999999999999999999999"), RX_STAR_ERANGE, 0, {0}},
    {B("100,"), RX_STAR_ESYNTAX, 0, {0}},
    {B(",100"), RX_STAR_ESYNTAX, 0, {0}},
    {B("100,,300"), RX_STAR_ESYNTAX, 0, {0}},
    {B("100;300"), RX_STAR_ESYNTAX, 0, {0}},
    {B("100 300"), RX_STAR_ESYNTAX, 0, {0}},
    {B("-100"), RX_STAR_ESYNTAX, 0, {0}},
    {B("+100"), RX_STAR_ESYNTAX, 0, {0}},
    {B("100.5"), RX_STAR_ESYNTAX, 0, {0}},
    {B("1e3"), RX_STAR_ESYNTAX, 0, {0}},
    {B("0x64"), RX_STAR_ESYNTAX, 0, {0}},
    {B("100h,300h"), RX_STAR_ESYNTAX, 0, {0}},
    {B("100\0,300"), RX_STAR_ESYNTAX, 0, {0}},
    {B("100,300\n"), RX_STAR_ESYNTAX, 0, {0}},
    {B("１００"), RX_STAR_ESYNTAX, 0, {0}},   /* full-width digits */
    {B("100，300"), RX_STAR_ESYNTAX, 0, {0}}, /* full-width comma */
};

static void test_parse_table(void **state)
{
    for (size_t i = 0; i < ARRAY_LEN(parse_cases); i++) {
        const struct parse_case *c = &parse_cases[i];
        struct rx_star_config cfg = {.count = -7};
        int rc = rx_star_parse(c->s, c->n, &cfg);
        if (rc != c->rc) fail_msg("case %zu (%s): rc %d want %d", i, c->s, rc, c->rc);
        if (rc != RX_STAR_OK) {
            assert_int_equal(cfg.count, -7);
            continue;
        }
        assert_int_equal(cfg.count, c->count);
        assert_memory_equal(cfg.hours, c->hours, sizeof(int32_t) * (size_t)c->count);
    }
    char big[RX_STAR_MAX_INPUT + 1];
    memset(big, ' ', sizeof(big));
    big[0] = '1';
    assert_int_equal(rx_star_parse(big, sizeof(big), &(struct rx_star_config){0}), RX_STAR_ESYNTAX);
    assert_int_equal(rx_star_parse(big, sizeof(big) - 1, &(struct rx_star_config){0}), RX_STAR_OK);
}

struct level_case {
    const char *cfg;
    int64_t minutes;
    int rc;
    int level;
    int64_t to_next;
};

static const struct level_case level_cases[] = {
    {RX_STAR_NATIONAL, 0, RX_STAR_OK, 0, 6000},
    {RX_STAR_NATIONAL, 5999, RX_STAR_OK, 0, 1},
    {RX_STAR_NATIONAL, 6000, RX_STAR_OK, 1, 12000}, /* exactly 100 h: one star */
    {RX_STAR_NATIONAL, 35 * 60, RX_STAR_OK, 0, 6000 - 2100},
    {RX_STAR_NATIONAL, 299 * 60 + 59, RX_STAR_OK, 1, 1},
    {RX_STAR_NATIONAL, 300 * 60, RX_STAR_OK, 2, 18000},
    {RX_STAR_NATIONAL, 1499 * 60, RX_STAR_OK, 4, 60},
    {RX_STAR_NATIONAL, 1500 * 60, RX_STAR_OK, 5, 0}, /* top level */
    {RX_STAR_NATIONAL, 99999 * 60, RX_STAR_OK, 5, 0},
    {RX_STAR_NATIONAL, INT64_MAX, RX_STAR_OK, 5, 0},
    {RX_STAR_BEIJING, 200 * 60, RX_STAR_OK, 2, 300 * 60},
    {RX_STAR_BEIJING, 1000 * 60, RX_STAR_OK, 5, 0},
    {RX_STAR_BEIJING, 999 * 60, RX_STAR_OK, 4, 60},
    {"1", 59, RX_STAR_OK, 0, 1},
    {"1", 60, RX_STAR_OK, 1, 0},
    {RX_STAR_NATIONAL, -1, RX_STAR_ERANGE, 0, 0},
};

static void test_level_table(void **state)
{
    for (size_t i = 0; i < ARRAY_LEN(level_cases); i++) {
        const struct level_case *c = &level_cases[i];
        struct rx_star_config cfg;
        struct rx_star_result res = {-1, -1};
        assert_int_equal(rx_star_parse(c->cfg, strlen(c->cfg), &cfg), RX_STAR_OK);
        int rc = rx_star_level(&cfg, c->minutes, &res);
        if (rc != c->rc) fail_msg("case %zu: rc %d", i, rc);
        if (rc != RX_STAR_OK) continue;
        if (res.level != c->level) fail_msg("case %zu: level %d want %d", i, res.level, c->level);
        if (res.minutes_to_next != c->to_next)
            fail_msg("case %zu: to next %lld want %lld", i, (long long)res.minutes_to_next,
                     (long long)c->to_next);
    }
    struct rx_star_config empty = {0};
    struct rx_star_result res;
    assert_int_equal(rx_star_level(&empty, 100, &res), RX_STAR_ECOUNT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_table),
        cmocka_unit_test(test_level_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
