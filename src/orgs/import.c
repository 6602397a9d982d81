/* import.c: reads an organisations data file (data/demo/organisations.json) and
 * loads it into a database that holds no organisations yet.
 *
 * Format (UTF-8 JSON, at most 1 MiB; unknown fields and duplicate keys are
 * refused, so that a misspelt field never goes silently unused):
 *
 *   {
 *     "format": "probity-organisations",        required, exactly this
 *     "version": 1,                              required, exactly 1
 *     "description": "...",                      optional, for people; ignored
 *     "organisations": [ ORG, ... ],             required, at most 5000
 *     "events": [ EVENT, ... ]                   optional, at most 1000
 *   }
 *
 *   ORG   = {"code": CODE, "name": NAME, "kind": "government"|"department"|"unit",
 *            "parent": CODE, "from": DATE, "outside_scope": true|false}
 *           parent: required for a department (its government) and a unit (its
 *           department or unit), absent for a government. outside_scope:
 *           optional, default false; only a department sets it, units inherit it.
 *   EVENT = {"type": "add", "on": DATE, then the fields of ORG except "from"}
 *         | {"type": "rename", "on": DATE, "code": CODE, "to": CODE, "name": NAME}
 *           name optional: keeps the old name
 *         | {"type": "split", "on": DATE, "code": CODE,
 *            "into": [{"code": CODE, "name": NAME}, ...],    2 to 16
 *            "move": {"UNIT": "SUCCESSOR", ...}}              every current unit
 *           a successor may keep the split organisation's code, and then may
 *           leave out its name
 *         | {"type": "merge", "on": DATE, "codes": [CODE, CODE, ...],   2 to 16
 *            "into": {"code": CODE, "name": NAME}}
 *           name optional when the successor keeps one of the merged codes
 *   CODE  = 1-24 letters, digits and hyphens; NAME = 1-200 bytes, no control
 *           characters; DATE = YYYY-MM-DD.
 *
 * The organisations are added in the order given (parents first), then the
 * events are applied in order, all in one transaction with an audit entry per
 * change, by the same rules as the `probity org` commands. */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/file.h"
#include "base/arena.h"
#include "base/jsondoc.h"
#include "orgs/orgs.h"

#define FORMAT_NAME "probity-organisations"
#define DESCRIPTION_MAX 4000

/* The shared frame (base/jsondoc.h), spelled for this reader's parser. */
#define perr(ps, path, ...) jsondoc_fail(&(ps)->e, (path), __VA_ARGS__)
#define only_fields(ps, path, obj, allowed) jsondoc_only_fields(&(ps)->e, (path), (obj), (allowed))
#define subpath jsondoc_path
#define PATH_MAX_LEN JSONDOC_PATH_MAX
#define clean(s, n, q) jsondoc_clean((s), (n), (q), JSONDOC_CLEAN_MAX)

struct parser {
	struct arena *a;
	struct jsondoc_err e;   /* where the one error goes */
};

/* Gets string field key of obj into *out (arena copy); *out stays NULL when the
 * field is absent and !required. */
static int get_string(struct parser *ps, const char *path, json_t *obj, const char *key,
		      int required, const char **out)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v) {
		if (required)
			return perr(ps, path, "lacks the field \"%s\"", key);
		return 0;
	}
	if (!json_is_string(v))
		return perr(ps, path, "\"%s\" must be a string", key);
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (strlen(s) != n)
		return perr(ps, path, "\"%s\" contains a NUL character", key);
	*out = arena_strndup(ps->a, s, n);
	return 0;
}

/* The check functions of the model, with the field's place in messages. */
static int field_ok(struct parser *ps, const char *path, const char *key, const char *s,
		    int (*check)(const char *, const char *, struct org_error *))
{
	struct org_error e;
	if (!s || check(key, s, &e) == 0)
		return 0;
	return perr(ps, path, "%s", e.msg);
}

static int get_code(struct parser *ps, const char *path, json_t *obj, const char *key,
		    int required, const char **out)
{
	if (get_string(ps, path, obj, key, required, out) ||
	    field_ok(ps, path, key, *out, org_check_code))
		return -1;
	return 0;
}

static int get_name(struct parser *ps, const char *path, json_t *obj, const char *key,
		    int required, const char **out)
{
	if (get_string(ps, path, obj, key, required, out) ||
	    field_ok(ps, path, key, *out, org_check_name))
		return -1;
	return 0;
}

static int get_date(struct parser *ps, const char *path, json_t *obj, const char *key,
		    const char **out)
{
	if (get_string(ps, path, obj, key, 1, out) || field_ok(ps, path, key, *out, org_check_date))
		return -1;
	return 0;
}

/* Fills the add change c from an ORG (date_key "from") or an add EVENT ("on"). */
static int parse_add(struct parser *ps, const char *path, json_t *obj, const char *date_key,
		     struct org_change *c)
{
	const char *kind;
	c->op = ORG_OP_ADD;
	c->scope = -1;
	if (get_code(ps, path, obj, "code", 1, &c->code) ||
	    get_name(ps, path, obj, "name", 1, &c->name) ||
	    get_string(ps, path, obj, "kind", 1, &kind) ||
	    get_code(ps, path, obj, "parent", 0, &c->parent) ||
	    get_date(ps, path, obj, date_key, &c->on))
		return -1;
	enum org_kind k;
	if (org_kind_parse(kind, &k) != 0)
		return perr(ps, path, "\"kind\" must be \"government\", \"department\" or \"unit\"");
	c->kind = (int)k;
	json_t *scope = json_object_get(obj, "outside_scope");
	if (scope) {
		if (!json_is_boolean(scope))
			return perr(ps, path, "\"outside_scope\" must be true or false");
		c->scope = json_is_true(scope);
	}
	return 0;
}

static int parse_org(struct parser *ps, const char *path, json_t *obj, struct org_change *c)
{
	static const char *const fields[] = {"code", "name", "kind", "parent", "from",
					     "outside_scope", NULL};
	if (!json_is_object(obj))
		return perr(ps, path, "must be an object");
	if (only_fields(ps, path, obj, fields) || parse_add(ps, path, obj, "from", c))
		return -1;
	return 0;
}

/* A successor {"code": ..., "name": ...}; name optional. */
static int parse_successor(struct parser *ps, const char *path, json_t *obj,
			   struct org_successor *s)
{
	static const char *const fields[] = {"code", "name", NULL};
	if (!json_is_object(obj))
		return perr(ps, path, "must be an object with \"code\" and \"name\"");
	if (only_fields(ps, path, obj, fields) || get_code(ps, path, obj, "code", 1, &s->code) ||
	    get_name(ps, path, obj, "name", 0, &s->name))
		return -1;
	return 0;
}

static int parse_split(struct parser *ps, const char *path, json_t *obj, struct org_change *c)
{
	static const char *const fields[] = {"type", "on", "code", "into", "move", NULL};
	char sub[PATH_MAX_LEN];
	if (only_fields(ps, path, obj, fields) || get_code(ps, path, obj, "code", 1, &c->code))
		return -1;
	json_t *into = json_object_get(obj, "into"), *move = json_object_get(obj, "move");
	if (!into || !json_is_array(into))
		return perr(ps, path, "\"into\" must be a list of successors");
	size_t n = json_array_size(into);
	if (n > ORG_MAX_SUCCESSORS)
		return perr(ps, path, "\"into\" lists more than %d successors", ORG_MAX_SUCCESSORS);
	struct org_successor *s = arena_alloc(ps->a, (n + 1) * sizeof *s);
	for (size_t i = 0; i < n; i++) {
		subpath(sub, "%s.into[%zu]", path, i);
		if (parse_successor(ps, sub, json_array_get(into, i), &s[i]))
			return -1;
	}
	c->into = s;
	c->ninto = n;
	if (!move)
		return 0;
	if (!json_is_object(move))
		return perr(ps, path, "\"move\" must be an object of \"UNIT\": \"SUCCESSOR\"");
	n = json_object_size(move);
	if (n > ORG_MAX_MOVES)
		return perr(ps, path, "\"move\" assigns more than %d units", ORG_MAX_MOVES);
	struct org_move *m = arena_alloc(ps->a, (n + 1) * sizeof *m);
	size_t k = 0;
	const char *key;
	json_t *v;
	json_object_foreach(move, key, v) {
		struct org_error e;
		subpath(sub, "%s.move", path);
		if (org_check_code("unit code", key, &e) != 0)
			return perr(ps, sub, "%s", e.msg);
		subpath(sub, "%s.move.%s", path, key);
		if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
			return perr(ps, sub, "must be the code of a successor");
		if (org_check_code("successor code", json_string_value(v), &e) != 0)
			return perr(ps, sub, "%s", e.msg);
		m[k].unit = arena_strdup(ps->a, key);
		m[k].to = arena_strdup(ps->a, json_string_value(v));
		k++;
	}
	c->moves = m;
	c->nmoves = k;
	return 0;
}

static int parse_merge(struct parser *ps, const char *path, json_t *obj, struct org_change *c)
{
	static const char *const fields[] = {"type", "on", "codes", "into", NULL};
	char sub[PATH_MAX_LEN];
	if (only_fields(ps, path, obj, fields))
		return -1;
	json_t *codes = json_object_get(obj, "codes");
	if (!codes || !json_is_array(codes))
		return perr(ps, path, "\"codes\" must be a list of the codes merged");
	size_t n = json_array_size(codes);
	if (n > ORG_MAX_MERGE)
		return perr(ps, path, "\"codes\" lists more than %d organisations", ORG_MAX_MERGE);
	const char **preds = arena_alloc(ps->a, (n + 1) * sizeof *preds);
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_array_get(codes, i);
		struct org_error e;
		subpath(sub, "%s.codes[%zu]", path, i);
		if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
			return perr(ps, sub, "must be a code");
		if (org_check_code("code", json_string_value(v), &e) != 0)
			return perr(ps, sub, "%s", e.msg);
		preds[i] = arena_strdup(ps->a, json_string_value(v));
	}
	c->preds = preds;
	c->npreds = n;
	json_t *into = json_object_get(obj, "into");
	if (!into)
		return perr(ps, path, "lacks the field \"into\"");
	struct org_successor *s = arena_alloc(ps->a, sizeof *s);
	subpath(sub, "%s.into", path);
	if (parse_successor(ps, sub, into, s))
		return -1;
	c->into = s;
	c->ninto = 1;
	return 0;
}

static int parse_event(struct parser *ps, const char *path, json_t *obj, struct org_change *c)
{
	const char *type;
	if (!json_is_object(obj))
		return perr(ps, path, "must be an object");
	if (get_string(ps, path, obj, "type", 1, &type) || !type)
		return -1;
	if (strcmp(type, "add") == 0) {
		static const char *const fields[] = {"type", "on", "code", "name", "kind", "parent",
						     "outside_scope", NULL};
		if (only_fields(ps, path, obj, fields) || parse_add(ps, path, obj, "on", c))
			return -1;
		return 0;
	}
	if (get_date(ps, path, obj, "on", &c->on))
		return -1;
	c->kind = -1;
	c->scope = -1;
	if (strcmp(type, "rename") == 0) {
		static const char *const fields[] = {"type", "on", "code", "to", "name", NULL};
		struct org_successor *s = arena_alloc(ps->a, sizeof *s);
		c->op = ORG_OP_RENAME;
		c->into = s;
		c->ninto = 1;
		if (only_fields(ps, path, obj, fields) ||
		    get_code(ps, path, obj, "code", 1, &c->code) ||
		    get_code(ps, path, obj, "to", 1, &s->code) ||
		    get_name(ps, path, obj, "name", 0, &s->name))
			return -1;
		return 0;
	}
	if (strcmp(type, "split") == 0) {
		c->op = ORG_OP_SPLIT;
		return parse_split(ps, path, obj, c);
	}
	if (strcmp(type, "merge") == 0) {
		c->op = ORG_OP_MERGE;
		return parse_merge(ps, path, obj, c);
	}
	char q[72];
	return perr(ps, path, "unknown type \"%s\": use add, rename, split or merge",
		    clean(type, strlen(type), q));
}

/* "events[2] (split of EZK)": where a change came from, for messages. */
static const char *describe(struct arena *a, const char *path, const struct org_change *c)
{
	static const char *const verb[] = {"", "add", "rename", "split", "merge"};
	const char *code = c->op == ORG_OP_MERGE ? (c->ninto ? c->into[0].code : "") : c->code;
	return arena_printf(a, "%s (%s %s)", path, verb[c->op], code ? code : "");
}

void orgs_file_free(struct orgs_file *f)
{
	if (f->mem) {
		arena_free(f->mem);
		free(f->mem);
	}
	memset(f, 0, sizeof *f);
}

int orgs_parse_json(const char *text, size_t len, struct orgs_file *out, char *err,
		    size_t errlen)
{
	static const char *const top[] = {"format", "version", "description", "organisations",
					  "events", NULL};
	struct parser ps = {.e = {err, errlen}};
	json_t *root = NULL;
	char path[PATH_MAX_LEN];
	memset(out, 0, sizeof *out);
	root = jsondoc_load(&ps.e, text, len, ORGS_FILE_MAX_BYTES, FORMAT_NAME, 1, top);
	if (!root)
		return -1;
	out->mem = xcalloc(1, sizeof(struct arena));
	ps.a = out->mem;
	json_t *v;
	v = json_object_get(root, "description");
	if (v && (!json_is_string(v) || json_string_length(v) > DESCRIPTION_MAX)) {
		perr(&ps, "description", "must be a string of at most %d bytes", DESCRIPTION_MAX);
		goto fail;
	}
	json_t *orgs = json_object_get(root, "organisations");
	json_t *events = json_object_get(root, "events");
	if (!orgs || !json_is_array(orgs)) {
		perr(&ps, "organisations", "must be a list");
		goto fail;
	}
	if (events && !json_is_array(events)) {
		perr(&ps, "events", "must be a list");
		goto fail;
	}
	size_t norgs = json_array_size(orgs), nevents = events ? json_array_size(events) : 0;
	if (norgs > ORGS_FILE_MAX_ORGS) {
		perr(&ps, "organisations", "more than %d entries", ORGS_FILE_MAX_ORGS);
		goto fail;
	}
	if (nevents > ORGS_FILE_MAX_EVENTS) {
		perr(&ps, "events", "more than %d entries", ORGS_FILE_MAX_EVENTS);
		goto fail;
	}
	out->changes = arena_alloc(ps.a, (norgs + nevents + 1) * sizeof *out->changes);
	out->where = arena_alloc(ps.a, (norgs + nevents + 1) * sizeof *out->where);
	for (size_t i = 0; i < norgs + nevents; i++) {
		struct org_change *c = &out->changes[i];
		if (i < norgs) {
			snprintf(path, sizeof path, "organisations[%zu]", i);
			if (parse_org(&ps, path, json_array_get(orgs, i), c))
				goto fail;
		} else {
			snprintf(path, sizeof path, "events[%zu]", i - norgs);
			if (parse_event(&ps, path, json_array_get(events, i - norgs), c))
				goto fail;
		}
		out->where[i] = describe(ps.a, path, c);
	}
	out->nchanges = norgs + nevents;
	out->norgs = norgs;
	out->nevents = nevents;
	json_decref(root);
	return 0;
fail:
	json_decref(root);
	orgs_file_free(out);
	return -1;
}

int orgs_import_file(db_t *db, const struct audit_signer *signer, const char *actor,
		     const char *path, char *err, size_t errlen)
{
	struct orgs_file f;
	struct org_table t;
	char *text = NULL, perr_msg[800];
	size_t len;
	int64_t existing;
	memset(&f, 0, sizeof f);
	org_table_init(&t);
	if (file_read_all(path, ORGS_FILE_MAX_BYTES, &text, &len, err, errlen) != 0)
		return -1;
	if (orgs_parse_json(text, len, &f, perr_msg, sizeof perr_msg) != 0) {
		snprintf(err, errlen, "%s: %s", path, perr_msg);
		free(text);
		return -1;
	}
	free(text);
	if (db_begin(db) != 0)
		goto dbfail;
	if (db_query_i64(db, "SELECT count(*) FROM org", NULL, &existing) != 0)
		goto dbfail;
	if (existing > 0) {
		snprintf(err, errlen, "the database already holds %lld organisation rows; %s can be "
			 "loaded only into a database without organisations", (long long)existing,
			 path);
		goto fail;
	}
	if (orgs_load(db, &t) != 0)
		goto dbfail;
	for (size_t i = 0; i < f.nchanges; i++) {
		struct org_error e;
		if (orgs_apply(db, signer, actor, &t, &f.changes[i], NULL, NULL, &e) != 0) {
			snprintf(err, errlen, "%s: %s: %s%s", path, f.where[i],
				 e.cls == ORG_EDB ? "database error: " : "", e.msg);
			goto fail;
		}
	}
	/* the record of where the bulk came from; each change has its own entry */
	const char *base = strrchr(path, '/');
	char name[72], detail[160];
	base = base ? base + 1 : path;
	snprintf(detail, sizeof detail, "%s: %zu organisations, %zu events",
		 clean(base, strlen(base), name), f.norgs, f.nevents);
	struct audit_entry ae = {.actor = actor, .action = "org.import", .object_type = "org",
				 .detail = detail};
	if (audit_append(db, signer, &ae) != 0 || db_commit(db) != 0)
		goto dbfail;
	org_table_free(&t);
	orgs_file_free(&f);
	return 0;
dbfail:
	snprintf(err, errlen, "%s: database error: %s", path, db_error(db)->msg);
fail:
	db_rollback(db);
	org_table_free(&t);
	orgs_file_free(&f);
	return -1;
}
