/* api_assess.c: self-assessments through the JSON API (docs/openapi.yaml,
 * tag "assessments"): the caller's list, one assessment with its scores,
 * one requirement's judgement, sign-off and review. The same rules as the
 * pages (src/assess): the storage decides access on every call, and another
 * department's assessment answers 404 like one that does not exist.
 * Evidence files are not served here: their bytes stay on the pages. */
#include <string.h>

#include "accounts/scope.h"
#include "app/api_assess.h"
#include "app/api_req.h"
#include "assess/assess.h"

#define LIST_MAX 500

static void not_found(struct api_req *r)
{
	api_error(r, 404, "assessment_not_found", "There is no self-assessment with this number "
		  "that you can open.");
}

/* Answers a storage refusal. */
static void refused(struct api_req *r, const struct assess_error *e)
{
	switch (e->code) {
	case ASSESS_ENOTFOUND:
		not_found(r);
		return;
	case ASSESS_EDENIED:
		api_error(r, 403, "step_not_allowed", "Your role does not allow this step on this "
			  "assessment.");
		return;
	case ASSESS_ECONFLICT:
		api_error(r, 409, "status_conflict", "The assessment's status does not allow this: "
			  "only a draft can be changed or signed off, only a signed-off one reviewed.");
		return;
	case ASSESS_EINCOMPLETE:
		api_error_with(r, 409, "not_fully_judged", "Every requirement needs a judgement on "
			       "design, existence and operation before sign-off.",
			       json_pack("{s:I}", "open_requirements", (json_int_t)e->open_reqs));
		return;
	case ASSESS_EINVALID:
		api_error(r, 400, "invalid_field", "A field is malformed or too long.");
		return;
	default:
		api_fail_internal(r, "the assessment storage failed");
	}
}

static json_t *score_json(const struct assess_score *s)
{
	return json_pack("{s:o, s:s, s:I, s:I}", "score",
			 s->shown >= 0 ? json_integer(s->shown) : json_null(), "maturity",
			 assess_maturity_name(s->maturity), "scored", (json_int_t)s->counted,
			 "not_assessed", (json_int_t)s->unscored);
}

static json_t *step_json(const char *at, const char *by)
{
	return *at ? json_pack("{s:s, s:s}", "at", at, "by", by) : json_null();
}

/* ---- GET /api/v1/assessments ---- */

void api_assessments(struct api_req *r)
{
	struct scope own, co;
	int64_t depts[2 * SCOPE_MAX];
	size_t nd = 0, n = 0;
	const unsigned drafters = role_mask(ROLE_INTEGRITY_COORDINATOR) | role_mask(ROLE_MANAGER);
	const unsigned overseers = role_mask(ROLE_COORDINATOR) | role_mask(ROLE_AUDITOR);
	if (scope_own(r->p->db, r->viewer, drafters, &own) != 0 ||
	    scope_coordinated(r->p->db, r->viewer, overseers, &co) != 0) {
		api_fail_internal(r, "the departments in scope could not be read");
		return;
	}
	for (size_t i = 0; i < own.n; i++)
		depts[nd++] = own.dept[i].id;
	for (size_t i = 0; i < co.n; i++)
		if (!scope_find(&own, co.dept[i].id))
			depts[nd++] = co.dept[i].id;
	struct assess_list_item *items = arena_alloc(r->p->a, LIST_MAX * sizeof *items);
	if (assess_list(r->p->db, depts, nd, items, LIST_MAX, &n) != 0) {
		api_fail_internal(r, "listing assessments failed");
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
			list, json_pack("{s:I, s:s, s:{s:s, s:i}, s:i, s:s}", "id",
					(json_int_t)items[i].id, "department", items[i].dept_code,
					"framework", "code", items[i].fw_code, "revision",
					items[i].fw_revision, "year", items[i].year, "status",
					assess_status_name(items[i].status)));
	api_reply(r, 200, json_pack("{s:o}", "assessments", list));
}

/* ---- GET /api/v1/assessments/{id} ---- */

void api_assessment_get(struct api_req *r)
{
	struct assess_full a;
	struct assess_error e;
	if (assess_read(r->p->db, r->viewer->account.id, r->id, &a, &e) != 0) {
		refused(r, &e);
		return;
	}
	struct assess_marks *m = assess_full_marks(&a);
	struct assess_scores s;
	assess_score(&a.fw, m, &s);
	free(m);
	/* the previous assessment's group scores, by group code */
	int64_t pid = 0;
	struct assess_score *pg = NULL, po;
	char(*pc)[FW_CODE_MAX + 1] = NULL;
	size_t npg = 0;
	int prev_year = 0;
	int have_prev = assess_previous(r->p->db, a.row.id, &pid) == 0 &&
			assess_group_scores(r->p->db, pid, &pg, &pc, &npg, &po, &prev_year) == 0;

	json_t *groups = json_array(), *pillars = json_array(), *reqs = json_array();
	json_t *acts = json_array(), *evs = json_array();
	for (size_t g = 0; g < a.fw.ngroups; g++) {
		json_t *o = score_json(&s.groups[g]);
		json_object_set_new(o, "code", json_string(a.fw.groups[g].code));
		json_t *chg = json_null();
		for (size_t k = 0; have_prev && k < npg; k++) {
			int has = 0, d = assess_change(&s.groups[g], &pg[k], &has);
			if (strcmp(pc[k], a.fw.groups[g].code) == 0 && has)
				chg = json_integer(d);
		}
		json_object_set_new(o, "change", chg);
		json_array_append_new(groups, o);
	}
	for (size_t i = 0; i < a.fw.npillars; i++) {
		json_t *o = score_json(&s.pillars[i]);
		json_object_set_new(o, "code", json_string(a.fw.pillars[i].code));
		json_array_append_new(pillars, o);
	}
	for (size_t i = 0; i < a.fw.nreqs; i++) {
		const struct assess_item *it = &a.items[i];
		json_array_append_new(
			reqs, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:b}", "code",
					a.fw.reqs[i].code, "group",
					a.fw.groups[a.fw.reqs[i].group].code, "design",
					assess_judgement_name(it->marks.dim[0]), "existence",
					assess_judgement_name(it->marks.dim[1]), "operation",
					assess_judgement_name(it->marks.dim[2]), "maturity",
					assess_maturity_name(it->marks.maturity), "score",
					s.reqs[i].shown >= 0 ? json_integer(s.reqs[i].shown)
							     : json_null(),
					"comment", it->comment, "prefilled", it->prefilled));
	}
	for (size_t i = 0; i < a.nactions; i++)
		json_array_append_new(
			acts, json_pack("{s:I, s:s, s:s, s:s, s:o, s:s}", "id",
					(json_int_t)a.actions[i].id, "requirement",
					a.fw.reqs[a.actions[i].req].code, "text", a.actions[i].text,
					"owner", a.actions[i].owner, "due",
					api_date(a.actions[i].due), "status",
					assess_ap_status_name(a.actions[i].status)));
	for (size_t i = 0; i < a.nevidence; i++)
		json_array_append_new(
			evs, json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)a.evidence[i].id,
				       "requirement", a.fw.reqs[a.evidence[i].req].code, "kind",
				       a.evidence[i].is_file ? "file" : "link", "url",
				       a.evidence[i].is_file ? json_null()
							     : json_string(a.evidence[i].url)));
	json_t *overall = score_json(&s.overall);
	int has = 0, d = have_prev ? assess_change(&s.overall, &po, &has) : 0;
	json_object_set_new(overall, "change", has ? json_integer(d) : json_null());
	json_t *body = json_pack(
		"{s:I, s:{s:s, s:s}, s:{s:s, s:i, s:s}, s:i, s:s, s:o, s:o, s:o, s:I,"
		" s:{s:o, s:o, s:o}, s:o, s:o, s:o, s:o}",
		"id", (json_int_t)a.row.id, "department", "code", a.row.dept_code, "name",
		a.row.dept_name, "framework", "code", a.fw.code, "revision", a.fw.revision, "title",
		fw_lang(a.fw.title_nl, a.fw.title_en, "en"), "year", a.row.year, "status",
		assess_status_name(a.row.status), "signed_off",
		step_json(a.row.signed_off_at, a.row.signed_off_by), "reviewed",
		step_json(a.row.reviewed_at, a.row.reviewed_by), "review_comment",
		*a.row.review_comment ? json_string(a.row.review_comment) : json_null(),
		"open_requirements", (json_int_t)s.open_reqs, "scores", "overall", overall,
		"pillars", pillars, "groups", groups, "previous_year",
		have_prev ? json_integer(prev_year) : json_null(), "requirements", reqs, "actions",
		acts, "evidence", evs);
	free(pg);
	free(pc);
	assess_scores_free(&s);
	assess_full_free(&a);
	api_reply(r, 200, body);
}

/* ---- POST /api/v1/assessments/{id}/items ---- */

static int enum_field(struct api_req *r, const char *key, int (*parse)(const char *, int *),
		      int *out)
{
	const char *v = NULL;
	if (api_string(r, key, 1, 32, 0, &v, NULL) != 0)
		return -1;
	if (parse(v, out) != 0) {
		api_error_with(r, 400, "invalid_field", "This field takes one of the documented "
			       "values.", json_pack("{s:s}", "field", key));
		return -1;
	}
	return 0;
}

void api_assessment_item(struct api_req *r)
{
	const char *req = NULL, *comment = NULL;
	int d = 0, x = 0, o = 0, m = 0;
	if (api_string(r, "requirement", 1, FW_CODE_MAX, 0, &req, NULL) != 0 ||
	    enum_field(r, "design", assess_judgement_parse, &d) != 0 ||
	    enum_field(r, "existence", assess_judgement_parse, &x) != 0 ||
	    enum_field(r, "operation", assess_judgement_parse, &o) != 0 ||
	    enum_field(r, "maturity", assess_maturity_parse, &m) != 0 ||
	    api_string(r, "comment", 0, ASSESS_COMMENT_MAX, 1, &comment, NULL) != 0)
		return;
	struct assess_item_in it = {req, {{(unsigned char)d, (unsigned char)x, (unsigned char)o},
					  (unsigned char)m},
				    comment};
	struct assess_save s = {.items = &it, .nitems = 1};
	struct assess_error e;
	if (assess_save(r->p->db, r->p->signer, r->viewer->account.id, r->id, &s, &e) != 0) {
		/* an unknown requirement of a readable assessment is the field's fault */
		if (e.code == ASSESS_ENOTFOUND && strncmp(e.msg, "no requirement", 14) == 0)
			api_error_with(r, 400, "invalid_field", "This framework has no such "
				       "requirement.", json_pack("{s:s}", "field", "requirement"));
		else
			refused(r, &e);
		return;
	}
	api_reply(r, 200, json_pack("{s:I, s:s}", "id", (json_int_t)r->id, "requirement", req));
}

/* ---- POST /api/v1/assessments/{id}/sign-off and /review ---- */

void api_assessment_sign_off(struct api_req *r)
{
	struct assess_error e;
	if (assess_sign_off(r->p->db, r->p->signer, r->viewer->account.id, r->id, &e) != 0) {
		refused(r, &e);
		return;
	}
	api_reply(r, 200, json_pack("{s:I, s:s}", "id", (json_int_t)r->id, "status",
				    "signed_off"));
}

void api_assessment_review(struct api_req *r)
{
	const char *comment = NULL;
	if (api_string(r, "comment", 1, ASSESS_REVIEW_MAX, 1, &comment, NULL) != 0)
		return;
	struct assess_error e;
	if (assess_review(r->p->db, r->p->signer, r->viewer->account.id, r->id, comment, &e) !=
	    0) {
		refused(r, &e);
		return;
	}
	api_reply(r, 200, json_pack("{s:I, s:s}", "id", (json_int_t)r->id, "status", "reviewed"));
}
