/* routes.c: the route table. Every route here must be in src/api/openapi.json and the other
 * way round; tests/api/openapi.test.mjs compares them (via `rexin routes`). */
#include "api/api.h"
#include "api/registry_org.h"
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
    /* registry: organisation tree, branches, categories, teams (registry_org.h) */
    R("GET", "/api/v1/org-units", rx_api_org_list, READ, RX_LOGGED_IN),
    R("POST", "/api/v1/org-units", rx_api_org_create, WRITE, RX_LOGGED_IN),
    R("GET", "/api/v1/org-units/{id}", rx_api_org_get, READ, RX_LOGGED_IN),
    R("PATCH", "/api/v1/org-units/{id}", rx_api_org_update, WRITE, RX_LOGGED_IN),
    R("DELETE", "/api/v1/org-units/{id}", rx_api_org_delete, WRITE, RX_LOGGED_IN),
    R("GET", "/api/v1/org-units/{id}/children", rx_api_org_children, READ, RX_LOGGED_IN),
    R("GET", "/api/v1/org-units/{id}/subtree", rx_api_org_subtree, READ, RX_LOGGED_IN),
    R("GET", "/api/v1/party-branches", rx_api_branch_list, READ, RX_LOGGED_IN),
    R("POST", "/api/v1/party-branches", rx_api_branch_create, WRITE, RX_LOGGED_IN),
    R("GET", "/api/v1/party-branches/{id}", rx_api_branch_get, READ, RX_LOGGED_IN),
    R("PATCH", "/api/v1/party-branches/{id}", rx_api_branch_update, WRITE, RX_LOGGED_IN),
    R("DELETE", "/api/v1/party-branches/{id}", rx_api_branch_delete, WRITE, RX_LOGGED_IN),
    R("GET", "/api/v1/party-branches/{id}/members", rx_api_branch_members, READ, RX_LOGGED_IN),
    R("POST", "/api/v1/party-branches/{id}/assignment-proposals", rx_api_assignment_proposals, READ, RX_LOGGED_IN),
    R("POST", "/api/v1/party-branches/{id}/assignment-proposals/accept", rx_api_assignment_accept, WRITE,
      RX_LOGGED_IN),
    R("GET", "/api/v1/service-categories", rx_api_category_list, READ, RX_LOGGED_IN),
    R("POST", "/api/v1/service-categories", rx_api_category_create, WRITE, RX_LOGGED_IN),
    R("GET", "/api/v1/service-categories/{id}", rx_api_category_get, READ, RX_LOGGED_IN),
    R("GET", "/api/v1/teams", rx_api_team_list, READ, RX_LOGGED_IN),
    R("POST", "/api/v1/teams", rx_api_team_create, WRITE, RX_LOGGED_IN),
    R("GET", "/api/v1/teams/{id}", rx_api_team_get, READ, RX_LOGGED_IN),
    R("PATCH", "/api/v1/teams/{id}", rx_api_team_update, WRITE, RX_LOGGED_IN),
    R("DELETE", "/api/v1/teams/{id}", rx_api_team_delete, WRITE, RX_LOGGED_IN),
    R("GET", "/api/v1/teams/{id}/members", rx_api_team_members, READ, RX_LOGGED_IN),
    R("POST", "/api/v1/teams/{id}/members", rx_api_team_member_add, WRITE, RX_LOGGED_IN),
    R("GET", "/api/v1/teams/{id}/members/{member_id}", rx_api_team_member_get, READ, RX_LOGGED_IN),
    R("PATCH", "/api/v1/teams/{id}/members/{member_id}", rx_api_team_member_update, WRITE, RX_LOGGED_IN),
    R("GET", "/api/v1/teams/{id}/size", rx_api_team_size, READ, RX_LOGGED_IN),
};
const int rx_routes_count = (int)(sizeof rx_routes / sizeof rx_routes[0]);
