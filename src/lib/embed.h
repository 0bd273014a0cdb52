/* embed.h: files compiled into the binary by tools/embed.c (the web UI, SQL migrations).
 * The arrays are static and live for the whole process; nobody frees them. */
#ifndef RX_EMBED_H
#define RX_EMBED_H
#include <stddef.h>

struct rx_embed {
    const char *path;          /* relative path, e.g. "index.html" or "0001_base.sql" */
    const unsigned char *data; /* contents, NUL-terminated */
    size_t len;                /* length of data without the NUL */
    const unsigned char *gz;   /* gzip copy, or NULL when compression did not pay */
    size_t gzlen;              /* length of gz */
    const char *etag;          /* quoted strong ETag */
};

extern const struct rx_embed rx_embed_web[];
extern const unsigned rx_embed_web_count;
extern const struct rx_embed rx_embed_migrations[];
extern const unsigned rx_embed_migrations_count;
extern const struct rx_embed rx_embed_migrations_pg[]; /* src/store/migrations_pg/ */
extern const unsigned rx_embed_migrations_pg_count;
extern const struct rx_embed rx_embed_apidoc[]; /* src/api/openapi.json */
extern const unsigned rx_embed_apidoc_count;

#endif
