/* org_common.c: helpers shared by the registry's org, branch, category and team handlers
 * (see registry_org.h). */
#include "api/registry_org.h"
#include "api/authz.h"
#include "api/common.h"
#include "api/input.h"
#include "lib/timefmt.h"
#include <stdio.h>
#include <string.h>

int rog_org_fetch(struct rx_req *r, int64_t id, struct rog_org *o)
{
    struct rx_cursor c;
    int found = 0;
    memset(o, 0, sizeof *o);
    int rc = rx_db_query(r->db, Q_ROG_ORG_INFO, RX_ARGS(RX_I(id)), &c);
    int k = rc ? -rc : rx_cursor_next(&c);
    if (k == 1) {
        o->id = rx_cursor_int(&c, 0);
        o->parent_id = rx_cursor_isnull(&c, 1) ? 0 : rx_cursor_int(&c, 1);
        o->kind = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 2));
        o->name = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 3));
        o->code =
            rx_cursor_isnull(&c, 4) ? NULL : rx_arena_strdup(&r->arena, rx_cursor_text(&c, 4));
        o->path = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 5));
        o->district_id = rx_cursor_isnull(&c, 6) ? 0 : rx_cursor_int(&c, 6);
        found = o->kind && o->name && o->path;
        if (!found) k = -RX_NOMEM;
    }
    rx_cursor_close(&c);
    if (k < 0) rx_store_problem(r, -k); /* no answer about the node: not a 404 */
    return found;
}

int rog_org_load(struct rx_req *r, int64_t id, enum rx_perm perm, struct rog_org *o)
{
    if (!rog_org_fetch(r, id, o) && r->status) return 0;
    return rx_authz_visible(r, perm, o->path);
}

int rog_org_ref(struct rx_req *r, const char *field, int64_t id, enum rx_perm perm,
                struct rog_org *o)
{
    if (rog_org_fetch(r, id, o) && rx_can_see(r, perm, o->path)) return 1;
    if (r->status) return 0;
    rx_field_error(r, field, "not_found_ref");
    rx_fail_if_field_errors(r);
    return 0;
}

const char *rog_parent_path(struct rx_req *r, const char *path)
{
    size_t n = strlen(path);
    if (n < 2) return path;
    size_t k = n - 1; /* the final '/' */
    while (k > 0 && path[k - 1] != '/')
        k--;
    if (k <= 1) return path; /* '/7/': a root */
    return rx_arena_strndup(&r->arena, path, k);
}

const char *rog_roles_with(struct rx_req *r, enum rx_perm perm)
{
    static const char *const roles[] = {
        "resident",     "volunteer",      "team_leader", "social_worker", "community_admin",
        "street_admin", "district_admin", "city_admin",  "auditor",       NULL};
    char buf[256];
    size_t len = 0;
    buf[len++] = ',';
    for (int i = 0; roles[i]; i++) {
        if (!rx_role_allows(roles[i], perm)) continue;
        int w = snprintf(buf + len, sizeof buf - len, "%s,", roles[i]);
        if (w < 0 || (size_t)w >= sizeof buf - len) break;
        len += (size_t)w;
    }
    buf[len] = 0;
    const char *s = rx_arena_strdup(&r->arena, buf);
    return s ? s : ",";
}

const char *rog_query_search(struct rx_req *r)
{
    const char *q = rx_query(r, "q");
    if (!q || !*q) return NULL;
    size_t n = strlen(q), chars = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)q[i];
        if (c < 0x20 || c == 0x7F) {
            rx_field_error(r, "q", "control_chars");
            return NULL;
        }
        if ((c & 0xC0) != 0x80) chars++;
    }
    if (chars > 100) {
        rx_field_error(r, "q", "too_long");
        return NULL;
    }
    char *e = rx_arena_alloc(&r->arena, 2 * n + 1);
    if (!e) return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (q[i] == '\\' || q[i] == '%' || q[i] == '_') e[k++] = '\\';
        e[k++] = q[i];
    }
    e[k] = 0;
    return e;
}

int rog_date_parse(const char *s, struct rx_date *d)
{
    return s && rx_timefmt_date_parse(s, strlen(s), d) == RX_TIMEFMT_OK ? 0 : -1;
}

void rog_date_format(const struct rx_date *d, char out[11])
{
    if (rx_timefmt_date_format(d, out, RX_TIMEFMT_DATE_SIZE) != RX_TIMEFMT_OK) out[0] = 0;
}

int64_t rog_in_ref(struct rx_req *r, const char *field, int *present)
{
    json_t *v = r->json ? json_object_get(r->json, field) : NULL;
    *present = v != NULL;
    if (!v || json_is_null(v)) return 0;
    return rx_in_int(r, field, 0, 1, INT64_MAX, 0, NULL);
}

int rog_person_ok(struct rx_req *r, const char *field, int64_t person_id, const char **name)
{
    struct rx_cursor c;
    int ok = 0;
    if (rx_first_row(r, rx_db_query(r->db, Q_ROG_PERSON_REF, RX_ARGS(RX_I(person_id)), &c), &c)) {
        const char *path = rx_cursor_text(&c, 2);
        ok = path && rx_can(r, RX_PERM_READ_PEOPLE, path);
        if (ok && name) *name = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 1));
    }
    rx_cursor_close(&c);
    if (!ok) rx_field_error(r, field, "not_found_ref");
    return ok;
}

static const char *row_json(struct rx_req *r, enum rx_query q, const struct rx_val *a, int n,
                            int *rc)
{
    struct rx_buf b;
    struct rx_json w;
    rx_buf_init(&b, 1024 * 1024);
    rx_json_init(&w, &b);
    *rc = rx_db_json_row(r->db, q, a, n, &w);
    const char *s = NULL;
    if (!*rc && (b.err || rx_json_status(&w))) *rc = RX_NOMEM;
    if (!*rc) {
        s = rx_arena_strndup(&r->arena, b.data, b.len);
        if (!s) *rc = RX_NOMEM;
    }
    rx_buf_free(&b);
    return s;
}

const char *rog_row(struct rx_req *r, enum rx_query q, int64_t id, int *rc)
{
    return row_json(r, q, RX_ARGS(RX_I(id)), rc);
}

const char *rog_row2(struct rx_req *r, enum rx_query q, int64_t id, int64_t id2, int *rc)
{
    return row_json(r, q, RX_ARGS(RX_I(id), RX_I(id2)), rc);
}

int rog_audit(struct rx_req *r, const char *action, const char *entity, int64_t id,
              const char *before, const char *after)
{
    const char *detail = rx_arena_printf(&r->arena, "{\"before\":%s,\"after\":%s}",
                                         before ? before : "null", after ? after : "null");
    if (!detail) return RX_NOMEM;
    return rx_audit(r, action, entity, id, detail);
}

/* Answers with JSON text (201 with Location when location is not NULL). */
static void reply_json(struct rx_req *r, int status, const char *json, const char *location)
{
    rx_buf_reset(&r->out);
    rx_buf_puts(&r->out, json);
    if (location)
        rx_reply_created(r, location);
    else
        rx_reply(r, status);
}

void rog_reply_row(struct rx_req *r, enum rx_query q, int64_t id, int64_t id2, const char *location)
{
    int rc;
    const char *row = id2 ? rog_row2(r, q, id, id2, &rc) : rog_row(r, q, id, &rc);
    if (!row) {
        rx_store_problem(r, rc);
        return;
    }
    reply_json(r, location ? 201 : 200, row, location);
}

void rog_write_reply(struct rx_req *r, int rc, enum rx_query q, int64_t id, int64_t id2,
                     const char *action, const char *entity, const char *before,
                     const char *location)
{
    const char *after = NULL;
    if (!rc) after = id2 ? rog_row2(r, q, id, id2, &rc) : rog_row(r, q, id, &rc);
    if (!rc) rc = rog_audit(r, action, entity, id, before, after);
    if (rc) {
        rog_store_problem(r, rc);
        return;
    }
    reply_json(r, location ? 201 : 200, after, location);
}

void rog_delete_reply(struct rx_req *r, enum rx_query q_get, enum rx_query q_delete,
                      const char *entity, int64_t id)
{
    int rc;
    const char *before = rog_row(r, q_get, id, &rc);
    if (!rc) rc = rx_db_exec(r->db, q_delete, RX_ARGS(RX_I(id)), NULL, NULL);
    if (!rc) rc = rog_audit(r, "delete", entity, id, before, NULL);
    if (rc) {
        rog_store_problem(r, rc);
        return;
    }
    rx_reply_empty(r, 204);
}

int rog_taken(struct rx_req *r, enum rx_query q, const struct rx_val *a, int n, const char *field)
{
    int64_t other;
    if (rx_db_int(r->db, q, a, n, &other) != RX_OK) return 0;
    rx_field_error(r, field, "taken");
    rx_problem(r, 409, "conflict", NULL);
    return 1;
}

static int deps_block(struct rx_req *r, const struct rog_dep *deps, int n)
{
    char detail[512];
    size_t len = 0;
    detail[0] = 0;
    int blocked = 0;
    for (int i = 0; i < n; i++) {
        if (!deps[i].count) continue;
        char code[64], cnt[32];
        snprintf(code, sizeof code, "dep_%s", deps[i].name);
        snprintf(cnt, sizeof cnt, "%lld", (long long)deps[i].count);
        rx_field_error_detail(r, deps[i].name, "blocking_dependents", cnt);
        int w = snprintf(detail + len, sizeof detail - len, "%s%s %lld",
                         blocked ? (r->lang == RX_LANG_EN ? ", " : "、") : "", rx_msg(r, code),
                         (long long)deps[i].count);
        if (w > 0 && (size_t)w < sizeof detail - len) len += (size_t)w;
        blocked = 1;
    }
    if (!blocked) return 0;
    const char *d = rx_arena_printf(&r->arena, "%s%s",
                                    r->lang == RX_LANG_EN ? "Still has: " : "仍有：", detail);
    rx_problem(r, 409, "has_dependents", d);
    return 1;
}

int rog_deps_check(struct rx_req *r, enum rx_query q, int64_t id, struct rog_dep *deps, int n)
{
    struct rx_cursor c;
    int rc = rx_db_query(r->db, q, RX_ARGS(RX_I(id)), &c);
    if (!rc) {
        int got = rx_cursor_next(&c);
        if (got == 1)
            for (int i = 0; i < n; i++)
                deps[i].count = rx_cursor_int(&c, i);
        else
            rc = got < 0 ? -got : RX_ERROR;
    }
    rx_cursor_close(&c);
    if (rc) {
        rx_store_problem(r, rc);
        return 1;
    }
    return deps_block(r, deps, n);
}

void rog_store_problem(struct rx_req *r, int rc)
{
    static const struct rx_refusal map[] = {
        {"membership_overlap", "conflict", "joined_on", "membership_overlap"},
        {"org_cycle", "conflict", "parent_id", "org_cycle"},
        {"org_kind_not_allowed", "conflict", "kind", "kind_not_allowed"},
        {"team_not_in_community", "conflict", "org_unit_id", "not_community"},
        {"team_members.team_id, team_members.person_id", "conflict", "person_id", "already_member"},
        {"team_members_current", "conflict", "person_id", "already_member"},
        {"org_units.code", "conflict", "code", "taken"},
        {"teams.org_unit_id, teams.name", "conflict", "name", "taken"},
        {"party_branches.org_unit_id, party_branches.name", "conflict", "name", "taken"},
        {"service_categories.code", "conflict", "code", "taken"},
        {"service_categories.org_unit_id, service_categories.name", "conflict", "name", "taken"},
        {"FOREIGN KEY", "has_dependents", NULL, NULL},
    };
    rx_refusal_problem(r, rc, map, sizeof map / sizeof map[0]);
}
