/* test_throttle.c: token buckets per client key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "web/throttle.h"

static void test_burst_then_wait(void **state)
{
	(void)state;
	struct throttle *t = malloc(sizeof *t);
	throttle_init(t, 3, 0.1); /* 3 at once, then one per 10 s */
	unsigned char a[HTTP_CLIENT_KEY_BYTES] = {1}, b[HTTP_CLIENT_KEY_BYTES] = {2};
	assert_int_equal(throttle_take(t, a, 100), 0);
	assert_int_equal(throttle_take(t, a, 100), 0);
	assert_int_equal(throttle_take(t, a, 100), 0);
	int wait = throttle_take(t, a, 100);
	assert_true(wait >= 9 && wait <= 11);
	/* another client is not affected */
	assert_int_equal(throttle_take(t, b, 100), 0);
	/* after 10 s one attempt is back, not more */
	assert_int_equal(throttle_take(t, a, 110.5), 0);
	assert_true(throttle_take(t, a, 110.5) > 0);
	/* a long pause refills to the burst, never above */
	for (int i = 0; i < 3; i++)
		assert_int_equal(throttle_take(t, a, 10000), 0);
	assert_true(throttle_take(t, a, 10000) > 0);
	throttle_free(t);
	free(t);
}

static void test_colliding_slot_not_stolen(void **state)
{
	(void)state;
	struct throttle *t = malloc(sizeof *t);
	throttle_init(t, 2, 0.01);
	/* same slot index (first two bytes), different clients */
	unsigned char a[HTTP_CLIENT_KEY_BYTES] = {7, 0, 1}, b[HTTP_CLIENT_KEY_BYTES] = {7, 0, 2};
	assert_int_equal(throttle_take(t, a, 1), 0);
	assert_int_equal(throttle_take(t, a, 1), 0);
	assert_true(throttle_take(t, a, 1) > 0);
	/* b lands in a's exhausted slot: it must not get a fresh bucket, or an
	 * attacker could reset its own limit by alternating keys */
	assert_true(throttle_take(t, b, 2) > 0);
	throttle_free(t);
	free(t);
}

static void test_wait_does_not_take(void **state)
{
	(void)state;
	struct throttle *t = malloc(sizeof *t);
	throttle_init(t, 2, 0.01);
	unsigned char a[HTTP_CLIENT_KEY_BYTES] = {3};
	for (int i = 0; i < 10; i++)
		assert_int_equal(throttle_wait(t, a, 5), 0);
	assert_int_equal(throttle_take(t, a, 5), 0);
	assert_int_equal(throttle_take(t, a, 5), 0);
	assert_true(throttle_wait(t, a, 5) > 0);
	throttle_free(t);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_then_wait),
		cmocka_unit_test(test_colliding_slot_not_stolen),
		cmocka_unit_test(test_wait_does_not_take),
	};
	return cmocka_run_group_tests_name("throttle", tests, NULL, NULL);
}
