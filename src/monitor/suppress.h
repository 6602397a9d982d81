/* suppress.h: small-count suppression of a table of counts (issue 7 item
 * 1), so that the coordinator's figures never single out a small group:
 * pure, no I/O, unit-tested in tests/unit/monitor/test_suppress.c. The
 * rules and their reasons are in docs/monitoring.md, "The dashboard".
 *
 * A grid holds nrows x ncols counts with their row totals, column totals
 * and grand total: (nrows + 1) x (ncols + 1) elements, the totals being
 * the last row and the last column. Every row and column of that extended
 * grid (the totals' row and column included) is a line: its parts add up
 * to its total. mon_suppress marks elements hidden:
 *
 *   primary    every element, total or not, with 0 < count < threshold.
 *              Zeros are shown: a zero says that nothing happened, which
 *              is itself no small group, and the rules below treat a shown
 *              zero as a known number like any other, so that a zero next
 *              to a hidden count cannot give it away.
 *   secondary  then, until nothing changes:
 *              1. a line with exactly one hidden element hides another,
 *                 its smallest: counts before totals, the grand total
 *                 last (totals are printed in other tables too);
 *              2. no hidden element may be worked out from all the lines
 *                 together: as each element lies on exactly one row and
 *                 one column, the hidden ones are the edges of a bipartite
 *                 graph (rows x columns), and an element is determined by
 *                 the line sums exactly when its edge lies on no cycle (a
 *                 bridge). A bridge gets a cycle: the smallest element
 *                 joining the two sides it separates is hidden;
 *              3. no hidden element may be pinned by one line and what the
 *                 page says of the others ("< 5" is 0..4, "hidden" is 5 or
 *                 more): two "< 5" in a row that lacks 8 are both 4. Such a
 *                 line hides its smallest shown element.
 *
 * Every round hides one more element, so it ends. Shown as text: a number;
 * "< t" for a primary element and for a secondary one below t (a zero
 * hidden to protect another reads "< 5", which is true); "hidden" for a
 * secondary one of t or more. */
#ifndef MONITOR_SUPPRESS_H
#define MONITOR_SUPPRESS_H
#include <stddef.h>

#include "base/arena.h"

#define MON_THRESHOLD_DEFAULT 5
#define MON_THRESHOLD_MAX 100
#define MON_DIM_MAX 128          /* data rows or columns of one grid */
#define MON_COUNT_MAX 1000000000LL

enum mon_mark { MON_SHOWN = 0, MON_PRIMARY = 1, MON_SECONDARY = 2 };

/* What a reader sees of an element. */
enum mon_show { MON_SHOW_NUMBER = 0, MON_SHOW_SMALL, MON_SHOW_HIDDEN };

struct mon_grid {
	size_t nrows, ncols;        /* data rows and columns */
	long long *n;               /* (nrows + 1) * (ncols + 1), row-major */
	unsigned char *mark;        /* enum mon_mark, same shape */
	int threshold;              /* set by mon_suppress */
};

/* A grid of nrows x ncols zero counts in a's memory. Returns 0, or -1 when
 * a dimension is 0 or above MON_DIM_MAX. */
int mon_grid_init(struct mon_grid *g, struct arena *a, size_t nrows, size_t ncols);
/* The element at (r, c); r == nrows is the totals' row, c == ncols the
 * totals' column. */
long long *mon_at(const struct mon_grid *g, size_t r, size_t c);
/* Fills the totals from the data counts. */
void mon_totals(struct mon_grid *g);

/* Marks the grid (totals must be filled). Returns 0, or -1 (nothing
 * marked) for a threshold outside 1..MON_THRESHOLD_MAX, a count outside
 * 0..MON_COUNT_MAX or totals that do not add up. Threshold 1 hides nothing. */
int mon_suppress(struct mon_grid *g, int threshold);

/* Marks grids whose rows are the same groups and whose row totals are the
 * same counts seen from another side (every report received is acknowledged
 * on time, late or not yet, and also has its feedback on time, late or
 * waiting): a row total hidden in one grid would be printed in the other, so
 * it is hidden in all, and the grids are marked again around it, until no
 * mark changes. Returns 0, or -1 as mon_suppress, or when the grids do not
 * have the same number of rows. */
int mon_suppress_linked(struct mon_grid *const *g, size_t n, int threshold);
enum mon_show mon_show(const struct mon_grid *g, size_t r, size_t c);
/* The element as text: the number, or "< t", or hidden_word. */
const char *mon_text(const struct mon_grid *g, size_t r, size_t c, const char *hidden_word,
		     char *buf, size_t len);

#endif
