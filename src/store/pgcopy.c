/* pgcopy.c: `rexin migrate --from sqlite:PATH --to postgresql://...` (rx_store_copy in
 * store.h): moves a community's data from the embedded default to PostgreSQL.
 *
 * 1. The SQLite file is opened read-only inside one read transaction (a fixed snapshot even
 *    if a server still writes to it) and must be at this rexin's schema version.
 * 2. The PostgreSQL database is migrated to the same version (pg.c) and must hold no
 *    accounts and no org units yet; rows that migrations inserted (the national service
 *    categories) are replaced by the source's, so ids stay equal.
 * 3. In ONE PostgreSQL transaction: user triggers are disabled (so rollups and append-only
 *    guards neither double nor refuse the copy), every table is emptied and filled with COPY
 *    in foreign-key dependency order (foreign keys are checked at the end of each COPY, so
 *    rows referring to rows of their own table need no order), ids are kept, identity
 *    sequences are moved past the highest id, then row counts, the sum of every integer
 *    column and the total length of every text column are compared table by table. Any
 *    difference rolls everything back.
 *
 * This is the one place in rexin that builds SQL text at run time: table and column names
 * come from the two catalogs (never from users) and are quoted as identifiers. */
#include "store/store.h"
#include "store/backend.h"
#include "lib/alloc.h"
#include "lib/buf.h"
#include "lib/embed.h"
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TABLES 256
#define MAX_COLS 128
#define COPY_CHUNK (256 * 1024)
#define SQL_MAX (64 * 1024)

struct col {
    char name[64];
    int is_int;  /* integer type in PostgreSQL: compare sums */
    int is_text; /* text: compare total length */
};

struct table {
    char name[64];
    int ncols;
    struct col cols[MAX_COLS];
    int deps[MAX_TABLES]; /* tables this one references */
    int ndeps;
    int done; /* placed in the order */
};

struct copy {
    sqlite3 *src;
    PGconn *dst;
    FILE *log;
    char *err;
    size_t errlen;
    struct table *t; /* [MAX_TABLES] */
    int nt;
    int order[MAX_TABLES];
};

static int fail(struct copy *c, const char *what, const char *detail)
{
    const char *d = detail ? detail : "";
    size_t n = strlen(d);
    while (n && d[n - 1] == '\n')
        n--;
    snprintf(c->err, c->errlen, "%s%s%.*s", what, detail ? ": " : "", (int)n, d);
    return RX_ERROR;
}

/* "name" for SQLite (the names come from PostgreSQL's catalog: plain identifiers). */
static void sq_ident(struct rx_buf *b, const char *name)
{
    rx_buf_putc(b, '"');
    for (const char *p = name; *p; p++) {
        if (*p == '"') rx_buf_putc(b, '"');
        rx_buf_putc(b, *p);
    }
    rx_buf_putc(b, '"');
}

static void pg_ident(struct copy *c, struct rx_buf *b, const char *name)
{
    char *q = PQescapeIdentifier(c->dst, name, strlen(name));
    if (q)
        rx_buf_puts(b, q);
    else
        b->err = RX_BUF_NOMEM;
    PQfreemem(q);
}

static int pg_ok(struct copy *c, const char *sql, const char *what)
{
    PGresult *r = PQexec(c->dst, sql);
    int st = PQresultStatus(r);
    int rc = RX_OK;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        rc = fail(c, what, PQresultErrorMessage(r));
    PQclear(r);
    return rc;
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

static int find_table(struct copy *c, const char *name)
{
    for (int i = 0; i < c->nt; i++)
        if (strcmp(c->t[i].name, name) == 0) return i;
    return -1;
}

/* Tables, columns and foreign keys from PostgreSQL's catalog. */
static int load_catalog(struct copy *c)
{
    PGresult *r = PQexec(
        c->dst, "SELECT c.relname, a.attname, t.typcategory, t.typname FROM pg_class c"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
                " JOIN pg_type t ON t.oid = a.atttypid"
                " WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()"
                " AND c.relname <> 'schema_version' ORDER BY c.relname, a.attnum");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        int rc = fail(c, "cannot read the PostgreSQL catalog", PQresultErrorMessage(r));
        PQclear(r);
        return rc;
    }
    for (int i = 0; i < PQntuples(r); i++) {
        const char *tn = PQgetvalue(r, i, 0);
        int k = find_table(c, tn);
        if (k < 0) {
            if (c->nt >= MAX_TABLES || strlen(tn) >= sizeof c->t[0].name) {
                PQclear(r);
                return fail(c, "too many tables or too long a name", tn);
            }
            k = c->nt++;
            snprintf(c->t[k].name, sizeof c->t[k].name, "%s", tn);
        }
        struct table *t = &c->t[k];
        const char *cn = PQgetvalue(r, i, 1);
        if (t->ncols >= MAX_COLS || strlen(cn) >= sizeof t->cols[0].name) {
            PQclear(r);
            return fail(c, "too many columns or too long a name in", tn);
        }
        struct col *col = &t->cols[t->ncols++];
        snprintf(col->name, sizeof col->name, "%s", cn);
        const char *cat = PQgetvalue(r, i, 2), *typ = PQgetvalue(r, i, 3);
        col->is_int =
            strcmp(typ, "int2") == 0 || strcmp(typ, "int4") == 0 || strcmp(typ, "int8") == 0;
        col->is_text = cat[0] == 'S';
    }
    PQclear(r);
    r = PQexec(c->dst,
               "SELECT a.relname, b.relname FROM pg_constraint k"
               " JOIN pg_class a ON a.oid = k.conrelid JOIN pg_class b ON b.oid = k.confrelid"
               " JOIN pg_namespace n ON n.oid = a.relnamespace"
               " WHERE k.contype = 'f' AND n.nspname = current_schema()");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        int rc = fail(c, "cannot read foreign keys", PQresultErrorMessage(r));
        PQclear(r);
        return rc;
    }
    for (int i = 0; i < PQntuples(r); i++) {
        int a = find_table(c, PQgetvalue(r, i, 0)), b = find_table(c, PQgetvalue(r, i, 1));
        if (a < 0 || b < 0 || a == b || c->t[a].ndeps >= MAX_TABLES) continue;
        c->t[a].deps[c->t[a].ndeps++] = b;
    }
    PQclear(r);
    return RX_OK;
}

/* Referenced tables first (Kahn's algorithm, in name order among equals). */
static int dependency_order(struct copy *c)
{
    for (int placed = 0; placed < c->nt; placed++) {
        int pick = -1;
        for (int i = 0; i < c->nt && pick < 0; i++) {
            if (c->t[i].done) continue;
            int ready = 1;
            for (int d = 0; d < c->t[i].ndeps; d++)
                if (!c->t[c->t[i].deps[d]].done) ready = 0;
            if (ready) pick = i;
        }
        if (pick < 0) return fail(c, "foreign keys form a cycle between tables", NULL);
        c->t[pick].done = 1;
        c->order[placed] = pick;
    }
    return RX_OK;
}

/* Every PostgreSQL table and column must exist in the SQLite file, and the other way round. */
static int compare_schemas(struct copy *c)
{
    for (int i = 0; i < c->nt; i++) {
        struct table *t = &c->t[i];
        struct rx_buf b;
        rx_buf_init(&b, SQL_MAX);
        rx_buf_puts(&b, "SELECT name FROM pragma_table_info(");
        rx_buf_putc(&b, '\'');
        rx_buf_puts(&b, t->name); /* catalog name: letters, digits, underscore */
        rx_buf_puts(&b, "')");
        sqlite3_stmt *st = NULL;
        int n = 0, rc = b.err ? SQLITE_NOMEM : sqlite3_prepare_v2(c->src, b.data, -1, &st, NULL);
        rx_buf_free(&b);
        if (rc != SQLITE_OK)
            return fail(c, "cannot read the SQLite schema", sqlite3_errmsg(c->src));
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *name = (const char *)sqlite3_column_text(st, 0);
            int found = 0;
            for (int k = 0; k < t->ncols; k++)
                if (strcmp(t->cols[k].name, name) == 0) found = 1;
            if (!found) {
                char what[160];
                snprintf(what, sizeof what, "column %s.%s exists in SQLite but not in PostgreSQL",
                         t->name, name);
                sqlite3_finalize(st);
                return fail(c, what, NULL);
            }
            n++;
        }
        sqlite3_finalize(st);
        if (n != t->ncols) {
            char what[160];
            snprintf(what, sizeof what, "table %s has %d columns in SQLite and %d in PostgreSQL",
                     t->name, n, t->ncols);
            return fail(c, what, NULL);
        }
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->src,
                           "SELECT name FROM sqlite_master WHERE type = 'table'"
                           " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
                           -1, &st, NULL) != SQLITE_OK)
        return fail(c, "cannot read the SQLite schema", sqlite3_errmsg(c->src));
    int rc = RX_OK;
    while (rc == RX_OK && sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (find_table(c, name) < 0) rc = fail(c, "table missing in PostgreSQL", name);
    }
    sqlite3_finalize(st);
    return rc;
}

static void copy_escape(struct rx_buf *b, const unsigned char *s, int n)
{
    for (int i = 0; i < n; i++) {
        switch (s[i]) {
        case '\\':
            rx_buf_puts(b, "\\\\");
            break;
        case '\t':
            rx_buf_puts(b, "\\t");
            break;
        case '\n':
            rx_buf_puts(b, "\\n");
            break;
        case '\r':
            rx_buf_puts(b, "\\r");
            break;
        default:
            rx_buf_putc(b, (char)s[i]);
        }
    }
}

static int copy_table(struct copy *c, struct table *t, long long *rows)
{
    struct rx_buf q, sel;
    rx_buf_init(&q, SQL_MAX);
    rx_buf_init(&sel, SQL_MAX);
    rx_buf_puts(&q, "COPY ");
    pg_ident(c, &q, t->name);
    rx_buf_puts(&q, " (");
    rx_buf_puts(&sel, "SELECT ");
    for (int i = 0; i < t->ncols; i++) {
        if (i) {
            rx_buf_puts(&q, ", ");
            rx_buf_puts(&sel, ", ");
        }
        pg_ident(c, &q, t->cols[i].name);
        sq_ident(&sel, t->cols[i].name);
    }
    rx_buf_puts(&q, ") FROM STDIN");
    rx_buf_puts(&sel, " FROM ");
    sq_ident(&sel, t->name);
    rx_buf_puts(&sel, " ORDER BY rowid");
    int rc = RX_OK;
    sqlite3_stmt *st = NULL;
    if (q.err || sel.err)
        rc = fail(c, "out of memory", NULL);
    else if (sqlite3_prepare_v2(c->src, sel.data, -1, &st, NULL) != SQLITE_OK)
        rc = fail(c, "cannot read SQLite table", sqlite3_errmsg(c->src));
    PGresult *r = rc ? NULL : PQexec(c->dst, q.data);
    if (!rc && PQresultStatus(r) != PGRES_COPY_IN)
        rc = fail(c, "COPY failed", PQresultErrorMessage(r));
    PQclear(r);
    rx_buf_free(&q);
    rx_buf_free(&sel);
    struct rx_buf line;
    rx_buf_init(&line, 64u * 1024 * 1024);
    *rows = 0;
    int step = SQLITE_DONE;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < t->ncols; i++) {
            if (i) rx_buf_putc(&line, '\t');
            switch (sqlite3_column_type(st, i)) {
            case SQLITE_NULL:
                rx_buf_puts(&line, "\\N");
                break;
            case SQLITE_INTEGER:
                rx_buf_printf(&line, "%lld", (long long)sqlite3_column_int64(st, i));
                break;
            case SQLITE_FLOAT:
                rx_buf_printf(&line, "%.17g", sqlite3_column_double(st, i));
                break;
            case SQLITE_BLOB: {
                const unsigned char *p = sqlite3_column_blob(st, i);
                int n = sqlite3_column_bytes(st, i);
                rx_buf_puts(&line, "\\\\x");
                for (int k = 0; k < n; k++)
                    rx_buf_printf(&line, "%02x", p[k]);
                break;
            }
            default:
                copy_escape(&line, sqlite3_column_text(st, i), sqlite3_column_bytes(st, i));
            }
        }
        rx_buf_putc(&line, '\n');
        (*rows)++;
        if (line.err)
            rc = fail(c, "row too large or out of memory in", t->name);
        else if (line.len >= COPY_CHUNK) {
            if (PQputCopyData(c->dst, line.data, (int)line.len) != 1)
                rc = fail(c, "COPY failed", PQerrorMessage(c->dst));
            rx_buf_reset(&line);
        }
    }
    if (!rc && step != SQLITE_DONE)
        rc = fail(c, "cannot read SQLite table", sqlite3_errmsg(c->src));
    if (st) sqlite3_finalize(st);
    if (!rc && line.len && PQputCopyData(c->dst, line.data, (int)line.len) != 1)
        rc = fail(c, "COPY failed", PQerrorMessage(c->dst));
    rx_buf_free(&line);
    if (PQisBusy(c->dst) || PQtransactionStatus(c->dst) == PQTRANS_ACTIVE) {
        PQputCopyEnd(c->dst, rc ? "rexin: copy abandoned" : NULL);
        while ((r = PQgetResult(c->dst))) {
            if (!rc && PQresultStatus(r) != PGRES_COMMAND_OK) {
                char what[128];
                snprintf(what, sizeof what, "COPY into %s failed", t->name);
                rc = fail(c, what, PQresultErrorMessage(r));
            }
            PQclear(r);
        }
    }
    return rc;
}

/* Text of one value from SQLite ("" for NULL). */
static int sq_value(struct copy *c, const char *sql, char *out, size_t n)
{
    sqlite3_stmt *st = NULL;
    out[0] = 0;
    if (sqlite3_prepare_v2(c->src, sql, -1, &st, NULL) != SQLITE_OK)
        return fail(c, "check failed on SQLite", sqlite3_errmsg(c->src));
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? RX_OK : fail(c, "check failed on SQLite", sqlite3_errmsg(c->src));
}

static int pg_value(struct copy *c, const char *sql, char *out, size_t n)
{
    PGresult *r = PQexec(c->dst, sql);
    int rc = RX_OK;
    out[0] = 0;
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) < 1)
        rc = fail(c, "check failed on PostgreSQL", PQresultErrorMessage(r));
    else if (!PQgetisnull(r, 0, 0))
        snprintf(out, n, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    return rc;
}

/* count(*), sum of each integer column, total length of each text column: equal on both. */
static int check_table(struct copy *c, struct table *t, int *checks)
{
    struct rx_buf sq, pq;
    int rc = RX_OK;
    for (int i = -1; i < t->ncols && rc == RX_OK; i++) {
        const char *name = i >= 0 ? t->cols[i].name : NULL;
        if (i >= 0 && !t->cols[i].is_int && !t->cols[i].is_text) continue;
        rx_buf_init(&sq, SQL_MAX);
        rx_buf_init(&pq, SQL_MAX);
        if (i < 0) {
            rx_buf_puts(&sq, "SELECT count(*)");
            rx_buf_puts(&pq, "SELECT count(*)");
        } else if (t->cols[i].is_int) {
            rx_buf_puts(&sq, "SELECT sum(");
            sq_ident(&sq, name);
            rx_buf_puts(&pq, "SELECT sum(");
            pg_ident(c, &pq, name);
            rx_buf_puts(&pq, "::numeric)");
            rx_buf_puts(&sq, ")");
        } else {
            rx_buf_puts(&sq, "SELECT sum(length(");
            sq_ident(&sq, name);
            rx_buf_puts(&sq, "))");
            rx_buf_puts(&pq, "SELECT sum(length(");
            pg_ident(c, &pq, name);
            rx_buf_puts(&pq, "))::numeric");
        }
        rx_buf_puts(&sq, " FROM ");
        sq_ident(&sq, t->name);
        rx_buf_puts(&pq, " FROM ");
        pg_ident(c, &pq, t->name);
        char a[64] = "", b[64] = "";
        if (sq.err || pq.err) rc = fail(c, "out of memory", NULL);
        if (!rc) rc = sq_value(c, sq.data, a, sizeof a);
        if (!rc) rc = pg_value(c, pq.data, b, sizeof b);
        if (!rc && strcmp(a, b) != 0) {
            char what[256];
            snprintf(what, sizeof what, "check failed for %s %s%s: SQLite %s, PostgreSQL %s",
                     t->name,
                     i < 0               ? "rows"
                     : t->cols[i].is_int ? "sum of "
                                         : "length of ",
                     name ? name : "", a[0] ? a : "NULL", b[0] ? b : "NULL");
            rc = fail(c, what, NULL);
        }
        if (!rc) (*checks)++;
        rx_buf_free(&sq);
        rx_buf_free(&pq);
    }
    return rc;
}

static int each_table(struct copy *c, const char *fmt_head, const char *tail, int reverse)
{
    for (int k = 0; k < c->nt; k++) {
        struct table *t = &c->t[c->order[reverse ? c->nt - 1 - k : k]];
        struct rx_buf b;
        rx_buf_init(&b, SQL_MAX);
        rx_buf_puts(&b, fmt_head);
        pg_ident(c, &b, t->name);
        rx_buf_puts(&b, tail);
        int rc = b.err ? fail(c, "out of memory", NULL) : pg_ok(c, b.data, t->name);
        rx_buf_free(&b);
        if (rc) return rc;
    }
    return RX_OK;
}

static int advance_sequences(struct copy *c)
{
    /* Every identity column: the next id follows the highest copied one. */
    PGresult *r = PQexec(
        c->dst,
        "SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0"
        " AND NOT a.attisdropped"
        " AND pg_get_serial_sequence(quote_ident(c.relname), a.attname) IS NOT NULL");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        int rc = fail(c, "cannot list sequences", PQresultErrorMessage(r));
        PQclear(r);
        return rc;
    }
    int rc = RX_OK;
    for (int i = 0; i < PQntuples(r) && rc == RX_OK; i++) {
        const char *tn = PQgetvalue(r, i, 0), *cn = PQgetvalue(r, i, 1);
        struct rx_buf b;
        rx_buf_init(&b, SQL_MAX);
        char *lt = PQescapeLiteral(c->dst, tn, strlen(tn)),
             *lc = PQescapeLiteral(c->dst, cn, strlen(cn));
        rx_buf_printf(
            &b, "SELECT setval(pg_get_serial_sequence(quote_ident(%s), %s), COALESCE((SELECT max(",
            lt ? lt : "''", lc ? lc : "''");
        pg_ident(c, &b, cn);
        rx_buf_puts(&b, ") FROM ");
        pg_ident(c, &b, tn);
        rx_buf_puts(&b, "), 0) + 1, false)");
        PQfreemem(lt);
        PQfreemem(lc);
        rc = b.err ? fail(c, "out of memory", NULL) : pg_ok(c, b.data, "cannot advance a sequence");
        rx_buf_free(&b);
    }
    PQclear(r);
    return rc;
}

static int run(struct copy *c)
{
    int rc = load_catalog(c);
    if (!rc) rc = dependency_order(c);
    if (!rc) rc = compare_schemas(c);
    if (rc) return rc;
    char users[32], orgs[32];
    if ((rc = pg_value(c, "SELECT count(*) FROM users", users, sizeof users)) ||
        (rc = pg_value(c, "SELECT count(*) FROM org_units", orgs, sizeof orgs)))
        return rc;
    if (strcmp(users, "0") != 0 || strcmp(orgs, "0") != 0)
        return fail(c,
                    "the PostgreSQL database already holds accounts or org units; "
                    "copy into a new, empty database",
                    NULL);
    if ((rc = each_table(c, "ALTER TABLE ", " DISABLE TRIGGER USER", 0))) return rc;
    if ((rc = each_table(c, "DELETE FROM ", "", 1))) return rc;
    long long total = 0;
    for (int k = 0; k < c->nt && !rc; k++) {
        struct table *t = &c->t[c->order[k]];
        long long rows = 0;
        rc = copy_table(c, t, &rows);
        if (!rc) fprintf(c->log, "  %-28s %10lld rows\n", t->name, rows);
        total += rows;
    }
    if (!rc) rc = advance_sequences(c);
    if (!rc) rc = each_table(c, "ALTER TABLE ", " ENABLE TRIGGER USER", 0);
    int checks = 0;
    for (int k = 0; k < c->nt && !rc; k++)
        rc = check_table(c, &c->t[c->order[k]], &checks);
    if (!rc)
        fprintf(c->log, "rexin: copied %lld rows in %d tables; %d counts and sums agree\n", total,
                c->nt, checks);
    return rc;
}

int rx_store_copy(const char *from, const char *to, FILE *log, char *err, size_t errlen)
{
    struct copy c = {.log = log, .err = err, .errlen = errlen};
    if (strncmp(from, "sqlite:", 7) == 0) from += 7;
    if (rx_store_url_is_pg(from) || strstr(from, "://")) {
        snprintf(err, errlen, "--from must be a SQLite database (sqlite:PATH)");
        return RX_ERROR;
    }
    if (!rx_store_url_is_pg(to)) {
        snprintf(err, errlen, "--to must be a PostgreSQL URL (postgresql://...)");
        return RX_ERROR;
    }
    int rc = RX_ERROR;
    if (sqlite3_open_v2(from, &c.src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open %s: %s", from,
                 c.src ? sqlite3_errmsg(c.src) : "out of memory");
        sqlite3_close(c.src);
        return RX_ERROR;
    }
    char v[32];
    if (sqlite3_exec(c.src, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
        sq_value(&c, "PRAGMA user_version", v, sizeof v) != RX_OK)
        goto out;
    if ((int)strtol(v, NULL, 10) != known_version()) {
        snprintf(err, errlen,
                 "%s is at schema version %s but this rexin writes version %d; run "
                 "`rexin migrate --db sqlite:%s` first",
                 from, v, known_version(), from);
        goto out;
    }
    /* Migrate the target through the store (same code as `rexin serve`). */
    struct rx_store *s = NULL;
    struct rx_store_opts o = {.url = to, .migrate = 1, .writers = 1};
    if (rx_store_open(&s, &o, err, errlen) != RX_OK) goto out;
    rx_store_close(s);
    const char *keys[] = {"dbname", "fallback_application_name", NULL};
    const char *vals[] = {to, "rexin-migrate", NULL};
    c.dst = PQconnectdbParams(keys, vals, 1);
    if (!c.dst || PQstatus(c.dst) != CONNECTION_OK) {
        fail(&c, "cannot connect to PostgreSQL", c.dst ? PQerrorMessage(c.dst) : "out of memory");
        goto out;
    }
    c.t = rx_calloc(MAX_TABLES, sizeof *c.t);
    if (!c.t) {
        fail(&c, "out of memory", NULL);
        goto out;
    }
    if (pg_ok(&c, "SET search_path TO public, pg_catalog", "cannot set up the session") ||
        pg_ok(&c, "BEGIN ISOLATION LEVEL SERIALIZABLE", "cannot begin"))
        goto out;
    fprintf(log, "rexin: copying %s to PostgreSQL\n", from);
    rc = run(&c);
    if (rc == RX_OK)
        rc = pg_ok(&c, "COMMIT", "commit failed");
    else
        pg_ok(&c, "ROLLBACK", "rollback");
out:
    if (c.src) {
        sqlite3_exec(c.src, "COMMIT", NULL, NULL, NULL);
        sqlite3_close(c.src);
    }
    PQfinish(c.dst);
    rx_free(c.t);
    return rc;
}
