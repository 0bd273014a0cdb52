/* internal.h: pieces of server.c that the fuzzers (fuzz/) and unit tests call directly, so
 * they exercise the server's own code rather than a copy of it. Not for handlers. */
#ifndef RX_HTTP_INTERNAL_H
#define RX_HTTP_INTERNAL_H
#include <jansson.h>

/* Deepest nesting the server accepts in a JSON request body (the top level counts as 1). */
extern const int rx_http_max_json_depth;

/* Nesting depth of a parsed body as the server measures it before any handler runs; stops
 * descending once past rx_http_max_json_depth, so it costs little on hostile input. */
int rx_http_json_depth(json_t *j);

#endif
