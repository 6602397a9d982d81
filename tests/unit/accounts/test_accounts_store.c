/* test_accounts_store.c: accounts against a real SQLite database
 * (src/accounts/store.c and demo.c): creating, signing in with throttling,
 * disabling, roles per organisation, password change and reset with what
 * each does to the key pair, the TOTP secret with replay protection, recovery
 * codes, and the demo accounts. Every test ends by verifying the audit trail
 * and checking that no password ever reached the database.
 *
 * Each test works in its own temporary folder with a fresh database, signing
 * key and the organisations RIJK > FIN, BZK; the clock is a variable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "accounts/accounts.h"
#include "accounts/recovery.h"
#include "accounts/session.h"
#include "base/alloc.h"
#include "crypto/audit.h"
#include "crypto/signkey.h"
#include "crypto/vault.h"
#include "orgs/orgs.h"
#include "store/migrate.h"
#include "store/testutil.h"

#define ACTOR "cli:test"
#define PW "paard batterij nietje"
#define PW2 "nog een ander wachtwoord"

static time_t fake_now = 1800000000;  /* 2027-01-15 */

static time_t test_clock(void)
{
	return fake_now;
}

struct fx {
	struct testfx t;
	/* every password a test used, to prove none was stored */
	const char *pw[16];
	size_t npw;
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	char err[600];
	testfx_open(&f->t);
	if (accounts_init(SRCDIR "/data", err, sizeof err) != 0)
		fail_msg("accounts_init: %s", err);
	fake_now = 1800000000;
	accounts_set_clock(test_clock);
	testfx_add_org(&f->t, "RIJK", NULL, ORG_GOVERNMENT);
	testfx_add_org(&f->t, "FIN", "RIJK", -1);
	testfx_add_org(&f->t, "BZK", "RIJK", -1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	accounts_set_clock(NULL);
	accounts_shutdown();
	testfx_close(&f->t);
	free(f);
	return 0;
}

static int64_t q(struct fx *f, const char *sql)
{
	int64_t v;
	if (db_query_i64(f->t.db, sql, NULL, &v) != 0)
		fail_msg("%s: %s", sql, db_error(f->t.db)->msg);
	return v;
}

static void exec(struct fx *f, const char *sql)
{
	if (db_exec(f->t.db, sql) != 0)
		fail_msg("%s: %s", sql, db_error(f->t.db)->msg);
}

static int64_t audit_count(struct fx *f, const char *action)
{
	int64_t v;
	assert_int_equal(db_query_i64(f->t.db, "SELECT count(*) FROM audit_log WHERE action = ?",
				      action, &v), 0);
	return v;
}

static void used(struct fx *f, const char *pw)
{
	if (f->npw < sizeof f->pw / sizeof *f->pw)
		f->pw[f->npw++] = pw;
}

/* The trail verifies, and no password (nor its hex) is in any table. Each
 * column is read as it is stored and searched here, not joined in SQL, so
 * that the check is the same on SQLite and PostgreSQL (no hex() there) and a
 * NULL column hides nothing of its row. */
static void assert_clean(struct fx *f)
{
	struct audit_report r;
	int v = audit_verify(f->t.db, f->t.key.pk, &r);
	if (v != 0)
		fail_msg("audit_verify: %d at %lld: %s", v, (long long)r.bad_seq, r.reason);
	static const char *const dumps[] = {
		"SELECT actor, action, object_type, object_id, detail FROM audit_log",
		"SELECT username, display_name, pw_salt, pw_verifier, wrapped_secret_key, "
		"totp_wrapped FROM account",
	};
	static const int ncols[] = {5, 6};
	for (size_t d = 0; d < 2; d++) {
		db_stmt_t *st;
		assert_int_equal(db_prepare(f->t.db, dumps[d], &st), 0);
		int rc;
		while ((rc = db_step(st)) == DB_ROW) {
			for (int c = 0; c < ncols[d]; c++) {
				const void *col = db_col_blob(st, c);
				size_t n = db_col_bytes(st, c);
				for (size_t i = 0; col && i < f->npw; i++) {
					size_t k = strlen(f->pw[i]);
					char hex[2 * 256 + 1], up[2 * 256 + 1];
					sodium_bin2hex(hex, sizeof hex, (const unsigned char *)f->pw[i], k);
					for (size_t h = 0; h <= 2 * k; h++)
						up[h] = (char)(hex[h] >= 'a' ? hex[h] - 'a' + 'A' : hex[h]);
					if (memmem(col, n, f->pw[i], k) || memmem(col, n, hex, 2 * k) ||
					    memmem(col, n, up, 2 * k))
						fail_msg("password '%s' is stored (%s, column %d)", f->pw[i],
							 dumps[d], c);
				}
			}
		}
		assert_int_equal(rc, DB_DONE);
		db_finalize(st);
	}
}

static int64_t create(struct fx *f, const char *user, const char *pw)
{
	struct account_error e;
	int64_t id = 0;
	used(f, pw);
	if (accounts_create(f->t.db, &f->t.signer, ACTOR, user, "Jan de Vries", pw, &id, &e) != 0)
		fail_msg("create %s: %s", user, e.msg);
	assert_true(id > 0);
	return id;
}

struct login {
	enum account_login res;
	struct account a;
	unsigned char sk[ACCOUNT_KEY_BYTES];
	unsigned char totp[ACCOUNT_TOTP_SECRET_BYTES];
	int has_totp;
	time_t until;
};

static enum account_login login(struct fx *f, const char *user, const char *pw,
				struct login *l)
{
	memset(l, 0x5a, sizeof *l);
	l->res = accounts_login(f->t.db, &f->t.signer, user, pw, &l->a, l->sk, l->totp, &l->has_totp,
				&l->until);
	if (l->res != ACCOUNT_LOGIN_OK) {
		/* nothing secret, nothing half-filled, on any refusal */
		assert_true(sodium_is_zero(l->sk, sizeof l->sk));
		assert_true(sodium_is_zero(l->totp, sizeof l->totp));
		assert_int_equal(l->a.id, 0);
		assert_int_equal(l->has_totp, 0);
	}
	return l->res;
}

/* Seals msg to the account's public key, as the reporting channel will. */
static void seal(struct fx *f, int64_t id, const char *msg, unsigned char *out)
{
	unsigned char pk[ACCOUNT_KEY_BYTES];
	assert_int_equal(accounts_public_key(f->t.db, id, pk), 0);
	assert_int_equal(crypto_box_seal(out, (const unsigned char *)msg, strlen(msg), pk), 0);
}

/* 1 if sk (with the account's current public key) opens the sealed box. */
static int opens(struct fx *f, int64_t id, const unsigned char *sealed, size_t n,
		 const unsigned char sk[32])
{
	unsigned char pk[ACCOUNT_KEY_BYTES], out[256];
	assert_int_equal(accounts_public_key(f->t.db, id, pk), 0);
	return crypto_box_seal_open(out, sealed, n, pk, sk) == 0;
}

static uint64_t derivations(void)
{
	unsigned slots, peak;
	uint64_t runs;
	vault_pw_stats(&slots, &peak, &runs);
	return runs;
}

#define SEALED(msg) (sizeof(msg) - 1 + crypto_box_SEALBYTES)

/* ---- creating ---- */

static void test_create_and_login(void **state)
{
	struct fx *f = *state;
	int64_t id = create(f, "Jan.DeVries", PW);
	struct account a;
	assert_int_equal(accounts_get(f->t.db, id, &a), 0);
	assert_string_equal(a.username, "jan.devries");   /* stored in lower case */
	assert_string_equal(a.display_name, "Jan de Vries");
	assert_int_equal(a.disabled, 0);
	assert_int_equal(a.totp_enabled, 0);
	assert_int_equal(accounts_by_name(f->t.db, "JAN.devries", &a), 0);
	assert_int_equal(a.id, id);
	assert_int_equal(accounts_by_name(f->t.db, "piet", &a), 1);
	assert_int_equal(accounts_by_name(f->t.db, "not valid!", &a), 1);
	assert_int_equal(accounts_get(f->t.db, id + 100, &a), 1);
	assert_int_equal(audit_count(f, "account.create"), 1);
	/* the stored parameters are the defaults, kept per row */
	assert_int_equal(q(f, "SELECT pw_ops FROM account"), VAULT_PW_OPS_DEFAULT);
	assert_int_equal(q(f, "SELECT pw_mem FROM account"), VAULT_PW_MEM_DEFAULT);

	unsigned char sealed[SEALED("melding 17")];
	seal(f, id, "melding 17", sealed);
	struct login l;
	uint64_t before = derivations();
	assert_int_equal(login(f, "jan.devries", PW, &l), ACCOUNT_LOGIN_OK);
	assert_int_equal(derivations() - before, 1);  /* one argon2 per sign-in */
	assert_int_equal(l.a.id, id);
	assert_string_equal(l.a.username, "jan.devries");
	assert_int_equal(l.has_totp, 0);
	assert_true(sodium_is_zero(l.totp, sizeof l.totp));
	/* the secret key handed out is the one made at creation */
	assert_true(opens(f, id, sealed, sizeof sealed, l.sk));
	/* the username is matched whatever its case */
	assert_int_equal(login(f, "JAN.DEVRIES", PW, &l), ACCOUNT_LOGIN_OK);
	assert_int_equal(audit_count(f, "account.login"), 2);
	assert_clean(f);
}

static void test_create_refusals(void **state)
{
	struct fx *f = *state;
	struct account_error e;
	create(f, "jan.devries", PW);
	int64_t rows = q(f, "SELECT count(*) FROM account"), seq = q(f, "SELECT max(seq) FROM audit_log");

	/* taken in any case: nothing written */
	assert_int_equal(accounts_create(f->t.db, &f->t.signer, ACTOR, "JAN.DEVRIES", "Ander", PW2,
					 NULL, &e), -1);
	assert_int_equal(e.code, ACCOUNT_ECONFLICT);
	assert_non_null(strstr(e.msg, "taken"));
	/* a weak password, a bad username, a bad display name */
	used(f, "welkom123456");
	assert_int_equal(accounts_create(f->t.db, &f->t.signer, ACTOR, "piet", "Piet", "welkom123456",
					 NULL, &e), -1);
	assert_int_equal(e.code, ACCOUNT_EINVALID);
	assert_non_null(strstr(e.msg, "common passwords"));
	assert_int_equal(accounts_create(f->t.db, &f->t.signer, ACTOR, "piet", "Piet", "kort", NULL,
					 &e), -1);
	assert_non_null(strstr(e.msg, "12 characters"));
	assert_int_equal(accounts_create(f->t.db, &f->t.signer, ACTOR, "piet", "Piet",
					 "ik ben piet en dat is zo", NULL, &e), -1);
	assert_non_null(strstr(e.msg, "username"));
	assert_int_equal(accounts_create(f->t.db, &f->t.signer, ACTOR, "9piet", "Piet", PW2, NULL, &e),
			 -1);
	assert_int_equal(e.code, ACCOUNT_EINVALID);
	assert_int_equal(accounts_create(f->t.db, &f->t.signer, ACTOR, "piet", "Piet\n", PW2, NULL, &e),
			 -1);
	assert_int_equal(e.code, ACCOUNT_EINVALID);

	/* a role at an unknown organisation: the account is not made either */
	struct account_role_spec roles[2] = {{ROLE_INVESTIGATOR, "FIN"}, {ROLE_MANAGER, "NOPE"}};
	struct account_new n = {"piet", "Piet", PW2, roles, 2};
	assert_int_equal(accounts_create_batch(f->t.db, &f->t.signer, ACTOR, &n, 1, NULL, &e), -1);
	assert_int_equal(e.code, ACCOUNT_ENOTFOUND);
	assert_non_null(strstr(e.msg, "NOPE"));
	roles[1] = (struct account_role_spec){ROLE_INVESTIGATOR, "fin"};
	assert_int_equal(accounts_create_batch(f->t.db, &f->t.signer, ACTOR, &n, 1, NULL, &e), -1);
	assert_int_equal(e.code, ACCOUNT_ECONFLICT);
	roles[1] = (struct account_role_spec){ROLE_COUNT, "FIN"};
	assert_int_equal(accounts_create_batch(f->t.db, &f->t.signer, ACTOR, &n, 1, NULL, &e), -1);
	assert_int_equal(e.code, ACCOUNT_EINVALID);
	roles[1] = (struct account_role_spec){ROLE_MANAGER, "F I N"};
	assert_int_equal(accounts_create_batch(f->t.db, &f->t.signer, ACTOR, &n, 1, NULL, &e), -1);
	assert_int_equal(e.code, ACCOUNT_EINVALID);
	/* a batch is all or nothing: the second is taken, so the first is not made */
	struct account_new two[2] = {{"piet", "Piet", PW2, NULL, 0},
				     {"jan.devries", "Jan", PW2, NULL, 0}};
	assert_int_equal(accounts_create_batch(f->t.db, &f->t.signer, ACTOR, two, 2, NULL, &e), -1);
	assert_int_equal(e.code, ACCOUNT_ECONFLICT);
	assert_non_null(strstr(e.msg, "jan.devries: "));
	two[1].username = "PIET";
	assert_int_equal(accounts_create_batch(f->t.db, &f->t.signer, ACTOR, two, 2, NULL, &e), -1);
	assert_int_equal(e.code, ACCOUNT_ECONFLICT);
	assert_int_equal(accounts_create_batch(f->t.db, &f->t.signer, ACTOR, two, 0, NULL, &e), -1);

	assert_int_equal(q(f, "SELECT count(*) FROM account"), rows);
	assert_int_equal(q(f, "SELECT count(*) FROM account_role"), 0);
	assert_int_equal(q(f, "SELECT max(seq) FROM audit_log"), seq);

	/* with roles, in one go */
	roles[1] = (struct account_role_spec){ROLE_ADMINISTRATOR, "rijk"};
	int64_t id;
	assert_int_equal(accounts_create_batch(f->t.db, &f->t.signer, ACTOR, &n, 1, &id, &e), 0);
	struct account_role r[ACCOUNT_MAX_ROLES];
	size_t nr;
	assert_int_equal(accounts_roles(f->t.db, id, r, ACCOUNT_MAX_ROLES, &nr), 0);
	assert_int_equal(nr, 2);
	assert_int_equal(audit_count(f, "account.role_add"), 2);

	/* without the common-password list, nothing is created */
	accounts_shutdown();
	assert_int_equal(accounts_create(f->t.db, &f->t.signer, ACTOR, "kees", "Kees", PW2, NULL, &e),
			 -1);
	assert_int_equal(e.code, ACCOUNT_EINTERNAL);
	char err[400];
	assert_int_equal(accounts_init(SRCDIR "/nowhere", err, sizeof err), -1);
	assert_non_null(strstr(err, "common.txt"));
	assert_int_equal(accounts_init(SRCDIR "/data", err, sizeof err), 0);
	assert_clean(f);
}

/* ---- signing in ---- */

static void test_login_refusals(void **state)
{
	struct fx *f = *state;
	int64_t id = create(f, "jan.devries", PW);
	struct login l;
	used(f, "paard batterij nietjes");
	assert_int_equal(login(f, "jan.devries", "paard batterij nietjes", &l), ACCOUNT_LOGIN_BAD);
	assert_int_equal(q(f, "SELECT failed_logins FROM account"), 1);
	assert_int_equal(login(f, "jan.devries", "", &l), ACCOUNT_LOGIN_BAD);
	/* unknown and malformed usernames answer the same, after the same work */
	uint64_t before = derivations();
	assert_int_equal(login(f, "nobody.here", PW, &l), ACCOUNT_LOGIN_BAD);
	assert_int_equal(derivations() - before, 1);
	assert_int_equal(login(f, "not a username!", PW, &l), ACCOUNT_LOGIN_BAD);
	assert_int_equal(derivations() - before, 2);
	/* a password longer than any valid one is wrong without further work */
	char big[ACCOUNT_PASSWORD_MAX + 10];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = 0;
	assert_int_equal(login(f, "jan.devries", big, &l), ACCOUNT_LOGIN_BAD);
	assert_int_equal(login(f, "nobody.here", big, &l), ACCOUNT_LOGIN_BAD);
	assert_int_equal(q(f, "SELECT failed_logins FROM account"), 3);
	/* entries: the account when it exists, nothing typed when it does not
	 * (a username field sometimes holds a password) */
	assert_int_equal(audit_count(f, "account.login_failed"), 6);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = "
			      "'account.login_failed' AND object_id = ''"), 3);
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE action = "
		 "'account.login_failed' AND object_id = '%lld'", (long long)id);
	assert_int_equal(q(f, sql), 3);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE detail LIKE '%nobody%' OR "
			      "detail LIKE '%not a username%' OR object_id LIKE '%nobody%'"), 0);
	/* success clears the count */
	assert_int_equal(login(f, "jan.devries", PW, &l), ACCOUNT_LOGIN_OK);
	assert_int_equal(q(f, "SELECT failed_logins FROM account"), 0);
	assert_clean(f);
}

static void test_login_throttled(void **state)
{
	struct fx *f = *state;
	create(f, "jan.devries", PW);
	struct login l;
	const char *wrong = "dit is het niet";
	used(f, wrong);
	for (int i = 0; i < 4; i++)
		assert_int_equal(login(f, "jan.devries", wrong, &l), ACCOUNT_LOGIN_BAD);
	assert_int_equal(audit_count(f, "account.locked"), 0);
	/* the fifth failure locks for a minute */
	assert_int_equal(login(f, "jan.devries", wrong, &l), ACCOUNT_LOGIN_LOCKED);
	assert_int_equal(l.until, fake_now + 60);
	assert_int_equal(q(f, "SELECT locked_until FROM account"), fake_now + 60);
	assert_int_equal(audit_count(f, "account.locked"), 1);
	/* while locked, not even the right password works, and nothing is derived */
	uint64_t before = derivations();
	fake_now += 59;
	assert_int_equal(login(f, "jan.devries", PW, &l), ACCOUNT_LOGIN_LOCKED);
	assert_int_equal(l.until, fake_now + 1);
	assert_int_equal(derivations(), before);
	struct account a;
	assert_int_equal(accounts_by_name(f->t.db, "jan.devries", &a), 0);
	assert_true(a.locked_until > fake_now);
	/* after the minute, one more failure locks for two */
	fake_now += 2;
	assert_int_equal(login(f, "jan.devries", wrong, &l), ACCOUNT_LOGIN_LOCKED);
	assert_int_equal(l.until, fake_now + 120);
	assert_int_equal(q(f, "SELECT failed_logins FROM account"), 6);
	fake_now += 121;
	assert_int_equal(login(f, "jan.devries", wrong, &l), ACCOUNT_LOGIN_LOCKED);
	assert_int_equal(l.until, fake_now + 240);
	/* the right password after the lock: in, and the count starts again */
	fake_now += 241;
	assert_int_equal(login(f, "jan.devries", PW, &l), ACCOUNT_LOGIN_OK);
	assert_int_equal(q(f, "SELECT failed_logins FROM account"), 0);
	assert_int_equal(q(f, "SELECT locked_until FROM account"), 0);
	assert_int_equal(login(f, "jan.devries", wrong, &l), ACCOUNT_LOGIN_BAD);
	/* a lock stored by another sign-in is honoured */
	exec(f, "UPDATE account SET locked_until = 4000000000");
	assert_int_equal(login(f, "jan.devries", PW, &l), ACCOUNT_LOGIN_LOCKED);
	assert_clean(f);
}

static void test_disabled(void **state)
{
	struct fx *f = *state;
	struct account_error e;
	int64_t id = create(f, "jan.devries", PW);
	struct login l;
	int changed = -1;
	assert_int_equal(accounts_set_disabled(f->t.db, &f->t.signer, ACTOR, id, 1, &changed, &e), 0);
	assert_int_equal(changed, 1);
	assert_int_equal(accounts_set_disabled(f->t.db, &f->t.signer, ACTOR, id, 1, &changed, &e), 0);
	assert_int_equal(changed, 0);
	assert_int_equal(audit_count(f, "account.disable"), 1);
	assert_int_equal(login(f, "jan.devries", PW, &l), ACCOUNT_LOGIN_DISABLED);
	assert_int_equal(audit_count(f, "account.login_refused"), 1);
	/* a wrong password says no more than for anyone else */
	assert_int_equal(login(f, "jan.devries", "dit is het niet", &l), ACCOUNT_LOGIN_BAD);
	/* a disabled account cannot change its password either */
	assert_int_equal(accounts_change_password(f->t.db, &f->t.signer, ACTOR, id, PW, PW2, &e), -1);
	assert_int_equal(e.code, ACCOUNT_ECONFLICT);
	assert_int_equal(accounts_set_disabled(f->t.db, &f->t.signer, ACTOR, id, 0, &changed, &e), 0);
	assert_int_equal(changed, 1);
	assert_int_equal(login(f, "jan.devries", PW, &l), ACCOUNT_LOGIN_OK);
	assert_int_equal(accounts_set_disabled(f->t.db, &f->t.signer, ACTOR, id + 9, 1, &changed, &e),
			 -1);
	assert_int_equal(e.code, ACCOUNT_ENOTFOUND);
	assert_clean(f);
}

/* A wrapped key copied onto another row does not open there: the associated
 * data names the account. */
static void test_copied_key(void **state)
{
	struct fx *f = *state;
	int64_t a = create(f, "jan.devries", PW);
	int64_t b = create(f, "piet.bakker", PW2);
	char sql[600];
	snprintf(sql, sizeof sql,
		 "UPDATE account SET (pw_salt, pw_ops, pw_mem, pw_verifier, public_key, "
		 "wrapped_secret_key) = (SELECT pw_salt, pw_ops, pw_mem, pw_verifier, public_key, "
		 "wrapped_secret_key FROM account WHERE id = %lld) WHERE id = %lld",
		 (long long)a, (long long)b);
	exec(f, sql);
	struct login l;
	assert_int_equal(login(f, "piet.bakker", PW, &l), ACCOUNT_LOGIN_ERROR);
	assert_non_null(strstr(db_error(f->t.db)->msg, "does not open"));
	assert_int_equal(login(f, "jan.devries", PW, &l), ACCOUNT_LOGIN_OK);
	/* a damaged row is refused, not used */
	exec(f, "UPDATE account SET wrapped_secret_key = X'' WHERE username = 'piet.bakker'");
	assert_int_equal(login(f, "piet.bakker", PW, &l), ACCOUNT_LOGIN_ERROR);
}

/* ---- listing ---- */

static void test_list(void **state)
{
	struct fx *f = *state;
	create(f, "cees", PW);
	create(f, "anna", PW);
	create(f, "bert", PW);
	struct account page[2];
	size_t n;
	assert_int_equal(accounts_list(f->t.db, NULL, page, 2, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(page[0].username, "anna");
	assert_string_equal(page[1].username, "bert");
	assert_int_equal(accounts_list(f->t.db, page[1].username, page, 2, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(page[0].username, "cees");
	assert_int_equal(accounts_list(f->t.db, "cees", page, 2, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(accounts_list(f->t.db, NULL, page, 0, &n), 0);
	assert_int_equal(n, 0);
}

/* ---- roles ---- */

static void test_roles(void **state)
{
	struct fx *f = *state;
	struct account_error e;
	int64_t id = create(f, "jan.devries", PW);
	assert_int_equal(accounts_role_add(f->t.db, &f->t.signer, ACTOR, id, ROLE_ADMINISTRATOR,
					   "RIJK", &e), 0);
	assert_int_equal(accounts_role_add(f->t.db, &f->t.signer, ACTOR, id, ROLE_INVESTIGATOR, "fin",
					   &e), 0);
	assert_int_equal(accounts_role_add(f->t.db, &f->t.signer, ACTOR, id, ROLE_INVESTIGATOR, "BZK",
					   &e), 0);
	struct account_role r[ACCOUNT_MAX_ROLES];
	size_t n;
	assert_int_equal(accounts_roles(f->t.db, id, r, ACCOUNT_MAX_ROLES, &n), 0);
	assert_int_equal(n, 3);
	/* ordered by role, then organisation code */
	assert_int_equal(r[0].role, ROLE_INVESTIGATOR);
	assert_string_equal(r[0].org_code, "BZK");
	assert_int_equal(r[1].role, ROLE_INVESTIGATOR);
	assert_string_equal(r[1].org_code, "FIN");
	assert_string_equal(r[1].org_name, "FIN");
	assert_int_equal(r[2].role, ROLE_ADMINISTRATOR);
	assert_string_equal(r[2].org_code, "RIJK");
	assert_int_equal(accounts_role_bits(r, n),
			 role_mask(ROLE_INVESTIGATOR) | role_mask(ROLE_ADMINISTRATOR));
	assert_true(accounts_roles_need_2fa(r, n));
	/* a buffer too small is an error, not a silent cut */
	assert_int_equal(accounts_roles(f->t.db, id, r, 2, &n), -1);

	int64_t seq = q(f, "SELECT max(seq) FROM audit_log");
	assert_int_equal(accounts_role_add(f->t.db, &f->t.signer, ACTOR, id, ROLE_INVESTIGATOR, "FIN",
					   &e), -1);
	assert_int_equal(e.code, ACCOUNT_ECONFLICT);
	assert_int_equal(accounts_role_add(f->t.db, &f->t.signer, ACTOR, id, ROLE_MANAGER, "NOPE",
					   &e), -1);
	assert_int_equal(e.code, ACCOUNT_ENOTFOUND);
	assert_int_equal(accounts_role_add(f->t.db, &f->t.signer, ACTOR, id, ROLE_MANAGER, "F/N",
					   &e), -1);
	assert_int_equal(e.code, ACCOUNT_EINVALID);
	assert_int_equal(accounts_role_add(f->t.db, &f->t.signer, ACTOR, id, ROLE_COUNT, "FIN", &e),
			 -1);
	assert_int_equal(e.code, ACCOUNT_EINVALID);
	assert_int_equal(accounts_role_add(f->t.db, &f->t.signer, ACTOR, id + 5, ROLE_MANAGER, "FIN",
					   &e), -1);
	assert_int_equal(e.code, ACCOUNT_ENOTFOUND);
	assert_int_equal(accounts_role_remove(f->t.db, &f->t.signer, ACTOR, id, ROLE_MANAGER, "FIN",
					      &e), -1);
	assert_int_equal(e.code, ACCOUNT_ENOTFOUND);
	assert_int_equal(accounts_role_remove(f->t.db, &f->t.signer, ACTOR, id, ROLE_COUNT, "FIN",
					      &e), -1);
	assert_int_equal(e.code, ACCOUNT_EINVALID);
	assert_int_equal(q(f, "SELECT max(seq) FROM audit_log"), seq);

	assert_int_equal(accounts_role_remove(f->t.db, &f->t.signer, ACTOR, id, ROLE_INVESTIGATOR,
					      "Fin", &e), 0);
	assert_int_equal(accounts_roles(f->t.db, id, r, ACCOUNT_MAX_ROLES, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(r[0].org_code, "BZK");
	assert_int_equal(audit_count(f, "account.role_remove"), 1);

	/* a role given before a rename stays on the old row; it can still be taken
	 * away by the code it was given with */
	struct org_error oe;
	struct org_successor to = {.code = "BZK2", .name = "Binnenlandse Zaken"};
	struct org_change ren = {.op = ORG_OP_RENAME, .on = "2024-07-02", .code = "BZK",
				 .into = &to, .ninto = 1, .kind = -1, .scope = -1};
	assert_int_equal(orgs_change(f->t.db, &f->t.signer, ACTOR, &ren, NULL, NULL, &oe), 0);
	assert_int_equal(accounts_roles(f->t.db, id, r, ACCOUNT_MAX_ROLES, &n), 0);
	assert_string_equal(r[0].org_code, "BZK");
	assert_int_equal(accounts_role_add(f->t.db, &f->t.signer, ACTOR, id, ROLE_MANAGER, "BZK", &e),
			 -1);
	assert_int_equal(e.code, ACCOUNT_ENOTFOUND);  /* no BZK today */
	assert_int_equal(accounts_role_remove(f->t.db, &f->t.signer, ACTOR, id, ROLE_INVESTIGATOR,
					      "BZK", &e), 0);
	assert_clean(f);
}

/* ---- the viewer: session, account and roles in one read ---- */

/* What app_viewer_load reads on every signed-in request: the same account and
 * roles (in accounts_roles' order) as the separate reads gave; and a session
 * ended elsewhere, one of a disabled account or one past its limits is none
 * at once (the check is a query, nothing is kept between requests). */
static void test_session_viewer(void **state)
{
	struct fx *f = *state;
	struct account_error e;
	int64_t id = create(f, "jan.devries", PW);
	int64_t bare = create(f, "piet.jansen", PW2);
	assert_int_equal(accounts_role_add(f->t.db, &f->t.signer, ACTOR, id, ROLE_ADMINISTRATOR,
					   "RIJK", &e), 0);
	assert_int_equal(accounts_role_add(f->t.db, &f->t.signer, ACTOR, id, ROLE_INVESTIGATOR, "FIN",
					   &e), 0);
	assert_int_equal(accounts_role_add(f->t.db, &f->t.signer, ACTOR, id, ROLE_INVESTIGATOR, "BZK",
					   &e), 0);
	unsigned char sk[32] = {1};
	char token[SESSION_TOKEN_LEN + 1], token2[SESSION_TOKEN_LEN + 1];
	struct session_limits lim = {.idle_seconds = 600, .absolute_seconds = 3600};
	assert_int_equal(session_create(f->t.db, id, sk, NULL, 0, 1, 0, "en", fake_now, token), 0);
	assert_int_equal(session_create(f->t.db, bare, sk, NULL, 0, 0, 1, "nl", fake_now, token2), 0);

	struct session s;
	struct account a;
	struct account_role r[ACCOUNT_MAX_ROLES], want[ACCOUNT_MAX_ROLES];
	size_t n = 99, nwant;
	assert_int_equal(session_load_viewer(f->t.db, token, &lim, fake_now + 10, &s, &a, r,
					     ACCOUNT_MAX_ROLES, &n), 0);
	assert_int_equal(s.account_id, id);
	assert_string_equal(s.lang, "en");
	assert_int_equal(s.mfa_done, 1);
	assert_int_equal(s.must_enrol, 0);
	assert_int_equal(s.created, fake_now);
	assert_int_equal(a.id, id);
	assert_string_equal(a.username, "jan.devries");
	assert_string_equal(a.display_name, "Jan de Vries");
	assert_int_equal(a.disabled, 0);
	assert_int_equal(accounts_roles(f->t.db, id, want, ACCOUNT_MAX_ROLES, &nwant), 0);
	assert_int_equal(n, 3);
	assert_int_equal(nwant, 3);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(r[i].role, want[i].role);
		assert_int_equal(r[i].org_id, want[i].org_id);
		assert_string_equal(r[i].org_code, want[i].org_code);
		assert_string_equal(r[i].org_name, want[i].org_name);
	}
	/* the session's key comes from the token, as session_load gives it */
	struct session plain;
	assert_int_equal(session_load(f->t.db, token, &lim, fake_now + 10, &plain), 0);
	assert_memory_equal(plain.key, s.key, sizeof s.key);
	assert_memory_equal(plain.id_hash, s.id_hash, sizeof s.id_hash);
	/* too small a buffer for the roles is an error, not a silent cut */
	assert_int_equal(session_load_viewer(f->t.db, token, &lim, fake_now + 10, &s, &a, r, 2,
					     &n), -1);

	/* an account without roles: one row, no roles */
	assert_int_equal(session_load_viewer(f->t.db, token2, &lim, fake_now + 10, &s, &a, r,
					     ACCOUNT_MAX_ROLES, &n), 0);
	assert_int_equal(a.id, bare);
	assert_int_equal(n, 0);
	assert_int_equal(s.must_enrol, 1);

	/* not a token, or a token of no session */
	assert_int_equal(session_load_viewer(f->t.db, "nonsense", &lim, fake_now, &s, &a, r,
					     ACCOUNT_MAX_ROLES, &n), 1);
	char other[SESSION_TOKEN_LEN + 1];
	memcpy(other, token, sizeof other);
	other[5] = other[5] == 'A' ? 'B' : 'A';
	assert_int_equal(session_load_viewer(f->t.db, other, &lim, fake_now, &s, &a, r,
					     ACCOUNT_MAX_ROLES, &n), 1);

	/* past its idle limit: none, and deleted */
	assert_int_equal(session_load_viewer(f->t.db, token2, &lim, fake_now + 601, &s, &a, r,
					     ACCOUNT_MAX_ROLES, &n), 1);
	assert_int_equal(n, 0);
	assert_int_equal(q(f, "SELECT count(*) FROM session"), 1);

	/* the account disabled: none at the next request, and the session ended */
	assert_int_equal(accounts_set_disabled(f->t.db, &f->t.signer, ACTOR, id, 1, NULL, &e), 0);
	assert_int_equal(session_load_viewer(f->t.db, token, &lim, fake_now + 20, &s, &a, r,
					     ACCOUNT_MAX_ROLES, &n), 1);
	assert_true(sodium_is_zero(s.key, sizeof s.key));
	assert_int_equal(q(f, "SELECT count(*) FROM session"), 0);

	/* ended by another connection (another node, a sign-out elsewhere): none
	 * at once on this one */
	assert_int_equal(accounts_set_disabled(f->t.db, &f->t.signer, ACTOR, id, 0, NULL, &e), 0);
	assert_int_equal(session_create(f->t.db, id, sk, NULL, 0, 1, 0, "nl", fake_now, token), 0);
	assert_int_equal(session_load_viewer(f->t.db, token, &lim, fake_now + 10, &s, &a, r,
					     ACCOUNT_MAX_ROLES, &n), 0);
	/* testdb_open: on PostgreSQL the path stands for the test's database */
	db_t *other_db = testdb_open(f->t.db_path, 0, 1000);
	assert_int_equal(session_destroy_account(other_db, id), 0);
	db_close(other_db);
	assert_int_equal(session_load_viewer(f->t.db, token, &lim, fake_now + 11, &s, &a, r,
					     ACCOUNT_MAX_ROLES, &n), 1);
	assert_clean(f);
}

/* ---- passwords ---- */

static void test_change_password(void **state)
{
	struct fx *f = *state;
	struct account_error e;
	int64_t id = create(f, "jan.devries", PW);
	used(f, PW2);
	unsigned char secret[ACCOUNT_TOTP_SECRET_BYTES];
	randombytes_buf(secret, sizeof secret);
	assert_int_equal(accounts_totp_enable(f->t.db, &f->t.signer, ACTOR, id, PW, secret, &e), 0);
	unsigned char sealed[SEALED("vertrouwelijk")];
	seal(f, id, "vertrouwelijk", sealed);
	unsigned char pk[32], pk_after[32];
	assert_int_equal(accounts_public_key(f->t.db, id, pk), 0);

	/* refusals leave the password as it was */
	assert_int_equal(accounts_change_password(f->t.db, &f->t.signer, ACTOR, id, "dit is het niet",
						  PW2, &e), -1);
	assert_int_equal(e.code, ACCOUNT_EPASSWORD);
	assert_int_equal(q(f, "SELECT failed_logins FROM account"), 1);  /* counts as a guess */
	assert_int_equal(accounts_change_password(f->t.db, &f->t.signer, ACTOR, id, PW, "welkom123456",
						  &e), -1);
	assert_int_equal(e.code, ACCOUNT_EINVALID);
	assert_int_equal(accounts_change_password(f->t.db, &f->t.signer, ACTOR, id, PW, PW, &e), -1);
	assert_int_equal(e.code, ACCOUNT_EINVALID);
	assert_int_equal(accounts_change_password(f->t.db, &f->t.signer, ACTOR, id + 3, PW, PW2, &e),
			 -1);
	assert_int_equal(e.code, ACCOUNT_ENOTFOUND);

	assert_int_equal(accounts_change_password(f->t.db, &f->t.signer, ACTOR, id, PW, PW2, &e), 0);
	assert_int_equal(audit_count(f, "account.password_change"), 1);
	assert_int_equal(q(f, "SELECT failed_logins FROM account"), 0);
	struct login l;
	assert_int_equal(login(f, "jan.devries", PW, &l), ACCOUNT_LOGIN_BAD);
	assert_int_equal(login(f, "jan.devries", PW2, &l), ACCOUNT_LOGIN_OK);
	/* the key pair stayed: what was sealed before still opens */
	assert_int_equal(accounts_public_key(f->t.db, id, pk_after), 0);
	assert_memory_equal(pk, pk_after, 32);
	assert_true(opens(f, id, sealed, sizeof sealed, l.sk));
	/* and 2FA came along, rewrapped */
	assert_int_equal(l.has_totp, 1);
	assert_memory_equal(l.totp, secret, sizeof secret);

	/* five wrong current passwords lock the account like sign-ins do */
	for (int i = 0; i < 4; i++)
		assert_int_equal(accounts_change_password(f->t.db, &f->t.signer, ACTOR, id,
							  "dit is het niet", PW, &e), -1);
	assert_int_equal(accounts_change_password(f->t.db, &f->t.signer, ACTOR, id, "dit is het niet",
						  PW, &e), -1);
	assert_int_equal(e.code, ACCOUNT_ELOCKED);
	assert_int_equal(accounts_change_password(f->t.db, &f->t.signer, ACTOR, id, PW2, PW, &e), -1);
	assert_int_equal(e.code, ACCOUNT_ELOCKED);
	assert_clean(f);
}

static void test_reset_password(void **state)
{
	struct fx *f = *state;
	struct account_error e;
	int64_t id = create(f, "jan.devries", PW);
	used(f, PW2);
	unsigned char secret[ACCOUNT_TOTP_SECRET_BYTES], hashes[3][ACCOUNT_RECOVERY_HASH_BYTES];
	randombytes_buf(secret, sizeof secret);
	randombytes_buf(hashes, sizeof hashes);
	assert_int_equal(accounts_totp_enable(f->t.db, &f->t.signer, ACTOR, id, PW, secret, &e), 0);
	assert_int_equal(accounts_recovery_set(f->t.db, &f->t.signer, ACTOR, id,
					       (const unsigned char(*)[32])hashes, 3, &e), 0);
	unsigned char sealed[SEALED("vertrouwelijk")];
	seal(f, id, "vertrouwelijk", sealed);
	struct login old;
	assert_int_equal(login(f, "jan.devries", PW, &old), ACCOUNT_LOGIN_OK);
	unsigned char pk[32], pk_after[32];
	assert_int_equal(accounts_public_key(f->t.db, id, pk), 0);
	exec(f, "UPDATE account SET failed_logins = 7, locked_until = 4000000000");

	int cleared = -1;
	assert_int_equal(accounts_reset_password(f->t.db, &f->t.signer, ACTOR, id, "welkom123456",
						 &cleared, &e), -1);
	assert_int_equal(e.code, ACCOUNT_EINVALID);
	assert_int_equal(accounts_reset_password(f->t.db, &f->t.signer, ACTOR, id + 4, PW2, &cleared,
						 &e), -1);
	assert_int_equal(e.code, ACCOUNT_ENOTFOUND);
	assert_int_equal(accounts_reset_password(f->t.db, &f->t.signer, ACTOR, id, PW2, &cleared, &e),
			 0);
	assert_int_equal(cleared, 1);
	assert_int_equal(audit_count(f, "account.password_reset"), 1);
	/* a new key pair; the old one's box no longer opens with the new key */
	assert_int_equal(accounts_public_key(f->t.db, id, pk_after), 0);
	assert_memory_not_equal(pk, pk_after, 32);
	struct login l;
	assert_int_equal(login(f, "jan.devries", PW, &l), ACCOUNT_LOGIN_BAD);
	assert_int_equal(login(f, "jan.devries", PW2, &l), ACCOUNT_LOGIN_OK);  /* lock lifted */
	assert_false(opens(f, id, sealed, sizeof sealed, l.sk));
	unsigned char out[64];
	assert_int_not_equal(crypto_box_seal_open(out, sealed, sizeof sealed, pk_after, l.sk), 0);
	assert_memory_not_equal(old.sk, l.sk, 32);
	/* 2FA and recovery codes are gone: enrol again */
	assert_int_equal(l.has_totp, 0);
	assert_int_equal(q(f, "SELECT totp_enabled FROM account"), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM account WHERE totp_wrapped IS NOT NULL"), 0);
	int64_t left = -1;
	assert_int_equal(accounts_recovery_left(f->t.db, id, &left), 0);
	assert_int_equal(left, 0);
	/* a reset without 2FA says so */
	assert_int_equal(accounts_reset_password(f->t.db, &f->t.signer, ACTOR, id, PW, &cleared, &e),
			 0);
	assert_int_equal(cleared, 0);
	assert_clean(f);
}

/* ---- second factor ---- */

static void test_totp(void **state)
{
	struct fx *f = *state;
	struct account_error e;
	int64_t id = create(f, "jan.devries", PW);
	unsigned char secret[ACCOUNT_TOTP_SECRET_BYTES];
	randombytes_buf(secret, sizeof secret);
	/* not enabled: no step is accepted */
	assert_int_equal(accounts_totp_check_step(f->t.db, id, 100), 1);
	assert_int_equal(accounts_totp_enable(f->t.db, &f->t.signer, ACTOR, id, "dit is het niet",
					      secret, &e), -1);
	assert_int_equal(e.code, ACCOUNT_EPASSWORD);
	assert_int_equal(q(f, "SELECT totp_enabled FROM account"), 0);
	assert_int_equal(accounts_totp_enable(f->t.db, &f->t.signer, ACTOR, id, PW, secret, &e), 0);
	assert_int_equal(audit_count(f, "account.totp_enable"), 1);
	/* stored wrapped: the secret's bytes are not in the row */
	db_stmt_t *st;
	assert_int_equal(db_prepare(f->t.db, "SELECT totp_wrapped FROM account", &st), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_bytes(st, 0), ACCOUNT_TOTP_SECRET_BYTES + VAULT_WRAP_OVERHEAD);
	assert_null(memmem(db_col_blob(st, 0), db_col_bytes(st, 0), secret, 8));
	db_finalize(st);

	struct login l;
	assert_int_equal(login(f, "jan.devries", PW, &l), ACCOUNT_LOGIN_OK);
	assert_int_equal(l.has_totp, 1);
	assert_int_equal(l.a.totp_enabled, 1);
	assert_memory_equal(l.totp, secret, sizeof secret);
	/* a caller that does not want the secret does not get it */
	unsigned char sk[32];
	struct account a;
	int has = 0;
	assert_int_equal(accounts_login(f->t.db, &f->t.signer, "jan.devries", PW, &a, sk, NULL, &has,
					NULL), ACCOUNT_LOGIN_OK);
	assert_int_equal(has, 1);

	/* each step once, and never an older one */
	assert_int_equal(accounts_totp_check_step(f->t.db, id, 100), 0);
	assert_int_equal(accounts_totp_check_step(f->t.db, id, 100), 1);
	assert_int_equal(accounts_totp_check_step(f->t.db, id, 99), 1);
	assert_int_equal(accounts_totp_check_step(f->t.db, id, 101), 0);
	assert_int_equal(accounts_totp_check_step(f->t.db, id, 0), 1);
	assert_int_equal(accounts_totp_check_step(f->t.db, id, -5), 1);
	assert_int_equal(accounts_totp_check_step(f->t.db, id + 1, 500), 1);
	assert_int_equal(q(f, "SELECT totp_last_step FROM account"), 101);

	/* enrolling again replaces the secret and starts the counter over */
	unsigned char secret2[ACCOUNT_TOTP_SECRET_BYTES];
	randombytes_buf(secret2, sizeof secret2);
	assert_int_equal(accounts_totp_enable(f->t.db, &f->t.signer, ACTOR, id, PW, secret2, &e), 0);
	assert_int_equal(login(f, "jan.devries", PW, &l), ACCOUNT_LOGIN_OK);
	assert_memory_equal(l.totp, secret2, sizeof secret2);
	assert_int_equal(accounts_totp_check_step(f->t.db, id, 50), 0);

	unsigned char h[1][ACCOUNT_RECOVERY_HASH_BYTES];
	randombytes_buf(h, sizeof h);
	assert_int_equal(accounts_recovery_set(f->t.db, &f->t.signer, ACTOR, id,
					       (const unsigned char(*)[32])h, 1, &e), 0);
	assert_int_equal(accounts_totp_disable(f->t.db, &f->t.signer, ACTOR, id, &e), 0);
	assert_int_equal(audit_count(f, "account.totp_disable"), 1);
	assert_int_equal(accounts_totp_check_step(f->t.db, id, 1000), 1);
	assert_int_equal(login(f, "jan.devries", PW, &l), ACCOUNT_LOGIN_OK);
	assert_int_equal(l.has_totp, 0);
	assert_true(sodium_is_zero(l.totp, sizeof l.totp));
	int64_t left = -1;
	assert_int_equal(accounts_recovery_left(f->t.db, id, &left), 0);
	assert_int_equal(left, 0);  /* the codes stood in for the second factor only */
	/* turning off what is off writes nothing */
	assert_int_equal(accounts_totp_disable(f->t.db, &f->t.signer, ACTOR, id, &e), 0);
	assert_int_equal(audit_count(f, "account.totp_disable"), 1);
	assert_int_equal(accounts_totp_disable(f->t.db, &f->t.signer, ACTOR, id + 7, &e), -1);
	assert_int_equal(e.code, ACCOUNT_ENOTFOUND);
	assert_clean(f);
}

/* Moving 2FA to a new phone: password and a current factor (a code of the
 * current secret, or a recovery code), all or nothing. The current codes are
 * RFC 6238's SHA-1 vectors for the RFC's secret. */
static void test_totp_move(void **state)
{
	struct fx *f = *state;
	struct account_error e;
	const unsigned char rfc[ACCOUNT_TOTP_SECRET_BYTES] = "12345678901234567890";
	int64_t id = create(f, "jan.devries", PW);
	int64_t off = create(f, "piet.bakker", PW);
	unsigned char secret2[ACCOUNT_TOTP_SECRET_BYTES], secret3[ACCOUNT_TOTP_SECRET_BYTES];
	randombytes_buf(secret2, sizeof secret2);
	randombytes_buf(secret3, sizeof secret3);
	char codes[RECOVERY_CODES][RECOVERY_CODE_LEN + 1];
	unsigned char h[RECOVERY_CODES][ACCOUNT_RECOVERY_HASH_BYTES];
	recovery_generate(codes);
	for (int i = 0; i < RECOVERY_CODES; i++) {
		char norm[RECOVERY_CHARS + 1];
		assert_int_equal(recovery_normalise(codes[i], norm), 0);
		assert_int_equal(recovery_hash(norm, h[i]), 0);
	}
	const unsigned char(*ch)[32] = (const unsigned char(*)[32])h;
	assert_int_equal(accounts_totp_enable(f->t.db, &f->t.signer, ACTOR, id, PW, rfc, &e), 0);
	assert_int_equal(accounts_recovery_set(f->t.db, &f->t.signer, ACTOR, id, ch, 2, &e), 0);

	/* 2FA off: nothing to move */
	assert_int_equal(accounts_totp_move(f->t.db, &f->t.signer, ACTOR, off, PW, "005924", secret2,
					    1, ch + 2, 3, &e), -1);
	assert_int_equal(e.code, ACCOUNT_ECONFLICT);
	/* a code already used at sign-in (time 1234567890, step 41152263) */
	fake_now = 1234567890;
	assert_int_equal(accounts_totp_check_step(f->t.db, id, 41152263), 0);
	assert_int_equal(accounts_totp_move(f->t.db, &f->t.signer, ACTOR, id, PW, "005924", secret2,
					    41152264, ch + 2, 3, &e), -1);
	assert_int_equal(e.code, ACCOUNT_ECODE);
	/* wrong password, wrong code, no code, no recovery codes to set */
	fake_now = 2000000000;
	assert_int_equal(accounts_totp_move(f->t.db, &f->t.signer, ACTOR, id, "dit is het niet",
					    "279037", secret2, 66666667, ch + 2, 3, &e), -1);
	assert_int_equal(e.code, ACCOUNT_EPASSWORD);
	assert_int_equal(accounts_totp_move(f->t.db, &f->t.signer, ACTOR, id, PW, "279038", secret2,
					    66666667, ch + 2, 3, &e), -1);
	assert_int_equal(e.code, ACCOUNT_ECODE);
	assert_int_equal(accounts_totp_move(f->t.db, &f->t.signer, ACTOR, id, PW, "", secret2,
					    66666667, ch + 2, 3, &e), -1);
	assert_int_equal(e.code, ACCOUNT_ECODE);
	assert_int_equal(accounts_totp_move(f->t.db, &f->t.signer, ACTOR, id, PW, "279037", secret2,
					    66666667, ch + 2, 0, &e), -1);
	assert_int_equal(e.code, ACCOUNT_EINVALID);
	/* none of it changed anything */
	struct login l;
	assert_int_equal(login(f, "jan.devries", PW, &l), ACCOUNT_LOGIN_OK);
	assert_memory_equal(l.totp, rfc, sizeof rfc);
	int64_t left = 0;
	assert_int_equal(accounts_recovery_left(f->t.db, id, &left), 0);
	assert_int_equal(left, 2);
	assert_int_equal(q(f, "SELECT totp_last_step FROM account WHERE username = 'jan.devries'"),
			 41152263);
	assert_int_equal(audit_count(f, "account.totp_move"), 0);

	/* with a code of the current app: the new secret, its counter, new codes */
	assert_int_equal(accounts_totp_move(f->t.db, &f->t.signer, ACTOR, id, PW, "279037", secret2,
					    66666667, ch + 2, 3, &e), 0);
	assert_int_equal(audit_count(f, "account.totp_move"), 1);
	assert_int_equal(login(f, "jan.devries", PW, &l), ACCOUNT_LOGIN_OK);
	assert_memory_equal(l.totp, secret2, sizeof secret2);
	assert_int_equal(q(f, "SELECT totp_last_step FROM account WHERE username = 'jan.devries'"),
			 66666667);
	assert_int_equal(accounts_recovery_left(f->t.db, id, &left), 0);
	assert_int_equal(left, 3);
	assert_int_equal(accounts_recovery_use(f->t.db, &f->t.signer, id, h[0]), 1); /* old: void */
	/* the old secret's code opens nothing now */
	assert_int_equal(accounts_totp_move(f->t.db, &f->t.signer, ACTOR, id, PW, "279037", secret3,
					    66666668, ch + 5, 2, &e), -1);
	assert_int_equal(e.code, ACCOUNT_ECODE);
	/* with a recovery code of the new set: used up, replaced by the next set */
	assert_int_equal(accounts_totp_move(f->t.db, &f->t.signer, ACTOR, id, PW, codes[3], secret3,
					    66666668, ch + 5, 2, &e), 0);
	assert_int_equal(login(f, "jan.devries", PW, &l), ACCOUNT_LOGIN_OK);
	assert_memory_equal(l.totp, secret3, sizeof secret3);
	assert_int_equal(accounts_recovery_left(f->t.db, id, &left), 0);
	assert_int_equal(left, 2);
	assert_int_equal(accounts_recovery_use(f->t.db, &f->t.signer, id, h[4]), 1);
	assert_int_equal(accounts_totp_move(f->t.db, &f->t.signer, ACTOR, id, PW, codes[3], secret2,
					    66666669, ch + 7, 2, &e), -1);
	assert_int_equal(e.code, ACCOUNT_ECODE);
	assert_int_equal(audit_count(f, "account.totp_move"), 2);
	sodium_memzero(codes, sizeof codes);
	assert_clean(f);
}

static void test_recovery_codes(void **state)
{
	struct fx *f = *state;
	struct account_error e;
	int64_t id = create(f, "jan.devries", PW);
	int64_t other = create(f, "piet.bakker", PW);
	unsigned char h[ACCOUNT_RECOVERY_MAX + 1][ACCOUNT_RECOVERY_HASH_BYTES];
	randombytes_buf(h, sizeof h);
	const unsigned char(*ch)[32] = (const unsigned char(*)[32])h;
	assert_int_equal(accounts_recovery_set(f->t.db, &f->t.signer, ACTOR, id, ch, 3, &e), 0);
	int64_t left = 0;
	assert_int_equal(accounts_recovery_left(f->t.db, id, &left), 0);
	assert_int_equal(left, 3);
	/* single use */
	assert_int_equal(accounts_recovery_use(f->t.db, &f->t.signer, id, h[1]), 0);
	assert_int_equal(accounts_recovery_use(f->t.db, &f->t.signer, id, h[1]), 1);
	assert_int_equal(accounts_recovery_left(f->t.db, id, &left), 0);
	assert_int_equal(left, 2);
	assert_int_equal(audit_count(f, "account.recovery_used"), 1);
	/* another account's code, or no code at all, does nothing */
	assert_int_equal(accounts_recovery_use(f->t.db, &f->t.signer, other, h[0]), 1);
	assert_int_equal(accounts_recovery_use(f->t.db, &f->t.signer, id, h[5]), 1);
	/* limits and duplicates */
	assert_int_equal(accounts_recovery_set(f->t.db, &f->t.signer, ACTOR, id, ch,
					       ACCOUNT_RECOVERY_MAX + 1, &e), -1);
	assert_int_equal(e.code, ACCOUNT_EINVALID);
	memcpy(h[4], h[3], sizeof h[3]);
	assert_int_equal(accounts_recovery_set(f->t.db, &f->t.signer, ACTOR, id, ch + 3, 2, &e), -1);
	assert_int_equal(e.code, ACCOUNT_EINVALID);
	assert_int_equal(accounts_recovery_left(f->t.db, id, &left), 0);
	assert_int_equal(left, 2);  /* the refused set changed nothing */
	assert_int_equal(accounts_recovery_set(f->t.db, &f->t.signer, ACTOR, id + 9, ch, 1, &e), -1);
	assert_int_equal(e.code, ACCOUNT_ENOTFOUND);
	/* a new set replaces the old, used codes included */
	assert_int_equal(accounts_recovery_set(f->t.db, &f->t.signer, ACTOR, id, ch + 5, 2, &e), 0);
	assert_int_equal(accounts_recovery_use(f->t.db, &f->t.signer, id, h[0]), 1);
	assert_int_equal(accounts_recovery_use(f->t.db, &f->t.signer, id, h[6]), 0);
	assert_int_equal(accounts_recovery_set(f->t.db, &f->t.signer, ACTOR, id, ch, 0, &e), 0);
	assert_int_equal(accounts_recovery_left(f->t.db, id, &left), 0);
	assert_int_equal(left, 0);
	assert_clean(f);
}

/* ---- demo ---- */

static void test_import_demo(void **state)
{
	struct fx *f = *state;
	char err[1024];
	struct account_demo_login l[ACCOUNT_DEMO_MAX];
	size_t n = 0;
	/* the demo's own organisations, in place of the fixture's */
	exec(f, "DELETE FROM org");
	if (orgs_import_file(f->t.db, &f->t.signer, ACTOR, SRCDIR "/data/demo/organisations.json", err,
			     sizeof err) != 0)
		fail_msg("organisations: %s", err);
	if (accounts_import_demo(f->t.db, &f->t.signer, ACTOR, SRCDIR "/data/demo/accounts.json", l,
				 ACCOUNT_DEMO_MAX, &n, err, sizeof err) != 0)
		fail_msg("demo accounts: %s", err);
	/* one per role, the central desk's integrity coordinator at RIJK, the
	 * competent authority of FIN, who decides the demo cases, an integrity
	 * coordinator at each of the 14 other departments of today (the demo
	 * assessments and risk registers) and a manager at FIN */
	assert_int_equal(n, ROLE_COUNT + 2 + 14 + 1);
	int seen[ROLE_COUNT] = {0};
	for (size_t i = 0; i < n; i++) {
		seen[l[i].role]++;
		assert_int_equal(l[i].needs_2fa, role_needs_2fa(l[i].role));
		/* xxxx-xxxx-xxxx without look-alikes */
		assert_int_equal(strlen(l[i].password), ACCOUNT_DEMO_PASSWORD_LEN);
		for (int k = 0; k < ACCOUNT_DEMO_PASSWORD_LEN; k++)
			if (k % 5 == 4)
				assert_int_equal(l[i].password[k], '-');
			else
				assert_null(strchr("0o1li-", l[i].password[k]));
		struct login in;
		assert_int_equal(login(f, l[i].username, l[i].password, &in), ACCOUNT_LOGIN_OK);
		struct account_role r[ACCOUNT_MAX_ROLES];
		size_t nr;
		assert_int_equal(accounts_roles(f->t.db, in.a.id, r, ACCOUNT_MAX_ROLES, &nr), 0);
		assert_int_equal(nr, 1);
		assert_int_equal(r[0].role, l[i].role);
		assert_string_equal(r[0].org_code, l[i].org_code);
		used(f, l[i].password);
	}
	for (int i = 0; i < ROLE_COUNT; i++)
		assert_int_equal(seen[i], i == ROLE_INTEGRITY_COORDINATOR ? 2 + 14
					  : i == ROLE_COMPETENT_AUTHORITY || i == ROLE_MANAGER ? 2
											      : 1);
	assert_clean(f);
	/* a second import finds the names taken and writes nothing */
	int64_t seq = q(f, "SELECT max(seq) FROM audit_log");
	assert_int_equal(accounts_import_demo(f->t.db, &f->t.signer, ACTOR,
					      SRCDIR "/data/demo/accounts.json", l, ACCOUNT_DEMO_MAX,
					      &n, err, sizeof err), -1);
	assert_non_null(strstr(err, "taken"));
	assert_int_equal(n, 0);
	assert_int_equal(q(f, "SELECT max(seq) FROM audit_log"), seq);
	/* too small an output array */
	assert_int_equal(accounts_import_demo(f->t.db, &f->t.signer, ACTOR,
					      SRCDIR "/data/demo/accounts.json", l, 3, &n, err,
					      sizeof err), -1);
	assert_non_null(strstr(err, "more than the 3"));
}

static void test_import_demo_bad_files(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *json, *why;
	} bad[] = {
		{"[]", "one JSON object"},
		{"{\"format\": \"x\", \"version\": 1, \"accounts\": []}", "\"format\" must be"},
		{"{\"format\": \"probity-demo-accounts\", \"version\": 2, \"accounts\": []}",
		 "\"version\" must be 1"},
		{"{\"format\": \"probity-demo-accounts\", \"version\": 1, \"accounts\": []}",
		 "1 to 64 accounts"},
		{"{\"format\": \"probity-demo-accounts\", \"version\": 1, \"extra\": 1, "
		 "\"accounts\": []}", "unknown field \"extra\""},
		{"{\"format\": \"probity-demo-accounts\", \"version\": 1, \"accounts\": [{\"username\": "
		 "\"ab.cd\", \"name\": \"A\", \"roles\": [{\"role\": \"boss\", \"org\": \"FIN\"}]}]}",
		 "accounts[0].roles[0]: unknown role \"boss\""},
		{"{\"format\": \"probity-demo-accounts\", \"version\": 1, \"accounts\": [{\"username\": "
		 "\"ab.cd\", \"name\": \"A\", \"roles\": []}]}", "1 to 8 roles"},
		{"{\"format\": \"probity-demo-accounts\", \"version\": 1, \"accounts\": [{\"username\": "
		 "\"ab.cd\", \"roles\": [{\"role\": \"auditor\", \"org\": \"FIN\"}]}]}",
		 "\"name\" must be a string"},
		{"{\"format\": \"probity-demo-accounts\", \"version\": 1, \"accounts\": [{\"username\": "
		 "\"ab.cd\", \"name\": \"A\", \"roles\": [{\"role\": \"auditor\", \"org\": \"XX\"}]}]}",
		 "no organisation has code XX"},
		{"{\"format\": \"probity-demo-accounts\", \"format\": \"x\"}", "duplicate"},
	};
	char *path = xasprintf("%s/bad.json", f->t.dir);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		FILE *fp = fopen(path, "w");
		assert_non_null(fp);
		fputs(bad[i].json, fp);
		fclose(fp);
		struct account_demo_login l[4];
		size_t n = 9;
		char err[600];
		assert_int_equal(accounts_import_demo(f->t.db, &f->t.signer, ACTOR, path, l, 4, &n, err,
						      sizeof err), -1);
		assert_int_equal(n, 0);
		if (!strstr(err, bad[i].why))
			fail_msg("case %zu: '%s' lacks '%s'", i, err, bad[i].why);
	}
	unlink(path);
	free(path);
	assert_int_equal(q(f, "SELECT count(*) FROM account"), 0);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_create_and_login),
		T(test_create_refusals),
		T(test_login_refusals),
		T(test_login_throttled),
		T(test_disabled),
		T(test_copied_key),
		T(test_list),
		T(test_roles),
		T(test_session_viewer),
		T(test_change_password),
		T(test_reset_password),
		T(test_totp),
		T(test_totp_move),
		T(test_recovery_codes),
		T(test_import_demo),
		T(test_import_demo_bad_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
