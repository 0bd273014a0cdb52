/* test_csv.c: encoding detection and RFC 4180 parsing of import files. GB18030 and UTF-16
 * inputs are produced at test time with iconv from the UTF-8 literals, so the expected
 * fields are the literals themselves. */
#include "testutil.h"
#include "domain/csv.h"
#include "lib/alloc.h"
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>

#define B(lit) lit, sizeof(lit) - 1
#define MAXF 8

/* Converts in[0..n) from UTF-8 to `to`, into a malloc'd buffer. */
static char *encode(const char *to, const char *in, size_t n, size_t *outlen)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    assert_true(cd != (iconv_t)-1);
    size_t cap = 4 * n + 16, oleft = cap, ileft = n;
    char *buf = malloc(cap), *op = buf, *ip = (char *)in;
    assert_non_null(buf);
    assert_int_not_equal(iconv(cd, &ip, &ileft, &op, &oleft), (size_t)-1);
    iconv_close(cd);
    *outlen = cap - oleft;
    return buf;
}

/* Expected rows: row number and fields, NULL-terminated. */
struct exp_row {
    size_t number;
    const char *f[MAXF];
};

static void check_rows(const struct rx_csv *c, const struct exp_row *want, size_t nwant,
                       const char *name)
{
    if (c->nrows != nwant) fail_msg("%s: %zu rows, want %zu", name, c->nrows, nwant);
    for (size_t r = 0; r < nwant; r++) {
        size_t nf = 0;
        while (nf < MAXF && want[r].f[nf])
            nf++;
        if (c->rows[r].number != want[r].number)
            fail_msg("%s: row %zu numbered %zu, want %zu", name, r, c->rows[r].number,
                     want[r].number);
        if (c->rows[r].nfields != nf)
            fail_msg("%s: row %zu has %zu fields, want %zu", name, r, c->rows[r].nfields, nf);
        for (size_t k = 0; k < nf; k++) {
            const struct rx_csv_field *f = &c->rows[r].fields[k];
            if (f->len != strlen(want[r].f[k]) || memcmp(f->s, want[r].f[k], f->len) != 0 ||
                f->s[f->len] != 0)
                fail_msg("%s: row %zu field %zu is \"%s\", want \"%s\"", name, r, k, f->s,
                         want[r].f[k]);
        }
    }
}

#define PEOPLE_UTF8 "姓名,身份证号\n张三,11010519491231002X\n"

static const struct exp_row people[] = {
    {1, {"姓名", "身份证号"}},
    {2, {"张三", "11010519491231002X"}},
};

struct enc_case {
    const char *name;
    const char *prefix; /* bytes put before the encoded text (a BOM) */
    size_t prefix_len;
    const char *iconv_to; /* NULL: the UTF-8 text as is */
    enum rx_csv_encoding want;
};

static const struct enc_case enc_cases[] = {
    {"utf-8", B(""), NULL, RX_CSV_UTF8},
    {"utf-8 bom", B("\xEF\xBB\xBF"), NULL, RX_CSV_UTF8_BOM},
    {"gb18030", B(""), "GB18030", RX_CSV_GB18030},
    {"gbk", B(""), "GBK", RX_CSV_GB18030},
    {"gb18030 bom", B("\x84\x31\x95\x33"), "GB18030", RX_CSV_GB18030},
    {"utf-16le", B("\xFF\xFE"), "UTF-16LE", RX_CSV_UTF16LE},
    {"utf-16be", B("\xFE\xFF"), "UTF-16BE", RX_CSV_UTF16BE},
};

static void test_encodings(void **state)
{
    static const char *texts[] = {PEOPLE_UTF8, "姓名,身份证号\r\n张三,11010519491231002X",
                                  "姓名\t身份证号\r\n张三\t11010519491231002X\r\n"};
    for (size_t i = 0; i < ARRAY_LEN(enc_cases); i++) {
        for (size_t k = 0; k < ARRAY_LEN(texts); k++) {
            const struct enc_case *e = &enc_cases[i];
            size_t blen = strlen(texts[k]), total;
            char *body = e->iconv_to ? encode(e->iconv_to, texts[k], blen, &blen) : NULL;
            char *in = malloc(e->prefix_len + blen);
            memcpy(in, e->prefix, e->prefix_len);
            memcpy(in + e->prefix_len, body ? body : texts[k], blen);
            total = e->prefix_len + blen;
            free(body);

            struct rx_csv c;
            struct rx_csv_error err;
            int rc = rx_csv_parse(in, total, NULL, &c, &err);
            memset(in, 0xAA, total); /* fields must not point into the input */
            free(in);
            if (rc != RX_CSV_OK) fail_msg("%s/%zu: rc %s", e->name, k, rx_csv_strerror(rc));
            assert_int_equal(c.encoding, e->want);
            assert_int_equal(c.sep, k == 2 ? '\t' : ',');
            check_rows(&c, people, ARRAY_LEN(people), e->name);
            rx_csv_free(&c);
        }
    }
}

struct parse_case {
    const char *name;
    const char *s;
    size_t n;
    char sep;
    size_t nrows;
    struct exp_row rows[4];
};

static const struct parse_case parse_cases[] = {
    {"no trailing newline", B("a,b\nc,d"), ',', 2, {{1, {"a", "b"}}, {2, {"c", "d"}}}},
    {"crlf", B("a,b\r\nc,d\r\n"), ',', 2, {{1, {"a", "b"}}, {2, {"c", "d"}}}},
    {"lone cr (old Mac)", B("a,b\rc,d\r"), ',', 2, {{1, {"a", "b"}}, {2, {"c", "d"}}}},
    {"quoted comma",
     B("name,addr\n张三,\"金水区, 3号楼\"\n"),
     ',',
     2,
     {{1, {"name", "addr"}}, {2, {"张三", "金水区, 3号楼"}}}},
    {"doubled quotes",
     B("a\n\"He said \"\"hi\"\"\"\n"),
     ',',
     2,
     {{1, {"a"}}, {2, {"He said \"hi\""}}}},
    {"only a quote", B("a,\"\"\"\"\n"), ',', 1, {{1, {"a", "\""}}}},
    {"newline in quotes",
     B("a,b\n\"line1\nline2\",x\nnext,y\n"),
     ',',
     3,
     {{1, {"a", "b"}}, {2, {"line1\nline2", "x"}}, {3, {"next", "y"}}}},
    {"crlf in quotes kept", B("\"1\r\n2\",z\r\n"), ',', 1, {{1, {"1\r\n2", "z"}}}},
    {"empty quoted field", B("\"\",x\n"), ',', 1, {{1, {"", "x"}}}},
    {"empty fields", B("a,,c\n,x,\n"), ',', 2, {{1, {"a", "", "c"}}, {2, {"", "x", ""}}}},
    {"trailing comma", B("a,b,\n"), ',', 1, {{1, {"a", "b", ""}}}},
    {"blank lines skipped, counted",
     B("h1,h2\n\na,b\n\r\n\nc,d\n\n\n"),
     ',',
     3,
     {{1, {"h1", "h2"}}, {3, {"a", "b"}}, {6, {"c", "d"}}}},
    {"empty rows skipped", B("h\n,,,\n\"\",\"\"\nx\n"), ',', 2, {{1, {"h"}}, {4, {"x"}}}},
    {"leading blank lines", B("\n\nh\nx"), ',', 2, {{3, {"h"}}, {4, {"x"}}}},
    {"ragged rows",
     B("a,b,c\n1\n1,2,3,4\n"),
     ',',
     3,
     {{1, {"a", "b", "c"}}, {2, {"1"}}, {3, {"1", "2", "3", "4"}}}},
    {"bare quote kept", B("h\n5'10\",x\"y\n"), ',', 2, {{1, {"h"}}, {2, {"5'10\"", "x\"y"}}}},
    {"spaces kept", B(" a , b \n"), ',', 1, {{1, {" a ", " b "}}}},
    {"space before quote is data", B(" \"a\",b\n"), ',', 1, {{1, {" \"a\"", "b"}}}},
    {"tabs",
     B("姓名\t电话\n李四\t138 1234 5678\n"),
     '\t',
     2,
     {{1, {"姓名", "电话"}}, {2, {"李四", "138 1234 5678"}}}},
    {"tab and comma in header: comma",
     B("a\tb,c\n1\t2,3\n"),
     ',',
     2,
     {{1, {"a\tb", "c"}}, {2, {"1\t2", "3"}}}},
    {"comma only inside quotes: tab",
     B("\"a,b\"\tc\n1\t2\n"),
     '\t',
     2,
     {{1, {"a,b", "c"}}, {2, {"1", "2"}}}},
    {"tab-separated with commas in data",
     B("a\tb\n1,5\t2\n"),
     '\t',
     2,
     {{1, {"a", "b"}}, {2, {"1,5", "2"}}}},
    {"single field", B("x"), ',', 1, {{1, {"x"}}}},
    {"utf-8 everywhere",
     B("\"施杰·\",\xF0\x9F\x98\x80\n"),
     ',',
     1,
     {{1, {"施杰·", "\xF0\x9F\x98\x80"}}}},
};

static void test_parse_table(void **state)
{
    for (size_t i = 0; i < ARRAY_LEN(parse_cases); i++) {
        const struct parse_case *c = &parse_cases[i];
        struct rx_csv csv;
        struct rx_csv_error err;
        int rc = rx_csv_parse(c->s, c->n, NULL, &csv, &err);
        if (rc != RX_CSV_OK)
            fail_msg("%s: %s at row %zu col %zu", c->name, rx_csv_strerror(rc), err.row,
                     err.column);
        assert_int_equal(err.code, RX_CSV_OK);
        if (csv.sep != c->sep) fail_msg("%s: sep %d", c->name, csv.sep);
        check_rows(&csv, c->rows, c->nrows, c->name);
        rx_csv_free(&csv);
    }
}

struct err_case {
    const char *name;
    const char *s;
    size_t n;
    struct rx_csv_limits lim;
    int rc;
    size_t row, column;
};

static const struct err_case err_cases[] = {
    {"text after closing quote", B("a,\"b\"x,c\n"), {0}, RX_CSV_EQUOTE, 1, 2},
    {"space after closing quote", B("h\nok\n\"b\" ,c\n"), {0}, RX_CSV_EQUOTE, 3, 1},
    {"unterminated quote", B("h1,h2\nok,ok\nx,\"never closed\ny,z\n"), {0}, RX_CSV_EQUOTE, 3, 2},
    {"unterminated at end", B("\""), {0}, RX_CSV_EQUOTE, 1, 1},
    {"quote row counts records", B("h\n\"a\nb\nc\"\nx\"y\"z,\"q\"w\n"), {0}, RX_CSV_EQUOTE, 3, 2},
    {"NUL byte", B("a,b\nc,\0d\n"), {0}, RX_CSV_ENUL, 2, 2},
    {"NUL in quotes", B("a\n\"x\0\"\n"), {0}, RX_CSV_ENUL, 2, 1},
    {"NUL alone", B("\0"), {0}, RX_CSV_ENUL, 1, 1},
    {"empty", B(""), {0}, RX_CSV_EEMPTY, 0, 0},
    {"only BOM", B("\xEF\xBB\xBF"), {0}, RX_CSV_EEMPTY, 0, 0},
    {"only newlines", B("\n\r\n\r"), {0}, RX_CSV_EEMPTY, 0, 0},
    {"only separators", B(",,,\n,\n"), {0}, RX_CSV_EEMPTY, 0, 0},
    {"BOM then invalid UTF-8",
     B("\xEF\xBB\xBF"
       "a\nb\xFF\n"),
     {0},
     RX_CSV_EENCODING,
     2,
     0},
    {"not GB18030 either", B("a,b\n\xFF\xFF\n"), {0}, RX_CSV_EENCODING, 2, 0},
    {"truncated GB18030", B("a,b\n\xD5"), {0}, RX_CSV_EENCODING, 2, 0},
    {"0x80 is not GB18030", B("h\nx\n\x80"), {0}, RX_CSV_EENCODING, 3, 0},
    {"odd UTF-16",
     B("\xFF\xFE"
       "a\0b"),
     {0},
     RX_CSV_EENCODING,
     0,
     0},
    {"UTF-16 lone surrogate", B("\xFF\xFE\x00\xD8\x61\x00"), {0}, RX_CSV_EENCODING, 0, 0},
    {"row cap", B("h\n1\n\n2\n3\n"), {3, 0, 0}, RX_CSV_EROWS, 5, 0},
    {"column cap", B("h\na,b,c,d\n"), {0, 3, 0}, RX_CSV_ECOLUMNS, 2, 4},
    {"field cap", B("abc,abcd\n"), {0, 0, 3}, RX_CSV_EFIELD, 1, 2},
    {"field cap quoted", B("\"a\"\"c\",\"a\"\"cd\"\n"), {0, 0, 3}, RX_CSV_EFIELD, 1, 2},
    {"field cap in UTF-8 bytes", B("张,张三\n"), {0, 0, 3}, RX_CSV_EFIELD, 1, 2},
};

static void test_errors(void **state)
{
    for (size_t i = 0; i < ARRAY_LEN(err_cases); i++) {
        const struct err_case *c = &err_cases[i];
        struct rx_csv csv;
        struct rx_csv_error err;
        int rc = rx_csv_parse(c->s, c->n, &c->lim, &csv, &err);
        if (rc != c->rc)
            fail_msg("%s: %s, want %s", c->name, rx_csv_strerror(rc), rx_csv_strerror(c->rc));
        assert_int_equal(err.code, rc);
        if (err.row != c->row || err.column != c->column)
            fail_msg("%s: at %zu:%zu, want %zu:%zu", c->name, err.row, err.column, c->row,
                     c->column);
        assert_int_equal(csv.nrows, 0);
        assert_null(csv.rows);
        rx_csv_free(&csv); /* harmless after a failure */
    }
    struct rx_csv csv;
    assert_int_equal(rx_csv_parse(B("\"x"), NULL, &csv, NULL), RX_CSV_EQUOTE); /* err optional */
}

/* The default caps: 100 columns, 4096-byte fields. */
static void test_default_caps(void **state)
{
    char line[101 * 2 + 1];
    struct rx_csv csv;
    struct rx_csv_error err;
    for (int i = 0; i < 101; i++)
        line[2 * i] = 'x', line[2 * i + 1] = ',';
    line[2 * 100 - 1] = '\n'; /* 100 fields */
    assert_int_equal(rx_csv_parse(line, 200, NULL, &csv, &err), RX_CSV_OK);
    assert_int_equal(csv.rows[0].nfields, 100);
    rx_csv_free(&csv);
    line[2 * 100 - 1] = ',';
    line[2 * 101 - 1] = '\n'; /* 101 fields */
    assert_int_equal(rx_csv_parse(line, 202, NULL, &csv, &err), RX_CSV_ECOLUMNS);
    assert_int_equal(err.column, 101);

    char *big = malloc(4097 + 3);
    big[0] = '"';
    memset(big + 1, 'y', 4096);
    big[4097] = '"';
    assert_int_equal(rx_csv_parse(big, 4098, NULL, &csv, &err), RX_CSV_OK);
    assert_int_equal(csv.rows[0].fields[0].len, 4096);
    rx_csv_free(&csv);
    memset(big, 'y', 4097);
    assert_int_equal(rx_csv_parse(big, 4097, NULL, &csv, &err), RX_CSV_EFIELD);
    free(big);
}

static void test_too_big(void **state)
{
    struct rx_csv csv;
    struct rx_csv_error err;
    char *big = calloc(RX_CSV_MAX_INPUT + 1, 1); /* untouched pages cost nothing */
    assert_non_null(big);
    assert_int_equal(rx_csv_parse(big, RX_CSV_MAX_INPUT + 1, NULL, &csv, &err), RX_CSV_ETOOBIG);
    free(big);
}

/* Many rows exercise the growth of the row and field arrays; cells are checked by value. */
static void test_many_rows(void **state)
{
    const size_t nrows = 20000;
    size_t cap = nrows * 64, len = 0;
    char *in = malloc(cap);
    len += (size_t)snprintf(in, cap, "序号,姓名,备注\r\n");
    for (size_t i = 1; i < nrows; i++)
        len += (size_t)snprintf(in + len, cap - len, "%zu,志愿者%zu,\"第%zu行, \"\"好\"\"\"\r\n", i,
                                i, i);
    struct rx_csv csv;
    assert_int_equal(rx_csv_parse(in, len, NULL, &csv, NULL), RX_CSV_OK);
    assert_int_equal(csv.nrows, nrows);
    for (size_t i = 1; i < nrows; i += 997) {
        char want[64];
        size_t flen;
        snprintf(want, sizeof(want), "第%zu行, \"好\"", i);
        assert_string_equal(rx_csv_cell(&csv, i, 2, &flen), want);
        assert_int_equal(flen, strlen(want));
        assert_int_equal(csv.rows[i].number, i + 1);
    }
    assert_null(rx_csv_cell(&csv, 0, 3, NULL));
    assert_null(rx_csv_cell(&csv, nrows, 0, NULL));
    rx_csv_free(&csv);

    /* the same file in GB18030 */
    size_t glen;
    char *gb = encode("GB18030", in, len, &glen);
    assert_int_equal(rx_csv_parse(gb, glen, NULL, &csv, NULL), RX_CSV_OK);
    assert_int_equal(csv.encoding, RX_CSV_GB18030);
    assert_int_equal(csv.nrows, nrows);
    assert_string_equal(rx_csv_cell(&csv, nrows - 1, 1, NULL), "志愿者19999");
    rx_csv_free(&csv);
    free(gb);
    free(in);
}

/* Every allocation failure is reported as ENOMEM and leaks nothing (LeakSanitizer checks). */
static void test_alloc_failures(void **state)
{
    size_t glen;
    char *gb = encode("GB18030", B(PEOPLE_UTF8 "李四,\"多行\n备注\"\n"), &glen);
    int ok = 0;
    for (long k = 0; k < 50 && !ok; k++) {
        struct rx_csv csv;
        struct rx_csv_error err;
        rx_alloc_fail_after(k);
        int rc = rx_csv_parse(gb, glen, NULL, &csv, &err);
        rx_alloc_fail_after(-1);
        if (rc == RX_CSV_OK) {
            ok = 1;
            assert_int_equal(csv.nrows, 3);
            assert_string_equal(rx_csv_cell(&csv, 2, 1, NULL), "多行\n备注");
        } else {
            assert_int_equal(rc, RX_CSV_ENOMEM);
        }
        rx_csv_free(&csv);
    }
    assert_true(ok);
    free(gb);
}

static void test_names(void **state)
{
    assert_string_equal(rx_csv_strerror(RX_CSV_EQUOTE), "csv_bad_quote");
    assert_string_equal(rx_csv_strerror(-1), "unknown");
    assert_string_equal(rx_csv_encoding_name(RX_CSV_GB18030), "GB18030");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encodings),      cmocka_unit_test(test_parse_table),
        cmocka_unit_test(test_errors),         cmocka_unit_test(test_default_caps),
        cmocka_unit_test(test_too_big),        cmocka_unit_test(test_many_rows),
        cmocka_unit_test(test_alloc_failures), cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
