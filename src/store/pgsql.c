/* pgsql.c: see pgsql.h. A small tokenizer over SQL text: it copies string literals,
 * quoted identifiers and comments verbatim and hands every other token (a word, a
 * parameter, a single character) to the rewriting code. */
#include "store/pgsql.h"
#include "lib/alloc.h"
#include "lib/buf.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define OUT_MAX (1u << 20) /* no statement or migration comes near 1 MiB */

enum tok { T_END, T_WORD, T_PARAM, T_PGPARAM, T_SPACE, T_VERBATIM, T_CHAR };

struct lexer {
    const char *p;   /* next unread byte */
    const char *s;   /* start of the current token */
    size_t n;        /* its length */
    enum tok t;
};

static int word_start(char c)
{
    return isalpha((unsigned char)c) || c == '_';
}

static int word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '$';
}

static enum tok next(struct lexer *lx)
{
    const char *p = lx->p;
    lx->s = p;
    if (!*p) return lx->t = T_END;
    if (isspace((unsigned char)*p)) {
        while (isspace((unsigned char)*p)) p++;
        lx->t = T_SPACE;
    } else if (*p == '\'' || *p == '"' || *p == '`') {
        char q = *p++;
        for (;;) {
            if (!*p) break;
            if (*p == q) {
                if (p[1] == q) {
                    p += 2;
                    continue;
                }
                p++;
                break;
            }
            p++;
        }
        lx->t = T_VERBATIM;
    } else if (p[0] == '-' && p[1] == '-') {
        while (*p && *p != '\n') p++;
        lx->t = T_VERBATIM;
    } else if (p[0] == '/' && p[1] == '*') {
        const char *e = strstr(p + 2, "*/");
        p = e ? e + 2 : p + strlen(p);
        lx->t = T_VERBATIM;
    } else if (p[0] == '$' && isdigit((unsigned char)p[1])) {
        p++;
        while (isdigit((unsigned char)*p)) p++;
        lx->t = T_PGPARAM;
    } else if (p[0] == '$' && (p[1] == '$' || word_start(p[1]))) {
        /* PostgreSQL dollar quoting ($$ ... $$ or $tag$ ... $tag$): copied as is, so
         * migrations_pg text survives a pass through the migration translator. */
        const char *t = p + 1;
        while (word_char(*t) && *t != '$') t++;
        if (*t == '$') {
            size_t tl = (size_t)(t - p + 1);
            const char *e = p + tl;
            while (*e && strncmp(e, p, tl) != 0) e++;
            p = *e ? e + tl : e;
            lx->t = T_VERBATIM;
        } else {
            p++;
            lx->t = T_CHAR;
        }
    } else if (*p == '?') {
        p++;
        while (isdigit((unsigned char)*p)) p++;
        lx->t = T_PARAM;
    } else if (word_start(*p)) {
        while (word_char(*p)) p++;
        lx->t = T_WORD;
    } else if (isdigit((unsigned char)*p)) {
        while (isalnum((unsigned char)*p) || *p == '.') p++;
        lx->t = T_CHAR;
    } else {
        p++;
        lx->t = T_CHAR;
    }
    lx->n = (size_t)(p - lx->s);
    lx->p = p;
    return lx->t;
}

static int is_word(const struct lexer *lx, const char *w)
{
    return lx->t == T_WORD && strlen(w) == lx->n && strncasecmp(lx->s, w, lx->n) == 0;
}

/* Next token that is not space or a comment, without consuming anything. */
static struct lexer peek(const struct lexer *lx)
{
    struct lexer c = *lx;
    while (next(&c) == T_SPACE || (c.t == T_VERBATIM && (c.s[0] == '-' || c.s[0] == '/'))) {}
    return c;
}

static char *finish(struct rx_buf *b)
{
    if (b->err) {
        rx_buf_free(b);
        return NULL;
    }
    if (!b->data) rx_buf_puts(b, "");
    return b->err ? NULL : rx_buf_release(b, NULL);
}

/* Types shared by both translations. Returns 1 when the word was handled. */
static int type_word(struct lexer *lx, struct rx_buf *b)
{
    if (is_word(lx, "INTEGER")) rx_buf_puts(b, "BIGINT");
    else if (is_word(lx, "REAL")) rx_buf_puts(b, "DOUBLE PRECISION");
    else return 0;
    return 1;
}

char *rx_pgsql_statement(const char *sql, rx_pgsql_has_id_fn has_id, void *arg, int *nparams)
{
    struct rx_buf b;
    rx_buf_init(&b, OUT_MAX);
    struct lexer lx = {.p = sql};
    int maxp = 0, first = 1, insert = 0, ignore = 0, returning = 0, conflict = 0;
    const char *table = NULL;
    int table_len = 0;
    while (next(&lx) != T_END) {
        if (lx.t == T_PGPARAM) { /* already PostgreSQL's $N (queries_pg.def) */
            int k = 0;
            for (size_t i = 1; i < lx.n && k < 100000; i++) k = k * 10 + (lx.s[i] - '0');
            if (k > maxp) maxp = k;
            rx_buf_append(&b, lx.s, lx.n);
            continue;
        }
        if (lx.t == T_PARAM) {
            int k;
            if (lx.n == 1) k = maxp + 1;
            else {
                k = 0;
                for (size_t i = 1; i < lx.n && k < 100000; i++) k = k * 10 + (lx.s[i] - '0');
            }
            if (k > maxp) maxp = k;
            rx_buf_printf(&b, "$%d", k);
            continue;
        }
        if (lx.t == T_WORD) {
            if (first) {
                first = 0;
                insert = is_word(&lx, "INSERT");
            }
            if (insert && is_word(&lx, "OR")) {
                struct lexer nx = peek(&lx);
                if (is_word(&nx, "IGNORE")) {
                    ignore = 1;
                    lx = nx;
                    /* drop "OR IGNORE" and the space before it */
                    while (b.len && b.data[b.len - 1] == ' ') b.data[--b.len] = 0;
                    continue;
                }
            }
            if (insert && !table && is_word(&lx, "INTO")) {
                rx_buf_append(&b, lx.s, lx.n);
                struct lexer nx = peek(&lx);
                if (nx.t == T_WORD || (nx.t == T_VERBATIM && nx.s[0] == '"')) {
                    table = nx.s;
                    table_len = (int)nx.n;
                }
                continue;
            }
            if (is_word(&lx, "RETURNING")) {
                returning = 1;
                if (ignore && !conflict) {
                    while (b.len && b.data[b.len - 1] == ' ') b.data[--b.len] = 0;
                    rx_buf_puts(&b, " ON CONFLICT DO NOTHING ");
                    conflict = 1;
                }
            }
            if (is_word(&lx, "CONFLICT")) conflict = 1;
            if (type_word(&lx, &b)) continue;
        }
        rx_buf_append(&b, lx.s, lx.n);
    }
    /* Trailing space and semicolons would end the statement before what we append. */
    while (b.len && (b.data[b.len - 1] == ' ' || b.data[b.len - 1] == '\n' ||
                     b.data[b.len - 1] == '\t' || b.data[b.len - 1] == ';'))
        b.data[--b.len] = 0;
    if (ignore && !conflict) rx_buf_puts(&b, " ON CONFLICT DO NOTHING");
    if (insert && !returning && table && has_id) {
        const char *t = table;
        int tl = table_len;
        if (t[0] == '"' && tl >= 2) {
            t++;
            tl -= 2;
        }
        if (has_id(t, tl, arg)) rx_buf_puts(&b, " RETURNING id");
    }
    if (nparams) *nparams = maxp;
    return finish(&b);
}

char *rx_pgsql_migration(const char *sql)
{
    struct rx_buf b;
    rx_buf_init(&b, OUT_MAX);
    struct lexer lx = {.p = sql};
    while (next(&lx) != T_END) {
        if (lx.t == T_WORD) {
            if (is_word(&lx, "INTEGER")) {
                struct lexer a = peek(&lx);
                if (is_word(&a, "PRIMARY")) {
                    struct lexer k = peek(&a);
                    if (is_word(&k, "KEY")) {
                        rx_buf_puts(&b, "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
                        lx = k;
                        struct lexer ai = peek(&lx);
                        if (is_word(&ai, "AUTOINCREMENT")) lx = ai;
                        continue;
                    }
                }
            }
            if (type_word(&lx, &b)) continue;
            if (is_word(&lx, "BLOB")) {
                rx_buf_puts(&b, "BYTEA");
                continue;
            }
        }
        rx_buf_append(&b, lx.s, lx.n);
    }
    return finish(&b);
}
