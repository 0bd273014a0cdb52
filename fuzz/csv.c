/* csv.c: the CSV import reader (src/domain/csv.c), every encoding.
 *
 * The first input byte is a mode, the rest the file:
 *   bits 0-2: 0 as is; 1 with a UTF-8 BOM in front; 2 with FF FE (UTF-16LE); 3 with FE FF
 *             (UTF-16BE); 4..7 differential: when the rest is valid UTF-8, it is also
 *             re-encoded as UTF-16LE and UTF-16BE with BOMs and as GB18030, and every form
 *             must parse to the same rows (or fail the same way);
 *   bit 3:    small limits (3 rows, 4 columns, 8 bytes per field) instead of the defaults.
 * Properties of every successful parse: each field is valid UTF-8 without NUL and no longer
 * than max_field, rows have 1..max_columns fields and increasing numbers, at most max_rows
 * rows, rx_csv_cell agrees with the rows. A failed parse leaves the result empty and says
 * which row. */
#include "fuzzutil.h"
#include "domain/csv.h"
#include "lib/utf8.h"
#include <iconv.h>

static void check(const struct rx_csv *c, const struct rx_csv_limits *lim)
{
    size_t max_rows = lim->max_rows ? lim->max_rows : RX_CSV_DEFAULT_MAX_ROWS;
    size_t max_cols = lim->max_columns ? lim->max_columns : RX_CSV_DEFAULT_MAX_COLUMNS;
    size_t max_field = lim->max_field ? lim->max_field : RX_CSV_DEFAULT_MAX_FIELD;
    FZ_CHECK(c->nrows >= 1 && c->nrows <= max_rows, "%zu rows", c->nrows);
    FZ_CHECK(c->sep == ',' || c->sep == '\t', "separator %d", c->sep);
    size_t last = 0;
    for (size_t i = 0; i < c->nrows; i++) {
        const struct rx_csv_row *r = &c->rows[i];
        FZ_CHECK(r->number > last, "row numbers not increasing");
        last = r->number;
        FZ_CHECK(r->nfields >= 1 && r->nfields <= max_cols, "%zu fields", r->nfields);
        int nonempty = 0;
        for (size_t k = 0; k < r->nfields; k++) {
            const struct rx_csv_field *f = &r->fields[k];
            FZ_CHECK(f->len <= max_field, "field of %zu bytes", f->len);
            FZ_CHECK(strlen(f->s) == f->len, "NUL inside a field");
            FZ_CHECK(rx_utf8_valid(f->s, f->len), "field not UTF-8");
            size_t len = 0;
            FZ_CHECK(rx_csv_cell(c, i, k, &len) == f->s && len == f->len, "rx_csv_cell");
            nonempty |= f->len > 0;
        }
        FZ_CHECK(nonempty, "an empty row was kept");
        FZ_CHECK(!rx_csv_cell(c, i, r->nfields, NULL), "cell past the row");
    }
    FZ_CHECK(!rx_csv_cell(c, c->nrows, 0, NULL), "row past the end");
}

static int parse(const void *d, size_t n, const struct rx_csv_limits *lim, struct rx_csv *c,
                 struct rx_csv_error *e)
{
    int rc = rx_csv_parse(d, n, lim, c, e);
    FZ_CHECK(rc == e->code, "rc %d but err.code %d", rc, e->code);
    if (rc == RX_CSV_OK) check(c, lim);
    else FZ_CHECK(c->nrows == 0 && !c->rows, "failed parse left rows");
    FZ_CHECK(strcmp(rx_csv_strerror(rc), "unknown") != 0, "no code for %d", rc);
    return rc;
}

static int same_rows(const struct rx_csv *a, const struct rx_csv *b)
{
    if (a->nrows != b->nrows || a->sep != b->sep) return 0;
    for (size_t i = 0; i < a->nrows; i++) {
        if (a->rows[i].number != b->rows[i].number || a->rows[i].nfields != b->rows[i].nfields)
            return 0;
        for (size_t k = 0; k < a->rows[i].nfields; k++) {
            const struct rx_csv_field *x = &a->rows[i].fields[k], *y = &b->rows[i].fields[k];
            if (x->len != y->len || memcmp(x->s, y->s, x->len) != 0) return 0;
        }
    }
    return 1;
}

/* to (malloc'd) = bom + s re-encoded into `code`; 0 if iconv cannot. */
static size_t encode(const char *code, const char *bom, size_t bomlen, const char *s, size_t n,
                     char **to)
{
    iconv_t cd = iconv_open(code, "UTF-8");
    if (cd == (iconv_t)-1) return 0;
    size_t cap = bomlen + n * 4 + 8;
    char *buf = malloc(cap), *op = buf + bomlen, *ip = (char *)s;
    size_t il = n, ol = cap - bomlen;
    if (!buf) abort();
    memcpy(buf, bom, bomlen);
    size_t r = iconv(cd, &ip, &il, &op, &ol);
    iconv_close(cd);
    if (r == (size_t)-1) {
        free(buf);
        return 0;
    }
    *to = buf;
    return (size_t)(op - buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    unsigned mode = data[0];
    const char *text = (const char *)data + 1;
    size_t n = size - 1;
    struct rx_csv_limits lim = {0};
    if (mode & 8) lim = (struct rx_csv_limits){.max_rows = 3, .max_columns = 4, .max_field = 8};
    struct rx_csv c;
    struct rx_csv_error e;
    unsigned enc = mode & 7;

    if (enc < 4) {
        static const char *const boms[4] = {"", "\xEF\xBB\xBF", "\xFF\xFE", "\xFE\xFF"};
        size_t bl = strlen(boms[enc]);
        char *buf = malloc(n + bl + 1);
        if (!buf) abort();
        memcpy(buf, boms[enc], bl);
        if (n) memcpy(buf + bl, text, n);
        if (parse(buf, n + bl, &lim, &c, &e) == RX_CSV_OK) {
            if (enc == 2) FZ_CHECK(c.encoding == RX_CSV_UTF16LE, "encoding %d", c.encoding);
            if (enc == 3) FZ_CHECK(c.encoding == RX_CSV_UTF16BE, "encoding %d", c.encoding);
        }
        rx_csv_free(&c);
        free(buf);
        return 0;
    }

    int rc = parse(text, n, &lim, &c, &e);
    if (!rx_utf8_valid(text, n) || (n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)) {
        rx_csv_free(&c);
        return 0;
    }
    FZ_CHECK(rc != RX_CSV_OK || c.encoding == RX_CSV_UTF8, "UTF-8 read as %d", c.encoding);
    static const struct {
        const char *code, *bom;
        size_t bomlen;
    } forms[] = {{"UTF-16LE", "\xFF\xFE", 2}, {"UTF-16BE", "\xFE\xFF", 2}, {"GB18030", "", 0}};
    for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
        char *other = NULL;
        size_t on = encode(forms[f].code, forms[f].bom, forms[f].bomlen, text, n, &other);
        if (!other) continue;
        /* GB18030 text that happens to be valid UTF-8 is read as UTF-8, rightly */
        if (forms[f].bomlen == 0 && rx_utf8_valid(other, on)) {
            free(other);
            continue;
        }
        struct rx_csv c2;
        struct rx_csv_error e2;
        int rc2 = parse(other, on, &lim, &c2, &e2);
        FZ_CHECK(rc2 == rc, "%s: rc %d, UTF-8 rc %d", forms[f].code, rc2, rc);
        if (rc == RX_CSV_OK) FZ_CHECK(same_rows(&c, &c2), "%s: rows differ", forms[f].code);
        else FZ_CHECK(e2.column == e.column && (e2.row == e.row || !e2.row),
                      "%s: error at %zu:%zu, UTF-8 at %zu:%zu", forms[f].code, e2.row, e2.column,
                      e.row, e.column);
        rx_csv_free(&c2);
        free(other);
    }
    rx_csv_free(&c);
    return 0;
}
