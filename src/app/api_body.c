/* api_body.c: reading the JSON body of an API request (api_body.h). */
#include "app/api_body.h"

#include <string.h>
#include <strings.h>

#include "base/utf8.h"

/* 1 if key may be repeated in an answer: a plausible field name. */
static int field_name(const char *key)
{
	size_t n = strlen(key);
	if (n == 0 || n > API_FIELD_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((key[i] >= 'a' && key[i] <= 'z') || key[i] == '_'))
			return 0;
	return 1;
}

enum api_body_status api_body_parse(const char *body, size_t len, const char *const *fields,
				    json_t **out, struct api_body_error *e)
{
	memset(e, 0, sizeof *e);
	*out = NULL;
	if (!utf8_valid(body, len))
		return API_BODY_INVALID_UTF8;
	json_error_t jerr;
	json_t *j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!j) {
		if (json_error_code(&jerr) == json_error_duplicate_key)
			return API_BODY_DUPLICATE_KEY;
		e->line = jerr.line;
		e->column = jerr.column;
		return API_BODY_MALFORMED;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		return API_BODY_NOT_OBJECT;
	}
	const char *key;
	json_t *v;
	json_object_foreach(j, key, v) {
		int known = 0;
		for (size_t i = 0; fields && fields[i] && !known; i++)
			known = strcmp(key, fields[i]) == 0;
		if (!known) {
			if (field_name(key))
				strcpy(e->field, key);
			json_decref(j);
			return API_BODY_UNKNOWN_FIELD;
		}
	}
	*out = j;
	return API_BODY_OK;
}

int api_json_content_type(const char *ct)
{
	static const char type[] = "application/json";
	if (!ct || strncasecmp(ct, type, sizeof type - 1) != 0)
		return 0;
	const char *s = ct + sizeof type - 1;
	s += strspn(s, " \t");
	if (!*s)
		return 1;
	if (*s++ != ';')
		return 0;
	s += strspn(s, " \t");
	if (strncasecmp(s, "charset=", 8) != 0)
		return 0;
	s += 8;
	int quoted = *s == '"';
	s += quoted;
	if (strncasecmp(s, "utf-8", 5) != 0)
		return 0;
	s += 5;
	if (quoted && *s++ != '"')
		return 0;
	return s[strspn(s, " \t")] == 0;
}
