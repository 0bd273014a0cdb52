/* seed_admin.h: the first-start data of an in-process server (fuzz/http_request.c,
 * tests/unit/test_oom_http.c), plus an API token and a session for admin whose plain values
 * the caller chose, so it can send them. A write job: pass a struct rx_seed_admin to
 * rx_store_write with rx_seed_admin_fn. Header-only: the fuzz build (clang) and the unit
 * tests (gcc) each compile it into their own program. */
#ifndef RX_TESTS_SEED_ADMIN_H
#define RX_TESTS_SEED_ADMIN_H
#include "lib/crypto.h"
#include "store/seed.h"
#include "store/store.h"
#include <string.h>

struct rx_seed_admin {
    const char *hash;    /* admin's password hash */
    int64_t now;
    const char *token;   /* plain bearer token to register for admin */
    const char *session; /* plain session cookie value to register for admin */
    const char *label;   /* token name and session user agent */
};

static inline int rx_seed_admin_fn(struct rx_db *db, void *ctx)
{
    struct rx_seed_admin *s = ctx;
    int created = 0;
    int rc = rx_seed_first_start(db, s->now, s->hash, &created);
    if (rc) return rc;
    int64_t uid = 0;
    rc = rx_db_int(db, Q_USER_ID_BY_NAME, RX_ARGS(RX_T("admin")), &uid);
    if (rc) return rc;
    char h[RX_HASH_HEX_LEN + 1];
    rx_sha256_hex(s->token, strlen(s->token), h);
    rc = rx_db_exec(db, Q_TOKEN_INSERT, RX_ARGS(RX_T(h), RX_I(uid), RX_T(s->label), RX_I(s->now)),
                    NULL, NULL);
    if (rc) return rc;
    rx_sha256_hex(s->session, strlen(s->session), h);
    return rx_db_exec(db, Q_SESSION_INSERT,
                      RX_ARGS(RX_T(h), RX_I(uid), RX_I(s->now), RX_I(s->now + 100000000),
                              RX_T("127.0.0.1"), RX_T(s->label)),
                      NULL, NULL);
}

#endif
