/* taxonomy.c: reads the violation taxonomy (data/taxonomies/) and the list
 * of measures (data/measures/), and maps category codes between revisions.
 * Pure: no I/O. Both readers use the frame of protocol.c (cases_rd_*).
 *
 * Taxonomy (UTF-8 JSON, at most 128 KiB, unknown fields and duplicate keys
 * refused):
 *
 *   {
 *     "format": "probity-taxonomy", "version": 1,
 *     "id": ID,                           e.g. "schendingen"
 *     "revision": N,                      1-9999
 *     "example": BOOL,                    optional, default false: true for a
 *                                         revision that only illustrates a change
 *                                         and is never used for new cases
 *     "title": TEXT, "description": TEXT, description optional (4000 bytes)
 *     "categories": [CATEGORY, ...],      1 to 100, codes unique
 *     "maps_from": MAPS                   required for, and only for, revision > 1
 *   }
 *   CATEGORY = {"code": ID, "title": TEXT, "description": TEXT}
 *              title at most 200 bytes, description 2000
 *   MAPS     = {"revision": N, "codes": [{"from": ID, "to": [ID, ...]}, ...]}
 *              revision: exactly this revision - 1. codes: 1 to 100 entries,
 *              "from" unique (a code of that revision: checked against it when
 *              the set is loaded, cases_taxonomy_link), "to" 1 to 20 distinct
 *              codes of THIS revision.
 *
 * Measures (UTF-8 JSON, at most 128 KiB):
 *
 *   {
 *     "format": "probity-measures", "version": 1,
 *     "id": ID, "revision": N, "title": TEXT, "description": TEXT (optional),
 *     "measures": [MEASURE, ...]          1 to 50, codes unique
 *   }
 *   MEASURE = {"code": ID, "kind": "order_measure" | "penalty" | "other",
 *              "title": TEXT, "description": TEXT, "hearing_required": BOOL}
 *              description optional (2000 bytes); hearing_required required,
 *              and true for every penalty (CAO Rijk: before any penalty the
 *              employee may give their side).
 *
 *   TEXT and ID as in protocol.c.
 */
#include "cases/taxonomy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

#define perr(r, path, ...) jsondoc_fail(&(r)->e, (path), __VA_ARGS__)
#define subpath jsondoc_path
#define PATH_LEN JSONDOC_PATH_MAX
#define QLEN (JSONDOC_CLEAN_MAX + 1)

static void free_mem(void *mem)
{
	if (mem) {
		arena_free(mem);
		free(mem);
	}
}

/* ---- taxonomy ---- */

void cases_taxonomy_free(struct cases_taxonomy *t)
{
	free_mem(t->mem);
	memset(t, 0, sizeof *t);
}

static int category_index(const struct cases_taxonomy *t, const char *code)
{
	for (size_t i = 0; code && i < t->ncategories; i++)
		if (strcmp(t->categories[i].code, code) == 0)
			return (int)i;
	return -1;
}

const struct cases_category *cases_taxonomy_find(const struct cases_taxonomy *t,
						 const char *code)
{
	int i = category_index(t, code);
	return i < 0 ? NULL : &t->categories[i];
}

static int parse_categories(struct cases_reader *r, json_t *root, struct cases_taxonomy *out)
{
	static const char *const keys[] = {"code", "title", "description", NULL};
	json_t *arr;
	char path[PATH_LEN];
	if (cases_rd_list(r, "top level", root, "categories", 1, CASES_MAX_CATEGORIES, &arr))
		return -1;
	size_t n = json_array_size(arr);
	struct cases_category *c = arena_alloc(r->a, n * sizeof *c);
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(arr, i);
		subpath(path, "categories[%zu]", i);
		if (!json_is_object(o))
			return perr(r, path, "must be an object {\"code\": ..., \"title\": ..., "
				    "\"description\": ...}");
		if (jsondoc_only_fields(&r->e, path, o, keys) ||
		    cases_rd_id(r, path, o, "code", &c[i].code) ||
		    cases_rd_text(r, path, o, "title", 1, CASES_TITLE_MAX, &c[i].title) ||
		    cases_rd_text(r, path, o, "description", 1, CASES_HELP_MAX, &c[i].description))
			return -1;
		for (size_t k = 0; k < i; k++)
			if (strcmp(c[k].code, c[i].code) == 0)
				return perr(r, path, "\"code\" \"%s\" is already used by "
					    "categories[%zu]", c[i].code, k);
	}
	out->categories = c;
	out->ncategories = n;
	return 0;
}

static int parse_mapping(struct cases_reader *r, const char *path, json_t *o,
			 const struct cases_taxonomy *t, struct cases_mapping *m)
{
	static const char *const keys[] = {"from", "to", NULL};
	json_t *arr;
	char sub[PATH_LEN], q[QLEN];
	if (!json_is_object(o))
		return perr(r, path, "must be an object {\"from\": CODE, \"to\": [CODE, ...]}");
	if (jsondoc_only_fields(&r->e, path, o, keys) || cases_rd_id(r, path, o, "from", &m->from) ||
	    cases_rd_list(r, path, o, "to", 1, CASES_MAX_MAP_TO, &arr))
		return -1;
	size_t n = json_array_size(arr);
	size_t *to = arena_alloc(r->a, n * sizeof *to);
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_array_get(arr, i);
		const char *code;
		subpath(sub, "%s.to[%zu]", path, i);
		if (cases_rd_string(r, sub, "the code", v, &code, NULL))
			return -1;
		int k = category_index(t, code);
		if (k < 0)
			return perr(r, sub, "\"%s\" is not a category of this revision",
				    jsondoc_clean(code, strlen(code), q, JSONDOC_CLEAN_MAX));
		for (size_t j = 0; j < i; j++)
			if (to[j] == (size_t)k)
				return perr(r, sub, "\"%s\" is listed twice", code);
		to[i] = (size_t)k;
	}
	m->to = to;
	m->nto = n;
	return 0;
}

static int parse_maps(struct cases_reader *r, json_t *root, struct cases_taxonomy *out)
{
	static const char *const keys[] = {"revision", "codes", NULL};
	json_t *o = json_object_get(root, "maps_from"), *arr;
	char path[PATH_LEN];
	if (out->revision == 1) {
		if (o)
			return perr(r, "maps_from", "revision 1 is the first: it maps from nothing");
		return 0;
	}
	if (!o)
		return perr(r, "top level", "lacks the field \"maps_from\": revision %d must say "
			    "how the codes of revision %d map to its own", out->revision,
			    out->revision - 1);
	if (!json_is_object(o))
		return perr(r, "maps_from", "must be an object {\"revision\": N, \"codes\": [...]}");
	json_int_t rev = 0;
	if (jsondoc_only_fields(&r->e, "maps_from", o, keys) ||
	    cases_rd_int(r, "maps_from", o, "revision", 1, 1, CASES_MAX_REVISION, &rev))
		return -1;
	if (rev != out->revision - 1)
		return perr(r, "maps_from", "\"revision\" must be %d, the revision before this one",
			    out->revision - 1);
	out->maps_from = (int)rev;
	if (cases_rd_list(r, "maps_from", o, "codes", 1, CASES_MAX_CATEGORIES, &arr))
		return -1;
	size_t n = json_array_size(arr);
	struct cases_mapping *m = arena_alloc(r->a, n * sizeof *m);
	for (size_t i = 0; i < n; i++) {
		subpath(path, "maps_from.codes[%zu]", i);
		if (parse_mapping(r, path, json_array_get(arr, i), out, &m[i]))
			return -1;
		for (size_t k = 0; k < i; k++)
			if (strcmp(m[k].from, m[i].from) == 0)
				return perr(r, path, "\"from\" \"%s\" is already mapped by "
					    "codes[%zu]", m[i].from, k);
	}
	out->mappings = m;
	out->nmappings = n;
	return 0;
}

/* The header every versioned list shares: id, revision, title, description. */
static int parse_head(struct cases_reader *r, json_t *root, const char **id, int *revision,
		      struct cases_text *title, struct cases_text *description)
{
	json_int_t rev = 0;
	if (cases_rd_id(r, "top level", root, "id", id) ||
	    cases_rd_int(r, "top level", root, "revision", 1, 1, CASES_MAX_REVISION, &rev) ||
	    cases_rd_text(r, "top level", root, "title", 1, CASES_TITLE_MAX, title) ||
	    cases_rd_text(r, "top level", root, "description", 0, CASES_DESCRIPTION_MAX,
			  description))
		return -1;
	*revision = (int)rev;
	return 0;
}

int cases_taxonomy_parse(const char *text, size_t len, struct cases_taxonomy *out, char *err,
			 size_t errlen)
{
	static const char *const top[] = {"format", "version", "id", "revision", "example",
					  "title", "description", "categories", "maps_from",
					  NULL};
	struct cases_reader r = {.e = {err, errlen}};
	memset(out, 0, sizeof *out);
	json_t *root = jsondoc_load(&r.e, text, len, CASES_TAXONOMY_MAX_BYTES,
				    "probity-taxonomy", 1, top);
	if (!root)
		return -1;
	out->mem = xcalloc(1, sizeof(struct arena));
	r.a = out->mem;
	if (parse_head(&r, root, &out->id, &out->revision, &out->title, &out->description) ||
	    cases_rd_bool(&r, "top level", root, "example", &out->example) ||
	    parse_categories(&r, root, out) || parse_maps(&r, root, out)) {
		json_decref(root);
		cases_taxonomy_free(out);
		return -1;
	}
	json_decref(root);
	return 0;
}

int cases_taxonomy_link(const struct cases_taxonomy *prev, const struct cases_taxonomy *next,
			char *err, size_t errlen)
{
	if (strcmp(prev->id, next->id) != 0 || next->revision != prev->revision + 1 ||
	    next->maps_from != prev->revision) {
		snprintf(err, errlen, "%s revision %d does not follow %s revision %d", next->id,
			 next->revision, prev->id, prev->revision);
		return -1;
	}
	for (size_t i = 0; i < next->nmappings; i++)
		if (category_index(prev, next->mappings[i].from) < 0) {
			snprintf(err, errlen, "%s revision %d: maps_from.codes[%zu]: \"%s\" is not a "
				 "category of revision %d", next->id, next->revision, i,
				 next->mappings[i].from, prev->revision);
			return -1;
		}
	/* the mappings' "from" are distinct and all in prev, so equal counts mean
	 * every code of prev is mapped */
	for (size_t i = 0; i < prev->ncategories; i++) {
		size_t k = 0;
		while (k < next->nmappings && strcmp(next->mappings[k].from,
						     prev->categories[i].code) != 0)
			k++;
		if (k == next->nmappings) {
			snprintf(err, errlen, "%s revision %d: maps_from does not say where category "
				 "\"%s\" of revision %d goes", next->id, next->revision,
				 prev->categories[i].code, prev->revision);
			return -1;
		}
	}
	return 0;
}

static const struct cases_taxonomy *revision_of(const struct cases_taxonomy *const *revs,
						size_t n, int revision)
{
	for (size_t i = 0; i < n; i++)
		if (revs[i] && revs[i]->revision == revision)
			return revs[i];
	return NULL;
}

int cases_taxonomy_map(const struct cases_taxonomy *const *revs, size_t n, const char *code,
		       int from, int to, const char **out, size_t cap, size_t *nout)
{
	/* the set of codes so far, as flags over the current revision's categories */
	unsigned char cur[CASES_MAX_CATEGORIES] = {0}, nxt[CASES_MAX_CATEGORIES];
	*nout = 0;
	const struct cases_taxonomy *t = revision_of(revs, n, from);
	if (!t || !revision_of(revs, n, to))
		return -1;
	int c = category_index(t, code);
	if (c < 0)
		return -1;
	cur[c] = 1;
	while (t->revision != to) {
		int fwd = to > t->revision;
		const struct cases_taxonomy *u = revision_of(revs, n, t->revision + (fwd ? 1 : -1));
		/* the newer of the two revisions holds the mappings that link them */
		const struct cases_taxonomy *older = fwd ? t : u, *newer = fwd ? u : t;
		if (!u || newer->maps_from != older->revision || strcmp(u->id, t->id) != 0)
			return -1;
		memset(nxt, 0, sizeof nxt);
		for (size_t i = 0; i < newer->nmappings; i++) {
			const struct cases_mapping *m = &newer->mappings[i];
			int o = category_index(older, m->from);
			if (o < 0)
				return -1;
			for (size_t k = 0; k < m->nto; k++) {
				if (fwd && cur[o])
					nxt[m->to[k]] = 1;
				if (!fwd && cur[m->to[k]])
					nxt[o] = 1;
			}
		}
		memcpy(cur, nxt, sizeof cur);
		t = u;
	}
	size_t k = 0;
	for (size_t i = 0; i < t->ncategories; i++)
		if (cur[i]) {
			if (k == cap)
				return -1;
			out[k++] = t->categories[i].code;
		}
	if (k == 0)
		return -1;  /* a code that maps to nothing: the links were not checked */
	*nout = k;
	return 0;
}

/* ---- measures ---- */

static const char *const kind_names[] = {"order_measure", "penalty", "other"};

const char *cases_measure_kind_name(enum cases_measure_kind k)
{
	return (unsigned)k < sizeof kind_names / sizeof *kind_names ? kind_names[k] : "?";
}

void cases_measures_free(struct cases_measures *m)
{
	free_mem(m->mem);
	memset(m, 0, sizeof *m);
}

const struct cases_measure *cases_measures_find(const struct cases_measures *m,
						const char *code)
{
	for (size_t i = 0; code && i < m->nmeasures; i++)
		if (strcmp(m->measures[i].code, code) == 0)
			return &m->measures[i];
	return NULL;
}

static int parse_measure(struct cases_reader *r, const char *path, json_t *o,
			 struct cases_measure *m)
{
	static const char *const keys[] = {"code", "kind", "title", "description",
					   "hearing_required", NULL};
	const char *kind = NULL;
	char q[QLEN];
	json_t *v;
	if (!json_is_object(o))
		return perr(r, path, "must be an object {\"code\": ..., \"kind\": ..., ...}");
	if (jsondoc_only_fields(&r->e, path, o, keys) || cases_rd_id(r, path, o, "code", &m->code))
		return -1;
	v = json_object_get(o, "kind");
	if (!v)
		return perr(r, path, "lacks the field \"kind\"");
	if (cases_rd_string(r, path, "\"kind\"", v, &kind, NULL))
		return -1;
	size_t k = 0, nk = sizeof kind_names / sizeof *kind_names;
	while (k < nk && strcmp(kind, kind_names[k]) != 0)
		k++;
	if (k == nk)
		return perr(r, path, "unknown kind \"%s\": use order_measure, penalty or other",
			    jsondoc_clean(kind, strlen(kind), q, JSONDOC_CLEAN_MAX));
	m->kind = (enum cases_measure_kind)k;
	if (cases_rd_text(r, path, o, "title", 1, CASES_TITLE_MAX, &m->title) ||
	    cases_rd_text(r, path, o, "description", 0, CASES_HELP_MAX, &m->description))
		return -1;
	if (!json_object_get(o, "hearing_required"))
		return perr(r, path, "lacks the field \"hearing_required\"");
	if (cases_rd_bool(r, path, o, "hearing_required", &m->hearing_required))
		return -1;
	if (m->kind == CASES_MEASURE_PENALTY && !m->hearing_required)
		return perr(r, path, "a penalty needs \"hearing_required\": true (the employee "
			    "may first give their side)");
	return 0;
}

int cases_measures_parse(const char *text, size_t len, struct cases_measures *out, char *err,
			 size_t errlen)
{
	static const char *const top[] = {"format", "version", "id", "revision", "title",
					  "description", "measures", NULL};
	struct cases_reader r = {.e = {err, errlen}};
	json_t *arr;
	char path[PATH_LEN];
	memset(out, 0, sizeof *out);
	json_t *root = jsondoc_load(&r.e, text, len, CASES_MEASURES_MAX_BYTES,
				    "probity-measures", 1, top);
	if (!root)
		return -1;
	out->mem = xcalloc(1, sizeof(struct arena));
	r.a = out->mem;
	if (parse_head(&r, root, &out->id, &out->revision, &out->title, &out->description) ||
	    cases_rd_list(&r, "top level", root, "measures", 1, CASES_MAX_MEASURES, &arr))
		goto fail;
	size_t n = json_array_size(arr);
	struct cases_measure *m = arena_alloc(r.a, n * sizeof *m);
	for (size_t i = 0; i < n; i++) {
		subpath(path, "measures[%zu]", i);
		if (parse_measure(&r, path, json_array_get(arr, i), &m[i]))
			goto fail;
		for (size_t k = 0; k < i; k++)
			if (strcmp(m[k].code, m[i].code) == 0) {
				perr(&r, path, "\"code\" \"%s\" is already used by measures[%zu]",
				     m[i].code, k);
				goto fail;
			}
	}
	out->measures = m;
	out->nmeasures = n;
	json_decref(root);
	return 0;
fail:
	json_decref(root);
	cases_measures_free(out);
	return -1;
}
