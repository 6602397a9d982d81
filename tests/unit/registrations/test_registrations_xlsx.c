/* test_registrations_xlsx.c: a register saved as an Excel workbook
 * (src/registrations/xlsx.c through import.c). Workbooks are written by
 * libxlsxwriter (tests/unit/sheetread/xlsxmake.c) as the exports are: dates
 * as day numbers with a date format, words as shared strings, numbers as
 * numbers, yes/no as true/false cells. A good workbook imports to the same
 * rows as its CSV twin; a workbook named .csv is still read as one (the
 * kind comes from the content); a bad workbook is refused whole with every
 * bad row's sheet row number and nothing written; a value right of the
 * header, a day number that is no day and a 1904 workbook's dates; an old
 * .xls and a zip that is no workbook are refused with a plain message; the
 * pure pass refuses a bomb and an over-deep sheet, and reports a header
 * problem with its row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "registrations/registrations.h"
#include "sheetread/sheetread.h"
#include "sheetread/xlsxmake.h"

#define TODAY "2025-06-30"

struct fx {
	struct testfx t; /* first: fixture_teardown closes it */
};

static int setup(void **state)
{
	static struct fx f;
	memset(&f, 0, sizeof f);
	const struct fixture_dept depts[] = {{"FIN", NULL}, {"EZK", NULL}, {NULL, NULL}};
	fixture_open(&f.t, NULL, depts);
	fixture_split_ezk(&f.t);
	*state = &f;
	return 0;
}

static int64_t q(struct fx *f, const char *sql)
{
	return testdb_i64(f->t.db, sql);
}

static enum reg_status import(struct fx *f, const char *path, struct reg_import_result *res)
{
	struct reg_import_opts o = {.actor = "cli:test", .today = TODAY};
	return registrations_import(f->t.db, &f->t.signer, path, &o, res);
}

static char *write_book(struct fx *f, const char *name, const char *const *cells, size_t rows,
			size_t cols)
{
	char *path = tmpdir_path(f->t.dir, name);
	struct xm_sheet s = {cells, rows, cols, 0};
	if (xm_book(path, &s) != 0)
		fail_msg("xm_book %s", name);
	return path;
}

/* Every stored registration as one line each, in a fixed order, to compare
 * two imports. */
static char *rows_text(struct fx *f)
{
	db_stmt_t *st;
	size_t cap = 1, n = 0;
	char *out = calloc(1, 1);
	if (db_prepare(f->t.db, "SELECT o.code, o.valid_from, r.received_on, r.category, "
				"r.taxonomy_revision, r.outcome, coalesce(r.measure, '-'), "
				"r.police_report FROM registration r JOIN org o ON o.id = r.org_id "
				"ORDER BY 1, 3, 4, 6, 7, 8", &st) != 0) {
		fail_msg("prepare: %s", db_error(f->t.db)->msg);
		return out;
	}
	while (out && db_step(st) == DB_ROW) {
		char line[300];
		int k = snprintf(line, sizeof line, "%s@%s %s %s/%lld %s %s %lld\n",
				 db_col_text(st, 0), db_col_text(st, 1), db_col_text(st, 2),
				 db_col_text(st, 3), (long long)db_col_i64(st, 4),
				 db_col_text(st, 5), db_col_text(st, 6),
				 (long long)db_col_i64(st, 7));
		char *nout = realloc(out, cap += (size_t)k);
		if (!nout)
			break;
		out = nout;
		memcpy(out + n, line, (size_t)k + 1);
		n += (size_t)k;
	}
	db_finalize(st);
	return out;
}

#define COLS 7
/* The good register: a Dutch header in another order than the CSV twin's,
 * dates as dates and as text, numbers as numbers, true/false and words for
 * the police report, a row the file leaves out, a row of spaces, empty
 * trailing cells (the measure last in the CSV's order). */
static const char *const good_book[] = {
	"Organisatie", "Categorie", "Datum ontvangst", "Taxonomieversie", "Uitkomst", "Aangifte",
	"Maatregel",
	"EZK", "#1", "@2023-05-03", "#1", "vastgesteld", "?0", "written_reprimand",
	"EZ", "2", "2025-01-10", "1", "niet vastgesteld", "?1", "",
	"", "", "", "", "", "", "",
	"KGG", "#2", "@2024-07-02", "#1", "gedeeltelijk", "nee", "",
	"FIN", "#3", "1-2-2020", "#1", "Vastgesteld", "Ja", "dismissal",
	" ", "", "", "", "", "", "",
	"EZK", "#5", "@2024-07-01", "#1", "not established", "no", "",
};

static const char good_csv[] =
	"organisation;date received;category;taxonomy version;outcome;measure;police report\n"
	"EZK;03-05-2023;1;1;established;written_reprimand;no\n"
	"EZ;2025-01-10;2;1;not established;;yes\n"
	"KGG;2024-07-02;2;1;partly;;no\n"
	"FIN;2020-02-01;3;1;established;dismissal;yes\n"
	"EZK;2024-07-01;5;1;not established;;no\n";

static void test_equals_csv_twin(void **state)
{
	struct fx *f = *state;
	struct reg_import_result res;
	char *csv = tmpdir_path(f->t.dir, "twin.csv");
	write_file_bytes(csv, good_csv, strlen(good_csv), 0600);
	assert_int_equal(import(f, csv, &res), REG_OK);
	assert_int_equal(res.rows, 5);
	reg_import_result_free(&res);
	char *want = rows_text(f);
	testdb_exec(f->t.db, "DELETE FROM registration");

	int64_t audit0 = q(f, "SELECT count(*) FROM audit_log");
	char *book = write_book(f, "register.xlsx", good_book, 8, COLS);
	assert_int_equal(import(f, book, &res), REG_OK);
	assert_int_equal(res.nproblems, 0);
	assert_int_equal(res.rows, 5);
	char *got = rows_text(f);
	assert_string_equal(got, want);
	/* the import's row and its audit entry, as for a CSV file */
	char sql[400];
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM registration_import WHERE id = %lld AND rows = 5 AND "
		 "file_name = 'register.xlsx' AND sha256 = '%s'",
		 (long long)res.import_id, res.sha256);
	assert_int_equal(q(f, sql), 1);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM audit_log WHERE action = 'registrations.import' AND "
		 "object_id = '%lld' AND detail = 'sha256=%s rows=5'",
		 (long long)res.import_id, res.sha256);
	assert_int_equal(q(f, sql), 1);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log"), audit0 + 1);
	reg_import_result_free(&res);

	/* the same workbook under a CSV name: read as a workbook, by its content
	 * (and the same bytes, so refused as imported before) */
	size_t n = 0;
	char *bytes = xm_read(book, &n);
	char *renamed = tmpdir_path(f->t.dir, "register.csv");
	write_file_bytes(renamed, bytes, n, 0600);
	assert_int_equal(import(f, renamed, &res), REG_ECONFLICT);
	reg_import_result_free(&res);
	struct reg_import_opts o = {.actor = "cli:test", .today = TODAY, .again = 1};
	assert_int_equal(registrations_import(f->t.db, &f->t.signer, renamed, &o, &res), REG_OK);
	assert_int_equal(res.rows, 5);
	assert_int_equal(q(f, "SELECT count(*) FROM registration"), 10);
	reg_import_result_free(&res);
	free(renamed);
	free(bytes);
	free(got);
	free(want);
	free(book);
	free(csv);
}

static void test_bad_book(void **state)
{
	struct fx *f = *state;
	struct reg_import_result res;
	static const char *const bad[] = {
		"organisation", "date received", "category", "taxonomy version", "outcome",
		"measure", "police report", "",
		"FIN", "@2023-01-10", "#1", "#1", "established", "", "?0", " ", /* a space: empty */
		"EZ", "@2023-05-01", "#1", "#1", "established", "", "?0", "",
		"FIN", "@2023-01-11", "#1", "#1", "established", "", "?0", "",
		"FIN", "@2023-01-12", "#42", "#1", "established", "", "?0", "",
		"", "", "", "", "", "", "", "",
		"FIN", "@2023-01-13", "#1", "#1", "established", "", "maybe", "",
		"FIN", "#60", "#1", "#1", "established", "", "?0", "",
		"FIN", "@2023-01-14", "#1", "#1", "established", "", "?0", "note",
		"FIN", "@2026-01-01", "#1", "#1", "=1/0", "", "?1", "",
	};
	int64_t audit0 = q(f, "SELECT count(*) FROM audit_log");
	char *path = write_book(f, "bad.xlsx", bad, 10, 8);
	assert_int_equal(import(f, path, &res), REG_EINVALID);
	static const char *const want[] = {
		"row 3: organisation EZ did not exist on 2023-05-01: it began on 2024-07-02",
		"row 5: category '42' is not in taxonomy version 1",
		"row 7: police report 'maybe' is not yes, no, ja or nee",
		"row 8: date received '60' is not a real date written YYYY-MM-DD or DD-MM-YYYY",
		"row 9: column H has a value, but the header ends at column G",
		"row 10: date received 2026-01-01 is after today; outcome '0' is not established, "
		"partly or not established (vastgesteld, gedeeltelijk, niet vastgesteld)",
	};
	size_t nwant = sizeof want / sizeof want[0];
	assert_int_equal(res.nproblems, nwant);
	for (size_t i = 0; i < res.nlisted && i < nwant; i++)
		assert_string_equal(res.problems[i], want[i]);
	assert_int_equal(res.import_id, 0);
	assert_int_equal(q(f, "SELECT count(*) FROM registration"), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM registration_import"), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log"), audit0);
	reg_import_result_free(&res);
	free(path);

	/* a header only; a header problem names its row */
	static const char *const header_only[] = {"", "", "", "organisation", "date received",
						  "outcome"};
	path = write_book(f, "header.xlsx", header_only, 2, 3);
	assert_int_equal(import(f, path, &res), REG_EINVALID);
	assert_int_equal(res.nproblems, 1);
	if (res.nlisted == 1)
		assert_string_equal(res.problems[0],
				    "row 2: the header has no column 'category'");
	reg_import_result_free(&res);
	free(path);
	path = write_book(f, "header7.xlsx", bad, 1, 7);
	assert_int_equal(import(f, path, &res), REG_EINVALID);
	if (res.nlisted == 1)
		assert_string_equal(res.problems[0],
				    "the first sheet has a header but no registrations");
	reg_import_result_free(&res);
	free(path);

	/* an old .xls; a zip that is no workbook */
	path = tmpdir_path(f->t.dir, "old.xls");
	write_file_bytes(path, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0", 12, 0600);
	assert_int_equal(import(f, path, &res), REG_EINVALID);
	if (res.nlisted == 1)
		assert_string_equal(res.problems[0],
				    "it is an old Excel workbook (.xls) or a password-protected one, "
				    "which cannot be read: save it as .xlsx without a password, or "
				    "as CSV");
	reg_import_result_free(&res);
	free(path);
	path = tmpdir_path(f->t.dir, "notes.xlsx");
	struct xm_part notes[] = {{"notes.txt", "hello", 0}};
	if (xm_zip(path, notes, 1) != 0)
		fail_msg("xm_zip");
	assert_int_equal(import(f, path, &res), REG_EINVALID);
	if (res.nlisted == 1)
		assert_string_equal(res.problems[0],
				    "it is a zip archive but not an Excel workbook (.xlsx): it has "
				    "no xl/workbook.xml");
	reg_import_result_free(&res);
	free(path);
	assert_int_equal(q(f, "SELECT count(*) FROM registration_import"), 0);
	assert_int_equal(q(f, "SELECT count(*) FROM audit_log"), audit0);
}

static void test_date1904(void **state)
{
	struct fx *f = *state;
	struct reg_import_result res;
	static const char sheet[] =
		"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
		"<sheetData><row r=\"1\">"
		"<c r=\"A1\" t=\"inlineStr\"><is><t>organisation</t></is></c>"
		"<c r=\"B1\" t=\"inlineStr\"><is><t>date received</t></is></c>"
		"<c r=\"C1\" t=\"inlineStr\"><is><t>category</t></is></c>"
		"<c r=\"D1\" t=\"inlineStr\"><is><t>taxonomy version</t></is></c>"
		"<c r=\"E1\" t=\"inlineStr\"><is><t>outcome</t></is></c>"
		"<c r=\"F1\" t=\"inlineStr\"><is><t>measure</t></is></c>"
		"<c r=\"G1\" t=\"inlineStr\"><is><t>police report</t></is></c></row>"
		"<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>FIN</t></is></c>"
		"<c r=\"B2\" s=\"1\"><v>43538</v></c><c r=\"C2\"><v>1</v></c><c r=\"D2\"><v>1</v></c>"
		"<c r=\"E2\" t=\"inlineStr\"><is><t>established</t></is></c>"
		"<c r=\"G2\" t=\"b\"><v>0</v></c></row>"
		"</sheetData></worksheet>";
	struct xm_part parts[6];
	size_t n = xm_minimal(parts, sheet, NULL, 1);
	char *path = tmpdir_path(f->t.dir, "mac.xlsx");
	if (xm_zip(path, parts, n) != 0)
		fail_msg("xm_zip");
	assert_int_equal(import(f, path, &res), REG_OK);
	assert_int_equal(q(f, "SELECT count(*) FROM registration WHERE received_on = '2023-03-15' "
			      "AND police_report = 0"),
			 1);
	reg_import_result_free(&res);
	free(path);
}

/* The pure pass with small limits: a bomb and a deep sheet are refused as a
 * whole, without a row number. */
static void test_pass_limits(void **state)
{
	struct fx *f = *state;
	struct org_table t;
	struct reg_context cx;
	char err[300];
	org_table_init(&t);
	if (orgs_load(f->t.db, &t) != 0 || reg_context_init(&cx, &t, TODAY, err, sizeof err) != 0)
		fail_msg("context");
	struct sheetread_limits lim;
	reg_sheet_limits(&lim);
	assert_int_equal(lim.max_cols, CSV_MAX_FIELDS);
	assert_int_equal(lim.cell_max, CSV_FIELD_MAX);
	lim.max_unpacked = 1 << 20;
	size_t big = (size_t)3 << 20;
	char *sheet = malloc(big + 1);
	if (!sheet) {
		fail_msg("malloc");
		return;
	}
	memset(sheet, ' ', big);
	memcpy(sheet, "<worksheet>", 11);
	memcpy(sheet + big - 12, "</worksheet>", 12);
	sheet[big] = 0;
	struct xm_part parts[6];
	size_t n = xm_minimal(parts, sheet, NULL, 0);
	char *path = tmpdir_path(f->t.dir, "bomb.xlsx");
	if (xm_zip(path, parts, n) != 0)
		fail_msg("xm_zip");
	size_t len = 0;
	char *data = xm_read(path, &len);
	assert_true(len < 64 * 1024);
	struct reg_import_result res = {0};
	struct reg_sink sink = {0};
	assert_int_equal(reg_xlsx_pass(data, len, &cx, &lim, &sink, &res), 0);
	assert_int_equal(res.nproblems, 1);
	if (res.nlisted == 1)
		assert_string_equal(res.problems[0],
				    "the file unpacks to more than 1 MiB, more than a register "
				    "needs: it is refused as a possible zip bomb");
	reg_import_result_free(&res);
	free(data);

	char deep[2000];
	size_t k = 0;
	for (int i = 0; i < 70; i++)
		k += (size_t)snprintf(deep + k, sizeof deep - k, "<d>");
	for (int i = 0; i < 70; i++)
		k += (size_t)snprintf(deep + k, sizeof deep - k, "</d>");
	n = xm_minimal(parts, deep, NULL, 0);
	if (xm_zip(path, parts, n) != 0)
		fail_msg("xm_zip");
	data = xm_read(path, &len);
	memset(&res, 0, sizeof res);
	assert_int_equal(reg_xlsx_pass(data, len, &cx, NULL, &sink, &res), 0);
	if (res.nlisted == 1)
		assert_string_equal(res.problems[0], "xl/worksheets/first.xml is nested deeper "
						     "than 64 elements, which no spreadsheet needs");
	reg_import_result_free(&res);
	free(data);
	free(path);
	free(sheet);
	org_table_free(&t);
}

static size_t seen[4], nseen;

static void progress(void *ctx, size_t rows)
{
	(void)ctx;
	if (nseen < 4)
		seen[nseen] = rows;
	nseen++;
}

/* Progress as for CSV: every 100,000 rows. The sheet is written as XML
 * here, which is quicker than a writer for 100,001 rows. */
static void test_progress(void **state)
{
	struct fx *f = *state;
	/* not SQLite's behaviour, but its speed: a row is one statement, and
	 * over a socket (under ASan, on a busy machine) these rows take minutes
	 * on PostgreSQL. test_good_file imports on both engines; counting
	 * progress does not depend on the engine. */
	SQLITE_ONLY("more than 100,000 rows, one statement each: minutes on PostgreSQL");
	size_t rows = REG_PROGRESS_EVERY + 1, cap = 300 * rows, k = 0;
	char *sheet = malloc(cap);
	if (!sheet) {
		fail_msg("malloc");
		return;
	}
	k += (size_t)snprintf(sheet + k, cap - k,
			      "<worksheet><sheetData><row r=\"1\">"
			      "<c r=\"A1\" t=\"inlineStr\"><is><t>organisation</t></is></c>"
			      "<c t=\"inlineStr\"><is><t>date received</t></is></c>"
			      "<c t=\"inlineStr\"><is><t>category</t></is></c>"
			      "<c t=\"inlineStr\"><is><t>taxonomy version</t></is></c>"
			      "<c t=\"inlineStr\"><is><t>outcome</t></is></c>"
			      "<c t=\"inlineStr\"><is><t>measure</t></is></c>"
			      "<c t=\"inlineStr\"><is><t>police report</t></is></c></row>");
	for (size_t i = 0; i < rows; i++)
		k += (size_t)snprintf(sheet + k, cap - k,
				      "<row><c t=\"inlineStr\"><is><t>FIN</t></is></c><c><v>%zu</v></c>"
				      "<c><v>%zu</v></c><c><v>1</v></c><c t=\"inlineStr\"><is><t>"
				      "established</t></is></c><c/><c t=\"b\"><v>0</v></c></row>",
				      43466 + i % 365, 1 + i % 9);
	snprintf(sheet + k, cap - k, "</sheetData></worksheet>");
	struct xm_part parts[6];
	size_t n = xm_minimal(parts, sheet, NULL, 0);
	char *path = tmpdir_path(f->t.dir, "big.xlsx");
	if (xm_zip(path, parts, n) != 0)
		fail_msg("xm_zip");
	struct reg_import_result res;
	struct reg_import_opts o = {.actor = "cli:test", .today = TODAY, .progress = progress};
	nseen = 0;
	assert_int_equal(registrations_import(f->t.db, &f->t.signer, path, &o, &res), REG_OK);
	assert_int_equal(res.rows, rows);
	assert_int_equal(nseen, 1);
	assert_int_equal(seen[0], REG_PROGRESS_EVERY);
	assert_int_equal(q(f, "SELECT count(*) FROM registration WHERE received_on BETWEEN "
			      "'2019-01-01' AND '2019-12-31'"),
			 (int64_t)rows);
	reg_import_result_free(&res);
	free(path);
	free(sheet);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_equals_csv_twin, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_bad_book, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_date1904, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_pass_limits, setup, fixture_teardown),
		cmocka_unit_test_setup_teardown(test_progress, setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
