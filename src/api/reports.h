/* reports.h: handlers for certificates (certificates.c), their public verification
 * (verify.c), star levels (star_levels.c), reports (reports.c) and the export helpers every
 * list and report uses (export.c). Everything returned lives in the request arena.
 *
 * Permissions (domain/roles.h):
 *   certificates   a volunteer asks for their own (auth.person_id); staff with
 *                  RX_PERM_CONFIRM_RECORDS over the issuing community ask on someone's
 *                  behalf, issue and revoke; reading needs to be the person, or
 *                  RX_PERM_READ_PEOPLE / RX_PERM_CONFIRM_RECORDS over the issuer;
 *   verification   public, rate-limited per client address;
 *   star levels    the person themself, or RX_PERM_READ_PEOPLE over their home community;
 *   reports        RX_PERM_REPORTS over the node.
 * Anything out of the caller's sight answers 404. */
#ifndef RX_REPORTS_H
#define RX_REPORTS_H
#include "http/http.h"
#include "store/store.h"

/* certificates.c */
void rx_api_cert_create(struct rx_req *r);
void rx_api_cert_list(struct rx_req *r);
void rx_api_cert_get(struct rx_req *r);
void rx_api_cert_pdf(struct rx_req *r);
void rx_api_cert_issue(struct rx_req *r);
void rx_api_cert_revoke(struct rx_req *r);
/* verify.c */
void rx_api_verify_page(struct rx_req *r);
void rx_api_verify_json(struct rx_req *r);

/* --- exports (export.c) ---
 * Every list and report answers JSON, or with ?format=csv|xlsx a download of the same rows:
 * CSV (UTF-8 with BOM, RFC 4180, formulas neutralised: lib/csvout.h) streamed page by page
 * from the store, or .xlsx (lib/xlsxout.h, constant memory) written to a temporary file on
 * the CPU pool and sent from it. */
#include "lib/xlsxout.h"
struct rpt_col {
    const char *header;     /* header text (Chinese; the export is for Chinese offices) */
    enum rx_cell_type type; /* how xlsx shows it */
    double width;           /* xlsx column width in characters */
    int src;                /* cursor column it comes from (query exports) */
    int minutes;            /* the source is whole minutes: show hours with two decimals */
};
/* 0: no ?format= (answer JSON); 1: csv or xlsx in *fmt; -1: answered 400. */
int rpt_export_format(struct rx_req *r, const char **fmt);
#define RPT_MAX_COLS 64
#define RPT_MAX_ARGS 24
/* One row of a list export being made: cells as text (NULL = empty). A row hook fills v[]
 * itself and keeps computed text in buf (rpt_row_text). */
struct rpt_row {
    const char *v[RPT_MAX_COLS];
    char buf[8192];
    size_t used;
};
/* Copies s[0..n) into row->buf and returns the copy; cut on a character boundary when the
 * buffer is full (NULL when nothing fits). */
const char *rpt_row_text(struct rpt_row *row, const char *s, size_t n);
/* A list export: statement q with args (copied); args[after_arg] and args[limit_arg] are set
 * per page: keyset on cursor column id_col, ascending (`?after` is the last id, from 0) or,
 * with desc, descending like the JSON lists (`id < ?after`, from INT64_MAX). The statement is
 * the JSON list's own, so an export holds exactly the rows the list pages through.
 * Cells come from cursor column cols[i].src, unless `row` is given: it then fills out->v from
 * the cursor (cells that combine columns, labels, masking by the caller's rights), reading
 * what it needs from `hook`, a flat block of hook_size bytes copied at the start (the CSV
 * body outlives the request). Minutes columns become hours after the hook. */
struct rpt_query_export {
    enum rx_query q;
    struct rx_val args[RPT_MAX_ARGS];
    int nargs, after_arg, limit_arg, id_col;
    int desc;
    const struct rpt_col *cols;
    int ncols;
    const char *name; /* file name without extension, ASCII */
    void (*row)(const void *hook, struct rx_cursor *c, struct rpt_row *out);
    const void *hook;
    size_t hook_size;
};
void rpt_export_query(struct rx_req *r, const char *fmt, const struct rpt_query_export *x);
/* A small in-memory table (reports): cells[row * ncols + col], NULL = empty. */
void rpt_export_table(struct rx_req *r, const char *fmt, const char *name,
                      const struct rpt_col *cols, int ncols, const char *const *cells, int nrows);

/* Exports of other modules' lists, with their columns (export.c). */
void rpt_teams_export(struct rx_req *r, const char *fmt, const char *roles, const char *path,
                      int64_t category, int64_t branch, const char *q);
/* People: ids are masked, phones and a child's birth date as in the JSON list; vulnerable
 * flags (a column only for callers holding RX_PERM_SENSITIVE somewhere) only on rows of
 * communities where the caller holds it. args: Q_RP_PEOPLE_LIST's first 13. */
void rpt_people_export(struct rx_req *r, const char *fmt, const struct rx_val *args);
/* Service records: args: Q_REC_LIST's first 15. */
void rpt_records_export(struct rx_req *r, const char *fmt, const struct rx_val *args);

/* reports.c */
void rx_api_report_summary(struct rx_req *r);
void rx_api_report_timeseries(struct rx_req *r);
void rx_api_report_rankings(struct rx_req *r);
void rx_api_person_star(struct rx_req *r);
void rx_api_star_reached(struct rx_req *r);
/* The summary for `rexin report summary`: same query parameters, no authorisation (the
 * operator has the database), ?format=table answers CSV for the command to lay out. */
void rpt_cli_summary(struct rx_req *r);

#endif
