/* test_api.c: the JSON API under /api/v1 against a real server: bodies
 * (content type, malformed, duplicate and unknown keys, UTF-8, size),
 * submitting a report and every refusal of one (with nothing written), the
 * receipt session and its throttle, users' sessions with the second factor,
 * bearer tokens (never the cookie), every route as every kind of caller, the
 * conversation reporter -> handler -> reporter, the acknowledgement, and
 * docs/openapi.yaml against the route table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "accounts/accounts.h"
#include "app/api_routes.h"
#include "base/date.h"
#include "crypto/receipt.h"
#include "harness.h"

static struct server srv;
static struct client *api;   /* no cookies ever set: a plain API client */
static struct client *ivo_web; /* ivo's browser, signed in with a cookie */

#define PW "lange zin over tulpen 42"

/* tokens of the users, from POST /api/v1/session */
static char *tok_ivo, *tok_bea, *tok_mona, *tok_anna, *tok_adam, *tok_otto;
/* ivo's TOTP secret as shown, and recovery codes of the others */
static char *ivo_secret, *bea_code, *mona_code, *adam_code;
static int64_t ivo_id, carla_id;

static int cli(const char *const *args, const char *input)
{
	return server_cli_input(&srv, args, input);
}

static int has(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

/* Signs in on the website and sets up the authenticator app; returns the
 * secret as shown and (in *recovery) the first recovery code. The browser c
 * stays signed in with a cookie. */
static char *enrol(struct client *c, const char *user, char **recovery)
{
	char *shown = NULL;
	assert_int_equal(client_sign_in(c, user, PW, &shown, recovery), 0);
	assert_non_null(shown);
	assert_non_null(*recovery);
	return shown;
}

static int setup(void **state)
{
	(void)state;
	if (server_start(&srv) != 0)
		return -1;
	const char *bzk[] = {"org", "add", "BZK", "--name", "Binnenlandse Zaken", "--parent",
			     "RIJK", "--from", "2020-01-01", NULL};
	const char *empty[] = {"org", "add", "EZK", "--name", "Economische Zaken", "--parent",
			       "RIJK", "--from", "2020-01-01", NULL};
	if (server_add_rijk_fin(&srv) || cli(bzk, NULL) || cli(empty, NULL))
		return -1;
	const char *users[][4] = {
		{"ivo", "Ivo Integer", "integrity_coordinator", "FIN"},
		{"carla", "Carla Vertrouwens", "confidential_adviser", "FIN"},
		{"bea", "Bea Binnenland", "integrity_coordinator", "BZK"},
		{"mona", "Mona Manager", "manager", "FIN"},
		{"anna", "Anna Coördinator", "coordinator", "RIJK"},
		{"adam", "Adam Admin", "administrator", "RIJK"},
		{"otto", "Otto Auditor", "auditor", "RIJK"},
	};
	for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
		if (server_add_user(&srv, users[i][0], users[i][1], users[i][2], users[i][3], PW))
			return -1;
	}
	api = client_new(&srv);
	ivo_web = client_new(&srv);
	struct client *b = client_new(&srv), *m = client_new(&srv), *a = client_new(&srv);
	char *ivo_code;
	ivo_secret = enrol(ivo_web, "ivo", &ivo_code);
	free(ivo_code);
	free(enrol(b, "bea", &bea_code));
	free(enrol(m, "mona", &mona_code));
	free(enrol(a, "adam", &adam_code));
	client_free(b);
	client_free(m);
	client_free(a);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	client_free(api);
	client_free(ivo_web);
	free(tok_ivo);
	free(tok_bea);
	free(tok_mona);
	free(tok_anna);
	free(tok_adam);
	free(tok_otto);
	free(ivo_secret);
	free(bea_code);
	free(mona_code);
	free(adam_code);
	return server_stop(&srv) == 0 ? 0 : -1;
}

/* ---- calling the API ---- */

struct reply {
	long status;
	json_t *json;      /* the parsed body; NULL when empty */
	char *headers;
};

static void reply_free(struct reply *r)
{
	json_decref(r->json);
	free(r->headers);
	memset(r, 0, sizeof *r);
}

/* A request with an optional bearer token and a body of a given type. */
static long raw(const char *method, const char *path, const char *token, const char *ctype,
		const char *body, size_t len, struct reply *out)
{
	char auth[200], type[200];
	const char *hdrs[3] = {0};
	size_t n = 0;
	if (token) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
		hdrs[n++] = auth;
	}
	if (ctype) {
		snprintf(type, sizeof type, "Content-Type: %s", ctype);
		hdrs[n++] = type;
	}
	struct http_result r;
	assert_int_equal(client_request(api, method, path, hdrs, body, len, &r), 0);
	memset(out, 0, sizeof *out);
	out->status = r.status;
	out->headers = r.headers;
	r.headers = NULL;
	if (*r.body) {
		json_error_t e;
		out->json = json_loads(r.body, 0, &e);
		if (!out->json)
			fail_msg("%s %s answered something that is not JSON (%s at %d): %s", method,
				 path, e.text, e.position, r.body);
	}
	/* every answer of the API: JSON, never cached */
	if (strcmp(method, "HEAD") != 0 && out->status != 204)
		assert_true(has(out->headers, "Content-Type: application/json; charset=utf-8"));
	assert_true(has(out->headers, "Cache-Control: no-store"));
	http_result_free(&r);
	return out->status;
}

static long call(const char *method, const char *path, const char *token, const char *json,
		 struct reply *out)
{
	return raw(method, path, token, json ? "application/json" : NULL, json,
		   json ? strlen(json) : 0, out);
}

static const char *err_code(const struct reply *r)
{
	json_t *e = json_object_get(r->json, "error");
	const char *c = json_string_value(json_object_get(e, "code"));
	assert_non_null(json_string_value(json_object_get(e, "message")));
	return c ? c : "";
}

#define expect_error(r, st, code)                                                          \
	do {                                                                               \
		if ((r)->status != (st) || strcmp(err_code(r), (code)) != 0)               \
			fail_msg("expected %d %s, got %ld %s", (st), (code), (r)->status,  \
				 (r)->json ? json_dumps((r)->json, 0) : "(no body)");        \
	} while (0)

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* A session token for user, or NULL when refused (status in *st). */
static char *session(const char *user, const char *code, long *st)
{
	char body[300];
	struct reply r;
	if (code)
		snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\",\"code\":\"%s\"}",
			 user, PW, code);
	else
		snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", user, PW);
	*st = call("POST", "/api/v1/session", NULL, body, &r);
	char *t = r.status == 201 ? strdup(str(r.json, "token")) : NULL;
	if (t) {
		assert_int_equal(strlen(t), 86);
		assert_string_equal(str(r.json, "token_type"), "Bearer");
		assert_true(json_integer_value(json_object_get(r.json, "expires_in")) > 0);
	}
	reply_free(&r);
	return t;
}

#define REPORT_OK                                                                          \
	"{\"organisation\":\"FIN\",\"kind\":\"integrity_violation\",\"mode\":\"confidential\","  \
	"\"identity\":\"Jan Jansen, 06-12345678\",\"answers\":{\"kind\":\"integrity_violation\"," \
	"\"description\":\"Er verdwijnt geld uit de kas.\",\"when\":\"2024-03-01\","          \
	"\"contact\":\"messages\"}}"

static size_t inbox_total(const char *token)
{
	struct reply r;
	assert_int_equal(call("GET", "/api/v1/inbox", token, NULL, &r), 200);
	size_t n = (size_t)json_integer_value(json_object_get(r.json, "total"));
	reply_free(&r);
	return n;
}

/* ---- tests ---- */

static void test_user_sessions(void **state)
{
	(void)state;
	struct reply r;
	long st;
	/* wrong password: one answer for unknown user and wrong password */
	assert_int_equal(call("POST", "/api/v1/session", NULL,
			      "{\"username\":\"ivo\",\"password\":\"not the password 1\"}", &r), 401);
	expect_error(&r, 401, "invalid_credentials");
	char *dump = json_dumps(r.json, 0);
	assert_false(has(dump, "not the password"));
	free(dump);
	reply_free(&r);
	assert_int_equal(call("POST", "/api/v1/session", NULL,
			      "{\"username\":\"nobody\",\"password\":\"whatever it is 1\"}", &r), 401);
	expect_error(&r, 401, "invalid_credentials");
	reply_free(&r);
	assert_int_equal(call("POST", "/api/v1/session", NULL, "{\"username\":\"ivo\"}", &r), 400);
	expect_error(&r, 400, "missing_field");
	assert_string_equal(str(json_object_get(r.json, "error"), "field"), "password");
	reply_free(&r);
	/* ivo has an authenticator app: no token without its code */
	assert_null(session("ivo", NULL, &st));
	assert_int_equal(st, 401);
	assert_null(session("ivo", "000000", &st));
	assert_int_equal(st, 401);
	/* the code of the next time step: the one of now was used at enrolment */
	char code[7];
	assert_int_equal(totp_code(ivo_secret, time(NULL) + 30, code), 0);
	tok_ivo = session("ivo", code, &st);
	assert_non_null(tok_ivo);
	/* a code works once */
	assert_null(session("ivo", code, &st));
	assert_int_equal(st, 401);
	/* recovery codes stand in for the app */
	tok_bea = session("bea", bea_code, &st);
	tok_mona = session("mona", mona_code, &st);
	tok_adam = session("adam", adam_code, &st);
	assert_non_null(tok_bea);
	assert_non_null(tok_mona);
	assert_non_null(tok_adam);
	/* roles that need no second factor */
	tok_anna = session("anna", NULL, &st);
	tok_otto = session("otto", NULL, &st);
	assert_non_null(tok_anna);
	assert_non_null(tok_otto);
	/* carla's role needs a second factor she has not set up: the website first */
	assert_int_equal(call("POST", "/api/v1/session", NULL,
			      "{\"username\":\"carla\",\"password\":\"" PW "\"}", &r), 403);
	expect_error(&r, 403, "second_factor_not_set_up");
	reply_free(&r);
}

static void test_bearer_only(void **state)
{
	(void)state;
	struct reply r;
	assert_int_equal(call("GET", "/api/v1/inbox", NULL, NULL, &r), 401);
	expect_error(&r, 401, "unauthenticated");
	assert_true(has(r.headers, "WWW-Authenticate: Bearer"));
	reply_free(&r);
	assert_int_equal(call("GET", "/api/v1/inbox", "not-a-token", NULL, &r), 401);
	expect_error(&r, 401, "invalid_token");
	assert_true(has(r.headers, "error=\"invalid_token\""));
	reply_free(&r);
	char fake[87];
	memset(fake, 'A', 86);
	fake[86] = 0;
	assert_int_equal(call("GET", "/api/v1/inbox", fake, NULL, &r), 401);
	expect_error(&r, 401, "invalid_token");
	reply_free(&r);
	/* ivo's browser holds a signed-in session cookie: the API ignores it,
	 * so another site cannot make that browser act through the API */
	struct http_result h;
	assert_int_equal(client_get(ivo_web, "/account", &h), 0);
	assert_int_equal(h.status, 200);
	http_result_free(&h);
	assert_int_equal(client_request(ivo_web, "GET", "/api/v1/inbox", NULL, NULL, 0, &h), 0);
	assert_int_equal(h.status, 401);
	assert_true(has(h.body, "\"unauthenticated\""));
	http_result_free(&h);
	/* but a token works */
	assert_int_equal(call("GET", "/api/v1/inbox", tok_ivo, NULL, &r), 200);
	reply_free(&r);
	/* unknown addresses and methods */
	assert_int_equal(call("GET", "/api/v1/nothing", NULL, NULL, &r), 404);
	expect_error(&r, 404, "not_found");
	reply_free(&r);
	assert_int_equal(call("GET", "/api", NULL, NULL, &r), 404);
	reply_free(&r);
	assert_int_equal(call("DELETE", "/api/v1/reports", NULL, NULL, &r), 405);
	expect_error(&r, 405, "method_not_allowed");
	assert_true(has(r.headers, "Allow: POST"));
	reply_free(&r);
}

static void test_bodies(void **state)
{
	(void)state;
	struct reply r;
	const char *path = "/api/v1/reports";
	assert_int_equal(raw("POST", path, NULL, "text/plain", "{}", 2, &r), 415);
	expect_error(&r, 415, "unsupported_media_type");
	reply_free(&r);
	assert_int_equal(raw("POST", path, NULL, "application/x-www-form-urlencoded", "a=1", 3, &r),
			 415);
	reply_free(&r);
	assert_int_equal(raw("POST", path, NULL, "application/json; charset=latin1", "{}", 2, &r),
			 415);
	reply_free(&r);
	assert_int_equal(raw("POST", path, NULL, NULL, "{}", 2, &r), 415);
	reply_free(&r);
	assert_int_equal(call("POST", path, NULL, "{\"organisation\": \"FIN\"", &r), 400);
	expect_error(&r, 400, "malformed_json");
	reply_free(&r);
	assert_int_equal(call("POST", path, NULL, "{\"mode\":\"open\",\"mode\":\"anonymous\"}", &r),
			 400);
	expect_error(&r, 400, "duplicate_key");
	reply_free(&r);
	assert_int_equal(call("POST", path, NULL, "{\"colour\":\"blue\"}", &r), 400);
	expect_error(&r, 400, "unknown_field");
	assert_string_equal(str(json_object_get(r.json, "error"), "field"), "colour");
	reply_free(&r);
	assert_int_equal(call("POST", path, NULL, "[1,2]", &r), 400);
	expect_error(&r, 400, "body_not_object");
	reply_free(&r);
	const char bad[] = "{\"organisation\":\"F\xff\xfeN\"}";
	assert_int_equal(raw("POST", path, NULL, "application/json", bad, sizeof bad - 1, &r), 400);
	expect_error(&r, 400, "invalid_utf8");
	reply_free(&r);
	assert_int_equal(call("POST", path, NULL, "{\"organisation\":\"a\\u0000b\"}", &r), 400);
	reply_free(&r);
	assert_int_equal(call("POST", path, NULL, "{\"organisation\":42}", &r), 400);
	expect_error(&r, 400, "invalid_field");
	reply_free(&r);
	assert_int_equal(call("POST", path, NULL, "{\"organisation\":\"FIN\\nX\"}", &r), 400);
	expect_error(&r, 400, "invalid_field");
	reply_free(&r);
	/* over 512 KiB: refused before it is read, in JSON */
	size_t big = 600 * 1024;
	char *huge = malloc(big + 1);
	memset(huge, ' ', big);
	huge[0] = '{';
	huge[big - 1] = '}';
	huge[big] = 0;
	assert_int_equal(raw("POST", path, NULL, "application/json", huge, big, &r), 413);
	expect_error(&r, 413, "body_too_large");
	reply_free(&r);
	free(huge);
	/* a body on a route that takes none */
	assert_int_equal(call("POST", "/api/v1/reports/1/acknowledge", tok_ivo, "{\"x\":1}", &r),
			 400);
	expect_error(&r, 400, "unknown_field");
	reply_free(&r);
}

static void test_submit_refused(void **state)
{
	(void)state;
	struct reply r;
	size_t before = inbox_total(tok_ivo);
	const char *path = "/api/v1/reports";
	assert_int_equal(call("POST", path, NULL,
			      "{\"organisation\":\"NOPE\",\"kind\":\"wrongdoing\",\"mode\":\"anonymous\","
			      "\"answers\":{\"kind\":\"wrongdoing\",\"description\":\"x\","
			      "\"contact\":\"messages\"}}", &r), 422);
	expect_error(&r, 422, "unknown_organisation");
	reply_free(&r);
	/* answers checked against the questionnaire, with a list per field */
	assert_int_equal(call("POST", path, NULL,
			      "{\"organisation\":\"FIN\",\"kind\":\"wrongdoing\",\"mode\":\"anonymous\","
			      "\"answers\":{\"kind\":\"wrongdoing\",\"when\":\"2999-01-01\","
			      "\"affected\":\"yes\",\"shoe_size\":\"44\"}}", &r), 422);
	expect_error(&r, 422, "invalid_answers");
	json_t *fields = json_object_get(json_object_get(r.json, "error"), "fields");
	assert_true(json_array_size(fields) >= 4);
	char *dump = json_dumps(fields, 0);
	assert_true(has(dump, "\"description\""));   /* required, missing */
	assert_true(has(dump, "\"when\""));          /* in the future */
	assert_true(has(dump, "\"affected\""));      /* hidden for this kind */
	assert_true(has(dump, "\"shoe_size\""));     /* not a question */
	assert_true(has(dump, "\"contact\""));
	assert_false(has(dump, "2999"));             /* never echoes what was sent */
	free(dump);
	reply_free(&r);
	assert_int_equal(call("POST", path, NULL,
			      "{\"organisation\":\"FIN\",\"kind\":\"wrongdoing\",\"mode\":\"anonymous\","
			      "\"answers\":{\"kind\":\"wrongdoing\",\"description\":5}}", &r), 400);
	expect_error(&r, 400, "invalid_field");
	reply_free(&r);
	assert_int_equal(call("POST", path, NULL,
			      "{\"organisation\":\"FIN\",\"kind\":\"wrongdoing\",\"mode\":\"anonymous\","
			      "\"identity\":\"Jan\",\"answers\":{\"kind\":\"wrongdoing\","
			      "\"description\":\"x\",\"contact\":\"messages\"}}", &r), 422);
	expect_error(&r, 422, "identity_not_allowed");
	reply_free(&r);
	assert_int_equal(call("POST", path, NULL,
			      "{\"organisation\":\"FIN\",\"kind\":\"wrongdoing\",\"mode\":\"open\","
			      "\"answers\":{\"kind\":\"unwanted_behaviour\",\"description\":\"x\","
			      "\"contact\":\"messages\"}}", &r), 422);
	expect_error(&r, 422, "kind_mismatch");
	reply_free(&r);
	assert_int_equal(call("POST", path, NULL,
			      "{\"organisation\":\"FIN\",\"kind\":\"bribery\",\"mode\":\"open\","
			      "\"answers\":{}}", &r), 400);
	expect_error(&r, 400, "invalid_field");
	reply_free(&r);
	assert_int_equal(call("POST", path, NULL,
			      "{\"organisation\":\"FIN\",\"kind\":\"wrongdoing\",\"mode\":\"loud\","
			      "\"answers\":{}}", &r), 400);
	expect_error(&r, 400, "invalid_field");
	reply_free(&r);
	assert_int_equal(call("POST", path, NULL,
			      "{\"organisation\":\"FIN\",\"kind\":\"wrongdoing\",\"mode\":\"open\","
			      "\"questionnaire_revision\":99,\"answers\":{}}", &r), 409);
	expect_error(&r, 409, "questionnaire_changed");
	reply_free(&r);
	/* recusal: only the organisation's recipients, and never all of them */
	char body[600];
	snprintf(body, sizeof body,
		 "{\"organisation\":\"FIN\",\"kind\":\"wrongdoing\",\"mode\":\"anonymous\","
		 "\"recused\":[999999],\"answers\":{\"kind\":\"wrongdoing\",\"description\":\"x\","
		 "\"contact\":\"messages\"}}");
	assert_int_equal(call("POST", path, NULL, body, &r), 422);
	expect_error(&r, 422, "invalid_recusal");
	reply_free(&r);
	snprintf(body, sizeof body,
		 "{\"organisation\":\"FIN\",\"kind\":\"wrongdoing\",\"mode\":\"anonymous\","
		 "\"recused\":[%lld,%lld],\"answers\":{\"kind\":\"wrongdoing\",\"description\":\"x\","
		 "\"contact\":\"messages\"}}", (long long)ivo_id, (long long)carla_id);
	assert_int_equal(call("POST", path, NULL, body, &r), 409);
	expect_error(&r, 409, "all_recused");
	reply_free(&r);
	/* an organisation without anyone to receive reports */
	assert_int_equal(call("POST", path, NULL,
			      "{\"organisation\":\"EZK\",\"kind\":\"wrongdoing\",\"mode\":\"anonymous\","
			      "\"answers\":{\"kind\":\"wrongdoing\",\"description\":\"x\","
			      "\"contact\":\"messages\"}}", &r), 409);
	expect_error(&r, 409, "no_recipient");
	reply_free(&r);
	/* none of it was stored */
	assert_int_equal(inbox_total(tok_ivo), before);
}

static void test_questionnaire_and_recipients(void **state)
{
	(void)state;
	struct reply r;
	assert_int_equal(call("GET", "/api/v1/questionnaire", NULL, NULL, &r), 200);
	assert_string_equal(str(r.json, "id"), "melding");
	assert_true(json_integer_value(json_object_get(r.json, "revision")) >= 1);
	json_t *steps = json_object_get(r.json, "steps");
	assert_true(json_array_size(steps) >= 3);
	json_t *first = json_array_get(json_object_get(json_array_get(steps, 0), "fields"), 0);
	assert_string_equal(str(first, "id"), "kind");
	assert_int_equal(json_array_size(json_object_get(first, "choices")), 3);
	reply_free(&r);

	assert_int_equal(call("GET", "/api/v1/organisations/FIN/recipients", NULL, NULL, &r), 200);
	assert_string_equal(str(json_object_get(r.json, "organisation"), "code"), "FIN");
	json_t *list = json_object_get(r.json, "recipients");
	assert_int_equal(json_array_size(list), 2);
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v) {
		if (strcmp(str(v, "display_name"), "Ivo Integer") == 0)
			ivo_id = json_integer_value(json_object_get(v, "id"));
		if (strcmp(str(v, "display_name"), "Carla Vertrouwens") == 0)
			carla_id = json_integer_value(json_object_get(v, "id"));
	}
	assert_true(ivo_id > 0 && carla_id > 0);
	reply_free(&r);
	assert_int_equal(call("GET", "/api/v1/organisations/fin/recipients", NULL, NULL, &r), 200);
	reply_free(&r);
	assert_int_equal(call("GET", "/api/v1/organisations/NOPE/recipients", NULL, NULL, &r), 404);
	expect_error(&r, 404, "unknown_organisation");
	reply_free(&r);
	assert_int_equal(call("GET", "/api/v1/organisations/EZK/recipients", NULL, NULL, &r), 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "recipients")), 0);
	reply_free(&r);
}

/* A receipt session token, or NULL with the status in *st. */
static char *receipt_session(const char *receipt, long *st, struct reply *keep)
{
	char body[300];
	snprintf(body, sizeof body, "{\"receipt\":\"%s\"}", receipt);
	*st = call("POST", "/api/v1/receipt/session", NULL, body, keep);
	return *st == 201 ? strdup(str(keep->json, "token")) : NULL;
}

static void test_report_round_trip(void **state)
{
	(void)state;
	struct reply r;
	long st;
	size_t before = inbox_total(tok_ivo);
	/* the reporter sends a report */
	assert_int_equal(call("POST", "/api/v1/reports", NULL, REPORT_OK, &r), 201);
	char *receipt = strdup(str(r.json, "receipt"));
	char today[DATE_LEN + 1], due[DATE_LEN + 1];
	date_today(today);
	date_add_days(today, 7, due);
	assert_int_equal(strlen(receipt), RECEIPT_SHOWN_SIZE - 1);
	assert_string_equal(str(r.json, "received_on"), today);
	assert_string_equal(str(r.json, "acknowledgement_due"), due);
	assert_true(strlen(str(r.json, "feedback_due")) == DATE_LEN);
	reply_free(&r);
	assert_int_equal(inbox_total(tok_ivo), before + 1);

	/* receipts: a typo is told apart from a receipt that opens nothing */
	char wrong[RECEIPT_SHOWN_SIZE];
	receipt_generate(wrong);
	assert_null(receipt_session(wrong, &st, &r));
	expect_error(&r, 404, "receipt_not_found");
	reply_free(&r);
	char typo[RECEIPT_SHOWN_SIZE];
	memcpy(typo, receipt, sizeof typo);
	typo[0] = typo[0] == 'a' ? 'b' : 'a';
	assert_null(receipt_session(typo, &st, &r));
	expect_error(&r, 400, "receipt_mistyped");
	reply_free(&r);
	assert_null(receipt_session("hello", &st, &r));
	expect_error(&r, 400, "receipt_malformed");
	reply_free(&r);
	char *rtok = receipt_session(receipt, &st, &r);
	assert_non_null(rtok);
	assert_int_equal(strlen(rtok), 86);
	reply_free(&r);

	/* the reporter reads their report and writes to the handlers */
	assert_int_equal(call("GET", "/api/v1/receipt/report", rtok, NULL, &r), 200);
	assert_string_equal(str(r.json, "status"), "received");
	assert_string_equal(str(r.json, "mode"), "confidential");
	assert_string_equal(str(r.json, "identity"), "Jan Jansen, 06-12345678");
	assert_string_equal(str(json_object_get(r.json, "answers"), "description"),
			    "Er verdwijnt geld uit de kas.");
	assert_true(json_is_null(json_object_get(r.json, "acknowledged_on")));
	assert_int_equal(json_array_size(json_object_get(r.json, "messages")), 0);
	assert_null(json_object_get(r.json, "notes"));
	int64_t id = json_integer_value(json_object_get(r.json, "id"));
	assert_true(id > 0);
	reply_free(&r);
	assert_int_equal(call("POST", "/api/v1/receipt/messages", rtok,
			      "{\"text\":\"Ik heb ook foto's.\\nZal ik ze sturen?\"}", &r), 201);
	assert_true(json_integer_value(json_object_get(r.json, "id")) > 0);
	reply_free(&r);
	assert_int_equal(call("POST", "/api/v1/receipt/messages", rtok, "{\"text\":\"\"}", &r), 400);
	expect_error(&r, 400, "invalid_field");
	reply_free(&r);
	/* a receipt session is no user session, and the other way round */
	assert_int_equal(call("GET", "/api/v1/inbox", rtok, NULL, &r), 401);
	reply_free(&r);
	assert_int_equal(call("GET", "/api/v1/receipt/report", tok_ivo, NULL, &r), 401);
	reply_free(&r);

	/* the handler sees it in the inbox, reads it, acknowledges, answers */
	char path[100];
	assert_int_equal(call("GET", "/api/v1/inbox", tok_ivo, NULL, &r), 200);
	json_t *items = json_object_get(r.json, "reports"), *found = NULL, *it;
	size_t i;
	json_array_foreach(items, i, it)
		if (json_integer_value(json_object_get(it, "id")) == id)
			found = it;
	assert_non_null(found);
	assert_string_equal(str(found, "status"), "received");
	assert_string_equal(str(found, "acknowledgement_due"), due);
	assert_true(json_is_false(json_object_get(found, "acknowledgement_overdue")));
	assert_null(json_object_get(found, "answers")); /* metadata only */
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/reports/%lld", (long long)id);
	assert_int_equal(call("GET", path, tok_ivo, NULL, &r), 200);
	assert_string_equal(str(json_object_get(r.json, "answers"), "kind"), "integrity_violation");
	json_t *msgs = json_object_get(r.json, "messages");
	assert_int_equal(json_array_size(msgs), 1);
	assert_string_equal(str(json_array_get(msgs, 0), "from"), "reporter");
	assert_string_equal(str(json_array_get(msgs, 0), "text"),
			    "Ik heb ook foto's.\nZal ik ze sturen?");
	reply_free(&r);
	/* another department's coordinator: as if there were no such report */
	assert_int_equal(call("GET", path, tok_bea, NULL, &r), 404);
	expect_error(&r, 404, "report_not_found");
	reply_free(&r);
	assert_int_equal(call("GET", "/api/v1/reports/999999", tok_ivo, NULL, &r), 404);
	expect_error(&r, 404, "report_not_found");
	reply_free(&r);
	/* roles without reports: 403 */
	const char *others[] = {tok_mona, tok_anna, tok_adam, tok_otto};
	for (size_t k = 0; k < 4; k++) {
		assert_int_equal(call("GET", "/api/v1/inbox", others[k], NULL, &r), 403);
		expect_error(&r, 403, "forbidden");
		reply_free(&r);
		assert_int_equal(call("GET", path, others[k], NULL, &r), 403);
		reply_free(&r);
	}
	snprintf(path, sizeof path, "/api/v1/reports/%lld/acknowledge", (long long)id);
	assert_int_equal(call("POST", path, tok_bea, "", &r), 404);
	reply_free(&r);
	assert_int_equal(call("POST", path, tok_ivo, "", &r), 200);
	assert_string_equal(str(r.json, "acknowledged_on"), today);
	assert_string_equal(str(r.json, "status"), "acknowledged");
	reply_free(&r);
	assert_int_equal(call("POST", path, tok_ivo, "{}", &r), 409);
	expect_error(&r, 409, "already_acknowledged");
	reply_free(&r);
	snprintf(path, sizeof path, "/api/v1/reports/%lld/messages", (long long)id);
	assert_int_equal(call("POST", path, tok_bea, "{\"text\":\"Hallo\"}", &r), 404);
	reply_free(&r);
	assert_int_equal(call("POST", path, tok_ivo, "{\"text\":\"Graag, stuur ze mee.\"}", &r),
			 201);
	reply_free(&r);

	/* the reporter sees the answer and the acknowledgement */
	assert_int_equal(call("GET", "/api/v1/receipt/report", rtok, NULL, &r), 200);
	assert_string_equal(str(r.json, "status"), "acknowledged");
	assert_string_equal(str(r.json, "acknowledged_on"), today);
	msgs = json_object_get(r.json, "messages");
	assert_int_equal(json_array_size(msgs), 2);
	assert_string_equal(str(json_array_get(msgs, 1), "from"), "handler");
	assert_string_equal(str(json_array_get(msgs, 1), "author"), "Ivo Integer");
	assert_string_equal(str(json_array_get(msgs, 1), "text"), "Graag, stuur ze mee.");
	reply_free(&r);

	/* signing out ends the receipt session */
	assert_int_equal(call("DELETE", "/api/v1/receipt/session", rtok, NULL, &r), 204);
	reply_free(&r);
	assert_int_equal(call("GET", "/api/v1/receipt/report", rtok, NULL, &r), 401);
	expect_error(&r, 401, "invalid_token");
	reply_free(&r);
	free(rtok);
	free(receipt);
}

/* Every route as every kind of caller: without a token, with the wrong kind
 * of token, and with a user whose role is not listed. */
static void test_route_walk(void **state)
{
	(void)state;
	struct reply r;
	long st;
	/* a receipt session to walk with */
	assert_int_equal(call("POST", "/api/v1/reports", NULL, REPORT_OK, &r), 201);
	char *receipt = strdup(str(r.json, "receipt"));
	reply_free(&r);
	char *rtok = receipt_session(receipt, &st, &r);
	reply_free(&r);
	assert_non_null(rtok);
	int checked = 0;
	for (size_t i = 0; i < api_nroutes; i++) {
		const struct api_route *rt = &api_routes[i];
		/* {id} -> 1, {code} -> FIN */
		char path[200];
		const char *pat = rt->pattern, *at = strchr(pat, '{');
		if (at)
			snprintf(path, sizeof path, "%.*s%s%s", (int)(at - pat), pat,
				 at[1] == 'i' ? "1" : "FIN", strchr(at, '}') + 1);
		else
			snprintf(path, sizeof path, "%s", pat);
		int post = strcmp(rt->method, "POST") == 0;
		const char *body = post ? "{}" : NULL;
		if (rt->access == API_PUBLIC)
			continue;
		/* no token, a token of the wrong kind: 401 */
		assert_int_equal(call(rt->method, path, NULL, body, &r), 401);
		assert_true(has(r.headers, "WWW-Authenticate: Bearer"));
		reply_free(&r);
		const char *wrong = rt->access == API_RECEIPT ? tok_otto : rtok;
		assert_int_equal(call(rt->method, path, wrong, body, &r), 401);
		reply_free(&r);
		checked++;
		if (rt->access != API_USER || !rt->roles)
			continue;
		/* every role not listed: 403 */
		const struct {
			const char *tok;
			enum role role;
		} users[] = {{tok_mona, ROLE_MANAGER}, {tok_anna, ROLE_COORDINATOR},
			     {tok_adam, ROLE_ADMINISTRATOR}, {tok_otto, ROLE_AUDITOR},
			     {tok_ivo, ROLE_INTEGRITY_COORDINATOR}};
		for (size_t u = 0; u < sizeof users / sizeof users[0]; u++) {
			if (rt->roles & (1u << users[u].role))
				continue;
			call(rt->method, path, users[u].tok, body, &r);
			if (r.status != 403)
				fail_msg("%s %s answered %ld to a %s", rt->method, path, r.status,
					 role_name(users[u].role));
			reply_free(&r);
		}
	}
	assert_true(checked >= 8);
	free(rtok);
	free(receipt);
}

static void test_user_sign_out(void **state)
{
	(void)state;
	struct reply r;
	long st;
	char *t = session("anna", NULL, &st);
	assert_non_null(t);
	assert_int_equal(call("DELETE", "/api/v1/session", t, NULL, &r), 204);
	reply_free(&r);
	assert_int_equal(call("DELETE", "/api/v1/session", t, NULL, &r), 401);
	expect_error(&r, 401, "invalid_token");
	reply_free(&r);
	free(t);
	/* a disabled account's token stops working at once */
	t = session("otto", NULL, &st);
	const char *disable[] = {"user", "disable", "otto", NULL};
	assert_int_equal(cli(disable, NULL), 0);
	assert_int_equal(call("DELETE", "/api/v1/session", t, NULL, &r), 401);
	reply_free(&r);
	assert_int_equal(call("POST", "/api/v1/session", NULL,
			      "{\"username\":\"otto\",\"password\":\"" PW "\"}", &r), 403);
	expect_error(&r, 403, "account_disabled");
	reply_free(&r);
	const char *enable[] = {"user", "enable", "otto", NULL};
	assert_int_equal(cli(enable, NULL), 0);
	free(t);
}

/* docs/openapi.yaml parses as YAML and lists exactly the table's routes. */
static void test_openapi_matches_table(void **state)
{
	(void)state;
	char cmd[1200];
	snprintf(cmd, sizeof cmd,
		 "python3 -c 'import sys, yaml\n"
		 "d = yaml.safe_load(open(sys.argv[1]))\n"
		 "assert d[\"openapi\"].startswith(\"3.1\")\n"
		 "for p, ops in d[\"paths\"].items():\n"
		 "    for m in ops:\n"
		 "        if m in (\"get\", \"post\", \"delete\", \"put\", \"patch\"):\n"
		 "            print(m.upper(), p)\n' '%s/docs/openapi.yaml'",
		 SRCDIR);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	char line[300];
	size_t n = 0;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		int found = 0;
		for (size_t i = 0; i < api_nroutes && !found; i++) {
			char want[300];
			/* the table says {code} and {id}; so does the document */
			snprintf(want, sizeof want, "%s %s", api_routes[i].method,
				 api_routes[i].pattern);
			found = strcmp(want, line) == 0;
		}
		if (!found)
			fail_msg("openapi.yaml documents %s, which the API does not have", line);
		n++;
	}
	assert_int_equal(pclose(f), 0);
	if (n != api_nroutes)
		fail_msg("openapi.yaml documents %zu operations, the table has %zu", n,
			 api_nroutes);
}

/* Last: it uses up this client's receipt attempts. */
static void test_receipt_throttle(void **state)
{
	(void)state;
	struct reply r;
	long st = 0;
	char wrong[RECEIPT_SHOWN_SIZE];
	int i;
	for (i = 0; i < 15 && st != 429; i++) {
		receipt_generate(wrong);
		free(receipt_session(wrong, &st, &r));
		if (st == 429) {
			expect_error(&r, 429, "too_many_attempts");
			assert_true(has(r.headers, "Retry-After: "));
		} else {
			expect_error(&r, 404, "receipt_not_found");
		}
		reply_free(&r);
	}
	assert_int_equal(st, 429);
	assert_true(i <= 11); /* a burst of ten failures, fewer after the other tests' */
	/* while throttled, even a right receipt waits: nothing is tried */
	assert_int_equal(call("POST", "/api/v1/reports", NULL, REPORT_OK, &r), 201);
	char *receipt = strdup(str(r.json, "receipt"));
	reply_free(&r);
	assert_null(receipt_session(receipt, &st, &r));
	assert_int_equal(st, 429);
	reply_free(&r);
	free(receipt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_openapi_matches_table),
		cmocka_unit_test(test_user_sessions),
		cmocka_unit_test(test_bearer_only),
		cmocka_unit_test(test_bodies),
		cmocka_unit_test(test_questionnaire_and_recipients),
		cmocka_unit_test(test_submit_refused),
		cmocka_unit_test(test_report_round_trip),
		cmocka_unit_test(test_route_walk),
		cmocka_unit_test(test_user_sign_out),
		cmocka_unit_test(test_receipt_throttle),
	};
	return cmocka_run_group_tests_name("http_api", tests, setup, teardown);
}
