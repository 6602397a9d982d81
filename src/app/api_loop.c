/* api_loop.c: "where were the risks greatest" through the JSON API
 * (api_loop.h), the same as the page (src/loop/pages.c): the department's
 * own integrity coordinators and managers get full counts; the coordinator
 * and auditor, for a department in scope, get every count below LOOP_SMALL
 * as the string "< 5"; anyone else, and Defence for the coordinator, the
 * same 404 as a department that does not exist. Read-only. */
#include <string.h>

#include "app/api_loop.h"
#include "app/api_req.h"
#include "loop/loop.h"
#include "loop/store.h"
#include "web/page.h"

static const char *const flag_names[] = {"rated_low", "no_risk", "no_effect"};
static const char *const judge_names[] = {
	[LOOP_JUDGED] = "judged",
	[LOOP_AFTER_OPEN] = "after_not_over",
	[LOOP_BEFORE_NO_DATA] = "before_not_recorded",
};

/* A count: the number, or "< 5" when suppressed and small. */
static json_t *count_json(int suppressed, int n)
{
	char b[16];
	if (suppressed && n < LOOP_SMALL)
		return json_string(loop_small(n, b, sizeof b));
	return json_integer(n);
}

static void bad_query(struct api_req *r, enum loop_query q)
{
	const char *field = q == LOOP_Q_N ? "n" : q == LOOP_Q_FROM ? "from" : "to";
	static const char *const why[] = {
		[LOOP_Q_FROM] = "from is not a date YYYY-MM-DD.",
		[LOOP_Q_TO] = "to is not a date YYYY-MM-DD.",
		[LOOP_Q_ORDER] = "The period ends before it begins.",
		[LOOP_Q_FUTURE] = "The period cannot end after today.",
		[LOOP_Q_SPAN] = "A period is at most 30 years long.",
		[LOOP_Q_N] = "n is a whole number from 1 to 1000.",
	};
	api_error_with(r, 400, "invalid_field", why[q], json_pack("{s:s}", "field", field));
}

void api_loop_view(struct api_req *r)
{
	int how;
	char today[DATE_LEN + 1], from[DATE_LEN + 1], to[DATE_LEN + 1], err[300];
	int n;
	if (loop_access(r->p->db, r->viewer, r->id, &how) != 0) {
		api_fail_internal(r, "the access check of the violations view failed");
		return;
	}
	if (!how) {
		api_error(r, 404, "register_not_found",
			  "There is no risk register or risk with this number that you can open.");
		return;
	}
	date_today(today);
	enum loop_query q = loop_read_query(http_query(r->p->req, "from"),
					    http_query(r->p->req, "to"),
					    http_query(r->p->req, "n"), today, from, to, &n);
	if (q != LOOP_Q_OK) {
		bad_query(r, q);
		return;
	}
	struct loop_data d;
	struct loop_result res;
	if (loop_load(r->p->db, r->p->a, r->id, from, to, n, &d, err, sizeof err) != 0 ||
	    loop_compute(&d.in, r->p->a, &res, err, sizeof err) != 0) {
		api_fail_internal(r, "reading the violations view failed");
		return;
	}
	int s = how == 2;
	json_t *rows = json_array(), *controls = json_array();
	for (size_t i = 0; i < res.nrows; i++) {
		const struct loop_row *x = &res.rows[i];
		const char *name = x->process_id ? loop_process_name(&d, x->process_id) : NULL;
		json_t *flags = json_array();
		for (unsigned b = 0; b < 3; b++)
			if (x->flags & (1u << b))
				json_array_append_new(flags, json_string(flag_names[b]));
		json_array_append_new(
			rows, json_pack("{s:o, s:s, s:o, s:o, s:i, s:o}", "process",
					x->process_id ? json_pack("{s:I, s:s}", "id",
								  (json_int_t)x->process_id, "name",
								  name ? name : "")
						      : json_null(),
					"category", x->category, "violations", count_json(s, x->count),
					"assessed", x->band_name ? json_string(x->band_name) : json_null(),
					"risks", (int)x->nrisks, "flags", flags));
	}
	for (size_t i = 0; i < res.ncontrols; i++) {
		const struct loop_control_result *c = &res.controls[i];
		int j = c->judged == LOOP_JUDGED;
		json_array_append_new(
			controls, json_pack("{s:I, s:I, s:s, s:s, s:o, s:o, s:b}", "id",
					    (json_int_t)c->c->id, "risk_id", (json_int_t)c->c->risk_id,
					    "implemented_on", c->c->implemented_on, "judged",
					    judge_names[c->judged],
					    "before", j ? count_json(s, c->before) : json_null(),
					    "after", j ? count_json(s, c->after) : json_null(),
					    "no_effect", c->flagged));
	}
	api_reply(r, 200, json_pack("{s:I, s:s, s:s, s:i, s:b, s:o, s:{s:o, s:o, s:o}, s:o, s:o}",
				    "department", (json_int_t)r->id, "from", from, "to", to, "n", n,
				    "suppressed", s, "violations", count_json(s, res.total),
				    "flagged", "rated_low", count_json(s, res.flagged[0]), "no_risk",
				    count_json(s, res.flagged[1]), "no_effect",
				    count_json(s, res.flagged[2]), "rows", rows, "controls",
				    controls));
}
