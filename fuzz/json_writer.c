/* json_writer.c: the JSON writer (src/lib/json.c) against jansson.
 *
 * The input is a program: each byte picks the next writer call (object, array, end, key,
 * string, integer, double, bool, null, and the k* shorthands), strings and numbers follow it
 * in the input. The harness keeps the structure legal (keys only in objects, values after
 * keys) and builds the value it expects with jansson alongside. At the end every open
 * container is closed, and:
 *   - rx_json_status is 0 exactly when nothing overflowed (depth, buffer cap);
 *   - the output is valid UTF-8 without raw U+2028/U+2029, and jansson parses it;
 *   - the parsed value equals the expected one, strings compared after replacing each byte
 *     that does not start a well-formed UTF-8 sequence by U+FFFD (the writer's promise),
 *     numbers compared by value (JSON has one number type).
 * The expected replacement is computed here with its own decoder, not with src/lib/utf8.c. */
#include "fuzzutil.h"
#include "lib/buf.h"
#include "lib/json.h"
#include <jansson.h>
#include <math.h>

#define OUT_CAP (1u << 20)

/* Length of the well-formed UTF-8 sequence at s[0..n), 0 if there is none (Unicode 3.9:
 * shortest form, no surrogates, at most U+10FFFF). Decodes generically, then range-checks. */
static size_t ref_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0], cp;
    size_t len;
    if (c < 0x80) return 1;
    if ((c & 0xE0) == 0xC0) len = 2, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0) len = 3, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0) len = 4, cp = c & 0x07;
    else return 0;
    if (len > n) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    static const unsigned min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

/* s with every byte that starts no well-formed sequence replaced by U+FFFD (malloc'd). */
static char *ref_repair(const char *s, size_t n, size_t *outlen)
{
    char *d = malloc(n * 3 + 1);
    size_t k = 0;
    if (!d) abort();
    for (size_t i = 0; i < n;) {
        size_t len = ref_seq((const unsigned char *)s + i, n - i);
        if (len) {
            memcpy(d + k, s + i, len);
            k += len;
            i += len;
        } else {
            memcpy(d + k, "\xEF\xBF\xBD", 3);
            k += 3;
            i++;
        }
    }
    d[k] = 0;
    *outlen = k;
    return d;
}

static int same(json_t *a, json_t *b)
{
    if (json_is_number(a) && json_is_number(b)) {
        if (json_is_integer(a) && json_is_integer(b))
            return json_integer_value(a) == json_integer_value(b);
        return json_number_value(a) == json_number_value(b);
    }
    if (json_typeof(a) != json_typeof(b)) return 0;
    if (json_is_string(a))
        return json_string_length(a) == json_string_length(b) &&
               memcmp(json_string_value(a), json_string_value(b), json_string_length(a)) == 0;
    if (json_is_array(a)) {
        if (json_array_size(a) != json_array_size(b)) return 0;
        for (size_t i = 0; i < json_array_size(a); i++)
            if (!same(json_array_get(a, i), json_array_get(b, i))) return 0;
        return 1;
    }
    if (json_is_object(a)) {
        const char *k;
        json_t *v;
        if (json_object_size(a) != json_object_size(b)) return 0;
        json_object_foreach(a, k, v) {
            json_t *w = json_object_get(b, k);
            if (!w || !same(v, w)) return 0;
        }
        return 1;
    }
    return 1; /* true, false, null */
}

struct model {
    json_t *stack[RX_JSON_MAX_DEPTH + 1]; /* open containers, expected values */
    char *key[RX_JSON_MAX_DEPTH + 1];     /* pending key (repaired) of each object */
    int depth;
    json_t *root;
    int overflow; /* a container beyond the writer's depth was asked for */
};

/* Places an expected value where the writer just wrote one. Steals v. */
static void place(struct model *m, json_t *v)
{
    if (m->depth == 0) {
        m->root = v;
        return;
    }
    json_t *top = m->stack[m->depth - 1];
    if (json_is_array(top)) {
        json_array_append_new(top, v);
    } else {
        json_object_set_new(top, m->key[m->depth - 1], v);
        free(m->key[m->depth - 1]);
        m->key[m->depth - 1] = NULL;
    }
}

/* What may come next: 'k' a key (in an object without pending key), 'v' a value. */
static int want_key(const struct model *m)
{
    return m->depth > 0 && json_is_object(m->stack[m->depth - 1]) && !m->key[m->depth - 1];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_in in = {data, size};
    struct rx_buf out;
    struct rx_json w;
    struct model m;
    memset(&m, 0, sizeof m);
    rx_buf_init(&out, OUT_CAP);
    rx_json_init(&w, &out);

    int done = 0; /* the top-level value is complete */
    while (in.n && !done && !m.overflow) {
        uint8_t op = fz_u8(&in) % 12;
        size_t n;
        const char *s;
        if (want_key(&m)) {
            if (op == 2) { /* end the object */
                rx_json_end(&w);
                json_t *v = m.stack[--m.depth];
                place(&m, v);
                done = m.depth == 0;
                continue;
            }
            s = fz_bytes(&in, &n);
            char *k = fz_strndup(s, strnlen(s, n)); /* keys are C strings */
            size_t kl;
            char *rk = ref_repair(k, strlen(k), &kl);
            m.key[m.depth - 1] = rk;
            if (op >= 8) { /* shorthands: key and value in one call */
                json_t *v;
                switch (op) {
                case 8: {
                    const char *vs = fz_bytes(&in, &n);
                    int is_null = n == 0 && fz_u8(&in) == 0;
                    char *z = is_null ? NULL : fz_strndup(vs, strnlen(vs, n));
                    rx_json_kstr(&w, k, z);
                    size_t zl;
                    char *rz = z ? ref_repair(z, strlen(z), &zl) : NULL;
                    v = z ? json_stringn(rz, zl) : json_null();
                    free(rz);
                    free(z);
                    break;
                }
                case 9: {
                    int64_t x = (int64_t)fz_u64(&in);
                    rx_json_kint(&w, k, x);
                    v = json_integer(x);
                    break;
                }
                case 10: {
                    int b = fz_u8(&in) & 1;
                    rx_json_kbool(&w, k, b);
                    v = json_boolean(b);
                    break;
                }
                default:
                    rx_json_knull(&w, k);
                    v = json_null();
                }
                FZ_CHECK(v, "jansson refused an expected value");
                place(&m, v);
            } else {
                rx_json_key(&w, k);
            }
            free(k);
            continue;
        }
        /* a value, or the end of an array */
        json_t *v = NULL;
        switch (op) {
        case 0:
        case 1:
            if (m.depth >= RX_JSON_MAX_DEPTH) {
                m.overflow = 1;
                if (op == 0) rx_json_obj(&w);
                else rx_json_arr(&w);
                continue;
            }
            if (op == 0) rx_json_obj(&w);
            else rx_json_arr(&w);
            m.stack[m.depth++] = op == 0 ? json_object() : json_array();
            continue;
        case 2:
            if (m.depth > 0 && json_is_array(m.stack[m.depth - 1])) {
                rx_json_end(&w);
                v = m.stack[--m.depth];
                place(&m, v);
                done = m.depth == 0;
                continue;
            }
            /* fall through: nothing to end, write a null instead */
            rx_json_null(&w);
            v = json_null();
            break;
        case 3:
        case 4: {
            s = fz_bytes(&in, &n);
            size_t rl;
            char *rs = ref_repair(s, n, &rl);
            rx_json_strn(&w, s, n);
            v = json_stringn(rs, rl);
            free(rs);
            break;
        }
        case 5: {
            int64_t x = (int64_t)fz_u64(&in);
            rx_json_int(&w, x);
            v = json_integer(x);
            break;
        }
        case 6: {
            uint64_t bits = fz_u64(&in);
            double d;
            memcpy(&d, &bits, sizeof d);
            rx_json_double(&w, d);
            v = isfinite(d) ? json_real(d) : json_null();
            break;
        }
        case 7: {
            int b = fz_u8(&in) & 1;
            rx_json_bool(&w, b);
            v = json_boolean(b);
            break;
        }
        default:
            rx_json_null(&w);
            v = json_null();
        }
        FZ_CHECK(v, "jansson refused an expected value");
        place(&m, v);
        done = m.depth == 0;
    }

    if (!m.overflow) {
        /* close what is still open (a pending key gets a null) */
        if (m.depth == 0 && !m.root) {
            rx_json_null(&w);
            m.root = json_null();
        }
        while (m.depth > 0) {
            if (m.key[m.depth - 1]) {
                rx_json_null(&w);
                place(&m, json_null());
            }
            rx_json_end(&w);
            json_t *v = m.stack[--m.depth];
            place(&m, v);
        }
    }

    int st = rx_json_status(&w);
    if (m.overflow || out.err) {
        FZ_CHECK(st != 0, "status 0 after overflow=%d buf err=%d", m.overflow, out.err);
    } else {
        FZ_CHECK(st == 0, "status %d for a complete document", st);
        FZ_CHECK(!memmem(out.data, out.len, "\xE2\x80\xA8", 3) &&
                     !memmem(out.data, out.len, "\xE2\x80\xA9", 3),
                 "raw U+2028/U+2029 in output");
        json_error_t e;
        json_t *got = json_loadb(out.data, out.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
        FZ_CHECK(got, "jansson cannot parse the output: %s at %d: %.200s", e.text, e.position,
                 out.data);
        FZ_CHECK(same(m.root, got), "round trip differs: %.300s", out.data);
        json_decref(got);
    }
    while (m.depth > 0) {
        m.depth--;
        free(m.key[m.depth]);
        json_decref(m.stack[m.depth]);
    }
    json_decref(m.root);
    rx_buf_free(&out);
    return 0;
}
