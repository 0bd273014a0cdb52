/* test_idcard.c: GB 11643 resident ID validation, other documents, masking, type names. */
#include "testutil.h"
#include "domain/idcard.h"
#include <stdio.h>

#define B(lit) lit, sizeof(lit) - 1

static const struct rx_date today = {2026, 11, 29};

struct parse_case {
    const char *s;
    size_t n;
    int rc;
    const char *number; /* normalised, when ok */
    const char *birth;
    char sex;
};

static const struct parse_case parse_cases[] = {
    /* valid */
    {B("11010519491231002X"), RX_IDCARD_OK, "11010519491231002X", "1949-12-31", 'F'},
    {B("11010519491231002x"), RX_IDCARD_OK, "11010519491231002X", "1949-12-31", 'F'},
    {B("440308200002291231"), RX_IDCARD_OK, "440308200002291231", "2000-02-29", 'M'},
    {B("410102190001010011"), RX_IDCARD_OK, "410102190001010011", "1900-01-01", 'M'},
    {B("110105190002289999"), RX_IDCARD_OK, "110105190002289999", "1900-02-28", 'M'},
    {B("410102198510154431"), RX_IDCARD_OK, "410102198510154431", "1985-10-15", 'M'},
    {B("650102199306125579"), RX_IDCARD_OK, "650102199306125579", "1993-06-12", 'M'},
    {B("310115202611290018"), RX_IDCARD_OK, "310115202611290018", "2026-11-29", 'M'}, /* today */
    {B(" 11010519491231002X\n"), RX_IDCARD_OK, "11010519491231002X", "1949-12-31", 'F'},
    {B("110105 19491231 002X"), RX_IDCARD_OK, "11010519491231002X", "1949-12-31", 'F'},
    {B("\xE3\x80\x80"
       "11010519491231002X"),
     RX_IDCARD_OK, "11010519491231002X", "1949-12-31", 'F'},
    {B("１１０１０５１９４９１２３１００２Ｘ"), RX_IDCARD_OK, "11010519491231002X", "1949-12-31",
     'F'},
    {B("11010519491231002ｘ"), RX_IDCARD_OK, "11010519491231002X", "1949-12-31", 'F'},
    /* length */
    {B(""), RX_IDCARD_ELENGTH, NULL, NULL, 0},
    {B("   "), RX_IDCARD_ELENGTH, NULL, NULL, 0},
    {B("11010519491231002"), RX_IDCARD_ELENGTH, NULL, NULL, 0},
    {B("11010519491231002XX"), RX_IDCARD_ELENGTH, NULL, NULL, 0},
    {B("110105491231002"), RX_IDCARD_ELENGTH, NULL, NULL, 0}, /* old 15-digit form */
    {B("-11010519491231002X"), RX_IDCARD_ELENGTH, NULL, NULL, 0},
    {B("110105194912310021100000000000000000000000000000000000000000000000000000000000000000"
       "0000000000000000000000000000000000000000000000000000000000000000"),
     RX_IDCARD_ELENGTH, NULL, NULL, 0},
    /* characters */
    {B("11010519491231002Y"), RX_IDCARD_ECHARS, NULL, NULL, 0},
    {B("X10105194912310021"), RX_IDCARD_ECHARS, NULL, NULL, 0}, /* X only last */
    {B("1101051949123100X2"), RX_IDCARD_ECHARS, NULL, NULL, 0},
    {B("1101051949123"
       "\0"
       "002X"),
     RX_IDCARD_ECHARS, NULL, NULL, 0}, /* NUL byte */
    {B("\xFF"
       "10105194912310021"),
     RX_IDCARD_ECHARS, NULL, NULL, 0},                             /* invalid UTF-8 */
    {B("11010519491231002\xC3"), RX_IDCARD_ECHARS, NULL, NULL, 0}, /* truncated UTF-8 */
    {B("\xD9\xA1"
       "10105194912310021"),
     RX_IDCARD_ECHARS, NULL, NULL, 0}, /* Arabic-Indic 1 */
    {B("11010519491231002*"), RX_IDCARD_ECHARS, NULL, NULL, 0},
    {B("1101**********002X"), RX_IDCARD_ECHARS, NULL, NULL, 0}, /* a masked number */
    {B("110105-19491231-02"), RX_IDCARD_ECHARS, NULL, NULL, 0},
    {B("11010519491231002\xE2\x80\x8B"), RX_IDCARD_ECHARS, NULL, NULL, 0}, /* ZWSP, 18 cps */
    /* birth date */
    {B("31011520261130001X"), RX_IDCARD_EBIRTH, NULL, NULL, 0}, /* tomorrow */
    {B("110105190002290025"), RX_IDCARD_EBIRTH, NULL, NULL, 0}, /* 1900 not leap */
    {B("110105189912310023"), RX_IDCARD_EBIRTH, NULL, NULL, 0}, /* before 1900 */
    {B("110105202502290027"), RX_IDCARD_EBIRTH, NULL, NULL, 0}, /* 2025 not leap */
    {B("110105194913310021"), RX_IDCARD_EBIRTH, NULL, NULL, 0}, /* month 13 */
    {B("11010519490001002X"), RX_IDCARD_EBIRTH, NULL, NULL, 0}, /* month 0 */
    {B("110105194912000021"), RX_IDCARD_EBIRTH, NULL, NULL, 0}, /* day 0 */
    {B("110105194912320021"), RX_IDCARD_EBIRTH, NULL, NULL, 0}, /* day 32 (birth first) */
    /* check character */
    {B("110105194912310021"), RX_IDCARD_ECHECK, NULL, NULL, 0},
    {B("11010519491231003X"), RX_IDCARD_ECHECK, NULL, NULL, 0},
    {B("11010519491231002 0"), RX_IDCARD_ECHECK, NULL, NULL, 0},
    {B("410102198510154430"), RX_IDCARD_ECHECK, NULL, NULL, 0},
};

static void test_parse_table(void **state)
{
    for (size_t i = 0; i < ARRAY_LEN(parse_cases); i++) {
        const struct parse_case *c = &parse_cases[i];
        struct rx_idcard id;
        memset(&id, 0x5A, sizeof(id));
        int rc = rx_idcard_parse(c->s, c->n, &today, &id);
        if (rc != c->rc)
            fail_msg("case %zu: rc %d (%s), want %d", i, rc, rx_idcard_strerror(rc), c->rc);
        if (rc != RX_IDCARD_OK) {
            assert_int_equal(id.sex, 0x5A); /* untouched on error */
            continue;
        }
        assert_string_equal(id.number, c->number);
        assert_string_equal(id.birth, c->birth);
        assert_int_equal(id.sex, c->sex);
        char again[RX_TIMEFMT_DATE_SIZE];
        assert_int_equal(rx_timefmt_date_format(&id.birth_date, again, sizeof(again)), 0);
        assert_string_equal(again, c->birth);
    }
}

static void test_parse_without_today(void **state)
{
    struct rx_idcard id;
    assert_int_equal(rx_idcard_parse(B("31011520261130001X"), NULL, &id), RX_IDCARD_OK);
    assert_string_equal(id.birth, "2026-11-30");
    const struct rx_date before = {2026, 11, 29}, after = {2026, 11, 30};
    assert_int_equal(rx_idcard_parse(B("31011520261130001X"), &before, &id), RX_IDCARD_EBIRTH);
    assert_int_equal(rx_idcard_parse(B("31011520261130001X"), &after, &id), RX_IDCARD_OK);
}

static void test_check_char(void **state)
{
    assert_int_equal(rx_idcard_check_char("11010519491231002"), 'X');
    assert_int_equal(rx_idcard_check_char("44030820000229123"), '1');
    assert_int_equal(rx_idcard_check_char("81000019900101001"), '9');
    assert_int_equal(rx_idcard_check_char("00000000000000000"), '1');
    assert_int_equal(rx_idcard_check_char("1101051949123100X"), 0);
    assert_int_equal(rx_idcard_check_char("11010519491231\0002"), 0);
}

/* MOD 11-2 catches every single-digit substitution and every adjacent transposition: no
 * one-keystroke typo of a valid number is itself valid. */
static void test_typos_never_valid(void **state)
{
    static const char *valid[] = {"11010519491231002X", "440308200002291231", "410102198510154431",
                                  "650102199306125579"};
    for (size_t v = 0; v < ARRAY_LEN(valid); v++) {
        char buf[19];
        struct rx_idcard id;
        for (int pos = 0; pos < 17; pos++) {
            for (char d = '0'; d <= '9'; d++) {
                memcpy(buf, valid[v], 19);
                if (buf[pos] == d) continue;
                buf[pos] = d;
                assert_int_not_equal(rx_idcard_parse(buf, 18, NULL, &id), RX_IDCARD_OK);
            }
            memcpy(buf, valid[v], 19);
            char t = buf[pos];
            if (buf[pos + 1] == t || (pos == 16 && buf[17] == 'X')) continue;
            buf[pos] = buf[pos + 1], buf[pos + 1] = t;
            assert_int_not_equal(rx_idcard_parse(buf, 18, NULL, &id), RX_IDCARD_OK);
        }
    }
}

/* Every birth date of the century round-trips: build an id for the day, parse, compare. */
static void test_all_birth_dates(void **state)
{
    struct rx_date d = {1900, 1, 1};
    int64_t days = rx_timefmt_date_to_days(&d), last = rx_timefmt_date_to_days(&today);
    for (; days <= last; days += 1) {
        char num[19], want[11];
        struct rx_idcard id;
        assert_int_equal(rx_timefmt_date_from_days(days, &d), 0);
        snprintf(num, sizeof(num), "410102%04d%02d%02d%03d", d.year, d.month, d.day,
                 (int)(days % 1000 + 1000) % 1000);
        num[17] = rx_idcard_check_char(num);
        num[18] = 0;
        assert_int_equal(rx_idcard_parse(num, 18, &today, &id), RX_IDCARD_OK);
        rx_timefmt_date_format(&d, want, sizeof(want));
        assert_string_equal(id.birth, want);
        assert_int_equal(id.sex, (num[16] - '0') % 2 ? 'M' : 'F');
    }
}

struct mask_case {
    const char *s;
    size_t n;
    int rc;
    const char *want;
};

static const struct mask_case mask_cases[] = {
    {B("11010519491231002X"), RX_IDCARD_OK, "1101**********002X"},
    {B("41010219850101123X"), RX_IDCARD_OK, "4101**********123X"},
    {B("11010519491231002x"), RX_IDCARD_OK, "1101**********002x"},
    {B("440308200002291231"), RX_IDCARD_OK, "4403**********1231"},
    {B("E12345678"), RX_IDCARD_OK, "E1*****78"},
    {B("H0123456789"), RX_IDCARD_OK, "H0*******89"},
    {B("AB123"), RX_IDCARD_OK, "AB*23"},
    {B("ABCD"), RX_IDCARD_OK, "****"},
    {B("A"), RX_IDCARD_OK, "*"},
    {B(""), RX_IDCARD_OK, ""},
    {B("11010519491231002"), RX_IDCARD_OK, "11*************02"}, /* 17 chars: not an ID shape */
    {B("1101051949123100XX"), RX_IDCARD_OK, "11**************XX"},
    {B("军字第12345号"), RX_IDCARD_OK, "军字*****5号"},
    {B("军字第"), RX_IDCARD_OK, "***"},
    {B("\xFF\xFE\xFD\xFC\xFB"), RX_IDCARD_ECHARS, NULL},
    {B("E1234\xC3"), RX_IDCARD_ECHARS, NULL},
    {B("0123456789012345678901234567890123456789012345678901234567890123"
       "0123456789012345678901234567890123456789012345678901234567890123X"),
     RX_IDCARD_ELENGTH, NULL},
};

static void test_mask_table(void **state)
{
    for (size_t i = 0; i < ARRAY_LEN(mask_cases); i++) {
        char out[RX_IDCARD_BUF_SIZE];
        int rc = rx_idcard_mask(mask_cases[i].s, mask_cases[i].n, out, sizeof(out));
        if (rc != mask_cases[i].rc) fail_msg("case %zu: rc %d", i, rc);
        if (rc == RX_IDCARD_OK) assert_string_equal(out, mask_cases[i].want);
    }
    char small[RX_IDCARD_BUF_SIZE - 1];
    assert_int_equal(rx_idcard_mask(B("E12345678"), small, sizeof(small)), RX_IDCARD_ESIZE);
}

struct doc_case {
    enum rx_idcard_doctype type;
    const char *s;
    size_t n;
    int rc;
    const char *want;
};

static const struct doc_case doc_cases[] = {
    {RX_IDCARD_RESIDENT_ID, B(" 11010519491231002x "), RX_IDCARD_OK, "11010519491231002X"},
    {RX_IDCARD_RESIDENT_ID, B("110105194912310021"), RX_IDCARD_ECHECK, NULL},
    {RX_IDCARD_PASSPORT, B(" e12345678 "), RX_IDCARD_OK, "E12345678"},
    {RX_IDCARD_PASSPORT, B("E12345678"), RX_IDCARD_OK, "E12345678"},
    {RX_IDCARD_PASSPORT,
     B("\xE3\x80\x80"
       "E12345678\t"),
     RX_IDCARD_OK, "E12345678"},
    {RX_IDCARD_PASSPORT, B("E1234 5678"), RX_IDCARD_ECHARS, NULL},
    {RX_IDCARD_PASSPORT, B("E1234-5678"), RX_IDCARD_ECHARS, NULL},
    {RX_IDCARD_PASSPORT, B("护照12345"), RX_IDCARD_ECHARS, NULL},
    {RX_IDCARD_PASSPORT, B("E12345678\0"), RX_IDCARD_ECHARS, NULL},
    {RX_IDCARD_PASSPORT, B("E1234\xC0\x80"), RX_IDCARD_ECHARS, NULL},
    {RX_IDCARD_PASSPORT, B(""), RX_IDCARD_ELENGTH, NULL},
    {RX_IDCARD_PASSPORT, B("  \t "), RX_IDCARD_ELENGTH, NULL},
    {RX_IDCARD_PASSPORT, B("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"), RX_IDCARD_OK,
     "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"},
    {RX_IDCARD_PASSPORT, B("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456"), RX_IDCARD_ELENGTH, NULL},
    {RX_IDCARD_HK_MO_TW_RESIDENCE, B("810000199001010019"), RX_IDCARD_OK, "810000199001010019"},
    {RX_IDCARD_HK_MO_TW_RESIDENCE, B("81000019900101001x"), RX_IDCARD_OK, "81000019900101001X"},
    {RX_IDCARD_HK_MO_TW_RESIDENCE, B("810000-1990"), RX_IDCARD_ECHARS, NULL},
    {RX_IDCARD_OTHER, B("军字第12345号"), RX_IDCARD_OK, "军字第12345号"},
    {RX_IDCARD_OTHER, B(" no-123/a "), RX_IDCARD_OK, "NO-123/A"},
    {RX_IDCARD_OTHER, B("a\nb"), RX_IDCARD_ECHARS, NULL},
    {RX_IDCARD_OTHER,
     B("a\x1b"
       "b"),
     RX_IDCARD_ECHARS, NULL},
    {RX_IDCARD_OTHER, B("\xED\xA0\x80"), RX_IDCARD_ECHARS, NULL},
    {RX_IDCARD_OTHER, B("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二"),
     RX_IDCARD_OK, "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二"},
    {RX_IDCARD_OTHER, B("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三"),
     RX_IDCARD_ELENGTH, NULL},
    {(enum rx_idcard_doctype)9, B("E12345678"), RX_IDCARD_ETYPE, NULL},
};

static void test_doc_table(void **state)
{
    for (size_t i = 0; i < ARRAY_LEN(doc_cases); i++) {
        const struct doc_case *c = &doc_cases[i];
        char out[RX_IDCARD_BUF_SIZE];
        struct rx_idcard info = {.sex = '?'};
        int rc = rx_idcard_doc_normalize(c->type, c->s, c->n, &today, out, sizeof(out), &info);
        if (rc != c->rc)
            fail_msg("case %zu: rc %d (%s) want %d", i, rc, rx_idcard_strerror(rc), c->rc);
        if (rc != RX_IDCARD_OK) continue;
        assert_string_equal(out, c->want);
        assert_int_equal(info.sex, c->type == RX_IDCARD_RESIDENT_ID ? 'F' : '?');
    }
    char out[RX_IDCARD_BUF_SIZE];
    assert_int_equal(rx_idcard_doc_normalize(RX_IDCARD_RESIDENT_ID, B("11010519491231002X"), NULL,
                                             out, sizeof(out), NULL),
                     RX_IDCARD_OK);
    assert_int_equal(rx_idcard_doc_normalize(RX_IDCARD_PASSPORT, B("E1"), NULL, out, 10, NULL),
                     RX_IDCARD_ESIZE);
}

static void test_doctypes(void **state)
{
    static const struct {
        enum rx_idcard_doctype t;
        const char *code, *zh;
    } want[] = {
        {RX_IDCARD_RESIDENT_ID, "resident_id", "居民身份证"},
        {RX_IDCARD_HK_MO_TW_RESIDENCE, "hk_mo_tw_residence", "港澳台居民居住证"},
        {RX_IDCARD_PASSPORT, "passport", "护照"},
        {RX_IDCARD_OTHER, "other", "其他证件"},
    };
    for (size_t i = 0; i < ARRAY_LEN(want); i++) {
        enum rx_idcard_doctype t = RX_IDCARD_OTHER;
        assert_string_equal(rx_idcard_doctype_code(want[i].t), want[i].code);
        assert_string_equal(rx_idcard_doctype_label_zh(want[i].t), want[i].zh);
        assert_non_null(rx_idcard_doctype_label_en(want[i].t));
        assert_int_equal(rx_idcard_doctype_parse(want[i].code, strlen(want[i].code), &t), 0);
        assert_int_equal(t, want[i].t);
    }
    enum rx_idcard_doctype t;
    assert_null(rx_idcard_doctype_code((enum rx_idcard_doctype)4));
    assert_null(rx_idcard_doctype_label_zh((enum rx_idcard_doctype) - 1));
    assert_int_equal(rx_idcard_doctype_parse(B("RESIDENT_ID"), &t), RX_IDCARD_ETYPE);
    assert_int_equal(rx_idcard_doctype_parse(B("resident_id\0"), &t), RX_IDCARD_ETYPE);
    assert_int_equal(rx_idcard_doctype_parse(B("resident"), &t), RX_IDCARD_ETYPE);
    assert_int_equal(rx_idcard_doctype_parse(B(""), &t), RX_IDCARD_ETYPE);
    assert_string_equal(rx_idcard_strerror(RX_IDCARD_ECHECK), "id_check_digit");
    assert_string_equal(rx_idcard_strerror(RX_IDCARD_EBIRTH), "id_birth_date");
    assert_string_equal(rx_idcard_strerror(12345), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_table),     cmocka_unit_test(test_parse_without_today),
        cmocka_unit_test(test_check_char),      cmocka_unit_test(test_typos_never_valid),
        cmocka_unit_test(test_all_birth_dates), cmocka_unit_test(test_mask_table),
        cmocka_unit_test(test_doc_table),       cmocka_unit_test(test_doctypes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
