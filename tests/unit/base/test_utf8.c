/* test_utf8.c: strict UTF-8 validation (src/base/utf8.c) against RFC 3629:
 * every scalar value encodes to valid text; overlongs, surrogates, values above
 * U+10FFFF, stray or missing continuation bytes and NUL are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/alloc.h"
#include "base/utf8.h"

/* Validates n bytes from an exact-size heap copy, so that ASan reports any
 * read past the end. */
static int valid_n(const char *s, size_t n)
{
	char *copy = xmalloc(n ? n : 1);
	memcpy(copy, s, n);
	int r = utf8_valid(copy, n);
	free(copy);
	return r;
}

static int valid(const char *s)
{
	return valid_n(s, strlen(s));
}

static size_t encode(uint32_t cp, char out[4])
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | cp >> 6);
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xe0 | cp >> 12);
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | cp >> 18);
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

static void test_every_scalar_value(void **state)
{
	(void)state;
	char buf[4];
	for (uint32_t cp = 1; cp <= 0x10ffff; cp++) {
		size_t n = encode(cp, buf);
		int want = !(cp >= 0xd800 && cp <= 0xdfff);
		if (utf8_valid(buf, n) != want)
			fail_msg("U+%04X: got %d, want %d", (unsigned)cp, !want, want);
		/* every proper prefix of a multi-byte sequence is incomplete */
		for (size_t k = 1; k < n; k++)
			if (valid_n(buf, k))
				fail_msg("U+%04X cut to %zu bytes was accepted", (unsigned)cp, k);
	}
}

static void test_valid_text(void **state)
{
	(void)state;
	assert_int_equal(valid_n("", 0), 1);
	assert_int_equal(valid("plain ASCII ~!"), 1);
	assert_int_equal(valid("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), 1);
	assert_int_equal(valid("\x7f"), 1);
	assert_int_equal(valid("\xc2\x80"), 1);         /* U+0080 */
	assert_int_equal(valid("\xdf\xbf"), 1);         /* U+07FF */
	assert_int_equal(valid("\xe0\xa0\x80"), 1);     /* U+0800 */
	assert_int_equal(valid("\xed\x9f\xbf"), 1);     /* U+D7FF */
	assert_int_equal(valid("\xee\x80\x80"), 1);     /* U+E000 */
	assert_int_equal(valid("\xef\xbf\xbf"), 1);     /* U+FFFF */
	assert_int_equal(valid("\xf0\x90\x80\x80"), 1); /* U+10000 */
	assert_int_equal(valid("\xf4\x8f\xbf\xbf"), 1); /* U+10FFFF */
}

static void test_invalid_text(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"\xc0\x80", "\xc1\xbf",                   /* overlong 2-byte */
		"\xe0\x80\x80", "\xe0\x9f\xbf",           /* overlong 3-byte */
		"\xf0\x80\x80\x80", "\xf0\x8f\xbf\xbf",   /* overlong 4-byte */
		"\xed\xa0\x80", "\xed\xbf\xbf",           /* surrogates */
		"\xf4\x90\x80\x80", "\xf5\x80\x80\x80",   /* above U+10FFFF */
		"\xf8\x88\x80\x80\x80", "\xfe", "\xff",
		"\x80", "\xbf", "a\x80z",                 /* stray continuation */
		"\xe2\x28\xa1", "\xe2\x82\x28",           /* bad continuation */
		"\xc3", "\xe2\x82", "\xf0\x9f\x98",       /* cut short at the end */
		"\xc3\xc3\xa9", "\xf0\x9f\x98\x80\x80",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (valid(bad[i]))
			fail_msg("accepted bad sequence %zu", i);
	/* NUL is refused anywhere, and the length, not the NUL, ends the text */
	assert_int_equal(valid_n("a\0b", 3), 0);
	assert_int_equal(valid_n("\0", 1), 0);
	assert_int_equal(valid_n("ab\xc3\xa9", 3), 0);
	assert_int_equal(valid_n("ab\xc3\xa9", 4), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_scalar_value),
		cmocka_unit_test(test_valid_text),
		cmocka_unit_test(test_invalid_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
