/* harness.h: starts a real `probity serve` on a free loopback port for HTTP
 * tests, with a fresh database, and stops it. */
#ifndef TESTS_HTTP_HARNESS_H
#define TESTS_HTTP_HARNESS_H
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

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
/* The server's signing key: beside a SQLite database ("DB.key"), in the
 * test's folder on PostgreSQL (PROBITY_TEST_PG). A static buffer. */
const char *server_key_path(const struct server *s);
/* Sends SIGTERM and waits; returns the server's exit status (0 when it
 * stopped cleanly), and removes the temporary folder. */
int server_stop(struct server *s);
/* Adds the organisations RIJK (government) and FIN (under RIJK) with
 * `probity org add`, as most tests need them. Returns 0 or -1. */
int server_add_rijk_fin(struct server *s);
/* Adds an account with `probity user add`, the password given on standard
 * input. Returns 0 or -1. */
int server_add_user(struct server *s, const char *user, const char *name, const char *role,
		    const char *org, const char *password);
/* RIJK and FIN as above, and ivo (Ivo Integer), integrity coordinator of
 * FIN, with password: the one handler the reporting channel's proofs need. */
int server_add_fin_ivo(struct server *s, const char *password);
/* Runs `probity ARGS...` against the server's database; returns exit status. */
int server_cli(struct server *s, const char *const *args);
/* The same with input on standard input (a password, say). */
int server_cli_input(struct server *s, const char *const *args, const char *input);

struct http_result {
	long status;
	char *body;      /* malloc'd */
	char *headers;   /* malloc'd, raw header block */
	long connects;   /* new connections opened for this request (0 when reused) */
};
/* A growing, NUL-terminated buffer that libcurl writes a body or headers
 * into: CURLOPT_WRITEFUNCTION http_sink_write, CURLOPT_WRITEDATA a sink. */
struct http_sink {
	char *p;
	size_t n;
};
size_t http_sink_write(char *data, size_t size, size_t nmemb, void *sink);
/* GET path on the server with libcurl, reusing one connection across calls. */
int http_get(struct server *s, const char *path, struct http_result *out);
void http_result_free(struct http_result *r);

/* A browser of its own: a cookie jar and a connection. Redirects are not
 * followed, so tests see them. */
struct client;
struct client *client_new(struct server *s);
void client_free(struct client *c);
/* GET or POST (body urlencoded, may be NULL). Returns 0 or -1. */
int client_get(struct client *c, const char *path, struct http_result *out);
int client_post(struct client *c, const char *path, const char *body, struct http_result *out);
/* A raw request with a content type of the caller's choosing. */
int client_post_as(struct client *c, const char *path, const char *content_type,
		   const char *body, size_t len, struct http_result *out);
/* Any method ("GET", "POST", "DELETE", ...) with extra header lines (NULL-
 * terminated list of "Name: value", may be NULL) and a body (may be NULL);
 * the client's cookies are sent as with the others. Returns 0 or -1. */
int client_request(struct client *c, const char *method, const char *path,
		   const char *const *headers, const char *body, size_t len,
		   struct http_result *out);
/* The value of a cookie in the jar, malloc'd, or NULL. */
char *client_cookie(struct client *c, const char *name);
/* Puts a cookie for the server into the jar (a replayed or forged one). */
void client_set_cookie(struct client *c, const char *name, const char *value);
/* Drops every cookie (a fresh browser with the same connection). */
void client_clear_cookies(struct client *c);
/* The value="..." of the first input named name in html, malloc'd, or NULL. */
char *html_input_value(const char *html, const char *name);
/* URL-encodes s into a malloc'd string. */
char *url_encode(const char *s);
/* The text between the first open in s and the next close after it,
 * malloc'd, or NULL (also when s is NULL). */
char *text_between(const char *s, const char *open, const char *close);

/* A multipart/form-data body, built up field by field (for forms with
 * files). multipart_end closes it; then post it with client_post_as(c, path,
 * MP_CONTENT_TYPE, m.p, m.n, &r) and free m.p. */
#define MP_BOUNDARY "probity-test-boundary-7d1e"
#define MP_CONTENT_TYPE "multipart/form-data; boundary=" MP_BOUNDARY
struct multipart {
	char *p;
	size_t n;
};
void multipart_field(struct multipart *m, const char *name, const char *value);
void multipart_file(struct multipart *m, const char *name, const char *filename, const char *type,
	     const void *data, size_t len);
/* Appends the fields of part (not ended) after those of m. */
void multipart_append(struct multipart *m, const struct multipart *part);
void multipart_end(struct multipart *m);

/* ---- a server whose output is kept, killed and restarted ---- */

/* Like server_start, but the server's standard output and error are appended
 * to serve.out and serve.err in s->dir, across restarts, so that a test can
 * read (server_print_log) or scan what the server wrote. */
int server_start_logged(struct server *s);
/* SIGKILL, as a crash or power cut would stop it: no clean shutdown. Returns
 * how the process ended (128 + 9 when the kill did it; anything else means it
 * had died on its own). The folder and database stay. */
int server_kill(struct server *s);
/* Starts `probity serve` again on the same database, logged as above, on
 * the same port when it can be had again, else on a new one (s->port and
 * s->base change then). Returns 0 or -1. */
int server_restart(struct server *s);
/* SIGTERM and wait, like server_stop, but the folder stays for inspection;
 * returns the exit status. Then server_remove. */
int server_halt(struct server *s);
/* Removes the folder (killing the server if it still runs) and frees what
 * server_start set up; the end of a server started with server_start_logged. */
void server_remove(struct server *s);
/* Copies serve.out and serve.err to standard error (after a failure). */
void server_print_log(const struct server *s);

/* ---- signing in ---- */

/* Signs c in on the website (first sign-in of the account). When the role
 * needs a second factor, sets up an authenticator app on the way, computing
 * its code, and returns the secret as shown (malloc'd) in *totp and the first
 * recovery code shown then in *recovery; otherwise both are NULL. totp and
 * recovery may be NULL. Returns 0 or -1. */
int client_sign_in(struct client *c, const char *user, const char *password, char **totp,
		   char **recovery);
/* Switches c's session to the language lang ("en", "nl") through the form on
 * /account (so c must be signed in). Returns 0 or -1. */
int client_set_lang(struct client *c, const char *lang);
/* The CSRF token of the forms on the page at path (malloc'd), or NULL. */
char *client_csrf(struct client *c, const char *path);
/* The TOTP code at time t of a secret shown as base32 groups. Returns 0 or -1. */
int totp_code(const char *shown, time_t t, char code[7]);

/* ---- the reporter's side of the API ---- */

/* Opens the report of receipt as its reporter would (POST
 * /api/v1/receipt/session, GET /api/v1/receipt/report, then signing out) and
 * returns the answer to the question field (malloc'd), or NULL when the
 * receipt opened nothing or the report has no such answer. */
char *receipt_answer(struct client *c, const char *receipt, const char *field);

#endif
