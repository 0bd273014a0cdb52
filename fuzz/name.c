/* name.c: the comparison key of a person's name (src/domain/name.c: utf8proc NFKC, case
 * folding, whitespace and middle dots). Properties: the key is valid UTF-8 of its stated
 * length, no longer than RX_NAME_MAX_CP code points, without control characters, without a
 * space at either end or two in a row; keying the key gives the key (so two names equal
 * once are equal for ever); a name equals itself; a buffer smaller than the key gives
 * RX_NAME_ESIZE and no overflow. */
#include "fuzzutil.h"
#include "domain/name.h"
#include "lib/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    char out[RX_NAME_SIZE], again[RX_NAME_SIZE];
    size_t len = 0, len2 = 0, cps = 0;
    int rc = rx_name_normalize(s, size, out, sizeof out, &len);
    FZ_CHECK(strcmp(rx_name_strerror(rc), "unknown") != 0, "no code for %d", rc);
    if (rc != RX_NAME_OK) return 0;
    FZ_CHECK(strlen(out) == len && len > 0, "length %zu / %zu", strlen(out), len);
    FZ_CHECK(rx_utf8_len(out, len, &cps) == RX_UTF8_OK && cps <= RX_NAME_MAX_CP, "%zu cps", cps);
    FZ_CHECK(!rx_utf8_has_control(out, len), "control character in key");
    FZ_CHECK(out[0] != ' ' && out[len - 1] != ' ' && !strstr(out, "  "), "spaces: [%s]", out);
    rc = rx_name_normalize(out, len, again, sizeof again, &len2);
    FZ_CHECK(rc == RX_NAME_OK && len2 == len && memcmp(out, again, len) == 0,
             "not idempotent: [%s] -> [%s] (rc %d)", out, again, rc);
    bool eq = false;
    FZ_CHECK(rx_name_equal(s, size, s, size, &eq) == 0 && eq, "not equal to itself");
    FZ_CHECK(rx_name_equal(s, size, out, len, &eq) == 0 && eq, "not equal to its key");
    char *tight = malloc(len);
    FZ_CHECK(rx_name_normalize(s, size, tight, len, NULL) == RX_NAME_ESIZE, "no ESIZE");
    free(tight);
    return 0;
}
