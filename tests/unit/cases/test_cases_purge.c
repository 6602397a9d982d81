/* test_cases_purge.c: the retention purge (src/cases/purge.c) against a
 * real SQLite database.
 *
 * A case of FIN is filled with every kind of content, each carrying a marker
 * string: records, the authority summary and decision, notes, a person
 * involved, a deviation's reason, attachments; its report too: answers, the
 * reporter's identity, a file, messages both ways, a handler's note and a
 * receipt session. Then it is closed. The dry run lists it with what it
 * would remove and writes nothing; a day before its purge date nothing
 * happens; on the day the purge removes it all. Afterwards the database
 * file and its write-ahead log, copied as raw bytes, hold neither a marker
 * nor any piece of the ciphertext and sealed keys captured before (the
 * markers alone prove little: they were never stored in the clear); the
 * statistical record is still there; the audit trail verifies with one
 * case.purge entry naming ids and counts only; the reporter's receipt finds
 * nothing; another closed case not yet due, an open case and a report never
 * joined to a case are untouched and read as before. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sodium.h>

#include "base/alloc.h"
#include "base/date.h"
#include "cases/cases.h"
#include "cases/dataset.h"
#include "casesfx.h"
#include "intake/rsession.h"
#include "walk.h"

static const char PDF[] = "%PDF-1.4\n1 0 obj QZXPFILEBYTES endobj\n%%EOF\n";

static const char *const markers[] = {
	"QZXPANSWER", "QZXPIDENT", "QZXPRFILE", "QZXPRMSG", "QZXPHMSG", "QZXPHNOTE",
	"QZXPRECORD", "QZXPSUMMARY", "QZXPDECISION", "QZXPNOTE", "QZXPNAME", "QZXPFUNC",
	"QZXPCONTACT", "QZXPREASON", "QZXPCFILE", "QZXPFILEBYTES", "QZXP", "qzxp",
};
#define NMARKERS (sizeof markers / sizeof markers[0])

/* 16 bytes of each stored ciphertext and sealed key of the case to purge. */
#define FRAG 16
struct frags {
	unsigned char (*v)[FRAG];
	size_t n;
};

static void grab(struct cfx *f, struct frags *fr, const char *sql)
{
	db_stmt_t *st;
	assert_int_equal(db_prepare(f->t.db, sql, &st), 0);
	while (db_step(st) == DB_ROW) {
		size_t n = db_col_bytes(st, 0);
		const unsigned char *b = db_col_blob(st, 0);
		if (n < FRAG)
			continue;
		/* within the first 48 bytes: always in the row's own page, never
		 * split across overflow pages */
		size_t at = n >= 48 ? 32 : n - FRAG;
		fr->v = xrealloc(fr->v, (fr->n + 1) * sizeof *fr->v);
		memcpy(fr->v[fr->n++], b + at, FRAG);
	}
	db_finalize(st);
}

static int has_bytes(const unsigned char *hay, size_t n, const unsigned char *needle, size_t k)
{
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(hay + i, needle, k) == 0)
			return 1;
	return 0;
}

/* The database file and its log as they are on disk now. */
struct image {
	unsigned char *db, *wal;
	size_t ndb, nwal;
};

static void image_take(struct cfx *f, struct image *im)
{
	char *wal = xasprintf("%s-wal", f->t.db_path);
	im->db = (unsigned char *)read_file_bytes(f->t.db_path, &im->ndb);
	assert_non_null(im->db);
	im->wal = (unsigned char *)read_file_bytes(wal, &im->nwal);
	if (!im->wal) {
		assert_false(path_exists(wal));
		im->nwal = 0;
	}
	free(wal);
}

static void image_free(struct image *im)
{
	free(im->db);
	free(im->wal);
	memset(im, 0, sizeof *im);
}

static int image_has(const struct image *im, const unsigned char *b, size_t k)
{
	return has_bytes(im->db, im->ndb, b, k) || (im->wal && has_bytes(im->wal, im->nwal, b, k));
}

/* The case to purge and what surrounds it. */
struct scene {
	int64_t report, case_id;        /* the case of FIN, closed, purged on purge_day */
	int64_t kept_report;            /* a report of FIN never joined to a case */
	int64_t open_case;              /* an open case of FIN */
	int64_t bzk_case;               /* a closed case of BZK, due in five years */
	char receipt[RECEIPT_SHOWN_SIZE];
	char purge_day[DATE_LEN + 1], day_before[DATE_LEN + 1];
	struct cases_key kc;            /* keys of the open case */
};

static int64_t submit(struct cfx *f, const char *org, const char *mode, const char *answers,
		      const char *identity, const struct intake_file *files, size_t nfiles,
		      char receipt[RECEIPT_SHOWN_SIZE])
{
	struct intake_submission s = {.org_code = org, .kind = "integrity_violation",
				      .mode = mode, .questionnaire = "melding",
				      .questionnaire_revision = 1, .answers = answers,
				      .answers_len = strlen(answers), .identity = identity,
				      .files = files, .nfiles = nfiles};
	struct intake_error e;
	int64_t id = 0;
	if (intake_submit(f->t.db, &f->t.signer, &s, receipt, &id, &e) != 0)
		fail_msg("submit: %s", e.msg);
	return id;
}

/* The report of the case: answers, identity, a file, messages both ways, a
 * handler's note and a reporter's session. */
static void fill_report(struct cfx *f, struct scene *s)
{
	const struct intake_file rf[] = {{(const unsigned char *)PDF, sizeof PDF - 1,
					  "application/pdf", "QZXPRFILE melding.pdf"}};
	s->report = submit(f, "FIN", "confidential", "{\"what\":\"QZXPANSWER geld verdwenen\"}",
			   "QZXPIDENT Jan Melder", rf, 1, s->receipt);
	struct intake_key rk;
	struct intake_error ie;
	if (intake_key_by_receipt(f->t.db, s->receipt, &rk, &ie) != 0)
		fail_msg("receipt: %s", ie.msg);
	const struct intake_file mf[] = {{(const unsigned char *)PDF, sizeof PDF - 1,
					  "application/pdf", "QZXPRFILE2.pdf"}};
	assert_int_equal(intake_message_add(f->t.db, &f->t.signer, &rk, 0, "QZXPRMSG nog iets", 17,
					    mf, 1, NULL, &ie), 0);
	intake_key_wipe(&rk);
	if (intake_key_as_handler(f->t.db, s->report, f->ids[COORD_FIN], cfx_sk(f, COORD_FIN), &rk,
				  &ie) != 0)
		fail_msg("handler key: %s", ie.msg);
	assert_int_equal(intake_message_add(f->t.db, &f->t.signer, &rk, f->ids[COORD_FIN],
					    "QZXPHMSG dank u", 15, NULL, 0, NULL, &ie), 0);
	assert_int_equal(intake_note_add(f->t.db, &f->t.signer, &rk, f->ids[COORD_FIN],
					 "QZXPHNOTE intern", 16, NULL, &ie), 0);
	intake_key_wipe(&rk);
	char token[SESSION_TOKEN_LEN + 1];
	struct intake_rsession rs;
	if (intake_rsession_create(f->t.db, s->receipt, "nl", time(NULL), token, &rs, &ie) != 0)
		fail_msg("receipt session: %s", ie.msg);
	sodium_memzero(token, sizeof token);
	sodium_memzero(&rs, sizeof rs);
}

/* A deviation a coordinator approves from a phase a coordinator moves out
 * of, with its reason. */
static void deviate(struct cfx *f, const struct cases_key *kc, const struct cases_key *ka)
{
	const struct cases_protocol *p = cases_data_protocol();
	const struct cases_deviation *d = NULL;
	for (size_t i = 0; i < p->ndeviations && !d; i++)
		if (p->deviations[i].approver == ROLE_INTEGRITY_COORDINATOR && p->deviations[i].waive &&
		    (p->phases[p->deviations[i].from].movers & role_mask(ROLE_INTEGRITY_COORDINATOR)))
			d = &p->deviations[i];
	if (!d) {
		fail_msg("the protocol has no deviation a coordinator approves");
		return;
	}
	walk_to(f, kc, COORD_FIN, ka, AUTH_FIN, "QZXPDECISION berisping", p->phases[d->from].id);
	const struct cases_approval_in ap = {f->ids[COORD2_FIN], "QZXPREASON nieuwe feiten"};
	struct cases_error e;
	if (cases_move(f->t.db, &f->t.signer, kc, f->ids[COORD_FIN], p->phases[d->to].id, &ap,
		       f->today, NULL, &e) != 0)
		fail_msg("deviation: %s", e.msg);
}

/* The case: its content, its outcome, closed today with FIN's term of 30
 * days. */
static void fill_case(struct cfx *f, struct scene *s)
{
	struct cases_error e;
	struct cases_key kc, ki, ka;
	s->case_id = cfx_open(f, COORD_FIN, &s->report, 1);
	cfx_key(f, s->case_id, COORD_FIN, &kc);
	cfx_add(f, &kc, INV_FIN, "investigator");
	cfx_key(f, s->case_id, INV_FIN, &ki);
	assert_int_equal(cases_summary_share(f->t.db, &f->t.signer, &kc, f->ids[COORD_FIN],
					     f->ids[AUTH_FIN], f->today, &e), 0);
	cfx_authority_key(f, s->case_id, AUTH_FIN, &ka);

	const char *type = cases_data_protocol()->record_types[0].id;
	const struct intake_file cf[] = {{(const unsigned char *)PDF, sizeof PDF - 1,
					  "application/pdf", "QZXPCFILE verslag.pdf"}};
	int64_t note;
	assert_int_equal(cases_record_add_files(f->t.db, &f->t.signer, &ki, f->ids[INV_FIN], type,
						"QZXPRECORD gesprek", 18, cf, 1, NULL, &e), 0);
	assert_int_equal(cases_record_add_files(f->t.db, &f->t.signer, &kc, f->ids[COORD_FIN],
						CASES_RECORD_SUMMARY, "QZXPSUMMARY kort", 16, cf, 1,
						NULL, &e), 0);
	assert_int_equal(cases_note_add_files(f->t.db, &f->t.signer, &ki, f->ids[INV_FIN],
					      "QZXPNOTE bel hem", 16, cf, 1, &note, &e), 0);
	assert_int_equal(cases_files_add(f->t.db, &f->t.signer, &kc, f->ids[COORD_FIN], 0, 0, cf, 1,
					 NULL, &e), 0);
	const struct cases_person_in pi = {"person_concerned", "QZXPNAME Jansen", "QZXPFUNC hoofd",
					   "QZXPCONTACT@example.nl"};
	int64_t person;
	assert_int_equal(cases_person_add(f->t.db, &f->t.signer, &kc, f->ids[COORD_FIN], &pi,
					  f->today, &person, &e), 0);
	assert_int_equal(cases_person_step(f->t.db, &f->t.signer, &kc, f->ids[COORD_FIN], person,
					   CASES_STEP_INFORMED, f->today, f->today, &e), 0);
	deviate(f, &kc, &ka);
	const char *measures[] = {"transfer", "written_reprimand"};
	assert_int_equal(cases_set_outcome(f->t.db, &f->t.signer, &kc, f->ids[COORD_FIN],
					   "established", "6", measures, 2, 1, &e), 0);
	walk_close(f, &kc, COORD_FIN, &ka, AUTH_FIN, "QZXPDECISION berisping");
	cases_key_wipe(&kc);
	cases_key_wipe(&ki);
	cases_key_wipe(&ka);
}

static void scene_make(struct cfx *f, struct scene *s)
{
	struct cases_error e;
	memset(s, 0, sizeof *s);
	assert_int_equal(cases_set_retention(f->t.db, &f->t.signer, "cli:test", "FIN", 30, &e), 0);
	assert_int_equal(date_add_days(f->today, 30, s->purge_day), 0);
	assert_int_equal(date_add_days(f->today, 29, s->day_before), 0);
	fill_report(f, s);
	fill_case(f, s);

	/* what must survive: a report never joined, an open case, a closed case
	 * of BZK whose term (the default five years) has not run out */
	char r[RECEIPT_SHOWN_SIZE];
	s->kept_report = submit(f, "FIN", "anonymous", "{\"what\":\"KEEPANSWER\"}", NULL, NULL, 0,
				r);
	int64_t open_report = submit(f, "FIN", "anonymous", "{\"what\":\"x\"}", NULL, NULL, 0, r);
	s->open_case = cfx_open(f, COORD_FIN, &open_report, 1);
	cfx_key(f, s->open_case, COORD_FIN, &s->kc);
	assert_int_equal(cases_note_add(f->t.db, &f->t.signer, &s->kc, f->ids[COORD_FIN],
					"KEEPNOTE", 8, NULL, &e), 0);
	int64_t bzk_report = submit(f, "BZK", "anonymous", "{\"what\":\"y\"}", NULL, NULL, 0, r);
	s->bzk_case = cfx_open(f, COORD_BZK, &bzk_report, 1);
	struct cases_key bk, ba;
	cfx_key(f, s->bzk_case, COORD_BZK, &bk);
	assert_int_equal(cases_summary_share(f->t.db, &f->t.signer, &bk, f->ids[COORD_BZK],
					     f->ids[AUTH_BZK], f->today, &e), 0);
	cfx_authority_key(f, s->bzk_case, AUTH_BZK, &ba);
	walk_close(f, &bk, COORD_BZK, &ba, AUTH_BZK, "besluit BZK");
	cases_key_wipe(&bk);
	cases_key_wipe(&ba);
	sodium_memzero(r, sizeof r);
}

static void scene_free(struct scene *s)
{
	sodium_memzero(s->receipt, sizeof s->receipt);
	cases_key_wipe(&s->kc);
}

/* Every ciphertext and sealed key of the case and its report: column,
 * table, and whether it is of the case (else of the report). */
static void grab_all(struct cfx *f, const struct scene *s, struct frags *fr)
{
	static const struct {
		const char *col, *table, *key;
		int of_case;
	} c[] = {
		{"body", "case_record", "case_id", 1},
		{"body", "case_note", "case_id", 1},
		{"blob", "case_person", "case_id", 1},
		{"reason", "case_phase_log", "case_id", 1},
		{"meta", "case_attachment", "case_id", 1},
		{"body", "case_attachment", "case_id", 1},
		{"sealed", "case_key", "case_id", 1},
		{"sealed", "case_summary_key", "case_id", 1},
		{"sealed", "case_report_key", "case_id", 1},
		{"summary_key", "case_file", "id", 1},
		{"body", "report", "id", 0},
		{"receipt_lookup", "report", "id", 0},
		{"body", "report_message", "report_id", 0},
		{"body", "report_note", "report_id", 0},
		{"meta", "report_attachment", "report_id", 0},
		{"body", "report_attachment", "report_id", 0},
		{"sealed", "report_key", "report_id", 0},
		{"wrapped_key", "receipt_session", "report_id", 0},
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		size_t before = fr->n;
		char *sql = xasprintf("SELECT %s FROM %s WHERE %s = %lld AND %s IS NOT NULL", c[i].col,
				      c[i].table, c[i].key,
				      (long long)(c[i].of_case ? s->case_id : s->report), c[i].col);
		grab(f, fr, sql);
		if (fr->n == before)
			fail_msg("nothing stored for: %s", sql);
		free(sql);
	}
}

/* The rows of the case's content, counted. */
static int64_t content_rows(struct cfx *f, const struct scene *s)
{
	char *sql = xasprintf(
		"SELECT (SELECT count(*) FROM case_record WHERE case_id = %1$lld) + "
		"(SELECT count(*) FROM case_note WHERE case_id = %1$lld) + "
		"(SELECT count(*) FROM case_person WHERE case_id = %1$lld) + "
		"(SELECT count(*) FROM case_attachment WHERE case_id = %1$lld) + "
		"(SELECT count(*) FROM case_key WHERE case_id = %1$lld) + "
		"(SELECT count(*) FROM case_summary_key WHERE case_id = %1$lld) + "
		"(SELECT count(*) FROM case_report_key WHERE case_id = %1$lld) + "
		"(SELECT count(*) FROM case_phase_log WHERE case_id = %1$lld AND length(reason) > 0) + "
		"(SELECT count(*) FROM report_message WHERE report_id = %2$lld) + "
		"(SELECT count(*) FROM report_note WHERE report_id = %2$lld) + "
		"(SELECT count(*) FROM report_attachment WHERE report_id = %2$lld) + "
		"(SELECT count(*) FROM report_key WHERE report_id = %2$lld) + "
		"(SELECT count(*) FROM receipt_session WHERE report_id = %2$lld)",
		(long long)s->case_id, (long long)s->report);
	int64_t n = cfx_q(f, sql);
	free(sql);
	return n;
}

/* The integer of the query fmt makes. */
static int64_t q1(struct cfx *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int64_t q1(struct cfx *f, const char *fmt, ...)
{
	char sql[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	assert_true(n > 0 && (size_t)n < sizeof sql);
	return cfx_q(f, sql);
}

/* ---- the dry run ---- */

static void test_dry_run(void **state)
{
	struct cfx *f = *state;
	struct scene s;
	struct cases_error e;
	scene_make(f, &s);
	struct cases_purge_item it[4];
	size_t n, total;

	/* not yet due the day before */
	assert_int_equal(cases_purge_due(f->t.db, s.day_before, it, 4, &n, &total, &e), 0);
	assert_int_equal(n, 0);
	assert_int_equal(total, 0);

	struct image before, after;
	int64_t entries = cfx_q(f, "SELECT count(*) FROM audit_log");
	int files = testdb_sqlite_part("compares SQLite's database file and log before and after");
	if (files)
		image_take(f, &before);
	assert_int_equal(cases_purge_due(f->t.db, s.purge_day, it, 4, &n, &total, &e), 0);
	if (files) {
		image_take(f, &after);
		/* it writes nothing: not a byte of the file or its log */
		assert_int_equal(after.ndb, before.ndb);
		assert_memory_equal(after.db, before.db, before.ndb);
		assert_int_equal(after.nwal, before.nwal);
		if (before.nwal)
			assert_memory_equal(after.wal, before.wal, before.nwal);
		image_free(&before);
		image_free(&after);
	}
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log"), entries);

	/* the one case, with what a purge would remove */
	assert_int_equal(n, 1);
	assert_int_equal(total, 1);
	assert_int_equal(it[0].case_id, s.case_id);
	assert_string_equal(it[0].closed_on, f->today);
	assert_string_equal(it[0].purge_after, s.purge_day);
	assert_int_equal(it[0].reports, 1);
	assert_int_equal(it[0].records,
			 q1(f, "SELECT count(*) FROM case_record WHERE case_id = %lld", (long long)s.case_id));
	assert_true(it[0].records >= 4); /* two of ours, the decision, the protocol's */
	assert_int_equal(it[0].notes, 1);
	assert_int_equal(it[0].people, 1);
	assert_int_equal(it[0].files, 4);
	assert_int_equal(it[0].reasons, 1);
	/* member keys (coordinator, investigator), recovery: none configured;
	 * the authority's; the summary key; the report's wrapped key; the
	 * report's own: the handlers', the receipt's */
	assert_int_equal(it[0].keys,
			 q1(f, "SELECT count(*) FROM case_key WHERE case_id = %lld", (long long)s.case_id) + 1 +
				 1 + 1 +
				 q1(f, "SELECT count(*) FROM report_key WHERE report_id = %lld", (long long)s.report));
	/* two messages, one note, two files, one receipt session */
	assert_int_equal(it[0].report_items, 6);

	/* a short list still counts them all; a bad date is refused */
	assert_int_equal(cases_purge_due(f->t.db, s.purge_day, it, 0, &n, &total, &e), 0);
	assert_int_equal(n, 0);
	assert_int_equal(total, 1);
	assert_int_equal(cases_purge_due(f->t.db, "2024-02-30", it, 4, &n, &total, &e), -1);
	assert_int_equal(e.code, CASES_EINVALID);
	scene_free(&s);
}

/* ---- the purge ---- */

static void test_purge(void **state)
{
	struct cfx *f = *state;
	struct scene s;
	struct cases_error e;
	scene_make(f, &s);
	struct frags fr = {0};
	grab_all(f, &s, &fr);
	assert_true(fr.n >= 25);

	/* before: every captured piece is on disk, in the file or its log (SQLite:
	 * PostgreSQL keeps a deleted row's bytes in its heap and write-ahead log
	 * until VACUUM and recycling, out of the program's reach; there the
	 * purge rests on the keys going with the rows) */
	struct image im;
	int files = testdb_sqlite_part("scans SQLite's database file and log for the purged bytes");
	if (files) {
		image_take(f, &im);
		for (size_t i = 0; i < fr.n; i++)
			if (!image_has(&im, fr.v[i], FRAG))
				fail_msg("stored piece %zu not found before the purge: the scan is blind",
					 i);
		image_free(&im);
	}
	struct cases_purge_item due[2];
	size_t n, total;
	assert_int_equal(cases_purge_due(f->t.db, s.purge_day, due, 2, &n, &total, &e), 0);
	assert_int_equal(n, 1);

	/* the day before: nothing */
	int64_t rows = content_rows(f, &s);
	assert_int_equal(cases_purge(f->t.db, &f->t.signer, s.day_before, &n, &e), 0);
	assert_int_equal(n, 0);
	assert_int_equal(content_rows(f, &s), rows);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log WHERE action = 'case.purge'"), 0);
	assert_int_equal(cases_purge(f->t.db, &f->t.signer, "someday", &n, &e), -1);
	assert_int_equal(e.code, CASES_EINVALID);

	/* the day */
	assert_int_equal(cases_purge(f->t.db, &f->t.signer, s.purge_day, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(content_rows(f, &s), 0);

	/* nothing of it on disk: no marker, no piece of ciphertext or key */
	if (files) {
		image_take(f, &im);
		assert_int_equal(im.nwal, 0);
		for (size_t i = 0; i < NMARKERS; i++)
			if (image_has(&im, (const unsigned char *)markers[i], strlen(markers[i])))
				fail_msg("marker %s found after the purge", markers[i]);
		for (size_t i = 0; i < fr.n; i++)
			if (image_has(&im, fr.v[i], FRAG))
				fail_msg("stored piece %zu found after the purge", i);
		/* while what was kept is there in the clear (the scan sees the data) */
		assert_true(has_bytes(im.db, im.ndb, (const unsigned char *)"case.purge", 10));
		image_free(&im);
	}
	free(fr.v);

	/* the statistical record */
	int64_t fin = cfx_q(f, "SELECT id FROM org WHERE code = 'FIN'");
	char *sql = xasprintf(
		"SELECT count(*) FROM case_file WHERE id = %lld AND org_id = %lld AND "
		"protocol = '%s' AND category = '6' AND taxonomy = '%s' AND taxonomy_revision = %d "
		"AND outcome = 'established' AND police_report = 1 AND opened_on = '%s' AND "
		"closed_on = '%s' AND decided_on = '%s' AND purge_after = '%s' AND purged_on = '%s' "
		"AND length(summary_key) = 0",
		(long long)s.case_id, (long long)fin, cases_data_protocol()->id,
		cases_data_taxonomy()->id, cases_data_taxonomy()->revision, f->today, f->today,
		f->today, s.purge_day, s.purge_day);
	assert_int_equal(cfx_q(f, sql), 1);
	free(sql);
	assert_int_equal(q1(f, "SELECT count(*) FROM case_measure WHERE case_id = %lld AND code IN "
			       "('transfer', 'written_reprimand')", (long long)s.case_id), 2);
	assert_int_equal(q1(f, "SELECT count(*) FROM case_phase_log WHERE case_id = %lld AND "
			       "deviation = 1 AND length(reason) = 0", (long long)s.case_id), 1);
	assert_true(q1(f, "SELECT count(*) FROM case_phase_log WHERE case_id = %lld", (long long)s.case_id) >
		    1);
	sql = xasprintf("SELECT count(*) FROM report WHERE id = %lld AND org_id = %lld AND "
			"kind = 'integrity_violation' AND mode = 'confidential' AND "
			"received_on = '%s' AND handed_over_on = '%s' AND length(body) = 0",
			(long long)s.report, (long long)fin, f->today, f->today);
	assert_int_equal(cfx_q(f, sql), 1);
	free(sql);

	/* the audit trail: intact, one entry, ids and counts */
	cfx_audit_ok(f);
	assert_int_equal(q1(f, "SELECT count(*) FROM audit_log WHERE action = 'case.purge' AND "
			       "actor = 'system' AND object_type = 'case' AND object_id = '%lld'", (long long)s.case_id), 1);
	sql = xasprintf("SELECT count(*) FROM audit_log WHERE action = 'case.purge' AND detail = "
			"'reports %lld records %zu notes 1 people 1 files 4 reasons 1 keys %zu "
			"report-items 6'", (long long)s.report, due[0].records, due[0].keys);
	assert_int_equal(cfx_q(f, sql), 1);
	free(sql);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log WHERE instr(lower(coalesce(actor, "
				  "'') || action || coalesce(object_type, '') || "
				  "coalesce(object_id, '') || coalesce(detail, '')), 'qzxp') > 0"),
			 0);

	/* nobody opens the case, and the receipt finds nothing */
	struct cases_key k;
	assert_int_equal(cases_key_as_member(f->t.db, s.case_id, f->ids[COORD_FIN],
					     cfx_sk(f, COORD_FIN), &k, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	assert_int_equal(cases_key_as_authority(f->t.db, s.case_id, f->ids[AUTH_FIN],
						cfx_sk(f, AUTH_FIN), &k, &e), -1);
	assert_int_equal(e.code, CASES_ENOTFOUND);
	struct intake_key rk;
	struct intake_error ie;
	assert_int_equal(intake_key_by_receipt(f->t.db, s.receipt, &rk, &ie), -1);
	assert_int_equal(ie.code, INTAKE_ENOTFOUND);
	assert_int_equal(intake_key_as_handler(f->t.db, s.report, f->ids[COORD_FIN],
					       cfx_sk(f, COORD_FIN), &rk, &ie), -1);
	assert_int_equal(ie.code, INTAKE_ENOTFOUND);
	struct cases_list_item li[4];
	size_t nl;
	assert_int_equal(cases_list(f->t.db, f->ids[COORD_FIN], li, 4, &nl, NULL), 0);
	assert_int_equal(nl, 1);
	assert_int_equal(li[0].id, s.open_case);

	/* what was not due is as it was */
	struct intake_report rep;
	assert_int_equal(intake_open_as_handler(f->t.db, s.kept_report, f->ids[COORD_FIN],
						cfx_sk(f, COORD_FIN), &rep, &ie), 0);
	assert_non_null(strstr(rep.body, "KEEPANSWER"));
	intake_report_free(&rep);
	struct cases_text_item *t;
	size_t nt;
	assert_int_equal(cases_notes(f->t.db, &s.kc, &t, &nt, &e), 0);
	assert_int_equal(nt, 1);
	assert_string_equal(t[0].text, "KEEPNOTE");
	cases_text_items_free(t, nt);
	cfx_key(f, s.bzk_case, COORD_BZK, &k);
	struct cases_case cc;
	assert_int_equal(cases_read(f->t.db, &k, &cc, &e), 0);
	assert_string_equal(cc.closed_on, f->today);
	assert_true(q1(f, "SELECT count(*) FROM case_record WHERE case_id = %lld", (long long)s.bzk_case) > 0);
	cases_key_wipe(&k);

	/* again: nothing more to do, nothing written but the log emptied */
	int64_t entries = cfx_q(f, "SELECT count(*) FROM audit_log");
	assert_int_equal(cases_purge(f->t.db, &f->t.signer, s.purge_day, &n, &e), 0);
	assert_int_equal(n, 0);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log"), entries);
	scene_free(&s);
}

/* A reader holding the log past the busy timeout: the case is purged, the
 * call says the log could not be emptied, and the next run empties it. */
static void test_log_busy(void **state)
{
	struct cfx *f = *state;
	SQLITE_ONLY("a reader keeping SQLite's write-ahead log from being emptied; "
		    "PostgreSQL's db_checkpoint has nothing to wait for");
	struct scene s;
	struct cases_error e;
	scene_make(f, &s);
	db_t *reader = testdb_open(f->t.db_path, 0, 50);
	assert_int_equal(db_begin_read(reader), 0);
	assert_int_equal(testdb_i64(reader, "SELECT count(*) FROM case_file"), 3);
	db_t *purger = testdb_open(f->t.db_path, 0, 50);
	size_t n;
	assert_int_equal(cases_purge(purger, &f->t.signer, s.purge_day, &n, &e), -1);
	assert_int_equal(e.code, CASES_EDB);
	assert_int_equal(db_error(purger)->cls, DBE_BUSY);
	assert_non_null(strstr(e.msg, "1 case(s) purged"));
	assert_int_equal(n, 1);
	assert_int_equal(content_rows(f, &s), 0);
	db_rollback(reader);
	db_close(reader);
	assert_int_equal(cases_purge(purger, &f->t.signer, s.purge_day, &n, &e), 0);
	assert_int_equal(n, 0);
	char *wal = xasprintf("%s-wal", f->t.db_path);
	size_t nwal = 1;
	char *b = read_file_bytes(wal, &nwal);
	assert_int_equal(nwal, 0);
	free(b);
	free(wal);
	db_close(purger);
	cfx_audit_ok(f);
	scene_free(&s);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
#define T(fn) cmocka_unit_test_setup_teardown(fn, cfx_setup, cfx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_dry_run),
		T(test_purge),
		T(test_log_busy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
