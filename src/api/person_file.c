/* person_file.c: the volunteer's other records the 志愿服务条例 (Art. 19) names besides
 * service: training attended, awards, evaluations, and complaints against the volunteer.
 * Each entry has a date, an issuer and a text. The person sees their own file; staff with
 * RX_PERM_READ_PEOPLE over the person's community see it. Staff who manage people or lead
 * activities there add training, awards and evaluations; complaints only those who manage
 * people. A training activity that was held enters its attendees' training records by itself
 * (activities.c, finish). */
#include "api/activity.h"
#include "api/api.h"
#include "api/authz.h"
#include "api/common.h"
#include "api/input.h"
#include "lib/timefmt.h"
#include <string.h>

static const struct rx_col file_cols[] = {
    {"id", RX_COL_INT},          {"person_id", RX_COL_INT},   {"kind", RX_COL_TEXT},
    {"date", RX_COL_TEXT},       {"issuer", RX_COL_TEXT},     {"text", RX_COL_TEXT},
    {"activity_id", RX_COL_INT}, {"org_unit_id", RX_COL_INT}, {"created_by", RX_COL_INT},
    {"created_at", RX_COL_TIME},
};
#define FILE_NCOLS ((int)(sizeof file_cols / sizeof file_cols[0]))

/* The person of path parameter 0 and their community's path; 404 when out of sight. */
static int person_in_sight(struct rx_req *r, int64_t *pid, const char **path)
{
    *pid = rx_param_id(r, 0);
    if (!*pid) return 0;
    struct rx_cursor c;
    int found = 0;
    *path = NULL;
    if (rx_first_row(r, rx_db_query(r->db, Q_PERSON_FACTS, RX_ARGS(RX_I(*pid)), &c), &c)) {
        found = 1;
        const char *s = rx_cursor_text(&c, 4);
        *path = s ? rx_arena_strdup(&r->arena, s) : NULL;
    }
    rx_cursor_close(&c);
    if (found &&
        ((r->auth.person_id && r->auth.person_id == *pid) || rx_can(r, RX_PERM_READ_PEOPLE, *path)))
        return 1;
    rx_problem(r, 404, "not_found", NULL);
    return 0;
}

static void list_kind(struct rx_req *r, const char *kind)
{
    int64_t pid;
    const char *path;
    if (!person_in_sight(r, &pid, &path)) return;
    rx_act_list_reply(r, Q_FILE_LIST, RX_ARGS(RX_I(pid), RX_T(kind)), file_cols, FILE_NCOLS);
}

static void create_kind(struct rx_req *r, const char *kind)
{
    int64_t pid;
    const char *path;
    if (!person_in_sight(r, &pid, &path)) return;
    if (!rx_in_object(r)) return;
    static const char *const known[] = {"date", "issuer", "text", "org_unit_id", NULL};
    char date[RX_TIMEFMT_DATE_SIZE] = "";
    rx_act_in_date(r, r->json, "date", "date", 1, date);
    const char *issuer = rx_in_str(r, "issuer", 1, 200);
    const char *text = rx_in_str(r, "text", 1, 4000);
    int64_t org = rx_in_int(r, "org_unit_id", 0, 1, INT64_MAX, 0, NULL);
    rx_in_only(r, known);
    if (rx_fail_if_field_errors(r)) return;
    int complaint = strcmp(kind, "complaint") == 0;
    if (!rx_can(r, RX_PERM_MANAGE_PEOPLE, path) &&
        (complaint || !rx_can(r, RX_PERM_LEAD_ACTIVITIES, path))) {
        rx_problem(r, 403, "forbidden", NULL);
        return;
    }
    if (org) {
        const char *opath = rx_org_path(r, org);
        if (!opath || !rx_can(r, RX_PERM_READ_ORG, opath)) {
            rx_field_error(r, "org_unit_id", "not_found_ref");
            rx_fail_if_field_errors(r);
            return;
        }
    }
    int64_t id = 0;
    int rc = rx_db_exec(r->db, Q_FILE_INSERT,
                        RX_ARGS(RX_I(pid), RX_T(kind), RX_T(date), RX_T(issuer), RX_T(text),
                                org ? RX_I(org) : RX_NUL, RX_I(r->auth.user_id), RX_I(r->now)),
                        NULL, &id);
    if (!rc)
        rc = rx_audit(r, "create", "person_file_entry", id,
                      rx_arena_printf(&r->arena, "{\"kind\":\"%s\"}", kind));
    struct rx_json *w = rx_json_begin(r);
    if (!rc) rc = rx_act_json_row(r->db, Q_FILE_GET, RX_ARGS(RX_I(id)), w, file_cols, FILE_NCOLS);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    static const struct {
        const char *kind, *seg;
    } segs[] = {{"training", "training"},
                {"award", "awards"},
                {"evaluation", "evaluations"},
                {"complaint", "complaints"}};
    const char *seg = "training";
    for (size_t i = 0; i < sizeof segs / sizeof segs[0]; i++)
        if (strcmp(segs[i].kind, kind) == 0) seg = segs[i].seg;
    rx_reply_created(r, rx_arena_printf(&r->arena, "/api/v1/people/%lld/%s", (long long)pid, seg));
}

void rx_api_training_list(struct rx_req *r)
{
    list_kind(r, "training");
}
void rx_api_training_create(struct rx_req *r)
{
    create_kind(r, "training");
}
void rx_api_awards_list(struct rx_req *r)
{
    list_kind(r, "award");
}
void rx_api_awards_create(struct rx_req *r)
{
    create_kind(r, "award");
}
void rx_api_evaluations_list(struct rx_req *r)
{
    list_kind(r, "evaluation");
}
void rx_api_evaluations_create(struct rx_req *r)
{
    create_kind(r, "evaluation");
}
void rx_api_complaints_list(struct rx_req *r)
{
    list_kind(r, "complaint");
}
void rx_api_complaints_create(struct rx_req *r)
{
    create_kind(r, "complaint");
}
