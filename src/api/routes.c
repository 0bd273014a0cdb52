/* routes.c: the route table. Every route here must be in src/api/openapi.json and the other
 * way round; tests/api/openapi.test.mjs compares them (via `rexin routes`). */
#include "api/api.h"
#include "http/server.h"

#define R(m, p, fn, ex, au) {m, p, fn, ex, au, RX_BODY_JSON, 0}
/* A route taking the raw body (uploads), with its own size limit in bytes. */
#define RAW(m, p, fn, ex, au, max) {m, p, fn, ex, au, RX_BODY_RAW, max}
#define READ RX_EXEC_READ
#define WRITE RX_EXEC_WRITE
#define CPU RX_EXEC_CPU

const struct rx_route rx_routes[] = {
    R("GET", "/healthz", rx_api_healthz, READ, RX_PUBLIC),
    R("GET", "/metrics", rx_api_metrics, READ, RX_PUBLIC),
    R("GET", "/api/openapi.json", rx_api_openapi, READ, RX_PUBLIC),
    R("POST", "/api/v1/session", rx_api_login, CPU, RX_PUBLIC),
    R("DELETE", "/api/v1/session", rx_api_logout, WRITE, RX_LOGGED_IN),
    R("GET", "/api/v1/me", rx_api_me, READ, RX_LOGGED_IN),
    R("PUT", "/api/v1/me/password", rx_api_change_password, CPU, RX_LOGGED_IN),
    R("GET", "/api/v1/audit-log", rx_api_audit_list, READ, RX_LOGGED_IN),
    R("GET", "/api/v1/people", rx_api_people_list, READ, RX_LOGGED_IN),
    R("POST", "/api/v1/people", rx_api_people_create, READ, RX_LOGGED_IN),
    R("POST", "/api/v1/people/merge", rx_api_people_merge, WRITE, RX_LOGGED_IN),
    R("GET", "/api/v1/people/{id}", rx_api_people_get, READ, RX_LOGGED_IN),
    R("PATCH", "/api/v1/people/{id}", rx_api_people_patch, WRITE, RX_LOGGED_IN),
    R("POST", "/api/v1/people/{id}/reveal-id", rx_api_people_reveal_id, WRITE, RX_LOGGED_IN),
    R("POST", "/api/v1/people/{id}/volunteer", rx_api_volunteer_register, WRITE, RX_LOGGED_IN),
    R("PUT", "/api/v1/people/{id}/party-membership", rx_api_party_membership_put, WRITE, RX_LOGGED_IN),
    R("GET", "/api/v1/people/{id}/party-memberships", rx_api_party_memberships_list, READ, RX_LOGGED_IN),
    R("GET", "/api/v1/volunteers", rx_api_volunteers_list, READ, RX_LOGGED_IN),
    R("GET", "/api/v1/volunteers/{id}", rx_api_volunteer_get, READ, RX_LOGGED_IN),
    RAW("POST", "/api/v1/imports/people", rx_api_import_people, CPU, RX_LOGGED_IN, 32L << 20),
};
const int rx_routes_count = (int)(sizeof rx_routes / sizeof rx_routes[0]);
