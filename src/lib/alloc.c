/* alloc.c: see alloc.h. The fault-injection counter is the one process-wide mutable state
 * outside main.c, kept here on purpose so every allocation site is reachable by tests. */
#include "lib/alloc.h"
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static atomic_long fail_countdown = -1; /* -1: off; otherwise successes left before failing */
static atomic_long failures = 0;
static atomic_long once_countdown = -1; /* the same for a single failure (rx_alloc_fail_once) */
static atomic_long attempts = 0; /* every allocation asked for, failed or not */

/* The countdown is decremented with compare-and-swap: two threads allocating at once must
 * not both take the last success (a plain load then subtract took it to -1, which turned
 * injection off in the middle of a walk). */

static int should_fail(void)
{
    atomic_fetch_add_explicit(&attempts, 1, memory_order_relaxed);
    long o = atomic_load_explicit(&once_countdown, memory_order_relaxed);
    while (o >= 0) {
        if (atomic_compare_exchange_weak(&once_countdown, &o, o - 1)) {
            if (o == 0) {
                atomic_fetch_add(&failures, 1);
                return 1;
            }
            break;
        }
    }
    long v = atomic_load_explicit(&fail_countdown, memory_order_relaxed);
    for (;;) {
        if (v < 0) return 0;
        if (v == 0) {
            atomic_fetch_add(&failures, 1);
            return 1;
        }
        if (atomic_compare_exchange_weak(&fail_countdown, &v, v - 1)) return 0;
    }
}

void rx_alloc_fail_after(long n)
{
    atomic_store(&fail_countdown, n);
}

void rx_alloc_fail_once(long n)
{
    atomic_store(&once_countdown, n);
}

long rx_alloc_failures(void)
{
    return atomic_load(&failures);
}

long rx_alloc_count(void)
{
    return atomic_load(&attempts);
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
