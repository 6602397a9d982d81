/* app.c: the application's request handler. A single database connection is
 * shared under a mutex until the connection pool of the web shell replaces it. */
#include "app/app.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "orgs/orgs.h"

struct app {
	db_t *db;
	pthread_mutex_t lock;
};

struct app *app_new(db_t *db)
{
	struct app *a = xcalloc(1, sizeof *a);
	a->db = db;
	pthread_mutex_init(&a->lock, NULL);
	return a;
}

void app_free(struct app *a)
{
	if (!a)
		return;
	db_close(a->db);
	pthread_mutex_destroy(&a->lock);
	free(a);
}

static int count_departments(struct app *a, int64_t *n)
{
	char today[DATE_LEN + 1];
	date_today(today);
	pthread_mutex_lock(&a->lock);
	int rc = orgs_count_alive(a->db, ORG_DEPARTMENT, today, n);
	pthread_mutex_unlock(&a->lock);
	return rc;
}

size_t app_body_limit(void *ctx, const char *method, const char *path)
{
	(void)ctx;
	(void)path;
	return strcmp(method, "POST") == 0 ? 256 * 1024 : 0;
}

static void plain(struct http_response *res, int status, const char *text)
{
	res->status = status;
	res->content_type = "text/plain; charset=utf-8";
	buf_adds(&res->body, text);
}

void app_handle(void *ctx, const struct http_request *req, struct http_response *res)
{
	struct app *a = ctx;
	int64_t n = 0;
	if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
		plain(res, 405, "Method not allowed.\n");
		return;
	}
	if (strcmp(req->path, "/healthz") == 0) {
		if (count_departments(a, &n) != 0)
			plain(res, 503, "database unavailable\n");
		else
			plain(res, 200, "ok\n");
		return;
	}
	if (strcmp(req->path, "/") != 0) {
		plain(res, 404, "Niet gevonden. / Not found.\n");
		return;
	}
	if (count_departments(a, &n) != 0) {
		plain(res, 503, "De database is niet bereikbaar. / The database is unavailable.\n");
		return;
	}
	buf_printf(&res->body,
		   "<!doctype html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\">"
		   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		   "<title>Probity</title></head><body><main>"
		   "<h1>Probity</h1><p>Het integriteitssysteem van de overheid.</p>"
		   "<p>%lld departementen geregistreerd.</p>"
		   "</main></body></html>\n",
		   (long long)n);
}
