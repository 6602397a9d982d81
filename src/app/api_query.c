/* api_query.c: the query parameters of the read-only issue 7 routes
 * (api_query.h). */
#include "app/api_query.h"

#include <string.h>

#include "app/api_req.h"
#include "base/num.h"
#include "base/utf8.h"
#include "orgs/orgs.h"

void api_bad_parameter(struct api_req *r, const char *name, const char *message)
{
	api_error_with(r, 400, "invalid_parameter", message, json_pack("{s:s}", "parameter", name));
}

int api_query_text(struct api_req *r, const char *name, size_t max, const char **out)
{
	const char *v = http_query(r->p->req, name);
	*out = "";
	if (!v)
		return 0;
	size_t n = strlen(v);
	if (n > max) {
		api_error_with(r, 400, "invalid_parameter", "The parameter is too long.",
			       json_pack("{s:s, s:I}", "parameter", name, "max_bytes",
					 (json_int_t)max));
		return -1;
	}
	if (!utf8_text_clean(v, n, 0)) {
		api_bad_parameter(r, name, "The parameter must be UTF-8 text without control characters.");
		return -1;
	}
	*out = v;
	return 0;
}

int api_query_int(struct api_req *r, const char *name, int64_t lo, int64_t hi, int64_t dflt,
		  const char *message, int64_t *out)
{
	const char *v = http_query(r->p->req, name);
	*out = dflt;
	if (!v)
		return 0;
	/* digits only, no leading zero: one spelling per number */
	if (!*v || strlen(v) > 19 || v[0] == '0' || strspn(v, "0123456789") != strlen(v) ||
	    num_parse_i64z(v, lo, hi, out) != 0) {
		api_bad_parameter(r, name, message);
		return -1;
	}
	return 0;
}

int api_query_department(struct api_req *r, const char *name, const struct scope *vis,
			 const struct scope_dept **out)
{
	const char *v;
	struct org_error e;
	*out = NULL;
	if (api_query_text(r, name, ORG_CODE_MAX, &v) != 0)
		return -1;
	if (!*v)
		return 0;
	if (org_check_code(name, v, &e) != 0) {
		api_bad_parameter(r, name, "A department is given by its code: letters, digits and hyphens.");
		return -1;
	}
	for (size_t i = 0; i < vis->n; i++)
		if (org_code_eq(vis->dept[i].code, v)) {
			*out = &vis->dept[i];
			return 0;
		}
	api_error(r, 404, "department_not_found", "There is no department with this code that you can see.");
	return -1;
}
