/* test_form.c: urlencoded and multipart parsing, limits and rejections. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "web/form.h"

static enum form_error url(const char *body, struct form *f, struct arena *a)
{
	return form_parse_urlencoded(a, body, strlen(body), &form_default_limits, f);
}

static void test_urlencoded_fields(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	struct form f;
	assert_int_equal(url("name=Jan+de+Vries&msg=caf%C3%A9%21&empty=&flag", &f, &a), FORM_OK);
	assert_int_equal(f.n, 4);
	assert_string_equal(form_get(&f, "name"), "Jan de Vries");
	assert_string_equal(form_get(&f, "msg"), "caf\xc3\xa9!");
	assert_string_equal(form_get(&f, "empty"), "");
	assert_string_equal(form_get(&f, "flag"), "");
	assert_null(form_get(&f, "missing"));
	arena_free(&a);
}

static void test_urlencoded_rejects(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	struct form f;
	assert_int_equal(url("a=%4", &f, &a), FORM_MALFORMED);
	assert_int_equal(url("a=%zz", &f, &a), FORM_MALFORMED);
	assert_int_equal(url("=x", &f, &a), FORM_MALFORMED);
	assert_int_equal(url("a=%C0%AF", &f, &a), FORM_BAD_UTF8);    /* overlong '/' */
	assert_int_equal(url("a=%ED%A0%80", &f, &a), FORM_BAD_UTF8); /* surrogate */
	assert_int_equal(url("a=%00", &f, &a), FORM_BAD_UTF8);       /* NUL */
	assert_int_equal(url("%FF=1", &f, &a), FORM_BAD_UTF8);
	arena_free(&a);
}

static void test_urlencoded_limits(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	struct form f;
	struct form_limits lim = form_default_limits;
	lim.max_fields = 2;
	lim.max_name = 4;
	lim.max_value = 5;
	lim.max_total = 40;
	assert_int_equal(form_parse_urlencoded(&a, "a=1&b=2", 7, &lim, &f), FORM_OK);
	assert_int_equal(form_parse_urlencoded(&a, "a=1&b=2&c=3", 11, &lim, &f), FORM_TOO_MANY);
	assert_int_equal(form_parse_urlencoded(&a, "abcde=1", 7, &lim, &f), FORM_FIELD_TOO_BIG);
	assert_int_equal(form_parse_urlencoded(&a, "a=123456", 8, &lim, &f), FORM_FIELD_TOO_BIG);
	/* escapes count after decoding: five encoded bytes are still five */
	assert_int_equal(form_parse_urlencoded(&a, "a=%41%41%41%41%41", 17, &lim, &f), FORM_OK);
	char big[64];
	memset(big, 'x', sizeof big);
	assert_int_equal(form_parse_urlencoded(&a, big, sizeof big, &lim, &f), FORM_TOO_BIG);
	arena_free(&a);
}

#define CT "multipart/form-data; boundary=XyZ"

static void test_multipart_text_and_file(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	struct form f;
	struct form_limits lim = form_default_limits;
	lim.max_files = 1;
	lim.max_file = 16;
	static const char body[] =
		"--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nMelding\r\n"
		"--XyZ\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"a.pdf\"\r\n"
		"Content-Type: application/pdf\r\n\r\n%PDF\0bin\r\n"
		"--XyZ\r\nContent-Disposition: form-data; name=\"none\"; filename=\"\"\r\n\r\n\r\n"
		"--XyZ--\r\n";
	assert_int_equal(form_parse_multipart(&a, CT, body, sizeof body - 1, &lim, &f), FORM_OK);
	assert_int_equal(f.n, 2); /* the empty file input is skipped */
	assert_string_equal(form_get(&f, "title"), "Melding");
	const struct form_field *doc = form_field(&f, "doc");
	assert_non_null(doc);
	assert_string_equal(doc->filename, "a.pdf");
	assert_string_equal(doc->content_type, "application/pdf");
	assert_int_equal(doc->len, 8);
	assert_memory_equal(doc->value, "%PDF\0bin", 8);
	assert_null(form_get(&f, "doc")); /* a file is not a text value */
	arena_free(&a);
}

static void test_multipart_rejects(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	struct form f;
	struct form_limits lim = form_default_limits;
	lim.max_files = 1;
	lim.max_file = 4;
	const char *file2 =
		"--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n\r\n1\r\n"
		"--XyZ\r\nContent-Disposition: form-data; name=\"g\"; filename=\"b\"\r\n\r\n2\r\n"
		"--XyZ--";
	assert_int_equal(form_parse_multipart(&a, CT, file2, strlen(file2), &lim, &f), FORM_TOO_MANY);
	const char *bigfile =
		"--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n\r\n12345\r\n"
		"--XyZ--";
	assert_int_equal(form_parse_multipart(&a, CT, bigfile, strlen(bigfile), &lim, &f),
			 FORM_FILE_TOO_BIG);
	const char *noname = "--XyZ\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XyZ--";
	assert_int_equal(form_parse_multipart(&a, CT, noname, strlen(noname), &lim, &f),
			 FORM_MALFORMED);
	const char *open = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx";
	assert_int_equal(form_parse_multipart(&a, CT, open, strlen(open), &lim, &f), FORM_MALFORMED);
	const char *badtext =
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\xff\r\n--XyZ--";
	assert_int_equal(form_parse_multipart(&a, CT, badtext, strlen(badtext), &lim, &f),
			 FORM_BAD_UTF8);
	assert_int_equal(form_parse_multipart(&a, "text/plain", open, strlen(open), &lim, &f),
			 FORM_MALFORMED);
	assert_int_equal(form_parse_multipart(&a, "multipart/form-data", open, strlen(open), &lim,
					      &f),
			 FORM_MALFORMED);
	arena_free(&a);
}

/* A multipart body: text fields, then nfiles files of file_len bytes each
 * (bytes 0..255 repeating, so binary content and CRLFs in it are covered). */
static char *upload_body(size_t nfiles, size_t file_len, size_t text_len, size_t *n)
{
	size_t cap = 4096 + text_len + nfiles * (file_len + 200);
	char *b = malloc(cap);
	assert_non_null(b);
	size_t k = (size_t)snprintf(b, cap,
				    "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n"
				    "token\r\n--XyZ\r\nContent-Disposition: form-data; "
				    "name=\"text\"\r\n\r\n");
	memset(b + k, 'w', text_len);
	k += text_len;
	for (size_t i = 0; i < nfiles; i++) {
		k += (size_t)snprintf(b + k, cap - k,
				      "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"f%zu\"; "
				      "filename=\"scan %zu.pdf\"\r\nContent-Type: application/pdf"
				      "\r\n\r\n",
				      i, i);
		for (size_t j = 0; j < file_len; j++)
			b[k + j] = (char)(j & 0xff);
		k += file_len;
	}
	k += (size_t)snprintf(b + k, cap - k, "\r\n--XyZ--\r\n");
	*n = k;
	return b;
}

/* Upload routes: up to FORM_UPLOAD_FILES files of FORM_UPLOAD_FILE_MAX
 * bytes each, in a body of at most FORM_UPLOAD_BODY_MAX; text fields keep
 * the ordinary limits. */
static void test_upload_limits(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	struct form f;
	size_t n;
	/* one file of exactly the limit */
	char *b = upload_body(1, FORM_UPLOAD_FILE_MAX, 10, &n);
	assert_int_equal(form_parse_multipart(&a, CT, b, n, &form_upload_limits, &f), FORM_OK);
	const struct form_field *fl = form_field(&f, "f0");
	assert_non_null(fl);
	assert_int_equal(fl->len, FORM_UPLOAD_FILE_MAX);
	assert_string_equal(fl->filename, "scan 0.pdf");
	assert_int_equal((unsigned char)fl->value[FORM_UPLOAD_FILE_MAX - 1], 0xff);
	/* not copied: the value is where it is in the body, and the arena holds
	 * only names and text */
	assert_true(fl->value > b && fl->value + fl->len <= b + n);
	assert_true(a.total < 64 * 1024);
	assert_string_equal(form_get(&f, "text"), "wwwwwwwwww");
	/* the same body is refused by the ordinary limits, before any parsing */
	assert_int_equal(form_parse_multipart(&a, CT, b, n, &form_default_limits, &f), FORM_TOO_BIG);
	free(b);
	arena_free(&a);

	/* one byte over the file limit */
	b = upload_body(1, FORM_UPLOAD_FILE_MAX + 1, 10, &n);
	assert_int_equal(form_parse_multipart(&a, CT, b, n, &form_upload_limits, &f),
			 FORM_FILE_TOO_BIG);
	free(b);
	arena_free(&a);

	/* the most files, with all of the files' total */
	b = upload_body(FORM_UPLOAD_FILES, FORM_UPLOAD_FILES_TOTAL / FORM_UPLOAD_FILES, 1000, &n);
	assert_true(n <= FORM_UPLOAD_BODY_MAX);
	assert_int_equal(form_parse_multipart(&a, CT, b, n, &form_upload_limits, &f), FORM_OK);
	assert_int_equal(f.n, 2 + FORM_UPLOAD_FILES);
	free(b);
	arena_free(&a);

	/* one file too many */
	b = upload_body(FORM_UPLOAD_FILES + 1, 10, 10, &n);
	assert_int_equal(form_parse_multipart(&a, CT, b, n, &form_upload_limits, &f), FORM_TOO_MANY);
	free(b);
	arena_free(&a);

	/* text fields keep the ordinary limit */
	b = upload_body(0, 0, form_upload_limits.max_value + 1, &n);
	assert_int_equal(form_parse_multipart(&a, CT, b, n, &form_upload_limits, &f),
			 FORM_FIELD_TOO_BIG);
	free(b);
	arena_free(&a);
	b = upload_body(0, 0, form_upload_limits.max_value, &n);
	assert_int_equal(form_parse_multipart(&a, CT, b, n, &form_upload_limits, &f), FORM_OK);
	assert_true(form_upload_limits.max_value == form_default_limits.max_value);
	assert_true(form_upload_limits.max_name == form_default_limits.max_name);
	free(b);
	arena_free(&a);

	/* the whole body over its limit, whatever the parts */
	b = upload_body(FORM_UPLOAD_FILES, FORM_UPLOAD_FILE_MAX, 0, &n);
	assert_true(n > FORM_UPLOAD_BODY_MAX);
	assert_int_equal(form_parse_multipart(&a, CT, b, n, &form_upload_limits, &f), FORM_TOO_BIG);
	free(b);
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_urlencoded_fields),
		cmocka_unit_test(test_urlencoded_rejects),
		cmocka_unit_test(test_urlencoded_limits),
		cmocka_unit_test(test_multipart_text_and_file),
		cmocka_unit_test(test_multipart_rejects),
		cmocka_unit_test(test_upload_limits),
	};
	return cmocka_run_group_tests_name("form", tests, NULL, NULL);
}
