/* shared.c: what the case storage's files share (internal.h): errors and
 * checks, transactions, a case's row and protocol, who an account is on a
 * case, sealing keys to accounts and the recovery key, audit entries and
 * blobs. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/utf8.h"
#include "cases/cases.h"
#include "cases/dataset.h"
#include "cases/internal.h"
#include "crypto/blob.h"
#include "crypto/vault.h"

void cases_error_clear(struct cases_error *e)
{
	e->code = CASES_OK;
	e->move_code = 0;
	e->msg[0] = '\0';
}

int cases_fail_intake(const struct intake_error *ie, struct cases_error *e)
{
	int code;
	switch (ie->code) {
	case INTAKE_EINVALID:
	case INTAKE_EMISTYPED:
		code = CASES_EINVALID;
		break;
	case INTAKE_ENOTFOUND:
		code = CASES_ENOTFOUND;
		break;
	case INTAKE_ECONFLICT:
		code = CASES_ECONFLICT;
		break;
	case INTAKE_EDAMAGED:
		code = CASES_EDAMAGED;
		break;
	default:
		code = CASES_EDB;
		break;
	}
	return cases_fail(e, code, "%s", ie->msg);
}

int cases_check_date(const char *d, const char *what, struct cases_error *e)
{
	if (!d || date_valid(d, strlen(d)) != 0)
		return cases_fail(e, CASES_EINVALID, "%s is not a date: YYYY-MM-DD", what);
	return 0;
}

int cases_check_text(const char *text, size_t len, size_t max, const char *what,
		     struct cases_error *e)
{
	if (!text || len == 0)
		return cases_fail(e, CASES_EINVALID, "%s is empty", what);
	if (len > max)
		return cases_fail(e, CASES_EINVALID, "%s is longer than %zu bytes", what, max);
	if (!utf8_text_clean(text, len, 1))
		return cases_fail(e, CASES_EINVALID,
				  "%s is not valid UTF-8 or holds control characters", what);
	return 0;
}

int cases_tx_begin(db_t *db, int read_only, int *in_tx)
{
	if ((read_only ? db_begin_read(db) : db_begin(db)) != 0)
		return -1;
	*in_tx = 1;
	return 0;
}

void cases_tx_end(db_t *db, db_stmt_t *st, int in_tx)
{
	db_finalize(st);
	if (in_tx)
		db_rollback(db);
}

void cases_copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

int cases_load(db_t *db, int64_t id, struct cases_row *out)
{
	db_stmt_t *st = NULL;
	int rc = -1;
	memset(out, 0, sizeof *out);
	if (db_prepare(db, "SELECT id, org_id, protocol, protocol_revision, phase, "
			   "phase_started_on, opened_on, coalesce(closed_on, ''), "
			   "coalesce(decided_on, ''), purged_on IS NOT NULL FROM case_file WHERE id = ?",
		       &st) != 0 ||
	    db_bind_i64(st, 1, id) != 0)
		goto out;
	int step = db_step(st);
	if (step == DB_DONE) {
		rc = 1;
		goto out;
	}
	if (step != DB_ROW)
		goto out;
	out->id = db_col_i64(st, 0);
	out->org_id = db_col_i64(st, 1);
	cases_copy(out->protocol, sizeof out->protocol, db_col_text(st, 2));
	out->protocol_revision = (int)db_col_i64(st, 3);
	cases_copy(out->phase, sizeof out->phase, db_col_text(st, 4));
	cases_copy(out->phase_started_on, sizeof out->phase_started_on, db_col_text(st, 5));
	cases_copy(out->opened_on, sizeof out->opened_on, db_col_text(st, 6));
	cases_copy(out->closed_on, sizeof out->closed_on, db_col_text(st, 7));
	cases_copy(out->decided_on, sizeof out->decided_on, db_col_text(st, 8));
	out->purged = db_col_i64(st, 9) != 0;
	rc = out->purged ? 1 : 0;
out:
	db_finalize(st);
	return rc;
}

int cases_data_ready(struct cases_error *e)
{
	char err[300];
	if (cases_data_init(err, sizeof err) != 0)
		return cases_fail(e, CASES_EDB, "the protocols shipped with this build do not "
				  "load: %s", err);
	return 0;
}

const struct cases_protocol *cases_protocol_of(const struct cases_row *row,
					       struct cases_error *e)
{
	if (cases_data_ready(e) != 0)
		return NULL;
	const struct cases_protocol *p =
		cases_data_protocol_find(row->protocol, row->protocol_revision);
	if (!p)
		cases_fail(e, CASES_EDAMAGED, "case %" PRId64 " follows protocol %s revision %d, "
			   "which this build does not carry", row->id, row->protocol,
			   row->protocol_revision);
	return p;
}

int cases_holds_role(db_t *db, int64_t org_id, int64_t account_id, const char *role)
{
	db_stmt_t *st = NULL;
	int rc = -1;
	if (db_prepare(db,
		       ORGS_REACH_CTE
		       "SELECT count(*) FROM account a JOIN account_role r ON r.account_id = a.id"
		       " WHERE a.id = ?2 AND a.disabled = 0 AND r.role = ?3"
		       " AND r.org_id IN (SELECT id FROM reach)",
		       &st) == 0 &&
	    db_bind_i64(st, 1, org_id) == 0 && db_bind_i64(st, 2, account_id) == 0 &&
	    db_bind_text(st, 3, role, (size_t)-1) == 0 && db_step(st) == DB_ROW)
		rc = db_col_i64(st, 0) > 0;
	db_finalize(st);
	return rc;
}

int cases_account_pk(db_t *db, int64_t account_id, unsigned char pk[32])
{
	db_stmt_t *st = NULL;
	int rc = -1;
	if (db_prepare(db, "SELECT public_key FROM account WHERE id = ? AND disabled = 0", &st) != 0 ||
	    db_bind_i64(st, 1, account_id) != 0)
		goto out;
	int step = db_step(st);
	if (step == DB_DONE)
		rc = 1;
	else if (step == DB_ROW && db_col_bytes(st, 0) != 32)
		rc = -2;
	else if (step == DB_ROW) {
		memcpy(pk, db_col_blob(st, 0), 32);
		rc = 0;
	}
out:
	db_finalize(st);
	return rc;
}

int cases_actor(db_t *db, const struct cases_row *row, int64_t actor_id)
{
	db_stmt_t *st = NULL;
	int as = -1;
	if (db_prepare(db, "SELECT m.role_in_case FROM case_member m "
			   "JOIN account a ON a.id = m.account_id "
			   "WHERE m.case_id = ? AND m.account_id = ? AND m.removed_on IS NULL "
			   "AND a.disabled = 0", &st) != 0 ||
	    db_bind_i64(st, 1, row->id) != 0 || db_bind_i64(st, 2, actor_id) != 0)
		goto out;
	int step = db_step(st);
	if (step == DB_ROW) {
		as = strcmp(db_col_text(st, 0), "coordinator") == 0 ? CASES_AS_COORDINATOR
								    : CASES_AS_INVESTIGATOR;
		goto out;
	}
	if (step != DB_DONE)
		goto out;
	db_finalize(st);
	st = NULL;
	/* not a member: an authority the summary was shared with, who still
	 * holds the role where the case is */
	int64_t n = 0;
	if (db_prepare(db, "SELECT count(*) FROM case_summary_key WHERE case_id = ? "
			   "AND account_id = ?", &st) != 0 ||
	    db_bind_i64(st, 1, row->id) != 0 || db_bind_i64(st, 2, actor_id) != 0 ||
	    db_step(st) != DB_ROW)
		goto out;
	n = db_col_i64(st, 0);
	if (n == 0) {
		as = CASES_AS_NONE;
		goto out;
	}
	int r = cases_holds_role(db, row->org_id, actor_id, "competent_authority");
	as = r < 0 ? -1 : r ? CASES_AS_AUTHORITY : CASES_AS_NONE;
out:
	db_finalize(st);
	return as;
}

unsigned cases_as_roles(int as)
{
	switch (as) {
	case CASES_AS_COORDINATOR:
		return role_mask(ROLE_INTEGRITY_COORDINATOR);
	case CASES_AS_INVESTIGATOR:
		return role_mask(ROLE_INVESTIGATOR);
	case CASES_AS_AUTHORITY:
		return role_mask(ROLE_COMPETENT_AUTHORITY);
	default:
		return 0;
	}
}

const char *cases_as_name(int as)
{
	switch (as) {
	case CASES_AS_COORDINATOR:
		return "coordinator";
	case CASES_AS_INVESTIGATOR:
		return "investigator";
	case CASES_AS_AUTHORITY:
		return "authority";
	default:
		return "none";
	}
}

int cases_authorise(db_t *db, const struct cases_key *k, int64_t actor_id, enum cases_need need,
		    int may_be_closed, struct cases_row *row, int *as, struct cases_error *e)
{
	*as = CASES_AS_NONE;
	int f = cases_load(db, k->case_id, row);
	if (f < 0)
		return cases_fail_db(db, e);
	if (f > 0)
		return cases_fail(e, CASES_ENOTFOUND, "no case %" PRId64, k->case_id);
	int a = actor_id > 0 ? cases_actor(db, row, actor_id) : CASES_AS_NONE;
	if (a < 0)
		return cases_fail_db(db, e);
	int member = a == CASES_AS_COORDINATOR || a == CASES_AS_INVESTIGATOR;
	/* the key must fit the actor: a member writes with the case key, an
	 * authority with the summary key alone */
	int fits = (member && k->full) || (a == CASES_AS_AUTHORITY && !k->full);
	int wanted = need == CASES_NEED_ANY ? 1
		     : need == CASES_NEED_AUTHORITY ? a == CASES_AS_AUTHORITY
						     : member;
	if (a == CASES_AS_NONE || !fits || !wanted)
		return cases_fail(e, CASES_ENOTFOUND, "no case %" PRId64 " for this account",
				  k->case_id);
	if (need == CASES_NEED_COORDINATOR && a != CASES_AS_COORDINATOR)
		return cases_fail(e, CASES_EDENIED, "only a coordinator of case %" PRId64
				  " may do this", k->case_id);
	if (!may_be_closed && row->closed_on[0])
		return cases_fail(e, CASES_ECONFLICT, "case %" PRId64 " is closed", k->case_id);
	*as = a;
	return 0;
}

static int insert_key(db_t *db, int64_t case_id, const char *holder, int64_t account_id,
		      int64_t recovery_key_id, const unsigned char *sealed, size_t n)
{
	db_stmt_t *st = NULL;
	int rc = -1;
	if (db_prepare(db, "INSERT INTO case_key (case_id, holder, account_id, recovery_key_id, "
			   "sealed) VALUES (?, ?, ?, ?, ?)", &st) == 0 &&
	    db_bind_i64(st, 1, case_id) == 0 && db_bind_text(st, 2, holder, (size_t)-1) == 0 &&
	    (account_id ? db_bind_i64(st, 3, account_id) : db_bind_null(st, 3)) == 0 &&
	    (recovery_key_id ? db_bind_i64(st, 4, recovery_key_id) : db_bind_null(st, 4)) == 0 &&
	    db_bind_blob(st, 5, sealed, n) == 0 && db_step(st) == DB_DONE)
		rc = 0;
	db_finalize(st);
	return rc;
}

int cases_store_member_key(db_t *db, int64_t case_id, int64_t account_id,
			   const unsigned char pk[32], const unsigned char key[ENVELOPE_KEY_BYTES],
			   struct cases_error *e)
{
	unsigned char sealed[ENVELOPE_SEALED_PK_BYTES];
	if (envelope_seal_to_pk(ENVELOPE_CASE_MEMBER, pk, case_id, key, sealed) != 0)
		return cases_fail(e, CASES_EDAMAGED, "account %" PRId64 " has an unusable public key",
				  account_id);
	if (insert_key(db, case_id, "account", account_id, 0, sealed, sizeof sealed) != 0)
		return cases_fail_db(db, e);
	return 0;
}

int cases_store_recovery_key(db_t *db, int64_t case_id,
			     const unsigned char key[ENVELOPE_KEY_BYTES], struct cases_error *e)
{
	db_stmt_t *st = NULL;
	unsigned char pk[32], sealed[ENVELOPE_SEALED_PK_BYTES];
	if (db_prepare(db, "SELECT id, public_key FROM recovery_key WHERE retired_at IS NULL",
		       &st) != 0)
		return cases_fail_db(db, e);
	int step = db_step(st);
	if (step == DB_DONE) {
		db_finalize(st);
		return 0;
	}
	if (step != DB_ROW) {
		db_finalize(st);
		return cases_fail_db(db, e);
	}
	int64_t kid = db_col_i64(st, 0);
	if (db_col_bytes(st, 1) != sizeof pk) {
		db_finalize(st);
		return cases_fail(e, CASES_EDAMAGED, "the recovery key is damaged");
	}
	memcpy(pk, db_col_blob(st, 1), sizeof pk);
	db_finalize(st);
	if (envelope_seal_to_pk(ENVELOPE_CASE_RECOVERY, pk, case_id, key, sealed) != 0)
		return cases_fail(e, CASES_EDAMAGED, "the recovery key is unusable");
	if (insert_key(db, case_id, "recovery", 0, kid, sealed, sizeof sealed) != 0)
		return cases_fail_db(db, e);
	return 0;
}

int cases_audit(db_t *db, const struct audit_signer *signer, int64_t actor_id,
		const char *action, int64_t case_id, const char *detail)
{
	return audit_append_user(db, signer, actor_id, action, "case", case_id, detail);
}

int cases_write_blob(db_t *db, const char *sql, const unsigned char key[ENVELOPE_KEY_BYTES],
		     int64_t case_id, const char *purpose, int64_t row, const void *plain,
		     size_t n, struct cases_error *e)
{
	int rc = blob_update(db, sql, key, case_id, purpose, row, plain, n);
	if (rc > 0)
		return cases_fail(e, CASES_EINVALID, "too large to store");
	if (rc < 0)
		return cases_fail_db(db, e);
	return 0;
}

int cases_hand_over(db_t *db, const struct audit_signer *signer, int64_t actor_id,
		    int64_t report_id, int64_t case_id, const char *today)
{
	db_stmt_t *st = NULL;
	if (db_prepare(db, "UPDATE report SET handed_over_on = ?1 WHERE id = ?2 "
			   "AND handed_over_on IS NULL", &st) != 0 ||
	    db_bind_text(st, 1, today, (size_t)-1) != 0 || db_bind_i64(st, 2, report_id) != 0 ||
	    db_step(st) != DB_DONE) {
		db_finalize(st);
		return -1;
	}
	db_finalize(st);
	if (db_changes(db) == 0)
		return 0;
	/* the entry intake_hand_over would have written, naming the case */
	char actor[32], oid[24], detail[96];
	snprintf(actor, sizeof actor, "user:%" PRId64, actor_id);
	snprintf(oid, sizeof oid, "%" PRId64, report_id);
	snprintf(detail, sizeof detail, "report %" PRId64 " on %s to case %" PRId64, report_id,
		 today, case_id);
	struct audit_entry ae = {.actor = actor, .action = "report.handover",
				 .object_type = "report", .object_id = oid, .detail = detail};
	return audit_append(db, signer, &ae);
}

int cases_store_report_key(db_t *db, const struct cases_key *k, int64_t actor_id,
			   const struct intake_key *rk, const char *today, struct cases_error *e)
{
	char purpose[CASES_PURPOSE_LEN];
	unsigned char wrapped[CASES_WRAPPED_BYTES];
	db_stmt_t *st = NULL;
	snprintf(purpose, sizeof purpose, CASES_WRAP_REPORT "%" PRId64, rk->report_id);
	if (vault_wrap(k->key, purpose, k->case_id, rk->key, sizeof rk->key, wrapped) != 0)
		return cases_fail(e, CASES_EDB, "could not wrap the key of report %" PRId64,
				  rk->report_id);
	int rc = 0;
	if (db_prepare(db, "INSERT INTO case_report_key (case_id, report_id, joined_on, joined_by, "
			   "sealed) VALUES (?, ?, ?, ?, ?)", &st) != 0 ||
	    db_bind_i64(st, 1, k->case_id) != 0 || db_bind_i64(st, 2, rk->report_id) != 0 ||
	    db_bind_text(st, 3, today, (size_t)-1) != 0 || db_bind_i64(st, 4, actor_id) != 0 ||
	    db_bind_blob(st, 5, wrapped, sizeof wrapped) != 0 || db_step(st) != DB_DONE)
		rc = cases_fail_db(db, e);
	db_finalize(st);
	sodium_memzero(wrapped, sizeof wrapped);
	return rc;
}
