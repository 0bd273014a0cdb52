/* utf8.c: see utf8.h. The decoder follows the well-formed byte sequence table of the Unicode
 * standard (section 3.9, Table 3-7): the second byte's range depends on the first byte, which
 * is what rules out overlongs (E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and code points
 * above U+10FFFF (F4 90..BF, F5..FF) without decoding first and checking after. */
#include "lib/utf8.h"

int rx_utf8_next(const char *s, size_t n, size_t *pos, uint32_t *cp)
{
    const unsigned char *p;
    size_t left, len;
    unsigned char b0;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    uint32_t c;

    if (*pos >= n) return RX_UTF8_EINVAL;
    p = (const unsigned char *)s + *pos;
    left = n - *pos;
    b0 = p[0];
    if (b0 < 0x80) {
        *cp = b0;
        *pos += 1;
        return RX_UTF8_OK;
    }
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2;
        c = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3;
        c = b0 & 0x0F;
        if (b0 == 0xE0) lo = 0xA0;
        if (b0 == 0xED) hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4;
        c = b0 & 0x07;
        if (b0 == 0xF0) lo = 0x90;
        if (b0 == 0xF4) hi = 0x8F;
    } else {
        return RX_UTF8_EINVAL; /* 80..C1 (continuation or overlong lead), F5..FF */
    }
    if (left < len) return RX_UTF8_EINVAL;
    if (p[1] < lo || p[1] > hi) return RX_UTF8_EINVAL;
    c = (c << 6) | (p[1] & 0x3F);
    for (size_t i = 2; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) return RX_UTF8_EINVAL;
        c = (c << 6) | (p[i] & 0x3F);
    }
    *cp = c;
    *pos += len;
    return RX_UTF8_OK;
}

bool rx_utf8_valid(const char *s, size_t n)
{
    size_t pos = 0;
    uint32_t cp;

    while (pos < n) {
        /* ASCII runs are the common case; skip them without the full decoder. */
        if ((unsigned char)s[pos] < 0x80) {
            pos++;
            continue;
        }
        if (rx_utf8_next(s, n, &pos, &cp) != RX_UTF8_OK) return false;
    }
    return true;
}

int rx_utf8_len(const char *s, size_t n, size_t *count)
{
    size_t pos = 0, k = 0;
    uint32_t cp;

    while (pos < n) {
        if (rx_utf8_next(s, n, &pos, &cp) != RX_UTF8_OK) return RX_UTF8_EINVAL;
        k++;
    }
    *count = k;
    return RX_UTF8_OK;
}

static bool is_control_byte(unsigned char c, bool single_line)
{
    if (c == '\t' || c == '\n' || c == '\r') return single_line;
    return c < 0x20 || c == 0x7F;
}

static bool has_control(const char *s, size_t n, bool single_line)
{
    const unsigned char *p = (const unsigned char *)s;

    for (size_t i = 0; i < n; i++) {
        if (is_control_byte(p[i], single_line)) return true;
        if (p[i] == 0xC2 && i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F) return true;
    }
    return false;
}

bool rx_utf8_has_control(const char *s, size_t n)
{
    return has_control(s, n, false);
}

int rx_utf8_check_text(const char *s, size_t n, size_t max_cp, unsigned flags)
{
    size_t count;

    if (rx_utf8_len(s, n, &count) != RX_UTF8_OK) return RX_UTF8_EINVAL;
    if (has_control(s, n, (flags & RX_UTF8_SINGLE_LINE) != 0)) return RX_UTF8_ECONTROL;
    if (count > max_cp) return RX_UTF8_ETOOLONG;
    return RX_UTF8_OK;
}

size_t rx_utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp > 0x10FFFF) return 0;
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}
