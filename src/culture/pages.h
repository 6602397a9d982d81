/* pages.h: the culture indicators page (issue 7 item 8). GET /cultuur shows,
 * per department the viewer may see, each indicator as a trend over the
 * years (an SVG drawn on the server, with a table of the same numbers) next
 * to the reports received and violations registered in those years; the
 * downloads give the same table for every such department.
 *
 * Who sees what: a coordinator or auditor the departments in the
 * coordinating ministry's scope (never Defence); a department's integrity
 * coordinator or manager its own department. Anything else is not shown.
 * Reading aggregates writes nothing: no CSRF, no audit entry, as the
 * dashboard. */
#ifndef CULTURE_PAGES_H
#define CULTURE_PAGES_H
#include "web/page.h"

void culture_page(struct page *p);        /* GET /cultuur */
void culture_page_csv(struct page *p);    /* GET /cultuur/export.csv */
void culture_page_xlsx(struct page *p);   /* GET /cultuur/export.xlsx */

#endif
