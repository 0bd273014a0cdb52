/* pg.c: the PostgreSQL backend of store.h (libpq), for deployments with several app
 * servers on one database.
 *
 * Statements: at open, after migrating, every statement of queries_*.def is translated
 * mechanically (pgsql.h), or taken from queries_pg.def when it has an override there, and
 * prepared once on the first connection to check it and to learn its parameter types
 * (PostgreSQL cannot always infer them: `?1 IS NULL OR x = ?1`; such parameters are tried
 * as text, then bigint, then double). Every connection then prepares a statement on first
 * use under its query id's name with those types. Parameters travel as text; results come
 * back as text and are mapped by column type (int2/4/8 -> integer, float -> double,
 * integral numeric -> integer, bool -> 1/0 or true/false for __bool aliases, NULL -> null,
 * anything else -> string), so the JSON answers equal SQLite's.
 *
 * Writes: a pool of writer threads (4 by default), each with its own connection, takes jobs
 * from one queue and runs each in its own SERIALIZABLE transaction. PostgreSQL's SSI makes
 * every check-then-write of a job atomic against all other jobs, on this server and on
 * others, as the single SQLite writer does; a job that loses (40001, 40P01) is rolled back
 * and run again, up to MAX_ATTEMPTS times with a short random pause. When a statement fails
 * inside a job and the job goes on to run another one (SQLite keeps the transaction usable
 * after a failed statement, PostgreSQL aborts it), the job is run again with a savepoint
 * around each statement, which gives SQLite's statement-level rollback. Durability is
 * PostgreSQL's: COMMIT returns after the WAL flush (synchronous_commit=on), and concurrent
 * commits share flushes.
 *
 * Reads: one connection per thread (and one to the read replica when configured), opened
 * on first use, autocommit, default_transaction_read_only so a READ step cannot write.
 *
 * Lost connections: a statement that fails because the connection broke is run again once
 * after PQreset when no transaction was open (readers); inside a write job the job fails
 * (503 to the request in flight) and the writer reconnects before its next job. */
#include "store/store.h"
#include "store/backend.h"
#include "store/pgsql.h"
#include "lib/alloc.h"
#include "lib/embed.h"
#include "lib/log.h"
#include <errno.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_PARAMS 100
#define MAX_ATTEMPTS 40 /* a job that loses this often under contention still gets through */
#define DEFAULT_WRITERS 4
#define MAX_WRITERS 64
#define MIGRATION_LOCK 0x72786d67 /* "rxmg": advisory lock held while migrating */
#define REPLICA_RETRY_SECONDS 10

/* Type OIDs (pg_type.h is not part of libpq's public headers). */
#define OID_BOOL 16
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_TEXT 25
#define OID_OID 26
#define OID_FLOAT4 700
#define OID_FLOAT8 701
#define OID_NUMERIC 1700

static const struct {
    enum rx_query q;
    const char *sql;
} overrides[] = {
#define RX_QPG(id, sql) {id, sql},
#include "store/queries_pg.def"
#undef RX_QPG
    {RX_Q__COUNT, NULL}};

/* One statement's PostgreSQL text, shared read-only by all connections after open. */
struct pg_text {
    char *sql;   /* translated text (rx_malloc), NULL when translation failed */
    int nparams; /* $1 .. $nparams */
    Oid *types;  /* parameter types learnt at open (rx_malloc), NULL when none */
    int bad;     /* does not prepare on this database: running it is an error */
};

/* Result of a cursor, one slot per statement and connection (like SQLite's cached stmt). */
struct pg_slot {
    PGresult *res; /* rows, until the cursor closes or the statement runs again */
    int row;       /* current row, -1 before the first */
};

struct pg_db {
    struct rx_db base;                   /* must stay first (backend.h) */
    PGconn *conn;                        /* the connection */
    struct pg_store *store;              /* owner */
    int reader;                          /* read-only session (reader or replica) */
    int replica;                         /* connected to the read replica */
    unsigned char prepared[RX_Q__COUNT]; /* 1 once PQprepare succeeded on this connection */
    struct pg_slot slots[RX_Q__COUNT];   /* cursor results */
    int in_txn;                          /* inside a write job's transaction */
    int failed;                          /* a statement failed in the current transaction */
    int retry;                           /* the current attempt must be rolled back and rerun */
    int savepoints;                      /* wrap each statement in a savepoint (rerun mode) */
    int want_savepoints;                 /* next attempt with savepoints */
    int attempt;                         /* 0 on a job's first run */
    int64_t last_id;                     /* id of the last row inserted (RETURNING id) */
    char *scratch;                       /* parameter text, grown as needed */
    size_t scratch_cap;
    char errmsg[256];   /* last error, SQLite-style for constraints */
    struct pg_db *next; /* every connection of the store, for closing */
};

struct job {
    rx_write_fn fn;
    rx_write_done_fn done;
    void *ctx;
    struct job *next;
};

struct pg_store {
    struct rx_store base;             /* must stay first (backend.h) */
    char *conninfo;                   /* primary URL */
    char *replica_info;               /* read replica URL, NULL when none */
    int readonly;                     /* no writers */
    struct pg_text text[RX_Q__COUNT]; /* statements */
    char **id_tables;                 /* tables with an id column (for RETURNING id) */
    int n_id_tables;
    struct pg_db *main; /* first connection: migrations, checks; writer 0 */
    int nwriters;       /* writer threads started */
    pthread_t threads[MAX_WRITERS];
    struct pg_db *writers[MAX_WRITERS];
    pthread_mutex_t mu;      /* guards everything below */
    pthread_cond_t cv;       /* jobs arrived, or stopping */
    struct job *head, *tail; /* queued jobs */
    int stopping;
    struct pg_db *conns;         /* every reader and replica connection */
    unsigned generation;         /* distinguishes stores for thread-local readers */
    struct rx_store_stats stats; /* under mu */
    time_t replica_retry_at;     /* replica unreachable: do not try before this */
};

static unsigned next_generation = 1; /* guarded by gen_mu */
static pthread_mutex_t gen_mu = PTHREAD_MUTEX_INITIALIZER;

/* --- errors --- */

static int state_is(const char *state, const char *code)
{
    return state && strcmp(state, code) == 0;
}

static int map_state(const char *state)
{
    if (!state || !*state) return RX_IOERR; /* no SQLSTATE: the connection broke */
    if (strncmp(state, "23", 2) == 0 || state_is(state, "P0001")) return RX_CONSTRAINT;
    if (state_is(state, "40001") || state_is(state, "40P01") || state_is(state, "55P03") ||
        state_is(state, "57014"))
        return RX_BUSY;
    if (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0 ||
        strncmp(state, "53", 2) == 0 || strncmp(state, "58", 2) == 0)
        return RX_IOERR;
    return RX_ERROR;
}

static int retryable(const char *state)
{
    return state_is(state, "40001") || state_is(state, "40P01");
}

/* "Key (a, b)=(..) already exists." -> "t.a, t.b"; 0 when a key part is an expression. */
static int unique_columns(const char *detail, const char *table, char *out, size_t outlen)
{
    if (!detail || !table || strncmp(detail, "Key (", 5) != 0) return 0;
    const char *p = detail + 5, *end = strstr(p, ")=(");
    if (!end) return 0;
    size_t k = 0;
    out[0] = 0;
    while (p < end) {
        const char *c = p;
        while (c < end && *c != ',')
            c++;
        for (const char *q = p; q < c; q++)
            if (*q == '(' || *q == ' ') return 0;
        int w = snprintf(out + k, outlen - k, "%s%s.%.*s", k ? ", " : "", table, (int)(c - p), p);
        if (w < 0 || (size_t)w >= outlen - k) return 0;
        k += (size_t)w;
        p = c;
        if (p < end) p += 2; /* ", " */
    }
    return 1;
}

/* Keeps the error of res (or of the connection) in SQLite's words where handlers look at
 * them: "UNIQUE constraint failed: t.c", "NOT NULL constraint failed: t.c", "CHECK
 * constraint failed: name", "FOREIGN KEY constraint failed", and a trigger's RAISE text
 * unchanged. Returns the RX_ status. */
static int keep_err(struct pg_db *db, const PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *table = res ? PQresultErrorField(res, PG_DIAG_TABLE_NAME) : NULL;
    const char *column = res ? PQresultErrorField(res, PG_DIAG_COLUMN_NAME) : NULL;
    const char *constraint = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : NULL;
    char cols[200];
    if (!msg) msg = PQerrorMessage(db->conn);
    if (state_is(state, "23505")) {
        if (unique_columns(res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL, table,
                           cols, sizeof cols))
            snprintf(db->errmsg, sizeof db->errmsg, "UNIQUE constraint failed: %s", cols);
        else
            snprintf(db->errmsg, sizeof db->errmsg, "UNIQUE constraint failed: index '%s'",
                     constraint ? constraint : "?");
    } else if (state_is(state, "23502")) {
        snprintf(db->errmsg, sizeof db->errmsg, "NOT NULL constraint failed: %s.%s",
                 table ? table : "?", column ? column : "?");
    } else if (state_is(state, "23514")) {
        snprintf(db->errmsg, sizeof db->errmsg, "CHECK constraint failed: %s",
                 constraint ? constraint : "?");
    } else if (state_is(state, "23503")) {
        snprintf(db->errmsg, sizeof db->errmsg, "FOREIGN KEY constraint failed");
    } else {
        snprintf(db->errmsg, sizeof db->errmsg, "%s", msg ? msg : "unknown error");
        size_t n = strlen(db->errmsg);
        while (n && (db->errmsg[n - 1] == '\n' || db->errmsg[n - 1] == ' '))
            db->errmsg[--n] = 0;
    }
    int rc = map_state(state);
    if (rc == RX_IOERR || rc == RX_ERROR)
        rx_warn("msg=\"postgresql error\" state=%s err=\"%s\"", state ? state : "-", db->errmsg);
    return rc;
}

static const char *pg_errmsg(struct rx_db *bdb)
{
    return ((struct pg_db *)bdb)->errmsg;
}

static int pg_attempt(struct rx_db *bdb)
{
    return ((struct pg_db *)bdb)->attempt;
}

/* --- connections --- */

static void quiet_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* "relation already exists, skipping" and friends */
}

/* Runs a command without results; 0 or the RX_ status (error kept). */
static int simple(struct pg_db *db, const char *sql)
{
    PGresult *res = PQexec(db->conn, sql);
    int st = PQresultStatus(res);
    int rc = RX_OK;
    /* EMPTY_QUERY: a migration that is only comments (a reserved number). */
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
        rc = keep_err(db, res);
    PQclear(res);
    return rc;
}

/* Per-session settings, after every (re)connect. The search path puts pg_catalog last so
 * the compatibility functions of migrations_pg/0001 (sum over bigint returning bigint, as
 * SQLite's does) take precedence over the built-in ones of the same signature. */
static int session_setup(struct pg_db *db)
{
    memset(db->prepared, 0, sizeof db->prepared);
    PQsetNoticeProcessor(db->conn, quiet_notices, NULL);
    return simple(db, db->reader ? "SET search_path TO public, pg_catalog;"
                                   " SET default_transaction_read_only = on;"
                                   " SET client_encoding TO 'UTF8'; SET TIME ZONE 'UTC'"
                                 : "SET search_path TO public, pg_catalog;"
                                   " SET client_encoding TO 'UTF8'; SET TIME ZONE 'UTC'");
}

static struct pg_db *db_open(struct pg_store *s, const char *conninfo, int reader, char *err,
                             size_t errlen)
{
    struct pg_db *db = rx_calloc(1, sizeof *db);
    if (!db) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    db->base.be = &rx_backend_pg;
    db->store = s;
    db->reader = reader;
    const char *keys[] = {"dbname", "fallback_application_name", NULL};
    const char *vals[] = {conninfo, "rexin", NULL};
    db->conn = PQconnectdbParams(keys, vals, 1);
    if (!db->conn || PQstatus(db->conn) != CONNECTION_OK) {
        char m[512];
        snprintf(m, sizeof m, "%s", db->conn ? PQerrorMessage(db->conn) : "out of memory");
        size_t n = strlen(m);
        while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
            m[--n] = 0;
        snprintf(err, errlen, "cannot connect to PostgreSQL: %s", m);
        PQfinish(db->conn);
        rx_free(db);
        return NULL;
    }
    if (session_setup(db) != RX_OK) {
        snprintf(err, errlen, "cannot set up the PostgreSQL session: %s", db->errmsg);
        PQfinish(db->conn);
        rx_free(db);
        return NULL;
    }
    return db;
}

static void db_close(struct pg_db *db)
{
    if (!db) return;
    for (int i = 0; i < RX_Q__COUNT; i++)
        PQclear(db->slots[i].res);
    PQfinish(db->conn);
    rx_free(db->scratch);
    rx_free(db);
}

/* Reconnects a broken connection; 1 when usable. */
static int ensure_conn(struct pg_db *db)
{
    if (PQstatus(db->conn) == CONNECTION_OK) return 1;
    PQreset(db->conn);
    if (PQstatus(db->conn) != CONNECTION_OK) {
        keep_err(db, NULL);
        return 0;
    }
    rx_info("msg=\"reconnected to postgresql\" replica=%d", db->replica);
    return session_setup(db) == RX_OK;
}

/* --- statements --- */

static int prepare(struct pg_db *db, enum rx_query q)
{
    if (db->prepared[q]) return RX_OK;
    const struct pg_text *t = &db->store->text[q];
    PGresult *res = PQprepare(db->conn, rx_query_names[q], t->sql, t->nparams, t->types);
    int rc = RX_OK;
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = keep_err(db, res);
    else
        db->prepared[q] = 1;
    PQclear(res);
    return rc;
}

/* Parameter values as text, in db->scratch. */
static int params(struct pg_db *db, const struct rx_val *a, int n, int np, const char **vals)
{
    size_t need = 0;
    for (int i = 0; i < np && i < n; i++) {
        if (a[i].t == RX_V_INT || a[i].t == RX_V_DOUBLE)
            need += 32;
        else if (a[i].t == RX_V_TEXT && a[i].n >= 0)
            need += (size_t)a[i].n + 1;
    }
    if (need > db->scratch_cap) {
        char *p = rx_realloc(db->scratch, need);
        if (!p) return RX_NOMEM;
        db->scratch = p;
        db->scratch_cap = need;
    }
    char *w = db->scratch;
    for (int i = 0; i < np; i++) {
        vals[i] = NULL;
        if (i >= n) continue;
        switch (a[i].t) {
        case RX_V_INT:
            snprintf(w, 32, "%lld", (long long)a[i].i);
            vals[i] = w;
            w += 32;
            break;
        case RX_V_DOUBLE:
            snprintf(w, 32, "%.17g", a[i].d);
            vals[i] = w;
            w += 32;
            break;
        case RX_V_TEXT:
            if (a[i].n < 0) {
                vals[i] = a[i].s;
            } else {
                memcpy(w, a[i].s, (size_t)a[i].n);
                w[a[i].n] = 0;
                vals[i] = w;
                w += a[i].n + 1;
            }
            break;
        default:
            break;
        }
    }
    return RX_OK;
}

static int in_savepoint_cmd(struct pg_db *db, const char *sql)
{
    PGresult *res = PQexec(db->conn, sql);
    int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
    return ok;
}

static struct pg_db *replica_down(struct pg_db *db);

/* Runs statement q; returns its result (caller PQclears) or NULL with *rc set. */
static PGresult *run(struct pg_db *db, enum rx_query q, const struct rx_val *a, int n, int *rc)
{
    const struct pg_text *t = &db->store->text[q];
    const char *vals[MAX_PARAMS];
    *rc = RX_OK;
    if (!t->sql || t->bad || t->nparams > MAX_PARAMS) {
        snprintf(db->errmsg, sizeof db->errmsg,
                 "%s does not run on PostgreSQL (see the log at "
                 "start-up; add it to queries_pg.def)",
                 rx_query_names[q]);
        rx_error("msg=\"statement unavailable on postgresql\" query=%s", rx_query_names[q]);
        *rc = RX_ERROR;
        return NULL;
    }
    if (db->in_txn && db->failed && !db->savepoints) {
        /* SQLite would go on after a failed statement; PostgreSQL has aborted the
         * transaction. Run the whole job again with statement savepoints. */
        db->retry = 1;
        db->want_savepoints = 1;
        *rc = RX_ERROR;
        return NULL;
    }
    if ((*rc = params(db, a, n, t->nparams, vals)) != RX_OK) return NULL;
    for (int pass = 0; pass < 2; pass++) {
        if (!db->in_txn && !ensure_conn(db)) {
            struct pg_db *primary = db->replica ? replica_down(db) : NULL;
            if (primary) return run(primary, q, a, n, rc); /* later, but still the answer */
            *rc = RX_IOERR;
            return NULL;
        }
        if ((*rc = prepare(db, q)) == RX_OK) {
            if (db->in_txn && db->savepoints && !in_savepoint_cmd(db, "SAVEPOINT rx_stmt")) {
                *rc = keep_err(db, NULL);
                return NULL;
            }
            PGresult *res =
                PQexecPrepared(db->conn, rx_query_names[q], t->nparams, vals, NULL, NULL, 0);
            int st = PQresultStatus(res);
            if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
                if (db->in_txn && db->savepoints) in_savepoint_cmd(db, "RELEASE SAVEPOINT rx_stmt");
                return res;
            }
            *rc = keep_err(db, res);
            const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
            int retry = retryable(state);
            PQclear(res);
            if (db->in_txn) {
                if (retry) db->retry = 1;
                if (db->savepoints && !retry)
                    in_savepoint_cmd(db,
                                     "ROLLBACK TO SAVEPOINT rx_stmt; RELEASE SAVEPOINT rx_stmt");
                else
                    db->failed = 1;
                return NULL;
            }
        } else if (db->in_txn) {
            db->failed = 1;
            return NULL;
        }
        /* Outside a transaction: try once more after reconnecting if the link broke. */
        if (PQstatus(db->conn) == CONNECTION_OK) return NULL;
    }
    return NULL;
}

static int ends_with(const char *s, const char *suffix, size_t *stem)
{
    size_t n = strlen(s), m = strlen(suffix);
    if (n <= m || memcmp(s + n - m, suffix, m) != 0) return 0;
    *stem = n - m;
    return 1;
}

static int64_t to_int(const PGresult *res, int row, int col)
{
    if (PQgetisnull(res, row, col)) return 0;
    const char *v = PQgetvalue(res, row, col);
    if (PQftype(res, col) == OID_BOOL) return v[0] == 't';
    return strtoll(v, NULL, 10);
}

/* An integral numeric ("120") becomes an integer, as SQLite's sum() of integers would be. */
static int integral(const char *v)
{
    if (*v == '-') v++;
    if (!*v || strlen(v) > 18) return 0;
    for (; *v; v++)
        if (*v < '0' || *v > '9') return 0;
    return 1;
}

static void row_fields(const PGresult *res, int row, struct rx_json *w)
{
    int cols = PQnfields(res);
    for (int i = 0; i < cols; i++) {
        const char *name = PQfname(res, i);
        const char *v = PQgetvalue(res, row, i);
        int null = PQgetisnull(res, row, i);
        Oid type = PQftype(res, i);
        size_t stem;
        if (ends_with(name, "__json", &stem)) {
            char key[64];
            snprintf(key, sizeof key, "%.*s", (int)stem, name);
            rx_json_key(w, key);
            if (null)
                rx_json_null(w);
            else
                rx_json_raw(w, v, (size_t)PQgetlength(res, row, i));
            continue;
        }
        if (ends_with(name, "__bool", &stem)) {
            char key[64];
            snprintf(key, sizeof key, "%.*s", (int)stem, name);
            rx_json_key(w, key);
            if (null)
                rx_json_null(w);
            else
                rx_json_bool(w, to_int(res, row, i) != 0);
            continue;
        }
        rx_json_key(w, name);
        if (null) {
            rx_json_null(w);
            continue;
        }
        switch (type) {
        case OID_INT2:
        case OID_INT4:
        case OID_INT8:
        case OID_OID:
            rx_json_int(w, strtoll(v, NULL, 10));
            break;
        case OID_BOOL:
            rx_json_int(w, v[0] == 't');
            break; /* SQLite's booleans are 1/0 */
        case OID_FLOAT4:
        case OID_FLOAT8:
            rx_json_double(w, strtod(v, NULL));
            break;
        case OID_NUMERIC:
            if (integral(v))
                rx_json_int(w, strtoll(v, NULL, 10));
            else
                rx_json_double(w, strtod(v, NULL));
            break;
        default:
            rx_json_strn(w, v, (size_t)PQgetlength(res, row, i));
        }
    }
}

static int pg_exec(struct rx_db *bdb, enum rx_query q, const struct rx_val *a, int n,
                   int64_t *changes, int64_t *last_id)
{
    struct pg_db *db = (struct pg_db *)bdb;
    int rc;
    PGresult *res = run(db, q, a, n, &rc);
    if (!res) return rc;
    if (changes) {
        const char *c = PQcmdTuples(res);
        *changes = *c ? strtoll(c, NULL, 10) : 0;
    }
    if (strncmp(PQcmdStatus(res), "INSERT", 6) == 0 && PQntuples(res) > 0 && PQnfields(res) > 0)
        db->last_id = to_int(res, PQntuples(res) - 1, 0);
    if (last_id) *last_id = db->last_id;
    PQclear(res);
    return RX_OK;
}

static int pg_json_rows(struct rx_db *bdb, enum rx_query q, const struct rx_val *a, int n,
                        struct rx_json *w, struct rx_page *pg)
{
    struct pg_db *db = (struct pg_db *)bdb;
    int rc;
    PGresult *res = run(db, q, a, n, &rc);
    if (pg) {
        pg->count = 0;
        pg->last_id = 0;
    }
    if (!res) return rc;
    int rows = PQntuples(res);
    for (int r = 0; r < rows; r++) {
        rx_json_obj(w);
        row_fields(res, r, w);
        rx_json_end(w);
    }
    if (pg) {
        pg->count = rows;
        pg->last_id = rows && PQnfields(res) ? to_int(res, rows - 1, 0) : 0;
    }
    PQclear(res);
    return RX_OK;
}

static int pg_json_row(struct rx_db *bdb, enum rx_query q, const struct rx_val *a, int n,
                       struct rx_json *w)
{
    struct pg_db *db = (struct pg_db *)bdb;
    int rc;
    PGresult *res = run(db, q, a, n, &rc);
    if (!res) return rc;
    rc = PQntuples(res) > 0 ? RX_OK : RX_NOTFOUND;
    if (rc == RX_OK) {
        rx_json_obj(w);
        row_fields(res, 0, w);
        rx_json_end(w);
    }
    PQclear(res);
    return rc;
}

static int pg_json_fields(struct rx_db *bdb, enum rx_query q, const struct rx_val *a, int n,
                          struct rx_json *w)
{
    struct pg_db *db = (struct pg_db *)bdb;
    int rc;
    PGresult *res = run(db, q, a, n, &rc);
    if (!res) return rc;
    rc = PQntuples(res) > 0 ? RX_OK : RX_NOTFOUND;
    if (rc == RX_OK) row_fields(res, 0, w);
    PQclear(res);
    return rc;
}

static int pg_query(struct rx_db *bdb, enum rx_query q, const struct rx_val *a, int n,
                    struct rx_cursor *c)
{
    struct pg_db *db = (struct pg_db *)bdb;
    struct pg_slot *slot = &db->slots[q];
    c->db = bdb;
    c->stmt = NULL;
    PQclear(slot->res); /* a cursor on this statement left open: like sqlite3_reset */
    slot->res = NULL;
    int rc;
    PGresult *res = run(db, q, a, n, &rc);
    if (!res) return c->rc = rc;
    slot->res = res;
    slot->row = -1;
    c->stmt = slot;
    return c->rc = RX_OK;
}

static int pg_cursor_next(struct rx_cursor *c)
{
    struct pg_slot *slot = c->stmt;
    if (!slot || c->rc) return -(c->rc ? c->rc : RX_ERROR);
    if (!slot->res) return -RX_ERROR;
    if (slot->row + 1 >= PQntuples(slot->res)) return 0;
    slot->row++;
    return 1;
}

static int64_t pg_cursor_int(struct rx_cursor *c, int col)
{
    struct pg_slot *slot = c->stmt;
    if (!slot || !slot->res || slot->row < 0 || col >= PQnfields(slot->res)) return 0;
    return to_int(slot->res, slot->row, col);
}

static double pg_cursor_double(struct rx_cursor *c, int col)
{
    struct pg_slot *slot = c->stmt;
    if (!slot || !slot->res || slot->row < 0 || col >= PQnfields(slot->res)) return 0;
    if (PQgetisnull(slot->res, slot->row, col)) return 0;
    return strtod(PQgetvalue(slot->res, slot->row, col), NULL);
}

static const char *pg_cursor_text(struct rx_cursor *c, int col)
{
    struct pg_slot *slot = c->stmt;
    if (!slot || !slot->res || slot->row < 0 || col >= PQnfields(slot->res)) return NULL;
    if (PQgetisnull(slot->res, slot->row, col)) return NULL;
    const char *v = PQgetvalue(slot->res, slot->row, col);
    if (PQftype(slot->res, col) == OID_BOOL) return v[0] == 't' ? "1" : "0";
    return v;
}

static int pg_cursor_isnull(struct rx_cursor *c, int col)
{
    struct pg_slot *slot = c->stmt;
    if (!slot || !slot->res || slot->row < 0 || col >= PQnfields(slot->res)) return 1;
    return PQgetisnull(slot->res, slot->row, col);
}

static void pg_cursor_close(struct rx_cursor *c)
{
    struct pg_slot *slot = c->stmt;
    if (slot) {
        PQclear(slot->res);
        slot->res = NULL;
    }
    c->stmt = NULL;
}

/* --- migrations --- */

static const struct rx_embed *find_migration(const struct rx_embed *list, unsigned count, int v)
{
    for (unsigned i = 0; i < count; i++)
        if (rx_migration_number(list[i].path) == v) return &list[i];
    return NULL;
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

/* Schema version in the database; 0 when schema_version does not exist yet, -1 on error. */
static int db_version(struct pg_db *db)
{
    PGresult *res = PQexec(db->conn, "SELECT version FROM schema_version");
    int v = -1;
    if (PQresultStatus(res) == PGRES_TUPLES_OK) {
        v = PQntuples(res) ? (int)strtol(PQgetvalue(res, 0, 0), NULL, 10) : 0;
    } else {
        const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        if (state_is(state, "42P01"))
            v = 0;
        else
            keep_err(db, res);
    }
    PQclear(res);
    return v;
}

static int migrate(struct pg_db *db, int apply, char *err, size_t errlen)
{
    int have = db_version(db), known = known_version();
    if (have < 0) {
        snprintf(err, errlen, "cannot read schema version: %s", db->errmsg);
        return RX_ERROR;
    }
    if (have > known) {
        snprintf(err, errlen,
                 "the database has schema version %d but this rexin knows only up to %d; "
                 "run a newer rexin",
                 have, known);
        return RX_ERROR;
    }
    if (have < known && !apply) {
        snprintf(err, errlen, "the database needs migrating from %d to %d: run `rexin migrate`",
                 have, known);
        return RX_ERROR;
    }
    for (int v = have + 1; v <= known; v++) {
        /* Several servers may start at once: the advisory lock lets one migrate, and the
         * others find the version already raised when they get the lock. */
        char lock[160];
        snprintf(lock, sizeof lock,
                 "BEGIN; SELECT pg_advisory_xact_lock(%d);"
                 " CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL);",
                 MIGRATION_LOCK);
        if (simple(db, lock) != RX_OK) {
            snprintf(err, errlen, "cannot start migration %d: %s", v, db->errmsg);
            simple(db, "ROLLBACK");
            return RX_ERROR;
        }
        int now = db_version(db);
        if (now >= v) {
            simple(db, "COMMIT");
            continue;
        }
        const struct rx_embed *m =
            find_migration(rx_embed_migrations_pg, rx_embed_migrations_pg_count, v);
        const struct rx_embed *portable =
            find_migration(rx_embed_migrations, rx_embed_migrations_count, v);
        char *text = NULL;
        const char *name;
        if (m) {
            name = m->path;
        } else if (portable) {
            text = rx_pgsql_migration((const char *)portable->data);
            name = portable->path;
            if (!text) {
                snprintf(err, errlen, "out of memory translating migration %s", name);
                simple(db, "ROLLBACK");
                return RX_ERROR;
            }
        } else {
            snprintf(err, errlen, "migration %d is missing from this build", v);
            simple(db, "ROLLBACK");
            return RX_ERROR;
        }
        char setv[96];
        snprintf(setv, sizeof setv,
                 "DELETE FROM schema_version; INSERT INTO schema_version(version) VALUES (%d)", v);
        int rc = simple(db, m ? (const char *)m->data : text);
        if (rc == RX_OK) rc = simple(db, setv);
        if (rc == RX_OK) rc = simple(db, "COMMIT");
        rx_free(text);
        if (rc != RX_OK) {
            snprintf(err, errlen, "migration %s%s failed on PostgreSQL: %s%s",
                     m ? "migrations_pg/" : "", name, db->errmsg,
                     m ? "" : " (write a PostgreSQL version in src/store/migrations_pg/)");
            simple(db, "ROLLBACK");
            return RX_ERROR;
        }
        rx_info("msg=\"migrated\" version=%d file=%s%s", v, m ? "migrations_pg/" : "", name);
    }
    return RX_OK;
}

static int pg_schema_version(struct rx_store *bs, int *have, int *known)
{
    struct rx_db *r = bs->be->reader(bs);
    if (!r) return RX_ERROR;
    *have = db_version((struct pg_db *)r);
    *known = known_version();
    return *have < 0 ? RX_ERROR : RX_OK;
}

/* --- statement table --- */

static int has_id(const char *table, int len, void *arg)
{
    struct pg_store *s = arg;
    for (int i = 0; i < s->n_id_tables; i++)
        if ((int)strlen(s->id_tables[i]) == len &&
            strncasecmp(s->id_tables[i], table, (size_t)len) == 0)
            return 1;
    return 0;
}

static int load_id_tables(struct pg_store *s, struct pg_db *db)
{
    PGresult *res = PQexec(
        db->conn, "SELECT c.relname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                  " JOIN pg_namespace n ON n.oid = c.relnamespace"
                  " WHERE a.attname = 'id' AND NOT a.attisdropped AND c.relkind IN ('r', 'p')"
                  " AND n.nspname = current_schema()");
    int rc = RX_OK;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        rc = keep_err(db, res);
    } else {
        int n = PQntuples(res);
        s->id_tables = rx_calloc((size_t)n + 1, sizeof *s->id_tables);
        if (!s->id_tables) rc = RX_NOMEM;
        for (int i = 0; i < n && rc == RX_OK; i++) {
            s->id_tables[i] = rx_strdup(PQgetvalue(res, i, 0));
            if (!s->id_tables[i])
                rc = RX_NOMEM;
            else
                s->n_id_tables++;
        }
    }
    PQclear(res);
    return rc;
}

static const char *override_of(enum rx_query q)
{
    for (size_t i = 0; overrides[i].sql; i++)
        if (overrides[i].q == q) return overrides[i].sql;
    return NULL;
}

static const Oid type_tries[] = {OID_TEXT, OID_INT8, OID_FLOAT8};

/* Prepares every statement once on db: finds the types of parameters PostgreSQL cannot
 * infer, and reports statements that do not run here. Returns how many are bad. */
/* Prepares sql as the unnamed statement with types; 1 on success. */
static int try_prepare(struct pg_db *db, const char *sql, int n, const Oid *types, PGresult **err)
{
    PGresult *res = PQprepare(db->conn, "", sql, n, types);
    if (PQresultStatus(res) == PGRES_COMMAND_OK) {
        PQclear(res);
        return 1;
    }
    if (err)
        *err = res;
    else
        PQclear(res);
    return 0;
}

/* Prepares every statement once on db: finds the types of parameters PostgreSQL cannot
 * infer, widens integer parameters to bigint (SQLite's integers are 64-bit: `?1 - 900`
 * would otherwise be int4, and a time after 2038 would not fit), and reports statements
 * that do not run here. The search uses the unnamed statement; the result is kept in
 * s->text[q].types for every connection. Returns how many statements are bad. */
static int check_statements(struct pg_store *s, struct pg_db *db)
{
    int bad = 0;
    for (int q = 0; q < RX_Q__COUNT; q++) {
        struct pg_text *t = &s->text[q];
        if (!t->sql || t->nparams > MAX_PARAMS) {
            t->bad = 1;
            bad++;
            continue;
        }
        Oid types[MAX_PARAMS] = {0};
        int tried[MAX_PARAMS] = {0}; /* per parameter: how many of type_tries were used */
        int last = -1, ok = 0, probe = 0;
        char first_err[256] = "";
        const int ntries = (int)(sizeof type_tries / sizeof type_tries[0]);
        int tries = 8 * t->nparams + 8; /* every parameter may be tried with each type */
        for (int attempt = 0; attempt < tries; attempt++) {
            PGresult *res = NULL;
            if (try_prepare(db, t->sql, t->nparams, types, &res)) {
                ok = 1;
                break;
            }
            const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
            const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
            if (!first_err[0]) snprintf(first_err, sizeof first_err, "%s", msg ? msg : "?");
            int undetermined =
                msg && strstr(msg, "could not determine data type of parameter $") != NULL;
            int mismatch = state_is(state, "42883") || state_is(state, "42804") ||
                           state_is(state, "42P08") || state_is(state, "42725");
            int k = -1;
            if (undetermined) { /* 42P18 or 42P08, depending on where the parser noticed */
                const char *d = strrchr(msg, '$');
                if (d) k = (int)strtol(d + 1, NULL, 10) - 1;
            }
            PQclear(res);
            if (k >= 0 && k < t->nparams && tried[k] < ntries) {
                types[k] = type_tries[tried[k]++];
                last = k;
                continue;
            }
            if (!mismatch) break;
            /* The type we guessed last does not fit: the next one for that parameter. */
            if (last >= 0 && tried[last] < ntries) {
                types[last] = type_tries[tried[last]++];
                continue;
            }
            /* Nothing left to try there (or PostgreSQL chose text on its own, as for
             * `?2 < ?3` before `x < ?3`): give it back to inference and try the next
             * parameter PostgreSQL infers as bigint, then double. */
            if (last >= 0 && tried[last] >= ntries) types[last] = 0;
            while (probe < t->nparams && types[probe] != 0) probe++;
            if (probe >= t->nparams) break;
            types[probe] = OID_INT8;
            tried[probe] = 2; /* text was the inferred type; next: double */
            last = probe++;
        }
        if (ok) {
            PGresult *d = PQdescribePrepared(db->conn, "");
            int n = PQresultStatus(d) == PGRES_COMMAND_OK ? PQnparams(d) : 0;
            for (int i = 0; i < n && i < MAX_PARAMS; i++)
                types[i] = PQparamtype(d, i);
            PQclear(d);
            for (int i = 0; i < n && i < MAX_PARAMS; i++) {
                if (types[i] != OID_INT4 && types[i] != OID_INT2) continue;
                Oid was = types[i];
                types[i] = OID_INT8;
                if (!try_prepare(db, t->sql, n, types, NULL)) types[i] = was; /* substr(x, ?1) */
            }
            if (n > 0) {
                t->types = rx_calloc((size_t)n, sizeof(Oid));
                if (t->types) {
                    memcpy(t->types, types, (size_t)n * sizeof(Oid));
                    t->nparams = n;
                }
            }
            if (prepare(db, (enum rx_query)q) != RX_OK) ok = 0;
        }
        if (!ok) {
            t->bad = 1;
            bad++;
            rx_error(
                "msg=\"statement does not prepare on postgresql\" query=%s err=\"%s\" sql=\"%s\"",
                rx_query_names[q], first_err[0] ? first_err : db->errmsg, t->sql);
        }
    }
    return bad;
}

static int build_statements(struct pg_store *s, char *err, size_t errlen)
{
    for (int q = 0; q < RX_Q__COUNT; q++) {
        const char *src = override_of((enum rx_query)q);
        if (!src) src = rx_query_sql[q];
        int np = 0;
        s->text[q].sql = rx_pgsql_statement(src, has_id, s, &np);
        s->text[q].nparams = np;
        if (!s->text[q].sql) {
            snprintf(err, errlen, "out of memory translating statements");
            return RX_NOMEM;
        }
    }
    return RX_OK;
}

/* --- writers --- */

static void pause_before_retry(unsigned *seed, int attempt)
{
    *seed = *seed * 1103515245u + 12345u;
    long us = 200 + (long)((*seed >> 8) % (unsigned)(1000 << (attempt < 6 ? attempt : 6)));
    struct timespec ts = {.tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000};
    nanosleep(&ts, NULL);
}

/* Runs one job to its end: commit, rollback, or give up after MAX_ATTEMPTS. */
static int run_job(struct pg_store *s, struct pg_db *db, struct job *j, unsigned *seed)
{
    int rc = RX_OK;
    db->want_savepoints = 0;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        if (attempt) {
            pthread_mutex_lock(&s->mu);
            s->stats.retries++;
            pthread_mutex_unlock(&s->mu);
            pause_before_retry(seed, attempt);
        }
        db->attempt = attempt;
        db->retry = db->failed = 0;
        db->savepoints = db->want_savepoints;
        if (!ensure_conn(db)) return RX_IOERR;
        rc = simple(db, "BEGIN ISOLATION LEVEL SERIALIZABLE");
        if (rc != RX_OK) {
            if (PQstatus(db->conn) != CONNECTION_OK && ensure_conn(db))
                rc = simple(db, "BEGIN ISOLATION LEVEL SERIALIZABLE");
            if (rc != RX_OK) return RX_IOERR;
        }
        db->in_txn = 1;
        rc = j->fn(&db->base, j->ctx);
        if (db->retry) {
            db->in_txn = 0;
            simple(db, "ROLLBACK");
            continue;
        }
        if (rc != RX_OK) {
            db->in_txn = 0;
            simple(db, "ROLLBACK");
            return rc;
        }
        if (db->failed && !db->savepoints) {
            /* The job ignored a failed statement and succeeded: SQLite would commit the rest
             * of its work, PostgreSQL cannot. Run it again with statement savepoints. */
            db->in_txn = 0;
            simple(db, "ROLLBACK");
            db->want_savepoints = 1;
            continue;
        }
        PGresult *res = PQexec(db->conn, "COMMIT");
        int st = PQresultStatus(res);
        db->in_txn = 0;
        if (st == PGRES_COMMAND_OK) {
            PQclear(res);
            return RX_OK;
        }
        rc = keep_err(db, res);
        const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        int again = retryable(state);
        PQclear(res);
        if (PQtransactionStatus(db->conn) != PQTRANS_IDLE) simple(db, "ROLLBACK");
        if (!again) return rc == RX_CONSTRAINT ? rc : RX_IOERR;
    }
    rx_warn("msg=\"write job gave up after serialization conflicts\" attempts=%d", MAX_ATTEMPTS);
    return RX_BUSY;
}

struct writer_arg {
    struct pg_store *s;
    struct pg_db *db;
};

static void *writer_main(void *arg)
{
    struct pg_store *s = ((struct writer_arg *)arg)->s;
    struct pg_db *db = ((struct writer_arg *)arg)->db;
    rx_free(arg);
    unsigned seed = (unsigned)(uintptr_t)db ^ (unsigned)time(NULL);
    for (;;) {
        pthread_mutex_lock(&s->mu);
        while (!s->head && !s->stopping)
            pthread_cond_wait(&s->cv, &s->mu);
        if (!s->head) {
            pthread_mutex_unlock(&s->mu);
            break;
        }
        struct job *j = s->head;
        s->head = j->next;
        if (!s->head) s->tail = NULL;
        pthread_mutex_unlock(&s->mu);
        int rc = run_job(s, db, j, &seed);
        pthread_mutex_lock(&s->mu);
        s->stats.jobs++; /* one transaction per job: a "batch" of one */
        s->stats.commits++;
        s->stats.batch_hist[0]++;
        pthread_mutex_unlock(&s->mu);
        db->attempt = 0;
        if (j->done) j->done(j->ctx, rc);
        rx_free(j);
    }
    return NULL;
}

static int pg_submit(struct rx_store *bs, rx_write_fn fn, rx_write_done_fn done, void *ctx)
{
    struct pg_store *s = (struct pg_store *)bs;
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
    if (s->tail)
        s->tail->next = j;
    else
        s->head = j;
    s->tail = j;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    return RX_OK;
}

/* --- readers --- */

static _Thread_local struct pg_db *tl_reader, *tl_replica;
static _Thread_local unsigned tl_generation;

static struct rx_db *pg_reader(struct rx_store *bs);

/* The replica connection db cannot be re-established: leave the replica alone for a while
 * and answer from this thread's primary connection. */
static struct pg_db *replica_down(struct pg_db *db)
{
    struct pg_store *s = db->store;
    pthread_mutex_lock(&s->mu);
    s->replica_retry_at = time(NULL) + REPLICA_RETRY_SECONDS;
    pthread_mutex_unlock(&s->mu);
    rx_warn("msg=\"read replica unavailable; reading from the primary\"");
    struct rx_db *p = pg_reader(&s->base);
    return p ? (struct pg_db *)p : NULL;
}

static struct pg_db *open_reader(struct pg_store *s, int replica)
{
    char err[512];
    struct pg_db *db = db_open(s, replica ? s->replica_info : s->conninfo, 1, err, sizeof err);
    if (!db) {
        rx_error("msg=\"cannot open read connection\" replica=%d err=\"%s\"", replica, err);
        return NULL;
    }
    db->replica = replica;
    pthread_mutex_lock(&s->mu);
    db->next = s->conns;
    s->conns = db;
    pthread_mutex_unlock(&s->mu);
    return db;
}

static struct rx_db *pg_reader(struct rx_store *bs)
{
    struct pg_store *s = (struct pg_store *)bs;
    if (tl_generation != s->generation) {
        tl_reader = tl_replica = NULL;
        tl_generation = s->generation;
    }
    if (!tl_reader) tl_reader = open_reader(s, 0);
    return tl_reader ? &tl_reader->base : NULL;
}

static struct rx_db *pg_replica(struct rx_store *bs)
{
    struct pg_store *s = (struct pg_store *)bs;
    if (!s->replica_info) return pg_reader(bs);
    if (tl_generation != s->generation) {
        tl_reader = tl_replica = NULL;
        tl_generation = s->generation;
    }
    if (tl_replica && PQstatus(tl_replica->conn) == CONNECTION_OK) return &tl_replica->base;
    time_t now = time(NULL);
    pthread_mutex_lock(&s->mu);
    int skip = now < s->replica_retry_at;
    pthread_mutex_unlock(&s->mu);
    if (!skip) {
        if (!tl_replica)
            tl_replica = open_reader(s, 1);
        else if (!ensure_conn(tl_replica))
            tl_replica->errmsg[0] = 0;
        if (tl_replica && PQstatus(tl_replica->conn) == CONNECTION_OK) return &tl_replica->base;
        pthread_mutex_lock(&s->mu);
        s->replica_retry_at = now + REPLICA_RETRY_SECONDS;
        pthread_mutex_unlock(&s->mu);
        rx_warn("msg=\"read replica unavailable; reading from the primary\"");
    }
    return pg_reader(bs); /* the primary always has the answer, only later */
}

/* --- open, close --- */

static void pg_close(struct rx_store *bs)
{
    struct pg_store *s = (struct pg_store *)bs;
    if (!s) return;
    pthread_mutex_lock(&s->mu);
    s->stopping = 1;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    for (int i = 0; i < s->nwriters; i++)
        pthread_join(s->threads[i], NULL);
    for (int i = 0; i < MAX_WRITERS; i++)
        if (s->writers[i] && s->writers[i] != s->main) db_close(s->writers[i]);
    db_close(s->main);
    struct pg_db *c = s->conns;
    while (c) {
        struct pg_db *next = c->next;
        db_close(c);
        c = next;
    }
    if (tl_generation == s->generation) tl_reader = tl_replica = NULL;
    for (int q = 0; q < RX_Q__COUNT; q++) {
        rx_free(s->text[q].sql);
        rx_free(s->text[q].types);
    }
    for (int i = 0; i < s->n_id_tables; i++)
        rx_free(s->id_tables[i]);
    rx_free(s->id_tables);
    rx_free(s->conninfo);
    rx_free(s->replica_info);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    rx_free(s);
}

static int pg_open(struct rx_store **out, const char *url, const struct rx_store_opts *o, char *err,
                   size_t errlen)
{
    struct pg_store *s = rx_calloc(1, sizeof *s);
    if (!s) return RX_NOMEM;
    s->base.be = &rx_backend_pg;
    s->readonly = o->readonly;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    pthread_mutex_lock(&gen_mu);
    s->generation = next_generation++;
    pthread_mutex_unlock(&gen_mu);
    s->conninfo = rx_strdup(url);
    if (o->read_url && *o->read_url) {
        if (!rx_store_url_is_pg(o->read_url)) {
            snprintf(err, errlen, "--db-read must be a postgresql:// URL");
            goto fail;
        }
        s->replica_info = rx_strdup(o->read_url);
        if (!s->replica_info) goto nomem;
    }
    if (!s->conninfo) goto nomem;
    s->main = db_open(s, s->conninfo, 0, err, errlen);
    if (!s->main) goto fail;
    if (migrate(s->main, o->migrate && !o->readonly, err, errlen) != RX_OK) goto fail;
    if (load_id_tables(s, s->main) != RX_OK) {
        snprintf(err, errlen, "cannot read the PostgreSQL catalog: %s", s->main->errmsg);
        goto fail;
    }
    if (build_statements(s, err, errlen) != RX_OK) goto fail;
    int bad = check_statements(s, s->main);
    if (bad)
        rx_error("msg=\"statements that do not run on postgresql\" count=%d"
                 " hint=\"add them to src/store/queries_pg.def\"",
                 bad);
    if (!s->readonly) {
        int n = o->writers > 0 ? o->writers : DEFAULT_WRITERS;
        if (n > MAX_WRITERS) n = MAX_WRITERS;
        s->writers[0] = s->main;
        for (int i = 1; i < n; i++) {
            s->writers[i] = db_open(s, s->conninfo, 0, err, errlen);
            if (!s->writers[i]) goto fail;
        }
        for (int i = 0; i < n; i++) {
            struct writer_arg *wa = rx_malloc(sizeof *wa);
            if (!wa) goto nomem;
            wa->s = s;
            wa->db = s->writers[i];
            if (pthread_create(&s->threads[i], NULL, writer_main, wa) != 0) {
                rx_free(wa);
                snprintf(err, errlen, "cannot start writer threads");
                goto fail;
            }
            s->nwriters++;
        }
    }
    *out = &s->base;
    return RX_OK;
nomem:
    snprintf(err, errlen, "out of memory");
fail:
    pg_close(&s->base);
    return RX_ERROR;
}

static void pg_stats(struct rx_store *bs, struct rx_store_stats *out)
{
    struct pg_store *s = (struct pg_store *)bs;
    pthread_mutex_lock(&s->mu);
    *out = s->stats;
    pthread_mutex_unlock(&s->mu);
}

static int pg_backup(struct rx_store *bs, const char *path, char *err, size_t errlen)
{
    (void)bs;
    (void)path;
    snprintf(err, errlen,
             "rexin backup copies SQLite files; back PostgreSQL up with pg_dump or "
             "pg_basebackup");
    return RX_ERROR;
}

const struct rx_backend rx_backend_pg = {
    .name = "postgresql",
    .open = pg_open,
    .close = pg_close,
    .schema_version = pg_schema_version,
    .reader = pg_reader,
    .replica = pg_replica,
    .submit = pg_submit,
    .backup = pg_backup,
    .stats = pg_stats,
    .exec = pg_exec,
    .json_rows = pg_json_rows,
    .json_row = pg_json_row,
    .json_fields = pg_json_fields,
    .query = pg_query,
    .cursor_next = pg_cursor_next,
    .cursor_int = pg_cursor_int,
    .cursor_double = pg_cursor_double,
    .cursor_text = pg_cursor_text,
    .cursor_isnull = pg_cursor_isnull,
    .cursor_close = pg_cursor_close,
    .errmsg = pg_errmsg,
    .attempt = pg_attempt,
};
