/* store.c: the SQL of accounts (src/store/migrations/0003_accounts.sql):
 * creating accounts with their key pairs, signing in with throttling, roles,
 * password changes and resets, the 2FA secret and recovery codes.
 *
 * Every change runs in one write transaction with its audit entry, so that an
 * act and its record commit or vanish together. argon2 runs outside any
 * transaction: holding SQLite's write lock for its ~50 ms would queue every
 * other writer behind each sign-in. What was read before the derivation is
 * checked again inside the transaction (the lock, the verifier), so a change
 * made meanwhile is never overwritten.
 *
 * Secrets (KEKs, unwrapped keys) live in vault_secure_alloc'd memory and are
 * wiped on every path; passwords never reach the database or the audit trail. */
#include <inttypes.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "accounts/recovery.h"
#include "accounts/session.h"
#include "accounts/totp.h"
#include "base/alloc.h"
#include "base/date.h"
#include "crypto/vault.h"

/* Associated data of the wrapped secrets: the purpose and the account id, so
 * that a wrapped key copied to another row or column does not open. */
#define PURPOSE_SK "probity-account-key-v1"
#define PURPOSE_TOTP "probity-account-totp-v1"
#define WSK_BYTES (ACCOUNT_KEY_BYTES + VAULT_WRAP_OVERHEAD)
#define WTOTP_BYTES (ACCOUNT_TOTP_SECRET_BYTES + VAULT_WRAP_OVERHEAD)
#define ANONYMOUS "anonymous"

static struct account_wordlist *common_list;
static time_t (*clock_fn)(void);

static time_t now(void)
{
	return clock_fn ? clock_fn() : time(NULL);
}

void accounts_set_clock(time_t (*fn)(void))
{
	clock_fn = fn;
}

int accounts_init(const char *data_dir, char *err, size_t errlen)
{
	struct account_wordlist *w;
	char *path = xasprintf("%s/%s", data_dir, ACCOUNT_COMMON_FILE);
	int rc = account_wordlist_load(path, &w, err, errlen);
	free(path);
	if (rc != 0)
		return -1;
	account_wordlist_free(common_list);
	common_list = w;
	return 0;
}

void accounts_shutdown(void)
{
	account_wordlist_free(common_list);
	common_list = NULL;
}

/* ---- errors ---- */

static int fail(struct account_error *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Fills e; returns -1 so that callers can `return fail(...)`. */
static int fail(struct account_error *e, int code, const char *fmt, ...)
{
	va_list ap;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

/* Turns the database's last error into e (a uniqueness failure means someone
 * else took the name between our check and our insert). */
static int fail_db(db_t *db, struct account_error *e)
{
	const struct db_error *de = db_error(db);
	return fail(e, de->cls == DBE_CONSTRAINT ? ACCOUNT_ECONFLICT : ACCOUNT_EDB, "%s", de->msg);
}

static int fail_locked(struct account_error *e, int64_t until)
{
	char ts[TIMESTAMP_LEN + 1];
	timestamp_format((time_t)until, ts);
	return fail(e, ACCOUNT_ELOCKED, "too many wrong passwords: try again after %s", ts);
}

static int fail_no_account(struct account_error *e, int64_t id)
{
	return fail(e, ACCOUNT_ENOTFOUND, "no account has id %" PRId64, id);
}

/* ---- audit ---- */

/* Appends one entry about account id (0: no object) inside the caller's
 * transaction. */
static int audit(db_t *db, const struct audit_signer *s, const char *actor, const char *action,
		 int64_t id, const char *detail)
{
	char oid[24];
	snprintf(oid, sizeof oid, "%" PRId64, id);
	struct audit_entry e = {.actor = actor, .action = action,
				.object_type = id ? "account" : NULL, .object_id = id ? oid : NULL,
				.detail = detail};
	return audit_append(db, s, &e);
}

static void user_actor(int64_t id, char out[32])
{
	snprintf(out, 32, "user:%" PRId64, id);
}

/* ---- reading rows ---- */

#define ACCOUNT_COLUMNS "id, username, display_name, disabled, totp_enabled, locked_until"
#define SECRET_COLUMNS                                                                     \
	ACCOUNT_COLUMNS ", failed_logins, pw_salt, pw_ops, pw_mem, pw_verifier, public_key, "  \
			"wrapped_secret_key, totp_wrapped"

/* An account row with what signing in needs. Nothing here is plaintext key
 * material: the verifier does not yield the KEK, the keys are wrapped. */
struct row {
	struct account a;
	int64_t failed;
	unsigned char salt[VAULT_SALT_BYTES];
	struct vault_pwparams pp;
	unsigned char verifier[VAULT_KEY_BYTES];
	unsigned char pk[ACCOUNT_KEY_BYTES];
	unsigned char wsk[WSK_BYTES];
	int has_wtotp;
	unsigned char wtotp[WTOTP_BYTES];
};

static int damaged(db_t *db, int64_t id, const char *what)
{
	return db_fail(db, DBE_GENERIC, "account %" PRId64 " is damaged: %s", id, what);
}

/* The ACCOUNT_COLUMNS of a row, from column c0 on. */
static int read_account_at(db_t *db, db_stmt_t *st, int c0, struct account *a)
{
	memset(a, 0, sizeof *a);
	a->id = db_col_i64(st, c0);
	const char *u = db_col_text(st, c0 + 1), *d = db_col_text(st, c0 + 2);
	if (strlen(u) > ACCOUNT_USERNAME_MAX || strlen(d) > ACCOUNT_DISPLAY_MAX)
		return damaged(db, a->id, "a name is too long");
	memcpy(a->username, u, strlen(u) + 1);
	memcpy(a->display_name, d, strlen(d) + 1);
	a->disabled = db_col_i64(st, c0 + 3) != 0;
	a->totp_enabled = db_col_i64(st, c0 + 4) != 0;
	a->locked_until = db_col_i64(st, c0 + 5);
	return 0;
}

static int read_account(db_t *db, db_stmt_t *st, struct account *a)
{
	return read_account_at(db, st, 0, a);
}

/* Copies a blob column of exactly n bytes; -1 for NULL or another size. */
static int blob(db_stmt_t *st, int col, void *out, size_t n)
{
	if (db_col_is_null(st, col) || db_col_bytes(st, col) != n)
		return -1;
	memcpy(out, db_col_blob(st, col), n);
	return 0;
}

static int read_row(db_t *db, db_stmt_t *st, struct row *r)
{
	memset(r, 0, sizeof *r);
	if (read_account(db, st, &r->a) != 0)
		return -1;
	r->failed = db_col_i64(st, 6);
	int64_t ops = db_col_i64(st, 8), mem = db_col_i64(st, 9);
	r->pp.ops = ops > 0 && ops <= UINT32_MAX ? (uint32_t)ops : 0;
	r->pp.mem = mem > 0 && mem <= UINT32_MAX ? (uint32_t)mem : 0;
	if (vault_pw_params_ok(&r->pp) != 0)
		return damaged(db, r->a.id, "password parameters out of range");
	if (blob(st, 7, r->salt, sizeof r->salt) || blob(st, 10, r->verifier, sizeof r->verifier) ||
	    blob(st, 11, r->pk, sizeof r->pk) || blob(st, 12, r->wsk, sizeof r->wsk))
		return damaged(db, r->a.id, "key material of the wrong size");
	r->has_wtotp = !db_col_is_null(st, 13);
	if (r->has_wtotp && blob(st, 13, r->wtotp, sizeof r->wtotp))
		return damaged(db, r->a.id, "wrapped TOTP secret of the wrong size");
	if (r->a.totp_enabled && !r->has_wtotp)
		return damaged(db, r->a.id, "2FA on without a secret");
	return 0;
}

/* Reads the row of account id, or of username when it is not NULL. Returns 0
 * found, 1 not found, -1 db error. */
static int load_row(db_t *db, int64_t id, const char *username, struct row *r)
{
	db_stmt_t *st;
	if (db_prepare(db, username ? "SELECT " SECRET_COLUMNS " FROM account WHERE username = ?"
				    : "SELECT " SECRET_COLUMNS " FROM account WHERE id = ?",
		       &st) != 0)
		return -1;
	int rc = -1;
	if ((username ? db_bind_text(st, 1, username, (size_t)-1) : db_bind_i64(st, 1, id)) != 0)
		goto out;
	int step = db_step(st);
	if (step == DB_DONE)
		rc = 1;
	else if (step == DB_ROW && read_row(db, st, r) == 0)
		rc = 0;
out:
	db_finalize(st);
	return rc;
}

/* Runs sql binding i64 parameters (count given), expecting no rows. */
static int exec_i64(db_t *db, const char *sql, int n, ...)
{
	db_stmt_t *st;
	va_list ap;
	if (db_prepare(db, sql, &st) != 0)
		return -1;
	int rc = 0;
	va_start(ap, n);
	for (int i = 0; i < n && rc == 0; i++)
		rc = db_bind_i64(st, i + 1, va_arg(ap, int64_t));
	va_end(ap);
	if (rc == 0 && db_step(st) != DB_DONE)
		rc = -1;
	db_finalize(st);
	return rc;
}

/* Runs sql with account id bound to its one parameter and returns the first
 * column of the first row in *out (0 when there is no row). 0 or -1. */
static int query_id(db_t *db, const char *sql, int64_t id, int64_t *out)
{
	db_stmt_t *st;
	*out = 0;
	if (db_prepare(db, sql, &st) != 0)
		return -1;
	int rc = -1;
	if (db_bind_i64(st, 1, id) == 0) {
		int step = db_step(st);
		if (step == DB_ROW)
			*out = db_col_i64(st, 0);
		rc = step == DB_ROW || step == DB_DONE ? 0 : -1;
	}
	db_finalize(st);
	return rc;
}

/* ---- secrets ---- */

/* Everything secret one operation handles, in guarded memory. */
struct secrets {
	unsigned char verifier[VAULT_KEY_BYTES];
	unsigned char kek[VAULT_KEY_BYTES];
	unsigned char sk[ACCOUNT_KEY_BYTES];
	unsigned char totp[ACCOUNT_TOTP_SECRET_BYTES];
	/* a new password's material */
	unsigned char salt[VAULT_SALT_BYTES];
	struct vault_pwparams pp;
	unsigned char new_verifier[VAULT_KEY_BYTES];
	unsigned char new_kek[VAULT_KEY_BYTES];
	unsigned char pk[ACCOUNT_KEY_BYTES];
	unsigned char wsk[WSK_BYTES];
	unsigned char wtotp[WTOTP_BYTES];
};

static struct secrets *secrets_new(size_t n)
{
	return vault_secure_alloc(n * sizeof(struct secrets));
}

/* Derives a new password's salt, verifier and KEK into k. */
static int derive_new(db_t *db, const char *pw, struct secrets *k)
{
	vault_salt(k->salt);
	k->pp = vault_pw_defaults();
	if (vault_pw_derive(pw, strlen(pw), k->salt, &k->pp, k->new_verifier, k->new_kek) != 0)
		return db_fail(db, DBE_GENERIC, "cannot derive a key from the password: out of "
			       "memory");
	return 0;
}

/* Spends the same argon2 work as a real check, for a username that does not
 * exist, so that timing does not tell the two apart. */
static void derive_dummy(const char *pw, size_t n)
{
	unsigned char salt[VAULT_SALT_BYTES], v[VAULT_KEY_BYTES], kek[VAULT_KEY_BYTES];
	struct vault_pwparams p = vault_pw_defaults();
	vault_salt(salt);
	(void)vault_pw_derive(pw, n, salt, &p, v, kek);
	sodium_memzero(kek, sizeof kek);
}

/* Checks pw against r: one derivation, a constant-time comparison, and on a
 * match the secret key (checked against the public key) and TOTP secret
 * unwrapped into k. Returns 1 right, 0 wrong, -1 when the row's key material
 * does not open (db error recorded) or argon2 fails. */
static int check_password(db_t *db, const struct row *r, const char *pw, struct secrets *k)
{
	size_t n = strnlen(pw, ACCOUNT_PASSWORD_MAX + 1);
	if (n > ACCOUNT_PASSWORD_MAX)
		return 0; /* never a valid password, so never the right one */
	if (vault_pw_derive(pw, n, r->salt, &r->pp, k->verifier, k->kek) != 0)
		return db_fail(db, DBE_GENERIC, "cannot derive a key from the password: out of "
			       "memory");
	if (!vault_verifier_eq(k->verifier, r->verifier))
		return 0;
	if (vault_unwrap(k->kek, PURPOSE_SK, r->a.id, r->wsk, sizeof r->wsk, k->sk) != 0 ||
	    !vault_keypair_matches(r->pk, k->sk))
		return damaged(db, r->a.id, "its secret key does not open (was the row changed "
			       "or copied?)");
	if (r->has_wtotp &&
	    vault_unwrap(k->kek, PURPOSE_TOTP, r->a.id, r->wtotp, sizeof r->wtotp, k->totp) != 0)
		return damaged(db, r->a.id, "its TOTP secret does not open");
	return 1;
}

/* Counts a wrong password against account id and locks it when the count
 * reaches the schedule, in its own transaction with audit entries. Returns 1
 * if the account is now locked (*until set), 0 if not, -1 on a db error. */
static int record_failure(db_t *db, const struct audit_signer *s, const char *actor, int64_t id,
			  time_t t, int64_t *until)
{
	db_stmt_t *st = NULL;
	char detail[120];
	if (db_begin(db) != 0)
		return -1;
	if (db_prepare(db, "UPDATE account SET failed_logins = failed_logins + 1 WHERE id = ? "
			   "RETURNING failed_logins, locked_until", &st) != 0 ||
	    db_bind_i64(st, 1, id) != 0 || db_step(st) != DB_ROW)
		goto fail;
	int64_t failures = db_col_i64(st, 0), was = db_col_i64(st, 1);
	if (db_step(st) != DB_DONE)
		goto fail;
	db_finalize(st);
	st = NULL;
	int64_t secs = account_lock_seconds(failures);
	snprintf(detail, sizeof detail, "wrong password, %" PRId64 " in a row", failures);
	if (audit(db, s, actor, "account.login_failed", id, detail) != 0)
		goto fail;
	*until = secs ? (int64_t)t + secs : was;
	if (secs) {
		char ts[TIMESTAMP_LEN + 1];
		timestamp_format((time_t)*until, ts);
		snprintf(detail, sizeof detail, "locked until %s after %" PRId64 " wrong passwords",
			 ts, failures);
		if (exec_i64(db, "UPDATE account SET locked_until = ? WHERE id = ?", 2, *until,
			     id) != 0 ||
		    audit(db, s, "system", "account.locked", id, detail) != 0)
			goto fail;
	}
	if (db_commit(db) != 0)
		goto fail;
	return secs ? 1 : 0;
fail:
	db_finalize(st);
	db_rollback(db);
	return -1;
}

/* Inside a write transaction: re-reads the lock of account id, which another
 * sign-in may have set while we derived. Returns 1 if locked (*until set), 0
 * if not, -1 on a db error. */
static int locked_now(db_t *db, int64_t id, time_t t, int64_t *until, int *disabled)
{
	db_stmt_t *st;
	if (db_prepare(db, "SELECT locked_until, disabled FROM account WHERE id = ?", &st) != 0)
		return -1;
	int rc = -1;
	if (db_bind_i64(st, 1, id) == 0 && db_step(st) == DB_ROW) {
		*until = db_col_i64(st, 0);
		if (disabled)
			*disabled = db_col_i64(st, 1) != 0;
		rc = *until > (int64_t)t;
	} else if (db_error(db)->cls == DBE_NONE) {
		rc = db_fail(db, DBE_GENERIC, "account %" PRId64 " vanished", id);
	}
	db_finalize(st);
	return rc;
}

/* Checks the current password of r for an operation that needs it (change of
 * password, enrolling 2FA) by the same throttled rules as signing in: a wrong
 * one counts towards the lock. On success k holds the KEK and unwrapped keys.
 * Returns 0, or -1 with e set. */
static int confirm_password(db_t *db, const struct audit_signer *s, const char *actor,
			    const struct row *r, const char *pw, struct secrets *k,
			    struct account_error *e)
{
	time_t t = now();
	int64_t until = 0;
	if (r->a.locked_until > (int64_t)t)
		return fail_locked(e, r->a.locked_until);
	if (r->a.disabled)
		return fail(e, ACCOUNT_ECONFLICT, "account %s is disabled", r->a.username);
	int ok = check_password(db, r, pw, k);
	if (ok < 0)
		return fail_db(db, e);
	if (ok)
		return 0;
	int locked = record_failure(db, s, actor, r->a.id, t, &until);
	if (locked < 0)
		return fail_db(db, e);
	if (locked)
		return fail_locked(e, until);
	return fail(e, ACCOUNT_EPASSWORD, "the current password is wrong");
}

/* ---- creating ---- */

/* Inside the caller's transaction: gives account id the role at the
 * organisation with code today. */
static int role_add_tx(db_t *db, const struct audit_signer *s, const char *actor, int64_t id,
		       enum role role, const char *code, struct account_error *e)
{
	struct org o;
	struct org_error oe;
	char today[DATE_LEN + 1], detail[120];
	int64_t held = 0, count = 0;
	db_stmt_t *st;
	if ((unsigned)role >= ROLE_COUNT)
		return fail(e, ACCOUNT_EINVALID, "unknown role");
	if (!code || org_check_code("organisation code", code, &oe) != 0)
		return fail(e, ACCOUNT_EINVALID, "%s", code ? oe.msg : "no organisation code");
	date_today(today);
	int found = orgs_lookup(db, code, today, &o);
	if (found < 0)
		return fail_db(db, e);
	if (found)
		return fail(e, ACCOUNT_ENOTFOUND, "no organisation has code %s today", code);
	if (db_prepare(db, "SELECT count(*), "
			   "coalesce(sum(CASE WHEN role = ? AND org_id = ? THEN 1 ELSE 0 END), 0) "
			   "FROM account_role WHERE account_id = ?", &st) != 0)
		return fail_db(db, e);
	int ok = db_bind_text(st, 1, role_name(role), (size_t)-1) == 0 &&
		 db_bind_i64(st, 2, o.id) == 0 && db_bind_i64(st, 3, id) == 0 &&
		 db_step(st) == DB_ROW;
	if (ok) {
		count = db_col_i64(st, 0);
		held = db_col_i64(st, 1);
	}
	db_finalize(st);
	if (!ok)
		return fail_db(db, e);
	if (held)
		return fail(e, ACCOUNT_ECONFLICT, "already holds the role %s at %s", role_name(role),
			    o.code);
	if (count >= ACCOUNT_MAX_ROLES)
		return fail(e, ACCOUNT_ECONFLICT, "already holds %d roles, the most allowed",
			    ACCOUNT_MAX_ROLES);
	if (db_prepare(db, "INSERT INTO account_role (account_id, role, org_id) VALUES (?, ?, ?)",
		       &st) != 0)
		return fail_db(db, e);
	ok = db_bind_i64(st, 1, id) == 0 && db_bind_text(st, 2, role_name(role), (size_t)-1) == 0 &&
	     db_bind_i64(st, 3, o.id) == 0 && db_step(st) == DB_DONE;
	db_finalize(st);
	snprintf(detail, sizeof detail, "%s at %s", role_name(role), o.code);
	if (!ok || audit(db, s, actor, "account.role_add", id, detail) != 0)
		return fail_db(db, e);
	return 0;
}

/* Inside the caller's transaction: inserts one account whose password was
 * derived into k, with a fresh key pair, then its roles. */
static int create_tx(db_t *db, const struct audit_signer *s, const char *actor,
		     const char *username, const struct account_new *a, struct secrets *k,
		     int64_t *id, struct account_error *e)
{
	char at[TIMESTAMP_LEN + 1], detail[ACCOUNT_USERNAME_MAX + 16];
	db_stmt_t *st;
	int64_t taken = 0;
	if (db_query_i64(db, "SELECT count(*) FROM account WHERE username = ?", username,
			 &taken) != 0)
		return fail_db(db, e);
	if (taken)
		return fail(e, ACCOUNT_ECONFLICT, "username %s is taken", username);
	vault_keypair(k->pk, k->sk);
	timestamp_format(now(), at);
	/* the wrapped key's associated data names the id, which only the insert
	 * gives: store a placeholder, then the wrapped key, in this transaction */
	if (db_prepare(db, "INSERT INTO account (username, display_name, created_at, pw_salt, "
			   "pw_ops, pw_mem, pw_verifier, public_key, wrapped_secret_key, "
			   "password_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, X'', ?) "
			   "RETURNING id", &st) != 0)
		return fail_db(db, e);
	int ok = db_bind_text(st, 1, username, (size_t)-1) == 0 &&
		 db_bind_text(st, 2, a->display_name, (size_t)-1) == 0 &&
		 db_bind_text(st, 3, at, (size_t)-1) == 0 &&
		 db_bind_blob(st, 4, k->salt, sizeof k->salt) == 0 &&
		 db_bind_i64(st, 5, k->pp.ops) == 0 && db_bind_i64(st, 6, k->pp.mem) == 0 &&
		 db_bind_blob(st, 7, k->new_verifier, sizeof k->new_verifier) == 0 &&
		 db_bind_blob(st, 8, k->pk, sizeof k->pk) == 0 &&
		 db_bind_text(st, 9, at, (size_t)-1) == 0 && db_step(st) == DB_ROW;
	if (ok) {
		*id = db_col_i64(st, 0);
		ok = db_step(st) == DB_DONE;
	}
	db_finalize(st);
	if (!ok)
		return fail_db(db, e);
	if (vault_wrap(k->new_kek, PURPOSE_SK, *id, k->sk, sizeof k->sk, k->wsk) != 0)
		return fail(e, ACCOUNT_EINTERNAL, "cannot wrap the secret key");
	if (db_prepare(db, "UPDATE account SET wrapped_secret_key = ? WHERE id = ?", &st) != 0)
		return fail_db(db, e);
	ok = db_bind_blob(st, 1, k->wsk, sizeof k->wsk) == 0 && db_bind_i64(st, 2, *id) == 0 &&
	     db_step(st) == DB_DONE;
	db_finalize(st);
	snprintf(detail, sizeof detail, "username %s", username);
	if (!ok || audit(db, s, actor, "account.create", *id, detail) != 0)
		return fail_db(db, e);
	for (size_t i = 0; i < a->nroles; i++)
		if (role_add_tx(db, s, actor, *id, a->roles[i].role, a->roles[i].org_code, e) != 0)
			return -1;
	return 0;
}

/* Checks one account's input before any work; writes the stored username. */
static int check_new(const struct account_new *a, char user[ACCOUNT_USERNAME_MAX + 1],
		     struct account_error *e)
{
	struct org_error oe;
	if (!a->username || !a->display_name || !a->password)
		return fail(e, ACCOUNT_EINVALID, "username, display name and password are "
			    "required");
	if (account_check_username(a->username, user, e) != 0 ||
	    account_check_display_name(a->display_name, e) != 0 ||
	    account_check_password(common_list, user, a->password, e) != 0)
		return -1;
	if (a->nroles > ACCOUNT_MAX_ROLES)
		return fail(e, ACCOUNT_EINVALID, "more than %d roles", ACCOUNT_MAX_ROLES);
	for (size_t i = 0; i < a->nroles; i++) {
		const struct account_role_spec *r = &a->roles[i];
		if ((unsigned)r->role >= ROLE_COUNT)
			return fail(e, ACCOUNT_EINVALID, "unknown role");
		if (!r->org_code || org_check_code("organisation code", r->org_code, &oe) != 0)
			return fail(e, ACCOUNT_EINVALID, "%s",
				    r->org_code ? oe.msg : "a role needs an organisation code");
		for (size_t j = 0; j < i; j++)
			if (a->roles[j].role == r->role &&
			    org_code_eq(a->roles[j].org_code, r->org_code))
				return fail(e, ACCOUNT_ECONFLICT, "the role %s at %s is listed twice",
					    role_name(r->role), r->org_code);
	}
	return 0;
}

/* Prefixes e's message with the username it is about. */
static void about(struct account_error *e, const char *username)
{
	char msg[sizeof e->msg];
	memcpy(msg, e->msg, sizeof msg);
	/* room for the name: only an unusually long message is cut */
	snprintf(e->msg, sizeof e->msg, "%.64s: %.220s", username, msg);
}

int accounts_create_batch(db_t *db, const struct audit_signer *s, const char *actor,
			  const struct account_new *a, size_t n, int64_t *ids,
			  struct account_error *e)
{
	struct secrets *k = NULL;
	char (*users)[ACCOUNT_USERNAME_MAX + 1] = NULL;
	int rc = -1, began = 0;
	if (n == 0 || n > ACCOUNT_BATCH_MAX)
		return fail(e, ACCOUNT_EINVALID, "between 1 and %d accounts at once",
			    ACCOUNT_BATCH_MAX);
	users = xcalloc(n, sizeof *users);
	for (size_t i = 0; i < n; i++) {
		if (check_new(&a[i], users[i], e) != 0) {
			if (n > 1)
				about(e, a[i].username ? a[i].username : "?");
			goto out;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(users[i], users[j]) == 0) {
				fail(e, ACCOUNT_ECONFLICT, "username %s is listed twice", users[i]);
				goto out;
			}
	}
	k = secrets_new(n);
	for (size_t i = 0; i < n; i++)
		if (derive_new(db, a[i].password, &k[i]) != 0) {
			fail_db(db, e);
			goto out;
		}
	if (db_begin(db) != 0) {
		fail_db(db, e);
		goto out;
	}
	began = 1;
	for (size_t i = 0; i < n; i++) {
		int64_t id = 0;
		if (create_tx(db, s, actor, users[i], &a[i], &k[i], &id, e) != 0) {
			if (n > 1)
				about(e, users[i]);
			goto out;
		}
		if (ids)
			ids[i] = id;
	}
	if (db_commit(db) != 0) {
		fail_db(db, e);
		goto out;
	}
	began = 0;
	rc = 0;
out:
	if (began)
		db_rollback(db);
	if (k)
		vault_secure_free(k);
	free(users);
	return rc;
}

int accounts_create(db_t *db, const struct audit_signer *s, const char *actor,
		    const char *username, const char *display_name, const char *password,
		    int64_t *id, struct account_error *e)
{
	struct account_new a = {.username = username, .display_name = display_name,
				.password = password};
	int64_t got = 0;
	int rc = accounts_create_batch(db, s, actor, &a, 1, &got, e);
	if (id)
		*id = rc == 0 ? got : 0;
	return rc;
}

/* ---- signing in ---- */

/* A username that names no account: the same work, an anonymous entry that
 * names nothing (what was typed might be a password in the wrong field). */
static enum account_login login_unknown(db_t *db, const struct audit_signer *s, const char *pw,
					size_t n)
{
	if (n <= ACCOUNT_PASSWORD_MAX)
		derive_dummy(pw, n);
	if (db_begin(db) != 0)
		return ACCOUNT_LOGIN_ERROR;
	if (audit(db, s, ANONYMOUS, "account.login_failed", 0, "unknown username") != 0 ||
	    db_commit(db) != 0) {
		db_rollback(db);
		return ACCOUNT_LOGIN_ERROR;
	}
	return ACCOUNT_LOGIN_BAD;
}

/* The password was right: unless a lock was set meanwhile or the account is
 * disabled, clears the failure count and records the sign-in. */
static enum account_login login_ok(db_t *db, const struct audit_signer *s, const struct row *r,
				   time_t t, time_t *locked_until)
{
	char actor[32];
	int64_t until = 0;
	int disabled = 0;
	enum account_login res = ACCOUNT_LOGIN_ERROR;
	if (db_begin(db) != 0)
		return ACCOUNT_LOGIN_ERROR;
	int locked = locked_now(db, r->a.id, t, &until, &disabled);
	if (locked < 0)
		goto fail;
	if (locked) {
		db_rollback(db);
		if (locked_until)
			*locked_until = (time_t)until;
		return ACCOUNT_LOGIN_LOCKED;
	}
	user_actor(r->a.id, actor);
	if (disabled) {
		if (audit(db, s, actor, "account.login_refused", r->a.id, "account disabled") != 0)
			goto fail;
		res = ACCOUNT_LOGIN_DISABLED;
	} else {
		if ((r->failed || until) &&
		    exec_i64(db, "UPDATE account SET failed_logins = 0, locked_until = 0 "
				 "WHERE id = ?", 1, r->a.id) != 0)
			goto fail;
		if (audit(db, s, actor, "account.login", r->a.id, NULL) != 0)
			goto fail;
		res = ACCOUNT_LOGIN_OK;
	}
	if (db_commit(db) != 0)
		goto fail;
	return res;
fail:
	db_rollback(db);
	return ACCOUNT_LOGIN_ERROR;
}

enum account_login accounts_login(db_t *db, const struct audit_signer *s, const char *username,
				  const char *password, struct account *out,
				  unsigned char secret_key[ACCOUNT_KEY_BYTES],
				  unsigned char *totp_secret, int *has_totp, time_t *locked_until)
{
	char user[ACCOUNT_USERNAME_MAX + 1];
	struct account_error e;
	struct row r;
	struct secrets *k = NULL;
	enum account_login res = ACCOUNT_LOGIN_ERROR;
	time_t t = now();
	memset(out, 0, sizeof *out);
	sodium_memzero(secret_key, ACCOUNT_KEY_BYTES);
	if (totp_secret)
		sodium_memzero(totp_secret, ACCOUNT_TOTP_SECRET_BYTES);
	if (has_totp)
		*has_totp = 0;
	if (locked_until)
		*locked_until = 0;
	size_t n = strnlen(password, ACCOUNT_PASSWORD_MAX + 1);
	int found = account_check_username(username, user, &e) == 0 ?
		    load_row(db, 0, user, &r) : 1;
	if (found < 0)
		return ACCOUNT_LOGIN_ERROR;
	if (found == 1)
		return login_unknown(db, s, password, n);
	if (r.a.locked_until > (int64_t)t) {
		/* no derivation while locked: the lock is what stops guessing */
		if (locked_until)
			*locked_until = (time_t)r.a.locked_until;
		return ACCOUNT_LOGIN_LOCKED;
	}
	k = secrets_new(1);
	int ok = check_password(db, &r, password, k);
	if (ok < 0)
		goto out;
	if (!ok) {
		int64_t until = 0;
		int locked = record_failure(db, s, ANONYMOUS, r.a.id, t, &until);
		if (locked < 0)
			goto out;
		if (locked && locked_until)
			*locked_until = (time_t)until;
		res = locked ? ACCOUNT_LOGIN_LOCKED : ACCOUNT_LOGIN_BAD;
		goto out;
	}
	res = login_ok(db, s, &r, t, locked_until);
	if (res != ACCOUNT_LOGIN_OK)
		goto out;
	*out = r.a;
	out->locked_until = 0;
	memcpy(secret_key, k->sk, ACCOUNT_KEY_BYTES);
	if (has_totp)
		*has_totp = r.a.totp_enabled;
	if (totp_secret && r.a.totp_enabled)
		memcpy(totp_secret, k->totp, ACCOUNT_TOTP_SECRET_BYTES);
out:
	if (k)
		vault_secure_free(k);
	return res;
}

/* ---- reading ---- */

/* Runs a query for one account row with one bound parameter (text when s is
 * not NULL). Returns 0 found, 1 not found, -1 error. */
static int get_one(db_t *db, const char *sql, int64_t id, const char *s, struct account *out)
{
	db_stmt_t *st;
	memset(out, 0, sizeof *out);
	if (db_prepare(db, sql, &st) != 0)
		return -1;
	int rc = -1;
	if ((s ? db_bind_text(st, 1, s, (size_t)-1) : db_bind_i64(st, 1, id)) == 0) {
		int step = db_step(st);
		if (step == DB_DONE)
			rc = 1;
		else if (step == DB_ROW)
			rc = read_account(db, st, out);
	}
	db_finalize(st);
	return rc;
}

int accounts_get(db_t *db, int64_t id, struct account *out)
{
	return get_one(db, "SELECT " ACCOUNT_COLUMNS " FROM account WHERE id = ?", id, NULL, out);
}

int accounts_by_name(db_t *db, const char *username, struct account *out)
{
	char user[ACCOUNT_USERNAME_MAX + 1];
	struct account_error e;
	memset(out, 0, sizeof *out);
	if (account_check_username(username, user, &e) != 0)
		return 1;
	return get_one(db, "SELECT " ACCOUNT_COLUMNS " FROM account WHERE username = ?", 0, user,
		       out);
}

int accounts_public_key(db_t *db, int64_t id, unsigned char pk[ACCOUNT_KEY_BYTES])
{
	db_stmt_t *st;
	if (db_prepare(db, "SELECT public_key FROM account WHERE id = ?", &st) != 0)
		return -1;
	int rc = -1;
	if (db_bind_i64(st, 1, id) == 0) {
		int step = db_step(st);
		if (step == DB_DONE)
			rc = 1;
		else if (step == DB_ROW)
			rc = blob(st, 0, pk, ACCOUNT_KEY_BYTES) == 0 ? 0 :
			     damaged(db, id, "public key of the wrong size");
	}
	db_finalize(st);
	return rc;
}

int accounts_list(db_t *db, const char *after, struct account *out, size_t cap, size_t *n)
{
	db_stmt_t *st;
	*n = 0;
	if (cap == 0)
		return 0;
	if (db_prepare(db, "SELECT " ACCOUNT_COLUMNS " FROM account WHERE username > ? "
			   "ORDER BY username LIMIT ?", &st) != 0)
		return -1;
	int rc = -1, step;
	if (db_bind_text(st, 1, after ? after : "", (size_t)-1) != 0 ||
	    db_bind_i64(st, 2, (int64_t)cap) != 0)
		goto out;
	while ((step = db_step(st)) == DB_ROW && *n < cap)
		if (read_account(db, st, &out[(*n)++]) != 0)
			goto out;
	rc = step == DB_DONE || step == DB_ROW ? 0 : -1;
out:
	db_finalize(st);
	return rc;
}

static int cmp_roles(const void *pa, const void *pb)
{
	const struct account_role *a = pa, *b = pb;
	if (a->role != b->role)
		return a->role < b->role ? -1 : 1;
	int c = strcmp(a->org_code, b->org_code);
	return c ? c : (a->org_id > b->org_id) - (a->org_id < b->org_id);
}

/* A role row's role, org_id, org code and name, from column c0 on. */
static int read_role_at(db_t *db, db_stmt_t *st, int c0, int64_t account_id,
			struct account_role *r)
{
	const char *code = db_col_text(st, c0 + 2), *name = db_col_text(st, c0 + 3);
	if (role_parse(db_col_text(st, c0), &r->role) != 0 || strlen(code) > ORG_CODE_MAX ||
	    strlen(name) > ORG_NAME_MAX)
		return damaged(db, account_id, "a role row is malformed");
	r->org_id = db_col_i64(st, c0 + 1);
	memcpy(r->org_code, code, strlen(code) + 1);
	memcpy(r->org_name, name, strlen(name) + 1);
	return 0;
}

int accounts_roles(db_t *db, int64_t account_id, struct account_role *out, size_t cap,
		   size_t *n)
{
	db_stmt_t *st;
	*n = 0;
	if (db_prepare(db, "SELECT r.role, r.org_id, o.code, o.name FROM account_role r "
			   "JOIN org o ON o.id = r.org_id WHERE r.account_id = ?", &st) != 0)
		return -1;
	int rc = -1, step;
	if (db_bind_i64(st, 1, account_id) != 0)
		goto out;
	while ((step = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			db_fail(db, DBE_GENERIC, "account %" PRId64 " has more than %zu roles",
				account_id, cap);
			goto out;
		}
		if (read_role_at(db, st, 0, account_id, &out[*n]) != 0)
			goto out;
		(*n)++;
	}
	if (step != DB_DONE)
		goto out;
	qsort(out, *n, sizeof *out, cmp_roles);
	rc = 0;
out:
	db_finalize(st);
	return rc;
}

/* One indexed query (the session's primary key, the account's, the roles'
 * primary key prefix) instead of three: it runs on every signed-in request,
 * and each statement outside a transaction is a read transaction of its own
 * (docs/performance.md, "The viewer in one query"). A row per role, or one
 * row with NULL role columns for an account without roles; NULL account
 * columns when the account row is gone. */
int accounts_session_row(db_t *db, const unsigned char id_hash[32], struct session *s,
			 struct account *a, int *has_account, struct account_role *roles,
			 size_t cap, size_t *n)
{
	db_stmt_t *st;
	*n = 0;
	*has_account = 0;
	memset(a, 0, sizeof *a);
	if (db_prepare(db, "SELECT s.account_id, s.created, s.last_seen, s.lang, s.mfa_done, "
			   "s.must_enrol, a.id, a.username, a.display_name, a.disabled, "
			   "a.totp_enabled, a.locked_until, r.role, r.org_id, o.code, o.name "
			   "FROM session s LEFT JOIN account a ON a.id = s.account_id "
			   "LEFT JOIN account_role r ON r.account_id = a.id "
			   "LEFT JOIN org o ON o.id = r.org_id WHERE s.id_hash = ?", &st) != 0)
		return -1;
	int rc = -1, step, rows = 0;
	if (db_bind_blob(st, 1, id_hash, 32) != 0)
		goto out;
	while ((step = db_step(st)) == DB_ROW) {
		if (rows++ == 0) {
			s->account_id = db_col_i64(st, 0);
			s->created = db_col_i64(st, 1);
			s->last_seen = db_col_i64(st, 2);
			snprintf(s->lang, sizeof s->lang, "%s", db_col_text(st, 3));
			s->mfa_done = (int)db_col_i64(st, 4);
			s->must_enrol = (int)db_col_i64(st, 5);
			*has_account = !db_col_is_null(st, 6);
			if (*has_account && read_account_at(db, st, 6, a) != 0)
				goto out;
		}
		if (db_col_is_null(st, 12))
			continue; /* no roles (the LEFT JOIN's one row) */
		if (db_col_is_null(st, 14)) {
			damaged(db, s->account_id, "a role names no organisation");
			goto out;
		}
		if (*n == cap) {
			db_fail(db, DBE_GENERIC, "account %" PRId64 " has more than %zu roles",
				s->account_id, cap);
			goto out;
		}
		if (read_role_at(db, st, 12, s->account_id, &roles[*n]) != 0)
			goto out;
		(*n)++;
	}
	if (step != DB_DONE)
		goto out;
	qsort(roles, *n, sizeof *roles, cmp_roles);
	rc = rows ? 0 : 1;
out:
	db_finalize(st);
	return rc;
}

unsigned accounts_role_bits(const struct account_role *r, size_t n)
{
	unsigned bits = 0;
	for (size_t i = 0; i < n; i++)
		bits |= role_mask(r[i].role);
	return bits;
}

int accounts_roles_need_2fa(const struct account_role *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (role_needs_2fa(r[i].role))
			return 1;
	return 0;
}

/* ---- changing ---- */

/* Begins a write transaction and checks that account id exists. Returns 0, or
 * -1 with e set and no transaction open. */
static int begin_on(db_t *db, int64_t id, struct account_error *e)
{
	int64_t found = 0;
	if (db_begin(db) != 0)
		return fail_db(db, e);
	if (query_id(db, "SELECT count(*) FROM account WHERE id = ?", id, &found) != 0) {
		fail_db(db, e);
		db_rollback(db);
		return -1;
	}
	if (!found) {
		db_rollback(db);
		return fail_no_account(e, id);
	}
	return 0;
}

/* Commits, or rolls back and fills e. */
static int commit(db_t *db, struct account_error *e)
{
	if (db_commit(db) == 0)
		return 0;
	fail_db(db, e);
	db_rollback(db);
	return -1;
}

static int rollback_db(db_t *db, struct account_error *e)
{
	fail_db(db, e);
	db_rollback(db);
	return -1;
}

int accounts_set_disabled(db_t *db, const struct audit_signer *s, const char *actor,
			  int64_t id, int disabled, int *changed, struct account_error *e)
{
	int64_t was = 0;
	if (changed)
		*changed = 0;
	if (begin_on(db, id, e) != 0)
		return -1;
	if (query_id(db, "SELECT disabled FROM account WHERE id = ?", id, &was) != 0)
		return rollback_db(db, e);
	if ((was != 0) == (disabled != 0)) {
		db_rollback(db);
		return 0;
	}
	/* disabling ends the account's sessions in the same transaction */
	if (exec_i64(db, "UPDATE account SET disabled = ? WHERE id = ?", 2, (int64_t)!!disabled,
		     id) != 0 ||
	    (disabled && exec_i64(db, "DELETE FROM session WHERE account_id = ?", 1, id) != 0) ||
	    audit(db, s, actor, disabled ? "account.disable" : "account.enable", id, NULL) != 0)
		return rollback_db(db, e);
	if (commit(db, e) != 0)
		return -1;
	if (changed)
		*changed = 1;
	return 0;
}

int accounts_role_add(db_t *db, const struct audit_signer *s, const char *actor, int64_t id,
		      enum role role, const char *org_code, struct account_error *e)
{
	if (begin_on(db, id, e) != 0)
		return -1;
	if (role_add_tx(db, s, actor, id, role, org_code, e) != 0) {
		db_rollback(db);
		return -1;
	}
	return commit(db, e);
}

int accounts_role_remove(db_t *db, const struct audit_signer *s, const char *actor, int64_t id,
			 enum role role, const char *org_code, struct account_error *e)
{
	struct org_error oe;
	char detail[120];
	db_stmt_t *st;
	if ((unsigned)role >= ROLE_COUNT)
		return fail(e, ACCOUNT_EINVALID, "unknown role");
	if (!org_code || org_check_code("organisation code", org_code, &oe) != 0)
		return fail(e, ACCOUNT_EINVALID, "%s", org_code ? oe.msg : "no organisation code");
	if (begin_on(db, id, e) != 0)
		return -1;
	/* the code as the organisation spells it, for the trail */
	char code[ORG_CODE_MAX + 1];
	snprintf(code, sizeof code, "%s", org_code);
	if (db_prepare(db, "SELECT code FROM org WHERE code = ? LIMIT 1", &st) != 0)
		return rollback_db(db, e);
	int step = db_bind_text(st, 1, org_code, (size_t)-1) == 0 ? db_step(st) : -1;
	if (step == DB_ROW && strlen(db_col_text(st, 0)) <= ORG_CODE_MAX)
		snprintf(code, sizeof code, "%s", db_col_text(st, 0));
	db_finalize(st);
	if (step < 0)
		return rollback_db(db, e);
	/* every row the code ever named: a role given before a rename still goes */
	if (db_prepare(db, "DELETE FROM account_role WHERE account_id = ? AND role = ? AND "
			   "org_id IN (SELECT id FROM org WHERE code = ?)", &st) != 0)
		return rollback_db(db, e);
	int ok = db_bind_i64(st, 1, id) == 0 && db_bind_text(st, 2, role_name(role), (size_t)-1) == 0 &&
		 db_bind_text(st, 3, org_code, (size_t)-1) == 0 && db_step(st) == DB_DONE;
	db_finalize(st);
	if (!ok)
		return rollback_db(db, e);
	if (db_changes(db) == 0) {
		db_rollback(db);
		return fail(e, ACCOUNT_ENOTFOUND, "the account does not hold the role %s at %s",
			    role_name(role), org_code);
	}
	snprintf(detail, sizeof detail, "%s at %s", role_name(role), code);
	if (audit(db, s, actor, "account.role_remove", id, detail) != 0)
		return rollback_db(db, e);
	return commit(db, e);
}

/* Loads account id for a change; -1 with e set when absent or on error. */
static int load_for_change(db_t *db, int64_t id, struct row *r, struct account_error *e)
{
	int found = load_row(db, id, NULL, r);
	if (found < 0)
		return fail_db(db, e);
	if (found)
		return fail_no_account(e, id);
	return 0;
}

int accounts_change_password(db_t *db, const struct audit_signer *s, const char *actor,
			     int64_t id, const char *old_pw, const char *new_pw,
			     struct account_error *e)
{
	struct row r;
	struct secrets *k = NULL;
	char at[TIMESTAMP_LEN + 1];
	db_stmt_t *st = NULL;
	int rc = -1;
	if (load_for_change(db, id, &r, e) != 0)
		return -1;
	if (account_check_password(common_list, r.a.username, new_pw, e) != 0)
		return -1;
	if (strcmp(old_pw, new_pw) == 0)
		return fail(e, ACCOUNT_EINVALID, "the new password is the same as the current one");
	k = secrets_new(1);
	if (confirm_password(db, s, actor, &r, old_pw, k, e) != 0)
		goto out;
	if (derive_new(db, new_pw, k) != 0) {
		fail_db(db, e);
		goto out;
	}
	/* the key pair stays: only its wrapping changes */
	if (vault_wrap(k->new_kek, PURPOSE_SK, id, k->sk, sizeof k->sk, k->wsk) != 0 ||
	    (r.has_wtotp && vault_wrap(k->new_kek, PURPOSE_TOTP, id, k->totp, sizeof k->totp,
				       k->wtotp) != 0)) {
		fail(e, ACCOUNT_EINTERNAL, "cannot wrap the keys");
		goto out;
	}
	timestamp_format(now(), at);
	if (db_begin(db) != 0) {
		fail_db(db, e);
		goto out;
	}
	/* only if nothing changed the password or 2FA while we derived */
	if (db_prepare(db, "UPDATE account SET pw_salt = ?, pw_ops = ?, pw_mem = ?, "
			   "pw_verifier = ?, wrapped_secret_key = ?, totp_wrapped = ?, "
			   "failed_logins = 0, locked_until = 0, password_changed_at = ? "
			   "WHERE id = ? AND pw_verifier = ? AND totp_wrapped IS ?", &st) != 0)
		goto db_fail;
	int ok = db_bind_blob(st, 1, k->salt, sizeof k->salt) == 0 &&
		 db_bind_i64(st, 2, k->pp.ops) == 0 && db_bind_i64(st, 3, k->pp.mem) == 0 &&
		 db_bind_blob(st, 4, k->new_verifier, sizeof k->new_verifier) == 0 &&
		 db_bind_blob(st, 5, k->wsk, sizeof k->wsk) == 0 &&
		 (r.has_wtotp ? db_bind_blob(st, 6, k->wtotp, sizeof k->wtotp) :
				db_bind_null(st, 6)) == 0 &&
		 db_bind_text(st, 7, at, (size_t)-1) == 0 && db_bind_i64(st, 8, id) == 0 &&
		 db_bind_blob(st, 9, r.verifier, sizeof r.verifier) == 0 &&
		 (r.has_wtotp ? db_bind_blob(st, 10, r.wtotp, sizeof r.wtotp) :
				db_bind_null(st, 10)) == 0 &&
		 db_step(st) == DB_DONE;
	db_finalize(st);
	st = NULL;
	if (!ok)
		goto db_fail;
	if (db_changes(db) != 1) {
		db_rollback(db);
		fail(e, ACCOUNT_ECONFLICT, "the password or 2FA of this account changed meanwhile: "
		     "try again");
		goto out;
	}
	if (audit(db, s, actor, "account.password_change", id, NULL) != 0)
		goto db_fail;
	rc = commit(db, e);
	goto out;
db_fail:
	rollback_db(db, e);
out:
	if (k)
		vault_secure_free(k);
	return rc;
}

int accounts_reset_password(db_t *db, const struct audit_signer *s, const char *actor,
			    int64_t id, const char *new_pw, int *totp_cleared,
			    struct account_error *e)
{
	struct row r;
	struct secrets *k = NULL;
	char at[TIMESTAMP_LEN + 1];
	int64_t had_totp = 0, codes = 0;
	db_stmt_t *st = NULL;
	int rc = -1;
	if (totp_cleared)
		*totp_cleared = 0;
	if (load_for_change(db, id, &r, e) != 0)
		return -1;
	if (account_check_password(common_list, r.a.username, new_pw, e) != 0)
		return -1;
	k = secrets_new(1);
	if (derive_new(db, new_pw, k) != 0) {
		fail_db(db, e);
		goto out;
	}
	/* the old secret key cannot be opened without the old password */
	vault_keypair(k->pk, k->sk);
	if (vault_wrap(k->new_kek, PURPOSE_SK, id, k->sk, sizeof k->sk, k->wsk) != 0) {
		fail(e, ACCOUNT_EINTERNAL, "cannot wrap the secret key");
		goto out;
	}
	timestamp_format(now(), at);
	if (begin_on(db, id, e) != 0)
		goto out;
	if (query_id(db, "SELECT totp_enabled FROM account WHERE id = ?", id, &had_totp) != 0 ||
	    query_id(db, "SELECT count(*) FROM recovery_code WHERE account_id = ?", id,
		     &codes) != 0)
		goto db_fail;
	if (db_prepare(db, "UPDATE account SET pw_salt = ?, pw_ops = ?, pw_mem = ?, "
			   "pw_verifier = ?, public_key = ?, wrapped_secret_key = ?, "
			   "totp_wrapped = NULL, totp_enabled = 0, totp_last_step = 0, "
			   "failed_logins = 0, locked_until = 0, password_changed_at = ? "
			   "WHERE id = ?", &st) != 0)
		goto db_fail;
	int ok = db_bind_blob(st, 1, k->salt, sizeof k->salt) == 0 &&
		 db_bind_i64(st, 2, k->pp.ops) == 0 && db_bind_i64(st, 3, k->pp.mem) == 0 &&
		 db_bind_blob(st, 4, k->new_verifier, sizeof k->new_verifier) == 0 &&
		 db_bind_blob(st, 5, k->pk, sizeof k->pk) == 0 &&
		 db_bind_blob(st, 6, k->wsk, sizeof k->wsk) == 0 &&
		 db_bind_text(st, 7, at, (size_t)-1) == 0 && db_bind_i64(st, 8, id) == 0 &&
		 db_step(st) == DB_DONE;
	db_finalize(st);
	st = NULL;
	char detail[160];
	snprintf(detail, sizeof detail, "new key pair%s%s",
		 had_totp ? "; 2FA cleared" : "", codes ? "; recovery codes deleted" : "");
	/* sessions carry the old secret key: they end with it */
	if (!ok || exec_i64(db, "DELETE FROM recovery_code WHERE account_id = ?", 1, id) != 0 ||
	    exec_i64(db, "DELETE FROM session WHERE account_id = ?", 1, id) != 0 ||
	    audit(db, s, actor, "account.password_reset", id, detail) != 0)
		goto db_fail;
	if (commit(db, e) != 0)
		goto out;
	if (totp_cleared)
		*totp_cleared = had_totp != 0;
	rc = 0;
	goto out;
db_fail:
	rollback_db(db, e);
out:
	if (k)
		vault_secure_free(k);
	return rc;
}

/* ---- second factor ---- */

/* Stores k's wrapped TOTP secret and turns two-step sign-in on, under the
 * password verifier confirm_password read (r) or not at all: a password
 * changed in between rolls back with a conflict. The sign-in failures are
 * cleared, since the caller has just proved the password. 0; -1 a database
 * error (the caller rolls back); 1 refused, rolled back, e set. */
static int set_secret(db_t *db, int64_t id, const struct secrets *k, const struct row *r,
		      int64_t last_step, struct account_error *e)
{
	db_stmt_t *st;
	if (db_prepare(db, "UPDATE account SET totp_wrapped = ?, totp_enabled = 1, "
			   "totp_last_step = ?, failed_logins = 0, locked_until = 0 "
			   "WHERE id = ? AND pw_verifier = ?", &st) != 0)
		return -1;
	int ok = db_bind_blob(st, 1, k->wtotp, sizeof k->wtotp) == 0 &&
		 db_bind_i64(st, 2, last_step) == 0 && db_bind_i64(st, 3, id) == 0 &&
		 db_bind_blob(st, 4, r->verifier, sizeof r->verifier) == 0 &&
		 db_step(st) == DB_DONE;
	db_finalize(st);
	if (!ok)
		return -1;
	if (db_changes(db) != 1) {
		db_rollback(db);
		fail(e, ACCOUNT_ECONFLICT, "the password of this account changed meanwhile: try "
		     "again");
		return 1;
	}
	return 0;
}

int accounts_totp_enable(db_t *db, const struct audit_signer *s, const char *actor, int64_t id,
			 const char *password,
			 const unsigned char secret[ACCOUNT_TOTP_SECRET_BYTES],
			 struct account_error *e)
{
	struct row r;
	struct secrets *k = NULL;
	int rc = -1;
	if (load_for_change(db, id, &r, e) != 0)
		return -1;
	k = secrets_new(1);
	if (confirm_password(db, s, actor, &r, password, k, e) != 0)
		goto out;
	if (vault_wrap(k->kek, PURPOSE_TOTP, id, secret, ACCOUNT_TOTP_SECRET_BYTES, k->wtotp) != 0) {
		fail(e, ACCOUNT_EINTERNAL, "cannot wrap the TOTP secret");
		goto out;
	}
	if (db_begin(db) != 0) {
		fail_db(db, e);
		goto out;
	}
	int set = set_secret(db, id, k, &r, 0, e);
	if (set < 0)
		goto db_fail;
	if (set > 0)
		goto out;
	if (audit(db, s, actor, "account.totp_enable", id, r.has_wtotp ? "secret replaced" : NULL) != 0)
		goto db_fail;
	rc = commit(db, e);
	goto out;
db_fail:
	rollback_db(db, e);
out:
	if (k)
		vault_secure_free(k);
	return rc;
}

/* Inside the caller's transaction: uses up the current second factor, a
 * recovery code by its hash or a TOTP step, atomically. 0 used, 1 not
 * (wrong, used already), -1 db error. */
static int use_current_factor(db_t *db, int64_t id, int by_recovery,
			      const unsigned char hash[ACCOUNT_RECOVERY_HASH_BYTES], int64_t step)
{
	if (by_recovery) {
		char at[TIMESTAMP_LEN + 1];
		db_stmt_t *st;
		timestamp_format(now(), at);
		if (db_prepare(db, "UPDATE recovery_code SET used_at = ? WHERE account_id = ? AND "
				   "code_hash = ? AND used_at IS NULL", &st) != 0)
			return -1;
		int ok = db_bind_text(st, 1, at, (size_t)-1) == 0 && db_bind_i64(st, 2, id) == 0 &&
			 db_bind_blob(st, 3, hash, ACCOUNT_RECOVERY_HASH_BYTES) == 0 &&
			 db_step(st) == DB_DONE;
		db_finalize(st);
		if (!ok)
			return -1;
	} else if (exec_i64(db, "UPDATE account SET totp_last_step = ? WHERE id = ? AND "
				"totp_enabled = 1 AND totp_last_step < ?", 3, step, id, step) != 0) {
		return -1;
	}
	return db_changes(db) == 1 ? 0 : 1;
}

int accounts_totp_move(db_t *db, const struct audit_signer *s, const char *actor, int64_t id,
		       const char *password, const char *current,
		       const unsigned char secret[ACCOUNT_TOTP_SECRET_BYTES], int64_t new_step,
		       const unsigned char hashes[][ACCOUNT_RECOVERY_HASH_BYTES], size_t n,
		       struct account_error *e)
{
	struct row r;
	struct secrets *k = NULL;
	db_stmt_t *st = NULL;
	unsigned char hash[ACCOUNT_RECOVERY_HASH_BYTES];
	char norm[RECOVERY_CHARS + 1], detail[96];
	int64_t step = 0;
	int rc = -1, by_recovery = 0;
	if (n == 0 || n > ACCOUNT_RECOVERY_MAX)
		return fail(e, ACCOUNT_EINVALID, "between 1 and %d recovery codes",
			    ACCOUNT_RECOVERY_MAX);
	if (!password || !current || !*current || strlen(current) > RECOVERY_INPUT_MAX)
		return fail(e, ACCOUNT_ECODE, "no current code given");
	if (load_for_change(db, id, &r, e) != 0)
		return -1;
	if (!r.a.totp_enabled || !r.has_wtotp)
		return fail(e, ACCOUNT_ECONFLICT, "two-step sign-in is off: set it up instead");
	k = secrets_new(1);
	if (confirm_password(db, s, actor, &r, password, k, e) != 0)
		goto out;
	/* a recovery code has letters; a code of the app digits only */
	for (const char *c = current; *c && !by_recovery; c++)
		by_recovery = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z');
	if (by_recovery ? recovery_normalise(current, norm) != 0 || recovery_hash(norm, hash) != 0
			: totp_verify(k->totp, current, now(), 1, &step) != 0) {
		fail(e, ACCOUNT_ECODE, "the current code is not right");
		goto out;
	}
	if (vault_wrap(k->kek, PURPOSE_TOTP, id, secret, ACCOUNT_TOTP_SECRET_BYTES, k->wtotp) != 0) {
		fail(e, ACCOUNT_EINTERNAL, "cannot wrap the TOTP secret");
		goto out;
	}
	if (db_begin(db) != 0) {
		fail_db(db, e);
		goto out;
	}
	int used = use_current_factor(db, id, by_recovery, hash, step);
	if (used < 0)
		goto db_fail;
	if (used > 0) {
		db_rollback(db);
		fail(e, ACCOUNT_ECODE, "the current code was used already");
		goto out;
	}
	int set = set_secret(db, id, k, &r, new_step > 0 ? new_step : 0, e);
	if (set < 0)
		goto db_fail;
	if (set > 0)
		goto out;
	if (exec_i64(db, "DELETE FROM recovery_code WHERE account_id = ?", 1, id) != 0 ||
	    db_prepare(db, "INSERT INTO recovery_code (account_id, code_hash) VALUES (?, ?)",
		       &st) != 0)
		goto db_fail;
	int ok = 1;
	for (size_t i = 0; i < n && ok; i++)
		ok = db_bind_i64(st, 1, id) == 0 &&
		     db_bind_blob(st, 2, hashes[i], ACCOUNT_RECOVERY_HASH_BYTES) == 0 &&
		     db_step(st) == DB_DONE && db_reset(st) == 0;
	db_finalize(st);
	st = NULL;
	if (!ok)
		goto db_fail;
	snprintf(detail, sizeof detail, "confirmed with %s; %zu new recovery codes",
		 by_recovery ? "a recovery code" : "a code of the current app", n);
	if (audit(db, s, actor, "account.totp_move", id, detail) != 0)
		goto db_fail;
	rc = commit(db, e);
	goto out;
db_fail:
	rollback_db(db, e);
out:
	sodium_memzero(norm, sizeof norm);
	sodium_memzero(hash, sizeof hash);
	if (k)
		vault_secure_free(k);
	return rc;
}

int accounts_totp_disable(db_t *db, const struct audit_signer *s, const char *actor,
			  int64_t id, struct account_error *e)
{
	int64_t was = 0, codes = 0;
	if (begin_on(db, id, e) != 0)
		return -1;
	if (query_id(db, "SELECT totp_enabled FROM account WHERE id = ?", id, &was) != 0 ||
	    query_id(db, "SELECT count(*) FROM recovery_code WHERE account_id = ?", id,
		     &codes) != 0)
		return rollback_db(db, e);
	if (!was && !codes) {
		db_rollback(db);
		return 0;
	}
	if (exec_i64(db, "UPDATE account SET totp_wrapped = NULL, totp_enabled = 0, "
			 "totp_last_step = 0 WHERE id = ?", 1, id) != 0 ||
	    exec_i64(db, "DELETE FROM recovery_code WHERE account_id = ?", 1, id) != 0 ||
	    audit(db, s, actor, "account.totp_disable", id,
		  codes ? "recovery codes deleted" : NULL) != 0)
		return rollback_db(db, e);
	return commit(db, e);
}

int accounts_totp_check_step(db_t *db, int64_t id, int64_t step)
{
	if (step <= 0)
		return 1;
	/* one statement, so two requests with the same code cannot both pass */
	if (exec_i64(db, "UPDATE account SET totp_last_step = ? WHERE id = ? AND "
			 "totp_enabled = 1 AND totp_last_step < ?", 3, step, id, step) != 0)
		return -1;
	return db_changes(db) == 1 ? 0 : 1;
}

int accounts_recovery_set(db_t *db, const struct audit_signer *s, const char *actor,
			  int64_t id, const unsigned char hashes[][ACCOUNT_RECOVERY_HASH_BYTES],
			  size_t n, struct account_error *e)
{
	char detail[64];
	db_stmt_t *st;
	if (n > ACCOUNT_RECOVERY_MAX)
		return fail(e, ACCOUNT_EINVALID, "at most %d recovery codes", ACCOUNT_RECOVERY_MAX);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (sodium_memcmp(hashes[i], hashes[j], ACCOUNT_RECOVERY_HASH_BYTES) == 0)
				return fail(e, ACCOUNT_EINVALID, "two recovery codes are the same");
	if (begin_on(db, id, e) != 0)
		return -1;
	if (exec_i64(db, "DELETE FROM recovery_code WHERE account_id = ?", 1, id) != 0)
		return rollback_db(db, e);
	if (n) {
		if (db_prepare(db, "INSERT INTO recovery_code (account_id, code_hash) VALUES (?, ?)",
			       &st) != 0)
			return rollback_db(db, e);
		int ok = 1;
		for (size_t i = 0; i < n && ok; i++) {
			ok = db_bind_i64(st, 1, id) == 0 &&
			     db_bind_blob(st, 2, hashes[i], ACCOUNT_RECOVERY_HASH_BYTES) == 0 &&
			     db_step(st) == DB_DONE && db_reset(st) == 0;
		}
		db_finalize(st);
		if (!ok)
			return rollback_db(db, e);
	}
	snprintf(detail, sizeof detail, "%zu codes", n);
	if (audit(db, s, actor, "account.recovery_set", id, detail) != 0)
		return rollback_db(db, e);
	return commit(db, e);
}

int accounts_recovery_use(db_t *db, const struct audit_signer *s, int64_t id,
			  const unsigned char hash[ACCOUNT_RECOVERY_HASH_BYTES])
{
	char at[TIMESTAMP_LEN + 1], actor[32], detail[64];
	db_stmt_t *st;
	int64_t left = 0;
	timestamp_format(now(), at);
	if (db_begin(db) != 0)
		return -1;
	/* the code's hash is looked up, not compared byte by byte in C: the codes
	 * carry 60 bits, so learning a hash prefix by timing helps nobody */
	if (db_prepare(db, "UPDATE recovery_code SET used_at = ? WHERE account_id = ? AND "
			   "code_hash = ? AND used_at IS NULL", &st) != 0)
		goto fail;
	int ok = db_bind_text(st, 1, at, (size_t)-1) == 0 && db_bind_i64(st, 2, id) == 0 &&
		 db_bind_blob(st, 3, hash, ACCOUNT_RECOVERY_HASH_BYTES) == 0 &&
		 db_step(st) == DB_DONE;
	db_finalize(st);
	if (!ok)
		goto fail;
	if (db_changes(db) != 1) {
		db_rollback(db);
		return 1;
	}
	if (query_id(db, "SELECT count(*) FROM recovery_code WHERE account_id = ? AND "
			 "used_at IS NULL", id, &left) != 0)
		goto fail;
	user_actor(id, actor);
	snprintf(detail, sizeof detail, "%" PRId64 " left", left);
	if (audit(db, s, actor, "account.recovery_used", id, detail) != 0 || db_commit(db) != 0)
		goto fail;
	return 0;
fail:
	db_rollback(db);
	return -1;
}

int accounts_recovery_left(db_t *db, int64_t id, int64_t *n)
{
	return query_id(db, "SELECT count(*) FROM recovery_code WHERE account_id = ? AND "
			"used_at IS NULL", id, n);
}
