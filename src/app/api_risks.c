/* api_risks.c: the risk register through the JSON API (api_risks.h). The
 * same rule as the pages (risks_access): the department's integrity
 * coordinators and managers and the coordinator and auditor in scope read;
 * its integrity coordinators change. A department or risk the caller may
 * not read answers the one 404, and nothing changes. A refused risk answers
 * 422 "invalid_risk" with the model's plain-language message. */
#include <string.h>

#include "app/api_req.h"
#include "app/api_risks.h"
#include "base/date.h"
#include "risks/pages.h"
#include "risks/risks.h"

static void not_found(struct api_req *r)
{
	api_error(r, 404, "register_not_found",
		  "There is no risk register or risk with this number that you can open.");
}

/* 0 when the caller may read (edit 0) or change (edit 1) dept; else answers. */
static int access_ok(struct api_req *r, int64_t dept, int edit)
{
	int a = risks_access(r->p->db, r->viewer, dept, edit);
	if (a < 0) {
		api_fail_internal(r, "the risk register's access check failed");
		return -1;
	}
	if (a == 0) {
		/* a reader who may not change gets 404 too: that the register
		 * exists is no reason to tell apart who may write */
		not_found(r);
		return -1;
	}
	return 0;
}

static json_t *band_json(const struct risks_matrix *m, int b)
{
	return b >= 0 ? json_string(m->bands[b].name) : json_null();
}

static json_t *matrix_json(const struct risks_matrix *m, int custom)
{
	json_t *l = json_array(), *i = json_array(), *b = json_array();
	for (int k = 0; k < m->nlikelihood; k++)
		json_array_append_new(l, json_string(m->likelihood[k]));
	for (int k = 0; k < m->nimpact; k++)
		json_array_append_new(i, json_string(m->impact[k]));
	for (size_t k = 0; k < m->nbands; k++)
		json_array_append_new(b, json_pack("{s:s, s:i, s:i, s:s}", "name", m->bands[k].name,
						   "lowest", m->bands[k].lo, "highest",
						   m->bands[k].hi, "colour", m->bands[k].colour));
	return json_pack("{s:b, s:o, s:o, s:o}", "custom", custom, "likelihood", l, "impact", i,
			 "bands", b);
}

static json_t *risk_json(const struct risks_risk *x, const struct risks_matrix *m)
{
	return json_pack("{s:I, s:o, s:s, s:s, s:o, s:{s:i, s:i, s:i, s:o}, s:{s:i, s:i, s:i, s:o}, "
			 "s:s, s:s, s:o, s:s, s:s}",
			 "id", (json_int_t)x->id, "process_id",
			 x->process_id ? json_integer(x->process_id) : json_null(), "title", x->title,
			 "description", x->description, "category",
			 *x->category ? json_pack("{s:s, s:s, s:i}", "code", x->category, "taxonomy",
						  x->taxonomy, "revision", x->taxonomy_revision)
				      : json_null(),
			 "inherent", "likelihood", x->il, "impact", x->ii, "score", x->il * x->ii,
			 "band", band_json(m, x->inherent_band), "residual", "likelihood", x->rl,
			 "impact", x->ri, "score", x->rl * x->ri, "band",
			 band_json(m, x->residual_band), "treatment", x->treatment, "owner",
			 x->owner, "review_on", api_date(x->review_on), "status", x->status,
			 "updated_on", x->updated_on);
}

/* ---- GET /api/v1/risk-registers/{id} ---- */

void api_risk_register(struct api_req *r)
{
	struct risks_error e;
	struct risks_matrix m;
	int custom = 0;
	struct risks_process *proc;
	struct risks_position *pos;
	struct risks_risk *risk;
	struct risks_control *ctl;
	size_t np, npos, nr, nc;
	db_t *db = r->p->db;
	if (access_ok(r, r->id, 0) != 0)
		return;
	if (risks_matrix_get(db, r->id, &m, &custom, &e) != 0 ||
	    risks_process_list(db, r->p->a, r->id, &proc, &np, &e) != 0 ||
	    risks_position_list(db, r->p->a, r->id, &pos, &npos, &e) != 0 ||
	    risks_risk_list(db, r->p->a, r->id, &risk, &nr, &e) != 0 ||
	    risks_control_list(db, r->p->a, r->id, &ctl, &nc, &e) != 0) {
		api_fail_internal(r, "reading the risk register failed");
		return;
	}
	json_t *jp = json_array(), *jpos = json_array(), *jr = json_array(), *jc = json_array();
	for (size_t i = 0; i < np; i++) {
		struct saint_profile pr;
		saint_profile(&proc[i].saint, &pr);
		json_t *inh = json_array(), *fac = json_object();
		for (int k = 0; k < SAINT_INHERENT; k++)
			if (proc[i].saint.inherent >> k & 1)
				json_array_append_new(inh, json_string(saint_inherent[k].id));
		for (int k = 0; k < SAINT_FACTORS; k++)
			json_object_set_new(fac, saint_factors[k].id,
					    json_integer(proc[i].saint.factor[k]));
		json_array_append_new(jp, json_pack(
			"{s:I, s:s, s:s, s:o, s:o, s:{s:s, s:s, s:s, s:i, s:i}}", "id",
			(json_int_t)proc[i].id, "name", proc[i].name, "description",
			proc[i].description, "inherent_vulnerabilities", inh, "enhancing_factors", fac,
			"profile", "inherent", saint_level_id(pr.inherent), "enhancing",
			saint_level_id(pr.enhancing), "class", saint_level_id(pr.profile),
			"inherent_count", pr.inherent_count, "factor_sum", pr.factor_sum));
	}
	for (size_t i = 0; i < npos; i++) {
		const struct risks_position *x = &pos[i];
		json_array_append_new(jpos, json_pack(
			"{s:I, s:o, s:s, s:i, s:{s:s, s:s}, s:{s:i, s:s}, s:{s:b, s:s}}", "id",
			(json_int_t)x->id, "process_id",
			x->process_id ? json_integer(x->process_id) : json_null(), "title", x->title,
			"staff", x->staff, "screening", "level", x->screening, "status",
			x->screening_status, "rotation", "years", x->rotation_years, "status",
			x->rotation_status, "declaration", "asked", x->declaration, "status",
			x->declaration_status));
	}
	for (size_t i = 0; i < nr; i++)
		json_array_append_new(jr, risk_json(&risk[i], &m));
	for (size_t i = 0; i < nc; i++)
		json_array_append_new(jc, json_pack("{s:I, s:I, s:s, s:s, s:s, s:o, s:o}", "id",
						    (json_int_t)ctl[i].id, "risk_id",
						    (json_int_t)ctl[i].risk_id, "description",
						    ctl[i].description, "owner", ctl[i].owner,
						    "status", ctl[i].status, "implemented_on",
						    api_date(ctl[i].implemented_on), "review_on",
						    api_date(ctl[i].review_on)));
	api_reply(r, 200, json_pack("{s:I, s:o, s:o, s:o, s:o, s:o}", "department",
				    (json_int_t)r->id, "matrix", matrix_json(&m, custom),
				    "processes", jp, "positions", jpos, "risks", jr, "controls", jc));
}

/* ---- GET /api/v1/risk-registers/{id}/heatmap ---- */

static json_t *heat_json(const struct risks_heat *h, const struct risks_matrix *m)
{
	json_t *rows = json_array();
	for (int l = 1; l <= m->nlikelihood; l++) {
		json_t *row = json_array();
		for (int i = 1; i <= m->nimpact; i++)
			json_array_append_new(row, json_integer(h->count[l - 1][i - 1]));
		json_array_append_new(rows, row);
	}
	return json_pack("{s:i, s:o}", "total", h->total, "counts", rows);
}

void api_risk_heatmap(struct api_req *r)
{
	struct risks_error e;
	struct risks_matrix m;
	struct risks_risk *risk;
	size_t nr;
	if (access_ok(r, r->id, 0) != 0)
		return;
	if (risks_matrix_get(r->p->db, r->id, &m, NULL, &e) != 0 ||
	    risks_risk_list(r->p->db, r->p->a, r->id, &risk, &nr, &e) != 0) {
		api_fail_internal(r, "reading the risk register failed");
		return;
	}
	struct risks_heat hi, hr;
	risks_heat_count(risk, nr, 0, &hi);
	risks_heat_count(risk, nr, 1, &hr);
	api_reply(r, 200, json_pack("{s:I, s:o, s:o, s:o}", "department", (json_int_t)r->id,
				    "matrix", matrix_json(&m, 0), "inherent", heat_json(&hi, &m),
				    "residual", heat_json(&hr, &m)));
}

/* ---- creating and changing a risk ---- */

/* Copies a string field given in the body into dst (cap bytes); 0, or -1
 * having answered. */
static int str_field(struct api_req *r, const char *key, size_t max, int multiline, char *dst,
		     size_t cap)
{
	const char *v;
	if (api_string(r, key, 0, max, multiline, &v, NULL) != 0)
		return -1;
	if (v)
		snprintf(dst, cap, "%s", v);
	return 0;
}

static int int_field(struct api_req *r, const char *key, int64_t min, int64_t max, int *dst)
{
	json_t *v = json_object_get(r->body, key);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
		api_error_with(r, 400, "invalid_field", "This field must be a whole number in range.",
			       json_pack("{s:s}", "field", key));
		return -1;
	}
	*dst = (int)json_integer_value(v);
	return 0;
}

/* Applies the body to x; 0, or -1 having answered. */
static int read_risk(struct api_req *r, struct risks_risk *x)
{
	int pid = (int)x->process_id;
	if (!r->body)
		return 0;
	if (str_field(r, "title", RISKS_TITLE_MAX, 0, x->title, sizeof x->title) ||
	    str_field(r, "description", RISKS_DESC_MAX, 1, x->description, sizeof x->description) ||
	    str_field(r, "category", RISKS_CODE_MAX, 0, x->category, sizeof x->category) ||
	    str_field(r, "treatment", 16, 0, x->treatment, sizeof x->treatment) ||
	    str_field(r, "owner", RISKS_OWNER_MAX, 0, x->owner, sizeof x->owner) ||
	    str_field(r, "review_on", DATE_LEN, 0, x->review_on, sizeof x->review_on) ||
	    str_field(r, "status", 8, 0, x->status, sizeof x->status) ||
	    int_field(r, "process_id", 0, (int64_t)1 << 30, &pid) ||
	    int_field(r, "inherent_likelihood", 0, 100, &x->il) ||
	    int_field(r, "inherent_impact", 0, 100, &x->ii) ||
	    int_field(r, "residual_likelihood", 0, 100, &x->rl) ||
	    int_field(r, "residual_impact", 0, 100, &x->ri))
		return -1;
	x->process_id = pid;
	return 0;
}

static void save_risk(struct api_req *r, int64_t dept, struct risks_risk *x, int status)
{
	struct risks_error e;
	struct risks_matrix m;
	char today[DATE_LEN + 1];
	date_today(today);
	if (risks_risk_save(r->p->db, r->p->signer, r->viewer->account.id, dept, x, today, &e) != 0) {
		if (e.code == RISKS_EINVALID || e.code == RISKS_EFULL)
			api_error(r, 422, "invalid_risk", e.msgid ? e.msgid : "The risk was refused.");
		else if (e.code == RISKS_ENOTFOUND)
			not_found(r);
		else
			api_fail_internal(r, "saving a risk failed");
		return;
	}
	if (risks_matrix_get(r->p->db, dept, &m, NULL, &e) != 0) {
		api_fail_internal(r, "reading the matrix failed");
		return;
	}
	api_reply(r, status, risk_json(x, &m));
}

void api_risk_create(struct api_req *r)
{
	struct risks_risk x = {0};
	if (access_ok(r, r->id, 1) != 0)
		return;
	strcpy(x.status, "open");
	strcpy(x.treatment, "reduce");
	if (read_risk(r, &x) != 0)
		return;
	save_risk(r, r->id, &x, 201);
}

void api_risk_update(struct api_req *r)
{
	struct risks_risk x;
	struct risks_error e;
	int64_t dept = 0;
	int rc = risks_risk_org(r->p->db, r->id, &dept);
	if (rc < 0) {
		api_fail_internal(r, "looking up a risk failed");
		return;
	}
	if (rc == 1) {
		not_found(r);
		return;
	}
	if (access_ok(r, dept, 1) != 0)
		return;
	if (risks_risk_get(r->p->db, dept, r->id, &x, &e) != 0) {
		not_found(r);
		return;
	}
	if (read_risk(r, &x) != 0)
		return;
	save_risk(r, dept, &x, 200);
}
