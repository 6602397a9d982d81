/* harness.c: a real server process per test group, driven with libcurl. */
#include "harness.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static CURL *curl;  /* one handle: libcurl keeps the connection alive across requests */

static const char *probity_bin(void)
{
	const char *p = getenv("PROBITY");
	return p ? p : "probity";
}

static int run_wait(const char *const *argv)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0)
			dup2(devnull, 1);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	int st;
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int server_cli(struct server *s, const char *const *args)
{
	const char *argv[32];
	int n = 0;
	argv[n++] = probity_bin();
	for (; args[n - 1] && n < 28; n++)
		argv[n] = args[n - 1];
	argv[n++] = "--db";
	argv[n++] = s->db;
	argv[n] = NULL;
	return run_wait(argv);
}

int server_start(struct server *s)
{
	memset(s, 0, sizeof *s);
	snprintf(s->dir, sizeof s->dir, "/tmp/probity-http-XXXXXX");
	if (!mkdtemp(s->dir))
		return -1;
	snprintf(s->db, sizeof s->db, "%s/test.db", s->dir);
	const char *init[] = {"init", NULL};
	if (server_cli(s, init) != 0)
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
	if (!curl) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		curl = curl_easy_init();
	}
	return 0;
}

int server_stop(struct server *s)
{
	int st = 0, rc = -1;
	if (s->pid > 0 && kill(s->pid, SIGTERM) == 0 && waitpid(s->pid, &st, 0) == s->pid)
		rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", s->dir);
	if (s->dir[0] && system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", s->dir);
	if (curl) {
		curl_easy_cleanup(curl);
		curl = NULL;
		curl_global_cleanup();
	}
	return rc;
}

struct sink {
	char *p;
	size_t n;
};

static size_t collect(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct sink *k = ctx;
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
	struct sink body = {0}, head = {0};
	char url[512];
	snprintf(url, sizeof url, "%s%s", s->base, path);
	curl_easy_reset(curl);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect);
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
