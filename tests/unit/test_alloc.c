/* test_alloc.c: fault injection through the single allocation path. With the Nth allocation
 * failing, for every N, buffers, arenas, the JSON writer and the config loader fail cleanly:
 * an error code, no crash, nothing leaked (run under ASan to check the last part). */
#include "testutil.h"
#include "lib/alloc.h"
#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/config.h"
#include "lib/json.h"
#include <stdlib.h>

static int teardown(void **state)
{
    rx_alloc_fail_after(-1);
    return 0;
}

static void test_countdown(void **state)
{
    long before = rx_alloc_failures();
    rx_alloc_fail_after(2);
    void *a = rx_malloc(10), *b = rx_calloc(2, 8);
    assert_non_null(a);
    assert_non_null(b);
    assert_null(rx_malloc(1));
    assert_null(rx_realloc(a, 100)); /* a stays valid */
    assert_null(rx_strdup("x"));
    assert_null(rx_strndup("xyz", 2));
    assert_null(rx_calloc(1, 1));
    assert_int_equal(rx_alloc_failures() - before, 5);
    rx_alloc_fail_after(-1);
    char *c = rx_strdup("back");
    assert_string_equal(c, "back");
    rx_free(a);
    rx_free(b);
    rx_free(c);
    rx_alloc_fail_after(0);
    assert_null(rx_malloc(1));
    rx_alloc_fail_after(-1);
    assert_int_equal(rx_alloc_failures() - before, 6);
}

static void test_buf_nomem(void **state)
{
    struct rx_buf b;
    rx_buf_init(&b, 1u << 20);
    assert_int_equal(rx_buf_puts(&b, "first"), 0); /* 256 bytes allocated */
    rx_alloc_fail_after(0);
    char chunk[300];
    memset(chunk, 'c', sizeof chunk);
    assert_int_equal(rx_buf_append(&b, chunk, sizeof chunk), RX_BUF_NOMEM);
    rx_alloc_fail_after(-1);
    /* Sticky, and the old content is intact. */
    assert_int_equal(rx_buf_puts(&b, "more"), RX_BUF_NOMEM);
    assert_string_equal(b.data, "first");
    rx_buf_reset(&b);
    assert_int_equal(rx_buf_append(&b, chunk, sizeof chunk), 0);
    rx_buf_free(&b);
}

static void test_arena_nomem(void **state)
{
    struct rx_arena a;
    rx_arena_init(&a, 1u << 20);
    char *keep = rx_arena_strdup(&a, "kept");
    rx_alloc_fail_after(0);
    assert_null(rx_arena_alloc(&a, 100000)); /* needs a new chunk */
    assert_null(rx_arena_printf(&a, "%0*d", 20000, 1));
    assert_non_null(rx_arena_alloc(&a, 16)); /* fits in the existing chunk */
    rx_alloc_fail_after(-1);
    assert_string_equal(keep, "kept");
    assert_non_null(rx_arena_alloc(&a, 100000));
    rx_arena_free(&a);
}

/* A document big enough to make the buffer grow several times. */
static void write_doc(struct rx_json *w)
{
    rx_json_obj(w);
    rx_json_kstr(w, "name", "热心社区 \"quoted\" \n");
    rx_json_key(w, "items");
    rx_json_arr(w);
    for (int i = 0; i < 300; i++) {
        rx_json_obj(w);
        rx_json_kint(w, "id", i);
        rx_json_kdouble(w, "hours", i / 3.0);
        rx_json_kstr(w, "note", i % 7 ? "志愿服务 volunteering" : NULL);
        rx_json_end(w);
    }
    rx_json_end(w);
    rx_json_end(w);
}

static void test_json_walk(void **state)
{
    struct rx_buf ref;
    struct rx_json w;
    rx_buf_init(&ref, 1u << 24);
    rx_json_init(&w, &ref);
    write_doc(&w);
    assert_int_equal(rx_json_status(&w), 0);
    int failed_runs = 0;
    for (long n = 0;; n++) {
        struct rx_buf out;
        rx_buf_init(&out, 1u << 24);
        rx_json_init(&w, &out);
        long f0 = rx_alloc_failures();
        rx_alloc_fail_after(n);
        write_doc(&w);
        rx_alloc_fail_after(-1);
        int injected = rx_alloc_failures() != f0;
        if (rx_json_status(&w) == 0) {
            assert_false(injected);
            assert_int_equal(out.len, ref.len);
            assert_memory_equal(out.data, ref.data, ref.len);
        } else {
            assert_true(injected);
            assert_int_equal(out.err, RX_BUF_NOMEM);
            failed_runs++;
        }
        rx_buf_free(&out);
        if (!injected) break;
        assert_true(n < 1000);
    }
    assert_true(failed_runs >= 3); /* the buffer grew at least three times */
    rx_buf_free(&ref);
}

static void test_config_walk(void **state)
{
    char *argv[] = {"serve",     "--listen", "127.0.0.1:0", "--data", "/nonexistent-rexin-dir",
                    "--web=/srv"};
    for (long n = 0;; n++) {
        struct rx_config c;
        char err[256] = "";
        long f0 = rx_alloc_failures();
        rx_alloc_fail_after(n);
        int rc = rx_config_load(&c, (int)ARRAY_LEN(argv), argv, NULL, NULL, err, sizeof err);
        rx_alloc_fail_after(-1);
        int injected = rx_alloc_failures() != f0;
        if (rc == 0) {
            /* Success means every setting is really there. */
            assert_string_equal(c.listen, "127.0.0.1:0");
            assert_string_equal(c.web, "/srv");
            assert_non_null(c.db);
            assert_string_equal(c.db, "sqlite:/nonexistent-rexin-dir/rexin.db");
            assert_string_equal(c.log_level, "info");
        } else {
            assert_true(injected);
            assert_string_equal(err, "out of memory");
        }
        rx_config_free(&c);
        if (!injected) break;
        assert_true(n < 100);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_countdown, teardown),
        cmocka_unit_test_teardown(test_buf_nomem, teardown),
        cmocka_unit_test_teardown(test_arena_nomem, teardown),
        cmocka_unit_test_teardown(test_json_walk, teardown),
        cmocka_unit_test_teardown(test_config_walk, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
