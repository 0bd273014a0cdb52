/* name.h: the comparison form of a person's name, so that duplicates are found however the
 * name was typed. The display form is always what the person entered; only this key is
 * normalised.
 *
 * Steps: reject what is not a name (invalid UTF-8, control characters, line breaks, tabs,
 * more than RX_NAME_MAX_CP code points); Unicode NFKC with case folding and default-ignorable
 * characters (zero-width spaces, joiners, bidi controls) removed; whitespace of any kind
 * (U+3000 included) trimmed and collapsed to one space; middle-dot variants (· • ・ ‧ ･ ⋅ ∙)
 * unified to U+00B7, and an ASCII '.' between two Han characters read as one too; no space
 * kept next to a middle dot or between two Han characters. So "施 杰" == "施杰",
 * "艾克拜尔 • 米吉提" == "艾克拜尔·米吉提", "ＪＯＨＮ  Smith" == "john smith".
 *
 * Output goes into a caller buffer; nothing is allocated. */
#ifndef RX_NAME_H
#define RX_NAME_H
#include <stdbool.h>
#include <stddef.h>

enum rx_name_status {
    RX_NAME_OK = 0,
    RX_NAME_EUTF8 = 1,    /* not valid UTF-8 */
    RX_NAME_ECONTROL = 2, /* a control character, NUL, tab or line break */
    RX_NAME_ETOOLONG = 3, /* more than RX_NAME_MAX_CP code points, before or after NFKC */
    RX_NAME_EEMPTY = 4,   /* nothing left after trimming */
    RX_NAME_ESIZE = 5,    /* output buffer too small */
};

#define RX_NAME_MAX_CP 64                     /* code points of input and of the key */
#define RX_NAME_SIZE (RX_NAME_MAX_CP * 4 + 1) /* buffer that fits any key and its NUL */

/* Writes the comparison key of s[0..n) into out (NUL-terminated, valid UTF-8) and its length
 * in bytes to *outlen (if not NULL). out needs RX_NAME_SIZE bytes to be safe for any input;
 * a smaller buffer gets RX_NAME_ESIZE when the key does not fit. */
int rx_name_normalize(const char *s, size_t n, char *out, size_t outsz, size_t *outlen);

/* *eq = whether two names have the same key. Returns the first error of either name. */
int rx_name_equal(const char *a, size_t an, const char *b, size_t bn, bool *eq);

/* True for code points in the CJK Unified Ideographs blocks (U+4E00..9FFF, extension A
 * U+3400..4DBF, extensions B.. U+20000..323AF) and compatibility ideographs U+F900..FAFF. */
bool rx_name_is_han(unsigned long cp);

/* Stable machine code of a status for API errors, e.g. "name_too_long". */
const char *rx_name_strerror(int rc);

#endif
