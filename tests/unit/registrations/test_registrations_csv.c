/* test_registrations_csv.c: the CSV reader (src/registrations/csv.c). Every
 * input is read whole and also fed a byte at a time, and both readings must
 * agree: quotes and doubled quotes, separators and line breaks inside
 * quotes, the byte order mark, ';' chosen from the header, CRLF, a last line
 * without a break, blank lines, and each refusal with its line number and the
 * reader going on at the next record: a quote inside an unquoted field, text
 * after a closing quote, a quote left open, a lone CR, too many fields, a
 * field or a line too long. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "registrations/csv.h"

/* Reads text in chunks of `step` bytes (0: all at once) into one line per
 * record, "L<line>:" then the fields joined by '|', or "L<line>!<error>". */
static char *read_all(const char *text, size_t len, size_t step, struct csv_reader *r)
{
	struct buf out = {0};
	char *buf = malloc(len + 1);
	size_t have = 0, given = 0;
	if (!buf)
		return NULL;
	for (int guard = 0; guard < 1000000; guard++) {
		size_t add = step ? step : len;
		if (add > len - given)
			add = len - given;
		memcpy(buf + have, text + given, add);
		have += add;
		given += add;
		int eof = given == len;
		size_t pos = 0, used;
		for (;;) {
			enum csv_result cr = csv_next(r, buf + pos, have - pos, eof, &used);
			pos += used;
			if (cr == CSV_MORE)
				break;
			if (cr == CSV_END) {
				free(buf);
				return buf_detach(&out);
			}
			if (cr == CSV_ERROR) {
				buf_printf(&out, "L%zu!%s\n", r->line, r->err);
				continue;
			}
			buf_printf(&out, "L%zu:", r->line);
			for (size_t i = 0; i < r->nfields; i++)
				buf_printf(&out, "%s%.*s", i ? "|" : "", (int)r->fields[i].n,
					   r->fields[i].p);
			buf_addc(&out, '\n');
		}
		assert_false(eof); /* never CSV_MORE at the end */
		memmove(buf, buf + pos, have - pos);
		have -= pos;
	}
	free(buf);
	fail_msg("no end");
	return NULL;
}

/* Checks that text reads as want whole and a byte at a time; returns the
 * separator chosen. */
static char check(const char *text, size_t len, const char *want)
{
	static struct csv_reader r1, r2;
	csv_init(&r1);
	csv_init(&r2);
	char *whole = read_all(text, len, 0, &r1);
	char *bytes = read_all(text, len, 1, &r2);
	if (!whole || !bytes) {
		fail_msg("no result");
		return 0;
	}
	assert_string_equal(whole, want);
	assert_string_equal(bytes, want);
	assert_int_equal(r1.sep, r2.sep);
	free(whole);
	free(bytes);
	return r1.sep;
}

#define CHECK(text, want) check(text, sizeof text - 1, want)

static void test_plain_and_quoted(void **state)
{
	(void)state;
	assert_int_equal(CHECK("a,b,c\n1,2,3\n", "L1:a|b|c\nL2:1|2|3\n"), ',');
	/* quoted fields: separators, doubled quotes, empty ones, line breaks */
	CHECK("a,b\n\"x,y\",\"say \"\"hi\"\"\"\n\"\",\n",
	      "L1:a|b\nL2:x,y|say \"hi\"\nL3:|\n");
	CHECK("a,b\n\"two\nlines\",z\nnext,1\n", "L1:a|b\nL2:two\nlines|z\nL4:next|1\n");
	/* a last line without its break; a quoted one too */
	CHECK("a,b\n1,2", "L1:a|b\nL2:1|2\n");
	CHECK("a,b\n1,\"2\"", "L1:a|b\nL2:1|2\n");
	/* a blank line is a record of one empty field (the row rules skip it) */
	CHECK("a,b\n\n1,2\n", "L1:a|b\nL2:\nL3:1|2\n");
}

static void test_bom_crlf_and_semicolons(void **state)
{
	(void)state;
	assert_int_equal(CHECK("\xEF\xBB\xBF"
			       "a;b;c\r\n1;2,5;3\r\n",
			       "L1:a|b|c\nL2:1|2,5|3\n"),
			 ';');
	/* commas win when they are more; quoted ones do not count */
	assert_int_equal(CHECK("\"x;y;z\",b,c\n1,2,3\n", "L1:x;y;z|b|c\nL2:1|2|3\n"), ',');
	/* a BOM only at the very start: elsewhere it is data */
	CHECK("a\n\xEF\xBB\xBF\n", "L1:a\nL2:\xEF\xBB\xBF\n");
	/* CRLF inside quotes stays */
	CHECK("a;b\r\n\"1\r\n2\";3\r\n", "L1:a|b\nL2:1\r\n2|3\n");
	/* an empty file */
	CHECK("", "");
	CHECK("\xEF\xBB\xBF", "");
}

static void test_refusals(void **state)
{
	(void)state;
	CHECK("a,b\nx\"y,2\nok,1\n",
	      "L1:a|b\nL2!a quote inside field 1, which does not start with one: put the whole "
	      "field in quotes and double the quote\nL3:ok|1\n");
	CHECK("a,b\n\"x\"y,2\nok,1\n",
	      "L1:a|b\nL2!text after the closing quote of field 1\nL3:ok|1\n");
	CHECK("a,b\n1,\"open\nstill\n",
	      "L1:a|b\nL2!a quoted field is not closed before the end of the file\n");
	CHECK("a,b\n1,2\r3,4\nok,1\n",
	      "L1:a|b\nL2!a carriage return without a line feed\nL3:ok|1\n");
	/* too many fields */
	char many[400];
	size_t k = 0;
	for (int i = 0; i < CSV_MAX_FIELDS + 1; i++)
		k += (size_t)snprintf(many + k, sizeof many - k, "%s1", i ? "," : "");
	k += (size_t)snprintf(many + k, sizeof many - k, "\nok\n");
	struct csv_reader *r = malloc(sizeof *r);
	if (!r) {
		fail_msg("malloc");
		return;
	}
	csv_init(r);
	char *got = read_all(many, k, 0, r);
	assert_non_null(got);
	if (!got) {
		free(r);
		return;
	}
	assert_string_equal(got, "L1!more than 64 fields\nL2:ok\n");
	free(got);
	free(r);
}

static void test_limits(void **state)
{
	(void)state;
	struct csv_reader *r = malloc(sizeof *r);
	size_t n = CSV_LINE_MAX + 100;
	char *text = malloc(n + 16);
	if (!r || !text) {
		fail_msg("malloc");
		free(r);
		free(text);
		return;
	}
	/* a field of 201 bytes; one of 200 is fine */
	memset(text, 'x', 201);
	memcpy(text + 201, "\n", 1);
	memset(text + 202, 'y', 200);
	memcpy(text + 402, "\n", 1);
	csv_init(r);
	char *got = read_all(text, 403, 7, r);
	if (!got) {
		fail_msg("no result");
		goto out;
	}
	assert_non_null(strstr(got, "L1!field 1 is longer than 200 bytes\nL2:yyyy"));
	free(got);

	/* a line over 64 KiB: refused, and reading goes on at the next line */
	for (size_t i = 0; i < n; i++)
		text[i] = i % 10 == 9 ? ',' : 'z';
	memcpy(text + n, "\nok\n", 4);
	csv_init(r);
	r->field_max = 100000;
	got = read_all(text, n + 4, 4096, r);
	if (!got) {
		fail_msg("no result");
		goto out;
	}
	assert_string_equal(got, "L1!the line is longer than 65536 bytes (is a quote not closed?)\n"
				 "L2:ok\n");
	free(got);
	/* a quote never closed swallows no more than one line's limit */
	text[0] = '"';
	for (size_t i = 1; i < n; i++)
		text[i] = i % 100 == 0 ? '\n' : 'q';
	memcpy(text + n, "\nok\n", 4);
	csv_init(r);
	got = read_all(text, n + 4, 0, r);
	if (!got) {
		fail_msg("no result");
		goto out;
	}
	assert_true(strncmp(got, "L1!the line is longer than 65536 bytes", 38) == 0);
	assert_non_null(strstr(got, ":ok\n"));
	free(got);
out:
	free(text);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_quoted),
		cmocka_unit_test(test_bom_crlf_and_semicolons),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
