/* api.h: every handler (first steps of routes). One file per resource under src/api/;
 * routes.c maps URLs to these. */
#ifndef RX_API_H
#define RX_API_H
#include "http/http.h"
#include "store/store.h"

/* system.c */
void rx_api_healthz(struct rx_req *r);
void rx_api_metrics(struct rx_req *r);
void rx_api_openapi(struct rx_req *r);
/* session.c */
void rx_api_login(struct rx_req *r);
void rx_api_logout(struct rx_req *r);
void rx_api_me(struct rx_req *r);
void rx_api_change_password(struct rx_req *r);
/* audit.c */
void rx_api_audit_list(struct rx_req *r);
/* people.c */
void rx_api_people_list(struct rx_req *r);
void rx_api_people_create(struct rx_req *r);
void rx_api_people_get(struct rx_req *r);
void rx_api_people_patch(struct rx_req *r);
void rx_api_people_reveal_id(struct rx_req *r);
void rx_api_people_merge(struct rx_req *r);
/* volunteers.c */
void rx_api_volunteer_register(struct rx_req *r);
void rx_api_volunteers_list(struct rx_req *r);
void rx_api_volunteer_get(struct rx_req *r);
/* party_membership.c */
void rx_api_party_membership_put(struct rx_req *r);
void rx_api_party_memberships_list(struct rx_req *r);
/* people_import.c */
void rx_api_import_people(struct rx_req *r);

/* Shared list helpers (list.c): the page size from ?limit= (1..200, default 50) and the
 * cursor from ?cursor= (an opaque positive id; 0 = from the start). */
int rx_list_limit(struct rx_req *r);
int64_t rx_list_cursor(struct rx_req *r);
/* Closes an items array and writes next_cursor: the last row's id when the page was full,
 * else null. */
void rx_list_end(struct rx_json *w, const struct rx_page *pg, int limit);
/* A list answer: rx_list_begin opens {"items":[ in the request's body, the caller writes the
 * rows, rx_list_reply closes it with next_cursor (rx_list_end; null when pg is NULL, for
 * lists that are never paged) and answers 200, or answers the store problem rc instead when
 * rc is not 0. */
struct rx_json *rx_list_begin(struct rx_req *r);
void rx_list_reply(struct rx_req *r, struct rx_json *w, const struct rx_page *pg, int limit,
                   int rc);
/* The common case: one page of statement q's rows as rx_db_json_rows writes them. */
void rx_list_query(struct rx_req *r, enum rx_query q, const struct rx_val *a, int n, int limit);

#endif
