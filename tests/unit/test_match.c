/* test_match.c: scoring Party members against teams (domain/match.c), one row per case. */
#include "testutil.h"
#include "domain/match.h"
#include <stdio.h>

#define TAGS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NOTAGS ((const char *const[]){NULL})

static int count(const char *const *t)
{
    int n = 0;
    while (t[n])
        n++;
    return n;
}

/* Teams of the seed article, with the categories of migration 0002. */
static const struct rx_match_team haircut_team = {"党员家门口志愿服务队",
                                                  "haircut",
                                                  "义务理发",
                                                  "Free haircuts",
                                                  "community",
                                                  "社区服务",
                                                  "Community service",
                                                  "需要会理发、按摩的党员",
                                                  "30年如一日为居民义务理发"};
static const struct rx_match_team repair_team = {
    "家电维修队", "appliance_repair",  "家电维修", "Appliance repair",  "community",
    "社区服务",   "Community service", NULL,       "为居民免费维修家电"};
static const struct rx_match_team art_team = {"书梦艺术团",
                                              "performance",
                                              "文艺汇演",
                                              "Performances",
                                              "culture",
                                              "文化艺术",
                                              "Culture and arts",
                                              "招募喜欢舞蹈、唱歌的居民",
                                              "每逢重大节日为居民义务表演节目"};
static const struct rx_match_team bare_team = {"无类别队", NULL, NULL, NULL, NULL,
                                               NULL,       NULL, NULL, NULL};

static const struct {
    const char *what;
    const char *const *skills;
    const char *const *interests;
    const struct rx_match_team *team;
    int score;
    const char *zh; /* the whole explanation */
    const char *en;
} rows[] = {
    {"skill inside the category name", TAGS("理发"), NOTAGS, &haircut_team, 10,
     "特长「理发」与队伍服务类别「义务理发」相符",
     "Skill '理发' matches the team's category 'Free haircuts'"},
    {"English skill at a word start of the en name", TAGS("haircut"), NOTAGS, &haircut_team, 10,
     "特长「haircut」与队伍服务类别「义务理发」相符",
     "Skill 'haircut' matches the team's category 'Free haircuts'"},
    {"case is ignored", TAGS("HAIRCUT"), NOTAGS, &haircut_team, 10,
     "特长「HAIRCUT」与队伍服务类别「义务理发」相符",
     "Skill 'HAIRCUT' matches the team's category 'Free haircuts'"},
    {"interest weighs less than skill", NOTAGS, TAGS("理发"), &haircut_team, 7,
     "兴趣「理发」与队伍服务类别「义务理发」相符",
     "Interest '理发' matches the team's category 'Free haircuts'"},
    {"tag containing the category name", TAGS("义务理发服务"), NOTAGS, &haircut_team, 10,
     "特长「义务理发服务」与队伍服务类别「义务理发」相符",
     "Skill '义务理发服务' matches the team's category 'Free haircuts'"},
    {"matches the code's word", TAGS("repair"), NOTAGS, &repair_team, 10,
     "特长「repair」与队伍服务类别「家电维修」相符",
     "Skill 'repair' matches the team's category 'Appliance repair'"},
    {"no match inside a Latin word", TAGS("pair"), NOTAGS, &repair_team, 0, "", ""},
    {"needs, then the sum of two tags", TAGS("理发", "按摩"), NOTAGS, &haircut_team, 16,
     "特长「理发」与队伍服务类别「义务理发」相符；特长「按摩」正是队伍所需",
     "Skill '理发' matches the team's category 'Free haircuts'; Skill '按摩' is what the team says "
     "it needs"},
    {"parent category beats the name", NOTAGS, TAGS("艺术"), &art_team, 3,
     "兴趣「艺术」与队伍服务大类「文化艺术」相符",
     "Interest '艺术' matches the team's broader category 'Culture and arts'"},
    {"interest in the needs", NOTAGS, TAGS("舞蹈"), &art_team, 4, "兴趣「舞蹈」正是队伍所需",
     "Interest '舞蹈' is what the team says it needs"},
    {"description", TAGS("表演"), NOTAGS, &art_team, 3, "特长「表演」见于队伍简介",
     "Skill '表演' appears in the team's description"},
    {"team name", NOTAGS, TAGS("书梦"), &art_team, 2, "兴趣「书梦」与队伍名称「书梦艺术团」相符",
     "Interest '书梦' matches the team's name '书梦艺术团'"},
    {"generic words never match", TAGS("服务", "社区", "Community"), TAGS("志愿者"), &haircut_team,
     0, "", ""},
    {"a single Chinese character only matches whole", TAGS("书"), NOTAGS, &art_team, 0, "", ""},
    {"the same tag twice counts once", TAGS("理发", " 理发 "), NOTAGS, &haircut_team, 10,
     "特长「理发」与队伍服务类别「义务理发」相符",
     "Skill '理发' matches the team's category 'Free haircuts'"},
    {"a team without category or text", TAGS("理发"), TAGS("舞蹈"), &bare_team, 0, "", ""},
    {"nothing to match", NOTAGS, NOTAGS, &art_team, 0, "", ""},
    {"best reason first whatever the order", NOTAGS, TAGS("表演", "唱歌", "文艺汇演"), &art_team,
     2 + 4 + 7,
     "兴趣「文艺汇演」与队伍服务类别「文艺汇演」相符；兴趣「唱歌」正是队伍所需；兴趣「表演」见于队"
     "伍简介",
     "Interest '文艺汇演' matches the team's category 'Performances'; Interest '唱歌' is what the "
     "team says "
     "it needs; Interest '表演' appears in the team's description"},
};

static void test_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(rows); i++) {
        struct rx_match_person p = {rows[i].skills, count(rows[i].skills), rows[i].interests,
                                    count(rows[i].interests)};
        struct rx_match_result res;
        rx_match_score(&p, rows[i].team, &res);
        char zh[512], en[512];
        rx_match_explain(&res, rows[i].team, 0, zh, sizeof zh);
        rx_match_explain(&res, rows[i].team, 1, en, sizeof en);
        if (res.score != rows[i].score || strcmp(zh, rows[i].zh) || strcmp(en, rows[i].en))
            fail_msg("row %zu (%s): score %d want %d\n zh \"%s\"\n want \"%s\"\n en \"%s\"\n want "
                     "\"%s\"",
                     i, rows[i].what, res.score, rows[i].score, zh, rows[i].zh, en, rows[i].en);
    }
}

static void test_explain_truncates_on_a_character(void **state)
{
    (void)state;
    struct rx_match_person p = {TAGS("理发"), 1, NOTAGS, 0};
    struct rx_match_result res;
    rx_match_score(&p, &haircut_team, &res);
    /* "特长「理发」..." cut at 8 bytes: 特(3) 长(3) then 「 needs 3 bytes, only 1 left */
    char out[9];
    size_t n = rx_match_explain(&res, &haircut_team, 0, out, sizeof out);
    assert_int_equal(n, 6);
    assert_string_equal(out, "特长");
}

static void test_prefer(void **state)
{
    (void)state;
    static const struct {
        struct rx_match_candidate a, b;
        int a_better;
    } t[] = {
        {{1, 10, 50}, {2, 7, 0}, 1}, /* higher score wins whatever the size */
        {{1, 7, 0}, {2, 10, 50}, 0},
        {{5, 10, 3}, {2, 10, 9}, 1}, /* equal score: the smaller team */
        {{2, 10, 3}, {5, 10, 3}, 1}, /* then the older team */
        {{5, 10, 3}, {2, 10, 3}, 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(t); i++)
        if (rx_match_prefer(&t[i].a, &t[i].b) != t[i].a_better) fail_msg("prefer row %zu", i);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_explain_truncates_on_a_character),
        cmocka_unit_test(test_prefer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
