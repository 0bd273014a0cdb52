/* csvout.c: see csvout.h. */
#include "lib/csvout.h"
#include <string.h>

void rx_csvout_bom(struct rx_buf *out)
{
    rx_buf_puts(out, RX_CSVOUT_BOM);
}

int rx_csvout_risky(const char *s, size_t n)
{
    return n > 0 && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
                     s[0] == '\r');
}

void rx_csvout_text(struct rx_buf *out, const char *s, int first)
{
    size_t n = s ? strlen(s) : 0;
    if (!first) rx_buf_putc(out, ',');
    int quote = 0;
    for (size_t i = 0; i < n && !quote; i++)
        /* a TAB too: a one-column file whose first line holds a tab and no comma would be
         * read as tab-separated (ours does, and so does Excel's sniffing) */
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n' || s[i] == '\t';
    if (quote) rx_buf_putc(out, '"');
    if (rx_csvout_risky(s, n)) rx_buf_putc(out, '\'');
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '"') continue;
        rx_buf_append(out, s + from, i + 1 - from); /* through the quote, then double it */
        rx_buf_putc(out, '"');
        from = i + 1;
    }
    rx_buf_append(out, s + from, n - from);
    if (quote) rx_buf_putc(out, '"');
}

void rx_csvout_number(struct rx_buf *out, const char *num, int first)
{
    if (!first) rx_buf_putc(out, ',');
    if (num) rx_buf_puts(out, num);
}

void rx_csvout_eol(struct rx_buf *out)
{
    rx_buf_append(out, "\r\n", 2);
}
