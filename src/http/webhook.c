/* webhook.c: see webhook.h. The thread wakes four times a second, reads due deliveries on
 * its own read connection, and for each: claims it (write job), posts it with a small
 * blocking HTTP/1.1 client under one deadline, and records the outcome (write job). */
#include "http/webhook.h"
#include "http/server.h"
#include "lib/alloc.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/timefmt.h"
#include "store/store.h"
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define POLL_MS 250
#define BATCH 20
#define TIMEOUT_MS 10000
#define LEASE_SECONDS 60
#define EXPIRE_SECONDS 86400

/* ------------------------------------------------------------------ pure parts */

int rx_webhook_parse_url(const char *url, struct rx_webhook_url *out)
{
    memset(out, 0, sizeof *out);
    if (!url || strncmp(url, "http://", 7) != 0) return -1;
    const char *h = url + 7, *end = h + strcspn(h, "/?#");
    if (memchr(h, '@', (size_t)(end - h))) return -1; /* no user info */
    const char *colon = NULL;
    if (*h == '[') { /* [v6]:port */
        const char *rb = memchr(h, ']', (size_t)(end - h));
        if (!rb) return -1;
        if ((size_t)(rb - h - 1) >= sizeof out->host || rb == h + 1) return -1;
        memcpy(out->host, h + 1, (size_t)(rb - h - 1));
        if (rb + 1 < end && rb[1] != ':') return -1;
        colon = rb + 1 < end ? rb + 1 : NULL;
    } else {
        colon = memchr(h, ':', (size_t)(end - h));
        const char *he = colon ? colon : end;
        if (he == h || (size_t)(he - h) >= sizeof out->host) return -1;
        memcpy(out->host, h, (size_t)(he - h));
        for (const char *p = out->host; *p; p++)
            if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                  (*p >= '0' && *p <= '9') || *p == '.' || *p == '-'))
                return -1;
    }
    if (colon) {
        size_t pl = (size_t)(end - colon - 1);
        if (pl == 0 || pl > 5) return -1;
        long port = 0;
        for (size_t i = 0; i < pl; i++) {
            if (colon[1 + i] < '0' || colon[1 + i] > '9') return -1;
            port = port * 10 + (colon[1 + i] - '0');
        }
        if (port < 1 || port > 65535) return -1;
        snprintf(out->port, sizeof out->port, "%ld", port);
    } else {
        snprintf(out->port, sizeof out->port, "80");
    }
    const char *path = end;
    size_t plen = strcspn(path, "#");
    if (plen == 0) {
        snprintf(out->path, sizeof out->path, "/");
    } else {
        if (plen >= sizeof out->path - 1) return -1;
        size_t k = 0;
        if (*path == '?') out->path[k++] = '/';
        memcpy(out->path + k, path, plen);
        out->path[k + plen] = 0;
    }
    for (const char *p = out->path; *p; p++)
        if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7F)
            return -1; /* no spaces, CR, LF */
    return 0;
}

int64_t rx_webhook_backoff(int attempts)
{
    if (attempts < 1) attempts = 1;
    int64_t s = 5;
    for (int i = 1; i < attempts && s < 3600; i++)
        s *= 2;
    return s > 3600 ? 3600 : s;
}

void rx_webhook_sign(const char *secret, const char *body, size_t n, char out[72])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)(secret ? secret : ""),
                                secret ? strlen(secret) : 0);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, n);
    crypto_auth_hmacsha256_final(&st, mac);
    memcpy(out, "sha256=", 7); // NOLINT(bugprone-not-null-terminated-result): bin2hex ends it
    sodium_bin2hex(out + 7, 65, mac, sizeof mac);
}

int rx_webhook_status(const char *resp, size_t n)
{
    /* "HTTP/1.1 200 OK" */
    if (n < 12 || memcmp(resp, "HTTP/1.", 7) != 0 || resp[8] != ' ') return -1;
    int code = 0;
    for (int i = 9; i < 12; i++) {
        if (resp[i] < '0' || resp[i] > '9') return -1;
        code = code * 10 + (resp[i] - '0');
    }
    if (n > 12 && resp[12] != ' ' && resp[12] != '\r') return -1;
    return code >= 100 ? code : -1;
}

/* ------------------------------------------------------------------ the client */

static int64_t mono_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Waits for fd to be ready for events until the deadline; 1 ready, 0 timeout or stopping,
 * -1 error. Looks at *stop every 200 ms so shutting down never waits out a slow gateway. */
static int wait_fd(int fd, short events, int64_t deadline, _Atomic int *stop)
{
    for (;;) {
        int64_t left = deadline - mono_ms();
        if (left <= 0 || atomic_load(stop)) return 0;
        struct pollfd p = {.fd = fd, .events = events};
        int k = poll(&p, 1, left > 200 ? 200 : (int)left);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) return -1;
        if (k > 0) return 1;
    }
}

static int connect_to(const struct rx_webhook_url *u, int64_t deadline, _Atomic int *stop,
                      char *err, size_t errlen)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res = NULL;
    int g = getaddrinfo(u->host, u->port, &hints, &res);
    if (g) {
        snprintf(err, errlen, "cannot resolve %.64s: %s", u->host, gai_strerror(g));
        return -1;
    }
    int fd = -1;
    for (struct addrinfo *a = res; a && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
        if (fd < 0) continue;
        if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) break;
        int soerr = errno;
        if (soerr == EINPROGRESS && wait_fd(fd, POLLOUT, deadline, stop) == 1) {
            socklen_t sl = sizeof soerr;
            if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 && soerr == 0) break;
        }
        snprintf(err, errlen, "cannot connect to %.64s:%s: %s", u->host, u->port,
                 soerr == EINPROGRESS ? "timed out" : strerror(soerr));
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

/* Posts body; *status gets the HTTP status, or -1 when none came. 0 when an answer came. */
static int post(const struct rx_webhook_url *u, const char *head, size_t hn, const char *body,
                size_t bn, _Atomic int *stop, int *status, char *err, size_t errlen)
{
    *status = -1;
    int64_t deadline = mono_ms() + TIMEOUT_MS;
    int fd = connect_to(u, deadline, stop, err, errlen);
    if (fd < 0) return -1;
    const char *parts[2] = {head, body};
    const size_t lens[2] = {hn, bn};
    int rc = 0;
    for (int i = 0; i < 2 && !rc; i++) {
        size_t off = 0;
        while (off < lens[i] && !rc) {
            ssize_t k = send(fd, parts[i] + off, lens[i] - off, MSG_NOSIGNAL);
            if (k > 0) {
                off += (size_t)k;
            } else if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
                if (wait_fd(fd, POLLOUT, deadline, stop) != 1) {
                    snprintf(err, errlen, "timed out sending");
                    rc = -1;
                }
            } else {
                snprintf(err, errlen, "send: %s", strerror(errno));
                rc = -1;
            }
        }
    }
    char resp[512] = "";
    size_t got = 0;
    while (!rc && got < sizeof resp && !memchr(resp, '\n', got)) {
        ssize_t k = recv(fd, resp + got, sizeof resp - got, 0);
        if (k > 0) {
            got += (size_t)k;
        } else if (k == 0) {
            break;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
            if (wait_fd(fd, POLLIN, deadline, stop) != 1) {
                snprintf(err, errlen, "no answer within %d s", TIMEOUT_MS / 1000);
                rc = -1;
            }
        } else {
            snprintf(err, errlen, "recv: %s", strerror(errno));
            rc = -1;
        }
    }
    close(fd);
    if (rc) return -1;
    *status = rx_webhook_status(resp, got);
    if (*status < 0) {
        snprintf(err, errlen, "not an HTTP answer");
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ the thread */

struct rx_webhook {
    struct rx_app *app; /* not owned */
    struct rx_webhook_url url;
    char *secret; /* NULL when unset; owned */
    pthread_t thread;
    pthread_mutex_t mu; /* with cv, wakes the thread early on stop */
    pthread_cond_t cv;
    _Atomic int stopping; /* also read by the client between polls */
};

struct due {
    int64_t id, notification, attempts, next, created, user, person;
    char *kind, *payload, *phone; /* owned */
};

struct claim_job {
    int64_t id, next, until, now, changes;
};

static int claim_fn(struct rx_db *db, void *ctx)
{
    struct claim_job *j = ctx;
    return rx_db_exec(db, Q_HOOK_CLAIM,
                      RX_ARGS(RX_I(j->id), RX_I(j->next), RX_I(j->until), RX_I(j->now)),
                      &j->changes, NULL);
}

struct result_job {
    int64_t id, now, next;
    int ok, status, give_up;
    const char *error;
};

static int result_fn(struct rx_db *db, void *ctx)
{
    struct result_job *j = ctx;
    if (j->ok)
        return rx_db_exec(db, Q_HOOK_DELIVERED, RX_ARGS(RX_I(j->id), RX_I(j->now), RX_I(j->status)),
                          NULL, NULL);
    return rx_db_exec(db, Q_HOOK_FAILED,
                      RX_ARGS(RX_I(j->id), RX_I(j->next), j->status > 0 ? RX_I(j->status) : RX_NUL,
                              RX_T(j->error), j->give_up ? RX_I(j->now) : RX_NUL),
                      NULL, NULL);
}

struct expire_job {
    int64_t now;
};

static int expire_fn(struct rx_db *db, void *ctx)
{
    struct expire_job *j = ctx;
    return rx_db_exec(db, Q_HOOK_EXPIRE, RX_ARGS(RX_I(j->now - EXPIRE_SECONDS), RX_I(j->now)), NULL,
                      NULL);
}

static char *dup_or_null(const char *s)
{
    return s ? rx_strdup(s) : NULL;
}

static void deliver(struct rx_webhook *wh, struct due *d)
{
    struct rx_app *app = wh->app;
    int64_t now = rx_app_now(app);
    struct claim_job cj = {.id = d->id, .next = d->next, .until = now + LEASE_SECONDS, .now = now};
    if (rx_store_write(app->store, claim_fn, &cj) != RX_OK || cj.changes != 1) return;
    int attempt = (int)d->attempts + 1;

    struct rx_buf body, head;
    struct rx_json w;
    char t[RX_TIMEFMT_RFC3339_SIZE];
    rx_buf_init(&body, 256 * 1024);
    rx_buf_init(&head, 4096);
    rx_json_init(&w, &body);
    rx_json_obj(&w);
    rx_json_kint(&w, "id", d->notification);
    rx_json_kstr(&w, "kind", d->kind);
    rx_timefmt_format(d->created, RX_TIMEFMT_BEIJING, t, sizeof t);
    rx_json_kstr(&w, "created_at", t);
    if (d->user)
        rx_json_kint(&w, "user_id", d->user);
    else
        rx_json_knull(&w, "user_id");
    if (d->person)
        rx_json_kint(&w, "person_id", d->person);
    else
        rx_json_knull(&w, "person_id");
    rx_json_kstr(&w, "phone", d->phone);
    rx_json_key(&w, "payload");
    if (d->payload && *d->payload == '{')
        rx_json_raw(&w, d->payload, strlen(d->payload));
    else
        rx_json_null(&w);
    rx_json_end(&w);
    char sig[72] = "";
    if (wh->secret) rx_webhook_sign(wh->secret, body.data ? body.data : "", body.len, sig);
    rx_buf_printf(&head,
                  "POST %s HTTP/1.1\r\nHost: %s:%s\r\nUser-Agent: rexin-webhook/1\r\n"
                  "Content-Type: application/json\r\nContent-Length: %zu\r\nConnection: close\r\n"
                  "X-Rexin-Delivery: %lld\r\nX-Rexin-Event: %s\r\nX-Rexin-Attempt: %d\r\n",
                  wh->url.path, wh->url.host, wh->url.port, body.len, (long long)d->notification,
                  d->kind ? d->kind : "", attempt);
    if (sig[0]) rx_buf_printf(&head, "X-Rexin-Signature: %s\r\n", sig);
    rx_buf_puts(&head, "\r\n");

    int status = -1, ok = 0;
    char err[256] = "";
    if (body.err || head.err) {
        snprintf(err, sizeof err, "notification too large");
    } else if (post(&wh->url, head.data, head.len, body.data, body.len, &wh->stopping, &status, err,
                    sizeof err) == 0) {
        ok = status >= 200 && status < 300;
        if (!ok) snprintf(err, sizeof err, "answered %d", status);
    }
    rx_buf_free(&body);
    rx_buf_free(&head);

    if (!ok && atomic_load(&wh->stopping)) return; /* cut short: the lease brings it back */
    int64_t started = now;
    now = rx_app_now(app);
    struct result_job rj = {.id = d->id, .now = now, .ok = ok, .status = status, .error = err};
    if (!ok) {
        /* counted from the start of the attempt, but never due before it ended */
        rj.give_up = attempt >= RX_WEBHOOK_MAX_ATTEMPTS;
        rj.next = started + rx_webhook_backoff(attempt);
        if (rj.next <= now) rj.next = now + 1;
        rx_warn("msg=\"webhook delivery failed\" notification=%lld attempt=%d error=\"%s\"%s",
                (long long)d->notification, attempt, err, rj.give_up ? " given_up=1" : "");
    } else {
        rx_log(RX_LOG_DEBUG, "msg=\"webhook delivered\" notification=%lld attempt=%d",
               (long long)d->notification, attempt);
    }
    if (rx_store_write(app->store, result_fn, &rj) != RX_OK)
        rx_warn("msg=\"webhook result not saved\" notification=%lld", (long long)d->notification);
}

static int load_due(struct rx_webhook *wh, struct due *d, int max)
{
    struct rx_db *db = rx_store_reader(wh->app->store);
    if (!db) return 0;
    struct rx_cursor c;
    if (rx_db_query(db, Q_HOOK_DUE, RX_ARGS(RX_I(rx_app_now(wh->app)), RX_I(max)), &c)) return 0;
    int n = 0;
    while (n < max && rx_cursor_next(&c) == 1) {
        d[n] = (struct due){
            .id = rx_cursor_int(&c, 0),
            .notification = rx_cursor_int(&c, 1),
            .attempts = rx_cursor_int(&c, 2),
            .next = rx_cursor_int(&c, 3),
            .kind = dup_or_null(rx_cursor_text(&c, 4)),
            .payload = dup_or_null(rx_cursor_text(&c, 5)),
            .created = rx_cursor_int(&c, 6),
            .user = rx_cursor_int(&c, 7),
            .person = rx_cursor_int(&c, 8),
            .phone = dup_or_null(rx_cursor_text(&c, 9)),
        };
        n++;
    }
    rx_cursor_close(&c);
    return n;
}

static int stopping(struct rx_webhook *wh, int wait_ms)
{
    pthread_mutex_lock(&wh->mu);
    if (wait_ms > 0 && !wh->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += (long)wait_ms * 1000000L;
        until.tv_sec += until.tv_nsec / 1000000000L;
        until.tv_nsec %= 1000000000L;
        while (!wh->stopping && pthread_cond_timedwait(&wh->cv, &wh->mu, &until) == 0) {
        }
    }
    int s = wh->stopping;
    pthread_mutex_unlock(&wh->mu);
    return s;
}

static void *webhook_main(void *arg)
{
    struct rx_webhook *wh = arg;
    int64_t last_expire = 0;
    while (!stopping(wh, POLL_MS)) {
        int64_t now = rx_app_now(wh->app);
        if (now - last_expire >= 60 || now < last_expire) {
            struct expire_job ej = {.now = now};
            rx_store_write(wh->app->store, expire_fn, &ej);
            last_expire = now;
        }
        struct due d[BATCH];
        int n = load_due(wh, d, BATCH);
        for (int i = 0; i < n; i++) {
            if (!stopping(wh, 0)) deliver(wh, &d[i]);
            rx_free(d[i].kind);
            rx_free(d[i].payload);
            rx_free(d[i].phone);
        }
    }
    return NULL;
}

int rx_webhook_start(struct rx_app *app, struct rx_webhook **out, char *err, size_t errlen)
{
    *out = NULL;
    const char *url = app->cfg->webhook_url;
    if (!url || !*url) return 0;
    struct rx_webhook *wh = rx_calloc(1, sizeof *wh);
    if (!wh) return snprintf(err, errlen, "out of memory"), -1;
    if (rx_webhook_parse_url(url, &wh->url)) {
        snprintf(err, errlen,
                 "webhook-url must be http://host[:port][/path] (for https, run a local relay such "
                 "as nginx or stunnel and point webhook-url at it)");
        rx_free(wh);
        return -1;
    }
    wh->app = app;
    if (app->cfg->webhook_secret && *app->cfg->webhook_secret) {
        wh->secret = rx_strdup(app->cfg->webhook_secret);
        if (!wh->secret) {
            rx_free(wh);
            return snprintf(err, errlen, "out of memory"), -1;
        }
    }
    pthread_mutex_init(&wh->mu, NULL);
    pthread_cond_init(&wh->cv, NULL);
    if (pthread_create(&wh->thread, NULL, webhook_main, wh) != 0) {
        pthread_mutex_destroy(&wh->mu);
        pthread_cond_destroy(&wh->cv);
        rx_free(wh->secret);
        rx_free(wh);
        return snprintf(err, errlen, "cannot start the webhook thread"), -1;
    }
    *out = wh;
    return 0;
}

void rx_webhook_stop(struct rx_webhook *wh)
{
    if (!wh) return;
    pthread_mutex_lock(&wh->mu);
    wh->stopping = 1;
    pthread_cond_broadcast(&wh->cv);
    pthread_mutex_unlock(&wh->mu);
    pthread_join(wh->thread, NULL);
    pthread_mutex_destroy(&wh->mu);
    pthread_cond_destroy(&wh->cv);
    if (wh->secret) sodium_memzero(wh->secret, strlen(wh->secret));
    rx_free(wh->secret);
    rx_free(wh);
}
