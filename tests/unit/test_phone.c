/* test_phone.c: mainland mobile number normalisation and masking. */
#include "testutil.h"
#include "domain/phone.h"

#define B(lit) lit, sizeof(lit) - 1

struct phone_case {
    const char *s;
    size_t n;
    int rc;
    const char *want;
};

static const struct phone_case cases[] = {
    {B("13812345678"), RX_PHONE_OK, "13812345678"},
    {B("19912345678"), RX_PHONE_OK, "19912345678"},
    {B("16612345678"), RX_PHONE_OK, "16612345678"},
    {B("138 1234 5678"), RX_PHONE_OK, "13812345678"},
    {B("138-1234-5678"), RX_PHONE_OK, "13812345678"},
    {B(" 138\t1234-5678 "), RX_PHONE_OK, "13812345678"},
    {B("+8613812345678"), RX_PHONE_OK, "13812345678"},
    {B("+86 138 1234 5678"), RX_PHONE_OK, "13812345678"},
    {B("+86-138-1234-5678"), RX_PHONE_OK, "13812345678"},
    {B(" +86 13812345678"), RX_PHONE_OK, "13812345678"},
    {B("008613812345678"), RX_PHONE_OK, "13812345678"},
    {B("0086 138 1234 5678"), RX_PHONE_OK, "13812345678"},
    {B("8613812345678"), RX_PHONE_OK, "13812345678"},
    {B("86 13812345678"), RX_PHONE_OK, "13812345678"},
    /* not mobile numbers */
    {B(""), RX_PHONE_EINVAL, NULL},
    {B("   "), RX_PHONE_EINVAL, NULL},
    {B("12812345678"), RX_PHONE_EINVAL, NULL}, /* second digit 2 */
    {B("10012345678"), RX_PHONE_EINVAL, NULL},
    {B("23812345678"), RX_PHONE_EINVAL, NULL},
    {B("1381234567"), RX_PHONE_EINVAL, NULL},   /* 10 digits */
    {B("138123456789"), RX_PHONE_EINVAL, NULL}, /* 12 digits */
    {B("+8513812345678"), RX_PHONE_EINVAL, NULL},
    {B("+113812345678"), RX_PHONE_EINVAL, NULL},
    {B("+86138123456789"), RX_PHONE_EINVAL, NULL},
    {B("+861381234567"), RX_PHONE_EINVAL, NULL},
    {B("++8613812345678"), RX_PHONE_EINVAL, NULL},
    {B("86+13812345678"), RX_PHONE_EINVAL, NULL},
    {B("+13812345678"), RX_PHONE_EINVAL, NULL}, /* '+' without 86 */
    {B("+0086 13812345678"), RX_PHONE_EINVAL, NULL},
    {B("8613812345678 0"), RX_PHONE_EINVAL, NULL},
    {B("868613812345678"), RX_PHONE_EINVAL, NULL},
    {B("00861381234567"), RX_PHONE_EINVAL, NULL},
    {B("010-12345678"), RX_PHONE_EINVAL, NULL}, /* Beijing landline */
    {B("0371-6712345"), RX_PHONE_EINVAL, NULL}, /* Zhengzhou landline */
    {B("(138)12345678"), RX_PHONE_EINVAL, NULL},
    {B("138.1234.5678"), RX_PHONE_EINVAL, NULL},
    {B("1381234567８"), RX_PHONE_EINVAL, NULL}, /* full-width 8 */
    {B("1381234567\0"
       "8"),
     RX_PHONE_EINVAL, NULL}, /* NUL byte */
    {B("13812345678\0"), RX_PHONE_EINVAL, NULL},
    {B("138123456７8\xFF"), RX_PHONE_EINVAL, NULL},
    {B("13812345678abc"), RX_PHONE_EINVAL, NULL},
    {B("1e10"), RX_PHONE_EINVAL, NULL},
    {B("-"), RX_PHONE_EINVAL, NULL},
    {B("+"), RX_PHONE_EINVAL, NULL},
    {B("1 3 8 1 2 3 4 5 6 7 8 - - - - - - - - - -"), RX_PHONE_EINVAL, NULL}, /* > 32 bytes */
    {B("1 3 8 1 2 3 4 5 6 7 8"), RX_PHONE_OK, "13812345678"},
};

static void test_normalize_table(void **state)
{
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        char out[RX_PHONE_SIZE] = "untouched";
        int rc = rx_phone_normalize(cases[i].s, cases[i].n, out, sizeof(out));
        if (rc != cases[i].rc) fail_msg("case %zu (%s): rc %d", i, cases[i].s, rc);
        assert_string_equal(out, rc == RX_PHONE_OK ? cases[i].want : "untouched");
    }
    char small[RX_PHONE_SIZE - 1];
    assert_int_equal(rx_phone_normalize(B("13812345678"), small, sizeof(small)), RX_PHONE_ESIZE);
}

static const struct phone_case mask_cases[] = {
    {B("13812345678"), RX_PHONE_OK, "138****5678"},
    {B("19900000001"), RX_PHONE_OK, "199****0001"},
    {B("1381234567"), RX_PHONE_EINVAL, NULL},
    {B("138123456789"), RX_PHONE_EINVAL, NULL},
    {B("138 1234 567"), RX_PHONE_EINVAL, NULL},
    {B("1381234567\0"), RX_PHONE_EINVAL, NULL},
    {B(""), RX_PHONE_EINVAL, NULL},
};

static void test_mask_table(void **state)
{
    for (size_t i = 0; i < ARRAY_LEN(mask_cases); i++) {
        char out[RX_PHONE_SIZE] = "";
        int rc = rx_phone_mask(mask_cases[i].s, mask_cases[i].n, out, sizeof(out));
        if (rc != mask_cases[i].rc) fail_msg("case %zu: rc %d", i, rc);
        if (rc == RX_PHONE_OK) assert_string_equal(out, mask_cases[i].want);
    }
    char small[4];
    assert_int_equal(rx_phone_mask(B("13812345678"), small, sizeof(small)), RX_PHONE_ESIZE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize_table),
        cmocka_unit_test(test_mask_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
