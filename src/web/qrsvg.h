/* qrsvg.h: a QR code as an inline SVG element, so that a page can show one
 * without JavaScript, images on disk or inline styles (the CSP forbids them). */
#ifndef WEB_QRSVG_H
#define WEB_QRSVG_H
#include "base/buf.h"

#define QR_SVG_MAX_INPUT 512   /* bytes; a TOTP URI needs about 120 */
#define QR_SVG_MAX_LABEL 256   /* bytes of UTF-8 */
#define QR_SVG_QUIET 4         /* modules of white border, as ISO/IEC 18004 asks */
#define QR_SVG_SCALE 4         /* CSS pixels per module for width and height */

/* Appends to out an <svg> element showing text (1..QR_SVG_MAX_INPUT bytes) as a
 * QR code: byte mode, error correction level M, the smallest version that holds
 * it. label (1..QR_SVG_MAX_LABEL bytes of UTF-8) becomes the element's escaped
 * aria-label, its name for screen readers. Dark modules are one <path>, with
 * horizontal runs merged. The output is a function of text and label alone.
 * Returns 0, or -1 with out unchanged. */
int qr_svg(struct buf *out, const char *text, const char *label);

#endif
