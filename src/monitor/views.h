/* views.h: what the dashboard's templates (src/monitor/templates) receive,
 * filled by pages.c. Strings are translated where they are text for people;
 * the templates escape them. */
#ifndef MONITOR_VIEWS_H
#define MONITOR_VIEWS_H
#include <stddef.h>

struct mon_view_row {
	const char *label;            /* the department, or "Total" */
	const char *const *cells;     /* ncols counts as shown, the row total last */
	int total;                    /* the totals' row */
};

struct mon_view_table {
	const char *id, *caption;
	const char *row_head;         /* the rows' column head; NULL: "Department" */
	const char *const *heads;     /* ncols heads, "Total" last */
	size_t ncols;
	const struct mon_view_row *rows;
	size_t nrows;
	const char *csv_href;
	const char *empty;            /* set instead of rows: why there is no table */
};

struct mon_view_option {
	const char *value, *label;
	int selected;
};

struct mon_view_link {
	const char *href, *label;
};

/* GET /monitor */
struct mon_dash_view {
	const char *title;
	const char *year;             /* as given, or the default */
	const char *error;            /* a refused year; then nothing else */
	const char *tree_error;       /* a refused ?boom=; then nothing else */
	int refused;                  /* error or tree_error: the form only */
	int today;                    /* ?boom=nu: mapped onto today's departments */
	const char *tree_note;        /* which tree the rows follow */
	const char *source;           /* where this year's case figures come from */
	const char *scope_note;       /* whose departments, or totals only */
	const char *explain1, *explain2; /* how small counts are shown */
	const char *xlsx_href;
	const struct mon_view_table *chart; /* the chart's data table */
	const struct mon_view_table *tables;
	size_t ntables;
	/* the framework of the scores (?kader=) */
	const struct mon_view_option *frameworks;
	size_t nframeworks;
	const char *fw_error;         /* a refused ?kader=; then nothing else */
	/* assessment scores and risk heat (pages_scores.c) */
	const char *scores_note, *heat_note;
	const struct mon_view_table *scores, *heat; /* scores NULL: none shown */
	/* the trends (pages_trend.c), their chart drawn between trend_top and
	 * trend */
	const char *trend_note;
	int trend_chart;
	const struct mon_view_table *trend_tables;
	size_t ntrend;
	/* every table's CSV, and the XLSX */
	const struct mon_view_link *downloads;
	size_t ndownloads;
};

#endif
