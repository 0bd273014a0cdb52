/* pdf.h: a small page-description layer over cairo + pango for printable documents (the
 * service record certificate). Coordinates are in millimetres from the top-left corner of an
 * A4 page (210 x 297). Text is UTF-8 laid out by pango with the CJK font fontconfig finds for
 * the family name (fonts-noto-cjk: "Noto Serif CJK SC", "Noto Sans CJK SC"); cairo embeds
 * the glyphs it uses as a font subset, with a ToUnicode map so the text can be extracted.
 *
 * Ownership: rx_pdf_begin returns a document the caller finishes with rx_pdf_end, which
 * frees it whatever happened; the PDF bytes are appended to the caller's buffer as cairo
 * produces them. Calls after an error do nothing; rx_pdf_end reports the first error.
 * Thread-safe in the sense pango is: one document per thread at a time. */
#ifndef RX_PDF_H
#define RX_PDF_H
#include "lib/buf.h"

struct rx_pdf;

enum rx_pdf_align { RX_PDF_LEFT = 0, RX_PDF_CENTER = 1, RX_PDF_RIGHT = 2 };

#define RX_PDF_A4_W 210.0
#define RX_PDF_A4_H 297.0

/* Starts an A4 document writing into out; *pdf is NULL on failure (-1). */
int rx_pdf_begin(struct rx_pdf **pdf, struct rx_buf *out, const char *title);
/* Lays out text at (x, y) wrapped to width mm (0: no wrapping), font "Family [Bold] size"
 * in points (pango's description syntax), aligned within width. Returns the height used in
 * mm (0 after an error). */
double rx_pdf_text(struct rx_pdf *pdf, double x, double y, double width, const char *font,
                   enum rx_pdf_align align, const char *utf8);
/* A line from (x1, y1) to (x2, y2), `w` mm wide. */
void rx_pdf_line(struct rx_pdf *pdf, double x1, double y1, double x2, double y2, double w);
/* A rectangle outline. */
void rx_pdf_rect(struct rx_pdf *pdf, double x, double y, double w, double h, double lw);
/* A QR code for text (byte mode, error correction M) as black squares in a size x size mm
 * square at (x, y), quiet zone of 4 modules included. */
void rx_pdf_qr(struct rx_pdf *pdf, double x, double y, double size, const char *text);
/* Starts a new page. */
void rx_pdf_page(struct rx_pdf *pdf);
/* Finishes the document and frees it. 0 when every byte reached out. */
int rx_pdf_end(struct rx_pdf *pdf);

#endif
