/* pages.h: the guide pages (guide.h). GET /hulp/melding-ontvangen: "someone
 * told me about a suspected wrongdoing", for managers and any employee.
 *
 * Public (no sign-in): it is useful to anyone who is told such a thing, a
 * manager in doubt should not first need an account, and it holds no
 * secret: the texts are the organisation's published guidance, and the
 * contacts are the names and roles of the people who receive the
 * organisation's reports, which the reporting channel already shows every
 * visitor who chooses whom to exclude. It shows no e-mail address of an
 * account (those are for reminders only); the data file's contacts are
 * published contact points. Route in src/app/routes.c. */
#ifndef GUIDE_PAGES_H
#define GUIDE_PAGES_H

struct page;

/* GET /hulp/melding-ontvangen[?org=CODE] */
void guide_page_received(struct page *p);

#endif
