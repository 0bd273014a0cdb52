/* recent.c: see recent.h. Open addressing over user ids, a short probe run per look-up. */
#include "http/recent.h"
#include "lib/alloc.h"
#include <pthread.h>

#define SLOTS 8192 /* power of two */
#define PROBE 8

struct slot {
    int64_t user_id; /* 0 = empty */
    int64_t at;      /* last write */
};

struct rx_recent {
    pthread_mutex_t mu;
    int window;
    struct slot slots[SLOTS];
};

struct rx_recent *rx_recent_new(int window)
{
    struct rx_recent *t = rx_calloc(1, sizeof *t);
    if (!t) return NULL;
    pthread_mutex_init(&t->mu, NULL);
    t->window = window;
    return t;
}

void rx_recent_free(struct rx_recent *t)
{
    if (!t) return;
    pthread_mutex_destroy(&t->mu);
    rx_free(t);
}

int rx_recent_window(const struct rx_recent *t)
{
    return t->window;
}

static unsigned home(int64_t user_id)
{
    uint64_t h = (uint64_t)user_id * 0x9E3779B97F4A7C15ull;
    return (unsigned)(h >> 40) & (SLOTS - 1);
}

void rx_recent_note(struct rx_recent *t, int64_t user_id, int64_t now)
{
    if (!t || user_id <= 0) return;
    pthread_mutex_lock(&t->mu);
    unsigned h = home(user_id), pick = SLOTS, oldest = h;
    for (unsigned i = 0; i < PROBE; i++) {
        unsigned k = (h + i) & (SLOTS - 1);
        struct slot *s = &t->slots[k];
        if (s->user_id == user_id) {
            pick = k;
            break;
        }
        if (pick == SLOTS && (s->user_id == 0 || now - s->at > t->window)) pick = k;
        if (s->at < t->slots[oldest].at) oldest = k;
    }
    if (pick == SLOTS) pick = oldest;
    t->slots[pick].user_id = user_id;
    t->slots[pick].at = now;
    pthread_mutex_unlock(&t->mu);
}

int rx_recent_wrote(struct rx_recent *t, int64_t user_id, int64_t hint, int64_t now)
{
    if (!t) return 0;
    /* A hint from the future is a forged or confused clock: it can only cost the primary
     * some reads, but do not let it pin a client there forever. */
    if (hint > 0 && hint <= now + 5 && now - hint <= t->window) return 1;
    if (user_id <= 0) return 0;
    int found = 0;
    pthread_mutex_lock(&t->mu);
    unsigned h = home(user_id);
    for (unsigned i = 0; i < PROBE; i++) {
        const struct slot *s = &t->slots[(h + i) & (SLOTS - 1)];
        if (s->user_id == user_id) {
            found = now - s->at <= t->window;
            break;
        }
    }
    pthread_mutex_unlock(&t->mu);
    return found;
}
