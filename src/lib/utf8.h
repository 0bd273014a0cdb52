/* utf8.h: strict UTF-8 checks for text that comes from outside (request bodies, imports).
 *
 * "Strict" is the Unicode definition (Table 3-7): no overlong forms, no UTF-16 surrogates
 * (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequences. U+0000 is valid UTF-8,
 * so a NUL byte passes rx_utf8_valid; rx_utf8_has_control and rx_utf8_check_text catch it.
 *
 * Nothing here allocates; all functions read the n bytes they are given and nothing more
 * (the input need not be NUL-terminated). */
#ifndef RX_UTF8_H
#define RX_UTF8_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Status codes of rx_utf8_len, rx_utf8_next and rx_utf8_check_text. */
enum rx_utf8_status {
    RX_UTF8_OK = 0,
    RX_UTF8_EINVAL = 1,   /* not valid UTF-8 */
    RX_UTF8_ECONTROL = 2, /* contains a control character */
    RX_UTF8_ETOOLONG = 3, /* more code points than allowed */
};

/* Flags of rx_utf8_check_text. */
enum {
    RX_UTF8_SINGLE_LINE = 1, /* also reject \t, \n and \r (names, titles, phone numbers) */
};

/* True when s[0..n) is strict UTF-8. */
bool rx_utf8_valid(const char *s, size_t n);

/* Decodes the code point starting at s[*pos] into *cp and advances *pos past it.
 * Returns RX_UTF8_EINVAL (and leaves *pos alone) at an invalid or truncated sequence, or
 * when *pos >= n. */
int rx_utf8_next(const char *s, size_t n, size_t *pos, uint32_t *cp);

/* Number of code points of s[0..n) in *count; RX_UTF8_EINVAL if s is not strict UTF-8. */
int rx_utf8_len(const char *s, size_t n, size_t *count);

/* True when s[0..n) contains a control character: C0 (U+0000..U+001F) other than \t \n \r,
 * DEL (U+007F), or C1 (U+0080..U+009F). It scans bytes (C1 is the pair C2 80..C2 9F in
 * UTF-8), so it gives the same answer on invalid input as on the valid parts of it. */
bool rx_utf8_has_control(const char *s, size_t n);

/* The check every free-text field goes through: strict UTF-8, no control characters
 * (with RX_UTF8_SINGLE_LINE, no \t \n \r either), at most max_cp code points. Returns the
 * first failing status in that order, RX_UTF8_OK otherwise. */
int rx_utf8_check_text(const char *s, size_t n, size_t max_cp, unsigned flags);

/* Writes the UTF-8 form of cp (which must be a Unicode scalar value) to out, which has room
 * for 4 bytes, and returns the number of bytes written (1..4), or 0 if cp is a surrogate or
 * above U+10FFFF. */
size_t rx_utf8_encode(uint32_t cp, char out[4]);

#endif
