/* demo.c: the demo self-assessments of `probity demo`
 * (data/demo/assessments.json; demo.h): reading and checking the file,
 * then taking each assessment through the store as the accounts whose roles
 * allow each step: the drafter creates it (prefilled by the store from the
 * department's previous one) and saves every requirement, action point and
 * link in one save; the department's integrity coordinator signs it off;
 * the coordinator reviews it. Then the step dates are set back to the
 * file's dates (see "dates" below).
 *
 * Format (UTF-8 JSON, at most 512 KiB; unknown fields and duplicate keys
 * refused):
 *
 *   {"format": "probity-demo-assessments", "version": 1, "description": "...",
 *    "assessments": [ASSESSMENT, ...]}                        1 to 100
 *   ASSESSMENT = {
 *     "org": CODE,           an open department
 *     "framework": CODE,     a framework in the library; its latest revision
 *     "year": N,             once per department and framework
 *     "status": draft|signed_off|reviewed,
 *     "drafter": USER,       optional: a demo login holding integrity_coordinator
 *                            or manager there; default its integrity coordinator
 *     "levels": LEVELS,      one character per requirement, in the framework's
 *                            order, each group's requirements together and the
 *                            groups separated by one space: the maturity 1..4,
 *                            from which the judgements follow (below), or '-'
 *                            in a draft: left as the store prefilled it
 *     "comments": {REQ: TEXT},                  on requirements given a level
 *     "actions": [{"req": REQ, "text": TEXT, "owner": TEXT, "due": DATE,
 *                  "status": open|in_progress|done}],          0 to 20
 *     "links": [{"req": REQ, "url": HTTPS-URL}],              0 to 20
 *     "review": TEXT,        exactly when reviewed: the coordinator's comment
 *     "dates": {"created": DATE, "signed_off": DATE, "reviewed": DATE}}
 *                            the days of the steps taken, in order, not after
 *                            today
 *
 * A level gives the judgements a department at that maturity would give:
 * 1 nascent: design partly, existence and operation absent; 2 emerging:
 * design adequate, existence partly, operation absent; 3 established:
 * design and existence adequate, operation partly; 4 leading: all adequate.
 *
 * Signing off needs the department's integrity coordinator among the demo
 * logins, reviewing the coordinator (coordinator.rijk); an assessment of a
 * department outside the coordinator's scope (Defence) can never be
 * reviewed, and the file is refused if it says so.
 *
 * Why the dates are set afterwards: the store stamps every step with the
 * moment it is taken, as it must, so a demo made today would show its 2022
 * assessment signed off today. The demo then moves those stamps (created,
 * signed off, reviewed, and the items', action points' and links' own) to
 * the file's days, in one transaction per assessment; the audit trail keeps
 * the real moments of the demo's own acts. Nothing but the demo does this. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/scope.h"
#include "assess/assess.h"
#include "assess/demo.h"
#include "base/alloc.h"
#include "base/date.h"
#include "base/file.h"
#include "base/jsondoc.h"
#include "base/utf8.h"
#include "frameworks/framework.h"

#define FORMAT_NAME "probity-demo-assessments"
#define DEMO_MAX_BYTES (512 * 1024)
#define DEMO_ACTIONS_MAX 20
#define DEMO_LINKS_MAX 20

static const char *const top[] = {"format", "version", "description", "assessments", NULL};
static const char *const a_fields[] = {"org", "framework", "year", "status", "drafter",
				       "levels", "comments", "actions", "links", "review",
				       "dates", NULL};
static const char *const action_fields[] = {"req", "text", "owner", "due", "status", NULL};
static const char *const link_fields[] = {"req", "url", NULL};
static const char *const date_fields[] = {"created", "signed_off", "reviewed", NULL};

/* One assessment, checked. Texts are borrowed from the parsed file; people
 * are indexes into the demo logins. */
struct aplan {
	struct scope_dept dept;
	int64_t fw_version_id;
	struct framework fw;
	int year, status;
	size_t drafter, signer, reviewer;
	unsigned char *level;           /* per requirement: 0 ('-') or 1..4 */
	const char **comment;           /* per requirement, or NULL */
	struct assess_action_in actions[DEMO_ACTIONS_MAX];
	size_t nactions;
	struct assess_evidence_in links[DEMO_LINKS_MAX];
	size_t nlinks;
	const char *review;
	char created[DATE_LEN + 1], signed_off[DATE_LEN + 1], reviewed[DATE_LEN + 1];
};

static void aplan_free(struct aplan *p)
{
	framework_free(&p->fw);
	free(p->level);
	free(p->comment);
	memset(p, 0, sizeof *p);
}

/* The judgements of a maturity level (see the top of the file). */
static struct assess_marks marks_of(int level)
{
	static const unsigned char dims[5][ASSESS_DIMS] = {
		{0, 0, 0},
		{ASSESS_J_PARTLY, ASSESS_J_ABSENT, ASSESS_J_ABSENT},
		{ASSESS_J_ADEQUATE, ASSESS_J_PARTLY, ASSESS_J_ABSENT},
		{ASSESS_J_ADEQUATE, ASSESS_J_ADEQUATE, ASSESS_J_PARTLY},
		{ASSESS_J_ADEQUATE, ASSESS_J_ADEQUATE, ASSESS_J_ADEQUATE},
	};
	struct assess_marks m;
	memcpy(m.dim, dims[level], sizeof m.dim);
	m.maturity = (unsigned char)level;
	return m;
}

/* ---- small readers: each writes "PATH: reason" and returns -1 ---- */

/* A text of min..max bytes of clean UTF-8 (line breaks only if breaks). */
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

/* A date (absent: "" when optional) not after today. */
static int rd_date(const struct jsondoc_err *e, const char *path, json_t *obj, const char *key,
		   int optional, const char *today, char out[DATE_LEN + 1])
{
	char at[JSONDOC_PATH_MAX];
	json_t *v = json_object_get(obj, key);
	jsondoc_path(at, "%s.%s", path, key);
	out[0] = 0;
	if (!v && optional)
		return 0;
	if (!json_is_string(v) || json_string_length(v) != DATE_LEN ||
	    date_valid(json_string_value(v), DATE_LEN) != 0)
		return jsondoc_fail(e, at, "must be a date, YYYY-MM-DD");
	memcpy(out, json_string_value(v), DATE_LEN + 1);
	if (today && strcmp(out, today) > 0)
		return jsondoc_fail(e, at, "is after today");
	return 0;
}

/* The index of the requirement named by v, or -1 with the error written. */
static int rd_req(const struct jsondoc_err *e, const char *path, json_t *v,
		  const struct framework *f)
{
	const struct fw_req *r = json_is_string(v) ? framework_req(f, json_string_value(v)) : NULL;
	if (!r)
		return jsondoc_fail(e, path, "is not a requirement of %s revision %d", f->code,
				    f->revision);
	return (int)(r - f->reqs);
}

/* The demo login with role at the department: the first, or the one named
 * by v (any of roles). Its index, or -1 with the error written. */
static int rd_person(const struct jsondoc_err *e, const char *path, json_t *v,
		     const struct account_demo_login *l, size_t nl, unsigned roles,
		     const char *org, const char *what)
{
	for (size_t i = 0; i < nl; i++) {
		if (v && strcmp(l[i].username, json_string_value(v)) != 0)
			continue;
		/* a demo account holds one role: its first is all of them */
		if ((role_mask(l[i].role) & roles) && (!org || strcmp(l[i].org_code, org) == 0))
			return (int)i;
		if (v)
			return jsondoc_fail(e, path, "%s may not %s at %s", l[i].username, what,
					    org ? org : "the government");
	}
	if (v)
		return jsondoc_fail(e, path, "is not one of the demo accounts");
	return jsondoc_fail(e, path, "no demo account may %s at %s", what,
			    org ? org : "the government");
}

/* ---- the parts of an assessment ---- */

static int rd_levels(const struct jsondoc_err *e, const char *path, json_t *a,
		     struct aplan *p)
{
	char at[JSONDOC_PATH_MAX];
	json_t *v = json_object_get(a, "levels");
	const struct framework *f = &p->fw;
	jsondoc_path(at, "%s.levels", path);
	if (!json_is_string(v))
		return jsondoc_fail(e, at, "must be a text of levels");
	const char *s = json_string_value(v);
	size_t n = json_string_length(v), k = 0;
	p->level = xcalloc(f->nreqs + 1, 1);
	for (size_t g = 0; g < f->ngroups; g++) {
		if (g > 0 && (k >= n || s[k++] != ' '))
			return jsondoc_fail(e, at, "group %s must follow the one before after one "
					    "space", f->groups[g].code);
		for (size_t r = 0; r < f->groups[g].n; r++, k++) {
			size_t q = f->groups[g].first + r;
			char c = k < n ? s[k] : 0;
			if (c == '-' && p->status == ASSESS_DRAFT)
				continue;
			if (c < '1' || c > '4')
				return jsondoc_fail(e, at, "requirement %s needs a level 1 to 4%s "
						    "(group %s has %zu requirements)",
						    f->reqs[q].code,
						    p->status == ASSESS_DRAFT ? " or '-'" : "",
						    f->groups[g].code, f->groups[g].n);
			p->level[q] = (unsigned char)(c - '0');
		}
	}
	if (k != n)
		return jsondoc_fail(e, at, "has more than the %zu requirements of %s revision %d",
				    f->nreqs, f->code, f->revision);
	return 0;
}

static int rd_comments(const struct jsondoc_err *e, const char *path, json_t *a,
		       struct aplan *p)
{
	char at[JSONDOC_PATH_MAX];
	json_t *c = json_object_get(a, "comments"), *v;
	const char *key;
	p->comment = xcalloc(p->fw.nreqs + 1, sizeof *p->comment);
	jsondoc_path(at, "%s.comments", path);
	if (c && !json_is_object(c))
		return jsondoc_fail(e, at, "must map requirements to texts");
	json_object_foreach(c, key, v) {
		char shown[JSONDOC_CLEAN_MAX + 1], kp[JSONDOC_PATH_MAX];
		jsondoc_clean(key, strlen(key), shown, JSONDOC_CLEAN_MAX);
		jsondoc_path(kp, "%s.%s", at, shown);
		const struct fw_req *r = framework_req(&p->fw, key);
		if (!r)
			return jsondoc_fail(e, kp, "is not a requirement of %s revision %d",
					    p->fw.code, p->fw.revision);
		size_t q = (size_t)(r - p->fw.reqs);
		if (!p->level[q])
			return jsondoc_fail(e, kp, "a comment goes with a level, and %s has none",
					    key);
		if (rd_text(e, kp, v, 1, ASSESS_COMMENT_MAX, 1, &p->comment[q]) != 0)
			return -1;
	}
	return 0;
}

static int rd_actions(const struct jsondoc_err *e, const char *path, json_t *a,
		      struct aplan *p)
{
	json_t *list = json_object_get(a, "actions"), *v;
	char at[JSONDOC_PATH_MAX], fp[JSONDOC_PATH_MAX];
	size_t i;
	jsondoc_path(at, "%s.actions", path);
	if (list && (!json_is_array(list) || json_array_size(list) > DEMO_ACTIONS_MAX))
		return jsondoc_fail(e, at, "must be a list of at most %d", DEMO_ACTIONS_MAX);
	json_array_foreach(list, i, v) {
		struct assess_action_in *ap = &p->actions[i];
		char due[DATE_LEN + 1];
		jsondoc_path(at, "%s.actions[%zu]", path, i);
		if (!json_is_object(v))
			return jsondoc_fail(e, at, "must be an object");
		if (jsondoc_only_fields(e, at, v, action_fields) != 0)
			return -1;
		jsondoc_path(fp, "%s.req", at);
		int q = rd_req(e, fp, json_object_get(v, "req"), &p->fw);
		if (q < 0)
			return -1;
		ap->req = p->fw.reqs[q].code;
		jsondoc_path(fp, "%s.text", at);
		if (rd_text(e, fp, json_object_get(v, "text"), 1, ASSESS_ACTION_TEXT_MAX, 0,
			    &ap->text) != 0)
			return -1;
		jsondoc_path(fp, "%s.owner", at);
		if (rd_text(e, fp, json_object_get(v, "owner"), 0, ASSESS_OWNER_MAX, 0,
			    &ap->owner) != 0)
			return -1;
		/* any day: an action point may be overdue */
		if (rd_date(e, at, v, "due", 1, NULL, due) != 0)
			return -1;
		ap->due = due[0] ? json_string_value(json_object_get(v, "due")) : NULL;
		json_t *st = json_object_get(v, "status");
		jsondoc_path(fp, "%s.status", at);
		if (!json_is_string(st) || assess_ap_status_parse(json_string_value(st),
								   &ap->status) != 0)
			return jsondoc_fail(e, fp, "must be open, in_progress or done");
		p->nactions = i + 1;
	}
	return 0;
}

static int rd_links(const struct jsondoc_err *e, const char *path, json_t *a, struct aplan *p)
{
	json_t *list = json_object_get(a, "links"), *v;
	char at[JSONDOC_PATH_MAX], fp[JSONDOC_PATH_MAX];
	size_t i;
	jsondoc_path(at, "%s.links", path);
	if (list && (!json_is_array(list) || json_array_size(list) > DEMO_LINKS_MAX))
		return jsondoc_fail(e, at, "must be a list of at most %d", DEMO_LINKS_MAX);
	json_array_foreach(list, i, v) {
		jsondoc_path(at, "%s.links[%zu]", path, i);
		if (!json_is_object(v))
			return jsondoc_fail(e, at, "must be an object");
		if (jsondoc_only_fields(e, at, v, link_fields) != 0)
			return -1;
		jsondoc_path(fp, "%s.req", at);
		int q = rd_req(e, fp, json_object_get(v, "req"), &p->fw);
		if (q < 0)
			return -1;
		json_t *u = json_object_get(v, "url");
		jsondoc_path(fp, "%s.url", at);
		if (!json_is_string(u) || assess_url_ok(json_string_value(u)) != 0)
			return jsondoc_fail(e, fp, "must be an https:// link of at most %d bytes",
					    ASSESS_URL_MAX);
		p->links[i].req = p->fw.reqs[q].code;
		p->links[i].url = json_string_value(u);
		p->nlinks = i + 1;
	}
	return 0;
}

/* Who takes each step, the review's text and the days. */
static int rd_steps(const struct jsondoc_err *e, const char *path, json_t *a,
		    const struct account_demo_login *l, size_t nl, const char *today,
		    struct aplan *p)
{
	char at[JSONDOC_PATH_MAX];
	int k;
	const char *org = p->dept.code;
	json_t *d = json_object_get(a, "drafter");
	jsondoc_path(at, "%s.drafter", path);
	if (d && !json_is_string(d))
		return jsondoc_fail(e, at, "must be the username of a demo account");
	k = rd_person(e, at, d, l, nl,
		      role_mask(ROLE_INTEGRITY_COORDINATOR) | role_mask(ROLE_MANAGER), org, "draft");
	if (k < 0)
		return -1;
	p->drafter = (size_t)k;
	if (p->status >= ASSESS_SIGNED_OFF) {
		jsondoc_path(at, "%s.status", path);
		if ((k = rd_person(e, at, NULL, l, nl, role_mask(ROLE_INTEGRITY_COORDINATOR), org,
				   "sign off")) < 0)
			return -1;
		p->signer = (size_t)k;
	}
	json_t *rv = json_object_get(a, "review");
	jsondoc_path(at, "%s.review", path);
	if ((rv != NULL) != (p->status == ASSESS_REVIEWED))
		return jsondoc_fail(e, at, "belongs to a reviewed assessment, and only there");
	if (p->status == ASSESS_REVIEWED) {
		if (p->dept.outside_scope)
			return jsondoc_fail(e, path, "%s is outside the coordinator's scope: its "
					    "assessments are signed off, never reviewed", org);
		if (rd_text(e, at, rv, 1, ASSESS_REVIEW_MAX, 1, &p->review) != 0 ||
		    (k = rd_person(e, at, NULL, l, nl, role_mask(ROLE_COORDINATOR), NULL,
				   "review")) < 0)
			return -1;
		p->reviewer = (size_t)k;
	}
	json_t *dates = json_object_get(a, "dates");
	jsondoc_path(at, "%s.dates", path);
	if (!json_is_object(dates))
		return jsondoc_fail(e, at, "must give the days of the steps");
	if (jsondoc_only_fields(e, at, dates, date_fields) != 0 ||
	    rd_date(e, at, dates, "created", 0, today, p->created) != 0 ||
	    rd_date(e, at, dates, "signed_off", p->status < ASSESS_SIGNED_OFF, today,
		    p->signed_off) != 0 ||
	    rd_date(e, at, dates, "reviewed", p->status < ASSESS_REVIEWED, today,
		    p->reviewed) != 0)
		return -1;
	if ((p->signed_off[0] != 0) != (p->status >= ASSESS_SIGNED_OFF) ||
	    (p->reviewed[0] != 0) != (p->status == ASSESS_REVIEWED))
		return jsondoc_fail(e, at, "gives a day for a step the assessment has not taken");
	if ((p->signed_off[0] && strcmp(p->signed_off, p->created) < 0) ||
	    (p->reviewed[0] && strcmp(p->reviewed, p->signed_off) < 0))
		return jsondoc_fail(e, at, "the steps must follow each other: created, signed "
				    "off, reviewed");
	return 0;
}

static int rd_assessment(db_t *db, const struct jsondoc_err *e, const char *path, json_t *a,
			 const struct account_demo_login *l, size_t nl, const char *today,
			 struct aplan *p)
{
	char at[JSONDOC_PATH_MAX];
	if (!json_is_object(a))
		return jsondoc_fail(e, path, "must be an object");
	if (jsondoc_only_fields(e, path, a, a_fields) != 0)
		return -1;
	json_t *org = json_object_get(a, "org"), *fw = json_object_get(a, "framework"),
	       *year = json_object_get(a, "year"), *status = json_object_get(a, "status");
	jsondoc_path(at, "%s.org", path);
	int rc = json_is_string(org) && json_string_length(org) <= ORG_CODE_MAX
			 ? scope_department_by_code(db, json_string_value(org), &p->dept)
			 : 1;
	if (rc < 0)
		return jsondoc_fail(e, at, "database: %s", db_error(db)->msg);
	if (rc > 0)
		return jsondoc_fail(e, at, "must be the code of an open department");
	jsondoc_path(at, "%s.framework", path);
	rc = json_is_string(fw) && fw_code_ok(json_string_value(fw))
		     ? frameworks_latest(db, json_string_value(fw), &p->fw_version_id)
		     : 1;
	if (rc == 0)
		rc = frameworks_load(db, p->fw_version_id, &p->fw);
	if (rc < 0)
		return jsondoc_fail(e, at, "database: %s", db_error(db)->msg);
	if (rc > 0)
		return jsondoc_fail(e, at, "must be the code of a framework in the library");
	jsondoc_path(at, "%s.year", path);
	if (!json_is_integer(year) || json_integer_value(year) < ASSESS_YEAR_MIN ||
	    json_integer_value(year) > ASSESS_YEAR_MAX)
		return jsondoc_fail(e, at, "must be a year from %d to %d", ASSESS_YEAR_MIN,
				    ASSESS_YEAR_MAX);
	p->year = (int)json_integer_value(year);
	jsondoc_path(at, "%s.status", path);
	if (!json_is_string(status) || assess_status_parse(json_string_value(status),
							   &p->status) != 0)
		return jsondoc_fail(e, at, "must be draft, signed_off or reviewed");
	if (rd_levels(e, path, a, p) != 0 || rd_comments(e, path, a, p) != 0 ||
	    rd_actions(e, path, a, p) != 0 || rd_links(e, path, a, p) != 0 ||
	    rd_steps(e, path, a, l, nl, today, p) != 0)
		return -1;
	return 0;
}

/* ---- writing ---- */

static int wfail(const struct jsondoc_err *e, const char *path, const char *step,
		 const struct assess_error *ae)
{
	return jsondoc_fail(e, path, "%s: the store refused it: %s", step,
			    ae->msg[0] ? ae->msg : "unknown error");
}

static int account_id(db_t *db, const struct jsondoc_err *e, const char *path,
		      const char *username, int64_t *id)
{
	struct account acc;
	int rc = accounts_by_name(db, username, &acc);
	if (rc != 0)
		return jsondoc_fail(e, path, "%s: %s", username,
				    rc > 0 ? "no such account" : db_error(db)->msg);
	*id = acc.id;
	return 0;
}

/* Moves the stamps of assessment id to the plan's days (see the top). */
static int backdate(db_t *db, int64_t id, const struct aplan *p)
{
	static const char *const sql[] = {
		("UPDATE assessment SET created_at = ?1, "
		 "signed_off_at = CASE WHEN signed_off_at IS NULL THEN NULL ELSE ?2 END, "
		 "reviewed_at = CASE WHEN reviewed_at IS NULL THEN NULL ELSE ?3 END WHERE id = ?4"),
		("UPDATE assessment_item SET updated_at = ?1 "
		 "WHERE assessment_id = ?4 AND updated_at IS NOT NULL"),
		"UPDATE assessment_action SET updated_at = ?1 WHERE assessment_id = ?4",
		"UPDATE assessment_evidence SET created_at = ?1 WHERE assessment_id = ?4",
	};
	char created[TIMESTAMP_LEN + 1], signed_off[TIMESTAMP_LEN + 1],
		reviewed[TIMESTAMP_LEN + 1];
	snprintf(created, sizeof created, "%sT09:30:00Z", p->created);
	snprintf(signed_off, sizeof signed_off, "%sT14:15:00Z",
		 p->signed_off[0] ? p->signed_off : p->created);
	snprintf(reviewed, sizeof reviewed, "%sT10:45:00Z",
		 p->reviewed[0] ? p->reviewed : p->created);
	if (db_begin(db) != 0)
		return -1;
	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		db_stmt_t *st = NULL;
		int ok = db_prepare(db, sql[i], &st) == 0 &&
			 db_bind_text(st, 1, created, (size_t)-1) == 0 &&
			 (i > 0 || (db_bind_text(st, 2, signed_off, (size_t)-1) == 0 &&
				    db_bind_text(st, 3, reviewed, (size_t)-1) == 0)) &&
			 db_bind_i64(st, 4, id) == 0 && db_step(st) == DB_DONE;
		db_finalize(st);
		if (!ok) {
			db_rollback(db);
			return -1;
		}
	}
	return db_commit(db);
}

static int write_assessment(db_t *db, const struct audit_signer *s, const struct jsondoc_err *e,
			    const char *path, const struct aplan *p,
			    const struct account_demo_login *l, struct assess_demo_summary *sum)
{
	struct assess_error ae;
	/* set to 0 first, so that the -O3 release build sees no maybe-uninitialized use */
	int64_t drafter = 0, signer = 0, reviewer = 0, id = 0;
	if (account_id(db, e, path, l[p->drafter].username, &drafter) != 0 ||
	    (p->status >= ASSESS_SIGNED_OFF &&
	     account_id(db, e, path, l[p->signer].username, &signer) != 0) ||
	    (p->status == ASSESS_REVIEWED &&
	     account_id(db, e, path, l[p->reviewer].username, &reviewer) != 0))
		return -1;
	memset(&ae, 0, sizeof ae);
	if (assess_create(db, s, drafter, p->dept.id, p->fw_version_id, p->year, &id, NULL,
			  &ae) != 0)
		return wfail(e, path, "create", &ae);
	struct assess_item_in *items = xcalloc(p->fw.nreqs + 1, sizeof *items);
	size_t n = 0;
	for (size_t q = 0; q < p->fw.nreqs; q++) {
		if (!p->level[q])
			continue;
		items[n].req = p->fw.reqs[q].code;
		items[n].marks = marks_of(p->level[q]);
		items[n].comment = p->comment[q];
		sum->comments += p->comment[q] != NULL;
		n++;
	}
	struct assess_save sv = {.items = items, .nitems = n, .actions = p->actions,
				 .nactions = p->nactions, .add = p->links, .nadd = p->nlinks};
	int rc = assess_save(db, s, drafter, id, &sv, &ae);
	free(items);
	if (rc != 0)
		return wfail(e, path, "save", &ae);
	if (p->status >= ASSESS_SIGNED_OFF && assess_sign_off(db, s, signer, id, &ae) != 0)
		return wfail(e, path, "sign off", &ae);
	if (p->status == ASSESS_REVIEWED && assess_review(db, s, reviewer, id, p->review, &ae) != 0)
		return wfail(e, path, "review", &ae);
	if (backdate(db, id, p) != 0)
		return jsondoc_fail(e, path, "dates: %s", db_error(db)->msg);
	sum->assessments++;
	sum->drafts += p->status == ASSESS_DRAFT;
	sum->signed_off += p->status == ASSESS_SIGNED_OFF;
	sum->reviewed += p->status == ASSESS_REVIEWED;
	sum->actions += p->nactions;
	sum->links += p->nlinks;
	if (!sum->first_year || p->year < sum->first_year)
		sum->first_year = p->year;
	if (p->year > sum->last_year)
		sum->last_year = p->year;
	return 0;
}

int assess_import_demo(db_t *db, const struct audit_signer *signer, const char *text, size_t len,
		       const struct account_demo_login *logins, size_t nlogins,
		       struct assess_demo_summary *sum, char *err, size_t errlen)
{
	struct jsondoc_err e = {err, errlen};
	memset(sum, 0, sizeof *sum);
	json_t *root = jsondoc_load(&e, text, len, DEMO_MAX_BYTES, FORMAT_NAME, 1, top);
	if (!root)
		return -1;
	json_t *list = json_object_get(root, "assessments");
	int rc = 0;
	if (!json_is_array(list) || json_array_size(list) < 1 ||
	    json_array_size(list) > ASSESS_DEMO_MAX)
		rc = jsondoc_fail(&e, "assessments", "must list 1 to %d assessments",
				  ASSESS_DEMO_MAX);
	size_t n = rc == 0 ? json_array_size(list) : 0;
	struct aplan *plans = xcalloc(n + 1, sizeof *plans);
	char today[DATE_LEN + 1];
	date_today(today);
	/* every assessment is checked before the first is made */
	for (size_t i = 0; i < n && rc == 0; i++) {
		char path[JSONDOC_PATH_MAX];
		jsondoc_path(path, "assessments[%zu]", i);
		rc = rd_assessment(db, &e, path, json_array_get(list, i), logins, nlogins, today,
				   &plans[i]);
		for (size_t j = 0; j < i && rc == 0; j++)
			if (plans[j].dept.id == plans[i].dept.id && plans[j].year == plans[i].year &&
			    strcmp(plans[j].fw.code, plans[i].fw.code) == 0)
				rc = jsondoc_fail(&e, path, "assessments[%zu] is %s's %s of %d already",
						  j, plans[i].dept.code, plans[i].fw.code,
						  plans[i].year);
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		char path[JSONDOC_PATH_MAX];
		jsondoc_path(path, "assessments[%zu]", i);
		rc = write_assessment(db, signer, &e, path, &plans[i], logins, sum);
		int seen = 0;
		for (size_t j = 0; j < i; j++)
			seen |= plans[j].dept.id == plans[i].dept.id;
		sum->departments += !seen;
	}
	for (size_t i = 0; i < n; i++)
		aplan_free(&plans[i]);
	free(plans);
	json_decref(root);
	return rc;
}

int assess_import_demo_file(db_t *db, const struct audit_signer *signer, const char *path,
			    const struct account_demo_login *logins, size_t nlogins,
			    struct assess_demo_summary *sum, char *err, size_t errlen)
{
	char *text;
	size_t len;
	memset(sum, 0, sizeof *sum);
	if (file_read_all(path, DEMO_MAX_BYTES, &text, &len, err, errlen) != 0)
		return -1;
	char why[600];
	int rc = assess_import_demo(db, signer, text, len, logins, nlogins, sum, why, sizeof why);
	if (rc != 0)
		snprintf(err, errlen, "%s: %s", path, why);
	free(text);
	return rc;
}
