/* fuzz_api.c: what the JSON API reads from a request before any handler runs,
 * on any bytes: the first line as a path for the route table (api_match) and
 * as a Content-Type (api_json_content_type), the rest as a body
 * (api_body_parse) against the fields of POST /api/v1/reports. A body that
 * passes must be an object with only those keys; one that fails must leave
 * nothing behind and name, if anything, a plausible field name. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/api_body.h"
#include "app/api_routes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fields[] = {"organisation", "kind", "mode", "answers", "identity",
				     "recused", "questionnaire_revision", NULL};

static void route(const char *path)
{
	static const char *const methods[] = {"GET", "POST", "DELETE", "HEAD", "PUT"};
	for (size_t m = 0; m < sizeof methods / sizeof methods[0]; m++) {
		const struct api_route *r;
		int64_t id = -1;
		char code[ORG_CODE_MAX + 1];
		char allow[64];
		enum api_match_result res = api_match(methods[m], path, &r, &id, code, allow,
						      sizeof allow);
		if (res == API_FOUND) {
			if (!r || strncmp(path, "/api/v1/", 8) != 0 || id < 0 ||
			    id > ((int64_t)1 << 53) || strlen(code) > ORG_CODE_MAX)
				abort();
			if (strstr(r->pattern, "{id}") ? id < 1 : id != 0)
				abort();
		} else if (r || (res == API_BAD_METHOD && !allow[0])) {
			abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	size_t head = nl ? (size_t)(nl - (const char *)data) : size;
	char path[512];
	if (head < sizeof path) {
		memcpy(path, data, head);
		path[head] = 0;
		route(path);
		(void)api_json_content_type(path);
	}
	const char *body = nl ? nl + 1 : (const char *)data + size;
	size_t len = nl ? size - head - 1 : 0;
	json_t *j = (json_t *)1;
	struct api_body_error e;
	enum api_body_status st = api_body_parse(body, len, fields, &j, &e);
	if (st == API_BODY_OK) {
		const char *key;
		json_t *v;
		if (!json_is_object(j))
			abort();
		json_object_foreach(j, key, v) {
			int known = 0;
			for (size_t i = 0; fields[i]; i++)
				known |= strcmp(key, fields[i]) == 0;
			if (!known)
				abort();
		}
		json_decref(j);
	} else {
		if (j || strlen(e.field) > API_FIELD_NAME_MAX || strspn(e.field,
			"abcdefghijklmnopqrstuvwxyz_") != strlen(e.field))
			abort();
	}
	return 0;
}
