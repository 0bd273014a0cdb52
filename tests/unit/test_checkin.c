/* test_checkin.c: QR check-in tokens. Known answers were computed independently with
 * Python's hmac module: base32(HMAC-SHA256(bytes 0..31, "rexin-checkin:<id>:<step>")[:10]). */
#include "testutil.h"
#include "domain/checkin.h"
#include <sodium.h>

#define B(lit) lit, sizeof(lit) - 1
#define T0 1795932000LL /* 2026-11-29 14:00:00 +08:00, a step boundary */

static unsigned char secret[RX_CHECKIN_SECRET_LEN];

static int setup(void **state)
{
    if (sodium_init() < 0) return -1;
    for (int i = 0; i < RX_CHECKIN_SECRET_LEN; i++)
        secret[i] = (unsigned char)i;
    return 0;
}

struct kat {
    int64_t activity;
    int64_t t;
    const char *token;
};

static const struct kat kats[] = {
    {42, T0, "VSHMHVUHNBQ7B2O6"},
    {42, T0 + 29, "VSHMHVUHNBQ7B2O6"}, /* same step */
    {42, T0 + 30, "VKJQ7ZM4TTOAVJ2J"}, /* next step */
    {7, 0, "5X3MFQTBX6HQWPHK"},
    {1, -1, "IELY2BVC326ZSG62"},   /* step -1: floor, not truncation */
    {-5, -31, "KJMX3ANBTC5H5YBS"}, /* step -2 */
};

static void test_known_answers(void **state)
{
    for (size_t i = 0; i < ARRAY_LEN(kats); i++) {
        char out[RX_CHECKIN_TOKEN_SIZE];
        assert_int_equal(rx_checkin_token(secret, kats[i].activity, kats[i].t, out, sizeof(out)),
                         RX_CHECKIN_OK);
        assert_string_equal(out, kats[i].token);
    }
    char small[RX_CHECKIN_TOKEN_LEN];
    assert_int_equal(rx_checkin_token(secret, 42, T0, small, sizeof(small)), RX_CHECKIN_ESIZE);
}

struct verify_case {
    const char *name;
    int64_t activity; /* activity the scan claims */
    const char *token;
    size_t n;
    int64_t now;
    int rc;
};

/* Token "VSHMHVUHNBQ7B2O6" was shown for activity 42 during [T0, T0 + 30). */
static const struct verify_case verify_cases[] = {
    {"same moment", 42, B("VSHMHVUHNBQ7B2O6"), T0, RX_CHECKIN_OK},
    {"end of its step", 42, B("VSHMHVUHNBQ7B2O6"), T0 + 29, RX_CHECKIN_OK},
    {"previous step", 42, B("VSHMHVUHNBQ7B2O6"), T0 + 30, RX_CHECKIN_OK},
    {"end of previous step", 42, B("VSHMHVUHNBQ7B2O6"), T0 + 59, RX_CHECKIN_OK},
    {"two steps ago", 42, B("VSHMHVUHNBQ7B2O6"), T0 + 60, RX_CHECKIN_EINVALID},
    {"yesterday's photo", 42, B("VSHMHVUHNBQ7B2O6"), T0 + 86400, RX_CHECKIN_EINVALID},
    {"from the future", 42, B("VSHMHVUHNBQ7B2O6"), T0 - 1, RX_CHECKIN_EINVALID},
    {"wrong activity", 43, B("VSHMHVUHNBQ7B2O6"), T0, RX_CHECKIN_EINVALID},
    {"tampered first char", 42, B("WSHMHVUHNBQ7B2O6"), T0, RX_CHECKIN_EINVALID},
    {"tampered last char", 42, B("VSHMHVUHNBQ7B2O7"), T0, RX_CHECKIN_EINVALID},
    {"lower case", 42, B("vshmhvuhnbq7b2o6"), T0, RX_CHECKIN_EFORMAT},
    {"too short", 42, B("VSHMHVUHNBQ7B2O"), T0, RX_CHECKIN_EFORMAT},
    {"too long", 42, B("VSHMHVUHNBQ7B2O6A"), T0, RX_CHECKIN_EFORMAT},
    {"padding", 42, B("VSHMHVUHNBQ7B2O="), T0, RX_CHECKIN_EFORMAT},
    {"digit 1 not in alphabet", 42, B("VSHMHVUHNBQ7B2O1"), T0, RX_CHECKIN_EFORMAT},
    {"digit 8 not in alphabet", 42, B("VSHMHVUHNBQ8B2O6"), T0, RX_CHECKIN_EFORMAT},
    {"NUL inside", 42, B("VSHMHVUH\0BQ7B2O6"), T0, RX_CHECKIN_EFORMAT},
    {"empty", 42, B(""), T0, RX_CHECKIN_EFORMAT},
    {"UTF-8", 42, B("VSHMHVUHNBQ7B2\xC3\x96"), T0, RX_CHECKIN_EFORMAT},
};

static void test_verify_table(void **state)
{
    for (size_t i = 0; i < ARRAY_LEN(verify_cases); i++) {
        const struct verify_case *c = &verify_cases[i];
        int rc = rx_checkin_verify(secret, c->activity, c->token, c->n, c->now);
        if (rc != c->rc) fail_msg("%s: rc %d want %d", c->name, rc, c->rc);
    }
}

/* Another secret makes every token worthless; and every single-character change of a valid
 * token is rejected. */
static void test_secret_and_tampering(void **state)
{
    unsigned char other[RX_CHECKIN_SECRET_LEN];
    char tok[RX_CHECKIN_TOKEN_SIZE];
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    memcpy(other, secret, sizeof(other));
    other[31] ^= 1;
    assert_int_equal(rx_checkin_token(secret, 42, T0, tok, sizeof(tok)), RX_CHECKIN_OK);
    assert_int_equal(rx_checkin_verify(other, 42, tok, 16, T0), RX_CHECKIN_EINVALID);
    for (int pos = 0; pos < RX_CHECKIN_TOKEN_LEN; pos++) {
        for (int k = 0; k < 32; k++) {
            char t2[RX_CHECKIN_TOKEN_SIZE];
            memcpy(t2, tok, sizeof(t2));
            if (t2[pos] == alphabet[k]) continue;
            t2[pos] = alphabet[k];
            assert_int_equal(rx_checkin_verify(secret, 42, t2, 16, T0), RX_CHECKIN_EINVALID);
        }
    }
}

/* Random secrets and activities: a token always verifies within its window, never after. */
static void test_window_random(void **state)
{
    for (int i = 0; i < 200; i++) {
        unsigned char s[RX_CHECKIN_SECRET_LEN];
        char tok[RX_CHECKIN_TOKEN_SIZE];
        int64_t id = (int64_t)randombytes_uniform(1000000) + 1;
        int64_t t = T0 + (int64_t)randombytes_uniform(86400 * 365);
        int64_t start = t - (t % 30);
        randombytes_buf(s, sizeof(s));
        assert_int_equal(rx_checkin_token(s, id, t, tok, sizeof(tok)), RX_CHECKIN_OK);
        assert_int_equal(rx_checkin_verify(s, id, tok, 16, start), RX_CHECKIN_OK);
        assert_int_equal(rx_checkin_verify(s, id, tok, 16, start + 59), RX_CHECKIN_OK);
        assert_int_equal(rx_checkin_verify(s, id, tok, 16, start + 60), RX_CHECKIN_EINVALID);
        assert_int_equal(rx_checkin_verify(s, id, tok, 16, start - 1), RX_CHECKIN_EINVALID);
        assert_int_equal(rx_checkin_verify(s, id + 1, tok, 16, t), RX_CHECKIN_EINVALID);
    }
}

static void test_seconds_left(void **state)
{
    static const struct {
        int64_t t;
        int left;
    } t[] = {
        {T0, 30},
        {T0 + 1, 29},
        {T0 + 29, 1},
        {0, 30},
        {-1, 1},
        {-30, 30},
        {-31, 1},
        {-59, 29},
        {INT64_MAX, 30 - (int)(INT64_MAX % 30)},
        {INT64_MIN, 30 - (int)(INT64_MIN % 30 + 30)},
    };
    for (size_t i = 0; i < ARRAY_LEN(t); i++)
        if (rx_checkin_seconds_left(t[i].t) != t[i].left) fail_msg("case %zu", i);
    char tok[RX_CHECKIN_TOKEN_SIZE];
    assert_int_equal(rx_checkin_token(secret, INT64_MIN, INT64_MIN, tok, sizeof(tok)), 0);
    assert_int_equal(rx_checkin_verify(secret, INT64_MIN, tok, 16, INT64_MIN), RX_CHECKIN_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_answers),        cmocka_unit_test(test_verify_table),
        cmocka_unit_test(test_secret_and_tampering), cmocka_unit_test(test_window_random),
        cmocka_unit_test(test_seconds_left),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
