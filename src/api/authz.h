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
/* 1 when the caller holds perm anywhere (for list endpoints that then filter by scope). */
int rx_can_any(const struct rx_req *r, enum rx_perm perm);
/* Writes the caller's scope paths for perm into out (at most max); returns how many. */
int rx_scope_paths(const struct rx_req *r, enum rx_perm perm, const char **out, int max);

#endif
