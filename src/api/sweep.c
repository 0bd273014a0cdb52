/* sweep.c: see sweep.h. */
#include "api/sweep.h"
#include "api/activity.h"
#include "domain/roles.h"
#include "http/server.h"
#include "lib/alloc.h"
#include "lib/log.h"
#include "store/store.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SWEEP_ARENA (16u << 20)

int rx_sweep_run(struct rx_app *app, struct rx_db *db, int64_t now, struct rx_sweep_result *out)
{
    memset(out, 0, sizeof *out);
    /* A request with no caller: what the activity code needs (clock, connection, settings,
     * arena), audited with no user and no address. */
    struct rx_req sys;
    memset(&sys, 0, sizeof sys);
    rx_arena_init(&sys.arena, SWEEP_ARENA);
    sys.app = app;
    sys.db = db;
    sys.now = now;
    sys.route_index = -1;
    sys.method = "SWEEP";
    sys.path = "";
    int rc = rx_act_sweep_checkouts(&sys, &out->checkouts_closed, &out->records_flagged);
    rx_arena_free(&sys.arena);
    return rc;
}

/* ------------------------------------------------------------------ the background thread */

struct rx_sweeper {
    struct rx_app *app; /* not owned */
    pthread_t thread;
    pthread_mutex_t mu; /* guards stopping */
    pthread_cond_t cv;  /* signalled on stop */
    int stopping;
};

struct sweep_job {
    struct rx_app *app;
    int64_t now;
    struct rx_sweep_result res;
};

static int sweep_fn(struct rx_db *db, void *ctx)
{
    struct sweep_job *j = ctx;
    return rx_sweep_run(j->app, db, j->now, &j->res);
}

static void *sweeper_main(void *arg)
{
    struct rx_sweeper *s = arg;
    for (;;) {
        pthread_mutex_lock(&s->mu);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += RX_SWEEP_SECONDS;
        while (!s->stopping && pthread_cond_timedwait(&s->cv, &s->mu, &until) == 0) {
        }
        int stop = s->stopping;
        pthread_mutex_unlock(&s->mu);
        if (stop) break;
        struct sweep_job j = {.app = s->app, .now = rx_app_now(s->app)};
        int rc = rx_store_write(s->app->store, sweep_fn, &j);
        if (rc)
            rx_warn("msg=\"sweep failed\" rc=%d", rc);
        else if (j.res.checkouts_closed)
            rx_info("msg=\"sweep\" checkouts_closed=%d records_flagged=%d", j.res.checkouts_closed,
                    j.res.records_flagged);
    }
    return NULL;
}

int rx_sweeper_start(struct rx_app *app, struct rx_sweeper **out)
{
    *out = NULL;
    struct rx_sweeper *s = rx_calloc(1, sizeof *s);
    if (!s) return -1;
    s->app = app;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    if (pthread_create(&s->thread, NULL, sweeper_main, s) != 0) {
        pthread_mutex_destroy(&s->mu);
        pthread_cond_destroy(&s->cv);
        rx_free(s);
        return -1;
    }
    *out = s;
    return 0;
}

void rx_sweeper_stop(struct rx_sweeper *s)
{
    if (!s) return;
    pthread_mutex_lock(&s->mu);
    s->stopping = 1;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    rx_free(s);
}

/* ------------------------------------------------------------------ test route */

void rx_api_test_sweep(struct rx_req *r)
{
    const char *on = getenv("REXIN_TEST_CLOCK");
    if (!on || strcmp(on, "1") != 0) {
        rx_problem(r, 404, "not_found", NULL);
        return;
    }
    int admin = 0;
    for (int i = 0; i < r->auth.n_grants; i++)
        if (rx_role_allows(r->auth.grants[i].role, RX_PERM_MANAGE_USERS) &&
            strcmp(r->auth.grants[i].kind, "city") == 0)
            admin = 1;
    if (!admin) {
        rx_problem(r, 403, "forbidden", NULL);
        return;
    }
    struct rx_sweep_result res;
    int rc = rx_sweep_run(r->app, r->db, r->now, &res);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    struct rx_json *w = rx_json_begin(r);
    rx_json_obj(w);
    rx_json_kint(w, "checkouts_closed", res.checkouts_closed);
    rx_json_kint(w, "records_flagged", res.records_flagged);
    rx_json_end(w);
    rx_reply(r, 200);
}
