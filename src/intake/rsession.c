/* rsession.c: receipt sessions (rsession.h), table receipt_session of
 * migration 0007; the pattern of accounts/session.c, holding a report key
 * instead of an account's secret key. */
#include "intake/rsession.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "crypto/vault.h"
#include "intake/internal.h"

#define KDF_CONTEXT "probrses"  /* crypto_kdf contexts are 8 bytes */
#define SUBKEY_WRAP 1
#define PURPOSE "probity-receipt-session-v1"
#define WRAPPED_BYTES (ENVELOPE_KEY_BYTES + VAULT_WRAP_OVERHEAD)

/* The wrapping key is derived from the cookie's session key rather than the
 * key itself, so that the cookie's key can later serve other uses (a CSRF
 * token, as in accounts/session.c) without two uses of one key. */
static void wrap_key(const unsigned char skey[32], unsigned char out[32])
{
	crypto_kdf_derive_from_key(out, 32, SUBKEY_WRAP, KDF_CONTEXT, skey);
}

#define ID_DOMAIN "probity-receipt-session-id-v1"  /* not a users' session id */

int intake_rsession_create(db_t *db, const char *receipt_typed, const char *lang, time_t now,
			   char token[SESSION_TOKEN_LEN + 1], struct intake_rsession *out,
			   struct intake_error *e)
{
	struct intake_key *k = vault_secure_alloc(sizeof *k);
	unsigned char wk[32], wrapped[WRAPPED_BYTES];
	db_stmt_t *st = NULL;
	int rc = -1;

	memset(token, 0, SESSION_TOKEN_LEN + 1);
	sodium_memzero(out, sizeof *out);
	if (intake_key_by_receipt(db, receipt_typed, k, e) != 0)
		goto out;
	session_token_new(ID_DOMAIN, token, out->id_hash, out->skey);
	wrap_key(out->skey, wk);
	if (vault_wrap(wk, PURPOSE, k->report_id, k->key, sizeof k->key, wrapped) != 0) {
		intake_fail(e, INTAKE_EDB, "could not wrap the report key");
		goto out;
	}
	out->report_id = k->report_id;
	out->created = out->last_seen = now;
	snprintf(out->lang, sizeof out->lang, "%s", lang && strcmp(lang, "en") == 0 ? "en" : "nl");
	if (db_prepare(db, "INSERT INTO receipt_session (id_hash, report_id, created, last_seen, "
			   "lang, wrapped_key) VALUES (?, ?, ?, ?, ?, ?)", &st) != 0 ||
	    db_bind_blob(st, 1, out->id_hash, 32) != 0 || db_bind_i64(st, 2, out->report_id) != 0 ||
	    db_bind_i64(st, 3, now) != 0 || db_bind_i64(st, 4, now) != 0 ||
	    db_bind_text(st, 5, out->lang, (size_t)-1) != 0 ||
	    db_bind_blob(st, 6, wrapped, sizeof wrapped) != 0 || db_step(st) != DB_DONE) {
		intake_fail_db(db, e);
		goto out;
	}
	rc = 0;
out:
	db_finalize(st);
	vault_secure_free(k);
	sodium_memzero(wk, sizeof wk);
	if (rc != 0) {
		sodium_memzero(out, sizeof *out);
		sodium_memzero(token, SESSION_TOKEN_LEN + 1); /* no token for a session not stored */
	}
	return rc;
}

static int delete_by_hash(db_t *db, const unsigned char hash[32])
{
	db_stmt_t *st;
	if (db_prepare(db, "DELETE FROM receipt_session WHERE id_hash = ?", &st) != 0)
		return -1;
	int ok = db_bind_blob(st, 1, hash, 32) == 0 && db_step(st) == DB_DONE;
	db_finalize(st);
	return ok ? 0 : -1;
}

int intake_rsession_load(db_t *db, const char *token, const struct session_limits *lim,
			 time_t now, struct intake_rsession *out)
{
	db_stmt_t *st;
	int rc = -1;
	sodium_memzero(out, sizeof *out);
	if (session_token_split(ID_DOMAIN, token, out->id_hash, out->skey) != 0)
		return 1;
	if (db_prepare(db, "SELECT report_id, created, last_seen, lang FROM receipt_session "
			   "WHERE id_hash = ?", &st) != 0) {
		sodium_memzero(out, sizeof *out);
		return -1;
	}
	if (db_bind_blob(st, 1, out->id_hash, 32) != 0)
		goto done;
	int s = db_step(st);
	if (s < 0)
		goto done;
	if (s == DB_DONE) {
		rc = 1;
		goto done;
	}
	out->report_id = db_col_i64(st, 0);
	out->created = db_col_i64(st, 1);
	out->last_seen = db_col_i64(st, 2);
	snprintf(out->lang, sizeof out->lang, "%s", db_col_text(st, 3));
	rc = 0;
done:
	db_finalize(st);
	if (rc == 0 && session_expired(lim, out->created, out->last_seen, now))
		rc = delete_by_hash(db, out->id_hash) == 0 ? 1 : -1;
	if (rc != 0)
		sodium_memzero(out, sizeof *out);
	return rc;
}

int intake_rsession_touch(db_t *db, struct intake_rsession *s, time_t now)
{
	if (now - s->last_seen < 60)
		return 0;
	db_stmt_t *st;
	if (db_prepare(db, "UPDATE receipt_session SET last_seen = ? WHERE id_hash = ?", &st) != 0)
		return -1;
	int ok = db_bind_i64(st, 1, now) == 0 && db_bind_blob(st, 2, s->id_hash, 32) == 0 &&
		 db_step(st) == DB_DONE;
	db_finalize(st);
	if (!ok)
		return -1;
	s->last_seen = now;
	return 0;
}

int intake_rsession_key(db_t *db, const struct intake_rsession *s, struct intake_key *out)
{
	db_stmt_t *st;
	unsigned char wk[32];
	int rc = -1;
	intake_key_wipe(out);
	if (db_prepare(db, "SELECT report_id, wrapped_key FROM receipt_session WHERE id_hash = ?",
		       &st) != 0)
		return -1;
	if (db_bind_blob(st, 1, s->id_hash, 32) == 0 && db_step(st) == DB_ROW &&
	    db_col_i64(st, 0) == s->report_id && db_col_bytes(st, 1) == WRAPPED_BYTES) {
		wrap_key(s->skey, wk);
		if (vault_unwrap(wk, PURPOSE, s->report_id, db_col_blob(st, 1), WRAPPED_BYTES,
				 out->key) == 0) {
			out->report_id = s->report_id;
			rc = 0;
		}
		sodium_memzero(wk, sizeof wk);
	}
	db_finalize(st);
	if (rc != 0)
		intake_key_wipe(out);
	return rc;
}

int intake_rsession_destroy(db_t *db, const struct intake_rsession *s)
{
	return delete_by_hash(db, s->id_hash);
}

int64_t intake_rsession_purge(db_t *db, const struct session_limits *lim, time_t now)
{
	db_stmt_t *st;
	if (db_prepare(db, "DELETE FROM receipt_session WHERE last_seen < ? OR created < ?",
		       &st) != 0)
		return -1;
	int ok = db_bind_i64(st, 1, now - lim->idle_seconds) == 0 &&
		 db_bind_i64(st, 2, now - lim->absolute_seconds) == 0 && db_step(st) == DB_DONE;
	db_finalize(st);
	return ok ? db_changes(db) : -1;
}
