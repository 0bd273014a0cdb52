/* party_membership.c: a person's Party membership and its history.
 *
 * PUT /api/v1/people/{id}/party-membership sets the current membership: branch, kind (full =
 * 中共党员, probationary = 中共预备党员), since when, and for in-service members who report to
 * their home community (双报到) the employer unit. A change of branch or kind ends the current
 * period on the day the new one starts (until = since of the new), so the history has no gap
 * and no overlap; the same branch, kind and date only updates the employer unit. The person's
 * political status follows (01 or 02). GET .../party-memberships lists every period, newest
 * first. */
#include "api/api.h"
#include "api/authz.h"
#include "api/common.h"
#include "api/input.h"
#include "api/people.h"
#include "domain/polstatus.h"
#include <string.h>

void rx_api_party_membership_put(struct rx_req *r)
{
    int64_t pid = rx_param_id(r, 0);
    if (!pid || !rx_in_object(r)) return;
    static const char *const known[] = {"branch_id", "kind", "since", "employer_unit", NULL};
    struct rx_person_raw p;
    if (!rx_person_load_visible(r, pid, &p)) return;
    if (!rx_authz_path(r, RX_PERM_MANAGE_PEOPLE, p.path)) return;
    if (p.merged_into) {
        rx_problem(r, 409, "person_merged", NULL);
        return;
    }
    int64_t branch = rx_in_int(r, "branch_id", 1, 1, INT64_MAX, 0, NULL);
    const char *kind = rx_in_str(r, "kind", 1, 16);
    const char *since = rx_in_str(r, "since", 1, 10);
    const char *employer = rx_in_str(r, "employer_unit", 0, 100);
    rx_in_only(r, known);
    if (kind && strcmp(kind, "full") != 0 && strcmp(kind, "probationary") != 0)
        rx_field_error(r, "kind", "invalid");
    struct rx_date d, today;
    rx_today(r, &today, NULL);
    if (since && rx_timefmt_date_parse(since, strlen(since), &d))
        rx_field_error(r, "since", "invalid_date");
    else if (since && rx_timefmt_date_cmp(&d, &today) > 0)
        rx_field_error(r, "since", "date_in_future");
    if (employer && !*employer) employer = NULL;
    if (branch) {
        struct rx_cursor c;
        const char *bpath = NULL;
        if (rx_first_row(r, rx_db_query(r->db, Q_RP_BRANCH_INFO, RX_ARGS(RX_I(branch)), &c), &c))
            bpath = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 2));
        rx_cursor_close(&c);
        if (!bpath || !rx_can(r, RX_PERM_READ_ORG, bpath))
            rx_field_error(r, "branch_id", "not_found_ref");
    }
    /* The current period, if any. */
    struct rx_cursor c;
    int64_t cur_id = 0, cur_branch = 0;
    const char *cur_kind = NULL, *cur_since = NULL;
    if (rx_first_row(r, rx_db_query(r->db, Q_RP_MEMBERSHIP_CURRENT, RX_ARGS(RX_I(pid)), &c), &c)) {
        cur_id = rx_cursor_int(&c, 0);
        cur_branch = rx_cursor_int(&c, 1);
        cur_kind = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 2));
        cur_since = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 3));
    }
    rx_cursor_close(&c);
    if (cur_id && (!cur_kind || !cur_since)) {
        rx_problem(r, 503, "out_of_memory", NULL);
        return;
    }
    if (cur_id && since && cur_since && strcmp(since, cur_since) < 0)
        rx_field_error_detail(r, "since", "since_before_current", cur_since);
    if (rx_fail_if_field_errors(r)) return;
    /* kind and since are set from here: rx_in_str(required) recorded an error when it
     * returned NULL, and we returned above. */
    // NOLINTBEGIN(clang-analyzer-core.NonNullParamChecker)

    int rc = RX_OK;
    int64_t mid = cur_id;
    const char *action = "party_membership_update";
    if (cur_id && cur_branch == branch && strcmp(cur_kind, kind) == 0 &&
        strcmp(cur_since, since) == 0) {
        rc = rx_db_exec(r->db, Q_RP_MEMBERSHIP_SET_EMPLOYER, RX_ARGS(RX_I(cur_id), RX_T(employer)),
                        NULL, NULL);
    } else {
        action = cur_id ? "party_membership_change" : "party_membership_start";
        if (cur_id)
            rc = rx_db_exec(r->db, Q_RP_MEMBERSHIP_CLOSE, RX_ARGS(RX_I(cur_id), RX_T(since)), NULL,
                            NULL);
        if (!rc)
            rc = rx_db_exec(r->db, Q_RP_MEMBERSHIP_INSERT,
                            RX_ARGS(RX_I(pid), RX_I(branch), RX_T(kind), RX_T(since),
                                    RX_T(employer), RX_I(r->now)),
                            NULL, &mid);
    }
    if (!rc)
        rc = rx_db_exec(
            r->db, Q_RP_PERSON_SET_POLSTATUS,
            RX_ARGS(RX_I(pid),
                    RX_T(strcmp(kind, "full") == 0 ? RX_POLSTATUS_CPC : RX_POLSTATUS_PROBATIONARY),
                    RX_I(r->now)),
            NULL, NULL);
    // NOLINTEND(clang-analyzer-core.NonNullParamChecker)
    if (!rc) {
        struct rx_buf b;
        struct rx_json w;
        rx_buf_init(&b, 2048);
        rx_json_init(&w, &b);
        rx_json_obj(&w);
        rx_json_kint(&w, "membership_id", mid);
        rx_json_kint(&w, "branch_id", branch);
        rx_json_kstr(&w, "kind", kind);
        rx_json_kstr(&w, "since", since);
        if (cur_id && mid != cur_id) rx_json_kint(&w, "ended_membership_id", cur_id);
        rx_json_end(&w);
        rc = rx_audit(r, action, "person", pid, b.err ? NULL : b.data);
        rx_buf_free(&b);
    }
    if (rc) {
        rx_people_store_problem(r, rc);
        return;
    }
    struct rx_json *w = rx_json_begin(r);
    rc = rx_db_json_row(r->db, Q_RP_MEMBERSHIP_GET, RX_ARGS(RX_I(mid)), w);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    rx_reply(r, 200);
}

void rx_api_party_memberships_list(struct rx_req *r)
{
    int64_t pid = rx_param_id(r, 0);
    if (!pid) return;
    struct rx_person_raw p;
    if (!rx_person_load_visible(r, pid, &p)) return;
    struct rx_json *w = rx_list_begin(r);
    int rc = rx_db_json_rows(r->db, Q_RP_MEMBERSHIPS_OF_PERSON, RX_ARGS(RX_I(pid)), w, NULL);
    rx_list_reply(r, w, NULL, 0, rc);
}
