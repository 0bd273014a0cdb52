/* certificates.c: service record certificates (志愿服务记录证明), /api/v1/certificates.
 *
 * Flow: a volunteer (for themself) or staff (on their behalf) asks for a certificate of
 * service over a period from the unit that recorded it: a community (org_unit_id) or one of
 * its teams (team_id) — 谁记录谁证明. Staff with RX_PERM_CONFIRM_RECORDS over that community
 * issue it (POST .../issue, or "issue": true when they ask themselves): the writer takes the
 * next number of the issuer's counter for the year and freezes a snapshot of the confirmed
 * records (sums by category, and the records themselves when itemised) into `content`. The
 * PDF is drawn from the snapshot only, so it prints the same whatever happens later; a
 * revocation (with a reason, audited) is the only change an issued certificate accepts
 * (triggers in migration 0006). It is free: there is no fee anywhere in the flow.
 *
 * The PDF (A4, Chinese, fonts-noto-cjk embedded) is drawn on the CPU pool. Its QR code and
 * printed link go to <public base>/verify/<number>?c=<check> (domain/certificate.h). */
#include "api/api.h"
#include "api/authz.h"
#include "api/common.h"
#include "api/input.h"
#include "api/registry_org.h"
#include "api/reports.h"
#include "domain/certificate.h"
#include "domain/hours.h"
#include "http/server.h"
#include "lib/alloc.h"
#include "lib/pdf.h"
#include "lib/timefmt.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define MAX_ITEMS 300           /* records listed on an itemised certificate */
#define CONTENT_CAP (1u << 20)  /* snapshot JSON */
#define PDF_CAP (8u << 20)

struct cert {
    int64_t id, person_id, org_unit_id, team_id, minutes, person_times, requested_at, issued_at,
        revoked_at, requested_by, issued_by;
    int64_t merged_into; /* the person it was issued to has since been merged into this one */
    int itemised, has_minutes;
    const char *person_name, *volunteer_no, *org_name, *org_path, *team_name, *period_from,
        *period_to, *status, *note, *number, *content, *person_in_charge, *handler, *issued_on,
        *revoke_reason;
};

/* Column i as arena text, NULL when SQL NULL; sets *nomem when it could not be copied. */
static const char *col_str(struct rx_req *r, struct rx_cursor *c, int i, int *nomem)
{
    if (rx_cursor_isnull(c, i)) return NULL;
    const char *s = rx_arena_strdup(&r->arena, rx_cursor_text(c, i));
    if (!s) *nomem = 1;
    return s;
}

static int64_t col_int(struct rx_cursor *c, int i)
{
    return rx_cursor_isnull(c, i) ? 0 : rx_cursor_int(c, i);
}

/* RX_OK, or RX_NOMEM when a text column could not be copied. */
static int cert_read(struct rx_req *r, struct rx_cursor *c, struct cert *k)
{
    int nomem = 0;
    memset(k, 0, sizeof *k);
    k->id = col_int(c, 0);
    k->person_id = col_int(c, 1);
    k->person_name = col_str(r, c, 2, &nomem);
    k->volunteer_no = col_str(r, c, 3, &nomem);
    k->org_unit_id = col_int(c, 4);
    k->org_name = col_str(r, c, 5, &nomem);
    k->org_path = col_str(r, c, 6, &nomem);
    k->team_id = col_int(c, 7);
    k->team_name = col_str(r, c, 8, &nomem);
    k->period_from = col_str(r, c, 9, &nomem);
    k->period_to = col_str(r, c, 10, &nomem);
    k->itemised = (int)col_int(c, 11);
    k->status = col_str(r, c, 12, &nomem);
    k->note = col_str(r, c, 13, &nomem);
    k->number = col_str(r, c, 14, &nomem);
    k->has_minutes = !rx_cursor_isnull(c, 15);
    k->minutes = col_int(c, 15);
    k->person_times = col_int(c, 16);
    k->content = col_str(r, c, 17, &nomem);
    k->person_in_charge = col_str(r, c, 18, &nomem);
    k->handler = col_str(r, c, 19, &nomem);
    k->requested_at = col_int(c, 20);
    k->issued_at = col_int(c, 21);
    k->issued_on = col_str(r, c, 22, &nomem);
    k->revoked_at = col_int(c, 23);
    k->revoke_reason = col_str(r, c, 24, &nomem);
    k->requested_by = col_int(c, 25);
    k->issued_by = col_int(c, 26);
    k->merged_into = col_int(c, 27);
    return nomem || !k->org_path || !k->status ? RX_NOMEM : RX_OK;
}

/* RX_OK, RX_NOTFOUND or the store error. */
static int cert_fetch(struct rx_req *r, int64_t id, struct cert *k)
{
    struct rx_cursor c;
    memset(k, 0, sizeof *k);
    int rc = rx_db_query(r->db, Q_CERT_ROW, RX_ARGS(RX_I(id)), &c);
    if (rc) return rc;
    int n = rx_cursor_next(&c);
    rc = n == 1 ? cert_read(r, &c, k) : n == 0 ? RX_NOTFOUND : -n;
    rx_cursor_close(&c);
    return rc;
}

/* The person a certificate is for (Q_CERT_PERSON): masked ID number, merged_into and home
 * community's path (NULL when none). RX_OK, RX_NOTFOUND or the store error. */
static int cert_person(struct rx_req *r, int64_t person, const char **id_masked, int64_t *merged,
                       const char **home)
{
    struct rx_cursor c;
    int nomem = 0;
    *id_masked = *home = NULL;
    *merged = 0;
    int rc = rx_db_query(r->db, Q_CERT_PERSON, RX_ARGS(RX_I(person)), &c);
    if (rc) return rc;
    int n = rx_cursor_next(&c);
    if (n == 1) {
        *id_masked = col_str(r, &c, 2, &nomem);
        *merged = col_int(&c, 4);
        *home = col_str(r, &c, 5, &nomem);
    }
    rx_cursor_close(&c);
    return n < 0 ? -n : n == 0 ? RX_NOTFOUND : nomem ? RX_NOMEM : RX_OK;
}

static int is_own(const struct rx_req *r, const struct cert *k)
{
    return r->auth.person_id &&
           (r->auth.person_id == k->person_id || r->auth.person_id == k->merged_into);
}

static int can_read(const struct rx_req *r, const struct cert *k)
{
    return is_own(r, k) || rx_can(r, RX_PERM_READ_PEOPLE, k->org_path) ||
           rx_can(r, RX_PERM_CONFIRM_RECORDS, k->org_path);
}

/* Loads certificate path param 0 the caller may read; otherwise answers 404. With `staff`,
 * also needs RX_PERM_CONFIRM_RECORDS over the issuer (403). */
static int cert_load(struct rx_req *r, struct cert *k, int staff)
{
    int64_t id = rx_param_id(r, 0);
    if (!id) return 0;
    int rc = cert_fetch(r, id, k);
    if (!rx_load_seen(r, rc, rc == RX_OK && can_read(r, k))) return 0;
    if (staff && !rx_authz_path(r, RX_PERM_CONFIRM_RECORDS, k->org_path)) return 0;
    return 1;
}

static const char *verify_url(struct rx_req *r, const char *number)
{
    char check[RX_CERT_CHECK_LEN + 1];
    rx_cert_check_code(r->app->keys.hmac, number, check);
    return rx_arena_printf(&r->arena, "%s/verify/%s?c=%s", rx_public_base(r), number, check);
}

static void ktime(struct rx_json *w, const char *key, int64_t t)
{
    char buf[RX_TIMEFMT_RFC3339_SIZE];
    if (!t || rx_timefmt_format(t, RX_TIMEFMT_BEIJING, buf, sizeof buf) != RX_TIMEFMT_OK)
        rx_json_knull(w, key);
    else
        rx_json_kstr(w, key, buf);
}

static void kid(struct rx_json *w, const char *key, int64_t id)
{
    if (id) rx_json_kint(w, key, id);
    else rx_json_knull(w, key);
}

static void cert_json(struct rx_req *r, struct rx_json *w, const struct cert *k)
{
    rx_json_obj(w);
    rx_json_kint(w, "id", k->id);
    rx_json_kint(w, "person_id", k->person_id);
    rx_json_kstr(w, "person_name", k->person_name);
    rx_json_kstr(w, "volunteer_no", k->volunteer_no);
    rx_json_kint(w, "org_unit_id", k->org_unit_id);
    rx_json_kstr(w, "org_unit_name", k->org_name);
    kid(w, "team_id", k->team_id);
    rx_json_kstr(w, "team_name", k->team_name);
    rx_json_kstr(w, "period_from", k->period_from);
    rx_json_kstr(w, "period_to", k->period_to);
    rx_json_kbool(w, "itemised", k->itemised);
    rx_json_kstr(w, "status", k->status);
    rx_json_kstr(w, "note", k->note);
    rx_json_kstr(w, "number", k->number);
    if (k->has_minutes) {
        rx_json_kint(w, "minutes", k->minutes);
        rx_json_kdouble(w, "hours", rx_hours_2dp(k->minutes));
        rx_json_kint(w, "person_times", k->person_times);
    } else {
        rx_json_knull(w, "minutes");
        rx_json_knull(w, "hours");
        rx_json_knull(w, "person_times");
    }
    rx_json_key(w, "content");
    if (k->content) rx_json_raw(w, k->content, strlen(k->content));
    else rx_json_null(w);
    rx_json_kstr(w, "person_in_charge", k->person_in_charge);
    rx_json_kstr(w, "handler", k->handler);
    ktime(w, "requested_at", k->requested_at);
    ktime(w, "issued_at", k->issued_at);
    rx_json_kstr(w, "issued_on", k->issued_on);
    ktime(w, "revoked_at", k->revoked_at);
    rx_json_kstr(w, "revoke_reason", k->revoke_reason);
    if (k->number) {
        rx_json_kstr(w, "verify_url", verify_url(r, k->number));
        rx_json_kstr(w, "pdf_url", rx_arena_printf(&r->arena, "/api/v1/certificates/%lld.pdf",
                                                   (long long)k->id));
    } else {
        rx_json_knull(w, "verify_url");
        rx_json_knull(w, "pdf_url");
    }
    rx_json_end(w);
}

static void reply_cert(struct rx_req *r, int64_t id, int created)
{
    struct cert k;
    int rc = cert_fetch(r, id, &k);
    if (rc) {
        rx_store_problem(r, rc == RX_NOTFOUND ? RX_ERROR : rc);
        return;
    }
    struct rx_json *w = rx_json_begin(r);
    cert_json(r, w, &k);
    if (created)
        rx_reply_created(r, rx_arena_printf(&r->arena, "/api/v1/certificates/%lld", (long long)id));
    else
        rx_reply(r, 200);
}

/* ------------------------------------------------------------------ issuing */

/* Writes the snapshot of what certificate k certifies into out; totals into *minutes and
 * *times. Reads the person's confirmed records from the issuer in the period. */
static int build_content(struct rx_req *r, const struct cert *k, const char *id_masked,
                         struct rx_buf *out, int64_t *minutes, int64_t *times)
{
    struct rx_json w;
    struct rx_cursor c;
    struct rx_val team = k->team_id ? RX_I(k->team_id) : RX_NUL;
    int rc;
    *minutes = *times = 0;
    rx_json_init(&w, out);
    rx_json_obj(&w);
    rx_json_key(&w, "person");
    rx_json_obj(&w);
    rx_json_kstr(&w, "name", k->person_name);
    rx_json_kstr(&w, "id_masked", id_masked);
    rx_json_kstr(&w, "volunteer_no", k->volunteer_no);
    rx_json_end(&w);
    rx_json_key(&w, "issuer");
    rx_json_obj(&w);
    rx_json_kstr(&w, "kind", k->team_id ? "team" : "org_unit");
    rx_json_kint(&w, "org_unit_id", k->org_unit_id);
    rx_json_kstr(&w, "org_unit_name", k->org_name);
    kid(&w, "team_id", k->team_id);
    rx_json_kstr(&w, "team_name", k->team_name);
    rx_json_end(&w);
    rx_json_key(&w, "by_category");
    rx_json_arr(&w);
    rc = rx_db_query(r->db, Q_CERT_BY_CATEGORY,
                     RX_ARGS(RX_I(k->person_id), RX_T(k->period_from), RX_T(k->period_to),
                             RX_I(k->org_unit_id), team),
                     &c);
    if (rc) return rc;
    while ((rc = rx_cursor_next(&c)) == 1) {
        int64_t n = rx_cursor_int(&c, 3), m = rx_cursor_int(&c, 4);
        rx_json_obj(&w);
        rx_json_kint(&w, "category_id", rx_cursor_int(&c, 0));
        rx_json_kstr(&w, "code", rx_cursor_text(&c, 1));
        rx_json_kstr(&w, "name", rx_cursor_text(&c, 2));
        rx_json_kint(&w, "person_times", n);
        rx_json_kint(&w, "minutes", m);
        rx_json_kint(&w, "people_served", rx_cursor_int(&c, 5));
        rx_json_end(&w);
        *minutes += m;
        *times += n;
    }
    rx_cursor_close(&c);
    if (rc < 0) return -rc;
    rx_json_end(&w);
    rx_json_kint(&w, "person_times", *times);
    rx_json_kint(&w, "minutes", *minutes);
    if (k->itemised) {
        rx_json_key(&w, "items");
        rx_json_arr(&w);
        int n = 0;
        rc = rx_db_query(r->db, Q_CERT_ITEMS,
                         RX_ARGS(RX_I(k->person_id), RX_T(k->period_from), RX_T(k->period_to),
                                 RX_I(k->org_unit_id), team, RX_I(MAX_ITEMS)),
                         &c);
        if (rc) return rc;
        while ((rc = rx_cursor_next(&c)) == 1) {
            rx_json_obj(&w);
            rx_json_kstr(&w, "date", rx_cursor_text(&c, 0));
            rx_json_kstr(&w, "category", rx_cursor_text(&c, 1));
            rx_json_kint(&w, "minutes", rx_cursor_int(&c, 2));
            rx_json_kstr(&w, "title", rx_cursor_text(&c, 3));
            rx_json_end(&w);
            n++;
        }
        rx_cursor_close(&c);
        if (rc < 0) return -rc;
        rx_json_end(&w);
        /* More records than fit: the sums above still cover them all. */
        rx_json_kint(&w, "items_omitted", *times > n ? *times - n : 0);
    }
    rx_json_end(&w);
    return out->err ? RX_NOMEM : RX_OK;
}

/* Issues certificate k (status requested) now: number, snapshot, who signs. Answers on
 * failure and returns -1. Runs in a WRITE step. */
static int issue(struct rx_req *r, const struct cert *k, const char *in_charge, const char *handler)
{
    const char *id_masked, *home;
    int64_t merged;
    int rc = cert_person(r, k->person_id, &id_masked, &merged, &home);
    if (rc && rc != RX_NOTFOUND) {
        rx_store_problem(r, rc);
        return -1;
    }
    if (merged) {
        rx_problem(r, 409, "person_merged", NULL);
        return -1;
    }
    struct rx_date today;
    char today_s[RX_TIMEFMT_DATE_SIZE];
    rx_today(r, &today, today_s);
    char key[32];
    snprintf(key, sizeof key, "%c%lld", k->team_id ? 'T' : 'O',
             (long long)(k->team_id ? k->team_id : k->org_unit_id));
    int64_t seq = 0;
    rc = rx_db_int(r->db, Q_CERT_NEXT_SEQ, RX_ARGS(RX_T(key), RX_I(today.year)), &seq);
    char number[RX_CERT_NUMBER_MAX];
    if (rc || rx_cert_number_format(key[0], k->team_id ? k->team_id : k->org_unit_id, today.year,
                                    seq, number, sizeof number)) {
        rx_store_problem(r, rc ? rc : RX_ERROR);
        return -1;
    }
    struct rx_buf content;
    int64_t minutes, times;
    rx_buf_init(&content, CONTENT_CAP);
    rc = build_content(r, k, id_masked, &content, &minutes, &times);
    if (rc) {
        rx_buf_free(&content);
        rx_store_problem(r, rc);
        return -1;
    }
    int64_t changes = 0;
    rc = rx_db_exec(r->db, Q_CERT_ISSUE,
                    RX_ARGS(RX_I(k->id), RX_T(key), RX_I(today.year), RX_I(seq), RX_T(number),
                            RX_I(minutes), RX_I(times), RX_TN(content.data, content.len),
                            RX_T(in_charge), RX_T(handler), RX_I(r->auth.user_id), RX_I(r->now),
                            RX_T(today_s)),
                    &changes, NULL);
    rx_buf_free(&content);
    if (rc || changes != 1) {
        if (rc) rx_store_problem(r, rc);
        else rx_problem(r, 409, "certificate_not_requested", NULL);
        return -1;
    }
    char *detail = rx_arena_printf(&r->arena,
                                   "{\"number\":\"%s\",\"minutes\":%lld,\"person_times\":%lld}",
                                   number, (long long)minutes, (long long)times);
    rc = rx_audit(r, "issue", "certificate", k->id, detail);
    if (rc) {
        rx_store_problem(r, rc);
        return -1;
    }
    return 0;
}

/* Reads person_in_charge (required) and handler (default: the caller's display name). */
static void read_signers(struct rx_req *r, const char **in_charge, const char **handler)
{
    *in_charge = rx_in_str(r, "person_in_charge", 1, 32);
    *handler = rx_in_str(r, "handler", 0, 32);
    if (!*handler) *handler = r->auth.display_name ? r->auth.display_name : r->auth.username;
}

void rx_api_cert_create(struct rx_req *r)
{
    static const char *const known[] = {"person_id", "org_unit_id", "team_id",  "from",
                                        "to",        "itemised",    "note",     "issue",
                                        "person_in_charge", "handler", NULL};
    if (!rx_in_object(r)) return;
    rx_in_only(r, known);
    int64_t person = rx_in_int(r, "person_id", 0, 1, INT64_MAX, r->auth.person_id, NULL);
    int has_org = 0, has_team = 0;
    int64_t org = rog_in_ref(r, "org_unit_id", &has_org);
    int64_t team = rog_in_ref(r, "team_id", &has_team);
    const char *from = rx_in_date(r, "from", 1, 32, NULL);
    const char *to = rx_in_date(r, "to", 1, 32, NULL);
    int itemised = rx_in_bool(r, "itemised", 0);
    const char *note = rx_in_str(r, "note", 0, 200);
    int now_issue = rx_in_bool(r, "issue", 0);
    const char *in_charge = NULL, *handler = NULL;
    if (now_issue) read_signers(r, &in_charge, &handler);
    if (!person) rx_field_error(r, "person_id", "required");
    if (!org && !team) rx_field_error(r, "org_unit_id", "required");
    if (org && team) rx_field_error(r, "team_id", "one_issuer");
    if (from && to && strcmp(from, to) > 0) rx_field_error(r, "from", "after_to");
    if (rx_fail_if_field_errors(r)) return;

    /* The issuer: a community, or a team (whose community is then the org unit). */
    struct rog_org o;
    struct cert k;
    memset(&k, 0, sizeof k);
    if (team) {
        struct rx_cursor c;
        int found = rx_db_query(r->db, Q_CERT_TEAM, RX_ARGS(RX_I(team)), &c);
        found = found ? -found : rx_cursor_next(&c);
        if (found == 1) org = rx_cursor_int(&c, 0);
        rx_cursor_close(&c);
        if (found < 0) {
            rx_store_problem(r, -found);
            return;
        }
        if (!found) {
            rx_field_error(r, "team_id", "not_found_ref");
            rx_fail_if_field_errors(r);
            return;
        }
    }
    if (!rog_org_fetch(r, org, &o)) {
        if (r->status) return;
        rx_field_error(r, team ? "team_id" : "org_unit_id", "not_found_ref");
        rx_fail_if_field_errors(r);
        return;
    }
    int staff = rx_can(r, RX_PERM_CONFIRM_RECORDS, o.path);
    if (person != r->auth.person_id && !staff) {
        /* Someone else's certificate: only staff of the issuer; others learn nothing. */
        rx_problem(r, rx_can(r, RX_PERM_READ_ORG, o.path) ? 403 : 404,
                   rx_can(r, RX_PERM_READ_ORG, o.path) ? "forbidden" : "not_found", NULL);
        return;
    }
    if (now_issue && !staff) {
        rx_problem(r, 403, "forbidden", NULL);
        return;
    }
    int64_t merged;
    const char *home, *id_masked;
    int rc = cert_person(r, person, &id_masked, &merged, &home);
    if (rc == RX_NOTFOUND) merged = -1;
    else if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    /* Staff certify the people they may see, and anyone whose service they recorded (a
     * volunteer from elsewhere at one of their activities); any other person id is not
     * found, or a request would tell them whose it is. */
    if (merged == 0 && person != r->auth.person_id && !rx_can(r, RX_PERM_READ_PEOPLE, home)) {
        int64_t n = 0;
        rc = rx_db_int(r->db, Q_CERT_RECORDED_BY,
                       RX_ARGS(RX_I(person), RX_T(o.path), team ? RX_I(team) : RX_NUL), &n);
        if (rc) {
            rx_store_problem(r, rc);
            return;
        }
        if (n == 0) merged = -1;
    }
    if (merged != 0) {
        rx_field_error(r, "person_id", "not_found_ref");
        rx_fail_if_field_errors(r);
        return;
    }
    int64_t id = 0;
    rc = rx_db_exec(r->db, Q_CERT_INSERT,
                        RX_ARGS(RX_I(person), RX_I(org), team ? RX_I(team) : RX_NUL, RX_T(from),
                                RX_T(to), RX_I(itemised), RX_T(note), RX_I(r->auth.user_id),
                                RX_I(r->now)),
                        NULL, &id);
    if (!rc) {
        char *detail = rx_arena_printf(&r->arena,
                                       "{\"person_id\":%lld,\"org_unit_id\":%lld,\"team_id\":%lld,"
                                       "\"from\":\"%s\",\"to\":\"%s\"}",
                                       (long long)person, (long long)org, (long long)team, from, to);
        rc = rx_audit(r, "request", "certificate", id, detail);
    }
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    if (now_issue) {
        rc = cert_fetch(r, id, &k);
        if (rc) {
            rx_store_problem(r, rc == RX_NOTFOUND ? RX_ERROR : rc);
            return;
        }
        if (issue(r, &k, in_charge, handler)) return;
    }
    reply_cert(r, id, 1);
}

void rx_api_cert_issue(struct rx_req *r)
{
    static const char *const known[] = {"person_in_charge", "handler", NULL};
    struct cert k;
    if (!rx_in_object(r) || !cert_load(r, &k, 1)) return;
    rx_in_only(r, known);
    const char *in_charge, *handler;
    read_signers(r, &in_charge, &handler);
    if (rx_fail_if_field_errors(r)) return;
    if (!k.status || strcmp(k.status, "requested") != 0) {
        rx_problem(r, 409, "certificate_not_requested", NULL);
        return;
    }
    if (issue(r, &k, in_charge, handler)) return;
    reply_cert(r, k.id, 0);
}

void rx_api_cert_revoke(struct rx_req *r)
{
    static const char *const known[] = {"reason", NULL};
    struct cert k;
    if (!rx_in_object(r) || !cert_load(r, &k, 1)) return;
    rx_in_only(r, known);
    const char *reason = rx_in_str(r, "reason", 1, 500);
    if (rx_fail_if_field_errors(r)) return;
    if (!k.status || strcmp(k.status, "issued") != 0) {
        rx_problem(r, 409, "certificate_not_issued", NULL);
        return;
    }
    int64_t changes = 0;
    int rc = rx_db_exec(r->db, Q_CERT_REVOKE,
                        RX_ARGS(RX_I(k.id), RX_I(r->now), RX_I(r->auth.user_id), RX_T(reason)),
                        &changes, NULL);
    if (!rc && changes != 1) {
        rx_problem(r, 409, "certificate_not_issued", NULL);
        return;
    }
    if (!rc) {
        struct rx_buf d;
        struct rx_json w;
        rx_buf_init(&d, 4096);
        rx_json_init(&w, &d);
        rx_json_obj(&w);
        rx_json_kstr(&w, "number", k.number);
        rx_json_kstr(&w, "reason", reason);
        rx_json_end(&w);
        rc = d.err ? RX_NOMEM : rx_audit(r, "revoke", "certificate", k.id, d.data);
        rx_buf_free(&d);
    }
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    reply_cert(r, k.id, 0);
}

/* ------------------------------------------------------------------ reading */

void rx_api_cert_get(struct rx_req *r)
{
    struct cert k;
    if (!cert_load(r, &k, 0)) return;
    struct rx_json *w = rx_json_begin(r);
    cert_json(r, w, &k);
    rx_reply(r, 200);
}

void rx_api_cert_list(struct rx_req *r)
{
    int limit = rx_list_limit(r);
    int64_t cursor = rx_list_cursor(r);
    int64_t person = rx_query_int(r, "person_id", 0, 1, INT64_MAX);
    int64_t org = rx_query_int(r, "org_unit_id", 0, 1, INT64_MAX);
    const char *status = rx_query(r, "status");
    if (status && strcmp(status, "requested") != 0 && strcmp(status, "issued") != 0 &&
        strcmp(status, "revoked") != 0)
        rx_field_error(r, "status", "invalid");
    if (rx_fail_if_field_errors(r)) return;
    struct rog_org o;
    if (org && !rog_org_load(r, org, RX_PERM_READ_ORG, &o)) return;
    /* Roles that see certificates of their subtree: people readers and record confirmers. */
    const char *a = rog_roles_with(r, RX_PERM_READ_PEOPLE), *b = rog_roles_with(r, RX_PERM_CONFIRM_RECORDS);
    const char *roles = rx_arena_printf(&r->arena, "%s%s", a, b + 1);
    struct rx_json *w = rx_list_begin(r);
    struct rx_cursor c;
    int rc = rx_db_query(r->db, Q_CERT_LIST,
                         RX_ARGS(RX_I(r->auth.user_id), RX_T(roles),
                                 RX_I(r->auth.person_id ? r->auth.person_id : -1),
                                 person ? RX_I(person) : RX_NUL, RX_T(org ? o.path : NULL),
                                 RX_T(status), RX_I(cursor), RX_I(limit)),
                         &c);
    struct rx_page pg = {0, 0};
    if (!rc) {
        while ((rc = rx_cursor_next(&c)) == 1) {
            struct cert k;
            if (cert_read(r, &c, &k)) {
                rc = -RX_NOMEM;
                break;
            }
            cert_json(r, w, &k);
            pg.count++;
            pg.last_id = k.id;
        }
        rx_cursor_close(&c);
        rc = rc < 0 ? -rc : 0;
    }
    rx_list_reply(r, w, &pg, limit, rc);
}

/* ------------------------------------------------------------------ PDF */

static const char *fmt_hours(struct rx_req *r, int64_t minutes)
{
    int64_t h100 = rx_hours_hundredths(minutes);
    return rx_arena_printf(&r->arena, "%lld.%02lld", (long long)(h100 / 100), (long long)(h100 % 100));
}

static const char *jstr(json_t *o, const char *k, const char *def)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s && *s ? s : def;
}

#define SERIF "Noto Serif CJK SC"
#define SANS "Noto Sans CJK SC"
#define LEFT 25.0
#define WIDTH 160.0
#define BOTTOM 270.0

/* One table row of up to 4 cells at y with the given column x offsets; returns its height. */
static double table_row(struct rx_pdf *p, double y, const double *xs, const double *ws, int n,
                        const char *const *cells, const char *font)
{
    double h = 0;
    for (int i = 0; i < n; i++) {
        double t = rx_pdf_text(p, LEFT + xs[i] + 1.5, y + 1.5, ws[i] - 3, font,
                               i == 0 || (n == 4 && i < 3) ? RX_PDF_LEFT : RX_PDF_RIGHT, cells[i]);
        if (t > h) h = t;
    }
    h += 3;
    rx_pdf_line(p, LEFT, y + h, LEFT + WIDTH, y + h, 0.2);
    return h;
}

static int draw_certificate(struct rx_req *r, const struct cert *k, json_t *content,
                            struct rx_buf *out)
{
    struct rx_pdf *p;
    if (rx_pdf_begin(&p, out, "志愿服务记录证明")) return -1;
    json_t *person = json_object_get(content, "person");
    const char *name = jstr(person, "name", k->person_name);
    const char *idm = jstr(person, "id_masked", "未登记");
    const char *vno = jstr(person, "volunteer_no", "未登记");
    const char *issuer = k->team_name ? rx_arena_printf(&r->arena, "%s%s", k->org_name, k->team_name)
                                      : k->org_name;
    double y = 22;
    rx_pdf_text(p, LEFT, y, WIDTH, SERIF " Bold 24", RX_PDF_CENTER, "志愿服务记录证明");
    y += 16;
    rx_pdf_text(p, LEFT, y, WIDTH, SANS " 10", RX_PDF_RIGHT,
                rx_arena_printf(&r->arena, "证明编号：%s", k->number));
    y += 10;
    const char *body = rx_arena_printf(
        &r->arena,
        "兹证明 %s（身份证号：%s，志愿者编号：%s）于 %s 至 %s 期间，在%s参加志愿服务 %lld 次，"
        "累计服务时长 %s 小时。服务内容如下：",
        name, idm, vno, k->period_from, k->period_to, issuer, (long long)k->person_times,
        fmt_hours(r, k->minutes));
    y += rx_pdf_text(p, LEFT, y, WIDTH, SERIF " 12", RX_PDF_LEFT, body ? body : "") + 6;

    /* By category */
    static const double cx[3] = {0, 90, 125}, cw[3] = {90, 35, 35};
    const char *head[3] = {"服务类别", "服务次数", "服务时长（小时）"};
    rx_pdf_line(p, LEFT, y, LEFT + WIDTH, y, 0.4);
    y += table_row(p, y, cx, cw, 3, head, SANS " Bold 10.5");
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(content, "by_category"), i, row) {
        const char *cells[3] = {
            jstr(row, "name", ""),
            rx_arena_printf(&r->arena, "%lld", (long long)json_integer_value(json_object_get(row, "person_times"))),
            fmt_hours(r, json_integer_value(json_object_get(row, "minutes")))};
        if (y > BOTTOM - 10) {
            rx_pdf_page(p);
            y = 20;
        }
        y += table_row(p, y, cx, cw, 3, cells, SERIF " 10.5");
    }
    const char *total[3] = {"合计", rx_arena_printf(&r->arena, "%lld", (long long)k->person_times),
                            fmt_hours(r, k->minutes)};
    y += table_row(p, y, cx, cw, 3, total, SANS " Bold 10.5");

    json_t *items = json_object_get(content, "items");
    if (json_array_size(items) > 0) {
        static const double ix[4] = {0, 28, 63, 135}, iw[4] = {28, 35, 72, 25};
        const char *ihead[4] = {"日期", "类别", "内容", "时长（小时）"};
        y += 6;
        rx_pdf_text(p, LEFT, y, WIDTH, SANS " Bold 11", RX_PDF_LEFT, "服务明细");
        y += 8;
        rx_pdf_line(p, LEFT, y, LEFT + WIDTH, y, 0.4);
        y += table_row(p, y, ix, iw, 4, ihead, SANS " Bold 9.5");
        json_array_foreach(items, i, row) {
            const char *cells[4] = {jstr(row, "date", ""), jstr(row, "category", ""),
                                    jstr(row, "title", ""),
                                    fmt_hours(r, json_integer_value(json_object_get(row, "minutes")))};
            if (y > BOTTOM - 10) {
                rx_pdf_page(p);
                y = 20;
            }
            y += table_row(p, y, ix, iw, 4, cells, SERIF " 9.5");
        }
        json_int_t omitted = json_integer_value(json_object_get(content, "items_omitted"));
        if (omitted > 0) {
            y += 2;
            y += rx_pdf_text(p, LEFT, y, WIDTH, SERIF " 9.5", RX_PDF_LEFT,
                             rx_arena_printf(&r->arena, "另有 %lld 条记录未逐条列出，已计入上表合计。",
                                             (long long)omitted));
        }
    }
    /* The signing block and the QR code need about 75 mm. */
    if (y > BOTTOM - 75) {
        rx_pdf_page(p);
        y = 20;
    }
    y += 8;
    rx_pdf_text(p, LEFT + 8, y, WIDTH, SERIF " 12", RX_PDF_LEFT, "特此证明。");
    y += 14;
    double sy = y;
    const char *lines[4] = {
        rx_arena_printf(&r->arena, "出具单位：%s", issuer),
        rx_arena_printf(&r->arena, "负责人：%s", k->person_in_charge ? k->person_in_charge : ""),
        rx_arena_printf(&r->arena, "经办人：%s", k->handler ? k->handler : ""),
        rx_arena_printf(&r->arena, "出具日期：%s", k->issued_on ? k->issued_on : "")};
    for (int j = 0; j < 4; j++) y += rx_pdf_text(p, LEFT + 70, y, WIDTH - 70, SERIF " 12", RX_PDF_LEFT, lines[j]) + 3;
    const char *url = verify_url(r, k->number);
    rx_pdf_qr(p, LEFT, sy - 4, 38, url);
    y = (y > sy + 38 ? y : sy + 38) + 4;
    rx_pdf_text(p, LEFT, y, WIDTH, SANS " 8", RX_PDF_LEFT,
                rx_arena_printf(&r->arena, "扫描二维码或访问以下网址核验本证明：%s", url));
    if (strcmp(k->status, "revoked") == 0)
        rx_pdf_text(p, LEFT, 12, WIDTH, SANS " Bold 12", RX_PDF_CENTER,
                    rx_arena_printf(&r->arena, "本证明已撤销（%s）", k->revoke_reason ? k->revoke_reason : ""));
    return rx_pdf_end(p);
}

void rx_api_cert_pdf(struct rx_req *r)
{
    struct cert k;
    if (!cert_load(r, &k, 0)) return;
    if (!k.number || !k.content) {
        rx_problem(r, 409, "certificate_not_issued", NULL);
        return;
    }
    json_t *content = json_loads(k.content, 0, NULL);
    if (!content) {
        rx_problem(r, 500, "internal_error", "certificate content unreadable");
        return;
    }
    rx_buf_reset(&r->out);
    struct rx_buf pdf;
    rx_buf_init(&pdf, PDF_CAP);
    int rc = draw_certificate(r, &k, content, &pdf);
    json_decref(content);
    if (rc || pdf.err) {
        rx_buf_free(&pdf);
        rx_problem(r, 500, "internal_error", "PDF rendering failed");
        return;
    }
    rx_buf_free(&r->out);
    r->out = pdf; /* the buffer moves to the answer */
    r->status = 200;
    r->content_type = "application/pdf";
    r->content_disposition =
        rx_arena_printf(&r->arena, "inline; filename=\"certificate-%s.pdf\"", k.number);
    r->next = NULL;
}
