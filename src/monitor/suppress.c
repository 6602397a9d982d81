/* suppress.c: small-count suppression (suppress.h, where the rules and
 * their reasons are). Grids are at most (MON_DIM_MAX + 1)^2 elements and a
 * page's are a dozen by a dozen, so the rounds are plain loops; only rule 2
 * is a graph walk of its own, run once per round rather than once per
 * hidden element (the dashboard makes some thirty grids per request). */
#include "monitor/suppress.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INF (-1LL)   /* an upper bound that has none */

int mon_grid_init(struct mon_grid *g, struct arena *a, size_t nrows, size_t ncols)
{
	memset(g, 0, sizeof *g);
	if (nrows == 0 || ncols == 0 || nrows > MON_DIM_MAX || ncols > MON_DIM_MAX)
		return -1;
	size_t cells = (nrows + 1) * (ncols + 1);
	g->nrows = nrows;
	g->ncols = ncols;
	g->n = arena_alloc(a, cells * sizeof *g->n);
	g->mark = arena_alloc(a, cells);
	memset(g->n, 0, cells * sizeof *g->n);
	memset(g->mark, 0, cells);
	g->threshold = MON_THRESHOLD_DEFAULT;
	return 0;
}

static size_t idx(const struct mon_grid *g, size_t r, size_t c)
{
	return r * (g->ncols + 1) + c;
}

long long *mon_at(const struct mon_grid *g, size_t r, size_t c)
{
	return &g->n[idx(g, r, c)];
}

void mon_totals(struct mon_grid *g)
{
	size_t R = g->nrows, C = g->ncols;
	long long all = 0;
	for (size_t r = 0; r < R; r++)
		*mon_at(g, r, C) = 0;
	for (size_t c = 0; c < C; c++) {
		long long s = 0;
		for (size_t r = 0; r < R; r++) {
			s += *mon_at(g, r, c);
			*mon_at(g, r, C) += *mon_at(g, r, c);
		}
		*mon_at(g, R, c) = s;
		all += s;
	}
	*mon_at(g, R, C) = all;
}

/* ---- lines ----
 * Line l < nrows + 1 is row l; line nrows + 1 + c is column c. Element k of
 * a line runs along it; the last element is the line's total. */

static size_t nlines(const struct mon_grid *g)
{
	return g->nrows + 1 + g->ncols + 1;
}

static size_t line_len(const struct mon_grid *g, size_t l)
{
	return l <= g->nrows ? g->ncols + 1 : g->nrows + 1;
}

static size_t line_elem(const struct mon_grid *g, size_t l, size_t k)
{
	if (l <= g->nrows)
		return idx(g, l, k);
	return idx(g, k, l - g->nrows - 1);
}

/* Counts before totals, the grand total last: a total also heads other
 * tables of the page, so hiding it costs more than hiding a count. */
static int rank_of(const struct mon_grid *g, size_t e)
{
	size_t r = e / (g->ncols + 1), c = e % (g->ncols + 1);
	return (r == g->nrows) + (c == g->ncols);
}

/* Whether element a is a better one to hide than b (b may be SIZE_MAX):
 * lower rank, then smaller count, then earlier. */
static int better(const struct mon_grid *g, size_t a, size_t b)
{
	if (b == SIZE_MAX)
		return 1;
	int ra = rank_of(g, a), rb = rank_of(g, b);
	if (ra != rb)
		return ra < rb;
	if (g->n[a] != g->n[b])
		return g->n[a] < g->n[b];
	return a < b;
}

/* The best shown element of line l, or SIZE_MAX. */
static size_t best_shown(const struct mon_grid *g, size_t l)
{
	size_t best = SIZE_MAX;
	for (size_t k = 0; k < line_len(g, l); k++) {
		size_t e = line_elem(g, l, k);
		if (g->mark[e] == MON_SHOWN && better(g, e, best))
			best = e;
	}
	return best;
}

/* Rule 1: a line with exactly one hidden element. Returns 1 if it hid one. */
static int rule_pairs(struct mon_grid *g)
{
	for (size_t l = 0; l < nlines(g); l++) {
		size_t hidden = 0;
		for (size_t k = 0; k < line_len(g, l); k++)
			hidden += g->mark[line_elem(g, l, k)] != MON_SHOWN;
		if (hidden != 1)
			continue;
		size_t e = best_shown(g, l);
		if (e != SIZE_MAX) {
			g->mark[e] = MON_SECONDARY;
			return 1;
		}
	}
	return 0;
}

/* ---- rule 2: bridges ----
 * Nodes: rows 0..nrows, then columns nrows+1 .. nrows+1+ncols. */

#define NODES_MAX (2 * (MON_DIM_MAX + 1))

/* Room for the walks of rule 2, on the caller's stack. */
struct walk {
	unsigned char sa[NODES_MAX], sb[NODES_MAX];
	size_t stack[NODES_MAX];
	size_t disc[NODES_MAX], low[NODES_MAX], next[NODES_MAX], via[NODES_MAX];
	size_t bridges[NODES_MAX];
};

/* The k-th possible edge of node v: its element and the node at its other
 * end. */
static size_t edge(const struct mon_grid *g, size_t v, size_t k, size_t *to)
{
	size_t R1 = g->nrows + 1;
	if (v < R1) {
		*to = R1 + k;
		return idx(g, v, k);
	}
	*to = k;
	return idx(g, k, v - R1);
}

/* Marks in seen[] the nodes reachable from node `from` over hidden
 * elements other than `skip`. */
static void reach(const struct mon_grid *g, size_t from, size_t skip, unsigned char *seen,
		  size_t *stack)
{
	size_t R1 = g->nrows + 1, C1 = g->ncols + 1, top = 0;
	memset(seen, 0, R1 + C1);
	seen[from] = 1;
	stack[top++] = from;
	while (top) {
		size_t v = stack[--top], len = v < R1 ? C1 : R1, to;
		for (size_t k = 0; k < len; k++) {
			size_t e = edge(g, v, k, &to);
			if (e != skip && g->mark[e] != MON_SHOWN && !seen[to]) {
				seen[to] = 1;
				stack[top++] = to;
			}
		}
	}
}

static int by_index(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	return (a > b) - (a < b);
}

/* The hidden elements that lie on no cycle (the graph's bridges), in
 * w->bridges in increasing element order; returns how many. One depth-first
 * walk (Tarjan's low links) finds them all: an edge to a child is a bridge
 * when nothing below the child reaches back above it. The walk costs one
 * look at every element, where asking each hidden element in turn whether
 * its ends still meet without it cost a walk per element (profiled as the
 * dashboard's largest cost, docs/performance.md). A bipartite grid has no
 * two edges between one pair of nodes, so the edge walked in by (via) is
 * the only one to skip. */
static size_t find_bridges(const struct mon_grid *g, struct walk *w)
{
	size_t R1 = g->nrows + 1, C1 = g->ncols + 1, nodes = R1 + C1, clock = 0, nb = 0;
	memset(w->disc, 0, nodes * sizeof *w->disc); /* 0: not reached yet */
	for (size_t s = 0; s < nodes; s++) {
		if (w->disc[s])
			continue;
		size_t top = 0;
		w->disc[s] = w->low[s] = ++clock;
		w->next[s] = 0;
		w->via[s] = SIZE_MAX;
		w->stack[top++] = s;
		while (top) {
			size_t v = w->stack[top - 1], len = v < R1 ? C1 : R1;
			if (w->next[v] < len) {
				size_t to, e = edge(g, v, w->next[v]++, &to);
				if (g->mark[e] == MON_SHOWN || e == w->via[v])
					continue;
				if (!w->disc[to]) {
					w->disc[to] = w->low[to] = ++clock;
					w->next[to] = 0;
					w->via[to] = e;
					w->stack[top++] = to;
				} else if (w->disc[to] < w->low[v]) {
					w->low[v] = w->disc[to];
				}
				continue;
			}
			top--;
			if (top) {
				size_t up = w->stack[top - 1];
				if (w->low[v] < w->low[up])
					w->low[up] = w->low[v];
				if (w->low[v] > w->disc[up])
					w->bridges[nb++] = w->via[v];
			}
		}
	}
	if (nb > 1)
		qsort(w->bridges, nb, sizeof *w->bridges, by_index);
	return nb;
}

/* The first bridge (by element order) that some shown element can close
 * into a cycle gets its cycle: the best such element is hidden. */
static int rule_bridges(struct mon_grid *g, struct walk *w)
{
	size_t R1 = g->nrows + 1, C1 = g->ncols + 1;
	size_t nb = find_bridges(g, w);
	for (size_t b = 0; b < nb; b++) {
		size_t e = w->bridges[b], r = e / C1, c = e % C1;
		unsigned char *sa = w->sa, *sb = w->sb;
		reach(g, r, e, sa, w->stack);
		reach(g, R1 + c, e, sb, w->stack);
		/* any element joining the sides closes a cycle through e */
		size_t best = SIZE_MAX;
		for (size_t i = 0; i < R1; i++)
			for (size_t j = 0; j < C1; j++) {
				size_t x = idx(g, i, j);
				int joins = (sa[i] && sb[R1 + j]) || (sb[i] && sa[R1 + j]);
				if (joins && g->mark[x] == MON_SHOWN && better(g, x, best))
					best = x;
			}
		if (best != SIZE_MAX) {
			g->mark[best] = MON_SECONDARY;
			return 1;
		}
	}
	return 0;
}

/* ---- rule 3: one line and the bounds the page gives ---- */

/* What a reader knows of hidden element e: lo..hi (hi INF: no bound). */
static void bounds(const struct mon_grid *g, size_t e, long long *lo, long long *hi)
{
	if (g->mark[e] == MON_PRIMARY || g->n[e] < g->threshold) {
		*lo = 0;
		*hi = g->threshold - 1;
	} else {
		*lo = g->threshold;
		*hi = INF;
	}
}

/* Whether a hidden element of line l is pinned to one value by the line's
 * equation (parts - total = 0) and the others' bounds. */
static int line_pins(const struct mon_grid *g, size_t l)
{
	size_t len = line_len(g, l);
	long long known = 0;
	for (size_t k = 0; k < len; k++) {
		size_t e = line_elem(g, l, k);
		if (g->mark[e] == MON_SHOWN)
			known += k + 1 == len ? -g->n[e] : g->n[e];
	}
	for (size_t j = 0; j < len; j++) {
		size_t ej = line_elem(g, l, j);
		if (g->mark[ej] == MON_SHOWN)
			continue;
		/* T = sum of a_k x_k over the other hidden elements: its range */
		long long tmin = 0, tmax = 0;
		int tmin_inf = 0, tmax_inf = 0;
		for (size_t k = 0; k < len; k++) {
			size_t e = line_elem(g, l, k);
			if (k == j || g->mark[e] == MON_SHOWN)
				continue;
			long long lo, hi;
			bounds(g, e, &lo, &hi);
			if (k + 1 < len) { /* a part: +x */
				tmin += lo;
				if (hi == INF)
					tmax_inf = 1;
				else
					tmax += hi;
			} else { /* the total: -x */
				tmax -= lo;
				if (hi == INF)
					tmin_inf = 1;
				else
					tmin -= hi;
			}
		}
		/* a_j x_j = -known - T */
		long long lo, hi, dlo, dhi;
		int dlo_inf, dhi_inf;
		bounds(g, ej, &lo, &hi);
		if (j + 1 < len) { /* x_j = -known - T */
			dlo_inf = tmax_inf, dlo = -known - tmax;
			dhi_inf = tmin_inf, dhi = -known - tmin;
		} else { /* x_j = known + T */
			dlo_inf = tmin_inf, dlo = known + tmin;
			dhi_inf = tmax_inf, dhi = known + tmax;
		}
		if (!dlo_inf && dlo > lo)
			lo = dlo;
		if (!dhi_inf && (hi == INF || dhi < hi))
			hi = dhi;
		if (hi != INF && lo >= hi)
			return 1;
	}
	return 0;
}

static int rule_bounds(struct mon_grid *g)
{
	for (size_t l = 0; l < nlines(g); l++) {
		if (!line_pins(g, l))
			continue;
		size_t e = best_shown(g, l);
		if (e != SIZE_MAX) {
			g->mark[e] = MON_SECONDARY;
			return 1;
		}
	}
	return 0;
}

static int valid(const struct mon_grid *g, int threshold)
{
	size_t R = g->nrows, C = g->ncols;
	if (threshold < 1 || threshold > MON_THRESHOLD_MAX || !g->n || !g->mark)
		return 0;
	for (size_t e = 0; e < (R + 1) * (C + 1); e++)
		if (g->n[e] < 0 || g->n[e] > MON_COUNT_MAX)
			return 0;
	long long all = 0;
	for (size_t r = 0; r <= R; r++) {
		long long s = 0;
		for (size_t c = 0; c < C; c++)
			s += *mon_at(g, r, c);
		if (s != *mon_at(g, r, C))
			return 0;
	}
	for (size_t c = 0; c <= C; c++) {
		long long s = 0;
		for (size_t r = 0; r < R; r++)
			s += *mon_at(g, r, c);
		if (s != *mon_at(g, R, c))
			return 0;
		if (c < C)
			all += s;
	}
	return all == *mon_at(g, R, C);
}

/* mon_suppress, keeping the secondary marks already set when keep is 1
 * (mon_suppress_linked carries a total hidden in one grid into the others). */
static int suppress(struct mon_grid *g, int threshold, int keep)
{
	if (!valid(g, threshold))
		return -1;
	size_t R1 = g->nrows + 1, C1 = g->ncols + 1, cells = R1 * C1;
	g->threshold = threshold;
	for (size_t e = 0; e < cells; e++)
		g->mark[e] = g->n[e] > 0 && g->n[e] < threshold ? MON_PRIMARY
			     : keep && g->mark[e] == MON_SECONDARY ? MON_SECONDARY
								     : MON_SHOWN;
	struct walk w;
	/* each round hides one more element: at most `cells` rounds */
	for (size_t round = 0; round < cells; round++) {
		if (rule_pairs(g) || rule_bridges(g, &w) || rule_bounds(g))
			continue;
		break;
	}
	return 0;
}

int mon_suppress(struct mon_grid *g, int threshold)
{
	return suppress(g, threshold, 0);
}

int mon_suppress_linked(struct mon_grid *const *g, size_t n, int threshold)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (g[i]->nrows != g[0]->nrows || suppress(g[i], threshold, 0) != 0)
			return -1;
	size_t rows = g[0]->nrows + 1;
	/* each pass only adds marks, so it ends: at most one pass per row
	 * total and grid */
	for (;;) {
		int changed = 0;
		for (size_t r = 0; r < rows; r++) {
			int hidden = 0;
			for (size_t i = 0; i < n; i++)
				hidden |= g[i]->mark[idx(g[i], r, g[i]->ncols)] != MON_SHOWN;
			for (size_t i = 0; hidden && i < n; i++) {
				unsigned char *m = &g[i]->mark[idx(g[i], r, g[i]->ncols)];
				if (*m == MON_SHOWN) {
					*m = MON_SECONDARY;
					changed = 1;
				}
			}
		}
		if (!changed)
			return 0;
		for (size_t i = 0; i < n; i++)
			if (suppress(g[i], threshold, 1) != 0)
				return -1;
	}
}

enum mon_show mon_show(const struct mon_grid *g, size_t r, size_t c)
{
	size_t e = idx(g, r, c);
	if (g->mark[e] == MON_SHOWN)
		return MON_SHOW_NUMBER;
	if (g->mark[e] == MON_PRIMARY || g->n[e] < g->threshold)
		return MON_SHOW_SMALL;
	return MON_SHOW_HIDDEN;
}

const char *mon_text(const struct mon_grid *g, size_t r, size_t c, const char *hidden_word,
		     char *buf, size_t len)
{
	switch (mon_show(g, r, c)) {
	case MON_SHOW_NUMBER:
		snprintf(buf, len, "%lld", *mon_at(g, r, c));
		break;
	case MON_SHOW_SMALL:
		snprintf(buf, len, "< %d", g->threshold);
		break;
	case MON_SHOW_HIDDEN:
		snprintf(buf, len, "%s", hidden_word);
		break;
	}
	return buf;
}
