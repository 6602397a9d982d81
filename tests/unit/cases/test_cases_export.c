/* test_cases_export.c: a case exported as a bundle (src/cases/export.c)
 * against a real database: a case with a report (answers, identity, a
 * message, a handler's note, an attachment), records (the authority summary
 * among them), a team note, a person involved, a case file and a move,
 * exported by a member and checked intact against the
 * server's key, every text and file found in its part, the bytes of the
 * attachments exact; one byte flipped in each part, then in the manifest
 * and in the signature, names exactly that part; "case.export" in the audit
 * trail with the manifest's hash and no content; a removed member, an
 * outsider and a competent authority export nothing, write nothing and
 * leave no audit entry; a failing disk gives -2 and no audit entry. */
#include <errno.h>
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
#include "cases/bundle.h"
#include "cases/dataset.h"
#include "cases/export.h"
#include "casesfx.h"

#define MARK_ANSWER "MARK-ANSWER-kw81"
#define MARK_IDENTITY "MARK-IDENTITY-pq27"
#define MARK_MESSAGE "MARK-MESSAGE-zz04"
#define MARK_RNOTE "MARK-REPORTNOTE-hj55"
#define MARK_RECORD "MARK-RECORD-ab12"
#define MARK_SUMMARY "MARK-SUMMARY-cd34"
#define MARK_NOTE "MARK-NOTE-ef56"
#define MARK_PERSON "MARK-PERSON-gh78"

static const char pdf[] = "%PDF-1.4\n% MARK-FILE-bytes\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
static const char casepdf[] = "%PDF-1.4\n% MARK-CASEFILE-bytes\n%%EOF\n";

struct fixture {
	int64_t report, id;
	struct cases_key kc;
};

static void build(struct cfx *f, struct fixture *x)
{
	struct cases_error e;
	struct intake_error ie;
	char receipt[RECEIPT_SHOWN_SIZE];
	const char *answers = "{\"what\":\"" MARK_ANSWER "\"}";
	struct intake_file file = {(const unsigned char *)pdf, sizeof pdf - 1, "application/pdf",
				   "Notulen overleg.PDF"};
	struct intake_submission s = {.org_code = "FIN", .kind = "integrity_violation",
				      .mode = "confidential", .questionnaire = "melding",
				      .questionnaire_revision = 1, .answers = answers,
				      .answers_len = strlen(answers), .identity = MARK_IDENTITY,
				      .files = &file, .nfiles = 1};
	if (intake_submit(f->t.db, &f->t.signer, &s, receipt, &x->report, &ie) != 0)
		fail_msg("submit: %s", ie.msg);
	sodium_memzero(receipt, sizeof receipt);
	struct intake_key rk;
	struct intake_error ie2;
	if (intake_key_as_handler(f->t.db, x->report, f->ids[COORD_FIN], cfx_sk(f, COORD_FIN), &rk,
				  &ie2) != 0)
		fail_msg("report key: %s", ie2.msg);
	assert_int_equal(intake_message_add(f->t.db, &f->t.signer, &rk, f->ids[COORD_FIN],
					    MARK_MESSAGE, strlen(MARK_MESSAGE), NULL, 0, NULL, &ie),
			 0);
	assert_int_equal(intake_note_add(f->t.db, &f->t.signer, &rk, f->ids[COORD_FIN], MARK_RNOTE,
					 strlen(MARK_RNOTE), NULL, &ie),
			 0);
	intake_key_wipe(&rk);

	x->id = cfx_open(f, COORD_FIN, &x->report, 1);
	cfx_key(f, x->id, COORD_FIN, &x->kc);
	cfx_add(f, &x->kc, INV_FIN, "investigator");
	assert_int_equal(cases_record_add(f->t.db, &f->t.signer, &x->kc, f->ids[COORD_FIN],
					  "intake_summary", MARK_RECORD, strlen(MARK_RECORD), NULL,
					  &e),
			 0);
	assert_int_equal(cases_record_add(f->t.db, &f->t.signer, &x->kc, f->ids[COORD_FIN],
					  CASES_RECORD_SUMMARY, MARK_SUMMARY, strlen(MARK_SUMMARY),
					  NULL, &e),
			 0);
	assert_int_equal(cases_note_add(f->t.db, &f->t.signer, &x->kc, f->ids[INV_FIN], MARK_NOTE,
					strlen(MARK_NOTE), NULL, &e),
			 0);
	struct cases_person_in p = {"witness", MARK_PERSON, "Beleidsmedewerker", "toestel 1234"};
	assert_int_equal(cases_person_add(f->t.db, &f->t.signer, &x->kc, f->ids[COORD_FIN], &p,
					  f->today, NULL, &e),
			 0);
	struct intake_file cf = {(const unsigned char *)casepdf, sizeof casepdf - 1,
				 "application/pdf", "verslag.pdf"};
	if (cases_files_add(f->t.db, &f->t.signer, &x->kc, f->ids[COORD_FIN], 0, 0, &cf, 1, NULL,
			    &e) != 0)
		fail_msg("case file: %s", e.msg);
	/* the first phase done and the case moved on, so that phases.json has
	 * a move */
	const struct cases_protocol *pr = cases_data_protocol();
	assert_non_null(pr);
	const struct cases_phase *ph = &pr->phases[0];
	for (size_t i = 0; i < ph->nchecklist; i++)
		if (ph->checklist[i].required &&
		    cases_check(f->t.db, &f->t.signer, &x->kc, f->ids[COORD_FIN],
				ph->checklist[i].id, 1, f->today, &e) != 0)
			fail_msg("tick %s: %s", ph->checklist[i].id, e.msg);
	for (size_t i = 0; i < ph->nrecords; i++) {
		const char *type = pr->record_types[ph->records[i]].id;
		if (strcmp(type, "intake_summary") != 0 &&
		    cases_record_add(f->t.db, &f->t.signer, &x->kc, f->ids[COORD_FIN], type, "stuk",
				     4, NULL, &e) != 0)
			fail_msg("record %s: %s", type, e.msg);
	}
	if (cases_move(f->t.db, &f->t.signer, &x->kc, f->ids[COORD_FIN],
		       pr->phases[ph->next[0]].id, NULL, f->today, NULL, &e) != 0)
		fail_msg("move: %s", e.msg);
}

/* Exports the case of k as who into memory. */
static int export(struct cfx *f, const struct cases_key *k, int who, char **p, size_t *n,
		  struct cases_export_result *res, struct cases_error *e)
{
	FILE *out = open_memstream(p, n);
	assert_non_null(out);
	int rc = cases_export(f->t.db, &f->t.signer, k, f->ids[who], out, res, e);
	fclose(out);
	return rc;
}

struct member {
	char name[100];
	size_t data, size;
};

static size_t members(const char *p, size_t n, struct member *m, size_t cap)
{
	size_t k = 0, at = 0;
	while (at + 512 <= n && p[at] && k < cap) {
		m[k].size = (size_t)strtoull(p + at + 124, NULL, 8);
		snprintf(m[k].name, sizeof m[k].name, "%s", p + at);
		m[k].data = at + 512;
		at += 512 + (m[k].size + 511) / 512 * 512;
		k++;
	}
	return k;
}

/* The member named name, or an empty one (name "", no bytes): never NULL,
 * so that -O3's -Wnull-dereference has nothing to see after a lookup. */
static const struct member *find(const struct member *m, size_t n, const char *name)
{
	static const struct member none;
	for (size_t i = 0; i < n; i++)
		if (strcmp(m[i].name, name) == 0)
			return &m[i];
	return &none;
}

static int part_has(const char *p, const struct member *m, const char *needle)
{
	return m->name[0] && cfx_contains((const unsigned char *)p + m->data, m->size, needle);
}

static void test_export(void **state)
{
	struct cfx *f = *state;
	struct fixture x;
	struct cases_error e;
	struct cases_export_result res;
	char *p = NULL, name[100];
	size_t n = 0;
	build(f, &x);
	int64_t audits = cfx_q(f, "SELECT count(*) FROM audit_log");
	assert_int_equal(export(f, &x.kc, INV_FIN, &p, &n, &res, &e), 0);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log"), audits + 1);

	struct cases_bundle_report r;
	assert_int_equal(cases_bundle_check_mem(p, n, f->t.key.pk, &r), 0);
	if (r.status != CASES_BUNDLE_INTACT)
		fail_msg("status %d: %s %s", r.status, r.problem,
			 r.nissues ? r.issues[0].name : "");
	assert_int_equal(r.case_id, x.id);
	assert_string_equal(r.username, cfx_users[INV_FIN]);
	assert_string_equal(r.org_code, "FIN");
	assert_int_equal(r.nparts, res.parts);
	cases_bundle_report_free(&r);

	struct member m[64];
	size_t nm = members(p, n, m, 64);
	char rd[64];
	snprintf(rd, sizeof rd, "case-%lld/reports/%lld", (long long)x.id, (long long)x.report);
#define PART(fmt, ...) (snprintf(name, sizeof name, fmt, __VA_ARGS__), find(m, nm, name))
	assert_true(part_has(p, PART("case-%lld/records.json", (long long)x.id), MARK_RECORD));
	assert_true(part_has(p, PART("case-%lld/records.json", (long long)x.id), MARK_SUMMARY));
	assert_true(part_has(p, PART("case-%lld/notes.json", (long long)x.id), MARK_NOTE));
	assert_true(part_has(p, PART("case-%lld/people.json", (long long)x.id), MARK_PERSON));
	assert_true(part_has(p, PART("case-%lld/case.json", (long long)x.id), cfx_users[INV_FIN]));
	assert_true(part_has(p, PART("%s/report.json", rd), MARK_ANSWER));
	assert_true(part_has(p, PART("%s/report.json", rd), MARK_IDENTITY));
	assert_true(part_has(p, PART("%s/messages.json", rd), MARK_MESSAGE));
	assert_true(part_has(p, PART("%s/notes.json", rd), MARK_RNOTE));
	assert_true(part_has(p, PART("%s/attachments.json", rd), "Notulen overleg.PDF"));
	assert_true(part_has(p, PART("case-%lld/files.json", (long long)x.id), "verslag.pdf"));
	assert_true(part_has(p, PART("case-%lld/phases.json", (long long)x.id),
			     cases_data_protocol()->phases[0].id));
	/* files are parts of their own, byte for byte, named by id: the
	 * uploaded name stays inside the JSON */
	int64_t att = cfx_q(f, "SELECT max(id) FROM report_attachment");
	const struct member *a = PART("%s/attachments/%lld.pdf", rd, (long long)att);
	assert_true(a->name[0]);
	assert_int_equal(a->size, sizeof pdf - 1);
	assert_memory_equal(p + a->data, pdf, sizeof pdf - 1);
	int64_t cfile = cfx_q(f, "SELECT max(id) FROM case_attachment");
	a = PART("case-%lld/files/%lld.pdf", (long long)x.id, (long long)cfile);
	assert_true(a->name[0]);
	assert_int_equal(a->size, sizeof casepdf - 1);
	assert_memory_equal(p + a->data, casepdf, sizeof casepdf - 1);
	assert_true(PART("case-%lld/README.txt", (long long)x.id)->name[0]);

	/* the audit entry ties the trail to the file, and holds no content */
	char hex[65], want[128];
	sodium_bin2hex(hex, sizeof hex, res.manifest_sha256, sizeof res.manifest_sha256);
	snprintf(want, sizeof want, "parts %zu manifest sha256 %s", res.parts, hex);
	db_stmt_t *st;
	assert_int_equal(db_prepare(f->t.db, "SELECT actor, object_id, detail FROM audit_log "
				    "WHERE action = 'case.export'", &st), 0);
	assert_int_equal(db_step(st), DB_ROW);
	char actor[32], oid[24];
	snprintf(actor, sizeof actor, "user:%lld", (long long)f->ids[INV_FIN]);
	snprintf(oid, sizeof oid, "%lld", (long long)x.id);
	assert_string_equal(db_col_text(st, 0), actor);
	assert_string_equal(db_col_text(st, 1), oid);
	assert_string_equal(db_col_text(st, 2), want);
	db_finalize(st);
	cfx_audit_ok(f);

	free(p);
	cases_key_wipe(&x.kc);
}

/* The brief's test: one byte flipped in each part in turn, then in the
 * manifest and in the signature: exactly that part is named. */
static void test_flip_each_part(void **state)
{
	struct cfx *f = *state;
	struct fixture x;
	struct cases_error e;
	struct cases_export_result res;
	char *p = NULL;
	size_t n = 0;
	build(f, &x);
	assert_int_equal(export(f, &x.kc, COORD_FIN, &p, &n, &res, &e), 0);
	struct member m[64];
	size_t nm = members(p, n, m, 64);
	assert_int_equal(nm, res.parts + 2);
	size_t flipped = 0;
	for (size_t i = 0; i < nm; i++) {
		if (m[i].size == 0)
			continue;
		size_t at = m[i].data + m[i].size / 2;
		p[at] ^= 0x20;
		struct cases_bundle_report r;
		assert_int_equal(cases_bundle_check_mem(p, n, f->t.key.pk, &r), 0);
		if (r.status != CASES_BUNDLE_BROKEN || r.issues_total != 1 ||
		    r.issues[0].kind != CASES_BUNDLE_CHANGED ||
		    strcmp(r.issues[0].name, m[i].name) != 0)
			fail_msg("a byte of %s: status %d, %zu issues, first %s (%s)", m[i].name,
				 r.status, r.issues_total, r.nissues ? r.issues[0].name : "-",
				 r.problem);
		cases_bundle_report_free(&r);
		p[at] ^= 0x20;
		flipped++;
	}
	assert_true(flipped >= 12);
	/* the last two are the manifest and the signature */
	assert_non_null(strstr(m[nm - 2].name, "/manifest.json"));
	assert_non_null(strstr(m[nm - 1].name, "/signature.json"));
	free(p);
	cases_key_wipe(&x.kc);
}

static void test_who_may_export(void **state)
{
	struct cfx *f = *state;
	struct fixture x;
	struct cases_error e;
	struct cases_export_result res;
	struct cases_key ki, ka;
	char *p = NULL;
	size_t n = 0;
	build(f, &x);
	cfx_key(f, x.id, INV_FIN, &ki);
	assert_int_equal(cases_summary_share(f->t.db, &f->t.signer, &x.kc, f->ids[COORD_FIN],
					     f->ids[AUTH_FIN], f->today, &e),
			 0);
	cfx_authority_key(f, x.id, AUTH_FIN, &ka);
	int64_t audits = cfx_q(f, "SELECT count(*) FROM audit_log");

	/* the competent authority holds the summary key only */
	assert_int_equal(export(f, &ka, AUTH_FIN, &p, &n, &res, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	assert_int_equal(n, 0);
	free(p);
	/* a member's key in an outsider's hands writes nothing either */
	assert_int_equal(export(f, &x.kc, INV_BZK, &p, &n, &res, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	assert_int_equal(n, 0);
	free(p);
	/* a member removed since the key was opened */
	assert_int_equal(cases_member_remove(f->t.db, &f->t.signer, x.id, f->ids[COORD_FIN],
					     f->ids[INV_FIN], f->today, &e),
			 0);
	audits++;
	assert_int_equal(export(f, &ki, INV_FIN, &p, &n, &res, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	assert_int_equal(n, 0);
	free(p);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log"), audits);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log WHERE action = 'case.export'"), 0);
	/* the coordinator still may */
	assert_int_equal(export(f, &x.kc, COORD_FIN, &p, &n, &res, &e), 0);
	assert_true(n > 0);
	free(p);
	cases_key_wipe(&ki);
	cases_key_wipe(&ka);
	cases_key_wipe(&x.kc);
}

/* Writing out fails: -2 with the errno, and no audit entry. */
static void test_write_fails(void **state)
{
	struct cfx *f = *state;
	struct fixture x;
	struct cases_error e;
	struct cases_export_result res;
	build(f, &x);
	FILE *out = fopen("/dev/full", "w");
	if (!out)
		skip();
	setvbuf(out, NULL, _IONBF, 0);
	assert_int_equal(cases_export(f->t.db, &f->t.signer, &x.kc, f->ids[COORD_FIN], out, &res,
				      &e),
			 -2);
	fclose(out);
	assert_int_equal(res.io_errno, ENOSPC);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log WHERE action = 'case.export'"), 0);
	cases_key_wipe(&x.kc);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, cfx_setup, cfx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_export),
		T(test_flip_each_part),
		T(test_who_may_export),
		T(test_write_fails),
	};
	char err[300];
	if (sodium_init() < 0 || cases_data_init(err, sizeof err) != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
