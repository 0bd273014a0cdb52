/* org_units.c: the organisation tree, /api/v1/org-units.
 *
 * A node has a kind (city > district > street > community > venue; domain/orgtree.c), a
 * name, an optional unique 12-digit statistical code, and a materialised path ('/1/5/9/')
 * that subtree queries and scope checks use. Moving a node rewrites the path of its whole
 * subtree and the district (distribution key) of everything under it, in the one write
 * step, so nobody sees half a move. */
#include "api/api.h"
#include "api/authz.h"
#include "api/input.h"
#include "api/registry_org.h"
#include "domain/orgtree.h"
#include <stdio.h>
#include <string.h>

#define MAX_SUBTREE 10000 /* nodes in one subtree answer */

static const char *org_location(struct rx_req *r, int64_t id)
{
    return rx_arena_printf(&r->arena, "/api/v1/org-units/%lld", (long long)id);
}

/* MANAGE_ORG over the node's parent (over the node itself for a root). */
static int can_manage_node(struct rx_req *r, const struct rog_org *o)
{
    if (rx_can(r, RX_PERM_MANAGE_ORG, o->parent_id ? rog_parent_path(r, o->path) : o->path))
        return 1;
    rx_problem(r, 403, "forbidden", NULL);
    return 0;
}

static void write_list(struct rx_req *r, int64_t parent)
{
    int limit = rx_list_limit(r);
    int64_t cursor = rx_list_cursor(r);
    const char *kind = rx_query(r, "kind");
    if (kind && !rx_orgtree_kind_valid(kind)) rx_field_error(r, "kind", "invalid");
    const char *q = rog_query_search(r);
    if (rx_fail_if_field_errors(r)) return;
    rx_list_query(r, Q_ROG_ORG_LIST,
                  RX_ARGS(RX_I(r->auth.user_id), RX_T(rog_roles_with(r, RX_PERM_READ_ORG)),
                          parent ? RX_I(parent) : RX_NUL, RX_T(kind), RX_T(q), RX_I(cursor),
                          RX_I(limit)),
                  limit);
}

void rx_api_org_list(struct rx_req *r)
{
    int64_t parent = rx_query_int(r, "parent_id", 0, 1, INT64_MAX);
    write_list(r, parent);
}

void rx_api_org_children(struct rx_req *r)
{
    int64_t id = rx_param_id(r, 0);
    struct rog_org o;
    if (!id || !rog_org_load(r, id, RX_PERM_READ_ORG, &o)) return;
    write_list(r, id);
}

void rx_api_org_get(struct rx_req *r)
{
    int64_t id = rx_param_id(r, 0);
    struct rog_org o;
    if (!id || !rog_org_load(r, id, RX_PERM_READ_ORG, &o)) return;
    rog_reply_row(r, Q_ROG_ORG_GET, id, 0, NULL);
}

/* Reads and checks `code` (absent: *present = 0; null: clear). 1 when usable. */
static const char *read_code(struct rx_req *r, int *present)
{
    *present = rx_in_has(r, "code");
    const char *code = rx_in_str(r, "code", 0, 12);
    if (code && !rx_orgtree_code_valid(code)) {
        rx_field_error(r, "code", "invalid_org_code");
        return NULL;
    }
    return code;
}

static int code_taken(struct rx_req *r, const char *code, int64_t self)
{
    return code && rog_taken(r, Q_ROG_ORG_CODE_OWNER, RX_ARGS(RX_T(code), RX_I(self)), "code");
}

static int blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n') return 0;
    return 1;
}

void rx_api_org_create(struct rx_req *r)
{
    if (!rx_in_object(r)) return;
    static const char *const known[] = {"parent_id", "kind", "name", "code", NULL};
    int64_t parent_id = rx_in_int(r, "parent_id", 1, 1, INT64_MAX, 0, NULL);
    const char *kind = rx_in_str(r, "kind", 1, 16);
    const char *name = rx_in_str(r, "name", 1, 100);
    int has_code;
    const char *code = read_code(r, &has_code);
    rx_in_only(r, known);
    if (kind && !rx_orgtree_kind_valid(kind)) rx_field_error(r, "kind", "invalid");
    if (name && blank(name)) rx_field_error(r, "name", "required");
    if (rx_fail_if_field_errors(r)) return;

    struct rog_org parent;
    if (!rog_org_ref(r, "parent_id", parent_id, RX_PERM_MANAGE_ORG, &parent) ||
        !rx_authz_path(r, RX_PERM_MANAGE_ORG, parent.path))
        return;
    if (!rx_orgtree_child_allowed(parent.kind, kind)) {
        rx_field_error_detail(r, "kind", "kind_not_allowed", parent.kind);
        rx_fail_if_field_errors(r);
        return;
    }
    if (code_taken(r, code, 0)) return;

    int64_t id = 0;
    int rc = rx_db_exec(r->db, Q_ORG_INSERT,
                        RX_ARGS(RX_I(parent_id), RX_T(kind), RX_T(name), RX_T(code), RX_I(r->now)),
                        NULL, &id);
    if (!rc) rc = rx_db_exec(r->db, Q_ORG_SET_PATH, RX_ARGS(RX_I(id)), NULL, NULL);
    rog_write_reply(r, rc, Q_ROG_ORG_GET, id, 0, "create", "org_unit", NULL, org_location(r, id));
}

/* Moves node o under new_parent: path of the whole subtree, then the district of
 * everything in it and the street of its activities (unless o is a district, whose subtree
 * keeps o as its district and its streets). */
static int move_node(struct rx_req *r, const struct rog_org *o, const struct rog_org *np)
{
    const char *new_path = rx_arena_printf(&r->arena, "%s%lld/", np->path, (long long)o->id);
    if (!new_path) return RX_NOMEM;
    int rc = rx_db_exec(r->db, Q_ROG_ORG_SET_PARENT,
                        RX_ARGS(RX_I(o->id), RX_I(np->id), RX_I(r->now)), NULL, NULL);
    if (!rc)
        rc =
            rx_db_exec(r->db, Q_ROG_ORG_REPATH, RX_ARGS(RX_T(o->path), RX_T(new_path)), NULL, NULL);
    if (rc || strcmp(o->kind, "district") == 0) return rc;
    struct rx_val d = np->district_id ? RX_I(np->district_id) : RX_NUL;
    /* Every table with a district_id: a module that adds one adds its statement here. */
    static const enum rx_query redistrict[] = {Q_ROG_ORG_SUBTREE_DISTRICT,
                                               Q_ROG_TEAMS_DISTRICT,
                                               Q_ROG_BRANCHES_DISTRICT,
                                               Q_ROG_PEOPLE_DISTRICT,
                                               Q_ROG_VOLUNTEERS_DISTRICT,
                                               Q_ROG_TEAM_MEMBERS_DISTRICT,
                                               Q_ACT_SERIES_DISTRICT,
                                               Q_ACT_ACTIVITIES_DISTRICT,
                                               Q_ACT_SIGNUPS_DISTRICT,
                                               Q_ACT_ATTENDANCE_DISTRICT,
                                               Q_REC_DISTRICT,
                                               Q_CORR_DISTRICT,
                                               Q_FILE_DISTRICT,
                                               Q_CERT_DISTRICT,
                                               Q_HELP_DISTRICT,
                                               Q_HELP_EVENTS_DISTRICT};
    for (size_t i = 0; !rc && i < sizeof redistrict / sizeof redistrict[0]; i++)
        rc = rx_db_exec(r->db, redistrict[i], RX_ARGS(RX_T(new_path), d), NULL, NULL);
    /* and activities their street, for the lists (0010) */
    if (!rc) rc = rx_db_exec(r->db, Q_ACT_SUBTREE_STREET, RX_ARGS(RX_T(new_path)), NULL, NULL);
    return rc;
}

void rx_api_org_update(struct rx_req *r)
{
    int64_t id = rx_param_id(r, 0);
    struct rog_org o;
    if (!id || !rx_in_object(r) || !rog_org_load(r, id, RX_PERM_READ_ORG, &o)) return;
    static const char *const known[] = {"name", "code", "parent_id", NULL};
    int has_name = rx_in_has(r, "name");
    const char *name = rx_in_str(r, "name", has_name, 100);
    int has_code;
    const char *code = read_code(r, &has_code);
    int has_parent = rx_in_has(r, "parent_id");
    int64_t parent_id = rx_in_int(r, "parent_id", has_parent, 1, INT64_MAX, 0, NULL);
    rx_in_only(r, known);
    if (name && blank(name)) rx_field_error(r, "name", "required");
    if (rx_fail_if_field_errors(r)) return;
    if (!can_manage_node(r, &o)) return;

    struct rog_org np;
    int moving = has_parent && parent_id != o.parent_id;
    if (moving) {
        if (!rog_org_ref(r, "parent_id", parent_id, RX_PERM_MANAGE_ORG, &np)) return;
        if (strncmp(np.path, o.path, strlen(o.path)) == 0) {
            rx_field_error(r, "parent_id", "org_cycle");
            rx_problem(r, 409, "conflict", NULL);
            return;
        }
        if (!rx_authz_path(r, RX_PERM_MANAGE_ORG, np.path)) return;
        if (!rx_orgtree_child_allowed(np.kind, o.kind)) {
            rx_field_error_detail(r, "parent_id", "kind_not_allowed", np.kind);
            rx_fail_if_field_errors(r);
            return;
        }
    }
    if (has_code && code_taken(r, code, id)) return;

    int rc;
    const char *before = rog_row(r, Q_ROG_ORG_GET, id, &rc);
    if (!rc)
        rc = rx_db_exec(r->db, Q_ROG_ORG_UPDATE,
                        RX_ARGS(RX_I(id), RX_T(has_name ? name : o.name),
                                RX_T(has_code ? code : o.code), RX_I(r->now)),
                        NULL, NULL);
    if (!rc && moving) rc = move_node(r, &o, &np);
    rog_write_reply(r, rc, Q_ROG_ORG_GET, id, 0, moving ? "move" : "update", "org_unit", before,
                    NULL);
}

void rx_api_org_delete(struct rx_req *r)
{
    int64_t id = rx_param_id(r, 0);
    struct rog_org o;
    if (!id || !rog_org_load(r, id, RX_PERM_READ_ORG, &o) || !can_manage_node(r, &o)) return;
    struct rog_dep deps[] = {{"children", 0},   {"people", 0}, {"teams", 0},     {"branches", 0},
                             {"volunteers", 0}, {"grants", 0}, {"categories", 0}};
    if (rog_deps_check(r, Q_ROG_ORG_DEPENDENTS, id, deps, 7)) return;
    rog_delete_reply(r, Q_ROG_ORG_GET, Q_ROG_ORG_DELETE, "org_unit", id);
}

/* Writes one node's fields (columns of Q_ROG_ORG_SUBTREE); the caller opens the object. */
static void node_fields(struct rx_json *w, struct rx_cursor *c, int with_parent)
{
    rx_json_kint(w, "id", rx_cursor_int(c, 0));
    if (with_parent) {
        if (rx_cursor_isnull(c, 1))
            rx_json_knull(w, "parent_id");
        else
            rx_json_kint(w, "parent_id", rx_cursor_int(c, 1));
    }
    rx_json_kstr(w, "kind", rx_cursor_text(c, 2));
    rx_json_kstr(w, "name", rx_cursor_text(c, 3));
    rx_json_kstr(w, "code", rx_cursor_isnull(c, 4) ? NULL : rx_cursor_text(c, 4));
    if (rx_cursor_isnull(c, 5))
        rx_json_knull(w, "district_id");
    else
        rx_json_kint(w, "district_id", rx_cursor_int(c, 5));
    rx_json_kint(w, "depth", rx_cursor_int(c, 6));
}

void rx_api_org_subtree(struct rx_req *r)
{
    int64_t id = rx_param_id(r, 0);
    struct rog_org o;
    if (!id || !rog_org_load(r, id, RX_PERM_READ_ORG, &o)) return;
    const char *format = rx_query(r, "format");
    int flat = format && strcmp(format, "flat") == 0;
    if (format && !flat && strcmp(format, "nested") != 0) rx_field_error(r, "format", "invalid");
    int has_depth = rx_query(r, "max_depth") != NULL;
    int64_t max_depth = rx_query_int(r, "max_depth", 0, 0, 16);
    if (rx_fail_if_field_errors(r)) return;
    int root_slashes = rx_orgtree_path_depth(o.path) + 1;

    struct rx_json *w = rx_json_begin(r);
    struct rx_cursor c;
    int rc = rx_db_query(r->db, Q_ROG_ORG_SUBTREE,
                         RX_ARGS(RX_T(o.path), RX_I(root_slashes),
                                 has_depth ? RX_I(max_depth) : RX_NUL, RX_I(MAX_SUBTREE + 1)),
                         &c);
    int n = 0, got = 0;
    int open = 0; /* nested: objects still open, each with its "children" array */
    int64_t depth_of[24];
    if (flat) {
        rx_json_obj(w);
        rx_json_key(w, "items");
        rx_json_arr(w);
    }
    while (!rc && (got = rx_cursor_next(&c)) == 1 && ++n <= MAX_SUBTREE) {
        if (flat) {
            rx_json_obj(w);
            node_fields(w, &c, 1);
            rx_json_end(w);
            continue;
        }
        /* pre-order: close every open node at this depth or deeper, then open this one */
        int64_t d = rx_cursor_int(&c, 6);
        while (open > 0 && depth_of[open - 1] >= d) {
            rx_json_end(w); /* children */
            rx_json_end(w); /* node */
            open--;
        }
        if (open >= 24) continue; /* cannot happen: a tree has at most 5 levels */
        if (open > 0 || n == 1) {
            rx_json_obj(w);
            node_fields(w, &c, n == 1);
            rx_json_key(w, "children");
            rx_json_arr(w);
            depth_of[open++] = d;
        }
    }
    rx_cursor_close(&c);
    if (!rc && got < 0) rc = -got;
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    if (n > MAX_SUBTREE) {
        rx_field_error(r, "max_depth", "subtree_too_large");
        rx_problem(r, 400, "validation_failed", NULL);
        return;
    }
    if (flat) {
        rx_json_end(w);
        rx_json_end(w);
    } else {
        while (open-- > 0) {
            rx_json_end(w);
            rx_json_end(w);
        }
    }
    rx_reply(r, 200);
}
