/* test_registrations_row.c: the pure rules of a register file
 * (src/registrations/row.c): the header in English, Dutch and any order, and
 * its refusals (an unknown, doubled or missing column); the date forms; a
 * good row in English and in Dutch words; a blank row; and every message a
 * bad row can give, each checked word for word, including the organisation
 * that did not exist on the date received (before it began, after it
 * ended), the government itself, and several problems in one row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "registrations/registrations.h"

static struct org_table orgs;
static struct reg_context cx;
static struct reg_header hdr;

static void add_org(int64_t id, const char *code, enum org_kind kind, int64_t parent,
		    const char *from, const char *to)
{
	struct org o = {0};
	o.id = id;
	snprintf(o.code, sizeof o.code, "%s", code);
	snprintf(o.name, sizeof o.name, "%s", code);
	o.kind = kind;
	o.parent_id = parent;
	snprintf(o.valid_from, sizeof o.valid_from, "%s", from);
	snprintf(o.valid_to, sizeof o.valid_to, "%s", to);
	assert_int_equal(org_table_add_row(&orgs, &o), 0);
}

/* Splits s at sep into fields (pointing into s, which must stay alive). */
static size_t split(char *s, char sep, struct csv_field *f, size_t cap)
{
	size_t n = 0;
	for (char *p = s;; p++) {
		char *e = strchr(p, sep);
		if (n == cap)
			return n;
		f[n++] = (struct csv_field){p, e ? (size_t)(e - p) : strlen(p)};
		if (!e)
			return n;
		p = e;
	}
}

static int setup(void **state)
{
	(void)state;
	char err[300];
	org_table_init(&orgs);
	add_org(1, "RIJK", ORG_GOVERNMENT, 0, "2010-01-01", "");
	add_org(2, "EZK", ORG_DEPARTMENT, 1, "2017-10-26", "2024-07-02");
	add_org(3, "FIN", ORG_DEPARTMENT, 1, "2010-01-01", "");
	add_org(4, "EZ", ORG_DEPARTMENT, 1, "2024-07-02", "");
	add_org(5, "BD", ORG_UNIT, 3, "2010-01-01", "");
	if (reg_context_init(&cx, &orgs, "2025-06-30", err, sizeof err) != 0)
		fail_msg("%s", err);
	char h[] = "organisation,date received,category,taxonomy version,outcome,measure,"
		   "police report";
	struct csv_field f[10];
	size_t n = split(h, ',', f, 10);
	if (reg_header_parse(f, n, &hdr, err, sizeof err) != 0)
		fail_msg("%s", err);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	org_table_free(&orgs);
	return 0;
}

static int header(const char *text, struct reg_header *h, char *err, size_t errlen)
{
	char s[600];
	struct csv_field f[20];
	snprintf(s, sizeof s, "%s", text);
	size_t n = split(s, ';', f, 20);
	return reg_header_parse(f, n, h, err, errlen);
}

static void test_header(void **state)
{
	(void)state;
	struct reg_header h;
	char err[600];
	/* Dutch, in another order, with odd spacing and case */
	assert_int_equal(header(" Aangifte ;Maatregel;Uitkomst;TAXONOMIEVERSIE;Categorie;"
				"datum_ontvangst;Organisatie",
				&h, err, sizeof err),
			 0);
	assert_int_equal(h.nfields, 7);
	assert_int_equal(h.field[REG_COL_POLICE], 0);
	assert_int_equal(h.field[REG_COL_ORG], 6);
	assert_int_equal(h.field[REG_COL_RECEIVED], 5);
	/* refusals */
	assert_int_equal(header("organisation;date received;category;taxonomy version;outcome;"
				"measure;police report;remarks",
				&h, err, sizeof err),
			 -1);
	assert_string_equal(err, "column 8, 'remarks', is not a column of a register: the "
				 "columns are organisation, date received, category, taxonomy "
				 "version, outcome, measure and police report (or in Dutch: "
				 "organisatie, datum ontvangst, categorie, taxonomieversie, "
				 "uitkomst, maatregel, aangifte)");
	assert_int_equal(header("organisation;datum ontvangst;category;taxonomy version;outcome;"
				"measure;police report;ontvangen",
				&h, err, sizeof err),
			 -1);
	assert_string_equal(err, "columns 2 and 8 are both 'date received'");
	assert_int_equal(header("organisation;date received;category;taxonomy version;outcome;"
				"police report",
				&h, err, sizeof err),
			 -1);
	assert_string_equal(err, "the header has no column 'measure' (it may be empty in every "
				 "row, but must be there)");
	assert_int_equal(header("organisation;date received;category;taxonomy version;outcome;"
				"measure",
				&h, err, sizeof err),
			 -1);
	assert_string_equal(err, "the header has no column 'police report'");
	assert_int_equal(header("caf\xc3\xa9\x1b", &h, err, sizeof err), -1);
	assert_non_null(strstr(err, "column 1, 'caf??" "?', is not"));
}

static void test_dates(void **state)
{
	(void)state;
	char d[DATE_LEN + 1];
	static const struct {
		const char *in, *out;
	} good[] = {
		{"2023-05-01", "2023-05-01"}, {"01-05-2023", "2023-05-01"},
		{"1-5-2023", "2023-05-01"},   {"29-02-2024", "2024-02-29"},
		{"1-12-2023", "2023-12-01"},  {"31-1-2023", "2023-01-31"},
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		assert_int_equal(reg_parse_date(good[i].in, strlen(good[i].in), d), 0);
		assert_string_equal(d, good[i].out);
	}
	static const char *const bad[] = {
		"2023-5-1",   "29-02-2023", "2023-02-30", "05/01/2023", "1-5-23", "",
		"123-1-2023", "1--2023",    "a-b-cdef",   "2023-05-01x", "01-05-2023 ",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(reg_parse_date(bad[i], strlen(bad[i]), d), -1);
		assert_string_equal(d, "");
	}
}

/* Checks line (';'-separated, in the header's order) against the rules. */
static enum reg_check row(const char *line, struct reg_row *out, char *err, size_t errlen)
{
	char s[800];
	struct csv_field f[20];
	snprintf(s, sizeof s, "%s", line);
	size_t n = split(s, ';', f, 20);
	return reg_row_check(&cx, &hdr, f, n, out, err, errlen);
}

static void test_good_rows(void **state)
{
	(void)state;
	struct reg_row r;
	char err[700];
	assert_int_equal(row("EZK;2023-05-03;1;1;established;written_reprimand;no", &r, err,
			     sizeof err),
			 REG_ROW_OK);
	assert_int_equal(r.org_id, 2);
	assert_string_equal(r.received_on, "2023-05-03");
	assert_string_equal(r.category, "1");
	assert_string_equal(r.taxonomy, "schendingen");
	assert_int_equal(r.taxonomy_revision, 1);
	assert_int_equal(r.outcome, REG_ESTABLISHED);
	assert_string_equal(r.measure, "written_reprimand");
	assert_string_equal(r.measures_list, "cao_rijk");
	assert_int_equal(r.measures_revision, 1);
	assert_int_equal(r.police_report, 0);
	/* Dutch words, a Dutch date, spaces around values, a code in other case,
	 * the unit of a department, no measure */
	assert_int_equal(row(" bd ;02-07-2024; 3 ; 1 ;Niet vastgesteld;;JA", &r, err, sizeof err),
			 REG_ROW_OK);
	assert_int_equal(r.org_id, 5);
	assert_int_equal(r.outcome, REG_NOT_ESTABLISHED);
	assert_string_equal(r.measure, "");
	assert_string_equal(r.measures_list, "");
	assert_int_equal(r.police_report, 1);
	/* the split: EZK until 2024-07-01, EZ from 2024-07-02 */
	assert_int_equal(row("EZK;2024-07-01;2;1;gedeeltelijk;;nee", &r, err, sizeof err),
			 REG_ROW_OK);
	assert_int_equal(r.org_id, 2);
	assert_int_equal(r.outcome, REG_PARTLY);
	assert_int_equal(row("EZ;2024-07-02;2;1;partly;;no", &r, err, sizeof err), REG_ROW_OK);
	assert_int_equal(r.org_id, 4);
	/* the example revision 2 of the taxonomy has 8a, which revision 1 lacks */
	assert_int_equal(row("FIN;2025-01-01;8A;2;vastgesteld;police_report;ja", &r, err,
			     sizeof err),
			 REG_ROW_OK);
	assert_string_equal(r.category, "8a");
	assert_int_equal(r.taxonomy_revision, 2);
	/* blank rows are skipped, whatever their width */
	assert_int_equal(row(";;;;;;", &r, err, sizeof err), REG_ROW_BLANK);
	assert_int_equal(row(" ", &r, err, sizeof err), REG_ROW_BLANK);
}

static void bad(const char *line, const char *want)
{
	struct reg_row r;
	char err[700];
	assert_int_equal(row(line, &r, err, sizeof err), REG_ROW_BAD);
	assert_string_equal(err, want);
}

static void test_messages(void **state)
{
	(void)state;
	bad("EZ;2023-05-01;1;1;established;;no",
	    "organisation EZ did not exist on 2023-05-01: it began on 2024-07-02");
	bad("EZK;2024-07-02;1;1;established;;no",
	    "organisation EZK did not exist on 2024-07-02: it ended on 2024-07-02");
	bad("EZK;2017-01-01;1;1;established;;no",
	    "organisation EZK did not exist on 2017-01-01: it began on 2017-10-26");
	bad("XYZ;2023-01-01;1;1;established;;no", "no organisation has code 'XYZ'");
	bad("RIJK;2023-01-01;1;1;established;;no",
	    "RIJK is the government as a whole: a registration belongs to a department or one "
	    "of its units");
	bad("FIN!;2023-01-01;1;1;established;;no", "organisation 'FIN!' is not an organisation code");
	bad("FIN;2023-02-30;1;1;established;;no",
	    "date received '2023-02-30' is not a real date written YYYY-MM-DD or DD-MM-YYYY");
	bad("FIN;2025-07-01;1;1;established;;no", "date received 2025-07-01 is after today");
	bad("FIN;2023-01-01;99;1;established;;no", "category '99' is not in taxonomy version 1");
	bad("FIN;2023-01-01;8a;1;established;;no", "category '8a' is not in taxonomy version 1");
	bad("FIN;2023-01-01;1;v1;established;;no",
	    "taxonomy version 'v1' is not a revision number such as 1");
	bad("FIN;2023-01-01;1;7;established;;no",
	    "taxonomy version 7 does not exist: it is the N of data/taxonomies/schendingen-vN.json");
	bad("FIN;2023-01-01;1;1;maybe;;no",
	    "outcome 'maybe' is not established, partly or not established (vastgesteld, "
	    "gedeeltelijk, niet vastgesteld)");
	bad("FIN;2023-01-01;1;1;established;;perhaps",
	    "police report 'perhaps' is not yes, no, ja or nee");
	bad("FIN;2023-01-01;1;1;established;berisping;no",
	    "measure 'berisping' is not a code of the measures list cao_rijk revision 1");
	bad("FIN;2023-01-01;1;1;not established;dismissal;no",
	    "measure dismissal is a penalty, but the outcome is not established");
	bad("FIN;2023-01-01;1;1;established;police_report;no",
	    "measure police_report, but police report is no");
	bad("FIN;2023-01-01;1;1;established;no", "6 fields where the header has 7");
	/* several problems at once, in column order; empty ones named */
	bad(";;;;;;x", "organisation is empty; date received is empty; category is empty; "
		       "taxonomy version is empty; outcome is empty; police report 'x' is not yes, "
		       "no, ja or nee");
	bad("XYZ;2099-01-01;1;1;established;;\x01\x02",
	    "date received 2099-01-01 is after today; no organisation has code 'XYZ'; police "
	    "report '?" "?' is not yes, no, ja or nee");
	/* long values are cut in messages */
	bad("FIN;2023-01-01;1;1;established;;"
	    "nononononononononononononononononononononononono",
	    "police report 'nononononononononononononononononononono...' is not yes, no, ja or "
	    "nee");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_good_rows),
		cmocka_unit_test(test_messages),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
