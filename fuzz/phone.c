/* phone.c: mobile numbers as typed (src/domain/phone.c). Properties: a number that
 * normalises is 11 ASCII digits matching ^1[3-9]\d{9}$, normalising it again gives itself,
 * its digits appear in the input in order, and its mask is "ddd****dddd"; a buffer one byte
 * short gives RX_PHONE_ESIZE; masking refuses anything that is not 11 digits. */
#include "fuzzutil.h"
#include "domain/phone.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    char out[RX_PHONE_SIZE], again[RX_PHONE_SIZE], mask[RX_PHONE_SIZE];
    int rc = rx_phone_normalize(s, size, out, sizeof out);
    FZ_CHECK(rc == RX_PHONE_OK || rc == RX_PHONE_EINVAL, "rc %d", rc);
    if (rc == RX_PHONE_OK) {
        FZ_CHECK(strlen(out) == 11 && out[0] == '1' && out[1] >= '3' && out[1] <= '9', "%s", out);
        for (int i = 0; i < 11; i++) FZ_CHECK(out[i] >= '0' && out[i] <= '9', "%s", out);
        FZ_CHECK(size <= RX_PHONE_MAX_INPUT, "input of %zu accepted", size);
        FZ_CHECK(rx_phone_normalize(out, 11, again, sizeof again) == 0 && strcmp(out, again) == 0,
                 "not idempotent");
        /* the digits come from the input, in order, at its end */
        size_t k = 11;
        for (size_t i = size; i-- > 0 && k > 0;)
            if (s[i] >= '0' && s[i] <= '9') FZ_CHECK(s[i] == out[--k], "digit %zu", i);
        FZ_CHECK(rx_phone_mask(out, 11, mask, sizeof mask) == 0, "mask");
        FZ_CHECK(memcmp(mask, out, 3) == 0 && memcmp(mask + 3, "****", 4) == 0 &&
                     memcmp(mask + 7, out + 7, 5) == 0,
                 "mask %s of %s", mask, out);
        FZ_CHECK(rx_phone_normalize(s, size, again, RX_PHONE_SIZE - 1) == RX_PHONE_ESIZE, "size");
    }
    int m = rx_phone_mask(s, size, mask, sizeof mask);
    if (m == RX_PHONE_OK) {
        FZ_CHECK(size == 11, "mask of %zu bytes", size);
        for (size_t i = 0; i < 11; i++) FZ_CHECK(s[i] >= '0' && s[i] <= '9', "mask of non-digits");
    }
    return 0;
}
