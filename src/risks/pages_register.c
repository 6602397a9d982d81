/* pages_register.c: the list of registers (GET /risicos), one register
 * (GET /risicos/{id}) with its heat map drawn inline and its numbers as a
 * table beside it, the map as an SVG of its own, and the exports (pages.h).
 * The heat map counts open risks, inherent or residual (?weergave=bruto
 * switches to inherent; a link, no JavaScript). */
#include <stdio.h>
#include <string.h>

#include "accounts/viewer.h"
#include "base/log.h"
#include "risks/heatmap.h"
#include "risks/pages.h"
#include "risks/views.h"
#include "risks_tmpl.h"
#include "web/i18n.h"
#include "web/page.h"
#include "web/sheet.h"

#define R(role) role_mask(role)

/* Everything a register page or export shows. */
struct reg {
	struct scope_dept d;
	struct risks_matrix m;
	int custom;
	struct risks_process *proc;
	struct risks_position *pos;
	struct risks_risk *risk;
	struct risks_control *ctl;
	size_t nproc, npos, nrisk, nctl;
};

static int load(struct page *p, int edit, struct reg *g)
{
	struct risks_error e;
	memset(g, 0, sizeof *g);
	if (risks_dept(p, edit, &g->d) != 0)
		return -1;
	if (risks_matrix_get(p->db, g->d.id, &g->m, &g->custom, &e) != 0 ||
	    risks_process_list(p->db, p->a, g->d.id, &g->proc, &g->nproc, &e) != 0 ||
	    risks_position_list(p->db, p->a, g->d.id, &g->pos, &g->npos, &e) != 0 ||
	    risks_risk_list(p->db, p->a, g->d.id, &g->risk, &g->nrisk, &e) != 0 ||
	    risks_control_list(p->db, p->a, g->d.id, &g->ctl, &g->nctl, &e) != 0) {
		risks_fail_page(p, &e);
		return -1;
	}
	return 0;
}

static int residual_view(struct page *p)
{
	const char *w = http_query(p->req, "weergave");
	return !(w && strcmp(w, "bruto") == 0);
}

/* The heat map's words in the page's language. */
static struct risks_heat_words heat_words(struct page *p, const struct reg *g, int residual)
{
	const char *dept = arena_printf(p->a, "%s (%s)", g->d.name, g->d.code);
	return (struct risks_heat_words){
		.title = page_tr1(p, residual ? N_("Heat map of the residual risks of {}")
					      : N_("Heat map of the inherent risks of {}"), dept),
		.desc = page_tr(p, residual
			? N_("The number of open risks in each cell of the matrix after their controls: likelihood upwards, impact to the right. Each cell is coloured by its level; the table beside it gives the same numbers.")
			: N_("The number of open risks in each cell of the matrix before their controls: likelihood upwards, impact to the right. Each cell is coloured by its level; the table beside it gives the same numbers.")),
		.likelihood = page_tr(p, "Likelihood"),
		.impact = page_tr(p, "Impact"),
		.cell = page_tr(p, "likelihood {l}, impact {i}: {n} risks, level {b}"),
		.id = residual ? "heat-residual" : "heat-inherent",
	};
}

/* ---- GET /risicos ---- */

void risks_page_index(struct page *p)
{
	struct scope own, co;
	if (scope_own(p->db, p->viewer, R(ROLE_INTEGRITY_COORDINATOR) | R(ROLE_MANAGER), &own) ||
	    scope_coordinated(p->db, p->viewer, R(ROLE_COORDINATOR) | R(ROLE_AUDITOR), &co)) {
		log_error("risk registers: %s", db_error(p->db)->msg);
		page_fail(p, 503, "The risk registers cannot be listed at the moment. Try again later.");
		return;
	}
	/* own departments first, then those in scope not already listed */
	struct scope all = own;
	for (size_t i = 0; i < co.n && all.n < SCOPE_MAX; i++)
		if (!scope_find(&all, co.dept[i].id))
			all.dept[all.n++] = co.dept[i];
	struct rv_dept *rows = arena_alloc(p->a, (all.n ? all.n : 1) * sizeof *rows);
	for (size_t i = 0; i < all.n; i++) {
		const struct scope_dept *d = &all.dept[i];
		struct risks_matrix m;
		struct risks_risk *r;
		size_t n = 0;
		struct risks_error e;
		if (risks_matrix_get(p->db, d->id, &m, NULL, &e) != 0 ||
		    risks_risk_list(p->db, p->a, d->id, &r, &n, &e) != 0) {
			risks_fail_page(p, &e);
			return;
		}
		int per[RISKS_BANDS_MAX] = {0}, open = 0;
		for (size_t k = 0; k < n; k++)
			if (strcmp(r[k].status, "open") == 0 && r[k].residual_band >= 0) {
				per[r[k].residual_band]++;
				open++;
			}
		const char *heat = "";
		for (size_t b = m.nbands; b-- > 0;)
			if (per[b])
				heat = arena_printf(p->a, "%s%s%s %d", heat, *heat ? ", " : "",
						    m.bands[b].name, per[b]);
		rows[i] = (struct rv_dept){
			.href = risks_path(p, d->id, ""),
			.code = d->code,
			.name = d->name,
			.heat = *heat ? heat : page_tr(p, "No open risks"),
			.risks = open,
			.own = i < own.n,
		};
	}
	struct risks_index_view v = {rows, all.n, co.n > 0};
	page_begin(p, page_tr(p, "Risk registers"));
	tmpl_risks_index(&p->res->body, &p->t, &v);
	page_end(p);
}

/* ---- GET /risicos/{id} ---- */

static const char *profile_words(struct page *p, const struct saint_answers *a)
{
	struct saint_profile pr;
	saint_profile(a, &pr);
	return arena_printf(p->a, "%s (%s %s, %s %s)", page_tr(p, saint_level_label(pr.profile)),
			    page_tr(p, "inherent"), page_tr(p, saint_level_label(pr.inherent)),
			    page_tr(p, "enhancing"), page_tr(p, saint_level_label(pr.enhancing)));
}

static const char *process_name(const struct reg *g, int64_t id)
{
	for (size_t i = 0; i < g->nproc; i++)
		if (g->proc[i].id == id)
			return g->proc[i].name;
	return "";
}

static const char *risk_title(const struct reg *g, int64_t id)
{
	for (size_t i = 0; i < g->nrisk; i++)
		if (g->risk[i].id == id)
			return g->risk[i].title;
	return "";
}

#define CELL(t, r, c) ((struct rv_cell *)(t)->cells)[(r) * (t)->ncols + (c)]

/* The link from a row to its form (/risicos/{dept}/{coll}/{id}) for those
 * who may edit; NULL for the others. */
static const char *edit_href(struct page *p, int edit, int64_t dept, const char *coll, int64_t id)
{
	return edit ? risks_path(p, dept, arena_printf(p->a, "/%s/%lld", coll, (long long)id))
		    : NULL;
}

static const char *yes_no(struct page *p, int yes)
{
	return yes ? page_tr(p, "yes") : page_tr(p, "no");
}

/* A measure of a position as "what: status". */
static const char *measure(struct page *p, const char *what, const char *status)
{
	return arena_printf(p->a, "%s: %s", what, risks_status_words(p, status));
}

static void table(struct page *p, struct rv_table *t, const char *id, const char *caption,
		  const char *empty, size_t ncols, size_t nrows, const char *const *head)
{
	*t = (struct rv_table){id, caption, empty, NULL, ncols, NULL, nrows};
	const char **h = arena_alloc(p->a, ncols * sizeof *h);
	for (size_t c = 0; c < ncols; c++)
		h[c] = page_tr(p, head[c]);
	t->head = h;
	t->cells = arena_alloc(p->a, (nrows ? nrows : 1) * ncols * sizeof(struct rv_cell));
}

void risks_page_register(struct page *p)
{
	struct reg g;
	if (load(p, 0, &g) != 0)
		return;
	int residual = residual_view(p);
	int edit = risks_may_edit(p, g.d.id);
	int64_t id = g.d.id;
	const char *done = http_query(p->req, "opgeslagen");
	struct rv_link actions[5], exports[5];
	size_t nact = 0;
	if (edit) {
		actions[nact++] = (struct rv_link){risks_path(p, id, "/processen/nieuw"),
						  page_tr(p, "Add a process")};
		actions[nact++] = (struct rv_link){risks_path(p, id, "/functies/nieuw"),
						  page_tr(p, "Add a vulnerable position")};
		actions[nact++] = (struct rv_link){risks_path(p, id, "/risicos/nieuw"),
						  page_tr(p, "Add a risk")};
		if (g.nrisk)
			actions[nact++] = (struct rv_link){
				risks_path(p, id, "/maatregelen/nieuw"), page_tr(p, "Add a control")};
	}
	exports[0] = (struct rv_link){risks_path(p, id, "/export.xlsx"),
				      page_tr(p, "spreadsheet (XLSX, four sheets)")};
	exports[1] = (struct rv_link){risks_path(p, id, "/export.csv?blad=processen"),
				      page_tr(p, "processes (CSV)")};
	exports[2] = (struct rv_link){risks_path(p, id, "/export.csv?blad=functies"),
				      page_tr(p, "positions (CSV)")};
	exports[3] = (struct rv_link){risks_path(p, id, "/export.csv?blad=risicos"),
				      page_tr(p, "risks (CSV)")};
	exports[4] = (struct rv_link){risks_path(p, id, "/export.csv?blad=maatregelen"),
				      page_tr(p, "controls (CSV)")};
	struct risks_register_view top = {
		.title = page_tr1(p, "Risk register of {}",
				  arena_printf(p->a, "%s (%s)", g.d.name, g.d.code)),
		.notice = done ? page_tr(p, "Saved.") : NULL,
		.may_edit = edit,
		.actions = actions,
		.nactions = nact,
		.exports = exports,
		.nexports = 5,
		.heat_heading = page_tr(p, residual ? N_("Heat map: residual risks (after controls)")
						    : N_("Heat map: inherent risks (before controls)")),
		.switch_href = risks_path(p, id, residual ? "?weergave=bruto#heatmap" : "#heatmap"),
		.switch_label = page_tr(p, residual ? N_("Show the inherent risks (before controls)")
						    : N_("Show the residual risks (after controls)")),
		.svg_href = risks_path(p, id, residual ? "/heatmap.svg" : "/heatmap.svg?weergave=bruto"),
		.matrix_text = arena_printf(p->a, "%s",
			page_tr1(p, g.custom ? N_("The department's own matrix: {} (likelihood × impact).")
					     : N_("The default matrix: {} (likelihood × impact)."),
				 arena_printf(p->a, "%d \xc3\x97 %d", g.m.nlikelihood, g.m.nimpact))),
		.matrix_href = edit ? risks_path(p, id, "/matrix") : NULL,
	};
	struct risks_heat h;
	risks_heat_count(g.risk, g.nrisk, residual, &h);
	struct risks_heat_words w = heat_words(p, &g, residual);
	struct buf svg = BUF_INIT;
	if (risks_heatmap_svg(&svg, &g.m, &h, &w, 0) != 0) {
		buf_free(&svg);
		log_error("risk register %lld: the heat map does not draw", (long long)id);
		page_fail(p, 500, "The heat map cannot be drawn. Tell your administrator.");
		return;
	}

	struct rv_table t[5];
	/* 1. the heat map's numbers: rows likelihood (highest first), columns impact */
	{
		size_t nc = (size_t)g.m.nimpact + 1;
		const char **head = arena_alloc(p->a, nc * sizeof *head);
		head[0] = N_("Likelihood \\ impact");
		for (int i = 1; i <= g.m.nimpact; i++)
			head[i] = risks_level_words(p, &g.m, 1, i);
		table(p, &t[0], "heatmap-table", page_tr(p, residual
			? N_("Open risks per cell, after controls") : N_("Open risks per cell, before controls")),
			"", nc, (size_t)g.m.nlikelihood, head);
		for (int l = g.m.nlikelihood, r = 0; l >= 1; l--, r++) {
			CELL(&t[0], r, 0).text = risks_level_words(p, &g.m, 0, l);
			for (int i = 1; i <= g.m.nimpact; i++) {
				int b = risks_band_of(&g.m, l, i);
				CELL(&t[0], r, i).text = arena_printf(p->a, "%d (%s)",
					h.count[l - 1][i - 1], b >= 0 ? g.m.bands[b].name : "\xe2\x80\x94");
			}
		}
	}
	/* 2. processes */
	static const char *const ph[] = {N_("Process"), N_("Inherent vulnerabilities"),
					 N_("Enhancing factors (0–15)"), N_("Vulnerability profile")};
	table(p, &t[1], "processes", page_tr(p, "Processes and their vulnerability (SAINT)"),
	      page_tr(p, "No processes yet."), 4, g.nproc, ph);
	for (size_t i = 0; i < g.nproc; i++) {
		struct saint_profile pr;
		saint_profile(&g.proc[i].saint, &pr);
		const char *inh = "";
		for (int k = 0; k < SAINT_INHERENT; k++)
			if (g.proc[i].saint.inherent >> k & 1)
				inh = arena_printf(p->a, "%s%s%s", inh, *inh ? "; " : "",
						   page_tr(p, saint_inherent[k].label));
		CELL(&t[1], i, 0) = (struct rv_cell){g.proc[i].name,
						     edit_href(p, edit, id, "processen", g.proc[i].id)};
		CELL(&t[1], i, 1).text = *inh ? inh : page_tr(p, "none");
		CELL(&t[1], i, 2).text = arena_printf(p->a, "%d", pr.factor_sum);
		CELL(&t[1], i, 3).text = profile_words(p, &g.proc[i].saint);
	}
	/* 3. positions */
	static const char *const posh[] = {N_("Position"), N_("Process"), N_("Staff"),
					   N_("Screening"), N_("Rotation"),
					   N_("Declaration of financial interests")};
	table(p, &t[2], "positions", page_tr(p, "Vulnerable positions and their measures"),
	      page_tr(p, "No vulnerable positions yet."), 6, g.npos, posh);
	for (size_t i = 0; i < g.npos; i++) {
		const struct risks_position *x = &g.pos[i];
		CELL(&t[2], i, 0) = (struct rv_cell){x->title, edit_href(p, edit, id, "functies", x->id)};
		CELL(&t[2], i, 1).text = process_name(&g, x->process_id);
		CELL(&t[2], i, 2).text = arena_printf(p->a, "%d", x->staff);
		CELL(&t[2], i, 3).text = measure(p, risks_screening_words(p, x->screening),
						 x->screening_status);
		CELL(&t[2], i, 4).text = measure(p, x->rotation_years
			? page_tr1(p, "every {} years", arena_printf(p->a, "%d", x->rotation_years))
			: page_tr(p, "no rotation"), x->rotation_status);
		CELL(&t[2], i, 5).text = measure(p, yes_no(p, x->declaration), x->declaration_status);
	}
	/* 4. risks */
	static const char *const rh[] = {N_("Risk"), N_("Process"), N_("Category"),
					 N_("Inherent → residual"), N_("Treatment"), N_("Owner"),
					 N_("Next review"), N_("Status")};
	table(p, &t[3], "risks", page_tr(p, "Risks"), page_tr(p, "No risks yet."), 8, g.nrisk, rh);
	for (size_t i = 0; i < g.nrisk; i++) {
		const struct risks_risk *x = &g.risk[i];
		CELL(&t[3], i, 0) = (struct rv_cell){x->title, edit_href(p, edit, id, "risicos", x->id)};
		CELL(&t[3], i, 1).text = x->process_name;
		CELL(&t[3], i, 2).text = risks_category_words(p, x->category);
		CELL(&t[3], i, 3).text = arena_printf(p->a, "%s \xe2\x86\x92 %s",
			risks_band_words(p, &g.m, x->inherent_band),
			risks_band_words(p, &g.m, x->residual_band));
		CELL(&t[3], i, 4).text = risks_treatment_words(p, x->treatment);
		CELL(&t[3], i, 5).text = x->owner;
		CELL(&t[3], i, 6).text = x->review_on;
		CELL(&t[3], i, 7).text = risks_status_words(p, x->status);
	}
	/* 5. controls */
	static const char *const ch[] = {N_("Control"), N_("Risk"), N_("Owner"), N_("Status"),
					 N_("Implemented on"), N_("Next review")};
	table(p, &t[4], "controls", page_tr(p, "Controls"), page_tr(p, "No controls yet."), 6,
	      g.nctl, ch);
	for (size_t i = 0; i < g.nctl; i++) {
		const struct risks_control *x = &g.ctl[i];
		CELL(&t[4], i, 0) = (struct rv_cell){x->description,
						     edit_href(p, edit, id, "maatregelen", x->id)};
		CELL(&t[4], i, 1).text = risk_title(&g, x->risk_id);
		CELL(&t[4], i, 2).text = x->owner;
		CELL(&t[4], i, 3).text = risks_status_words(p, x->status);
		CELL(&t[4], i, 4).text = x->implemented_on;
		CELL(&t[4], i, 5).text = x->review_on;
	}
	struct rv_link *bands = arena_alloc(p->a, (g.m.nbands ? g.m.nbands : 1) * sizeof *bands);
	for (size_t b = 0; b < g.m.nbands; b++) {
		const struct risks_colour *c = risks_colour_find(g.m.bands[b].colour);
		bands[b] = (struct rv_link){NULL, arena_printf(p->a, "%s, %s",
			risks_band_words(p, &g.m, (int)b), c ? page_tr(p, c->label) : "")};
	}
	struct risks_register_rest_view rest = {t, 5, bands, g.m.nbands};
	page_begin(p, top.title);
	tmpl_risks_register_top(&p->res->body, &p->t, &top);
	buf_add(&p->res->body, svg.p, svg.n);
	buf_free(&svg);
	tmpl_risks_register_rest(&p->res->body, &p->t, &rest);
	page_end(p);
}

/* ---- GET /risicos/{id}/heatmap.svg ---- */

void risks_page_svg(struct page *p)
{
	struct reg g;
	if (load(p, 0, &g) != 0)
		return;
	int residual = residual_view(p);
	struct risks_heat h;
	risks_heat_count(g.risk, g.nrisk, residual, &h);
	struct risks_heat_words w = heat_words(p, &g, residual);
	buf_reset(&p->res->body);
	if (risks_heatmap_svg(&p->res->body, &g.m, &h, &w, 1) != 0) {
		buf_reset(&p->res->body);
		page_fail(p, 500, "The heat map cannot be drawn. Tell your administrator.");
		return;
	}
	p->res->status = 200;
	p->res->content_type = "image/svg+xml; charset=utf-8";
}

/* ---- exports ---- */

/* A sheet named name (a msgid): its first column the row's id, then the
 * columns head (msgids), n of them in all with the id. */
static struct sheet_table *sheet_of(struct page *p, struct sheet_book *b, const char *name,
				    const char *const *head, size_t n)
{
	const char **h = arena_alloc(p->a, n * sizeof *h);
	h[0] = "id";
	for (size_t i = 1; i < n; i++)
		h[i] = page_tr(p, head[i - 1]);
	return sheet_table_add(b, page_tr(p, name), n, h);
}

#define SHEET(p, b, name, head) sheet_of(p, b, name, head, 1 + sizeof head / sizeof head[0])

/* Starts a row with its id. */
static void sheet_row_of(struct sheet_table *t, int64_t id)
{
	sheet_row(t);
	sheet_int(t, id);
}

/* A band's name; "" off the matrix. */
static const char *band_name(const struct reg *g, int band)
{
	return band >= 0 ? g->m.bands[band].name : "";
}

static void sheet_processes(struct page *p, struct sheet_book *b, const struct reg *g)
{
	const char *head[3 + SAINT_INHERENT + SAINT_FACTORS + 3];
	size_t n = 0;
	head[n++] = N_("Process");
	head[n++] = N_("Description");
	for (int k = 0; k < SAINT_INHERENT; k++)
		head[n++] = saint_inherent[k].label;
	for (int k = 0; k < SAINT_FACTORS; k++)
		head[n++] = saint_factors[k].label;
	head[n++] = N_("Inherent vulnerability");
	head[n++] = N_("Enhancing factors");
	head[n++] = N_("Vulnerability profile");
	head[n++] = N_("Updated on");
	struct sheet_table *t = sheet_of(p, b, N_("processes"), head, 1 + n);
	for (size_t i = 0; t && i < g->nproc; i++) {
		const struct risks_process *x = &g->proc[i];
		struct saint_profile pr;
		saint_profile(&x->saint, &pr);
		sheet_row_of(t, x->id);
		sheet_text(t, x->name);
		sheet_text(t, x->description);
		for (int k = 0; k < SAINT_INHERENT; k++)
			sheet_text(t, yes_no(p, x->saint.inherent >> k & 1));
		for (int k = 0; k < SAINT_FACTORS; k++)
			sheet_int(t, x->saint.factor[k]);
		sheet_text(t, page_tr(p, saint_level_label(pr.inherent)));
		sheet_text(t, page_tr(p, saint_level_label(pr.enhancing)));
		sheet_text(t, page_tr(p, saint_level_label(pr.profile)));
		sheet_text(t, x->updated_on);
	}
}

static void sheet_positions(struct page *p, struct sheet_book *b, const struct reg *g)
{
	static const char *const head[] = {
		N_("Position"), N_("Process"), N_("Staff"), N_("Screening"), N_("Screening status"),
		N_("Rotation (years)"), N_("Rotation status"), N_("Declaration of financial interests"),
		N_("Declaration status"), N_("Updated on")};
	struct sheet_table *t = SHEET(p, b, N_("positions"), head);
	for (size_t i = 0; t && i < g->npos; i++) {
		const struct risks_position *x = &g->pos[i];
		sheet_row_of(t, x->id);
		sheet_text(t, x->title);
		sheet_text(t, process_name(g, x->process_id));
		sheet_int(t, x->staff);
		sheet_text(t, risks_screening_words(p, x->screening));
		sheet_text(t, risks_status_words(p, x->screening_status));
		sheet_int(t, x->rotation_years);
		sheet_text(t, risks_status_words(p, x->rotation_status));
		sheet_text(t, yes_no(p, x->declaration));
		sheet_text(t, risks_status_words(p, x->declaration_status));
		sheet_text(t, x->updated_on);
	}
}

static void sheet_risks(struct page *p, struct sheet_book *b, const struct reg *g)
{
	static const char *const head[] = {
		N_("Risk"), N_("Description"), N_("Process"), N_("Category"),
		N_("Inherent likelihood"), N_("Inherent impact"), N_("Inherent score"),
		N_("Inherent level"), N_("Residual likelihood"), N_("Residual impact"),
		N_("Residual score"), N_("Residual level"), N_("Treatment"), N_("Owner"),
		N_("Next review"), N_("Status"), N_("Updated on")};
	struct sheet_table *t = SHEET(p, b, N_("risks"), head);
	for (size_t i = 0; t && i < g->nrisk; i++) {
		const struct risks_risk *x = &g->risk[i];
		sheet_row_of(t, x->id);
		sheet_text(t, x->title);
		sheet_text(t, x->description);
		sheet_text(t, x->process_name);
		sheet_text(t, risks_category_words(p, x->category));
		sheet_int(t, x->il);
		sheet_int(t, x->ii);
		sheet_int(t, x->il * x->ii);
		sheet_text(t, band_name(g, x->inherent_band));
		sheet_int(t, x->rl);
		sheet_int(t, x->ri);
		sheet_int(t, x->rl * x->ri);
		sheet_text(t, band_name(g, x->residual_band));
		sheet_text(t, risks_treatment_words(p, x->treatment));
		sheet_text(t, x->owner);
		sheet_text(t, x->review_on);
		sheet_text(t, risks_status_words(p, x->status));
		sheet_text(t, x->updated_on);
	}
}

static void sheet_controls(struct page *p, struct sheet_book *b, const struct reg *g)
{
	static const char *const head[] = {
		N_("Risk"), N_("Control"), N_("Owner"), N_("Status"), N_("Implemented on"),
		N_("Next review"), N_("Updated on")};
	struct sheet_table *t = SHEET(p, b, N_("controls"), head);
	for (size_t i = 0; t && i < g->nctl; i++) {
		const struct risks_control *x = &g->ctl[i];
		sheet_row_of(t, x->id);
		sheet_text(t, risk_title(g, x->risk_id));
		sheet_text(t, x->description);
		sheet_text(t, x->owner);
		sheet_text(t, risks_status_words(p, x->status));
		sheet_text(t, x->implemented_on);
		sheet_text(t, x->review_on);
		sheet_text(t, x->updated_on);
	}
}

static void attachment(struct page *p, const struct reg *g, const char *what, const char *ext)
{
	const char *name = arena_printf(p->a, "attachment; filename=\"risicoregister-%s%s%s.%s\"",
					g->d.code, *what ? "-" : "", what, ext);
	http_add_header(p->res, "Content-Disposition", name);
}

void risks_page_csv(struct page *p)
{
	struct reg g;
	static const char *const sheets[] = {"processen", "functies", "risicos", "maatregelen"};
	const char *which = http_query(p->req, "blad");
	int k = 2;
	if (which) {
		for (k = 0; k < 4 && strcmp(which, sheets[k]) != 0; k++)
			;
	}
	if (k == 4) {
		/* before the department is looked at: nothing to give away */
		page_fail(p, 404, "There is no such sheet. Choose processen, functies, risicos or maatregelen.");
		return;
	}
	if (load(p, 0, &g) != 0)
		return;
	struct sheet_book *b = sheet_book_new(p->a);
	void (*fill[4])(struct page *, struct sheet_book *, const struct reg *) = {
		sheet_processes, sheet_positions, sheet_risks, sheet_controls};
	fill[k](p, b, &g);
	struct sheet_table *t = sheet_book_table(b, 0);
	buf_reset(&p->res->body);
	if (t)
		sheet_write_csv(t, &p->res->body);
	p->res->status = 200;
	p->res->content_type = "text/csv; charset=utf-8";
	attachment(p, &g, sheets[k], "csv");
}

void risks_page_xlsx(struct page *p)
{
	struct reg g;
	char err[200];
	if (load(p, 0, &g) != 0)
		return;
	struct sheet_book *b = sheet_book_new(p->a);
	sheet_processes(p, b, &g);
	sheet_positions(p, b, &g);
	sheet_risks(p, b, &g);
	sheet_controls(p, b, &g);
	struct buf out = BUF_INIT;
	if (sheet_write_xlsx(b, &out, err, sizeof err) != 0) {
		buf_free(&out);
		log_error("risk register %lld: XLSX: %s", (long long)g.d.id, err);
		page_fail(p, 500, "The spreadsheet cannot be made at the moment. Try again later.");
		return;
	}
	buf_reset(&p->res->body);
	buf_add(&p->res->body, out.p, out.n);
	buf_free(&out);
	p->res->status = 200;
	p->res->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	attachment(p, &g, "", "xlsx");
}
