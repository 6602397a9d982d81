/* http.h: the HTTP server over libmicrohttpd. Infrastructure only: it knows
 * requests and responses, never what a page means. One handler function serves
 * every request; it fills a response from a per-request arena and never frees.
 *
 * The server binds the address it is given (loopback by default: TLS is the
 * reverse proxy's job) and never records client addresses. */
#ifndef WEB_HTTP_H
#define WEB_HTTP_H
#include <stddef.h>
#include <sys/socket.h>

#include "base/arena.h"
#include "base/buf.h"

struct http_request {
	const char *method;  /* "GET", "POST", ... */
	const char *path;    /* decoded path, without query */
	struct arena *arena; /* freed after the response is queued */
};

struct http_response {
	int status;
	const char *content_type;
	struct buf body;
};

typedef void (*http_handler_fn)(void *ctx, const struct http_request *req,
				struct http_response *res);

struct http_server;

/* Parses "127.0.0.1:8080", "[::1]:8080" or "localhost:8080" (only these
 * numeric forms and "localhost"; port 0 asks the kernel for a free port). Pure;
 * a fuzz target. Returns 0 or -1 with a reason in err. */
int http_parse_listen(const char *s, struct sockaddr_storage *out, socklen_t *outlen, char *err,
		      size_t errlen);

/* Starts serving on listen with threads worker threads (0: one per core).
 * Returns 0 or -1 with a reason in err. */
int http_start(const char *listen, unsigned threads, http_handler_fn fn, void *ctx,
	       struct http_server **out, char *err, size_t errlen);
/* The port actually bound (useful with port 0). */
int http_port(const struct http_server *s);
void http_stop(struct http_server *s);

#endif
