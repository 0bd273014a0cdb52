/* party_branches.c: Party organisations, /api/v1/party-branches. A branch (党支部), general
 * branch (党总支) or committee (党委) is attached to a node of the tree and has a secretary.
 * Its current members (party_memberships with until IS NULL, written by api/people.c) are
 * listed with name and volunteer number only: Party membership is personal data. */
#include "api/api.h"
#include "api/authz.h"
#include "api/common.h"
#include "api/input.h"
#include "api/registry_org.h"
#include <string.h>

struct branch {
    int64_t id, org_unit_id, secretary_person_id;
    const char *path, *name, *kind;
};

static int kind_valid(const char *k)
{
    return k && (strcmp(k, "branch") == 0 || strcmp(k, "general_branch") == 0 ||
                 strcmp(k, "committee") == 0);
}

/* Loads a branch the caller can see; answers 404 otherwise (403 when perm is missing). */
static int load_branch(struct rx_req *r, int64_t id, enum rx_perm perm, struct branch *b)
{
    struct rx_cursor c;
    int found = 0;
    memset(b, 0, sizeof *b);
    if (rx_first_row(r, rx_db_query(r->db, Q_ROG_BRANCH_INFO, RX_ARGS(RX_I(id)), &c), &c)) {
        b->id = rx_cursor_int(&c, 0);
        b->org_unit_id = rx_cursor_int(&c, 1);
        b->path = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 2));
        b->name = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 3));
        b->kind = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 4));
        b->secretary_person_id = rx_cursor_isnull(&c, 5) ? 0 : rx_cursor_int(&c, 5);
        found = b->path && b->name && b->kind;
        if (!found) rx_store_problem(r, RX_NOMEM); /* the 404 below will not replace it */
    }
    rx_cursor_close(&c);
    return rx_authz_visible(r, perm, found ? b->path : NULL);
}

int rog_branch_path(struct rx_req *r, int64_t id, enum rx_perm perm, const char **path)
{
    struct branch b;
    if (!load_branch(r, id, perm, &b)) return 0;
    *path = b.path;
    return 1;
}

static const char *branch_location(struct rx_req *r, int64_t id)
{
    return rx_arena_printf(&r->arena, "/api/v1/party-branches/%lld", (long long)id);
}

void rx_api_branch_list(struct rx_req *r)
{
    int limit = rx_list_limit(r);
    int64_t cursor = rx_list_cursor(r);
    int64_t org = rx_query_int(r, "org_unit_id", 0, 1, INT64_MAX);
    const char *kind = rx_query(r, "kind");
    if (kind && !kind_valid(kind)) rx_field_error(r, "kind", "invalid");
    const char *q = rog_query_search(r);
    if (rx_fail_if_field_errors(r)) return;
    struct rog_org o;
    if (org && !rog_org_load(r, org, RX_PERM_READ_ORG, &o)) return;
    rx_list_query(r, Q_ROG_BRANCH_LIST,
                  RX_ARGS(RX_I(r->auth.user_id), RX_T(rog_roles_with(r, RX_PERM_READ_ORG)),
                          RX_T(org ? o.path : NULL), RX_T(kind), RX_T(q), RX_I(cursor),
                          RX_I(limit)),
                  limit);
}

void rx_api_branch_get(struct rx_req *r)
{
    int64_t id = rx_param_id(r, 0);
    struct branch b;
    if (!id || !load_branch(r, id, RX_PERM_READ_ORG, &b)) return;
    rog_reply_row(r, Q_ROG_BRANCH_GET, id, 0, NULL);
}

/* The node a branch is (re)attached to: visible, and the caller manages it. */
static int target_org(struct rx_req *r, int64_t org_id, struct rog_org *o)
{
    return rog_org_ref(r, "org_unit_id", org_id, RX_PERM_MANAGE_ORG, o) &&
           rx_authz_path(r, RX_PERM_MANAGE_ORG, o->path);
}

static int name_taken(struct rx_req *r, int64_t org, const char *name, int64_t self)
{
    return rog_taken(r, Q_ROG_BRANCH_NAME_OWNER, RX_ARGS(RX_I(org), RX_T(name), RX_I(self)),
                     "name");
}

/* Reads the body of a create (every field but the secretary required; b all zero) or an
 * update (absent fields keep b's values) into b and checks the result: a node the caller
 * manages, a secretary the caller may read, a name free at the node. Answers and returns 0
 * on a problem. */
static int read_branch(struct rx_req *r, struct branch *b, int create)
{
    static const char *const known[] = {"org_unit_id", "kind", "name", "secretary_person_id", NULL};
    int has_org = rx_in_has(r, "org_unit_id");
    int64_t org_id =
        rx_in_int(r, "org_unit_id", create || has_org, 1, INT64_MAX, b->org_unit_id, NULL);
    int has_kind = rx_in_has(r, "kind");
    const char *kind = rx_in_str(r, "kind", create || has_kind, 32);
    int has_name = rx_in_has(r, "name");
    const char *name = rx_in_str(r, "name", create || has_name, 100);
    int has_sec;
    int64_t sec = rog_in_ref(r, "secretary_person_id", &has_sec);
    rx_in_only(r, known);
    if (kind && !kind_valid(kind)) rx_field_error(r, "kind", "invalid");
    if (rx_fail_if_field_errors(r)) return 0;
    /* from here every field a create requires is present */
    struct rog_org o;
    if (has_org && org_id != b->org_unit_id && !target_org(r, org_id, &o)) return 0;
    if (has_sec && sec && sec != b->secretary_person_id &&
        !rog_person_ok(r, "secretary_person_id", sec, NULL)) {
        rx_fail_if_field_errors(r);
        return 0;
    }
    b->org_unit_id = org_id;
    if (has_kind) b->kind = kind;
    if (has_name) b->name = name;
    if (has_sec) b->secretary_person_id = sec;
    return !name_taken(r, b->org_unit_id, b->name, b->id);
}

void rx_api_branch_create(struct rx_req *r)
{
    struct branch b = {0};
    if (!rx_in_object(r) || !read_branch(r, &b, 1)) return;
    int64_t sec = b.secretary_person_id, id = 0;
    int rc = rx_db_exec(r->db, Q_ROG_BRANCH_INSERT,
                        RX_ARGS(RX_I(b.org_unit_id), RX_T(b.kind), RX_T(b.name),
                                sec ? RX_I(sec) : RX_NUL, RX_I(r->now)),
                        NULL, &id);
    rog_write_reply(r, rc, Q_ROG_BRANCH_GET, id, 0, "create", "party_branch", NULL,
                    branch_location(r, id));
}

void rx_api_branch_update(struct rx_req *r)
{
    int64_t id = rx_param_id(r, 0);
    struct branch b;
    if (!id || !rx_in_object(r) || !load_branch(r, id, RX_PERM_MANAGE_ORG, &b) ||
        !read_branch(r, &b, 0))
        return;
    int64_t sec = b.secretary_person_id;
    int rc;
    const char *before = rog_row(r, Q_ROG_BRANCH_GET, id, &rc);
    if (!rc)
        rc = rx_db_exec(r->db, Q_ROG_BRANCH_UPDATE,
                        RX_ARGS(RX_I(id), RX_I(b.org_unit_id), RX_T(b.kind), RX_T(b.name),
                                sec ? RX_I(sec) : RX_NUL, RX_I(r->now)),
                        NULL, NULL);
    rog_write_reply(r, rc, Q_ROG_BRANCH_GET, id, 0, "update", "party_branch", before, NULL);
}

void rx_api_branch_delete(struct rx_req *r)
{
    int64_t id = rx_param_id(r, 0);
    struct branch b;
    if (!id || !load_branch(r, id, RX_PERM_MANAGE_ORG, &b)) return;
    struct rog_dep deps[] = {{"party_members", 0}, {"teams", 0}};
    if (rog_deps_check(r, Q_ROG_BRANCH_DEPENDENTS, id, deps, 2)) return;
    rog_delete_reply(r, Q_ROG_BRANCH_GET, Q_ROG_BRANCH_DELETE, "party_branch", id);
}

void rx_api_branch_members(struct rx_req *r)
{
    int64_t id = rx_param_id(r, 0);
    struct branch b;
    if (!id || !load_branch(r, id, RX_PERM_READ_PEOPLE, &b)) return;
    int limit = rx_list_limit(r);
    int64_t cursor = rx_list_cursor(r);
    if (rx_fail_if_field_errors(r)) return;
    rx_list_query(r, Q_ROG_BRANCH_MEMBERS, RX_ARGS(RX_I(id), RX_I(cursor), RX_I(limit)), limit);
}
