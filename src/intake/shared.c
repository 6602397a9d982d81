/* shared.c: what store.c, read.c, follow.c and rsession.c share
 * (internal.h): error filling, beginning and ending a transaction, the
 * key-row check. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/date.h"
#include "intake/intake.h"
#include "intake/internal.h"

void intake_error_clear(struct intake_error *e)
{
	e->code = INTAKE_OK;
	e->msg[0] = '\0';
}

int intake_tx_begin(db_t *db, int read_only, int *in_tx)
{
	if ((read_only ? db_begin_read(db) : db_begin(db)) != 0)
		return -1;
	*in_tx = 1;
	return 0;
}

int intake_select_report(db_t *db, const char *sql, int64_t report_id, db_stmt_t **st,
			 int *in_tx)
{
	if (intake_tx_begin(db, 1, in_tx) != 0 || db_prepare(db, sql, st) != 0 ||
	    db_bind_i64(*st, 1, report_id) != 0)
		return -1;
	return 0;
}

void intake_tx_end(db_t *db, db_stmt_t *st, int in_tx)
{
	db_finalize(st);
	if (in_tx)
		db_rollback(db);
}

int intake_holds_key(db_t *db, int64_t report_id, int64_t account_id)
{
	int64_t n = 0;
	db_stmt_t *st = NULL;
	if (db_prepare(db, "SELECT count(*) FROM report_key k JOIN account a ON a.id = k.account_id "
			   "WHERE k.report_id = ? AND k.account_id = ? AND k.holder = 'account' "
			   "AND a.disabled = 0", &st) != 0 ||
	    db_bind_i64(st, 1, report_id) != 0 || db_bind_i64(st, 2, account_id) != 0 ||
	    db_step(st) != DB_ROW) {
		db_finalize(st);
		return -1;
	}
	n = db_col_i64(st, 0);
	db_finalize(st);
	return n > 0 ? 0 : 1;
}

void intake_key_wipe(struct intake_key *k)
{
	sodium_memzero(k, sizeof *k);
}
