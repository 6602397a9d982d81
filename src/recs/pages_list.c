/* pages_list.c: the tracker's overview pages (pages.h): GET /aanbevelingen
 * (every source with its tally), a source with its recommendations, and
 * the overview for a letter to parliament as print-ready HTML
 * (/aanbevelingen/overzicht) and as a workbook (.../overzicht.xlsx, sheets
 * "sources", "recommendations" and "tally"). */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/log.h"
#include "recs/pages.h"
#include "recs_tmpl.h"
#include "web/i18n.h"
#include "web/page.h"
#include "web/sheet.h"

/* Everything the overviews read, once. */
struct all {
	struct recs_source *src;
	size_t nsrc;
	struct recs_rec *recs;
	size_t nrecs;
	struct recs_note *latest;
	size_t nlatest;
	char today[DATE_LEN + 1];
};

static int load_all(struct page *p, struct all *x)
{
	struct recs_error e;
	memset(x, 0, sizeof *x);
	date_today(x->today);
	if (recs_source_list(p->db, p->a, &x->src, &x->nsrc, &e) != 0 ||
	    recs_rec_list(p->db, p->a, 0, &x->recs, &x->nrecs, &e) != 0 ||
	    recs_note_latest(p->db, p->a, &x->latest, &x->nlatest, &e) != 0) {
		recs_fail_page(p, &e);
		return -1;
	}
	return 0;
}

static const struct recs_note *latest_of(const struct all *x, int64_t rec_id)
{
	for (size_t i = 0; i < x->nlatest; i++)
		if (x->latest[i].rec_id == rec_id)
			return &x->latest[i];
	return NULL;
}

/* "2025-05-01 (FIN): text" or "—". */
static const char *progress_words(struct page *p, const struct recs_note *n, size_t cut)
{
	if (!n)
		return "\xe2\x80\x94";
	const char *text = cut ? recs_excerpt(p, n->text, cut) : n->text;
	if (*n->org_code)
		return arena_printf(p->a, "%s (%s): %s", n->noted_on, n->org_code, text);
	return arena_printf(p->a, "%s: %s", n->noted_on, text);
}

static const char *due_words(struct page *p, const struct recs_rec *r, const char *today)
{
	if (!*r->report_due)
		return "\xe2\x80\x94";
	if (recs_overdue(r, today))
		return page_tr1(p, "{} (overdue)", r->report_due);
	return r->report_due;
}

static const char *src_href(struct page *p, int64_t id)
{
	return arena_printf(p->a, "/aanbevelingen/bronnen/%lld", (long long)id);
}

/* ---- GET /aanbevelingen ---- */

void recs_page_index(struct page *p)
{
	struct all x;
	if (load_all(p, &x) != 0)
		return;
	int editor = recs_editor_scope(p->db, p->viewer, NULL) == 1;
	const char **heads = arena_alloc(p->a, RECS_NSTATUS * sizeof *heads);
	for (int s = 0; s < RECS_NSTATUS; s++)
		heads[s] = recs_status_words(p, s);
	struct recv_tally_row *rows = arena_alloc(p->a, (x.nsrc ? x.nsrc : 1) * sizeof *rows);
	struct recs_tally total = {0};
	for (size_t i = 0; i < x.nsrc; i++) {
		struct recs_tally t = {0};
		for (size_t j = 0; j < x.nrecs; j++)
			if (x.recs[j].source_id == x.src[i].id) {
				recs_tally_add(&t, &x.recs[j], x.today);
				recs_tally_add(&total, &x.recs[j], x.today);
			}
		rows[i] = (struct recv_tally_row){src_href(p, x.src[i].id), x.src[i].title,
						  *x.src[i].round ? x.src[i].round : "\xe2\x80\x94",
						  {0}, t.total, t.overdue};
		memcpy(rows[i].count, t.count, sizeof rows[i].count);
	}
	struct recv_tally_row tr = {NULL, NULL, NULL, {0}, total.total, total.overdue};
	memcpy(tr.count, total.count, sizeof tr.count);
	struct recv_link actions[] = {{"/aanbevelingen/bronnen/nieuw", page_tr(p, "Add a source")}};
	struct recv_link exports[] = {
		{"/aanbevelingen/overzicht", page_tr(p, "print-ready page")},
		{"/aanbevelingen/overzicht.xlsx", page_tr(p, "spreadsheet (XLSX)")},
	};
	struct recs_index_view v = {
		.notice = recs_saved_notice(p),
		.heads = heads,
		.rows = rows,
		.nrows = x.nsrc,
		.total = tr,
		.actions = actions,
		.nactions = editor ? 1 : 0,
		.exports = exports,
		.nexports = 2,
		.policy_href = "/beleid",
	};
	page_begin(p, page_tr(p, "Recommendations"));
	tmpl_recs_index(&p->res->body, &p->t, &v);
	page_end(p);
}

/* ---- GET /aanbevelingen/bronnen/{id} ---- */

void recs_page_source(struct page *p)
{
	struct recs_error e;
	struct recs_source s;
	struct recs_rec *recs;
	size_t n, nlatest;
	struct recs_note *latest;
	char today[DATE_LEN + 1];
	date_today(today);
	if (recs_source_get(p->db, p->params[0], &s, &e) != 0 ||
	    recs_rec_list(p->db, p->a, s.id, &recs, &n, &e) != 0 ||
	    recs_note_latest(p->db, p->a, &latest, &nlatest, &e) != 0) {
		recs_fail_page(p, &e);
		return;
	}
	struct all x = {.latest = latest, .nlatest = nlatest};
	int editor = recs_editor_scope(p->db, p->viewer, NULL) == 1;
	struct recv_fact facts[6];
	size_t nf = 0;
	facts[nf++] = recs_fact(page_tr(p, "Kind"), page_tr(p, recs_kind_label(s.kind)), 0);
	if (*s.reference)
		facts[nf++] = recs_fact(page_tr(p, "Reference"), s.reference, 0);
	facts[nf++] = recs_fact(page_tr(p, "Date"), s.issued_on, 0);
	if (*s.round)
		facts[nf++] = recs_fact(page_tr(p, "Round or cycle"), s.round, 0);
	if (*s.link)
		facts[nf++] = (struct recv_fact){.term = page_tr(p, "Link"), .value = s.link,
						 .ext = s.link};
	struct recv_rec_row *rows = arena_alloc(p->a, (n ? n : 1) * sizeof *rows);
	struct recs_tally t = {0};
	for (size_t i = 0; i < n; i++) {
		const struct recs_rec *r = &recs[i];
		recs_tally_add(&t, r, today);
		rows[i] = (struct recv_rec_row){
			arena_printf(p->a, "/aanbevelingen/%lld", (long long)r->id), r->number,
			recs_excerpt(p, r->text, 200), recs_addressee_words(p, r),
			recs_status_words(p, r->status), due_words(p, r, today),
			progress_words(p, latest_of(&x, r->id), 160), recs_overdue(r, today)};
	}
	struct recv_link actions[] = {
		{arena_printf(p->a, "/aanbevelingen/bronnen/%lld/nieuw", (long long)s.id),
		 page_tr(p, "Add a recommendation")},
		{arena_printf(p->a, "/aanbevelingen/bronnen/%lld/bewerken", (long long)s.id),
		 page_tr(p, "Edit the source")},
	};
	struct recs_source_view v = {
		.title = s.title,
		.notice = recs_saved_notice(p),
		.facts = facts,
		.nfacts = nf,
		.tally = recs_tally_words(p, &t),
		.rows = rows,
		.nrows = n,
		.actions = actions,
		.nactions = editor ? 2 : 0,
		.back_href = "/aanbevelingen",
	};
	page_begin(p, s.title);
	tmpl_recs_source(&p->res->body, &p->t, &v);
	page_end(p);
}

/* ---- the overview for a letter to parliament ---- */

void recs_page_overview(struct page *p)
{
	struct all x;
	if (load_all(p, &x) != 0)
		return;
	struct recv_ov_source *src = arena_alloc(p->a, (x.nsrc ? x.nsrc : 1) * sizeof *src);
	struct recs_tally total = {0};
	for (size_t i = 0; i < x.nsrc; i++) {
		struct recs_tally t = {0};
		size_t k = 0;
		struct recv_ov_rec *recs = arena_alloc(p->a, (x.nrecs ? x.nrecs : 1) * sizeof *recs);
		for (size_t j = 0; j < x.nrecs; j++) {
			const struct recs_rec *r = &x.recs[j];
			if (r->source_id != x.src[i].id)
				continue;
			recs_tally_add(&t, r, x.today);
			recs_tally_add(&total, r, x.today);
			const char *status = recs_status_words(p, r->status);
			if (*r->status_on)
				status = arena_printf(p->a, "%s (%s)", status, r->status_on);
			recs[k++] = (struct recv_ov_rec){
				r->number, r->text, recs_addressee_words(p, r),
				*r->response ? arena_printf(p->a, "%s (%s)", r->response, r->response_on)
					     : page_tr(p, "No response recorded."),
				status, due_words(p, r, x.today),
				progress_words(p, latest_of(&x, r->id), 0), recs_overdue(r, x.today)};
		}
		src[i] = (struct recv_ov_source){x.src[i].title, recs_source_meta(p, &x.src[i]),
						 recs_tally_words(p, &t), recs, k};
	}
	struct recs_overview_view v = {
		.title = page_tr(p, "Overview of recommendations"),
		.made_on = page_tr1(p, "State of affairs on {}.", x.today),
		.total = recs_tally_words(p, &total),
		.sources = src,
		.n = x.nsrc,
		.xlsx_href = "/aanbevelingen/overzicht.xlsx",
		.back_href = "/aanbevelingen",
	};
	page_begin(p, v.title);
	tmpl_recs_overview(&p->res->body, &p->t, &v);
	page_end(p);
}

void recs_page_xlsx(struct page *p)
{
	struct all x;
	char err[200];
	if (load_all(p, &x) != 0)
		return;
	struct sheet_book *b = sheet_book_new(p->a);
	const char *sh[] = {"id", page_tr(p, "Kind"), page_tr(p, "Title"), page_tr(p, "Reference"),
			    page_tr(p, "Date"), page_tr(p, "Round or cycle"), page_tr(p, "Link")};
	struct sheet_table *t = sheet_table_add(b, page_tr(p, "sources"), 7, sh);
	for (size_t i = 0; t && i < x.nsrc; i++) {
		const struct recs_source *s = &x.src[i];
		sheet_row(t);
		sheet_int(t, s->id);
		sheet_text(t, page_tr(p, recs_kind_label(s->kind)));
		sheet_text(t, s->title);
		sheet_text(t, s->reference);
		sheet_text(t, s->issued_on);
		sheet_text(t, s->round);
		sheet_text(t, s->link);
	}
	const char *rh[] = {"id", page_tr(p, "Source"), page_tr(p, "Number"),
			    page_tr(p, "Recommendation"), page_tr(p, "Addressed to"),
			    page_tr(p, "Response of the government"), page_tr(p, "Response on"),
			    page_tr(p, "Status"), page_tr(p, "Status on"),
			    page_tr(p, "Next progress report"), page_tr(p, "Overdue"),
			    page_tr(p, "Latest progress on"), page_tr(p, "Latest progress")};
	t = sheet_table_add(b, page_tr(p, "recommendations"), 13, rh);
	for (size_t j = 0; t && j < x.nrecs; j++) {
		const struct recs_rec *r = &x.recs[j];
		const char *source = "";
		for (size_t i = 0; i < x.nsrc; i++)
			if (x.src[i].id == r->source_id)
				source = x.src[i].title;
		const struct recs_note *n = latest_of(&x, r->id);
		sheet_row(t);
		sheet_int(t, r->id);
		sheet_text(t, source);
		sheet_text(t, r->number);
		sheet_text(t, r->text);
		sheet_text(t, recs_addressee_words(p, r));
		sheet_text(t, r->response);
		sheet_text(t, r->response_on);
		sheet_text(t, recs_status_words(p, r->status));
		sheet_text(t, r->status_on);
		sheet_text(t, r->report_due);
		sheet_text(t, recs_overdue(r, x.today) ? page_tr(p, "yes") : page_tr(p, "no"));
		sheet_text(t, n ? n->noted_on : "");
		sheet_text(t, !n ? "" : *n->org_code ? arena_printf(p->a, "(%s) %s", n->org_code, n->text)
						     : n->text);
	}
	const char *th[] = {page_tr(p, "Source"), page_tr(p, "Round or cycle"),
			    recs_status_words(p, RECS_STATUS_IMPLEMENTED),
			    recs_status_words(p, RECS_STATUS_PARTLY),
			    recs_status_words(p, RECS_STATUS_NOT),
			    recs_status_words(p, RECS_STATUS_NONE), page_tr(p, "Total"),
			    page_tr(p, "Progress report overdue")};
	t = sheet_table_add(b, page_tr(p, "tally"), 8, th);
	struct recs_tally total = {0};
	for (size_t i = 0; t && i <= x.nsrc; i++) {
		struct recs_tally c = {0};
		for (size_t j = 0; j < x.nrecs; j++)
			if (i == x.nsrc || x.recs[j].source_id == x.src[i].id)
				recs_tally_add(i == x.nsrc ? &total : &c, &x.recs[j], x.today);
		const struct recs_tally *w = i == x.nsrc ? &total : &c;
		sheet_row(t);
		sheet_text(t, i == x.nsrc ? page_tr(p, "All sources") : x.src[i].title);
		sheet_text(t, i == x.nsrc ? "" : x.src[i].round);
		sheet_int(t, w->count[RECS_STATUS_IMPLEMENTED]);
		sheet_int(t, w->count[RECS_STATUS_PARTLY]);
		sheet_int(t, w->count[RECS_STATUS_NOT]);
		sheet_int(t, w->count[RECS_STATUS_NONE]);
		sheet_int(t, w->total);
		sheet_int(t, w->overdue);
	}
	struct buf out = BUF_INIT;
	if (sheet_write_xlsx(b, &out, err, sizeof err) != 0) {
		buf_free(&out);
		log_error("recommendations: XLSX: %s", err);
		page_fail(p, 500, "The spreadsheet cannot be made at the moment. Try again later.");
		return;
	}
	buf_reset(&p->res->body);
	buf_add(&p->res->body, out.p, out.n);
	buf_free(&out);
	p->res->status = 200;
	p->res->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	http_add_header(p->res, "Content-Disposition",
			arena_printf(p->a, "attachment; filename=\"aanbevelingen-%s.xlsx\"", x.today));
}
