/* activities.c: activities and weekly series; search; cancel and finish.
 *
 * An activity belongs to a team and so to the team's community; it has a category, a time
 * (RFC 3339 in JSON, unix seconds in the database), a capacity, a sign-up window, optional
 * skills and minimum age, a kind (service, performance, training) and a status:
 *   draft -> published -> finished, and draft|published -> cancelled (both final).
 * Cancelling tells everyone signed up (notifications). Finishing closes attendance: whoever
 * is still checked in gets a record flagged for review (credited up to the scheduled end),
 * confirmed people who never came become no-shows, a performance counts one session (场次)
 * for its team with its audience, and a training enters the attendees' training records.
 *
 * A series ("every Monday and Thursday 14:30-16:30 until June") is created once and makes
 * one activity per occurrence, each with its own sign-ups; PATCH and cancel take
 * ?scope=following to act on this occurrence and the later ones of its series.
 * (The category list, /api/v1/service-categories, is the registry's: api/categories.) */
#include "api/activity.h"
#include "api/api.h"
#include "api/authz.h"
#include "api/common.h"
#include "api/input.h"
#include "domain/recur.h"
#include "http/server.h"
#include "lib/timefmt.h"
#include <string.h>

#define MAX_OCCURRENCES 200
#define MAX_SKILLS 20
#define MAX_DURATION (24 * 3600)

/* ------------------------------------------------------------------ input */

enum {
    F_TITLE = 1 << 0,
    F_DESCRIPTION = 1 << 1,
    F_VENUE = 1 << 2,
    F_STARTS = 1 << 3,
    F_ENDS = 1 << 4,
    F_CAPACITY = 1 << 5,
    F_OPENS = 1 << 6,
    F_CLOSES = 1 << 7,
    F_SKILLS = 1 << 8,
    F_MIN_AGE = 1 << 9,
    F_CATEGORY = 1 << 10,
    F_KIND = 1 << 11,
    F_STATUS = 1 << 12,
};

struct act_in {
    unsigned set; /* F_* present in the body */
    int64_t team_id, category_id, starts_at, ends_at, capacity, opens, closes, min_age;
    int has_opens, has_closes, has_min_age; /* 0 = null (cleared) */
    const char *title, *description, *venue, *kind, *status;
    const char *skills; /* JSON array text */
    /* recurrence */
    int recurring;
    struct rx_recur_rule rule;
    char start_time[6], end_time[6], first[RX_TIMEFMT_DATE_SIZE], until[RX_TIMEFMT_DATE_SIZE];
    char weekdays[32]; /* JSON array text */
    int64_t id;        /* PATCH: the activity */
    int following;     /* PATCH/cancel: ?scope=following */
};

static int is_one_of(const char *s, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(s, *set) == 0) return 1;
    return 0;
}

/* skills_required: an array of up to MAX_SKILLS tags of 1..32 characters. */
static const char *read_skills(struct rx_req *r, json_t *v)
{
    if (!json_is_array(v)) {
        rx_field_error(r, "skills_required", "wrong_type");
        return NULL;
    }
    if (json_array_size(v) > MAX_SKILLS) {
        rx_field_error(r, "skills_required", "too_long");
        return NULL;
    }
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        if (!json_is_string(e) || json_string_length(e) == 0 || json_string_length(e) > 96 ||
            strlen(json_string_value(e)) != json_string_length(e)) {
            rx_field_error(r, "skills_required", "invalid");
            return NULL;
        }
    }
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII);
    const char *out = s ? rx_arena_strdup(&r->arena, s) : NULL;
    free(s);
    return out;
}

static void read_recurrence(struct rx_req *r, json_t *rec, struct act_in *in)
{
    static const char *const known[] = {"weekdays", "start_time", "end_time",
                                        "from",     "until",      NULL};
    if (!json_is_object(rec)) {
        rx_field_error(r, "recurrence", "wrong_type");
        return;
    }
    const char *k;
    json_t *v;
    json_object_foreach(rec, k, v)
    {
        int ok = 0;
        for (const char *const *p = known; *p && !ok; p++)
            ok = strcmp(*p, k) == 0;
        if (!ok)
            rx_field_error(r, rx_arena_printf(&r->arena, "recurrence.%.32s", k), "unknown_field");
    }
    in->recurring = 1;
    in->rule.offset_min = RX_TIMEFMT_BEIJING;
    json_t *wd = json_object_get(rec, "weekdays");
    if (!json_is_array(wd) || json_array_size(wd) == 0 || json_array_size(wd) > 7) {
        rx_field_error(r, "recurrence.weekdays", wd ? "invalid" : "required");
    } else {
        size_t i;
        json_t *e;
        json_array_foreach(wd, i, e)
        {
            json_int_t d = json_is_integer(e) ? json_integer_value(e) : 0;
            if (d < 1 || d > 7) {
                rx_field_error(r, "recurrence.weekdays", "out_of_range");
                break;
            }
            in->rule.weekdays |= 1u << d;
        }
        size_t n = 0;
        n += (size_t)snprintf(in->weekdays + n, sizeof in->weekdays - n, "[");
        for (int d = 1; d <= 7; d++)
            if (in->rule.weekdays & (1u << d))
                n += (size_t)snprintf(in->weekdays + n, sizeof in->weekdays - n, "%s%d",
                                      n > 1 ? "," : "", d);
        snprintf(in->weekdays + n, sizeof in->weekdays - n, "]");
    }
    const char *names[2] = {"start_time", "end_time"};
    int *mins[2] = {&in->rule.start_min, &in->rule.end_min};
    char *texts[2] = {in->start_time, in->end_time};
    for (int i = 0; i < 2; i++) {
        json_t *t = json_object_get(rec, names[i]);
        const char *label = rx_arena_printf(&r->arena, "recurrence.%s", names[i]);
        if (!t)
            rx_field_error(r, label, "required");
        else if (!json_is_string(t) ||
                 rx_recur_parse_hhmm(json_string_value(t), json_string_length(t), mins[i]) !=
                     RX_RECUR_OK)
            rx_field_error(r, label, "invalid_time_of_day");
        else
            memcpy(texts[i], json_string_value(t), 6);
    }
    struct rx_date today;
    rx_today(r, &today, NULL);
    int f = rx_act_in_date(r, rec, "from", "recurrence.from", 0, in->first);
    if (f == 0) rx_timefmt_date_format(&today, in->first, sizeof in->first);
    rx_act_in_date(r, rec, "until", "recurrence.until", 1, in->until);
    if (in->first[0]) rx_timefmt_date_parse(in->first, 10, &in->rule.first);
    if (in->until[0]) rx_timefmt_date_parse(in->until, 10, &in->rule.until);
}

/* Reads the body of a create (creating = 1) or a PATCH. */
static void read_activity(struct rx_req *r, struct act_in *in, int creating)
{
    static const char *const known_create[] = {"team_id",
                                               "category_id",
                                               "title",
                                               "description",
                                               "venue",
                                               "starts_at",
                                               "ends_at",
                                               "capacity",
                                               "signup_opens_at",
                                               "signup_closes_at",
                                               "skills_required",
                                               "min_age",
                                               "kind",
                                               "status",
                                               "recurrence",
                                               NULL};
    static const char *const known_patch[] = {"category_id",      "title",
                                              "description",      "venue",
                                              "starts_at",        "ends_at",
                                              "capacity",         "signup_opens_at",
                                              "signup_closes_at", "skills_required",
                                              "min_age",          "kind",
                                              "status",           NULL};
    static const char *const kinds[] = {"service", "performance", "training", NULL};
    static const char *const statuses[] = {"draft", "published", NULL};
    json_t *body = r->json;
    int present;

    rx_in_only(r, creating ? known_create : known_patch);
    json_t *rec = creating ? json_object_get(body, "recurrence") : NULL;
    if (rec && !json_is_null(rec)) read_recurrence(r, rec, in);

    if (creating) in->team_id = rx_in_int(r, "team_id", 1, 1, INT64_MAX, 0, NULL);
    in->category_id = rx_in_int(r, "category_id", 0, 1, INT64_MAX, 0, &present);
    if (present) in->set |= F_CATEGORY;
    in->title = rx_in_str(r, "title", creating, 200);
    if (in->title) in->set |= F_TITLE;
    if (rx_in_has(r, "description")) {
        in->set |= F_DESCRIPTION;
        in->description = rx_in_str(r, "description", 0, 4000);
    }
    if (rx_in_has(r, "venue")) {
        in->set |= F_VENUE;
        in->venue = rx_in_str(r, "venue", 0, 200);
    }
    int need_times = creating && !in->recurring;
    if (in->recurring && (rx_in_has(r, "starts_at") || rx_in_has(r, "ends_at")))
        rx_field_error(r, "starts_at", "not_with_recurrence");
    if (rx_act_in_time(r, body, "starts_at", "starts_at", need_times, &in->starts_at) == 1)
        in->set |= F_STARTS;
    if (rx_act_in_time(r, body, "ends_at", "ends_at", need_times, &in->ends_at) == 1)
        in->set |= F_ENDS;
    in->capacity = rx_in_int(r, "capacity", creating, 1, 100000, 0, &present);
    if (present) in->set |= F_CAPACITY;
    if (rx_in_has(r, "signup_opens_at")) {
        in->set |= F_OPENS;
        in->has_opens =
            rx_act_in_time(r, body, "signup_opens_at", "signup_opens_at", 0, &in->opens) == 1;
    }
    if (rx_in_has(r, "signup_closes_at")) {
        in->set |= F_CLOSES;
        in->has_closes =
            rx_act_in_time(r, body, "signup_closes_at", "signup_closes_at", 0, &in->closes) == 1;
    }
    json_t *sk = json_object_get(body, "skills_required");
    if (sk && !json_is_null(sk)) {
        in->skills = read_skills(r, sk);
        in->set |= F_SKILLS;
    } else if (sk) {
        in->skills = "[]";
        in->set |= F_SKILLS;
    }
    if (rx_in_has(r, "min_age")) {
        in->set |= F_MIN_AGE;
        in->min_age = rx_in_int(r, "min_age", 0, 0, 120, 0, &present);
        in->has_min_age = present && !json_is_null(json_object_get(body, "min_age"));
    }
    in->kind = rx_in_str(r, "kind", 0, 16);
    if (in->kind) {
        in->set |= F_KIND;
        if (!is_one_of(in->kind, kinds)) rx_field_error(r, "kind", "invalid");
    }
    in->status = rx_in_str(r, "status", 0, 16);
    if (in->status) {
        in->set |= F_STATUS;
        if (!is_one_of(in->status, statuses)) rx_field_error(r, "status", "invalid");
    }
    if ((in->set & F_STARTS) && (in->set & F_ENDS)) {
        if (in->ends_at <= in->starts_at)
            rx_field_error(r, "ends_at", "ends_before_start");
        else if (in->ends_at - in->starts_at > MAX_DURATION)
            rx_field_error(r, "ends_at", "too_long_duration");
    }
    if (in->has_opens && in->has_closes && in->closes <= in->opens)
        rx_field_error(r, "signup_closes_at", "ends_before_start");
}

/* ------------------------------------------------------------------ create */

struct team_facts {
    int64_t id, org_unit_id, category_id;
    const char *path;
};

static int load_team(struct rx_req *r, int64_t id, struct team_facts *t)
{
    struct rx_cursor c;
    memset(t, 0, sizeof *t);
    int rc = rx_db_query(r->db, Q_TEAM_FACTS, RX_ARGS(RX_I(id)), &c);
    if (rc) return rc;
    int k = rx_cursor_next(&c);
    if (k == 1) {
        t->id = id;
        t->org_unit_id = rx_cursor_int(&c, 0);
        t->category_id = rx_cursor_int(&c, 1);
        t->path = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 2));
    }
    rx_cursor_close(&c);
    return k == 1 ? RX_OK : k == 0 ? RX_NOTFOUND : -k;
}

static void service_date_of(int64_t t, char *out)
{
    struct rx_date d;
    rx_timefmt_date_at(t, RX_TIMEFMT_BEIJING, &d);
    rx_timefmt_date_format(&d, out, RX_TIMEFMT_DATE_SIZE);
}

static int insert_activity(struct rx_req *r, const struct act_in *in, const struct team_facts *t,
                           int64_t series_id, int64_t starts, int64_t ends, int64_t opens,
                           int64_t closes, int64_t *id)
{
    char day[RX_TIMEFMT_DATE_SIZE];
    service_date_of(starts, day);
    return rx_db_exec(
        r->db, Q_ACT_INSERT,
        RX_ARGS(RX_I(t->org_unit_id), RX_I(t->id), RX_I(in->category_id),
                series_id ? RX_I(series_id) : RX_NUL, RX_T(in->title), RX_T(in->description),
                RX_T(in->venue), RX_I(starts), RX_I(ends), RX_T(day), RX_I(in->capacity),
                in->has_opens ? RX_I(opens) : RX_NUL, in->has_closes ? RX_I(closes) : RX_NUL,
                RX_T(in->skills ? in->skills : "[]"), in->has_min_age ? RX_I(in->min_age) : RX_NUL,
                RX_T(in->kind ? in->kind : "service"), RX_T(in->status ? in->status : "draft"),
                RX_I(r->auth.user_id), RX_I(r->now)),
        NULL, id);
}

static const struct rx_col series_cols[] = {
    {"id", RX_COL_INT},        {"team_id", RX_COL_INT},     {"org_unit_id", RX_COL_INT},
    {"weekdays", RX_COL_JSON}, {"start_time", RX_COL_TEXT}, {"end_time", RX_COL_TEXT},
    {"from", RX_COL_TEXT},     {"until", RX_COL_TEXT},      {"created_at", RX_COL_TIME},
};
#define SERIES_NCOLS ((int)(sizeof series_cols / sizeof series_cols[0]))

/* Answers with activity id as Q_ACT_GET shows it: 200, or 201 with Location when location is
 * not NULL; or the store problem rc when the write before failed. */
static void reply_activity(struct rx_req *r, int rc, int64_t id, const char *location)
{
    struct rx_json *w = rx_json_begin(r);
    if (!rc)
        rc = rx_act_json_row(r->db, Q_ACT_GET, RX_ARGS(RX_I(id)), w, rx_activity_cols,
                             rx_activity_ncols);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    if (location)
        rx_reply_created(r, location);
    else
        rx_reply(r, 200);
}

static void create_write(struct rx_req *r)
{
    struct act_in *in = r->step_ctx;
    struct team_facts t;
    int rc = load_team(r, in->team_id, &t);
    if (rc == RX_NOTFOUND) { /* teams are public like the activities they run */
        rx_field_error(r, "team_id", "not_found_ref");
        rx_problem(r, 400, "validation_failed", NULL);
        return;
    }
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    if (!rx_can(r, RX_PERM_LEAD_ACTIVITIES, t.path) && !rx_act_leads_team(r, t.id)) {
        rx_problem(r, 403, "forbidden", NULL);
        return;
    }
    if (!(in->set & F_CATEGORY)) in->category_id = t.category_id;
    if (!in->category_id)
        rx_field_error(r, "category_id", "required");
    else if (!rx_act_category_usable(r, in->category_id, t.path))
        rx_field_error(r, "category_id", "not_found_ref");
    if (rx_fail_if_field_errors(r)) return;

    struct rx_json *w;
    if (!in->recurring) {
        int64_t id = 0;
        rc = insert_activity(r, in, &t, 0, in->starts_at, in->ends_at, in->opens, in->closes, &id);
        if (!rc) rc = rx_audit(r, "create", "activity", id, NULL);
        reply_activity(r, rc, id,
                       rx_arena_printf(&r->arena, "/api/v1/activities/%lld", (long long)id));
        return;
    }

    struct rx_recur_occurrence *occ = rx_req_alloc(r, sizeof *occ * MAX_OCCURRENCES);
    size_t n = 0;
    if (!occ) return;
    int e = rx_recur_expand(&in->rule, occ, MAX_OCCURRENCES, &n);
    if (e == RX_RECUR_ETOOMANY)
        rx_field_error(r, "recurrence.until", "too_many_occurrences");
    else if (e == RX_RECUR_EEMPTY)
        rx_field_error(r, "recurrence.weekdays", "no_occurrences");
    else if (e == RX_RECUR_ERANGE)
        rx_field_error(r, "recurrence.until", "ends_before_start");
    else if (e)
        rx_field_error(r, "recurrence", "invalid");
    if (rx_fail_if_field_errors(r)) return;

    int64_t sid = 0;
    rc = rx_db_exec(r->db, Q_SERIES_INSERT,
                    RX_ARGS(RX_I(t.id), RX_I(t.org_unit_id), RX_T(in->weekdays),
                            RX_T(in->start_time), RX_T(in->end_time), RX_T(in->first),
                            RX_T(in->until), RX_I(r->auth.user_id), RX_I(r->now)),
                    NULL, &sid);
    /* a sign-up window given with a series is read relative to the first occurrence */
    for (size_t i = 0; !rc && i < n; i++) {
        int64_t shift = occ[i].starts_at - occ[0].starts_at, id = 0;
        rc = insert_activity(r, in, &t, sid, occ[i].starts_at, occ[i].ends_at, in->opens + shift,
                             in->closes + shift, &id);
    }
    if (!rc)
        rc = rx_audit(r, "create", "activity_series", sid,
                      rx_arena_printf(&r->arena, "{\"occurrences\":%zu}", n));
    w = rx_json_begin(r);
    rx_json_obj(w);
    rx_json_key(w, "series");
    if (!rc)
        rc = rx_act_json_row(r->db, Q_SERIES_GET, RX_ARGS(RX_I(sid)), w, series_cols, SERIES_NCOLS);
    rx_json_key(w, "items");
    rx_json_arr(w);
    if (!rc)
        rc = rx_act_json_rows(r->db, Q_ACT_OF_SERIES, RX_ARGS(RX_I(sid)), w, rx_activity_cols,
                              rx_activity_ncols, NULL);
    rx_json_end(w);
    rx_json_end(w);
    if (rc) {
        if (rc == RX_CONSTRAINT) {
            rx_field_error_detail(r, "signup_closes_at", "invalid", rx_db_errmsg(r->db));
            rx_problem(r, 400, "validation_failed", NULL);
        } else {
            rx_store_problem(r, rc);
        }
        return;
    }
    rx_reply_created(r, rx_arena_printf(&r->arena, "/api/v1/activity-series/%lld", (long long)sid));
}

void rx_api_activity_create(struct rx_req *r)
{
    if (!rx_in_object(r)) return;
    struct act_in *in = rx_req_alloc(r, sizeof *in);
    if (!in) return;
    memset(in, 0, sizeof *in);
    read_activity(r, in, 1);
    if (rx_fail_if_field_errors(r)) return;
    r->step_ctx = in;
    rx_then(r, RX_EXEC_WRITE, create_write);
}

/* ------------------------------------------------------------------ read */

void rx_api_activity_get(struct rx_req *r)
{
    struct rx_activity a;
    if (!rx_act_load_visible(r, rx_param_id(r, 0), &a)) return;
    struct rx_json *w = rx_json_begin(r);
    struct rx_cursor c;
    int rc = rx_db_query(r->db, Q_ACT_GET, RX_ARGS(RX_I(a.id)), &c);
    int k = rc ? -rc : rx_cursor_next(&c);
    if (k == 1) {
        /* the activity's fields, then the caller's own sign-up and whether they may lead it */
        rx_json_obj(w);
        rx_act_write_fields(w, &c, rx_activity_cols, rx_activity_ncols);
    }
    rx_cursor_close(&c);
    if (k != 1) {
        rx_store_problem(r, k == 0 ? RX_NOTFOUND : -k);
        return;
    }
    rx_json_kbool(w, "can_lead", rx_act_can_lead(r, &a));
    rx_json_key(w, "my_signup");
    rc = r->auth.person_id
             ? rx_act_json_row(r->db, Q_SIGNUP_MINE, RX_ARGS(RX_I(a.id), RX_I(r->auth.person_id)),
                               w, rx_signup_cols, rx_signup_ncols)
             : RX_NOTFOUND;
    if (rc == RX_NOTFOUND)
        rx_json_null(w);
    else if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    rx_json_end(w);
    rx_reply(r, 200);
}

void rx_api_activities_list(struct rx_req *r)
{
    static const char *const kinds[] = {"service", "performance", "training", NULL};
    static const char *const statuses[] = {"draft", "published", "cancelled", "finished", NULL};
    int limit = rx_list_limit(r);
    int64_t cursor = rx_list_cursor(r);
    int64_t org = rx_query_int(r, "org_unit", 0, 1, INT64_MAX);
    int64_t cat = rx_query_int(r, "category", 0, 1, INT64_MAX);
    int64_t team = rx_query_int(r, "team", 0, 1, INT64_MAX);
    int64_t series = rx_query_int(r, "series", 0, 1, INT64_MAX);
    int64_t from = 0, to = 0;
    int has_from = rx_act_query_time(r, "from", 0, &from) == 1;
    int has_to = rx_act_query_time(r, "to", 1, &to) == 1;
    int has_places = rx_query_bool(r, "has_places") == 1;
    const char *kind = rx_query(r, "kind"), *status = rx_query(r, "status");
    if (kind && !is_one_of(kind, kinds)) rx_field_error(r, "kind", "invalid");
    if (status && !is_one_of(status, statuses)) rx_field_error(r, "status", "invalid");
    if (rx_fail_if_field_errors(r)) return;

    const char *path = NULL;
    int drafts = 0;
    /* The unit's kind picks the statement whose index serves it (queries_activity.def, 0010):
     * the activities under a street, district or community are those carrying its id; any
     * other unit (the city, a venue) is matched by path. Each has a twin for one status. */
    static const enum rx_query search[][2] = {
        {Q_ACT_SEARCH, Q_ACT_SEARCH_STATUS},
        {Q_ACT_SEARCH_STREET, Q_ACT_SEARCH_STREET_STATUS},
        {Q_ACT_SEARCH_DISTRICT, Q_ACT_SEARCH_DISTRICT_STATUS},
        {Q_ACT_SEARCH_COMMUNITY, Q_ACT_SEARCH_COMMUNITY_STATUS},
    };
    static const char *const scope_kinds[] = {"", "street", "district", "community"};
    int scope = 0;
    if (org) {
        struct rx_cursor c;
        if (rx_first_row(r, rx_db_query(r->db, Q_ACT_ORG_SCOPE, RX_ARGS(RX_I(org)), &c), &c)) {
            path = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 0));
            const char *k = rx_cursor_text(&c, 1);
            for (int i = 1; k && i < 4; i++)
                if (strcmp(k, scope_kinds[i]) == 0) scope = i;
        }
        rx_cursor_close(&c);
        if (!path) {
            rx_problem(r, 404, "not_found", NULL);
            return;
        }
        drafts = rx_can(r, RX_PERM_LEAD_ACTIVITIES, path);
    }
    struct rx_val unit = scope ? RX_I(org) : RX_T(path);
    /* has_places means published (the filter says so), so it can use the status index */
    if (has_places && !status) status = "published";
    enum rx_query q = search[scope][status != NULL];
    int64_t cursor_start = INT64_MIN;
    if (cursor && rx_db_int(r->db, Q_ACT_STARTS, RX_ARGS(RX_I(cursor)), &cursor_start) != RX_OK)
        cursor_start = 0;

    struct rx_json *w = rx_list_begin(r);
    struct rx_page pg = {0, 0};
    int rc = rx_act_json_rows(r->db, q,
                              RX_ARGS(unit, cat ? RX_I(cat) : RX_NUL,
                                      has_from ? RX_I(from) : RX_NUL, RX_I(has_to ? to : INT64_MAX),
                                      RX_I(has_places), RX_T(status), team ? RX_I(team) : RX_NUL,
                                      RX_T(kind), series ? RX_I(series) : RX_NUL, RX_I(cursor),
                                      RX_I(cursor_start), RX_I(limit), RX_I(drafts)),
                              w, rx_activity_cols, rx_activity_ncols, &pg);
    rx_list_reply(r, w, &pg, limit, rc);
}

void rx_api_series_get(struct rx_req *r)
{
    int64_t id = rx_param_id(r, 0);
    if (!id) return;
    int64_t first = 0;
    if (rx_db_int(r->db, Q_SERIES_FIRST, RX_ARGS(RX_I(id)), &first) != RX_OK || !first) {
        rx_problem(r, 404, "not_found", NULL);
        return;
    }
    struct rx_activity a;
    int rc = rx_act_load(r, first, &a);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    int drafts = rx_act_can_lead(r, &a);
    struct rx_json *w = rx_json_begin(r);
    rx_json_obj(w);
    rx_json_key(w, "series");
    rc = rx_act_json_row(r->db, Q_SERIES_GET, RX_ARGS(RX_I(id)), w, series_cols, SERIES_NCOLS);
    rx_json_key(w, "items");
    rx_json_arr(w);
    struct rx_page pg = {0, 0};
    if (!rc)
        rc = rx_act_json_rows(r->db, Q_ACT_SEARCH,
                              RX_ARGS(RX_NUL, RX_NUL, RX_NUL, RX_I(INT64_MAX), RX_I(0), RX_NUL,
                                      RX_NUL, RX_NUL, RX_I(id), RX_I(0), RX_I(INT64_MIN),
                                      RX_I(MAX_OCCURRENCES), RX_I(drafts)),
                              w, rx_activity_cols, rx_activity_ncols, &pg);
    rx_json_end(w);
    rx_json_end(w);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    if (pg.count == 0) { /* every occurrence is a draft the caller may not see */
        rx_problem(r, 404, "not_found", NULL);
        return;
    }
    rx_reply(r, 200);
}

/* ------------------------------------------------------------------ update */

/* The occurrences a change applies to: this one, or this and the later ones of its series
 * that are still open (draft or published). */
static int targets(struct rx_req *r, const struct rx_activity *a, int following, int64_t **ids,
                   int *n)
{
    *n = 0;
    *ids = rx_arena_alloc(&r->arena, sizeof(int64_t) * MAX_OCCURRENCES);
    if (!*ids) return RX_NOMEM;
    if (!following || !a->series_id) {
        (*ids)[(*n)++] = a->id;
        return RX_OK;
    }
    struct rx_cursor c;
    int rc = rx_db_query(r->db, Q_ACT_SERIES_FOLLOWING,
                         RX_ARGS(RX_I(a->series_id), RX_I(a->starts_at)), &c);
    if (rc) return rc;
    int k;
    while ((k = rx_cursor_next(&c)) == 1 && *n < MAX_OCCURRENCES)
        (*ids)[(*n)++] = rx_cursor_int(&c, 0);
    rx_cursor_close(&c);
    return k < 0 ? -k : RX_OK;
}

static int read_scope(struct rx_req *r, int *following)
{
    const char *scope = rx_query(r, "scope");
    *following = scope && strcmp(scope, "following") == 0;
    if (scope && !*following && strcmp(scope, "this") != 0) {
        rx_field_error(r, "scope", "invalid");
        return 0;
    }
    return 1;
}

static void update_write(struct rx_req *r)
{
    struct act_in *in = r->step_ctx;
    struct rx_activity a;
    if (!rx_act_load_led(r, in->id, &a)) return;
    if (strcmp(a.status, "draft") != 0 && strcmp(a.status, "published") != 0) {
        rx_problem(r, 409, "activity_not_editable", NULL);
        return;
    }
    if ((in->set & F_CATEGORY) && !rx_act_category_usable(r, in->category_id, a.path))
        rx_field_error(r, "category_id", "not_found_ref");
    /* times: absolute for this occurrence, the same shift for the following ones */
    int64_t ds = (in->set & F_STARTS) ? in->starts_at - a.starts_at : 0;
    int64_t de = (in->set & F_ENDS) ? in->ends_at - a.ends_at : 0;
    int64_t ns = a.starts_at + ds, ne = a.ends_at + de;
    if (ne <= ns)
        rx_field_error(r, "ends_at", "ends_before_start");
    else if (ne - ns > MAX_DURATION)
        rx_field_error(r, "ends_at", "too_long_duration");
    if (in->set & F_STATUS && strcmp(in->status, "draft") == 0 &&
        strcmp(a.status, "published") == 0) {
        int64_t any = 0;
        if (rx_int_checked(r, rx_db_int(r->db, Q_SIGNUP_COUNT_ACTIVE, RX_ARGS(RX_I(a.id)), &any)))
            return;
        if (any) rx_field_error(r, "status", "has_signups");
    }
    if (rx_fail_if_field_errors(r)) return;

    int64_t *ids;
    int n, rc = targets(r, &a, in->following, &ids, &n);
    for (int i = 0; !rc && i < n; i++) {
        struct rx_activity t;
        rc = ids[i] == a.id ? (t = a, RX_OK) : rx_act_load(r, ids[i], &t);
        if (rc) break;
        int64_t s = t.starts_at + ds, e = t.ends_at + de, shift = s - ns;
        char day[RX_TIMEFMT_DATE_SIZE];
        service_date_of(s, day);
        rc = rx_db_exec(
            r->db, Q_ACT_UPDATE,
            RX_ARGS(RX_I(t.id), RX_I(!!(in->set & F_TITLE)), RX_T(in->title),
                    RX_I(!!(in->set & F_DESCRIPTION)), RX_T(in->description),
                    RX_I(!!(in->set & F_VENUE)), RX_T(in->venue), RX_I(s), RX_I(e), RX_T(day),
                    RX_I(!!(in->set & F_CAPACITY)), RX_I(in->capacity), RX_I(!!(in->set & F_OPENS)),
                    in->has_opens ? RX_I(in->opens + shift) : RX_NUL, RX_I(!!(in->set & F_CLOSES)),
                    in->has_closes ? RX_I(in->closes + shift) : RX_NUL,
                    RX_I(!!(in->set & F_SKILLS)), RX_T(in->skills), RX_I(!!(in->set & F_MIN_AGE)),
                    in->has_min_age ? RX_I(in->min_age) : RX_NUL, RX_I(!!(in->set & F_CATEGORY)),
                    RX_I(in->category_id), RX_I(!!(in->set & F_KIND)), RX_T(in->kind),
                    RX_I(!!(in->set & F_STATUS)), RX_T(in->status), RX_I(r->now)),
            NULL, NULL);
        if (!rc && (in->set & F_CAPACITY)) {
            struct rx_activity fresh;
            rc = rx_act_load(r, t.id, &fresh);
            if (!rc) rc = rx_act_promote(r, &fresh, NULL);
        }
    }
    if (!rc)
        rc = rx_audit(r, "update", "activity", a.id,
                      rx_arena_printf(&r->arena, "{\"occurrences\":%d,\"scope\":\"%s\"}", n,
                                      in->following ? "following" : "this"));
    if (rc == RX_CONSTRAINT) {
        const char *m = rx_db_errmsg(r->db);
        if (strstr(m, "capacity_below_taken")) {
            rx_field_error(r, "capacity", "capacity_below_taken");
            rx_problem(r, 409, "capacity_below_taken", NULL);
        } else if (strstr(m, "signup_overlap")) {
            rx_field_error(r, "starts_at", "signup_overlap");
            rx_problem(r, 409, "signup_overlap", NULL);
        } else if (strstr(m, "CHECK")) {
            rx_field_error_detail(r, "signup_closes_at", "invalid", m);
            rx_problem(r, 400, "validation_failed", NULL);
        } else {
            rx_store_problem(r, rc);
        }
        return;
    }
    reply_activity(r, rc, a.id, NULL);
}

void rx_api_activity_update(struct rx_req *r)
{
    int64_t id = rx_param_id(r, 0);
    if (!id || !rx_in_object(r)) return;
    struct act_in *in = rx_req_alloc(r, sizeof *in);
    if (!in) return;
    memset(in, 0, sizeof *in);
    in->id = id;
    read_scope(r, &in->following);
    read_activity(r, in, 0);
    if (rx_fail_if_field_errors(r)) return;
    r->step_ctx = in;
    rx_then(r, RX_EXEC_WRITE, update_write);
}

/* ------------------------------------------------------------------ cancel */

struct cancel_in {
    int64_t id;
    int following;
    const char *reason;
};

static void cancel_write(struct rx_req *r)
{
    struct cancel_in *in = r->step_ctx;
    struct rx_activity a;
    if (!rx_act_load_led(r, in->id, &a)) return;
    if (strcmp(a.status, "draft") != 0 && strcmp(a.status, "published") != 0) {
        rx_problem(r, 409, "activity_not_cancellable", NULL);
        return;
    }
    int64_t *ids;
    int n, rc = targets(r, &a, in->following, &ids, &n), told = 0;
    for (int i = 0; !rc && i < n; i++) {
        struct rx_activity t;
        rc = rx_act_load(r, ids[i], &t);
        if (!rc)
            rc = rx_db_exec(r->db, Q_ACT_CANCEL,
                            RX_ARGS(RX_I(t.id), RX_T(in->reason), RX_I(r->now)), NULL, NULL);
        /* everyone holding a place or waiting for one hears of it */
        struct rx_buf b;
        struct rx_json pw;
        char st[RX_TIMEFMT_RFC3339_SIZE];
        rx_buf_init(&b, 8192);
        rx_json_init(&pw, &b);
        rx_json_obj(&pw);
        rx_json_kint(&pw, "activity_id", t.id);
        rx_json_kstr(&pw, "title", t.title);
        rx_act_time(t.starts_at, st);
        rx_json_kstr(&pw, "starts_at", st);
        rx_json_kstr(&pw, "reason", in->reason);
        rx_json_end(&pw);
        const char *payload = b.err ? "{}" : rx_arena_strdup(&r->arena, b.data);
        rx_buf_free(&b);
        struct rx_cursor c;
        int64_t people[1024];
        int np = 0, k = 0;
        if (!rc) rc = rx_db_query(r->db, Q_SIGNUP_PEOPLE_ACTIVE, RX_ARGS(RX_I(t.id)), &c);
        if (!rc) {
            while ((k = rx_cursor_next(&c)) == 1 && np < 1024)
                people[np++] = rx_cursor_int(&c, 0);
            rx_cursor_close(&c);
            if (k < 0) rc = -k;
        }
        for (int j = 0; !rc && j < np; j++, told++)
            rc = rx_act_notify(r, people[j], "activity_cancelled", payload);
        if (!rc)
            rc = rx_audit(r, "cancel", "activity", t.id,
                          rx_arena_printf(&r->arena, "{\"notified\":%d}", np));
    }
    (void)told;
    reply_activity(r, rc, a.id, NULL);
}

void rx_api_activity_cancel(struct rx_req *r)
{
    int64_t id = rx_param_id(r, 0);
    if (!id || !rx_in_object(r)) return;
    static const char *const known[] = {"reason", NULL};
    struct cancel_in *in = rx_req_alloc(r, sizeof *in);
    if (!in) return;
    in->id = id;
    read_scope(r, &in->following);
    in->reason = rx_in_str(r, "reason", 1, 500);
    rx_in_only(r, known);
    if (rx_fail_if_field_errors(r)) return;
    r->step_ctx = in;
    rx_then(r, RX_EXEC_WRITE, cancel_write);
}

/* ------------------------------------------------------------------ finish */

struct finish_in {
    int64_t id;
    int64_t audience;
    int has_audience;
};

static void finish_write(struct rx_req *r)
{
    struct finish_in *in = r->step_ctx;
    struct rx_activity a;
    if (!rx_act_load_led(r, in->id, &a)) return;
    if (strcmp(a.status, "published") != 0) {
        rx_problem(r, 409, "activity_not_open", NULL);
        return;
    }
    if (r->now < a.starts_at) {
        rx_problem(r, 409, "activity_not_started", NULL);
        return;
    }
    if (in->has_audience && strcmp(a.kind, "performance") != 0) {
        rx_field_error(r, "audience", "only_for_performance");
        rx_fail_if_field_errors(r);
        return;
    }
    /* whoever is still checked in: a record for review, credited up to the scheduled end */
    struct rx_cursor c;
    int64_t people[2048], checkins[2048];
    int np = 0, k = 0;
    int rc = rx_db_query(r->db, Q_ATT_OPEN, RX_ARGS(RX_I(a.id)), &c);
    if (!rc) {
        while ((k = rx_cursor_next(&c)) == 1 && np < 2048) {
            people[np] = rx_cursor_int(&c, 0);
            checkins[np++] = rx_cursor_int(&c, 1);
        }
        rx_cursor_close(&c);
        if (k < 0) rc = -k;
    }
    int flagged = 0;
    for (int i = 0; !rc && i < np; i++) {
        int64_t rid = 0;
        int locked = 0;
        rc = rx_act_attendance_record(r, &a, people[i], checkins[i], 0, &rid, &locked);
        if (rid) flagged++;
    }
    int64_t no_shows = 0;
    if (!rc)
        rc = rx_db_exec(r->db, Q_SIGNUP_NO_SHOWS, RX_ARGS(RX_I(a.id), RX_I(r->now)), &no_shows,
                        NULL);
    if (!rc && strcmp(a.kind, "training") == 0)
        rc = rx_db_exec(r->db, Q_FILE_TRAINING_FROM_ACTIVITY,
                        RX_ARGS(RX_I(a.id), RX_T(a.team_name), RX_T(a.title), RX_I(r->auth.user_id),
                                RX_I(r->now)),
                        NULL, NULL);
    if (!rc)
        rc = rx_db_exec(
            r->db, Q_ACT_FINISH,
            RX_ARGS(RX_I(a.id), in->has_audience ? RX_I(in->audience) : RX_NUL, RX_I(r->now)), NULL,
            NULL);
    if (!rc)
        rc = rx_audit(r, "finish", "activity", a.id,
                      rx_arena_printf(&r->arena, "{\"still_in\":%d,\"no_shows\":%lld}", flagged,
                                      (long long)no_shows));
    reply_activity(r, rc, a.id, NULL);
}

void rx_api_activity_finish(struct rx_req *r)
{
    int64_t id = rx_param_id(r, 0);
    if (!id) return;
    static const char *const known[] = {"audience", NULL};
    struct finish_in *in = rx_req_alloc(r, sizeof *in);
    if (!in) return;
    memset(in, 0, sizeof *in);
    in->id = id;
    if (r->json) {
        if (!rx_in_object(r)) return;
        in->audience = rx_in_int(r, "audience", 0, 0, 10000000, 0, &in->has_audience);
        rx_in_only(r, known);
        if (rx_fail_if_field_errors(r)) return;
    }
    r->step_ctx = in;
    rx_then(r, RX_EXEC_WRITE, finish_write);
}
