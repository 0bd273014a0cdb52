/* idcard.h: identity documents of a person: the kinds rexin records, the GB 11643 rules of
 * the 18-character 居民身份证 number, and masking for display.
 *
 * A resident ID is 6 digits of region, 8 of birth date (YYYYMMDD), 3 of sequence (the last
 * odd for men, even for women) and a check character over the first 17 (ISO 7064 MOD 11-2:
 * weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, sum mod 11 indexes "10X98765432"). Parsing
 * tells the API precisely what is wrong: length, characters, birth date, or check character,
 * checked in that order. Only resident IDs get these checks; other documents are checked as
 * plain text (rx_idcard_doc_normalize).
 *
 * Everything is pure and writes into caller memory; nothing is allocated. Numbers are
 * personal data: callers must not log what passes through here. */
#ifndef RX_IDCARD_H
#define RX_IDCARD_H
#include <stddef.h>
#include "lib/timefmt.h"

enum rx_idcard_status {
    RX_IDCARD_OK = 0,
    RX_IDCARD_ELENGTH = 1, /* not 18 characters (resident ID), empty or too long (others) */
    RX_IDCARD_ECHARS = 2,  /* a character that cannot be there (or invalid UTF-8) */
    RX_IDCARD_EBIRTH = 3,  /* birth date not a real date, before 1900, or after today */
    RX_IDCARD_ECHECK = 4,  /* check character does not match the first 17 digits */
    RX_IDCARD_ESIZE = 5,   /* output buffer too small */
    RX_IDCARD_ETYPE = 6,   /* unknown document type */
};

/* Document types, stored and sent as their codes (rx_idcard_doctype_code). */
enum rx_idcard_doctype {
    RX_IDCARD_RESIDENT_ID = 0,        /* "resident_id", 居民身份证 */
    RX_IDCARD_HK_MO_TW_RESIDENCE = 1, /* "hk_mo_tw_residence", 港澳台居民居住证 */
    RX_IDCARD_PASSPORT = 2,           /* "passport", 护照 */
    RX_IDCARD_OTHER = 3,              /* "other", 其他证件 */
};
#define RX_IDCARD_DOCTYPE_COUNT 4

#define RX_IDCARD_LEN 18        /* characters of a resident ID */
#define RX_IDCARD_MAX_INPUT 128 /* bytes of raw input considered at all; more is ELENGTH */
#define RX_IDCARD_DOC_MAX_CP 32 /* code points of a normalised non-resident document number */
#define RX_IDCARD_BUF_SIZE 129  /* RX_IDCARD_MAX_INPUT + NUL: fits any normalised number or mask */

/* What a valid resident ID says. */
struct rx_idcard {
    char number[RX_IDCARD_LEN + 1];   /* normalised: ASCII digits, upper-case X, NUL-terminated */
    char birth[RX_TIMEFMT_DATE_SIZE]; /* "YYYY-MM-DD" */
    struct rx_date birth_date;        /* the same date as numbers */
    char sex;                         /* 'M' (digit 17 odd) or 'F' */
};

/* Validates a resident ID number s[0..n) and fills *out (only on success).
 * Normalisation before the checks: whitespace anywhere (space, tab, CR, LF, U+3000) is removed,
 * full-width digits and X (as typed on Chinese phone keyboards) become ASCII, a final x
 * becomes X. `today` is the current date in Beijing (rx_timefmt_date_at); a birth date after
 * it is RX_IDCARD_EBIRTH. With today NULL the future check is skipped. */
int rx_idcard_parse(const char *s, size_t n, const struct rx_date *today, struct rx_idcard *out);

/* The check character ('0'..'9' or 'X') for 17 ASCII digits; 0 if any is not a digit. */
char rx_idcard_check_char(const char digits17[17]);

/* Validates and normalises a document number of the given type into out (NUL-terminated).
 * resident_id: rx_idcard_parse, and *info (if not NULL) is filled.
 * hk_mo_tw_residence, passport: leading/trailing whitespace trimmed, ASCII letters
 *   upper-cased, then only ASCII letters and digits, 1..RX_IDCARD_DOC_MAX_CP of them.
 * other: trimmed, ASCII letters upper-cased, single-line text without control characters,
 *   1..RX_IDCARD_DOC_MAX_CP code points.
 * out needs RX_IDCARD_BUF_SIZE bytes. */
int rx_idcard_doc_normalize(enum rx_idcard_doctype type, const char *s, size_t n,
                            const struct rx_date *today, char *out, size_t outsz,
                            struct rx_idcard *info);

/* Masks a (normalised) document number for display into out (NUL-terminated):
 * an 18-character resident-ID-shaped number keeps its first 4 and last 4 characters
 * ("4101**********123X"); anything else keeps its first 2 and last 2 code points with one
 * '*' per hidden code point ("E1*****78"), and is all asterisks below 5 code points.
 * s must be valid UTF-8 of at most RX_IDCARD_MAX_INPUT bytes; out needs
 * RX_IDCARD_BUF_SIZE bytes. */
int rx_idcard_mask(const char *s, size_t n, char *out, size_t outsz);

/* Stable machine code of a status for API errors, e.g. "id_check_digit". */
const char *rx_idcard_strerror(int rc);

/* Code ("resident_id" ...), Chinese label ("居民身份证" ...) and English label of a type;
 * static strings, NULL for an out-of-range value. */
const char *rx_idcard_doctype_code(enum rx_idcard_doctype t);
const char *rx_idcard_doctype_label_zh(enum rx_idcard_doctype t);
const char *rx_idcard_doctype_label_en(enum rx_idcard_doctype t);
/* Parses a code (exact match) into *out; RX_IDCARD_ETYPE if unknown. */
int rx_idcard_doctype_parse(const char *s, size_t n, enum rx_idcard_doctype *out);

#endif
