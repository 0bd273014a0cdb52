/* alloc.h: the single allocation path of rexin (Lua's lmem.c idea). Every heap allocation in
 * rexin goes through these, so tests can make the Nth allocation from now fail on demand and
 * walk the error branches (rx_alloc_fail_after). Memory returned is owned by the caller and
 * released with rx_free. */
#ifndef RX_ALLOC_H
#define RX_ALLOC_H
#include <stddef.h>

void *rx_malloc(size_t n);
void *rx_calloc(size_t count, size_t size);
void *rx_realloc(void *p, size_t n);
void rx_free(void *p);
/* Copies s (NUL-terminated) or the first n bytes of s; NULL on allocation failure. */
char *rx_strdup(const char *s);
char *rx_strndup(const char *s, size_t n);

/* Fault injection for tests: after `n` more successful allocations, every allocation fails
 * until rx_alloc_fail_after(-1) turns it off. Counts across all threads. */
void rx_alloc_fail_after(long n);
/* Fault injection, curl's torture style: only the allocation after `n` more successful ones
 * fails, and the ones after it work again. -1 turns it off. */
void rx_alloc_fail_once(long n);
/* Number of allocations refused so far by fault injection. */
long rx_alloc_failures(void);
/* Number of allocations asked for so far (successful or refused), all threads: a test takes
 * the difference around one request to know how many failures it can inject there. */
long rx_alloc_count(void);

#endif
