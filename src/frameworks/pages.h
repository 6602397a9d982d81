/* pages.h: the framework library's pages (framework.h, routes in
 * src/app/routes.c).
 *
 * Reading is for every signed-in user with a role (frameworks are public
 * knowledge: published norms and recommendations, nothing of a department
 * or a person), except a reporter who holds no other role: the reporting
 * channel's accounts see their own reports and nothing else. Changing the
 * library (editing, importing) is the coordinator's (BZK's government-wide
 * role for frameworks, shared/domain §2): a department's integrity
 * coordinator assesses against a framework but does not change it for
 * every department.
 *
 *   GET  /kaders                  the latest revision of each framework
 *   GET  /kaders/{id}             one revision, in the page's language
 *   GET  /kaders/{id}/verschil    what changed from the previous revision
 *   GET  /kaders/{id}/export      the revision as a JSON download
 *   GET  /kaders/{id}/bewerken    the edit form (?groep=CODE: which group)
 *   POST /kaders/{id}/bewerken    saves a new revision, or re-shows the form
 *   GET  /kaders/importeren       the import form
 *   POST /kaders/importeren       stores a file as a new revision */
#ifndef FRAMEWORKS_PAGES_H
#define FRAMEWORKS_PAGES_H

struct page;

void frameworks_page_list(struct page *p);
void frameworks_page_view(struct page *p);
void frameworks_page_diff(struct page *p);
void frameworks_page_export(struct page *p);
void frameworks_page_edit(struct page *p);
void frameworks_page_edit_post(struct page *p);
void frameworks_page_import(struct page *p);
void frameworks_page_import_post(struct page *p);

#endif
