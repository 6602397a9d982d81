/* demo.c: the demo IPIM of `probity demo` (demo.h): reading and checking
 * the file, then writing each record through the store as the account that
 * would have made it.
 *
 * Format (UTF-8 JSON, at most 256 KiB; unknown fields and duplicate keys
 * refused):
 *
 *   {"format": "probity-demo-ipim", "version": 1, "description": "...",
 *    "editor": USER,                  a demo login: IPIM member or coordinator
 *    "meetings": [MEETING],           0 to 20
 *    "practices": [PRACTICE]}         0 to 100
 *   MEETING = {"held_on": DATE, "title": TEXT, "place": TEXT,
 *              "minutes": TEXT (optional), "items": [ITEM]}      0 to 20
 *   ITEM = {"title": TEXT, "note": TEXT (optional),
 *           "recommendations": [{"source": TITLE, "number": TEXT}],
 *           "policy": [TITLE],        titles of the demo policy items
 *           "decisions": [DECISION]}  (all three optional)
 *   DECISION = {"text": TEXT, "owner": TEXT, "due_on": DATE (optional),
 *               "status": open|done}
 *   PRACTICE = {"department": CODE, "by": USER (its integrity coordinator),
 *               "theme": values|interests|information|relations|abroad|
 *                        prevention,
 *               "title": TEXT, "description": TEXT, "contact": ROLE,
 *               "practised_on": DATE}
 *
 * Every record must pass the model's rules (ipim_*_check) with today's
 * date; a broken one is reported with its JSON path and the rule's English
 * message. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "accounts/scope.h"
#include "base/alloc.h"
#include "base/arena.h"
#include "base/date.h"
#include "base/file.h"
#include "base/jsondoc.h"
#include "ipim/demo.h"
#include "ipim/ipim.h"
#include "recs/policy.h"
#include "recs/recs.h"

#define DEMO_MAX_BYTES (256 * 1024)
#define MEETINGS_MAX 20
#define ITEMS_MAX 20
#define PRACTICES_MAX 100

static const char *const top[] = {"format", "version", "description", "editor", "meetings",
				  "practices", NULL};
static const char *const meeting_fields[] = {"held_on", "title", "place", "minutes", "items", NULL};
static const char *const item_fields[] = {"title", "note", "recommendations", "policy",
					  "decisions", NULL};
static const char *const rec_fields[] = {"source", "number", NULL};
static const char *const decision_fields[] = {"text", "owner", "due_on", "status", NULL};
static const char *const practice_fields[] = {"department", "by", "theme", "title", "description",
					      "contact", "practised_on", NULL};

static int rd_obj(const struct jsondoc_err *e, const char *path, json_t *v,
		  const char *const *fields)
{
	if (!json_is_object(v))
		return jsondoc_fail(e, path, "must be an object");
	return jsondoc_only_fields(e, path, v, fields);
}

/* The string at key (absent: "" when optional) into dst (cap bytes): never
 * cut, refused instead. */
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

static int rd_array(const struct jsondoc_err *e, const char *path, json_t *obj, const char *key,
		    size_t max, json_t **out)
{
	char at[JSONDOC_PATH_MAX];
	json_t *v = json_object_get(obj, key);
	jsondoc_path(at, "%s.%s", path, key);
	*out = v;
	if (!v)
		return 0;
	if (!json_is_array(v) || json_array_size(v) > max)
		return jsondoc_fail(e, at, "must list at most %zu entries", max);
	return 0;
}

/* A demo login holding one of roles (NULL org: anywhere); its account id. */
static int rd_login(db_t *db, const struct jsondoc_err *e, const char *path, json_t *obj,
		    const char *key, unsigned roles, const char *org,
		    const struct account_demo_login *logins, size_t nlogins, int64_t *id)
{
	char at[JSONDOC_PATH_MAX], name[ACCOUNT_USERNAME_MAX + 1];
	if (rd_str(e, path, obj, key, 0, name, sizeof name) != 0)
		return -1;
	jsondoc_path(at, "%s.%s", path, key);
	for (size_t i = 0; i < nlogins; i++) {
		if (strcmp(logins[i].username, name) != 0)
			continue;
		if (!(role_mask(logins[i].role) & roles) ||
		    (org && strcasecmp(logins[i].org_code, org) != 0))
			return jsondoc_fail(e, at, "%s may not do this%s%s", name, org ? " for " : "",
					    org ? org : "");
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

/* What the agenda may name: the demo's recommendations and policy items. */
struct known {
	struct arena a;
	struct recs_source *src;
	size_t nsrc;
	struct recs_rec *rec;
	size_t nrec;
	struct policy_item *pol;
	size_t npol;
};

struct item_plan {
	struct ipim_item it;
	struct ipim_decision *d;
	size_t nd;
};

struct meeting_plan {
	struct ipim_meeting m;
	struct item_plan *items;
	size_t nitems;
};

struct practice_plan {
	struct ipim_practice p;
	int64_t by;
};

static int rd_links(const struct jsondoc_err *e, const char *path, json_t *v,
		    const struct known *k, struct ipim_item *it)
{
	char at[JSONDOC_PATH_MAX], title[RECS_TITLE_MAX + 1], number[RECS_NUMBER_MAX + 1];
	json_t *recs, *pols;
	if (rd_array(e, path, v, "recommendations", IPIM_LINKS_MAX, &recs) != 0 ||
	    rd_array(e, path, v, "policy", IPIM_LINKS_MAX, &pols) != 0)
		return -1;
	for (size_t i = 0; recs && i < json_array_size(recs); i++) {
		json_t *r = json_array_get(recs, i);
		jsondoc_path(at, "%s.recommendations[%zu]", path, i);
		if (rd_obj(e, at, r, rec_fields) != 0 ||
		    rd_str(e, at, r, "source", 0, title, sizeof title) != 0 ||
		    rd_str(e, at, r, "number", 0, number, sizeof number) != 0)
			return -1;
		int64_t id = 0;
		for (size_t s = 0; s < k->nsrc && !id; s++) {
			if (strcmp(k->src[s].title, title) != 0)
				continue;
			for (size_t j = 0; j < k->nrec; j++)
				if (k->rec[j].source_id == k->src[s].id &&
				    strcmp(k->rec[j].number, number) == 0)
					id = k->rec[j].id;
		}
		if (!id)
			return jsondoc_fail(e, at, "no such recommendation among the demo's");
		it->recs[it->nrecs++].id = id;
	}
	for (size_t i = 0; pols && i < json_array_size(pols); i++) {
		json_t *p = json_array_get(pols, i);
		jsondoc_path(at, "%s.policy[%zu]", path, i);
		if (!json_is_string(p))
			return jsondoc_fail(e, at, "must be a policy item's title");
		int64_t id = 0;
		for (size_t j = 0; j < k->npol; j++)
			if (strcmp(k->pol[j].title, json_string_value(p)) == 0)
				id = k->pol[j].id;
		if (!id)
			return jsondoc_fail(e, at, "no such policy item among the demo's");
		it->policies[it->npolicies++].id = id;
	}
	return 0;
}

static int rd_item(const struct jsondoc_err *e, const char *path, json_t *v,
		   const struct known *k, struct item_plan *ip)
{
	char at[JSONDOC_PATH_MAX], status[8];
	json_t *ds;
	if (rd_obj(e, path, v, item_fields) != 0 ||
	    rd_str(e, path, v, "title", 0, ip->it.title, sizeof ip->it.title) != 0 ||
	    rd_str(e, path, v, "note", 1, ip->it.note, sizeof ip->it.note) != 0 ||
	    rd_links(e, path, v, k, &ip->it) != 0)
		return -1;
	const char *why = ipim_item_check(&ip->it);
	if (why)
		return jsondoc_fail(e, path, "%s", why);
	if (rd_array(e, path, v, "decisions", IPIM_DECISIONS_MAX, &ds) != 0)
		return -1;
	ip->nd = ds ? json_array_size(ds) : 0;
	ip->d = xcalloc(ip->nd + 1, sizeof *ip->d);
	for (size_t i = 0; i < ip->nd; i++) {
		json_t *d = json_array_get(ds, i);
		struct ipim_decision *dp = &ip->d[i];
		jsondoc_path(at, "%s.decisions[%zu]", path, i);
		if (rd_obj(e, at, d, decision_fields) != 0 ||
		    rd_str(e, at, d, "text", 0, dp->text, sizeof dp->text) != 0 ||
		    rd_str(e, at, d, "owner", 0, dp->owner, sizeof dp->owner) != 0 ||
		    rd_str(e, at, d, "due_on", 1, dp->due_on, sizeof dp->due_on) != 0 ||
		    rd_str(e, at, d, "status", 0, status, sizeof status) != 0)
			return -1;
		if (ipim_status_parse(status, &dp->status) != 0)
			return jsondoc_fail(e, at, "status must be open or done");
		if ((why = ipim_decision_check(dp)) != NULL)
			return jsondoc_fail(e, at, "%s", why);
	}
	return 0;
}

static int rd_meeting(const struct jsondoc_err *e, const char *path, json_t *v,
		      const struct known *k, struct meeting_plan *mp)
{
	char at[JSONDOC_PATH_MAX];
	json_t *items;
	if (rd_obj(e, path, v, meeting_fields) != 0 ||
	    rd_str(e, path, v, "held_on", 0, mp->m.held_on, sizeof mp->m.held_on) != 0 ||
	    rd_str(e, path, v, "title", 0, mp->m.title, sizeof mp->m.title) != 0 ||
	    rd_str(e, path, v, "place", 0, mp->m.place, sizeof mp->m.place) != 0 ||
	    rd_str(e, path, v, "minutes", 1, mp->m.minutes, sizeof mp->m.minutes) != 0)
		return -1;
	const char *why = ipim_meeting_check(&mp->m);
	if (why)
		return jsondoc_fail(e, path, "%s", why);
	if (rd_array(e, path, v, "items", ITEMS_MAX, &items) != 0)
		return -1;
	mp->nitems = items ? json_array_size(items) : 0;
	mp->items = xcalloc(mp->nitems + 1, sizeof *mp->items);
	for (size_t i = 0; i < mp->nitems; i++) {
		jsondoc_path(at, "%s.items[%zu]", path, i);
		if (rd_item(e, at, json_array_get(items, i), k, &mp->items[i]) != 0)
			return -1;
	}
	return 0;
}

static int rd_practice(db_t *db, const struct jsondoc_err *e, const char *path, json_t *v,
		       const struct account_demo_login *logins, size_t nlogins, const char *today,
		       struct practice_plan *pp)
{
	char code[ORG_CODE_MAX + 1], at[JSONDOC_PATH_MAX];
	struct scope_dept d;
	if (rd_obj(e, path, v, practice_fields) != 0 ||
	    rd_str(e, path, v, "department", 0, code, sizeof code) != 0)
		return -1;
	jsondoc_path(at, "%s.department", path);
	int rc = scope_department_by_code(db, code, &d);
	if (rc < 0)
		return jsondoc_fail(e, at, "the database failed");
	if (rc) {
		char shown[JSONDOC_CLEAN_MAX + 1];
		return jsondoc_fail(e, at, "%s is not an open department",
				    jsondoc_clean(code, strlen(code), shown, JSONDOC_CLEAN_MAX));
	}
	if (rd_login(db, e, path, v, "by", role_mask(ROLE_INTEGRITY_COORDINATOR), d.code, logins,
		     nlogins, &pp->by) != 0 ||
	    rd_str(e, path, v, "theme", 0, pp->p.theme, sizeof pp->p.theme) != 0 ||
	    rd_str(e, path, v, "title", 0, pp->p.title, sizeof pp->p.title) != 0 ||
	    rd_str(e, path, v, "description", 0, pp->p.description, sizeof pp->p.description) != 0 ||
	    rd_str(e, path, v, "contact", 0, pp->p.contact, sizeof pp->p.contact) != 0 ||
	    rd_str(e, path, v, "practised_on", 0, pp->p.practised_on, sizeof pp->p.practised_on) != 0)
		return -1;
	pp->p.org_id = d.id;
	const char *why = ipim_practice_check(&pp->p, today);
	return why ? jsondoc_fail(e, path, "%s", why) : 0;
}

static int load(db_t *db, const struct audit_signer *signer, const struct jsondoc_err *e,
		json_t *root, const struct account_demo_login *logins, size_t nlogins,
		const char *today, struct ipim_demo_summary *sum)
{
	struct known k = {0};
	struct recs_error re;
	struct ipim_error ie;
	struct meeting_plan *mp = NULL;
	struct practice_plan *pp = NULL;
	size_t nm = 0, np = 0;
	int64_t editor;
	json_t *ms, *ps;
	char at[JSONDOC_PATH_MAX];
	int rc = -1;
	if (recs_source_list(db, &k.a, &k.src, &k.nsrc, &re) != 0 ||
	    recs_rec_list(db, &k.a, 0, &k.rec, &k.nrec, &re) != 0 ||
	    policy_item_list(db, &k.a, &k.pol, &k.npol, &re) != 0) {
		jsondoc_fail(e, "$", "the database failed: %s", re.detail);
		goto out;
	}
	if (rd_login(db, e, "$", root, "editor",
		     role_mask(ROLE_IPIM_MEMBER) | role_mask(ROLE_COORDINATOR), NULL, logins,
		     nlogins, &editor) != 0 ||
	    rd_array(e, "$", root, "meetings", MEETINGS_MAX, &ms) != 0 ||
	    rd_array(e, "$", root, "practices", PRACTICES_MAX, &ps) != 0)
		goto out;
	nm = ms ? json_array_size(ms) : 0;
	np = ps ? json_array_size(ps) : 0;
	mp = xcalloc(nm + 1, sizeof *mp);
	pp = xcalloc(np + 1, sizeof *pp);
	for (size_t i = 0; i < nm; i++) {
		jsondoc_path(at, "$.meetings[%zu]", i);
		if (rd_meeting(e, at, json_array_get(ms, i), &k, &mp[i]) != 0)
			goto out;
	}
	for (size_t i = 0; i < np; i++) {
		jsondoc_path(at, "$.practices[%zu]", i);
		if (rd_practice(db, e, at, json_array_get(ps, i), logins, nlogins, today, &pp[i]) != 0)
			goto out;
	}
	/* everything checked: write */
	for (size_t i = 0; i < nm; i++) {
		jsondoc_path(at, "$.meetings[%zu]", i);
		if (ipim_meeting_save(db, signer, editor, &mp[i].m, today, &ie) != 0)
			goto fail;
		sum->meetings++;
		for (size_t j = 0; j < mp[i].nitems; j++) {
			struct item_plan *ip = &mp[i].items[j];
			ip->it.meeting_id = mp[i].m.id;
			if (ipim_item_save(db, signer, editor, &ip->it, &ie) != 0)
				goto fail;
			sum->items++;
			sum->links += ip->it.nrecs + ip->it.npolicies;
			for (size_t d = 0; d < ip->nd; d++) {
				ip->d[d].item_id = ip->it.id;
				if (ipim_decision_save(db, signer, editor, &ip->d[d], &ie) != 0)
					goto fail;
				sum->decisions++;
			}
		}
	}
	for (size_t i = 0; i < np; i++) {
		jsondoc_path(at, "$.practices[%zu]", i);
		if (ipim_practice_save(db, signer, pp[i].by, &pp[i].p, today, &ie) != 0)
			goto fail;
		sum->practices++;
	}
	rc = 0;
	goto out;
fail:
	jsondoc_fail(e, at, "%s", ie.code == IPIM_EDB ? ie.detail : ie.msgid ? ie.msgid : "refused");
out:
	for (size_t i = 0; mp && i < nm; i++) {
		for (size_t j = 0; mp[i].items && j < mp[i].nitems; j++)
			free(mp[i].items[j].d);
		free(mp[i].items);
	}
	free(mp);
	free(pp);
	arena_free(&k.a);
	return rc;
}

int ipim_import_demo(db_t *db, const struct audit_signer *signer, const char *text, size_t len,
		     const struct account_demo_login *logins, size_t nlogins,
		     struct ipim_demo_summary *sum, char *err, size_t errlen)
{
	struct jsondoc_err e = {err, errlen};
	char today[DATE_LEN + 1];
	json_t *root = jsondoc_load(&e, text, len, DEMO_MAX_BYTES, "probity-demo-ipim", 1, top);
	if (!root)
		return -1;
	date_today(today);
	int rc = load(db, signer, &e, root, logins, nlogins, today, sum);
	json_decref(root);
	return rc;
}

int ipim_import_demo_file(db_t *db, const struct audit_signer *signer, const char *path,
			  const struct account_demo_login *logins, size_t nlogins,
			  struct ipim_demo_summary *sum, char *err, size_t errlen)
{
	char *text;
	size_t len;
	if (file_read_all(path, DEMO_MAX_BYTES, &text, &len, err, errlen) != 0)
		return -1;
	char why[600];
	int rc = ipim_import_demo(db, signer, text, len, logins, nlogins, sum, why, sizeof why);
	if (rc != 0)
		snprintf(err, errlen, "%s: %s", path, why);
	free(text);
	return rc;
}
