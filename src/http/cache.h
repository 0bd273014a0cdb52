/* cache.h: what an HTTP thread may remember between requests, and exactly when it must forget.
 *
 * Two things are looked up again and again with the same answer: who a session cookie or API
 * token belongs to (two statements: the credential, then the user's grants), and the answers
 * of the busiest GET routes (a street's open activities, a dashboard's report, the inbox badge)
 * asked by the same person for the same URL. Each HTTP thread keeps both in memory of its
 * own (no locks), and before every API request asks its own read connection whether anyone
 * has committed since (PRAGMA data_version, rx_db_data_version): one commit anywhere, by this
 * server or by the CLI, forgets everything. Answers also belong to one second of the app
 * clock, so nothing that depends on "now" can go stale either. A hit therefore answers exactly
 * what the handler would have answered at that moment; the cache only saves the work.
 *
 * Only on SQLite (one server per data directory; PostgreSQL cannot tell us about other
 * servers' commits, so nothing is kept there), and only when `answer-cache-mib` is not 0. */
#ifndef RX_HTTP_CACHE_H
#define RX_HTTP_CACHE_H
#include "http/http.h"
#include <stddef.h>
#include <stdint.h>

struct rx_db;

/* Called once per API request on an HTTP thread, with that thread's read connection. Forgets
 * everything when the database changed (or the connection did); returns 1 when this request
 * may use the caches, 0 when not (turned off, unsupported backend, or the check failed). */
int rx_cache_begin(struct rx_db *db, size_t cap_bytes);

enum rx_cred { RX_CRED_SESSION = 1, RX_CRED_TOKEN = 2 };

/* Who a credential (its SHA-256 hex) belongs to, as last read: copies the identity and grants
 * into *auth (strings into the arena) and returns 1, with the session's last_seen and
 * expires_at for the caller's expiry checks. 0 when not known. */
int rx_cache_auth_get(enum rx_cred kind, const char *hash, struct rx_auth *auth,
                      struct rx_arena *arena, int64_t *last_seen, int64_t *expires_at);
void rx_cache_auth_put(enum rx_cred kind, const char *hash, const struct rx_auth *auth,
                       int64_t last_seen, int64_t expires_at);

/* A whole answer body for a key (route, caller, language, host, path and query, built by the
 * server), valid for the second `now`. */
int rx_cache_answer_get(const char *key, size_t keylen, int64_t now, const char **body,
                        size_t *len);
void rx_cache_answer_put(const char *key, size_t keylen, int64_t now, const char *body,
                         size_t len);

#endif
