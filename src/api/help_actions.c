/* help_actions.c: the transitions of a help request, one route each (see help.h for who may
 * do what and domain/helpflow.h for the allowed moves). Every action runs as one write step,
 * so the state it checks is the state it changes: the writer runs one job at a time, and on
 * PostgreSQL the guarded UPDATE (… WHERE state = <the state we saw>) and a serialisable
 * transaction keep it so. The database refuses a move outside help_request_transitions on its
 * own (trigger), and logs every move it lets through (help_request_events).
 *
 * Order of answers: 404 when the caller may not see the request, 403 when they may see it
 * but the action is not theirs, 400 for bad input, 409 invalid_transition (naming both
 * states) when the move is not allowed from where the request stands. */
#include "api/help.h"
#include "api/activity.h"
#include "api/authz.h"
#include "api/common.h"
#include "api/input.h"
#include "domain/helpflow.h"
#include "domain/roles.h"
#include "http/server.h"
#include "lib/timefmt.h"
#include <string.h>

#define MAX_TIME_ENTRIES 50

/* Reads an optional JSON body: no body is an empty one. */
static int read_body(struct rx_req *r, const char *const *known)
{
    if (!r->json) return 1;
    if (!rx_in_object(r)) return 0;
    rx_in_only(r, known);
    return 1;
}

static void forbidden(struct rx_req *r)
{
    rx_problem(r, 403, "forbidden", NULL);
}

/* Moves the request to `to` with its new assignee; answers and returns 0 when refused. */
static int move(struct rx_req *r, struct rx_help *h, const char *action, const char *to,
                const char *reason, int64_t assignee_person, int64_t assignee_team,
                const char *outcome)
{
    if (!rx_help_transition_allowed(h->state, to)) {
        rx_help_invalid_transition(r, h->state, to);
        return 0;
    }
    int64_t changes = 0;
    int rc = rx_db_exec(
        r->db, Q_HELP_SET_STATE,
        RX_ARGS(RX_I(h->id), RX_T(h->state), RX_T(to), RX_T(action), RX_I(r->auth.user_id),
                RX_T(reason), assignee_person ? RX_I(assignee_person) : RX_NUL,
                assignee_team ? RX_I(assignee_team) : RX_NUL, RX_I(r->now), RX_T(outcome)),
        &changes, NULL);
    if (rc == RX_CONSTRAINT && strstr(rx_db_errmsg(r->db), "invalid_transition")) {
        rx_help_invalid_transition(r, h->state, to);
        return 0;
    }
    if (rc) {
        rx_store_problem(r, rc);
        return 0;
    }
    if (changes != 1) { /* it moved since we looked (another server) */
        struct rx_help now;
        if (strcmp(h->state, "open") == 0 && strcmp(to, "accepted") == 0)
            rx_problem(r, 409, "help_request_taken", NULL);
        else if (rx_help_load(r, h->id, &now) == RX_OK)
            rx_help_invalid_transition(r, now.state, to);
        else
            rx_problem(r, 404, "not_found", NULL);
        return 0;
    }
    rc = rx_audit(r, action, "help_request", h->id,
                  rx_arena_printf(&r->arena, "{\"from\":\"%s\",\"to\":\"%s\"}", h->state, to));
    if (rc) {
        rx_store_problem(r, rc);
        return 0;
    }
    h->state = to;
    h->assignee_person = assignee_person;
    h->assignee_team = assignee_team;
    return 1;
}

/* Tells whoever asked for the help (and whoever registered it for them). */
static int notify_requester(struct rx_req *r, const struct rx_help *h, const char *kind,
                            const char *payload)
{
    int rc = rx_act_notify(r, h->person_id, kind, payload);
    if (!rc && h->on_behalf && h->registered_by != r->auth.user_id)
        rc = rx_db_exec(r->db, Q_HELP_NOTIFY_USER,
                        RX_ARGS(RX_I(h->registered_by), RX_T(kind), RX_T(payload), RX_I(r->now)),
                        NULL, NULL);
    return rc;
}

/* Tells the assigned volunteer, or the assigned team's leaders. */
static int notify_assignee(struct rx_req *r, const struct rx_help *h, const char *kind,
                           const char *payload)
{
    if (h->assignee_person) return rx_act_notify(r, h->assignee_person, kind, payload);
    if (h->assignee_team) return rx_help_notify_team(r, h->assignee_team, kind, payload);
    return RX_OK;
}

static int notify_dispatchers(struct rx_req *r, const struct rx_help *h, const char *kind,
                              const char *payload)
{
    return rx_help_notify_staff(r->db, r->now, h->org_unit_id, RX_PERM_DISPATCH, -1,
                                r->auth.user_id, kind, payload);
}

/* Answers with the request, or with the store problem when the notifications failed. */
static void finish(struct rx_req *r, const struct rx_help *h, int rc)
{
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    rx_help_answer(r, h->id, 200);
}

/* ------------------------------------------------------------------ dispatch, open */

void rx_api_help_dispatch(struct rx_req *r)
{
    static const char *const known[] = {"person_id", "team_id", "note", NULL};
    struct rx_help h;
    if (!rx_help_load_visible(r, &h) || !read_body(r, known)) return;
    int hp = 0, ht = 0;
    int64_t person = rx_in_int(r, "person_id", 0, 1, INT64_MAX, 0, &hp);
    int64_t team = rx_in_int(r, "team_id", 0, 1, INT64_MAX, 0, &ht);
    const char *note = rx_in_str(r, "note", 0, 500);
    if (hp && ht)
        rx_field_error(r, "team_id", "only_one_of");
    else if (!hp && !ht && !rx_in_has(r, "person_id") && !rx_in_has(r, "team_id"))
        rx_field_error(r, "person_id", "required");
    if (rx_fail_if_field_errors(r)) return;
    if (!rx_help_is_dispatcher(r, &h)) {
        forbidden(r);
        return;
    }
    if (!rx_help_transition_allowed(h.state, "dispatched")) {
        rx_help_invalid_transition(r, h.state, "dispatched");
        return;
    }
    struct rx_cursor c;
    if (hp) {
        /* an active volunteer of the district, and not the person asking */
        const char *vpath = NULL, *pool = rx_help_pool_path(r, &h);
        int k = rx_db_query(r->db, Q_HELP_VOLUNTEER, RX_ARGS(RX_I(person)), &c);
        k = k ? -k : rx_cursor_next(&c);
        if (k == 1 && !(vpath = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 0)))) k = -RX_NOMEM;
        rx_cursor_close(&c);
        if (k < 0 || r->store_failed) {
            rx_store_problem(r, k < 0 ? -k : r->store_failed);
            return;
        }
        if (!vpath || strncmp(vpath, pool, strlen(pool)) != 0)
            rx_field_error(r, "person_id", "not_a_volunteer");
        else if (person == h.person_id)
            rx_field_error(r, "person_id", "own_request");
    } else {
        /* a team of the request's community, or one the dispatcher also dispatches for */
        int64_t torg = 0;
        const char *tpath = NULL;
        int k = rx_db_query(r->db, Q_HELP_TEAM, RX_ARGS(RX_I(team)), &c);
        k = k ? -k : rx_cursor_next(&c);
        if (k == 1) {
            torg = rx_cursor_int(&c, 0);
            if (!(tpath = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 1)))) k = -RX_NOMEM;
        }
        rx_cursor_close(&c);
        if (k < 0) {
            rx_store_problem(r, -k);
            return;
        }
        if (!tpath || (torg != h.org_unit_id && !rx_can(r, RX_PERM_DISPATCH, tpath)))
            rx_field_error(r, "team_id", "not_found_ref");
    }
    if (rx_fail_if_field_errors(r)) return;
    if (!move(r, &h, "dispatch", "dispatched", note, person, team, NULL)) return;
    finish(r, &h,
           notify_assignee(r, &h, "help_request_dispatched",
                           rx_help_payload(r, &h, NULL, "note", note)));
}

void rx_api_help_open(struct rx_req *r)
{
    static const char *const known[] = {"note", NULL};
    struct rx_help h;
    if (!rx_help_load_visible(r, &h) || !read_body(r, known)) return;
    const char *note = rx_in_str(r, "note", 0, 500);
    if (rx_fail_if_field_errors(r)) return;
    if (!rx_help_is_dispatcher(r, &h)) {
        forbidden(r);
        return;
    }
    if (!move(r, &h, "open", "open", note, 0, 0, NULL)) return;
    /* the volunteers who may take it hear of it (the first hundred) */
    int64_t people[100];
    int n = 0, k;
    struct rx_cursor c;
    int rc = rx_db_query(r->db, Q_HELP_ELIGIBLE_PEOPLE,
                         RX_ARGS(RX_I(h.org_unit_id), RX_I(h.person_id), RX_I(100)), &c);
    if (!rc) {
        while ((k = rx_cursor_next(&c)) == 1 && n < 100)
            people[n++] = rx_cursor_int(&c, 0);
        rx_cursor_close(&c);
        if (k < 0) rc = -k;
    }
    const char *payload = rx_help_payload(r, &h, NULL, "urgency", h.urgency);
    for (int i = 0; i < n && !rc; i++)
        rc = rx_act_notify(r, people[i], "help_request_open", payload);
    finish(r, &h, rc);
}

/* ------------------------------------------------------------------ accept, decline */

void rx_api_help_accept(struct rx_req *r)
{
    static const char *const known[] = {NULL};
    struct rx_help h;
    int64_t id = rx_param_id(r, 0);
    if (!id || !read_body(r, known) || rx_fail_if_field_errors(r)) return;
    int rc = rx_help_load(r, id, &h);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    int ok;
    if (strcmp(h.state, "open") == 0 && rx_help_is_eligible(r, &h)) {
        /* 抢单: whoever the writer reaches first; the UPDATE's "WHERE state = 'open'" holds
         * the line on PostgreSQL with several servers too */
        ok = move(r, &h, "accept", "accepted", NULL, r->auth.person_id, 0, NULL);
    } else if (rx_help_is_assignee(r, &h)) {
        ok = move(r, &h, "accept", "accepted", NULL, h.assignee_person, h.assignee_team, NULL);
    } else if (h.opened_at && !rx_help_state_finished(h.state) && rx_help_is_eligible(r, &h)) {
        rx_problem(r, 409, "help_request_taken", NULL); /* someone else was quicker */
        return;
    } else if (rx_help_visible(r, &h)) {
        {
            forbidden(r);
            return;
        }
    } else {
        rx_problem(r, 404, "not_found", NULL);
        return;
    }
    if (!ok) return;
    finish(
        r, &h,
        notify_requester(r, &h, "help_request_accepted", rx_help_payload(r, &h, NULL, NULL, NULL)));
}

void rx_api_help_decline(struct rx_req *r)
{
    static const char *const known[] = {"reason", NULL};
    struct rx_help h;
    if (!rx_help_load_visible(r, &h) || !read_body(r, known)) return;
    const char *reason = rx_in_str(r, "reason", 1, 500);
    if (rx_fail_if_field_errors(r)) return;
    if (!rx_help_is_assignee(r, &h)) {
        forbidden(r);
        return;
    }
    if (!move(r, &h, "decline", "submitted", reason, 0, 0, NULL)) return;
    finish(r, &h,
           notify_dispatchers(r, &h, "help_request_declined",
                              rx_help_payload(r, &h, NULL, "reason", reason)));
}

/* ------------------------------------------------------------------ start, done */

void rx_api_help_start(struct rx_req *r)
{
    static const char *const known[] = {NULL};
    struct rx_help h;
    if (!rx_help_load_visible(r, &h) || !read_body(r, known) || rx_fail_if_field_errors(r)) return;
    if (!rx_help_is_assignee(r, &h) && !rx_help_is_dispatcher(r, &h)) {
        forbidden(r);
        return;
    }
    if (!move(r, &h, "start", "in_progress", NULL, h.assignee_person, h.assignee_team, NULL))
        return;
    finish(r, &h, RX_OK);
}

struct time_entry {
    int64_t person, minutes, served;
};

/* Reads "time": [{person_id, minutes, people_served}], who did the work and for how long. */
static int read_time(struct rx_req *r, struct time_entry *t, int max)
{
    json_t *a = r->json ? json_object_get(r->json, "time") : NULL;
    if (!a || json_is_null(a)) return 0;
    if (!json_is_array(a)) {
        rx_field_error(r, "time", "wrong_type");
        return 0;
    }
    if ((int)json_array_size(a) > max) {
        rx_field_error(r, "time", "too_long");
        return 0;
    }
    int n = 0;
    size_t i;
    json_t *e;
    json_array_foreach(a, i, e)
    {
        char f[48];
        json_t *p = json_object_get(e, "person_id"), *m = json_object_get(e, "minutes"),
               *s = json_object_get(e, "people_served");
        const char *k;
        json_t *v;
        int bad = !json_is_object(e);
        json_object_foreach(e, k, v) if (strcmp(k, "person_id") != 0 && strcmp(k, "minutes") != 0 &&
                                         strcmp(k, "people_served") != 0) bad = 1;
        snprintf(f, sizeof f, "time[%zu]", i);
        if (bad) {
            rx_field_error(r, rx_arena_strdup(&r->arena, f), "invalid");
            continue;
        }
        snprintf(f, sizeof f, "time[%zu].person_id", i);
        if (!json_is_integer(p) || json_integer_value(p) < 1)
            rx_field_error(r, rx_arena_strdup(&r->arena, f), p ? "wrong_type" : "required");
        snprintf(f, sizeof f, "time[%zu].minutes", i);
        if (!json_is_integer(m) || json_integer_value(m) < 1 || json_integer_value(m) > 1440)
            rx_field_error(r, rx_arena_strdup(&r->arena, f),
                           !m                   ? "required"
                           : json_is_integer(m) ? "out_of_range"
                                                : "wrong_type");
        snprintf(f, sizeof f, "time[%zu].people_served", i);
        if (s && !json_is_null(s) &&
            (!json_is_integer(s) || json_integer_value(s) < 0 || json_integer_value(s) > 1000000))
            rx_field_error(r, rx_arena_strdup(&r->arena, f),
                           json_is_integer(s) ? "out_of_range" : "wrong_type");
        if (r->n_field_errors) continue;
        t[n].person = json_integer_value(p);
        t[n].minutes = json_integer_value(m);
        t[n].served = json_is_integer(s) ? json_integer_value(s) : 1;
        for (int j = 0; j < n; j++)
            if (t[j].person == t[n].person) {
                snprintf(f, sizeof f, "time[%zu].person_id", i);
                rx_field_error(r, rx_arena_strdup(&r->arena, f), "duplicate");
            }
        n++;
    }
    return n;
}

/* The service records of the volunteers who did it: pending, like any other record. */
static int record_time(struct rx_req *r, const struct rx_help *h, const struct time_entry *t, int n)
{
    char date[RX_TIMEFMT_DATE_SIZE];
    rx_today(r, NULL, date);
    long cap = rx_act_daily_cap(r);
    /* who may be credited: the volunteer it was given to, or the team's people */
    for (int i = 0; i < n; i++) {
        char f[48];
        snprintf(f, sizeof f, "time[%d].person_id", i);
        int64_t member = 0;
        if (h->assignee_team) {
            rx_db_int(r->db, Q_TEAM_HAS_MEMBER, RX_ARGS(RX_I(h->assignee_team), RX_I(t[i].person)),
                      &member);
            if (!member)
                rx_db_int(r->db, Q_TEAM_LEADS, RX_ARGS(RX_I(h->assignee_team), RX_I(t[i].person)),
                          &member);
        } else {
            member = t[i].person == h->assignee_person;
        }
        int64_t active = 0;
        struct rx_cursor c;
        if (rx_db_query(r->db, Q_HELP_VOLUNTEER, RX_ARGS(RX_I(t[i].person)), &c) == RX_OK) {
            active = rx_cursor_next(&c) == 1;
            rx_cursor_close(&c);
        }
        if (!member)
            rx_field_error(r, rx_arena_strdup(&r->arena, f),
                           h->assignee_team ? "not_team_member" : "not_assignee");
        else if (!active)
            rx_field_error(r, rx_arena_strdup(&r->arena, f), "not_a_volunteer");
    }
    if (rx_fail_if_field_errors(r)) return -1;
    for (int i = 0; i < n; i++) {
        int64_t prior = 0;
        int rc = rx_db_int(r->db, Q_REC_DAY_MINUTES,
                           RX_ARGS(RX_I(t[i].person), RX_T(date), RX_I(0)), &prior);
        if (rc) return rc;
        if (prior + t[i].minutes > cap) {
            char f[48];
            snprintf(f, sizeof f, "time[%d].minutes", i);
            int64_t left = cap - prior > 0 ? cap - prior : 0;
            rx_field_error_detail(r, rx_arena_strdup(&r->arena, f), "over_daily_cap",
                                  rx_arena_printf(&r->arena, "%lld", (long long)left));
            rx_problem(r, 409, "over_daily_cap", NULL);
            return -1;
        }
        int64_t rid = 0;
        rc = rx_db_exec(r->db, Q_REC_INSERT,
                        RX_ARGS(RX_I(t[i].person), RX_NUL, RX_I(h->id),
                                h->assignee_team ? RX_I(h->assignee_team) : RX_NUL,
                                RX_I(h->category_id), RX_I(h->org_unit_id), RX_T(date),
                                RX_I(t[i].minutes), RX_I(t[i].served), RX_T(h->need),
                                RX_T("help_request"), RX_I(0), RX_NUL, RX_I(r->auth.user_id),
                                RX_I(r->now)),
                        NULL, &rid);
        if (!rc)
            rc = rx_audit(r, "create", "service_record", rid,
                          rx_arena_printf(&r->arena,
                                          "{\"source\":\"help_request\",\"help_request_id\":%lld,"
                                          "\"minutes\":%lld}",
                                          (long long)h->id, (long long)t[i].minutes));
        if (rc) return rc;
    }
    return RX_OK;
}

void rx_api_help_done(struct rx_req *r)
{
    static const char *const known[] = {"outcome", "time", NULL};
    struct rx_help h;
    if (!rx_help_load_visible(r, &h) || !read_body(r, known)) return;
    const char *outcome = rx_in_str(r, "outcome", 0, 1000);
    struct time_entry t[MAX_TIME_ENTRIES];
    int n = read_time(r, t, MAX_TIME_ENTRIES);
    if (rx_fail_if_field_errors(r)) return;
    if (!rx_help_is_assignee(r, &h) && !rx_help_is_dispatcher(r, &h)) {
        forbidden(r);
        return;
    }
    if (!rx_help_transition_allowed(h.state, "done")) {
        rx_help_invalid_transition(r, h.state, "done");
        return;
    }
    int rc = record_time(r, &h, t, n);
    if (rc < 0) return; /* answered */
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    if (!move(r, &h, "done", "done", NULL, h.assignee_person, h.assignee_team, outcome)) return;
    rc = notify_requester(r, &h, "help_request_done", rx_help_payload(r, &h, NULL, NULL, NULL));
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    /* the request and the records its volunteers earned */
    struct rx_cursor c;
    int64_t me = r->auth.person_id;
    rc = rx_db_query(r->db, Q_HELP_ROW, RX_ARGS(me ? RX_I(me) : RX_NUL, RX_I(h.id)), &c);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    struct rx_json *w = rx_json_begin(r);
    rx_json_obj(w);
    int k = rx_cursor_next(&c);
    if (k == 1) rx_help_write_fields(r, w, &c);
    rx_cursor_close(&c);
    rx_json_key(w, "records");
    rx_json_arr(w);
    int64_t ids[MAX_TIME_ENTRIES];
    int nid = 0;
    if (k == 1 && rx_db_query(r->db, Q_HELP_RECORDS_OF, RX_ARGS(RX_I(h.id)), &c) == RX_OK) {
        while (nid < MAX_TIME_ENTRIES && rx_cursor_next(&c) == 1)
            ids[nid++] = rx_cursor_int(&c, 0);
        rx_cursor_close(&c);
    }
    for (int i = 0; i < nid && !rc; i++)
        rc = rx_act_json_row(r->db, Q_REC_GET, RX_ARGS(RX_I(ids[i])), w, rx_record_cols,
                             rx_record_ncols);
    rx_json_end(w);
    rx_json_end(w);
    if (k != 1 || rc) {
        rx_store_problem(r, k != 1 ? RX_ERROR : rc);
        return;
    }
    rx_reply(r, 200);
}

/* ------------------------------------------------------------------ cancel, close, rate */

void rx_api_help_cancel(struct rx_req *r)
{
    static const char *const known[] = {"reason", NULL};
    struct rx_help h;
    if (!rx_help_load_visible(r, &h) || !read_body(r, known)) return;
    const char *reason = rx_in_str(r, "reason", 0, 500);
    if (rx_fail_if_field_errors(r)) return;
    if (!rx_help_is_requester(r, &h)) {
        forbidden(r);
        return;
    }
    if (!move(r, &h, "cancel", "cancelled", reason, h.assignee_person, h.assignee_team, NULL))
        return;
    const char *payload = rx_help_payload(r, &h, NULL, "reason", reason);
    int rc = notify_assignee(r, &h, "help_request_cancelled", payload);
    finish(r, &h, rc);
}

void rx_api_help_close(struct rx_req *r)
{
    static const char *const known[] = {"reason", NULL};
    struct rx_help h;
    if (!rx_help_load_visible(r, &h) || !read_body(r, known)) return;
    const char *reason = rx_in_str(r, "reason", 1, 500);
    if (rx_fail_if_field_errors(r)) return;
    if (!rx_help_is_dispatcher(r, &h)) {
        forbidden(r);
        return;
    }
    if (!move(r, &h, "close", "closed_unresolved", reason, h.assignee_person, h.assignee_team,
              NULL))
        return;
    const char *payload = rx_help_payload(r, &h, NULL, "reason", reason);
    int rc = notify_requester(r, &h, "help_request_closed", payload);
    if (!rc) rc = notify_assignee(r, &h, "help_request_closed", payload);
    finish(r, &h, rc);
}

void rx_api_help_rate(struct rx_req *r)
{
    static const char *const known[] = {"stars", "comment", NULL};
    struct rx_help h;
    if (!rx_help_load_visible(r, &h) || !read_body(r, known)) return;
    int64_t stars = rx_in_int(r, "stars", 1, 1, 5, 0, NULL);
    const char *comment = rx_in_str(r, "comment", 0, 500);
    if (rx_fail_if_field_errors(r)) return;
    if (!rx_help_is_requester(r, &h)) {
        forbidden(r);
        return;
    }
    if (!rx_help_transition_allowed(h.state, "rated")) {
        rx_help_invalid_transition(r, h.state, "rated");
        return;
    }
    int64_t changes = 0;
    int rc = rx_db_exec(
        r->db, Q_HELP_RATE,
        RX_ARGS(RX_I(h.id), RX_I(stars), RX_T(comment), RX_I(r->auth.user_id), RX_I(r->now)),
        &changes, NULL);
    if (!rc && changes != 1) {
        rx_help_invalid_transition(r, "rated", "rated");
        return;
    }
    if (!rc)
        rc = rx_audit(r, "rate", "help_request", h.id,
                      rx_arena_printf(&r->arena, "{\"stars\":%lld}", (long long)stars));
    h.state = "rated";
    /* a low rating is for the community's staff to follow up */
    if (!rc && stars <= 2)
        rc = notify_dispatchers(r, &h, "help_request_low_rating",
                                rx_help_payload(r, &h, NULL, "comment", comment));
    if (!rc)
        rc = notify_assignee(r, &h, "help_request_rated",
                             rx_arena_printf(&r->arena, "{\"help_request_id\":%lld,\"stars\":%lld}",
                                             (long long)h.id, (long long)stars));
    finish(r, &h, rc);
}
