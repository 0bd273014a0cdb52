/* reports.c: /api/v1/reports/summary, /timeseries and /rankings (DESIGN.md §3), and the
 * `rexin report summary` command.
 *
 * Every figure comes from the rollup tables (migrations 0005 and 0007), which the
 * transaction that confirms, corrects or moves a record updates; nothing here reads
 * service_records. A period is cut into whole months (monthly rollups) and ragged ends
 * (daily rollups), domain/period.h.
 *
 * Figures (per row, and per category within it):
 *   person_times 人次          confirmed records
 *   minutes, hours             their minutes (hours = minutes / 60, two decimals)
 *   people_served 服务群众人次 people served on the records, plus the audience of held
 *                              performances (counted once, on the session, not per performer)
 *   sessions 场次, audience    held performances and their audience; not attributable to a
 *                              volunteer's Party status, so null under party_member=
 *   volunteers                 distinct people with a confirmed record; party_member_volunteers
 *                              those of them who were Party members on the day of one
 *   *_per_volunteer_per_year   person_times (hours) / volunteers / the period in years
 * A record belongs to one community and at most one team, so it counts once whichever way
 * the tree is cut; distinct volunteers are counted per row and again for the total. */
#include "api/api.h"
#include "api/authz.h"
#include "api/common.h"
#include "api/input.h"
#include "api/registry_org.h"
#include "api/reports.h"
#include "domain/hours.h"
#include "domain/period.h"
#include "domain/star.h"
#include "http/server.h"
#include "lib/alloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CATS 512
#define MAX_ROWS 2000
#define MAX_BUCKETS 400

struct figs {
    int64_t person_times, minutes, people_served, sessions, audience, volunteers, party_volunteers;
};

struct catfig {
    int64_t id;
    struct figs f;
};

struct row {
    int64_t key;      /* child org id, team id (0 = no team), or 0 for the total */
    const char *kind; /* "org_unit", "team", "total" */
    const char *name;
    struct figs f;
    int ncat;
    struct catfig *cats; /* MAX_CATS */
};

struct cat_info {
    int64_t id;
    const char *code, *name, *name_en;
};

/* What a report is asked about. */
struct rq {
    int64_t node_id, category, team;
    int party; /* -1 any, 0 non-members, 1 members */
    const char *path, *node_name, *node_kind;
    struct rx_date from, to;
    char from_s[11], to_s[11];
    int group;  /* 0 none, 1 child org units, 2 teams */
    int ncats;
    struct cat_info *cats;
};

static char *date_s(struct rx_req *r, const struct rx_date *d)
{
    char *s = rx_arena_alloc(&r->arena, 11);
    if (s) rog_date_format(d, s);
    return s;
}

static char *month_s(struct rx_req *r, const struct rx_date *d)
{
    return rx_arena_printf(&r->arena, "%04d-%02d", d->year, d->month);
}

/* The 12 shared arguments (queries_reports.def) for period from..to and grouping g. */
static int report_args(struct rx_req *r, const struct rq *q, const struct rx_date *from,
                       const struct rx_date *to, int g, struct rx_val *a)
{
    struct rx_period_split s;
    rx_period_split(from, to, &s);
    a[0] = RX_T(q->path);
    a[1] = RX_I(g);
    a[2] = RX_I(q->node_id);
    a[3] = s.has_months ? RX_T(month_s(r, &s.m_from)) : RX_NUL;
    a[4] = s.has_months ? RX_T(month_s(r, &s.m_to)) : RX_NUL;
    a[5] = s.has_head ? RX_T(date_s(r, &s.head_from)) : RX_NUL;
    a[6] = s.has_head ? RX_T(date_s(r, &s.head_to)) : RX_NUL;
    a[7] = s.has_tail ? RX_T(date_s(r, &s.tail_from)) : RX_NUL;
    a[8] = s.has_tail ? RX_T(date_s(r, &s.tail_to)) : RX_NUL;
    a[9] = q->category ? RX_I(q->category) : RX_NUL;
    a[10] = q->team ? RX_I(q->team) : RX_NUL;
    a[11] = q->party >= 0 ? RX_I(q->party) : RX_NUL;
    return 12;
}

static struct row *row_new(struct rx_req *r, int64_t key, const char *kind, const char *name)
{
    struct row *w = rx_arena_alloc(&r->arena, sizeof *w);
    if (!w) return NULL;
    memset(w, 0, sizeof *w);
    w->key = key;
    w->kind = kind;
    w->name = name;
    w->cats = rx_arena_alloc(&r->arena, sizeof(struct catfig) * MAX_CATS);
    return w->cats ? w : NULL;
}

static struct figs *cat_of(struct row *w, int64_t id)
{
    for (int i = 0; i < w->ncat; i++)
        if (w->cats[i].id == id) return &w->cats[i].f;
    if (w->ncat == MAX_CATS) return NULL;
    struct catfig *c = &w->cats[w->ncat++];
    memset(c, 0, sizeof *c);
    c->id = id;
    return &c->f;
}

static struct row *row_of(struct row **rows, int n, int64_t key)
{
    for (int i = 0; i < n; i++)
        if (rows[i]->key == key) return rows[i];
    return NULL;
}

static int cat_cmp(const void *a, const void *b)
{
    const struct catfig *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* A set of (group, category, person) keys with a Party flag each, for distinct volunteers:
 * open addressing, grown as it fills. */
struct pkey {
    int64_t g, cat, person;
    int used, party;
};
struct pset {
    struct pkey *v;
    size_t cap, n;
};

static size_t pkey_hash(int64_t g, int64_t cat, int64_t person)
{
    uint64_t h = (uint64_t)person * 0x9E3779B97F4A7C15u ^ (uint64_t)cat * 0xC2B2AE3D27D4EB4Fu ^
                 (uint64_t)g * 0x165667B19E3779F9u;
    return (size_t)(h ^ (h >> 29));
}

/* Adds the key (or ORs the flag into it); -1 when out of memory. */
static int pset_add(struct pset *s, int64_t g, int64_t cat, int64_t person, int party)
{
    if (2 * (s->n + 1) > s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 1024;
        struct pkey *v = rx_calloc(cap, sizeof *v);
        if (!v) return -1;
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->v[i].used) continue;
            size_t j = pkey_hash(s->v[i].g, s->v[i].cat, s->v[i].person) & (cap - 1);
            while (v[j].used) j = (j + 1) & (cap - 1);
            v[j] = s->v[i];
        }
        rx_free(s->v);
        s->v = v;
        s->cap = cap;
    }
    size_t j = pkey_hash(g, cat, person) & (s->cap - 1);
    while (s->v[j].used && (s->v[j].g != g || s->v[j].cat != cat || s->v[j].person != person))
        j = (j + 1) & (s->cap - 1);
    if (!s->v[j].used) {
        s->v[j] = (struct pkey){.g = g, .cat = cat, .person = person, .used = 1};
        s->n++;
    }
    s->v[j].party |= party;
    return 0;
}

/* Distinct volunteers (and Party-member volunteers: those with any record as a member) per
 * category and overall, for the total and, with grouping g, per group row. */
static int distinct_volunteers(struct rx_req *r, struct rx_val *a, int n, int g, struct row *total,
                               struct row **rows, int nrows)
{
    struct pset by_cat = {0}, all = {0}, g_cat = {0}, g_all = {0};
    struct rx_cursor c;
    a[1] = RX_I(g);
    int rc = rx_db_query(r->db, g == 1 ? Q_RPT_PERSON_ROWS : Q_RPT_PERSON_ROWS_FLAT, a, n, &c), k;
    if (rc) return rc;
    while ((k = rx_cursor_next(&c)) == 1) {
        int64_t key = rx_cursor_int(&c, 0), cat = rx_cursor_int(&c, 1), person = rx_cursor_int(&c, 2);
        int party = rx_cursor_int(&c, 3) == 1;
        if (pset_add(&by_cat, 0, cat, person, party) || pset_add(&all, 0, 0, person, party) ||
            (g && (pset_add(&g_cat, key, cat, person, party) || pset_add(&g_all, key, 0, person, party)))) {
            rc = RX_NOMEM;
            break;
        }
    }
    rx_cursor_close(&c);
    if (!rc && k < 0) rc = -k;
    struct pset *sets[4] = {&by_cat, &all, &g_cat, &g_all};
    for (int i = 0; i < 4 && !rc; i++)
        for (size_t j = 0; j < sets[i]->cap; j++) {
            const struct pkey *e = &sets[i]->v[j];
            if (!e->used) continue;
            struct row *w = i < 2 ? total : row_of(rows, nrows, e->g);
            if (!w) continue;
            struct figs *f = i % 2 == 0 ? cat_of(w, e->cat) : &w->f;
            if (f) f->volunteers++, f->party_volunteers += e->party;
        }
    for (int i = 0; i < 4; i++) rx_free(sets[i]->v);
    return rc;
}

/* Computes the figures of from..to: into total, and with q->group into rows (which the
 * caller created, one per group key). */
static int compute(struct rx_req *r, const struct rq *q, const struct rx_date *from,
                   const struct rx_date *to, struct row *total, struct row **rows, int nrows)
{
    struct rx_val a[12];
    struct rx_cursor c;
    int g = nrows ? q->group : 0, rc;
    int n = report_args(r, q, from, to, g, a);
    /* sums */
    if ((rc = rx_db_query(r->db, g == 1 ? Q_RPT_SUMS : Q_RPT_SUMS_FLAT, a, n, &c))) return rc;
    while ((rc = rx_cursor_next(&c)) == 1) {
        int64_t key = rx_cursor_int(&c, 0), cat = rx_cursor_int(&c, 1);
        int64_t pt = rx_cursor_int(&c, 2), mi = rx_cursor_int(&c, 3), ps = rx_cursor_int(&c, 4);
        struct row *targets[2] = {total, g ? row_of(rows, nrows, key) : NULL};
        for (int t = 0; t < 2; t++) {
            if (!targets[t]) continue;
            struct figs *f = cat_of(targets[t], cat);
            targets[t]->f.person_times += pt, targets[t]->f.minutes += mi, targets[t]->f.people_served += ps;
            if (f) f->person_times += pt, f->minutes += mi, f->people_served += ps;
        }
    }
    rx_cursor_close(&c);
    if (rc < 0) return -rc;
    /* sessions */
    if (q->party < 0) {
        char *fs = date_s(r, from), *ts = date_s(r, to);
        if ((rc = rx_db_query(r->db, Q_RPT_SESSIONS,
                              RX_ARGS(RX_T(q->path), RX_I(g), RX_I(q->node_id), a[9], a[10], RX_T(fs), RX_T(ts)),
                              &c)))
            return rc;
        while ((rc = rx_cursor_next(&c)) == 1) {
            int64_t key = rx_cursor_int(&c, 0), cat = rx_cursor_int(&c, 1);
            int64_t se = rx_cursor_int(&c, 2), au = rx_cursor_int(&c, 3);
            struct row *targets[2] = {total, g ? row_of(rows, nrows, key) : NULL};
            for (int t = 0; t < 2; t++) {
                if (!targets[t]) continue;
                struct figs *f = cat_of(targets[t], cat);
                targets[t]->f.sessions += se, targets[t]->f.audience += au, targets[t]->f.people_served += au;
                if (f) f->sessions += se, f->audience += au, f->people_served += au;
            }
        }
        rx_cursor_close(&c);
        if (rc < 0) return -rc;
    }
    /* distinct volunteers: per (group, category) and per group, for the groups and the total */
    if ((rc = distinct_volunteers(r, a, n, g, total, rows, nrows))) return rc;
    qsort(total->cats, (size_t)total->ncat, sizeof *total->cats, cat_cmp);
    for (int i = 0; i < nrows; i++) qsort(rows[i]->cats, (size_t)rows[i]->ncat, sizeof *rows[i]->cats, cat_cmp);
    return RX_OK;
}

/* ------------------------------------------------------------------ request parsing */

static int load_categories(struct rx_req *r, struct rq *q)
{
    struct rx_cursor c;
    q->cats = rx_arena_alloc(&r->arena, sizeof(struct cat_info) * MAX_CATS);
    q->ncats = 0;
    if (!q->cats || rx_db_query(r->db, Q_RPT_CATEGORIES, RX_NOARGS, &c)) return RX_ERROR;
    int rc;
    while ((rc = rx_cursor_next(&c)) == 1 && q->ncats < MAX_CATS) {
        struct cat_info *k = &q->cats[q->ncats++];
        k->id = rx_cursor_int(&c, 0);
        k->code = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 1));
        k->name = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 2));
        k->name_en = rx_cursor_isnull(&c, 3) ? NULL : rx_arena_strdup(&r->arena, rx_cursor_text(&c, 3));
    }
    rx_cursor_close(&c);
    return rc < 0 ? -rc : RX_OK;
}

static const struct cat_info *cat_info(const struct rq *q, int64_t id)
{
    for (int i = 0; i < q->ncats; i++)
        if (q->cats[i].id == id) return &q->cats[i];
    return NULL;
}

/* Reads org_unit (id or 12-digit code), from, to, category, team, party_member; checks the
 * caller's RX_PERM_REPORTS over the node (unless authz is 0: the CLI). Answers and returns
 * 0 on failure. */
static int read_rq(struct rx_req *r, struct rq *q, int authz)
{
    memset(q, 0, sizeof *q);
    q->party = -1;
    const char *ou = rx_query(r, "org_unit");
    if (!ou) ou = rx_query(r, "org_unit_id");
    int64_t node = 0;
    if (!ou || !*ou) {
        rx_field_error(r, "org_unit", "required");
    } else if (strlen(ou) == 12) {
        int rc = rx_db_int(r->db, Q_ORG_BY_CODE, RX_ARGS(RX_T(ou)), &node);
        if (rc && rc != RX_NOTFOUND) {
            rx_store_problem(r, rc);
            return 0;
        }
    } else {
        char *end;
        long long v = strtoll(ou, &end, 10);
        if (*end || v <= 0) rx_field_error(r, "org_unit", "invalid");
        else node = v;
    }
    struct rx_date today;
    rx_today(r, &today, NULL);
    int hf = rx_query_date(r, "from", &q->from), ht = rx_query_date(r, "to", &q->to);
    if (ht == 0) q->to = today;
    if (hf == 0) q->from = (struct rx_date){q->to.year, 1, 1};
    if (hf >= 0 && ht >= 0 && rx_timefmt_date_cmp(&q->from, &q->to) > 0) rx_field_error(r, "from", "after_to");
    q->category = rx_query_int(r, "category", 0, 1, INT64_MAX);
    if (!q->category) q->category = rx_query_int(r, "category_id", 0, 1, INT64_MAX);
    q->team = rx_query_int(r, "team", 0, 1, INT64_MAX);
    if (!q->team) q->team = rx_query_int(r, "team_id", 0, 1, INT64_MAX);
    q->party = rx_query_bool(r, "party_member");
    const char *gb = rx_query(r, "group_by");
    int want_child = 0;
    if (gb) {
        if (strcmp(gb, "child") == 0) want_child = 1;
        else if (strcmp(gb, "none") != 0) rx_field_error(r, "group_by", "invalid");
    }
    if (rx_fail_if_field_errors(r)) return 0;
    struct rog_org o;
    if (authz) {
        if (!node || !rog_org_load(r, node, RX_PERM_REPORTS, &o)) {
            if (!r->status) rx_problem(r, 404, "not_found", NULL);
            return 0;
        }
    } else if (!node || !rog_org_fetch(r, node, &o)) {
        if (!r->status) rx_problem(r, 404, "not_found", "no such org unit");
        return 0;
    }
    q->node_id = o.id;
    q->path = o.path;
    q->node_name = o.name;
    q->node_kind = o.kind;
    rog_date_format(&q->from, q->from_s);
    rog_date_format(&q->to, q->to_s);
    if (q->team) {
        struct rx_cursor c;
        const char *tp = NULL;
        if (rx_first_row(r, rx_db_query(r->db, Q_RPT_TEAM_NODE, RX_ARGS(RX_I(q->team)), &c), &c))
            tp = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 1));
        rx_cursor_close(&c);
        if (!tp || strncmp(tp, q->path, strlen(q->path)) != 0) {
            rx_field_error(r, "team", "not_found_ref");
            rx_fail_if_field_errors(r);
            return 0;
        }
    }
    if (want_child) q->group = strcmp(q->node_kind, "community") == 0 ? 2 : 1;
    if (load_categories(r, q)) {
        rx_problem(r, 500, "internal_error", NULL);
        return 0;
    }
    return 1;
}

/* The groups of a grouped report, in order, all present even with nothing in them. */
static int make_rows(struct rx_req *r, const struct rq *q, struct row ***out)
{
    struct row **rows = rx_arena_alloc(&r->arena, sizeof(struct row *) * MAX_ROWS);
    int n = 0, rc;
    struct rx_cursor c;
    *out = rows;
    if (!rows) return -1;
    if (q->group == 2) {
        rc = rx_db_query(r->db, Q_RPT_COMMUNITY_TEAMS, RX_ARGS(RX_I(q->node_id)), &c);
    } else {
        rc = rx_db_query(r->db, Q_RPT_CHILD_ORGS, RX_ARGS(RX_I(q->node_id)), &c);
    }
    if (rc) return -1;
    while ((rc = rx_cursor_next(&c)) == 1 && n < MAX_ROWS - 1) {
        rows[n] = row_new(r, rx_cursor_int(&c, 0), q->group == 2 ? "team" : "org_unit",
                          rx_arena_strdup(&r->arena, rx_cursor_text(&c, 1)));
        if (!rows[n]) break;
        n++;
    }
    rx_cursor_close(&c);
    if (q->group == 2) { /* records entered without a team */
        rows[n] = row_new(r, 0, "team", r->lang == RX_LANG_EN ? "(no team)" : "（未编队）");
        if (rows[n]) n++;
    }
    return rc < 0 ? -1 : n;
}

/* ------------------------------------------------------------------ JSON */

static double ratio2(double a, double b)
{
    if (b <= 0) return 0;
    double v = a / b;
    return (double)(int64_t)(v * 100 + 0.5) / 100.0;
}

static void figs_json(struct rx_json *w, const struct figs *f, const struct rq *q, double years)
{
    rx_json_kint(w, "person_times", f->person_times);
    rx_json_kint(w, "minutes", f->minutes);
    rx_json_kdouble(w, "hours", rx_hours_2dp(f->minutes));
    rx_json_kint(w, "people_served", f->people_served);
    if (q->party < 0) {
        rx_json_kint(w, "sessions", f->sessions);
        rx_json_kint(w, "audience", f->audience);
    } else {
        rx_json_knull(w, "sessions");
        rx_json_knull(w, "audience");
    }
    rx_json_kint(w, "volunteers", f->volunteers);
    rx_json_kint(w, "party_member_volunteers", f->party_volunteers);
    double vy = (double)f->volunteers * years;
    rx_json_kdouble(w, "participations_per_volunteer_per_year", ratio2((double)f->person_times, vy));
    rx_json_kdouble(w, "hours_per_volunteer_per_year", ratio2((double)f->minutes / 60.0, vy));
}

static void row_json(struct rx_req *r, struct rx_json *w, const struct row *row, const struct rq *q,
                     double years, int with_key)
{
    rx_json_obj(w);
    if (with_key) {
        rx_json_kstr(w, "kind", row->kind);
        if (row->key) rx_json_kint(w, "id", row->key);
        else rx_json_knull(w, "id");
        rx_json_kstr(w, "name", row->name);
    }
    figs_json(w, &row->f, q, years);
    rx_json_key(w, "by_category");
    rx_json_arr(w);
    for (int i = 0; i < row->ncat; i++) {
        const struct cat_info *ci = cat_info(q, row->cats[i].id);
        rx_json_obj(w);
        rx_json_kint(w, "category_id", row->cats[i].id);
        rx_json_kstr(w, "code", ci ? ci->code : NULL);
        rx_json_kstr(w, "name", ci ? (r->lang == RX_LANG_EN && ci->name_en ? ci->name_en : ci->name) : NULL);
        figs_json(w, &row->cats[i].f, q, years);
        rx_json_end(w);
    }
    rx_json_end(w);
    rx_json_end(w);
}

static void head_json(struct rx_json *w, const struct rq *q, double years)
{
    rx_json_key(w, "org_unit");
    rx_json_obj(w);
    rx_json_kint(w, "id", q->node_id);
    rx_json_kstr(w, "name", q->node_name);
    rx_json_kstr(w, "kind", q->node_kind);
    rx_json_end(w);
    rx_json_kstr(w, "from", q->from_s);
    rx_json_kstr(w, "to", q->to_s);
    rx_json_kdouble(w, "years", (double)(int64_t)(years * 10000 + 0.5) / 10000.0);
    rx_json_key(w, "filters");
    rx_json_obj(w);
    if (q->category) rx_json_kint(w, "category", q->category);
    else rx_json_knull(w, "category");
    if (q->team) rx_json_kint(w, "team", q->team);
    else rx_json_knull(w, "team");
    if (q->party >= 0) rx_json_kbool(w, "party_member", q->party);
    else rx_json_knull(w, "party_member");
    rx_json_end(w);
}

/* ------------------------------------------------------------------ tables for export */

static const struct rpt_col summary_cols[] = {
    {"单位/队伍", RX_CELL_TEXT, 24, 0, 0},     {"服务类别", RX_CELL_TEXT, 16, 0, 0},
    {"服务人次", RX_CELL_INT, 10, 0, 0},       {"服务时长（小时）", RX_CELL_HOURS, 14, 0, 1},
    {"服务群众人次", RX_CELL_INT, 12, 0, 0},   {"场次", RX_CELL_INT, 8, 0, 0},
    {"志愿者人数", RX_CELL_INT, 10, 0, 0},     {"党员志愿者人数", RX_CELL_INT, 14, 0, 0},
    {"人均年参与次数", RX_CELL_HOURS, 14, 0, 0}, {"人均年服务时长（小时）", RX_CELL_HOURS, 20, 0, 0},
};
#define SUMMARY_NCOLS 10

static void figs_cells(struct rx_req *r, const char **c, const struct figs *f, const struct rq *q,
                       double years)
{
    double vy = (double)f->volunteers * years;
    c[0] = rx_arena_printf(&r->arena, "%lld", (long long)f->person_times);
    c[1] = rx_arena_printf(&r->arena, "%lld", (long long)f->minutes);
    c[2] = rx_arena_printf(&r->arena, "%lld", (long long)f->people_served);
    c[3] = q->party < 0 ? rx_arena_printf(&r->arena, "%lld", (long long)f->sessions) : NULL;
    c[4] = rx_arena_printf(&r->arena, "%lld", (long long)f->volunteers);
    c[5] = rx_arena_printf(&r->arena, "%lld", (long long)f->party_volunteers);
    c[6] = rx_arena_printf(&r->arena, "%.2f", ratio2((double)f->person_times, vy));
    c[7] = rx_arena_printf(&r->arena, "%.2f", ratio2((double)f->minutes / 60.0, vy));
}

/* Rows: each group (or the total) with all categories, then each category. */
static int summary_cells(struct rx_req *r, const struct rq *q, struct row **rows, int nrows,
                         const struct row *total, double years, const char ***out)
{
    int cap = 0;
    for (int i = 0; i < nrows; i++) cap += 1 + rows[i]->ncat;
    cap += 1 + total->ncat;
    const char **cells = rx_arena_alloc(&r->arena, sizeof(char *) * (size_t)cap * SUMMARY_NCOLS);
    if (!cells) return -1;
    int n = 0;
    for (int i = 0; i <= nrows; i++) {
        const struct row *w = i < nrows ? rows[i] : total;
        const char *name = i < nrows ? w->name : (r->lang == RX_LANG_EN ? "Total" : "合计");
        for (int k = -1; k < w->ncat; k++) {
            const char **c = cells + (size_t)n * SUMMARY_NCOLS;
            const struct cat_info *ci = k >= 0 ? cat_info(q, w->cats[k].id) : NULL;
            c[0] = name;
            c[1] = k < 0 ? (r->lang == RX_LANG_EN ? "All" : "全部") : ci ? ci->name : "";
            figs_cells(r, c + 2, k < 0 ? &w->f : &w->cats[k].f, q, years);
            n++;
        }
    }
    *out = cells;
    return n;
}

/* ------------------------------------------------------------------ summary */

static void summary(struct rx_req *r, int authz)
{
    struct rq q;
    const char *fmt = NULL;
    const char *f = rx_query(r, "format");
    if (!authz && f && strcmp(f, "table") == 0) fmt = "csv"; /* the CLI draws the table */
    else if (rpt_export_format(r, &fmt) < 0) return;
    if (!read_rq(r, &q, authz)) return;
    struct row *total = row_new(r, 0, "total", NULL), **rows = NULL;
    int nrows = 0;
    if (!total) {
        rx_problem(r, 503, "out_of_memory", NULL);
        return;
    }
    if (q.group && (nrows = make_rows(r, &q, &rows)) < 0) {
        rx_problem(r, 500, "internal_error", NULL);
        return;
    }
    int rc = compute(r, &q, &q.from, &q.to, total, rows, nrows);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    double years = rx_period_years(&q.from, &q.to);
    if (fmt) {
        const char **cells;
        int n = summary_cells(r, &q, rows, nrows, total, years, &cells);
        if (n < 0) {
            rx_problem(r, 503, "out_of_memory", NULL);
            return;
        }
        rpt_export_table(r, fmt, "report-summary", summary_cols, SUMMARY_NCOLS, cells, n);
        return;
    }
    struct rx_json *w = rx_json_begin(r);
    rx_json_obj(w);
    head_json(w, &q, years);
    rx_json_key(w, "total");
    row_json(r, w, total, &q, years, 0);
    if (q.group) {
        rx_json_key(w, "rows");
        rx_json_arr(w);
        for (int i = 0; i < nrows; i++) row_json(r, w, rows[i], &q, years, 1);
        rx_json_end(w);
    }
    rx_json_end(w);
    rx_reply(r, 200);
}

void rx_api_report_summary(struct rx_req *r)
{
    summary(r, 1);
}

void rpt_cli_summary(struct rx_req *r)
{
    summary(r, 0);
}

/* ------------------------------------------------------------------ time series */

static const struct rpt_col series_cols[] = {
    {"开始日期", RX_CELL_DATE, 12, 0, 0},      {"结束日期", RX_CELL_DATE, 12, 0, 0},
    {"服务人次", RX_CELL_INT, 10, 0, 0},       {"服务时长（小时）", RX_CELL_HOURS, 14, 0, 1},
    {"服务群众人次", RX_CELL_INT, 12, 0, 0},   {"场次", RX_CELL_INT, 8, 0, 0},
    {"志愿者人数", RX_CELL_INT, 10, 0, 0},     {"党员志愿者人数", RX_CELL_INT, 14, 0, 0},
    {"人均年参与次数", RX_CELL_HOURS, 14, 0, 0}, {"人均年服务时长（小时）", RX_CELL_HOURS, 20, 0, 0},
    {"队伍人数", RX_CELL_INT, 10, 0, 0},       {"累计服务群众人次", RX_CELL_INT, 16, 0, 0},
};
#define SERIES_NCOLS 12

void rx_api_report_timeseries(struct rx_req *r)
{
    struct rq q;
    const char *fmt;
    enum rx_bucket b = RX_BUCKET_MONTH;
    const char *iv = rx_query(r, "interval");
    if (iv && rx_bucket_parse(iv, &b)) rx_field_error(r, "interval", "invalid");
    if (rpt_export_format(r, &fmt) < 0 || !read_rq(r, &q, 1)) return;
    q.group = 0;
    struct rx_date *starts = rx_arena_alloc(&r->arena, sizeof(struct rx_date) * MAX_BUCKETS);
    struct rx_date *ends = rx_arena_alloc(&r->arena, sizeof(struct rx_date) * MAX_BUCKETS);
    int nb = starts && ends ? rx_period_buckets(&q.from, &q.to, b, starts, ends, MAX_BUCKETS) : -1;
    if (nb < 0) {
        rx_field_error(r, "interval", "too_many_points");
        rx_fail_if_field_errors(r);
        return;
    }
    /* People served before the period, for the running total. */
    struct row *before = row_new(r, 0, "total", NULL);
    int64_t cumulative = 0;
    struct rx_date epoch = {1, 1, 1}, prev;
    int rc = RX_OK;
    if (!before) rc = RX_NOMEM;
    if (!rc && rx_timefmt_date_from_days(rx_timefmt_date_to_days(&q.from) - 1, &prev) == RX_TIMEFMT_OK &&
        rx_timefmt_date_cmp(&epoch, &prev) <= 0) {
        rc = compute(r, &q, &epoch, &prev, before, NULL, 0);
        if (!rc) cumulative = before->f.people_served;
    }
    const char **cells = fmt ? rx_arena_alloc(&r->arena, sizeof(char *) * (size_t)nb * SERIES_NCOLS) : NULL;
    struct rx_json *w = fmt ? NULL : rx_json_begin(r);
    if (w) {
        rx_json_obj(w);
        head_json(w, &q, rx_period_years(&q.from, &q.to));
        rx_json_kstr(w, "interval", b == RX_BUCKET_WEEK ? "week" : b == RX_BUCKET_YEAR ? "year" : "month");
        rx_json_key(w, "items");
        rx_json_arr(w);
    }
    for (int i = 0; i < nb && !rc; i++) {
        struct row *t = row_new(r, 0, "total", NULL);
        if (!t || (fmt && !cells)) {
            rc = RX_NOMEM;
            break;
        }
        rc = compute(r, &q, &starts[i], &ends[i], t, NULL, 0);
        if (rc) break;
        char *es = date_s(r, &ends[i]);
        int64_t size = 0;
        rc = rx_db_int(r->db, Q_RPT_TEAM_SIZE_AT,
                       RX_ARGS(RX_T(q.path), q.team ? RX_I(q.team) : RX_NUL, RX_T(es)), &size);
        if (rc) break;
        cumulative += t->f.people_served;
        double years = rx_period_years(&starts[i], &ends[i]);
        if (w) {
            rx_json_obj(w);
            rx_json_kstr(w, "from", date_s(r, &starts[i]));
            rx_json_kstr(w, "to", es);
            figs_json(w, &t->f, &q, years);
            rx_json_kint(w, "team_size", size);
            rx_json_kint(w, "cumulative_people_served", cumulative);
            rx_json_key(w, "by_category");
            rx_json_arr(w);
            for (int k = 0; k < t->ncat; k++) {
                const struct cat_info *ci = cat_info(&q, t->cats[k].id);
                rx_json_obj(w);
                rx_json_kint(w, "category_id", t->cats[k].id);
                rx_json_kstr(w, "code", ci ? ci->code : NULL);
                rx_json_kstr(w, "name", ci ? ci->name : NULL);
                figs_json(w, &t->cats[k].f, &q, years);
                rx_json_end(w);
            }
            rx_json_end(w);
            rx_json_end(w);
        } else {
            const char **c = cells + (size_t)i * SERIES_NCOLS;
            c[0] = date_s(r, &starts[i]);
            c[1] = es;
            figs_cells(r, c + 2, &t->f, &q, years);
            c[10] = rx_arena_printf(&r->arena, "%lld", (long long)size);
            c[11] = rx_arena_printf(&r->arena, "%lld", (long long)cumulative);
        }
    }
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    if (fmt) {
        rpt_export_table(r, fmt, "report-timeseries", series_cols, SERIES_NCOLS, cells, nb);
        return;
    }
    rx_json_end(w);
    rx_json_end(w);
    rx_reply(r, 200);
}

/* ------------------------------------------------------------------ rankings */

void rx_api_report_rankings(struct rx_req *r)
{
    struct rq q;
    const char *fmt;
    const char *by = rx_query(r, "by"), *of = rx_query(r, "of");
    if (!by) by = "hours";
    if (!of) of = "volunteers";
    if (strcmp(by, "hours") != 0 && strcmp(by, "person_times") != 0) rx_field_error(r, "by", "invalid");
    int teams = strcmp(of, "teams") == 0;
    if (!teams && strcmp(of, "volunteers") != 0) rx_field_error(r, "of", "invalid");
    int64_t limit = rx_query_int(r, "limit", 20, 1, 200);
    if (rpt_export_format(r, &fmt) < 0 || !read_rq(r, &q, 1)) return;
    struct rx_val a[14];
    report_args(r, &q, &q.from, &q.to, 0, a);
    a[12] = RX_T(by);
    a[13] = RX_I(limit);
    struct rx_cursor c;
    int rc = rx_db_query(r->db, teams ? Q_RPT_RANK_TEAMS : Q_RPT_RANK_VOLUNTEERS, a, 14, &c);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    static const struct rpt_col vcols[] = {
        {"名次", RX_CELL_INT, 6, 0, 0},     {"姓名", RX_CELL_TEXT, 12, 0, 0},
        {"志愿者编号", RX_CELL_TEXT, 18, 0, 0}, {"服务人次", RX_CELL_INT, 10, 0, 0},
        {"服务时长（小时）", RX_CELL_HOURS, 14, 0, 1}};
    static const struct rpt_col tcols[] = {
        {"名次", RX_CELL_INT, 6, 0, 0},     {"队伍", RX_CELL_TEXT, 24, 0, 0},
        {"所属社区", RX_CELL_TEXT, 18, 0, 0}, {"服务人次", RX_CELL_INT, 10, 0, 0},
        {"服务时长（小时）", RX_CELL_HOURS, 14, 0, 1}, {"服务群众人次", RX_CELL_INT, 12, 0, 0}};
    int nc = teams ? 6 : 5;
    const char **cells = fmt ? rx_arena_alloc(&r->arena, sizeof(char *) * (size_t)limit * (size_t)nc) : NULL;
    struct rx_json *w = fmt ? NULL : rx_json_begin(r);
    if (w) {
        rx_json_obj(w);
        head_json(w, &q, rx_period_years(&q.from, &q.to));
        rx_json_kstr(w, "of", teams ? "teams" : "volunteers");
        rx_json_kstr(w, "by", by);
        rx_json_key(w, "items");
        rx_json_arr(w);
    }
    int n = 0;
    while ((rc = rx_cursor_next(&c)) == 1 && n < limit) {
        int o = teams ? 1 : 0; /* teams have their id first */
        int64_t pt = rx_cursor_int(&c, 2 + o), mi = rx_cursor_int(&c, 3 + o);
        if (w) {
            rx_json_obj(w);
            rx_json_kint(w, "rank", n + 1);
            if (teams) {
                rx_json_kint(w, "team_id", rx_cursor_int(&c, 0));
                rx_json_kstr(w, "name", rx_cursor_text(&c, 1));
                rx_json_kstr(w, "org_unit_name", rx_cursor_text(&c, 2));
            } else {
                rx_json_kstr(w, "name", rx_cursor_text(&c, 0));
                rx_json_kstr(w, "volunteer_no", rx_cursor_text(&c, 1));
            }
            rx_json_kint(w, "person_times", pt);
            rx_json_kint(w, "minutes", mi);
            rx_json_kdouble(w, "hours", rx_hours_2dp(mi));
            if (teams) rx_json_kint(w, "people_served", rx_cursor_int(&c, 5));
            rx_json_end(w);
        } else if (cells) {
            const char **k = cells + (size_t)n * (size_t)nc;
            k[0] = rx_arena_printf(&r->arena, "%d", n + 1);
            k[1] = rx_arena_strdup(&r->arena, rx_cursor_text(&c, o));
            k[2] = rx_cursor_isnull(&c, 1 + o) ? NULL : rx_arena_strdup(&r->arena, rx_cursor_text(&c, 1 + o));
            k[3] = rx_arena_printf(&r->arena, "%lld", (long long)pt);
            k[4] = rx_arena_printf(&r->arena, "%lld", (long long)mi);
            if (teams) k[5] = rx_arena_printf(&r->arena, "%lld", (long long)rx_cursor_int(&c, 5));
        }
        n++;
    }
    rx_cursor_close(&c);
    if (rc < 0) {
        rx_store_problem(r, -rc);
        return;
    }
    if (fmt) {
        if (!cells && n) {
            rx_problem(r, 503, "out_of_memory", NULL);
            return;
        }
        rpt_export_table(r, fmt, teams ? "ranking-teams" : "ranking-volunteers", teams ? tcols : vcols,
                         nc, cells, n);
        return;
    }
    rx_json_end(w);
    rx_json_end(w);
    rx_reply(r, 200);
}

/* ------------------------------------------------------------------ star levels */

static int star_cfg(struct rx_req *r, struct rx_star_config *cfg)
{
    const char *s = r->app->cfg->star_thresholds;
    if (!s || !*s) s = RX_STAR_NATIONAL;
    return rx_star_parse(s, strlen(s), cfg);
}

static void thresholds_json(struct rx_json *w, const struct rx_star_config *cfg)
{
    rx_json_key(w, "thresholds_hours");
    rx_json_arr(w);
    for (int i = 0; i < cfg->count; i++) rx_json_int(w, cfg->hours[i]);
    rx_json_end(w);
}

void rx_api_person_star(struct rx_req *r)
{
    int64_t id = rx_param_id(r, 0);
    if (!id) return;
    struct rx_cursor c;
    int found = 0;
    const char *name = NULL, *path = NULL, *vno = NULL;
    int64_t minutes = 0, times = 0;
    if (rx_first_row(r, rx_db_query(r->db, Q_STAR_PERSON, RX_ARGS(RX_I(id)), &c), &c)) {
        found = 1;
        name = rx_arena_strdup(&r->arena, rx_cursor_text(&c, 1));
        path = rx_cursor_isnull(&c, 2) ? NULL : rx_arena_strdup(&r->arena, rx_cursor_text(&c, 2));
        vno = rx_cursor_isnull(&c, 3) ? NULL : rx_arena_strdup(&r->arena, rx_cursor_text(&c, 3));
        minutes = rx_cursor_int(&c, 4);
        times = rx_cursor_int(&c, 5);
    }
    rx_cursor_close(&c);
    /* The person themself, or whoever may read people of their home community. */
    if (!found || (r->auth.person_id != id && !rx_can(r, RX_PERM_READ_PEOPLE, path))) {
        rx_problem(r, 404, "not_found", NULL);
        return;
    }
    struct rx_star_config cfg;
    struct rx_star_result st;
    if (star_cfg(r, &cfg) || rx_star_level(&cfg, minutes < 0 ? 0 : minutes, &st)) {
        rx_problem(r, 500, "internal_error", "star thresholds");
        return;
    }
    struct rx_json *w = rx_json_begin(r);
    rx_json_obj(w);
    rx_json_kint(w, "person_id", id);
    rx_json_kstr(w, "name", name);
    rx_json_kstr(w, "volunteer_no", vno);
    rx_json_kint(w, "level", st.level);
    rx_json_kint(w, "max_level", cfg.count);
    rx_json_kint(w, "minutes", minutes);
    rx_json_kdouble(w, "hours", rx_hours_2dp(minutes));
    rx_json_kint(w, "person_times", times);
    if (st.level < cfg.count) {
        rx_json_kint(w, "next_level_hours", cfg.hours[st.level]);
        rx_json_kint(w, "minutes_to_next", st.minutes_to_next);
        rx_json_kdouble(w, "hours_to_next", rx_hours_2dp(st.minutes_to_next));
    } else {
        rx_json_knull(w, "next_level_hours");
        rx_json_knull(w, "minutes_to_next");
        rx_json_knull(w, "hours_to_next");
    }
    thresholds_json(w, &cfg);
    rx_json_end(w);
    rx_reply(r, 200);
}

void rx_api_star_reached(struct rx_req *r)
{
    struct rq q;
    const char *fmt;
    if (rpt_export_format(r, &fmt) < 0) return;
    if (!read_rq(r, &q, 0)) return;
    /* Lists people: needs RX_PERM_READ_PEOPLE over the node (404 when out of sight). */
    struct rog_org o;
    if (!rog_org_load(r, q.node_id, RX_PERM_READ_PEOPLE, &o)) return;
    struct rx_star_config cfg;
    if (star_cfg(r, &cfg)) {
        rx_problem(r, 500, "internal_error", "star thresholds");
        return;
    }
    struct rx_cursor c;
    int rc = rx_db_query(r->db, Q_STAR_REACHED, RX_ARGS(RX_T(q.path), RX_T(q.from_s), RX_T(q.to_s)), &c);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    static const struct rpt_col cols[] = {
        {"姓名", RX_CELL_TEXT, 12, 0, 0},       {"志愿者编号", RX_CELL_TEXT, 18, 0, 0},
        {"原星级", RX_CELL_INT, 8, 0, 0},       {"新星级", RX_CELL_INT, 8, 0, 0},
        {"期初累计时长（小时）", RX_CELL_HOURS, 18, 0, 1}, {"期末累计时长（小时）", RX_CELL_HOURS, 18, 0, 1}};
    struct rx_buf cellbuf;
    rx_buf_init(&cellbuf, 64u << 20); /* pointers to arena strings, 6 per row */
    struct rx_json *w = fmt ? NULL : rx_json_begin(r);
    if (w) {
        rx_json_obj(w);
        head_json(w, &q, rx_period_years(&q.from, &q.to));
        thresholds_json(w, &cfg);
        rx_json_key(w, "items");
        rx_json_arr(w);
    }
    int n = 0;
    while ((rc = rx_cursor_next(&c)) == 1) {
        int64_t before = rx_cursor_int(&c, 3), after = rx_cursor_int(&c, 4);
        struct rx_star_result a, b;
        if (rx_star_level(&cfg, before < 0 ? 0 : before, &a) || rx_star_level(&cfg, after < 0 ? 0 : after, &b) ||
            b.level <= a.level)
            continue;
        if (w) {
            rx_json_obj(w);
            rx_json_kint(w, "person_id", rx_cursor_int(&c, 0));
            rx_json_kstr(w, "name", rx_cursor_text(&c, 1));
            rx_json_kstr(w, "volunteer_no", rx_cursor_text(&c, 2));
            rx_json_kint(w, "level_before", a.level);
            rx_json_kint(w, "level", b.level);
            rx_json_kint(w, "minutes_before", before);
            rx_json_kint(w, "minutes", after);
            rx_json_kdouble(w, "hours", rx_hours_2dp(after));
            rx_json_end(w);
        } else {
            const char *k[6] = {rx_arena_strdup(&r->arena, rx_cursor_text(&c, 1)),
                                rx_cursor_isnull(&c, 2) ? NULL : rx_arena_strdup(&r->arena, rx_cursor_text(&c, 2)),
                                rx_arena_printf(&r->arena, "%d", a.level),
                                rx_arena_printf(&r->arena, "%d", b.level),
                                rx_arena_printf(&r->arena, "%lld", (long long)before),
                                rx_arena_printf(&r->arena, "%lld", (long long)after)};
            rx_buf_append(&cellbuf, k, sizeof k);
        }
        n++;
    }
    rx_cursor_close(&c);
    if (rc < 0 || cellbuf.err) {
        rx_buf_free(&cellbuf);
        rx_store_problem(r, rc < 0 ? -rc : RX_NOMEM);
        return;
    }
    if (fmt) {
        rpt_export_table(r, fmt, "star-levels-reached", cols, 6, (const char *const *)cellbuf.data, n);
        rx_buf_free(&cellbuf);
        return;
    }
    rx_buf_free(&cellbuf);
    rx_json_end(w);
    rx_json_end(w);
    rx_reply(r, 200);
}
