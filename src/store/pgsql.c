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
    const char *p; /* next unread byte */
    const char *s; /* start of the current token */
    size_t n;      /* its length */
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
        while (isspace((unsigned char)*p))
            p++;
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
        while (*p && *p != '\n')
            p++;
        lx->t = T_VERBATIM;
    } else if (p[0] == '/' && p[1] == '*') {
        const char *e = strstr(p + 2, "*/");
        p = e ? e + 2 : p + strlen(p);
        lx->t = T_VERBATIM;
    } else if (p[0] == '$' && isdigit((unsigned char)p[1])) {
        p++;
        while (isdigit((unsigned char)*p))
            p++;
        lx->t = T_PGPARAM;
    } else if (p[0] == '$' && (p[1] == '$' || word_start(p[1]))) {
        /* PostgreSQL dollar quoting ($$ ... $$ or $tag$ ... $tag$): copied as is, so
         * migrations_pg text survives a pass through the migration translator. */
        const char *t = p + 1;
        while (word_char(*t) && *t != '$')
            t++;
        if (*t == '$') {
            size_t tl = (size_t)(t - p + 1);
            const char *e = p + tl;
            while (*e && strncmp(e, p, tl) != 0)
                e++;
            p = *e ? e + tl : e;
            lx->t = T_VERBATIM;
        } else {
            p++;
            lx->t = T_CHAR;
        }
    } else if (*p == '?') {
        p++;
        while (isdigit((unsigned char)*p))
            p++;
        lx->t = T_PARAM;
    } else if (word_start(*p)) {
        while (word_char(*p))
            p++;
        lx->t = T_WORD;
    } else if (isdigit((unsigned char)*p)) {
        while (isalnum((unsigned char)*p) || *p == '.')
            p++;
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
    while (next(&c) == T_SPACE || (c.t == T_VERBATIM && (c.s[0] == '-' || c.s[0] == '/'))) {
    }
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
    if (is_word(lx, "INTEGER"))
        rx_buf_puts(b, "BIGINT");
    else if (is_word(lx, "REAL"))
        rx_buf_puts(b, "DOUBLE PRECISION");
    else
        return 0;
    return 1;
}

/* SQLite's null-safe comparisons: a IS b -> a IS NOT DISTINCT FROM b, a IS NOT b -> a IS
 * DISTINCT FROM b (leaving IS [NOT] NULL / TRUE / FALSE / DISTINCT alone). lx is at IS;
 * returns 1 when it wrote the replacement (and moved lx past what it replaced). */
static int null_safe(struct lexer *lx, struct rx_buf *b)
{
    if (!is_word(lx, "IS")) return 0;
    static const char *const keep[] = {"NULL", "TRUE", "FALSE", "DISTINCT", "UNKNOWN", "NOT", NULL};
    struct lexer a = peek(lx);
    if (is_word(&a, "NOT")) {
        struct lexer c = peek(&a);
        for (int i = 0; keep[i]; i++)
            if (is_word(&c, keep[i])) return 0;
        if (c.t == T_END) return 0;
        rx_buf_puts(b, "IS DISTINCT FROM");
        *lx = a;
        return 1;
    }
    for (int i = 0; keep[i]; i++)
        if (is_word(&a, keep[i])) return 0;
    if (a.t == T_END) return 0;
    rx_buf_puts(b, "IS NOT DISTINCT FROM");
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
            for (size_t i = 1; i < lx.n && k < 100000; i++)
                k = k * 10 + (lx.s[i] - '0');
            if (k > maxp) maxp = k;
            rx_buf_append(&b, lx.s, lx.n);
            continue;
        }
        if (lx.t == T_PARAM) {
            int k;
            if (lx.n == 1)
                k = maxp + 1;
            else {
                k = 0;
                for (size_t i = 1; i < lx.n && k < 100000; i++)
                    k = k * 10 + (lx.s[i] - '0');
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
                    while (b.len && b.data[b.len - 1] == ' ')
                        b.data[--b.len] = 0;
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
                    while (b.len && b.data[b.len - 1] == ' ')
                        b.data[--b.len] = 0;
                    rx_buf_puts(&b, " ON CONFLICT DO NOTHING ");
                    conflict = 1;
                }
            }
            if (is_word(&lx, "CONFLICT")) conflict = 1;
            if (type_word(&lx, &b) || null_safe(&lx, &b)) continue;
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

/* Trigger bodies and WHEN conditions: SQLite's RAISE(ABORT, 'code') becomes rx_raise('code')
 * (migrations_pg/0001), and in a body a statement that starts with SELECT becomes PERFORM
 * (plpgsql discards its rows as SQLite does). */
static void trigger_text(struct rx_buf *b, const char *s, size_t n, int body)
{
    char *text = rx_strndup(s, n);
    if (!text) {
        b->err = RX_BUF_NOMEM;
        return;
    }
    struct lexer lx = {.p = text};
    int depth = 0, start = body;
    while (next(&lx) != T_END) {
        if (lx.t == T_WORD) {
            if (start && is_word(&lx, "SELECT")) {
                rx_buf_puts(b, "PERFORM");
                start = 0;
                continue;
            }
            start = 0;
            if (is_word(&lx, "RAISE")) {
                struct lexer o = peek(&lx), kind = peek(&o), comma = peek(&kind);
                if (o.t == T_CHAR && o.s[0] == '(' && kind.t == T_WORD && comma.t == T_CHAR &&
                    comma.s[0] == ',' && !is_word(&kind, "IGNORE")) {
                    rx_buf_puts(b, "rx_raise(");
                    lx = comma;
                    depth++; /* the '(' consumed here; its ')' comes later */
                    continue;
                }
            }
            if (type_word(&lx, b) || null_safe(&lx, b)) continue;
        } else if (lx.t == T_CHAR) {
            if (lx.s[0] == '(')
                depth++;
            else if (lx.s[0] == ')')
                depth--;
            else if (lx.s[0] == ';' && depth == 0 && body)
                start = 1;
            if (lx.s[0] != ';') start = 0;
        } else if (lx.t != T_SPACE && lx.t != T_VERBATIM) {
            start = 0;
        }
        rx_buf_append(b, lx.s, lx.n);
    }
    rx_free(text);
}

/* CREATE TRIGGER name {BEFORE|AFTER} {INSERT|DELETE|UPDATE [OF cols]} ON t [FOR EACH ROW]
 * [WHEN cond] BEGIN stmts END;  ->  a plpgsql function running stmts IF cond, and a
 * PostgreSQL trigger calling it. lx is at CREATE; on success it is left after the
 * statement and 1 is returned; 0 leaves it untouched (the text is copied as it is, and
 * PostgreSQL will say what it does not understand). */
static int trigger(struct lexer *lx, struct rx_buf *b)
{
    struct lexer x = peek(lx);
    if (is_word(&x, "TEMP") || is_word(&x, "TEMPORARY")) x = peek(&x);
    if (!is_word(&x, "TRIGGER")) return 0;
    x = peek(&x);
    if (is_word(&x, "IF")) {
        x = peek(&x);
        x = peek(&x);
        x = peek(&x);
    }
    if (x.t != T_WORD && !(x.t == T_VERBATIM && x.s[0] == '"')) return 0;
    const char *name = x.s;
    size_t name_len = x.n;
    if (name[0] == '"') {
        name++;
        name_len = name_len >= 2 ? name_len - 2 : 0;
    }
    x = peek(&x);
    const char *timing;
    if (is_word(&x, "BEFORE"))
        timing = "BEFORE";
    else if (is_word(&x, "AFTER"))
        timing = "AFTER";
    else
        return 0; /* INSTEAD OF (views): write it for PostgreSQL by hand */
    struct lexer ev = peek(&x);
    const char *ret;
    if (is_word(&ev, "INSERT") || is_word(&ev, "UPDATE"))
        ret = "NEW";
    else if (is_word(&ev, "DELETE"))
        ret = "OLD";
    else
        return 0;
    if (timing[0] == 'A') ret = "NULL";
    const char *event = ev.s, *event_end = ev.s + ev.n;
    struct lexer on = peek(&ev);
    while (on.t != T_END && !is_word(&on, "ON")) {
        event_end = on.s + on.n;
        on = peek(&on);
    }
    struct lexer table = peek(&on);
    if (table.t != T_WORD && !(table.t == T_VERBATIM && table.s[0] == '"')) return 0;
    x = peek(&table);
    if (is_word(&x, "FOR")) {
        x = peek(&x); /* EACH */
        x = peek(&x); /* ROW */
        x = peek(&x);
    }
    const char *when = NULL, *when_end = NULL;
    if (is_word(&x, "WHEN")) {
        when = x.p;
        int depth = 0;
        for (x = peek(&x); x.t != T_END; x = peek(&x)) {
            if (x.t == T_CHAR && x.s[0] == '(') depth++;
            if (x.t == T_CHAR && x.s[0] == ')') depth--;
            if (depth == 0 && is_word(&x, "BEGIN")) break;
        }
        when_end = x.s;
    }
    if (!is_word(&x, "BEGIN")) return 0;
    const char *body = x.p, *body_end = NULL;
    int depth = 0, cases = 0;
    for (x = peek(&x); x.t != T_END; x = peek(&x)) {
        if (x.t == T_CHAR && x.s[0] == '(')
            depth++;
        else if (x.t == T_CHAR && x.s[0] == ')')
            depth--;
        else if (is_word(&x, "CASE"))
            cases++;
        else if (is_word(&x, "END")) {
            if (cases)
                cases--;
            else if (depth == 0) {
                body_end = x.s;
                break;
            }
        }
    }
    if (!body_end) return 0;
    struct lexer semi = peek(&x);
    *lx = (semi.t == T_CHAR && semi.s[0] == ';') ? semi : x;

    rx_buf_printf(b,
                  "CREATE FUNCTION \"%.*s_fn\"() RETURNS trigger LANGUAGE plpgsql AS $rx$\nBEGIN\n",
                  (int)name_len, name);
    if (when) {
        rx_buf_puts(b, "  IF (");
        trigger_text(b, when, (size_t)(when_end - when), 0);
        rx_buf_puts(b, ") THEN\n");
    }
    rx_buf_puts(b, "   ");
    trigger_text(b, body, (size_t)(body_end - body), 1);
    while (b->len && (b->data[b->len - 1] == ' ' || b->data[b->len - 1] == '\n'))
        b->data[--b->len] = 0;
    if (b->len && b->data[b->len - 1] != ';') rx_buf_putc(b, ';');
    rx_buf_puts(b, when ? "\n  END IF;\n" : "\n");
    rx_buf_printf(b, "  RETURN %s;\nEND $rx$;\n", ret);
    rx_buf_printf(
        b, "CREATE TRIGGER \"%.*s\" %s %.*s ON %.*s FOR EACH ROW EXECUTE FUNCTION \"%.*s_fn\"();",
        (int)name_len, name, timing, (int)(event_end - event), event, (int)table.n, table.s,
        (int)name_len, name);
    return 1;
}

/* DROP TRIGGER [IF EXISTS] name;  ->  PostgreSQL needs the table (DROP TRIGGER name ON t),
 * which SQLite's statement does not name: look it up in pg_trigger, then drop the trigger
 * and the function that trigger() made for it. */
static int drop_trigger(struct lexer *lx, struct rx_buf *b)
{
    struct lexer x = peek(lx);
    if (!is_word(&x, "TRIGGER")) return 0;
    x = peek(&x);
    if (is_word(&x, "IF")) {
        x = peek(&x); /* EXISTS */
        x = peek(&x);
    }
    if (x.t != T_WORD && !(x.t == T_VERBATIM && x.s[0] == '"')) return 0;
    const char *name = x.s;
    size_t n = x.n;
    if (name[0] == '"') {
        name++;
        n = n >= 2 ? n - 2 : 0;
    }
    struct lexer end = peek(&x);
    if (!(end.n == 1 && end.s[0] == ';')) return 0;
    rx_buf_printf(b,
                  "DO $rx$ DECLARE t text; BEGIN\n"
                  "  SELECT tgrelid::regclass::text INTO t FROM pg_trigger WHERE tgname = '%.*s'"
                  " AND NOT tgisinternal LIMIT 1;\n"
                  "  IF t IS NOT NULL THEN EXECUTE format('DROP TRIGGER %%I ON %%s', '%.*s', t); END IF;\n"
                  "  EXECUTE format('DROP FUNCTION IF EXISTS %%I()', '%.*s_fn');\n"
                  "END $rx$;",
                  (int)n, name, (int)n, name, (int)n, name);
    *lx = end;
    return 1;
}

char *rx_pgsql_migration(const char *sql)
{
    struct rx_buf b;
    rx_buf_init(&b, OUT_MAX);
    struct lexer lx = {.p = sql};
    while (next(&lx) != T_END) {
        if (lx.t == T_WORD) {
            if (is_word(&lx, "CREATE") && trigger(&lx, &b)) continue;
            if (is_word(&lx, "DROP") && drop_trigger(&lx, &b)) continue;
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
            if (type_word(&lx, &b) || null_safe(&lx, &b)) continue;
            if (is_word(&lx, "BLOB")) {
                rx_buf_puts(&b, "BYTEA");
                continue;
            }
        }
        rx_buf_append(&b, lx.s, lx.n);
    }
    return finish(&b);
}
