/* xlsxout.c: see xlsxout.h. */
#include "lib/xlsxout.h"
#include "lib/alloc.h"
#include "lib/csvout.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#define MAX_COLS 64

struct rx_xlsx {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *bold, *hours, *date;
    enum rx_cell_type types[MAX_COLS];
    int ncols;
    uint32_t row; /* next row to write (0 = header) */
    int err;      /* first failure, sticky */
};

int rx_xlsx_open(struct rx_xlsx **out, const char *path, const char *tmpdir, const char *sheet,
                 const struct rx_xlsx_col *cols, int ncols)
{
    *out = NULL;
    if (ncols < 1 || ncols > MAX_COLS) return -1;
    struct rx_xlsx *x = rx_calloc(1, sizeof *x);
    if (!x) return -1;
    lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = (char *)tmpdir,
                                 .use_zip64 = LXW_TRUE};
    x->wb = workbook_new_opt(path, &opts);
    if (!x->wb) {
        rx_free(x);
        return -1;
    }
    x->ws = workbook_add_worksheet(x->wb, sheet);
    x->bold = workbook_add_format(x->wb);
    x->hours = workbook_add_format(x->wb);
    x->date = workbook_add_format(x->wb);
    if (!x->ws || !x->bold || !x->hours || !x->date) {
        x->err = 1;
        rx_xlsx_close(x);
        return -1;
    }
    format_set_bold(x->bold);
    format_set_num_format(x->hours, "0.00");
    format_set_num_format(x->date, "yyyy-mm-dd");
    x->ncols = ncols;
    for (int i = 0; i < ncols; i++) {
        x->types[i] = cols[i].type;
        worksheet_set_column(x->ws, (lxw_col_t)i, (lxw_col_t)i,
                             cols[i].width > 0 ? cols[i].width : LXW_DEF_COL_WIDTH, NULL);
        /* Constant-memory mode writes a row at a time, in order: the header first. */
        if (worksheet_write_string(x->ws, 0, (lxw_col_t)i, cols[i].header ? cols[i].header : "",
                                   x->bold) != LXW_NO_ERROR)
            x->err = 1;
    }
    worksheet_freeze_panes(x->ws, 1, 0);
    x->row = 1;
    *out = x;
    return 0;
}

static int parse_int(const char *s, double *v)
{
    char *end;
    if (!*s || strlen(s) > 18) return -1;
    errno = 0;
    long long n = strtoll(s, &end, 10);
    if (errno || *end) return -1;
    *v = (double)n;
    return 0;
}

static int parse_num(const char *s, double *v)
{
    char *end;
    if (!*s || strlen(s) > 32) return -1;
    errno = 0;
    double d = strtod(s, &end);
    if (errno || *end) return -1;
    *v = d;
    return 0;
}

static int parse_date(const char *s, lxw_datetime *dt)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return -1;
    memset(dt, 0, sizeof *dt);
    dt->year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    dt->month = (s[5] - '0') * 10 + (s[6] - '0');
    dt->day = (s[8] - '0') * 10 + (s[9] - '0');
    return dt->year >= 1900 && dt->month >= 1 && dt->month <= 12 && dt->day >= 1 &&
                   dt->day <= 31
               ? 0
               : -1;
}

static lxw_error write_text(struct rx_xlsx *x, lxw_col_t c, const char *s)
{
    if (!rx_csvout_risky(s, strlen(s))) return worksheet_write_string(x->ws, x->row, c, s, NULL);
    size_t n = strlen(s);
    char *t = rx_malloc(n + 2);
    if (!t) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    t[0] = '\'';
    memcpy(t + 1, s, n + 1);
    lxw_error e = worksheet_write_string(x->ws, x->row, c, t, NULL);
    rx_free(t);
    return e;
}

int rx_xlsx_row(struct rx_xlsx *x, const char *const *vals)
{
    if (!x || x->err) return -1;
    for (int i = 0; i < x->ncols; i++) {
        const char *s = vals[i];
        lxw_col_t c = (lxw_col_t)i;
        lxw_error e = LXW_NO_ERROR;
        double v;
        lxw_datetime dt;
        if (!s || !*s) continue;
        switch (x->types[i]) {
        case RX_CELL_INT:
            e = parse_int(s, &v) == 0 ? worksheet_write_number(x->ws, x->row, c, v, NULL)
                                      : write_text(x, c, s);
            break;
        case RX_CELL_HOURS:
            e = parse_num(s, &v) == 0 ? worksheet_write_number(x->ws, x->row, c, v, x->hours)
                                      : write_text(x, c, s);
            break;
        case RX_CELL_DATE:
            e = parse_date(s, &dt) == 0 ? worksheet_write_datetime(x->ws, x->row, c, &dt, x->date)
                                        : write_text(x, c, s);
            break;
        default: e = write_text(x, c, s);
        }
        if (e != LXW_NO_ERROR) x->err = 1;
    }
    if (x->row == LXW_ROW_MAX - 1) x->err = 1; /* the sheet is full */
    x->row++;
    return x->err ? -1 : 0;
}

int rx_xlsx_close(struct rx_xlsx *x)
{
    if (!x) return -1;
    int err = x->err;
    if (workbook_close(x->wb) != LXW_NO_ERROR) err = 1;
    rx_free(x);
    return err ? -1 : 0;
}
