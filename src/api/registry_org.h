/* registry_org.h: handlers for the organisation tree, Party branches, service categories,
 * teams, team membership and assignment proposals (issue "The registry"), and the helpers
 * those files share (org_common.c). Everything returned lives in the request arena.
 *
 * Permissions (domain/roles.h):
 *   org units      read RX_PERM_READ_ORG; create/rename/move/delete RX_PERM_MANAGE_ORG over
 *                  the node's parent (over the node itself for a root);
 *   branches       read RX_PERM_READ_ORG; write RX_PERM_MANAGE_ORG over their node; the
 *                  member list needs RX_PERM_READ_PEOPLE there;
 *   categories     national list for everyone; local ones RX_PERM_MANAGE_ORG over the community;
 *   teams, members read RX_PERM_READ_ORG; write RX_PERM_MANAGE_TEAMS over the community;
 *   proposals      RX_PERM_MANAGE_TEAMS over the branch's node (and the chosen teams').
 * Anything whose node the caller cannot read answers 404. A person referenced in a body
 * (secretary, leader, member) must be one the caller may read (RX_PERM_READ_PEOPLE over
 * their home community), else the field is "not_found_ref". */
#ifndef RX_REGISTRY_ORG_H
#define RX_REGISTRY_ORG_H
#include "domain/roles.h"
#include "http/http.h"
#include "store/store.h"

/* org_units.c */
void rx_api_org_list(struct rx_req *r);
void rx_api_org_create(struct rx_req *r);
void rx_api_org_get(struct rx_req *r);
void rx_api_org_update(struct rx_req *r);
void rx_api_org_delete(struct rx_req *r);
void rx_api_org_children(struct rx_req *r);
void rx_api_org_subtree(struct rx_req *r);
/* party_branches.c */
void rx_api_branch_list(struct rx_req *r);
void rx_api_branch_create(struct rx_req *r);
void rx_api_branch_get(struct rx_req *r);
void rx_api_branch_update(struct rx_req *r);
void rx_api_branch_delete(struct rx_req *r);
void rx_api_branch_members(struct rx_req *r);
/* service_categories.c */
void rx_api_category_list(struct rx_req *r);
void rx_api_category_create(struct rx_req *r);
void rx_api_category_get(struct rx_req *r);
/* teams.c */
void rx_api_team_list(struct rx_req *r);
void rx_api_team_create(struct rx_req *r);
void rx_api_team_get(struct rx_req *r);
void rx_api_team_update(struct rx_req *r);
void rx_api_team_delete(struct rx_req *r);
void rx_api_team_members(struct rx_req *r);
void rx_api_team_member_add(struct rx_req *r);
void rx_api_team_member_get(struct rx_req *r);
void rx_api_team_member_update(struct rx_req *r);
void rx_api_team_size(struct rx_req *r);
/* assignment.c */
void rx_api_assignment_proposals(struct rx_req *r);
void rx_api_assignment_accept(struct rx_req *r);

/* --- shared helpers (org_common.c) --- */

/* Dates: "YYYY-MM-DD" <-> lib/timefmt.h's struct rx_date. Parse gives 0, or -1 (also for
 * NULL); format writes 11 bytes. Today is rx_today (common.h). */
struct rx_date;
int rog_date_parse(const char *s, struct rx_date *d);
void rog_date_format(const struct rx_date *d, char out[11]);

struct rog_org {
    int64_t id;
    int64_t parent_id;   /* 0 for a root */
    int64_t district_id; /* 0 when above the districts */
    const char *kind, *name, *code /* NULL when none */, *path;
};

/* Loads an org unit. Returns 1, or 0 when it does not exist (without answering) or when it
 * could not be read (then it answers 503/500: r->status is set). */
int rog_org_fetch(struct rx_req *r, int64_t id, struct rog_org *o);
/* Loads an org unit the caller can see (RX_PERM_READ_ORG or `perm` over it); otherwise
 * answers 404 and returns 0. With perm != RX_PERM_READ_ORG also answers 403 when the caller
 * can see it but lacks perm. */
int rog_org_load(struct rx_req *r, int64_t id, enum rx_perm perm, struct rog_org *o);
/* Loads the org unit a body field refers to: it must exist and be visible to the caller
 * (rx_can_see with perm), else answers 400 with "not_found_ref" on field and returns 0. Does
 * not check perm itself: the caller authorises what it is about to do there. */
int rog_org_ref(struct rx_req *r, const char *field, int64_t id, enum rx_perm perm,
                struct rog_org *o);
/* The path of the parent of the node with this path ('/1/5/' for '/1/5/9/'); the path
 * itself for a root. */
const char *rog_parent_path(struct rx_req *r, const char *path);
/* ",role,role," of every role allowing perm (for the statements' scope filter). */
const char *rog_roles_with(struct rx_req *r, enum rx_perm perm);
/* The ?q= search text escaped for LIKE ... ESCAPE '\'; NULL when absent or empty. Records a
 * field error when it is too long (100 characters) or has control characters. */
const char *rog_query_search(struct rx_req *r);

/* Reads an optional id field: *present = 1 when the key is there; *id = 0 for null. */
int64_t rog_in_ref(struct rx_req *r, const char *field, int *present);
/* Checks a person reference: exists, not merged, readable by the caller. Records
 * "not_found_ref" on `field` and returns 0 otherwise. *name (may be NULL) gets the name. */
int rog_person_ok(struct rx_req *r, const char *field, int64_t person_id, const char **name);

/* The row `id` of statement q (…WHERE x.id = ?1) as JSON text, or NULL (*rc says why). */
const char *rog_row(struct rx_req *r, enum rx_query q, int64_t id, int *rc);
/* Same with a second key (?2). */
const char *rog_row2(struct rx_req *r, enum rx_query q, int64_t id, int64_t id2, int *rc);
/* Audits a change with {"before": …, "after": …} (either may be NULL). */
int rog_audit(struct rx_req *r, const char *action, const char *entity, int64_t id,
              const char *before, const char *after);
/* Answers with row `id` of statement q (rog_row; rog_row2 when id2 is not 0): 200, or 201 with
 * Location when location is not NULL; the store problem when there is no such row. */
void rog_reply_row(struct rx_req *r, enum rx_query q, int64_t id, int64_t id2,
                   const char *location);
/* The end of a registry create or update whose statements gave rc: unless rc already says
 * they failed, reads the row back as rog_reply_row does and audits action on entity `id` with
 * {"before": before, "after": the row}; then answers with the row (200, or 201 with Location
 * when location is not NULL), or rog_store_problem. */
void rog_write_reply(struct rx_req *r, int rc, enum rx_query q, int64_t id, int64_t id2,
                     const char *action, const char *entity, const char *before,
                     const char *location);
/* Deletes row `id` with q_delete (?1 = id), audited as "delete" on entity with the row as
 * statement q_get read it before; answers 204, or rog_store_problem. */
void rog_delete_reply(struct rx_req *r, enum rx_query q_get, enum rx_query q_delete,
                      const char *entity, int64_t id);
/* Answers 409 "conflict" with "taken" on field, and returns 1, when statement q (the owner of
 * a name or code, other than the row itself) finds a row. */
int rog_taken(struct rx_req *r, enum rx_query q, const struct rx_val *a, int n, const char *field);

/* Dependents that block a delete: a name per count (see messages.c "dep_<name>"). */
struct rog_dep {
    const char *name;
    int64_t count;
};
/* Counts the n dependents of row id with statement q (one row, a count per column in the
 * order of deps). When any count is non-zero answers 409 "has_dependents" with one field error
 * per blocker and a detail naming them all. Returns 1 when it answered (a store problem too). */
int rog_deps_check(struct rx_req *r, enum rx_query q, int64_t id, struct rog_dep *deps, int n);

/* Loads Party branch id for the caller (404 when not visible, 403 without perm over its
 * node) and gives its node's path. party_branches.c. */
int rog_branch_path(struct rx_req *r, int64_t id, enum rx_perm perm, const char **path);

/* Path of team id's community; 0 when there is no such team (does not answer). teams.c. */
int rog_team_path(struct rx_req *r, int64_t id, const char **path);
/* Adds person to team with role from joined_on (audited), refusing a second open
 * membership with 409 "already_member" on `field`. Returns 0, or answers and returns -1.
 * teams.c. */
int rog_team_join(struct rx_req *r, int64_t team_id, int64_t person_id, const char *role,
                  const char *joined_on, const char *field, int64_t *member_id);

/* Answers a store error; constraint messages raised by migration 0003 and the unique
 * indexes become 409s with the field they concern. */
void rog_store_problem(struct rx_req *r, int rc);

#endif
