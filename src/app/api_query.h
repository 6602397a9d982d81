/* api_query.h: reading the query string of a GET in the JSON API, for the
 * read-only routes of issue 7 (api_ipim.c, api_policy.c, api_culture.c).
 * Each parameter has a hard limit; a value that breaks it answers 400
 *   {"error": {"code": "invalid_parameter", "message": "...", "parameter": "q"}}
 * with a plain-language message that never repeats the value. */
#ifndef APP_API_QUERY_H
#define APP_API_QUERY_H
#include <stddef.h>
#include <stdint.h>

#include "accounts/scope.h"

struct api_req;

/* Answers 400 invalid_parameter for parameter name with message. */
void api_bad_parameter(struct api_req *r, const char *name, const char *message);

/* Parameter name as text of at most max bytes without control characters
 * into *out ("" when absent). 0, or -1 having answered. */
int api_query_text(struct api_req *r, const char *name, size_t max, const char **out);

/* Parameter name as a whole number from lo to hi written in decimal digits
 * (no sign, no leading zero) into *out (dflt when absent). 0, or -1
 * having answered with message. */
int api_query_int(struct api_req *r, const char *name, int64_t lo, int64_t hi, int64_t dflt,
		  const char *message, int64_t *out);

/* Parameter name as a department code among vis: *out the entry, NULL when
 * absent. A code that is not well formed answers 400; one that names no
 * department the caller may see answers 404 department_not_found, the same
 * for one that exists elsewhere and one that does not exist at all. 0, or
 * -1 having answered. */
int api_query_department(struct api_req *r, const char *name, const struct scope *vis,
			 const struct scope_dept **out);

#endif
