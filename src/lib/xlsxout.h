/* xlsxout.h: Excel (.xlsx) files with libxlsxwriter in constant_memory mode: each row goes to
 * a temporary file as it is written, so memory stays flat whatever the row count. The file
 * is written to a path the caller chose (a temporary file it will serve and remove).
 *
 * One sheet with a bold header row (frozen), column widths, and typed cells: text, whole
 * numbers, hours with two decimals ("0.00"), and dates shown as yyyy-mm-dd. Text starting
 * like a formula (= + - @ TAB CR) gets an apostrophe in front, as in csvout.h: libxlsxwriter
 * writes strings as strings, but a sheet saved again as CSV would lose that.
 * Ownership: rx_xlsx_open returns a writer that rx_xlsx_close always frees. */
#ifndef RX_XLSXOUT_H
#define RX_XLSXOUT_H
#include <stdint.h>

enum rx_cell_type {
    RX_CELL_TEXT = 0,  /* text as given */
    RX_CELL_INT = 1,   /* whole number; text that is not one is written as text */
    RX_CELL_HOURS = 2, /* a decimal number shown with two decimals */
    RX_CELL_DATE = 3,  /* "YYYY-MM-DD" shown as a date; anything else as text */
};

struct rx_xlsx_col {
    const char *header;    /* header text */
    enum rx_cell_type type;
    double width;          /* in characters; 0 = default */
};

struct rx_xlsx;

/* Starts a workbook at path with one sheet; tmpdir (may be NULL) holds libxlsxwriter's row
 * files. Returns 0, or -1 with *x = NULL. */
int rx_xlsx_open(struct rx_xlsx **x, const char *path, const char *tmpdir, const char *sheet,
                 const struct rx_xlsx_col *cols, int ncols);
/* Writes the next row: vals[i] is column i's value as text (NULL = empty cell). */
int rx_xlsx_row(struct rx_xlsx *x, const char *const *vals);
/* Finishes the file and frees the writer: 0 when the file is complete. */
int rx_xlsx_close(struct rx_xlsx *x);

#endif
