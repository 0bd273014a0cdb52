/* csvout.h: writing CSV that Excel opens correctly in Chinese and that cannot run formulas.
 *
 * - UTF-8 with a byte order mark (rx_csvout_bom, once at the start): without it Excel on
 *   Chinese Windows reads the file as GBK and shows mojibake.
 * - RFC 4180: fields separated by commas, rows ended by CRLF; a field holding a comma, a
 *   quote, CR, LF or TAB is quoted, with quotes doubled (TAB so that no reader takes a
 *   one-column file for tab-separated).
 * - Formula injection (CSV injection) neutralised: a field starting with = + - @ TAB or CR is
 *   prefixed with an apostrophe, so a name like "=HYPERLINK(...)" stays text. Numbers the
 *   caller writes itself with rx_csvout_number are not touched (a negative number is data).
 * Appends to the caller's buffer; buffer errors are sticky in the buffer (rx_buf). */
#ifndef RX_CSVOUT_H
#define RX_CSVOUT_H
#include "lib/buf.h"
#include <stddef.h>

#define RX_CSVOUT_BOM "\xEF\xBB\xBF"

void rx_csvout_bom(struct rx_buf *out);
/* 1 when a text cell starting like s would be read as a formula by a spreadsheet. */
int rx_csvout_risky(const char *s, size_t n);
/* Appends one text field (s may be NULL: empty); `first` = 1 for the first field of a row. */
void rx_csvout_text(struct rx_buf *out, const char *s, int first);
/* Appends a field written as is (the caller's own number text, e.g. "12.5" or "-3"). */
void rx_csvout_number(struct rx_buf *out, const char *num, int first);
/* Ends the row (CRLF). */
void rx_csvout_eol(struct rx_buf *out);

#endif
