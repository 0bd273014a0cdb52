/* purge.c: see purge.h. Retention follows how each table is read:
 *
 * - sessions: Q_SESSION_LOOKUP accepts a session while expires_at > now and last_seen >
 *   now - session-idle. A row past either limit can never be used again; it goes at the next
 *   sweep (idle ones after a short grace, see RX_SESSION_PURGE_GRACE).
 * - login_attempts: the throttle (api/session.c) counts failures of the last RX_LOGIN_WINDOW
 *   seconds; nothing older is read. Kept four windows.
 * - idempotency_keys: a retried write finds its first answer by (user, key) at any age.
 *   Retries come from phones on bad networks: seconds to hours later, never later than the
 *   browser session that sent them lives (session-max, a week by default), and integrations
 *   retry within minutes. Kept max(24 h, session-max).
 *
 * Each DELETE takes at most RX_PURGE_MAX rows through a key subquery with LIMIT (portable:
 * PostgreSQL has no DELETE ... LIMIT); indexes on the time columns (migration 0013) keep a
 * sweep with nothing to purge from reading whole tables. */
#include "api/purge.h"
#include "http/server.h"
#include <stdatomic.h>

static _Atomic uint64_t total_sessions, total_login_attempts, total_idem;

int rx_purge(struct rx_app *app, struct rx_db *db, int64_t now, struct rx_purge_result *out)
{
    out->sessions = out->login_attempts = out->idempotency_keys = 0;
    int64_t idle = app->cfg->session_idle + RX_SESSION_PURGE_GRACE;
    int64_t idem_keep =
        app->cfg->session_max > RX_IDEM_KEEP_MIN ? app->cfg->session_max : RX_IDEM_KEEP_MIN;
    int rc =
        rx_db_exec(db, Q_SESSION_PURGE, RX_ARGS(RX_I(now), RX_I(now - idle), RX_I(RX_PURGE_MAX)),
                   &out->sessions, NULL);
    if (!rc)
        rc = rx_db_exec(db, Q_LOGIN_ATTEMPT_PURGE,
                        RX_ARGS(RX_I(now - RX_LOGIN_ATTEMPT_KEEP), RX_I(RX_PURGE_MAX)),
                        &out->login_attempts, NULL);
    if (!rc)
        rc = rx_db_exec(db, Q_IDEM_PURGE, RX_ARGS(RX_I(now - idem_keep), RX_I(RX_PURGE_MAX)),
                        &out->idempotency_keys, NULL);
    return rc;
}

void rx_purge_count(const struct rx_purge_result *res)
{
    atomic_fetch_add(&total_sessions, (uint64_t)res->sessions);
    atomic_fetch_add(&total_login_attempts, (uint64_t)res->login_attempts);
    atomic_fetch_add(&total_idem, (uint64_t)res->idempotency_keys);
}

void rx_purge_metrics_write(struct rx_buf *out)
{
    rx_buf_printf(
        out,
        "# HELP rexin_purged_rows_total Expired rows deleted by the sweep of this process.\n"
        "# TYPE rexin_purged_rows_total counter\n"
        "rexin_purged_rows_total{table=\"sessions\"} %llu\n"
        "rexin_purged_rows_total{table=\"login_attempts\"} %llu\n"
        "rexin_purged_rows_total{table=\"idempotency_keys\"} %llu\n",
        (unsigned long long)atomic_load(&total_sessions),
        (unsigned long long)atomic_load(&total_login_attempts),
        (unsigned long long)atomic_load(&total_idem));
}
