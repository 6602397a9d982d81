/* store.c: the recovery key's custodians (migration 0006): making a new key
 * split among named custodians, retiring the old one, and the status of every
 * key. See keys.h.
 *
 * The secret key is made, split and wiped before the write lock is taken;
 * only the sealed shares reach the transaction. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/assess.h"
#include "base/alloc.h"
#include "crypto/vault.h"
#include "keys/internal.h"

void keys_fingerprint(const unsigned char pk[RECOVERY_KEY_BYTES],
		      char out[KEYS_FINGERPRINT_LEN + 1])
{
	unsigned char h[crypto_generichash_BYTES];
	crypto_generichash(h, sizeof h, pk, RECOVERY_KEY_BYTES, NULL, 0);
	sodium_bin2hex(out, KEYS_FINGERPRINT_LEN + 1, h, KEYS_FINGERPRINT_LEN / 2);
}

int keys_find_account(db_t *db, const char *username, struct account *a,
		      struct keys_error *e)
{
	char user[ACCOUNT_USERNAME_MAX + 1];
	struct account_error ae;
	if (account_check_username(username, user, &ae) != 0)
		return keys_fail(e, KEYS_EINVALID, "'%.64s': %s", username, ae.msg);
	int found = accounts_by_name(db, user, a);
	if (found < 0)
		return keys_fail_db(db, e);
	if (found)
		return keys_fail(e, KEYS_ENOTFOUND, "no account has username '%s': see 'probity "
				 "user list'", user);
	return 0;
}

static int damaged(struct keys_error *e, int64_t id, const char *what)
{
	return keys_fail(e, KEYS_EDAMAGED, "recovery key %" PRId64 " is damaged: %s", id, what);
}

/* Copies a timestamp column; -1 if it is longer than a timestamp. */
static int copy_ts(db_stmt_t *st, int col, char out[TIMESTAMP_LEN + 1])
{
	const char *s = db_col_text(st, col);
	if (strlen(s) > TIMESTAMP_LEN)
		return -1;
	memcpy(out, s, strlen(s) + 1);
	return 0;
}

static int load_custodians(db_t *db, struct keys_key *k, struct keys_error *e)
{
	db_stmt_t *st;
	unsigned got = 0;
	int step;
	if (db_prepare(db, "SELECT s.x, s.account_id, a.username, a.disabled FROM recovery_share s "
			   "JOIN account a ON a.id = s.account_id WHERE s.key_id = ? ORDER BY s.x",
		       &st) != 0)
		return keys_fail_db(db, e);
	if (db_bind_i64(st, 1, k->id) != 0)
		goto dbfail;
	while ((step = db_step(st)) == DB_ROW) {
		const char *u = db_col_text(st, 2);
		/* one share per number 1..n, in order: anything else is not a split */
		if (got == k->n || db_col_i64(st, 0) != (int64_t)got + 1 ||
		    strlen(u) > ACCOUNT_USERNAME_MAX) {
			db_finalize(st);
			return damaged(e, k->id, "its shares are not numbered 1 to n");
		}
		struct keys_custodian *c = &k->custodians[got++];
		c->x = got;
		c->account_id = db_col_i64(st, 1);
		memcpy(c->username, u, strlen(u) + 1);
		c->disabled = db_col_i64(st, 3) != 0;
	}
	if (step != DB_DONE)
		goto dbfail;
	db_finalize(st);
	if (got != k->n)
		return damaged(e, k->id, "shares are missing");
	return 0;
dbfail:
	keys_fail_db(db, e);
	db_finalize(st);
	return -1;
}

int keys_load_key(db_t *db, int64_t id, struct keys_key *out, struct keys_error *e)
{
	db_stmt_t *st;
	memset(out, 0, sizeof *out);
	out->id = id;
	if (db_prepare(db, "SELECT public_key, k, n, created_at, coalesce(retired_at, '') "
			   "FROM recovery_key WHERE id = ?", &st) != 0)
		return keys_fail_db(db, e);
	int step = db_bind_i64(st, 1, id) == 0 ? db_step(st) : -1;
	if (step == DB_DONE) {
		db_finalize(st);
		return 1;
	}
	if (step != DB_ROW) {
		keys_fail_db(db, e);
		db_finalize(st);
		return -1;
	}
	int64_t k = db_col_i64(st, 1), n = db_col_i64(st, 2);
	int bad = db_col_bytes(st, 0) != RECOVERY_KEY_BYTES || k < RECOVERY_K_MIN || n < k ||
		  n > RECOVERY_N_MAX || copy_ts(st, 3, out->created_at) != 0 ||
		  copy_ts(st, 4, out->retired_at) != 0;
	if (!bad) {
		memcpy(out->public_key, db_col_blob(st, 0), RECOVERY_KEY_BYTES);
		out->k = (unsigned)k;
		out->n = (unsigned)n;
	}
	db_finalize(st);
	if (bad)
		return damaged(e, id, "malformed row");
	keys_fingerprint(out->public_key, out->fingerprint);
	return load_custodians(db, out, e);
}

/* ---- naming custodians ---- */

/* What one call of keys_set_custodians keeps secret, in guarded memory. */
struct split_secrets {
	unsigned char sk[RECOVERY_KEY_BYTES];
	struct recovery_share shares[RECOVERY_N_MAX];
};

/* Runs sql binding i64 parameters; returns the first column of its one row
 * in *out (0 when it gives none). 0 or -1. */
static int query_i64(db_t *db, const char *sql, int64_t *out, int nparams, const int64_t *p)
{
	db_stmt_t *st;
	*out = 0;
	if (db_prepare(db, sql, &st) != 0)
		return -1;
	int rc = 0;
	for (int i = 0; i < nparams && rc == 0; i++)
		rc = db_bind_i64(st, i + 1, p[i]);
	int step = rc == 0 ? db_step(st) : -1;
	if (step == DB_ROW) {
		*out = db_col_i64(st, 0);
		step = db_step(st);
	}
	db_finalize(st);
	return step == DB_DONE ? 0 : -1;
}

/* Inside the transaction: the custodians' accounts, checked, into c and
 * their public keys into pks. */
static int check_custodians(db_t *db, char (*names)[ACCOUNT_USERNAME_MAX + 1], size_t n,
			    struct keys_custodian *c, unsigned char (*pks)[ACCOUNT_KEY_BYTES],
			    struct keys_error *e)
{
	for (size_t i = 0; i < n; i++) {
		struct account a;
		if (keys_find_account(db, names[i], &a, e) != 0)
			return -1;
		if (a.disabled)
			return keys_fail(e, KEYS_ECONFLICT, "account %s is disabled: name custodians "
					 "who can sign in", a.username);
		int r = accounts_public_key(db, a.id, pks[i]);
		if (r != 0)
			return r < 0 ? keys_fail_db(db, e) :
			       keys_fail(e, KEYS_ENOTFOUND, "account %s vanished", a.username);
		c[i].account_id = a.id;
		memcpy(c[i].username, a.username, sizeof a.username);
		c[i].x = (unsigned)i + 1;
	}
	return 0;
}

/* Checks k and n and folds the usernames to their stored form into names,
 * refusing repeats. */
static int check_request(unsigned k, const char *const *usernames, size_t n,
			 char (*names)[ACCOUNT_USERNAME_MAX + 1], struct keys_error *e)
{
	struct account_error ae;
	if (n < RECOVERY_K_MIN || n > RECOVERY_N_MAX)
		return keys_fail(e, KEYS_EINVALID, "name between %d and %d custodians (%zu given)",
				 RECOVERY_K_MIN, RECOVERY_N_MAX, n);
	if (k < RECOVERY_K_MIN || k > n)
		return keys_fail(e, KEYS_EINVALID, "the threshold must be at least %d and at most "
				 "the number of custodians (%zu)", RECOVERY_K_MIN, n);
	for (size_t i = 0; i < n; i++) {
		if (account_check_username(usernames[i], names[i], &ae) != 0)
			return keys_fail(e, KEYS_EINVALID, "'%.64s': %s", usernames[i], ae.msg);
		for (size_t j = 0; j < i; j++)
			if (strcmp(names[i], names[j]) == 0)
				return keys_fail(e, KEYS_EINVALID, "%s is named twice: each "
						 "custodian holds one share", names[i]);
	}
	return 0;
}

/* "4,5,7": the account ids of c[0..n) into out (cap bytes). */
static void id_list(const struct keys_custodian *c, size_t n, char *out, size_t cap)
{
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && len < cap; i++)
		len += (size_t)snprintf(out + len, cap - len, "%s%" PRId64, i ? "," : "",
					c[i].account_id);
}

static int insert_key(db_t *db, const struct keys_key *k, unsigned char (*sealed)[RECOVERY_SEALED_BYTES],
		      int64_t *id)
{
	db_stmt_t *st;
	if (db_prepare(db, "INSERT INTO recovery_key (public_key, k, n, created_at) "
			   "VALUES (?, ?, ?, ?) RETURNING id", &st) != 0)
		return -1;
	int ok = db_bind_blob(st, 1, k->public_key, RECOVERY_KEY_BYTES) == 0 &&
		 db_bind_i64(st, 2, k->k) == 0 && db_bind_i64(st, 3, k->n) == 0 &&
		 db_bind_text(st, 4, k->created_at, (size_t)-1) == 0 && db_step(st) == DB_ROW;
	if (ok) {
		*id = db_col_i64(st, 0);
		ok = db_step(st) == DB_DONE;
	}
	db_finalize(st);
	if (!ok || db_prepare(db, "INSERT INTO recovery_share (key_id, x, account_id, sealed) "
				  "VALUES (?, ?, ?, ?)", &st) != 0)
		return -1;
	for (unsigned i = 0; i < k->n && ok; i++)
		ok = db_reset(st) == 0 && db_bind_i64(st, 1, *id) == 0 &&
		     db_bind_i64(st, 2, k->custodians[i].x) == 0 &&
		     db_bind_i64(st, 3, k->custodians[i].account_id) == 0 &&
		     db_bind_blob(st, 4, sealed[i], RECOVERY_SEALED_BYTES) == 0 &&
		     db_step(st) == DB_DONE;
	db_finalize(st);
	return ok ? 0 : -1;
}

/* Inside the transaction: retires the current key, stores k (its id set)
 * with its sealed shares and appends the audit entry. 0 or -1 (db error). */
static int write_key(db_t *db, const struct audit_signer *s, const char *actor,
		     struct keys_key *k, unsigned char (*sealed)[RECOVERY_SEALED_BYTES])
{
	char ids[RECOVERY_N_MAX * 22], detail[AUDIT_MAX_FIELD], oid[24], was[24];
	int64_t retired = 0;
	db_stmt_t *st;
	if (db_prepare(db, "UPDATE recovery_key SET retired_at = ? WHERE retired_at IS NULL "
			   "RETURNING id", &st) != 0)
		return -1;
	int step = db_bind_text(st, 1, k->created_at, (size_t)-1) == 0 ? db_step(st) : -1;
	if (step == DB_ROW) {
		retired = db_col_i64(st, 0);
		step = db_step(st);
	}
	db_finalize(st);
	if (step != DB_DONE || insert_key(db, k, sealed, &k->id) != 0)
		return -1;
	id_list(k->custodians, k->n, ids, sizeof ids);
	if (retired)
		snprintf(was, sizeof was, "%" PRId64, retired);
	else
		snprintf(was, sizeof was, "none");
	snprintf(detail, sizeof detail, "k=%u n=%u custodians=%s retired=%s", k->k, k->n, ids,
		 was);
	snprintf(oid, sizeof oid, "%" PRId64, k->id);
	struct audit_entry ae = {.actor = actor, .action = "keys.custodians",
				 .object_type = "recovery_key", .object_id = oid, .detail = detail};
	return audit_append(db, s, &ae);
}

int keys_set_custodians(db_t *db, const struct audit_signer *s, const char *actor, unsigned k,
			const char *const *usernames, size_t n, struct keys_key *out,
			struct keys_error *e)
{
	char names[RECOVERY_N_MAX][ACCOUNT_USERNAME_MAX + 1];
	unsigned char pks[RECOVERY_N_MAX][ACCOUNT_KEY_BYTES];
	unsigned char sealed[RECOVERY_N_MAX][RECOVERY_SEALED_BYTES];
	struct keys_key key;
	int rc = -1;
	e->code = KEYS_OK;
	e->msg[0] = '\0';
	if (out)
		memset(out, 0, sizeof *out);
	if (check_request(k, usernames, n, names, e) != 0)
		return -1;

	/* the key is made, split and forgotten before any lock is taken */
	memset(&key, 0, sizeof key);
	key.k = k;
	key.n = (unsigned)n;
	struct split_secrets *sec = vault_secure_alloc(sizeof *sec);
	recovery_keypair(key.public_key, sec->sk);
	int split = recovery_split(sec->sk, k, (unsigned)n, sec->shares);
	sodium_memzero(sec->sk, sizeof sec->sk);
	if (split != 0) {
		keys_fail(e, KEYS_EDAMAGED, "the recovery key does not split (libgfshare failed its "
			  "self-check): nothing was changed");
		goto out;
	}
	keys_fingerprint(key.public_key, key.fingerprint);
	timestamp_now(key.created_at);

	if (db_begin(db) != 0) {
		keys_fail_db(db, e);
		goto out;
	}
	if (check_custodians(db, names, n, key.custodians, pks, e) != 0)
		goto rollback;
	for (size_t i = 0; i < n; i++)
		if (recovery_seal_share(&sec->shares[i], key.public_key, pks[i], sealed[i]) != 0) {
			keys_fail(e, KEYS_EDAMAGED, "account %s has an unusable public key",
				  key.custodians[i].username);
			goto rollback;
		}
	/* the shares are sealed: the plain ones go now, before any more work */
	sodium_memzero(sec->shares, sizeof sec->shares);
	if (write_key(db, s, actor, &key, sealed) != 0 || db_commit(db) != 0)
		goto dbfail;
	if (out)
		*out = key;
	rc = 0;
	goto out;
dbfail:
	keys_fail_db(db, e);
rollback:
	db_rollback(db);
out:
	vault_secure_free(sec);
	return rc;
}

/* ---- status ---- */

/* A purged report (src/cases/purge.c) keeps its row with an empty body and
 * no sealed key: nothing is left to open, so it is counted apart, never as
 * "sealed to no recovery key" (which would raise a false alarm after every
 * purge). */
static int count_reports(db_t *db, struct keys_status *out)
{
	return query_i64(db, "SELECT count(*) FROM report", &out->reports, 0, NULL) != 0 ||
	       query_i64(db, "SELECT count(*) FROM report WHERE length(body) = 0", &out->purged,
			 0, NULL) != 0 ||
	       query_i64(db, "SELECT count(*) FROM report r WHERE length(r.body) > 0 AND NOT "
			     "EXISTS (SELECT 1 FROM report_key k WHERE k.report_id = r.id AND "
			     "k.holder = 'recovery' AND k.recovery_key_id IS NOT NULL)",
			 &out->unsealed, 0, NULL) != 0 ? -1 : 0;
}

int keys_status(db_t *db, struct keys_status *out, struct keys_error *e)
{
	db_stmt_t *st = NULL;
	int64_t *ids = NULL;
	size_t nids = 0, cap = 0;
	int step;
	memset(out, 0, sizeof *out);
	e->code = KEYS_OK;
	e->msg[0] = '\0';
	if (db_begin_read(db) != 0)
		return keys_fail_db(db, e);
	/* the current key first, then retired ones, newest first */
	if (db_prepare(db, "SELECT id FROM recovery_key ORDER BY retired_at IS NOT NULL, id DESC",
		       &st) != 0)
		goto dbfail;
	while ((step = db_step(st)) == DB_ROW) {
		if (nids == cap) {
			cap = cap ? 2 * cap : 8;
			ids = xrealloc(ids, cap * sizeof *ids);
		}
		ids[nids++] = db_col_i64(st, 0);
	}
	db_finalize(st);
	st = NULL;
	if (step != DB_DONE)
		goto dbfail;
	if (nids)
		out->keys = xcalloc(nids, sizeof *out->keys);
	for (size_t i = 0; i < nids; i++) {
		int r = keys_load_key(db, ids[i], &out->keys[i], e);
		if (r != 0) {
			if (r > 0)
				damaged(e, ids[i], "it vanished while being read");
			goto fail;
		}
		out->nkeys++;
		if (query_i64(db, "SELECT count(*) FROM report_key WHERE holder = 'recovery' AND "
				  "recovery_key_id = ?", &out->keys[i].reports, 1, &ids[i]) != 0)
			goto dbfail;
		/* purged cases hold no sealed key any more */
		if (query_i64(db, "SELECT count(*) FROM case_key WHERE holder = 'recovery' AND "
				  "recovery_key_id = ?", &out->keys[i].cases, 1, &ids[i]) != 0)
			goto dbfail;
		if (assess_recover_count(db, ids[i], &out->keys[i].assessments) != 0)
			goto dbfail;
	}
	if (count_reports(db, out) != 0)
		goto dbfail;
	db_rollback(db); /* ends the read snapshot */
	free(ids);
	return 0;
dbfail:
	keys_fail_db(db, e);
fail:
	db_finalize(st);
	db_rollback(db);
	free(ids);
	keys_status_free(out);
	return -1;
}

void keys_status_free(struct keys_status *st)
{
	free(st->keys);
	memset(st, 0, sizeof *st);
}
