/* server.h: the HTTP server (libmicrohttpd with its epoll thread pool) and the application
 * context every request can reach. main.c owns the rx_app and everything in it. */
#ifndef RX_SERVER_H
#define RX_SERVER_H
#include "http/http.h"
#include "lib/config.h"
#include "lib/crypto.h"
#include <stdatomic.h>
#include <stdint.h>

struct rx_store;
struct MHD_Daemon;
struct rx_cpu_pool;
struct rx_recent;

enum rx_auth_need { RX_PUBLIC = 0, RX_LOGGED_IN = 1 };
enum rx_body_kind { RX_BODY_JSON = 0, RX_BODY_RAW = 1 };

struct rx_route {
    const char *method;     /* "GET", "POST", ... */
    const char *pattern;    /* "/api/v1/org-units/{id}"; {name} matches one segment */
    rx_step_fn fn;          /* first step */
    enum rx_exec exec;      /* where the first step runs */
    enum rx_auth_need auth; /* RX_LOGGED_IN answers 401 to anonymous callers */
    enum rx_body_kind body; /* RX_BODY_JSON requires application/json for writes */
    long max_body;          /* body limit in bytes for this route; 0 = the configured max_body */
    int cache;              /* GET answers may be kept until the next commit (http/cache.h): the
                             * answer depends only on the caller, the URL, the language, the
                             * database and the current second, and the step has no side effect */
};

/* The route table (src/api/routes.c). */
extern const struct rx_route rx_routes[];
extern const int rx_routes_count;

#define RX_STATUS_BUCKETS 20
#define RX_LATENCY_BUCKETS 13

struct rx_metrics {
    _Atomic uint64_t *by_route_status; /* [route][status bucket], route_count+1 rows */
    _Atomic uint64_t latency[RX_LATENCY_BUCKETS]; /* requests with latency <= bucket bound */
    _Atomic uint64_t latency_sum_us;   /* total latency in microseconds */
    _Atomic uint64_t requests;         /* all requests answered */
    _Atomic uint64_t cache_hits;       /* answers served from the answer cache */
    _Atomic uint64_t cache_misses;     /* cacheable requests that ran their handler */
};

struct rx_app {
    struct rx_config *cfg;        /* settings, owned by main.c */
    struct rx_store *store;       /* database */
    struct rx_keys keys;          /* data keys from DATA/secret.key */
    struct MHD_Daemon *daemon;    /* the HTTP server */
    struct rx_cpu_pool *cpu;      /* threads for password hashing */
    struct rx_recent *recent;     /* who wrote lately, when a read replica is configured */
    int port;                     /* bound port (useful when 0 was asked for) */
    char origin[256];             /* expected Origin for browser writes, "" = from Host */
    int secure_cookies;           /* behind https: Secure + __Host- prefix */
    _Atomic int inflight;         /* requests started and not completed */
    _Atomic int64_t clock_offset; /* seconds added to the wall clock (tests) */
    struct rx_metrics metrics;
};

int rx_server_start(struct rx_app *app, char *err, size_t errlen);
/* Stops accepting, waits (up to `grace` seconds) for requests in flight, stops the daemon. */
void rx_server_stop(struct rx_app *app, int grace);

int64_t rx_app_now(struct rx_app *app);

/* Metrics text for /metrics (Prometheus exposition format). */
void rx_metrics_write(struct rx_app *app, struct rx_buf *out);

#endif
