/* annual.c: the annual report's figures from the grouped counts (annual.h
 * says which choices it makes and why). Pure: the organisation tree and the
 * counts come in, the shipped taxonomies (cases/dataset.h, embedded) map the
 * categories. Everything is counted exactly once: each count lands in one
 * group and one category row, so the government's total is the sum of the
 * rows, which the unit tests check against the records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "cases/dataset.h"
#include "monitor/annual.h"
#include "monitor/place.h"

static int by_code(const void *a, const void *b)
{
	const struct org *x = *(const struct org *const *)a, *y = *(const struct org *const *)b;
	return strcmp(x->code, y->code);
}

struct builder {
	const struct org_table *orgs;
	const struct annual_opts *opts;
	struct annual_report *r;
	size_t groups_cap, rows_cap, measures_cap, totals_cap;
};

/* The group a count of organisation row org_id falls in, created on first
 * use; or -1 when the report leaves it out (another department's figures,
 * outside the scope, an organisation the tree does not know). */
static long group_of(struct builder *b, int64_t org_id)
{
	struct mon_place pl;
	if (mon_place(b->orgs, org_id, &pl) != 0)
		return -1;
	const struct org *was = pl.was, *key = was, *const *succ = pl.succ;
	size_t nsucc = 0;
	int undivided = 0;
	if (b->opts->today) {
		nsucc = pl.nsucc;
		if (nsucc == 1)
			key = succ[0];
		else
			undivided = 1;   /* split (or abolished): stays with its predecessor */
	}
	/* Outside the scope if the department as it was or any it leads to is:
	 * when unsure, leave it out of the government's figures. */
	int outside = was->outside_scope || key->outside_scope || (nsucc && pl.succ_outside);
	if (b->opts->org) {
		int mine = org_code_eq(key->code, b->opts->org) && !undivided;
		for (size_t i = 0; undivided && i < nsucc; i++)
			mine |= org_code_eq(succ[i]->code, b->opts->org);
		if (!mine)
			return -1;
	} else if (outside) {
		return -1;
	}
	struct annual_report *r = b->r;
	for (size_t i = 0; i < r->ngroups; i++)
		if (r->groups[i].org_id == key->id && r->groups[i].undivided == undivided)
			return (long)i;
	if (r->ngroups == b->groups_cap) {
		b->groups_cap = b->groups_cap ? 2 * b->groups_cap : 16;
		r->groups = xrealloc(r->groups, b->groups_cap * sizeof *r->groups);
	}
	struct annual_group *g = &r->groups[r->ngroups];
	memset(g, 0, sizeof *g);
	g->org_id = key->id;
	snprintf(g->code, sizeof g->code, "%s", key->code);
	snprintf(g->name, sizeof g->name, "%s", key->name);
	g->undivided = undivided;
	g->outside_scope = outside;
	if (undivided && nsucc == 0) {
		snprintf(g->note, sizeof g->note, "no successor today");
	} else if (undivided) {
		const struct org *sorted[ORG_MAX_SUCCESSORS];
		memcpy(sorted, succ, nsucc * sizeof *sorted);
		qsort(sorted, nsucc, sizeof *sorted, by_code);
		size_t len = (size_t)snprintf(g->note, sizeof g->note,
					      "before the split into");
		for (size_t i = 0; i < nsucc && len < sizeof g->note; i++)
			len += (size_t)snprintf(g->note + len, sizeof g->note - len, "%s %s",
						i ? "," : "", sorted[i]->code);
	}
	return (long)r->ngroups++;
}

/* The category of c in the report's revision: its codes joined with '+',
 * and the first one's place in that revision for the order. A code that
 * cannot be mapped (another taxonomy, a revision this build lacks) keeps
 * its own name, "taxonomy@revision:code", and sorts last: counted, not
 * guessed. */
static void category_key(const struct annual_opts *o, const struct reg_count *c, char *key,
			 size_t cap, int *order)
{
	const char *to[CASES_MAX_MAP_TO];
	size_t nto = 0;
	*order = CASES_MAX_CATEGORIES;
	if (strcmp(c->taxonomy, o->taxonomy) != 0 ||
	    cases_data_map_category(o->taxonomy, c->category, c->taxonomy_revision,
				    o->taxonomy_revision, to, CASES_MAX_MAP_TO, &nto) != 0 ||
	    nto == 0) {
		snprintf(key, cap, "%s@%d:%s", c->taxonomy, c->taxonomy_revision, c->category);
		return;
	}
	size_t len = 0;
	key[0] = '\0';
	for (size_t i = 0; i < nto && len < cap; i++)
		len += (size_t)snprintf(key + len, cap - len, "%s%s", i ? "+" : "", to[i]);
	const struct cases_taxonomy *t = cases_data_taxonomy_find(o->taxonomy,
								  o->taxonomy_revision);
	for (size_t i = 0; t && i < t->ncategories; i++)
		if (strcmp(t->categories[i].code, to[0]) == 0)
			*order = (int)i;
}

static void cells_add(struct annual_cells *s, const struct reg_count *c)
{
	int64_t n = c->registered + c->cases;
	s->registered += n;
	if (strcmp(c->outcome, "established") == 0)
		s->established += n;
	else if (strcmp(c->outcome, "partly") == 0)
		s->partly += n;
	else if (strcmp(c->outcome, "not_established") == 0)
		s->not_established += n;
	else
		s->no_outcome += n;
	if (c->police_report == 1)
		s->police += n;
}

static void add_count(struct builder *b, const struct reg_count *c)
{
	long g = group_of(b, c->org_id);
	if (g < 0)
		return;
	char key[ANNUAL_CATEGORY_MAX + 1];
	int order;
	category_key(b->opts, c, key, sizeof key, &order);
	struct annual_report *r = b->r;
	struct annual_row *row = NULL;
	for (size_t i = 0; i < r->nrows && !row; i++)
		if (r->rows[i].group == (size_t)g && strcmp(r->rows[i].category, key) == 0)
			row = &r->rows[i];
	if (!row) {
		if (r->nrows == b->rows_cap) {
			b->rows_cap = b->rows_cap ? 2 * b->rows_cap : 64;
			r->rows = xrealloc(r->rows, b->rows_cap * sizeof *r->rows);
		}
		row = &r->rows[r->nrows++];
		memset(row, 0, sizeof *row);
		row->group = (size_t)g;
		row->order = order;
		snprintf(row->category, sizeof row->category, "%s", key);
	}
	cells_add(&row->c, c);
	cells_add(&r->groups[g].total, c);
	cells_add(&r->total, c);
	r->groups[g].from_registers += c->registered;
	r->from_registers += c->registered;
}

static void measure_add(struct annual_measure **arr, size_t *n, size_t *cap, size_t group,
			const char *code, int64_t k)
{
	for (size_t i = 0; i < *n; i++)
		if ((*arr)[i].group == group && strcmp((*arr)[i].code, code) == 0) {
			(*arr)[i].n += k;
			return;
		}
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 32;
		*arr = xrealloc(*arr, *cap * sizeof **arr);
	}
	struct annual_measure *m = &(*arr)[(*n)++];
	memset(m, 0, sizeof *m);
	m->group = group;
	snprintf(m->code, sizeof m->code, "%s", code);
	m->n = k;
}

/* Sorting after the fact: groups by (undivided, code, org row), then the
 * rows' and measures' group indexes renumbered. */
static const struct annual_group *sort_groups_base;
static int group_cmp(const void *a, const void *b)
{
	const struct annual_group *x = &sort_groups_base[*(const size_t *)a];
	const struct annual_group *y = &sort_groups_base[*(const size_t *)b];
	if (x->undivided != y->undivided)
		return x->undivided - y->undivided;
	int c = strcmp(x->code, y->code);
	if (c)
		return c;
	return (x->org_id > y->org_id) - (x->org_id < y->org_id);
}

static int row_cmp(const void *a, const void *b)
{
	const struct annual_row *x = a, *y = b;
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if (x->order != y->order)
		return x->order - y->order;
	return strcmp(x->category, y->category);
}

static int measure_cmp(const void *a, const void *b)
{
	const struct annual_measure *x = a, *y = b;
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	return strcmp(x->code, y->code);
}

static void sort_report(struct annual_report *r)
{
	if (r->ngroups) {
		size_t *perm = xmalloc(r->ngroups * sizeof *perm);
		size_t *inv = xmalloc(r->ngroups * sizeof *inv);
		struct annual_group *g = xmalloc(r->ngroups * sizeof *g);
		for (size_t i = 0; i < r->ngroups; i++)
			perm[i] = i;
		sort_groups_base = r->groups;
		qsort(perm, r->ngroups, sizeof *perm, group_cmp);
		sort_groups_base = NULL;
		for (size_t i = 0; i < r->ngroups; i++) {
			g[i] = r->groups[perm[i]];
			inv[perm[i]] = i;
		}
		memcpy(r->groups, g, r->ngroups * sizeof *g);
		for (size_t i = 0; i < r->nrows; i++)
			r->rows[i].group = inv[r->rows[i].group];
		for (size_t i = 0; i < r->nmeasures; i++)
			r->measures[i].group = inv[r->measures[i].group];
		free(perm);
		free(inv);
		free(g);
	}
	if (r->nrows)
		qsort(r->rows, r->nrows, sizeof *r->rows, row_cmp);
	if (r->nmeasures)
		qsort(r->measures, r->nmeasures, sizeof *r->measures, measure_cmp);
	if (r->nmeasure_totals)
		qsort(r->measure_totals, r->nmeasure_totals, sizeof *r->measure_totals,
		      measure_cmp);
}

/* --org must name a department: in that year's tree, or today's with today. */
static enum annual_status check_org(const struct org_table *t, const struct annual_opts *o,
				    char *err, size_t errlen)
{
	const struct org *any = org_find_latest(t, o->org);
	if (!any) {
		snprintf(err, errlen, "no organisation has the code '%.24s'", o->org);
		return ANNUAL_ENOTFOUND;
	}
	if (any->kind != ORG_DEPARTMENT) {
		snprintf(err, errlen, "%s is not a department: the annual report is per department",
			 any->code);
		return ANNUAL_EINVALID;
	}
	if (o->today) {
		const struct org *now = org_find_open(t, o->org);
		if (!now || now->kind != ORG_DEPARTMENT) {
			snprintf(err, errlen, "%s is no department today: leave out --today to "
			     "report it as it was in %d", any->code, o->year);
			return ANNUAL_ENOTFOUND;
		}
		return ANNUAL_OK;
	}
	char lo[32], hi[32];   /* room for any int, though the year was checked */
	snprintf(lo, sizeof lo, "%04d-01-01", o->year);
	snprintf(hi, sizeof hi, "%04d-01-01", o->year + 1);
	for (size_t i = 0; i < t->nrows; i++) {
		const struct org *x = &t->rows[i];
		if (x->kind == ORG_DEPARTMENT && org_code_eq(x->code, o->org) &&
		    strcmp(x->valid_from, hi) < 0 && (!x->valid_to[0] || strcmp(x->valid_to, lo) > 0))
			return ANNUAL_OK;
	}
	snprintf(err, errlen, "department %s did not exist in %d: add --today to see its "
	     "predecessors' figures under it", any->code, o->year);
	return ANNUAL_ENOTFOUND;
}

static void timely_add(struct annual_timely *t, const struct annual_report_count *c)
{
	t->received += c->n;
	*(c->ack == ANNUAL_CLOCK_ON_TIME ? &t->ack_on_time
	  : c->ack == ANNUAL_CLOCK_LATE ? &t->ack_late : &t->ack_none) += c->n;
	*(c->feedback == ANNUAL_CLOCK_ON_TIME ? &t->feedback_on_time
	  : c->feedback == ANNUAL_CLOCK_LATE ? &t->feedback_late : &t->waiting) += c->n;
}

int annual_share(int64_t n, int64_t received)
{
	if (received <= 0)
		return -1;
	return (int)((n * 2000 + received) / (2 * received));
}

/* Overdue reports are read apart from the counts (they depend on as_of): a
 * group never shows more overdue than waiting, should a report have
 * changed between the two reads. */
static void overdue_add(struct annual_report *r, size_t g, int64_t n)
{
	struct annual_timely *t = &r->groups[g].timely;
	if (n > t->waiting - t->overdue)
		n = t->waiting - t->overdue;
	t->overdue += n;
	r->timely.overdue += n;
}

enum annual_status annual_build(const struct org_table *orgs, const struct annual_input *in,
				const struct annual_opts *opts, struct annual_report *r,
				char *err, size_t errlen)
{
	const struct reg_count *counts = in->counts;
	const struct reg_measure_count *measures = in->measures;
	size_t ncounts = in->ncounts, nmeasures = in->nmeasures;
	memset(r, 0, sizeof *r);
	if (opts->year < ANNUAL_YEAR_MIN || opts->year > ANNUAL_YEAR_MAX) {
		snprintf(err, errlen, "the year must lie between %d and %d", ANNUAL_YEAR_MIN,
			 ANNUAL_YEAR_MAX);
		return ANNUAL_EINVALID;
	}
	if (!opts->taxonomy || opts->taxonomy_revision < 1 ||
	    cases_data_init(err, errlen) != 0 ||
	    !cases_data_taxonomy_find(opts->taxonomy, opts->taxonomy_revision)) {
		snprintf(err, errlen, "no taxonomy %s revision %d in this build",
			 opts->taxonomy ? opts->taxonomy : "(none)", opts->taxonomy_revision);
		return ANNUAL_EINVALID;
	}
	if (opts->org) {
		enum annual_status s = check_org(orgs, opts, err, errlen);
		if (s != ANNUAL_OK)
			return s;
	}
	r->opts = *opts;
	r->opts.org = NULL;   /* borrowed strings do not outlive the call */
	r->opts.taxonomy = NULL;
	snprintf(r->taxonomy, sizeof r->taxonomy, "%s", opts->taxonomy);
	snprintf(r->org, sizeof r->org, "%s", opts->org ? opts->org : "");
	struct builder b = {.orgs = orgs, .opts = opts, .r = r};
	for (size_t i = 0; i < ncounts; i++)
		if (counts[i].year == opts->year)
			add_count(&b, &counts[i]);
	for (size_t i = 0; i < nmeasures; i++) {
		const struct reg_measure_count *m = &measures[i];
		if (m->year != opts->year)
			continue;
		long g = group_of(&b, m->org_id);
		if (g < 0)
			continue;
		int64_t k = m->registered + m->cases;
		measure_add(&r->measures, &r->nmeasures, &b.measures_cap, (size_t)g, m->code, k);
		measure_add(&r->measure_totals, &r->nmeasure_totals, &b.totals_cap, (size_t)-1,
			    m->code, k);
		r->groups[g].measures += k;
		r->measures_total += k;
	}
	for (size_t i = 0; i < in->nreports; i++) {
		const struct annual_report_count *c = &in->reports[i];
		long g = c->year == opts->year && c->n > 0 ? group_of(&b, c->org_id) : -1;
		if (g < 0)
			continue;
		timely_add(&r->groups[g].timely, c);
		timely_add(&r->timely, c);
	}
	for (size_t i = 0; i < in->noverdue; i++) {
		long g = in->overdue[i].year == opts->year && in->overdue[i].n > 0
				 ? group_of(&b, in->overdue[i].org_id) : -1;
		if (g >= 0)
			overdue_add(r, (size_t)g, in->overdue[i].n);
	}
	snprintf(r->as_of, sizeof r->as_of, "%.10s", opts->as_of ? opts->as_of : "");
	r->opts.as_of = NULL;
	sort_report(r);
	return ANNUAL_OK;
}

void annual_report_free(struct annual_report *r)
{
	free(r->groups);
	free(r->rows);
	free(r->measures);
	free(r->measure_totals);
	memset(r, 0, sizeof *r);
}
