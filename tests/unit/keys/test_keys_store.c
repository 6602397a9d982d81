/* test_keys_store.c: naming the recovery key's custodians and the status of
 * the keys (src/keys/store.c) against a real SQLite database: the shares
 * each custodian's password opens recombine to the key, and fewer than k do
 * not; a new key retires the old one, whose shares stay; refusals write
 * nothing; the secret key is nowhere in the database files; status counts
 * the reports per key and those sealed to none. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "crypto/vault.h"
#include "kfx.h"

static const int THREE[] = {CUST1, CUST2, CUST3};

/* Key id as keys_status shows it. */
static void key_by_id(struct kfx *f, int64_t id, struct keys_key *out)
{
	struct keys_status st;
	struct keys_error e;
	assert_int_equal(keys_status(f->t.db, &st, &e), 0);
	for (size_t i = 0; i < st.nkeys; i++)
		if (st.keys[i].id == id) {
			*out = st.keys[i];
			keys_status_free(&st);
			return;
		}
	fail_msg("no key %lld", (long long)id);
}

/* Opens account who's share of key k into out. */
static void open_share(struct kfx *f, int who, const struct keys_key *k,
		       struct recovery_share *out)
{
	unsigned char sk[ACCOUNT_KEY_BYTES], pk[ACCOUNT_KEY_BYTES];
	db_stmt_t *st;
	kfx_secret_key(f, who, sk);
	assert_int_equal(accounts_public_key(f->t.db, f->ids[who], pk), 0);
	assert_int_equal(db_prepare(f->t.db, "SELECT sealed FROM recovery_share WHERE key_id = ? "
					     "AND account_id = ?", &st), 0);
	assert_int_equal(db_bind_i64(st, 1, k->id), 0);
	assert_int_equal(db_bind_i64(st, 2, f->ids[who]), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(recovery_open_share(db_col_blob(st, 0), db_col_bytes(st, 0), pk, sk,
					     k->public_key, out), 0);
	db_finalize(st);
	sodium_memzero(sk, sizeof sk);
}

/* 1 if the n bytes of needle occur in the file at path (absent file: 0). */
static int file_has(const char *path, const unsigned char *needle, size_t n)
{
	size_t len = 0;
	char *data = read_file_bytes(path, &len);
	if (!data)
		return 0;
	int found = memmem(data, len, needle, n) != NULL;
	free(data);
	return found;
}

static void test_custodians_split(void **state)
{
	struct kfx *f = *state;
	const char *names[] = {"cust1", "CUST2", "cust3"};  /* case folds */
	struct keys_key key, shown;
	struct keys_error e;
	assert_int_equal(keys_set_custodians(f->t.db, &f->t.signer, KFX_ACTOR, 2, names, 3, &key,
					     &e), 0);
	assert_true(key.id > 0);
	assert_int_equal(key.k, 2);
	assert_int_equal(key.n, 3);
	assert_int_equal(strlen(key.fingerprint), KEYS_FINGERPRINT_LEN);
	assert_int_equal(strspn(key.fingerprint, "0123456789abcdef"), KEYS_FINGERPRINT_LEN);
	char fp[KEYS_FINGERPRINT_LEN + 1];
	keys_fingerprint(key.public_key, fp);
	assert_string_equal(fp, key.fingerprint);
	assert_string_equal(key.retired_at, "");
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(key.custodians[i].x, i + 1);
		assert_int_equal(key.custodians[i].account_id, f->ids[THREE[i]]);
		assert_string_equal(key.custodians[i].username, kfx_users[THREE[i]]);
	}
	assert_int_equal(kfx_q(f, "SELECT count(*) FROM recovery_key WHERE retired_at IS NULL"), 1);
	assert_int_equal(kfx_q(f, "SELECT count(*) FROM recovery_share"), 3);
	char sql[300];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE action = 'keys.custodians' "
		 "AND object_type = 'recovery_key' AND object_id = '%lld' AND detail = "
		 "'k=2 n=3 custodians=%lld,%lld,%lld retired=none'", (long long)key.id,
		 (long long)f->ids[CUST1], (long long)f->ids[CUST2], (long long)f->ids[CUST3]);
	assert_int_equal(kfx_q(f, sql), 1);

	/* status shows the same key */
	key_by_id(f, key.id, &shown);
	assert_string_equal(shown.fingerprint, key.fingerprint);
	assert_memory_equal(shown.public_key, key.public_key, RECOVERY_KEY_BYTES);
	assert_string_equal(shown.created_at, key.created_at);
	assert_string_equal(shown.custodians[1].username, "cust2");

	/* each custodian's password opens their share; any two recombine to
	 * the key, one alone does not */
	struct recovery_share *sh = vault_secure_alloc(3 * sizeof *sh);
	unsigned char *sk = vault_secure_alloc(RECOVERY_KEY_BYTES);
	for (int i = 0; i < 3; i++) {
		open_share(f, THREE[i], &key, &sh[i]);
		assert_int_equal(sh[i].x, i + 1);
		assert_int_equal(sh[i].k, 2);
		assert_int_equal(sh[i].n, 3);
	}
	assert_int_equal(recovery_combine(&sh[1], 2, sk, key.public_key), 0);
	assert_int_equal(recovery_combine(sh, 1, sk, key.public_key), -1);
	assert_int_equal(recovery_combine(sh, 3, sk, key.public_key), 0);
	/* the secret key is in no database file: not the database, not its WAL */
	char *wal = tmpdir_path(f->t.dir, "test.db-wal");
	assert_false(file_has(f->t.db_path, sk, RECOVERY_KEY_BYTES));
	assert_false(file_has(wal, sk, RECOVERY_KEY_BYTES));
	/* nor is any share */
	for (int i = 0; i < 3; i++) {
		assert_false(file_has(f->t.db_path, sh[i].y, RECOVERY_KEY_BYTES));
		assert_false(file_has(wal, sh[i].y, RECOVERY_KEY_BYTES));
	}
	free(wal);
	/* a custodian cannot open another's share */
	unsigned char csk[ACCOUNT_KEY_BYTES], cpk[ACCOUNT_KEY_BYTES];
	struct recovery_share other;
	db_stmt_t *st;
	kfx_secret_key(f, CUST1, csk);
	assert_int_equal(accounts_public_key(f->t.db, f->ids[CUST1], cpk), 0);
	assert_int_equal(db_prepare(f->t.db, "SELECT sealed FROM recovery_share WHERE x = 2", &st),
			 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(recovery_open_share(db_col_blob(st, 0), db_col_bytes(st, 0), cpk, csk,
					     key.public_key, &other), -1);
	db_finalize(st);
	sodium_memzero(csk, sizeof csk);
	vault_secure_free(sh);
	vault_secure_free(sk);
	kfx_audit_ok(f);
}

static void test_custodians_retire(void **state)
{
	struct kfx *f = *state;
	const int others[] = {CUST3, CUST4, CUST5, CUST1};
	int64_t a = kfx_key(f, 2, THREE, 3);
	/* reports: two sealed to key a, one to nothing, then one to key b */
	kfx_report(f, f->org_fin, (const int[]){NEW_FIN}, 1, a, NULL);
	kfx_report(f, f->org_fin, (const int[]){NEW_FIN}, 1, a, NULL);
	kfx_report(f, f->org_fin, (const int[]){NEW_FIN}, 1, 0, NULL);
	int64_t b = kfx_key(f, 3, others, 4);
	kfx_report(f, f->org_fin, (const int[]){NEW_FIN}, 1, b, NULL);
	assert_true(b > a);

	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM recovery_key WHERE id = %lld AND "
		 "retired_at IS NOT NULL", (long long)a);
	assert_int_equal(kfx_q(f, sql), 1);
	/* the old key's shares stay: its custodians can still recover */
	assert_int_equal(kfx_q(f, "SELECT count(*) FROM recovery_share"), 7);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE action = 'keys.custodians' "
		 "AND detail LIKE '%% retired=%lld'", (long long)a);
	assert_int_equal(kfx_q(f, sql), 1);

	struct keys_status st;
	struct keys_error e;
	assert_int_equal(keys_status(f->t.db, &st, &e), 0);
	assert_int_equal(st.nkeys, 2);
	assert_int_equal(st.keys[0].id, b);          /* the current key first */
	assert_string_equal(st.keys[0].retired_at, "");
	assert_int_equal(st.keys[0].k, 3);
	assert_int_equal(st.keys[0].n, 4);
	assert_string_equal(st.keys[0].custodians[3].username, "cust1");
	assert_int_equal(st.keys[0].reports, 1);
	assert_int_equal(st.keys[1].id, a);
	assert_int_not_equal(st.keys[1].retired_at[0], '\0');
	assert_int_equal(st.keys[1].reports, 2);
	assert_int_equal(st.reports, 4);
	assert_int_equal(st.unsealed, 1);
	/* a disabled custodian shows as such */
	struct account_error ae;
	assert_int_equal(accounts_set_disabled(f->t.db, &f->t.signer, KFX_ACTOR, f->ids[CUST4], 1,
					       NULL, &ae), 0);
	keys_status_free(&st);
	assert_int_equal(keys_status(f->t.db, &st, &e), 0);
	assert_true(st.keys[0].custodians[1].disabled);
	assert_false(st.keys[0].custodians[0].disabled);
	keys_status_free(&st);
	kfx_audit_ok(f);
}

static void test_status_empty(void **state)
{
	struct kfx *f = *state;
	struct keys_status st;
	struct keys_error e;
	kfx_report(f, f->org_fin, (const int[]){NEW_FIN}, 1, 0, NULL);
	assert_int_equal(keys_status(f->t.db, &st, &e), 0);
	assert_int_equal(st.nkeys, 0);
	assert_null(st.keys);
	assert_int_equal(st.reports, 1);
	assert_int_equal(st.purged, 0);
	assert_int_equal(st.unsealed, 1);
	keys_status_free(&st);
	/* a purged report, even one once sealed to a recovery key, is not
	 * "sealed to no recovery key": it has nothing left to open. The purge's
	 * own steps (src/cases/purge.c): its keys deleted, its body emptied. */
	int64_t k = kfx_key(f, 2, THREE, 3);
	int64_t r = kfx_report(f, f->org_fin, (const int[]){NEW_FIN}, 1, k, NULL);
	char sql[160];
	snprintf(sql, sizeof sql, "DELETE FROM report_key WHERE report_id = %lld", (long long)r);
	assert_int_equal(db_exec(f->t.db, sql), 0);
	snprintf(sql, sizeof sql, "UPDATE report SET body = X'' WHERE id = %lld", (long long)r);
	assert_int_equal(db_exec(f->t.db, sql), 0);
	assert_int_equal(keys_status(f->t.db, &st, &e), 0);
	assert_int_equal(st.reports, 2);
	assert_int_equal(st.purged, 1);
	assert_int_equal(st.unsealed, 1); /* the one with content, received before any key */
	keys_status_free(&st);
}

/* Asserts that naming these custodians is refused with code and writes
 * nothing. */
static void refused(struct kfx *f, unsigned k, const char *const *names, size_t n, int code,
		    const char *says)
{
	int64_t keys = kfx_q(f, "SELECT count(*) FROM recovery_key");
	int64_t shares = kfx_q(f, "SELECT count(*) FROM recovery_share");
	int64_t audit = kfx_q(f, "SELECT count(*) FROM audit_log");
	int64_t current = kfx_q(f, "SELECT coalesce(max(id), 0) FROM recovery_key WHERE "
				   "retired_at IS NULL");
	struct keys_key key;
	struct keys_error e;
	assert_int_equal(keys_set_custodians(f->t.db, &f->t.signer, KFX_ACTOR, k, names, n, &key,
					     &e), -1);
	assert_int_equal(e.code, code);
	if (!strstr(e.msg, says))
		fail_msg("'%s' does not say '%s'", e.msg, says);
	assert_int_equal(key.id, 0);
	assert_int_equal(kfx_q(f, "SELECT count(*) FROM recovery_key"), keys);
	assert_int_equal(kfx_q(f, "SELECT count(*) FROM recovery_share"), shares);
	assert_int_equal(kfx_q(f, "SELECT count(*) FROM audit_log"), audit);
	assert_int_equal(kfx_q(f, "SELECT coalesce(max(id), 0) FROM recovery_key WHERE "
				  "retired_at IS NULL"), current);
}

static void test_custodians_refused(void **state)
{
	struct kfx *f = *state;
	const char *two[] = {"cust1", "cust2"};
	const char *dup[] = {"cust1", "cust2", "Cust1"};
	const char *unknown[] = {"cust1", "nobody"};
	const char *disabled[] = {"cust1", "gone"};
	const char *bad[] = {"cust1", "9lives"};
	const char *seventeen[17];
	for (int i = 0; i < 17; i++)
		seventeen[i] = "cust1";
	kfx_key(f, 2, THREE, 3);  /* a current key that must stay current */
	refused(f, 1, two, 2, KEYS_EINVALID, "threshold");
	refused(f, 3, two, 2, KEYS_EINVALID, "threshold");
	refused(f, 0, two, 2, KEYS_EINVALID, "threshold");
	refused(f, 2, two, 1, KEYS_EINVALID, "between 2 and 16 custodians");
	refused(f, 2, seventeen, 17, KEYS_EINVALID, "between 2 and 16 custodians");
	refused(f, 2, dup, 3, KEYS_EINVALID, "cust1 is named twice");
	refused(f, 2, unknown, 2, KEYS_ENOTFOUND, "no account has username 'nobody'");
	refused(f, 2, disabled, 2, KEYS_ECONFLICT, "account gone is disabled");
	refused(f, 2, bad, 2, KEYS_EINVALID, "9lives");
	kfx_audit_ok(f);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
#define T(t) cmocka_unit_test_setup_teardown(t, kfx_setup, kfx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_custodians_split),
		T(test_custodians_retire),
		T(test_status_empty),
		T(test_custodians_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
