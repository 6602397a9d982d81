/* pages.h: the pages of signing in: password, second factor, enrolment of an
 * authenticator app with recovery codes, signing out, the account page. */
#ifndef ACCOUNTS_PAGES_H
#define ACCOUNTS_PAGES_H
#include "web/page.h"

void accounts_page_login(struct page *p);
void accounts_page_login_post(struct page *p);
void accounts_page_second_factor(struct page *p);
void accounts_page_second_factor_post(struct page *p);
void accounts_page_enrol(struct page *p);
void accounts_page_enrol_qr(struct page *p);
void accounts_page_enrol_post(struct page *p);
void accounts_page_logout(struct page *p);
void accounts_page_account(struct page *p);
void accounts_page_password(struct page *p);

#endif
