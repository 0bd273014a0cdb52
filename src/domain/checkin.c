/* checkin.c: see checkin.h. */
#include "domain/checkin.h"
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>

#define MAC_BYTES 10 /* 80 bits = 16 base32 characters exactly, no padding */

static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

static int64_t step_of(int64_t t)
{
    int64_t q = t / RX_CHECKIN_STEP;
    if (t % RX_CHECKIN_STEP < 0) q--; /* floor for times before 1970 */
    return q;
}

/* The 16-character token (not NUL-terminated) of one step. */
static void token_at(const unsigned char *secret, int64_t activity_id, int64_t step,
                     char out[RX_CHECKIN_TOKEN_LEN])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    char msg[64];
    int len = snprintf(msg, sizeof(msg), "rexin-checkin:%" PRId64 ":%" PRId64, activity_id, step);
    crypto_auth_hmacsha256_state st;

    crypto_auth_hmacsha256_init(&st, secret, RX_CHECKIN_SECRET_LEN);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, (unsigned long long)len);
    crypto_auth_hmacsha256_final(&st, mac);
    /* 10 bytes are two 40-bit groups of 8 characters each */
    for (int g = 0; g < 2; g++) {
        uint64_t bits = 0;
        for (int i = 0; i < 5; i++)
            bits = (bits << 8) | mac[g * 5 + i];
        for (int i = 0; i < 8; i++)
            out[g * 8 + i] = b32[(bits >> (35 - 5 * i)) & 31];
    }
    sodium_memzero(&st, sizeof(st));
}

int rx_checkin_token(const unsigned char secret[RX_CHECKIN_SECRET_LEN], int64_t activity_id,
                     int64_t t, char *out, size_t outsz)
{
    if (outsz < RX_CHECKIN_TOKEN_SIZE) return RX_CHECKIN_ESIZE;
    token_at(secret, activity_id, step_of(t), out);
    out[RX_CHECKIN_TOKEN_LEN] = 0;
    return RX_CHECKIN_OK;
}

int rx_checkin_verify(const unsigned char secret[RX_CHECKIN_SECRET_LEN], int64_t activity_id,
                      const char *token, size_t n, int64_t now)
{
    char cur[RX_CHECKIN_TOKEN_LEN], prev[RX_CHECKIN_TOKEN_LEN];
    int64_t step = step_of(now);

    if (n != RX_CHECKIN_TOKEN_LEN) return RX_CHECKIN_EFORMAT;
    for (size_t i = 0; i < n; i++) {
        char c = token[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7'))) return RX_CHECKIN_EFORMAT;
    }
    token_at(secret, activity_id, step, cur);
    token_at(secret, activity_id, step - 1, prev);
    /* both comparisons always run, so timing does not tell which step matched */
    int a = sodium_memcmp(cur, token, RX_CHECKIN_TOKEN_LEN);
    int b = sodium_memcmp(prev, token, RX_CHECKIN_TOKEN_LEN);
    return ((a == 0) | (b == 0)) ? RX_CHECKIN_OK : RX_CHECKIN_EINVALID;
}

int rx_checkin_seconds_left(int64_t t)
{
    int64_t r = t % RX_CHECKIN_STEP;
    return RX_CHECKIN_STEP - (int)(r < 0 ? r + RX_CHECKIN_STEP : r);
}
