/* jsondoc.c: the shared frame of the JSON data file readers. */
#include "base/jsondoc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int jsondoc_fail(const struct jsondoc_err *e, const char *path, const char *fmt, ...)
{
	char msg[700];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(e->buf, e->len, "%s: %s", path, msg);
	return -1;
}

void jsondoc_path(char out[JSONDOC_PATH_MAX], const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out, JSONDOC_PATH_MAX, fmt, ap);
	va_end(ap);
}

const char *jsondoc_clean(const char *s, size_t n, char *out, size_t max)
{
	size_t j = 0;
	for (size_t i = 0; i < n && s[i] && j < max; i++)
		out[j++] = ((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f) ? s[i] : '?';
	out[j] = 0;
	return out;
}

int jsondoc_only_fields(const struct jsondoc_err *e, const char *path, json_t *obj,
			const char *const *allowed)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		int ok = 0;
		for (int i = 0; allowed[i] && !ok; i++)
			ok = strcmp(key, allowed[i]) == 0;
		if (!ok) {
			char q[JSONDOC_CLEAN_MAX + 1];
			return jsondoc_fail(e, path, "unknown field \"%s\"",
					    jsondoc_clean(key, strlen(key), q, JSONDOC_CLEAN_MAX));
		}
	}
	return 0;
}

json_t *jsondoc_load(const struct jsondoc_err *e, const char *text, size_t len, size_t max,
		     const char *format, int version, const char *const *top)
{
	if (len > max) {
		snprintf(e->buf, e->len, "larger than %zu bytes", max);
		return NULL;
	}
	json_error_t je;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		char q[JSONDOC_CLEAN_MAX + 1];
		snprintf(e->buf, e->len, "line %d, column %d: %s", je.line, je.column,
			 jsondoc_clean(je.text, sizeof je.text, q, JSONDOC_CLEAN_MAX));
		return NULL;
	}
	if (!json_is_object(root)) {
		jsondoc_fail(e, "top level", "must be an object");
		goto fail;
	}
	if (jsondoc_only_fields(e, "top level", root, top) != 0)
		goto fail;
	json_t *v = json_object_get(root, "format");
	if (!v || !json_is_string(v) || strcmp(json_string_value(v), format) != 0) {
		jsondoc_fail(e, "format", "must be \"%s\"", format);
		goto fail;
	}
	v = json_object_get(root, "version");
	if (!v || !json_is_integer(v) || json_integer_value(v) != version) {
		jsondoc_fail(e, "version", "must be %d, the version of the format this program reads",
			     version);
		goto fail;
	}
	return root;
fail:
	json_decref(root);
	return NULL;
}

int jsondoc_int(const struct jsondoc_err *e, const char *path, json_t *obj, const char *key,
		int lo, int hi, int *out)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return jsondoc_fail(e, path, "%s must be a whole number from %d to %d", key, lo, hi);
	*out = (int)json_integer_value(v);
	return 0;
}
