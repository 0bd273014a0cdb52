/* checkin.c: attendance. The QR code on the leader's phone, the volunteer's scan, the leader's
 * check-in and check-out by hand, the kiosk list, walk-ups.
 *
 * GET /api/v1/activities/{id}/checkin-code answers an SVG (libqrencode) of
 *   <public base>/checkin/{id}?t=<token>
 * where the token changes every 30 seconds (domain/checkin.h) under a secret per activity
 * derived from the server's HMAC key; the base is the configured public-url, else the
 * request's Host. ?format=json gives the same URL and token as JSON for the leader's screen.
 *
 * POST /api/v1/activities/{id}/checkin {token}: the scanning volunteer is checked in, or out
 * if already in. Scans count from 30 minutes before the start until 2 hours after the end; a
 * token of the current or previous step is accepted, an older one of this activity answers
 * 410 checkin_token_expired, anything else 403 checkin_token_invalid. A second scan within a
 * minute of checking in is taken for a double scan, not a check-out. Checking out makes the
 * service record (activity_common.c, hours rule of domain/hours.h).
 *
 * Leaders (and the kiosk, which is the leader's device) mark people by hand with a reason;
 * a person without a sign-up is a walk-up and takes a place if one remains (the capacity
 * trigger holds the line). */
#include "api/activity.h"
#include "api/api.h"
#include "api/authz.h"
#include "api/common.h"
#include "api/input.h"
#include "domain/checkin.h"
#include "http/server.h"
#include <qrencode.h>
#include <string.h>

#define OPEN_BEFORE (30 * 60)
#define CLOSE_AFTER (2 * 3600)
#define DOUBLE_SCAN 60
#define EXPIRED_STEPS                                                                              \
    240 /* recognise tokens up to two hours old as expired rather than invalid                     \
         */

static const struct rx_col attendance_cols[] = {
    {"id", RX_COL_INT},
    {"activity_id", RX_COL_INT},
    {"person_id", RX_COL_INT},
    {"person_name", RX_COL_TEXT},
    {"checkin_at", RX_COL_TIME},
    {"checkout_at", RX_COL_TIME},
    {"checkin_via", RX_COL_TEXT},
    {"checkout_via", RX_COL_TEXT},
    {"checkin_reason", RX_COL_TEXT},
    {"checkout_reason", RX_COL_TEXT},
    {"walk_in", RX_COL_BOOL},
};
#define ATT_NCOLS ((int)(sizeof attendance_cols / sizeof attendance_cols[0]))

static const struct rx_col kiosk_cols[] = {
    {"signup_id", RX_COL_INT},     {"person_id", RX_COL_INT},      {"person_name", RX_COL_TEXT},
    {"volunteer_no", RX_COL_TEXT}, {"signup_status", RX_COL_TEXT}, {"walk_in", RX_COL_BOOL},
    {"checkin_at", RX_COL_TIME},   {"checkout_at", RX_COL_TIME},   {"state", RX_COL_TEXT},
};
#define KIOSK_NCOLS ((int)(sizeof kiosk_cols / sizeof kiosk_cols[0]))

/* ------------------------------------------------------------------ the code */

/* One <rect> per horizontal run of dark modules, with a four-module quiet zone. */
static int qr_svg(const char *text, struct rx_buf *out)
{
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q) return -1;
    int n = q->width, size = n + 8;
    rx_buf_printf(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\""
        " shape-rendering=\"crispEdges\">\n"
        "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n",
        size, size, size * 8, size * 8, size, size);
    for (int y = 0; y < n; y++) {
        for (int x = 0; x < n;) {
            if (!(q->data[y * n + x] & 1)) {
                x++;
                continue;
            }
            int run = 1;
            while (x + run < n && (q->data[y * n + x + run] & 1))
                run++;
            rx_buf_printf(out,
                          "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"1\" fill=\"#000\"/>\n",
                          x + 4, y + 4, run);
            x += run;
        }
    }
    rx_buf_puts(out, "</svg>\n");
    QRcode_free(q);
    return out->err ? -1 : 0;
}

void rx_api_checkin_code(struct rx_req *r)
{
    struct rx_activity a;
    if (!rx_act_load_led(r, rx_param_id(r, 0), &a)) return;
    if (strcmp(a.status, "published") != 0) {
        rx_problem(r, 409, "activity_not_open", a.status);
        return;
    }
    const char *format = rx_query(r, "format");
    if (format && strcmp(format, "json") != 0 && strcmp(format, "svg") != 0) {
        rx_field_error(r, "format", "invalid");
        rx_fail_if_field_errors(r);
        return;
    }
    unsigned char secret[32];
    char token[RX_CHECKIN_TOKEN_SIZE];
    rx_act_checkin_secret(r, a.id, secret);
    rx_checkin_token(secret, a.id, r->now, token, sizeof token);
    sodium_memzero(secret, sizeof secret);
    const char *url = rx_arena_printf(&r->arena, "%s/checkin/%lld?t=%s", rx_public_base(r),
                                      (long long)a.id, token);
    if (!url) {
        rx_problem(r, 503, "out_of_memory", NULL);
        return;
    }
    if (format && strcmp(format, "json") == 0) {
        struct rx_json *w = rx_json_begin(r);
        rx_json_obj(w);
        rx_json_kstr(w, "url", url);
        rx_json_kstr(w, "token", token);
        rx_json_kint(w, "step_seconds", RX_CHECKIN_STEP);
        rx_json_kint(w, "seconds_left", rx_checkin_seconds_left(r->now));
        rx_json_end(w);
        rx_reply(r, 200);
        return;
    }
    struct rx_buf svg;
    rx_buf_init(&svg, 256 * 1024);
    if (qr_svg(url, &svg)) {
        rx_buf_free(&svg);
        rx_problem(r, 500, "internal_error", "QR encoding failed");
        return;
    }
    rx_reply_text(r, 200, "image/svg+xml", svg.data, svg.len);
    rx_buf_free(&svg);
}

/* ------------------------------------------------------------------ shared */

struct att {
    int64_t id, checkin_at, checkout_at; /* checkout_at 0 = still in */
};

static int load_att(struct rx_req *r, int64_t aid, int64_t pid, struct att *t)
{
    struct rx_cursor c;
    memset(t, 0, sizeof *t);
    int rc = rx_db_query(r->db, Q_ATT_GET, RX_ARGS(RX_I(aid), RX_I(pid)), &c);
    if (rc) return rc;
    int k = rx_cursor_next(&c);
    if (k == 1) {
        t->id = rx_cursor_int(&c, 0);
        t->checkin_at = rx_cursor_int(&c, 1);
        t->checkout_at = rx_cursor_int(&c, 2);
    }
    rx_cursor_close(&c);
    return k == 1 ? RX_OK : k == 0 ? RX_NOTFOUND : -k;
}

static int active_signup(struct rx_req *r, int64_t aid, int64_t pid, int64_t *sid,
                         const char **status)
{
    struct rx_cursor c;
    *sid = 0;
    *status = NULL;
    int rc = rx_db_query(r->db, Q_SIGNUP_ACTIVE_OF, RX_ARGS(RX_I(aid), RX_I(pid)), &c);
    if (rc) return rc;
    int k = rx_cursor_next(&c);
    if (k == 1) {
        *sid = rx_cursor_int(&c, 0);
        *status = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 1));
    }
    rx_cursor_close(&c);
    return k < 0 ? -k : RX_OK;
}

/* {"action": ..., "attendance": {...}, "record": {...} | null} */
static void answer(struct rx_req *r, const char *action, int64_t att_id, int64_t record_id)
{
    struct rx_json *w = rx_json_begin(r);
    rx_json_obj(w);
    rx_json_kstr(w, "action", action);
    rx_json_key(w, "attendance");
    int rc =
        rx_act_json_row(r->db, Q_ATT_ROW, RX_ARGS(RX_I(att_id)), w, attendance_cols, ATT_NCOLS);
    rx_json_key(w, "record");
    if (!rc && record_id)
        rc = rx_act_json_row(r->db, Q_REC_GET, RX_ARGS(RX_I(record_id)), w, rx_record_cols,
                             rx_record_ncols);
    else
        rx_json_null(w);
    rx_json_end(w);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    rx_reply(r, 200);
}

/* The store's answer to a check-in or walk-up the triggers refused. */
static void constraint_problem(struct rx_req *r, int rc)
{
    static const struct rx_refusal map[] = {
        {"capacity_full", "capacity_full", NULL, NULL},
        {"signup_overlap", "signup_overlap", NULL, NULL},
    };
    rx_refusal_problem(r, rc, map, sizeof map / sizeof map[0]);
}

/* ------------------------------------------------------------------ the scan */

static void checkin_write(struct rx_req *r)
{
    struct rx_activity a;
    if (!rx_act_load_visible(r, rx_param_id(r, 0), &a)) return;
    if (!rx_in_object(r)) return;
    static const char *const known[] = {"token", NULL};
    const char *token = rx_in_str(r, "token", 1, 64);
    rx_in_only(r, known);
    if (rx_fail_if_field_errors(r)) return;

    unsigned char secret[32];
    rx_act_checkin_secret(r, a.id, secret);
    size_t tn = strlen(token);
    int v = rx_checkin_verify(secret, a.id, token, tn, r->now);
    int expired = 0;
    for (int k = 2; v != RX_CHECKIN_OK && v != RX_CHECKIN_EFORMAT && k <= EXPIRED_STEPS && !expired;
         k += 2)
        expired = rx_checkin_verify(secret, a.id, token, tn,
                                    r->now - (int64_t)k * RX_CHECKIN_STEP) == RX_CHECKIN_OK;
    sodium_memzero(secret, sizeof secret);
    if (v != RX_CHECKIN_OK) {
        if (expired)
            rx_problem(r, 410, "checkin_token_expired", NULL);
        else
            rx_problem(r, 403, "checkin_token_invalid", NULL);
        return;
    }
    if (strcmp(a.status, "published") != 0) {
        rx_problem(r, 409, "activity_not_open", a.status);
        return;
    }
    char t[32];
    if (r->now < a.starts_at - OPEN_BEFORE) {
        rx_act_time(a.starts_at - OPEN_BEFORE, t);
        rx_problem(r, 409, "checkin_not_open", t);
        return;
    }
    if (r->now > a.ends_at + CLOSE_AFTER) {
        rx_problem(r, 410, "checkin_closed", NULL);
        return;
    }
    int64_t pid = r->auth.person_id;
    if (!pid) {
        rx_problem(r, 403, "no_person", NULL);
        return;
    }
    struct att at;
    int rc = load_att(r, a.id, pid, &at);
    if (rc && rc != RX_NOTFOUND) {
        rx_store_problem(r, rc);
        return;
    }
    if (rc == RX_NOTFOUND) { /* not in yet: check in */
        int64_t sid;
        const char *st;
        rc = active_signup(r, a.id, pid, &sid, &st);
        if (rc) {
            rx_store_problem(r, rc);
            return;
        }
        if (!sid) {
            rx_problem(r, 409, "not_signed_up", NULL);
            return;
        }
        if (strcmp(st, "waitlisted") == 0) {
            rx_problem(r, 409, "still_waitlisted", NULL);
            return;
        }
        if (r->now >= a.ends_at) {
            rx_problem(r, 409, "activity_ended", NULL);
            return;
        }
        int64_t att_id = 0;
        rc = rx_db_exec(r->db, Q_SIGNUP_SET_STATUS,
                        RX_ARGS(RX_I(sid), RX_T("attended"), RX_I(r->now)), NULL, NULL);
        if (!rc)
            rc = rx_db_exec(r->db, Q_ATT_INSERT,
                            RX_ARGS(RX_I(a.id), RX_I(pid), RX_I(sid), RX_I(r->now), RX_T("qr"),
                                    RX_I(r->auth.user_id), RX_NUL, RX_I(r->now)),
                            NULL, &att_id);
        if (!rc) rc = rx_audit(r, "checkin", "attendance", att_id, "{\"via\":\"qr\"}");
        if (rc) {
            constraint_problem(r, rc);
            return;
        }
        answer(r, "checkin", att_id, 0);
        return;
    }
    if (at.checkout_at) {
        rx_problem(r, 409, "already_checked_out", NULL);
        return;
    }
    if (r->now - at.checkin_at < DOUBLE_SCAN) {
        rx_problem(r, 409, "already_checked_in", NULL);
        return;
    }
    rc = rx_db_exec(
        r->db, Q_ATT_CHECKOUT,
        RX_ARGS(RX_I(at.id), RX_I(r->now), RX_T("qr"), RX_I(r->auth.user_id), RX_NUL, RX_I(r->now)),
        NULL, NULL);
    int64_t rid = 0;
    int locked = 0;
    if (!rc) rc = rx_act_attendance_record(r, &a, pid, at.checkin_at, r->now, &rid, &locked);
    if (!rc) rc = rx_audit(r, "checkout", "attendance", at.id, "{\"via\":\"qr\"}");
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    answer(r, "checkout", at.id, rid);
}

void rx_api_checkin(struct rx_req *r)
{
    checkin_write(r);
}

/* ------------------------------------------------------------------ by hand, kiosk */

void rx_api_attendance_list(struct rx_req *r)
{
    struct rx_activity a;
    if (!rx_act_load_led(r, rx_param_id(r, 0), &a)) return;
    rx_act_list_reply(r, Q_KIOSK_LIST, RX_ARGS(RX_I(a.id)), kiosk_cols, KIOSK_NCOLS);
}

static void mark_write(struct rx_req *r)
{
    struct rx_activity a;
    if (!rx_act_load_visible(r, rx_param_id(r, 0), &a)) return;
    if (!rx_in_object(r)) return;
    static const char *const known[] = {"person_id", "action", "at", "reason", "via", NULL};
    int64_t pid = rx_in_int(r, "person_id", 1, 1, INT64_MAX, 0, NULL);
    const char *action = rx_in_str(r, "action", 1, 16);
    const char *via = rx_in_str(r, "via", 0, 16);
    const char *reason = rx_in_str(r, "reason", 0, 500);
    int64_t when = r->now;
    int has_at = rx_act_in_time(r, r->json, "at", "at", 0, &when) == 1;
    rx_in_only(r, known);
    if (!via) via = "leader";
    if (action && strcmp(action, "checkin") != 0 && strcmp(action, "checkout") != 0)
        rx_field_error(r, "action", "invalid");
    if (strcmp(via, "leader") != 0 && strcmp(via, "kiosk") != 0)
        rx_field_error(r, "via", "invalid");
    else if (strcmp(via, "leader") == 0 && !reason)
        rx_field_error(r, "reason", "required");
    if (has_at && (when < a.starts_at - OPEN_BEFORE || when > a.ends_at + CLOSE_AFTER))
        rx_field_error(r, "at", "outside_checkin_window");
    else if (has_at && when > r->now + 60)
        rx_field_error(r, "at", "in_future");
    if (rx_fail_if_field_errors(r)) return;
    if (!rx_act_can_lead(r, &a)) {
        rx_problem(r, 403, "forbidden", NULL);
        return;
    }
    if (strcmp(a.status, "published") != 0 && strcmp(a.status, "finished") != 0) {
        rx_problem(r, 409, "activity_not_open", a.status);
        return;
    }
    if (!has_at && (r->now < a.starts_at - OPEN_BEFORE)) {
        char t[32];
        rx_act_time(a.starts_at - OPEN_BEFORE, t);
        rx_problem(r, 409, "checkin_not_open", t);
        return;
    }
    struct att at;
    int rc = load_att(r, a.id, pid, &at);
    if (rc && rc != RX_NOTFOUND) {
        rx_store_problem(r, rc);
        return;
    }
    int found = rc == RX_OK;
    /* action is set: rx_in_str(required) recorded an error when it gave NULL */
    if (strcmp(action, "checkin") == 0) { // NOLINT(clang-analyzer-core.NonNullParamChecker)
        if (found) {
            rx_problem(r, 409, "already_checked_in", NULL);
            return;
        }
        int64_t sid;
        const char *st;
        rc = active_signup(r, a.id, pid, &sid, &st);
        if (rc) {
            rx_store_problem(r, rc);
            return;
        }
        int walk_in = !sid || strcmp(st, "waitlisted") == 0;
        if (walk_in && strcmp(via, "kiosk") == 0) { /* the kiosk lists confirmed people only */
            rx_problem(r, 409, "not_signed_up", NULL);
            return;
        }
        if (!sid) {
            /* a walk-up: a registered volunteer this leader may see, if a place remains */
            int64_t member = 0;
            const char *vs = NULL, *ppath = NULL;
            struct rx_cursor c;
            if (rx_first_row(r, rx_db_query(r->db, Q_PERSON_FACTS, RX_ARGS(RX_I(pid)), &c), &c)) {
                const char *s = rx_cursor_text(&c, 3);
                vs = s ? rx_arena_strdup(&r->arena, s) : NULL;
                s = rx_cursor_text(&c, 4);
                ppath = s ? rx_arena_strdup(&r->arena, s) : NULL;
            }
            rx_cursor_close(&c);
            if (rx_int_checked(r, rx_db_int(r->db, Q_TEAM_HAS_MEMBER,
                                            RX_ARGS(RX_I(a.team_id), RX_I(pid)), &member)))
                return;
            if (!member && !rx_can(r, RX_PERM_READ_PEOPLE, ppath) &&
                !rx_can(r, RX_PERM_LEAD_ACTIVITIES, ppath)) {
                rx_field_error(r, "person_id", "not_found_ref");
                rx_problem(r, 400, "validation_failed", NULL);
                return;
            }
            if (!vs || strcmp(vs, "active") != 0) {
                rx_field_error(r, "person_id", "not_a_volunteer");
                rx_problem(r, 409, "signup_not_allowed", NULL);
                return;
            }
            rc = rx_db_exec(r->db, Q_SIGNUP_INSERT,
                            RX_ARGS(RX_I(a.id), RX_I(pid), RX_T("attended"), RX_I(1),
                                    RX_I(r->auth.user_id), RX_I(r->now)),
                            NULL, &sid);
        } else {
            rc = rx_db_exec(r->db, Q_SIGNUP_SET_STATUS,
                            RX_ARGS(RX_I(sid), RX_T("attended"), RX_I(r->now)), NULL, NULL);
        }
        int64_t att_id = 0;
        if (!rc)
            rc = rx_db_exec(r->db, Q_ATT_INSERT,
                            RX_ARGS(RX_I(a.id), RX_I(pid), RX_I(sid), RX_I(when), RX_T(via),
                                    RX_I(r->auth.user_id), RX_T(reason), RX_I(r->now)),
                            NULL, &att_id);
        if (!rc)
            rc = rx_audit(r, "checkin", "attendance", att_id,
                          rx_arena_printf(&r->arena, "{\"via\":\"%s\",\"walk_in\":%s}", via,
                                          walk_in ? "true" : "false"));
        if (rc) {
            constraint_problem(r, rc);
            return;
        }
        answer(r, "checkin", att_id, 0);
        return;
    }
    /* checkout */
    if (!found) {
        rx_problem(r, 409, "not_checked_in", NULL);
        return;
    }
    if (at.checkout_at && strcmp(via, "kiosk") == 0) {
        rx_problem(r, 409, "already_checked_out", NULL);
        return;
    }
    if (when < at.checkin_at) {
        rx_field_error(r, "at", "before_checkin");
        rx_fail_if_field_errors(r);
        return;
    }
    rc = rx_db_exec(r->db, Q_ATT_CHECKOUT,
                    RX_ARGS(RX_I(at.id), RX_I(when), RX_T(via), RX_I(r->auth.user_id), RX_T(reason),
                            RX_I(r->now)),
                    NULL, NULL);
    int64_t rid = 0;
    int locked = 0;
    if (!rc) rc = rx_act_attendance_record(r, &a, pid, at.checkin_at, when, &rid, &locked);
    if (!rc && locked) {
        rx_problem(r, 409, "record_locked", NULL);
        return;
    }
    if (!rc)
        rc = rx_audit(r, "checkout", "attendance", at.id,
                      rx_arena_printf(&r->arena, "{\"via\":\"%s\",\"again\":%s}", via,
                                      at.checkout_at ? "true" : "false"));
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    answer(r, "checkout", at.id, rid);
}

void rx_api_attendance_mark(struct rx_req *r)
{
    mark_write(r);
}

/* ------------------------------------------------------------------ missed check-outs */

#define SWEEP_BATCH 200
#define SWEEP_MAX 5000 /* per sweep; the next one goes on */

struct due_att {
    int64_t id, activity, person, checkin;
    int has_record;
};

static int sweep_checkouts(struct rx_req *r, int *closed, int *flagged)
{
    *closed = *flagged = 0;
    struct due_att *d = rx_arena_alloc(&r->arena, SWEEP_BATCH * sizeof *d);
    if (!d) return RX_NOMEM;
    int rc = RX_OK;
    for (int round = 0; !rc && round < SWEEP_MAX / SWEEP_BATCH; round++) {
        struct rx_cursor c;
        int n = 0, k = 0;
        rc = rx_db_query(r->db, Q_ATT_SWEEP_DUE,
                         RX_ARGS(RX_I(r->now - CLOSE_AFTER), RX_I(SWEEP_BATCH)), &c);
        if (rc) break;
        while (n < SWEEP_BATCH && (k = rx_cursor_next(&c)) == 1) {
            d[n] =
                (struct due_att){rx_cursor_int(&c, 0), rx_cursor_int(&c, 1), rx_cursor_int(&c, 2),
                                 rx_cursor_int(&c, 3), (int)rx_cursor_int(&c, 4)};
            n++;
        }
        rx_cursor_close(&c);
        if (k < 0) rc = -k;
        for (int i = 0; !rc && i < n; i++) {
            struct rx_activity a;
            int64_t rid = 0;
            int locked = 0;
            rc = rx_act_load(r, d[i].activity, &a);
            /* no check-out: as at finishing, credited up to the scheduled end, for review */
            if (!rc && !d[i].has_record)
                rc = rx_act_attendance_record(r, &a, d[i].person, d[i].checkin, 0, &rid, &locked);
            int64_t changes = 0;
            if (!rc)
                rc = rx_db_exec(r->db, Q_ATT_CLOSE, RX_ARGS(RX_I(d[i].id), RX_I(r->now)), &changes,
                                NULL);
            if (rc || !changes) continue;
            (*closed)++;
            if (rid) (*flagged)++;
            rc = rx_audit(r, "close_checkout", "attendance", d[i].id,
                          rx_arena_printf(&r->arena, "{\"activity_id\":%lld,\"record_id\":%lld}",
                                          (long long)d[i].activity, (long long)rid));
        }
        if (n < SWEEP_BATCH) break;
    }
    return rc;
}

int rx_act_sweep_missed_checkouts(struct rx_app *app, struct rx_db *db, int64_t now, int *closed,
                                  int *flagged)
{
    /* A request with no caller: what the activity code needs (clock, connection, settings,
     * arena); audited with no user and no address. */
    struct rx_req sys;
    memset(&sys, 0, sizeof sys);
    rx_arena_init(&sys.arena, 16u << 20);
    sys.app = app;
    sys.db = db;
    sys.now = now;
    sys.route_index = -1;
    sys.method = "SWEEP";
    sys.path = "";
    int rc = sweep_checkouts(&sys, closed, flagged);
    rx_arena_free(&sys.arena);
    return rc;
}
