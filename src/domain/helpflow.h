/* helpflow.h: the life of a help request (群众点单 → 派单 → 接单 → 评单). Pure rules, no I/O.
 *
 *   submitted --dispatch--> dispatched --accept--> accepted --start--> in_progress --done--> done
 *       |   \--open--> open --accept (抢单, first wins)--^                               |
 *       |                                                                         rate  v
 *       |   decline (assignee, with a reason) returns dispatched/accepted to submitted   rated
 *   cancel (requester) from anything before done; close (staff, with a reason) likewise, to
 *   closed_unresolved. Staff may re-dispatch (dispatched → dispatched) and switch between
 *   dispatched and open.
 *
 * The same pairs are rows of help_request_transitions (migrations/0008), checked by a
 * trigger on every state change. Deadlines: a request not accepted by its accept deadline
 * is overdue; one accepted (or in progress) without a transition for RX_HELP_STALL_SECONDS
 * is stalled. */
#ifndef RX_HELPFLOW_H
#define RX_HELPFLOW_H
#include <stdint.h>

#define RX_HELP_STALL_SECONDS (3 * 86400)

/* The allowed (from, to) pairs, terminated by {NULL, NULL}. */
extern const char *const rx_help_transitions[][2];

/* 1 when s is one of the nine states. */
int rx_help_state_valid(const char *s);
/* 1 when a request may move from `from` to `to`. */
int rx_help_transition_allowed(const char *from, const char *to);
/* 1 for states still waiting to be accepted (submitted, open, dispatched). */
int rx_help_state_waiting(const char *s);
/* 1 for states where someone has taken it on (accepted, in_progress). */
int rx_help_state_taken(const char *s);
/* 1 for states nothing leaves except rating (done) or nothing at all (rated, cancelled,
 * closed_unresolved). */
int rx_help_state_finished(const char *s);

/* The accept deadline of a request created at `created`: urgent ones within urgent_minutes,
 * others within normal_minutes (each clamped to 1 minute .. 30 days). */
int64_t rx_help_accept_deadline(int64_t created, int urgent, long urgent_minutes,
                                long normal_minutes);
/* 1 when a request in `state` with that deadline is overdue at `now`. */
int rx_help_overdue(const char *state, int64_t deadline, int64_t now);
/* 1 when a request in `state` whose last transition was at `last_progress` is stalled at `now`. */
int rx_help_stalled(const char *state, int64_t last_progress, int64_t now);

#endif
