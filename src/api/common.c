/* common.c: see common.h. */
#include "api/common.h"
#include "http/server.h"
#include "store/store.h"
#include <string.h>

void *rx_req_alloc(struct rx_req *r, size_t n)
{
    void *p = rx_arena_alloc(&r->arena, n);
    if (!p) rx_problem(r, 503, "out_of_memory", NULL);
    return p;
}

int rx_load_seen(struct rx_req *r, int rc, int visible)
{
    if (rc == RX_OK && visible) return 1;
    if (rc && rc != RX_NOTFOUND)
        rx_store_problem(r, rc);
    else
        rx_problem(r, 404, "not_found", NULL);
    return 0;
}

int rx_first_row(struct rx_req *r, int rc, struct rx_cursor *c)
{
    int k = rc ? -rc : rx_cursor_next(c);
    if (k < 0) rx_store_problem(r, -k);
    return k == 1;
}

int rx_int_checked(struct rx_req *r, int rc)
{
    if (rc == RX_OK || rc == RX_NOTFOUND) return 0;
    rx_store_problem(r, rc);
    return rc;
}

const char *rx_public_base(struct rx_req *r)
{
    const char *pu = r->app->cfg->public_url;
    if (pu && *pu) {
        size_t n = strlen(pu);
        while (n && pu[n - 1] == '/')
            n--;
        return rx_arena_strndup(&r->arena, pu, n);
    }
    const char *host = r->host && *r->host ? r->host : "localhost";
    for (const char *p = host; *p; p++) /* a Host header is a name and a port, nothing else */
        if (!(*p == '.' || *p == ':' || *p == '-' || *p == '[' || *p == ']' ||
              (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
            return "http://localhost";
    return rx_arena_printf(&r->arena, "http://%s", host);
}

void rx_today(const struct rx_req *r, struct rx_date *d, char *text)
{
    struct rx_date day;
    if (rx_timefmt_date_at(r->now, RX_TIMEFMT_BEIJING, &day) != RX_TIMEFMT_OK)
        day = (struct rx_date){1970, 1, 1};
    if (d) *d = day;
    if (text && rx_timefmt_date_format(&day, text, RX_TIMEFMT_DATE_SIZE) != RX_TIMEFMT_OK)
        text[0] = 0;
}

void rx_refusal_problem(struct rx_req *r, int rc, const struct rx_refusal *map, size_t n)
{
    const char *msg = rc == RX_CONSTRAINT && r->db ? rx_db_errmsg(r->db) : NULL;
    for (size_t i = 0; msg && i < n; i++) {
        if (!strstr(msg, map[i].needle)) continue;
        if (map[i].field) rx_field_error(r, map[i].field, map[i].field_code);
        rx_problem(r, 409, map[i].code, NULL);
        return;
    }
    rx_store_problem(r, rc);
}
