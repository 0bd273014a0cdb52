/* test_oom_store.c: out-of-memory walk over the store (issue 10, first version).
 *
 * For N = 0, 1, 2, ... the Nth allocation through rx_alloc from now fails (and every one
 * after it, until turned off), while the test opens a real SQLite store, writes through
 * the writer thread (a job that renders JSON, so it allocates too), reads rows back as
 * JSON, and takes a backup. Each step must either work or fail with an error code: no
 * crash, no half-written job, nothing leaked (make SANITIZE=1 checks that), and the
 * database passes integrity_check at the end with exactly the rows of the jobs that
 * reported success. The walk ends at the first N that injects no failure. */
#include "testutil.h"
#include "lib/alloc.h"
#include "lib/json.h"
#include "lib/log.h"
#include "store/store.h"
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[256], dbpath[512];

struct write_ctx {
    long iteration;
    int calls;
};

/* Writes one audit row whose detail is JSON rendered here, and a login attempt. Any
 * failure returns non-zero, which must roll back both. */
static int insert_job(struct rx_db *db, void *arg)
{
    struct write_ctx *c = arg;
    c->calls++;
    struct rx_buf b;
    struct rx_json w;
    rx_buf_init(&b, 1u << 20);
    rx_json_init(&w, &b);
    rx_json_obj(&w);
    rx_json_kint(&w, "iteration", c->iteration);
    rx_json_key(&w, "filler");
    rx_json_arr(&w);
    for (int i = 0; i < 40; i++)
        rx_json_str(&w, "志愿服务记录 padding to make the buffer grow");
    rx_json_end(&w);
    rx_json_end(&w);
    int rc = RX_NOMEM;
    if (rx_json_status(&w) == 0) {
        rc = rx_db_exec(db, Q_LOGIN_ATTEMPT_INSERT,
                        RX_ARGS(RX_T("oom-walk"), RX_T("127.0.0.1"), RX_I(c->iteration), RX_I(1)),
                        NULL, NULL);
        if (!rc)
            rc = rx_db_exec(db, Q_AUDIT_INSERT,
                            RX_ARGS(RX_I(c->iteration), RX_NUL, RX_T("127.0.0.1"), RX_T("oom-walk"),
                                    RX_T("test"), RX_I(c->iteration + 1), RX_T(b.data)),
                            NULL, NULL);
    }
    rx_buf_free(&b);
    return rc;
}

static int is_status(int rc)
{
    return rc >= RX_OK && rc <= RX_ABORT;
}

static int64_t query_int(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *st;
    int64_t v = -1;
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void check_file(const char *path, int64_t want_rows)
{
    sqlite3 *h;
    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    if (want_rows >= 0) {
        assert_int_equal(query_int(h, "SELECT count(*) FROM audit_log WHERE action = 'oom-walk'"),
                         want_rows);
        /* Both halves of every job, or neither. */
        assert_int_equal(
            query_int(h, "SELECT count(*) FROM login_attempts WHERE login = 'oom-walk'"),
            want_rows);
        assert_int_equal(
            sqlite3_prepare_v2(h, "SELECT at, detail FROM audit_log WHERE action = 'oom-walk'", -1,
                               &st, NULL),
            SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW) {
            json_t *j = json_loads((const char *)sqlite3_column_text(st, 1), 0, NULL);
            assert_non_null(j);
            assert_int_equal(json_integer_value(json_object_get(j, "iteration")),
                             sqlite3_column_int64(st, 0));
            assert_int_equal(json_array_size(json_object_get(j, "filler")), 40);
            json_decref(j);
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
}

static void test_walk(void **state)
{
    int64_t committed = 0;
    long n;
    int opened = 0, open_failed = 0, write_failed = 0, read_failed = 0;
    for (n = 0; n < 5000; n++) {
        long f0 = rx_alloc_failures();
        char err[512] = "";
        struct rx_store *s = NULL;
        struct rx_store_opts o = {.url = dbpath, .migrate = 1};
        rx_alloc_fail_after(n);
        int rc = rx_store_open(&s, &o, err, sizeof err);
        if (rc != RX_OK) {
            rx_alloc_fail_after(-1);
            assert_true(is_status(rc));
            assert_null(s);
            if (!err[0]) fail_msg("store open failed (rc %d) without a message at N=%ld", rc, n);
            open_failed++;
            continue;
        }
        opened++;

        /* A write through the writer thread. */
        struct write_ctx c = {.iteration = n};
        rc = rx_store_write(s, insert_job, &c);
        assert_true(is_status(rc));
        if (rc == RX_OK) {
            assert_int_equal(c.calls, 1);
            committed++;
        } else {
            write_failed++;
        }

        /* A read rendered as JSON. */
        struct rx_db *db = rx_store_reader(s);
        if (db) {
            struct rx_buf b;
            struct rx_json w;
            rx_buf_init(&b, 1u << 22);
            rx_json_init(&w, &b);
            rx_json_arr(&w);
            struct rx_page pg = {0, 0};
            rc =
                rx_db_json_rows(db, Q_AUDIT_LIST,
                                RX_ARGS(RX_T("test"), RX_NUL, RX_I(INT64_MAX), RX_I(200)), &w, &pg);
            rx_json_end(&w);
            assert_true(is_status(rc));
            if (rc == RX_OK && rx_json_status(&w) == 0) {
                json_t *j = json_loadb(b.data, b.len, 0, NULL);
                assert_non_null(j);
                assert_int_equal((int64_t)json_array_size(j), committed < 200 ? committed : 200);
                assert_int_equal(pg.count, json_array_size(j));
                json_decref(j);
            } else {
                assert_int_equal(b.err, RX_BUF_NOMEM);
                read_failed++;
            }
            rx_buf_free(&b);
        } else {
            read_failed++;
        }

        /* A backup: works, or fails and leaves no file behind. */
        char bak[600];
        snprintf(bak, sizeof bak, "%s/backup-%ld.db", dir, n);
        rc = rx_store_backup(s, bak, err, sizeof err);
        assert_true(is_status(rc));
        if (rc == RX_OK) {
            check_file(bak, -1);
            unlink(bak);
        } else {
            if (access(bak, F_OK) == 0)
                fail_msg("failed backup (%s) left %s at N=%ld", err, bak, n);
        }

        /* Submitting without waiting, then closing: the job still runs and reports. */
        struct write_ctx c2 = {.iteration = 100000 + n};
        rc = rx_store_write(s, insert_job, &c2);
        if (rc == RX_OK) committed++;
        rx_alloc_fail_after(-1);
        rx_store_close(s);
        int injected = rx_alloc_failures() != f0;
        if (!injected) break;
    }
    assert_true(n < 5000);
    assert_true(open_failed >= 1);
    assert_true(write_failed >= 1);
    assert_true(read_failed >= 1);
    assert_true(opened >= 3);
    char wal[600];
    snprintf(wal, sizeof wal, "%s-wal", dbpath);
    assert_int_equal(access(wal, F_OK), -1); /* closed cleanly every time */
    check_file(dbpath, committed);
}

int main(void)
{
    /* The walk makes the store log every refused connection; the test checks the codes. */
    rx_log_set_level((enum rx_log_level)(RX_LOG_ERROR + 1));
    snprintf(dir, sizeof dir, "/tmp/rexin-test-oom-XXXXXX");
    if (!mkdtemp(dir)) return 1;
    snprintf(dbpath, sizeof dbpath, "%s/rexin.db", dir);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char extra[600];
    unlink(dbpath);
    snprintf(extra, sizeof extra, "%s-wal", dbpath);
    unlink(extra);
    snprintf(extra, sizeof extra, "%s-shm", dbpath);
    unlink(extra);
    rmdir(dir);
    return rc;
}
