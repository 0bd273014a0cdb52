/* arena.c: bump allocator over a list of chunks; see arena.h. */
#include "lib/arena.h"
#include "lib/alloc.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct rx_arena_chunk {
    struct rx_arena_chunk *next; /* older chunk */
    size_t size;                 /* usable bytes in data */
    size_t used;                 /* bytes handed out */
    _Alignas(16) unsigned char data[];
};

void rx_arena_init(struct rx_arena *a, size_t cap)
{
    a->head = NULL;
    a->total = 0;
    a->cap = cap;
}

void *rx_arena_alloc(struct rx_arena *a, size_t n)
{
    if (n > a->cap) return NULL; /* also keeps the rounding below from wrapping */
    n = (n + 15) & ~(size_t)15;
    struct rx_arena_chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        size_t sz = n > 8192 ? n : (c && c->size < 65536 ? c->size * 2 : 8192);
        if (a->total + sz > a->cap) return NULL;
        c = rx_malloc(sizeof(*c) + sz);
        if (!c) return NULL;
        c->next = a->head;
        c->size = sz;
        c->used = 0;
        a->head = c;
        a->total += sz;
    }
    void *p = c->data + c->used;
    c->used += n;
    return p;
}

char *rx_arena_strndup(struct rx_arena *a, const char *s, size_t n)
{
    char *d = rx_arena_alloc(a, n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *rx_arena_strdup(struct rx_arena *a, const char *s)
{
    if (!s) return NULL; /* e.g. rx_cursor_text of NULL, or SQLite out of memory */
    return rx_arena_strndup(a, s, strlen(s));
}

char *rx_arena_printf(struct rx_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return NULL;
    char *d = rx_arena_alloc(a, (size_t)n + 1);
    if (!d) return NULL;
    va_start(ap, fmt);
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return d;
}

void rx_arena_free(struct rx_arena *a)
{
    struct rx_arena_chunk *c = a->head;
    while (c) {
        struct rx_arena_chunk *next = c->next;
        rx_free(c);
        c = next;
    }
    a->head = NULL;
    a->total = 0;
}
