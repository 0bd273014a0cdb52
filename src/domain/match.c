/* match.c: see match.h. Everything here works on UTF-8 bytes without allocating: Chinese
 * text has no case and no word breaks, so only ASCII letters are folded and only Latin
 * tags look for a word start. */
#include "domain/match.h"
#include <stdio.h>
#include <string.h>

/* Points for a match in each place: {skill, interest}, indexed by enum rx_match_where. */
static const int points[][2] = {
    [RX_MATCH_CATEGORY] = {10, 7}, [RX_MATCH_NEEDS] = {6, 4},       [RX_MATCH_PARENT] = {4, 3},
    [RX_MATCH_NAME] = {3, 2},      [RX_MATCH_DESCRIPTION] = {3, 2},
};

/* Words that would match nearly every team. Compared ignoring ASCII case. */
static const char *const stop_words[] = {
    "服务",      "志愿",       "志愿者",       "志愿服务",  "社区",    "活动",
    "队伍",      "队",         "团",           "党员",      "service", "services",
    "volunteer", "volunteers", "volunteering", "community", "team",    NULL,
};

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int is_alnum(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* A tag with its surrounding spaces trimmed. */
struct span {
    const char *s;
    size_t n;
};

static struct span trim(const char *s)
{
    struct span t = {s, s ? strlen(s) : 0};
    while (t.n && (*t.s == ' ' || *t.s == '\t'))
        t.s++, t.n--;
    while (t.n && (t.s[t.n - 1] == ' ' || t.s[t.n - 1] == '\t'))
        t.n--;
    return t;
}

static int eq_ci(const char *a, size_t an, const char *b, size_t bn)
{
    if (an != bn) return 0;
    for (size_t i = 0; i < an; i++)
        if (lower((unsigned char)a[i]) != lower((unsigned char)b[i])) return 0;
    return 1;
}

static int ascii_only(struct span t)
{
    for (size_t i = 0; i < t.n; i++)
        if ((unsigned char)t.s[i] >= 0x80) return 0;
    return 1;
}

static size_t code_points(struct span t)
{
    size_t c = 0;
    for (size_t i = 0; i < t.n; i++)
        if (((unsigned char)t.s[i] & 0xC0) != 0x80) c++;
    return c;
}

static int is_stop_word(struct span t)
{
    for (int i = 0; stop_words[i]; i++)
        if (eq_ci(t.s, t.n, stop_words[i], strlen(stop_words[i]))) return 1;
    return 0;
}

/* 1 when needle (a trimmed tag) matches text per the rules in match.h. */
static int matches(const char *text, struct span needle)
{
    if (!text || !needle.n) return 0;
    size_t tn = strlen(text);
    if (eq_ci(text, tn, needle.s, needle.n)) return 1;
    if (code_points(needle) < 2 || needle.n > tn) return 0;
    int latin = ascii_only(needle);
    for (size_t i = 0; i + needle.n <= tn; i++) {
        if (latin && i > 0 && is_alnum((unsigned char)text[i - 1])) continue;
        if (!latin && ((unsigned char)text[i] & 0xC0) == 0x80) continue; /* not a character start */
        if (eq_ci(text + i, needle.n, needle.s, needle.n)) return 1;
    }
    return 0;
}

/* 1 when the tag contains the whole category name (a longer tag naming the category). */
static int tag_contains(struct span tag, const char *name)
{
    if (!name) return 0;
    struct span n = trim(name);
    if (code_points(n) < 2 || is_stop_word(n)) return 0;
    char buf[512];
    if (tag.n >= sizeof buf) return 0;
    memcpy(buf, tag.s, tag.n);
    buf[tag.n] = 0;
    return matches(buf, n);
}

static int matches_category(struct span tag, const char *code, const char *name, const char *en)
{
    return matches(name, tag) || matches(en, tag) || matches(code, tag) ||
           tag_contains(tag, name) || tag_contains(tag, en);
}

/* Where this tag matches best; -1 when nowhere. */
static int best_place(struct span tag, const struct rx_match_team *t)
{
    if (matches_category(tag, t->category_code, t->category_name, t->category_name_en))
        return RX_MATCH_CATEGORY;
    if (matches(t->needs, tag)) return RX_MATCH_NEEDS;
    if (matches_category(tag, t->parent_code, t->parent_name, t->parent_name_en))
        return RX_MATCH_PARENT;
    if (matches(t->name, tag)) return RX_MATCH_NAME;
    if (matches(t->description, tag)) return RX_MATCH_DESCRIPTION;
    return -1;
}

static int seen_before(const char *const *tags, int k, struct span t)
{
    for (int i = 0; i < k; i++) {
        struct span o = trim(tags[i]);
        if (eq_ci(o.s, o.n, t.s, t.n)) return 1;
    }
    return 0;
}

static void score_tags(const char *const *tags, int n, int skill, const struct rx_match_team *t,
                       struct rx_match_result *out)
{
    for (int i = 0; i < n; i++) {
        struct span tag = trim(tags[i]);
        if (!tag.n || is_stop_word(tag) || seen_before(tags, i, tag)) continue;
        int where = best_place(tag, t);
        if (where < 0) continue;
        int pts = points[where][skill ? 0 : 1];
        out->score += pts;
        if (out->n_reasons >= RX_MATCH_MAX_REASONS) continue;
        /* insert keeping the reasons sorted by points, first come first within equal points */
        int k = out->n_reasons++;
        while (k > 0 && out->reasons[k - 1].points < pts) {
            out->reasons[k] = out->reasons[k - 1];
            k--;
        }
        out->reasons[k] = (struct rx_match_reason){skill, tags[i], (enum rx_match_where)where, pts};
    }
}

void rx_match_score(const struct rx_match_person *p, const struct rx_match_team *t,
                    struct rx_match_result *out)
{
    memset(out, 0, sizeof *out);
    score_tags(p->skills, p->n_skills, 1, t, out);
    score_tags(p->interests, p->n_interests, 0, t, out);
}

/* The longest prefix of s[0..n) that does not end inside a UTF-8 character. */
static size_t utf8_cut(const char *s, size_t n)
{
    size_t p = n;
    while (p > 0 && ((unsigned char)s[p - 1] & 0xC0) == 0x80)
        p--;
    if (p == 0) return 0;
    unsigned char lead = (unsigned char)s[p - 1];
    size_t need = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    return p - 1 + need <= n ? n : p - 1;
}

static const char *or_zh(const char *en, const char *zh)
{
    return en && *en ? en : zh ? zh : "";
}

size_t rx_match_explain(const struct rx_match_result *res, const struct rx_match_team *t, int en,
                        char *out, size_t cap)
{
    size_t len = 0;
    if (!cap) return 0;
    out[0] = 0;
    for (int i = 0; i < res->n_reasons && len + 1 < cap; i++) {
        const struct rx_match_reason *r = &res->reasons[i];
        struct span tag = trim(r->tag);
        int tn = (int)(tag.n > 64 ? 64 : tag.n);
        const char *sep = i == 0 ? "" : en ? "; " : "；";
        const char *who = en ? (r->skill ? "Skill" : "Interest") : (r->skill ? "特长" : "兴趣");
        int w = 0;
        char *o = out + len;
        size_t room = cap - len;
        switch (r->where) {
        case RX_MATCH_CATEGORY:
            w = en ? snprintf(o, room, "%s%s '%.*s' matches the team's category '%s'", sep, who, tn,
                              tag.s, or_zh(t->category_name_en, t->category_name))
                   : snprintf(o, room, "%s%s「%.*s」与队伍服务类别「%s」相符", sep, who, tn, tag.s,
                              t->category_name ? t->category_name : "");
            break;
        case RX_MATCH_NEEDS:
            w = en ? snprintf(o, room, "%s%s '%.*s' is what the team says it needs", sep, who, tn,
                              tag.s)
                   : snprintf(o, room, "%s%s「%.*s」正是队伍所需", sep, who, tn, tag.s);
            break;
        case RX_MATCH_PARENT:
            w = en ? snprintf(o, room, "%s%s '%.*s' matches the team's broader category '%s'", sep,
                              who, tn, tag.s, or_zh(t->parent_name_en, t->parent_name))
                   : snprintf(o, room, "%s%s「%.*s」与队伍服务大类「%s」相符", sep, who, tn, tag.s,
                              t->parent_name ? t->parent_name : "");
            break;
        case RX_MATCH_NAME:
            w = en ? snprintf(o, room, "%s%s '%.*s' matches the team's name '%s'", sep, who, tn,
                              tag.s, t->name ? t->name : "")
                   : snprintf(o, room, "%s%s「%.*s」与队伍名称「%s」相符", sep, who, tn, tag.s,
                              t->name ? t->name : "");
            break;
        case RX_MATCH_DESCRIPTION:
            w = en ? snprintf(o, room, "%s%s '%.*s' appears in the team's description", sep, who,
                              tn, tag.s)
                   : snprintf(o, room, "%s%s「%.*s」见于队伍简介", sep, who, tn, tag.s);
            break;
        }
        if (w < 0) break;
        if ((size_t)w >= room) {
            len = utf8_cut(out, cap - 1);
            out[len] = 0;
            break;
        }
        len += (size_t)w;
    }
    return len;
}

int rx_match_prefer(const struct rx_match_candidate *a, const struct rx_match_candidate *b)
{
    if (a->score != b->score) return a->score > b->score;
    if (a->size != b->size) return a->size < b->size;
    return a->team_id < b->team_id;
}
