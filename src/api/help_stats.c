/* help_stats.c: figures on help requests for reports, per community and period.
 *
 * GET /api/v1/help-requests/stats?org_unit=&from=&to= counts the requests made in the
 * period (Beijing dates, both ends included) under the node, and answers for the whole, per
 * category and per community:
 *   requests, by_state      how many, and where they stand now;
 *   median_minutes_to_accept  from being made to the (latest) acceptance, over those accepted;
 *   median_minutes_to_finish  from being made to done, over those done (done or rated);
 *   done_within_deadline    done, accepted by its accept deadline and, when the resident
 *                           gave a latest time (wanted_to), done by then;
 *   within_deadline_share   that over done (null when none is done);
 *   average_rating          over the rated ones (null when none).
 * Medians are in whole minutes, rounded to the nearest; of an even count, the mean of the
 * two middle values (domain/dispatch.c). Help requests are few next to service records, so
 * this reads them (capped) rather than a rollup. Needs RX_PERM_REPORTS over the node. */
#include "api/help.h"
#include "api/activity.h"
#include "api/authz.h"
#include "api/common.h"
#include "domain/dispatch.h"
#include "domain/helpflow.h"
#include "http/server.h"
#include "lib/timefmt.h"
#include <math.h>
#include <string.h>

#define MAX_ROWS 200000
#define MAX_GROUPS 512

static const char *const states[] = {"submitted", "open",        "dispatched",
                                     "accepted",  "in_progress", "done",
                                     "rated",     "cancelled",   "closed_unresolved"};
#define NSTATES 9

struct row {
    int64_t org, category;
    int state;
    int64_t created, accepted, done, deadline, wanted_to, rating;
};

struct group {
    int64_t id;
    const char *code, *name;
};

static int state_index(const char *s)
{
    for (int i = 0; i < NSTATES; i++)
        if (s && strcmp(s, states[i]) == 0) return i;
    return 0;
}

static void kmedian_minutes(struct rx_json *w, const char *k, int64_t *v, size_t n)
{
    if (!n) {
        rx_json_knull(w, k);
        return;
    }
    int64_t s = rx_dispatch_median(v, n);
    rx_json_kint(w, k, (s + 30) / 60);
}

/* The figures of the rows for which keep(row, key) holds. tmp holds 2 * n values. */
static void figures(struct rx_json *w, const struct row *rows, size_t n, int by, int64_t key,
                    int64_t *tmp)
{
    int64_t count = 0, by_state[NSTATES] = {0}, done = 0, within = 0, rated = 0, rsum = 0;
    int64_t *acc = tmp, *fin = tmp + n;
    size_t na = 0, nf = 0;
    for (size_t i = 0; i < n; i++) {
        const struct row *x = &rows[i];
        if ((by == 1 && x->category != key) || (by == 2 && x->org != key)) continue;
        count++;
        by_state[x->state]++;
        if (x->accepted) acc[na++] = x->accepted - x->created;
        if (x->done && (x->state == 5 || x->state == 6)) {
            done++;
            fin[nf++] = x->done - x->created;
            if (x->accepted && x->accepted <= x->deadline &&
                (!x->wanted_to || x->done <= x->wanted_to))
                within++;
        }
        if (x->rating) {
            rated++;
            rsum += x->rating;
        }
    }
    rx_json_kint(w, "requests", count);
    rx_json_key(w, "by_state");
    rx_json_obj(w);
    for (int i = 0; i < NSTATES; i++)
        rx_json_kint(w, states[i], by_state[i]);
    rx_json_end(w);
    rx_json_kint(w, "accepted", (int64_t)na);
    kmedian_minutes(w, "median_minutes_to_accept", acc, na);
    rx_json_kint(w, "done", done);
    kmedian_minutes(w, "median_minutes_to_finish", fin, nf);
    rx_json_kint(w, "done_within_deadline", within);
    if (done)
        rx_json_kdouble(w, "within_deadline_share",
                        round((double)within / (double)done * 10000) / 10000);
    else
        rx_json_knull(w, "within_deadline_share");
    rx_json_kint(w, "rated", rated);
    if (rated)
        rx_json_kdouble(w, "average_rating", round((double)rsum / (double)rated * 100) / 100);
    else
        rx_json_knull(w, "average_rating");
}

static void sort_groups(struct group *g, int n)
{
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && g[j - 1].id > g[j].id; j--) {
            struct group t = g[j];
            g[j] = g[j - 1];
            g[j - 1] = t;
        }
}

static int find_group(struct group *g, int n, int64_t id)
{
    for (int i = 0; i < n; i++)
        if (g[i].id == id) return i;
    return -1;
}

void rx_api_help_stats(struct rx_req *r)
{
    int64_t org = rx_query_int(r, "org_unit", 0, 1, INT64_MAX);
    int64_t from = 0, to = 0;
    int hf = rx_act_query_time(r, "from", 0, &from);
    int ht = rx_act_query_time(r, "to", 1, &to);
    if (rx_fail_if_field_errors(r)) return;
    if (!org) { /* the caller's first node with reports */
        for (int i = 0; i < r->auth.n_grants && !org; i++)
            if (rx_role_allows(r->auth.grants[i].role, RX_PERM_REPORTS))
                org = r->auth.grants[i].org_id;
        if (!org) {
            rx_field_error(r, "org_unit", "required");
            rx_fail_if_field_errors(r);
            return;
        }
    }
    if (!rx_authz_org(r, RX_PERM_REPORTS, org)) return;
    /* the period: Beijing days, by default the 30 days up to today */
    struct rx_date d;
    if (ht != 1) {
        rx_today(r, &d, NULL);
        to = (rx_timefmt_date_to_days(&d) + 1) * 86400 - RX_TIMEFMT_BEIJING * 60;
    }
    if (hf != 1) from = to - 30 * 86400;
    if (from >= to) {
        rx_field_error(r, "from", "after_to");
        rx_fail_if_field_errors(r);
        return;
    }
    char from_s[RX_TIMEFMT_DATE_SIZE], to_s[RX_TIMEFMT_DATE_SIZE];
    rx_timefmt_date_at(from, RX_TIMEFMT_BEIJING, &d);
    rx_timefmt_date_format(&d, from_s, sizeof from_s);
    rx_timefmt_date_at(to - 1, RX_TIMEFMT_BEIJING, &d);
    rx_timefmt_date_format(&d, to_s, sizeof to_s);

    const char *path = rx_org_path(r, org);
    struct rx_cursor c;
    if (!path) {
        rx_problem(r, 404, "not_found", NULL);
        return;
    }
    int rc = rx_db_query(r->db, Q_HELP_STATS_ROWS,
                         RX_ARGS(RX_T(path), RX_I(from), RX_I(to), RX_I(MAX_ROWS + 1)), &c);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    size_t cap = 1024, n = 0;
    struct row *rows = rx_arena_alloc(&r->arena, cap * sizeof *rows);
    struct group *cats = rx_arena_alloc(&r->arena, MAX_GROUPS * sizeof *cats);
    struct group *orgs = rx_arena_alloc(&r->arena, MAX_GROUPS * sizeof *orgs);
    int ncat = 0, norg = 0, k = 0;
    while (rows && cats && orgs && (k = rx_cursor_next(&c)) == 1) {
        if (n == MAX_ROWS) {
            rx_cursor_close(&c);
            rx_field_error(r, "from", "period_too_large");
            rx_fail_if_field_errors(r);
            return;
        }
        if (n == cap) { /* grow in the arena */
            struct row *more = rx_arena_alloc(&r->arena, 2 * cap * sizeof *rows);
            if (more) memcpy(more, rows, cap * sizeof *rows);
            rows = more;
            cap *= 2;
            if (!rows) break;
        }
        struct row *x = &rows[n++];
        x->org = rx_cursor_int(&c, 0);
        x->category = rx_cursor_int(&c, 2);
        x->state = state_index(rx_cursor_text(&c, 5));
        x->created = rx_cursor_int(&c, 6);
        x->accepted = rx_cursor_int(&c, 7);
        x->done = rx_cursor_int(&c, 8);
        x->deadline = rx_cursor_int(&c, 9);
        x->wanted_to = rx_cursor_int(&c, 10);
        x->rating = rx_cursor_int(&c, 11);
        if (find_group(orgs, norg, x->org) < 0 && norg < MAX_GROUPS)
            orgs[norg++] =
                (struct group){x->org, NULL, rx_arena_strdup(&r->arena, rx_cursor_text(&c, 1))};
        if (find_group(cats, ncat, x->category) < 0 && ncat < MAX_GROUPS)
            cats[ncat++] =
                (struct group){x->category, rx_arena_strdup(&r->arena, rx_cursor_text(&c, 3)),
                               rx_arena_strdup(&r->arena, rx_cursor_text(&c, 4))};
    }
    rx_cursor_close(&c);
    int64_t *tmp = rx_arena_alloc(&r->arena, (2 * n + 1) * sizeof *tmp);
    if (!rows || !cats || !orgs || !tmp) {
        rx_problem(r, 503, "out_of_memory", NULL);
        return;
    }
    if (k < 0) {
        rx_store_problem(r, -k);
        return;
    }
    sort_groups(cats, ncat);
    sort_groups(orgs, norg);
    struct rx_json *w = rx_json_begin(r);
    rx_json_obj(w);
    rx_json_kint(w, "org_unit_id", org);
    rx_json_kstr(w, "from", from_s);
    rx_json_kstr(w, "to", to_s);
    rx_json_key(w, "total");
    rx_json_obj(w);
    figures(w, rows, n, 0, 0, tmp);
    rx_json_end(w);
    rx_json_key(w, "by_category");
    rx_json_arr(w);
    for (int i = 0; i < ncat; i++) {
        rx_json_obj(w);
        rx_json_kint(w, "category_id", cats[i].id);
        rx_json_kstr(w, "category_code", cats[i].code);
        rx_json_kstr(w, "category_name", cats[i].name);
        figures(w, rows, n, 1, cats[i].id, tmp);
        rx_json_end(w);
    }
    rx_json_end(w);
    rx_json_key(w, "by_community");
    rx_json_arr(w);
    for (int i = 0; i < norg; i++) {
        rx_json_obj(w);
        rx_json_kint(w, "org_unit_id", orgs[i].id);
        rx_json_kstr(w, "org_unit_name", orgs[i].name);
        figures(w, rows, n, 2, orgs[i].id, tmp);
        rx_json_end(w);
    }
    rx_json_end(w);
    rx_json_end(w);
    rx_reply(r, 200);
}
