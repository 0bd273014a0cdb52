/* teams.c: volunteer teams (志愿服务队, 艺术团, 协会 …), /api/v1/teams, their members and
 * their size over time.
 *
 * A team belongs to a community, may be led by a Party branch at that community or above
 * it, has a leader (a person), a main service category (national or the community's own),
 * a founding date, a description and what it needs. Members join and leave on dates with a
 * role (leader 队长, deputy 副队长, member 队员); a person can be in several teams but has
 * at most one open membership per team (partial unique index) and periods never overlap
 * (trigger, migration 0003).
 *
 * Size on a date D = members with joined_on <= D and (left_on IS NULL or left_on > D). The
 * size series is one sorted scan of the join/leave events (Q_ROG_TEAM_EVENTS) swept over
 * the requested dates in C (domain/series.c): O(members + points), whatever the team size. */
#include "api/activity.h"
#include "api/api.h"
#include "api/authz.h"
#include "api/common.h"
#include "api/input.h"
#include "api/registry_org.h"
#include "api/reports.h"
#include "domain/series.h"
#include "lib/alloc.h"
#include <string.h>

#define MAX_POINTS 5000    /* dates in one size answer (13 years by day) */
#define MAX_EVENTS 4000000 /* join/leave events read for one size answer */

struct team {
    int64_t id, org_unit_id, branch_id, leader_person_id, category_id;
    const char *path, *name, *founded_on, *description, *needs;
};

static const char *dup_or_null(struct rx_req *r, struct rx_cursor *c, int col)
{
    if (rx_cursor_isnull(c, col)) return NULL;
    const char *s = rx_arena_strdup(&r->arena, rx_cursor_text(c, col));
    if (!s) rx_store_problem(r, RX_NOMEM); /* 503; no later answer of the caller replaces it */
    return s;
}

static int64_t int_or_zero(struct rx_cursor *c, int col)
{
    return rx_cursor_isnull(c, col) ? 0 : rx_cursor_int(c, col);
}

/* Loads a team the caller can see (404 otherwise; 403 when it lacks perm over it). */
static int load_team(struct rx_req *r, int64_t id, enum rx_perm perm, struct team *t)
{
    struct rx_cursor c;
    int found = 0;
    memset(t, 0, sizeof *t);
    if (rx_first_row(r, rx_db_query(r->db, Q_ROG_TEAM_INFO, RX_ARGS(RX_I(id)), &c), &c)) {
        t->id = rx_cursor_int(&c, 0);
        t->org_unit_id = rx_cursor_int(&c, 1);
        t->path = dup_or_null(r, &c, 2);
        t->name = dup_or_null(r, &c, 3);
        t->branch_id = int_or_zero(&c, 4);
        t->leader_person_id = int_or_zero(&c, 5);
        t->category_id = int_or_zero(&c, 6);
        t->founded_on = dup_or_null(r, &c, 7);
        t->description = dup_or_null(r, &c, 8);
        t->needs = dup_or_null(r, &c, 9);
        found = t->path && t->name;
    }
    rx_cursor_close(&c);
    return rx_authz_visible(r, perm, found ? t->path : NULL);
}

int rog_team_path(struct rx_req *r, int64_t id, const char **path)
{
    struct rx_cursor c;
    int found = 0;
    if (rx_first_row(r, rx_db_query(r->db, Q_ROG_TEAM_INFO, RX_ARGS(RX_I(id)), &c), &c)) {
        *path = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 2));
        found = *path != NULL;
    }
    rx_cursor_close(&c);
    return found;
}

/* ------------------------------------------------------------------ teams */

void rx_api_team_list(struct rx_req *r)
{
    int limit = rx_list_limit(r);
    int64_t cursor = rx_list_cursor(r);
    int64_t org = rx_query_int(r, "org_unit_id", 0, 1, INT64_MAX);
    int64_t category = rx_query_int(r, "category_id", 0, 1, INT64_MAX);
    int64_t branch = rx_query_int(r, "branch_id", 0, 1, INT64_MAX);
    const char *q = rog_query_search(r);
    if (rx_fail_if_field_errors(r)) return;
    struct rog_org o;
    if (org && !rog_org_load(r, org, RX_PERM_READ_ORG, &o)) return;
    const char *fmt;
    int ex = rpt_export_format(r, &fmt);
    if (ex) { /* ?format=csv|xlsx: every matching team, streamed (api/export.c) */
        if (ex > 0)
            rpt_teams_export(r, fmt, rog_roles_with(r, RX_PERM_READ_ORG), org ? o.path : NULL,
                             category, branch, q);
        return;
    }
    rx_list_query(r, Q_ROG_TEAM_LIST,
                  RX_ARGS(RX_I(r->auth.user_id), RX_T(rog_roles_with(r, RX_PERM_READ_ORG)),
                          RX_T(org ? o.path : NULL), category ? RX_I(category) : RX_NUL,
                          branch ? RX_I(branch) : RX_NUL, RX_T(q), RX_I(cursor), RX_I(limit)),
                  limit);
}

void rx_api_team_get(struct rx_req *r)
{
    int64_t id = rx_param_id(r, 0);
    struct team t;
    if (!id || !load_team(r, id, RX_PERM_READ_ORG, &t)) return;
    rog_reply_row(r, Q_ROG_TEAM_GET, id, 0, NULL);
}

/* The body of a create or update: what is present, and its value (0/NULL for null). */
struct team_in {
    int has_org, has_branch, has_name, has_leader, has_category, has_founded, has_desc, has_needs;
    int64_t org_unit_id, branch_id, leader_person_id, category_id;
    const char *name, *founded_on, *description, *needs;
};

static void read_team(struct rx_req *r, struct team_in *in, int create)
{
    static const char *const known[] = {"org_unit_id",      "branch_id",   "name",
                                        "leader_person_id", "category_id", "founded_on",
                                        "description",      "needs",       NULL};
    memset(in, 0, sizeof *in);
    in->has_org = rx_in_has(r, "org_unit_id");
    in->org_unit_id = rx_in_int(r, "org_unit_id", create || in->has_org, 1, INT64_MAX, 0, NULL);
    in->has_name = rx_in_has(r, "name");
    in->name = rx_in_str(r, "name", create || in->has_name, 100);
    in->branch_id = rog_in_ref(r, "branch_id", &in->has_branch);
    in->leader_person_id = rog_in_ref(r, "leader_person_id", &in->has_leader);
    in->category_id = rog_in_ref(r, "category_id", &in->has_category);
    in->has_founded = rx_in_has(r, "founded_on");
    in->founded_on = rx_in_date(r, "founded_on", 0, 32, NULL);
    in->has_desc = rx_in_has(r, "description");
    in->description = rx_in_str(r, "description", 0, 2000);
    in->has_needs = rx_in_has(r, "needs");
    in->needs = rx_in_str(r, "needs", 0, 2000);
    rx_in_only(r, known);
}

/* Checks the resulting team `t` against the parts of the body that changed. Answers and
 * returns 0 on a problem. `org_path` is the (new) community's path. */
static int check_team(struct rx_req *r, const struct team_in *in, struct team *t, int create)
{
    /* the community: visible, a community, managed by the caller */
    if (create || in->has_org) {
        struct rog_org o;
        if (!rog_org_ref(r, "org_unit_id", t->org_unit_id, RX_PERM_MANAGE_TEAMS, &o) ||
            !rx_authz_path(r, RX_PERM_MANAGE_TEAMS, o.path))
            return 0;
        if (strcmp(o.kind, "community") != 0) rx_field_error(r, "org_unit_id", "not_community");
        t->path = o.path;
    }
    if (t->branch_id && (in->has_branch || in->has_org)) {
        struct rx_cursor c;
        const char *bpath = NULL;
        if (rx_first_row(r, rx_db_query(r->db, Q_ROG_BRANCH_INFO, RX_ARGS(RX_I(t->branch_id)), &c), &c))
            bpath = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 2));
        rx_cursor_close(&c);
        if (!bpath || !rx_can(r, RX_PERM_READ_ORG, bpath))
            rx_field_error(r, "branch_id", "not_found_ref");
        else if (strncmp(t->path, bpath, strlen(bpath)) != 0)
            rx_field_error(r, "branch_id", "branch_not_above");
    }
    if (t->leader_person_id && in->has_leader)
        rog_person_ok(r, "leader_person_id", t->leader_person_id, NULL);
    if (t->category_id && (in->has_category || in->has_org)) {
        int64_t ok = 0;
        if (rx_int_checked(r, rx_db_int(r->db, Q_ROG_CAT_USABLE,
                                        RX_ARGS(RX_I(t->category_id), RX_I(t->org_unit_id)), &ok)))
            return 0;
        if (!ok) rx_field_error(r, "category_id", "not_found_ref");
    }
    if (rx_fail_if_field_errors(r)) return 0;
    if ((create || in->has_name || in->has_org) &&
        rog_taken(r, Q_ROG_TEAM_NAME_OWNER,
                  RX_ARGS(RX_I(t->org_unit_id), RX_T(t->name), RX_I(t->id)), "name"))
        return 0;
    return 1;
}

#define OPT_I(x) ((x) ? RX_I(x) : RX_NUL)

void rx_api_team_create(struct rx_req *r)
{
    if (!rx_in_object(r)) return;
    struct team_in in;
    read_team(r, &in, 1);
    if (rx_fail_if_field_errors(r)) return;
    struct team t = {0,  in.org_unit_id, in.branch_id,  in.leader_person_id, in.category_id,
                     "", in.name,        in.founded_on, in.description,      in.needs};
    if (!check_team(r, &in, &t, 1)) return;
    int64_t id = 0;
    int rc = rx_db_exec(r->db, Q_ROG_TEAM_INSERT,
                        RX_ARGS(RX_I(t.org_unit_id), OPT_I(t.branch_id), RX_T(t.name),
                                OPT_I(t.leader_person_id), OPT_I(t.category_id), RX_T(t.founded_on),
                                RX_T(t.description), RX_T(t.needs), RX_I(r->now)),
                        NULL, &id);
    rog_write_reply(r, rc, Q_ROG_TEAM_GET, id, 0, "create", "team", NULL,
                    rx_arena_printf(&r->arena, "/api/v1/teams/%lld", (long long)id));
}

void rx_api_team_update(struct rx_req *r)
{
    int64_t id = rx_param_id(r, 0);
    struct team t;
    if (!id || !rx_in_object(r) || !load_team(r, id, RX_PERM_MANAGE_TEAMS, &t)) return;
    struct team_in in;
    read_team(r, &in, 0);
    if (rx_fail_if_field_errors(r)) return;
    int64_t old_org = t.org_unit_id;
    if (in.has_org) t.org_unit_id = in.org_unit_id;
    if (in.has_branch) t.branch_id = in.branch_id;
    if (in.has_name) t.name = in.name;
    if (in.has_leader) t.leader_person_id = in.leader_person_id;
    if (in.has_category) t.category_id = in.category_id;
    if (in.has_founded) t.founded_on = in.founded_on;
    if (in.has_desc) t.description = in.description;
    if (in.has_needs) t.needs = in.needs;
    if (!check_team(r, &in, &t, 0)) return;
    int rc;
    const char *before = rog_row(r, Q_ROG_TEAM_GET, id, &rc);
    if (!rc)
        rc = rx_db_exec(r->db, Q_ROG_TEAM_UPDATE,
                        RX_ARGS(RX_I(id), RX_I(t.org_unit_id), OPT_I(t.branch_id), RX_T(t.name),
                                OPT_I(t.leader_person_id), OPT_I(t.category_id), RX_T(t.founded_on),
                                RX_T(t.description), RX_T(t.needs), RX_I(r->now)),
                        NULL, NULL);
    if (!rc && t.org_unit_id != old_org)
        rc = rx_db_exec(r->db, Q_ROG_TEAM_MEMBERS_REDISTRICT, RX_ARGS(RX_I(id)), NULL, NULL);
    rog_write_reply(r, rc, Q_ROG_TEAM_GET, id, 0, "update", "team", before, NULL);
}

void rx_api_team_delete(struct rx_req *r)
{
    int64_t id = rx_param_id(r, 0);
    struct team t;
    if (!id || !load_team(r, id, RX_PERM_MANAGE_TEAMS, &t)) return;
    struct rog_dep deps[] = {{"members", 0}};
    if (rog_deps_check(r, Q_ROG_TEAM_DEPENDENTS, id, deps, 1)) return;
    rog_delete_reply(r, Q_ROG_TEAM_GET, Q_ROG_TEAM_DELETE, "team", id);
}

/* ------------------------------------------------------------------ members */

static int role_valid(const char *s)
{
    return s && (strcmp(s, "leader") == 0 || strcmp(s, "deputy") == 0 || strcmp(s, "member") == 0);
}

/* A roster names people: it is for staff who read people or lead activities at the team's
 * community and for the team's own leaders, not for every volunteer who may see the team. */
static int may_see_roster(struct rx_req *r, const struct team *t)
{
    return rx_can(r, RX_PERM_READ_PEOPLE, t->path) ||
           rx_can(r, RX_PERM_LEAD_ACTIVITIES, t->path) || rx_act_leads_team(r, t->id);
}

void rx_api_team_members(struct rx_req *r)
{
    int64_t id = rx_param_id(r, 0);
    struct team t;
    if (!id || !load_team(r, id, RX_PERM_READ_ORG, &t)) return;
    if (!may_see_roster(r, &t)) {
        rx_problem(r, 403, "forbidden", NULL);
        return;
    }
    int limit = rx_list_limit(r);
    int64_t cursor = rx_list_cursor(r);
    const char *all = rx_query(r, "all");
    if (all && strcmp(all, "true") != 0 && strcmp(all, "false") != 0)
        rx_field_error(r, "all", "invalid");
    if (rx_fail_if_field_errors(r)) return;
    rx_list_query(
        r, Q_ROG_MEMBER_LIST,
        RX_ARGS(RX_I(id), RX_I(all && strcmp(all, "true") == 0), RX_I(cursor), RX_I(limit)), limit);
}

void rx_api_team_member_get(struct rx_req *r)
{
    int64_t id = rx_param_id(r, 0);
    struct team t;
    if (!id || !load_team(r, id, RX_PERM_READ_ORG, &t)) return;
    int64_t mid = rx_param_id(r, 1);
    if (!mid) return;
    if (!may_see_roster(r, &t)) { /* one's own membership only */
        int64_t person = 0;
        struct rx_cursor c;
        if (rx_first_row(r, rx_db_query(r->db, Q_ROG_MEMBER_INFO, RX_ARGS(RX_I(mid), RX_I(id)), &c), &c))
            person = rx_cursor_int(&c, 1);
        rx_cursor_close(&c);
        if (!person || person != r->auth.person_id) {
            rx_problem(r, 403, "forbidden", NULL);
            return;
        }
    }
    rog_reply_row(r, Q_ROG_MEMBER_GET, mid, id, NULL);
}

int rog_team_join(struct rx_req *r, int64_t team_id, int64_t person_id, const char *role,
                  const char *joined_on, const char *field, int64_t *member_id)
{
    int64_t existing;
    if (rx_db_int(r->db, Q_ROG_MEMBER_CURRENT, RX_ARGS(RX_I(team_id), RX_I(person_id)),
                  &existing) == RX_OK) {
        rx_field_error_detail(r, field, "already_member",
                              rx_arena_printf(&r->arena, "person %lld, team %lld",
                                              (long long)person_id, (long long)team_id));
        rx_problem(r, 409, "conflict", NULL);
        return -1;
    }
    int rc = rx_db_exec(
        r->db, Q_ROG_MEMBER_INSERT,
        RX_ARGS(RX_I(team_id), RX_I(person_id), RX_T(role), RX_T(joined_on), RX_I(r->now)), NULL,
        member_id);
    const char *row = rc ? NULL : rog_row2(r, Q_ROG_MEMBER_GET, *member_id, team_id, &rc);
    if (!rc) rc = rog_audit(r, "create", "team_member", *member_id, NULL, row);
    if (rc) {
        rog_store_problem(r, rc);
        return -1;
    }
    return 0;
}

void rx_api_team_member_add(struct rx_req *r)
{
    int64_t id = rx_param_id(r, 0);
    struct team t;
    if (!id || !rx_in_object(r) || !load_team(r, id, RX_PERM_MANAGE_TEAMS, &t)) return;
    static const char *const known[] = {"person_id", "role", "joined_on", NULL};
    int64_t person = rx_in_int(r, "person_id", 1, 1, INT64_MAX, 0, NULL);
    const char *role = rx_in_str(r, "role", 0, 16);
    const char *joined = rx_in_date(r, "joined_on", 0, 32, NULL);
    rx_in_only(r, known);
    if (role && !role_valid(role)) rx_field_error(r, "role", "invalid");
    if (person) rog_person_ok(r, "person_id", person, NULL);
    if (rx_fail_if_field_errors(r)) return;
    char today_s[RX_TIMEFMT_DATE_SIZE];
    rx_today(r, NULL, today_s);
    int64_t mid = 0;
    if (rog_team_join(r, id, person, role ? role : "member", joined ? joined : today_s, "person_id",
                      &mid))
        return;
    rog_reply_row(r, Q_ROG_MEMBER_GET, mid, id,
                  rx_arena_printf(&r->arena, "/api/v1/teams/%lld/members/%lld", (long long)id,
                                  (long long)mid));
}

void rx_api_team_member_update(struct rx_req *r)
{
    int64_t id = rx_param_id(r, 0);
    struct team t;
    if (!id || !rx_in_object(r) || !load_team(r, id, RX_PERM_MANAGE_TEAMS, &t)) return;
    int64_t mid = rx_param_id(r, 1);
    if (!mid) return;
    struct rx_cursor c;
    const char *role = NULL, *joined = NULL, *left = NULL;
    int found = 0;
    if (rx_first_row(r, rx_db_query(r->db, Q_ROG_MEMBER_INFO, RX_ARGS(RX_I(mid), RX_I(id)), &c), &c)) {
        found = 1;
        role = dup_or_null(r, &c, 2);
        joined = dup_or_null(r, &c, 3);
        left = dup_or_null(r, &c, 4);
    }
    rx_cursor_close(&c);
    if (!found) {
        rx_problem(r, 404, "not_found", NULL);
        return;
    }
    static const char *const known[] = {"role", "left_on", NULL};
    int has_role = rx_in_has(r, "role");
    const char *new_role = rx_in_str(r, "role", has_role, 16);
    int has_left = rx_in_has(r, "left_on");
    const char *new_left = rx_in_date(r, "left_on", 0, 32, NULL);
    rx_in_only(r, known);
    if (new_role && !role_valid(new_role)) rx_field_error(r, "role", "invalid");
    if (new_left && joined && strcmp(new_left, joined) < 0)
        rx_field_error(r, "left_on", "before_joined");
    if (rx_fail_if_field_errors(r)) return;
    int rc;
    const char *before = rog_row2(r, Q_ROG_MEMBER_GET, mid, id, &rc);
    if (!rc)
        rc = rx_db_exec(r->db, Q_ROG_MEMBER_UPDATE,
                        RX_ARGS(RX_I(mid), RX_I(id), RX_T(has_role ? new_role : role),
                                RX_T(has_left ? new_left : left)),
                        NULL, NULL);
    rog_write_reply(r, rc, Q_ROG_MEMBER_GET, mid, id,
                    has_left && new_left && !left ? "leave" : "update", "team_member", before,
                    NULL);
}

/* ------------------------------------------------------------------ size over time */

void rx_api_team_size(struct rx_req *r)
{
    int64_t id = rx_param_id(r, 0);
    struct team t;
    if (!id || !load_team(r, id, RX_PERM_READ_ORG, &t)) return;
    struct rx_date from, to;
    rx_today(r, &to, NULL);
    int has_from = rx_query_date(r, "from", &from) > 0;
    rx_query_date(r, "to", &to);
    enum rx_interval iv = RX_IV_MONTH;
    const char *ivs = rx_query(r, "interval");
    if (ivs && rx_interval_parse(ivs, &iv)) rx_field_error(r, "interval", "invalid");
    if (rx_fail_if_field_errors(r)) return;
    if (!has_from) {
        /* from the founding or the first join, whichever is earlier; else today */
        from = to;
        struct rx_date d;
        if (t.founded_on && !rog_date_parse(t.founded_on, &d)) from = d;
        struct rx_cursor c;
        if (rx_first_row(r, rx_db_query(r->db, Q_ROG_TEAM_FIRST_JOIN, RX_ARGS(RX_I(id)), &c), &c) &&
            !rx_cursor_isnull(&c, 0) &&
            !rog_date_parse(rx_cursor_text(&c, 0), &d) &&
            (!t.founded_on || rx_timefmt_date_cmp(&d, &from) < 0))
            from = d;
        rx_cursor_close(&c);
        if (rx_timefmt_date_cmp(&from, &to) > 0) from = to;
    }
    if (rx_timefmt_date_cmp(&from, &to) > 0) {
        rx_field_error(r, "from", "after_to");
        rx_fail_if_field_errors(r);
        return;
    }
    struct rx_date *points = rx_arena_alloc(&r->arena, MAX_POINTS * sizeof *points);
    int64_t *sizes = rx_arena_alloc(&r->arena, MAX_POINTS * sizeof *sizes);
    if (!points || !sizes) {
        rx_problem(r, 503, "out_of_memory", NULL);
        return;
    }
    int n = rx_series_dates(&from, &to, iv, points, MAX_POINTS);
    if (n < 0) {
        rx_field_error(r, "interval", "too_many_points");
        rx_fail_if_field_errors(r);
        return;
    }

    /* the events, already sorted by date in SQL */
    size_t cap = 0, ne = 0;
    struct rx_size_event *ev = NULL;
    struct rx_cursor c;
    int rc = rx_db_query(r->db, Q_ROG_TEAM_EVENTS, RX_ARGS(RX_I(id)), &c), got = 0;
    while (!rc && (got = rx_cursor_next(&c)) == 1) {
        struct rx_date d;
        if (rog_date_parse(rx_cursor_text(&c, 0), &d)) continue; /* not written by this API */
        if (ne == cap) {
            size_t ncap = cap ? cap * 2 : 1024;
            struct rx_size_event *nev =
                ncap <= MAX_EVENTS ? rx_realloc(ev, ncap * sizeof *ev) : NULL;
            if (!nev) {
                rc = RX_NOMEM;
                break;
            }
            ev = nev;
            cap = ncap;
        }
        ev[ne].day = rx_timefmt_date_to_days(&d);
        ev[ne].delta = (int)rx_cursor_int(&c, 1);
        ne++;
    }
    rx_cursor_close(&c);
    if (!rc && got < 0) rc = -got;
    if (!rc) rx_series_sizes(ev, ne, points, n, sizes);
    rx_free(ev);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    struct rx_json *w = rx_json_begin(r);
    char s[11];
    rx_json_obj(w);
    rx_json_kint(w, "team_id", id);
    rog_date_format(&from, s);
    rx_json_kstr(w, "from", s);
    rog_date_format(&to, s);
    rx_json_kstr(w, "to", s);
    static const char *const iv_names[] = {"day", "week", "month", "year"};
    rx_json_kstr(w, "interval", iv_names[iv]);
    rx_json_key(w, "items");
    rx_json_arr(w);
    for (int k = 0; k < n; k++) {
        rog_date_format(&points[k], s);
        rx_json_obj(w);
        rx_json_kstr(w, "date", s);
        rx_json_kint(w, "size", sizes[k]);
        rx_json_end(w);
    }
    rx_json_end(w);
    rx_json_end(w);
    rx_reply(r, 200);
}
