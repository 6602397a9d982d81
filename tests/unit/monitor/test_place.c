/* test_place.c: where a count belongs across reorganisations (mon_place,
 * src/monitor/place.c, shared by the dashboard and the annual report) and
 * the trends' share rule (mon_share, src/monitor/trend.c), on trees and
 * grids made by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "monitor/place.h"
#include "monitor/trend.h"

static struct org_table t;

static void row(int64_t id, const char *code, enum org_kind kind, int64_t parent,
		const char *from, const char *to, int outside)
{
	struct org o = {.id = id, .kind = kind, .parent_id = parent, .outside_scope = outside};
	snprintf(o.code, sizeof o.code, "%s", code);
	snprintf(o.name, sizeof o.name, "%s", code);
	snprintf(o.valid_from, sizeof o.valid_from, "%s", from);
	snprintf(o.valid_to, sizeof o.valid_to, "%s", to);
	assert_int_equal(org_table_add_row(&t, &o), 0);
}

static void link(int64_t pred, int64_t succ, enum org_link_kind kind)
{
	struct org_link l = {.pred_id = pred, .succ_id = succ, .kind = kind};
	snprintf(l.on, sizeof l.on, "2024-07-02");
	assert_int_equal(org_table_add_link(&t, &l), 0);
}

/* RIJK; LNV renamed LVVN; EZK split into EZ and KGG, its unit RVO moving to
 * EZ; OLD abolished; XYZ merged into DEF, which is outside the scope */
static int setup(void **state)
{
	(void)state;
	org_table_init(&t);
	row(1, "RIJK", ORG_GOVERNMENT, 0, "2020-01-01", "", 0);
	row(2, "LNV", ORG_DEPARTMENT, 1, "2020-01-01", "2024-07-02", 0);
	row(3, "EZK", ORG_DEPARTMENT, 1, "2020-01-01", "2024-07-02", 0);
	row(4, "RVO", ORG_UNIT, 3, "2020-01-01", "2024-07-02", 0);
	row(5, "OLD", ORG_DEPARTMENT, 1, "2020-01-01", "2023-01-01", 0);
	row(6, "XYZ", ORG_DEPARTMENT, 1, "2020-01-01", "2024-07-02", 0);
	row(7, "DEF", ORG_DEPARTMENT, 1, "2020-01-01", "", 1);
	row(10, "LVVN", ORG_DEPARTMENT, 1, "2024-07-02", "", 0);
	row(11, "EZ", ORG_DEPARTMENT, 1, "2024-07-02", "", 0);
	row(12, "KGG", ORG_DEPARTMENT, 1, "2024-07-02", "", 0);
	row(13, "RVO", ORG_UNIT, 11, "2024-07-02", "", 0);
	link(2, 10, ORG_LINK_RENAME);
	link(3, 11, ORG_LINK_SPLIT);
	link(3, 12, ORG_LINK_SPLIT);
	link(4, 13, ORG_LINK_MOVE);
	link(6, 7, ORG_LINK_MERGE);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	org_table_free(&t);
	return 0;
}

static void test_place(void **state)
{
	(void)state;
	struct mon_place p;
	/* renamed: as it was LNV, today LVVN */
	assert_int_equal(mon_place(&t, 2, &p), 0);
	assert_int_equal(p.was->id, 2);
	assert_int_equal(p.nsucc, 1);
	assert_int_equal(p.succ[0]->id, 10);
	assert_false(p.succ_outside);
	/* the split department's own row: two successors, never one */
	assert_int_equal(mon_place(&t, 3, &p), 0);
	assert_int_equal(p.was->id, 3);
	assert_int_equal(p.nsucc, 2);
	/* its unit, which moved: EZK as it was, EZ today */
	assert_int_equal(mon_place(&t, 4, &p), 0);
	assert_int_equal(p.was->id, 3);
	assert_int_equal(p.nsucc, 1);
	assert_int_equal(p.succ[0]->id, 11);
	/* abolished: no successor */
	assert_int_equal(mon_place(&t, 5, &p), 0);
	assert_int_equal(p.nsucc, 0);
	/* merged into a department outside the scope: marked */
	assert_int_equal(mon_place(&t, 6, &p), 0);
	assert_int_equal(p.was->id, 6);
	assert_true(p.succ_outside);
	/* an open unit: its department, itself today */
	assert_int_equal(mon_place(&t, 13, &p), 0);
	assert_int_equal(p.was->id, 11);
	assert_int_equal(p.succ[0]->id, 11);
	/* unknown */
	assert_int_equal(mon_place(&t, 99, &p), -1);
}

/* a share only from two shown numbers */
static void test_share(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	struct mon_grid g;
	/* rows: 8 on time, 2 late; 9 on time, 0 late; 3 on time, 0 late */
	assert_int_equal(mon_grid_init(&g, &a, 3, 2), 0);
	*mon_at(&g, 0, 0) = 8;
	*mon_at(&g, 0, 1) = 2;
	*mon_at(&g, 1, 0) = 9;
	*mon_at(&g, 2, 0) = 3;
	mon_totals(&g);
	assert_int_equal(mon_suppress(&g, 5), 0);
	/* row 2's 3 is hidden: no share of it, nor of its total */
	assert_int_equal(mon_share(&g, 2, 0), -1);
	for (size_t r = 0; r <= g.nrows; r++) {
		int both = mon_show(&g, r, 0) == MON_SHOW_NUMBER &&
			   mon_show(&g, r, g.ncols) == MON_SHOW_NUMBER && *mon_at(&g, r, g.ncols) > 0;
		assert_int_equal(mon_share(&g, r, 0) >= 0, both);
		if (both)
			assert_int_equal(mon_share(&g, r, 0),
					 (int)((*mon_at(&g, r, 0) * 200 + *mon_at(&g, r, g.ncols)) /
					       (2 * *mon_at(&g, r, g.ncols))));
	}
	/* rounding half up: 1 of 8 is 12.5% -> 13% */
	struct mon_grid h;
	assert_int_equal(mon_grid_init(&h, &a, 1, 2), 0);
	*mon_at(&h, 0, 0) = 10;
	*mon_at(&h, 0, 1) = 70;
	mon_totals(&h);
	assert_int_equal(mon_suppress(&h, 5), 0);
	assert_int_equal(mon_share(&h, 0, 0), 13);
	/* no reports: no share */
	struct mon_grid z;
	assert_int_equal(mon_grid_init(&z, &a, 1, 2), 0);
	mon_totals(&z);
	assert_int_equal(mon_suppress(&z, 5), 0);
	assert_int_equal(mon_share(&z, 0, 0), -1);
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_place),
		cmocka_unit_test(test_share),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
