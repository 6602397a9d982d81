/* api_routes.h: the route table of the JSON API under /api/v1
 * (api_routes.c), kept apart from the pages' table (routes.c) because its
 * routes authenticate differently (a bearer token, never the cookie), answer
 * JSON and may use DELETE. Like the pages' table, every route declares who may
 * use it, and a test walks it as every kind of caller (tests/http/test_api.c),
 * and compares its paths with docs/openapi.yaml. */
#ifndef APP_API_ROUTES_H
#define APP_API_ROUTES_H
#include <stddef.h>
#include <stdint.h>

#include "orgs/orgs.h"

struct api_req;

/* Who may call a route: exactly one of these. */
enum api_access {
	API_PUBLIC = 1,   /* anyone, no token */
	API_RECEIPT = 2,  /* a reporter's receipt session token */
	API_USER = 4,     /* a user's session token; with roles, one of those roles */
};

struct api_route {
	const char *method;   /* "GET", "POST" or "DELETE" */
	/* "/api/v1/reports/{id}": {id} matches a positive integer below 2^53,
	 * {code} an organisation code (letters, digits, '-', '_', '.') */
	const char *pattern;
	unsigned access;      /* enum api_access */
	unsigned roles;       /* API_USER: role bits allowed; 0: any signed-in user */
	/* the top-level keys a JSON body may have, NULL-terminated; NULL: the
	 * route takes no body (an empty one, or "{}", for a POST) */
	const char *const *fields;
	void (*handler)(struct api_req *r);
	const char *name;     /* for logs and tests */
};

extern const struct api_route api_routes[];
extern const size_t api_nroutes;

enum api_match_result { API_FOUND, API_NOT_FOUND, API_BAD_METHOD };

/* Finds the route for method (HEAD is GET) and path. *id gets {id} (0 when
 * none) and code {code} ("" when none). On API_BAD_METHOD, allow (at least 32
 * bytes) lists the methods the path has, as for an Allow header. */
enum api_match_result api_match(const char *method, const char *path,
				 const struct api_route **out, int64_t *id,
				 char code[ORG_CODE_MAX + 1], char *allow, size_t allowlen);

/* Checks the table's declarations: known methods, well-formed patterns under
 * /api/v1/, exactly one access kind, roles only with API_USER, no body on GET
 * or DELETE, no duplicates. Returns 0 or -1 with the first problem in err. */
int api_routes_check(char *err, size_t errlen);

#endif
