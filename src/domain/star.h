/* star.h: star volunteer levels (星级志愿者) from cumulative confirmed service time.
 *
 * Thresholds are configuration: a comma-separated list of whole hours, strictly increasing,
 * 1..RX_STAR_MAX_LEVELS of them ("100,300,600,1000,1500" nationally, "100,200,500,800,1000"
 * in Beijing). Level k means at least thresholds[k-1] hours; level 0 is below the first.
 * Pure; the config struct is a plain value the caller owns. */
#ifndef RX_STAR_H
#define RX_STAR_H
#include <stddef.h>
#include <stdint.h>

enum rx_star_status {
    RX_STAR_OK = 0,
    RX_STAR_ESYNTAX = 1, /* not a list of positive whole numbers, or too long */
    RX_STAR_ECOUNT = 2,  /* no thresholds, or more than RX_STAR_MAX_LEVELS */
    RX_STAR_EORDER = 3,  /* not strictly increasing */
    RX_STAR_ERANGE = 4,  /* a threshold of 0 or above RX_STAR_MAX_HOURS, or negative minutes */
};

#define RX_STAR_MAX_LEVELS 10
#define RX_STAR_MAX_HOURS 1000000 /* a million hours: a generous sanity bound */
#define RX_STAR_MAX_INPUT 256     /* bytes of config text */
#define RX_STAR_NATIONAL "100,300,600,1000,1500"
#define RX_STAR_BEIJING "100,200,500,800,1000"

struct rx_star_config {
    int count;                         /* number of levels, 1..RX_STAR_MAX_LEVELS */
    int32_t hours[RX_STAR_MAX_LEVELS]; /* hours[i]: hours needed for level i + 1 */
};

struct rx_star_result {
    int level;               /* 0..count */
    int64_t minutes_to_next; /* minutes still needed for level + 1; 0 at the top level */
};

/* Parses s[0..n) into *cfg (written only on success). ASCII spaces and tabs around numbers
 * are allowed; empty items, signs, decimals and anything else are RX_STAR_ESYNTAX. */
int rx_star_parse(const char *s, size_t n, struct rx_star_config *cfg);

/* The level reached with `minutes` of confirmed service (>= 0). */
int rx_star_level(const struct rx_star_config *cfg, int64_t minutes, struct rx_star_result *out);

#endif
