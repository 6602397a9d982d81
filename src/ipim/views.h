/* views.h: what the templates of IPIM (src/ipim/templates) receive, filled
 * by pages_meetings.c and pages_practices.c. Strings for people are already
 * translated; the templates escape everything. */
#ifndef IPIM_VIEWS_H
#define IPIM_VIEWS_H
#include <stddef.h>

struct ipimv_link {
	const char *href, *label;
};

/* ---- GET /ipim ---- */

struct ipimv_meeting_row {
	const char *href, *date, *title, *place;
};

struct ipim_index_view {
	const char *notice;
	const struct ipimv_meeting_row *rows;
	size_t nrows;
	const struct ipimv_link *actions;   /* editors: add a meeting */
	size_t nactions;
};

/* ---- a meeting ---- */

struct ipimv_decision {
	const char *text, *owner, *due, *status;
	const char *edit_href;              /* editors only */
};

struct ipimv_item {
	const char *anchor, *title, *note;
	const struct ipimv_link *recs;
	size_t nrecs;
	const struct ipimv_link *policies;
	size_t npolicies;
	const struct ipimv_decision *decisions;
	size_t ndecisions;
	const struct ipimv_link *actions;   /* editors: edit, add a decision */
	size_t nactions;
	int pos;
};

struct ipim_meeting_view {
	const char *title, *notice, *date, *place, *minutes;
	const struct ipimv_item *items;
	size_t nitems;
	const struct ipimv_link *actions;
	size_t nactions;
};

/* ---- the good-practice library ---- */

struct ipimv_option {
	const char *value, *label;
	int selected;
};

struct ipimv_practice {
	const char *title, *dept, *theme, *date, *contact, *description;
	const char *edit_href;              /* who may change it */
};

struct ipim_practices_view {
	const char *notice, *error;         /* error: a refused search (422) */
	const char *q;
	const struct ipimv_option *themes, *depts;
	size_t nthemes, ndepts;
	const char *summary;                /* "3 practices found" */
	const struct ipimv_practice *rows;
	size_t nrows;
	const char *prev_href, *next_href;  /* NULL: none */
	const struct ipimv_link *actions;
	size_t nactions;
};

#endif
