/* cases.h: the storage of cases under the investigation protocol (issue 5,
 * DESIGN §3, migration 0008): the face of src/cases for the pages, the API
 * and the command line. The protocol itself, the taxonomy, the measures and
 * the pure phase machine have their own headers (protocol.h, taxonomy.h,
 * machine.h, dataset.h).
 *
 *   store.c    opening a case from reports, joining reports, the case key
 *              (as a member, as an authority), reading, listing, a joined
 *              report's key
 *   team.c     the case team: adding and removing members
 *   phases.c   moves through the protocol's phases, the checklist, closing
 *   records.c  records of the protocol and the team's notes
 *   people.c   the people involved and the dates of their rights
 *   outcome.c  the outcome, the authority summary, the competent authority's
 *              decision, the retention term per organisation
 *   files.c    attachments of records, notes and the case (migration 0009)
 *   purge.c    the retention purge of closed cases and their reports
 *   shared.c   what these share (internal.h)
 *
 * Keys. Each case has its own 32-byte key (the CASE KEY) and a second one,
 * the SUMMARY KEY, for what the competent authority may read. The case key
 * is stored only sealed (crypto/envelope.h, kind ENVELOPE_CASE_MEMBER) to
 * each current team member's X25519 key and (ENVELOPE_CASE_RECOVERY) to the
 * recovery key current when the case was opened. The summary key is stored
 * wrapped under the case key, so that every member reads it, and sealed
 * (ENVELOPE_CASE_SUMMARY) to each competent authority account the
 * coordinator chose; those hold no case key. Each joined report's own key is
 * wrapped under the case key, so that every member reads the reports through
 * the case (cases_report_key), also members who hold no key of the report
 * itself.
 *
 * Content. Every text (records, notes, the people involved, the reason for a
 * deviation) is a content blob under the case key, or for the authority
 * summary, the decision and deviation reasons under the summary key, with
 * the case id as the envelope's id and a purpose starting with "case-"
 * ("case-record:12"): report purposes never start with it, so a case blob
 * and a report blob cannot share associated data even when the numbers
 * match. In the clear: the organisation, protocol and phase, dates, who is on
 * the team, who wrote what when, and the statistical record (category,
 * outcome, measures, police report) that outlives a purge.
 *
 * Access. An opened struct cases_key is the capability to read one case;
 * every function that writes also takes the acting account and checks it
 * against the database (a current member, a coordinator member, an
 * authority holding the summary key), because a member removed since the key
 * was opened must not write any more. Unknown case and "not yours" give the
 * same answer (CASES_ENOTFOUND).
 *
 * Every write runs in one transaction with its audit entry, which names ids,
 * kinds and dates only, never a text or a name. Secrets (keys, plaintext)
 * live in vault_secure_alloc'd memory or the caller's struct cases_key and
 * are wiped on every path. Dates are "YYYY-MM-DD"; `today` is the caller's
 * (the demo back-dates), and must not be before the case was opened.
 *
 * Messages are plain English for operators and tests; the web layer shows
 * its own texts by code (and the machine's msgid for a refused move). */
#ifndef CASES_CASES_H
#define CASES_CASES_H
#include <stddef.h>
#include <stdint.h>

#include "accounts/accounts.h"
#include "base/date.h"
#include "cases/machine.h"
#include "cases/protocol.h"
#include "crypto/audit.h"
#include "crypto/envelope.h"
#include "intake/intake.h"
#include "orgs/orgs.h"
#include "store/db.h"

#define CASES_REPORTS_MAX 50          /* reports joined to one case */
#define CASES_MEMBERS_MAX 50          /* members of one team, past ones included */
#define CASES_CASE_MEASURES_MAX 10    /* measures recorded for one case */
#define CASES_TEXT_MAX (256u * 1024u) /* bytes of a record (UTF-8; tab, CR, LF allowed) */
#define CASES_NOTE_MAX 20000          /* bytes of a note */
#define CASES_NAME_MAX 200            /* bytes of a person's name or function */
#define CASES_CONTACT_MAX 1000        /* bytes of a person's contact details */
#define CASES_RETENTION_DEFAULT 1826  /* days a closed case is kept: five years */
#define CASES_RETENTION_MAX 36525     /* days: a hundred years */
#define CASES_PROCESS_NAME_MAX 200    /* bytes of a risk register's process name */

/* Record types that are under the summary key: what the competent authority
 * reads. Always allowed, whether the protocol lists them or not. */
#define CASES_RECORD_SUMMARY "authority_summary"
#define CASES_RECORD_DECISION "authority_decision"

enum cases_errcode {
	CASES_OK = 0,
	CASES_EINVALID,    /* malformed input: a date, a size, UTF-8, an unknown code */
	CASES_ENOTFOUND,   /* no such case, report, person or account for this caller */
	CASES_EDENIED,     /* the acting account may not do this: not a coordinator, not a
			      member, not an investigator of the organisation */
	CASES_ECONFLICT,   /* well-formed but contradicts the data: a report already in a
			      case, reports of two organisations, a closed case, a step
			      already taken, an account already on the team */
	CASES_EPROTOCOL,   /* the phase machine refused the move: move_code says why */
	CASES_EDAMAGED,    /* stored keys or blobs do not open: damaged or tampered with */
	CASES_EDB,         /* the database failed; db_error() has the reason */
};

struct cases_error {
	int code;          /* enum cases_errcode */
	int move_code;     /* enum cases_move_code when code is CASES_EPROTOCOL, else 0 */
	char msg[400];
};

/* An opened case. full: opened by a team member, key is the case key and
 * summary the summary key; else opened by a competent authority, key is
 * zero and only summary is set. Lives in caller memory (secure or wiped). */
struct cases_key {
	int64_t case_id;
	int full;
	unsigned char key[ENVELOPE_KEY_BYTES];
	unsigned char summary[ENVELOPE_KEY_BYTES];
};

void cases_key_wipe(struct cases_key *k);

/* ---- store.c ---- */

/* Opens a case from nreports reports (1 to CASES_REPORTS_MAX, distinct) under
 * protocol (a protocol of the data set, dataset.h; NULL for the current one),
 * by opener_id, whose unwrapped secret key is opener_sk. The opener must hold
 * a key to every report (intake_key_as_handler: else CASES_ENOTFOUND) and be
 * integrity_coordinator, not disabled, at the case's organisation or the
 * department above it (else CASES_EDENIED). The case's organisation is the
 * reports' organisation, or when they differ the department they all belong
 * to (each report's organisation is it or one of its units); otherwise
 * CASES_ECONFLICT, as for a report already in a case.
 *
 * One transaction: the case row in the protocol's first phase (opened and
 * started today), a fresh case key sealed to the opener and to the current
 * recovery key (when there is one), a fresh summary key wrapped under it, the
 * opener as the team's coordinator, each report's key wrapped under the case
 * key, report.handed_over_on set to today where not yet set (with its
 * "report.handover" entry), and "case.open" (detail: the reports' ids, the
 * protocol and its revision). Returns 0 with *case_id, or -1 with e set and
 * nothing written: CASES_EINVALID (no reports, too many, a report named
 * twice, a bad date or one before a report's receipt, an unknown protocol),
 * CASES_ENOTFOUND, CASES_EDENIED, CASES_ECONFLICT, CASES_EDAMAGED, CASES_EDB. */
int cases_open(db_t *db, const struct audit_signer *signer, int64_t opener_id,
	       const unsigned char opener_sk[32], const int64_t *report_ids, size_t nreports,
	       const struct cases_protocol *protocol, const char *today, int64_t *case_id,
	       struct cases_error *e);

/* Joins one more report to the open case of k (full), by account_id: a
 * coordinator member (else CASES_EDENIED) who holds a key to the report
 * (account_sk opens it; else CASES_ENOTFOUND). The report must be of the
 * case's organisation or one of its units and in no case yet (else
 * CASES_ECONFLICT). Audited "case.join"; hand-over as for cases_open. */
int cases_join_report(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
		      int64_t account_id, const unsigned char account_sk[32], int64_t report_id,
		      const char *today, struct cases_error *e);

/* Opens the case key of case_id as account_id, a current member, not
 * disabled, whose unwrapped secret key is account_sk; the summary key comes
 * with it. Returns 0, or -1 with e set and *out zeroed: CASES_ENOTFOUND (not
 * a member, a removed member, a disabled account, no such case: one answer),
 * CASES_EDAMAGED (the sealed key does not open with account_sk), CASES_EDB. */
int cases_key_as_member(db_t *db, int64_t case_id, int64_t account_id,
			const unsigned char account_sk[32], struct cases_key *out,
			struct cases_error *e);

/* Opens the summary key of case_id as account_id, a competent authority the
 * coordinator shared the summary with (cases_summary_share), not disabled.
 * out->full is 0: the case key is not given. Errors as cases_key_as_member. */
int cases_key_as_authority(db_t *db, int64_t case_id, int64_t account_id,
			   const unsigned char account_sk[32], struct cases_key *out,
			   struct cases_error *e);

/* A case's metadata: everything in the clear. */
struct cases_case {
	int64_t id;
	int64_t org_id;
	char org_code[ORG_CODE_MAX + 1];
	char protocol[CASES_ID_MAX + 1];
	int protocol_revision;
	char phase[CASES_ID_MAX + 1];
	char phase_started_on[DATE_LEN + 1];
	char phase_due[DATE_LEN + 1];        /* "" when the phase has no term */
	char opened_on[DATE_LEN + 1];
	char closed_on[DATE_LEN + 1];        /* "" while open */
	char category[CASES_ID_MAX + 1];     /* "" until the outcome is set */
	char taxonomy[CASES_ID_MAX + 1];
	int taxonomy_revision;
	char outcome[16];                    /* "established", "partly", "not_established" or "" */
	int police_report;                   /* 1 yes, 0 no, -1 not recorded */
	char measures_list[CASES_ID_MAX + 1];
	int measures_revision;
	char measures[CASES_CASE_MEASURES_MAX][CASES_ID_MAX + 1];
	size_t nmeasures;
	char decided_on[DATE_LEN + 1];       /* the competent authority's decision, or "" */
	int64_t decided_by;
	char purge_after[DATE_LEN + 1];      /* "" while open */
	/* where the violation happened (migration 0014), 0 and "" when not
	 * recorded: a process of the department's risk register, a unit */
	int64_t process_id, unit_id;
	char process_name[CASES_PROCESS_NAME_MAX + 1];
	char unit_code[ORG_CODE_MAX + 1];
	int64_t reports[CASES_REPORTS_MAX];  /* by id; empty for an authority's key */
	size_t nreports;
};

/* Reads the case of k. Returns 0, or -1 with e set: CASES_ENOTFOUND,
 * CASES_EDB. */
int cases_read(db_t *db, const struct cases_key *k, struct cases_case *out,
	       struct cases_error *e);

/* A case in someone's list: metadata only, nothing decrypted. */
struct cases_list_item {
	int64_t id;
	char org_code[ORG_CODE_MAX + 1];
	char phase[CASES_ID_MAX + 1];
	char phase_started_on[DATE_LEN + 1];
	char phase_due[DATE_LEN + 1];        /* "" when the phase has no term */
	char opened_on[DATE_LEN + 1];
	char closed_on[DATE_LEN + 1];
	char role[16];                       /* "coordinator", "investigator" or "authority" */
};

/* The cases account_id is a current member of, or holds the summary of, at
 * most cap into out: open cases first by phase due date (no term last), then
 * closed ones, newest first. *n gets the count, *total (may be NULL) how many
 * there are. Returns 0 or -1 (db error). */
int cases_list(db_t *db, int64_t account_id, struct cases_list_item *out, size_t cap,
	       size_t *n, size_t *total);

/* The key of report_id, joined to the case of k (full), into *out: read it
 * with intake_read, intake_messages, intake_attachments. Returns 0, or -1
 * with e set and *out zeroed: CASES_ENOTFOUND (not joined to this case),
 * CASES_EDAMAGED, CASES_EDB. */
int cases_report_key(db_t *db, const struct cases_key *k, int64_t report_id,
		     struct intake_key *out, struct cases_error *e);

/* ---- team.c ---- */

struct cases_member {
	int64_t account_id;
	char username[ACCOUNT_USERNAME_MAX + 1];
	char display_name[ACCOUNT_DISPLAY_MAX + 1];
	char role[16];                       /* "coordinator" or "investigator" */
	char added_on[DATE_LEN + 1];
	char removed_on[DATE_LEN + 1];       /* "" for a current member */
};

/* The team of the case of k (full), current members first, at most cap. */
int cases_members(db_t *db, const struct cases_key *k, struct cases_member *out, size_t cap,
		  size_t *n, struct cases_error *e);

/* Adds account_id to the team of the open case of k (full) as role
 * ("investigator": an investigator at the case's organisation or the
 * department above it; "coordinator": an integrity_coordinator there), by
 * actor_id, a coordinator member. The case key is sealed to the new member.
 * Audited "case.member-add" (detail: the account and the role). Returns 0, or
 * -1 with e set: CASES_EINVALID (unknown role, bad date), CASES_EDENIED (the
 * actor is no coordinator member; the account is disabled or does not hold
 * the role there, e.g. an investigator of another department),
 * CASES_ENOTFOUND (no such account), CASES_ECONFLICT (already on the team,
 * the case is closed), CASES_EDAMAGED, CASES_EDB. */
int cases_member_add(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
		     int64_t actor_id, int64_t account_id, const char *role, const char *today,
		     struct cases_error *e);

/* Removes account_id from the team of case_id, by actor_id, a coordinator
 * member: the member row gets removed_on and the sealed key row is deleted,
 * so they cannot open the case again. What they read before is out of our
 * hands. The last coordinator cannot be removed (CASES_ECONFLICT). Audited
 * "case.member-remove". No key needed: removing someone reads nothing. */
int cases_member_remove(db_t *db, const struct audit_signer *signer, int64_t case_id,
			int64_t actor_id, int64_t account_id, const char *today,
			struct cases_error *e);

/* ---- phases.c ---- */

/* A deviation's prior approval: who approved (an account holding the
 * deviation's approver role at the case's organisation or the department
 * above it; the actor may approve their own move, as machine.h says) and
 * why (CASES_REASON_MAX bytes at most, stored under the summary key). */
struct cases_approval_in {
	int64_t approver_id;
	const char *reason;
};

/* Moves the open case of k to phase target, by actor_id: a current member
 * (acting in their case role: coordinator as integrity_coordinator,
 * investigator as investigator) with a full key, or a competent authority
 * holding the summary key (as competent_authority). The machine (machine.h)
 * decides against the case's protocol revision, the current phase's ticked
 * checklist items and the records the case holds; approval is NULL for a
 * normal move (one given with a normal move approves nothing and is not
 * recorded). One transaction: the case's phase and phase_started_on, a
 * case_phase_log row, "case.move" (detail: from, to, and for a deviation the
 * approver's account; never the reason). decision (may be NULL) receives
 * the machine's answer, also on refusal. Returns 0, or -1 with e set:
 * CASES_EINVALID (bad date, no target), CASES_ENOTFOUND (not a member or
 * authority of this case), CASES_EPROTOCOL (e->move_code), CASES_ECONFLICT
 * (closed), CASES_EDAMAGED, CASES_EDB. */
int cases_move(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
	       int64_t actor_id, const char *target, const struct cases_approval_in *approval,
	       const char *today, struct cases_move *decision, struct cases_error *e);

/* Ticks (done 1) or unticks (done 0) checklist item `item` of the open case's
 * current phase, by actor_id: a current member (full key), or a competent
 * authority holding the summary key in a phase it may move the case out of
 * (else CASES_EDENIED). Audited
 * "case.check" (detail: phase, item, done). CASES_EINVALID for an item the
 * phase does not have; ticking twice, or unticking what is not ticked, is
 * CASES_ECONFLICT. */
int cases_check(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
		int64_t actor_id, const char *item, int done, const char *today,
		struct cases_error *e);

/* The ids of the checklist items ticked in the current phase of the case of
 * k, at most cap, into out. */
int cases_checked(db_t *db, const struct cases_key *k, char (*out)[CASES_ID_MAX + 1],
		  size_t cap, size_t *n, struct cases_error *e);

/* What keeps the case of k from leaving its phase (machine.h
 * cases_phase_open against the stored state). Returns 0 (nothing open) or 1
 * with out filled, or -1 with e set. */
int cases_open_items(db_t *db, const struct cases_key *k, struct cases_move *out,
		     struct cases_error *e);

/* Closes the case of k, in its protocol's terminal phase with nothing open
 * (else CASES_EPROTOCOL), by actor_id, a coordinator member: closed_on =
 * today and purge_after = today plus the organisation's retention term
 * (cases_retention). Audited "case.close" (detail: the purge date). Closed
 * cases take no more writes (CASES_ECONFLICT). */
int cases_close(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
		int64_t actor_id, const char *today, struct cases_error *e);

/* One move in the log. reason in secure memory (NULL for a normal move). */
struct cases_move_entry {
	int64_t id;
	char from[CASES_ID_MAX + 1], to[CASES_ID_MAX + 1];
	int64_t account_id;
	char on[DATE_LEN + 1];
	int deviation;
	int64_t approver_id;
	char *reason;
	size_t reason_len;
};

/* The moves of the case of k (either key), oldest first, into a fresh array
 * (*out NULL when *n is 0). CASES_EDAMAGED when a reason does not open. */
int cases_moves(db_t *db, const struct cases_key *k, struct cases_move_entry **out, size_t *n,
		struct cases_error *e);
void cases_moves_free(struct cases_move_entry *m, size_t n);

/* ---- records.c ---- */

/* A record or a note. text in secure memory, NUL-terminated. */
struct cases_text_item {
	int64_t id;
	char type[CASES_ID_MAX + 1];          /* a record's type; "" for a note */
	int summary;                          /* 1: under the summary key */
	int64_t account_id;
	char author_name[ACCOUNT_DISPLAY_MAX + 1];
	char created_at[20];                  /* "YYYY-MM-DD HH:MM", local time */
	char *text;
	size_t text_len;
};

/* Adds a record of type (a record type of the case's protocol, or
 * CASES_RECORD_SUMMARY) to the open case of k (full), by actor_id, a current
 * member; the authority summary only by a coordinator member (else
 * CASES_EDENIED). CASES_RECORD_DECISION is cases_decide's. text: 1 to
 * CASES_TEXT_MAX bytes of UTF-8. Audited "case.record" (detail: the type).
 * Returns 0 with *id_out (may be NULL), or -1 with e set. */
int cases_record_add(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
		     int64_t actor_id, const char *type, const char *text, size_t len,
		     int64_t *id_out, struct cases_error *e);

/* The records of the case of k, oldest first: all of them with a full key,
 * only those under the summary key with an authority's. */
int cases_records(db_t *db, const struct cases_key *k, struct cases_text_item **out, size_t *n,
		  struct cases_error *e);

/* Adds a note (a message between team members) to the case of k (full), by
 * actor_id, a current member; 1 to CASES_NOTE_MAX bytes. Audited
 * "case.note". Notes may be added to a closed case too (until its purge). */
int cases_note_add(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
		   int64_t actor_id, const char *text, size_t len, int64_t *id_out,
		   struct cases_error *e);
/* The notes of the case of k (full), oldest first. */
int cases_notes(db_t *db, const struct cases_key *k, struct cases_text_item **out, size_t *n,
		struct cases_error *e);

void cases_text_items_free(struct cases_text_item *t, size_t n);

/* ---- people.c ---- */

/* A person involved, as given: party is a cases_party_name
 * ("person_concerned", "reporter", "witness", "other"); name 1 to
 * CASES_NAME_MAX bytes, function 0 to CASES_NAME_MAX, contact 0 to
 * CASES_CONTACT_MAX (NULL for empty), UTF-8 without control characters
 * (contact may hold line breaks). Stored only under the case key. */
struct cases_person_in {
	const char *party;
	const char *name;
	const char *function;
	const char *contact;
};

/* The dated steps of the rights of a person (protocol.h, enum cases_right):
 * informed; heard, the interview record offered and agreed to; assistance
 * offered; the draft report sent (which sets the reaction's due date from
 * the protocol's term), the reaction received; the final report inspected. */
enum cases_step {
	CASES_STEP_INFORMED,
	CASES_STEP_HEARD,
	CASES_STEP_RECORD_OFFERED,
	CASES_STEP_RECORD_AGREED,
	CASES_STEP_ASSISTANCE_OFFERED,
	CASES_STEP_DRAFT_SENT,
	CASES_STEP_REACTION,
	CASES_STEP_FINAL_INSPECTED,
	CASES_STEP_COUNT
};

/* "informed", "record_offered", ...: names for the API and the audit trail;
 * "?" out of range. */
const char *cases_step_name(enum cases_step s);
int cases_step_parse(const char *s, enum cases_step *out);

struct cases_person {
	int64_t id;
	char party[24];
	char added_on[DATE_LEN + 1];
	char *name, *function, *contact;     /* secure memory, NUL-terminated */
	char on[CASES_STEP_COUNT][DATE_LEN + 1];  /* each step's date, "" when not taken */
	char reaction_due[DATE_LEN + 1];     /* "" until the draft is sent */
};

/* Adds a person to the open case of k (full), by actor_id, a current member.
 * Audited "case.person-add" (detail: the party; no name). */
int cases_person_add(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
		     int64_t actor_id, const struct cases_person_in *p, const char *today,
		     int64_t *id_out, struct cases_error *e);
/* Replaces name, function and contact of person_id (the party stays; a
 * different party in p is CASES_EINVALID). Audited "case.person-update". */
int cases_person_update(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
			int64_t actor_id, int64_t person_id, const struct cases_person_in *p,
			struct cases_error *e);
/* Records step s of person_id on date `on` (not after today, not before the
 * case was opened). The right must fall due for the person's party in some
 * phase of the case's protocol (else CASES_EINVALID); a record is offered
 * only after the hearing and agreed to only after it was offered, a
 * reaction only after the draft was sent (else CASES_ECONFLICT); each step
 * once (CASES_ECONFLICT). Audited "case.person-step" (detail: person id,
 * step, date). */
int cases_person_step(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
		      int64_t actor_id, int64_t person_id, enum cases_step s, const char *on,
		      const char *today, struct cases_error *e);
/* The people of the case of k (full), by id, decrypted. */
int cases_people(db_t *db, const struct cases_key *k, struct cases_person **out, size_t *n,
		 struct cases_error *e);
void cases_people_free(struct cases_person *p, size_t n);

/* ---- outcome.c ---- */

/* Records the outcome of the open case of k (full), by actor_id, a
 * coordinator member: outcome "established", "partly" or "not_established";
 * category a code of the current taxonomy (dataset.h); measures codes of the
 * current measures list (0 to CASES_CASE_MEASURES_MAX, distinct); police
 * report 0 or 1. May be set again until the case is closed (it replaces;
 * once the competent authority decided, the measures it imposed stand and
 * the ones given here are not stored). Audited "case.outcome" (detail: outcome, category, measures, police
 * report: the statistical record, no content). CASES_EINVALID for an unknown
 * outcome, category or measure. */
int cases_set_outcome(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
		      int64_t actor_id, const char *outcome, const char *category,
		      const char *const *measures, size_t nmeasures, int police_report,
		      struct cases_error *e);

/* Where the violation happened (issue 6 item 4, migration 0014): a process
 * of the risk register of the case's department (the nearest organisation
 * of kind department at or above the case's), and a unit under that
 * department; 0 for "not recorded". Statistical metadata like the category:
 * kept after a purge. */
struct cases_place {
	int64_t process_id;
	int64_t unit_id;
};

/* cases_set_outcome that also records the place: place NULL leaves what is
 * recorded as it is (cases_set_outcome does that), else both fields replace
 * it. A process of another department's register, or a unit that is not
 * under the case's department, is CASES_EINVALID with nothing written. The
 * place goes into the same "case.outcome" entry (detail: "process N unit
 * M", 0 for none). */
int cases_set_outcome_at(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
			 int64_t actor_id, const char *outcome, const char *category,
			 const char *const *measures, size_t nmeasures, int police_report,
			 const struct cases_place *place, struct cases_error *e);

/* The department of org_id for the place of a case: the nearest organisation
 * row of kind department at or above it, open or not, into *dept_id (0 when
 * there is none). Returns 0 or -1 (db error). */
int cases_place_department(db_t *db, int64_t org_id, int64_t *dept_id);

/* Shares the summary of the case of k (full) with authority_id, by actor_id,
 * a coordinator member: the authority must hold competent_authority at the
 * case's organisation or the department above it, be enabled and not on the
 * team (else CASES_EDENIED). The summary key is sealed to them; they never
 * get the case key. Audited "case.summary-share". */
int cases_summary_share(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
			int64_t actor_id, int64_t authority_id, const char *today,
			struct cases_error *e);

/* The competent authority's decision on the open case of k (opened with
 * cases_key_as_authority), by authority_id, who holds the summary key and
 * still competent_authority at the organisation: text (1 to CASES_TEXT_MAX
 * bytes) stored as a CASES_RECORD_DECISION record under the summary key,
 * readable by the team too; decided_on = today. measures: codes of the
 * current measures list the authority imposes; when given they replace the
 * team's (the statistics count what was imposed), when none the team's
 * stand. Once (CASES_ECONFLICT). Audited "case.decide" (detail: measures). */
int cases_decide(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
		 int64_t authority_id, const char *text, size_t len, const char *const *measures,
		 size_t nmeasures, const char *today, struct cases_error *e);

/* The retention term of org_id: its own org_retention row, else the nearest
 * above it in the tree, else CASES_RETENTION_DEFAULT. 0 or -1 (db error). */
int cases_retention(db_t *db, int64_t org_id, int *days);
/* Sets the retention term of the organisation that has org_code today to
 * days (1 to CASES_RETENTION_MAX); applies to cases closed after. Audited
 * "case.retention" by actor ("cli:root", "user:4"). CASES_ENOTFOUND for an
 * unknown code. */
int cases_set_retention(db_t *db, const struct audit_signer *signer, const char *actor,
			const char *org_code, int days, struct cases_error *e);

/* ---- files.c ---- */

/* Attachments, as a report's (intake.h, attach.h), with intake's limits: at
 * most CASES_FILES_MAX files and CASES_FILES_TOTAL bytes per call, each 1 to
 * CASES_FILE_MAX bytes. A file is a struct intake_file whose mime the caller
 * decided from the content with attach_check and whose name it cleaned with
 * attach_clean_name: neither is trusted from the upload, and neither is
 * checked against the bytes here again. The name, type and size go in one
 * content blob ("case-attachment-meta:<id>"), the bytes in another
 * ("case-attachment:<id>"), under the case key; a file added to a record
 * under the summary key (the authority summary, the decision) is under the
 * summary key, so the competent authority reads it with that record. */
#define CASES_FILE_MAX INTAKE_FILE_MAX
#define CASES_FILES_TOTAL INTAKE_FILES_TOTAL
#define CASES_FILES_MAX INTAKE_FILES_MAX

/* An attachment's metadata, decrypted; the bytes come with cases_file_get. */
struct cases_file {
	int64_t id;
	int64_t record_id;                    /* 0 unless added to a record */
	int64_t note_id;                      /* 0 unless added to a note */
	int summary;                          /* 1: under the summary key */
	int64_t account_id;                   /* who added it */
	char author_name[ACCOUNT_DISPLAY_MAX + 1];
	char created_at[20];                  /* "YYYY-MM-DD HH:MM", local time */
	char name[INTAKE_FILENAME_MAX + 1];   /* as cleaned at upload: show, never a path */
	char mime[INTAKE_MIME_MAX + 1];       /* as decided from the content */
	size_t size;
};

/* Adds files[0..n) (1 to CASES_FILES_MAX) to the case of k (full), by
 * actor_id, a current member: to record record_id of the case, or to note
 * note_id, or with both 0 to the case alone (not both). A record under the
 * summary key takes files from a coordinator member only (else
 * CASES_EDENIED), as the record itself. Files go to a note of a closed case
 * too (notes do), not to a record or the case alone (CASES_ECONFLICT). One
 * transaction with "case.attach" (detail: the files' ids and what they were
 * added to). ids_out (may be NULL) gets the n ids. Returns 0, or -1 with e
 * set and nothing written: CASES_EINVALID (no files, too many or too large,
 * an empty one, an unusable type or name, both a record and a note),
 * CASES_ENOTFOUND (not a member; no such record or note in this case),
 * CASES_EDENIED, CASES_ECONFLICT, CASES_EDB. */
int cases_files_add(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
		    int64_t actor_id, int64_t record_id, int64_t note_id,
		    const struct intake_file *files, size_t n, int64_t *ids_out,
		    struct cases_error *e);

/* cases_record_add with files, in one transaction: the record, then the
 * files added to it ("case.record" and "case.attach"). With files the text
 * may be empty (len 0): a record that is a document. */
int cases_record_add_files(db_t *db, const struct audit_signer *signer,
			   const struct cases_key *k, int64_t actor_id, const char *type,
			   const char *text, size_t len, const struct intake_file *files,
			   size_t nfiles, int64_t *id_out, struct cases_error *e);

/* cases_note_add with files, in one transaction ("case.note" and
 * "case.attach"). With files the text may be empty. */
int cases_note_add_files(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
			 int64_t actor_id, const char *text, size_t len,
			 const struct intake_file *files, size_t nfiles, int64_t *id_out,
			 struct cases_error *e);

/* The attachments of the case of k, oldest first, at most cap into out: all
 * of them with a full key, only those under the summary key with an
 * authority's. *n gets the count, *total (may be NULL) how many there are.
 * The names are content: wipe out when done. Returns 0, or -1 with e set:
 * CASES_EDAMAGED (a meta blob does not open), CASES_EDB. */
int cases_files(db_t *db, const struct cases_key *k, struct cases_file *out, size_t cap,
		size_t *n, size_t *total, struct cases_error *e);

/* One attachment of the case of k: its metadata into *info and its bytes
 * into *data (vault_secure_alloc'd; the caller vault_secure_frees it), *len.
 * An authority's key reaches only files under the summary key. Returns 0, or
 * -1 with e set, *data NULL and *info zeroed: CASES_ENOTFOUND (no such file
 * in this case for this key), CASES_EDAMAGED, CASES_EDB. */
int cases_file_get(db_t *db, const struct cases_key *k, int64_t file_id,
		   struct cases_file *info, unsigned char **data, size_t *len,
		   struct cases_error *e);

/* ---- purge.c ---- */

/* The retention purge (issue 5 item 7). A closed case whose purge_after
 * (closing date plus the organisation's retention term, cases_close) is on
 * or before today loses, in one transaction per case: every record, note,
 * person involved and attachment (rows and blobs), the reasons of its
 * deviations (emptied), every sealed key of the case (members, recovery,
 * authorities, the summary key wrapped in the case row, the joined reports'
 * wrapped keys); and of each joined report: its body (emptied), messages,
 * notes, attachments, receipt sessions and every sealed key, its receipt
 * lookup replaced by random bytes so that the receipt finds nothing. What
 * stays is the anonymous statistical record: the case row's metadata
 * (organisation, protocol and revision, phase, dates, category with its
 * taxonomy revision, outcome, police report, measures, who decided when),
 * the team and the phase log without reasons, the checklist, the reports'
 * metadata (organisation, kind, mode, questionnaire, dates), and the audit
 * trail. purged_on = today; "case.purge" by "system" (detail: the reports'
 * ids and what was removed, counted). SQLite's secure_delete overwrites what
 * is deleted; after the cases the write-ahead log is checkpointed and
 * truncated (db_checkpoint), so that no old page of theirs stays in it.
 * Reports never joined to a case are left alone. */

/* What a purge removes (or would) from one case. */
struct cases_purge_item {
	int64_t case_id;
	char closed_on[DATE_LEN + 1];
	char purge_after[DATE_LEN + 1];
	size_t reports;       /* joined reports emptied */
	size_t records, notes, people, files, reasons;
	size_t keys;          /* sealed and wrapped keys of the case and its reports */
	size_t report_items;  /* the reports' messages, notes, attachments, receipt sessions */
};

/* The cases due for purge on today, by purge date then id, with what a
 * purge would remove, at most cap into out; *n the count, *total (may be
 * NULL) how many are due. Reads only. Returns 0, or -1 with e set:
 * CASES_EINVALID (today is not a date), CASES_EDB. */
int cases_purge_due(db_t *db, const char *today, struct cases_purge_item *out, size_t cap,
		    size_t *n, size_t *total, struct cases_error *e);

/* Purges every case due on today (above), each in its own transaction, then
 * checkpoints the write-ahead log. *n gets the number of cases purged, also
 * on failure (those stay purged). Returns 0, or -1 with e set:
 * CASES_EINVALID (today is not a date), CASES_EDB (a case's transaction
 * failed: it and the cases after it are untouched; or the log could not be
 * emptied because a reader held it beyond the busy timeout, db_error()'s
 * class DBE_BUSY: run again). */
int cases_purge(db_t *db, const struct audit_signer *signer, const char *today, size_t *n,
		struct cases_error *e);

#endif
