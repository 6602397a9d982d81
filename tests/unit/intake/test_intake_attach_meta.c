/* test_intake_attach_meta.c: the sealed meta of a stored file
 * (src/intake/attach_meta.c), which reports, cases and assessment evidence
 * share: what is written reads back the same, names with quotes, slashes
 * and non-ASCII included; a blob sealed for another file, under another
 * key or cut short does not open; and a blob that opens but holds something
 * else than this JSON is refused, not half read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "crypto/blob.h"
#include "crypto/vault.h"
#include "intake/attach.h"

static unsigned char key[ENVELOPE_KEY_BYTES];

struct sealed {
	unsigned char *b;
	size_t n, cap;
};

static void seal(const char *purpose, const char *plain, size_t n, struct sealed *s)
{
	assert_int_equal(blob_seal(key, 7, purpose, plain, n, &s->b, &s->n, &s->cap), 0);
}

static void test_round_trip(void **state)
{
	(void)state;
	static const char name[] = "brief \"aan\" de minister \xc3\xa9\xc3\xa9n\\twee.pdf";
	struct intake_file f = {.data = (const unsigned char *)"x", .len = 12345,
				.mime = "application/pdf", .name = name};
	size_t len = 0;
	char *m = attach_meta_build(&f, &len);
	if (!m) {
		fail_msg("no meta");
		return;
	}
	assert_int_equal(strlen(m), len);
	struct sealed s;
	seal("attachment-meta:3", m, len, &s);
	vault_secure_free(m);
	char got_name[INTAKE_FILENAME_MAX + 1], got_mime[INTAKE_MIME_MAX + 1];
	size_t size = 0;
	assert_int_equal(attach_meta_open(key, 7, "attachment-meta:3", s.b, s.n, got_name,
					  got_mime, &size), 0);
	assert_string_equal(got_name, name);
	assert_string_equal(got_mime, "application/pdf");
	assert_int_equal(size, 12345);
	/* sealed for another file, another owner, another key, or cut short */
	assert_int_equal(attach_meta_open(key, 7, "attachment-meta:4", s.b, s.n, got_name,
					  got_mime, &size), -1);
	assert_int_equal(attach_meta_open(key, 8, "attachment-meta:3", s.b, s.n, got_name,
					  got_mime, &size), -1);
	assert_int_equal(attach_meta_open(key, 7, "attachment-meta:3", s.b, s.n - 1, got_name,
					  got_mime, &size), -1);
	unsigned char other[ENVELOPE_KEY_BYTES];
	randombytes_buf(other, sizeof other);
	assert_int_equal(attach_meta_open(other, 7, "attachment-meta:3", s.b, s.n, got_name,
					  got_mime, &size), -1);
	blob_drop(s.b, s.cap);
}

static void test_not_meta(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"{\"name\":\"a.pdf\"}",
		"{\"name\":\"a.pdf\",\"type\":\"application/pdf\"}",
		"{\"name\":\"a.pdf\",\"type\":\"application/pdf\",\"size\":}",
		"{\"name\":\"a.pdf\",\"type\":\"application/pdf\",\"size\":-1}",
		"{\"name\":\"a.pdf\",\"type\":\"application/pdf\",\"size\":12} ",
		"{\"type\":\"application/pdf\",\"name\":\"a.pdf\",\"size\":12}",
		"{\"name\":\"a.pdf\",\"type\":\"application/pdf\",\"size\":123456789012345678901234}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct sealed s;
		seal("m", bad[i], strlen(bad[i]), &s);
		char name[INTAKE_FILENAME_MAX + 1], mime[INTAKE_MIME_MAX + 1];
		size_t size = 99;
		if (attach_meta_open(key, 7, "m", s.b, s.n, name, mime, &size) != -1)
			fail_msg("accepted: %s", bad[i]);
		assert_int_equal(size, 99);
		blob_drop(s.b, s.cap);
	}
}

static int setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	randombytes_buf(key, sizeof key);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_not_meta),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
