/* service_categories.c: /api/v1/service-categories. The national list (志愿服务类别, with
 * the article's sub-categories) is seeded by migration 0002 and the same for everyone; a
 * community adds its own sub-categories under a national top-level category. A local
 * category's name may repeat neither a national name nor another of the community's own. */
#include "api/api.h"
#include "api/authz.h"
#include "api/common.h"
#include "api/input.h"
#include "api/registry_org.h"
#include <string.h>

static int code_valid(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 40 || strncmp(s, "local_", 6) == 0 || strncmp(s, "tmp_", 4) == 0) return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return 0;
    return 1;
}

void rx_api_category_list(struct rx_req *r)
{
    int limit = (int)rx_query_int(r, "limit", 200, 1, 200);
    int64_t cursor = rx_list_cursor(r);
    int64_t org = rx_query_int(r, "org_unit_id", 0, 1, INT64_MAX);
    if (rx_fail_if_field_errors(r)) return;
    struct rog_org o;
    if (org && !rog_org_load(r, org, RX_PERM_READ_ORG, &o)) return;
    rx_list_query(r, Q_ROG_CAT_LIST,
                  RX_ARGS(RX_I(r->auth.user_id), RX_T(rog_roles_with(r, RX_PERM_READ_ORG)),
                          org ? RX_I(org) : RX_NUL, RX_I(cursor), RX_I(limit)),
                  limit);
}

/* National categories are everybody's; a local one exists only for its community's readers. */
static int category_visible(struct rx_req *r, int64_t id, int64_t *parent_id, int64_t *org_id)
{
    struct rx_cursor c;
    int ok = 0;
    if (rx_first_row(r, rx_db_query(r->db, Q_ROG_CAT_INFO, RX_ARGS(RX_I(id)), &c), &c)) {
        *parent_id = rx_cursor_isnull(&c, 1) ? 0 : rx_cursor_int(&c, 1);
        *org_id = rx_cursor_isnull(&c, 2) ? 0 : rx_cursor_int(&c, 2);
        ok = !*org_id || rx_can(r, RX_PERM_READ_ORG, rx_cursor_text(&c, 3));
    }
    rx_cursor_close(&c);
    return ok;
}

void rx_api_category_get(struct rx_req *r)
{
    int64_t id = rx_param_id(r, 0), parent, org;
    if (!id) return;
    if (!category_visible(r, id, &parent, &org)) {
        rx_problem(r, 404, "not_found", NULL);
        return;
    }
    rog_reply_row(r, Q_ROG_CAT_GET, id, 0, NULL);
}

void rx_api_category_create(struct rx_req *r)
{
    if (!rx_in_object(r)) return;
    static const char *const known[] = {"org_unit_id", "parent_id", "name",
                                        "name_en",     "code",      NULL};
    int64_t org_id = rx_in_int(r, "org_unit_id", 1, 1, INT64_MAX, 0, NULL);
    int64_t parent_id = rx_in_int(r, "parent_id", 1, 1, INT64_MAX, 0, NULL);
    const char *name = rx_in_str(r, "name", 1, 40);
    const char *name_en = rx_in_str(r, "name_en", 0, 80);
    const char *code = rx_in_str(r, "code", 0, 40);
    rx_in_only(r, known);
    if (code && !code_valid(code)) rx_field_error(r, "code", "invalid_category_code");
    if (rx_fail_if_field_errors(r)) return;

    struct rog_org o;
    if (!rog_org_ref(r, "org_unit_id", org_id, RX_PERM_MANAGE_ORG, &o) ||
        !rx_authz_path(r, RX_PERM_MANAGE_ORG, o.path))
        return;
    if (strcmp(o.kind, "community") != 0) rx_field_error(r, "org_unit_id", "not_community");
    int64_t pp = 0, porg = 0;
    if (!category_visible(r, parent_id, &pp, &porg))
        rx_field_error(r, "parent_id", "not_found_ref");
    else if (pp || porg)
        rx_field_error(r, "parent_id", "not_national_parent");
    if (rx_fail_if_field_errors(r)) return;

    int64_t other;
    int rc = rx_db_int(r->db, Q_ROG_CAT_NAME_OWNER, RX_ARGS(RX_T(name), RX_I(org_id)), &other);
    if (rc == RX_OK) rx_field_error(r, "name", "taken");
    if (rx_int_checked(r, rc)) return;
    rc = code ? rx_db_int(r->db, Q_ROG_CAT_BY_CODE, RX_ARGS(RX_T(code)), &other) : RX_NOTFOUND;
    if (rc == RX_OK) rx_field_error(r, "code", "taken");
    if (rx_int_checked(r, rc)) return;
    if (r->n_field_errors) {
        rx_problem(r, 409, "conflict", NULL);
        return;
    }
    /* Without a code the row gets a placeholder unique to this request, then local_<id>. */
    const char *tmp =
        code ? code
             : rx_arena_printf(&r->arena, "tmp_%lld_%lld", (long long)r->now, (long long)org_id);
    int64_t id = 0;
    rc = rx_db_exec(
        r->db, Q_ROG_CAT_INSERT,
        RX_ARGS(RX_T(tmp), RX_T(name), RX_T(name_en), RX_I(parent_id), RX_I(org_id), RX_I(r->now)),
        NULL, &id);
    if (!rc && !code)
        rc = rx_db_exec(
            r->db, Q_ROG_CAT_SET_CODE,
            RX_ARGS(RX_I(id), RX_T(rx_arena_printf(&r->arena, "local_%lld", (long long)id))), NULL,
            NULL);
    rog_write_reply(r, rc, Q_ROG_CAT_GET, id, 0, "create", "service_category", NULL,
                    rx_arena_printf(&r->arena, "/api/v1/service-categories/%lld", (long long)id));
}
