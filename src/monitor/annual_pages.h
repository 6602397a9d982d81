/* annual_pages.h: the annual report from the pages (issue 7 item 4):
 * GET /jaarverslag, the form; GET /jaarverslag/rapport?jaar=YYYY[&org=CODE]
 * [&vandaag=1]&formaat=html|xlsx|csv|json, the report as a download. The
 * rules of who may see which report are at the top of annual_pages.c. */
#ifndef MONITOR_ANNUAL_PAGES_H
#define MONITOR_ANNUAL_PAGES_H

struct page;

void annual_page_form(struct page *p);
void annual_page_report(struct page *p);

#endif
