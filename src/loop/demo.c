/* demo.c: the demo history of closed cases (demo.h).
 *
 * Format "probity-demo-case-history", version 1 (unknown keys refused):
 *
 *   seed         integer: the drawing is the same for every demo
 *   from         "YYYY-MM-DD": the first opening date (a department formed
 *                later starts on its own first day)
 *   outcomes     {"established": w, "partly": w, "not_established": w},
 *                weights 0..100, not all 0
 *   departments  1..LOOP_DEMO_DEPTS_MAX of
 *     org          the code of an open department
 *     per_year     closed cases a year, 1..LOOP_DEMO_PER_YEAR_MAX (a part
 *                  year gets its share)
 *     unrecorded   percentage of cases without a process, 0..100
 *     processes    1..LOOP_DEMO_PROCESSES_MAX of {name: a process of the
 *                  department's risk register, weight 1..100, categories:
 *                  {code of the current taxonomy: weight 1..100, ...}}
 *     surges       optional, up to 10 of {process: one listed above,
 *                  category, from: date, per_year 1..100}: that many more
 *                  established cases a year of that process and category
 *                  from that date on
 *
 * A case opens on a day drawn evenly from its year (up to 60 days before
 * today, so that it could close), closes 30 to 240 days later (never after
 * today), is filed at one of the department's units open on that day half
 * of the time (then also its unit) or else at the department.
 *
 * Before a reorganisation (the org_link rows of the demo tree: 2 July 2024)
 * a case is filed at the department as it was on the day it opened, the
 * predecessor the links reach (the first one of a merge), or one of that
 * predecessor's units open on the day; it carries no process (demo.h). The
 * successors of a split each add their per_year to the department they came
 * from, as it did the work of all of them.
 *
 * The statistical record of the outcome (src/cases/outcome.c) is drawn as
 * well, with a random stream of its own per department so that the cases
 * themselves do not change with it: every case names the current measures
 * list; an established or partly established one records measures and, for
 * a share that depends on its category (financial violations, which take
 * in fraud and theft, most often; corruption and the misuse of force next),
 * a police report, which is also the measure "police_report". A case not
 * established records none of either. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/scope.h"
#include "base/alloc.h"
#include "base/date.h"
#include "base/file.h"
#include "base/jsondoc.h"
#include "base/splitmix.h"
#include "cases/dataset.h"
#include "cases/taxonomy.h"
#include "loop/demo.h"

#define FORMAT_NAME "probity-demo-case-history"
#define SURGES_MAX 10
#define CATS_MAX 16
#define UNITS_MAX 200
#define CASES_MAX 100000
#define VERSIONS_MAX 4
#define CASE_MEASURES 3 /* an order measure, a penalty, the police report */

struct d_cat {
	const char *code;
	int weight;
};

struct d_process {
	const char *name;
	int64_t id;
	int weight;
	struct d_cat cats[CATS_MAX];
	size_t ncats;
};

struct d_surge {
	size_t process;
	const char *category;
	char from[DATE_LEN + 1];
	int per_year;
};

struct d_unit {
	int64_t id;
	char from[DATE_LEN + 1], to[DATE_LEN + 1]; /* to "" while open */
};

/* a department as it was before a reorganisation */
struct d_version {
	int64_t id;
	char from[DATE_LEN + 1], to[DATE_LEN + 1];
	struct d_unit u[UNITS_MAX];
	size_t nu;
};

struct d_dept {
	struct scope_dept d;
	char start[DATE_LEN + 1], since[DATE_LEN + 1]; /* since: today's row valid_from */
	struct d_version pre[VERSIONS_MAX];           /* predecessors, newest first */
	size_t npre;
	int per_year, unrecorded;
	struct d_process p[LOOP_DEMO_PROCESSES_MAX];
	size_t np;
	struct d_surge s[SURGES_MAX];
	size_t ns;
	struct d_unit u[UNITS_MAX];
	size_t nu;
};

struct d_case {
	int64_t org_id, process_id, unit_id;
	char opened[DATE_LEN + 1], closed[DATE_LEN + 1];
	const char *category, *outcome;
	int police;
	const char *measures[CASE_MEASURES];
	size_t nm;
};

static int date_field(const struct jsondoc_err *e, const char *path, json_t *o, const char *key,
		      char out[DATE_LEN + 1])
{
	const char *s = json_string_value(json_object_get(o, key));
	if (!s || strlen(s) != DATE_LEN || date_valid(s, DATE_LEN) != 0)
		return jsondoc_fail(e, path, "%s must be a date YYYY-MM-DD", key);
	snprintf(out, DATE_LEN + 1, "%s", s);
	return 0;
}

/* The department's process named name, looked up in its register. */
static int process_id(db_t *db, int64_t dept, const char *name, int64_t *id)
{
	db_stmt_t *st = NULL;
	*id = 0;
	if (db_prepare(db, "SELECT id FROM risk_process WHERE org_id = ? AND name = ?", &st) != 0 ||
	    db_bind_i64(st, 1, dept) != 0 || db_bind_text(st, 2, name, (size_t)-1) != 0) {
		db_finalize(st);
		return -1;
	}
	int step = db_step(st);
	if (step == DB_ROW)
		*id = db_col_i64(st, 0);
	db_finalize(st);
	return step == DB_ROW || step == DB_DONE ? 0 : -1;
}

/* The units under department dept, open or closed, into u (*nu of them). */
static int load_units(db_t *db, int64_t dept, struct d_unit *units, size_t *nu)
{
	db_stmt_t *st = NULL;
	*nu = 0;
	if (db_prepare(db, "WITH RECURSIVE down(id, depth) AS (SELECT ?1, 0 UNION ALL "
			   "SELECT o.id, down.depth + 1 FROM org o JOIN down ON o.parent_id = "
			   "down.id WHERE o.kind = 'unit' AND down.depth < 16) "
			   "SELECT o.id, o.valid_from, coalesce(o.valid_to, '') FROM down "
			   "JOIN org o ON o.id = down.id WHERE o.kind = 'unit' ORDER BY o.id", &st) != 0 ||
	    db_bind_i64(st, 1, dept) != 0) {
		db_finalize(st);
		return -1;
	}
	int step;
	while ((step = db_step(st)) == DB_ROW && *nu < UNITS_MAX) {
		struct d_unit *u = &units[(*nu)++];
		u->id = db_col_i64(st, 0);
		snprintf(u->from, sizeof u->from, "%s", db_col_text(st, 1));
		snprintf(u->to, sizeof u->to, "%s", db_col_text(st, 2));
	}
	db_finalize(st);
	return step == DB_ROW || step == DB_DONE ? 0 : -1;
}

/* The departments d was before its reorganisations, newest first: along
 * org_link back from today's row, department to department, with their
 * units. */
static int load_predecessors(db_t *db, struct d_dept *d)
{
	int64_t cur = d->d.id;
	d->npre = 0;
	while (d->npre < VERSIONS_MAX) {
		db_stmt_t *st = NULL;
		if (db_prepare(db, "SELECT p.id, p.valid_from, coalesce(p.valid_to, '') FROM org_link l "
				   "JOIN org p ON p.id = l.predecessor_id WHERE l.successor_id = ? AND "
				   "p.kind = 'department' ORDER BY p.valid_from DESC, p.id LIMIT 1",
			       &st) != 0 ||
		    db_bind_i64(st, 1, cur) != 0) {
			db_finalize(st);
			return -1;
		}
		int step = db_step(st);
		if (step == DB_ROW) {
			struct d_version *v = &d->pre[d->npre++];
			v->id = db_col_i64(st, 0);
			snprintf(v->from, sizeof v->from, "%s", db_col_text(st, 1));
			snprintf(v->to, sizeof v->to, "%s", db_col_text(st, 2));
			cur = v->id;
		}
		db_finalize(st);
		if (step == DB_DONE)
			break;
		if (step != DB_ROW)
			return -1;
	}
	for (size_t i = 0; i < d->npre; i++)
		if (load_units(db, d->pre[i].id, d->pre[i].u, &d->pre[i].nu) != 0)
			return -1;
	return 0;
}

static int rd_process(const struct jsondoc_err *e, const char *path, json_t *o,
		      const struct cases_taxonomy *tx, struct d_process *p)
{
	static const char *const keys[] = {"name", "weight", "categories", NULL};
	char sub[JSONDOC_PATH_MAX];
	if (!json_is_object(o))
		return jsondoc_fail(e, path, "must be an object");
	if (jsondoc_only_fields(e, path, o, keys) != 0 ||
	    jsondoc_int(e, path, o, "weight", 1, 100, &p->weight) != 0)
		return -1;
	p->name = json_string_value(json_object_get(o, "name"));
	if (!p->name || !*p->name || strlen(p->name) > 200)
		return jsondoc_fail(e, path, "name must be a process name of 1 to 200 bytes");
	json_t *cats = json_object_get(o, "categories");
	if (!json_is_object(cats) || json_object_size(cats) < 1 || json_object_size(cats) > CATS_MAX)
		return jsondoc_fail(e, path, "categories must map 1 to %d codes to weights", CATS_MAX);
	const char *code;
	json_t *w;
	p->ncats = 0;
	json_object_foreach(cats, code, w) {
		jsondoc_path(sub, "%s.categories.%s", path, code);
		if (!cases_taxonomy_find(tx, code))
			return jsondoc_fail(e, sub, "is not a category of the current taxonomy");
		if (!json_is_integer(w) || json_integer_value(w) < 1 || json_integer_value(w) > 100)
			return jsondoc_fail(e, sub, "must be a weight from 1 to 100");
		p->cats[p->ncats++] = (struct d_cat){code, (int)json_integer_value(w)};
	}
	return 0;
}

static int rd_dept(db_t *db, const struct jsondoc_err *e, const char *path, json_t *o,
		   const char *from, const struct cases_taxonomy *tx, struct d_dept *d)
{
	static const char *const keys[] = {"org", "per_year", "unrecorded", "processes", "surges",
					   NULL};
	char sub[JSONDOC_PATH_MAX];
	if (!json_is_object(o))
		return jsondoc_fail(e, path, "must be an object");
	if (jsondoc_only_fields(e, path, o, keys) != 0 ||
	    jsondoc_int(e, path, o, "per_year", 1, LOOP_DEMO_PER_YEAR_MAX, &d->per_year) != 0 ||
	    jsondoc_int(e, path, o, "unrecorded", 0, 100, &d->unrecorded) != 0)
		return -1;
	const char *code = json_string_value(json_object_get(o, "org"));
	int f = code && strlen(code) <= ORG_CODE_MAX ? scope_department_by_code(db, code, &d->d) : 1;
	if (f < 0)
		return jsondoc_fail(e, path, "the database failed: %s", db_error(db)->msg);
	if (f > 0)
		return jsondoc_fail(e, path, "org must be the code of an open department");
	/* a department formed after `from` starts on its own first day, or
	 * on the first day of the oldest department it came from */
	db_stmt_t *st = NULL;
	snprintf(d->start, sizeof d->start, "%s", from);
	d->since[0] = '\0';
	if (db_prepare(db, "SELECT valid_from FROM org WHERE id = ?", &st) == 0 &&
	    db_bind_i64(st, 1, d->d.id) == 0 && db_step(st) == DB_ROW)
		snprintf(d->since, sizeof d->since, "%s", db_col_text(st, 0));
	db_finalize(st);
	if (!d->since[0] || load_predecessors(db, d) != 0)
		return jsondoc_fail(e, path, "the database failed: %s", db_error(db)->msg);
	const char *first = d->npre ? d->pre[d->npre - 1].from : d->since;
	if (strcmp(first, from) > 0)
		snprintf(d->start, sizeof d->start, "%s", first);
	json_t *ps = json_object_get(o, "processes");
	if (!json_is_array(ps) || json_array_size(ps) < 1 ||
	    json_array_size(ps) > LOOP_DEMO_PROCESSES_MAX)
		return jsondoc_fail(e, path, "processes must list 1 to %d processes",
				    LOOP_DEMO_PROCESSES_MAX);
	d->np = json_array_size(ps);
	for (size_t i = 0; i < d->np; i++) {
		jsondoc_path(sub, "%s.processes[%zu]", path, i);
		if (rd_process(e, sub, json_array_get(ps, i), tx, &d->p[i]) != 0)
			return -1;
		if (process_id(db, d->d.id, d->p[i].name, &d->p[i].id) != 0)
			return jsondoc_fail(e, sub, "the database failed: %s", db_error(db)->msg);
		if (!d->p[i].id)
			return jsondoc_fail(e, sub, "%s's risk register has no process of this name "
					    "(data/demo/risks.json names them)", d->d.code);
	}
	json_t *ss = json_object_get(o, "surges");
	if (ss && (!json_is_array(ss) || json_array_size(ss) > SURGES_MAX))
		return jsondoc_fail(e, path, "surges must list at most %d surges", SURGES_MAX);
	d->ns = ss ? json_array_size(ss) : 0;
	for (size_t i = 0; i < d->ns; i++) {
		static const char *const skeys[] = {"process", "category", "from", "per_year", NULL};
		json_t *s = json_array_get(ss, i);
		struct d_surge *x = &d->s[i];
		jsondoc_path(sub, "%s.surges[%zu]", path, i);
		if (!json_is_object(s))
			return jsondoc_fail(e, sub, "must be an object");
		if (jsondoc_only_fields(e, sub, s, skeys) != 0 ||
		    date_field(e, sub, s, "from", x->from) != 0 ||
		    jsondoc_int(e, sub, s, "per_year", 1, 100, &x->per_year) != 0)
			return -1;
		const char *pn = json_string_value(json_object_get(s, "process"));
		for (x->process = 0; pn && x->process < d->np; x->process++)
			if (strcmp(d->p[x->process].name, pn) == 0)
				break;
		if (!pn || x->process == d->np)
			return jsondoc_fail(e, sub, "process must be one of the department's processes "
					    "listed above");
		x->category = json_string_value(json_object_get(s, "category"));
		if (!x->category || !cases_taxonomy_find(tx, x->category))
			return jsondoc_fail(e, sub, "category must be a code of the current taxonomy");
	}
	if (load_units(db, d->d.id, d->u, &d->nu) != 0)
		return jsondoc_fail(e, path, "the database failed: %s", db_error(db)->msg);
	return 0;
}

/* A unit of units open on date, or 0 (half of the time, or none open). */
static int64_t pick_unit(const struct d_unit *units, size_t nu, const char *date, uint64_t *rng)
{
	int64_t open[UNITS_MAX];
	size_t n = 0;
	for (size_t i = 0; i < nu; i++)
		if (strcmp(units[i].from, date) <= 0 && (!units[i].to[0] || strcmp(date, units[i].to) < 0))
			open[n++] = units[i].id;
	if (n == 0 || splitmix_below(rng, 2) == 0)
		return 0;
	return open[splitmix_below(rng, (int)n)];
}

/* ---- the statistical record of the outcome ---- */

/* Per category of the taxonomy (v1 and v2 codes): the percentage of
 * established cases reported to the police, of those with an order measure
 * (suspension, or an access ban where information leaked), and the weights
 * of the penalties (in the order of `penalties`, the last "no_measure").
 * Made up, in proportion: fraud and theft are reported and end in dismissal
 * far more often than a breach of internal rules. */
struct m_profile {
	const char *cats;  /* space-separated category codes */
	int police, order;
	const char *order_code;
	int w[7];
};

static const char *const penalties[7] = {"written_reprimand", "fewer_choice_budget_hours",
					  "no_salary_increments", "transfer", "fine",
					  "dismissal", "no_measure"};

static const struct m_profile profiles[] = {
	{"1", 40, 35, "suspension", {20, 10, 15, 5, 10, 35, 5}},
	{"2", 20, 20, "suspension", {30, 10, 15, 15, 0, 20, 10}},
	{"3", 10, 25, "access_ban", {35, 0, 15, 15, 0, 15, 20}},
	{"4", 10, 15, "suspension", {35, 0, 15, 20, 0, 10, 20}},
	{"5", 25, 30, "suspension", {25, 0, 20, 15, 0, 20, 20}},
	{"6", 3, 10, "suspension", {40, 10, 10, 20, 0, 5, 15}},
	{"7", 15, 5, "suspension", {30, 0, 10, 0, 0, 10, 50}},
	{"8 8a 8b", 5, 5, "access_ban", {45, 20, 5, 0, 5, 0, 25}},
	{"9", 10, 5, "suspension", {20, 0, 0, 10, 0, 10, 60}},
};

static const struct m_profile *profile(const char *category)
{
	size_t len = strlen(category);
	for (size_t i = 0; i < sizeof profiles / sizeof profiles[0]; i++)
		for (const char *c = profiles[i].cats; *c;) {
			size_t k = strcspn(c, " ");
			if (k == len && strncmp(c, category, k) == 0)
				return &profiles[i];
			c += k + (c[k] == ' ');
		}
	return &profiles[sizeof profiles / sizeof profiles[0] - 1];
}

/* The outcome's record of c: partly established cases are reported half as
 * often and never end in dismissal. */
static void draw_measures(struct d_case *c, uint64_t *rng)
{
	c->police = 0;
	c->nm = 0;
	if (strcmp(c->outcome, "not_established") == 0)
		return;
	const struct m_profile *m = profile(c->category);
	int partly = strcmp(c->outcome, "partly") == 0;
	int w[7], total = 0, k, i;
	if (splitmix_below(rng, 100) < m->order)
		c->measures[c->nm++] = m->order_code;
	for (i = 0; i < 7; i++)
		total += w[i] = m->w[i];
	if (partly) {
		w[0] += w[5]; /* a reprimand where dismissal would be */
		w[5] = 0;
	}
	k = splitmix_below(rng, total);
	for (i = 0; i < 6 && k >= w[i]; i++)
		k -= w[i];
	c->measures[c->nm++] = penalties[i];
	c->police = splitmix_below(rng, 100) < (partly ? m->police / 2 : m->police);
	if (c->police)
		c->measures[c->nm++] = "police_report";
}

struct draw {
	struct d_case *c;
	size_t n, cap;
	const char *today;
	int32_t last;                 /* the last opening day: 60 days before today */
	int ow[3];                    /* outcome weights */
};

/* Adds one case of d opened on day `on` (days since the epoch). process: an
 * index of d->p, or -1 to draw one (or none); category and outcome NULL to
 * draw them. */
static int add_case(struct draw *w, const struct d_dept *d, int32_t on, int process,
		    const char *category, const char *outcome, uint64_t *rng, uint64_t *mrng)
{
	static const char *const outcomes[] = {"established", "partly", "not_established"};
	if (w->n == CASES_MAX)
		return -1;
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 1024;
		w->c = xrealloc(w->c, w->cap * sizeof *w->c);
	}
	struct d_case *c = &w->c[w->n];
	memset(c, 0, sizeof *c);
	int32_t closed = on + 30 + splitmix_below(rng, 211), today;
	if (date_from_days(on, c->opened) != 0 || date_to_days(w->today, &today) != 0)
		return -1;
	if (closed > today)
		closed = today;
	if (date_from_days(closed, c->closed) != 0)
		return -1;
	/* before a reorganisation: the department as it was, no process */
	const struct d_version *was = NULL;
	if (strcmp(c->opened, d->since) < 0) {
		for (size_t i = 0; i < d->npre && !was; i++)
			if (strcmp(d->pre[i].from, c->opened) <= 0 &&
			    (!d->pre[i].to[0] || strcmp(c->opened, d->pre[i].to) < 0))
				was = &d->pre[i];
		if (!was)
			return 0; /* no row of the department on that day: no case */
		process = -1;
	}
	if (process < 0 && !was && splitmix_below(rng, 100) >= d->unrecorded) {
		int total = 0, k;
		for (size_t i = 0; i < d->np; i++)
			total += d->p[i].weight;
		k = splitmix_below(rng, total);
		for (process = 0; (size_t)process + 1 < d->np && k >= d->p[process].weight; process++)
			k -= d->p[process].weight;
	}
	const struct d_process *p = process >= 0 ? &d->p[process] : NULL;
	c->process_id = p ? p->id : 0;
	if (!category) {
		/* a case without a process takes the mix of a process drawn evenly */
		const struct d_process *mix = p ? p : &d->p[splitmix_below(rng, (int)d->np)];
		int total = 0, k;
		size_t i;
		for (i = 0; i < mix->ncats; i++)
			total += mix->cats[i].weight;
		k = splitmix_below(rng, total);
		for (i = 0; i + 1 < mix->ncats && k >= mix->cats[i].weight; i++)
			k -= mix->cats[i].weight;
		category = mix->cats[i].code;
	}
	if (!outcome) {
		int k = splitmix_below(rng, w->ow[0] + w->ow[1] + w->ow[2]), i = 0;
		while (i < 2 && k >= w->ow[i])
			k -= w->ow[i++];
		outcome = outcomes[i];
	}
	c->category = category;
	c->outcome = outcome;
	c->unit_id = was ? pick_unit(was->u, was->nu, c->opened, rng)
			 : pick_unit(d->u, d->nu, c->opened, rng);
	c->org_id = c->unit_id ? c->unit_id : was ? was->id : d->d.id;
	draw_measures(c, mrng);
	w->n++;
	return 0;
}

/* count cases spread evenly over [lo, hi] (days), in order */
static int spread(struct draw *w, const struct d_dept *d, int32_t lo, int32_t hi, int count,
		  int process, const char *category, const char *outcome, uint64_t *rng,
		  uint64_t *mrng)
{
	for (int i = 0; i < count; i++)
		if (add_case(w, d, lo + splitmix_below(rng, hi - lo + 1), process, category, outcome, rng,
			     mrng) != 0)
			return -1;
	return 0;
}

/* Cases of one department, year by year. */
static int draw_dept(struct draw *w, const struct d_dept *d, uint64_t seed)
{
	uint64_t rng = seed;
	for (const char *c = d->d.code; *c; c++)
		rng = rng * 31 + (unsigned char)*c;
	/* the outcome's record on a stream of its own: the cases stay as they
	 * were drawn before it was added */
	uint64_t mrng = rng ^ 0x6d65617375726573ull;
	int32_t start;
	if (date_to_days(d->start, &start) != 0)
		return -1;
	for (int year = atoi(d->start); ; year++) {
		char jan[DATE_LEN + 1], dec[DATE_LEN + 1];
		int32_t lo, hi;
		snprintf(jan, sizeof jan, "%04d-01-01", year);
		snprintf(dec, sizeof dec, "%04d-12-31", year);
		if (date_to_days(jan, &lo) != 0 || date_to_days(dec, &hi) != 0)
			return -1;
		if (lo > w->last)
			break;
		int32_t days = hi - lo + 1;
		lo = lo < start ? start : lo;
		hi = hi > w->last ? w->last : hi;
		if (lo > hi)
			continue;
		/* a part year gets its share, rounded */
		int n = (int)(((int64_t)d->per_year * (hi - lo + 1) + days / 2) / days);
		if (spread(w, d, lo, hi, n, -1, NULL, NULL, &rng, &mrng) != 0)
			return -1;
		for (size_t i = 0; i < d->ns; i++) {
			int32_t from;
			if (date_to_days(d->s[i].from, &from) != 0)
				return -1;
			int32_t slo = from > lo ? from : lo;
			if (slo > hi)
				continue;
			int k = (int)(((int64_t)d->s[i].per_year * (hi - slo + 1) + days / 2) / days);
			if (spread(w, d, slo, hi, k, (int)d->s[i].process, d->s[i].category,
				   "established", &rng, &mrng) != 0)
				return -1;
		}
	}
	return 0;
}

static int write_all(db_t *db, const struct audit_signer *signer, const char *actor,
		     const struct d_dept *depts, size_t nd, const size_t *per_dept,
		     const struct draw *w, const struct cases_protocol *pr,
		     const struct cases_taxonomy *tx, const struct cases_measures *ml,
		     struct loop_demo_summary *sum, const struct jsondoc_err *e)
{
	db_stmt_t *st = NULL, *mst = NULL;
	if (db_begin(db) != 0)
		return jsondoc_fail(e, "departments", "the database failed: %s", db_error(db)->msg);
	/* case_measure's trigger counts each measure in monitor_measure_count,
	 * case_file's counts the case with its police report */
	if (db_prepare(db, "INSERT INTO case_file (org_id, protocol, protocol_revision, phase, "
			   "phase_started_on, opened_on, opened_at, closed_on, category, taxonomy, "
			   "taxonomy_revision, outcome, police_report, measures_list, "
			   "measures_revision, purge_after, purged_on, summary_key, process_id, "
			   "unit_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6 || 'T09:00:00Z', ?5, ?7, ?8, "
			   "?9, ?10, ?14, ?15, ?16, ?11, ?11, X'', nullif(?12, 0), nullif(?13, 0)) "
			   "RETURNING id", &st) != 0 ||
	    db_prepare(db, "INSERT INTO case_measure (case_id, code) VALUES (?, ?)", &mst) != 0)
		goto dbfail;
	for (size_t i = 0; i < w->n; i++) {
		const struct d_case *c = &w->c[i];
		if (db_reset(st) != 0 || db_bind_i64(st, 1, c->org_id) != 0 ||
		    db_bind_text(st, 2, pr->id, (size_t)-1) != 0 ||
		    db_bind_i64(st, 3, pr->revision) != 0 ||
		    db_bind_text(st, 4, pr->phases[pr->nphases - 1].id, (size_t)-1) != 0 ||
		    db_bind_text(st, 5, c->closed, (size_t)-1) != 0 ||
		    db_bind_text(st, 6, c->opened, (size_t)-1) != 0 ||
		    db_bind_text(st, 7, c->category, (size_t)-1) != 0 ||
		    db_bind_text(st, 8, tx->id, (size_t)-1) != 0 ||
		    db_bind_i64(st, 9, tx->revision) != 0 ||
		    db_bind_text(st, 10, c->outcome, (size_t)-1) != 0 ||
		    db_bind_text(st, 11, w->today, (size_t)-1) != 0 ||
		    db_bind_i64(st, 12, c->process_id) != 0 || db_bind_i64(st, 13, c->unit_id) != 0 ||
		    db_bind_i64(st, 14, c->police) != 0 ||
		    db_bind_text(st, 15, ml->id, (size_t)-1) != 0 ||
		    db_bind_i64(st, 16, ml->revision) != 0 || db_step(st) != DB_ROW)
			goto dbfail;
		int64_t id = db_col_i64(st, 0);
		if (db_step(st) != DB_DONE)
			goto dbfail;
		for (size_t k = 0; k < c->nm; k++)
			if (db_reset(mst) != 0 || db_bind_i64(mst, 1, id) != 0 ||
			    db_bind_text(mst, 2, c->measures[k], (size_t)-1) != 0 ||
			    db_step(mst) != DB_DONE)
				goto dbfail;
		sum->measures += c->nm;
		sum->police += (size_t)c->police;
		sum->established += strcmp(c->outcome, "not_established") != 0;
		if (!sum->first[0] || strcmp(c->opened, sum->first) < 0)
			snprintf(sum->first, sizeof sum->first, "%s", c->opened);
		if (strcmp(c->opened, sum->last) > 0)
			snprintf(sum->last, sizeof sum->last, "%s", c->opened);
	}
	db_finalize(st);
	db_finalize(mst);
	st = mst = NULL;
	for (size_t i = 0; i < nd; i++) {
		char oid[24], detail[64];
		snprintf(oid, sizeof oid, "%lld", (long long)depts[i].d.id);
		snprintf(detail, sizeof detail, "demo history: %zu purged cases", per_dept[i]);
		struct audit_entry ae = {.actor = actor, .action = "case.history-import",
					 .object_type = "org", .object_id = oid, .detail = detail};
		if (audit_append(db, signer, &ae) != 0)
			goto dbfail;
	}
	if (db_commit(db) != 0)
		goto dbfail;
	sum->cases = w->n;
	sum->departments = nd;
	return 0;
dbfail:
	jsondoc_fail(e, "departments", "the database failed: %s", db_error(db)->msg);
	db_finalize(st);
	db_finalize(mst);
	db_rollback(db);
	return -1;
}

int loop_import_demo(db_t *db, const struct audit_signer *signer, const char *actor,
		     const char *text, size_t len, const char *today,
		     struct loop_demo_summary *sum, char *err, size_t errlen)
{
	static const char *const top[] = {"format", "version", "description", "seed", "from",
					  "outcomes", "departments", NULL};
	const struct jsondoc_err e = {err, errlen};
	char cerr[300], from[DATE_LEN + 1], last[DATE_LEN + 1];
	memset(sum, 0, sizeof *sum);
	if (!today || strlen(today) != DATE_LEN || date_valid(today, DATE_LEN) != 0 ||
	    date_add_days(today, -60, last) != 0)
		return jsondoc_fail(&e, "", "today is not a date");
	if (cases_data_init(cerr, sizeof cerr) != 0)
		return jsondoc_fail(&e, "", "%s", cerr);
	const struct cases_taxonomy *tx = cases_data_taxonomy();
	const struct cases_protocol *pr = cases_data_protocol();
	const struct cases_measures *ml = cases_data_measures();
	json_t *root = jsondoc_load(&e, text, len, LOOP_DEMO_MAX_BYTES, FORMAT_NAME, 1, top);
	if (!root)
		return -1;
	struct d_dept *depts = NULL;
	size_t *per = NULL;
	struct draw w = {.today = today};
	int rc = -1, seed = 0;
	json_t *oc = json_object_get(root, "outcomes"), *ds = json_object_get(root, "departments");
	static const char *const okeys[] = {"established", "partly", "not_established", NULL};
	if (jsondoc_int(&e, "", root, "seed", 0, 1000000000, &seed) != 0 ||
	    date_field(&e, "", root, "from", from) != 0)
		goto out;
	if (!json_is_object(oc) || jsondoc_only_fields(&e, "outcomes", oc, okeys) != 0 ||
	    jsondoc_int(&e, "outcomes", oc, "established", 0, 100, &w.ow[0]) != 0 ||
	    jsondoc_int(&e, "outcomes", oc, "partly", 0, 100, &w.ow[1]) != 0 ||
	    jsondoc_int(&e, "outcomes", oc, "not_established", 0, 100, &w.ow[2]) != 0) {
		if (!json_is_object(oc))
			jsondoc_fail(&e, "outcomes", "must be an object of three weights");
		goto out;
	}
	if (w.ow[0] + w.ow[1] + w.ow[2] == 0) {
		jsondoc_fail(&e, "outcomes", "the weights must not all be 0");
		goto out;
	}
	if (!json_is_array(ds) || json_array_size(ds) < 1 ||
	    json_array_size(ds) > LOOP_DEMO_DEPTS_MAX) {
		jsondoc_fail(&e, "departments", "must list 1 to %d departments", LOOP_DEMO_DEPTS_MAX);
		goto out;
	}
	if (date_to_days(last, &w.last) != 0)
		goto out;
	size_t nd = json_array_size(ds);
	depts = xcalloc(nd, sizeof *depts);
	per = xcalloc(nd, sizeof *per);
	/* everything is read and looked up before anything is written */
	for (size_t i = 0; i < nd; i++) {
		char path[JSONDOC_PATH_MAX];
		jsondoc_path(path, "departments[%zu]", i);
		if (rd_dept(db, &e, path, json_array_get(ds, i), from, tx, &depts[i]) != 0)
			goto out;
		for (size_t j = 0; j < i; j++)
			if (depts[j].d.id == depts[i].d.id) {
				jsondoc_fail(&e, path, "names a department a second time");
				goto out;
			}
		size_t before = w.n;
		if (draw_dept(&w, &depts[i], (uint64_t)seed) != 0) {
			jsondoc_fail(&e, path, "too many cases");
			goto out;
		}
		per[i] = w.n - before;
	}
	/* every measure drawn must be on the current list (a list revised
	 * without these codes would otherwise fail deep in the transaction) */
	for (size_t i = 0; i < w.n; i++)
		for (size_t k = 0; k < w.c[i].nm; k++)
			if (!cases_measures_find(ml, w.c[i].measures[k])) {
				jsondoc_fail(&e, "", "measure %s is not on the current list %s",
					     w.c[i].measures[k], ml->id);
				goto out;
			}
	rc = write_all(db, signer, actor, depts, nd, per, &w, pr, tx, ml, sum, &e);
out:
	free(w.c);
	free(depts);
	free(per);
	json_decref(root);
	return rc;
}

int loop_import_demo_file(db_t *db, const struct audit_signer *signer, const char *actor,
			  const char *path, const char *today, struct loop_demo_summary *sum,
			  char *err, size_t errlen)
{
	char *text = NULL, ferr[300];
	size_t len = 0;
	if (file_read_all(path, LOOP_DEMO_MAX_BYTES, &text, &len, ferr, sizeof ferr) != 0) {
		snprintf(err, errlen, "%s", ferr);
		return -1;
	}
	char inner[700];
	int rc = loop_import_demo(db, signer, actor, text, len, today, sum, inner, sizeof inner);
	if (rc != 0)
		snprintf(err, errlen, "%s: %s", path, inner);
	free(text);
	return rc;
}
