/* pages_forms.c: adding and editing a process (with its SAINT answers), a
 * vulnerable position, a risk and a control (pages.h). Each form is one
 * generic template (templates/form.html) fed with fields; a refused form
 * comes back (422) with the model's message and the values as typed; a row
 * of another department answers 404 and nothing changes. Routes:
 *
 *   GET  /risicos/{d}/processen/nieuw     GET  /risicos/{d}/processen/{id}
 *   POST /risicos/{d}/processen           POST /risicos/{d}/processen/{id}
 *   (the same for functies, risicos and maatregelen) */
#include <stdio.h>
#include <string.h>

#include "accounts/viewer.h"
#include "base/date.h"
#include "cases/dataset.h"
#include "cases/taxonomy.h"
#include "risks/pages.h"
#include "risks/views.h"
#include "risks_tmpl.h"
#include "web/i18n.h"
#include "web/page.h"

/* ---- building forms ---- */

struct fb {
	struct page *p;
	struct rv_fieldset sets[8];
	size_t nsets;
	struct rv_field *f;   /* fields of the current set */
	size_t n;
};

static void fb_set(struct fb *b, const char *legend, const char *hint)
{
	b->f = arena_alloc(b->p->a, 32 * sizeof *b->f);
	b->n = 0;
	b->sets[b->nsets++] = (struct rv_fieldset){page_tr(b->p, legend),
						   hint ? page_tr(b->p, hint) : NULL, b->f, 0};
}

static struct rv_field *fb_add(struct fb *b, int kind, const char *name, const char *label,
			       const char *value)
{
	struct rv_field *f = &b->f[b->n++];
	b->sets[b->nsets - 1].n = b->n;
	*f = (struct rv_field){.kind = kind, .name = name, .id = arena_printf(b->p->a, "f-%s", name),
			       .label = page_tr(b->p, label), .value = value ? value : ""};
	return f;
}

static struct rv_field *fb_text(struct fb *b, const char *name, const char *label,
				const char *value, int max)
{
	struct rv_field *f = fb_add(b, RV_TEXT, name, label, value);
	f->maxlength = max;
	return f;
}

static struct rv_field *fb_textarea(struct fb *b, const char *name, const char *label,
				    const char *value, int max)
{
	struct rv_field *f = fb_add(b, RV_TEXTAREA, name, label, value);
	f->maxlength = max;
	return f;
}

/* A date, with its hint. */
static void fb_date(struct fb *b, const char *name, const char *label, const char *value,
		    const char *hint)
{
	fb_add(b, RV_DATE, name, label, value)->hint = page_tr(b->p, hint);
}

/* The owner of a risk or control: a role or a name. */
static void fb_owner(struct fb *b, const char *value)
{
	struct rv_field *f = fb_text(b, "owner", N_("Owner"), value, RISKS_OWNER_MAX);
	f->required = 1;
	f->hint = page_tr(b->p, "A role or a name, at most 120 characters.");
}

static struct rv_option *opts(struct page *p, size_t n)
{
	return arena_alloc(p->a, (n ? n : 1) * sizeof(struct rv_option));
}

/* A select (kind RV_SELECT) or a group of checkboxes (RV_CHECKS) of n
 * options. */
static void fb_choice(struct fb *b, int kind, const char *name, const char *label,
		      const struct rv_option *o, size_t n)
{
	struct rv_field *f = fb_add(b, kind, name, label, NULL);
	f->options = o;
	f->noptions = n;
}

/* A select of words (msgids for the labels) with value chosen. */
static void fb_words(struct fb *b, const char *name, const char *label, const char *const *values,
		     const char *(*words)(struct page *, const char *), const char *chosen)
{
	size_t n = 0;
	while (values[n])
		n++;
	struct rv_option *o = opts(b->p, n);
	for (size_t i = 0; i < n; i++)
		o[i] = (struct rv_option){values[i], words(b->p, values[i]),
					  chosen && strcmp(values[i], chosen) == 0};
	fb_choice(b, RV_SELECT, name, label, o, n);
}

/* A select of the levels of one axis (1..n), level chosen. */
static void fb_level(struct fb *b, const char *name, const char *label,
		     const struct risks_matrix *m, int axis, int chosen)
{
	int n = axis ? m->nimpact : m->nlikelihood;
	struct rv_option *o = opts(b->p, (size_t)n);
	for (int i = 1; i <= n; i++)
		o[i - 1] = (struct rv_option){arena_printf(b->p->a, "%d", i),
					      risks_level_words(b->p, m, axis, i), i == chosen};
	fb_choice(b, RV_SELECT, name, label, o, (size_t)n);
}

/* A select of the department's processes (and "none"). */
static void fb_process(struct fb *b, int64_t dept, int64_t chosen)
{
	struct risks_process_ref *refs = arena_alloc(b->p->a, RISKS_ITEMS_MAX * sizeof *refs);
	size_t n = 0;
	if (risks_processes(b->p->db, dept, refs, RISKS_ITEMS_MAX, &n) != 0)
		n = 0;
	struct rv_option *o = opts(b->p, n + 1);
	o[0] = (struct rv_option){"0", page_tr(b->p, "(no process)"), chosen == 0};
	for (size_t i = 0; i < n; i++)
		o[i + 1] = (struct rv_option){arena_printf(b->p->a, "%lld", (long long)refs[i].id),
					      arena_strdup(b->p->a, refs[i].name),
					      refs[i].id == chosen};
	fb_choice(b, RV_SELECT, "process", N_("Process"), o, n + 1);
}

static void show(struct page *p, struct fb *b, int status, const char *title, const char *intro,
		 const char *action, const char *error, int64_t dept)
{
	struct risks_form_view v = {
		.title = title,
		.intro = intro ? page_tr(p, intro) : NULL,
		.action = action,
		.csrf = p->csrf,
		.error = error,
		.back_href = risks_path(p, dept, ""),
		.back_label = page_tr(p, "Back to the register"),
		.submit = page_tr(p, "Save"),
		.sets = b->sets,
		.nsets = b->nsets,
	};
	page_begin(p, title);
	p->res->status = status;
	tmpl_risks_form(&p->res->body, &p->t, &v);
	page_end(p);
}

/* After a save: back to the register at the section. */
static void saved(struct page *p, int64_t dept, const char *anchor)
{
	page_redirect(p, risks_path(p, dept, arena_printf(p->a, "?opgeslagen=1#%s", anchor)));
}

/* A form's action: the collection for a new row, the row for an edit. */
static const char *action_of(struct page *p, int64_t dept, const char *coll, int64_t id)
{
	return id ? risks_path(p, dept, arena_printf(p->a, "/%s/%lld", coll, (long long)id))
		  : risks_path(p, dept, arena_printf(p->a, "/%s", coll));
}

/* Answers a refused save: the form again with the reason, or a page. */
static int refused(struct page *p, const struct risks_error *e, const char **msg)
{
	if (e->code == RISKS_EINVALID || e->code == RISKS_EFULL) {
		*msg = page_tr(p, e->msgid ? e->msgid : "The form could not be saved.");
		return 1;
	}
	risks_fail_page(p, e);
	return 0;
}

/* After a save that returned rc: 1 when the page is answered (back to the
 * register at anchor, or an error page), 0 when the form comes back with
 * *msg. */
static int answered(struct page *p, int rc, const struct risks_error *e, int64_t dept,
		    const char *anchor, const char **msg)
{
	if (rc == 0) {
		saved(p, dept, anchor);
		return 1;
	}
	return !refused(p, e, msg);
}

/* An edit form's row as read (rc): 1 to show it, 0 when the failure was
 * answered. */
static int found(struct page *p, int rc, const struct risks_error *e)
{
	if (rc != 0)
		risks_fail_page(p, e);
	return rc == 0;
}

static int64_t param_id(struct page *p)
{
	return p->params[1];
}

/* Today's date for a save, in the page's arena. */
static const char *today_of(struct page *p)
{
	char *t = arena_alloc(p->a, DATE_LEN + 1);
	date_today(t);
	return t;
}

/* The posted text name into dst. A value that does not fit is never cut
 * to fit and saved: *err says so (the callers check the lengths of what
 * people type with their own messages; a choice that does not fit is no
 * choice the form offered). */
static void take(struct page *p, const char *name, char *dst, size_t cap, const char **err)
{
	const char *v = risks_field_text(p, name);
	if (strlen(v) >= cap && !*err)
		*err = page_tr(p, "An answer is longer than its field allows; check the form and send it again.");
	snprintf(dst, cap, "%s", v);
}

/* The posted process (0: none) into *id; *err when it is no number. */
static void take_process(struct page *p, int64_t *id, const char **err)
{
	int pid = 0;
	if (risks_field_int(p, "process", 0, 1 << 30, &pid) != 0)
		*err = page_tr(p, "Choose a process of this department, or none.");
	*id = pid;
}

/* ---- processes ---- */

static void process_show(struct page *p, const struct scope_dept *d, const struct risks_process *x,
			 int status, const char *error)
{
	struct fb b = {.p = p};
	fb_set(&b, N_("The process"), NULL);
	fb_text(&b, "name", N_("Name"), x->name, RISKS_PROCESS_NAME_MAX)->required = 1;
	fb_textarea(&b, "description", N_("Description"), x->description, RISKS_DESC_MAX)->hint =
		page_tr(p, "Optional. What the process does, who takes part. At most 2,000 characters.");
	fb_set(&b, N_("Inherent vulnerabilities (SAINT)"),
	       N_("Check what the process involves. Relations with the environment and the management of public property make a process vulnerable in itself."));
	struct rv_option *o = opts(p, SAINT_INHERENT);
	for (int k = 0; k < SAINT_INHERENT; k++)
		o[k] = (struct rv_option){saint_inherent[k].id,
					  arena_printf(p->a, "%s: %s", page_tr(p, saint_inherent[k].group),
						       page_tr(p, saint_inherent[k].label)),
					  (int)(x->saint.inherent >> k & 1)};
	fb_choice(&b, RV_CHECKS, "inherent", N_("The process involves"), o, SAINT_INHERENT);
	fb_set(&b, N_("Vulnerability-enhancing factors (SAINT)"),
	       N_("Score each factor: 0 absent, 1 somewhat present, 2 present, 3 strongly present."));
	for (int k = 0; k < SAINT_FACTORS; k++) {
		struct rv_option *s = opts(p, 4);
		for (int v = 0; v <= 3; v++)
			s[v] = (struct rv_option){arena_printf(p->a, "%d", v),
						  arena_printf(p->a, "%d", v), x->saint.factor[k] == v};
		fb_choice(&b, RV_SELECT, saint_factors[k].id, saint_factors[k].label, s, 4);
	}
	show(p, &b, status, page_tr(p, x->id ? "Edit a process" : "Add a process"),
	     N_("A process of the department and its SAINT vulnerability analysis. The profile follows from the answers (see the method in the documentation)."),
	     action_of(p, d->id, "processen", x->id), error, d->id);
}

void risks_page_process_form(struct page *p)
{
	struct scope_dept d;
	struct risks_process x = {0};
	struct risks_error e;
	if (risks_dept(p, 1, &d) != 0)
		return;
	if (param_id(p) && !found(p, risks_process_get(p->db, d.id, param_id(p), &x, &e), &e))
		return;
	process_show(p, &d, &x, 200, NULL);
}

void risks_page_process_post(struct page *p)
{
	struct scope_dept d;
	struct risks_process x = {0};
	struct risks_error e;
	const char *err = NULL;
	if (risks_dept(p, 1, &d) != 0)
		return;
	x.id = param_id(p);
	take(p, "name", x.name, sizeof x.name, &err);
	take(p, "description", x.description, sizeof x.description, &err);
	if (strlen(risks_field_text(p, "name")) > RISKS_PROCESS_NAME_MAX)
		err = page_tr(p, "The process's name is too long: at most 200 characters.");
	else if (strlen(risks_field_text(p, "description")) > RISKS_DESC_MAX)
		err = page_tr(p, "The description is too long: at most 2,000 characters.");
	for (size_t i = 0; i < p->form.n; i++) {
		if (strcmp(p->form.fields[i].name, "inherent") != 0)
			continue;
		int k = saint_find(saint_inherent, SAINT_INHERENT, p->form.fields[i].value);
		if (k < 0)
			err = page_tr(p, "Check only inherent vulnerabilities from the list.");
		else
			x.saint.inherent |= 1u << k;
	}
	for (int k = 0; k < SAINT_FACTORS; k++)
		if (risks_field_int(p, saint_factors[k].id, 0, SAINT_FACTOR_MAX, &x.saint.factor[k]))
			err = page_tr(p, "Score each vulnerability-enhancing factor from 0 (absent) to 3 (strongly present).");
	if (!err && answered(p, risks_process_save(p->db, p->signer, p->viewer->account.id, d.id,
						   &x, today_of(p), &e), &e, d.id, "processes", &err))
		return;
	process_show(p, &d, &x, 422, err);
}

/* ---- positions ---- */

static void position_show(struct page *p, const struct scope_dept *d,
			  const struct risks_position *x, const char *staff, const char *rot,
			  int status, const char *error)
{
	struct fb b = {.p = p};
	fb_set(&b, N_("The position"), NULL);
	fb_text(&b, "title", N_("Title"), x->title, RISKS_TITLE_MAX)->required = 1;
	fb_process(&b, d->id, x->process_id);
	struct rv_field *f = fb_add(&b, RV_NUMBER, "staff", N_("Number of staff in this position"),
				    staff);
	f->required = 1;
	fb_set(&b, N_("Pre-employment screening"), NULL);
	fb_words(&b, "screening", N_("Level"), risks_screenings, risks_screening_words, x->screening);
	fb_words(&b, "screening_status", N_("Status"), risks_measure_statuses, risks_status_words,
		 x->screening_status);
	fb_set(&b, N_("Rotation"), NULL);
	f = fb_add(&b, RV_NUMBER, "rotation_years", N_("Rotate after (years)"), rot);
	f->hint = page_tr(p, "0 for no rotation; at most 20.");
	fb_words(&b, "rotation_status", N_("Status"), risks_measure_statuses, risks_status_words,
		 x->rotation_status);
	fb_set(&b, N_("Declaration of financial interests"), NULL);
	struct rv_option *o = opts(p, 2);
	o[0] = (struct rv_option){"1", page_tr(p, "yes"), x->declaration == 1};
	o[1] = (struct rv_option){"0", page_tr(p, "no"), x->declaration != 1};
	fb_choice(&b, RV_SELECT, "declaration", N_("Asked of this position"), o, 2);
	fb_words(&b, "declaration_status", N_("Status"), risks_measure_statuses, risks_status_words,
		 x->declaration_status);
	show(p, &b, status, page_tr(p, x->id ? "Edit a vulnerable position" : "Add a vulnerable position"),
	     N_("A position that is vulnerable to integrity violations (basic norm 4), with the measures taken for it: screening before appointment, rotation and a declaration of financial interests."),
	     action_of(p, d->id, "functies", x->id), error, d->id);
}

void risks_page_position_form(struct page *p)
{
	struct scope_dept d;
	struct risks_position x = {0};
	struct risks_error e;
	if (risks_dept(p, 1, &d) != 0)
		return;
	strcpy(x.screening, "none");
	strcpy(x.screening_status, "planned");
	strcpy(x.rotation_status, "not_required");
	strcpy(x.declaration_status, "planned");
	x.declaration = 1;
	if (param_id(p) && !found(p, risks_position_get(p->db, d.id, param_id(p), &x, &e), &e))
		return;
	position_show(p, &d, &x, arena_printf(p->a, "%d", x.staff),
		      arena_printf(p->a, "%d", x.rotation_years), 200, NULL);
}

void risks_page_position_post(struct page *p)
{
	struct scope_dept d;
	struct risks_position x = {0};
	struct risks_error e;
	const char *err = NULL;
	if (risks_dept(p, 1, &d) != 0)
		return;
	x.id = param_id(p);
	take(p, "title", x.title, sizeof x.title, &err);
	take(p, "screening", x.screening, sizeof x.screening, &err);
	take(p, "screening_status", x.screening_status, sizeof x.screening_status, &err);
	take(p, "rotation_status", x.rotation_status, sizeof x.rotation_status, &err);
	take(p, "declaration_status", x.declaration_status, sizeof x.declaration_status, &err);
	take_process(p, &x.process_id, &err);
	if (risks_field_int(p, "declaration", 0, 1, &x.declaration) != 0)
		err = page_tr(p, "Say whether a declaration of financial interests is asked.");
	if (risks_field_int(p, "rotation_years", 0, RISKS_ROTATION_MAX, &x.rotation_years) != 0)
		err = page_tr(p, "Rotation is after 1 to 20 years, or 0 for no rotation.");
	if (risks_field_int(p, "staff", 0, RISKS_STAFF_MAX, &x.staff) != 0)
		err = page_tr(p, "The number of staff must be a whole number from 0 to 100,000.");
	if (strlen(risks_field_text(p, "title")) > RISKS_TITLE_MAX)
		err = page_tr(p, "The title is too long (at most 200 characters) or contains characters that cannot be stored.");
	if (!err && answered(p, risks_position_save(p->db, p->signer, p->viewer->account.id, d.id,
						    &x, today_of(p), &e), &e, d.id, "positions", &err))
		return;
	position_show(p, &d, &x, risks_field_text(p, "staff"),
		      risks_field_text(p, "rotation_years"), 422, err);
}

/* ---- risks ---- */

static void risk_show(struct page *p, const struct scope_dept *d, const struct risks_risk *x,
		      const struct risks_matrix *m, int status, const char *error)
{
	struct fb b = {.p = p};
	char err[300];
	fb_set(&b, N_("The risk"), NULL);
	fb_text(&b, "title", N_("Title"), x->title, RISKS_TITLE_MAX)->required = 1;
	fb_textarea(&b, "description", N_("Description"), x->description, RISKS_DESC_MAX)->hint =
		page_tr(p, "Optional. At most 2,000 characters. Describe the risk, never a person or a case.");
	fb_process(&b, d->id, x->process_id);
	const struct cases_taxonomy *t = cases_data_init(err, sizeof err) == 0 ? cases_data_taxonomy()
									      : NULL;
	size_t nc = t ? t->ncategories : 0;
	struct rv_option *o = opts(p, nc + 1);
	o[0] = (struct rv_option){"", page_tr(p, "(no category)"), !*x->category};
	for (size_t i = 0; i < nc; i++)
		o[i + 1] = (struct rv_option){t->categories[i].code,
					      risks_category_words(p, t->categories[i].code),
					      strcmp(x->category, t->categories[i].code) == 0};
	fb_choice(&b, RV_SELECT, "category", N_("Category of integrity violation"), o, nc + 1);
	fb_set(&b, N_("Inherent risk (before controls)"), NULL);
	fb_level(&b, "inherent_likelihood", N_("Likelihood"), m, 0, x->il);
	fb_level(&b, "inherent_impact", N_("Impact"), m, 1, x->ii);
	fb_set(&b, N_("Residual risk (after controls)"), NULL);
	fb_level(&b, "residual_likelihood", N_("Likelihood"), m, 0, x->rl);
	fb_level(&b, "residual_impact", N_("Impact"), m, 1, x->ri);
	fb_set(&b, N_("Treatment"), NULL);
	fb_words(&b, "treatment", N_("Treatment"), risks_treatments, risks_treatment_words,
		 x->treatment);
	fb_owner(&b, x->owner);
	fb_date(&b, "review_on", N_("Next review"), x->review_on, N_("YYYY-MM-DD, or empty."));
	fb_words(&b, "status", N_("Status"), risks_risk_statuses, risks_status_words, x->status);
	show(p, &b, status, page_tr(p, x->id ? "Edit a risk" : "Add a risk"),
	     N_("Likelihood and impact are levels of the department's matrix; the level of the risk follows from their product."),
	     action_of(p, d->id, "risicos", x->id), error, d->id);
}

void risks_page_risk_form(struct page *p)
{
	struct scope_dept d;
	struct risks_risk x = {0};
	struct risks_matrix m;
	struct risks_error e;
	if (risks_dept(p, 1, &d) != 0)
		return;
	x.il = x.ii = x.rl = x.ri = 1;
	strcpy(x.treatment, "reduce");
	strcpy(x.status, "open");
	if (!found(p, risks_matrix_get(p->db, d.id, &m, NULL, &e) != 0 ||
			 (param_id(p) && risks_risk_get(p->db, d.id, param_id(p), &x, &e) != 0), &e))
		return;
	risk_show(p, &d, &x, &m, 200, NULL);
}

void risks_page_risk_post(struct page *p)
{
	struct scope_dept d;
	struct risks_risk x = {0};
	struct risks_matrix m;
	struct risks_error e;
	const char *err = NULL;
	if (risks_dept(p, 1, &d) != 0)
		return;
	if (!found(p, risks_matrix_get(p->db, d.id, &m, NULL, &e), &e))
		return;
	x.id = param_id(p);
	take(p, "title", x.title, sizeof x.title, &err);
	take(p, "description", x.description, sizeof x.description, &err);
	take(p, "category", x.category, sizeof x.category, &err);
	take(p, "treatment", x.treatment, sizeof x.treatment, &err);
	take(p, "owner", x.owner, sizeof x.owner, &err);
	take(p, "review_on", x.review_on, sizeof x.review_on, &err);
	take(p, "status", x.status, sizeof x.status, &err);
	take_process(p, &x.process_id, &err);
	/* levels are checked against the matrix by the model; here only that
	 * they are numbers at all */
	if (risks_field_int(p, "inherent_likelihood", -1000, 1000, &x.il) ||
	    risks_field_int(p, "inherent_impact", -1000, 1000, &x.ii) ||
	    risks_field_int(p, "residual_likelihood", -1000, 1000, &x.rl) ||
	    risks_field_int(p, "residual_impact", -1000, 1000, &x.ri))
		err = page_tr(p, "Choose the likelihood and impact from the levels of the matrix.");
	if (strlen(risks_field_text(p, "title")) > RISKS_TITLE_MAX ||
	    strlen(risks_field_text(p, "owner")) > RISKS_OWNER_MAX)
		err = page_tr(p, "The title (at most 200 characters) or owner (at most 120) is too long.");
	else if (strlen(risks_field_text(p, "description")) > RISKS_DESC_MAX)
		err = page_tr(p, "The description is too long: at most 2,000 characters.");
	else if (strlen(risks_field_text(p, "review_on")) > DATE_LEN)
		err = page_tr(p, "The next review is a date (YYYY-MM-DD), or empty.");
	else if (strlen(risks_field_text(p, "category")) > RISKS_CODE_MAX)
		err = page_tr(p, "Choose a category of integrity violation from the list, or none.");
	if (!err && answered(p, risks_risk_save(p->db, p->signer, p->viewer->account.id, d.id, &x,
						today_of(p), &e), &e, d.id, "risks", &err))
		return;
	risk_show(p, &d, &x, &m, 422, err);
}

/* ---- controls ---- */

static void control_show(struct page *p, const struct scope_dept *d, const struct risks_control *x,
			 int status, const char *error)
{
	struct fb b = {.p = p};
	struct risks_risk *risks;
	size_t n = 0;
	struct risks_error e;
	if (risks_risk_list(p->db, p->a, d->id, &risks, &n, &e) != 0)
		n = 0;
	fb_set(&b, N_("The control"), NULL);
	struct rv_option *o = opts(p, n);
	for (size_t i = 0; i < n; i++)
		o[i] = (struct rv_option){arena_printf(p->a, "%lld", (long long)risks[i].id),
					  risks[i].title, risks[i].id == x->risk_id};
	fb_choice(&b, RV_SELECT, "risk", N_("Risk"), o, n);
	fb_textarea(&b, "description", N_("Description"), x->description, RISKS_DESC_MAX);
	fb_owner(&b, x->owner);
	fb_words(&b, "status", N_("Status"), risks_control_statuses, risks_status_words, x->status);
	fb_date(&b, "implemented_on", N_("Implemented on"), x->implemented_on,
		N_("YYYY-MM-DD; needed when the control is implemented."));
	fb_date(&b, "review_on", N_("Next review"), x->review_on, N_("YYYY-MM-DD, or empty."));
	show(p, &b, status, page_tr(p, x->id ? "Edit a control" : "Add a control"),
	     N_("A measure that lowers a risk, with its owner, its status and when it is next reviewed."),
	     action_of(p, d->id, "maatregelen", x->id), error, d->id);
}

void risks_page_control_form(struct page *p)
{
	struct scope_dept d;
	struct risks_control x = {0};
	struct risks_error e;
	int64_t rid = 0;
	if (risks_dept(p, 1, &d) != 0)
		return;
	strcpy(x.status, "planned");
	const char *r = http_query(p->req, "risico");
	if (r && sscanf(r, "%lld", (long long *)&rid) == 1)
		x.risk_id = rid;
	if (param_id(p) && !found(p, risks_control_get(p->db, d.id, param_id(p), &x, &e), &e))
		return;
	control_show(p, &d, &x, 200, NULL);
}

void risks_page_control_post(struct page *p)
{
	struct scope_dept d;
	struct risks_control x = {0};
	struct risks_error e;
	const char *err = NULL;
	if (risks_dept(p, 1, &d) != 0)
		return;
	x.id = param_id(p);
	int rid = 0;
	if (risks_field_int(p, "risk", 1, 1 << 30, &rid) != 0)
		err = page_tr(p, "Choose the risk the control lowers.");
	x.risk_id = rid;
	take(p, "description", x.description, sizeof x.description, &err);
	take(p, "owner", x.owner, sizeof x.owner, &err);
	take(p, "status", x.status, sizeof x.status, &err);
	take(p, "implemented_on", x.implemented_on, sizeof x.implemented_on, &err);
	take(p, "review_on", x.review_on, sizeof x.review_on, &err);
	if (strlen(risks_field_text(p, "description")) > RISKS_DESC_MAX ||
	    strlen(risks_field_text(p, "owner")) > RISKS_OWNER_MAX)
		err = page_tr(p, "The description (at most 2,000 characters) or owner (at most 120) is too long.");
	else if (strlen(risks_field_text(p, "implemented_on")) > DATE_LEN ||
		 strlen(risks_field_text(p, "review_on")) > DATE_LEN)
		err = page_tr(p, "Dates are written YYYY-MM-DD, or left empty.");
	if (!err) {
		int rc = risks_control_save(p->db, p->signer, p->viewer->account.id, d.id, &x,
					    today_of(p), &e);
		/* a new control under no risk of the department: the choice was wrong */
		if (rc != 0 && e.code == RISKS_ENOTFOUND && !x.id)
			err = page_tr(p, "Choose the risk the control lowers.");
		else if (answered(p, rc, &e, d.id, "controls", &err))
			return;
	}
	control_show(p, &d, &x, 422, err);
}
