/* timefmt.c: RFC 3339 times and dates (src/lib/timefmt.c). Properties:
 *   - text that parses formats back (at its own offset) to text that parses to the same
 *     instant and offset, and to the very same text when it was already in canonical form
 *     (upper-case T, no fraction, Z for +00:00);
 *   - a date that parses formats back to the same ten characters, and its day number maps
 *     back to it;
 *   - any instant in range and any offset within a day format to text that parses back to
 *     them (the input also supplies those numbers);
 *   - ages are never negative. */
#include "fuzzutil.h"
#include "lib/timefmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    int64_t t, t2;
    int off, off2;
    char buf[RX_TIMEFMT_RFC3339_SIZE], dbuf[RX_TIMEFMT_DATE_SIZE];

    if (rx_timefmt_parse(s, size, &t, &off) == RX_TIMEFMT_OK) {
        FZ_CHECK(off > -1440 && off < 1440, "offset %d", off);
        FZ_CHECK(rx_timefmt_format(t, off, buf, sizeof buf) == 0, "cannot format %lld", (long long)t);
        FZ_CHECK(rx_timefmt_parse(buf, strlen(buf), &t2, &off2) == 0 && t2 == t && off2 == off,
                 "%.*s -> %s -> %lld", (int)size, s, buf, (long long)t2);
        int canonical = s[10] == 'T' && s[19] != '.' && (off == 0 ? s[19] == 'Z' : 1);
        if (canonical)
            FZ_CHECK(strlen(buf) == size && memcmp(buf, s, size) == 0, "%.*s formats as %s",
                     (int)size, s, buf);
        FZ_CHECK(rx_timefmt_format(t, off, buf, sizeof buf - 1) == RX_TIMEFMT_ESIZE, "no ESIZE");
    }

    struct rx_date d, d2;
    if (size >= 10 && rx_timefmt_date_parse(s, 10, &d) == RX_TIMEFMT_OK) {
        FZ_CHECK(rx_timefmt_date_valid(d.year, d.month, d.day), "invalid date accepted");
        FZ_CHECK(rx_timefmt_date_format(&d, dbuf, sizeof dbuf) == 0 && memcmp(dbuf, s, 10) == 0,
                 "%.10s formats as %s", s, dbuf);
        int64_t days = rx_timefmt_date_to_days(&d);
        FZ_CHECK(rx_timefmt_date_from_days(days, &d2) == 0 && rx_timefmt_date_cmp(&d, &d2) == 0,
                 "day number %lld", (long long)days);
        if (size >= 20 && rx_timefmt_date_parse(s + 10, 10, &d2) == RX_TIMEFMT_OK) {
            int years = -1;
            int rc = rx_timefmt_age(&d, &d2, &years);
            if (rx_timefmt_date_cmp(&d2, &d) >= 0)
                FZ_CHECK(rc == 0 && years >= 0 && years <= d2.year - d.year, "age %d", years);
            else FZ_CHECK(rc == RX_TIMEFMT_ERANGE, "age before birth: rc %d", rc);
        }
    }

    /* numbers from the input: instant and offset */
    struct fz_in in = {data, size};
    int64_t u = (int64_t)fz_u64(&in);
    int o = (int)(fz_u64(&in) % 2879) - 1439;
    /* fold u into years 0001..9999 */
    const int64_t lo = -62135596800LL, hi = 253402300799LL;
    u = lo + (int64_t)((uint64_t)u % (uint64_t)(hi - lo + 1));
    int rc = rx_timefmt_format(u, o, buf, sizeof buf);
    if (rc == RX_TIMEFMT_OK) {
        int prc = rx_timefmt_parse(buf, strlen(buf), &t2, &off2);
        /* near the ends the local date may leave 0001..9999: then parsing says ERANGE */
        if (prc == RX_TIMEFMT_OK) FZ_CHECK(t2 == u && off2 == o, "%lld %d -> %s", (long long)u, o, buf);
    }
    struct rx_date at;
    if (rx_timefmt_date_at(u, o, &at) == RX_TIMEFMT_OK)
        FZ_CHECK(rx_timefmt_date_valid(at.year, at.month, at.day), "date_at invalid");
    return 0;
}
