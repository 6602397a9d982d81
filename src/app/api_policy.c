/* api_policy.c: the policy cycle through the JSON API, read only
 * (api_policy.h). The same rules as the pages (src/recs/policy_pages.c):
 * the coordinator, IPIM members, auditors and integrity coordinators read
 * the items (public documents) and the departments' adoptions; a
 * department outside the coordinator's scope (Defence) is shown to its own
 * people only (recs_adoption_visible). The self-assessment an evaluation
 * rests on is named by id only to those who may read assessments, as the
 * page links it only for them. Reading writes nothing: no audit. */
#include <stdio.h>
#include <string.h>

#include "accounts/accounts.h"
#include "accounts/scope.h"
#include "app/api_policy.h"
#include "app/api_req.h"
#include "recs/pages.h"
#include "recs/policy.h"

/* who reads self-assessments (the API's ASSESS_READERS) */
#define ASSESS_READ (role_mask(ROLE_INTEGRITY_COORDINATOR) | role_mask(ROLE_MANAGER) | \
		     role_mask(ROLE_COORDINATOR) | role_mask(ROLE_AUDITOR))

static json_t *stages_json(const struct policy_item *p)
{
	json_t *o = json_object();
	for (int s = 0; s < POLICY_NSTAGES; s++)
		json_object_set_new(o, policy_stage_id(s), api_date(p->stage_on[s]));
	return o;
}

static json_t *item_json(const struct policy_item *p)
{
	return json_pack("{s:I, s:s, s:s, s:o, s:s, s:o, s:s}", "id", (json_int_t)p->id, "title",
			 p->title, "kind", p->kind, "version",
			 *p->version ? json_string(p->version) : json_null(), "stage",
			 policy_stage_id(p->stage), "stages", stages_json(p), "updated_on",
			 p->updated_on);
}

/* The open departments whose adoption the caller sees, into vis. 0 or -1. */
static int visible(struct api_req *r, struct scope *vis)
{
	struct scope all, own;
	if (scope_all_departments(r->p->db, &all) != 0 ||
	    scope_own(r->p->db, r->viewer, ~0u, &own) != 0)
		return -1;
	vis->n = 0;
	for (size_t i = 0; i < all.n; i++)
		if (recs_adoption_visible(&own, all.dept[i].outside_scope, all.dept[i].id))
			vis->dept[vis->n++] = all.dept[i];
	return 0;
}

/* ---- GET /api/v1/policy-items ---- */

void api_policy_items(struct api_req *r)
{
	struct scope *vis = arena_alloc(r->p->a, sizeof *vis);
	struct policy_item *items;
	size_t n;
	struct recs_error e;
	if (visible(r, vis) != 0 || policy_item_list(r->p->db, r->p->a, &items, &n, &e) != 0) {
		api_fail_internal(r, "reading the policy items failed");
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		struct policy_adoption *ad;
		size_t na, adopted = 0;
		if (policy_adoption_list(r->p->db, r->p->a, items[i].id, &ad, &na, &e) != 0) {
			json_decref(list);
			api_fail_internal(r, "reading adoptions failed");
			return;
		}
		for (size_t k = 0; k < na; k++)
			adopted += scope_find(vis, ad[k].org_id) != NULL;
		json_t *j = item_json(&items[i]);
		json_object_set_new(j, "adoptions", json_pack("{s:I, s:I}", "recorded",
							      (json_int_t)adopted, "departments",
							      (json_int_t)vis->n));
		json_array_append_new(list, j);
	}
	api_reply(r, 200, json_pack("{s:o}", "policy_items", list));
}

/* ---- GET /api/v1/policy-items/{id} ---- */

void api_policy_item(struct api_req *r)
{
	struct scope *vis = arena_alloc(r->p->a, sizeof *vis);
	struct policy_item it;
	struct policy_adoption *ad;
	struct recs_policy_ref *refs;
	size_t na, nr;
	struct recs_error e;
	if (visible(r, vis) != 0) {
		api_fail_internal(r, "reading the departments failed");
		return;
	}
	if (policy_item_get(r->p->db, r->id, &it, &e) != 0) {
		if (e.code == RECS_ENOTFOUND)
			api_error(r, 404, "policy_item_not_found", "There is no policy item with this number.");
		else
			api_fail_internal(r, "reading a policy item failed");
		return;
	}
	if (policy_adoption_list(r->p->db, r->p->a, it.id, &ad, &na, &e) != 0 ||
	    policy_recs(r->p->db, r->p->a, it.id, &refs, &nr, &e) != 0) {
		api_fail_internal(r, "reading a policy item's adoptions failed");
		return;
	}
	int read_assess = (r->viewer->roles & ASSESS_READ) != 0;
	/* every visible department, with its adoption or null: a department
	 * that has not adopted the policy is part of the answer too */
	json_t *deps = json_array();
	for (size_t d = 0; d < vis->n; d++) {
		const struct policy_adoption *a = NULL;
		for (size_t k = 0; k < na && !a; k++)
			if (ad[k].org_id == vis->dept[d].id)
				a = &ad[k];
		json_t *adoption = json_null();
		if (a)
			adoption = json_pack("{s:s, s:s, s:o, s:o, s:s}", "adopted_on", a->adopted_on,
					     "translation", a->translation, "evaluated_on",
					     api_date(a->evaluated_on), "assessment_id",
					     a->assessment_id && read_assess
						     ? json_integer((json_int_t)a->assessment_id)
						     : json_null(),
					     "updated_on", a->updated_on);
		json_array_append_new(deps, json_pack("{s:s, s:s, s:o}", "code", vis->dept[d].code,
						      "name", vis->dept[d].name, "adoption",
						      adoption));
	}
	json_t *recs = json_array();
	for (size_t i = 0; i < nr; i++)
		json_array_append_new(recs, json_pack("{s:I, s:s}", "id", (json_int_t)refs[i].id,
						      "title", refs[i].title));
	json_t *j = item_json(&it);
	json_object_set_new(j, "description", json_string(it.description));
	json_object_set_new(j, "departments", deps);
	json_object_set_new(j, "recommendations", recs);
	api_reply(r, 200, j);
}
