/* test_helpflow.c: the states of a help request, its transitions and deadlines. */
#include "testutil.h"
#include "domain/helpflow.h"

static const char *const all[] = {"submitted", "open",        "dispatched",
                                  "accepted",  "in_progress", "done",
                                  "rated",     "cancelled",   "closed_unresolved"};

/* The whole matrix, written out by hand: 1 where a move is allowed. Rows from, columns to,
 * in the order of `all`. */
static const int matrix[9][9] = {
    /*               sub open dis acc inp done rat can clo */
    /* submitted */ {0, 1, 1, 0, 0, 0, 0, 1, 1},
    /* open      */ {0, 0, 1, 1, 0, 0, 0, 1, 1},
    /* dispatched*/ {1, 1, 1, 1, 0, 0, 0, 1, 1},
    /* accepted  */ {1, 0, 0, 0, 1, 0, 0, 1, 1},
    /* in_prog   */ {0, 0, 0, 0, 0, 1, 0, 1, 1},
    /* done      */ {0, 0, 0, 0, 0, 0, 1, 0, 0},
    /* rated     */ {0, 0, 0, 0, 0, 0, 0, 0, 0},
    /* cancelled */ {0, 0, 0, 0, 0, 0, 0, 0, 0},
    /* closed    */ {0, 0, 0, 0, 0, 0, 0, 0, 0},
};

static void test_matrix(void **state)
{
    int allowed = 0;
    for (int f = 0; f < 9; f++)
        for (int t = 0; t < 9; t++) {
            int got = rx_help_transition_allowed(all[f], all[t]);
            if (got != matrix[f][t]) fail_msg("%s -> %s: got %d", all[f], all[t], got);
            allowed += got;
        }
    int rows = 0;
    while (rx_help_transitions[rows][0])
        rows++;
    assert_int_equal(allowed, rows); /* the table has no pair outside the states */
    assert_int_equal(rows, 22);
}

static void test_states(void **state)
{
    for (int i = 0; i < 9; i++)
        assert_true(rx_help_state_valid(all[i]));
    assert_false(rx_help_state_valid("declined")); /* an action, not a state */
    assert_false(rx_help_state_valid(""));
    assert_false(rx_help_state_valid(NULL));
    assert_false(rx_help_transition_allowed(NULL, "open"));
    assert_false(rx_help_transition_allowed("submitted", "Open"));
    assert_true(rx_help_state_waiting("open"));
    assert_false(rx_help_state_waiting("accepted"));
    assert_true(rx_help_state_taken("in_progress"));
    assert_false(rx_help_state_taken("done"));
    assert_true(rx_help_state_finished("closed_unresolved"));
    assert_false(rx_help_state_finished("in_progress"));
}

static void test_deadlines(void **state)
{
    const int64_t t = 1900000000;
    assert_int_equal(rx_help_accept_deadline(t, 1, 120, 1440), t + 7200);
    assert_int_equal(rx_help_accept_deadline(t, 0, 120, 1440), t + 86400);
    assert_int_equal(rx_help_accept_deadline(t, 1, 0, 1440), t + 60); /* at least a minute */
    assert_int_equal(rx_help_accept_deadline(t, 0, 120, 99999999),
                     t + 30 * 86400); /* at most 30 days */
    assert_false(rx_help_overdue("submitted", t + 7200, t + 7199));
    assert_true(rx_help_overdue("submitted", t + 7200, t + 7200));
    assert_true(rx_help_overdue("dispatched", t, t + 1));
    assert_false(rx_help_overdue("accepted", t, t + 1));
    assert_false(rx_help_overdue("cancelled", t, t + 1));
    assert_false(rx_help_stalled("accepted", t, t + RX_HELP_STALL_SECONDS - 1));
    assert_true(rx_help_stalled("accepted", t, t + RX_HELP_STALL_SECONDS));
    assert_true(rx_help_stalled("in_progress", t, t + RX_HELP_STALL_SECONDS));
    assert_false(rx_help_stalled("done", t, t + 10 * RX_HELP_STALL_SECONDS));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matrix),
        cmocka_unit_test(test_states),
        cmocka_unit_test(test_deadlines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
