/* checkin.h: the short-lived token in an activity's check-in QR code.
 *
 * The code on the leader's screen changes every RX_CHECKIN_STEP seconds. Its token is
 *   base32(first 10 bytes of HMAC-SHA256(secret, "rexin-checkin:<activity_id>:<step>")),
 * step = floor(t / 30): 16 characters of the RFC 4648 alphabet, no padding. A scan is
 * accepted for the current step and the one before (so a code that changed while the phone
 * was focusing still works, at most 60 s), never later: a photo of yesterday's code is
 * worthless, and a code for one activity says nothing about another. The token proves
 * presence near the screen at that minute; it does not identify who scanned (the session
 * does), and it can be forwarded within its minute (the leader's list is the check on that).
 *
 * The secret is 32 random bytes kept by the server (never sent to the client). Callers must
 * have called sodium_init(). Pure apart from that; nothing is allocated. */
#ifndef RX_CHECKIN_H
#define RX_CHECKIN_H
#include <stddef.h>
#include <stdint.h>

enum rx_checkin_status {
    RX_CHECKIN_OK = 0,
    RX_CHECKIN_EFORMAT = 1,  /* not 16 characters of A-Z2-7 */
    RX_CHECKIN_EINVALID = 2, /* well formed but not the current or previous token */
    RX_CHECKIN_ESIZE = 3,    /* output buffer too small */
};

#define RX_CHECKIN_SECRET_LEN 32
#define RX_CHECKIN_STEP 30      /* seconds a token is shown */
#define RX_CHECKIN_TOKEN_LEN 16 /* characters */
#define RX_CHECKIN_TOKEN_SIZE 17

/* Writes the token for activity_id at unix time t into out (NUL-terminated);
 * out needs RX_CHECKIN_TOKEN_SIZE bytes. */
int rx_checkin_token(const unsigned char secret[RX_CHECKIN_SECRET_LEN], int64_t activity_id,
                     int64_t t, char *out, size_t outsz);

/* Checks token[0..n) scanned at unix time now for activity_id: RX_CHECKIN_OK if it is the
 * token of now's step or of the step before. Comparison is constant-time. */
int rx_checkin_verify(const unsigned char secret[RX_CHECKIN_SECRET_LEN], int64_t activity_id,
                      const char *token, size_t n, int64_t now);

/* Seconds until the token shown at t changes, 1..RX_CHECKIN_STEP (for the screen's refresh). */
int rx_checkin_seconds_left(int64_t t);

#endif
