/* team.c: the case team (migration 0008 case_member, case_key; cases.h).
 * Joining the team is getting the case key sealed to one's own account key;
 * leaving it is losing that sealed row. Only a coordinator member changes
 * the team, and only with people who hold the role where the case is. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "cases/internal.h"

#define fail cases_fail
#define fail_db cases_fail_db

int cases_members(db_t *db, const struct cases_key *k, struct cases_member *out, size_t cap,
		  size_t *n, struct cases_error *e)
{
	db_stmt_t *st = NULL;
	int in_tx = 0, rc = -1;
	size_t cnt = 0;
	*n = 0;
	cases_error_clear(e);
	if (!k->full)
		return fail(e, CASES_ENOTFOUND, "no case %" PRId64 " for this account", k->case_id);
	if (cases_tx_begin(db, 1, &in_tx) != 0)
		goto dbfail;
	if (db_prepare(db, "SELECT m.account_id, a.username, a.display_name, m.role_in_case, "
			   "m.added_on, coalesce(m.removed_on, '') FROM case_member m "
			   "JOIN account a ON a.id = m.account_id WHERE m.case_id = ? "
			   "ORDER BY m.removed_on IS NOT NULL, m.role_in_case = 'investigator', "
			   "a.display_name, m.account_id, m.added_on", &st) != 0 ||
	    db_bind_i64(st, 1, k->case_id) != 0)
		goto dbfail;
	int step;
	while ((step = db_step(st)) == DB_ROW) {
		if (cnt == cap)
			continue;
		struct cases_member *m = &out[cnt++];
		memset(m, 0, sizeof *m);
		m->account_id = db_col_i64(st, 0);
		cases_copy(m->username, sizeof m->username, db_col_text(st, 1));
		cases_copy(m->display_name, sizeof m->display_name, db_col_text(st, 2));
		cases_copy(m->role, sizeof m->role, db_col_text(st, 3));
		cases_copy(m->added_on, sizeof m->added_on, db_col_text(st, 4));
		cases_copy(m->removed_on, sizeof m->removed_on, db_col_text(st, 5));
	}
	if (step != DB_DONE)
		goto dbfail;
	*n = cnt;
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	cases_tx_end(db, st, in_tx);
	return rc;
}

/* Counts rows of case_member for case_id and account_id that are current,
 * or with role set, the current ones in that role of the case. -1 db. */
static int64_t count_members(db_t *db, int64_t case_id, int64_t account_id, const char *role)
{
	db_stmt_t *st = NULL;
	int64_t n = -1;
	if (db_prepare(db, "SELECT count(*) FROM case_member WHERE case_id = ?1 "
			   "AND removed_on IS NULL AND (?2 = 0 OR account_id = ?2) "
			   "AND (?3 IS NULL OR role_in_case = ?3)", &st) == 0 &&
	    db_bind_i64(st, 1, case_id) == 0 && db_bind_i64(st, 2, account_id) == 0 &&
	    db_bind_text(st, 3, role, (size_t)-1) == 0 && db_step(st) == DB_ROW)
		n = db_col_i64(st, 0);
	db_finalize(st);
	return n;
}

int cases_member_add(db_t *db, const struct audit_signer *signer, const struct cases_key *k,
		     int64_t actor_id, int64_t account_id, const char *role, const char *today,
		     struct cases_error *e)
{
	db_stmt_t *st = NULL;
	struct cases_row row;
	unsigned char pk[32];
	char detail[96];
	int in_tx = 0, rc = -1, as;

	cases_error_clear(e);
	if (cases_check_date(today, "the date", e) != 0)
		return -1;
	const char *needs = !role ? NULL
			    : strcmp(role, "investigator") == 0 ? "investigator"
			    : strcmp(role, "coordinator") == 0 ? "integrity_coordinator"
							       : NULL;
	if (!needs)
		return fail(e, CASES_EINVALID, "a member is a coordinator or an investigator");
	if (account_id <= 0)
		return fail(e, CASES_ENOTFOUND, "no such account");
	if (cases_tx_begin(db, 0, &in_tx) != 0)
		goto dbfail;
	if (cases_authorise(db, k, actor_id, CASES_NEED_COORDINATOR, 0, &row, &as, e) != 0)
		goto out;
	if (strcmp(today, row.opened_on) < 0) {
		fail(e, CASES_EINVALID, "case %" PRId64 " was opened after %s", k->case_id, today);
		goto out;
	}
	int pf = cases_account_pk(db, account_id, pk);
	if (pf == -1)
		goto dbfail;
	if (pf == -2) {
		fail(e, CASES_EDAMAGED, "account %" PRId64 " has a damaged public key", account_id);
		goto out;
	}
	if (pf == 1) {
		fail(e, CASES_EDENIED, "account %" PRId64 " does not exist or is disabled",
		     account_id);
		goto out;
	}
	int holds = cases_holds_role(db, row.org_id, account_id, needs);
	if (holds < 0)
		goto dbfail;
	if (!holds) {
		fail(e, CASES_EDENIED, "account %" PRId64 " is no %s of the case's organisation",
		     account_id, needs);
		goto out;
	}
	int64_t already = count_members(db, k->case_id, account_id, NULL);
	if (already < 0)
		goto dbfail;
	if (already > 0) {
		fail(e, CASES_ECONFLICT, "account %" PRId64 " is already on the team of case %"
		     PRId64, account_id, k->case_id);
		goto out;
	}
	if (db_prepare(db, "INSERT INTO case_member (case_id, account_id, role_in_case, added_on, "
			   "added_by) VALUES (?, ?, ?, ?, ?)", &st) != 0 ||
	    db_bind_i64(st, 1, k->case_id) != 0 || db_bind_i64(st, 2, account_id) != 0 ||
	    db_bind_text(st, 3, role, (size_t)-1) != 0 ||
	    db_bind_text(st, 4, today, (size_t)-1) != 0 || db_bind_i64(st, 5, actor_id) != 0 ||
	    db_step(st) != DB_DONE)
		goto dbfail;
	db_finalize(st);
	st = NULL;
	/* a row left by an earlier membership was deleted on removal */
	if (cases_store_member_key(db, k->case_id, account_id, pk, k->key, e) != 0)
		goto out;
	snprintf(detail, sizeof detail, "account %" PRId64 " as %s", account_id, role);
	if (cases_audit(db, signer, actor_id, "case.member-add", k->case_id, detail) != 0 ||
	    db_commit(db) != 0)
		goto dbfail;
	in_tx = 0;
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	cases_tx_end(db, st, in_tx);
	return rc;
}

int cases_member_remove(db_t *db, const struct audit_signer *signer, int64_t case_id,
			int64_t actor_id, int64_t account_id, const char *today,
			struct cases_error *e)
{
	db_stmt_t *st = NULL;
	struct cases_row row;
	char detail[64];
	int in_tx = 0, rc = -1;

	cases_error_clear(e);
	if (cases_check_date(today, "the date", e) != 0)
		return -1;
	if (cases_tx_begin(db, 0, &in_tx) != 0)
		goto dbfail;
	int f = cases_load(db, case_id, &row);
	if (f < 0)
		goto dbfail;
	int as = f == 0 ? cases_actor(db, &row, actor_id) : CASES_AS_NONE;
	if (as < 0)
		goto dbfail;
	if (as != CASES_AS_COORDINATOR && as != CASES_AS_INVESTIGATOR) {
		fail(e, CASES_ENOTFOUND, "no case %" PRId64 " for this account", case_id);
		goto out;
	}
	if (as != CASES_AS_COORDINATOR) {
		fail(e, CASES_EDENIED, "only a coordinator of case %" PRId64 " may change its team",
		     case_id);
		goto out;
	}
	if (strcmp(today, row.opened_on) < 0) {
		fail(e, CASES_EINVALID, "case %" PRId64 " was opened after %s", case_id, today);
		goto out;
	}
	int64_t here = count_members(db, case_id, account_id, NULL),
		coordinators = count_members(db, case_id, 0, "coordinator"),
		is_coord = count_members(db, case_id, account_id, "coordinator");
	if (here < 0 || coordinators < 0 || is_coord < 0)
		goto dbfail;
	if (here == 0) {
		fail(e, CASES_ENOTFOUND, "account %" PRId64 " is not on the team of case %" PRId64,
		     account_id, case_id);
		goto out;
	}
	if (is_coord && coordinators == 1) {
		fail(e, CASES_ECONFLICT, "the last coordinator of case %" PRId64 " cannot leave its "
		     "team: add another coordinator first", case_id);
		goto out;
	}
	if (db_prepare(db, "UPDATE case_member SET removed_on = ?1 WHERE case_id = ?2 "
			   "AND account_id = ?3 AND removed_on IS NULL AND added_on <= ?1",
			   &st) != 0 ||
	    db_bind_text(st, 1, today, (size_t)-1) != 0 || db_bind_i64(st, 2, case_id) != 0 ||
	    db_bind_i64(st, 3, account_id) != 0 || db_step(st) != DB_DONE)
		goto dbfail;
	db_finalize(st);
	st = NULL;
	if (db_changes(db) == 0) {
		fail(e, CASES_EINVALID, "account %" PRId64 " joined the team after %s", account_id,
		     today);
		goto out;
	}
	/* Without their sealed row they cannot open the case key again, so no
	 * content written from now on. What they read, and any key a session of
	 * theirs still holds in memory, is out of our hands; every write checks
	 * membership in the database, so such a key writes nothing more. */
	if (db_prepare(db, "DELETE FROM case_key WHERE case_id = ? AND account_id = ? "
			   "AND holder = 'account'", &st) != 0 ||
	    db_bind_i64(st, 1, case_id) != 0 || db_bind_i64(st, 2, account_id) != 0 ||
	    db_step(st) != DB_DONE)
		goto dbfail;
	db_finalize(st);
	st = NULL;
	snprintf(detail, sizeof detail, "account %" PRId64, account_id);
	if (cases_audit(db, signer, actor_id, "case.member-remove", case_id, detail) != 0 ||
	    db_commit(db) != 0)
		goto dbfail;
	in_tx = 0;
	rc = 0;
	goto out;
dbfail:
	fail_db(db, e);
out:
	cases_tx_end(db, st, in_tx);
	return rc;
}
