/* idcard.c: identity document numbers (src/domain/idcard.c).
 *
 * The first byte picks the document type, the rest is the number as typed. Properties:
 *   - a resident ID that parses is 18 ASCII characters whose last is the GB 11643 check
 *     character of the first 17, its birth date is a real date between 1900 and today and is
 *     the one written in digits 7-14, its sex follows digit 17, and parsing the normalised
 *     number again gives the same result (normalising is idempotent);
 *   - every document type: normalising is idempotent, the normalised form is valid UTF-8
 *     within RX_IDCARD_DOC_MAX_CP code points, and its mask has the same number of code
 *     points and shows no more than 4 + 4 of them;
 *   - masking any valid UTF-8 of at most RX_IDCARD_MAX_INPUT bytes stays in its buffer;
 *   - small output buffers give RX_IDCARD_ESIZE, never an overflow (ASan). */
#include "fuzzutil.h"
#include "domain/idcard.h"
#include "lib/utf8.h"

static const struct rx_date today = {2026, 11, 29};

static size_t cps(const char *s)
{
    size_t k = 0;
    FZ_CHECK(rx_utf8_len(s, strlen(s), &k) == RX_UTF8_OK, "not UTF-8: %s", s);
    return k;
}

static void check_mask(const char *num)
{
    char mask[RX_IDCARD_BUF_SIZE];
    int rc = rx_idcard_mask(num, strlen(num), mask, sizeof mask);
    FZ_CHECK(rc == RX_IDCARD_OK, "mask rc %d", rc);
    FZ_CHECK(cps(mask) == cps(num), "mask %s of %s changes the length", mask, num);
    size_t shown = 0;
    for (const char *p = mask; *p; p++) shown += *p != '*';
    FZ_CHECK(shown <= 8 * 4, "mask shows too much"); /* at most 8 code points of <= 4 bytes */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    enum rx_idcard_doctype type = (enum rx_idcard_doctype)(data[0] % (RX_IDCARD_DOCTYPE_COUNT + 1));
    const char *s = (const char *)data + 1;
    size_t n = size - 1;

    struct rx_idcard id, id2;
    memset(&id, 0, sizeof id);
    const struct rx_date *when = data[0] & 0x80 ? NULL : &today;
    int rc = rx_idcard_parse(s, n, when, &id);
    FZ_CHECK(strcmp(rx_idcard_strerror(rc), "unknown") != 0 || rc > 6, "no code for %d", rc);
    if (rc == RX_IDCARD_OK) {
        FZ_CHECK(strlen(id.number) == 18, "number %s", id.number);
        FZ_CHECK(rx_idcard_check_char(id.number) == id.number[17], "check char of %s", id.number);
        FZ_CHECK(id.birth_date.year >= 1900, "born %d", id.birth_date.year);
        if (!(data[0] & 0x80))
            FZ_CHECK(rx_timefmt_date_cmp(&id.birth_date, &today) <= 0, "born in the future");
        char b[RX_TIMEFMT_DATE_SIZE];
        FZ_CHECK(rx_timefmt_date_format(&id.birth_date, b, sizeof b) == 0 && strcmp(b, id.birth) == 0,
                 "birth %s vs %s", b, id.birth);
        FZ_CHECK(memcmp(id.number + 6, b, 4) == 0 && memcmp(id.number + 10, b + 5, 2) == 0 &&
                     memcmp(id.number + 12, b + 8, 2) == 0,
                 "birth %s not in %s", b, id.number);
        FZ_CHECK(id.sex == ((id.number[16] - '0') % 2 ? 'M' : 'F'), "sex");
        memset(&id2, 0, sizeof id2);
        FZ_CHECK(rx_idcard_parse(id.number, 18, when, &id2) == RX_IDCARD_OK &&
                     strcmp(id.number, id2.number) == 0 && strcmp(id.birth, id2.birth) == 0 &&
                     id.sex == id2.sex,
                 "not idempotent: %s", id.number);
        check_mask(id.number);
    }

    char out[RX_IDCARD_BUF_SIZE], out2[RX_IDCARD_BUF_SIZE];
    rc = rx_idcard_doc_normalize(type, s, n, &today, out, sizeof out, NULL);
    if ((unsigned)type >= RX_IDCARD_DOCTYPE_COUNT) {
        FZ_CHECK(rc == RX_IDCARD_ETYPE, "type %d accepted", (int)type);
    } else if (rc == RX_IDCARD_OK) {
        FZ_CHECK(cps(out) <= (type == RX_IDCARD_RESIDENT_ID ? 18 : RX_IDCARD_DOC_MAX_CP), "long");
        FZ_CHECK(!rx_utf8_has_control(out, strlen(out)), "control chars kept");
        int rc2 = rx_idcard_doc_normalize(type, out, strlen(out), &today, out2, sizeof out2, NULL);
        FZ_CHECK(rc2 == RX_IDCARD_OK && strcmp(out, out2) == 0, "not idempotent: %s -> %s", out, out2);
        check_mask(out);
        /* the same into a buffer just too small */
        size_t need = strlen(out) + 1;
        char *tight = malloc(need - 1);
        rc2 = rx_idcard_doc_normalize(type, s, n, &today, tight, need - 1, NULL);
        FZ_CHECK(rc2 == RX_IDCARD_ESIZE, "rc %d into %zu bytes for %zu", rc2, need - 1, need);
        free(tight);
        const char *code = rx_idcard_doctype_code(type);
        enum rx_idcard_doctype t2;
        FZ_CHECK(code && rx_idcard_doctype_parse(code, strlen(code), &t2) == 0 && t2 == type, "code");
    }

    /* masking arbitrary (valid) text within the documented input bound */
    if (n <= RX_IDCARD_MAX_INPUT && rx_utf8_valid(s, n)) {
        char *z = fz_strndup(s, n);
        char mask[RX_IDCARD_BUF_SIZE];
        rc = rx_idcard_mask(z, n, mask, sizeof mask);
        if (rc == RX_IDCARD_OK) FZ_CHECK(strlen(mask) < sizeof mask, "mask");
        free(z);
    }
    enum rx_idcard_doctype t3;
    rx_idcard_doctype_parse(s, n, &t3);
    return 0;
}
