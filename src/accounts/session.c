/* session.c: database-backed sessions whose secrets live half in the cookie. */
#include "accounts/session.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "accounts/accounts.h"

#define KDF_CONTEXT "probsess"  /* crypto_kdf contexts are 8 bytes */
#define SUBKEY_WRAP 1
#define SUBKEY_CSRF 2
#define AD_KEY "probity-session-key-v1"
#define AD_TOTP "probity-session-totp-v1"
#define NONCE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG crypto_aead_xchacha20poly1305_ietf_ABYTES
#define MAX_SECRET 64

static void subkey(const unsigned char key[SESSION_KEY_BYTES], int which, unsigned char out[32])
{
	crypto_kdf_derive_from_key(out, 32, (uint64_t)which, KDF_CONTEXT, key);
}

/* Associated data: the purpose and the session it belongs to, so that a
 * wrapped value copied to another row or column does not open. */
static size_t make_ad(unsigned char *ad, const char *purpose, const unsigned char id_hash[32])
{
	size_t n = strlen(purpose);
	memcpy(ad, purpose, n);
	memcpy(ad + n, id_hash, 32);
	return n + 32;
}

/* nonce || ciphertext || tag into out (len + NONCE + TAG bytes). */
static void wrap(const unsigned char key[SESSION_KEY_BYTES], const unsigned char id_hash[32],
		 const char *purpose, const unsigned char *plain, size_t len, unsigned char *out)
{
	unsigned char k[32], ad[64];
	size_t adn = make_ad(ad, purpose, id_hash);
	subkey(key, SUBKEY_WRAP, k);
	randombytes_buf(out, NONCE);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + NONCE, NULL, plain, len, ad, adn, NULL,
						   out, k);
	sodium_memzero(k, sizeof k);
}

static int unwrap(const unsigned char key[SESSION_KEY_BYTES], const unsigned char id_hash[32],
		  const char *purpose, const unsigned char *in, size_t inlen, unsigned char *out,
		  size_t outlen)
{
	if (inlen != outlen + NONCE + TAG)
		return -1;
	unsigned char k[32], ad[64];
	size_t adn = make_ad(ad, purpose, id_hash);
	subkey(key, SUBKEY_WRAP, k);
	int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(out, NULL, NULL, in + NONCE,
							    inlen - NONCE, ad, adn, in, k);
	sodium_memzero(k, sizeof k);
	return rc == 0 ? 0 : -1;
}

#define ID_DOMAIN "probity-session-id-v1"

static void id_hash_of(const char *domain, const unsigned char id[32], unsigned char out[32])
{
	crypto_generichash(out, 32, id, 32, (const unsigned char *)domain, strlen(domain));
}

void session_token_new(const char *domain, char token[SESSION_TOKEN_LEN + 1],
		       unsigned char id_hash[32], unsigned char key[SESSION_KEY_BYTES])
{
	unsigned char raw[64];
	randombytes_buf(raw, sizeof raw); /* id || key */
	id_hash_of(domain, raw, id_hash);
	memcpy(key, raw + 32, SESSION_KEY_BYTES);
	sodium_bin2base64(token, SESSION_TOKEN_LEN + 1, raw, sizeof raw,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

int session_expired(const struct session_limits *lim, int64_t created, int64_t last_seen,
		    time_t now)
{
	return now - last_seen > lim->idle_seconds || now - created > lim->absolute_seconds ||
	       now < created;
}

int session_token_split(const char *domain, const char *token, unsigned char id_hash[32],
			unsigned char key[SESSION_KEY_BYTES])
{
	unsigned char raw[64];
	size_t n = 0;
	int rc = -1;
	if (token && strnlen(token, SESSION_TOKEN_LEN + 1) == SESSION_TOKEN_LEN &&
	    sodium_base642bin(raw, sizeof raw, token, SESSION_TOKEN_LEN, NULL, &n, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0 && n == sizeof raw) {
		id_hash_of(domain, raw, id_hash);
		memcpy(key, raw + 32, SESSION_KEY_BYTES);
		rc = 0;
	} else {
		sodium_memzero(id_hash, 32);
		sodium_memzero(key, SESSION_KEY_BYTES);
	}
	sodium_memzero(raw, sizeof raw);
	return rc;
}

int session_create(db_t *db, int64_t account_id, const unsigned char secret_key[32],
		   const unsigned char *totp_secret, size_t totp_len, int mfa_done,
		   int must_enrol, const char *lang, time_t now, char token[SESSION_TOKEN_LEN + 1])
{
	unsigned char key[SESSION_KEY_BYTES], hash[32];
	unsigned char wk[32 + NONCE + TAG], wt[MAX_SECRET + NONCE + TAG];
	if (totp_secret && (totp_len == 0 || totp_len > MAX_SECRET))
		return db_fail(db, DBE_GENERIC, "session: bad TOTP secret length");
	session_token_new(ID_DOMAIN, token, hash, key);
	wrap(key, hash, AD_KEY, secret_key, 32, wk);
	if (totp_secret)
		wrap(key, hash, AD_TOTP, totp_secret, totp_len, wt);
	db_stmt_t *st;
	int rc = -1;
	if (db_prepare(db, "INSERT INTO session (id_hash, account_id, created, last_seen, lang, "
			   "mfa_done, must_enrol, wrapped_key, totp_wrapped) "
			   "VALUES (?,?,?,?,?,?,?,?,?)", &st) != 0)
		goto out;
	if (db_bind_blob(st, 1, hash, sizeof hash) == 0 && db_bind_i64(st, 2, account_id) == 0 &&
	    db_bind_i64(st, 3, now) == 0 && db_bind_i64(st, 4, now) == 0 &&
	    db_bind_text(st, 5, strcmp(lang, "en") == 0 ? "en" : "nl", (size_t)-1) == 0 &&
	    db_bind_i64(st, 6, mfa_done ? 1 : 0) == 0 && db_bind_i64(st, 7, must_enrol ? 1 : 0) == 0 &&
	    db_bind_blob(st, 8, wk, sizeof wk) == 0 &&
	    (totp_secret ? db_bind_blob(st, 9, wt, totp_len + NONCE + TAG)
			 : db_bind_null(st, 9)) == 0 &&
	    db_step(st) == DB_DONE)
		rc = 0;
	db_finalize(st);
out:
	if (rc != 0)
		sodium_memzero(token, SESSION_TOKEN_LEN + 1); /* no cookie for a session not stored */
	sodium_memzero(key, sizeof key);
	return rc;
}

static int delete_by_hash(db_t *db, const unsigned char hash[32])
{
	db_stmt_t *st;
	if (db_prepare(db, "DELETE FROM session WHERE id_hash = ?", &st) != 0)
		return -1;
	int ok = db_bind_blob(st, 1, hash, 32) == 0 && db_step(st) == DB_DONE;
	db_finalize(st);
	return ok ? 0 : -1;
}

int session_load(db_t *db, const char *token, const struct session_limits *lim, time_t now,
		 struct session *out)
{
	memset(out, 0, sizeof *out);
	if (session_token_split(ID_DOMAIN, token, out->id_hash, out->key) != 0)
		return 1;
	db_stmt_t *st;
	if (db_prepare(db, "SELECT account_id, created, last_seen, lang, mfa_done, must_enrol "
			   "FROM session WHERE id_hash = ?", &st) != 0)
		return -1;
	int rc = -1;
	if (db_bind_blob(st, 1, out->id_hash, 32) != 0)
		goto done;
	int s = db_step(st);
	if (s < 0)
		goto done;
	if (s == DB_DONE) {
		rc = 1;
		goto done;
	}
	out->account_id = db_col_i64(st, 0);
	out->created = db_col_i64(st, 1);
	out->last_seen = db_col_i64(st, 2);
	snprintf(out->lang, sizeof out->lang, "%s", db_col_text(st, 3));
	out->mfa_done = (int)db_col_i64(st, 4);
	out->must_enrol = (int)db_col_i64(st, 5);
	rc = 0;
done:
	db_finalize(st);
	if (rc == 0 && session_expired(lim, out->created, out->last_seen, now))
		rc = delete_by_hash(db, out->id_hash) == 0 ? 1 : -1;
	if (rc != 0)
		sodium_memzero(out, sizeof *out);
	return rc;
}

int session_load_viewer(db_t *db, const char *token, const struct session_limits *lim,
			time_t now, struct session *out, struct account *a,
			struct account_role *roles, size_t cap, size_t *nroles)
{
	memset(out, 0, sizeof *out);
	*nroles = 0;
	if (session_token_split(ID_DOMAIN, token, out->id_hash, out->key) != 0)
		return 1;
	int has_account = 0;
	int rc = accounts_session_row(db, out->id_hash, out, a, &has_account, roles, cap, nroles);
	/* past its limits, or of an account that is gone or disabled: ended
	 * (session_load and app_viewer_load did the same in three queries) */
	if (rc == 0 && (session_expired(lim, out->created, out->last_seen, now) ||
			!has_account || a->disabled))
		rc = delete_by_hash(db, out->id_hash) == 0 ? 1 : -1;
	if (rc != 0) {
		sodium_memzero(out, sizeof *out);
		*nroles = 0;
	}
	return rc;
}

static int update(db_t *db, const struct session *s, const char *sql, int64_t v1, const char *v2)
{
	db_stmt_t *st;
	if (db_prepare(db, sql, &st) != 0)
		return -1;
	int ok = (v2 ? db_bind_text(st, 1, v2, (size_t)-1) : db_bind_i64(st, 1, v1)) == 0 &&
		 db_bind_blob(st, 2, s->id_hash, 32) == 0 && db_step(st) == DB_DONE;
	db_finalize(st);
	return ok ? 0 : -1;
}

int session_touch(db_t *db, struct session *s, time_t now)
{
	if (now - s->last_seen < 60)
		return 0;
	s->last_seen = now;
	return update(db, s, "UPDATE session SET last_seen = ? WHERE id_hash = ?", now, NULL);
}

static int read_wrapped(db_t *db, const struct session *s, const char *column_sql,
			const char *purpose, unsigned char *out, size_t len)
{
	db_stmt_t *st;
	if (db_prepare(db, column_sql, &st) != 0)
		return -1;
	int rc = -1;
	if (db_bind_blob(st, 1, s->id_hash, 32) == 0 && db_step(st) == DB_ROW) {
		if (db_col_is_null(st, 0))
			rc = 1;
		else
			rc = unwrap(s->key, s->id_hash, purpose, db_col_blob(st, 0),
				    db_col_bytes(st, 0), out, len);
	}
	db_finalize(st);
	return rc;
}

int session_secret_key(db_t *db, const struct session *s, unsigned char sk[32])
{
	return read_wrapped(db, s, "SELECT wrapped_key FROM session WHERE id_hash = ?", AD_KEY, sk,
			    32) == 0 ? 0 : -1;
}

int session_totp_secret(db_t *db, const struct session *s, unsigned char *out, size_t len)
{
	return read_wrapped(db, s, "SELECT totp_wrapped FROM session WHERE id_hash = ?", AD_TOTP,
			    out, len);
}

int session_set_totp(db_t *db, const struct session *s, const unsigned char *secret, size_t len)
{
	unsigned char wt[MAX_SECRET + NONCE + TAG];
	if (len == 0 || len > MAX_SECRET)
		return db_fail(db, DBE_GENERIC, "session: bad TOTP secret length");
	wrap(s->key, s->id_hash, AD_TOTP, secret, len, wt);
	db_stmt_t *st;
	if (db_prepare(db, "UPDATE session SET totp_wrapped = ? WHERE id_hash = ?", &st) != 0)
		return -1;
	int ok = db_bind_blob(st, 1, wt, len + NONCE + TAG) == 0 &&
		 db_bind_blob(st, 2, s->id_hash, 32) == 0 && db_step(st) == DB_DONE;
	db_finalize(st);
	return ok ? 0 : -1;
}

int session_mfa_done(db_t *db, struct session *s)
{
	s->mfa_done = 1;
	s->must_enrol = 0;
	return update(db, s, "UPDATE session SET mfa_done = ?, must_enrol = 0, totp_wrapped = NULL "
			     "WHERE id_hash = ?", 1, NULL);
}

int session_set_lang(db_t *db, struct session *s, const char *lang)
{
	snprintf(s->lang, sizeof s->lang, "%s", strcmp(lang, "en") == 0 ? "en" : "nl");
	return update(db, s, "UPDATE session SET lang = ? WHERE id_hash = ?", 0, s->lang);
}

int session_destroy(db_t *db, const struct session *s)
{
	return delete_by_hash(db, s->id_hash);
}

int session_destroy_account(db_t *db, int64_t account_id)
{
	db_stmt_t *st;
	if (db_prepare(db, "DELETE FROM session WHERE account_id = ?", &st) != 0)
		return -1;
	int ok = db_bind_i64(st, 1, account_id) == 0 && db_step(st) == DB_DONE;
	db_finalize(st);
	return ok ? 0 : -1;
}

int64_t session_purge(db_t *db, const struct session_limits *lim, time_t now)
{
	db_stmt_t *st;
	if (db_prepare(db, "DELETE FROM session WHERE last_seen < ? OR created < ?", &st) != 0)
		return -1;
	int ok = db_bind_i64(st, 1, now - lim->idle_seconds) == 0 &&
		 db_bind_i64(st, 2, now - lim->absolute_seconds) == 0 && db_step(st) == DB_DONE;
	db_finalize(st);
	return ok ? db_changes(db) : -1;
}

void session_csrf(const struct session *s, char out[SESSION_CSRF_LEN + 1])
{
	unsigned char k[32];
	subkey(s->key, SUBKEY_CSRF, k);
	sodium_bin2base64(out, SESSION_CSRF_LEN + 1, k, sizeof k,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(k, sizeof k);
}

int session_csrf_ok(const struct session *s, const char *token)
{
	char want[SESSION_CSRF_LEN + 1];
	session_csrf(s, want);
	int ok = token && strlen(token) == SESSION_CSRF_LEN &&
		 sodium_memcmp(want, token, SESSION_CSRF_LEN) == 0;
	sodium_memzero(want, sizeof want);
	return ok;
}
