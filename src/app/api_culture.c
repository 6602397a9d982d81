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
#include "culture/access.h"
#include "culture/culture.h"
#include "monitor/suppress.h"

#define SMALL MON_THRESHOLD_DEFAULT

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
	if (culture_visible(r->p->db, r->viewer, vis) != 0) {
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
