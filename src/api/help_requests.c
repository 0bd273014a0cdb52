/* help_requests.c: asking for help (点单), the lists, one request, its transition log and
 * the dispatch suggestions (see help.h for who may do what).
 *
 * A request is made by a resident for themselves (an account linked to a person), by staff
 * for a person of their community (person_id), or by anyone for someone without a phone
 * (person_name: a minimal person record is made in the community, to be completed or
 * merged by the registry). The account that registered it is kept either way. Its accept
 * deadline is fixed when it is made: help-urgent-minutes or help-normal-minutes later. */
#include "api/help.h"
#include "api/activity.h"
#include "api/api.h"
#include "api/authz.h"
#include "api/common.h"
#include "api/input.h"
#include "domain/dispatch.h"
#include "domain/helpflow.h"
#include "domain/name.h"
#include "domain/phone.h"
#include "http/server.h"
#include "lib/timefmt.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SCOPE_PATHS 4
#define MAX_CANDIDATES 5000

static const char *const vulnerable_flags[] = {"lonely_elderly", "lives_alone", "disabled",
                                               "very_old", NULL};

/* Reads "vulnerable": an array of known flags, written back in a fixed order without
 * duplicates. Returns NULL when absent (or after recording a field error). */
static const char *in_vulnerable(struct rx_req *r)
{
    json_t *v = json_object_get(r->json, "vulnerable");
    if (!v || json_is_null(v)) return NULL;
    if (!json_is_array(v) || json_array_size(v) > 8) {
        rx_field_error(r, "vulnerable", json_is_array(v) ? "too_long" : "wrong_type");
        return NULL;
    }
    int have[4] = {0, 0, 0, 0};
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        int found = 0;
        for (int k = 0; vulnerable_flags[k]; k++)
            if (json_is_string(e) && strcmp(json_string_value(e), vulnerable_flags[k]) == 0)
                have[k] = found = 1;
        if (!found) {
            rx_field_error(r, "vulnerable", "invalid_flag");
            return NULL;
        }
    }
    char buf[128] = "[";
    size_t n = 1;
    for (int k = 0; vulnerable_flags[k]; k++) {
        if (!have[k]) continue;
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s\"%s\"", n > 1 ? "," : "",
                              vulnerable_flags[k]);
    }
    snprintf(buf + n, sizeof buf - n, "]");
    return rx_arena_strdup(&r->arena, buf);
}

/* ------------------------------------------------------------------ create */

struct person_facts {
    int found;
    int64_t home;     /* home community, 0 = unknown */
    const char *path; /* its path, or NULL */
    const char *vulnerable;
};

static int load_person(struct rx_req *r, int64_t id, struct person_facts *p)
{
    memset(p, 0, sizeof *p);
    struct rx_cursor c;
    int rc = rx_db_query(r->db, Q_HELP_PERSON, RX_ARGS(RX_I(id)), &c);
    if (rc) return rc;
    int k = rx_cursor_next(&c);
    if (k == 1) {
        p->found = 1;
        p->home = rx_cursor_int(&c, 1);
        const char *s = rx_cursor_text(&c, 2);
        p->path = s ? rx_arena_strdup(&r->arena, s) : NULL;
        s = rx_cursor_text(&c, 3);
        p->vulnerable = rx_arena_strdup(&r->arena, s ? s : "[]");
    }
    rx_cursor_close(&c);
    return k < 0 ? -k : RX_OK;
}

/* kind and path of an org unit; RX_NOTFOUND when none */
static int org_facts(struct rx_req *r, int64_t id, const char **kind, const char **path)
{
    struct rx_cursor c;
    int rc = rx_db_query(r->db, Q_HELP_ORG, RX_ARGS(RX_I(id)), &c);
    if (rc) return rc;
    int k = rx_cursor_next(&c);
    if (k == 1) {
        *kind = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 0));
        *path = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 1));
        if (!*kind || !*path) k = -RX_NOMEM;
    }
    rx_cursor_close(&c);
    return k == 1 ? RX_OK : k == 0 ? RX_NOTFOUND : -k;
}

void rx_api_help_create(struct rx_req *r)
{
    static const char *const known[] = {
        "person_id", "person_name",   "org_unit_id", "category_id", "need",    "details",
        "address",   "contact_phone", "wanted_from", "wanted_to",   "urgency", "vulnerable",
        NULL};
    if (!rx_in_object(r)) return;
    int has_person = 0, has_org = 0;
    int64_t person = rx_in_int(r, "person_id", 0, 1, INT64_MAX, 0, &has_person);
    const char *pname = rx_in_str(r, "person_name", 0, RX_NAME_MAX_CP);
    int64_t org = rx_in_int(r, "org_unit_id", 0, 1, INT64_MAX, 0, &has_org);
    int64_t category = rx_in_int(r, "category_id", 1, 1, INT64_MAX, 0, NULL);
    const char *need = rx_in_str(r, "need", 1, 200);
    const char *details = rx_in_str(r, "details", 0, 2000);
    const char *address = rx_in_str(r, "address", 1, 200);
    const char *phone_in = rx_in_str(r, "contact_phone", 0, RX_PHONE_MAX_INPUT);
    const char *urgency = rx_in_str(r, "urgency", 0, 16);
    const char *vulnerable = in_vulnerable(r);
    int64_t from = 0, to = 0;
    int hf = rx_act_in_time(r, r->json, "wanted_from", "wanted_from", 0, &from);
    int ht = rx_act_in_time(r, r->json, "wanted_to", "wanted_to", 0, &to);
    rx_in_only(r, known);
    char phone[RX_PHONE_SIZE] = "", norm[RX_NAME_SIZE] = "";
    if (phone_in && *phone_in &&
        rx_phone_normalize(phone_in, strlen(phone_in), phone, sizeof phone) != RX_PHONE_OK)
        rx_field_error(r, "contact_phone", "invalid_phone");
    if (pname && rx_name_normalize(pname, strlen(pname), norm, sizeof norm, NULL) != RX_NAME_OK)
        rx_field_error(r, "person_name", "invalid");
    if (!urgency) urgency = "normal";
    if (strcmp(urgency, "urgent") != 0 && strcmp(urgency, "normal") != 0)
        rx_field_error(r, "urgency", "invalid");
    if (hf == 1 && ht == 1 && to <= from) rx_field_error(r, "wanted_to", "ends_before_start");
    if (ht == 1 && to <= r->now) rx_field_error(r, "wanted_to", "in_past");
    if (has_person && pname) rx_field_error(r, "person_name", "only_one_of");
    if (!has_person && !pname && !r->auth.person_id) rx_field_error(r, "person_id", "required");
    if (pname && !has_org) rx_field_error(r, "org_unit_id", "required");
    if (rx_fail_if_field_errors(r)) return;

    /* who is helped */
    struct person_facts pf = {0};
    int rc = RX_OK;
    if (!pname) {
        if (!has_person) person = r->auth.person_id;
        rc = load_person(r, person, &pf);
        if (rc) {
            rx_store_problem(r, rc);
            return;
        }
        /* someone else: staff of their community only (others register by name) */
        int self = person == r->auth.person_id;
        if (!pf.found || (!self && !rx_can(r, RX_PERM_MANAGE_PEOPLE, pf.path) &&
                          !rx_can(r, RX_PERM_DISPATCH, pf.path))) {
            rx_field_error(r, "person_id", "not_found_ref");
            rx_fail_if_field_errors(r);
            return;
        }
        if (!has_org) org = pf.home;
        if (!org) {
            rx_field_error(r, "org_unit_id", "required");
            rx_fail_if_field_errors(r);
            return;
        }
    }
    /* where: a community */
    const char *kind = NULL, *path = NULL;
    rc = org_facts(r, org, &kind, &path);
    if (rc == RX_NOTFOUND)
        rx_field_error(r, "org_unit_id", "not_found_ref");
    else if (rc) {
        rx_store_problem(r, rc);
        return;
    } else if (!kind || strcmp(kind, "community") != 0)
        rx_field_error(r, "org_unit_id", "not_community");
    /* in what: a national category, or a local one of this community or above it */
    struct rx_cursor c;
    int cat_ok = 0;
    if (rx_first_row(r, rx_db_query(r->db, Q_HELP_CATEGORY, RX_ARGS(RX_I(category)), &c), &c)) {
        const char *cp = rx_cursor_text(&c, 6);
        cat_ok = !cp || (path && strncmp(path, cp, strlen(cp)) == 0);
    }
    rx_cursor_close(&c);
    if (!cat_ok) rx_field_error(r, "category_id", "not_found_ref");
    if (rx_fail_if_field_errors(r)) return;

    if (pname) {
        rc = rx_db_exec(r->db, Q_HELP_PERSON_INSERT,
                        RX_ARGS(RX_I(org), RX_T(pname), RX_T(norm), phone[0] ? RX_T(phone) : RX_NUL,
                                RX_T("registered with a help request"), RX_I(r->now)),
                        NULL, &person);
        if (!rc) rc = rx_audit(r, "create", "person", person, "{\"via\":\"help_request\"}");
        if (rc) {
            rx_store_problem(r, rc);
            return;
        }
    }
    int urgent = strcmp(urgency, "urgent") == 0;
    int64_t deadline = rx_help_accept_deadline(r->now, urgent, r->app->cfg->help_urgent_minutes,
                                               r->app->cfg->help_normal_minutes);
    int64_t id = 0;
    rc = rx_db_exec(r->db, Q_HELP_INSERT,
                    RX_ARGS(RX_I(org), RX_I(person), RX_I(r->auth.user_id),
                            RX_I(person != r->auth.person_id), RX_I(category), RX_T(need),
                            RX_T(details), RX_T(address), phone[0] ? RX_T(phone) : RX_NUL,
                            hf == 1 ? RX_I(from) : RX_NUL, ht == 1 ? RX_I(to) : RX_NUL,
                            RX_T(urgency),
                            RX_T(vulnerable ? vulnerable : (pf.vulnerable ? pf.vulnerable : "[]")),
                            RX_I(deadline), RX_I(r->now)),
                    NULL, &id);
    if (!rc)
        rc = rx_audit(r, "create", "help_request", id,
                      rx_arena_printf(&r->arena, "{\"person_id\":%lld,\"on_behalf\":%s}",
                                      (long long)person,
                                      person != r->auth.person_id ? "true" : "false"));
    /* the community's dispatchers learn of it */
    struct rx_help h = {.id = id, .org_unit_id = org, .need = need, .state = "submitted"};
    if (!rc)
        rc = rx_help_notify_staff(r->db, r->now, org, RX_PERM_DISPATCH, -1, r->auth.user_id,
                                  "help_request_submitted",
                                  rx_help_payload(r, &h, NULL, "urgency", urgency));
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    rx_help_answer(r, id, 201);
}

/* ------------------------------------------------------------------ list, get, events */

void rx_api_help_list(struct rx_req *r)
{
    int limit = rx_list_limit(r);
    int64_t cursor = rx_list_cursor(r);
    int64_t org = rx_query_int(r, "org_unit", 0, 1, INT64_MAX);
    int64_t category = rx_query_int(r, "category_id", 0, 1, INT64_MAX);
    const char *state = rx_query(r, "state");
    int overdue = rx_query_bool(r, "overdue") == 1, stalled = rx_query_bool(r, "stalled") == 1;
    int low = rx_query_bool(r, "low_rating") == 1, mine = rx_query_bool(r, "mine") == 1;
    int assigned = rx_query_bool(r, "assigned") == 1, open = rx_query_bool(r, "open") == 1;
    if (state && !rx_help_state_valid(state)) rx_field_error(r, "state", "invalid");
    if (rx_fail_if_field_errors(r)) return;
    const char *org_path = NULL;
    if (org) {
        org_path = rx_org_path(r, org);
        if (!org_path) {
            rx_problem(r, 404, "not_found", NULL);
            return;
        }
    }
    /* staff scope: the subtrees where the caller dispatches or sees people */
    const char *all[2 * RX_MAX_GRANTS], *paths[MAX_SCOPE_PATHS] = {NULL};
    int n = rx_scope_paths(r, RX_PERM_DISPATCH, all, RX_MAX_GRANTS);
    n += rx_scope_paths(r, RX_PERM_READ_PEOPLE, all + n, RX_MAX_GRANTS);
    rx_scope_roots(all, n, paths, MAX_SCOPE_PATHS);
    int64_t me = r->auth.person_id;
    struct rx_cursor c;
    int rc = rx_db_query(r->db, Q_HELP_LIST,
                         RX_ARGS(me ? RX_I(me) : RX_NUL, RX_I(r->auth.user_id), RX_T(paths[0]),
                                 RX_T(paths[1]), RX_T(paths[2]), RX_T(paths[3]), RX_T(state),
                                 RX_T(org_path), overdue ? RX_I(1) : RX_NUL, RX_I(r->now),
                                 stalled ? RX_I(1) : RX_NUL, RX_I(r->now - RX_HELP_STALL_SECONDS),
                                 low ? RX_I(1) : RX_NUL, category ? RX_I(category) : RX_NUL,
                                 mine ? RX_I(1) : RX_NUL, assigned ? RX_I(1) : RX_NUL,
                                 open ? RX_I(1) : RX_NUL, RX_I(cursor ? cursor : INT64_MAX),
                                 RX_I(limit)),
                         &c);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    struct rx_json *w = rx_list_begin(r);
    struct rx_page pg = {0, 0};
    int k;
    while ((k = rx_cursor_next(&c)) == 1) {
        rx_json_obj(w);
        rx_help_write_fields(r, w, &c);
        rx_json_end(w);
        pg.count++;
        pg.last_id = rx_cursor_int(&c, 0);
    }
    rx_cursor_close(&c);
    rx_list_reply(r, w, &pg, limit, k < 0 ? -k : RX_OK);
}

void rx_api_help_get(struct rx_req *r)
{
    struct rx_help h;
    if (!rx_help_load_visible(r, &h)) return;
    rx_help_answer(r, h.id, 200);
}

static const struct rx_col event_cols[] = {
    {"id", RX_COL_INT},
    {"action", RX_COL_TEXT},
    {"from_state", RX_COL_TEXT},
    {"to_state", RX_COL_TEXT},
    {"by_user_id", RX_COL_INT},
    {"by_name", RX_COL_TEXT},
    {"reason", RX_COL_TEXT},
    {"assignee_person_id", RX_COL_INT},
    {"assignee_team_id", RX_COL_INT},
    {"at", RX_COL_TIME},
};

void rx_api_help_events(struct rx_req *r)
{
    struct rx_help h;
    if (!rx_help_load_visible(r, &h)) return;
    /* volunteers browsing an open request do not see who did what */
    if (!rx_help_is_requester(r, &h) && !rx_help_is_staff(r, &h) && !rx_help_is_assignee(r, &h) &&
        !rx_help_in_team(r, &h)) {
        rx_problem(r, 404, "not_found", NULL);
        return;
    }
    rx_act_list_reply(r, Q_HELP_EVENTS, RX_ARGS(RX_I(h.id)), event_cols,
                      (int)(sizeof event_cols / sizeof event_cols[0]));
}

/* ------------------------------------------------------------------ suggestions */

struct suggestion {
    struct rx_dispatch_candidate c;
    const char *name, *volunteer_no, *org_name, *tag;
    int64_t org_id;
};

static int by_candidate(const void *a, const void *b)
{
    return rx_dispatch_cmp(&((const struct suggestion *)a)->c, &((const struct suggestion *)b)->c);
}

/* Skill tags of a JSON array (strings only, at most 32) into tags[]; returns how many. */
static int parse_tags(struct rx_req *r, json_t *arr, const char **tags, int max)
{
    int n = 0;
    size_t i;
    json_t *e;
    if (!json_is_array(arr)) return 0;
    json_array_foreach(arr, i, e)
    {
        if (n >= max) break;
        if (json_is_string(e)) tags[n++] = rx_arena_strdup(&r->arena, json_string_value(e));
    }
    return n;
}

static int parse_slots(json_t *arr, struct rx_dispatch_slot *slots, int max)
{
    int n = 0;
    size_t i;
    json_t *e;
    if (!json_is_array(arr)) return 0;
    json_array_foreach(arr, i, e)
    {
        if (n >= max) break;
        json_t *wd = json_object_get(e, "weekday"), *f = json_object_get(e, "from"),
               *t = json_object_get(e, "to");
        if (!json_is_integer(wd) || !json_is_string(f) || !json_is_string(t)) continue;
        json_int_t d = json_integer_value(wd);
        int fm = rx_dispatch_minutes(json_string_value(f));
        int tm = rx_dispatch_minutes(json_string_value(t));
        if (d < 1 || d > 7 || fm < 0 || tm < 0) continue;
        slots[n++] = (struct rx_dispatch_slot){(int)d, fm, tm};
    }
    return n;
}

void rx_api_help_suggestions(struct rx_req *r)
{
    struct rx_help h;
    if (!rx_help_load_visible(r, &h)) return;
    int limit = (int)rx_query_int(r, "limit", 20, 1, 100);
    if (rx_fail_if_field_errors(r)) return;
    if (!rx_help_is_dispatcher(r, &h)) {
        rx_problem(r, 403, "forbidden", NULL);
        return;
    }
    /* the category and its parent, for matching skills */
    struct rx_dispatch_category cat = {0};
    struct rx_cursor c;
    int rc = rx_db_query(r->db, Q_HELP_CATEGORY, RX_ARGS(RX_I(h.category_id)), &c);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    if (rx_cursor_next(&c) == 1) {
        const char **f[] = {&cat.code,        &cat.name,        &cat.name_en,
                            &cat.parent_code, &cat.parent_name, &cat.parent_name_en};
        for (int i = 0; i < 6; i++) {
            const char *s = rx_cursor_text(&c, i);
            *f[i] = s ? rx_arena_strdup(&r->arena, s) : NULL;
        }
    }
    rx_cursor_close(&c);
    const char *pool = rx_help_pool_path(r, &h);
    /* the time it suits; an open end counts as an hour */
    int64_t from = h.wanted_from, to = h.wanted_to;
    if (from && !to) to = from + 3600;
    if (to && !from) from = to - 3600;
    rc = rx_db_query(
        r->db, Q_HELP_CANDIDATES,
        RX_ARGS(RX_T(pool), RX_I(from), RX_I(to), RX_I(h.person_id), RX_I(MAX_CANDIDATES)), &c);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    struct suggestion *s = rx_arena_alloc(&r->arena, sizeof *s * MAX_CANDIDATES);
    if (!s) {
        rx_cursor_close(&c);
        rx_problem(r, 503, "out_of_memory", NULL);
        return;
    }
    int n = 0, k;
    while ((k = rx_cursor_next(&c)) == 1 && n < MAX_CANDIDATES) {
        if (rx_cursor_int(&c, 9)) continue; /* busy: a confirmed sign-up overlaps */
        const char *tags[32];
        struct rx_dispatch_slot slots[32];
        json_error_t e;
        const char *sk = rx_cursor_text(&c, 3), *av = rx_cursor_text(&c, 4);
        json_t *js = sk ? json_loads(sk, 0, &e) : NULL;
        int nt = parse_tags(r, js, tags, 32);
        json_decref(js);
        const char *tag = NULL;
        int skill = rx_dispatch_skill(tags, nt, &cat, &tag);
        if (skill == RX_DISPATCH_SKILL_NONE) continue;
        json_t *ja = av ? json_loads(av, 0, &e) : NULL;
        int ns = parse_slots(ja, slots, 32);
        json_decref(ja);
        if (!rx_dispatch_available(slots, ns, from, to)) continue;
        struct suggestion *x = &s[n++];
        x->c.person_id = rx_cursor_int(&c, 0);
        x->c.distance = rx_dispatch_tree_distance(rx_cursor_text(&c, 7), h.path);
        x->c.load = (int)rx_cursor_int(&c, 8);
        x->c.skill = skill;
        x->name = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 1));
        const char *no = rx_cursor_text(&c, 2);
        x->volunteer_no = no ? rx_arena_strdup(&r->arena, no) : NULL;
        x->org_id = rx_cursor_int(&c, 5);
        x->org_name = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 6));
        x->tag = tag; /* lives in the arena (parse_tags) */
    }
    rx_cursor_close(&c);
    if (k < 0) {
        rx_store_problem(r, -k);
        return;
    }
    qsort(s, (size_t)n, sizeof *s, by_candidate);
    struct rx_json *w = rx_list_begin(r);
    for (int i = 0; i < n && i < limit; i++) {
        rx_json_obj(w);
        rx_json_kint(w, "person_id", s[i].c.person_id);
        rx_json_kstr(w, "name", s[i].name);
        rx_json_kstr(w, "volunteer_no", s[i].volunteer_no);
        rx_json_kint(w, "org_unit_id", s[i].org_id);
        rx_json_kstr(w, "org_unit_name", s[i].org_name);
        rx_json_kint(w, "distance", s[i].c.distance);
        rx_json_kint(w, "load", s[i].c.load);
        rx_json_kstr(w, "skill_match",
                     s[i].c.skill == RX_DISPATCH_SKILL_CATEGORY ? "category" : "parent");
        rx_json_kstr(w, "matched_skill", s[i].tag);
        rx_json_end(w);
    }
    rx_list_reply(r, w, NULL, 0, RX_OK);
}
