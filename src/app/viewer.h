/* viewer.h: the signed-in user behind a session token, for the pages (the
 * token from the cookie, app.c) and the JSON API (the token from the
 * Authorization header, api.c): one way to decide that a session still
 * counts. */
#ifndef APP_VIEWER_H
#define APP_VIEWER_H
#include <time.h>

#include "accounts/viewer.h"
#include "web/page.h"

/* Loads the session of token with its account and roles into a viewer in the
 * request arena, and records the activity. A session past its limits, or of
 * a disabled account (that one is ended), is none. Returns 0 with *out set,
 * 1 when there is none, -1 on a database error. */
int app_viewer_load(struct page *p, const char *token, const struct session_limits *lim,
		    time_t now, struct viewer **out);

#endif
