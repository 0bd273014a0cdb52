/* sweep.h: background work nobody asks for: a thread that runs a sweep as a write job every
 * RX_SWEEP_SECONDS, and POST /api/v1/test/sweep, which runs the same sweep at once (only with
 * REXIN_TEST_CLOCK=1, for a city administrator), so tests need not wait.
 *
 * What a sweep does:
 *   - missed check-outs: attendances of activities whose check-out window closed (end + 2 h)
 *     with the person checked in but never out get their service record as finishing the
 *     activity would make it (pending, needs_review, no_checkout, minutes to the scheduled end;
 *     activity_common.c), and are closed (checkout_via 'closed', checkout_at left NULL), so
 *     nobody waits for a leader who forgot to finish. A leader's later check-out by hand still
 *     recomputes the pending record.
 * A sweep is idempotent (what it closes is closed once, guarded in the UPDATE), so several
 * servers sweeping one database do the work once. It runs as the system: audit entries have
 * no user and no address. */
#ifndef RX_SWEEP_H
#define RX_SWEEP_H
#include "http/http.h"
#include <stdint.h>

#define RX_SWEEP_SECONDS 60

struct rx_app;
struct rx_db;

struct rx_sweep_result {
    int checkouts_closed; /* open attendances closed by this sweep */
    int records_flagged;  /* of them, how many got a record for review now */
};
/* One sweep inside a write job on db at time now. */
int rx_sweep_run(struct rx_app *app, struct rx_db *db, int64_t now, struct rx_sweep_result *out);

/* The background thread; owned by main.c (rx_sweeper_stop joins and frees it). */
struct rx_sweeper;
int rx_sweeper_start(struct rx_app *app, struct rx_sweeper **out);
void rx_sweeper_stop(struct rx_sweeper *s);

/* POST /api/v1/test/sweep */
void rx_api_test_sweep(struct rx_req *r);

#endif
