/* json_input.c: request bodies as the server validates them before and inside a handler.
 *
 * Runs what src/http/server.c does with a JSON body (jansson json_loadb with
 * JSON_REJECT_DUPLICATES, then the depth check rx_http_json_depth) and then what a handler
 * does (src/api/input.c: rx_in_object, rx_in_str / rx_in_int / rx_in_bool / rx_in_has on
 * every field of the body and on a few fixed names, rx_in_only, rx_fail_if_field_errors) on
 * a request struct with a real arena and buffers. Properties:
 *   - every string rx_in_str returns is valid UTF-8 of at most max code points, without NUL
 *     or control characters (other than \t \n \r), and is the field's value;
 *   - every integer rx_in_int returns for a present field is within [lo, hi];
 *   - the answer (a 400 problem) is valid JSON whose "errors" count the field errors;
 * and, as always, no memory error (ASan), no undefined behaviour (UBSan), no leak. */
#include "fuzzutil.h"
#include "api/input.h"
#include "http/internal.h"
#include "lib/utf8.h"
#include <jansson.h>

static void check_str(const char *s, json_t *v, int max)
{
    size_t n = strlen(s), cps = 0;
    FZ_CHECK(json_is_string(v) && json_string_length(v) == n, "returned string is not the value");
    FZ_CHECK(rx_utf8_len(s, n, &cps) == RX_UTF8_OK, "not UTF-8");
    FZ_CHECK(cps <= (size_t)max, "%zu code points > %d", cps, max);
    FZ_CHECK(!rx_utf8_has_control(s, n), "control character passed");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t e;
    /* the first byte picks the limits a handler would use, the rest is the body */
    if (size < 1) return 0;
    int max_chars = 1 + data[0] % 64;
    json_t *j = json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES, &e);
    if (!j) return 0;
    int depth = rx_http_json_depth(j);
    FZ_CHECK(depth >= 1, "depth %d", depth);
    if (depth > rx_http_max_json_depth) { /* the server answers json_too_deep */
        json_decref(j);
        return 0;
    }

    struct rx_req r;
    memset(&r, 0, sizeof r);
    rx_arena_init(&r.arena, 1u << 20);
    rx_buf_init(&r.out, 1u << 20);
    rx_buf_init(&r.field_errors, 64 * 1024);
    r.json = j;
    r.lang = data[0] & 0x80 ? RX_LANG_EN : RX_LANG_ZH;

    if (rx_in_object(&r)) {
        static const char *const fixed[] = {"login", "password", "name", "id", NULL};
        int before;
        for (const char *const *f = fixed; *f; f++) {
            json_t *v = json_object_get(j, *f);
            const char *s = rx_in_str(&r, *f, 1, max_chars);
            if (s) check_str(s, v, max_chars);
        }
        const char *k;
        json_t *v;
        json_object_foreach(j, k, v) {
            FZ_CHECK(rx_in_has(&r, k), "field %s present but rx_in_has says no", k);
            if (strlen(k) > 64) continue; /* handlers ask for their own short names only */
            before = r.n_field_errors;
            const char *s = rx_in_str(&r, k, 0, max_chars);
            if (s) check_str(s, v, max_chars);
            else if (json_is_string(v) && before < 50)
                FZ_CHECK(r.n_field_errors == before + 1, "string refused without an error");
            int present = 0;
            int64_t lo = -1000, hi = 1000 * max_chars;
            int64_t x = rx_in_int(&r, k, 0, lo, hi, -7, &present);
            if (present) FZ_CHECK(x >= lo && x <= hi && json_integer_value(v) == x, "int %lld", (long long)x);
            else FZ_CHECK(x == -7, "default not returned");
            int b = rx_in_bool(&r, k, 2);
            FZ_CHECK(json_is_boolean(v) ? b == json_is_true(v) : b == 2, "bool");
        }
        rx_in_only(&r, fixed);
        int nerr = r.n_field_errors;
        if (rx_fail_if_field_errors(&r)) {
            FZ_CHECK(r.status == 400, "status %d", r.status);
            json_t *p = json_loadb(r.out.data, r.out.len, 0, &e);
            FZ_CHECK(p, "problem is not JSON: %s: %.200s", e.text, r.out.data);
            json_t *errs = json_object_get(p, "errors");
            FZ_CHECK(json_is_array(errs) && json_array_size(errs) == (size_t)(nerr < 50 ? nerr : 50),
                     "errors has %zu entries, %d recorded", json_array_size(errs), nerr);
            json_decref(p);
        } else {
            FZ_CHECK(nerr == 0, "errors recorded but not reported");
        }
    } else {
        FZ_CHECK(r.status == 400 && !json_is_object(j), "non-object accepted");
    }
    json_decref(j);
    rx_buf_free(&r.out);
    rx_buf_free(&r.field_errors);
    rx_arena_free(&r.arena);
    return 0;
}
