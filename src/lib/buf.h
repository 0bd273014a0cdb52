/* buf.h: growable byte buffer with a hard cap given at creation (curl's dynbuf idea).
 * Errors are sticky: once an append fails (cap reached or no memory) `err` stays set and
 * later appends do nothing, so a writer can append freely and check once at the end.
 * The buffer owns `data`; rx_buf_release hands it to the caller, rx_buf_free drops it. */
#ifndef RX_BUF_H
#define RX_BUF_H
#include <stddef.h>

struct rx_buf {
    char *data; /* NUL-terminated contents (when len > 0 or after any append) */
    size_t len; /* bytes used, not counting the NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* hard limit on len */
    int err;    /* 0, or RX_BUF_TOOBIG / RX_BUF_NOMEM */
};

enum { RX_BUF_TOOBIG = 1, RX_BUF_NOMEM = 2 };

void rx_buf_init(struct rx_buf *b, size_t max);
int rx_buf_append(struct rx_buf *b, const void *p, size_t n);
int rx_buf_puts(struct rx_buf *b, const char *s);
int rx_buf_putc(struct rx_buf *b, char c);
int rx_buf_printf(struct rx_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rx_buf_reset(struct rx_buf *b);
/* Returns the data (caller frees with rx_free) and leaves the buffer empty. */
char *rx_buf_release(struct rx_buf *b, size_t *len);
void rx_buf_free(struct rx_buf *b);

#endif
