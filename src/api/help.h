/* help.h: residents' requests for help (群众点单 → 派单 → 接单 → 评单), the in-app inbox, and the
 * sweep that escalates overdue requests (issue "Residents' requests for help"). Handlers
 * first, then what the files of this area share (help_common.c). Design note:
 * docs/internals/help-requests.md; rules in domain/helpflow.h and domain/dispatch.h.
 *
 * Who may do what with a request (its community is where the help is needed):
 *   - the requester (the person helped, or the account that registered it for them):
 *     see it, cancel it before it is done, rate it once done;
 *   - staff with RX_PERM_DISPATCH over its community: see it, dispatch it to a team or a
 *     volunteer, open it for volunteers to take (抢单), close it unresolved; staff with
 *     RX_PERM_READ_PEOPLE there only see it;
 *   - the assignee (the volunteer, or a leader/deputy of the team): accept, decline, start,
 *     finish it; members of the assigned team see it;
 *   - while it is open: active volunteers of its community see it (without the requester's
 *     name, address or phone) and the first to accept gets it;
 *   - the vulnerable flags only for RX_PERM_SENSITIVE over its community.
 * Everything else answers 404. */
#ifndef RX_API_HELP_H
#define RX_API_HELP_H
#include "http/http.h"
#include "store/store.h"
#include <stdint.h>

/* help_requests.c */
void rx_api_help_create(struct rx_req *r);
void rx_api_help_list(struct rx_req *r);
void rx_api_help_get(struct rx_req *r);
void rx_api_help_events(struct rx_req *r);
void rx_api_help_suggestions(struct rx_req *r);
/* help_actions.c: one route per transition */
void rx_api_help_dispatch(struct rx_req *r);
void rx_api_help_open(struct rx_req *r);
void rx_api_help_accept(struct rx_req *r);
void rx_api_help_decline(struct rx_req *r);
void rx_api_help_start(struct rx_req *r);
void rx_api_help_done(struct rx_req *r);
void rx_api_help_cancel(struct rx_req *r);
void rx_api_help_close(struct rx_req *r);
void rx_api_help_rate(struct rx_req *r);
/* help_stats.c */
void rx_api_help_stats(struct rx_req *r);
/* help_sweep.c */
void rx_api_test_sweep(struct rx_req *r);
/* inbox.c */
void rx_api_inbox_list(struct rx_req *r);
void rx_api_inbox_unread(struct rx_req *r);
void rx_api_inbox_read(struct rx_req *r);
void rx_api_inbox_read_all(struct rx_req *r);

/* ------------------------------------------------------------------ the sweep */

/* Escalates requests not accepted by their deadline (escalated_at, a notification to the
 * staff of the street above the community) and flags accepted ones without progress for
 * three days (stalled_at, a notification to the community's dispatchers). Each request is
 * escalated or flagged once. Runs inside a write job. */
struct rx_help_sweep_result {
    int escalated; /* requests escalated by this sweep */
    int stalled;   /* requests flagged by this sweep */
};
int rx_help_sweep(struct rx_db *db, int64_t now, struct rx_help_sweep_result *out);

/* The background sweeper: a thread that runs rx_help_sweep, then the sweep of missed
 * check-outs (api/activity.h), as one write job every help-sweep-seconds (0: not started).
 * Owned by main.c. */
struct rx_app;
struct rx_help_sweeper;
int rx_help_sweeper_start(struct rx_app *app, struct rx_help_sweeper **out);
void rx_help_sweeper_stop(struct rx_help_sweeper *s);

/* ------------------------------------------------------------------ shared helpers */

/* The facts of one request the rules look at. Strings live in r->arena. */
struct rx_help {
    int64_t id, org_unit_id, person_id, registered_by, category_id;
    int64_t assignee_person, assignee_team; /* 0 = none */
    int64_t wanted_from, wanted_to;         /* 0 = not given */
    int64_t parent_org, district_org;       /* of its community; 0 = none */
    int64_t accept_deadline;
    int64_t opened_at; /* last opened for volunteers to take; 0 = never */
    int on_behalf;     /* registered by someone else for the person */
    const char *path;  /* its community's org path */
    const char *state, *urgency, *need;
};
/* Loads a request; RX_NOTFOUND when there is none. Does not check visibility. */
int rx_help_load(struct rx_req *r, int64_t id, struct rx_help *h);

/* The caller's relation to a request. */
int rx_help_is_requester(struct rx_req *r, const struct rx_help *h);
int rx_help_is_dispatcher(struct rx_req *r, const struct rx_help *h);
int rx_help_is_staff(struct rx_req *r, const struct rx_help *h);
/* the assigned volunteer, or a leader or deputy of the assigned team */
int rx_help_is_assignee(struct rx_req *r, const struct rx_help *h);
/* a current member of the assigned team */
int rx_help_in_team(struct rx_req *r, const struct rx_help *h);
/* an active volunteer of the request's community (may take it while open) */
int rx_help_is_eligible(struct rx_req *r, const struct rx_help *h);
/* may see the request at all (any of the above, eligible only while open) */
int rx_help_visible(struct rx_req *r, const struct rx_help *h);

/* Loads the request of path parameter 0 and checks it is visible; answers 404 otherwise. */
int rx_help_load_visible(struct rx_req *r, struct rx_help *h);
/* The subtree volunteers for the request may come from: its district's path, or its
 * community's when it has no district. */
const char *rx_help_pool_path(struct rx_req *r, const struct rx_help *h);

/* Writes one request row (Q_HELP_ROW / Q_HELP_LIST columns) with what the caller may see;
 * fields only, into an object the caller has open. */
void rx_help_write_fields(struct rx_req *r, struct rx_json *w, struct rx_cursor *c);
/* Answers with the request as the caller may see it (status 200, or 201 with Location). */
void rx_help_answer(struct rx_req *r, int64_t id, int status);

/* 409 invalid_transition naming both states (also as "from" and "to" members). */
void rx_help_invalid_transition(struct rx_req *r, const char *from, const char *to);

/* {"help_request_id": .., "need": .., "state": .., "org_unit_id": ..} plus one extra string
 * member when key is not NULL. In r->arena. */
char *rx_help_payload(struct rx_req *r, const struct rx_help *h, const char *state, const char *key,
                      const char *value);
/* The same without a request (for the sweep); malloc'd, the caller frees. */
char *rx_help_payload_raw(int64_t id, const char *need, const char *state, int64_t org,
                          const char *key, const char *value);

/* Notifications to accounts holding, at exactly node org_id, a role that allows perm_a or
 * perm_b (-1 for none); each account once, skip_user excluded. */
int rx_help_notify_staff(struct rx_db *db, int64_t now, int64_t org_id, int perm_a, int perm_b,
                         int64_t skip_user, const char *kind, const char *payload);
/* Notifications to the leaders and deputies of a team. */
int rx_help_notify_team(struct rx_req *r, int64_t team_id, const char *kind, const char *payload);

#endif
