/* backend.h: the narrow interface between store.c (the public store.h API) and the
 * database engines behind it (sqlite.c, pg.c), in the manner of Redis's ae_epoll.c /
 * ae_kqueue.c. Private to src/store/.
 *
 * Each backend defines its own connection and store structs whose FIRST member is the
 * struct rx_db / struct rx_store below, so store.c can find the backend's function table
 * from any pointer it is handed and the backend can cast back. store.c picks the backend
 * from the URL given to rx_store_open. */
#ifndef RX_STORE_BACKEND_H
#define RX_STORE_BACKEND_H
#include "store/store.h"

struct rx_backend;

/* Common head of every backend connection. */
struct rx_db {
    const struct rx_backend *be;
};

/* Common head of every backend store. */
struct rx_store {
    const struct rx_backend *be;
};

struct rx_backend {
    const char *name; /* "sqlite", "postgresql" */
    /* target: the URL with any "sqlite:" prefix removed (SQLite) or as given (PostgreSQL). */
    int (*open)(struct rx_store **out, const char *target, const struct rx_store_opts *o, char *err,
                size_t errlen);
    void (*close)(struct rx_store *s);
    int (*schema_version)(struct rx_store *s, int *have, int *known);
    struct rx_db *(*reader)(struct rx_store *s);
    struct rx_db *(*replica)(struct rx_store *s); /* NULL entry: same as reader */
    int (*submit)(struct rx_store *s, rx_write_fn fn, rx_write_done_fn done, void *ctx);
    int (*backup)(struct rx_store *s, const char *path, char *err, size_t errlen);
    void (*stats)(struct rx_store *s, struct rx_store_stats *out);

    int (*exec)(struct rx_db *db, enum rx_query q, const struct rx_val *a, int n, int64_t *changes,
                int64_t *last_id);
    int (*json_rows)(struct rx_db *db, enum rx_query q, const struct rx_val *a, int n,
                     struct rx_json *w, struct rx_page *pg);
    int (*json_row)(struct rx_db *db, enum rx_query q, const struct rx_val *a, int n,
                    struct rx_json *w);
    int (*json_fields)(struct rx_db *db, enum rx_query q, const struct rx_val *a, int n,
                       struct rx_json *w);
    int (*query)(struct rx_db *db, enum rx_query q, const struct rx_val *a, int n,
                 struct rx_cursor *c);
    int (*cursor_next)(struct rx_cursor *c);
    int64_t (*cursor_int)(struct rx_cursor *c, int col);
    double (*cursor_double)(struct rx_cursor *c, int col);
    const char *(*cursor_text)(struct rx_cursor *c, int col);
    int (*cursor_isnull)(struct rx_cursor *c, int col);
    void (*cursor_close)(struct rx_cursor *c);
    const char *(*errmsg)(struct rx_db *db);
    int (*attempt)(struct rx_db *db); /* NULL entry: always 0 */
    /* NULL entry: RX_ERROR */
    int (*without_trigger)(struct rx_db *db, const char *trigger, rx_write_fn fn, void *ctx);
    /* NULL entry: RX_ERROR (no way to tell; callers must not cache) */
    int (*data_version)(struct rx_db *db, int64_t *out);
};

extern const struct rx_backend rx_backend_sqlite;
extern const struct rx_backend rx_backend_pg;

/* Statement names, "Q_PING" ..., for logs and PostgreSQL prepared-statement names. */
extern const char *const rx_query_names[RX_Q__COUNT];
/* The SQLite text of every statement (queries_*.def). */
extern const char *const rx_query_sql[RX_Q__COUNT];

/* Migration numbering shared by the backends: NNNN from "NNNN_name.sql". */
int rx_migration_number(const char *name);

#endif
