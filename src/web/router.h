/* router.h: matching a request to a route of one table. Mechanics only: what
 * a route's access bits mean is the application's business (src/app). Every
 * route declares who may use it; a route that changes state is POST-only and
 * has its CSRF token checked before its handler runs. */
#ifndef WEB_ROUTER_H
#define WEB_ROUTER_H
#include <stddef.h>
#include <stdint.h>

struct page;  /* the application's per-request context */

enum route_flags {
	ROUTE_PUBLIC = 1,      /* no sign-in needed */
	ROUTE_CHANGES = 2,     /* changes state: POST, CSRF token checked first */
	ROUTE_BEFORE_2FA = 4,  /* usable after the password, before the second factor */
	ROUTE_SIGNED_IN = 8,   /* any signed-in user, whatever the role */
	ROUTE_UPLOAD = 16,     /* takes files: a multipart body up to the upload limits */
};

#define ROUTE_MAX_PARAMS 2

struct route {
	const char *method;    /* "GET" or "POST" */
	const char *pattern;   /* "/cases/{id}": {id} matches a positive integer */
	unsigned roles;        /* bit mask of roles allowed; see flags for public */
	unsigned flags;
	void (*handler)(struct page *p);
	const char *name;      /* for logs and tests */
};

enum router_result { ROUTER_FOUND, ROUTER_NOT_FOUND, ROUTER_BAD_METHOD };

/* Finds the route for method and path; params receive {id} values in order.
 * ROUTER_BAD_METHOD when the path exists for another method. */
enum router_result router_match(const struct route *table, size_t n, const char *method,
				const char *path, const struct route **out,
				int64_t params[ROUTE_MAX_PARAMS]);

/* Checks a table's declarations: every route allows someone (roles, public or
 * signed-in), state changes are POST and POSTs are state changes, patterns are
 * well formed, no two routes share method and pattern. Returns 0 or -1 with
 * the first problem in err. Run at start-up and in tests. */
int router_check(const struct route *table, size_t n, char *err, size_t errlen);

#endif
