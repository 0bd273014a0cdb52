/* test_dispatch.c: suggestions for a help request: tree distance, skills against the
 * category, weekly availability, the order, and the median used by the figures. */
#include "testutil.h"
#include "domain/dispatch.h"

static void test_tree_distance(void **state)
{
    static const struct {
        const char *a, *b;
        int d;
    } cases[] = {
        {"/1/2/5/8/", "/1/2/5/8/", 0},  /* the same community */
        {"/1/2/5/8/", "/1/2/5/9/", 2},  /* siblings under one street */
        {"/1/2/5/8/", "/1/2/6/10/", 4}, /* another street of the district */
        {"/1/2/8/", "/1/2/5/9/", 3},   /* a community hanging under the district, one under a street
                                        */
        {"/1/2/5/8/", "/1/3/7/9/", 6}, /* another district */
        {"/1/2/5/8/", "/1/2/5/", 1},   /* its own street */
        {"/1/22/", "/1/2/", 2},        /* ids compared whole, not as prefixes */
        {"/1/2/", "/1/22/5/", 3},       {"/1/", "/1/", 0}, {"1/2/", "/1/2/", -1},
        {"/1/x/", "/1/2/", -1},         {NULL, "/1/", -1},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        int d = rx_dispatch_tree_distance(cases[i].a, cases[i].b);
        if (d != cases[i].d)
            fail_msg("case %zu: %s %s got %d want %d", i, cases[i].a, cases[i].b, d, cases[i].d);
        if (cases[i].a && cases[i].b)
            assert_int_equal(rx_dispatch_tree_distance(cases[i].b, cases[i].a), d);
    }
}

static const struct rx_dispatch_category repair = {"appliance_repair", "家电维修",
                                                   "Appliance repair", "community",
                                                   "社区服务",         "Community service"};
static const struct rx_dispatch_category elder = {"elder_care",   "照料老人",
                                                  "Elderly care", "special_groups",
                                                  "关爱特殊群体", "Care for vulnerable groups"};

static void test_skill(void **state)
{
    static const struct {
        const char *skills[3];
        int n;
        const struct rx_dispatch_category *cat;
        int want;
        const char *tag;
    } cases[] = {
        {{"家电维修"}, 1, &repair, RX_DISPATCH_SKILL_CATEGORY, "家电维修"},
        {{"维修"}, 1, &repair, RX_DISPATCH_SKILL_CATEGORY, "维修"}, /* in the name */
        {{"家电维修服务"},
         1,
         &repair,
         RX_DISPATCH_SKILL_CATEGORY,
         "家电维修服务"}, /* contains it */
        {{"Appliance repair"}, 1, &repair, RX_DISPATCH_SKILL_CATEGORY, "Appliance repair"},
        {{"理发", "repair"}, 2, &repair, RX_DISPATCH_SKILL_CATEGORY, "repair"},
        {{"pair"}, 1, &repair, RX_DISPATCH_SKILL_NONE, NULL}, /* not at a word start */
        {{"服务"}, 1, &repair, RX_DISPATCH_SKILL_NONE, NULL}, /* too generic */
        {{"关爱特殊群体"}, 1, &elder, RX_DISPATCH_SKILL_PARENT, "关爱特殊群体"},
        {{"关爱特殊群体", "照料老人"}, 2, &elder, RX_DISPATCH_SKILL_CATEGORY, "照料老人"},
        {{"急救"}, 1, &elder, RX_DISPATCH_SKILL_NONE, NULL},
        {{NULL}, 0, &elder, RX_DISPATCH_SKILL_NONE, NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        const char *tag = "unset";
        int got = rx_dispatch_skill(cases[i].skills, cases[i].n, cases[i].cat, &tag);
        if (got != cases[i].want) fail_msg("case %zu: got %d want %d", i, got, cases[i].want);
        if (cases[i].tag)
            assert_string_equal(tag, cases[i].tag);
        else
            assert_null(tag);
    }
}

/* 2030-05-06 is a Monday; 00:00 +08:00 is 2030-05-05T16:00Z. */
#define MON 1904227200LL
#define H 3600LL

static void test_minutes(void **state)
{
    assert_int_equal(rx_dispatch_minutes("00:00"), 0);
    assert_int_equal(rx_dispatch_minutes("14:30"), 870);
    assert_int_equal(rx_dispatch_minutes("24:00"), 1440);
    assert_int_equal(rx_dispatch_minutes("24:01"), -1);
    assert_int_equal(rx_dispatch_minutes("9:00"), -1);
    assert_int_equal(rx_dispatch_minutes("09:60"), -1);
    assert_int_equal(rx_dispatch_minutes("ab:cd"), -1);
    assert_int_equal(rx_dispatch_minutes(NULL), -1);
}

static void test_available(void **state)
{
    static const struct rx_dispatch_slot mon_afternoon[] = {{1, 14 * 60, 17 * 60}};
    static const struct rx_dispatch_slot sun_night[] = {{7, 22 * 60, 2 * 60}}; /* past midnight */
    static const struct rx_dispatch_slot two[] = {{3, 9 * 60, 11 * 60}, {5, 19 * 60, 21 * 60}};
    const struct {
        const struct rx_dispatch_slot *s;
        int n;
        int64_t from, to;
        int want;
    } cases[] = {
        {NULL, 0, MON + 15 * H, MON + 16 * H, 1},               /* nothing said: free */
        {mon_afternoon, 1, MON + 15 * H, MON + 16 * H, 1},      /* inside */
        {mon_afternoon, 1, MON + 13 * H, MON + 14 * H + 60, 1}, /* overlaps by a minute */
        {mon_afternoon, 1, MON + 13 * H, MON + 14 * H, 0},      /* ends as it begins */
        {mon_afternoon, 1, MON + 17 * H, MON + 18 * H, 0},      /* starts as it ends */
        {mon_afternoon, 1, MON + 24 * H + 15 * H, MON + 24 * H + 16 * H, 0}, /* Tuesday */
        {mon_afternoon, 1, MON + 7 * 24 * H + 15 * H, MON + 7 * 24 * H + 16 * H,
         1},                                                   /* next Monday */
        {mon_afternoon, 1, MON - 24 * H, MON + 2 * 24 * H, 1}, /* Sunday to Wednesday */
        {sun_night, 1, MON + 1 * H, MON + 3 * H, 1}, /* Monday 01:00 is still Sunday's slot */
        {sun_night, 1, MON + 3 * H, MON + 4 * H, 0},
        {sun_night, 1, MON - 3 * H, MON - 1 * H, 1},                       /* Sunday 21:00-23:00 */
        {two, 2, MON + 4 * 24 * H + 20 * H, MON + 4 * 24 * H + 22 * H, 1}, /* Friday evening */
        {two, 2, MON + 2 * 24 * H + 12 * H, MON + 2 * 24 * H + 13 * H, 0}, /* Wednesday noon */
        {mon_afternoon, 1, MON + 16 * H, MON + 16 * H, 1},                 /* no time given */
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        int got = rx_dispatch_available(cases[i].s, cases[i].n, cases[i].from, cases[i].to);
        if (got != cases[i].want) fail_msg("case %zu: got %d want %d", i, got, cases[i].want);
    }
}

static void test_order(void **state)
{
    /* hand-ordered: distance first, then load, then the stronger skill, then id */
    struct rx_dispatch_candidate c[] = {
        {7, 4, 0, RX_DISPATCH_SKILL_CATEGORY}, {3, 0, 2, RX_DISPATCH_SKILL_CATEGORY},
        {9, 2, 0, RX_DISPATCH_SKILL_PARENT},   {1, 0, 0, RX_DISPATCH_SKILL_PARENT},
        {5, 0, 0, RX_DISPATCH_SKILL_CATEGORY}, {2, 2, 0, RX_DISPATCH_SKILL_PARENT},
        {4, 0, 2, RX_DISPATCH_SKILL_CATEGORY},
    };
    const int64_t want[] = {5, 1, 3, 4, 2, 9, 7};
    rx_dispatch_sort(c, ARRAY_LEN(c));
    for (size_t i = 0; i < ARRAY_LEN(c); i++)
        assert_int_equal(c[i].person_id, want[i]);
    rx_dispatch_sort(NULL, 0);
}

static void test_median(void **state)
{
    int64_t a[] = {180, 30, 60};
    assert_int_equal(rx_dispatch_median(a, 3), 60);
    int64_t b[] = {90, 10, 40, 20};
    assert_int_equal(rx_dispatch_median(b, 4), 30);
    int64_t c[] = {1, 2};
    assert_int_equal(rx_dispatch_median(c, 2), 1); /* 1.5 rounds down */
    int64_t d[] = {7};
    assert_int_equal(rx_dispatch_median(d, 1), 7);
    assert_int_equal(rx_dispatch_median(NULL, 0), 0);
    int64_t e[] = {INT64_MAX, INT64_MAX - 2};
    assert_int_equal(rx_dispatch_median(e, 2), INT64_MAX - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tree_distance), cmocka_unit_test(test_skill),
        cmocka_unit_test(test_minutes),       cmocka_unit_test(test_available),
        cmocka_unit_test(test_order),         cmocka_unit_test(test_median),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
