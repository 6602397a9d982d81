/* views.h: what the templates of "where were the risks greatest"
 * (src/loop/templates) receive, filled by pages.c. Every string is already
 * translated where it is text for people; the templates escape it. */
#ifndef LOOP_VIEWS_H
#define LOOP_VIEWS_H
#include <stddef.h>

struct loop_view_link {
	const char *href, *label;
};

struct loop_view_row {
	const char *process, *category, *count, *assessed;
	const char *const *flags;       /* each flag's plain explanation */
	size_t nflags;
};

struct loop_view_control {
	const char *risk, *control, *implemented_on;
	const char *before, *after;     /* counts, or "" when not judged */
	const char *verdict;            /* in words */
	int flagged;
};

/* GET /schendingen-en-risicos/{id} */
struct loop_dept_view {
	const char *title;
	const char *action;             /* the period form's GET path */
	const char *from, *to, *n;      /* as given (or the defaults) */
	const char *error;              /* a refused period or n; then no table */
	const char *csv_href, *xlsx_href;
	int suppressed;                 /* the coordinator's view: small counts hidden */
	const char *total;
	const char *flagged_a, *flagged_b, *flagged_c;
	const struct loop_view_row *rows;
	size_t nrows;
	const struct loop_view_control *controls;
	size_t ncontrols;
	const char *back;               /* "/schendingen-en-risicos" */
};

/* GET /schendingen-en-risicos */
struct loop_overview_row {
	const char *href, *dept, *total, *a, *b, *c;
};

struct loop_overview_view {
	const struct loop_view_link *own;     /* the viewer's own departments */
	size_t nown;
	const struct loop_overview_row *rows; /* departments in the coordinator's scope */
	size_t nrows;
	int coordinated;
	const char *from, *to;
	const char *n;
};

#endif
