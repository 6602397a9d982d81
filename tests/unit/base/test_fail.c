/* test_fail.c: the error setters every store goes through (src/base/fail.c):
 * the code and the text land where the feature keeps them, a long text is cut
 * short inside its buffer and nothing past it is touched, and every setter
 * returns -1 for `return fail_...(...)`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/fail.h"

/* Shaped like the features' structs: a code, a text buffer, and a guard
 * that a setter must leave alone. */
struct some_error {
	int code;
	char msg[8];
	char guard[4];
	const char *msgid;
};

static void test_set_formats(void **state)
{
	(void)state;
	struct some_error e;
	memset(&e, 0, sizeof e);
	assert_int_equal(fail_set(&e.code, 3, e.msg, sizeof e.msg, "%s %d", "row", 7), -1);
	assert_int_equal(e.code, 3);
	assert_string_equal(e.msg, "row 7");
}

static void test_set_cuts_long_text(void **state)
{
	(void)state;
	struct some_error e;
	memset(&e, 0, sizeof e);
	memcpy(e.guard, "GGG", 4);
	assert_int_equal(fail_set(&e.code, 5, e.msg, sizeof e.msg, "%s", "a long message"), -1);
	assert_int_equal(e.code, 5);
	assert_string_equal(e.msg, "a long ");
	assert_string_equal(e.guard, "GGG");
}

static void test_msgid(void **state)
{
	(void)state;
	struct some_error e;
	memset(&e, 0, sizeof e);
	static const char id[] = "The title is too long.";
	assert_int_equal(fail_msgid(&e.code, &e.msgid, 2, id), -1);
	assert_int_equal(e.code, 2);
	assert_ptr_equal(e.msgid, id);
	assert_string_equal(e.msg, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_formats),
		cmocka_unit_test(test_set_cuts_long_text),
		cmocka_unit_test(test_msgid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
