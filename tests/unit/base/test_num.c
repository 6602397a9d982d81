/* test_num.c: strict integer parsing (src/base/num.c). Every number that reaches
 * the program from input goes through here, so junk must be rejected, never
 * repaired, and the whole int64_t range must work at both ends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/num.h"

#define SENTINEL ((int64_t)0x5a5a5a5a)

/* Parses a NUL-terminated s over the full range; returns the result code and
 * checks that *out is untouched on failure. */
static int parse_full(const char *s, int64_t *out)
{
	*out = SENTINEL;
	int rc = num_parse_i64(s, strlen(s), INT64_MIN, INT64_MAX, out);
	if (rc != 0)
		assert_true(*out == SENTINEL);
	return rc;
}

static void test_valid_numbers(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		int64_t v;
	} cases[] = {
		{"0", 0},
		{"-0", 0},
		{"7", 7},
		{"42", 42},
		{"-42", -42},
		{"1000000", 1000000},
		{"007", 7},
		{"9223372036854775807", INT64_MAX},
		{"9223372036854775806", INT64_MAX - 1},
		{"-9223372036854775808", INT64_MIN},
		{"-9223372036854775807", INT64_MIN + 1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t v;
		assert_int_equal(parse_full(cases[i].s, &v), 0);
		assert_true(v == cases[i].v);
	}
}

static void test_overflow(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"9223372036854775808",   /* INT64_MAX + 1 */
		"9223372036854775809",
		"9223372036854775810",
		"9999999999999999999",   /* 19 digits, too big */
		"-9223372036854775809",  /* INT64_MIN - 1 */
		"-9999999999999999999",
		"18446744073709551615",  /* UINT64_MAX */
		"18446744073709551616",  /* 2^64: would wrap to 0 */
		"99999999999999999999",
		"-99999999999999999999",
		"123456789012345678901234567890",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t v;
		if (parse_full(bad[i], &v) == 0)
			fail_msg("accepted %s as %lld", bad[i], (long long)v);
	}
}

static void test_junk_rejected(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "-", "--1", "+5", "+0", " 5", "5 ", "\t5", "5\n", "1 2", "12a", "a12",
		"1-", "-1-", "0x10", "1e3", "1.0", "1,000", "1_000", "\xef\xbc\x91" /* fullwidth 1 */,
		"٣" /* Arabic-Indic 3 */, "-+1", "+-1", "- 1",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t v;
		if (parse_full(bad[i], &v) == 0)
			fail_msg("accepted \"%s\" as %lld", bad[i], (long long)v);
	}
}

static void test_embedded_nul_rejected(void **state)
{
	(void)state;
	int64_t v = SENTINEL;
	assert_int_equal(num_parse_i64("12\0" "3", 4, INT64_MIN, INT64_MAX, &v), -1);
	assert_int_equal(num_parse_i64("12\0", 3, INT64_MIN, INT64_MAX, &v), -1);
	assert_true(v == SENTINEL);
}

static void test_length_bound(void **state)
{
	(void)state;
	/* not NUL-terminated: the parser must stop at n (ASan catches over-reads) */
	const char digits[3] = {'1', '2', '3'};
	int64_t v;
	assert_int_equal(num_parse_i64(digits, sizeof digits, 0, 1000, &v), 0);
	assert_true(v == 123);
	assert_int_equal(num_parse_i64(digits, 2, 0, 1000, &v), 0);
	assert_true(v == 12);
	assert_int_equal(num_parse_i64("4567", 1, 0, 1000, &v), 0);
	assert_true(v == 4);
	v = SENTINEL;
	assert_int_equal(num_parse_i64(digits, 0, 0, 1000, &v), -1);
	assert_true(v == SENTINEL);
}

static void test_range_is_inclusive(void **state)
{
	(void)state;
	int64_t v = SENTINEL;
	assert_int_equal(num_parse_i64z("5", 5, 5, &v), 0);
	assert_true(v == 5);
	v = SENTINEL;
	assert_int_equal(num_parse_i64z("4", 5, 10, &v), -1);
	assert_int_equal(num_parse_i64z("11", 5, 10, &v), -1);
	assert_true(v == SENTINEL);
	assert_int_equal(num_parse_i64z("10", 5, 10, &v), 0);
	assert_true(v == 10);

	/* negative ranges */
	assert_int_equal(num_parse_i64z("-10", -10, -1, &v), 0);
	assert_true(v == -10);
	assert_int_equal(num_parse_i64z("-1", -10, -1, &v), 0);
	assert_true(v == -1);
	v = SENTINEL;
	assert_int_equal(num_parse_i64z("-11", -10, -1, &v), -1);
	assert_int_equal(num_parse_i64z("0", -10, -1, &v), -1);
	assert_true(v == SENTINEL);

	/* a sign where none is allowed is out of range, including "-0"'s neighbours */
	assert_int_equal(num_parse_i64z("-1", 0, 65535, &v), -1);
	assert_int_equal(num_parse_i64z("-0", 0, 65535, &v), 0);
	assert_true(v == 0);
	assert_int_equal(num_parse_i64z("65536", 0, 65535, &v), -1);

	/* extremes against a narrower range */
	v = SENTINEL;
	assert_int_equal(num_parse_i64z("9223372036854775807", 0, INT64_MAX - 1, &v), -1);
	assert_int_equal(num_parse_i64z("-9223372036854775808", INT64_MIN + 1, 0, &v), -1);
	assert_true(v == SENTINEL);
	assert_int_equal(num_parse_i64z("-9223372036854775808", INT64_MIN, INT64_MIN, &v), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(num_parse_i64z("9223372036854775807", INT64_MAX, INT64_MAX, &v), 0);
	assert_true(v == INT64_MAX);
}

static void test_parse_z(void **state)
{
	(void)state;
	int64_t v;
	assert_int_equal(num_parse_i64z("600000", 0, 600000, &v), 0);
	assert_true(v == 600000);
	assert_int_equal(num_parse_i64z("", 0, 10, &v), -1);
	assert_int_equal(num_parse_i64z("1 ", 0, 10, &v), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_numbers),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_junk_rejected),
		cmocka_unit_test(test_embedded_nul_rejected),
		cmocka_unit_test(test_length_bound),
		cmocka_unit_test(test_range_is_inclusive),
		cmocka_unit_test(test_parse_z),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
