/* harness.c: a real server process per test group, driven with libcurl. */
#include "harness.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/exitcode.h"
#include "store/db.h"

static CURL *curl;  /* one handle: libcurl keeps the connection alive across requests */

static const char *probity_bin(void)
{
	const char *p = getenv("PROBITY");
	return p ? p : "probity";
}

static int run_wait(const char *const *argv, const char *input)
{
	int in[2];
	if (pipe(in) != 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0)
			dup2(devnull, 1);
		dup2(in[0], 0);
		close(in[0]);
		close(in[1]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(in[0]);
	if (input && write(in[1], input, strlen(input)) != (ssize_t)strlen(input))
		fprintf(stderr, "short write to the child's input\n");
	close(in[1]);
	int st;
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int server_cli(struct server *s, const char *const *args)
{
	return server_cli_input(s, args, NULL);
}

int server_cli_input(struct server *s, const char *const *args, const char *input)
{
	const char *argv[32];
	int n = 0;
	argv[n++] = probity_bin();
	for (; args[n - 1] && n < 28; n++)
		argv[n] = args[n - 1];
	argv[n++] = "--db";
	argv[n++] = s->db;
	argv[n] = NULL;
	return run_wait(argv, input);
}

int server_add_rijk_fin(struct server *s)
{
	const char *rijk[] = {"org", "add", "RIJK", "--name", "Rijksoverheid", "--kind",
			      "government", "--from", "2020-01-01", NULL};
	const char *fin[] = {"org", "add", "FIN", "--name", "Financiën", "--parent", "RIJK",
			     "--from", "2020-01-01", NULL};
	return server_cli(s, rijk) == 0 && server_cli(s, fin) == 0 ? 0 : -1;
}

int server_add_user(struct server *s, const char *user, const char *name, const char *role,
		    const char *org, const char *password)
{
	const char *add[] = {"user", "add", user, "--name", name, "--role", role, "--org", org,
			     NULL};
	size_t n = strlen(password) + 2;
	char *input = malloc(n);
	if (!input)
		return -1;
	snprintf(input, n, "%s\n", password);
	int rc = server_cli_input(s, add, input);
	free(input);
	return rc == 0 ? 0 : -1;
}

int server_add_fin_ivo(struct server *s, const char *password)
{
	if (server_add_rijk_fin(s) != 0)
		return -1;
	return server_add_user(s, "ivo", "Ivo Integer", "integrity_coordinator", "FIN", password);
}

/* With PROBITY_TEST_PG set (the URL of a throw-away cluster, made by
 * scripts/pg-test-cluster), each server gets a database of its own there,
 * created from that URL's database and dropped afterwards; the signing key
 * stays a file in the test's folder. */
static const char *test_pg(void)
{
	const char *u = getenv("PROBITY_TEST_PG");
	if (u && *u)
		return u;
	if (getenv("PROBITY_TEST_REQUIRE_PG")) {
		/* meson test --setup pg without a cluster: not a silent SQLite run */
		fprintf(stderr, "PROBITY_TEST_PG is not set: run the pg setup under "
				"scripts/pg-test-cluster run\n");
		exit(1);
	}
	return NULL;
}

/* Runs one statement outside a transaction on the cluster's URL database. */
static int pg_admin(const char *sql)
{
	db_t *db;
	struct db_error err;
	if (db_open(test_pg(), 0, NULL, &db, &err) != 0) {
		fprintf(stderr, "PROBITY_TEST_PG: %s\n", err.msg);
		return -1;
	}
	int rc = db_exec(db, sql);
	if (rc != 0)
		fprintf(stderr, "PROBITY_TEST_PG: %s: %s\n", sql, db_error(db)->msg);
	db_close(db);
	return rc;
}

/* s->db: the cluster's URL with a new database t_<random> in place of its
 * own; the name is also what remove_database drops. */
static int make_pg_database(struct server *s)
{
	const char *base = test_pg();
	const char *auth = strstr(base, "://");
	const char *slash = auth ? strchr(auth + 3, '/') : NULL;
	if (!slash) {
		fprintf(stderr, "PROBITY_TEST_PG: not a postgresql://host/db URL\n");
		return -1;
	}
	unsigned char r[8];
	int fd = open("/dev/urandom", O_RDONLY);
	if (fd < 0 || read(fd, r, sizeof r) != (ssize_t)sizeof r) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	char name[32], sql[96];
	snprintf(name, sizeof name, "t_%02x%02x%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3],
		 r[4], r[5], r[6], r[7]);
	const char *query = strchr(slash, '?');
	snprintf(s->db, sizeof s->db, "%.*s/%s%s", (int)(slash - base), base, name,
		 query ? query : "");
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
	if (pg_admin(sql) != 0)
		return -1;
	char key[300];
	snprintf(key, sizeof key, "%s/test.key", s->dir);
	return setenv("PROBITY_SIGNING_KEY", key, 1);
}

static void drop_pg_database(struct server *s)
{
	const char *name = strrchr(s->db, '/');
	char sql[96];
	if (!name || strncmp(name, "/t_", 3) != 0)
		return;
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %.*s WITH (FORCE)",
		 (int)strcspn(name + 1, "?"), name + 1);
	pg_admin(sql);
}

const char *server_key_path(const struct server *s)
{
	static char path[400];
	if (test_pg())
		snprintf(path, sizeof path, "%s/test.key", s->dir);
	else
		snprintf(path, sizeof path, "%s.key", s->db);
	return path;
}

/* A fresh temporary folder with a database made by `probity init`. */
static int make_database(struct server *s)
{
	memset(s, 0, sizeof *s);
	snprintf(s->dir, sizeof s->dir, "/tmp/probity-http-XXXXXX");
	if (!mkdtemp(s->dir))
		return -1;
	if (test_pg()) {
		if (make_pg_database(s) != 0)
			return -1;
	} else {
		snprintf(s->db, sizeof s->db, "%s/test.db", s->dir);
	}
	const char *init[] = {"init", NULL};
	return server_cli(s, init) == 0 ? 0 : -1;
}

/* The shared handle of http_get, made once a server runs. */
static void curl_up(void)
{
	if (!curl) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		curl = curl_easy_init();
	}
}

/* Removes the folder and the shared handle: the end of either kind of server. */
static void remove_database(struct server *s)
{
	if (test_pg() && s->dir[0])
		drop_pg_database(s);
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", s->dir);
	if (s->dir[0] && system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", s->dir);
	s->dir[0] = 0;
	if (curl) {
		curl_easy_cleanup(curl);
		curl = NULL;
		curl_global_cleanup();
	}
}

int server_start(struct server *s)
{
	if (make_database(s) != 0)
		return -1;
	int out[2];
	if (pipe(out) != 0)
		return -1;
	s->pid = fork();
	if (s->pid < 0)
		return -1;
	if (s->pid == 0) {
		dup2(out[1], 1);
		close(out[0]);
		close(out[1]);
		execl(probity_bin(), probity_bin(), "serve", "--db", s->db, "--listen",
		      "127.0.0.1:0", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	/* the server prints "probity: serving http://127.0.0.1:PORT/ ..." once it
	 * listens; read until that line (or EOF when it failed to start) */
	FILE *f = fdopen(out[0], "r");
	char line[512];
	int rc = -1;
	while (f && fgets(line, sizeof line, f)) {
		const char *p = strstr(line, "http://127.0.0.1:");
		if (p) {
			s->port = atoi(p + strlen("http://127.0.0.1:"));
			snprintf(s->base, sizeof s->base, "http://127.0.0.1:%d", s->port);
			rc = s->port > 0 ? 0 : -1;
			break;
		}
	}
	if (f)
		fclose(f); /* the server's later output goes to a closed pipe: it ignores SIGPIPE */
	if (rc != 0) {
		kill(s->pid, SIGKILL);
		waitpid(s->pid, NULL, 0);
		return -1;
	}
	curl_up();
	return 0;
}

int server_stop(struct server *s)
{
	int rc = server_halt(s);
	remove_database(s);
	return rc;
}

size_t http_sink_write(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct http_sink *k = ctx;
	size_t add = size * nmemb;
	char *p = realloc(k->p, k->n + add + 1);
	if (!p)
		return 0;
	memcpy(p + k->n, data, add);
	k->p = p;
	k->n += add;
	p[k->n] = 0;
	return add;
}

int http_get(struct server *s, const char *path, struct http_result *out)
{
	memset(out, 0, sizeof *out);
	struct http_sink body = {0}, head = {0};
	char url[512];
	snprintf(url, sizeof url, "%s%s", s->base, path);
	curl_easy_reset(curl);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, http_sink_write);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, http_sink_write);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, &head);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
	CURLcode rc = curl_easy_perform(curl);
	if (rc != CURLE_OK) {
		fprintf(stderr, "GET %s: %s\n", url, curl_easy_strerror(rc));
		free(body.p);
		free(head.p);
		return -1;
	}
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->status);
	curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &out->connects);
	out->body = body.p ? body.p : strdup("");
	out->headers = head.p ? head.p : strdup("");
	return 0;
}

void http_result_free(struct http_result *r)
{
	free(r->body);
	free(r->headers);
	memset(r, 0, sizeof *r);
}

struct client {
	struct server *s;
	CURL *c;
};

struct client *client_new(struct server *s)
{
	struct client *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->s = s;
	c->c = curl_easy_init();
	curl_easy_setopt(c->c, CURLOPT_COOKIEFILE, ""); /* cookie engine on, no file */
	return c;
}

void client_free(struct client *c)
{
	if (!c)
		return;
	curl_easy_cleanup(c->c);
	free(c);
}

/* Sets up c's handle for a request to path, collecting into b and h. */
static void prepare(struct client *c, const char *path, char url[1024], struct http_sink *b,
		    struct http_sink *h)
{
	snprintf(url, 1024, "%s%s", c->s->base, path);
	CURL *k = c->c;
	curl_easy_setopt(k, CURLOPT_URL, url);
	curl_easy_setopt(k, CURLOPT_WRITEFUNCTION, http_sink_write);
	curl_easy_setopt(k, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(k, CURLOPT_HEADERFUNCTION, http_sink_write);
	curl_easy_setopt(k, CURLOPT_HEADERDATA, h);
	curl_easy_setopt(k, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(k, CURLOPT_FOLLOWLOCATION, 0L);
}

/* Sends the prepared request with the header lines hdrs (then freed) and
 * fills out from b and h. Returns 0 or -1. */
static int finish(struct client *c, const char *method, const char *url,
		  struct curl_slist *hdrs, struct http_sink *b, struct http_sink *h,
		  struct http_result *out)
{
	CURL *k = c->c;
	curl_easy_setopt(k, CURLOPT_HTTPHEADER, hdrs);
	CURLcode rc = curl_easy_perform(k);
	curl_easy_setopt(k, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hdrs);
	if (rc != CURLE_OK) {
		fprintf(stderr, "%s %s: %s\n", method, url, curl_easy_strerror(rc));
		free(b->p);
		free(h->p);
		return -1;
	}
	curl_easy_getinfo(k, CURLINFO_RESPONSE_CODE, &out->status);
	curl_easy_getinfo(k, CURLINFO_NUM_CONNECTS, &out->connects);
	out->body = b->p ? b->p : strdup("");
	out->headers = h->p ? h->p : strdup("");
	return 0;
}

static int perform(struct client *c, const char *path, int post, const char *ctype,
		   const char *body, size_t len, struct http_result *out)
{
	memset(out, 0, sizeof *out);
	struct http_sink b = {0}, h = {0};
	char url[1024];
	prepare(c, path, url, &b, &h);
	CURL *k = c->c;
	struct curl_slist *hdrs = NULL;
	if (post) {
		curl_easy_setopt(k, CURLOPT_POST, 1L);
		curl_easy_setopt(k, CURLOPT_POSTFIELDS, body ? body : "");
		curl_easy_setopt(k, CURLOPT_POSTFIELDSIZE, (long)len);
		if (ctype) {
			char line[300];
			snprintf(line, sizeof line, "Content-Type: %s", ctype);
			hdrs = curl_slist_append(hdrs, line);
		}
	} else {
		curl_easy_setopt(k, CURLOPT_HTTPGET, 1L);
	}
	return finish(c, post ? "POST" : "GET", url, hdrs, &b, &h, out);
}

int client_get(struct client *c, const char *path, struct http_result *out)
{
	return perform(c, path, 0, NULL, NULL, 0, out);
}

int client_post(struct client *c, const char *path, const char *body, struct http_result *out)
{
	return perform(c, path, 1, NULL, body, body ? strlen(body) : 0, out);
}

int client_post_as(struct client *c, const char *path, const char *content_type,
		   const char *body, size_t len, struct http_result *out)
{
	return perform(c, path, 1, content_type, body, len, out);
}

int client_request(struct client *c, const char *method, const char *path,
		   const char *const *headers, const char *body, size_t len,
		   struct http_result *out)
{
	memset(out, 0, sizeof *out);
	struct http_sink b = {0}, h = {0};
	char url[1024];
	prepare(c, path, url, &b, &h);
	CURL *k = c->c;
	if (body) {
		curl_easy_setopt(k, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(k, CURLOPT_POSTFIELDSIZE, (long)len);
	} else {
		curl_easy_setopt(k, CURLOPT_HTTPGET, 1L);
	}
	curl_easy_setopt(k, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(k, CURLOPT_NOBODY, strcmp(method, "HEAD") == 0 ? 1L : 0L);
	struct curl_slist *hdrs = NULL;
	/* no "Expect: 100-continue" pause before large bodies */
	hdrs = curl_slist_append(hdrs, "Expect:");
	for (size_t i = 0; headers && headers[i]; i++)
		hdrs = curl_slist_append(hdrs, headers[i]);
	int rc = finish(c, method, url, hdrs, &b, &h, out);
	curl_easy_setopt(k, CURLOPT_CUSTOMREQUEST, NULL);
	curl_easy_setopt(k, CURLOPT_NOBODY, 0L);
	return rc;
}

char *client_cookie(struct client *c, const char *name)
{
	struct curl_slist *list = NULL;
	char *found = NULL;
	curl_easy_getinfo(c->c, CURLINFO_COOKIELIST, &list);
	/* Netscape format: domain, flag, path, secure, expiry, name, value */
	for (struct curl_slist *l = list; l && !found; l = l->next) {
		char *line = strdup(l->data), *save = NULL, *field[7] = {0};
		int i = 0;
		for (char *t = strtok_r(line, "\t", &save); t && i < 7; t = strtok_r(NULL, "\t", &save))
			field[i++] = t;
		if (i >= 6 && strcmp(field[5], name) == 0)
			found = strdup(i == 7 ? field[6] : "");
		free(line);
	}
	curl_slist_free_all(list);
	return found;
}

void client_set_cookie(struct client *c, const char *name, const char *value)
{
	char line[1024];
	snprintf(line, sizeof line, "127.0.0.1\tFALSE\t/\tFALSE\t0\t%s\t%s", name, value);
	curl_easy_setopt(c->c, CURLOPT_COOKIELIST, line);
}

void client_clear_cookies(struct client *c)
{
	curl_easy_setopt(c->c, CURLOPT_COOKIELIST, "ALL");
}

char *html_input_value(const char *html, const char *name)
{
	char key[128];
	snprintf(key, sizeof key, "name=\"%s\"", name);
	const char *at = strstr(html, key);
	if (!at)
		return NULL;
	const char *tag = at;
	while (tag > html && *tag != '<')
		tag--;
	const char *end = strchr(at, '>');
	const char *v = strstr(tag, "value=\"");
	if (!v || !end || v > end)
		return NULL;
	v += 7;
	const char *q = strchr(v, '"');
	return q ? strndup(v, (size_t)(q - v)) : NULL;
}

char *url_encode(const char *s)
{
	CURL *k = curl_easy_init();
	char *e = curl_easy_escape(k, s, 0);
	char *r = strdup(e);
	curl_free(e);
	curl_easy_cleanup(k);
	return r;
}

static void mp_add(struct multipart *m, const void *s, size_t len)
{
	char *p = realloc(m->p, m->n + len + 1);
	if (!p)
		abort();
	m->p = p;
	memcpy(m->p + m->n, s, len);
	m->n += len;
	m->p[m->n] = '\0';
}

static void mp_adds(struct multipart *m, const char *s)
{
	mp_add(m, s, strlen(s));
}

void multipart_field(struct multipart *m, const char *name, const char *value)
{
	mp_adds(m, "--" MP_BOUNDARY "\r\nContent-Disposition: form-data; name=\"");
	mp_adds(m, name);
	mp_adds(m, "\"\r\n\r\n");
	mp_adds(m, value);
	mp_adds(m, "\r\n");
}

void multipart_file(struct multipart *m, const char *name, const char *filename, const char *type,
	     const void *data, size_t len)
{
	mp_adds(m, "--" MP_BOUNDARY "\r\nContent-Disposition: form-data; name=\"");
	mp_adds(m, name);
	mp_adds(m, "\"; filename=\"");
	mp_adds(m, filename);
	mp_adds(m, "\"\r\nContent-Type: ");
	mp_adds(m, type);
	mp_adds(m, "\r\n\r\n");
	mp_add(m, data, len);
	mp_adds(m, "\r\n");
}

void multipart_append(struct multipart *m, const struct multipart *part)
{
	mp_add(m, part->p, part->n);
}

void multipart_end(struct multipart *m)
{
	mp_adds(m, "--" MP_BOUNDARY "--\r\n");
}

/* ---- a server whose output is kept, killed and restarted (proofs) ---- */

#define LOG_OUT "serve.out"
#define LOG_ERR "serve.err"

static void log_path(const struct server *s, const char *name, char *out, size_t n)
{
	snprintf(out, n, "%s/%s", s->dir, name);
}

static off_t file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_size : 0;
}

/* Starts `probity serve` on s->db at listen, with its output appended to the
 * log files, and waits for the line that says it listens. Returns 0 (s->pid,
 * s->port, s->base set), 1 when it exited with EXIT_CONFIG (the address is
 * taken), or -1. */
static int spawn_serve(struct server *s, const char *listen)
{
	char out[400], err[400];
	log_path(s, LOG_OUT, out, sizeof out);
	log_path(s, LOG_ERR, err, sizeof err);
	off_t from = file_size(out);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int o = open(out, O_WRONLY | O_CREAT | O_APPEND, 0600);
		int e = open(err, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (o < 0 || e < 0)
			_exit(127);
		dup2(o, 1);
		dup2(e, 2);
		close(o);
		close(e);
		execl(probity_bin(), probity_bin(), "serve", "--db", s->db, "--listen", listen,
		      (char *)NULL);
		_exit(127);
	}
	/* poll the log for "serving http://127.0.0.1:PORT/"; ASan builds on a
	 * busy machine can take seconds to start */
	for (int waited = 0; waited < 60000; waited += 10) {
		int st;
		if (waitpid(pid, &st, WNOHANG) == pid)
			return WIFEXITED(st) && WEXITSTATUS(st) == EXIT_CONFIG ? 1 : -1;
		FILE *f = fopen(out, "r");
		char line[512];
		int port = 0;
		if (f && fseeko(f, from, SEEK_SET) == 0)
			while (!port && fgets(line, sizeof line, f)) {
				const char *p = strstr(line, "http://127.0.0.1:");
				if (p && strchr(line, '\n'))
					port = atoi(p + strlen("http://127.0.0.1:"));
			}
		if (f)
			fclose(f);
		if (port > 0) {
			s->pid = pid;
			s->port = port;
			snprintf(s->base, sizeof s->base, "http://127.0.0.1:%d", port);
			return 0;
		}
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return -1;
}

int server_start_logged(struct server *s)
{
	if (make_database(s) != 0 || spawn_serve(s, "127.0.0.1:0") != 0)
		return -1;
	curl_up();
	return 0;
}

int server_kill(struct server *s)
{
	int st = 0, rc = -1;
	if (s->pid > 0) {
		kill(s->pid, SIGKILL);
		if (waitpid(s->pid, &st, 0) == s->pid)
			rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	}
	s->pid = 0;
	return rc;
}

int server_restart(struct server *s)
{
	if (s->pid > 0)
		return -1;
	char listen[64];
	snprintf(listen, sizeof listen, "127.0.0.1:%d", s->port);
	/* the old port is usually free at once (libmicrohttpd sets SO_REUSEADDR),
	 * unless a client's outgoing connection took it as its own port meanwhile */
	for (int i = 0; i < 20; i++) {
		int r = spawn_serve(s, listen);
		if (r <= 0)
			return r;
		struct timespec ts = {0, 50 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	return spawn_serve(s, "127.0.0.1:0");
}

int server_halt(struct server *s)
{
	int st = 0, rc = -1;
	if (s->pid > 0 && kill(s->pid, SIGTERM) == 0 && waitpid(s->pid, &st, 0) == s->pid)
		rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	s->pid = 0;
	return rc;
}

void server_remove(struct server *s)
{
	if (s->pid > 0)
		server_kill(s);
	remove_database(s);
}

void server_print_log(const struct server *s)
{
	const char *names[] = {LOG_OUT, LOG_ERR};
	for (size_t i = 0; i < 2; i++) {
		char path[400], buf[4096];
		log_path(s, names[i], path, sizeof path);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		fprintf(stderr, "---- %s\n", path);
		size_t n;
		while ((n = fread(buf, 1, sizeof buf, f)) > 0)
			fwrite(buf, 1, n, stderr);
		fclose(f);
	}
}
