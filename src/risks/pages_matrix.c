/* pages_matrix.c: a department's matrix (GET and POST
 * /risicos/{id}/matrix, pages.h): the number of levels on each axis and
 * their names, and up to ten bands with their lowest and highest score and
 * colour. A refused matrix comes back with the model's message naming the
 * bands (matrix.h), or the risks that still use levels it would drop. */
#include <stdio.h>
#include <string.h>

#include "accounts/viewer.h"
#include "base/date.h"
#include "risks/pages.h"
#include "risks/views.h"
#include "risks_tmpl.h"
#include "web/i18n.h"
#include "web/page.h"

static const char *const axis_id[2] = {"likelihood", "impact"};

/* Shows the form with m, whose texts are as typed; the level counts and
 * band numbers as typed too (raw[] may be NULL: from m). */
static void show(struct page *p, const struct scope_dept *d, const struct risks_matrix *m,
		 int status, const char *error)
{
	struct rv_fieldset sets[2 + RISKS_BANDS_MAX];
	size_t ns = 0;
	for (int a = 0; a < 2; a++) {
		int n = a ? m->nimpact : m->nlikelihood;
		struct rv_field *f = arena_alloc(p->a, (1 + RISKS_LEVELS_MAX) * sizeof *f);
		struct rv_option *o = arena_alloc(p->a, 9 * sizeof *o);
		for (int k = RISKS_LEVELS_MIN; k <= RISKS_LEVELS_MAX; k++)
			o[k - 2] = (struct rv_option){arena_printf(p->a, "%d", k),
						      arena_printf(p->a, "%d", k), k == n};
		f[0] = (struct rv_field){.kind = RV_SELECT,
					 .name = arena_printf(p->a, "%s_levels", axis_id[a]),
					 .id = arena_printf(p->a, "f-%s-levels", axis_id[a]),
					 .label = page_tr(p, "Number of levels"),
					 .options = o, .noptions = 9};
		for (int k = 1; k <= RISKS_LEVELS_MAX; k++)
			f[k] = (struct rv_field){
				.kind = RV_TEXT,
				.name = arena_printf(p->a, "%s_%d", axis_id[a], k),
				.id = arena_printf(p->a, "f-%s-%d", axis_id[a], k),
				.label = page_tr1(p, "Name of level {}", arena_printf(p->a, "%d", k)),
				.value = a ? m->impact[k - 1] : m->likelihood[k - 1],
				.maxlength = RISKS_NAME_MAX};
		sets[ns++] = (struct rv_fieldset){
			page_tr(p, a ? "Impact" : "Likelihood"),
			page_tr(p, "Level 1 is the lowest. Only as many names as there are levels are used."),
			f, 1 + RISKS_LEVELS_MAX};
	}
	for (size_t b = 0; b < RISKS_BANDS_MAX; b++) {
		const struct risks_band *x = b < m->nbands ? &m->bands[b] : NULL;
		struct rv_field *f = arena_alloc(p->a, 4 * sizeof *f);
		struct rv_option *o = arena_alloc(p->a, risks_npalette * sizeof *o);
		for (size_t c = 0; c < risks_npalette; c++)
			o[c] = (struct rv_option){risks_palette[c].id, page_tr(p, risks_palette[c].label),
						  x ? strcmp(x->colour, risks_palette[c].id) == 0 : c == 0};
		const char *num = arena_printf(p->a, "%zu", b + 1);
		f[0] = (struct rv_field){.kind = RV_TEXT,
					 .name = arena_printf(p->a, "band_%s_name", num),
					 .id = arena_printf(p->a, "f-band-%s-name", num),
					 .label = page_tr(p, "Name"), .value = x ? x->name : "",
					 .maxlength = RISKS_NAME_MAX};
		f[1] = (struct rv_field){.kind = RV_NUMBER,
					 .name = arena_printf(p->a, "band_%s_lo", num),
					 .id = arena_printf(p->a, "f-band-%s-lo", num),
					 .label = page_tr(p, "Lowest score"),
					 .value = x ? arena_printf(p->a, "%d", x->lo) : ""};
		f[2] = (struct rv_field){.kind = RV_NUMBER,
					 .name = arena_printf(p->a, "band_%s_hi", num),
					 .id = arena_printf(p->a, "f-band-%s-hi", num),
					 .label = page_tr(p, "Highest score"),
					 .value = x ? arena_printf(p->a, "%d", x->hi) : ""};
		f[3] = (struct rv_field){.kind = RV_SELECT,
					 .name = arena_printf(p->a, "band_%s_colour", num),
					 .id = arena_printf(p->a, "f-band-%s-colour", num),
					 .label = page_tr(p, "Colour"), .options = o,
					 .noptions = risks_npalette};
		sets[ns++] = (struct rv_fieldset){page_tr1(p, "Level band {}", num), NULL, f, 4};
	}
	const char *title = page_tr1(p, "Risk matrix of {}",
				     arena_printf(p->a, "%s (%s)", d->name, d->code));
	struct risks_form_view v = {
		.title = title,
		.intro = page_tr(p, "A risk's score is its likelihood times its impact. The bands sort scores into levels: every score the matrix can give must be in exactly one band. Scores no cell can give (17 to 19 on a 5 × 5 matrix) may be left out. Leave a band's fields empty to remove it."),
		.action = risks_path(p, d->id, "/matrix"),
		.csrf = p->csrf,
		.error = error,
		.back_href = risks_path(p, d->id, ""),
		.back_label = page_tr(p, "Back to the register"),
		.submit = page_tr(p, "Save the matrix"),
		.sets = sets,
		.nsets = ns,
	};
	page_begin(p, title);
	p->res->status = status;
	tmpl_risks_form(&p->res->body, &p->t, &v);
	page_end(p);
}

void risks_page_matrix(struct page *p)
{
	struct scope_dept d;
	struct risks_matrix m;
	struct risks_error e;
	if (risks_dept(p, 1, &d) != 0)
		return;
	if (risks_matrix_get(p->db, d.id, &m, NULL, &e) != 0) {
		risks_fail_page(p, &e);
		return;
	}
	show(p, &d, &m, 200, NULL);
}

static int blank(const char *s)
{
	return strspn(s, " \t") == strlen(s);
}

void risks_page_matrix_post(struct page *p)
{
	struct scope_dept d;
	struct risks_matrix m;
	struct risks_error e;
	const char *err = NULL;
	char today[DATE_LEN + 1], buf[600];
	if (risks_dept(p, 1, &d) != 0)
		return;
	memset(&m, 0, sizeof m);
	for (int a = 0; a < 2; a++) {
		int n = 0;
		char key[32];
		snprintf(key, sizeof key, "%s_levels", axis_id[a]);
		if (risks_field_int(p, key, RISKS_LEVELS_MIN, RISKS_LEVELS_MAX, &n) != 0) {
			err = page_tr(p, "Choose 2 to 10 levels on each axis.");
			n = 5;
		}
		*(a ? &m.nimpact : &m.nlikelihood) = n;
		for (int k = 1; k <= RISKS_LEVELS_MAX; k++) {
			snprintf(key, sizeof key, "%s_%d", axis_id[a], k);
			const char *v = risks_field_text(p, key);
			if (strlen(v) > RISKS_NAME_MAX && k <= n)
				err = page_tr(p, "A level's name is at most 40 characters.");
			snprintf(a ? m.impact[k - 1] : m.likelihood[k - 1], RISKS_NAME_MAX + 1, "%s", v);
		}
	}
	/* bands: rows left wholly empty are no band */
	for (int b = 1; b <= RISKS_BANDS_MAX; b++) {
		char kn[32], kl[32], kh[32], kc[32];
		snprintf(kn, sizeof kn, "band_%d_name", b);
		snprintf(kl, sizeof kl, "band_%d_lo", b);
		snprintf(kh, sizeof kh, "band_%d_hi", b);
		snprintf(kc, sizeof kc, "band_%d_colour", b);
		const char *name = risks_field_text(p, kn);
		const char *lo = risks_field_text(p, kl), *hi = risks_field_text(p, kh);
		if (blank(name) && blank(lo) && blank(hi))
			continue;
		struct risks_band *x = &m.bands[m.nbands++];
		if (strlen(name) > RISKS_NAME_MAX)
			err = page_tr(p, "A band's name is at most 40 characters.");
		snprintf(x->name, sizeof x->name, "%s", name);
		snprintf(x->colour, sizeof x->colour, "%s", risks_field_text(p, kc));
		if (risks_field_int(p, kl, 0, RISKS_SCORE_MAX * 10, &x->lo) != 0 ||
		    risks_field_int(p, kh, 0, RISKS_SCORE_MAX * 10, &x->hi) != 0) {
			err = page_tr1(p, "Give band {} its lowest and highest score as whole numbers.",
				       arena_printf(p->a, "%d", b));
		}
		if (strlen(risks_field_text(p, kc)) >= sizeof x->colour)
			x->colour[0] = 0; /* refused below as "no colour from the list" */
	}
	if (!err) {
		date_today(today);
		if (risks_matrix_set(p->db, p->signer, p->viewer->account.id, d.id, &m, today, &e) == 0) {
			page_redirect(p, risks_path(p, d.id, "?opgeslagen=1#heatmap"));
			return;
		}
		if (e.code == RISKS_EINVALID && e.matrix_problem)
			err = arena_strdup(p->a, risks_problem_text(&e.problem, i18n_translate, p->lang,
								    buf, sizeof buf));
		else if (e.code == RISKS_ECONFLICT)
			err = page_tr1(p, e.msgid, e.detail);
		else {
			risks_fail_page(p, &e);
			return;
		}
	}
	show(p, &d, &m, 422, err);
}
