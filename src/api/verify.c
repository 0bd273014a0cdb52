/* verify.c: public verification of certificates, GET /verify/{number}?c=<check> (a small
 * HTML page for people who scanned the QR code) and GET /api/v1/verify/{number}?c= (JSON).
 *
 * No login. The answer says only whether the certificate is genuine, whether it was
 * revoked, the masked name (张*), the period and the hours. An unknown number, a missing
 * check code and a wrong one all get the same "not found" answer, so numbers (which are
 * sequential) cannot be probed. Every look-up counts against the client address: more than
 * VERIFY_LIMIT in VERIFY_WINDOW seconds answers 429 (table verify_attempts, written in the
 * same WRITE step; kept even when the answer is 404, or guessing would be free). */
#include "api/common.h"
#include "api/reports.h"
#include "domain/certificate.h"
#include "domain/hours.h"
#include "http/server.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define VERIFY_LIMIT 30
#define VERIFY_WINDOW 600

struct verdict {
    int found;        /* genuine: the number exists, is issued and the check code matches */
    int revoked;
    char name[128];   /* masked */
    const char *from, *to;
    int64_t minutes;
};

/* Counts the attempt and looks the certificate up. Returns 0, or answers (429/5xx) and
 * returns -1. */
static int look_up(struct rx_req *r, struct verdict *v)
{
    memset(v, 0, sizeof *v);
    int64_t n = 0;
    int rc = rx_db_int(r->db, Q_VERIFY_COUNT, RX_ARGS(RX_T(r->ip), RX_I(r->now - VERIFY_WINDOW)), &n);
    if (rc) {
        rx_store_problem(r, rc);
        return -1;
    }
    if (n >= VERIFY_LIMIT) {
        r->retry_after = "600";
        rx_problem(r, 429, "too_many_attempts", NULL);
        return -1;
    }
    rc = rx_db_exec(r->db, Q_VERIFY_RECORD, RX_ARGS(RX_T(r->ip), RX_I(r->now)), NULL, NULL);
    if (!rc)
        rc = rx_db_exec(r->db, Q_VERIFY_PURGE, RX_ARGS(RX_T(r->ip), RX_I(r->now - VERIFY_WINDOW)),
                        NULL, NULL);
    if (rc) {
        rx_store_problem(r, rc);
        return -1;
    }
    r->keep_writes = 1; /* a "not found" still counts */
    const char *number = r->params[0], *check = rx_query(r, "c");
    if (!number || !rx_cert_number_valid(number, strlen(number)) ||
        !rx_cert_check_ok(r->app->keys.hmac, number, check))
        return 0;
    struct rx_cursor c;
    if (rx_first_row(r, rx_db_query(r->db, Q_CERT_BY_NUMBER, RX_ARGS(RX_T(number)), &c), &c)) {
        const char *status = rx_cursor_text(&c, 1);
        if (strcmp(status, "requested") != 0) {
            v->found = 1;
            v->revoked = strcmp(status, "revoked") == 0;
            json_t *content = json_loads(rx_cursor_text(&c, 2), 0, NULL);
            const char *name = json_string_value(json_object_get(json_object_get(content, "person"), "name"));
            if (rx_cert_mask_name(name, v->name, sizeof v->name)) snprintf(v->name, sizeof v->name, "*");
            json_decref(content);
            v->from = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 3));
            v->to = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 4));
            v->minutes = rx_cursor_int(&c, 5);
        }
    }
    rx_cursor_close(&c);
    return 0;
}

void rx_api_verify_json(struct rx_req *r)
{
    struct verdict v;
    if (look_up(r, &v)) return;
    if (!v.found) {
        rx_problem(r, 404, "certificate_not_found", NULL);
        return;
    }
    struct rx_json *w = rx_json_begin(r);
    rx_json_obj(w);
    rx_json_kstr(w, "number", r->params[0]);
    rx_json_kbool(w, "genuine", 1);
    rx_json_kbool(w, "revoked", v.revoked);
    rx_json_kstr(w, "name_masked", v.name);
    rx_json_kstr(w, "period_from", v.from);
    rx_json_kstr(w, "period_to", v.to);
    rx_json_kint(w, "minutes", v.minutes);
    rx_json_kdouble(w, "hours", rx_hours_2dp(v.minutes));
    rx_json_end(w);
    rx_reply(r, 200);
}

static void html_text(struct rx_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': rx_buf_puts(b, "&lt;"); break;
        case '>': rx_buf_puts(b, "&gt;"); break;
        case '&': rx_buf_puts(b, "&amp;"); break;
        case '"': rx_buf_puts(b, "&quot;"); break;
        case '\'': rx_buf_puts(b, "&#39;"); break;
        default: rx_buf_putc(b, *s);
        }
    }
}

void rx_api_verify_page(struct rx_req *r)
{
    struct verdict v;
    if (look_up(r, &v)) {
        if (r->status != 429) return;
        v.found = -1; /* say it in the page, not as JSON */
    }
    struct rx_buf *b = &r->out;
    rx_buf_reset(b);
    rx_buf_puts(b, "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                   "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                   "<title>志愿服务记录证明核验</title><style>body{font-family:sans-serif;max-width:"
                   "32em;margin:2em auto;padding:0 1em;line-height:1.6}.ok{color:#176f2c}.bad{color:"
                   "#b3261e}dt{color:#555}dd{margin:0 0 .6em}</style></head><body>"
                   "<h1>志愿服务记录证明核验</h1>");
    if (v.found == 1) {
        if (v.revoked)
            rx_buf_puts(b, "<p class=\"bad\"><strong>该证明真实，但已被出具单位撤销。</strong><br>"
                           "This certificate is genuine but has been revoked.</p>");
        else
            rx_buf_puts(b, "<p class=\"ok\"><strong>该证明真实有效。</strong><br>"
                           "This certificate is genuine and valid.</p>");
        rx_buf_puts(b, "<dl><dt>证明编号 Number</dt><dd>");
        html_text(b, r->params[0]);
        rx_buf_puts(b, "</dd><dt>志愿者 Volunteer</dt><dd>");
        html_text(b, v.name);
        rx_buf_puts(b, "</dd><dt>服务期间 Period</dt><dd>");
        html_text(b, v.from);
        rx_buf_puts(b, " 至 ");
        html_text(b, v.to);
        rx_buf_printf(b, "</dd><dt>服务时长 Hours</dt><dd>%.2f 小时</dd></dl>", rx_hours_2dp(v.minutes));
    } else if (v.found == -1) {
        rx_buf_puts(b, "<p class=\"bad\">查询过于频繁，请十分钟后再试。<br>Too many look-ups; try again "
                       "in ten minutes.</p>");
    } else {
        rx_buf_puts(b, "<p class=\"bad\"><strong>未找到该证明。</strong>请核对证明编号，并通过证明上的"
                       "二维码访问本页。<br>No such certificate. Check the number and use the QR "
                       "code printed on the certificate.</p>");
    }
    rx_buf_puts(b, "</body></html>");
    int status = v.found == 1 ? 200 : v.found == -1 ? 429 : 404;
    if (b->err) {
        rx_problem(r, 500, "internal_error", NULL);
        return;
    }
    r->status = status;
    r->content_type = "text/html; charset=utf-8";
    r->next = NULL;
}
