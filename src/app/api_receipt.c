/* api_receipt.c: the reporter with a receipt: a receipt session, their report
 * with its conversation, a message to the handlers, signing out.
 *
 * Guessing receipts is throttled per client and for all clients together,
 * counting only receipts that open nothing (a mistyped receipt, whose check
 * symbols fail, is a typo rather than a guess and is not counted; nor is
 * one without a receipt's shape, which cannot open anything). */
#include <sodium.h>
#include <string.h>

#include "app/api_req.h"
#include "crypto/receipt.h"

void api_receipt_session(struct api_req *r)
{
	const char *receipt;
	if (api_string(r, "receipt", 1, RECEIPT_INPUT_MAX, 0, &receipt, NULL))
		return;
	int wait = api_receipt_wait(r);
	if (wait == THROTTLE_EDB) {
		api_error(r, 503, "unavailable", "Receipts cannot be checked right now. Try "
			  "again in a few minutes.");
		return;
	}
	if (wait) {
		http_add_header(r->p->res, "Retry-After", arena_printf(r->p->a, "%d", wait));
		api_error_with(r, 429, "too_many_attempts", "Too many receipts that open nothing "
			       "were tried. Wait before trying again (see Retry-After).",
			       json_pack("{s:i}", "retry_after", wait));
		return;
	}
	char token[SESSION_TOKEN_LEN + 1];
	struct intake_rsession rs;
	struct intake_error e = {0};
	if (intake_rsession_create(r->p->db, receipt, r->p->lang, r->now, token, &rs, &e) != 0) {
		switch (e.code) {
		case INTAKE_EINVALID:
			api_error(r, 400, "receipt_malformed", "This is not a receipt: a receipt has "
				  "22 letters and digits, in groups of four.");
			break;
		case INTAKE_EMISTYPED:
			api_error(r, 400, "receipt_mistyped", "This receipt has a typing error. "
				  "Check every character and try again.");
			break;
		case INTAKE_ENOTFOUND:
			api_receipt_failed(r);
			api_error(r, 404, "receipt_not_found", "No report has this receipt.");
			break;
		default:
			api_intake_internal(r, e.code, e.msg);
		}
		return;
	}
	api_reply(r, 201, json_pack("{s:s, s:s, s:i, s:i}", "token", token, "token_type",
				    "Bearer", "expires_in", r->env->limits.absolute_seconds,
				    "idle_timeout", r->env->limits.idle_seconds));
	sodium_memzero(token, sizeof token);
	sodium_memzero(&rs, sizeof rs);
}

void api_receipt_session_end(struct api_req *r)
{
	if (intake_rsession_destroy(r->p->db, r->rs) != 0) {
		api_fail_internal(r, "ending a receipt session failed");
		return;
	}
	api_reply(r, 204, NULL);
}

/* The report key of this session; answers and returns -1 when it does not
 * open (the session ended meanwhile). */
static int session_key(struct api_req *r, struct intake_key *k)
{
	if (intake_rsession_key(r->p->db, r->rs, k) == 0)
		return 0;
	http_add_header(r->p->res, "WWW-Authenticate",
			"Bearer realm=\"probity\", error=\"invalid_token\"");
	api_error(r, 401, "invalid_token", "This token is not valid or has expired. "
		  "Start a new session.");
	return -1;
}

void api_receipt_report(struct api_req *r)
{
	api_report_reply(r, session_key, NULL);
}

void api_receipt_message(struct api_req *r)
{
	api_message_post(r, session_key, 0, NULL);
}
