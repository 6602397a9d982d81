/* app.h: composes the features into one web application: the route table,
 * the frame around every page, sessions, access rules and CSRF checks. */
#ifndef APP_APP_H
#define APP_APP_H
#include "crypto/audit.h"
#include "store/db.h"
#include "web/http.h"

struct app;

struct app_settings {
	const char *db_target;        /* each worker thread opens its own connection */
	int busy_timeout_ms;
	int session_idle_seconds;
	int session_absolute_seconds;
	const struct audit_signer *signer;  /* records sign-ins and account changes */
	int monitor_threshold;        /* the dashboard's small counts (0: the default) */
};

/* Checks the route table and prepares the application. Returns NULL with a
 * reason in err when it cannot serve. */
struct app *app_new(const struct app_settings *s, char *err, size_t errlen);
void app_free(struct app *a);
/* The http_handler_fn for this application; ctx is the struct app. */
void app_handle(void *ctx, const struct http_request *req, struct http_response *res);
/* The http_body_limit_fn: how large a body each route accepts. */
size_t app_body_limit(void *ctx, const char *method, const char *path);
/* The http_options too_large answer: JSON for the API, plain text else. */
void app_too_large(void *ctx, const struct http_request *req, struct http_response *res);

#endif
