/* guide.c: reads a guide (guide.h has the format) and keeps the embedded
 * ones. Pure: no I/O beyond the files compiled in. */
#include "guide/guide.h"

#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "base/embedded.h"
#include "base/jsondoc.h"
#include "base/utf8.h"
#include "orgs/orgs.h"
#include "web/mail.h"

#define FORMAT "probity-guide"

struct rd {
	struct arena *a;
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

/* The string v (no NUL inside, at most max bytes) as an arena copy. */
static int rd_string(struct rd *r, const char *path, json_t *v, size_t max, const char **out)
{
	if (!json_is_string(v))
		return perr(r, path, "must be text");
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (strlen(s) != n)
		return perr(r, path, "must not contain a NUL character");
	if (n == 0)
		return perr(r, path, "must not be empty");
	if (n > max)
		return perr(r, path, "is longer than %zu bytes", max);
	*out = arena_strndup(r->a, s, n);
	return 0;
}

/* {"nl": ..., "en": ...} at key of obj into *out. */
static int rd_text(struct rd *r, const char *path, json_t *obj, const char *key, int required,
		   size_t max, struct guide_text *out)
{
	static const char *const langs[] = {"nl", "en", NULL};
	char sub[JSONDOC_PATH_MAX];
	json_t *v = json_object_get(obj, key);
	out->nl = out->en = NULL;
	if (!v)
		return required ? perr(r, path, "lacks the field \"%s\"", key) : 0;
	jsondoc_path(sub, "%s.%s", path, key);
	if (!json_is_object(v))
		return perr(r, sub, "must be an object {\"nl\": \"...\", \"en\": \"...\"}");
	if (jsondoc_only_fields(&r->e, sub, v, langs) != 0)
		return -1;
	for (int i = 0; langs[i]; i++) {
		char at[JSONDOC_PATH_MAX];
		const char *s;
		json_t *t = json_object_get(v, langs[i]);
		jsondoc_path(at, "%s.%s", sub, langs[i]);
		if (!t)
			return perr(r, sub, "lacks the field \"%s\"", langs[i]);
		if (rd_string(r, at, t, max, &s) != 0)
			return -1;
		size_t n = strlen(s);
		if (!utf8_text_clean(s, n, 0))
			return perr(r, at, "must be UTF-8 without control characters");
		if (s[0] == ' ' || s[n - 1] == ' ')
			return perr(r, at, "must not start or end with a space");
		*(i == 0 ? &out->nl : &out->en) = s;
	}
	return 0;
}

static int id_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > GUIDE_ID_MAX)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return 0;
	return 1;
}

static int rd_id(struct rd *r, const char *path, json_t *obj, const char **out)
{
	char at[JSONDOC_PATH_MAX];
	json_t *v = json_object_get(obj, "id");
	jsondoc_path(at, "%s.id", path);
	if (!v)
		return perr(r, path, "lacks the field \"id\"");
	if (rd_string(r, at, v, GUIDE_ID_MAX, out) != 0)
		return -1;
	if (!id_ok(*out))
		return perr(r, at, "must be 1-32 of a-z, 0-9, _ and -");
	return 0;
}

/* The array at key of obj with min..max elements (NULL, 0 when absent and
 * min is 0). */
static int rd_list(struct rd *r, const char *path, json_t *obj, const char *key, size_t min,
		   size_t max, json_t **out)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v) {
		if (min)
			return perr(r, path, "lacks the field \"%s\"", key);
		return 0;
	}
	if (!json_is_array(v))
		return perr(r, path, "\"%s\" must be a list", key);
	size_t n = json_array_size(v);
	if (n < min || n > max)
		return perr(r, path, "\"%s\" must have %zu to %zu entries", key, min, max);
	*out = v;
	return 0;
}

static int org_ok(const char *s)
{
	size_t n = strlen(s);
	if (strcmp(s, "*") == 0)
		return 1;
	if (n < 1 || n > GUIDE_ORG_MAX)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-'))
			return 0;
	return 1;
}

static int phone_ok(const char *s)
{
	size_t n = strlen(s), digits = 0;
	if (n < 3 || n > GUIDE_PHONE_MAX)
		return 0;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (!strchr(" +()-", *s))
			return 0;
	}
	return digits >= 3;
}

/* https:// and a host; printable ASCII without space, quotes or angle
 * brackets: safe in an href and in a page. */
static int url_ok(const char *s)
{
	if (strncmp(s, "https://", 8) != 0 || !s[8] || s[8] == '/')
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f || strchr("\"'<>\\`", *s))
			return 0;
	return 1;
}

static int rd_contact(struct rd *r, const char *path, json_t *c, struct guide_contact *out)
{
	static const char *const fields[] = {"org", "name", "note", "phone", "email", "url", NULL};
	char at[JSONDOC_PATH_MAX];
	if (!json_is_object(c))
		return perr(r, path, "must be an object");
	if (jsondoc_only_fields(&r->e, path, c, fields) != 0)
		return -1;
	json_t *org = json_object_get(c, "org");
	jsondoc_path(at, "%s.org", path);
	if (!org)
		return perr(r, path, "lacks the field \"org\"");
	if (rd_string(r, at, org, GUIDE_ORG_MAX, &out->org) != 0)
		return -1;
	if (!org_ok(out->org))
		return perr(r, at, "must be an organisation code or \"*\"");
	if (rd_text(r, path, c, "name", 1, GUIDE_TITLE_MAX, &out->name) != 0 ||
	    rd_text(r, path, c, "note", 0, GUIDE_TEXT_MAX, &out->note) != 0)
		return -1;
	static const char *const how[] = {"phone", "email", "url"};
	const char **slot[] = {&out->phone, &out->email, &out->url};
	size_t maxes[] = {GUIDE_PHONE_MAX, MAIL_ADDRESS_MAX, GUIDE_URL_MAX};
	int (*ok[])(const char *) = {phone_ok, mail_address_valid, url_ok};
	static const char *const what[] = {
		"must be 3-40 of digits, spaces and + ( ) -",
		"must be an e-mail address like name@example.nl",
		"must be an https:// address without spaces, quotes or angle brackets",
	};
	int any = 0;
	for (int i = 0; i < 3; i++) {
		json_t *v = json_object_get(c, how[i]);
		*slot[i] = NULL;
		if (!v)
			continue;
		jsondoc_path(at, "%s.%s", path, how[i]);
		if (rd_string(r, at, v, maxes[i], slot[i]) != 0)
			return -1;
		if (!ok[i](*slot[i]))
			return perr(r, at, "%s", what[i]);
		any = 1;
	}
	if (!any)
		return perr(r, path, "needs a phone, email or url");
	return 0;
}

int guide_parse(const char *text, size_t len, struct guide *out, char *err, size_t errlen)
{
	static const char *const top[] = {"format", "version", "id", "revision", "title",
					  "intro", "sections", "contacts", NULL};
	static const char *const sfields[] = {"id", "title", "items", NULL};
	static const char *const ifields[] = {"title", "text", NULL};
	char path[JSONDOC_PATH_MAX];
	memset(out, 0, sizeof *out);
	struct arena *a = xcalloc(1, sizeof *a);
	struct rd r = {a, {err, errlen}};
	json_t *root = jsondoc_load(&r.e, text, len, GUIDE_MAX_BYTES, FORMAT, 1, top);
	if (!root)
		goto fail;
	json_t *sections, *contacts;
	if (rd_id(&r, "top level", root, &out->id) != 0)
		goto fail;
	json_t *rev = json_object_get(root, "revision");
	if (!rev || !json_is_integer(rev) || json_integer_value(rev) < 1 ||
	    json_integer_value(rev) > GUIDE_MAX_REVISION) {
		perr(&r, "revision", "must be a whole number from 1 to %d", GUIDE_MAX_REVISION);
		goto fail;
	}
	out->revision = (int)json_integer_value(rev);
	if (rd_text(&r, "top level", root, "title", 1, GUIDE_TITLE_MAX, &out->title) != 0 ||
	    rd_text(&r, "top level", root, "intro", 1, GUIDE_TEXT_MAX, &out->intro) != 0 ||
	    rd_list(&r, "top level", root, "sections", 1, GUIDE_MAX_SECTIONS, &sections) != 0 ||
	    rd_list(&r, "top level", root, "contacts", 0, GUIDE_MAX_CONTACTS, &contacts) != 0)
		goto fail;
	size_t ns = json_array_size(sections);
	struct guide_section *sec = arena_alloc(a, ns * sizeof *sec);
	for (size_t i = 0; i < ns; i++) {
		json_t *s = json_array_get(sections, i), *items;
		jsondoc_path(path, "sections[%zu]", i);
		if (!json_is_object(s)) {
			perr(&r, path, "must be an object");
			goto fail;
		}
		if (jsondoc_only_fields(&r.e, path, s, sfields) != 0 ||
		    rd_id(&r, path, s, &sec[i].id) != 0 ||
		    rd_text(&r, path, s, "title", 1, GUIDE_TITLE_MAX, &sec[i].title) != 0 ||
		    rd_list(&r, path, s, "items", 1, GUIDE_MAX_ITEMS, &items) != 0)
			goto fail;
		for (size_t k = 0; k < i; k++)
			if (strcmp(sec[k].id, sec[i].id) == 0) {
				perr(&r, path, "the id \"%s\" is used twice", sec[i].id);
				goto fail;
			}
		size_t ni = json_array_size(items);
		struct guide_item *it = arena_alloc(a, ni * sizeof *it);
		for (size_t k = 0; k < ni; k++) {
			json_t *o = json_array_get(items, k);
			char ipath[JSONDOC_PATH_MAX];
			jsondoc_path(ipath, "%s.items[%zu]", path, k);
			if (!json_is_object(o)) {
				perr(&r, ipath, "must be an object");
				goto fail;
			}
			if (jsondoc_only_fields(&r.e, ipath, o, ifields) != 0 ||
			    rd_text(&r, ipath, o, "title", 1, GUIDE_TITLE_MAX, &it[k].title) != 0 ||
			    rd_text(&r, ipath, o, "text", 1, GUIDE_TEXT_MAX, &it[k].text) != 0)
				goto fail;
		}
		sec[i].items = it;
		sec[i].nitems = ni;
	}
	out->sections = sec;
	out->nsections = ns;
	size_t nc = json_array_size(contacts);
	struct guide_contact *con = arena_alloc(a, (nc ? nc : 1) * sizeof *con);
	for (size_t i = 0; i < nc; i++) {
		jsondoc_path(path, "contacts[%zu]", i);
		if (rd_contact(&r, path, json_array_get(contacts, i), &con[i]) != 0)
			goto fail;
	}
	out->contacts = con;
	out->ncontacts = nc;
	out->mem = a;
	json_decref(root);
	return 0;
fail:
	json_decref(root);
	arena_free(a);
	free(a);
	memset(out, 0, sizeof *out);
	return -1;
}

void guide_free(struct guide *g)
{
	if (g->mem) {
		arena_free(g->mem);
		free(g->mem);
	}
	memset(g, 0, sizeof *g);
}

const char *guide_text(const struct guide_text *t, const char *lang)
{
	return lang && strcmp(lang, "en") == 0 ? t->en : t->nl;
}

size_t guide_contacts_for(const struct guide *g, const char *code, const char *dept,
			  const struct guide_contact **out, size_t cap)
{
	const char *keys[3] = {code, dept, "*"};
	size_t n = 0;
	for (int k = 0; k < 3; k++) {
		if (!keys[k] || !*keys[k] || (k < 2 && strcmp(keys[k], "*") == 0))
			continue;
		if (k == 1 && code && org_code_eq(code, dept))
			continue;
		for (size_t i = 0; i < g->ncontacts && n < cap; i++) {
			const char *o = g->contacts[i].org;
			if (k == 2 ? strcmp(o, "*") == 0
				   : strcmp(o, "*") != 0 && org_code_eq(o, keys[k]))
				out[n++] = &g->contacts[i];
		}
	}
	return n;
}

/* ---- the embedded guides ---- */

extern const struct embedded_file guide_files[];

#define GUIDES_MAX 8

static struct guide guides[GUIDES_MAX];
static size_t nguides;
static char init_err[400];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
	for (const struct embedded_file *f = guide_files; f->name; f++) {
		char err[300];
		if (nguides == GUIDES_MAX) {
			snprintf(init_err, sizeof init_err, "more than %d guides", GUIDES_MAX);
			return;
		}
		if (guide_parse(f->data, f->len, &guides[nguides], err, sizeof err) != 0) {
			snprintf(init_err, sizeof init_err, "%s: %s", f->name, err);
			return;
		}
		nguides++;
	}
	if (!guide_find(GUIDE_RECEIVED))
		snprintf(init_err, sizeof init_err, "no guide with id \"%s\"", GUIDE_RECEIVED);
}

int guide_init(char *err, size_t errlen)
{
	pthread_once(&once, load);
	if (init_err[0]) {
		snprintf(err, errlen, "guide %s", init_err);
		return -1;
	}
	return 0;
}

const struct guide *guide_find(const char *id)
{
	const struct guide *best = NULL;
	for (size_t i = 0; id && i < nguides; i++)
		if (strcmp(guides[i].id, id) == 0 && (!best || guides[i].revision > best->revision))
			best = &guides[i];
	return best;
}
