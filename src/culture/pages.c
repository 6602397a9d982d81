/* pages.c: the culture indicators page and its downloads (pages.h). The
 * figures come from read.c; the chart, the table and the downloads show the
 * same numbers. Reports received below the dashboard's default threshold
 * show as "< 5" here too, so that this page gives away no small count the
 * dashboard hides. */
#include <stdio.h>
#include <string.h>

#include "accounts/accounts.h"
#include "accounts/scope.h"
#include "base/log.h"
#include "culture/access.h"
#include "culture/culture.h"
#include "culture/pages.h"
#include "culture/views.h"
#include "culture_tmpl.h"
#include "monitor/suppress.h"
#include "web/i18n.h"
#include "web/sheet.h"
#include "web/svg.h"

#define SMALL MON_THRESHOLD_DEFAULT

/* The departments the viewer may see (culture_visible), or a 503 page. */
static int visible(struct page *p, struct scope *out)
{
	if (culture_visible(p->db, p->viewer, out) != 0) {
		log_error("culture: %s", db_error(p->db)->msg);
		page_fail(p, 503, "The culture figures cannot be shown at the moment. Try again later.");
		return -1;
	}
	return 0;
}

static const char *pct(struct page *p, int tenths)
{
	if (tenths < 0)
		return "–";
	return arena_printf(p->a, "%d%s%d", tenths / 10, strcmp(p->lang, "nl") == 0 ? "," : ".",
			    tenths % 10);
}

static const char *count(struct page *p, int64_t n)
{
	if (n > 0 && n < SMALL)
		return arena_printf(p->a, "< %d", SMALL);
	return arena_printf(p->a, "%lld", (long long)n);
}

/* The indicators with a figure, in the list's order; returns how many. */
static size_t shown_indicators(const struct culture_series *s, int idx[CULTURE_NINDICATORS])
{
	size_t n = 0;
	for (int i = 0; i < CULTURE_NINDICATORS; i++)
		if (s->has[i])
			idx[n++] = i;
	return n;
}

static void fill_dept(struct page *p, const struct scope_dept *d, const struct culture_series *s,
		      struct culture_dept_view *v)
{
	int idx[CULTURE_NINDICATORS];
	size_t ni = shown_indicators(s, idx);
	memset(v, 0, sizeof *v);
	v->id = arena_printf(p->a, "cultuur-%s", d->code);
	v->heading = arena_printf(p->a, "%s (%s)", d->name, d->code);
	if (s->n == 0) {
		v->empty = page_tr(p, "No survey figures have been imported for this department.");
		return;
	}
	v->caption = page_tr(p, "Survey figures (percentage of respondents) and reporting figures per year");
	v->ncols = 1 + ni + 2;
	const char **heads = arena_alloc(p->a, v->ncols * sizeof *heads);
	heads[0] = page_tr(p, "Year");
	for (size_t k = 0; k < ni; k++)
		heads[1 + k] = arena_printf(p->a, "%s (%%)", page_tr(p, culture_indicators[idx[k]].name));
	heads[1 + ni] = page_tr(p, "Reports received");
	heads[2 + ni] = page_tr(p, "Violations registered");
	v->heads = heads;
	v->nrows = s->n;
	const char **cells = arena_alloc(p->a, v->nrows * v->ncols * sizeof *cells);
	for (size_t r = 0; r < s->n; r++) {
		const struct culture_year *y = &s->y[r];
		const char **row = cells + r * v->ncols;
		row[0] = arena_printf(p->a, "%d", y->year);
		for (size_t k = 0; k < ni; k++)
			row[1 + k] = pct(p, y->tenths[idx[k]]);
		row[1 + ni] = count(p, y->reports);
		row[2 + ni] = count(p, y->registered);
	}
	v->cells = cells;
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < s->nsources; i++) {
		if (i)
			buf_add(&b, "; ", 2);
		buf_add(&b, s->sources[i], strlen(s->sources[i]));
	}
	buf_add(&b, "", 1);
	v->sources = page_tr1(p, "Source: {}.", arena_printf(p->a, "%s", b.p));
	buf_free(&b);
}

/* The trend chart: a line per indicator over the years, 0 to 100%; a year
 * without a figure breaks no line (the points are joined over it), the
 * table shows it as "–". Colours are told apart by their legend and by the
 * point markers' shapes. */
#define CH_W 640
#define PLOT_X 50
#define PLOT_Y 20
#define PLOT_W 560
#define PLOT_H 220
/* the legend: under the plot, a line per indicator, so that each can show
 * its whole translated name (too long to stand beside the plot) */
#define LEGEND_Y (PLOT_Y + PLOT_H + 50)
#define LEGEND_LINE 22
static const char *const colours[CULTURE_NINDICATORS] = {"#154273", "#ca005d", "#39870c",
							   "#e17000"};

static void chart(struct page *p, const struct scope_dept *d, const struct culture_series *s,
		  struct buf *out)
{
	int idx[CULTURE_NINDICATORS];
	size_t ni = shown_indicators(s, idx);
	char *tid = arena_printf(p->a, "cultuur-%s-titel", d->code);
	char *did = arena_printf(p->a, "cultuur-%s-uitleg", d->code);
	struct svg g;
	svg_begin(&g, out);
	svg_open(&g, "svg");
	svg_attr(&g, "xmlns", "http://www.w3.org/2000/svg");
	svg_attr(&g, "role", "img");
	/* named by the title, described by the desc: a screen reader reads the
	 * short name first and the description as such, not run together */
	svg_attr(&g, "aria-labelledby", tid);
	svg_attr(&g, "aria-describedby", did);
	svg_attr(&g, "class", "probity-chart");
	int height = LEGEND_Y + (int)(ni ? ni - 1 : 0) * LEGEND_LINE + 12;
	svg_attr(&g, "viewBox", arena_printf(p->a, "0 0 %d %d", CH_W, height));
	svg_attr_int(&g, "width", CH_W);
	svg_attr_int(&g, "height", height);
	svg_attr(&g, "font-family", "sans-serif");
	svg_open(&g, "title");
	svg_attr(&g, "id", tid);
	svg_text(&g, page_tr1(p, "Culture indicators of {} over the years", d->code));
	svg_close(&g);
	svg_open(&g, "desc");
	svg_attr(&g, "id", did);
	svg_text(&g, page_tr(p, "A line per indicator, the percentage of respondents per year from 0 to 100; the table below the chart gives the same numbers with the reports received in those years."));
	svg_close(&g);
	/* axes with 0, 50 and 100% */
	for (int t = 0; t <= 100; t += 50) {
		int y = PLOT_Y + PLOT_H - PLOT_H * t / 100;
		svg_open(&g, "line");
		svg_attr_int(&g, "x1", PLOT_X);
		svg_attr_int(&g, "x2", PLOT_X + PLOT_W);
		svg_attr_int(&g, "y1", y);
		svg_attr_int(&g, "y2", y);
		svg_attr(&g, "stroke", t ? "#cccccc" : "#333333");
		svg_close(&g);
		svg_open(&g, "text");
		svg_attr_int(&g, "x", PLOT_X - 6);
		svg_attr_int(&g, "y", y + 5);
		svg_attr(&g, "text-anchor", "end");
		svg_attr(&g, "font-size", "13");
		svg_text(&g, arena_printf(p->a, "%d%%", t));
		svg_close(&g);
	}
	int step = s->n > 1 ? PLOT_W / (int)(s->n - 1) : 0;
	for (size_t r = 0; r < s->n; r++) {
		svg_open(&g, "text");
		svg_attr_int(&g, "x", PLOT_X + (s->n > 1 ? (int)r * step : PLOT_W / 2));
		svg_attr_int(&g, "y", PLOT_Y + PLOT_H + 20);
		svg_attr(&g, "text-anchor", "middle");
		svg_attr(&g, "font-size", "13");
		svg_text(&g, arena_printf(p->a, "%d", s->y[r].year));
		svg_close(&g);
	}
	for (size_t k = 0; k < ni; k++) {
		int i = idx[k];
		struct buf pts = BUF_INIT;
		for (size_t r = 0; r < s->n; r++) {
			if (s->y[r].tenths[i] < 0)
				continue;
			int x = PLOT_X + (s->n > 1 ? (int)r * step : PLOT_W / 2);
			int y = PLOT_Y + PLOT_H - PLOT_H * s->y[r].tenths[i] / 1000;
			buf_printf(&pts, "%s%d,%d", pts.n ? " " : "", x, y);
			svg_open(&g, k % 2 ? "rect" : "circle");
			if (k % 2) {
				svg_attr_int(&g, "x", x - 4);
				svg_attr_int(&g, "y", y - 4);
				svg_attr_int(&g, "width", 8);
				svg_attr_int(&g, "height", 8);
			} else {
				svg_attr_int(&g, "cx", x);
				svg_attr_int(&g, "cy", y);
				svg_attr_int(&g, "r", 4);
			}
			svg_attr(&g, "fill", colours[i]);
			svg_close(&g);
		}
		buf_add(&pts, "", 1);
		svg_open(&g, "polyline");
		svg_attr(&g, "points", pts.p);
		svg_attr(&g, "fill", "none");
		svg_attr(&g, "stroke", colours[i]);
		svg_attr(&g, "stroke-width", "2");
		svg_close(&g);
		buf_free(&pts);
		/* the legend */
		int ly = LEGEND_Y + (int)k * LEGEND_LINE;
		svg_open(&g, "rect");
		svg_attr_int(&g, "x", PLOT_X);
		svg_attr_int(&g, "y", ly - 10);
		svg_attr_int(&g, "width", 12);
		svg_attr_int(&g, "height", 12);
		svg_attr(&g, "fill", colours[i]);
		svg_close(&g);
		svg_open(&g, "text");
		svg_attr_int(&g, "x", PLOT_X + 18);
		svg_attr_int(&g, "y", ly);
		svg_attr(&g, "font-size", "13");
		svg_text(&g, page_tr(p, culture_indicators[i].name));
		svg_close(&g);
	}
	svg_close(&g);
	if (svg_end(&g) != 0)
		log_error("culture: the chart of %s is not well-formed", d->code);
}

/* ---- GET /cultuur ---- */

void culture_page(struct page *p)
{
	struct scope *sc = arena_alloc(p->a, sizeof *sc);
	if (visible(p, sc) != 0)
		return;
	struct culture_top_view v = {
		.title = page_tr(p, "Culture indicators"),
		.intro = page_tr(p, "Survey figures per department, such as the share of staff who would report a suspicion of wrongdoing, as trends over the years, next to the reports the department received and the violations it registered in the same years: so that “would report” can be set against “did report”. Figures are imported per department and year; each rests on at least 10 respondents."),
		.small_note = page_tr1(p, "A count of reports or violations above zero and below 5 is shown as “{}”, as on the dashboard.",
				       arena_printf(p->a, "< %d", SMALL)),
		.csv_href = "/cultuur/export.csv",
		.xlsx_href = "/cultuur/export.xlsx",
	};
	if (sc->n == 0)
		v.empty = page_tr(p, "There is no department here whose figures you can see.");
	p->res->status = 200;
	page_begin(p, v.title);
	tmpl_culture_top(&p->res->body, &p->t, &v);
	for (size_t i = 0; i < sc->n; i++) {
		struct culture_series s;
		struct culture_dept_view dv;
		if (culture_load(p->db, sc->dept[i].id, &s) != 0) {
			log_error("culture: %s", db_error(p->db)->msg);
			buf_reset(&p->res->body);
			page_fail(p, 503, "The culture figures cannot be shown at the moment. Try again later.");
			return;
		}
		fill_dept(p, &sc->dept[i], &s, &dv);
		tmpl_culture_dept_head(&p->res->body, &p->t, &dv);
		if (!dv.empty)
			chart(p, &sc->dept[i], &s, &p->res->body);
		tmpl_culture_dept_table(&p->res->body, &p->t, &dv);
		culture_series_free(&s);
	}
	page_end(p);
}

/* ---- downloads: one table, a row per department and year ---- */

static struct sheet_book *book(struct page *p)
{
	struct scope *sc = arena_alloc(p->a, sizeof *sc);
	if (visible(p, sc) != 0)
		return NULL;
	const char *heads[3 + 2 * CULTURE_NINDICATORS + 2];
	size_t nh = 0;
	heads[nh++] = page_tr(p, "Department");
	heads[nh++] = page_tr(p, "Year");
	for (int i = 0; i < CULTURE_NINDICATORS; i++) {
		heads[nh++] = arena_printf(p->a, "%s (%%)", page_tr(p, culture_indicators[i].name));
		heads[nh++] = arena_printf(p->a, "%s: %s", culture_indicators[i].code,
					   page_tr(p, "respondents"));
	}
	heads[nh++] = page_tr(p, "Reports received");
	heads[nh++] = page_tr(p, "Violations registered");
	struct sheet_book *b = sheet_book_new(p->a);
	struct sheet_table *t = sheet_table_add(b, "cultuur", nh, heads);
	for (size_t d = 0; t && d < sc->n; d++) {
		struct culture_series s;
		if (culture_load(p->db, sc->dept[d].id, &s) != 0) {
			log_error("culture: %s", db_error(p->db)->msg);
			page_fail(p, 503, "The culture figures cannot be shown at the moment. Try again later.");
			return NULL;
		}
		for (size_t r = 0; r < s.n; r++) {
			const struct culture_year *y = &s.y[r];
			sheet_row(t);
			sheet_text(t, sc->dept[d].code);
			sheet_int(t, y->year);
			for (int i = 0; i < CULTURE_NINDICATORS; i++) {
				if (y->tenths[i] < 0) {
					sheet_empty(t);
					sheet_empty(t);
					continue;
				}
				sheet_number(t, y->tenths[i] / 10.0);
				sheet_int(t, y->respondents[i]);
			}
			sheet_text(t, count(p, y->reports));
			sheet_text(t, count(p, y->registered));
		}
		culture_series_free(&s);
	}
	return b;
}

void culture_page_csv(struct page *p)
{
	struct sheet_book *b = book(p);
	if (!b)
		return;
	buf_reset(&p->res->body);
	if (sheet_book_table(b, 0))
		sheet_write_csv(sheet_book_table(b, 0), &p->res->body);
	p->res->status = 200;
	p->res->content_type = "text/csv; charset=utf-8";
	http_add_header(p->res, "Content-Disposition", "attachment; filename=\"cultuur.csv\"");
}

void culture_page_xlsx(struct page *p)
{
	struct sheet_book *b = book(p);
	char err[200];
	if (!b)
		return;
	struct buf out = BUF_INIT;
	if (sheet_write_xlsx(b, &out, err, sizeof err) != 0) {
		buf_free(&out);
		log_error("culture: XLSX: %s", err);
		page_fail(p, 500, "The spreadsheet cannot be made at the moment. Try again later.");
		return;
	}
	buf_reset(&p->res->body);
	buf_add(&p->res->body, out.p, out.n);
	buf_free(&out);
	p->res->status = 200;
	p->res->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	http_add_header(p->res, "Content-Disposition", "attachment; filename=\"cultuur.xlsx\"");
}
