/* testclock.c: PUT /api/v1/test/clock {now}, a controllable clock for tests (deadlines,
 * check-in windows, token steps) without sleeping. Test-only: it exists only when the server
 * was started with REXIN_TEST_CLOCK=1 in its environment, and answers 404 otherwise. Only an
 * administrator of the root of the tree may move it. It sets app->clock_offset so that every
 * later request's r->now is `now` plus the time passed since; {"now": null} resets it. */
#include "api/activity.h"
#include "api/authz.h"
#include "api/input.h"
#include "domain/roles.h"
#include "http/server.h"
#include "lib/log.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

int rx_test_route_allowed(struct rx_req *r)
{
    const char *on = getenv("REXIN_TEST_CLOCK");
    if (!on || strcmp(on, "1") != 0) {
        rx_problem(r, 404, "not_found", NULL);
        return 0;
    }
    if (!rx_can_at_root(r, RX_PERM_MANAGE_USERS)) {
        rx_problem(r, 403, "forbidden", NULL);
        return 0;
    }
    return 1;
}

void rx_api_test_clock(struct rx_req *r)
{
    if (!rx_test_route_allowed(r) || !rx_in_object(r)) return;
    static const char *const known[] = {"now", NULL};
    rx_in_only(r, known);
    int64_t t = 0;
    int has = rx_act_in_time(r, r->json, "now", "now", 0, &t);
    if (!rx_in_has(r, "now")) rx_field_error(r, "now", "required");
    if (rx_fail_if_field_errors(r)) return;
    int64_t offset = has == 1 ? t - (int64_t)time(NULL) : 0;
    atomic_store(&r->app->clock_offset, offset);
    rx_warn("msg=\"test clock moved\" offset=%lld user=%lld", (long long)offset,
            (long long)r->auth.user_id);
    char buf[32];
    rx_act_time(rx_app_now(r->app), buf);
    struct rx_json *w = rx_json_begin(r);
    rx_json_obj(w);
    rx_json_kstr(w, "now", buf);
    rx_json_kint(w, "offset_seconds", offset);
    rx_json_end(w);
    rx_reply(r, 200);
}
