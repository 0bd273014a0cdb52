/* name.c: see name.h. utf8proc does the Unicode part into a stack buffer of code points
 * (decompose, then compose: what utf8proc_map does, without its malloc); the Chinese-name
 * rules run over the composed code points, then the result is encoded into the caller's
 * buffer. The input cap bounds everything: the longest NFKC expansion of one code point is
 * 18 (U+FDFA), so 64 input code points need at most 64 * 18 slots. */
#include "domain/name.h"
#include <stdint.h>
#include <string.h>
#include <utf8proc.h>
#include "lib/utf8.h"

#define DOT 0x00B7
#define SPACE 0x0020
#define WORK_CP (RX_NAME_MAX_CP * 18)
#define OPTIONS                                                                                    \
    (UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_STABLE | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE)

bool rx_name_is_han(unsigned long c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x20000 && c <= 0x323AF) || (c >= 0xF900 && c <= 0xFAFF);
}

static bool is_dot(utf8proc_int32_t c)
{
    switch (c) {
    case 0x00B7: /* MIDDLE DOT, the standard one in Chinese transliterated names */
    case 0x2022: /* BULLET */
    case 0x30FB: /* KATAKANA MIDDLE DOT, what many Chinese IMEs produce */
    case 0x2027: /* HYPHENATION POINT */
    case 0xFF65: /* HALFWIDTH KATAKANA MIDDLE DOT (NFKC makes it U+30FB anyway) */
    case 0x22C5: /* DOT OPERATOR */
    case 0x2219: /* BULLET OPERATOR */
    case 0x0387: /* GREEK ANO TELEIA, which NFC makes U+00B7 */
        return true;
    }
    return false;
}

static bool is_space(utf8proc_int32_t c)
{
    if (c == ' ') return true;
    utf8proc_category_t cat = utf8proc_category(c);
    return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
           cat == UTF8PROC_CATEGORY_ZP;
}

/* Nearest code point before i (or after, with step +1) that is not a space; -1 if none. */
static utf8proc_int32_t neighbour(const utf8proc_int32_t *v, size_t n, size_t i, int step)
{
    for (size_t k = i; (step < 0 ? k > 0 : k + 1 < n);) {
        k = step < 0 ? k - 1 : k + 1;
        if (v[k] != SPACE) return v[k];
    }
    return -1;
}

int rx_name_normalize(const char *s, size_t n, char *out, size_t outsz, size_t *outlen)
{
    utf8proc_int32_t v[WORK_CP];
    utf8proc_ssize_t len;
    size_t k = 0, bytes = 0;

    if (n > RX_NAME_MAX_CP * 4) return RX_NAME_ETOOLONG;
    switch (rx_utf8_check_text(s, n, RX_NAME_MAX_CP, RX_UTF8_SINGLE_LINE)) {
    case RX_UTF8_OK:
        break;
    case RX_UTF8_ECONTROL:
        return RX_NAME_ECONTROL;
    case RX_UTF8_ETOOLONG:
        return RX_NAME_ETOOLONG;
    default:
        return RX_NAME_EUTF8;
    }
    len = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, v, WORK_CP, OPTIONS);
    if (len < 0) return RX_NAME_EUTF8;
    if (len > WORK_CP) return RX_NAME_ETOOLONG; /* cannot happen with the cap, kept honest */
    len = utf8proc_normalize_utf32(v, len, OPTIONS);
    if (len < 0) return RX_NAME_EUTF8;

    /* Pass 1: unify dots, turn every kind of space into one SPACE, trim, collapse runs. */
    for (utf8proc_ssize_t i = 0; i < len; i++) {
        utf8proc_int32_t c = v[i];
        if (is_space(c)) {
            if (k > 0 && v[k - 1] != SPACE) v[k++] = SPACE;
            continue;
        }
        v[k++] = is_dot(c) ? DOT : c;
    }
    if (k > 0 && v[k - 1] == SPACE) k--;

    /* Pass 2: an ASCII '.' between Han characters is a middle dot typed the easy way. */
    for (size_t i = 0; i < k; i++) {
        if (v[i] == '.' && rx_name_is_han((unsigned long)neighbour(v, k, i, -1)) &&
            rx_name_is_han((unsigned long)neighbour(v, k, i, +1)))
            v[i] = DOT;
    }

    /* Pass 3: drop spaces next to a dot or between Han characters; collapse repeated dots. */
    size_t m = 0;
    for (size_t i = 0; i < k; i++) {
        utf8proc_int32_t c = v[i];
        if (c == SPACE) {
            utf8proc_int32_t prev = v[m - 1], next = v[i + 1]; /* trimmed: both exist */
            if (prev == DOT || next == DOT) continue;
            if (rx_name_is_han((unsigned long)prev) && rx_name_is_han((unsigned long)next))
                continue;
        }
        if (c == DOT && m > 0 && v[m - 1] == DOT) continue;
        v[m++] = c;
    }

    if (m == 0) return RX_NAME_EEMPTY;
    if (m > RX_NAME_MAX_CP) return RX_NAME_ETOOLONG;
    for (size_t i = 0; i < m; i++) {
        char enc[4];
        size_t el = rx_utf8_encode((uint32_t)v[i], enc);
        if (el == 0) return RX_NAME_EUTF8;
        if (bytes + el + 1 > outsz) return RX_NAME_ESIZE;
        memcpy(out + bytes, enc, el);
        bytes += el;
    }
    out[bytes] = 0;
    if (outlen) *outlen = bytes;
    return RX_NAME_OK;
}

int rx_name_equal(const char *a, size_t an, const char *b, size_t bn, bool *eq)
{
    char ka[RX_NAME_SIZE], kb[RX_NAME_SIZE];
    size_t la, lb;
    int rc = rx_name_normalize(a, an, ka, sizeof(ka), &la);
    if (rc != RX_NAME_OK) return rc;
    rc = rx_name_normalize(b, bn, kb, sizeof(kb), &lb);
    if (rc != RX_NAME_OK) return rc;
    *eq = la == lb && memcmp(ka, kb, la) == 0;
    return RX_NAME_OK;
}

const char *rx_name_strerror(int rc)
{
    switch (rc) {
    case RX_NAME_OK:
        return "ok";
    case RX_NAME_EUTF8:
        return "name_invalid_utf8";
    case RX_NAME_ECONTROL:
        return "name_control_character";
    case RX_NAME_ETOOLONG:
        return "name_too_long";
    case RX_NAME_EEMPTY:
        return "name_empty";
    case RX_NAME_ESIZE:
        return "buffer_too_small";
    }
    return "unknown";
}
