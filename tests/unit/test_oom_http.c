/* test_oom_http.c: out-of-memory walk through whole HTTP requests (issue 10, "Hardening").
 *
 * The real server runs in this process on a loopback port over a fresh data directory with
 * the demo data (as fuzz/http_request.c does). For each of the main request paths a user
 * exercises, the test counts the allocations one request makes (rx_alloc_count), then for
 * N = 0, 1, 2, ... makes every allocation fail from the Nth on (rx_alloc_fail_after, all
 * threads), sends the request over a raw socket with "Connection: close", reads the whole
 * answer, turns injection off and waits until no request is in flight. The walk of a path
 * ends at the first N that injected nothing. Accepted answers:
 *   - the normal answer (status and a valid body of the right type);
 *   - 500 or 503 with a problem+json body that is valid JSON and names that status;
 *   - a connection closed without a byte, counted and reported (it must stay rare).
 * Never a 2xx with a wrong or cut body, never another 4xx, never a crash or a hang.
 * After every injected failure: a normal request is answered correctly, and for writes the
 * database holds exactly the rows (and audit rows) of the answers that said 2xx. At the end
 * the database passes integrity_check; under make SANITIZE=1, LSan finds no leak at exit.
 *
 * Each path is walked twice: failing every allocation from the Nth on
 * (rx_alloc_fail_after), and failing only the Nth (rx_alloc_fail_once, as curl's torture
 * tests do), which lets the answer be built after the failure and so shows a wrong status.
 *
 * SQLite allocates through rx_malloc too (rx_store_sqlite_use_rx_alloc; REXIN_OOM_SQLITE=0
 * turns that off), in every thread: the writer, the checkpointer and the sweep fail as well
 * while a step's window is open, as they would in a real shortage. Every request sends
 * "Cache-Control: no-cache", so the handler and the session look-up run each time instead of
 * the answer and credential caches. The "from" walk of a path runs before any normal request
 * of it: its statements are prepared under injection (see walk()).
 *
 * Every write iteration works on a fresh volunteer, so each one runs the whole path.
 * REXIN_OOM_STRIDE=k walks every kth N only (default DEFAULT_STRIDE; `make stress` walks
 * every N). REXIN_OOM_LOG=1 shows the server's log. REXIN_OOM_JANSSON=1 also sends
 * jansson's allocations through rx_malloc (exploratory: jansson's lexer reports some failed allocations as a syntax error, which
 * the server cannot tell from bad input, so that mode stops at a 400 on the first POST). */
#include "testutil.h"
#include "../lib/seed_admin.h"
#include "http/server.h"
#include "lib/alloc.h"
#include "lib/crypto.h"
#include "lib/log.h"
#include "store/seed.h"
#include "store/store.h"
#include <arpa/inet.h>
#include <errno.h>
#include <ftw.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define N_VOLS 8000 /* enough for every write step of the stride-1 walk (about 6,000) */
/* With SQLite's allocations the whole walk (make stress: REXIN_OOM_STRIDE=1) is about 19,400
 * requests, 110 s here and several minutes under ASan; make test walks every kth step (about
 * 6,500 requests, 35 s; under ASan 100 s). */
#if defined(__SANITIZE_ADDRESS__)
#define DEFAULT_STRIDE 5
#else
#define DEFAULT_STRIDE 3
#endif
#define ADMIN_PW "admin-test-pw-1"

static struct rx_config cfg;
static struct rx_app app;
static char dir[] = "/tmp/rexin-test-oomhttp-XXXXXX";
static char dbpath[512];
static char admin_token[RX_TOKEN_LEN + 1], admin_session[RX_TOKEN_LEN + 1];
static char vol_session[RX_TOKEN_LEN + 1];
static int64_t org_id, category_id, team_id, activity_id;
static int64_t now_activity_id; /* under way: QR check-in */
static int64_t cert_id;         /* an issued certificate (its PDF) */
static int64_t vols[N_VOLS];
static int next_vol; /* next unused volunteer */

/* ------------------------------------------------------------------ HTTP client */

struct answer {
    int status;      /* 0: closed without an answer */
    char *head;      /* header block */
    char *body;      /* body, de-chunked */
    size_t body_len;
    int cut;         /* the body ended before its length or final chunk */
};

static void answer_free(struct answer *a)
{
    free(a->head);
    free(a->body);
    memset(a, 0, sizeof *a);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *header_value(const struct answer *a, const char *name)
{
    char key[64];
    snprintf(key, sizeof key, "\r\n%s:", name);
    const char *h = a->head ? strcasestr(a->head, key) : NULL;
    if (!h) return NULL;
    h += strlen(key);
    while (*h == ' ') h++;
    return h;
}

/* Parses raw[0..n) into *a. */
static void parse_answer(const char *raw, size_t n, struct answer *a)
{
    memset(a, 0, sizeof *a);
    if (n == 0) return;
    const char *end = memmem(raw, n, "\r\n\r\n", 4);
    if (n < 12 || memcmp(raw, "HTTP/1.", 7) != 0 || !end)
        fail_msg("not an HTTP answer (%zu bytes): %.200s", n, raw);
    a->status = (int)strtol(raw + 9, NULL, 10);
    a->head = strndup(raw, (size_t)(end - raw) + 2);
    const char *b = end + 4;
    size_t blen = n - (size_t)(b - raw);
    a->body = malloc(blen + 1);
    assert_non_null(a->body);
    const char *te = header_value(a, "Transfer-Encoding");
    if (te && strncasecmp(te, "chunked", 7) == 0) {
        size_t k = 0, i = 0;
        a->cut = 1;
        while (i < blen) {
            char *e;
            unsigned long sz = strtoul(b + i, &e, 16);
            const char *crlf = memmem(b + i, blen - i, "\r\n", 2);
            if (!crlf || e == b + i) break;
            i = (size_t)(crlf - b) + 2;
            if (sz == 0) {
                a->cut = 0;
                break;
            }
            if (i + sz + 2 > blen) break;
            memcpy(a->body + k, b + i, sz);
            k += sz;
            i += sz + 2;
        }
        a->body_len = k;
    } else {
        const char *cl = header_value(a, "Content-Length");
        memcpy(a->body, b, blen);
        a->body_len = blen;
        if (cl && strtoul(cl, NULL, 10) != blen) a->cut = 1;
    }
    a->body[a->body_len] = 0;
}

/* Sends one request (Connection: close) and reads until the server closes. */
static void request(const char *method, const char *path, const char *auth, const char *body,
                    struct answer *a)
{
    static char raw[4 << 20];
    char head[2048];
    char authh[200] = "";
    if (auth && strncmp(auth, "cookie:", 7) == 0)
        snprintf(authh, sizeof authh, "Cookie: rexin_session=%s\r\nOrigin: http://127.0.0.1:%d\r\n",
                 auth + 7, app.port);
    else if (auth)
        snprintf(authh, sizeof authh, "Authorization: Bearer %s\r\n", auth);
    size_t blen = body ? strlen(body) : 0;
    int hl = snprintf(head, sizeof head,
                      "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n"
                      "Accept-Language: en\r\nCache-Control: no-cache\r\n%s%s%s",
                      method, path, app.port, authh,
                      body ? "Content-Type: application/json\r\n" : "", "");
    if (body) hl += snprintf(head + hl, sizeof head - (size_t)hl, "Content-Length: %zu\r\n", blen);
    hl += snprintf(head + hl, sizeof head - (size_t)hl, "\r\n");
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)app.port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    /* small requests: one send each is enough on loopback */
    ssize_t w = send(fd, head, (size_t)hl, MSG_NOSIGNAL);
    if (w == hl && blen) w = send(fd, body, blen, MSG_NOSIGNAL);
    size_t got = 0;
    int64_t deadline = now_ms() + 20000;
    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        int64_t left = deadline - now_ms();
        if (left <= 0) fail_msg("no answer within 20 s to %s %s", method, path);
        if (poll(&p, 1, (int)left) <= 0) continue;
        ssize_t r = recv(fd, raw + got, sizeof raw - 1 - got, 0);
        if (r <= 0) break; /* closed (or reset) */
        got += (size_t)r;
        if (got == sizeof raw - 1) fail_msg("answer too large");
    }
    raw[got] = 0;
    close(fd);
    parse_answer(raw, got, a);
}

static void wait_idle(void)
{
    int64_t deadline = now_ms() + 20000;
    while (atomic_load(&app.inflight) > 0) {
        if (now_ms() > deadline) fail_msg("requests still in flight after 20 s");
        usleep(500);
    }
}

static json_t *body_json(const struct answer *a)
{
    json_error_t e;
    json_t *j = json_loadb(a->body, a->body_len, 0, &e);
    if (!j) fail_msg("status %d: body is not JSON (%s): %.300s", a->status, e.text, a->body);
    return j;
}

/* A normal request that must work (set-up and checks); returns the JSON body. */
static json_t *must(int status, const char *method, const char *path, const char *auth,
                    const char *body)
{
    struct answer a;
    request(method, path, auth, body, &a);
    if (a.status != status)
        fail_msg("%s %s: want %d, got %d: %.500s", method, path, status, a.status,
                 a.body ? a.body : "");
    json_t *j = body_json(&a);
    answer_free(&a);
    wait_idle();
    return j;
}

/* ------------------------------------------------------------------ database (read-only) */

static int64_t db_int(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int64_t db_int(const char *fmt, ...)
{
    char sql[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    sqlite3 *h;
    assert_int_equal(sqlite3_open_v2(dbpath, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(h, 10000);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) fail_msg("%s: %s", sql, sqlite3_errmsg(h));
    int64_t v = -1;
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return v;
}

static void db_exec(const char *sql)
{
    sqlite3 *h;
    char *err = NULL;
    assert_int_equal(sqlite3_open(dbpath, &h), SQLITE_OK);
    sqlite3_busy_timeout(h, 10000);
    if (sqlite3_exec(h, sql, NULL, NULL, &err) != SQLITE_OK) fail_msg("%s: %s", sql, err);
    sqlite3_close(h);
}

/* ------------------------------------------------------------------ set-up */

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path);
}

static void start_server(void)
{
    char err[512];
    signal(SIGPIPE, SIG_IGN);
    assert_non_null(mkdtemp(dir));
    snprintf(dbpath, sizeof dbpath, "%s/rexin.db", dir);
    assert_int_equal(rx_crypto_init(), 0);
    /* the walk makes errors on purpose; REXIN_OOM_LOG=1 shows them */
    if (!getenv("REXIN_OOM_LOG")) rx_log_set_level((enum rx_log_level)(RX_LOG_ERROR + 1));
    char *args[] = {"serve", "--listen", "127.0.0.1:0", "--data", dir, "--threads", "2",
                    "--session-idle", "100000000", NULL};
    if (rx_config_load(&cfg, 9, args, NULL, NULL, err, sizeof err)) fail_msg("config: %s", err);
    app.cfg = &cfg;
    assert_int_equal(rx_keys_load(dir, &app.keys), 0);
    struct rx_store_opts o = {.url = cfg.db, .migrate = 1};
    if (rx_store_open(&app.store, &o, err, sizeof err)) fail_msg("store: %s", err);
    char hash[RX_PW_HASH_LEN];
    assert_int_equal(rx_password_hash(ADMIN_PW, hash), 0);
    rx_token_new(admin_token, "");
    rx_token_new(admin_session, "");
    rx_token_new(vol_session, "");
    struct rx_seed_admin sc = {hash, (int64_t)time(NULL), admin_token, admin_session, "oom"};
    assert_int_equal(rx_store_write(app.store, rx_seed_admin_fn, &sc), 0);
    if (rx_server_start(&app, err, sizeof err)) fail_msg("server: %s", err);
}

static void stop_server(void)
{
    rx_server_stop(&app, 10);
    rx_store_close(app.store);
    rx_config_free(&cfg);
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Volunteers (people + volunteers rows) in one community, a plain user linked to the first
 * with a session, a team and an activity with room for everyone. */
static void make_fixtures(void)
{
    org_id = db_int("SELECT id FROM org_units WHERE name = '荣华社区'");
    category_id = db_int("SELECT id FROM service_categories WHERE code = 'cleaning'");
    assert_true(org_id > 0 && category_id > 0);
    size_t cap = (size_t)N_VOLS * 600 + 4096, n = 0;
    char *sql = malloc(cap);
    assert_non_null(sql);
    n += (size_t)snprintf(sql + n, cap - n, "BEGIN;");
    for (int i = 0; i < N_VOLS; i++)
        n += (size_t)snprintf(
            sql + n, cap - n,
            "INSERT INTO people(org_unit_id, name, name_norm, birth_date, created_at, updated_at)"
            " VALUES(%lld, 'oom-%d', 'oom-%d', '1980-01-01', 0, 0);"
            "INSERT INTO volunteers(person_id, volunteer_no, org_unit_id, registered_on, created_at,"
            " updated_at) VALUES(last_insert_rowid(), 'VOOM%d', %lld, '2020-01-01', 0, 0);",
            (long long)org_id, i, i, i, (long long)org_id);
    char h[RX_HASH_HEX_LEN + 1];
    rx_sha256_hex(vol_session, strlen(vol_session), h);
    n += (size_t)snprintf(
        sql + n, cap - n,
        "INSERT INTO users(username, display_name, person_id, password_hash, created_at, updated_at)"
        " VALUES('oomvol', 'oom volunteer', (SELECT id FROM people WHERE name = 'oom-0'), 'x', 0, 0);"
        "INSERT INTO sessions(token_hash, user_id, created_at, last_seen, expires_at, ip)"
        " VALUES('%s', (SELECT id FROM users WHERE username = 'oomvol'), %lld, %lld, %lld, '127.0.0.1');"
        "INSERT INTO role_grants(user_id, role, org_unit_id, created_at)"
        " VALUES((SELECT id FROM users WHERE username = 'admin'), 'community_admin', %lld, 0);"
        "COMMIT;",
        h, (long long)time(NULL), (long long)time(NULL), (long long)time(NULL) + 100000000, (long long)org_id);
    assert_true(n < cap);
    db_exec(sql);
    free(sql);
    /* ids in one pass (the names oom-0 ... were inserted in order) */
    sqlite3 *ids;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open_v2(dbpath, &ids, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(ids, "SELECT id FROM people WHERE name LIKE 'oom-%' ORDER BY id",
                                        -1, &st, NULL), SQLITE_OK);
    int k = 0;
    while (k < N_VOLS && sqlite3_step(st) == SQLITE_ROW) vols[k++] = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(ids);
    assert_int_equal(k, N_VOLS);
    assert_int_equal(vols[0], db_int("SELECT id FROM people WHERE name = 'oom-0'"));
    assert_int_equal(vols[N_VOLS - 1], db_int("SELECT id FROM people WHERE name = 'oom-%d'", N_VOLS - 1));
    next_vol = 1; /* oom-0 is the plain user's person */

    char body[512];
    snprintf(body, sizeof body, "{\"org_unit_id\":%lld,\"name\":\"oom team\",\"category_id\":%lld}",
             (long long)org_id, (long long)category_id);
    json_t *j = must(201, "POST", "/api/v1/teams", admin_token, body);
    team_id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    snprintf(body, sizeof body,
             "{\"title\":\"清扫家园\",\"capacity\":%d,\"status\":\"published\",\"team_id\":%lld,"
             "\"starts_at\":\"2030-05-10T14:00:00+08:00\",\"ends_at\":\"2030-05-10T17:00:00+08:00\"}",
             N_VOLS + 10, (long long)team_id);
    j = must(201, "POST", "/api/v1/activities", admin_token, body);
    activity_id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    assert_true(team_id > 0 && activity_id > 0);
    /* an activity starting in 20 minutes (check-in opens 30 minutes before) */
    char starts[40], ends[40];
    time_t t = time(NULL) + 8 * 3600 + 20 * 60; /* Beijing time */
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(starts, sizeof starts, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
    t += 4 * 3600;
    gmtime_r(&t, &tm);
    strftime(ends, sizeof ends, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
    snprintf(body, sizeof body,
             "{\"title\":\"扫码签到\",\"capacity\":%d,\"status\":\"published\",\"team_id\":%lld,"
             "\"starts_at\":\"%s\",\"ends_at\":\"%s\"}",
             N_VOLS + 10, (long long)team_id, starts, ends);
    j = must(201, "POST", "/api/v1/activities", admin_token, body);
    now_activity_id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    snprintf(body, sizeof body,
             "{\"person_id\":%lld,\"org_unit_id\":%lld,\"from\":\"2026-01-01\",\"to\":\"2026-12-31\","
             "\"issue\":true,\"person_in_charge\":\"李主任\"}",
             (long long)vols[N_VOLS - 1], (long long)org_id);
    j = must(201, "POST", "/api/v1/certificates", admin_token, body);
    cert_id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
    assert_true(now_activity_id > 0 && cert_id > 0);
}

/* ------------------------------------------------------------------ the paths */

struct path {
    const char *name;
    const char *method;
    const char *auth; /* "admin", "admin-cookie", "vol" */
    int status;       /* the normal answer */
    const char *type; /* its Content-Type prefix */
    /* builds the path and body of one iteration (body "" for none) */
    void (*build)(char *url, size_t ul, char *body, size_t bl);
    /* the write this path makes, as "rows of the thing;audit rows of it" counts, or NULL */
    void (*count)(int64_t *rows, int64_t *audit);
    const char *url;
    const char *body;
    void (*setup)(void); /* before each iteration (injection off), or NULL */
    int stride;          /* walks every stride*kth step only (long walks), 0: 1; make stress
                          * (REXIN_OOM_STRIDE=1) walks every step of every path */
};

static int64_t cur_person; /* the volunteer this iteration works on */

static void build_signup(char *url, size_t ul, char *body, size_t bl)
{
    snprintf(url, ul, "/api/v1/activities/%lld/signups", (long long)activity_id);
    snprintf(body, bl, "{\"person_id\":%lld}", (long long)cur_person);
}

static void count_signups(int64_t *rows, int64_t *audit)
{
    *rows = db_int("SELECT count(*) FROM signups WHERE activity_id = %lld", (long long)activity_id);
    *audit = db_int("SELECT count(*) FROM audit_log WHERE entity = 'signup' AND action = 'create'");
    /* the activity's own count agrees with its rows */
    json_t *j;
    char url[128];
    snprintf(url, sizeof url, "/api/v1/activities/%lld", (long long)activity_id);
    j = must(200, "GET", url, admin_token, NULL);
    assert_int_equal(json_integer_value(json_object_get(j, "places_taken")), *rows);
    json_decref(j);
}

static void build_record(char *url, size_t ul, char *body, size_t bl)
{
    snprintf(url, ul, "/api/v1/records");
    snprintf(body, bl,
             "{\"person_id\":%lld,\"team_id\":%lld,\"service_date\":\"2026-06-09\",\"minutes\":120,"
             "\"people_served\":4,\"description\":\"清扫楼道\"}",
             (long long)cur_person, (long long)team_id);
}

static void count_records(int64_t *rows, int64_t *audit)
{
    *rows = db_int("SELECT count(*) FROM service_records");
    *audit = db_int("SELECT count(*) FROM audit_log WHERE entity = 'service_record' AND action = 'create'");
}

static void build_help(char *url, size_t ul, char *body, size_t bl)
{
    snprintf(url, ul, "/api/v1/help-requests");
    snprintf(body, bl,
             "{\"person_name\":\"王奶奶\",\"org_unit_id\":%lld,\"category_id\":%lld,"
             "\"need\":\"帮忙买菜\",\"address\":\"5号楼101\",\"contact_phone\":\"13900139000\"}",
             (long long)org_id, (long long)category_id);
}

static void count_help(int64_t *rows, int64_t *audit)
{
    *rows = db_int("SELECT count(*) FROM help_requests");
    *audit = db_int("SELECT count(*) FROM audit_log WHERE entity = 'help_request' AND action = 'create'");
}

static void build_summary(char *url, size_t ul, char *body, size_t bl)
{
    snprintf(url, ul, "/api/v1/reports/summary?org_unit=%lld&from=2026-01-01&to=2026-12-31",
             (long long)org_id);
    body[0] = 0;
}

static void count_logins(int64_t *rows, int64_t *audit)
{
    *rows = db_int("SELECT count(*) FROM sessions");
    *audit = db_int("SELECT count(*) FROM audit_log WHERE action = 'login'") + 2; /* 2 made here */
}

/* QR check-in: the volunteer (signed up, with a session of their own) scans the code the
 * leader's screen shows. */
static char cur_session[RX_TOKEN_LEN + 1];
static char cur_checkin_token[64];

static void setup_checkin(void)
{
    char url[128], body[128], h[RX_HASH_HEX_LEN + 1], sql[1024];
    snprintf(url, sizeof url, "/api/v1/activities/%lld/signups", (long long)now_activity_id);
    snprintf(body, sizeof body, "{\"person_id\":%lld}", (long long)cur_person);
    json_decref(must(201, "POST", url, admin_token, body));
    rx_token_new(cur_session, "");
    rx_sha256_hex(cur_session, strlen(cur_session), h);
    long long now = (long long)time(NULL);
    snprintf(sql, sizeof sql,
             "INSERT INTO users(username, display_name, person_id, password_hash, created_at, updated_at)"
             " VALUES('oomu%lld', 'oom %lld', %lld, 'x', 0, 0);"
             "INSERT INTO sessions(token_hash, user_id, created_at, last_seen, expires_at, ip)"
             " VALUES('%s', last_insert_rowid(), %lld, %lld, %lld, '127.0.0.1');",
             (long long)cur_person, (long long)cur_person, (long long)cur_person, h, now, now,
             now + 100000000);
    db_exec(sql);
    snprintf(url, sizeof url, "/api/v1/activities/%lld/checkin-code?format=json",
             (long long)now_activity_id);
    json_t *j = must(200, "GET", url, admin_token, NULL);
    snprintf(cur_checkin_token, sizeof cur_checkin_token, "%s",
             json_string_value(json_object_get(j, "token")));
    json_decref(j);
}

static void build_checkin(char *url, size_t ul, char *body, size_t bl)
{
    snprintf(url, ul, "/api/v1/activities/%lld/checkin", (long long)now_activity_id);
    snprintf(body, bl, "{\"token\":\"%s\"}", cur_checkin_token);
}

static void count_checkins(int64_t *rows, int64_t *audit)
{
    *rows = db_int("SELECT count(*) FROM attendance WHERE activity_id = %lld", (long long)now_activity_id);
    *audit = db_int("SELECT count(*) FROM audit_log WHERE entity = 'attendance' AND action = 'checkin'");
}

/* Confirming a pending record (the set-up enters it). */
static int64_t cur_id;

static void setup_record(void)
{
    char url[64], body[512];
    build_record(url, sizeof url, body, sizeof body);
    json_t *j = must(201, "POST", url, admin_token, body);
    cur_id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
}

static void build_confirm(char *url, size_t ul, char *body, size_t bl)
{
    snprintf(url, ul, "/api/v1/records/%lld/confirm", (long long)cur_id);
    snprintf(body, bl, "{}");
}

static void count_confirms(int64_t *rows, int64_t *audit)
{
    *rows = db_int("SELECT count(*) FROM service_records WHERE status = 'confirmed'");
    *audit = db_int("SELECT count(*) FROM audit_log WHERE entity = 'service_record' AND action = 'confirm'");
}

/* A certificate requested and issued in one request. */
static void build_cert(char *url, size_t ul, char *body, size_t bl)
{
    snprintf(url, ul, "/api/v1/certificates");
    snprintf(body, bl,
             "{\"person_id\":%lld,\"org_unit_id\":%lld,\"from\":\"2026-01-01\",\"to\":\"2026-12-31\","
             "\"itemised\":true,\"issue\":true,\"person_in_charge\":\"李主任\"}",
             (long long)cur_person, (long long)org_id);
}

static void count_certs(int64_t *rows, int64_t *audit)
{
    *rows = db_int("SELECT count(*) FROM certificates WHERE status = 'issued'");
    *audit = db_int("SELECT count(*) FROM audit_log WHERE entity = 'certificate' AND action = 'issue'");
}

static void build_cert_pdf(char *url, size_t ul, char *body, size_t bl)
{
    snprintf(url, ul, "/api/v1/certificates/%lld.pdf", (long long)cert_id);
    body[0] = 0;
}

static void build_person(char *url, size_t ul, char *body, size_t bl)
{
    snprintf(url, ul, "/api/v1/people/%lld", (long long)vols[1]);
    body[0] = 0;
}

static void build_people_org(char *url, size_t ul, char *body, size_t bl)
{
    snprintf(url, ul, "/api/v1/people?org_unit_id=%lld&limit=20", (long long)org_id);
    body[0] = 0;
}

/* Dispatching a new help request to a volunteer (the set-up files it). */
static void setup_help(void)
{
    char url[64], body[512];
    build_help(url, sizeof url, body, sizeof body);
    json_t *j = must(201, "POST", url, admin_token, body);
    cur_id = json_integer_value(json_object_get(j, "id"));
    json_decref(j);
}

static void build_dispatch(char *url, size_t ul, char *body, size_t bl)
{
    snprintf(url, ul, "/api/v1/help-requests/%lld/dispatch", (long long)cur_id);
    snprintf(body, bl, "{\"person_id\":%lld,\"note\":\"请尽快\"}", (long long)cur_person);
}

static void count_dispatch(int64_t *rows, int64_t *audit)
{
    *rows = db_int("SELECT count(*) FROM help_requests WHERE state = 'dispatched'");
    *audit = db_int("SELECT count(*) FROM audit_log WHERE entity = 'help_request' AND action = 'dispatch'");
}

static const struct path paths[] = {
    {"me (admin, cookie)", "GET", "admin-cookie", 200, "application/json", NULL, NULL, "/api/v1/me", NULL, NULL, 0},
    {"me (volunteer)", "GET", "vol", 200, "application/json", NULL, NULL, "/api/v1/me", NULL, NULL, 0},
    {"my sign-ups (volunteer)", "GET", "vol", 200, "application/json", NULL, NULL, "/api/v1/me/signups", NULL, NULL, 0},
    {"activities list", "GET", "admin", 200, "application/json", NULL, NULL, "/api/v1/activities", NULL, NULL, 0},
    {"sign-up", "POST", "admin", 201, "application/json", build_signup, count_signups, NULL, NULL, NULL, 0},
    {"service record", "POST", "admin-cookie", 201, "application/json", build_record, count_records, NULL, NULL, NULL, 0},
    {"help request", "POST", "admin", 201, "application/json", build_help, count_help, NULL, NULL, NULL, 0},
    {"report summary", "GET", "admin", 200, "application/json", build_summary, NULL, NULL, NULL, NULL, 0},
    {"people CSV export", "GET", "admin", 200, "text/csv", NULL, NULL, "/api/v1/people?format=csv", NULL, NULL, 0},
    {"people create, invalid", "POST", "admin", 400, "application/problem+json", NULL, NULL, "/api/v1/people",
     "{\"name\":\"\",\"id_number\":\"123\",\"org_unit_id\":1}", NULL, 0},
    {"unknown route", "GET", "admin", 404, "application/problem+json", NULL, NULL, "/api/v1/no-such-thing", NULL, NULL, 0},
    {"log-in", "POST", NULL, 200, "application/json", NULL, count_logins, "/api/v1/session",
     "{\"login\":\"admin\",\"password\":\"" ADMIN_PW "\"}", NULL, 2}, /* ~8,000 steps at stride 1 */
    {"QR check-in", "POST", "person", 200, "application/json", build_checkin, count_checkins, NULL, NULL,
     setup_checkin, 0},
    {"record confirmation", "POST", "admin", 200, "application/json", build_confirm, count_confirms, NULL,
     NULL, setup_record, 2}, /* each step enters a record first */
    {"certificate issue", "POST", "admin", 201, "application/json", build_cert, count_certs, NULL, NULL,
     NULL, 0},
    {"certificate PDF", "GET", "admin", 200, "application/pdf", build_cert_pdf, NULL, NULL, NULL, NULL, 0},
    {"person", "GET", "admin", 200, "application/json", build_person, NULL, NULL, NULL, NULL, 0},
    {"people list, org filter", "GET", "admin", 200, "application/json", build_people_org, NULL, NULL, NULL,
     NULL, 0},
    {"help dispatch", "POST", "admin", 200, "application/json", build_dispatch, count_dispatch, NULL, NULL,
     setup_help, 0},
    {"teams list", "GET", "admin", 200, "application/json", NULL, NULL, "/api/v1/teams", NULL, NULL, 0},
};

static const char *auth_of(const struct path *p)
{
    static char cookie[RX_TOKEN_LEN + 8];
    if (!p->auth) return NULL;
    if (strcmp(p->auth, "admin") == 0) return admin_token;
    if (strcmp(p->auth, "person") == 0) {
        snprintf(cookie, sizeof cookie, "cookie:%s", cur_session);
        return cookie;
    }
    snprintf(cookie, sizeof cookie, "cookie:%s",
             strcmp(p->auth, "vol") == 0 ? vol_session : admin_session);
    return cookie;
}

/* 1 when a is the path's normal answer, 2 when it is a streamed one cut short; checks the
 * body when it claims to be. */
static int normal_answer(const struct path *p, const struct answer *a)
{
    if (a->status != p->status) return 0;
    const char *ct = header_value(a, "Content-Type");
    if (!ct || strncmp(ct, p->type, strlen(p->type)) != 0)
        fail_msg("%s: status %d with Content-Type %.60s", p->name, a->status, ct ? ct : "(none)");
    int csv = strncmp(p->type, "text/csv", 8) == 0;
    /* A streamed body that fails after its status went out can only stop short: without
     * its last chunk, which every client sees as an error. The first piece is made before
     * the status, so a cut body is never empty. */
    if (a->cut && csv && a->body_len > 0 && header_value(a, "Transfer-Encoding")) return 2;
    if (a->cut) fail_msg("%s: status %d with a cut body (%zu bytes)", p->name, a->status, a->body_len);
    if (csv) {
        /* header line and one line per person of the demo data and ours */
        const char *nl = memchr(a->body, '\n', a->body_len);
        if (!nl || a->body_len < 100 || a->body[a->body_len - 1] != '\n')
            fail_msg("%s: odd CSV (%zu bytes): %.200s", p->name, a->body_len, a->body);
        size_t lines = 0;
        for (size_t i = 0; i < a->body_len; i++) lines += a->body[i] == '\n';
        if (lines < N_VOLS) fail_msg("%s: CSV of %zu lines", p->name, lines);
        return 1;
    }
    if (strncmp(p->type, "application/pdf", 15) == 0) {
        if (a->body_len < 1000 || memcmp(a->body, "%PDF-", 5) != 0)
            fail_msg("%s: odd PDF (%zu bytes)", p->name, a->body_len);
        return 1;
    }
    json_t *j = body_json(a);
    if (p->status == 201) assert_true(json_integer_value(json_object_get(j, "id")) > 0);
    if (p->status >= 400) {
        assert_int_equal(json_integer_value(json_object_get(j, "status")), p->status);
        if (p->status == 400) /* every field error, not a shortened list */
            assert_true(json_array_size(json_object_get(j, "errors")) >= 2);
    }
    if (strcmp(p->url ? p->url : "", "/api/v1/me") == 0 || strcmp(p->name, "log-in") == 0) {
        json_t *u = strcmp(p->name, "log-in") == 0 ? json_object_get(j, "user") : j;
        assert_non_null(json_string_value(json_object_get(u, "username")));
    }
    if (strcmp(p->name, "activities list") == 0 || strcmp(p->name, "teams list") == 0 ||
        strcmp(p->name, "people list, org filter") == 0)
        assert_true(json_array_size(json_object_get(j, "items")) >= 1);
    if (strcmp(p->name, "person") == 0)
        assert_int_equal(json_integer_value(json_object_get(j, "id")), vols[1]);
    if (strcmp(p->name, "QR check-in") == 0)
        assert_string_equal(json_string_value(json_object_get(j, "action")), "checkin");
    if (strcmp(p->name, "record confirmation") == 0)
        assert_string_equal(json_string_value(json_object_get(j, "status")), "confirmed");
    if (strcmp(p->name, "certificate issue") == 0)
        assert_string_equal(json_string_value(json_object_get(j, "status")), "issued");
    if (strcmp(p->name, "help dispatch") == 0)
        assert_string_equal(json_string_value(json_object_get(j, "state")), "dispatched");
    json_decref(j);
    return 1;
}

/* 1 when a is a well-formed 500/503 problem. */
static int server_error(const struct path *p, const struct answer *a)
{
    if (a->status != 500 && a->status != 503) return 0;
    const char *ct = header_value(a, "Content-Type");
    if (!ct || strncmp(ct, "application/problem+json", 24) != 0 || a->cut)
        fail_msg("%s: %d without a problem+json body (type %.40s, %zu bytes, cut %d): %.200s",
                 p->name, a->status, ct ? ct : "(none)", a->body_len, a->cut, a->body);
    json_t *j = body_json(a);
    assert_int_equal(json_integer_value(json_object_get(j, "status")), a->status);
    assert_non_null(json_string_value(json_object_get(j, "code")));
    json_decref(j);
    return 1;
}

struct tally {
    long steps, normal, errors, closed, cut;
};

static char req_url[256], req_body[1024];

/* The next iteration's request (and its set-up), made before any injection. */
static void prepare(const struct path *p)
{
    if (p->build) {
        assert_true(next_vol < N_VOLS - 1); /* the last is the fixture certificate's */
        cur_person = vols[next_vol];
        if (p->count && p->build != build_help) next_vol++; /* a help request names no volunteer */
        if (p->setup) p->setup();
        p->build(req_url, sizeof req_url, req_body, sizeof req_body);
    } else {
        snprintf(req_url, sizeof req_url, "%s", p->url);
        snprintf(req_body, sizeof req_body, "%s", p->body ? p->body : "");
    }
}

static void run_once(const struct path *p, struct answer *a)
{
    request(p->method, req_url, auth_of(p), req_body[0] ? req_body : NULL, a);
}

/* One normal request of the path: it must answer normally (and write one row); returns the
 * allocations it made. */
static long measure(const struct path *p, int64_t *rows, int64_t *audit)
{
    struct answer a;
    int64_t r2, a2;
    prepare(p);
    long c0 = rx_alloc_count();
    run_once(p, &a);
    wait_idle();
    long allocs = rx_alloc_count() - c0;
    if (normal_answer(p, &a) != 1) fail_msg("%s: status %d: %.300s", p->name, a.status, a.body);
    answer_free(&a);
    if (p->count) {
        p->count(&r2, &a2);
        assert_int_equal(r2, *rows + 1);
        assert_int_equal(a2, *audit + 1);
        *rows = r2, *audit = a2;
    }
    return allocs;
}

/* The "from" walk of a path goes first, before any normal request of it, so that its
 * statements are prepared (and its thread's read connection opened, on first use) under
 * injection: each step gets one allocation further into the preparation that failed last. */
static void walk(const struct path *p, long stride, int once, struct tally *t)
{
    struct answer a;
    int64_t rows = 0, audit = 0, r2, a2, t0 = now_ms();
    if (p->count) p->count(&rows, &audit);
    long allocs = once ? measure(p, &rows, &audit) : 0;
    long n;
    if (p->stride > 1 && stride > 1) stride *= p->stride;
    for (n = 0; n < 100000; n += stride) {
        prepare(p);
        long f0 = rx_alloc_failures();
        if (once) rx_alloc_fail_once(n);
        else rx_alloc_fail_after(n);
        run_once(p, &a);
        rx_alloc_fail_after(-1);
        rx_alloc_fail_once(-1);
        wait_idle();
        int injected = rx_alloc_failures() != f0;
        t->steps++;
        int wrote = 0;
        int na = normal_answer(p, &a);
        if (na == 2) {
            t->cut++;
        } else if (na) {
            t->normal++;
            wrote = 1;
        } else if (server_error(p, &a)) {
            t->errors++;
        } else if (a.status == 0) {
            t->closed++;
            wrote = -1; /* unknown */
        } else {
            fail_msg("%s, failing %s allocation %ld: unexpected %d: %.300s", p->name, once ? "only" : "from", n,
                     a.status, a.body);
        }
        if (!injected && na != 1)
            fail_msg("%s, failing %s allocation %ld: nothing was refused, yet status %d: %.300s", p->name,
                     once ? "only" : "from", n, a.status, a.body);
        char said[200];
        snprintf(said, sizeof said, "%d %.150s", a.status, a.body ? a.body : "");
        answer_free(&a);
        if (p->count) {
            p->count(&r2, &a2);
            if (wrote == -1) wrote = (int)(r2 - rows);
            if (r2 != rows + wrote || a2 != audit + wrote)
                fail_msg("%s, failing %s allocation %ld: %lld rows (%lld audited) after %lld (%lld)"
                         " and an answer that %s: %s",
                         p->name, once ? "only" : "from", n, (long long)r2, (long long)a2, (long long)rows, (long long)audit,
                         wrote ? "wrote" : "did not write", said);
            rows = r2, audit = a2;
        }
        /* the server still works */
        json_t *j = must(200, "GET", "/api/v1/me", admin_token, NULL);
        json_decref(j);
        if (!injected) break;
    }
    if (n >= 100000) fail_msg("%s: the walk did not end", p->name);
    if (!once) allocs = measure(p, &rows, &audit);
    printf("  %-4s %-26s %4ld allocations, %4ld steps: %4ld normal, %4ld 5xx, %ld closed, %ld cut; %.1f s\n",
           once ? "once" : "from", p->name, allocs, t->steps, t->normal, t->errors, t->closed, t->cut,
           (double)(now_ms() - t0) / 1000);
    fflush(stdout);
}

static void test_walk(void **state)
{
    const char *s = getenv("REXIN_OOM_STRIDE");
    long stride = s ? strtol(s, NULL, 10) : DEFAULT_STRIDE;
    if (stride < 1) stride = 1;
    if (getenv("REXIN_OOM_JANSSON")) json_set_alloc_funcs(rx_malloc, rx_free);
    const char *sq = getenv("REXIN_OOM_SQLITE");
    if (!sq || strcmp(sq, "0") != 0) assert_int_equal(rx_store_sqlite_use_rx_alloc(), 0);
    start_server();
    make_fixtures();
    struct tally all = {0};
    int64_t t0 = now_ms();
    for (size_t i = 0; i < 2 * ARRAY_LEN(paths); i++) {
        struct tally t = {0};
        walk(&paths[i % ARRAY_LEN(paths)], stride, i >= ARRAY_LEN(paths), &t);
        all.steps += t.steps, all.normal += t.normal, all.errors += t.errors;
        all.closed += t.closed, all.cut += t.cut;
    }
    printf("  all paths: %ld injected steps: %ld normal, %ld 5xx, %ld closed, %ld cut; %.1f s\n",
           all.steps, all.normal, all.errors, all.closed, all.cut, (double)(now_ms() - t0) / 1000);
    /* closing without an answer is for when none could be built: rare */
    assert_true((all.closed + all.cut) * 20 <= all.steps);
    assert_int_equal(db_int("SELECT count(*) FROM pragma_integrity_check WHERE integrity_check != 'ok'"), 0);
    stop_server();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
