/* csv_export.c: the CSV writer of exports (src/lib/csvout.c) against the CSV import reader
 * (src/domain/csv.c). The input is rows of fields (a length byte and the bytes; a zero
 * length byte with the next byte odd ends the row). Fields that are not valid UTF-8 or hold
 * NUL are skipped (exports write database text, which is UTF-8). What is written, read back,
 * must give the same rows and fields, except that a field a spreadsheet would take for a
 * formula (starting with = + - @ TAB CR) comes back with an apostrophe in front, and no field
 * read back starts like a formula. Rows of empty fields are skipped by the reader and so
 * left out of the comparison. */
#include "fuzzutil.h"
#include "domain/csv.h"
#include "lib/csvout.h"
#include "lib/utf8.h"

#define MAX_ROWS 32
#define MAX_COLS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_in in = {data, size};
    char *cell[MAX_ROWS][MAX_COLS];
    size_t ncol[MAX_ROWS] = {0};
    size_t nrow = 0;
    while (in.n && nrow < MAX_ROWS) {
        size_t n;
        const char *s = fz_bytes(&in, &n);
        if (n == 0 && (fz_u8(&in) & 1)) {
            if (ncol[nrow]) nrow++;
            continue;
        }
        if (memchr(s, 0, n) || !rx_utf8_valid(s, n) || ncol[nrow] == MAX_COLS) continue;
        cell[nrow][ncol[nrow]++] = fz_strndup(s, n);
    }
    if (nrow < MAX_ROWS && ncol[nrow]) nrow++;

    struct rx_buf out;
    rx_buf_init(&out, 1u << 20);
    rx_csvout_bom(&out);
    for (size_t r = 0; r < nrow; r++) {
        for (size_t c = 0; c < ncol[r]; c++) rx_csvout_text(&out, cell[r][c], c == 0);
        rx_csvout_eol(&out);
    }
    FZ_CHECK(!out.err, "buffer");

    struct rx_csv csv;
    struct rx_csv_error e;
    int rc = rx_csv_parse(out.data, out.len, NULL, &csv, &e);
    size_t k = 0; /* rows read back */
    for (size_t r = 0; r < nrow; r++) {
        int empty = 1;
        for (size_t c = 0; c < ncol[r]; c++) empty &= cell[r][c][0] == 0;
        if (empty) continue;
        FZ_CHECK(rc == RX_CSV_OK, "reader refused what the writer wrote: %s (row %zu col %zu)",
                 rx_csv_strerror(rc), e.row, e.column);
        FZ_CHECK(k < csv.nrows, "row %zu missing", r);
        const struct rx_csv_row *row = &csv.rows[k++];
        FZ_CHECK(row->nfields == ncol[r], "row %zu: %zu fields written, %zu read", r, ncol[r],
                 row->nfields);
        for (size_t c = 0; c < ncol[r]; c++) {
            const char *want = cell[r][c];
            const struct rx_csv_field *f = &row->fields[c];
            size_t wl = strlen(want);
            int risky = rx_csvout_risky(want, wl);
            FZ_CHECK(f->len == wl + (size_t)risky && (!risky || f->s[0] == '\'') &&
                         memcmp(f->s + risky, want, wl) == 0,
                     "row %zu col %zu: wrote [%s], read [%s]", r, c, want, f->s);
            FZ_CHECK(!rx_csvout_risky(f->s, f->len), "formula read back: [%s]", f->s);
        }
    }
    if (rc == RX_CSV_OK) FZ_CHECK(k == csv.nrows, "%zu extra rows read", csv.nrows - k);
    rx_csv_free(&csv);
    rx_buf_free(&out);
    for (size_t r = 0; r < MAX_ROWS; r++)
        for (size_t c = 0; c < ncol[r]; c++) free(cell[r][c]);
    return 0;
}
