/* api_req.h: what an API handler receives and the few ways it answers; the
 * handlers of the JSON API (api_*.c). Inside src/app only: app.c reaches the
 * API through api.h. Answers are JSON; errors are
 *   {"error": {"code": "receipt_not_found", "message": "..."}}
 * with a stable snake_case code (docs/openapi.yaml lists them) and an English
 * message that never repeats what the caller sent. */
#ifndef APP_API_REQ_H
#define APP_API_REQ_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "accounts/viewer.h"
#include "app/api.h"
#include "app/api_routes.h"
#include "intake/rsession.h"
#include "web/page.h"

struct api_req {
	struct page *p;            /* db, request, response, arena, signer */
	struct api_env *env;
	const struct api_route *route;
	int64_t id;                /* {id} of the path, or 0 */
	char code[ORG_CODE_MAX + 1]; /* {code} of the path, or "" */
	json_t *body;              /* the JSON object sent; NULL when none */
	struct viewer *viewer;     /* API_USER routes: who is calling */
	struct intake_rsession *rs; /* API_RECEIPT routes: the reporter's session */
	time_t now;
};

/* Answers status with body (a reference the answer takes; NULL: no body). */
void api_reply(struct api_req *r, int status, json_t *body);
/* Answers an error. message is English, fixed text: never input. */
void api_error(struct api_req *r, int status, const char *code, const char *message);
/* The same, with more members merged into the error object (taken). */
void api_error_with(struct api_req *r, int status, const char *code, const char *message,
		    json_t *more);
/* 500 for a failure on our side: logs what (never content) and answers. */
void api_fail_internal(struct api_req *r, const char *what);

/* Reads a string field of the body. required: absent (or null) is an error;
 * otherwise *out is NULL when absent. At most max bytes; multiline allows
 * tab, CR and LF, other control characters are refused always. Returns 0, or
 * -1 having answered 400 ("missing_field" / "invalid_field"). */
int api_string(struct api_req *r, const char *key, int required, size_t max, int multiline,
	       const char **out, size_t *len);

/* The receipt throttles (api.c): seconds to wait before this client may try a
 * receipt (per client and for everyone together), 0 when it may,
 * THROTTLE_EDB when the throttle cannot be read (refuse: fail closed); and
 * the count of a failed one. */
int api_receipt_wait(struct api_req *r);
void api_receipt_failed(struct api_req *r);

/* An intake failure that is ours (INTAKE_EDB, INTAKE_EDAMAGED): 500. */
void api_intake_internal(struct api_req *r, int code, const char *msg);

/* JSON of a date: the string, or null when "". */
json_t *api_date(const char *d);

/* ---- handlers (api_*.c), referenced by the table ---- */

/* api_reports.c: what a reporter needs before and for submitting */
void api_questionnaire(struct api_req *r);
void api_recipients(struct api_req *r);
void api_report_submit(struct api_req *r);
/* api_receipt.c: the reporter with a receipt */
void api_receipt_session(struct api_req *r);
void api_receipt_session_end(struct api_req *r);
void api_receipt_report(struct api_req *r);
void api_receipt_message(struct api_req *r);
/* api_session.c: users signing in and out */
void api_session(struct api_req *r);
void api_session_end(struct api_req *r);
/* api_handler.c: the handlers of reports */
void api_inbox(struct api_req *r);
void api_report_get(struct api_req *r);
void api_report_ack(struct api_req *r);
void api_report_message(struct api_req *r);
/* api_cases.c: cases (src/cases) */
void api_cases(struct api_req *r);
void api_case_get(struct api_req *r);
void api_case_phase(struct api_req *r);
void api_case_outcome(struct api_req *r);

/* api_view.c: what the reporter (a receipt session) and the report's
 * handlers share: reading the report with its conversation, and adding a
 * message to it. */
/* "received", "acknowledged", "feedback_given" or "handed_over". */
const char *api_report_status(const char *acknowledged_on, const char *feedback_on,
			      const char *handed_over_on);
/* Opens the key of the request's report for the caller; answers and returns
 * -1 when it does not open. */
typedef int (*api_key_fn)(struct api_req *r, struct intake_key *k);
/* Answers a report that does not exist (or is not the caller's). */
typedef void (*api_answer_fn)(struct api_req *r);
/* GET of the report: its metadata, answers (and identity) and, under
 * "messages", its conversation; 200. A report that does not read answers
 * through not_found when it is gone and not_found is not NULL, else 500. */
void api_report_reply(struct api_req *r, api_key_fn open_key, api_answer_fn not_found);
/* POST of a message: reads "text" (400 when missing, too long or empty),
 * stores it as account_id (0: the reporter) and answers 201 with its id; a
 * refused text answers 400 invalid_field, a report that is gone through
 * not_found as above. */
void api_message_post(struct api_req *r, api_key_fn open_key, int64_t account_id,
		      api_answer_fn not_found);

#endif
