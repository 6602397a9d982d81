/* pages_int.h: what the dashboard's page files share (pages.c the page and
 * downloads, pages_chart.c the year's bar chart, pages_scores.c the
 * assessment scores and risk heat,
 * pages_trend.c the trends). Internal to src/monitor. */
#ifndef MONITOR_PAGES_INT_H
#define MONITOR_PAGES_INT_H
#include "base/buf.h"
#include "base/date.h"
#include "monitor/dash.h"
#include "monitor/scores.h"
#include "monitor/trend.h"
#include "monitor/views.h"
#include "web/page.h"

struct dash_page {
	struct mon_dash d;      /* the year chosen (the trend's last year) */
	struct mon_trend trend;
	const struct scope *scope; /* the viewer's departments today */
	int totals_only;        /* an IPIM member: the government's totals only */
	const char *year_in;
	const char *qerr;       /* a refused year */
	const char *terr;       /* a refused ?boom= */
	const char *kerr;       /* a refused ?kader= */
	int today;              /* ?boom=nu */
	const char *fw_code;    /* ?kader=, or MON_FRAMEWORK_DEFAULT */
	struct mon_view_option *fw_options;
	size_t nfw;
	struct mon_score *scores;  /* one per row of d.scope that is a department */
	struct mon_heat heat;      /* rows: scope */
	/* the request, read before anything is loaded (the page's cache key) */
	const struct scope *viewer_scope; /* as scope, also for a refused query */
	int year;                  /* the year chosen, when !qerr */
	char date[DATE_LEN + 1];   /* today */
};

/* A cell's text as the page shows it ("< 5", "hidden" or the number). */
const char *mon_page_cell(struct page *p, const struct mon_grid *g, size_t r, size_t c);
/* Row r of a year's dashboard: "Name (CODE)", with its mark when it is a
 * department before its split or without a successor. */
const char *mon_page_row_label(struct page *p, const struct mon_dash *d, size_t r);
/* A suppressed grid as a view table: rows labelled by label[r], heads[c]
 * (ncols, "Total" added), the totals' row labelled; the IPIM member's
 * totals only when totals_only. */
struct mon_view_table mon_page_grid_table(struct page *p, const struct mon_grid *g,
					  const char *const *labels, const char *const *heads,
					  int totals_only, const char *id, const char *caption);

/* pages_chart.c: the bar chart of established violations per department,
 * the numbers and marks of the cases table's first column. */
void mon_page_bar_chart(struct page *p, const struct dash_page *g, struct buf *out);

/* pages_scores.c: loads the scores and heat into g (0, or -1 having
 * answered 503), then fills their view tables. */
int mon_page_scores_load(struct page *p, struct dash_page *g);
void mon_page_scores_view(struct page *p, const struct dash_page *g, struct mon_dash_view *v,
			  struct mon_view_table *scores, struct mon_view_table *heat);

/* pages_trend.c: the trend tables (at most MON_TREND_TABLES) and the
 * chart. */
#define MON_TREND_TABLES 5
size_t mon_page_trend_tables(struct page *p, const struct dash_page *g,
			     struct mon_view_table *out);
void mon_page_trend_chart(struct page *p, const struct dash_page *g, struct buf *out);

#endif
