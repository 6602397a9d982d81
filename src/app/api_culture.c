/* api_culture.c: the culture indicators through the JSON API, read only
 * (api_culture.h). The same rules and numbers as the page
 * (src/culture/pages.c): a coordinator or auditor sees the departments in
 * the coordinating ministry's scope (never Defence), a department's
 * integrity coordinator or manager its own; any other department answers
 * 404 when asked by code. Reports received and violations registered above
 * zero and below the dashboard's threshold are withheld (null, with
 * "suppressed_below"), as the page shows them as "< 5", so that the API
 * gives away no small count the dashboard and the page hide. Reading
 * writes nothing: no audit. */
#include <stdio.h>
#include <string.h>

#include "accounts/accounts.h"
#include "accounts/scope.h"
#include "app/api_culture.h"
#include "app/api_query.h"
#include "app/api_req.h"
#include "base/date.h"
#include "culture/culture.h"
#include "monitor/suppress.h"

#define R(role) role_mask(role)
#define FULL_ROLES (R(ROLE_COORDINATOR) | R(ROLE_AUDITOR))
#define OWN_ROLES (R(ROLE_INTEGRITY_COORDINATOR) | R(ROLE_MANAGER))
#define SMALL MON_THRESHOLD_DEFAULT

/* The page's departments: in scope for the full roles, plus the viewer's
 * own, by code. 0 or -1. */
static int visible(struct api_req *r, struct scope *out)
{
	struct scope own;
	if (scope_coordinated(r->p->db, r->viewer, FULL_ROLES, out) != 0 ||
	    scope_own(r->p->db, r->viewer, OWN_ROLES, &own) != 0)
		return -1;
	for (size_t i = 0; i < own.n && out->n < SCOPE_MAX; i++)
		if (!scope_find(out, own.dept[i].id))
			out->dept[out->n++] = own.dept[i];
	for (size_t i = 1; i < out->n; i++)
		for (size_t j = i; j > 0 && strcmp(out->dept[j - 1].code, out->dept[j].code) > 0; j--) {
			struct scope_dept t = out->dept[j];
			out->dept[j] = out->dept[j - 1];
			out->dept[j - 1] = t;
		}
	return 0;
}

static json_t *count_json(int64_t n)
{
	return n > 0 && n < SMALL ? json_null() : json_integer((json_int_t)n);
}

static json_t *year_json(const struct culture_year *y)
{
	json_t *ind = json_object();
	for (int i = 0; i < CULTURE_NINDICATORS; i++)
		json_object_set_new(ind, culture_indicators[i].code,
				    y->tenths[i] < 0
					    ? json_null()
					    : json_pack("{s:f, s:I}", "percent", y->tenths[i] / 10.0,
							"respondents", (json_int_t)y->respondents[i]));
	return json_pack("{s:i, s:o, s:o, s:o}", "year", y->year, "indicators", ind, "reports",
			 count_json(y->reports), "registered", count_json(y->registered));
}

void api_culture(struct api_req *r)
{
	struct scope *vis = arena_alloc(r->p->a, sizeof *vis);
	const struct scope_dept *dept;
	int64_t year;
	char today[DATE_LEN + 1];
	if (visible(r, vis) != 0) {
		api_fail_internal(r, "reading the departments failed");
		return;
	}
	date_today(today);
	int this_year = (today[0] - '0') * 1000 + (today[1] - '0') * 100 + (today[2] - '0') * 10 +
			(today[3] - '0');
	if (api_query_department(r, "department", vis, &dept) != 0 ||
	    api_query_int(r, "year", CULTURE_YEAR_MIN, this_year, 0,
			  "The year is four digits, from 1990 to this year.", &year) != 0)
		return;
	json_t *deps = json_array();
	for (size_t d = 0; d < vis->n; d++) {
		if (dept && dept != &vis->dept[d])
			continue;
		struct culture_series s;
		if (culture_load(r->p->db, vis->dept[d].id, &s) != 0) {
			json_decref(deps);
			api_fail_internal(r, "reading the culture figures failed");
			return;
		}
		json_t *years = json_array(), *sources = json_array();
		for (size_t k = 0; k < s.n; k++)
			if (!year || s.y[k].year == year)
				json_array_append_new(years, year_json(&s.y[k]));
		for (size_t k = 0; k < s.nsources; k++)
			json_array_append_new(sources, json_string(s.sources[k]));
		culture_series_free(&s);
		json_array_append_new(deps, json_pack("{s:s, s:s, s:o, s:o}", "code",
						      vis->dept[d].code, "name", vis->dept[d].name,
						      "years", years, "sources", sources));
	}
	json_t *ind = json_array();
	for (int i = 0; i < CULTURE_NINDICATORS; i++)
		json_array_append_new(ind, json_pack("{s:s, s:s}", "code", culture_indicators[i].code,
						     "name", culture_indicators[i].name));
	api_reply(r, 200, json_pack("{s:o, s:i, s:o}", "indicators", ind, "suppressed_below", SMALL,
				    "departments", deps));
}
