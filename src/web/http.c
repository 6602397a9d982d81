/* http.c: libmicrohttpd adapter. A thread pool sized to the cores serves
 * requests; every response carries the security headers; request bodies are
 * read whole into memory up to a limit the application sets per route, and
 * refused from the Content-Length header before any byte is read. */
#include "web/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <microhttpd.h>
#include <sodium.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/log.h"
#include "base/num.h"
#include "web/proxy.h"

#define MAX_CONNECTIONS 512
#define CONNECTION_TIMEOUT_S 30
/* Headers and read/write buffers per connection; bodies go to our own buffer
 * (http.c's upload callback), not this pool. 32 KB is libmicrohttpd's default:
 * the library zeroes the pool between two requests on a connection, which at
 * 64 KB was 6% of the form page's CPU (docs/performance.md). */
#define CONNECTION_MEMORY (32 * 1024)

struct http_server {
	struct MHD_Daemon *daemon;
	http_handler_fn fn;
	http_body_limit_fn body_limit;
	http_handler_fn too_large;
	void *ctx;
	int port;
	unsigned char client_secret[HTTP_CLIENT_SECRET_BYTES];
	struct proxy_list trusted;
};

int http_parse_listen(const char *s, struct sockaddr_storage *out, socklen_t *outlen, char *err,
		      size_t errlen)
{
	memset(out, 0, sizeof *out);
	const char *colon = strrchr(s, ':');
	if (!colon || colon == s) {
		snprintf(err, errlen, "expected ADDRESS:PORT, e.g. 127.0.0.1:8080");
		return -1;
	}
	int64_t port;
	if (num_parse_i64z(colon + 1, 0, 65535, &port) != 0) {
		snprintf(err, errlen, "port must be a number from 0 to 65535");
		return -1;
	}
	char host[64];
	size_t hl = (size_t)(colon - s);
	int bracketed = s[0] == '[';
	if (bracketed) {
		if (hl < 3 || s[hl - 1] != ']') {
			snprintf(err, errlen, "an IPv6 address must be written as [ADDRESS]:PORT");
			return -1;
		}
		s++;
		hl -= 2;
	}
	if (hl >= sizeof host) {
		snprintf(err, errlen, "address is too long");
		return -1;
	}
	memcpy(host, s, hl);
	host[hl] = 0;
	if (!bracketed && strcmp(host, "localhost") == 0)
		strcpy(host, "127.0.0.1");
	struct sockaddr_in *v4 = (struct sockaddr_in *)out;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)out;
	/* brackets hold an IPv6 address and nothing else; an IPv6 address needs them */
	if (!bracketed && strchr(host, ':')) {
		snprintf(err, errlen, "an IPv6 address must be written as [ADDRESS]:PORT");
		return -1;
	}
	if (!bracketed && inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		*outlen = sizeof *v4;
		return 0;
	}
	if (bracketed && inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		*outlen = sizeof *v6;
		return 0;
	}
	if (bracketed)
		snprintf(err, errlen, "'%s' inside brackets is not an IPv6 address", host);
	else
		snprintf(err, errlen, "'%s' is not a numeric IP address or localhost", host);
	return -1;
}

static void add_security_headers(struct MHD_Response *r, const char *cache_control)
{
	/* img-src data: because the NL Design System CSS draws small icons (the
	 * check mark of a ticked checkbox) as data: SVG images; a data: image makes
	 * no request and runs no script. */
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
				"form-action 'self'; base-uri 'none'; object-src 'none'");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
	MHD_add_response_header(r, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
	MHD_add_response_header(r, "Cache-Control", cache_control);
}

/* Per-request state, from the first call of the access handler until the
 * request is completed. */
struct exchange {
	struct arena arena;
	struct buf body;
	size_t limit;
	int too_large;
};

const char *http_header(const struct http_request *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(const struct http_request *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

const char *http_query(const struct http_request *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

int http_add_header(struct http_response *res, const char *name, const char *value)
{
	if (res->nhdr == HTTP_MAX_HEADERS)
		return -1;
	res->hdr_name[res->nhdr] = name;
	res->hdr_value[res->nhdr++] = value;
	return 0;
}

struct xff {
	const char *v[PROXY_MAX_HEADERS + 1];
	size_t n;
};

static enum MHD_Result collect_xff(void *cls, enum MHD_ValueKind kind, const char *key,
				   const char *value)
{
	(void)kind;
	struct xff *x = cls;
	if (key && strcasecmp(key, "X-Forwarded-For") == 0 && x->n < PROXY_MAX_HEADERS + 1)
		x->v[x->n++] = value ? value : "";
	return MHD_YES;
}

/* The client's key: a keyed hash of its address (the connection's, or from
 * X-Forwarded-For when the connection is a trusted proxy's: proxy.h), so
 * that keys cannot be turned back into addresses by trying every address
 * without the secret. An IPv6 client is keyed by its /64, the block one
 * household or one server is given: otherwise an attacker could take a fresh
 * budget from each of 2^64 addresses it holds. */
static void client_key(const struct http_server *srv, struct MHD_Connection *conn,
		       unsigned char out[HTTP_CLIENT_KEY_BYTES])
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	struct proxy_addr peer = {0}, client;
	char text[INET6_ADDRSTRLEN];
	if (sa && sa->sa_family == AF_INET) {
		memcpy(peer.b, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		peer.len = 4;
	} else if (sa && sa->sa_family == AF_INET6 &&
		   inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, text,
			     sizeof text)) {
		proxy_parse_addr(text, strlen(text), &peer); /* maps ::ffff:a.b.c.d to IPv4 */
	}
	struct xff x = {.n = 0};
	if (proxy_trusted(&srv->trusted, &peer))
		MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_xff, &x);
	proxy_client(&srv->trusted, &peer, x.v, x.n, &client);
	unsigned char in[1 + 8];
	size_t n = client.len == 16 ? 8 : client.len;
	in[0] = client.len; /* an IPv4 address and a /64 never hash alike */
	memcpy(in + 1, client.b, n);
	crypto_generichash(out, HTTP_CLIENT_KEY_BYTES, in, 1 + n, srv->client_secret,
			   sizeof srv->client_secret);
	sodium_memzero(in, sizeof in);
	sodium_memzero(&client, sizeof client);
	sodium_memzero(&peer, sizeof peer);
}

static enum MHD_Result send_plain(struct MHD_Connection *conn, unsigned status, const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text,
								 MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
	add_security_headers(r, "no-store");
	enum MHD_Result ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

struct sent_body {
	char *p;
	size_t cap;
};

static void wipe_sent(void *cls)
{
	struct sent_body *b = cls;
	buf_wipe_free(b->p, b->cap);
	free(b);
}

/* A page's body handed to the library without a copy, and wiped when the
 * library is done with it: pages show report text, which must not stay in
 * freed memory. Empties body. */
static struct MHD_Response *body_response(struct buf *body)
{
	struct sent_body *b = malloc(sizeof *b);
	if (!b)
		return NULL;
	size_t n = body->n, cap = body->cap;
	b->p = buf_detach(body);
	b->cap = cap ? cap : 1;
	struct MHD_Response *r =
		MHD_create_response_from_buffer_with_free_callback_cls(n, b->p, wipe_sent, b);
	if (!r)
		wipe_sent(b);
	return r;
}

/* Sends what a handler filled in, with the security headers. */
static enum MHD_Result queue(struct MHD_Connection *conn, struct http_response *res)
{
	struct MHD_Response *r =
		res->data ? MHD_create_response_from_buffer(res->data_len, (void *)res->data,
							    MHD_RESPMEM_PERSISTENT)
			  : body_response(&res->body);
	buf_free(&res->body);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", res->content_type);
	add_security_headers(r, res->cache_control ? res->cache_control : "no-store");
	for (size_t i = 0; i < res->nhdr; i++)
		MHD_add_response_header(r, res->hdr_name[i], res->hdr_value[i]);
	enum MHD_Result ret = MHD_queue_response(conn, (unsigned)res->status, r);
	MHD_destroy_response(r);
	return ret;
}

/* 413 for a body over the limit: the application's answer when it gives one
 * (an API answers in JSON), else plain text. The body is never passed on. */
static enum MHD_Result refuse_large(struct http_server *srv, struct MHD_Connection *conn,
				    const char *method, const char *url, struct exchange *x)
{
	if (!srv->too_large)
		return send_plain(conn, 413, "The request is larger than allowed.\n");
	struct http_request req = {.method = method, .path = url, .arena = &x->arena,
				   .body = "", .body_len = 0, .conn = conn};
	client_key(srv, conn, req.client);
	struct http_response res = {.status = 413, .content_type = "text/plain; charset=utf-8"};
	srv->too_large(srv->ctx, &req, &res);
	return queue(conn, &res);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_size, void **con_cls)
{
	(void)version;
	struct http_server *srv = cls;
	struct exchange *x = *con_cls;
	/* First call: headers only. Answering on a later call keeps the
	 * connection alive, as the library's own examples do. */
	if (!x) {
		x = xcalloc(1, sizeof *x);
		x->limit = srv->body_limit ? srv->body_limit(srv->ctx, method, url) : 0;
		*con_cls = x;
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_LENGTH);
		int64_t declared;
		if (cl && (num_parse_i64z(cl, 0, INT64_MAX, &declared) != 0 ||
			   (uint64_t)declared > x->limit))
			x->too_large = 1; /* refuse before reading a byte of it */
		else if (cl && declared > 0)
			buf_reserve(&x->body, (size_t)declared + 1); /* filled in place */
		return x->too_large ? refuse_large(srv, conn, method, url, x) : MHD_YES;
	}
	if (*upload_size) {
		if (x->too_large || x->body.n + *upload_size > x->limit)
			x->too_large = 1;
		else
			buf_add(&x->body, upload_data, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (x->too_large)
		return refuse_large(srv, conn, method, url, x);
	struct http_request req = {.method = method, .path = url, .arena = &x->arena,
				   .body = x->body.p ? x->body.p : "", .body_len = x->body.n,
				   .conn = conn};
	client_key(srv, conn, req.client);
	struct http_response res = {.status = 200, .content_type = "text/html; charset=utf-8"};
	srv->fn(srv->ctx, &req, &res);
	return queue(conn, &res);
}

/* The request is over (answered, failed or timed out): free its state. */
static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	struct exchange *x = *con_cls;
	if (!x)
		return;
	buf_free(&x->body);
	arena_free(&x->arena);
	free(x);
	*con_cls = NULL;
}

/* libmicrohttpd hands us its own format strings */
static void on_mhd_error(void *cls, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char line[512];
	vsnprintf(line, sizeof line, fmt, ap);
	size_t n = strlen(line);
	while (n && line[n - 1] == '\n')
		line[--n] = 0;
	log_warn("http: %s", line);
}

int http_start(const struct http_options *opt, struct http_server **out, char *err,
	       size_t errlen)
{
	const char *listen = opt->listen;
	unsigned threads = opt->threads;
	struct sockaddr_storage addr;
	socklen_t alen;
	char why[200];
	*out = NULL;
	if (http_parse_listen(listen, &addr, &alen, why, sizeof why) != 0) {
		snprintf(err, errlen, "listen address '%s': %s", listen, why);
		return -1;
	}
	if (threads == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 0 ? (unsigned)n : 2;
	}
	struct http_server *s = xcalloc(1, sizeof *s);
	s->fn = opt->handler;
	s->body_limit = opt->body_limit;
	s->too_large = opt->too_large;
	s->ctx = opt->ctx;
	if (opt->client_secret)
		memcpy(s->client_secret, opt->client_secret, sizeof s->client_secret);
	else
		randombytes_buf(s->client_secret, sizeof s->client_secret);
	if (opt->trusted_proxies)
		s->trusted = *opt->trusted_proxies;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	if (addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	errno = 0;
	s->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, s,
		/* first, so that even option errors reach our log */
		MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONNECTION_TIMEOUT_S,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_END);
	if (!s->daemon) {
		snprintf(err, errlen, "cannot listen on %s: %s", listen,
			 errno ? strerror(errno) : "address in use or not available");
		free(s);
		return -1;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info ? info->port : 0;
	*out = s;
	return 0;
}

int http_port(const struct http_server *s)
{
	return s->port;
}

void http_stop(struct http_server *s)
{
	if (!s)
		return;
	MHD_stop_daemon(s->daemon);
	sodium_memzero(s->client_secret, sizeof s->client_secret);
	free(s);
}
