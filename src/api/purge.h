/* purge.h: housekeeping of technical rows that only matter for a while, run by the
 * periodic sweep (api/help_sweep.c) in its write job. */
#ifndef RX_PURGE_H
#define RX_PURGE_H
#include "lib/buf.h"
#include "store/store.h"
#include <stdint.h>

/* Failed log-ins are counted over this many seconds (api/session.c). */
#define RX_LOGIN_WINDOW 900
/* Log-in attempts are kept this long: four throttling windows, so no attempt the throttle
 * counts is ever purged, even by a server whose clock runs a little ahead of another's. */
#define RX_LOGIN_ATTEMPT_KEEP (4 * RX_LOGIN_WINDOW)
/* Idempotency keys are kept at least this long (and at least session-max). */
#define RX_IDEM_KEEP_MIN 86400
/* A session idle this much longer than session-idle is purged: a request that found it
 * alive just before the limit may still be touching it. */
#define RX_SESSION_PURGE_GRACE 300
/* Rows deleted per table per sweep, so a backlog never holds the writer for long. */
#define RX_PURGE_MAX 2000

struct rx_app;

struct rx_purge_result {
    int64_t sessions, login_attempts, idempotency_keys; /* rows deleted */
};

/* Deletes expired sessions (past their absolute expiry, or idle longer than session-idle
 * plus the grace), log-in attempts older than RX_LOGIN_ATTEMPT_KEEP and idempotency keys
 * older than max(RX_IDEM_KEEP_MIN, session-max), at most RX_PURGE_MAX rows of each.
 * Runs inside a write job; not audited (expired technical rows, no one's data). */
int rx_purge(struct rx_app *app, struct rx_db *db, int64_t now, struct rx_purge_result *out);

/* Adds counts of a committed purge to the totals /metrics shows. */
void rx_purge_count(const struct rx_purge_result *res);
/* Appends the totals, Prometheus text format. */
void rx_purge_metrics_write(struct rx_buf *out);

#endif
