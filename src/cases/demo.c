/* demo.c: the demo cases of `probity demo` (data/demo/cases.json; demo.h):
 * reading and checking the file into a plan per case. demo_walk.c carries
 * the plans out through the real case storage.
 *
 * Format (UTF-8 JSON, at most 256 KiB; unknown fields and duplicate keys
 * refused):
 *
 *   {"format": "probity-demo-cases", "version": 1, "description": "...",
 *    "cases": [CASE, ...]}                                         1 to 20
 *   CASE = {"reports": [N, ...],     the demo reports it joins, by their place
 *                                    in data/demo/reports.json counting from 0;
 *                                    of one organisation, each in one case only
 *           "phase": PHASE,          where the case is now: a phase on the
 *                                    normal route of the current protocol
 *           "opened_days_ago": N,    0 to 365
 *           "moved_days_ago": [N, ...], the day of each move from the first
 *                                    phase to "phase" (one per move, none for
 *                                    a case in the first phase), not rising
 *           "closed_days_ago": N,    only in the terminal phase: closes it
 *           "coordinator": USER,     the integrity coordinator who opens it
 *           "investigators": [USER], who join the team as investigators
 *           "authority": USER,       the competent authority the summary is
 *           "summary": TEXT,         shared with: both needed exactly when the
 *                                    case reaches a phase the authority moves
 *           "people": [{"party": PARTY, "name": TEXT, "function": TEXT,
 *                       "contact": TEXT, "steps": [STEP, ...]}],
 *           "records": {TYPE: [TEXT, ...]},
 *           "notes": [TEXT],
 *           "outcome": {"outcome": "established"|"partly"|"not_established",
 *                       "category": CODE, "measures": [CODE],
 *                       "police_report": true|false},
 *           "decision": {"text": TEXT, "measures": [CODE]}}
 *
 * USER is a demo login (accounts.json) holding that role at the reports'
 * organisation. The walk (demo_walk.c) takes the case through every phase
 * before "phase": it does the phase's work, ticks its required checklist
 * items, and moves on along the normal route. The work of a phase: the
 * records of each TYPE in the first phase that requires it (every record a
 * finished phase requires must be given); the rights steps that fall due in
 * it for each person's party (protocol.h), all of them in a finished phase,
 * only those listed in "steps" in the current one; the summary shared when
 * the case enters the first phase the competent authority may move it out
 * of; the outcome set by the coordinator when it enters the phase that
 * requires the authority's decision, and the decision taken there (needed
 * before that phase can be left). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/file.h"
#include "base/jsondoc.h"
#include "base/utf8.h"
#include "cases/cases.h"
#include "cases/dataset.h"
#include "cases/demo.h"
#include "cases/demo_plan.h"
#include "cases/taxonomy.h"

#define FORMAT_NAME "probity-demo-cases"
#define DEMO_MAX_BYTES (256 * 1024)
#define DAYS_MAX 365

static const char *const top[] = {"format", "version", "description", "cases", NULL};
static const char *const case_fields[] = {
	"reports", "phase", "opened_days_ago", "moved_days_ago", "closed_days_ago",
	"coordinator", "investigators", "authority", "summary", "people", "records", "notes",
	"outcome", "decision", NULL};
static const char *const person_fields[] = {"party", "name", "function", "contact", "steps",
					    NULL};
static const char *const outcome_fields[] = {"outcome", "category", "measures",
					     "police_report", NULL};
static const char *const decision_fields[] = {"text", "measures", NULL};

/* The right each step belongs to, and the step that must come first (-1
 * none): the order cases_person_step keeps. */
static const struct {
	enum cases_right right;
	int after;
} step_info[CASES_STEP_COUNT] = {
	[CASES_STEP_INFORMED] = {CASES_RIGHT_INFORMED, -1},
	[CASES_STEP_HEARD] = {CASES_RIGHT_HEARD, -1},
	[CASES_STEP_RECORD_OFFERED] = {CASES_RIGHT_HEARD, CASES_STEP_HEARD},
	[CASES_STEP_RECORD_AGREED] = {CASES_RIGHT_HEARD, CASES_STEP_RECORD_OFFERED},
	[CASES_STEP_ASSISTANCE_OFFERED] = {CASES_RIGHT_ASSISTANCE, -1},
	[CASES_STEP_DRAFT_SENT] = {CASES_RIGHT_DRAFT_REACTION, -1},
	[CASES_STEP_REACTION] = {CASES_RIGHT_DRAFT_REACTION, CASES_STEP_DRAFT_SENT},
	[CASES_STEP_FINAL_INSPECTED] = {CASES_RIGHT_INSPECTION, -1},
};

unsigned demo_phase_steps(const struct cases_phase *ph, enum cases_party party)
{
	unsigned bits = 0;
	for (int s = 0; s < CASES_STEP_COUNT; s++) {
		const struct cases_right_due *d = cases_phase_right(ph, step_info[s].right);
		if (d && (d->parties & (1u << party)))
			bits |= 1u << s;
	}
	return bits;
}

/* ---- small readers: each writes "PATH: reason" and returns -1 ---- */

/* A string of min to max bytes without NUL, clean UTF-8 (line breaks and
 * tabs only where breaks), as the storage will want it. */
static int rd_text(const struct jsondoc_err *e, const char *path, json_t *v, size_t min,
		   size_t max, int breaks, const char **out)
{
	*out = NULL;
	if (!json_is_string(v))
		return jsondoc_fail(e, path, "must be a text");
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (strlen(s) != n || n < min || n > max)
		return jsondoc_fail(e, path, "must be a text of %zu to %zu bytes", min, max);
	if (n && !utf8_text_clean(s, n, breaks))
		return jsondoc_fail(e, path, "holds control characters%s",
				    breaks ? "" : " or line breaks");
	*out = s;
	return 0;
}

/* The field key of obj as days ago (0 to DAYS_MAX) into the date out. */
static int rd_days(const struct jsondoc_err *e, const char *path, json_t *v, const char *today,
		   char out[DATE_LEN + 1])
{
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > DAYS_MAX)
		return jsondoc_fail(e, path, "must be a whole number of days from 0 to %d",
				    DAYS_MAX);
	if (date_add_days(today, -json_integer_value(v), out) != 0)
		return jsondoc_fail(e, path, "gives no date");
	return 0;
}

/* A list of at most max elements (absent: NULL, as an empty one). */
static int rd_list(const struct jsondoc_err *e, const char *path, json_t *obj, const char *key,
		   size_t max, json_t **out)
{
	*out = json_object_get(obj, key);
	if (*out && (!json_is_array(*out) || json_array_size(*out) > max))
		return jsondoc_fail(e, path, "\"%s\" must be a list of at most %zu", key, max);
	return 0;
}

/* The demo login named by the string field key of obj, holding role at org:
 * its index into logins. */
static int rd_user(const struct jsondoc_err *e, const char *path, json_t *v,
		   const struct demo_input *in, enum role role, const char *org, size_t *out)
{
	if (!json_is_string(v))
		return jsondoc_fail(e, path, "must be the username of a demo account");
	const char *u = json_string_value(v);
	char shown[JSONDOC_CLEAN_MAX + 1];
	jsondoc_clean(u, json_string_length(v), shown, JSONDOC_CLEAN_MAX);
	for (size_t i = 0; i < in->nlogins; i++) {
		if (strcmp(in->logins[i].username, u) != 0)
			continue;
		/* a demo account holds one role: its first is all of them */
		if (in->logins[i].role != role || strcmp(in->logins[i].org_code, org) != 0)
			return jsondoc_fail(e, path, "%s is not %s at %s", shown, role_name(role),
					    org);
		*out = i;
		return 0;
	}
	return jsondoc_fail(e, path, "%s is not one of the demo accounts", shown);
}

/* Measure codes of the current list: at most CASES_CASE_MEASURES_MAX,
 * distinct. */
static int rd_measures(const struct jsondoc_err *e, const char *path, json_t *obj,
		       const char **out, size_t *n)
{
	json_t *list, *v;
	size_t i;
	char p[JSONDOC_PATH_MAX];
	*n = 0;
	if (rd_list(e, path, obj, "measures", CASES_CASE_MEASURES_MAX, &list) != 0)
		return -1;
	json_array_foreach(list, i, v) {
		jsondoc_path(p, "%s.measures[%zu]", path, i);
		if (!json_is_string(v) || !cases_measures_find(cases_data_measures(),
								json_string_value(v)))
			return jsondoc_fail(e, p, "is not a measure of the current list");
		for (size_t j = 0; j < i; j++)
			if (strcmp(out[j], json_string_value(v)) == 0)
				return jsondoc_fail(e, p, "is named twice");
		out[(*n)++] = json_string_value(v);
	}
	return 0;
}

/* ---- the parts of a case ---- */

/* reports: indexes into the demo reports, unused so far, of one
 * organisation. */
static int rd_reports(const struct jsondoc_err *e, const char *path, json_t *c,
		      const struct demo_input *in, unsigned char *used, struct demo_plan *pl)
{
	json_t *list = json_object_get(c, "reports"), *v;
	size_t i;
	char p[JSONDOC_PATH_MAX];
	if (!json_is_array(list) || json_array_size(list) < 1 ||
	    json_array_size(list) > CASES_REPORTS_MAX)
		return jsondoc_fail(e, path, "\"reports\" must list 1 to %d demo reports",
				    CASES_REPORTS_MAX);
	json_array_foreach(list, i, v) {
		jsondoc_path(p, "%s.reports[%zu]", path, i);
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    (size_t)json_integer_value(v) >= in->nreports)
			return jsondoc_fail(e, p, "must be the place of a demo report, 0 to %zu",
					    in->nreports - 1);
		size_t r = (size_t)json_integer_value(v);
		if (used[r])
			return jsondoc_fail(e, p, "report %zu is in another case already", r);
		used[r] = 1;
		if (i > 0 && strcmp(in->reports[r].org_code, pl->org_code) != 0)
			return jsondoc_fail(e, p, "report %zu is of %s, the case's other reports of %s", r,
					    in->reports[r].org_code, pl->org_code);
		pl->org_code = in->reports[r].org_code;
		pl->reports[pl->nreports++] = in->reports[r].report_id;
	}
	return 0;
}

/* phase: the route to it along each phase's first next, and the day the
 * case entered each phase on it. */
static int rd_route(const struct jsondoc_err *e, const char *path, json_t *c,
		    const char *today, struct demo_plan *pl)
{
	const struct cases_protocol *p = pl->protocol;
	json_t *ph = json_object_get(c, "phase"), *moved;
	char at[JSONDOC_PATH_MAX];
	if (!json_is_string(ph))
		return jsondoc_fail(e, path, "\"phase\" must be a phase of the protocol");
	size_t i = 0;
	for (;;) {
		pl->route[pl->nroute++] = i;
		if (strcmp(p->phases[i].id, json_string_value(ph)) == 0)
			break;
		if (p->phases[i].nnext == 0 || pl->nroute == CASES_MAX_PHASES) {
			char shown[JSONDOC_CLEAN_MAX + 1];
			jsondoc_clean(json_string_value(ph), json_string_length(ph), shown,
				      JSONDOC_CLEAN_MAX);
			return jsondoc_fail(e, path, "\"phase\": %s is not on the normal route of "
					    "%s revision %d", shown, p->id, p->revision);
		}
		i = p->phases[i].next[0];
	}
	jsondoc_path(at, "%s.opened_days_ago", path);
	if (rd_days(e, at, json_object_get(c, "opened_days_ago"), today, pl->entry[0]) != 0)
		return -1;
	if (rd_list(e, path, c, "moved_days_ago", CASES_MAX_PHASES, &moved) != 0)
		return -1;
	if (json_array_size(moved) != pl->nroute - 1)
		return jsondoc_fail(e, path, "\"moved_days_ago\" must give the day of each of the "
				    "%zu moves to %s", pl->nroute - 1, p->phases[i].id);
	for (size_t k = 1; k < pl->nroute; k++) {
		jsondoc_path(at, "%s.moved_days_ago[%zu]", path, k - 1);
		if (rd_days(e, at, json_array_get(moved, k - 1), today, pl->entry[k]) != 0)
			return -1;
		if (strcmp(pl->entry[k], pl->entry[k - 1]) < 0)
			return jsondoc_fail(e, at, "is earlier than the opening or the move before it");
	}
	json_t *closed = json_object_get(c, "closed_days_ago");
	pl->closed_on[0] = '\0';
	if (closed) {
		jsondoc_path(at, "%s.closed_days_ago", path);
		if (!cases_protocol_terminal(p, i))
			return jsondoc_fail(e, at, "only a case in the terminal phase closes");
		if (rd_days(e, at, closed, today, pl->closed_on) != 0)
			return -1;
		if (strcmp(pl->closed_on, pl->entry[pl->nroute - 1]) < 0)
			return jsondoc_fail(e, at, "is before the case entered %s", p->phases[i].id);
	}
	return 0;
}

/* The team, and the authority exactly when the route needs one. */
static int rd_team(const struct jsondoc_err *e, const char *path, json_t *c,
		   const struct demo_input *in, struct demo_plan *pl)
{
	char at[JSONDOC_PATH_MAX];
	json_t *list, *v;
	size_t i;
	jsondoc_path(at, "%s.coordinator", path);
	if (rd_user(e, at, json_object_get(c, "coordinator"), in, ROLE_INTEGRITY_COORDINATOR,
		    pl->org_code, &pl->coordinator) != 0)
		return -1;
	if (rd_list(e, path, c, "investigators", DEMO_MAX_INVESTIGATORS, &list) != 0)
		return -1;
	json_array_foreach(list, i, v) {
		jsondoc_path(at, "%s.investigators[%zu]", path, i);
		if (rd_user(e, at, v, in, ROLE_INVESTIGATOR, pl->org_code,
			    &pl->investigators[i]) != 0)
			return -1;
		for (size_t j = 0; j < i; j++)
			if (pl->investigators[j] == pl->investigators[i])
				return jsondoc_fail(e, at, "is named twice");
		pl->ninvestigators = i + 1;
	}
	pl->share_at = -1;
	for (size_t k = 0; k < pl->nroute && pl->share_at < 0; k++)
		if (pl->protocol->phases[pl->route[k]].movers &
		    role_mask(ROLE_COMPETENT_AUTHORITY))
			pl->share_at = (int)k;
	/* someone on the team may move the case out of every phase it leaves */
	for (size_t k = 0; k + 1 < pl->nroute; k++) {
		unsigned movers = pl->protocol->phases[pl->route[k]].movers;
		unsigned team = role_mask(ROLE_INTEGRITY_COORDINATOR) |
				(pl->ninvestigators ? role_mask(ROLE_INVESTIGATOR) : 0) |
				(pl->share_at >= 0 && (int)k >= pl->share_at
					 ? role_mask(ROLE_COMPETENT_AUTHORITY)
					 : 0);
		if (!(movers & team))
			return jsondoc_fail(e, path, "no one named may move the case out of %s",
					    pl->protocol->phases[pl->route[k]].id);
	}
	json_t *a = json_object_get(c, "authority"), *s = json_object_get(c, "summary");
	if (pl->share_at < 0) {
		if (a || s)
			return jsondoc_fail(e, path, "\"authority\" and \"summary\" belong to a case "
					    "that reaches a phase of the competent authority");
		return 0;
	}
	if (!a || !s)
		return jsondoc_fail(e, path, "needs \"authority\" and \"summary\": the case reaches "
				    "%s, a phase of the competent authority",
				    pl->protocol->phases[pl->route[pl->share_at]].id);
	jsondoc_path(at, "%s.authority", path);
	if (rd_user(e, at, a, in, ROLE_COMPETENT_AUTHORITY, pl->org_code, &pl->authority) != 0)
		return -1;
	jsondoc_path(at, "%s.summary", path);
	return rd_text(e, at, s, 1, CASES_TEXT_MAX, 1, &pl->summary);
}

/* The steps listed for the current phase: rights due there for the party,
 * not taken in an earlier phase, each after the one it needs. */
static int rd_steps(const struct jsondoc_err *e, const char *path, json_t *list,
		    const struct demo_plan *pl, struct demo_person *dp)
{
	size_t last = pl->nroute - 1, i;
	unsigned before = 0;
	for (size_t k = 0; k < last; k++)
		before |= demo_phase_steps(&pl->protocol->phases[pl->route[k]], dp->party);
	const struct cases_phase *ph = &pl->protocol->phases[pl->route[last]];
	unsigned due = demo_phase_steps(ph, dp->party), taken = before;
	char at[JSONDOC_PATH_MAX];
	json_t *v;
	if (json_array_size(list) && pl->closed_on[0])
		return jsondoc_fail(e, path, "\"steps\" are for an open case: closing took "
				    "every step that fell due");
	json_array_foreach(list, i, v) {
		enum cases_step s;
		jsondoc_path(at, "%s.steps[%zu]", path, i);
		if (!json_is_string(v) || cases_step_parse(json_string_value(v), &s) != 0)
			return jsondoc_fail(e, at, "is not a step of a right");
		if (!(due & (1u << s)))
			return jsondoc_fail(e, at, "%s is not due for a %s in %s", cases_step_name(s),
					    cases_party_name(dp->party), ph->id);
		if (taken & (1u << s))
			return jsondoc_fail(e, at, "%s is taken already", cases_step_name(s));
		if (step_info[s].after >= 0 && !(taken & (1u << step_info[s].after)))
			return jsondoc_fail(e, at, "%s comes after %s", cases_step_name(s),
					    cases_step_name((enum cases_step)step_info[s].after));
		taken |= 1u << s;
		dp->steps[dp->nsteps++] = s;
	}
	return 0;
}

static int rd_people(const struct jsondoc_err *e, const char *path, json_t *c,
		     struct demo_plan *pl)
{
	json_t *list, *v;
	size_t i;
	char at[JSONDOC_PATH_MAX], f[JSONDOC_PATH_MAX];
	if (rd_list(e, path, c, "people", DEMO_MAX_PEOPLE, &list) != 0)
		return -1;
	json_array_foreach(list, i, v) {
		struct demo_person *dp = &pl->people[i];
		jsondoc_path(at, "%s.people[%zu]", path, i);
		if (!json_is_object(v))
			return jsondoc_fail(e, at, "must be an object");
		if (jsondoc_only_fields(e, at, v, person_fields) != 0)
			return -1;
		json_t *party = json_object_get(v, "party");
		if (!json_is_string(party) || cases_party_parse(json_string_value(party),
								 &dp->party) != 0)
			return jsondoc_fail(e, at, "\"party\" must be person_concerned, reporter, "
					    "witness or other");
		dp->in.party = json_string_value(party);
		jsondoc_path(f, "%s.name", at);
		if (rd_text(e, f, json_object_get(v, "name"), 1, CASES_NAME_MAX, 0,
			    &dp->in.name) != 0)
			return -1;
		static const char *const opt[] = {"function", "contact"};
		for (int k = 0; k < 2; k++) {
			json_t *o = json_object_get(v, opt[k]);
			const char **dst = k == 0 ? &dp->in.function : &dp->in.contact;
			jsondoc_path(f, "%s.%s", at, opt[k]);
			if (o && rd_text(e, f, o, 0, k == 0 ? CASES_NAME_MAX : CASES_CONTACT_MAX,
					 k == 1, dst) != 0)
				return -1;
		}
		json_t *steps;
		if (rd_list(e, at, v, "steps", CASES_STEP_COUNT, &steps) != 0 ||
		    rd_steps(e, at, steps, pl, dp) != 0)
			return -1;
		pl->npeople = i + 1;
	}
	return 0;
}

/* records: each type's texts, added in the first phase on the route that
 * requires the type; every record a finished phase requires is given. */
static int rd_records(const struct jsondoc_err *e, const char *path, json_t *c,
		      struct demo_plan *pl)
{
	const struct cases_protocol *p = pl->protocol;
	json_t *recs = json_object_get(c, "records"), *v;
	const char *type;
	char at[JSONDOC_PATH_MAX];
	if (recs && !json_is_object(recs))
		return jsondoc_fail(e, path, "\"records\" must map record types to lists of texts");
	pl->records = recs;
	json_object_foreach(recs, type, v) {
		char shown[JSONDOC_CLEAN_MAX + 1];
		jsondoc_clean(type, strlen(type), shown, JSONDOC_CLEAN_MAX);
		jsondoc_path(at, "%s.records.%s", path, shown);
		int t = cases_protocol_record_type(p, type);
		if (t < 0 || strcmp(type, CASES_RECORD_DECISION) == 0)
			return jsondoc_fail(e, at, "is not a record type of %s revision %d (the "
					    "authority's decision is \"decision\")", p->id,
					    p->revision);
		if (demo_record_phase(pl, (size_t)t) < 0)
			return jsondoc_fail(e, at, "no phase up to %s requires it",
					    p->phases[pl->route[pl->nroute - 1]].id);
		if (!json_is_array(v) || json_array_size(v) < 1 ||
		    json_array_size(v) > DEMO_MAX_TEXTS)
			return jsondoc_fail(e, at, "must be a list of 1 to %d texts", DEMO_MAX_TEXTS);
		size_t i;
		json_t *text;
		json_array_foreach(v, i, text) {
			const char *s;
			jsondoc_path(at, "%s.records.%s[%zu]", path, shown, i);
			if (rd_text(e, at, text, 1, CASES_TEXT_MAX, 1, &s) != 0)
				return -1;
		}
	}
	for (size_t k = 0; k < pl->nroute; k++) {
		if (!demo_finished(pl, k))
			continue;
		const struct cases_phase *ph = &p->phases[pl->route[k]];
		for (size_t r = 0; r < ph->nrecords; r++) {
			const char *id = p->record_types[ph->records[r]].id;
			if (strcmp(id, CASES_RECORD_DECISION) == 0) {
				if (!json_object_get(c, "decision"))
					return jsondoc_fail(e, path, "needs \"decision\": %s requires "
							    "it before the case moves on", ph->id);
			} else if (!json_object_get(recs, id)) {
				return jsondoc_fail(e, path, "\"records\" needs %s: %s requires it "
						    "before the case moves on", id, ph->id);
			}
		}
	}
	return 0;
}

/* notes, outcome, decision */
static int rd_ending(const struct jsondoc_err *e, const char *path, json_t *c,
		     struct demo_plan *pl)
{
	char at[JSONDOC_PATH_MAX];
	json_t *v;
	size_t i;
	const char *s;
	if (rd_list(e, path, c, "notes", DEMO_MAX_TEXTS, &pl->notes) != 0)
		return -1;
	json_array_foreach(pl->notes, i, v) {
		jsondoc_path(at, "%s.notes[%zu]", path, i);
		if (rd_text(e, at, v, 1, CASES_NOTE_MAX, 1, &s) != 0)
			return -1;
	}
	pl->decide_at = -1;
	for (size_t k = 0; k < pl->nroute && pl->decide_at < 0; k++) {
		const struct cases_phase *ph = &pl->protocol->phases[pl->route[k]];
		for (size_t r = 0; r < ph->nrecords; r++)
			if (strcmp(pl->protocol->record_types[ph->records[r]].id,
				   CASES_RECORD_DECISION) == 0)
				pl->decide_at = (int)k;
	}
	json_t *o = json_object_get(c, "outcome"), *d = json_object_get(c, "decision");
	if (pl->decide_at < 0) {
		if (o || d)
			return jsondoc_fail(e, path, "\"outcome\" and \"decision\" belong to a case "
					    "that reaches the competent authority's decision");
		return 0;
	}
	jsondoc_path(at, "%s.outcome", path);
	if (!json_is_object(o))
		return jsondoc_fail(e, path, "needs \"outcome\": the case reaches %s",
				    pl->protocol->phases[pl->route[pl->decide_at]].id);
	if (jsondoc_only_fields(e, at, o, outcome_fields) != 0)
		return -1;
	json_t *oc = json_object_get(o, "outcome"), *cat = json_object_get(o, "category"),
	       *police = json_object_get(o, "police_report");
	if (!json_is_string(oc) || (strcmp(json_string_value(oc), "established") != 0 &&
				    strcmp(json_string_value(oc), "partly") != 0 &&
				    strcmp(json_string_value(oc), "not_established") != 0))
		return jsondoc_fail(e, at, "\"outcome\" must be established, partly or "
				    "not_established");
	if (!json_is_string(cat) || !cases_taxonomy_find(cases_data_taxonomy(),
							 json_string_value(cat)))
		return jsondoc_fail(e, at, "\"category\" must be a code of the current taxonomy");
	if (!json_is_boolean(police))
		return jsondoc_fail(e, at, "\"police_report\" must be true or false");
	pl->outcome = json_string_value(oc);
	pl->category = json_string_value(cat);
	pl->police_report = json_is_true(police);
	if (rd_measures(e, at, o, pl->measures, &pl->nmeasures) != 0)
		return -1;
	if (!d)
		return 0;
	jsondoc_path(at, "%s.decision", path);
	if (!json_is_object(d))
		return jsondoc_fail(e, at, "must be an object");
	if (jsondoc_only_fields(e, at, d, decision_fields) != 0)
		return -1;
	char tp[JSONDOC_PATH_MAX];
	jsondoc_path(tp, "%s.text", at);
	if (rd_text(e, tp, json_object_get(d, "text"), 1, CASES_TEXT_MAX, 1, &pl->decision) != 0)
		return -1;
	return rd_measures(e, at, d, pl->decision_measures, &pl->ndecision_measures);
}

static int rd_case(const struct jsondoc_err *e, const char *path, json_t *c,
		   const struct demo_input *in, const char *today, unsigned char *used,
		   struct demo_plan *pl)
{
	if (!json_is_object(c))
		return jsondoc_fail(e, path, "must be an object");
	if (jsondoc_only_fields(e, path, c, case_fields) != 0)
		return -1;
	pl->protocol = cases_data_protocol();
	if (rd_reports(e, path, c, in, used, pl) != 0 || rd_route(e, path, c, today, pl) != 0 ||
	    rd_team(e, path, c, in, pl) != 0 || rd_people(e, path, c, pl) != 0 ||
	    rd_records(e, path, c, pl) != 0 || rd_ending(e, path, c, pl) != 0)
		return -1;
	return 0;
}

int demo_record_phase(const struct demo_plan *pl, size_t type)
{
	for (size_t k = 0; k < pl->nroute; k++) {
		const struct cases_phase *ph = &pl->protocol->phases[pl->route[k]];
		for (size_t r = 0; r < ph->nrecords; r++)
			if (ph->records[r] == type)
				return (int)k;
	}
	return -1;
}

int demo_finished(const struct demo_plan *pl, size_t k)
{
	return k + 1 < pl->nroute || pl->closed_on[0];
}

int cases_import_demo(db_t *db, const struct audit_signer *signer, const char *text, size_t len,
		      const struct account_demo_login *logins, size_t nlogins,
		      const struct intake_demo_report *reports, size_t nreports,
		      struct cases_demo_case *out, size_t cap, size_t *n, char *err,
		      size_t errlen)
{
	struct jsondoc_err e = {err, errlen};
	struct demo_input in = {logins, nlogins, reports, nreports};
	*n = 0;
	char derr[300];
	if (cases_data_init(derr, sizeof derr) != 0)
		return jsondoc_fail(&e, "protocol", "%s", derr);
	json_t *root = jsondoc_load(&e, text, len, DEMO_MAX_BYTES, FORMAT_NAME, 1, top);
	if (!root)
		return -1;
	json_t *cases = json_object_get(root, "cases");
	struct demo_plan *plans = NULL;
	unsigned char *used = xcalloc(nreports + 1, 1);
	int rc = 0;
	if (!json_is_array(cases) || json_array_size(cases) < 1 ||
	    json_array_size(cases) > CASES_DEMO_MAX || json_array_size(cases) > cap)
		rc = jsondoc_fail(&e, "cases", "must list 1 to %d cases", CASES_DEMO_MAX);
	if (rc == 0 && nreports == 0)
		rc = jsondoc_fail(&e, "cases", "there are no demo reports to open cases from");
	char today[DATE_LEN + 1];
	date_today(today);
	size_t ncases = rc == 0 ? json_array_size(cases) : 0;
	plans = xcalloc(ncases + 1, sizeof *plans);
	/* every case is checked before the first is opened */
	for (size_t i = 0; i < ncases && rc == 0; i++) {
		char path[JSONDOC_PATH_MAX];
		jsondoc_path(path, "cases[%zu]", i);
		rc = rd_case(&e, path, json_array_get(cases, i), &in, today, used, &plans[i]);
	}
	if (rc == 0)
		rc = demo_walk(db, signer, &in, plans, ncases, today, out, n, &e);
	free(plans);
	free(used);
	json_decref(root);
	return rc;
}

int cases_import_demo_file(db_t *db, const struct audit_signer *signer, const char *path,
			   const struct account_demo_login *logins, size_t nlogins,
			   const struct intake_demo_report *reports, size_t nreports,
			   struct cases_demo_case *out, size_t cap, size_t *n, char *err,
			   size_t errlen)
{
	char *text;
	size_t len;
	*n = 0;
	if (file_read_all(path, DEMO_MAX_BYTES, &text, &len, err, errlen) != 0)
		return -1;
	char why[600];
	int rc = cases_import_demo(db, signer, text, len, logins, nlogins, reports, nreports, out,
				   cap, n, why, sizeof why);
	if (rc != 0)
		snprintf(err, errlen, "%s: %s", path, why);
	free(text);
	return rc;
}
