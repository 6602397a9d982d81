/* test_arena.c: the region allocator (src/base/arena.c). Handlers rely on it
 * for every allocation of a request, so memory must be aligned, zeroed, never
 * overlap, and all of it must go with arena_free (LeakSanitizer checks that). */
#include <setjmp.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"

static int all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static void test_alignment(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	for (size_t n = 0; n < 300; n++) {
		void *p = arena_alloc(&a, n);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % alignof(max_align_t), 0);
		/* a long double can be stored there (UBSan checks alignment) */
		if (n >= sizeof(long double)) {
			long double *d = p;
			*d = 1.5L;
			assert_true(*d == 1.5L);
		}
	}
	char *s = arena_strdup(&a, "x");
	assert_int_equal((uintptr_t)arena_alloc(&a, 1) % alignof(max_align_t), 0);
	assert_string_equal(s, "x");
	arena_free(&a);
}

static void test_zeroed(void **state)
{
	(void)state;
	/* Sanitizer-built malloc fills fresh memory with non-zero bytes, and the
	 * second round reuses blocks freed by the first, so zeroes come from
	 * arena_alloc itself. */
	for (int round = 0; round < 2; round++) {
		struct arena a = ARENA_INIT;
		for (size_t n = 1; n < 5000; n += 97) {
			unsigned char *p = arena_alloc(&a, n);
			assert_true(all_zero(p, n));
			memset(p, 0xAA, n);
		}
		unsigned char *big = arena_alloc(&a, 100000);
		assert_true(all_zero(big, 100000));
		memset(big, 0xAA, 100000);
		arena_free(&a);
	}
}

static void test_no_overlap(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	enum { N = 2000 };
	static unsigned char *ptr[N];
	static size_t len[N];
	for (size_t i = 0; i < N; i++) {
		len[i] = (i * 37) % 301 + 1; /* crosses many block boundaries */
		ptr[i] = arena_alloc(&a, len[i]);
		memset(ptr[i], (int)(i & 0xff), len[i]);
	}
	for (size_t i = 0; i < N; i++)
		for (size_t j = 0; j < len[i]; j++)
			if (ptr[i][j] != (unsigned char)(i & 0xff))
				fail_msg("allocation %zu was overwritten at byte %zu", i, j);
	arena_free(&a);
}

static void test_large_allocations(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	char *small1 = arena_strdup(&a, "before");
	size_t big_n = 4u << 20;
	unsigned char *big = arena_alloc(&a, big_n);
	assert_true(all_zero(big, big_n));
	memset(big, 0x55, big_n); /* ASan reports if the block is smaller than asked */
	char *small2 = arena_strdup(&a, "after");
	unsigned char *big2 = arena_alloc(&a, 4097); /* just over one default block */
	memset(big2, 0x66, 4097);
	assert_string_equal(small1, "before");
	assert_string_equal(small2, "after");
	assert_int_equal(big[0], 0x55);
	assert_int_equal(big[big_n - 1], 0x55);
	assert_true(a.total >= big_n + 4097 + strlen("before") + strlen("after"));
	arena_free(&a);
}

static void test_zero_size(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	void *p = arena_alloc(&a, 0);
	void *q = arena_alloc(&a, 0);
	assert_non_null(p);
	assert_non_null(q);
	assert_ptr_not_equal(p, q);
	arena_free(&a);
}

static void test_strings(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	assert_string_equal(arena_strdup(&a, ""), "");
	assert_string_equal(arena_strdup(&a, "hello"), "hello");
	assert_string_equal(arena_strndup(&a, "hello", 3), "hel");
	const char raw[4] = {'a', 'b', 'c', 'd'}; /* not NUL-terminated */
	char *s = arena_strndup(&a, raw, sizeof raw);
	assert_string_equal(s, "abcd");
	assert_int_equal(strlen(s), 4);
	const char *orig = "copy me";
	char *c = arena_strdup(&a, orig);
	assert_ptr_not_equal(c, orig);
	arena_free(&a);
}

static void test_printf(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	assert_string_equal(arena_printf(&a, "%s-%d", "x", 42), "x-42");
	assert_string_equal(arena_printf(&a, "%s", ""), "");
	assert_string_equal(arena_printf(&a, "%lld", (long long)INT64_MIN), "-9223372036854775808");
	/* longer than a block */
	char *wide = arena_printf(&a, "[%9000d]", 7);
	assert_int_equal(strlen(wide), 9002);
	assert_int_equal(wide[0], '[');
	assert_int_equal(wide[9000], '7');
	assert_int_equal(wide[9001], ']');
	arena_free(&a);

	/* formatted in place in the block's free room: each string stays whole
	 * beside the next, an allocation after one is aligned and zeroed, and one
	 * that does not fit what is left of a block goes to a new one */
	struct arena b = ARENA_INIT;
	char *s[400];
	for (int i = 0; i < 400; i++) {
		s[i] = arena_printf(&b, "item %d of %s", i, "four hundred");
		unsigned char *z = arena_alloc(&b, 3);
		assert_int_equal((uintptr_t)z % alignof(max_align_t), 0);
		assert_true(z[0] == 0 && z[1] == 0 && z[2] == 0);
		z[0] = 0xff; /* would show in s[i + 1] if the two overlapped */
	}
	for (int i = 0; i < 400; i++) {
		char want[64];
		snprintf(want, sizeof want, "item %d of %s", i, "four hundred");
		assert_string_equal(s[i], want);
	}
	char *fill = arena_printf(&b, "%3000d", 1);
	char *next = arena_printf(&b, "%3000d", 2);
	assert_int_equal(strlen(fill), 3000);
	assert_int_equal(strlen(next), 3000);
	assert_int_equal(next[2999], '2');
	assert_int_equal(fill[2999], '1');
	arena_free(&b);
}

static void test_free_and_reuse(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	arena_free(&a); /* freeing an empty arena is harmless */
	arena_strdup(&a, "one");
	arena_alloc(&a, 10000);
	assert_true(a.total > 0);
	arena_free(&a);
	assert_null(a.head);
	assert_int_equal(a.used, 0);
	assert_int_equal(a.total, 0);
	arena_free(&a); /* and twice */
	assert_string_equal(arena_strdup(&a, "again"), "again");
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alignment),
		cmocka_unit_test(test_zeroed),
		cmocka_unit_test(test_no_overlap),
		cmocka_unit_test(test_large_allocations),
		cmocka_unit_test(test_zero_size),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_free_and_reuse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
