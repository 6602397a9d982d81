/* api.c: the request path of the JSON API (api.h): route, caller, body, then
 * the handler; and the one way to answer, JSON, with the error shape of
 * api_req.h.
 *
 * Order of checks: the route (404, 405), then who calls (401, 403), then the
 * body (415, 400), so that someone without a token learns nothing from how a
 * body is judged. A body is JSON only: UTF-8 (checked before parsing, so the
 * answer can say so), an object, no key twice, no key the route does not
 * take. Strings are checked for length and characters by the handler that
 * reads them (api_string). Nothing of a body is logged. */
#include "app/api.h"

#include <malloc.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/api_body.h"
#include "app/api_req.h"
#include "app/viewer.h"
#include "base/log.h"


void api_env_init(struct api_env *e, const struct session_limits *limits,
		  struct throttle *login)
{
	e->limits = *limits;
	e->login = login;
	/* Only failures count (a receipt that opens nothing). Per client: ten
	 * at once, then one a minute. Together: a distributed guesser, using
	 * many addresses, still gets no more than a thousand at once and then
	 * two a second; while that lasts, receipts are refused for everyone
	 * (a clear 429), which we prefer to unbounded guessing. */
	throttle_init(&e->receipt_client, "receipt", 10, 1.0 / 60);
	throttle_init(&e->receipt_all, "receipt_all", 1000, 2);
}

void api_env_free(struct api_env *e)
{
	throttle_free(&e->receipt_client);
	throttle_free(&e->receipt_all);
}

int api_path(const char *path)
{
	return strncmp(path, "/api", 4) == 0 && (path[4] == 0 || path[4] == '/');
}

int api_check(char *err, size_t errlen)
{
	return api_routes_check(err, errlen);
}

/* jansson's free, wiping first. Allocation stays plain malloc, so that
 * memory jansson hands out (json_dumps) may still be released with free(),
 * as its documentation says; malloc_usable_size tells how much to wipe. */
static void wiping_free(void *p)
{
	if (!p)
		return;
	sodium_memzero(p, malloc_usable_size(p));
	free(p);
}

void api_json_wipe_on_free(void)
{
	json_set_alloc_funcs(malloc, wiping_free);
}

/* ---- answers ---- */

static int add_to_buf(const char *s, size_t n, void *ctx)
{
	buf_add(ctx, s, n);
	return 0;
}

static void reply_to(struct http_response *res, int status, json_t *body)
{
	res->status = status;
	res->content_type = "application/json; charset=utf-8";
	res->cache_control = "no-store";
	buf_reset(&res->body);
	if (body) {
		json_dump_callback(body, add_to_buf, &res->body, JSON_COMPACT);
		json_decref(body);
	}
}

void api_reply(struct api_req *r, int status, json_t *body)
{
	reply_to(r->p->res, status, body);
}

static json_t *error_body(const char *code, const char *message, json_t *more)
{
	json_t *e = json_pack("{s:s, s:s}", "code", code, "message", message);
	if (more) {
		json_object_update(e, more);
		json_decref(more);
	}
	return json_pack("{s:o}", "error", e);
}

void api_error_with(struct api_req *r, int status, const char *code, const char *message,
		    json_t *more)
{
	api_reply(r, status, error_body(code, message, more));
}

void api_error(struct api_req *r, int status, const char *code, const char *message)
{
	api_error_with(r, status, code, message, NULL);
}

void api_fail_internal(struct api_req *r, const char *what)
{
	log_error("API %s: %s", r->route ? r->route->name : "request", what);
	api_error(r, 500, "internal_error", "Something went wrong on our side. Try again later.");
}

void api_intake_internal(struct api_req *r, int code, const char *msg)
{
	/* intake's messages name rows and reasons, never content */
	api_fail_internal(r, code == INTAKE_EDAMAGED ? "stored report data does not open" : msg);
}

void api_error_plain(struct http_response *res, int status, const char *code,
		     const char *message)
{
	reply_to(res, status, error_body(code, message, NULL));
}

json_t *api_date(const char *d)
{
	return d && *d ? json_string(d) : json_null();
}

/* ---- reading the body ---- */

/* 1 if s (n bytes, valid UTF-8) holds a control character not allowed. */
static int bad_controls(const char *s, size_t n, int multiline)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\t' || (multiline && (c == '\r' || c == '\n')))
			continue;
		if (c < 0x20 || c == 0x7f)
			return 1;
		/* C1 controls U+0080..U+009F: C2 80..C2 9F */
		if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] <= 0x9f)
			return 1;
	}
	return 0;
}

int api_string(struct api_req *r, const char *key, int required, size_t max, int multiline,
	       const char **out, size_t *len)
{
	json_t *v = r->body ? json_object_get(r->body, key) : NULL;
	*out = NULL;
	if (len)
		*len = 0;
	if (!v || json_is_null(v)) {
		if (!required)
			return 0;
		api_error_with(r, 400, "missing_field", "A required field is missing.",
			       json_pack("{s:s}", "field", key));
		return -1;
	}
	const char *why = NULL;
	size_t n = 0;
	if (!json_is_string(v))
		why = "This field must be a string.";
	else if ((n = json_string_length(v)) > max)
		why = "This field is too long.";
	else if (bad_controls(json_string_value(v), n, multiline))
		why = "This field contains characters that are not allowed.";
	if (why) {
		api_error_with(r, 400, "invalid_field", why,
			       json_pack("{s:s, s:I}", "field", key, "max_bytes", (json_int_t)max));
		return -1;
	}
	*out = json_string_value(v);
	if (len)
		*len = n;
	return 0;
}

/* Parses and checks the body against the route; answers and returns -1 when
 * it does not pass. */
static int read_body(struct api_req *r)
{
	const struct http_request *req = r->p->req;
	const struct api_route *rt = r->route;
	if (strcmp(rt->method, "POST") != 0)
		return 0; /* GET and DELETE carry none: the body limit is 0 */
	if (!rt->fields && req->body_len == 0)
		return 0;
	if (!api_json_content_type(http_header(req, "Content-Type"))) {
		api_error(r, 415, "unsupported_media_type",
			  "Send the body as JSON, with Content-Type: application/json.");
		return -1;
	}
	struct api_body_error e;
	switch (api_body_parse(req->body, req->body_len, rt->fields, &r->body, &e)) {
	case API_BODY_OK:
		return 0;
	case API_BODY_INVALID_UTF8:
		api_error(r, 400, "invalid_utf8", "The body is not valid UTF-8.");
		break;
	case API_BODY_DUPLICATE_KEY:
		api_error(r, 400, "duplicate_key", "The body has a key twice.");
		break;
	case API_BODY_MALFORMED:
		api_error_with(r, 400, "malformed_json", "The body is not well-formed JSON.",
			       json_pack("{s:i, s:i}", "line", e.line, "column", e.column));
		break;
	case API_BODY_NOT_OBJECT:
		api_error(r, 400, "body_not_object", "The body must be a JSON object.");
		break;
	case API_BODY_UNKNOWN_FIELD:
		api_error_with(r, 400, "unknown_field", "The body has a field this request does "
			       "not take.", e.field[0] ? json_pack("{s:s}", "field", e.field) : NULL);
		break;
	}
	return -1;
}

/* ---- who calls ---- */

/* The token of "Authorization: Bearer TOKEN", or NULL. */
static const char *bearer(const struct http_request *req)
{
	const char *h = http_header(req, "Authorization");
	if (!h || strncasecmp(h, "Bearer", 6) != 0 || (h[6] != ' ' && h[6] != '\t'))
		return NULL;
	h += 6;
	h += strspn(h, " \t");
	return *h ? h : NULL;
}

static void unauthenticated(struct api_req *r, const char *token)
{
	http_add_header(r->p->res, "WWW-Authenticate",
			token ? "Bearer realm=\"probity\", error=\"invalid_token\""
			      : "Bearer realm=\"probity\"");
	if (token)
		api_error(r, 401, "invalid_token", "This token is not valid or has expired. "
			  "Start a new session.");
	else
		api_error(r, 401, "unauthenticated", "Send a session token in the Authorization "
			  "header: Authorization: Bearer TOKEN.");
}

/* Decides whether the caller may use the route; answers and returns -1 when
 * not. The cookie is never read here (api.h says why). */
static int authenticate(struct api_req *r)
{
	const struct api_route *rt = r->route;
	if (rt->access == API_PUBLIC)
		return 0;
	const char *token = bearer(r->p->req);
	if (!token || strlen(token) != SESSION_TOKEN_LEN) {
		unauthenticated(r, token);
		return -1;
	}
	if (rt->access == API_RECEIPT) {
		struct intake_rsession *rs = arena_alloc(r->p->a, sizeof *rs);
		int f = intake_rsession_load(r->p->db, token, &r->env->limits, r->now, rs);
		if (f == 0)
			r->rs = rs;
		if (f == 0 && intake_rsession_touch(r->p->db, rs, r->now) != 0)
			f = -1;
		if (f < 0) {
			api_fail_internal(r, "loading a receipt session failed");
			return -1;
		}
		if (f == 1) {
			unauthenticated(r, token);
			return -1;
		}
		return 0;
	}
	struct viewer *v;
	int f = app_viewer_load(r->p, token, &r->env->limits, r->now, &v);
	if (f < 0) {
		api_fail_internal(r, "loading a session failed");
		return -1;
	}
	if (f == 1) {
		unauthenticated(r, token);
		return -1;
	}
	r->viewer = v;
	/* a session half-way through signing in on the website does not count */
	if (!v->session.mfa_done) {
		unauthenticated(r, token);
		return -1;
	}
	if (rt->roles && !(v->roles & rt->roles)) {
		api_error(r, 403, "forbidden", "Your role does not give access to this.");
		return -1;
	}
	return 0;
}

/* ---- the receipt throttles ---- */

int api_receipt_wait(struct api_req *r)
{
	double now = throttle_now();
	int a = throttle_wait(&r->env->receipt_client, r->p->db, r->p->req->client, now);
	int b = throttle_wait(&r->env->receipt_all, r->p->db, throttle_everyone, now);
	if (a == THROTTLE_EDB || b == THROTTLE_EDB)
		return THROTTLE_EDB;
	return a > b ? a : b;
}

void api_receipt_failed(struct api_req *r)
{
	double now = throttle_now();
	throttle_take(&r->env->receipt_client, r->p->db, r->p->req->client, now);
	throttle_take(&r->env->receipt_all, r->p->db, throttle_everyone, now);
}

/* ---- dispatch ---- */

void api_handle(struct api_env *e, struct page *p)
{
	struct api_req r = {.p = p, .env = e, .now = time(NULL)};
	char allow[64];
	enum api_match_result m = api_match(p->req->method, p->req->path, &r.route, &r.id, r.code,
					    allow, sizeof allow);
	if (m == API_NOT_FOUND) {
		api_error(&r, 404, "not_found", "There is nothing at this address.");
		return;
	}
	if (m == API_BAD_METHOD) {
		http_add_header(p->res, "Allow", arena_strdup(p->a, allow));
		api_error(&r, 405, "method_not_allowed", "This address does not take that method.");
		return;
	}
	if (authenticate(&r) == 0 && read_body(&r) == 0)
		r.route->handler(&r);
	json_decref(r.body);
	if (r.viewer)
		sodium_memzero(&r.viewer->session, sizeof r.viewer->session);
	if (r.rs)
		sodium_memzero(r.rs, sizeof *r.rs);
}
