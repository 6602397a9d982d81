/* test_buf.c: the growable buffer (src/base/buf.c). Responses and messages are
 * built in it, so it must grow without losing bytes, stay NUL-terminated, keep
 * embedded NULs, and hand its memory over cleanly on detach. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"

static void assert_terminated(const struct buf *b)
{
	assert_non_null(b->p);
	assert_true(b->cap > b->n);
	assert_int_equal(b->p[b->n], 0);
}

static void test_add(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_adds(&b, "abc");
	assert_int_equal(b.n, 3);
	assert_string_equal(b.p, "abc");
	assert_terminated(&b);
	buf_addc(&b, 'd');
	buf_add(&b, "efgh", 2);
	assert_int_equal(b.n, 6);
	assert_string_equal(b.p, "abcdef");
	assert_terminated(&b);
	buf_free(&b);
	assert_null(b.p);
	assert_int_equal(b.n, 0);
	assert_int_equal(b.cap, 0);
}

static void test_empty_add_allocates_terminator(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_add(&b, "", 0);
	assert_int_equal(b.n, 0);
	assert_terminated(&b);
	assert_string_equal(b.p, "");
	buf_free(&b);
}

static void test_embedded_nul(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_add(&b, "a\0b", 3);
	buf_addc(&b, 0);
	buf_adds(&b, "c");
	assert_int_equal(b.n, 5);
	assert_memory_equal(b.p, "a\0b\0c", 5);
	assert_terminated(&b);
	buf_free(&b);
}

static void test_growth(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	size_t caps_seen = 0, last_cap = 0;
	for (size_t i = 0; i < 100000; i++) {
		buf_addc(&b, (char)('a' + i % 26));
		assert_terminated(&b);
		if (b.cap != last_cap) {
			caps_seen++;
			last_cap = b.cap;
		}
	}
	assert_int_equal(b.n, 100000);
	for (size_t i = 0; i < 100000; i++)
		if (b.p[i] != (char)('a' + i % 26))
			fail_msg("byte %zu lost in growth", i);
	/* geometric growth: few reallocations, not one per byte */
	assert_true(caps_seen < 20);
	/* one big add past the current capacity */
	static char big[300000];
	memset(big, 'z', sizeof big);
	buf_add(&b, big, sizeof big);
	assert_int_equal(b.n, 400000);
	assert_int_equal(b.p[399999], 'z');
	assert_int_equal(b.p[99999], (char)('a' + 99999 % 26));
	assert_terminated(&b);
	buf_free(&b);
}

static void test_printf(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_printf(&b, "%d-%s", 12, "ab");
	assert_string_equal(b.p, "12-ab");
	assert_int_equal(b.n, 5);
	buf_adds(&b, "|");
	buf_printf(&b, "%lld", (long long)INT64_MIN);
	assert_string_equal(b.p, "12-ab|-9223372036854775808");
	assert_int_equal(b.n, strlen(b.p));
	/* far larger than the initial capacity, appended after existing text */
	buf_printf(&b, "%5000s", "x");
	assert_int_equal(b.n, 26 + 5000);
	assert_int_equal(b.p[b.n - 1], 'x');
	assert_int_equal(b.p[26], ' ');
	assert_terminated(&b);
	/* an empty expansion changes nothing */
	size_t n = b.n;
	buf_printf(&b, "%s", "");
	assert_int_equal(b.n, n);
	assert_terminated(&b);
	buf_free(&b);
}

static void test_reset(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_reset(&b); /* on an empty buffer: no crash, still empty */
	assert_null(b.p);
	buf_adds(&b, "hello world");
	size_t cap = b.cap;
	buf_reset(&b);
	assert_int_equal(b.n, 0);
	assert_string_equal(b.p, "");
	assert_int_equal(b.cap, cap); /* keeps its memory for reuse */
	buf_adds(&b, "hi");
	assert_string_equal(b.p, "hi");
	buf_free(&b);
}

static void test_detach(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s=%d", "n", 5);
	char *s = buf_detach(&b);
	assert_string_equal(s, "n=5");
	assert_null(b.p);
	assert_int_equal(b.n, 0);
	assert_int_equal(b.cap, 0);
	/* the buffer is usable again and independent of the detached string */
	buf_adds(&b, "next");
	assert_string_equal(b.p, "next");
	assert_string_equal(s, "n=5");
	free(s);
	buf_free(&b);

	/* detaching an empty buffer still hands over a string to free */
	struct buf e = BUF_INIT;
	char *empty = buf_detach(&e);
	assert_non_null(empty);
	assert_string_equal(empty, "");
	free(empty);
	buf_free(&e); /* harmless after detach */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_empty_add_allocates_terminator),
		cmocka_unit_test(test_embedded_nul),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_detach),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
