/* store.c: the public store.h API, dispatched to the backend chosen by the URL
 * ("sqlite:PATH" or a plain path -> sqlite.c; "postgresql://..." or "postgres://..." -> pg.c;
 * a bare "postgresql://" takes everything from the PG* environment variables). Everything here is a
 * thin forwarder plus the helpers that are the same for every backend (rx_db_int, rx_store_write).
 */
#include "store/store.h"
#include "store/backend.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const rx_query_names[RX_Q__COUNT] = {
#define RX_Q(id, sql) #id,
#include "store/queries.def"
#undef RX_Q
};

const char *const rx_query_sql[RX_Q__COUNT] = {
#define RX_Q(id, sql) sql,
#include "store/queries.def"
#undef RX_Q
};

int rx_migration_number(const char *name)
{
    return (int)strtol(name, NULL, 10);
}

int rx_store_url_is_pg(const char *url)
{
    return url && (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0);
}

int rx_store_open(struct rx_store **out, const struct rx_store_opts *o, char *err, size_t errlen)
{
    const char *url = o->url ? o->url : "";
    *out = NULL;
    if (rx_store_url_is_pg(url)) return rx_backend_pg.open(out, url, o, err, errlen);
    if (o->read_url && *o->read_url) {
        snprintf(err, errlen, "--db-read needs a PostgreSQL primary (--db postgresql://...)");
        return RX_ERROR;
    }
    if (strncmp(url, "sqlite:", 7) == 0) url += 7;
    if (strstr(url, "://")) {
        snprintf(err, errlen, "unknown database URL %s (sqlite:PATH or postgresql://...)", o->url);
        return RX_ERROR;
    }
    return rx_backend_sqlite.open(out, url, o, err, errlen);
}

void rx_store_close(struct rx_store *s)
{
    if (s) s->be->close(s);
}

const char *rx_store_backend(struct rx_store *s)
{
    return s->be->name;
}

int rx_store_schema_version(struct rx_store *s, int *have, int *known)
{
    return s->be->schema_version(s, have, known);
}

struct rx_db *rx_store_reader(struct rx_store *s)
{
    return s->be->reader(s);
}

struct rx_db *rx_store_replica(struct rx_store *s)
{
    return s->be->replica ? s->be->replica(s) : s->be->reader(s);
}

int rx_store_submit(struct rx_store *s, rx_write_fn fn, rx_write_done_fn done, void *ctx)
{
    return s->be->submit(s, fn, done, ctx);
}

int rx_store_backup(struct rx_store *s, const char *path, char *err, size_t errlen)
{
    return s->be->backup(s, path, err, errlen);
}

void rx_store_stats(struct rx_store *s, struct rx_store_stats *out)
{
    s->be->stats(s, out);
}

struct sync_wait {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int finished;
    int rc;
    rx_write_fn fn;
    void *ctx;
};

static int sync_fn(struct rx_db *db, void *ctx)
{
    struct sync_wait *w = ctx;
    return w->fn(db, w->ctx);
}

static void sync_done(void *ctx, int rc)
{
    struct sync_wait *w = ctx;
    pthread_mutex_lock(&w->mu);
    w->rc = rc;
    w->finished = 1;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

int rx_store_write(struct rx_store *s, rx_write_fn fn, void *ctx)
{
    struct sync_wait w = {.fn = fn, .ctx = ctx};
    pthread_mutex_init(&w.mu, NULL);
    pthread_cond_init(&w.cv, NULL);
    int rc = rx_store_submit(s, sync_fn, sync_done, &w);
    if (rc == RX_OK) {
        pthread_mutex_lock(&w.mu);
        while (!w.finished)
            pthread_cond_wait(&w.cv, &w.mu);
        pthread_mutex_unlock(&w.mu);
        rc = w.rc;
    }
    pthread_mutex_destroy(&w.mu);
    pthread_cond_destroy(&w.cv);
    return rc;
}

/* --- statements --- */

int rx_db_exec(struct rx_db *db, enum rx_query q, const struct rx_val *a, int n, int64_t *changes,
               int64_t *last_id)
{
    return db->be->exec(db, q, a, n, changes, last_id);
}

int rx_db_json_rows(struct rx_db *db, enum rx_query q, const struct rx_val *a, int n,
                    struct rx_json *w, struct rx_page *pg)
{
    return db->be->json_rows(db, q, a, n, w, pg);
}

int rx_db_json_row(struct rx_db *db, enum rx_query q, const struct rx_val *a, int n,
                   struct rx_json *w)
{
    return db->be->json_row(db, q, a, n, w);
}

int rx_db_json_fields(struct rx_db *db, enum rx_query q, const struct rx_val *a, int n,
                      struct rx_json *w)
{
    return db->be->json_fields(db, q, a, n, w);
}

int rx_db_query(struct rx_db *db, enum rx_query q, const struct rx_val *a, int n,
                struct rx_cursor *c)
{
    return db->be->query(db, q, a, n, c);
}

int rx_cursor_next(struct rx_cursor *c)
{
    if (!c->db) return -RX_ERROR;
    return c->db->be->cursor_next(c);
}

int64_t rx_cursor_int(struct rx_cursor *c, int col)
{
    return c->db->be->cursor_int(c, col);
}

double rx_cursor_double(struct rx_cursor *c, int col)
{
    return c->db->be->cursor_double(c, col);
}

const char *rx_cursor_text(struct rx_cursor *c, int col)
{
    return c->db->be->cursor_text(c, col);
}

int rx_cursor_isnull(struct rx_cursor *c, int col)
{
    return c->db->be->cursor_isnull(c, col);
}

void rx_cursor_close(struct rx_cursor *c)
{
    if (c->db) c->db->be->cursor_close(c);
}

int rx_db_int(struct rx_db *db, enum rx_query q, const struct rx_val *a, int n, int64_t *out)
{
    struct rx_cursor c;
    int rc = rx_db_query(db, q, a, n, &c);
    if (rc) return rc;
    int r = rx_cursor_next(&c);
    if (r == 1) *out = rx_cursor_int(&c, 0);
    rx_cursor_close(&c);
    return r == 1 ? RX_OK : r == 0 ? RX_NOTFOUND : -r;
}

int rx_db_without_trigger(struct rx_db *db, const char *trigger, rx_write_fn fn, void *ctx)
{
    return db->be->without_trigger ? db->be->without_trigger(db, trigger, fn, ctx) : RX_ERROR;
}

int rx_db_data_version(struct rx_db *db, int64_t *out)
{
    return db->be->data_version ? db->be->data_version(db, out) : RX_ERROR;
}

const char *rx_db_errmsg(struct rx_db *db)
{
    return db ? db->be->errmsg(db) : "";
}

int rx_db_attempt(struct rx_db *db)
{
    return db->be->attempt ? db->be->attempt(db) : 0;
}
