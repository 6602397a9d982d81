/* api_view.c: a report and its conversation as JSON, and a message added to
 * it, the same for the reporter (a receipt session) and its handlers: both
 * may read all of it.
 * What only handlers see (internal notes) is not here, so that a receipt
 * session can never be given it by mistake. Decrypted text passes through
 * jansson, whose memory is wiped when freed (api_json_wipe_on_free). */
#include <string.h>

#include "app/api_req.h"

const char *api_report_status(const char *acknowledged_on, const char *feedback_on,
			      const char *handed_over_on)
{
	if (handed_over_on && *handed_over_on)
		return "handed_over";
	if (feedback_on && *feedback_on)
		return "feedback_given";
	if (acknowledged_on && *acknowledged_on)
		return "acknowledged";
	return "received";
}

/* The report's metadata, answers (and identity) as one object, or NULL with
 * the answer given (the stored body does not parse: damaged). */
static json_t *report_json(struct api_req *r, const struct intake_report *rep)
{
	/* the body as intake.h stores it: {"v":1,"answers":{...},"identity":...} */
	json_t *body = json_loadb(rep->body, rep->body_len, JSON_REJECT_DUPLICATES, NULL);
	json_t *answers = body ? json_object_get(body, "answers") : NULL;
	json_t *identity = body ? json_object_get(body, "identity") : NULL;
	if (!json_is_object(answers) || !(json_is_string(identity) || json_is_null(identity))) {
		json_decref(body);
		api_fail_internal(r, "a stored report body is not in the expected form");
		return NULL;
	}
	json_t *o = json_pack(
		"{s:I, s:s, s:s, s:s, s:{s:s, s:I}, s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:b, s:o,"
		" s:I, s:O, s:O}",
		"id", (json_int_t)rep->id, "organisation", rep->org_code, "kind", rep->kind, "mode",
		rep->mode, "questionnaire", "id", rep->questionnaire, "revision",
		(json_int_t)rep->questionnaire_revision, "status",
		api_report_status(rep->acknowledged_on, rep->feedback_on, rep->handed_over_on),
		"received_on", rep->received_on, "acknowledgement_due", rep->ack_due,
		"acknowledged_on", api_date(rep->acknowledged_on), "feedback_due", rep->feedback_due,
		"feedback_on", api_date(rep->feedback_on), "handed_over_on",
		api_date(rep->handed_over_on), "registered", rep->registered_by != 0,
		"record_agreed_on", api_date(rep->record_agreed_on), "attachments",
		(json_int_t)rep->nattachments, "answers", answers, "identity", identity);
	json_decref(body);
	if (!o)
		api_fail_internal(r, "a report could not be put into JSON");
	return o;
}

/* The conversation of the report of k as an array, or NULL with the answer
 * given. */
static json_t *messages_json(struct api_req *r, const struct intake_key *k)
{
	struct intake_message *m = NULL;
	size_t n = 0;
	struct intake_error e = {0};
	if (intake_messages(r->p->db, k, &m, &n, &e) != 0) {
		api_intake_internal(r, e.code, e.msg);
		return NULL;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *text = json_stringn(m[i].text, m[i].text_len);
		json_t *one = json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)m[i].id, "from",
					m[i].from_reporter ? "reporter" : "handler", "created_at",
					m[i].created_at, "text", text);
		if (!one) {
			json_decref(list);
			intake_messages_free(m, n);
			api_fail_internal(r, "a message could not be put into JSON");
			return NULL;
		}
		/* who wrote, for a handler's message: their name is no secret to
		 * the reporter, whose report they handle (docs/openapi.yaml) */
		if (!m[i].from_reporter)
			json_object_set_new(one, "author", json_string(m[i].author_name));
		json_array_append_new(list, one);
	}
	intake_messages_free(m, n);
	return list;
}

/* Answers a failed intake call on a report: gone (through not_found when
 * given) or ours (500). */
static void report_failed(struct api_req *r, const struct intake_error *e,
			  api_answer_fn not_found)
{
	if (e->code == INTAKE_ENOTFOUND && not_found)
		not_found(r);
	else
		api_intake_internal(r, e->code, e->msg);
}

void api_report_reply(struct api_req *r, api_key_fn open_key, api_answer_fn not_found)
{
	struct intake_key k;
	struct intake_report rep = {0};
	struct intake_error e = {0};
	if (open_key(r, &k) != 0)
		return;
	if (intake_read(r->p->db, &k, &rep, &e) != 0) {
		report_failed(r, &e, not_found);
		goto out;
	}
	json_t *o = report_json(r, &rep);
	json_t *msgs = o ? messages_json(r, &k) : NULL;
	if (!msgs) {
		json_decref(o);
		goto out;
	}
	json_object_set_new(o, "messages", msgs);
	api_reply(r, 200, o);
out:
	intake_report_free(&rep);
	intake_key_wipe(&k);
}

void api_message_post(struct api_req *r, api_key_fn open_key, int64_t account_id,
		      api_answer_fn not_found)
{
	const char *text;
	size_t len;
	if (api_string(r, "text", 1, INTAKE_MESSAGE_MAX, 1, &text, &len))
		return;
	if (len == 0) {
		api_error_with(r, 400, "invalid_field", "The message is empty.",
			       json_pack("{s:s}", "field", "text"));
		return;
	}
	struct intake_key k;
	struct intake_error e = {0};
	int64_t id = 0;
	if (open_key(r, &k) != 0)
		return;
	int rc = intake_message_add(r->p->db, r->p->signer, &k, account_id, text, len, NULL, 0, &id,
				    &e);
	intake_key_wipe(&k);
	if (rc != 0) {
		if (e.code == INTAKE_EINVALID)
			api_error_with(r, 400, "invalid_field", "The message was refused: it is too "
				       "long or holds characters that are not allowed.",
				       json_pack("{s:s}", "field", "text"));
		else
			report_failed(r, &e, not_found);
		return;
	}
	api_reply(r, 201, json_pack("{s:I}", "id", (json_int_t)id));
}
