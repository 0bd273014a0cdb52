/* people_import.c: see people_import.h. Also the HTTP handler POST /api/v1/imports/people.
 *
 * Memory: an import owns its rows (one array) and their text (a private arena), about 300
 * bytes a row, so 100,000 rows take some 30 MB; the decoded file (CSV or xlsx) is released as
 * soon as the rows are built. */
#include "api/people_import.h"
#include "api/api.h"
#include "api/authz.h"
#include "api/common.h"
#include "api/input.h"
#include "api/people.h"
#include "domain/csv.h"
#include "domain/person.h"
#include "domain/polstatus.h"
#include "domain/xlsx.h"
#include "http/messages.h"
#include "http/server.h"
#include "lib/alloc.h"
#include "lib/arena.h"
#include "lib/utf8.h"
#include "store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ columns */

enum field {
    F_NAME,
    F_ID_TYPE,
    F_ID_NUMBER,
    F_SEX,
    F_BIRTH,
    F_PHONE,
    F_POLSTATUS,
    F_SKILLS,
    F_INTERESTS,
    F_NOTES,
    F__COUNT
};

static const char *const field_names[F__COUNT] = {
    "name",  "id_type",          "id_number", "sex",       "birth_date",
    "phone", "political_status", "skills",    "interests", "notes"};

/* Header spellings, compared after normalise_header (spaces, '*' and bracketed notes removed,
 * ASCII lower-cased). */
static const struct {
    enum field f;
    const char *h;
} headers[] = {
    {F_NAME, "姓名"},
    {F_NAME, "名字"},
    {F_NAME, "name"},
    {F_NAME, "full_name"},
    {F_NAME, "fullname"},
    {F_ID_NUMBER, "身份证号"},
    {F_ID_NUMBER, "身份证号码"},
    {F_ID_NUMBER, "身份证"},
    {F_ID_NUMBER, "证件号码"},
    {F_ID_NUMBER, "证件号"},
    {F_ID_NUMBER, "公民身份号码"},
    {F_ID_NUMBER, "身份证件号码"},
    {F_ID_NUMBER, "id_number"},
    {F_ID_NUMBER, "idnumber"},
    {F_ID_NUMBER, "id_no"},
    {F_ID_NUMBER, "id"},
    {F_ID_NUMBER, "id_card"},
    {F_ID_TYPE, "证件类型"},
    {F_ID_TYPE, "证件种类"},
    {F_ID_TYPE, "id_type"},
    {F_ID_TYPE, "idtype"},
    {F_ID_TYPE, "document_type"},
    {F_SEX, "性别"},
    {F_SEX, "sex"},
    {F_SEX, "gender"},
    {F_BIRTH, "出生日期"},
    {F_BIRTH, "出生年月日"},
    {F_BIRTH, "出生年月"},
    {F_BIRTH, "生日"},
    {F_BIRTH, "birth_date"},
    {F_BIRTH, "birthdate"},
    {F_BIRTH, "birthday"},
    {F_BIRTH, "date_of_birth"},
    {F_BIRTH, "dob"},
    {F_PHONE, "手机"},
    {F_PHONE, "手机号"},
    {F_PHONE, "手机号码"},
    {F_PHONE, "电话"},
    {F_PHONE, "联系电话"},
    {F_PHONE, "电话号码"},
    {F_PHONE, "联系方式"},
    {F_PHONE, "phone"},
    {F_PHONE, "mobile"},
    {F_PHONE, "tel"},
    {F_PHONE, "telephone"},
    {F_POLSTATUS, "政治面貌"},
    {F_POLSTATUS, "political_status"},
    {F_POLSTATUS, "politicalstatus"},
    {F_SKILLS, "特长"},
    {F_SKILLS, "专长"},
    {F_SKILLS, "技能"},
    {F_SKILLS, "skills"},
    {F_SKILLS, "skill"},
    {F_SKILLS, "specialty"},
    {F_INTERESTS, "兴趣"},
    {F_INTERESTS, "爱好"},
    {F_INTERESTS, "兴趣爱好"},
    {F_INTERESTS, "interests"},
    {F_INTERESTS, "interest"},
    {F_INTERESTS, "hobbies"},
    {F_NOTES, "备注"},
    {F_NOTES, "说明"},
    {F_NOTES, "notes"},
    {F_NOTES, "note"},
    {F_NOTES, "remarks"},
    {F_NOTES, "remark"},
};

/* "身份证号（必填）*" -> "身份证号"; "Phone Number" -> "phonenumber". */
static void normalise_header(const char *s, size_t n, char *out, size_t outsz)
{
    size_t k = 0;
    int depth = 0;
    for (size_t i = 0; i < n && k + 4 < outsz;) {
        unsigned char c = (unsigned char)s[i];
        if (c == '(' || c == '[')
            depth++, i++;
        else if (c == ')' || c == ']')
            depth -= depth > 0, i++;
        else if (i + 3 <= n && memcmp(s + i, "\xEF\xBC\x88", 3) == 0)
            depth++, i += 3; /* （ */
        else if (i + 3 <= n && memcmp(s + i, "\xEF\xBC\x89", 3) == 0)
            depth -= depth > 0, i += 3; /* ） */
        else if (depth || c == ' ' || c == '\t' || c == '*' || c == '\r' || c == '\n')
            i++; /* inside brackets, or blank */
        else if (i + 3 <= n &&
                 (memcmp(s + i, "\xE3\x80\x80", 3) == 0 || memcmp(s + i, "\xEF\xBC\x8A", 3) == 0))
            i += 3; /* ideographic space, full-width * */
        else {
            out[k++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
            i++;
        }
    }
    out[k] = 0;
}

/* ------------------------------------------------------------------ the import */

enum action { A_CREATE, A_UPDATE, A_UNCHANGED, A_REJECT };
static const char *const action_names[] = {"create", "update", "unchanged", "reject"};

#define ROW_ERRS 6
#define MAX_CAND 5

struct row_err {
    const char *field, *code; /* static */
    const char *detail;       /* arena, may be NULL */
};

struct row {
    size_t number;            /* as the spreadsheet shows it */
    unsigned char parse_nerr; /* errors found by the parse (kept across runs) */
    unsigned char nerr;
    unsigned char action;
    unsigned short changed; /* fields filled on update, bit per enum field */
    struct row_err err[ROW_ERRS];
    const char *name, *name_norm, *id_type, *id_enc, *id_hash, *id_masked, *phone,
        *political_status;
    const char *skills, *interests, *notes;
    char sex;
    char birth[RX_TIMEFMT_DATE_SIZE];
    int64_t person_id; /* created or existing */
    int ncand;
    int64_t cand[MAX_CAND]; /* suspected duplicates */
};

struct rx_import {
    const char *format, *encoding;
    size_t nrows;
    struct row *rows;
    int col_field[128]; /* field of each column, -1 when ignored */
    const char *col_header[128];
    size_t ncols;
    struct rx_arena arena; /* text of rows and headers */
};

static void add_err(struct row *rw, const char *field, const char *code, const char *detail)
{
    if (rw->nerr >= ROW_ERRS) return;
    rw->err[rw->nerr++] = (struct row_err){field, code, detail};
}

void rx_import_free(struct rx_import *im)
{
    if (!im) return;
    rx_arena_free(&im->arena);
    rx_free(im->rows);
    rx_free(im);
}

/* A cell of either kind of sheet. */
struct sheet {
    const struct rx_csv *csv;
    const struct rx_xlsx *xlsx;
};

static size_t sheet_rows(const struct sheet *s)
{
    return s->csv ? s->csv->nrows : s->xlsx->nrows;
}

static size_t sheet_number(const struct sheet *s, size_t i)
{
    return s->csv ? s->csv->rows[i].number : s->xlsx->rows[i].number;
}

static size_t sheet_cols(const struct sheet *s, size_t i)
{
    return s->csv ? s->csv->rows[i].nfields : s->xlsx->rows[i].ncells;
}

static const char *sheet_cell(const struct sheet *s, size_t i, size_t col, size_t *len)
{
    size_t l = 0;
    const char *v = s->csv ? rx_csv_cell(s->csv, i, col, &l) : rx_xlsx_cell(s->xlsx, i, col, &l);
    *len = v ? l : 0;
    return v && l ? v : NULL;
}

/* Excel writes big numbers as "4.10105E+17". Such an ID number has lost digits. */
static int scientific(const char *s, size_t n)
{
    int e = 0, digits = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9')
            digits++;
        else if ((c == 'E' || c == 'e') && digits && !e)
            e = 1;
        else if (c != '.' && c != '+' && c != '-')
            return 0;
    }
    return e;
}

/* "1.3812345678E10" (a phone stored as a number) -> "13812345678" when exact. */
static const char *unscientific(struct rx_arena *a, const char *s, size_t n)
{
    char buf[64];
    if (n >= sizeof buf) return s;
    memcpy(buf, s, n);
    buf[n] = 0;
    char *end;
    double d = strtod(buf, &end);
    if (*end || d < 0 || d > 9007199254740992.0 || d != (double)(long long)d) return s;
    return rx_arena_printf(a, "%lld", (long long)d);
}

struct tagctx {
    struct rx_buf b;
    struct rx_json w;
    struct row *rw;
    const char *field;
    int n;
    const char *seen[RX_TAGS_MAX];
    size_t seen_len[RX_TAGS_MAX];
};

static void tag_one(const char *s, size_t n, void *arg)
{
    struct tagctx *t = arg;
    size_t st, len;
    const char *err = rx_tag_check(s, n, &st, &len);
    if (err) {
        add_err(t->rw, t->field, err, NULL);
        return;
    }
    for (int i = 0; i < t->n; i++)
        if (t->seen_len[i] == len && memcmp(t->seen[i], s + st, len) == 0) return;
    if (t->n >= RX_TAGS_MAX) {
        if (t->n++ == RX_TAGS_MAX) add_err(t->rw, t->field, "too_many", NULL);
        return;
    }
    t->seen[t->n] = s + st;
    t->seen_len[t->n++] = len;
    rx_json_strn(&t->w, s + st, len);
}

static const char *tags_json(struct rx_import *im, struct row *rw, const char *field, const char *s,
                             size_t n)
{
    if (!s) return "[]";
    struct tagctx t;
    memset(&t, 0, sizeof t);
    t.rw = rw;
    t.field = field;
    rx_buf_init(&t.b, 8192);
    rx_json_init(&t.w, &t.b);
    rx_json_arr(&t.w);
    rx_tags_split(s, n, tag_one, &t);
    rx_json_end(&t.w);
    const char *out = t.b.err ? "[]" : rx_arena_strndup(&im->arena, t.b.data, t.b.len);
    rx_buf_free(&t.b);
    return out ? out : "[]";
}

/* --- a small hash set of strings -> row index, for repeats within the file --- */

struct seen {
    const char **keys;
    size_t *rows;
    size_t cap; /* power of two */
};

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
    return h;
}

/* Returns the row of an earlier equal key, or SIZE_MAX after inserting this one. */
static size_t seen_put(struct seen *t, const char *key, size_t row)
{
    size_t i = (size_t)fnv(key) & (t->cap - 1);
    while (t->keys[i]) {
        if (strcmp(t->keys[i], key) == 0) return t->rows[i];
        i = (i + 1) & (t->cap - 1);
    }
    t->keys[i] = key;
    t->rows[i] = row;
    return SIZE_MAX;
}

static int seen_init(struct seen *t, size_t n)
{
    t->cap = 1024;
    while (t->cap < 3 * n)
        t->cap *= 2;
    t->keys = rx_calloc(t->cap, sizeof *t->keys);
    t->rows = rx_calloc(t->cap, sizeof *t->rows);
    return t->keys && t->rows ? 0 : -1;
}

static void seen_free(struct seen *t)
{
    rx_free(t->keys);
    rx_free(t->rows);
}

/* ------------------------------------------------------------------ parse */

static int map_columns(struct rx_import *im, const struct sheet *sh, struct rx_import_error *err)
{
    size_t nc = sheet_cols(sh, 0);
    if (nc > sizeof im->col_field / sizeof im->col_field[0]) {
        err->code = "import_too_many_columns";
        return -1;
    }
    int have[F__COUNT];
    for (int f = 0; f < F__COUNT; f++)
        have[f] = -1;
    im->ncols = nc;
    for (size_t c = 0; c < nc; c++) {
        size_t len;
        const char *h = sheet_cell(sh, 0, c, &len);
        char key[256];
        im->col_field[c] = -1;
        im->col_header[c] = h ? rx_arena_strndup(&im->arena, h, len) : NULL;
        if (!h) continue;
        normalise_header(h, len, key, sizeof key);
        for (size_t k = 0; k < sizeof headers / sizeof headers[0]; k++) {
            if (strcmp(headers[k].h, key) != 0) continue;
            if (have[headers[k].f] >= 0) {
                err->code = "import_duplicate_column";
                err->row = 1;
                err->column = c + 1;
                snprintf(err->detail, sizeof err->detail, "%.*s", (int)(len < 120 ? len : 120), h);
                return -1;
            }
            have[headers[k].f] = (int)c;
            im->col_field[c] = headers[k].f;
            break;
        }
    }
    if (have[F_NAME] < 0) {
        err->code = "import_missing_column";
        err->row = 1;
        snprintf(err->detail, sizeof err->detail, "姓名 / name");
        return -1;
    }
    return 0;
}

static void parse_row(struct rx_import *im, const struct sheet *sh, size_t i, struct row *rw,
                      const struct rx_keys *keys, const struct rx_date *today)
{
    const char *v[F__COUNT] = {0};
    size_t vl[F__COUNT] = {0};
    rw->number = sheet_number(sh, i);
    for (size_t c = 0; c < im->ncols; c++) {
        if (im->col_field[c] < 0) continue;
        size_t len;
        const char *s = sheet_cell(sh, i, c, &len);
        v[im->col_field[c]] = s;
        vl[im->col_field[c]] = len;
    }
    /* Cells past the header's columns carry no field: ignored. */
    if (v[F_ID_NUMBER] && scientific(v[F_ID_NUMBER], vl[F_ID_NUMBER])) {
        add_err(rw, "id_number", "id_number_as_number", NULL);
        v[F_ID_NUMBER] = NULL;
    }
    if (v[F_PHONE] && scientific(v[F_PHONE], vl[F_PHONE])) {
        v[F_PHONE] = unscientific(&im->arena, v[F_PHONE], vl[F_PHONE]);
        vl[F_PHONE] = strlen(v[F_PHONE]);
    }
    if (v[F_PHONE] && vl[F_PHONE] > 2 && memcmp(v[F_PHONE] + vl[F_PHONE] - 2, ".0", 2) == 0)
        v[F_PHONE] = rx_arena_strndup(&im->arena, v[F_PHONE], vl[F_PHONE] - 2);
    struct rx_person_text t = {
        .name = v[F_NAME] ? v[F_NAME] : "",
        .id_type = v[F_ID_TYPE],
        .id_number = v[F_ID_NUMBER],
        .sex = v[F_SEX],
        .birth_date = v[F_BIRTH],
        .phone = v[F_PHONE],
        .political_status = v[F_POLSTATUS],
    };
    struct rx_person_fields f;
    struct rx_person_error errs[RX_PERSON_MAX_ERRORS];
    int ne = rx_person_check(&t, RX_PERSON_LOOSE, today, &f, errs);
    for (int k = 0; k < ne; k++)
        add_err(rw, errs[k].field, errs[k].code, NULL);
    if (v[F_NOTES]) {
        int rc = rx_utf8_check_text(v[F_NOTES], vl[F_NOTES], 500, 0);
        if (rc == RX_UTF8_ETOOLONG)
            add_err(rw, "notes", "too_long", NULL);
        else if (rc)
            add_err(rw, "notes", "control_chars", NULL);
        else
            rw->notes = rx_arena_strndup(&im->arena, v[F_NOTES], vl[F_NOTES]);
    }
    rw->skills = tags_json(im, rw, "skills", v[F_SKILLS], vl[F_SKILLS]);
    rw->interests = tags_json(im, rw, "interests", v[F_INTERESTS], vl[F_INTERESTS]);
    if (f.has_name) {
        /* Display keeps what was typed, without the surrounding blanks. */
        const char *s = v[F_NAME];
        size_t n = vl[F_NAME];
        while (n && (*s == ' ' || *s == '\t'))
            s++, n--;
        while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        rw->name = rx_arena_strndup(&im->arena, s, n);
        rw->name_norm = rx_arena_strdup(&im->arena, f.name_norm);
    } else if (v[F_NAME]) {
        rw->name = rx_arena_strndup(&im->arena, v[F_NAME], vl[F_NAME] < 200 ? vl[F_NAME] : 200);
    }
    rw->sex = f.sex;
    memcpy(rw->birth, f.birth_date, sizeof rw->birth);
    if (f.phone[0]) rw->phone = rx_arena_strdup(&im->arena, f.phone);
    rw->political_status = f.political_status;
    if (f.has_id && !rw->nerr) {
        char *sealed = NULL;
        char hash[65];
        if (rx_seal(keys, f.id_number, strlen(f.id_number), &sealed) == 0) {
            rw->id_enc = rx_arena_strdup(&im->arena, sealed);
            rx_free(sealed);
        }
        rx_lookup_hash(keys, f.id_lookup, strlen(f.id_lookup), hash);
        rw->id_hash = rx_arena_strdup(&im->arena, hash);
        rw->id_masked = rx_arena_strdup(&im->arena, f.id_masked);
        rw->id_type = rx_idcard_doctype_code(f.id_type);
        if (!rw->id_enc) add_err(rw, "id_number", "internal_error", NULL);
    }
    sodium_memzero(&f, sizeof f);
}

int rx_import_parse(const void *data, size_t n, const struct rx_keys *keys,
                    const struct rx_date *today, struct rx_import **out,
                    struct rx_import_error *err)
{
    memset(err, 0, sizeof *err);
    *out = NULL;
    struct rx_csv csv;
    struct rx_xlsx xlsx;
    memset(&csv, 0, sizeof csv);
    memset(&xlsx, 0, sizeof xlsx);
    struct sheet sh = {0};
    struct rx_import *im = rx_calloc(1, sizeof *im);
    if (!im) {
        err->code = "out_of_memory";
        return -1;
    }
    rx_arena_init(&im->arena, (size_t)1 << 30);
    int rc;
    if (rx_xlsx_sniff(data, n)) {
        struct rx_xlsx_limits lim = {
            .max_rows = RX_IMPORT_MAX_ROWS + 1, .max_columns = 128, .max_field = 4096};
        struct rx_xlsx_error xe;
        rc = rx_xlsx_read(data, n, &lim, &xlsx, &xe);
        if (rc) {
            err->code = rx_xlsx_strerror(rc);
            err->row = xe.row;
            err->column = xe.column;
        }
        im->format = "xlsx";
        im->encoding = "UTF-8";
        sh.xlsx = &xlsx;
    } else {
        struct rx_csv_limits lim = {
            .max_rows = RX_IMPORT_MAX_ROWS + 1, .max_columns = 128, .max_field = 4096};
        struct rx_csv_error ce;
        rc = rx_csv_parse(data, n, &lim, &csv, &ce);
        if (rc) {
            err->code = rx_csv_strerror(rc);
            err->row = ce.row;
            err->column = ce.column;
        }
        im->format = "csv";
        im->encoding = rx_csv_encoding_name(csv.encoding);
        sh.csv = &csv;
    }
    if (!rc && map_columns(im, &sh, err)) rc = -1;
    size_t nrows = rc ? 0 : sheet_rows(&sh) - 1;
    struct seen ids = {0}, people = {0};
    if (!rc) {
        im->rows = rx_calloc(nrows ? nrows : 1, sizeof *im->rows);
        if (!im->rows || seen_init(&ids, nrows) || seen_init(&people, 2 * nrows)) {
            err->code = "out_of_memory";
            rc = -1;
        }
    }
    for (size_t i = 0; !rc && i < nrows; i++) {
        struct row *rw = &im->rows[i];
        parse_row(im, &sh, i + 1, rw, keys, today);
        if (rw->nerr) continue;
        /* The same person twice in one file: the later row is refused. */
        size_t earlier = SIZE_MAX;
        if (rw->id_hash) earlier = seen_put(&ids, rw->id_hash, i);
        if (earlier == SIZE_MAX && !rw->id_hash && rw->name_norm) {
            if (rw->birth[0])
                earlier = seen_put(
                    &people, rx_arena_printf(&im->arena, "%s|b%s", rw->name_norm, rw->birth), i);
            if (earlier == SIZE_MAX && rw->phone)
                earlier = seen_put(
                    &people, rx_arena_printf(&im->arena, "%s|p%s", rw->name_norm, rw->phone), i);
        }
        if (earlier != SIZE_MAX)
            add_err(rw, rw->id_hash ? "id_number" : "name", "duplicate_in_file",
                    rx_arena_printf(&im->arena, "%zu", im->rows[earlier].number));
    }
    if (!rc)
        for (size_t i = 0; i < nrows; i++)
            im->rows[i].parse_nerr = im->rows[i].nerr;
    seen_free(&ids);
    seen_free(&people);
    rx_csv_free(&csv);
    rx_xlsx_free(&xlsx);
    if (rc) {
        rx_import_free(im);
        return -1;
    }
    im->nrows = nrows;
    *out = im;
    return 0;
}

/* ------------------------------------------------------------------ apply */

static int in_scope(const struct rx_import_opts *o, const char *path)
{
    if (o->nscope < 0) return 1;
    if (!path) return 0;
    for (int i = 0; i < o->nscope; i++)
        if (strncmp(path, o->scope[i], strlen(o->scope[i])) == 0) return 1;
    return 0;
}

static int audit(struct rx_db *db, const struct rx_import_opts *o, int64_t now, const char *action,
                 int64_t id, const char *detail)
{
    return rx_db_exec(db, Q_AUDIT_INSERT,
                      RX_ARGS(RX_I(now), o->user_id ? RX_I(o->user_id) : RX_NUL, RX_T(o->ip),
                              RX_T(action), RX_T("person"), id ? RX_I(id) : RX_NUL, RX_T(detail)),
                      NULL, NULL);
}

/* Existing person with the row's ID: fill its blanks. */
static int decide_existing(struct rx_db *db, struct rx_import *im, struct row *rw, int64_t pid,
                           const struct rx_import_opts *o, int64_t now)
{
    struct rx_cursor c;
    int rc = rx_db_query(db, Q_RP_PERSON_RAW, RX_ARGS(RX_I(pid)), &c);
    if (rc) return rc;
    if (rx_cursor_next(&c) != 1) {
        rx_cursor_close(&c);
        return RX_ERROR;
    }
    unsigned short changed = 0;
    if (rx_cursor_isnull(&c, 10) && rw->phone) changed |= 1u << F_PHONE;
    if (rx_cursor_isnull(&c, 8) && rw->sex) changed |= 1u << F_SEX;
    if (rx_cursor_isnull(&c, 9) && rw->birth[0]) changed |= 1u << F_BIRTH;
    if (rx_cursor_isnull(&c, 11) && rw->political_status) changed |= 1u << F_POLSTATUS;
    const char *sk = rx_cursor_text(&c, 12), *in = rx_cursor_text(&c, 13);
    if (sk && strcmp(sk, "[]") == 0 && strcmp(rw->skills, "[]") != 0) changed |= 1u << F_SKILLS;
    if (in && strcmp(in, "[]") == 0 && strcmp(rw->interests, "[]") != 0)
        changed |= 1u << F_INTERESTS;
    if (rx_cursor_isnull(&c, 16) && rw->notes) changed |= 1u << F_NOTES;
    rx_cursor_close(&c);
    rw->person_id = pid;
    rw->changed = changed;
    rw->action = changed ? A_UPDATE : A_UNCHANGED;
    if (!changed || o->dry_run) return RX_OK;
    char sex[2] = {rw->sex, 0};
    rc = rx_db_exec(db, Q_RP_PERSON_FILL_BLANKS,
                    RX_ARGS(RX_I(pid), RX_T(rw->phone), rw->sex ? RX_T(sex) : RX_NUL,
                            rw->birth[0] ? RX_T(rw->birth) : RX_NUL, RX_T(rw->political_status),
                            RX_T(rw->skills), RX_T(rw->interests), RX_T(rw->notes), RX_I(now)),
                    NULL, NULL);
    if (rc) return rc;
    char detail[512];
    int k = snprintf(detail, sizeof detail, "{\"source\":\"%s\",\"row\":%zu,\"filled\":[",
                     o->source, rw->number);
    for (int f = 0, first = 1; f < F__COUNT && k < (int)sizeof detail - 40; f++)
        if (changed & (1u << f)) {
            k += snprintf(detail + k, sizeof detail - (size_t)k, "%s\"%s\"", first ? "" : ",",
                          field_names[f]);
            first = 0;
        }
    snprintf(detail + k, sizeof detail - (size_t)k, "]}");
    (void)im;
    return audit(db, o, now, "import_update", pid, detail);
}

static int decide_row(struct rx_db *db, struct rx_import *im, struct row *rw,
                      const struct rx_import_opts *o, int64_t now)
{
    struct rx_cursor c;
    int rc;
    if (rw->id_hash) {
        int64_t pid = 0;
        const char *path = NULL;
        rc = rx_db_query(db, Q_RP_PERSON_BY_ID_HASH, RX_ARGS(RX_T(rw->id_hash)), &c);
        if (!rc && rx_cursor_next(&c) == 1) {
            pid = rx_cursor_int(&c, 0);
            path = rx_cursor_text(&c, 1);
            if (!in_scope(o, path)) pid = -1;
        }
        rx_cursor_close(&c);
        if (rc) return rc;
        if (pid < 0) {
            add_err(rw, "id_number", "duplicate_person", NULL);
            return RX_OK;
        }
        if (pid) return decide_existing(db, im, rw, pid, o, now);
    }
    /* Suspected duplicates the caller can see. */
    if (rw->name_norm && (rw->birth[0] || rw->phone)) {
        rc = rx_db_query(db, Q_RP_PERSON_SUSPECTS,
                         RX_ARGS(RX_T(rw->name_norm), rw->birth[0] ? RX_T(rw->birth) : RX_NUL,
                                 RX_T(rw->phone), RX_I(0)),
                         &c);
        while (!rc && rx_cursor_next(&c) == 1) {
            const char *path = rx_cursor_text(&c, 1), *h = rx_cursor_text(&c, 2);
            if (!in_scope(o, path) || (rw->id_hash && h && strcmp(h, rw->id_hash) != 0)) continue;
            if (rw->ncand < MAX_CAND) rw->cand[rw->ncand++] = rx_cursor_int(&c, 0);
        }
        rx_cursor_close(&c);
        if (rc) return rc;
        if (rw->ncand) {
            add_err(rw, "name", "suspected_duplicate", NULL);
            return RX_OK;
        }
    }
    rw->action = A_CREATE;
    if (o->dry_run) return RX_OK;
    char sex[2] = {rw->sex, 0};
    int64_t id = 0;
    rc = rx_db_exec(db, Q_RP_PERSON_INSERT,
                    RX_ARGS(RX_I(o->community_id), RX_T(rw->name), RX_T(rw->name_norm),
                            RX_T(rw->id_type), RX_T(rw->id_enc), RX_T(rw->id_hash),
                            RX_T(rw->id_masked), rw->sex ? RX_T(sex) : RX_NUL,
                            rw->birth[0] ? RX_T(rw->birth) : RX_NUL, RX_T(rw->phone),
                            RX_T(rw->political_status), RX_T(rw->skills), RX_T(rw->interests),
                            RX_T("[]"), RX_T("[]"), RX_T(rw->notes), RX_I(now)),
                    NULL, &id);
    if (rc) return rc;
    rw->person_id = id;
    char detail[96];
    snprintf(detail, sizeof detail, "{\"source\":\"%s\",\"row\":%zu}", o->source, rw->number);
    return audit(db, o, now, "import_create", id, detail);
}

/* How many rows each decision got. */
static struct rx_import_counts count_actions(const struct rx_import *im)
{
    struct rx_import_counts k = {.rows = im->nrows};
    for (size_t i = 0; i < im->nrows; i++) {
        switch (im->rows[i].action) {
        case A_CREATE:
            k.created++;
            break;
        case A_UPDATE:
            k.updated++;
            break;
        case A_UNCHANGED:
            k.unchanged++;
            break;
        default:
            k.rejected++;
        }
    }
    return k;
}

int rx_import_apply(struct rx_db *db, struct rx_import *im, const struct rx_import_opts *o,
                    int64_t now, struct rx_import_counts *counts)
{
    int rc = RX_OK;
    for (size_t i = 0; i < im->nrows && !rc; i++) {
        struct row *rw = &im->rows[i];
        rw->nerr = rw->parse_nerr; /* forget what an earlier run decided */
        rw->ncand = 0;
        rw->person_id = 0;
        rw->changed = 0;
        if (!rw->nerr) rc = decide_row(db, im, rw, o, now);
        if (rw->nerr) rw->action = A_REJECT;
        if (o->progress && (i % 1024 == 0 || i + 1 == im->nrows))
            o->progress(o->progress_arg, i + 1, im->nrows);
    }
    if (counts) *counts = count_actions(im);
    return rc;
}

/* ------------------------------------------------------------------ report */

static const char *message(const char *code, int english)
{
    const struct rx_message *m = rx_message_find(code);
    return m ? (english ? m->en : m->zh) : code;
}

void rx_import_report(const struct rx_import *im, const struct rx_import_opts *o, int committed,
                      const char *rows_filter, struct rx_json *w)
{
    struct rx_import_counts k = count_actions(im);
    int only_rejected = rows_filter && strcmp(rows_filter, "rejected") == 0;
    rx_json_obj(w);
    rx_json_kstr(w, "format", im->format);
    rx_json_kstr(w, "encoding", im->encoding);
    rx_json_kint(w, "community_id", o->community_id);
    rx_json_kbool(w, "dry_run", o->dry_run);
    rx_json_kbool(w, "committed", committed);
    rx_json_kint(w, "rows", (int64_t)k.rows);
    rx_json_kint(w, "created", (int64_t)k.created);
    rx_json_kint(w, "updated", (int64_t)k.updated);
    rx_json_kint(w, "unchanged", (int64_t)k.unchanged);
    rx_json_kint(w, "rejected", (int64_t)k.rejected);
    rx_json_key(w, "columns");
    rx_json_arr(w);
    for (size_t c = 0; c < im->ncols; c++) {
        if (!im->col_header[c]) continue;
        rx_json_obj(w);
        rx_json_kint(w, "column", (int64_t)c + 1);
        rx_json_kstr(w, "header", im->col_header[c]);
        rx_json_kstr(w, "field", im->col_field[c] >= 0 ? field_names[im->col_field[c]] : NULL);
        rx_json_end(w);
    }
    rx_json_end(w);
    rx_json_key(w, "items");
    rx_json_arr(w);
    for (size_t i = 0; i < im->nrows; i++) {
        const struct row *rw = &im->rows[i];
        if (only_rejected && rw->action != A_REJECT) continue;
        rx_json_obj(w);
        rx_json_kint(w, "row", (int64_t)rw->number);
        rx_json_kstr(w, "action", action_names[rw->action]);
        rx_json_kstr(w, "name", rw->name);
        if (rw->person_id && (committed || rw->action == A_UPDATE || rw->action == A_UNCHANGED))
            rx_json_kint(w, "person_id", rw->person_id);
        else
            rx_json_knull(w, "person_id");
        if (rw->changed) {
            rx_json_key(w, "changed");
            rx_json_arr(w);
            for (int f = 0; f < F__COUNT; f++)
                if (rw->changed & (1u << f)) rx_json_str(w, field_names[f]);
            rx_json_end(w);
        }
        if (rw->ncand) {
            rx_json_key(w, "candidate_ids");
            rx_json_arr(w);
            for (int c = 0; c < rw->ncand; c++)
                rx_json_int(w, rw->cand[c]);
            rx_json_end(w);
        }
        rx_json_key(w, "errors");
        rx_json_arr(w);
        for (int e = 0; e < rw->nerr; e++) {
            rx_json_obj(w);
            rx_json_kstr(w, "field", rw->err[e].field);
            rx_json_kstr(w, "code", rw->err[e].code);
            rx_json_kstr(w, "detail", rw->err[e].detail);
            rx_json_kstr(w, "message_zh", message(rw->err[e].code, 0));
            rx_json_kstr(w, "message_en", message(rw->err[e].code, 1));
            rx_json_end(w);
        }
        rx_json_end(w);
        rx_json_end(w);
    }
    rx_json_end(w);
    rx_json_end(w);
}

size_t rx_import_row_count(const struct rx_import *im)
{
    return im->nrows;
}

const char *rx_import_row_action(const struct rx_import *im, size_t i, size_t *number)
{
    *number = im->rows[i].number;
    return action_names[im->rows[i].action];
}

void rx_import_row_errors(const struct rx_import *im, size_t i, int english, char *out,
                          size_t outsz)
{
    const struct row *rw = &im->rows[i];
    size_t k = 0;
    out[0] = 0;
    for (int e = 0; e < rw->nerr && k < outsz; e++) {
        int n = snprintf(out + k, outsz - k, "%s%s: %s%s%s", e ? "; " : "", rw->err[e].field,
                         message(rw->err[e].code, english), rw->err[e].detail ? " " : "",
                         rw->err[e].detail ? rw->err[e].detail : "");
        if (n < 0) break;
        k += (size_t)n;
    }
    if (rw->ncand && k < outsz) {
        int n = snprintf(out + k, outsz - k, " (");
        k += n > 0 ? (size_t)n : 0;
        for (int c = 0; c < rw->ncand && k < outsz; c++) {
            n = snprintf(out + k, outsz - k, "%s%lld", c ? ", " : "#", (long long)rw->cand[c]);
            k += n > 0 ? (size_t)n : 0;
        }
        if (k < outsz) snprintf(out + k, outsz - k, ")");
    }
}

/* ------------------------------------------------------------------ HTTP */

struct import_ctx {
    struct rx_import *im;
    struct rx_import_opts o;
    const char *scope[RX_MAX_GRANTS];
    const char *rows_filter;
    int skip_invalid;
};

static void reply_report(struct rx_req *r, struct import_ctx *c, int committed, int status)
{
    struct rx_json *w = rx_json_begin(r);
    if (status >= 400) {
        /* A problem that carries the report: nothing was written. */
        rx_json_obj(w);
        rx_json_kstr(w, "type", "/problems/import_rejected");
        rx_json_kstr(w, "title", rx_msg(r, "import_rejected"));
        rx_json_kint(w, "status", status);
        rx_json_kstr(w, "detail", rx_msg(r, "import_rejected"));
        rx_json_kstr(w, "code", "import_rejected");
        rx_json_key(w, "errors");
        rx_json_arr(w);
        rx_json_end(w);
        rx_json_key(w, "report");
    }
    rx_import_report(c->im, &c->o, committed, c->rows_filter, w);
    if (status >= 400) rx_json_end(w);
    rx_import_free(c->im);
    c->im = NULL;
    rx_reply(r, status);
    if (status >= 400 && r->status == status)
        r->content_type = "application/problem+json; charset=utf-8";
}

static void import_write(struct rx_req *r)
{
    struct import_ctx *c = r->step_ctx;
    struct rx_import_counts k;
    c->o.dry_run = 0;
    int rc = rx_import_apply(r->db, c->im, &c->o, r->now, &k);
    if (!rc) {
        char *detail = rx_arena_printf(
            &r->arena,
            "{\"source\":\"api\",\"community_id\":%lld,\"rows\":%zu,\"created\":%zu,"
            "\"updated\":%zu,\"unchanged\":%zu,\"rejected\":%zu}",
            (long long)c->o.community_id, k.rows, k.created, k.updated, k.unchanged, k.rejected);
        rc = rx_audit(r, "import", "org_unit", c->o.community_id, detail);
    }
    if (rc) {
        rx_import_free(c->im);
        c->im = NULL;
        rx_store_problem(r, rc);
        return;
    }
    /* Someone added a matching person since the dry run: all or nothing still holds (this
     * answer rolls the step back). */
    if (k.rejected && !c->skip_invalid) {
        reply_report(r, c, 0, 422);
        return;
    }
    reply_report(r, c, 1, 200);
}

void rx_api_import_people(struct rx_req *r)
{
    int64_t community = rx_query_int(r, "community", 0, 1, INT64_MAX);
    if (!community && !r->n_field_errors) rx_field_error(r, "community", "required");
    int dry = rx_query_bool(r, "dry_run") == 1, skip = rx_query_bool(r, "skip_invalid") == 1;
    const char *rows_filter = rx_query(r, "rows");
    if (rows_filter && strcmp(rows_filter, "all") != 0 && strcmp(rows_filter, "rejected") != 0)
        rx_field_error(r, "rows", "invalid");
    if (rx_fail_if_field_errors(r)) return;
    if (!rx_authz_org(r, RX_PERM_MANAGE_PEOPLE, community)) return;
    struct rx_cursor cur;
    const char *kind = NULL;
    if (rx_first_row(r, rx_db_query(r->db, Q_RP_ORG_INFO, RX_ARGS(RX_I(community)), &cur), &cur))
        kind = rx_arena_strdup(&r->arena, rx_cursor_text(&cur, 1));
    rx_cursor_close(&cur);
    if (!kind || strcmp(kind, "community") != 0) {
        rx_field_error(r, "community", "not_a_community");
        rx_fail_if_field_errors(r);
        return;
    }
    const char *ct = r->body_type ? r->body_type : "";
    static const char *const types[] = {
        "text/csv",
        "text/plain",
        "application/csv",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/octet-stream"};
    int type_ok = 0;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        size_t l = strlen(types[i]);
        if (strncasecmp(ct, types[i], l) == 0 && (ct[l] == 0 || ct[l] == ';' || ct[l] == ' '))
            type_ok = 1;
    }
    if (!type_ok) {
        rx_problem(r, 415, "import_media_type", NULL);
        return;
    }
    if (!r->body || r->body_len == 0) {
        rx_problem(r, 400, "import_empty", NULL);
        return;
    }
    struct import_ctx *c = rx_req_alloc(r, sizeof *c);
    if (!c) return;
    memset(c, 0, sizeof *c);
    c->rows_filter = rows_filter;
    c->skip_invalid = skip;
    struct rx_date today;
    rx_today(r, &today, NULL);
    struct rx_import_error err;
    if (rx_import_parse(r->body, r->body_len, &r->app->keys, &today, &c->im, &err)) {
        const char *where =
            err.row && err.column
                ? rx_arena_printf(&r->arena, " (row %zu, column %zu)", err.row, err.column)
            : err.row ? rx_arena_printf(&r->arena, " (row %zu)", err.row)
                      : "";
        char *detail = rx_arena_printf(&r->arena, "%s%s%s%s", rx_msg(r, err.code),
                                       err.detail[0] ? ": " : "", err.detail, where ? where : "");
        rx_problem_extra(r, 400, "import_unreadable", detail,
                         rx_arena_printf(&r->arena, "\"reason\":\"%s\",\"row\":%zu,\"column\":%zu",
                                         err.code, err.row, err.column));
        return;
    }
    c->o.community_id = community;
    c->o.dry_run = 1;
    c->o.nscope = rx_scope_paths(r, RX_PERM_MANAGE_PEOPLE, c->scope, RX_MAX_GRANTS);
    c->o.scope = c->scope;
    c->o.user_id = r->auth.user_id;
    c->o.ip = r->ip;
    c->o.source = "api";
    /* Decide every row on this thread's read connection first: a dry run ends here, and so
     * does a real run that would be refused, without holding the writer. */
    struct rx_import_counts k;
    int rc = rx_import_apply(r->db, c->im, &c->o, r->now, &k);
    if (rc) {
        rx_import_free(c->im);
        rx_store_problem(r, rc);
        return;
    }
    if (dry) {
        reply_report(r, c, 0, 200);
        return;
    }
    if (k.rejected && !skip) {
        c->o.dry_run = 0;
        reply_report(r, c, 0, 422);
        return;
    }
    r->step_ctx = c;
    rx_then(r, RX_EXEC_WRITE, import_write);
}
