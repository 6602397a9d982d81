/* test_sheetread.c: the XLSX reader (src/sheetread). Workbooks written by
 * libxlsxwriter, with shared strings and with inline strings, read back cell
 * for cell with their types, gaps and row numbers; hand-made parts for what
 * that writer never writes: rich text runs and phonetic guides, the first
 * sheet found by its relationship rather than its order, cells without a
 * reference, error and formula cells, the 1904 date system. Excel's day
 * numbers in both systems, the 29 February 1900 that never was included.
 * Row problems (a cell too long, a value right of the columns read, a shared
 * string that does not exist) come with their row while reading goes on.
 * Refused whole with a plain message: not a zip, an old .xls, a zip that is
 * no workbook, an OpenDocument file, a missing part, no sheet, a chart
 * sheet, broken XML, a DTD (billion laughs), XML nested too deep, rows out
 * of order, and a bomb, also one whose headers claim a small size. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sheetread/sheetread.h"
#include "store/testutil.h"
#include "xlsxmake.h"

/* Every row read, as text: "7:A=t:x|C=n:12" per row, rows joined by '\n';
 * a row's problems as "7!why". */
struct got {
	char text[8192];
	size_t rows;
	size_t stop_after;   /* 0: never stop */
};

static int collect(void *ctx, const struct sheetread_row *row)
{
	struct got *g = ctx;
	static const char types[] = "-tnbe";
	size_t k = strlen(g->text);
	if (k)
		k += (size_t)snprintf(g->text + k, sizeof g->text - k, "\n");
	k += (size_t)snprintf(g->text + k, sizeof g->text - k, "%u:", (unsigned)row->number);
	for (size_t c = 0; c < row->ncells; c++) {
		char col[4];
		const struct sheetread_cell *x = &row->cells[c];
		if (x->type == SHEETREAD_EMPTY)
			continue;
		sheetread_col_name(c, col);
		k += (size_t)snprintf(g->text + k, sizeof g->text - k, "%s%s=%c:%.*s",
				      g->text[k - 1] == ':' ? "" : "|", col, types[x->type],
				      (int)x->n, x->p);
	}
	if (row->err[0])
		snprintf(g->text + k, sizeof g->text - k, "!%s", row->err);
	g->rows++;
	return g->stop_after && g->rows >= g->stop_after;
}

struct fx {
	char *dir;
};

static int setup(void **state)
{
	static struct fx f;
	f.dir = tmpdir_make();
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	tmpdir_remove(f->dir);
	return 0;
}

/* Reads the file at path with lim (NULL: defaults) into g; returns
 * sheetread_xlsx's result, err its message. */
static int read_path(const char *path, const struct sheetread_limits *lim, struct got *g,
		     struct sheetread_info *info, char *err, size_t errlen)
{
	size_t n = 0;
	char *data = xm_read(path, &n);
	if (!data) {
		fail_msg("cannot read %s", path);
		return -2;
	}
	int rc = sheetread_xlsx(data, n, lim, collect, g, info, err, errlen);
	free(data);
	return rc;
}

static int read_parts(struct fx *f, const struct xm_part *parts, size_t n,
		      const struct sheetread_limits *lim, struct got *g, char *err,
		      size_t errlen)
{
	struct sheetread_info info;
	char *path = tmpdir_path(f->dir, "t.xlsx");
	if (xm_zip(path, parts, n) != 0)
		fail_msg("xm_zip");
	int rc = read_path(path, lim, g, &info, err, errlen);
	free(path);
	return rc;
}

static const char *const book[] = {
	"Organisatie", "Datum", "Categorie", "Aangifte", "",
	"FIN", "@2023-05-03", "#1", "?1", "",
	"", "", "", "", "",     /* a row the file leaves out */
	"EZK", "14-03-2023", "#12.5", "?0", "",
	"", "x", "", "", "=1+1",  /* a formula: the value saved with it (libxlsxwriter's 0) */
};

static void check_book(struct fx *f, int inline_strings)
{
	struct xm_sheet s = {book, 5, 5, inline_strings};
	char *path = tmpdir_path(f->dir, "book.xlsx");
	struct got g = {0};
	struct sheetread_info info;
	char err[300];
	if (xm_book(path, &s) != 0)
		fail_msg("xm_book");
	assert_int_equal(read_path(path, NULL, &g, &info, err, sizeof err), 0);
	assert_string_equal(info.sheet_name, "Blad1");
	assert_int_equal(info.date1904, 0);
	assert_string_equal(g.text, "1:A=t:Organisatie|B=t:Datum|C=t:Categorie|D=t:Aangifte\n"
				    "2:A=t:FIN|B=n:45049|C=n:1|D=b:1\n"
				    "4:A=t:EZK|B=t:14-03-2023|C=n:12.5|D=b:0\n"
				    "5:B=t:x|E=n:0");
	free(path);
}

static void test_book_shared_strings(void **state)
{
	check_book(*state, 0);
}

static void test_book_inline_strings(void **state)
{
	check_book(*state, 1);
}

static const char strings[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"3\">"
	"<si><t>plain</t></si>"
	"<si><r><rPr><b/></rPr><t>ri</t></r><r><t xml:space=\"preserve\">ch &amp; </t></r>"
	"<r><t>t\xc3\xa9xt</t></r></si>"
	"<si><t>\xe6\xbc\xa2</t><rPh sb=\"0\" eb=\"1\"><t>kan</t></rPh></si>"
	"</sst>";

static void test_hand_made(void **state)
{
	struct fx *f = *state;
	static const char sheet[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		"<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
		"<x:sheetData>"
		"<x:row r=\"2\"><x:c r=\"A2\" t=\"s\"><x:v>0</x:v></x:c>"
		"<x:c r=\"C2\" t=\"s\"><x:v>1</x:v></x:c><x:c t=\"s\"><x:v>2</x:v></x:c></x:row>"
		"<x:row><x:c r=\"B3\" t=\"e\"><x:v>#N/A</x:v></x:c>"
		"<x:c r=\"C3\" t=\"str\"><x:f>A1&amp;\"x\"</x:f><x:v>ab</x:v></x:c>"
		"<x:c r=\"D3\" s=\"4\"/><x:c r=\"E3\" t=\"inlineStr\"><x:is><x:r><x:t>in</x:t></x:r>"
		"<x:r><x:t>line</x:t></x:r></x:is></x:c></x:row>"
		"<x:row r=\"9\" spans=\"1:3\"><x:c r=\"A9\" s=\"1\"/></x:row>"
		"<x:row r=\"10\"><x:c r=\"B10\"><x:v>-1.5E-3</x:v></x:c></x:row>"
		"</x:sheetData></x:worksheet>";
	struct xm_part parts[6];
	size_t n = xm_minimal(parts, sheet, strings, 0);
	struct got g = {0};
	char err[300];
	assert_int_equal(read_parts(f, parts, n, NULL, &g, err, sizeof err), 0);
	/* the first sheet by its relationship (rId7), not "Other"; rich text
	 * joined, the phonetic guide left out; a styled empty cell and a row of
	 * them are nothing */
	assert_string_equal(g.text, "2:A=t:plain|C=t:rich & t\xc3\xa9xt|D=t:\xe6\xbc\xa2\n"
				    "3:B=e:#N/A|C=t:ab|E=t:inline\n"
				    "10:B=n:-1.5E-3");
}

static void test_date1904(void **state)
{
	struct fx *f = *state;
	static const char sheet[] =
		"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
		"<sheetData><row r=\"1\"><c r=\"A1\"><v>43538</v></c></row></sheetData></worksheet>";
	struct xm_part parts[6];
	size_t n = xm_minimal(parts, sheet, NULL, 1);
	struct sheetread_info info;
	struct got g = {0};
	char err[300], *path = tmpdir_path(f->dir, "t.xlsx");
	if (xm_zip(path, parts, n) != 0)
		fail_msg("xm_zip");
	assert_int_equal(read_path(path, NULL, &g, &info, err, sizeof err), 0);
	assert_int_equal(info.date1904, 1);
	assert_string_equal(info.sheet_name, "Registers");
	assert_string_equal(g.text, "1:A=n:43538");
	free(path);
}

/* The first sheet's name as UTF-8, a name longer than the room cut at a
 * whole character. */
static void test_sheet_name(void **state)
{
	struct fx *f = *state;
	struct xm_part parts[6];
	size_t n = xm_minimal(parts, "<worksheet/>", NULL, 0);
	char wb[1200], name[600] = "", *path = tmpdir_path(f->dir, "t.xlsx");
	struct sheetread_info info;
	struct got g = {0};
	char err[300];
	for (int i = 0; i < 130; i++)
		strcat(name, "\xc3\xa9"); /* é */
	const char *names[] = {"Blad \xc3\xa9", name};
	for (int t = 0; t < 2; t++) {
		snprintf(wb, sizeof wb,
			 "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/"
			 "2006/relationships\"><sheets><sheet name=\"%s\" r:id=\"rId7\"/></sheets>"
			 "</workbook>", names[t]);
		parts[1].data = wb;
		if (xm_zip(path, parts, n) != 0)
			fail_msg("xm_zip");
		assert_int_equal(read_path(path, NULL, &g, &info, err, sizeof err), 0);
		if (t == 0)
			assert_string_equal(info.sheet_name, "Blad \xc3\xa9");
		else
			assert_memory_equal(info.sheet_name, name, 126);
		if (t == 1)
			assert_int_equal(strlen(info.sheet_name), 126);
	}
	free(path);
}

static void test_serial_dates(void **state)
{
	(void)state;
	static const struct {
		const char *num;
		int date1904;
		const char *want;   /* NULL: refused */
	} cases[] = {
		{"1", 0, "1900-01-01"},      {"59", 0, "1900-02-28"},
		{"60", 0, NULL},             /* 29 February 1900 never was */
		{"61", 0, "1900-03-01"},     {"45000", 0, "2023-03-15"},
		{"45000.75", 0, "2023-03-15"}, {"4.5E4", 0, "2023-03-15"},
		{"4500000E-2", 0, "2023-03-15"}, {"2958465", 0, "9999-12-31"},
		{"2958466", 0, NULL},        {"0", 0, NULL},
		{"-1", 0, NULL},             {"", 0, NULL},
		{"45000x", 0, NULL},         {"1E400", 0, NULL},
		{".", 0, NULL},              {"0", 1, "1904-01-01"},
		{"43538", 1, "2023-03-15"},  {"-1", 1, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[11];
		int rc = sheetread_serial_date(cases[i].num, strlen(cases[i].num),
					       cases[i].date1904, out);
		if (!cases[i].want) {
			if (rc != -1)
				fail_msg("%s accepted as %s", cases[i].num, out);
			continue;
		}
		if (rc != 0)
			fail_msg("%s refused", cases[i].num);
		assert_string_equal(out, cases[i].want);
	}
	char c[4];
	sheetread_col_name(0, c);
	assert_string_equal(c, "A");
	sheetread_col_name(27, c);
	assert_string_equal(c, "AB");
	sheetread_col_name(16383, c);
	assert_string_equal(c, "XFD");
}

static void test_row_problems(void **state)
{
	struct fx *f = *state;
	static const char sheet[] =
		"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
		"<sheetData>"
		"<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>0123456789X</t></is></c>"
		"<c r=\"B1\"><v>1</v></c></row>"
		"<row r=\"2\"><c r=\"A2\"><v>2</v></c><c r=\"E2\"><v>5</v></c></row>"
		"<row r=\"3\"><c r=\"A3\" t=\"s\"><v>7</v></c><c r=\"B3\" t=\"s\"><v>x</v></c></row>"
		"<row r=\"4\"><c r=\"B4\"><v>1</v></c><c r=\"A4\"><v>2</v></c>"
		"<c r=\"C5\"><v>3</v></c><c r=\"$1\"><v>3</v></c></row>"
		"<row r=\"5\"><c r=\"A5\" t=\"b\"><v>2</v></c><c r=\"B5\" t=\"q\"><v>1</v></c>"
		"<c r=\"C5\" t=\"s\"><v>1</v></c></row>"
		"<row r=\"6\"><c r=\"A6\"><v>ok</v></c></row>"
		"</sheetData></worksheet>";
	struct xm_part parts[6];
	size_t n = xm_minimal(parts, sheet, strings, 0);
	struct sheetread_limits lim;
	sheetread_limits_default(&lim);
	lim.cell_max = 10;
	lim.max_cols = 3;
	struct got g = {0};
	char err[300];
	assert_int_equal(read_parts(f, parts, n, &lim, &g, err, sizeof err), 0);
	assert_string_equal(
		g.text,
		"1:B=n:1!cell A1 is longer than 10 bytes\n"
		"2:A=n:2!cell E2 has a value, but only columns A to C are read\n"
		"3:!cell A3 names shared string '7', which the workbook does not have; cell B3 "
		"names shared string 'x', which the workbook does not have\n"
		"4:B=n:1!cell A4 comes twice or out of order; cell C5 is inside row 4; a cell's "
		"reference '$1' is not a cell such as B7\n"
		"5:!cell A5 is a true/false cell holding '2'; cell B5 has type 'q', which a sheet "
		"cell does not have; cell C5 is longer than 10 bytes\n"
		"6:A=n:ok");

	/* the caller stops: 1, and no row after */
	struct got g2 = {.stop_after = 2};
	assert_int_equal(read_parts(f, parts, n, &lim, &g2, err, sizeof err), 1);
	assert_int_equal(g2.rows, 2);
}

/* Reads parts and expects a refusal whose message contains want. */
static void refused(struct fx *f, const struct xm_part *parts, size_t n,
		    const struct sheetread_limits *lim, const char *want)
{
	struct got g = {0};
	char err[400];
	int rc = read_parts(f, parts, n, lim, &g, err, sizeof err);
	if (rc != -1 || !strstr(err, want))
		fail_msg("expected a refusal with '%s', got %d '%s'", want, rc, err);
}

static void test_refused(void **state)
{
	struct fx *f = *state;
	struct xm_part parts[6];
	size_t n;
	char err[300];
	struct sheetread_info info;

	/* not a zip; an old .xls */
	assert_int_equal(sheetread_xlsx("a,b\n", 4, NULL, collect, NULL, &info, err, sizeof err),
			 -1);
	assert_string_equal(err, "it is not an Excel workbook (.xlsx): it does not start as a "
				 "zip archive");
	assert_int_equal(sheetread_sniff("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1xx", 10), SHEETREAD_OLE);
	assert_int_equal(sheetread_sniff("PK\x03\x04", 4), SHEETREAD_ZIP);
	assert_int_equal(sheetread_sniff("PK", 2), SHEETREAD_OTHER);
	/* a damaged zip: the start of one, cut */
	assert_int_equal(sheetread_xlsx("PK\x03\x04\x14\0\0\0", 8, NULL, collect, NULL, &info,
					err, sizeof err),
			 -1);
	assert_non_null(strstr(err, "the zip archive is damaged"));

	/* a zip that is no workbook; an OpenDocument spreadsheet */
	struct xm_part other[] = {{"readme.txt", "hello", 0}};
	refused(f, other, 1, NULL, "not an Excel workbook (.xlsx): it has no xl/workbook.xml");
	struct xm_part ods[] = {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet", 0},
				{"content.xml", "<x/>", 0}};
	refused(f, ods, 2, NULL, "OpenDocument spreadsheet (.ods)");

	/* the first sheet's part missing */
	n = xm_minimal(parts, "<worksheet/>", NULL, 0);
	refused(f, parts, 3, NULL, "the workbook has no part xl/worksheets/first.xml");
	/* the relationships missing */
	struct xm_part two[] = {parts[0], parts[1]};
	refused(f, two, 2, NULL, "the workbook has no part xl/_rels/workbook.xml.rels");
	/* no sheet */
	n = xm_minimal(parts, "<worksheet/>", NULL, 0);
	parts[1].data = "<workbook><sheets/></workbook>";
	refused(f, parts, n, NULL, "the workbook has no sheet");
	/* a chart as the first sheet */
	n = xm_minimal(parts, "<worksheet/>", NULL, 0);
	parts[2].data = "<Relationships><Relationship Id=\"rId7\" Type=\"http://schemas."
			"openxmlformats.org/officeDocument/2006/relationships/chartsheet\" "
			"Target=\"chartsheets/sheet1.xml\"/></Relationships>";
	refused(f, parts, n, NULL, "the first sheet ('Registers') is a chart, not a table");
	/* a sheet outside the archive */
	parts[2].data = "<Relationships><Relationship Id=\"rId7\" Type=\"http://schemas."
			"openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
			"Target=\"../../etc/passwd\"/></Relationships>";
	refused(f, parts, n, NULL, "the first sheet's part '../../etc/passwd' is not inside");

	/* XML that is not well-formed */
	n = xm_minimal(parts, "<worksheet><sheetData><row></sheetData></worksheet>", NULL, 0);
	refused(f, parts, n, NULL, "xl/worksheets/first.xml is not well-formed XML (line 1: "
				   "mismatched tag)");
	/* an undefined entity: no DTD, so no entity but XML's own */
	n = xm_minimal(parts, "<worksheet>&lol;</worksheet>", NULL, 0);
	refused(f, parts, n, NULL, "undefined entity");
	/* billion laughs: the DTD alone is refused */
	static const char laughs[] =
		"<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
		"<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
		"<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
		"<sst><si><t>&lol3;</t></si></sst>";
	n = xm_minimal(parts, "<worksheet/>", laughs, 0);
	refused(f, parts, n, NULL, "xl/sharedStrings.xml has a document type declaration (DTD)");
	/* an external entity, likewise */
	n = xm_minimal(parts, "<!DOCTYPE w [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><w>&x;</w>",
		       NULL, 0);
	refused(f, parts, n, NULL, "document type declaration");

	/* nested too deep */
	static char deep[4096];
	size_t k = 0;
	for (int i = 0; i < 100; i++)
		k += (size_t)snprintf(deep + k, sizeof deep - k, "<a>");
	for (int i = 0; i < 100; i++)
		k += (size_t)snprintf(deep + k, sizeof deep - k, "</a>");
	n = xm_minimal(parts, deep, NULL, 0);
	refused(f, parts, n, NULL, "xl/worksheets/first.xml is nested deeper than 64 elements");

	/* rows out of order, and a row number no sheet has */
	n = xm_minimal(parts, "<worksheet><sheetData><row r=\"5\"/><row r=\"3\"/></sheetData>"
			      "</worksheet>", NULL, 0);
	refused(f, parts, n, NULL, "row 3 comes after row 5 in the sheet");
	n = xm_minimal(parts, "<worksheet><sheetData><row r=\"1048577\"/></sheetData>"
			      "</worksheet>", NULL, 0);
	refused(f, parts, n, NULL, "a row numbered '1048577'");
}

/* A sheet of size bytes: one row, then whitespace, which deflates to about a
 * thousandth. */
static char *big_sheet(size_t size)
{
	static const char head[] = "<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c>"
				   "</row>";
	static const char tail[] = "</sheetData></worksheet>";
	char *s = malloc(size + 1);
	if (!s)
		return NULL;
	memset(s, ' ', size);
	memcpy(s, head, strlen(head));
	memcpy(s + size - strlen(tail), tail, strlen(tail));
	s[size] = 0;
	return s;
}

static void test_bomb(void **state)
{
	struct fx *f = *state;
	struct xm_part parts[6];
	struct sheetread_limits lim;
	sheetread_limits_default(&lim);
	lim.max_unpacked = (uint64_t)4 << 20;
	char *sheet = big_sheet((size_t)8 << 20);
	if (!sheet) {
		fail_msg("malloc");
		return;
	}
	size_t n = xm_minimal(parts, sheet, NULL, 0);
	/* under the limit it reads; over it, refused, the row before the limit read */
	struct got g = {0};
	char err[400];
	lim.max_unpacked = (uint64_t)16 << 20;
	assert_int_equal(read_parts(f, parts, n, &lim, &g, err, sizeof err), 0);
	assert_string_equal(g.text, "1:A=n:1");
	lim.max_unpacked = (uint64_t)4 << 20;
	refused(f, parts, n, &lim, "the file unpacks to more than 4 MiB");

	/* the same archive with headers claiming 100 bytes: the count is of the
	 * bytes inflated, so it is refused all the same */
	char *path = tmpdir_path(f->dir, "lie.xlsx");
	if (xm_zip(path, parts, n) != 0)
		fail_msg("xm_zip");
	size_t len = 0;
	unsigned char *z = (unsigned char *)xm_read(path, &len);
	if (!z) {
		fail_msg("read");
		return;
	}
	size_t patched = 0;
	for (size_t i = 0; i + 46 < len; i++) {
		/* the sheet's local header (size at 22) and central entry (at 24) */
		static const char name[] = "xl/worksheets/first.xml";
		size_t nl = strlen(name);
		if (memcmp(z + i, "PK\x03\x04", 4) == 0 && i + 30 + nl <= len &&
		    memcmp(z + i + 30, name, nl) == 0) {
			memcpy(z + i + 22, "\x64\0\0\0", 4);
			patched++;
		}
		if (memcmp(z + i, "PK\x01\x02", 4) == 0 && i + 46 + nl <= len &&
		    memcmp(z + i + 46, name, nl) == 0) {
			memcpy(z + i + 24, "\x64\0\0\0", 4);
			patched++;
		}
	}
	assert_int_equal(patched, 2);
	struct sheetread_info info;
	struct got g2 = {0};
	int rc = sheetread_xlsx(z, len, &lim, collect, &g2, &info, err, sizeof err);
	/* refused by the count, not by libzip noticing the lie at the end */
	if (rc != -1 || !strstr(err, "the file unpacks to more than 4 MiB"))
		fail_msg("a bomb with lying headers: %d %s", rc, err);
	free(z);
	free(path);
	free(sheet);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_book_shared_strings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_book_inline_strings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hand_made, setup, teardown),
		cmocka_unit_test_setup_teardown(test_date1904, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sheet_name, setup, teardown),
		cmocka_unit_test(test_serial_dates),
		cmocka_unit_test_setup_teardown(test_row_problems, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bomb, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
