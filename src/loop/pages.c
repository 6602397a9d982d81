/* pages.c: "where were the risks greatest" (pages.h): the overview, one
 * department's view with its period form, and its CSV and XLSX exports.
 * Everything comes from loop_load (metadata in the clear) through
 * loop_compute; nothing is written, so no CSRF and no audit entry (reading
 * aggregates of one's own department or, suppressed, of the departments in
 * scope is what these roles are for). */
#include <stdio.h>
#include <string.h>

#include "accounts/accounts.h"
#include "accounts/scope.h"
#include "accounts/viewer.h"
#include "base/log.h"
#include "cases/dataset.h"
#include "cases/taxonomy.h"
#include "loop/loop.h"
#include "loop/pages.h"
#include "loop/store.h"
#include "loop/views.h"
#include "loop_tmpl.h"
#include "web/i18n.h"
#include "web/page.h"
#include "web/sheet.h"

#define R(role) role_mask(role)
#define OWN_ROLES (R(ROLE_INTEGRITY_COORDINATOR) | R(ROLE_MANAGER))
#define SCOPE_ROLES (R(ROLE_COORDINATOR) | R(ROLE_AUDITOR))

/* One department's view, computed. */
struct loop_page {
	struct scope_dept d;
	int suppressed;
	char from[DATE_LEN + 1], to[DATE_LEN + 1];
	int n;
	struct loop_data data;
	struct loop_result res;
};

static void unavailable(struct page *p, const char *what)
{
	log_error("where were the risks greatest: %s", what);
	page_fail(p, 503, "The view cannot be made at the moment. Try again later.");
}

/* The period and n of the query (defaults: the last 3 years, 2). Returns
 * NULL or a translated message. */
static const char *read_query(struct page *p, struct loop_page *g, const char **from_in,
			      const char **to_in, const char **n_in)
{
	static const char *const why[] = {
		[LOOP_Q_FROM] = N_("The start of the period is not a date: write it as YYYY-MM-DD."),
		[LOOP_Q_TO] = N_("The end of the period is not a date: write it as YYYY-MM-DD."),
		[LOOP_Q_ORDER] = N_("The period ends before it begins."),
		[LOOP_Q_FUTURE] = N_("The period cannot end after today: nothing is known about later days."),
		[LOOP_Q_SPAN] = N_("A period is at most 30 years long."),
		[LOOP_Q_N] = N_("The number of violations for a flag is a whole number from 1 to 1000."),
	};
	char today[DATE_LEN + 1];
	date_today(today);
	const char *f = http_query(p->req, "van"), *t = http_query(p->req, "tot");
	const char *n = http_query(p->req, "n");
	enum loop_query q = loop_read_query(f, t, n, today, g->from, g->to, &g->n);
	*from_in = f && *f ? f : g->from;
	*to_in = t && *t ? t : g->to;
	*n_in = n && *n ? n : arena_printf(p->a, "%d", LOOP_N_DEFAULT);
	return q == LOOP_Q_OK ? NULL : page_tr(p, why[q]);
}

/* Finds the department, checks access, reads the query and computes. 0, or
 * -1 having answered; *qerr set (and 0 returned, nothing computed) for a
 * refused query. */
static int prepare(struct page *p, struct loop_page *g, const char **qerr, const char **from_in,
		   const char **to_in, const char **n_in)
{
	int64_t id = p->params[0];
	int how;
	char err[300];
	memset(g, 0, sizeof *g);
	if (loop_access(p->db, p->viewer, id, &how) != 0) {
		unavailable(p, db_error(p->db)->msg);
		return -1;
	}
	int rc = how ? scope_department_of(p->db, id, &g->d) : 1;
	if (rc < 0) {
		unavailable(p, db_error(p->db)->msg);
		return -1;
	}
	if (rc != 0 || g->d.id != id) {
		/* another department's view, or none: one answer */
		page_fail(p, 404, "There is no department here that you can open.");
		return -1;
	}
	g->suppressed = how == 2;
	*qerr = read_query(p, g, from_in, to_in, n_in);
	if (*qerr)
		return 0;
	if (loop_load(p->db, p->a, id, g->from, g->to, g->n, &g->data, err, sizeof err) != 0 ||
	    loop_compute(&g->data.in, p->a, &g->res, err, sizeof err) != 0) {
		unavailable(p, err);
		return -1;
	}
	return 0;
}

/* A count as shown: in full, or "< 5" in the coordinator's view. */
static const char *count(struct page *p, const struct loop_page *g, int n)
{
	if (g->suppressed) {
		char b[16];
		return arena_strdup(p->a, loop_small(n, b, sizeof b));
	}
	return arena_printf(p->a, "%d", n);
}

static const char *category_words(struct page *p, const char *code)
{
	const struct cases_taxonomy *tx = cases_data_taxonomy();
	const struct cases_category *c = tx ? cases_taxonomy_find(tx, code) : NULL;
	const char *t = c ? cases_text_get(&c->title, p->lang) : NULL;
	return t ? arena_printf(p->a, "%s. %s", code, t) : code;
}

static const char *process_words(struct page *p, const struct loop_page *g, int64_t id)
{
	const char *n = id ? loop_process_name(&g->data, id) : NULL;
	if (n)
		return n;
	return page_tr(p, "No process: not recorded, or the whole department");
}

static const char *assessed_words(struct page *p, const struct loop_row *r)
{
	if (!r->nrisks)
		return page_tr(p, "no risk registered");
	if (!r->band_name)
		return page_tr(p, "registered, level off the matrix");
	return r->band_name;
}

static const char *risk_title(const struct loop_page *g, int64_t id)
{
	for (size_t i = 0; i < g->data.in.nrisks; i++)
		if (g->data.in.risks[i].id == id)
			return g->data.in.risks[i].title;
	return "";
}

static const char *verdict(struct page *p, const struct loop_control_result *c)
{
	switch (c->judged) {
	case LOOP_AFTER_OPEN:
		return page_tr(p, "Not judged yet: the 12 months after the implementation do not end within the period.");
	case LOOP_BEFORE_NO_DATA:
		return page_tr(p, "Not judged: the 12 months before the implementation start before the department's records do.");
	case LOOP_JUDGED:
		break;
	}
	return c->flagged ? page_tr(p, "No visible effect: at least as many violations after as before.")
			  : page_tr(p, "Fewer violations after, or none: no flag.");
}

static const char *flag_words(struct page *p, unsigned flag)
{
	switch (flag) {
	case LOOP_FLAG_RATED_LOW:
		return page_tr(p, "Rated low, but violations keep occurring: every risk registered for this process and kind of violation is in the lowest level, yet at least the chosen number of violations was established in the period.");
	case LOOP_FLAG_NO_RISK:
		return page_tr(p, "Violations without any registered risk: violations were established, but the risk register holds no risk for this process and kind of violation.");
	default:
		return page_tr(p, "Control without visible effect: in the 12 months after a control of this risk was implemented, at least as many violations were established as in the 12 months before.");
	}
}

static const char *query_string(struct page *p, const struct loop_page *g)
{
	return arena_printf(p->a, "?van=%s&tot=%s&n=%d", g->from, g->to, g->n);
}

/* ---- GET /schendingen-en-risicos/{id} ---- */

void loop_page_dept(struct page *p)
{
	struct loop_page *g = arena_alloc(p->a, sizeof *g);
	const char *qerr = NULL, *from_in, *to_in, *n_in;
	if (prepare(p, g, &qerr, &from_in, &to_in, &n_in) != 0)
		return;
	const char *base = arena_printf(p->a, "/schendingen-en-risicos/%lld", (long long)g->d.id);
	struct loop_dept_view v = {
		.title = page_tr1(p, "Where were the risks greatest: {}",
				  arena_printf(p->a, "%s (%s)", g->d.name, g->d.code)),
		.action = base,
		.from = from_in,
		.to = to_in,
		.n = n_in,
		.error = qerr,
		.suppressed = g->suppressed,
		.back = "/schendingen-en-risicos",
	};
	if (!qerr) {
		const char *q = query_string(p, g);
		v.csv_href = arena_printf(p->a, "%s/export.csv%s", base, q);
		v.xlsx_href = arena_printf(p->a, "%s/export.xlsx%s", base, q);
		v.total = count(p, g, g->res.total);
		v.flagged_a = count(p, g, g->res.flagged[0]);
		v.flagged_b = count(p, g, g->res.flagged[1]);
		v.flagged_c = count(p, g, g->res.flagged[2]);
		struct loop_view_row *rows = arena_alloc(p->a, (g->res.nrows + 1) * sizeof *rows);
		for (size_t i = 0; i < g->res.nrows; i++) {
			const struct loop_row *r = &g->res.rows[i];
			const char **fl = arena_alloc(p->a, 3 * sizeof *fl);
			size_t nf = 0;
			for (unsigned b = 1; b <= LOOP_FLAG_NO_EFFECT; b <<= 1)
				if (r->flags & b)
					fl[nf++] = flag_words(p, b);
			rows[i] = (struct loop_view_row){process_words(p, g, r->process_id),
							 category_words(p, r->category),
							 count(p, g, r->count), assessed_words(p, r),
							 fl, nf};
		}
		v.rows = rows;
		v.nrows = g->res.nrows;
		struct loop_view_control *cs =
			arena_alloc(p->a, (g->res.ncontrols + 1) * sizeof *cs);
		for (size_t i = 0; i < g->res.ncontrols; i++) {
			const struct loop_control_result *c = &g->res.controls[i];
			int j = c->judged == LOOP_JUDGED;
			cs[i] = (struct loop_view_control){
				c->r->title, c->c->description, c->c->implemented_on,
				j ? count(p, g, c->before) : "", j ? count(p, g, c->after) : "",
				verdict(p, c), c->flagged};
		}
		v.controls = cs;
		v.ncontrols = g->res.ncontrols;
	}
	p->res->status = qerr ? 422 : 200;
	page_begin(p, v.title);
	tmpl_loop_dept(&p->res->body, &p->t, &v);
	page_end(p);
}

/* ---- exports ---- */

static void fill_book(struct page *p, const struct loop_page *g, struct sheet_book *b)
{
	const char *h1[] = {page_tr(p, "Process"), page_tr(p, "Kind of violation"),
			    page_tr(p, "Established violations"),
			    page_tr(p, "Assessed risk (highest residual level)"),
			    page_tr(p, "Rated low, but violations keep occurring"),
			    page_tr(p, "Violations without any registered risk"),
			    page_tr(p, "Control without visible effect")};
	struct sheet_table *t = sheet_table_add(b, page_tr(p, "violations and risks"),
						sizeof h1 / sizeof h1[0], h1);
	for (size_t i = 0; t && i < g->res.nrows; i++) {
		const struct loop_row *r = &g->res.rows[i];
		sheet_row(t);
		sheet_text(t, process_words(p, g, r->process_id));
		sheet_text(t, category_words(p, r->category));
		if (g->suppressed)
			sheet_text(t, count(p, g, r->count));
		else
			sheet_int(t, r->count);
		sheet_text(t, assessed_words(p, r));
		sheet_text(t, r->flags & LOOP_FLAG_RATED_LOW ? page_tr(p, "yes") : page_tr(p, "no"));
		sheet_text(t, r->flags & LOOP_FLAG_NO_RISK ? page_tr(p, "yes") : page_tr(p, "no"));
		sheet_text(t, r->flags & LOOP_FLAG_NO_EFFECT ? page_tr(p, "yes") : page_tr(p, "no"));
	}
	const char *h2[] = {page_tr(p, "Control"), page_tr(p, "Risk"),
			    page_tr(p, "Implemented on"), page_tr(p, "12 months before"),
			    page_tr(p, "12 months after"), page_tr(p, "Judgement")};
	t = sheet_table_add(b, page_tr(p, "controls"), sizeof h2 / sizeof h2[0], h2);
	for (size_t i = 0; t && i < g->res.ncontrols; i++) {
		const struct loop_control_result *c = &g->res.controls[i];
		int j = c->judged == LOOP_JUDGED;
		sheet_row(t);
		sheet_text(t, c->c->description);
		sheet_text(t, risk_title(g, c->c->risk_id));
		sheet_text(t, c->c->implemented_on);
		if (!j) {
			sheet_empty(t);
			sheet_empty(t);
		} else if (g->suppressed) {
			sheet_text(t, count(p, g, c->before));
			sheet_text(t, count(p, g, c->after));
		} else {
			sheet_int(t, c->before);
			sheet_int(t, c->after);
		}
		sheet_text(t, verdict(p, c));
	}
}

static int export_prepare(struct page *p, struct loop_page *g)
{
	const char *qerr = NULL, *a, *b, *c;
	if (prepare(p, g, &qerr, &a, &b, &c) != 0)
		return -1;
	if (qerr) {
		p->res->status = 422;
		page_fail(p, 422, "The period or the number of violations is not valid. Choose them on the view's page.");
		return -1;
	}
	return 0;
}

static void attachment(struct page *p, const struct loop_page *g, const char *ext)
{
	http_add_header(p->res, "Content-Disposition",
			arena_printf(p->a, "attachment; filename=\"schendingen-en-risicos-%s-%s-%s.%s\"",
				     g->d.code, g->from, g->to, ext));
}

void loop_page_csv(struct page *p)
{
	struct loop_page *g = arena_alloc(p->a, sizeof *g);
	if (export_prepare(p, g) != 0)
		return;
	struct sheet_book *b = sheet_book_new(p->a);
	fill_book(p, g, b);
	struct sheet_table *t = sheet_book_table(b, 0);
	buf_reset(&p->res->body);
	if (t)
		sheet_write_csv(t, &p->res->body);
	p->res->status = 200;
	p->res->content_type = "text/csv; charset=utf-8";
	attachment(p, g, "csv");
}

void loop_page_xlsx(struct page *p)
{
	struct loop_page *g = arena_alloc(p->a, sizeof *g);
	char err[200];
	if (export_prepare(p, g) != 0)
		return;
	struct sheet_book *b = sheet_book_new(p->a);
	fill_book(p, g, b);
	struct buf out = BUF_INIT;
	if (sheet_write_xlsx(b, &out, err, sizeof err) != 0) {
		buf_free(&out);
		log_error("where were the risks greatest %lld: XLSX: %s", (long long)g->d.id, err);
		page_fail(p, 500, "The spreadsheet cannot be made at the moment. Try again later.");
		return;
	}
	buf_reset(&p->res->body);
	buf_add(&p->res->body, out.p, out.n);
	buf_free(&out);
	p->res->status = 200;
	p->res->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	attachment(p, g, "xlsx");
}

/* ---- GET /schendingen-en-risicos ---- */

void loop_page_overview(struct page *p)
{
	struct scope *own = arena_alloc(p->a, sizeof *own), *co = arena_alloc(p->a, sizeof *co);
	char today[DATE_LEN + 1], from[DATE_LEN + 1], to[DATE_LEN + 1], err[300];
	if (scope_own(p->db, p->viewer, OWN_ROLES, own) != 0 ||
	    scope_coordinated(p->db, p->viewer, SCOPE_ROLES, co) != 0) {
		unavailable(p, db_error(p->db)->msg);
		return;
	}
	date_today(today);
	loop_default_period(today, from, to);
	struct loop_overview_view v = {.from = from, .to = to, .coordinated = co->n > 0,
				       .n = arena_printf(p->a, "%d", LOOP_N_DEFAULT)};
	struct loop_view_link *links = arena_alloc(p->a, (own->n + 1) * sizeof *links);
	for (size_t i = 0; i < own->n; i++)
		links[i] = (struct loop_view_link){
			arena_printf(p->a, "/schendingen-en-risicos/%lld", (long long)own->dept[i].id),
			arena_printf(p->a, "%s (%s)", own->dept[i].name, own->dept[i].code)};
	v.own = links;
	v.nown = own->n;
	struct loop_overview_row *rows = arena_alloc(p->a, (co->n + 1) * sizeof *rows);
	char b[4][16];
	for (size_t i = 0; i < co->n; i++) {
		const struct scope_dept *d = &co->dept[i];
		struct loop_data data;
		struct loop_result res;
		if (d->outside_scope)
			continue; /* scope_coordinated never gives one; never show one */
		if (loop_load(p->db, p->a, d->id, from, to, LOOP_N_DEFAULT, &data, err,
			      sizeof err) != 0 ||
		    loop_compute(&data.in, p->a, &res, err, sizeof err) != 0) {
			unavailable(p, err);
			return;
		}
		rows[v.nrows++] = (struct loop_overview_row){
			arena_printf(p->a, "/schendingen-en-risicos/%lld", (long long)d->id),
			arena_printf(p->a, "%s (%s)", d->name, d->code),
			arena_strdup(p->a, loop_small(res.total, b[0], sizeof b[0])),
			arena_strdup(p->a, loop_small(res.flagged[0], b[1], sizeof b[1])),
			arena_strdup(p->a, loop_small(res.flagged[1], b[2], sizeof b[2])),
			arena_strdup(p->a, loop_small(res.flagged[2], b[3], sizeof b[3]))};
	}
	v.rows = rows;
	const char *title = page_tr(p, "Where were the risks greatest");
	page_begin(p, title);
	tmpl_loop_overview(&p->res->body, &p->t, &v);
	page_end(p);
}
