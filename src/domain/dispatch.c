/* dispatch.c: see dispatch.h. */
#include "domain/dispatch.h"
#include "domain/match.h"
#include "domain/orgtree.h"
#include "lib/timefmt.h"
#include <stdlib.h>
#include <string.h>

int rx_dispatch_tree_distance(const char *a, const char *b)
{
    int da = rx_orgtree_path_depth(a), db = rx_orgtree_path_depth(b);
    if (da < 0 || db < 0) return -1;
    /* common prefix, counted in whole segments */
    int common = 0;
    size_t i = 1; /* both start with '/' */
    for (;;) {
        const char *ea = strchr(a + i, '/'), *eb = strchr(b + i, '/');
        if (!ea || !eb) break;
        size_t la = (size_t)(ea - (a + i)), lb = (size_t)(eb - (b + i));
        if (la != lb || memcmp(a + i, b + i, la) != 0) break;
        common++;
        i += la + 1;
    }
    return da + db - 2 * common;
}

int rx_dispatch_skill(const char *const *skills, int n, const struct rx_dispatch_category *c,
                      const char **tag)
{
    if (tag) *tag = NULL;
    if (!skills || n <= 0 || !c) return RX_DISPATCH_SKILL_NONE;
    struct rx_match_person p = {.skills = skills, .n_skills = n};
    struct rx_match_team t = {
        .category_code = c->code,
        .category_name = c->name,
        .category_name_en = c->name_en,
        .parent_code = c->parent_code,
        .parent_name = c->parent_name,
        .parent_name_en = c->parent_name_en,
    };
    struct rx_match_result res;
    rx_match_score(&p, &t, &res);
    int best = RX_DISPATCH_SKILL_NONE;
    for (int i = 0; i < res.n_reasons; i++) {
        int s = res.reasons[i].where == RX_MATCH_CATEGORY ? RX_DISPATCH_SKILL_CATEGORY
                : res.reasons[i].where == RX_MATCH_PARENT ? RX_DISPATCH_SKILL_PARENT
                                                          : RX_DISPATCH_SKILL_NONE;
        if (s > best) {
            best = s;
            if (tag) *tag = res.reasons[i].tag;
        }
    }
    return best;
}

int rx_dispatch_minutes(const char *s)
{
    if (!s || strlen(s) != 5 || s[2] != ':') return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9')) return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0)) return -1;
    return h * 60 + m;
}

/* Does [a0, a1) meet [b0, b1)? */
static int meets(int64_t a0, int64_t a1, int64_t b0, int64_t b1)
{
    return a0 < b1 && b0 < a1;
}

int rx_dispatch_available(const struct rx_dispatch_slot *slots, int n, int64_t from, int64_t to)
{
    if (n <= 0 || from >= to) return 1;
    const int64_t off = (int64_t)RX_TIMEFMT_BEIJING * 60;
    /* local day numbers of the window; a slot of day d covers [d*86400 + from*60, ...) */
    int64_t lf = from + off, lt = to + off;
    int64_t d0 = (lf >= 0 ? lf : lf - 86399) / 86400,
            d1 = (lt - 1 >= 0 ? lt - 1 : lt - 86400) / 86400;
    if (d1 - d0 > 7) d1 = d0 + 7;
    /* start a day early: yesterday's slot may run past midnight */
    for (int64_t d = d0 - 1; d <= d1; d++) {
        int wd = (int)(((d % 7) + 7 + 3) % 7) + 1; /* 1970-01-01 was a Thursday (4) */
        for (int i = 0; i < n; i++) {
            const struct rx_dispatch_slot *s = &slots[i];
            if (s->weekday != wd || s->from < 0 || s->to < 0) continue;
            int64_t s0 = d * 86400 + (int64_t)s->from * 60;
            int64_t s1 = d * 86400 + (int64_t)s->to * 60;
            if (s->to <= s->from) s1 += 86400;
            if (meets(lf, lt, s0, s1)) return 1;
        }
    }
    return 0;
}

int rx_dispatch_cmp(const void *pa, const void *pb)
{
    const struct rx_dispatch_candidate *a = pa, *b = pb;
    if (a->distance != b->distance) return a->distance < b->distance ? -1 : 1;
    if (a->load != b->load) return a->load < b->load ? -1 : 1;
    if (a->skill != b->skill) return a->skill > b->skill ? -1 : 1;
    if (a->person_id != b->person_id) return a->person_id < b->person_id ? -1 : 1;
    return 0;
}

void rx_dispatch_sort(struct rx_dispatch_candidate *c, size_t n)
{
    if (c && n > 1) qsort(c, n, sizeof *c, rx_dispatch_cmp);
}

static int cmp_i64(const void *pa, const void *pb)
{
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    return a < b ? -1 : a > b;
}

int64_t rx_dispatch_median(int64_t *v, size_t n)
{
    if (!v || n == 0) return 0;
    qsort(v, n, sizeof *v, cmp_i64);
    if (n % 2) return v[n / 2];
    int64_t a = v[n / 2 - 1], b = v[n / 2];
    int64_t s = a / 2 + b / 2 + (a % 2 + b % 2) / 2; /* no overflow */
    return s;
}
