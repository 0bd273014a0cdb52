/* log.h: one line per event on stderr, `ts=... level=... msg="..." key=value ...` (logfmt),
 * written with a single write(2) so lines from threads never interleave. */
#ifndef RX_LOG_H
#define RX_LOG_H

enum rx_log_level { RX_LOG_DEBUG, RX_LOG_INFO, RX_LOG_WARN, RX_LOG_ERROR };

/* Lines below this level are dropped; set once at start-up by main.c. */
void rx_log_set_level(enum rx_log_level l);
/* fmt produces the rest of the line after ts and level (logfmt pairs). */
void rx_log(enum rx_log_level l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define rx_info(...) rx_log(RX_LOG_INFO, __VA_ARGS__)
#define rx_warn(...) rx_log(RX_LOG_WARN, __VA_ARGS__)
#define rx_error(...) rx_log(RX_LOG_ERROR, __VA_ARGS__)

#endif
