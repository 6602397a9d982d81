/* api_recs.c: the recommendations tracker through the JSON API
 * (api_recs.h). The same rules as the pages (src/recs/pages.h): the
 * coordinator, IPIM members, auditors and integrity coordinators read
 * everything (public documents); only a coordinator who oversees
 * departments changes, and only addresses departments in its scope
 * (another answers 422). A refused change answers 422
 * "invalid_recommendation" with the rule's plain-language message and
 * writes nothing. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "app/api_recs.h"
#include "app/api_req.h"
#include "base/date.h"
#include "recs/pages.h"
#include "recs/recs.h"

static void not_found(struct api_req *r)
{
	api_error(r, 404, "recommendation_not_found",
		  "There is no recommendation or source with this number.");
}

/* 0 when the caller may change the tracker (scope filled); else answers. */
static int editor(struct api_req *r, struct scope *scope)
{
	int ok = recs_editor_scope(r->p->db, r->viewer, scope);
	if (ok < 0) {
		api_fail_internal(r, "the recommendations' editor check failed");
		return -1;
	}
	if (!ok) {
		api_error(r, 403, "forbidden", "Only the coordinating ministry changes recommendations.");
		return -1;
	}
	return 0;
}

static json_t *tally_json(const struct recs_tally *t)
{
	return json_pack("{s:i, s:i, s:i, s:i, s:i, s:i}", "implemented",
			 t->count[RECS_STATUS_IMPLEMENTED], "partly", t->count[RECS_STATUS_PARTLY],
			 "not_implemented", t->count[RECS_STATUS_NOT], "none",
			 t->count[RECS_STATUS_NONE], "total", t->total, "overdue", t->overdue);
}

static json_t *source_json(const struct recs_source *s)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:s}", "id", (json_int_t)s->id, "kind",
			 s->kind, "title", s->title, "reference", s->reference, "issued_on",
			 s->issued_on, "round", s->round, "link",
			 *s->link ? json_string(s->link) : json_null(), "updated_on", s->updated_on);
}

static json_t *rec_json(const struct recs_rec *x, const char *today)
{
	json_t *to = json_array(), *pol = json_array();
	for (size_t i = 0; i < x->naddressees; i++)
		json_array_append_new(to, json_string(x->addressees[i].code));
	for (size_t i = 0; i < x->npolicies; i++)
		json_array_append_new(pol, json_pack("{s:I, s:s}", "id", (json_int_t)x->policies[i].id,
						     "title", x->policies[i].title));
	return json_pack("{s:I, s:I, s:s, s:s, s:o, s:o, s:o, s:s, s:o, s:o, s:b, s:o, s:s}", "id",
			 (json_int_t)x->id, "source_id", (json_int_t)x->source_id, "number",
			 x->number, "text", x->text, "addressees", to, "response",
			 *x->response ? json_string(x->response) : json_null(), "response_on",
			 api_date(x->response_on), "status", recs_status_id(x->status), "status_on",
			 api_date(x->status_on), "report_due", api_date(x->report_due), "overdue",
			 recs_overdue(x, today), "policy_items", pol, "updated_on", x->updated_on);
}

/* ---- GET ---- */

void api_recs_list(struct api_req *r)
{
	struct recs_error e;
	struct recs_source *src;
	struct recs_rec *recs;
	size_t ns, nr;
	char today[DATE_LEN + 1];
	date_today(today);
	if (recs_source_list(r->p->db, r->p->a, &src, &ns, &e) != 0 ||
	    recs_rec_list(r->p->db, r->p->a, 0, &recs, &nr, &e) != 0) {
		api_fail_internal(r, "reading the recommendations failed");
		return;
	}
	json_t *sources = json_array();
	struct recs_tally all = {0};
	for (size_t i = 0; i < ns; i++) {
		struct recs_tally t = {0};
		json_t *list = json_array();
		for (size_t j = 0; j < nr; j++) {
			if (recs[j].source_id != src[i].id)
				continue;
			recs_tally_add(&t, &recs[j], today);
			recs_tally_add(&all, &recs[j], today);
			json_array_append_new(list, rec_json(&recs[j], today));
		}
		json_t *s = source_json(&src[i]);
		json_object_set_new(s, "tally", tally_json(&t));
		json_object_set_new(s, "recommendations", list);
		json_array_append_new(sources, s);
	}
	api_reply(r, 200, json_pack("{s:o, s:o}", "sources", sources, "tally", tally_json(&all)));
}

static void reply_rec(struct api_req *r, int status, int64_t id)
{
	struct recs_error e;
	struct recs_rec *x = arena_alloc(r->p->a, sizeof *x);
	struct recs_note *notes;
	size_t nn;
	char today[DATE_LEN + 1];
	date_today(today);
	if (recs_rec_get(r->p->db, id, x, &e) != 0) {
		if (e.code == RECS_ENOTFOUND)
			not_found(r);
		else
			api_fail_internal(r, "reading a recommendation failed");
		return;
	}
	if (recs_note_list(r->p->db, r->p->a, id, &notes, &nn, &e) != 0) {
		api_fail_internal(r, "reading progress notes failed");
		return;
	}
	json_t *jn = json_array();
	for (size_t i = 0; i < nn; i++) {
		json_t *links = json_array();
		for (size_t k = 0; k < notes[i].nlinks; k++)
			json_array_append_new(links, json_string(notes[i].links[k]));
		json_array_append_new(jn, json_pack("{s:I, s:s, s:o, s:s, s:o}", "id",
						    (json_int_t)notes[i].id, "noted_on",
						    notes[i].noted_on, "department",
						    *notes[i].org_code ? json_string(notes[i].org_code)
								       : json_null(),
						    "text", notes[i].text, "evidence", links));
	}
	json_t *j = rec_json(x, today);
	json_object_set_new(j, "progress", jn);
	api_reply(r, status, j);
}

void api_recs_get(struct api_req *r)
{
	reply_rec(r, 200, r->id);
}

/* ---- changes ---- */

/* A string field given in the body into dst (cap bytes); 0, or -1 having
 * answered. Absent or null leaves dst. */
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

static void invalid(struct api_req *r, const struct recs_error *e)
{
	if (e->code == RECS_ENOTFOUND)
		not_found(r);
	else if (e->code == RECS_EDB)
		api_fail_internal(r, "saving to the recommendations failed");
	else
		api_error(r, 422, "invalid_recommendation",
			  e->msgid ? e->msgid : "The recommendation was refused.");
}

static void field_error(struct api_req *r, const char *key, const char *message)
{
	api_error_with(r, 400, "invalid_field", message, json_pack("{s:s}", "field", key));
}

void api_recs_source_create(struct api_req *r)
{
	struct recs_source s = {0};
	struct recs_error e;
	char today[DATE_LEN + 1];
	if (editor(r, NULL) != 0)
		return;
	if (str_field(r, "kind", 24, 0, s.kind, sizeof s.kind) ||
	    str_field(r, "title", RECS_TITLE_MAX, 0, s.title, sizeof s.title) ||
	    str_field(r, "reference", RECS_REF_MAX, 0, s.reference, sizeof s.reference) ||
	    str_field(r, "issued_on", DATE_LEN, 0, s.issued_on, sizeof s.issued_on) ||
	    str_field(r, "round", RECS_ROUND_MAX, 0, s.round, sizeof s.round) ||
	    str_field(r, "link", RECS_URL_MAX, 0, s.link, sizeof s.link))
		return;
	date_today(today);
	if (recs_source_save(r->p->db, r->p->signer, r->viewer->account.id, &s, today, &e) != 0) {
		invalid(r, &e);
		return;
	}
	api_reply(r, 201, source_json(&s));
}

/* Reads the recommendation's fields given in the body into x; *part gets
 * which parts were given (bit per enum recs_part). 0, or -1 answered. */
static int read_rec(struct api_req *r, const struct scope *sc, struct recs_rec *x, unsigned *parts)
{
	*parts = 0;
	if (!r->body)
		return 0;
	static const char *const main_keys[] = {"number", "text", "report_due", "addressees",
						"policy_items", NULL};
	for (size_t i = 0; main_keys[i]; i++)
		if (json_object_get(r->body, main_keys[i]))
			*parts |= 1u << RECS_PART_MAIN;
	if (json_object_get(r->body, "response") || json_object_get(r->body, "response_on"))
		*parts |= 1u << RECS_PART_RESPONSE;
	if (json_object_get(r->body, "status") || json_object_get(r->body, "status_on"))
		*parts |= 1u << RECS_PART_STATUS;
	if (str_field(r, "number", RECS_NUMBER_MAX, 0, x->number, sizeof x->number) ||
	    str_field(r, "text", RECS_TEXT_MAX, 1, x->text, sizeof x->text) ||
	    str_field(r, "report_due", DATE_LEN, 0, x->report_due, sizeof x->report_due) ||
	    str_field(r, "response", RECS_TEXT_MAX, 1, x->response, sizeof x->response) ||
	    str_field(r, "response_on", DATE_LEN, 0, x->response_on, sizeof x->response_on) ||
	    str_field(r, "status_on", DATE_LEN, 0, x->status_on, sizeof x->status_on))
		return -1;
	json_t *v = json_object_get(r->body, "status");
	if (v && !json_is_null(v) &&
	    (!json_is_string(v) || recs_status_parse(json_string_value(v), &x->status) != 0)) {
		field_error(r, "status", "The status must be none, implemented, partly or not_implemented.");
		return -1;
	}
	v = json_object_get(r->body, "addressees");
	if (v && !json_is_null(v)) {
		if (!json_is_array(v) || json_array_size(v) > RECS_ADDRESSEES_MAX) {
			field_error(r, "addressees", "The addressees must be a list of at most 32 department codes.");
			return -1;
		}
		x->naddressees = 0;
		for (size_t i = 0; i < json_array_size(v); i++) {
			const char *code = json_string_value(json_array_get(v, i));
			const struct scope_dept *d = NULL;
			for (size_t k = 0; code && k < sc->n && !d; k++)
				if (strcasecmp(sc->dept[k].code, code) == 0)
					d = &sc->dept[k];
			if (!d) {
				api_error_with(r, 422, "invalid_recommendation",
					       "An addressee is not a department in your scope.",
					       json_pack("{s:s}", "field", "addressees"));
				return -1;
			}
			x->addressees[x->naddressees].id = d->id;
			snprintf(x->addressees[x->naddressees].code, ORG_CODE_MAX + 1, "%s", d->code);
			x->naddressees++;
		}
	}
	v = json_object_get(r->body, "policy_items");
	if (v && !json_is_null(v)) {
		if (!json_is_array(v) || json_array_size(v) > RECS_POLICIES_MAX) {
			field_error(r, "policy_items", "The policy items must be a list of at most 16 ids.");
			return -1;
		}
		x->npolicies = 0;
		for (size_t i = 0; i < json_array_size(v); i++) {
			json_t *id = json_array_get(v, i);
			if (!json_is_integer(id) || json_integer_value(id) < 1) {
				field_error(r, "policy_items", "The policy items must be a list of ids.");
				return -1;
			}
			x->policies[x->npolicies++].id = json_integer_value(id);
		}
	}
	return 0;
}

void api_recs_create(struct api_req *r)
{
	struct scope sc;
	struct recs_error e;
	unsigned parts;
	char today[DATE_LEN + 1];
	if (editor(r, &sc) != 0)
		return;
	struct recs_rec *x = arena_alloc(r->p->a, sizeof *x);
	x->source_id = r->id;
	if (read_rec(r, &sc, x, &parts) != 0)
		return;
	date_today(today);
	if (recs_rec_save(r->p->db, r->p->signer, r->viewer->account.id, x, RECS_PART_ALL, today,
			  &e) != 0) {
		invalid(r, &e);
		return;
	}
	reply_rec(r, 201, x->id);
}

void api_recs_update(struct api_req *r)
{
	struct scope sc;
	struct recs_error e;
	unsigned parts;
	char today[DATE_LEN + 1];
	if (editor(r, &sc) != 0)
		return;
	struct recs_rec *x = arena_alloc(r->p->a, sizeof *x);
	if (recs_rec_get(r->p->db, r->id, x, &e) != 0) {
		invalid(r, &e);
		return;
	}
	/* addressees already there stay allowed, even one since out of scope */
	for (size_t i = 0; i < x->naddressees && sc.n < SCOPE_MAX; i++)
		if (!scope_find(&sc, x->addressees[i].id)) {
			sc.dept[sc.n].id = x->addressees[i].id;
			snprintf(sc.dept[sc.n].code, sizeof sc.dept[sc.n].code, "%s",
				 x->addressees[i].code);
			sc.n++;
		}
	if (read_rec(r, &sc, x, &parts) != 0)
		return;
	/* one part given: its own audit action, as the pages' forms; more than
	 * one: the whole recommendation in one transaction */
	int part = parts == 1u << RECS_PART_RESPONSE ? RECS_PART_RESPONSE
		   : parts == 1u << RECS_PART_STATUS ? RECS_PART_STATUS
		   : parts == 1u << RECS_PART_MAIN   ? RECS_PART_MAIN
						     : RECS_PART_ALL;
	date_today(today);
	if (recs_rec_save(r->p->db, r->p->signer, r->viewer->account.id, x, part, today, &e) != 0) {
		invalid(r, &e);
		return;
	}
	reply_rec(r, 200, x->id);
}

void api_recs_note(struct api_req *r)
{
	struct scope sc;
	struct recs_error e;
	char today[DATE_LEN + 1];
	if (editor(r, &sc) != 0)
		return;
	struct recs_note *n = arena_alloc(r->p->a, sizeof *n);
	n->rec_id = r->id;
	const char *dept = NULL;
	if (str_field(r, "noted_on", DATE_LEN, 0, n->noted_on, sizeof n->noted_on) ||
	    str_field(r, "text", RECS_TEXT_MAX, 1, n->text, sizeof n->text) ||
	    api_string(r, "department", 0, ORG_CODE_MAX, 0, &dept, NULL) != 0)
		return;
	if (dept) {
		for (size_t k = 0; k < sc.n && !n->org_id; k++)
			if (strcasecmp(sc.dept[k].code, dept) == 0)
				n->org_id = sc.dept[k].id;
		if (!n->org_id) {
			api_error_with(r, 422, "invalid_recommendation",
				       "The department is not one in your scope.",
				       json_pack("{s:s}", "field", "department"));
			return;
		}
	}
	json_t *v = r->body ? json_object_get(r->body, "evidence") : NULL;
	if (v && !json_is_null(v)) {
		if (!json_is_array(v) || json_array_size(v) > RECS_LINKS_MAX) {
			field_error(r, "evidence", "The evidence must be a list of at most five https:// links.");
			return;
		}
		for (size_t i = 0; i < json_array_size(v); i++) {
			const char *u = json_string_value(json_array_get(v, i));
			if (!u || strlen(u) > RECS_URL_MAX) {
				field_error(r, "evidence", "The evidence must be a list of at most five https:// links.");
				return;
			}
			snprintf(n->links[n->nlinks++], RECS_URL_MAX + 1, "%s", u);
		}
	}
	if (!*n->noted_on)
		date_today(n->noted_on);
	date_today(today);
	if (recs_note_add(r->p->db, r->p->signer, r->viewer->account.id, n, today, &e) != 0) {
		invalid(r, &e);
		return;
	}
	json_t *links = json_array();
	for (size_t k = 0; k < n->nlinks; k++)
		json_array_append_new(links, json_string(n->links[k]));
	api_reply(r, 201, json_pack("{s:I, s:I, s:s, s:o, s:s, s:o}", "id", (json_int_t)n->id,
				    "recommendation_id", (json_int_t)n->rec_id, "noted_on",
				    n->noted_on, "department",
				    n->org_id ? json_string(n->org_code) : json_null(), "text",
				    n->text, "evidence", links));
}
