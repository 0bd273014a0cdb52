/* activity_common.c: helpers shared by activities, sign-ups, check-in and records (see
 * activity.h): JSON rows with RFC 3339 times, time input, loading an activity and deciding
 * who leads it, notifications, waitlist promotion and the record an attendance earns. */
#include "api/activity.h"
#include "api/api.h"
#include "api/authz.h"
#include "api/common.h"
#include "domain/hours.h"
#include "http/server.h"
#include "lib/timefmt.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ JSON rows */

const struct rx_col rx_activity_cols[] = {
    {"id", RX_COL_INT},
    {"org_unit_id", RX_COL_INT},
    {"org_unit_name", RX_COL_TEXT},
    {"team_id", RX_COL_INT},
    {"team_name", RX_COL_TEXT},
    {"category_id", RX_COL_INT},
    {"category_name", RX_COL_TEXT},
    {"series_id", RX_COL_INT},
    {"title", RX_COL_TEXT},
    {"description", RX_COL_TEXT},
    {"venue", RX_COL_TEXT},
    {"starts_at", RX_COL_TIME},
    {"ends_at", RX_COL_TIME},
    {"service_date", RX_COL_TEXT},
    {"capacity", RX_COL_INT},
    {"places_taken", RX_COL_INT},
    {"places_left", RX_COL_INT},
    {"waitlisted", RX_COL_INT},
    {"signup_opens_at", RX_COL_TIME},
    {"signup_closes_at", RX_COL_TIME},
    {"skills_required", RX_COL_JSON},
    {"min_age", RX_COL_INT},
    {"kind", RX_COL_TEXT},
    {"status", RX_COL_TEXT},
    {"cancel_reason", RX_COL_TEXT},
    {"audience", RX_COL_INT},
    {"finished_at", RX_COL_TIME},
    {"created_at", RX_COL_TIME},
    {"updated_at", RX_COL_TIME},
};
const int rx_activity_ncols = (int)(sizeof rx_activity_cols / sizeof rx_activity_cols[0]);

const struct rx_col rx_signup_cols[] = {
    {"id", RX_COL_INT},
    {"activity_id", RX_COL_INT},
    {"activity_title", RX_COL_TEXT},
    {"activity_starts_at", RX_COL_TIME},
    {"person_id", RX_COL_INT},
    {"person_name", RX_COL_TEXT},
    {"volunteer_no", RX_COL_TEXT},
    {"status", RX_COL_TEXT},
    {"position", RX_COL_INT},
    {"walk_in", RX_COL_BOOL},
    {"created_at", RX_COL_TIME},
    {"promoted_at", RX_COL_TIME},
    {"cancelled_at", RX_COL_TIME},
};
const int rx_signup_ncols = (int)(sizeof rx_signup_cols / sizeof rx_signup_cols[0]);

const struct rx_col rx_record_cols[] = {
    {"id", RX_COL_INT},
    {"person_id", RX_COL_INT},
    {"person_name", RX_COL_TEXT},
    {"volunteer_no", RX_COL_TEXT},
    {"activity_id", RX_COL_INT},
    {"activity_title", RX_COL_TEXT},
    {"help_request_id", RX_COL_INT},
    {"team_id", RX_COL_INT},
    {"team_name", RX_COL_TEXT},
    {"category_id", RX_COL_INT},
    {"category_name", RX_COL_TEXT},
    {"org_unit_id", RX_COL_INT},
    {"org_unit_name", RX_COL_TEXT},
    {"service_date", RX_COL_TEXT},
    {"minutes", RX_COL_INT},
    {"people_served", RX_COL_INT},
    {"description", RX_COL_TEXT},
    {"source", RX_COL_TEXT},
    {"status", RX_COL_TEXT},
    {"needs_review", RX_COL_BOOL},
    {"review_reason", RX_COL_TEXT},
    {"party_member", RX_COL_BOOL},
    {"version", RX_COL_INT},
    {"reason", RX_COL_TEXT},
    {"decided_by", RX_COL_INT},
    {"decided_at", RX_COL_TIME},
    {"created_at", RX_COL_TIME},
    {"updated_at", RX_COL_TIME},
};
const int rx_record_ncols = (int)(sizeof rx_record_cols / sizeof rx_record_cols[0]);

void rx_act_time(int64_t t, char *out)
{
    if (rx_timefmt_format(t, RX_TIMEFMT_BEIJING, out, RX_TIMEFMT_RFC3339_SIZE) != RX_TIMEFMT_OK)
        snprintf(out, RX_TIMEFMT_RFC3339_SIZE, "%s", "");
}

/* The keys of a column list quoted once for all the rows of a list (rx_json_quote_key). */
#define KEYS_MAX 64
struct keys {
    struct rx_buf b;
    size_t at[KEYS_MAX + 1];
};

static int keys_make(struct keys *k, const struct rx_col *cols, int n)
{
    rx_buf_init(&k->b, 64 * 1024);
    if (n > KEYS_MAX) return -1;
    for (int i = 0; i < n; i++) {
        k->at[i] = k->b.len;
        rx_json_quote_key(&k->b, cols[i].name);
    }
    k->at[n] = k->b.len;
    return k->b.err ? -1 : 0;
}

static void write_fields(struct rx_json *w, struct rx_cursor *c, const struct rx_col *cols, int n,
                         const struct keys *keys)
{
    for (int i = 0; i < n; i++) {
        if (keys)
            rx_json_key_quoted(w, keys->b.data + keys->at[i], keys->at[i + 1] - keys->at[i]);
        else
            rx_json_key(w, cols[i].name);
        if (rx_cursor_isnull(c, i)) {
            if (cols[i].type == RX_COL_BOOL)
                rx_json_bool(w, false);
            else
                rx_json_null(w);
            continue;
        }
        switch (cols[i].type) {
        case RX_COL_INT:
            rx_json_int(w, rx_cursor_int(c, i));
            break;
        case RX_COL_TEXT:
            rx_json_str(w, rx_cursor_text(c, i));
            break;
        case RX_COL_BOOL:
            rx_json_bool(w, rx_cursor_int(c, i) != 0);
            break;
        case RX_COL_TIME: {
            char buf[RX_TIMEFMT_RFC3339_SIZE];
            rx_act_time(rx_cursor_int(c, i), buf);
            rx_json_str(w, buf);
            break;
        }
        case RX_COL_JSON: {
            const char *s = rx_cursor_text(c, i);
            /* stored JSON was written by us; check anyway so the answer stays valid */
            json_error_t e;
            json_t *j = s ? json_loads(s, JSON_DECODE_ANY, &e) : NULL;
            if (j)
                rx_json_raw(w, s, strlen(s));
            else
                rx_json_null(w);
            json_decref(j);
            break;
        }
        }
    }
}

void rx_act_write_fields(struct rx_json *w, struct rx_cursor *c, const struct rx_col *cols, int n)
{
    write_fields(w, c, cols, n, NULL);
}

void rx_act_write_row(struct rx_json *w, struct rx_cursor *c, const struct rx_col *cols, int n)
{
    rx_json_obj(w);
    write_fields(w, c, cols, n, NULL);
    rx_json_end(w);
}

int rx_act_json_rows(struct rx_db *db, enum rx_query q, const struct rx_val *a, int na,
                     struct rx_json *w, const struct rx_col *cols, int n, struct rx_page *pg)
{
    struct rx_cursor c;
    int rc = rx_db_query(db, q, a, na, &c);
    if (rc) return rc;
    int count = 0, k;
    int64_t last = 0;
    struct keys keys;
    int have_keys = 0;
    while ((k = rx_cursor_next(&c)) == 1) {
        if (count == 1) have_keys = keys_make(&keys, cols, n) == 0; /* from the second row */
        rx_json_obj(w);
        write_fields(w, &c, cols, n, have_keys ? &keys : NULL);
        rx_json_end(w);
        last = rx_cursor_int(&c, 0);
        count++;
    }
    rx_cursor_close(&c);
    if (count > 1) rx_buf_free(&keys.b);
    if (pg) {
        pg->count = count;
        pg->last_id = last;
    }
    return k < 0 ? -k : RX_OK;
}

void rx_act_list_reply(struct rx_req *r, enum rx_query q, const struct rx_val *a, int na,
                       const struct rx_col *cols, int n)
{
    struct rx_json *w = rx_list_begin(r);
    int rc = rx_act_json_rows(r->db, q, a, na, w, cols, n, NULL);
    rx_list_reply(r, w, NULL, 0, rc);
}

int rx_act_json_row(struct rx_db *db, enum rx_query q, const struct rx_val *a, int na,
                    struct rx_json *w, const struct rx_col *cols, int n)
{
    struct rx_cursor c;
    int rc = rx_db_query(db, q, a, na, &c);
    if (rc) return rc;
    int k = rx_cursor_next(&c);
    if (k == 1) rx_act_write_row(w, &c, cols, n);
    rx_cursor_close(&c);
    return k == 1 ? RX_OK : k == 0 ? RX_NOTFOUND : -k;
}

/* ------------------------------------------------------------------ input */

int rx_act_in_time(struct rx_req *r, json_t *obj, const char *field, const char *label,
                   int required, int64_t *t)
{
    json_t *v = obj ? json_object_get(obj, field) : NULL;
    if (!v || json_is_null(v)) {
        if (required) {
            rx_field_error(r, label, "required");
            return -1;
        }
        return 0;
    }
    if (!json_is_string(v)) {
        rx_field_error(r, label, "wrong_type");
        return -1;
    }
    size_t n = json_string_length(v);
    if (n > RX_TIMEFMT_MAX_INPUT ||
        rx_timefmt_parse(json_string_value(v), n, t, NULL) != RX_TIMEFMT_OK) {
        rx_field_error(r, label, "invalid_time");
        return -1;
    }
    return 1;
}

int rx_act_in_date(struct rx_req *r, json_t *obj, const char *field, const char *label,
                   int required, char *out)
{
    json_t *v = obj ? json_object_get(obj, field) : NULL;
    if (!v || json_is_null(v)) {
        if (required) {
            rx_field_error(r, label, "required");
            return -1;
        }
        return 0;
    }
    struct rx_date d;
    if (!json_is_string(v)) {
        rx_field_error(r, label, "wrong_type");
        return -1;
    }
    if (rx_timefmt_date_parse(json_string_value(v), json_string_length(v), &d) != RX_TIMEFMT_OK) {
        rx_field_error(r, label, "invalid_date");
        return -1;
    }
    rx_timefmt_date_format(&d, out, RX_TIMEFMT_DATE_SIZE);
    return 1;
}

int rx_act_query_time(struct rx_req *r, const char *name, int end_of_day, int64_t *t)
{
    const char *s = rx_query(r, name);
    if (!s) return 0;
    size_t n = strlen(s);
    struct rx_date d;
    if (n == 10 && rx_timefmt_date_parse(s, n, &d) == RX_TIMEFMT_OK) {
        int64_t day = rx_timefmt_date_to_days(&d) + (end_of_day ? 1 : 0);
        *t = day * 86400 - RX_TIMEFMT_BEIJING * 60;
        return 1;
    }
    if (n <= RX_TIMEFMT_MAX_INPUT && rx_timefmt_parse(s, n, t, NULL) == RX_TIMEFMT_OK) return 1;
    rx_field_error(r, name, "invalid_time");
    return -1;
}

/* ------------------------------------------------------------------ activities */

static const char *dup_text(struct rx_req *r, struct rx_cursor *c, int i)
{
    const char *s = rx_cursor_text(c, i);
    return rx_arena_strdup(&r->arena, s ? s : "");
}

int rx_act_load(struct rx_req *r, int64_t id, struct rx_activity *a)
{
    struct rx_cursor c;
    memset(a, 0, sizeof *a);
    int rc = rx_db_query(r->db, Q_ACT_LOAD, RX_ARGS(RX_I(id)), &c);
    if (rc) return rc;
    int k = rx_cursor_next(&c);
    if (k == 1) {
        a->id = rx_cursor_int(&c, 0);
        a->org_unit_id = rx_cursor_int(&c, 1);
        a->team_id = rx_cursor_int(&c, 2);
        a->category_id = rx_cursor_int(&c, 3);
        a->series_id = rx_cursor_int(&c, 4);
        a->path = dup_text(r, &c, 5);
        a->title = dup_text(r, &c, 6);
        a->status = dup_text(r, &c, 7);
        a->kind = dup_text(r, &c, 8);
        a->service_date = dup_text(r, &c, 9);
        a->skills_required = dup_text(r, &c, 10);
        a->team_name = dup_text(r, &c, 11);
        a->starts_at = rx_cursor_int(&c, 12);
        a->ends_at = rx_cursor_int(&c, 13);
        a->capacity = rx_cursor_int(&c, 14);
        a->places_taken = rx_cursor_int(&c, 15);
        a->signup_opens_at = rx_cursor_int(&c, 16);
        a->signup_closes_at = rx_cursor_int(&c, 17);
        a->min_age = rx_cursor_int(&c, 18);
        a->district_id = rx_cursor_int(&c, 19);
    }
    rx_cursor_close(&c);
    if (k < 0) return -k;
    if (k == 0) return RX_NOTFOUND;
    if (!a->path || !a->title || !a->status || !a->kind || !a->service_date ||
        !a->skills_required || !a->team_name)
        return RX_NOMEM;
    return RX_OK;
}

int rx_act_category_usable(struct rx_req *r, int64_t id, const char *path)
{
    int64_t n = 0;
    int rc = rx_db_int(r->db, Q_CATEGORY_USABLE, RX_ARGS(RX_I(id), RX_T(path)), &n);
    if (rc) rx_store_problem(r, rc); /* answered 5xx; the caller's 4xx will not replace it */
    return !rc && n > 0;
}

int rx_act_leads_team(struct rx_req *r, int64_t team_id)
{
    if (!r->auth.person_id || !team_id) return 0;
    int64_t n = 0;
    int rc = rx_db_int(r->db, Q_TEAM_LEADS, RX_ARGS(RX_I(team_id), RX_I(r->auth.person_id)), &n);
    if (rc) rx_store_problem(r, rc); /* answered 5xx; no later answer replaces it */
    return !rc && n > 0;
}

int rx_act_can_lead(struct rx_req *r, const struct rx_activity *a)
{
    return rx_can(r, RX_PERM_LEAD_ACTIVITIES, a->path) || rx_act_leads_team(r, a->team_id);
}

int rx_act_load_visible(struct rx_req *r, int64_t id, struct rx_activity *a)
{
    if (!id) return 0;
    int rc = rx_act_load(r, id, a);
    return rx_load_seen(r, rc,
                        rc == RX_OK && (strcmp(a->status, "draft") != 0 || rx_act_can_lead(r, a)));
}

int rx_act_load_led(struct rx_req *r, int64_t id, struct rx_activity *a)
{
    if (!rx_act_load_visible(r, id, a)) return 0;
    if (rx_act_can_lead(r, a)) return 1;
    rx_problem(r, 403, "forbidden", NULL);
    return 0;
}

/* ------------------------------------------------------------------ notifications */

int rx_act_notify(struct rx_req *r, int64_t person_id, const char *kind, const char *payload)
{
    return rx_db_exec(
        r->db, Q_NOTIFY_PERSON,
        RX_ARGS(RX_I(person_id), RX_T(kind), RX_T(payload ? payload : "{}"), RX_I(r->now)), NULL,
        NULL);
}

/* {"activity_id":..,"title":..,"starts_at":..} plus extra members (JSON text without braces). */
static char *activity_payload(struct rx_req *r, const struct rx_activity *a, int64_t signup_id)
{
    struct rx_buf b;
    struct rx_json w;
    char t[RX_TIMEFMT_RFC3339_SIZE];
    rx_buf_init(&b, 4096);
    rx_json_init(&w, &b);
    rx_json_obj(&w);
    rx_json_kint(&w, "activity_id", a->id);
    rx_json_kstr(&w, "title", a->title);
    rx_act_time(a->starts_at, t);
    rx_json_kstr(&w, "starts_at", t);
    if (signup_id) rx_json_kint(&w, "signup_id", signup_id);
    rx_json_end(&w);
    char *s = b.err ? NULL : rx_arena_strdup(&r->arena, b.data);
    rx_buf_free(&b);
    return s;
}

/* ------------------------------------------------------------------ check-in secret */

void rx_act_checkin_secret(struct rx_req *r, int64_t activity_id, unsigned char out[32])
{
    char msg[64];
    int n = snprintf(msg, sizeof msg, "rexin-activity-secret:%lld", (long long)activity_id);
    crypto_auth_hmacsha256(out, (const unsigned char *)msg, (unsigned long long)n,
                           r->app->keys.hmac);
}

/* ------------------------------------------------------------------ waitlist */

int rx_act_promote(struct rx_req *r, const struct rx_activity *a, int64_t *promoted)
{
    if (promoted) *promoted = 0;
    /* a comes from rx_act_load, which answers RX_OK only with every text set */
    if (strcmp(a->status, "published") != 0 || r->now >= a->starts_at) // NOLINT(clang-analyzer-core.NonNullParamChecker)
        return RX_OK;
    int64_t after = 0;
    for (int guard = 0; guard < 10000; guard++) {
        int64_t taken = 0, cap = 0;
        int rc = rx_db_int(r->db, Q_ACT_PLACES, RX_ARGS(RX_I(a->id)), &taken);
        if (!rc) rc = rx_db_int(r->db, Q_ACT_CAPACITY, RX_ARGS(RX_I(a->id)), &cap);
        if (rc) return rc;
        if (taken >= cap) return RX_OK;
        int64_t sid = 0, pid = 0;
        struct rx_cursor c;
        rc = rx_db_query(r->db, Q_SIGNUP_WAIT_HEAD, RX_ARGS(RX_I(a->id), RX_I(after)), &c);
        if (rc) return rc;
        int k = rx_cursor_next(&c);
        if (k == 1) {
            sid = rx_cursor_int(&c, 0);
            pid = rx_cursor_int(&c, 1);
        }
        rx_cursor_close(&c);
        if (k < 0) return -k;
        if (k == 0) return RX_OK;
        after = sid;
        rc = rx_db_exec(r->db, Q_SIGNUP_PROMOTE, RX_ARGS(RX_I(sid), RX_I(r->now)), NULL, NULL);
        if (rc == RX_CONSTRAINT && strstr(rx_db_errmsg(r->db), "signup_overlap"))
            continue; /* busy elsewhere */
        if (rc) return rc;
        if (promoted && !*promoted) *promoted = sid;
        rc = rx_act_notify(r, pid, "waitlist_promoted", activity_payload(r, a, sid));
        if (!rc)
            rc = rx_audit(r, "promote", "signup", sid,
                          rx_arena_printf(&r->arena, "{\"activity_id\":%lld}", (long long)a->id));
        if (rc) return rc;
    }
    return RX_OK;
}

int rx_act_merge_places(struct rx_req *r, int64_t survivor, int64_t loser, int64_t **ids, int *n)
{
    *ids = NULL;
    *n = 0;
    int cap = 0;
    struct rx_cursor c;
    int rc = rx_db_query(r->db, Q_SIGNUP_MERGE_FREED, RX_ARGS(RX_I(survivor), RX_I(loser)), &c);
    if (rc) return rc;
    int k;
    while ((k = rx_cursor_next(&c)) == 1) {
        if (*n == cap) {
            int ncap = cap ? cap * 2 : 16;
            int64_t *grown = rx_arena_alloc(&r->arena, (size_t)ncap * sizeof *grown);
            if (!grown) {
                k = -RX_NOMEM;
                break;
            }
            if (*n) memcpy(grown, *ids, (size_t)*n * sizeof *grown);
            *ids = grown;
            cap = ncap;
        }
        (*ids)[(*n)++] = rx_cursor_int(&c, 0);
    }
    rx_cursor_close(&c);
    return k < 0 ? -k : RX_OK;
}

int rx_act_promote_each(struct rx_req *r, const int64_t *ids, int n)
{
    int rc = RX_OK;
    for (int i = 0; !rc && i < n; i++) {
        struct rx_activity a;
        rc = rx_act_load(r, ids[i], &a);
        if (!rc) rc = rx_act_promote(r, &a, NULL);
    }
    return rc;
}

/* ------------------------------------------------------------------ records from attendance */

long rx_act_daily_cap(const struct rx_req *r)
{
    long cap = r->app->cfg->daily_cap_minutes;
    return cap >= 1 && cap <= 1440 ? cap : RX_HOURS_DEFAULT_DAILY_CAP;
}

int rx_act_attendance_record(struct rx_req *r, const struct rx_activity *a, int64_t person_id,
                             int64_t checkin, int64_t checkout, int64_t *record_id, int *locked)
{
    *record_id = 0;
    *locked = 0;
    /* the record already made for this attendance, if any */
    int64_t rid = 0, rec_minutes = 0;
    const char *rec_status = NULL;
    struct rx_cursor c;
    int rc = rx_db_query(r->db, Q_REC_OF_ATTENDANCE, RX_ARGS(RX_I(a->id), RX_I(person_id)), &c);
    if (rc) return rc;
    int k = rx_cursor_next(&c);
    if (k == 1) {
        rid = rx_cursor_int(&c, 0);
        rec_status = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 1));
        rec_minutes = rx_cursor_int(&c, 2);
    }
    rx_cursor_close(&c);
    if (k < 0) return -k;
    (void)rec_minutes;
    if (rid && rec_status && strcmp(rec_status, "pending") != 0) {
        *record_id = rid;
        *locked = 1;
        return RX_OK;
    }

    int64_t prior = 0;
    rc = rx_db_int(r->db, Q_REC_DAY_MINUTES,
                   RX_ARGS(RX_I(person_id), RX_T(a->service_date), RX_I(rid)), &prior);
    if (rc) return rc;
    struct rx_hours_rules rules;
    rx_hours_rules_default(&rules);
    long min = r->app->cfg->min_record_minutes;
    rules.daily_cap = (int)rx_act_daily_cap(r);
    if (min >= 0 && min <= rules.daily_cap) rules.minimum = (int)min;
    struct rx_hours_attendance att = {
        .start = a->starts_at,
        .end = a->ends_at,
        .checkin = checkin,
        .checkout = checkout,
        .prior_minutes = prior > 1440 ? 1440 : (int)prior,
    };
    struct rx_hours_result res;
    if (rx_hours_compute(&att, &rules, &res) != RX_HOURS_OK) return RX_ERROR;
    int review = (res.flags & RX_HOURS_NEEDS_REVIEW) != 0;
    const char *reason = review ? res.reason : NULL;

    if (rid) { /* pending: follow the attendance */
        rc = rx_db_exec(r->db, Q_REC_RECOMPUTE,
                        RX_ARGS(RX_I(rid), RX_I(res.minutes), RX_I(review), RX_T(reason),
                                RX_I(r->auth.user_id), RX_I(r->now)),
                        NULL, NULL);
        *record_id = rid;
        return rc;
    }
    /* shorter than the minimum earns no record (nothing for a person to look at either) */
    if (res.minutes == 0 && !review) return RX_OK;
    rc = rx_db_exec(r->db, Q_REC_INSERT,
                    RX_ARGS(RX_I(person_id), RX_I(a->id), RX_NUL, RX_I(a->team_id),
                            RX_I(a->category_id), RX_I(a->org_unit_id), RX_T(a->service_date),
                            RX_I(res.minutes), RX_I(0), RX_T(a->title), RX_T("attendance"),
                            RX_I(review), RX_T(reason),
                            r->auth.user_id ? RX_I(r->auth.user_id) : RX_NUL, RX_I(r->now)),
                    NULL, &rid);
    if (rc) return rc;
    *record_id = rid;
    return rx_audit(
        r, "create", "service_record", rid,
        rx_arena_printf(&r->arena, "{\"source\":\"attendance\",\"minutes\":%d}", res.minutes));
}
