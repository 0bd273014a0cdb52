/* csv.c: see csv.h. Two stages: bytes -> UTF-8 text (a view of the input when it already is
 * UTF-8, a converted copy otherwise), then one pass of a quote-aware scanner that copies
 * field contents into one text buffer.
 *
 * The text buffer is allocated once at len + 1 bytes and never grows: every field writes its
 * content plus a NUL, and consumes at least that many input bytes (its content, its quotes,
 * and the separator or line break that ends it), except the very last field, which may end
 * at the end of input; hence the + 1. Descriptors of fields and rows grow by doubling; rows
 * get their field pointers at the end, when the field array has stopped moving. */
#include "domain/csv.h"
#include <assert.h>
#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "lib/alloc.h"
#include "lib/utf8.h"

struct parser {
    const char *t; /* UTF-8 text */
    size_t len;    /* its length */
    size_t pos;    /* read position */
    char sep;
    struct rx_csv_limits lim;
    char *text; /* field storage, len + 1 bytes */
    size_t w;   /* write position in text */
    struct rx_csv_field *fields;
    size_t nfields, capfields;
    struct rx_csv_row *rows; /* .fields is set at the end: fields moves while it grows */
    size_t nrows, caprows;
    struct rx_csv_error err;
};

static int fail(struct rx_csv_error *e, int code, size_t row, size_t column)
{
    e->code = code;
    e->row = row;
    e->column = column;
    return code;
}

/* 1 + number of line feeds before off: the line of a byte, for encoding errors. */
static size_t line_of(const unsigned char *p, size_t off)
{
    size_t line = 1;
    for (size_t i = 0; i < off; i++)
        line += p[i] == '\n';
    return line;
}

/* Offset of the first byte that is not part of a valid UTF-8 sequence; n if none. */
static size_t utf8_bad_offset(const char *s, size_t n)
{
    size_t pos = 0;
    uint32_t cp;
    while (pos < n)
        if (rx_utf8_next(s, n, &pos, &cp) != RX_UTF8_OK) return pos;
    return n;
}

/* Converts in[0..n) from `from` to UTF-8 into a new buffer (*out, caller frees with rx_free).
 * On an invalid or truncated sequence, *bad gets its input offset. */
static int convert(const char *from, const unsigned char *in, size_t n, char **out, size_t *outlen,
                   size_t *bad)
{
    iconv_t cd = iconv_open("UTF-8", from);
    size_t cap = n + n / 2 + 16, used = 0;
    char *buf = NULL;
    int rc = RX_CSV_OK;
    char *ip = (char *)in; /* iconv's prototype is not const-correct; it only reads */
    size_t ileft = n;

    if (cd == (iconv_t)-1) return RX_CSV_EENCODING; // NOLINT(performance-no-int-to-ptr): iconv's error value
    buf = rx_malloc(cap);
    if (!buf) {
        rc = RX_CSV_ENOMEM;
        goto out;
    }
    while (ileft > 0) {
        char *op = buf + used;
        size_t oleft = cap - used;
        size_t r = iconv(cd, &ip, &ileft, &op, &oleft);
        used = (size_t)(op - buf);
        if (r != (size_t)-1) break;
        if (errno == E2BIG) { /* not expected with 1.5x, but iconv decides */
            char *nb = rx_realloc(buf, cap * 2);
            if (!nb) {
                rc = RX_CSV_ENOMEM;
                goto out;
            }
            buf = nb;
            cap *= 2;
            continue;
        }
        *bad = (size_t)((unsigned char *)ip - in); /* EILSEQ or EINVAL (truncated) */
        rc = RX_CSV_EENCODING;
        goto out;
    }
    *out = buf;
    *outlen = used;
    buf = NULL;
out:
    rx_free(buf);
    iconv_close(cd);
    return rc;
}

/* Makes UTF-8 text of the input: *t is either a view into data or *owned (rx_free it). */
static int to_utf8(const unsigned char *data, size_t n, const char **t, size_t *tlen, char **owned,
                   enum rx_csv_encoding *enc, struct rx_csv_error *err)
{
    const char *from = NULL;
    size_t skip = 0, bad = 0;
    int rc;

    if (n >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF) {
        size_t off = utf8_bad_offset((const char *)data + 3, n - 3);
        if (off != n - 3) return fail(err, RX_CSV_EENCODING, line_of(data, off + 3), 0);
        *enc = RX_CSV_UTF8_BOM;
        *t = (const char *)data + 3;
        *tlen = n - 3;
        return RX_CSV_OK;
    }
    if (n >= 2 && data[0] == 0xFF && data[1] == 0xFE) {
        *enc = RX_CSV_UTF16LE, from = "UTF-16LE", skip = 2;
    } else if (n >= 2 && data[0] == 0xFE && data[1] == 0xFF) {
        *enc = RX_CSV_UTF16BE, from = "UTF-16BE", skip = 2;
    } else if (rx_utf8_valid((const char *)data, n)) {
        *enc = RX_CSV_UTF8;
        *t = (const char *)data;
        *tlen = n;
        return RX_CSV_OK;
    } else {
        *enc = RX_CSV_GB18030, from = "GB18030";
    }

    rc = convert(from, data + skip, n - skip, owned, tlen, &bad);
    if (rc == RX_CSV_EENCODING) {
        /* UTF-16 line numbers would need decoding; the row is only a hint, so give 0 */
        return fail(err, rc, *enc == RX_CSV_GB18030 ? line_of(data, bad) : 0, 0);
    }
    if (rc != RX_CSV_OK) return fail(err, rc, 0, 0);
    *t = *owned;
    if (*tlen >= 3 && memcmp(*t, "\xEF\xBB\xBF", 3) == 0) { /* a GB18030 BOM (84 31 95 33) */
        *t += 3;
        *tlen -= 3;
    }
    /* iconv's UTF-8 output is valid, but this is outside data: check, do not assume */
    if (!rx_utf8_valid(*t, *tlen)) return fail(err, RX_CSV_EENCODING, 0, 0);
    return RX_CSV_OK;
}

/* ',' unless the first non-blank line has a tab and no comma outside quotes. */
static char detect_sep(const char *t, size_t len)
{
    size_t i = 0;
    bool quoted = false, tab = false, comma = false;

    while (i < len && (t[i] == '\r' || t[i] == '\n'))
        i++;
    for (; i < len; i++) {
        char c = t[i];
        if (c == '"') quoted = !quoted;
        if (quoted) continue;
        if (c == '\r' || c == '\n') break;
        tab |= c == '\t';
        comma |= c == ',';
    }
    return tab && !comma ? '\t' : ',';
}

static bool grow(void **p, size_t *cap, size_t elem, size_t need)
{
    if (need <= *cap) return true;
    size_t ncap = *cap ? *cap * 2 : 64;
    while (ncap < need)
        ncap *= 2;
    void *np = rx_realloc(*p, ncap * elem);
    if (!np) return false;
    *p = np;
    *cap = ncap;
    return true;
}

/* Parses one field starting at p->pos into the text buffer; leaves pos at its terminator. */
static int parse_field(struct parser *p, size_t row, size_t col)
{
    const char *t = p->t;
    size_t start = p->w, max = p->lim.max_field;

    if (p->pos < p->len && t[p->pos] == '"') {
        p->pos++;
        for (;;) {
            if (p->pos >= p->len) return fail(&p->err, RX_CSV_EQUOTE, row, col);
            char c = t[p->pos];
            if (c == '"') {
                if (p->pos + 1 < p->len && t[p->pos + 1] == '"') {
                    p->pos++; /* a doubled quote is one quote */
                } else {
                    p->pos++;
                    break;
                }
            }
            if (c == 0) return fail(&p->err, RX_CSV_ENUL, row, col);
            if (p->w - start == max) return fail(&p->err, RX_CSV_EFIELD, row, col);
            p->text[p->w++] = c;
            p->pos++;
        }
        if (p->pos < p->len) {
            char c = t[p->pos];
            if (c != p->sep && c != '\r' && c != '\n')
                return fail(&p->err, RX_CSV_EQUOTE, row, col);
        }
    } else {
        while (p->pos < p->len) {
            char c = t[p->pos];
            if (c == p->sep || c == '\r' || c == '\n') break;
            if (c == 0) return fail(&p->err, RX_CSV_ENUL, row, col);
            if (p->w - start == max) return fail(&p->err, RX_CSV_EFIELD, row, col);
            p->text[p->w++] = c;
            p->pos++;
        }
    }
    assert(p->w < p->len + 1);
    if (!grow((void **)&p->fields, &p->capfields, sizeof(*p->fields), p->nfields + 1))
        return fail(&p->err, RX_CSV_ENOMEM, row, col);
    p->fields[p->nfields].s = p->text + start;
    p->fields[p->nfields].len = p->w - start;
    p->nfields++;
    p->text[p->w++] = 0;
    return RX_CSV_OK;
}

static int parse_rows(struct parser *p)
{
    size_t row = 0;

    while (p->pos < p->len) {
        size_t first = p->nfields, mark = p->w, col = 0;
        bool empty = true;
        row++;
        for (;;) {
            col++;
            if (col > p->lim.max_columns) return fail(&p->err, RX_CSV_ECOLUMNS, row, col);
            int rc = parse_field(p, row, col);
            if (rc != RX_CSV_OK) return rc;
            empty &= p->fields[p->nfields - 1].len == 0;
            if (p->pos >= p->len) break;
            char c = p->t[p->pos++];
            if (c == p->sep) continue;
            if (c == '\r' && p->pos < p->len && p->t[p->pos] == '\n') p->pos++;
            break;
        }
        if (empty) { /* forget the row, keep counting */
            p->nfields = first;
            p->w = mark;
            continue;
        }
        if (p->nrows == p->lim.max_rows) return fail(&p->err, RX_CSV_EROWS, row, 0);
        if (!grow((void **)&p->rows, &p->caprows, sizeof(*p->rows), p->nrows + 1))
            return fail(&p->err, RX_CSV_ENOMEM, row, 0);
        p->rows[p->nrows].number = row;
        p->rows[p->nrows].nfields = col;
        p->rows[p->nrows].fields = NULL;
        p->nrows++;
    }
    if (p->nrows == 0) return fail(&p->err, RX_CSV_EEMPTY, 0, 0);
    return RX_CSV_OK;
}

int rx_csv_parse(const void *data, size_t n, const struct rx_csv_limits *limits, struct rx_csv *out,
                 struct rx_csv_error *err)
{
    struct rx_csv_error dummy;
    struct parser p = {0};
    char *owned = NULL;
    enum rx_csv_encoding enc = RX_CSV_UTF8;
    int rc;

    if (!err) err = &dummy;
    memset(err, 0, sizeof(*err));
    memset(out, 0, sizeof(*out));
    if (n > RX_CSV_MAX_INPUT) return fail(err, RX_CSV_ETOOBIG, 0, 0);
    if (limits) p.lim = *limits;
    if (!p.lim.max_rows) p.lim.max_rows = RX_CSV_DEFAULT_MAX_ROWS;
    if (!p.lim.max_columns) p.lim.max_columns = RX_CSV_DEFAULT_MAX_COLUMNS;
    if (!p.lim.max_field) p.lim.max_field = RX_CSV_DEFAULT_MAX_FIELD;

    rc = to_utf8(data, n, &p.t, &p.len, &owned, &enc, err);
    if (rc != RX_CSV_OK) goto out;
    p.sep = detect_sep(p.t, p.len);
    p.text = rx_malloc(p.len + 1);
    if (!p.text) {
        rc = fail(err, RX_CSV_ENOMEM, 0, 0);
        goto out;
    }
    rc = parse_rows(&p);
    if (rc != RX_CSV_OK) {
        *err = p.err;
        goto out;
    }
    /* kept rows own consecutive runs of fields, in order */
    for (size_t i = 0, first = 0; i < p.nrows; i++) {
        p.rows[i].fields = p.fields + first;
        first += p.rows[i].nfields;
    }
    assert(p.nrows == 0 ||
           p.rows[p.nrows - 1].fields + p.rows[p.nrows - 1].nfields == p.fields + p.nfields);
    out->nrows = p.nrows;
    out->rows = p.rows;
    out->sep = p.sep;
    out->encoding = enc;
    out->text_ = p.text;
    out->fields_ = p.fields;
    p.rows = NULL, p.text = NULL, p.fields = NULL;
out:
    rx_free(p.rows);
    rx_free(p.text);
    rx_free(p.fields);
    rx_free(owned);
    return rc;
}

void rx_csv_free(struct rx_csv *c)
{
    rx_free(c->rows);
    rx_free(c->text_);
    rx_free(c->fields_);
    memset(c, 0, sizeof(*c));
}

const char *rx_csv_cell(const struct rx_csv *c, size_t row, size_t col, size_t *len)
{
    if (row >= c->nrows || col >= c->rows[row].nfields) return NULL;
    if (len) *len = c->rows[row].fields[col].len;
    return c->rows[row].fields[col].s;
}

const char *rx_csv_strerror(int rc)
{
    switch (rc) {
    case RX_CSV_OK:
        return "ok";
    case RX_CSV_ETOOBIG:
        return "csv_too_big";
    case RX_CSV_EENCODING:
        return "csv_bad_encoding";
    case RX_CSV_ENUL:
        return "csv_nul_byte";
    case RX_CSV_EQUOTE:
        return "csv_bad_quote";
    case RX_CSV_ECOLUMNS:
        return "csv_too_many_columns";
    case RX_CSV_EFIELD:
        return "csv_field_too_long";
    case RX_CSV_EROWS:
        return "csv_too_many_rows";
    case RX_CSV_EEMPTY:
        return "csv_empty";
    case RX_CSV_ENOMEM:
        return "out_of_memory";
    }
    return "unknown";
}

const char *rx_csv_encoding_name(enum rx_csv_encoding e)
{
    switch (e) {
    case RX_CSV_UTF8:
        return "UTF-8";
    case RX_CSV_UTF8_BOM:
        return "UTF-8 (BOM)";
    case RX_CSV_GB18030:
        return "GB18030";
    case RX_CSV_UTF16LE:
        return "UTF-16LE";
    case RX_CSV_UTF16BE:
        return "UTF-16BE";
    }
    return "unknown";
}
