/* test_name.c: comparison keys of names. */
#include "testutil.h"
#include "domain/name.h"
#include <stdlib.h>

#define B(lit) lit, sizeof(lit) - 1

struct name_case {
    const char *s;
    size_t n;
    int rc;
    const char *key;
};

static const struct name_case cases[] = {
    {B("施杰"), RX_NAME_OK, "施杰"},
    {B("施 杰"), RX_NAME_OK, "施杰"},
    {B("  施   杰  "), RX_NAME_OK, "施杰"},
    {B("\xE3\x80\x80施\xE3\x80\x80杰\xE3\x80\x80"), RX_NAME_OK, "施杰"}, /* U+3000 */
    {B("施\xC2\xA0杰"), RX_NAME_OK, "施杰"},                             /* NBSP */
    {B("施\xE1\x9A\x80杰"), RX_NAME_OK, "施杰"},                         /* OGHAM SPACE */
    {B("施\xE2\x80\xA8杰"), RX_NAME_OK, "施杰"},                         /* LINE SEPARATOR */
    {B("施\xE2\x80\x8B杰"), RX_NAME_OK, "施杰"},                         /* ZWSP, ignorable */
    {B("\xE2\x80\xAE施杰"), RX_NAME_OK, "施杰"},                         /* RLO, ignorable */
    {B("\xEF\xBB\xBF施杰"), RX_NAME_OK, "施杰"},                         /* BOM */
    {B("欧阳 娜娜"), RX_NAME_OK, "欧阳娜娜"},
    {B("艾克拜尔·米吉提"), RX_NAME_OK, "艾克拜尔·米吉提"},
    {B("艾克拜尔 · 米吉提"), RX_NAME_OK, "艾克拜尔·米吉提"},
    {B("艾克拜尔　·　米吉提"), RX_NAME_OK, "艾克拜尔·米吉提"},
    {B("艾克拜尔\xE2\x80\xA2米吉提"), RX_NAME_OK, "艾克拜尔·米吉提"}, /* U+2022 */
    {B("艾克拜尔\xE3\x83\xBB米吉提"), RX_NAME_OK, "艾克拜尔·米吉提"}, /* U+30FB */
    {B("艾克拜尔\xE2\x80\xA7米吉提"), RX_NAME_OK, "艾克拜尔·米吉提"}, /* U+2027 */
    {B("艾克拜尔\xEF\xBD\xA5米吉提"), RX_NAME_OK, "艾克拜尔·米吉提"}, /* U+FF65 */
    {B("艾克拜尔\xE2\x8B\x85米吉提"), RX_NAME_OK, "艾克拜尔·米吉提"}, /* U+22C5 */
    {B("艾克拜尔\xE2\x88\x99米吉提"), RX_NAME_OK, "艾克拜尔·米吉提"}, /* U+2219 */
    {B("艾克拜尔.米吉提"), RX_NAME_OK, "艾克拜尔·米吉提"},
    {B("艾克拜尔 ． 米吉提"), RX_NAME_OK, "艾克拜尔·米吉提"}, /* full-width full stop */
    {B("艾克拜尔··米吉提"), RX_NAME_OK, "艾克拜尔·米吉提"},
    {B("阿依古丽·买买提·托合提"), RX_NAME_OK, "阿依古丽·买买提·托合提"},
    {B("J. Smith"), RX_NAME_OK, "j. smith"}, /* '.' not between Han stays */
    {B("John  SMITH"), RX_NAME_OK, "john smith"},
    {B("ＪＯＨＮ\xE3\x80\x80Ｓｍｉｔｈ"), RX_NAME_OK, "john smith"},
    {B("Zhang San"), RX_NAME_OK, "zhang san"},
    {B("张 San"), RX_NAME_OK, "张 san"}, /* Han next to Latin keeps the space */
    {B("Straße"), RX_NAME_OK, "strasse"},
    {B("Mu\xCC\x88ller"), RX_NAME_OK, "m\xC3\xBCller"}, /* combining diaeresis composed */
    {B("M\xC3\x9CLLER"), RX_NAME_OK, "m\xC3\xBCller"},
    {B("ﾏｲｸ"), RX_NAME_OK, "マイク"}, /* half-width katakana */
    {B("\xF0\xA0\x80\x80 \xF0\xA0\x80\x81"), RX_NAME_OK, "\xF0\xA0\x80\x80\xF0\xA0\x80\x81"},
    {B("\xEF\xA4\x80 \xEF\xA4\x81"), RX_NAME_OK, "豈更"}, /* compat ideographs U+F900 U+F901 */
    {B("㐀 㐁"), RX_NAME_OK, "㐀㐁"},                     /* extension A */
    {B("·"), RX_NAME_OK, "·"},
    {B("\xEF\xB7\xBA"), RX_NAME_OK, /* U+FDFA expands to 18 code points */
     "\xD8\xB5\xD9\x84\xD9\x89 \xD8\xA7\xD9\x84\xD9\x84\xD9\x87 \xD8\xB9\xD9\x84\xD9\x8A\xD9\x87 "
     "\xD9\x88\xD8\xB3\xD9\x84\xD9\x85"},
    /* rejected */
    {B(""), RX_NAME_EEMPTY, NULL},
    {B("   "), RX_NAME_EEMPTY, NULL},
    {B("\xE3\x80\x80"), RX_NAME_EEMPTY, NULL},
    {B("\xE2\x80\x8B\xE2\x80\x8C"), RX_NAME_EEMPTY, NULL}, /* only ignorables */
    {B("施\0杰"), RX_NAME_ECONTROL, NULL},
    {B("施杰\0"), RX_NAME_ECONTROL, NULL},
    {B("施\t杰"), RX_NAME_ECONTROL, NULL},
    {B("施杰\n"), RX_NAME_ECONTROL, NULL},
    {B("施杰\r"), RX_NAME_ECONTROL, NULL},
    {B("\x1B[31m施杰"), RX_NAME_ECONTROL, NULL},
    {B("施\xC2\x85杰"), RX_NAME_ECONTROL, NULL}, /* NEL, C1 */
    {B("施\x7F杰"), RX_NAME_ECONTROL, NULL},
    {B("\xFF"), RX_NAME_EUTF8, NULL},
    {B("施\xE6\x9D"), RX_NAME_EUTF8, NULL},
    {B("\xC0\xAF"), RX_NAME_EUTF8, NULL},
    {B("\xED\xA0\x80"), RX_NAME_EUTF8, NULL},
    {B("\xD0\xD5\xC3\xFB"), RX_NAME_EUTF8, NULL}, /* GB18030 bytes */
    {B("\xEF\xB7\xBA\xEF\xB7\xBA\xEF\xB7\xBA\xEF\xB7\xBA"), RX_NAME_ETOOLONG, NULL}, /* 4*18 */
};

static void test_table(void **state)
{
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        const struct name_case *c = &cases[i];
        char out[RX_NAME_SIZE] = "untouched";
        size_t len = 999;
        int rc = rx_name_normalize(c->s, c->n, out, sizeof(out), &len);
        if (rc != c->rc)
            fail_msg("case %zu: rc %d (%s) want %d", i, rc, rx_name_strerror(rc), c->rc);
        if (rc != RX_NAME_OK) continue;
        if (strcmp(out, c->key) != 0) fail_msg("case %zu: key \"%s\" want \"%s\"", i, out, c->key);
        assert_int_equal(len, strlen(c->key));
        /* the key is a fixed point */
        char again[RX_NAME_SIZE];
        assert_int_equal(rx_name_normalize(out, len, again, sizeof(again), NULL), RX_NAME_OK);
        assert_string_equal(again, out);
    }
}

static void test_length_caps(void **state)
{
    char in[65 * 3 + 1], out[RX_NAME_SIZE];
    for (int i = 0; i < 65; i++)
        memcpy(in + 3 * i, "张", 3);
    assert_int_equal(rx_name_normalize(in, 64 * 3, out, sizeof(out), NULL), RX_NAME_OK);
    assert_int_equal(strlen(out), 64 * 3);
    assert_int_equal(rx_name_normalize(in, 65 * 3, out, sizeof(out), NULL), RX_NAME_ETOOLONG);

    /* 64 four-byte code points is the largest key: it fits RX_NAME_SIZE exactly */
    char big[64 * 4];
    for (int i = 0; i < 64; i++)
        memcpy(big + 4 * i, "\xF0\xA0\x80\x80", 4);
    assert_int_equal(rx_name_normalize(big, sizeof(big), out, sizeof(out), NULL), RX_NAME_OK);
    assert_int_equal(strlen(out), 256);

    char *huge = malloc(1 << 20);
    assert_non_null(huge);
    memset(huge, 'a', 1 << 20);
    assert_int_equal(rx_name_normalize(huge, 1 << 20, out, sizeof(out), NULL), RX_NAME_ETOOLONG);
    memset(huge, ' ', 1 << 20); /* all spaces, still too long before anything else */
    assert_int_equal(rx_name_normalize(huge, 1 << 20, out, sizeof(out), NULL), RX_NAME_ETOOLONG);
    free(huge);
}

static void test_small_buffer(void **state)
{
    char out[7];
    size_t len = 0;
    assert_int_equal(rx_name_normalize(B("施杰"), out, sizeof(out), &len), RX_NAME_OK);
    assert_int_equal(len, 6);
    assert_int_equal(rx_name_normalize(B("施杰"), out, 6, &len), RX_NAME_ESIZE);
    assert_int_equal(rx_name_normalize(B("施杰"), out, 0, &len), RX_NAME_ESIZE);
}

struct eq_case {
    const char *a;
    size_t an;
    const char *b;
    size_t bn;
    int rc;
    bool eq;
};

static const struct eq_case eq_cases[] = {
    {B("施杰"), B("施 杰"), RX_NAME_OK, true},
    {B("艾克拜尔·米吉提"), B("艾克拜尔 • 米吉提"), RX_NAME_OK, true},
    {B("艾克拜尔·米吉提"), B("艾克拜尔米吉提"), RX_NAME_OK, false}, /* the dot matters */
    {B("John Smith"), B("JOHN SMITH"), RX_NAME_OK, true},
    {B("John Smith"), B("JohnSmith"), RX_NAME_OK, false},
    {B("施杰"), B("施傑"), RX_NAME_OK, false}, /* simplified vs traditional: different */
    {B("施杰"), B("施杰\xFF"), RX_NAME_EUTF8, false},
    {B(""), B("施杰"), RX_NAME_EEMPTY, false},
};

static void test_equal(void **state)
{
    for (size_t i = 0; i < ARRAY_LEN(eq_cases); i++) {
        const struct eq_case *c = &eq_cases[i];
        bool eq = !c->eq;
        int rc = rx_name_equal(c->a, c->an, c->b, c->bn, &eq);
        if (rc != c->rc) fail_msg("case %zu: rc %d", i, rc);
        if (rc == RX_NAME_OK && eq != c->eq) fail_msg("case %zu: eq %d", i, eq);
    }
}

static void test_is_han(void **state)
{
    static const struct {
        unsigned long cp;
        bool han;
    } t[] = {
        {0x4E00, true},   {0x9FFF, true},  {0x3400, true},  {0x4DBF, true},   {0x20000, true},
        {0x2A6DF, true},  {0x30000, true}, {0xF900, true},  {0xFAFF, true},   {0x4DFF, false},
        {0x3000, false},  {0x30FB, false}, {0xB7, false},   {'A', false},     {0xFB00, false},
        {0x323B0, false}, {0x33FF, false}, {0xA000, false}, {0x1F600, false},
    };
    for (size_t i = 0; i < ARRAY_LEN(t); i++)
        if (rx_name_is_han(t[i].cp) != t[i].han) fail_msg("U+%04lX", t[i].cp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),        cmocka_unit_test(test_length_caps),
        cmocka_unit_test(test_small_buffer), cmocka_unit_test(test_equal),
        cmocka_unit_test(test_is_han),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
