/* annual_render.c: the annual report written out: a standalone print-ready
 * HTML page, a JSON document, and the tables the CSV and XLSX exports take
 * (web/sheet.h). Texts are English; category and measure titles come from
 * the shipped data in English. Every text from data is escaped in HTML. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/alloc.h"
#include "cases/dataset.h"
#include "monitor/annual.h"
#include "web/sheet.h"

/* The government's figures per category: the rows summed over groups. */
struct bycat {
	const char *category;
	int order;
	struct annual_cells c;
};

static void cells_sum(struct annual_cells *s, const struct annual_cells *c)
{
	s->registered += c->registered;
	s->established += c->established;
	s->partly += c->partly;
	s->not_established += c->not_established;
	s->no_outcome += c->no_outcome;
	s->police += c->police;
}

static int bycat_cmp(const void *a, const void *b)
{
	const struct bycat *x = a, *y = b;
	if (x->order != y->order)
		return x->order - y->order;
	return strcmp(x->category, y->category);
}

/* malloc'd, *n entries, in category order */
static struct bycat *by_category(const struct annual_report *r, size_t *n)
{
	struct bycat *out = xcalloc(r->nrows ? r->nrows : 1, sizeof *out);
	*n = 0;
	for (size_t i = 0; i < r->nrows; i++) {
		size_t j = 0;
		while (j < *n && strcmp(out[j].category, r->rows[i].category) != 0)
			j++;
		if (j == *n) {
			out[j].category = r->rows[i].category;
			out[j].order = r->rows[i].order;
			(*n)++;
		}
		cells_sum(&out[j].c, &r->rows[i].c);
	}
	if (*n)
		qsort(out, *n, sizeof *out, bycat_cmp);
	return out;
}

/* The English title of a category key ("8a+8b": both, joined), "" if none. */
static void category_title(const struct annual_report *r, const char *key, char *out,
			   size_t cap)
{
	const struct cases_taxonomy *t =
		cases_data_taxonomy_find(r->taxonomy, r->opts.taxonomy_revision);
	size_t len = 0;
	out[0] = '\0';
	char code[ANNUAL_CATEGORY_MAX + 1];
	snprintf(code, sizeof code, "%s", key);
	char *save = NULL;
	for (char *tok = strtok_r(code, "+", &save); tok && t && len < cap;
	     tok = strtok_r(NULL, "+", &save)) {
		const struct cases_category *c = cases_taxonomy_find(t, tok);
		const char *title = c ? cases_text_get(&c->title, "en") : NULL;
		if (title)
			len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? " / " : "",
						title);
	}
}

static const char *measure_title(const char *code)
{
	const struct cases_measures *m = cases_data_measures();
	const struct cases_measure *x = m ? cases_measures_find(m, code) : NULL;
	const char *t = x ? cases_text_get(&x->title, "en") : NULL;
	return t ? t : "";
}

static const char *scope_text(const struct annual_report *r)
{
	return r->org[0] ? "one department: its own figures only"
			 : "the government as a whole: the departments in the coordinator's scope";
}

/* "87.5%" of n in received, "" when nothing was received. */
static void share_text(int64_t n, int64_t received, char out[16])
{
	int s = annual_share(n, received);
	if (s < 0)
		out[0] = '\0';
	else
		snprintf(out, 16, "%d.%d%%", s / 10, s % 10);
}

/* Why a department (or the whole report) has no timeliness. */
static const char *timely_note(const struct annual_timely *t, int64_t from_registers)
{
	return t->received == 0 && from_registers > 0
		       ? "imported registers only: no dates of acknowledgement or feedback"
		       : "";
}

/* ---- HTML ---- */

static void esc(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		case '\'': buf_adds(b, "&#39;"); break;
		default: buf_addc(b, *s);
		}
	}
}

static void group_label(struct buf *b, const struct annual_group *g)
{
	esc(b, g->code);
	buf_adds(b, " (");
	esc(b, g->name);
	buf_adds(b, ")");
	if (g->note[0]) {
		buf_adds(b, ", ");
		esc(b, g->note);
	}
}

static const char cells_head[] =
	"<th scope=\"col\">Registered</th><th scope=\"col\">Established</th>"
	"<th scope=\"col\">Partly established</th><th scope=\"col\">Not established</th>"
	"<th scope=\"col\">No outcome</th><th scope=\"col\">Police reports</th>";

static void cells_td(struct buf *b, const struct annual_cells *c)
{
	buf_printf(b, "<td>%lld</td><td>%lld</td><td>%lld</td><td>%lld</td><td>%lld</td>"
		   "<td>%lld</td>",
		   (long long)c->registered, (long long)c->established, (long long)c->partly,
		   (long long)c->not_established, (long long)c->no_outcome,
		   (long long)c->police);
}

static void category_rows(struct buf *b, const struct annual_report *r, const char *key,
			  const struct annual_cells *c)
{
	char title[600];
	category_title(r, key, title, sizeof title);
	buf_adds(b, "<tr><th scope=\"row\">");
	esc(b, key);
	buf_adds(b, "</th><td>");
	esc(b, title);
	buf_adds(b, "</td>");
	cells_td(b, c);
	buf_adds(b, "</tr>\n");
}

static void timely_td(struct buf *b, const struct annual_timely *t, int64_t from_registers)
{
	char ack[16], fb[16];
	share_text(t->ack_on_time, t->received, ack);
	share_text(t->feedback_on_time, t->received, fb);
	buf_printf(b, "<td>%lld</td><td>%lld</td><td>%s</td><td>%lld</td><td>%s</td>"
		      "<td>%lld</td><td>%lld</td><td>",
		   (long long)t->received, (long long)t->ack_on_time, ack,
		   (long long)t->feedback_on_time, fb, (long long)t->waiting,
		   (long long)t->overdue);
	esc(b, timely_note(t, from_registers));
	buf_adds(b, "</td>");
}

void annual_html(const struct annual_report *r, struct buf *b)
{
	buf_printf(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		      "<title>Annual report on integrity violations %d</title>\n",
		   r->opts.year);
	buf_adds(b, "<style>\n"
		    "body{font-family:sans-serif;margin:2em;color:#000;line-height:1.4}\n"
		    "table{border-collapse:collapse;margin:1em 0 2em;width:100%}\n"
		    "caption{text-align:left;font-weight:bold;padding:.3em 0}\n"
		    "th,td{border:1px solid #666;padding:.25em .5em;text-align:left}\n"
		    "td{text-align:right}td:nth-child(2){text-align:left}\n"
		    "tfoot th,tfoot td{font-weight:bold}\n"
		    "@media print{body{margin:0;font-size:10pt}"
		    "h2{page-break-before:always}h2.first{page-break-before:avoid}"
		    "table{page-break-inside:auto}tr{page-break-inside:avoid}"
		    "thead{display:table-header-group}a{color:#000;text-decoration:none}}\n"
		    "</style></head><body>\n");
	buf_printf(b, "<h1>Annual report on integrity violations %d</h1>\n", r->opts.year);
	buf_adds(b, "<p>Scope: ");
	esc(b, scope_text(r));
	if (r->org[0]) {
		buf_adds(b, " (");
		esc(b, r->org);
		buf_adds(b, ")");
	}
	buf_printf(b, ". Organisations %s. Categories of taxonomy ",
		   r->opts.today ? "mapped onto today's departments through their successor links"
				 : "as they were in that year");
	esc(b, r->taxonomy);
	buf_printf(b, " revision %d. Full counts, registered violations from imported "
		      "registers and closed cases, by the year the violation was received.</p>\n",
		   r->opts.taxonomy_revision);

	/* per department */
	buf_adds(b, "<h2 class=\"first\">Departments</h2>\n<table><caption>Registered "
		    "violations per department</caption>\n<thead><tr><th scope=\"col\">"
		    "Department</th>");
	buf_adds(b, cells_head);
	buf_adds(b, "<th scope=\"col\">Measures</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < r->ngroups; i++) {
		buf_adds(b, "<tr><th scope=\"row\">");
		group_label(b, &r->groups[i]);
		buf_adds(b, "</th>");
		cells_td(b, &r->groups[i].total);
		buf_printf(b, "<td>%lld</td></tr>\n", (long long)r->groups[i].measures);
	}
	buf_adds(b, "</tbody><tfoot><tr><th scope=\"row\">Total</th>");
	cells_td(b, &r->total);
	buf_printf(b, "<td>%lld</td></tr></tfoot></table>\n", (long long)r->measures_total);

	/* timeliness */
	buf_adds(b, "<h2>Timeliness</h2>\n");
	if (r->timely.received == 0 && r->from_registers > 0)
		buf_adds(b, "<p>This year's figures come from imported registers only. Registers "
			    "record no dates of acknowledgement or feedback, so there is no "
			    "timeliness for this year.</p>\n");
	buf_adds(b, "<table><caption>Reports received: acknowledgement of receipt and "
		    "feedback</caption>\n<thead><tr><th scope=\"col\">Department</th>"
		    "<th scope=\"col\">Reports received</th>"
		    "<th scope=\"col\">Acknowledged within 7 days</th><th scope=\"col\">Share</th>"
		    "<th scope=\"col\">Feedback within 3 months</th><th scope=\"col\">Share</th>");
	buf_printf(b, "<th scope=\"col\">Without feedback on %s</th>"
		      "<th scope=\"col\">Of which overdue</th><th scope=\"col\">Note</th>"
		      "</tr></thead>\n<tbody>\n", r->as_of);
	for (size_t i = 0; i < r->ngroups; i++) {
		buf_adds(b, "<tr><th scope=\"row\">");
		group_label(b, &r->groups[i]);
		buf_adds(b, "</th>");
		timely_td(b, &r->groups[i].timely, r->groups[i].from_registers);
		buf_adds(b, "</tr>\n");
	}
	buf_adds(b, "</tbody><tfoot><tr><th scope=\"row\">Total</th>");
	timely_td(b, &r->timely, r->from_registers);
	buf_adds(b, "</tr></tfoot></table>\n");

	/* per category over all */
	size_t ncat = 0;
	struct bycat *cat = by_category(r, &ncat);
	buf_adds(b, "<h2>Violations by category</h2>\n<table><caption>Registered violations "
		    "by category, all departments of this report</caption>\n<thead><tr>"
		    "<th scope=\"col\">Category</th><th scope=\"col\">Title</th>");
	buf_adds(b, cells_head);
	buf_adds(b, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < ncat; i++)
		category_rows(b, r, cat[i].category, &cat[i].c);
	buf_adds(b, "</tbody></table>\n");
	free(cat);

	/* per department and category */
	buf_adds(b, "<h2>Violations per department and category</h2>\n");
	for (size_t g = 0; g < r->ngroups; g++) {
		buf_adds(b, "<table><caption>");
		group_label(b, &r->groups[g]);
		buf_adds(b, "</caption>\n<thead><tr><th scope=\"col\">Category</th>"
			    "<th scope=\"col\">Title</th>");
		buf_adds(b, cells_head);
		buf_adds(b, "</tr></thead>\n<tbody>\n");
		for (size_t i = 0; i < r->nrows; i++)
			if (r->rows[i].group == g)
				category_rows(b, r, r->rows[i].category, &r->rows[i].c);
		buf_adds(b, "</tbody></table>\n");
	}

	/* measures */
	buf_adds(b, "<h2>Measures</h2>\n<table><caption>Measures per code, all departments of "
		    "this report</caption>\n<thead><tr><th scope=\"col\">Measure</th>"
		    "<th scope=\"col\">Title</th><th scope=\"col\">Number</th></tr></thead>\n"
		    "<tbody>\n");
	for (size_t i = 0; i < r->nmeasure_totals; i++) {
		buf_adds(b, "<tr><th scope=\"row\">");
		esc(b, r->measure_totals[i].code);
		buf_adds(b, "</th><td>");
		esc(b, measure_title(r->measure_totals[i].code));
		buf_printf(b, "</td><td>%lld</td></tr>\n", (long long)r->measure_totals[i].n);
	}
	buf_printf(b, "</tbody><tfoot><tr><th scope=\"row\">Total</th><td></td><td>%lld</td>"
		      "</tr></tfoot></table>\n",
		   (long long)r->measures_total);
	buf_adds(b, "<table><caption>Measures per department</caption>\n<thead><tr>"
		    "<th scope=\"col\">Department</th><th scope=\"col\">Measure</th>"
		    "<th scope=\"col\">Number</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < r->nmeasures; i++) {
		buf_adds(b, "<tr><th scope=\"row\">");
		group_label(b, &r->groups[r->measures[i].group]);
		buf_adds(b, "</th><td>");
		esc(b, r->measures[i].code);
		buf_printf(b, "</td><td>%lld</td></tr>\n", (long long)r->measures[i].n);
	}
	buf_adds(b, "</tbody></table>\n");

	buf_adds(b, "<h2>How these figures are counted</h2>\n<ul>\n"
		    "<li>A violation counts in the year it was received: the date received of "
		    "an imported register row, the day a case was opened. A case counts once it "
		    "is closed, so a year's figures can still grow.</li>\n"
		    "<li>Categories of earlier taxonomy revisions are mapped to the one this "
		    "report uses; a category that maps to several is counted once under their "
		    "combination (for example 8a+8b), never divided.</li>\n"
		    "<li>With today's departments, figures of a department that was split are "
		    "attributed to a successor where the unit that registered them moved to it; "
		    "the rest stay under the predecessor, marked &ldquo;before the split&rdquo;, "
		    "never divided.</li>\n"
		    "<li>Departments outside the coordinator's scope are not part of the "
		    "government-wide report.</li>\n");
	buf_printf(b, "<li>Timeliness counts the reports received in Probity in the year, of "
		      "every kind, under the department that received them. A report is "
		      "acknowledged in time when the acknowledgement of receipt was sent within "
		      "7 days, and has feedback in time when it was given within 3 months of the "
		      "acknowledgement (or of the end of the 7 days when none was sent). Shares are "
		      "of the reports received. &ldquo;Without feedback&rdquo; and &ldquo;overdue&rdquo; "
		      "are as on %s, the date of this report: a report is overdue when its "
		      "feedback was due before that day. Imported registers record no such dates "
		      "and are not part of it.</li>\n</ul>\n</body></html>\n",
		   r->as_of);
}

/* ---- JSON ---- */

static json_t *cells_json(const struct annual_cells *c)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "registered",
			 (json_int_t)c->registered, "established", (json_int_t)c->established,
			 "partly", (json_int_t)c->partly, "not_established",
			 (json_int_t)c->not_established, "no_outcome", (json_int_t)c->no_outcome,
			 "police_reports", (json_int_t)c->police);
}

static json_t *share_json(int64_t n, int64_t received)
{
	int s = annual_share(n, received);
	return s < 0 ? json_null() : json_real((double)s / 1000.0);
}

/* Shares as fractions of 1 to three places (0.875), null with no reports. */
static json_t *timely_json(const struct annual_timely *t, int64_t from_registers)
{
	const char *note = timely_note(t, from_registers);
	return json_pack("{s:I, s:I, s:o, s:I, s:I, s:o, s:I, s:I, s:I, s:o}", "received",
			 (json_int_t)t->received, "acknowledged_within_7_days",
			 (json_int_t)t->ack_on_time, "acknowledged_within_7_days_share",
			 share_json(t->ack_on_time, t->received), "acknowledged_late",
			 (json_int_t)t->ack_late, "feedback_within_3_months",
			 (json_int_t)t->feedback_on_time, "feedback_within_3_months_share",
			 share_json(t->feedback_on_time, t->received), "feedback_late",
			 (json_int_t)t->feedback_late, "without_feedback", (json_int_t)t->waiting,
			 "overdue", (json_int_t)t->overdue, "note",
			 note[0] ? json_string(note) : json_null());
}

static json_t *category_json(const struct annual_report *r, const char *key,
			     const struct annual_cells *c)
{
	char title[600];
	category_title(r, key, title, sizeof title);
	json_t *o = cells_json(c);
	json_object_set_new(o, "category", json_string(key));
	json_object_set_new(o, "title", json_string(title));
	return o;
}

static json_t *measures_json(const struct annual_measure *m, size_t n, size_t group)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		if (m[i].group == group)
			json_array_append_new(a, json_pack("{s:s, s:s, s:I}", "code", m[i].code,
							   "title", measure_title(m[i].code),
							   "count", (json_int_t)m[i].n));
	return a;
}

void annual_json(const struct annual_report *r, struct buf *out)
{
	json_t *root = json_object();
	json_object_set_new(root, "year", json_integer(r->opts.year));
	json_object_set_new(root, "scope", json_string(r->org[0] ? "department" : "government"));
	json_object_set_new(root, "org", r->org[0] ? json_string(r->org) : json_null());
	json_object_set_new(root, "today", json_boolean(r->opts.today));
	json_object_set_new(root, "taxonomy", json_pack("{s:s, s:i}", "id", r->taxonomy,
							 "revision", r->opts.taxonomy_revision));
	json_object_set_new(root, "suppressed", json_false());
	json_object_set_new(root, "as_of", json_string(r->as_of));
	json_t *deps = json_array();
	for (size_t g = 0; g < r->ngroups; g++) {
		const struct annual_group *x = &r->groups[g];
		json_t *cats = json_array();
		for (size_t i = 0; i < r->nrows; i++)
			if (r->rows[i].group == g)
				json_array_append_new(cats, category_json(r, r->rows[i].category,
									  &r->rows[i].c));
		json_t *d = json_pack("{s:s, s:s, s:o, s:b, s:o, s:I, s:o, s:o}", "code", x->code,
				      "name", x->name, "note",
				      x->note[0] ? json_string(x->note) : json_null(), "undivided",
				      x->undivided, "totals", cells_json(&x->total), "measures",
				      (json_int_t)x->measures, "categories", cats, "measures_by_code",
				      measures_json(r->measures, r->nmeasures, g));
		json_object_set_new(d, "timeliness", timely_json(&x->timely, x->from_registers));
		json_array_append_new(deps, d);
	}
	json_object_set_new(root, "departments", deps);
	size_t ncat = 0;
	struct bycat *cat = by_category(r, &ncat);
	json_t *cats = json_array();
	for (size_t i = 0; i < ncat; i++)
		json_array_append_new(cats, category_json(r, cat[i].category, &cat[i].c));
	free(cat);
	json_t *total = cells_json(&r->total);
	json_object_set_new(total, "measures", json_integer((json_int_t)r->measures_total));
	json_object_set_new(total, "categories", cats);
	json_object_set_new(total, "measures_by_code",
			    measures_json(r->measure_totals, r->nmeasure_totals, (size_t)-1));
	json_object_set_new(total, "timeliness", timely_json(&r->timely, r->from_registers));
	json_object_set_new(root, "total", total);
	char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (s) {
		buf_adds(out, s);
		buf_addc(out, '\n');
		free(s);
	}
	json_decref(root);
}

/* ---- tables ---- */

static void cells_sheet(struct sheet_table *t, const struct annual_cells *c)
{
	sheet_int(t, c->registered);
	sheet_int(t, c->established);
	sheet_int(t, c->partly);
	sheet_int(t, c->not_established);
	sheet_int(t, c->no_outcome);
	sheet_int(t, c->police);
}

static void share_sheet(struct sheet_table *t, int64_t n, int64_t received)
{
	int s = annual_share(n, received);
	if (s < 0)
		sheet_empty(t);
	else
		sheet_number(t, (double)s / 10.0);
}

static void timely_sheet(struct sheet_table *t, const struct annual_timely *x,
			 int64_t from_registers)
{
	sheet_int(t, x->received);
	sheet_int(t, x->ack_on_time);
	share_sheet(t, x->ack_on_time, x->received);
	sheet_int(t, x->feedback_on_time);
	share_sheet(t, x->feedback_on_time, x->received);
	sheet_int(t, x->waiting);
	sheet_int(t, x->overdue);
	sheet_text(t, timely_note(x, from_registers));
}

struct sheet_book *annual_book(const struct annual_report *r, struct arena *a)
{
	struct sheet_book *b = sheet_book_new(a);
	static const char *const vh[] = {"Department", "Name", "Note", "Category", "Title",
					 "Registered", "Established", "Partly established",
					 "Not established", "No outcome", "Police reports"};
	struct sheet_table *v = sheet_table_add(b, "Violations", 11, vh);
	char title[600];
	for (size_t i = 0; v && i < r->nrows; i++) {
		const struct annual_group *g = &r->groups[r->rows[i].group];
		sheet_row(v);
		sheet_text(v, g->code);
		sheet_text(v, g->name);
		sheet_text(v, g->note);
		sheet_text(v, r->rows[i].category);
		category_title(r, r->rows[i].category, title, sizeof title);
		sheet_text(v, title);
		cells_sheet(v, &r->rows[i].c);
	}
	size_t ncat = 0;
	struct bycat *cat = by_category(r, &ncat);
	for (size_t i = 0; v && i < ncat; i++) {
		sheet_row(v);
		sheet_text(v, "Total");
		sheet_empty(v);
		sheet_empty(v);
		sheet_text(v, cat[i].category);
		category_title(r, cat[i].category, title, sizeof title);
		sheet_text(v, title);
		cells_sheet(v, &cat[i].c);
	}
	free(cat);

	static const char *const mh[] = {"Department", "Note", "Measure", "Title", "Number"};
	struct sheet_table *m = sheet_table_add(b, "Measures", 5, mh);
	for (size_t i = 0; m && i < r->nmeasures; i++) {
		const struct annual_group *g = &r->groups[r->measures[i].group];
		sheet_row(m);
		sheet_text(m, g->code);
		sheet_text(m, g->note);
		sheet_text(m, r->measures[i].code);
		sheet_text(m, measure_title(r->measures[i].code));
		sheet_int(m, r->measures[i].n);
	}
	for (size_t i = 0; m && i < r->nmeasure_totals; i++) {
		sheet_row(m);
		sheet_text(m, "Total");
		sheet_empty(m);
		sheet_text(m, r->measure_totals[i].code);
		sheet_text(m, measure_title(r->measure_totals[i].code));
		sheet_int(m, r->measure_totals[i].n);
	}

	static const char *const dh[] = {"Department", "Name", "Note", "Registered",
					 "Established", "Partly established", "Not established",
					 "No outcome", "Police reports", "Measures"};
	struct sheet_table *d = sheet_table_add(b, "Departments", 10, dh);
	for (size_t i = 0; d && i < r->ngroups; i++) {
		sheet_row(d);
		sheet_text(d, r->groups[i].code);
		sheet_text(d, r->groups[i].name);
		sheet_text(d, r->groups[i].note);
		cells_sheet(d, &r->groups[i].total);
		sheet_int(d, r->groups[i].measures);
	}
	if (d) {
		sheet_row(d);
		sheet_text(d, "Total");
		sheet_empty(d);
		sheet_empty(d);
		cells_sheet(d, &r->total);
		sheet_int(d, r->measures_total);
	}

	const char *th[] = {"Department", "Name", "Note", "Reports received",
			    "Acknowledged within 7 days", "Share acknowledged within 7 days (%)",
			    "Feedback within 3 months", "Share feedback within 3 months (%)",
			    arena_printf(a, "Without feedback on %s", r->as_of),
			    arena_printf(a, "Overdue on %s", r->as_of), "Timeliness note"};
	struct sheet_table *t = sheet_table_add(b, "Timeliness", 11, th);
	for (size_t i = 0; t && i < r->ngroups; i++) {
		sheet_row(t);
		sheet_text(t, r->groups[i].code);
		sheet_text(t, r->groups[i].name);
		sheet_text(t, r->groups[i].note);
		timely_sheet(t, &r->groups[i].timely, r->groups[i].from_registers);
	}
	if (t) {
		sheet_row(t);
		sheet_text(t, "Total");
		sheet_empty(t);
		sheet_empty(t);
		timely_sheet(t, &r->timely, r->from_registers);
	}
	return b;
}
