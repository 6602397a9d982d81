/* demo.c: the demo reports of `probity demo` (data/demo/reports.json), put
 * through the real reporting channel: checked against the questionnaire,
 * encrypted and sealed by intake_submit, back-dated so that the inbox shows
 * every state of the legal clocks, with messages, notes and the handlers'
 * steps added with the report's own key, as the pages would.
 *
 * Format (UTF-8 JSON, at most 256 KiB; unknown fields and duplicate keys
 * refused):
 *
 *   {"format": "probity-demo-reports", "version": 1, "description": "...",
 *    "reports": [REPORT, ...]}                                   1 to 50
 *   REPORT = {"org": CODE, "mode": "open"|"confidential"|"anonymous",
 *             "identity": TEXT (not for anonymous),
 *             "received_days_ago": N (0-365),
 *             "acknowledged_days_ago", "feedback_days_ago",
 *             "handed_over_days_ago": N (optional, not before receipt),
 *             "answers": {FIELD: TEXT, ...} (the current questionnaire;
 *                         "kind" is the kind of report),
 *             "messages": [{"from": "handler"|"reporter", "text": TEXT}],
 *             "notes": [TEXT]}
 *
 * A handler's message, note or step is made by the organisation's first
 * handler (intake_recipients order). */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/file.h"
#include "base/jsondoc.h"
#include "intake/intake.h"
#include "intake/qset.h"

#define FORMAT_NAME "probity-demo-reports"
#define DEMO_MAX_BYTES (256 * 1024)
#define DEMO_MAX_REPORTS 50
#define DAYS_MAX 365

static const char *const top[] = {"format", "version", "description", "reports", NULL};
static const char *const fields[] = {"org", "mode", "identity", "received_days_ago",
				     "acknowledged_days_ago", "feedback_days_ago",
				     "handed_over_days_ago", "answers", "messages", "notes",
				     NULL};

/* today - days, or "" when absent; -1 on a bad value. */
static int days_ago(const struct jsondoc_err *e, const char *path, json_t *r, const char *key,
		    const char *today, char out[DATE_LEN + 1])
{
	out[0] = '\0';
	json_t *v = json_object_get(r, key);
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > DAYS_MAX)
		return jsondoc_fail(e, path, "\"%s\" must be a whole number of days from 0 to %d",
				    key, DAYS_MAX);
	if (date_add_days(today, -json_integer_value(v), out) != 0)
		return jsondoc_fail(e, path, "\"%s\" gives no date", key);
	return 0;
}

static const char *str(json_t *r, const char *key)
{
	json_t *v = json_object_get(r, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The report's answers checked against the questionnaire, as the pages do. */
static int check_answers(const struct jsondoc_err *e, const char *path, json_t *answers,
			 const struct intake_questionnaire *q, const char *today)
{
	struct intake_answer a[INTAKE_MAX_ANSWERS];
	size_t n = 0;
	const char *key;
	json_t *v;
	json_object_foreach(answers, key, v) {
		if (!json_is_string(v) || n == INTAKE_MAX_ANSWERS)
			return jsondoc_fail(e, path, "answers must be at most %d texts",
					    INTAKE_MAX_ANSWERS);
		a[n++] = (struct intake_answer){key, json_string_value(v), json_string_length(v), 0};
	}
	struct intake_answer_errors errs;
	if (intake_answers_check(q, a, n, today, &errs) != 0)
		return jsondoc_fail(e, path, "answers.%s: %s", errs.e[0].field, errs.e[0].msgid);
	return 0;
}

/* The shape of the messages and notes, checked before anything is stored. */
static int check_follow_up(const struct jsondoc_err *e, const char *path, json_t *r)
{
	json_t *ms = json_object_get(r, "messages"), *ns = json_object_get(r, "notes");
	if ((ms && !json_is_array(ms)) || (ns && !json_is_array(ns)))
		return jsondoc_fail(e, path, "\"messages\" and \"notes\" must be lists");
	size_t i;
	json_t *m;
	json_array_foreach(ms, i, m) {
		const char *from = str(m, "from");
		if (!from || !str(m, "text") ||
		    (strcmp(from, "handler") != 0 && strcmp(from, "reporter") != 0))
			return jsondoc_fail(e, path, "messages[%zu] needs \"from\" (handler or "
						     "reporter) and \"text\"", i);
	}
	json_array_foreach(ns, i, m)
		if (!json_is_string(m))
			return jsondoc_fail(e, path, "notes[%zu] must be a text", i);
	return 0;
}

/* Messages and notes, with the key the receipt opens. */
static int follow_up(const struct jsondoc_err *e, const char *path, db_t *db,
		     const struct audit_signer *signer, json_t *r, const struct intake_key *k,
		     int64_t handler)
{
	struct intake_error ie;
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(r, "messages"), i, m) {
		const char *from = str(m, "from"), *text = str(m, "text");
		if (intake_message_add(db, signer, k, strcmp(from, "handler") == 0 ? handler : 0,
				       text, strlen(text), NULL, 0, NULL, &ie) != 0)
			return jsondoc_fail(e, path, "messages[%zu]: %s", i, ie.msg);
	}
	json_array_foreach(json_object_get(r, "notes"), i, m) {
		if (intake_note_add(db, signer, k, handler, json_string_value(m),
				    json_string_length(m), NULL, &ie) != 0)
			return jsondoc_fail(e, path, "notes[%zu]: %s", i, ie.msg);
	}
	return 0;
}

/* The handlers' steps on their back-dated days. */
static int steps(const struct jsondoc_err *e, const char *path, db_t *db,
		 const struct audit_signer *signer, json_t *r, const char *today, int64_t id,
		 int64_t handler)
{
	static const char *const keys[] = {"acknowledged_days_ago", "feedback_days_ago",
					    "handed_over_days_ago"};
	for (int i = 0; i < 3; i++) {
		char on[DATE_LEN + 1];
		if (days_ago(e, path, r, keys[i], today, on) != 0)
			return -1;
		if (!on[0])
			continue;
		struct intake_error ie;
		int rc = i == 0   ? intake_acknowledge(db, signer, id, handler, on, &ie)
			 : i == 1 ? intake_feedback_given(db, signer, id, handler, on, &ie)
				  : intake_hand_over(db, signer, id, handler, on, &ie);
		if (rc != 0)
			return jsondoc_fail(e, path, "%s: %s", keys[i], ie.msg);
	}
	return 0;
}

static int one_report(const struct jsondoc_err *e, const char *path, db_t *db,
		      const struct audit_signer *signer, json_t *r,
		      const struct intake_questionnaire *q, const char *today,
		      char receipt[RECEIPT_SHOWN_SIZE], int64_t *id_out)
{
	if (jsondoc_only_fields(e, path, r, fields) != 0)
		return -1;
	char received[DATE_LEN + 1];
	json_t *answers = json_object_get(r, "answers");
	if (!str(r, "org") || !str(r, "mode") || !json_is_object(answers) ||
	    !json_object_get(r, "received_days_ago"))
		return jsondoc_fail(e, path, "needs \"org\", \"mode\", \"received_days_ago\" and "
					     "\"answers\"");
	if (days_ago(e, path, r, "received_days_ago", today, received) != 0 ||
	    check_answers(e, path, answers, q, today) != 0 || check_follow_up(e, path, r) != 0)
		return -1;
	char *json = json_dumps(answers, JSON_COMPACT | JSON_PRESERVE_ORDER);
	const char *kind = str(answers, "kind");
	struct intake_submission s = {
		.org_code = str(r, "org"),
		.kind = kind ? kind : "integrity_violation",
		.mode = str(r, "mode"),
		.questionnaire = q->id,
		.questionnaire_revision = q->revision,
		.answers = json,
		.answers_len = json ? strlen(json) : 0,
		.identity = str(r, "identity"),
		.received_on = received,
	};
	struct intake_error ie;
	int64_t id = 0;
	int rc = intake_submit(db, signer, &s, receipt, &id, &ie);
	free(json);
	if (rc != 0)
		return jsondoc_fail(e, path, "%s", ie.msg);
	*id_out = id;
	struct intake_recipient h;
	size_t nh = 0;
	if (intake_recipients(db, s.org_code, &h, 1, &nh) != 0 || nh == 0)
		return jsondoc_fail(e, path, "no handler for %s", s.org_code);
	struct intake_key k;
	if (intake_key_by_receipt(db, receipt, &k, &ie) != 0)
		return jsondoc_fail(e, path, "the new report does not open: %s", ie.msg);
	rc = follow_up(e, path, db, signer, r, &k, h.account_id);
	intake_key_wipe(&k);
	if (rc == 0)
		rc = steps(e, path, db, signer, r, today, id, h.account_id);
	return rc;
}

int intake_import_demo(db_t *db, const struct audit_signer *signer, const char *text, size_t len,
		       struct intake_demo_report *out, size_t cap, size_t *n, char *err,
		       size_t errlen)
{
	struct jsondoc_err e = {err, errlen};
	*n = 0;
	char qerr[300];
	const struct intake_questionnaire *q =
		intake_qset_init(qerr, sizeof qerr) == 0 ? intake_qset_current() : NULL;
	if (!q)
		return jsondoc_fail(&e, "questionnaire", "%s", qerr);
	json_t *root = jsondoc_load(&e, text, len, DEMO_MAX_BYTES, FORMAT_NAME, 1, top);
	if (!root)
		return -1;
	json_t *reports = json_object_get(root, "reports");
	int rc = 0;
	if (!json_is_array(reports) || json_array_size(reports) < 1 ||
	    json_array_size(reports) > DEMO_MAX_REPORTS || json_array_size(reports) > cap)
		rc = jsondoc_fail(&e, "reports", "must list 1 to %d reports", DEMO_MAX_REPORTS);
	char today[DATE_LEN + 1];
	date_today(today);
	size_t i;
	json_t *r;
	json_array_foreach(reports, i, r) {
		if (rc != 0)
			break;
		char path[JSONDOC_PATH_MAX];
		jsondoc_path(path, "reports[%zu]", i);
		if (!json_is_object(r)) {
			rc = jsondoc_fail(&e, path, "must be an object");
			break;
		}
		struct intake_demo_report *d = &out[i];
		rc = one_report(&e, path, db, signer, r, q, today, d->receipt, &d->report_id);
		if (rc == 0) {
			snprintf(d->org_code, sizeof d->org_code, "%s", str(r, "org"));
			snprintf(d->mode, sizeof d->mode, "%s", str(r, "mode"));
			*n = i + 1;
		}
	}
	json_decref(root);
	return rc;
}

int intake_import_demo_file(db_t *db, const struct audit_signer *signer, const char *path,
			    struct intake_demo_report *out, size_t cap, size_t *n, char *err,
			    size_t errlen)
{
	char *text;
	size_t len;
	*n = 0;
	if (file_read_all(path, DEMO_MAX_BYTES, &text, &len, err, errlen) != 0)
		return -1;
	char why[600];
	int rc = intake_import_demo(db, signer, text, len, out, cap, n, why, sizeof why);
	if (rc != 0)
		snprintf(err, errlen, "%s: %s", path, why);
	free(text);
	return rc;
}
