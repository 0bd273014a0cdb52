/* list.c: pagination shared by list endpoints (DESIGN.md §7): ?limit= at most 200,
 * ?cursor= an opaque id (we use the last id of the previous page, counting down or up as
 * the list orders). */
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
