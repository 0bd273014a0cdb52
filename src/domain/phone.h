/* phone.h: mainland China mobile numbers as people type them, normalised to the 11 digits
 * rexin stores (^1[3-9]\d{9}$), and masked for display ("138****5678").
 *
 * Accepted decoration: spaces, tabs and dashes anywhere; a country prefix "+86", "0086" or
 * "86" in front of the 11 digits. Anything else (letters, other country codes, landlines,
 * full-width digits) is RX_PHONE_EINVAL. Output goes into caller buffers; nothing is
 * allocated. */
#ifndef RX_PHONE_H
#define RX_PHONE_H
#include <stddef.h>

enum rx_phone_status {
    RX_PHONE_OK = 0,
    RX_PHONE_EINVAL = 1, /* not a mainland mobile number */
    RX_PHONE_ESIZE = 2,  /* output buffer too small */
};

#define RX_PHONE_LEN 11       /* digits of a normalised number */
#define RX_PHONE_SIZE 12      /* buffer for a normalised or masked number and its NUL */
#define RX_PHONE_MAX_INPUT 32 /* raw input longer than this is RX_PHONE_EINVAL */

/* Normalises s[0..n) into out ("13812345678"); out needs RX_PHONE_SIZE bytes. */
int rx_phone_normalize(const char *s, size_t n, char *out, size_t outsz);

/* Masks a normalised number: first 3 and last 4 digits kept ("138****5678"). The input must
 * be exactly 11 ASCII digits; out needs RX_PHONE_SIZE bytes. */
int rx_phone_mask(const char *phone, size_t n, char *out, size_t outsz);

#endif
