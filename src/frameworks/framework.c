/* framework.c: the reader, checker and canonical writer of framework
 * documents (framework.h; the format is in docs/assessment.md). Pure: no I/O.
 *
 * The reader checks the JSON's shape and copies it into a struct framework;
 * every rule about the content (limits, codes, UTF-8, uniqueness,
 * references) lives in framework_check, which the reader calls at the end,
 * so that a file and a revision built by the edit form pass the same rules
 * and name a failing part the same way. */
#include "frameworks/framework.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/jsondoc.h"
#include "base/utf8.h"

/* Marks the sentences of fw_text_problem for xgettext (scripts/update-po):
 * the pages translate them; this file stays free of the web layer. */
#ifndef N_
#define N_(s) (s)
#endif

static const char *const kinds[] = {"norms", "code", "principles", "maturity", NULL};

static int efail(char *err, size_t errlen, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int efail(char *err, size_t errlen, const char *path, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (errlen)
		snprintf(err, errlen, "%s: %s", path, msg);
	return -1;
}

int fw_code_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > FW_CODE_MAX)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' || *s == '-'))
			return 0;
	return 1;
}

const char *fw_lang(const char *nl, const char *en, const char *lang)
{
	if (lang && strcmp(lang, "en") == 0 && en && *en)
		return en;
	return nl ? nl : "";
}

/* YYYY, YYYY-MM or YYYY-MM-DD: when a framework appeared is often known to
 * the month only (the 2006 basic norms: April 2006). */
static int published_ok(const char *s)
{
	size_t n = strlen(s);
	char d[DATE_LEN + 1];
	if (n == 4)
		snprintf(d, sizeof d, "%.4s-01-01", s);
	else if (n == 7)
		snprintf(d, sizeof d, "%.7s-01", s);
	else if (n == 10)
		snprintf(d, sizeof d, "%.10s", s);
	else
		return 0;
	/* date_valid alone would accept "2006-01-01" for "2006-0x" filled in
	 * above; the digits and dashes are checked here. */
	for (size_t i = 0; i < n; i++) {
		int dash = i == 4 || i == 7;
		if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return 0;
	}
	return date_valid(d, DATE_LEN) == 0;
}

/* A text of the framework: required unless optional, at most max bytes,
 * UTF-8 without control characters, no leading or trailing space. */
static int text_ok(const char *s, int optional, size_t max, const char *path, char *err,
		   size_t errlen)
{
	if (!s)
		return optional ? 0 : efail(err, errlen, path, "is missing");
	size_t n = strlen(s);
	if (n == 0)
		return efail(err, errlen, path, "must not be empty");
	if (n > max)
		return efail(err, errlen, path, "is longer than %zu bytes", max);
	if (!utf8_text_clean(s, n, 0))
		return efail(err, errlen, path, "must be UTF-8 without control characters or line breaks");
	if (s[0] == ' ' || s[n - 1] == ' ')
		return efail(err, errlen, path, "must not start or end with a space");
	return 0;
}

const char *fw_text_problem(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0)
		return N_("Fill this in.");
	if (n > max && max == FW_TITLE_MAX)
		return N_("This is longer than 200 bytes. Shorten it.");
	if (n > max)
		return N_("This is longer than 2000 bytes. Shorten it.");
	if (!utf8_text_clean(s, n, 0))
		return N_("Write this as one paragraph, without line breaks or control characters.");
	if (s[0] == ' ' || s[n - 1] == ' ')
		return N_("Remove the space at the start or the end.");
	return NULL;
}

static int code_check(const char *code, const char *path, char *err, size_t errlen)
{
	if (!fw_code_ok(code))
		return efail(err, errlen, path, "must be 1 to %d of a-z, 0-9, '.' and '-'",
			     FW_CODE_MAX);
	return 0;
}

/* Codes of pillars, groups and requirements form one name space, so that a
 * mapping or an assessment can name any of them without saying which. */
static int code_seen(const struct framework *f, const char *code, size_t pillars, size_t groups,
		     size_t reqs)
{
	for (size_t i = 0; i < pillars; i++)
		if (strcmp(f->pillars[i].code, code) == 0)
			return 1;
	for (size_t i = 0; i < groups; i++)
		if (strcmp(f->groups[i].code, code) == 0)
			return 1;
	for (size_t i = 0; i < reqs; i++)
		if (strcmp(f->reqs[i].code, code) == 0)
			return 1;
	return 0;
}

int framework_check(const struct framework *f, char *err, size_t errlen)
{
	char path[JSONDOC_PATH_MAX];
	if (code_check(f->code, "code", err, errlen) != 0)
		return -1;
	if (f->revision < 1 || f->revision > FW_REVISION_MAX)
		return efail(err, errlen, "revision", "must be a whole number from 1 to %d",
			     FW_REVISION_MAX);
	if (text_ok(f->title_nl, 0, FW_TITLE_MAX, "title.nl", err, errlen) != 0 ||
	    text_ok(f->title_en, 1, FW_TITLE_MAX, "title.en", err, errlen) != 0 ||
	    text_ok(f->source, 0, FW_TEXT_MAX, "source", err, errlen) != 0 ||
	    text_ok(f->published, 0, 10, "published", err, errlen) != 0)
		return -1;
	if (!published_ok(f->published))
		return efail(err, errlen, "published", "must be a date: YYYY, YYYY-MM or YYYY-MM-DD");
	int kind_ok = 0;
	for (int i = 0; kinds[i]; i++)
		kind_ok |= f->kind && strcmp(f->kind, kinds[i]) == 0;
	if (!kind_ok)
		return efail(err, errlen, "kind",
			     "must be \"norms\", \"code\", \"principles\" or \"maturity\"");
	if (f->npillars > FW_PILLARS_MAX)
		return efail(err, errlen, "pillars", "must have at most %d entries", FW_PILLARS_MAX);
	if (f->ngroups < 1 || f->ngroups > FW_GROUPS_MAX)
		return efail(err, errlen, "groups", "must have 1 to %d entries", FW_GROUPS_MAX);
	if (f->nreqs > FW_REQS_MAX)
		return efail(err, errlen, "groups",
			     "hold %zu requirements together, more than %d", f->nreqs, FW_REQS_MAX);
	for (size_t i = 0; i < f->npillars; i++) {
		const struct fw_pillar *p = &f->pillars[i];
		jsondoc_path(path, "pillars[%zu].code", i);
		if (code_check(p->code, path, err, errlen) != 0)
			return -1;
		if (code_seen(f, p->code, i, 0, 0))
			return efail(err, errlen, path, "\"%s\" is used twice", p->code);
		jsondoc_path(path, "pillars[%zu].title.nl", i);
		if (text_ok(p->title_nl, 0, FW_TITLE_MAX, path, err, errlen) != 0)
			return -1;
		jsondoc_path(path, "pillars[%zu].title.en", i);
		if (text_ok(p->title_en, 1, FW_TITLE_MAX, path, err, errlen) != 0)
			return -1;
	}
	size_t next = 0;
	for (size_t g = 0; g < f->ngroups; g++) {
		const struct fw_group *gr = &f->groups[g];
		jsondoc_path(path, "groups[%zu].code", g);
		if (code_check(gr->code, path, err, errlen) != 0)
			return -1;
		if (code_seen(f, gr->code, f->npillars, g, 0))
			return efail(err, errlen, path, "\"%s\" is used twice", gr->code);
		jsondoc_path(path, "groups[%zu].title.nl", g);
		if (text_ok(gr->title_nl, 0, FW_TITLE_MAX, path, err, errlen) != 0)
			return -1;
		jsondoc_path(path, "groups[%zu].title.en", g);
		if (text_ok(gr->title_en, 1, FW_TITLE_MAX, path, err, errlen) != 0)
			return -1;
		jsondoc_path(path, "groups[%zu].pillar", g);
		if (gr->pillar < -1 || gr->pillar >= (int)f->npillars)
			return efail(err, errlen, path, "names no pillar of this framework");
		/* Scores per pillar must add up: in a framework with pillars
		 * every group belongs to one. */
		if (f->npillars && gr->pillar < 0)
			return efail(err, errlen, path, "is missing: this framework has pillars");
		jsondoc_path(path, "groups[%zu].requirements", g);
		if (gr->first != next || gr->n < 1 || gr->n > f->nreqs - next)
			return efail(err, errlen, path, "must have at least one entry");
		for (size_t r = gr->first; r < gr->first + gr->n; r++) {
			const struct fw_req *q = &f->reqs[r];
			size_t k = r - gr->first;
			jsondoc_path(path, "groups[%zu].requirements[%zu].code", g, k);
			if (code_check(q->code, path, err, errlen) != 0)
				return -1;
			if (code_seen(f, q->code, f->npillars, f->ngroups, r))
				return efail(err, errlen, path, "\"%s\" is used twice", q->code);
			if (q->group != g)
				return efail(err, errlen, path, "is filed under another group");
			jsondoc_path(path, "groups[%zu].requirements[%zu].text.nl", g, k);
			if (text_ok(q->text_nl, 0, FW_TEXT_MAX, path, err, errlen) != 0)
				return -1;
			jsondoc_path(path, "groups[%zu].requirements[%zu].text.en", g, k);
			if (text_ok(q->text_en, 1, FW_TEXT_MAX, path, err, errlen) != 0)
				return -1;
		}
		next += gr->n;
	}
	if (next != f->nreqs)
		return efail(err, errlen, "groups", "leave requirements without a group");
	for (size_t i = 0; i < f->npillars; i++) {
		int used = 0;
		for (size_t g = 0; g < f->ngroups && !used; g++)
			used = f->groups[g].pillar == (int)i;
		if (!used) {
			jsondoc_path(path, "pillars[%zu]", i);
			return efail(err, errlen, path, "no group belongs to pillar \"%s\"",
				     f->pillars[i].code);
		}
	}
	return 0;
}

void framework_free(struct framework *f)
{
	if (!f)
		return;
	free(f->title_nl);
	free(f->title_en);
	free(f->source);
	free(f->published);
	free(f->kind);
	for (size_t i = 0; f->pillars && i < f->npillars; i++) {
		free(f->pillars[i].title_nl);
		free(f->pillars[i].title_en);
	}
	for (size_t i = 0; f->groups && i < f->ngroups; i++) {
		free(f->groups[i].title_nl);
		free(f->groups[i].title_en);
	}
	for (size_t i = 0; f->reqs && i < f->nreqs; i++) {
		free(f->reqs[i].text_nl);
		free(f->reqs[i].text_en);
	}
	free(f->pillars);
	free(f->groups);
	free(f->reqs);
	memset(f, 0, sizeof *f);
}

/* --- reading --- */

struct rd {
	struct jsondoc_err e;
};

static int perr(struct rd *r, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int perr(struct rd *r, const char *path, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return jsondoc_fail(&r->e, path, "%s", msg);
}

/* The string at key of obj (path names obj) as a malloc'd copy in *out; NULL
 * when absent and optional. Length limits come later (framework_check), but
 * a string with a NUL inside is refused here because a C string would cut
 * it silently. */
static int rd_string(struct rd *r, const char *path, json_t *obj, const char *key, int optional,
		     char **out)
{
	char at[JSONDOC_PATH_MAX];
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	jsondoc_path(at, "%s%s%s", path, *path ? "." : "", key);
	if (!v)
		return optional ? 0 : perr(r, *path ? path : "top level", "lacks the field \"%s\"", key);
	if (!json_is_string(v))
		return perr(r, at, "must be text");
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (strlen(s) != n)
		return perr(r, at, "must not contain a NUL character");
	*out = xstrndup(s, n);
	return 0;
}

/* A code at key "code" of obj into out (FW_CODE_MAX + 1 bytes). */
static int rd_code(struct rd *r, const char *path, json_t *obj, char *out)
{
	char at[JSONDOC_PATH_MAX];
	char *s;
	if (rd_string(r, path, obj, "code", 0, &s) != 0)
		return -1;
	jsondoc_path(at, "%s%scode", path, *path ? "." : "");
	int ok = fw_code_ok(s);
	if (ok)
		memcpy(out, s, strlen(s) + 1);
	free(s);
	if (!ok)
		return perr(r, at, "must be 1 to %d of a-z, 0-9, '.' and '-'", FW_CODE_MAX);
	return 0;
}

/* {"nl": ..., "en": ...} at key of obj; "en" may be left out. */
static int rd_text(struct rd *r, const char *path, json_t *obj, const char *key, char **nl,
		   char **en)
{
	static const char *const langs[] = {"nl", "en", NULL};
	char at[JSONDOC_PATH_MAX];
	json_t *v = json_object_get(obj, key);
	*nl = *en = NULL;
	jsondoc_path(at, "%s%s%s", path, *path ? "." : "", key);
	if (!v)
		return perr(r, *path ? path : "top level", "lacks the field \"%s\"", key);
	if (!json_is_object(v))
		return perr(r, at, "must be an object {\"nl\": \"...\", \"en\": \"...\"}");
	if (jsondoc_only_fields(&r->e, at, v, langs) != 0)
		return -1;
	if (rd_string(r, at, v, "nl", 0, nl) != 0 || rd_string(r, at, v, "en", 1, en) != 0)
		return -1;
	return 0;
}

static int rd_list(struct rd *r, const char *path, json_t *obj, const char *key, int optional,
		   size_t max, json_t **out)
{
	char at[JSONDOC_PATH_MAX];
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	jsondoc_path(at, "%s%s%s", path, *path ? "." : "", key);
	if (!v)
		return optional ? 0 : perr(r, *path ? path : "top level", "lacks the field \"%s\"", key);
	if (!json_is_array(v))
		return perr(r, at, "must be a list");
	size_t n = json_array_size(v);
	if (n > max)
		return perr(r, at, "has %zu entries, more than %zu", n, max);
	*out = v;
	return 0;
}

static int rd_pillars(struct rd *r, json_t *list, struct framework *f)
{
	static const char *const fields[] = {"code", "title", NULL};
	char path[JSONDOC_PATH_MAX];
	size_t n = json_array_size(list);
	if (n == 0)
		return perr(r, "pillars", "must have at least one entry when present");
	f->pillars = xcalloc(n, sizeof *f->pillars);
	f->npillars = n;
	for (size_t i = 0; i < n; i++) {
		json_t *p = json_array_get(list, i);
		jsondoc_path(path, "pillars[%zu]", i);
		if (!json_is_object(p))
			return perr(r, path, "must be an object");
		if (jsondoc_only_fields(&r->e, path, p, fields) != 0 ||
		    rd_code(r, path, p, f->pillars[i].code) != 0 ||
		    rd_text(r, path, p, "title", &f->pillars[i].title_nl, &f->pillars[i].title_en) != 0)
			return -1;
	}
	return 0;
}

/* The requirements of group g (JSON object grp at path). */
static int rd_reqs(struct rd *r, const char *path, json_t *grp, size_t g, struct framework *f)
{
	static const char *const fields[] = {"code", "text", NULL};
	char at[JSONDOC_PATH_MAX];
	json_t *list;
	if (rd_list(r, path, grp, "requirements", 0, FW_REQS_MAX, &list) != 0)
		return -1;
	size_t n = json_array_size(list);
	if (n == 0)
		return perr(r, path, "\"requirements\" must have at least one entry");
	if (n > FW_REQS_MAX - f->nreqs)
		return perr(r, path, "brings the requirements to more than %d", FW_REQS_MAX);
	f->reqs = xrealloc(f->reqs, (f->nreqs + n) * sizeof *f->reqs);
	memset(f->reqs + f->nreqs, 0, n * sizeof *f->reqs);
	f->groups[g].first = f->nreqs;
	f->groups[g].n = 0;
	for (size_t i = 0; i < n; i++) {
		struct fw_req *q = &f->reqs[f->nreqs];
		json_t *o = json_array_get(list, i);
		jsondoc_path(at, "%s.requirements[%zu]", path, i);
		f->nreqs++;   /* owned from here on, so that a failure frees it */
		f->groups[g].n++;
		q->group = g;
		if (!json_is_object(o))
			return perr(r, at, "must be an object");
		if (jsondoc_only_fields(&r->e, at, o, fields) != 0 || rd_code(r, at, o, q->code) != 0 ||
		    rd_text(r, at, o, "text", &q->text_nl, &q->text_en) != 0)
			return -1;
	}
	return 0;
}

static int rd_groups(struct rd *r, json_t *list, struct framework *f)
{
	static const char *const fields[] = {"code", "title", "pillar", "requirements", NULL};
	char path[JSONDOC_PATH_MAX], at[JSONDOC_PATH_MAX];
	size_t n = json_array_size(list);
	if (n == 0)
		return perr(r, "groups", "must have at least one entry");
	f->groups = xcalloc(n, sizeof *f->groups);
	for (size_t g = 0; g < n; g++) {
		struct fw_group *gr = &f->groups[g];
		json_t *o = json_array_get(list, g);
		char *pillar = NULL;
		f->ngroups++;
		gr->pillar = -1;
		gr->first = f->nreqs;
		jsondoc_path(path, "groups[%zu]", g);
		if (!json_is_object(o))
			return perr(r, path, "must be an object");
		if (jsondoc_only_fields(&r->e, path, o, fields) != 0 ||
		    rd_code(r, path, o, gr->code) != 0 ||
		    rd_text(r, path, o, "title", &gr->title_nl, &gr->title_en) != 0 ||
		    rd_string(r, path, o, "pillar", 1, &pillar) != 0)
			return -1;
		if (pillar) {
			for (size_t i = 0; i < f->npillars && gr->pillar < 0; i++)
				if (strcmp(f->pillars[i].code, pillar) == 0)
					gr->pillar = (int)i;
			int found = gr->pillar >= 0;
			char q[JSONDOC_CLEAN_MAX + 1];
			jsondoc_clean(pillar, strlen(pillar), q, JSONDOC_CLEAN_MAX);
			free(pillar);
			jsondoc_path(at, "%s.pillar", path);
			if (!found)
				return perr(r, at, "\"%s\" is not a pillar of this framework", q);
		}
		if (rd_reqs(r, path, o, g, f) != 0)
			return -1;
	}
	return 0;
}

int framework_parse(const char *json, size_t len, struct framework *out, char *err, size_t errlen)
{
	static const char *const top[] = {"format", "version", "code", "revision", "title",
		"source", "published", "kind", "pillars", "groups", NULL};
	struct rd r = {.e = {err, errlen}};
	json_t *list;
	memset(out, 0, sizeof *out);
	json_t *root = jsondoc_load(&r.e, json, len, FW_FILE_MAX, FW_FORMAT, FW_FORMAT_VERSION, top);
	if (!root)
		return -1;
	if (rd_code(&r, "", root, out->code) != 0)
		goto fail;
	json_t *rev = json_object_get(root, "revision");
	if (!rev)
		goto missing_rev;
	if (!json_is_integer(rev) || json_integer_value(rev) < 1 ||
	    json_integer_value(rev) > FW_REVISION_MAX) {
		perr(&r, "revision", "must be a whole number from 1 to %d", FW_REVISION_MAX);
		goto fail;
	}
	out->revision = (int)json_integer_value(rev);
	if (rd_text(&r, "", root, "title", &out->title_nl, &out->title_en) != 0 ||
	    rd_string(&r, "", root, "source", 0, &out->source) != 0 ||
	    rd_string(&r, "", root, "published", 0, &out->published) != 0 ||
	    rd_string(&r, "", root, "kind", 0, &out->kind) != 0)
		goto fail;
	if (rd_list(&r, "", root, "pillars", 1, FW_PILLARS_MAX, &list) != 0)
		goto fail;
	if (list && rd_pillars(&r, list, out) != 0)
		goto fail;
	if (rd_list(&r, "", root, "groups", 0, FW_GROUPS_MAX, &list) != 0 ||
	    rd_groups(&r, list, out) != 0)
		goto fail;
	if (framework_check(out, err, errlen) != 0)
		goto fail;
	json_decref(root);
	return 0;
missing_rev:
	perr(&r, "top level", "lacks the field \"revision\"");
fail:
	json_decref(root);
	framework_free(out);
	return -1;
}

/* --- writing --- */

static json_t *text_obj(const char *nl, const char *en)
{
	json_t *o = json_object();
	json_object_set_new(o, "nl", json_string(nl ? nl : ""));
	if (en)
		json_object_set_new(o, "en", json_string(en));
	return o;
}

char *framework_write(const struct framework *f, size_t *len)
{
	json_t *root = json_object();
	json_object_set_new(root, "format", json_string(FW_FORMAT));
	json_object_set_new(root, "version", json_integer(FW_FORMAT_VERSION));
	json_object_set_new(root, "code", json_string(f->code));
	json_object_set_new(root, "revision", json_integer(f->revision));
	json_object_set_new(root, "title", text_obj(f->title_nl, f->title_en));
	json_object_set_new(root, "source", json_string(f->source ? f->source : ""));
	json_object_set_new(root, "published", json_string(f->published ? f->published : ""));
	json_object_set_new(root, "kind", json_string(f->kind ? f->kind : ""));
	if (f->npillars) {
		json_t *ps = json_array();
		for (size_t i = 0; i < f->npillars; i++) {
			json_t *p = json_object();
			json_object_set_new(p, "code", json_string(f->pillars[i].code));
			json_object_set_new(p, "title",
					    text_obj(f->pillars[i].title_nl, f->pillars[i].title_en));
			json_array_append_new(ps, p);
		}
		json_object_set_new(root, "pillars", ps);
	}
	json_t *gs = json_array();
	for (size_t g = 0; g < f->ngroups; g++) {
		const struct fw_group *gr = &f->groups[g];
		json_t *o = json_object();
		json_object_set_new(o, "code", json_string(gr->code));
		json_object_set_new(o, "title", text_obj(gr->title_nl, gr->title_en));
		if (gr->pillar >= 0 && gr->pillar < (int)f->npillars)
			json_object_set_new(o, "pillar", json_string(f->pillars[gr->pillar].code));
		json_t *rs = json_array();
		for (size_t r = gr->first; r < gr->first + gr->n && r < f->nreqs; r++) {
			json_t *q = json_object();
			json_object_set_new(q, "code", json_string(f->reqs[r].code));
			json_object_set_new(q, "text", text_obj(f->reqs[r].text_nl, f->reqs[r].text_en));
			json_array_append_new(rs, q);
		}
		json_object_set_new(o, "requirements", rs);
		json_array_append_new(gs, o);
	}
	json_object_set_new(root, "groups", gs);
	char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!s)
		return NULL;
	size_t n = strlen(s);
	char *out = xmalloc(n + 2);
	memcpy(out, s, n);
	out[n] = '\n';
	out[n + 1] = 0;
	free(s);
	if (len)
		*len = n + 1;
	return out;
}

/* --- comparing, copying, looking up --- */

static int str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

int framework_same_content(const struct framework *a, const struct framework *b)
{
	if (!str_eq(a->title_nl, b->title_nl) || !str_eq(a->title_en, b->title_en) ||
	    !str_eq(a->source, b->source) || !str_eq(a->published, b->published) ||
	    !str_eq(a->kind, b->kind) || a->npillars != b->npillars || a->ngroups != b->ngroups ||
	    a->nreqs != b->nreqs)
		return 0;
	for (size_t i = 0; i < a->npillars; i++)
		if (strcmp(a->pillars[i].code, b->pillars[i].code) != 0 ||
		    !str_eq(a->pillars[i].title_nl, b->pillars[i].title_nl) ||
		    !str_eq(a->pillars[i].title_en, b->pillars[i].title_en))
			return 0;
	for (size_t i = 0; i < a->ngroups; i++)
		if (strcmp(a->groups[i].code, b->groups[i].code) != 0 ||
		    !str_eq(a->groups[i].title_nl, b->groups[i].title_nl) ||
		    !str_eq(a->groups[i].title_en, b->groups[i].title_en) ||
		    a->groups[i].pillar != b->groups[i].pillar ||
		    a->groups[i].first != b->groups[i].first || a->groups[i].n != b->groups[i].n)
			return 0;
	for (size_t i = 0; i < a->nreqs; i++)
		if (strcmp(a->reqs[i].code, b->reqs[i].code) != 0 ||
		    !str_eq(a->reqs[i].text_nl, b->reqs[i].text_nl) ||
		    !str_eq(a->reqs[i].text_en, b->reqs[i].text_en) ||
		    a->reqs[i].group != b->reqs[i].group)
			return 0;
	return 1;
}

int framework_equal(const struct framework *a, const struct framework *b)
{
	return strcmp(a->code, b->code) == 0 && a->revision == b->revision &&
	       framework_same_content(a, b);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

int framework_copy(const struct framework *src, struct framework *out)
{
	char err[8];
	memset(out, 0, sizeof *out);
	if (framework_check(src, err, sizeof err) != 0)
		return -1;
	memcpy(out->code, src->code, sizeof out->code);
	out->revision = src->revision;
	out->title_nl = dup_or_null(src->title_nl);
	out->title_en = dup_or_null(src->title_en);
	out->source = dup_or_null(src->source);
	out->published = dup_or_null(src->published);
	out->kind = dup_or_null(src->kind);
	if (src->npillars) {
		out->pillars = xcalloc(src->npillars, sizeof *out->pillars);
		out->npillars = src->npillars;
		for (size_t i = 0; i < src->npillars; i++) {
			out->pillars[i] = src->pillars[i];
			out->pillars[i].title_nl = dup_or_null(src->pillars[i].title_nl);
			out->pillars[i].title_en = dup_or_null(src->pillars[i].title_en);
		}
	}
	out->groups = xcalloc(src->ngroups, sizeof *out->groups);
	out->ngroups = src->ngroups;
	for (size_t i = 0; i < src->ngroups; i++) {
		out->groups[i] = src->groups[i];
		out->groups[i].title_nl = dup_or_null(src->groups[i].title_nl);
		out->groups[i].title_en = dup_or_null(src->groups[i].title_en);
	}
	out->reqs = xcalloc(src->nreqs, sizeof *out->reqs);
	out->nreqs = src->nreqs;
	for (size_t i = 0; i < src->nreqs; i++) {
		out->reqs[i] = src->reqs[i];
		out->reqs[i].text_nl = dup_or_null(src->reqs[i].text_nl);
		out->reqs[i].text_en = dup_or_null(src->reqs[i].text_en);
	}
	return 0;
}

const struct fw_req *framework_req(const struct framework *f, const char *code)
{
	for (size_t i = 0; code && i < f->nreqs; i++)
		if (strcmp(f->reqs[i].code, code) == 0)
			return &f->reqs[i];
	return NULL;
}

int framework_group(const struct framework *f, const char *code)
{
	for (size_t i = 0; code && i < f->ngroups; i++)
		if (strcmp(f->groups[i].code, code) == 0)
			return (int)i;
	return -1;
}
