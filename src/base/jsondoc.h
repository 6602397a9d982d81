/* jsondoc.h: the frame every JSON data file reader shares (organisations,
 * questionnaires, and later protocols and frameworks): a size limit, duplicate
 * keys refused, a named format and version, unknown keys refused, and errors
 * of the form "PATH: message" where PATH is a JSON path ("events[2].move.AB").
 * Untrusted text in messages is reduced to printable ASCII. */
#ifndef BASE_JSONDOC_H
#define BASE_JSONDOC_H
#include <jansson.h>
#include <stddef.h>

#define JSONDOC_PATH_MAX 160
#define JSONDOC_CLEAN_MAX 60  /* characters of untrusted text shown in a message */

/* Where a reader writes its one error. */
struct jsondoc_err {
	char *buf;
	size_t len;
};

/* Writes "path: message" into e; returns -1 so that readers can return it. */
int jsondoc_fail(const struct jsondoc_err *e, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Formats a JSON path; one too deep for the buffer is cut, which only
 * shortens a message. */
void jsondoc_path(char out[JSONDOC_PATH_MAX], const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Printable ASCII of untrusted s (up to n bytes, at most max shown), the rest
 * as '?', into out (max + 1 bytes); returns out. */
const char *jsondoc_clean(const char *s, size_t n, char *out, size_t max);
/* The whole number at key of obj, from lo to hi, into *out; else "path: KEY
 * must be a whole number from LO to HI". 0 or -1. */
int jsondoc_int(const struct jsondoc_err *e, const char *path, json_t *obj, const char *key,
		int lo, int hi, int *out);
/* Refuses any key of obj not in allowed (NULL-terminated). 0 or -1. */
int jsondoc_only_fields(const struct jsondoc_err *e, const char *path, json_t *obj,
			const char *const *allowed);
/* Parses text (len bytes, at most max) as a JSON object with "format": format,
 * "version": version and no keys but top (NULL-terminated, which must list
 * "format" and "version"). Returns the root (json_decref it) or NULL with the
 * reason in e. */
json_t *jsondoc_load(const struct jsondoc_err *e, const char *text, size_t len, size_t max,
		     const char *format, int version, const char *const *top);

#endif
