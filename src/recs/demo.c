/* demo.c: the demo policy cycle and recommendations of `probity demo`
 * (demo.h): reading and checking a file, then writing each record through
 * the store as the account that would have made it.
 *
 * Formats (UTF-8 JSON, at most 512 KiB; unknown fields and duplicate keys
 * refused, so that a misspelt field never goes silently unused):
 *
 *   {"format": "probity-demo-policy", "version": 1, "description": "...",
 *    "editor": USER,                   a demo login with the coordinator role
 *    "items": [ITEM]}                  1 to 50
 *   ITEM = {"title": TEXT, "kind": framework|protocol|guideline|other,
 *           "version": TEXT, "description": TEXT,
 *           "stage": development|adopted|implemented|evaluated,
 *           "stages": {STAGE: DATE, ...},  the date each stage reached began
 *           "adoptions": [ADOPTION]}       0 to 40, a department once
 *   ADOPTION = {"department": CODE, "by": USER (its integrity coordinator),
 *               "adopted_on": DATE, "translation": TEXT,
 *               "evaluated_on": DATE (optional),
 *               "assessment": {"framework": CODE, "year": N} (optional: the
 *                              department's self-assessment it rests on)}
 *
 *   {"format": "probity-demo-recommendations", "version": 1,
 *    "description": "...", "editor": USER,
 *    "sources": [SOURCE]}              1 to 20
 *   SOURCE = {"kind": ..., "title": TEXT, "reference": TEXT, "issued_on": DATE,
 *             "round": TEXT, "link": URL, "recommendations": [REC]}   1 to 40
 *   REC = {"number": TEXT, "text": TEXT, "addressees": [CODE],
 *          "response": TEXT, "response_on": DATE, "status": none|implemented|
 *          partly|not_implemented, "status_on": DATE, "report_due": DATE,
 *          "policy": [TITLE],          titles of policy items already loaded
 *          "progress": [NOTE]}         0 to 10
 *   NOTE = {"noted_on": DATE, "department": CODE (optional), "text": TEXT,
 *           "evidence": [URL]}
 *
 * Every record must pass the model's rules (recs_*_check, policy_*_check)
 * with today's date; a broken one is reported with its JSON path and the
 * rule's English message. Addressees and departments of notes are open
 * departments in the coordinator's scope (never Defence); an adoption may
 * be any open department's, Defence's included. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "accounts/scope.h"
#include "assess/assess.h"
#include "base/alloc.h"
#include "base/date.h"
#include "base/file.h"
#include "base/jsondoc.h"
#include "recs/demo.h"
#include "recs/policy.h"
#include "recs/recs.h"

#define DEMO_MAX_BYTES (512 * 1024)
#define ITEMS_MAX 50
#define ADOPTIONS_MAX 40
#define SOURCES_MAX 20
#define RECS_PER_SOURCE 40
#define NOTES_PER_REC 10

static const char *const policy_top[] = {"format", "version", "description", "editor", "items",
					 NULL};
static const char *const recs_top[] = {"format", "version", "description", "editor", "sources",
				       NULL};
static const char *const item_fields[] = {"title", "kind", "version", "description", "stage",
					  "stages", "adoptions", NULL};
static const char *const adoption_fields[] = {"department", "by", "adopted_on", "translation",
					      "evaluated_on", "assessment", NULL};
static const char *const assessment_fields[] = {"framework", "year", NULL};
static const char *const source_fields[] = {"kind", "title", "reference", "issued_on", "round",
					    "link", "recommendations", NULL};
static const char *const rec_fields[] = {"number", "text", "addressees", "response",
					 "response_on", "status", "status_on", "report_due",
					 "policy", "progress", NULL};
static const char *const note_fields[] = {"noted_on", "department", "text", "evidence", NULL};

/* ---- small readers: each writes "PATH: reason" and returns -1 ---- */

static int rd_obj(const struct jsondoc_err *e, const char *path, json_t *v,
		  const char *const *fields)
{
	if (!json_is_object(v))
		return jsondoc_fail(e, path, "must be an object");
	return jsondoc_only_fields(e, path, v, fields);
}

/* The string at key (absent: "" when optional) into dst (cap bytes):
 * never cut, refused instead. */
static int rd_str(const struct jsondoc_err *e, const char *path, json_t *obj, const char *key,
		  int optional, char *dst, size_t cap)
{
	char at[JSONDOC_PATH_MAX];
	json_t *v = json_object_get(obj, key);
	jsondoc_path(at, "%s.%s", path, key);
	dst[0] = 0;
	if (!v && optional)
		return 0;
	if (!json_is_string(v))
		return jsondoc_fail(e, at, "must be a text");
	size_t n = json_string_length(v);
	if (strlen(json_string_value(v)) != n || n >= cap)
		return jsondoc_fail(e, at, "must be a text of at most %zu bytes", cap - 1);
	memcpy(dst, json_string_value(v), n + 1);
	return 0;
}

/* The array at key with at most max entries (absent: empty when optional). */
static int rd_array(const struct jsondoc_err *e, const char *path, json_t *obj, const char *key,
		    int optional, size_t min, size_t max, json_t **out)
{
	char at[JSONDOC_PATH_MAX];
	json_t *v = json_object_get(obj, key);
	jsondoc_path(at, "%s.%s", path, key);
	*out = v;
	if (!v && optional)
		return 0;
	if (!json_is_array(v) || json_array_size(v) < min || json_array_size(v) > max)
		return jsondoc_fail(e, at, "must list %zu to %zu entries", min, max);
	return 0;
}

/* A demo login with role at org (NULL: any organisation); its account id. */
static int rd_login(db_t *db, const struct jsondoc_err *e, const char *path, json_t *obj,
		    const char *key, enum role role, const char *org,
		    const struct account_demo_login *logins, size_t nlogins, int64_t *id)
{
	char at[JSONDOC_PATH_MAX], name[ACCOUNT_USERNAME_MAX + 1];
	if (rd_str(e, path, obj, key, 0, name, sizeof name) != 0)
		return -1;
	jsondoc_path(at, "%s.%s", path, key);
	for (size_t i = 0; i < nlogins; i++) {
		if (strcmp(logins[i].username, name) != 0)
			continue;
		/* a demo account holds one role: its first is all of them */
		if (logins[i].role != role || (org && strcasecmp(logins[i].org_code, org) != 0))
			return jsondoc_fail(e, at, "%s is not %s%s%s", name, role_name(role),
					    org ? " at " : "", org ? org : "");
		struct account acc;
		if (accounts_by_name(db, name, &acc) != 0)
			return jsondoc_fail(e, at, "%s: no such account", name);
		*id = acc.id;
		return 0;
	}
	char shown[JSONDOC_CLEAN_MAX + 1];
	jsondoc_clean(name, strlen(name), shown, JSONDOC_CLEAN_MAX);
	return jsondoc_fail(e, at, "%s is not one of the demo accounts", shown);
}

/* An open department by code; in_scope: not outside the coordinator's. */
static int rd_dept(db_t *db, const struct jsondoc_err *e, const char *at, const char *code,
		   int in_scope, struct scope_dept *d)
{
	char shown[JSONDOC_CLEAN_MAX + 1];
	jsondoc_clean(code, strlen(code), shown, JSONDOC_CLEAN_MAX);
	int rc = scope_department_by_code(db, code, d);
	if (rc < 0)
		return jsondoc_fail(e, at, "the database failed");
	if (rc)
		return jsondoc_fail(e, at, "%s is not an open department", shown);
	if (in_scope && d->outside_scope)
		return jsondoc_fail(e, at, "%s is outside the coordinator's scope", shown);
	return 0;
}

/* ---- the policy file ---- */

struct adopt_plan {
	struct policy_adoption a;
	int64_t by;
};

struct item_plan {
	struct policy_item it;
	struct adopt_plan *ad;
	size_t nad;
};

static int rd_adoption(db_t *db, const struct jsondoc_err *e, const char *path, json_t *v,
		       const struct account_demo_login *logins, size_t nlogins, const char *today,
		       struct adopt_plan *ap)
{
	char code[ORG_CODE_MAX + 1], at[JSONDOC_PATH_MAX];
	struct scope_dept d;
	if (rd_obj(e, path, v, adoption_fields) != 0 ||
	    rd_str(e, path, v, "department", 0, code, sizeof code) != 0)
		return -1;
	jsondoc_path(at, "%s.department", path);
	if (rd_dept(db, e, at, code, 0, &d) != 0 ||
	    rd_login(db, e, path, v, "by", ROLE_INTEGRITY_COORDINATOR, d.code, logins, nlogins,
		     &ap->by) != 0 ||
	    rd_str(e, path, v, "adopted_on", 0, ap->a.adopted_on, sizeof ap->a.adopted_on) != 0 ||
	    rd_str(e, path, v, "translation", 1, ap->a.translation, sizeof ap->a.translation) != 0 ||
	    rd_str(e, path, v, "evaluated_on", 1, ap->a.evaluated_on, sizeof ap->a.evaluated_on) != 0)
		return -1;
	ap->a.org_id = d.id;
	json_t *as = json_object_get(v, "assessment");
	if (as) {
		char fw[FW_CODE_MAX + 1];
		jsondoc_path(at, "%s.assessment", path);
		if (rd_obj(e, at, as, assessment_fields) != 0 ||
		    rd_str(e, at, as, "framework", 0, fw, sizeof fw) != 0)
			return -1;
		json_t *y = json_object_get(as, "year");
		if (!json_is_integer(y))
			return jsondoc_fail(e, at, "year must be a whole number");
		struct assess_list_item *list = xcalloc(64, sizeof *list);
		size_t n = 0;
		int rc = assess_list(db, &d.id, 1, list, 64, &n);
		for (size_t i = 0; rc == 0 && i < n; i++)
			if (strcmp(list[i].fw_code, fw) == 0 && list[i].year == json_integer_value(y))
				ap->a.assessment_id = list[i].id;
		free(list);
		if (rc != 0)
			return jsondoc_fail(e, at, "the database failed");
		if (!ap->a.assessment_id)
			return jsondoc_fail(e, at, "%s has no self-assessment against this framework for %lld",
					    d.code, (long long)json_integer_value(y));
	}
	const char *why = policy_adoption_check(&ap->a, today);
	return why ? jsondoc_fail(e, path, "%s", why) : 0;
}

static int rd_item(db_t *db, const struct jsondoc_err *e, const char *path, json_t *v,
		   const struct account_demo_login *logins, size_t nlogins, const char *today,
		   struct item_plan *ip)
{
	char at[JSONDOC_PATH_MAX], stage[16];
	json_t *ads;
	if (rd_obj(e, path, v, item_fields) != 0 ||
	    rd_str(e, path, v, "title", 0, ip->it.title, sizeof ip->it.title) != 0 ||
	    rd_str(e, path, v, "kind", 0, ip->it.kind, sizeof ip->it.kind) != 0 ||
	    rd_str(e, path, v, "version", 1, ip->it.version, sizeof ip->it.version) != 0 ||
	    rd_str(e, path, v, "description", 1, ip->it.description, sizeof ip->it.description) != 0 ||
	    rd_str(e, path, v, "stage", 0, stage, sizeof stage) != 0)
		return -1;
	jsondoc_path(at, "%s.stage", path);
	if (policy_stage_parse(stage, &ip->it.stage) != 0)
		return jsondoc_fail(e, at, "must be development, adopted, implemented or evaluated");
	json_t *st = json_object_get(v, "stages");
	jsondoc_path(at, "%s.stages", path);
	if (!json_is_object(st))
		return jsondoc_fail(e, at, "must be an object of dates by stage");
	const char *k;
	json_t *d;
	json_object_foreach(st, k, d)
	{
		int s;
		if (policy_stage_parse(k, &s) != 0)
			return jsondoc_fail(e, at, "holds a stage that does not exist");
		if (rd_str(e, at, st, k, 0, ip->it.stage_on[s], sizeof ip->it.stage_on[s]) != 0)
			return -1;
	}
	const char *why = policy_item_check(&ip->it, today);
	if (why)
		return jsondoc_fail(e, path, "%s", why);
	if (rd_array(e, path, v, "adoptions", 1, 0, ADOPTIONS_MAX, &ads) != 0)
		return -1;
	ip->nad = ads ? json_array_size(ads) : 0;
	ip->ad = xcalloc(ip->nad + 1, sizeof *ip->ad);
	for (size_t i = 0; i < ip->nad; i++) {
		jsondoc_path(at, "%s.adoptions[%zu]", path, i);
		if (rd_adoption(db, e, at, json_array_get(ads, i), logins, nlogins, today, &ip->ad[i]) != 0)
			return -1;
		for (size_t j = 0; j < i; j++)
			if (ip->ad[j].a.org_id == ip->ad[i].a.org_id)
				return jsondoc_fail(e, at, "the department adopted this item already");
	}
	return 0;
}

static int load_policy(db_t *db, const struct audit_signer *s, const struct jsondoc_err *e,
		       json_t *root, const struct account_demo_login *logins, size_t nlogins,
		       const char *today, struct recs_demo_summary *sum)
{
	int64_t editor;
	json_t *items;
	if (rd_login(db, e, "$", root, "editor", ROLE_COORDINATOR, NULL, logins, nlogins, &editor) != 0 ||
	    rd_array(e, "$", root, "items", 0, 1, ITEMS_MAX, &items) != 0)
		return -1;
	size_t n = json_array_size(items);
	struct item_plan *plans = xcalloc(n, sizeof *plans);
	int rc = 0;
	char at[JSONDOC_PATH_MAX];
	for (size_t i = 0; rc == 0 && i < n; i++) {
		jsondoc_path(at, "items[%zu]", i);
		rc = rd_item(db, e, at, json_array_get(items, i), logins, nlogins, today, &plans[i]);
		for (size_t j = 0; rc == 0 && j < i; j++)
			if (strcmp(plans[j].it.title, plans[i].it.title) == 0)
				rc = jsondoc_fail(e, at, "the title is the title of another item");
	}
	struct recs_error re;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		jsondoc_path(at, "items[%zu]", i);
		if (policy_item_save(db, s, editor, &plans[i].it, today, &re) != 0) {
			rc = jsondoc_fail(e, at, "storing failed: %s", re.msgid ? re.msgid : re.detail);
			break;
		}
		sum->items++;
		for (size_t j = 0; rc == 0 && j < plans[i].nad; j++) {
			plans[i].ad[j].a.policy_id = plans[i].it.id;
			if (policy_adoption_save(db, s, plans[i].ad[j].by, &plans[i].ad[j].a, today, &re) != 0)
				rc = jsondoc_fail(e, at, "storing an adoption failed: %s",
						  re.msgid ? re.msgid : re.detail);
			sum->adoptions++;
			sum->evaluations += *plans[i].ad[j].a.evaluated_on != 0;
		}
	}
	for (size_t i = 0; i < n; i++)
		free(plans[i].ad);
	free(plans);
	return rc;
}

/* ---- the recommendations file ---- */

struct note_plan {
	size_t rec;   /* index into the source's recommendations */
	struct recs_note n;
};

struct source_plan {
	struct recs_source s;
	struct recs_rec *recs;
	size_t nrecs;
	struct note_plan *notes;
	size_t nnotes;
};

/* The policy items' titles as stored now, to resolve "policy". */
struct titles {
	struct policy_item *items;
	size_t n;
	struct arena a;
};

static int rd_note(db_t *db, const struct jsondoc_err *e, const char *path, json_t *v,
		   const char *today, struct recs_note *n)
{
	char code[ORG_CODE_MAX + 1], at[JSONDOC_PATH_MAX];
	json_t *ev;
	if (rd_obj(e, path, v, note_fields) != 0 ||
	    rd_str(e, path, v, "noted_on", 0, n->noted_on, sizeof n->noted_on) != 0 ||
	    rd_str(e, path, v, "department", 1, code, sizeof code) != 0 ||
	    rd_str(e, path, v, "text", 0, n->text, sizeof n->text) != 0 ||
	    rd_array(e, path, v, "evidence", 1, 0, RECS_LINKS_MAX, &ev) != 0)
		return -1;
	if (*code) {
		struct scope_dept d;
		jsondoc_path(at, "%s.department", path);
		if (rd_dept(db, e, at, code, 1, &d) != 0)
			return -1;
		n->org_id = d.id;
	}
	for (size_t i = 0; ev && i < json_array_size(ev); i++) {
		json_t *u = json_array_get(ev, i);
		jsondoc_path(at, "%s.evidence[%zu]", path, i);
		if (!json_is_string(u) || json_string_length(u) > RECS_URL_MAX)
			return jsondoc_fail(e, at, "must be an https:// link of at most 500 bytes");
		snprintf(n->links[n->nlinks++], RECS_URL_MAX + 1, "%s", json_string_value(u));
	}
	const char *why = recs_note_check(n, today);
	return why ? jsondoc_fail(e, path, "%s", why) : 0;
}

static int rd_rec(db_t *db, const struct jsondoc_err *e, const char *path, json_t *v,
		  const struct titles *t, const char *today, struct recs_rec *r)
{
	char at[JSONDOC_PATH_MAX], status[24];
	json_t *to, *pol;
	if (rd_obj(e, path, v, rec_fields) != 0 ||
	    rd_str(e, path, v, "number", 0, r->number, sizeof r->number) != 0 ||
	    rd_str(e, path, v, "text", 0, r->text, sizeof r->text) != 0 ||
	    rd_str(e, path, v, "response", 1, r->response, sizeof r->response) != 0 ||
	    rd_str(e, path, v, "response_on", 1, r->response_on, sizeof r->response_on) != 0 ||
	    rd_str(e, path, v, "status", 1, status, sizeof status) != 0 ||
	    rd_str(e, path, v, "status_on", 1, r->status_on, sizeof r->status_on) != 0 ||
	    rd_str(e, path, v, "report_due", 1, r->report_due, sizeof r->report_due) != 0 ||
	    rd_array(e, path, v, "addressees", 1, 0, RECS_ADDRESSEES_MAX, &to) != 0 ||
	    rd_array(e, path, v, "policy", 1, 0, RECS_POLICIES_MAX, &pol) != 0)
		return -1;
	jsondoc_path(at, "%s.status", path);
	if (*status && recs_status_parse(status, &r->status) != 0)
		return jsondoc_fail(e, at, "must be none, implemented, partly or not_implemented");
	for (size_t i = 0; to && i < json_array_size(to); i++) {
		struct scope_dept d;
		json_t *c = json_array_get(to, i);
		jsondoc_path(at, "%s.addressees[%zu]", path, i);
		if (!json_is_string(c))
			return jsondoc_fail(e, at, "must be a department's code");
		if (rd_dept(db, e, at, json_string_value(c), 1, &d) != 0)
			return -1;
		r->addressees[r->naddressees].id = d.id;
		snprintf(r->addressees[r->naddressees].code, ORG_CODE_MAX + 1, "%s", d.code);
		r->naddressees++;
	}
	for (size_t i = 0; pol && i < json_array_size(pol); i++) {
		const char *title = json_string_value(json_array_get(pol, i));
		int64_t id = 0;
		for (size_t k = 0; title && k < t->n; k++)
			if (strcmp(t->items[k].title, title) == 0)
				id = t->items[k].id;
		jsondoc_path(at, "%s.policy[%zu]", path, i);
		if (!id)
			return jsondoc_fail(e, at, "must be the title of a policy item loaded before");
		r->policies[r->npolicies++].id = id;
	}
	const char *why = recs_rec_check(r, today);
	return why ? jsondoc_fail(e, path, "%s", why) : 0;
}

static int rd_source(db_t *db, const struct jsondoc_err *e, const char *path, json_t *v,
		     const struct titles *t, const char *today, struct source_plan *sp)
{
	char at[JSONDOC_PATH_MAX];
	json_t *recs;
	if (rd_obj(e, path, v, source_fields) != 0 ||
	    rd_str(e, path, v, "kind", 0, sp->s.kind, sizeof sp->s.kind) != 0 ||
	    rd_str(e, path, v, "title", 0, sp->s.title, sizeof sp->s.title) != 0 ||
	    rd_str(e, path, v, "reference", 1, sp->s.reference, sizeof sp->s.reference) != 0 ||
	    rd_str(e, path, v, "issued_on", 0, sp->s.issued_on, sizeof sp->s.issued_on) != 0 ||
	    rd_str(e, path, v, "round", 1, sp->s.round, sizeof sp->s.round) != 0 ||
	    rd_str(e, path, v, "link", 1, sp->s.link, sizeof sp->s.link) != 0)
		return -1;
	const char *why = recs_source_check(&sp->s, today);
	if (why)
		return jsondoc_fail(e, path, "%s", why);
	if (rd_array(e, path, v, "recommendations", 0, 1, RECS_PER_SOURCE, &recs) != 0)
		return -1;
	sp->nrecs = json_array_size(recs);
	sp->recs = xcalloc(sp->nrecs, sizeof *sp->recs);
	sp->notes = xcalloc(sp->nrecs * NOTES_PER_REC + 1, sizeof *sp->notes);
	for (size_t i = 0; i < sp->nrecs; i++) {
		json_t *rv = json_array_get(recs, i), *prog;
		jsondoc_path(at, "%s.recommendations[%zu]", path, i);
		if (rd_rec(db, e, at, rv, t, today, &sp->recs[i]) != 0)
			return -1;
		for (size_t j = 0; j < i; j++)
			if (strcmp(sp->recs[j].number, sp->recs[i].number) == 0)
				return jsondoc_fail(e, at, "the source has a recommendation with this number already");
		if (rd_array(e, at, rv, "progress", 1, 0, NOTES_PER_REC, &prog) != 0)
			return -1;
		for (size_t k = 0; prog && k < json_array_size(prog); k++) {
			char np[JSONDOC_PATH_MAX];
			struct note_plan *n = &sp->notes[sp->nnotes++];
			n->rec = i;
			jsondoc_path(np, "%s.progress[%zu]", at, k);
			if (rd_note(db, e, np, json_array_get(prog, k), today, &n->n) != 0)
				return -1;
		}
	}
	return 0;
}

static int load_recs(db_t *db, const struct audit_signer *s, const struct jsondoc_err *e,
		     json_t *root, const struct account_demo_login *logins, size_t nlogins,
		     const char *today, struct recs_demo_summary *sum)
{
	int64_t editor;
	json_t *srcs;
	struct titles t = {.a = ARENA_INIT};
	struct recs_error re;
	if (rd_login(db, e, "$", root, "editor", ROLE_COORDINATOR, NULL, logins, nlogins, &editor) != 0 ||
	    rd_array(e, "$", root, "sources", 0, 1, SOURCES_MAX, &srcs) != 0)
		return -1;
	if (policy_item_list(db, &t.a, &t.items, &t.n, &re) != 0) {
		arena_free(&t.a);
		return jsondoc_fail(e, "$", "reading the policy items failed");
	}
	size_t n = json_array_size(srcs);
	struct source_plan *plans = xcalloc(n, sizeof *plans);
	int rc = 0;
	char at[JSONDOC_PATH_MAX];
	for (size_t i = 0; rc == 0 && i < n; i++) {
		jsondoc_path(at, "sources[%zu]", i);
		rc = rd_source(db, e, at, json_array_get(srcs, i), &t, today, &plans[i]);
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct source_plan *sp = &plans[i];
		jsondoc_path(at, "sources[%zu]", i);
		if (recs_source_save(db, s, editor, &sp->s, today, &re) != 0) {
			rc = jsondoc_fail(e, at, "storing failed: %s", re.msgid ? re.msgid : re.detail);
			break;
		}
		sum->sources++;
		for (size_t j = 0; rc == 0 && j < sp->nrecs; j++) {
			sp->recs[j].source_id = sp->s.id;
			if (recs_rec_save(db, s, editor, &sp->recs[j], RECS_PART_ALL, today, &re) != 0)
				rc = jsondoc_fail(e, at, "storing recommendation %s failed: %s",
						  sp->recs[j].number, re.msgid ? re.msgid : re.detail);
			sum->recs++;
			sum->with_status += sp->recs[j].status != RECS_STATUS_NONE;
		}
		for (size_t k = 0; rc == 0 && k < sp->nnotes; k++) {
			sp->notes[k].n.rec_id = sp->recs[sp->notes[k].rec].id;
			if (recs_note_add(db, s, editor, &sp->notes[k].n, today, &re) != 0)
				rc = jsondoc_fail(e, at, "storing a progress note failed: %s",
						  re.msgid ? re.msgid : re.detail);
			sum->notes++;
		}
	}
	for (size_t i = 0; i < n; i++) {
		free(plans[i].recs);
		free(plans[i].notes);
	}
	free(plans);
	arena_free(&t.a);
	return rc;
}

int recs_import_demo(db_t *db, const struct audit_signer *signer, const char *text, size_t len,
		     int policy, const struct account_demo_login *logins, size_t nlogins,
		     struct recs_demo_summary *sum, char *err, size_t errlen)
{
	struct jsondoc_err e = {err, errlen};
	char today[DATE_LEN + 1];
	json_t *root = jsondoc_load(&e, text, len, DEMO_MAX_BYTES,
				    policy ? "probity-demo-policy" : "probity-demo-recommendations", 1,
				    policy ? policy_top : recs_top);
	if (!root)
		return -1;
	date_today(today);
	int rc = policy ? load_policy(db, signer, &e, root, logins, nlogins, today, sum)
			: load_recs(db, signer, &e, root, logins, nlogins, today, sum);
	json_decref(root);
	return rc;
}

int recs_import_demo_file(db_t *db, const struct audit_signer *signer, const char *path,
			  int policy, const struct account_demo_login *logins, size_t nlogins,
			  struct recs_demo_summary *sum, char *err, size_t errlen)
{
	char *text;
	size_t len;
	if (file_read_all(path, DEMO_MAX_BYTES, &text, &len, err, errlen) != 0)
		return -1;
	char why[600];
	int rc = recs_import_demo(db, signer, text, len, policy, logins, nlogins, sum, why, sizeof why);
	if (rc != 0)
		snprintf(err, errlen, "%s: %s", path, why);
	free(text);
	return rc;
}
