/* views.h: what the page templates of src/app/templates receive. Every string
 * is already translated where it is text for people; templates escape it. */
#ifndef APP_VIEWS_H
#define APP_VIEWS_H
#include <stddef.h>

/* The layout names its stylesheet, icon and theme class itself (static_url,
 * static_theme_class): they are facts of the build, not of the request, so no
 * handler can leave them out or get them wrong. */
#include "web/static.h"

/* One entry of the navigation: only routes the signed-in user may use. */
struct nav_item {
	const char *href;
	const char *label;
	int current;             /* the page being shown (1), or NAV_SECTION: the
				  * section the page shown is in */
};
#define NAV_SECTION 2

/* The frame around every page: header, navigation, language switch, main,
 * footer. A page is rendered as layout_top, its own content, layout_bottom. */
struct layout_view {
	const char *lang;         /* "nl" or "en": the html lang attribute */
	const char *title;        /* the page's own title; the site name is added */
	const char *user_name;    /* display name when signed in, else NULL */
	const char *role_label;   /* the user's current role, translated, or NULL */
	int pending_second_step;  /* password given, second factor not yet: no name,
				   * but a way to sign out of that half session */
	const struct nav_item *nav;
	size_t nnav;
	const struct nav_item *subnav; /* the pages of the section being shown */
	size_t nsubnav;
	const char *csrf;         /* token for the sign-out and language forms */
	const char *return_to;    /* this page's path, so that switching language stays here */
	const char *other_lang;   /* "en" when showing Dutch, "nl" when showing English */
	const char *other_lang_label; /* "English" / "Nederlands" */
	const char *notice;       /* a one-line message at the top (e.g. "Signed out"), or NULL */
	const char *error;        /* a one-line error summary at the top, or NULL */
};

/* A start page: one per role. */
struct start_view {
	const char *heading;
	const char *name;
	const char *intro;
	const char *const *orgs;   /* "Financiën (FIN)" where the role is held */
	size_t norgs;
	const struct nav_item *others; /* start pages of the viewer's other roles */
	size_t nothers;
	const struct nav_item *help;   /* guidance for this role (src/guide), or none */
	size_t nhelp;
};

/* A page of plain paragraphs. */
struct text_view {
	const char *heading;
	const char *const *paras;
	size_t nparas;
};

#endif
