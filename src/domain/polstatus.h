/* polstatus.h: political status (政治面貌) per GB/T 4762, as people write it on forms and in
 * spreadsheets. rexin stores the two-digit code ('01' 中共党员 ... '13' 群众), plus the generic
 * code "democratic_party" for a member of one of the eight democratic parties when the sheet
 * does not say which (民主党派 / 民主党派成员).
 *
 * Pure table look-ups; the strings returned are static. */
#ifndef RX_POLSTATUS_H
#define RX_POLSTATUS_H
#include <stdbool.h>
#include <stddef.h>

#define RX_POLSTATUS_CPC "01"          /* 中共党员 */
#define RX_POLSTATUS_PROBATIONARY "02" /* 中共预备党员 */
#define RX_POLSTATUS_DEMOCRATIC "democratic_party"

/* Finds the code for s[0..n): a code ("01", also "1"), the Chinese name or a short form
 * ("中共党员", "党员", "团员", "民盟盟员", "民主党派" ...) or the English key
 * ("cpc_member", "masses" ...). Surrounding whitespace is ignored. NULL when unknown. */
const char *rx_polstatus_parse(const char *s, size_t n);

/* Chinese and English names of a stored code; NULL for an unknown code. */
const char *rx_polstatus_name_zh(const char *code);
const char *rx_polstatus_name_en(const char *code);

/* True for 01 and 02 (members and probationary members of the CPC). */
bool rx_polstatus_is_cpc(const char *code);

#endif
