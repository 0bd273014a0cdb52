/* xlsx.c: the .xlsx import reader (src/domain/xlsx.c: libzip + expat).
 *
 * The first input byte is a mode. Mode 0: the rest is the file itself (seeds are real
 * .xlsx files). Otherwise the rest is split at "\n@@\n" into the XML of the parts
 * xl/worksheets/sheet1.xml, xl/sharedStrings.xml, xl/workbook.xml and
 * xl/_rels/workbook.xml.rels, which the harness packs into a stored ZIP itself, so the
 * fuzzer works on the XML rather than on ZIP framing it would rarely get right. Bit 1 of
 * the mode asks for small limits. Properties of a successful read: rows in increasing order,
 * every cell valid UTF-8 of its stated length without NUL, within the limits, rx_xlsx_cell
 * agreeing; a failure leaves nothing and has a code. */
#include "fuzzutil.h"
#include "domain/xlsx.h"
#include "lib/utf8.h"

static uint32_t crc_table[256];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
    return 0;
}

static uint32_t crc32_of(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

struct zbuf {
    uint8_t *p;
    size_t n, cap;
};

static void put(struct zbuf *z, const void *d, size_t n)
{
    if (z->n + n > z->cap) {
        z->cap = (z->n + n) * 2 + 256;
        z->p = realloc(z->p, z->cap);
        if (!z->p) abort();
    }
    memcpy(z->p + z->n, d, n);
    z->n += n;
}

static void put16(struct zbuf *z, unsigned v)
{
    uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    put(z, b, 2);
}

static void put32(struct zbuf *z, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    put(z, b, 4);
}

/* A ZIP with the given parts, stored (no compression). */
static void make_zip(struct zbuf *z, const char *const *names, const uint8_t *const *data,
                     const size_t *lens, int count)
{
    uint32_t offs[8];
    for (int i = 0; i < count; i++) {
        offs[i] = (uint32_t)z->n;
        put32(z, 0x04034b50);
        put16(z, 20), put16(z, 0), put16(z, 0), put16(z, 0), put16(z, 0);
        put32(z, crc32_of(data[i], lens[i])), put32(z, (uint32_t)lens[i]), put32(z, (uint32_t)lens[i]);
        put16(z, (unsigned)strlen(names[i])), put16(z, 0);
        put(z, names[i], strlen(names[i]));
        put(z, data[i], lens[i]);
    }
    uint32_t cd = (uint32_t)z->n;
    for (int i = 0; i < count; i++) {
        put32(z, 0x02014b50);
        put16(z, 20), put16(z, 20), put16(z, 0), put16(z, 0), put16(z, 0), put16(z, 0);
        put32(z, crc32_of(data[i], lens[i])), put32(z, (uint32_t)lens[i]), put32(z, (uint32_t)lens[i]);
        put16(z, (unsigned)strlen(names[i])), put16(z, 0), put16(z, 0), put16(z, 0), put16(z, 0);
        put32(z, 0), put32(z, offs[i]);
        put(z, names[i], strlen(names[i]));
    }
    uint32_t cdlen = (uint32_t)z->n - cd;
    put32(z, 0x06054b50);
    put16(z, 0), put16(z, 0), put16(z, (unsigned)count), put16(z, (unsigned)count);
    put32(z, cdlen), put32(z, cd), put16(z, 0);
}

static void check(const struct rx_xlsx *x, const struct rx_xlsx_limits *lim)
{
    size_t last = 0;
    size_t max_rows = lim->max_rows ? lim->max_rows : 100000;
    size_t max_cols = lim->max_columns ? lim->max_columns : 100;
    size_t max_field = lim->max_field ? lim->max_field : 4096;
    FZ_CHECK(x->nrows >= 1 && x->nrows <= max_rows, "%zu rows", x->nrows);
    for (size_t i = 0; i < x->nrows; i++) {
        const struct rx_xlsx_row *r = &x->rows[i];
        FZ_CHECK(r->number > last, "row numbers not increasing: %zu after %zu", r->number, last);
        last = r->number;
        FZ_CHECK(r->ncells >= 1 && r->ncells <= max_cols, "%zu cells", r->ncells);
        int nonempty = 0;
        for (size_t k = 0; k < r->ncells; k++) {
            const char *s = r->cells[k];
            FZ_CHECK(s && strlen(s) == r->lens[k], "cell length");
            FZ_CHECK(r->lens[k] <= max_field, "cell of %zu bytes", r->lens[k]);
            FZ_CHECK(rx_utf8_valid(s, r->lens[k]), "cell not UTF-8");
            size_t len = 0;
            const char *c = rx_xlsx_cell(x, i, k, &len);
            FZ_CHECK(r->lens[k] ? c == s && len == r->lens[k] : !c, "rx_xlsx_cell");
            nonempty |= r->lens[k] > 0;
        }
        FZ_CHECK(nonempty && r->lens[r->ncells - 1] > 0, "row %zu ends in an empty cell", r->number);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    unsigned mode = data[0];
    struct rx_xlsx_limits lim = {0};
    if (mode & 2) lim = (struct rx_xlsx_limits){.max_rows = 4, .max_columns = 5, .max_field = 16};
    struct zbuf z = {0};
    const uint8_t *file = data + 1;
    size_t n = size - 1;
    if (mode & 1) {
        static const char *const names[4] = {"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml",
                                             "xl/workbook.xml", "xl/_rels/workbook.xml.rels"};
        const uint8_t *part[4];
        size_t len[4];
        int count = 0;
        const uint8_t *p = file, *end = file + n;
        while (count < 4) {
            const uint8_t *sep = memmem(p, (size_t)(end - p), "\n@@\n", 4);
            part[count] = p;
            len[count] = sep ? (size_t)(sep - p) : (size_t)(end - p);
            count++;
            if (!sep) break;
            p = sep + 4;
        }
        make_zip(&z, names, part, len, count);
        file = z.p;
        n = z.n;
    }
    struct rx_xlsx x;
    struct rx_xlsx_error e;
    int rc = rx_xlsx_read(file, n, &lim, &x, &e);
    FZ_CHECK(rc == e.code, "rc %d, err.code %d", rc, e.code);
    FZ_CHECK(strcmp(rx_xlsx_strerror(rc), "unknown") != 0, "no code for %d", rc);
    if (rc == RX_XLSX_OK) check(&x, &lim);
    else FZ_CHECK(x.nrows == 0 && !x.rows, "failed read left rows");
    rx_xlsx_free(&x);
    free(z.p);
    return 0;
}
