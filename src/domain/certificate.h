/* certificate.h: the rules of 志愿服务记录证明 (service record certificates) that need no I/O.
 *
 * Numbers: "ZZ-<issuer>-<year>-<seq>", e.g. "ZZ-O12-2026-000123". The issuer is an org unit
 * ("O" + id) or a team ("T" + id): 谁记录谁证明, the unit that recorded the service issues
 * it. seq counts from 1 per issuer and year (the store keeps the counter and a unique index);
 * it is zero-padded to six digits and grows past them if ever needed.
 *
 * Check codes: the verification link carries ?c=<check>, the first RX_CERT_CHECK_LEN hex
 * digits of HMAC-SHA256(key, number). Numbers are guessable (sequential); the check code is
 * not, so a verification without it learns nothing.
 *
 * Masked names: the first character and one '*' for each of the others ("张*", "欧阳**").
 * All outputs go into caller buffers. */
#ifndef RX_CERTIFICATE_H
#define RX_CERTIFICATE_H
#include <stddef.h>
#include <stdint.h>

#define RX_CERT_NUMBER_MAX 40  /* longest number text, NUL included */
#define RX_CERT_CHECK_LEN 12   /* hex digits of the check code (48 bits) */
#define RX_CERT_KEY_LEN 32     /* HMAC-SHA256 key bytes */

enum rx_cert_status {
    RX_CERT_OK = 0,
    RX_CERT_EINVAL = 1, /* bad argument: issuer kind, id, year or seq out of range */
    RX_CERT_ESIZE = 2,  /* output buffer too small */
};

/* Writes the number for issuer kind 'O' (org unit) or 'T' (team), issuer id >= 1, year
 * 2000..9999 and seq >= 1. */
int rx_cert_number_format(char kind, int64_t issuer_id, int year, int64_t seq, char *out,
                          size_t outsz);
/* 1 when s[0..n) has the shape of a number (what the verification page accepts). */
int rx_cert_number_valid(const char *s, size_t n);
/* The check code of number as lower-case hex, RX_CERT_CHECK_LEN digits and a NUL. */
void rx_cert_check_code(const unsigned char key[RX_CERT_KEY_LEN], const char *number,
                        char out[RX_CERT_CHECK_LEN + 1]);
/* 1 when code (may be NULL) is number's check code; compared in constant time. */
int rx_cert_check_ok(const unsigned char key[RX_CERT_KEY_LEN], const char *number,
                     const char *code);
/* Masks a UTF-8 name; invalid UTF-8 or an empty name gives "*". */
int rx_cert_mask_name(const char *name, char *out, size_t outsz);

#endif
