/* test_json.c: the JSON writer, round-tripped through jansson. Whatever goes in, what comes
 * out must parse, and valid text must come back unchanged. */
#include "testutil.h"
#include "lib/json.h"
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static struct rx_buf out;
static struct rx_json w;

static void start(void)
{
    rx_buf_init(&out, 64u * 1024 * 1024);
    rx_json_init(&w, &out);
}

/* Parses what was written (must succeed), returns the jansson value. */
static json_t *parsed(size_t flags)
{
    assert_int_equal(rx_json_status(&w), 0);
    json_error_t e;
    json_t *j = json_loadb(out.data, out.len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES | flags, &e);
    if (!j) fail_msg("not JSON (%s): %.200s", e.text, out.data);
    return j;
}

/* Writes s as a string value and returns the decoded string (caller frees). */
static char *round_trip(const char *s, size_t n, size_t *len_out)
{
    start();
    rx_json_strn(&w, s, n);
    json_t *j = parsed(JSON_ALLOW_NUL);
    assert_true(json_is_string(j));
    size_t len = json_string_length(j);
    char *copy = malloc(len + 1);
    memcpy(copy, json_string_value(j), len + 1);
    json_decref(j);
    rx_buf_free(&out);
    if (len_out) *len_out = len;
    return copy;
}

static void expect_same(const char *s)
{
    size_t n;
    char *back = round_trip(s, strlen(s), &n);
    assert_int_equal(n, strlen(s));
    assert_memory_equal(back, s, n);
    free(back);
}

static void expect_decoded(const char *in, size_t n, const char *want)
{
    size_t len;
    char *back = round_trip(in, n, &len);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(back, want, len);
    free(back);
}

static void test_escapes(void **state)
{
    expect_same("plain");
    expect_same("");
    expect_same("quote \" backslash \\ slash / \b \f \n \r \t");
    expect_same("\"\"\\\\\\\"");
    expect_same("'; DROP TABLE users; --");
    expect_same("<script>alert(1)</script>");
    /* Every control character, and NUL in the middle. */
    char ctl[40];
    for (int i = 0; i < 32; i++)
        ctl[i] = (char)i;
    ctl[32] = 0x7f;
    size_t n;
    char *back = round_trip(ctl, 33, &n);
    assert_int_equal(n, 33);
    assert_memory_equal(back, ctl, 33);
    free(back);
    /* The escapes are the short ones where JSON has them. */
    start();
    rx_json_str(&w, "a\nb\"c\\d\x01");
    assert_string_equal(out.data, "\"a\\nb\\\"c\\\\d\\u0001\"");
    rx_buf_free(&out);
}

#define FFFD "\xef\xbf\xbd"
static void test_unicode(void **state)
{
    expect_same("社区志愿服务 热心 郑州市金水区");
    expect_same("emoji 😀 🇨🇳 👩‍👩‍👧 done"); /* 4-byte sequences and ZWJ */
    expect_same("\xf4\x8f\xbf\xbf");                            /* U+10FFFF, the last code point */
    expect_same("\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf");    /* edges of 2- and 3-byte forms */
    /* U+2028 and U+2029 are escaped (they end JavaScript lines) and come back the same. */
    start();
    rx_json_str(&w, "a\xe2\x80\xa8"
                    "b\xe2\x80\xa9"
                    "c");
    assert_string_equal(out.data, "\"a\\u2028b\\u2029c\"");
    rx_buf_free(&out);
    expect_same("a\xe2\x80\xa8"
                "b\xe2\x80\xa9"
                "c");
    /* Chinese runs are copied as they are, escapes between them, exact bytes */
    start();
    rx_json_str(&w, "和平\"里\n社区\x01\xe4\xb8");
    assert_string_equal(out.data, "\"和平\\\"里\\n社区\\u0001" FFFD FFFD "\"");
    rx_buf_free(&out);
}

static void test_invalid_utf8(void **state)
{
    expect_decoded("a\xff"
                   "b",
                   3, "a" FFFD "b");
    expect_decoded("\xc0\xaf", 2, FFFD FFFD);                   /* overlong '/' */
    expect_decoded("\xe0\x80\xaf", 3, FFFD FFFD FFFD);          /* overlong, 3 bytes */
    expect_decoded("\xed\xa0\x80", 3, FFFD FFFD FFFD);          /* surrogate D800 */
    expect_decoded("\xf4\x90\x80\x80", 4, FFFD FFFD FFFD FFFD); /* above U+10FFFF */
    expect_decoded("\xf8\x88\x80\x80\x80", 5, FFFD FFFD FFFD FFFD FFFD);
    expect_decoded("x\xe4\xb8", 3, "x" FFFD FFFD); /* cut short at the end */
    expect_decoded("\xe4\xb8"
                   "A\xe4\xb8\xad",
                   6, FFFD FFFD "A中");
    expect_decoded("\x80\xbf", 2, FFFD FFFD);          /* lone continuation bytes */
    expect_decoded("\xf0\x9f\x98", 3, FFFD FFFD FFFD); /* emoji missing its last byte */
}

/* A small deterministic generator, so failures reproduce. */
static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)rng;
}

static void test_random_bytes_always_valid(void **state)
{
    /* Random bytes (biased toward the interesting ones) always give JSON that parses. */
    static const unsigned char pool[] = {0,    1,    0x1f, '"',  '\\', '/',  'a',
                                         0x7f, 0x80, 0xbf, 0xc2, 0xdf, 0xe0, 0xe2,
                                         0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff};
    for (int round = 0; round < 3000; round++) {
        unsigned char s[64];
        size_t n = next() % sizeof s;
        for (size_t i = 0; i < n; i++)
            s[i] = next() % 3 ? pool[next() % sizeof pool] : (unsigned char)next();
        size_t len;
        char *back = round_trip((const char *)s, n, &len);
        free(back);
    }
}

static void test_long_strings(void **state)
{
    size_t n = 3u * 1024 * 1024;
    char *s = malloc(n + 1);
    static const char *const parts[] = {"志愿", "a", "\"", "\\", "\n", "😀", "\xe2\x80\xa8", "x y"};
    size_t k = 0;
    while (1) {
        const char *p = parts[next() % 8];
        size_t l = strlen(p);
        if (k + l > n) break;
        memcpy(s + k, p, l);
        k += l;
    }
    s[k] = 0;
    expect_same(s);
    free(s);
}

static void test_nesting(void **state)
{
    start();
    rx_json_obj(&w);
    rx_json_key(&w, "a");
    rx_json_arr(&w);
    rx_json_int(&w, 1);
    rx_json_obj(&w);
    rx_json_key(&w, "b");
    rx_json_arr(&w);
    rx_json_end(&w);
    rx_json_end(&w);
    rx_json_arr(&w);
    rx_json_arr(&w);
    rx_json_end(&w);
    rx_json_end(&w);
    rx_json_obj(&w);
    rx_json_end(&w);
    rx_json_str(&w, NULL);
    rx_json_end(&w);
    rx_json_key(&w, "c");
    rx_json_obj(&w);
    rx_json_knull(&w, "d");
    rx_json_kbool(&w, "e", true);
    rx_json_kbool(&w, "f", false);
    rx_json_kstr(&w, "g", NULL);
    rx_json_kint(&w, "h", -7);
    rx_json_kdouble(&w, "i", 2.5);
    rx_json_key(&w, "j");
    rx_json_raw(&w, "{\"stored\":[1,2]}", 16);
    rx_json_end(&w);
    rx_json_end(&w);
    json_t *got = parsed(0);
    json_t *want =
        json_loads("{\"a\":[1,{\"b\":[]},[[]],{},null],\"c\":{\"d\":null,\"e\":true,\"f\":false,"
                   "\"g\":null,\"h\":-7,\"i\":2.5,\"j\":{\"stored\":[1,2]}}}",
                   0, NULL);
    assert_non_null(want);
    assert_true(json_equal(got, want));
    json_decref(got);
    json_decref(want);
    rx_buf_free(&out);

    /* 64 levels are allowed, the 65th is refused. */
    start();
    for (int i = 0; i < RX_JSON_MAX_DEPTH; i++)
        rx_json_arr(&w);
    for (int i = 0; i < RX_JSON_MAX_DEPTH; i++)
        rx_json_end(&w);
    json_decref(parsed(0));
    rx_buf_free(&out);
    start();
    for (int i = 0; i <= RX_JSON_MAX_DEPTH; i++)
        rx_json_arr(&w);
    assert_int_not_equal(rx_json_status(&w), 0);
    rx_buf_free(&out);
}

static void test_misuse_is_reported(void **state)
{
    start();
    rx_json_end(&w); /* nothing open */
    assert_int_not_equal(rx_json_status(&w), 0);
    rx_buf_free(&out);
    start();
    rx_json_obj(&w); /* never closed */
    assert_int_not_equal(rx_json_status(&w), 0);
    rx_buf_free(&out);
    start();
    rx_json_obj(&w);
    rx_json_key(&w, "dangling");
    assert_int_not_equal(rx_json_status(&w), 0);
    rx_buf_free(&out);
    /* A full buffer makes the status fail too. */
    rx_buf_init(&out, 16);
    rx_json_init(&w, &out);
    rx_json_obj(&w);
    rx_json_kstr(&w, "key", "a value longer than sixteen bytes");
    rx_json_end(&w);
    assert_int_not_equal(rx_json_status(&w), 0);
    assert_int_equal(out.err, RX_BUF_TOOBIG);
    rx_buf_free(&out);
}

static void test_numbers(void **state)
{
    static const int64_t ints[] = {
        0, 1, -1, 42, INT64_MAX, INT64_MIN, INT64_MIN + 1, 9007199254740993LL};
    for (size_t i = 0; i < ARRAY_LEN(ints); i++) {
        start();
        rx_json_int(&w, ints[i]);
        json_t *j = parsed(0);
        assert_true(json_is_integer(j));
        assert_true(json_integer_value(j) == ints[i]);
        json_decref(j);
        rx_buf_free(&out);
    }
    static const double dbls[] = {0.1,
                                  -2.5e-300,
                                  1e300,
                                  3.0,
                                  -3.0,
                                  1e15,
                                  1e16,
                                  123456789.125,
                                  5e-324,
                                  1.7976931348623157e308,
                                  0.30000000000000004,
                                  -0.5};
    for (size_t i = 0; i < ARRAY_LEN(dbls); i++) {
        start();
        rx_json_double(&w, dbls[i]);
        json_t *j = parsed(0);
        assert_true(json_is_number(j));
        if (json_number_value(j) != dbls[i]) fail_msg("%.17g came back as %s", dbls[i], out.data);
        json_decref(j);
        rx_buf_free(&out);
    }
    start();
    rx_json_double(&w, 3.0);
    assert_string_equal(out.data, "3");
    rx_buf_free(&out);
    /* the shortest digits that read back the same: what a report's ratios look like */
    static const struct { double v; const char *text; } shortest[] = {
        {30.97, "30.97"}, {0.1, "0.1"}, {43.74, "43.74"}, {0.30000000000000004, "0.30000000000000004"}};
    for (size_t i = 0; i < ARRAY_LEN(shortest); i++) {
        start();
        rx_json_double(&w, shortest[i].v);
        assert_string_equal(out.data, shortest[i].text);
        rx_buf_free(&out);
    }
    /* Not numbers in JSON: null. */
    const double bad[] = {NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        start();
        rx_json_obj(&w);
        rx_json_kdouble(&w, "v", bad[i]);
        rx_json_end(&w);
        assert_string_equal(out.data, "{\"v\":null}");
        json_decref(parsed(0));
        rx_buf_free(&out);
    }
}

static void test_keys_are_escaped(void **state)
{
    start();
    rx_json_obj(&w);
    rx_json_kint(&w, "we\"ird\\key\n", 1);
    rx_json_kint(&w, "名字", 2);
    rx_json_end(&w);
    json_t *j = parsed(0);
    assert_int_equal(json_integer_value(json_object_get(j, "we\"ird\\key\n")), 1);
    assert_int_equal(json_integer_value(json_object_get(j, "名字")), 2);
    json_decref(j);
    rx_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_unicode),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_random_bytes_always_valid),
        cmocka_unit_test(test_long_strings),
        cmocka_unit_test(test_nesting),
        cmocka_unit_test(test_misuse_is_reported),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_keys_are_escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
