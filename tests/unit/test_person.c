/* test_person.c: the person rules shared by the API and the importer (domain/person.c) and
 * the political status table (domain/polstatus.c), table-driven with hand-worked answers. */
#include "testutil.h"
#include "domain/person.h"
#include "domain/polstatus.h"
#include <stdio.h>

static const struct rx_date today = {2026, 6, 1};

static void test_check(void **state)
{
    static const struct {
        struct rx_person_text in;
        unsigned flags;
        const char *err_field, *err_code; /* first error, NULL when none */
        char sex;
        const char *birth, *phone, *masked;
    } cases[] = {
        /* 410105195003070028: born 1950-03-07, 17th digit 2 = female */
        {{.name = "张秀英", .id_number = "410105195003070028"},
         0,
         NULL,
         NULL,
         'F',
         "1950-03-07",
         "",
         "4101**********0028"},
        {{.name = "张秀英",
          .id_number = "410105195003070028",
          .sex = "F",
          .birth_date = "1950-03-07"},
         0,
         NULL,
         NULL,
         'F',
         "1950-03-07",
         "",
         "4101**********0028"},
        {{.name = "甲", .id_number = "410105195003070028", .sex = "M"},
         0,
         "sex",
         "sex_mismatch",
         'F',
         "1950-03-07",
         "",
         NULL},
        {{.name = "甲", .id_number = "410105195003070028", .birth_date = "1950-03-08"},
         0,
         "birth_date",
         "birth_date_mismatch",
         'F',
         "1950-03-07",
         "",
         NULL},
        {{.name = "甲", .id_number = "410105195003070027"},
         0,
         "id_number",
         "id_check_digit",
         0,
         "",
         "",
         NULL},
        {{.name = "甲", .id_number = "4101051950030700"},
         0,
         "id_number",
         "id_length",
         0,
         "",
         "",
         NULL},
        {{.name = "甲", .id_number = "410105205003070028"},
         0,
         "id_number",
         "id_birth_date",
         0,
         "",
         "",
         NULL},
        /* lower-case x: 41010519491231059X is male */
        {{.name = "李明", .id_number = "41010519491231059x"},
         0,
         NULL,
         NULL,
         'M',
         "1949-12-31",
         "",
         "4101**********059X"},
        /* other documents: no check digit, nothing derived */
        {{.name = "Tom", .id_type = "passport", .id_number = "e12345678", .sex = "M"},
         0,
         NULL,
         NULL,
         'M',
         "",
         "",
         "E1*****78"},
        {{.name = "Tom", .id_type = "驾照", .id_number = "1"},
         RX_PERSON_LOOSE,
         "id_type",
         "id_document_type",
         0,
         "",
         "",
         NULL},
        {{.name = "Tom", .id_type = "护照", .id_number = "E1234"},
         RX_PERSON_LOOSE,
         NULL,
         NULL,
         0,
         "",
         "",
         NULL},
        {{.name = "Tom", .id_type = "passport"}, 0, "id_number", "required", 0, "", "", NULL},
        /* phones */
        {{.name = "甲", .phone = "+86 138-1234-5678"}, 0, NULL, NULL, 0, "", "13812345678", NULL},
        {{.name = "甲", .phone = "12812345678"}, 0, "phone", "invalid_phone", 0, "", "", NULL},
        /* names */
        {{.name = "   "}, 0, "name", "name_empty", 0, "", "", NULL},
        {{.sex = "F"}, 0, "name", "required", 'F', "", "", NULL},
        {{.sex = "F"}, RX_PERSON_PARTIAL, NULL, NULL, 'F', "", "", NULL},
        /* sex and dates as typed in sheets */
        {{.name = "甲", .sex = "女"}, 0, "sex", "invalid", 0, "", "", NULL},
        {{.name = "甲", .sex = "女", .birth_date = "1950年3月7日"},
         RX_PERSON_LOOSE,
         NULL,
         NULL,
         'F',
         "1950-03-07",
         "",
         NULL},
        {{.name = "甲", .birth_date = "1950/3/7"},
         0,
         "birth_date",
         "invalid_date",
         0,
         "",
         "",
         NULL},
        {{.name = "甲", .birth_date = "2030-01-01"},
         0,
         "birth_date",
         "birth_date_future",
         0,
         "",
         "",
         NULL},
        {{.name = "甲", .political_status = "党员"}, 0, NULL, NULL, 0, "", "", NULL},
        {{.name = "甲", .political_status = "99"},
         0,
         "political_status",
         "invalid_political_status",
         0,
         "",
         "",
         NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct rx_person_fields f;
        struct rx_person_error errs[RX_PERSON_MAX_ERRORS];
        int n = rx_person_check(&cases[i].in, cases[i].flags, &today, &f, errs);
        if (cases[i].err_field) {
            assert_true(n >= 1);
            assert_string_equal(errs[0].field, cases[i].err_field);
            assert_string_equal(errs[0].code, cases[i].err_code);
        } else {
            assert_int_equal(n, 0);
        }
        assert_int_equal(f.sex, cases[i].sex);
        assert_string_equal(f.birth_date, cases[i].birth);
        assert_string_equal(f.phone, cases[i].phone);
        if (cases[i].masked) assert_string_equal(f.id_masked, cases[i].masked);
    }
}

static void test_lookup_and_names(void **state)
{
    struct rx_person_fields a, b;
    struct rx_person_error errs[RX_PERSON_MAX_ERRORS];
    struct rx_person_text ta = {.name = "施 杰", .id_number = "41010519491231059x"};
    struct rx_person_text tb = {.name = "施杰", .id_number = "41010519491231059X"};
    assert_int_equal(rx_person_check(&ta, 0, &today, &a, errs), 0);
    assert_int_equal(rx_person_check(&tb, 0, &today, &b, errs), 0);
    assert_string_equal(a.name_norm, b.name_norm);
    assert_string_equal(a.id_lookup, "resident_id:41010519491231059X");
    assert_string_equal(a.id_lookup, b.id_lookup);
}

static void test_dates(void **state)
{
    static const struct {
        const char *in;
        int ok;
        struct rx_date want;
    } cases[] = {
        {"1950-03-07", 1, {1950, 3, 7}},
        {"1950/3/7", 1, {1950, 3, 7}},
        {"1950.03.07", 1, {1950, 3, 7}},
        {"19500307", 1, {1950, 3, 7}},
        {"1950年3月7日", 1, {1950, 3, 7}},
        {"1950年3月7", 1, {1950, 3, 7}},
        {"18329", 1, {1950, 3, 7}}, /* Excel serial day */
        {"18329.0", 1, {1950, 3, 7}},
        {"61", 1, {1900, 3, 1}},
        {"59", 1, {1900, 2, 28}},
        {"60", 0, {0, 0, 0}}, /* Excel's 29 February 1900 never was */
        {"1950-02-30", 0, {0, 0, 0}},
        {"1950/13/1", 0, {0, 0, 0}},
        {"1950-3", 0, {0, 0, 0}},
        {"3/7/1950", 0, {0, 0, 0}},
        {"", 0, {0, 0, 0}},
        {"18329.5", 0, {0, 0, 0}},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct rx_date d;
        int rc = rx_person_parse_date(cases[i].in, strlen(cases[i].in), false, &d);
        assert_int_equal(rc == 0, cases[i].ok);
        if (cases[i].ok) {
            assert_int_equal(d.year, cases[i].want.year);
            assert_int_equal(d.month, cases[i].want.month);
            assert_int_equal(d.day, cases[i].want.day);
        }
    }
    struct rx_date d;
    assert_int_equal(rx_person_parse_date("1950/3/7", 8, true, &d), -1);
    assert_int_equal(rx_person_age("2016-06-02", &today), 9);
    assert_int_equal(rx_person_age("2016-06-01", &today), 10);
    assert_int_equal(rx_person_age(NULL, &today), -1);
}

struct collected {
    char out[8][64];
    int n;
};

static void collect(const char *s, size_t n, void *arg)
{
    struct collected *c = arg;
    if (c->n < 8) snprintf(c->out[c->n++], 64, "%.*s", (int)n, s);
}

static void test_tags(void **state)
{
    struct collected c = {0};
    const char *cell = "理发、按摩，修家电, 书法;;  唱歌 ；跳舞";
    assert_int_equal(rx_tags_split(cell, strlen(cell), collect, &c), 6);
    const char *want[] = {"理发", "按摩", "修家电", "书法", "唱歌", "跳舞"};
    for (int i = 0; i < 6; i++)
        assert_string_equal(c.out[i], want[i]);
    size_t st, len;
    assert_null(rx_tag_check("  理发 ", 9, &st, &len));
    assert_int_equal(st, 2);
    assert_int_equal(len, 6);
    assert_string_equal(rx_tag_check("   ", 3, &st, &len), "tag_empty");
    const char *longtag = "一二三四五六七八九十一二三四五六七八九十一";
    assert_string_equal(rx_tag_check(longtag, strlen(longtag), &st, &len), "tag_too_long");
    assert_true(rx_vulnerable_flag_valid("lives_alone"));
    assert_false(rx_vulnerable_flag_valid("Lives_alone"));
    assert_false(rx_vulnerable_flag_valid(NULL));
    /* names for exports: every valid flag has one, nothing else does */
    static const char *const flags[][2] = {{"lonely_elderly", "孤寡"},
                                           {"lives_alone", "独居"},
                                           {"disabled", "残障"},
                                           {"very_old", "高龄"}};
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        assert_true(rx_vulnerable_flag_valid(flags[i][0]));
        assert_string_equal(rx_vulnerable_flag_zh(flags[i][0]), flags[i][1]);
    }
    assert_null(rx_vulnerable_flag_zh("rich"));
    assert_null(rx_vulnerable_flag_zh(NULL));
}

static void test_polstatus(void **state)
{
    static const struct {
        const char *in, *code;
    } cases[] = {
        {"01", "01"},
        {"1", "01"},
        {"中共党员", "01"},
        {"党员", "01"},
        {"中共预备党员", "02"},
        {"预备党员", "02"},
        {"共青团员", "03"},
        {"团员", "03"},
        {"民革会员", "04"},
        {"民盟盟员", "05"},
        {"九三学社社员", "10"},
        {"无党派人士", "12"},
        {"群众", "13"},
        {" 群众 ", "13"},
        {"masses", "13"},
        {"CPC_MEMBER", "01"},
        {"民主党派", "democratic_party"},
        {"democratic_party", "democratic_party"},
        {"14", NULL},
        {"党", NULL},
        {"", NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        const char *got = rx_polstatus_parse(cases[i].in, strlen(cases[i].in));
        if (cases[i].code) {
            assert_non_null(got);
            assert_string_equal(got, cases[i].code);
        } else {
            assert_null(got);
        }
    }
    assert_string_equal(rx_polstatus_name_zh("02"), "中共预备党员");
    assert_non_null(rx_polstatus_name_en("democratic_party"));
    assert_null(rx_polstatus_name_zh("99"));
    assert_true(rx_polstatus_is_cpc("02"));
    assert_false(rx_polstatus_is_cpc("03"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check),     cmocka_unit_test(test_lookup_and_names),
        cmocka_unit_test(test_dates),     cmocka_unit_test(test_tags),
        cmocka_unit_test(test_polstatus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
