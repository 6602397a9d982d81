/* pages.h: the pages of "where were the risks greatest" (issue 6 item 4,
 * loop.h). Routes in src/app/routes.c, which declares the roles; which
 * department a viewer may open is decided here with accounts/scope.h:
 *
 *   own          integrity coordinators and managers of the department (at
 *                it or a unit under it): full counts;
 *   coordinated  the coordinator and the auditor, for departments in the
 *                coordinating ministry's scope (never Defence): counts below
 *                LOOP_SMALL shown as "< 5", in the page and the exports.
 *
 * Any other department answers 404, the same as one that does not exist. */
#ifndef LOOP_PAGES_H
#define LOOP_PAGES_H

struct page;

/* GET /schendingen-en-risicos: the viewer's departments; for the
 * coordinator and auditor the overview of departments in scope × flags. */
void loop_page_overview(struct page *p);
/* GET /schendingen-en-risicos/{id}?van=&tot=&n=: one department. */
void loop_page_dept(struct page *p);
/* GET /schendingen-en-risicos/{id}/export.csv and /export.xlsx: the same as a download. */
void loop_page_csv(struct page *p);
void loop_page_xlsx(struct page *p);

#endif
