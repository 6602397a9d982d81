/* test_keys_recover_assess.c: recovery of the self-assessments' evidence
 * keys a departed holder held (src/keys/recover.c through src/assess/keys.c)
 * against a real SQLite database with the shipped frameworks. An assessment
 * whose only holder is gone opens for the successor after recovery, with
 * the same key and its evidence file byte for byte, and not before;
 * assessments made before any recovery key existed, and those of a
 * department where the successor may hold no key, are listed and left
 * alone; a successor who holds no role there gets nothing; an auditor
 * (reads, holds no key) gets nothing, the coordinator over the department
 * does; --org limits the assessments to a department; a second run changes
 * nothing; after a password reset the holder's own copy is replaced; a
 * damaged recovery seal stops everything with nothing written. Each
 * resealed key is an "assess.key_share" entry on the assessment. */
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

#include "assess/assess.h"
#include "crypto/vault.h"
#include "kfx.h"

static const int THREE[] = {CUST1, CUST2, CUST3};

/* Accounts these tests add to kfx's: the coordinator over the departments
 * and an auditor, both at RIJK, with no role at first. */
enum { COORD, AUD, NEXTRA };
static const char *const extra_users[NEXTRA] = {"coord.rijk", "aud.rijk"};

static const char BODY[] = "%PDF-1.4\nMARKER-EVIDENCE-3391 zelfevaluatie bijlage\n%%EOF\n";

struct world {
	int64_t extra[NEXTRA];
	int64_t basis, oecd;   /* framework revision ids */
};

static void sign_in(struct kfx *f, const char *user, unsigned char sk[ACCOUNT_KEY_BYTES])
{
	struct account a;
	int has_totp;
	time_t until;
	assert_int_equal(accounts_login(f->t.db, &f->t.signer, user, KFX_PW, &a, sk, NULL,
					&has_totp, &until), ACCOUNT_LOGIN_OK);
}

static void set_disabled(struct kfx *f, int64_t id, int disabled)
{
	struct account_error e;
	if (accounts_set_disabled(f->t.db, &f->t.signer, KFX_ACTOR, id, disabled, NULL, &e) != 0)
		fail_msg("disable: %s", e.msg);
}

static void add_role(struct kfx *f, int64_t id, enum role r, const char *org)
{
	struct account_error e;
	if (accounts_role_add(f->t.db, &f->t.signer, KFX_ACTOR, id, r, org, &e) != 0)
		fail_msg("role: %s", e.msg);
}

static void world_make(struct kfx *f, struct world *w)
{
	const struct account_new n[NEXTRA] = {
		{.username = extra_users[COORD], .display_name = "Coördinator", .password = KFX_PW},
		{.username = extra_users[AUD], .display_name = "Auditor", .password = KFX_PW},
	};
	struct account_error e;
	if (accounts_create_batch(f->t.db, &f->t.signer, KFX_ACTOR, n, NEXTRA, w->extra, &e) != 0)
		fail_msg("accounts: %s", e.msg);
	int added = 0;
	if (frameworks_ensure_shipped(f->t.db, &f->t.signer, &added) != 0)
		fail_msg("frameworks: %s", db_error(f->t.db)->msg);
	assert_int_equal(frameworks_latest(f->t.db, "basisnormen-2006", &w->basis), 0);
	assert_int_equal(frameworks_latest(f->t.db, "oecd-integrity-2017", &w->oecd), 0);
}

static int64_t create(struct kfx *f, int64_t actor, int64_t dept, int64_t fw, int year)
{
	struct assess_error e;
	int64_t id = 0;
	if (assess_create(f->t.db, &f->t.signer, actor, dept, fw, year, &id, NULL, &e) != 0)
		fail_msg("create: %s", e.msg);
	assert_true(id > 0);
	return id;
}

/* Opens assessment id's key as account actor (secret key sk): 0 with key,
 * or the assess error code. */
static int open_key(struct kfx *f, int64_t actor, const unsigned char sk[ACCOUNT_KEY_BYTES],
		    int64_t id, unsigned char key[ENVELOPE_KEY_BYTES])
{
	struct assess_error e;
	if (assess_key_open(f->t.db, &f->t.signer, actor, sk, id, key, &e) == 0)
		return 0;
	return e.code;
}

/* Adds BODY as an evidence file to requirement 1.1 of draft id, by actor
 * with the assessment key; returns the evidence id. */
static int64_t add_file(struct kfx *f, int64_t actor, int64_t id,
			const unsigned char key[ENVELOPE_KEY_BYTES])
{
	struct assess_error e;
	struct assess_evidence_in file = {"1.1", NULL,
					  {(const unsigned char *)BODY, sizeof BODY - 1,
					   "application/pdf", "MARKER-NAME-3391.pdf"}};
	struct assess_save s = {.add = &file, .nadd = 1, .key = key};
	if (assess_save(f->t.db, &f->t.signer, actor, id, &s, &e) != 0)
		fail_msg("save: %s", e.msg);
	return kfx_q(f, "SELECT max(id) FROM assessment_evidence");
}

/* Asserts that evidence evid of assessment id reads back as BODY with key. */
static void assert_file(struct kfx *f, int64_t id, int64_t evid,
			const unsigned char key[ENVELOPE_KEY_BYTES])
{
	struct assess_evidence info;
	struct assess_error e;
	unsigned char *data = NULL;
	size_t len = 0;
	if (assess_evidence_get(f->t.db, key, id, evid, &info, &data, &len, &e) != 0) {
		fail_msg("evidence: %s", e.msg);
		return;
	}
	assert_int_equal(len, sizeof BODY - 1);
	assert_memory_equal(data, BODY, len);
	assert_string_equal(info.name, "MARKER-NAME-3391.pdf");
	vault_secure_free(data);
}

static struct keys_recovery *begin(struct kfx *f, const char *from, const char *to,
				   const char *org)
{
	struct keys_recovery *r = NULL;
	struct keys_error e;
	if (keys_recovery_begin(f->t.db, from, to, org, &r, &e) != 0)
		fail_msg("begin: %s", e.msg);
	return r;
}

static void join(struct kfx *f, struct keys_recovery *r, int who)
{
	struct keys_error e;
	if (keys_recovery_join(f->t.db, &f->t.signer, r, kfx_users[who], KFX_PW, &e) != 0)
		fail_msg("join %s: %s", kfx_users[who], e.msg);
}

static int64_t qf(struct kfx *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int64_t qf(struct kfx *f, const char *fmt, ...)
{
	char sql[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	return kfx_q(f, sql);
}

/* The key_share entries written by recovery on assessment id for to from
 * from. */
static int64_t shares(struct kfx *f, int64_t id, int64_t to, int64_t from)
{
	return qf(f, "SELECT count(*) FROM audit_log WHERE action = 'assess.key_share' AND "
		  "actor = '" KFX_ACTOR "' AND object_type = 'assessment' AND object_id = '%lld' "
		  "AND detail = 'account %lld by recovery from account %lld'", (long long)id,
		  (long long)to, (long long)from);
}

/* ---- the successor gets the keys ---- */

/* old.fin, the only holder of FIN's assessments (new.fin is away: disabled
 * while they are made), leaves. A0 was made before any recovery key, A1
 * (with an evidence file) and A2 after; B is BZK's, which old.fin helped
 * with. cust5 succeeds. */
static void test_assessments_recovered(void **state)
{
	struct kfx *f = *state;
	struct world w;
	world_make(f, &w);
	unsigned char old_sk[ACCOUNT_KEY_BYTES], sk[ACCOUNT_KEY_BYTES], key[ENVELOPE_KEY_BYTES],
		got[ENVELOPE_KEY_BYTES];
	int64_t old = f->ids[OLD_FIN], succ = f->ids[CUST5], bzk = f->ids[COORD_BZK];

	set_disabled(f, f->ids[NEW_FIN], 1);
	set_disabled(f, old, 0);
	add_role(f, old, ROLE_INTEGRITY_COORDINATOR, "BZK");
	sign_in(f, "old.fin", old_sk);
	int64_t a0 = create(f, old, f->org_fin, w.basis, 2020);
	int64_t key_id = kfx_key(f, 2, THREE, 3);
	int64_t a1 = create(f, old, f->org_fin, w.basis, 2024);
	assert_int_equal(open_key(f, old, old_sk, a1, key), 0);
	int64_t evid = add_file(f, old, a1, key);
	int64_t a2 = create(f, old, f->org_fin, w.oecd, 2024);
	int64_t b = create(f, bzk, f->org_bzk, w.basis, 2024);
	/* old.fin alone holds FIN's keys */
	assert_int_equal(qf(f, "SELECT count(*) FROM assessment_key WHERE holder = 'account' AND "
			    "assessment_id IN (%lld, %lld, %lld) AND account_id != %lld",
			    (long long)a0, (long long)a1, (long long)a2, (long long)old), 0);
	set_disabled(f, old, 1);
	sodium_memzero(old_sk, sizeof old_sk);

	/* a successor with no role where the assessments are gets nothing */
	struct keys_recovery *r = begin(f, "old.fin", "cust5", NULL);
	const struct keys_plan *p = keys_recovery_plan(r);
	assert_int_equal(p->assessments, 4);
	assert_int_equal(p->assessments_no_role, 4);
	assert_int_equal(p->assessments_todo, 0);
	assert_int_equal(p->nneeds, 0);
	keys_recovery_free(r);

	/* cust5 is made integrity coordinator at FIN: still no key, and
	 * nobody holding one can share it */
	add_role(f, succ, ROLE_INTEGRITY_COORDINATOR, "FIN");
	sign_in(f, "cust5", sk);
	assert_int_equal(open_key(f, succ, sk, a1, got), ASSESS_ENOKEY);

	r = begin(f, "old.fin", "cust5", NULL);
	p = keys_recovery_plan(r);
	assert_int_equal(p->sealed, 0);
	assert_int_equal(p->cases, 0);
	assert_int_equal(p->assessments, 4);
	assert_int_equal(p->assessments_todo, 2);
	assert_int_equal(p->assessments_already, 0);
	assert_int_equal(p->assessments_no_role, 1);
	assert_int_equal(p->assessments_unrecoverable, 1);
	assert_int_equal(p->nneeds, 1);
	assert_int_equal(p->needs[0].key.id, key_id);
	assert_int_equal(p->needs[0].key.assessments, 2);
	assert_int_equal(p->needs[0].key.reports, 0);
	join(f, r, CUST1);
	join(f, r, CUST3);
	struct keys_result res;
	struct keys_error ke;
	if (keys_recovery_finish(f->t.db, &f->t.signer, KFX_ACTOR, r, &res, &ke) != 0)
		fail_msg("finish: %s", ke.msg);
	keys_recovery_free(r);
	assert_int_equal(res.assessments_resealed, 2);
	assert_int_equal(res.assessments_already, 0);
	assert_int_equal(res.nassessments_skipped, 2);
	if (!res.assessments_skipped) {
		fail_msg("no skipped list");
		return;
	}
	/* by assessment id: A0, then B */
	assert_int_equal(res.assessments_skipped[0].report_id, a0);
	assert_int_equal(res.assessments_skipped[0].why, KEYS_SKIP_UNRECOVERABLE);
	assert_int_equal(res.assessments_skipped[1].report_id, b);
	assert_int_equal(res.assessments_skipped[1].why, KEYS_SKIP_NO_ROLE);
	assert_int_equal(res.resealed, 0);
	assert_int_equal(res.cases_resealed, 0);
	keys_result_free(&res);

	/* cust5 opens A1 with the same key, and its file */
	assert_int_equal(open_key(f, succ, sk, a1, got), 0);
	assert_memory_equal(got, key, sizeof key);
	assert_file(f, a1, evid, got);
	assert_int_equal(open_key(f, succ, sk, a2, got), 0);
	/* not A0 (no recovery seal) nor BZK's */
	assert_int_equal(open_key(f, succ, sk, a0, got), ASSESS_ENOKEY);
	assert_int_equal(open_key(f, succ, sk, b, got), ASSESS_ENOTFOUND);

	/* audited: an assess.key_share on each assessment, one keys.recover */
	assert_int_equal(shares(f, a1, succ, old), 1);
	assert_int_equal(shares(f, a2, succ, old), 1);
	assert_int_equal(shares(f, a0, succ, old), 0);
	assert_int_equal(shares(f, b, succ, old), 0);
	assert_int_equal(qf(f, "SELECT count(*) FROM audit_log WHERE action = 'keys.recover' AND "
			    "detail = 'from=%lld to=%lld org=all reports=0 skipped=0 assessments=2 "
			    "assessments-skipped=2 keys=%lld custodians=%lld,%lld'", (long long)old,
			    (long long)succ, (long long)key_id, (long long)f->ids[CUST1],
			    (long long)f->ids[CUST3]), 1);
	kfx_audit_ok(f);

	/* again: nothing to do, nothing written */
	int64_t entries = kfx_q(f, "SELECT count(*) FROM audit_log WHERE action != "
				   "'account.login'"),
		keys = kfx_q(f, "SELECT count(*) FROM assessment_key");
	r = begin(f, "old.fin", "cust5", NULL);
	p = keys_recovery_plan(r);
	assert_int_equal(p->assessments_todo, 0);
	assert_int_equal(p->assessments_already, 2);
	assert_int_equal(p->nneeds, 0);
	assert_int_equal(keys_recovery_finish(f->t.db, &f->t.signer, KFX_ACTOR, r, &res, &ke), 0);
	assert_int_equal(res.assessments_resealed, 0);
	keys_result_free(&res);
	keys_recovery_free(r);
	assert_int_equal(kfx_q(f, "SELECT count(*) FROM audit_log WHERE action != 'account.login'"),
			 entries);
	assert_int_equal(kfx_q(f, "SELECT count(*) FROM assessment_key"), keys);

	/* --org: BZK's assessment only, held by coord.bzk already; FIN's three
	 * without it; a unit's code holds none (an assessment is its
	 * department's) */
	r = begin(f, "old.fin", "coord.bzk", "bzk");
	assert_int_equal(keys_recovery_plan(r)->assessments, 1);
	assert_int_equal(keys_recovery_plan(r)->assessments_already, 1);
	keys_recovery_free(r);
	r = begin(f, "old.fin", "cust5", "FIN");
	assert_int_equal(keys_recovery_plan(r)->assessments, 3);
	keys_recovery_free(r);
	r = begin(f, "old.fin", "cust5", "FIN-DGB");
	assert_int_equal(keys_recovery_plan(r)->assessments, 0);
	keys_recovery_free(r);

	/* keys status counts the assessments sealed to the key */
	struct keys_status st;
	assert_int_equal(keys_status(f->t.db, &st, &ke), 0);
	assert_int_equal(st.nkeys, 1);
	if (st.nkeys != 1)
		return;
	assert_int_equal(st.keys[0].assessments, 3); /* A1, A2 and B */
	keys_status_free(&st);
	sodium_memzero(sk, sizeof sk);
	sodium_memzero(key, sizeof key);
	sodium_memzero(got, sizeof got);
}

/* Who may receive the key is who may hold it, not who may read: an auditor
 * in scope reads assessments but gets no key; the coordinator whose scope
 * holds the department gets it. */
static void test_holder_rule(void **state)
{
	struct kfx *f = *state;
	struct world w;
	world_make(f, &w);
	unsigned char sk[ACCOUNT_KEY_BYTES], key[ENVELOPE_KEY_BYTES], got[ENVELOPE_KEY_BYTES];
	int64_t nw = f->ids[NEW_FIN], coord = w.extra[COORD], aud = w.extra[AUD];
	kfx_key(f, 2, THREE, 3);
	sign_in(f, "new.fin", sk);
	int64_t a = create(f, nw, f->org_fin, w.basis, 2025);
	assert_int_equal(open_key(f, nw, sk, a, key), 0);
	int64_t evid = add_file(f, nw, a, key);
	set_disabled(f, nw, 1);
	add_role(f, aud, ROLE_AUDITOR, "RIJK");
	add_role(f, coord, ROLE_COORDINATOR, "RIJK");

	struct keys_recovery *r = begin(f, "new.fin", "aud.rijk", NULL);
	assert_int_equal(keys_recovery_plan(r)->assessments_no_role, 1);
	keys_recovery_free(r);
	r = begin(f, "new.fin", "coord.rijk", NULL);
	assert_int_equal(keys_recovery_plan(r)->assessments_todo, 1);
	join(f, r, CUST2);
	join(f, r, CUST3);
	struct keys_result res;
	struct keys_error ke;
	if (keys_recovery_finish(f->t.db, &f->t.signer, KFX_ACTOR, r, &res, &ke) != 0)
		fail_msg("finish: %s", ke.msg);
	assert_int_equal(res.assessments_resealed, 1);
	keys_result_free(&res);
	keys_recovery_free(r);
	sign_in(f, "coord.rijk", sk);
	assert_int_equal(open_key(f, coord, sk, a, got), 0);
	assert_memory_equal(got, key, sizeof key);
	assert_file(f, a, evid, got);
	assert_int_equal(shares(f, a, coord, nw), 1);
	/* the coordinator's opening then shares the key with whoever may hold
	 * it and has none: nobody here (the auditor may not) */
	assert_int_equal(qf(f, "SELECT count(*) FROM assessment_key WHERE account_id = %lld",
			    (long long)aud), 0);
	sodium_memzero(sk, sizeof sk);
	sodium_memzero(key, sizeof key);
	sodium_memzero(got, sizeof got);
	kfx_audit_ok(f);
}

/* After an administrator's reset new.fin's copy no longer opens; recovering
 * from new.fin to new.fin replaces it, adding no row. */
static void test_same_account_after_reset(void **state)
{
	struct kfx *f = *state;
	struct world w;
	world_make(f, &w);
	unsigned char sk[ACCOUNT_KEY_BYTES], key[ENVELOPE_KEY_BYTES], got[ENVELOPE_KEY_BYTES];
	int64_t nw = f->ids[NEW_FIN];
	kfx_key(f, 2, THREE, 3);
	sign_in(f, "new.fin", sk);
	int64_t a = create(f, nw, f->org_fin, w.basis, 2025);
	assert_int_equal(open_key(f, nw, sk, a, key), 0);
	int64_t evid = add_file(f, nw, a, key);
	struct account_error ae;
	assert_int_equal(accounts_reset_password(f->t.db, &f->t.signer, KFX_ACTOR, nw, KFX_PW, NULL,
						 &ae), 0);
	sign_in(f, "new.fin", sk);
	assert_int_equal(open_key(f, nw, sk, a, got), ASSESS_EDAMAGED);

	struct keys_recovery *r = begin(f, "new.fin", "new.fin", NULL);
	assert_int_equal(keys_recovery_plan(r)->assessments_todo, 1);
	assert_int_equal(keys_recovery_plan(r)->assessments_already, 0);
	join(f, r, CUST1);
	join(f, r, CUST2);
	int64_t rows = kfx_q(f, "SELECT count(*) FROM assessment_key");
	struct keys_result res;
	struct keys_error ke;
	if (keys_recovery_finish(f->t.db, &f->t.signer, KFX_ACTOR, r, &res, &ke) != 0)
		fail_msg("finish: %s", ke.msg);
	assert_int_equal(res.assessments_resealed, 1);
	keys_result_free(&res);
	keys_recovery_free(r);
	assert_int_equal(kfx_q(f, "SELECT count(*) FROM assessment_key"), rows);
	assert_int_equal(open_key(f, nw, sk, a, got), 0);
	assert_memory_equal(got, key, sizeof key);
	assert_file(f, a, evid, got);
	assert_int_equal(shares(f, a, nw, nw), 1);
	sodium_memzero(sk, sizeof sk);
	sodium_memzero(key, sizeof key);
	sodium_memzero(got, sizeof got);
	kfx_audit_ok(f);
}

/* A recovery seal that does not open (another assessment's, moved) stops
 * the whole recovery: no key, no entry. */
static void test_damaged_seal(void **state)
{
	struct kfx *f = *state;
	struct world w;
	world_make(f, &w);
	int64_t nw = f->ids[NEW_FIN];
	kfx_key(f, 2, THREE, 3);
	int64_t a = create(f, nw, f->org_fin, w.basis, 2025);
	int64_t b = create(f, nw, f->org_fin, w.oecd, 2025);
	set_disabled(f, nw, 1);
	add_role(f, f->ids[CUST5], ROLE_MANAGER, "FIN-DGB"); /* a manager of a unit may hold it */
	char sql[300];
	snprintf(sql, sizeof sql, "UPDATE assessment_key SET sealed = (SELECT sealed FROM "
		 "assessment_key WHERE holder = 'recovery' AND assessment_id = %lld) WHERE "
		 "holder = 'recovery' AND assessment_id = %lld", (long long)a, (long long)b);
	testdb_exec(f->t.db, sql);
	struct keys_recovery *r = begin(f, "new.fin", "cust5", NULL);
	assert_int_equal(keys_recovery_plan(r)->assessments_todo, 2);
	join(f, r, CUST1);
	join(f, r, CUST2);
	int64_t keys = kfx_q(f, "SELECT count(*) FROM assessment_key"),
		entries = kfx_q(f, "SELECT count(*) FROM audit_log");
	struct keys_result res;
	struct keys_error ke;
	assert_int_equal(keys_recovery_finish(f->t.db, &f->t.signer, KFX_ACTOR, r, &res, &ke), -1);
	assert_int_equal(ke.code, KEYS_EDAMAGED);
	if (!strstr(ke.msg, "recovery seal of assessment") || !strstr(ke.msg, "nothing was changed"))
		fail_msg("message: %s", ke.msg);
	assert_int_equal(res.assessments_resealed, 0);
	assert_null(res.assessments_skipped);
	keys_recovery_free(r);
	assert_int_equal(kfx_q(f, "SELECT count(*) FROM assessment_key"), keys);
	assert_int_equal(kfx_q(f, "SELECT count(*) FROM audit_log"), entries);
	kfx_audit_ok(f);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
#define T(t) cmocka_unit_test_setup_teardown(t, kfx_setup, kfx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_assessments_recovered),
		T(test_holder_rule),
		T(test_same_account_after_reset),
		T(test_damaged_seal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
