/* test_date.c: calendar date validation and UTC timestamps (src/base/date.c).
 * Dates arrive from forms and data files; only real calendar days may pass. */
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
