/* annual_pages.c: the annual report from the pages (annual_pages.h). A form
 * at /jaarverslag, and /jaarverslag/rapport answering with the report as a
 * download in the format asked, the same document `probity report annual`
 * writes (annual_render.c).
 *
 * Who gets what: a coordinator or auditor the government as a whole (the
 * departments in the coordinating ministry's scope, never Defence) or any
 * department in that scope; an integrity coordinator the departments where
 * they hold the role, each its own figures only. Any other department
 * answers 404, as everywhere. Reading aggregates writes nothing, so no CSRF
 * and no audit entry, like the dashboard.
 *
 * The HTML report is a download too: it is a standalone, print-ready page
 * whose CSS is inline, which the server's Content-Security-Policy would
 * block if it were shown as one of its pages. */
#include <stdio.h>
#include <string.h>

#include "accounts/accounts.h"
#include "accounts/scope.h"
#include "base/date.h"
#include "base/log.h"
#include "base/num.h"
#include "monitor/annual.h"
#include "monitor/annual_pages.h"
#include "monitor/annual_views.h"
#include "annual_tmpl.h"
#include "web/i18n.h"
#include "web/page.h"
#include "web/sheet.h"

#define R(role) role_mask(role)
#define FULL_ROLES (R(ROLE_COORDINATOR) | R(ROLE_AUDITOR))
#define OWN_ROLES R(ROLE_INTEGRITY_COORDINATOR)

struct access {
	struct scope full;   /* government-wide, and each of these departments */
	struct scope own;    /* these departments' own figures */
};

static int load_access(struct page *p, struct access *a)
{
	if (scope_coordinated(p->db, p->viewer, FULL_ROLES, &a->full) == 0 &&
	    scope_own(p->db, p->viewer, OWN_ROLES, &a->own) == 0)
		return 0;
	log_error("annual report: %s", db_error(p->db)->msg);
	page_fail(p, 503, "The annual report cannot be made at the moment. Try again later.");
	return -1;
}

static const struct scope_dept *by_code(const struct scope *s, const char *code)
{
	for (size_t i = 0; i < s->n; i++)
		if (org_code_eq(s->dept[i].code, code))
			return &s->dept[i];
	return NULL;
}

/* The last is the timeliness table as CSV: a CSV holds one table, and the
 * main one is the violations'. */
#define NFORMATS 5
static const char *const formats[NFORMATS] = {"html", "xlsx", "csv", "json", "csv-tijdigheid"};
static const char *const format_labels[NFORMATS] = {
	N_("Web page to print (HTML)"), N_("Spreadsheet (XLSX)"), N_("Main table (CSV)"),
	N_("Data (JSON)"), N_("Timeliness table (CSV)")};

/* ---- GET /jaarverslag ---- */

void annual_page_form(struct page *p)
{
	struct access *a = arena_alloc(p->a, sizeof *a);
	if (load_access(p, a) != 0)
		return;
	if (a->full.n == 0 && a->own.n == 0) {
		page_fail(p, 404, "There is no department here that you can open.");
		return;
	}
	size_t n = 0;
	struct annual_view_option *orgs =
		arena_alloc(p->a, (1 + a->full.n + a->own.n) * sizeof *orgs);
	if (a->full.n)
		orgs[n++] = (struct annual_view_option){
			"", page_tr(p, "The government as a whole (departments in the coordinating ministry's scope)"), 1};
	for (size_t i = 0; i < a->full.n; i++)
		orgs[n++] = (struct annual_view_option){
			a->full.dept[i].code,
			arena_printf(p->a, "%s (%s)", a->full.dept[i].name, a->full.dept[i].code), 0};
	for (size_t i = 0; i < a->own.n; i++) {
		if (by_code(&a->full, a->own.dept[i].code))
			continue;
		int first = n == 0;   /* no government: the first department is chosen */
		orgs[n++] = (struct annual_view_option){
			a->own.dept[i].code,
			arena_printf(p->a, "%s (%s)", a->own.dept[i].name, a->own.dept[i].code),
			first};
	}
	struct annual_view_option *f = arena_alloc(p->a, NFORMATS * sizeof *f);
	for (size_t i = 0; i < NFORMATS; i++)
		f[i] = (struct annual_view_option){formats[i], page_tr(p, format_labels[i]), i == 0};
	char today[DATE_LEN + 1];
	date_today(today);
	int last = (today[0] - '0') * 1000 + (today[1] - '0') * 100 + (today[2] - '0') * 10 +
		   (today[3] - '0') - 1;
	struct annual_form_view v = {
		.title = page_tr(p, "Annual report"),
		.intro = page_tr(p, "The registered violations of a year per department and category, with their outcomes, police reports and measures: from the registers the departments imported and from the closed cases. The figures are stated in full, as they go to parliament. Departments are shown as they were in that year, or under today's departments if you tick the box; figures of a split department that belong to no single successor are shown apart, never divided."),
		.year = arena_printf(p->a, "%d", last),
		.orgs = orgs,
		.norgs = n,
		.formats = f,
		.nformats = NFORMATS,
	};
	p->res->status = 200;
	page_begin(p, v.title);
	tmpl_annual_annual(&p->res->body, &p->t, &v);
	page_end(p);
}

/* ---- GET /jaarverslag/rapport ---- */

static void download(struct page *p, const char *type, const char *name)
{
	p->res->status = 200;
	p->res->content_type = type;
	p->res->cache_control = "no-store";
	http_add_header(p->res, "Content-Security-Policy", "sandbox");
	http_add_header(p->res, "Content-Disposition",
			arena_printf(p->a, "attachment; filename=\"%s\"", name));
}

void annual_page_report(struct page *p)
{
	struct access *a = arena_alloc(p->a, sizeof *a);
	if (load_access(p, a) != 0)
		return;
	const char *y = http_query(p->req, "jaar"), *org = http_query(p->req, "org");
	const char *fmt = http_query(p->req, "formaat"), *today = http_query(p->req, "vandaag");
	int64_t year;
	if (!y || strlen(y) != 4 || num_parse_i64z(y, ANNUAL_YEAR_MIN, ANNUAL_YEAR_MAX, &year)) {
		page_fail(p, 422, "The year is not valid: write it as four digits, from 1990 on.");
		return;
	}
	size_t f = 0;
	while (f < NFORMATS && (!fmt || strcmp(fmt, formats[f]) != 0))
		f++;
	if (fmt && !*fmt)
		f = 0;   /* the form's default */
	else if (f == NFORMATS || !fmt) {
		page_fail(p, 422, "Choose one of the formats the form offers.");
		return;
	}
	if (org && !*org)
		org = NULL;
	/* the government only with a coordinating role, a department only in
	 * the viewer's scope: anything else is not here (404) */
	if (org ? !by_code(&a->full, org) && !by_code(&a->own, org) : a->full.n == 0) {
		page_fail(p, 404, "There is no such report that you can open.");
		return;
	}
	struct annual_opts o = {.year = (int)year, .org = org,
				.today = today && strcmp(today, "1") == 0};
	struct annual_report r;
	char err[600];
	switch (annual_load(p->db, &o, &r, err, sizeof err)) {
	case ANNUAL_OK: break;
	case ANNUAL_ENOTFOUND:
	case ANNUAL_EINVALID:
		page_fail(p, 404, "This department did not exist in that year. Tick the box to see its predecessors' figures under today's departments.");
		return;
	case ANNUAL_EDB:
		log_error("annual report %d: %s", o.year, err);
		page_fail(p, 503, "The annual report cannot be made at the moment. Try again later.");
		return;
	}
	const char *base = arena_printf(p->a, "jaarverslag-%d%s%s%s", o.year, org ? "-" : "",
					org ? by_code(&a->full, org) ? by_code(&a->full, org)->code
								     : by_code(&a->own, org)->code
					    : "",
					o.today ? "-vandaag" : "");
	buf_reset(&p->res->body);
	if (f == 0) {
		annual_html(&r, &p->res->body);
		download(p, "text/html; charset=utf-8", arena_printf(p->a, "%s.html", base));
	} else if (f == 3) {
		annual_json(&r, &p->res->body);
		download(p, "application/json", arena_printf(p->a, "%s.json", base));
	} else {
		struct sheet_book *b = annual_book(&r, p->a);
		if (f == 2 || f == 4) {
			sheet_write_csv(sheet_book_table(b, f == 2 ? 0 : 3), &p->res->body);
			download(p, "text/csv; charset=utf-8",
				 arena_printf(p->a, "%s%s.csv", base, f == 2 ? "" : "-tijdigheid"));
		} else {
			struct buf out = BUF_INIT;
			if (sheet_write_xlsx(b, &out, err, sizeof err) != 0) {
				buf_free(&out);
				annual_report_free(&r);
				log_error("annual report %d: XLSX: %s", o.year, err);
				page_fail(p, 500, "The spreadsheet cannot be made at the moment. Try again later.");
				return;
			}
			buf_add(&p->res->body, out.p, out.n);
			buf_free(&out);
			download(p, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
				 arena_printf(p->a, "%s.xlsx", base));
		}
	}
	annual_report_free(&r);
}
