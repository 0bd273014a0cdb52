/* authz.c: see authz.h. */
#include "api/authz.h"
#include "store/store.h"
#include <string.h>

int rx_can(const struct rx_req *r, enum rx_perm perm, const char *path)
{
    if (!path) return 0;
    for (int i = 0; i < r->auth.n_grants; i++) {
        const struct rx_grant *g = &r->auth.grants[i];
        if (rx_role_allows(g->role, perm) && strncmp(path, g->path, strlen(g->path)) == 0) return 1;
    }
    return 0;
}

int rx_can_at_root(const struct rx_req *r, enum rx_perm perm)
{
    for (int i = 0; i < r->auth.n_grants; i++)
        if (rx_role_allows(r->auth.grants[i].role, perm) &&
            strcmp(r->auth.grants[i].kind, "city") == 0)
            return 1;
    return 0;
}

int rx_can_any(const struct rx_req *r, enum rx_perm perm)
{
    for (int i = 0; i < r->auth.n_grants; i++)
        if (rx_role_allows(r->auth.grants[i].role, perm)) return 1;
    return 0;
}

int rx_scope_paths(const struct rx_req *r, enum rx_perm perm, const char **out, int max)
{
    int n = 0;
    for (int i = 0; i < r->auth.n_grants && n < max; i++)
        if (rx_role_allows(r->auth.grants[i].role, perm)) out[n++] = r->auth.grants[i].path;
    return n;
}

int rx_authz_path(struct rx_req *r, enum rx_perm perm, const char *path)
{
    if (!r->auth.user_id) {
        rx_problem(r, 401, "unauthenticated", NULL);
        return 0;
    }
    if (rx_can(r, perm, path)) return 1;
    rx_problem(r, 403, "forbidden", NULL);
    return 0;
}

int rx_scope_roots(const char *const *paths, int n, const char **out, int max)
{
    int k = 0;
    for (int i = 0; i < n; i++) {
        int covered = 0;
        size_t li = strlen(paths[i]);
        for (int j = 0; j < n && !covered; j++) {
            size_t lj = strlen(paths[j]);
            if (j == i || strncmp(paths[i], paths[j], lj) != 0) continue;
            covered = lj < li || j < i; /* a prefix is never longer: lj == li means the same */
        }
        if (covered) continue;
        if (k < max) out[k] = paths[i];
        k++;
    }
    return k;
}

int rx_can_see(const struct rx_req *r, enum rx_perm perm, const char *path)
{
    return path && (rx_can(r, RX_PERM_READ_ORG, path) || rx_can(r, perm, path));
}

int rx_authz_visible(struct rx_req *r, enum rx_perm perm, const char *path)
{
    if (!rx_can_see(r, perm, path)) {
        rx_problem(r, 404, "not_found", NULL);
        return 0;
    }
    return rx_authz_path(r, perm, path);
}

const char *rx_org_path(struct rx_req *r, int64_t org_id)
{
    struct rx_cursor c;
    const char *path = NULL;
    int rc = rx_db_query(r->db, Q_ORG_PATH, RX_ARGS(RX_I(org_id)), &c);
    int k = rc ? -rc : rx_cursor_next(&c);
    if (k == 1 && !(path = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 0)))) k = -RX_NOMEM;
    rx_cursor_close(&c);
    if (k < 0) rx_store_problem(r, -k); /* answered 5xx; the caller's 4xx will not replace it */
    return path;
}

int rx_authz_org(struct rx_req *r, enum rx_perm perm, int64_t org_id)
{
    if (!r->auth.user_id) {
        rx_problem(r, 401, "unauthenticated", NULL);
        return 0;
    }
    return rx_authz_visible(r, perm, rx_org_path(r, org_id));
}
