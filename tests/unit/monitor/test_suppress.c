/* test_suppress.c: small-count suppression (src/monitor/suppress.c).
 *
 * Hand-made tables first (the rules one by one: a lone small count, a
 * small total, two "< 5" a row lacks 8 of, a bridge between two blocks,
 * zeros, threshold 1, bad input), then a property test over thousands of
 * generated tables with a fixed seed, checked by an attacker written here
 * independently of the code:
 *
 *   - no count from 1 to threshold - 1 is ever shown, totals included;
 *   - a shown number is the true one;
 *   - no hidden element is determined by the table's line sums taken all
 *     together (linear algebra: the element's unit vector is not in the
 *     row space of the equations over the hidden elements);
 *   - no hidden element is the only value its line allows, given the
 *     shown numbers and what the page says of the other hidden ones
 *     ("< t": 0..t-1, "hidden": t or more): the true value plus or minus
 *     one must also fit. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "monitor/suppress.h"

static struct arena A;

static void make(struct mon_grid *g, size_t R, size_t C, const long long *v)
{
	if (mon_grid_init(g, &A, R, C) != 0) {
		fail_msg("grid %zu x %zu refused", R, C);
		return;
	}
	for (size_t r = 0; r < R; r++)
		for (size_t c = 0; c < C; c++)
			*mon_at(g, r, c) = v[r * C + c];
	mon_totals(g);
}

static enum mon_show show(const struct mon_grid *g, size_t r, size_t c)
{
	return mon_show(g, r, c);
}

/* ---- the attacker ---- */

#define MAXE ((MON_DIM_MAX + 1) * (MON_DIM_MAX + 1))

static double dabs(double x)
{
	return x < 0 ? -x : x;
}

/* Rank of an m x n matrix of doubles (row-major, destroyed). */
static size_t rank_of(double *M, size_t m, size_t n)
{
	size_t rank = 0;
	for (size_t col = 0; col < n && rank < m; col++) {
		size_t piv = rank;
		for (size_t i = rank + 1; i < m; i++)
			if (dabs(M[i * n + col]) > dabs(M[piv * n + col]))
				piv = i;
		if (dabs(M[piv * n + col]) < 1e-9)
			continue;
		for (size_t k = 0; k < n; k++) {
			double t = M[piv * n + k];
			M[piv * n + k] = M[rank * n + k];
			M[rank * n + k] = t;
		}
		for (size_t i = 0; i < m; i++) {
			if (i == rank)
				continue;
			double f = M[i * n + col] / M[rank * n + col];
			for (size_t k = 0; k < n; k++)
				M[i * n + k] -= f * M[rank * n + k];
		}
		rank++;
	}
	return rank;
}

/* 1 if hidden element h (index into the hidden list) is determined by the
 * lines together. */
static int determined(const struct mon_grid *g, const size_t *hid, size_t nh, size_t h)
{
	size_t R1 = g->nrows + 1, C1 = g->ncols + 1, m = R1 + C1;
	double *M = test_malloc((m + 1) * nh * sizeof *M);
	double *N = test_malloc((m + 1) * nh * sizeof *N);
	memset(M, 0, (m + 1) * nh * sizeof *M);
	for (size_t k = 0; k < nh; k++) {
		size_t r = hid[k] / C1, c = hid[k] % C1;
		/* row r: parts minus its total; column c likewise */
		M[r * nh + k] = c + 1 == C1 ? -1 : 1;
		M[(R1 + c) * nh + k] = r + 1 == R1 ? -1 : 1;
	}
	memcpy(N, M, (m + 1) * nh * sizeof *M);
	size_t r0 = rank_of(M, m, nh);
	N[m * nh + h] = 1; /* the unit vector as an extra equation */
	size_t r1 = rank_of(N, m + 1, nh);
	test_free(M);
	test_free(N);
	return r0 == r1;
}

static void reader_bounds(const struct mon_grid *g, size_t r, size_t c, long long *lo,
			  long long *hi)
{
	if (show(g, r, c) == MON_SHOW_SMALL) {
		*lo = 0;
		*hi = g->threshold - 1;
	} else {
		*lo = g->threshold;
		*hi = 1000000000000LL; /* no bound: far above any count */
	}
}

/* Whether value v for element (r, c) fits line (row if is_row, else
 * column) given the shown numbers and the others' bounds. */
static int fits(const struct mon_grid *g, int is_row, size_t line, size_t r, size_t c, long long v)
{
	size_t R = g->nrows, C = g->ncols, len = is_row ? C + 1 : R + 1;
	/* parts - total = 0: the others' (hidden) contribution must equal need */
	long long need = 0, lo_sum = 0, hi_sum = 0;
	for (size_t k = 0; k < len; k++) {
		size_t rr = is_row ? line : k, cc = is_row ? k : line;
		int total = k + 1 == len;
		long long val = (rr == r && cc == c) ? v : *mon_at(g, rr, cc);
		int known = (rr == r && cc == c) || show(g, rr, cc) == MON_SHOW_NUMBER;
		if (known) {
			need -= total ? -val : val;
			continue;
		}
		long long lo, hi;
		reader_bounds(g, rr, cc, &lo, &hi);
		if (total) {
			lo_sum -= hi;
			hi_sum -= lo;
		} else {
			lo_sum += lo;
			hi_sum += hi;
		}
	}
	return need >= lo_sum && need <= hi_sum;
}

/* The checks of the file's header on one suppressed grid. */
static void attack(const struct mon_grid *g, const char *what)
{
	size_t R = g->nrows, C = g->ncols, R1 = R + 1, C1 = C + 1;
	size_t *hid = test_malloc(R1 * C1 * sizeof *hid), nh = 0;
	char buf[32];
	for (size_t r = 0; r < R1; r++)
		for (size_t c = 0; c < C1; c++) {
			long long v = *mon_at(g, r, c);
			enum mon_show s = show(g, r, c);
			if (v > 0 && v < g->threshold && s == MON_SHOW_NUMBER)
				fail_msg("%s: small count %lld shown at %zu,%zu", what, v, r, c);
			if (s == MON_SHOW_NUMBER) {
				snprintf(buf, sizeof buf, "%lld", v);
				assert_string_equal(mon_text(g, r, c, "hidden", buf, sizeof buf), buf);
			} else {
				hid[nh++] = r * C1 + c;
				if (s == MON_SHOW_SMALL && v >= g->threshold)
					fail_msg("%s: %lld said to be below %d", what, v, g->threshold);
			}
		}
	for (size_t h = 0; h < nh; h++) {
		size_t r = hid[h] / C1, c = hid[h] % C1;
		long long v = *mon_at(g, r, c);
		if (determined(g, hid, nh, h))
			fail_msg("%s: hidden %lld at %zu,%zu follows from the totals", what, v, r, c);
		int row_other = fits(g, 1, r, r, c, v + 1) || (v > 0 && fits(g, 1, r, r, c, v - 1));
		int col_other = fits(g, 0, c, r, c, v + 1) || (v > 0 && fits(g, 0, c, r, c, v - 1));
		/* the true value must fit, and so must another, in each line */
		if (!fits(g, 1, r, r, c, v) || !fits(g, 0, c, r, c, v))
			fail_msg("%s: the attacker's model is wrong at %zu,%zu", what, r, c);
		if (!row_other || !col_other)
			fail_msg("%s: hidden %lld at %zu,%zu pinned by its %s", what, v, r, c,
				 row_other ? "column" : "row");
	}
	test_free(hid);
}

/* ---- hand-made tables ---- */

static void nothing_small(void **state)
{
	(void)state;
	struct mon_grid g;
	const long long v[] = {5, 0, 12, 7, 0, 0};
	make(&g, 2, 3, v);
	assert_int_equal(mon_suppress(&g, 5), 0);
	for (size_t r = 0; r <= 2; r++)
		for (size_t c = 0; c <= 3; c++)
			assert_int_equal(show(&g, r, c), MON_SHOW_NUMBER);
	char b[16];
	/* zeros are shown as zeros */
	assert_string_equal(mon_text(&g, 0, 1, "x", b, sizeof b), "0");
	assert_string_equal(mon_text(&g, 2, 3, "x", b, sizeof b), "24");
	arena_free(&A);
}

static void lone_small_count(void **state)
{
	(void)state;
	struct mon_grid g;
	/* 3 alone in its row and column: the smallest other count of the row
	 * (6) and of the column (8) go too, and then the one that closes the
	 * rectangle (9), so that nothing follows from the totals */
	const long long v[] = {3, 6, 10, 8, 9, 11};
	make(&g, 2, 3, v);
	assert_int_equal(mon_suppress(&g, 5), 0);
	assert_int_equal(show(&g, 0, 0), MON_SHOW_SMALL);
	assert_int_equal(show(&g, 0, 1), MON_SHOW_HIDDEN);
	assert_int_equal(show(&g, 1, 0), MON_SHOW_HIDDEN);
	assert_int_equal(show(&g, 1, 1), MON_SHOW_HIDDEN);
	assert_int_equal(show(&g, 0, 2), MON_SHOW_NUMBER);
	/* totals stay */
	assert_int_equal(show(&g, 0, 3), MON_SHOW_NUMBER);
	assert_int_equal(show(&g, 2, 0), MON_SHOW_NUMBER);
	assert_int_equal(show(&g, 2, 3), MON_SHOW_NUMBER);
	char b[16];
	assert_string_equal(mon_text(&g, 0, 0, "hidden", b, sizeof b), "< 5");
	assert_string_equal(mon_text(&g, 0, 1, "hidden", b, sizeof b), "hidden");
	attack(&g, "lone");
	arena_free(&A);
}

static void zero_as_complement(void **state)
{
	(void)state;
	struct mon_grid g;
	/* the smallest other count of the row is a zero: hidden, it reads
	 * "< 5", which is true */
	const long long v[] = {2, 0, 20, 30, 40, 50};
	make(&g, 2, 3, v);
	assert_int_equal(mon_suppress(&g, 5), 0);
	assert_int_equal(show(&g, 0, 0), MON_SHOW_SMALL);
	assert_int_equal(show(&g, 0, 1), MON_SHOW_SMALL);
	attack(&g, "zero");
	arena_free(&A);
}

static void small_total(void **state)
{
	(void)state;
	struct mon_grid g;
	/* a row of 1 + 2 = 3: both counts and the row total are small; the
	 * column totals 31 and 42 would give 1 and 2 away unless counts of
	 * another row go too */
	const long long v[] = {1, 2, 30, 40};
	make(&g, 2, 2, v);
	assert_int_equal(mon_suppress(&g, 5), 0);
	assert_int_equal(show(&g, 0, 2), MON_SHOW_SMALL);
	assert_int_equal(show(&g, 0, 0), MON_SHOW_SMALL);
	assert_int_equal(show(&g, 0, 1), MON_SHOW_SMALL);
	assert_int_not_equal(show(&g, 1, 0), MON_SHOW_NUMBER);
	attack(&g, "small total");
	arena_free(&A);
}

static void pinned_by_bounds(void **state)
{
	(void)state;
	struct mon_grid g;
	/* 4 + 4 in a row that lacks 8: each "< 5" can only be 4. A third
	 * element of the row must go. */
	const long long v[] = {4, 4, 10, 4, 4, 10, 10, 10, 10};
	make(&g, 3, 3, v);
	assert_int_equal(mon_suppress(&g, 5), 0);
	attack(&g, "four and four");
	size_t hidden_row0 = 0;
	for (size_t c = 0; c <= 3; c++)
		hidden_row0 += show(&g, 0, c) != MON_SHOW_NUMBER;
	assert_true(hidden_row0 >= 3);
	arena_free(&A);
}

static void bridge(void **state)
{
	(void)state;
	struct mon_grid g;
	/* two rectangles of small counts (rows 0-1 x columns 0-1, rows 2-3 x
	 * columns 2-3) are each safe; this checks a grid where the pairs rule
	 * alone would leave a chain (one small count per row and column along
	 * a diagonal) */
	const long long v[] = {1, 50, 60, 70, 80, 2, 90, 95, 85, 75, 3, 65, 55, 45, 35, 4};
	make(&g, 4, 4, v);
	assert_int_equal(mon_suppress(&g, 5), 0);
	attack(&g, "diagonal");
	arena_free(&A);
}

static void one_column_and_one_row(void **state)
{
	(void)state;
	struct mon_grid g;
	const long long v[] = {3, 12, 7, 0};
	make(&g, 4, 1, v);
	assert_int_equal(mon_suppress(&g, 5), 0);
	assert_int_equal(show(&g, 0, 0), MON_SHOW_SMALL);
	assert_int_equal(show(&g, 0, 1), MON_SHOW_SMALL); /* its row total */
	attack(&g, "one column");
	arena_free(&A);

	const long long w[] = {3, 12, 7, 0};
	make(&g, 1, 4, w);
	assert_int_equal(mon_suppress(&g, 5), 0);
	assert_int_equal(show(&g, 0, 0), MON_SHOW_SMALL);
	attack(&g, "one row");
	arena_free(&A);

	const long long one[] = {2};
	make(&g, 1, 1, one);
	assert_int_equal(mon_suppress(&g, 5), 0);
	for (size_t r = 0; r <= 1; r++)
		for (size_t c = 0; c <= 1; c++)
			assert_int_equal(show(&g, r, c), MON_SHOW_SMALL);
	arena_free(&A);
}

static void thresholds(void **state)
{
	(void)state;
	struct mon_grid g;
	const long long v[] = {1, 2, 3, 4};
	make(&g, 2, 2, v);
	/* 1 hides nothing */
	assert_int_equal(mon_suppress(&g, 1), 0);
	for (size_t r = 0; r <= 2; r++)
		for (size_t c = 0; c <= 2; c++)
			assert_int_equal(show(&g, r, c), MON_SHOW_NUMBER);
	/* 11: everything, the grand total 10 included */
	assert_int_equal(mon_suppress(&g, 11), 0);
	assert_int_equal(show(&g, 2, 2), MON_SHOW_SMALL);
	char b[16];
	assert_string_equal(mon_text(&g, 0, 0, "x", b, sizeof b), "< 11");
	assert_int_equal(mon_suppress(&g, 0), -1);
	assert_int_equal(mon_suppress(&g, MON_THRESHOLD_MAX + 1), -1);
	arena_free(&A);
}

static void bad_input(void **state)
{
	(void)state;
	struct mon_grid g;
	assert_int_equal(mon_grid_init(&g, &A, 0, 3), -1);
	assert_int_equal(mon_grid_init(&g, &A, 3, MON_DIM_MAX + 1), -1);
	const long long v[] = {1, 2, 3, 4};
	make(&g, 2, 2, v);
	*mon_at(&g, 0, 2) = 99; /* a row total that does not add up */
	assert_int_equal(mon_suppress(&g, 5), -1);
	mon_totals(&g);
	*mon_at(&g, 1, 1) = -4;
	mon_totals(&g);
	assert_int_equal(mon_suppress(&g, 5), -1);
	arena_free(&A);
}

/* ---- the property test ---- */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next(void)
{
	/* xorshift64*: fixed seed, the same tables on every run */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static long long draw(int threshold)
{
	switch (next() % 6) {
	case 0:
		return 0;
	case 1:
	case 2:
		return 1 + (long long)(next() % (unsigned)(threshold > 1 ? threshold - 1 : 1));
	case 3:
		return threshold + (long long)(next() % 3);
	default:
		return (long long)(next() % 60);
	}
}

static void generated(void **state)
{
	(void)state;
	static const int thresholds[] = {5, 5, 5, 2, 3, 10};
	size_t hidden = 0, tables = 4000;
	for (size_t t = 0; t < tables; t++) {
		size_t R = 1 + next() % 8, C = 1 + next() % 8;
		int th = thresholds[next() % 6];
		struct mon_grid g;
		long long v[64];
		for (size_t i = 0; i < R * C; i++)
			v[i] = draw(th);
		make(&g, R, C, v);
		assert_int_equal(mon_suppress(&g, th), 0);
		char what[64];
		snprintf(what, sizeof what, "table %zu (%zu x %zu, t %d)", t, R, C, th);
		attack(&g, what);
		for (size_t e = 0; e < (R + 1) * (C + 1); e++)
			hidden += g.mark[e] != MON_SHOWN;
		arena_free(&A);
	}
	/* the generator makes small counts often: the test is not empty */
	assert_true(hidden > tables);
}

/* Large tables too: a dashboard's departments by kinds of violation. */
static void generated_large(void **state)
{
	(void)state;
	for (size_t t = 0; t < 60; t++) {
		size_t R = 10 + next() % 6, C = 8 + next() % 6;
		struct mon_grid g;
		if (mon_grid_init(&g, &A, R, C) != 0) {
			fail_msg("grid");
			return;
		}
		for (size_t r = 0; r < R; r++)
			for (size_t c = 0; c < C; c++)
				*mon_at(&g, r, c) = draw(5);
		mon_totals(&g);
		assert_int_equal(mon_suppress(&g, 5), 0);
		attack(&g, "large");
		arena_free(&A);
	}
}

/* ---- linked grids: two tables of the same rows sharing their row totals ---- */

/* 1 if some hidden element of a or b is determined by the lines of both
 * together, the row totals being one unknown each (they are the same count).
 * Unknowns: a's hidden elements, then b's hidden elements that are not row
 * totals (those are a's). */
static int linked_leak(const struct mon_grid *a, const struct mon_grid *b)
{
	size_t R1 = a->nrows + 1, CA = a->ncols + 1, CB = b->ncols + 1;
	size_t *ua = test_malloc(R1 * CA * sizeof *ua), *ub = test_malloc(R1 * CB * sizeof *ub);
	size_t nu = 0;
	for (size_t e = 0; e < R1 * CA; e++)
		ua[e] = a->mark[e] != MON_SHOWN ? nu++ : (size_t)-1;
	for (size_t e = 0; e < R1 * CB; e++) {
		size_t r = e / CB, c = e % CB;
		if (b->mark[e] == MON_SHOWN)
			ub[e] = (size_t)-1;
		else if (c + 1 == CB)
			ub[e] = ua[r * CA + a->ncols]; /* the shared row total */
		else
			ub[e] = nu++;
	}
	size_t m = R1 + CA + R1 + CB;
	int leak = 0;
	for (size_t h = 0; h < nu && !leak; h++) {
		double *M = test_calloc((m + 1) * nu, sizeof *M);
		double *N = test_calloc((m + 1) * nu, sizeof *N);
		for (size_t e = 0; e < R1 * CA; e++) {
			if (ua[e] == (size_t)-1)
				continue;
			size_t r = e / CA, c = e % CA;
			M[r * nu + ua[e]] += c + 1 == CA ? -1 : 1;
			M[(R1 + c) * nu + ua[e]] += r + 1 == R1 ? -1 : 1;
		}
		for (size_t e = 0; e < R1 * CB; e++) {
			if (ub[e] == (size_t)-1)
				continue;
			size_t r = e / CB, c = e % CB, base = R1 + CA;
			M[(base + r) * nu + ub[e]] += c + 1 == CB ? -1 : 1;
			M[(base + R1 + c) * nu + ub[e]] += r + 1 == R1 ? -1 : 1;
		}
		memcpy(N, M, (m + 1) * nu * sizeof *M);
		size_t r0 = rank_of(M, m, nu);
		N[m * nu + h] = 1;
		leak = rank_of(N, m + 1, nu) == r0;
		test_free(M);
		test_free(N);
	}
	test_free(ua);
	test_free(ub);
	return leak;
}

/* Reports received counted twice, by acknowledgement and by feedback: each
 * table suppressed alone can hide a department's total in one and print it
 * in the other; suppressed together, a row total is hidden in both or in
 * neither, each table still holds its own rules, and nothing hidden can be
 * solved from the two tables' lines together. */
static void linked(void **state)
{
	(void)state;
	size_t diverged = 0, pairs = 1500;
	for (size_t t = 0; t < pairs; t++) {
		size_t R = 1 + next() % 6, CA = 1 + next() % 4, CB = 1 + next() % 4;
		long long va[64], vb[64];
		for (size_t r = 0; r < R; r++) {
			long long total = 0;
			for (size_t c = 0; c < CA; c++)
				total += va[r * CA + c] = draw(5);
			/* the same total split another way */
			for (size_t c = 0; c + 1 < CB; c++) {
				long long part = total ? (long long)(next() % (unsigned long long)(total + 1)) : 0;
				vb[r * CB + c] = part;
				total -= part;
			}
			vb[r * CB + CB - 1] = total;
		}
		struct mon_grid a, b;
		make(&a, R, CA, va);
		make(&b, R, CB, vb);
		/* alone first, to see that linking has work to do */
		assert_int_equal(mon_suppress(&a, 5), 0);
		assert_int_equal(mon_suppress(&b, 5), 0);
		for (size_t r = 0; r <= R; r++)
			if ((show(&a, r, CA) == MON_SHOW_NUMBER) != (show(&b, r, CB) == MON_SHOW_NUMBER)) {
				diverged++;
				break;
			}
		struct mon_grid *gs[] = {&a, &b};
		assert_int_equal(mon_suppress_linked(gs, 2, 5), 0);
		for (size_t r = 0; r <= R; r++)
			assert_int_equal(show(&a, r, CA) == MON_SHOW_NUMBER,
					 show(&b, r, CB) == MON_SHOW_NUMBER);
		attack(&a, "linked a");
		attack(&b, "linked b");
		if (linked_leak(&a, &b))
			fail_msg("pair %zu: a hidden count follows from both tables together", t);
		arena_free(&A);
	}
	assert_true(diverged > 0);
	/* grids of different row counts are no pair */
	struct mon_grid a, b;
	long long one[] = {1, 2, 3};
	make(&a, 3, 1, one);
	make(&b, 1, 3, one);
	struct mon_grid *gs[] = {&a, &b};
	assert_int_equal(mon_suppress_linked(gs, 2, 5), -1);
	arena_free(&A);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nothing_small),
		cmocka_unit_test(lone_small_count),
		cmocka_unit_test(zero_as_complement),
		cmocka_unit_test(small_total),
		cmocka_unit_test(pinned_by_bounds),
		cmocka_unit_test(bridge),
		cmocka_unit_test(one_column_and_one_row),
		cmocka_unit_test(thresholds),
		cmocka_unit_test(bad_input),
		cmocka_unit_test(generated),
		cmocka_unit_test(generated_large),
		cmocka_unit_test(linked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
