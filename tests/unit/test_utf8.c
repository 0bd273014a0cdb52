/* test_utf8.c: strict UTF-8 validation, code point counting, control characters. */
#include "testutil.h"
#include "lib/utf8.h"

#define B(lit) lit, sizeof(lit) - 1

struct valid_case {
    const char *s;
    size_t n;
    bool valid;
    size_t cps; /* code points when valid */
};

static const struct valid_case valid_cases[] = {
    {B(""), true, 0},
    {B("abc"), true, 3},
    {B("施杰"), true, 2},
    {B("艾克拜尔·米吉提"), true, 8},
    {B("\xF0\x9F\x98\x80"), true, 1}, /* U+1F600 */
    {B("\xF0\xA0\x80\x80"), true, 1}, /* U+20000, CJK ext B */
    {B("a\0b"), true, 3},             /* NUL is valid UTF-8; control check catches it */
    {B("\x7F"), true, 1},             /* DEL */
    {B("\xC2\x80"), true, 1},         /* U+0080 smallest 2-byte */
    {B("\xDF\xBF"), true, 1},         /* U+07FF */
    {B("\xE0\xA0\x80"), true, 1},     /* U+0800 smallest 3-byte */
    {B("\xED\x9F\xBF"), true, 1},     /* U+D7FF last before surrogates */
    {B("\xEE\x80\x80"), true, 1},     /* U+E000 first after surrogates */
    {B("\xEF\xBF\xBF"), true, 1},     /* U+FFFF noncharacter, still valid */
    {B("\xEF\xBB\xBF"), true, 1},     /* BOM */
    {B("\xF0\x90\x80\x80"), true, 1}, /* U+10000 smallest 4-byte */
    {B("\xF4\x8F\xBF\xBF"), true, 1}, /* U+10FFFF largest */
    {B("\x80"), false, 0},            /* lone continuation */
    {B("\xBF"), false, 0},
    {B("\xC0\x80"), false, 0},                 /* overlong NUL (Java's modified UTF-8) */
    {B("\xC1\xBF"), false, 0},                 /* overlong */
    {B("\xE0\x80\xAF"), false, 0},             /* overlong '/' */
    {B("\xE0\x9F\xBF"), false, 0},             /* overlong U+07FF */
    {B("\xF0\x80\x80\xAF"), false, 0},         /* overlong '/' */
    {B("\xF0\x8F\xBF\xBF"), false, 0},         /* overlong U+FFFF */
    {B("\xED\xA0\x80"), false, 0},             /* U+D800 high surrogate */
    {B("\xED\xBF\xBF"), false, 0},             /* U+DFFF low surrogate */
    {B("\xED\xA0\xBD\xED\xB8\x80"), false, 0}, /* CESU-8 surrogate pair */
    {B("\xF4\x90\x80\x80"), false, 0},         /* U+110000 */
    {B("\xF5\x80\x80\x80"), false, 0},
    {B("\xF8\x88\x80\x80\x80"), false, 0},     /* old 5-byte form */
    {B("\xFC\x84\x80\x80\x80\x80"), false, 0}, /* old 6-byte form */
    {B("\xFE"), false, 0},
    {B("\xFF"), false, 0},
    {B("\xC3"), false, 0},         /* truncated at end */
    {B("\xE6\x96"), false, 0},     /* truncated 3-byte */
    {B("\xF0\x9F\x98"), false, 0}, /* truncated 4-byte */
    {B("\xE6\x96x"), false, 0},    /* continuation replaced by ASCII */
    {B("abc\xE6"), false, 0},
    {B("\xD0\xD5\xC3\xFB"), false, 0}, /* "姓名" in GB18030 */
    {B("\xC3\xA9\x80"), false, 0},     /* valid é then stray continuation */
};

static void test_valid_table(void **state)
{
    for (size_t i = 0; i < ARRAY_LEN(valid_cases); i++) {
        const struct valid_case *c = &valid_cases[i];
        size_t count = 999;
        int rc = rx_utf8_len(c->s, c->n, &count);
        if (rx_utf8_valid(c->s, c->n) != c->valid) fail_msg("case %zu: valid mismatch", i);
        if (c->valid) {
            assert_int_equal(rc, RX_UTF8_OK);
            if (count != c->cps) fail_msg("case %zu: %zu code points, want %zu", i, count, c->cps);
        } else {
            assert_int_equal(rc, RX_UTF8_EINVAL);
            assert_int_equal(count, 999); /* untouched on error */
        }
    }
}

/* Reference decoder written the slow, obvious way: decode by the lead byte's pattern, then
 * reject by value. The fast table-driven decoder must agree on every 1-, 2- and 3-byte input
 * and on a stride through the 4-byte space. */
static bool ref_valid(const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char b = p[i];
        size_t len;
        uint32_t cp, min;
        if (b < 0x80) {
            i++;
            continue;
        } else if ((b & 0xE0) == 0xC0) {
            len = 2, cp = b & 0x1F, min = 0x80;
        } else if ((b & 0xF0) == 0xE0) {
            len = 3, cp = b & 0x0F, min = 0x800;
        } else if ((b & 0xF8) == 0xF0) {
            len = 4, cp = b & 0x07, min = 0x10000;
        } else {
            return false;
        }
        if (n - i < len) return false;
        for (size_t k = 1; k < len; k++) {
            if ((p[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += len;
    }
    return true;
}

static void test_valid_exhaustive(void **state)
{
    unsigned char b[4];
    for (uint32_t v = 0; v < (1u << 24); v++) {
        b[0] = (unsigned char)(v >> 16), b[1] = (unsigned char)(v >> 8), b[2] = (unsigned char)v;
        for (size_t n = 1; n <= 3; n++) {
            if (n < 3 && (v & ((1u << (8 * (3 - n))) - 1))) continue; /* shorter lengths once */
            if (rx_utf8_valid((const char *)b, n) != ref_valid(b, n))
                fail_msg("disagree on %06x len %zu", (unsigned)v, n);
        }
    }
    for (uint64_t v = 0; v < (1ull << 32); v += 65521) { /* prime stride through 4 bytes */
        b[0] = (unsigned char)(v >> 24), b[1] = (unsigned char)(v >> 16);
        b[2] = (unsigned char)(v >> 8), b[3] = (unsigned char)v;
        if (rx_utf8_valid((const char *)b, 4) != ref_valid(b, 4))
            fail_msg("disagree on %08llx", (unsigned long long)v);
    }
}

static void test_encode_roundtrip(void **state)
{
    char out[4];
    for (uint32_t cp = 0; cp <= 0x110000; cp++) {
        size_t len = rx_utf8_encode(cp, out), pos = 0;
        uint32_t back = 0;
        if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
            assert_int_equal(len, 0);
            continue;
        }
        assert_true(len >= 1 && len <= 4);
        assert_int_equal(rx_utf8_next(out, len, &pos, &back), RX_UTF8_OK);
        assert_int_equal(pos, len);
        assert_int_equal(back, cp);
    }
}

static void test_next(void **state)
{
    const char s[] = "a\xE6\x96\xBD\xF0\x9F\x98\x80\xC3";
    size_t n = sizeof(s) - 1, pos = 0;
    uint32_t cp = 0;

    assert_int_equal(rx_utf8_next(s, n, &pos, &cp), RX_UTF8_OK);
    assert_int_equal(cp, 'a');
    assert_int_equal(pos, 1);
    assert_int_equal(rx_utf8_next(s, n, &pos, &cp), RX_UTF8_OK);
    assert_int_equal(cp, 0x65BD); /* 施 */
    assert_int_equal(pos, 4);
    assert_int_equal(rx_utf8_next(s, n, &pos, &cp), RX_UTF8_OK);
    assert_int_equal(cp, 0x1F600);
    assert_int_equal(pos, 8);
    assert_int_equal(rx_utf8_next(s, n, &pos, &cp), RX_UTF8_EINVAL); /* truncated C3 */
    assert_int_equal(pos, 8);
    pos = n;
    assert_int_equal(rx_utf8_next(s, n, &pos, &cp), RX_UTF8_EINVAL); /* at the end */
    /* a 3-byte sequence cut by n must not read past n */
    pos = 0;
    assert_int_equal(rx_utf8_next("\xE6\x96\xBD", 2, &pos, &cp), RX_UTF8_EINVAL);
}

struct control_case {
    const char *s;
    size_t n;
    bool control;  /* rx_utf8_has_control */
    int text;      /* rx_utf8_check_text(max 10, flags 0) */
    int text_line; /* rx_utf8_check_text(max 10, RX_UTF8_SINGLE_LINE) */
};

static const struct control_case control_cases[] = {
    {B(""), false, RX_UTF8_OK, RX_UTF8_OK},
    {B("hello"), false, RX_UTF8_OK, RX_UTF8_OK},
    {B("a\tb"), false, RX_UTF8_OK, RX_UTF8_ECONTROL},
    {B("a\nb\r\n"), false, RX_UTF8_OK, RX_UTF8_ECONTROL},
    {B("a\0b"), true, RX_UTF8_ECONTROL, RX_UTF8_ECONTROL},
    {B("\x01"), true, RX_UTF8_ECONTROL, RX_UTF8_ECONTROL},
    {B("\x1B[31m"), true, RX_UTF8_ECONTROL, RX_UTF8_ECONTROL}, /* terminal escape */
    {B("\x1F"), true, RX_UTF8_ECONTROL, RX_UTF8_ECONTROL},
    {B("x\x7F"), true, RX_UTF8_ECONTROL, RX_UTF8_ECONTROL},    /* DEL */
    {B("\xC2\x80"), true, RX_UTF8_ECONTROL, RX_UTF8_ECONTROL}, /* U+0080 */
    {B("\xC2\x85"), true, RX_UTF8_ECONTROL, RX_UTF8_ECONTROL}, /* NEL */
    {B("\xC2\x9F"), true, RX_UTF8_ECONTROL, RX_UTF8_ECONTROL}, /* U+009F */
    {B("\xC2\xA0"), false, RX_UTF8_OK, RX_UTF8_OK},            /* NBSP is not a control */
    {B("\xC2\xB7"), false, RX_UTF8_OK, RX_UTF8_OK},            /* middle dot */
    {B(" "), false, RX_UTF8_OK, RX_UTF8_OK},
    {B("~"), false, RX_UTF8_OK, RX_UTF8_OK},
    {B("\xE2\x80\xAE"), false, RX_UTF8_OK, RX_UTF8_OK}, /* U+202E is Cf, not control */
    {B("0123456789"), false, RX_UTF8_OK, RX_UTF8_OK},   /* exactly 10 */
    {B("0123456789a"), false, RX_UTF8_ETOOLONG, RX_UTF8_ETOOLONG},
    {B("一二三四五六七八九十"), false, RX_UTF8_OK, RX_UTF8_OK}, /* 10 cps, 30 bytes */
    {B("一二三四五六七八九十一"), false, RX_UTF8_ETOOLONG, RX_UTF8_ETOOLONG},
    {B("\xFF\x01"), true, RX_UTF8_EINVAL, RX_UTF8_EINVAL}, /* invalid wins */
    {B("\xC0\x80"), false, RX_UTF8_EINVAL, RX_UTF8_EINVAL},
};

static void test_control_table(void **state)
{
    for (size_t i = 0; i < ARRAY_LEN(control_cases); i++) {
        const struct control_case *c = &control_cases[i];
        if (rx_utf8_has_control(c->s, c->n) != c->control)
            fail_msg("case %zu: has_control mismatch", i);
        if (rx_utf8_check_text(c->s, c->n, 10, 0) != c->text)
            fail_msg("case %zu: check_text %d", i, rx_utf8_check_text(c->s, c->n, 10, 0));
        if (rx_utf8_check_text(c->s, c->n, 10, RX_UTF8_SINGLE_LINE) != c->text_line)
            fail_msg("case %zu: check_text single line mismatch", i);
    }
}

/* Every C0 and C1 code point except \t \n \r is a control; nothing else below U+00A0 is. */
static void test_control_all_low(void **state)
{
    char buf[4];
    for (uint32_t cp = 0; cp < 0x100; cp++) {
        size_t n = rx_utf8_encode(cp, buf);
        bool want =
            (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7F && cp <= 0x9F);
        if (rx_utf8_has_control(buf, n) != want) fail_msg("U+%04X", (unsigned)cp);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_table),      cmocka_unit_test(test_valid_exhaustive),
        cmocka_unit_test(test_encode_roundtrip), cmocka_unit_test(test_next),
        cmocka_unit_test(test_control_table),    cmocka_unit_test(test_control_all_low),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
