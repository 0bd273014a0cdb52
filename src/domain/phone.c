/* phone.c: see phone.h. The input is reduced to its digits (and a leading '+'), then the
 * prefix is recognised by length alone: 11 digits is the number, 13 starting "86", or 15
 * starting "0086", is the number with a country code. No mobile number starts with 8 or 0,
 * so the lengths cannot be confused. */
#include "domain/phone.h"
#include <stdbool.h>
#include <string.h>

static bool valid11(const char *d)
{
    if (d[0] != '1' || d[1] < '3' || d[1] > '9') return false;
    for (int i = 0; i < RX_PHONE_LEN; i++)
        if (d[i] < '0' || d[i] > '9') return false;
    return true;
}

int rx_phone_normalize(const char *s, size_t n, char *out, size_t outsz)
{
    char d[RX_PHONE_MAX_INPUT];
    size_t k = 0;
    bool plus = false;

    if (outsz < RX_PHONE_SIZE) return RX_PHONE_ESIZE;
    if (n > RX_PHONE_MAX_INPUT) return RX_PHONE_EINVAL;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '-') continue;
        if (c == '+' && k == 0 && !plus) {
            plus = true;
            continue;
        }
        if (c < '0' || c > '9') return RX_PHONE_EINVAL;
        d[k++] = c;
    }

    const char *num = d;
    if (plus) { /* "+" must introduce exactly "86" and the number */
        if (k != 13 || memcmp(d, "86", 2) != 0) return RX_PHONE_EINVAL;
        num = d + 2;
    } else if (k == 13 && memcmp(d, "86", 2) == 0) {
        num = d + 2;
    } else if (k == 15 && memcmp(d, "0086", 4) == 0) {
        num = d + 4;
    } else if (k != RX_PHONE_LEN) {
        return RX_PHONE_EINVAL;
    }
    if (!valid11(num)) return RX_PHONE_EINVAL;
    memcpy(out, num, RX_PHONE_LEN);
    out[RX_PHONE_LEN] = 0;
    return RX_PHONE_OK;
}

int rx_phone_mask(const char *phone, size_t n, char *out, size_t outsz)
{
    if (outsz < RX_PHONE_SIZE) return RX_PHONE_ESIZE;
    if (n != RX_PHONE_LEN) return RX_PHONE_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (phone[i] < '0' || phone[i] > '9') return RX_PHONE_EINVAL;
    memcpy(out, phone, 3);
    memset(out + 3, '*', 4);
    memcpy(out + 7, phone + 7, 4);
    out[RX_PHONE_LEN] = 0;
    return RX_PHONE_OK;
}
