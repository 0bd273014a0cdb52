/* json.h: the one JSON writer every response goes through. It writes into an rx_buf (so a
 * capped, sticky-error buffer) and keeps a small stack to place commas and check nesting.
 * Strings are escaped per RFC 8259; invalid UTF-8 in a string is replaced by U+FFFD so the
 * output is always valid JSON. Usage:
 *     rx_json_obj(w); rx_json_key(w, "id"); rx_json_int(w, 7); rx_json_end(w);
 * or the key/value shorthands rx_json_kint(w, "id", 7). */
#ifndef RX_JSON_H
#define RX_JSON_H
#include "lib/buf.h"
#include <stdbool.h>
#include <stdint.h>

#define RX_JSON_MAX_DEPTH 64

struct rx_json {
    struct rx_buf *out;               /* destination, not owned */
    int depth;                        /* open containers */
    unsigned char first[RX_JSON_MAX_DEPTH]; /* 1 while the container has no element yet */
    char kind[RX_JSON_MAX_DEPTH];     /* '{' or '[' for each open container */
    unsigned char after_key;          /* 1 right after a key: next value needs no comma */
    int err;                          /* sticky: nesting misuse */
};

void rx_json_init(struct rx_json *w, struct rx_buf *out);
void rx_json_obj(struct rx_json *w);
void rx_json_arr(struct rx_json *w);
void rx_json_end(struct rx_json *w);
void rx_json_key(struct rx_json *w, const char *key);
/* A key written before by rx_json_quote_key (quoted, escaped, with its colon): for writers
 * that repeat the same keys row after row. */
void rx_json_key_quoted(struct rx_json *w, const char *quoted, size_t n);
int rx_json_quote_key(struct rx_buf *out, const char *key);
void rx_json_str(struct rx_json *w, const char *s);
void rx_json_strn(struct rx_json *w, const char *s, size_t n);
void rx_json_int(struct rx_json *w, int64_t v);
void rx_json_double(struct rx_json *w, double v);
void rx_json_bool(struct rx_json *w, bool v);
void rx_json_null(struct rx_json *w);
/* Inserts already-valid JSON text as a value (e.g. a stored JSON column). */
void rx_json_raw(struct rx_json *w, const char *s, size_t n);
/* Shorthands: key then value. rx_json_kstr writes null when s is NULL. */
void rx_json_kstr(struct rx_json *w, const char *k, const char *s);
void rx_json_kint(struct rx_json *w, const char *k, int64_t v);
void rx_json_kbool(struct rx_json *w, const char *k, bool v);
void rx_json_kdouble(struct rx_json *w, const char *k, double v);
void rx_json_knull(struct rx_json *w, const char *k);
/* 0 when everything written is complete, balanced JSON and the buffer had room. */
int rx_json_status(const struct rx_json *w);

/* Escapes s (n bytes) as a JSON string with quotes into out. */
void rx_json_escape(struct rx_buf *out, const char *s, size_t n);

#endif
