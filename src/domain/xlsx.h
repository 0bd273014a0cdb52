/* xlsx.h: reading the first worksheet of an uploaded Excel .xlsx file into rows of text
 * cells, the same shape the CSV reader gives, so the importer treats both alike.
 *
 * In: the whole file as bytes (a ZIP of XML parts, ECMA-376). Read with libzip from memory
 * and expat, streaming each part, so a 30 MiB sheet never needs its XML in memory at once:
 *   xl/workbook.xml + xl/_rels/workbook.xml.rels  -> which part is the first sheet;
 *   xl/sharedStrings.xml                          -> the strings cells of type "s" point at
 *                                                    (rich-text runs joined, phonetic runs
 *                                                    <rPh> left out);
 *   the sheet's <row r> <c r t><v>/<is><t>        -> cells, placed by their reference (B7 is
 *                                                    row 7, column 2), gaps left empty.
 * Values come out as text: shared and inline strings as written, numbers as Excel stores
 * them ("13812345678", "4.1010519491231E+17", a date as its serial day "18327"), booleans
 * "1"/"0", formula results as cached. Interpreting numbers is the caller's business.
 *
 * Hostile files: every part's uncompressed size is capped (a ZIP bomb stops at the cap),
 * as are rows, columns, cell length and the number of shared strings; a DOCTYPE (entity
 * tricks) is refused. Rows whose cells are all empty are dropped but keep their numbers.
 *
 * Out: struct rx_xlsx owns all memory; rx_xlsx_free releases it. */
#ifndef RX_XLSX_H
#define RX_XLSX_H
#include <stddef.h>

enum rx_xlsx_status {
    RX_XLSX_OK = 0,
    RX_XLSX_EZIP = 1,     /* not a ZIP archive, or a part cannot be read */
    RX_XLSX_ENOSHEET = 2, /* no worksheet in it (not a spreadsheet) */
    RX_XLSX_EXML = 3,     /* malformed XML, or a DOCTYPE */
    RX_XLSX_ETOOBIG = 4,  /* a part larger than RX_XLSX_MAX_PART uncompressed */
    RX_XLSX_EROWS = 5,    /* more than max_rows non-empty rows */
    RX_XLSX_ECOLUMNS = 6, /* a cell beyond max_columns */
    RX_XLSX_EFIELD = 7,   /* a cell longer than max_field bytes */
    RX_XLSX_EEMPTY = 8,   /* no non-empty row */
    RX_XLSX_ENOMEM = 9,
};

#define RX_XLSX_MAX_PART ((size_t)512 << 20) /* uncompressed bytes per XML part */
#define RX_XLSX_MAX_STRINGS 2000000          /* shared strings */

/* Caps; a zero member means the default (100000 rows, 100 columns, 4096 bytes). */
struct rx_xlsx_limits {
    size_t max_rows;
    size_t max_columns;
    size_t max_field;
};

struct rx_xlsx_row {
    size_t number;      /* row number as Excel shows it, 1-based */
    size_t ncells;      /* cells up to the last non-empty one */
    const char **cells; /* ncells entries; "" for an empty cell */
    const size_t *lens; /* their lengths in bytes */
};

struct rx_xlsx {
    size_t nrows; /* non-empty rows, in sheet order */
    struct rx_xlsx_row *rows;
    char *text_;         /* private: all cell text */
    const char **cells_; /* private */
    size_t *lens_;       /* private */
};

struct rx_xlsx_error {
    int code;      /* the status returned */
    size_t row;    /* 1-based row when about a row, else 0 */
    size_t column; /* 1-based column when about a cell, else 0 */
};

/* Reads the first worksheet of data[0..n). *out is empty after a failure; rx_xlsx_free is
 * safe either way. err and limits may be NULL. */
int rx_xlsx_read(const void *data, size_t n, const struct rx_xlsx_limits *limits,
                 struct rx_xlsx *out, struct rx_xlsx_error *err);
void rx_xlsx_free(struct rx_xlsx *x);

/* Cell (0-based row index into rows, 0-based column) or NULL when absent or empty. */
const char *rx_xlsx_cell(const struct rx_xlsx *x, size_t row, size_t col, size_t *len);

/* Stable machine code of a status, e.g. "xlsx_not_zip". */
const char *rx_xlsx_strerror(int rc);

/* 0-based column of a cell reference such as "B7" or "AA12"; -1 when malformed. *row gets
 * the row number (0 when the reference has none). */
long rx_xlsx_ref(const char *ref, size_t *row);

/* True when s[0..n) starts with the ZIP local-file signature "PK\3\4". */
int rx_xlsx_sniff(const void *data, size_t n);

#endif
