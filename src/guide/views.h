/* views.h: what the guide's templates receive (pages.c). Every string is
 * already translated; the templates escape it. */
#ifndef GUIDE_VIEWS_H
#define GUIDE_VIEWS_H
#include <stddef.h>

struct gv_item {
	const char *title, *text;
};

struct gv_section {
	const char *id, *title;
	const struct gv_item *items;
	size_t nitems;
};

/* An organisation in the chooser. */
struct gv_org {
	const char *code, *name;
	int depth;               /* 0 a government, 1 a department, 2 a unit */
	int selected;
};

/* Someone to turn to: an account (name and role) or a contact of the data
 * file (name, note, phone, e-mail, web address; shown as text). */
struct gv_contact {
	const char *name, *role, *note, *phone, *email, *url;
};

struct guide_view {
	const char *title, *intro;
	const struct gv_section *sections;
	size_t nsections;
	const struct gv_org *orgs;
	size_t norgs;
	const char *org_name;    /* the chosen organisation, or NULL */
	const char *org_error;   /* the code given names no organisation today, or NULL */
	const struct gv_contact *people;    /* from the accounts */
	size_t npeople;
	const struct gv_contact *others;    /* from the data file */
	size_t nothers;
	int may_register;        /* the viewer may register an in-person report */
};

#endif
