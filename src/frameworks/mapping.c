/* mapping.c: mappings between frameworks (framework.h): the reader of a
 * mapping document, its check against the two frameworks, and fw_map over
 * the shipped ones. A mapping is a suggestion for prefilling an assessment
 * (a basic norm judged well says something about the OECD principle it
 * maps to), so it is looked up in both directions. */
#include "frameworks/framework.h"

#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/jsondoc.h"
#include "base/utf8.h"

#define MAP_FILE_MAX (256 * 1024)

static int mfail(const struct jsondoc_err *e, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int mfail(const struct jsondoc_err *e, const char *path, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return jsondoc_fail(e, path, "%s", msg);
}

/* A string field (path names it) within max bytes, clean UTF-8; a copy. */
static int rd_str(const struct jsondoc_err *e, const char *path, json_t *v, size_t max,
		  char **out)
{
	*out = NULL;
	if (!v)
		return mfail(e, path, "is missing");
	if (!json_is_string(v))
		return mfail(e, path, "must be text");
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (strlen(s) != n || n == 0)
		return mfail(e, path, "must be text without NUL characters, not empty");
	if (n > max)
		return mfail(e, path, "is longer than %zu bytes", max);
	if (!utf8_text_clean(s, n, 0))
		return mfail(e, path, "must be UTF-8 without control characters or line breaks");
	*out = xstrndup(s, n);
	return 0;
}

static int rd_code(const struct jsondoc_err *e, const char *path, json_t *v,
		   char out[FW_CODE_MAX + 1])
{
	char *s;
	if (rd_str(e, path, v, FW_CODE_MAX, &s) != 0)
		return -1;
	int ok = fw_code_ok(s);
	if (ok)
		memcpy(out, s, strlen(s) + 1);
	free(s);
	return ok ? 0 : mfail(e, path, "must be 1 to %d of a-z, 0-9, '.' and '-'", FW_CODE_MAX);
}

static int rd_nlen(const struct jsondoc_err *e, const char *path, json_t *v, size_t max,
		   char **nl, char **en)
{
	static const char *const langs[] = {"nl", "en", NULL};
	char at[JSONDOC_PATH_MAX];
	*nl = *en = NULL;
	if (!v)
		return mfail(e, path, "is missing");
	if (!json_is_object(v))
		return mfail(e, path, "must be an object {\"nl\": \"...\", \"en\": \"...\"}");
	if (jsondoc_only_fields(e, path, v, langs) != 0)
		return -1;
	jsondoc_path(at, "%s.nl", path);
	if (rd_str(e, at, json_object_get(v, "nl"), max, nl) != 0)
		return -1;
	jsondoc_path(at, "%s.en", path);
	if (json_object_get(v, "en") && rd_str(e, at, json_object_get(v, "en"), max, en) != 0)
		return -1;
	return 0;
}

void fw_mapping_free(struct fw_mapping *m)
{
	if (!m)
		return;
	free(m->title_nl);
	free(m->title_en);
	free(m->source);
	for (size_t i = 0; m->entries && i < m->n; i++) {
		free(m->entries[i].to);
		free(m->entries[i].why_nl);
		free(m->entries[i].why_en);
	}
	free(m->entries);
	memset(m, 0, sizeof *m);
}

static int rd_entry(const struct jsondoc_err *e, const char *path, json_t *o,
		    struct fw_map_entry *x)
{
	static const char *const fields[] = {"from", "to", "why", NULL};
	char at[JSONDOC_PATH_MAX];
	if (!json_is_object(o))
		return mfail(e, path, "must be an object");
	if (jsondoc_only_fields(e, path, o, fields) != 0)
		return -1;
	jsondoc_path(at, "%s.from", path);
	if (rd_code(e, at, json_object_get(o, "from"), x->from) != 0)
		return -1;
	json_t *to = json_object_get(o, "to");
	jsondoc_path(at, "%s.to", path);
	if (!to || !json_is_array(to) || json_array_size(to) < 1 ||
	    json_array_size(to) > FW_MAP_TARGETS_MAX)
		return mfail(e, at, "must be a list of 1 to %d codes", FW_MAP_TARGETS_MAX);
	size_t n = json_array_size(to);
	x->to = xcalloc(n, sizeof *x->to);
	for (size_t i = 0; i < n; i++) {
		char t[JSONDOC_PATH_MAX];
		jsondoc_path(t, "%s.to[%zu]", path, i);
		if (rd_code(e, t, json_array_get(to, i), x->to[i]) != 0)
			return -1;
		x->nto++;
		for (size_t j = 0; j < i; j++)
			if (strcmp(x->to[j], x->to[i]) == 0)
				return mfail(e, t, "\"%s\" is listed twice", x->to[i]);
	}
	jsondoc_path(at, "%s.why", path);
	return rd_nlen(e, at, json_object_get(o, "why"), FW_TEXT_MAX, &x->why_nl, &x->why_en);
}

int fw_mapping_parse(const char *json, size_t len, struct fw_mapping *out, char *err,
		     size_t errlen)
{
	static const char *const top[] = {"format", "version", "from", "to", "title", "source",
		"maps", NULL};
	struct jsondoc_err e = {err, errlen};
	memset(out, 0, sizeof *out);
	json_t *root = jsondoc_load(&e, json, len, MAP_FILE_MAX, FW_MAP_FORMAT, 1, top);
	if (!root)
		return -1;
	if (rd_code(&e, "from", json_object_get(root, "from"), out->from) != 0 ||
	    rd_code(&e, "to", json_object_get(root, "to"), out->to) != 0)
		goto fail;
	if (strcmp(out->from, out->to) == 0) {
		mfail(&e, "to", "must name another framework than \"from\"");
		goto fail;
	}
	if (rd_nlen(&e, "title", json_object_get(root, "title"), FW_TITLE_MAX, &out->title_nl,
		    &out->title_en) != 0 ||
	    rd_str(&e, "source", json_object_get(root, "source"), FW_TEXT_MAX, &out->source) != 0)
		goto fail;
	json_t *maps = json_object_get(root, "maps");
	if (!maps || !json_is_array(maps) || json_array_size(maps) < 1 ||
	    json_array_size(maps) > FW_MAP_ENTRIES_MAX) {
		mfail(&e, "maps", "must be a list of 1 to %d entries", FW_MAP_ENTRIES_MAX);
		goto fail;
	}
	size_t n = json_array_size(maps);
	out->entries = xcalloc(n, sizeof *out->entries);
	for (size_t i = 0; i < n; i++) {
		char path[JSONDOC_PATH_MAX];
		jsondoc_path(path, "maps[%zu]", i);
		out->n++;
		if (rd_entry(&e, path, json_array_get(maps, i), &out->entries[i]) != 0)
			goto fail;
		for (size_t j = 0; j < i; j++)
			if (strcmp(out->entries[j].from, out->entries[i].from) == 0) {
				mfail(&e, path, "\"%s\" is mapped twice", out->entries[i].from);
				goto fail;
			}
	}
	json_decref(root);
	return 0;
fail:
	json_decref(root);
	fw_mapping_free(out);
	return -1;
}

/* 1 when code names a group or requirement of f (or a pillar, when
 * pillars). */
static int has_code(const struct framework *f, const char *code, int pillars)
{
	if (framework_req(f, code) || framework_group(f, code) >= 0)
		return 1;
	for (size_t i = 0; pillars && i < f->npillars; i++)
		if (strcmp(f->pillars[i].code, code) == 0)
			return 1;
	return 0;
}

int fw_mapping_check(const struct fw_mapping *m, const struct framework *from,
		     const struct framework *to, char *err, size_t errlen)
{
	struct jsondoc_err e = {err, errlen};
	if (strcmp(m->from, from->code) != 0 || strcmp(m->to, to->code) != 0)
		return mfail(&e, "from", "the mapping is between %s and %s, not %s and %s", m->from,
			     m->to, from->code, to->code);
	for (size_t i = 0; i < m->n; i++) {
		char path[JSONDOC_PATH_MAX];
		const struct fw_map_entry *x = &m->entries[i];
		jsondoc_path(path, "maps[%zu].from", i);
		if (!has_code(from, x->from, 0))
			return mfail(&e, path, "\"%s\" is no group or requirement of %s", x->from,
				     from->code);
		for (size_t j = 0; j < x->nto; j++) {
			jsondoc_path(path, "maps[%zu].to[%zu]", i, j);
			if (!has_code(to, x->to[j], 1))
				return mfail(&e, path, "\"%s\" is not part of %s", x->to[j], to->code);
		}
	}
	return 0;
}

/* --- the shipped mappings --- */

#define MAPPINGS_MAX 16

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int init_rc = -1;
static char init_err[512];
static struct fw_mapping shipped[MAPPINGS_MAX];
static const struct fw_mapping *shipped_list[MAPPINGS_MAX + 1];

/* The highest shipped revision of code, parsed into out. 0 or -1. */
static int shipped_framework(const char *code, struct framework *out)
{
	int best = -1;
	for (size_t i = 0; frameworks_files[i].name; i++) {
		struct framework f;
		char err[300];
		if (framework_parse(frameworks_files[i].data, frameworks_files[i].len, &f, err,
				    sizeof err) != 0)
			continue;
		if (strcmp(f.code, code) == 0 && f.revision > best) {
			framework_free(out);
			*out = f;
			best = f.revision;
		} else {
			framework_free(&f);
		}
	}
	return best > 0 ? 0 : -1;
}

static void init_once(void)
{
	size_t n = 0;
	for (size_t i = 0; frameworks_mapping_files[i].name; i++) {
		const struct embedded_file *ef = &frameworks_mapping_files[i];
		struct framework a = {0}, b = {0};
		char err[400];
		if (n == MAPPINGS_MAX) {
			snprintf(init_err, sizeof init_err, "more than %d mappings", MAPPINGS_MAX);
			return;
		}
		if (fw_mapping_parse(ef->data, ef->len, &shipped[n], err, sizeof err) != 0) {
			snprintf(init_err, sizeof init_err, "%s: %s", ef->name, err);
			return;
		}
		int ok = shipped_framework(shipped[n].from, &a) == 0 &&
			 shipped_framework(shipped[n].to, &b) == 0;
		if (!ok)
			snprintf(err, sizeof err, "names a framework this build does not ship");
		else
			ok = fw_mapping_check(&shipped[n], &a, &b, err, sizeof err) == 0;
		framework_free(&a);
		framework_free(&b);
		if (!ok) {
			snprintf(init_err, sizeof init_err, "%s: %s", ef->name, err);
			fw_mapping_free(&shipped[n]);
			return;
		}
		shipped_list[n] = &shipped[n];
		n++;
	}
	init_rc = 0;
}

int fw_mappings_init(char *err, size_t errlen)
{
	pthread_once(&once, init_once);
	if (init_rc != 0 && errlen)
		snprintf(err, errlen, "%s", init_err);
	return init_rc;
}

const struct fw_mapping *const *fw_mappings(void)
{
	pthread_once(&once, init_once);
	static const struct fw_mapping *const none[1] = {NULL};
	return init_rc == 0 ? shipped_list : none;
}

size_t fw_map(const char *from_code, const char *req_code, const char *to_code, const char **out,
	      size_t cap)
{
	size_t n = 0;
	if (!from_code || !req_code || !to_code)
		return 0;
	for (const struct fw_mapping *const *mp = fw_mappings(); *mp; mp++) {
		const struct fw_mapping *m = *mp;
		if (strcmp(m->from, from_code) == 0 && strcmp(m->to, to_code) == 0) {
			for (size_t i = 0; i < m->n; i++)
				if (strcmp(m->entries[i].from, req_code) == 0)
					for (size_t j = 0; j < m->entries[i].nto; j++, n++)
						if (n < cap)
							out[n] = m->entries[i].to[j];
		} else if (strcmp(m->to, from_code) == 0 && strcmp(m->from, to_code) == 0) {
			/* the other way round: every entry that lists req_code */
			for (size_t i = 0; i < m->n; i++)
				for (size_t j = 0; j < m->entries[i].nto; j++)
					if (strcmp(m->entries[i].to[j], req_code) == 0) {
						if (n < cap)
							out[n] = m->entries[i].from;
						n++;
					}
		}
	}
	return n;
}
