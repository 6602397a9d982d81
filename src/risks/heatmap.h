/* heatmap.h: the heat map of a risk register drawn as SVG on the server
 * (web/svg.h): the matrix grid with likelihood up and impact to the right,
 * each cell filled with its band's colour and the number of risks in it,
 * the axis labels, and a text alternative (<title>, <desc>, role="img",
 * aria-labelledby) so that a screen reader announces what it shows. The
 * pages put an accessible data table with the same numbers beside it; the
 * colours are never the only signal (each cell's <title> names its band). */
#ifndef RISKS_HEATMAP_H
#define RISKS_HEATMAP_H
#include "base/buf.h"
#include "risks/matrix.h"
#include "risks/risks.h"

struct risks_heat_words {
	const char *title;      /* "Heat map of the residual risks of Financiën" */
	const char *desc;       /* what it shows, in a sentence or two */
	const char *likelihood; /* axis titles */
	const char *impact;
	/* a cell's tooltip: "likelihood {l}, impact {i}: {n} risks, band {b}",
	 * placeholders filled here */
	const char *cell;
	const char *id;         /* prefix for element ids, [a-z0-9-], unique in the page */
};

/* Appends the <svg> element (standalone 1: an XML declaration first, for
 * the image served on its own). Returns 0, or -1 (nothing usable). */
int risks_heatmap_svg(struct buf *out, const struct risks_matrix *m,
		      const struct risks_heat *h, const struct risks_heat_words *w,
		      int standalone);

#endif
