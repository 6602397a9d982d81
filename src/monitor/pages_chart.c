/* pages_chart.c: the dashboard's bar chart of the year (pages_int.h),
 * drawn on the server from the cases table's suppressed numbers. */
#include "monitor/pages_int.h"
#include "web/svg.h"

/* The bar chart: one bar per department of the cases table's first column,
 * the same numbers and marks; a hidden count draws no bar, its label says
 * what the table says. */
#define BAR_H 28
#define LABEL_W 110
#define PLOT_W 420
void mon_page_bar_chart(struct page *p, const struct dash_page *g, struct buf *out)
{
	const struct mon_grid *gr = &g->d.t[MON_T_CASES].g;
	long long max = 1;
	for (size_t r = 0; r < gr->nrows; r++)
		if (mon_show(gr, r, MON_C_VIOLATION) == MON_SHOW_NUMBER &&
		    *mon_at(gr, r, MON_C_VIOLATION) > max)
			max = *mon_at(gr, r, MON_C_VIOLATION);
	int height = (int)gr->nrows * BAR_H + 10, width = LABEL_W + PLOT_W + 70;
	struct svg s;
	svg_begin(&s, out);
	svg_open(&s, "svg");
	svg_attr(&s, "xmlns", "http://www.w3.org/2000/svg");
	svg_attr(&s, "role", "img");
	svg_attr(&s, "aria-labelledby", "grafiek-titel grafiek-uitleg");
	svg_attr(&s, "class", "probity-chart");
	svg_attr(&s, "viewBox", arena_printf(p->a, "0 0 %d %d", width, height));
	svg_attr_int(&s, "width", width);
	svg_attr_int(&s, "height", height);
	svg_attr(&s, "font-family", "sans-serif");
	svg_open(&s, "title");
	svg_attr(&s, "id", "grafiek-titel");
	svg_text(&s, page_tr1(p, "Established violations per department in {}",
			      arena_printf(p->a, "%d", g->d.year)));
	svg_close(&s);
	svg_open(&s, "desc");
	svg_attr(&s, "id", "grafiek-uitleg");
	svg_text(&s, page_tr(p, "A bar per department; the table below the chart gives the same numbers. A small or hidden count draws no bar."));
	svg_close(&s);
	for (size_t r = 0; r < gr->nrows; r++) {
		int y = 5 + (int)r * BAR_H;
		const char *txt = mon_page_cell(p, gr, r, MON_C_VIOLATION);
		svg_open(&s, "text");
		svg_attr_int(&s, "x", LABEL_W - 6);
		svg_attr_int(&s, "y", y + BAR_H / 2 + 5);
		svg_attr(&s, "text-anchor", "end");
		svg_attr(&s, "font-size", "14");
		svg_text(&s, g->d.scope.dept[r].code);
		svg_close(&s);
		int w = 0;
		if (mon_show(gr, r, MON_C_VIOLATION) == MON_SHOW_NUMBER) {
			w = (int)(*mon_at(gr, r, MON_C_VIOLATION) * PLOT_W / max);
			if (w > 0) {
				svg_open(&s, "rect");
				svg_attr_int(&s, "x", LABEL_W);
				svg_attr_int(&s, "y", y + 3);
				svg_attr_int(&s, "width", w);
				svg_attr_int(&s, "height", BAR_H - 6);
				svg_attr(&s, "fill", "#154273");
				svg_close(&s);
			}
		}
		svg_open(&s, "text");
		svg_attr_int(&s, "x", LABEL_W + w + 6);
		svg_attr_int(&s, "y", y + BAR_H / 2 + 5);
		svg_attr(&s, "font-size", "14");
		svg_text(&s, txt);
		svg_close(&s);
	}
	svg_close(&s);
	svg_end(&s);
}

