/* pages.h: the application's own pages (start pages per role, language
 * switch, health check) and the frame around every page. */
#ifndef APP_PAGES_H
#define APP_PAGES_H
#include "web/page.h"

void app_frame(struct page *p, const char *title, int top);

void app_page_home(struct page *p);
void app_page_health(struct page *p);
void app_page_lang(struct page *p);
void app_page_start(struct page *p);
void app_page_role_start(struct page *p);
void app_page_accessibility(struct page *p);

#endif
