/* records.c: service records (服务记录), their confirmation, corrections and history.
 *
 * A record says who served, in what (team, category, activity or help request), on which
 * day, for how many minutes and how many people were served. Sources: attendance (made at
 * check-out, activity_common.c), team entry (a leader enters it), self-report (the
 * volunteer), help request (issue "help requests"). Every record starts pending; the team
 * leader or community staff confirm or reject it (with a reason); a whole activity can be
 * confirmed at once (flagged records are left for a person to look at unless asked).
 *
 * A confirmed record is locked (trigger service_records_locked): the volunteer or staff file
 * a correction with the proposed change and a reason; staff with the confirm right accept or
 * refuse it; accepting writes the next version. Every version is kept (record_versions, by
 * trigger) and readable at /history. The rollup tables follow confirmed records in the same
 * transaction (triggers), so a correction moves its figures and a rejection never counts.
 *
 * Daily cap: a person's non-rejected minutes on one day never exceed daily-cap-minutes
 * (default 480): team entries, self-reports and corrections that would pass it are refused;
 * attendance is clipped and flagged by the hours rule. */
#include "api/activity.h"
#include "api/api.h"
#include "api/authz.h"
#include "api/common.h"
#include "api/input.h"
#include "api/reports.h"
#include "http/server.h"
#include "lib/timefmt.h"
#include <string.h>

#define MAX_SCOPE_PATHS 4

static const struct rx_col version_cols[] = {
    {"id", RX_COL_INT},
    {"version", RX_COL_INT},
    {"event", RX_COL_TEXT},
    {"status", RX_COL_TEXT},
    {"person_id", RX_COL_INT},
    {"team_id", RX_COL_INT},
    {"category_id", RX_COL_INT},
    {"service_date", RX_COL_TEXT},
    {"minutes", RX_COL_INT},
    {"people_served", RX_COL_INT},
    {"description", RX_COL_TEXT},
    {"needs_review", RX_COL_BOOL},
    {"review_reason", RX_COL_TEXT},
    {"changed_by", RX_COL_INT},
    {"changed_by_name", RX_COL_TEXT},
    {"reason", RX_COL_TEXT},
    {"correction_id", RX_COL_INT},
    {"at", RX_COL_TIME},
};
#define VERSION_NCOLS ((int)(sizeof version_cols / sizeof version_cols[0]))

static const struct rx_col correction_cols[] = {
    {"id", RX_COL_INT},
    {"record_id", RX_COL_INT},
    {"minutes", RX_COL_INT},
    {"people_served", RX_COL_INT},
    {"service_date", RX_COL_TEXT},
    {"category_id", RX_COL_INT},
    {"description", RX_COL_TEXT},
    {"reason", RX_COL_TEXT},
    {"status", RX_COL_TEXT},
    {"filed_by", RX_COL_INT},
    {"filed_by_name", RX_COL_TEXT},
    {"filed_at", RX_COL_TIME},
    {"decided_by", RX_COL_INT},
    {"decided_at", RX_COL_TIME},
    {"decision_reason", RX_COL_TEXT},
    {"applied_version", RX_COL_INT},
};
#define CORRECTION_NCOLS ((int)(sizeof correction_cols / sizeof correction_cols[0]))

/* ------------------------------------------------------------------ facts and rights */

struct rec {
    int64_t id, person_id, team_id, activity_id, version, minutes, people_served, category_id;
    const char *status, *path, *service_date, *source, *description;
};

static int load_rec(struct rx_req *r, int64_t id, struct rec *f)
{
    struct rx_cursor c;
    memset(f, 0, sizeof *f);
    int rc = rx_db_query(r->db, Q_REC_FACTS, RX_ARGS(RX_I(id)), &c);
    if (rc) return rc;
    int k = rx_cursor_next(&c);
    if (k == 1) {
        f->id = id;
        f->person_id = rx_cursor_int(&c, 0);
        f->team_id = rx_cursor_int(&c, 1);
        f->status = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 2));
        f->path = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 3));
        f->minutes = rx_cursor_int(&c, 4);
        f->service_date = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 5));
        f->source = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 6));
        f->version = rx_cursor_int(&c, 7);
        f->people_served = rx_cursor_int(&c, 8);
        f->category_id = rx_cursor_int(&c, 9);
        f->activity_id = rx_cursor_int(&c, 10);
        const char *d = rx_cursor_text(&c, 11);
        f->description = d ? rx_arena_strdup(&r->arena, d) : NULL;
        if (!f->status || !f->path) k = -RX_NOMEM;
    }
    rx_cursor_close(&c);
    return k == 1 ? RX_OK : k == 0 ? RX_NOTFOUND : -k;
}

static int own(struct rx_req *r, const struct rec *f)
{
    return r->auth.person_id && f->person_id == r->auth.person_id;
}

static int staff_sees(struct rx_req *r, const struct rec *f)
{
    return rx_can(r, RX_PERM_READ_PEOPLE, f->path) || rx_can(r, RX_PERM_LEAD_ACTIVITIES, f->path) ||
           rx_can(r, RX_PERM_CONFIRM_RECORDS, f->path) || rx_act_leads_team(r, f->team_id);
}

static int can_confirm(struct rx_req *r, const struct rec *f)
{
    return rx_can(r, RX_PERM_CONFIRM_RECORDS, f->path) || rx_act_leads_team(r, f->team_id);
}

/* Loads the record of path parameter 0 and checks the caller may see it (404 otherwise). */
static int load_visible(struct rx_req *r, struct rec *f)
{
    int64_t id = rx_param_id(r, 0);
    if (!id) return 0;
    int rc = load_rec(r, id, f);
    if (rc == RX_OK && f->status && (own(r, f) || staff_sees(r, f))) return 1;
    if (rc && rc != RX_NOTFOUND)
        rx_store_problem(r, rc);
    else
        rx_problem(r, 404, "not_found", NULL);
    return 0;
}

static void answer_record(struct rx_req *r, int64_t id, int status, const char *location)
{
    struct rx_json *w = rx_json_begin(r);
    int rc =
        rx_act_json_row(r->db, Q_REC_GET, RX_ARGS(RX_I(id)), w, rx_record_cols, rx_record_ncols);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    if (location)
        rx_reply_created(r, location);
    else
        rx_reply(r, status);
}

static void locked_problem(struct rx_req *r, int rc)
{
    static const struct rx_refusal map[] = {
        {"record_locked", "record_locked", NULL, NULL},
        {"record_rejected_final", "record_rejected_final", NULL, NULL},
    };
    rx_refusal_problem(r, rc, map, sizeof map / sizeof map[0]);
}

/* Minutes the person may still be credited on the date, not counting record `except`. */
static int64_t cap_left(struct rx_req *r, int64_t person, const char *date, int64_t except)
{
    int64_t prior = 0;
    int rc = rx_db_int(r->db, Q_REC_DAY_MINUTES, RX_ARGS(RX_I(person), RX_T(date), RX_I(except)),
                       &prior);
    if (rc) {
        rx_store_problem(r, rc); /* answered 5xx; no later answer replaces it */
        return 0;
    }
    int64_t left = rx_act_daily_cap(r) - prior;
    return left > 0 ? left : 0;
}

static char *record_payload(struct rx_req *r, int64_t rid, const char *extra_key, const char *extra)
{
    if (extra_key)
        return rx_arena_printf(&r->arena, "{\"record_id\":%lld,\"%s\":\"%s\"}", (long long)rid,
                               extra_key, extra);
    return rx_arena_printf(&r->arena, "{\"record_id\":%lld}", (long long)rid);
}

/* ------------------------------------------------------------------ list, get */

void rx_api_records_list(struct rx_req *r)
{
    static const char *const statuses[] = {"pending", "confirmed", "rejected", NULL};
    static const char *const sources[] = {"attendance", "team_entry", "self_report", "help_request",
                                          NULL};
    int limit = rx_list_limit(r);
    int64_t cursor = rx_list_cursor(r);
    int64_t person = rx_query_int(r, "person_id", 0, 1, INT64_MAX);
    int64_t activity = rx_query_int(r, "activity_id", 0, 1, INT64_MAX);
    int64_t team = rx_query_int(r, "team_id", 0, 1, INT64_MAX);
    int64_t org = rx_query_int(r, "org_unit", 0, 1, INT64_MAX);
    const char *status = rx_query(r, "status"), *source = rx_query(r, "source");
    const char *from = rx_query(r, "from"), *to = rx_query(r, "to");
    int ok = !status;
    for (const char *const *s = statuses; status && *s; s++)
        ok |= strcmp(*s, status) == 0;
    if (!ok) rx_field_error(r, "status", "invalid");
    ok = !source;
    for (const char *const *s = sources; source && *s; s++)
        ok |= strcmp(*s, source) == 0;
    if (!ok) rx_field_error(r, "source", "invalid");
    int needs = rx_query_bool(r, "needs_review");
    struct rx_date d;
    rx_query_date(r, "from", &d);
    rx_query_date(r, "to", &d);
    const char *fmt;
    if (rpt_export_format(r, &fmt) < 0 || rx_fail_if_field_errors(r)) return;
    const char *org_path = NULL;
    if (org) {
        org_path = rx_org_path(r, org);
        if (!org_path) {
            rx_problem(r, 404, "not_found", NULL);
            return;
        }
    }
    /* the caller's scope: own records, the subtrees of their staff grants, the teams they lead */
    const char *all[3 * RX_MAX_GRANTS], *paths[MAX_SCOPE_PATHS] = {NULL};
    int n = rx_scope_paths(r, RX_PERM_READ_PEOPLE, all, RX_MAX_GRANTS);
    n += rx_scope_paths(r, RX_PERM_LEAD_ACTIVITIES, all + n, RX_MAX_GRANTS);
    n += rx_scope_paths(r, RX_PERM_CONFIRM_RECORDS, all + n, RX_MAX_GRANTS);
    rx_scope_roots(all, n, paths, MAX_SCOPE_PATHS);
    int64_t me = r->auth.person_id;
    const struct rx_val args[] = {me ? RX_I(me) : RX_NUL,
                                  RX_T(paths[0]),
                                  RX_T(paths[1]),
                                  RX_T(paths[2]),
                                  RX_T(paths[3]),
                                  me ? RX_I(me) : RX_NUL,
                                  person ? RX_I(person) : RX_NUL,
                                  activity ? RX_I(activity) : RX_NUL,
                                  team ? RX_I(team) : RX_NUL,
                                  RX_T(status),
                                  needs >= 0 ? RX_I(needs) : RX_NUL,
                                  RX_T(source),
                                  RX_T(org_path),
                                  RX_T(from),
                                  RX_T(to),
                                  RX_I(cursor ? cursor : INT64_MAX),
                                  RX_I(limit)};
    if (fmt) { /* ?format=csv|xlsx: every matching record, streamed (api/export.c) */
        rpt_records_export(r, fmt, args);
        return;
    }
    struct rx_json *w = rx_list_begin(r);
    struct rx_page pg = {0, 0};
    int rc = rx_act_json_rows(r->db, Q_REC_LIST, args, (int)(sizeof args / sizeof args[0]), w,
                              rx_record_cols, rx_record_ncols, &pg);
    rx_list_reply(r, w, &pg, limit, rc);
}

void rx_api_record_get(struct rx_req *r)
{
    struct rec f;
    if (!load_visible(r, &f)) return;
    answer_record(r, f.id, 200, NULL);
}

void rx_api_record_history(struct rx_req *r)
{
    struct rec f;
    if (!load_visible(r, &f)) return;
    rx_act_list_reply(r, Q_REC_VERSIONS, RX_ARGS(RX_I(f.id)), version_cols, VERSION_NCOLS);
}

/* ------------------------------------------------------------------ create */

static void create_write(struct rx_req *r)
{
    static const char *const known[] = {"person_id",    "team_id", "activity_id",   "category_id",
                                        "service_date", "minutes", "people_served", "description",
                                        "source",       NULL};
    if (!rx_in_object(r)) return;
    int has_person = 0;
    int64_t person = rx_in_int(r, "person_id", 0, 1, INT64_MAX, 0, &has_person);
    int64_t team = rx_in_int(r, "team_id", 0, 1, INT64_MAX, 0, NULL);
    int64_t activity = rx_in_int(r, "activity_id", 0, 1, INT64_MAX, 0, NULL);
    int64_t category = rx_in_int(r, "category_id", 0, 1, INT64_MAX, 0, NULL);
    int64_t minutes = rx_in_int(r, "minutes", 1, 1, 1440, 0, NULL);
    int64_t served = rx_in_int(r, "people_served", 0, 0, 1000000, 0, NULL);
    const char *desc = rx_in_str(r, "description", 0, 1000);
    const char *source = rx_in_str(r, "source", 0, 16);
    char date[RX_TIMEFMT_DATE_SIZE] = "", now_date[RX_TIMEFMT_DATE_SIZE];
    rx_act_in_date(r, r->json, "service_date", "service_date", 1, date);
    rx_in_only(r, known);
    rx_today(r, NULL, now_date);
    if (date[0] && strcmp(date, now_date) > 0) rx_field_error(r, "service_date", "in_future");
    if (!has_person) person = r->auth.person_id;
    if (!source) source = person && person == r->auth.person_id ? "self_report" : "team_entry";
    int self = strcmp(source, "self_report") == 0;
    if (!self && strcmp(source, "team_entry") != 0)
        rx_field_error(r, "source", "invalid");
    else if (self && person != r->auth.person_id)
        rx_field_error(r, "person_id", "self_report_for_self");
    else if (!self && !team)
        rx_field_error(r, "team_id", "required");
    if (!person) rx_field_error(r, "person_id", "required");
    if (rx_fail_if_field_errors(r)) return;

    /* where it is recorded: the team's community, else the volunteer's */
    int64_t org = 0, team_cat = 0;
    const char *team_path = NULL;
    if (team) {
        struct rx_cursor c;
        int k = rx_db_query(r->db, Q_TEAM_FACTS, RX_ARGS(RX_I(team)), &c);
        k = k ? -k : rx_cursor_next(&c);
        if (k == 1) {
            org = rx_cursor_int(&c, 0);
            team_cat = rx_cursor_int(&c, 1);
            if (!(team_path = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 2)))) k = -RX_NOMEM;
        }
        rx_cursor_close(&c);
        if (k < 0) {
            rx_store_problem(r, -k);
            return;
        }
        if (!team_path) {
            rx_field_error(r, "team_id", "not_found_ref");
            rx_fail_if_field_errors(r);
            return;
        }
    }
    if (!self && !rx_can(r, RX_PERM_LEAD_ACTIVITIES, team_path) && !rx_act_leads_team(r, team)) {
        rx_problem(r, 403, "forbidden", NULL);
        return;
    }
    /* the person: an active volunteer; for a team entry one the leader may see */
    const char *vs = NULL, *ppath = NULL;
    struct rx_cursor c;
    int found = rx_db_query(r->db, Q_PERSON_FACTS, RX_ARGS(RX_I(person)), &c);
    found = found ? -found : rx_cursor_next(&c);
    if (found == 1) {
        const char *s = rx_cursor_text(&c, 3);
        if (s && !(vs = rx_arena_strdup(&r->arena, s))) found = -RX_NOMEM;
        s = rx_cursor_text(&c, 4);
        if (s && !(ppath = rx_arena_strdup(&r->arena, s))) found = -RX_NOMEM;
    }
    rx_cursor_close(&c);
    int64_t member = 0;
    int rc = found < 0 ? -found : RX_OK;
    if (!rc && !self && found)
        rc = rx_db_int(r->db, Q_TEAM_HAS_MEMBER, RX_ARGS(RX_I(team), RX_I(person)), &member);
    if (!rc && !org) rc = rx_db_int(r->db, Q_VOLUNTEER_ORG, RX_ARGS(RX_I(person)), &org);
    if (rc && rc != RX_NOTFOUND) {
        rx_store_problem(r, rc);
        return;
    }
    if (!found || (!self && !member && !rx_can(r, RX_PERM_READ_PEOPLE, ppath) &&
                   !rx_can(r, RX_PERM_LEAD_ACTIVITIES, ppath))) {
        rx_field_error(r, "person_id", "not_found_ref");
        rx_fail_if_field_errors(r);
        return;
    }
    if (!vs || strcmp(vs, "active") != 0) {
        rx_field_error(r, "person_id", "not_a_volunteer");
        rx_problem(r, 409, "record_not_allowed", NULL);
        return;
    }
    if (!category) category = team_cat;
    if (!category)
        rx_field_error(r, "category_id", "required");
    else {
        const char *org_path = team_path ? team_path : rx_org_path(r, org);
        if (!rx_act_category_usable(r, category, org_path))
            rx_field_error(r, "category_id", "not_found_ref");
    }
    if (activity) {
        struct rx_activity a;
        rc = rx_act_load(r, activity, &a);
        if (rc && rc != RX_NOTFOUND) {
            rx_store_problem(r, rc);
            return;
        }
        /* a draft is its team's business: not found for anyone else */
        if (rc || (team && a.team_id != team) ||
            (strcmp(a.status, "draft") == 0 && !rx_act_can_lead(r, &a)))
            rx_field_error(r, "activity_id", "not_found_ref");
    }
    if (rx_fail_if_field_errors(r)) return;
    int64_t left = cap_left(r, person, date, 0);
    if (minutes > left) {
        rx_field_error_detail(r, "minutes", "over_daily_cap",
                              rx_arena_printf(&r->arena, "%lld", (long long)left));
        rx_problem(r, 409, "over_daily_cap", NULL);
        return;
    }
    int64_t id = 0;
    rc = rx_db_exec(r->db, Q_REC_INSERT,
                        RX_ARGS(RX_I(person), activity ? RX_I(activity) : RX_NUL, RX_NUL,
                                team ? RX_I(team) : RX_NUL, RX_I(category), RX_I(org), RX_T(date),
                                RX_I(minutes), RX_I(served), RX_T(desc), RX_T(source), RX_I(0),
                                RX_NUL, RX_I(r->auth.user_id), RX_I(r->now)),
                        NULL, &id);
    if (!rc)
        rc = rx_audit(r, "create", "service_record", id,
                      rx_arena_printf(&r->arena, "{\"source\":\"%s\",\"minutes\":%lld}", source,
                                      (long long)minutes));
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    answer_record(r, id, 201, rx_arena_printf(&r->arena, "/api/v1/records/%lld", (long long)id));
}

void rx_api_record_create(struct rx_req *r)
{
    create_write(r);
}

/* ------------------------------------------------------------------ edit while pending */

void rx_api_record_update(struct rx_req *r)
{
    struct rec f;
    if (!load_visible(r, &f)) return;
    if (!rx_in_object(r)) return;
    static const char *const known[] = {
        "minutes", "people_served", "description", "service_date", "category_id", "reason", NULL};
    int hm = 0, hs = 0, hc = 0;
    int64_t minutes = rx_in_int(r, "minutes", 0, 0, 1440, 0, &hm);
    int64_t served = rx_in_int(r, "people_served", 0, 0, 1000000, 0, &hs);
    int64_t category = rx_in_int(r, "category_id", 0, 1, INT64_MAX, 0, &hc);
    int hd = rx_in_has(r, "description");
    const char *desc = rx_in_str(r, "description", 0, 1000);
    const char *reason = rx_in_str(r, "reason", 0, 500);
    char date[RX_TIMEFMT_DATE_SIZE] = "", now_date[RX_TIMEFMT_DATE_SIZE];
    int hdate = rx_act_in_date(r, r->json, "service_date", "service_date", 0, date) == 1;
    rx_in_only(r, known);
    rx_today(r, NULL, now_date);
    if (hdate && strcmp(date, now_date) > 0) rx_field_error(r, "service_date", "in_future");
    if (hc && !rx_act_category_usable(r, category, f.path))
        rx_field_error(r, "category_id", "not_found_ref");
    if (rx_fail_if_field_errors(r)) return;
    /* reviewers edit anything pending; a volunteer only their own self-report */
    int reviewer = can_confirm(r, &f) && !own(r, &f);
    if (!reviewer && !(own(r, &f) && strcmp(f.source, "self_report") == 0)) {
        rx_problem(r, 403, "forbidden", NULL);
        return;
    }
    if (strcmp(f.status, "pending") ==
        0) { /* (a locked record is refused by the database itself) */
        int64_t left = cap_left(r, f.person_id, hdate ? date : f.service_date, f.id);
        if ((hm ? minutes : f.minutes) > left) {
            rx_field_error_detail(r, "minutes", "over_daily_cap",
                                  rx_arena_printf(&r->arena, "%lld", (long long)left));
            rx_problem(r, 409, "over_daily_cap", NULL);
            return;
        }
    }
    int rc = rx_db_exec(r->db, Q_REC_EDIT,
                        RX_ARGS(RX_I(f.id), hm ? RX_I(minutes) : RX_NUL, hs ? RX_I(served) : RX_NUL,
                                RX_I(hd), RX_T(desc), hdate ? RX_T(date) : RX_NUL,
                                hc ? RX_I(category) : RX_NUL, RX_I(reviewer), RX_I(r->auth.user_id),
                                RX_T(reason), RX_I(r->now)),
                        NULL, NULL);
    if (!rc) rc = rx_audit(r, "update", "service_record", f.id, NULL);
    if (rc) {
        locked_problem(r, rc);
        return;
    }
    answer_record(r, f.id, 200, NULL);
}

/* ------------------------------------------------------------------ confirm, reject */

static int confirm_one(struct rx_req *r, int64_t id, int64_t person)
{
    int64_t changes = 0;
    int rc = rx_db_exec(r->db, Q_REC_CONFIRM,
                        RX_ARGS(RX_I(id), RX_I(r->auth.user_id), RX_I(r->now)), &changes, NULL);
    if (!rc && changes)
        rc = rx_act_notify(r, person, "record_confirmed", record_payload(r, id, NULL, NULL));
    if (!rc && changes) rc = rx_audit(r, "confirm", "service_record", id, NULL);
    return rc;
}

static int check_decider(struct rx_req *r, const struct rec *f)
{
    if (!can_confirm(r, f)) {
        rx_problem(r, 403, "forbidden", NULL);
        return 0;
    }
    if (own(r, f)) {
        rx_problem(r, 403, "cannot_confirm_own", NULL);
        return 0;
    }
    if (strcmp(f->status, "pending") != 0) {
        rx_problem(r, 409, "record_not_pending", f->status);
        return 0;
    }
    return 1;
}

void rx_api_record_confirm(struct rx_req *r)
{
    struct rec f;
    if (!load_visible(r, &f) || !check_decider(r, &f)) return;
    int rc = confirm_one(r, f.id, f.person_id);
    if (rc) {
        locked_problem(r, rc);
        return;
    }
    answer_record(r, f.id, 200, NULL);
}

void rx_api_record_reject(struct rx_req *r)
{
    struct rec f;
    if (!load_visible(r, &f)) return;
    if (!rx_in_object(r)) return;
    static const char *const known[] = {"reason", NULL};
    const char *reason = rx_in_str(r, "reason", 1, 500);
    rx_in_only(r, known);
    if (rx_fail_if_field_errors(r) || !check_decider(r, &f)) return;
    int rc = rx_db_exec(r->db, Q_REC_REJECT,
                        RX_ARGS(RX_I(f.id), RX_I(r->auth.user_id), RX_T(reason), RX_I(r->now)),
                        NULL, NULL);
    if (!rc)
        rc = rx_act_notify(r, f.person_id, "record_rejected",
                           record_payload(r, f.id, "reason", reason));
    if (!rc) rc = rx_audit(r, "reject", "service_record", f.id, NULL);
    if (rc) {
        locked_problem(r, rc);
        return;
    }
    answer_record(r, f.id, 200, NULL);
}

void rx_api_records_confirm_activity(struct rx_req *r)
{
    struct rx_activity a;
    if (!rx_act_load_visible(r, rx_param_id(r, 0), &a)) return;
    int flagged = 0;
    if (r->json) {
        static const char *const known[] = {"include_flagged", NULL};
        if (!rx_in_object(r)) return;
        flagged = rx_in_bool(r, "include_flagged", 0);
        rx_in_only(r, known);
        if (rx_fail_if_field_errors(r)) return;
    }
    if (!rx_can(r, RX_PERM_CONFIRM_RECORDS, a.path) && !rx_act_leads_team(r, a.team_id)) {
        rx_problem(r, 403, "forbidden", NULL);
        return;
    }
    struct rx_cursor c;
    int64_t ids[4096], people[4096];
    int n = 0, k = 0, skipped_review = 0, skipped_own = 0, confirmed = 0;
    int rc = rx_db_query(r->db, Q_REC_PENDING_OF_ACTIVITY, RX_ARGS(RX_I(a.id)), &c);
    if (!rc) {
        while ((k = rx_cursor_next(&c)) == 1 && n < 4096) {
            int64_t id = rx_cursor_int(&c, 0), pid = rx_cursor_int(&c, 1);
            int review = (int)rx_cursor_int(&c, 2);
            if (r->auth.person_id && pid == r->auth.person_id)
                skipped_own++;
            else if (review && !flagged)
                skipped_review++;
            else {
                ids[n] = id;
                people[n++] = pid;
            }
        }
        rx_cursor_close(&c);
        if (k < 0) rc = -k;
    }
    for (int i = 0; !rc && i < n; i++, confirmed++)
        rc = confirm_one(r, ids[i], people[i]);
    if (rc) {
        locked_problem(r, rc);
        return;
    }
    struct rx_json *w = rx_json_begin(r);
    rx_json_obj(w);
    rx_json_kint(w, "confirmed", confirmed);
    rx_json_kint(w, "skipped_needs_review", skipped_review);
    rx_json_kint(w, "skipped_own", skipped_own);
    rx_json_end(w);
    rx_reply(r, 200);
}

/* ------------------------------------------------------------------ corrections */

void rx_api_corrections_list(struct rx_req *r)
{
    struct rec f;
    if (!load_visible(r, &f)) return;
    rx_act_list_reply(r, Q_CORR_LIST, RX_ARGS(RX_I(f.id)), correction_cols, CORRECTION_NCOLS);
}

void rx_api_correction_create(struct rx_req *r)
{
    struct rec f;
    if (!load_visible(r, &f)) return;
    if (!rx_in_object(r)) return;
    static const char *const known[] = {
        "minutes", "people_served", "service_date", "category_id", "description", "reason", NULL};
    int hm = 0, hs = 0, hc = 0;
    int64_t minutes = rx_in_int(r, "minutes", 0, 0, 1440, 0, &hm);
    int64_t served = rx_in_int(r, "people_served", 0, 0, 1000000, 0, &hs);
    int64_t category = rx_in_int(r, "category_id", 0, 1, INT64_MAX, 0, &hc);
    const char *desc = rx_in_str(r, "description", 0, 1000);
    const char *reason = rx_in_str(r, "reason", 1, 500);
    char date[RX_TIMEFMT_DATE_SIZE] = "", now_date[RX_TIMEFMT_DATE_SIZE];
    int hdate = rx_act_in_date(r, r->json, "service_date", "service_date", 0, date) == 1;
    rx_in_only(r, known);
    rx_today(r, NULL, now_date);
    if (hdate && strcmp(date, now_date) > 0) rx_field_error(r, "service_date", "in_future");
    if (!hm && !hs && !hc && !desc && !hdate) rx_field_error(r, "minutes", "no_change_proposed");
    if (hc && !rx_act_category_usable(r, category, f.path))
        rx_field_error(r, "category_id", "not_found_ref");
    if (rx_fail_if_field_errors(r)) return;
    if (!own(r, &f) && !can_confirm(r, &f) && !rx_can(r, RX_PERM_LEAD_ACTIVITIES, f.path)) {
        rx_problem(r, 403, "forbidden", NULL);
        return;
    }
    if (strcmp(f.status, "confirmed") != 0) {
        rx_problem(r, 409, "record_not_confirmed", f.status);
        return;
    }
    int64_t cid = 0;
    int rc = rx_db_exec(r->db, Q_CORR_INSERT,
                        RX_ARGS(RX_I(f.id), hm ? RX_I(minutes) : RX_NUL, hs ? RX_I(served) : RX_NUL,
                                hdate ? RX_T(date) : RX_NUL, hc ? RX_I(category) : RX_NUL,
                                RX_T(desc), RX_T(reason), RX_I(r->auth.user_id), RX_I(r->now)),
                        NULL, &cid);
    if (rc == RX_CONSTRAINT && strstr(rx_db_errmsg(r->db), "UNIQUE")) {
        rx_problem(r, 409, "correction_pending", NULL);
        return;
    }
    if (!rc)
        rc = rx_audit(r, "create", "record_correction", cid, record_payload(r, f.id, NULL, NULL));
    struct rx_json *w = rx_json_begin(r);
    if (!rc)
        rc = rx_act_json_row(r->db, Q_CORR_GET, RX_ARGS(RX_I(cid)), w, correction_cols,
                             CORRECTION_NCOLS);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    rx_reply_created(r, rx_arena_printf(&r->arena, "/api/v1/records/%lld/corrections/%lld",
                                        (long long)f.id, (long long)cid));
}

void rx_api_correction_decide(struct rx_req *r)
{
    struct rec f;
    if (!load_visible(r, &f)) return;
    int64_t cid = rx_param_id(r, 1);
    if (!cid || !rx_in_object(r)) return;
    static const char *const known[] = {"decision", "reason", NULL};
    const char *decision = rx_in_str(r, "decision", 1, 16);
    const char *reason = rx_in_str(r, "reason", 0, 500);
    rx_in_only(r, known);
    int accept = decision && strcmp(decision, "accept") == 0;
    if (decision && !accept && strcmp(decision, "refuse") != 0)
        rx_field_error(r, "decision", "invalid");
    if (decision && !accept && !reason) rx_field_error(r, "reason", "required");
    if (rx_fail_if_field_errors(r)) return;

    /* the correction, which must belong to this record and still be open */
    struct rx_cursor c;
    int64_t rec_id = 0, c_minutes = -1, c_served = -1, c_category = 0;
    const char *c_status = NULL, *c_date = NULL, *c_desc = NULL;
    if (rx_first_row(r, rx_db_query(r->db, Q_CORR_FACTS, RX_ARGS(RX_I(cid)), &c), &c)) {
        rec_id = rx_cursor_int(&c, 0);
        c_status = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 1));
        if (!rx_cursor_isnull(&c, 2)) c_minutes = rx_cursor_int(&c, 2);
        if (!rx_cursor_isnull(&c, 3)) c_served = rx_cursor_int(&c, 3);
        const char *s = rx_cursor_text(&c, 4);
        c_date = s ? rx_arena_strdup(&r->arena, s) : NULL;
        c_category = rx_cursor_int(&c, 5);
        s = rx_cursor_text(&c, 6);
        c_desc = s ? rx_arena_strdup(&r->arena, s) : NULL;
    }
    rx_cursor_close(&c);
    if (rec_id != f.id) {
        rx_problem(r, 404, "not_found", NULL);
        return;
    }
    if (!c_status) {
        rx_problem(r, 503, "out_of_memory", NULL);
        return;
    }
    /* staff decide; never on their own record */
    if (!rx_can(r, RX_PERM_CONFIRM_RECORDS, f.path)) {
        rx_problem(r, 403, "forbidden", NULL);
        return;
    }
    if (own(r, &f)) {
        rx_problem(r, 403, "cannot_confirm_own", NULL);
        return;
    }
    if (strcmp(c_status, "pending") != 0) {
        rx_problem(r, 409, "correction_decided", c_status);
        return;
    }
    int rc;
    if (accept) {
        int64_t minutes = c_minutes >= 0 ? c_minutes : f.minutes;
        const char *date = c_date ? c_date : f.service_date;
        int64_t left = cap_left(r, f.person_id, date, f.id);
        if (minutes > left) {
            rx_field_error_detail(r, "minutes", "over_daily_cap",
                                  rx_arena_printf(&r->arena, "%lld", (long long)left));
            rx_problem(r, 409, "over_daily_cap", NULL);
            return;
        }
        int64_t version = f.version + 1;
        rc = rx_db_exec(r->db, Q_CORR_DECIDE,
                        RX_ARGS(RX_I(cid), RX_T("accepted"), RX_I(r->auth.user_id), RX_T(reason),
                                RX_I(version), RX_I(r->now)),
                        NULL, NULL);
        if (!rc)
            rc = rx_db_exec(r->db, Q_REC_APPLY_CORRECTION,
                            RX_ARGS(RX_I(f.id), RX_I(minutes),
                                    RX_I(c_served >= 0 ? c_served : f.people_served), RX_T(date),
                                    RX_I(c_category ? c_category : f.category_id),
                                    RX_T(c_desc ? c_desc : f.description), RX_I(version), RX_I(cid),
                                    RX_I(r->auth.user_id), RX_I(r->now)),
                            NULL, NULL);
    } else {
        rc = rx_db_exec(r->db, Q_CORR_DECIDE,
                        RX_ARGS(RX_I(cid), RX_T("refused"), RX_I(r->auth.user_id), RX_T(reason),
                                RX_NUL, RX_I(r->now)),
                        NULL, NULL);
    }
    if (!rc)
        rc = rx_act_notify(
            r, f.person_id, "correction_decided",
            rx_arena_printf(&r->arena,
                            "{\"record_id\":%lld,\"correction_id\":%lld,\"decision\":\"%s\"}",
                            (long long)f.id, (long long)cid, accept ? "accepted" : "refused"));
    if (!rc)
        rc = rx_audit(r, accept ? "accept" : "refuse", "record_correction", cid,
                      record_payload(r, f.id, NULL, NULL));
    if (rc) {
        locked_problem(r, rc);
        return;
    }
    struct rx_json *w = rx_json_begin(r);
    rx_json_obj(w);
    rx_json_key(w, "correction");
    rc = rx_act_json_row(r->db, Q_CORR_GET, RX_ARGS(RX_I(cid)), w, correction_cols,
                         CORRECTION_NCOLS);
    rx_json_key(w, "record");
    if (!rc)
        rc = rx_act_json_row(r->db, Q_REC_GET, RX_ARGS(RX_I(f.id)), w, rx_record_cols,
                             rx_record_ncols);
    rx_json_end(w);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    rx_reply(r, 200);
}
