/* trend.h: the dashboard's trends over years (issue 7 item 1): the last
 * MON_TREND_YEARS years up to the one chosen, each year's tables made and
 * suppressed by mon_dash_load exactly as the dashboard of that year shows
 * them (same tree, same threshold). The trend tables take their cells from
 * those suppressed tables only, so a trend shows nothing that the year's
 * own page hides, and adds no sum of its own. Internal to src/monitor. */
#ifndef MONITOR_TREND_H
#define MONITOR_TREND_H
#include "monitor/dash.h"

#define MON_TREND_YEARS 5

struct mon_trend {
	size_t nyears;                        /* oldest first; the last is the year chosen */
	struct mon_dash *d[MON_TREND_YEARS];  /* in the arena */
};

/* Loads the years year-4 .. year (from MON_YEAR_MIN on). 0, or -1 with err. */
int mon_trend_load(db_t *db, struct arena *a, const struct scope *scope, int year,
		   int today_tree, const char *today, int threshold, struct mon_trend *t,
		   char *err, size_t errlen);

/* The share of c of row r (the grid's row total), in whole percent rounded
 * half up; -1 when either count is not shown as a number or the total is 0
 * (a share of a suppressed count would give it away). */
int mon_share(const struct mon_grid *g, size_t r, size_t c);

#endif
