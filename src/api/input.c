/* input.c: see input.h. jansson has already rejected invalid UTF-8 and NUL bytes. */
#include "api/input.h"
#include <string.h>

int rx_in_object(struct rx_req *r)
{
    if (json_is_object(r->json)) return 1; /* false for NULL too */
    rx_problem(r, 400, "body_not_object", NULL);
    return 0;
}

void rx_in_only(struct rx_req *r, const char *const *known)
{
    const char *k;
    json_t *v;
    if (!r->json || !json_is_object(r->json)) return;
    json_object_foreach(r->json, k, v)
    {
        int ok = 0;
        for (const char *const *p = known; *p && !ok; p++)
            ok = strcmp(*p, k) == 0;
        if (!ok) rx_field_error(r, rx_arena_strndup(&r->arena, k, strnlen(k, 64)), "unknown_field");
    }
}

int rx_in_has(struct rx_req *r, const char *field)
{
    return r->json && json_object_get(r->json, field) != NULL;
}

static int utf8_chars(const char *s, size_t n)
{
    int c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) c++;
    return c;
}

static int has_controls(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) return 1;
        /* C1 controls U+0080..U+009F are encoded C2 80..C2 9F */
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
            (unsigned char)s[i + 1] <= 0x9F)
            return 1;
    }
    return 0;
}

const char *rx_in_str(struct rx_req *r, const char *field, int required, int max_chars)
{
    json_t *v = r->json ? json_object_get(r->json, field) : NULL;
    if (!v || json_is_null(v)) {
        if (required) rx_field_error(r, field, "required");
        return NULL;
    }
    if (!json_is_string(v)) {
        rx_field_error(r, field, "wrong_type");
        return NULL;
    }
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (n != strlen(s)) { /* embedded NUL */
        rx_field_error(r, field, "control_chars");
        return NULL;
    }
    if (required && n == 0) {
        rx_field_error(r, field, "required");
        return NULL;
    }
    if (utf8_chars(s, n) > max_chars) {
        rx_field_error(r, field, "too_long");
        return NULL;
    }
    if (has_controls(s, n)) {
        rx_field_error(r, field, "control_chars");
        return NULL;
    }
    return s;
}

int64_t rx_in_int(struct rx_req *r, const char *field, int required, int64_t lo, int64_t hi,
                  int64_t def, int *present)
{
    json_t *v = r->json ? json_object_get(r->json, field) : NULL;
    if (present) *present = 0;
    if (!v || json_is_null(v)) {
        if (required) rx_field_error(r, field, "required");
        return def;
    }
    if (!json_is_integer(v)) {
        rx_field_error(r, field, "wrong_type");
        return def;
    }
    json_int_t x = json_integer_value(v);
    if (x < lo || x > hi) {
        rx_field_error(r, field, "out_of_range");
        return def;
    }
    if (present) *present = 1;
    return x;
}

int rx_in_bool(struct rx_req *r, const char *field, int def)
{
    json_t *v = r->json ? json_object_get(r->json, field) : NULL;
    if (!v || json_is_null(v)) return def;
    if (!json_is_boolean(v)) {
        rx_field_error(r, field, "wrong_type");
        return def;
    }
    return json_is_true(v);
}

const char *rx_in_date(struct rx_req *r, const char *field, int required, int max_chars,
                       struct rx_date *d)
{
    struct rx_date tmp;
    const char *s = rx_in_str(r, field, required, max_chars);
    if (!s) return NULL;
    if (rx_timefmt_date_parse(s, strlen(s), d ? d : &tmp) != RX_TIMEFMT_OK) {
        rx_field_error(r, field, "invalid_date");
        return NULL;
    }
    return s;
}

int rx_query_date(struct rx_req *r, const char *name, struct rx_date *d)
{
    const char *s = rx_query(r, name);
    if (!s) return 0;
    if (rx_timefmt_date_parse(s, strlen(s), d) != RX_TIMEFMT_OK) {
        rx_field_error(r, name, "invalid_date");
        return -1;
    }
    return 1;
}

int rx_query_bool(struct rx_req *r, const char *name)
{
    const char *s = rx_query(r, name);
    if (!s) return -1;
    if (strcmp(s, "true") == 0) return 1;
    if (strcmp(s, "false") == 0) return 0;
    rx_field_error(r, name, "invalid");
    return -1;
}
