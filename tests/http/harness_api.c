/* harness_api.c: see harness_api.h. */
#include "harness_api.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

long api_call(struct server *srv, const char *method, const char *path, const char *token,
	      const char *json, struct api_reply *out)
{
	char auth[300];
	const char *hdrs[3] = {0};
	size_t n = 0;
	if (token) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
		hdrs[n++] = auth;
	}
	if (json)
		hdrs[n++] = "Content-Type: application/json";
	struct client *c = client_new(srv);
	struct http_result r;
	assert_int_equal(client_request(c, method, path, hdrs, json, json ? strlen(json) : 0, &r), 0);
	client_free(c);
	out->status = r.status;
	out->json = *r.body ? json_loads(r.body, 0, NULL) : NULL;
	if (*r.body && !out->json)
		fail_msg("%s %s: not JSON: %s", method, path, r.body);
	http_result_free(&r);
	return out->status;
}

char *api_token(struct server *srv, const char *username, const char *password,
		const char *code)
{
	json_t *req = json_pack("{s:s, s:s}", "username", username, "password", password);
	if (code)
		json_object_set_new(req, "code", json_string(code));
	char *body = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	struct api_reply r;
	long status = api_call(srv, "POST", "/api/v1/session", NULL, body, &r);
	free(body);
	const char *t = json_string_value(json_object_get(r.json, "token"));
	char *out = t ? strdup(t) : NULL;
	json_decref(r.json);
	if (status != 201 || !out) {
		fail_msg("no API session for %s: %ld", username, status);
		return NULL;
	}
	return out;
}

const char *api_error_code(const struct api_reply *r)
{
	const char *c = json_string_value(json_object_get(json_object_get(r->json, "error"), "code"));
	return c ? c : "";
}
