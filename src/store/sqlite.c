/* sqlite.c: the SQLite backend of store.h.
 *
 * One file in WAL mode with synchronous=FULL, so an acknowledged write survives kill -9 and
 * power loss. One writer thread owns the write connection; HTTP threads queue write jobs and
 * the writer runs everything queued as one transaction (BEGIN IMMEDIATE ... COMMIT), each job
 * inside its own SAVEPOINT. The single fsync of the COMMIT is shared by the whole batch
 * (group commit). Checkpoints are run by the writer after commits, PASSIVE when the WAL is
 * past a soft limit and RESTART past a hard one, so the WAL cannot grow without bound.
 * Each reading thread gets its own connection (query_only) on first use. Statements are
 * prepared once per connection and kept in a per-connection cache indexed by query id. */
#include "store/store.h"
#include "store/backend.h"
#include "lib/alloc.h"
#include "lib/embed.h"
#include "lib/log.h"
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define sql_text rx_query_sql

struct sq_db {
    struct rx_db base;                  /* must stay first (backend.h) */
    sqlite3 *h;                         /* the connection */
    sqlite3_stmt *stmts[RX_Q__COUNT];   /* prepared on first use */
    struct sq_store *store;             /* owner */
    struct sq_db *next_reader;          /* list of reader connections, for closing */
    sqlite3_stmt *job_sp[3];            /* the writer's SAVEPOINT, ROLLBACK TO, RELEASE */
    sqlite3_stmt *data_version;         /* PRAGMA data_version, prepared on first use */
    char errmsg[256];                   /* copy of the last error message */
    int in_job;                         /* the writer, while a job's fn runs */
};

struct job {
    rx_write_fn fn;
    rx_write_done_fn done;
    void *ctx;
    int rc;
    struct job *next;
};

struct sq_store {
    struct rx_store base;         /* must stay first (backend.h) */
    char path[4096];              /* database file */
    int readonly;                 /* no writer */
    struct sq_db *writer;         /* owned by the writer thread once started */
    pthread_t writer_thread;      /* runs writer_main */
    int writer_started;           /* 1 after pthread_create succeeded */
    int bulk_cache_mib;           /* rx_store_opts.bulk_cache_mib */
    pthread_mutex_t mu;           /* guards everything below */
    pthread_cond_t cv;            /* signalled when jobs arrive or on stop */
    struct job *head, *tail;      /* queued jobs */
    int stopping;                 /* 1 once rx_store_close began */
    struct sq_db *readers;        /* every reader connection opened */
    unsigned generation;          /* distinguishes stores for thread-local readers */
    struct rx_store_stats stats;  /* counters, under mu */
    int wal_pages;                /* WAL size after the last commit (writer thread only) */
    /* Checkpoints run on a thread and connection of their own, so that the writer does not
     * stop committing while WAL pages are copied into the database and it is synced. */
    struct sq_db *ckpt;           /* the checkpointer's connection */
    pthread_t ckpt_thread;
    int ckpt_started;
    pthread_cond_t ckpt_cv;       /* signalled when a checkpoint is wanted, or on stop */
    int ckpt_wanted;              /* under mu */
};

#define WAL_SOFT_PAGES 16000  /* ~64 MiB of 4 KiB pages: the checkpoint thread copies them passively (each
                              * page once however often it was written since: fewer copies than
                              * at 16 MiB, checkpoint CPU per write -25% in the bench) */
#define WAL_HARD_PAGES 40000  /* ~160 MiB: checkpoint with RESTART (waits for readers) */
#define MAX_BATCH 512

static unsigned next_generation = 1; /* guarded by gen_mu */
static pthread_mutex_t gen_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

/* Before SQLite initialises: no memory statistics. With them on (Debian's default), every
 * sqlite3_malloc and sqlite3_free of every connection takes one process-wide mutex, which
 * the read path paid for several times per request (docs/performance.md). rexin never reads
 * sqlite3_memory_used(). */
static int sqlite_rx_alloc; /* SQLite allocates through rx_malloc (tests only) */
static int sqlite_rx_alloc_wanted; /* rx_store_sqlite_use_rx_alloc came before sqlite_setup */

/* SQLite's allocator over rx_malloc, for the out-of-memory walk (tests/unit/test_oom_http.c):
 * a 16-byte header (keeping malloc's alignment) holds the size, which xSize must answer. */
#define SQM_HEAD 16
static void *sqm_malloc(int n)
{
    if (n <= 0) return NULL;
    unsigned char *p = rx_malloc((size_t)n + SQM_HEAD);
    if (!p) return NULL;
    int64_t size = n;
    memcpy(p, &size, sizeof size);
    return p + SQM_HEAD;
}

static void sqm_free(void *p)
{
    if (p) rx_free((unsigned char *)p - SQM_HEAD);
}

static void *sqm_realloc(void *p, int n)
{
    if (!p) return sqm_malloc(n);
    if (n <= 0) return NULL;
    unsigned char *q = rx_realloc((unsigned char *)p - SQM_HEAD, (size_t)n + SQM_HEAD);
    if (!q) return NULL; /* the old block stays valid, as SQLite expects */
    int64_t size = n;
    memcpy(q, &size, sizeof size);
    return q + SQM_HEAD;
}

static int sqm_size(void *p)
{
    if (!p) return 0;
    int64_t size;
    memcpy(&size, (unsigned char *)p - SQM_HEAD, sizeof size);
    return (int)size;
}

static int sqm_roundup(int n)
{
    return (n + 7) & ~7;
}

static int sqm_init(void *arg)
{
    return SQLITE_OK;
}

static void sqm_shutdown(void *arg)
{
}

static void sqlite_setup(void)
{
    if (sqlite_rx_alloc_wanted) {
        static const sqlite3_mem_methods m = {sqm_malloc, sqm_free,   sqm_realloc,  sqm_size,
                                              sqm_roundup, sqm_init, sqm_shutdown, NULL};
        sqlite_rx_alloc = sqlite3_config(SQLITE_CONFIG_MALLOC, &m) == SQLITE_OK;
    }
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int rx_store_sqlite_use_rx_alloc(void)
{
    sqlite_rx_alloc_wanted = 1;
    pthread_once(&sqlite_once, sqlite_setup);
    return sqlite_rx_alloc ? 0 : -1;
}

static int map_rc(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW: return RX_OK;
    case SQLITE_CONSTRAINT: return RX_CONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return RX_BUSY;
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY: return RX_IOERR;
    case SQLITE_NOMEM: return RX_NOMEM;
    default: return RX_ERROR;
    }
}

static void keep_err(struct sq_db *db)
{
    snprintf(db->errmsg, sizeof db->errmsg, "%s", sqlite3_errmsg(db->h));
}

static const char *sq_errmsg(struct rx_db *bdb)
{
    return ((struct sq_db *)bdb)->errmsg;
}

static int simple(struct sq_db *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        snprintf(db->errmsg, sizeof db->errmsg, "%s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
    }
    return rc;
}

static struct sq_db *db_open(struct sq_store *s, int reader, char *err, size_t errlen)
{
    struct sq_db *db = rx_calloc(1, sizeof *db);
    if (!db) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    db->base.be = &rx_backend_sqlite;
    db->store = s;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (reader ? 0 : SQLITE_OPEN_CREATE);
    int rc = sqlite3_open_v2(s->path, &db->h, flags, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open %s: %s", s->path,
                 db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
        sqlite3_close(db->h);
        rx_free(db);
        return NULL;
    }
    sqlite3_busy_timeout(db->h, 10000);
    sqlite3_extended_result_codes(db->h, 1);
    /* The writer keeps temp_store=FILE: statement sub-journals then spill to a file past
     * 64 KiB instead of staying in memory, where SQLite 3.40 truncates them by walking every
     * chunk at the end of each statement, which made one big write job (an import of 20,000
     * rows into a database of 200,000) quadratic: 148 s instead of 3 s. */
    const char *pragmas = reader ? "PRAGMA foreign_keys=ON; PRAGMA query_only=1;"
                                   " PRAGMA cache_size=-16000; PRAGMA temp_store=MEMORY;"
                                 : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                                   " PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint=0;"
                                   " PRAGMA cache_size=-32000; PRAGMA temp_store=FILE;";
    /* A bulk loader (rexin demo) runs one big job at a time, each alone in its batch and so
     * without a savepoint (run_batch): its statement journals stay small and can live in
     * memory, where temp_store=FILE would spill any over 64 KiB (a confirmed record's insert
     * touches about 20 pages through its rollup triggers) to a file for the rest of the
     * transaction, a pwrite per page of every later statement: 1.4 million for one
     * community of `rexin demo`. SQLite 3.40.1 answers "disk full" when the spill threshold
     * is raised instead (SQLITE_CONFIG_STMTJRNL_SPILL above 64 KiB with temp_store=FILE). */
    char cache[96];
    if (!reader && s->bulk_cache_mib > 0)
        snprintf(cache, sizeof cache, "PRAGMA cache_size=-%d; PRAGMA temp_store=MEMORY;", s->bulk_cache_mib * 1024);
    else
        cache[0] = 0;
    if (simple(db, pragmas) != SQLITE_OK || (cache[0] && simple(db, cache) != SQLITE_OK)) {
        snprintf(err, errlen, "cannot configure %s: %s", s->path, db->errmsg);
        sqlite3_close(db->h);
        rx_free(db);
        return NULL;
    }
    return db;
}

static void db_close(struct sq_db *db)
{
    if (!db) return;
    for (int i = 0; i < RX_Q__COUNT; i++) sqlite3_finalize(db->stmts[i]);
    for (int i = 0; i < 3; i++) sqlite3_finalize(db->job_sp[i]);
    sqlite3_finalize(db->data_version);
    sqlite3_close(db->h);
    rx_free(db);
}

/* 1 when SQLite rolled back the writer's transaction under a running job (out of memory,
 * I/O error): every statement the job ran from then on would commit on its own. */
static int job_lost_transaction(struct sq_db *db)
{
    return db->in_job && sqlite3_get_autocommit(db->h);
}

static sqlite3_stmt *prepare(struct sq_db *db, enum rx_query q)
{
    if (job_lost_transaction(db)) {
        snprintf(db->errmsg, sizeof db->errmsg, "the transaction was rolled back");
        return NULL;
    }
    sqlite3_stmt *st = db->stmts[q];
    if (st) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        return st;
    }
    int rc = sqlite3_prepare_v3(db->h, sql_text[q], -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        keep_err(db);
        rx_error("msg=\"prepare failed\" query=%d err=\"%s\"", (int)q, db->errmsg);
        return NULL;
    }
    db->stmts[q] = st;
    return st;
}

/* The status of a failed prepare: out of memory is RX_NOMEM (answered 503), not an error
 * in the statement. */
static int prepare_rc(struct sq_db *db)
{
    if (job_lost_transaction(db)) return RX_IOERR;
    int rc = map_rc(sqlite3_errcode(db->h));
    return rc ? rc : RX_ERROR;
}

static int bind(struct sq_db *db, sqlite3_stmt *st, const struct rx_val *a, int n)
{
    for (int i = 0; i < n; i++) {
        int rc;
        switch (a[i].t) {
        case RX_V_INT: rc = sqlite3_bind_int64(st, i + 1, a[i].i); break;
        case RX_V_DOUBLE: rc = sqlite3_bind_double(st, i + 1, a[i].d); break;
        case RX_V_TEXT: rc = sqlite3_bind_text(st, i + 1, a[i].s, a[i].n, SQLITE_STATIC); break;
        default: rc = sqlite3_bind_null(st, i + 1);
        }
        if (rc != SQLITE_OK) {
            keep_err(db);
            return map_rc(rc);
        }
    }
    return RX_OK;
}

static int sq_exec(struct rx_db *bdb, enum rx_query q, const struct rx_val *a, int n,
                   int64_t *changes, int64_t *last_id)
{
    struct sq_db *db = (struct sq_db *)bdb;
    sqlite3_stmt *st = prepare(db, q);
    if (!st) return prepare_rc(db);
    int rc = bind(db, st, a, n);
    if (rc) return rc;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {}
    if (s != SQLITE_DONE) {
        keep_err(db);
        sqlite3_reset(st);
        return map_rc(s);
    }
    if (changes) *changes = sqlite3_changes64(db->h);
    if (last_id) *last_id = sqlite3_last_insert_rowid(db->h);
    sqlite3_reset(st);
    return RX_OK;
}

/* PRAGMA data_version: a number that changes when any other connection, in this process or
 * another (the CLI), has committed since this connection last asked. Starting the pragma's
 * read transaction is what notices a commit, so it is always asked, never remembered. */
static int sq_data_version(struct rx_db *bdb, int64_t *out)
{
    struct sq_db *db = (struct sq_db *)bdb;
    if (!db->data_version &&
        sqlite3_prepare_v3(db->h, "PRAGMA data_version", -1, SQLITE_PREPARE_PERSISTENT,
                           &db->data_version, NULL) != SQLITE_OK) {
        keep_err(db);
        return map_rc(sqlite3_errcode(db->h));
    }
    int rc = sqlite3_step(db->data_version);
    if (rc == SQLITE_ROW) *out = sqlite3_column_int64(db->data_version, 0);
    else keep_err(db);
    sqlite3_reset(db->data_version);
    return rc == SQLITE_ROW ? RX_OK : map_rc(rc);
}

static int ends_with(const char *s, const char *suffix, size_t *stem)
{
    size_t n = strlen(s), m = strlen(suffix);
    if (n <= m || memcmp(s + n - m, suffix, m) != 0) return 0;
    *stem = n - m;
    return 1;
}

static void row_fields(sqlite3_stmt *st, struct rx_json *w)
{
    int cols = sqlite3_column_count(st);
    for (int i = 0; i < cols; i++) {
        const char *name = sqlite3_column_name(st, i);
        size_t stem;
        int type = sqlite3_column_type(st, i);
        if (ends_with(name, "__json", &stem)) {
            char key[64];
            snprintf(key, sizeof key, "%.*s", (int)stem, name);
            rx_json_key(w, key);
            if (type == SQLITE_NULL) rx_json_null(w);
            else rx_json_raw(w, (const char *)sqlite3_column_text(st, i),
                             (size_t)sqlite3_column_bytes(st, i));
            continue;
        }
        if (ends_with(name, "__bool", &stem)) {
            char key[64];
            snprintf(key, sizeof key, "%.*s", (int)stem, name);
            rx_json_key(w, key);
            if (type == SQLITE_NULL) rx_json_null(w);
            else rx_json_bool(w, sqlite3_column_int64(st, i) != 0);
            continue;
        }
        rx_json_key(w, name);
        switch (type) {
        case SQLITE_INTEGER: rx_json_int(w, sqlite3_column_int64(st, i)); break;
        case SQLITE_FLOAT: rx_json_double(w, sqlite3_column_double(st, i)); break;
        case SQLITE_NULL: rx_json_null(w); break;
        default:
            rx_json_strn(w, (const char *)sqlite3_column_text(st, i),
                         (size_t)sqlite3_column_bytes(st, i));
        }
    }
}

static void row_json(sqlite3_stmt *st, struct rx_json *w)
{
    rx_json_obj(w);
    row_fields(st, w);
    rx_json_end(w);
}

static int sq_json_fields(struct rx_db *bdb, enum rx_query q, const struct rx_val *a, int n,
                      struct rx_json *w)
{
    struct sq_db *db = (struct sq_db *)bdb;
    sqlite3_stmt *st = prepare(db, q);
    if (!st) return prepare_rc(db);
    int rc = bind(db, st, a, n);
    if (rc) return rc;
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) row_fields(st, w);
    else if (s != SQLITE_DONE) keep_err(db);
    sqlite3_reset(st);
    return s == SQLITE_ROW ? RX_OK : s == SQLITE_DONE ? RX_NOTFOUND : map_rc(s);
}

static int sq_json_rows(struct rx_db *bdb, enum rx_query q, const struct rx_val *a, int n,
                    struct rx_json *w, struct rx_page *pg)
{
    struct sq_db *db = (struct sq_db *)bdb;
    sqlite3_stmt *st = prepare(db, q);
    if (!st) return prepare_rc(db);
    int rc = bind(db, st, a, n);
    if (rc) return rc;
    int k = 0, s;
    int64_t last = 0;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        row_json(st, w);
        last = sqlite3_column_int64(st, 0);
        k++;
    }
    if (pg) {
        pg->count = k;
        pg->last_id = last;
    }
    if (s != SQLITE_DONE) {
        keep_err(db);
        sqlite3_reset(st);
        return map_rc(s);
    }
    sqlite3_reset(st);
    return RX_OK;
}

static int sq_json_row(struct rx_db *bdb, enum rx_query q, const struct rx_val *a, int n,
                   struct rx_json *w)
{
    struct sq_db *db = (struct sq_db *)bdb;
    sqlite3_stmt *st = prepare(db, q);
    if (!st) return prepare_rc(db);
    int rc = bind(db, st, a, n);
    if (rc) return rc;
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) row_json(st, w);
    else if (s != SQLITE_DONE) keep_err(db);
    sqlite3_reset(st);
    return s == SQLITE_ROW ? RX_OK : s == SQLITE_DONE ? RX_NOTFOUND : map_rc(s);
}

static int sq_query(struct rx_db *bdb, enum rx_query q, const struct rx_val *a, int n,
                struct rx_cursor *c)
{
    struct sq_db *db = (struct sq_db *)bdb;
    c->db = bdb;
    c->stmt = prepare(db, q);
    c->rc = RX_OK;
    if (!c->stmt) return c->rc = prepare_rc(db);
    return c->rc = bind(db, c->stmt, a, n);
}

static int sq_cursor_next(struct rx_cursor *c)
{
    if (!c->stmt || c->rc) return -(c->rc ? c->rc : RX_ERROR);
    int s = sqlite3_step(c->stmt);
    if (s == SQLITE_ROW) return 1;
    if (s == SQLITE_DONE) return 0;
    keep_err((struct sq_db *)c->db);
    c->rc = map_rc(s);
    return -c->rc;
}

static int64_t sq_cursor_int(struct rx_cursor *c, int col)
{
    return sqlite3_column_int64(c->stmt, col);
}

static double sq_cursor_double(struct rx_cursor *c, int col)
{
    return sqlite3_column_double(c->stmt, col);
}

static const char *sq_cursor_text(struct rx_cursor *c, int col)
{
    return (const char *)sqlite3_column_text(c->stmt, col);
}

static int sq_cursor_isnull(struct rx_cursor *c, int col)
{
    return sqlite3_column_type(c->stmt, col) == SQLITE_NULL;
}

static void sq_cursor_close(struct rx_cursor *c)
{
    if (c->stmt) sqlite3_reset(c->stmt);
    c->stmt = NULL;
}


/* --- migrations --- */

static int user_version(struct sq_db *db)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    return v;
}


static int known_version(void)
{
    int v = 0;
    for (unsigned i = 0; i < rx_embed_migrations_count; i++) {
        int n = rx_migration_number(rx_embed_migrations[i].path);
        if (n > v) v = n;
    }
    return v;
}

static int migrate(struct sq_db *db, int apply, char *err, size_t errlen)
{
    int have = user_version(db), known = known_version();
    if (have < 0) {
        snprintf(err, errlen, "cannot read schema version: %s", sqlite3_errmsg(db->h));
        return RX_ERROR;
    }
    if (have > known) {
        snprintf(err, errlen,
                 "the database has schema version %d but this rexin knows only up to %d; "
                 "run a newer rexin (or restore a backup made by this version)",
                 have, known);
        return RX_ERROR;
    }
    if (have < known && !apply) {
        snprintf(err, errlen, "the database needs migrating from %d to %d: run `rexin migrate`",
                 have, known);
        return RX_ERROR;
    }
    for (int v = have + 1; v <= known; v++) {
        const struct rx_embed *m = NULL;
        for (unsigned i = 0; i < rx_embed_migrations_count; i++)
            if (rx_migration_number(rx_embed_migrations[i].path) == v) m = &rx_embed_migrations[i];
        if (!m) {
            snprintf(err, errlen, "migration %d is missing from this build", v);
            return RX_ERROR;
        }
        char setv[64];
        snprintf(setv, sizeof setv, "PRAGMA user_version=%d;", v);
        if (simple(db, "BEGIN IMMEDIATE") != SQLITE_OK ||
            simple(db, (const char *)m->data) != SQLITE_OK || simple(db, setv) != SQLITE_OK ||
            simple(db, "COMMIT") != SQLITE_OK) {
            snprintf(err, errlen, "migration %s failed: %s", m->path, db->errmsg);
            simple(db, "ROLLBACK");
            return RX_ERROR;
        }
        rx_info("msg=\"migrated\" version=%d file=%s", v, m->path);
    }
    return RX_OK;
}

static struct sq_db *sq_reader_of(struct sq_store *s);

static int sq_schema_version(struct rx_store *bs, int *have, int *known)
{
    struct sq_db *db = sq_reader_of((struct sq_store *)bs);
    if (!db) return RX_ERROR;
    *have = user_version(db);
    *known = known_version();
    return RX_OK;
}

static int sq_without_trigger(struct rx_db *bdb, const char *trigger, rx_write_fn fn, void *ctx)
{
    struct sq_db *db = (struct sq_db *)bdb;
    sqlite3_stmt *st = NULL;
    char *def = NULL, *drop = NULL;
    int rc = sqlite3_prepare_v2(db->h, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
                                -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, trigger, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) def = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(st, 0));
        rc = rc == SQLITE_ROW ? (def ? SQLITE_OK : SQLITE_NOMEM) : rc == SQLITE_DONE ? -1 : rc;
    }
    sqlite3_finalize(st);
    if (rc == -1) return RX_NOTFOUND;
    if (rc != SQLITE_OK) return map_rc(rc);
    drop = sqlite3_mprintf("DROP TRIGGER \"%w\"", trigger);
    rc = drop ? simple(db, drop) : SQLITE_NOMEM;
    int frc = rc == SQLITE_OK ? fn(bdb, ctx) : map_rc(rc);
    if (rc == SQLITE_OK) rc = simple(db, def);
    sqlite3_free(drop);
    sqlite3_free(def);
    return frc ? frc : map_rc(rc);
}

/* --- writer thread --- */

static int batch_bucket(int n)
{
    int b = 0;
    while (b < 7 && n > (1 << b)) b++;
    return b;
}

static int wal_hook(void *arg, sqlite3 *h, const char *dbname, int pages)
{
    ((struct sq_store *)arg)->wal_pages = pages;
    return SQLITE_OK;
}

static void checkpoint(struct sq_store *s, struct sq_db *db)
{
    int log = 0, done = 0;
    /* PASSIVE with no readers in the way copies everything; cheap to ask. */
    if (sqlite3_wal_checkpoint_v2(db->h, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done) != SQLITE_OK)
        return;
    if (log - done > WAL_HARD_PAGES)
        sqlite3_wal_checkpoint_v2(db->h, NULL, SQLITE_CHECKPOINT_RESTART, &log, &done);
    pthread_mutex_lock(&s->mu);
    s->stats.checkpoints++;
    pthread_mutex_unlock(&s->mu);
}

/* After a commit: a WAL past the soft limit asks the checkpointer (or, without one, the
 * writer checkpoints itself). */
static void checkpoint_if_needed(struct sq_store *s, struct sq_db *db)
{
    if (s->wal_pages <= WAL_SOFT_PAGES) return;
    /* Backpressure: a writer that commits faster than the checkpointer copies pages (a bulk
     * load, a long burst) would grow the WAL without end, since SQLite starts the WAL over
     * only when a write transaction begins with every frame already copied. Past the hard
     * limit the writer copies them itself, between batches, where it holds no transaction;
     * its next BEGIN then starts the WAL over. (`rexin demo --scale city` grew a 22 GiB WAL
     * without this.) */
    if (!s->ckpt_started || s->wal_pages > WAL_HARD_PAGES) {
        checkpoint(s, db);
        return;
    }
    pthread_mutex_lock(&s->mu);
    s->ckpt_wanted = 1;
    pthread_cond_signal(&s->ckpt_cv);
    pthread_mutex_unlock(&s->mu);
}

static void *ckpt_main(void *arg)
{
    struct sq_store *s = arg;
    pthread_setname_np(pthread_self(), "rexin-ckpt");
    pthread_mutex_lock(&s->mu);
    for (;;) {
        while (!s->ckpt_wanted && !s->stopping) pthread_cond_wait(&s->ckpt_cv, &s->mu);
        if (s->stopping) break;
        s->ckpt_wanted = 0;
        pthread_mutex_unlock(&s->mu);
        checkpoint(s, s->ckpt);
        pthread_mutex_lock(&s->mu);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

/* The savepoint around each job, prepared once (sqlite3_exec parses the text every time,
 * twice per job). which: 0 SAVEPOINT, 1 ROLLBACK TO, 2 RELEASE. */
static int job_savepoint(struct sq_db *db, int which)
{
    static const char *const sql[3] = {"SAVEPOINT job", "ROLLBACK TO job", "RELEASE job"};
    if (!db->job_sp[which] &&
        sqlite3_prepare_v2(db->h, sql[which], -1, &db->job_sp[which], NULL) != SQLITE_OK)
        return simple(db, sql[which]);
    int rc = sqlite3_step(db->job_sp[which]);
    sqlite3_reset(db->job_sp[which]);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void run_batch(struct sq_store *s, struct job *jobs, int n)
{
    struct sq_db *db = s->writer;
    /* A ROLLBACK that found no memory (or disk) left the last failed batch's transaction
     * open; its jobs were all told they failed. End it, or BEGIN would fail here too. */
    if (!sqlite3_get_autocommit(db->h)) simple(db, "ROLLBACK");
    int rc = simple(db, "BEGIN IMMEDIATE");
    int failed = rc != SQLITE_OK ? map_rc(rc) : RX_OK;
    /* A job alone in its batch needs no savepoint: the transaction is its own, and rolling it
     * back undoes exactly the job. That matters for big jobs (an import, `rexin demo`):
     * inside a savepoint every statement's journal of the pages it changes is kept until the
     * savepoint ends, so a job of 100,000 statements wrote gigabytes of sub-journal. */
    int alone = jobs && !jobs->next, rolled_back = 0;
    for (struct job *j = jobs; j && !failed; j = j->next) {
        if (sqlite3_get_autocommit(db->h) && simple(db, "BEGIN IMMEDIATE") != SQLITE_OK) {
            failed = RX_IOERR;
            break;
        }
        if (!alone && (rc = job_savepoint(db, 0)) != SQLITE_OK) {
            /* without its savepoint the job could not be undone alone: not run */
            j->rc = map_rc(rc) ? map_rc(rc) : RX_ERROR;
            continue;
        }
        db->in_job = 1;
        j->rc = j->fn(&db->base, j->ctx);
        db->in_job = 0;
        if (sqlite3_get_autocommit(db->h)) {
            /* SQLite rolled back the whole transaction (I/O error, disk full): every job of
             * this batch so far is gone. Mark them and stop. */
            for (struct job *k = jobs; k != j->next; k = k->next) k->rc = RX_IOERR;
            failed = RX_IOERR;
            break;
        }
        if (alone) {
            if (j->rc != RX_OK) rolled_back = simple(db, "ROLLBACK") == SQLITE_OK;
            if (j->rc != RX_OK && !rolled_back) failed = RX_IOERR;
            continue;
        }
        if (j->rc != RX_OK && (rc = job_savepoint(db, 1)) != SQLITE_OK) {
            /* the failed job's writes could not be undone: none of the batch may commit */
            failed = map_rc(rc) ? map_rc(rc) : RX_IOERR;
            break;
        }
        job_savepoint(db, 2);
    }
    if (!failed && !rolled_back) {
        rc = simple(db, "COMMIT");
        if (rc != SQLITE_OK) {
            rx_error("msg=\"commit failed\" err=\"%s\"", db->errmsg);
            failed = map_rc(rc) ? map_rc(rc) : RX_IOERR;
            simple(db, "ROLLBACK");
        }
    } else if (!sqlite3_get_autocommit(db->h)) {
        simple(db, "ROLLBACK");
    }
    for (struct job *j = jobs; j; j = j->next) {
        if (failed) j->rc = failed;
    }
    pthread_mutex_lock(&s->mu);
    s->stats.commits++;
    s->stats.jobs += (uint64_t)n;
    s->stats.batch_hist[batch_bucket(n)]++;
    pthread_mutex_unlock(&s->mu);
    struct job *j = jobs;
    while (j) {
        struct job *next = j->next;
        if (j->done) j->done(j->ctx, j->rc);
        rx_free(j);
        j = next;
    }
    checkpoint_if_needed(s, db);
}

static void *writer_main(void *arg)
{
    struct sq_store *s = arg;
    pthread_setname_np(pthread_self(), "rexin-writer"); /* for top -H, perf, bench/ */
    for (;;) {
        pthread_mutex_lock(&s->mu);
        while (!s->head && !s->stopping) pthread_cond_wait(&s->cv, &s->mu);
        if (!s->head && s->stopping) {
            pthread_mutex_unlock(&s->mu);
            break;
        }
        struct job *batch = s->head, *last = s->head;
        int n = 1;
        while (last->next && n < MAX_BATCH) {
            last = last->next;
            n++;
        }
        s->head = last->next;
        if (!s->head) s->tail = NULL;
        last->next = NULL;
        pthread_mutex_unlock(&s->mu);
        run_batch(s, batch, n);
    }
    return NULL;
}

static int sq_submit(struct rx_store *bs, rx_write_fn fn, rx_write_done_fn done, void *ctx)
{
    struct sq_store *s = (struct sq_store *)bs;
    if (s->readonly) return RX_ERROR;
    struct job *j = rx_calloc(1, sizeof *j);
    if (!j) return RX_NOMEM;
    j->fn = fn;
    j->done = done;
    j->ctx = ctx;
    pthread_mutex_lock(&s->mu);
    if (s->stopping) {
        pthread_mutex_unlock(&s->mu);
        rx_free(j);
        return RX_ERROR;
    }
    if (s->tail) s->tail->next = j;
    else s->head = j;
    s->tail = j;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    return RX_OK;
}

/* --- open, readers, close --- */

static _Thread_local struct sq_db *tl_reader;
static _Thread_local unsigned tl_generation;

static struct sq_db *sq_reader_of(struct sq_store *s)
{
    if (tl_reader && tl_generation == s->generation) return tl_reader;
    char err[512];
    struct sq_db *db = db_open(s, 1, err, sizeof err);
    if (!db) {
        rx_error("msg=\"cannot open read connection\" err=\"%s\"", err);
        return NULL;
    }
    pthread_mutex_lock(&s->mu);
    db->next_reader = s->readers;
    s->readers = db;
    pthread_mutex_unlock(&s->mu);
    tl_reader = db;
    tl_generation = s->generation;
    return db;
}

static struct rx_db *sq_reader(struct rx_store *bs)
{
    struct sq_db *db = sq_reader_of((struct sq_store *)bs);
    return db ? &db->base : NULL;
}

static void sq_close(struct rx_store *bs);

static int sq_open(struct rx_store **out, const char *path, const struct rx_store_opts *o,
                   char *err, size_t errlen)
{
    pthread_once(&sqlite_once, sqlite_setup);
    struct sq_store *s = rx_calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return RX_NOMEM;
    }
    s->base.be = &rx_backend_sqlite;
    snprintf(s->path, sizeof s->path, "%s", path);
    s->readonly = o->readonly;
    s->bulk_cache_mib = o->bulk_cache_mib > 0 && o->bulk_cache_mib <= 65536 ? o->bulk_cache_mib : 0;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    pthread_cond_init(&s->ckpt_cv, NULL);
    pthread_mutex_lock(&gen_mu);
    s->generation = next_generation++;
    pthread_mutex_unlock(&gen_mu);
    if (!s->readonly) {
        s->writer = db_open(s, 0, err, errlen);
        if (!s->writer) goto fail;
        if (migrate(s->writer, o->migrate, err, errlen) != RX_OK) goto fail;
        sqlite3_wal_hook(s->writer->h, wal_hook, s);
        /* the checkpointer: if it cannot start, the writer checkpoints as before */
        char ignored[256];
        s->ckpt = db_open(s, 0, ignored, sizeof ignored);
        if (s->ckpt && pthread_create(&s->ckpt_thread, NULL, ckpt_main, s) == 0)
            s->ckpt_started = 1;
        if (pthread_create(&s->writer_thread, NULL, writer_main, s) != 0) {
            snprintf(err, errlen, "cannot start the writer thread");
            goto fail;
        }
        s->writer_started = 1;
    } else {
        struct sq_db *r = sq_reader_of(s);
        if (!r) {
            snprintf(err, errlen, "cannot open %s for reading", s->path);
            goto fail;
        }
        if (migrate(r, 0, err, errlen) != RX_OK) goto fail;
    }
    *out = &s->base;
    return RX_OK;
fail:
    sq_close(&s->base);
    return RX_ERROR;
}

static void sq_close(struct rx_store *bs)
{
    struct sq_store *s = (struct sq_store *)bs;
    if (!s) return;
    pthread_mutex_lock(&s->mu);
    s->stopping = 1;
    pthread_cond_broadcast(&s->cv);
    pthread_cond_broadcast(&s->ckpt_cv);
    pthread_mutex_unlock(&s->mu);
    if (s->writer_started) pthread_join(s->writer_thread, NULL);
    if (s->ckpt_started) pthread_join(s->ckpt_thread, NULL);
    db_close(s->ckpt);
    struct sq_db *r = s->readers;
    while (r) {
        struct sq_db *next = r->next_reader;
        db_close(r);
        r = next;
    }
    if (s->writer) {
        /* A clean close checkpoints and removes the WAL. */
        sqlite3_wal_checkpoint_v2(s->writer->h, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
        db_close(s->writer);
    }
    if (tl_generation == s->generation) tl_reader = NULL;
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    pthread_cond_destroy(&s->ckpt_cv);
    rx_free(s);
}

static void sq_stats(struct rx_store *bs, struct rx_store_stats *out)
{
    struct sq_store *s = (struct sq_store *)bs;
    pthread_mutex_lock(&s->mu);
    *out = s->stats;
    pthread_mutex_unlock(&s->mu);
}

static int sq_backup(struct rx_store *bs, const char *path, char *err, size_t errlen)
{
    struct sq_db *src = sq_reader_of((struct sq_store *)bs);
    if (!src) {
        snprintf(err, errlen, "cannot open the database");
        return RX_ERROR;
    }
    FILE *f = fopen(path, "r");
    if (f) {
        fclose(f);
        snprintf(err, errlen, "%s exists; refusing to overwrite it", path);
        return RX_ERROR;
    }
    sqlite3 *dst = NULL;
    int rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc == SQLITE_OK) {
        /* One step over all pages inside a read transaction: a consistent snapshot even
         * while the writer commits (WAL readers see a fixed point in time). */
        sqlite3_backup *b = sqlite3_backup_init(dst, "main", src->h, "main");
        if (b) {
            rc = sqlite3_backup_step(b, -1);
            sqlite3_backup_finish(b);
            rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
        } else {
            rc = sqlite3_errcode(dst);
        }
    }
    if (rc == SQLITE_OK) rc = sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
    if (rc != SQLITE_OK) snprintf(err, errlen, "backup failed: %s", sqlite3_errmsg(dst));
    sqlite3_close(dst);
    if (rc != SQLITE_OK) remove(path);
    return rc == SQLITE_OK ? RX_OK : RX_ERROR;
}

const struct rx_backend rx_backend_sqlite = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .schema_version = sq_schema_version,
    .reader = sq_reader,
    .replica = NULL,
    .submit = sq_submit,
    .backup = sq_backup,
    .stats = sq_stats,
    .exec = sq_exec,
    .json_rows = sq_json_rows,
    .json_row = sq_json_row,
    .json_fields = sq_json_fields,
    .query = sq_query,
    .cursor_next = sq_cursor_next,
    .cursor_int = sq_cursor_int,
    .cursor_double = sq_cursor_double,
    .cursor_text = sq_cursor_text,
    .cursor_isnull = sq_cursor_isnull,
    .cursor_close = sq_cursor_close,
    .errmsg = sq_errmsg,
    .attempt = NULL,
    .without_trigger = sq_without_trigger,
    .data_version = sq_data_version,
};

/* Restore support (rexin restore): a backup must open as SQLite, pass integrity_check and
 * carry a schema this binary knows (older ones are migrated at the next start). */
int rx_store_check_sqlite_file(const char *path, char *err, size_t errlen)
{
    sqlite3 *h = NULL;
    int rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL);
    sqlite3_stmt *st = NULL;
    int ok = 0, version = -1;
    if (rc == SQLITE_OK && sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        ok = strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
    sqlite3_finalize(st);
    st = NULL;
    if (ok && sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    if (!ok) {
        snprintf(err, errlen, "%s is not a sound SQLite database (integrity_check failed)", path);
        return RX_ERROR;
    }
    if (version < 1 || version > known_version()) {
        snprintf(err, errlen, "%s has schema version %d; this rexin knows 1 to %d", path, version,
                 known_version());
        return RX_ERROR;
    }
    return RX_OK;
}
