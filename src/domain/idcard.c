/* idcard.c: see idcard.h. Input is decoded to code points first so that "wrong length" means
 * characters, as a person counts them, not bytes: "１１０１…" typed full-width is 18
 * characters and is accepted after mapping, and "11010519491231002Ｘ" is not a length error. */
#include "domain/idcard.h"
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "lib/utf8.h"

static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};

static bool is_space_cp(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x3000;
}

/* Decodes s[0..n) into at most max code points; false on invalid UTF-8 or too many. */
static bool decode(const char *s, size_t n, uint32_t *cps, size_t max, size_t *count)
{
    size_t pos = 0, k = 0;
    while (pos < n) {
        if (k == max) return false;
        if (rx_utf8_next(s, n, &pos, &cps[k]) != RX_UTF8_OK) return false;
        k++;
    }
    *count = k;
    return true;
}

char rx_idcard_check_char(const char digits17[17])
{
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (digits17[i] < '0' || digits17[i] > '9') return 0;
        sum += (digits17[i] - '0') * weights[i];
    }
    return "10X98765432"[sum % 11];
}

/* ASCII digit for c, also full-width U+FF10..U+FF19; 0 if c is not a digit. */
static char ascii_digit(uint32_t c)
{
    if (c >= '0' && c <= '9') return (char)c;
    if (c >= 0xFF10 && c <= 0xFF19) return (char)('0' + (c - 0xFF10));
    return 0;
}

static bool is_x(uint32_t c)
{
    return c == 'X' || c == 'x' || c == 0xFF38 || c == 0xFF58;
}

int rx_idcard_parse(const char *s, size_t n, const struct rx_date *today, struct rx_idcard *out)
{
    uint32_t cps[RX_IDCARD_MAX_INPUT];
    char num[RX_IDCARD_LEN + 1];
    size_t count, k = 0;
    struct rx_date birth;

    if (n > RX_IDCARD_MAX_INPUT) return RX_IDCARD_ELENGTH;
    if (!decode(s, n, cps, RX_IDCARD_MAX_INPUT, &count)) return RX_IDCARD_ECHARS;
    for (size_t i = 0; i < count; i++) /* drop whitespace in place */
        if (!is_space_cp(cps[i])) cps[k++] = cps[i];
    if (k != RX_IDCARD_LEN) return RX_IDCARD_ELENGTH;

    for (size_t i = 0; i < RX_IDCARD_LEN; i++) {
        char d = ascii_digit(cps[i]);
        if (!d && i == RX_IDCARD_LEN - 1 && is_x(cps[i])) d = 'X';
        if (!d) return RX_IDCARD_ECHARS;
        num[i] = d;
    }
    num[RX_IDCARD_LEN] = 0;

    birth.year =
        (num[6] - '0') * 1000 + (num[7] - '0') * 100 + (num[8] - '0') * 10 + (num[9] - '0');
    birth.month = (num[10] - '0') * 10 + (num[11] - '0');
    birth.day = (num[12] - '0') * 10 + (num[13] - '0');
    if (birth.year < 1900 || !rx_timefmt_date_valid(birth.year, birth.month, birth.day))
        return RX_IDCARD_EBIRTH;
    if (today && rx_timefmt_date_cmp(&birth, today) > 0) return RX_IDCARD_EBIRTH;

    if (rx_idcard_check_char(num) != num[17]) return RX_IDCARD_ECHECK;

    memcpy(out->number, num, sizeof(num));
    out->birth_date = birth;
    rx_timefmt_date_format(&birth, out->birth, sizeof(out->birth));
    out->sex = ((num[16] - '0') % 2) ? 'M' : 'F';
    return RX_IDCARD_OK;
}

/* Normalises a non-resident document number; see idcard.h for the rules per type. */
static int doc_plain(enum rx_idcard_doctype type, const char *s, size_t n, char *out)
{
    uint32_t cps[RX_IDCARD_MAX_INPUT];
    size_t count, b = 0, e, len = 0;

    if (n > RX_IDCARD_MAX_INPUT) return RX_IDCARD_ELENGTH;
    if (rx_utf8_check_text(s, n, RX_IDCARD_MAX_INPUT, 0) != RX_UTF8_OK) return RX_IDCARD_ECHARS;
    if (!decode(s, n, cps, RX_IDCARD_MAX_INPUT, &count)) return RX_IDCARD_ECHARS;
    e = count;
    while (b < e && is_space_cp(cps[b]))
        b++;
    while (e > b && is_space_cp(cps[e - 1]))
        e--;
    if (e == b || e - b > RX_IDCARD_DOC_MAX_CP) return RX_IDCARD_ELENGTH;

    for (size_t i = b; i < e; i++) {
        uint32_t c = cps[i];
        if (c >= 'a' && c <= 'z') c -= 'a' - 'A';
        bool alnum = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (type != RX_IDCARD_OTHER && !alnum) return RX_IDCARD_ECHARS;
        if (c == '\t' || c == '\n' || c == '\r') return RX_IDCARD_ECHARS;
        len += rx_utf8_encode(c, out + len); /* out has 4 bytes per input code point */
    }
    out[len] = 0;
    return RX_IDCARD_OK;
}

int rx_idcard_doc_normalize(enum rx_idcard_doctype type, const char *s, size_t n,
                            const struct rx_date *today, char *out, size_t outsz,
                            struct rx_idcard *info)
{
    char tmp[RX_IDCARD_DOC_MAX_CP * 4 + 1];
    struct rx_idcard id;
    int rc;

    if (outsz < RX_IDCARD_BUF_SIZE) return RX_IDCARD_ESIZE;
    switch (type) {
    case RX_IDCARD_RESIDENT_ID:
        rc = rx_idcard_parse(s, n, today, &id);
        if (rc != RX_IDCARD_OK) return rc;
        memcpy(out, id.number, sizeof(id.number));
        if (info) *info = id;
        return RX_IDCARD_OK;
    case RX_IDCARD_HK_MO_TW_RESIDENCE:
    case RX_IDCARD_PASSPORT:
    case RX_IDCARD_OTHER:
        rc = doc_plain(type, s, n, tmp);
        if (rc != RX_IDCARD_OK) return rc;
        memcpy(out, tmp, strlen(tmp) + 1);
        return RX_IDCARD_OK;
    }
    return RX_IDCARD_ETYPE;
}

static bool resident_shape(const char *s, size_t n)
{
    if (n != RX_IDCARD_LEN) return false;
    for (size_t i = 0; i < n; i++) {
        bool digit = s[i] >= '0' && s[i] <= '9';
        if (!digit && !(i == n - 1 && (s[i] == 'X' || s[i] == 'x'))) return false;
    }
    return true;
}

int rx_idcard_mask(const char *s, size_t n, char *out, size_t outsz)
{
    size_t count, pos = 0, len = 0;

    if (outsz < RX_IDCARD_BUF_SIZE) return RX_IDCARD_ESIZE;
    if (n > RX_IDCARD_MAX_INPUT) return RX_IDCARD_ELENGTH;
    if (resident_shape(s, n)) {
        memcpy(out, s, 4);
        memset(out + 4, '*', 10);
        memcpy(out + 14, s + 14, 4);
        out[18] = 0;
        return RX_IDCARD_OK;
    }
    if (rx_utf8_len(s, n, &count) != RX_UTF8_OK) return RX_IDCARD_ECHARS;
    for (size_t i = 0; i < count; i++) {
        size_t start = pos;
        uint32_t cp;
        rx_utf8_next(s, n, &pos, &cp);
        if (count >= 5 && (i < 2 || i >= count - 2)) {
            memcpy(out + len, s + start, pos - start);
            len += pos - start;
        } else {
            out[len++] = '*';
        }
    }
    out[len] = 0;
    return RX_IDCARD_OK;
}

const char *rx_idcard_strerror(int rc)
{
    switch (rc) {
    case RX_IDCARD_OK:
        return "ok";
    case RX_IDCARD_ELENGTH:
        return "id_length";
    case RX_IDCARD_ECHARS:
        return "id_characters";
    case RX_IDCARD_EBIRTH:
        return "id_birth_date";
    case RX_IDCARD_ECHECK:
        return "id_check_digit";
    case RX_IDCARD_ESIZE:
        return "buffer_too_small";
    case RX_IDCARD_ETYPE:
        return "id_document_type";
    }
    return "unknown";
}

static const struct {
    const char *code, *zh, *en;
} doctypes[RX_IDCARD_DOCTYPE_COUNT] = {
    [RX_IDCARD_RESIDENT_ID] = {"resident_id", "居民身份证", "Resident identity card"},
    [RX_IDCARD_HK_MO_TW_RESIDENCE] = {"hk_mo_tw_residence", "港澳台居民居住证",
                                      "Residence permit for Hong Kong, Macao and Taiwan residents"},
    [RX_IDCARD_PASSPORT] = {"passport", "护照", "Passport"},
    [RX_IDCARD_OTHER] = {"other", "其他证件", "Other document"},
};

static bool doctype_ok(enum rx_idcard_doctype t)
{
    return (unsigned)t < RX_IDCARD_DOCTYPE_COUNT;
}

const char *rx_idcard_doctype_code(enum rx_idcard_doctype t)
{
    return doctype_ok(t) ? doctypes[t].code : NULL;
}

const char *rx_idcard_doctype_label_zh(enum rx_idcard_doctype t)
{
    return doctype_ok(t) ? doctypes[t].zh : NULL;
}

const char *rx_idcard_doctype_label_en(enum rx_idcard_doctype t)
{
    return doctype_ok(t) ? doctypes[t].en : NULL;
}

int rx_idcard_doctype_parse(const char *s, size_t n, enum rx_idcard_doctype *out)
{
    for (unsigned i = 0; i < RX_IDCARD_DOCTYPE_COUNT; i++) {
        if (strlen(doctypes[i].code) == n && memcmp(doctypes[i].code, s, n) == 0) {
            *out = (enum rx_idcard_doctype)i;
            return RX_IDCARD_OK;
        }
    }
    return RX_IDCARD_ETYPE;
}
