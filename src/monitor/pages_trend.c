/* pages_trend.c: the dashboard's trends over the last years (trend.h): the
 * government-wide figures per year with a line chart drawn on the server,
 * and per department a table per figure. Every cell is a cell of that
 * year's suppressed tables, as the dashboard of that year shows it; a share
 * is shown only when both of its counts are shown there. */
#include <stdio.h>
#include <string.h>

#include "monitor/labels.h"
#include "monitor/pages_int.h"
#include "web/i18n.h"
#include "web/svg.h"

enum { F_RECEIVED, F_VIOLATIONS, F_ACK, F_FEEDBACK, NFIGURES };

static const char *const figure_heads[NFIGURES] = {
	N_("Reports received"), N_("Violations established"),
	N_("Share acknowledged within 7 days"), N_("Share with feedback within 3 months")};
static const char *const figure_ids[NFIGURES] = {"trend-meldingen", "trend-schendingen",
						 "trend-bevestiging", "trend-terugkoppeling"};

/* Figure f of row r of year d's tables (r == nrows: the totals). */
static const char *figure(struct page *p, const struct mon_dash *d, size_t r, int f)
{
	const struct mon_grid *ack = &d->t[MON_T_ACK].g;
	const struct mon_grid *fb = &d->t[MON_T_FEEDBACK].g;
	if (d->none)
		return "–";
	switch (f) {
	case F_RECEIVED:
		return mon_page_cell(p, ack, r, ack->ncols);
	case F_VIOLATIONS:
		return mon_page_cell(p, &d->t[MON_T_CASES].g, r, MON_C_VIOLATION);
	default: {
		const struct mon_grid *g = f == F_ACK ? ack : fb;
		int s = mon_share(g, r, 0);
		if (s >= 0)
			return arena_printf(p->a, "%d%%", s);
		/* no reports: no share; else one of its counts is hidden (the
		 * total may be shown and the count on time not) */
		return mon_show(g, r, g->ncols) == MON_SHOW_NUMBER && *mon_at(g, r, g->ncols) == 0
			       ? "–"
			       : page_tr(p, "hidden");
	}
	}
}

static struct mon_view_table totals_table(struct page *p, const struct dash_page *g)
{
	const struct mon_trend *t = &g->trend;
	struct mon_view_table v = {.id = "trend-totaal",
				   .caption = page_tr(p, "Government-wide figures per year"),
				   .row_head = page_tr(p, "Year")};
	const char **heads = arena_alloc(p->a, NFIGURES * sizeof *heads);
	for (size_t c = 0; c < NFIGURES; c++)
		heads[c] = page_tr(p, figure_heads[c]);
	struct mon_view_row *rows = arena_alloc(p->a, t->nyears * sizeof *rows);
	for (size_t y = 0; y < t->nyears; y++) {
		const struct mon_dash *d = t->d[y];
		const char **cells = arena_alloc(p->a, NFIGURES * sizeof *cells);
		for (int f = 0; f < NFIGURES; f++)
			cells[f] = figure(p, d, d->none ? 0 : d->t[MON_T_ACK].g.nrows, f);
		rows[y] = (struct mon_view_row){arena_printf(p->a, "%d", d->year), cells, 0};
	}
	v.heads = heads;
	v.ncols = NFIGURES;
	v.rows = rows;
	v.nrows = t->nyears;
	return v;
}

/* A row of the department tables: a department (or marked row) of some
 * year, and its row in each year (-1: none that year). */
struct trow {
	int64_t id;
	int former;
	const char *label;
	long row[MON_TREND_YEARS];
};

static size_t trend_rows(struct page *p, const struct mon_trend *t, struct trow *out,
			 size_t cap)
{
	size_t n = 0;
	for (size_t y = 0; y < t->nyears; y++) {
		const struct mon_dash *d = t->d[y];
		for (size_t r = 0; r < d->scope.n; r++) {
			size_t k = 0;
			while (k < n && !(out[k].id == d->scope.dept[r].id &&
					  out[k].former == d->former[r]))
				k++;
			if (k == n) {
				if (n == cap)
					continue;
				out[n].id = d->scope.dept[r].id;
				out[n].former = d->former[r];
				out[n].label = mon_page_row_label(p, d, r);
				for (size_t j = 0; j < MON_TREND_YEARS; j++)
					out[n].row[j] = -1;
				n++;
			}
			out[k].row[y] = (long)r;
		}
	}
	return n;
}

static struct mon_view_table dept_table(struct page *p, const struct mon_trend *t,
					const struct trow *tr, size_t n, int f)
{
	struct mon_view_table v = {
		.id = figure_ids[f],
		.caption = page_tr1(p, "{} per department and year", page_tr(p, figure_heads[f]))};
	const char **heads = arena_alloc(p->a, t->nyears * sizeof *heads);
	for (size_t y = 0; y < t->nyears; y++)
		heads[y] = arena_printf(p->a, "%d", t->d[y]->year);
	struct mon_view_row *rows = arena_alloc(p->a, (n ? n : 1) * sizeof *rows);
	for (size_t i = 0; i < n; i++) {
		const char **cells = arena_alloc(p->a, t->nyears * sizeof *cells);
		for (size_t y = 0; y < t->nyears; y++)
			cells[y] = tr[i].row[y] < 0 ? "–"
				   : figure(p, t->d[y], (size_t)tr[i].row[y], f);
		rows[i] = (struct mon_view_row){tr[i].label, cells, 0};
	}
	v.heads = heads;
	v.ncols = t->nyears;
	v.rows = rows;
	v.nrows = n;
	if (!n)
		v.empty = page_tr(p, "No department was there in these years.");
	return v;
}

size_t mon_page_trend_tables(struct page *p, const struct dash_page *g,
			     struct mon_view_table *out)
{
	size_t n = 0;
	out[n++] = totals_table(p, g);
	if (g->totals_only)
		return n;
	struct trow *tr = arena_alloc(p->a, SCOPE_MAX * sizeof *tr);
	size_t nr = trend_rows(p, &g->trend, tr, SCOPE_MAX);
	for (int f = 0; f < NFIGURES; f++)
		out[n++] = dept_table(p, &g->trend, tr, nr, f);
	return n;
}

/* ---- the chart: the government's reports received and violations
 * established per year, a line each; a hidden point is not drawn and
 * breaks its line ---- */

#define CH_W 560
#define CH_H 260
#define CH_LEFT 60
#define CH_RIGHT 20
#define CH_TOP 20
#define CH_BOTTOM 60

struct series {
	int px[MON_TREND_YEARS], py[MON_TREND_YEARS], shown[MON_TREND_YEARS];
	int label[MON_TREND_YEARS]; /* baseline of each point's label */
};

static void series_points(const struct mon_trend *t, int f, long long max, struct series *o)
{
	int plot_w = CH_W - CH_LEFT - CH_RIGHT, plot_h = CH_H - CH_TOP - CH_BOTTOM;
	for (size_t y = 0; y < t->nyears; y++) {
		const struct mon_dash *d = t->d[y];
		const struct mon_grid *g = f == F_RECEIVED ? &d->t[MON_T_ACK].g
							   : &d->t[MON_T_CASES].g;
		size_t c = f == F_RECEIVED ? g->ncols : MON_C_VIOLATION;
		o->shown[y] = !d->none && mon_show(g, g->nrows, c) == MON_SHOW_NUMBER;
		long long v = o->shown[y] ? *mon_at(g, g->nrows, c) : 0;
		o->px[y] = CH_LEFT + (t->nyears > 1 ? (int)y * plot_w / (int)(t->nyears - 1)
						    : plot_w / 2);
		o->py[y] = CH_TOP + plot_h - (int)(v * plot_h / max);
		o->label[y] = mon_label_y(o->py[y]);
	}
}

/* The two lines' labels of a year kept a line apart (labels.h); the
 * lowest baseline stays clear of the axis and the years under it. */
static void place_labels(const struct mon_trend *t, struct series *a, struct series *b)
{
	for (size_t y = 0; y < t->nyears; y++)
		if (a->shown[y] && b->shown[y])
			mon_label_pair(a->py[y], b->py[y], mon_label_y(CH_TOP),
				       CH_H - CH_BOTTOM - 2, &a->label[y], &b->label[y]);
}

static void line_series(struct page *p, struct svg *s, const struct mon_trend *t, int f,
			const struct series *o, const char *colour, const char *dasharray)
{
	for (size_t y = 0; y + 1 < t->nyears; y++) {
		if (!o->shown[y] || !o->shown[y + 1])
			continue;
		svg_open(s, "line");
		svg_attr_int(s, "x1", o->px[y]);
		svg_attr_int(s, "y1", o->py[y]);
		svg_attr_int(s, "x2", o->px[y + 1]);
		svg_attr_int(s, "y2", o->py[y + 1]);
		svg_attr(s, "stroke", colour);
		svg_attr(s, "stroke-width", "3");
		if (dasharray)
			svg_attr(s, "stroke-dasharray", dasharray);
		svg_close(s);
	}
	for (size_t y = 0; y < t->nyears; y++) {
		if (!o->shown[y])
			continue;
		svg_open(s, "circle");
		svg_attr_int(s, "cx", o->px[y]);
		svg_attr_int(s, "cy", o->py[y]);
		svg_attr(s, "r", "5");
		svg_attr(s, "fill", colour);
		svg_close(s);
		svg_open(s, "text");
		svg_attr_int(s, "x", o->px[y]);
		svg_attr_int(s, "y", o->label[y]);
		svg_attr(s, "text-anchor", "middle");
		svg_attr(s, "font-size", "13");
		svg_text(s, figure(p, t->d[y], t->d[y]->t[MON_T_ACK].g.nrows, f));
		svg_close(s);
	}
}

static void legend(struct svg *s, int x, const char *colour, const char *dasharray,
		   const char *text)
{
	int y = CH_H - 15;
	svg_open(s, "line");
	svg_attr_int(s, "x1", x);
	svg_attr_int(s, "y1", y - 4);
	svg_attr_int(s, "x2", x + 30);
	svg_attr_int(s, "y2", y - 4);
	svg_attr(s, "stroke", colour);
	svg_attr(s, "stroke-width", "3");
	if (dasharray)
		svg_attr(s, "stroke-dasharray", dasharray);
	svg_close(s);
	svg_open(s, "text");
	svg_attr_int(s, "x", x + 36);
	svg_attr_int(s, "y", y);
	svg_attr(s, "font-size", "13");
	svg_text(s, text);
	svg_close(s);
}

void mon_page_trend_chart(struct page *p, const struct dash_page *g, struct buf *out)
{
	const struct mon_trend *t = &g->trend;
	long long max = 1;
	for (size_t y = 0; y < t->nyears; y++) {
		const struct mon_grid *a = &t->d[y]->t[MON_T_ACK].g;
		const struct mon_grid *c = &t->d[y]->t[MON_T_CASES].g;
		if (t->d[y]->none)
			continue;
		if (mon_show(a, a->nrows, a->ncols) == MON_SHOW_NUMBER &&
		    *mon_at(a, a->nrows, a->ncols) > max)
			max = *mon_at(a, a->nrows, a->ncols);
		if (mon_show(c, c->nrows, MON_C_VIOLATION) == MON_SHOW_NUMBER &&
		    *mon_at(c, c->nrows, MON_C_VIOLATION) > max)
			max = *mon_at(c, c->nrows, MON_C_VIOLATION);
	}
	struct svg s;
	svg_begin(&s, out);
	svg_open(&s, "svg");
	svg_attr(&s, "xmlns", "http://www.w3.org/2000/svg");
	svg_attr(&s, "role", "img");
	svg_attr(&s, "aria-labelledby", "trend-titel trend-uitleg");
	svg_attr(&s, "class", "probity-chart");
	svg_attr(&s, "viewBox", arena_printf(p->a, "0 0 %d %d", CH_W, CH_H));
	svg_attr_int(&s, "width", CH_W);
	svg_attr_int(&s, "height", CH_H);
	svg_attr(&s, "font-family", "sans-serif");
	svg_open(&s, "title");
	svg_attr(&s, "id", "trend-titel");
	svg_text(&s, page_tr1(p, "Reports received and violations established, {}",
			      arena_printf(p->a, "%d–%d", t->d[0]->year,
					   t->d[t->nyears - 1]->year)));
	svg_close(&s);
	svg_open(&s, "desc");
	svg_attr(&s, "id", "trend-uitleg");
	svg_text(&s, page_tr(p, "A line per figure over the years for the departments in scope together; the table below the chart gives the same numbers. A hidden count draws no point."));
	svg_close(&s);
	/* the axis and the years */
	svg_open(&s, "line");
	svg_attr_int(&s, "x1", CH_LEFT);
	svg_attr_int(&s, "y1", CH_H - CH_BOTTOM);
	svg_attr_int(&s, "x2", CH_W - CH_RIGHT);
	svg_attr_int(&s, "y2", CH_H - CH_BOTTOM);
	svg_attr(&s, "stroke", "#333333");
	svg_close(&s);
	int plot_w = CH_W - CH_LEFT - CH_RIGHT;
	for (size_t y = 0; y < t->nyears; y++) {
		svg_open(&s, "text");
		svg_attr_int(&s, "x", CH_LEFT + (t->nyears > 1 ? (int)y * plot_w /
								 (int)(t->nyears - 1)
							       : plot_w / 2));
		svg_attr_int(&s, "y", CH_H - CH_BOTTOM + 20);
		svg_attr(&s, "text-anchor", "middle");
		svg_attr(&s, "font-size", "13");
		svg_text(&s, arena_printf(p->a, "%d", t->d[y]->year));
		svg_close(&s);
	}
	struct series *rec = arena_alloc(p->a, sizeof *rec), *vio = arena_alloc(p->a, sizeof *vio);
	series_points(t, F_RECEIVED, max, rec);
	series_points(t, F_VIOLATIONS, max, vio);
	place_labels(t, rec, vio);
	line_series(p, &s, t, F_RECEIVED, rec, "#154273", NULL);
	line_series(p, &s, t, F_VIOLATIONS, vio, "#8f3500", "8 5");
	legend(&s, CH_LEFT, "#154273", NULL, page_tr(p, figure_heads[F_RECEIVED]));
	legend(&s, CH_LEFT + 250, "#8f3500", "8 5", page_tr(p, figure_heads[F_VIOLATIONS]));
	svg_close(&s);
	svg_end(&s);
}
