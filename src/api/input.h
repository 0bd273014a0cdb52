/* input.h: reading fields from a JSON request body with clear field errors.
 * Each getter records a field error (rx_field_error) and returns a fallback when the field
 * is missing (if required), of the wrong type, too long, or contains control characters.
 * Handlers read all fields, then call rx_fail_if_field_errors once. Strings returned point
 * into r->json and live as long as the request. The query parameters of common shapes
 * (dates, true/false) are read the same way. */
#ifndef RX_INPUT_H
#define RX_INPUT_H
#include "http/http.h"
#include "lib/timefmt.h"

/* 1 when the body is a JSON object; otherwise answers 400 and returns 0. */
int rx_in_object(struct rx_req *r);
/* Rejects fields not named in `known` (NULL-terminated list) with unknown_field errors. */
void rx_in_only(struct rx_req *r, const char *const *known);
/* Text: trimmed of nothing (display keeps what was typed); 1..max characters (code points). */
const char *rx_in_str(struct rx_req *r, const char *field, int required, int max_chars);
/* Integer in [lo, hi]; `def` when absent and not required. *present (may be NULL) is set. */
int64_t rx_in_int(struct rx_req *r, const char *field, int required, int64_t lo, int64_t hi,
                  int64_t def, int *present);
/* Boolean; def when absent. */
int rx_in_bool(struct rx_req *r, const char *field, int def);
/* 1 when the field is present (even as null). */
int rx_in_has(struct rx_req *r, const char *field);
/* A YYYY-MM-DD date: text as rx_in_str reads it (at most max_chars), then "invalid_date"
 * unless it is a real date. Returns the text (NULL when absent, null or bad) and, when d is
 * not NULL, the date in *d. */
const char *rx_in_date(struct rx_req *r, const char *field, int required, int max_chars,
                       struct rx_date *d);

/* Query parameter `name` as a YYYY-MM-DD date into *d: 0 when absent, 1 when valid, -1 when
 * not ("invalid_date" recorded). */
int rx_query_date(struct rx_req *r, const char *name, struct rx_date *d);
/* Query parameter `name` as "true" (1) or "false" (0); -1 when absent, and -1 with an
 * "invalid" field error for anything else. */
int rx_query_bool(struct rx_req *r, const char *name);

#endif
