/* test_keys_recover.c: recovery of a departed handler's reports
 * (src/keys/recover.c) against a real SQLite database. With exactly k
 * custodians the successor's new sealed key opens to the report's key; k - 1,
 * a wrong password, a custodian of another key, a share of another key, the
 * same custodian twice are refused and write nothing of the recovery; a
 * successor without a handler role, or excluded by the reporter, gets
 * nothing; reports sealed to no recovery key are listed, not lost silently;
 * reports of a retired key need that key's custodians; a second run changes
 * nothing; resealing to the same account after a password reset works. */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "intake/intake.h"
#include "kfx.h"

static const int THREE[] = {CUST1, CUST2, CUST3};
static const int OLD[] = {OLD_FIN};

static struct keys_recovery *begin(struct kfx *f, int from, int to, const char *org)
{
	struct keys_recovery *r = NULL;
	struct keys_error e;
	if (keys_recovery_begin(f->t.db, kfx_users[from], kfx_users[to], org, &r, &e) != 0)
		fail_msg("begin: %s", e.msg);
	assert_non_null(r);
	return r;
}

static void join(struct kfx *f, struct keys_recovery *r, int who)
{
	struct keys_error e;
	if (keys_recovery_join(f->t.db, &f->t.signer, r, kfx_users[who], KFX_PW, &e) != 0)
		fail_msg("join %s: %s", kfx_users[who], e.msg);
}

/* A join that must be refused with code, saying says; the recovery's state
 * must not move. */
static void join_refused(struct kfx *f, struct keys_recovery *r, const char *user,
			 const char *pw, int code, const char *says)
{
	const struct keys_plan *p = keys_recovery_plan(r);
	unsigned before[KEYS_RECOVER_KEYS_MAX];
	struct keys_error e;
	for (size_t i = 0; i < p->nneeds; i++)
		before[i] = p->needs[i].joined;
	assert_int_equal(keys_recovery_join(f->t.db, &f->t.signer, r, user, pw, &e), -1);
	assert_int_equal(e.code, code);
	if (!strstr(e.msg, says))
		fail_msg("'%s' does not say '%s'", e.msg, says);
	for (size_t i = 0; i < p->nneeds; i++)
		assert_int_equal(p->needs[i].joined, before[i]);
}

static int64_t account_rows(struct kfx *f)
{
	return kfx_q(f, "SELECT count(*) FROM report_key WHERE holder = 'account'");
}

static int64_t recover_entries(struct kfx *f)
{
	return kfx_q(f, "SELECT count(*) FROM audit_log WHERE action = 'keys.recover'");
}

/* Finishing must be refused with code and write nothing. */
static void finish_refused(struct kfx *f, struct keys_recovery *r, int code, const char *says)
{
	int64_t rows = account_rows(f), entries = recover_entries(f);
	struct keys_result res;
	struct keys_error e;
	assert_int_equal(keys_recovery_finish(f->t.db, &f->t.signer, KFX_ACTOR, r, &res, &e), -1);
	assert_int_equal(e.code, code);
	if (!strstr(e.msg, says))
		fail_msg("'%s' does not say '%s'", e.msg, says);
	assert_int_equal(res.resealed, 0);
	assert_null(res.skipped);
	assert_int_equal(account_rows(f), rows);
	assert_int_equal(recover_entries(f), entries);
}

static void finish(struct kfx *f, struct keys_recovery *r, struct keys_result *res)
{
	struct keys_error e;
	if (keys_recovery_finish(f->t.db, &f->t.signer, KFX_ACTOR, r, res, &e) != 0)
		fail_msg("finish: %s", e.msg);
}

/* Finishes r, which must reseal exactly `resealed` reports, and frees it. */
static void finish_resealing(struct kfx *f, struct keys_recovery *r, int64_t resealed)
{
	struct keys_result res;
	finish(f, r, &res);
	assert_int_equal(res.resealed, resealed);
	keys_result_free(&res);
	keys_recovery_free(r);
}

static void test_recover_exactly_k(void **state)
{
	struct kfx *f = *state;
	unsigned char k1[ENVELOPE_KEY_BYTES], k2[ENVELOPE_KEY_BYTES];
	int64_t key = kfx_key(f, 2, THREE, 3);
	int64_t r1 = kfx_report(f, f->org_fin, OLD, 1, key, k1);
	int64_t r2 = kfx_report(f, f->org_dgb, (const int[]){OLD_FIN, ADV_DGB}, 2, key, k2);
	kfx_report(f, f->org_fin, (const int[]){ADV_DGB}, 1, key, NULL); /* not old.fin's */

	struct keys_recovery *r = begin(f, OLD_FIN, NEW_FIN, NULL);
	const struct keys_plan *p = keys_recovery_plan(r);
	assert_int_equal(p->from.id, f->ids[OLD_FIN]);
	assert_int_equal(p->to.id, f->ids[NEW_FIN]);
	assert_int_equal(p->sealed, 2);
	assert_int_equal(p->todo, 2);
	assert_int_equal(p->already + p->no_role + p->recused + p->unrecoverable, 0);
	assert_int_equal(p->nneeds, 1);
	assert_int_equal(p->needs[0].key.id, key);
	assert_int_equal(p->needs[0].key.reports, 2);
	assert_int_equal(p->needs[0].key.k, 2);
	assert_false(keys_recovery_ready(r));
	join(f, r, CUST3);
	assert_int_equal(p->needs[0].joined, 1);
	assert_false(keys_recovery_ready(r));
	join(f, r, CUST1);
	assert_true(keys_recovery_ready(r));

	struct keys_result res;
	finish(f, r, &res);
	assert_int_equal(res.resealed, 2);
	assert_int_equal(res.already, 0);
	assert_int_equal(res.nskipped, 0);
	keys_result_free(&res);
	keys_recovery_free(r);
	kfx_assert_opens(f, NEW_FIN, r1, k1);
	kfx_assert_opens(f, NEW_FIN, r2, k2);
	/* the departed handler's rows stay; nobody else got one */
	assert_int_equal(account_rows(f), 4 + 2);

	char sql[400];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE action = 'keys.recover' AND "
		 "actor = '" KFX_ACTOR "' AND object_type = 'account' AND object_id = '%" PRId64
		 "' AND detail = 'from=%" PRId64 " to=%" PRId64 " org=all reports=2 skipped=0 "
		 "keys=%" PRId64 " custodians=%" PRId64 ",%" PRId64 "'", f->ids[NEW_FIN],
		 f->ids[OLD_FIN], f->ids[NEW_FIN], key, f->ids[CUST3], f->ids[CUST1]);
	assert_int_equal(kfx_q(f, sql), 1);
	kfx_audit_ok(f);
	sodium_memzero(k1, sizeof k1);
	sodium_memzero(k2, sizeof k2);
}

static void test_too_few(void **state)
{
	struct kfx *f = *state;
	int64_t key = kfx_key(f, 3, (const int[]){CUST1, CUST2, CUST3, CUST4}, 4);
	kfx_report(f, f->org_fin, OLD, 1, key, NULL);
	struct keys_recovery *r = begin(f, OLD_FIN, NEW_FIN, NULL);
	finish_refused(f, r, KEYS_ECONFLICT, "too few custodians joined");
	join(f, r, CUST1);
	join(f, r, CUST2);
	/* k - 1 */
	finish_refused(f, r, KEYS_ECONFLICT, "needs 3 of its custodians (cust1, cust2, cust3, "
		       "cust4), 2 joined");
	keys_recovery_free(r);
	kfx_audit_ok(f);
}

static void test_join_refused(void **state)
{
	struct kfx *f = *state;
	int64_t key = kfx_key(f, 2, (const int[]){CUST1, CUST2, CUST3, CUST5}, 4);
	kfx_key(f, 2, (const int[]){CUST4, CUST5}, 2);  /* a later key; key is retired */
	kfx_report(f, f->org_fin, OLD, 1, key, NULL);
	struct keys_recovery *r = begin(f, OLD_FIN, NEW_FIN, NULL);
	int64_t audit = kfx_q(f, "SELECT count(*) FROM audit_log");
	int64_t other = kfx_q(f, "SELECT count(*) FROM audit_log WHERE action NOT LIKE 'account.%'");

	/* a wrong password: refused, and counted like a failed sign-in */
	join_refused(f, r, "cust1", "not the password at all", KEYS_EPASSWORD,
		     "wrong password for cust1");
	assert_int_equal(kfx_q(f, "SELECT failed_logins FROM account WHERE username = 'cust1'"), 1);
	/* custodian of another key only: refused before any password is tried */
	join_refused(f, r, "cust4", KFX_PW, KEYS_ECONFLICT, "cust4 is not a custodian of the "
		     "recovery key needed");
	assert_int_equal(kfx_q(f, "SELECT failed_logins FROM account WHERE username = 'cust4'"), 0);
	/* nobody's custodian, no such account, a malformed name */
	join_refused(f, r, "new.fin", KFX_PW, KEYS_ECONFLICT, "not a custodian");
	join_refused(f, r, "nobody", KFX_PW, KEYS_ENOTFOUND, "no account has username 'nobody'");
	join_refused(f, r, "9lives", KFX_PW, KEYS_EINVALID, "9lives");
	/* the same custodian twice */
	join(f, r, CUST2);
	join_refused(f, r, "CUST2", KFX_PW, KEYS_ECONFLICT, "cust2 has joined already");
	/* a disabled custodian, even with the right password */
	struct account_error ae;
	assert_int_equal(accounts_set_disabled(f->t.db, &f->t.signer, KFX_ACTOR, f->ids[CUST3], 1,
					       NULL, &ae), 0);
	join_refused(f, r, "cust3", KFX_PW, KEYS_ECONFLICT, "account cust3 is disabled");
	/* none of this wrote anything but the sign-in records */
	assert_int_equal(kfx_q(f, "SELECT count(*) FROM audit_log WHERE action NOT LIKE "
				  "'account.%'"), other);
	assert_true(kfx_q(f, "SELECT count(*) FROM audit_log") > audit);
	assert_int_equal(recover_entries(f), 0);
	finish_refused(f, r, KEYS_ECONFLICT, "1 joined");
	/* cust5 completes it: the refusals left no trace in the recovery */
	join(f, r, CUST5);
	finish_resealing(f, r, 1);
	kfx_audit_ok(f);
}

/* A share of another recovery key, sealed to the right custodian, put in
 * place of theirs: it opens with their key pair but belongs to another key. */
static void test_foreign_share(void **state)
{
	struct kfx *f = *state;
	int64_t a = kfx_key(f, 2, THREE, 3);
	int64_t b = kfx_key(f, 2, THREE, 3);
	unsigned char k1[ENVELOPE_KEY_BYTES];
	int64_t r1 = kfx_report(f, f->org_fin, OLD, 1, a, k1);
	char sql[300];
	snprintf(sql, sizeof sql, "UPDATE recovery_share SET sealed = (SELECT sealed FROM "
		 "recovery_share WHERE key_id = %" PRId64 " AND x = 2) WHERE key_id = %" PRId64
		 " AND x = 2", b, a);
	testdb_exec(f->t.db, sql);
	struct keys_recovery *r = begin(f, OLD_FIN, NEW_FIN, NULL);
	join(f, r, CUST1);
	join_refused(f, r, "cust2", KFX_PW, KEYS_ECONFLICT, "the share of cust2 for key");
	finish_refused(f, r, KEYS_ECONFLICT, "too few custodians");
	join(f, r, CUST3);
	finish_resealing(f, r, 1);
	kfx_assert_opens(f, NEW_FIN, r1, k1);
}

static void test_successor_without_role(void **state)
{
	struct kfx *f = *state;
	int64_t key = kfx_key(f, 2, THREE, 3);
	int64_t r1 = kfx_report(f, f->org_fin, OLD, 1, key, NULL);
	struct keys_recovery *r = begin(f, OLD_FIN, COORD_BZK, NULL);
	const struct keys_plan *p = keys_recovery_plan(r);
	assert_int_equal(p->sealed, 1);
	assert_int_equal(p->no_role, 1);
	assert_int_equal(p->todo, 0);
	assert_int_equal(p->nneeds, 0);
	assert_true(keys_recovery_ready(r));
	/* no custodian is needed to do nothing, and nothing is written */
	int64_t rows = account_rows(f), audit = kfx_q(f, "SELECT count(*) FROM audit_log");
	struct keys_result res;
	finish(f, r, &res);
	assert_int_equal(res.resealed, 0);
	assert_int_equal(account_rows(f), rows);
	assert_int_equal(kfx_q(f, "SELECT count(*) FROM audit_log"), audit);
	keys_result_free(&res);
	keys_recovery_free(r);

	/* a report at BZK sealed to old.fin goes nowhere with new.fin either:
	 * each report is checked on its own */
	int64_t r2 = kfx_report(f, f->org_bzk, OLD, 1, key, NULL);
	r = begin(f, OLD_FIN, NEW_FIN, NULL);
	assert_int_equal(keys_recovery_plan(r)->todo, 1);
	assert_int_equal(keys_recovery_plan(r)->no_role, 1);
	join(f, r, CUST1);
	join(f, r, CUST2);
	finish(f, r, &res);
	assert_int_equal(res.resealed, 1);
	assert_int_equal(res.nskipped, 1);
	assert_int_equal(res.skipped[0].report_id, r2);
	assert_int_equal(res.skipped[0].why, KEYS_SKIP_NO_ROLE);
	keys_result_free(&res);
	keys_recovery_free(r);
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM report_key WHERE account_id = %" PRId64
		 " AND report_id IN (%" PRId64 ", %" PRId64 ")", f->ids[NEW_FIN], r1, r2);
	assert_int_equal(kfx_q(f, sql), 1);
	kfx_audit_ok(f);
}

static void test_recused_and_unrecoverable(void **state)
{
	struct kfx *f = *state;
	int64_t key = kfx_key(f, 2, THREE, 3);
	int64_t before = kfx_report(f, f->org_fin, OLD, 1, 0, NULL);  /* before any key */
	int64_t excl = kfx_report(f, f->org_fin, OLD, 1, key, NULL);
	int64_t ok = kfx_report(f, f->org_fin, OLD, 1, key, NULL);
	/* the reporter of excl excluded new.fin (intake records it in the trail) */
	char oid[24], detail[80];
	snprintf(oid, sizeof oid, "%" PRId64, excl);
	snprintf(detail, sizeof detail, "report %" PRId64 " account %" PRId64, excl,
		 f->ids[NEW_FIN]);
	struct audit_entry ae = {.actor = "reporter", .action = "report.recuse",
				 .object_type = "report", .object_id = oid, .detail = detail};
	assert_int_equal(db_begin(f->t.db), 0); /* not BEGIN IMMEDIATE: SQLite's words */
	assert_int_equal(audit_append(f->t.db, &f->t.signer, &ae), 0);
	assert_int_equal(db_commit(f->t.db), 0);

	struct keys_recovery *r = begin(f, OLD_FIN, NEW_FIN, NULL);
	const struct keys_plan *p = keys_recovery_plan(r);
	assert_int_equal(p->sealed, 3);
	assert_int_equal(p->recused, 1);
	assert_int_equal(p->unrecoverable, 1);
	assert_int_equal(p->todo, 1);
	join(f, r, CUST1);
	join(f, r, CUST2);
	struct keys_result res;
	finish(f, r, &res);
	assert_int_equal(res.resealed, 1);
	assert_int_equal(res.nskipped, 2);
	assert_int_equal(res.skipped[0].report_id, before);
	assert_int_equal(res.skipped[0].why, KEYS_SKIP_UNRECOVERABLE);
	assert_int_equal(res.skipped[1].report_id, excl);
	assert_int_equal(res.skipped[1].why, KEYS_SKIP_RECUSED);
	keys_result_free(&res);
	keys_recovery_free(r);
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT report_id FROM report_key WHERE holder = 'account' AND "
		 "account_id = %" PRId64, f->ids[NEW_FIN]);
	assert_int_equal(kfx_q(f, sql), ok);
	/* adv.dgb was not excluded: the recusal is for one account only */
	r = begin(f, OLD_FIN, ADV_DGB, NULL);
	assert_int_equal(keys_recovery_plan(r)->recused, 0);
	assert_int_equal(keys_recovery_plan(r)->no_role, 3);  /* FIN, not their unit */
	keys_recovery_free(r);
}

static void test_retired_keys_and_org(void **state)
{
	struct kfx *f = *state;
	unsigned char k1[ENVELOPE_KEY_BYTES], k2[ENVELOPE_KEY_BYTES], k3[ENVELOPE_KEY_BYTES];
	int64_t a = kfx_key(f, 2, THREE, 3);
	int64_t r1 = kfx_report(f, f->org_fin, OLD, 1, a, k1);
	int64_t b = kfx_key(f, 2, (const int[]){CUST3, CUST4, CUST5}, 3);
	int64_t r2 = kfx_report(f, f->org_dgb, OLD, 1, b, k2);
	int64_t r3 = kfx_report(f, f->org_fin, OLD, 1, b, k3);

	/* only the unit: one report, one key */
	struct keys_recovery *r = begin(f, OLD_FIN, ADV_DGB, "fin-dgb");
	const struct keys_plan *p = keys_recovery_plan(r);
	assert_string_equal(p->org_code, "FIN-DGB");
	assert_int_equal(p->sealed, 1);
	assert_int_equal(p->todo, 1);
	assert_int_equal(p->nneeds, 1);
	assert_int_equal(p->needs[0].key.id, b);
	/* a custodian of the retired key only is not needed here */
	join_refused(f, r, "cust1", KFX_PW, KEYS_ECONFLICT, "not a custodian");
	join(f, r, CUST4);
	join(f, r, CUST5);
	finish_resealing(f, r, 1);
	kfx_assert_opens(f, ADV_DGB, r2, k2);

	/* the department's reports under both keys: custodians of each join;
	 * cust3, custodian of both, joins once for both */
	r = begin(f, OLD_FIN, NEW_FIN, "FIN");
	p = keys_recovery_plan(r);
	assert_int_equal(p->sealed, 3);
	assert_int_equal(p->todo, 3);
	assert_int_equal(p->nneeds, 2);
	join(f, r, CUST3);
	assert_int_equal(p->needs[0].joined, 1);
	assert_int_equal(p->needs[1].joined, 1);
	join(f, r, CUST4);
	assert_false(keys_recovery_ready(r));
	finish_refused(f, r, KEYS_ECONFLICT, "needs 2 of its custodians (cust1, cust2, cust3)");
	join_refused(f, r, "cust5", KFX_PW, KEYS_ECONFLICT, "cust5 is not needed");
	join(f, r, CUST2);
	assert_true(keys_recovery_ready(r));
	finish_resealing(f, r, 3);
	kfx_assert_opens(f, NEW_FIN, r1, k1);
	kfx_assert_opens(f, NEW_FIN, r2, k2);
	kfx_assert_opens(f, NEW_FIN, r3, k3);

	/* an organisation that never existed */
	struct keys_error e;
	assert_int_equal(keys_recovery_begin(f->t.db, "old.fin", "new.fin", "EZK", &r, &e), -1);
	assert_int_equal(e.code, KEYS_ENOTFOUND);
	assert_null(r);
	kfx_audit_ok(f);
}

static void test_rerun_changes_nothing(void **state)
{
	struct kfx *f = *state;
	int64_t key = kfx_key(f, 2, THREE, 3);
	kfx_report(f, f->org_fin, OLD, 1, key, NULL);
	kfx_report(f, f->org_fin, OLD, 1, key, NULL);
	struct keys_recovery *r = begin(f, OLD_FIN, NEW_FIN, NULL);
	join(f, r, CUST1);
	join(f, r, CUST2);
	finish_resealing(f, r, 2);

	int64_t rows = account_rows(f), audit = kfx_q(f, "SELECT count(*) FROM audit_log");
	r = begin(f, OLD_FIN, NEW_FIN, NULL);
	assert_int_equal(keys_recovery_plan(r)->already, 2);
	assert_int_equal(keys_recovery_plan(r)->todo, 0);
	assert_true(keys_recovery_ready(r));
	finish_resealing(f, r, 0);
	assert_int_equal(account_rows(f), rows);
	assert_int_equal(kfx_q(f, "SELECT count(*) FROM audit_log"), audit);
}

/* After an administrator's reset, new.fin has a new key pair: their old rows
 * no longer open; recovering from new.fin to new.fin reseals them. */
static void test_same_account_after_reset(void **state)
{
	struct kfx *f = *state;
	unsigned char k1[ENVELOPE_KEY_BYTES];
	int64_t key = kfx_key(f, 2, THREE, 3);
	int64_t r1 = kfx_report(f, f->org_fin, (const int[]){NEW_FIN}, 1, key, k1);
	struct account_error ae;
	assert_int_equal(accounts_reset_password(f->t.db, &f->t.signer, KFX_ACTOR, f->ids[NEW_FIN],
						 KFX_PW, NULL, &ae), 0);
	struct keys_recovery *r = begin(f, NEW_FIN, NEW_FIN, NULL);
	assert_int_equal(keys_recovery_plan(r)->already, 0);
	assert_int_equal(keys_recovery_plan(r)->todo, 1);
	join(f, r, CUST2);
	join(f, r, CUST3);
	int64_t rows = account_rows(f);
	finish_resealing(f, r, 1);
	assert_int_equal(account_rows(f), rows);  /* replaced, not added */
	kfx_assert_opens(f, NEW_FIN, r1, k1);
	kfx_audit_ok(f);
}

/* A custodian whose password an administrator reset has a new key pair: the
 * share sealed to the old one no longer opens, and the message says why. */
static void test_custodian_reset(void **state)
{
	struct kfx *f = *state;
	int64_t key = kfx_key(f, 2, THREE, 3);
	kfx_report(f, f->org_fin, OLD, 1, key, NULL);
	struct account_error ae;
	assert_int_equal(accounts_reset_password(f->t.db, &f->t.signer, KFX_ACTOR, f->ids[CUST1],
						 KFX_PW, NULL, &ae), 0);
	struct keys_recovery *r = begin(f, OLD_FIN, NEW_FIN, NULL);
	join_refused(f, r, "cust1", KFX_PW, KEYS_ECONFLICT, "reset cust1's password");
	keys_recovery_free(r);
}

/* A custodian locked after wrong passwords is refused without a try, and
 * the lock says until when. */
static void test_locked_custodian(void **state)
{
	struct kfx *f = *state;
	int64_t key = kfx_key(f, 2, THREE, 3);
	kfx_report(f, f->org_fin, OLD, 1, key, NULL);
	struct keys_recovery *r = begin(f, OLD_FIN, NEW_FIN, NULL);
	for (int i = 1; i < ACCOUNT_LOCK_AFTER; i++)
		join_refused(f, r, "cust1", "not the password at all", KEYS_EPASSWORD,
			     "wrong password");
	join_refused(f, r, "cust1", "not the password at all", KEYS_ELOCKED,
		     "cust1 is locked after too many wrong passwords: try again after");
	/* the right password does not help while locked */
	join_refused(f, r, "cust1", KFX_PW, KEYS_ELOCKED, "locked");
	keys_recovery_free(r);
	kfx_audit_ok(f);
}

/* End to end with the reporting channel: reports stored by intake_submit
 * (sealed to the current recovery key, one excluding new.fin) are recovered
 * for a handler appointed later, who then opens them as intake does. */
static void test_with_intake(void **state)
{
	struct kfx *f = *state;
	struct account_error ae;
	struct intake_error ie;
	char receipt[RECEIPT_SHOWN_SIZE];
	int64_t a = 0, b = 0;
	kfx_key(f, 2, THREE, 3);
	assert_int_equal(accounts_set_disabled(f->t.db, &f->t.signer, KFX_ACTOR, f->ids[OLD_FIN], 0,
					       NULL, &ae), 0);
	const int64_t recused[] = {f->ids[NEW_FIN]};
	struct intake_submission s = {.org_code = "FIN", .kind = "wrongdoing", .mode = "anonymous",
				      .questionnaire = "melding", .questionnaire_revision = 1,
				      .answers = "{\"wat\":\"gezien\"}", .answers_len = 16,
				      .recused = recused, .nrecused = 1};
	if (intake_submit(f->t.db, &f->t.signer, &s, receipt, &a, &ie) != 0)
		fail_msg("submit: %s", ie.msg);
	s.nrecused = 0;
	if (intake_submit(f->t.db, &f->t.signer, &s, receipt, &b, &ie) != 0)
		fail_msg("submit: %s", ie.msg);
	sodium_memzero(receipt, sizeof receipt);
	assert_int_equal(accounts_set_disabled(f->t.db, &f->t.signer, KFX_ACTOR, f->ids[OLD_FIN], 1,
					       NULL, &ae), 0);

	/* new.fin: excluded from a, holds b already */
	struct keys_recovery *r = begin(f, OLD_FIN, NEW_FIN, NULL);
	assert_int_equal(keys_recovery_plan(r)->recused, 1);
	assert_int_equal(keys_recovery_plan(r)->already, 1);
	assert_int_equal(keys_recovery_plan(r)->todo, 0);
	keys_recovery_free(r);

	/* cust5, made coordinator at FIN after the reports came in, gets both */
	assert_int_equal(accounts_role_add(f->t.db, &f->t.signer, KFX_ACTOR, f->ids[CUST5],
					   ROLE_INTEGRITY_COORDINATOR, "FIN", &ae), 0);
	r = begin(f, OLD_FIN, CUST5, NULL);
	assert_int_equal(keys_recovery_plan(r)->todo, 2);
	join(f, r, CUST1);
	join(f, r, CUST3);
	finish_resealing(f, r, 2);
	unsigned char sk[ACCOUNT_KEY_BYTES];
	kfx_secret_key(f, CUST5, sk);
	for (int i = 0; i < 2; i++) {
		struct intake_report rep;
		if (intake_open_as_handler(f->t.db, i ? b : a, f->ids[CUST5], sk, &rep, &ie) != 0)
			fail_msg("open: %s", ie.msg);
		assert_non_null(strstr(rep.body, "\"wat\":\"gezien\""));
		intake_report_free(&rep);
	}
	sodium_memzero(sk, sizeof sk);
	kfx_audit_ok(f);
}

static void test_begin_refused(void **state)
{
	struct kfx *f = *state;
	struct keys_recovery *r = (struct keys_recovery *)&r;
	struct keys_error e;
	assert_int_equal(keys_recovery_begin(f->t.db, "old.fin", "gone", NULL, &r, &e), -1);
	assert_int_equal(e.code, KEYS_ECONFLICT);
	assert_non_null(strstr(e.msg, "account gone is disabled"));
	assert_null(r);
	assert_int_equal(keys_recovery_begin(f->t.db, "nobody", "new.fin", NULL, &r, &e), -1);
	assert_int_equal(e.code, KEYS_ENOTFOUND);
	assert_int_equal(keys_recovery_begin(f->t.db, "old.fin", "new.fin", "no code!", &r, &e), -1);
	assert_int_equal(e.code, KEYS_EINVALID);
	/* nothing sealed to old.fin: an empty plan, not an error */
	assert_int_equal(keys_recovery_begin(f->t.db, "old.fin", "new.fin", NULL, &r, &e), 0);
	assert_int_equal(keys_recovery_plan(r)->sealed, 0);
	keys_recovery_free(r);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
#define T(t) cmocka_unit_test_setup_teardown(t, kfx_setup, kfx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_recover_exactly_k),
		T(test_too_few),
		T(test_join_refused),
		T(test_foreign_share),
		T(test_successor_without_role),
		T(test_recused_and_unrecoverable),
		T(test_retired_keys_and_org),
		T(test_rerun_changes_nothing),
		T(test_same_account_after_reset),
		T(test_custodian_reset),
		T(test_locked_custodian),
		T(test_with_intake),
		T(test_begin_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
