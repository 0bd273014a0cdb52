/* test_arena.c: per-request bump allocator. */
#include "testutil.h"
#include "lib/arena.h"
#include <stdint.h>

static void test_alignment_and_no_overlap(void **state)
{
    struct rx_arena a;
    rx_arena_init(&a, 1u << 24);
    unsigned char *ptrs[500];
    size_t sizes[500];
    for (int i = 0; i < 500; i++) {
        sizes[i] =
            (size_t)(i * 37 % 3000) + (i % 50 == 0 ? 20000 : 0); /* some bigger than a chunk */
        ptrs[i] = rx_arena_alloc(&a, sizes[i]);
        assert_non_null(ptrs[i]);
        assert_int_equal((uintptr_t)ptrs[i] % 16, 0);
        memset(ptrs[i], i & 0xff, sizes[i]);
    }
    for (int i = 0; i < 500; i++)
        for (size_t k = 0; k < sizes[i]; k++)
            if (ptrs[i][k] != (unsigned char)(i & 0xff))
                fail_msg("allocation %d overwritten at %zu", i, k);
    assert_true(a.total <= a.cap);
    rx_arena_free(&a);
    assert_null(a.head);
    assert_int_equal(a.total, 0);
}

static void test_cap(void **state)
{
    struct rx_arena a;
    rx_arena_init(&a, 32 * 1024);
    int n = 0;
    while (rx_arena_alloc(&a, 1000))
        n++;
    assert_true(n >= 16); /* at least half the cap is usable */
    assert_true(n <= 32);
    assert_true(a.total <= a.cap);
    assert_null(rx_arena_alloc(&a, 40 * 1024)); /* bigger than the cap */
    assert_null(rx_arena_alloc(&a, SIZE_MAX));  /* must not wrap to a tiny allocation */
    assert_null(rx_arena_alloc(&a, SIZE_MAX - 8));
    rx_arena_free(&a);
    /* Usable again after free. */
    assert_non_null(rx_arena_alloc(&a, 1000));
    rx_arena_free(&a);
}

static void test_strings(void **state)
{
    struct rx_arena a;
    rx_arena_init(&a, 1u << 20);
    char *s = rx_arena_strdup(&a, "社区");
    assert_string_equal(s, "社区");
    char *t = rx_arena_strndup(&a, "abcdef", 3);
    assert_string_equal(t, "abc");
    char *p = rx_arena_printf(&a, "%s-%d-%05.1f", "x", -12, 3.14159);
    assert_string_equal(p, "x--12-003.1");
    char big[20000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = 0;
    char *q = rx_arena_printf(&a, "<%s>", big);
    assert_int_equal(strlen(q), sizeof big + 1);
    assert_string_equal(s, "社区"); /* earlier strings untouched */
    rx_arena_free(&a);
    struct rx_arena tiny;
    rx_arena_init(&tiny, 100);
    assert_null(rx_arena_printf(&tiny, "%s", big));
    rx_arena_free(&tiny);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alignment_and_no_overlap),
        cmocka_unit_test(test_cap),
        cmocka_unit_test(test_strings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
