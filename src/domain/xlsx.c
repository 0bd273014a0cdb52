/* xlsx.c: see xlsx.h. Three small expat parsers (workbook + relationships, shared strings,
 * sheet) fed chunk by chunk from libzip. Cell text is collected in one growing buffer as
 * offsets (the buffer moves when it grows) and turned into pointers at the end. */
#include "domain/xlsx.h"
#include "lib/alloc.h"
#include <expat.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <zip.h>

#define CHUNK 65536
#define NONE SIZE_MAX

struct gbuf {
    char *p;
    size_t len, cap;
};

static int gb_add(struct gbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = rx_realloc(b->p, cap);
        if (!p) return -1;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
    return 0;
}

/* Grows an array of `size`-byte elements to hold at least `need`. */
static int grow(void **arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) return 0;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *p = rx_realloc(*arr, c * size);
    if (!p) return -1;
    *arr = p;
    *cap = c;
    return 0;
}

static const char *local(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
    for (int i = 0; atts[i]; i += 2)
        if (strcmp(local(atts[i]), name) == 0) return atts[i + 1];
    return NULL;
}

long rx_xlsx_ref(const char *ref, size_t *row)
{
    long col = 0;
    size_t i = 0, r = 0;
    *row = 0;
    if (!ref) return -1;
    while (ref[i] >= 'A' && ref[i] <= 'Z' && i < 3)
        col = col * 26 + (ref[i++] - 'A' + 1);
    if (i == 0) return -1;
    while (ref[i] >= '0' && ref[i] <= '9' && r < 100000000)
        r = r * 10 + (size_t)(ref[i++] - '0');
    if (ref[i]) return -1;
    *row = r;
    return col - 1;
}

int rx_xlsx_sniff(const void *data, size_t n)
{
    return n >= 4 && memcmp(data, "PK\x03\x04", 4) == 0;
}

/* ------------------------------------------------------------------ reading a part */

struct feed {
    XML_Parser xp;
    int *err; /* the parser's sticky status */
};

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal)
{
    struct feed *f = ud; /* every parser's user data starts with a struct feed */
    *f->err = RX_XLSX_EXML;
    XML_StopParser(f->xp, XML_FALSE);
}

/* Streams part `name` through the parser; RX_XLSX_OK, or the first error. A missing part is
 * RX_XLSX_ENOSHEET when required, else OK with nothing parsed. */
static int parse_part(zip_t *z, const char *name, XML_Parser xp, int *err, int required)
{
    zip_int64_t idx = zip_name_locate(z, name, ZIP_FL_NOCASE);
    if (idx < 0) return required ? RX_XLSX_ENOSHEET : RX_XLSX_OK;
    zip_file_t *zf = zip_fopen_index(z, (zip_uint64_t)idx, 0);
    if (!zf) return RX_XLSX_EZIP;
    char *buf = rx_malloc(CHUNK);
    if (!buf) {
        zip_fclose(zf);
        return RX_XLSX_ENOMEM;
    }
    size_t total = 0;
    int rc = RX_XLSX_OK;
    for (;;) {
        zip_int64_t got = zip_fread(zf, buf, CHUNK);
        if (got < 0) {
            rc = RX_XLSX_EZIP;
            break;
        }
        total += (size_t)got;
        if (total > RX_XLSX_MAX_PART) {
            rc = RX_XLSX_ETOOBIG;
            break;
        }
        if (XML_Parse(xp, buf, (int)got, got == 0) != XML_STATUS_OK) {
            rc = *err ? *err : RX_XLSX_EXML;
            break;
        }
        if (*err) {
            rc = *err;
            break;
        }
        if (got == 0) break;
    }
    rx_free(buf);
    zip_fclose(zf);
    return rc;
}

static XML_Parser new_parser(void *ud)
{
    XML_Parser xp = XML_ParserCreate("UTF-8");
    if (!xp) return NULL;
    XML_SetUserData(xp, ud);
    XML_SetStartDoctypeDeclHandler(xp, on_doctype);
    return xp;
}

/* ------------------------------------------------------------------ workbook: first sheet */

struct wb {
    struct feed f;
    int err;
    char rid[128];    /* r:id of the first <sheet> */
    char target[512]; /* its Target in the relationships */
};

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct wb *w = ud;
    if (strcmp(local(name), "sheet") == 0 && !w->rid[0]) {
        for (int i = 0; atts[i]; i += 2)
            if (strchr(atts[i], ':') && strcmp(local(atts[i]), "id") == 0)
                snprintf(w->rid, sizeof w->rid, "%s", atts[i + 1]);
    }
}

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct wb *w = ud;
    if (strcmp(local(name), "Relationship") != 0 || w->target[0]) return;
    const char *id = attr(atts, "Id"), *t = attr(atts, "Target");
    if (id && t && strcmp(id, w->rid) == 0) snprintf(w->target, sizeof w->target, "%s", t);
}

static int first_sheet(zip_t *z, char *path, size_t pathsz)
{
    struct wb w;
    memset(&w, 0, sizeof w);
    w.f.err = &w.err;
    snprintf(path, pathsz, "xl/worksheets/sheet1.xml");
    XML_Parser xp = new_parser(&w);
    if (!xp) return RX_XLSX_ENOMEM;
    w.f.xp = xp;
    XML_SetStartElementHandler(xp, wb_start);
    int rc = parse_part(z, "xl/workbook.xml", xp, &w.err, 0);
    XML_ParserFree(xp);
    if (rc || !w.rid[0]) return rc;
    xp = new_parser(&w);
    if (!xp) return RX_XLSX_ENOMEM;
    w.f.xp = xp;
    XML_SetStartElementHandler(xp, rels_start);
    rc = parse_part(z, "xl/_rels/workbook.xml.rels", xp, &w.err, 0);
    XML_ParserFree(xp);
    if (rc || !w.target[0]) return rc;
    if (w.target[0] == '/')
        snprintf(path, pathsz, "%s", w.target + 1);
    else
        snprintf(path, pathsz, "xl/%s", w.target);
    return RX_XLSX_OK;
}

/* ------------------------------------------------------------------ shared strings */

struct sst {
    struct feed f;
    int err;
    struct gbuf text;
    size_t *off, *len; /* per string */
    size_t n, cap;
    int in_si, in_t, in_rph;
    size_t start; /* offset where the current <si> began */
    size_t max_field;
};

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct sst *s = ud;
    const char *l = local(name);
    if (strcmp(l, "si") == 0) {
        s->in_si = 1;
        s->start = s->text.len;
    } else if (strcmp(l, "rPh") == 0) {
        s->in_rph = 1;
    } else if (strcmp(l, "t") == 0 && s->in_si && !s->in_rph) {
        s->in_t = 1;
    }
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
    struct sst *s = ud;
    const char *l = local(name);
    if (strcmp(l, "t") == 0) {
        s->in_t = 0;
    } else if (strcmp(l, "rPh") == 0) {
        s->in_rph = 0;
    } else if (strcmp(l, "si") == 0 && s->in_si) {
        s->in_si = 0;
        if (s->n >= RX_XLSX_MAX_STRINGS) {
            s->err = RX_XLSX_ETOOBIG;
            XML_StopParser(s->f.xp, XML_FALSE);
            return;
        }
        size_t c1 = s->cap, c2 = s->cap;
        if (grow((void **)&s->off, &c1, s->n + 1, sizeof(size_t)) ||
            grow((void **)&s->len, &c2, s->n + 1, sizeof(size_t))) {
            s->err = RX_XLSX_ENOMEM;
            XML_StopParser(s->f.xp, XML_FALSE);
            return;
        }
        s->cap = c1 < c2 ? c1 : c2;
        s->off[s->n] = s->start;
        s->len[s->n] = s->text.len - s->start;
        s->n++;
        if (gb_add(&s->text, "", 0)) s->err = RX_XLSX_ENOMEM;
        s->text.len++; /* keep the NUL gb_add wrote, so each string is terminated */
    }
}

static void XMLCALL sst_chars(void *ud, const XML_Char *t, int n)
{
    struct sst *s = ud;
    if (!s->in_t || s->err) return;
    if (s->text.len - s->start + (size_t)n > s->max_field) {
        s->err = RX_XLSX_EFIELD;
        XML_StopParser(s->f.xp, XML_FALSE);
        return;
    }
    if (gb_add(&s->text, t, (size_t)n)) {
        s->err = RX_XLSX_ENOMEM;
        XML_StopParser(s->f.xp, XML_FALSE);
    }
}

/* ------------------------------------------------------------------ the sheet */

struct cellref {
    size_t off, len; /* into text; off NONE when empty */
};

struct sheet {
    struct feed f;
    int err;
    size_t err_row, err_col;
    const struct sst *sst;
    size_t max_rows, max_columns, max_field;
    /* current row */
    size_t row_num, last_row;
    struct cellref *rc; /* cells of the current row by column */
    size_t nrc, caprc;
    long col, next_col;
    char type[16];
    int in_v, in_t, in_cell;
    struct gbuf val;
    /* output */
    struct gbuf text;
    struct cellref *cells; /* every kept cell, rows one after the other */
    size_t ncells, capcells;
    struct rx_xlsx_row *rows;
    size_t *row_first; /* index of each row's first cell in cells */
    size_t nrows, caprows, caprf;
};

static void sheet_fail(struct sheet *s, int code, size_t col)
{
    if (s->err) return;
    s->err = code;
    s->err_row = s->row_num;
    s->err_col = col;
    XML_StopParser(s->f.xp, XML_FALSE);
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct sheet *s = ud;
    if (s->err) return;
    const char *l = local(name);
    if (strcmp(l, "row") == 0) {
        const char *r = attr(atts, "r");
        size_t num = 0;
        if (r) {
            for (const char *p = r; *p >= '0' && *p <= '9' && num < 100000000; p++)
                num = num * 10 + (size_t)(*p - '0');
        }
        s->row_num = num ? num : s->last_row + 1;
        /* Rows come in ascending order (ECMA-376); a file that repeats or goes back would
         * give two rows one number, and errors that name the wrong row. */
        if (num && num <= s->last_row) {
            sheet_fail(s, RX_XLSX_EXML, 0);
            return;
        }
        s->last_row = s->row_num;
        s->nrc = 0;
        s->next_col = 0;
    } else if (strcmp(l, "c") == 0) {
        size_t rrow;
        const char *ref = attr(atts, "r"), *t = attr(atts, "t");
        long c = ref ? rx_xlsx_ref(ref, &rrow) : -1;
        s->col = c >= 0 ? c : s->next_col;
        s->next_col = s->col + 1;
        snprintf(s->type, sizeof s->type, "%s", t ? t : "n");
        s->in_cell = 1;
        s->val.len = 0;
    } else if (s->in_cell && strcmp(l, "v") == 0) {
        s->in_v = 1;
    } else if (s->in_cell && strcmp(l, "t") == 0) {
        s->in_t = 1;
    }
}

static void XMLCALL sheet_chars(void *ud, const XML_Char *t, int n)
{
    struct sheet *s = ud;
    if (s->err || !(s->in_v || s->in_t)) return;
    if (s->val.len + (size_t)n > s->max_field) {
        sheet_fail(s, RX_XLSX_EFIELD, (size_t)s->col + 1);
        return;
    }
    if (gb_add(&s->val, t, (size_t)n)) sheet_fail(s, RX_XLSX_ENOMEM, 0);
}

static void end_cell(struct sheet *s)
{
    const char *v = s->val.p ? s->val.p : "";
    size_t n = s->val.len;
    if (strcmp(s->type, "s") == 0) {
        char *end;
        unsigned long long i = n ? strtoull(v, &end, 10) : 0;
        if (!n || *end || !s->sst || i >= s->sst->n) {
            sheet_fail(s, RX_XLSX_EXML, (size_t)s->col + 1);
            return;
        }
        v = s->sst->text.p + s->sst->off[i];
        n = s->sst->len[i];
    } else if (strcmp(s->type, "d") == 0 && n > 10 && v[10] == 'T') {
        n = 10; /* ISO 8601 date cell: keep the date */
    }
    if (n == 0) return;
    if ((size_t)s->col >= s->max_columns) {
        sheet_fail(s, RX_XLSX_ECOLUMNS, (size_t)s->col + 1);
        return;
    }
    if (n > s->max_field) {
        sheet_fail(s, RX_XLSX_EFIELD, (size_t)s->col + 1);
        return;
    }
    size_t need = (size_t)s->col + 1;
    if (grow((void **)&s->rc, &s->caprc, need, sizeof *s->rc)) {
        sheet_fail(s, RX_XLSX_ENOMEM, 0);
        return;
    }
    while (s->nrc < need)
        s->rc[s->nrc++] = (struct cellref){NONE, 0};
    size_t off = s->text.len;
    /* v may point into s->val, which gb_add on another buffer does not move. */
    if (gb_add(&s->text, v, n) || gb_add(&s->text, "", 0)) {
        sheet_fail(s, RX_XLSX_ENOMEM, 0);
        return;
    }
    s->text.len++; /* keep the terminating NUL */
    s->rc[s->col] = (struct cellref){off, n};
}

static void end_row(struct sheet *s)
{
    size_t last = s->nrc;
    while (last && s->rc[last - 1].off == NONE)
        last--;
    if (!last) return;
    if (s->nrows >= s->max_rows) {
        sheet_fail(s, RX_XLSX_EROWS, 0);
        return;
    }
    if (grow((void **)&s->cells, &s->capcells, s->ncells + last, sizeof *s->cells) ||
        grow((void **)&s->rows, &s->caprows, s->nrows + 1, sizeof *s->rows) ||
        grow((void **)&s->row_first, &s->caprf, s->nrows + 1, sizeof *s->row_first)) {
        sheet_fail(s, RX_XLSX_ENOMEM, 0);
        return;
    }
    memcpy(s->cells + s->ncells, s->rc, last * sizeof *s->cells);
    s->rows[s->nrows] = (struct rx_xlsx_row){.number = s->row_num, .ncells = last};
    s->row_first[s->nrows] = s->ncells;
    s->ncells += last;
    s->nrows++;
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
    struct sheet *s = ud;
    if (s->err) return;
    const char *l = local(name);
    if (strcmp(l, "v") == 0)
        s->in_v = 0;
    else if (strcmp(l, "t") == 0)
        s->in_t = 0;
    else if (strcmp(l, "c") == 0 && s->in_cell) {
        s->in_cell = 0;
        end_cell(s);
    } else if (strcmp(l, "row") == 0) {
        end_row(s);
    }
}

/* ------------------------------------------------------------------ entry points */

void rx_xlsx_free(struct rx_xlsx *x)
{
    rx_free(x->rows);
    rx_free(x->text_);
    rx_free((void *)x->cells_);
    rx_free(x->lens_);
    memset(x, 0, sizeof *x);
}

int rx_xlsx_read(const void *data, size_t n, const struct rx_xlsx_limits *limits,
                 struct rx_xlsx *out, struct rx_xlsx_error *err)
{
    memset(out, 0, sizeof *out);
    struct rx_xlsx_error e0;
    if (!err) err = &e0;
    memset(err, 0, sizeof *err);
    if (!rx_xlsx_sniff(data, n)) return err->code = RX_XLSX_EZIP;
    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t *src = zip_source_buffer_create(data, n, 0, &zerr);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &zerr) : NULL;
    zip_error_fini(&zerr);
    if (!z) {
        if (src) zip_source_free(src);
        return err->code = RX_XLSX_EZIP;
    }
    struct sst sst;
    struct sheet sh;
    memset(&sst, 0, sizeof sst);
    memset(&sh, 0, sizeof sh);
    sh.max_rows = limits && limits->max_rows ? limits->max_rows : 100000;
    sh.max_columns = limits && limits->max_columns ? limits->max_columns : 100;
    sh.max_field = limits && limits->max_field ? limits->max_field : 4096;
    sst.max_field = sh.max_field;
    char path[600];
    int rc = first_sheet(z, path, sizeof path);
    XML_Parser xp = NULL;
    if (!rc) {
        sst.f.err = &sst.err;
        xp = new_parser(&sst);
        if (!xp) rc = RX_XLSX_ENOMEM;
    }
    if (!rc) {
        sst.f.xp = xp;
        XML_SetElementHandler(xp, sst_start, sst_end);
        XML_SetCharacterDataHandler(xp, sst_chars);
        rc = parse_part(z, "xl/sharedStrings.xml", xp, &sst.err, 0);
        XML_ParserFree(xp);
        xp = NULL;
    }
    if (!rc) {
        sh.f.err = &sh.err;
        sh.sst = &sst;
        xp = new_parser(&sh);
        if (!xp) rc = RX_XLSX_ENOMEM;
    }
    if (!rc) {
        sh.f.xp = xp;
        XML_SetElementHandler(xp, sheet_start, sheet_end);
        XML_SetCharacterDataHandler(xp, sheet_chars);
        rc = parse_part(z, path, xp, &sh.err, 1);
        XML_ParserFree(xp);
        if (rc) {
            err->row = sh.err_row;
            err->column = sh.err_col;
        }
    }
    zip_discard(z);
    rx_free(sst.text.p);
    rx_free(sst.off);
    rx_free(sst.len);
    rx_free(sh.val.p);
    rx_free(sh.rc);
    if (!rc && sh.nrows == 0) rc = RX_XLSX_EEMPTY;
    if (!rc) {
        out->cells_ = rx_malloc((sh.ncells ? sh.ncells : 1) * sizeof(char *));
        out->lens_ = rx_malloc((sh.ncells ? sh.ncells : 1) * sizeof(size_t));
        if (!out->cells_ || !out->lens_) rc = RX_XLSX_ENOMEM;
    }
    if (rc) {
        rx_free((void *)out->cells_);
        rx_free(out->lens_);
        rx_free(sh.text.p);
        rx_free(sh.cells);
        rx_free(sh.rows);
        rx_free(sh.row_first);
        memset(out, 0, sizeof *out);
        return err->code = rc;
    }
    for (size_t i = 0; i < sh.ncells; i++) {
        out->cells_[i] = sh.cells[i].off == NONE ? "" : sh.text.p + sh.cells[i].off;
        out->lens_[i] = sh.cells[i].off == NONE ? 0 : sh.cells[i].len;
    }
    for (size_t i = 0; i < sh.nrows; i++) {
        sh.rows[i].cells = out->cells_ + sh.row_first[i];
        sh.rows[i].lens = out->lens_ + sh.row_first[i];
    }
    out->text_ = sh.text.p;
    out->rows = sh.rows;
    out->nrows = sh.nrows;
    rx_free(sh.cells);
    rx_free(sh.row_first);
    return RX_XLSX_OK;
}

const char *rx_xlsx_cell(const struct rx_xlsx *x, size_t row, size_t col, size_t *len)
{
    if (row >= x->nrows || col >= x->rows[row].ncells || !x->rows[row].lens[col]) return NULL;
    if (len) *len = x->rows[row].lens[col];
    return x->rows[row].cells[col];
}

const char *rx_xlsx_strerror(int rc)
{
    switch (rc) {
    case RX_XLSX_OK:
        return "ok";
    case RX_XLSX_EZIP:
        return "xlsx_not_zip";
    case RX_XLSX_ENOSHEET:
        return "xlsx_no_sheet";
    case RX_XLSX_EXML:
        return "xlsx_bad_xml";
    case RX_XLSX_ETOOBIG:
        return "xlsx_too_big";
    case RX_XLSX_EROWS:
        return "xlsx_too_many_rows";
    case RX_XLSX_ECOLUMNS:
        return "xlsx_too_many_columns";
    case RX_XLSX_EFIELD:
        return "xlsx_field_too_long";
    case RX_XLSX_EEMPTY:
        return "xlsx_empty";
    case RX_XLSX_ENOMEM:
        return "out_of_memory";
    }
    return "unknown";
}
