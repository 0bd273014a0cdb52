/* list.c: pagination shared by list endpoints (DESIGN.md §7): ?limit= at most 200,
 * ?cursor= an opaque id (we use the last id of the previous page, counting down or up as
 * the list orders), and the {"items": [...], "next_cursor": ...} answer around the rows. */
#include "api/api.h"
#include "store/store.h"
#include <stdio.h>

int rx_list_limit(struct rx_req *r)
{
    return (int)rx_query_int(r, "limit", 50, 1, 200);
}

int64_t rx_list_cursor(struct rx_req *r)
{
    return rx_query_int(r, "cursor", 0, 0, INT64_MAX);
}

void rx_list_end(struct rx_json *w, const struct rx_page *pg, int limit)
{
    int64_t last_id = pg->last_id;
    rx_json_end(w);
    if (pg->count >= limit && last_id) {
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", (long long)last_id);
        rx_json_kstr(w, "next_cursor", buf);
    } else {
        rx_json_knull(w, "next_cursor");
    }
}

struct rx_json *rx_list_begin(struct rx_req *r)
{
    struct rx_json *w = rx_json_begin(r);
    rx_json_obj(w);
    rx_json_key(w, "items");
    rx_json_arr(w);
    return w;
}

void rx_list_reply(struct rx_req *r, struct rx_json *w, const struct rx_page *pg, int limit, int rc)
{
    if (pg) {
        rx_list_end(w, pg, limit);
    } else {
        rx_json_end(w);
        rx_json_knull(w, "next_cursor");
    }
    rx_json_end(w);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    rx_reply(r, 200);
}

void rx_list_query(struct rx_req *r, enum rx_query q, const struct rx_val *a, int n, int limit)
{
    struct rx_json *w = rx_list_begin(r);
    struct rx_page pg = {0, 0};
    int rc = rx_db_json_rows(r->db, q, a, n, w, &pg);
    rx_list_reply(r, w, &pg, limit, rc);
}
