/* helpflow.c: see helpflow.h. */
#include "domain/helpflow.h"
#include <stddef.h>
#include <string.h>

const char *const rx_help_transitions[][2] = {
    {"submitted", "dispatched"},
    {"submitted", "open"},
    {"submitted", "cancelled"},
    {"submitted", "closed_unresolved"},
    {"open", "accepted"},
    {"open", "dispatched"},
    {"open", "cancelled"},
    {"open", "closed_unresolved"},
    {"dispatched", "accepted"},
    {"dispatched", "submitted"},
    {"dispatched", "dispatched"},
    {"dispatched", "open"},
    {"dispatched", "cancelled"},
    {"dispatched", "closed_unresolved"},
    {"accepted", "in_progress"},
    {"accepted", "submitted"},
    {"accepted", "cancelled"},
    {"accepted", "closed_unresolved"},
    {"in_progress", "done"},
    {"in_progress", "cancelled"},
    {"in_progress", "closed_unresolved"},
    {"done", "rated"},
    {NULL, NULL},
};

static const char *const states[] = {"submitted",         "open", "dispatched", "accepted",
                                     "in_progress",       "done", "rated",      "cancelled",
                                     "closed_unresolved", NULL};

static int in(const char *s, const char *const *set)
{
    if (!s) return 0;
    for (; *set; set++)
        if (strcmp(s, *set) == 0) return 1;
    return 0;
}

int rx_help_state_valid(const char *s)
{
    return in(s, states);
}

int rx_help_transition_allowed(const char *from, const char *to)
{
    if (!from || !to) return 0;
    for (int i = 0; rx_help_transitions[i][0]; i++)
        if (strcmp(rx_help_transitions[i][0], from) == 0 &&
            strcmp(rx_help_transitions[i][1], to) == 0)
            return 1;
    return 0;
}

int rx_help_state_waiting(const char *s)
{
    static const char *const set[] = {"submitted", "open", "dispatched", NULL};
    return in(s, set);
}

int rx_help_state_taken(const char *s)
{
    static const char *const set[] = {"accepted", "in_progress", NULL};
    return in(s, set);
}

int rx_help_state_finished(const char *s)
{
    static const char *const set[] = {"done", "rated", "cancelled", "closed_unresolved", NULL};
    return in(s, set);
}

static long clamp_minutes(long m)
{
    if (m < 1) return 1;
    if (m > 30L * 24 * 60) return 30L * 24 * 60;
    return m;
}

int64_t rx_help_accept_deadline(int64_t created, int urgent, long urgent_minutes,
                                long normal_minutes)
{
    return created + (int64_t)clamp_minutes(urgent ? urgent_minutes : normal_minutes) * 60;
}

int rx_help_overdue(const char *state, int64_t deadline, int64_t now)
{
    return rx_help_state_waiting(state) && now >= deadline;
}

int rx_help_stalled(const char *state, int64_t last_progress, int64_t now)
{
    return rx_help_state_taken(state) && now - last_progress >= RX_HELP_STALL_SECONDS;
}
