/* harness_session.c: what the tests' users do in a browser before the thing
 * under test (signing in, setting up the authenticator app, choosing a
 * language, reading a form's token), and a reporter opening a report with the
 * receipt through the API. */
#include "harness.h"

#include <jansson.h>
#include <liboath/oath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

char *text_between(const char *s, const char *open, const char *close)
{
	const char *a = s ? strstr(s, open) : NULL;
	if (!a)
		return NULL;
	a += strlen(open);
	const char *b = strstr(a, close);
	return b ? strndup(a, (size_t)(b - a)) : NULL;
}

int totp_code(const char *shown, time_t t, char code[7])
{
	char b32[128];
	size_t n = 0;
	for (const char *s = shown; *s && n < sizeof b32 - 1; s++)
		if (*s != ' ')
			b32[n++] = *s;
	b32[n] = 0;
	char *secret = NULL;
	size_t len = 0;
	int ok = oath_init() == OATH_OK && oath_base32_decode(b32, n, &secret, &len) == OATH_OK &&
		 oath_totp_generate(secret, len, t, 30, 0, 6, code) == OATH_OK;
	free(secret);
	oath_done();
	return ok ? 0 : -1;
}

char *client_csrf(struct client *c, const char *path)
{
	struct http_result r;
	if (client_get(c, path, &r) != 0)
		return NULL;
	char *t = html_input_value(r.body, "csrf");
	http_result_free(&r);
	return t;
}

/* Sets up the authenticator app on /account/2fa after a first sign-in with
 * pw (URL-encoded). Returns 0 with the secret as shown and the first recovery
 * code (both malloc'd), or -1. */
static int enrol(struct client *c, const char *pw, char **shown, char **recovery)
{
	struct http_result r;
	char *csrf = NULL, code[7];
	*shown = *recovery = NULL;
	if (client_get(c, "/account/2fa", &r) == 0) {
		*shown = text_between(r.body, "<code class=\"utrecht-code\">", "</code>");
		csrf = html_input_value(r.body, "csrf");
		http_result_free(&r);
	}
	int rc = -1;
	if (*shown && csrf && totp_code(*shown, time(NULL), code) == 0) {
		size_t n = strlen(csrf) + strlen(pw) + 64;
		char *body = malloc(n);
		snprintf(body, n, "csrf=%s&password=%s&code=%s", csrf, pw, code);
		if (client_post(c, "/account/2fa", body, &r) == 0) {
			/* ten recovery codes, shown once */
			*recovery = text_between(r.body, "<li class=\"utrecht-unordered-list__item\">"
						 "<code class=\"utrecht-code\">", "</code>");
			rc = r.status == 200 && *recovery ? 0 : -1;
			http_result_free(&r);
		}
		free(body);
	}
	free(csrf);
	if (rc != 0) {
		free(*shown);
		free(*recovery);
		*shown = *recovery = NULL;
	}
	return rc;
}

int client_sign_in(struct client *c, const char *user, const char *password, char **totp,
		   char **recovery)
{
	if (totp)
		*totp = NULL;
	if (recovery)
		*recovery = NULL;
	char *csrf = client_csrf(c, "/login");
	char *u = url_encode(user), *pw = url_encode(password);
	size_t n = (csrf ? strlen(csrf) : 0) + strlen(u) + strlen(pw) + 64;
	char *body = malloc(n);
	snprintf(body, n, "csrf=%s&username=%s&password=%s", csrf ? csrf : "", u, pw);
	free(csrf);
	free(u);
	struct http_result r;
	int rc = client_post(c, "/login", body, &r);
	free(body);
	if (rc != 0 || r.status != 303) {
		if (rc == 0)
			http_result_free(&r);
		free(pw);
		return -1;
	}
	int needs_app = strstr(r.headers, "Location: /account/2fa") != NULL;
	http_result_free(&r);
	char *shown = NULL, *first = NULL;
	/* the role needs a second factor: set up the authenticator app */
	rc = needs_app ? enrol(c, pw, &shown, &first) : 0;
	free(pw);
	if (totp)
		*totp = shown;
	else
		free(shown);
	if (recovery)
		*recovery = first;
	else
		free(first);
	return rc;
}

int client_set_lang(struct client *c, const char *lang)
{
	char *csrf = client_csrf(c, "/account");
	if (!csrf)
		return -1;
	char body[300];
	snprintf(body, sizeof body, "csrf=%s&lang=%s&return_to=%%2Faccount", csrf, lang);
	free(csrf);
	struct http_result r;
	if (client_post(c, "/lang", body, &r) != 0)
		return -1;
	int rc = r.status == 303 ? 0 : -1;
	http_result_free(&r);
	return rc;
}

/* ---- the reporter's side of the API ---- */

char *receipt_answer(struct client *c, const char *receipt, const char *field)
{
	char body[200], auth[200];
	snprintf(body, sizeof body, "{\"receipt\":\"%s\"}", receipt);
	const char *json[] = {"Content-Type: application/json", NULL};
	struct http_result r;
	if (client_request(c, "POST", "/api/v1/receipt/session", json, body, strlen(body), &r) != 0)
		return NULL;
	json_t *j = r.status == 201 ? json_loads(r.body, 0, NULL) : NULL;
	if (r.status != 201)
		fprintf(stderr, "receipt session: %ld %s\n", r.status, r.body);
	http_result_free(&r);
	const char *tok = json_string_value(json_object_get(j, "token"));
	if (!tok) {
		json_decref(j);
		return NULL;
	}
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", tok);
	json_decref(j);
	const char *bearer[] = {auth, NULL};
	char *out = NULL;
	if (client_request(c, "GET", "/api/v1/receipt/report", bearer, NULL, 0, &r) == 0) {
		j = r.status == 200 ? json_loads(r.body, 0, NULL) : NULL;
		http_result_free(&r);
		const char *v = json_string_value(json_object_get(json_object_get(j, "answers"),
								  field));
		out = v ? strdup(v) : NULL;
		json_decref(j);
	}
	/* sign out, as a careful reporter would */
	if (client_request(c, "DELETE", "/api/v1/receipt/session", bearer, NULL, 0, &r) == 0)
		http_result_free(&r);
	return out;
}
