/* pages.h: the reporting channel's pages (routes in src/app/routes.c). */
#ifndef INTAKE_PAGES_H
#define INTAKE_PAGES_H

struct page;

/* The report form, no account needed (report_pages.c): GET shows the first
 * screen, POST moves between screens, send stores the report and shows the
 * receipt once. */
void intake_page_report(struct page *p);
void intake_page_report_post(struct page *p);
void intake_page_report_send(struct page *p);

/* "Follow your report" with the receipt (follow_pages.c): sign-in, the
 * report with its status, dates and messages, a reply, agreeing to the
 * written record of an in-person report, signing out, downloading a file. */
void intake_page_follow(struct page *p);
void intake_page_follow_post(struct page *p);
void intake_page_follow_report(struct page *p);
void intake_page_follow_message(struct page *p);
void intake_page_follow_agree(struct page *p);
void intake_page_follow_signout(struct page *p);
/* A file of the receipt session's own report (its own uploads and the
 * handlers'), decrypted with the key that session holds, as a download. */
void intake_page_follow_file(struct page *p);

#endif
