/* test_i18n.c: the embedded catalogues and the .mo reader's checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/embedded.h"
#include "web/i18n.h"
#include "web/page.h"

extern const struct embedded_file i18n_catalogues[];

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

/* The catalogues msgfmt built carry a hash table, and a lookup through it
 * finds every original with the same answer as the binary search. */
static void test_mo_hash(void **state)
{
	(void)state;
	int seen = 0;
	for (int i = 0; i18n_catalogues[i].name; i++) {
		struct mo_catalogue c, plain;
		assert_int_equal(mo_parse(i18n_catalogues[i].data, i18n_catalogues[i].len, &c), 0);
		assert_true(c.hash_size > 2);
		plain = c;
		plain.hash_size = 0; /* the binary search */
		for (unsigned k = 0; k < c.count; k++) {
			uint32_t at;
			memcpy(&at, c.data + c.orig_off + 8 * (size_t)k + 4, 4);
			const char *id = c.data + at;
			const char *a = mo_lookup(&c, id), *b = mo_lookup(&plain, id);
			if (!b) {
				assert_null(a);
			} else {
				if (!a) {
					fail_msg("'%s' not found through the hash table", id);
					return;
				}
				assert_ptr_equal(a, b);
			}
			seen++;
		}
		assert_null(mo_lookup(&c, "no such message id"));
	}
	assert_true(seen > 100);
}

/* The server's own index (i18n_translate) answers every original of every
 * catalogue as mo_lookup does, and a msgid it lacks, short or long, with the
 * msgid itself; so does a second start-up. */
static void test_translate_index(void **state)
{
	(void)state;
	for (int round = 0; round < 2; round++) {
		assert_int_equal(i18n_init(), 0);
		int seen = 0;
		for (int i = 0; i18n_catalogues[i].name; i++) {
			char lang[8] = {0};
			size_t ln = strcspn(i18n_catalogues[i].name, ".");
			assert_true(ln > 0 && ln < sizeof lang);
			memcpy(lang, i18n_catalogues[i].name, ln);
			struct mo_catalogue c;
			assert_int_equal(
				mo_parse(i18n_catalogues[i].data, i18n_catalogues[i].len, &c), 0);
			for (unsigned k = 0; k < c.count; k++) {
				uint32_t at;
				memcpy(&at, c.data + c.orig_off + 8 * (size_t)k + 4, 4);
				const char *id = c.data + at, *want = mo_lookup(&c, id);
				assert_ptr_equal(i18n_translate(lang, id), want ? want : id);
				seen++;
			}
			const char *missing[] = {"x", "Not found!", "Not foun", "Not found ",
						 "a msgid far longer than any in the catalogue, "
						 "which shares nothing with one"};
			for (size_t m = 0; m < sizeof missing / sizeof missing[0]; m++)
				assert_ptr_equal(i18n_translate(lang, missing[m]), missing[m]);
		}
		assert_true(seen > 100);
		i18n_free();
	}
}

/* A hand-built catalogue with a hash table of 5 slots. */
static size_t with_hash(char *buf, const char *const *orig, const char *const *trans,
			unsigned n, const uint32_t slots[5])
{
	size_t at = build_mo(buf, orig, trans, n);
	at = (at + 3) & ~(size_t)3;
	uint32_t hs = 5, ho = (uint32_t)at;
	memcpy(buf + 20, &hs, 4);
	memcpy(buf + 24, &ho, 4);
	memcpy(buf + at, slots, 20);
	return at + 20;
}

static void test_mo_hash_checks(void **state)
{
	(void)state;
	char buf[512];
	struct mo_catalogue c;
	const char *o[] = {"Apple", "Pear"}, *t[] = {"Appel", "Peer"};
	/* every slot full and none the right one: the probe stops, not found */
	uint32_t full[5] = {1, 1, 1, 1, 1};
	size_t n = with_hash(buf, o, t, 2, full);
	assert_int_equal(mo_parse(buf, n, &c), 0);
	assert_int_equal(c.hash_size, 5);
	assert_null(mo_lookup(&c, "Pear"));
	assert_null(mo_lookup(&c, "Banana"));
	/* an entry naming an original past the count is refused */
	uint32_t bad[5] = {0, 3, 0, 0, 0};
	n = with_hash(buf, o, t, 2, bad);
	assert_int_equal(mo_parse(buf, n, &c), -1);
	/* a table running past the end is refused */
	n = with_hash(buf, o, t, 2, full);
	assert_int_equal(mo_parse(buf, n - 4, &c), -1);
	/* a table of fewer than 3 slots is ignored: binary search */
	n = with_hash(buf, o, t, 2, full);
	uint32_t two = 2;
	memcpy(buf + 20, &two, 4);
	assert_int_equal(mo_parse(buf, n, &c), 0);
	assert_string_equal(mo_lookup(&c, "Pear"), "Peer");
}

/* page_tr1 puts the argument where the translation has {}, by hand. */
static void test_page_tr1(void **state)
{
	(void)state;
	assert_int_equal(i18n_init(), 0);
	struct arena a = ARENA_INIT;
	struct page p = {.a = &a, .lang = "en"};
	assert_string_equal(page_tr1(&p, "Report {}", "12"), "Report 12");
	assert_string_equal(page_tr1(&p, "{} at the start", "x"), "x at the start");
	assert_string_equal(page_tr1(&p, "no placeholder", "x"), "no placeholder");
	assert_string_equal(page_tr1(&p, "Report {}", ""), "Report ");
	assert_string_equal(page_tr1(&p, "Report {}", NULL), "Report ");
	p.lang = "nl";
	const char *t = i18n_translate("nl", "Report {}"), *at = strstr(t, "{}");
	if (!at || strcmp(t, "Report {}") == 0) {
		fail_msg("'Report {}' has no Dutch with {}");
		return;
	}
	char want[128];
	snprintf(want, sizeof want, "%.*s7%s", (int)(at - t), t, at + 2);
	assert_string_equal(page_tr1(&p, "Report {}", "7"), want);
	arena_free(&a);
	i18n_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_languages),
		cmocka_unit_test(test_mo_parse),
		cmocka_unit_test(test_mo_hash),
		cmocka_unit_test(test_mo_hash_checks),
		cmocka_unit_test(test_translate_index),
		cmocka_unit_test(test_page_tr1),
	};
	return cmocka_run_group_tests_name("i18n", tests, NULL, NULL);
}
