/* app.c: the application's request path: static assets, then the route
 * table; the session behind the cookie; access by role; the CSRF check before
 * any state-changing handler; the frame around every page.
 *
 * Each worker thread opens its own database connection on first use (SQLite
 * connections are not shared between threads here), so requests never wait
 * on one another for a connection. */
#include "app/app.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounts/viewer.h"
#include "app/api.h"
#include "app/pages.h"
#include "app/routes.h"
#include "app/viewer.h"
#include "base/alloc.h"
#include "base/log.h"
#include "cases/dataset.h"
#include "frameworks/framework.h"
#include "guide/guide.h"
#include "intake/attach.h"
#include "intake/qset.h"
#include "monitor/pages.h"
#include "web/i18n.h"
#include "web/page.h"
#include "web/static.h"
#include "web/throttle.h"

#define MAX_CONNS 256
#define FORM_BODY_LIMIT (256 * 1024)
#define ANON_CSRF_COOKIE "probity_csrf"
#define LANG_COOKIE "probity_lang"

struct app {
	char *db_target;
	int busy_timeout_ms;
	struct session_limits limits;
	const struct audit_signer *signer;
	struct throttle login_throttle;
	struct api_env api;
	pthread_mutex_t lock;  /* guards conns */
	db_t *conns[MAX_CONNS];
	size_t nconns;
};

static _Thread_local db_t *thread_db;

struct app *app_new(const struct app_settings *s, char *err, size_t errlen)
{
	/* before threads: jansson's free wipes from now on */
	api_json_wipe_on_free();
	if (router_check(app_routes, app_nroutes, err, errlen) != 0 || api_check(err, errlen) != 0)
		return NULL;
	if (intake_qset_init(err, errlen) != 0)
		return NULL;
	/* the protocol, taxonomy and measures: a build whose data does not
	 * parse must not serve */
	if (cases_data_init(err, errlen) != 0)
		return NULL;
	/* the guides (data/guides) likewise */
	if (guide_init(err, errlen) != 0)
		return NULL;
	/* the mappings between frameworks (data/frameworks/mappings), against
	 * the shipped frameworks: checked on first lookup otherwise, where a
	 * broken one would only leave a new assessment unprefilled, silently */
	char merr[512];
	if (fw_mappings_init(merr, sizeof merr) != 0) {
		snprintf(err, errlen, "framework mappings: %s", merr);
		return NULL;
	}
	if (monitor_set_threshold(s->monitor_threshold) != 0) {
		snprintf(err, errlen, "monitor_threshold %d: must be from 3 to 100",
			 s->monitor_threshold);
		return NULL;
	}
	/* libmagic reads its database file: before the sandbox closes the door */
	if (attach_init(err, errlen) != 0)
		return NULL;
	if (i18n_init() != 0) {
		snprintf(err, errlen, "the embedded translations are damaged");
		return NULL;
	}
	if (static_init() != 0) {
		snprintf(err, errlen, "the embedded static files are damaged");
		return NULL;
	}
	struct app *a = xcalloc(1, sizeof *a);
	a->db_target = xstrdup(s->db_target);
	a->busy_timeout_ms = s->busy_timeout_ms;
	a->limits.idle_seconds = s->session_idle_seconds;
	a->limits.absolute_seconds = s->session_absolute_seconds;
	a->signer = s->signer;
	/* ten sign-in attempts at once per client, then one every 30 seconds */
	throttle_init(&a->login_throttle, "login", 10, 1.0 / 30);
	api_env_init(&a->api, &a->limits, &a->login_throttle);
	pthread_mutex_init(&a->lock, NULL);
	return a;
}

void app_free(struct app *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->nconns; i++)
		db_close(a->conns[i]);
	throttle_free(&a->login_throttle);
	api_env_free(&a->api);
	pthread_mutex_destroy(&a->lock);
	free(a->db_target);
	free(a);
}

/* This thread's connection, opened on first use. NULL when it cannot be. */
static db_t *worker_db(struct app *a)
{
	if (thread_db)
		return thread_db;
	struct db_options opt = {.busy_timeout_ms = a->busy_timeout_ms};
	struct db_error err;
	db_t *db;
	if (db_open(a->db_target, 0, &opt, &db, &err) != 0) {
		log_error("cannot open the database for a worker: %s", err.msg);
		return NULL;
	}
	pthread_mutex_lock(&a->lock);
	if (a->nconns == MAX_CONNS) {
		pthread_mutex_unlock(&a->lock);
		db_close(db);
		log_error("too many worker connections");
		return NULL;
	}
	a->conns[a->nconns++] = db;
	pthread_mutex_unlock(&a->lock);
	thread_db = db;
	return db;
}

size_t app_body_limit(void *ctx, const char *method, const char *path)
{
	(void)ctx;
	if (strcmp(method, "POST") != 0)
		return 0;
	if (api_path(path))
		return API_BODY_LIMIT;
	/* the route decides before a byte is read: only routes that take files
	 * get the upload limit */
	const struct route *r;
	int64_t params[ROUTE_MAX_PARAMS];
	if (router_match(app_routes, app_nroutes, method, path, &r, params) == ROUTER_FOUND &&
	    (r->flags & ROUTE_UPLOAD))
		return FORM_UPLOAD_BODY_MAX;
	return FORM_BODY_LIMIT;
}

static void plain(struct http_response *res, int status, const char *text)
{
	res->status = status;
	res->content_type = "text/plain; charset=utf-8";
	buf_reset(&res->body);
	buf_adds(&res->body, text);
}

void app_too_large(void *ctx, const struct http_request *req, struct http_response *res)
{
	(void)ctx;
	if (api_path(req->path))
		api_error_plain(res, 413, "body_too_large",
				"The request body is larger than this API accepts (512 KiB).");
	else
		plain(res, 413, "The request is larger than allowed.\n");
}

/* The visitor's language: the session's, else the cookie's, else Dutch. */
static const char *choose_lang(const struct page *p)
{
	if (p->viewer)
		return i18n_lang(p->viewer->session.lang);
	return i18n_lang(http_cookie(p->req, LANG_COOKIE));
}

/* Loads the session behind the cookie, with its account and roles. */
static int load_viewer(struct app *a, struct page *p)
{
	const char *token = http_cookie(p->req, SESSION_COOKIE);
	if (!token)
		return 0;
	struct viewer *v;
	int r = app_viewer_load(p, token, &a->limits, time(NULL), &v);
	if (r < 0)
		return -1;
	p->viewer = r == 0 ? v : NULL;
	return 0;
}

/* The token forms carry: derived from the session, or for a visitor without
 * one the random value of a cookie (double submit). */
static const char *csrf_token(struct page *p)
{
	if (p->viewer) {
		char *t = arena_alloc(p->a, SESSION_CSRF_LEN + 1);
		session_csrf(&p->viewer->session, t);
		return t;
	}
	const char *c = http_cookie(p->req, ANON_CSRF_COOKIE);
	if (c && strlen(c) == SESSION_CSRF_LEN)
		return c;
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	char *t = arena_alloc(p->a, SESSION_CSRF_LEN + 1);
	sodium_bin2base64(t, SESSION_CSRF_LEN + 1, raw, sizeof raw,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	page_cookie(p, ANON_CSRF_COOKIE, t, 12 * 3600);
	return t;
}

static int csrf_ok(struct page *p)
{
	const char *sent = page_field(p, "csrf");
	if (!sent)
		return 0;
	if (p->viewer)
		return session_csrf_ok(&p->viewer->session, sent);
	const char *c = http_cookie(p->req, ANON_CSRF_COOKIE);
	return c && strlen(c) == SESSION_CSRF_LEN && strlen(sent) == SESSION_CSRF_LEN &&
	       sodium_memcmp(c, sent, SESSION_CSRF_LEN) == 0;
}

static enum form_error parse_form(struct page *p)
{
	const char *ct = http_header(p->req, "Content-Type");
	if (ct && strncmp(ct, "multipart/form-data", 19) == 0)
		return form_parse_multipart(p->a, ct, p->req->body, p->req->body_len,
					    p->route->flags & ROUTE_UPLOAD ? &form_upload_limits
									   : &form_default_limits,
					    &p->form);
	if (!ct || strncmp(ct, "application/x-www-form-urlencoded", 33) == 0)
		return form_parse_urlencoded(p->a, p->req->body, p->req->body_len,
					     &form_default_limits, &p->form);
	return FORM_MALFORMED;
}

/* Where a signed-in user who still owes the second factor must go. */
static const char *second_factor_path(const struct page *p)
{
	return p->viewer->session.must_enrol ? "/account/2fa" : "/login/2fa";
}

/* Decides whether the viewer may use the route; answers the request itself
 * (redirect or error page) and returns 0 when not. */
static int allowed(struct page *p)
{
	const struct route *r = p->route;
	if (r->flags & ROUTE_PUBLIC)
		return 1;
	if (!p->viewer) {
		if (strcmp(r->method, "GET") == 0)
			page_redirect(p, "/login");
		else
			page_fail(p, 403, "Your session has ended. Sign in again.");
		return 0;
	}
	if (!p->viewer->session.mfa_done && !(r->flags & ROUTE_BEFORE_2FA)) {
		page_redirect(p, second_factor_path(p));
		return 0;
	}
	if ((r->flags & ROUTE_SIGNED_IN) || (p->viewer->roles & r->roles))
		return 1;
	page_fail(p, 403, "Your role does not give access to this page.");
	return 0;
}

static void dispatch(struct app *a, struct page *p)
{
	const struct route *r;
	enum router_result m = router_match(app_routes, app_nroutes, p->req->method, p->req->path,
					    &r, p->params);
	if (load_viewer(a, p) != 0) {
		plain(p->res, 503, "De database is niet bereikbaar. / The database is unavailable.\n");
		return;
	}
	p->lang = choose_lang(p);
	p->t.lang = p->lang;
	p->t.translate = i18n_translate;
	p->csrf = csrf_token(p);
	if (m == ROUTER_NOT_FOUND) {
		page_fail(p, 404, "There is no page at this address.");
		return;
	}
	if (m == ROUTER_BAD_METHOD) {
		page_fail(p, 405, "This page cannot be used that way.");
		http_add_header(p->res, "Allow", "GET, HEAD, POST");
		return;
	}
	p->route = r;
	if (!allowed(p))
		return;
	if (r->flags & ROUTE_CHANGES) {
		enum form_error fe = parse_form(p);
		if (fe != FORM_OK) {
			page_fail(p, fe == FORM_TOO_BIG || fe == FORM_TOO_MANY ? 413 : 400,
				  form_error_text(fe));
			return;
		}
		/* before anything else looks at the form */
		if (!csrf_ok(p)) {
			page_fail(p, 403, "This form has expired or did not come from this site. "
					  "Go back, reload the page and try again.");
			return;
		}
	}
	r->handler(p);
}

void app_handle(void *ctx, const struct http_request *req, struct http_response *res)
{
	struct app *a = ctx;
	const struct static_asset *s = static_find(req->path);
	if (s) {
		res->status = 200;
		res->content_type = s->content_type;
		res->data = s->data;
		res->data_len = s->len;
		res->cache_control = "public, max-age=31536000, immutable";
		return;
	}
	if (strncmp(req->path, "/static/", 8) == 0) {
		plain(res, 404, "Niet gevonden. / Not found.\n");
		return;
	}
	struct page p = {.req = req, .res = res, .a = req->arena, .app = a, .signer = a->signer,
			 .login_throttle = &a->login_throttle, .frame = app_frame, .lang = "nl",
			 .session_max_age = a->limits.absolute_seconds, .limits = &a->limits,
			 .receipt_throttle = &a->api.receipt_client,
			 .receipt_throttle_all = &a->api.receipt_all};
	p.db = worker_db(a);
	if (!p.db) {
		if (api_path(req->path))
			api_error_plain(res, 503, "unavailable", "The database is unavailable.");
		else
			plain(res, 503, "De database is niet bereikbaar. / The database is unavailable.\n");
		return;
	}
	if (api_path(req->path))
		api_handle(&a->api, &p);
	else
		dispatch(a, &p);
	/* a request that failed half-way must not leave a transaction open on
	 * this thread's connection */
	db_rollback(p.db);
	if (p.viewer)
		sodium_memzero(&p.viewer->session, sizeof p.viewer->session);
}
