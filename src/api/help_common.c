/* help_common.c: what the help-request files share (see help.h): loading a request, the
 * caller's relation to it, writing it as the caller may see it, the invalid_transition
 * problem, notification payloads and recipients. */
#include "api/help.h"
#include "api/activity.h"
#include "api/authz.h"
#include "api/common.h"
#include "domain/helpflow.h"
#include "domain/phone.h"
#include "domain/roles.h"
#include "http/server.h"
#include "lib/alloc.h"
#include "lib/timefmt.h"
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ loading */

static const char *dup_text(struct rx_req *r, struct rx_cursor *c, int i)
{
    const char *s = rx_cursor_text(c, i);
    return rx_arena_strdup(&r->arena, s ? s : "");
}

int rx_help_load(struct rx_req *r, int64_t id, struct rx_help *h)
{
    struct rx_cursor c;
    memset(h, 0, sizeof *h);
    int rc = rx_db_query(r->db, Q_HELP_FACTS, RX_ARGS(RX_I(id)), &c);
    if (rc) return rc;
    int k = rx_cursor_next(&c);
    if (k == 1) {
        h->id = rx_cursor_int(&c, 0);
        h->org_unit_id = rx_cursor_int(&c, 1);
        h->path = dup_text(r, &c, 2);
        h->person_id = rx_cursor_int(&c, 3);
        h->registered_by = rx_cursor_int(&c, 4);
        h->category_id = rx_cursor_int(&c, 5);
        h->assignee_person = rx_cursor_int(&c, 6);
        h->assignee_team = rx_cursor_int(&c, 7);
        h->state = dup_text(r, &c, 8);
        h->urgency = dup_text(r, &c, 9);
        h->wanted_from = rx_cursor_int(&c, 10);
        h->wanted_to = rx_cursor_int(&c, 11);
        h->need = dup_text(r, &c, 12);
        h->parent_org = rx_cursor_int(&c, 13);
        h->district_org = rx_cursor_int(&c, 14);
        h->accept_deadline = rx_cursor_int(&c, 15);
        h->opened_at = rx_cursor_int(&c, 16);
        h->on_behalf = (int)rx_cursor_int(&c, 17);
    }
    rx_cursor_close(&c);
    if (k < 0) return -k;
    if (k == 0) return RX_NOTFOUND;
    if (!h->path || !h->state || !h->urgency || !h->need) return RX_NOMEM;
    return RX_OK;
}

/* ------------------------------------------------------------------ relations */

int rx_help_is_requester(struct rx_req *r, const struct rx_help *h)
{
    return (r->auth.person_id && r->auth.person_id == h->person_id) ||
           (r->auth.user_id && r->auth.user_id == h->registered_by);
}

int rx_help_is_dispatcher(struct rx_req *r, const struct rx_help *h)
{
    return rx_can(r, RX_PERM_DISPATCH, h->path);
}

int rx_help_is_staff(struct rx_req *r, const struct rx_help *h)
{
    return rx_can(r, RX_PERM_DISPATCH, h->path) || rx_can(r, RX_PERM_READ_PEOPLE, h->path);
}

int rx_help_is_assignee(struct rx_req *r, const struct rx_help *h)
{
    if (!r->auth.person_id) return 0;
    if (h->assignee_person) return h->assignee_person == r->auth.person_id;
    return h->assignee_team && rx_act_leads_team(r, h->assignee_team);
}

int rx_help_in_team(struct rx_req *r, const struct rx_help *h)
{
    if (!r->auth.person_id || !h->assignee_team) return 0;
    int64_t n = 0;
    int rc = rx_db_int(r->db, Q_TEAM_HAS_MEMBER,
                       RX_ARGS(RX_I(h->assignee_team), RX_I(r->auth.person_id)), &n);
    if (rc) {
        rx_store_problem(r, rc); /* answered 5xx; no later answer replaces it */
        return 0;
    }
    return n > 0 || rx_act_leads_team(r, h->assignee_team);
}

int rx_help_is_eligible(struct rx_req *r, const struct rx_help *h)
{
    if (!r->auth.person_id || r->auth.person_id == h->person_id) return 0;
    int64_t n = 0;
    int rc = rx_db_int(r->db, Q_HELP_ELIGIBLE, RX_ARGS(RX_I(r->auth.person_id), RX_I(h->org_unit_id)),
                       &n);
    if (rc) rx_store_problem(r, rc); /* answered 5xx; no later answer replaces it */
    return !rc && n > 0;
}

int rx_help_visible(struct rx_req *r, const struct rx_help *h)
{
    return rx_help_is_requester(r, h) || rx_help_is_staff(r, h) || rx_help_is_assignee(r, h) ||
           rx_help_in_team(r, h) || (strcmp(h->state, "open") == 0 && rx_help_is_eligible(r, h));
}

int rx_help_load_visible(struct rx_req *r, struct rx_help *h)
{
    int64_t id = rx_param_id(r, 0);
    if (!id) return 0;
    int rc = rx_help_load(r, id, h);
    return rx_load_seen(r, rc, rc == RX_OK && rx_help_visible(r, h));
}

const char *rx_help_pool_path(struct rx_req *r, const struct rx_help *h)
{
    const char *path = h->district_org ? rx_org_path(r, h->district_org) : NULL;
    return path ? path : h->path;
}

/* ------------------------------------------------------------------ writing a request */

/* Columns of HELP_ROW (queries_help.def). */
enum {
    C_ID,
    C_ORG,
    C_ORG_NAME,
    C_PATH,
    C_PERSON,
    C_PERSON_NAME,
    C_REG_BY,
    C_REG_BY_NAME,
    C_ON_BEHALF,
    C_CATEGORY,
    C_CAT_CODE,
    C_CAT_NAME,
    C_NEED,
    C_DETAILS,
    C_ADDRESS,
    C_PHONE,
    C_FROM,
    C_TO,
    C_URGENCY,
    C_VULNERABLE,
    C_STATE,
    C_ASSIGNEE,
    C_ASSIGNEE_NAME,
    C_ASSIGNEE_NO,
    C_TEAM,
    C_TEAM_NAME,
    C_DEADLINE,
    C_ESCALATED,
    C_STALLED_AT,
    C_PROGRESS,
    C_OUTCOME,
    C_RATING,
    C_RATING_COMMENT,
    C_RATED_AT,
    C_DISPATCHED_AT,
    C_OPENED_AT,
    C_ACCEPTED_AT,
    C_STARTED_AT,
    C_DONE_AT,
    C_CLOSED_AT,
    C_CREATED_AT,
    C_UPDATED_AT,
    C_IS_ASSIGNEE,
    C_TEAM_REL,
    C_HOME_PATH,
};

static void kint(struct rx_json *w, struct rx_cursor *c, const char *k, int col)
{
    if (rx_cursor_isnull(c, col))
        rx_json_knull(w, k);
    else
        rx_json_kint(w, k, rx_cursor_int(c, col));
}

static void ktime(struct rx_json *w, struct rx_cursor *c, const char *k, int col)
{
    if (rx_cursor_isnull(c, col)) {
        rx_json_knull(w, k);
        return;
    }
    char buf[RX_TIMEFMT_RFC3339_SIZE];
    rx_act_time(rx_cursor_int(c, col), buf);
    rx_json_kstr(w, k, buf);
}

/* The first character and two stars: "张**". */
static void kmasked(struct rx_json *w, const char *k, const char *name)
{
    if (!name || !*name) {
        rx_json_knull(w, k);
        return;
    }
    size_t n = 1;
    while (name[n] && ((unsigned char)name[n] & 0xC0) == 0x80)
        n++;
    char buf[16];
    if (n > 4) n = 4;
    memcpy(buf, name, n);
    memcpy(buf + n, "**", 3);
    rx_json_kstr(w, k, buf);
}

void rx_help_write_fields(struct rx_req *r, struct rx_json *w, struct rx_cursor *c)
{
    const char *path = rx_cursor_text(c, C_PATH);
    const char *state = rx_cursor_text(c, C_STATE);
    int64_t person = rx_cursor_int(c, C_PERSON), reg_by = rx_cursor_int(c, C_REG_BY);
    int staff = rx_can(r, RX_PERM_DISPATCH, path) || rx_can(r, RX_PERM_READ_PEOPLE, path);
    int own = (r->auth.person_id && person == r->auth.person_id) || reg_by == r->auth.user_id;
    int assignee = rx_cursor_int(c, C_IS_ASSIGNEE) != 0;
    int64_t team_rel = rx_cursor_int(c, C_TEAM_REL);
    /* the requester's name, address and phone: for those who deal with it, not for
     * volunteers browsing open requests */
    int full = staff || own || assignee || team_rel > 0;
    /* the sensitive right at the request's community and at the person's own */
    const char *home = rx_cursor_text(c, C_HOME_PATH);
    int sensitive =
        rx_can(r, RX_PERM_SENSITIVE, path) && (!home || rx_can(r, RX_PERM_SENSITIVE, home));

    rx_json_kint(w, "id", rx_cursor_int(c, C_ID));
    rx_json_kint(w, "org_unit_id", rx_cursor_int(c, C_ORG));
    rx_json_kstr(w, "org_unit_name", rx_cursor_text(c, C_ORG_NAME));
    if (full) {
        rx_json_kint(w, "person_id", person);
        rx_json_kstr(w, "person_name", rx_cursor_text(c, C_PERSON_NAME));
        rx_json_kint(w, "registered_by", reg_by);
        rx_json_kstr(w, "registered_by_name", rx_cursor_text(c, C_REG_BY_NAME));
    } else {
        rx_json_knull(w, "person_id");
        kmasked(w, "person_name", rx_cursor_text(c, C_PERSON_NAME));
        rx_json_knull(w, "registered_by");
        rx_json_knull(w, "registered_by_name");
    }
    rx_json_kbool(w, "on_behalf", rx_cursor_int(c, C_ON_BEHALF) != 0);
    rx_json_kint(w, "category_id", rx_cursor_int(c, C_CATEGORY));
    rx_json_kstr(w, "category_code", rx_cursor_text(c, C_CAT_CODE));
    rx_json_kstr(w, "category_name", rx_cursor_text(c, C_CAT_NAME));
    rx_json_kstr(w, "need", rx_cursor_text(c, C_NEED));
    rx_json_kstr(w, "details", full ? rx_cursor_text(c, C_DETAILS) : NULL);
    rx_json_kstr(w, "address", full ? rx_cursor_text(c, C_ADDRESS) : NULL);
    /* the phone in full for those who call: the requester, the assignee and the community's
     * own staff; staff above the community (street, district) see it masked, as they see
     * people's phones (full phones need RX_PERM_SENSITIVE there, DESIGN.md §6) */
    const char *phone = full ? rx_cursor_text(c, C_PHONE) : NULL;
    char masked[RX_PHONE_SIZE];
    if (phone && !(own || assignee || team_rel > 0 || rx_can(r, RX_PERM_SENSITIVE, path)))
        phone = rx_phone_mask(phone, strlen(phone), masked, sizeof masked) == RX_PHONE_OK ? masked
                                                                                         : NULL;
    rx_json_kstr(w, "contact_phone", phone);
    ktime(w, c, "wanted_from", C_FROM);
    ktime(w, c, "wanted_to", C_TO);
    rx_json_kstr(w, "urgency", rx_cursor_text(c, C_URGENCY));
    rx_json_key(w, "vulnerable");
    const char *vul = rx_cursor_text(c, C_VULNERABLE);
    if (sensitive && vul)
        rx_json_raw(w, vul, strlen(vul));
    else
        rx_json_null(w);
    rx_json_kstr(w, "state", state);
    kint(w, c, "assignee_person_id", C_ASSIGNEE);
    rx_json_kstr(w, "assignee_name", rx_cursor_text(c, C_ASSIGNEE_NAME));
    rx_json_kstr(w, "assignee_volunteer_no", rx_cursor_text(c, C_ASSIGNEE_NO));
    kint(w, c, "assignee_team_id", C_TEAM);
    rx_json_kstr(w, "assignee_team_name", rx_cursor_text(c, C_TEAM_NAME));
    ktime(w, c, "accept_deadline_at", C_DEADLINE);
    rx_json_kbool(w, "overdue", rx_help_overdue(state, rx_cursor_int(c, C_DEADLINE), r->now) != 0);
    ktime(w, c, "escalated_at", C_ESCALATED);
    rx_json_kbool(w, "stalled", rx_help_stalled(state, rx_cursor_int(c, C_PROGRESS), r->now) != 0);
    ktime(w, c, "stalled_at", C_STALLED_AT);
    rx_json_kstr(w, "outcome", rx_cursor_text(c, C_OUTCOME));
    kint(w, c, "rating", C_RATING);
    rx_json_kstr(w, "rating_comment", rx_cursor_text(c, C_RATING_COMMENT));
    ktime(w, c, "rated_at", C_RATED_AT);
    ktime(w, c, "dispatched_at", C_DISPATCHED_AT);
    ktime(w, c, "opened_at", C_OPENED_AT);
    ktime(w, c, "accepted_at", C_ACCEPTED_AT);
    ktime(w, c, "started_at", C_STARTED_AT);
    ktime(w, c, "done_at", C_DONE_AT);
    ktime(w, c, "closed_at", C_CLOSED_AT);
    ktime(w, c, "created_at", C_CREATED_AT);
    ktime(w, c, "updated_at", C_UPDATED_AT);
}

void rx_help_answer(struct rx_req *r, int64_t id, int status)
{
    struct rx_cursor c;
    int64_t me = r->auth.person_id;
    int rc = rx_db_query(r->db, Q_HELP_ROW, RX_ARGS(me ? RX_I(me) : RX_NUL, RX_I(id)), &c);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    int k = rx_cursor_next(&c);
    struct rx_json *w = rx_json_begin(r);
    if (k == 1) {
        rx_json_obj(w);
        rx_help_write_fields(r, w, &c);
        rx_json_end(w);
    }
    rx_cursor_close(&c);
    if (k != 1) {
        rx_store_problem(r, k == 0 ? RX_NOTFOUND : -k);
        return;
    }
    if (status == 201)
        rx_reply_created(r,
                         rx_arena_printf(&r->arena, "/api/v1/help-requests/%lld", (long long)id));
    else
        rx_reply(r, status);
}

/* ------------------------------------------------------------------ problems */

void rx_help_invalid_transition(struct rx_req *r, const char *from, const char *to)
{
    /* rx_problem has no room for extension members, so this one is written here */
    char *detail = rx_arena_printf(&r->arena, "%s → %s", from, to);
    rx_buf_reset(&r->out);
    struct rx_json w;
    rx_json_init(&w, &r->out);
    rx_json_obj(&w);
    rx_json_kstr(&w, "type", "/problems/invalid_transition");
    rx_json_kstr(&w, "title", rx_msg(r, "invalid_transition"));
    rx_json_kint(&w, "status", 409);
    rx_json_kstr(&w, "detail", detail ? detail : to);
    rx_json_kstr(&w, "code", "invalid_transition");
    rx_json_kstr(&w, "from", from);
    rx_json_kstr(&w, "to", to);
    rx_json_key(&w, "errors");
    rx_json_arr(&w);
    rx_json_obj(&w);
    rx_json_kstr(&w, "field", "state");
    rx_json_kstr(&w, "code", "invalid_transition");
    char *msg =
        rx_arena_printf(&r->arena, "%s: %s", rx_msg(r, "invalid_transition"), detail ? detail : to);
    rx_json_kstr(&w, "message", msg ? msg : to);
    rx_json_end(&w);
    rx_json_end(&w);
    rx_json_end(&w);
    if (r->out.err) {
        rx_problem(r, 409, "invalid_transition", detail);
        return;
    }
    r->status = 409;
    r->content_type = "application/problem+json; charset=utf-8";
    r->next = NULL;
}

/* ------------------------------------------------------------------ notifications */

char *rx_help_payload_raw(int64_t id, const char *need, const char *state, int64_t org,
                          const char *key, const char *value)
{
    struct rx_buf b;
    struct rx_json w;
    rx_buf_init(&b, 8192);
    rx_json_init(&w, &b);
    rx_json_obj(&w);
    rx_json_kint(&w, "help_request_id", id);
    rx_json_kstr(&w, "need", need);
    rx_json_kstr(&w, "state", state);
    rx_json_kint(&w, "org_unit_id", org);
    if (key) rx_json_kstr(&w, key, value);
    rx_json_end(&w);
    if (b.err) {
        rx_buf_free(&b);
        return NULL;
    }
    size_t n;
    return rx_buf_release(&b, &n);
}

char *rx_help_payload(struct rx_req *r, const struct rx_help *h, const char *state, const char *key,
                      const char *value)
{
    char *s =
        rx_help_payload_raw(h->id, h->need, state ? state : h->state, h->org_unit_id, key, value);
    char *out = s ? rx_arena_strdup(&r->arena, s) : NULL;
    rx_free(s);
    return out;
}

int rx_help_notify_staff(struct rx_db *db, int64_t now, int64_t org_id, int perm_a, int perm_b,
                         int64_t skip_user, const char *kind, const char *payload)
{
    if (!org_id || !payload) return org_id ? RX_NOMEM : RX_OK;
    int64_t users[64];
    int n = 0, k;
    struct rx_cursor c;
    int rc = rx_db_query(db, Q_HELP_GRANTS_AT, RX_ARGS(RX_I(org_id)), &c);
    if (rc) return rc;
    while ((k = rx_cursor_next(&c)) == 1 && n < 64) {
        int64_t uid = rx_cursor_int(&c, 0);
        const char *role = rx_cursor_text(&c, 1);
        int ok = (perm_a >= 0 && rx_role_allows(role, (enum rx_perm)perm_a)) ||
                 (perm_b >= 0 && rx_role_allows(role, (enum rx_perm)perm_b));
        if (!ok || uid == skip_user || (n && users[n - 1] == uid)) continue;
        users[n++] = uid;
    }
    rx_cursor_close(&c);
    if (k < 0) return -k;
    for (int i = 0; i < n && !rc; i++)
        rc = rx_db_exec(db, Q_HELP_NOTIFY_USER,
                        RX_ARGS(RX_I(users[i]), RX_T(kind), RX_T(payload), RX_I(now)), NULL, NULL);
    return rc;
}

int rx_help_notify_team(struct rx_req *r, int64_t team_id, const char *kind, const char *payload)
{
    int64_t people[32];
    int n = 0, k;
    struct rx_cursor c;
    int rc = rx_db_query(r->db, Q_HELP_TEAM_LEADERS, RX_ARGS(RX_I(team_id)), &c);
    if (rc) return rc;
    while ((k = rx_cursor_next(&c)) == 1 && n < 32)
        people[n++] = rx_cursor_int(&c, 0);
    rx_cursor_close(&c);
    if (k < 0) return -k;
    for (int i = 0; i < n && !rc; i++)
        rc = rx_act_notify(r, people[i], kind, payload);
    return rc;
}
