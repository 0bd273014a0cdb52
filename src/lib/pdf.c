/* pdf.c: see pdf.h. cairo works in points; everything here takes millimetres. */
#include "lib/pdf.h"
#include "lib/alloc.h"
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <string.h>

#define MM (72.0 / 25.4)

struct rx_pdf {
    cairo_surface_t *surface; /* the PDF being written */
    cairo_t *cr;              /* drawing context on it */
    struct rx_buf *out;       /* where the bytes go (the caller's) */
    int err;                  /* first failure, sticky */
};

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int len)
{
    struct rx_pdf *p = closure;
    if (rx_buf_append(p->out, data, len)) {
        p->err = 1;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

int rx_pdf_begin(struct rx_pdf **pdf, struct rx_buf *out, const char *title)
{
    struct rx_pdf *p = rx_calloc(1, sizeof *p);
    *pdf = NULL;
    if (!p) return -1;
    p->out = out;
    p->surface = cairo_pdf_surface_create_for_stream(write_out, p, RX_PDF_A4_W * MM, RX_PDF_A4_H * MM);
    if (cairo_surface_status(p->surface) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(p->surface);
        rx_free(p);
        return -1;
    }
    if (title) cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATOR, "rexin");
    p->cr = cairo_create(p->surface);
    if (cairo_status(p->cr) != CAIRO_STATUS_SUCCESS) {
        cairo_destroy(p->cr);
        cairo_surface_destroy(p->surface);
        rx_free(p);
        return -1;
    }
    cairo_scale(p->cr, MM, MM); /* from here on, user units are millimetres */
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    *pdf = p;
    return 0;
}

static int ok(struct rx_pdf *p)
{
    if (p->err) return 0;
    if (cairo_status(p->cr) != CAIRO_STATUS_SUCCESS) p->err = 1;
    return !p->err;
}

double rx_pdf_text(struct rx_pdf *p, double x, double y, double width, const char *font,
                   enum rx_pdf_align align, const char *utf8)
{
    if (!ok(p) || !utf8) return 0;
    PangoLayout *layout = pango_cairo_create_layout(p->cr);
    if (!layout) {
        p->err = 1;
        return 0;
    }
    PangoFontDescription *fd = pango_font_description_from_string(font);
    /* Sizes are points on paper, but the context is scaled to mm: convert. */
    if (pango_font_description_get_size(fd) > 0)
        pango_font_description_set_absolute_size(
            fd, pango_font_description_get_size(fd) / MM);
    pango_layout_set_font_description(layout, fd);
    pango_font_description_free(fd);
    if (width > 0) {
        pango_layout_set_width(layout, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
        pango_layout_set_alignment(layout, align == RX_PDF_CENTER  ? PANGO_ALIGN_CENTER
                                           : align == RX_PDF_RIGHT ? PANGO_ALIGN_RIGHT
                                                                   : PANGO_ALIGN_LEFT);
    }
    pango_layout_set_text(layout, utf8, -1);
    int w, h;
    pango_layout_get_size(layout, &w, &h);
    cairo_move_to(p->cr, x, y);
    pango_cairo_show_layout(p->cr, layout);
    g_object_unref(layout);
    ok(p);
    return (double)h / PANGO_SCALE;
}

void rx_pdf_line(struct rx_pdf *p, double x1, double y1, double x2, double y2, double w)
{
    if (!ok(p)) return;
    cairo_set_line_width(p->cr, w);
    cairo_move_to(p->cr, x1, y1);
    cairo_line_to(p->cr, x2, y2);
    cairo_stroke(p->cr);
}

void rx_pdf_rect(struct rx_pdf *p, double x, double y, double w, double h, double lw)
{
    if (!ok(p)) return;
    cairo_set_line_width(p->cr, lw);
    cairo_rectangle(p->cr, x, y, w, h);
    cairo_stroke(p->cr);
}

void rx_pdf_qr(struct rx_pdf *p, double x, double y, double size, const char *text)
{
    if (!ok(p) || !text) return;
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q) {
        p->err = 1;
        return;
    }
    int n = q->width, quiet = 4;
    double m = size / (n + 2 * quiet);
    cairo_save(p->cr);
    cairo_set_source_rgb(p->cr, 1, 1, 1);
    cairo_rectangle(p->cr, x, y, size, size);
    cairo_fill(p->cr);
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    for (int r = 0; r < n; r++)
        for (int c = 0; c < n; c++)
            if (q->data[r * n + c] & 1)
                cairo_rectangle(p->cr, x + (c + quiet) * m, y + (r + quiet) * m, m, m);
    cairo_fill(p->cr);
    cairo_restore(p->cr);
    QRcode_free(q);
    ok(p);
}

void rx_pdf_page(struct rx_pdf *p)
{
    if (!ok(p)) return;
    cairo_show_page(p->cr);
}

int rx_pdf_end(struct rx_pdf *p)
{
    if (!p) return -1;
    ok(p);
    cairo_destroy(p->cr);
    cairo_surface_finish(p->surface);
    if (cairo_surface_status(p->surface) != CAIRO_STATUS_SUCCESS) p->err = 1;
    cairo_surface_destroy(p->surface);
    int err = p->err;
    rx_free(p);
    return err ? -1 : 0;
}
