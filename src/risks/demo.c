/* demo.c: the demo risk registers of `probity demo` (data/demo/risks.json;
 * demo.h): reading and checking the file, then writing each register
 * through the store as its keeper.
 *
 * Format (UTF-8 JSON, at most 512 KiB; unknown fields and duplicate keys
 * refused, so that a misspelt field never goes silently unused):
 *
 *   {"format": "probity-demo-risks", "version": 1, "description": "...",
 *    "registers": [REGISTER, ...]}                                1 to 40
 *   REGISTER = {"org": CODE,              an open department, once in the file
 *               "keeper": USER,           a demo login, integrity coordinator there
 *               "matrix": MATRIX,         optional: the default 5 x 5 otherwise
 *               "processes": [PROCESS],   1 to 20, names unique
 *               "positions": [POSITION],  0 to 20
 *               "risks": [RISK]}          0 to 40
 *   MATRIX = {"likelihood": [NAME], "impact": [NAME],   level 1 first
 *             "bands": [{"name": NAME, "lo": N, "hi": N, "colour": ID}]}
 *   PROCESS = {"name": TEXT, "description": TEXT,
 *              "inherent": [ID],          SAINT inherent vulnerabilities (saint.h)
 *              "factors": {ID: 0..3}}     all five enhancing factors
 *   POSITION = {"title": TEXT, "process": NAME (optional), "staff": N,
 *               "screening": none|vog|c|b|a, "screening_status": STATUS,
 *               "rotation_years": 0..20, "rotation_status": STATUS,
 *               "declaration": true|false, "declaration_status": STATUS}
 *   RISK = {"process": NAME (optional), "title": TEXT, "description": TEXT,
 *           "category": CODE (optional, of the current violation taxonomy),
 *           "inherent": [LIKELIHOOD, IMPACT], "residual": [LIKELIHOOD, IMPACT],
 *           "treatment": avoid|reduce|transfer|accept, "owner": TEXT,
 *           "review_on": DATE (optional), "status": open|closed (default open),
 *           "controls": [CONTROL]}        0 to 10
 *   CONTROL = {"description": TEXT, "owner": TEXT,
 *              "status": planned|implemented|retired,
 *              "implemented_on": DATE (not after today), "review_on": DATE}
 *
 * Every record must pass the model's rules (risks_*_check: lengths, words,
 * levels on the register's matrix, residual not above inherent); a broken
 * one is reported with its JSON path and the rule's English message. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/scope.h"
#include "base/alloc.h"
#include "base/date.h"
#include "base/file.h"
#include "base/jsondoc.h"
#include "cases/dataset.h"
#include "cases/taxonomy.h"
#include "risks/demo.h"
#include "risks/risks.h"

#define FORMAT_NAME "probity-demo-risks"
#define DEMO_MAX_BYTES (512 * 1024)
#define DEMO_PROCESSES_MAX 20
#define DEMO_POSITIONS_MAX 20
#define DEMO_RISKS_MAX 40
#define DEMO_CONTROLS_MAX 10

static const char *const top[] = {"format", "version", "description", "registers", NULL};
static const char *const reg_fields[] = {"org", "keeper", "matrix", "processes", "positions",
					 "risks", NULL};
static const char *const matrix_fields[] = {"likelihood", "impact", "bands", NULL};
static const char *const band_fields[] = {"name", "lo", "hi", "colour", NULL};
static const char *const process_fields[] = {"name", "description", "inherent", "factors",
					     NULL};
static const char *const position_fields[] = {
	"title", "process", "staff", "screening", "screening_status", "rotation_years",
	"rotation_status", "declaration", "declaration_status", NULL};
static const char *const risk_fields[] = {"process", "title", "description", "category",
					  "inherent", "residual", "treatment", "owner",
					  "review_on", "status", "controls", NULL};
static const char *const control_fields[] = {"description", "owner", "status",
					     "implemented_on", "review_on", NULL};

/* One register, checked: the records as the store takes them, with the
 * process each position and risk belongs to as an index (-1 none), and
 * each control's risk. */
struct plan {
	struct scope_dept dept;
	const char *keeper;
	struct risks_matrix matrix;
	int custom;
	struct risks_process *proc;
	size_t nproc;
	struct risks_position *pos;
	int *pos_proc;
	size_t npos;
	struct risks_risk *risk;
	int *risk_proc;
	size_t nrisk;
	struct risks_control *ctl;
	size_t *ctl_risk;
	size_t nctl;
};

static void plan_free(struct plan *p)
{
	free(p->proc);
	free(p->pos);
	free(p->pos_proc);
	free(p->risk);
	free(p->risk_proc);
	free(p->ctl);
	free(p->ctl_risk);
	memset(p, 0, sizeof *p);
}

/* ---- small readers: each writes "PATH: reason" and returns -1 ---- */

/* The string at key of obj (absent: "" when optional) copied into dst
 * (cap bytes, so at most cap - 1 of text): never cut, refused instead. */
static int rd_str(const struct jsondoc_err *e, const char *path, json_t *obj, const char *key,
		  int optional, char *dst, size_t cap)
{
	char at[JSONDOC_PATH_MAX];
	json_t *v = json_object_get(obj, key);
	jsondoc_path(at, "%s.%s", path, key);
	dst[0] = 0;
	if (!v && optional)
		return 0;
	if (!json_is_string(v))
		return jsondoc_fail(e, at, "must be a text");
	size_t n = json_string_length(v);
	if (strlen(json_string_value(v)) != n || n >= cap)
		return jsondoc_fail(e, at, "must be a text of at most %zu bytes", cap - 1);
	memcpy(dst, json_string_value(v), n + 1);
	return 0;
}

/* A whole number at key of obj in lo..hi. */
static int rd_int(const struct jsondoc_err *e, const char *path, json_t *obj, const char *key,
		  int lo, int hi, int *out)
{
	char at[JSONDOC_PATH_MAX];
	json_t *v = json_object_get(obj, key);
	jsondoc_path(at, "%s.%s", path, key);
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return jsondoc_fail(e, at, "must be a whole number from %d to %d", lo, hi);
	*out = (int)json_integer_value(v);
	return 0;
}

/* The list at key of obj with min..max elements (absent: empty, if min is 0). */
static int rd_list(const struct jsondoc_err *e, const char *path, json_t *obj, const char *key,
		   size_t min, size_t max, json_t **out)
{
	char at[JSONDOC_PATH_MAX];
	*out = json_object_get(obj, key);
	jsondoc_path(at, "%s.%s", path, key);
	size_t n = *out ? json_array_size(*out) : 0;
	if ((*out && !json_is_array(*out)) || n < min || n > max)
		return jsondoc_fail(e, at, "must be a list of %zu to %zu", min, max);
	return 0;
}

/* An object element: the fields allowed. */
static int rd_obj(const struct jsondoc_err *e, const char *path, json_t *v,
		  const char *const *fields)
{
	if (!json_is_object(v))
		return jsondoc_fail(e, path, "must be an object");
	return jsondoc_only_fields(e, path, v, fields);
}

/* A model rule broken: its English message at path. */
static int rule(const struct jsondoc_err *e, const char *path, const char *msgid)
{
	return msgid ? jsondoc_fail(e, path, "%s", msgid) : 0;
}

/* The process named at key of obj (optional): its index, -1 when absent. */
static int rd_process_ref(const struct jsondoc_err *e, const char *path, json_t *obj,
			  const struct plan *pl, int *out)
{
	char name[RISKS_PROCESS_NAME_MAX + 1], at[JSONDOC_PATH_MAX];
	*out = -1;
	if (rd_str(e, path, obj, "process", 1, name, sizeof name) != 0)
		return -1;
	if (!name[0])
		return 0;
	for (size_t i = 0; i < pl->nproc; i++)
		if (strcmp(pl->proc[i].name, name) == 0) {
			*out = (int)i;
			return 0;
		}
	jsondoc_path(at, "%s.process", path);
	return jsondoc_fail(e, at, "is not a process of this register");
}

/* A [likelihood, impact] pair on the register's matrix (the model checks
 * the range; here only the shape). */
static int rd_cell(const struct jsondoc_err *e, const char *path, json_t *obj, const char *key,
		   int *l, int *i)
{
	char at[JSONDOC_PATH_MAX];
	json_t *v = json_object_get(obj, key);
	jsondoc_path(at, "%s.%s", path, key);
	if (!json_is_array(v) || json_array_size(v) != 2 ||
	    !json_is_integer(json_array_get(v, 0)) || !json_is_integer(json_array_get(v, 1)) ||
	    json_integer_value(json_array_get(v, 0)) < 1 ||
	    json_integer_value(json_array_get(v, 0)) > RISKS_LEVELS_MAX ||
	    json_integer_value(json_array_get(v, 1)) < 1 ||
	    json_integer_value(json_array_get(v, 1)) > RISKS_LEVELS_MAX)
		return jsondoc_fail(e, at, "must be [likelihood, impact], levels of the matrix");
	*l = (int)json_integer_value(json_array_get(v, 0));
	*i = (int)json_integer_value(json_array_get(v, 1));
	return 0;
}

/* A date at key (optional) not after `latest` when that is given. */
static int rd_date(const struct jsondoc_err *e, const char *path, json_t *obj, const char *key,
		   const char *latest, char out[DATE_LEN + 1])
{
	char at[JSONDOC_PATH_MAX];
	if (rd_str(e, path, obj, key, 1, out, DATE_LEN + 1) != 0)
		return -1;
	jsondoc_path(at, "%s.%s", path, key);
	if (out[0] && date_valid(out, strlen(out)) != 0)
		return jsondoc_fail(e, at, "must be a date, YYYY-MM-DD");
	if (out[0] && latest && strcmp(out, latest) > 0)
		return jsondoc_fail(e, at, "is after today");
	return 0;
}

/* ---- the parts of a register ---- */

static int rd_matrix(const struct jsondoc_err *e, const char *path, json_t *r, struct plan *pl)
{
	json_t *m = json_object_get(r, "matrix"), *list, *v;
	char at[JSONDOC_PATH_MAX];
	size_t i;
	risks_matrix_default(&pl->matrix);
	if (!m)
		return 0;
	jsondoc_path(at, "%s.matrix", path);
	if (rd_obj(e, at, m, matrix_fields) != 0)
		return -1;
	struct risks_matrix x;
	memset(&x, 0, sizeof x);
	static const char *const axes[2] = {"likelihood", "impact"};
	for (int a = 0; a < 2; a++) {
		char ap[JSONDOC_PATH_MAX];
		jsondoc_path(ap, "%s.%s", at, axes[a]);
		if (rd_list(e, at, m, axes[a], RISKS_LEVELS_MIN, RISKS_LEVELS_MAX, &list) != 0)
			return -1;
		json_array_foreach(list, i, v) {
			char lp[JSONDOC_PATH_MAX];
			char *dst = a == 0 ? x.likelihood[i] : x.impact[i];
			jsondoc_path(lp, "%s[%zu]", ap, i);
			if (!json_is_string(v) || json_string_length(v) > RISKS_NAME_MAX ||
			    strlen(json_string_value(v)) != json_string_length(v))
				return jsondoc_fail(e, lp, "must be a name of at most %d bytes",
						    RISKS_NAME_MAX);
			memcpy(dst, json_string_value(v), json_string_length(v) + 1);
		}
		*(a == 0 ? &x.nlikelihood : &x.nimpact) = (int)json_array_size(list);
	}
	if (rd_list(e, at, m, "bands", 1, RISKS_BANDS_MAX, &list) != 0)
		return -1;
	json_array_foreach(list, i, v) {
		char bp[JSONDOC_PATH_MAX];
		struct risks_band *b = &x.bands[i];
		jsondoc_path(bp, "%s.bands[%zu]", at, i);
		if (rd_obj(e, bp, v, band_fields) != 0 ||
		    rd_str(e, bp, v, "name", 0, b->name, sizeof b->name) != 0 ||
		    rd_int(e, bp, v, "lo", 1, RISKS_SCORE_MAX, &b->lo) != 0 ||
		    rd_int(e, bp, v, "hi", 1, RISKS_SCORE_MAX, &b->hi) != 0 ||
		    rd_str(e, bp, v, "colour", 0, b->colour, sizeof b->colour) != 0)
			return -1;
	}
	x.nbands = json_array_size(list);
	struct risks_problem p;
	if (risks_matrix_check(&x, &p) != 0) {
		char why[400];
		risks_problem_text(&p, NULL, "en", why, sizeof why);
		return jsondoc_fail(e, at, "%s", why);
	}
	risks_matrix_sort(&x);
	pl->matrix = x;
	pl->custom = 1;
	return 0;
}

static int rd_processes(const struct jsondoc_err *e, const char *path, json_t *r,
			struct plan *pl)
{
	json_t *list, *v;
	size_t i;
	if (rd_list(e, path, r, "processes", 1, DEMO_PROCESSES_MAX, &list) != 0)
		return -1;
	pl->proc = xcalloc(json_array_size(list), sizeof *pl->proc);
	json_array_foreach(list, i, v) {
		struct risks_process *p = &pl->proc[i];
		char at[JSONDOC_PATH_MAX], fp[JSONDOC_PATH_MAX];
		json_t *inh, *x, *fac;
		size_t k;
		jsondoc_path(at, "%s.processes[%zu]", path, i);
		if (rd_obj(e, at, v, process_fields) != 0 ||
		    rd_str(e, at, v, "name", 0, p->name, sizeof p->name) != 0 ||
		    rd_str(e, at, v, "description", 1, p->description, sizeof p->description) != 0 ||
		    rd_list(e, at, v, "inherent", 0, SAINT_INHERENT, &inh) != 0)
			return -1;
		json_array_foreach(inh, k, x) {
			int bit = json_is_string(x)
					  ? saint_find(saint_inherent, SAINT_INHERENT, json_string_value(x))
					  : -1;
			jsondoc_path(fp, "%s.inherent[%zu]", at, k);
			if (bit < 0)
				return jsondoc_fail(e, fp, "is not an inherent vulnerability of SAINT");
			if (p->saint.inherent & (1u << bit))
				return jsondoc_fail(e, fp, "is named twice");
			p->saint.inherent |= 1u << bit;
		}
		fac = json_object_get(v, "factors");
		jsondoc_path(fp, "%s.factors", at);
		if (!json_is_object(fac) || json_object_size(fac) != SAINT_FACTORS)
			return jsondoc_fail(e, fp, "must score each of the %d enhancing factors",
					    SAINT_FACTORS);
		for (int f = 0; f < SAINT_FACTORS; f++)
			if (rd_int(e, fp, fac, saint_factors[f].id, 0, SAINT_FACTOR_MAX,
				   &p->saint.factor[f]) != 0)
				return -1;
		if (rule(e, at, risks_process_check(p)) != 0)
			return -1;
		for (size_t j = 0; j < i; j++)
			if (strcmp(pl->proc[j].name, p->name) == 0)
				return jsondoc_fail(e, at, "the name is that of processes[%zu] too", j);
		pl->nproc = i + 1;
	}
	return 0;
}

static int rd_positions(const struct jsondoc_err *e, const char *path, json_t *r,
			struct plan *pl)
{
	json_t *list, *v;
	size_t i;
	if (rd_list(e, path, r, "positions", 0, DEMO_POSITIONS_MAX, &list) != 0)
		return -1;
	pl->pos = xcalloc(json_array_size(list) + 1, sizeof *pl->pos);
	pl->pos_proc = xcalloc(json_array_size(list) + 1, sizeof *pl->pos_proc);
	json_array_foreach(list, i, v) {
		struct risks_position *p = &pl->pos[i];
		char at[JSONDOC_PATH_MAX], fp[JSONDOC_PATH_MAX];
		jsondoc_path(at, "%s.positions[%zu]", path, i);
		if (rd_obj(e, at, v, position_fields) != 0 ||
		    rd_str(e, at, v, "title", 0, p->title, sizeof p->title) != 0 ||
		    rd_process_ref(e, at, v, pl, &pl->pos_proc[i]) != 0 ||
		    rd_int(e, at, v, "staff", 0, RISKS_STAFF_MAX, &p->staff) != 0 ||
		    rd_str(e, at, v, "screening", 0, p->screening, sizeof p->screening) != 0 ||
		    rd_str(e, at, v, "screening_status", 0, p->screening_status,
			   sizeof p->screening_status) != 0 ||
		    rd_int(e, at, v, "rotation_years", 0, RISKS_ROTATION_MAX, &p->rotation_years) != 0 ||
		    rd_str(e, at, v, "rotation_status", 0, p->rotation_status,
			   sizeof p->rotation_status) != 0 ||
		    rd_str(e, at, v, "declaration_status", 0, p->declaration_status,
			   sizeof p->declaration_status) != 0)
			return -1;
		json_t *d = json_object_get(v, "declaration");
		jsondoc_path(fp, "%s.declaration", at);
		if (!json_is_boolean(d))
			return jsondoc_fail(e, fp, "must be true or false");
		p->declaration = json_is_true(d);
		if (rule(e, at, risks_position_check(p)) != 0)
			return -1;
		pl->npos = i + 1;
	}
	return 0;
}

static int rd_controls(const struct jsondoc_err *e, const char *path, json_t *r, size_t risk,
		       const char *today, struct plan *pl)
{
	json_t *list, *v;
	size_t i;
	if (rd_list(e, path, r, "controls", 0, DEMO_CONTROLS_MAX, &list) != 0)
		return -1;
	json_array_foreach(list, i, v) {
		struct risks_control *c = &pl->ctl[pl->nctl];
		char at[JSONDOC_PATH_MAX];
		jsondoc_path(at, "%s.controls[%zu]", path, i);
		if (rd_obj(e, at, v, control_fields) != 0 ||
		    rd_str(e, at, v, "description", 0, c->description, sizeof c->description) != 0 ||
		    rd_str(e, at, v, "owner", 0, c->owner, sizeof c->owner) != 0 ||
		    rd_str(e, at, v, "status", 0, c->status, sizeof c->status) != 0 ||
		    rd_date(e, at, v, "implemented_on", today, c->implemented_on) != 0 ||
		    rd_date(e, at, v, "review_on", NULL, c->review_on) != 0 ||
		    rule(e, at, risks_control_check(c)) != 0)
			return -1;
		pl->ctl_risk[pl->nctl++] = risk;
	}
	return 0;
}

static int rd_risks(const struct jsondoc_err *e, const char *path, json_t *r, const char *today,
		    struct plan *pl)
{
	json_t *list, *v;
	size_t i;
	const struct cases_taxonomy *tx = cases_data_taxonomy();
	if (rd_list(e, path, r, "risks", 0, DEMO_RISKS_MAX, &list) != 0)
		return -1;
	size_t n = json_array_size(list);
	pl->risk = xcalloc(n + 1, sizeof *pl->risk);
	pl->risk_proc = xcalloc(n + 1, sizeof *pl->risk_proc);
	pl->ctl = xcalloc(n * DEMO_CONTROLS_MAX + 1, sizeof *pl->ctl);
	pl->ctl_risk = xcalloc(n * DEMO_CONTROLS_MAX + 1, sizeof *pl->ctl_risk);
	json_array_foreach(list, i, v) {
		struct risks_risk *k = &pl->risk[i];
		char at[JSONDOC_PATH_MAX], fp[JSONDOC_PATH_MAX];
		jsondoc_path(at, "%s.risks[%zu]", path, i);
		if (rd_obj(e, at, v, risk_fields) != 0 ||
		    rd_process_ref(e, at, v, pl, &pl->risk_proc[i]) != 0 ||
		    rd_str(e, at, v, "title", 0, k->title, sizeof k->title) != 0 ||
		    rd_str(e, at, v, "description", 1, k->description, sizeof k->description) != 0 ||
		    rd_str(e, at, v, "category", 1, k->category, sizeof k->category) != 0 ||
		    rd_cell(e, at, v, "inherent", &k->il, &k->ii) != 0 ||
		    rd_cell(e, at, v, "residual", &k->rl, &k->ri) != 0 ||
		    rd_str(e, at, v, "treatment", 0, k->treatment, sizeof k->treatment) != 0 ||
		    rd_str(e, at, v, "owner", 0, k->owner, sizeof k->owner) != 0 ||
		    rd_date(e, at, v, "review_on", NULL, k->review_on) != 0 ||
		    rd_str(e, at, v, "status", 1, k->status, sizeof k->status) != 0)
			return -1;
		if (!k->status[0])
			snprintf(k->status, sizeof k->status, "open");
		jsondoc_path(fp, "%s.category", at);
		if (k->category[0] && !cases_taxonomy_find(tx, k->category))
			return jsondoc_fail(e, fp, "is not a category of %s revision %d", tx->id,
					    tx->revision);
		if (rule(e, at, risks_risk_check(k, &pl->matrix)) != 0 ||
		    rd_controls(e, at, v, i, today, pl) != 0)
			return -1;
		pl->nrisk = i + 1;
	}
	return 0;
}

/* The keeper: a demo login, integrity coordinator at the department. */
static int rd_keeper(const struct jsondoc_err *e, const char *path, json_t *r,
		     const struct account_demo_login *logins, size_t nlogins, struct plan *pl)
{
	char at[JSONDOC_PATH_MAX];
	json_t *v = json_object_get(r, "keeper");
	jsondoc_path(at, "%s.keeper", path);
	if (!json_is_string(v))
		return jsondoc_fail(e, at, "must be the username of a demo account");
	for (size_t i = 0; i < nlogins; i++) {
		if (strcmp(logins[i].username, json_string_value(v)) != 0)
			continue;
		/* a demo account holds one role: its first is all of them */
		if (logins[i].role != ROLE_INTEGRITY_COORDINATOR ||
		    strcmp(logins[i].org_code, pl->dept.code) != 0)
			return jsondoc_fail(e, at, "%s is not integrity_coordinator at %s",
					    logins[i].username, pl->dept.code);
		pl->keeper = logins[i].username;
		return 0;
	}
	char shown[JSONDOC_CLEAN_MAX + 1];
	jsondoc_clean(json_string_value(v), json_string_length(v), shown, JSONDOC_CLEAN_MAX);
	return jsondoc_fail(e, at, "%s is not one of the demo accounts", shown);
}

static int rd_register(db_t *db, const struct jsondoc_err *e, const char *path, json_t *r,
		       const struct account_demo_login *logins, size_t nlogins, const char *today,
		       struct plan *pl)
{
	char code[ORG_CODE_MAX + 1], at[JSONDOC_PATH_MAX];
	if (rd_obj(e, path, r, reg_fields) != 0 ||
	    rd_str(e, path, r, "org", 0, code, sizeof code) != 0)
		return -1;
	jsondoc_path(at, "%s.org", path);
	int rc = scope_department_by_code(db, code, &pl->dept);
	if (rc < 0)
		return jsondoc_fail(e, at, "database: %s", db_error(db)->msg);
	if (rc > 0)
		return jsondoc_fail(e, at, "%s is not an open department", code);
	if (rd_keeper(e, path, r, logins, nlogins, pl) != 0 || rd_matrix(e, path, r, pl) != 0 ||
	    rd_processes(e, path, r, pl) != 0 || rd_positions(e, path, r, pl) != 0 ||
	    rd_risks(e, path, r, today, pl) != 0)
		return -1;
	return 0;
}

/* ---- writing ---- */

static int wfail(const struct jsondoc_err *e, const char *path, const struct risks_error *re)
{
	const char *why = re->msgid ? re->msgid : re->detail;
	return jsondoc_fail(e, path, "the store refused it: %s", why[0] ? why : "unknown error");
}

static int write_register(db_t *db, const struct audit_signer *s, const struct jsondoc_err *e,
			  const char *path, struct plan *pl, const char *today,
			  struct risks_demo_summary *sum)
{
	struct account acc;
	struct risks_error re;
	char at[JSONDOC_PATH_MAX];
	int rc = accounts_by_name(db, pl->keeper, &acc);
	if (rc != 0)
		return jsondoc_fail(e, path, "keeper %s: %s", pl->keeper,
				    rc > 0 ? "no such account" : db_error(db)->msg);
	int64_t org = pl->dept.id, actor = acc.id;
	if (pl->custom && risks_matrix_set(db, s, actor, org, &pl->matrix, today, &re) != 0)
		return jsondoc_fail(e, path, "matrix: the store refused it: %s",
				    re.matrix_problem ? "its rules" : re.detail);
	for (size_t i = 0; i < pl->nproc; i++) {
		jsondoc_path(at, "%s.processes[%zu]", path, i);
		if (risks_process_save(db, s, actor, org, &pl->proc[i], today, &re) != 0)
			return wfail(e, at, &re);
	}
	for (size_t i = 0; i < pl->npos; i++) {
		jsondoc_path(at, "%s.positions[%zu]", path, i);
		pl->pos[i].process_id = pl->pos_proc[i] >= 0 ? pl->proc[pl->pos_proc[i]].id : 0;
		if (risks_position_save(db, s, actor, org, &pl->pos[i], today, &re) != 0)
			return wfail(e, at, &re);
	}
	for (size_t i = 0; i < pl->nrisk; i++) {
		jsondoc_path(at, "%s.risks[%zu]", path, i);
		pl->risk[i].process_id = pl->risk_proc[i] >= 0 ? pl->proc[pl->risk_proc[i]].id : 0;
		if (risks_risk_save(db, s, actor, org, &pl->risk[i], today, &re) != 0)
			return wfail(e, at, &re);
	}
	for (size_t i = 0; i < pl->nctl; i++) {
		jsondoc_path(at, "%s.risks[%zu].controls", path, pl->ctl_risk[i]);
		pl->ctl[i].risk_id = pl->risk[pl->ctl_risk[i]].id;
		if (risks_control_save(db, s, actor, org, &pl->ctl[i], today, &re) != 0)
			return wfail(e, at, &re);
	}
	sum->registers++;
	sum->matrices += (size_t)pl->custom;
	sum->processes += pl->nproc;
	sum->positions += pl->npos;
	sum->risks += pl->nrisk;
	sum->controls += pl->nctl;
	return 0;
}

int risks_import_demo(db_t *db, const struct audit_signer *signer, const char *text, size_t len,
		      const struct account_demo_login *logins, size_t nlogins,
		      struct risks_demo_summary *sum, char *err, size_t errlen)
{
	struct jsondoc_err e = {err, errlen};
	memset(sum, 0, sizeof *sum);
	char derr[300];
	if (cases_data_init(derr, sizeof derr) != 0)
		return jsondoc_fail(&e, "taxonomy", "%s", derr);
	json_t *root = jsondoc_load(&e, text, len, DEMO_MAX_BYTES, FORMAT_NAME, 1, top);
	if (!root)
		return -1;
	json_t *regs = json_object_get(root, "registers");
	int rc = 0;
	if (!json_is_array(regs) || json_array_size(regs) < 1 ||
	    json_array_size(regs) > RISKS_DEMO_REGISTERS_MAX)
		rc = jsondoc_fail(&e, "registers", "must list 1 to %d registers",
				  RISKS_DEMO_REGISTERS_MAX);
	size_t n = rc == 0 ? json_array_size(regs) : 0;
	struct plan *plans = xcalloc(n + 1, sizeof *plans);
	char today[DATE_LEN + 1];
	date_today(today);
	/* every register is checked before the first is written */
	for (size_t i = 0; i < n && rc == 0; i++) {
		char path[JSONDOC_PATH_MAX];
		jsondoc_path(path, "registers[%zu]", i);
		rc = rd_register(db, &e, path, json_array_get(regs, i), logins, nlogins, today,
				 &plans[i]);
		for (size_t j = 0; j < i && rc == 0; j++)
			if (plans[j].dept.id == plans[i].dept.id)
				rc = jsondoc_fail(&e, path, "%s has a register in registers[%zu] already",
						  plans[i].dept.code, j);
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		char path[JSONDOC_PATH_MAX];
		jsondoc_path(path, "registers[%zu]", i);
		rc = write_register(db, signer, &e, path, &plans[i], today, sum);
	}
	for (size_t i = 0; i < n; i++)
		plan_free(&plans[i]);
	free(plans);
	json_decref(root);
	return rc;
}

int risks_import_demo_file(db_t *db, const struct audit_signer *signer, const char *path,
			   const struct account_demo_login *logins, size_t nlogins,
			   struct risks_demo_summary *sum, char *err, size_t errlen)
{
	char *text;
	size_t len;
	memset(sum, 0, sizeof *sum);
	if (file_read_all(path, DEMO_MAX_BYTES, &text, &len, err, errlen) != 0)
		return -1;
	char why[600];
	int rc = risks_import_demo(db, signer, text, len, logins, nlogins, sum, why, sizeof why);
	if (rc != 0)
		snprintf(err, errlen, "%s: %s", path, why);
	free(text);
	return rc;
}
