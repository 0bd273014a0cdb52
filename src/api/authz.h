/* authz.h: the one authorisation helper every handler calls. A grant of role R over node N
 * covers every node whose path starts with N's path. The helpers answer the request
 * themselves (401 anonymous, 403 out of scope) and return 0 when access is refused. */
#ifndef RX_AUTHZ_H
#define RX_AUTHZ_H
#include "domain/roles.h"
#include "http/http.h"

/* 1 when the caller holds a role allowing perm over a node covering `path`. */
int rx_can(const struct rx_req *r, enum rx_perm perm, const char *path);
/* Like rx_can but answers 401/403 on refusal. */
int rx_authz_path(struct rx_req *r, enum rx_perm perm, const char *path);
/* Looks up the org unit's path; answers 404 when it does not exist (or is out of the
 * caller's sight) and 403 when out of scope. */
int rx_authz_org(struct rx_req *r, enum rx_perm perm, int64_t org_id);
/* 1 when the caller can see a thing at `path` (NULL: no such thing): it may read the org tree
 * there (RX_PERM_READ_ORG) or holds perm there. What the caller cannot see does not exist
 * for them (404, or a field's "not_found_ref"). */
int rx_can_see(const struct rx_req *r, enum rx_perm perm, const char *path);
/* Authorises perm over a thing found at `path` (NULL when it was not found): 404 unless
 * rx_can_see, then rx_authz_path. */
int rx_authz_visible(struct rx_req *r, enum rx_perm perm, const char *path);
/* The path of org unit org_id in the request arena, or NULL when there is none (does not
 * answer and checks nothing) or it could not be read (then answers 503/500). */
const char *rx_org_path(struct rx_req *r, int64_t org_id);
/* 1 when the caller holds perm at a root of the tree (a city): over everything. */
int rx_can_at_root(const struct rx_req *r, enum rx_perm perm);
/* 1 when the caller holds perm anywhere (for list endpoints that then filter by scope). */
int rx_can_any(const struct rx_req *r, enum rx_perm perm);
/* Writes the caller's scope paths for perm into out (at most max); returns how many. */
int rx_scope_paths(const struct rx_req *r, enum rx_perm perm, const char **out, int max);
/* The roots among n scope paths: those no other path covers (a shorter prefix of it, or the
 * same path earlier in the list), in their order, so that a statement filtering by
 * "path LIKE root || '%'" meets every node once. Writes the first max into out and returns
 * how many roots there are (which may be more than max). */
int rx_scope_roots(const char *const *paths, int n, const char **out, int max);

#endif
