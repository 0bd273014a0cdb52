/* checkin.c: the QR check-in token (src/domain/checkin.c). The input gives an activity id,
 * a time and a scanned token. Properties: verification never accepts what is not 16
 * characters of A-Z2-7; a token made at t verifies at t and up to the next step boundary
 * plus one step, never two steps later, and never for another activity; a scanned token
 * accepted at `now` is the token of now's step or of the step before. */
#include "fuzzutil.h"
#include "domain/checkin.h"
#include <sodium.h>

static unsigned char secret[RX_CHECKIN_SECRET_LEN];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    if (sodium_init() < 0) abort();
    for (int i = 0; i < RX_CHECKIN_SECRET_LEN; i++) secret[i] = (unsigned char)(i * 7 + 1);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_in in = {data, size};
    int64_t id = (int64_t)fz_u64(&in);
    /* keep t where t +- a few steps does not overflow */
    int64_t t = (int64_t)(fz_u64(&in) >> 2) - ((int64_t)1 << 61);
    const char *tok = (const char *)in.p;
    size_t n = in.n;

    int rc = rx_checkin_verify(secret, id, tok, n, t);
    if (rc == RX_CHECKIN_OK) {
        char cur[RX_CHECKIN_TOKEN_SIZE], prev[RX_CHECKIN_TOKEN_SIZE];
        FZ_CHECK(n == RX_CHECKIN_TOKEN_LEN, "accepted %zu chars", n);
        rx_checkin_token(secret, id, t, cur, sizeof cur);
        rx_checkin_token(secret, id, t - RX_CHECKIN_STEP, prev, sizeof prev);
        FZ_CHECK(memcmp(tok, cur, 16) == 0 || memcmp(tok, prev, 16) == 0, "accepted a stranger");
    } else if (n != RX_CHECKIN_TOKEN_LEN) {
        FZ_CHECK(rc == RX_CHECKIN_EFORMAT, "rc %d for %zu chars", rc, n);
    }

    char made[RX_CHECKIN_TOKEN_SIZE];
    FZ_CHECK(rx_checkin_token(secret, id, t, made, sizeof made) == 0, "token");
    FZ_CHECK(rx_checkin_token(secret, id, t, made, RX_CHECKIN_TOKEN_SIZE - 1) == RX_CHECKIN_ESIZE,
             "no ESIZE");
    rx_checkin_token(secret, id, t, made, sizeof made);
    FZ_CHECK(strlen(made) == 16, "token length");
    int left = rx_checkin_seconds_left(t);
    FZ_CHECK(left >= 1 && left <= RX_CHECKIN_STEP, "seconds left %d", left);
    FZ_CHECK(rx_checkin_verify(secret, id, made, 16, t) == 0, "own token refused");
    FZ_CHECK(rx_checkin_verify(secret, id, made, 16, t + left - 1) == 0, "refused in its step");
    FZ_CHECK(rx_checkin_verify(secret, id, made, 16, t + left + RX_CHECKIN_STEP - 1) == 0,
             "refused in the next step");
    FZ_CHECK(rx_checkin_verify(secret, id, made, 16, t + left + RX_CHECKIN_STEP) != 0,
             "accepted two steps later");
    FZ_CHECK(rx_checkin_verify(secret, id ^ 1, made, 16, t) != 0, "accepted for another activity");
    return 0;
}
