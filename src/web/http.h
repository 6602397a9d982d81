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

#define HTTP_MAX_HEADERS 8
#define HTTP_CLIENT_KEY_BYTES 16
#define HTTP_CLIENT_SECRET_BYTES 32

struct proxy_list; /* web/proxy.h */

struct http_request {
	const char *method;  /* "GET", "POST", ... */
	const char *path;    /* decoded path, without query */
	struct arena *arena; /* freed after the response is sent */
	const char *body;    /* the whole body, NUL-terminated; "" when none */
	size_t body_len;
	void *conn;          /* private to http.c */
	/* A keyed hash of the client's address, for throttling: the address
	 * itself never leaves this layer, so it can be neither logged nor stored. */
	unsigned char client[HTTP_CLIENT_KEY_BYTES];
};

/* A request header, a cookie or a query argument; NULL when absent. */
const char *http_header(const struct http_request *r, const char *name);
const char *http_cookie(const struct http_request *r, const char *name);
const char *http_query(const struct http_request *r, const char *name);

struct http_response {
	int status;
	const char *content_type;
	struct buf body;
	/* a body that outlives the request (static assets), sent without copying */
	const void *data;
	size_t data_len;
	const char *cache_control; /* default "no-store" */
	const char *hdr_name[HTTP_MAX_HEADERS];
	const char *hdr_value[HTTP_MAX_HEADERS];
	size_t nhdr;
};

/* Adds a header (Set-Cookie, Location, ...); name and value must live until
 * the handler returns (use the request arena). Returns -1 when full. */
int http_add_header(struct http_response *res, const char *name, const char *value);

typedef void (*http_handler_fn)(void *ctx, const struct http_request *req,
				struct http_response *res);
/* How many body bytes a request may carry, decided from its method and path
 * before any is read; 0 refuses a body. */
typedef size_t (*http_body_limit_fn)(void *ctx, const char *method, const char *path);

struct http_options {
	const char *listen;
	unsigned threads;              /* 0: one per core */
	http_handler_fn handler;
	http_body_limit_fn body_limit; /* NULL: no bodies */
	/* answers a request refused for its size (status 413 preset, no body
	 * passed on); NULL: a plain-text 413 */
	http_handler_fn too_large;
	void *ctx;
	/* the key of the client hashes (proxy_client_secret): the same on every
	 * node, so that they share throttle buckets; NULL: a random one */
	const unsigned char *client_secret;
	/* whose X-Forwarded-For to believe (proxy.h); NULL: nobody's */
	const struct proxy_list *trusted_proxies;
};

struct http_server;

/* Parses "127.0.0.1:8080", "[::1]:8080" or "localhost:8080" (only these
 * numeric forms and "localhost"; port 0 asks the kernel for a free port). Pure;
 * a fuzz target. Returns 0 or -1 with a reason in err. */
int http_parse_listen(const char *s, struct sockaddr_storage *out, socklen_t *outlen, char *err,
		      size_t errlen);

/* Starts serving. Returns 0 or -1 with a reason in err. */
int http_start(const struct http_options *opt, struct http_server **out, char *err,
	       size_t errlen);
/* The port actually bound (useful with port 0). */
int http_port(const struct http_server *s);
void http_stop(struct http_server *s);

#endif
