/* recent.h: who wrote a moment ago, for read-your-writes with a read replica.
 *
 * A READ step of a report route may run on the read replica (--db-read), which lags the
 * primary by a little. A user who has just written must still see the write, so for
 * `window` seconds after each successful write of a user the server sends that user's reads
 * to the primary. This table remembers the last write per user on this server; the answer
 * to the write also carries the time in a cookie (rexin_wrote) and a header
 * (X-Rexin-Wrote) that browsers and clients send back, so another server behind the same
 * load balancer knows too. Fixed size (no allocation after creation); when it is full of
 * users who all wrote within the window, the oldest in a probe run is forgotten and that
 * user relies on the cookie alone.
 *
 * Thread-safe. rx_recent_new's result is owned by the caller (rx_app) and freed with
 * rx_recent_free. */
#ifndef RX_RECENT_H
#define RX_RECENT_H
#include <stdint.h>

struct rx_recent;

struct rx_recent *rx_recent_new(int window);
void rx_recent_free(struct rx_recent *t);
/* Records a write by user_id at `now` (unix seconds). */
void rx_recent_note(struct rx_recent *t, int64_t user_id, int64_t now);
/* 1 when user_id wrote within the window before now, by this table or by `hint` (the
 * time a client says it last wrote: cookie or header; 0 when none). */
int rx_recent_wrote(struct rx_recent *t, int64_t user_id, int64_t hint, int64_t now);
int rx_recent_window(const struct rx_recent *t);

#endif
