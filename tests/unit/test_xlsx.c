/* test_xlsx.c: the .xlsx reader against the committed fixture (tests/fixtures/people.xlsx,
 * made by tests/tools/make_xlsx.mjs) and against broken input. */
#include "testutil.h"
#include "domain/xlsx.h"
#include <stdio.h>
#include <stdlib.h>

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    *n = 0;
    if (!f) return NULL;
    char *buf = malloc(1 << 20);
    *n = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

static void cell_is(const struct rx_xlsx *x, size_t row, size_t col, const char *want)
{
    size_t len = 0;
    const char *got = rx_xlsx_cell(x, row, col, &len);
    if (!want) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_string_equal(got, want);
    assert_int_equal(len, strlen(want));
}

static void test_fixture(void **state)
{
    size_t n = 0;
    char *data = slurp("tests/fixtures/people.xlsx", &n);
    assert_non_null(data);
    assert_true(rx_xlsx_sniff(data, n));
    struct rx_xlsx x;
    struct rx_xlsx_error err;
    assert_int_equal(rx_xlsx_read(data, n, NULL, &x, &err), RX_XLSX_OK);
    assert_int_equal(x.nrows, 4); /* the empty row 4 is dropped */
    assert_int_equal(x.rows[0].number, 1);
    assert_int_equal(x.rows[3].number, 5);
    cell_is(&x, 0, 0, "姓名");
    cell_is(&x, 0, 5, NULL); /* column F is empty */
    cell_is(&x, 0, 6, "特长");
    cell_is(&x, 1, 3, "18329");       /* a date as its serial number */
    cell_is(&x, 1, 4, "13812345678"); /* a phone stored as a number */
    cell_is(&x, 1, 6, "理发、按摩");
    cell_is(&x, 2, 0, "施 杰");              /* rich text joined, phonetic run left out */
    cell_is(&x, 2, 1, "410104196511200018"); /* written after column C, placed by reference */
    cell_is(&x, 3, 1, "41010519491231059x"); /* inline string */
    cell_is(&x, 3, 3, NULL);
    rx_xlsx_free(&x);
    free(data);
}

static void test_limits(void **state)
{
    size_t n = 0;
    char *data = slurp("tests/fixtures/people.xlsx", &n);
    struct rx_xlsx x;
    struct rx_xlsx_error err;
    struct rx_xlsx_limits rows = {.max_rows = 2};
    assert_int_equal(rx_xlsx_read(data, n, &rows, &x, &err), RX_XLSX_EROWS);
    assert_int_equal(x.nrows, 0);
    struct rx_xlsx_limits cols = {.max_columns = 5};
    assert_int_equal(rx_xlsx_read(data, n, &cols, &x, &err), RX_XLSX_ECOLUMNS);
    assert_int_equal(err.row, 1);
    assert_int_equal(err.column, 7);
    struct rx_xlsx_limits field = {.max_field = 10};
    assert_int_equal(rx_xlsx_read(data, n, &field, &x, &err), RX_XLSX_EFIELD);
    rx_xlsx_free(&x);
    free(data);
}

static void test_not_xlsx(void **state)
{
    struct rx_xlsx x;
    const char csv[] = "姓名,身份证号\n张三,1\n";
    assert_false(rx_xlsx_sniff(csv, sizeof csv - 1));
    assert_int_equal(rx_xlsx_read(csv, sizeof csv - 1, NULL, &x, NULL), RX_XLSX_EZIP);
    assert_int_equal(rx_xlsx_read("", 0, NULL, &x, NULL), RX_XLSX_EZIP);
    /* a truncated archive */
    size_t n = 0;
    char *data = slurp("tests/fixtures/people.xlsx", &n);
    assert_int_not_equal(rx_xlsx_read(data, n / 2, NULL, &x, NULL), RX_XLSX_OK);
    rx_xlsx_free(&x);
    free(data);
}

static void test_refs(void **state)
{
    size_t row;
    assert_int_equal(rx_xlsx_ref("A1", &row), 0);
    assert_int_equal(row, 1);
    assert_int_equal(rx_xlsx_ref("Z9", &row), 25);
    assert_int_equal(rx_xlsx_ref("AA12", &row), 26);
    assert_int_equal(row, 12);
    assert_int_equal(rx_xlsx_ref("XFD1048576", &row), 16383);
    assert_int_equal(rx_xlsx_ref("1A", &row), -1);
    assert_int_equal(rx_xlsx_ref("a1", &row), -1);
    assert_int_equal(rx_xlsx_strerror(RX_XLSX_EZIP)[0], 'x');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_not_xlsx),
        cmocka_unit_test(test_refs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
