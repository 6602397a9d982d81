/* test_sheet.c: CSV and XLSX output of web/sheet.h. The XLSX is checked the
 * way a reader would: it is a zip holding one worksheet per table, and the
 * strings are in it (unzip from the test dependencies' python3). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/buf.h"
#include "web/sheet.h"

static const char *const HDR[] = {"Norm", "Score", "Comment"};

static void test_csv(void **state)
{
	(void)state;
	struct arena a = {0};
	struct sheet_book *b = sheet_book_new(&a);
	struct sheet_table *t = sheet_table_add(b, "Scores", 3, HDR);
	if (!t) {
		fail_msg("no table");
		return;
	}
	assert_int_equal(sheet_row(t), 0);
	sheet_text(t, "Gedragscode, \"2019\"");
	sheet_number(t, 72.5);
	sheet_text(t, "=HYPERLINK(\"x\")");
	assert_int_equal(sheet_row(t), 0);
	sheet_text(t, "Financiële belangen");
	/* left short: padded */
	assert_int_equal(sheet_row(t), 0);
	sheet_text(t, "-1");
	sheet_int(t, 3);
	sheet_text(t, "a\nb");
	sheet_text(t, "dropped: beyond the columns");
	struct buf out = {0};
	sheet_write_csv(t, &out);
	buf_addc(&out, '\0');
	assert_string_equal(out.p,
			    "\xEF\xBB\xBFNorm,Score,Comment\r\n"
			    "\"Gedragscode, \"\"2019\"\"\",72.5,\"'=HYPERLINK(\"\"x\"\")\"\r\n"
			    "Financiële belangen,,\r\n"
			    "\"'-1\",3,\"a\nb\"\r\n");
	buf_free(&out);
	arena_free(&a);
}

static void test_limits(void **state)
{
	(void)state;
	struct arena a = {0};
	struct sheet_book *b = sheet_book_new(&a);
	assert_null(sheet_table_add(b, "x", 0, NULL));
	assert_null(sheet_table_add(b, "x", SHEET_COLS_MAX + 1, NULL));
	for (int i = 0; i < SHEET_TABLES_MAX; i++)
		assert_non_null(sheet_table_add(b, "same", 1, HDR));
	assert_null(sheet_table_add(b, "one too many", 1, HDR));
	/* repeated and unusable names become distinct, legal ones */
	struct sheet_table *t0 = sheet_book_table(b, 0), *t1 = sheet_book_table(b, 1);
	if (!t0 || !t1) {
		fail_msg("tables");
		return;
	}
	struct sheet_book *c = sheet_book_new(&a);
	struct sheet_table *odd = sheet_table_add(c, "a/b:c*d?[e]", 1, HDR);
	if (!odd) {
		fail_msg("odd");
		return;
	}
	/* cells before any row go nowhere instead of writing out of bounds */
	sheet_text(odd, "lost");
	struct buf out = {0};
	sheet_write_csv(odd, &out);
	buf_addc(&out, '\0');
	assert_string_equal(out.p, "\xEF\xBB\xBFNorm\r\n");
	buf_free(&out);
	arena_free(&a);
}

static void test_xlsx(void **state)
{
	(void)state;
	struct arena a = {0};
	struct sheet_book *b = sheet_book_new(&a);
	struct sheet_table *t = sheet_table_add(b, "Eisen", 3, HDR);
	struct sheet_table *u = sheet_table_add(b, "Acties", 3, HDR);
	if (!t || !u) {
		fail_msg("tables");
		return;
	}
	sheet_row(t);
	sheet_text(t, "Relatiegeschenken");
	sheet_number(t, 50);
	sheet_text(t, "=1+1");
	sheet_row(u);
	sheet_text(u, "Registratie <nevenwerkzaamheden> & meer");
	struct buf out = {0};
	char err[200];
	assert_int_equal(sheet_write_xlsx(b, &out, err, sizeof err), 0);
	assert_true(out.n > 1000);
	assert_memory_equal(out.p, "PK\x03\x04", 4);
	char path[] = "/tmp/test-sheet-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, out.p, out.n), (ssize_t)out.n);
	close(fd);
	char cmd[600];
	snprintf(cmd, sizeof cmd,
		 "python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]);"
		 " n = z.namelist(); wb = z.read(\"xl/workbook.xml\").decode();"
		 " s = z.read(\"xl/sharedStrings.xml\").decode();"
		 " w = z.read(\"xl/worksheets/sheet1.xml\").decode();"
		 " assert \"xl/worksheets/sheet2.xml\" in n and \"xl/worksheets/sheet3.xml\" not in n;"
		 " assert \"name=\\\"Eisen\\\"\" in wb and \"name=\\\"Acties\\\"\" in wb;"
		 " assert \"Relatiegeschenken\" in s and \"&lt;nevenwerkzaamheden&gt; &amp;\" in s;"
		 " assert \"<f>\" not in w' %s",
		 path);
	assert_int_equal(system(cmd), 0);
	unlink(path);
	buf_free(&out);
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_xlsx),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
