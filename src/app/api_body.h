/* api_body.h: reading the JSON body of an API request, apart from answering
 * (api.c), so that it is pure and a fuzz target (tests/fuzz/targets/fuzz_api.c).
 * A body is valid UTF-8 (checked first, so that the answer can say so), one
 * JSON object, with no key twice and no key but those the route takes. */
#ifndef APP_API_BODY_H
#define APP_API_BODY_H
#include <jansson.h>
#include <stddef.h>

enum api_body_status {
	API_BODY_OK,
	API_BODY_INVALID_UTF8,
	API_BODY_MALFORMED,
	API_BODY_DUPLICATE_KEY,
	API_BODY_NOT_OBJECT,
	API_BODY_UNKNOWN_FIELD,
};

#define API_FIELD_NAME_MAX 40

struct api_body_error {
	int line, column;                   /* API_BODY_MALFORMED */
	/* API_BODY_UNKNOWN_FIELD: the key, when it looks like a field name
	 * ([a-z_], at most API_FIELD_NAME_MAX); "" otherwise, so that an answer
	 * never repeats arbitrary text sent */
	char field[API_FIELD_NAME_MAX + 1];
};

/* Parses len bytes against fields (NULL-terminated; NULL: no key allowed).
 * Returns API_BODY_OK with *out set (json_decref it), or another status with
 * *out NULL and e filled. */
enum api_body_status api_body_parse(const char *body, size_t len, const char *const *fields,
				    json_t **out, struct api_body_error *e);

/* 1 if a Content-Type header value is application/json, with no parameter
 * but an optional charset=utf-8 (any case, quoted or not); else 0. */
int api_json_content_type(const char *ct);

#endif
