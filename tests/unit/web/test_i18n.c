/* test_i18n.c: the embedded catalogues and the .mo reader's checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "web/i18n.h"

static void test_languages(void **state)
{
	(void)state;
	assert_int_equal(i18n_init(), 0);
	assert_string_equal(i18n_lang("en"), "en");
	assert_string_equal(i18n_lang("nl"), "nl");
	assert_string_equal(i18n_lang("fr"), "nl");
	assert_string_equal(i18n_lang(NULL), "nl");
	assert_string_equal(i18n_translate("nl", "Not found"), "Niet gevonden");
	assert_string_equal(i18n_translate("en", "Not found"), "Not found");
	assert_string_equal(i18n_translate("nl", "no such message id"), "no such message id");
	i18n_free();
}

/* A hand-built catalogue: header, originals table, translations table, strings. */
static size_t build_mo(char *buf, const char *const *orig, const char *const *trans, unsigned n)
{
	uint32_t hdr[7] = {0x950412de, 0, n, 28, 28 + 8 * n, 0, 0};
	memcpy(buf, hdr, sizeof hdr);
	size_t at = 28 + 16 * n;
	for (unsigned i = 0; i < n; i++) {
		uint32_t e[2] = {(uint32_t)strlen(orig[i]), (uint32_t)at};
		memcpy(buf + 28 + 8 * i, e, 8);
		memcpy(buf + at, orig[i], e[0] + 1);
		at += e[0] + 1;
	}
	for (unsigned i = 0; i < n; i++) {
		uint32_t e[2] = {(uint32_t)strlen(trans[i]), (uint32_t)at};
		memcpy(buf + 28 + 8 * n + 8 * i, e, 8);
		memcpy(buf + at, trans[i], e[0] + 1);
		at += e[0] + 1;
	}
	return at;
}

static void test_mo_parse(void **state)
{
	(void)state;
	char buf[512];
	struct mo_catalogue c;
	const char *o[] = {"Apple", "Pear", "Zebra"}, *t[] = {"Appel", "", "Zebra!"};
	size_t n = build_mo(buf, o, t, 3);
	assert_int_equal(mo_parse(buf, n, &c), 0);
	assert_string_equal(mo_lookup(&c, "Apple"), "Appel");
	assert_null(mo_lookup(&c, "Pear")); /* empty translation: untranslated */
	assert_string_equal(mo_lookup(&c, "Zebra"), "Zebra!");
	assert_null(mo_lookup(&c, "Banana"));
	/* truncated: the last string loses its NUL */
	assert_int_equal(mo_parse(buf, n - 1, &c), -1);
	/* unsorted originals are refused (lookups would miss) */
	const char *u[] = {"Pear", "Apple", "Zebra"};
	n = build_mo(buf, u, t, 3);
	assert_int_equal(mo_parse(buf, n, &c), -1);
	/* bad magic */
	n = build_mo(buf, o, t, 3);
	buf[0] ^= 1;
	assert_int_equal(mo_parse(buf, n, &c), -1);
	/* a count that runs the tables past the end */
	buf[0] ^= 1;
	uint32_t big = 1000;
	memcpy(buf + 8, &big, 4);
	assert_int_equal(mo_parse(buf, n, &c), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_languages),
		cmocka_unit_test(test_mo_parse),
	};
	return cmocka_run_group_tests_name("i18n", tests, NULL, NULL);
}
