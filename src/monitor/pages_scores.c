/* pages_scores.c: the dashboard's assessment scores and risk heat per
 * department (pages_int.h; docs/monitoring.md, "Assessment scores and risk
 * heat"). The scores are not counts of people or cases and are shown as
 * they are; the heat counts risks and is suppressed like every other count
 * of the dashboard. */
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "frameworks/framework.h"
#include "monitor/cache.h"
#include "monitor/pages_int.h"
#include "web/i18n.h"

#define FW_OPTIONS_MAX 64

/* Chooses the framework from ?kader= among the latest revisions (a
 * refused one sets g->kerr) and loads the scores and the heat. */
int mon_page_scores_load(struct page *p, struct dash_page *g)
{
	char err[600] = "";
	struct fw_version_row *fws = arena_alloc(p->a, FW_OPTIONS_MAX * sizeof *fws);
	size_t nf = 0;
	if (frameworks_list(p->db, 1, fws, FW_OPTIONS_MAX, &nf) != 0) {
		log_error("dashboard: frameworks: %s", db_error(p->db)->msg);
		page_fail(p, 503, "The dashboard cannot be made at the moment. Try again later.");
		return -1;
	}
	const char *want = http_query(p->req, "kader");
	g->fw_code = want && *want ? want : MON_FRAMEWORK_DEFAULT;
	g->fw_options = arena_alloc(p->a, (nf ? nf : 1) * sizeof *g->fw_options);
	int known = 0;
	for (size_t i = 0; i < nf; i++) {
		int sel = strcmp(fws[i].code, g->fw_code) == 0;
		known |= sel;
		g->fw_options[i] = (struct mon_view_option){
			arena_strdup(p->a, fws[i].code),
			arena_strdup(p->a, fw_lang(fws[i].title_nl, fws[i].title_en, p->lang)), sel};
	}
	g->nfw = nf;
	/* the default may be missing from a database without the shipped
	 * frameworks: then there is simply nothing to show */
	if (!known && want && *want) {
		g->kerr = page_tr(p, "Choose a framework from the list.");
		return 0;
	}
	if (g->qerr || g->terr)
		return 0;
	/* through the cache (cache.h): the marks read before anything is loaded */
	struct mon_marks m;
	if (mon_marks_read(p->db, &m) != 0)
		snprintf(err, sizeof err, "%s", db_error(p->db)->msg);
	if (err[0] || mon_extras_get(p->db, p->a, &m, g->scope, &g->d, g->fw_code, &g->scores,
				     &g->heat, err, sizeof err) != 0) {
		log_error("dashboard: %s", err);
		page_fail(p, 503, "The dashboard cannot be made at the moment. Try again later.");
		return -1;
	}
	return 0;
}

static const char *fw_title(const struct dash_page *g)
{
	for (size_t i = 0; i < g->nfw; i++)
		if (g->fw_options[i].selected)
			return g->fw_options[i].label;
	return g->fw_code;
}

static struct mon_view_table scores_table(struct page *p, const struct dash_page *g)
{
	static const char *const heads[] = {N_("Year"), N_("Status"), N_("Date"),
					    N_("Overall score (0 to 100)"),
					    N_("Change since the previous one")};
	const size_t nc = sizeof heads / sizeof heads[0];
	struct mon_view_table v = {
		.id = "zelfevaluatie",
		.caption = page_tr1(p, "Self-assessments signed off or reviewed up to {}",
				    arena_printf(p->a, "%d: %s", g->d.year, fw_title(g)))};
	const char **h = arena_alloc(p->a, nc * sizeof *h);
	for (size_t c = 0; c < nc; c++)
		h[c] = page_tr(p, heads[c]);
	struct mon_view_row *rows = arena_alloc(p->a, (g->d.scope.n + 1) * sizeof *rows);
	size_t n = 0;
	const char *dash = "–";
	for (size_t r = 0; r < g->d.scope.n; r++) {
		if (g->d.former[r] != MON_ROW_DEPT)
			continue; /* a marked row holds counts, no department of its own */
		const struct mon_score *s = &g->scores[r];
		const char **cells = arena_alloc(p->a, nc * sizeof *cells);
		if (!s->id) {
			cells[0] = page_tr(p, "not assessed");
			for (size_t c = 1; c < nc; c++)
				cells[c] = dash;
		} else {
			cells[0] = arena_printf(p->a, "%d", s->year);
			cells[1] = page_tr(p, s->reviewed ? "reviewed" : "signed off");
			cells[2] = arena_strdup(p->a, s->date);
			cells[3] = s->shown >= 0 ? arena_printf(p->a, "%d", s->shown)
						 : page_tr(p, "no score");
			cells[4] = !s->has_change ? dash
				   : arena_printf(p->a, "%+d (%s %d)", s->change,
						  page_tr(p, "since"), s->prev_year);
		}
		rows[n++] = (struct mon_view_row){mon_page_row_label(p, &g->d, r), cells, 0};
	}
	v.heads = h;
	v.ncols = nc;
	v.rows = rows;
	v.nrows = n;
	if (!n)
		v.empty = page_tr(p, "No department was there in this year.");
	return v;
}

static struct mon_view_table heat_table(struct page *p, const struct dash_page *g)
{
	const struct mon_heat *h = &g->heat;
	const char **heads = arena_alloc(p->a, h->nbands * sizeof *heads);
	for (size_t k = 0; k < h->nbands; k++) {
		const char *n = arena_printf(p->a, "%zu", k + 1);
		heads[k] = h->named && h->heads[k][0]
			? arena_strdup(p->a, h->heads[k])
			: k == 0 ? page_tr1(p, "Band {} (lowest)", n)
			: k + 1 == h->nbands ? page_tr1(p, "Band {} (highest)", n)
			: page_tr1(p, "Band {}", n);
	}
	const char **labels = arena_alloc(p->a, g->scope->n * sizeof *labels);
	for (size_t r = 0; r < g->scope->n; r++)
		labels[r] = arena_printf(p->a, "%s (%s)", g->scope->dept[r].name,
					 g->scope->dept[r].code);
	return mon_page_grid_table(p, &h->g, labels, heads, g->totals_only, "risico",
				   page_tr(p, "Open risks by residual band, today"));
}

void mon_page_scores_view(struct page *p, const struct dash_page *g, struct mon_dash_view *v,
			  struct mon_view_table *scores, struct mon_view_table *heat)
{
	if (!g->totals_only) {
		*scores = scores_table(p, g);
		v->scores = scores;
		v->scores_note = page_tr(p, "Per department, its latest self-assessment against the framework chosen that it signed off (or that was also reviewed) for this year or one before, with the change in its overall score since the one before that. Drafts are not shown. The scores describe the integrity policy of an organisation, not persons, and are shown in full.");
	}
	*heat = heat_table(p, g);
	v->heat = heat;
	v->heat_note = page_tr(p, "The open risks of each department's risk register as it is today, counted by the band of their residual risk under the department's own matrix. Bands are put side by side by their order from the lowest; where the departments name them alike the names head the columns. A risk register can describe a few positions or people, so these counts are hidden when small, as the others.");
}
