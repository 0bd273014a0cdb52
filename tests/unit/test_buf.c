/* test_buf.c: the capped, sticky-error byte buffer. */
#include "testutil.h"
#include "lib/buf.h"
#include "lib/alloc.h"
#include <stdint.h>

static void test_append_and_terminate(void **state)
{
    struct rx_buf b;
    rx_buf_init(&b, 1000);
    assert_null(b.data);
    assert_int_equal(rx_buf_append(&b, "", 0), 0);
    assert_non_null(b.data);
    assert_string_equal(b.data, "");
    assert_int_equal(rx_buf_puts(&b, "热心"), 0);
    assert_int_equal(rx_buf_putc(&b, '!'), 0);
    assert_int_equal(rx_buf_append(&b, "ab\0cd", 5), 0);
    assert_int_equal(b.len, 6 + 1 + 5);
    assert_memory_equal(b.data, "热心!ab\0cd", 12);
    assert_int_equal(b.data[b.len], 0);
    /* nothing from nowhere is fine, with room to spare (the fast path) or not */
    assert_int_equal(rx_buf_append(&b, NULL, 0), 0);
    assert_int_equal(b.len, 12);
    rx_buf_free(&b);
    assert_null(b.data);
}

static void test_cap_is_exact_and_sticky(void **state)
{
    struct rx_buf b;
    rx_buf_init(&b, 10);
    assert_int_equal(rx_buf_append(&b, "0123456789", 10), 0); /* exactly the cap */
    assert_int_equal(b.len, 10);
    assert_int_equal(rx_buf_putc(&b, 'x'), RX_BUF_TOOBIG);
    assert_int_equal(b.len, 10);
    /* Sticky: even a write that would fit is refused now. */
    assert_int_equal(rx_buf_append(&b, "", 0), RX_BUF_TOOBIG);
    assert_int_equal(rx_buf_printf(&b, "%d", 1), RX_BUF_TOOBIG);
    assert_string_equal(b.data, "0123456789");
    assert_int_equal(b.err, RX_BUF_TOOBIG);
    rx_buf_reset(&b);
    assert_int_equal(b.err, 0);
    assert_int_equal(b.len, 0);
    assert_int_equal(rx_buf_puts(&b, "again"), 0);
    assert_string_equal(b.data, "again");
    rx_buf_free(&b);
}

static void test_huge_lengths_do_not_wrap(void **state)
{
    struct rx_buf b;
    rx_buf_init(&b, 100);
    assert_int_equal(rx_buf_puts(&b, "abc"), 0);
    /* len + n would wrap around SIZE_MAX: must be refused, not copied. */
    assert_int_equal(rx_buf_append(&b, "x", SIZE_MAX - 1), RX_BUF_TOOBIG);
    assert_int_equal(b.len, 3);
    rx_buf_free(&b);
}

static void test_printf(void **state)
{
    struct rx_buf b;
    rx_buf_init(&b, 4096);
    assert_int_equal(rx_buf_printf(&b, "%s=%d;", "a", 1), 0);
    char long_arg[1000];
    memset(long_arg, 'z', sizeof long_arg - 1);
    long_arg[sizeof long_arg - 1] = 0;
    assert_int_equal(rx_buf_printf(&b, "[%s]", long_arg), 0); /* past the 256-byte fast path */
    assert_int_equal(b.len, 4 + 1001);
    assert_int_equal(b.data[4], '[');
    assert_int_equal(b.data[b.len - 1], ']');
    assert_int_equal(b.data[b.len], 0);
    /* A long printf past the cap fails and leaves the content alone. */
    struct rx_buf small;
    rx_buf_init(&small, 300);
    assert_int_equal(rx_buf_puts(&small, "keep"), 0);
    assert_int_equal(rx_buf_printf(&small, "%s", long_arg), RX_BUF_TOOBIG);
    assert_string_equal(small.data, "keep");
    rx_buf_free(&small);
    rx_buf_free(&b);
}

static void test_release(void **state)
{
    struct rx_buf b;
    rx_buf_init(&b, 1u << 20);
    for (int i = 0; i < 10000; i++)
        rx_buf_putc(&b, (char)('a' + i % 26));
    size_t len = 0;
    char *p = rx_buf_release(&b, &len);
    assert_int_equal(len, 10000);
    assert_int_equal(p[9999], 'a' + 9999 % 26);
    assert_int_equal(p[10000], 0);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(rx_buf_puts(&b, "reuse"), 0); /* usable again */
    assert_string_equal(b.data, "reuse");
    rx_buf_free(&b);
    rx_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_and_terminate),
        cmocka_unit_test(test_cap_is_exact_and_sticky),
        cmocka_unit_test(test_huge_lengths_do_not_wrap),
        cmocka_unit_test(test_printf),
        cmocka_unit_test(test_release),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
