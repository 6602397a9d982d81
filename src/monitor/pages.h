/* pages.h: the coordinator's dashboard (issue 7 items 1 and 2): for one
 * year, per department in the viewer's scope and in total, reports and
 * their timeliness, cases by outcome, police reports and measures, the
 * assessment scores and risk heat, and trends over five years; small counts
 * suppressed (suppress.h), charts drawn on the server, CSV/XLSX downloads;
 * the organisation tree as it was in the year or today's (place.h). The
 * coordinator and auditor see their departments; an IPIM member the
 * government-wide totals only; Defence is in no figure. Read-only. */
#ifndef MONITOR_PAGES_H
#define MONITOR_PAGES_H

struct page;

/* The threshold of small counts (config monitor_threshold), set once before
 * the server's threads start; 0 keeps MON_THRESHOLD_DEFAULT. 0, or -1 for a
 * value outside 3..MON_THRESHOLD_MAX. */
int monitor_set_threshold(int threshold);

/* GET /monitor?jaar=YYYY&kader=FRAMEWORK&boom=toen|nu */
void monitor_page_dashboard(struct page *p);
/* GET /monitor/export.csv?jaar=&kader=&boom=&tabel=SLUG: one table. */
void monitor_page_csv(struct page *p);
/* GET /monitor/export.xlsx?jaar=&kader=&boom=: a sheet per table. */
void monitor_page_xlsx(struct page *p);

#endif
