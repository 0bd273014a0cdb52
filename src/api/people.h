/* people.h: what the people, volunteer, Party-membership and import handlers share: scope
 * arguments for list statements, LIKE patterns, reading the stored person, tag lists, and
 * problems that carry extra members. Everything allocated comes from the request arena. */
#ifndef RX_API_PEOPLE_H
#define RX_API_PEOPLE_H
#include "domain/roles.h"
#include "http/http.h"
#include "lib/timefmt.h"
#include "store/store.h"

#define RX_SCOPE_MAX 8 /* scope paths a list statement takes (?1..?8) */

/* The start of the people and volunteer lists: 403 unless the caller holds RX_PERM_READ_PEOPLE
 * somewhere; the caller's distinct scope paths for it (rx_scope_roots) in a[0..RX_SCOPE_MAX),
 * unused slots NULL (none: the list is empty; more than RX_SCOPE_MAX: answered 422
 * too_many_scopes); ?limit= and ?cursor=; then
 * the filters both lists take, NULL when absent: ?org_unit_id= as the unit's path in a[8]
 * ("not_found_ref" when there is no such unit) and ?q= as a LIKE pattern on the comparison
 * name in a[9]. Bad filters are field errors for the caller to answer; returns 0 when it
 * answered itself. */
int rx_people_list_args(struct rx_req *r, struct rx_val a[10], int *limit, int64_t *cursor);

/* The stored record of one person (Q_RP_PERSON_RAW); strings in the arena, NULL when SQL NULL. */
struct rx_person_raw {
    int64_t id, org_unit_id, merged_into;
    const char *name, *name_norm, *id_type, *id_enc, *id_hash, *id_masked, *sex, *birth_date;
    const char *phone, *political_status, *skills, *interests, *availability, *vulnerable, *notes;
    const char *path; /* the home community's path; NULL when the person has none */
};
int rx_person_load(struct rx_req *r, int64_t id, struct rx_person_raw *p);
/* rx_person_load for a person the caller may read (RX_PERM_READ_PEOPLE over their community);
 * otherwise answers 404 (or the store problem) and returns 0. */
int rx_person_load_visible(struct rx_req *r, int64_t id, struct rx_person_raw *p);

/* rx_problem plus extra members: `extra` is JSON text of members ("\"a\":1,\"b\":[2]"). */
void rx_problem_extra(struct rx_req *r, int status, const char *code, const char *detail,
                      const char *extra);

/* Answers a store error, mapping the trigger codes of migration 0004 to 409 problems. */
void rx_people_store_problem(struct rx_req *r, int rc);

#endif
