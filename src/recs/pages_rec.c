/* pages_rec.c: a recommendation's page and the tracker's forms (pages.h):
 * a source, a recommendation (text, addressees, due date, policy items),
 * the government's response, the status and a progress note. A refused
 * form comes back (422) with the rule's message and the values as typed;
 * a row that does not exist answers 404 and nothing changes. Routes:
 *
 *   GET  /aanbevelingen/{id}                      the recommendation
 *   GET  /aanbevelingen/bronnen/nieuw             POST /aanbevelingen/bronnen
 *   GET  /aanbevelingen/bronnen/{id}/bewerken     POST /aanbevelingen/bronnen/{id}
 *   GET  /aanbevelingen/bronnen/{id}/nieuw        POST /aanbevelingen/bronnen/{id}/aanbevelingen
 *   GET  /aanbevelingen/{id}/bewerken             POST the same
 *   GET  /aanbevelingen/{id}/reactie              POST the same
 *   GET  /aanbevelingen/{id}/status               POST the same
 *   GET  /aanbevelingen/{id}/voortgang            POST the same */
#include <stdio.h>
#include <string.h>

#include "accounts/viewer.h"
#include "base/date.h"
#include "base/num.h"
#include "recs/pages.h"
#include "recs/policy.h"
#include "recs_tmpl.h"
#include "web/i18n.h"
#include "web/page.h"

static const char *id_str(struct page *p, int64_t id)
{
	return arena_printf(p->a, "%lld", (long long)id);
}

static const char *rec_href(struct page *p, int64_t id, const char *rest)
{
	return arena_printf(p->a, "/aanbevelingen/%lld%s", (long long)id, rest);
}

static const char *source_href(struct page *p, int64_t id, const char *rest)
{
	return arena_printf(p->a, "/aanbevelingen/bronnen/%lld%s", (long long)id, rest);
}

/* ---- GET /aanbevelingen/{id} ---- */

void recs_page_rec(struct page *p)
{
	struct recs_error e;
	struct recs_rec r;
	struct recs_source s;
	struct recs_note *notes;
	size_t nn;
	char today[DATE_LEN + 1];
	date_today(today);
	if (recs_rec_get(p->db, p->params[0], &r, &e) != 0 ||
	    recs_source_get(p->db, r.source_id, &s, &e) != 0 ||
	    recs_note_list(p->db, p->a, r.id, &notes, &nn, &e) != 0) {
		recs_fail_page(p, &e);
		return;
	}
	int editor = recs_editor_scope(p->db, p->viewer, NULL) == 1;
	struct recv_fact f[10];
	size_t k = 0;
	f[k++] = (struct recv_fact){.term = page_tr(p, "Source"), .value = s.title,
				    .href = source_href(p, s.id, "")};
	f[k++] = recs_fact(page_tr(p, "Recommendation"), r.text, 1);
	f[k++] = recs_fact(page_tr(p, "Addressed to"), recs_addressee_words(p, &r), 0);
	f[k++] = recs_fact(page_tr(p, "Response of the government"),
				    *r.response ? r.response : page_tr(p, "No response recorded."), 1);
	if (*r.response_on)
		f[k++] = recs_fact(page_tr(p, "Response on"), r.response_on, 0);
	f[k++] = recs_fact(page_tr(p, "Status"),
				    *r.status_on ? arena_printf(p->a, "%s (%s)",
								recs_status_words(p, r.status),
								r.status_on)
						 : recs_status_words(p, r.status), 0);
	int late = recs_overdue(&r, today);
	f[k++] = (struct recv_fact){
		.term = page_tr(p, "Next progress report"),
		.value = !*r.report_due ? page_tr(p, "none due")
		       : late		? page_tr1(p, "{} (overdue)", r.report_due)
					: r.report_due,
		.overdue = late};
	struct recv_note *vn = arena_alloc(p->a, (nn ? nn : 1) * sizeof *vn);
	for (size_t i = 0; i < nn; i++) {
		struct recv_link *links = arena_alloc(p->a, RECS_LINKS_MAX * sizeof *links);
		for (size_t j = 0; j < notes[i].nlinks; j++)
			links[j] = (struct recv_link){notes[i].links[j], notes[i].links[j]};
		vn[i] = (struct recv_note){notes[i].noted_on,
					   *notes[i].org_code ? notes[i].org_code
							      : page_tr(p, "government-wide"),
					   notes[i].text, links, notes[i].nlinks};
	}
	struct recv_link *pol = arena_alloc(p->a, RECS_POLICIES_MAX * sizeof *pol);
	for (size_t i = 0; i < r.npolicies; i++)
		pol[i] = (struct recv_link){arena_printf(p->a, "/beleid/%lld", (long long)r.policies[i].id),
					    r.policies[i].title};
	struct recv_link actions[] = {
		{rec_href(p, r.id, "/voortgang"), page_tr(p, "Record progress")},
		{rec_href(p, r.id, "/status"), page_tr(p, "Change the status")},
		{rec_href(p, r.id, "/reactie"), page_tr(p, "Record the response")},
		{rec_href(p, r.id, "/bewerken"), page_tr(p, "Edit the recommendation")},
	};
	struct recs_rec_view v = {
		.title = page_tr1(p, "Recommendation {}", r.number),
		.notice = recs_saved_notice(p),
		.facts = f,
		.nfacts = k,
		.notes = vn,
		.nnotes = nn,
		.policies = pol,
		.npolicies = r.npolicies,
		.actions = actions,
		.nactions = editor ? 4 : 0,
		.back_href = source_href(p, s.id, ""),
		.back_label = page_tr1(p, "Back to {}", s.title),
	};
	page_begin(p, v.title);
	tmpl_recs_rec(&p->res->body, &p->t, &v);
	page_end(p);
}

/* ---- sources ---- */

static void source_show(struct page *p, const struct recs_source *s, int status, const char *err)
{
	struct recs_fb b = {.p = p};
	size_t nk = 0;
	while (recs_kinds[nk])
		nk++;
	struct recv_option *o = recs_options(p, nk);
	for (size_t i = 0; i < nk; i++)
		o[i] = (struct recv_option){recs_kinds[i], page_tr(p, recs_kind_label(recs_kinds[i])),
					    strcmp(s->kind, recs_kinds[i]) == 0};
	recs_fb_set(&b, N_("The source"), NULL);
	recs_fb_choice(&b, RECV_SELECT, "kind", N_("Kind"), o, nk);
	struct recv_field *f = recs_fb_add(&b, RECV_TEXT, "title", N_("Title"), s->title);
	f->maxlength = RECS_TITLE_MAX;
	f->required = 1;
	f = recs_fb_add(&b, RECV_TEXT, "reference", N_("Reference"), s->reference);
	f->maxlength = RECS_REF_MAX;
	f->hint = page_tr(p, "Optional. For example the parliamentary paper's number.");
	recs_fb_add(&b, RECV_DATE, "issued_on", N_("Date"), s->issued_on)->required = 1;
	f = recs_fb_add(&b, RECV_TEXT, "round", N_("Round or cycle"), s->round);
	f->maxlength = RECS_ROUND_MAX;
	f->hint = page_tr(p, "Optional. For example 'Fifth evaluation round' or 'Follow-up 2025'.");
	f = recs_fb_add(&b, RECV_TEXT, "link", N_("Link"), s->link);
	f->maxlength = RECS_URL_MAX;
	f->hint = page_tr(p, "Optional. A web address starting with https://.");
	recs_fb_show(&b, status,
		     page_tr(p, s->id ? N_("Edit a source") : N_("Add a source")),
		     N_("A report, evaluation round, opinion or inquiry that makes recommendations to the government."),
		     s->id ? source_href(p, s->id, "") : "/aanbevelingen/bronnen", err,
		     s->id ? source_href(p, s->id, "") : "/aanbevelingen",
		     s->id ? N_("Back to the source") : N_("Back to all recommendations"));
}

void recs_page_source_form(struct page *p)
{
	struct recs_source s = {0};
	struct recs_error e;
	if (recs_require_editor(p, NULL) != 0)
		return;
	strcpy(s.kind, "court_of_audit");
	if (p->params[0] && recs_source_get(p->db, p->params[0], &s, &e) != 0) {
		recs_fail_page(p, &e);
		return;
	}
	source_show(p, &s, 200, NULL);
}

void recs_page_source_post(struct page *p)
{
	struct recs_source s = {0};
	struct recs_error e;
	const char *err = NULL;
	char today[DATE_LEN + 1];
	if (recs_require_editor(p, NULL) != 0)
		return;
	s.id = p->params[0];
	if (recs_take(p, "kind", s.kind, sizeof s.kind) | recs_take(p, "title", s.title, sizeof s.title) |
	    recs_take(p, "reference", s.reference, sizeof s.reference) |
	    recs_take(p, "issued_on", s.issued_on, sizeof s.issued_on) |
	    recs_take(p, "round", s.round, sizeof s.round) | recs_take(p, "link", s.link, sizeof s.link))
		err = page_tr(p, "A field is longer than it may be: the title at most 200 characters, the reference and the round 100, the link 500.");
	if (!err) {
		date_today(today);
		if (recs_source_save(p->db, p->signer, p->viewer->account.id, &s, today, &e) == 0) {
			page_redirect(p, source_href(p, s.id, "?opgeslagen=1"));
			return;
		}
		if (!recs_refused(p, &e, &err))
			return;
	}
	source_show(p, &s, 422, err);
}

/* ---- a recommendation's own fields ---- */

/* The departments a recommendation may be addressed to: those in the
 * coordinator's scope, and any it is addressed to already (a department
 * since closed stays until it is unchecked). */
static struct recv_option *dept_options(struct page *p, const struct scope *sc,
					const struct recs_rec *r, size_t *n)
{
	struct recv_option *o = recs_options(p, sc->n + r->naddressees);
	size_t k = 0;
	for (size_t i = 0; i < sc->n; i++) {
		int chosen = 0;
		for (size_t j = 0; j < r->naddressees; j++)
			chosen |= r->addressees[j].id == sc->dept[i].id;
		o[k++] = (struct recv_option){id_str(p, sc->dept[i].id),
					      arena_printf(p->a, "%s (%s)", sc->dept[i].name,
							   sc->dept[i].code), chosen};
	}
	for (size_t j = 0; j < r->naddressees; j++)
		if (!scope_find(sc, r->addressees[j].id))
			o[k++] = (struct recv_option){id_str(p, r->addressees[j].id),
						      r->addressees[j].code, 1};
	*n = k;
	return o;
}

static void rec_show(struct page *p, const struct scope *sc, const struct recs_source *s,
		     const struct recs_rec *r, int status, const char *err)
{
	struct recs_fb b = {.p = p};
	struct recs_error e;
	struct policy_item *items;
	size_t ni = 0, nd;
	if (policy_item_list(p->db, p->a, &items, &ni, &e) != 0)
		ni = 0;
	recs_fb_set(&b, N_("The recommendation"), NULL);
	struct recv_field *f = recs_fb_add(&b, RECV_TEXT, "number", N_("Number"), r->number);
	f->maxlength = RECS_NUMBER_MAX;
	f->required = 1;
	f->hint = page_tr(p, "Its number within the source, for example 3 or iv.");
	f = recs_fb_add(&b, RECV_TEXTAREA, "text", N_("Text"), r->text);
	f->maxlength = RECS_TEXT_MAX;
	f->hint = page_tr(p, "At most 4,000 characters.");
	f = recs_fb_add(&b, RECV_DATE, "report_due", N_("Next progress report due"), r->report_due);
	f->hint = page_tr(p, "Optional. Shown as overdue once passed, until the recommendation is implemented satisfactorily.");
	recs_fb_set(&b, N_("Addressed to"),
		    N_("Check none for a recommendation to the government as a whole."));
	struct recv_option *d = dept_options(p, sc, r, &nd);
	recs_fb_choice(&b, RECV_CHECKS, "dept", N_("Departments"), d, nd);
	recs_fb_set(&b, N_("Policy items that answer it"), NULL);
	struct recv_option *o = recs_options(p, ni);
	for (size_t i = 0; i < ni; i++) {
		int chosen = 0;
		for (size_t j = 0; j < r->npolicies; j++)
			chosen |= r->policies[j].id == items[i].id;
		o[i] = (struct recv_option){id_str(p, items[i].id), items[i].title, chosen};
	}
	if (ni)
		recs_fb_choice(&b, RECV_CHECKS, "policy", N_("Policy items"), o, ni);
	else
		b.sets[b.nsets - 1].hint = page_tr(p, "There are no policy items yet.");
	recs_fb_show(&b, status,
		     page_tr(p, r->id ? N_("Edit a recommendation") : N_("Add a recommendation")),
		     NULL, r->id ? rec_href(p, r->id, "/bewerken")
				 : source_href(p, s->id, "/aanbevelingen"),
		     err, r->id ? rec_href(p, r->id, "") : source_href(p, s->id, ""),
		     r->id ? N_("Back to the recommendation") : N_("Back to the source"));
}

/* Reads the form's own fields into r; NULL, or the message of a field
 * that does not fit or a choice not offered. */
static const char *rec_read(struct page *p, const struct scope *sc, const struct recs_rec *was,
			    struct recs_rec *r)
{
	const char *err = NULL;
	if (recs_take(p, "number", r->number, sizeof r->number) |
	    recs_take(p, "text", r->text, sizeof r->text) |
	    recs_take(p, "report_due", r->report_due, sizeof r->report_due))
		err = page_tr(p, "A field is longer than it may be: the number at most 20 characters, the text 4,000.");
	r->naddressees = r->npolicies = 0;
	for (size_t i = 0; i < p->form.n; i++) {
		const char *name = p->form.fields[i].name, *val = p->form.fields[i].value;
		int64_t id;
		int dept = strcmp(name, "dept") == 0;
		if (!dept && strcmp(name, "policy") != 0)
			continue;
		if (num_parse_i64z(val, 1, INT64_MAX, &id) != 0) {
			err = page_tr(p, "Choose from the lists.");
			continue;
		}
		if (dept) {
			int offered = scope_find(sc, id) != NULL;
			for (size_t j = 0; was && j < was->naddressees; j++)
				offered |= was->addressees[j].id == id;
			if (!offered)
				err = page_tr(p, "Choose departments from the list: only those in your scope.");
			else if (r->naddressees < RECS_ADDRESSEES_MAX)
				r->addressees[r->naddressees++].id = id;
		} else if (r->npolicies < RECS_POLICIES_MAX) {
			r->policies[r->npolicies++].id = id;
		} else {
			err = page_tr(p, "Too many departments or policy items are chosen.");
		}
	}
	return err;
}

void recs_page_rec_new(struct page *p)
{
	struct scope sc;
	struct recs_source s;
	struct recs_rec *r;
	struct recs_error e;
	if (recs_require_editor(p, &sc) != 0)
		return;
	if (recs_source_get(p->db, p->params[0], &s, &e) != 0) {
		recs_fail_page(p, &e);
		return;
	}
	r = arena_alloc(p->a, sizeof *r);
	r->source_id = s.id;
	rec_show(p, &sc, &s, r, 200, NULL);
}

/* Saves r (part) after the form was read; answers the page. */
static void rec_save(struct page *p, const struct scope *sc, const struct recs_source *s,
		     struct recs_rec *r, int part, const char *err,
		     void (*again)(struct page *, const struct scope *, const struct recs_source *,
				   const struct recs_rec *, int, const char *))
{
	struct recs_error e;
	char today[DATE_LEN + 1];
	if (!err) {
		date_today(today);
		struct recs_rec *w = arena_alloc(p->a, sizeof *w);
		*w = *r;
		if (recs_rec_save(p->db, p->signer, p->viewer->account.id, w, part, today, &e) == 0) {
			page_redirect(p, rec_href(p, w->id, "?opgeslagen=1"));
			return;
		}
		if (!recs_refused(p, &e, &err))
			return;
	}
	again(p, sc, s, r, 422, err);
}

void recs_page_rec_new_post(struct page *p)
{
	struct scope sc;
	struct recs_source s;
	struct recs_error e;
	if (recs_require_editor(p, &sc) != 0)
		return;
	if (recs_source_get(p->db, p->params[0], &s, &e) != 0) {
		recs_fail_page(p, &e);
		return;
	}
	struct recs_rec *r = arena_alloc(p->a, sizeof *r);
	r->source_id = s.id;
	const char *err = rec_read(p, &sc, NULL, r);
	rec_save(p, &sc, &s, r, RECS_PART_ALL, err, rec_show);
}

/* The recommendation of the path and its source; 0, or answered. */
static int load_rec(struct page *p, struct recs_rec *r, struct recs_source *s)
{
	struct recs_error e;
	if (recs_rec_get(p->db, p->params[0], r, &e) != 0 ||
	    recs_source_get(p->db, r->source_id, s, &e) != 0) {
		recs_fail_page(p, &e);
		return -1;
	}
	return 0;
}

void recs_page_rec_edit(struct page *p)
{
	struct scope sc;
	struct recs_source s;
	struct recs_rec *r = arena_alloc(p->a, sizeof *r);
	if (recs_require_editor(p, &sc) != 0 || load_rec(p, r, &s) != 0)
		return;
	rec_show(p, &sc, &s, r, 200, NULL);
}

void recs_page_rec_edit_post(struct page *p)
{
	struct scope sc;
	struct recs_source s;
	struct recs_rec *was = arena_alloc(p->a, sizeof *was);
	if (recs_require_editor(p, &sc) != 0 || load_rec(p, was, &s) != 0)
		return;
	struct recs_rec *r = arena_alloc(p->a, sizeof *r);
	*r = *was;
	const char *err = rec_read(p, &sc, was, r);
	/* the codes of the addressees as shown again on a refused form */
	for (size_t i = 0; i < r->naddressees; i++)
		for (size_t j = 0; j < was->naddressees; j++)
			if (was->addressees[j].id == r->addressees[i].id)
				r->addressees[i] = was->addressees[j];
	rec_save(p, &sc, &s, r, RECS_PART_MAIN, err, rec_show);
}

/* ---- the response ---- */

static void response_show(struct page *p, const struct scope *sc, const struct recs_source *s,
			  const struct recs_rec *r, int status, const char *err)
{
	(void)sc;
	(void)s;
	struct recs_fb b = {.p = p};
	recs_fb_set(&b, N_("The government's response"), NULL);
	struct recv_field *f = recs_fb_add(&b, RECV_TEXTAREA, "response", N_("Response"), r->response);
	f->maxlength = RECS_TEXT_MAX;
	f->hint = page_tr(p, "What the government said it would do, for example in its letter to parliament. At most 4,000 characters.");
	recs_fb_add(&b, RECV_DATE, "response_on", N_("Date of the response"), r->response_on);
	recs_fb_show(&b, status, page_tr1(p, "The response to recommendation {}", r->number), NULL,
		     rec_href(p, r->id, "/reactie"), err, rec_href(p, r->id, ""),
		     N_("Back to the recommendation"));
}

void recs_page_response(struct page *p)
{
	struct recs_source s;
	struct recs_rec *r = arena_alloc(p->a, sizeof *r);
	if (recs_require_editor(p, NULL) != 0 || load_rec(p, r, &s) != 0)
		return;
	response_show(p, NULL, &s, r, 200, NULL);
}

void recs_page_response_post(struct page *p)
{
	struct recs_source s;
	struct recs_rec *r = arena_alloc(p->a, sizeof *r);
	const char *err = NULL;
	if (recs_require_editor(p, NULL) != 0 || load_rec(p, r, &s) != 0)
		return;
	if (recs_take(p, "response", r->response, sizeof r->response) |
	    recs_take(p, "response_on", r->response_on, sizeof r->response_on))
		err = page_tr(p, "The response is too long: at most 4,000 characters.");
	rec_save(p, NULL, &s, r, RECS_PART_RESPONSE, err, response_show);
}

/* ---- the status ---- */

static void status_show(struct page *p, const struct scope *sc, const struct recs_source *s,
			const struct recs_rec *r, int status, const char *err)
{
	(void)sc;
	(void)s;
	struct recs_fb b = {.p = p};
	static const int order[] = {RECS_STATUS_NONE, RECS_STATUS_IMPLEMENTED, RECS_STATUS_PARTLY,
				    RECS_STATUS_NOT};
	struct recv_option *o = recs_options(p, RECS_NSTATUS);
	for (int i = 0; i < RECS_NSTATUS; i++)
		o[i] = (struct recv_option){recs_status_id(order[i]), recs_status_words(p, order[i]),
					    r->status == order[i]};
	recs_fb_set(&b, N_("The status"),
		    N_("On GRECO's scale: implemented satisfactorily, partly implemented or not implemented."));
	recs_fb_choice(&b, RECV_SELECT, "status", N_("Status"), o, RECS_NSTATUS);
	struct recv_field *f = recs_fb_add(&b, RECV_DATE, "status_on", N_("Given on"), r->status_on);
	f->hint = page_tr(p, "When the status was given, for example the date of the compliance report. Empty for no status yet.");
	recs_fb_show(&b, status, page_tr1(p, "The status of recommendation {}", r->number), NULL,
		     rec_href(p, r->id, "/status"), err, rec_href(p, r->id, ""),
		     N_("Back to the recommendation"));
}

void recs_page_status(struct page *p)
{
	struct recs_source s;
	struct recs_rec *r = arena_alloc(p->a, sizeof *r);
	if (recs_require_editor(p, NULL) != 0 || load_rec(p, r, &s) != 0)
		return;
	status_show(p, NULL, &s, r, 200, NULL);
}

void recs_page_status_post(struct page *p)
{
	struct recs_source s;
	struct recs_rec *r = arena_alloc(p->a, sizeof *r);
	const char *err = NULL;
	if (recs_require_editor(p, NULL) != 0 || load_rec(p, r, &s) != 0)
		return;
	if (recs_status_parse(recs_field(p, "status"), &r->status) != 0)
		err = page_tr(p, "Choose a status from the list.");
	if (recs_take(p, "status_on", r->status_on, sizeof r->status_on))
		err = page_tr(p, "Give the date the status was given, as a date (YYYY-MM-DD) that is not in the future.");
	rec_save(p, NULL, &s, r, RECS_PART_STATUS, err, status_show);
}

/* ---- progress notes ---- */

static void note_show(struct page *p, const struct scope *sc, const struct recs_rec *r,
		      const struct recs_note *n, int status, const char *err)
{
	struct recs_fb b = {.p = p};
	recs_fb_set(&b, N_("Progress"),
		    N_("Progress notes are public like the recommendations: every reader of the tracker sees them, a department's own notes included."));
	recs_fb_add(&b, RECV_DATE, "noted_on", N_("Date"), n->noted_on)->required = 1;
	struct recv_option *o = recs_options(p, sc->n + 1);
	o[0] = (struct recv_option){"0", page_tr(p, "government-wide"), n->org_id == 0};
	for (size_t i = 0; i < sc->n; i++)
		o[i + 1] = (struct recv_option){id_str(p, sc->dept[i].id),
						arena_printf(p->a, "%s (%s)", sc->dept[i].name,
							     sc->dept[i].code),
						n->org_id == sc->dept[i].id};
	recs_fb_choice(&b, RECV_SELECT, "dept", N_("About"), o, sc->n + 1);
	struct recv_field *f = recs_fb_add(&b, RECV_TEXTAREA, "text", N_("What was done"), n->text);
	f->maxlength = RECS_TEXT_MAX;
	f->hint = page_tr(p, "At most 4,000 characters.");
	recs_fb_set(&b, N_("Evidence"), N_("Optional. Up to five web addresses starting with https://, for example of a letter to parliament."));
	for (size_t i = 0; i < RECS_LINKS_MAX; i++) {
		f = recs_fb_add(&b, RECV_TEXT, "link",
				arena_printf(p->a, "%s %zu", page_tr(p, "Link"), i + 1),
				i < n->nlinks ? n->links[i] : "");
		f->id = arena_printf(p->a, "f-link-%zu", i + 1);
		f->label = arena_printf(p->a, "%s %zu", page_tr(p, "Link"), i + 1);
		f->maxlength = RECS_URL_MAX;
	}
	recs_fb_show(&b, status, page_tr1(p, "Progress on recommendation {}", r->number), NULL,
		     rec_href(p, r->id, "/voortgang"), err, rec_href(p, r->id, ""),
		     N_("Back to the recommendation"));
}

void recs_page_note(struct page *p)
{
	struct scope sc;
	struct recs_source s;
	struct recs_rec *r = arena_alloc(p->a, sizeof *r);
	if (recs_require_editor(p, &sc) != 0 || load_rec(p, r, &s) != 0)
		return;
	struct recs_note *n = arena_alloc(p->a, sizeof *n);
	date_today(n->noted_on);
	note_show(p, &sc, r, n, 200, NULL);
}

void recs_page_note_post(struct page *p)
{
	struct scope sc;
	struct recs_source s;
	struct recs_error e;
	struct recs_rec *r = arena_alloc(p->a, sizeof *r);
	const char *err = NULL;
	char today[DATE_LEN + 1];
	if (recs_require_editor(p, &sc) != 0 || load_rec(p, r, &s) != 0)
		return;
	struct recs_note *n = arena_alloc(p->a, sizeof *n);
	n->rec_id = r->id;
	if (recs_take(p, "noted_on", n->noted_on, sizeof n->noted_on) |
	    recs_take(p, "text", n->text, sizeof n->text))
		err = page_tr(p, "The note is too long (at most 4,000 characters) or holds characters that cannot be stored.");
	int64_t dept;
	if (num_parse_i64z(recs_field(p, "dept"), 0, INT64_MAX, &dept) != 0 ||
	    (dept && !scope_find(&sc, dept)))
		err = page_tr(p, "Choose what the note is about from the list.");
	else
		n->org_id = dept;
	for (size_t i = 0; i < p->form.n; i++) {
		const char *v = p->form.fields[i].value;
		if (strcmp(p->form.fields[i].name, "link") != 0 || !*v)
			continue;
		if (n->nlinks == RECS_LINKS_MAX || strlen(v) > RECS_URL_MAX)
			err = page_tr(p, "An evidence link must start with https:// and name a host (at most 500 characters).");
		else
			snprintf(n->links[n->nlinks++], RECS_URL_MAX + 1, "%s", v);
	}
	if (!err) {
		date_today(today);
		if (recs_note_add(p->db, p->signer, p->viewer->account.id, n, today, &e) == 0) {
			page_redirect(p, rec_href(p, r->id, "?opgeslagen=1#progress"));
			return;
		}
		if (!recs_refused(p, &e, &err))
			return;
	}
	note_show(p, &sc, r, n, 422, err);
}
