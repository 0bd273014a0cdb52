/* arena.h: per-request memory. Everything a request allocates comes from its arena and is
 * released at once by rx_arena_free when the response has been sent. Allocations are 16-byte
 * aligned. A cap bounds the total so hostile input hits a limit, not the machine. */
#ifndef RX_ARENA_H
#define RX_ARENA_H
#include <stddef.h>

struct rx_arena_chunk;
struct rx_arena {
    struct rx_arena_chunk *head; /* newest chunk; older chunks follow */
    size_t total;                /* bytes obtained from rx_malloc so far */
    size_t cap;                  /* refuse allocations beyond this total */
};

void rx_arena_init(struct rx_arena *a, size_t cap);
/* NULL when the cap is reached or memory is short. */
void *rx_arena_alloc(struct rx_arena *a, size_t n);
char *rx_arena_strndup(struct rx_arena *a, const char *s, size_t n);
char *rx_arena_strdup(struct rx_arena *a, const char *s);
/* printf into the arena; NULL on failure. */
char *rx_arena_printf(struct rx_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void rx_arena_free(struct rx_arena *a);

#endif
