/* api_handler.c: the handlers of reports (integrity coordinators and
 * confidential advisers): their inbox, a report with its conversation, the
 * acknowledgement, a message to the reporter.
 *
 * A report opens only with the key sealed to the caller's account, unwrapped
 * with the secret key the session holds: a report that does not exist and
 * one that is not the caller's get the same 404, so that ids tell nobody
 * which reports exist. */
#include <sodium.h>
#include <string.h>

#include "app/api_req.h"
#include "intake/clock.h"

#define INBOX_MAX 500

static void not_found(struct api_req *r)
{
	api_error(r, 404, "report_not_found", "There is no report with this number that you "
		  "handle.");
}

/* Opens the key of report {id} for the caller; answers and returns -1 when
 * it does not open. */
static int handler_key(struct api_req *r, struct intake_key *k)
{
	unsigned char sk[32];
	struct intake_error e = {0};
	if (session_secret_key(r->p->db, &r->viewer->session, sk) != 0) {
		api_fail_internal(r, "the session's key does not open");
		return -1;
	}
	int rc = intake_key_as_handler(r->p->db, r->id, r->viewer->account.id, sk, k, &e);
	sodium_memzero(sk, sizeof sk);
	if (rc == 0)
		return 0;
	if (e.code == INTAKE_ENOTFOUND)
		not_found(r);
	else
		api_intake_internal(r, e.code, e.msg);
	return -1;
}

static json_t *clock_json(const struct intake_clock *c)
{
	static const char *const states[] = {"running", "overdue", "met"};
	return json_pack("{s:s, s:s, s:o, s:i}", "state", states[c->state], "due", c->due,
			 "done_on", api_date(c->done), "days", c->days);
}

static json_t *inbox_item(const struct intake_inbox_item *it, const char *today)
{
	json_t *o = json_pack(
		"{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:b}", "id", (json_int_t)it->id,
		"organisation", it->org_code, "kind", it->kind, "mode", it->mode, "status",
		api_report_status(it->acknowledged_on, it->feedback_on, it->handed_over_on),
		"received_on", it->received_on, "acknowledgement_due", it->ack_due,
		"acknowledged_on", api_date(it->acknowledged_on), "feedback_due", it->feedback_due,
		"feedback_on", api_date(it->feedback_on), "handed_over_on",
		api_date(it->handed_over_on), "registered", it->registered);
	struct intake_clocks c;
	if (o && intake_clocks_status(it->received_on, *it->acknowledged_on ? it->acknowledged_on
									  : NULL,
				      *it->feedback_on ? it->feedback_on : NULL, today, &c) == 0) {
		json_object_set_new(o, "acknowledgement", clock_json(&c.ack));
		json_object_set_new(o, "feedback", clock_json(&c.feedback));
		json_object_set_new(o, "acknowledgement_overdue",
				    json_boolean(c.ack.state == INTAKE_CLOCK_OVERDUE));
		json_object_set_new(o, "feedback_overdue",
				    json_boolean(c.feedback.state == INTAKE_CLOCK_OVERDUE));
	}
	return o;
}

void api_inbox(struct api_req *r)
{
	struct intake_inbox_item *items = arena_alloc(r->p->a, INBOX_MAX * sizeof *items);
	size_t n = 0, total = 0;
	if (intake_inbox(r->p->db, r->viewer->account.id, items, INBOX_MAX, &n, &total) != 0) {
		api_fail_internal(r, "reading an inbox failed");
		return;
	}
	char today[DATE_LEN + 1];
	date_today(today);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, inbox_item(&items[i], today));
	api_reply(r, 200, json_pack("{s:o, s:I, s:s}", "reports", list, "total",
				    (json_int_t)total, "today", today));
}

void api_report_get(struct api_req *r)
{
	api_report_reply(r, handler_key, not_found);
}

void api_report_ack(struct api_req *r)
{
	char today[DATE_LEN + 1], due[DATE_LEN + 1];
	struct intake_error e = {0};
	date_today(today);
	if (intake_acknowledge(r->p->db, r->p->signer, r->id, r->viewer->account.id, today, &e) !=
	    0) {
		if (e.code == INTAKE_ENOTFOUND)
			not_found(r);
		else if (e.code == INTAKE_ECONFLICT)
			api_error(r, 409, "already_acknowledged", "This report was acknowledged "
				  "already.");
		else if (e.code == INTAKE_EINVALID)
			api_error(r, 409, "conflict", "The report cannot be acknowledged today.");
		else
			api_intake_internal(r, e.code, e.msg);
		return;
	}
	/* clock.h: once acknowledged, feedback is due 3 months after that day */
	if (date_add_months(today, INTAKE_FEEDBACK_MONTHS, due) != 0) {
		api_fail_internal(r, "computing the feedback date failed");
		return;
	}
	api_reply(r, 200, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)r->id, "status",
				    "acknowledged", "acknowledged_on", today, "feedback_due", due));
}

void api_report_message(struct api_req *r)
{
	api_message_post(r, handler_key, r->viewer->account.id, not_found);
}
