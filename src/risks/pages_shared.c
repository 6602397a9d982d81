/* pages_shared.c: access to a department's register and the words the
 * register's pages share (pages.h). */
#include <stdio.h>
#include <string.h>

#include "accounts/viewer.h"
#include "base/log.h"
#include "base/num.h"
#include "cases/dataset.h"
#include "cases/taxonomy.h"
#include "risks/pages.h"
#include "web/i18n.h"
#include "web/page.h"

#define R(role) role_mask(role)

int risks_access(db_t *db, const struct viewer *v, int64_t dept_id, int edit)
{
	struct scope s;
	if (scope_own(db, v, R(ROLE_INTEGRITY_COORDINATOR) | (edit ? 0 : R(ROLE_MANAGER)), &s) != 0)
		return -1;
	if (scope_find(&s, dept_id))
		return 1;
	if (edit)
		return 0;
	/* the coordinating ministry's readers: never a department outside its
	 * scope (scope_coordinated leaves those out) */
	if (scope_coordinated(db, v, R(ROLE_COORDINATOR) | R(ROLE_AUDITOR), &s) != 0)
		return -1;
	return scope_find(&s, dept_id) != NULL;
}

int risks_may_edit(struct page *p, int64_t dept_id)
{
	return risks_access(p->db, p->viewer, dept_id, 1) == 1;
}

int risks_dept(struct page *p, int edit, struct scope_dept *d)
{
	int64_t id = p->params[0];
	int found = risks_access(p->db, p->viewer, id, edit);
	if (found < 0) {
		log_error("risk register %lld: %s", (long long)id, db_error(p->db)->msg);
		page_fail(p, 503, "The risk register cannot be read at the moment. Try again later.");
		return -1;
	}
	int rc = found == 1 ? scope_department_of(p->db, id, d) : 1;
	if (rc == 0 && d->id == id)
		return 0;
	/* another department's register, or none: one answer, nothing done */
	page_fail(p, 404, "There is no risk register here that you can open.");
	return -1;
}

void risks_fail_page(struct page *p, const struct risks_error *e)
{
	if (e->code == RISKS_ENOTFOUND) {
		page_fail(p, 404, e->msgid ? e->msgid : "There is no risk register here that you can open.");
		return;
	}
	log_error("risk register: %s", e->detail);
	page_fail(p, 503, "The risk register cannot be read or changed at the moment. Try again later.");
}

const char *risks_band_words(struct page *p, const struct risks_matrix *m, int band)
{
	if (band < 0 || (size_t)band >= m->nbands)
		return "\xe2\x80\x94";
	const struct risks_band *b = &m->bands[band];
	if (b->lo == b->hi)
		return arena_printf(p->a, "%s (%d)", b->name, b->lo);
	return arena_printf(p->a, "%s (%d\xe2\x80\x93%d)", b->name, b->lo, b->hi);
}

const char *risks_level_words(struct page *p, const struct risks_matrix *m, int axis, int level)
{
	int n = axis ? m->nimpact : m->nlikelihood;
	if (level < 1 || level > n)
		return arena_printf(p->a, "%d", level);
	return arena_printf(p->a, "%d %s", level, axis ? m->impact[level - 1]
							 : m->likelihood[level - 1]);
}

const char *risks_treatment_words(struct page *p, const char *t)
{
	static const char *const words[][2] = {
		{"avoid", N_("avoid")}, {"reduce", N_("reduce")},
		{"transfer", N_("transfer")}, {"accept", N_("accept")},
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(t, words[i][0]) == 0)
			return page_tr(p, words[i][1]);
	return t;
}

const char *risks_status_words(struct page *p, const char *s)
{
	static const char *const words[][2] = {
		{"open", N_("open")}, {"closed", N_("closed")},
		{"planned", N_("planned")}, {"implemented", N_("implemented")},
		{"retired", N_("retired")}, {"in_place", N_("in place")},
		{"not_required", N_("not required")},
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(s, words[i][0]) == 0)
			return page_tr(p, words[i][1]);
	return s;
}

const char *risks_screening_words(struct page *p, const char *s)
{
	static const char *const words[][2] = {
		{"none", N_("no screening")},
		{"vog", N_("certificate of conduct (VOG)")},
		{"c", N_("security screening C")},
		{"b", N_("security screening B")},
		{"a", N_("security screening A")},
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(s, words[i][0]) == 0)
			return page_tr(p, words[i][1]);
	return s;
}

const char *risks_path(struct page *p, int64_t dept, const char *rest)
{
	return arena_printf(p->a, "/risicos/%lld%s", (long long)dept, rest);
}

int risks_field_int(struct page *p, const char *name, int min, int max, int *out)
{
	const char *v = page_field(p, name);
	int64_t x;
	if (!v || num_parse_i64z(v, min, max, &x) != 0)
		return -1;
	*out = (int)x;
	return 0;
}

const char *risks_field_text(struct page *p, const char *name)
{
	const char *v = page_field(p, name);
	return v ? v : "";
}

const char *risks_category_words(struct page *p, const char *code)
{
	const struct cases_taxonomy *t = cases_data_taxonomy();
	const struct cases_category *c = t && *code ? cases_taxonomy_find(t, code) : NULL;
	if (!c)
		return code;
	const char *title = cases_text_get(&c->title, p->lang);
	return title ? arena_printf(p->a, "%s. %s", code, title) : code;
}
