/* audit.c: reading the append-only audit log (who, when, from where, what). */
#include "api/api.h"
#include "api/authz.h"
#include "store/store.h"
#include <string.h>

void rx_api_audit_list(struct rx_req *r)
{
    /* The log is global; only holders of the audit permission at a city (root) node may
     * read all of it. Finer scoping by entity comes with each resource. */
    if (!rx_can_at_root(r, RX_PERM_AUDIT)) {
        rx_problem(r, 403, "forbidden", NULL);
        return;
    }
    int limit = rx_list_limit(r);
    int64_t cursor = rx_list_cursor(r);
    int64_t eid = rx_query_int(r, "entity_id", 0, 1, INT64_MAX);
    if (rx_fail_if_field_errors(r)) return;
    rx_list_query(r, Q_AUDIT_LIST,
                  RX_ARGS(RX_T(rx_query(r, "entity")), eid ? RX_I(eid) : RX_NUL,
                          RX_I(cursor ? cursor : INT64_MAX), RX_I(limit)),
                  limit);
}
