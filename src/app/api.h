/* api.h: the JSON API under /api/v1 (api.c and api_*.c; docs/openapi.yaml),
 * as app.c sees it: a path test, a body limit and one dispatcher.
 *
 * Authentication is a bearer token (Authorization: Bearer ...): a user
 * session (accounts/session.h) or a receipt session (intake/rsession.h),
 * which the session endpoints hand out. The API never reads the session
 * cookie, and so needs no CSRF token: a browser attaches cookies to a
 * cross-site request by itself, but never an Authorization header, so another
 * site cannot make a visitor's browser act through the API. */
#ifndef APP_API_H
#define APP_API_H
#include <stddef.h>

#include "accounts/session.h"
#include "web/page.h"
#include "web/throttle.h"

/* Bytes of a request body: the answers of a report may take 256 KiB, and
 * JSON escapes add to that. */
#define API_BODY_LIMIT (512 * 1024)

struct api_env {
	struct session_limits limits;   /* user and receipt sessions */
	struct throttle *login;         /* the sign-in throttle the pages use too */
	/* failed receipts, per client and from all clients together */
	struct throttle receipt_client, receipt_all;
};

void api_env_init(struct api_env *e, const struct session_limits *limits,
		  struct throttle *login);
void api_env_free(struct api_env *e);

/* 1 if the path is the API's (/api and below), else 0. */
int api_path(const char *path);
/* Checks the API's route table; 0, or -1 with the reason in err. */
int api_check(char *err, size_t errlen);
/* Makes jansson wipe what it frees: request bodies hold report text. Call
 * once at start-up, before threads. Memory from jansson may still be freed
 * with free(). */
void api_json_wipe_on_free(void);
/* Answers one request under /api/ (p as app.c prepared it: db, arena,
 * signer; no viewer: the cookie is not looked at). */
void api_handle(struct api_env *e, struct page *p);
/* An API error answer where no request could be read (a body over the
 * limit, no database): {"error": {"code": ..., "message": ...}}. */
void api_error_plain(struct http_response *res, int status, const char *code,
		     const char *message);

#endif
