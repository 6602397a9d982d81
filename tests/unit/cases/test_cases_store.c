/* test_cases_store.c: opening cases and their keys (src/cases/store.c,
 * team.c) against a real SQLite database: who may open a case from which
 * reports and what a refusal leaves (nothing); the case's organisation;
 * joining reports; the team and who may join it; a removed member opens
 * nothing any more; every member reads the joined reports through the case,
 * also one who holds no key of the report itself; the case key is sealed to
 * the recovery key; a report's sealed key does not pass for a case's; the
 * lists of cases.
 *
 * Each test works in its own temporary folder (casesfx.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "base/alloc.h"
#include "cases/cases.h"
#include "cases/dataset.h"
#include "crypto/envelope.h"
#include "crypto/vault.h"
#include "casesfx.h"

#define ANSWERS "{\"what\":\"gezien\"}"

/* What a refusal must leave as it was. */
struct counts {
	int64_t cases, keys, reports_joined, members, audit, handed;
};

static struct counts counts(struct cfx *f)
{
	struct counts c = {cfx_q(f, "SELECT count(*) FROM case_file"),
			   cfx_q(f, "SELECT count(*) FROM case_key"),
			   cfx_q(f, "SELECT count(*) FROM case_report_key"),
			   cfx_q(f, "SELECT count(*) FROM case_member"),
			   cfx_q(f, "SELECT count(*) FROM audit_log"),
			   cfx_q(f, "SELECT count(*) FROM report WHERE handed_over_on IS NOT NULL")};
	return c;
}

static void same_counts(struct cfx *f, struct counts before)
{
	struct counts now = counts(f);
	assert_int_equal(now.cases, before.cases);
	assert_int_equal(now.keys, before.keys);
	assert_int_equal(now.reports_joined, before.reports_joined);
	assert_int_equal(now.members, before.members);
	assert_int_equal(now.audit, before.audit);
	assert_int_equal(now.handed, before.handed);
}

/* Opening as who from ids must fail with code and write nothing. */
static void open_refused(struct cfx *f, int who, const int64_t *ids, size_t n, int code)
{
	struct cases_error e;
	const unsigned char *sk = cfx_sk(f, who); /* signing in is audited: before counting */
	struct counts before = counts(f);
	int64_t id = 77;
	assert_int_equal(cases_open(f->t.db, &f->t.signer, f->ids[who], sk, ids, n, NULL, f->today,
				    &id, &e), -1);
	if (e.code != code)
		fail_msg("expected %d, got %d: %s", code, e.code, e.msg);
	assert_int_equal(id, 0);
	same_counts(f, before);
}

static void test_open(void **state)
{
	struct cfx *f = *state;
	int64_t r1 = cfx_report(f, "FIN", ANSWERS), r2 = cfx_report(f, "FIN-DGB", ANSWERS);
	int64_t ids[] = {r1, r2};
	int64_t c = cfx_open(f, COORD_FIN, ids, 2);

	struct cases_key k;
	struct cases_case cc;
	struct cases_error e;
	cfx_key(f, c, COORD_FIN, &k);
	assert_int_equal(cases_read(f->t.db, &k, &cc, &e), 0);
	/* a report of FIN and one of its unit: the case is FIN's */
	assert_string_equal(cc.org_code, "FIN");
	const struct cases_protocol *p = cases_data_protocol();
	assert_non_null(p);
	assert_string_equal(cc.protocol, p->id);
	assert_int_equal(cc.protocol_revision, p->revision);
	assert_string_equal(cc.phase, p->phases[0].id);
	assert_string_equal(cc.phase_started_on, f->today);
	assert_string_equal(cc.opened_on, f->today);
	assert_string_equal(cc.closed_on, "");
	char due[DATE_LEN + 1];
	if (cases_phase_due(&p->phases[0], f->today, due) == 0)
		assert_string_equal(cc.phase_due, due);
	assert_int_equal(cc.nreports, 2);
	assert_int_equal(cc.reports[0], r1);
	assert_int_equal(cc.reports[1], r2);
	assert_int_equal(cc.police_report, -1);
	assert_string_equal(cc.outcome, "");

	/* one key row for the opener (no recovery key configured), the opener
	 * on the team as coordinator, both reports handed over, audited */
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM case_key"), 1);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM case_member WHERE role_in_case = "
				  "'coordinator' AND removed_on IS NULL"), 1);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM report WHERE handed_over_on IS NOT NULL"), 2);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log WHERE action = 'report.handover'"),
			 2);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log WHERE action = 'case.open'"), 1);
	/* the sealed key is of the case kind */
	db_stmt_t *st;
	assert_int_equal(db_prepare(f->t.db, "SELECT sealed FROM case_key", &st), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(envelope_sealed_kind(db_col_blob(st, 0), db_col_bytes(st, 0)),
			 ENVELOPE_CASE_MEMBER);
	db_finalize(st);
	cases_key_wipe(&k);
	cfx_audit_ok(f);
}

static void test_open_refused(void **state)
{
	struct cfx *f = *state;
	int64_t fin = cfx_report(f, "FIN", ANSWERS), bzk = cfx_report(f, "BZK", ANSWERS);
	int64_t one[] = {fin}, two[] = {fin, bzk}, twice[] = {fin, fin}, bad[] = {0};

	/* not a holder of the report's key */
	open_refused(f, COORD_BZK, one, 1, CASES_ENOTFOUND);
	open_refused(f, INV_FIN, one, 1, CASES_ENOTFOUND);
	/* a holder, but no integrity coordinator */
	open_refused(f, ADV_FIN, one, 1, CASES_EDENIED);
	/* reports of two organisations, by someone who holds both */
	open_refused(f, COORD_BOTH, two, 2, CASES_ECONFLICT);
	/* malformed */
	open_refused(f, COORD_FIN, one, 0, CASES_EINVALID);
	open_refused(f, COORD_FIN, twice, 2, CASES_EINVALID);
	open_refused(f, COORD_FIN, bad, 1, CASES_EINVALID);
	struct cases_error e;
	int64_t id;
	assert_int_equal(cases_open(f->t.db, &f->t.signer, f->ids[COORD_FIN],
				    cfx_sk(f, COORD_FIN), one, 1, NULL, "2026-02-30", &id, &e), -1);
	assert_int_equal(e.code, CASES_EINVALID);
	/* before the report came in */
	assert_int_equal(cases_open(f->t.db, &f->t.signer, f->ids[COORD_FIN],
				    cfx_sk(f, COORD_FIN), one, 1, NULL, "2001-01-01", &id, &e), -1);
	assert_int_equal(e.code, CASES_EINVALID);

	/* a report already in a case */
	cfx_open(f, COORD_FIN, one, 1);
	open_refused(f, COORD2_FIN, one, 1, CASES_ECONFLICT);
	open_refused(f, COORD_FIN, one, 1, CASES_ECONFLICT);
	/* the other one still opens, by the coordinator of both at BZK */
	int64_t b[] = {bzk};
	int64_t c = cfx_open(f, COORD_BOTH, b, 1);
	struct cases_key k;
	struct cases_case cc;
	cfx_key(f, c, COORD_BOTH, &k);
	assert_int_equal(cases_read(f->t.db, &k, &cc, &e), 0);
	assert_string_equal(cc.org_code, "BZK");
	cases_key_wipe(&k);
	cfx_audit_ok(f);
}

static void test_join(void **state)
{
	struct cfx *f = *state;
	int64_t r1 = cfx_report(f, "FIN", ANSWERS), r2 = cfx_report(f, "FIN-DGB", ANSWERS),
		r3 = cfx_report(f, "BZK", ANSWERS);
	int64_t ids[] = {r1};
	int64_t c = cfx_open(f, COORD_FIN, ids, 1);
	struct cases_key k, kb;
	struct cases_error e;
	cfx_key(f, c, COORD_FIN, &k);

	assert_int_equal(cases_join_report(f->t.db, &f->t.signer, &k, f->ids[COORD_FIN],
					   cfx_sk(f, COORD_FIN), r2, f->today, &e), 0);
	/* twice: it is in a case now */
	assert_int_equal(cases_join_report(f->t.db, &f->t.signer, &k, f->ids[COORD_FIN],
					   cfx_sk(f, COORD_FIN), r2, f->today, &e), -1);
	assert_int_equal(e.code, CASES_ECONFLICT);
	/* a BZK report, by a coordinator member who holds its key */
	cfx_add(f, &k, COORD_BOTH, "coordinator");
	cfx_key(f, c, COORD_BOTH, &kb);
	assert_int_equal(cases_join_report(f->t.db, &f->t.signer, &kb, f->ids[COORD_BOTH],
					   cfx_sk(f, COORD_BOTH), r3, f->today, &e), -1);
	assert_int_equal(e.code, CASES_ECONFLICT);
	/* an investigator member holds no report key to join with */
	cfx_add(f, &k, INV_FIN, "investigator");
	int64_t r4 = cfx_report(f, "FIN", ANSWERS);
	assert_int_equal(cases_join_report(f->t.db, &f->t.signer, &k, f->ids[INV_FIN],
					   cfx_sk(f, INV_FIN), r4, f->today, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	/* an adviser who holds it is not on the team */
	assert_int_equal(cases_join_report(f->t.db, &f->t.signer, &k, f->ids[ADV_FIN],
					   cfx_sk(f, ADV_FIN), r4, f->today, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);

	struct cases_case cc;
	assert_int_equal(cases_read(f->t.db, &k, &cc, &e), 0);
	assert_int_equal(cc.nreports, 2);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log WHERE action = 'case.join'"), 1);
	cases_key_wipe(&k);
	cases_key_wipe(&kb);
	cfx_audit_ok(f);
}

/* Every member reads the joined reports through the case key, also an
 * investigator who holds no key of the report. */
static void test_read_report_through_case(void **state)
{
	struct cfx *f = *state;
	int64_t r1 = cfx_report(f, "FIN", "{\"what\":\"QZXCASEREPORT kasgeld\"}");
	int64_t ids[] = {r1};
	int64_t c = cfx_open(f, COORD_FIN, ids, 1);
	struct cases_key k;
	struct cases_error e;
	struct intake_error ie;
	struct intake_key rk;
	cfx_key(f, c, COORD_FIN, &k);
	cfx_add(f, &k, INV_FIN, "investigator");
	cases_key_wipe(&k);

	/* the investigator has no key of the report of its own */
	assert_int_equal(intake_key_as_handler(f->t.db, r1, f->ids[INV_FIN], cfx_sk(f, INV_FIN), &rk,
					       &ie), -1);
	assert_int_equal(ie.code, INTAKE_ENOTFOUND);
	cfx_key(f, c, INV_FIN, &k);
	assert_int_equal(cases_report_key(f->t.db, &k, r1, &rk, &e), 0);
	assert_int_equal(rk.report_id, r1);
	struct intake_report r;
	assert_int_equal(intake_read(f->t.db, &rk, &r, &ie), 0);
	assert_non_null(strstr(r.body, "QZXCASEREPORT kasgeld"));
	intake_report_free(&r);
	intake_key_wipe(&rk);
	/* a report not joined to this case */
	int64_t r2 = cfx_report(f, "FIN", ANSWERS);
	assert_int_equal(cases_report_key(f->t.db, &k, r2, &rk, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	/* the wrapped key moved to another report's row does not open */
	int64_t ids2[] = {r2};
	int64_t c2 = cfx_open(f, COORD_FIN, ids2, 1);
	(void)c2;
	testdb_exec(f->t.db, "CREATE TEMP TABLE w AS SELECT report_id, sealed FROM case_report_key; "
			     "UPDATE case_report_key SET sealed = (SELECT sealed FROM w WHERE "
			     "w.report_id <> case_report_key.report_id); DROP TABLE w");
	assert_int_equal(cases_report_key(f->t.db, &k, r1, &rk, &e), -1);
	assert_int_equal(e.code, CASES_EDAMAGED);
	cases_key_wipe(&k);
}

static void test_team(void **state)
{
	struct cfx *f = *state;
	int64_t r1 = cfx_report(f, "FIN", ANSWERS);
	int64_t ids[] = {r1};
	int64_t c = cfx_open(f, COORD_FIN, ids, 1);
	struct cases_key k, ki;
	struct cases_error e;
	cfx_key(f, c, COORD_FIN, &k);

	/* an investigator of another department, of a unit below FIN (the
	 * case is FIN's own), an account without the role, and unknown roles */
	struct {
		int who;
		const char *role;
		int code;
	} refused[] = {
		{INV_BZK, "investigator", CASES_EDENIED},
		{INV_DGB, "investigator", CASES_EDENIED},
		{ADV_FIN, "investigator", CASES_EDENIED},
		{AUTH_FIN, "investigator", CASES_EDENIED},
		{INV_FIN, "coordinator", CASES_EDENIED},
		{COORD_BZK, "coordinator", CASES_EDENIED},
		{INV_FIN, "boss", CASES_EINVALID},
		{COORD_FIN, "coordinator", CASES_ECONFLICT},
	};
	int64_t members = cfx_q(f, "SELECT count(*) FROM case_member");
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		assert_int_equal(cases_member_add(f->t.db, &f->t.signer, &k, f->ids[COORD_FIN],
						  f->ids[refused[i].who], refused[i].role, f->today,
						  &e), -1);
		if (e.code != refused[i].code)
			fail_msg("%s as %s: %d %s", cfx_users[refused[i].who], refused[i].role,
				 e.code, e.msg);
	}
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM case_member"), members);
	assert_int_equal(cases_member_add(f->t.db, &f->t.signer, &k, f->ids[COORD_FIN], 9999,
					  "investigator", f->today, &e), -1);
	assert_int_equal(e.code, CASES_EDENIED);

	cfx_add(f, &k, INV_FIN, "investigator");
	/* twice */
	assert_int_equal(cases_member_add(f->t.db, &f->t.signer, &k, f->ids[COORD_FIN],
					  f->ids[INV_FIN], "investigator", f->today, &e), -1);
	assert_int_equal(e.code, CASES_ECONFLICT);
	/* an investigator member changes no team */
	cfx_key(f, c, INV_FIN, &ki);
	assert_int_equal(cases_member_add(f->t.db, &f->t.signer, &ki, f->ids[INV_FIN],
					  f->ids[COORD2_FIN], "coordinator", f->today, &e), -1);
	assert_int_equal(e.code, CASES_EDENIED);
	assert_int_equal(cases_member_remove(f->t.db, &f->t.signer, c, f->ids[INV_FIN],
					     f->ids[COORD_FIN], f->today, &e), -1);
	assert_int_equal(e.code, CASES_EDENIED);
	/* nor does an outsider */
	assert_int_equal(cases_member_remove(f->t.db, &f->t.signer, c, f->ids[COORD2_FIN],
					     f->ids[INV_FIN], f->today, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	/* the last coordinator stays */
	assert_int_equal(cases_member_remove(f->t.db, &f->t.signer, c, f->ids[COORD_FIN],
					     f->ids[COORD_FIN], f->today, &e), -1);
	assert_int_equal(e.code, CASES_ECONFLICT);

	struct cases_member m[8];
	size_t n;
	assert_int_equal(cases_members(f->t.db, &k, m, 8, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_string_equal(m[0].username, cfx_users[COORD_FIN]);
	assert_string_equal(m[0].role, "coordinator");
	assert_string_equal(m[1].username, cfx_users[INV_FIN]);
	assert_string_equal(m[1].role, "investigator");
	assert_string_equal(m[1].removed_on, "");

	/* removed: no key row, the case key no longer opens, and the key they
	 * still hold in memory writes nothing */
	assert_int_equal(cases_member_remove(f->t.db, &f->t.signer, c, f->ids[COORD_FIN],
					     f->ids[INV_FIN], f->today, &e), 0);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM case_key WHERE holder = 'account'"), 1);
	struct cases_key kx;
	assert_int_equal(cases_key_as_member(f->t.db, c, f->ids[INV_FIN], cfx_sk(f, INV_FIN), &kx,
					     &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	assert_int_equal(kx.full, 0);
	assert_int_equal(cases_note_add(f->t.db, &f->t.signer, &ki, f->ids[INV_FIN], "nog iets", 8,
					NULL, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	/* removed twice */
	assert_int_equal(cases_member_remove(f->t.db, &f->t.signer, c, f->ids[COORD_FIN],
					     f->ids[INV_FIN], f->today, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	assert_int_equal(cases_members(f->t.db, &k, m, 8, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_string_equal(m[1].removed_on, f->today);
	/* and back again: a fresh key row */
	cfx_add(f, &k, INV_FIN, "investigator");
	cases_key_wipe(&kx);
	cfx_key(f, c, INV_FIN, &kx);
	assert_memory_equal(kx.key, k.key, sizeof k.key);
	assert_memory_equal(kx.summary, k.summary, sizeof k.summary);

	/* a second coordinator; then the first may leave */
	cfx_add(f, &k, COORD2_FIN, "coordinator");
	assert_int_equal(cases_member_remove(f->t.db, &f->t.signer, c, f->ids[COORD2_FIN],
					     f->ids[COORD_FIN], f->today, &e), 0);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log WHERE action = "
				  "'case.member-add'"), 3);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log WHERE action = "
				  "'case.member-remove'"), 2);
	cases_key_wipe(&k);
	cases_key_wipe(&ki);
	cases_key_wipe(&kx);
	cfx_audit_ok(f);
}

/* A case of the unit FIN-DGB takes investigators of the unit and of FIN. */
static void test_unit_case(void **state)
{
	struct cfx *f = *state;
	int64_t r = cfx_report(f, "FIN-DGB", ANSWERS);
	int64_t ids[] = {r};
	int64_t c = cfx_open(f, COORD_FIN, ids, 1);
	struct cases_key k;
	struct cases_case cc;
	struct cases_error e;
	cfx_key(f, c, COORD_FIN, &k);
	assert_int_equal(cases_read(f->t.db, &k, &cc, &e), 0);
	assert_string_equal(cc.org_code, "FIN-DGB");
	cfx_add(f, &k, INV_DGB, "investigator");
	cfx_add(f, &k, INV_FIN, "investigator");
	assert_int_equal(cases_member_add(f->t.db, &f->t.signer, &k, f->ids[COORD_FIN],
					  f->ids[INV_BZK], "investigator", f->today, &e), -1);
	assert_int_equal(e.code, CASES_EDENIED);
	cases_key_wipe(&k);
}

static void test_keys(void **state)
{
	struct cfx *f = *state;
	int64_t r = cfx_report(f, "FIN", ANSWERS);
	int64_t ids[] = {r};
	int64_t c = cfx_open(f, COORD_FIN, ids, 1);
	struct cases_key k;
	struct cases_error e;

	/* not a member, not a case: one answer */
	assert_int_equal(cases_key_as_member(f->t.db, c, f->ids[COORD2_FIN], cfx_sk(f, COORD2_FIN),
					     &k, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	assert_int_equal(cases_key_as_member(f->t.db, c + 5, f->ids[COORD_FIN],
					     cfx_sk(f, COORD_FIN), &k, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	/* the right row with another secret key */
	assert_int_equal(cases_key_as_member(f->t.db, c, f->ids[COORD_FIN], cfx_sk(f, COORD2_FIN),
					     &k, &e), -1);
	assert_int_equal(e.code, CASES_EDAMAGED);
	/* a disabled member */
	struct account_error ae;
	assert_int_equal(accounts_set_disabled(f->t.db, &f->t.signer, "cli:test",
					       f->ids[COORD_FIN], 1, NULL, &ae), 0);
	assert_int_equal(cases_key_as_member(f->t.db, c, f->ids[COORD_FIN], cfx_sk(f, COORD_FIN),
					     &k, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	assert_int_equal(accounts_set_disabled(f->t.db, &f->t.signer, "cli:test",
					       f->ids[COORD_FIN], 0, NULL, &ae), 0);
	cfx_key(f, c, COORD_FIN, &k);

	/* the authority is no member and holds nothing before the summary is
	 * shared */
	assert_int_equal(cases_key_as_authority(f->t.db, c, f->ids[AUTH_FIN], cfx_sk(f, AUTH_FIN),
						&k, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	assert_int_equal(k.full, 0);
	cases_key_wipe(&k);
}

/* Report 1's key sealed to the coordinator, copied into case 1's key row,
 * does not open as the case key: the kinds differ. */
static void test_report_key_is_no_case_key(void **state)
{
	struct cfx *f = *state;
	int64_t r = cfx_report(f, "FIN", ANSWERS);
	int64_t ids[] = {r};
	int64_t c = cfx_open(f, COORD_FIN, ids, 1);
	assert_int_equal(r, c); /* the same number, on purpose */
	char *sql = xasprintf("UPDATE case_key SET sealed = (SELECT sealed FROM report_key WHERE "
			      "report_id = %lld AND account_id = %lld) WHERE case_id = %lld",
			      (long long)r, (long long)f->ids[COORD_FIN], (long long)c);
	testdb_exec(f->t.db, sql);
	free(sql);
	struct cases_key k;
	struct cases_error e;
	assert_int_equal(cases_key_as_member(f->t.db, c, f->ids[COORD_FIN], cfx_sk(f, COORD_FIN),
					     &k, &e), -1);
	assert_int_equal(e.code, CASES_EDAMAGED);
}

/* With a recovery key configured, the case key is sealed to it too, and the
 * recovery key's secret half opens it. */
static void test_recovery_seal(void **state)
{
	struct cfx *f = *state;
	unsigned char pk[32], sk[32];
	vault_keypair(pk, sk);
	db_stmt_t *st;
	assert_int_equal(db_prepare(f->t.db, "INSERT INTO recovery_key (public_key, k, n, "
					     "created_at) VALUES (?, 2, 3, '2026-01-01T00:00:00Z')",
				    &st), 0);
	assert_int_equal(db_bind_blob(st, 1, pk, 32), 0);
	assert_int_equal(db_step(st), DB_DONE);
	db_finalize(st);
	int64_t r = cfx_report(f, "FIN", ANSWERS);
	int64_t ids[] = {r};
	int64_t c = cfx_open(f, COORD_FIN, ids, 1);
	struct cases_key k;
	cfx_key(f, c, COORD_FIN, &k);
	assert_int_equal(db_prepare(f->t.db, "SELECT sealed, recovery_key_id FROM case_key WHERE "
					     "holder = 'recovery'", &st), 0);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_i64(st, 1), 1);
	unsigned char back[32];
	assert_int_equal(envelope_sealed_kind(db_col_blob(st, 0), db_col_bytes(st, 0)),
			 ENVELOPE_CASE_RECOVERY);
	assert_int_equal(envelope_open_with_sk(ENVELOPE_CASE_RECOVERY, pk, sk, c, db_col_blob(st, 0),
					       db_col_bytes(st, 0), back), 0);
	assert_memory_equal(back, k.key, 32);
	/* not as a report's recovery seal of the same number */
	assert_int_equal(envelope_open_with_sk(ENVELOPE_RECOVERY, pk, sk, c, db_col_blob(st, 0),
					       db_col_bytes(st, 0), back), -1);
	db_finalize(st);
	sodium_memzero(sk, sizeof sk);
	sodium_memzero(back, sizeof back);
	cases_key_wipe(&k);
}

static void test_list(void **state)
{
	struct cfx *f = *state;
	int64_t r1 = cfx_report(f, "FIN", ANSWERS), r2 = cfx_report(f, "FIN-DGB", ANSWERS);
	int64_t a[] = {r1}, b[] = {r2};
	int64_t c1 = cfx_open(f, COORD_FIN, a, 1), c2 = cfx_open(f, COORD2_FIN, b, 1);
	struct cases_key k;
	struct cases_error e;
	cfx_key(f, c2, COORD2_FIN, &k);
	/* COORD2 may add investigators to its own case */
	assert_int_equal(cases_member_add(f->t.db, &f->t.signer, &k, f->ids[COORD2_FIN],
					  f->ids[INV_FIN], "investigator", f->today, &e), 0);
	assert_int_equal(cases_summary_share(f->t.db, &f->t.signer, &k, f->ids[COORD2_FIN],
					     f->ids[AUTH_FIN], f->today, &e), 0);
	cases_key_wipe(&k);

	struct cases_list_item it[4];
	size_t n, total;
	assert_int_equal(cases_list(f->t.db, f->ids[COORD_FIN], it, 4, &n, &total), 0);
	assert_int_equal(n, 1);
	assert_int_equal(it[0].id, c1);
	assert_string_equal(it[0].role, "coordinator");
	assert_string_equal(it[0].org_code, "FIN");
	assert_int_equal(cases_list(f->t.db, f->ids[INV_FIN], it, 4, &n, &total), 0);
	assert_int_equal(n, 1);
	assert_int_equal(it[0].id, c2);
	assert_string_equal(it[0].role, "investigator");
	assert_string_equal(it[0].org_code, "FIN-DGB");
	assert_int_equal(cases_list(f->t.db, f->ids[AUTH_FIN], it, 4, &n, &total), 0);
	assert_int_equal(n, 1);
	assert_string_equal(it[0].role, "authority");
	for (int w = ADV_FIN; w < NACCOUNTS; w++) {
		if (w == INV_FIN || w == AUTH_FIN)
			continue;
		assert_int_equal(cases_list(f->t.db, f->ids[w], it, 4, &n, &total), 0);
		assert_int_equal(total, 0);
	}
	/* an authority who lost the role sees nothing */
	testdb_exec(f->t.db, "DELETE FROM account_role WHERE role = 'competent_authority' AND "
			     "account_id = (SELECT id FROM account WHERE username = 'auth.fin')");
	assert_int_equal(cases_list(f->t.db, f->ids[AUTH_FIN], it, 4, &n, &total), 0);
	assert_int_equal(total, 0);
	assert_int_equal(cases_key_as_authority(f->t.db, c2, f->ids[AUTH_FIN], cfx_sk(f, AUTH_FIN),
						&k, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
#define T(fn) cmocka_unit_test_setup_teardown(fn, cfx_setup, cfx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_open),
		T(test_open_refused),
		T(test_join),
		T(test_read_report_through_case),
		T(test_team),
		T(test_unit_case),
		T(test_keys),
		T(test_report_key_is_no_case_key),
		T(test_recovery_seal),
		T(test_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
