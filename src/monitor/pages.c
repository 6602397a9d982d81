/* pages.c: the dashboard page, its chart and its downloads (pages.h). The
 * numbers come from dash.c already suppressed; everything here shows them
 * through mon_text only, so the page, the chart and the downloads hide the
 * same counts. Nothing is written, so no CSRF and no audit entry (reading
 * suppressed aggregates is what these roles are for). */
#include <stdio.h>
#include <string.h>

#include "accounts/accounts.h"
#include "accounts/scope.h"
#include "base/date.h"
#include "base/log.h"
#include "cases/dataset.h"
#include "cases/taxonomy.h"
#include "monitor/dash.h"
#include "monitor/pages.h"
#include "monitor/views.h"
#include "monitor_tmpl.h"
#include "web/i18n.h"
#include "web/page.h"
#include "web/sheet.h"
#include "web/svg.h"

#define R(role) role_mask(role)
#define FULL_ROLES (R(ROLE_COORDINATOR) | R(ROLE_AUDITOR))

/* set by app_new before the threads start; read-only afterwards */
static int threshold = MON_THRESHOLD_DEFAULT;

int monitor_set_threshold(int t)
{
	if (t == 0)
		return 0;
	if (t < 3 || t > MON_THRESHOLD_MAX)
		return -1;
	threshold = t;
	return 0;
}

struct dash_page {
	struct mon_dash d;
	int totals_only;        /* an IPIM member: the government's totals only */
	const char *year_in;
	const char *qerr;       /* a refused year */
	const char *terr;       /* a refused ?boom= */
	int today;              /* ?boom=nu */
};

static void unavailable(struct page *p, const char *what)
{
	log_error("dashboard: %s", what);
	page_fail(p, 503, "The dashboard cannot be made at the moment. Try again later.");
}

/* Scope, year and the data. 0, or -1 having answered; g->qerr set (and 0
 * returned, nothing loaded) for a refused year. */
static int prepare(struct page *p, struct dash_page *g)
{
	char today[DATE_LEN + 1], err[300];
	struct scope *s = arena_alloc(p->a, sizeof *s);
	memset(g, 0, sizeof *g);
	if (scope_coordinated(p->db, p->viewer, FULL_ROLES, s) != 0) {
		unavailable(p, db_error(p->db)->msg);
		return -1;
	}
	if (s->n == 0) {
		if (scope_coordinated(p->db, p->viewer, R(ROLE_IPIM_MEMBER), s) != 0) {
			unavailable(p, db_error(p->db)->msg);
			return -1;
		}
		g->totals_only = 1;
	}
	if (s->n == 0) {
		/* the route lets these roles in; no government with a department */
		page_fail(p, 404, "There is no department here that you can open.");
		return -1;
	}
	date_today(today);
	/* the tree: as it was (no value, "toen") or today's ("nu") */
	const char *b = http_query(p->req, "boom");
	if (b && *b && strcmp(b, "toen") != 0 && strcmp(b, "nu") != 0)
		g->terr = page_tr(p, "Choose how the departments are shown: as they were in that year, or today's.");
	g->today = b && strcmp(b, "nu") == 0;
	const char *y = http_query(p->req, "jaar");
	int year;
	if (mon_read_year(y, today, &year) != 0) {
		g->year_in = y;
		g->qerr = page_tr1(p, "The year is not valid: write it as four digits, from 1990 to {}.",
				   arena_printf(p->a, "%.4s", today));
		return 0;
	}
	g->year_in = arena_printf(p->a, "%d", year);
	if (g->terr)
		return 0;
	if (mon_dash_load(p->db, p->a, s, year, g->today, today, threshold, &g->d, err,
			  sizeof err) != 0) {
		unavailable(p, err);
		return -1;
	}
	return 0;
}

static const char *dept_label(struct page *p, const struct dash_page *g, size_t r)
{
	const struct scope_dept *d = &g->d.scope.dept[r];
	const char *l = arena_printf(p->a, "%s (%s)", d->name, d->code);
	if (g->d.former[r] == MON_ROW_SPLIT)
		return arena_printf(p->a, "%s (%s)", page_tr1(p, "{}, before its split", l),
				    page_tr1(p, "since: {}", g->d.succ[r]));
	if (g->d.former[r] == MON_ROW_GONE)
		return page_tr1(p, "{}, no successor today", l);
	return l;
}

static const char *cell(struct page *p, const struct mon_grid *g, size_t r, size_t c)
{
	char b[64];
	return arena_strdup(p->a, mon_text(g, r, c, page_tr(p, "hidden"), b, sizeof b));
}

static const char *measure_name(struct page *p, const char *code)
{
	const struct cases_measures *ms = cases_data_measures();
	const struct cases_measure *m = ms ? cases_measures_find(ms, code) : NULL;
	const char *t = m ? cases_text_get(&m->title, p->lang) : NULL;
	return t ? t : code;
}

static const char *head(struct page *p, const struct mon_table *t, size_t c)
{
	if (c == t->g.ncols)
		return page_tr(p, "Total");
	return t->heads_are_codes ? measure_name(p, t->heads[c]) : page_tr(p, t->heads[c]);
}

/* A table as the page shows it; cols: which data columns (NULL: all), the
 * row total always last. The IPIM member gets the totals' row only. */
static struct mon_view_table view_table(struct page *p, const struct dash_page *g,
					const struct mon_table *t, const size_t *cols,
					size_t ncols, const char *id, const char *caption)
{
	struct mon_view_table v = {.id = id, .caption = caption};
	if (!t->present) {
		v.empty = page_tr(p, "No measure was recorded in this year.");
		return v;
	}
	size_t nc = cols ? ncols : t->g.ncols;
	const char **heads = arena_alloc(p->a, (nc + 1) * sizeof *heads);
	for (size_t c = 0; c < nc; c++)
		heads[c] = head(p, t, cols ? cols[c] : c);
	heads[nc] = page_tr(p, "Total");
	size_t first = g->totals_only ? t->g.nrows : 0;
	struct mon_view_row *rows = arena_alloc(p->a, (t->g.nrows + 1) * sizeof *rows);
	size_t n = 0;
	for (size_t r = first; r <= t->g.nrows; r++) {
		const char **cells = arena_alloc(p->a, (nc + 1) * sizeof *cells);
		for (size_t c = 0; c < nc; c++)
			cells[c] = cell(p, &t->g, r, cols ? cols[c] : c);
		/* the chart's table (one column) has no other total than its value */
		cells[nc] = cell(p, &t->g, r, cols ? cols[0] : t->g.ncols);
		int total = r == t->g.nrows;
		rows[n++] = (struct mon_view_row){
			total ? page_tr(p, g->totals_only ? "Government-wide total" : "Total")
			      : dept_label(p, g, r),
			cells, total};
	}
	v.heads = heads;
	v.ncols = cols ? nc : nc + 1;
	v.rows = rows;
	v.nrows = n;
	return v;
}

static const char *query(struct page *p, const struct dash_page *g)
{
	return arena_printf(p->a, "?jaar=%d%s", g->d.year, g->today ? "&boom=nu" : "");
}

/* The bar chart: one bar per department of the cases table's first column,
 * the same numbers and marks; a hidden count draws no bar, its label says
 * what the table says. */
#define BAR_H 28
#define LABEL_W 110
#define PLOT_W 420
static void chart(struct page *p, const struct dash_page *g, struct buf *out)
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
		const char *txt = cell(p, gr, r, MON_C_VIOLATION);
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

static void fill_view(struct page *p, const struct dash_page *g, struct mon_dash_view *v,
		      struct mon_view_table *tables, struct mon_view_table *chart_t)
{
	const char *q = query(p, g);
	const struct mon_dash *d = &g->d;
	v->scope_note = g->totals_only
		? page_tr(p, "The government-wide totals of the departments in the coordinating ministry's scope.")
		: page_tr(p, "Per department in your scope and in total.");
	if (d->from_registers)
		v->source = page_tr(p, "This year's case figures come from the registers that the departments kept before Probity and imported (historical registrations). Reports are counted from Probity.");
	else
		v->source = page_tr(p, "This year's figures come from Probity's reports and cases; a case counts in the year it was opened.");
	v->explain1 = page_tr1(p, "So that no small group of reporters, persons concerned or colleagues can be singled out, a count above zero and below the threshold is shown as “{}”.",
			       arena_printf(p->a, "< %d", d->threshold));
	v->explain2 = page_tr1(p, "Where the totals would give such a count away, another count of the same row or column is hidden as well: it is shown as small when it is small and as “{}” when it is not. Zeros are shown, and the downloads hide the same counts.",
			       page_tr(p, "hidden"));
	v->tree_note = d->today
		? page_tr(p, "Mapped onto today's departments: a department renamed or merged since counts under its successor; the own figures of a department split since stay on a row of their own, as nothing says how to divide them.")
		: page_tr(p, "The departments as they were in that year: a department renamed during the year has a row for each name.");
	v->xlsx_href = arena_printf(p->a, "/monitor/export.xlsx%s", q);
	for (size_t i = 0; i < MON_NTABLES; i++) {
		const struct mon_table *t = &d->t[i];
		tables[i] = view_table(p, g, t, NULL, 0, t->slug, page_tr(p, t->caption));
		tables[i].csv_href = arena_printf(p->a, "/monitor/export.csv%s&tabel=%s", q, t->slug);
	}
	v->tables = tables;
	v->ntables = MON_NTABLES;
	if (!g->totals_only) {
		static const size_t col[] = {MON_C_VIOLATION};
		*chart_t = view_table(p, g, &d->t[MON_T_CASES], col, 1, "grafiek-tabel",
				      page_tr(p, "The chart's numbers"));
		v->chart = chart_t;
	}
}

/* ---- GET /monitor ---- */

void monitor_page_dashboard(struct page *p)
{
	struct dash_page *g = arena_alloc(p->a, sizeof *g);
	if (prepare(p, g) != 0)
		return;
	struct mon_dash_view v = {.title = page_tr(p, "Dashboard"), .year = g->year_in,
				  .error = g->qerr, .tree_error = g->terr,
				  .refused = g->qerr || g->terr, .today = g->today};
	struct mon_view_table *tables = arena_alloc(p->a, MON_NTABLES * sizeof *tables);
	struct mon_view_table *chart_t = arena_alloc(p->a, sizeof *chart_t);
	if (!v.refused)
		fill_view(p, g, &v, tables, chart_t);
	p->res->status = v.refused ? 422 : 200;
	page_begin(p, v.title);
	tmpl_monitor_top(&p->res->body, &p->t, &v);
	if (v.chart)
		chart(p, g, &p->res->body);
	tmpl_monitor_tables(&p->res->body, &p->t, &v);
	page_end(p);
}

/* ---- downloads: the page's tables, cells as the page shows them ---- */

static void add_sheet(struct page *p, struct sheet_book *b, const struct mon_view_table *t)
{
	if (t->empty)
		return;
	const char **heads = arena_alloc(p->a, (t->ncols + 1) * sizeof *heads);
	heads[0] = page_tr(p, "Department");
	for (size_t c = 0; c < t->ncols; c++)
		heads[c + 1] = t->heads[c];
	struct sheet_table *s = sheet_table_add(b, t->id, t->ncols + 1, heads);
	for (size_t r = 0; s && r < t->nrows; r++) {
		sheet_row(s);
		sheet_text(s, t->rows[r].label);
		for (size_t c = 0; c < t->ncols; c++)
			sheet_text(s, t->rows[r].cells[c]);
	}
}

static int export_prepare(struct page *p, struct dash_page *g, struct mon_view_table *tables)
{
	if (prepare(p, g) != 0)
		return -1;
	if (g->qerr) {
		page_fail(p, 422, "The year is not valid. Choose it on the dashboard.");
		return -1;
	}
	if (g->terr) {
		page_fail(p, 422, "Choose how the departments are shown on the dashboard.");
		return -1;
	}
	struct mon_dash_view v = {0};
	struct mon_view_table chart_t;
	fill_view(p, g, &v, tables, &chart_t);
	return 0;
}

static void attachment(struct page *p, const struct dash_page *g, const char *what,
		       const char *ext)
{
	http_add_header(p->res, "Content-Disposition",
			arena_printf(p->a, "attachment; filename=\"dashboard-%d%s%s%s.%s\"",
				     g->d.year, g->today ? "-nu" : "", what ? "-" : "",
				     what ? what : "", ext));
}

void monitor_page_csv(struct page *p)
{
	struct dash_page *g = arena_alloc(p->a, sizeof *g);
	struct mon_view_table *tables = arena_alloc(p->a, MON_NTABLES * sizeof *tables);
	if (export_prepare(p, g, tables) != 0)
		return;
	const char *which = http_query(p->req, "tabel");
	const struct mon_view_table *t = NULL;
	for (size_t i = 0; i < MON_NTABLES && which; i++)
		if (strcmp(tables[i].id, which) == 0 && !tables[i].empty)
			t = &tables[i];
	if (!t) {
		page_fail(p, 404, "There is no such table. Choose a download on the dashboard.");
		return;
	}
	struct sheet_book *b = sheet_book_new(p->a);
	add_sheet(p, b, t);
	struct sheet_table *s = sheet_book_table(b, 0);
	buf_reset(&p->res->body);
	if (s)
		sheet_write_csv(s, &p->res->body);
	p->res->status = 200;
	p->res->content_type = "text/csv; charset=utf-8";
	attachment(p, g, t->id, "csv");
}

void monitor_page_xlsx(struct page *p)
{
	struct dash_page *g = arena_alloc(p->a, sizeof *g);
	struct mon_view_table *tables = arena_alloc(p->a, MON_NTABLES * sizeof *tables);
	char err[200];
	if (export_prepare(p, g, tables) != 0)
		return;
	struct sheet_book *b = sheet_book_new(p->a);
	for (size_t i = 0; i < MON_NTABLES; i++)
		add_sheet(p, b, &tables[i]);
	struct buf out = BUF_INIT;
	if (sheet_write_xlsx(b, &out, err, sizeof err) != 0) {
		buf_free(&out);
		log_error("dashboard %d: XLSX: %s", g->d.year, err);
		page_fail(p, 500, "The spreadsheet cannot be made at the moment. Try again later.");
		return;
	}
	buf_reset(&p->res->body);
	buf_add(&p->res->body, out.p, out.n);
	buf_free(&out);
	p->res->status = 200;
	p->res->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	attachment(p, g, NULL, "xlsx");
}
