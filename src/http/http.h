/* http.h: the request a handler sees, and the calls it uses to answer.
 *
 * A request is parsed on a libmicrohttpd thread (headers, body up to the cap, JSON, session)
 * and then runs as one or more steps, each on the thread its class says:
 *   RX_EXEC_READ  - on the HTTP thread, with that thread's read connection;
 *   RX_EXEC_WRITE - on the store's writer thread, inside the current batch transaction (its
 *                   own savepoint: answering with status >= 400 rolls back what it wrote);
 *   RX_EXEC_CPU   - on the CPU pool (password hashing), with that thread's read connection;
 *   RX_EXEC_REPORT - like READ, but on the read replica when one is configured (--db-read)
 *                   and the user has not written in the last few seconds (http/recent.h);
 *                   for reports and other reads that may be a few seconds old.
 * A step answers (rx_reply_* / rx_problem*) or hands over to the next step with rx_then.
 * The connection is suspended while a step runs off the HTTP thread, so HTTP threads never
 * wait for disk or for argon2.
 *
 * Memory: everything reachable from a request comes from r->arena and dies with it. */
#ifndef RX_HTTP_H
#define RX_HTTP_H
#include "lib/arena.h"
#include "lib/buf.h"
#include "lib/json.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct rx_app;
struct rx_db;
struct rx_req;

enum rx_exec { RX_EXEC_READ, RX_EXEC_WRITE, RX_EXEC_CPU, RX_EXEC_REPORT };
enum rx_lang { RX_LANG_ZH, RX_LANG_EN };
typedef void (*rx_step_fn)(struct rx_req *r);

#define RX_MAX_PARAMS 4
#define RX_MAX_GRANTS 32
#define RX_MAX_QUERY 32

struct rx_grant {
    const char *role;    /* role name, e.g. "community_admin" */
    int64_t org_id;      /* the node it is granted over */
    const char *path;    /* that node's path, '/1/5/9/'; covers every path with this prefix */
    const char *kind;    /* that node's kind */
};

struct rx_auth {
    int64_t user_id;     /* 0 when anonymous */
    int64_t person_id;   /* 0 when the account has no person */
    int64_t session_id;  /* 0 unless logged in with the cookie */
    int64_t token_id;    /* 0 unless logged in with a bearer token */
    const char *username;
    const char *display_name;
    int n_grants;
    struct rx_grant grants[RX_MAX_GRANTS];
};

struct rx_route;

struct rx_req {
    struct rx_app *app;          /* the server */
    struct rx_arena arena;       /* request memory */
    const struct rx_route *route;/* matched route, NULL for static files */
    int route_index;             /* index in the route table, for metrics; -1 otherwise */
    const char *method;          /* "GET", ... */
    const char *path;            /* URL path, percent-decoded by the server */
    const char *params[RX_MAX_PARAMS]; /* path parameters, in pattern order */
    int n_query;
    const char *qk[RX_MAX_QUERY], *qv[RX_MAX_QUERY]; /* query string */
    const char *body;            /* request body (NUL-terminated), NULL when none */
    size_t body_len;
    json_t *json;                /* parsed body for JSON writes; freed with the request */
    enum rx_lang lang;           /* from Accept-Language */
    const char *ip;              /* client address */
    const char *user_agent;
    const char *idem_key;        /* Idempotency-Key header, if any */
    const char *host;            /* Host header, if any (for links when public-url is unset) */
    const char *body_type;       /* Content-Type of the request body, if any (for raw uploads) */
    struct rx_auth auth;         /* who is asking */
    struct rx_db *db;            /* connection for the current step */
    int64_t now;                 /* unix seconds at request start (the app clock) */

    /* the answer */
    int status;                  /* 0 until answered */
    struct rx_buf out;           /* body */
    struct rx_json json_out;     /* the writer rx_json_begin hands out (over out) */
    const char *content_type;
    const char *location;        /* Location header for 201 */
    const char *set_cookie;      /* Set-Cookie header */
    const char *retry_after;     /* Retry-After header */
    const char *allow;           /* Allow header for 405 */
    const char *cache_control;   /* default no-store for the API */
    const char *etag;
    const char *content_encoding;
    const unsigned char *static_body; /* answer with these bytes instead of out (not copied) */
    size_t static_len;
    const char *content_disposition; /* Content-Disposition header (downloads) */
    struct rx_stream *stream;    /* streamed body (rx_reply_stream), owned by the server */
    int body_fd;                 /* with has_body_fd: answer with this file (rx_reply_fd) */
    int has_body_fd;
    int keep_writes;             /* commit this step's writes even when answering >= 400 */
    int n_field_errors;          /* collected by rx_field_error */
    int store_failed;            /* the store error rx_store_problem answered 5xx with: a later
                                  * 4xx or rx_reply* does not replace it (a look-up that failed is
                                  * no "not found", nor an answer built without it) */
    struct rx_buf field_errors;  /* JSON array elements, comma separated */

    /* continuation */
    rx_step_fn next;             /* next step, or NULL when answered */
    enum rx_exec next_exec;
    void *step_ctx;              /* free for handlers to pass state between steps */
};

/* --- answering --- */
/* Starts a JSON body; the handler writes into the returned writer then calls rx_reply.
 * Never NULL (the writer lives in the request); a body that ran out of memory makes
 * rx_reply answer 503. */
struct rx_json *rx_json_begin(struct rx_req *r);
void rx_reply(struct rx_req *r, int status);
void rx_reply_created(struct rx_req *r, const char *location);
void rx_reply_empty(struct rx_req *r, int status);
void rx_reply_text(struct rx_req *r, int status, const char *content_type, const char *text,
                   size_t len);

/* Streamed answers, for bodies too large to build in memory (exports). After the step
 * returns, the server calls fill(ctx, db, out) whenever it needs more bytes: fill appends the
 * next piece (say a page of rows) to out using db, this HTTP thread's read connection, and
 * returns 1 when more follows, 0 after the last piece, -1 on failure (the connection is then
 * cut, so the client sees an incomplete download rather than a wrong one). Each call must
 * finish its statements: other requests use the same connection between calls. ctx must not
 * point into the request arena (the body outlives the request); the server calls
 * free_ctx(ctx) once, whether the body was sent or not. Status 200. */
typedef int (*rx_stream_fill_fn)(void *ctx, struct rx_db *db, struct rx_buf *out);
void rx_reply_stream(struct rx_req *r, const char *content_type, rx_stream_fill_fn fill,
                     void *ctx, void (*free_ctx)(void *));
/* Answers 200 with the contents of an open regular file; the server owns fd from here on
 * and closes it (the caller may unlink the path at once). */
void rx_reply_fd(struct rx_req *r, const char *content_type, int fd);

/* Problems (application/problem+json). `code` is a stable machine code with a title in
 * each language in messages.c; `detail` (may be NULL) adds specifics in plain text.
 * Field errors collected with rx_field_error go into "errors". */
void rx_field_error(struct rx_req *r, const char *field, const char *code);
/* Same, with a free-form detail appended to the message (e.g. the other activity's title). */
void rx_field_error_detail(struct rx_req *r, const char *field, const char *code,
                           const char *detail);
void rx_problem(struct rx_req *r, int status, const char *code, const char *detail);
/* 400 validation_failed with the collected field errors; returns 1 if there were any. */
int rx_fail_if_field_errors(struct rx_req *r);
/* Localised message for a code in the request's language. */
const char *rx_msg(const struct rx_req *r, const char *code);

/* Answer with a store error (409 for constraints, 503 for I/O, 500 otherwise). */
void rx_store_problem(struct rx_req *r, int rc);

/* Hands the request to the next step on the given thread class. */
void rx_then(struct rx_req *r, enum rx_exec exec, rx_step_fn fn);

/* --- reading the request --- */
const char *rx_query(const struct rx_req *r, const char *name);
/* Parses path parameter i as a positive id; on failure answers 404 and returns 0. */
int64_t rx_param_id(struct rx_req *r, int i);
/* Parses query parameter `name` as an integer in [lo, hi]; def when absent. On a bad value
 * records a field error and returns def. */
int64_t rx_query_int(struct rx_req *r, const char *name, int64_t def, int64_t lo, int64_t hi);

/* --- audit --- */
/* Appends to the audit log in the current (write) transaction. detail is JSON text or NULL. */
int rx_audit(struct rx_req *r, const char *action, const char *entity, int64_t entity_id,
             const char *detail);

#endif
