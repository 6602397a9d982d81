/* test_labels.c: the trend chart's value labels (src/monitor/labels.c). Two
 * close values (282 and 259 drawn 4 px apart, as the demo's 2025 was) get
 * labels at least a line apart, each beside its own point; far values keep
 * both labels above; a lower point on the axis lifts the upper label
 * instead of writing over the axis; the result does not depend on which
 * line comes first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "monitor/labels.h"

#define TOP (20 - MON_LABEL_ABOVE) /* the plot's top at 20 */
#define FLOOR 198                  /* the chart's axis at 200, less 2 */

static void apart(int la, int lb)
{
	if (abs(la - lb) < MON_LABEL_LINE)
		fail_msg("labels at %d and %d are less than a line (%d) apart", la, lb,
			 MON_LABEL_LINE);
}

static void test_close_values(void **state)
{
	(void)state;
	int la, lb;
	/* a above b by 4 px: a's label above a, b's below b */
	mon_label_pair(60, 64, TOP, FLOOR, &la, &lb);
	apart(la, lb);
	assert_true(la < 60);
	assert_true(lb > 64);
	assert_int_equal(la, mon_label_y(60));
	/* the same points given the other way round: the same places */
	int la2, lb2;
	mon_label_pair(64, 60, TOP, FLOOR, &lb2, &la2);
	assert_int_equal(la2, la);
	assert_int_equal(lb2, lb);
	/* equal values */
	mon_label_pair(100, 100, TOP, FLOOR, &la, &lb);
	apart(la, lb);
	/* every distance from 0 to 40 px, at every height of the plot */
	for (int y = 20; y <= 200; y += 3)
		for (int d = 0; d <= 40 && y + d <= 200; d++) {
			mon_label_pair(y, y + d, TOP, FLOOR, &la, &lb);
			apart(la, lb);
			assert_true(la >= TOP && lb >= TOP);
			assert_true(la <= FLOOR && lb <= FLOOR);
		}
}

static void test_far_values(void **state)
{
	(void)state;
	int la, lb;
	mon_label_pair(40, 150, TOP, FLOOR, &la, &lb);
	assert_int_equal(la, 40 - MON_LABEL_ABOVE);
	assert_int_equal(lb, 150 - MON_LABEL_ABOVE);
}

static void test_on_the_axis(void **state)
{
	(void)state;
	int la, lb;
	/* b at 0 (on the axis at 200), a just above it: b's label cannot go
	 * below, so a's goes a line higher */
	mon_label_pair(195, 200, TOP, FLOOR, &la, &lb);
	apart(la, lb);
	assert_int_equal(lb, 200 - MON_LABEL_ABOVE);
	assert_true(la < lb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_close_values),
		cmocka_unit_test(test_far_values),
		cmocka_unit_test(test_on_the_axis),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
