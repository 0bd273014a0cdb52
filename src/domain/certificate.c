/* certificate.c: see certificate.h. */
#include "domain/certificate.h"
#include "lib/utf8.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

int rx_cert_number_format(char kind, int64_t issuer_id, int year, int64_t seq, char *out,
                          size_t outsz)
{
    if ((kind != 'O' && kind != 'T') || issuer_id < 1 || issuer_id > 999999999999LL ||
        year < 2000 || year > 9999 || seq < 1 || seq > 999999999LL)
        return RX_CERT_EINVAL;
    int n = snprintf(out, outsz, "ZZ-%c%lld-%04d-%06lld", kind, (long long)issuer_id, year,
                     (long long)seq);
    if (n < 0 || (size_t)n >= outsz) return RX_CERT_ESIZE;
    return RX_CERT_OK;
}

/* digits in s[*i..n), at least lo and at most hi of them; advances *i */
static int digits(const char *s, size_t n, size_t *i, size_t lo, size_t hi)
{
    size_t k = 0;
    while (*i < n && s[*i] >= '0' && s[*i] <= '9') (*i)++, k++;
    return k >= lo && k <= hi;
}

int rx_cert_number_valid(const char *s, size_t n)
{
    size_t i = 3;
    if (!s || n < 3 + 2 + 1 + 5 + 6 || n >= RX_CERT_NUMBER_MAX || memcmp(s, "ZZ-", 3) != 0)
        return 0;
    if (s[i] != 'O' && s[i] != 'T') return 0;
    i++;
    if (s[i] == '0' || !digits(s, n, &i, 1, 12)) return 0;
    if (i >= n || s[i++] != '-') return 0;
    if (!digits(s, n, &i, 4, 4)) return 0;
    if (i >= n || s[i++] != '-') return 0;
    if (!digits(s, n, &i, 6, 9)) return 0;
    return i == n;
}

void rx_cert_check_code(const unsigned char key[RX_CERT_KEY_LEN], const char *number,
                        char out[RX_CERT_CHECK_LEN + 1])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    /* A label keeps this MAC apart from anything else the same key signs (QR check-in). */
    static const char label[] = "rexin-certificate-v1\n";
    crypto_auth_hmacsha256_init(&st, key, RX_CERT_KEY_LEN);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)label, sizeof label - 1);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)number, strlen(number));
    crypto_auth_hmacsha256_final(&st, mac);
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < RX_CERT_CHECK_LEN / 2; i++) {
        out[2 * i] = hex[mac[i] >> 4];
        out[2 * i + 1] = hex[mac[i] & 15];
    }
    out[RX_CERT_CHECK_LEN] = 0;
}

int rx_cert_check_ok(const unsigned char key[RX_CERT_KEY_LEN], const char *number,
                     const char *code)
{
    char want[RX_CERT_CHECK_LEN + 1];
    if (!code || strlen(code) != RX_CERT_CHECK_LEN) return 0;
    rx_cert_check_code(key, number, want);
    return sodium_memcmp(want, code, RX_CERT_CHECK_LEN) == 0;
}

int rx_cert_mask_name(const char *name, char *out, size_t outsz)
{
    size_t n = name ? strlen(name) : 0, pos = 0, len = 0;
    uint32_t cp;
    if (outsz < 2) return RX_CERT_ESIZE;
    if (!n || !rx_utf8_valid(name, n) || rx_utf8_next(name, n, &pos, &cp) != 0) {
        out[0] = '*';
        out[1] = 0;
        return RX_CERT_OK;
    }
    if (pos + 1 > outsz) return RX_CERT_ESIZE;
    memcpy(out, name, pos);
    len = pos;
    while (pos < n && rx_utf8_next(name, n, &pos, &cp) == 0) {
        if (len + 2 > outsz) return RX_CERT_ESIZE;
        out[len++] = '*';
    }
    out[len] = 0;
    return RX_CERT_OK;
}
