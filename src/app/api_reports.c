/* api_reports.c: what a reporter needs without signing in: the questionnaire
 * to answer, the handlers of an organisation (to exclude some), and
 * submitting a report, which answers with the receipt once.
 *
 * A submission is checked here as the report pages check theirs: the
 * answers against the current questionnaire (intake_answers_check), the kind
 * against the answer to the questionnaire's "kind" field, the recused
 * accounts against the organisation's recipients; intake_submit then stores
 * it in one transaction, or nothing. Attachments are not taken through this
 * API version: a file question can only be left unanswered. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "app/api_req.h"
#include "intake/clock.h"
#include "intake/qset.h"

#define RECIPIENTS_MAX 256
#define RECUSED_MAX 64

static json_t *text_json(const struct intake_text *t)
{
	return t->nl ? json_pack("{s:s, s:s}", "nl", t->nl, "en", t->en) : NULL;
}

/* Sets key to the text when it was given. */
static void set_text(json_t *o, const char *key, const struct intake_text *t)
{
	json_t *v = text_json(t);
	if (v)
		json_object_set_new(o, key, v);
}

static json_t *field_json(const struct intake_questionnaire *q, const struct intake_field *f)
{
	json_t *o = json_pack("{s:s, s:s, s:b}", "id", f->id, "type", intake_ftype_name(f->type),
			      "required", f->required);
	set_text(o, "label", &f->label);
	set_text(o, "help", &f->help);
	if (f->type == INTAKE_F_TEXT || f->type == INTAKE_F_LONGTEXT)
		json_object_set_new(o, "max_length", json_integer((json_int_t)f->max_len));
	if (f->type == INTAKE_F_FILE)
		json_object_set_new(o, "max_files", json_integer(f->max_files));
	if (f->nchoices) {
		json_t *cs = json_array();
		for (size_t i = 0; i < f->nchoices; i++) {
			json_t *c = json_pack("{s:s}", "id", f->choices[i].id);
			set_text(c, "label", &f->choices[i].label);
			set_text(c, "help", &f->choices[i].help);
			json_array_append_new(cs, c);
		}
		json_object_set_new(o, "choices", cs);
	}
	if (f->show_if) {
		json_t *in = json_array();
		for (size_t i = 0; i < f->show_if->nvalues; i++)
			json_array_append_new(in, json_string(f->show_if->values[i]));
		json_object_set_new(o, "show_if", json_pack("{s:s, s:o}", "field",
							    q->fields[f->show_if->field].id,
							    "in", in));
	}
	return o;
}

void api_questionnaire(struct api_req *r)
{
	const struct intake_questionnaire *q = intake_qset_current();
	if (!q) {
		api_fail_internal(r, "no questionnaire is loaded");
		return;
	}
	json_t *steps = json_array();
	for (size_t s = 0; s < q->nsteps; s++) {
		const struct intake_step *st = &q->steps[s];
		json_t *fields = json_array();
		for (size_t i = st->first; i < st->first + st->nfields; i++)
			json_array_append_new(fields, field_json(q, &q->fields[i]));
		json_t *o = json_pack("{s:s, s:o}", "id", st->id, "fields", fields);
		set_text(o, "title", &st->title);
		set_text(o, "help", &st->help);
		json_array_append_new(steps, o);
	}
	json_t *o = json_pack("{s:s, s:i, s:o}", "id", q->id, "revision", q->revision, "steps",
			      steps);
	set_text(o, "title", &q->title);
	api_reply(r, 200, o);
}

/* The recipients of code into out (RECIPIENTS_MAX); answers and returns -1
 * on a failure or an unknown organisation (status for that one given). */
static int recipients(struct api_req *r, const char *code, int unknown_status,
		      struct intake_recipient *out, size_t *n, struct org *org)
{
	char today[DATE_LEN + 1];
	date_today(today);
	int f = orgs_lookup(r->p->db, code, today, org);
	if (f == 0 && intake_recipients(r->p->db, org->code, out, RECIPIENTS_MAX, n) != 0)
		f = -1;
	if (f < 0) {
		api_fail_internal(r, "reading recipients failed");
		return -1;
	}
	if (f == 1) {
		api_error(r, unknown_status, "unknown_organisation", "There is no organisation "
			  "with this code.");
		return -1;
	}
	return 0;
}

void api_recipients(struct api_req *r)
{
	struct intake_recipient *rec = arena_alloc(r->p->a, RECIPIENTS_MAX * sizeof *rec);
	size_t n = 0;
	struct org org;
	if (recipients(r, r->code, 404, rec, &n, &org) != 0)
		return;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s}", "id",
						      (json_int_t)rec[i].account_id, "display_name",
						      rec[i].display_name, "role",
						      role_name((enum role)rec[i].role),
						      "organisation", rec[i].org_code));
	api_reply(r, 200, json_pack("{s:{s:s, s:s}, s:o}", "organisation", "code", org.code,
				    "name", org.name, "recipients", list));
}

static int one_of(const char *s, const char *a, const char *b, const char *c)
{
	return strcmp(s, a) == 0 || strcmp(s, b) == 0 || strcmp(s, c) == 0;
}

static void invalid_field(struct api_req *r, const char *field, const char *message)
{
	api_error_with(r, 400, "invalid_field", message, json_pack("{s:s}", "field", field));
}

/* The answers object as intake_answer entries; answers 400 and returns -1
 * when it is not an object of strings. */
static int read_answers(struct api_req *r, json_t *obj, struct intake_answer **out, size_t *n)
{
	if (!json_is_object(obj)) {
		if (!obj || json_is_null(obj))
			api_error_with(r, 400, "missing_field", "A required field is missing.",
				       json_pack("{s:s}", "field", "answers"));
		else
			invalid_field(r, "answers", "The answers must be an object keyed by the "
				      "questionnaire's field ids.");
		return -1;
	}
	size_t count = json_object_size(obj);
	if (count > INTAKE_MAX_ANSWERS) {
		invalid_field(r, "answers", "There are more answers than the questionnaire has "
			      "questions.");
		return -1;
	}
	struct intake_answer *a = arena_alloc(r->p->a, (count + 1) * sizeof *a);
	const char *key;
	json_t *v;
	size_t i = 0;
	json_object_foreach(obj, key, v) {
		if (!json_is_string(v)) {
			invalid_field(r, "answers", "Every answer must be a string (\"yes\"/\"no\", "
				      "a choice's id, a date YYYY-MM-DD, or text).");
			return -1;
		}
		a[i++] = (struct intake_answer){.field = key, .value = json_string_value(v),
						.len = json_string_length(v)};
	}
	*out = a;
	*n = i;
	return 0;
}

static void invalid_answers(struct api_req *r, const struct intake_answer_errors *errs)
{
	json_t *list = json_array();
	for (size_t i = 0; i < errs->n; i++)
		json_array_append_new(list, json_pack("{s:s, s:s}", "field", errs->e[i].field,
						      "message", errs->e[i].msgid));
	api_error_with(r, 422, "invalid_answers", "Some answers are missing or not valid; see "
		       "fields.", json_pack("{s:o, s:I}", "fields", list, "total",
					    (json_int_t)errs->total));
}

/* The recused account ids; answers and returns -1 when they are not a list
 * of this organisation's recipients, or leave none. */
static int read_recused(struct api_req *r, const char *org_code, int64_t **out, size_t *n)
{
	json_t *list = json_object_get(r->body, "recused");
	*out = NULL;
	*n = 0;
	if (!list || json_is_null(list))
		return 0;
	if (!json_is_array(list) || json_array_size(list) > RECUSED_MAX) {
		invalid_field(r, "recused", "recused must be a list of at most 64 account ids.");
		return -1;
	}
	struct intake_recipient *rec = arena_alloc(r->p->a, RECIPIENTS_MAX * sizeof *rec);
	size_t nrec = 0;
	struct org org;
	if (recipients(r, org_code, 422, rec, &nrec, &org) != 0)
		return -1;
	int64_t *ids = arena_alloc(r->p->a, (json_array_size(list) + 1) * sizeof *ids);
	size_t k = 0, i;
	json_t *v;
	json_array_foreach(list, i, v) {
		int64_t id = json_is_integer(v) ? json_integer_value(v) : 0;
		int found = 0, twice = 0;
		for (size_t j = 0; j < nrec && !found; j++)
			found = rec[j].account_id == id;
		for (size_t j = 0; j < k && !twice; j++)
			twice = ids[j] == id;
		if (!found) {
			api_error(r, 422, "invalid_recusal", "recused may only name recipients of "
				  "this organisation (GET /api/v1/organisations/{code}/recipients).");
			return -1;
		}
		if (!twice)
			ids[k++] = id;
	}
	if (nrec > 0 && k == nrec) {
		api_error(r, 409, "all_recused", "Everyone who could receive this report is "
			  "excluded: leave at least one recipient.");
		return -1;
	}
	*out = ids;
	*n = k;
	return 0;
}

/* Stores the checked submission and answers 201 with the receipt. */
static void submit(struct api_req *r, const struct intake_submission *s)
{
	char receipt[RECEIPT_SHOWN_SIZE], today[DATE_LEN + 1], ack[DATE_LEN + 1],
		feedback[DATE_LEN + 1];
	struct intake_error e = {0};
	int64_t id = 0;
	if (intake_submit(r->p->db, r->p->signer, s, receipt, &id, &e) != 0) {
		switch (e.code) {
		case INTAKE_ENOTFOUND:
			api_error(r, 422, "unknown_organisation", "There is no organisation with "
				  "this code.");
			break;
		case INTAKE_ECONFLICT:
			api_error(r, 409, "no_recipient", "Nobody can receive reports for this "
				  "organisation yet. Choose another or report elsewhere.");
			break;
		case INTAKE_EINVALID:
			api_error(r, 422, "invalid_report", "The report was refused as invalid.");
			break;
		default:
			api_intake_internal(r, e.code, e.msg);
		}
		return;
	}
	date_today(today);
	if (intake_ack_due(today, ack) != 0 || intake_feedback_due(today, NULL, feedback) != 0)
		ack[0] = feedback[0] = 0;
	api_reply(r, 201, json_pack("{s:s, s:s, s:o, s:o}", "receipt", receipt, "received_on",
				    today, "acknowledgement_due", api_date(ack), "feedback_due",
				    api_date(feedback)));
	sodium_memzero(receipt, sizeof receipt);
}

void api_report_submit(struct api_req *r)
{
	const struct intake_questionnaire *q = intake_qset_current();
	const char *org, *kind, *mode, *identity;
	struct intake_answer *a = NULL;
	size_t na = 0;
	if (!q) {
		api_fail_internal(r, "no questionnaire is loaded");
		return;
	}
	if (api_string(r, "organisation", 1, ORG_CODE_MAX, 0, &org, NULL) ||
	    api_string(r, "kind", 1, INTAKE_KIND_MAX, 0, &kind, NULL) ||
	    api_string(r, "mode", 1, INTAKE_MODE_MAX, 0, &mode, NULL) ||
	    api_string(r, "identity", 0, INTAKE_IDENTITY_MAX, 1, &identity, NULL))
		return;
	if (!one_of(kind, "integrity_violation", "wrongdoing", "unwanted_behaviour")) {
		invalid_field(r, "kind", "kind must be integrity_violation, wrongdoing or "
			      "unwanted_behaviour.");
		return;
	}
	if (!one_of(mode, "open", "confidential", "anonymous")) {
		invalid_field(r, "mode", "mode must be open, confidential or anonymous.");
		return;
	}
	json_t *rev = json_object_get(r->body, "questionnaire_revision");
	if (rev && !json_is_null(rev) &&
	    (!json_is_integer(rev) || json_integer_value(rev) != q->revision)) {
		api_error_with(r, 409, "questionnaire_changed", "The questionnaire has a newer "
			       "revision: fetch GET /api/v1/questionnaire and answer that one.",
			       json_pack("{s:i}", "revision", q->revision));
		return;
	}
	if (identity && *identity && strcmp(mode, "anonymous") == 0) {
		api_error(r, 422, "identity_not_allowed", "An anonymous report carries no identity: "
			  "leave identity out, or choose the open or confidential mode.");
		return;
	}
	json_t *answers = json_object_get(r->body, "answers");
	if (read_answers(r, answers, &a, &na) != 0)
		return;
	char today[DATE_LEN + 1];
	date_today(today);
	struct intake_answer_errors *errs = arena_alloc(r->p->a, sizeof *errs);
	if (intake_answers_check(q, a, na, today, errs) != 0) {
		invalid_answers(r, errs);
		return;
	}
	json_t *kind_answer = json_object_get(answers, "kind");
	if (intake_q_field(q, "kind") >= 0 && json_is_string(kind_answer) &&
	    json_string_length(kind_answer) > 0 && strcmp(json_string_value(kind_answer), kind)) {
		api_error(r, 422, "kind_mismatch", "kind must equal the answer to the "
			  "questionnaire's \"kind\" question.");
		return;
	}
	int64_t *recused;
	size_t nrecused;
	if (read_recused(r, org, &recused, &nrecused) != 0)
		return;
	size_t len = 0;
	char *text = json_dumps(answers, JSON_COMPACT);
	if (!text) {
		api_fail_internal(r, "the answers could not be written as JSON");
		return;
	}
	len = strlen(text);
	struct intake_submission s = {
		.org_code = org, .kind = kind, .mode = mode, .questionnaire = q->id,
		.questionnaire_revision = q->revision, .answers = text, .answers_len = len,
		.identity = identity, .recused = recused, .nrecused = nrecused,
	};
	submit(r, &s);
	sodium_memzero(text, len);
	free(text);
}
