/* argon2_ceiling.c: the login ceiling of this machine for `make bench`.
 *
 * argon2id verifications per second with rexin's parameters (lib/crypto.c: 2 passes, 19 MiB)
 * on as many threads as cores, in one process with nothing else to do. rexin's logins per
 * second are measured against this.
 *
 * usage: argon2_ceiling [SECONDS] [THREADS]; prints {"verifies_per_s": N, "threads": T}. */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char stored[crypto_pwhash_STRBYTES];
static double seconds = 3.0;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *worker(void *arg)
{
    long *count = arg;
    double t0 = now_s();
    while (now_s() - t0 < seconds) {
        if (crypto_pwhash_str_verify(stored, "bench-password-1", 16) != 0) abort();
        (*count)++;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0) return 1;
    if (argc > 1) seconds = strtod(argv[1], NULL);
    long nthreads = argc > 2 ? strtol(argv[2], NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    if (nthreads < 1 || nthreads > 64) nthreads = 2;
    if (crypto_pwhash_str(stored, "bench-password-1", 16, 2, 19u * 1024u * 1024u) != 0) return 1;
    pthread_t th[64];
    long counts[64] = {0};
    double t0 = now_s();
    for (long i = 0; i < nthreads; i++) pthread_create(&th[i], NULL, worker, &counts[i]);
    long total = 0;
    for (long i = 0; i < nthreads; i++) {
        pthread_join(th[i], NULL);
        total += counts[i];
    }
    printf("{\"verifies_per_s\":%.1f,\"threads\":%ld}\n", (double)total / (now_s() - t0), nthreads);
    return 0;
}
