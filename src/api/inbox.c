/* inbox.c: the caller's notifications (站内消息): what needs their attention here and in the
 * rest of rexin — dispatched to you, opened for volunteers, accepted, done, escalated,
 * waitlist promotion, activity cancelled, record confirmed or rejected, correction decided.
 *
 * A notification is addressed to an account (staff) or to a person (volunteers, residents:
 * written by rx_act_notify with the person's account when there is one). The inbox shows
 * both: rows of the account, and rows of the account's person that name no account (so a
 * person who gets an account later finds what was sent before). Everyone reads only their
 * own; someone else's notification answers 404. The webhook (http/webhook.c) forwards the
 * same rows to a deployment's SMS or WeChat gateway. */
#include "api/help.h"
#include "api/api.h"
#include "api/common.h"
#include "api/activity.h"
#include "api/input.h"
#include "http/server.h"
#include <string.h>

static const struct rx_col note_cols[] = {
    {"id", RX_COL_INT},          {"kind", RX_COL_TEXT},    {"payload", RX_COL_JSON},
    {"created_at", RX_COL_TIME}, {"read_at", RX_COL_TIME},
};
#define NOTE_NCOLS ((int)(sizeof note_cols / sizeof note_cols[0]))

static struct rx_val me_person(struct rx_req *r)
{
    return r->auth.person_id ? RX_I(r->auth.person_id) : RX_NUL;
}

static int64_t unread(struct rx_req *r)
{
    int64_t n = 0;
    /* a failure answers 5xx (rx_int_checked), which the caller's answer does not replace */
    rx_int_checked(r, rx_db_int(r->db, Q_INBOX_UNREAD, RX_ARGS(RX_I(r->auth.user_id), me_person(r)), &n));
    return n;
}

void rx_api_inbox_list(struct rx_req *r)
{
    int limit = rx_list_limit(r);
    int64_t cursor = rx_list_cursor(r);
    int only_unread = rx_query_bool(r, "unread") == 1;
    const char *kind = rx_query(r, "kind");
    if (kind && strlen(kind) > 64) rx_field_error(r, "kind", "too_long");
    if (rx_fail_if_field_errors(r)) return;
    struct rx_json *w = rx_list_begin(r);
    struct rx_page pg = {0, 0};
    int rc = rx_act_json_rows(r->db, Q_INBOX_LIST,
                              RX_ARGS(RX_I(r->auth.user_id), me_person(r),
                                      only_unread ? RX_I(1) : RX_NUL, RX_T(kind),
                                      RX_I(cursor ? cursor : INT64_MAX), RX_I(limit)),
                              w, note_cols, NOTE_NCOLS, &pg);
    rx_list_end(w, &pg, limit);
    rx_json_kint(w, "unread", unread(r));
    rx_json_end(w);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    rx_reply(r, 200);
}

void rx_api_inbox_unread(struct rx_req *r)
{
    struct rx_json *w = rx_json_begin(r);
    rx_json_obj(w);
    rx_json_kint(w, "unread", unread(r));
    rx_json_end(w);
    rx_reply(r, 200);
}

void rx_api_inbox_read(struct rx_req *r)
{
    int64_t id = rx_param_id(r, 0);
    if (!id) return;
    int64_t changes = 0;
    int rc = rx_db_exec(r->db, Q_INBOX_READ,
                        RX_ARGS(RX_I(r->auth.user_id), me_person(r), RX_I(id), RX_I(r->now)),
                        &changes, NULL);
    if (!rc && changes) rc = rx_audit(r, "read", "notification", id, NULL);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    /* read before, or not the caller's (404) */
    struct rx_json *w = rx_json_begin(r);
    rc = rx_act_json_row(r->db, Q_INBOX_GET, RX_ARGS(RX_I(r->auth.user_id), me_person(r), RX_I(id)),
                         w, note_cols, NOTE_NCOLS);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    rx_reply(r, 200);
}

void rx_api_inbox_read_all(struct rx_req *r)
{
    int64_t changes = 0;
    int rc = rx_db_exec(r->db, Q_INBOX_READ_ALL,
                        RX_ARGS(RX_I(r->auth.user_id), me_person(r), RX_I(r->now)), &changes, NULL);
    if (!rc && changes)
        rc = rx_audit(r, "read_all", "notification", 0,
                      rx_arena_printf(&r->arena, "{\"marked\":%lld}", (long long)changes));
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    struct rx_json *w = rx_json_begin(r);
    rx_json_obj(w);
    rx_json_kint(w, "marked", changes);
    rx_json_kint(w, "unread", unread(r));
    rx_json_end(w);
    rx_reply(r, 200);
}
