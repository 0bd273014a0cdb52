/* csv.h: reading an uploaded CSV file (people, teams, service records) into rows of fields.
 *
 * In: the whole file as bytes, at most RX_CSV_MAX_INPUT. The encoding is detected, because
 * Excel on Chinese Windows saves "CSV" in GB18030 (GBK) and "CSV UTF-8" with a BOM:
 *   UTF-8 BOM -> stripped, rest must be UTF-8;  FF FE / FE FF BOM -> UTF-16LE/BE ("Unicode
 *   text");  valid UTF-8 -> as is;  anything else -> GB18030, converted to UTF-8 with iconv,
 *   and an error if that fails too.
 * Then RFC 4180: fields separated by commas, or by tabs when the header row has tabs and no
 * commas (outside quotes); quoted fields may hold separators, doubled quotes and line
 * breaks; rows end in CRLF, LF or a lone CR; the final line break is optional. Outside
 * quotes a '"' inside a field is kept literally (as Excel does). Rows whose fields are all
 * empty (blank lines, ",,,") are skipped but still counted, so every row number is the one a
 * spreadsheet shows. Rows may have different numbers of fields; the caller decides.
 *
 * Out: struct rx_csv owning all memory (one rx_csv_free releases it); every field is valid
 * UTF-8 without NUL bytes, NUL-terminated, and stays valid after the input is freed.
 * Errors say which row (1-based, header = row 1) and column (1-based) went wrong.
 * Worst-case memory is about 1.5x the input for the text plus 16 bytes per field. */
#ifndef RX_CSV_H
#define RX_CSV_H
#include <stddef.h>

enum rx_csv_status {
    RX_CSV_OK = 0,
    RX_CSV_ETOOBIG = 1,   /* input larger than RX_CSV_MAX_INPUT */
    RX_CSV_EENCODING = 2, /* not UTF-8, not UTF-16 with BOM, not GB18030 */
    RX_CSV_ENUL = 3,      /* a NUL character in the text */
    RX_CSV_EQUOTE = 4,    /* text after a closing quote, or a quote never closed */
    RX_CSV_ECOLUMNS = 5,  /* a row with more than max_columns fields */
    RX_CSV_EFIELD = 6,    /* a field longer than max_field bytes (after conversion to UTF-8) */
    RX_CSV_EROWS = 7,     /* more than max_rows non-empty rows */
    RX_CSV_EEMPTY = 8,    /* no non-empty row at all */
    RX_CSV_ENOMEM = 9,
};

enum rx_csv_encoding {
    RX_CSV_UTF8 = 0,
    RX_CSV_UTF8_BOM = 1,
    RX_CSV_GB18030 = 2,
    RX_CSV_UTF16LE = 3,
    RX_CSV_UTF16BE = 4,
};

#define RX_CSV_MAX_INPUT ((size_t)64 << 20) /* 64 MiB */
#define RX_CSV_DEFAULT_MAX_ROWS 100000
#define RX_CSV_DEFAULT_MAX_COLUMNS 100
#define RX_CSV_DEFAULT_MAX_FIELD 4096

/* Caps; a zero member means its default. */
struct rx_csv_limits {
    size_t max_rows;    /* non-empty rows, header included */
    size_t max_columns; /* fields per row */
    size_t max_field;   /* bytes per field, in UTF-8 */
};

struct rx_csv_field {
    const char *s; /* NUL-terminated UTF-8, owned by the struct rx_csv */
    size_t len;    /* bytes, without the NUL */
};

struct rx_csv_row {
    size_t number;                     /* row number as a spreadsheet shows it, 1-based */
    size_t nfields;                    /* >= 1 */
    const struct rx_csv_field *fields; /* nfields fields */
};

struct rx_csv {
    size_t nrows;                  /* non-empty rows; rows[0] is normally the header */
    struct rx_csv_row *rows;       /* nrows rows */
    char sep;                      /* ',' or '\t', as detected */
    enum rx_csv_encoding encoding; /* as detected */
    char *text_;                   /* private: storage of all fields */
    struct rx_csv_field *fields_;  /* private: storage of all field descriptors */
};

struct rx_csv_error {
    int code;      /* the status returned */
    size_t row;    /* 1-based row, or 0 when not about a row; for encoding errors the line */
    size_t column; /* 1-based field, or 0 when not about a field */
};

/* Parses data[0..n) into *out, which the caller releases with rx_csv_free (also safe after
 * a failed parse, which leaves *out empty). err may be NULL; limits may be NULL for the
 * defaults. */
int rx_csv_parse(const void *data, size_t n, const struct rx_csv_limits *limits, struct rx_csv *out,
                 struct rx_csv_error *err);

/* Releases everything *c owns and empties it. */
void rx_csv_free(struct rx_csv *c);

/* Field `col` of row `row` (both 0-based), or NULL when the row is shorter or absent;
 * *len (if not NULL) gets its length. */
const char *rx_csv_cell(const struct rx_csv *c, size_t row, size_t col, size_t *len);

/* Stable machine code of a status ("csv_bad_quote" ...) and name of an encoding ("GB18030"). */
const char *rx_csv_strerror(int rc);
const char *rx_csv_encoding_name(enum rx_csv_encoding e);

#endif
