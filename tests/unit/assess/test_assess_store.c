/* test_assess_store.c: the storage of self-assessments (src/assess) on a
 * real migrated database with the shipped frameworks: who may do what for
 * which department (Defence outside the coordinator's scope), creating with
 * one per department, framework and year, reading, saving a group with
 * refusals that leave nothing half-written, the workflow's steps allowed
 * and refused, the prefill from an earlier assessment and through a
 * mapping, the change since the previous one, the evidence key sealed to
 * the right accounts and to someone appointed later, evidence files stored
 * encrypted and read back, and the audit trail. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "accounts/accounts.h"
#include "assess/assess.h"
#include "crypto/vault.h"
#include "store/testutil.h"

#define ACTOR "cli:test"
#define PW "paard batterij nietje"

enum { IC_FIN, MGR_DGB, IC_BZK, COORD, AUD, IC_DEF, INV_FIN, NACC };
static const char *const users[NACC] = {"ic.fin", "mgr.dgb", "ic.bzk", "coord",
					"aud",    "ic.def",  "inv.fin"};

struct fx {
	struct testfx t;
	int64_t ids[NACC];
	int64_t fin, bzk, def, dgb;
	int64_t basis, oecd;   /* framework revision ids */
	unsigned char sk[NACC][32];
	int have[NACC];
};

static int64_t q(struct fx *f, const char *sql)
{
	return testdb_i64(f->t.db, sql);
}

static int64_t org_id(struct fx *f, const char *code)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT id FROM org WHERE code = '%s'", code);
	return q(f, sql);
}

static const unsigned char *sk(struct fx *f, int who)
{
	if (!f->have[who]) {
		struct account a;
		int has_totp;
		time_t until;
		assert_int_equal(accounts_login(f->t.db, &f->t.signer, users[who], PW, &a, f->sk[who],
						NULL, &has_totp, &until),
				 ACCOUNT_LOGIN_OK);
		f->have[who] = 1;
	}
	return f->sk[who];
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	char err[600];
	struct account_error e;
	testfx_open(&f->t);
	if (accounts_init(SRCDIR "/data", err, sizeof err) != 0)
		fail_msg("accounts_init: %s", err);
	testfx_add_org(&f->t, "RIJK", NULL, ORG_GOVERNMENT);
	testfx_add_org(&f->t, "FIN", "RIJK", -1);
	testfx_add_org(&f->t, "FIN-DGB", "FIN", -1);
	testfx_add_org(&f->t, "BZK", "RIJK", -1);
	testfx_add_org(&f->t, "DEF", "RIJK", -1);
	testdb_exec(f->t.db, "UPDATE org SET outside_scope = 1 WHERE code = 'DEF'");
	static const struct account_role_spec r[NACC] = {
		{ROLE_INTEGRITY_COORDINATOR, "FIN"}, {ROLE_MANAGER, "FIN-DGB"},
		{ROLE_INTEGRITY_COORDINATOR, "BZK"}, {ROLE_COORDINATOR, "RIJK"},
		{ROLE_AUDITOR, "RIJK"},              {ROLE_INTEGRITY_COORDINATOR, "DEF"},
		{ROLE_INVESTIGATOR, "FIN"},
	};
	struct account_new n[NACC];
	for (int i = 0; i < NACC; i++)
		n[i] = (struct account_new){users[i], users[i], PW, &r[i], 1};
	if (accounts_create_batch(f->t.db, &f->t.signer, ACTOR, n, NACC, f->ids, &e) != 0)
		fail_msg("accounts: %s", e.msg);
	int added = 0;
	if (frameworks_ensure_shipped(f->t.db, &f->t.signer, &added) != 0)
		fail_msg("frameworks: %s", db_error(f->t.db)->msg);
	assert_true(added >= 2);
	assert_int_equal(frameworks_latest(f->t.db, "basisnormen-2006", &f->basis), 0);
	assert_int_equal(frameworks_latest(f->t.db, "oecd-integrity-2017", &f->oecd), 0);
	f->fin = org_id(f, "FIN");
	f->bzk = org_id(f, "BZK");
	f->def = org_id(f, "DEF");
	f->dgb = org_id(f, "FIN-DGB");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	accounts_shutdown();
	testfx_close(&f->t);
	sodium_memzero(f->sk, sizeof f->sk);
	free(f);
	return 0;
}

static void audit_ok(struct fx *f)
{
	struct audit_report r;
	if (audit_verify(f->t.db, f->t.key.pk, &r) != 0)
		fail_msg("audit: %s", r.reason);
}

static int64_t create(struct fx *f, int who, int64_t dept, int64_t fw, int year)
{
	struct assess_error e;
	int64_t id = 0;
	if (assess_create(f->t.db, &f->t.signer, f->ids[who], dept, fw, year, &id, NULL, &e) != 0)
		fail_msg("create: %s", e.msg);
	assert_true(id > 0);
	return id;
}

/* Judges every requirement of assessment id with j, maturity m. */
static void judge_all(struct fx *f, int who, int64_t id, int j, int m)
{
	struct assess_full a;
	struct assess_error e;
	assert_int_equal(assess_read(f->t.db, f->ids[who], id, &a, &e), 0);
	struct assess_item_in *in = calloc(a.fw.nreqs, sizeof *in);
	for (size_t i = 0; i < a.fw.nreqs; i++)
		in[i] = (struct assess_item_in){a.fw.reqs[i].code,
						{{(unsigned char)j, (unsigned char)j,
						  (unsigned char)j},
						 (unsigned char)m},
						NULL};
	struct assess_save s = {.items = in, .nitems = a.fw.nreqs};
	if (assess_save(f->t.db, &f->t.signer, f->ids[who], id, &s, &e) != 0)
		fail_msg("save: %s", e.msg);
	free(in);
	assess_full_free(&a);
}

static void test_caps(void **state)
{
	struct fx *f = *state;
	unsigned c;
	const unsigned all = ASSESS_CAP_DRAFT | ASSESS_CAP_SIGN | ASSESS_CAP_READ;
	assert_int_equal(assess_caps(f->t.db, f->fin, f->ids[IC_FIN], &c), 0);
	assert_int_equal(c, all);
	/* a manager at a unit drafts for its department, never signs off */
	assert_int_equal(assess_caps(f->t.db, f->fin, f->ids[MGR_DGB], &c), 0);
	assert_int_equal(c, ASSESS_CAP_DRAFT | ASSESS_CAP_READ);
	assert_int_equal(assess_caps(f->t.db, f->bzk, f->ids[MGR_DGB], &c), 0);
	assert_int_equal(c, 0);
	assert_int_equal(assess_caps(f->t.db, f->fin, f->ids[IC_BZK], &c), 0);
	assert_int_equal(c, 0);
	assert_int_equal(assess_caps(f->t.db, f->fin, f->ids[COORD], &c), 0);
	assert_int_equal(c, ASSESS_CAP_REVIEW | ASSESS_CAP_READ);
	assert_int_equal(assess_caps(f->t.db, f->fin, f->ids[AUD], &c), 0);
	assert_int_equal(c, ASSESS_CAP_READ);
	assert_int_equal(assess_caps(f->t.db, f->fin, f->ids[INV_FIN], &c), 0);
	assert_int_equal(c, 0);
	/* Defence: its own integrity coordinator only; never the coordinator or
	 * the auditor */
	assert_int_equal(assess_caps(f->t.db, f->def, f->ids[IC_DEF], &c), 0);
	assert_int_equal(c, all);
	assert_int_equal(assess_caps(f->t.db, f->def, f->ids[COORD], &c), 0);
	assert_int_equal(c, 0);
	assert_int_equal(assess_caps(f->t.db, f->def, f->ids[AUD], &c), 0);
	assert_int_equal(c, 0);
	/* a unit is no department */
	assert_int_equal(assess_caps(f->t.db, f->dgb, f->ids[MGR_DGB], &c), 0);
	assert_int_equal(c, 0);
	/* a disabled account may do nothing */
	int changed = 0;
	struct account_error ae;
	assert_int_equal(accounts_set_disabled(f->t.db, &f->t.signer, ACTOR, f->ids[IC_BZK], 1,
					       &changed, &ae), 0);
	assert_int_equal(assess_caps(f->t.db, f->bzk, f->ids[IC_BZK], &c), 0);
	assert_int_equal(c, 0);
	assert_int_equal(accounts_set_disabled(f->t.db, &f->t.signer, ACTOR, f->ids[IC_BZK], 0,
					       &changed, &ae), 0);
}

static void test_create_and_read(void **state)
{
	struct fx *f = *state;
	struct assess_error e;
	int64_t id = 0;
	size_t pre = 99;
	int64_t before = q(f, "SELECT count(*) FROM audit_log");
	assert_int_equal(assess_create(f->t.db, &f->t.signer, f->ids[IC_FIN], f->fin, f->basis,
				       2024, &id, &pre, &e), 0);
	assert_true(id > 0);
	assert_int_equal(pre, 0);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'assess.create'"), 1);
	assert_true(q(f, "SELECT count(*) FROM audit_log") > before);
	/* one per department, framework code and year; nothing written */
	int64_t rows = q(f, "SELECT count(*) FROM assessment");
	assert_int_equal(assess_create(f->t.db, &f->t.signer, f->ids[MGR_DGB], f->fin, f->basis,
				       2024, &id, NULL, &e), -1);
	assert_int_equal(e.code, ASSESS_ECONFLICT);
	/* another department's coordinator, the coordinator, an auditor, an
	 * investigator: not theirs to draft */
	const int no[] = {IC_BZK, COORD, AUD, INV_FIN};
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
		assert_int_equal(assess_create(f->t.db, &f->t.signer, f->ids[no[i]], f->fin,
					       f->basis, 2023, &id, NULL, &e), -1);
		assert_int_equal(e.code, ASSESS_ENOTFOUND);
	}
	assert_int_equal(assess_create(f->t.db, &f->t.signer, f->ids[IC_FIN], f->fin, f->basis,
				       1999, &id, NULL, &e), -1);
	assert_int_equal(e.code, ASSESS_EINVALID);
	assert_int_equal(assess_create(f->t.db, &f->t.signer, f->ids[IC_FIN], f->fin, 9999, 2023,
				       &id, NULL, &e), -1);
	assert_int_equal(e.code, ASSESS_EINVALID);
	assert_int_equal(assess_create(f->t.db, &f->t.signer, f->ids[MGR_DGB], f->dgb, f->basis,
				       2023, &id, NULL, &e), -1);
	assert_int_equal(e.code, ASSESS_EINVALID);
	assert_int_equal(q(f, "SELECT count(*) FROM assessment"), rows);

	int64_t a1 = q(f, "SELECT id FROM assessment WHERE year = 2024");
	struct assess_full a;
	assert_int_equal(assess_read(f->t.db, f->ids[AUD], a1, &a, &e), 0);
	assert_int_equal(a.caps, ASSESS_CAP_READ);
	assert_int_equal(a.row.status, ASSESS_DRAFT);
	assert_string_equal(a.row.dept_code, "FIN");
	assert_string_equal(a.row.fw_code, "basisnormen-2006");
	assert_int_equal(a.row.year, 2024);
	assert_int_equal(a.fw.ngroups, 13);
	for (size_t i = 0; i < a.fw.nreqs; i++)
		assert_int_equal(a.items[i].marks.dim[0], ASSESS_J_NONE);
	assess_full_free(&a);
	assert_int_equal(assess_read(f->t.db, f->ids[IC_BZK], a1, &a, &e), -1);
	assert_int_equal(e.code, ASSESS_ENOTFOUND);
	assert_int_equal(assess_read(f->t.db, f->ids[INV_FIN], a1, &a, &e), -1);
	assert_int_equal(e.code, ASSESS_ENOTFOUND);
	assert_int_equal(assess_read(f->t.db, f->ids[IC_FIN], 424242, &a, &e), -1);
	assert_int_equal(e.code, ASSESS_ENOTFOUND);

	/* the key: sealed to the integrity coordinator, the manager and the
	 * coordinator, never to the auditor or another department */
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM assessment_key WHERE assessment_id = %lld "
		 "AND holder = 'account'", (long long)a1);
	assert_int_equal(q(f, sql), 3);
	for (int who = 0; who < NACC; who++) {
		snprintf(sql, sizeof sql, "SELECT count(*) FROM assessment_key WHERE assessment_id = "
			 "%lld AND account_id = %lld", (long long)a1, (long long)f->ids[who]);
		assert_int_equal(q(f, sql), who == IC_FIN || who == MGR_DGB || who == COORD);
	}

	/* Defence's assessment: its coordinator alone; the coordinator of the
	 * government neither reads it nor holds its key */
	int64_t d = create(f, IC_DEF, f->def, f->basis, 2024);
	assert_int_equal(assess_read(f->t.db, f->ids[COORD], d, &a, &e), -1);
	assert_int_equal(e.code, ASSESS_ENOTFOUND);
	assert_int_equal(assess_read(f->t.db, f->ids[AUD], d, &a, &e), -1);
	assert_int_equal(e.code, ASSESS_ENOTFOUND);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM assessment_key WHERE assessment_id = %lld "
		 "AND holder = 'account'", (long long)d);
	assert_int_equal(q(f, sql), 1);
	unsigned char key[ENVELOPE_KEY_BYTES];
	assert_int_equal(assess_key_open(f->t.db, &f->t.signer, f->ids[COORD], sk(f, COORD), d, key,
					 &e), -1);
	assert_int_equal(e.code, ASSESS_ENOTFOUND);
	audit_ok(f);
}

static void test_save(void **state)
{
	struct fx *f = *state;
	struct assess_error e;
	int64_t id = q(f, "SELECT id FROM assessment WHERE org_id = (SELECT id FROM org WHERE "
			  "code = 'FIN') AND year = 2024");
	struct assess_item_in items[2] = {
		{"1.1", {{ASSESS_J_ADEQUATE, ASSESS_J_PARTLY, ASSESS_J_ABSENT}, ASSESS_M_EMERGING},
		 "Beleid vastgesteld in 2023.\nWerking nog niet getoetst."},
		{"1.2", {{ASSESS_J_ADEQUATE, ASSESS_J_ADEQUATE, ASSESS_J_NONE}, ASSESS_M_NONE}, ""},
	};
	struct assess_action_in acts[1] = {
		{0, "1.1", "Werking toetsen met een enquête", "Afdeling HR", "2025-06-30",
		 ASSESS_AP_OPEN, 0}};
	struct assess_evidence_in link = {"1.1", "https://intranet.example/beleid.pdf", {0}};
	struct assess_save s = {.items = items, .nitems = 2, .actions = acts, .nactions = 1,
				.add = &link, .nadd = 1};
	int64_t audit0 = q(f, "SELECT count(*) FROM audit_log");

	/* refusals: each leaves nothing changed */
	struct assess_action_in bad_act = acts[0];
	bad_act.due = "2025-02-30";
	struct assess_save bad = s;
	bad.actions = &bad_act;
	assert_int_equal(assess_save(f->t.db, &f->t.signer, f->ids[IC_FIN], id, &bad, &e), -1);
	assert_int_equal(e.code, ASSESS_EINVALID);
	struct assess_evidence_in badlink = {"1.1", "javascript:alert(1)", {0}};
	bad = s;
	bad.add = &badlink;
	assert_int_equal(assess_save(f->t.db, &f->t.signer, f->ids[IC_FIN], id, &bad, &e), -1);
	assert_int_equal(e.code, ASSESS_EINVALID);
	struct assess_item_in badreq = {"99.9", {{1, 1, 1}, 0}, NULL};
	bad = s;
	bad.items = &badreq;
	bad.nitems = 1;
	assert_int_equal(assess_save(f->t.db, &f->t.signer, f->ids[IC_FIN], id, &bad, &e), -1);
	assert_int_equal(e.code, ASSESS_ENOTFOUND);
	char longc[ASSESS_COMMENT_MAX + 2];
	memset(longc, 'x', sizeof longc - 1);
	longc[sizeof longc - 1] = 0;
	struct assess_item_in toolong = {"1.1", {{1, 1, 1}, 0}, longc};
	bad = s;
	bad.items = &toolong;
	bad.nitems = 1;
	assert_int_equal(assess_save(f->t.db, &f->t.signer, f->ids[IC_FIN], id, &bad, &e), -1);
	assert_int_equal(e.code, ASSESS_EINVALID);
	struct assess_item_in range = {"1.1", {{4, 1, 1}, 0}, NULL};
	bad.items = &range;
	assert_int_equal(assess_save(f->t.db, &f->t.signer, f->ids[IC_FIN], id, &bad, &e), -1);
	assert_int_equal(e.code, ASSESS_EINVALID);
	/* a file without the key */
	struct assess_evidence_in file = {"1.2", NULL, {(const unsigned char *)"%PDF-1.4 x", 10,
							"application/pdf", "notulen.pdf"}};
	bad = s;
	bad.add = &file;
	assert_int_equal(assess_save(f->t.db, &f->t.signer, f->ids[IC_FIN], id, &bad, &e), -1);
	assert_int_equal(e.code, ASSESS_ENOKEY);
	/* readers and strangers */
	assert_int_equal(assess_save(f->t.db, &f->t.signer, f->ids[AUD], id, &s, &e), -1);
	assert_int_equal(e.code, ASSESS_EDENIED);
	assert_int_equal(assess_save(f->t.db, &f->t.signer, f->ids[COORD], id, &s, &e), -1);
	assert_int_equal(e.code, ASSESS_EDENIED);
	assert_int_equal(assess_save(f->t.db, &f->t.signer, f->ids[IC_BZK], id, &s, &e), -1);
	assert_int_equal(e.code, ASSESS_ENOTFOUND);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log"), audit0);
	assert_int_equal(q(f, "SELECT count(*) FROM assessment_action"), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM assessment_evidence"), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM assessment_item WHERE updated_at IS NOT NULL"), 0);

	/* the manager saves */
	assert_int_equal(assess_save(f->t.db, &f->t.signer, f->ids[MGR_DGB], id, &s, &e), 0);
	struct assess_full a;
	assert_int_equal(assess_read(f->t.db, f->ids[IC_FIN], id, &a, &e), 0);
	assert_int_equal(a.items[0].marks.dim[ASSESS_DESIGN], ASSESS_J_ADEQUATE);
	assert_int_equal(a.items[0].marks.dim[ASSESS_OPERATION], ASSESS_J_ABSENT);
	assert_int_equal(a.items[0].marks.maturity, ASSESS_M_EMERGING);
	assert_string_equal(a.items[0].comment,
			    "Beleid vastgesteld in 2023.\nWerking nog niet getoetst.");
	assert_int_equal(a.nactions, 1);
	assert_string_equal(a.actions[0].owner, "Afdeling HR");
	assert_string_equal(a.actions[0].due, "2025-06-30");
	assert_int_equal(a.nevidence, 1);
	assert_false(a.evidence[0].is_file);
	assert_string_equal(a.evidence[0].url, "https://intranet.example/beleid.pdf");
	int64_t act_id = a.actions[0].id, link_id = a.evidence[0].id;
	/* the scores of what was saved */
	struct assess_marks *m = assess_full_marks(&a);
	struct assess_scores sc;
	assess_score(&a.fw, m, &sc);
	assert_int_equal(sc.reqs[0].centi, 5000);
	assert_int_equal(sc.reqs[1].centi, 10000);
	assert_int_equal(sc.groups[0].centi, 7500);
	assess_scores_free(&sc);
	free(m);
	assess_full_free(&a);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'assess.update'"), 1);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = "
			      "'assess.evidence_add'"), 1);
	/* no comment in the audit trail */
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE detail LIKE '%Beleid%'"), 0);

	/* update and remove an action point, remove the link; another
	 * assessment's items are not reachable */
	struct assess_action_in upd[2] = {
		{act_id, NULL, "Enquête uitgezet", "HR", "", ASSESS_AP_IN_PROGRESS, 0},
		{0, "1.2", "Gesprekken plannen", "", NULL, ASSESS_AP_OPEN, 0}};
	struct assess_save s2 = {.actions = upd, .nactions = 2, .drop_evidence = &link_id,
				 .ndrop = 1};
	assert_int_equal(assess_save(f->t.db, &f->t.signer, f->ids[IC_FIN], id, &s2, &e), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM assessment_evidence"), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM assessment_action WHERE status = 'in_progress' "
			      "AND due_on IS NULL"), 1);
	int64_t other = create(f, IC_BZK, f->bzk, f->basis, 2024);
	struct assess_action_in drop = {act_id, NULL, NULL, NULL, NULL, 0, 1};
	struct assess_save s3 = {.actions = &drop, .nactions = 1};
	assert_int_equal(assess_save(f->t.db, &f->t.signer, f->ids[IC_BZK], other, &s3, &e), -1);
	assert_int_equal(e.code, ASSESS_ENOTFOUND);
	assert_int_equal(q(f, "SELECT count(*) FROM assessment_action"), 2);
	audit_ok(f);
}

static void test_evidence_files(void **state)
{
	struct fx *f = *state;
	struct assess_error e;
	int64_t id = q(f, "SELECT id FROM assessment WHERE org_id = (SELECT id FROM org WHERE "
			  "code = 'FIN') AND year = 2024");
	unsigned char key[ENVELOPE_KEY_BYTES];
	/* the auditor reads the assessment but holds no key */
	assert_int_equal(assess_key_open(f->t.db, &f->t.signer, f->ids[AUD], sk(f, AUD), id, key, &e),
			 -1);
	assert_int_equal(e.code, ASSESS_ENOKEY);
	assert_int_equal(assess_key_open(f->t.db, &f->t.signer, f->ids[IC_BZK], sk(f, IC_BZK), id,
					 key, &e), -1);
	assert_int_equal(e.code, ASSESS_ENOTFOUND);
	assert_int_equal(assess_key_open(f->t.db, &f->t.signer, f->ids[MGR_DGB], sk(f, MGR_DGB), id,
					 key, &e), 0);
	const char body[] = "%PDF-1.4\nMARKER-EVIDENCE-FILE-7731 vertrouwelijk verslag\n%%EOF\n";
	struct assess_evidence_in file = {"1.3", NULL,
					  {(const unsigned char *)body, sizeof body - 1,
					   "application/pdf", "MARKER-NAME-5521.pdf"}};
	struct assess_save s = {.add = &file, .nadd = 1, .key = key};
	assert_int_equal(assess_save(f->t.db, &f->t.signer, f->ids[MGR_DGB], id, &s, &e), 0);
	int64_t evid = q(f, "SELECT max(id) FROM assessment_evidence");

	/* read back with the coordinator's own key */
	unsigned char key2[ENVELOPE_KEY_BYTES];
	assert_int_equal(assess_key_open(f->t.db, &f->t.signer, f->ids[COORD], sk(f, COORD), id,
					 key2, &e), 0);
	assert_memory_equal(key, key2, sizeof key);
	struct assess_evidence info;
	unsigned char *data = NULL;
	size_t len = 0;
	assert_int_equal(assess_evidence_get(f->t.db, key2, id, evid, &info, &data, &len, &e), 0);
	assert_int_equal(len, sizeof body - 1);
	assert_memory_equal(data, body, len);
	assert_string_equal(info.name, "MARKER-NAME-5521.pdf");
	assert_string_equal(info.mime, "application/pdf");
	vault_secure_free(data);
	/* names for the list */
	struct assess_full a;
	assert_int_equal(assess_read(f->t.db, f->ids[COORD], id, &a, &e), 0);
	assert_int_equal(assess_evidence_names(f->t.db, key2, &a, &e), 0);
	int found = 0;
	for (size_t i = 0; i < a.nevidence; i++)
		found |= a.evidence[i].is_file && strcmp(a.evidence[i].name, "MARKER-NAME-5521.pdf") == 0;
	assert_true(found);
	assess_full_free(&a);
	/* another assessment's id, or another evidence id, opens nothing */
	int64_t other = q(f, "SELECT id FROM assessment WHERE org_id = (SELECT id FROM org WHERE "
			     "code = 'BZK')");
	assert_int_equal(assess_evidence_get(f->t.db, key2, other, evid, &info, &data, &len, &e), -1);
	assert_int_equal(e.code, ASSESS_ENOTFOUND);
	assert_int_equal(assess_evidence_get(f->t.db, key2, id, evid + 100, &info, &data, &len, &e),
			 -1);
	assert_int_equal(e.code, ASSESS_ENOTFOUND);
	assert_null(data);

	sodium_memzero(key, sizeof key);
	sodium_memzero(key2, sizeof key2);
	audit_ok(f);
	/* no marker in the database file or its log */
	if (!testdb_sqlite_part("scans SQLite's database file; the browser suite scans a "
				"pg_dump on PostgreSQL"))
		return;
	testdb_exec(f->t.db, "PRAGMA wal_checkpoint(TRUNCATE)");
	size_t n = 0;
	char *bytes = read_file_bytes(f->t.db_path, &n);
	if (!bytes) {
		fail_msg("the database file cannot be read");
		return;
	}
	assert_null(memmem(bytes, n, "MARKER-EVIDENCE-FILE", 20));
	assert_null(memmem(bytes, n, "MARKER-NAME", 11));
	free(bytes);
}

static void test_key_for_someone_appointed_later(void **state)
{
	struct fx *f = *state;
	struct assess_error e;
	struct account_error ae;
	int64_t id = q(f, "SELECT id FROM assessment WHERE org_id = (SELECT id FROM org WHERE "
			  "code = 'FIN') AND year = 2024");
	/* the investigator becomes a manager at FIN: no key yet */
	assert_int_equal(accounts_role_add(f->t.db, &f->t.signer, ACTOR, f->ids[INV_FIN],
					   ROLE_MANAGER, "FIN", &ae), 0);
	unsigned char key[ENVELOPE_KEY_BYTES], mine[ENVELOPE_KEY_BYTES];
	assert_int_equal(assess_key_open(f->t.db, &f->t.signer, f->ids[INV_FIN], sk(f, INV_FIN), id,
					 mine, &e), -1);
	assert_int_equal(e.code, ASSESS_ENOKEY);
	/* a holder opens it: the new manager gets a copy, audited */
	int64_t shares = q(f, "SELECT count(*) FROM audit_log WHERE action = 'assess.key_share'");
	assert_int_equal(assess_key_open(f->t.db, &f->t.signer, f->ids[IC_FIN], sk(f, IC_FIN), id,
					 key, &e), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'assess.key_share'"),
			 shares + 1);
	assert_int_equal(assess_key_open(f->t.db, &f->t.signer, f->ids[INV_FIN], sk(f, INV_FIN), id,
					 mine, &e), 0);
	assert_memory_equal(key, mine, sizeof key);
	/* nothing more to share: no second entry */
	assert_int_equal(assess_key_open(f->t.db, &f->t.signer, f->ids[IC_FIN], sk(f, IC_FIN), id,
					 key, &e), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action = 'assess.key_share'"),
			 shares + 1);
	/* the role taken away: the copy stays, but it no longer opens here */
	assert_int_equal(accounts_role_remove(f->t.db, &f->t.signer, ACTOR, f->ids[INV_FIN],
					      ROLE_MANAGER, "FIN", &ae), 0);
	assert_int_equal(assess_key_open(f->t.db, &f->t.signer, f->ids[INV_FIN], sk(f, INV_FIN), id,
					 mine, &e), -1);
	assert_int_equal(e.code, ASSESS_ENOTFOUND);
	sodium_memzero(key, sizeof key);
	sodium_memzero(mine, sizeof mine);
	audit_ok(f);
}

static void test_workflow(void **state)
{
	struct fx *f = *state;
	struct assess_error e;
	int64_t id = q(f, "SELECT id FROM assessment WHERE org_id = (SELECT id FROM org WHERE "
			  "code = 'FIN') AND year = 2024");
	/* incomplete: refused with the count */
	assert_int_equal(assess_sign_off(f->t.db, &f->t.signer, f->ids[IC_FIN], id, &e), -1);
	assert_int_equal(e.code, ASSESS_EINCOMPLETE);
	assert_true(e.open_reqs > 40);
	judge_all(f, MGR_DGB, id, ASSESS_J_ADEQUATE, ASSESS_M_ESTABLISHED);
	/* a manager, the coordinator, an auditor do not sign off */
	assert_int_equal(assess_sign_off(f->t.db, &f->t.signer, f->ids[MGR_DGB], id, &e), -1);
	assert_int_equal(e.code, ASSESS_EDENIED);
	assert_int_equal(assess_sign_off(f->t.db, &f->t.signer, f->ids[COORD], id, &e), -1);
	assert_int_equal(e.code, ASSESS_EDENIED);
	assert_int_equal(assess_sign_off(f->t.db, &f->t.signer, f->ids[IC_BZK], id, &e), -1);
	assert_int_equal(e.code, ASSESS_ENOTFOUND);
	/* review before sign-off */
	assert_int_equal(assess_review(f->t.db, &f->t.signer, f->ids[COORD], id, "Goed", &e), -1);
	assert_int_equal(e.code, ASSESS_ECONFLICT);
	assert_int_equal(assess_sign_off(f->t.db, &f->t.signer, f->ids[IC_FIN], id, &e), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM assessment WHERE status = 'signed_off'"), 1);
	/* read-only now */
	struct assess_item_in it = {"1.1", {{1, 1, 1}, 0}, NULL};
	struct assess_save s = {.items = &it, .nitems = 1};
	assert_int_equal(assess_save(f->t.db, &f->t.signer, f->ids[IC_FIN], id, &s, &e), -1);
	assert_int_equal(e.code, ASSESS_ECONFLICT);
	assert_int_equal(assess_sign_off(f->t.db, &f->t.signer, f->ids[IC_FIN], id, &e), -1);
	assert_int_equal(e.code, ASSESS_ECONFLICT);
	/* review: only the coordinator, with a comment */
	assert_int_equal(assess_review(f->t.db, &f->t.signer, f->ids[IC_FIN], id, "Goed", &e), -1);
	assert_int_equal(e.code, ASSESS_EDENIED);
	assert_int_equal(assess_review(f->t.db, &f->t.signer, f->ids[AUD], id, "Goed", &e), -1);
	assert_int_equal(e.code, ASSESS_EDENIED);
	assert_int_equal(assess_review(f->t.db, &f->t.signer, f->ids[COORD], id, "  \n", &e), -1);
	assert_int_equal(e.code, ASSESS_EINVALID);
	/* returned with a reason: a draft again, the sign-off undone */
	assert_int_equal(assess_return(f->t.db, &f->t.signer, f->ids[COORD], id, "", &e), -1);
	assert_int_equal(e.code, ASSESS_EINVALID);
	assert_int_equal(assess_return(f->t.db, &f->t.signer, f->ids[COORD], id,
				       "Norm 4 onderbouwen", &e), 0);
	struct assess_full a;
	assert_int_equal(assess_read(f->t.db, f->ids[IC_FIN], id, &a, &e), 0);
	assert_int_equal(a.row.status, ASSESS_DRAFT);
	assert_string_equal(a.row.signed_off_at, "");
	assert_string_equal(a.row.return_reason, "Norm 4 onderbouwen");
	assert_string_equal(a.row.returned_by, "coord");
	assess_full_free(&a);
	assert_int_equal(assess_save(f->t.db, &f->t.signer, f->ids[IC_FIN], id, &s, &e), 0);
	assert_int_equal(assess_sign_off(f->t.db, &f->t.signer, f->ids[IC_FIN], id, &e), 0);
	assert_int_equal(assess_review(f->t.db, &f->t.signer, f->ids[COORD], id,
				       "Beoordeeld; aandacht voor norm 4.", &e), 0);
	assert_int_equal(assess_read(f->t.db, f->ids[AUD], id, &a, &e), 0);
	assert_int_equal(a.row.status, ASSESS_REVIEWED);
	assert_string_equal(a.row.review_comment, "Beoordeeld; aandacht voor norm 4.");
	assert_string_equal(a.row.reviewed_by, "coord");
	assert_string_equal(a.row.signed_off_by, "ic.fin");
	assess_full_free(&a);
	/* a reviewed assessment is the record */
	assert_int_equal(assess_return(f->t.db, &f->t.signer, f->ids[COORD], id, "Toch niet", &e), -1);
	assert_int_equal(e.code, ASSESS_ECONFLICT);
	assert_int_equal(assess_save(f->t.db, &f->t.signer, f->ids[IC_FIN], id, &s, &e), -1);
	assert_int_equal(e.code, ASSESS_ECONFLICT);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log WHERE action IN ('assess.sign_off', "
			      "'assess.review', 'assess.return')"), 4);
	int64_t fid = 0;
	assert_int_equal(assess_final_for(f->t.db, f->fin, "basisnormen-2006", 2024, &fid), 0);
	assert_int_equal(fid, id);
	assert_int_equal(assess_final_for(f->t.db, f->bzk, "basisnormen-2006", 2024, &fid), 1);
	audit_ok(f);
}

static void test_prefill_and_change(void **state)
{
	struct fx *f = *state;
	struct assess_error e;
	int64_t prev = q(f, "SELECT id FROM assessment WHERE org_id = (SELECT id FROM org WHERE "
			    "code = 'FIN') AND year = 2024");
	int64_t id = 0;
	size_t pre = 0;
	/* the same framework code: every requirement copied and marked */
	assert_int_equal(assess_create(f->t.db, &f->t.signer, f->ids[IC_FIN], f->fin, f->basis,
				       2025, &id, &pre, &e), 0);
	struct assess_full a;
	assert_int_equal(assess_read(f->t.db, f->ids[IC_FIN], id, &a, &e), 0);
	assert_int_equal(pre, a.fw.nreqs);
	assert_int_equal(a.row.prefilled_from, prev);
	assert_true(a.items[3].prefilled);
	assert_int_equal(a.items[3].marks.dim[ASSESS_EXISTENCE], ASSESS_J_ADEQUATE);
	assert_int_equal(a.items[3].marks.maturity, ASSESS_M_ESTABLISHED);
	/* saving a requirement clears its mark */
	char first[FW_CODE_MAX + 1];
	snprintf(first, sizeof first, "%s", a.fw.reqs[0].code);
	assess_full_free(&a);
	struct assess_item_in it = {first, {{2, 2, 2}, 1}, NULL};
	struct assess_save s = {.items = &it, .nitems = 1};
	assert_int_equal(assess_save(f->t.db, &f->t.signer, f->ids[IC_FIN], id, &s, &e), 0);
	assert_int_equal(assess_read(f->t.db, f->ids[IC_FIN], id, &a, &e), 0);
	assert_false(a.items[0].prefilled);
	assert_true(a.items[1].prefilled);
	assess_full_free(&a);

	/* the change: group 1 went from (0 + 4 x 100) / 5 = 80 (1.1 judged
	 * absent in 2024) to (50 + 4 x 100) / 5 = 90 */
	int64_t p = 0;
	assert_int_equal(assess_previous(f->t.db, id, &p), 0);
	assert_int_equal(p, prev);
	assert_int_equal(assess_previous(f->t.db, prev, &p), 1);
	struct assess_score *g1, *g0, o1, o0;
	char(*c1)[FW_CODE_MAX + 1], (*c0)[FW_CODE_MAX + 1];
	size_t n1, n0;
	assert_int_equal(assess_group_scores(f->t.db, id, &g1, &c1, &n1, &o1, NULL), 0);
	assert_int_equal(assess_group_scores(f->t.db, prev, &g0, &c0, &n0, &o0, NULL), 0);
	assert_int_equal(n1, 13);
	assert_string_equal(c1[0], "1");
	assert_int_equal(g1[0].shown, 90);
	assert_int_equal(g0[0].shown, 80);
	int has = 0;
	assert_int_equal(assess_change(&g1[0], &g0[0], &has), 10);
	assert_true(has);
	free(g1);
	free(g0);
	free(c1);
	free(c0);

	/* through the mapping: BZK judged the basic norms in 2024; its OECD
	 * assessment of 2025 starts from them. Norm 1 maps to principles 1, 3
	 * and 6; several norms on one principle give the lowest judgement. */
	int64_t bzk24 = q(f, "SELECT id FROM assessment WHERE org_id = (SELECT id FROM org WHERE "
			     "code = 'BZK') AND year = 2024");
	judge_all(f, IC_BZK, bzk24, ASSESS_J_PARTLY, ASSESS_M_EMERGING);
	struct assess_item_in low = {"1.1", {{ASSESS_J_ABSENT, ASSESS_J_PARTLY, ASSESS_J_PARTLY},
					     ASSESS_M_NASCENT}, NULL};
	struct assess_save sl = {.items = &low, .nitems = 1};
	assert_int_equal(assess_save(f->t.db, &f->t.signer, f->ids[IC_BZK], bzk24, &sl, &e), 0);
	assert_int_equal(assess_create(f->t.db, &f->t.signer, f->ids[IC_BZK], f->bzk, f->oecd, 2025,
				       &id, &pre, &e), 0);
	assert_true(pre > 0);
	assert_int_equal(assess_read(f->t.db, f->ids[IC_BZK], id, &a, &e), 0);
	assert_int_equal(a.row.prefilled_from, bzk24);
	int g = framework_group(&a.fw, "1");
	assert_true(g >= 0);
	size_t r = a.fw.groups[g].first;
	assert_true(a.items[r].prefilled);
	assert_int_equal(a.items[r].marks.dim[ASSESS_DESIGN], ASSESS_J_ABSENT);
	assert_int_equal(a.items[r].marks.dim[ASSESS_EXISTENCE], ASSESS_J_PARTLY);
	assert_int_equal(a.items[r].marks.maturity, ASSESS_M_NASCENT);
	assess_full_free(&a);
	/* DEF has no earlier assessment of either: nothing prefilled */
	assert_int_equal(assess_create(f->t.db, &f->t.signer, f->ids[IC_DEF], f->def, f->oecd, 2023,
				       &id, &pre, &e), 0);
	assert_int_equal(pre, 0);
	audit_ok(f);
}

static void test_list(void **state)
{
	struct fx *f = *state;
	struct assess_list_item items[20];
	size_t n = 0;
	int64_t depts[2] = {f->fin, f->bzk};
	assert_int_equal(assess_list(f->t.db, depts, 2, items, 20, &n), 0);
	assert_int_equal(n, 4);
	/* newest year first, then department */
	assert_int_equal(items[0].year, 2025);
	assert_string_equal(items[0].dept_code, "BZK");
	assert_string_equal(items[0].fw_code, "oecd-integrity-2017");
	assert_int_equal(items[0].fw_revision, 1);
	assert_string_equal(items[1].dept_code, "FIN");
	assert_int_equal(items[3].year, 2024);
	assert_string_equal(items[3].dept_code, "FIN");
	assert_int_equal(items[3].status, ASSESS_REVIEWED);
	for (size_t i = 0; i < n; i++)
		assert_string_not_equal(items[i].dept_code, "DEF");
	assert_int_equal(assess_list(f->t.db, depts, 2, items, 2, &n), 0);
	assert_int_equal(n, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_create_and_read),
		cmocka_unit_test(test_save),
		cmocka_unit_test(test_evidence_files),
		cmocka_unit_test(test_key_for_someone_appointed_later),
		cmocka_unit_test(test_workflow),
		cmocka_unit_test(test_prefill_and_change),
		cmocka_unit_test(test_list),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, setup, teardown);
}
