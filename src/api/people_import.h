/* people_import.h: importing people from a spreadsheet, shared by `rexin import people` and
 * POST /api/v1/imports/people.
 *
 * Two phases, so the expensive part runs off the writer:
 *   rx_import_parse  (CPU, no database): reads the file (CSV in UTF-8, UTF-8 with BOM,
 *                    GB18030 or UTF-16; or the first sheet of an .xlsx), maps the header row
 *                    to fields by name (Chinese or English), checks every row with the same
 *                    rules as the API (domain/person.c), seals ID numbers and computes their
 *                    look-up hashes, and rejects rows repeating an earlier row of the file;
 *   rx_import_apply  (a database connection): decides each remaining row against the
 *                    database — same ID as a person in scope: update that person's blank
 *                    fields; same ID out of scope: rejected; a suspected duplicate (same name
 *                    and birth date or phone): rejected; else create — and, unless dry_run,
 *                    writes and audits. The caller runs it inside one transaction and rolls
 *                    back when rows were rejected and skip_invalid is off (all or nothing).
 * rx_import_report writes the per-row report as JSON.
 *
 * Ownership: rx_import_parse returns an import the caller releases with rx_import_free. */
#ifndef RX_PEOPLE_IMPORT_H
#define RX_PEOPLE_IMPORT_H
#include "lib/crypto.h"
#include "lib/json.h"
#include "lib/timefmt.h"
#include <stddef.h>
#include <stdint.h>

struct rx_db;
struct rx_import;

#define RX_IMPORT_MAX_ROWS 200000 /* data rows per file */

struct rx_import_error {
    const char *code;   /* stable code: csv_bad_encoding, xlsx_not_zip, import_missing_column ... */
    size_t row, column; /* where, when known (1-based), else 0 */
    char detail[160];   /* e.g. the header that is missing or repeated */
};

int rx_import_parse(const void *data, size_t n, const struct rx_keys *keys,
                    const struct rx_date *today, struct rx_import **out,
                    struct rx_import_error *err);
void rx_import_free(struct rx_import *im);

struct rx_import_opts {
    int64_t community_id;     /* where new people live */
    int dry_run;              /* decide and report, write nothing */
    const char *const *scope; /* the caller's scope paths for managing people ... */
    int nscope;               /* ... how many; -1 = everywhere (the CLI) */
    int64_t user_id;          /* for the audit log; 0 = none (the CLI) */
    const char *ip;           /* for the audit log; NULL = none */
    const char *source;       /* "api" or "cli" */
    void (*progress)(void *arg, size_t done, size_t total); /* may be NULL */
    void *progress_arg;
};

struct rx_import_counts {
    size_t rows, created, updated, unchanged, rejected;
};

/* Decides (and unless dry_run writes) every row. Returns RX_OK or the first store error;
 * counts (may be NULL) gets the totals. Can be run again on the same import (a dry run on a
 * reader, then the real run on the writer): each run starts from the parse results. */
int rx_import_apply(struct rx_db *db, struct rx_import *im, const struct rx_import_opts *o,
                    int64_t now, struct rx_import_counts *counts);

/* The report: format, encoding, columns, counts, and per row its action, person and errors
 * (each with messages in Chinese and English). rows_filter "rejected" lists rejected rows
 * only. committed says whether the writes were kept. */
void rx_import_report(const struct rx_import *im, const struct rx_import_opts *o, int committed,
                      const char *rows_filter, struct rx_json *w);

/* Per-row access for the CLI's text report. */
size_t rx_import_row_count(const struct rx_import *im);
/* Action of row i ("create", "update", "unchanged", "reject"), its spreadsheet row number,
 * and its errors as "field: message" joined by "; " in the language asked (en or zh). */
const char *rx_import_row_action(const struct rx_import *im, size_t i, size_t *number);
void rx_import_row_errors(const struct rx_import *im, size_t i, int english, char *out,
                          size_t outsz);

#endif
