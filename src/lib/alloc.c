/* alloc.c: see alloc.h. The fault-injection counter is the one process-wide mutable state
 * outside main.c, kept here on purpose so every allocation site is reachable by tests. */
#include "lib/alloc.h"
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static atomic_long fail_countdown = -1; /* -1: off; otherwise successes left before failing */
static atomic_long failures = 0;

static int should_fail(void)
{
    long v = atomic_load_explicit(&fail_countdown, memory_order_relaxed);
    if (v < 0) return 0;
    if (v == 0) {
        atomic_fetch_add(&failures, 1);
        return 1;
    }
    atomic_fetch_sub(&fail_countdown, 1);
    return 0;
}

void rx_alloc_fail_after(long n)
{
    atomic_store(&fail_countdown, n);
}

long rx_alloc_failures(void)
{
    return atomic_load(&failures);
}

void *rx_malloc(size_t n)
{
    if (should_fail()) return NULL;
    return malloc(n ? n : 1);
}

void *rx_calloc(size_t count, size_t size)
{
    if (should_fail()) return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *rx_realloc(void *p, size_t n)
{
    if (should_fail()) return NULL;
    return realloc(p, n ? n : 1);
}

void rx_free(void *p)
{
    free(p);
}

char *rx_strndup(const char *s, size_t n)
{
    char *d = rx_malloc(n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *rx_strdup(const char *s)
{
    return rx_strndup(s, strlen(s));
}
