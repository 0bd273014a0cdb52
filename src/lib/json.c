/* json.c: see json.h. */
#include "lib/json.h"
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

void rx_json_init(struct rx_json *w, struct rx_buf *out)
{
    memset(w, 0, sizeof(*w));
    w->out = out;
}

static void sep(struct rx_json *w)
{
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (w->depth > 0) {
        if (!w->first[w->depth - 1]) rx_buf_putc(w->out, ',');
        w->first[w->depth - 1] = 0;
    }
}

static void open(struct rx_json *w, char c)
{
    sep(w);
    if (w->depth >= RX_JSON_MAX_DEPTH) {
        w->err = 1;
        return;
    }
    rx_buf_putc(w->out, c);
    w->kind[w->depth] = c;
    w->first[w->depth++] = 1;
}

void rx_json_obj(struct rx_json *w)
{
    open(w, '{');
}

void rx_json_arr(struct rx_json *w)
{
    open(w, '[');
}

void rx_json_end(struct rx_json *w)
{
    if (w->depth <= 0) {
        w->err = 1;
        return;
    }
    w->depth--;
    rx_buf_putc(w->out, w->kind[w->depth] == '{' ? '}' : ']');
}

/* Bytes copied as they are: printable ASCII other than '"' and '\\'. */
#define PLAIN16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
static const unsigned char plain[256] = {
    PLAIN16(0), PLAIN16(0),                                                  /* 0x00-0x1f */
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,                          /* 0x20-0x2f */
    PLAIN16(1), PLAIN16(1),                                                  /* 0x30-0x4f */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,                          /* 0x50-0x5f */
    PLAIN16(1), PLAIN16(1),                                                  /* 0x60-0x7f */
};

void rx_json_escape(struct rx_buf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    rx_buf_putc(out, '"');
    size_t i = 0, run = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (plain[c]) {
            i++;
            run++;
            continue;
        }
        if (c >= 0xE1 && c <= 0xEC && i + 2 < n && (p[i + 1] & 0xC0) == 0x80 &&
            (p[i + 2] & 0xC0) == 0x80 && (c != 0xE2 || p[i + 1] != 0x80 || (p[i + 2] & 0xFE) != 0xA8)) {
            /* the common 3-byte sequence (CJK is E4-E9), other than U+2028/2029 */
            i += 3;
            run += 3;
            continue;
        }
        if (c >= 0x80) {
            /* Multi-byte: a well-formed sequence joins the run (copied as it is); anything
             * else is replaced by U+FFFD. */
            size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
            unsigned cp = c & (len == 4 ? 0x07u : len == 3 ? 0x0Fu : 0x1Fu);
            int ok = c >= 0xC2 && c <= 0xF4 && i + len <= n; /* C0, C1, F5-FF never lead */
            for (size_t k = 1; ok && k < len; k++) {
                if ((p[i + k] & 0xC0) != 0x80) ok = 0;
                else cp = (cp << 6) | (p[i + k] & 0x3F);
            }
            if (ok && ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
                       (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))))
                ok = 0;
            /* U+2028/2029 are valid JSON but break JavaScript string literals: escape them. */
            if (ok && cp != 0x2028 && cp != 0x2029) {
                i += len;
                run += len;
                continue;
            }
            if (run) rx_buf_append(out, p + i - run, run);
            run = 0;
            if (ok) {
                rx_buf_puts(out, cp == 0x2028 ? "\\u2028" : "\\u2029");
                i += len;
            } else {
                rx_buf_append(out, "\xEF\xBF\xBD", 3);
                i++;
            }
            continue;
        }
        if (run) rx_buf_append(out, p + i - run, run);
        run = 0;
        char e[7] = {'\\', 0, 0, 0, 0, 0, 0};
        switch (c) {
        case '"': e[1] = '"'; rx_buf_append(out, e, 2); break;
        case '\\': e[1] = '\\'; rx_buf_append(out, e, 2); break;
        case '\n': e[1] = 'n'; rx_buf_append(out, e, 2); break;
        case '\r': e[1] = 'r'; rx_buf_append(out, e, 2); break;
        case '\t': e[1] = 't'; rx_buf_append(out, e, 2); break;
        default:
            e[1] = 'u'; e[2] = '0'; e[3] = '0';
            e[4] = hex[c >> 4]; e[5] = hex[c & 15];
            rx_buf_append(out, e, 6);
        }
        i++;
    }
    if (run) rx_buf_append(out, p + n - run, run);
    rx_buf_putc(out, '"');
}

void rx_json_key(struct rx_json *w, const char *key)
{
    sep(w);
    /* Keys are mostly short plain ASCII: '"key":' in one append. */
    char q[64];
    size_t n = 0;
    while (n < sizeof q - 3 && key[n] && plain[(unsigned char)key[n]]) {
        q[n + 1] = key[n];
        n++;
    }
    if (!key[n]) {
        q[0] = '"';
        q[n + 1] = '"';
        q[n + 2] = ':';
        rx_buf_append(w->out, q, n + 3);
    } else {
        rx_json_escape(w->out, key, strlen(key));
        rx_buf_putc(w->out, ':');
    }
    w->after_key = 1;
}

int rx_json_quote_key(struct rx_buf *out, const char *key)
{
    rx_json_escape(out, key, strlen(key));
    return rx_buf_putc(out, ':');
}

void rx_json_key_quoted(struct rx_json *w, const char *quoted, size_t n)
{
    sep(w);
    rx_buf_append(w->out, quoted, n);
    w->after_key = 1;
}

void rx_json_strn(struct rx_json *w, const char *s, size_t n)
{
    sep(w);
    rx_json_escape(w->out, s, n);
}

void rx_json_str(struct rx_json *w, const char *s)
{
    if (!s) {
        rx_json_null(w);
        return;
    }
    rx_json_strn(w, s, strlen(s));
}

void rx_json_int(struct rx_json *w, int64_t v)
{
    sep(w);
    /* by hand: printf costs about a thousand instructions a number, and lists write many */
    char d[24];
    int i = (int)sizeof d;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        d[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) d[--i] = '-';
    rx_buf_append(w->out, d + i, sizeof d - (size_t)i);
}

void rx_json_double(struct rx_json *w, double v)
{
    sep(w);
    if (!isfinite(v)) rx_buf_puts(w->out, "null");
    /* range first: converting a double beyond long long to long long is undefined */
    else if (fabs(v) < 1e15 && v == (double)(long long)v) rx_buf_printf(w->out, "%lld", (long long)v);
    else {
        /* the shortest of 15, 16 or 17 digits that reads back as the same double: 30.97, not
         * 30.969999999999999 */
        char b[40];
        for (int prec = 15; prec <= 17; prec++) {
            snprintf(b, sizeof b, "%.*g", prec, v);
            if (prec == 17 || strtod(b, NULL) == v) break;
        }
        rx_buf_puts(w->out, b);
    }
}

void rx_json_bool(struct rx_json *w, bool v)
{
    sep(w);
    rx_buf_puts(w->out, v ? "true" : "false");
}

void rx_json_null(struct rx_json *w)
{
    sep(w);
    rx_buf_puts(w->out, "null");
}

void rx_json_raw(struct rx_json *w, const char *s, size_t n)
{
    sep(w);
    rx_buf_append(w->out, s, n);
}

void rx_json_kstr(struct rx_json *w, const char *k, const char *s)
{
    rx_json_key(w, k);
    rx_json_str(w, s);
}

void rx_json_kint(struct rx_json *w, const char *k, int64_t v)
{
    rx_json_key(w, k);
    rx_json_int(w, v);
}

void rx_json_kbool(struct rx_json *w, const char *k, bool v)
{
    rx_json_key(w, k);
    rx_json_bool(w, v);
}

void rx_json_kdouble(struct rx_json *w, const char *k, double v)
{
    rx_json_key(w, k);
    rx_json_double(w, v);
}

void rx_json_knull(struct rx_json *w, const char *k)
{
    rx_json_key(w, k);
    rx_json_null(w);
}

int rx_json_status(const struct rx_json *w)
{
    if (w->err || w->out->err) return -1;
    return w->depth == 0 && !w->after_key ? 0 : -1;
}
