/* routes.c: the route table. Every route here must be in src/api/openapi.json and the other
 * way round; tests/api/openapi.test.mjs compares them (via `rexin routes`). */
#include "api/activity.h"
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
    /* activities, sign-ups, attendance, records (activity.h) */
    R("GET", "/api/v1/activities", rx_api_activities_list, READ, RX_LOGGED_IN),
    R("POST", "/api/v1/activities", rx_api_activity_create, READ, RX_LOGGED_IN),
    R("GET", "/api/v1/activities/{id}", rx_api_activity_get, READ, RX_LOGGED_IN),
    R("PATCH", "/api/v1/activities/{id}", rx_api_activity_update, READ, RX_LOGGED_IN),
    R("POST", "/api/v1/activities/{id}/cancel", rx_api_activity_cancel, READ, RX_LOGGED_IN),
    R("POST", "/api/v1/activities/{id}/finish", rx_api_activity_finish, READ, RX_LOGGED_IN),
    R("GET", "/api/v1/activity-series/{id}", rx_api_series_get, READ, RX_LOGGED_IN),
    R("GET", "/api/v1/activities/{id}/signups", rx_api_signups_list, READ, RX_LOGGED_IN),
    R("POST", "/api/v1/activities/{id}/signups", rx_api_signup_create, WRITE, RX_LOGGED_IN),
    R("GET", "/api/v1/activities/{id}/signups/{sid}", rx_api_signup_get, READ, RX_LOGGED_IN),
    R("DELETE", "/api/v1/activities/{id}/signups/{sid}", rx_api_signup_cancel, WRITE, RX_LOGGED_IN),
    R("GET", "/api/v1/me/signups", rx_api_my_signups, READ, RX_LOGGED_IN),
    R("GET", "/api/v1/activities/{id}/checkin-code", rx_api_checkin_code, READ, RX_LOGGED_IN),
    R("POST", "/api/v1/activities/{id}/checkin", rx_api_checkin, WRITE, RX_LOGGED_IN),
    R("GET", "/api/v1/activities/{id}/attendance", rx_api_attendance_list, READ, RX_LOGGED_IN),
    R("POST", "/api/v1/activities/{id}/attendance", rx_api_attendance_mark, WRITE, RX_LOGGED_IN),
    R("POST", "/api/v1/activities/{id}/records/confirm", rx_api_records_confirm_activity, WRITE, RX_LOGGED_IN),
    R("GET", "/api/v1/records", rx_api_records_list, READ, RX_LOGGED_IN),
    R("POST", "/api/v1/records", rx_api_record_create, WRITE, RX_LOGGED_IN),
    R("GET", "/api/v1/records/{id}", rx_api_record_get, READ, RX_LOGGED_IN),
    R("PATCH", "/api/v1/records/{id}", rx_api_record_update, WRITE, RX_LOGGED_IN),
    R("POST", "/api/v1/records/{id}/confirm", rx_api_record_confirm, WRITE, RX_LOGGED_IN),
    R("POST", "/api/v1/records/{id}/reject", rx_api_record_reject, WRITE, RX_LOGGED_IN),
    R("GET", "/api/v1/records/{id}/history", rx_api_record_history, READ, RX_LOGGED_IN),
    R("GET", "/api/v1/records/{id}/corrections", rx_api_corrections_list, READ, RX_LOGGED_IN),
    R("POST", "/api/v1/records/{id}/corrections", rx_api_correction_create, WRITE, RX_LOGGED_IN),
    R("POST", "/api/v1/records/{id}/corrections/{cid}/decision", rx_api_correction_decide, WRITE, RX_LOGGED_IN),
    R("GET", "/api/v1/people/{id}/training", rx_api_training_list, READ, RX_LOGGED_IN),
    R("POST", "/api/v1/people/{id}/training", rx_api_training_create, WRITE, RX_LOGGED_IN),
    R("GET", "/api/v1/people/{id}/awards", rx_api_awards_list, READ, RX_LOGGED_IN),
    R("POST", "/api/v1/people/{id}/awards", rx_api_awards_create, WRITE, RX_LOGGED_IN),
    R("GET", "/api/v1/people/{id}/evaluations", rx_api_evaluations_list, READ, RX_LOGGED_IN),
    R("POST", "/api/v1/people/{id}/evaluations", rx_api_evaluations_create, WRITE, RX_LOGGED_IN),
    R("GET", "/api/v1/people/{id}/complaints", rx_api_complaints_list, READ, RX_LOGGED_IN),
    R("POST", "/api/v1/people/{id}/complaints", rx_api_complaints_create, WRITE, RX_LOGGED_IN),
    R("PUT", "/api/v1/test/clock", rx_api_test_clock, READ, RX_LOGGED_IN),
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
