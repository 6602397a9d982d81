/* page.h: the per-request context a route handler receives, and the few ways
 * a handler answers: a page in the site's frame, a redirect, an error page.
 * Infrastructure only: who is signed in is an opaque viewer that the accounts
 * feature defines, and the frame (header, navigation, footer) is drawn by a
 * callback the application installs. Handlers never free: everything lives in
 * the request arena. */
#ifndef WEB_PAGE_H
#define WEB_PAGE_H
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "store/db.h"
#include "web/form.h"
#include "web/http.h"
#include "web/router.h"
#include "web/tmpl.h"

struct viewer;  /* defined by src/accounts: the signed-in user and session */
struct audit_signer;
struct throttle;
struct session_limits;

struct page {
	const struct http_request *req;
	struct http_response *res;
	struct arena *a;
	db_t *db;                   /* this worker thread's connection */
	void *app;                  /* the application, for its settings */
	const struct audit_signer *signer; /* to record security-relevant acts */
	struct throttle *login_throttle;   /* sign-in attempts per client */
	struct throttle *receipt_throttle;     /* wrong receipts per client */
	struct throttle *receipt_throttle_all; /* wrong receipts of all clients together */
	const struct session_limits *limits;   /* how long sessions last */
	long session_max_age;              /* seconds a session (and its cookie) lives */
	const struct route *route;
	int64_t params[ROUTE_MAX_PARAMS];
	struct form form;           /* the parsed body of a POST */
	struct viewer *viewer;      /* NULL when nobody is signed in */
	const char *lang;           /* "nl" or "en" */
	struct tmpl_ctx t;
	const char *csrf;           /* the token to put in forms */
	const char *notice;         /* one-line messages shown at the top */
	const char *error;
	/* draws the frame: top = 1 before the page's content, 0 after it */
	void (*frame)(struct page *p, const char *title, int top);
};

/* Translates msgid into the page's language. */
const char *page_tr(const struct page *p, const char *msgid);
/* Translates msgid and puts arg where it says "{}" (once). Translations are
 * data, so they never reach printf as a format. */
const char *page_tr1(const struct page *p, const char *msgid, const char *arg);
/* Starts and ends a page in the site's frame, with status 200 unless set. */
void page_begin(struct page *p, const char *title);
void page_end(struct page *p);
/* 303 See Other to a same-site path (anything else goes to "/"). */
void page_redirect(struct page *p, const char *path);
/* An error page in the frame with a plain-language message (already
 * translated by the caller or a msgid: it is translated here). */
void page_fail(struct page *p, int status, const char *msgid);
/* Set-Cookie with HttpOnly, SameSite=Strict, Path=/, and Secure when the
 * proxy says the visitor came over TLS. max_age < 0 deletes the cookie. */
void page_cookie(struct page *p, const char *name, const char *value, long max_age);
/* A field of the posted form, or NULL. */
const char *page_field(const struct page *p, const char *name);

#endif
