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
#include "api/authz.h"
#include "api/common.h"
#include "api/people.h"
#include "domain/hours.h"
#include "domain/person.h"
#include "domain/polstatus.h"
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
    long long h100 = rx_hours_hundredths(m);
    snprintf(buf, n, "%s%lld.%02lld", h100 < 0 ? "-" : "", llabs(h100) / 100, llabs(h100) % 100);
    return buf;
}

static void csv_header(struct rx_buf *out, const struct rpt_col *cols, int ncols)
{
    rx_csvout_bom(out);
    for (int i = 0; i < ncols; i++)
        rx_csvout_text(out, cols[i].header, i == 0);
    rx_csvout_eol(out);
}

static void csv_cell(struct rx_buf *out, const struct rpt_col *col, const char *v, int first)
{
    char hb[48];
    if (col->minutes) v = as_hours(v, hb, sizeof hb);
    if (col->type == RX_CELL_INT || col->type == RX_CELL_HOURS)
        rx_csvout_number(out, v, first);
    else
        rx_csvout_text(out, v, first);
}

static const char *disposition(struct rx_req *r, const char *name, const char *ext)
{
    return rx_arena_printf(&r->arena, "attachment; filename=\"%s.%s\"", name, ext);
}

#define CSV_TYPE "text/csv; charset=utf-8"
#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* ------------------------------------------------------------------ query exports */

const char *rpt_row_text(struct rpt_row *row, const char *s, size_t n)
{
    size_t room = sizeof row->buf - row->used;
    if (!s || room < 2) return NULL;
    if (n >= room) {
        n = room - 1;
        while (n && ((unsigned char)s[n] & 0xC0) == 0x80) /* not inside a character */
            n--;
    }
    char *d = row->buf + row->used;
    memcpy(d, s, n);
    d[n] = 0;
    row->used += n + 1;
    return d;
}

struct qx {
    struct rpt_query_export x; /* text args point into `texts`, hook into `hook` */
    struct rpt_col cols[RPT_MAX_COLS];
    char *texts[RPT_MAX_ARGS]; /* owned copies of text arguments */
    void *hook;                /* owned copy of x.hook */
    int64_t after;             /* keyset position */
    int started, rows;
    struct rpt_row row; /* the row being written */
};

static void qx_free(void *p)
{
    struct qx *q = p;
    if (!q) return;
    for (int i = 0; i < RPT_MAX_ARGS; i++)
        rx_free(q->texts[i]);
    rx_free(q->hook);
    rx_free(q);
}

static struct qx *qx_new(const struct rpt_query_export *x)
{
    struct qx *q = rx_calloc(1, sizeof *q);
    if (!q || x->nargs > RPT_MAX_ARGS || x->ncols > RPT_MAX_COLS) goto fail;
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
    if (x->hook_size) {
        q->hook = rx_malloc(x->hook_size);
        if (!q->hook) goto fail;
        memcpy(q->hook, x->hook, x->hook_size);
    }
    q->x.hook = q->hook;
    q->after = x->desc ? INT64_MAX : 0;
    q->x.name = NULL; /* not needed after the headers */
    return q;
fail:
    qx_free(q);
    return NULL;
}

/* The cells of the cursor's row in q->row.v: from the hook or the columns' sources, minutes
 * turned into hours. */
static void qx_cells(struct qx *q, struct rx_cursor *c)
{
    struct rpt_row *row = &q->row;
    row->used = 0;
    if (q->x.row) {
        memset(row->v, 0, sizeof row->v);
        q->x.row(q->hook, c, row);
    } else {
        for (int i = 0; i < q->x.ncols; i++)
            row->v[i] = rx_cursor_text(c, q->cols[i].src);
    }
    for (int i = 0; i < q->x.ncols; i++) {
        if (!q->cols[i].minutes || !row->v[i]) continue;
        char hb[48];
        const char *h = as_hours(row->v[i], hb, sizeof hb);
        if (h == hb) row->v[i] = rpt_row_text(row, hb, strlen(hb));
    }
}

/* Runs one page; calls emit(ctx, cells) per row. Returns rows read or -1. */
static int qx_page(struct qx *q, struct rx_db *db, void (*emit)(void *, const char *const *),
                   void *ctx)
{
    struct rx_cursor c;
    q->x.args[q->x.after_arg] = RX_I(q->after);
    q->x.args[q->x.limit_arg] = RX_I(PAGE);
    if (rx_db_query(db, q->x.q, q->x.args, q->x.nargs, &c)) return -1;
    int n = 0, rc;
    while ((rc = rx_cursor_next(&c)) == 1) {
        qx_cells(q, &c);
        emit(ctx, q->row.v);
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

static void csv_row(void *p, const char *const *vals)
{
    struct csv_row_ctx *k = p;
    for (int i = 0; i < k->q->x.ncols; i++) {
        const struct rpt_col *col = &k->q->cols[i];
        if (col->type == RX_CELL_INT || col->type == RX_CELL_HOURS)
            rx_csvout_number(k->out, vals[i], i == 0);
        else
            rx_csvout_text(k->out, vals[i], i == 0);
    }
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
    struct rx_xlsx *x;
    int err;
};

static void xlsx_row(void *p, const char *const *vals)
{
    struct xrow_ctx *k = p;
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
    struct xrow_ctx k = {NULL, 0};
    struct rx_xlsx_col xc[RPT_MAX_COLS];
    for (int i = 0; i < q->x.ncols; i++)
        xc[i] = (struct rx_xlsx_col){q->cols[i].header, q->cols[i].type, q->cols[i].width};
    int failed = fd < 0 || rx_xlsx_open(&k.x, path, NULL, "Sheet1", xc, q->x.ncols) != 0;
    int n = PAGE;
    while (!failed && n == PAGE && q->rows < MAX_EXPORT_ROWS) {
        n = qx_page(q, r->db, xlsx_row, &k);
        if (n < 0 || k.err)
            failed = 1;
        else
            q->rows += n;
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
            for (int j = 0; j < ncols; j++)
                csv_cell(out, &cols[j], cells[i * ncols + j], j == 0);
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
    for (int i = 0; i < ncols; i++)
        xc[i] = (struct rx_xlsx_col){cols[i].header, cols[i].type, cols[i].width};
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
        .nargs = 8,
        .after_arg = 6,
        .limit_arg = 7,
        .id_col = 0,
        .cols = cols,
        .ncols = (int)(sizeof cols / sizeof cols[0]),
        .name = "teams"};
    rpt_export_query(r, fmt, &x);
}

/* A JSON array of tags (skills, interests) or flags as one cell: 唱歌、理发. `label` maps a
 * stored code to its name (NULL: as stored). */
static const char *joined(struct rpt_row *row, const char *json, const char *(*label)(const char *))
{
    if (!json) return NULL;
    json_t *a = json_loads(json, 0, NULL);
    if (!json_is_array(a)) {
        json_decref(a);
        return NULL;
    }
    char buf[2048];
    size_t n = 0;
    size_t i;
    json_t *e;
    json_array_foreach(a, i, e)
    {
        const char *t = json_string_value(e);
        if (t && label) t = label(t);
        if (!t) continue;
        int k = snprintf(buf + n, sizeof buf - n, "%s%s", n ? "、" : "", t);
        if (k < 0 || (size_t)k >= sizeof buf - n) break;
        n += (size_t)k;
    }
    json_decref(a);
    return n ? rpt_row_text(row, buf, n) : NULL;
}

/* What a people export may show, frozen at the request: the caller's RX_PERM_SENSITIVE
 * paths (a row shows full phones, a child's birth date and the flags when one is a prefix of
 * its community's path, as rx_can decides for the JSON) and today for ages. */
#define PX_PATH 160
struct people_hook {
    struct rx_date today;
    int flags_col; /* the vulnerable column is there */
    int n_sens;
    char sens[RX_MAX_GRANTS][PX_PATH];
};

static int px_sensitive(const struct people_hook *h, const char *path)
{
    for (int i = 0; path && i < h->n_sens; i++)
        if (strncmp(path, h->sens[i], strlen(h->sens[i])) == 0) return 1;
    return 0;
}

/* Columns of RP_PERSON_COLS (queries_registry_people.def) -> the export's cells. */
static void people_row(const void *hook, struct rx_cursor *c, struct rpt_row *out)
{
    const struct people_hook *h = hook;
    int sens = px_sensitive(h, rx_cursor_text(c, 9));
    const char **v = out->v;
    v[0] = rx_cursor_text(c, 0);
    v[1] = rx_cursor_text(c, 1);
    const char *idt = rx_cursor_text(c, 2);
    enum rx_idcard_doctype t;
    v[2] = idt && rx_idcard_doctype_parse(idt, strlen(idt), &t) == 0 ? rx_idcard_doctype_label_zh(t)
                                                                     : idt;
    v[3] = rx_cursor_text(c, 3); /* masked: the full number is only ever revealed one by one */
    const char *sex = rx_cursor_text(c, 4);
    v[4] = !sex ? NULL : strcmp(sex, "M") == 0 ? "男" : strcmp(sex, "F") == 0 ? "女" : sex;
    const char *birth = rx_cursor_text(c, 5);
    int age = rx_person_age(birth, &h->today);
    v[5] = age >= 0 && age < 14 && !sens ? NULL : birth; /* PIPL Art. 28, as the JSON */
    const char *phone = rx_cursor_text(c, 6);
    char masked[RX_PHONE_SIZE];
    if (phone && !sens) {
        if (rx_phone_mask(phone, strlen(phone), masked, sizeof masked) == RX_PHONE_OK)
            v[6] = rpt_row_text(out, masked, strlen(masked));
    } else {
        v[6] = phone;
    }
    v[7] = rx_cursor_text(c, 8);
    const char *ps = rx_cursor_text(c, 10);
    v[8] = ps ? rx_polstatus_name_zh(ps) : NULL;
    v[9] = rx_cursor_text(c, 20);
    v[10] = joined(out, rx_cursor_text(c, 11), NULL);
    v[11] = joined(out, rx_cursor_text(c, 12), NULL);
    v[12] = rx_cursor_text(c, 15);
    if (h->flags_col)
        v[13] = sens ? joined(out, rx_cursor_text(c, 14), rx_vulnerable_flag_zh) : NULL;
}

void rpt_people_export(struct rx_req *r, const char *fmt, const struct rx_val *args)
{
    static const struct rpt_col cols[] = {
        {"人员编号", RX_CELL_INT, 10, 0, 0},  {"姓名", RX_CELL_TEXT, 12, 0, 0},
        {"证件类型", RX_CELL_TEXT, 14, 0, 0}, {"证件号码", RX_CELL_TEXT, 22, 0, 0},
        {"性别", RX_CELL_TEXT, 6, 0, 0},      {"出生日期", RX_CELL_DATE, 12, 0, 0},
        {"联系电话", RX_CELL_TEXT, 14, 0, 0}, {"所属社区", RX_CELL_TEXT, 20, 0, 0},
        {"政治面貌", RX_CELL_TEXT, 12, 0, 0}, {"志愿者编号", RX_CELL_TEXT, 16, 0, 0},
        {"特长", RX_CELL_TEXT, 24, 0, 0},     {"兴趣", RX_CELL_TEXT, 24, 0, 0},
        {"备注", RX_CELL_TEXT, 30, 0, 0},     {"困难情况", RX_CELL_TEXT, 16, 0, 0},
    };
    struct people_hook *h = rx_req_alloc(r, sizeof *h);
    if (!h) return;
    memset(h, 0, sizeof *h);
    rx_today(r, &h->today, NULL);
    const char *paths[RX_MAX_GRANTS];
    int n = rx_scope_paths(r, RX_PERM_SENSITIVE, paths, RX_MAX_GRANTS);
    for (int i = 0; i < n; i++) {
        size_t l = strlen(paths[i]);
        if (l >= PX_PATH) continue; /* cannot happen (five levels of ids); show less, not more */
        memcpy(h->sens[h->n_sens++], paths[i], l + 1);
    }
    h->flags_col = h->n_sens > 0;
    struct rpt_query_export x = {.q = Q_RP_PEOPLE_LIST,
                                 .nargs = 15,
                                 .after_arg = 13,
                                 .limit_arg = 14,
                                 .id_col = 0,
                                 .desc = 1,
                                 .cols = cols,
                                 .ncols = (int)(sizeof cols / sizeof cols[0]) - !h->flags_col,
                                 .name = "people",
                                 .row = people_row,
                                 .hook = h,
                                 .hook_size = sizeof *h};
    memcpy(x.args, args, 13 * sizeof *args);
    rpt_export_query(r, fmt, &x);
}

static const char *label_of(const char *v, const char *const (*map)[2], size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        if (strcmp(v, map[i][0]) == 0) return map[i][1];
    return v;
}

/* Columns of Q_REC_LIST (queries_activity.def) -> the export's cells. */
static void records_row(const void *hook, struct rx_cursor *c, struct rpt_row *out)
{
    static const char *const sources[][2] = {{"attendance", "签到签退"},
                                             {"team_entry", "队伍录入"},
                                             {"self_report", "个人申报"},
                                             {"help_request", "群众点单"}};
    static const char *const states[][2] = {
        {"pending", "待确认"}, {"confirmed", "已确认"}, {"rejected", "已驳回"}};
    (void)hook;
    const char **v = out->v;
    v[0] = rx_cursor_text(c, 0);
    v[1] = rx_cursor_text(c, 2);
    v[2] = rx_cursor_text(c, 3);
    v[3] = rx_cursor_text(c, 5);
    if (!v[3] && !rx_cursor_isnull(c, 6)) { /* a help request: 点单：what was needed */
        char b[1024];                       /* need: at most 200 characters */
        const char *need = rx_cursor_text(c, 28);
        int k = need ? snprintf(b, sizeof b, "点单：%s", need)
                     : snprintf(b, sizeof b, "点单 #%lld", (long long)rx_cursor_int(c, 6));
        if (k > 0) v[3] = rpt_row_text(out, b, (size_t)k < sizeof b ? (size_t)k : sizeof b - 1);
    }
    v[4] = rx_cursor_text(c, 8);
    v[5] = rx_cursor_text(c, 10);
    v[6] = rx_cursor_text(c, 12);
    v[7] = rx_cursor_text(c, 13);
    v[8] = rx_cursor_text(c, 14);
    v[9] = rx_cursor_text(c, 15);
    v[10] = label_of(rx_cursor_text(c, 17), sources, sizeof sources / sizeof sources[0]);
    v[11] = label_of(rx_cursor_text(c, 18), states, sizeof states / sizeof states[0]);
}

void rpt_records_export(struct rx_req *r, const char *fmt, const struct rx_val *args)
{
    static const struct rpt_col cols[] = {
        {"记录编号", RX_CELL_INT, 10, 0, 0},
        {"姓名", RX_CELL_TEXT, 12, 0, 0},
        {"志愿者编号", RX_CELL_TEXT, 16, 0, 0},
        {"活动/点单", RX_CELL_TEXT, 28, 0, 0},
        {"服务队伍", RX_CELL_TEXT, 20, 0, 0},
        {"服务类别", RX_CELL_TEXT, 14, 0, 0},
        {"记录社区", RX_CELL_TEXT, 16, 0, 0},
        {"服务日期", RX_CELL_DATE, 12, 0, 0},
        {"服务时长(小时)", RX_CELL_HOURS, 12, 0, 1},
        {"服务群众人次", RX_CELL_INT, 12, 0, 0},
        {"来源", RX_CELL_TEXT, 10, 0, 0},
        {"状态", RX_CELL_TEXT, 8, 0, 0},
    };
    struct rpt_query_export x = {.q = Q_REC_LIST,
                                 .nargs = 17,
                                 .after_arg = 15,
                                 .limit_arg = 16,
                                 .id_col = 0,
                                 .desc = 1,
                                 .cols = cols,
                                 .ncols = (int)(sizeof cols / sizeof cols[0]),
                                 .name = "records",
                                 .row = records_row};
    memcpy(x.args, args, 15 * sizeof *args);
    rpt_export_query(r, fmt, &x);
}
