/* http_request.c: HTTP requests as the server sees them, end to end.
 *
 * Why the real server and not the route matcher alone: what a hostile client controls is the
 * byte stream, and the bugs worth finding sit between the layers (libmicrohttpd's parsing of
 * the request line, headers, cookies, query strings and chunked bodies; our limits on header
 * and body size; routing, authentication, Origin and Content-Type checks; JSON parsing and
 * the handlers; the step machinery that suspends a connection and resumes it from the writer
 * or CPU threads). A harness over static functions would miss all of that. The cost is speed
 * (a TCP connection per input, a few hundred to a few thousand inputs a second), which
 * libFuzzer tolerates; coverage of the server's threads counts because libFuzzer's counters
 * are process-wide.
 *
 * Once per process: a temporary data directory, the demo data with admin's password
 * "admin-test-pw-1", an API token and a session for admin, and rx_server_start on a
 * loopback port. For each input: "@T@" is replaced by the API token and "@S@" by the session
 * cookie value (so the fuzzer reaches logged-in routes; the dictionary has both), the bytes
 * are written to a new connection, the write side is shut, and the answer read until the
 * first response is complete (by its Content-Length), the server closes, nothing came for
 * 30 ms (1.5 s for the argon2 routes), or 5 s pass; libmicrohttpd keeps a half-closed
 * connection open, as an idle one, until its timeout, so waiting for the close would cost
 * the timeout on every incomplete request. Then the connection is reset and the harness
 * waits until no request is in flight (rx_app.inflight), so that everything the server does
 * belongs to this input. Properties checked on the first answer:
 *   - it is an HTTP/1.x status line (or nothing, when the server hangs up on garbage);
 *   - it is never 500 (hostile input gets a 4xx; 503 is allowed for storage trouble);
 *   - a JSON or problem+json body is valid JSON.
 * And as everywhere: ASan/UBSan/LSan stop on any memory error in any thread. */
#include "fuzzutil.h"
#include "../tests/lib/seed_admin.h"
#include "http/server.h"
#include "lib/crypto.h"
#include "lib/log.h"
#include "store/seed.h"
#include "store/store.h"
#include <arpa/inet.h>
#include <errno.h>
#include <ftw.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct rx_config cfg;
static struct rx_app app;
static char token[RX_TOKEN_LEN + 1];   /* bearer token of admin */
static char session[RX_TOKEN_LEN + 1]; /* session cookie value of admin */

static char dir[] = "/tmp/rexin-fuzz-http-XXXXXX";

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path);
}

/* At exit the data directory goes (the server is still running; its open files vanish with
 * the process). */
static void cleanup(void)
{
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char err[512];
    signal(SIGPIPE, SIG_IGN);
    if (!mkdtemp(dir) || rx_crypto_init() != 0) abort();
    atexit(cleanup);
    rx_log_set_level(RX_LOG_ERROR);
    char *args[] = {"serve", "--listen", "127.0.0.1:0", "--data", dir, "--threads", "2",
                    "--session-idle", "100000000", NULL};
    if (rx_config_load(&cfg, 9, args, NULL, NULL, err, sizeof err)) {
        fprintf(stderr, "config: %s\n", err);
        abort();
    }
    app.cfg = &cfg;
    if (rx_keys_load(dir, &app.keys)) abort();
    struct rx_store_opts o = {.url = cfg.db, .migrate = 1};
    if (rx_store_open(&app.store, &o, err, sizeof err)) {
        fprintf(stderr, "store: %s\n", err);
        abort();
    }
    char hash[RX_PW_HASH_LEN];
    if (rx_password_hash("admin-test-pw-1", hash)) abort();
    rx_token_new(token, "");
    rx_token_new(session, "");
    struct rx_seed_admin sc = {hash, (int64_t)time(NULL), token, session, "fuzz"};
    if (rx_store_write(app.store, rx_seed_admin_fn, &sc)) abort();
    if (rx_server_start(&app, err, sizeof err)) {
        fprintf(stderr, "server: %s\n", err);
        abort();
    }
    fprintf(stderr, "http_request: server on 127.0.0.1:%d, data %s\n", app.port, dir);
    return 0;
}

/* The input with @T@ and @S@ replaced (malloc'd). */
static char *expand(const uint8_t *data, size_t size, size_t *outlen)
{
    char *out = malloc(size * 15 + 1); /* 3 bytes -> 43 at most */
    size_t k = 0;
    if (!out) abort();
    for (size_t i = 0; i < size;) {
        if (i + 3 <= size && data[i] == '@' && data[i + 2] == '@' &&
            (data[i + 1] == 'T' || data[i + 1] == 'S')) {
            const char *t = data[i + 1] == 'T' ? token : session;
            memcpy(out + k, t, RX_TOKEN_LEN);
            k += RX_TOKEN_LEN;
            i += 3;
        } else {
            out[k++] = (char)data[i++];
        }
    }
    *outlen = k;
    return out;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* 1 when resp[0..n) holds a whole first response (headers and Content-Length bytes). */
static int complete(const char *resp, size_t n, int head)
{
    const char *end = memmem(resp, n, "\r\n\r\n", 4);
    if (!end) return 0;
    if (head || (n >= 12 && (memcmp(resp + 9, "204", 3) == 0 || memcmp(resp + 9, "304", 3) == 0)))
        return 1;
    size_t headlen = (size_t)(end - resp);
    char *h = fz_strndup(resp, headlen);
    const char *cl = strcasestr(h, "\r\nContent-Length:");
    size_t len = cl ? (size_t)strtoul(cl + 17, NULL, 10) : (size_t)-1;
    free(h);
    return cl && n - headlen - 4 >= len;
}

/* Checks the first answer in resp[0..n). */
static void check_answer(const char *req, size_t reqlen, const char *resp, size_t n)
{
    if (n == 0) return; /* hung up without answering: allowed for garbage */
    FZ_CHECK(n >= 12 && memcmp(resp, "HTTP/1.", 7) == 0, "not a status line: %.40s", resp);
    int status = atoi(resp + 9); /* harness only: the status is three digits we just checked */
    FZ_CHECK(status >= 100 && status <= 599, "status %d", status);
    FZ_CHECK(status != 500, "500 for input: %.*s\n--- answer ---\n%.*s", (int)(reqlen < 2000 ? reqlen : 2000),
             req, (int)(n < 2000 ? n : 2000), resp);
    const char *end = memmem(resp, n, "\r\n\r\n", 4);
    if (!end || (reqlen >= 4 && memcmp(req, "HEAD", 4) == 0)) return;
    const char *body = end + 4;
    size_t headlen = (size_t)(end - resp);
    char *head = fz_strndup(resp, headlen);
    const char *cl = strcasestr(head, "\r\nContent-Length:");
    const char *ct = strcasestr(head, "\r\nContent-Type:");
    if (cl && ct && (strncasecmp(ct + 15, " application/json", 17) == 0 ||
                     strncasecmp(ct + 15, " application/problem+json", 25) == 0)) {
        size_t len = (size_t)strtoul(cl + 17, NULL, 10);
        if (len && (size_t)(resp + n - body) >= len) {
            json_error_t e;
            json_t *j = json_loadb(body, len, 0, &e);
            FZ_CHECK(j, "answer body is not JSON (%s): %.*s", e.text, (int)(len < 500 ? len : 500), body);
            json_decref(j);
        }
    }
    free(head);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t reqlen;
    char *req = expand(data, size, &reqlen);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) abort();
    struct linger lg = {1, 0}; /* close with RST: no TIME_WAIT pile-up over millions of runs */
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)app.port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        fprintf(stderr, "connect: %s\n", strerror(errno));
        abort();
    }
    int64_t deadline = now_ms() + 5000;
    size_t off = 0;
    static char resp[1 << 20];
    size_t got = 0;
    /* write everything (reading meanwhile, so a large answer cannot block us) */
    while (off < reqlen && now_ms() < deadline) {
        struct pollfd p = {fd, POLLOUT | POLLIN, 0};
        if (poll(&p, 1, 100) <= 0) continue;
        if (p.revents & POLLIN) {
            ssize_t r = recv(fd, resp + got, sizeof resp - 1 - got, 0);
            if (r > 0) got += (size_t)r;
            else break;
            resp[got] = 0;
        }
        if (p.revents & (POLLERR | POLLHUP)) break;
        if (p.revents & POLLOUT) {
            ssize_t w = send(fd, req + off, reqlen - off, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (w > 0) off += (size_t)w;
            else if (w < 0 && errno != EAGAIN) break;
        }
    }
    shutdown(fd, SHUT_WR);
    int head = reqlen >= 4 && memcmp(req, "HEAD", 4) == 0;
    int64_t last = now_ms();
    int slow = memmem(req, reqlen, "/api/v1/session", 15) || memmem(req, reqlen, "/password", 9);
    while (got < sizeof resp - 1 && now_ms() < deadline && !complete(resp, got, head)) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 10) <= 0) {
            /* Nothing for a while: either the server waits for bytes that will not come
             * (libmicrohttpd keeps half-closed connections until its timeout), or a step is
             * still running. Only argon2 (log-in, password change) takes long. */
            int64_t quiet = now_ms() - last;
            if (quiet >= (atomic_load(&app.inflight) && slow ? 1500 : 30)) break;
            continue;
        }
        last = now_ms();
        ssize_t r = recv(fd, resp + got, sizeof resp - 1 - got, 0);
        if (r <= 0) break;
        got += (size_t)r;
        resp[got] = 0;
    }
    resp[got] = 0;
    close(fd);
    /* Let the server finish with this input before the next starts, so that whatever it
     * does (and any crash) belongs to this input. */
    while (atomic_load(&app.inflight) > 0 && now_ms() < deadline + 5000) usleep(1000);
    if (now_ms() > deadline - 4000 && getenv("FUZZ_HTTP_SLOW"))
        fprintf(stderr, "slow (%lld ms): %.*s\n--- got %zu bytes: %.200s\n",
                (long long)(now_ms() - deadline + 5000), (int)(reqlen < 300 ? reqlen : 300), req,
                got, resp);
    check_answer(req, reqlen, resp, got);
    free(req);
    return 0;
}
