/* routes.c: the route table. Every route here must be in src/api/openapi.json and the other
 * way round; tests/api/openapi.test.mjs compares them (via `rexin routes`). */
#include "api/api.h"
#include "http/server.h"

#define R(m, p, fn, ex, au) {m, p, fn, ex, au, RX_BODY_JSON}
#define READ RX_EXEC_READ
#define WRITE RX_EXEC_WRITE
#define CPU RX_EXEC_CPU
#define REPORT RX_EXEC_REPORT /* a read that may be served by the read replica */

const struct rx_route rx_routes[] = {
    R("GET", "/healthz", rx_api_healthz, READ, RX_PUBLIC),
    R("GET", "/metrics", rx_api_metrics, READ, RX_PUBLIC),
    R("GET", "/api/openapi.json", rx_api_openapi, READ, RX_PUBLIC),
    R("POST", "/api/v1/session", rx_api_login, CPU, RX_PUBLIC),
    R("DELETE", "/api/v1/session", rx_api_logout, WRITE, RX_LOGGED_IN),
    R("GET", "/api/v1/me", rx_api_me, READ, RX_LOGGED_IN),
    R("PUT", "/api/v1/me/password", rx_api_change_password, CPU, RX_LOGGED_IN),
    R("GET", "/api/v1/audit-log", rx_api_audit_list, REPORT, RX_LOGGED_IN),
};
const int rx_routes_count = (int)(sizeof rx_routes / sizeof rx_routes[0]);
