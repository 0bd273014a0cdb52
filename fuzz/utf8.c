/* utf8.c: strict UTF-8 (src/lib/utf8.c) against a reference decoder written here the other
 * way round (decode any 2..4-byte shape first, then reject overlongs, surrogates and values
 * above U+10FFFF). Properties: rx_utf8_valid, rx_utf8_len, rx_utf8_next and
 * rx_utf8_has_control agree with the reference on every input; rx_utf8_check_text returns
 * the first failing check in its documented order; re-encoding decoded code points with
 * rx_utf8_encode gives the input bytes back. */
#include "fuzzutil.h"
#include "lib/utf8.h"

/* Length of the well-formed sequence at s (n bytes left) and its code point; 0 if none. */
static size_t ref_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c = s[0];
    size_t len;
    uint32_t v;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if ((c & 0xE0) == 0xC0) len = 2, v = c & 0x1F;
    else if ((c & 0xF0) == 0xE0) len = 3, v = c & 0x0F;
    else if ((c & 0xF8) == 0xF0) len = 4, v = c & 0x07;
    else return 0;
    if (len > n) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < min[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return len;
}

static int ref_control(uint32_t cp, int single_line)
{
    if (cp == '\t' || cp == '\n' || cp == '\r') return single_line;
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    unsigned flags = data[0] & 1 ? RX_UTF8_SINGLE_LINE : 0;
    size_t max_cp = data[0] >> 1;
    const char *s = (const char *)data + 1;
    const unsigned char *u = data + 1;
    size_t n = size - 1;

    int valid = 1, control = 0, control_sl = 0;
    size_t count = 0;
    char *re = malloc(n + 1);
    size_t rl = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp = 0, cp2 = 0;
        size_t len = ref_next(u + i, n - i, &cp);
        size_t pos = i;
        int rc = rx_utf8_next(s, n, &pos, &cp2);
        if (!len) {
            FZ_CHECK(rc == RX_UTF8_EINVAL && pos == i, "accepted invalid at %zu", i);
            valid = 0;
            i++;
            continue;
        }
        FZ_CHECK(rc == RX_UTF8_OK && pos == i + len && cp2 == cp, "at %zu: U+%04X vs U+%04X",
                 i, (unsigned)cp, (unsigned)cp2);
        char enc[4];
        FZ_CHECK(rx_utf8_encode(cp, enc) == len && memcmp(enc, u + i, len) == 0, "re-encoding");
        memcpy(re + rl, enc, len);
        rl += len;
        control |= ref_control(cp, 0);
        control_sl |= ref_control(cp, 1);
        count++;
        i += len;
    }
    size_t end = n;
    uint32_t dummy;
    FZ_CHECK(rx_utf8_next(s, n, &end, &dummy) == RX_UTF8_EINVAL, "read past the end");
    FZ_CHECK(rx_utf8_valid(s, n) == (valid != 0), "valid says %d", !valid);
    size_t k = 0;
    int lrc = rx_utf8_len(s, n, &k);
    FZ_CHECK(valid ? lrc == RX_UTF8_OK && k == count : lrc == RX_UTF8_EINVAL, "len");
    if (valid) {
        FZ_CHECK(rl == n && memcmp(re, s, n) == 0, "round trip");
        FZ_CHECK(rx_utf8_has_control(s, n) == (control != 0), "has_control");
        int want = control_sl && flags ? RX_UTF8_ECONTROL
                 : control && !flags   ? RX_UTF8_ECONTROL
                 : count > max_cp      ? RX_UTF8_ETOOLONG
                                       : RX_UTF8_OK;
        FZ_CHECK(rx_utf8_check_text(s, n, max_cp, flags) == want, "check_text, want %d", want);
    } else {
        FZ_CHECK(rx_utf8_check_text(s, n, max_cp, flags) == RX_UTF8_EINVAL, "check_text");
        if (control) FZ_CHECK(rx_utf8_has_control(s, n), "missed a control character");
    }
    free(re);
    return 0;
}
