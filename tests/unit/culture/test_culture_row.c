/* test_culture_row.c: the pure rules of src/culture/row.c. Values: 0 to 100
 * with at most one decimal, comma or point, a '%' allowed, anything else
 * (two decimals, 100.1, a sign, a bare mark, letters) refused. Respondents:
 * digits only, 1 up; below 10 the row is refused as too few to publish,
 * 10 passes. The header in English or Dutch, any order, each column once.
 * A row with several problems lists them all; a blank row is skipped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "culture/culture.h"

static int value(const char *s)
{
	int t = -7;
	return culture_parse_value(s, strlen(s), &t) == 0 ? t : -1;
}

static void test_values(void **state)
{
	(void)state;
	assert_int_equal(value("0"), 0);
	assert_int_equal(value("73"), 730);
	assert_int_equal(value("73,5"), 735);
	assert_int_equal(value("73.5"), 735);
	assert_int_equal(value(" 8,0 "), 80);
	assert_int_equal(value("100"), 1000);
	assert_int_equal(value("100,0"), 1000);
	assert_int_equal(value("64%"), 640);
	assert_int_equal(value("100,1"), -1);
	assert_int_equal(value("101"), -1);
	assert_int_equal(value("55,25"), -1);
	assert_int_equal(value("55,"), -1);
	assert_int_equal(value(",5"), -1);
	assert_int_equal(value("-1"), -1);
	assert_int_equal(value("+5"), -1);
	assert_int_equal(value(""), -1);
	assert_int_equal(value("abc"), -1);
	assert_int_equal(value("1e2"), -1);
	assert_int_equal(value("00073"), -1);
	assert_int_equal(value("7 3"), -1);
}

static void test_respondents(void **state)
{
	(void)state;
	int64_t v = 0;
	assert_int_equal(culture_parse_respondents("1", 1, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(culture_parse_respondents(" 1200 ", 6, &v), 0);
	assert_int_equal(v, 1200);
	assert_int_equal(culture_parse_respondents("0", 1, &v), -1);
	assert_int_equal(culture_parse_respondents("-5", 2, &v), -1);
	assert_int_equal(culture_parse_respondents("12.5", 4, &v), -1);
	assert_int_equal(culture_parse_respondents("", 0, &v), -1);
	assert_int_equal(culture_parse_respondents("99999999999", 11, &v), -1);
}

static struct csv_field F(const char *s)
{
	return (struct csv_field){s, strlen(s)};
}

static void test_header(void **state)
{
	(void)state;
	struct culture_header h;
	char err[300];
	struct csv_field nl[] = {F("Bron"), F("Jaar"), F("Organisatie"), F("Indicator"),
				 F("Waarde"), F("Respondenten")};
	assert_int_equal(culture_header_parse(nl, 6, &h, err, sizeof err), 0);
	assert_int_equal(h.field[CUL_COL_SOURCE], 0);
	assert_int_equal(h.field[CUL_COL_ORG], 2);
	assert_int_equal(h.field[CUL_COL_RESPONDENTS], 5);
	struct csv_field twice[] = {F("organisation"), F("year"), F("Year"), F("indicator"),
				    F("value"), F("respondents"), F("source")};
	assert_int_equal(culture_header_parse(twice, 7, &h, err, sizeof err), -1);
	assert_string_equal(err, "the header names the column year twice");
	struct csv_field lack[] = {F("organisation"), F("year"), F("indicator"), F("value"),
				   F("source")};
	assert_int_equal(culture_header_parse(lack, 5, &h, err, sizeof err), -1);
	assert_string_equal(err, "the header lacks the column respondents");
	struct csv_field other[] = {F("organisation"), F("colour")};
	assert_int_equal(culture_header_parse(other, 2, &h, err, sizeof err), -1);
	assert_non_null(strstr(err, "unknown column \"colour\""));
}

static enum culture_check row(const char *org, const char *year, const char *ind,
			      const char *val, const char *resp, const char *src,
			      struct culture_row *out, char *err, size_t errlen)
{
	struct culture_header h = {{0, 1, 2, 3, 4, 5}, 6};
	struct csv_field f[] = {F(org), F(year), F(ind), F(val), F(resp), F(src)};
	return culture_row_check(&h, f, 6, 2025, out, err, errlen);
}

static void test_rows(void **state)
{
	(void)state;
	struct culture_row r;
	char err[700];
	assert_int_equal(row("FIN", "2024", "Would_Report", "73,5", "10", " Enquête 2024 ", &r, err,
			     sizeof err), CUL_ROW_OK);
	assert_string_equal(r.org, "FIN");
	assert_int_equal(r.year, 2024);
	assert_string_equal(culture_indicators[r.indicator].code, "would_report");
	assert_int_equal(r.tenths, 735);
	assert_int_equal(r.respondents, 10);
	assert_string_equal(r.source, "Enquête 2024");
	/* the privacy rule: 9 respondents are too few */
	assert_int_equal(row("FIN", "2024", "safe_to_speak", "50", "9", "E", &r, err, sizeof err),
			 CUL_ROW_BAD);
	assert_string_equal(err, "9 respondents are too few to publish: a figure needs at least "
				 "10, so that no one's answer can be told");
	/* every problem of a row */
	assert_int_equal(row("", "2026", "mood", "1,25", "x", "", &r, err, sizeof err), CUL_ROW_BAD);
	assert_string_equal(err,
			    "the organisation is empty; the year 2026 is not from 1990 to 2025; the "
			    "indicator \"mood\" is unknown: one of would_report, safe_to_speak, "
			    "knows_adviser, dilemma_talks; the value \"1,25\" is not a percentage from "
			    "0 to 100 with at most one decimal; the respondents \"x\" are not a whole "
			    "number from 1 up; the source is empty: name the survey");
	/* a code is letters, digits and '-': nothing else may end it early (the
	 * fuzzer found a NUL that left an empty code accepted) */
	assert_int_equal(row("FI N", "2024", "would_report", "5", "10", "E", &r, err, sizeof err),
			 CUL_ROW_BAD);
	assert_string_equal(err, "the organisation \"FI N\" is no code: letters, digits and -");
	assert_int_equal(row("FIN", "24", "would_report", "5", "10", "a\tb", &r, err, sizeof err),
			 CUL_ROW_BAD);
	assert_string_equal(err, "the year \"24\" is not a year of four digits; the source holds a "
				 "line break or control character");
	char longsrc[CULTURE_SOURCE_MAX + 2];
	memset(longsrc, 'x', sizeof longsrc - 1);
	longsrc[sizeof longsrc - 1] = 0;
	assert_int_equal(row("FIN", "2024", "would_report", "5", "10", longsrc, &r, err, sizeof err),
			 CUL_ROW_BAD);
	assert_string_equal(err, "the source is longer than 200 bytes");
	longsrc[CULTURE_SOURCE_MAX] = 0;
	assert_int_equal(row("FIN", "2024", "would_report", "5", "10", longsrc, &r, err, sizeof err),
			 CUL_ROW_OK);
	assert_int_equal(row(" ", "", "", "", "", "", &r, err, sizeof err), CUL_ROW_BLANK);
	/* a row narrower than the header */
	struct culture_header h = {{0, 1, 2, 3, 4, 5}, 6};
	struct csv_field f[] = {F("FIN"), F("2024")};
	assert_int_equal(culture_row_check(&h, f, 2, 2025, &r, err, sizeof err), CUL_ROW_BAD);
	assert_string_equal(err, "the row has 2 fields, the header 6");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_respondents),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
