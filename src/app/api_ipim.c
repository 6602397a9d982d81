/* api_ipim.c: IPIM through the JSON API, read only (api_ipim.h). The same
 * rules as the pages (src/ipim/pages_meetings.c, pages_practices.c): the
 * coordinator, IPIM members, auditors and integrity coordinators read the
 * meetings and the good-practice library (the route table's roles); the
 * practices of a department outside the coordinator's scope (Defence) are
 * seen by its own people only, and to anyone else such a department does
 * not exist (404 when asked by code). Reading writes nothing: no audit. */
#include <stdio.h>
#include <string.h>

#include "accounts/scope.h"
#include "app/api_ipim.h"
#include "app/api_query.h"
#include "app/api_req.h"
#include "ipim/ipim.h"

static json_t *meeting_json(const struct ipim_meeting *m)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)m->id, "held_on",
			 m->held_on, "title", m->title, "place", m->place, "updated_on",
			 m->updated_on);
}

static json_t *refs_json(const struct ipim_ref *x, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:I, s:s}", "id", (json_int_t)x[i].id, "label",
						   x[i].label));
	return a;
}

/* ---- GET /api/v1/ipim/meetings ---- */

void api_ipim_meetings(struct api_req *r)
{
	struct ipim_meeting *m;
	size_t n;
	struct ipim_error e;
	if (ipim_meeting_list(r->p->db, r->p->a, &m, &n, &e) != 0) {
		api_fail_internal(r, "reading IPIM's meetings failed");
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, meeting_json(&m[i]));
	api_reply(r, 200, json_pack("{s:o}", "meetings", list));
}

/* ---- GET /api/v1/ipim/meetings/{id} ---- */

void api_ipim_meeting(struct api_req *r)
{
	struct ipim_meeting m;
	struct ipim_item *items;
	size_t ni;
	struct ipim_error e;
	if (ipim_meeting_get(r->p->db, r->id, &m, &e) != 0) {
		if (e.code == IPIM_ENOTFOUND)
			api_error(r, 404, "meeting_not_found", "There is no IPIM meeting with this number.");
		else
			api_fail_internal(r, "reading an IPIM meeting failed");
		return;
	}
	if (ipim_item_list(r->p->db, r->p->a, m.id, &items, &ni, &e) != 0) {
		api_fail_internal(r, "reading an IPIM agenda failed");
		return;
	}
	json_t *agenda = json_array();
	for (size_t i = 0; i < ni; i++) {
		struct ipim_decision *d;
		size_t nd;
		if (ipim_decision_list(r->p->db, r->p->a, items[i].id, &d, &nd, &e) != 0) {
			json_decref(agenda);
			api_fail_internal(r, "reading IPIM decisions failed");
			return;
		}
		json_t *dec = json_array();
		for (size_t k = 0; k < nd; k++)
			json_array_append_new(
				dec, json_pack("{s:I, s:s, s:s, s:o, s:s}", "id", (json_int_t)d[k].id,
					       "text", d[k].text, "owner", d[k].owner, "due_on",
					       api_date(d[k].due_on), "status",
					       ipim_status_id(d[k].status)));
		json_array_append_new(
			agenda, json_pack("{s:I, s:i, s:s, s:s, s:o, s:o, s:o}", "id",
					  (json_int_t)items[i].id, "position", items[i].pos, "title",
					  items[i].title, "note", items[i].note, "recommendations",
					  refs_json(items[i].recs, items[i].nrecs), "policy_items",
					  refs_json(items[i].policies, items[i].npolicies),
					  "decisions", dec));
	}
	json_t *j = meeting_json(&m);
	json_object_set_new(j, "minutes", json_string(m.minutes));
	json_object_set_new(j, "agenda", agenda);
	api_reply(r, 200, j);
}

/* ---- GET /api/v1/good-practices?q=&theme=&department=&page= ---- */

void api_ipim_practices(struct api_req *r)
{
	struct scope *vis = arena_alloc(r->p->a, sizeof *vis);
	const struct scope_dept *dept;
	const char *q, *theme;
	int64_t page;
	if (scope_shared_with(r->p->db, r->viewer, vis) != 0) {
		api_fail_internal(r, "reading the departments failed");
		return;
	}
	if (api_query_text(r, "q", IPIM_QUERY_MAX, &q) != 0 ||
	    api_query_text(r, "theme", 15, &theme) != 0)
		return;
	if (*theme && !ipim_theme_ok(theme)) {
		api_bad_parameter(r, "theme", "The theme must be one of values, interests, information, relations, abroad or prevention.");
		return;
	}
	if (api_query_int(r, "page", 1, IPIM_PRACTICES_MAX / IPIM_PAGE + 1, 1,
			  "The page is a whole number from 1 to 101.", &page) != 0 ||
	    api_query_department(r, "department", vis, &dept) != 0)
		return;
	int64_t ids[SCOPE_MAX];
	for (size_t i = 0; i < vis->n; i++)
		ids[i] = vis->dept[i].id;
	struct ipim_search s = {q, theme, dept ? dept->id : 0, ids, vis->n, (int)page - 1};
	struct ipim_practice *rows;
	size_t n;
	int64_t total;
	struct ipim_error e;
	if (ipim_practice_search(r->p->db, r->p->a, &s, &rows, &n, &total, &e) != 0) {
		/* the limits were checked above; anything else is ours */
		api_fail_internal(r, "searching the good practices failed");
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
			list, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
					(json_int_t)rows[i].id, "department", rows[i].org_code,
					"theme", rows[i].theme, "title", rows[i].title, "description",
					rows[i].description, "contact", rows[i].contact,
					"practised_on", rows[i].practised_on, "updated_on",
					rows[i].updated_on));
	int64_t pages = (total + IPIM_PAGE - 1) / IPIM_PAGE;
	api_reply(r, 200, json_pack("{s:o, s:I, s:I, s:I, s:i}", "practices", list, "total",
				    (json_int_t)total, "page", (json_int_t)page, "pages",
				    (json_int_t)pages, "page_size", IPIM_PAGE));
}
