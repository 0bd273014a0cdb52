/* star.c: see star.h. The parser is hand-written rather than strtol-based so that what is
 * accepted is exactly digits: strtol would take "+100", " 0x64" and locale-dependent forms. */
#include "domain/star.h"
#include <stdbool.h>

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

int rx_star_parse(const char *s, size_t n, struct rx_star_config *cfg)
{
    struct rx_star_config c = {0};
    size_t i = 0;

    if (n > RX_STAR_MAX_INPUT) return RX_STAR_ESYNTAX;
    for (;;) {
        int64_t v = 0;
        size_t digits = 0;
        while (i < n && is_blank(s[i]))
            i++;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            if (v <= RX_STAR_MAX_HOURS) v = v * 10 + (s[i] - '0'); /* saturates above */
            digits++, i++;
        }
        while (i < n && is_blank(s[i]))
            i++;
        if (digits == 0) {
            if (i == n && c.count == 0) return RX_STAR_ECOUNT; /* empty or blank config */
            return RX_STAR_ESYNTAX;
        }
        if (i < n && s[i] != ',') return RX_STAR_ESYNTAX;
        if (v == 0 || v > RX_STAR_MAX_HOURS) return RX_STAR_ERANGE;
        if (c.count == RX_STAR_MAX_LEVELS) return RX_STAR_ECOUNT;
        if (c.count > 0 && v <= c.hours[c.count - 1]) return RX_STAR_EORDER;
        c.hours[c.count++] = (int32_t)v;
        if (i == n) break;
        i++; /* the comma */
    }
    *cfg = c;
    return RX_STAR_OK;
}

int rx_star_level(const struct rx_star_config *cfg, int64_t minutes, struct rx_star_result *out)
{
    int level = 0;

    if (cfg->count < 1 || cfg->count > RX_STAR_MAX_LEVELS) return RX_STAR_ECOUNT;
    if (minutes < 0) return RX_STAR_ERANGE;
    while (level < cfg->count && minutes >= (int64_t)cfg->hours[level] * 60)
        level++;
    out->level = level;
    out->minutes_to_next = level < cfg->count ? (int64_t)cfg->hours[level] * 60 - minutes : 0;
    return RX_STAR_OK;
}
