/* api_cases.c: cases through the JSON API (docs/openapi.yaml, tag "cases"):
 * the caller's cases, one case, a move to another phase, the outcome.
 *
 * A case opens only with the key sealed to the caller (cases.h): a team
 * member reads its metadata, checklist, team and the people involved with
 * their names (members hold the key that opens them); a competent authority
 * holding the summary reads the metadata, phase and outcome only. A case
 * that does not exist and one that is not the caller's get the same 404.
 * Records, notes and reports are not given here: their text stays on the
 * pages, read per request. Decrypted names pass through jansson, whose
 * memory is wiped when freed (api_json_wipe_on_free). */
#include <sodium.h>
#include <string.h>

#include "app/api_req.h"
#include "cases/cases.h"
#include "cases/dataset.h"
#include "cases/taxonomy.h"

#define LIST_MAX 500

static void not_found(struct api_req *r)
{
	api_error(r, 404, "case_not_found", "There is no case with this number that you can "
		  "open.");
}

static int data_ready(struct api_req *r)
{
	char err[300];
	if (cases_data_init(err, sizeof err) == 0)
		return 0;
	api_fail_internal(r, "the protocol data does not load");
	return -1;
}

/* Opens case {id} for the caller: as a member, else (authority_too) as a
 * competent authority holding the summary. Answers and returns -1 when
 * neither opens. */
static int case_key(struct api_req *r, int authority_too, struct cases_key *k)
{
	unsigned char sk[32];
	struct cases_error e = {0};
	if (data_ready(r) != 0)
		return -1;
	if (session_secret_key(r->p->db, &r->viewer->session, sk) != 0) {
		api_fail_internal(r, "the session's key does not open");
		return -1;
	}
	int rc = cases_key_as_member(r->p->db, r->id, r->viewer->account.id, sk, k, &e);
	if (rc != 0 && e.code == CASES_ENOTFOUND && authority_too &&
	    (r->viewer->roles & role_mask(ROLE_COMPETENT_AUTHORITY)))
		rc = cases_key_as_authority(r->p->db, r->id, r->viewer->account.id, sk, k, &e);
	sodium_memzero(sk, sizeof sk);
	if (rc == 0)
		return 0;
	if (e.code == CASES_ENOTFOUND)
		not_found(r);
	else
		api_fail_internal(r, e.code == CASES_EDAMAGED ? "a case key does not open"
							      : "opening a case key failed");
	return -1;
}

/* A failure of the storage after the key opened: ours, or the case gone. */
static void storage_failed(struct api_req *r, const struct cases_error *e)
{
	if (e->code == CASES_ENOTFOUND)
		not_found(r);
	else if (e->code == CASES_ECONFLICT)
		api_error(r, 409, "case_closed", "This case is closed: nothing in it can change.");
	else
		api_fail_internal(r, e->code == CASES_EDAMAGED ? "stored case data does not open"
							       : "the case storage failed");
}

static json_t *text_json(const struct cases_text *t)
{
	return t->nl ? json_pack("{s:s, s:s}", "nl", t->nl, "en", t->en) : json_null();
}

/* {"due": ..., "overdue": ..., "days_left": ...} of a phase due on `due`. */
static void due_json(json_t *o, const char *due, const char *today)
{
	int32_t left = 0;
	int known = *due && date_days_between(today, due, &left) == 0;
	json_object_set_new(o, "due", api_date(due));
	json_object_set_new(o, "overdue", json_boolean(known && left < 0));
	json_object_set_new(o, "days_left", known ? json_integer(left) : json_null());
}

/* ---- GET /api/v1/cases ---- */

void api_cases(struct api_req *r)
{
	if (data_ready(r) != 0)
		return;
	struct cases_list_item *items = arena_alloc(r->p->a, LIST_MAX * sizeof *items);
	size_t n = 0, total = 0;
	if (cases_list(r->p->db, r->viewer->account.id, items, LIST_MAX, &n, &total) != 0) {
		api_fail_internal(r, "listing cases failed");
		return;
	}
	char today[DATE_LEN + 1];
	date_today(today);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct cases_list_item *it = &items[i];
		json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o}", "id", (json_int_t)it->id,
				      "organisation", it->org_code, "role", it->role, "phase",
				      it->phase, "phase_started_on", it->phase_started_on,
				      "opened_on", it->opened_on, "closed_on",
				      api_date(it->closed_on));
		due_json(o, *it->closed_on ? "" : it->phase_due, today);
		json_array_append_new(list, o);
	}
	api_reply(r, 200, json_pack("{s:o, s:I, s:s}", "cases", list, "total", (json_int_t)total,
				    "today", today));
}

/* ---- GET /api/v1/cases/{id} ---- */

static json_t *outcome_json(const struct cases_case *c)
{
	if (!*c->outcome)
		return json_null();
	json_t *m = json_array();
	for (size_t i = 0; i < c->nmeasures; i++)
		json_array_append_new(m, json_string(c->measures[i]));
	/* where the violation happened (issue 6 item 4): null when not recorded */
	json_t *proc = c->process_id ? json_pack("{s:I, s:s}", "id", (json_int_t)c->process_id,
						 "name", c->process_name)
				     : json_null();
	json_t *unit = c->unit_id ? json_pack("{s:I, s:s}", "id", (json_int_t)c->unit_id, "code",
					      c->unit_code)
				  : json_null();
	return json_pack("{s:s, s:s, s:{s:s, s:i}, s:o, s:o, s:o, s:o}", "outcome", c->outcome,
			 "category", c->category, "taxonomy", "id", c->taxonomy, "revision",
			 c->taxonomy_revision, "measures", m, "police_report",
			 c->police_report < 0 ? json_null() : json_boolean(c->police_report),
			 "process", proc, "unit", unit);
}

static json_t *phase_json(const struct cases_protocol *pr, const struct cases_case *c,
			  const char *today)
{
	int pi = pr ? cases_protocol_phase(pr, c->phase) : -1;
	json_t *o = json_pack("{s:s, s:o, s:s}", "id", c->phase, "title",
			      pi >= 0 ? text_json(&pr->phases[pi].title) : json_null(), "started_on",
			      c->phase_started_on);
	due_json(o, *c->closed_on ? "" : c->phase_due, today);
	return o;
}

/* The checklist of the current phase with what is done, and what keeps the
 * case in it. */
static int checklist_json(struct api_req *r, const struct cases_key *k,
			  const struct cases_protocol *pr, const struct cases_case *c, json_t *o)
{
	char done[CASES_MAX_CHECKLIST][CASES_ID_MAX + 1];
	size_t ndone = 0;
	struct cases_move open;
	struct cases_error e = {0};
	int has;
	if (cases_checked(r->p->db, k, done, CASES_MAX_CHECKLIST, &ndone, &e) != 0 ||
	    (has = cases_open_items(r->p->db, k, &open, &e)) < 0) {
		storage_failed(r, &e);
		return -1;
	}
	int pi = pr ? cases_protocol_phase(pr, c->phase) : -1;
	json_t *list = json_array();
	for (size_t i = 0; pi >= 0 && i < pr->phases[pi].nchecklist; i++) {
		const struct cases_check_item *it = &pr->phases[pi].checklist[i];
		int on = 0;
		for (size_t j = 0; j < ndone; j++)
			on |= strcmp(done[j], it->id) == 0;
		json_array_append_new(list, json_pack("{s:s, s:b, s:b}", "id", it->id, "required",
						      it->required, "done", on));
	}
	json_t *oc = json_array(), *om = json_array();
	for (size_t i = 0; has == 1 && i < open.nopen; i++)
		json_array_append_new(oc, json_string(open.open[i]->id));
	for (size_t i = 0; has == 1 && i < open.nmissing; i++)
		json_array_append_new(om, json_string(open.missing[i]->id));
	json_object_set_new(o, "checklist", list);
	json_object_set_new(o, "open", json_pack("{s:o, s:o}", "checklist", oc, "records", om));
	return 0;
}

/* What only members read: the joined reports' ids, the team, the people
 * involved with their names and the dates of their rights, and the kinds of
 * records the case holds. */
static int member_json(struct api_req *r, const struct cases_key *k, const struct cases_case *c,
		       json_t *o)
{
	struct cases_member *mem = arena_alloc(r->p->a, CASES_MEMBERS_MAX * sizeof *mem);
	struct cases_person *people = NULL;
	struct cases_text_item *recs = NULL;
	size_t nmem = 0, npeople = 0, nrecs = 0;
	struct cases_error e = {0};
	if (cases_members(r->p->db, k, mem, CASES_MEMBERS_MAX, &nmem, &e) != 0 ||
	    cases_people(r->p->db, k, &people, &npeople, &e) != 0 ||
	    cases_records(r->p->db, k, &recs, &nrecs, &e) != 0) {
		cases_people_free(people, npeople);
		cases_text_items_free(recs, nrecs);
		storage_failed(r, &e);
		return -1;
	}
	json_t *reports = json_array(), *team = json_array(), *ppl = json_array(),
	       *rl = json_array();
	for (size_t i = 0; i < c->nreports; i++)
		json_array_append_new(reports, json_integer(c->reports[i]));
	for (size_t i = 0; i < nmem; i++)
		json_array_append_new(team, json_pack("{s:I, s:s, s:s, s:s, s:s, s:o}", "account",
						      (json_int_t)mem[i].account_id, "username",
						      mem[i].username, "display_name",
						      mem[i].display_name, "role", mem[i].role,
						      "added_on", mem[i].added_on, "removed_on",
						      api_date(mem[i].removed_on)));
	for (size_t i = 0; i < npeople; i++) {
		const struct cases_person *x = &people[i];
		json_t *steps = json_object();
		for (int s = 0; s < CASES_STEP_COUNT; s++)
			json_object_set_new(steps, cases_step_name((enum cases_step)s),
					    api_date(x->on[s]));
		json_array_append_new(
			ppl, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "id",
				       (json_int_t)x->id, "party", x->party, "name",
				       x->name ? x->name : "", "function",
				       x->function ? x->function : "", "contact",
				       x->contact ? x->contact : "", "added_on", x->added_on,
				       "steps", steps, "reaction_due", api_date(x->reaction_due)));
	}
	/* the records' kinds and dates, not their text */
	for (size_t i = 0; i < nrecs; i++)
		json_array_append_new(rl, json_pack("{s:I, s:s, s:s, s:I}", "id",
						    (json_int_t)recs[i].id, "type", recs[i].type,
						    "created_at", recs[i].created_at, "author",
						    (json_int_t)recs[i].account_id));
	cases_people_free(people, npeople);
	cases_text_items_free(recs, nrecs);
	json_object_set_new(o, "reports", reports);
	json_object_set_new(o, "team", team);
	json_object_set_new(o, "people", ppl);
	json_object_set_new(o, "records", rl);
	return 0;
}

void api_case_get(struct api_req *r)
{
	struct cases_key k;
	if (case_key(r, 1, &k) != 0)
		return;
	struct cases_case *c = arena_alloc(r->p->a, sizeof *c);
	struct cases_error e = {0};
	memset(c, 0, sizeof *c);
	if (cases_read(r->p->db, &k, c, &e) != 0) {
		cases_key_wipe(&k);
		storage_failed(r, &e);
		return;
	}
	const struct cases_protocol *pr = cases_data_protocol_find(c->protocol,
								   c->protocol_revision);
	char today[DATE_LEN + 1];
	date_today(today);
	json_t *o = json_pack("{s:I, s:s, s:s, s:{s:s, s:i}, s:s, s:o, s:o, s:o, s:o}", "id",
			      (json_int_t)c->id, "organisation", c->org_code, "access",
			      k.full ? "member" : "authority", "protocol", "id", c->protocol,
			      "revision", c->protocol_revision, "opened_on", c->opened_on,
			      "closed_on", api_date(c->closed_on), "phase", phase_json(pr, c, today),
			      "outcome", outcome_json(c), "decided_on", api_date(c->decided_on));
	int rc = o ? checklist_json(r, &k, pr, c, o) : -1;
	if (rc == 0 && k.full)
		rc = member_json(r, &k, c, o);
	cases_key_wipe(&k);
	if (rc != 0) {
		json_decref(o);
		if (!o)
			api_fail_internal(r, "a case could not be put into JSON");
		return;
	}
	api_reply(r, 200, o);
}

/* ---- POST /api/v1/cases/{id}/phase ---- */

static json_t *ids_json(const struct cases_move *m, int records)
{
	json_t *a = json_array();
	size_t n = records ? m->nmissing : m->nopen;
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(records ? m->missing[i]->id : m->open[i]->id));
	return a;
}

static void refused(struct api_req *r, const struct cases_move *d)
{
	json_t *more = json_pack("{s:s, s:o, s:o}", "refusal", cases_move_code_name(d->code),
				 "open", ids_json(d, 0), "missing", ids_json(d, 1));
	if (d->kind == CASES_MOVE_DEVIATION)
		json_object_set_new(more, "approver_role", json_string(role_name(d->approver)));
	api_error_with(r, 409, "move_refused", d->msgid ? d->msgid : "The protocol does not "
		       "allow this move.", more);
}

/* The optional "deviation" object: {"approver": username, "reason": text}.
 * Returns 0 (with *has 0 when absent), or -1 having answered 400. */
static int read_deviation(struct api_req *r, struct cases_approval_in *a, int *has)
{
	json_t *d = json_object_get(r->body, "deviation");
	*has = 0;
	if (!d || json_is_null(d))
		return 0;
	json_t *ap = json_object_get(d, "approver"), *re = json_object_get(d, "reason");
	const char *why = NULL;
	if (!json_is_object(d) || json_object_size(d) != 2 || !json_is_string(ap) ||
	    !json_is_string(re))
		why = "A deviation is {\"approver\": user name, \"reason\": text}.";
	else if (json_string_length(re) > CASES_REASON_MAX)
		why = "The reason is too long.";
	struct account acc = {0};
	if (!why && accounts_by_name(r->p->db, json_string_value(ap), &acc) != 0)
		why = "No user has this user name.";
	if (why) {
		api_error_with(r, 400, "invalid_field", why, json_pack("{s:s}", "field", "deviation"));
		return -1;
	}
	a->approver_id = acc.id;
	a->reason = json_string_value(re);
	*has = 1;
	return 0;
}

void api_case_phase(struct api_req *r)
{
	const char *target;
	struct cases_approval_in appr = {0};
	int has = 0;
	if (api_string(r, "target", 1, CASES_ID_MAX, 0, &target, NULL) != 0 ||
	    read_deviation(r, &appr, &has) != 0)
		return;
	struct cases_key k;
	if (case_key(r, 1, &k) != 0)
		return;
	char today[DATE_LEN + 1];
	date_today(today);
	struct cases_move d;
	struct cases_error e = {0};
	memset(&d, 0, sizeof d);
	int rc = cases_move(r->p->db, r->p->signer, &k, r->viewer->account.id, target,
			    has ? &appr : NULL, today, &d, &e);
	struct cases_case *c = arena_alloc(r->p->a, sizeof *c);
	memset(c, 0, sizeof *c);
	if (rc == 0 && cases_read(r->p->db, &k, c, &e) != 0)
		rc = -1;
	cases_key_wipe(&k);
	if (rc == 0) {
		json_t *o = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)r->id, "phase", c->phase,
				      "phase_started_on", c->phase_started_on);
		due_json(o, c->phase_due, today);
		api_reply(r, 200, o);
		return;
	}
	if (e.code == CASES_EPROTOCOL) {
		refused(r, &d);
	} else if (e.code == CASES_EDENIED) {
		api_error_with(r, 409, "move_refused", "The approver does not hold the role that "
			       "must approve this move.",
			       json_pack("{s:s}", "refusal", "wrong_approver"));
	} else if (e.code == CASES_EINVALID) {
		api_error_with(r, 400, "invalid_field", "The move was refused as malformed.",
			       json_pack("{s:s}", "field", has ? "deviation" : "target"));
	} else {
		storage_failed(r, &e);
	}
}

/* ---- POST /api/v1/cases/{id}/outcome ---- */

static int bad_field(struct api_req *r, const char *field, const char *why)
{
	api_error_with(r, 400, "invalid_field", why, json_pack("{s:s}", "field", field));
	return -1;
}

/* Reads and checks the outcome body against the current lists. */
static int read_outcome(struct api_req *r, const char **outcome, const char **category,
			const char **measures, size_t *nm, int *police)
{
	if (api_string(r, "outcome", 1, 16, 0, outcome, NULL) != 0 ||
	    api_string(r, "category", 1, CASES_ID_MAX, 0, category, NULL) != 0)
		return -1;
	if (strcmp(*outcome, "established") != 0 && strcmp(*outcome, "partly") != 0 &&
	    strcmp(*outcome, "not_established") != 0)
		return bad_field(r, "outcome", "The outcome is established, partly or "
				 "not_established.");
	const struct cases_taxonomy *tx = cases_data_taxonomy();
	if (!tx || !cases_taxonomy_find(tx, *category))
		return bad_field(r, "category", "The category is not on the current list.");
	json_t *pr = json_object_get(r->body, "police_report");
	if (!json_is_boolean(pr)) {
		if (!pr || json_is_null(pr)) {
			api_error_with(r, 400, "missing_field", "A required field is missing.",
				       json_pack("{s:s}", "field", "police_report"));
			return -1;
		}
		return bad_field(r, "police_report", "This field must be true or false.");
	}
	*police = json_is_true(pr);
	json_t *m = json_object_get(r->body, "measures");
	const struct cases_measures *ms = cases_data_measures();
	*nm = 0;
	if (!m || json_is_null(m))
		return 0;
	if (!json_is_array(m) || json_array_size(m) > CASES_CASE_MEASURES_MAX)
		return bad_field(r, "measures", "Measures are a list of at most 10 codes.");
	for (size_t i = 0; i < json_array_size(m); i++) {
		const char *code = json_string_value(json_array_get(m, i));
		if (!code || !ms || !cases_measures_find(ms, code))
			return bad_field(r, "measures", "A measure is not on the current list.");
		for (size_t j = 0; j < *nm; j++)
			if (strcmp(measures[j], code) == 0)
				return bad_field(r, "measures", "A measure is listed twice.");
		measures[(*nm)++] = code;
	}
	return 0;
}

/* The optional place of the violation: "process_id" and "unit_id", each a
 * positive integer or null. Neither given: *given 0 and the recorded place
 * stays; either given: both replace it (absent or null: not recorded). */
static int read_place(struct api_req *r, struct cases_place *pl, int *given)
{
	static const char *const keys[] = {"process_id", "unit_id"};
	int64_t *to[] = {&pl->process_id, &pl->unit_id};
	*pl = (struct cases_place){0};
	*given = 0;
	for (size_t i = 0; i < 2; i++) {
		json_t *v = json_object_get(r->body, keys[i]);
		if (!v)
			continue;
		*given = 1;
		if (json_is_null(v))
			continue;
		if (!json_is_integer(v) || json_integer_value(v) < 1)
			return bad_field(r, keys[i], "This field is a positive id or null.");
		*to[i] = (int64_t)json_integer_value(v);
	}
	return 0;
}

void api_case_outcome(struct api_req *r)
{
	const char *outcome, *category, *measures[CASES_CASE_MEASURES_MAX];
	size_t nm = 0;
	int police = 0, place_given = 0;
	struct cases_place place;
	if (data_ready(r) != 0 || read_outcome(r, &outcome, &category, measures, &nm, &police) != 0 ||
	    read_place(r, &place, &place_given) != 0)
		return;
	struct cases_key k;
	if (case_key(r, 0, &k) != 0)
		return;
	struct cases_error e = {0};
	struct cases_case *c = arena_alloc(r->p->a, sizeof *c);
	memset(c, 0, sizeof *c);
	int rc = cases_set_outcome_at(r->p->db, r->p->signer, &k, r->viewer->account.id, outcome,
				      category, measures, nm, police, place_given ? &place : NULL,
				      &e);
	if (rc == 0 && cases_read(r->p->db, &k, c, &e) != 0)
		rc = -1;
	cases_key_wipe(&k);
	if (rc == 0) {
		json_t *o = outcome_json(c);
		json_object_set_new(o, "id", json_integer(r->id));
		api_reply(r, 200, o);
	} else if (e.code == CASES_EDENIED) {
		api_error(r, 403, "not_case_coordinator", "Only the case's coordinator records the "
			  "outcome.");
	} else if (e.code == CASES_EINVALID && strstr(e.msg, "risk register")) {
		bad_field(r, "process_id", "The process is not in the risk register of the case's "
			  "department.");
	} else if (e.code == CASES_EINVALID && strstr(e.msg, "unit of the case")) {
		bad_field(r, "unit_id", "The unit is not part of the case's department.");
	} else if (e.code == CASES_EINVALID) {
		bad_field(r, "category", "The outcome was refused: a code is not on the current "
			  "lists.");
	} else {
		storage_failed(r, &e);
	}
}
