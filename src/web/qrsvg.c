/* qrsvg.c: QR codes as SVG. libqrencode builds the module matrix; this file
 * only draws it. Presentation attributes (fill, shape-rendering) rather than a
 * style attribute keep it within a CSP without 'unsafe-inline'. */
#include "web/qrsvg.h"

#include <qrencode.h>
#include <string.h>

#include "base/utf8.h"
#include "web/tmpl.h"

int qr_svg(struct buf *out, const char *text, const char *label)
{
	int rc = -1;
	QRcode *qr = NULL;
	if (!text || !label)
		goto fail;
	size_t n = strnlen(text, QR_SVG_MAX_INPUT + 1);
	size_t ln = strnlen(label, QR_SVG_MAX_LABEL + 1);
	if (n == 0 || n > QR_SVG_MAX_INPUT || ln == 0 || ln > QR_SVG_MAX_LABEL ||
	    !utf8_valid(label, ln))
		goto fail;
	/* byte mode throughout: the mixed-mode parser of QRcode_encodeString would
	 * save a few modules at the price of more code paths on untrusted text.
	 * Safe from request threads: Debian builds libqrencode with pthread. */
	qr = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	if (!qr || qr->width < 21 || qr->width > 177)
		goto fail;
	int w = qr->width;
	int size = w + 2 * QR_SVG_QUIET;
	buf_printf(out,
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" "
		   "height=\"%d\" role=\"img\" aria-label=\"",
		   size, size, size * QR_SVG_SCALE, size * QR_SVG_SCALE);
	tmpl_html(out, label);
	buf_printf(out,
		   "\" shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" "
		   "fill=\"#fff\"/><path fill=\"#000\" d=\"",
		   size, size);
	/* bit 0 of each byte is the module's colour; the other bits are libqrencode's
	 * bookkeeping */
	for (int y = 0; y < w; y++) {
		const unsigned char *row = qr->data + (size_t)y * (size_t)w;
		for (int x = 0; x < w;) {
			if (!(row[x] & 1)) {
				x++;
				continue;
			}
			int run = 1;
			while (x + run < w && (row[x + run] & 1))
				run++;
			buf_printf(out, "M%d %dh%dv1h-%dz", x + QR_SVG_QUIET, y + QR_SVG_QUIET, run,
				   run);
			x += run;
		}
	}
	buf_adds(out, "\"/></svg>");
	rc = 0;
fail:
	if (qr)
		QRcode_free(qr);
	return rc;
}
