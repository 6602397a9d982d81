/* email.c: see email.h. */
#include "accounts/email.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

static int fail_db(db_t *db, struct account_error *e)
{
	e->code = ACCOUNT_EDB;
	snprintf(e->msg, sizeof e->msg, "%.290s", db_error(db)->msg);
	db_rollback(db);
	return -1;
}

int accounts_set_email(db_t *db, const struct audit_signer *s, const char *actor, int64_t id,
		       const char *email, int *changed, struct account_error *e)
{
	db_stmt_t *st = NULL;
	char oid[24];
	if (changed)
		*changed = 0;
	e->code = ACCOUNT_OK;
	e->msg[0] = 0;
	if (email && !mail_address_valid(email)) {
		e->code = ACCOUNT_EINVALID;
		snprintf(e->msg, sizeof e->msg,
			 "'%.80s' is not an e-mail address Probity sends to: give it as "
			 "name@example.nl, without spaces, quotes or angle brackets", email);
		return -1;
	}
	if (db_begin(db) != 0)
		return fail_db(db, e);
	if (db_prepare(db, "SELECT email FROM account WHERE id = ?", &st) != 0 ||
	    db_bind_i64(st, 1, id) != 0)
		goto dbfail;
	int step = db_step(st);
	if (step == DB_DONE) {
		db_finalize(st);
		db_rollback(db);
		e->code = ACCOUNT_ENOTFOUND;
		snprintf(e->msg, sizeof e->msg, "no account has id %" PRId64, id);
		return -1;
	}
	if (step != DB_ROW)
		goto dbfail;
	int same = email ? strcmp(db_col_text(st, 0), email) == 0 : db_col_is_null(st, 0);
	db_finalize(st);
	st = NULL;
	if (same) {
		db_rollback(db);
		return 0;
	}
	snprintf(oid, sizeof oid, "%" PRId64, id);
	struct audit_entry ae = {.actor = actor, .action = "account.email",
				 .object_type = "account", .object_id = oid,
				 .detail = email ? "set" : "removed"};
	if (db_prepare(db, "UPDATE account SET email = ? WHERE id = ?", &st) != 0 ||
	    db_bind_text(st, 1, email, (size_t)-1) != 0 || db_bind_i64(st, 2, id) != 0 ||
	    db_step(st) != DB_DONE)
		goto dbfail;
	db_finalize(st);
	st = NULL;
	if (audit_append(db, s, &ae) != 0 || db_commit(db) != 0)
		goto dbfail;
	if (changed)
		*changed = 1;
	return 0;
dbfail:
	db_finalize(st);
	return fail_db(db, e);
}

int accounts_email(db_t *db, int64_t id, char out[MAIL_ADDRESS_MAX + 1])
{
	db_stmt_t *st;
	out[0] = 0;
	if (db_prepare(db, "SELECT email FROM account WHERE id = ?", &st) != 0)
		return -1;
	int rc = -1;
	if (db_bind_i64(st, 1, id) == 0) {
		int step = db_step(st);
		if (step == DB_ROW) {
			snprintf(out, MAIL_ADDRESS_MAX + 1, "%s", db_col_text(st, 0));
			rc = 0;
		} else if (step == DB_DONE) {
			rc = 1;
		}
	}
	db_finalize(st);
	return rc;
}

int accounts_mailboxes(db_t *db, struct account_mailbox **out, size_t *n)
{
	db_stmt_t *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (db_prepare(db, "SELECT id, username, email, reminded_on FROM account "
			   "WHERE email IS NOT NULL AND disabled = 0 ORDER BY id", &st) != 0)
		return -1;
	int step;
	while ((step = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 32;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		struct account_mailbox *m = &(*out)[(*n)++];
		memset(m, 0, sizeof *m);
		m->id = db_col_i64(st, 0);
		snprintf(m->username, sizeof m->username, "%s", db_col_text(st, 1));
		snprintf(m->email, sizeof m->email, "%s", db_col_text(st, 2));
		snprintf(m->reminded_on, sizeof m->reminded_on, "%s", db_col_text(st, 3));
	}
	db_finalize(st);
	if (step != DB_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int accounts_set_reminded(db_t *db, int64_t id, const char *on)
{
	db_stmt_t *st;
	if (db_prepare(db, "UPDATE account SET reminded_on = ? WHERE id = ?", &st) != 0)
		return -1;
	int rc = db_bind_text(st, 1, on, (size_t)-1) == 0 && db_bind_i64(st, 2, id) == 0 &&
			 db_step(st) == DB_DONE ? 0 : -1;
	db_finalize(st);
	return rc;
}
