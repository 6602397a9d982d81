/* heatmap.c: the heat map as SVG (heatmap.h). Pure apart from the buffer. */
#include "risks/heatmap.h"

#include <stdio.h>
#include <string.h>

#include "web/svg.h"

#define CELL 72
#define TOP 16
#define TICK_FONT 14  /* level names: legible without zooming at scale 1 */
/* A level name's advance per character, an upper bound for sans-serif at
 * TICK_FONT, so that the margins fit the longest name without measuring. */
#define CHAR_W 8

/* Characters of the longest "N name" among n level names, at least 4. */
static int longest(const char (*names)[RISKS_NAME_MAX + 1], int n)
{
	size_t max = 4;
	for (int k = 0; k < n; k++) {
		size_t len = 3 + strlen(names[k]);
		if (len > max)
			max = len;
	}
	return max > 60 ? 60 : (int)max;
}

/* w->cell with {l} {i} {n} {b} filled (one pass, so a band's name that holds
 * "{n}" stays as it is). */
static void cell_words(const char *tmpl, int l, int i, int n, const char *band, char *out,
		       size_t cap)
{
	size_t used = 0;
	out[0] = 0;
	while (tmpl && *tmpl && used + 1 < cap) {
		char num[16];
		const char *val = NULL;
		if (strncmp(tmpl, "{l}", 3) == 0)
			snprintf(num, sizeof num, "%d", l), val = num;
		else if (strncmp(tmpl, "{i}", 3) == 0)
			snprintf(num, sizeof num, "%d", i), val = num;
		else if (strncmp(tmpl, "{n}", 3) == 0)
			snprintf(num, sizeof num, "%d", n), val = num;
		else if (strncmp(tmpl, "{b}", 3) == 0)
			val = band;
		if (val) {
			int k = snprintf(out + used, cap - used, "%s", val);
			used += k > 0 ? (size_t)k : 0;
			if (used >= cap)
				used = cap - 1;
			tmpl += 3;
		} else {
			out[used++] = *tmpl++;
			out[used] = 0;
		}
	}
}

int risks_heatmap_svg(struct buf *out, const struct risks_matrix *m,
		      const struct risks_heat *h, const struct risks_heat_words *w,
		      int standalone)
{
	struct svg s;
	char id_title[64], id_desc[64], labelled[140], num[16], tip[400];
	if (m->nlikelihood < RISKS_LEVELS_MIN || m->nlikelihood > RISKS_LEVELS_MAX ||
	    m->nimpact < RISKS_LEVELS_MIN || m->nimpact > RISKS_LEVELS_MAX)
		return -1;
	/* the margins follow the names: room for the likelihood names beside the
	 * grid and the axis title, and for the impact names written slanted at
	 * 35 degrees (sin 35 is about 0.57) with the axis title under them */
	const int left = 40 + longest(m->likelihood, m->nlikelihood) * CHAR_W;
	const int bottom = 48 + longest(m->impact, m->nimpact) * CHAR_W * 57 / 100;
	int width = left + m->nimpact * CELL + 16, height = TOP + m->nlikelihood * CELL + bottom;
	snprintf(id_title, sizeof id_title, "%s-title", w->id);
	snprintf(id_desc, sizeof id_desc, "%s-desc", w->id);
	snprintf(labelled, sizeof labelled, "%s %s", id_title, id_desc);
	if (standalone)
		buf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	svg_begin(&s, out);
	svg_open(&s, "svg");
	svg_attr(&s, "xmlns", "http://www.w3.org/2000/svg");
	svg_attr(&s, "role", "img");
	svg_attr(&s, "aria-labelledby", labelled);
	svg_attr(&s, "class", "probity-heatmap");
	char vb[64];
	snprintf(vb, sizeof vb, "0 0 %d %d", width, height);
	svg_attr(&s, "viewBox", vb);
	svg_attr_int(&s, "width", width);
	svg_attr_int(&s, "height", height);
	svg_attr(&s, "font-family", "sans-serif");
	svg_open(&s, "title");
	svg_attr(&s, "id", id_title);
	svg_text(&s, w->title);
	svg_close(&s);
	svg_open(&s, "desc");
	svg_attr(&s, "id", id_desc);
	svg_text(&s, w->desc);
	svg_close(&s);
	/* cells: likelihood 1 at the bottom, impact 1 at the left */
	for (int l = 1; l <= m->nlikelihood; l++) {
		int y = TOP + (m->nlikelihood - l) * CELL;
		for (int i = 1; i <= m->nimpact; i++) {
			int x = left + (i - 1) * CELL;
			int b = risks_band_of(m, l, i);
			const struct risks_colour *c = b >= 0 ? risks_colour_find(m->bands[b].colour)
								: NULL;
			int n = h->count[l - 1][i - 1];
			cell_words(w->cell, l, i, n, b >= 0 ? m->bands[b].name : "", tip, sizeof tip);
			svg_open(&s, "g");
			svg_elem_text(&s, "title", tip);
			svg_open(&s, "rect");
			svg_attr_int(&s, "x", x);
			svg_attr_int(&s, "y", y);
			svg_attr_int(&s, "width", CELL);
			svg_attr_int(&s, "height", CELL);
			svg_attr(&s, "fill", c ? c->fill : "#ffffff");
			svg_attr(&s, "stroke", "#1a1a1a");
			svg_close(&s);
			if (n) {
				snprintf(num, sizeof num, "%d", n);
				svg_open(&s, "text");
				svg_attr_int(&s, "x", x + CELL / 2);
				svg_attr_int(&s, "y", y + CELL / 2 + 7);
				svg_attr(&s, "text-anchor", "middle");
				svg_attr(&s, "font-size", "22");
				svg_attr(&s, "font-weight", "bold");
				svg_attr(&s, "fill", "#000000");
				svg_text(&s, num);
				svg_close(&s);
			}
			svg_close(&s); /* g */
		}
		svg_open(&s, "text");
		svg_attr_int(&s, "x", left - 8);
		svg_attr_int(&s, "y", y + CELL / 2 + 5);
		svg_attr(&s, "text-anchor", "end");
		svg_attr_int(&s, "font-size", TICK_FONT);
		snprintf(tip, sizeof tip, "%d %s", l, m->likelihood[l - 1]);
		svg_text(&s, tip);
		svg_close(&s);
	}
	for (int i = 1; i <= m->nimpact; i++) {
		int x = left + (i - 1) * CELL + CELL / 2, y = TOP + m->nlikelihood * CELL + 18;
		char rot[64];
		snprintf(rot, sizeof rot, "rotate(-35 %d %d)", x, y);
		svg_open(&s, "text");
		svg_attr_int(&s, "x", x);
		svg_attr_int(&s, "y", y);
		svg_attr(&s, "text-anchor", "end");
		svg_attr_int(&s, "font-size", TICK_FONT);
		svg_attr(&s, "transform", rot);
		snprintf(tip, sizeof tip, "%d %s", i, m->impact[i - 1]);
		svg_text(&s, tip);
		svg_close(&s);
	}
	/* axis titles */
	svg_open(&s, "text");
	svg_attr_int(&s, "x", left + m->nimpact * CELL / 2);
	svg_attr_int(&s, "y", height - 8);
	svg_attr(&s, "text-anchor", "middle");
	svg_attr(&s, "font-size", "16");
	svg_attr(&s, "font-weight", "bold");
	svg_text(&s, w->impact);
	svg_close(&s);
	char rot[64];
	int ax = 18, ay = TOP + m->nlikelihood * CELL / 2;
	snprintf(rot, sizeof rot, "rotate(-90 %d %d)", ax, ay);
	svg_open(&s, "text");
	svg_attr_int(&s, "x", ax);
	svg_attr_int(&s, "y", ay);
	svg_attr(&s, "text-anchor", "middle");
	svg_attr(&s, "font-size", "16");
	svg_attr(&s, "font-weight", "bold");
	svg_attr(&s, "transform", rot);
	svg_text(&s, w->likelihood);
	svg_close(&s);
	svg_close(&s); /* svg */
	return svg_end(&s);
}
