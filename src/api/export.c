/* export.c: CSV and .xlsx downloads of lists and reports (see reports.h).
 *
 * CSV of a list streams: the handler hands the server a producer (rx_reply_stream) that
 * reads PAGE rows at a time by keyset (id > last) on the HTTP thread's read connection and
 * turns them into CSV, so memory stays at one page whatever the list's length, and no read
 * transaction stays open between pages (WAL checkpoints are not held back). The producer
 * owns copies of the statement's text arguments: it outlives the request.
 *
 * xlsx needs the whole file before the first byte can go out (a zip with a directory at
 * the end), so it is written by libxlsxwriter in constant-memory mode to a temporary file on
 * the CPU pool, the file is unlinked and its descriptor answered (rx_reply_fd). */
#include "api/reports.h"
#include "lib/alloc.h"
#include "lib/csvout.h"
#include "lib/log.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE 500
#define MAX_EXPORT_ROWS 1000000 /* xlsx: far below the sheet's limit, above any real list */

int rpt_export_format(struct rx_req *r, const char **fmt)
{
    const char *f = rx_query(r, "format");
    *fmt = NULL;
    if (!f || strcmp(f, "json") == 0) return 0;
    if (strcmp(f, "csv") == 0 || strcmp(f, "xlsx") == 0) {
        *fmt = f;
        return 1;
    }
    rx_field_error(r, "format", "invalid_format");
    rx_fail_if_field_errors(r);
    return -1;
}

/* Minutes text -> hours text with two decimals, into buf. */
static const char *as_hours(const char *min, char *buf, size_t n)
{
    if (!min || !*min) return min;
    char *end;
    long long m = strtoll(min, &end, 10);
    if (*end) return min;
    long long h100 = m * 100 / 60 + ((m * 100) % 60 >= 30);
    snprintf(buf, n, "%s%lld.%02lld", h100 < 0 ? "-" : "", llabs(h100) / 100, llabs(h100) % 100);
    return buf;
}

static void csv_header(struct rx_buf *out, const struct rpt_col *cols, int ncols)
{
    rx_csvout_bom(out);
    for (int i = 0; i < ncols; i++) rx_csvout_text(out, cols[i].header, i == 0);
    rx_csvout_eol(out);
}

static void csv_cell(struct rx_buf *out, const struct rpt_col *col, const char *v, int first)
{
    char hb[48];
    if (col->minutes) v = as_hours(v, hb, sizeof hb);
    if (col->type == RX_CELL_INT || col->type == RX_CELL_HOURS) rx_csvout_number(out, v, first);
    else rx_csvout_text(out, v, first);
}

static const char *disposition(struct rx_req *r, const char *name, const char *ext)
{
    return rx_arena_printf(&r->arena, "attachment; filename=\"%s.%s\"", name, ext);
}

#define CSV_TYPE "text/csv; charset=utf-8"
#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* ------------------------------------------------------------------ query exports */

struct qx {
    struct rpt_query_export x; /* text args point into `texts` */
    struct rpt_col cols[64];
    char *texts[16];           /* owned copies of text arguments */
    int64_t after;             /* keyset position */
    int started, rows;
};

static void qx_free(void *p)
{
    struct qx *q = p;
    if (!q) return;
    for (int i = 0; i < 16; i++) rx_free(q->texts[i]);
    rx_free(q);
}

static struct qx *qx_new(const struct rpt_query_export *x)
{
    struct qx *q = rx_calloc(1, sizeof *q);
    if (!q || x->nargs > 16 || x->ncols > 64) goto fail;
    q->x = *x;
    memcpy(q->cols, x->cols, sizeof(struct rpt_col) * (size_t)x->ncols);
    q->x.cols = q->cols;
    for (int i = 0; i < x->nargs; i++) {
        if (x->args[i].t != RX_V_TEXT) continue;
        size_t n = x->args[i].n < 0 ? strlen(x->args[i].s) : (size_t)x->args[i].n;
        q->texts[i] = rx_malloc(n + 1);
        if (!q->texts[i]) goto fail;
        memcpy(q->texts[i], x->args[i].s, n);
        q->texts[i][n] = 0;
        q->x.args[i] = RX_TN(q->texts[i], n);
    }
    q->x.name = NULL; /* not needed after the headers */
    return q;
fail:
    qx_free(q);
    return NULL;
}

/* Runs one page; calls row(ctx, cursor) per row. Returns rows read or -1. */
static int qx_page(struct qx *q, struct rx_db *db, void (*row)(void *, struct rx_cursor *), void *ctx)
{
    struct rx_cursor c;
    q->x.args[q->x.after_arg] = RX_I(q->after);
    q->x.args[q->x.limit_arg] = RX_I(PAGE);
    if (rx_db_query(db, q->x.q, q->x.args, q->x.nargs, &c)) return -1;
    int n = 0, rc;
    while ((rc = rx_cursor_next(&c)) == 1) {
        row(ctx, &c);
        q->after = rx_cursor_int(&c, q->x.id_col);
        n++;
    }
    rx_cursor_close(&c);
    return rc < 0 ? -1 : n;
}

struct csv_row_ctx {
    struct qx *q;
    struct rx_buf *out;
};

static void csv_row(void *p, struct rx_cursor *c)
{
    struct csv_row_ctx *k = p;
    for (int i = 0; i < k->q->x.ncols; i++)
        csv_cell(k->out, &k->q->cols[i], rx_cursor_text(c, k->q->cols[i].src), i == 0);
    rx_csvout_eol(k->out);
}

static int csv_fill(void *ctx, struct rx_db *db, struct rx_buf *out)
{
    struct qx *q = ctx;
    if (!q->started) {
        q->started = 1;
        csv_header(out, q->cols, q->x.ncols);
    }
    struct csv_row_ctx k = {q, out};
    int n = qx_page(q, db, csv_row, &k);
    if (n < 0) return -1;
    return n == PAGE ? 1 : 0;
}

static int temp_file(char *path, size_t n)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, n, "%s/rexin-export-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    return fd;
}

struct xrow_ctx {
    struct qx *q;
    struct rx_xlsx *x;
    int err;
};

static void xlsx_row(void *p, struct rx_cursor *c)
{
    struct xrow_ctx *k = p;
    const char *vals[64];
    char hb[64][48];
    for (int i = 0; i < k->q->x.ncols; i++) {
        const char *v = rx_cursor_text(c, k->q->cols[i].src);
        vals[i] = k->q->cols[i].minutes ? as_hours(v, hb[i], sizeof hb[i]) : v;
    }
    if (rx_xlsx_row(k->x, vals)) k->err = 1;
}

/* Writes the xlsx at path from rows produced by `each` and answers with it. */
static void xlsx_answer(struct rx_req *r, int fd, const char *path, const char *name, int failed)
{
    int rfd = failed ? -1 : open(path, O_RDONLY | O_CLOEXEC);
    unlink(path);
    close(fd);
    if (rfd < 0) {
        rx_problem(r, 500, "export_failed", NULL);
        return;
    }
    rx_reply_fd(r, XLSX_TYPE, rfd);
    r->content_disposition = disposition(r, name, "xlsx");
}

static void xlsx_query_step(struct rx_req *r)
{
    struct qx *q = r->step_ctx;
    const char *name = q->x.name;
    char path[512];
    int fd = temp_file(path, sizeof path);
    struct xrow_ctx k = {q, NULL, 0};
    struct rx_xlsx_col xc[64];
    for (int i = 0; i < q->x.ncols; i++)
        xc[i] = (struct rx_xlsx_col){q->cols[i].header, q->cols[i].type, q->cols[i].width};
    int failed = fd < 0 || rx_xlsx_open(&k.x, path, NULL, "Sheet1", xc, q->x.ncols) != 0;
    int n = PAGE;
    while (!failed && n == PAGE && q->rows < MAX_EXPORT_ROWS) {
        n = qx_page(q, r->db, xlsx_row, &k);
        if (n < 0 || k.err) failed = 1;
        else q->rows += n;
    }
    if (k.x && rx_xlsx_close(k.x)) failed = 1;
    qx_free(q);
    if (fd < 0) {
        rx_problem(r, 500, "export_failed", NULL);
        return;
    }
    xlsx_answer(r, fd, path, name, failed);
}

void rpt_export_query(struct rx_req *r, const char *fmt, const struct rpt_query_export *x)
{
    struct qx *q = qx_new(x);
    if (!q) {
        rx_problem(r, 503, "out_of_memory", NULL);
        return;
    }
    if (strcmp(fmt, "csv") == 0) {
        const char *cd = disposition(r, x->name, "csv");
        rx_reply_stream(r, CSV_TYPE, csv_fill, q, qx_free);
        r->content_disposition = cd;
        return;
    }
    q->x.name = rx_arena_strdup(&r->arena, x->name);
    r->step_ctx = q;
    rx_then(r, RX_EXEC_CPU, xlsx_query_step);
}

/* ------------------------------------------------------------------ table exports */

void rpt_export_table(struct rx_req *r, const char *fmt, const char *name,
                      const struct rpt_col *cols, int ncols, const char *const *cells, int nrows)
{
    if (strcmp(fmt, "csv") == 0) {
        struct rx_buf *out = &r->out;
        rx_buf_reset(out);
        csv_header(out, cols, ncols);
        for (int i = 0; i < nrows; i++) {
            for (int j = 0; j < ncols; j++) csv_cell(out, &cols[j], cells[i * ncols + j], j == 0);
            rx_csvout_eol(out);
        }
        if (out->err) {
            rx_problem(r, 500, "export_failed", NULL);
            return;
        }
        r->status = 200;
        r->content_type = CSV_TYPE;
        r->content_disposition = disposition(r, name, "csv");
        r->next = NULL;
        return;
    }
    char path[512];
    int fd = temp_file(path, sizeof path);
    if (fd < 0 || ncols > 64) {
        if (fd >= 0) {
            unlink(path);
            close(fd);
        }
        rx_problem(r, 500, "export_failed", NULL);
        return;
    }
    struct rx_xlsx_col xc[64];
    for (int i = 0; i < ncols; i++) xc[i] = (struct rx_xlsx_col){cols[i].header, cols[i].type, cols[i].width};
    struct rx_xlsx *x = NULL;
    int failed = rx_xlsx_open(&x, path, NULL, "Sheet1", xc, ncols) != 0;
    for (int i = 0; i < nrows && !failed; i++) {
        const char *vals[64];
        char hb[64][48];
        for (int j = 0; j < ncols; j++) {
            const char *v = cells[i * ncols + j];
            vals[j] = cols[j].minutes ? as_hours(v, hb[j], sizeof hb[j]) : v;
        }
        failed = rx_xlsx_row(x, vals) != 0;
    }
    if (x && rx_xlsx_close(x)) failed = 1;
    xlsx_answer(r, fd, path, name, failed);
}

/* ------------------------------------------------------------------ lists */

void rpt_teams_export(struct rx_req *r, const char *fmt, const char *roles, const char *path,
                      int64_t category, int64_t branch, const char *q)
{
    /* Columns of Q_ROG_TEAM_LIST (ROG_TEAM_FIELDS). */
    static const struct rpt_col cols[] = {
        {"队伍编号", RX_CELL_INT, 10, 0, 0},   {"队伍名称", RX_CELL_TEXT, 28, 5, 0},
        {"所属社区", RX_CELL_TEXT, 20, 2, 0},  {"领建党组织", RX_CELL_TEXT, 24, 4, 0},
        {"队长", RX_CELL_TEXT, 12, 7, 0},      {"服务类别", RX_CELL_TEXT, 14, 10, 0},
        {"成立日期", RX_CELL_DATE, 12, 12, 0}, {"现有队员", RX_CELL_INT, 10, 16, 0},
        {"简介", RX_CELL_TEXT, 40, 13, 0},     {"需要", RX_CELL_TEXT, 30, 14, 0},
    };
    struct rpt_query_export x = {
        .q = Q_ROG_TEAM_LIST,
        .args = {RX_I(r->auth.user_id), RX_T(roles), RX_T(path), category ? RX_I(category) : RX_NUL,
                 branch ? RX_I(branch) : RX_NUL, RX_T(q), RX_I(0), RX_I(PAGE)},
        .nargs = 8, .after_arg = 6, .limit_arg = 7, .id_col = 0,
        .cols = cols, .ncols = (int)(sizeof cols / sizeof cols[0]), .name = "teams"};
    rpt_export_query(r, fmt, &x);
}
