/* assignment.c: assigning a branch's Party members to teams by interest and specialty
 * (根据兴趣和特长分配), /api/v1/party-branches/{id}/assignment-proposals[/accept].
 *
 * Proposals: every current member of the branch who is in no current team is scored
 * against every team under the branch's node (its community, or a street committee's whole
 * street) with domain/match.c; the best team is proposed with its reasons in Chinese and
 * English, and up to two runners-up. People whose tags match nothing are listed apart.
 * Nothing is written.
 *
 * Accept: the secretary sends the pairs to keep; all memberships are created in the one
 * write step, so one bad pair (not a member of the branch, a team outside it, a person
 * already in that team) answers 4xx naming the pair and nothing is written. */
#include "api/api.h"
#include "api/authz.h"
#include "api/common.h"
#include "api/input.h"
#include "api/registry_org.h"
#include "domain/match.h"
#include "domain/series.h"
#include <jansson.h>
#include <string.h>

#define MAX_TEAMS 2000   /* candidate teams considered */
#define MAX_MEMBERS 5000 /* Party members proposed for in one answer */
#define MAX_TAGS 32      /* skills (and interests) read per person */
#define MAX_TAG_CHARS 64
#define MAX_ITEMS 1000 /* pairs in one accept */
#define N_ALTERNATIVES 2

struct cand {
    int64_t id;
    int64_t size;
    struct rx_match_team t;
};

static const char *col(struct rx_req *r, struct rx_cursor *c, int i)
{
    return rx_cursor_isnull(c, i) ? NULL : rx_arena_strdup(&r->arena, rx_cursor_text(c, i));
}

/* Reads a JSON array of tags (people.skills / interests) into out; returns how many. */
static int read_tags(json_t *arr, const char **out)
{
    int n = 0;
    size_t i;
    json_t *v;
    if (!json_is_array(arr)) return 0;
    json_array_foreach(arr, i, v)
    {
        if (n >= MAX_TAGS) break;
        if (!json_is_string(v)) continue;
        const char *s = json_string_value(v);
        size_t chars = 0;
        for (const char *p = s; *p; p++)
            if (((unsigned char)*p & 0xC0) != 0x80) chars++;
        if (chars && chars <= MAX_TAG_CHARS) out[n++] = s;
    }
    return n;
}

static void write_reason(struct rx_req *r, struct rx_json *w, const struct rx_match_result *m,
                         const struct rx_match_team *t, int both)
{
    char zh[1024], en[1024];
    rx_match_explain(m, t, 0, zh, sizeof zh);
    rx_match_explain(m, t, 1, en, sizeof en);
    rx_json_kstr(w, "reason", r->lang == RX_LANG_EN ? en : zh);
    if (both) {
        rx_json_kstr(w, "reason_zh", zh);
        rx_json_kstr(w, "reason_en", en);
    }
}

void rx_api_assignment_proposals(struct rx_req *r)
{
    int64_t id = rx_param_id(r, 0);
    const char *bpath;
    if (!id || !rog_branch_path(r, id, RX_PERM_MANAGE_TEAMS, &bpath)) return;
    if (!rx_authz_path(r, RX_PERM_READ_PEOPLE, bpath)) return;
    if (r->json) {
        static const char *const known[] = {NULL};
        if (!rx_in_object(r)) return;
        rx_in_only(r, known);
        if (rx_fail_if_field_errors(r)) return;
    }

    struct cand *teams = rx_req_alloc(r, MAX_TEAMS * sizeof *teams);
    if (!teams) return;
    int nt = 0, got = 0;
    struct rx_cursor c;
    int rc = rx_db_query(r->db, Q_ROG_TEAMS_FOR_MATCH, RX_ARGS(RX_T(bpath), RX_I(MAX_TEAMS)), &c);
    while (!rc && nt < MAX_TEAMS && (got = rx_cursor_next(&c)) == 1) {
        struct cand *k = &teams[nt++];
        k->id = rx_cursor_int(&c, 0);
        k->t = (struct rx_match_team){col(r, &c, 1), col(r, &c, 2), col(r, &c, 3),
                                      col(r, &c, 4), col(r, &c, 5), col(r, &c, 6),
                                      col(r, &c, 7), col(r, &c, 8), col(r, &c, 9)};
        k->size = rx_cursor_int(&c, 10);
    }
    rx_cursor_close(&c);
    if (!rc && got < 0) rc = -got;
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }

    struct rx_json *w = rx_json_begin(r);
    rx_json_obj(w);
    rx_json_kint(w, "branch_id", id);
    rx_json_key(w, "items");
    rx_json_arr(w);
    /* people without any match are written after the proposals: remember them */
    int64_t *lone_id = rx_arena_alloc(&r->arena, MAX_MEMBERS * sizeof *lone_id);
    const char **lone_name = rx_arena_alloc(&r->arena, MAX_MEMBERS * sizeof *lone_name);
    struct rx_match_result *res = rx_arena_alloc(&r->arena, MAX_TEAMS * sizeof *res);
    if (!lone_id || !lone_name || !res) {
        rx_problem(r, 503, "out_of_memory", NULL);
        return;
    }
    int n_lone = 0;
    rc = rx_db_query(r->db, Q_ROG_BRANCH_FREE_MEMBERS, RX_ARGS(RX_I(id), RX_I(MAX_MEMBERS)), &c);
    while (!rc && (got = rx_cursor_next(&c)) == 1) {
        int64_t pid = rx_cursor_int(&c, 0);
        const char *pname = col(r, &c, 1);
        json_t *skills = json_loads(rx_cursor_text(&c, 2) ? rx_cursor_text(&c, 2) : "[]", 0, NULL);
        json_t *interests =
            json_loads(rx_cursor_text(&c, 3) ? rx_cursor_text(&c, 3) : "[]", 0, NULL);
        const char *sk[MAX_TAGS], *in[MAX_TAGS];
        struct rx_match_person p = {sk, read_tags(skills, sk), in, read_tags(interests, in)};
        /* the best N_ALTERNATIVES + 1 teams, best first */
        int best[N_ALTERNATIVES + 1], nb = 0;
        for (int k = 0; k < nt; k++) {
            rx_match_score(&p, &teams[k].t, &res[k]);
            if (res[k].score <= 0) continue;
            struct rx_match_candidate ck = {teams[k].id, res[k].score, teams[k].size};
            int pos = nb;
            while (pos > 0) {
                int j = best[pos - 1];
                struct rx_match_candidate cj = {teams[j].id, res[j].score, teams[j].size};
                if (!rx_match_prefer(&ck, &cj)) break;
                pos--;
            }
            if (pos > N_ALTERNATIVES) continue;
            if (nb < N_ALTERNATIVES + 1) nb++;
            memmove(&best[pos + 1], &best[pos], (size_t)(nb - 1 - pos) * sizeof best[0]);
            best[pos] = k;
        }
        if (!nb) {
            lone_id[n_lone] = pid;
            lone_name[n_lone++] = pname;
        } else {
            const struct cand *top = &teams[best[0]];
            rx_json_obj(w);
            rx_json_kint(w, "person_id", pid);
            rx_json_kstr(w, "person_name", pname);
            rx_json_kint(w, "team_id", top->id);
            rx_json_kstr(w, "team_name", top->t.name);
            rx_json_kint(w, "score", res[best[0]].score);
            write_reason(r, w, &res[best[0]], &top->t, 1);
            rx_json_key(w, "alternatives");
            rx_json_arr(w);
            for (int b = 1; b < nb; b++) {
                rx_json_obj(w);
                rx_json_kint(w, "team_id", teams[best[b]].id);
                rx_json_kstr(w, "team_name", teams[best[b]].t.name);
                rx_json_kint(w, "score", res[best[b]].score);
                write_reason(r, w, &res[best[b]], &teams[best[b]].t, 0);
                rx_json_end(w);
            }
            rx_json_end(w);
            rx_json_end(w);
        }
        json_decref(skills);
        json_decref(interests);
    }
    rx_cursor_close(&c);
    if (!rc && got < 0) rc = -got;
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    rx_json_end(w);
    rx_json_key(w, "unmatched");
    rx_json_arr(w);
    for (int i = 0; i < n_lone; i++) {
        rx_json_obj(w);
        rx_json_kint(w, "person_id", lone_id[i]);
        rx_json_kstr(w, "person_name", lone_name[i]);
        rx_json_end(w);
    }
    rx_json_end(w);
    rx_json_end(w);
    rx_reply(r, 200);
}

void rx_api_assignment_accept(struct rx_req *r)
{
    int64_t id = rx_param_id(r, 0);
    const char *bpath;
    if (!id || !rx_in_object(r) || !rog_branch_path(r, id, RX_PERM_MANAGE_TEAMS, &bpath)) return;
    static const char *const known[] = {"items", "joined_on", NULL};
    const char *joined = rx_in_date(r, "joined_on", 0, 32, NULL);
    rx_in_only(r, known);
    json_t *items = json_object_get(r->json, "items");
    size_t n = json_is_array(items) ? json_array_size(items) : 0;
    if (items && !json_is_null(items) && !json_is_array(items))
        rx_field_error(r, "items", "wrong_type");
    else if (n == 0) /* absent, null or empty */
        rx_field_error(r, "items", "required");
    else if (n > MAX_ITEMS)
        rx_field_error(r, "items", "out_of_range");
    if (rx_fail_if_field_errors(r)) return;

    int64_t *person = rx_arena_alloc(&r->arena, n * sizeof *person);
    int64_t *team = rx_arena_alloc(&r->arena, n * sizeof *team);
    if (!person || !team) {
        rx_problem(r, 503, "out_of_memory", NULL);
        return;
    }
    /* shape of each pair */
    for (size_t i = 0; i < n; i++) {
        json_t *it = json_array_get(items, i);
        const char *fp = rx_arena_printf(&r->arena, "items[%zu].person_id", i);
        const char *ft = rx_arena_printf(&r->arena, "items[%zu].team_id", i);
        json_t *p = json_is_object(it) ? json_object_get(it, "person_id") : NULL;
        json_t *t = json_is_object(it) ? json_object_get(it, "team_id") : NULL;
        if (!json_is_object(it)) {
            rx_field_error(r, rx_arena_printf(&r->arena, "items[%zu]", i), "wrong_type");
            continue;
        }
        if (json_object_size(it) != (size_t)!!p + (size_t)!!t)
            rx_field_error(r, rx_arena_printf(&r->arena, "items[%zu]", i), "unknown_field");
        person[i] = json_is_integer(p) && json_integer_value(p) > 0 ? json_integer_value(p) : 0;
        team[i] = json_is_integer(t) && json_integer_value(t) > 0 ? json_integer_value(t) : 0;
        if (!person[i]) rx_field_error(r, fp, p ? "wrong_type" : "required");
        if (!team[i]) rx_field_error(r, ft, t ? "wrong_type" : "required");
    }
    if (rx_fail_if_field_errors(r)) return;
    /* teams: visible, under the branch's node, managed by the caller */
    for (size_t i = 0; i < n; i++) {
        const char *tpath;
        const char *ft = rx_arena_printf(&r->arena, "items[%zu].team_id", i);
        if (!rog_team_path(r, team[i], &tpath) || !rx_can(r, RX_PERM_READ_ORG, tpath))
            rx_field_error(r, ft, "not_found_ref");
        else if (strncmp(tpath, bpath, strlen(bpath)) != 0)
            rx_field_error(r, ft, "team_outside_branch");
        else if (!rx_can(r, RX_PERM_MANAGE_TEAMS, tpath))
            rx_field_error(r, ft, "forbidden");
    }
    if (rx_fail_if_field_errors(r)) return;
    /* people: current members of this branch */
    for (size_t i = 0; i < n; i++) {
        int64_t is_member = 0;
        if (rx_int_checked(r, rx_db_int(r->db, Q_ROG_BRANCH_HAS_MEMBER,
                                        RX_ARGS(RX_I(id), RX_I(person[i])), &is_member)))
            return;
        if (!is_member)
            rx_field_error(r, rx_arena_printf(&r->arena, "items[%zu].person_id", i),
                           "not_branch_member");
    }
    if (r->n_field_errors) {
        rx_problem(r, 409, "conflict", NULL);
        return;
    }
    char today_s[RX_TIMEFMT_DATE_SIZE];
    rx_today(r, NULL, today_s);
    int64_t *mid = rx_req_alloc(r, n * sizeof *mid);
    if (!mid) return;
    for (size_t i = 0; i < n; i++)
        if (rog_team_join(r, team[i], person[i], "member", joined ? joined : today_s,
                          rx_arena_printf(&r->arena, "items[%zu].person_id", i), &mid[i]))
            return; /* answered 409; the step's savepoint undoes the pairs before it */
    struct rx_json *w = rx_json_begin(r);
    rx_json_obj(w);
    rx_json_kint(w, "branch_id", id);
    rx_json_kstr(w, "joined_on", joined ? joined : today_s);
    rx_json_key(w, "items");
    rx_json_arr(w);
    for (size_t i = 0; i < n; i++) {
        rx_json_obj(w);
        rx_json_kint(w, "member_id", mid[i]);
        rx_json_kint(w, "person_id", person[i]);
        rx_json_kint(w, "team_id", team[i]);
        rx_json_end(w);
    }
    rx_json_end(w);
    rx_json_end(w);
    rx_reply(r, 201);
}
