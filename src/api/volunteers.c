/* volunteers.c: registering a person as a volunteer, and reading volunteers.
 *
 * A registration gets a platform number (志愿者编号), never derived from the ID number:
 * "ZZ", the first six digits of the district's statistical code (or "9" and the district's
 * id on five digits when the district has no code), and a seven-digit sequence per prefix,
 * e.g. ZZ4101050000001. The writer is the only writer, so "highest number + 1" is safe, and
 * the UNIQUE index on volunteer_no is the backstop.
 *
 * Under 18 on the registration date (from the birth date on record) needs a guardian — another
 * adult person the caller can see — and the date of the guardian's consent, on or before the
 * registration date (志愿服务条例 Art. 14; PIPL Art. 31). The database trigger of migration
 * 0004 enforces the same rule. */
#include "api/api.h"
#include "api/authz.h"
#include "api/common.h"
#include "api/input.h"
#include "api/people.h"
#include "domain/person.h"
#include <stdio.h>
#include <string.h>

#define SEQ_DIGITS 7

/* Reads an optional "YYYY-MM-DD" field. 1 when *out holds a date (from the body, or def when
 * the field is absent or null); 0 otherwise, with a field error when the value is bad. */
static int date_in(struct rx_req *r, const char *field, const struct rx_date *def,
                   struct rx_date *out)
{
    json_t *v = r->json ? json_object_get(r->json, field) : NULL;
    if (!v || json_is_null(v)) {
        if (def) *out = *def;
        return def != NULL;
    }
    return rx_in_date(r, field, 0, 10, out) != NULL;
}

static int next_volunteer_no(struct rx_req *r, int64_t org_id, char *out, size_t outsz)
{
    struct rx_cursor c;
    int64_t district = 0;
    char code[16] = "";
    int rc = rx_db_query(r->db, Q_RP_ORG_INFO, RX_ARGS(RX_I(org_id)), &c);
    if (!rc && rx_cursor_next(&c) == 1) {
        district = rx_cursor_int(&c, 4);
        const char *dc = rx_cursor_text(&c, 5);
        if (dc && strlen(dc) >= 6) snprintf(code, sizeof code, "%.6s", dc);
    }
    rx_cursor_close(&c);
    if (rc) return rc;
    if (!code[0]) snprintf(code, sizeof code, "9%05lld", (long long)(district % 100000));
    char prefix[32], upper[32];
    snprintf(prefix, sizeof prefix, "ZZ%s", code);
    snprintf(upper, sizeof upper, "ZZ%s:", code);
    long long seq = 0;
    rc = rx_db_query(r->db, Q_RP_VOLUNTEER_MAX_NO, RX_ARGS(RX_T(prefix), RX_T(upper)), &c);
    if (!rc && rx_cursor_next(&c) == 1) {
        const char *max = rx_cursor_text(&c, 0);
        if (max && strlen(max) == strlen(prefix) + SEQ_DIGITS) {
            for (const char *p = max + strlen(prefix); *p; p++)
                seq = seq * 10 + (*p - '0');
        }
    }
    rx_cursor_close(&c);
    if (rc) return rc;
    if (seq + 1 >= 10000000LL) return RX_CONSTRAINT; /* ten million volunteers in one district */
    int n = snprintf(out, outsz, "%s%0*lld", prefix, SEQ_DIGITS, seq + 1);
    return n > 0 && (size_t)n < outsz ? RX_OK : RX_ERROR;
}

static void reply_volunteer(struct rx_req *r, int64_t vid, int created)
{
    struct rx_json *w = rx_json_begin(r);
    int rc = rx_db_json_row(r->db, Q_RP_VOLUNTEER_GET, RX_ARGS(RX_I(vid)), w);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    if (created)
        rx_reply_created(r, rx_arena_printf(&r->arena, "/api/v1/volunteers/%lld", (long long)vid));
    else
        rx_reply(r, 200);
}

void rx_api_volunteer_register(struct rx_req *r)
{
    int64_t pid = rx_param_id(r, 0);
    if (!pid) return;
    if (r->json && !rx_in_object(r)) return;
    static const char *const known[] = {"org_unit_id", "registered_on", "guardian_person_id",
                                        "guardian_consent_on", NULL};
    struct rx_person_raw p;
    if (!rx_person_load_visible(r, pid, &p) || !rx_authz_path(r, RX_PERM_MANAGE_PEOPLE, p.path))
        return;
    if (p.merged_into) {
        rx_problem(r, 409, "person_merged", NULL);
        return;
    }
    struct rx_date today, reg, consent;
    rx_today(r, &today, NULL);
    int has_org = 0;
    int64_t org = rx_in_int(r, "org_unit_id", 0, 1, INT64_MAX, p.org_unit_id, &has_org);
    int reg_ok = date_in(r, "registered_on", &today, &reg);
    int has_guardian = 0;
    int64_t gid = rx_in_int(r, "guardian_person_id", 0, 1, INT64_MAX, 0, &has_guardian);
    int has_consent = date_in(r, "guardian_consent_on", NULL, &consent);
    rx_in_only(r, known);
    if (reg_ok && rx_timefmt_date_cmp(&reg, &today) > 0) {
        rx_field_error(r, "registered_on", "date_in_future");
        reg_ok = 0;
    }
    if (has_org && org != p.org_unit_id && !rx_authz_org(r, RX_PERM_MANAGE_PEOPLE, org)) return;
    if (!org) rx_field_error(r, "org_unit_id", "required");

    /* Age on the registration date decides whether a guardian is needed. */
    if (!p.birth_date) rx_field_error(r, "birth_date", "birth_date_required");
    if (reg_ok && p.birth_date) {
        struct rx_date birth;
        int age = -1;
        if (!rx_timefmt_date_parse(p.birth_date, strlen(p.birth_date), &birth) &&
            rx_timefmt_age(&birth, &reg, &age) != RX_TIMEFMT_OK)
            rx_field_error(r, "registered_on", "before_birth");
        int minor = age >= 0 && age < 18;
        if (minor) {
            if (!has_guardian) rx_field_error(r, "guardian_person_id", "guardian_required");
            if (!has_consent && !json_object_get(r->json, "guardian_consent_on"))
                rx_field_error(r, "guardian_consent_on", "consent_required");
            if (has_consent && rx_timefmt_date_cmp(&consent, &reg) > 0)
                rx_field_error(r, "guardian_consent_on", "consent_after_registration");
        } else {
            if (has_guardian) rx_field_error(r, "guardian_person_id", "guardian_not_needed");
            if (has_consent) rx_field_error(r, "guardian_consent_on", "guardian_not_needed");
        }
        if (minor && has_guardian) {
            struct rx_person_raw g;
            if (gid == pid) {
                rx_field_error(r, "guardian_person_id", "guardian_self");
            } else if (rx_person_load(r, gid, &g) || !rx_can(r, RX_PERM_READ_PEOPLE, g.path) ||
                       g.merged_into) {
                rx_field_error(r, "guardian_person_id", "not_found_ref");
            } else {
                struct rx_date gb;
                int gage = -1;
                if (g.birth_date && !rx_timefmt_date_parse(g.birth_date, strlen(g.birth_date), &gb))
                    rx_timefmt_age(&gb, &reg, &gage);
                if (gage < 18) rx_field_error(r, "guardian_person_id", "guardian_not_adult");
            }
        }
    }
    if (rx_fail_if_field_errors(r)) return;
    {
        struct rx_cursor c;
        int64_t existing = 0;
        if (rx_first_row(r, rx_db_query(r->db, Q_RP_VOLUNTEER_OF_PERSON, RX_ARGS(RX_I(pid)), &c), &c))
            existing = rx_cursor_int(&c, 0);
        rx_cursor_close(&c);
        if (existing) {
            rx_problem_extra(
                r, 409, "already_volunteer", NULL,
                rx_arena_printf(&r->arena, "\"volunteer_id\":%lld", (long long)existing));
            return;
        }
    }
    char no[48], regs[RX_TIMEFMT_DATE_SIZE], cons[RX_TIMEFMT_DATE_SIZE];
    int rc = next_volunteer_no(r, org, no, sizeof no);
    rx_timefmt_date_format(&reg, regs, sizeof regs);
    if (has_guardian) rx_timefmt_date_format(&consent, cons, sizeof cons);
    int64_t vid = 0;
    if (!rc)
        rc = rx_db_exec(r->db, Q_RP_VOLUNTEER_INSERT,
                        RX_ARGS(RX_I(pid), RX_T(no), RX_I(org), RX_T(regs),
                                has_guardian ? RX_I(gid) : RX_NUL,
                                has_guardian ? RX_T(cons) : RX_NUL, RX_I(r->now)),
                        NULL, &vid);
    if (!rc) {
        char *detail = rx_arena_printf(
            &r->arena,
            "{\"volunteer_id\":%lld,\"volunteer_no\":\"%s\",\"org_unit_id\":%lld,"
            "\"registered_on\":\"%s\",\"guardian_person_id\":%s}",
            (long long)vid, no, (long long)org, regs,
            has_guardian ? rx_arena_printf(&r->arena, "%lld", (long long)gid) : "null");
        rc = rx_audit(r, "register_volunteer", "person", pid, detail);
    }
    if (rc) {
        rx_people_store_problem(r, rc);
        return;
    }
    reply_volunteer(r, vid, 1);
}

void rx_api_volunteer_get(struct rx_req *r)
{
    int64_t vid = rx_param_id(r, 0);
    if (!vid) return;
    struct rx_cursor c;
    const char *path = NULL;
    if (rx_first_row(r, rx_db_query(r->db, Q_RP_VOLUNTEER_PATH, RX_ARGS(RX_I(vid)), &c), &c))
        path = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 0));
    rx_cursor_close(&c);
    if (!path || !rx_can(r, RX_PERM_READ_PEOPLE, path)) {
        rx_problem(r, 404, "not_found", NULL);
        return;
    }
    reply_volunteer(r, vid, 0);
}

void rx_api_volunteers_list(struct rx_req *r)
{
    struct rx_val a[16];
    int limit;
    int64_t cursor;
    if (!rx_people_list_args(r, a, &limit, &cursor)) return;
    for (int i = 10; i < 14; i++)
        a[i] = RX_NUL;
    const char *st = rx_query(r, "status");
    if (st) {
        if (strcmp(st, "active") == 0 || strcmp(st, "inactive") == 0)
            a[10] = RX_T(st);
        else
            rx_field_error(r, "status", "invalid");
    }
    const char *names[2] = {"registered_from", "registered_to"};
    for (int i = 0; i < 2; i++) {
        struct rx_date d;
        if (rx_query_date(r, names[i], &d) > 0) a[11 + i] = RX_T(rx_query(r, names[i]));
    }
    int pm = rx_query_bool(r, "party_member");
    if (pm >= 0) a[13] = RX_I(pm);
    if (rx_fail_if_field_errors(r)) return;
    a[14] = RX_I(cursor ? cursor : INT64_MAX);
    a[15] = RX_I(limit);
    rx_list_query(r, Q_RP_VOLUNTEERS_LIST, a, 16, limit);
}
