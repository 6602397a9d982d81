/* test_date.c: calendar date validation, arithmetic and UTC timestamps
 * (src/base/date.c). Dates arrive from forms and data files; only real
 * calendar days may pass, and legal terms are counted on them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "base/date.h"

static int valid(const char *s)
{
	return date_valid(s, strlen(s));
}

static void test_valid_dates(void **state)
{
	(void)state;
	static const char *const ok[] = {
		"1900-01-01", "1999-12-31", "2000-02-29", "2024-02-29", "2023-02-28",
		"2023-04-30", "2023-01-31", "9999-12-31", "2400-02-29", "1904-02-29",
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (valid(ok[i]) != 0)
			fail_msg("rejected %s", ok[i]);
}

static void test_leap_years(void **state)
{
	(void)state;
	assert_int_equal(valid("1900-02-29"), -1); /* divisible by 100, not by 400 */
	assert_int_equal(valid("2100-02-29"), -1);
	assert_int_equal(valid("2000-02-29"), 0);  /* divisible by 400 */
	assert_int_equal(valid("2024-02-29"), 0);  /* divisible by 4 */
	assert_int_equal(valid("2023-02-29"), -1);
	assert_int_equal(valid("2024-02-30"), -1);
	assert_int_equal(valid("2000-02-30"), -1);
}

static void test_month_lengths(void **state)
{
	(void)state;
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	char s[32];
	for (int m = 1; m <= 12; m++) {
		snprintf(s, sizeof s, "2023-%02d-%02d", m, days[m - 1]);
		if (valid(s) != 0)
			fail_msg("rejected %s", s);
		snprintf(s, sizeof s, "2023-%02d-%02d", m, days[m - 1] + 1);
		if (valid(s) == 0)
			fail_msg("accepted %s", s);
		snprintf(s, sizeof s, "2023-%02d-00", m);
		if (valid(s) == 0)
			fail_msg("accepted %s", s);
	}
}

static void test_bad_fields(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"2024-00-10", "2024-13-01", "2024-99-01", "2024-01-00", "2024-01-32",
		"2024-01-99", "1899-12-31", "0000-01-01", "0999-01-01",
		"2024/01/01", "2024.01.01", "2024-01/01", "2024_01-01",
		"2024-0a-01", "2024-01-0x", "20a4-01-01", "+024-01-01", "-024-01-01",
		" 024-01-01", "2024-+1-01", "2024--1-01", "2024-1 -01", "2024-01- 1",
		"abcd-ef-gh", "2024-01-01", /* last one is a control, checked below */
	};
	size_t n = sizeof bad / sizeof bad[0];
	for (size_t i = 0; i + 1 < n; i++)
		if (valid(bad[i]) == 0)
			fail_msg("accepted %s", bad[i]);
	assert_int_equal(valid(bad[n - 1]), 0);
}

static void test_wrong_lengths(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "2024", "2024-1-01", "2024-01-1", "20240101", "2024-01-011",
		"2024-01-01 ", " 2024-01-01", "2024-01-01T00:00:00Z", "12024-01-01", "24-01-01",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (valid(bad[i]) == 0)
			fail_msg("accepted \"%s\"", bad[i]);
	/* the length given, not the NUL, bounds the date */
	assert_int_equal(date_valid("2024-01-01", 9), -1);
	assert_int_equal(date_valid("2024-01-015", 10), 0);
	assert_int_equal(date_valid("2024-01-01", 0), -1);
	const char exact[DATE_LEN] = {'2', '0', '2', '4', '-', '0', '7', '-', '0', '2'};
	assert_int_equal(date_valid(exact, sizeof exact), 0);
	/* embedded NUL */
	assert_int_equal(date_valid("2024-01-0\0", 10), -1);
}

static void test_timestamp_format(void **state)
{
	(void)state;
	char ts[TIMESTAMP_LEN + 1];
	timestamp_format(0, ts);
	assert_string_equal(ts, "1970-01-01T00:00:00Z");
	timestamp_format(951782400, ts);
	assert_string_equal(ts, "2000-02-29T00:00:00Z");
	timestamp_format(1719912600, ts);
	assert_string_equal(ts, "2024-07-02T09:30:00Z");
	timestamp_format((time_t)253402300799LL, ts);
	assert_string_equal(ts, "9999-12-31T23:59:59Z");
	assert_int_equal(strlen(ts), TIMESTAMP_LEN);
}

/* Checks that timestamp_now follows the UTC clock and date_today the local
 * calendar of TZ (where legal terms are counted). */
static void check_clocks(void)
{
	char today[DATE_LEN + 1], ts[TIMESTAMP_LEN + 1], expect[DATE_LEN + 1];
	char full[TIMESTAMP_LEN + 1];
	struct tm tm;
	time_t before = time(NULL);
	date_today(today);
	timestamp_now(ts);
	time_t after = time(NULL);
	assert_int_equal(strlen(today), DATE_LEN);
	assert_int_equal(date_valid(today, strlen(today)), 0);
	assert_int_equal(strlen(ts), TIMESTAMP_LEN);
	assert_int_equal(ts[TIMESTAMP_LEN - 1], 'Z');
	assert_int_equal(ts[10], 'T');
	assert_int_equal(date_valid(ts, DATE_LEN), 0);
	if (before != after)
		return; /* the second changed under us: nothing exact to compare */
	localtime_r(&before, &tm);
	strftime(expect, sizeof expect, "%Y-%m-%d", &tm);
	assert_string_equal(today, expect);
	gmtime_r(&before, &tm);
	strftime(full, sizeof full, "%Y-%m-%dT%H:%M:%SZ", &tm);
	assert_string_equal(ts, full);
}

static void test_now_and_today(void **state)
{
	(void)state;
	/* In zones 12 hours either side of UTC, the local date differs from UTC's
	 * at any moment in one of them, so a today that used UTC, or a timestamp
	 * that used local time, is caught whenever the test runs. */
	static const char *const zones[] = {"PROBITY-12", "PROBITY+12"};
	for (int i = 0; i < 2; i++) {
		setenv("TZ", zones[i], 1);
		tzset();
		check_clocks();
	}
}

/* ---- arithmetic ---- */

/* The result of f on s and n, or "ERR" when refused (checking that a refusal
 * leaves out empty). */
static const char *calc(int (*f)(const char *, int64_t, char *), const char *s, int64_t n)
{
	static char out[DATE_LEN + 1];
	memset(out, 'x', sizeof out);
	if (f(s, n, out) != 0) {
		assert_string_equal(out, "");
		return "ERR";
	}
	assert_int_equal(date_valid(out, strlen(out)), 0);
	return out;
}

static void test_day_numbers(void **state)
{
	(void)state;
	int32_t d;
	char out[DATE_LEN + 1];
	assert_int_equal(date_to_days("1970-01-01", &d), 0);
	assert_int_equal(d, 0);
	assert_int_equal(date_to_days("2000-03-01", &d), 0);
	assert_int_equal(d, 11017);
	assert_int_equal(date_to_days("1900-01-01", &d), 0);
	assert_int_equal(d, -25567);
	assert_int_equal(date_to_days("9999-12-31", &d), 0);
	assert_int_equal(d, 2932896);
	assert_int_equal(date_from_days(-25567, out), 0);
	assert_string_equal(out, "1900-01-01");
	assert_int_equal(date_from_days(2932896, out), 0);
	assert_string_equal(out, "9999-12-31");
	assert_int_equal(date_from_days(-25568, out), -1);
	assert_string_equal(out, "");
	assert_int_equal(date_from_days(2932897, out), -1);
	assert_int_equal(date_from_days(INT32_MIN, out), -1);
	assert_int_equal(date_from_days(INT32_MAX, out), -1);
	/* every day of the range round-trips, and consecutive numbers are
	 * consecutive days: the day after each date is checked by hand */
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y = 1900, m = 1, dd = 1;
	for (int32_t z = -25567; z <= 2932896; z++) {
		char want[40];
		snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, dd);
		if (date_from_days(z, out) != 0 || strcmp(out, want) != 0)
			fail_msg("day %d: got %s, want %s", (int)z, out, want);
		int32_t back;
		if (date_to_days(want, &back) != 0 || back != z)
			fail_msg("%s: day %d, want %d", want, (int)back, (int)z);
		int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		if (++dd > mdays[m - 1] + (m == 2 && leap)) {
			dd = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	assert_int_equal(y, 10000);
}

static void test_add_days(void **state)
{
	(void)state;
	assert_string_equal(calc(date_add_days, "2024-01-01", 7), "2024-01-08");
	assert_string_equal(calc(date_add_days, "2024-02-25", 7), "2024-03-03");
	assert_string_equal(calc(date_add_days, "2023-02-25", 7), "2023-03-04");
	assert_string_equal(calc(date_add_days, "2024-02-28", 1), "2024-02-29");
	assert_string_equal(calc(date_add_days, "2100-02-28", 1), "2100-03-01");
	assert_string_equal(calc(date_add_days, "2000-02-28", 1), "2000-02-29");
	assert_string_equal(calc(date_add_days, "2024-12-28", 7), "2025-01-04");
	assert_string_equal(calc(date_add_days, "2025-01-04", -7), "2024-12-28");
	assert_string_equal(calc(date_add_days, "2024-03-01", -1), "2024-02-29");
	assert_string_equal(calc(date_add_days, "2024-07-02", 0), "2024-07-02");
	assert_string_equal(calc(date_add_days, "2024-01-01", 366), "2025-01-01");
	assert_string_equal(calc(date_add_days, "1900-01-01", 2958463), "9999-12-31");
	assert_string_equal(calc(date_add_days, "9999-12-31", -2958463), "1900-01-01");
	/* out of range, and absurd n, refused rather than wrapped */
	assert_string_equal(calc(date_add_days, "9999-12-31", 1), "ERR");
	assert_string_equal(calc(date_add_days, "1900-01-01", -1), "ERR");
	assert_string_equal(calc(date_add_days, "2024-01-01", INT64_MAX), "ERR");
	assert_string_equal(calc(date_add_days, "2024-01-01", INT64_MIN), "ERR");
	assert_string_equal(calc(date_add_days, "2024-01-01", (int64_t)INT32_MAX + 1), "ERR");
	/* invalid input refused */
	assert_string_equal(calc(date_add_days, "2023-02-29", 1), "ERR");
	assert_string_equal(calc(date_add_days, "2024-01-01 ", 1), "ERR");
	assert_string_equal(calc(date_add_days, "2024-1-01", 1), "ERR");
	assert_string_equal(calc(date_add_days, "", 1), "ERR");
	assert_string_equal(calc(date_add_days, NULL, 1), "ERR");
}

static void test_add_months(void **state)
{
	(void)state;
	/* the last day of every month, plus 1 and 3 months, in a common year, a
	 * leap year (2024), a century that is not one (2100) and one that is (2000) */
	static const struct {
		const char *from, *plus1, *plus3;
	} ends[] = {
		{"2023-01-31", "2023-02-28", "2023-04-30"}, {"2023-02-28", "2023-03-28", "2023-05-28"},
		{"2023-03-31", "2023-04-30", "2023-06-30"}, {"2023-04-30", "2023-05-30", "2023-07-30"},
		{"2023-05-31", "2023-06-30", "2023-08-31"}, {"2023-06-30", "2023-07-30", "2023-09-30"},
		{"2023-07-31", "2023-08-31", "2023-10-31"}, {"2023-08-31", "2023-09-30", "2023-11-30"},
		{"2023-09-30", "2023-10-30", "2023-12-30"}, {"2023-10-31", "2023-11-30", "2024-01-31"},
		{"2023-11-30", "2023-12-30", "2024-02-29"}, {"2023-12-31", "2024-01-31", "2024-03-31"},
		{"2024-01-31", "2024-02-29", "2024-04-30"}, {"2024-02-29", "2024-03-29", "2024-05-29"},
		{"2024-11-30", "2024-12-30", "2025-02-28"}, {"2024-12-31", "2025-01-31", "2025-03-31"},
		{"2099-11-30", "2099-12-30", "2100-02-28"}, {"2100-01-31", "2100-02-28", "2100-04-30"},
		{"1999-11-30", "1999-12-30", "2000-02-29"}, {"2000-01-31", "2000-02-29", "2000-04-30"},
		{"2023-11-29", "2023-12-29", "2024-02-29"}, {"2022-11-29", "2022-12-29", "2023-02-28"},
		{"2024-01-30", "2024-02-29", "2024-04-30"}, {"2024-01-29", "2024-02-29", "2024-04-29"},
		{"2024-01-28", "2024-02-28", "2024-04-28"}, {"2024-10-31", "2024-11-30", "2025-01-31"},
	};
	for (size_t i = 0; i < sizeof ends / sizeof *ends; i++) {
		const char *got = calc(date_add_months, ends[i].from, 1);
		if (strcmp(got, ends[i].plus1) != 0)
			fail_msg("%s + 1 month: %s, want %s", ends[i].from, got, ends[i].plus1);
		got = calc(date_add_months, ends[i].from, 3);
		if (strcmp(got, ends[i].plus3) != 0)
			fail_msg("%s + 3 months: %s, want %s", ends[i].from, got, ends[i].plus3);
	}
	assert_string_equal(calc(date_add_months, "2024-02-29", 12), "2025-02-28");
	assert_string_equal(calc(date_add_months, "2024-02-29", 48), "2028-02-29");
	assert_string_equal(calc(date_add_months, "2096-02-29", 48), "2100-02-28");
	assert_string_equal(calc(date_add_months, "1996-02-29", 48), "2000-02-29");
	assert_string_equal(calc(date_add_months, "2024-05-31", -3), "2024-02-29");
	assert_string_equal(calc(date_add_months, "2024-03-31", -1), "2024-02-29");
	assert_string_equal(calc(date_add_months, "2024-01-15", -1), "2023-12-15");
	assert_string_equal(calc(date_add_months, "2024-01-15", -13), "2022-12-15");
	assert_string_equal(calc(date_add_months, "2024-01-15", 0), "2024-01-15");
	assert_string_equal(calc(date_add_months, "2024-12-15", 1), "2025-01-15");
	assert_string_equal(calc(date_add_months, "1900-01-31", 97199), "9999-12-31");
	assert_string_equal(calc(date_add_months, "9999-12-01", -97199), "1900-01-01");
	assert_string_equal(calc(date_add_months, "9999-12-01", 1), "ERR");
	assert_string_equal(calc(date_add_months, "9999-10-31", 3), "ERR");
	assert_string_equal(calc(date_add_months, "1900-01-31", -1), "ERR");
	assert_string_equal(calc(date_add_months, "2024-01-01", INT64_MAX), "ERR");
	assert_string_equal(calc(date_add_months, "2024-01-01", INT64_MIN), "ERR");
	assert_string_equal(calc(date_add_months, "2024-02-30", 1), "ERR");
	assert_string_equal(calc(date_add_months, "24-02-03", 1), "ERR");
	assert_string_equal(calc(date_add_months, NULL, 1), "ERR");
	/* an unterminated buffer longer than a date is refused without reading on */
	const char longer[DATE_LEN + 1] = {'2', '0', '2', '4', '-', '0', '1', '-', '0', '1', '0'};
	assert_string_equal(calc(date_add_months, longer, 1), "ERR");
}

static void test_cmp_and_between(void **state)
{
	(void)state;
	int c = 99;
	int32_t d = 99;
	assert_int_equal(date_cmp("2024-01-01", "2024-01-02", &c), 0);
	assert_int_equal(c, -1);
	assert_int_equal(date_cmp("2024-01-02", "2024-01-01", &c), 0);
	assert_int_equal(c, 1);
	assert_int_equal(date_cmp("2024-01-01", "2024-01-01", &c), 0);
	assert_int_equal(c, 0);
	assert_int_equal(date_cmp("2023-12-31", "2024-01-01", &c), 0);
	assert_int_equal(c, -1);
	/* exactly -1 and 1, however far apart */
	assert_int_equal(date_cmp("2024-01-01", "2024-01-09", &c), 0);
	assert_int_equal(c, -1);
	assert_int_equal(date_cmp("9999-12-31", "1900-01-01", &c), 0);
	assert_int_equal(c, 1);
	c = 99;
	assert_int_equal(date_cmp("2024-01-01", "2024-02-30", &c), -1);
	assert_int_equal(date_cmp("2024-13-01", "2024-01-01", &c), -1);
	assert_int_equal(date_cmp(NULL, "2024-01-01", &c), -1);
	assert_int_equal(c, 99);
	assert_int_equal(date_days_between("2024-01-01", "2024-03-01", &d), 0);
	assert_int_equal(d, 60);
	assert_int_equal(date_days_between("2023-01-01", "2023-03-01", &d), 0);
	assert_int_equal(d, 59);
	assert_int_equal(date_days_between("2024-03-01", "2024-01-01", &d), 0);
	assert_int_equal(d, -60);
	assert_int_equal(date_days_between("2024-12-31", "2025-01-01", &d), 0);
	assert_int_equal(d, 1);
	assert_int_equal(date_days_between("2100-01-01", "2101-01-01", &d), 0);
	assert_int_equal(d, 365);
	assert_int_equal(date_days_between("2000-01-01", "2001-01-01", &d), 0);
	assert_int_equal(d, 366);
	assert_int_equal(date_days_between("1900-01-01", "9999-12-31", &d), 0);
	assert_int_equal(d, 2958463);
	d = 99;
	assert_int_equal(date_days_between("2024-01-01", "2024-00-01", &d), -1);
	assert_int_equal(date_days_between("x", "2024-01-01", &d), -1);
	assert_int_equal(d, 99);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_dates),
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_month_lengths),
		cmocka_unit_test(test_bad_fields),
		cmocka_unit_test(test_wrong_lengths),
		cmocka_unit_test(test_timestamp_format),
		cmocka_unit_test(test_now_and_today),
		cmocka_unit_test(test_day_numbers),
		cmocka_unit_test(test_add_days),
		cmocka_unit_test(test_add_months),
		cmocka_unit_test(test_cmp_and_between),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
