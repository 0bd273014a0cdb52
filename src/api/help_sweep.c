/* help_sweep.c: deadlines of help requests. A request not accepted by its accept deadline is
 * overdue: the lists show it at once (?overdue=true compares with the clock when read), and
 * the sweep escalates it once, telling the staff of the node above its community (the
 * street, or the district where there is no street). A request accepted or in progress
 * without a transition for three days is stalled: shown at once (?stalled=true), and flagged
 * once by the sweep, telling the community's dispatchers.
 *
 * The same job closes missed check-outs (activities whose check-out window ended with people
 * checked in but never out: checkin.c, rx_act_sweep_missed_checkouts), so nobody waits for a
 * leader who forgot to finish the activity.
 *
 * It also purges expired technical rows: sessions, old log-in attempts and idempotency keys
 * (purge.c, bounded per sweep).
 *
 * The sweep is a write job: a background thread runs it every help-sweep-seconds, and, when
 * the server runs with REXIN_TEST_CLOCK=1, POST /api/v1/test/sweep runs it on demand so tests
 * need not wait. It is idempotent (escalated_at / stalled_at are set once, guarded in the
 * UPDATE; an attendance is closed once), so several servers sweeping one PostgreSQL database
 * notify once. */
#include "api/help.h"
#include "api/activity.h"
#include "api/purge.h"
#include "domain/helpflow.h"
#include "domain/roles.h"
#include "http/server.h"
#include "lib/alloc.h"
#include "lib/log.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BATCH 200
#define MAX_PER_SWEEP 5000

struct due {
    int64_t id, org, parent;
    char need[256], urgency[8], state[24];
};

/* Copies s into dst[n], cutting before a character that does not fit whole. */
static void copy(char *dst, size_t n, const char *s)
{
    size_t l = s ? strlen(s) : 0;
    if (l >= n) {
        l = n - 1;
        while (l && ((unsigned char)s[l] & 0xC0) == 0x80)
            l--;
    }
    if (l) memcpy(dst, s, l);
    dst[l] = 0;
}

static int audit(struct rx_db *db, int64_t now, const char *action, int64_t id)
{
    return rx_db_exec(db, Q_HELP_SYSTEM_AUDIT,
                      RX_ARGS(RX_I(now), RX_T(action), RX_T("help_request"), RX_I(id), RX_NUL),
                      NULL, NULL);
}

static int escalate(struct rx_db *db, int64_t now, int *count)
{
    struct due *d = rx_malloc(BATCH * sizeof *d);
    if (!d) return RX_NOMEM;
    int rc = RX_OK, total = 0;
    while (!rc && total < MAX_PER_SWEEP) {
        struct rx_cursor c;
        int n = 0, k = 0;
        rc = rx_db_query(db, Q_HELP_DUE, RX_ARGS(RX_I(now), RX_I(BATCH)), &c);
        if (rc) break;
        while (n < BATCH && (k = rx_cursor_next(&c)) == 1) {
            d[n].id = rx_cursor_int(&c, 0);
            d[n].org = rx_cursor_int(&c, 1);
            d[n].parent = rx_cursor_int(&c, 2);
            copy(d[n].need, sizeof d[n].need, rx_cursor_text(&c, 3));
            copy(d[n].urgency, sizeof d[n].urgency, rx_cursor_text(&c, 4));
            copy(d[n].state, sizeof d[n].state, rx_cursor_text(&c, 6));
            n++;
        }
        rx_cursor_close(&c);
        if (k < 0) { /* a read error is an error, not the end of the list */
            rc = -k;
            break;
        }
        if (n == 0) break;
        for (int i = 0; i < n && !rc; i++) {
            int64_t changes = 0;
            rc = rx_db_exec(db, Q_HELP_ESCALATE, RX_ARGS(RX_I(d[i].id), RX_I(now)), &changes, NULL);
            if (rc || !changes) continue;
            total++;
            char *payload = rx_help_payload_raw(d[i].id, d[i].need, d[i].state, d[i].org, "urgency",
                                                d[i].urgency);
            rc = rx_help_notify_staff(db, now, d[i].parent, RX_PERM_DISPATCH, RX_PERM_MANAGE_ORG, 0,
                                      "help_request_escalated", payload);
            rx_free(payload);
            if (!rc) rc = audit(db, now, "escalate", d[i].id);
        }
        if (n < BATCH) break;
    }
    rx_free(d);
    *count = total;
    return rc;
}

static int flag_stalled(struct rx_db *db, int64_t now, int *count)
{
    struct due *d = rx_malloc(BATCH * sizeof *d);
    if (!d) return RX_NOMEM;
    int rc = RX_OK, total = 0;
    while (!rc && total < MAX_PER_SWEEP) {
        struct rx_cursor c;
        int n = 0, k = 0;
        rc = rx_db_query(db, Q_HELP_STALE, RX_ARGS(RX_I(now - RX_HELP_STALL_SECONDS), RX_I(BATCH)),
                         &c);
        if (rc) break;
        while (n < BATCH && (k = rx_cursor_next(&c)) == 1) {
            d[n].id = rx_cursor_int(&c, 0);
            d[n].org = rx_cursor_int(&c, 1);
            copy(d[n].need, sizeof d[n].need, rx_cursor_text(&c, 2));
            copy(d[n].state, sizeof d[n].state, rx_cursor_text(&c, 3));
            n++;
        }
        rx_cursor_close(&c);
        if (k < 0) { /* a read error is an error, not the end of the list */
            rc = -k;
            break;
        }
        if (n == 0) break;
        for (int i = 0; i < n && !rc; i++) {
            int64_t changes = 0;
            rc = rx_db_exec(db, Q_HELP_MARK_STALLED, RX_ARGS(RX_I(d[i].id), RX_I(now)), &changes,
                            NULL);
            if (rc || !changes) continue;
            total++;
            char *payload =
                rx_help_payload_raw(d[i].id, d[i].need, d[i].state, d[i].org, NULL, NULL);
            rc = rx_help_notify_staff(db, now, d[i].org, RX_PERM_DISPATCH, -1, 0,
                                      "help_request_stalled", payload);
            rx_free(payload);
            if (!rc) rc = audit(db, now, "flag_stalled", d[i].id);
        }
        if (n < BATCH) break;
    }
    rx_free(d);
    *count = total;
    return rc;
}

int rx_help_sweep(struct rx_db *db, int64_t now, struct rx_help_sweep_result *out)
{
    memset(out, 0, sizeof *out);
    int rc = escalate(db, now, &out->escalated);
    if (!rc) rc = flag_stalled(db, now, &out->stalled);
    return rc;
}

/* ------------------------------------------------------------------ the background thread */

struct rx_help_sweeper {
    struct rx_app *app; /* not owned */
    pthread_t thread;
    pthread_mutex_t mu; /* guards stopping */
    pthread_cond_t cv;  /* signalled on stop */
    int stopping;
    long interval; /* seconds */
};

struct sweep_job {
    struct rx_app *app;
    int64_t now;
    struct rx_help_sweep_result res;
    int closed, flagged; /* missed check-outs closed, records made for them */
    struct rx_purge_result purged;
};

static int sweep_fn(struct rx_db *db, void *ctx)
{
    struct sweep_job *j = ctx;
    int rc = rx_help_sweep(db, j->now, &j->res);
    if (!rc) rc = rx_act_sweep_missed_checkouts(j->app, db, j->now, &j->closed, &j->flagged);
    if (!rc) rc = rx_purge(j->app, db, j->now, &j->purged);
    return rc;
}

static void *sweeper_main(void *arg)
{
    struct rx_help_sweeper *s = arg;
    for (;;) {
        pthread_mutex_lock(&s->mu);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += s->interval;
        while (!s->stopping && pthread_cond_timedwait(&s->cv, &s->mu, &until) == 0) {
        }
        int stop = s->stopping;
        pthread_mutex_unlock(&s->mu);
        if (stop) break;
        struct sweep_job j = {.app = s->app, .now = rx_app_now(s->app)};
        int rc = rx_store_write(s->app->store, sweep_fn, &j);
        const struct rx_purge_result *p = &j.purged;
        if (rc) {
            rx_warn("msg=\"sweep failed\" rc=%d", rc);
            continue;
        }
        rx_purge_count(p);
        /* Purges alone are routine (debug), unless one hit its cap: a backlog (info). */
        int backlog = p->sessions >= RX_PURGE_MAX || p->login_attempts >= RX_PURGE_MAX ||
                      p->idempotency_keys >= RX_PURGE_MAX;
        int purged = p->sessions || p->login_attempts || p->idempotency_keys;
        int acted = j.res.escalated || j.res.stalled || j.closed;
        if (acted || purged)
            rx_log(acted || backlog ? RX_LOG_INFO : RX_LOG_DEBUG,
                   "msg=\"sweep\" escalated=%d stalled=%d checkouts_closed=%d sessions_purged=%lld"
                   " login_attempts_purged=%lld idempotency_keys_purged=%lld",
                   j.res.escalated, j.res.stalled, j.closed, (long long)p->sessions,
                   (long long)p->login_attempts, (long long)p->idempotency_keys);
    }
    return NULL;
}

int rx_help_sweeper_start(struct rx_app *app, struct rx_help_sweeper **out)
{
    *out = NULL;
    long interval = app->cfg->help_sweep_seconds;
    if (interval <= 0) return 0;
    struct rx_help_sweeper *s = rx_calloc(1, sizeof *s);
    if (!s) return -1;
    s->app = app;
    s->interval = interval > 86400 ? 86400 : interval;
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

void rx_help_sweeper_stop(struct rx_help_sweeper *s)
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
    if (!rx_test_route_allowed(r)) return;
    struct sweep_job j = {.app = r->app, .now = r->now};
    int rc = sweep_fn(r->db, &j);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    struct rx_json *w = rx_json_begin(r);
    rx_json_obj(w);
    rx_json_kint(w, "escalated", j.res.escalated);
    rx_json_kint(w, "stalled", j.res.stalled);
    rx_json_kint(w, "checkouts_closed", j.closed);
    rx_json_kint(w, "records_flagged", j.flagged);
    rx_json_kint(w, "sessions_purged", j.purged.sessions);
    rx_json_kint(w, "login_attempts_purged", j.purged.login_attempts);
    rx_json_kint(w, "idempotency_keys_purged", j.purged.idempotency_keys);
    rx_json_end(w);
    rx_purge_count(&j.purged);
    rx_reply(r, 200);
}
