/* trend.c: the years of the trends (trend.h), each through the cache of a
 * year's tables (cache.h). The marks are read once, before any year is: a
 * year loaded after them may hold a write newer than they are, which is
 * harmless (the database's mark has moved on, so no later request matches
 * them), but never miss one that they include. */
#include <stdio.h>

#include "monitor/cache.h"
#include "monitor/trend.h"

int mon_trend_load(db_t *db, struct arena *a, const struct scope *scope, int year,
		   int today_tree, const char *today, int threshold, struct mon_trend *t,
		   char *err, size_t errlen)
{
	t->nyears = 0;
	struct mon_marks m;
	if (mon_marks_read(db, &m) != 0) {
		snprintf(err, errlen, "%s", db_error(db)->msg);
		return -1;
	}
	int from = year - (MON_TREND_YEARS - 1);
	if (from < MON_YEAR_MIN)
		from = MON_YEAR_MIN;
	for (int y = from; y <= year; y++) {
		struct mon_dash *d = arena_alloc(a, sizeof *d);
		if (mon_dash_get(db, a, &m, scope, y, today_tree, today, threshold, d, err,
				 errlen) != 0)
			return -1;
		t->d[t->nyears++] = d;
	}
	return 0;
}

int mon_share(const struct mon_grid *g, size_t r, size_t c)
{
	if (mon_show(g, r, c) != MON_SHOW_NUMBER || mon_show(g, r, g->ncols) != MON_SHOW_NUMBER)
		return -1;
	long long n = *mon_at(g, r, c), total = *mon_at(g, r, g->ncols);
	if (total <= 0)
		return -1;
	return (int)((n * 200 + total) / (2 * total));
}
