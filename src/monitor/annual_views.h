/* annual_views.h: what the annual report's form (templates/annual.html)
 * receives, filled by annual_pages.c. Texts are translated; the template
 * escapes them. */
#ifndef MONITOR_ANNUAL_VIEWS_H
#define MONITOR_ANNUAL_VIEWS_H
#include <stddef.h>

struct annual_view_option {
	const char *value, *label;
	int selected;
};

/* GET /jaarverslag */
struct annual_form_view {
	const char *title;
	const char *intro;
	const char *year;
	const struct annual_view_option *orgs;   /* "" first for the government, if allowed */
	size_t norgs;
	const struct annual_view_option *formats;
	size_t nformats;
};

#endif
