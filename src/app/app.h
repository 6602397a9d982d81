/* app.h: composes the features into one web application. For now it answers a
 * start page and a health check; the route table arrives with the web shell. */
#ifndef APP_APP_H
#define APP_APP_H
#include "store/db.h"
#include "web/http.h"

struct app;

/* Takes ownership of db. */
struct app *app_new(db_t *db);
void app_free(struct app *a);
/* The http_handler_fn for this application; ctx is the struct app. */
void app_handle(void *ctx, const struct http_request *req, struct http_response *res);

/* The http_body_limit_fn: how large a body each route accepts. */
size_t app_body_limit(void *ctx, const char *method, const char *path);

#endif
