/* test_loop_model.c: the arithmetic of "where were the risks greatest"
 * (src/loop/model.c, defined in loop.h): rows per process and category, the
 * assessed risk, flag A at exactly n, flag B, flag C with its years around
 * the implementation date (a violation on the day itself, the day before,
 * the first day after the year), a control implemented on the period's
 * first day, no violations before, years cut by the period's end or by the
 * start of the records, and the input checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "loop/loop.h"

#define P1 11
#define P2 12

struct fx {
	struct arena a;
	struct loop_violation v[64];
	struct loop_risk r[16];
	struct loop_control c[16];
	struct loop_input in;
	struct loop_result out;
	char err[200];
};

static struct fx F;

static void reset(const char *from, const char *to, int n)
{
	arena_free(&F.a);
	memset(&F, 0, sizeof F);
	snprintf(F.in.from, sizeof F.in.from, "%s", from);
	snprintf(F.in.to, sizeof F.in.to, "%s", to);
	F.in.n = n;
	F.in.v = F.v;
	F.in.risks = F.r;
	F.in.controls = F.c;
}

static void viol(int64_t process, const char *cat, const char *on)
{
	struct loop_violation *x = &F.v[F.in.nv++];
	x->process_id = process;
	snprintf(x->category, sizeof x->category, "%s", cat);
	snprintf(x->on, sizeof x->on, "%s", on);
}

static void risk(int64_t id, int64_t process, const char *cat, int band)
{
	static const char *const names[] = {"laag", "midden", "hoog", "zeer hoog"};
	struct loop_risk *x = &F.r[F.in.nrisks++];
	x->id = id;
	x->process_id = process;
	snprintf(x->category, sizeof x->category, "%s", cat);
	x->band = band;
	x->band_name = band >= 0 ? names[band] : NULL;
	x->title = "risk";
}

static void control(int64_t id, int64_t risk_id, const char *on)
{
	struct loop_control *x = &F.c[F.in.ncontrols++];
	x->id = id;
	x->risk_id = risk_id;
	snprintf(x->implemented_on, sizeof x->implemented_on, "%s", on);
	x->description = "control";
}

static void run(void)
{
	int rc = loop_compute(&F.in, &F.a, &F.out, F.err, sizeof F.err);
	if (rc != 0)
		fail_msg("loop_compute: %s", F.err);
}

/* The row, or (the test failed) an empty one: never NULL, so that the -O3
 * build's -Wnull-dereference has nothing to find (fail_msg returns). */
static const struct loop_row *row(int64_t process, const char *cat)
{
	static const struct loop_row none = {.band = -1};
	for (size_t i = 0; i < F.out.nrows; i++)
		if (F.out.rows[i].process_id == process && strcmp(F.out.rows[i].category, cat) == 0)
			return &F.out.rows[i];
	fail_msg("no row %lld/%s", (long long)process, cat);
	return &none;
}

static const struct loop_control_result *find_ctl(int64_t id)
{
	for (size_t i = 0; i < F.out.ncontrols; i++)
		if (F.out.controls[i].c->id == id)
			return &F.out.controls[i];
	return NULL;
}

static const struct loop_control_result *ctl(int64_t id)
{
	static const struct loop_control_result none;
	const struct loop_control_result *c = find_ctl(id);
	if (!c)
		fail_msg("control %lld not listed", (long long)id);
	return c ? c : &none;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(&F.a);
	return 0;
}

/* counts per row; the period's first and last day count, the days around not */
static void test_rows_and_period(void **state)
{
	(void)state;
	reset("2024-01-01", "2024-12-31", 2);
	viol(P1, "1", "2023-12-31"); /* the day before: out */
	viol(P1, "1", "2024-01-01"); /* first day: in */
	viol(P1, "1", "2024-12-31"); /* last day: in */
	viol(P1, "1", "2025-01-01"); /* the day after: out */
	viol(P1, "2", "2024-06-01");
	viol(0, "1", "2024-06-01");  /* process not recorded */
	run();
	assert_int_equal(F.out.total, 4);
	const struct loop_row *r = row(P1, "1");
	if (!r) {
		fail_msg("no row P1/1");
		return;
	}
	assert_int_equal(r->count, 2);
	assert_int_equal(r->band, -1);
	assert_null(r->band_name);
	assert_int_equal(row(P1, "2")->count, 1);
	assert_int_equal(row(0, "1")->count, 1);
	/* most violations first */
	assert_int_equal(F.out.rows[0].process_id, P1);
	assert_string_equal(F.out.rows[0].category, "1");
	assert_int_equal(F.out.nrows, 3);
}

/* a risk without violations still has its row, with count 0 and no flag */
static void test_risk_rows(void **state)
{
	(void)state;
	reset("2024-01-01", "2024-12-31", 2);
	risk(1, P2, "3", 2);
	run();
	const struct loop_row *r = row(P2, "3");
	if (!r) {
		fail_msg("no row for the risk");
		return;
	}
	assert_int_equal(r->count, 0);
	assert_int_equal(r->band, 2);
	assert_string_equal(r->band_name, "hoog");
	assert_int_equal(r->flags, 0);
}

/* flag A: the lowest band and exactly n violations; n - 1 is not enough */
static void test_rated_low_at_n(void **state)
{
	(void)state;
	reset("2024-01-01", "2024-12-31", 2);
	risk(1, P1, "1", 0);
	viol(P1, "1", "2024-02-01");
	run();
	const struct loop_row *r = row(P1, "1");
	if (!r) {
		fail_msg("no row");
		return;
	}
	assert_int_equal(r->flags & LOOP_FLAG_RATED_LOW, 0);
	assert_int_equal(F.out.flagged[0], 0);
	viol(P1, "1", "2024-03-01");
	run();
	r = row(P1, "1");
	if (!r) {
		fail_msg("no row");
		return;
	}
	assert_int_equal(r->count, 2);
	assert_true(r->flags & LOOP_FLAG_RATED_LOW);
	assert_int_equal(F.out.flagged[0], 1);
	/* n is configurable: 3 needs a third */
	F.in.n = 3;
	run();
	assert_int_equal(row(P1, "1")->flags & LOOP_FLAG_RATED_LOW, 0);
	/* n = 1 flags a single violation */
	F.in.n = 1;
	run();
	assert_true(row(P1, "1")->flags & LOOP_FLAG_RATED_LOW);
}

/* flag A is about the assessed risk: one risk rated higher, or the middle
 * band, is no "rated low" */
static void test_rated_low_needs_lowest(void **state)
{
	(void)state;
	reset("2024-01-01", "2024-12-31", 2);
	risk(1, P1, "1", 1);
	viol(P1, "1", "2024-02-01");
	viol(P1, "1", "2024-03-01");
	viol(P1, "1", "2024-04-01");
	run();
	assert_int_equal(row(P1, "1")->flags, 0);
	assert_int_equal(row(P1, "1")->band, 1);
	reset("2024-01-01", "2024-12-31", 2);
	risk(1, P1, "1", 0);
	risk(2, P1, "1", 3);
	viol(P1, "1", "2024-02-01");
	viol(P1, "1", "2024-03-01");
	run();
	assert_int_equal(row(P1, "1")->band, 3);
	assert_string_equal(row(P1, "1")->band_name, "zeer hoog");
	assert_int_equal(row(P1, "1")->nrisks, 2);
	assert_int_equal(row(P1, "1")->flags, 0);
	/* a risk off the matrix (band -1) is registered but not "low" */
	reset("2024-01-01", "2024-12-31", 1);
	risk(1, P1, "1", -1);
	viol(P1, "1", "2024-02-01");
	run();
	assert_int_equal(row(P1, "1")->flags, 0);
	assert_int_equal(row(P1, "1")->nrisks, 1);
}

/* flag B: violations and no risk for the process and category; a risk of
 * the whole department covers every process; the row without a process is
 * covered by a risk of the category anywhere */
static void test_no_risk(void **state)
{
	(void)state;
	reset("2024-01-01", "2024-12-31", 2);
	viol(P1, "6", "2024-02-01");
	viol(P2, "6", "2024-02-01");
	viol(0, "2", "2024-02-01");
	risk(1, P2, "1", 2); /* another category: does not cover */
	run();
	assert_true(row(P1, "6")->flags & LOOP_FLAG_NO_RISK);
	assert_true(row(P2, "6")->flags & LOOP_FLAG_NO_RISK);
	assert_true(row(0, "2")->flags & LOOP_FLAG_NO_RISK);
	assert_int_equal(F.out.flagged[1], 3);
	/* the data change: a department-wide risk of category 6, a risk of
	 * category 2 at P2 */
	risk(2, 0, "6", 1);
	risk(3, P2, "2", 1);
	run();
	assert_int_equal(row(P1, "6")->flags & LOOP_FLAG_NO_RISK, 0);
	assert_int_equal(row(P1, "6")->band, 1);
	assert_int_equal(row(P2, "6")->flags & LOOP_FLAG_NO_RISK, 0);
	assert_int_equal(row(0, "2")->flags & LOOP_FLAG_NO_RISK, 0);
	assert_int_equal(F.out.flagged[1], 0);
}

/* flag C: the year before and the year after; the day itself counts after */
static void test_control_years(void **state)
{
	(void)state;
	reset("2022-01-01", "2025-12-31", 2);
	risk(1, P1, "1", 2);
	control(7, 1, "2023-06-15");
	viol(P1, "1", "2022-06-14"); /* a day before the year before: out */
	viol(P1, "1", "2022-06-15"); /* first day of the year before */
	viol(P1, "1", "2023-06-14"); /* last day before */
	viol(P1, "1", "2023-06-15"); /* the day itself: after */
	viol(P1, "1", "2024-06-14"); /* last day after */
	viol(P1, "1", "2024-06-15"); /* the day after the year: out */
	viol(P2, "1", "2023-07-01"); /* another process: not this risk's */
	run();
	const struct loop_control_result *c = ctl(7);
	if (!c) {
		fail_msg("control not listed");
		return;
	}
	assert_int_equal(c->judged, LOOP_JUDGED);
	assert_string_equal(c->before_from, "2022-06-15");
	assert_string_equal(c->after_to, "2024-06-14");
	assert_int_equal(c->before, 2);
	assert_int_equal(c->after, 2);
	assert_true(c->flagged); /* as many after as before */
	assert_true(row(P1, "1")->flags & LOOP_FLAG_NO_EFFECT);
	assert_int_equal(F.out.flagged[2], 1);
	/* one fewer after: the control shows an effect */
	snprintf(F.v[3].on, sizeof F.v[3].on, "2021-06-15"); /* out of every year */
	run();
	c = ctl(7);
	assert_int_equal(c->before, 2);
	assert_int_equal(c->after, 1);
	assert_false(c->flagged);
	assert_int_equal(row(P1, "1")->flags & LOOP_FLAG_NO_EFFECT, 0);
}

/* no violations before and one after: flagged; none after: not */
static void test_control_nothing_before(void **state)
{
	(void)state;
	reset("2022-01-01", "2025-12-31", 2);
	risk(1, P1, "8", 1);
	control(7, 1, "2023-03-01");
	run();
	assert_int_equal(ctl(7)->judged, LOOP_JUDGED);
	assert_int_equal(ctl(7)->after, 0);
	assert_false(ctl(7)->flagged); /* nothing after: nothing to say */
	viol(P1, "8", "2024-02-29");
	run();
	assert_int_equal(ctl(7)->before, 0);
	assert_int_equal(ctl(7)->after, 1);
	assert_true(ctl(7)->flagged);
}

/* a control implemented on the period's first day: its year before lies
 * before the period and still counts (the store reads a year more) */
static void test_control_first_day(void **state)
{
	(void)state;
	reset("2023-01-01", "2025-12-31", 2);
	risk(1, P1, "1", 2);
	control(7, 1, "2023-01-01");
	control(8, 1, "2022-12-31"); /* a day before the period: not listed */
	viol(P1, "1", "2022-03-01");
	viol(P1, "1", "2022-12-31");
	viol(P1, "1", "2023-01-01");
	run();
	assert_int_equal(F.out.ncontrols, 1);
	assert_null(find_ctl(8));
	assert_string_equal(ctl(7)->before_from, "2022-01-01");
	assert_int_equal(ctl(7)->before, 2);
	assert_int_equal(ctl(7)->after, 1);
	assert_false(ctl(7)->flagged);
	/* the violations before the period are no rows of it */
	assert_int_equal(row(P1, "1")->count, 1);
}

/* years cut: the year after not over by the period's end; the year before
 * starting before the records do */
static void test_control_cut(void **state)
{
	(void)state;
	reset("2023-01-01", "2024-06-30", 2);
	risk(1, P1, "1", 2);
	control(7, 1, "2023-07-01"); /* after-year ends 2024-06-30: exactly in */
	control(8, 1, "2023-07-02"); /* ends 2024-07-01: cut */
	viol(P1, "1", "2023-08-01");
	run();
	assert_int_equal(ctl(7)->judged, LOOP_JUDGED);
	assert_string_equal(ctl(7)->after_to, "2024-06-30");
	assert_true(ctl(7)->flagged);
	assert_int_equal(ctl(8)->judged, LOOP_AFTER_OPEN);
	assert_false(ctl(8)->flagged);
	assert_int_equal(F.out.flagged[2], 1);
	/* records from 2022-07-02: the year before 2023-07-01 starts a day
	 * earlier, so it cannot be judged */
	snprintf(F.in.data_from, sizeof F.in.data_from, "2022-07-02");
	run();
	assert_int_equal(ctl(7)->judged, LOOP_BEFORE_NO_DATA);
	assert_false(ctl(7)->flagged);
	assert_int_equal(row(P1, "1")->flags & LOOP_FLAG_NO_EFFECT, 0);
	snprintf(F.in.data_from, sizeof F.in.data_from, "2022-07-01");
	run();
	assert_int_equal(ctl(7)->judged, LOOP_JUDGED);
}

/* a control of a department-wide risk counts the category everywhere; a
 * control of a risk the data do not hold (closed, uncategorised) is left out */
static void test_control_department_wide(void **state)
{
	(void)state;
	reset("2022-01-01", "2025-12-31", 2);
	risk(1, 0, "3", 2);
	control(7, 1, "2023-01-01");
	control(9, 99, "2023-01-01");
	viol(P1, "3", "2022-05-01");
	viol(P2, "3", "2023-05-01");
	viol(P1, "3", "2023-06-01");
	run();
	assert_int_equal(F.out.ncontrols, 1);
	assert_int_equal(ctl(7)->before, 1);
	assert_int_equal(ctl(7)->after, 2);
	assert_true(ctl(7)->flagged);
	assert_true(row(0, "3")->flags & LOOP_FLAG_NO_EFFECT);
}

/* leap day: twelve months after 2024-02-29 */
static void test_control_leap(void **state)
{
	(void)state;
	reset("2023-01-01", "2025-12-31", 2);
	risk(1, P1, "1", 2);
	control(7, 1, "2024-02-29");
	run();
	assert_string_equal(ctl(7)->before_from, "2023-02-28");
	assert_string_equal(ctl(7)->after_to, "2025-02-27");
}

static void test_refused(void **state)
{
	(void)state;
	reset("2024-12-31", "2024-01-01", 2);
	assert_int_equal(loop_compute(&F.in, &F.a, &F.out, F.err, sizeof F.err), -1);
	assert_non_null(strstr(F.err, "ends before"));
	reset("2024-01-01", "2024-13-01", 2);
	assert_int_equal(loop_compute(&F.in, &F.a, &F.out, F.err, sizeof F.err), -1);
	reset("2024-01-01", "2024-12-31", 0);
	assert_int_equal(loop_compute(&F.in, &F.a, &F.out, F.err, sizeof F.err), -1);
	reset("2024-01-01", "2024-12-31", LOOP_N_MAX + 1);
	assert_int_equal(loop_compute(&F.in, &F.a, &F.out, F.err, sizeof F.err), -1);
	reset("2024-01-01", "2024-12-31", 2);
	viol(P1, "", "2024-02-01");
	assert_int_equal(loop_compute(&F.in, &F.a, &F.out, F.err, sizeof F.err), -1);
	reset("2024-01-01", "2024-12-31", 2);
	viol(P1, "1", "2024-02-30");
	assert_int_equal(loop_compute(&F.in, &F.a, &F.out, F.err, sizeof F.err), -1);
	reset("2024-01-01", "2024-12-31", 2);
	risk(1, P1, "1", 0);
	control(7, 1, "");
	assert_int_equal(loop_compute(&F.in, &F.a, &F.out, F.err, sizeof F.err), -1);
}

static void test_period_and_small(void **state)
{
	(void)state;
	char from[DATE_LEN + 1], to[DATE_LEN + 1], b[16];
	assert_int_equal(loop_default_period("2026-11-30", from, to), 0);
	assert_string_equal(from, "2023-12-01");
	assert_string_equal(to, "2026-11-30");
	assert_int_equal(loop_default_period("2024-02-29", from, to), 0);
	assert_string_equal(from, "2021-03-01");
	assert_int_equal(loop_default_period("2024-02-30", from, to), -1);
	assert_string_equal(loop_small(0, b, sizeof b), "< 5");
	assert_string_equal(loop_small(4, b, sizeof b), "< 5");
	assert_string_equal(loop_small(5, b, sizeof b), "5");
	assert_string_equal(loop_small(123, b, sizeof b), "123");
}

static void test_read_query(void **state)
{
	(void)state;
	char from[DATE_LEN + 1], to[DATE_LEN + 1];
	int n;
	const char *t = "2026-11-30";
	assert_int_equal(loop_read_query(NULL, "", NULL, t, from, to, &n), LOOP_Q_OK);
	assert_string_equal(from, "2023-12-01");
	assert_string_equal(to, t);
	assert_int_equal(n, LOOP_N_DEFAULT);
	assert_int_equal(loop_read_query("2021-01-01", "2026-11-30", "3", t, from, to, &n),
			 LOOP_Q_OK);
	assert_string_equal(from, "2021-01-01");
	assert_int_equal(n, 3);
	assert_int_equal(loop_read_query("2021-1-01", NULL, NULL, t, from, to, &n), LOOP_Q_FROM);
	assert_int_equal(loop_read_query(NULL, "2026-02-30", NULL, t, from, to, &n), LOOP_Q_TO);
	assert_int_equal(loop_read_query("2025-01-02", "2025-01-01", NULL, t, from, to, &n),
			 LOOP_Q_ORDER);
	assert_int_equal(loop_read_query(NULL, "2026-12-01", NULL, t, from, to, &n), LOOP_Q_FUTURE);
	/* exactly 30 years is allowed, a day more is not */
	assert_int_equal(loop_read_query("1996-11-30", NULL, NULL, t, from, to, &n), LOOP_Q_OK);
	assert_int_equal(loop_read_query("1996-11-29", NULL, NULL, t, from, to, &n), LOOP_Q_SPAN);
	assert_int_equal(loop_read_query(NULL, NULL, "0", t, from, to, &n), LOOP_Q_N);
	assert_int_equal(loop_read_query(NULL, NULL, "1001", t, from, to, &n), LOOP_Q_N);
	assert_int_equal(loop_read_query(NULL, NULL, "1000", t, from, to, &n), LOOP_Q_OK);
	assert_int_equal(loop_read_query(NULL, NULL, "2x", t, from, to, &n), LOOP_Q_N);
	assert_int_equal(loop_read_query(NULL, NULL, " 2", t, from, to, &n), LOOP_Q_N);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_rows_and_period, teardown),
		cmocka_unit_test_teardown(test_risk_rows, teardown),
		cmocka_unit_test_teardown(test_rated_low_at_n, teardown),
		cmocka_unit_test_teardown(test_rated_low_needs_lowest, teardown),
		cmocka_unit_test_teardown(test_no_risk, teardown),
		cmocka_unit_test_teardown(test_control_years, teardown),
		cmocka_unit_test_teardown(test_control_nothing_before, teardown),
		cmocka_unit_test_teardown(test_control_first_day, teardown),
		cmocka_unit_test_teardown(test_control_cut, teardown),
		cmocka_unit_test_teardown(test_control_department_wide, teardown),
		cmocka_unit_test_teardown(test_control_leap, teardown),
		cmocka_unit_test_teardown(test_refused, teardown),
		cmocka_unit_test_teardown(test_period_and_small, teardown),
		cmocka_unit_test(test_read_query),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
