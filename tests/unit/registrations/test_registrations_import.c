/* test_registrations_import.c: loading register files into a database
 * (src/registrations/import.c) and counting them with the closed cases
 * (counts.c). A good file (semicolons, BOM, CRLF, Dutch header and words)
 * is stored with its import row and one audit entry naming the SHA-256, the
 * rows and the import id, a split department's rows on the organisation of
 * their day; the same file again is refused unless again is set; a bad file
 * is refused whole with each problem's line and nothing written, not even
 * its import row or audit entry; more than 100 problems list 100 and count
 * the rest; a file without rows, an empty file and a missing one; progress
 * every 100,000 rows. The counts group both sources per organisation, year,
 * category, outcome and police report, a case by the year it was opened and
 * only once closed with a category; measures likewise. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "base/buf.h"
#include "registrations/registrations.h"

#define TODAY "2025-06-30"

struct fx {
	struct testfx t; /* first: fixture_teardown closes it */
	int64_t fin, ezk, ez, kgg;
};

static int setup(void **state)
{
	static struct fx f;
	memset(&f, 0, sizeof f);
	const struct fixture_dept depts[] = {{"FIN", &f.fin}, {"EZK", &f.ezk}, {NULL, NULL}};
	fixture_open(&f.t, NULL, depts);
	fixture_split_ezk(&f.t);
	f.ez = fixture_org(&f.t, "EZ");
	f.kgg = fixture_org(&f.t, "KGG");
	*state = &f;
	return 0;
}

static int64_t q(struct fx *f, const char *sql)
{
	return testdb_i64(f->t.db, sql);
}

static char *write_csv(struct fx *f, const char *name, const char *text)
{
	char *path = tmpdir_path(f->t.dir, name);
	write_file_bytes(path, text, strlen(text), 0600);
	return path;
}

static enum reg_status import(struct fx *f, const char *path, int again,
			      struct reg_import_result *res)
{
	struct reg_import_opts o = {.actor = "cli:test", .today = TODAY, .again = again};
	return registrations_import_csv(f->t.db, &f->t.signer, path, &o, res);
}

static const char good[] =
	"\xEF\xBB\xBF"
	"Organisatie;Datum ontvangst;Categorie;Taxonomieversie;Uitkomst;Maatregel;Aangifte\r\n"
	"EZK;03-05-2023;1;1;vastgesteld;written_reprimand;nee\r\n"
	"EZ;2025-01-10;2;1;niet vastgesteld;;ja\r\n"
	"KGG;2024-07-02;2;1;gedeeltelijk;;nee\r\n"
	"FIN;1-2-2020;3;1;vastgesteld;\"dismissal\";Ja\r\n"
	";;;;;;\r\n";

static void test_good_file(void **state)
{
	struct fx *f = *state;
	struct reg_import_result res;
	char *path = write_csv(f, "registraties 2023.csv", good);
	int64_t audit0 = q(f, "SELECT count(*) FROM audit_log");
	assert_int_equal(import(f, path, 0, &res), REG_OK);
	assert_int_equal(res.rows, 4);
	assert_int_equal(res.nproblems, 0);
	assert_true(res.import_id > 0);
	assert_int_equal(strlen(res.sha256), 64);
	assert_int_equal(q(f, "SELECT count(*) FROM registration"), 4);
	char sql[300];
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM registration_import WHERE id = %lld AND rows = 4 AND "
		 "file_name = 'registraties 2023.csv' AND imported_by = 'cli:test' AND sha256 = '%s'",
		 (long long)res.import_id, res.sha256);
	assert_int_equal(q(f, sql), 1);
	/* one audit entry, naming the import, the SHA-256 and the rows */
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log"), audit0 + 1);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM audit_log WHERE action = 'registrations.import' AND "
		 "actor = 'cli:test' AND object_type = 'registration_import' AND object_id = "
		 "'%lld' AND detail = 'sha256=%s rows=4'",
		 (long long)res.import_id, res.sha256);
	assert_int_equal(q(f, sql), 1);
	/* each row on the organisation of its day, with its fields */
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM registration WHERE org_id = %lld AND received_on = "
		 "'2023-05-03' AND category = '1' AND taxonomy = 'schendingen' AND "
		 "taxonomy_revision = 1 AND outcome = 'established' AND measure = "
		 "'written_reprimand' AND measures_list = 'cao_rijk' AND measures_revision = 1 "
		 "AND police_report = 0",
		 (long long)f->ezk);
	assert_int_equal(q(f, sql), 1);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM registration WHERE org_id = %lld AND outcome = "
		 "'not_established' AND measure IS NULL AND measures_list IS NULL AND "
		 "police_report = 1",
		 (long long)f->ez);
	assert_int_equal(q(f, sql), 1);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM registration WHERE org_id = %lld",
		 (long long)f->kgg);
	assert_int_equal(q(f, sql), 1);
	reg_import_result_free(&res);

	/* the same bytes again: refused, nothing written; with again: stored */
	char *copy = write_csv(f, "copy.csv", good);
	int64_t first = q(f, "SELECT max(id) FROM registration_import");
	assert_int_equal(import(f, copy, 0, &res), REG_ECONFLICT);
	assert_int_equal(res.previous_id, first);
	assert_non_null(strstr(res.err, "this file was imported before (import "));
	assert_non_null(strstr(res.err, "give --again to import it once more"));
	assert_int_equal(q(f, "SELECT count(*) FROM registration"), 4);
	assert_int_equal(q(f, "SELECT count(*) FROM registration_import"), 1);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log"), audit0 + 1);
	reg_import_result_free(&res);
	assert_int_equal(import(f, copy, 1, &res), REG_OK);
	assert_int_equal(q(f, "SELECT count(*) FROM registration"), 8);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM audit_log WHERE action = 'registrations.import' AND detail "
		 "LIKE '%% again-after=%lld'",
		 (long long)first);
	assert_int_equal(q(f, sql), 1);
	reg_import_result_free(&res);
	free(copy);
	free(path);
}

static void test_bad_file(void **state)
{
	struct fx *f = *state;
	struct reg_import_result res;
	int64_t audit0 = q(f, "SELECT count(*) FROM audit_log");
	char *path = write_csv(f, "bad.csv",
			       "organisation,date received,category,taxonomy version,outcome,"
			       "measure,police report\n"
			       "FIN,2023-01-01,1,1,established,,no\n"
			       "EZ,2023-05-01,1,1,established,,no\n"
			       "FIN,2023-01-01,1,1,established,,no\n"
			       "FIN,\"2023\"x,1,1,established,,no\n"
			       "FIN,2023-01-01,1,1,established,,no\n"
			       "EZK,2023-01-01,1,1,established,,maybe\n");
	assert_int_equal(import(f, path, 0, &res), REG_EINVALID);
	assert_int_equal(res.nproblems, 3);
	assert_int_equal(res.nlisted, 3);
	if (res.nlisted != 3)
		return;
	assert_string_equal(res.problems[0],
			    "line 3: organisation EZ did not exist on 2023-05-01: it began on "
			    "2024-07-02");
	assert_string_equal(res.problems[1], "line 5: text after the closing quote of field 2");
	assert_string_equal(res.problems[2],
			    "line 7: police report 'maybe' is not yes, no, ja or nee");
	assert_int_equal(res.import_id, 0);
	assert_int_equal(q(f, "SELECT count(*) FROM registration"), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM registration_import"), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log"), audit0);
	reg_import_result_free(&res);
	free(path);

	/* 150 bad rows: 100 listed, all counted */
	struct buf b = {0};
	buf_adds(&b, "organisation;date received;category;taxonomy version;outcome;measure;"
		     "police report\n");
	for (int i = 0; i < 150; i++)
		buf_adds(&b, "FIN;2023-01-01;1;1;established;;no\nFIN;2023-01-01;1;1;x;;no\n");
	char *text = buf_detach(&b);
	path = write_csv(f, "many.csv", text);
	assert_int_equal(import(f, path, 0, &res), REG_EINVALID);
	assert_int_equal(res.nproblems, 150);
	assert_int_equal(res.nlisted, REG_MAX_PROBLEMS);
	assert_int_equal(res.rows, 300);
	assert_non_null(res.problems);
	if (res.problems)
		assert_string_equal(res.problems[99],
				    "line 201: outcome 'x' is not established, partly or not "
				    "established (vastgesteld, gedeeltelijk, niet vastgesteld)");
	assert_int_equal(q(f, "SELECT count(*) FROM registration"), 0);
	reg_import_result_free(&res);
	free(path);
	free(text);

	/* a header only; nothing at all; a bad header; no file */
	static const struct {
		const char *text, *want;
	} whole[] = {
		{"organisation,date received,category,taxonomy version,outcome,measure,police "
		 "report\n\n",
		 "the file has a header but no registrations"},
		{"", "the file is empty: it needs a header row naming the columns"},
		{"org,date\nFIN,2023-01-01\n",
		 "line 1: column 1, 'org', is not a column of a register: the columns are "
		 "organisation, date received, category, taxonomy version, outcome, measure and "
		 "police report (or in Dutch: organisatie, datum ontvangst, categorie, "
		 "taxonomieversie, uitkomst, maatregel, aangifte)"},
	};
	for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++) {
		path = write_csv(f, "whole.csv", whole[i].text);
		assert_int_equal(import(f, path, 0, &res), REG_EINVALID);
		assert_int_equal(res.nproblems, 1);
		if (res.nlisted == 1)
			assert_string_equal(res.problems[0], whole[i].want);
		reg_import_result_free(&res);
		free(path);
	}
	path = tmpdir_path(f->t.dir, "nothing.csv");
	assert_int_equal(import(f, path, 0, &res), REG_ENOTFOUND);
	reg_import_result_free(&res);
	free(path);
	assert_int_equal(import(f, f->t.dir, 0, &res), REG_EIO);
	assert_string_equal(res.err, "it is not a regular file");
	reg_import_result_free(&res);
	assert_int_equal(q(f, "SELECT count(*) FROM registration_import"), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log"), audit0);
}

static size_t seen_rows[8];
static size_t nseen;

static void progress(void *ctx, size_t rows)
{
	(void)ctx;
	if (nseen < 8)
		seen_rows[nseen] = rows;
	nseen++;
}

static void test_progress(void **state)
{
	struct fx *f = *state;
	/* not SQLite's behaviour, but its speed: a row is one statement, and
	 * over a socket (under ASan, on a busy machine) these rows take minutes
	 * on PostgreSQL. test_good_file imports on both engines; counting
	 * progress does not depend on the engine. */
	SQLITE_ONLY("more than 100,000 rows, one statement each: minutes on PostgreSQL");
	struct buf b = {0};
	buf_adds(&b, "organisation,date received,category,taxonomy version,outcome,measure,"
		     "police report\n");
	for (int i = 0; i < 250000; i++)
		buf_printf(&b, "FIN,2019-%02d-%02d,%d,1,established,,no\n", 1 + i % 12,
			   1 + i % 28, 1 + i % 9);
	char *text = buf_detach(&b);
	char *path = write_csv(f, "big.csv", text);
	struct reg_import_result res;
	struct reg_import_opts o = {.actor = "cli:test", .today = TODAY, .progress = progress};
	nseen = 0;
	assert_int_equal(registrations_import_csv(f->t.db, &f->t.signer, path, &o, &res), REG_OK);
	assert_int_equal(res.rows, 250000);
	assert_int_equal(nseen, 2);
	assert_int_equal(seen_rows[0], 100000);
	assert_int_equal(seen_rows[1], 200000);
	assert_int_equal(q(f, "SELECT count(*) FROM registration"), 250000);
	reg_import_result_free(&res);
	free(path);
	free(text);
}

static void add_case(struct fx *f, int64_t org, const char *opened, const char *closed,
		     const char *category, const char *outcome, int police, const char *measure)
{
	char sql[900];
	snprintf(sql, sizeof sql,
		 "INSERT INTO case_file (org_id, protocol, protocol_revision, phase, "
		 "phase_started_on, opened_on, opened_at, closed_on, category, taxonomy, "
		 "taxonomy_revision, outcome, police_report, summary_key) VALUES (%lld, "
		 "'onderzoeksprotocol', 1, 'closed', '%s', '%s', '%sT09:00:00Z', %s%s%s, "
		 "%s%s%s, %s, %s, %s%s%s, %d, X'')",
		 (long long)org, opened, opened, opened, closed ? "'" : "", closed ? closed : "NULL",
		 closed ? "'" : "", category ? "'" : "", category ? category : "NULL",
		 category ? "'" : "", category ? "'schendingen'" : "NULL", category ? "1" : "NULL",
		 outcome ? "'" : "", outcome ? outcome : "NULL", outcome ? "'" : "", police);
	testdb_exec(f->t.db, sql);
	if (measure) {
		snprintf(sql, sizeof sql,
			 "INSERT INTO case_measure (case_id, code) VALUES ((SELECT max(id) FROM "
			 "case_file), '%s')",
			 measure);
		testdb_exec(f->t.db, sql);
	}
}

static const struct reg_count *find(const struct reg_count *c, size_t n, int64_t org, int year,
				    const char *cat, const char *outcome, int police)
{
	for (size_t i = 0; i < n; i++)
		if (c[i].org_id == org && c[i].year == year && strcmp(c[i].category, cat) == 0 &&
		    strcmp(c[i].outcome, outcome) == 0 && c[i].police_report == police)
			return &c[i];
	return NULL;
}

static void test_counts(void **state)
{
	struct fx *f = *state;
	struct reg_import_result res;
	char *path = write_csv(f, "counts.csv",
			       "organisation,date received,category,taxonomy version,outcome,"
			       "measure,police report\n"
			       "EZK,2022-03-01,1,1,established,written_reprimand,no\n"
			       "EZK,2022-11-30,1,1,established,dismissal,no\n"
			       "EZK,2022-12-31,1,1,established,,yes\n"
			       "EZK,2023-01-01,1,1,established,,no\n"
			       "EZ,2025-01-01,2,1,partly,,no\n");
	assert_int_equal(import(f, path, 0, &res), REG_OK);
	reg_import_result_free(&res);
	free(path);
	/* closed cases: opened 2022, closed 2023 counts in 2022 */
	add_case(f, f->ezk, "2022-06-01", "2023-02-01", "1", "established", 0, "written_reprimand");
	add_case(f, f->ezk, "2022-07-01", "2022-09-01", "4", "not_established", 0, NULL);
	/* not counted: open, closed without a category, outside the years */
	add_case(f, f->ezk, "2022-08-01", NULL, "1", "established", 0, "dismissal");
	add_case(f, f->ezk, "2022-08-01", "2022-09-01", NULL, NULL, 0, "transfer");
	add_case(f, f->fin, "2021-12-31", "2022-01-05", "1", "established", 1, "fine");

	struct reg_count *c;
	size_t n;
	assert_int_equal(registrations_counts(f->t.db, 2022, 2023, &c, &n), 0);
	assert_int_equal(n, 4);
	const struct reg_count *r = find(c, n, f->ezk, 2022, "1", "established", 0);
	assert_non_null(r);
	if (r) {
		assert_int_equal(r->registered, 2);
		assert_int_equal(r->cases, 1);
		assert_string_equal(r->taxonomy, "schendingen");
		assert_int_equal(r->taxonomy_revision, 1);
	}
	r = find(c, n, f->ezk, 2022, "1", "established", 1);
	assert_true(r && r->registered == 1 && r->cases == 0);
	r = find(c, n, f->ezk, 2022, "4", "not_established", 0);
	assert_true(r && r->registered == 0 && r->cases == 1);
	r = find(c, n, f->ezk, 2023, "1", "established", 0);
	assert_true(r && r->registered == 1 && r->cases == 0);
	free(c);
	/* unbounded: the 2021 case and EZ's 2025 row as well */
	assert_int_equal(registrations_counts(f->t.db, 0, 0, &c, &n), 0);
	assert_int_equal(n, 6);
	r = find(c, n, f->ez, 2025, "2", "partly", 0);
	assert_true(r && r->registered == 1);
	r = find(c, n, f->fin, 2021, "1", "established", 1);
	assert_true(r && r->cases == 1);
	free(c);

	struct reg_measure_count *m;
	assert_int_equal(registrations_measure_counts(f->t.db, 2022, 2022, &m, &n), 0);
	assert_int_equal(n, 2);
	if (n == 2) {
		/* ordered by organisation, year, code */
		assert_string_equal(m[0].code, "dismissal");
		assert_int_equal(m[0].org_id, f->ezk);
		assert_int_equal(m[0].registered, 1);
		assert_int_equal(m[0].cases, 0);
		assert_string_equal(m[1].code, "written_reprimand");
		assert_int_equal(m[1].registered, 1);
		assert_int_equal(m[1].cases, 1);
	}
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_good_file, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_bad_file, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_progress, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_counts, setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
