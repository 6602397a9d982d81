/* seed.c: see seed.h. */
#include "seed.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "accounts/accounts.h"
#include "base/date.h"

static int64_t fail(db_t *db, db_stmt_t *st, const char *what)
{
	fprintf(stderr, "seed_report: %s: %s\n", what, db_error(db)->msg);
	db_finalize(st);
	db_rollback(db);
	return -1;
}

/* The 32-byte public key in column 0 of sql with id bound; 0 or -1. */
static int pk_of(db_t *db, const char *sql, int64_t id, unsigned char pk[32])
{
	db_stmt_t *st;
	if (db_prepare(db, sql, &st) != 0)
		return -1;
	int ok = db_bind_i64(st, 1, id) == 0 && db_step(st) == DB_ROW && db_col_bytes(st, 0) == 32;
	if (ok)
		memcpy(pk, db_col_blob(st, 0), 32);
	db_finalize(st);
	return ok ? 0 : -1;
}

static int put_key(db_t *db, int64_t report, const char *holder, int64_t account,
		   int64_t recovery_key_id, const unsigned char *sealed, size_t n)
{
	db_stmt_t *st;
	if (db_prepare(db, "INSERT INTO report_key (report_id, holder, account_id, sealed, "
			   "recovery_key_id) VALUES (?, ?, ?, ?, ?)", &st) != 0)
		return -1;
	int ok = db_bind_i64(st, 1, report) == 0 && db_bind_text(st, 2, holder, (size_t)-1) == 0 &&
		 (account ? db_bind_i64(st, 3, account) : db_bind_null(st, 3)) == 0 &&
		 db_bind_blob(st, 4, sealed, n) == 0 &&
		 (recovery_key_id ? db_bind_i64(st, 5, recovery_key_id) : db_bind_null(st, 5)) == 0 &&
		 db_step(st) == DB_DONE;
	db_finalize(st);
	return ok ? 0 : -1;
}

int64_t seed_report(db_t *db, int64_t org_id, const int64_t *holders, size_t n,
		    int64_t recovery_key_id, unsigned char key_out[ENVELOPE_KEY_BYTES])
{
	unsigned char key[ENVELOPE_KEY_BYTES], lookup[32], salt[16], pk[32];
	unsigned char sealed[ENVELOPE_SEALED_PK_BYTES], blob[2048];
	char today[DATE_LEN + 1], at[TIMESTAMP_LEN + 1];
	size_t blen = 0;
	db_stmt_t *st = NULL;
	envelope_key_new(key);
	randombytes_buf(lookup, sizeof lookup);
	randombytes_buf(salt, sizeof salt);
	date_today(today);
	timestamp_now(at);
	if (db_begin(db) != 0)
		return fail(db, NULL, "begin");
	if (db_prepare(db, "INSERT INTO report (org_id, kind, mode, questionnaire, "
			   "questionnaire_revision, received_on, received_at, receipt_lookup, "
			   "receipt_salt, body) VALUES (?, 'wrongdoing', 'anonymous', 'melding', 1, "
			   "?, ?, ?, ?, X'') RETURNING id", &st) != 0 ||
	    db_bind_i64(st, 1, org_id) != 0 || db_bind_text(st, 2, today, (size_t)-1) != 0 ||
	    db_bind_text(st, 3, at, (size_t)-1) != 0 ||
	    db_bind_blob(st, 4, lookup, sizeof lookup) != 0 ||
	    db_bind_blob(st, 5, salt, sizeof salt) != 0 || db_step(st) != DB_ROW)
		return fail(db, st, "insert report");
	int64_t id = db_col_i64(st, 0);
	db_finalize(st);
	st = NULL;
	if (envelope_encrypt(key, id, SEED_PURPOSE, (const unsigned char *)SEED_BODY,
			     strlen(SEED_BODY), blob, sizeof blob, &blen) != 0)
		return fail(db, NULL, "encrypt");
	if (db_prepare(db, "UPDATE report SET body = ? WHERE id = ?", &st) != 0 ||
	    db_bind_blob(st, 1, blob, blen) != 0 || db_bind_i64(st, 2, id) != 0 ||
	    db_step(st) != DB_DONE)
		return fail(db, st, "body");
	db_finalize(st);
	for (size_t i = 0; i < n; i++)
		if (pk_of(db, "SELECT public_key FROM account WHERE id = ?", holders[i], pk) != 0 ||
		    envelope_seal_to_pk(ENVELOPE_HANDLER, pk, id, key, sealed) != 0 ||
		    put_key(db, id, "account", holders[i], 0, sealed, sizeof sealed) != 0)
			return fail(db, NULL, "holder");
	if (recovery_key_id &&
	    (pk_of(db, "SELECT public_key FROM recovery_key WHERE id = ?", recovery_key_id,
		   pk) != 0 ||
	     envelope_seal_to_pk(ENVELOPE_RECOVERY, pk, id, key, sealed) != 0 ||
	     put_key(db, id, "recovery", 0, recovery_key_id, sealed, sizeof sealed) != 0))
		return fail(db, NULL, "recovery seal");
	if (db_commit(db) != 0)
		return fail(db, NULL, "commit");
	if (key_out)
		memcpy(key_out, key, sizeof key);
	sodium_memzero(key, sizeof key);
	return id;
}

int64_t seed_current_key(db_t *db)
{
	int64_t id = 0;
	if (db_query_i64(db, "SELECT coalesce(max(id), 0) FROM recovery_key WHERE retired_at IS "
			     "NULL", NULL, &id) != 0)
		return -1;
	return id;
}
