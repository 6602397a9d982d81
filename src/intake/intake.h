/* intake.h: the reporting channel's face (issue 4, DESIGN §3). The legal
 * clocks (clock.h) and questionnaires (questionnaire.h) have their own
 * headers, and so do receipt sessions (rsession.h); this one declares the
 * storage of submitted reports and of what follows them:
 *
 *   store.c   receiving a report (with its attachments, recusals and the
 *             recovery key's sealed copy) and the recipients a reporter may
 *             exclude (migrations 0005, 0006)
 *   read.c    opening a report's key, reading the report, the inbox
 *   follow.c  the conversation, internal notes, attachments and the steps of
 *             the legal clocks (migration 0007)
 *
 * A report's body (the answers and, for an open or confidential report, the
 * reporter's identity, as JSON) is a content blob under the report's own key
 * (crypto/envelope.h); that key is stored only sealed, to every handler of the
 * organisation not recused by the reporter, to a key derived from the
 * reporter's receipt (crypto/receipt.h) and to the current recovery key when
 * one is configured. Every message, note and attachment (its bytes, and
 * apart from them its name, type and size) is another content blob under the
 * same key whose purpose names its row. No plaintext of any of them reaches
 * the database or the audit trail. Body JSON, version 1:
 *
 *   {"v":1,"answers":<answers as given>,"identity":<string or null>}
 *
 * Handlers are the accounts, not disabled, holding integrity_coordinator or
 * confidential_adviser at the report's organisation row or, for a unit, at
 * the department it belongs to. A report no one can open is refused.
 *
 * Access. An opened report key (struct intake_key, from a handler's secret
 * key, a receipt or a receipt session) is the capability to read and write
 * one report: every function taking one trusts it and checks no further who
 * holds it. Functions that act for a handler also take the account id and
 * check that it holds a key row. Internal notes open with the report key
 * like everything else; keeping them from the reporter is the web layer's
 * rule (a receipt session never lists notes).
 *
 * Messages are plain English for operators and tests; the web layer shows
 * its own Dutch texts by code. */
#ifndef INTAKE_INTAKE_H
#define INTAKE_INTAKE_H
#include <stddef.h>
#include <stdint.h>

#include "accounts/accounts.h"
#include "base/date.h"
#include "crypto/audit.h"
#include "crypto/envelope.h"
#include "crypto/receipt.h"
#include "orgs/orgs.h"
#include "store/db.h"

#define INTAKE_ANSWERS_MAX (256u * 1024u)  /* bytes of answers JSON */
#define INTAKE_IDENTITY_MAX 1024           /* bytes of UTF-8 */
#define INTAKE_QNAME_MAX 64                /* bytes of a questionnaire's name */
#define INTAKE_KIND_MAX 24
#define INTAKE_MODE_MAX 16
#define INTAKE_FILE_MAX (10u << 20)     /* bytes of one attachment */
#define INTAKE_FILES_TOTAL (25u << 20)  /* bytes of all attachments of one submission or message */
#define INTAKE_FILES_MAX 10             /* attachments per submission or message */
#define INTAKE_MESSAGE_MAX 20000        /* bytes of a message or note (UTF-8; tab, CR, LF allowed,
					   other control characters refused) */
#define INTAKE_FILENAME_MAX 255         /* bytes of an attachment's shown name */
#define INTAKE_MIME_MAX 127             /* bytes of an attachment's type (the longest allowed,
					   .pptx's, is 73: attach.c) */

enum intake_errcode {
	INTAKE_OK = 0,
	INTAKE_EINVALID,    /* malformed input: kind, mode, size, UTF-8, a malformed receipt */
	INTAKE_EMISTYPED,   /* a receipt whose check symbols fail: "look again" */
	INTAKE_ENOTFOUND,   /* no such organisation, or no report this key opens */
	INTAKE_ECONFLICT,   /* well-formed but cannot be taken: nobody can receive it, or a
			       step that was already taken */
	INTAKE_EDAMAGED,    /* stored blobs do not open: damaged or tampered with */
	INTAKE_EDB,         /* the database failed; db_error() has the reason */
};

struct intake_error {
	int code;           /* enum intake_errcode */
	char msg[300];
};

/* An attachment to store. mime was decided from the content (attach.c, an
 * allow-listed type such as "application/pdf"; printable ASCII, at most
 * INTAKE_MIME_MAX bytes); name is the uploaded name already cleaned for
 * display (UTF-8, no control characters, no slash or backslash: never a
 * path). Both are stored only inside the encrypted meta blob. len is 1 to
 * INTAKE_FILE_MAX bytes. */
struct intake_file {
	const unsigned char *data;
	size_t len;
	const char *mime;
	const char *name;
};

/* One submission. Strings are borrowed and NUL-terminated except answers,
 * which is answers_len bytes. kind: "integrity_violation", "wrongdoing" or
 * "unwanted_behaviour"; mode: "open", "confidential" or "anonymous". answers
 * is a JSON object (the caller has checked it against the questionnaire with
 * intake_answers_check); here only its size, UTF-8 and outer braces are
 * checked. identity: NULL or "" for none; refused for an anonymous report.
 *
 * recused: recipient accounts that must not get the report key; each must be
 * one of intake_recipients() for the organisation (else INTAKE_EINVALID),
 * and refusing them all, leaving nobody, is INTAKE_ECONFLICT. files: at most
 * INTAKE_FILES_MAX, together at most INTAKE_FILES_TOTAL bytes.
 * registered_by: 0; or the account (manager or confidential adviser at the
 * organisation or its department, not disabled; else INTAKE_EINVALID) that
 * writes down an in-person or oral report. The registrar gets no key of its
 * own unless it is a handler anyway. */
struct intake_submission {
	const char *org_code;
	const char *kind;
	const char *mode;
	const char *questionnaire;
	int64_t questionnaire_revision;
	const char *answers;
	size_t answers_len;
	const char *identity;
	const int64_t *recused;
	size_t nrecused;
	const struct intake_file *files;
	size_t nfiles;
	int64_t registered_by;
	/* NULL: today. A date in the past, for data that arrived before it was
	 * put in Probity (the demo, an import); never after today. The legal
	 * clocks run from it. */
	const char *received_on;
};

/* Stores a report in one write transaction: the row, its body, its
 * attachments, the sealed keys, the audit entry "report.receive" (detail kind
 * and mode only; actor "reporter", or "user:<id>" of the registrar) and one
 * "report.recuse" per recused account (detail "report <id> account <id>",
 * nothing about the reporter). Only after the commit is a
 * fresh receipt written to receipt_out (shown form; the caller shows it once
 * and wipes it) and the id to *id_out (may be NULL). Returns 0, or -1 with e
 * set, receipt_out zeroed and nothing written: INTAKE_EINVALID,
 * INTAKE_ENOTFOUND (no organisation has that code today), INTAKE_ECONFLICT
 * (no one can receive reports for it), INTAKE_EDB. */
int intake_submit(db_t *db, const struct audit_signer *signer, const struct intake_submission *s,
		  char receipt_out[RECEIPT_SHOWN_SIZE], int64_t *id_out, struct intake_error *e);

/* The people a reporter may exclude: the handlers of an organisation (the
 * rule above), one entry per account, ordered by display name. role and
 * org_code name one of its handler roles there, the organisation's own row
 * first. */
struct intake_recipient {
	int64_t account_id;
	char display_name[ACCOUNT_DISPLAY_MAX + 1];
	int role;  /* enum role */
	char org_code[ORG_CODE_MAX + 1];
};

/* The recipients of the organisation that has org_code today, at most cap
 * into out. Returns 0 with *n filled (0 for an unknown organisation), or -1
 * on a db error. */
int intake_recipients(db_t *db, const char *org_code, struct intake_recipient *out, size_t cap,
		      size_t *n);

/* An opened report key: the capability to read and write one report. Lives
 * in caller memory (secure or wiped); intake_key_wipe zeroes it. */
struct intake_key {
	int64_t report_id;
	unsigned char key[ENVELOPE_KEY_BYTES];
};

void intake_key_wipe(struct intake_key *k);

/* Opens the key of report_id sealed to account_id, whose unwrapped X25519
 * secret key is account_sk. Returns 0, or -1 with e set and *out zeroed:
 * INTAKE_ENOTFOUND when the account holds no key row for it, is disabled,
 * or the report does not exist (one answer for "no report" and "not yours"),
 * INTAKE_EDAMAGED (the sealed key does not open with account_sk), INTAKE_EDB. */
int intake_key_as_handler(db_t *db, int64_t report_id, int64_t account_id,
			  const unsigned char account_sk[32], struct intake_key *out,
			  struct intake_error *e);

/* Opens the key of the report of a typed receipt. Errors as
 * intake_open_by_receipt. */
int intake_key_by_receipt(db_t *db, const char *receipt_typed, struct intake_key *out,
			  struct intake_error *e);

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
	char feedback_due[DATE_LEN + 1];     /* intake_feedback_due(received_on, acknowledged_on) */
	char handed_over_on[DATE_LEN + 1];   /* "" when not yet */
	char record_agreed_on[DATE_LEN + 1]; /* "" when not (yet) */
	int64_t registered_by;               /* 0: submitted by the reporter */
	size_t nattachments;                 /* all of them, with the report and its messages */
};

/* Reads the report of an opened key: metadata and decrypted body. Returns 0,
 * or -1 with e set and *out empty: INTAKE_ENOTFOUND (no such report),
 * INTAKE_EDAMAGED (the body does not open with this key), INTAKE_EDB. */
int intake_read(db_t *db, const struct intake_key *k, struct intake_report *out,
		struct intake_error *e);

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
	char feedback_due[DATE_LEN + 1];
	char feedback_on[DATE_LEN + 1];      /* "" when not yet */
	char handed_over_on[DATE_LEN + 1];   /* "" when not yet */
	int registered;                      /* 1: written down by a manager or adviser */
};

/* The reports account_id holds a key for, at most cap: what is due first
 * (the earlier due date of the clocks still open; reports with both clocks
 * met last), then by id. *n gets the count, *total (may be NULL) how many
 * there are. Returns 0 or -1 (db error). */
int intake_inbox(db_t *db, int64_t account_id, struct intake_inbox_item *out, size_t cap,
		 size_t *n, size_t *total);

/* ---- follow.c: conversation, notes, attachments, clock steps ---- */

/* A message or note. text is text_len bytes (NUL-terminated too) in secure
 * memory; intake_messages_free wipes and frees it. */
struct intake_message {
	int64_t id;
	int from_reporter;
	int64_t account_id;                          /* 0 for the reporter */
	char author_name[ACCOUNT_DISPLAY_MAX + 1];   /* "" for the reporter */
	char created_at[20];                         /* "YYYY-MM-DD HH:MM", local time */
	char *text;
	size_t text_len;
};

/* The conversation of the report of k, oldest first, into a fresh array
 * (*out NULL when *n is 0). Returns 0, or -1 with e set (*out NULL, *n 0):
 * INTAKE_EDAMAGED (a message does not open), INTAKE_EDB. */
int intake_messages(db_t *db, const struct intake_key *k, struct intake_message **out,
		    size_t *n, struct intake_error *e);
/* Wipes and frees what intake_messages or intake_notes gave. */
void intake_messages_free(struct intake_message *m, size_t n);

/* Adds a message to the report of k. account_id 0: written by the reporter
 * (a receipt session); else a handler holding a key row for the report, not
 * disabled (otherwise INTAKE_ENOTFOUND). text is len bytes, at most
 * INTAKE_MESSAGE_MAX, and may be empty only when files are given (limits as
 * for a submission). One transaction: the message row, its blob, the
 * attachments and the audit entry "report.message" (detail "report <id>
 * from reporter" or "report <id> from account <id>"; never the text).
 * Returns 0 with *id_out (may be NULL), or -1 with e set and nothing written:
 * INTAKE_EINVALID, INTAKE_ENOTFOUND, INTAKE_EDB. */
int intake_message_add(db_t *db, const struct audit_signer *signer, const struct intake_key *k,
		       int64_t account_id, const char *text, size_t len,
		       const struct intake_file *files, size_t nfiles, int64_t *id_out,
		       struct intake_error *e);

/* Internal notes of the handlers, oldest first; as intake_messages
 * (from_reporter is always 0). The web layer never shows them to a receipt
 * session. */
int intake_notes(db_t *db, const struct intake_key *k, struct intake_message **out, size_t *n,
		 struct intake_error *e);
/* Adds a note by account_id, a handler holding a key row (else
 * INTAKE_ENOTFOUND); text non-empty, as for a message. Audit "report.note". */
int intake_note_add(db_t *db, const struct audit_signer *signer, const struct intake_key *k,
		    int64_t account_id, const char *text, size_t len, int64_t *id_out,
		    struct intake_error *e);

/* An attachment's metadata, decrypted; the bytes come on request. */
struct intake_attachment {
	int64_t id;
	int64_t message_id;  /* 0: with the report itself */
	int from_reporter;
	char created_at[20]; /* "YYYY-MM-DD HH:MM", local time */
	char name[INTAKE_FILENAME_MAX + 1];
	char mime[INTAKE_MIME_MAX + 1];
	size_t size;
};

/* The attachments of the report of k, oldest first, at most cap into out;
 * *n gets the count. Returns 0, or -1 with e set: INTAKE_EDAMAGED,
 * INTAKE_EDB. */
int intake_attachments(db_t *db, const struct intake_key *k, struct intake_attachment *out,
		       size_t cap, size_t *n, struct intake_error *e);
/* One attachment of the report of k: its metadata into *info and its bytes
 * into *data (vault_secure_alloc'd; the caller vault_secure_frees it), *len.
 * Returns 0, or -1 with e set (*data NULL): INTAKE_ENOTFOUND (no such
 * attachment of this report), INTAKE_EDAMAGED, INTAKE_EDB. */
int intake_attachment_get(db_t *db, const struct intake_key *k, int64_t attachment_id,
			  struct intake_attachment *info, unsigned char **data, size_t *len,
			  struct intake_error *e);

/* Steps of the legal clocks, taken by account_id, a handler holding a key row
 * for the report (else INTAKE_ENOTFOUND). Each is taken once: a second time
 * is INTAKE_ECONFLICT. today ("YYYY-MM-DD") must be a valid date not before
 * received_on (nor, for feedback, before the acknowledgement): else
 * INTAKE_EINVALID. Audited "report.acknowledge", "report.feedback",
 * "report.handover" (detail the date). Returns 0 or -1 with e set. */
int intake_acknowledge(db_t *db, const struct audit_signer *signer, int64_t report_id,
		       int64_t account_id, const char *today, struct intake_error *e);
int intake_feedback_given(db_t *db, const struct audit_signer *signer, int64_t report_id,
			  int64_t account_id, const char *today, struct intake_error *e);
int intake_hand_over(db_t *db, const struct audit_signer *signer, int64_t report_id,
		     int64_t account_id, const char *today, struct intake_error *e);
/* The reporter (a receipt session) agrees to the written record of an
 * in-person report. INTAKE_ECONFLICT when the report was not registered by
 * someone or was already agreed to; today as above. Audited
 * "report.record-agreed". */
int intake_record_agree(db_t *db, const struct audit_signer *signer, const struct intake_key *k,
			const char *today, struct intake_error *e);

/* ---- demo.c: the demo reports of `probity demo` ---- */

#define INTAKE_DEMO_MAX 50

/* A demo report as stored: its receipt (so that the demo can print it),
 * where it went, and its id (so that the demo cases can join it). */
struct intake_demo_report {
	char receipt[RECEIPT_SHOWN_SIZE];
	int64_t report_id;
	char org_code[ORG_CODE_MAX + 1];
	char mode[INTAKE_MODE_MAX + 1];
};

/* Puts the reports of a demo file (text, len bytes; format in demo.c) through
 * intake_submit, back-dated, with their messages, notes and clock steps.
 * Each report is its own transaction: on failure, those before it stay (the
 * demo removes its database on any failure). Returns 0 with out[0..*n)
 * filled, or -1 with "PATH: reason" in err. */
int intake_import_demo(db_t *db, const struct audit_signer *signer, const char *text, size_t len,
		       struct intake_demo_report *out, size_t cap, size_t *n, char *err,
		       size_t errlen);
/* The same for a file. */
int intake_import_demo_file(db_t *db, const struct audit_signer *signer, const char *path,
			    struct intake_demo_report *out, size_t cap, size_t *n, char *err,
			    size_t errlen);

#endif
