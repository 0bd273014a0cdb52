/* fuzzutil.h: what the libFuzzer harnesses share: a reader that takes typed values from the
 * fuzz input, and a check that aborts with a message (so libFuzzer keeps the input as a
 * crash) when a property of the code under test does not hold. Header-only: each harness is
 * one program. */
#ifndef RX_FUZZUTIL_H
#define RX_FUZZUTIL_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A property that must hold: on failure, print where and abort (libFuzzer saves the input). */
#define FZ_CHECK(cond, ...)                                                                    \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            fprintf(stderr, "%s:%d: property failed: %s: ", __FILE__, __LINE__, #cond);        \
            fprintf(stderr, __VA_ARGS__);                                                      \
            fputc('\n', stderr);                                                               \
            abort();                                                                           \
        }                                                                                      \
    } while (0)

/* Consumes the fuzz input front to back; reads past the end give zeros / empty strings. */
struct fz_in {
    const uint8_t *p;
    size_t n;
};

static inline uint8_t fz_u8(struct fz_in *in)
{
    if (!in->n) return 0;
    in->n--;
    return *in->p++;
}

static inline uint64_t fz_u64(struct fz_in *in)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | fz_u8(in);
    return v;
}

/* A string: one length byte, then up to that many bytes (fewer at the end of input). */
static inline const char *fz_bytes(struct fz_in *in, size_t *len)
{
    size_t k = fz_u8(in);
    if (k > in->n) k = in->n;
    const char *s = (const char *)in->p;
    in->p += k;
    in->n -= k;
    *len = k;
    return s;
}

/* A NUL-terminated copy of n bytes (malloc'd; the harness frees it). */
static inline char *fz_strndup(const void *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d) abort();
    if (n) memcpy(d, s, n);
    d[n] = 0;
    return d;
}

#endif
