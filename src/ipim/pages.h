/* pages.h: the pages of IPIM under /ipim (issue 7 item 7). Routes in
 * src/app/routes.c, which declares the roles:
 *
 *   read      the coordinator, IPIM members, auditors and every integrity
 *             coordinator: meetings, agenda, decisions, and the library
 *             (practices of a department outside the coordinator's scope,
 *             Defence, only for that department's own people);
 *   meetings  changed by the coordinator and IPIM members;
 *   practices an integrity coordinator, or an IPIM member appointed at a
 *             department, adds and changes its own department's (another
 *             department: 404, nothing written); the coordinator and IPIM
 *             members at the government those of any department in their
 *             scope.
 *
 *   pages_meetings.c   GET /ipim, a meeting, the forms of meetings, agenda
 *                      items and decisions
 *   pages_practices.c  the library: search and forms
 *
 * The forms are drawn with the recommendations tracker's form builder
 * (recs/pages.h): one look for the coordinator's forms, and IPIM sits
 * above src/recs, whose records it links to. */
#ifndef IPIM_PAGES_H
#define IPIM_PAGES_H

struct page;

void ipim_page_index(struct page *p);
void ipim_page_meeting(struct page *p);
/* GET /ipim/vergaderingen/nieuw, .../{id}/bewerken; POST
 * /ipim/vergaderingen, .../{id} */
void ipim_page_meeting_new(struct page *p);
void ipim_page_meeting_edit(struct page *p);
void ipim_page_meeting_add(struct page *p);
void ipim_page_meeting_update(struct page *p);
/* GET /ipim/vergaderingen/{m}/agendapunten/nieuw, POST .../agendapunten;
 * GET /ipim/agendapunten/{id}/bewerken, POST /ipim/agendapunten/{id} */
void ipim_page_item_new(struct page *p);
void ipim_page_item_add(struct page *p);
void ipim_page_item_edit(struct page *p);
void ipim_page_item_update(struct page *p);
/* GET /ipim/agendapunten/{i}/besluiten/nieuw, POST .../besluiten;
 * GET /ipim/besluiten/{id}/bewerken, POST /ipim/besluiten/{id} */
void ipim_page_decision_new(struct page *p);
void ipim_page_decision_add(struct page *p);
void ipim_page_decision_edit(struct page *p);
void ipim_page_decision_update(struct page *p);

/* GET /ipim/praktijken?q=&thema=&ministerie=&pagina= */
void ipim_page_practices(struct page *p);
/* GET /ipim/praktijken/nieuw, .../{id}/bewerken; POST /ipim/praktijken,
 * .../{id} */
void ipim_page_practice_new(struct page *p);
void ipim_page_practice_edit(struct page *p);
void ipim_page_practice_add(struct page *p);
void ipim_page_practice_update(struct page *p);

#endif
