/* test_hours.c: minutes credited from attendance. */
#include "testutil.h"
#include "domain/hours.h"

#define M 60LL
#define H 3600LL
/* 2026-11-29 14:00 +08:00, a three-hour afternoon activity */
#define S 1795932000LL
#define E (S + 3 * H)
/* 2026-11-29 22:00 +08:00 to 02:00 the next day, a night patrol */
#define NS (S + 8 * H)
#define NE (NS + 4 * H)

#define REVIEW RX_HOURS_NEEDS_REVIEW
#define NOOUT RX_HOURS_NO_CHECKOUT
#define OUTSIDE RX_HOURS_OUTSIDE_WINDOW
#define BELOW RX_HOURS_BELOW_MINIMUM
#define CAP RX_HOURS_OVER_DAILY_CAP

enum { DEF, CLOSE0, NOMIN, CAP1440 }; /* rule sets below */

struct hours_case {
    const char *name;
    int rules;
    struct rx_hours_attendance a;
    int rc;
    int minutes;
    unsigned flags;
    const char *reason;
};

static const struct hours_case cases[] = {
    {"normal", DEF, {S, E, S, E, 0}, RX_HOURS_OK, 180, 0, NULL},
    {"inside, floored", DEF, {S, E, S + 5 * M, E - 10 * M - 30, 0}, RX_HOURS_OK, 164, 0, NULL},
    {"59 s late floors down", DEF, {S, E, S + 59, E, 0}, RX_HOURS_OK, 179, 0, NULL},
    {"early arrival", DEF, {S, E, S - 30 * M, E, 0}, RX_HOURS_OK, 180, 0, NULL},
    {"late leave", DEF, {S, E, S, E + 45 * M, 0}, RX_HOURS_OK, 180, 0, NULL},
    {"early and late", DEF, {S, E, S - H, E + H, 0}, RX_HOURS_OK, 180, 0, NULL},
    {"left early", DEF, {S, E, S - H, S + 90 * M, 0}, RX_HOURS_OK, 90, 0, NULL},
    {"no check-out",
     DEF,
     {S, E, S + 20 * M, 0, 0},
     RX_HOURS_OK,
     160,
     REVIEW | NOOUT,
     "no_checkout"},
    {"no check-out, early",
     DEF,
     {S, E, S - 20 * M, 0, 0},
     RX_HOURS_OK,
     180,
     REVIEW | NOOUT,
     "no_checkout"},
    {"no check-out, close zero",
     CLOSE0,
     {S, E, S, 0, 0},
     RX_HOURS_OK,
     0,
     REVIEW | NOOUT,
     "no_checkout"},
    {"no check-out, 5 min left",
     DEF,
     {S, E, E - 5 * M, 0, 0},
     RX_HOURS_OK,
     0,
     REVIEW | NOOUT | BELOW,
     "no_checkout"},
    {"over the cap: 10 h",
     DEF,
     {S - 6 * H, S + 4 * H, S - 6 * H, S + 4 * H, 0},
     RX_HOURS_OK,
     480,
     REVIEW | CAP,
     "over_daily_cap"},
    {"10 h, no check-out",
     DEF,
     {S - 6 * H, S + 4 * H, S - 6 * H, 0, 0},
     RX_HOURS_OK,
     480,
     REVIEW | NOOUT | CAP,
     "no_checkout"},
    {"exactly the cap", DEF, {S, S + 8 * H, S, S + 8 * H, 0}, RX_HOURS_OK, 480, 0, NULL},
    {"cap with earlier 300 min", DEF, {S, E, S, E, 300}, RX_HOURS_OK, 180, 0, NULL},
    {"cap with earlier 400 min",
     DEF,
     {S, E, S, E, 400},
     RX_HOURS_OK,
     80,
     REVIEW | CAP,
     "over_daily_cap"},
    {"cap already used", DEF, {S, E, S, E, 480}, RX_HOURS_OK, 0, REVIEW | CAP, "over_daily_cap"},
    {"cap overused", DEF, {S, E, S, E, 10000}, RX_HOURS_OK, 0, REVIEW | CAP, "over_daily_cap"},
    {"24 h under a 1440 cap",
     CAP1440,
     {S, S + 24 * H, S, S + 24 * H, 0},
     RX_HOURS_OK,
     1440,
     0,
     NULL},
    {"across midnight", DEF, {NS, NE, NS - 10 * M, NE + 10 * M, 0}, RX_HOURS_OK, 240, 0, NULL},
    {"across midnight, part",
     DEF,
     {NS, NE, NS + 90 * M, NS + 3 * H + 15 * M, 0},
     RX_HOURS_OK,
     105,
     0,
     NULL},
    {"below minimum", DEF, {S, E, S, S + 9 * M + 59, 0}, RX_HOURS_OK, 0, BELOW, "below_minimum"},
    {"exactly the minimum", DEF, {S, E, S, S + 10 * M, 0}, RX_HOURS_OK, 10, 0, NULL},
    {"in and out at once", DEF, {S, E, S + H, S + H, 0}, RX_HOURS_OK, 0, BELOW, "below_minimum"},
    {"no minimum", NOMIN, {S, E, S, S + 5 * M, 0}, RX_HOURS_OK, 5, 0, NULL},
    {"no minimum, 59 s", NOMIN, {S, E, S, S + 59, 0}, RX_HOURS_OK, 0, 0, NULL},
    {"check-in after end",
     DEF,
     {S, E, E + 5 * M, E + 20 * M, 0},
     RX_HOURS_OK,
     0,
     REVIEW | OUTSIDE,
     "outside_window"},
    {"check-in at end",
     DEF,
     {S, E, E, E + 20 * M, 0},
     RX_HOURS_OK,
     0,
     REVIEW | OUTSIDE,
     "outside_window"},
    {"check-in after end, no check-out",
     DEF,
     {S, E, E + M, 0, 0},
     RX_HOURS_OK,
     0,
     REVIEW | NOOUT | OUTSIDE,
     "no_checkout"},
    {"check-out before start",
     DEF,
     {S, E, S - 2 * H, S - H, 0},
     RX_HOURS_OK,
     0,
     REVIEW | OUTSIDE,
     "outside_window"},
    {"check-out at start",
     DEF,
     {S, E, S - 2 * H, S, 0},
     RX_HOURS_OK,
     0,
     REVIEW | OUTSIDE,
     "outside_window"},
    /* errors */
    {"check-out before check-in",
     DEF,
     {S, E, S + H, S + 30 * M, 0},
     RX_HOURS_ECHECKOUT,
     0,
     0,
     NULL},
    {"end before start", DEF, {E, S, S, E, 0}, RX_HOURS_EWINDOW, 0, 0, NULL},
    {"end equals start", DEF, {S, S, S, E, 0}, RX_HOURS_EWINDOW, 0, 0, NULL},
    {"no check-in", DEF, {S, E, 0, E, 0}, RX_HOURS_EWINDOW, 0, 0, NULL},
    {"negative check-out", DEF, {S, E, S, -5, 0}, RX_HOURS_EWINDOW, 0, 0, NULL},
    {"zero start", DEF, {0, E, S, E, 0}, RX_HOURS_EWINDOW, 0, 0, NULL},
    {"negative prior minutes", DEF, {S, E, S, E, -1}, RX_HOURS_ERULES, 0, 0, NULL},
    {"huge window",
     DEF,
     {1, INT64_MAX, 1, INT64_MAX - 1, 0},
     RX_HOURS_OK,
     480,
     REVIEW | CAP,
     "over_daily_cap"},
};

static void rules_for(int which, struct rx_hours_rules *r)
{
    rx_hours_rules_default(r);
    if (which == CLOSE0) r->close = RX_HOURS_CLOSE_ZERO;
    if (which == NOMIN) r->minimum = 0;
    if (which == CAP1440) r->daily_cap = 1440;
}

static void test_table(void **state)
{
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        const struct hours_case *c = &cases[i];
        struct rx_hours_rules r;
        struct rx_hours_result res = {-1, 0xDEAD, "untouched"};
        rules_for(c->rules, &r);
        int rc = rx_hours_compute(&c->a, &r, &res);
        if (rc != c->rc) fail_msg("%s: rc %d want %d", c->name, rc, c->rc);
        if (rc != RX_HOURS_OK) {
            assert_int_equal(res.minutes, -1);
            continue;
        }
        if (res.minutes != c->minutes)
            fail_msg("%s: %d min want %d", c->name, res.minutes, c->minutes);
        if (res.flags != c->flags) fail_msg("%s: flags %#x want %#x", c->name, res.flags, c->flags);
        if (c->reason == NULL)
            assert_null(res.reason);
        else
            assert_string_equal(res.reason, c->reason);
    }
}

static void test_defaults_and_bad_rules(void **state)
{
    struct rx_hours_rules r;
    rx_hours_rules_default(&r);
    assert_int_equal(r.daily_cap, 480);
    assert_int_equal(r.minimum, 10);
    assert_int_equal(r.close, RX_HOURS_CLOSE_AT_END);

    static const struct rx_hours_rules bad[] = {
        {0, 0, RX_HOURS_CLOSE_AT_END},     {1441, 10, RX_HOURS_CLOSE_AT_END},
        {-5, 0, RX_HOURS_CLOSE_AT_END},    {480, -1, RX_HOURS_CLOSE_AT_END},
        {480, 481, RX_HOURS_CLOSE_AT_END}, {480, 10, (enum rx_hours_close)7},
    };
    const struct rx_hours_attendance a = {S, E, S, E, 0};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        struct rx_hours_result res;
        if (rx_hours_compute(&a, &bad[i], &res) != RX_HOURS_ERULES) fail_msg("bad rules %zu", i);
    }
    assert_null(rx_hours_reason(0));
    assert_null(rx_hours_reason(RX_HOURS_NEEDS_REVIEW));
    assert_string_equal(rx_hours_reason(BELOW | CAP), "below_minimum");
}

/* Invariants over a grid of check-in/out times: never more than the window, the cap or the
 * actual presence; below the minimum is always 0; every flagged non-minimum case is reviewed. */
static void test_invariants(void **state)
{
    struct rx_hours_rules r;
    rx_hours_rules_default(&r);
    for (int64_t ci = S - 2 * H; ci <= E + H; ci += 7 * M + 13) {
        for (int64_t co = ci; co <= E + 2 * H; co += 11 * M + 7) {
            const struct rx_hours_attendance a = {S, E, ci, co, 0};
            struct rx_hours_result res;
            assert_int_equal(rx_hours_compute(&a, &r, &res), RX_HOURS_OK);
            assert_true(res.minutes >= 0 && res.minutes <= 180);
            assert_true(res.minutes * 60 <= co - ci);
            assert_true(res.minutes == 0 || res.minutes >= 10);
            assert_int_equal(!!(res.flags & REVIEW), !!(res.flags & ~(unsigned)(BELOW | REVIEW)));
        }
    }
}

/* Hours with two decimals, rounded half up in hundredths: 1 min = 1.67 hundredths -> 2. */
static void test_hundredths(void **state)
{
    static const struct {
        int64_t minutes, hundredths;
    } rows[] = {{0, 0},    {1, 2},    {3, 5},     {50, 83},   {59, 98},
                {60, 100}, {90, 150}, {100, 167}, {210, 350}, {1441, 2402}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        assert_int_equal(rx_hours_hundredths(rows[i].minutes), rows[i].hundredths);
    assert_true(rx_hours_2dp(50) == 0.83);
    assert_true(rx_hours_2dp(210) == 3.5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_defaults_and_bad_rules),
        cmocka_unit_test(test_invariants),
        cmocka_unit_test(test_hundredths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
