/* views.h: what the culture page's templates (src/culture/templates)
 * receive, filled by pages.c. Text for people is translated; the templates
 * escape everything. */
#ifndef CULTURE_VIEWS_H
#define CULTURE_VIEWS_H
#include <stddef.h>

/* GET /cultuur, above the departments */
struct culture_top_view {
	const char *title, *intro, *small_note;
	const char *csv_href, *xlsx_href;
	const char *empty;    /* no department to show */
};

/* one department: its heading above the chart, its table below */
struct culture_dept_view {
	const char *id;       /* the table's id, from the code */
	const char *heading;  /* "Financiën (FIN)" */
	const char *empty;    /* no figures yet */
	const char *sources;  /* "Source: ..." */
	const char *caption;
	const char *const *heads;   /* ncols: "Year", indicators, reports, registered */
	size_t ncols;
	const char *const *cells;   /* nrows × ncols, row-major */
	size_t nrows;
};

#endif
