/* people.c: /api/v1/people — register, list, read, edit, reveal the ID number, merge.
 *
 * Rules (issue 3, DESIGN.md §2): field checks are domain/person.c's, shared with the importer.
 * ID numbers are sealed at rest (id_enc), found by a keyed hash of "type:NUMBER" (id_hash,
 * unique among unmerged people) and shown masked (id_masked); only RX_PERM_SENSITIVE at the
 * person's own community reveals the number, and each reveal is audited with its reason. The
 * same sensitivity gates vulnerable-resident flags, full phone numbers and the birth date of
 * a child under 14 (year only for others). People outside the caller's scope answer 404.
 *
 * Duplicates: the same ID is the same person (409 duplicate_person, with existing_id only when
 * the caller can see it); the same comparison name with the same birth date or phone is a
 * suspected duplicate (409 suspected_duplicate listing the candidates the caller can see)
 * unless the request says confirm_not_duplicate. Two records that both carry an ID are never
 * suspects of each other when the IDs differ. */
#include "api/people.h"
#include "api/activity.h"
#include "api/api.h"
#include "api/authz.h"
#include "api/common.h"
#include "api/input.h"
#include "api/reports.h"
#include "domain/person.h"
#include "domain/polstatus.h"
#include "http/server.h"
#include "lib/alloc.h"
#include "lib/crypto.h"
#include "store/person_merge.h"
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ shared helpers */

/* "%s%" with LIKE metacharacters (% _ \) escaped by '\', for "contains". */
static char *like_contains(struct rx_req *r, const char *s, size_t n)
{
    char *out = rx_arena_alloc(&r->arena, 2 * n + 3);
    if (!out) return NULL;
    size_t k = 0;
    out[k++] = '%';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' || s[i] == '_' || s[i] == '\\') out[k++] = '\\';
        out[k++] = s[i];
    }
    out[k++] = '%';
    out[k] = 0;
    return out;
}

/* Fills a[0..RX_SCOPE_MAX) with the caller's distinct scope paths for perm (rx_scope_roots),
 * unused slots NULL. Returns how many (0: no scope, the list is empty), or -1 after answering
 * 422 when there are more than RX_SCOPE_MAX. */
static int people_scope(struct rx_req *r, enum rx_perm perm, struct rx_val a[RX_SCOPE_MAX])
{
    const char *paths[RX_MAX_GRANTS], *keep[RX_MAX_GRANTS];
    int n = rx_scope_paths(r, perm, paths, RX_MAX_GRANTS);
    int k = rx_scope_roots(paths, n, keep, RX_MAX_GRANTS);
    if (k > RX_SCOPE_MAX) {
        rx_problem(r, 422, "too_many_scopes", NULL);
        return -1;
    }
    for (int i = 0; i < RX_SCOPE_MAX; i++)
        a[i] = i < k ? RX_T(keep[i]) : RX_NUL;
    return k;
}

int rx_people_list_args(struct rx_req *r, struct rx_val a[10], int *limit, int64_t *cursor)
{
    if (!rx_can_any(r, RX_PERM_READ_PEOPLE)) {
        rx_problem(r, 403, "forbidden", NULL);
        return 0;
    }
    if (people_scope(r, RX_PERM_READ_PEOPLE, a) < 0) return 0;
    *limit = rx_list_limit(r);
    *cursor = rx_list_cursor(r);
    int64_t org = rx_query_int(r, "org_unit_id", 0, 1, INT64_MAX);
    a[8] = a[9] = RX_NUL;
    if (org) {
        const char *path = rx_org_path(r, org);
        if (!path)
            rx_field_error(r, "org_unit_id", "not_found_ref");
        else
            a[8] = RX_T(path);
    }
    const char *q = rx_query(r, "q");
    if (q && *q) {
        char key[RX_NAME_SIZE];
        size_t klen;
        int rc = rx_name_normalize(q, strlen(q), key, sizeof key, &klen);
        if (rc)
            rx_field_error(r, "q", rx_name_strerror(rc));
        else
            a[9] = RX_T(like_contains(r, key, klen));
    }
    return 1;
}

static const char *dup_text(struct rx_req *r, struct rx_cursor *c, int col)
{
    const char *s = rx_cursor_text(c, col);
    return s ? rx_arena_strdup(&r->arena, s) : NULL;
}

/* dup_text that sets *nomem when a non-NULL value could not be copied. */
static const char *dup_col(struct rx_req *r, struct rx_cursor *c, int col, int *nomem)
{
    if (rx_cursor_isnull(c, col)) return NULL;
    const char *s = dup_text(r, c, col);
    if (!s) *nomem = 1;
    return s;
}

int rx_person_load(struct rx_req *r, int64_t id, struct rx_person_raw *p)
{
    struct rx_cursor c;
    int nomem = 0;
    memset(p, 0, sizeof *p);
    int rc = rx_db_query(r->db, Q_RP_PERSON_RAW, RX_ARGS(RX_I(id)), &c);
    if (!rc) {
        int got = rx_cursor_next(&c);
        if (got == 1) {
            p->id = rx_cursor_int(&c, 0);
            p->org_unit_id = rx_cursor_int(&c, 1);
            p->name = dup_col(r, &c, 2, &nomem);
            p->name_norm = dup_col(r, &c, 3, &nomem);
            p->id_type = dup_col(r, &c, 4, &nomem);
            p->id_enc = dup_col(r, &c, 5, &nomem);
            p->id_hash = dup_col(r, &c, 6, &nomem);
            p->id_masked = dup_col(r, &c, 7, &nomem);
            p->sex = dup_col(r, &c, 8, &nomem);
            p->birth_date = dup_col(r, &c, 9, &nomem);
            p->phone = dup_col(r, &c, 10, &nomem);
            p->political_status = dup_col(r, &c, 11, &nomem);
            p->skills = dup_col(r, &c, 12, &nomem);
            p->interests = dup_col(r, &c, 13, &nomem);
            p->availability = dup_col(r, &c, 14, &nomem);
            p->vulnerable = dup_col(r, &c, 15, &nomem);
            p->notes = dup_col(r, &c, 16, &nomem);
            p->merged_into = rx_cursor_int(&c, 17);
            p->path = dup_col(r, &c, 18, &nomem);
            if (nomem) rc = RX_NOMEM;
        } else {
            rc = got == 0 ? RX_NOTFOUND : -got;
        }
    }
    rx_cursor_close(&c);
    return rc;
}

int rx_person_load_visible(struct rx_req *r, int64_t id, struct rx_person_raw *p)
{
    int rc = rx_person_load(r, id, p);
    return rx_load_seen(r, rc, rc == RX_OK && rx_can(r, RX_PERM_READ_PEOPLE, p->path));
}

static void write_time(struct rx_json *w, const char *key, int64_t t)
{
    char buf[RX_TIMEFMT_RFC3339_SIZE];
    if (rx_timefmt_format(t, RX_TIMEFMT_BEIJING, buf, sizeof buf) == RX_TIMEFMT_OK)
        rx_json_kstr(w, key, buf);
    else
        rx_json_knull(w, key);
}

static void write_raw_json(struct rx_json *w, const char *key, const char *text)
{
    rx_json_key(w, key);
    if (text)
        rx_json_raw(w, text, strlen(text));
    else
        rx_json_raw(w, "[]", 2);
}

/* One row of RP_PERSON_COLS as the caller may see it. */
static void write_person_row(struct rx_req *r, struct rx_json *w, struct rx_cursor *c)
{
    const char *path = rx_cursor_text(c, 9);
    int sens = path && rx_can(r, RX_PERM_SENSITIVE, path);
    struct rx_date today;
    rx_today(r, &today, NULL);
    rx_json_obj(w);
    rx_json_kint(w, "id", rx_cursor_int(c, 0));
    rx_json_kstr(w, "name", rx_cursor_text(c, 1));
    rx_json_kstr(w, "id_type", rx_cursor_text(c, 2));
    rx_json_kstr(w, "id_masked", rx_cursor_text(c, 3));
    rx_json_kstr(w, "sex", rx_cursor_text(c, 4));
    const char *birth = rx_cursor_text(c, 5);
    int age = rx_person_age(birth, &today);
    /* A child's birth date is sensitive personal information (PIPL Art. 28). */
    int hide_birth = age >= 0 && age < 14 && !sens;
    if (birth && !hide_birth)
        rx_json_kstr(w, "birth_date", birth);
    else
        rx_json_knull(w, "birth_date");
    if (birth && strlen(birth) >= 4)
        rx_json_kint(w, "birth_year",
                     (birth[0] - '0') * 1000 + (birth[1] - '0') * 100 + (birth[2] - '0') * 10 +
                         (birth[3] - '0'));
    else
        rx_json_knull(w, "birth_year");
    if (age >= 0)
        rx_json_kint(w, "age", age);
    else
        rx_json_knull(w, "age");
    rx_json_kbool(w, "birth_date_masked", hide_birth);
    const char *phone = rx_cursor_text(c, 6);
    char masked[RX_PHONE_SIZE];
    if (phone && !sens && rx_phone_mask(phone, strlen(phone), masked, sizeof masked) == RX_PHONE_OK)
        phone = masked;
    rx_json_kstr(w, "phone", phone);
    if (rx_cursor_isnull(c, 7))
        rx_json_knull(w, "org_unit_id");
    else
        rx_json_kint(w, "org_unit_id", rx_cursor_int(c, 7));
    rx_json_kstr(w, "org_unit_name", rx_cursor_text(c, 8));
    const char *ps = rx_cursor_text(c, 10);
    rx_json_kstr(w, "political_status", ps);
    rx_json_kstr(w, "political_status_name",
                 ps ? (r->lang == RX_LANG_EN ? rx_polstatus_name_en(ps) : rx_polstatus_name_zh(ps))
                    : NULL);
    write_raw_json(w, "skills", rx_cursor_text(c, 11));
    write_raw_json(w, "interests", rx_cursor_text(c, 12));
    write_raw_json(w, "availability", rx_cursor_text(c, 13));
    if (sens) write_raw_json(w, "vulnerable", rx_cursor_text(c, 14));
    rx_json_kstr(w, "notes", rx_cursor_text(c, 15));
    int is_vol = !rx_cursor_isnull(c, 19);
    rx_json_kbool(w, "is_volunteer", is_vol);
    if (is_vol) {
        rx_json_kint(w, "volunteer_id", rx_cursor_int(c, 19));
        rx_json_kstr(w, "volunteer_no", rx_cursor_text(c, 20));
    } else {
        rx_json_knull(w, "volunteer_id");
        rx_json_knull(w, "volunteer_no");
    }
    if (rx_cursor_isnull(c, 21))
        rx_json_knull(w, "party_branch_id");
    else
        rx_json_kint(w, "party_branch_id", rx_cursor_int(c, 21));
    rx_json_kstr(w, "party_kind", rx_cursor_text(c, 22));
    if (rx_cursor_isnull(c, 16))
        rx_json_knull(w, "merged_into");
    else
        rx_json_kint(w, "merged_into", rx_cursor_int(c, 16));
    write_time(w, "created_at", rx_cursor_int(c, 17));
    write_time(w, "updated_at", rx_cursor_int(c, 18));
    rx_json_end(w);
}

/* Writes the person as the API shows it to this caller (Q_RP_PERSON_GET); RX_NOTFOUND when the
 * person does not exist. */
static int person_write(struct rx_req *r, struct rx_json *w, int64_t id)
{
    struct rx_cursor c;
    int rc = rx_db_query(r->db, Q_RP_PERSON_GET, RX_ARGS(RX_I(id)), &c);
    if (!rc) {
        int got = rx_cursor_next(&c);
        if (got == 1)
            write_person_row(r, w, &c);
        else
            rc = got == 0 ? RX_NOTFOUND : -got;
    }
    rx_cursor_close(&c);
    return rc;
}

void rx_problem_extra(struct rx_req *r, int status, const char *code, const char *detail,
                      const char *extra)
{
    rx_problem(r, status, code, detail);
    /* The problem is one object ending in '}': open it again for the extra members. */
    if (extra && *extra && r->status == status && r->out.len > 1 &&
        r->out.data[r->out.len - 1] == '}') {
        r->out.len--;
        rx_buf_putc(&r->out, ',');
        rx_buf_puts(&r->out, extra);
        rx_buf_putc(&r->out, '}');
    }
}

void rx_people_store_problem(struct rx_req *r, int rc)
{
    static const struct rx_refusal map[] = {
        {"invalid_political_status", "invalid_political_status", NULL, NULL},
        {"person_merged", "person_merged", NULL, NULL},
        {"guardian_required", "guardian_required", NULL, NULL},
        {"guardian_invalid", "guardian_invalid", NULL, NULL},
        {"membership_dates", "membership_dates", NULL, NULL},
        {"invalid_merge", "invalid_merge", NULL, NULL},
        {"people.id_hash", "duplicate_person", NULL, NULL},
        {"volunteers.person_id", "already_volunteer", NULL, NULL},
    };
    rx_refusal_problem(r, rc, map, sizeof map / sizeof map[0]);
}

/* ------------------------------------------------------------------ reading the body */

enum {
    B_NAME = 1,
    B_ID_TYPE = 2,
    B_ID_NUMBER = 4,
    B_SEX = 8,
    B_BIRTH = 16,
    B_PHONE = 32,
    B_POLSTATUS = 64,
};

static const struct {
    const char *field;
    unsigned bit;
    int max;
} text_fields[] = {
    {"name", B_NAME, 64},
    {"id_type", B_ID_TYPE, 32},
    {"id_number", B_ID_NUMBER, 64},
    {"sex", B_SEX, 16},
    {"birth_date", B_BIRTH, 32},
    {"phone", B_PHONE, 32},
    {"political_status", B_POLSTATUS, 32},
};

static unsigned bit_of(const char *field)
{
    for (size_t i = 0; i < sizeof text_fields / sizeof text_fields[0]; i++)
        if (strcmp(text_fields[i].field, field) == 0) return text_fields[i].bit;
    return 0;
}

/* Reads one text field; marks it bad when the reader recorded an error. */
static const char *text_in(struct rx_req *r, const char *field, unsigned *bad)
{
    int max = 64;
    for (size_t i = 0; i < sizeof text_fields / sizeof text_fields[0]; i++)
        if (strcmp(text_fields[i].field, field) == 0) max = text_fields[i].max;
    int before = r->n_field_errors;
    const char *s = rx_in_str(r, field, 0, max);
    if (r->n_field_errors != before) *bad |= bit_of(field);
    return s;
}

struct tagset {
    struct rx_req *r;
    struct rx_json w;
    struct rx_buf b;
    const char *field;
    const char *seen[RX_TAGS_MAX];
    size_t seen_len[RX_TAGS_MAX];
    int n;
    int flags; /* 1: vulnerable flags, not free tags */
};

/* Adds one tag (or flag) unless it is already there. */
static void tag_add(struct tagset *t, const char *s, size_t n, size_t index)
{
    size_t st, len;
    const char *err = t->flags ? NULL : rx_tag_check(s, n, &st, &len);
    if (t->flags) {
        st = 0;
        len = n;
        char tmp[32];
        if (n >= sizeof tmp)
            err = "invalid_flag";
        else {
            memcpy(tmp, s, n);
            tmp[n] = 0;
            if (!rx_vulnerable_flag_valid(tmp)) err = "invalid_flag";
        }
    }
    if (err) {
        rx_field_error(t->r, rx_arena_printf(&t->r->arena, "%s[%zu]", t->field, index), err);
        return;
    }
    for (int i = 0; i < t->n; i++)
        if (t->seen_len[i] == len && memcmp(t->seen[i], s + st, len) == 0) return;
    if (t->n >= RX_TAGS_MAX) return;
    t->seen[t->n] = s + st;
    t->seen_len[t->n++] = len;
    rx_json_strn(&t->w, s + st, len);
}

/* Reads an array of strings as canonical JSON text; NULL when absent (or bad: error
 * recorded). JSON null reads as an empty list. */
static const char *tags_in(struct rx_req *r, const char *field, int flags)
{
    json_t *v = r->json ? json_object_get(r->json, field) : NULL;
    if (!v) return NULL;
    if (json_is_null(v)) return "[]";
    if (!json_is_array(v)) {
        rx_field_error(r, field, "wrong_type");
        return NULL;
    }
    if (json_array_size(v) > RX_TAGS_MAX) {
        rx_field_error(r, field, "too_many");
        return NULL;
    }
    struct tagset t;
    memset(&t, 0, sizeof t);
    t.r = r;
    t.field = field;
    t.flags = flags;
    rx_buf_init(&t.b, 16 * 1024);
    rx_json_init(&t.w, &t.b);
    rx_json_arr(&t.w);
    int before = r->n_field_errors;
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        if (!json_is_string(e) || json_string_length(e) != strlen(json_string_value(e))) {
            rx_field_error(r, rx_arena_printf(&r->arena, "%s[%zu]", field, i), "wrong_type");
            continue;
        }
        tag_add(&t, json_string_value(e), json_string_length(e), i);
    }
    rx_json_end(&t.w);
    const char *out = NULL;
    if (r->n_field_errors == before && !t.b.err)
        out = rx_arena_strndup(&r->arena, t.b.data, t.b.len);
    rx_buf_free(&t.b);
    return out;
}

static int hhmm(const char *s, int *minutes)
{
    if (!s || strlen(s) != 5 || s[2] != ':') return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9')) return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 23 || m > 59) return -1;
    *minutes = h * 60 + m;
    return 0;
}

/* availability: [{"weekday": 1..7 (Monday = 1), "from": "HH:MM", "to": "HH:MM"}], at most 21. */
static const char *availability_in(struct rx_req *r)
{
    json_t *v = r->json ? json_object_get(r->json, "availability") : NULL;
    if (!v) return NULL;
    if (json_is_null(v)) return "[]";
    if (!json_is_array(v)) {
        rx_field_error(r, "availability", "wrong_type");
        return NULL;
    }
    if (json_array_size(v) > 21) {
        rx_field_error(r, "availability", "too_many");
        return NULL;
    }
    struct rx_buf b;
    struct rx_json w;
    rx_buf_init(&b, 8192);
    rx_json_init(&w, &b);
    rx_json_arr(&w);
    int before = r->n_field_errors;
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        json_t *wd = json_object_get(e, "weekday"), *from = json_object_get(e, "from"),
               *to = json_object_get(e, "to");
        int f = 0, t = 0;
        if (!json_is_object(e) || json_object_size(e) != 3 || !json_is_integer(wd) ||
            json_integer_value(wd) < 1 || json_integer_value(wd) > 7 || !json_is_string(from) ||
            !json_is_string(to) || hhmm(json_string_value(from), &f) ||
            hhmm(json_string_value(to), &t) || f >= t) {
            rx_field_error(r, rx_arena_printf(&r->arena, "availability[%zu]", i), "invalid");
            continue;
        }
        rx_json_obj(&w);
        rx_json_kint(&w, "weekday", json_integer_value(wd));
        rx_json_kstr(&w, "from", json_string_value(from));
        rx_json_kstr(&w, "to", json_string_value(to));
        rx_json_end(&w);
    }
    rx_json_end(&w);
    const char *out = NULL;
    if (r->n_field_errors == before && !b.err) out = rx_arena_strndup(&r->arena, b.data, b.len);
    rx_buf_free(&b);
    return out;
}

/* Records person-check errors, except for fields whose reading already failed. */
static void report_person_errors(struct rx_req *r, const struct rx_person_error *errs, int n,
                                 unsigned bad)
{
    for (int i = 0; i < n; i++)
        if (!(bit_of(errs[i].field) & bad)) rx_field_error(r, errs[i].field, errs[i].code);
}

/* Org unit for a person's home: must exist, be a community, and be manageable by the caller.
 * Answers and returns NULL on failure; else its path. */
static const char *home_community(struct rx_req *r, int64_t org_id)
{
    if (!rx_authz_org(r, RX_PERM_MANAGE_PEOPLE, org_id)) return NULL;
    struct rx_cursor c;
    const char *path = NULL, *kind = NULL;
    int rc = rx_db_query(r->db, Q_RP_ORG_INFO, RX_ARGS(RX_I(org_id)), &c);
    int k = rc ? -rc : rx_cursor_next(&c);
    if (k == 1) {
        kind = dup_text(r, &c, 1);
        path = dup_text(r, &c, 2);
        if (!kind || !path) k = -RX_NOMEM;
    }
    rx_cursor_close(&c);
    if (k < 0) {
        rx_store_problem(r, -k);
        return NULL;
    }
    if (!path) {
        rx_problem(r, 404, "not_found", NULL);
        return NULL;
    }
    if (!kind || strcmp(kind, "community") != 0) {
        rx_field_error(r, "org_unit_id", "not_a_community");
        rx_fail_if_field_errors(r);
        return NULL;
    }
    return path;
}

/* Seals the ID number and computes its look-up hash; wipes the plain number. */
static int seal_id(struct rx_req *r, struct rx_person_fields *f, const char **enc, char hash[65])
{
    char *sealed = NULL;
    if (rx_seal(&r->app->keys, f->id_number, strlen(f->id_number), &sealed)) return -1;
    *enc = rx_arena_strdup(&r->arena, sealed);
    rx_free(sealed);
    rx_lookup_hash(&r->app->keys, f->id_lookup, strlen(f->id_lookup), hash);
    sodium_memzero(f->id_number, sizeof f->id_number);
    sodium_memzero(f->id_lookup, sizeof f->id_lookup);
    return *enc ? 0 : -1;
}

/* Writes ,"candidates":[...] for the suspects of a person the caller can see; returns how
 * many. exclude = the person itself (0 for a new one). */
static int suspects(struct rx_req *r, const struct rx_person_fields *f, const char *id_hash,
                    int64_t exclude, struct rx_buf *out)
{
    if (!f->has_name || (!f->birth_date[0] && !f->phone[0])) return 0;
    struct rx_cursor c;
    int n = 0;
    struct rx_json w;
    rx_json_init(&w, out);
    rx_json_key(&w, "candidates");
    rx_json_arr(&w);
    if (rx_db_query(r->db, Q_RP_PERSON_SUSPECTS,
                    RX_ARGS(RX_T(f->name_norm), f->birth_date[0] ? RX_T(f->birth_date) : RX_NUL,
                            f->phone[0] ? RX_T(f->phone) : RX_NUL, RX_I(exclude)),
                    &c) == RX_OK) {
        while (rx_cursor_next(&c) == 1) {
            const char *path = rx_cursor_text(&c, 1), *h = rx_cursor_text(&c, 2);
            if (!rx_can(r, RX_PERM_READ_PEOPLE, path)) continue;
            if (id_hash && h && strcmp(id_hash, h) != 0)
                continue; /* both identified, differently */
            rx_json_obj(&w);
            rx_json_kint(&w, "id", rx_cursor_int(&c, 0));
            rx_json_kstr(&w, "name", rx_cursor_text(&c, 3));
            rx_json_end(&w);
            n++;
        }
    }
    rx_cursor_close(&c);
    rx_json_end(&w);
    return n;
}

/* 409 duplicate_person when another live record has this ID; 1 when answered. */
static int same_id_exists(struct rx_req *r, const char *id_hash, int64_t self)
{
    struct rx_cursor c;
    int64_t other = 0;
    const char *path = NULL;
    if (rx_first_row(r, rx_db_query(r->db, Q_RP_PERSON_BY_ID_HASH, RX_ARGS(RX_T(id_hash)), &c), &c)) {
        other = rx_cursor_int(&c, 0);
        path = dup_text(r, &c, 1);
    }
    rx_cursor_close(&c);
    if (!other || other == self) return 0;
    if (path && rx_can(r, RX_PERM_READ_PEOPLE, path))
        rx_problem_extra(r, 409, "duplicate_person", NULL,
                         rx_arena_printf(&r->arena, "\"existing_id\":%lld", (long long)other));
    else
        rx_problem(r, 409, "duplicate_person", NULL);
    return 1;
}

static void reply_person(struct rx_req *r, int64_t id, int created)
{
    struct rx_json *w = rx_json_begin(r);
    int rc = person_write(r, w, id);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    if (created)
        rx_reply_created(r, rx_arena_printf(&r->arena, "/api/v1/people/%lld", (long long)id));
    else
        rx_reply(r, 200);
}

/* ------------------------------------------------------------------ create */

struct create_ctx {
    int64_t org_id;
    const char *name, *id_enc, *skills, *interests, *availability, *vulnerable, *notes;
    char id_hash[65];
    struct rx_person_fields f;
    int confirm;
};

static void create_write(struct rx_req *r)
{
    struct create_ctx *c = r->step_ctx;
    const struct rx_person_fields *f = &c->f;
    if (f->has_id && same_id_exists(r, c->id_hash, 0)) return;
    if (!c->confirm) {
        struct rx_buf extra;
        rx_buf_init(&extra, 64 * 1024);
        int n = suspects(r, f, f->has_id ? c->id_hash : NULL, 0, &extra);
        if (n > 0 && !extra.err) rx_problem_extra(r, 409, "suspected_duplicate", NULL, extra.data);
        rx_buf_free(&extra);
        if (n > 0) return;
    }
    int64_t id = 0;
    int rc = rx_db_exec(r->db, Q_RP_PERSON_INSERT,
                        RX_ARGS(RX_I(c->org_id), RX_T(c->name), RX_T(f->name_norm),
                                f->has_id ? RX_T(rx_idcard_doctype_code(f->id_type)) : RX_NUL,
                                RX_T(c->id_enc), f->has_id ? RX_T(c->id_hash) : RX_NUL,
                                f->has_id ? RX_T(f->id_masked) : RX_NUL,
                                f->sex ? RX_TN(&f->sex, 1) : RX_NUL,
                                f->birth_date[0] ? RX_T(f->birth_date) : RX_NUL,
                                f->phone[0] ? RX_T(f->phone) : RX_NUL, RX_T(f->political_status),
                                RX_T(c->skills), RX_T(c->interests), RX_T(c->availability),
                                RX_T(c->vulnerable), RX_T(c->notes), RX_I(r->now)),
                        NULL, &id);
    if (!rc) {
        struct rx_buf d;
        struct rx_json w;
        rx_buf_init(&d, 4096);
        rx_json_init(&w, &d);
        rx_json_obj(&w);
        rx_json_kint(&w, "org_unit_id", c->org_id);
        rx_json_kstr(&w, "name", c->name);
        rx_json_kbool(&w, "confirmed_not_duplicate", c->confirm);
        rx_json_end(&w);
        rc = rx_audit(r, "create", "person", id, d.err ? NULL : d.data);
        rx_buf_free(&d);
    }
    if (rc) {
        rx_people_store_problem(r, rc);
        return;
    }
    reply_person(r, id, 1);
}

void rx_api_people_create(struct rx_req *r)
{
    if (!rx_in_object(r)) return;
    static const char *const known[] = {"name",
                                        "id_type",
                                        "id_number",
                                        "sex",
                                        "birth_date",
                                        "phone",
                                        "org_unit_id",
                                        "political_status",
                                        "skills",
                                        "interests",
                                        "availability",
                                        "vulnerable",
                                        "notes",
                                        "confirm_not_duplicate",
                                        NULL};
    struct create_ctx *c = rx_req_alloc(r, sizeof *c);
    if (!c) return;
    memset(c, 0, sizeof *c);
    unsigned bad = 0;
    struct rx_person_text t = {0};
    t.name = text_in(r, "name", &bad);
    t.id_type = text_in(r, "id_type", &bad);
    t.id_number = text_in(r, "id_number", &bad);
    t.sex = text_in(r, "sex", &bad);
    t.birth_date = text_in(r, "birth_date", &bad);
    t.phone = text_in(r, "phone", &bad);
    t.political_status = text_in(r, "political_status", &bad);
    int has_org = 0;
    c->org_id = rx_in_int(r, "org_unit_id", 1, 1, INT64_MAX, 0, &has_org);
    c->skills = tags_in(r, "skills", 0);
    c->interests = tags_in(r, "interests", 0);
    c->vulnerable = tags_in(r, "vulnerable", 1);
    c->availability = availability_in(r);
    c->notes = rx_in_str(r, "notes", 0, 500);
    c->confirm = rx_in_bool(r, "confirm_not_duplicate", 0);
    rx_in_only(r, known);
    if (!c->skills) c->skills = "[]";
    if (!c->interests) c->interests = "[]";
    if (!c->vulnerable) c->vulnerable = "[]";
    if (!c->availability) c->availability = "[]";
    if (bad & B_NAME) t.name = NULL;
    struct rx_date today;
    rx_today(r, &today, NULL);
    struct rx_person_error errs[RX_PERSON_MAX_ERRORS];
    int ne = rx_person_check(&t, (bad & B_NAME) ? RX_PERSON_PARTIAL : 0, &today, &c->f, errs);
    report_person_errors(r, errs, ne, bad);
    if (has_org) {
        const char *path = home_community(r, c->org_id);
        if (!path) return; /* answered: 403, 404 or 400 */
        if (strcmp(c->vulnerable, "[]") != 0 && !rx_can(r, RX_PERM_SENSITIVE, path))
            rx_field_error(r, "vulnerable", "sensitive_only");
    }
    if (rx_fail_if_field_errors(r)) return;
    c->name = t.name;
    if (c->f.has_id && seal_id(r, &c->f, &c->id_enc, c->id_hash)) {
        rx_problem(r, 500, "internal_error", NULL);
        return;
    }
    r->step_ctx = c;
    rx_then(r, RX_EXEC_WRITE, create_write);
}

/* ------------------------------------------------------------------ read */

void rx_api_people_get(struct rx_req *r)
{
    int64_t id = rx_param_id(r, 0);
    if (!id) return;
    struct rx_cursor c;
    int rc = rx_db_query(r->db, Q_RP_PERSON_GET, RX_ARGS(RX_I(id)), &c);
    int got = rc ? -rc : rx_cursor_next(&c);
    if (got == 1 && rx_can(r, RX_PERM_READ_PEOPLE, rx_cursor_text(&c, 9))) {
        struct rx_json *w = rx_json_begin(r);
        write_person_row(r, w, &c);
        rx_cursor_close(&c);
        rx_reply(r, 200);
        return;
    }
    rx_cursor_close(&c);
    if (got < 0)
        rx_store_problem(r, -got);
    else
        rx_problem(r, 404, "not_found", NULL);
}

void rx_api_people_list(struct rx_req *r)
{
    struct rx_val a[15];
    int limit;
    int64_t cursor;
    if (!rx_people_list_args(r, a, &limit, &cursor)) return;
    a[10] = RX_NUL;
    const char *ps = rx_query(r, "political_status");
    if (ps && *ps) {
        const char *code = rx_polstatus_parse(ps, strlen(ps));
        if (!code)
            rx_field_error(r, "political_status", "invalid_political_status");
        else
            a[10] = RX_T(code);
    }
    a[11] = RX_NUL;
    int iv = rx_query_bool(r, "is_volunteer");
    if (iv >= 0) a[11] = RX_I(iv);
    a[12] = RX_NUL;
    const char *skill = rx_query(r, "skill");
    if (skill && *skill) {
        size_t st, len;
        const char *err = rx_tag_check(skill, strlen(skill), &st, &len);
        if (err) {
            rx_field_error(r, "skill", err);
        } else {
            /* Tags are stored as a JSON array: look for the quoted, escaped tag. */
            struct rx_buf b;
            rx_buf_init(&b, 1024);
            rx_json_escape(&b, skill + st, len);
            if (!b.err) a[12] = RX_T(like_contains(r, b.data, b.len));
            rx_buf_free(&b);
        }
    }
    const char *fmt;
    int ex = rpt_export_format(r, &fmt);
    if (ex < 0 || rx_fail_if_field_errors(r)) return;
    if (ex) { /* ?format=csv|xlsx: every matching person, streamed (api/export.c) */
        rpt_people_export(r, fmt, a);
        return;
    }
    a[13] = RX_I(cursor ? cursor : INT64_MAX);
    a[14] = RX_I(limit);
    struct rx_json *w = rx_list_begin(r);
    struct rx_page pg = {0, 0};
    struct rx_cursor c;
    int rc = rx_db_query(r->db, Q_RP_PEOPLE_LIST, a, 15, &c);
    int got = 0;
    while (!rc && (got = rx_cursor_next(&c)) == 1) {
        write_person_row(r, w, &c);
        pg.count++;
        pg.last_id = rx_cursor_int(&c, 0);
    }
    rx_cursor_close(&c);
    if (!rc && got < 0) rc = -got;
    rx_list_reply(r, w, &pg, limit, rc);
}

/* ------------------------------------------------------------------ edit */

static int same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Value after a patch: the new one when the field is in the body, else the stored one. */
#define PATCHED(field, stored) (rx_in_has(r, field) ? text_in(r, field, &bad) : (stored))

void rx_api_people_patch(struct rx_req *r)
{
    int64_t id = rx_param_id(r, 0);
    if (!id || !rx_in_object(r)) return;
    static const char *const known[] = {
        "name",       "id_type",   "id_number",    "sex",
        "birth_date", "phone",     "org_unit_id",  "political_status",
        "skills",     "interests", "availability", "vulnerable",
        "notes",      NULL};
    struct rx_person_raw p;
    if (!rx_person_load_visible(r, id, &p) || !rx_authz_path(r, RX_PERM_MANAGE_PEOPLE, p.path))
        return;
    if (p.merged_into) {
        rx_problem_extra(
            r, 409, "person_merged", NULL,
            rx_arena_printf(&r->arena, "\"merged_into\":%lld", (long long)p.merged_into));
        return;
    }
    unsigned bad = 0;
    struct rx_person_text t = {0};
    t.name = PATCHED("name", p.name);
    if (rx_in_has(r, "name") && !t.name && !(bad & B_NAME))
        rx_field_error(r, "name", "required"), bad |= B_NAME;
    /* The stored ID is unsealed so that the whole record is checked as one (sex and birth
     * date must keep agreeing with it). */
    char *plain_id = NULL;
    int num_in = rx_in_has(r, "id_number"), type_in = rx_in_has(r, "id_type");
    if (num_in) {
        t.id_number = text_in(r, "id_number", &bad);
    } else if (p.id_enc) {
        if (rx_unseal(&r->app->keys, p.id_enc, &plain_id)) {
            rx_problem(r, 500, "internal_error",
                       "the stored ID number cannot be read with this data key");
            return;
        }
        t.id_number = plain_id;
    }
    t.id_type = type_in ? text_in(r, "id_type", &bad) : (t.id_number ? p.id_type : NULL);
    t.sex = PATCHED("sex", p.sex);
    t.birth_date = PATCHED("birth_date", p.birth_date);
    t.phone = PATCHED("phone", p.phone);
    t.political_status = PATCHED("political_status", p.political_status);
    const char *skills = tags_in(r, "skills", 0), *interests = tags_in(r, "interests", 0);
    const char *vulnerable = tags_in(r, "vulnerable", 1), *availability = availability_in(r);
    const char *notes = rx_in_has(r, "notes") ? rx_in_str(r, "notes", 0, 500) : p.notes;
    int has_org = 0;
    int64_t org = rx_in_int(r, "org_unit_id", 0, 1, INT64_MAX, p.org_unit_id, &has_org);
    rx_in_only(r, known);
    struct rx_date today;
    rx_today(r, &today, NULL);
    struct rx_person_fields f;
    struct rx_person_error errs[RX_PERSON_MAX_ERRORS];
    int ne = rx_person_check(&t, (bad & B_NAME) ? RX_PERSON_PARTIAL : 0, &today, &f, errs);
    if (plain_id) {
        sodium_memzero(plain_id, strlen(plain_id));
        rx_free(plain_id);
    }
    report_person_errors(r, errs, ne, bad);
    const char *path = p.path;
    if (has_org && org != p.org_unit_id) {
        path = home_community(r, org); /* the caller must manage both communities */
        if (!path) return;
    }
    if (vulnerable && !rx_can(r, RX_PERM_SENSITIVE, path))
        rx_field_error(r, "vulnerable", "sensitive_only");
    if (rx_fail_if_field_errors(r)) return;

    const char *id_enc = NULL;
    char hash[65] = "";
    if (f.has_id && seal_id(r, &f, &id_enc, hash)) {
        rx_problem(r, 500, "internal_error", NULL);
        return;
    }
    if (f.has_id && same_id_exists(r, hash, id)) return;
    char sex[2] = {f.sex, 0};
    const char *name = t.name;
    int rc = rx_db_exec(
        r->db, Q_RP_PERSON_UPDATE,
        RX_ARGS(RX_I(id), RX_I(org), RX_T(name), RX_T(f.name_norm),
                f.has_id ? RX_T(rx_idcard_doctype_code(f.id_type)) : RX_NUL, RX_T(id_enc),
                f.has_id ? RX_T(hash) : RX_NUL, f.has_id ? RX_T(f.id_masked) : RX_NUL,
                f.sex ? RX_T(sex) : RX_NUL, f.birth_date[0] ? RX_T(f.birth_date) : RX_NUL,
                f.phone[0] ? RX_T(f.phone) : RX_NUL, RX_T(f.political_status),
                RX_T(skills ? skills : p.skills), RX_T(interests ? interests : p.interests),
                RX_T(availability ? availability : p.availability),
                RX_T(vulnerable ? vulnerable : p.vulnerable), RX_T(notes), RX_I(r->now)),
        NULL, NULL);
    if (!rc) {
        /* The audit names the fields that changed, never their personal values. */
        struct rx_buf d;
        struct rx_json w;
        rx_buf_init(&d, 4096);
        rx_json_init(&w, &d);
        rx_json_obj(&w);
        rx_json_key(&w, "changed");
        rx_json_arr(&w);
        if (!same(name, p.name)) rx_json_str(&w, "name");
        if (!same(f.has_id ? hash : NULL, p.id_hash)) rx_json_str(&w, "id_number");
        if (!same(f.sex ? sex : NULL, p.sex)) rx_json_str(&w, "sex");
        if (!same(f.birth_date[0] ? f.birth_date : NULL, p.birth_date))
            rx_json_str(&w, "birth_date");
        if (!same(f.phone[0] ? f.phone : NULL, p.phone)) rx_json_str(&w, "phone");
        if (!same(f.political_status, p.political_status)) rx_json_str(&w, "political_status");
        if (org != p.org_unit_id) rx_json_str(&w, "org_unit_id");
        if (skills && !same(skills, p.skills)) rx_json_str(&w, "skills");
        if (interests && !same(interests, p.interests)) rx_json_str(&w, "interests");
        if (availability && !same(availability, p.availability)) rx_json_str(&w, "availability");
        if (vulnerable && !same(vulnerable, p.vulnerable)) rx_json_str(&w, "vulnerable");
        if (!same(notes, p.notes)) rx_json_str(&w, "notes");
        rx_json_end(&w);
        rx_json_end(&w);
        rc = rx_audit(r, "update", "person", id, d.err ? NULL : d.data);
        rx_buf_free(&d);
    }
    if (rc) {
        rx_people_store_problem(r, rc);
        return;
    }
    reply_person(r, id, 0);
}

/* ------------------------------------------------------------------ reveal the ID number */

void rx_api_people_reveal_id(struct rx_req *r)
{
    int64_t id = rx_param_id(r, 0);
    if (!id || !rx_in_object(r)) return;
    static const char *const known[] = {"reason", NULL};
    const char *reason = rx_in_str(r, "reason", 1, 200);
    rx_in_only(r, known);
    if (rx_fail_if_field_errors(r)) return;
    struct rx_person_raw p;
    /* Only the staff of the person's own community. */
    if (!rx_person_load_visible(r, id, &p) || !rx_authz_path(r, RX_PERM_SENSITIVE, p.path)) return;
    if (!p.id_enc) {
        rx_problem(r, 404, "no_id_number", NULL);
        return;
    }
    char *plain = NULL;
    if (rx_unseal(&r->app->keys, p.id_enc, &plain)) {
        rx_problem(r, 500, "internal_error",
                   "the stored ID number cannot be read with this data key");
        return;
    }
    struct rx_buf d;
    struct rx_json dw;
    rx_buf_init(&d, 4096);
    rx_json_init(&dw, &d);
    rx_json_obj(&dw);
    rx_json_kstr(&dw, "reason", reason);
    rx_json_end(&dw);
    int rc = rx_audit(r, "reveal_id", "person", id, d.err ? NULL : d.data);
    rx_buf_free(&d);
    if (rc) {
        sodium_memzero(plain, strlen(plain));
        rx_free(plain);
        rx_store_problem(r, rc);
        return;
    }
    struct rx_json *w = rx_json_begin(r);
    rx_json_obj(w);
    rx_json_kint(w, "id", id);
    rx_json_kstr(w, "id_type", p.id_type);
    rx_json_kstr(w, "id_number", plain);
    rx_json_end(w);
    sodium_memzero(plain, strlen(plain));
    rx_free(plain);
    rx_reply(r, 200);
}

/* ------------------------------------------------------------------ merge */

static const char *volunteer_no_of(struct rx_req *r, int64_t person)
{
    struct rx_cursor c;
    const char *no = NULL;
    if (rx_first_row(r, rx_db_query(r->db, Q_RP_VOLUNTEER_OF_PERSON, RX_ARGS(RX_I(person)), &c), &c))
        no = dup_text(r, &c, 1);
    rx_cursor_close(&c);
    return no;
}

void rx_api_people_merge(struct rx_req *r)
{
    if (!rx_in_object(r)) return;
    static const char *const known[] = {"survivor_id", "loser_id", "keep_survivor_volunteer_no",
                                        NULL};
    int64_t sid = rx_in_int(r, "survivor_id", 1, 1, INT64_MAX, 0, NULL);
    int64_t lid = rx_in_int(r, "loser_id", 1, 1, INT64_MAX, 0, NULL);
    int keep_no = rx_in_bool(r, "keep_survivor_volunteer_no", 0);
    rx_in_only(r, known);
    if (sid && sid == lid) rx_field_error(r, "loser_id", "same_person");
    if (rx_fail_if_field_errors(r)) return;
    struct rx_person_raw s, l;
    memset(&l, 0, sizeof l); /* not loaded when the survivor fails to load */
    int rc = rx_person_load(r, sid, &s);
    if (!rc) rc = rx_person_load(r, lid, &l);
    /* Either record outside the caller's sight: as if it did not exist. */
    if (!rx_load_seen(r, rc,
                      rc == RX_OK && rx_can(r, RX_PERM_READ_PEOPLE, s.path) &&
                          rx_can(r, RX_PERM_READ_PEOPLE, l.path)))
        return;
    if (!rx_authz_path(r, RX_PERM_MANAGE_PEOPLE, s.path) ||
        !rx_authz_path(r, RX_PERM_MANAGE_PEOPLE, l.path))
        return;
    if (s.merged_into || l.merged_into) {
        rx_problem(r, 409, "person_merged", NULL);
        return;
    }
    if (s.id_hash && l.id_hash && strcmp(s.id_hash, l.id_hash) != 0) {
        rx_problem(r, 409, "merge_different_ids", NULL);
        return;
    }
    const char *sno = volunteer_no_of(r, sid), *lno = volunteer_no_of(r, lid);
    if (sno && lno && !keep_no) {
        struct rx_buf x;
        struct rx_json w;
        rx_buf_init(&x, 1024);
        rx_json_init(&w, &x);
        rx_json_obj(&w);
        rx_json_kstr(&w, "survivor_volunteer_no", sno);
        rx_json_kstr(&w, "loser_volunteer_no", lno);
        rx_json_end(&w);
        /* members only: drop the braces */
        const char *members =
            x.err || x.len < 2 ? NULL : rx_arena_strndup(&r->arena, x.data + 1, x.len - 2);
        rx_buf_free(&x);
        rx_problem_extra(r, 409, "merge_volunteer_conflict", NULL, members);
        return;
    }
    /* Places the merge gives up (the loser's, where the survivor holds one too) go to the
     * head of each waitlist, as a cancellation would give them. */
    int64_t *freed = NULL;
    int nfreed = 0;
    rc = rx_act_merge_places(r, sid, lid, &freed, &nfreed);
    if (!rc) rc = rx_store_person_merge(r->db, sid, lid, r->now);
    if (!rc) rc = rx_act_promote_each(r, freed, nfreed);
    struct rx_buf d;
    struct rx_json w;
    rx_buf_init(&d, 4096);
    rx_json_init(&w, &d);
    rx_json_obj(&w);
    rx_json_kint(&w, "survivor_id", sid);
    rx_json_kint(&w, "loser_id", lid);
    if (sno && lno) {
        rx_json_kstr(&w, "kept_volunteer_no", sno);
        rx_json_kstr(&w, "retired_volunteer_no", lno);
    }
    rx_json_end(&w);
    if (!rc) rc = rx_audit(r, "merge", "person", sid, d.err ? NULL : d.data);
    if (!rc) rc = rx_audit(r, "merged_into", "person", lid, d.err ? NULL : d.data);
    rx_buf_free(&d);
    if (rc) {
        rx_people_store_problem(r, rc);
        return;
    }
    reply_person(r, sid, 0);
}
