/* dispatch.h: who to suggest for a help request (派单建议). Pure functions, no I/O.
 *
 * In: the request's category (and its parent), its community's place in the organisation
 * tree, and the time it suits; for each candidate volunteer their skill tags, their home
 * community, their weekly availability, whether a confirmed sign-up overlaps that time, and
 * how many requests they have accepted and not finished (load).
 *
 * A candidate is suggested when one of their skills matches the category (domain/match.c's
 * rules: the category itself is a strong match, its parent a weak one) and they are free:
 * no overlapping sign-up, and, when they gave weekly availability, some of the requested
 * time falls in it. Suggestions are ordered by tree distance between their home community
 * and the request's (0 the same community, 2 a sibling under the same street, 4 another
 * street of the same district ...), then load, then the stronger skill match, then id. */
#ifndef RX_DISPATCH_H
#define RX_DISPATCH_H
#include <stddef.h>
#include <stdint.h>

/* Number of edges between two nodes given by their paths ('/1/5/9/'); -1 when either is not
 * such a path. */
int rx_dispatch_tree_distance(const char *a, const char *b);

struct rx_dispatch_category { /* any field may be NULL */
    const char *code, *name, *name_en;
    const char *parent_code, *parent_name, *parent_name_en;
};
enum { RX_DISPATCH_SKILL_NONE = 0, RX_DISPATCH_SKILL_PARENT = 1, RX_DISPATCH_SKILL_CATEGORY = 2 };
/* How well the skills match the category (RX_DISPATCH_SKILL_*); *tag (may be NULL) gets the
 * matching tag (pointing into skills) or NULL. */
int rx_dispatch_skill(const char *const *skills, int n, const struct rx_dispatch_category *c,
                      const char **tag);

/* A weekly slot of availability, Beijing time: ISO weekday 1 (Monday) .. 7, minutes of the
 * day [from, to). to <= from means the slot runs past midnight into the next day. */
struct rx_dispatch_slot {
    int weekday;
    int from, to;
};
/* Parses "HH:MM" (00:00 .. 24:00) into minutes of the day; -1 when malformed. */
int rx_dispatch_minutes(const char *hhmm);
/* 1 when some of [from, to) (unix seconds) falls into one of the slots; also 1 when there
 * are no slots (nothing said) or no time (from >= to). Looks at most 8 days ahead. */
int rx_dispatch_available(const struct rx_dispatch_slot *slots, int n, int64_t from, int64_t to);

struct rx_dispatch_candidate {
    int64_t person_id;
    int distance; /* rx_dispatch_tree_distance to the request's community */
    int load;     /* requests accepted or in progress */
    int skill;    /* RX_DISPATCH_SKILL_* */
};
/* qsort comparator: the order described at the top. */
int rx_dispatch_cmp(const void *a, const void *b);
void rx_dispatch_sort(struct rx_dispatch_candidate *c, size_t n);

/* Median of v[0..n) (sorted in place); the mean of the two middle values, rounded down,
 * when n is even. 0 when n is 0. */
int64_t rx_dispatch_median(int64_t *v, size_t n);

#endif
