/* intake.h: the reporting channel's face (issue 4, DESIGN §3). The legal
 * clocks (clock.h) and questionnaires (questionnaire.h) have their own
 * headers; this one declares the storage of submitted reports (store.c, over
 * src/store/migrations/0005_reports.sql).
 *
 * A report's body (the answers and, for an open or confidential report, the
 * reporter's identity, as JSON) is a content blob under the report's own key
 * (crypto/envelope.h); that key is stored only sealed, to every handler of the
 * organisation and to a key derived from the reporter's receipt
 * (crypto/receipt.h). No plaintext of the body reaches the database or the
 * audit trail. Body JSON, version 1:
 *
 *   {"v":1,"answers":<answers as given>,"identity":<string or null>}
 *
 * Handlers are the accounts, not disabled, holding integrity_coordinator or
 * confidential_adviser at the report's organisation row or, for a unit, at
 * the department it belongs to. A report no one can open is refused.
 *
 * Messages are plain English for operators and tests; the web layer shows
 * its own Dutch texts by code. */
#ifndef INTAKE_INTAKE_H
#define INTAKE_INTAKE_H
#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "crypto/audit.h"
#include "crypto/receipt.h"
#include "orgs/orgs.h"
#include "store/db.h"

#define INTAKE_ANSWERS_MAX (256u * 1024u)  /* bytes of answers JSON */
#define INTAKE_IDENTITY_MAX 1024           /* bytes of UTF-8 */
#define INTAKE_QNAME_MAX 64                /* bytes of a questionnaire's name */
#define INTAKE_KIND_MAX 24
#define INTAKE_MODE_MAX 16

enum intake_errcode {
	INTAKE_OK = 0,
	INTAKE_EINVALID,    /* malformed input: kind, mode, size, UTF-8, a malformed receipt */
	INTAKE_EMISTYPED,   /* a receipt whose check symbols fail: "look again" */
	INTAKE_ENOTFOUND,   /* no such organisation, or no report this key opens */
	INTAKE_ECONFLICT,   /* well-formed but cannot be taken: nobody can receive it */
	INTAKE_EDAMAGED,    /* stored blobs do not open: damaged or tampered with */
	INTAKE_EDB,         /* the database failed; db_error() has the reason */
};

struct intake_error {
	int code;           /* enum intake_errcode */
	char msg[300];
};

/* One submission. Strings are borrowed and NUL-terminated except answers,
 * which is answers_len bytes. kind: "integrity_violation", "wrongdoing" or
 * "unwanted_behaviour"; mode: "open", "confidential" or "anonymous". answers
 * is a JSON object (the caller has checked it against the questionnaire with
 * intake_answers_check); here only its size, UTF-8 and outer braces are
 * checked. identity: NULL or "" for none; refused for an anonymous report. */
struct intake_submission {
	const char *org_code;
	const char *kind;
	const char *mode;
	const char *questionnaire;
	int64_t questionnaire_revision;
	const char *answers;
	size_t answers_len;
	const char *identity;
};

/* Stores a report in one write transaction with its audit entry
 * ("report.receive", detail kind and mode only). Only after the commit is a
 * fresh receipt written to receipt_out (shown form; the caller shows it once
 * and wipes it) and the id to *id_out (may be NULL). Returns 0, or -1 with e
 * set, receipt_out zeroed and nothing written: INTAKE_EINVALID,
 * INTAKE_ENOTFOUND (no organisation has that code today), INTAKE_ECONFLICT
 * (no one can receive reports for it), INTAKE_EDB. */
int intake_submit(db_t *db, const struct audit_signer *signer, const struct intake_submission *s,
		  char receipt_out[RECEIPT_SHOWN_SIZE], int64_t *id_out, struct intake_error *e);

/* An opened report. body is body_len bytes of JSON (NUL-terminated too) in
 * secure memory; intake_report_free wipes and frees it. */
struct intake_report {
	int64_t id;
	char org_code[ORG_CODE_MAX + 1];
	char kind[INTAKE_KIND_MAX + 1];
	char mode[INTAKE_MODE_MAX + 1];
	char questionnaire[INTAKE_QNAME_MAX + 1];
	int64_t questionnaire_revision;
	char received_on[DATE_LEN + 1];
	char ack_due[DATE_LEN + 1];          /* intake_ack_due(received_on) */
	char acknowledged_on[DATE_LEN + 1];  /* "" when not yet */
	char feedback_on[DATE_LEN + 1];      /* "" when not yet */
	char *body;
	size_t body_len;
};

/* Opens the report of a typed receipt. Returns 0 with *out filled, or -1
 * with e set and *out empty: INTAKE_EINVALID (not a receipt's shape),
 * INTAKE_EMISTYPED (the check fails), INTAKE_ENOTFOUND (no report has it),
 * INTAKE_EDAMAGED, INTAKE_EDB. */
int intake_open_by_receipt(db_t *db, const char *receipt_typed, struct intake_report *out,
			   struct intake_error *e);

/* Opens a report with the key sealed to account_id, whose unwrapped X25519
 * secret key is account_sk. INTAKE_ENOTFOUND when the account holds no key
 * for it, is disabled, or the report does not exist: one answer, so that it
 * does not tell whether the report exists. INTAKE_EDAMAGED, INTAKE_EDB. */
int intake_open_as_handler(db_t *db, int64_t report_id, int64_t account_id,
			   const unsigned char account_sk[32], struct intake_report *out,
			   struct intake_error *e);

/* Wipes and frees out->body and clears *out. */
void intake_report_free(struct intake_report *out);

/* A report in a handler's inbox: metadata only, nothing decrypted. */
struct intake_inbox_item {
	int64_t id;
	char org_code[ORG_CODE_MAX + 1];
	char kind[INTAKE_KIND_MAX + 1];
	char mode[INTAKE_MODE_MAX + 1];
	char received_on[DATE_LEN + 1];
	char ack_due[DATE_LEN + 1];
	char acknowledged_on[DATE_LEN + 1];  /* "" when not yet */
};

/* The reports account_id holds a key for, ordered by acknowledgement due date
 * then id, at most cap; *n gets the count, *total (may be NULL) how many
 * there are. Returns 0 or -1 (db error). */
int intake_inbox(db_t *db, int64_t account_id, struct intake_inbox_item *out, size_t cap,
		 size_t *n, size_t *total);

#endif
