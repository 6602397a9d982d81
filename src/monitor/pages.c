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
#include "monitor/cache.h"
#include "monitor/pages.h"
#include "monitor/pages_int.h"
#include "monitor_tmpl.h"
#include "web/i18n.h"
#include "web/page.h"
#include "web/sheet.h"

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

static void unavailable(struct page *p, const char *what)
{
	log_error("dashboard: %s", what);
	page_fail(p, 503, "The dashboard cannot be made at the moment. Try again later.");
}

/* The request: scope, today, tree and year, nothing loaded. 0, or -1
 * having answered; g->qerr or g->terr set (and 0 returned) for a refused
 * year or tree. */
static int prepare_query(struct page *p, struct dash_page *g)
{
	char *today = g->date;
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
	g->year = year;
	g->viewer_scope = s;
	return 0;
}

/* The data for the request prepare_query read. 0, or -1 having answered;
 * for a refused year or tree only the form's framework list. */
static int prepare_load(struct page *p, struct dash_page *g)
{
	char err[300];
	if (g->qerr || g->terr)
		return mon_page_scores_load(p, g); /* the form's framework list */
	g->scope = g->viewer_scope;
	/* the year chosen is the trend's last: its tables are the page's */
	if (mon_trend_load(p->db, p->a, g->scope, g->year, g->today, g->date, threshold,
			   &g->trend, err, sizeof err) != 0) {
		unavailable(p, err);
		return -1;
	}
	g->d = *g->trend.d[g->trend.nyears - 1];
	return mon_page_scores_load(p, g);
}

/* Scope, year and the data. 0, or -1 having answered; g->qerr set (and 0
 * returned, nothing loaded) for a refused year. */
static int prepare(struct page *p, struct dash_page *g)
{
	if (prepare_query(p, g) != 0)
		return -1;
	return prepare_load(p, g);
}

const char *mon_page_row_label(struct page *p, const struct mon_dash *d, size_t r)
{
	const struct scope_dept *dp = &d->scope.dept[r];
	const char *l = arena_printf(p->a, "%s (%s)", dp->name, dp->code);
	if (d->former[r] == MON_ROW_SPLIT)
		return arena_printf(p->a, "%s (%s)", page_tr1(p, "{}, before its split", l),
				    page_tr1(p, "since: {}", d->succ[r]));
	if (d->former[r] == MON_ROW_GONE)
		return page_tr1(p, "{}, no successor today", l);
	return l;
}

const char *mon_page_cell(struct page *p, const struct mon_grid *g, size_t r, size_t c)
{
	char b[64];
	return arena_strdup(p->a, mon_text(g, r, c, page_tr(p, "hidden"), b, sizeof b));
}

struct mon_view_table mon_page_grid_table(struct page *p, const struct mon_grid *g,
					  const char *const *labels, const char *const *heads,
					  int totals_only, const char *id, const char *caption)
{
	struct mon_view_table v = {.id = id, .caption = caption};
	const char **h = arena_alloc(p->a, (g->ncols + 1) * sizeof *h);
	for (size_t c = 0; c < g->ncols; c++)
		h[c] = heads[c];
	h[g->ncols] = page_tr(p, "Total");
	struct mon_view_row *rows = arena_alloc(p->a, (g->nrows + 1) * sizeof *rows);
	size_t n = 0;
	for (size_t r = totals_only ? g->nrows : 0; r <= g->nrows; r++) {
		const char **cells = arena_alloc(p->a, (g->ncols + 1) * sizeof *cells);
		for (size_t c = 0; c <= g->ncols; c++)
			cells[c] = mon_page_cell(p, g, r, c);
		int total = r == g->nrows;
		rows[n++] = (struct mon_view_row){
			total ? page_tr(p, totals_only ? "Government-wide total" : "Total") : labels[r],
			cells, total};
	}
	v.heads = h;
	v.ncols = g->ncols + 1;
	v.rows = rows;
	v.nrows = n;
	return v;
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
		v.empty = g->d.none ? page_tr(p, "No department of your scope existed in this year.")
				    : page_tr(p, "No measure was recorded in this year.");
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
			cells[c] = mon_page_cell(p, &t->g, r, cols ? cols[c] : c);
		/* the chart's table (one column) has no other total than its value */
		cells[nc] = mon_page_cell(p, &t->g, r, cols ? cols[0] : t->g.ncols);
		int total = r == t->g.nrows;
		rows[n++] = (struct mon_view_row){
			total ? page_tr(p, g->totals_only ? "Government-wide total" : "Total")
			      : mon_page_row_label(p, &g->d, r),
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
	int other_fw = strcmp(g->fw_code, MON_FRAMEWORK_DEFAULT) != 0;
	return arena_printf(p->a, "?jaar=%d%s%s%s", g->d.year, g->today ? "&boom=nu" : "",
			    other_fw ? "&kader=" : "", other_fw ? g->fw_code : "");
}

/* Every table of the page: the year's, the scores and heat, the trends. */
struct all_tables {
	struct mon_view_table main[MON_NTABLES], chart, scores, heat;
	struct mon_view_table trend[MON_TREND_TABLES];
	const struct mon_view_table *list[MON_NTABLES + 2 + MON_TREND_TABLES];
	size_t n;                /* in list: those with rows, for the downloads */
};

static void fill_view(struct page *p, const struct dash_page *g, struct mon_dash_view *v,
		      struct all_tables *at)
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
	at->n = 0;
	for (size_t i = 0; i < MON_NTABLES; i++) {
		const struct mon_table *t = &d->t[i];
		at->main[i] = view_table(p, g, t, NULL, 0, t->slug, page_tr(p, t->caption));
		at->list[at->n++] = &at->main[i];
	}
	v->tables = at->main;
	v->ntables = MON_NTABLES;
	if (!g->totals_only && !d->none) {
		static const size_t col[] = {MON_C_VIOLATION};
		at->chart = view_table(p, g, &d->t[MON_T_CASES], col, 1, "grafiek-tabel",
				       page_tr(p, "The chart's numbers"));
		v->chart = &at->chart;
	}
	mon_page_scores_view(p, g, v, &at->scores, &at->heat);
	if (v->scores)
		at->list[at->n++] = v->scores;
	at->list[at->n++] = v->heat;
	size_t nt = mon_page_trend_tables(p, g, at->trend);
	for (size_t i = 0; i < nt; i++)
		at->list[at->n++] = &at->trend[i];
	v->trend_tables = at->trend;
	v->ntrend = nt;
	v->trend_chart = !g->totals_only;
	v->trend_note = page_tr1(p, "The last years up to the one chosen, each as the dashboard of that year shows it ({}), with the same small counts hidden: a hidden count draws no point, and a share is shown only when both its counts are. A share is of all reports received in the year, so reports still waiting lower it in a recent year. “–”: the department had no row in that year, or there was no report.",
				 page_tr(p, d->today ? "mapped onto today's departments"
						     : "departments as they were"));
	struct mon_view_link *links = arena_alloc(p->a, at->n * sizeof *links);
	size_t nl = 0;
	for (size_t i = 0; i < at->n; i++) {
		if (at->list[i]->empty)
			continue;
		links[nl++] = (struct mon_view_link){
			arena_printf(p->a, "/monitor/export.csv%s&tabel=%s", q, at->list[i]->id),
			at->list[i]->caption};
	}
	v->downloads = links;
	v->ndownloads = nl;
}

/* ---- GET /monitor ---- */

/* The page's cache key (cache.h): everything the HTML between the frame's
 * top and bottom depends on besides the data under the marks. */
static struct mon_html_key html_key(struct page *p, const struct dash_page *g)
{
	const char *fw = http_query(p->req, "kader");
	return (struct mon_html_key){
		.scope = g->viewer_scope, .totals_only = g->totals_only, .year = g->year,
		.today_tree = g->today, .threshold = threshold, .today = g->date,
		.fw = fw && *fw ? fw : MON_FRAMEWORK_DEFAULT, .lang = p->lang ? p->lang : ""};
}

void monitor_page_dashboard(struct page *p)
{
	struct dash_page *g = arena_alloc(p->a, sizeof *g);
	if (prepare_query(p, g) != 0)
		return;
	/* The figure sections from memory when the marks, read before
	 * anything is loaded, are those they were made under (so they never
	 * miss a write the marks include); the frame, with the session's CSRF
	 * token, is made around them per request. A refused query is not
	 * kept, and a page made now is kept under these marks, which are at
	 * most older than its data: then no later request matches them. */
	struct mon_marks marks;
	struct mon_html_key key;
	int keyed = !g->qerr && !g->terr;
	if (keyed) {
		if (mon_marks_read(p->db, &marks) != 0) {
			unavailable(p, db_error(p->db)->msg);
			return;
		}
		key = html_key(p, g);
		p->res->status = 200;
		page_begin(p, page_tr(p, "Dashboard"));
		if (mon_html_get(&marks, &key, &p->res->body)) {
			page_end(p);
			return;
		}
	}
	if (prepare_load(p, g) != 0)
		return;
	struct mon_dash_view v = {.title = page_tr(p, "Dashboard"), .year = g->year_in,
				  .error = g->qerr, .tree_error = g->terr, .fw_error = g->kerr,
				  .refused = g->qerr || g->terr || g->kerr, .today = g->today,
				  .frameworks = g->fw_options, .nframeworks = g->nfw};
	struct all_tables *at = arena_alloc(p->a, sizeof *at);
	if (!v.refused)
		fill_view(p, g, &v, at);
	p->res->status = v.refused ? 422 : 200;
	page_begin(p, v.title);
	size_t from = p->res->body.n;
	tmpl_monitor_top(&p->res->body, &p->t, &v);
	if (v.chart)
		mon_page_bar_chart(p, g, &p->res->body);
	tmpl_monitor_tables(&p->res->body, &p->t, &v);
	if (v.trend_chart)
		mon_page_trend_chart(p, g, &p->res->body);
	tmpl_monitor_trend(&p->res->body, &p->t, &v);
	if (keyed && !v.refused)
		mon_html_put(&marks, &key, p->res->body.p + from, p->res->body.n - from);
	page_end(p);
}

/* ---- downloads: the page's tables, cells as the page shows them ---- */

static void add_sheet(struct page *p, struct sheet_book *b, const struct mon_view_table *t)
{
	if (t->empty)
		return;
	const char **heads = arena_alloc(p->a, (t->ncols + 1) * sizeof *heads);
	heads[0] = t->row_head ? t->row_head : page_tr(p, "Department");
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

static int export_prepare(struct page *p, struct dash_page *g, struct all_tables *at)
{
	if (prepare(p, g) != 0)
		return -1;
	if (g->qerr) {
		page_fail(p, 422, "The year is not valid. Choose it on the dashboard.");
		return -1;
	}
	if (g->terr || g->kerr) {
		page_fail(p, 422, "Choose the departments' tree and the framework on the dashboard.");
		return -1;
	}
	struct mon_dash_view v = {0};
	fill_view(p, g, &v, at);
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
	struct all_tables *at = arena_alloc(p->a, sizeof *at);
	if (export_prepare(p, g, at) != 0)
		return;
	const char *which = http_query(p->req, "tabel");
	const struct mon_view_table *t = NULL;
	for (size_t i = 0; i < at->n && which; i++)
		if (strcmp(at->list[i]->id, which) == 0 && !at->list[i]->empty)
			t = at->list[i];
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
	struct all_tables *at = arena_alloc(p->a, sizeof *at);
	char err[200];
	if (export_prepare(p, g, at) != 0)
		return;
	struct sheet_book *b = sheet_book_new(p->a);
	for (size_t i = 0; i < at->n; i++)
		add_sheet(p, b, at->list[i]);
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
