/* sqlite_ceiling.c: the durable-write ceiling of this machine for `make bench`.
 *
 * Raw SQLite, one process, one connection, WAL with synchronous=FULL (as rexin runs): inserts
 * rows shaped like a sign-up (the row itself plus its audit-log row, as every rexin write is
 * audited) in transactions of B rows, for several B. Whatever rexin does per write on top
 * (HTTP, JSON, authentication, savepoints, triggers) is measured against this.
 *
 * usage: sqlite_ceiling DIR [SECONDS_PER_BATCH_SIZE]
 * Prints one JSON object: {"rows_per_s": {"1": ..., "8": ..., "64": ..., "512": ...}, ...}. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(sqlite3 *db, const char *what)
{
    fprintf(stderr, "sqlite_ceiling: %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
    exit(1);
}

static void exec(sqlite3 *db, const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) die(db, sql);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: sqlite_ceiling DIR [SECONDS]\n");
        return 2;
    }
    double secs = argc > 2 ? strtod(argv[2], NULL) : 2.0;
    char path[4096];
    snprintf(path, sizeof path, "%s/ceiling.db", argv[1]);
    unlink(path);
    sqlite3 *db = NULL;
    if (sqlite3_open(path, &db) != SQLITE_OK) die(db, "open");
    exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
    exec(db, "CREATE TABLE signups (id INTEGER PRIMARY KEY, activity_id INTEGER NOT NULL,"
             " person_id INTEGER NOT NULL, status TEXT NOT NULL, district_id INTEGER,"
             " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
             "CREATE UNIQUE INDEX signups_active ON signups(activity_id, person_id) WHERE status <> 'cancelled';"
             "CREATE INDEX signups_person ON signups(person_id, status);"
             "CREATE TABLE audit_log (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, user_id INTEGER,"
             " ip TEXT, action TEXT NOT NULL, entity TEXT NOT NULL, entity_id INTEGER, detail TEXT);"
             "CREATE INDEX audit_entity ON audit_log(entity, entity_id);");
    sqlite3_stmt *ins = NULL, *aud = NULL;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO signups(activity_id, person_id, status, district_id, created_at,"
                           " updated_at) VALUES(?1, ?2, 'confirmed', 14, ?3, ?3)",
                           -1, &ins, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "INSERT INTO audit_log(at, user_id, ip, action, entity, entity_id, detail)"
                           " VALUES(?1, ?2, '127.0.0.1', 'create', 'signup', ?3, NULL)",
                           -1, &aud, NULL) != SQLITE_OK)
        die(db, "prepare");
    static const int sizes[] = {1, 8, 64, 512};
    long long person = 0;
    printf("{\"journal\":\"wal\",\"synchronous\":\"full\",\"rows\":\"signup + audit_log\",\"rows_per_s\":{");
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        int b = sizes[k];
        long long rows = 0;
        double t0 = now_s(), t;
        do {
            exec(db, "BEGIN IMMEDIATE");
            for (int i = 0; i < b; i++) {
                person++;
                sqlite3_bind_int64(ins, 1, 1 + person % 5000);
                sqlite3_bind_int64(ins, 2, person);
                sqlite3_bind_int64(ins, 3, (long long)time(NULL));
                if (sqlite3_step(ins) != SQLITE_DONE) die(db, "insert");
                sqlite3_reset(ins);
                sqlite3_bind_int64(aud, 1, (long long)time(NULL));
                sqlite3_bind_int64(aud, 2, person);
                sqlite3_bind_int64(aud, 3, sqlite3_last_insert_rowid(db));
                if (sqlite3_step(aud) != SQLITE_DONE) die(db, "audit");
                sqlite3_reset(aud);
            }
            exec(db, "COMMIT");
            rows += b;
            t = now_s();
        } while (t - t0 < secs);
        printf("%s\"%d\":%.0f", k ? "," : "", b, (double)rows / (t - t0));
        fflush(stdout);
    }
    printf("}}\n");
    sqlite3_finalize(ins);
    sqlite3_finalize(aud);
    sqlite3_close(db);
    unlink(path);
    char side[4200];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    return 0;
}
