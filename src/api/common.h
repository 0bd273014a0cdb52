/* common.h: small helpers every area of the API uses and no one module owns: request memory
 * that answers 503 when there is none, today's date by the app clock, and the answer to a
 * write the database refused. Everything allocated comes from the request arena. */
#ifndef RX_API_COMMON_H
#define RX_API_COMMON_H
#include "http/http.h"
#include "store/store.h"
#include "lib/timefmt.h"
#include <stddef.h>

/* n bytes of request memory (r->arena, not zeroed), or NULL after answering 503
 * out_of_memory. */
void *rx_req_alloc(struct rx_req *r, size_t n);

/* The end of loading a thing by id: 1 when the load gave rc RX_OK and the caller may see the
 * thing (visible; compute it only when rc is RX_OK); otherwise answers 404 (no such thing, or
 * out of the caller's sight: the same answer) or the store problem rc, and returns 0. */
int rx_load_seen(struct rx_req *r, int rc, int visible);

/* The first row of a look-up, given rx_db_query's rc and its cursor: 1 when there is one
 * (the cursor is on it), 0 when there is none, or when the look-up failed: then answers the
 * store problem (5xx), which no later 4xx or answer of the caller replaces (r->store_failed),
 * and returns 0. Close the cursor after, as always. */
int rx_first_row(struct rx_req *r, int rc, struct rx_cursor *c);

/* Same for rx_db_int's rc: 0 on RX_OK and RX_NOTFOUND (*out untouched), otherwise answers the
 * store problem and returns the rc. */
int rx_int_checked(struct rx_req *r, int rc);

/* The base URL of links people open from paper or another screen (check-in QR codes,
 * certificate verification): --public-url without trailing '/', else http:// and the Host
 * the caller used, or http://localhost when that Host has anything but [A-Za-z0-9.:-[]]
 * (a hostile header must not put anything else on paper). */
const char *rx_public_base(struct rx_req *r);

/* Today in Beijing by the app clock (r->now, which PUT /api/v1/test/clock may move), or
 * 1970-01-01 should the clock be beyond the calendar: into *d when d is not NULL, and as
 * YYYY-MM-DD into text (RX_TIMEFMT_DATE_SIZE bytes) when text is not NULL. */
void rx_today(const struct rx_req *r, struct rx_date *d, char *text);

/* A database refusal (RX_CONSTRAINT) and the answer it gets: when the database's message
 * (rx_db_errmsg: a trigger's RAISE code, or the index or columns a UNIQUE or FOREIGN KEY
 * names) contains needle, a problem with code and status 409, after a field error
 * field_code on field when field is not NULL. */
struct rx_refusal {
    const char *needle;
    const char *code;
    const char *field;
    const char *field_code;
};
/* Answers store error rc: by the first of the n refusals that matches when rc is
 * RX_CONSTRAINT, else (or when none matches) rx_store_problem. */
void rx_refusal_problem(struct rx_req *r, int rc, const struct rx_refusal *map, size_t n);

#endif
