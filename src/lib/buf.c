/* buf.c: see buf.h. */
#include "lib/buf.h"
#include "lib/alloc.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void rx_buf_init(struct rx_buf *b, size_t max)
{
    memset(b, 0, sizeof(*b));
    b->max = max;
}

static int grow(struct rx_buf *b, size_t need)
{
    if (b->err) return b->err;
    if (need > b->max) return b->err = RX_BUF_TOOBIG;
    if (need + 1 <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need + 1) cap *= 2;
    if (cap > b->max + 1) cap = b->max + 1;
    char *p = rx_realloc(b->data, cap);
    if (!p) return b->err = RX_BUF_NOMEM;
    b->data = p;
    b->cap = cap;
    return 0;
}

int rx_buf_append(struct rx_buf *b, const void *p, size_t n)
{
    /* Fast path (the JSON writer appends a few bytes at a time): room for n and the NUL.
     * len < cap whenever cap > 0, so cap - len does not wrap. */
    if (!b->err && n < b->cap - b->len && b->len + n <= b->max) {
        if (n) memcpy(b->data + b->len, p, n); /* p may be NULL when n is 0 */
        b->len += n;
        b->data[b->len] = 0;
        return 0;
    }
    if (!b->err && n > b->max - b->len) return b->err = RX_BUF_TOOBIG; /* len + n would wrap */
    if (grow(b, b->len + n)) return b->err;
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
    return 0;
}

int rx_buf_puts(struct rx_buf *b, const char *s)
{
    return rx_buf_append(b, s, strlen(s));
}

int rx_buf_putc(struct rx_buf *b, char c)
{
    if (!b->err && b->len + 1 < b->cap && b->len < b->max) {
        b->data[b->len++] = c;
        b->data[b->len] = 0;
        return 0;
    }
    return rx_buf_append(b, &c, 1);
}

int rx_buf_printf(struct rx_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return b->err = RX_BUF_NOMEM;
    if ((size_t)n < sizeof small) return rx_buf_append(b, small, (size_t)n);
    if (grow(b, b->len + (size_t)n)) return b->err;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

void rx_buf_reset(struct rx_buf *b)
{
    b->len = 0;
    b->err = 0;
    if (b->data) b->data[0] = 0;
}

char *rx_buf_release(struct rx_buf *b, size_t *len)
{
    char *p = b->data;
    if (len) *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void rx_buf_free(struct rx_buf *b)
{
    rx_free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
