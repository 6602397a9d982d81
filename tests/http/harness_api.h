/* harness_api.h: the JSON API from a test: a Bearer session for a user and
 * one call with its parsed reply. Shared by the tests of every feature's API
 * so that each test says what it checks, not how to talk HTTP. */
#ifndef TESTS_HTTP_HARNESS_API_H
#define TESTS_HTTP_HARNESS_API_H
#include <jansson.h>

#include "harness.h"

struct api_reply {
	long status;
	json_t *json;  /* the parsed body; NULL when the body is empty */
};

/* One request with "Authorization: Bearer token" (none when token is NULL)
 * and, when json is not NULL, that body as application/json. Fails the test
 * when the request cannot be made or a non-empty body is not JSON. Returns
 * the status; the caller owns out->json (json_decref). */
long api_call(struct server *srv, const char *method, const char *path, const char *token,
	      const char *json, struct api_reply *out);

/* Opens an API session (POST /api/v1/session) for username with password and,
 * when code is not NULL, that second-factor or recovery code. Fails the test
 * unless it answers 201 with a token. Returns the token (free it). */
char *api_token(struct server *srv, const char *username, const char *password,
		const char *code);

/* The "code" of an API error reply ({"error":{"code":...}}), or "". */
const char *api_error_code(const struct api_reply *r);

#endif
