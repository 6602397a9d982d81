/* pages_list.c: the list of self-assessments, starting one, and the
 * comparison across departments (pages.h).
 *
 * Which departments a viewer sees comes from scope.h: their own (where they
 * hold integrity_coordinator or manager), and for the coordinator and the
 * auditor the departments in the coordinating ministry's scope, which never
 * include one outside it (Defence). The storage checks each assessment
 * again when it is opened. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/scope.h"
#include "accounts/viewer.h"
#include "assess/pages.h"
#include "assess/views.h"
#include "assess_tmpl.h"
#include "base/log.h"
#include "base/num.h"
#include "web/i18n.h"
#include "web/page.h"

#define LIST_MAX 500
#define FW_LIST_MAX 64

static const unsigned DRAFTERS = (1u << ROLE_INTEGRITY_COORDINATOR) | (1u << ROLE_MANAGER);
static const unsigned OVERSEERS = (1u << ROLE_COORDINATOR) | (1u << ROLE_AUDITOR);

/* The departments the viewer may read: own and overseen, without repeats. */
static int viewer_depts(struct page *p, int64_t *ids, size_t *n)
{
	struct scope own, co;
	*n = 0;
	if (scope_own(p->db, p->viewer, DRAFTERS, &own) != 0 ||
	    scope_coordinated(p->db, p->viewer, OVERSEERS, &co) != 0)
		return -1;
	for (size_t i = 0; i < own.n; i++)
		ids[(*n)++] = own.dept[i].id;
	for (size_t i = 0; i < co.n; i++)
		if (!scope_find(&own, co.dept[i].id))
			ids[(*n)++] = co.dept[i].id;
	return 0;
}

void assess_page_list(struct page *p)
{
	int64_t depts[2 * SCOPE_MAX];
	size_t nd = 0, n = 0;
	struct assess_list_item *items = arena_alloc(p->a, LIST_MAX * sizeof *items);
	if (viewer_depts(p, depts, &nd) != 0 || assess_list(p->db, depts, nd, items, LIST_MAX, &n) != 0) {
		log_error("assessments of account %lld: %s", (long long)p->viewer->account.id,
			  db_error(p->db)->msg);
		page_fail(p, 503, "The self-assessments cannot be listed at the moment. Try again later.");
		return;
	}
	struct av_row *rows = arena_alloc(p->a, (n ? n : 1) * sizeof *rows);
	for (size_t i = 0; i < n; i++) {
		const struct assess_list_item *it = &items[i];
		rows[i] = (struct av_row){
			.href = arena_printf(p->a, "/zelfevaluaties/%lld", (long long)it->id),
			.dept = arena_printf(p->a, "%s (%s)", it->dept_name, it->dept_code),
			.framework = arena_printf(p->a, "%s (%s %d)",
						  fw_lang(it->fw_title_nl, it->fw_title_en, p->lang),
						  page_tr(p, "revision"), it->fw_revision),
			.year = arena_printf(p->a, "%d", it->year),
			.status = assess_words_status(p, it->status),
		};
	}
	struct assess_list_view v = {
		.rows = rows,
		.nrows = n,
		.can_create = (p->viewer->roles & DRAFTERS) != 0,
		.can_compare = (p->viewer->roles & OVERSEERS) != 0,
	};
	page_begin(p, page_tr(p, "Self-assessments"));
	tmpl_assess_assess_list(&p->res->body, &p->t, &v);
	page_end(p);
}

/* ---- starting one ---- */

static void show_new(struct page *p, int status, const char *error, int64_t dept, int64_t fw,
		     const char *year)
{
	struct scope own;
	struct fw_version_row *fws = arena_alloc(p->a, FW_LIST_MAX * sizeof *fws);
	size_t nf = 0;
	if (scope_own(p->db, p->viewer, DRAFTERS, &own) != 0 ||
	    frameworks_list(p->db, 1, fws, FW_LIST_MAX, &nf) != 0) {
		page_fail(p, 503, "This page cannot be shown at the moment. Try again later.");
		return;
	}
	struct av_option *d = arena_alloc(p->a, (own.n ? own.n : 1) * sizeof *d);
	struct av_option *f = arena_alloc(p->a, (nf ? nf : 1) * sizeof *f);
	for (size_t i = 0; i < own.n; i++)
		d[i] = (struct av_option){arena_printf(p->a, "%lld", (long long)own.dept[i].id),
					  arena_printf(p->a, "%s (%s)", own.dept[i].name,
						       own.dept[i].code),
					  own.dept[i].id == dept};
	for (size_t i = 0; i < nf; i++)
		f[i] = (struct av_option){arena_printf(p->a, "%lld", (long long)fws[i].id),
					  arena_printf(p->a, "%s (%s %d)",
						       fw_lang(fws[i].title_nl, fws[i].title_en,
							       p->lang),
						       page_tr(p, "revision"), fws[i].revision),
					  fws[i].id == fw};
	char this_year[8];
	char today[DATE_LEN + 1];
	date_today(today);
	snprintf(this_year, sizeof this_year, "%.4s", today);
	struct assess_new_view v = {
		.csrf = p->csrf,
		.depts = d,
		.ndepts = own.n,
		.frameworks = f,
		.nframeworks = nf,
		.year = year ? year : arena_strdup(p->a, this_year),
		.error = error,
	};
	if (status)
		p->res->status = status;
	page_begin(p, page_tr(p, "Start a self-assessment"));
	tmpl_assess_assess_new(&p->res->body, &p->t, &v);
	page_end(p);
}

void assess_page_new(struct page *p)
{
	show_new(p, 0, NULL, 0, 0, NULL);
}

void assess_page_new_post(struct page *p)
{
	const char *ds = page_field(p, "department"), *fs = page_field(p, "framework");
	const char *ys = page_field(p, "year");
	int64_t dept = 0, fw = 0, year = 0;
	int bad_dept = !ds || num_parse_i64z(ds, 1, INT64_MAX, &dept) != 0;
	int bad_fw = !fs || num_parse_i64z(fs, 1, INT64_MAX, &fw) != 0;
	if (bad_dept || bad_fw) {
		show_new(p, 422, page_tr(p, "Choose a department and a framework."), dept, fw, ys);
		return;
	}
	if (!ys || num_parse_i64z(ys, ASSESS_YEAR_MIN, ASSESS_YEAR_MAX, &year) != 0) {
		show_new(p, 422, page_tr(p, "Give the year as four digits, for example 2025."), dept,
			 fw, ys);
		return;
	}
	struct assess_error e;
	int64_t id = 0;
	size_t pre = 0;
	if (assess_create(p->db, p->signer, p->viewer->account.id, dept, fw, (int)year, &id, &pre,
			  &e) == 0) {
		page_redirect(p, arena_printf(p->a, "/zelfevaluaties/%lld?done=created",
					      (long long)id));
		return;
	}
	switch (e.code) {
	case ASSESS_ECONFLICT:
		show_new(p, 409, page_tr(p, "This department already has a self-assessment against this framework for that year. Open it from the list."), dept, fw, ys);
		return;
	case ASSESS_ENOTFOUND:
	case ASSESS_EINVALID:
		show_new(p, 422, page_tr(p, "Choose one of your departments and a framework from the lists."), dept, fw, ys);
		return;
	default:
		log_error("creating an assessment: code %d", e.code);
		page_fail(p, 503, "Nothing was saved because of a problem on our side. Try again later.");
	}
}

/* ---- the comparison ---- */

void assess_page_compare(struct page *p)
{
	struct fw_version_row *fws = arena_alloc(p->a, FW_LIST_MAX * sizeof *fws);
	size_t nf = 0;
	struct scope co;
	if (frameworks_list(p->db, 1, fws, FW_LIST_MAX, &nf) != 0 ||
	    scope_coordinated(p->db, p->viewer, OVERSEERS, &co) != 0) {
		page_fail(p, 503, "This page cannot be shown at the moment. Try again later.");
		return;
	}
	const char *want = http_query(p->req, "kader"), *ys = http_query(p->req, "jaar");
	char today[DATE_LEN + 1];
	date_today(today);
	int64_t year = 0;
	struct assess_compare_view v = {0};
	if (ys && *ys && num_parse_i64z(ys, ASSESS_YEAR_MIN, ASSESS_YEAR_MAX, &year) != 0) {
		v.error = page_tr(p, "Give the year as four digits, for example 2025.");
		p->res->status = 422;
		year = 0;
	}
	if (!year && num_parse_i64(today, 4, ASSESS_YEAR_MIN, ASSESS_YEAR_MAX, &year) != 0)
		year = ASSESS_YEAR_MIN;
	/* the framework: by code, else the first */
	size_t fi = 0;
	int known = !want || !*want;
	for (size_t i = 0; i < nf && want && *want; i++)
		if (strcmp(fws[i].code, want) == 0) {
			fi = i;
			known = 1;
		}
	if (!known && !v.error) {
		v.error = page_tr(p, "Choose a framework from the list.");
		p->res->status = 422;
	}
	struct av_option *opts = arena_alloc(p->a, (nf ? nf : 1) * sizeof *opts);
	for (size_t i = 0; i < nf; i++)
		opts[i] = (struct av_option){arena_strdup(p->a, fws[i].code),
					     fw_lang(arena_strdup(p->a, fws[i].title_nl),
						     arena_strdup(p->a, fws[i].title_en), p->lang),
					     i == fi};
	v.frameworks = opts;
	v.nframeworks = nf;
	v.year = arena_printf(p->a, "%lld", (long long)year);
	struct framework f = {0};
	if (nf == 0 || frameworks_load(p->db, fws[fi].id, &f) != 0) {
		page_begin(p, page_tr(p, "Compare departments"));
		tmpl_assess_assess_compare(&p->res->body, &p->t, &v);
		page_end(p);
		return;
	}
	/* columns: the groups of the framework's latest revision */
	const char **heads = arena_alloc(p->a, (f.ngroups ? f.ngroups : 1) * sizeof *heads);
	for (size_t g = 0; g < f.ngroups; g++)
		heads[g] = arena_printf(p->a, "%s. %s", f.groups[g].code,
					fw_lang(f.groups[g].title_nl, f.groups[g].title_en, p->lang));
	v.heads = heads;
	v.nheads = f.ngroups;
	v.span = arena_printf(p->a, "%zu", f.ngroups + 1);
	v.caption = arena_printf(p->a, "%s, %lld", fw_lang(f.title_nl, f.title_en, p->lang),
				 (long long)year);
	struct av_crow *rows = arena_alloc(p->a, (co.n ? co.n : 1) * sizeof *rows);
	const char *none = page_tr(p, "not assessed");
	for (size_t d = 0; d < co.n; d++) {
		struct av_crow *r = &rows[d];
		struct av_cell *cells = arena_alloc(p->a, (f.ngroups ? f.ngroups : 1) * sizeof *cells);
		for (size_t g = 0; g < f.ngroups; g++)
			cells[g] = (struct av_cell){none, 1};
		r->dept = arena_printf(p->a, "%s (%s)", co.dept[d].name, co.dept[d].code);
		r->cells = cells;
		r->ncells = f.ngroups;
		r->overall = (struct av_cell){none, 1};
		int64_t aid = 0;
		if (assess_final_for(p->db, co.dept[d].id, f.code, (int)year, &aid) != 0)
			continue;
		struct assess_score *gs = NULL, overall;
		char(*codes)[FW_CODE_MAX + 1] = NULL;
		size_t ng = 0;
		if (assess_group_scores(p->db, aid, &gs, &codes, &ng, &overall, NULL) != 0)
			continue;
		r->href = arena_printf(p->a, "/zelfevaluaties/%lld", (long long)aid);
		/* by group code: a department may have used another revision */
		for (size_t g = 0; g < f.ngroups; g++)
			for (size_t k = 0; k < ng; k++)
				if (strcmp(codes[k], f.groups[g].code) == 0 && gs[k].shown >= 0)
					cells[g] = (struct av_cell){
						arena_printf(p->a, "%d", gs[k].shown), 0};
		if (overall.shown >= 0)
			r->overall = (struct av_cell){arena_printf(p->a, "%d", overall.shown), 0};
		free(gs);
		free(codes);
	}
	v.rows = rows;
	v.nrows = co.n;
	framework_free(&f);
	page_begin(p, page_tr(p, "Compare departments"));
	tmpl_assess_assess_compare(&p->res->body, &p->t, &v);
	page_end(p);
}
