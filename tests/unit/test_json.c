/* test_json.c: the JSON writer's number and string forms, including the inputs the fuzzer
 * (fuzz/json_writer.c) found. */
#include "testutil.h"
#include "lib/json.h"
#include <math.h>

static void write_double(double v, const char *want)
{
    struct rx_buf b;
    struct rx_json w;
    rx_buf_init(&b, 1024);
    rx_json_init(&w, &b);
    rx_json_double(&w, v);
    assert_int_equal(rx_json_status(&w), 0);
    assert_string_equal(b.data, want);
    rx_buf_free(&b);
}

static void test_doubles(void **state)
{
    write_double(2.5, "2.5");
    write_double(-0.125, "-0.125");
    write_double(42.0, "42");                             /* integral: no ".0" */
    write_double(999999999999999.0, "999999999999999");   /* largest integral printed as such */
    write_double(1e15, "1000000000000000");                /* %.17g from here on */
    write_double(NAN, "null");
    write_double(INFINITY, "null");
    write_double(-INFINITY, "null");
}

/* Found by fuzz/json_writer.c: doubles beyond the range of long long were converted to long
 * long before the range check (undefined behaviour; UBSan stops the SANITIZE=1 build here). */
static void test_doubles_beyond_long_long(void **state)
{
    write_double(1e300, "1.0000000000000001e+300");
    write_double(9223372036854775808.0, "9.2233720368547758e+18"); /* 2^63 */
    write_double(-9223372036854775808.0, "-9.2233720368547758e+18");
    write_double(-0x1p100, "-1.2676506002282294e+30"); /* -2^100 */
}

static void test_strings(void **state)
{
    static const struct {
        const char *in;
        size_t n;
        const char *want;
    } cases[] = {
        {"a\"b\\c", 5, "\"a\\\"b\\\\c\""},
        {"\n\t\x01", 3, "\"\\n\\t\\u0001\""},
        {"a\0b", 3, "\"a\\u0000b\""},
        {"\xE2\x80\xA8", 3, "\"\\u2028\""},          /* breaks JS string literals: escaped */
        {"\xC3\x28", 2, "\"\xEF\xBF\xBD(\""},        /* bad continuation: one U+FFFD */
        {"\xED\xA0\x80", 3, "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""}, /* surrogate */
        {"\xE6\x96\xBD", 3, "\"\xE6\x96\xBD\""},     /* 施 as is */
        {"\xE6\x96", 2, "\"\xEF\xBF\xBD\xEF\xBF\xBD\""}, /* truncated at the end */
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct rx_buf b;
        rx_buf_init(&b, 1024);
        rx_json_escape(&b, cases[i].in, cases[i].n);
        assert_string_equal(b.data, cases[i].want);
        rx_buf_free(&b);
    }
}

static void test_nesting_misuse(void **state)
{
    struct rx_buf b;
    struct rx_json w;
    rx_buf_init(&b, 1024);
    rx_json_init(&w, &b);
    rx_json_end(&w); /* nothing open */
    assert_int_not_equal(rx_json_status(&w), 0);
    rx_buf_free(&b);

    rx_buf_init(&b, 1 << 16);
    rx_json_init(&w, &b);
    for (int i = 0; i < RX_JSON_MAX_DEPTH + 1; i++) rx_json_arr(&w);
    for (int i = 0; i < RX_JSON_MAX_DEPTH + 1; i++) rx_json_end(&w);
    assert_int_not_equal(rx_json_status(&w), 0); /* one level too deep */
    rx_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_doubles),
        cmocka_unit_test(test_doubles_beyond_long_long),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_nesting_misuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
