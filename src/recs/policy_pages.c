/* policy_pages.c: the policy cycle's pages (pages.h): the list of policy
 * items, an item with its stages, the recommendations it answers and the
 * departments' adoptions, the coordinator's form for an item and a
 * department's form for its own adoption. Routes:
 *
 *   GET  /beleid                    GET  /beleid/{id}
 *   GET  /beleid/nieuw              POST /beleid
 *   GET  /beleid/{id}/bewerken      POST /beleid/{id}
 *   GET  /beleid/{id}/adoptie/{d}   POST the same (d: the department)
 *
 * Adoption records are shown to every reader except those of a department
 * outside the coordinator's scope (Defence), which only its own people see
 * (recs_adoption_visible). */
#include <stdio.h>
#include <string.h>

#include "accounts/viewer.h"
#include "assess/assess.h"
#include "base/date.h"
#include "base/log.h"
#include "base/num.h"
#include "recs/pages.h"
#include "recs/policy.h"
#include "recs_tmpl.h"
#include "web/i18n.h"
#include "web/page.h"

#define ASSESS_CHOICES 64 /* a department's self-assessments offered */

static const char *item_href(struct page *p, int64_t id, const char *rest)
{
	return arena_printf(p->a, "/beleid/%lld%s", (long long)id, rest);
}

/* The departments of every role the viewer holds (to see its own
 * department's record when that lies outside the coordinator's scope) and
 * those it keeps as integrity coordinator (to record adoptions). */
static int viewer_scopes(struct page *p, struct scope *own, struct scope *keeps)
{
	if (scope_own(p->db, p->viewer, ~0u, own) != 0 ||
	    (keeps && scope_own(p->db, p->viewer, role_mask(ROLE_INTEGRITY_COORDINATOR), keeps) != 0)) {
		log_error("policy: scope: %s", db_error(p->db)->msg);
		page_fail(p, 503, "The policy cycle cannot be read at the moment. Try again later.");
		return -1;
	}
	return 0;
}

/* ---- GET /beleid ---- */

void policy_page_index(struct page *p)
{
	struct recs_error e;
	struct policy_item *items;
	size_t n;
	struct scope own, all;
	if (viewer_scopes(p, &own, NULL) != 0)
		return;
	if (scope_all_departments(p->db, &all) != 0) {
		page_fail(p, 503, "The policy cycle cannot be read at the moment. Try again later.");
		return;
	}
	if (policy_item_list(p->db, p->a, &items, &n, &e) != 0) {
		recs_fail_page(p, &e);
		return;
	}
	size_t shown = 0;
	for (size_t d = 0; d < all.n; d++)
		shown += recs_adoption_visible(&own, all.dept[d].outside_scope, all.dept[d].id);
	struct recv_policy_row *rows = arena_alloc(p->a, (n ? n : 1) * sizeof *rows);
	for (size_t i = 0; i < n; i++) {
		struct policy_adoption *ad;
		size_t na, adopted = 0;
		if (policy_adoption_list(p->db, p->a, items[i].id, &ad, &na, &e) != 0) {
			recs_fail_page(p, &e);
			return;
		}
		for (size_t j = 0; j < na; j++)
			adopted += ad[j].org_id && scope_find(&all, ad[j].org_id) &&
				   recs_adoption_visible(&own, ad[j].outside_scope, ad[j].org_id);
		const struct policy_item *it = &items[i];
		rows[i] = (struct recv_policy_row){
			item_href(p, it->id, ""), it->title, page_tr(p, policy_kind_label(it->kind)),
			*it->version ? it->version : "\xe2\x80\x94",
			page_tr(p, policy_stage_label(it->stage)),
			*it->stage_on[it->stage] ? it->stage_on[it->stage] : "\xe2\x80\x94",
			page_tr1(p, "{} departments",
				 arena_printf(p->a, "%zu / %zu", adopted, shown))};
	}
	int editor = recs_editor_scope(p->db, p->viewer, NULL) == 1;
	struct recv_link actions[] = {{"/beleid/nieuw", page_tr(p, "Add a policy item")}};
	struct policy_index_view v = {
		.notice = recs_saved_notice(p),
		.rows = rows,
		.nrows = n,
		.actions = actions,
		.nactions = editor ? 1 : 0,
		.recs_href = "/aanbevelingen",
	};
	page_begin(p, page_tr(p, "Policy cycle"));
	tmpl_recs_policy_index(&p->res->body, &p->t, &v);
	page_end(p);
}

/* ---- GET /beleid/{id} ---- */

/* "2024 · Basisnormen integriteit (signed_off)" for assessment id of dept,
 * or NULL when it is not among the department's. */
static const char *assessment_words(struct page *p, int64_t dept, int64_t id)
{
	struct assess_list_item *it = arena_alloc(p->a, ASSESS_CHOICES * sizeof *it);
	size_t n = 0;
	if (assess_list(p->db, &dept, 1, it, ASSESS_CHOICES, &n) != 0)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (it[i].id == id)
			return arena_printf(p->a, "%d \xc2\xb7 %s", it[i].year,
					    strcmp(p->lang, "en") == 0 && *it[i].fw_title_en
						    ? it[i].fw_title_en
						    : it[i].fw_title_nl);
	return NULL;
}

void policy_page_item(struct page *p)
{
	struct recs_error e;
	struct policy_item it;
	struct policy_adoption *ad;
	struct recs_policy_ref *refs;
	size_t na, nr;
	struct scope own, keeps, all;
	if (viewer_scopes(p, &own, &keeps) != 0)
		return;
	if (policy_item_get(p->db, p->params[0], &it, &e) != 0 ||
	    policy_adoption_list(p->db, p->a, it.id, &ad, &na, &e) != 0 ||
	    policy_recs(p->db, p->a, it.id, &refs, &nr, &e) != 0) {
		recs_fail_page(p, &e);
		return;
	}
	if (scope_all_departments(p->db, &all) != 0) {
		page_fail(p, 503, "The policy cycle cannot be read at the moment. Try again later.");
		return;
	}
	struct recv_fact f[4];
	size_t nf = 0;
	f[nf++] = recs_fact(page_tr(p, "Kind"), page_tr(p, policy_kind_label(it.kind)), 0);
	if (*it.version)
		f[nf++] = recs_fact(page_tr(p, "Version"), it.version, 0);
	f[nf++] = recs_fact(page_tr(p, "Stage"), page_tr(p, policy_stage_label(it.stage)), 0);
	if (*it.description)
		f[nf++] = recs_fact(page_tr(p, "Description"), it.description, 1);
	struct recv_fact st[POLICY_NSTAGES];
	for (int s = 0; s < POLICY_NSTAGES; s++)
		st[s] = recs_fact(page_tr(p, policy_stage_label(s)),
					   *it.stage_on[s] ? it.stage_on[s]
					   : s <= it.stage ? page_tr(p, "date not recorded")
							   : page_tr(p, "not reached"), 0);
	int read_assess = (p->viewer->roles &
			   (role_mask(ROLE_INTEGRITY_COORDINATOR) | role_mask(ROLE_MANAGER) |
			    role_mask(ROLE_COORDINATOR) | role_mask(ROLE_AUDITOR))) != 0;
	struct recv_adoption *rows = arena_alloc(p->a, (all.n ? all.n : 1) * sizeof *rows);
	size_t k = 0;
	for (size_t d = 0; d < all.n; d++) {
		const struct scope_dept *dept = &all.dept[d];
		if (!recs_adoption_visible(&own, dept->outside_scope, dept->id))
			continue;
		const struct policy_adoption *a = NULL;
		for (size_t j = 0; j < na; j++)
			if (ad[j].org_id == dept->id)
				a = &ad[j];
		int mine = scope_find(&keeps, dept->id) != NULL;
		struct recv_adoption *r = &rows[k++];
		*r = (struct recv_adoption){
			arena_printf(p->a, "%s (%s)", dept->name, dept->code),
			a ? a->adopted_on : page_tr(p, "not recorded"), a ? a->translation : "",
			a && *a->evaluated_on ? a->evaluated_on : "",
			NULL, NULL,
			mine ? item_href(p, it.id, arena_printf(p->a, "/adoptie/%lld",
								  (long long)dept->id))
			     : NULL,
			page_tr(p, a ? N_("Change your department's record")
				     : N_("Record your department's adoption"))};
		if (a && a->assessment_id) {
			r->assessment_label = assessment_words(p, dept->id, a->assessment_id);
			if (r->assessment_label && read_assess)
				r->assessment_href = arena_printf(p->a, "/zelfevaluaties/%lld",
								  (long long)a->assessment_id);
		}
	}
	struct recv_link *recs = arena_alloc(p->a, (nr ? nr : 1) * sizeof *recs);
	for (size_t i = 0; i < nr; i++)
		recs[i] = (struct recv_link){arena_printf(p->a, "/aanbevelingen/%lld", (long long)refs[i].id),
					     refs[i].title};
	int editor = recs_editor_scope(p->db, p->viewer, NULL) == 1;
	struct recv_link actions[] = {{item_href(p, it.id, "/bewerken"), page_tr(p, "Edit the policy item")}};
	struct policy_item_view v = {
		.title = it.title,
		.notice = recs_saved_notice(p),
		.facts = f,
		.nfacts = nf,
		.stages = st,
		.nstages = POLICY_NSTAGES,
		.adoptions = rows,
		.nadoptions = k,
		.adoptions_note = page_tr(p, "Each department's integrity coordinator records its own department's adoption; the others are shown read-only. A department outside the coordinator's scope is shown only to its own people."),
		.recs = recs,
		.nrecs = nr,
		.actions = actions,
		.nactions = editor ? 1 : 0,
		.back_href = "/beleid",
	};
	page_begin(p, it.title);
	tmpl_recs_policy_item(&p->res->body, &p->t, &v);
	page_end(p);
}

/* ---- the coordinator's form for an item ---- */

static void item_show(struct page *p, const struct policy_item *it, int status, const char *err)
{
	struct recs_fb b = {.p = p};
	size_t nk = 0;
	while (policy_kinds[nk])
		nk++;
	struct recv_option *o = recs_options(p, nk);
	for (size_t i = 0; i < nk; i++)
		o[i] = (struct recv_option){policy_kinds[i], page_tr(p, policy_kind_label(policy_kinds[i])),
					    strcmp(it->kind, policy_kinds[i]) == 0};
	recs_fb_set(&b, N_("The policy item"), NULL);
	struct recv_field *f = recs_fb_add(&b, RECV_TEXT, "title", N_("Title"), it->title);
	f->maxlength = RECS_TITLE_MAX;
	f->required = 1;
	recs_fb_choice(&b, RECV_SELECT, "kind", N_("Kind"), o, nk);
	f = recs_fb_add(&b, RECV_TEXT, "version", N_("Version"), it->version);
	f->maxlength = POLICY_VERSION_MAX;
	f->hint = page_tr(p, "Optional. For example 2019 or 1.2.");
	f = recs_fb_add(&b, RECV_TEXTAREA, "description", N_("Description"), it->description);
	f->maxlength = RECS_TEXT_MAX;
	f->hint = page_tr(p, "Optional. At most 4,000 characters.");
	struct recv_option *so = recs_options(p, POLICY_NSTAGES);
	for (int s = 0; s < POLICY_NSTAGES; s++)
		so[s] = (struct recv_option){policy_stage_id(s), page_tr(p, policy_stage_label(s)),
					     it->stage == s};
	recs_fb_set(&b, N_("The policy cycle"),
		    N_("The stage the policy has reached, and the date each stage began. A stage not reached has no date."));
	recs_fb_choice(&b, RECV_SELECT, "stage", N_("Stage"), so, POLICY_NSTAGES);
	static const char *const names[] = {"development_on", "adopted_on", "implemented_on",
					    "evaluated_on"};
	static const char *const labels[] = {N_("In development since"), N_("Adopted on"),
					     N_("Implemented on"), N_("Evaluated on")};
	for (int s = 0; s < POLICY_NSTAGES; s++)
		recs_fb_add(&b, RECV_DATE, names[s], labels[s], it->stage_on[s]);
	recs_fb_show(&b, status,
		     page_tr(p, it->id ? N_("Edit a policy item") : N_("Add a policy item")),
		     N_("A government-wide framework, protocol or guideline in the policy cycle."),
		     it->id ? item_href(p, it->id, "") : "/beleid", err,
		     it->id ? item_href(p, it->id, "") : "/beleid",
		     it->id ? N_("Back to the policy item") : N_("Back to the policy cycle"));
}

void policy_page_form(struct page *p)
{
	struct recs_error e;
	struct policy_item *it = arena_alloc(p->a, sizeof *it);
	if (recs_require_editor(p, NULL) != 0)
		return;
	strcpy(it->kind, "framework");
	if (p->params[0] && policy_item_get(p->db, p->params[0], it, &e) != 0) {
		recs_fail_page(p, &e);
		return;
	}
	item_show(p, it, 200, NULL);
}

void policy_page_post(struct page *p)
{
	struct recs_error e;
	struct policy_item *it = arena_alloc(p->a, sizeof *it);
	const char *err = NULL;
	char today[DATE_LEN + 1];
	static const char *const names[] = {"development_on", "adopted_on", "implemented_on",
					    "evaluated_on"};
	if (recs_require_editor(p, NULL) != 0)
		return;
	it->id = p->params[0];
	if (recs_take(p, "title", it->title, sizeof it->title) |
	    recs_take(p, "kind", it->kind, sizeof it->kind) |
	    recs_take(p, "version", it->version, sizeof it->version) |
	    recs_take(p, "description", it->description, sizeof it->description))
		err = page_tr(p, "A field is longer than it may be: the title at most 200 characters, the version 40, the description 4,000.");
	for (int s = 0; s < POLICY_NSTAGES; s++)
		if (recs_take(p, names[s], it->stage_on[s], sizeof it->stage_on[s]))
			err = page_tr(p, "Give the date of every stage the policy has reached, as a date (YYYY-MM-DD).");
	if (policy_stage_parse(recs_field(p, "stage"), &it->stage) != 0)
		err = page_tr(p, "Choose the stage from the list.");
	if (!err) {
		date_today(today);
		if (policy_item_save(p->db, p->signer, p->viewer->account.id, it, today, &e) == 0) {
			page_redirect(p, item_href(p, it->id, "?opgeslagen=1"));
			return;
		}
		if (!recs_refused(p, &e, &err))
			return;
	}
	item_show(p, it, 422, err);
}

/* ---- a department's adoption ---- */

/* The item and the department of the path, if the viewer keeps that
 * department as its integrity coordinator: 0, or answered 404 (another
 * department's record and no record at all look the same). */
static int adoption_target(struct page *p, struct policy_item *it, struct scope_dept *d)
{
	struct recs_error e;
	struct scope keeps;
	if (scope_own(p->db, p->viewer, role_mask(ROLE_INTEGRITY_COORDINATOR), &keeps) != 0) {
		page_fail(p, 503, "The policy cycle cannot be read at the moment. Try again later.");
		return -1;
	}
	const struct scope_dept *k = scope_find(&keeps, p->params[1]);
	if (!k) {
		page_fail(p, 404, "There is no adoption record here that you can change.");
		return -1;
	}
	*d = *k;
	if (policy_item_get(p->db, p->params[0], it, &e) != 0) {
		recs_fail_page(p, &e);
		return -1;
	}
	return 0;
}

static void adoption_show(struct page *p, const struct policy_item *it,
			  const struct scope_dept *d, const struct policy_adoption *a, int status,
			  const char *err)
{
	struct recs_fb b = {.p = p};
	struct assess_list_item *al = arena_alloc(p->a, ASSESS_CHOICES * sizeof *al);
	size_t n = 0;
	if (assess_list(p->db, &d->id, 1, al, ASSESS_CHOICES, &n) != 0)
		n = 0;
	recs_fb_set(&b, N_("Adoption"), NULL);
	recs_fb_add(&b, RECV_DATE, "adopted_on", N_("Adopted on"), a->adopted_on)->required = 1;
	struct recv_field *f = recs_fb_add(&b, RECV_TEXTAREA, "translation",
					   N_("How the department translated it"), a->translation);
	f->maxlength = RECS_TEXT_MAX;
	f->hint = page_tr(p, "How the policy was made to fit the department's own organisation: its own code, procedures, who does what. At most 4,000 characters. Every reader of the policy cycle sees it.");
	recs_fb_set(&b, N_("Evaluation"), N_("Optional. When the department evaluated the policy, and the self-assessment the evaluation rests on."));
	recs_fb_add(&b, RECV_DATE, "evaluated_on", N_("Evaluated on"), a->evaluated_on);
	struct recv_option *o = recs_options(p, n + 1);
	o[0] = (struct recv_option){"0", page_tr(p, "(no self-assessment)"), a->assessment_id == 0};
	for (size_t i = 0; i < n; i++)
		o[i + 1] = (struct recv_option){
			arena_printf(p->a, "%lld", (long long)al[i].id),
			arena_printf(p->a, "%d \xc2\xb7 %s", al[i].year,
				     strcmp(p->lang, "en") == 0 && *al[i].fw_title_en ? al[i].fw_title_en
										: al[i].fw_title_nl),
			al[i].id == a->assessment_id};
	recs_fb_choice(&b, RECV_SELECT, "assessment", N_("Self-assessment"), o, n + 1);
	const char *path = item_href(p, it->id, arena_printf(p->a, "/adoptie/%lld", (long long)d->id));
	recs_fb_show(&b, status,
		     page_tr1(p, "Adoption by {}", arena_printf(p->a, "%s (%s)", d->name, d->code)),
		     NULL, path, err, item_href(p, it->id, ""), N_("Back to the policy item"));
	(void)it;
}

void policy_page_adoption(struct page *p)
{
	struct policy_item *it = arena_alloc(p->a, sizeof *it);
	struct policy_adoption *a = arena_alloc(p->a, sizeof *a);
	struct scope_dept d;
	struct recs_error e;
	if (adoption_target(p, it, &d) != 0)
		return;
	if (policy_adoption_get(p->db, it->id, d.id, a, &e) != 0 && e.code != RECS_ENOTFOUND) {
		recs_fail_page(p, &e);
		return;
	}
	adoption_show(p, it, &d, a, 200, NULL);
}

void policy_page_adoption_post(struct page *p)
{
	struct policy_item *it = arena_alloc(p->a, sizeof *it);
	struct policy_adoption *a = arena_alloc(p->a, sizeof *a);
	struct scope_dept d;
	struct recs_error e;
	const char *err = NULL;
	char today[DATE_LEN + 1];
	if (adoption_target(p, it, &d) != 0)
		return;
	a->policy_id = it->id;
	a->org_id = d.id;
	if (recs_take(p, "adopted_on", a->adopted_on, sizeof a->adopted_on) |
	    recs_take(p, "translation", a->translation, sizeof a->translation) |
	    recs_take(p, "evaluated_on", a->evaluated_on, sizeof a->evaluated_on))
		err = page_tr(p, "The translation is too long (at most 4,000 characters) or holds characters that cannot be stored.");
	if (num_parse_i64z(recs_field(p, "assessment"), 0, INT64_MAX, &a->assessment_id) != 0)
		err = page_tr(p, "Choose a self-assessment of the department from the list.");
	if (!err) {
		date_today(today);
		if (policy_adoption_save(p->db, p->signer, p->viewer->account.id, a, today, &e) == 0) {
			page_redirect(p, item_href(p, it->id, "?opgeslagen=1#adoption"));
			return;
		}
		if (!recs_refused(p, &e, &err))
			return;
	}
	adoption_show(p, it, &d, a, 422, err);
}
