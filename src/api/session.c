/* session.c: log in, log out, who am I, change password.
 *
 * Log-in runs in two steps: on the CPU pool (throttle check, argon2id verification, rehash
 * when the parameters changed) and then on the writer (record the attempt, create the
 * session). The session token is 32 random bytes in an HttpOnly, SameSite=Lax cookie; only
 * its SHA-256 is stored. Throttling: 5 failures for one login or 20 from one address in 15
 * minutes answer 429 with Retry-After until the oldest failure ages out. */
#include "api/api.h"
#include "api/common.h"
#include "api/input.h"
#include "api/purge.h"
#include "http/server.h"
#include "lib/crypto.h"
#include "lib/log.h"
#include "store/store.h"
#include <stdio.h>
#include <string.h>

#define WINDOW RX_LOGIN_WINDOW /* purged after RX_LOGIN_ATTEMPT_KEEP (api/purge.c) */
#define MAX_FAILS_LOGIN 5
#define MAX_FAILS_IP 20

/* Verifying against this when the login is unknown keeps the timing of both answers alike. */
static const char dummy_hash[] =
    "$argon2id$v=19$m=19456,t=2,p=1$iXw7HiHOLUM+ihjnWEysVw$GkLyF13cO/w+BQrJVR37P3vR5bqE/bokSZ7phP1P3LM";

struct login_ctx {
    const char *login;
    int64_t user_id;   /* 0 when unknown or wrong password */
    int ok;
    char rehash[RX_PW_HASH_LEN]; /* new hash when parameters changed, else "" */
};

static const char *cookie_name(struct rx_req *r)
{
    return r->app->secure_cookies ? "__Host-rexin_session" : "rexin_session";
}

static void login_write(struct rx_req *r)
{
    struct login_ctx *c = r->step_ctx;
    int rc = rx_db_exec(r->db, Q_LOGIN_ATTEMPT_INSERT,
                        RX_ARGS(RX_T(c->login), RX_T(r->ip), RX_I(r->now), RX_I(c->ok)), NULL, NULL);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    if (!c->ok) {
        rx_warn("msg=\"login failed\" login=\"%.64s\" ip=%s", c->login, r->ip);
        rx_audit(r, "login_failed", "user", c->user_id, NULL);
        r->keep_writes = 1; /* the failed attempt must count even though we answer 401 */
        rx_problem(r, 401, "login_failed", NULL);
        return;
    }
    char token[RX_TOKEN_LEN + 1], hash[RX_HASH_HEX_LEN + 1];
    rx_token_new(token, "");
    rx_sha256_hex(token, strlen(token), hash);
    int64_t sid = 0;
    rc = rx_db_exec(r->db, Q_SESSION_INSERT,
                    RX_ARGS(RX_T(hash), RX_I(c->user_id), RX_I(r->now),
                            RX_I(r->now + r->app->cfg->session_max), RX_T(r->ip), RX_T(r->user_agent)),
                    NULL, &sid);
    if (!rc && c->rehash[0])
        rc = rx_db_exec(r->db, Q_USER_SET_PASSWORD, RX_ARGS(RX_I(c->user_id), RX_T(c->rehash), RX_I(r->now)),
                        NULL, NULL);
    r->auth.user_id = c->user_id; /* the audit entry says who logged in */
    if (!rc) rc = rx_audit(r, "login", "session", sid, NULL);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    r->set_cookie = rx_arena_printf(&r->arena, "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%ld%s",
                                    cookie_name(r), token, r->app->cfg->session_max,
                                    r->app->secure_cookies ? "; Secure" : "");
    struct rx_json *w = rx_json_begin(r);
    rx_json_obj(w);
    rx_json_key(w, "user");
    rc = rx_db_json_row(r->db, Q_ME, RX_ARGS(RX_I(c->user_id)), w);
    rx_json_end(w);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    rx_reply(r, 200);
}

/* Failed attempts since the window began; -1 when they could not be counted (answered). */
static int64_t count_since(struct rx_req *r, enum rx_query q, const char *key)
{
    int64_t n = 0;
    int rc = rx_db_int(r->db, q, RX_ARGS(RX_T(key), RX_I(r->now - WINDOW)), &n);
    if (rc && rc != RX_NOTFOUND) {
        rx_store_problem(r, rc);
        return -1;
    }
    return n;
}

void rx_api_login(struct rx_req *r)
{
    if (!rx_in_object(r)) return;
    static const char *const known[] = {"login", "password", NULL};
    const char *login = rx_in_str(r, "login", 1, 64);
    const char *pw = rx_in_str(r, "password", 1, 256);
    rx_in_only(r, known);
    if (rx_fail_if_field_errors(r)) return;

    int64_t fl = count_since(r, Q_LOGIN_FAILS_LOGIN, login);
    int64_t fi = fl < 0 ? -1 : count_since(r, Q_LOGIN_FAILS_IP, r->ip);
    if (fl < 0 || fi < 0) return;
    if (fl >= MAX_FAILS_LOGIN || fi >= MAX_FAILS_IP) {
        int64_t oldest = r->now;
        int rc;
        if (fl >= MAX_FAILS_LOGIN)
            rc = rx_db_int(r->db, Q_LOGIN_OLDEST_FAIL_LOGIN, RX_ARGS(RX_T(login), RX_I(r->now - WINDOW)), &oldest);
        else
            rc = rx_db_int(r->db, Q_LOGIN_OLDEST_FAIL_IP, RX_ARGS(RX_T(r->ip), RX_I(r->now - WINDOW)), &oldest);
        if (rx_int_checked(r, rc)) return;
        int64_t wait = oldest + WINDOW - r->now;
        if (wait < 1) wait = 1;
        r->retry_after = rx_arena_printf(&r->arena, "%lld", (long long)wait);
        rx_warn("msg=\"login throttled\" login=\"%.64s\" ip=%s fails_login=%lld fails_ip=%lld", login,
                r->ip, (long long)fl, (long long)fi);
        char *detail = rx_arena_printf(&r->arena, r->lang == RX_LANG_EN ? "Try again in %lld seconds."
                                                                        : "请在 %lld 秒后重试。",
                                       (long long)wait);
        rx_problem(r, 429, "too_many_attempts", detail);
        return;
    }

    struct login_ctx *c = rx_arena_alloc(&r->arena, sizeof *c);
    if (!c) {
        rx_problem(r, 503, "out_of_memory", NULL);
        return;
    }
    memset(c, 0, sizeof *c);
    c->login = login;
    struct rx_cursor cur;
    const char *stored = NULL;
    int disabled = 0;
    int rc = rx_db_query(r->db, Q_USER_BY_LOGIN, RX_ARGS(RX_T(login)), &cur);
    int k = rc ? -rc : rx_cursor_next(&cur);
    if (k == 1) {
        c->user_id = rx_cursor_int(&cur, 0);
        stored = rx_arena_strdup(&r->arena, rx_cursor_text(&cur, 1));
        disabled = (int)rx_cursor_int(&cur, 2);
        if (!stored) k = -RX_NOMEM;
    }
    rx_cursor_close(&cur);
    if (k < 0) {
        /* not a wrong password: no failed attempt is recorded */
        rx_store_problem(r, -k);
        return;
    }
    int match = rx_password_verify(stored ? stored : dummy_hash, pw) == 0;
    c->ok = stored && match && !disabled;
    if (c->ok && rx_password_needs_rehash(stored) && rx_password_hash(pw, c->rehash) != 0)
        c->rehash[0] = 0;
    r->step_ctx = c;
    rx_then(r, RX_EXEC_WRITE, login_write);
}

static void logout_write(struct rx_req *r)
{
    int all = rx_query(r, "all") && strcmp(rx_query(r, "all"), "true") == 0;
    int rc = RX_OK;
    if (all) rc = rx_db_exec(r->db, Q_SESSION_DELETE_USER, RX_ARGS(RX_I(r->auth.user_id)), NULL, NULL);
    else if (r->auth.session_id)
        rc = rx_db_exec(r->db, Q_SESSION_DELETE, RX_ARGS(RX_I(r->auth.session_id)), NULL, NULL);
    if (!rc) rc = rx_audit(r, all ? "logout_all" : "logout", "session", r->auth.session_id, NULL);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    r->set_cookie = rx_arena_printf(&r->arena, "%s=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0%s",
                                    cookie_name(r), r->app->secure_cookies ? "; Secure" : "");
    rx_reply_empty(r, 204);
}

void rx_api_logout(struct rx_req *r)
{
    logout_write(r);
}

void rx_api_me(struct rx_req *r)
{
    struct rx_json *w = rx_json_begin(r);
    rx_json_obj(w);
    int rc = rx_db_json_fields(r->db, Q_ME, RX_ARGS(RX_I(r->auth.user_id)), w);
    rx_json_key(w, "roles");
    rx_json_arr(w);
    if (!rc) rc = rx_db_json_rows(r->db, Q_ME_ROLES, RX_ARGS(RX_I(r->auth.user_id)), w, NULL);
    rx_json_end(w);
    rx_json_end(w);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    rx_reply(r, 200);
}

struct pw_ctx {
    char hash[RX_PW_HASH_LEN];
};

static void change_password_write(struct rx_req *r)
{
    struct pw_ctx *c = r->step_ctx;
    int rc = rx_db_exec(r->db, Q_USER_SET_PASSWORD, RX_ARGS(RX_I(r->auth.user_id), RX_T(c->hash), RX_I(r->now)),
                        NULL, NULL);
    /* A new password ends every other session of this user (all of them when the change
     * came with an API token). */
    if (!rc)
        rc = rx_db_exec(r->db, Q_SESSION_DELETE_USER_OTHERS,
                        RX_ARGS(RX_I(r->auth.user_id), RX_I(r->auth.session_id)), NULL, NULL);
    if (!rc) rc = rx_audit(r, "change_password", "user", r->auth.user_id, NULL);
    if (rc) {
        rx_store_problem(r, rc);
        return;
    }
    rx_reply_empty(r, 204);
}

void rx_api_change_password(struct rx_req *r)
{
    if (!rx_in_object(r)) return;
    static const char *const known[] = {"current_password", "new_password", NULL};
    const char *cur_pw = rx_in_str(r, "current_password", 1, 256);
    const char *new_pw = rx_in_str(r, "new_password", 1, 256);
    rx_in_only(r, known);
    if (new_pw && strlen(new_pw) < 8) rx_field_error(r, "new_password", "weak_password");
    if (rx_fail_if_field_errors(r)) return;
    struct rx_cursor cur;
    const char *stored = NULL;
    if (rx_first_row(r, rx_db_query(r->db, Q_USER_BY_LOGIN, RX_ARGS(RX_T(r->auth.username)), &cur), &cur))
        stored = rx_arena_strdup(&r->arena, rx_cursor_text(&cur, 1));
    rx_cursor_close(&cur);
    if (!stored || rx_password_verify(stored, cur_pw) != 0) {
        rx_field_error(r, "current_password", "login_failed");
        rx_problem(r, 400, "validation_failed", NULL);
        return;
    }
    struct pw_ctx *c = rx_arena_alloc(&r->arena, sizeof *c);
    if (!c || rx_password_hash(new_pw, c->hash) != 0) {
        rx_problem(r, 503, "out_of_memory", NULL);
        return;
    }
    r->step_ctx = c;
    rx_then(r, RX_EXEC_WRITE, change_password_write);
}
