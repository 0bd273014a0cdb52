/* signups.c: signing up for an activity, the waitlist, cancelling.
 *
 * POST /api/v1/activities/{id}/signups signs the caller up, or, for someone who may lead
 * the activity, the person named by person_id (a team leader without staff rights only for
 * the team's members). Everything runs in one write step on the store's writer: the checks
 * (published, sign-up window, volunteer, age, skills, already signed up, overlap) and the
 * insert see the same data, and the writer is the only writer. The database holds the same
 * line on its own: places_taken may not pass capacity and nobody may hold places in two
 * overlapping activities (triggers in 0005_activities.sql).
 *
 * The answer is the sign-up: confirmed while places remain, otherwise waitlisted with its
 * position (1 = next in line). Cancelling a place promotes the head of the waitlist (skipping
 * anyone now busy elsewhere) and tells them. */
#include "api/activity.h"
#include "api/api.h"
#include "api/authz.h"
#include "api/common.h"
#include "api/input.h"
#include "http/server.h"
#include "lib/timefmt.h"
#include <string.h>

struct person_facts {
    int64_t id;
    const char *birth_date, *skills, *volunteer_status, *path, *name;
};

static int load_person(struct rx_req *r, int64_t id, struct person_facts *p)
{
    struct rx_cursor c;
    memset(p, 0, sizeof *p);
    int rc = rx_db_query(r->db, Q_PERSON_FACTS, RX_ARGS(RX_I(id)), &c);
    if (rc) return rc;
    int k = rx_cursor_next(&c);
    if (k == 1) {
        p->id = id;
        const char *s;
        s = rx_cursor_text(&c, 1);
        p->birth_date = s ? rx_arena_strdup(&r->arena, s) : NULL;
        s = rx_cursor_text(&c, 2);
        p->skills = rx_arena_strdup(&r->arena, s ? s : "[]");
        s = rx_cursor_text(&c, 3);
        p->volunteer_status = s ? rx_arena_strdup(&r->arena, s) : NULL;
        s = rx_cursor_text(&c, 4);
        p->path = s ? rx_arena_strdup(&r->arena, s) : NULL;
        s = rx_cursor_text(&c, 5);
        p->name = rx_arena_strdup(&r->arena, s ? s : "");
    }
    rx_cursor_close(&c);
    return k == 1 ? RX_OK : k == 0 ? RX_NOTFOUND : -k;
}

/* Required skills the person lacks, as "a, b"; NULL when none is missing. */
static const char *missing_skills(struct rx_req *r, const char *required, const char *has)
{
    json_error_t e;
    json_t *need = json_loads(required, 0, &e), *got = json_loads(has, 0, &e);
    struct rx_buf b;
    rx_buf_init(&b, 4096);
    size_t i, j;
    json_t *n, *g;
    if (json_is_array(need)) {
        json_array_foreach(need, i, n)
        {
            if (!json_is_string(n)) continue;
            int found = 0;
            if (json_is_array(got))
                json_array_foreach(got, j, g) if (json_is_string(g) &&
                                                  strcmp(json_string_value(g),
                                                         json_string_value(n)) == 0) found = 1;
            if (!found) {
                if (b.len) rx_buf_puts(&b, ", ");
                rx_buf_puts(&b, json_string_value(n));
            }
        }
    }
    json_decref(need);
    json_decref(got);
    const char *out = b.len && !b.err ? rx_arena_strdup(&r->arena, b.data) : NULL;
    rx_buf_free(&b);
    return out;
}

/* Age in whole years on the activity's date, or -1 when the birth date is not known. */
static int age_on(const char *birth, int64_t t)
{
    struct rx_date b, on;
    int years = -1;
    if (!birth || rx_timefmt_date_parse(birth, strlen(birth), &b) != RX_TIMEFMT_OK) return -1;
    rx_timefmt_date_at(t, RX_TIMEFMT_BEIJING, &on);
    if (rx_timefmt_age(&b, &on, &years) != RX_TIMEFMT_OK) return -1;
    return years;
}

static void answer_signup(struct rx_req *r, int64_t sid, int64_t aid, int created)
{
    struct rx_json *w = rx_json_begin(r);
    int rc = rx_act_json_row(r->db, Q_SIGNUP_GET, RX_ARGS(RX_I(sid)), w, rx_signup_cols,
                             rx_signup_ncols);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    if (!created) {
        rx_reply(r, 200);
        return;
    }
    rx_reply_created(r, rx_arena_printf(&r->arena, "/api/v1/activities/%lld/signups/%lld",
                                        (long long)aid, (long long)sid));
}

static void overlap_problem(struct rx_req *r, const char *title)
{
    const char *detail = r->lang == RX_LANG_EN
                             ? rx_arena_printf(&r->arena, "Overlaps with “%s”.", title)
                             : rx_arena_printf(&r->arena, "与活动“%s”时间冲突。", title);
    rx_field_error_detail(r, "starts_at", "signup_overlap", title);
    rx_problem(r, 409, "signup_overlap", detail);
}

/* The title of an activity the person already holds a place in that overlaps this one (the
 * earliest), or NULL. */
static const char *overlap_with(struct rx_req *r, int64_t pid, int64_t aid)
{
    struct rx_cursor c;
    const char *other = NULL;
    if (rx_first_row(r, rx_db_query(r->db, Q_SIGNUP_OVERLAP, RX_ARGS(RX_I(pid), RX_I(aid)), &c), &c))
        other = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 0));
    rx_cursor_close(&c);
    return other;
}

static void signup_write(struct rx_req *r)
{
    int64_t aid = rx_param_id(r, 0);
    struct rx_activity a;
    if (!rx_act_load_visible(r, aid, &a)) return;
    int64_t pid = r->auth.person_id;
    int present = 0;
    if (r->json) {
        static const char *const known[] = {"person_id", NULL};
        if (!rx_in_object(r)) return;
        int64_t p = rx_in_int(r, "person_id", 0, 1, INT64_MAX, 0, &present);
        rx_in_only(r, known);
        if (rx_fail_if_field_errors(r)) return;
        if (present) pid = p;
    }
    int on_behalf = present && pid != r->auth.person_id;
    int staff = 0;
    int64_t member = 0;
    if (on_behalf) {
        staff = rx_can(r, RX_PERM_LEAD_ACTIVITIES, a.path);
        if (!staff && !rx_act_leads_team(r, a.team_id)) {
            rx_problem(r, 403, "forbidden", NULL);
            return;
        }
        int mrc = rx_db_int(r->db, Q_TEAM_HAS_MEMBER, RX_ARGS(RX_I(a.team_id), RX_I(pid)), &member);
        if (mrc && mrc != RX_NOTFOUND) {
            rx_store_problem(r, mrc);
            return;
        }
        if (!staff && !member) {
            rx_field_error(r, "person_id", "not_team_member");
            rx_problem(r, 409, "signup_not_allowed", NULL);
            return;
        }
    } else if (!pid) {
        rx_problem(r, 403, "no_person", NULL);
        return;
    }
    struct person_facts p;
    int rc = load_person(r, pid, &p);
    /* staff sign up people they can see: their team's members or people in their scope */
    if (rc == RX_OK && on_behalf && !member && !rx_can(r, RX_PERM_READ_PEOPLE, p.path) &&
        !rx_can(r, RX_PERM_LEAD_ACTIVITIES, p.path))
        rc = RX_NOTFOUND;
    if (rc == RX_NOTFOUND) {
        rx_field_error(r, "person_id", "not_found_ref");
        rx_problem(r, 400, "validation_failed", NULL);
        return;
    }
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }

    /* the activity must be open for sign-up */
    if (strcmp(a.status, "published") != 0) {
        rx_problem(r, 409, "activity_not_open", a.status);
        return;
    }
    int64_t closes = a.signup_closes_at ? a.signup_closes_at : a.starts_at;
    char t[RX_TIMEFMT_RFC3339_SIZE];
    if (a.signup_opens_at && r->now < a.signup_opens_at) {
        rx_act_time(a.signup_opens_at, t);
        rx_field_error_detail(r, "signup_opens_at", "signup_not_open", t);
    } else if (r->now >= closes) {
        rx_act_time(closes, t);
        rx_field_error_detail(r, "signup_closes_at", "signup_closed", t);
    }
    /* the person must be an active volunteer, old enough, with the skills asked for */
    if (!p.volunteer_status)
        rx_field_error(r, "person_id", "not_a_volunteer");
    else if (strcmp(p.volunteer_status, "active") != 0)
        rx_field_error(r, "person_id", "volunteer_inactive");
    if (a.min_age >= 0) {
        int age = age_on(p.birth_date, a.starts_at);
        if (age < 0)
            rx_field_error(r, "min_age", "age_unknown");
        else if (age < a.min_age)
            rx_field_error_detail(r, "min_age", "too_young",
                                  rx_arena_printf(&r->arena, "%lld", (long long)a.min_age));
    }
    const char *missing = missing_skills(r, a.skills_required, p.skills);
    if (missing) rx_field_error_detail(r, "skills_required", "missing_skills", missing);
    if (r->n_field_errors) {
        rx_problem(r, 409, "signup_not_allowed", NULL);
        return;
    }
    struct rx_cursor c;
    int64_t existing = 0;
    rc = rx_db_query(r->db, Q_SIGNUP_ACTIVE_OF, RX_ARGS(RX_I(a.id), RX_I(pid)), &c);
    int k = rc ? -rc : rx_cursor_next(&c);
    if (k == 1) existing = rx_cursor_int(&c, 0);
    rx_cursor_close(&c);
    if (k < 0) {
        rx_store_problem(r, -k);
        return;
    }
    if (existing) {
        rx_problem(r, 409, "already_signed_up", NULL);
        return;
    }
    /* Overlap: a confirmed place is refused by the database (signups_no_overlap_ins), and
     * only then is the clashing activity looked up for the message; a place on the waitlist
     * holds nothing yet, so it is checked here before it is taken. */
    const char *status = a.places_taken < a.capacity ? "confirmed" : "waitlisted";
    const char *other = status[0] == 'w' ? overlap_with(r, pid, a.id) : NULL;
    if (other) {
        overlap_problem(r, other);
        return;
    }
    int64_t sid = 0;
    rc = rx_db_exec(
        r->db, Q_SIGNUP_INSERT,
        RX_ARGS(RX_I(a.id), RX_I(pid), RX_T(status), RX_I(0), RX_I(r->auth.user_id), RX_I(r->now)),
        NULL, &sid);
    if (rc == RX_CONSTRAINT && strstr(rx_db_errmsg(r->db), "capacity_full")) {
        /* the counter said full after all: wait in line */
        status = "waitlisted";
        if ((other = overlap_with(r, pid, a.id)) != NULL) {
            overlap_problem(r, other);
            return;
        }
        rc = rx_db_exec(r->db, Q_SIGNUP_INSERT,
                        RX_ARGS(RX_I(a.id), RX_I(pid), RX_T(status), RX_I(0), RX_I(r->auth.user_id),
                                RX_I(r->now)),
                        NULL, &sid);
    }
    if (rc == RX_CONSTRAINT) {
        const char *m = rx_db_errmsg(r->db);
        if (strstr(m, "signup_overlap"))
            overlap_problem(r, (other = overlap_with(r, pid, a.id)) ? other : "?");
        else if (strstr(m, "UNIQUE"))
            rx_problem(r, 409, "already_signed_up", NULL);
        else
            rx_store_problem(r, rc);
        return;
    }
    if (!rc)
        rc = rx_audit(r, "create", "signup", sid,
                      rx_arena_printf(&r->arena,
                                      "{\"activity_id\":%lld,\"person_id\":%lld,\"status\":\"%s\"}",
                                      (long long)a.id, (long long)pid, status));
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    answer_signup(r, sid, a.id, 1);
}

void rx_api_signup_create(struct rx_req *r)
{
    signup_write(r);
}

void rx_api_signups_list(struct rx_req *r)
{
    static const char *const statuses[] = {"confirmed", "waitlisted", "cancelled",
                                           "attended",  "no_show",    NULL};
    struct rx_activity a;
    if (!rx_act_load_visible(r, rx_param_id(r, 0), &a)) return;
    int limit = rx_list_limit(r);
    int64_t cursor = rx_list_cursor(r);
    const char *status = rx_query(r, "status");
    int ok = !status;
    for (const char *const *s = statuses; status && *s; s++)
        ok |= strcmp(*s, status) == 0;
    if (!ok) rx_field_error(r, "status", "invalid");
    if (rx_fail_if_field_errors(r)) return;
    /* those who lead it see everyone; others see their own sign-ups only */
    int64_t only = rx_act_can_lead(r, &a) ? 0 : (r->auth.person_id ? r->auth.person_id : -1);
    struct rx_json *w = rx_list_begin(r);
    struct rx_page pg = {0, 0};
    int rc = rx_act_json_rows(
        r->db, Q_SIGNUP_LIST,
        RX_ARGS(RX_I(a.id), RX_T(status), only ? RX_I(only) : RX_NUL, RX_I(cursor), RX_I(limit)), w,
        rx_signup_cols, rx_signup_ncols, &pg);
    rx_list_reply(r, w, &pg, limit, rc);
}

struct signup_facts {
    int64_t activity_id, person_id;
    const char *status;
};

static int load_signup(struct rx_req *r, int64_t sid, struct signup_facts *s)
{
    struct rx_cursor c;
    memset(s, 0, sizeof *s);
    int rc = rx_db_query(r->db, Q_SIGNUP_FACTS, RX_ARGS(RX_I(sid)), &c);
    if (rc) return rc;
    int k = rx_cursor_next(&c);
    if (k == 1) {
        s->activity_id = rx_cursor_int(&c, 0);
        s->person_id = rx_cursor_int(&c, 1);
        s->status = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 2));
        if (!s->status) k = -RX_NOMEM;
    }
    rx_cursor_close(&c);
    return k == 1 ? RX_OK : k == 0 ? RX_NOTFOUND : -k;
}

/* Loads activity and sign-up from the path; 1 when the caller may see the sign-up. */
static int signup_in_scope(struct rx_req *r, struct rx_activity *a, int64_t *sid,
                           struct signup_facts *s)
{
    if (!rx_act_load_visible(r, rx_param_id(r, 0), a)) return 0;
    *sid = rx_param_id(r, 1);
    if (!*sid) return 0;
    int rc = load_signup(r, *sid, s);
    if (rc == RX_OK && s->status && s->activity_id == a->id &&
        ((r->auth.person_id && s->person_id == r->auth.person_id) || rx_act_can_lead(r, a)))
        return 1;
    if (rc && rc != RX_NOTFOUND)
        rx_store_problem(r, rc);
    else
        rx_problem(r, 404, "not_found", NULL);
    return 0;
}

void rx_api_signup_get(struct rx_req *r)
{
    struct rx_activity a;
    struct signup_facts s;
    int64_t sid;
    if (!signup_in_scope(r, &a, &sid, &s)) return;
    answer_signup(r, sid, a.id, 0);
}

void rx_api_signup_cancel(struct rx_req *r)
{
    struct rx_activity a;
    struct signup_facts s;
    int64_t sid;
    if (!signup_in_scope(r, &a, &sid, &s)) return;
    if (strcmp(s.status, "confirmed") != 0 && strcmp(s.status, "waitlisted") != 0) {
        rx_problem(r, 409, "signup_not_cancellable", s.status);
        return;
    }
    if (r->now >= a.starts_at) {
        rx_problem(r, 409, "activity_started", NULL);
        return;
    }
    int held = strcmp(s.status, "confirmed") == 0;
    int rc = rx_db_exec(r->db, Q_SIGNUP_CANCEL,
                        RX_ARGS(RX_I(sid), RX_I(r->auth.user_id), RX_I(r->now)), NULL, NULL);
    if (!rc) rc = rx_audit(r, "cancel", "signup", sid, NULL);
    int64_t promoted = 0;
    if (!rc && held) {
        struct rx_activity fresh;
        rc = rx_act_load(r, a.id, &fresh);
        if (!rc) rc = rx_act_promote(r, &fresh, &promoted);
    }
    struct rx_json *w = rx_json_begin(r);
    rx_json_obj(w);
    rx_json_key(w, "signup");
    if (!rc)
        rc = rx_act_json_row(r->db, Q_SIGNUP_GET, RX_ARGS(RX_I(sid)), w, rx_signup_cols,
                             rx_signup_ncols);
    rx_json_key(w, "promoted");
    if (!rc && promoted)
        rc = rx_act_json_row(r->db, Q_SIGNUP_GET, RX_ARGS(RX_I(promoted)), w, rx_signup_cols,
                             rx_signup_ncols);
    else
        rx_json_null(w);
    rx_json_end(w);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    rx_reply(r, 200);
}

void rx_api_my_signups(struct rx_req *r)
{
    static const char *const statuses[] = {"confirmed", "waitlisted", "cancelled",
                                           "attended",  "no_show",    NULL};
    int limit = rx_list_limit(r);
    int64_t cursor = rx_list_cursor(r);
    const char *status = rx_query(r, "status");
    int ok = !status;
    for (const char *const *s = statuses; status && *s; s++)
        ok |= strcmp(*s, status) == 0;
    if (!ok) rx_field_error(r, "status", "invalid");
    if (rx_fail_if_field_errors(r)) return;
    struct rx_json *w = rx_list_begin(r);
    struct rx_page pg = {0, 0};
    int rc = RX_OK;
    if (r->auth.person_id)
        rc = rx_act_json_rows(r->db, Q_SIGNUP_OF_PERSON,
                              RX_ARGS(RX_I(r->auth.person_id), RX_T(status),
                                      RX_I(cursor ? cursor : INT64_MAX), RX_I(limit)),
                              w, rx_signup_cols, rx_signup_ncols, &pg);
    rx_list_reply(r, w, &pg, limit, rc);
}
