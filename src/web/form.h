/* form.h: HTML form bodies, application/x-www-form-urlencoded and
 * multipart/form-data, parsed into an arena with hard limits. Malformed input,
 * invalid UTF-8 in names or text values, and anything over a limit is rejected
 * whole: a handler never sees a half-parsed form. Both parsers are fuzz
 * targets. */
#ifndef WEB_FORM_H
#define WEB_FORM_H
#include <stddef.h>

#include "base/arena.h"

struct form_limits {
	size_t max_fields;   /* fields, files included */
	size_t max_name;     /* bytes in a field name */
	size_t max_value;    /* bytes in a text value */
	size_t max_file;     /* bytes in one file */
	size_t max_files;
	size_t max_total;    /* bytes of the whole body */
};

/* 64 fields, 64-byte names, 64 KiB values, no files, 256 KiB in all. */
extern const struct form_limits form_default_limits;

/* Routes that take files: up to FORM_UPLOAD_FILES files of at most
 * FORM_UPLOAD_FILE_MAX bytes, in a body of at most FORM_UPLOAD_BODY_MAX;
 * text fields as small as form_default_limits'. The numbers are the
 * reporting channel's (intake.h INTAKE_FILE_MAX, INTAKE_FILES_MAX,
 * INTAKE_FILES_TOTAL; src/intake/attach.c asserts they agree): this layer
 * knows no domain, so it only carries them. The body allows the files'
 * total plus 1 MiB for the text fields and the parts' headers; the route's
 * handler checks the files' total itself, with a message per file. A route
 * that uses these limits must also be given FORM_UPLOAD_BODY_MAX as its body
 * limit (app_body_limit). */
#define FORM_UPLOAD_FILE_MAX (10u << 20)
#define FORM_UPLOAD_FILES 10
#define FORM_UPLOAD_FILES_TOTAL (25u << 20)
#define FORM_UPLOAD_BODY_MAX (FORM_UPLOAD_FILES_TOTAL + (1u << 20))
extern const struct form_limits form_upload_limits;

struct form_field {
	const char *name;
	const char *value;    /* a text value: NUL-terminated, in the arena. A file:
				 its len bytes where they are in the request body, not
				 copied (an upload can be 10 MiB) and not NUL-terminated;
				 valid as long as the body */
	size_t len;
	const char *filename; /* NULL for a text field; the sender's name, never a path */
	const char *content_type;
};

struct form {
	struct form_field *fields;
	size_t n;
};

enum form_error {
	FORM_OK = 0,
	FORM_MALFORMED,      /* not valid urlencoded or multipart syntax */
	FORM_BAD_UTF8,       /* a name or text value is not valid UTF-8 */
	FORM_TOO_MANY,       /* more fields or files than allowed */
	FORM_FIELD_TOO_BIG,  /* a name or value over its limit */
	FORM_FILE_TOO_BIG,
	FORM_TOO_BIG,        /* the whole body over its limit */
};

/* A plain-language reason for a form error, in English (the page translates). */
const char *form_error_text(enum form_error e);

enum form_error form_parse_urlencoded(struct arena *a, const char *body, size_t n,
				      const struct form_limits *lim, struct form *out);
/* content_type is the request's Content-Type header, which carries the boundary. */
enum form_error form_parse_multipart(struct arena *a, const char *content_type,
				     const char *body, size_t n, const struct form_limits *lim,
				     struct form *out);

/* The first value named name, or NULL. */
const char *form_get(const struct form *f, const char *name);
const struct form_field *form_field(const struct form *f, const char *name);

#endif
