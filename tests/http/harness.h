/* harness.h: starts a real `probity serve` on a free loopback port for HTTP
 * tests, with a fresh database, and stops it. */
#ifndef TESTS_HTTP_HARNESS_H
#define TESTS_HTTP_HARNESS_H
#include <stddef.h>
#include <sys/types.h>

struct server {
	pid_t pid;
	int port;
	char dir[256];   /* temporary folder holding the database */
	char db[300];
	char base[64];   /* "http://127.0.0.1:PORT" */
};

/* Creates a database with `probity init` in a fresh temporary folder and
 * starts `probity serve --listen 127.0.0.1:0` on it. Returns 0 or -1. The path
 * of the probity binary comes from the PROBITY environment variable. */
int server_start(struct server *s);
/* Sends SIGTERM and waits; returns the server's exit status (0 when it
 * stopped cleanly), and removes the temporary folder. */
int server_stop(struct server *s);
/* Runs `probity ARGS...` against the server's database; returns exit status. */
int server_cli(struct server *s, const char *const *args);

struct http_result {
	long status;
	char *body;      /* malloc'd */
	char *headers;   /* malloc'd, raw header block */
	long connects;   /* new connections opened for this request (0 when reused) */
};
/* GET path on the server with libcurl, reusing one connection across calls. */
int http_get(struct server *s, const char *path, struct http_result *out);
void http_result_free(struct http_result *r);

#endif
