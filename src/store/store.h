/* store.h: persistence behind one narrow interface. Handlers and the CLI call only this;
 * SQL text lives in src/store/queries_*.def (one statement table, translated per backend),
 * so nothing above this layer knows which database engine runs. store.c dispatches to the
 * backend the URL names (backend.h): sqlite.c (embedded default) or pg.c (PostgreSQL).
 *
 * Threads, SQLite: one writer thread owns the only write connection and commits queued
 * write jobs in batches (group commit: one fsync for many requests, each job in its own
 * savepoint so a failing job does not spoil the others).
 * Threads, PostgreSQL: a pool of writer threads, each with its own connection, runs each
 * job in its own SERIALIZABLE transaction; a job that loses a serialization conflict is
 * rolled back and run again (rx_db_attempt tells a job it is a re-run), so a check and the
 * write it guards stay atomic across threads and across app servers, as with one writer.
 * Every other thread reads through its own read connection (rx_store_reader), opened on
 * first use, or through the read replica (rx_store_replica) when one is configured.
 *
 * Ownership: rx_store_open returns a store the caller closes with rx_store_close. Connections
 * (struct rx_db) belong to the store; callers never close them. Text returned by cursors is
 * valid until the next rx_cursor_next or rx_cursor_close. */
#ifndef RX_STORE_H
#define RX_STORE_H
#include "lib/json.h"
#include <stdint.h>
#include <stdio.h>

struct rx_store;
struct rx_db;

/* Status codes of this layer (0 = ok). */
enum {
    RX_OK = 0,
    RX_NOTFOUND = 1,   /* no row */
    RX_CONSTRAINT = 2, /* a UNIQUE/CHECK/FOREIGN KEY/trigger said no; see rx_db_errmsg */
    RX_BUSY = 3,       /* locked too long */
    RX_IOERR = 4,      /* disk full, I/O error: nothing of the job was kept */
    RX_NOMEM = 5,
    RX_ERROR = 6,      /* anything else; logged */
    RX_ABORT = 7,      /* the job chose to roll back (e.g. validation failed inside it) */
};

/* Every statement has an id; the text for each backend is in queries_*.def. */
enum rx_query {
#define RX_Q(id, sql) id,
#include "store/queries.def"
#undef RX_Q
    RX_Q__COUNT
};

struct rx_store_opts {
    const char *url;      /* "sqlite:PATH", a plain path, or "postgresql://..." */
    int readonly;         /* open without migrating and without a writer thread */
    int migrate;          /* apply pending migrations (0: refuse to run if any are pending) */
    const char *read_url; /* PostgreSQL read replica for rx_store_replica (NULL: none) */
    int writers;          /* PostgreSQL writer threads (0: default 4); SQLite always has 1 */
    int bulk_cache_mib;   /* > 0: a bulk loader that writes one job at a time (rexin demo): the
                           * SQLite writer gets this many MiB of page cache and keeps its
                           * statement journals in memory. 0: a server (32 MiB; they spill). */
};

int rx_store_open(struct rx_store **out, const struct rx_store_opts *o, char *err, size_t errlen);
/* Stops the writer after it has committed everything queued, closes all connections. */
void rx_store_close(struct rx_store *s);
/* Schema version in the file and the newest this binary knows. */
int rx_store_schema_version(struct rx_store *s, int *have, int *known);

/* This thread's read connection; NULL when it cannot be opened. */
struct rx_db *rx_store_reader(struct rx_store *s);
/* This thread's connection to the read replica (may lag the primary by seconds), or the
 * same as rx_store_reader when no replica is configured or it cannot be reached. */
struct rx_db *rx_store_replica(struct rx_store *s);
/* "sqlite" or "postgresql". */
const char *rx_store_backend(struct rx_store *s);
/* 1 when url names a PostgreSQL database. */
int rx_store_url_is_pg(const char *url);

/* Write jobs. `fn` runs on a writer thread inside a transaction (its own savepoint) with
 * a write connection; returning non-zero rolls back what it did. `done` runs on the
 * writer thread after the batch committed (rc = fn's result) or failed to commit (rc =
 * RX_IOERR even when fn succeeded). `done` must not block. On PostgreSQL `fn` may run more
 * than once for one job (see rx_db_attempt); `done` always runs exactly once. */
typedef int (*rx_write_fn)(struct rx_db *db, void *ctx);
typedef void (*rx_write_done_fn)(void *ctx, int rc);
int rx_store_submit(struct rx_store *s, rx_write_fn fn, rx_write_done_fn done, void *ctx);
/* Submits and waits; for the CLI and start-up. Returns fn's result or the commit error. */
int rx_store_write(struct rx_store *s, rx_write_fn fn, void *ctx);

/* 0 while a write job runs for the first time; 1, 2 ... when the backend rolled the job's
 * transaction back (serialization conflict, deadlock, or a statement that failed inside it
 * on PostgreSQL) and runs `fn` again. A job that changes state outside the database must
 * reset it when this is non-zero. Always 0 on SQLite and on read connections. */
int rx_db_attempt(struct rx_db *db);

/* Consistent online copy of the database into path (which must not exist). SQLite only;
 * PostgreSQL deployments use pg_dump / base backups. */
int rx_store_backup(struct rx_store *s, const char *path, char *err, size_t errlen);
/* Checks that path is a sound SQLite database with a schema this binary can run (for
 * `rexin restore`). 0, or RX_ERROR with the reason in err. */
int rx_store_check_sqlite_file(const char *path, char *err, size_t errlen);

/* `rexin migrate --from sqlite:PATH --to postgresql://...`: copies every table in one
 * PostgreSQL transaction (dependency order, ids kept, sequences advanced), then compares
 * row counts and column sums; all or nothing. The target is migrated first and must hold
 * no accounts or org units yet. Progress lines go to `log`. */
int rx_store_copy(const char *from, const char *to, FILE *log, char *err, size_t errlen);

/* Counters for /metrics. */
struct rx_store_stats {
    uint64_t commits;          /* batches committed */
    uint64_t jobs;             /* write jobs run */
    uint64_t batch_hist[8];    /* batches of size <=1, <=2, <=4, ... <=64, >64 */
    uint64_t checkpoints;      /* WAL checkpoints run (SQLite) */
    uint64_t retries;          /* jobs run again after a serialization conflict (PostgreSQL) */
};
void rx_store_stats(struct rx_store *s, struct rx_store_stats *out);

/* --- statements --- */
enum rx_val_type { RX_V_NULL, RX_V_INT, RX_V_TEXT, RX_V_DOUBLE };
struct rx_val {
    enum rx_val_type t;
    int64_t i;
    double d;
    const char *s; /* text, not copied; must outlive the call */
    int n;         /* length of s, or -1 for NUL-terminated */
};
#define RX_I(x) ((struct rx_val){.t = RX_V_INT, .i = (x)})
#define RX_D(x) ((struct rx_val){.t = RX_V_DOUBLE, .d = (x)})
static inline struct rx_val rx_val_text(const char *s)
{
    struct rx_val v = {.t = s ? RX_V_TEXT : RX_V_NULL, .s = s, .n = -1};
    return v;
}
/* Text, or SQL NULL when x is NULL. */
#define RX_T(x) rx_val_text(x)
#define RX_TN(x, len) ((struct rx_val){.t = RX_V_TEXT, .s = (x), .n = (int)(len)})
#define RX_NUL ((struct rx_val){.t = RX_V_NULL})
/* RX_ARGS(a, b, c) expands to the (array, count) pair the calls below take. */
#define RX_ARGS(...)                                                                       \
    (const struct rx_val[]){__VA_ARGS__},                                                  \
        (int)(sizeof((const struct rx_val[]){__VA_ARGS__}) / sizeof(struct rx_val))
#define RX_NOARGS NULL, 0

/* Runs a statement that returns no rows. *changes (may be NULL) gets the rows changed;
 * *last_id (may be NULL) the rowid of the last insert. */
int rx_db_exec(struct rx_db *db, enum rx_query q, const struct rx_val *a, int n,
               int64_t *changes, int64_t *last_id);

/* Writes every row as a JSON object, columns named by their SQL alias. Alias suffixes:
 * `__json` embeds the text as raw JSON, `__bool` writes true/false; NULL writes null.
 * rx_db_json_rows writes the objects one after another (caller opens the array) and fills
 * *pg (may be NULL): how many rows, and the first column of the last row as an integer (the
 * id to continue a list from); rx_db_json_row writes exactly one object or RX_NOTFOUND. */
struct rx_page {
    int count;
    int64_t last_id;
};
int rx_db_json_rows(struct rx_db *db, enum rx_query q, const struct rx_val *a, int n,
                    struct rx_json *w, struct rx_page *pg);
int rx_db_json_row(struct rx_db *db, enum rx_query q, const struct rx_val *a, int n,
                   struct rx_json *w);
/* Writes the first row's columns as key/value pairs into the object the caller has open. */
int rx_db_json_fields(struct rx_db *db, enum rx_query q, const struct rx_val *a, int n,
                      struct rx_json *w);

/* Row cursor for C code that needs values. */
struct rx_cursor {
    struct rx_db *db;
    void *stmt; /* backend statement */
    int rc;     /* last status */
};
int rx_db_query(struct rx_db *db, enum rx_query q, const struct rx_val *a, int n,
                struct rx_cursor *c);
/* 1: a row is available; 0: no more rows; <0: error (-RX_*). */
int rx_cursor_next(struct rx_cursor *c);
int64_t rx_cursor_int(struct rx_cursor *c, int col);
double rx_cursor_double(struct rx_cursor *c, int col);
const char *rx_cursor_text(struct rx_cursor *c, int col); /* NULL for SQL NULL */
int rx_cursor_isnull(struct rx_cursor *c, int col);
void rx_cursor_close(struct rx_cursor *c);

/* One-value helpers: first column of the first row. RX_NOTFOUND when no row. */
int rx_db_int(struct rx_db *db, enum rx_query q, const struct rx_val *a, int n, int64_t *out);

/* Bulk loading (`rexin demo`'s history): runs fn(db, ctx) with the named trigger dropped,
 * then creates the trigger again from its own stored definition, all inside the caller's
 * write job, so nothing outside ever sees the table without it. Only for loads that keep the
 * trigger's rule by construction. RX_NOTFOUND when there is no such trigger; RX_ERROR on a
 * backend that cannot (PostgreSQL: rexin demo writes SQLite, `rexin migrate --from` copies). */
int rx_db_without_trigger(struct rx_db *db, const char *trigger, rx_write_fn fn, void *ctx);

/* A number that changes whenever anyone else (another connection of this process, another
 * process) has committed since this connection last asked: while it stays the same, what this
 * connection reads has not changed. RX_ERROR on a backend that cannot tell (PostgreSQL, where
 * other servers write too); callers then must not keep answers. */
int rx_db_data_version(struct rx_db *db, int64_t *out);

/* The message of the last error on this connection (e.g. the trigger's RAISE text). */
const char *rx_db_errmsg(struct rx_db *db);

#endif
