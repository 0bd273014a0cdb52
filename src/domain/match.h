/* match.h: how well a Party member fits a team (根据兴趣和特长分配). Pure functions, no I/O.
 *
 * In: the person's skills (特长) and interests (兴趣), as free tags; the team's name, main
 * service category (code, zh and en names), that category's parent, and the free text of
 * what the team needs and its description. Out: a score and the reasons, each of which can
 * be told in Chinese and English ("特长「理发」与队伍服务类别「义务理发」相符").
 *
 * Each tag counts once, where it matches best (points per place below; a skill weighs more
 * than an interest):
 *     category 10/7, what the team needs 6/4, category's parent 4/3, team name 3/2,
 *     description 3/2.
 * A tag matches a text when, ignoring ASCII case, it is the whole text, or it occurs in it:
 * a Chinese tag of two or more characters anywhere, a Latin tag of two or more letters at
 * the start of a word ("haircut" in "Free haircuts", not "pair" in "repair"). A tag also
 * matches a category whose name it contains ("义务理发服务" ⊇ "义务理发"). Generic words
 * (服务, 志愿者, community ...) never match. */
#ifndef RX_MATCH_H
#define RX_MATCH_H
#include <stddef.h>
#include <stdint.h>

struct rx_match_person {
    const char *const *skills; /* tags, not owned */
    int n_skills;
    const char *const *interests;
    int n_interests;
};

struct rx_match_team { /* any field may be NULL */
    const char *name;
    const char *category_code;
    const char *category_name; /* zh */
    const char *category_name_en;
    const char *parent_code;
    const char *parent_name;
    const char *parent_name_en;
    const char *needs;
    const char *description;
};

enum rx_match_where {
    RX_MATCH_CATEGORY,
    RX_MATCH_NEEDS,
    RX_MATCH_PARENT,
    RX_MATCH_NAME,
    RX_MATCH_DESCRIPTION,
};

struct rx_match_reason {
    int skill;       /* 1: a skill (特长); 0: an interest (兴趣) */
    const char *tag; /* the tag as given (points into the person) */
    enum rx_match_where where;
    int points;
};

#define RX_MATCH_MAX_REASONS 16
struct rx_match_result {
    int score; /* sum of the reasons' points; 0 = no match */
    int n_reasons;
    struct rx_match_reason reasons[RX_MATCH_MAX_REASONS]; /* best first */
};

void rx_match_score(const struct rx_match_person *p, const struct rx_match_team *t,
                    struct rx_match_result *out);

/* Writes the reasons as one text (zh when en = 0, joined with "；"; en joined with "; ")
 * into out (always NUL-terminated, truncated to cap). Returns the length written. */
size_t rx_match_explain(const struct rx_match_result *res, const struct rx_match_team *t, int en,
                        char *out, size_t cap);

/* Choosing among teams: 1 when candidate a is preferred over b — higher score, then the
 * smaller team (it needs people more), then the older team (lower id). */
struct rx_match_candidate {
    int64_t team_id;
    int score;
    int64_t size; /* current members */
};
int rx_match_prefer(const struct rx_match_candidate *a, const struct rx_match_candidate *b);

#endif
