/* api_view.c: a report and its conversation as JSON, the same for the
 * reporter (a receipt session) and its handlers: both may read all of it.
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

json_t *api_report_json(struct api_req *r, const struct intake_report *rep)
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

json_t *api_messages_json(struct api_req *r, const struct intake_key *k)
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
