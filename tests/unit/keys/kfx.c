/* kfx.c: see kfx.h. */
#include "kfx.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "base/alloc.h"
#include "orgs/orgs.h"
#include "seed.h"

const char *const kfx_users[KFX_N] = {"cust1", "cust2", "cust3", "cust4", "cust5",
				      "old.fin", "new.fin", "adv.dgb", "coord.bzk", "gone"};

int kfx_setup(void **state)
{
	struct kfx *f = xcalloc(1, sizeof *f);
	char err[600];
	struct account_error e;
	testfx_open(&f->t);
	if (accounts_init(SRCDIR "/data", err, sizeof err) != 0)
		fail_msg("accounts_init: %s", err);
	testfx_add_org(&f->t, "RIJK", NULL, ORG_GOVERNMENT);
	testfx_add_org(&f->t, "FIN", "RIJK", -1);
	testfx_add_org(&f->t, "FIN-DGB", "FIN", -1);
	testfx_add_org(&f->t, "BZK", "RIJK", -1);
	f->org_fin = kfx_q(f, "SELECT id FROM org WHERE code = 'FIN'");
	f->org_dgb = kfx_q(f, "SELECT id FROM org WHERE code = 'FIN-DGB'");
	f->org_bzk = kfx_q(f, "SELECT id FROM org WHERE code = 'BZK'");
	static const struct account_role_spec coord_fin = {ROLE_INTEGRITY_COORDINATOR, "FIN"};
	static const struct account_role_spec adv_dgb = {ROLE_CONFIDENTIAL_ADVISER, "FIN-DGB"};
	static const struct account_role_spec coord_bzk = {ROLE_INTEGRITY_COORDINATOR, "BZK"};
	struct account_new n[KFX_N];
	for (int i = 0; i < KFX_N; i++)
		n[i] = (struct account_new){.username = kfx_users[i], .display_name = kfx_users[i],
					    .password = KFX_PW};
	n[OLD_FIN].roles = n[NEW_FIN].roles = &coord_fin;
	n[OLD_FIN].nroles = n[NEW_FIN].nroles = 1;
	n[ADV_DGB].roles = &adv_dgb;
	n[ADV_DGB].nroles = 1;
	n[COORD_BZK].roles = &coord_bzk;
	n[COORD_BZK].nroles = 1;
	if (accounts_create_batch(f->t.db, &f->t.signer, KFX_ACTOR, n, KFX_N, f->ids, &e) != 0)
		fail_msg("accounts: %s", e.msg);
	if (accounts_set_disabled(f->t.db, &f->t.signer, KFX_ACTOR, f->ids[OLD_FIN], 1, NULL,
				  &e) != 0 ||
	    accounts_set_disabled(f->t.db, &f->t.signer, KFX_ACTOR, f->ids[GONE], 1, NULL, &e) != 0)
		fail_msg("disable: %s", e.msg);
	*state = f;
	return 0;
}

int kfx_teardown(void **state)
{
	struct kfx *f = *state;
	accounts_shutdown();
	testfx_close(&f->t);
	free(f);
	return 0;
}

int64_t kfx_q(struct kfx *f, const char *sql)
{
	int64_t v = 0;
	if (db_query_i64(f->t.db, sql, NULL, &v) != 0)
		fail_msg("%s: %s", sql, db_error(f->t.db)->msg);
	return v;
}

int64_t kfx_key(struct kfx *f, unsigned k, const int *who, size_t n)
{
	const char *names[RECOVERY_N_MAX];
	struct keys_key key;
	struct keys_error e;
	for (size_t i = 0; i < n; i++)
		names[i] = kfx_users[who[i]];
	if (keys_set_custodians(f->t.db, &f->t.signer, KFX_ACTOR, k, names, n, &key, &e) != 0)
		fail_msg("keys_set_custodians: %s", e.msg);
	return key.id;
}

int64_t kfx_report(struct kfx *f, int64_t org, const int *who, size_t n, int64_t recovery_key_id,
		   unsigned char key_out[ENVELOPE_KEY_BYTES])
{
	int64_t ids[KFX_N];
	for (size_t i = 0; i < n; i++)
		ids[i] = f->ids[who[i]];
	int64_t id = seed_report(f->t.db, org, ids, n, recovery_key_id, key_out);
	assert_true(id > 0);
	return id;
}

void kfx_secret_key(struct kfx *f, int who, unsigned char sk[ACCOUNT_KEY_BYTES])
{
	struct account a;
	int has_totp;
	time_t until;
	assert_int_equal(accounts_login(f->t.db, &f->t.signer, kfx_users[who], KFX_PW, &a, sk, NULL,
					&has_totp, &until),
			 ACCOUNT_LOGIN_OK);
}

void kfx_assert_opens(struct kfx *f, int who, int64_t report,
		      const unsigned char key[ENVELOPE_KEY_BYTES])
{
	unsigned char sk[ACCOUNT_KEY_BYTES], pk[ACCOUNT_KEY_BYTES], got[ENVELOPE_KEY_BYTES];
	db_stmt_t *st;
	kfx_secret_key(f, who, sk);
	assert_int_equal(accounts_public_key(f->t.db, f->ids[who], pk), 0);
	assert_int_equal(db_prepare(f->t.db, "SELECT sealed FROM report_key WHERE report_id = ? "
					     "AND holder = 'account' AND account_id = ?", &st), 0);
	assert_int_equal(db_bind_i64(st, 1, report), 0);
	assert_int_equal(db_bind_i64(st, 2, f->ids[who]), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(envelope_open_with_sk(ENVELOPE_HANDLER, pk, sk, report, db_col_blob(st, 0),
					       db_col_bytes(st, 0), got), 0);
	db_finalize(st);
	assert_memory_equal(got, key, ENVELOPE_KEY_BYTES);
	sodium_memzero(sk, sizeof sk);
	sodium_memzero(got, sizeof got);
}

void kfx_audit_ok(struct kfx *f)
{
	struct audit_report r;
	int v = audit_verify(f->t.db, f->t.key.pk, &r);
	if (v != 0)
		fail_msg("audit_verify: %d at %lld: %s", v, (long long)r.bad_seq, r.reason);
}
