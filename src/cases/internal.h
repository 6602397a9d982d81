/* internal.h: what the case storage's files (store.c, team.c, phases.c,
 * records.c, people.c, outcome.c) share, defined in shared.c; not for other
 * areas, which use cases.h. */
#ifndef CASES_INTERNAL_H
#define CASES_INTERNAL_H
#include <stddef.h>
#include <stdint.h>

#include "base/fail.h"
#include "cases/cases.h"
#include "cases/protocol.h"
#include "crypto/vault.h"

/* room for "case-record:" or "probity-case-report-key-v1:" and an int64 */
#define CASES_PURPOSE_LEN 64

/* What the summary key is wrapped with under the case key (vault_wrap's
 * purpose; the owner is the case id). */
#define CASES_WRAP_SUMMARY "probity-case-summary-key-v1"
/* The prefix of a joined report's key wrapped under the case key; the
 * report id follows, the owner is the case id, so the associated data
 * names both. */
#define CASES_WRAP_REPORT "probity-case-report-key-v1:"
#define CASES_WRAPPED_BYTES (ENVELOPE_KEY_BYTES + VAULT_WRAP_OVERHEAD)

/* Fills e (code c, the message from a printf format); returns -1 so that
 * callers can `return cases_fail(...)` (base/fail.h). */
#define cases_fail(e, c, ...) fail_set(&(e)->code, (c), (e)->msg, sizeof (e)->msg, __VA_ARGS__)
/* CASES_EDB with the database's own message; returns -1. */
#define cases_fail_db(db, e) cases_fail((e), CASES_EDB, "%s", db_error(db)->msg)
void cases_error_clear(struct cases_error *e);
/* Turns an intake error into a case error of the same class; returns -1. */
int cases_fail_intake(const struct intake_error *ie, struct cases_error *e);

/* 0 if d is a date (YYYY-MM-DD), else -1 with e (CASES_EINVALID). */
int cases_check_date(const char *d, const char *what, struct cases_error *e);
/* 0 if text[0..len) is 1 to max bytes of UTF-8 without control characters
 * (tab, CR and LF allowed), else -1 with e (CASES_EINVALID) naming what. */
int cases_check_text(const char *text, size_t len, size_t max, const char *what,
		     struct cases_error *e);

/* Begins a transaction (write unless read_only) and sets *in_tx; 0 or -1. */
int cases_tx_begin(db_t *db, int read_only, int *in_tx);
/* Finalizes st (may be NULL) and rolls back when in_tx. */
void cases_tx_end(db_t *db, db_stmt_t *st, int in_tx);

/* A case's row, in the clear. */
struct cases_row {
	int64_t id;
	int64_t org_id;
	char protocol[CASES_ID_MAX + 1];
	int protocol_revision;
	char phase[CASES_ID_MAX + 1];
	char phase_started_on[DATE_LEN + 1];
	char opened_on[DATE_LEN + 1];
	char closed_on[DATE_LEN + 1];   /* "" while open */
	char decided_on[DATE_LEN + 1];  /* "" until the authority decided */
	int purged;
};

/* Reads case id. 0, 1 when there is no such case (or it was purged), -1 on a
 * db error. */
int cases_load(db_t *db, int64_t id, struct cases_row *out);

/* The protocol of a stored case (from the data set, initialised on first
 * use), or NULL with e (CASES_EDAMAGED: a revision this build lacks). */
const struct cases_protocol *cases_protocol_of(const struct cases_row *row,
					       struct cases_error *e);
/* The data set, initialised on first use; 0 or -1 with e (CASES_EDB). */
int cases_data_ready(struct cases_error *e);

/* How actor_id acts on a case, decided in the database. */
enum cases_as {
	CASES_AS_NONE = 0,
	CASES_AS_COORDINATOR,   /* a current coordinator member */
	CASES_AS_INVESTIGATOR,  /* a current investigator member */
	CASES_AS_AUTHORITY,     /* holds the summary key and competent_authority there */
};
/* What actor_id (enabled) is on case row: one of enum cases_as, or -1 on a db
 * error. A member is tried before an authority. */
int cases_actor(db_t *db, const struct cases_row *row, int64_t actor_id);
/* The role_mask bits the phase machine sees for someone acting as `as`. */
unsigned cases_as_roles(int as);
/* "coordinator", "investigator", "authority" or "none". */
const char *cases_as_name(int as);

/* What a write needs from its actor. */
enum cases_need {
	CASES_NEED_MEMBER,       /* any current member, with the case key */
	CASES_NEED_COORDINATOR,  /* a coordinator member, with the case key */
	CASES_NEED_AUTHORITY,    /* an authority, with the summary key */
	CASES_NEED_ANY,          /* a member with the case key or an authority */
};

/* Inside the caller's write transaction: loads the case of k into *row and
 * checks that actor_id may write as `need` with this key (*as gets how it
 * acts). A closed case is CASES_ECONFLICT unless may_be_closed. 0, or -1
 * with e: CASES_ENOTFOUND (no such case, not a member or authority of it,
 * a key that does not fit), CASES_EDENIED (a member, but not a
 * coordinator), CASES_ECONFLICT, CASES_EDB. */
int cases_authorise(db_t *db, const struct cases_key *k, int64_t actor_id, enum cases_need need,
		    int may_be_closed, struct cases_row *row, int *as, struct cases_error *e);

/* 1 if account_id, enabled, holds role (role_name) at organisation org_id or
 * a row whose roles reach it (ORGS_REACH_CTE); 0 if not; -1 on a db error. */
int cases_holds_role(db_t *db, int64_t org_id, int64_t account_id, const char *role);
/* The public key of account_id (enabled) into pk: 0, 1 no such enabled
 * account, -1 on a db error, -2 a damaged key. */
int cases_account_pk(db_t *db, int64_t account_id, unsigned char pk[32]);

/* Seals key (kind) to pk and stores it as holder 'account' of case_id. 0 or
 * -1 with e. */
int cases_store_member_key(db_t *db, int64_t case_id, int64_t account_id,
			   const unsigned char pk[32], const unsigned char key[ENVELOPE_KEY_BYTES],
			   struct cases_error *e);
/* Seals key to the current recovery key, if any, as holder 'recovery'. 0
 * (also when there is none) or -1 with e. */
int cases_store_recovery_key(db_t *db, int64_t case_id,
			     const unsigned char key[ENVELOPE_KEY_BYTES], struct cases_error *e);

/* Appends an audit entry by "user:<actor_id>" on object "case" case_id. 0 or
 * -1 (db error). */
int cases_audit(db_t *db, const struct audit_signer *signer, int64_t actor_id,
		const char *action, int64_t case_id, const char *detail);

/* Seals n bytes of plain under key for case_id and purpose into the row
 * (sql as blob_update: ?1 blob, ?2 row). 0 or -1 with e. */
int cases_write_blob(db_t *db, const char *sql, const unsigned char key[ENVELOPE_KEY_BYTES],
		     int64_t case_id, const char *purpose, int64_t row, const void *plain,
		     size_t n, struct cases_error *e);

/* Sets report_id's handed_over_on to today where not yet set, with intake's
 * "report.handover" entry. 0 or -1 (db error). */
int cases_hand_over(db_t *db, const struct audit_signer *signer, int64_t actor_id,
		    int64_t report_id, int64_t case_id, const char *today);

/* Wraps the report key under the case key and stores it as joined to the
 * case. 0 or -1 with e. */
int cases_store_report_key(db_t *db, const struct cases_key *k, int64_t actor_id,
			   const struct intake_key *rk, const char *today, struct cases_error *e);

/* records.c: inserts a record of type (under the summary key when summary)
 * with its text, inside the caller's write transaction; *id gets its id. 0
 * or -1 with e. */
int cases_record_insert(db_t *db, const struct cases_key *k, int64_t actor_id, const char *type,
			int summary, const char *text, size_t len, int64_t *id,
			struct cases_error *e);

/* Copies src into dst (cap bytes), cut if need be. */
void cases_copy(char *dst, size_t cap, const char *src);

#endif
