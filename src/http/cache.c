/* cache.c: per-HTTP-thread memory of credentials and answers (see cache.h for the rules).
 *
 * Both tables are direct-mapped: a slot holds one entry, a newer one replaces it. Every entry
 * carries the epoch it was made in; a change of the database (or of the thread's connection)
 * starts a new epoch, which makes every older entry invisible at once, and their memory is
 * given back as slots are reused, or all at once when the answers outgrow their budget. */
#include "http/cache.h"
#include "lib/alloc.h"
#include "lib/arena.h"
#include "store/store.h"
#include <pthread.h>
#include <string.h>

#define AUTH_SLOTS 256
#define ANSWER_SLOTS 256
#define MAX_ANSWER (512u * 1024) /* bigger answers are not kept */

struct auth_entry {
    uint64_t epoch; /* 0: empty */
    enum rx_cred kind;
    char hash[65];
    int64_t last_seen, expires_at;
    struct rx_auth auth; /* strings point into blob */
    char *blob;
    size_t blob_len;
};

struct answer_entry {
    uint64_t epoch; /* 0: empty */
    int64_t now;
    char *key;      /* key bytes, then the body, in one allocation */
    size_t keylen, len;
};

struct thread_cache {
    struct rx_db *db;  /* the connection the epoch belongs to */
    int64_t version;   /* its data_version */
    uint64_t epoch;    /* starts at 1 */
    size_t cap, bytes; /* answer budget and use */
    struct auth_entry auth[AUTH_SLOTS];
    struct answer_entry answers[ANSWER_SLOTS];
};

static pthread_key_t tc_key;
static pthread_once_t tc_once = PTHREAD_ONCE_INIT;
static _Thread_local struct thread_cache *tc;

static void answer_drop(struct thread_cache *t, struct answer_entry *e)
{
    if (e->key) t->bytes -= e->keylen + e->len;
    rx_free(e->key);
    memset(e, 0, sizeof *e);
}

static void auth_drop(struct auth_entry *e)
{
    rx_free(e->blob);
    memset(e, 0, sizeof *e);
}

static void tc_destroy(void *p)
{
    struct thread_cache *t = p;
    for (int i = 0; i < AUTH_SLOTS; i++) auth_drop(&t->auth[i]);
    for (int i = 0; i < ANSWER_SLOTS; i++) answer_drop(t, &t->answers[i]);
    rx_free(t);
}

static void tc_make_key(void)
{
    pthread_key_create(&tc_key, tc_destroy);
}

static struct thread_cache *tc_get(void)
{
    if (tc) return tc;
    pthread_once(&tc_once, tc_make_key);
    struct thread_cache *t = rx_calloc(1, sizeof *t);
    if (!t) return NULL;
    if (pthread_setspecific(tc_key, t) != 0) {
        rx_free(t);
        return NULL;
    }
    t->epoch = 1;
    tc = t;
    return t;
}

int rx_cache_begin(struct rx_db *db, size_t cap_bytes)
{
    if (!cap_bytes || !db) return 0;
    int64_t v;
    if (rx_db_data_version(db, &v) != RX_OK) return 0;
    struct thread_cache *t = tc_get();
    if (!t) return 0;
    t->cap = cap_bytes;
    if (t->db != db || t->version != v) {
        t->db = db;
        t->version = v;
        t->epoch++;
    }
    return 1;
}

/* FNV-1a, 64 bits. */
static uint64_t fnv(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* ------------------------------------------------------------------ credentials */

static struct auth_entry *auth_slot(struct thread_cache *t, enum rx_cred kind, const char *hash)
{
    return &t->auth[(fnv(hash, strlen(hash)) + (uint64_t)kind) % AUTH_SLOTS];
}

/* Moves a pointer from one copy of a blob to the same place in another. */
static const char *rebase(const char *p, const char *from, char *to)
{
    return p ? to + (p - from) : NULL;
}

int rx_cache_auth_get(enum rx_cred kind, const char *hash, struct rx_auth *auth,
                      struct rx_arena *arena, int64_t *last_seen, int64_t *expires_at)
{
    struct thread_cache *t = tc;
    if (!t) return 0;
    struct auth_entry *e = auth_slot(t, kind, hash);
    if (e->epoch != t->epoch || e->kind != kind || strcmp(e->hash, hash) != 0) return 0;
    char *copy = rx_arena_alloc(arena, e->blob_len ? e->blob_len : 1);
    if (!copy) return 0;
    memcpy(copy, e->blob, e->blob_len);
    *auth = e->auth;
    auth->username = rebase(e->auth.username, e->blob, copy);
    auth->display_name = rebase(e->auth.display_name, e->blob, copy);
    for (int i = 0; i < auth->n_grants; i++) {
        auth->grants[i].role = rebase(e->auth.grants[i].role, e->blob, copy);
        auth->grants[i].path = rebase(e->auth.grants[i].path, e->blob, copy);
        auth->grants[i].kind = rebase(e->auth.grants[i].kind, e->blob, copy);
    }
    *last_seen = e->last_seen;
    *expires_at = e->expires_at;
    return 1;
}

static size_t str_size(const char *s)
{
    return s ? strlen(s) + 1 : 0;
}

static const char *blob_put(char **at, const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    memcpy(*at, s, n);
    const char *p = *at;
    *at += n;
    return p;
}

void rx_cache_auth_put(enum rx_cred kind, const char *hash, const struct rx_auth *auth,
                       int64_t last_seen, int64_t expires_at)
{
    struct thread_cache *t = tc;
    if (!t || strlen(hash) >= sizeof t->auth[0].hash) return;
    size_t n = str_size(auth->username) + str_size(auth->display_name);
    for (int i = 0; i < auth->n_grants; i++)
        n += str_size(auth->grants[i].role) + str_size(auth->grants[i].path) +
             str_size(auth->grants[i].kind);
    char *blob = rx_malloc(n ? n : 1);
    if (!blob) return;
    struct auth_entry *e = auth_slot(t, kind, hash);
    auth_drop(e);
    char *at = blob;
    e->auth = *auth;
    e->auth.username = blob_put(&at, auth->username);
    e->auth.display_name = blob_put(&at, auth->display_name);
    for (int i = 0; i < auth->n_grants; i++) {
        e->auth.grants[i].role = blob_put(&at, auth->grants[i].role);
        e->auth.grants[i].path = blob_put(&at, auth->grants[i].path);
        e->auth.grants[i].kind = blob_put(&at, auth->grants[i].kind);
    }
    e->blob = blob;
    e->blob_len = n;
    e->kind = kind;
    memcpy(e->hash, hash, strlen(hash) + 1);
    e->last_seen = last_seen;
    e->expires_at = expires_at;
    e->epoch = t->epoch;
}

/* ------------------------------------------------------------------ answers */

int rx_cache_answer_get(const char *key, size_t keylen, int64_t now, const char **body,
                        size_t *len)
{
    struct thread_cache *t = tc;
    if (!t) return 0;
    struct answer_entry *e = &t->answers[fnv(key, keylen) % ANSWER_SLOTS];
    if (e->epoch != t->epoch || e->now != now || e->keylen != keylen ||
        memcmp(e->key, key, keylen) != 0)
        return 0;
    *body = e->key + keylen;
    *len = e->len;
    return 1;
}

void rx_cache_answer_put(const char *key, size_t keylen, int64_t now, const char *body,
                         size_t len)
{
    struct thread_cache *t = tc;
    if (!t || len > MAX_ANSWER || keylen + len > t->cap) return;
    struct answer_entry *e = &t->answers[fnv(key, keylen) % ANSWER_SLOTS];
    answer_drop(t, e);
    if (t->bytes + keylen + len > t->cap) /* over budget: give back everything first */
        for (int i = 0; i < ANSWER_SLOTS; i++) answer_drop(t, &t->answers[i]);
    char *mem = rx_malloc(keylen + len);
    if (!mem) return;
    memcpy(mem, key, keylen);
    memcpy(mem + keylen, body, len);
    e->key = mem;
    e->keylen = keylen;
    e->len = len;
    e->now = now;
    e->epoch = t->epoch;
    t->bytes += keylen + len;
}
