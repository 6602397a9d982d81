/* questionnaire.c: reads a questionnaire data file (data/questionnaires/) and
 * checks a reporter's answers against it. Pure: no I/O.
 *
 * Format (UTF-8 JSON, at most 256 KiB; unknown fields and duplicate keys are
 * refused, so that a misspelt field never goes silently unused):
 *
 *   {
 *     "format": "probity-questionnaire",   required, exactly this
 *     "version": 1,                        required: the FORMAT's version, exactly 1
 *     "id": ID,                            the questionnaire, e.g. "melding"
 *     "revision": 1,                       its version, 1-9999; a report records
 *                                          id and revision
 *     "title": TEXT,
 *     "description": "...",                optional, for maintainers; ignored
 *     "steps": [STEP, ...]                 1 to 30
 *   }
 *
 *   STEP   = {"id": ID, "title": TEXT, "help": TEXT, "fields": [FIELD, ...]}
 *            help optional; at least one field; step ids unique
 *   FIELD  = {"id": ID, "type": TYPE, "label": TEXT, "help": TEXT, "required": BOOL,
 *             "max_length": N, "choices": [CHOICE, ...], "max_files": N, "show_if": COND}
 *            TYPE: "text" | "longtext" | "choice" | "date" | "yesno" | "file";
 *            help optional; required optional, default false; field ids unique
 *            in the whole questionnaire, at most 200 fields in all.
 *            max_length (bytes): only text (1-1000, default 200) and longtext
 *            (1-50000, default 20000). choices: required for, and only for,
 *            choice: 2-50, ids unique within the field. max_files: only file
 *            (1-20, default 10).
 *   CHOICE = {"id": ID, "label": TEXT, "help": TEXT}       help optional
 *   COND   = {"field": ID, "equals": VALUE} | {"field": ID, "in": [VALUE, ...]}
 *            field: a choice or yesno field of an EARLIER step (see
 *            questionnaire.h for why); VALUE: one of its choice ids, or "yes" or
 *            "no"; "in" lists 1-50 distinct values.
 *   TEXT   = {"nl": "...", "en": "..."}: both, non-empty, at most 200 bytes for
 *            titles, 300 for labels, 2000 for help; no control or invisible
 *            characters, no space at either end.
 *   ID     = 1-32 of a-z, 0-9 and _.
 */
#include "intake/questionnaire.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "base/jsondoc.h"
#include "base/utf8.h"
#include "web/i18n.h"

#define FORMAT_NAME "probity-questionnaire"
#define DESCRIPTION_MAX 4000

static const char *const type_names[] = {"text", "longtext", "choice", "date", "yesno", "file"};

const char *intake_ftype_name(enum intake_ftype t)
{
	return (unsigned)t < sizeof type_names / sizeof *type_names ? type_names[t] : "?";
}

const char *intake_text_get(const struct intake_text *t, const char *lang)
{
	if (lang && strcmp(lang, "en") == 0)
		return t->en;
	return t->nl;
}

int intake_q_field(const struct intake_questionnaire *q, const char *id)
{
	for (size_t i = 0; i < q->nfields; i++)
		if (strcmp(q->fields[i].id, id) == 0)
			return (int)i;
	return -1;
}

void intake_q_free(struct intake_questionnaire *q)
{
	if (q->mem) {
		arena_free(q->mem);
		free(q->mem);
	}
	memset(q, 0, sizeof *q);
}

/* ---- characters ---- */

/* Decodes one UTF-8 sequence at s (n bytes left). Returns its length, or 0 if
 * it is malformed, overlong, a surrogate or beyond U+10FFFF. */
static size_t decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned c = s[0];
	size_t len;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, v = c & 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, v = c & 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, v = c & 0x07, min = 0x10000;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

static int is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0);
}

/* Characters that print as nothing or reorder the text around them: in the
 * questionnaire's own texts they could only hide something. */
static int is_invisible(uint32_t cp)
{
	return (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb);
}

/* 1 if s[0..n) is a valid id: [a-z0-9_]{1,32}. */
static int id_valid(const char *s, size_t n)
{
	if (n == 0 || n > INTAKE_ID_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

/* ---- the reader ---- */

/* The shared frame (base/jsondoc.h), spelled for this reader's parser. */
#define perr(ps, path, ...) jsondoc_fail(&(ps)->e, (path), __VA_ARGS__)
#define only_fields(ps, path, obj, allowed) jsondoc_only_fields(&(ps)->e, (path), (obj), (allowed))
#define subpath jsondoc_path
#define PATH_MAX_LEN JSONDOC_PATH_MAX
#define clean jsondoc_clean

struct parser {
	struct arena *a;
	struct jsondoc_err e;   /* where the one error goes */
	struct intake_step *steps;
	struct intake_field *fields;
	size_t nfields;               /* fields parsed so far */
};

/* The string v as an arena copy in *out, refusing a non-string and an
 * embedded NUL. what names it in messages. */
static int string_of(struct parser *ps, const char *path, const char *what, json_t *v,
		     const char **out, size_t *len)
{
	if (!json_is_string(v))
		return perr(ps, path, "%s must be a string", what);
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (strlen(s) != n)
		return perr(ps, path, "%s contains a NUL character", what);
	*out = arena_strndup(ps->a, s, n);
	if (len)
		*len = n;
	return 0;
}

/* The id field key of obj (required) into *out. */
static int get_id(struct parser *ps, const char *path, json_t *obj, const char *key,
		  const char **out)
{
	char what[48];
	size_t n = 0;
	json_t *v = json_object_get(obj, key);
	snprintf(what, sizeof what, "\"%s\"", key);
	if (!v)
		return perr(ps, path, "lacks the field \"%s\"", key);
	if (string_of(ps, path, what, v, out, &n))
		return -1;
	if (!id_valid(*out, n)) {
		char q[64];
		return perr(ps, path, "%s \"%s\" must be 1 to %d of a-z, 0-9 and _", what,
			    clean(*out, n, q, 60), INTAKE_ID_MAX);
	}
	return 0;
}

/* Checks one language's text s (n bytes) of a TEXT. */
static int text_ok(struct parser *ps, const char *path, const char *lang, const char *s,
		   size_t n, size_t max)
{
	if (n == 0)
		return perr(ps, path, "\"%s\" is empty", lang);
	if (n > max)
		return perr(ps, path, "\"%s\" is longer than %zu bytes", lang, max);
	if (s[0] == ' ' || s[n - 1] == ' ')
		return perr(ps, path, "\"%s\" begins or ends with a space", lang);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = decode((const unsigned char *)s + i, n - i, &cp);
		if (len == 0)
			return perr(ps, path, "\"%s\" is not valid UTF-8", lang);
		if (is_control(cp))
			return perr(ps, path, "\"%s\" contains a control character (tab, newline "
				    "or similar)", lang);
		if (is_invisible(cp))
			return perr(ps, path, "\"%s\" contains the invisible character U+%04X", lang,
				    (unsigned)cp);
		i += len;
	}
	return 0;
}

/* The TEXT field key of obj into *out (both NULL when absent and optional);
 * each language at most max bytes. */
static int get_text(struct parser *ps, const char *path, json_t *obj, const char *key,
		    int required, size_t max, struct intake_text *out)
{
	static const char *const langs[] = {"nl", "en", NULL};
	char sub[PATH_MAX_LEN];
	json_t *v = json_object_get(obj, key);
	out->nl = out->en = NULL;
	if (!v) {
		if (required)
			return perr(ps, path, "lacks the field \"%s\"", key);
		return 0;
	}
	subpath(sub, "%s.%s", path, key);
	if (!json_is_object(v))
		return perr(ps, sub, "must be an object {\"nl\": \"...\", \"en\": \"...\"}");
	if (only_fields(ps, sub, v, langs))
		return -1;
	for (int i = 0; langs[i]; i++) {
		const char **dst = i == 0 ? &out->nl : &out->en;
		char what[16];
		size_t n = 0;
		json_t *s = json_object_get(v, langs[i]);
		snprintf(what, sizeof what, "\"%s\"", langs[i]);
		if (!s)
			return perr(ps, sub, "lacks the field \"%s\"", langs[i]);
		if (string_of(ps, sub, what, s, dst, &n) || text_ok(ps, sub, langs[i], *dst, n, max))
			return -1;
	}
	return 0;
}

/* An optional integer field key of obj in [min, max] into *out (left alone
 * when absent). */
static int get_int(struct parser *ps, const char *path, json_t *obj, const char *key,
		   json_int_t min, json_int_t max, json_int_t *out)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
		return perr(ps, path, "\"%s\" must be a whole number from %lld to %lld", key,
			    (long long)min, (long long)max);
	*out = json_integer_value(v);
	return 0;
}

/* "steps[s].fields[k]" of field index i, for messages about an earlier field. */
static void field_path(const struct parser *ps, size_t i, char out[PATH_MAX_LEN])
{
	const struct intake_field *f = &ps->fields[i];
	subpath(out, "steps[%zu].fields[%zu]", f->step, i - ps->steps[f->step].first);
}

static int parse_choices(struct parser *ps, const char *path, json_t *arr,
			 struct intake_field *f)
{
	static const char *const keys[] = {"id", "label", "help", NULL};
	char sub[PATH_MAX_LEN];
	if (!json_is_array(arr) || json_array_size(arr) < 2 ||
	    json_array_size(arr) > INTAKE_Q_MAX_CHOICES)
		return perr(ps, path, "\"choices\" must be a list of 2 to %d choices",
			    INTAKE_Q_MAX_CHOICES);
	size_t n = json_array_size(arr);
	struct intake_choice *c = arena_alloc(ps->a, n * sizeof *c);
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(arr, i);
		subpath(sub, "%s.choices[%zu]", path, i);
		if (!json_is_object(o))
			return perr(ps, sub, "must be an object {\"id\": ..., \"label\": ...}");
		if (only_fields(ps, sub, o, keys) || get_id(ps, sub, o, "id", &c[i].id) ||
		    get_text(ps, sub, o, "label", 1, INTAKE_LABEL_MAX, &c[i].label) ||
		    get_text(ps, sub, o, "help", 0, INTAKE_HELP_MAX, &c[i].help))
			return -1;
		for (size_t k = 0; k < i; k++)
			if (strcmp(c[k].id, c[i].id) == 0)
				return perr(ps, sub, "\"id\" \"%s\" is already used by choices[%zu]",
					    c[i].id, k);
	}
	f->choices = c;
	f->nchoices = n;
	return 0;
}

/* 1 if value is an answer that field f can hold: a choice id or yes/no. */
static int value_of(const struct intake_field *f, const char *value)
{
	if (f->type == INTAKE_F_YESNO)
		return strcmp(value, "yes") == 0 || strcmp(value, "no") == 0;
	for (size_t i = 0; i < f->nchoices; i++)
		if (strcmp(f->choices[i].id, value) == 0)
			return 1;
	return 0;
}

/* The condition of field f (in step `step`), resolved to an earlier field. */
static int parse_cond(struct parser *ps, const char *path, json_t *o, size_t step,
		      struct intake_field *f)
{
	static const char *const keys[] = {"field", "equals", "in", NULL};
	char sub[PATH_MAX_LEN], q[64];
	const char *ref = NULL;
	subpath(sub, "%s.show_if", path);
	if (!json_is_object(o))
		return perr(ps, sub, "must be an object {\"field\": ..., \"equals\": ...} or "
			    "{\"field\": ..., \"in\": [...]}");
	if (only_fields(ps, sub, o, keys) || get_id(ps, sub, o, "field", &ref))
		return -1;
	size_t target = SIZE_MAX;
	for (size_t i = 0; i < ps->nfields; i++)
		if (strcmp(ps->fields[i].id, ref) == 0)
			target = i;
	if (target == SIZE_MAX) {
		if (strcmp(ref, f->id) == 0)
			return perr(ps, sub, "\"field\" names this field itself");
		return perr(ps, sub, "\"field\" \"%s\" names no field before this one (a "
			    "condition may only look back, to an earlier step)", ref);
	}
	const struct intake_field *t = &ps->fields[target];
	if (t->step >= step)
		return perr(ps, sub, "\"field\" \"%s\" is in the same step; a condition may only "
			    "refer to a field of an earlier step", ref);
	if (t->type != INTAKE_F_CHOICE && t->type != INTAKE_F_YESNO)
		return perr(ps, sub, "\"field\" \"%s\" is a %s field; a condition may only refer "
			    "to a choice or yesno field", ref, intake_ftype_name(t->type));
	json_t *eq = json_object_get(o, "equals"), *in = json_object_get(o, "in");
	if (!eq == !in)
		return perr(ps, sub, "needs exactly one of \"equals\" and \"in\"");
	size_t n = 1;
	if (in) {
		if (!json_is_array(in) || json_array_size(in) < 1 ||
		    json_array_size(in) > INTAKE_Q_MAX_CHOICES)
			return perr(ps, sub, "\"in\" must be a list of 1 to %d values",
				    INTAKE_Q_MAX_CHOICES);
		n = json_array_size(in);
	}
	struct intake_cond *c = arena_alloc(ps->a, sizeof *c);
	const char **values = arena_alloc(ps->a, n * sizeof *values);
	for (size_t i = 0; i < n; i++) {
		char vpath[PATH_MAX_LEN];
		if (in)
			subpath(vpath, "%s.in[%zu]", sub, i);
		else
			subpath(vpath, "%s.equals", sub);
		if (string_of(ps, vpath, "the value", in ? json_array_get(in, i) : eq, &values[i],
			      NULL))
			return -1;
		if (!value_of(t, values[i]))
			return perr(ps, vpath, "\"%s\" is not %s of field \"%s\"",
				    clean(values[i], strlen(values[i]), q, 60),
				    t->type == INTAKE_F_YESNO ? "\"yes\" or \"no\", the answers" :
				    "one of the choices", ref);
		for (size_t k = 0; k < i; k++)
			if (strcmp(values[k], values[i]) == 0)
				return perr(ps, vpath, "\"%s\" is listed twice", values[i]);
	}
	c->field = target;
	c->values = values;
	c->nvalues = n;
	f->show_if = c;
	return 0;
}

static int parse_field(struct parser *ps, const char *path, json_t *o, size_t step,
		       struct intake_field *f)
{
	static const char *const keys[] = {"id", "type", "label", "help", "required",
					   "max_length", "choices", "max_files", "show_if", NULL};
	char where[PATH_MAX_LEN], q[64];
	const char *type = NULL;
	if (!json_is_object(o))
		return perr(ps, path, "must be an object");
	if (only_fields(ps, path, o, keys) || get_id(ps, path, o, "id", &f->id))
		return -1;
	for (size_t i = 0; i < ps->nfields; i++)
		if (strcmp(ps->fields[i].id, f->id) == 0) {
			field_path(ps, i, where);
			return perr(ps, path, "\"id\" \"%s\" is already used by %s", f->id, where);
		}
	f->step = step;
	json_t *v = json_object_get(o, "type");
	if (!v)
		return perr(ps, path, "lacks the field \"type\"");
	if (string_of(ps, path, "\"type\"", v, &type, NULL))
		return -1;
	size_t t = 0, nt = sizeof type_names / sizeof *type_names;
	while (t < nt && strcmp(type, type_names[t]) != 0)
		t++;
	if (t == nt)
		return perr(ps, path, "unknown type \"%s\": use text, longtext, choice, date, "
			    "yesno or file", clean(type, strlen(type), q, 60));
	f->type = (enum intake_ftype)t;
	if (get_text(ps, path, o, "label", 1, INTAKE_LABEL_MAX, &f->label) ||
	    get_text(ps, path, o, "help", 0, INTAKE_HELP_MAX, &f->help))
		return -1;
	v = json_object_get(o, "required");
	if (v && !json_is_boolean(v))
		return perr(ps, path, "\"required\" must be true or false");
	f->required = v && json_is_true(v);
	/* each type's own settings, and none of the others' */
	int text = f->type == INTAKE_F_TEXT || f->type == INTAKE_F_LONGTEXT;
	if (!text && json_object_get(o, "max_length"))
		return perr(ps, path, "\"max_length\" applies only to text and longtext fields");
	if (f->type != INTAKE_F_CHOICE && json_object_get(o, "choices"))
		return perr(ps, path, "\"choices\" applies only to choice fields");
	if (f->type != INTAKE_F_FILE && json_object_get(o, "max_files"))
		return perr(ps, path, "\"max_files\" applies only to file fields");
	if (text) {
		int lt = f->type == INTAKE_F_LONGTEXT;
		json_int_t max = lt ? INTAKE_LONGTEXT_DEFAULT : INTAKE_TEXT_DEFAULT;
		if (get_int(ps, path, o, "max_length", 1, lt ? INTAKE_LONGTEXT_CAP : INTAKE_TEXT_CAP,
			    &max))
			return -1;
		f->max_len = (size_t)max;
	}
	if (f->type == INTAKE_F_FILE) {
		json_int_t max = INTAKE_FILES_DEFAULT;
		if (get_int(ps, path, o, "max_files", 1, INTAKE_FILES_CAP, &max))
			return -1;
		f->max_files = (unsigned)max;
	}
	if (f->type == INTAKE_F_CHOICE) {
		v = json_object_get(o, "choices");
		if (!v)
			return perr(ps, path, "a choice field needs \"choices\"");
		if (parse_choices(ps, path, v, f))
			return -1;
	}
	v = json_object_get(o, "show_if");
	if (v && parse_cond(ps, path, v, step, f))
		return -1;
	return 0;
}

static int parse_step(struct parser *ps, const char *path, json_t *o, size_t index)
{
	static const char *const keys[] = {"id", "title", "help", "fields", NULL};
	struct intake_step *s = &ps->steps[index];
	char sub[PATH_MAX_LEN];
	if (!json_is_object(o))
		return perr(ps, path, "must be an object");
	if (only_fields(ps, path, o, keys) || get_id(ps, path, o, "id", &s->id))
		return -1;
	for (size_t k = 0; k < index; k++)
		if (strcmp(ps->steps[k].id, s->id) == 0)
			return perr(ps, path, "\"id\" \"%s\" is already used by steps[%zu]", s->id, k);
	if (get_text(ps, path, o, "title", 1, INTAKE_TITLE_MAX, &s->title) ||
	    get_text(ps, path, o, "help", 0, INTAKE_HELP_MAX, &s->help))
		return -1;
	json_t *fields = json_object_get(o, "fields");
	if (!fields || !json_is_array(fields) || json_array_size(fields) == 0)
		return perr(ps, path, "\"fields\" must be a list of at least one field");
	s->first = ps->nfields;
	for (size_t i = 0; i < json_array_size(fields); i++) {
		subpath(sub, "%s.fields[%zu]", path, i);
		if (parse_field(ps, sub, json_array_get(fields, i), index,
				&ps->fields[ps->nfields]))
			return -1;
		ps->nfields++;
		s->nfields++;
	}
	return 0;
}

/* Counts the fields of all steps before parsing them, so that the table is
 * allocated once and the limit holds before any work; malformed steps are
 * left for parse_step to name. */
static int count_fields(struct parser *ps, json_t *steps, size_t *out)
{
	size_t n = 0;
	for (size_t i = 0; i < json_array_size(steps); i++) {
		json_t *f = json_object_get(json_array_get(steps, i), "fields");
		if (f && json_is_array(f))
			n += json_array_size(f);
		if (n > INTAKE_Q_MAX_FIELDS)
			return perr(ps, "steps", "more than %d fields in all", INTAKE_Q_MAX_FIELDS);
	}
	*out = n;
	return 0;
}

int intake_q_parse(const char *text, size_t len, struct intake_questionnaire *out, char *err,
		   size_t errlen)
{
	static const char *const top[] = {"format", "version", "id", "revision", "title",
					  "description", "steps", NULL};
	struct parser ps = {.e = {err, errlen}};
	json_t *root = NULL;
	size_t nfields = 0;
	memset(out, 0, sizeof *out);
	root = jsondoc_load(&ps.e, text, len, INTAKE_Q_MAX_BYTES, FORMAT_NAME, 1, top);
	if (!root)
		return -1;
	out->mem = xcalloc(1, sizeof(struct arena));
	ps.a = out->mem;
	json_t *v;
	json_int_t revision = 0;
	if (get_id(&ps, "top level", root, "id", &out->id))
		goto fail;
	if (!json_object_get(root, "revision")) {
		perr(&ps, "top level", "lacks the field \"revision\"");
		goto fail;
	}
	if (get_int(&ps, "top level", root, "revision", 1, INTAKE_Q_MAX_REVISION, &revision))
		goto fail;
	out->revision = (int)revision;
	if (get_text(&ps, "top level", root, "title", 1, INTAKE_TITLE_MAX, &out->title))
		goto fail;
	v = json_object_get(root, "description");
	if (v && (!json_is_string(v) || json_string_length(v) > DESCRIPTION_MAX)) {
		perr(&ps, "description", "must be a string of at most %d bytes", DESCRIPTION_MAX);
		goto fail;
	}
	json_t *steps = json_object_get(root, "steps");
	if (!steps || !json_is_array(steps) || json_array_size(steps) == 0 ||
	    json_array_size(steps) > INTAKE_Q_MAX_STEPS) {
		perr(&ps, "steps", "must be a list of 1 to %d steps", INTAKE_Q_MAX_STEPS);
		goto fail;
	}
	if (count_fields(&ps, steps, &nfields))
		goto fail;
	ps.steps = arena_alloc(ps.a, json_array_size(steps) * sizeof *ps.steps);
	ps.fields = arena_alloc(ps.a, (nfields + 1) * sizeof *ps.fields);
	for (size_t i = 0; i < json_array_size(steps); i++) {
		char path[PATH_MAX_LEN];
		subpath(path, "steps[%zu]", i);
		if (parse_step(&ps, path, json_array_get(steps, i), i))
			goto fail;
	}
	out->steps = ps.steps;
	out->nsteps = json_array_size(steps);
	out->fields = ps.fields;
	out->nfields = ps.nfields;
	json_decref(root);
	return 0;
fail:
	json_decref(root);
	intake_q_free(out);
	return -1;
}

/* ---- answers ---- */

/* The index of the field with the NUL-terminated id (read at most
 * INTAKE_ID_MAX + 1 bytes of it), or -1. */
static int find_field(const struct intake_questionnaire *q, const char *id)
{
	if (!id)
		return -1;
	size_t n = strnlen(id, INTAKE_ID_MAX + 1);
	if (!id_valid(id, n))
		return -1;
	return intake_q_field(q, id);
}

/* first[i]: the index of the first answer to fields[i], or -1. */
static void first_answers(const struct intake_questionnaire *q, const struct intake_answer *a,
			  size_t n, int *first)
{
	for (size_t i = 0; i < q->nfields; i++)
		first[i] = -1;
	for (size_t k = 0; k < n && k < INTAKE_MAX_ANSWERS; k++) {
		int f = find_field(q, a[k].field);
		if (f >= 0 && first[f] < 0)
			first[f] = (int)k;
	}
}

/* 1 if answer x (may be NULL) holds exactly one of c's values. */
static int cond_holds(const struct intake_cond *c, const struct intake_answer *x)
{
	if (!x || !x->value)
		return 0;
	for (size_t i = 0; i < c->nvalues; i++)
		if (strlen(c->values[i]) == x->len && memcmp(c->values[i], x->value, x->len) == 0)
			return 1;
	return 0;
}

/* Fills shown from first (see first_answers). A condition names an earlier
 * field, so one pass in order sees it decided already. */
static void decide_shown(const struct intake_questionnaire *q, const struct intake_answer *a,
			 const int *first, unsigned char *shown)
{
	for (size_t i = 0; i < q->nfields; i++) {
		const struct intake_cond *c = q->fields[i].show_if;
		shown[i] = !c || (shown[c->field] &&
				  cond_holds(c, first[c->field] >= 0 ? &a[first[c->field]] : NULL));
	}
}

void intake_shown(const struct intake_questionnaire *q, const struct intake_answer *a, size_t n,
		  unsigned char *shown)
{
	int first[INTAKE_Q_MAX_FIELDS];
	first_answers(q, a, n, first);
	decide_shown(q, a, first, shown);
}

/* Records a refusal for field id (untrusted for unknown ids: cleaned). */
static void refuse(struct intake_answer_errors *out, const char *id, int index,
		   const char *msgid)
{
	out->total++;
	if (out->n == INTAKE_MAX_ERRORS)
		return;
	struct intake_answer_error *e = &out->e[out->n++];
	if (id)
		clean(id, strnlen(id, INTAKE_ID_MAX), e->field, INTAKE_ID_MAX);
	else
		e->field[0] = 0;
	e->index = index;
	e->msgid = msgid;
}

/* 1 if v[0..n) holds only spaces, tabs and line breaks. */
static int blank(const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] != ' ' && v[i] != '\t' && v[i] != '\r' && v[i] != '\n')
			return 0;
	return 1;
}

/* The msgid refusing text answer v (n bytes) for f, or NULL if it passes. */
static const char *check_text(const struct intake_field *f, const char *v, size_t n)
{
	if (n > f->max_len)
		return N_("This answer is too long.");
	if (!utf8_valid(v, n))
		return N_("This answer contains characters that are not allowed.");
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = decode((const unsigned char *)v + i, n - i, &cp);
		/* utf8_valid passed, so len > 0; lines only in a longtext */
		int line = cp == '\r' || cp == '\n';
		if (is_control(cp) && cp != '\t' && !(line && f->type == INTAKE_F_LONGTEXT))
			return N_("This answer contains characters that are not allowed.");
		i += len ? len : 1;
	}
	return NULL;
}

/* The msgid refusing the non-empty answer x to shown field f, or NULL. */
static const char *check_value(const struct intake_field *f, const struct intake_answer *x,
			       const char *today)
{
	int c;
	switch (f->type) {
	case INTAKE_F_TEXT:
	case INTAKE_F_LONGTEXT:
		return check_text(f, x->value, x->len);
	case INTAKE_F_CHOICE:
		for (size_t i = 0; i < f->nchoices; i++)
			if (strlen(f->choices[i].id) == x->len &&
			    memcmp(f->choices[i].id, x->value, x->len) == 0)
				return NULL;
		return N_("Please choose one of the options.");
	case INTAKE_F_DATE: {
		char d[DATE_LEN + 1];
		if (date_valid(x->value, x->len) != 0)
			return N_("Please enter a real date.");
		memcpy(d, x->value, DATE_LEN);
		d[DATE_LEN] = 0;
		if (date_cmp(d, today, &c) != 0 || c > 0)
			return N_("The date cannot be in the future.");
		return NULL;
	}
	case INTAKE_F_YESNO:
		if ((x->len == 3 && memcmp(x->value, "yes", 3) == 0) ||
		    (x->len == 2 && memcmp(x->value, "no", 2) == 0))
			return NULL;
		return N_("Please answer yes or no.");
	case INTAKE_F_FILE:
		break;
	}
	return NULL;
}

/* The msgid refusing field f's answer x (NULL: none) when shown, or NULL. */
static const char *check_shown(const struct intake_field *f, const struct intake_answer *x,
			       const char *today)
{
	if (f->type == INTAKE_F_FILE) {
		unsigned files = x ? x->files : 0;
		if (x && x->len)
			return N_("This answer is not valid.");
		if (files == 0)
			return f->required ? N_("Please add a file.") : NULL;
		if (files > f->max_files)
			return N_("There are too many files for this question.");
		return NULL;
	}
	if (x && x->files)
		return N_("This question does not take files.");
	if (!x || x->len == 0 || blank(x->value, x->len)) {
		if (f->required)
			return N_("Please answer this question.");
		if (!x || x->len == 0)
			return NULL;
	}
	return check_value(f, x, today);
}

int intake_answers_check(const struct intake_questionnaire *q, const struct intake_answer *a,
			 size_t n, const char *today, struct intake_answer_errors *out)
{
	int first[INTAKE_Q_MAX_FIELDS];
	unsigned char shown[INTAKE_Q_MAX_FIELDS];
	memset(out, 0, sizeof *out);
	if (!today || strnlen(today, DATE_LEN + 1) != DATE_LEN || date_valid(today, DATE_LEN)) {
		refuse(out, NULL, -1, N_("The form could not be checked. Please try again."));
		goto fail;
	}
	if (n > INTAKE_MAX_ANSWERS) {
		refuse(out, NULL, -1, N_("There are too many answers."));
		goto fail;
	}
	/* an answer whose value and length disagree is a caller's error, but is
	 * still refused here rather than read */
	for (size_t k = 0; k < n; k++)
		if (!a[k].value && a[k].len) {
			refuse(out, a[k].field, find_field(q, a[k].field),
			       N_("This answer is not valid."));
			goto fail;
		}
	first_answers(q, a, n, first);
	for (size_t k = 0; k < n; k++) {
		int f = find_field(q, a[k].field);
		if (f < 0)
			refuse(out, a[k].field, -1, N_("This question is not part of the form."));
		else if (first[f] != (int)k)
			refuse(out, a[k].field, f, N_("This question was answered more than once."));
	}
	decide_shown(q, a, first, shown);
	for (size_t i = 0; i < q->nfields; i++) {
		const struct intake_field *f = &q->fields[i];
		const struct intake_answer *x = first[i] >= 0 ? &a[first[i]] : NULL;
		const char *why;
		if (!shown[i])
			why = x && (x->len || x->files) ?
				N_("This question does not apply to your earlier answers; leave it "
				   "empty.") : NULL;
		else
			why = check_shown(f, x, today);
		if (why)
			refuse(out, f->id, (int)i, why);
	}
	if (out->total)
		goto fail;
	return 0;
fail:
	return -1;
}
