/* test_keys_recover_cases.c: recovery of the cases a departed handler was
 * on the team of (src/keys/recover.c, keys.h) against a real SQLite
 * database. The successor joins each case they may join, in the departed
 * member's role where they hold it and in the other role otherwise, with the
 * same case key; cases they are on already, cases of an organisation where
 * they hold no coordinator or investigator role, cases opened before any
 * recovery key existed and cases of which a reporter excluded them are
 * listed and left alone; a case the departed member had left, and a purged
 * one, are not counted; --org limits the cases too; a second run changes
 * nothing; after a password reset the member's own sealed key is replaced;
 * a damaged recovery seal stops everything with nothing written. */
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

#include "base/date.h"
#include "cases/cases.h"
#include "kfx.h"
#include "seed.h"

static const int THREE[] = {CUST1, CUST2, CUST3};

/* Accounts these tests add to kfx's. */
enum { COORD2, INV_FIN, NEXTRA };
static const char *const extra_users[NEXTRA] = {"coord2.fin", "inv.fin"};

struct world {
	int64_t extra[NEXTRA];
	char today[DATE_LEN + 1];
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
	static const struct account_role_spec coord_fin = {ROLE_INTEGRITY_COORDINATOR, "FIN"};
	static const struct account_role_spec inv_fin = {ROLE_INVESTIGATOR, "FIN"};
	const struct account_new n[NEXTRA] = {
		{extra_users[COORD2], "Tweede coördinator", KFX_PW, &coord_fin, 1},
		{extra_users[INV_FIN], "Onderzoeker FIN", KFX_PW, &inv_fin, 1},
	};
	struct account_error e;
	if (accounts_create_batch(f->t.db, &f->t.signer, KFX_ACTOR, n, NEXTRA, w->extra, &e) != 0)
		fail_msg("accounts: %s", e.msg);
	date_today(w->today);
}

/* A case of a fresh report of org row org (its key sealed to the opener,
 * opener_id with secret key sk, and to the current recovery key if any),
 * opened by the opener. */
static int64_t open_case(struct kfx *f, struct world *w, int64_t org, int64_t opener_id,
			 const unsigned char sk[ACCOUNT_KEY_BYTES], int64_t *report_out)
{
	int64_t key = seed_current_key(f->t.db);
	assert_true(key >= 0);
	int64_t holders[] = {opener_id};
	int64_t report = seed_report(f->t.db, org, holders, 1, key, NULL);
	assert_true(report > 0);
	struct cases_error e;
	int64_t id = 0;
	if (cases_open(f->t.db, &f->t.signer, opener_id, sk, &report, 1, NULL, w->today, &id,
		       &e) != 0)
		fail_msg("open: %s", e.msg);
	if (report_out)
		*report_out = report;
	return id;
}

static void member_key(struct kfx *f, int64_t case_id, int64_t account,
		       const unsigned char sk[ACCOUNT_KEY_BYTES], struct cases_key *k)
{
	struct cases_error e;
	if (cases_key_as_member(f->t.db, case_id, account, sk, k, &e) != 0)
		fail_msg("case %lld as %lld: %s", (long long)case_id, (long long)account, e.msg);
}

static void add_member(struct kfx *f, struct world *w, const struct cases_key *k, int64_t actor,
		       int64_t account, const char *role)
{
	struct cases_error e;
	if (cases_member_add(f->t.db, &f->t.signer, k, actor, account, role, w->today, &e) != 0)
		fail_msg("member add: %s", e.msg);
}

/* The reporter of report excluded account, recorded as intake records it:
 * only as the audit entry "report.recuse". */
static void recuse(struct kfx *f, int64_t report, int64_t account)
{
	char detail[80], oid[24];
	snprintf(detail, sizeof detail, "report %" PRId64 " account %" PRId64, report, account);
	snprintf(oid, sizeof oid, "%" PRId64, report);
	struct audit_entry ae = {.actor = "reporter", .action = "report.recuse",
				 .object_type = "report", .object_id = oid, .detail = detail};
	assert_int_equal(db_begin(f->t.db), 0);
	assert_int_equal(audit_append(f->t.db, &f->t.signer, &ae), 0);
	assert_int_equal(db_commit(f->t.db), 0);
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

static int64_t role_of(struct kfx *f, int64_t case_id, int64_t account, const char *role)
{
	return qf(f, "SELECT count(*) FROM case_member WHERE case_id = %lld AND account_id = %lld "
		  "AND removed_on IS NULL AND role_in_case = '%s'", (long long)case_id,
		  (long long)account, role);
}

/* ---- the successor joins ---- */

/* A departed member's seven cases: A coordinated, F investigated, B with the
 * successor on it already, C of BZK where the successor holds no role, D
 * opened before any recovery key, E whose reporter excluded the successor,
 * P purged; and R, whose team they had left. */
static void test_cases_recovered(void **state)
{
	struct kfx *f = *state;
	struct world w;
	world_make(f, &w);
	unsigned char old_sk[ACCOUNT_KEY_BYTES], new_sk[ACCOUNT_KEY_BYTES],
		c2_sk[ACCOUNT_KEY_BYTES], bzk_sk[ACCOUNT_KEY_BYTES];
	int64_t old = f->ids[OLD_FIN], nw = f->ids[NEW_FIN], c2 = w.extra[COORD2],
		bzk = f->ids[COORD_BZK];
	struct cases_key k, ka, kf;
	struct cases_error ce;

	/* the departed coordinator while still at work */
	set_disabled(f, old, 0);
	add_role(f, old, ROLE_INVESTIGATOR, "FIN");
	add_role(f, old, ROLE_INVESTIGATOR, "BZK");
	sign_in(f, "old.fin", old_sk);
	sign_in(f, "new.fin", new_sk);
	sign_in(f, "coord2.fin", c2_sk);
	sign_in(f, "coord.bzk", bzk_sk);
	int64_t d = open_case(f, &w, f->org_fin, old, old_sk, NULL);
	int64_t key = kfx_key(f, 2, THREE, 3);
	int64_t report_a;
	int64_t a = open_case(f, &w, f->org_fin, old, old_sk, &report_a);
	member_key(f, a, old, old_sk, &ka);
	int64_t fc = open_case(f, &w, f->org_fin, c2, c2_sk, NULL);
	member_key(f, fc, c2, c2_sk, &k);
	add_member(f, &w, &k, c2, old, "investigator");
	cases_key_wipe(&k);
	member_key(f, fc, old, old_sk, &kf);
	int64_t b = open_case(f, &w, f->org_fin, nw, new_sk, NULL);
	member_key(f, b, nw, new_sk, &k);
	add_member(f, &w, &k, nw, old, "coordinator");
	cases_key_wipe(&k);
	int64_t c = open_case(f, &w, f->org_bzk, bzk, bzk_sk, NULL);
	member_key(f, c, bzk, bzk_sk, &k);
	add_member(f, &w, &k, bzk, old, "investigator");
	cases_key_wipe(&k);
	int64_t report_e;
	int64_t e = open_case(f, &w, f->org_fin, old, old_sk, &report_e);
	recuse(f, report_e, nw);
	int64_t rc = open_case(f, &w, f->org_fin, c2, c2_sk, NULL);
	member_key(f, rc, c2, c2_sk, &k);
	add_member(f, &w, &k, c2, old, "investigator");
	cases_key_wipe(&k);
	assert_int_equal(cases_member_remove(f->t.db, &f->t.signer, rc, c2, old, w.today, &ce), 0);
	int64_t pc = open_case(f, &w, f->org_fin, old, old_sk, NULL);
	char sql[200];
	snprintf(sql, sizeof sql, "UPDATE case_file SET closed_on = '%s', purge_after = '%s' "
		 "WHERE id = %lld", w.today, w.today, (long long)pc);
	testdb_exec(f->t.db, sql);
	size_t npurged;
	assert_int_equal(cases_purge(f->t.db, &f->t.signer, w.today, &npurged, &ce), 0);
	assert_int_equal(npurged, 1);
	set_disabled(f, old, 1);
	sodium_memzero(old_sk, sizeof old_sk);
	/* new.fin may investigate at FIN too: it keeps old.fin's role in F */
	add_role(f, nw, ROLE_INVESTIGATOR, "FIN");

	struct keys_recovery *r = begin(f, "old.fin", "new.fin", NULL);
	const struct keys_plan *p = keys_recovery_plan(r);
	assert_int_equal(p->cases, 6);
	assert_int_equal(p->cases_todo, 2);
	assert_int_equal(p->cases_already, 1);
	assert_int_equal(p->cases_no_role, 1);
	assert_int_equal(p->cases_recused, 1);
	assert_int_equal(p->cases_unrecoverable, 1);
	/* the reports of A, D and E were sealed to old.fin, their opener: A's is
	 * recovered, D's and E's are not, for the same reasons as their cases */
	assert_int_equal(p->sealed, 3);
	assert_int_equal(p->todo, 1);
	assert_int_equal(p->recused, 1);
	assert_int_equal(p->unrecoverable, 1);
	assert_int_equal(p->nneeds, 1);
	assert_int_equal(p->needs[0].key.id, key);
	assert_int_equal(p->needs[0].key.cases, 2);
	assert_int_equal(p->needs[0].key.reports, 1);
	join(f, r, CUST1);
	join(f, r, CUST3);
	struct keys_result res;
	struct keys_error ke;
	if (keys_recovery_finish(f->t.db, &f->t.signer, KFX_ACTOR, r, &res, &ke) != 0)
		fail_msg("finish: %s", ke.msg);
	keys_recovery_free(r);
	assert_int_equal(res.resealed, 1);
	assert_int_equal(res.nskipped, 2);
	assert_int_equal(res.cases_resealed, 2);
	assert_int_equal(res.cases_already, 1);
	assert_int_equal(res.ncases_skipped, 3);
	/* by case id: D, C, E */
	const int64_t want_id[] = {d, c, e};
	const int want_why[] = {KEYS_SKIP_UNRECOVERABLE, KEYS_SKIP_NO_ROLE, KEYS_SKIP_RECUSED};
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(res.cases_skipped[i].report_id, want_id[i]);
		assert_int_equal(res.cases_skipped[i].why, want_why[i]);
	}
	keys_result_free(&res);

	/* new.fin is on the teams in the roles, with the same keys */
	assert_int_equal(role_of(f, a, nw, "coordinator"), 1);
	assert_int_equal(role_of(f, fc, nw, "investigator"), 1);
	for (int64_t x = 1; x <= rc; x++)
		if (x != a && x != fc && x != b)
			assert_int_equal(qf(f, "SELECT count(*) FROM case_member WHERE case_id = %lld "
					    "AND account_id = %lld", (long long)x, (long long)nw),
					 0);
	member_key(f, a, nw, new_sk, &k);
	assert_memory_equal(k.key, ka.key, sizeof k.key);
	assert_memory_equal(k.summary, ka.summary, sizeof k.summary);
	/* and reads the case's report through it */
	struct intake_key rk;
	struct intake_report rep;
	struct intake_error ie;
	assert_int_equal(cases_report_key(f->t.db, &k, report_a, &rk, &ce), 0);
	assert_int_equal(intake_read(f->t.db, &rk, &rep, &ie), 0);
	assert_non_null(strstr(rep.body, "seeded"));
	intake_report_free(&rep);
	intake_key_wipe(&rk);
	cases_key_wipe(&k);
	member_key(f, fc, nw, new_sk, &k);
	assert_memory_equal(k.key, kf.key, sizeof k.key);
	cases_key_wipe(&k);
	cases_key_wipe(&ka);
	cases_key_wipe(&kf);
	/* nor any case that was left out */
	const int64_t out[] = {c, d, e, rc, pc};
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(cases_key_as_member(f->t.db, out[i], nw, new_sk, &k, &ce), -1);
		assert_int_equal(ce.code, CASES_ENOTFOUND);
	}

	/* audited: one keys.recover, a case.member-add per case joined */
	assert_int_equal(qf(f, "SELECT count(*) FROM audit_log WHERE action = 'case.member-add' "
			    "AND actor = '" KFX_ACTOR "' AND object_id = '%lld' AND detail = "
			    "'account %lld as coordinator by recovery from account %lld'",
			    (long long)a, (long long)nw, (long long)old), 1);
	assert_int_equal(qf(f, "SELECT count(*) FROM audit_log WHERE action = 'case.member-add' "
			    "AND actor = '" KFX_ACTOR "' AND object_id = '%lld' AND detail = "
			    "'account %lld as investigator by recovery from account %lld'",
			    (long long)fc, (long long)nw, (long long)old), 1);
	assert_int_equal(qf(f, "SELECT count(*) FROM audit_log WHERE action = 'keys.recover' AND "
			    "detail = 'from=%lld to=%lld org=all reports=1 skipped=2 cases=2 "
			    "cases-skipped=3 keys=%lld custodians=%lld,%lld'", (long long)old,
			    (long long)nw, (long long)key, (long long)f->ids[CUST1],
			    (long long)f->ids[CUST3]), 1);
	kfx_audit_ok(f);

	/* again: nothing to do, nothing written */
	int64_t entries = kfx_q(f, "SELECT count(*) FROM audit_log");
	r = begin(f, "old.fin", "new.fin", NULL);
	p = keys_recovery_plan(r);
	assert_int_equal(p->cases_todo, 0);
	assert_int_equal(p->cases_already, 3);
	assert_int_equal(p->nneeds, 0);
	assert_int_equal(keys_recovery_finish(f->t.db, &f->t.signer, KFX_ACTOR, r, &res, &ke), 0);
	assert_int_equal(res.cases_resealed, 0);
	keys_result_free(&res);
	keys_recovery_free(r);
	assert_int_equal(kfx_q(f, "SELECT count(*) FROM audit_log"), entries);

	/* --org: BZK's case only, FIN's without it */
	r = begin(f, "old.fin", "new.fin", "BZK");
	assert_int_equal(keys_recovery_plan(r)->cases, 1);
	assert_int_equal(keys_recovery_plan(r)->cases_no_role, 1);
	keys_recovery_free(r);
	r = begin(f, "old.fin", "new.fin", "FIN");
	assert_int_equal(keys_recovery_plan(r)->cases, 5);
	keys_recovery_free(r);
	sodium_memzero(new_sk, sizeof new_sk);
	sodium_memzero(c2_sk, sizeof c2_sk);
	sodium_memzero(bzk_sk, sizeof bzk_sk);
}

/* The successor's role: the departed member's where they hold it, else the
 * other one they hold. */
static void test_role_taken(void **state)
{
	struct kfx *f = *state;
	struct world w;
	world_make(f, &w);
	unsigned char old_sk[ACCOUNT_KEY_BYTES], c2_sk[ACCOUNT_KEY_BYTES];
	int64_t old = f->ids[OLD_FIN], c2 = w.extra[COORD2], inv = w.extra[INV_FIN],
		nw = f->ids[NEW_FIN];
	struct cases_key k;
	set_disabled(f, old, 0);
	add_role(f, old, ROLE_INVESTIGATOR, "FIN");
	sign_in(f, "old.fin", old_sk);
	sign_in(f, "coord2.fin", c2_sk);
	kfx_key(f, 2, THREE, 3);
	int64_t a = open_case(f, &w, f->org_fin, old, old_sk, NULL);
	int64_t fc = open_case(f, &w, f->org_fin, c2, c2_sk, NULL);
	member_key(f, fc, c2, c2_sk, &k);
	add_member(f, &w, &k, c2, old, "investigator");
	cases_key_wipe(&k);
	set_disabled(f, old, 1);

	/* an investigator only: investigates both */
	struct keys_recovery *r = begin(f, "old.fin", "inv.fin", NULL);
	assert_int_equal(keys_recovery_plan(r)->cases_todo, 2);
	join(f, r, CUST2);
	join(f, r, CUST3);
	struct keys_result res;
	struct keys_error ke;
	assert_int_equal(keys_recovery_finish(f->t.db, &f->t.signer, KFX_ACTOR, r, &res, &ke), 0);
	assert_int_equal(res.cases_resealed, 2);
	keys_result_free(&res);
	keys_recovery_free(r);
	assert_int_equal(role_of(f, a, inv, "investigator"), 1);
	assert_int_equal(role_of(f, fc, inv, "investigator"), 1);
	/* a coordinator only: coordinates both */
	r = begin(f, "old.fin", "new.fin", NULL);
	join(f, r, CUST1);
	join(f, r, CUST2);
	assert_int_equal(keys_recovery_finish(f->t.db, &f->t.signer, KFX_ACTOR, r, &res, &ke), 0);
	assert_int_equal(res.cases_resealed, 2);
	keys_result_free(&res);
	keys_recovery_free(r);
	assert_int_equal(role_of(f, a, nw, "coordinator"), 1);
	assert_int_equal(role_of(f, fc, nw, "coordinator"), 1);
	/* both work on the cases as their roles allow */
	unsigned char sk[ACCOUNT_KEY_BYTES];
	struct cases_error ce;
	sign_in(f, "inv.fin", sk);
	member_key(f, a, inv, sk, &k);
	assert_int_equal(cases_note_add(f->t.db, &f->t.signer, &k, inv, "overgenomen", 11, NULL, &ce),
			 0);
	assert_int_equal(cases_member_remove(f->t.db, &f->t.signer, a, inv, nw, w.today, &ce), -1);
	assert_int_equal(ce.code, CASES_EDENIED);
	cases_key_wipe(&k);
	sign_in(f, "new.fin", sk);
	assert_int_equal(cases_member_remove(f->t.db, &f->t.signer, a, nw, inv, w.today, &ce), 0);
	sodium_memzero(sk, sizeof sk);
	sodium_memzero(old_sk, sizeof old_sk);
	sodium_memzero(c2_sk, sizeof c2_sk);
	kfx_audit_ok(f);
}

/* After an administrator's reset, new.fin's sealed case key no longer opens;
 * recovering from new.fin to new.fin replaces it, adding no member. */
static void test_same_account_after_reset(void **state)
{
	struct kfx *f = *state;
	struct world w;
	world_make(f, &w);
	unsigned char sk[ACCOUNT_KEY_BYTES];
	int64_t nw = f->ids[NEW_FIN];
	struct cases_key before, after;
	struct cases_error ce;
	kfx_key(f, 2, THREE, 3);
	sign_in(f, "new.fin", sk);
	int64_t a = open_case(f, &w, f->org_fin, nw, sk, NULL);
	member_key(f, a, nw, sk, &before);
	struct account_error ae;
	assert_int_equal(accounts_reset_password(f->t.db, &f->t.signer, KFX_ACTOR, nw, KFX_PW, NULL,
						 &ae), 0);
	sign_in(f, "new.fin", sk);
	assert_int_equal(cases_key_as_member(f->t.db, a, nw, sk, &after, &ce), -1);
	assert_int_equal(ce.code, CASES_EDAMAGED);

	struct keys_recovery *r = begin(f, "new.fin", "new.fin", NULL);
	assert_int_equal(keys_recovery_plan(r)->cases_todo, 1);
	assert_int_equal(keys_recovery_plan(r)->cases_already, 0);
	join(f, r, CUST1);
	join(f, r, CUST2);
	int64_t members = kfx_q(f, "SELECT count(*) FROM case_member"),
		keys = kfx_q(f, "SELECT count(*) FROM case_key");
	struct keys_result res;
	struct keys_error ke;
	assert_int_equal(keys_recovery_finish(f->t.db, &f->t.signer, KFX_ACTOR, r, &res, &ke), 0);
	assert_int_equal(res.cases_resealed, 1);
	keys_result_free(&res);
	keys_recovery_free(r);
	assert_int_equal(kfx_q(f, "SELECT count(*) FROM case_member"), members);
	assert_int_equal(kfx_q(f, "SELECT count(*) FROM case_key"), keys);
	assert_int_equal(kfx_q(f, "SELECT count(*) FROM audit_log WHERE action = 'case.member-add'"),
			 0);
	member_key(f, a, nw, sk, &after);
	assert_memory_equal(after.key, before.key, sizeof after.key);
	cases_key_wipe(&before);
	cases_key_wipe(&after);
	sodium_memzero(sk, sizeof sk);
	kfx_audit_ok(f);
}

/* A recovery seal that does not open (another case's, moved) stops the whole
 * recovery: no member, no key, no entry. */
static void test_damaged_seal(void **state)
{
	struct kfx *f = *state;
	struct world w;
	world_make(f, &w);
	unsigned char sk[ACCOUNT_KEY_BYTES];
	int64_t old = f->ids[OLD_FIN];
	set_disabled(f, old, 0);
	sign_in(f, "old.fin", sk);
	kfx_key(f, 2, THREE, 3);
	int64_t a = open_case(f, &w, f->org_fin, old, sk, NULL);
	int64_t b = open_case(f, &w, f->org_fin, old, sk, NULL);
	set_disabled(f, old, 1);
	sodium_memzero(sk, sizeof sk);
	char sql[300];
	snprintf(sql, sizeof sql, "UPDATE case_key SET sealed = (SELECT sealed FROM case_key WHERE "
		 "holder = 'recovery' AND case_id = %lld) WHERE holder = 'recovery' AND "
		 "case_id = %lld", (long long)a, (long long)b);
	testdb_exec(f->t.db, sql);
	struct keys_recovery *r = begin(f, "old.fin", "new.fin", NULL);
	join(f, r, CUST1);
	join(f, r, CUST2);
	int64_t members = kfx_q(f, "SELECT count(*) FROM case_member"),
		keys = kfx_q(f, "SELECT count(*) FROM case_key"),
		entries = kfx_q(f, "SELECT count(*) FROM audit_log");
	struct keys_result res;
	struct keys_error ke;
	assert_int_equal(keys_recovery_finish(f->t.db, &f->t.signer, KFX_ACTOR, r, &res, &ke), -1);
	assert_int_equal(ke.code, KEYS_EDAMAGED);
	if (!strstr(ke.msg, "recovery seal of case"))
		fail_msg("message: %s", ke.msg);
	assert_int_equal(res.cases_resealed, 0);
	assert_null(res.cases_skipped);
	keys_recovery_free(r);
	assert_int_equal(kfx_q(f, "SELECT count(*) FROM case_member"), members);
	assert_int_equal(kfx_q(f, "SELECT count(*) FROM case_key"), keys);
	assert_int_equal(kfx_q(f, "SELECT count(*) FROM audit_log"), entries);
	kfx_audit_ok(f);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
#define T(t) cmocka_unit_test_setup_teardown(t, kfx_setup, kfx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_cases_recovered),
		T(test_role_taken),
		T(test_same_account_after_reset),
		T(test_damaged_seal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
