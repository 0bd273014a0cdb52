/* server.c: libmicrohttpd glue, request life cycle, limits, authentication, dispatch of
 * steps to threads, static files and metrics. See http.h for the model.
 *
 * Life of a request (one struct rx_req per request, in *con_cls):
 *   call 1        create the request, check header size and Content-Length; answer nothing
 *                 yet (queueing on the first call would disable keep-alive), except to
 *                 refuse huge headers or a declared body far over the cap;
 *   calls 2..n    append body chunks, refusing past the cap with 413 at once;
 *   last call     route, authenticate, check origin/content type, parse JSON, run the first
 *                 step; READ steps run here, others suspend the connection;
 *   after resume  queue the answer the other thread prepared.
 * MHD_OPTION_NOTIFY_COMPLETED frees the request. */
#include "http/server.h"
#include "http/cache.h"
#include "http/internal.h"
#include "http/messages.h"
#include "http/recent.h"
#include "lib/alloc.h"
#include "lib/embed.h"
#include "lib/log.h"
#include "store/store.h"
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_HEADER_BYTES (16 * 1024)
#define MAX_JSON_DEPTH 32
#define ARENA_CAP (64u * 1024 * 1024)
#define OUT_CAP (256u * 1024 * 1024)
#define SESSION_COOKIE "rexin_session"
#define WROTE_COOKIE "rexin_wrote"
#define SESSION_TOUCH_EVERY 60
/* A declared body over the cap but at most this long is read and thrown away before the
 * 413 (see on_request); a longer one gets the 413 at once and the connection closes. */
#define DISCARD_DECLARED_MAX (8 * 1024 * 1024)
static const char JSON_TYPE[] = "application/json; charset=utf-8";

enum phase { PH_RECEIVE, PH_RUNNING, PH_READY, PH_SENT };

struct conn {
    struct rx_req r;             /* must stay first: handlers see only the request */
    struct MHD_Connection *mhd;  /* the connection */
    enum phase phase;
    int suspended;               /* 1 while another thread works on it */
    int too_big;                 /* body exceeded the cap: the rest is discarded */
    int nomem;                   /* ... or there was no memory for it */
    size_t discarded;            /* body bytes thrown away after the cap */
    int cut_off;                 /* the body passed the hard limit: 413 sent, closing */
    struct timespec cut_off_at;  /* when it did */
    struct rx_buf body;          /* body being received */
    struct rx_req *saved;        /* the request before a write job ran, to run it again */
    int64_t wrote_at;            /* when the client says this user last wrote (cookie) */
    int wrote;                   /* a write step of this request committed */
    char *cache_key;             /* answer cache key (arena) when the answer may be kept */
    size_t cache_keylen;
    struct timespec start;       /* for latency */
};

/* A streamed body (rx_reply_stream): pieces from fill, handed out as MHD asks. */
struct rx_stream {
    struct rx_app *app;
    rx_stream_fill_fn fill;
    void *ctx;
    void (*free_ctx)(void *);
    struct rx_buf buf; /* the current piece */
    size_t off;        /* bytes of buf already sent */
    int done;          /* fill said this was the last piece */
};

static const unsigned status_codes[RX_STATUS_BUCKETS - 1] = {
    200, 201, 204, 304, 400, 401, 403, 404, 405, 409, 410, 413, 415, 422, 429, 431, 500, 503, 0};

/* ------------------------------------------------------------------ clock */

int64_t rx_app_now(struct rx_app *app)
{
    return (int64_t)time(NULL) + atomic_load(&app->clock_offset);
}

/* ------------------------------------------------------------------ answering */

struct rx_json *rx_json_begin(struct rx_req *r)
{
    /* In the request, not the arena: handlers use the writer without checking, and an
     * arena out of memory gave them NULL (a crash in every handler). */
    struct rx_json *w = &r->json_out;
    rx_buf_reset(&r->out);
    rx_json_init(w, &r->out);
    return w;
}

/* A look-up that failed (rx_store_problem answered 5xx) is not followed by an answer built
 * without it: the store problem stays. */
static int keep_store_problem(struct rx_req *r)
{
    if (!r->store_failed || r->status < 500) return 0;
    rx_store_problem(r, r->store_failed);
    return 1;
}

void rx_reply(struct rx_req *r, int status)
{
    if (keep_store_problem(r)) return;
    if (r->out.err) {
        rx_buf_reset(&r->out);
        if (r->out.err == RX_BUF_NOMEM) rx_problem(r, 503, "out_of_memory", NULL);
        else rx_problem(r, 500, "internal_error", NULL);
        return;
    }
    r->status = status;
    r->content_type = JSON_TYPE;
    r->next = NULL;
}

void rx_reply_created(struct rx_req *r, const char *location)
{
    r->location = location;
    rx_reply(r, 201);
}

void rx_reply_empty(struct rx_req *r, int status)
{
    if (keep_store_problem(r)) return;
    rx_buf_reset(&r->out);
    r->status = status;
    r->content_type = NULL;
    r->next = NULL;
}

void rx_reply_text(struct rx_req *r, int status, const char *content_type, const char *text,
                   size_t len)
{
    if (keep_store_problem(r)) return;
    rx_buf_reset(&r->out);
    if (rx_buf_append(&r->out, text, len)) { /* not a 200 with an empty body */
        rx_reply(r, status);
        return;
    }
    r->status = status;
    r->content_type = content_type;
    r->next = NULL;
}

static void stream_free(void *cls)
{
    struct rx_stream *s = cls;
    if (!s) return;
    if (s->free_ctx) s->free_ctx(s->ctx);
    rx_buf_free(&s->buf);
    rx_free(s);
}

static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
    struct rx_stream *s = cls;
    while (s->off >= s->buf.len) {
        if (s->done) return MHD_CONTENT_READER_END_OF_STREAM;
        rx_buf_reset(&s->buf);
        s->off = 0;
        struct rx_db *db = rx_store_reader(s->app->store);
        int rc = db ? s->fill(s->ctx, db, &s->buf) : -1;
        if (rc < 0 || s->buf.err) {
            rx_log(RX_LOG_WARN, "msg=\"streamed answer failed\" rc=%d", rc);
            return MHD_CONTENT_READER_END_WITH_ERROR;
        }
        if (rc == 0) s->done = 1;
    }
    size_t n = s->buf.len - s->off;
    if (n > max) n = max;
    memcpy(out, s->buf.data + s->off, n);
    s->off += n;
    return (ssize_t)n;
}

/* Fills the first piece of a streamed body before its status is sent; 0 on failure. */
static int stream_first_piece(struct rx_stream *s)
{
    struct rx_db *db = rx_store_reader(s->app->store);
    int rc = db ? s->fill(s->ctx, db, &s->buf) : -1;
    if (rc < 0 || s->buf.err) {
        rx_log(RX_LOG_WARN, "msg=\"streamed answer failed\" rc=%d", rc);
        return 0;
    }
    if (rc == 0) s->done = 1;
    return 1;
}

void rx_reply_stream(struct rx_req *r, const char *content_type, rx_stream_fill_fn fill,
                     void *ctx, void (*free_ctx)(void *))
{
    struct rx_stream *s = rx_calloc(1, sizeof *s);
    if (!s) {
        if (free_ctx) free_ctx(ctx);
        rx_problem(r, 503, "out_of_memory", NULL);
        return;
    }
    s->app = r->app;
    s->fill = fill;
    s->ctx = ctx;
    s->free_ctx = free_ctx;
    rx_buf_init(&s->buf, 64u * 1024 * 1024);
    stream_free(r->stream);
    r->stream = s;
    rx_buf_reset(&r->out);
    r->status = 200;
    r->content_type = content_type;
    r->next = NULL;
}

void rx_reply_fd(struct rx_req *r, const char *content_type, int fd)
{
    if (r->has_body_fd) close(r->body_fd);
    r->body_fd = fd;
    r->has_body_fd = 1;
    rx_buf_reset(&r->out);
    r->status = 200;
    r->content_type = content_type;
    r->next = NULL;
}

const char *rx_msg(const struct rx_req *r, const char *code)
{
    const struct rx_message *m = rx_message_find(code);
    if (!m) return code;
    return r->lang == RX_LANG_EN ? m->en : m->zh;
}

void rx_field_error_detail(struct rx_req *r, const char *field, const char *code,
                           const char *detail)
{
    struct rx_json w;
    if (r->n_field_errors >= 50) return;
    if (r->n_field_errors++) rx_buf_putc(&r->field_errors, ',');
    rx_json_init(&w, &r->field_errors);
    rx_json_obj(&w);
    rx_json_kstr(&w, "field", field);
    rx_json_kstr(&w, "code", code);
    const char *m = rx_msg(r, code);
    if (detail) {
        char *both = rx_arena_printf(&r->arena, "%s: %s", m, detail);
        rx_json_kstr(&w, "message", both ? both : m);
    } else {
        rx_json_kstr(&w, "message", m);
    }
    rx_json_end(&w);
}

void rx_field_error(struct rx_req *r, const char *field, const char *code)
{
    rx_field_error_detail(r, field, code, NULL);
}

void rx_problem(struct rx_req *r, int status, const char *code, const char *detail)
{
    if (r->store_failed && status < 500 && r->status >= 500) return;
    /* A problem carries no Location and no Set-Cookie: a step that set them and then failed,
     * or whose batch did not commit (disk full), must not hand out what does not exist. */
    r->location = NULL;
    r->set_cookie = NULL;
    if (r->n_field_errors && r->field_errors.err == RX_BUF_NOMEM) {
        /* The list of field errors is incomplete: say so rather than name a few of them. */
        r->n_field_errors = 0;
        status = 503;
        code = "out_of_memory";
        detail = NULL;
    }
    rx_buf_reset(&r->out);
    struct rx_json w;
    rx_json_init(&w, &r->out);
    rx_json_obj(&w);
    char type[128];
    snprintf(type, sizeof type, "/problems/%s", code);
    rx_json_kstr(&w, "type", type);
    rx_json_kstr(&w, "title", rx_msg(r, code));
    rx_json_kint(&w, "status", status);
    rx_json_kstr(&w, "detail", detail ? detail : rx_msg(r, code));
    rx_json_kstr(&w, "code", code);
    rx_json_key(&w, "errors");
    rx_json_arr(&w);
    if (r->n_field_errors && !r->field_errors.err)
        rx_json_raw(&w, r->field_errors.data, r->field_errors.len);
    rx_json_end(&w);
    rx_json_end(&w);
    r->static_body = NULL;
    if (r->out.err) {
        /* Even the problem did not fit: answer with a fixed text that needs no memory (a
         * copy into r->out would fail the same way and answer an empty body). */
        static const char nomem[] = "{\"type\":\"/problems/out_of_memory\",\"status\":503,"
                                    "\"code\":\"out_of_memory\",\"errors\":[]}";
        static const char internal[] = "{\"type\":\"/problems/internal_error\",\"status\":500,"
                                       "\"code\":\"internal_error\",\"errors\":[]}";
        int oom = r->out.err == RX_BUF_NOMEM;
        rx_buf_reset(&r->out);
        r->static_body = (const unsigned char *)(oom ? nomem : internal);
        r->static_len = oom ? sizeof nomem - 1 : sizeof internal - 1;
        status = oom ? 503 : 500;
    }
    r->status = status;
    r->content_type = "application/problem+json; charset=utf-8";
    r->next = NULL;
}

int rx_fail_if_field_errors(struct rx_req *r)
{
    if (!r->n_field_errors) return 0;
    rx_problem(r, 400, "validation_failed", NULL);
    return 1;
}

void rx_store_problem(struct rx_req *r, int rc)
{
    r->store_failed = rc != RX_NOTFOUND && rc != RX_CONSTRAINT ? rc : 0;
    switch (rc) {
    case RX_NOTFOUND: rx_problem(r, 404, "not_found", NULL); break;
    case RX_CONSTRAINT: rx_problem(r, 409, "conflict", r->db ? rx_db_errmsg(r->db) : NULL); break;
    case RX_BUSY:
    case RX_IOERR: r->retry_after = "5"; rx_problem(r, 503, "storage_unavailable", NULL); break;
    case RX_NOMEM: rx_problem(r, 503, "out_of_memory", NULL); break;
    default: rx_problem(r, 500, "internal_error", NULL);
    }
}

void rx_then(struct rx_req *r, enum rx_exec exec, rx_step_fn fn)
{
    r->next = fn;
    r->next_exec = exec;
}

/* ------------------------------------------------------------------ request data */

const char *rx_query(const struct rx_req *r, const char *name)
{
    for (int i = 0; i < r->n_query; i++)
        if (strcmp(r->qk[i], name) == 0) return r->qv[i];
    return NULL;
}

static int parse_i64(const char *s, int64_t *out)
{
    if (!s || !*s) return -1;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || end == s) return -1;
    *out = v;
    return 0;
}

int64_t rx_param_id(struct rx_req *r, int i)
{
    int64_t v;
    if (i >= RX_MAX_PARAMS || parse_i64(r->params[i], &v) || v <= 0) {
        rx_problem(r, 404, "not_found", NULL);
        return 0;
    }
    return v;
}

int64_t rx_query_int(struct rx_req *r, const char *name, int64_t def, int64_t lo, int64_t hi)
{
    const char *s = rx_query(r, name);
    if (!s) return def;
    int64_t v;
    if (parse_i64(s, &v)) {
        rx_field_error(r, name, "invalid");
        return def;
    }
    if (v < lo || v > hi) {
        rx_field_error(r, name, "out_of_range");
        return def;
    }
    return v;
}

int rx_audit(struct rx_req *r, const char *action, const char *entity, int64_t entity_id,
             const char *detail)
{
    return rx_db_exec(r->db, Q_AUDIT_INSERT,
                      RX_ARGS(RX_I(r->now), r->auth.user_id ? RX_I(r->auth.user_id) : RX_NUL,
                              RX_T(r->ip), RX_T(action), RX_T(entity),
                              entity_id ? RX_I(entity_id) : RX_NUL, RX_T(detail)),
                      NULL, NULL);
}

/* ------------------------------------------------------------------ CPU pool */

struct cpu_job {
    struct conn *c;
    struct cpu_job *next;
};

#define CPU_POOL_NICE 10
struct rx_cpu_pool {
    struct rx_app *app;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct cpu_job *head, *tail;
    int stopping;
    int n;
    pthread_t threads[16];
};

static void finish_step(struct conn *c);
static void run_steps(struct conn *c, int on_http_thread);

static void *cpu_main(void *arg)
{
    struct rx_cpu_pool *p = arg;
    /* Long CPU work (argon2id, PDFs) yields to the HTTP threads: on a busy machine reads
     * keep their latency and logins wait instead (nice 10 weighs about a tenth of nice 0).
     * Linux applies a thread's own nice value to that thread only. */
    pthread_setname_np(pthread_self(), "rexin-cpu");
    if (setpriority(PRIO_PROCESS, (id_t)gettid(), CPU_POOL_NICE) != 0)
        rx_warn("msg=\"cpu pool: cannot lower priority\" errno=%d", errno);
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (!p->head && !p->stopping) pthread_cond_wait(&p->cv, &p->mu);
        struct cpu_job *j = p->head;
        if (!j) {
            pthread_mutex_unlock(&p->mu);
            break;
        }
        p->head = j->next;
        if (!p->head) p->tail = NULL;
        pthread_mutex_unlock(&p->mu);
        struct conn *c = j->c;
        rx_free(j);
        run_steps(c, 0);
    }
    return NULL;
}

static int cpu_submit(struct rx_cpu_pool *p, struct conn *c)
{
    struct cpu_job *j = rx_calloc(1, sizeof *j);
    if (!j) return -1;
    j->c = c;
    pthread_mutex_lock(&p->mu);
    if (p->tail) p->tail->next = j;
    else p->head = j;
    p->tail = j;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return 0;
}

/* ------------------------------------------------------------------ running steps */

/* Idempotency: the first answer to (user, key) is kept and replayed. Runs inside the
 * write job, so two copies of one request are serialised by the writer. */
static int idem_replay(struct rx_req *r)
{
    struct rx_cursor cur;
    if (rx_db_query(r->db, Q_IDEM_GET, RX_ARGS(RX_I(r->auth.user_id), RX_T(r->idem_key)), &cur))
        return 0;
    int found = 0;
    if (rx_cursor_next(&cur) == 1) {
        found = 1;
        const char *m = rx_cursor_text(&cur, 3), *p = rx_cursor_text(&cur, 4);
        if (strcmp(m, r->method) != 0 || strcmp(p, r->path) != 0) {
            rx_cursor_close(&cur);
            rx_problem(r, 422, "idempotency_key_reused", NULL);
            return 1;
        }
        int status = (int)rx_cursor_int(&cur, 0);
        const char *loc = rx_cursor_text(&cur, 1), *body = rx_cursor_text(&cur, 2);
        rx_buf_reset(&r->out);
        rx_buf_puts(&r->out, body);
        r->location = loc ? rx_arena_strdup(&r->arena, loc) : NULL;
        r->status = status;
        r->content_type = "application/json; charset=utf-8";
        r->next = NULL;
    }
    rx_cursor_close(&cur);
    return found;
}

/* A backend that runs several writers (PostgreSQL) may roll a job back after a
 * serialization conflict and run it again: put the request back as it was before the
 * first run, keeping the arena and the buffers' memory. */
static void write_job_rewind(struct conn *c)
{
    struct rx_req *r = &c->r;
    struct rx_req *saved = c->saved;
    struct rx_arena arena = r->arena;
    struct rx_buf out = r->out, fe = r->field_errors;
    *r = *saved;
    r->arena = arena;
    out.len = saved->out.len < out.len ? saved->out.len : out.len;
    out.err = saved->out.err;
    if (out.data) out.data[out.len] = 0;
    fe.len = saved->field_errors.len < fe.len ? saved->field_errors.len : fe.len;
    fe.err = saved->field_errors.err;
    if (fe.data) fe.data[fe.len] = 0;
    r->out = out;
    r->field_errors = fe;
}

static int write_job(struct rx_db *db, void *ctx)
{
    struct conn *c = ctx;
    struct rx_req *r = &c->r;
    if (rx_db_attempt(db) == 0) {
        /* SQLite's single writer never runs a job twice: no copy needed there. */
        c->saved = NULL;
        if (strcmp(rx_store_backend(r->app->store), "sqlite") != 0) {
            c->saved = rx_arena_alloc(&r->arena, sizeof *r);
            if (c->saved) *c->saved = *r;
        }
    } else if (c->saved) {
        write_job_rewind(c);
    } else {
        rx_problem(r, 503, "out_of_memory", NULL);
        return RX_ABORT;
    }
    r->db = db;
    int use_idem = r->idem_key && r->auth.user_id;
    if (use_idem && idem_replay(r)) return r->status >= 400 ? RX_ABORT : RX_OK;
    while (r->next && r->next_exec == RX_EXEC_WRITE) {
        rx_step_fn fn = r->next;
        r->next = NULL;
        fn(r);
    }
    if (r->status >= 400 && !r->keep_writes) return RX_ABORT;
    if (use_idem && r->status && r->status < 300) {
        int rc = rx_db_exec(db, Q_IDEM_PUT,
                            RX_ARGS(RX_I(r->auth.user_id), RX_T(r->idem_key), RX_T(r->method),
                                    RX_T(r->path), RX_I(r->status), RX_T(r->location),
                                    RX_TN(r->out.data ? r->out.data : "", r->out.len),
                                    RX_I(r->now)),
                            NULL, NULL);
        if (rc) {
            rx_store_problem(r, rc);
            return rc;
        }
    }
    return RX_OK;
}

static void write_done(void *ctx, int rc)
{
    struct conn *c = ctx;
    struct rx_req *r = &c->r;
    c->saved = NULL;
    if (rc != RX_OK && rc != RX_ABORT) {
        /* The batch did not commit: whatever the step answered is void. */
        r->n_field_errors = 0;
        rx_store_problem(r, rc);
    } else if (rc == RX_OK && r->app->recent && r->auth.user_id && r->status < 400) {
        rx_recent_note(r->app->recent, r->auth.user_id, r->now);
        c->wrote = 1;
    }
    if (r->next) {
        if (cpu_submit(r->app->cpu, c) == 0) return;
        rx_problem(r, 503, "out_of_memory", NULL);
    }
    finish_step(c);
}

/* Runs steps until one must go elsewhere or the request is answered. */
static void run_steps(struct conn *c, int on_http_thread)
{
    struct rx_req *r = &c->r;
    while (r->next) {
        if (r->next_exec == RX_EXEC_WRITE) {
            if (on_http_thread && !c->suspended) {
                c->suspended = 1;
                MHD_suspend_connection(c->mhd);
            }
            if (rx_store_submit(r->app->store, write_job, write_done, c) == RX_OK) return;
            rx_problem(r, 503, "shutting_down", NULL);
            break;
        }
        if (r->next_exec == RX_EXEC_CPU && on_http_thread) {
            c->suspended = 1;
            MHD_suspend_connection(c->mhd);
            if (cpu_submit(r->app->cpu, c) == 0) return;
            rx_problem(r, 503, "out_of_memory", NULL);
            break;
        }
        /* Reports may read from the replica, unless this user wrote a moment ago. */
        if (r->next_exec == RX_EXEC_REPORT && r->app->recent &&
            !rx_recent_wrote(r->app->recent, r->auth.user_id, c->wrote_at, r->now))
            r->db = rx_store_replica(r->app->store);
        else
            r->db = rx_store_reader(r->app->store);
        if (!r->db) {
            rx_problem(r, 503, "storage_unavailable", NULL);
            break;
        }
        rx_step_fn fn = r->next;
        r->next = NULL;
        fn(r);
    }
    if (!on_http_thread || c->suspended) finish_step(c);
}

static void finish_step(struct conn *c)
{
    c->phase = PH_READY;
    if (c->suspended) MHD_resume_connection(c->mhd);
}

/* ------------------------------------------------------------------ responses */

static int status_bucket(int status)
{
    for (int i = 0; status_codes[i]; i++)
        if ((int)status_codes[i] == status) return i;
    return RX_STATUS_BUCKETS - 1;
}

static enum MHD_Result send_answer(struct conn *c)
{
    struct rx_req *r = &c->r;
    struct MHD_Response *resp;
    if (!r->status) rx_problem(r, 500, "internal_error", "no answer");
    if (r->stream && r->status == 200 && !stream_first_piece(r->stream)) {
        /* Nothing has gone out yet: the failure can still be an answer of its own, where
         * later it can only cut the body short. */
        int oom = r->stream->buf.err == RX_BUF_NOMEM;
        stream_free(r->stream);
        r->stream = NULL;
        if (oom) rx_problem(r, 503, "out_of_memory", NULL);
        else rx_problem(r, 500, "internal_error", NULL);
    }
    struct stat st;
    if (r->has_body_fd && (r->status != 200 || fstat(r->body_fd, &st) != 0)) {
        close(r->body_fd);
        r->has_body_fd = 0;
        if (r->status == 200) rx_problem(r, 500, "internal_error", NULL);
    }
    if (r->stream && r->status != 200) {
        stream_free(r->stream); /* a later step replaced the answer with a problem */
        r->stream = NULL;
    }
    if (r->stream) {
        resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, stream_read,
                                                 r->stream, stream_free);
        if (!resp) stream_free(r->stream);
        r->stream = NULL; /* MHD owns it now */
    } else if (r->has_body_fd) {
        resp = MHD_create_response_from_fd((uint64_t)st.st_size, r->body_fd);
        if (!resp) close(r->body_fd);
        r->has_body_fd = 0; /* MHD closes it */
    } else if (r->static_body) {
        resp = MHD_create_response_from_buffer(r->static_len, (void *)r->static_body,
                                               MHD_RESPMEM_PERSISTENT);
    } else {
        size_t len;
        char *data = rx_buf_release(&r->out, &len);
        resp = MHD_create_response_from_buffer_with_free_callback(len, data ? data : "", data ? rx_free : NULL);
        if (!resp) rx_free(data);
    }
    if (!resp) return MHD_NO;
    if (r->content_type) MHD_add_response_header(resp, "Content-Type", r->content_type);
    MHD_add_response_header(resp, "Cache-Control", r->cache_control ? r->cache_control : "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    if (r->location) MHD_add_response_header(resp, "Location", r->location);
    if (r->set_cookie) MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
    if (c->wrote) {
        /* Read-your-writes across servers: the client brings this back (recent.h). */
        char v[160];
        snprintf(v, sizeof v, "%s=%lld; Path=/; Max-Age=%d; HttpOnly; SameSite=Lax%s", WROTE_COOKIE,
                 (long long)r->now, rx_recent_window(r->app->recent),
                 r->app->secure_cookies ? "; Secure" : "");
        MHD_add_response_header(resp, "Set-Cookie", v);
        snprintf(v, sizeof v, "%lld", (long long)r->now);
        MHD_add_response_header(resp, "X-Rexin-Wrote", v);
    }
    if (r->retry_after) MHD_add_response_header(resp, "Retry-After", r->retry_after);
    if (r->allow) MHD_add_response_header(resp, "Allow", r->allow);
    if (r->etag) MHD_add_response_header(resp, "ETag", r->etag);
    if (r->content_encoding) MHD_add_response_header(resp, "Content-Encoding", r->content_encoding);
    if (r->content_disposition)
        MHD_add_response_header(resp, "Content-Disposition", r->content_disposition);
    if (r->static_body && r->etag) MHD_add_response_header(resp, "Vary", "Accept-Encoding");
    enum MHD_Result ret = MHD_queue_response(c->mhd, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    c->phase = PH_SENT;
    return ret;
}

/* ------------------------------------------------------------------ preparing */

static const char *header(struct conn *c, const char *name)
{
    return MHD_lookup_connection_value(c->mhd, MHD_HEADER_KIND, name);
}

static enum MHD_Result sum_headers(void *cls, enum MHD_ValueKind kind, const char *k, const char *v)
{
    size_t *n = cls;
    *n += strlen(k) + (v ? strlen(v) : 0) + 4;
    return MHD_YES;
}

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *k, const char *v)
{
    struct rx_req *r = cls;
    if (r->n_query >= RX_MAX_QUERY) return MHD_NO;
    r->qk[r->n_query] = rx_arena_strdup(&r->arena, k);
    r->qv[r->n_query] = rx_arena_strdup(&r->arena, v ? v : "");
    if (r->qk[r->n_query] && r->qv[r->n_query]) r->n_query++;
    return MHD_YES;
}

static enum rx_lang pick_lang(const char *al)
{
    if (!al) return RX_LANG_ZH;
    const char *en = strcasestr(al, "en"), *zh = strcasestr(al, "zh");
    if (en && (!zh || en < zh)) return RX_LANG_EN;
    return RX_LANG_ZH;
}

static int json_depth(json_t *j, int d)
{
    if (d > MAX_JSON_DEPTH) return d;
    int m = d;
    if (json_is_object(j)) {
        const char *k;
        json_t *v;
        json_object_foreach(j, k, v) {
            int x = json_depth(v, d + 1);
            if (x > m) m = x;
        }
    } else if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v) {
            int x = json_depth(v, d + 1);
            if (x > m) m = x;
        }
    }
    return m;
}

const int rx_http_max_json_depth = MAX_JSON_DEPTH;

int rx_http_json_depth(json_t *j)
{
    return json_depth(j, 1);
}

static const char *cookie_value(struct conn *c, const char *name)
{
    return MHD_lookup_connection_value(c->mhd, MHD_COOKIE_KIND, name);
}

struct touch_ctx {
    int64_t session_id, now;
};

static int touch_job(struct rx_db *db, void *ctx)
{
    struct touch_ctx *t = ctx;
    return rx_db_exec(db, Q_SESSION_TOUCH, RX_ARGS(RX_I(t->session_id), RX_I(t->now)), NULL, NULL);
}

static void touch_done(void *ctx, int rc)
{
    rx_free(ctx);
}

static int load_grants(struct rx_req *r, struct rx_db *db)
{
    struct rx_cursor cur;
    r->auth.n_grants = 0;
    int rc = rx_db_query(db, Q_GRANTS_OF_USER, RX_ARGS(RX_I(r->auth.user_id)), &cur);
    if (rc) return rc;
    int k = 0;
    while (r->auth.n_grants < RX_MAX_GRANTS && (k = rx_cursor_next(&cur)) == 1) {
        struct rx_grant *g = &r->auth.grants[r->auth.n_grants++];
        g->role = rx_arena_strdup(&r->arena, rx_cursor_text(&cur, 0));
        g->org_id = rx_cursor_int(&cur, 1);
        g->path = rx_arena_strdup(&r->arena, rx_cursor_text(&cur, 2));
        g->kind = rx_arena_strdup(&r->arena, rx_cursor_text(&cur, 3));
        if (!g->role || !g->path || !g->kind) k = -RX_NOMEM;
        if (k < 0) break;
    }
    rx_cursor_close(&cur);
    return k < 0 ? -k : RX_OK;
}

/* Finds who is asking from a bearer token or the session cookie. With `cached`, the thread's
 * memory of credentials (http/cache.h) answers when nothing was committed since it was read;
 * a session's expiry is checked here against the stored times, as the statement does.
 * Returns a store status when the look-up itself failed (out of memory, I/O): that is no
 * answer about the credentials, so the request must not be treated as anonymous. */
static int authenticate(struct conn *c, struct rx_db *db, int cached)
{
    struct rx_req *r = &c->r;
    struct rx_app *app = r->app;
    const char *authz = header(c, "Authorization");
    char hash[RX_HASH_HEX_LEN + 1];
    struct rx_cursor cur;
    int64_t last_seen = 0, expires_at = 0;
    if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
        const char *tok = authz + 7;
        rx_sha256_hex(tok, strlen(tok), hash);
        if (cached && rx_cache_auth_get(RX_CRED_TOKEN, hash, &r->auth, &r->arena, &last_seen,
                                        &expires_at))
            return RX_OK;
        int rc = rx_db_query(db, Q_TOKEN_LOOKUP, RX_ARGS(RX_T(hash)), &cur);
        if (rc) return rc;
        int k = rx_cursor_next(&cur);
        if (k == 1) {
            r->auth.token_id = rx_cursor_int(&cur, 0);
            r->auth.user_id = rx_cursor_int(&cur, 1);
            r->auth.username = rx_arena_strdup(&r->arena, rx_cursor_text(&cur, 2));
            r->auth.display_name = rx_arena_strdup(&r->arena, rx_cursor_text(&cur, 3));
            r->auth.person_id = rx_cursor_int(&cur, 4);
            if (!r->auth.username || !r->auth.display_name) k = -RX_NOMEM;
        }
        rx_cursor_close(&cur);
        if (k < 0) return -k;
        if (r->auth.user_id) {
            if ((rc = load_grants(r, db))) return rc;
            if (cached) rx_cache_auth_put(RX_CRED_TOKEN, hash, &r->auth, 0, 0);
        }
        return RX_OK;
    }
    const char *tok = cookie_value(c, app->secure_cookies ? "__Host-" SESSION_COOKIE : SESSION_COOKIE);
    if (!tok || strlen(tok) > 128) return RX_OK;
    rx_sha256_hex(tok, strlen(tok), hash);
    int64_t idle_since = r->now - app->cfg->session_idle;
    if (cached && rx_cache_auth_get(RX_CRED_SESSION, hash, &r->auth, &r->arena, &last_seen,
                                    &expires_at)) {
        if (expires_at <= r->now || last_seen <= idle_since) {
            memset(&r->auth, 0, sizeof r->auth); /* expired since it was read */
            return RX_OK;
        }
    } else {
        int rc = rx_db_query(db, Q_SESSION_LOOKUP,
                             RX_ARGS(RX_T(hash), RX_I(r->now), RX_I(idle_since)), &cur);
        if (rc) return rc;
        int k = rx_cursor_next(&cur);
        if (k == 1) {
            r->auth.session_id = rx_cursor_int(&cur, 0);
            r->auth.user_id = rx_cursor_int(&cur, 1);
            last_seen = rx_cursor_int(&cur, 2);
            r->auth.username = rx_arena_strdup(&r->arena, rx_cursor_text(&cur, 3));
            r->auth.display_name = rx_arena_strdup(&r->arena, rx_cursor_text(&cur, 4));
            r->auth.person_id = rx_cursor_int(&cur, 5);
            expires_at = rx_cursor_int(&cur, 6);
            if (!r->auth.username || !r->auth.display_name) k = -RX_NOMEM;
        }
        rx_cursor_close(&cur);
        if (k < 0) return -k;
        if (!r->auth.user_id) return RX_OK;
        if ((rc = load_grants(r, db))) return rc;
        if (cached) rx_cache_auth_put(RX_CRED_SESSION, hash, &r->auth, last_seen, expires_at);
    }
    /* Touch often enough that an active session never reaches the idle limit. */
    int64_t every = app->cfg->session_idle / 2 < SESSION_TOUCH_EVERY ? app->cfg->session_idle / 2
                                                                      : SESSION_TOUCH_EVERY;
    if (r->auth.session_id && r->now - last_seen >= every) {
        struct touch_ctx *t = rx_malloc(sizeof *t);
        if (t) {
            t->session_id = r->auth.session_id;
            t->now = r->now;
            if (rx_store_submit(app->store, touch_job, touch_done, t)) rx_free(t);
        }
    }
    return RX_OK;
}

static int segment_match(const char *pattern, const char *path, struct rx_req *r, int fill)
{
    int np = 0;
    while (*pattern && *path) {
        if (*pattern != '/' || *path != '/') return 0;
        pattern++;
        path++;
        const char *pe = strchr(pattern, '/'), *se = strchr(path, '/');
        size_t pl = pe ? (size_t)(pe - pattern) : strlen(pattern);
        size_t sl = se ? (size_t)(se - path) : strlen(path);
        if (pl > 1 && pattern[0] == '{') {
            /* "{id}.pdf": the segment must end with the suffix, which is not part of id */
            const char *close = memchr(pattern, '}', pl);
            size_t suf = close ? pl - (size_t)(close + 1 - pattern) : 0;
            if (sl <= suf || np >= RX_MAX_PARAMS ||
                (suf && memcmp(path + sl - suf, close + 1, suf) != 0))
                return 0;
            if (fill) r->params[np] = rx_arena_strndup(&r->arena, path, sl - suf);
            np++;
        } else if (pl != sl || memcmp(pattern, path, pl) != 0) {
            return 0;
        }
        pattern += pl;
        path += sl;
    }
    return *pattern == 0 && *path == 0;
}

/* Finds the route; sets r->route, or answers 404/405. */
static void route(struct rx_req *r)
{
    const char *m = strcmp(r->method, "HEAD") == 0 ? "GET" : r->method;
    char allow[128] = "";
    for (int i = 0; i < rx_routes_count; i++) {
        const struct rx_route *rt = &rx_routes[i];
        if (!segment_match(rt->pattern, r->path, r, 0)) continue;
        if (strcmp(rt->method, m) == 0) {
            segment_match(rt->pattern, r->path, r, 1);
            r->route = rt;
            r->route_index = i;
            return;
        }
        size_t al = strlen(allow);
        snprintf(allow + al, sizeof allow - al, "%s%s", al ? ", " : "", rt->method);
    }
    if (allow[0]) {
        r->allow = rx_arena_strdup(&r->arena, allow);
        rx_problem(r, 405, "method_not_allowed", NULL);
    } else {
        rx_problem(r, 404, "not_found", NULL);
    }
}

static int is_write(const char *m)
{
    return strcmp(m, "POST") == 0 || strcmp(m, "PUT") == 0 || strcmp(m, "PATCH") == 0 ||
           strcmp(m, "DELETE") == 0;
}

static int origin_ok(struct conn *c)
{
    struct rx_req *r = &c->r;
    const char *origin = header(c, "Origin");
    if (!origin) {
        const char *site = header(c, "Sec-Fetch-Site");
        return !site || strcmp(site, "same-origin") == 0 || strcmp(site, "none") == 0;
    }
    if (r->app->origin[0]) return strcmp(origin, r->app->origin) == 0;
    const char *host = header(c, "Host");
    if (!host) return 0;
    const char *rest = NULL;
    if (strncmp(origin, "http://", 7) == 0) rest = origin + 7;
    else if (strncmp(origin, "https://", 8) == 0) rest = origin + 8;
    return rest && strcmp(rest, host) == 0;
}

static void serve_static(struct rx_req *r, struct conn *c);

/* The answer cache's key of a request (http/cache.h): everything a cacheable route's answer
 * may depend on besides the database and the second, each part ended by a NUL (no part can
 * hold one: libmicrohttpd hands us C strings). 0 when it does not fit (not cached). */
static int key_part(char *k, size_t *n, size_t cap, const char *s, size_t len)
{
    if (*n + len + 1 > cap) return 0;
    memcpy(k + *n, s, len);
    *n += len;
    k[(*n)++] = 0;
    return 1;
}

static int answer_key(struct conn *c)
{
    struct rx_req *r = &c->r;
    char head[64];
    int hl = snprintf(head, sizeof head, "%d %lld %d", r->route_index, (long long)r->auth.user_id,
                      (int)r->lang);
    char k[4096];
    size_t n = 0;
    int ok = hl > 0 && key_part(k, &n, sizeof k, head, (size_t)hl) &&
             key_part(k, &n, sizeof k, r->host ? r->host : "", r->host ? strlen(r->host) : 0) &&
             key_part(k, &n, sizeof k, r->path, strlen(r->path));
    for (int i = 0; ok && i < r->n_query; i++)
        ok = key_part(k, &n, sizeof k, r->qk[i], strlen(r->qk[i])) &&
             key_part(k, &n, sizeof k, r->qv[i], strlen(r->qv[i]));
    if (!ok || r->n_query >= RX_MAX_QUERY) return 0; /* a full query list may have dropped some */
    c->cache_key = rx_arena_alloc(&r->arena, n);
    if (!c->cache_key) return 0;
    memcpy(c->cache_key, k, n);
    c->cache_keylen = n;
    return 1;
}

static int answer_cached(struct conn *c)
{
    struct rx_req *r = &c->r;
    const char *body;
    size_t len;
    if (!rx_cache_answer_get(c->cache_key, c->cache_keylen, r->now, &body, &len)) {
        atomic_fetch_add(&r->app->metrics.cache_misses, 1);
        return 0;
    }
    atomic_fetch_add(&r->app->metrics.cache_hits, 1);
    rx_reply_text(r, 200, JSON_TYPE, body, len);
    c->cache_key = NULL; /* nothing to keep */
    return 1;
}

/* After a cacheable route answered on this thread: keeps a plain JSON 200. */
static void answer_keep(struct conn *c)
{
    struct rx_req *r = &c->r;
    if (!c->cache_key || r->status != 200 || r->content_type != JSON_TYPE || r->out.err ||
        r->stream || r->has_body_fd || r->static_body || r->set_cookie || r->location ||
        r->content_disposition || r->etag || r->retry_after || r->cache_control)
        return;
    rx_cache_answer_put(c->cache_key, c->cache_keylen, r->now, r->out.data, r->out.len);
}

/* Everything between the last body byte and the first step. */
static void prepare(struct conn *c)
{
    struct rx_req *r = &c->r;
    struct rx_app *app = r->app;
    if (strncmp(r->path, "/api/", 5) != 0 && strcmp(r->path, "/healthz") != 0 &&
        strcmp(r->path, "/metrics") != 0 && strncmp(r->path, "/verify/", 8) != 0) {
        if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
            r->allow = "GET, HEAD";
            rx_problem(r, 405, "method_not_allowed", NULL);
            return;
        }
        serve_static(r, c);
        return;
    }
    route(r);
    if (r->status) return;
    MHD_get_connection_values(c->mhd, MHD_GET_ARGUMENT_KIND, collect_query, r);
    struct rx_db *db = rx_store_reader(app->store);
    if (!db) {
        rx_problem(r, 503, "storage_unavailable", NULL);
        return;
    }
    /* Reads only: a write commits anyway, after which nothing kept is valid, so asking the
     * database whether it changed would only add a statement to every write. "Cache-Control:
     * no-cache" (a browser's hard reload; the benchmark's cold reads) asks for an answer
     * worked out afresh: neither cache is used. */
    const char *cc = header(c, "Cache-Control");
    int cached = app->cfg->answer_cache_mib > 0 && !is_write(r->method) &&
                 !(cc && strstr(cc, "no-cache")) &&
                 rx_cache_begin(db, (size_t)app->cfg->answer_cache_mib << 20);
    int arc = authenticate(c, db, cached);
    if (arc) {
        memset(&r->auth, 0, sizeof r->auth);
        rx_store_problem(r, arc);
        return;
    }
    if (app->recent) {
        const char *w = cookie_value(c, WROTE_COOKIE);
        if (!w) w = header(c, "X-Rexin-Wrote");
        int64_t at;
        if (w && strlen(w) < 20 && parse_i64(w, &at) == 0) c->wrote_at = at;
    }
    if (r->route->auth == RX_LOGGED_IN && !r->auth.user_id) {
        rx_problem(r, 401, "unauthenticated", NULL);
        return;
    }
    if (is_write(r->method)) {
        if (!r->auth.token_id && !origin_ok(c)) {
            rx_problem(r, 403, "bad_origin", NULL);
            return;
        }
        if (r->route->body == RX_BODY_JSON && r->body_len > 0) {
            const char *ct = header(c, "Content-Type");
            if (!ct || strncasecmp(ct, "application/json", 16) != 0 ||
                (ct[16] && ct[16] != ';' && ct[16] != ' ')) {
                rx_problem(r, 415, "unsupported_media_type", NULL);
                return;
            }
            json_error_t jerr;
            r->json = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &jerr);
            if (!r->json && (json_error_code(&jerr) == json_error_out_of_memory || !jerr.text[0])) {
                /* jansson ran out of memory (it names no parse error then): not the client's
                 * fault */
                rx_problem(r, 503, "out_of_memory", NULL);
                return;
            }
            if (!r->json) {
                const char *code = strstr(jerr.text, "duplicate") ? "duplicate_key" : "invalid_json";
                char *detail = rx_arena_printf(&r->arena, "%s (line %d, column %d)", jerr.text,
                                               jerr.line, jerr.column);
                rx_problem(r, 400, code, detail);
                return;
            }
            if (json_depth(r->json, 1) > MAX_JSON_DEPTH) {
                rx_problem(r, 400, "json_too_deep", NULL);
                return;
            }
        } else if (r->route->body == RX_BODY_JSON && strcmp(r->method, "DELETE") != 0 &&
                   strcmp(r->method, "POST") != 0) {
            /* PUT/PATCH need a body; POST may have none (actions). */
            rx_problem(r, 400, "invalid_json", "empty body");
            return;
        }
    }
    const char *host = header(c, "Host");
    if (host && strlen(host) <= 255) r->host = rx_arena_strdup(&r->arena, host);
    const char *bt = header(c, "Content-Type");
    if (bt) r->body_type = rx_arena_strndup(&r->arena, bt, strnlen(bt, 200));
    const char *ik = header(c, "Idempotency-Key");
    if (ik && *ik && strlen(ik) <= 200) r->idem_key = rx_arena_strdup(&r->arena, ik);
    /* A retry answers from the stored first answer before any step runs: the first steps
     * of a route may check state the original request changed (a password). The writer
     * checks again, so two copies racing still act once. */
    if (r->idem_key && r->auth.user_id && is_write(r->method)) {
        r->db = db;
        if (idem_replay(r)) return;
    }
    if (cached && r->route->cache && strcmp(r->method, "GET") == 0 && r->auth.user_id &&
        answer_key(c) && answer_cached(c))
        return;
    rx_then(r, r->route->exec, r->route->fn);
}

/* ------------------------------------------------------------------ static files */

static const char *mime_type(const char *path)
{
    static const struct { const char *ext, *type; } types[] = {
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
        {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
        {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".gif", "image/gif"},
        {".ico", "image/x-icon"}, {".webp", "image/webp"}, {".woff2", "font/woff2"},
        {".woff", "font/woff"}, {".ttf", "font/ttf"}, {".txt", "text/plain; charset=utf-8"},
        {".webmanifest", "application/manifest+json"}, {".map", "application/json"},
    };
    const char *dot = strrchr(path, '.');
    if (dot)
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (strcasecmp(dot, types[i].ext) == 0) return types[i].type;
    return "application/octet-stream";
}

static const struct rx_embed *find_embedded(const char *rel)
{
    for (unsigned i = 0; i < rx_embed_web_count; i++)
        if (strcmp(rx_embed_web[i].path, rel) == 0) return &rx_embed_web[i];
    return NULL;
}

static const char fallback_page[] =
    "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>rexin 热心</title>"
    "<body><h1>rexin 热心</h1><p>The web UI was not built into this binary. Run <code>make "
    "web</code> and rebuild, or start with <code>--web DIR</code>. The API is at "
    "<a href=\"/api/openapi.json\">/api/openapi.json</a>.</p></body></html>";

/* A missing /assets/x.js is a 404; a missing /activities/12 is a client-side route. */
static int looks_like_file(const char *rel)
{
    const char *last = strrchr(rel, '/');
    last = last ? last + 1 : rel;
    return strncmp(rel, "assets/", 7) == 0 || strchr(last, '.') != NULL;
}

static void serve_disk(struct rx_req *r, struct conn *c, const char *rel)
{
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", r->app->cfg->web, rel);
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (looks_like_file(rel)) {
            rx_problem(r, 404, "not_found", NULL);
            return;
        }
        snprintf(path, sizeof path, "%s/index.html", r->app->cfg->web);
        rel = "index.html";
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
            rx_problem(r, 404, "not_found", NULL);
            return;
        }
    }
    char *etag = rx_arena_printf(&r->arena, "\"%lx-%lx\"", (unsigned long)st.st_mtime,
                                 (unsigned long)st.st_size);
    const char *inm = header(c, "If-None-Match");
    r->etag = etag;
    r->cache_control = "no-cache";
    if (inm && etag && strcmp(inm, etag) == 0) {
        rx_reply_empty(r, 304);
        return;
    }
    if (st.st_size > 32 * 1024 * 1024) {
        rx_problem(r, 500, "internal_error", "file too large");
        return;
    }
    FILE *f = fopen(path, "rb");
    unsigned char *data = f ? rx_arena_alloc(&r->arena, (size_t)st.st_size + 1) : NULL;
    size_t n = data ? fread(data, 1, (size_t)st.st_size, f) : 0;
    if (f) fclose(f);
    if (!data || n != (size_t)st.st_size) {
        rx_problem(r, 500, "internal_error", NULL);
        return;
    }
    r->static_body = data;
    r->static_len = n;
    r->status = 200;
    r->content_type = mime_type(rel);
}

static void serve_static(struct rx_req *r, struct conn *c)
{
    const char *rel = r->path + 1;
    if (strstr(rel, "..") || strchr(rel, '\\')) {
        rx_problem(r, 404, "not_found", NULL);
        return;
    }
    if (!*rel) rel = "index.html";
    if (r->app->cfg->web) {
        serve_disk(r, c, rel);
        return;
    }
    const struct rx_embed *e = find_embedded(rel);
    if (!e && looks_like_file(rel) && strcmp(rel, "index.html") != 0) {
        rx_problem(r, 404, "not_found", NULL);
        return;
    }
    if (!e) e = find_embedded("index.html"); /* client-side routes */
    if (!e) {
        r->status = 200;
        r->content_type = "text/html; charset=utf-8";
        r->static_body = (const unsigned char *)fallback_page;
        r->static_len = sizeof fallback_page - 1;
        return;
    }
    r->etag = e->etag;
    r->cache_control = strncmp(e->path, "assets/", 7) == 0 ? "public, max-age=31536000, immutable"
                                                           : "no-cache";
    const char *inm = header(c, "If-None-Match");
    if (inm && strcmp(inm, e->etag) == 0) {
        rx_reply_empty(r, 304);
        return;
    }
    const char *ae = header(c, "Accept-Encoding");
    if (e->gz && ae && strstr(ae, "gzip")) {
        r->static_body = e->gz;
        r->static_len = e->gzlen;
        r->content_encoding = "gzip";
    } else {
        r->static_body = e->data;
        r->static_len = e->len;
    }
    r->status = 200;
    r->content_type = mime_type(e->path);
}

/* ------------------------------------------------------------------ MHD callbacks */

/* 1 when ip is one of the comma-separated addresses in list. */
static int proxy_trusted(const char *list, const char *ip)
{
    size_t n = strlen(ip);
    for (const char *p = list; *p;) {
        while (*p == ' ' || *p == ',') p++;
        const char *e = p;
        while (*e && *e != ',' && *e != ' ') e++;
        if ((size_t)(e - p) == n && n && memcmp(p, ip, n) == 0) return 1;
        p = e;
    }
    return 0;
}

/* The body limit of a request: its route's own (uploads), else the configured one. */
static long body_limit(struct rx_app *app, struct rx_req *r)
{
    for (int i = 0; i < rx_routes_count; i++)
        if (rx_routes[i].max_body > 0 && strcmp(rx_routes[i].method, r->method) == 0 &&
            segment_match(rx_routes[i].pattern, r->path, r, 0))
            return rx_routes[i].max_body;
    return app->cfg->max_body;
}

static struct conn *conn_new(struct rx_app *app, struct MHD_Connection *mhd, const char *url,
                             const char *method)
{
    struct conn *c = rx_calloc(1, sizeof *c);
    if (!c) return NULL;
    struct rx_req *r = &c->r;
    c->mhd = mhd;
    clock_gettime(CLOCK_MONOTONIC, &c->start);
    rx_arena_init(&r->arena, ARENA_CAP);
    rx_buf_init(&r->out, OUT_CAP);
    rx_buf_init(&r->field_errors, 64 * 1024);
    r->app = app;
    r->route_index = -1;
    r->now = rx_app_now(app);
    r->method = rx_arena_strdup(&r->arena, method);
    r->path = rx_arena_strdup(&r->arena, url);
    if (!r->method || !r->path) {
        rx_arena_free(&r->arena);
        rx_free(c);
        return NULL;
    }
    rx_buf_init(&c->body, (size_t)body_limit(app, r));
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(mhd, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char ip[INET6_ADDRSTRLEN] = "";
    if (ci && ci->client_addr) {
        if (ci->client_addr->sa_family == AF_INET)
            inet_ntop(AF_INET, &((struct sockaddr_in *)ci->client_addr)->sin_addr, ip, sizeof ip);
        else if (ci->client_addr->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((struct sockaddr_in6 *)ci->client_addr)->sin6_addr, ip, sizeof ip);
    }
    /* Behind a reverse proxy (several servers behind nginx), the client is the one the
     * proxy names in X-Real-IP, believed only from the addresses in --trusted-proxies, so
     * throttling and the audit log see people, not the proxy. */
    const char *real = app->cfg->trusted_proxies && *ip ? MHD_lookup_connection_value(mhd, MHD_HEADER_KIND, "X-Real-IP") : NULL;
    if (real && proxy_trusted(app->cfg->trusted_proxies, ip)) {
        unsigned char bin[sizeof(struct in6_addr)];
        if (strlen(real) < sizeof ip &&
            (inet_pton(AF_INET, real, bin) == 1 || inet_pton(AF_INET6, real, bin) == 1))
            snprintf(ip, sizeof ip, "%s", real);
    }
    r->ip = rx_arena_strdup(&r->arena, ip);
    atomic_fetch_add(&app->inflight, 1);
    return c;
}

/* The answer to a body that does not stop. libmicrohttpd queues an answer only right after
 * the headers or after the whole body, so this one is written straight to the socket (it is
 * small, and nothing else has been written on the connection for this request), followed by
 * the end of our side of the stream: the client reads the 413 and sees the connection
 * close. The caller keeps discarding what still arrives for a while before hanging up, so
 * that the reset of closing with unread data does not destroy the answer in flight
 * (nginx's "lingering close"). */
static void early_413(struct conn *c)
{
    struct rx_req *r = &c->r;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c->mhd, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!ci) return;
    rx_problem(r, 413, "body_too_large", "the body did not end");
    char head[512];
    int hl = snprintf(head, sizeof head,
                      "HTTP/1.1 413 Content Too Large\r\nConnection: close\r\n"
                      "Content-Type: %s\r\nContent-Length: %zu\r\nCache-Control: no-store\r\n"
                      "X-Content-Type-Options: nosniff\r\n\r\n",
                      r->content_type, r->out.len);
    if (hl <= 0 || (size_t)hl >= sizeof head || r->out.err) return;
    if (send(ci->connect_fd, head, (size_t)hl, MSG_NOSIGNAL | MSG_DONTWAIT) == hl)
        send(ci->connect_fd, r->out.data, r->out.len, MSG_NOSIGNAL | MSG_DONTWAIT);
    shutdown(ci->connect_fd, SHUT_WR);
}

/* No memory for the request itself: a fixed 503 that needs none of ours (libmicrohttpd's
 * own allocations may still fail, and then the connection closes). *con_cls marks the
 * request as refused so that later calls for its body do not try again. */
static char refused;
static enum MHD_Result refuse_nomem(struct MHD_Connection *mhd, void **con_cls)
{
    static const char body[] = "{\"type\":\"/problems/out_of_memory\",\"status\":503,"
                               "\"code\":\"out_of_memory\",\"errors\":[]}";
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(sizeof body - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
    if (!resp) return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", "application/problem+json; charset=utf-8");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "Retry-After", "5");
    enum MHD_Result ret = MHD_queue_response(mhd, 503, resp);
    MHD_destroy_response(resp);
    *con_cls = &refused;
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *mhd, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    struct rx_app *app = cls;
    struct conn *c = *con_cls;
    if (c == (void *)&refused) { /* answered 503 below; the body is not read */
        *upload_size = 0;
        return MHD_YES;
    }
    if (!c) {
        c = conn_new(app, mhd, url, method);
        if (!c) return refuse_nomem(mhd, con_cls);
        *con_cls = c;
        struct rx_req *r = &c->r;
        const char *al = MHD_lookup_connection_value(mhd, MHD_HEADER_KIND, "Accept-Language");
        r->lang = pick_lang(al);
        const char *ua = MHD_lookup_connection_value(mhd, MHD_HEADER_KIND, "User-Agent");
        r->user_agent = ua ? rx_arena_strndup(&r->arena, ua, strnlen(ua, 256)) : NULL;
        size_t hbytes = 0;
        MHD_get_connection_values(mhd, MHD_HEADER_KIND, sum_headers, &hbytes);
        /* libmicrohttpd accepts a response only on the first call or after the whole body
         * (not while it is being received), so refusals known from the headers are queued
         * right now; the connection then closes without reading the body. */
        if (hbytes > MAX_HEADER_BYTES) {
            rx_problem(r, 431, "headers_too_large", NULL);
            return send_answer(c);
        }
        const char *cl = MHD_lookup_connection_value(mhd, MHD_HEADER_KIND, "Content-Length");
        int64_t n;
        if (cl && parse_i64(cl, &n) == 0 && n > (int64_t)c->body.max) {
            /* Closing with the body unread makes the kernel reset the connection, which can
             * destroy the 413 before the client has read it. So a body of up to
             * DISCARD_DECLARED_MAX is read and discarded (too_big) and the 413 follows it;
             * a longer one, or a client waiting for "100 Continue", gets it at once. */
            if (n > DISCARD_DECLARED_MAX ||
                MHD_lookup_connection_value(mhd, MHD_HEADER_KIND, "Expect")) {
                rx_problem(r, 413, "body_too_large", NULL);
                return send_answer(c);
            }
            c->too_big = 1;
        }
        return MHD_YES;
    }
    struct rx_req *r = &c->r;
    if (c->phase == PH_RECEIVE && *upload_size) {
        /* A body without Content-Length (chunked) that passes the cap is discarded up to
         * a hard limit and refused with 413 once it ends. Past that limit it may never end:
         * the 413 goes out at once and the connection closes (early_413). */
        if (c->too_big || rx_buf_append(&c->body, upload_data, *upload_size)) {
            if (c->body.err == RX_BUF_NOMEM) c->nomem = 1; /* not the client's fault: 503 */
            size_t hard = 16 * (size_t)app->cfg->max_body;
            c->too_big = 1;
            c->discarded += *upload_size;
            if (c->discarded > hard && !c->cut_off) {
                c->cut_off = 1;
                clock_gettime(CLOCK_MONOTONIC, &c->cut_off_at);
                early_413(c);
            }
            if (c->cut_off) {
                /* linger: at most 2 s or another 64 bodies' worth, then hang up */
                struct timespec now;
                clock_gettime(CLOCK_MONOTONIC, &now);
                if (now.tv_sec - c->cut_off_at.tv_sec >= 2 ||
                    c->discarded > hard + 64 * (size_t)app->cfg->max_body)
                    return MHD_NO;
            }
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (c->phase == PH_RECEIVE && c->too_big) {
        c->phase = PH_READY;
        if (c->nomem) rx_problem(r, 503, "out_of_memory", NULL);
        else rx_problem(r, 413, "body_too_large", NULL);
        return send_answer(c);
    }
    if (c->phase == PH_RECEIVE) {
        c->phase = PH_RUNNING;
        r->body = c->body.data;
        r->body_len = c->body.len;
        prepare(c);
        if (r->status) return send_answer(c);
        run_steps(c, 1);
        if (c->suspended) return MHD_YES;
        answer_keep(c);
        return send_answer(c);
    }
    if (c->phase == PH_READY) {
        c->suspended = 0;
        return send_answer(c);
    }
    return MHD_YES; /* PH_RUNNING: resumed early; wait */
}

static void on_completed(void *cls, struct MHD_Connection *mhd, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct rx_app *app = cls;
    struct conn *c = *con_cls;
    if (!c || c == (void *)&refused) {
        *con_cls = NULL;
        return;
    }
    struct rx_req *r = &c->r;
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    uint64_t us = (uint64_t)((end.tv_sec - c->start.tv_sec) * 1000000 +
                             (end.tv_nsec - c->start.tv_nsec) / 1000);
    struct rx_metrics *m = &app->metrics;
    static const uint64_t bounds_us[RX_LATENCY_BUCKETS] = {
        500, 1000, 2000, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000, 5000000, UINT64_MAX};
    for (int i = 0; i < RX_LATENCY_BUCKETS; i++)
        if (us <= bounds_us[i]) atomic_fetch_add(&m->latency[i], 1);
    atomic_fetch_add(&m->latency_sum_us, us);
    atomic_fetch_add(&m->requests, 1);
    int row = r->route_index >= 0 ? r->route_index : rx_routes_count;
    atomic_fetch_add(&m->by_route_status[row * RX_STATUS_BUCKETS + status_bucket(r->status)], 1);
    rx_log(RX_LOG_INFO,
           "msg=request method=%s path=\"%s\" route=\"%s\" status=%d dur_us=%llu user=%lld ip=%s%s",
           r->method, r->path, r->route ? r->route->pattern : "static", r->status,
           (unsigned long long)us, (long long)r->auth.user_id, r->ip,
           toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=1");
    if (r->json) json_decref(r->json);
    stream_free(r->stream); /* never handed to MHD (the connection failed first) */
    if (r->has_body_fd) close(r->body_fd);
    rx_buf_free(&r->out);
    rx_buf_free(&r->field_errors);
    rx_buf_free(&c->body);
    rx_arena_free(&r->arena);
    rx_free(c);
    *con_cls = NULL;
    atomic_fetch_sub(&app->inflight, 1);
}

/* libmicrohttpd's log callback; the attribute lets clang's -Wformat-nonliteral accept it. */
__attribute__((format(printf, 2, 0))) static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '"')) msg[--n] = 0;
    rx_log(RX_LOG_DEBUG, "msg=\"microhttpd: %s\"", msg);
}

/* ------------------------------------------------------------------ start / stop */

/* Every connection is a file descriptor, and thousands of idle or slow clients must not
 * stop others being served (epoll copes; the open-file limit, often 1024, does not). So the
 * soft limit is raised towards what the connection limit needs, up to the hard limit; if
 * that is not enough, the connection limit is lowered to fit, with a warning. FD_RESERVE
 * covers the database (three files per connection, one connection per thread), the
 * listening socket, epoll and the threads' wake-up pipes. */
#define FD_RESERVE 256
static unsigned fit_connection_limit(long want)
{
    struct rlimit rl;
    if (want < 1) want = 1;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return (unsigned)want;
    rlim_t need = (rlim_t)want + FD_RESERVE;
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
        rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need ? need : rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0) getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need) return (unsigned)want;
    unsigned fit = rl.rlim_cur > 2 * FD_RESERVE ? (unsigned)(rl.rlim_cur - FD_RESERVE)
                                                : (unsigned)(rl.rlim_cur / 2);
    rx_warn("msg=\"connection limit lowered to fit the open-file limit\" max_connections=%u "
            "wanted=%ld nofile=%llu",
            fit, want, (unsigned long long)rl.rlim_cur);
    return fit;
}

int rx_server_start(struct rx_app *app, char *err, size_t errlen)
{
    const struct rx_config *cfg = app->cfg;
    char host[256];
    const char *colon = strrchr(cfg->listen, ':');
    if (!colon || (size_t)(colon - cfg->listen) >= sizeof host) {
        snprintf(err, errlen, "--listen must be HOST:PORT, got '%s'", cfg->listen);
        return -1;
    }
    memcpy(host, cfg->listen, (size_t)(colon - cfg->listen));
    host[colon - cfg->listen] = 0;
    int64_t port;
    if (parse_i64(colon + 1, &port) || port < 0 || port > 65535) {
        snprintf(err, errlen, "bad port in --listen '%s'", cfg->listen);
        return -1;
    }
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    if (strcmp(host, "localhost") == 0) snprintf(host, sizeof host, "127.0.0.1");
    if (!*host) snprintf(host, sizeof host, "0.0.0.0");
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
        snprintf(err, errlen, "cannot listen on '%s': give an IPv4 address", host);
        return -1;
    }
    if (cfg->public_url) {
        const char *p = cfg->public_url;
        const char *slash = strchr(strstr(p, "://") ? strstr(p, "://") + 3 : p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (n >= sizeof app->origin) n = sizeof app->origin - 1;
        memcpy(app->origin, p, n);
        app->origin[n] = 0;
        app->secure_cookies = strncmp(p, "https://", 8) == 0;
    }
    size_t rows = (size_t)rx_routes_count + 1;
    app->metrics.by_route_status = rx_calloc(rows * RX_STATUS_BUCKETS, sizeof(_Atomic uint64_t));
    if (!app->metrics.by_route_status) return snprintf(err, errlen, "out of memory"), -1;

    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    if (ncpu < 1) ncpu = 1;
    unsigned threads = (unsigned)(cfg->threads > 0 ? cfg->threads : ncpu);
    struct rx_cpu_pool *p = rx_calloc(1, sizeof *p);
    if (!p) return snprintf(err, errlen, "out of memory"), -1;
    p->app = app;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    /* one core fewer than there are, so that logins never take every core from HTTP */
    p->n = (int)(ncpu > 16 ? 16 : ncpu > 1 ? ncpu - 1 : 1);
    for (int i = 0; i < p->n; i++) pthread_create(&p->threads[i], NULL, cpu_main, p);
    app->cpu = p;
    if (cfg->db_read && *cfg->db_read) {
        app->recent = rx_recent_new((int)cfg->read_your_writes);
        if (!app->recent) return snprintf(err, errlen, "out of memory"), -1;
    }

    unsigned max_conn = fit_connection_limit(cfg->max_connections);
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    app->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, app, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)cfg->conn_timeout, MHD_OPTION_CONNECTION_LIMIT, max_conn,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)cfg->per_ip_connections,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024), MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, app, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_LISTEN_BACKLOG_SIZE,
        (unsigned)1024, MHD_OPTION_END);
    if (!app->daemon) {
        snprintf(err, errlen, "cannot listen on %s (in use, or not allowed)", cfg->listen);
        return -1;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(app->daemon, MHD_DAEMON_INFO_BIND_PORT);
    app->port = di ? di->port : (int)port;
    return 0;
}

void rx_server_stop(struct rx_app *app, int grace)
{
    if (!app->daemon) return;
    MHD_socket s = MHD_quiesce_daemon(app->daemon); /* stop accepting */
    if (s != MHD_INVALID_SOCKET) close(s);
    for (int i = 0; i < grace * 20 && atomic_load(&app->inflight) > 0; i++) usleep(50000);
    MHD_stop_daemon(app->daemon);
    app->daemon = NULL;
    struct rx_cpu_pool *p = app->cpu;
    if (p) {
        pthread_mutex_lock(&p->mu);
        p->stopping = 1;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        for (int i = 0; i < p->n; i++) pthread_join(p->threads[i], NULL);
        pthread_mutex_destroy(&p->mu);
        pthread_cond_destroy(&p->cv);
        rx_free(p);
        app->cpu = NULL;
    }
    rx_free((void *)app->metrics.by_route_status);
    app->metrics.by_route_status = NULL;
    rx_recent_free(app->recent);
    app->recent = NULL;
}

void rx_metrics_write(struct rx_app *app, struct rx_buf *out)
{
    struct rx_metrics *m = &app->metrics;
    rx_buf_puts(out, "# HELP rexin_http_requests_total HTTP requests answered, by route and status.\n"
                     "# TYPE rexin_http_requests_total counter\n");
    for (int i = 0; i <= rx_routes_count; i++) {
        for (int b = 0; b < RX_STATUS_BUCKETS; b++) {
            uint64_t v = atomic_load(&m->by_route_status[i * RX_STATUS_BUCKETS + b]);
            if (!v) continue;
            char st[16];
            if (b < RX_STATUS_BUCKETS - 1 && status_codes[b]) snprintf(st, sizeof st, "%u", status_codes[b]);
            else snprintf(st, sizeof st, "other");
            if (i < rx_routes_count)
                rx_buf_printf(out, "rexin_http_requests_total{method=\"%s\",route=\"%s\",status=\"%s\"} %llu\n",
                              rx_routes[i].method, rx_routes[i].pattern, st, (unsigned long long)v);
            else
                rx_buf_printf(out, "rexin_http_requests_total{method=\"\",route=\"static\",status=\"%s\"} %llu\n",
                              st, (unsigned long long)v);
        }
    }
    static const char *const le[RX_LATENCY_BUCKETS] = {"0.0005", "0.001", "0.002", "0.005", "0.01", "0.025",
                                                 "0.05", "0.1", "0.25", "0.5", "1", "5", "+Inf"};
    rx_buf_puts(out, "# HELP rexin_http_request_duration_seconds Time from first byte to answer.\n"
                     "# TYPE rexin_http_request_duration_seconds histogram\n");
    for (int i = 0; i < RX_LATENCY_BUCKETS; i++)
        rx_buf_printf(out, "rexin_http_request_duration_seconds_bucket{le=\"%s\"} %llu\n", le[i],
                      (unsigned long long)atomic_load(&m->latency[i]));
    rx_buf_printf(out, "rexin_http_request_duration_seconds_sum %.6f\n",
                  (double)atomic_load(&m->latency_sum_us) / 1e6);
    rx_buf_printf(out, "rexin_http_request_duration_seconds_count %llu\n",
                  (unsigned long long)atomic_load(&m->requests));
    rx_buf_printf(out,
                  "# HELP rexin_answer_cache_total Cacheable GET requests, answered from the cache or not.\n"
                  "# TYPE rexin_answer_cache_total counter\n"
                  "rexin_answer_cache_total{result=\"hit\"} %llu\n"
                  "rexin_answer_cache_total{result=\"miss\"} %llu\n",
                  (unsigned long long)atomic_load(&m->cache_hits),
                  (unsigned long long)atomic_load(&m->cache_misses));
    struct rx_store_stats s;
    rx_store_stats(app->store, &s);
    static const char *const ble[8] = {"1", "2", "4", "8", "16", "32", "64", "+Inf"};
    rx_buf_puts(out, "# HELP rexin_db_commit_batch_size Write jobs per database commit.\n"
                     "# TYPE rexin_db_commit_batch_size histogram\n");
    uint64_t cum = 0;
    for (int i = 0; i < 8; i++) {
        cum += s.batch_hist[i];
        rx_buf_printf(out, "rexin_db_commit_batch_size_bucket{le=\"%s\"} %llu\n", ble[i],
                      (unsigned long long)cum);
    }
    rx_buf_printf(out, "rexin_db_commit_batch_size_sum %llu\nrexin_db_commit_batch_size_count %llu\n",
                  (unsigned long long)s.jobs, (unsigned long long)s.commits);
    rx_buf_printf(out, "# TYPE rexin_db_checkpoints_total counter\nrexin_db_checkpoints_total %llu\n",
                  (unsigned long long)s.checkpoints);
    rx_buf_printf(out, "# TYPE rexin_db_retries_total counter\nrexin_db_retries_total %llu\n",
                  (unsigned long long)s.retries);
    rx_buf_printf(out, "# TYPE rexin_http_inflight gauge\nrexin_http_inflight %d\n",
                  atomic_load(&app->inflight));
}
