/* test_intake_qset.c: the questionnaires compiled into the binary parse, and
 * a report's id and revision find the one it was answered with. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "intake/qset.h"

static void shipped_questionnaires_parse(void **state)
{
	(void)state;
	char err[300] = "";
	assert_int_equal(intake_qset_init(err, sizeof err), 0);
	assert_string_equal(err, "");
	/* twice is harmless */
	assert_int_equal(intake_qset_init(err, sizeof err), 0);
	const struct intake_questionnaire *q = intake_qset_current();
	assert_non_null(q);
	assert_string_equal(q->id, "melding");
	assert_true(q->revision >= 1);
	assert_ptr_equal(intake_qset_find("melding", q->revision), q);
	/* the kind the reporter chooses is a field of the questionnaire */
	assert_true(intake_q_field(q, "kind") >= 0);
}

static void unknown_ones_are_not_found(void **state)
{
	(void)state;
	char err[300];
	assert_int_equal(intake_qset_init(err, sizeof err), 0);
	assert_null(intake_qset_find("melding", 0));
	assert_null(intake_qset_find("melding", 9999));
	assert_null(intake_qset_find("other", 1));
	assert_null(intake_qset_find(NULL, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shipped_questionnaires_parse),
		cmocka_unit_test(unknown_ones_are_not_found),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
