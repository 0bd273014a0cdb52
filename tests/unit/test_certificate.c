/* test_certificate.c: certificate numbers, check codes, masked names; CSV cells. */
#include "testutil.h"
#include "domain/certificate.h"
#include "lib/csvout.h"
#include <sodium.h>

static void test_number(void **state)
{
    char out[RX_CERT_NUMBER_MAX];
    assert_int_equal(rx_cert_number_format('O', 12, 2026, 123, out, sizeof out), RX_CERT_OK);
    assert_string_equal(out, "ZZ-O12-2026-000123");
    assert_int_equal(rx_cert_number_format('T', 7, 2026, 1234567, out, sizeof out), RX_CERT_OK);
    assert_string_equal(out, "ZZ-T7-2026-1234567");
    assert_int_equal(rx_cert_number_format('X', 7, 2026, 1, out, sizeof out), RX_CERT_EINVAL);
    assert_int_equal(rx_cert_number_format('O', 0, 2026, 1, out, sizeof out), RX_CERT_EINVAL);
    assert_int_equal(rx_cert_number_format('O', 1, 2026, 0, out, sizeof out), RX_CERT_EINVAL);
    assert_int_equal(rx_cert_number_format('O', 1, 2026, 1, out, 10), RX_CERT_ESIZE);
    static const struct {
        const char *s;
        int ok;
    } cases[] = {
        {"ZZ-O12-2026-000123", 1}, {"ZZ-T7-2026-1234567", 1}, {"ZZ-O12-2026-00012", 0},
        {"ZZ-O012-2026-000123", 0}, {"ZZ-X12-2026-000123", 0}, {"zz-O12-2026-000123", 0},
        {"ZZ-O12-26-000123", 0},    {"ZZ-O12-2026-000123x", 0}, {"ZZ-O-2026-000123", 0},
        {"", 0},                    {"ZZ-O12-2026-0001234567890", 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++)
        assert_int_equal(rx_cert_number_valid(cases[i].s, strlen(cases[i].s)), cases[i].ok);
}

static void test_check(void **state)
{
    unsigned char k1[RX_CERT_KEY_LEN], k2[RX_CERT_KEY_LEN];
    memset(k1, 1, sizeof k1);
    memset(k2, 2, sizeof k2);
    char c1[RX_CERT_CHECK_LEN + 1], c2[RX_CERT_CHECK_LEN + 1], c3[RX_CERT_CHECK_LEN + 1];
    rx_cert_check_code(k1, "ZZ-O12-2026-000123", c1);
    rx_cert_check_code(k2, "ZZ-O12-2026-000123", c2);
    rx_cert_check_code(k1, "ZZ-O12-2026-000124", c3);
    assert_int_equal(strlen(c1), RX_CERT_CHECK_LEN);
    assert_string_not_equal(c1, c2); /* another deployment's key */
    assert_string_not_equal(c1, c3); /* the next number */
    assert_true(rx_cert_check_ok(k1, "ZZ-O12-2026-000123", c1));
    assert_false(rx_cert_check_ok(k2, "ZZ-O12-2026-000123", c1));
    assert_false(rx_cert_check_ok(k1, "ZZ-O12-2026-000123", NULL));
    assert_false(rx_cert_check_ok(k1, "ZZ-O12-2026-000123", ""));
    c1[0] = c1[0] == 'a' ? 'b' : 'a';
    assert_false(rx_cert_check_ok(k1, "ZZ-O12-2026-000123", c1));
}

static void test_mask(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {{"张三", "张*"}, {"欧阳修文", "欧***"}, {"李", "李"}, {"Tom", "T**"},
                 {"", "*"},       {"\xff\xfe", "*"}};
    char out[64];
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        assert_int_equal(rx_cert_mask_name(cases[i].in, out, sizeof out), RX_CERT_OK);
        assert_string_equal(out, cases[i].out);
    }
    assert_int_equal(rx_cert_mask_name("张三", out, 3), RX_CERT_ESIZE);
}

static void test_csv(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"张三", "张三"},
        {"a,b", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"line\nbreak", "\"line\nbreak\""},
        {"=1+2", "'=1+2"},
        {"+86", "'+86"},
        {"-5", "'-5"},
        {"@SUM(A1)", "'@SUM(A1)"},
        /* a TAB is neutralised and quoted, so a one-column file is not read back as TSV */
        {"\tx", "\"'\tx\""},
        {"\rx", "\"'\rx\""},
        {"=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""},
        {"a=b", "a=b"},
        {"", ""},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct rx_buf b;
        rx_buf_init(&b, 1024);
        rx_csvout_text(&b, cases[i].in, 1);
        assert_int_equal(b.err, 0);
        assert_true(b.len == strlen(cases[i].out) && memcmp(b.data ? b.data : "", cases[i].out, b.len) == 0);
        rx_buf_free(&b);
    }
    struct rx_buf b;
    rx_buf_init(&b, 1024);
    rx_csvout_bom(&b);
    rx_csvout_text(&b, "名称", 1);
    rx_csvout_number(&b, "-3", 0);
    rx_csvout_text(&b, NULL, 0);
    rx_csvout_eol(&b);
    assert_string_equal(b.data, "\xEF\xBB\xBF名称,-3,\r\n");
    rx_buf_free(&b);
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_number), cmocka_unit_test(test_check),
                                       cmocka_unit_test(test_mask), cmocka_unit_test(test_csv)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
