/* test_nodes.c: several `probity serve` nodes on one PostgreSQL database
 * behind nginx on loopback (issue 8, item 3).
 *
 * Three nodes share the database that scripts/pg-test-cluster made; nginx
 * (single process, no daemon, its files in the test's folder, a free port)
 * spreads requests over them round-robin and names the node that answered
 * in an X-Node header, so that the test can see the spread. It proves:
 *
 *  - sessions live in the database, not in a node: a staff member signed in
 *    through node A goes on through B and C with the same cookie (a form
 *    fetched from A is accepted by B: the CSRF token is derived from the
 *    session, not from a node's secret), and signing out through B ends the
 *    session on A as well; the reporter's receipt session likewise, both
 *    the website's cookie and the API's bearer token;
 *  - many anonymous submissions at once through nginx each land exactly
 *    once: as many new reports as receipts, no receipt twice, each opening
 *    its own report, and every node took some;
 *  - nginx passes a request on to the next node when one fails, but a
 *    submission (POST) only when it was never sent: proxy_next_upstream
 *    (default "error timeout") leaves out non-idempotent requests once sent
 *    to a node, since nginx 1.9.13, unless "non_idempotent" is added. Shown
 *    deterministically with a stand-in node that hangs up on every request:
 *    a GET is answered by the backup node, a POST gets 502 and stores
 *    nothing (with non_idempotent this test fails);
 *  - nodes killed with SIGKILL in the middle of a stream of submissions
 *    (nodes 1 and 2 in turn, each started again on its port) lose no
 *    acknowledged report: each one answered 201 opens its report
 *    afterwards, the others keep serving, the audit trail verifies, and no
 *    submission was stored twice. A submission cut off on a killed node
 *    fails with 502 (or a broken connection); it may have been stored
 *    before the kill, so there can be more stored reports than
 *    acknowledged ones, never fewer, and never more than were sent.
 *  - the throttles are one budget over all nodes: wrong receipts from one
 *    visitor sent to the nodes in turn are refused after the burst of ten
 *    in all, not ten per node (the buckets are rows in the database and
 *    every node derives the same client key from the signing key); the
 *    nodes trust nginx (trusted_proxies 127.0.0.1), which writes
 *    X-Forwarded-For itself, so a visitor's own header changes nothing.
 *
 * Without PROBITY_TEST_PG (several nodes need a database server) the test is
 * skipped (exit status 77); under meson's pg setup it fails instead. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>

#include "harness.h"
#include "accounts/session.h"
#include "crypto/receipt.h"
#include "store/db.h"

#define NODES 3
#define AT_ONCE 48      /* concurrent submissions through nginx */
#define STREAMERS 6     /* reporters streaming while nodes are killed */
#define KILLS 4
#define PW "lange zin over tulpen 42"

static struct server srv;            /* node 0: owns the folder and the database */
static struct server extra[NODES - 1];
static struct server *node[NODES];
static struct server front;          /* nginx: only base is used, by clients */
static pid_t nginx_pid;
static char nginx_dir[300];
static db_t *db;                     /* the test's own look at the database */
static char run[17];                 /* random: descriptions never repeat across runs */

static void pause_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&t, NULL);
}

static int64_t reports_stored(void)
{
	int64_t n = -1;
	if (db_query_i64(db, "SELECT count(*) FROM report", NULL, &n) != 0)
		fail_msg("counting reports: %s", db_error(db)->msg);
	return n;
}

static int has(const char *s, const char *what)
{
	return s && strstr(s, what) != NULL;
}

/* ---- nginx ---- */

static int free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t n = sizeof a;
	int port = -1;
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &n) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

static const char *nginx_bin(void)
{
	const char *e = getenv("NGINX");
	if (e && *e)
		return e;
	return access("/usr/sbin/nginx", X_OK) == 0 ? "/usr/sbin/nginx" : "nginx";
}

/* Writes the configuration for port. master_process off: one process that
 * never changes user, so that, run as root, it may still use the test's
 * folder (workers would be "nobody"). No access log: see docs/deployment.md
 * on what a front may log. */
static int nginx_config(int port, int cut_port)
{
	char path[400];
	snprintf(path, sizeof path, "%s/nginx.conf", nginx_dir);
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f,
		"daemon off;\nmaster_process off;\npid %1$s/nginx.pid;\n"
		"error_log %1$s/error.log warn;\n"
		"events { worker_connections 512; }\n"
		"http {\n"
		"  access_log off;\n"
		"  client_body_temp_path %1$s/tmp;\n  proxy_temp_path %1$s/tmp;\n"
		"  fastcgi_temp_path %1$s/tmp;\n  uwsgi_temp_path %1$s/tmp;\n"
		"  scgi_temp_path %1$s/tmp;\n"
		"  upstream probity {\n", nginx_dir);
	for (int i = 0; i < NODES; i++)
		/* a node that failed is tried again after a second (default 10) */
		fprintf(f, "    server 127.0.0.1:%d fail_timeout=1s;\n", node[i]->port);
	/* "cut": a stand-in node that takes a request and hangs up without an
	 * answer (nginx's 444), with node 0 as the backup nginx may pass the
	 * request on to; /retry/ goes there (see retries_only_idempotent).
	 * max_fails=0: never taken out of the rotation for failing, so that
	 * every request goes to it first */
	fprintf(f,
		"  }\n"
		"  upstream cut {\n"
		"    server 127.0.0.1:%d max_fails=0;\n"
		"    server 127.0.0.1:%d backup;\n"
		"  }\n"
		"  server {\n"
		"    listen 127.0.0.1:%d;\n"
		"    return 444;\n"
		"  }\n"
		"  server {\n"
		"    listen 127.0.0.1:%d;\n"
		"    client_max_body_size 26m;\n"
		"    proxy_set_header Host $host;\n"
		"    proxy_set_header X-Forwarded-Proto $scheme;\n"
		/* as docs/deployment.md: the client's address, replacing any
		 * X-Forwarded-For the client sent */
		"    proxy_set_header X-Forwarded-For $remote_addr;\n"
		/* the default, written out: POST is never passed on once sent */
		"    proxy_next_upstream error timeout;\n"
		/* as docs/deployment.md: no report body or decrypted download
		 * in nginx's temporary files */
		"    proxy_request_buffering off;\n"
		"    proxy_max_temp_file_size 0;\n"
		"    add_header X-Node $upstream_addr always;\n"
		"    location / {\n"
		"      proxy_pass http://probity;\n"
		"    }\n"
		"    location /retry/ {\n"
		"      proxy_pass http://cut/;\n"
		"    }\n"
		"  }\n"
		"}\n", cut_port, node[0]->port, cut_port, port);
	return fclose(f) == 0 ? 0 : -1;
}

/* Starts nginx and waits until it answers; tries another port when the one
 * picked was taken meanwhile. Returns 0 or -1. */
static int nginx_start(void)
{
	snprintf(nginx_dir, sizeof nginx_dir, "%s/nginx", srv.dir);
	char tmp[400];
	snprintf(tmp, sizeof tmp, "%s/tmp", nginx_dir);
	if ((mkdir(nginx_dir, 0700) != 0 && errno != EEXIST) ||
	    (mkdir(tmp, 0700) != 0 && errno != EEXIST))
		return -1;
	for (int attempt = 0; attempt < 5; attempt++) {
		int port = free_port(), cut_port = free_port();
		if (port <= 0 || cut_port <= 0 || port == cut_port ||
		    nginx_config(port, cut_port) != 0)
			return -1;
		char conf[400], err[400];
		snprintf(conf, sizeof conf, "%s/nginx.conf", nginx_dir);
		snprintf(err, sizeof err, "%s/error.log", nginx_dir);
		pid_t pid = fork();
		if (pid < 0)
			return -1;
		if (pid == 0) {
			int devnull = open("/dev/null", O_WRONLY);
			if (devnull >= 0) {
				dup2(devnull, 1);
				dup2(devnull, 2);
			}
			execlp(nginx_bin(), nginx_bin(), "-p", nginx_dir, "-c", conf, "-e", err,
			       (char *)NULL);
			_exit(127);
		}
		snprintf(front.base, sizeof front.base, "http://127.0.0.1:%d", port);
		front.port = port;
		for (int waited = 0; waited < 10000; waited += 20) {
			int st;
			if (waitpid(pid, &st, WNOHANG) == pid)
				break; /* exited: the port was taken, or a bad config */
			CURL *k = curl_easy_init();
			char url[128];
			snprintf(url, sizeof url, "%s/", front.base);
			curl_easy_setopt(k, CURLOPT_URL, url);
			curl_easy_setopt(k, CURLOPT_NOBODY, 1L);
			curl_easy_setopt(k, CURLOPT_TIMEOUT, 5L);
			CURLcode rc = curl_easy_perform(k);
			curl_easy_cleanup(k);
			if (rc == CURLE_OK) {
				nginx_pid = pid;
				return 0;
			}
			pause_ms(20);
		}
		if (waitpid(pid, NULL, WNOHANG) == 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
	}
	fprintf(stderr, "nginx did not start (%s): see %s/error.log\n", nginx_bin(), nginx_dir);
	return -1;
}

static void nginx_print_log(void)
{
	char path[400], buf[4096];
	snprintf(path, sizeof path, "%s/error.log", nginx_dir);
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	fprintf(stderr, "---- %s\n", path);
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		fwrite(buf, 1, n, stderr);
	fclose(f);
}

static int nginx_stop(void)
{
	if (nginx_pid <= 0)
		return 0;
	int st = 0;
	kill(nginx_pid, SIGQUIT);
	waitpid(nginx_pid, &st, 0);
	nginx_pid = 0;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* The node that answered through nginx, as its index, or -1. X-Node holds
 * $upstream_addr: every address tried, "127.0.0.1:P1, 127.0.0.1:P2" when
 * nginx passed the request on; the last one answered. */
static int answered_by(const char *headers)
{
	const char *h = strcasestr(headers ? headers : "", "\nX-Node: ");
	if (!h)
		return -1;
	const char *end = strchr(h + 1, '\n');
	const char *last = h;
	for (const char *a = h; (a = strstr(a + 1, "127.0.0.1:")) && (!end || a < end);)
		last = a;
	if (last == h)
		return -1;
	int port = atoi(last + strlen("127.0.0.1:"));
	for (int i = 0; i < NODES; i++)
		if (node[i]->port == port)
			return i;
	return -1;
}

/* How many addresses nginx tried for the answer with headers. */
static int tried(const char *headers)
{
	const char *h = strcasestr(headers ? headers : "", "\nX-Node: ");
	const char *end = h ? strchr(h + 1, '\n') : NULL;
	int n = 0;
	for (const char *a = h; a && (a = strstr(a + 1, "127.0.0.1:")) && (!end || a < end);)
		n++;
	return n;
}

/* ---- setup ---- */

static int setup(void **state)
{
	(void)state;
	/* every node believes X-Forwarded-For from nginx (and from this test,
	 * which stands in for a proxy when it talks to a node directly); the
	 * restarted nodes inherit it */
	setenv("PROBITY_TRUSTED_PROXIES", "127.0.0.1", 1);
	if (sodium_init() < 0 || server_start_logged(&srv) != 0 ||
	    server_add_fin_ivo(&srv, PW) != 0)
		return -1;
	node[0] = &srv;
	/* the other nodes: the same database, their logs in folders of their own */
	for (int i = 1; i < NODES; i++) {
		struct server *n = &extra[i - 1];
		*n = srv;
		n->pid = 0;
		n->port = 0;
		snprintf(n->dir, sizeof n->dir, "%.200s/node%d", srv.dir, i);
		if (mkdir(n->dir, 0700) != 0 || server_restart(n) != 0) {
			server_print_log(n);
			return -1;
		}
		node[i] = n;
	}
	struct db_error e;
	if (db_open(srv.db, 0, NULL, &db, &e) != 0) {
		fprintf(stderr, "%s\n", e.msg);
		return -1;
	}
	unsigned char r[8];
	randombytes_buf(r, sizeof r);
	sodium_bin2hex(run, sizeof run, r, sizeof r);
	return nginx_start();
}

static int teardown(void **state)
{
	(void)state;
	int rc = 0;
	if (nginx_stop() != 0) {
		nginx_print_log();
		rc = -1;
	}
	if (db)
		db_close(db);
	/* every node still up stops cleanly (sanitizers report at exit) */
	for (int i = NODES - 1; i >= 0; i--) {
		if (!node[i] || node[i]->pid <= 0)
			continue;
		int st = server_halt(node[i]);
		if (st != 0) {
			fprintf(stderr, "node %d stopped with status %d\n", i, st);
			server_print_log(node[i]);
			rc = -1;
		}
	}
	server_remove(&srv);
	return rc;
}

/* ---- a: sessions continue on another node ---- */

/* A client whose requests go to whichever base *via holds at the time. */
static struct server via;

static void go(int i)
{
	snprintf(via.base, sizeof via.base, "%s", i < 0 ? front.base : node[i]->base);
}

static void staff_session_moves(void **state)
{
	(void)state;
	struct client *c = client_new(&via);
	struct http_result r;
	go(0);
	if (client_sign_in(c, "ivo", PW, NULL, NULL) != 0) {
		server_print_log(&srv);
		fail_msg("ivo could not sign in through node 0");
		return;
	}
	/* the same cookie through each other node, and through nginx */
	for (int i = 1; i <= NODES; i++) {
		go(i == NODES ? -1 : i);
		assert_int_equal(client_get(c, "/account", &r), 0);
		if (r.status != 200 || !has(r.body, "Ivo Integer"))
			fail_msg("the session from node 0 on %s: %ld", via.base, r.status);
		http_result_free(&r);
	}
	/* a form from node 0, sent to node 1 */
	go(0);
	char *csrf = client_csrf(c, "/account");
	if (!csrf) {
		fail_msg("no CSRF token on node 0's /account");
		return;
	}
	go(1);
	char body[300];
	snprintf(body, sizeof body, "csrf=%s&lang=en&return_to=%%2Faccount", csrf);
	assert_int_equal(client_post(c, "/lang", body, &r), 0);
	assert_int_equal(r.status, 303);
	http_result_free(&r);
	/* ...and what it changed is seen by node 2 */
	go(2);
	assert_int_equal(client_get(c, "/account", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.body, "lang=\"en\""));
	http_result_free(&r);
	/* signing out through node 1 ends the session on node 0 too */
	/* a second browser holding the same session cookie */
	struct client *other_browser = client_new(&via);
	char *value = client_cookie(c, SESSION_COOKIE);
	if (!value) {
		fail_msg("no " SESSION_COOKIE " cookie after signing in");
		return;
	}
	client_set_cookie(other_browser, SESSION_COOKIE, value);
	go(1);
	snprintf(body, sizeof body, "csrf=%s", csrf);
	assert_int_equal(client_post(c, "/logout", body, &r), 0);
	assert_true(r.status == 303 || r.status == 200);
	http_result_free(&r);
	go(0);
	assert_int_equal(client_get(other_browser, "/account", &r), 0);
	if (r.status != 303)
		fail_msg("node 0 still took the session signed out through node 1: %ld", r.status);
	http_result_free(&r);
	free(value);
	free(csrf);
	client_free(other_browser);
	client_free(c);
}

/* Submits a report through the API at *via; returns the receipt (malloc'd). */
static char *submit(struct client *c, const char *description)
{
	char body[600];
	snprintf(body, sizeof body,
		 "{\"organisation\":\"FIN\",\"kind\":\"wrongdoing\",\"mode\":\"anonymous\","
		 "\"answers\":{\"kind\":\"wrongdoing\",\"description\":\"%s\","
		 "\"contact\":\"messages\"}}", description);
	const char *json[] = {"Content-Type: application/json", NULL};
	struct http_result r;
	if (client_request(c, "POST", "/api/v1/reports", json, body, strlen(body), &r) != 0)
		return NULL;
	json_t *j = r.status == 201 ? json_loads(r.body, 0, NULL) : NULL;
	const char *rc = json_string_value(json_object_get(j, "receipt"));
	char *out = rc ? strdup(rc) : NULL;
	json_decref(j);
	http_result_free(&r);
	return out;
}

static void receipt_session_moves(void **state)
{
	(void)state;
	char description[96];
	snprintf(description, sizeof description, "Melding die van node wisselt, run %s", run);
	struct client *c = client_new(&via);
	go(2);
	char *receipt = submit(c, description);
	if (!receipt) {
		fail_msg("no receipt from node 2");
		return;
	}
	struct http_result r;
	/* the website: the sign-in form from node 0, sent to node 1, the report
	 * read on node 2 */
	go(0);
	assert_int_equal(client_get(c, "/melding", &r), 0);
	char *csrf = html_input_value(r.body, "csrf");
	http_result_free(&r);
	if (!csrf) {
		fail_msg("no CSRF token on /melding");
		return;
	}
	char *typed = url_encode(receipt);
	char body[400];
	snprintf(body, sizeof body, "csrf=%s&receipt=%s", csrf, typed);
	free(typed);
	go(1);
	assert_int_equal(client_post(c, "/melding", body, &r), 0);
	assert_int_equal(r.status, 303);
	http_result_free(&r);
	go(2);
	assert_int_equal(client_get(c, "/melding/overzicht", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.body, description));
	char *csrf2 = html_input_value(r.body, "csrf");
	http_result_free(&r);
	/* signed out through node 0: node 1 no longer knows the session */
	char *token = client_cookie(c, "probity_receipt");
	if (!token || !csrf2) {
		fail_msg("no receipt session cookie or form");
		return;
	}
	go(0);
	snprintf(body, sizeof body, "csrf=%s", csrf2);
	assert_int_equal(client_post(c, "/melding/afmelden", body, &r), 0);
	assert_int_equal(r.status, 200);
	http_result_free(&r);
	client_set_cookie(c, "probity_receipt", token);
	go(1);
	assert_int_equal(client_get(c, "/melding/overzicht", &r), 0);
	assert_int_equal(r.status, 303);
	http_result_free(&r);

	/* the API: the session opened on node 1, used on node 2, closed on node 0 */
	snprintf(body, sizeof body, "{\"receipt\":\"%s\"}", receipt);
	const char *json[] = {"Content-Type: application/json", NULL};
	go(1);
	assert_int_equal(client_request(c, "POST", "/api/v1/receipt/session", json, body,
					strlen(body), &r), 0);
	assert_int_equal(r.status, 201);
	json_t *j = json_loads(r.body, 0, NULL);
	http_result_free(&r);
	const char *tok = json_string_value(json_object_get(j, "token"));
	if (!tok) {
		json_decref(j);
		fail_msg("no receipt token");
		return;
	}
	char auth[300];
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", tok);
	json_decref(j);
	const char *bearer[] = {auth, NULL};
	go(2);
	assert_int_equal(client_request(c, "GET", "/api/v1/receipt/report", bearer, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.body, description));
	http_result_free(&r);
	go(0);
	assert_int_equal(client_request(c, "DELETE", "/api/v1/receipt/session", bearer, NULL, 0, &r),
			 0);
	assert_true(r.status == 204 || r.status == 200);
	http_result_free(&r);
	go(2);
	assert_int_equal(client_request(c, "GET", "/api/v1/receipt/report", bearer, NULL, 0, &r), 0);
	assert_int_equal(r.status, 401);
	http_result_free(&r);
	free(token);
	free(csrf2);
	free(csrf);
	free(receipt);
	client_free(c);
}

/* ---- b: many at once through nginx, each exactly once ---- */

static pthread_barrier_t start_line;

struct reporter {
	pthread_t thread;
	struct client *c;
	char description[96];
	long status;
	int node;
	char receipt[64];
};

static struct reporter at_once[AT_ONCE];

static void *report_once(void *arg)
{
	struct reporter *r = arg;
	char body[600];
	snprintf(body, sizeof body,
		 "{\"organisation\":\"FIN\",\"kind\":\"wrongdoing\",\"mode\":\"anonymous\","
		 "\"answers\":{\"kind\":\"wrongdoing\",\"description\":\"%s\","
		 "\"contact\":\"messages\"}}", r->description);
	const char *json[] = {"Content-Type: application/json", NULL};
	struct http_result res;
	r->node = -1;
	pthread_barrier_wait(&start_line);
	if (client_request(r->c, "POST", "/api/v1/reports", json, body, strlen(body), &res) != 0)
		return NULL;
	r->status = res.status;
	r->node = answered_by(res.headers);
	json_t *j = json_loads(res.body, 0, NULL);
	const char *rc = json_string_value(json_object_get(j, "receipt"));
	if (rc)
		snprintf(r->receipt, sizeof r->receipt, "%s", rc);
	json_decref(j);
	http_result_free(&res);
	return NULL;
}

static void many_at_once_land_once(void **state)
{
	(void)state;
	int64_t before = reports_stored();
	for (int i = 0; i < AT_ONCE; i++) {
		at_once[i].c = client_new(&front);
		if (!at_once[i].c) {
			fail_msg("client_new");
			return;
		}
		snprintf(at_once[i].description, sizeof at_once[i].description,
			 "Melding %d van %d door nginx, run %s", i, AT_ONCE, run);
	}
	assert_int_equal(pthread_barrier_init(&start_line, NULL, AT_ONCE + 1), 0);
	for (int i = 0; i < AT_ONCE; i++)
		assert_int_equal(pthread_create(&at_once[i].thread, NULL, report_once, &at_once[i]),
				 0);
	pthread_barrier_wait(&start_line);
	for (int i = 0; i < AT_ONCE; i++)
		pthread_join(at_once[i].thread, NULL);
	pthread_barrier_destroy(&start_line);
	for (int i = 0; i < AT_ONCE; i++)
		client_free(at_once[i].c);

	int per_node[NODES] = {0};
	for (int i = 0; i < AT_ONCE; i++) {
		if (at_once[i].status != 201 || !at_once[i].receipt[0]) {
			nginx_print_log();
			fail_msg("submission %d: status %ld, receipt \"%s\"", i, at_once[i].status,
				 at_once[i].receipt);
		}
		if (at_once[i].node < 0)
			fail_msg("submission %d: no X-Node from nginx", i);
		per_node[at_once[i].node]++;
	}
	printf("# %d submissions at once through nginx: %d, %d and %d per node\n", AT_ONCE,
	       per_node[0], per_node[1], per_node[2]);
	for (int i = 0; i < NODES; i++)
		if (per_node[i] == 0)
			fail_msg("node %d took none of %d submissions (round-robin)", i, AT_ONCE);
	/* exactly once: as many new rows as receipts, no receipt twice */
	assert_int_equal(reports_stored() - before, AT_ONCE);
	for (int i = 0; i < AT_ONCE; i++)
		for (int k = i + 1; k < AT_ONCE; k++)
			if (strcmp(at_once[i].receipt, at_once[k].receipt) == 0)
				fail_msg("submissions %d and %d got the same receipt", i, k);
	/* each opens its own report, on whichever node nginx picks */
	struct client *c = client_new(&front);
	for (int i = 0; i < AT_ONCE; i++) {
		char *d = receipt_answer(c, at_once[i].receipt, "description");
		if (!d || strcmp(d, at_once[i].description) != 0)
			fail_msg("receipt %d opens \"%s\", not \"%s\"", i, d ? d : "(nothing)",
				 at_once[i].description);
		free(d);
	}
	client_free(c);
}

/* ---- c: what nginx passes on when a node fails ---- */

/* Deterministic, where the kills below can only be lucky: a node that takes
 * a request and hangs up. A GET is passed on to the next node and answered;
 * a submission (POST) is not: 502, and the next node never sees it. With
 * "proxy_next_upstream ... non_idempotent" the POST would be stored by the
 * backup, which a node that had committed before dying would make a second
 * copy of. */
static void retries_only_idempotent(void **state)
{
	(void)state;
	struct client *c = client_new(&front);
	struct http_result r;
	assert_int_equal(client_get(c, "/retry/melden", &r), 0);
	int ok = r.status == 200 && tried(r.headers) == 2 && answered_by(r.headers) == 0;
	long status = r.status;
	http_result_free(&r);
	if (!ok) {
		client_free(c);
		fail_msg("a GET to a node that hung up: %ld, not passed on to node 0", status);
		return;
	}
	int64_t before = reports_stored();
	const char *json[] = {"Content-Type: application/json", NULL};
	const char *body = "{\"organisation\":\"FIN\",\"kind\":\"wrongdoing\",\"mode\":"
			   "\"anonymous\",\"answers\":{\"kind\":\"wrongdoing\",\"description\":"
			   "\"Niet tweemaal\",\"contact\":\"messages\"}}";
	assert_int_equal(client_request(c, "POST", "/retry/api/v1/reports", json, body,
					strlen(body), &r), 0);
	ok = r.status == 502 && tried(r.headers) == 1;
	status = r.status;
	http_result_free(&r);
	if (!ok) {
		client_free(c);
		fail_msg("a POST to a node that hung up was answered %ld, not 502: nginx passed it "
			 "on", status);
		return;
	}
	assert_int_equal(reports_stored(), before);
	client_free(c);
}

/* ---- d: nodes killed mid-stream ---- */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
struct acked {
	char receipt[64];
	char description[96];
};
static struct acked *acked;
static size_t nacked, cap;
static size_t sent;            /* submissions whose request went out */
static size_t failed;          /* cut off (transport error) or 502/504 from nginx */
static size_t other;           /* any other answer: a failure of the test */
static long other_status;
static atomic_int stop;

static void *streamer(void *arg)
{
	int who = (int)(intptr_t)arg;
	CURL *k = curl_easy_init();
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	h = curl_slist_append(h, "Expect:");
	char url[128];
	snprintf(url, sizeof url, "%s/api/v1/reports", front.base);
	for (int n = 0; !atomic_load(&stop); n++) {
		char body[600], description[96];
		snprintf(description, sizeof description, "Stroom %d van melder %d, run %s", n, who,
			 run);
		snprintf(body, sizeof body,
			 "{\"organisation\":\"FIN\",\"kind\":\"wrongdoing\",\"mode\":\"anonymous\","
			 "\"answers\":{\"kind\":\"wrongdoing\",\"description\":\"%s\","
			 "\"contact\":\"messages\"}}", description);
		struct http_sink got = {0};
		curl_easy_setopt(k, CURLOPT_URL, url);
		curl_easy_setopt(k, CURLOPT_HTTPHEADER, h);
		curl_easy_setopt(k, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(k, CURLOPT_WRITEFUNCTION, http_sink_write);
		curl_easy_setopt(k, CURLOPT_WRITEDATA, &got);
		curl_easy_setopt(k, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(k, CURLOPT_TIMEOUT, 60L);
		CURLcode rc = curl_easy_perform(k);
		long status = 0;
		if (rc == CURLE_OK)
			curl_easy_getinfo(k, CURLINFO_RESPONSE_CODE, &status);
		json_t *j = status == 201 && got.p ? json_loads(got.p, 0, NULL) : NULL;
		const char *receipt = json_string_value(json_object_get(j, "receipt"));
		pthread_mutex_lock(&lock);
		sent++;
		if (receipt) {
			if (nacked == cap) {
				cap = cap ? 2 * cap : 256;
				acked = realloc(acked, cap * sizeof *acked);
				if (!acked)
					abort();
			}
			snprintf(acked[nacked].receipt, sizeof acked[nacked].receipt, "%s", receipt);
			snprintf(acked[nacked].description, sizeof acked[nacked].description, "%s",
				 description);
			nacked++;
		} else if (rc != CURLE_OK || status == 502 || status == 504) {
			failed++;
		} else {
			other++;
			other_status = status;
		}
		pthread_mutex_unlock(&lock);
		json_decref(j);
		free(got.p);
	}
	curl_slist_free_all(h);
	curl_easy_cleanup(k);
	return NULL;
}

static size_t acked_count(void)
{
	pthread_mutex_lock(&lock);
	size_t n = nacked;
	pthread_mutex_unlock(&lock);
	return n;
}

/* Waits until more than `than` reports were acknowledged; 0, or -1 after 60 s. */
static int await_acks(size_t than)
{
	for (int i = 0; i < 6000; i++) {
		if (acked_count() > than)
			return 0;
		pause_ms(10);
	}
	return -1;
}

static pthread_t streamers[STREAMERS];
static int nstreamers;

static void stop_streamers(void)
{
	atomic_store(&stop, 1);
	for (; nstreamers > 0; nstreamers--)
		pthread_join(streamers[nstreamers - 1], NULL);
}

static void node_killed_mid_stream(void **state)
{
	(void)state;
	int64_t before = reports_stored();
	for (; nstreamers < STREAMERS; nstreamers++)
		assert_int_equal(pthread_create(&streamers[nstreamers], NULL, streamer,
						(void *)(intptr_t)nstreamers), 0);
	if (await_acks(20) != 0) {
		stop_streamers();
		nginx_print_log();
		fail_msg("fewer than 20 reports acknowledged within 60 s");
		return;
	}
	/* nodes 1 and 2 in turn, each killed at a random moment and started
	 * again on its port once the others have taken reports without it */
	for (int round = 0; round < KILLS; round++) {
		struct server *victim = node[1 + round % 2];
		pause_ms(50 + (long)randombytes_uniform(200));
		int st = server_kill(victim);
		size_t at_kill = acked_count();
		if (st != 128 + 9) {
			stop_streamers();
			server_print_log(victim);
			fail_msg("node %d had stopped by itself (status %d) before kill %d",
				 1 + round % 2, st, round + 1);
			return;
		}
		/* the others keep serving */
		if (await_acks(at_kill + 30) != 0) {
			stop_streamers();
			nginx_print_log();
			fail_msg("the surviving nodes acknowledged fewer than 30 reports in 60 s");
			return;
		}
		int port = victim->port;
		if (server_restart(victim) != 0 || victim->port != port) {
			stop_streamers();
			server_print_log(victim);
			fail_msg("node %d did not start again on port %d", 1 + round % 2, port);
			return;
		}
		printf("# kill %d: node %d after %zu acknowledged, started again\n", round + 1,
		       1 + round % 2, at_kill);
	}
	if (await_acks(acked_count() + 20) != 0) {
		stop_streamers();
		fail_msg("fewer than 20 reports acknowledged after the last restart");
		return;
	}
	stop_streamers();
	int64_t stored = reports_stored() - before;
	printf("# %d kills: %zu sent, %zu acknowledged, %zu failed in flight, %lld stored\n", KILLS,
	       sent, nacked, failed, (long long)stored);
	if (other)
		fail_msg("%zu submissions got an answer other than 201, 502 or 504 (last %ld)", other,
			 other_status);
	/* nothing acknowledged is lost, nothing sent is stored twice */
	if (stored < (int64_t)nacked)
		fail_msg("%zu acknowledged, only %lld stored", nacked, (long long)stored);
	if (stored > (int64_t)sent || stored > (int64_t)(nacked + failed))
		fail_msg("%lld stored from %zu submissions (%zu acknowledged, %zu failed): a "
			 "submission was stored twice", (long long)stored, sent, nacked, failed);
	/* every acknowledged report opens with its receipt, through nginx with
	 * a node down */
	struct client *c = client_new(&front);
	for (size_t i = 0; i < nacked; i++) {
		char *d = receipt_answer(c, acked[i].receipt, "description");
		if (!d || strcmp(d, acked[i].description) != 0) {
			nginx_print_log();
			fail_msg("acknowledged report %zu (\"%s\") opens %s%s%s after the kill", i,
				 acked[i].description, d ? "\"" : "nothing", d ? d : "",
				 d ? "\"" : "");
		}
		free(d);
	}
	client_free(c);
	/* the audit trail, written by three nodes in turn, is whole */
	const char *verify[] = {"audit", "verify", NULL};
	assert_int_equal(server_cli(&srv, verify), 0);
}

/* ---- e: one throttle budget over all nodes ---- */

#define RECEIPT_BURST 10 /* wrong receipts per client at once (src/app/api.c) */

/* A wrong receipt (well-formed, opening nothing) through *via, with extra
 * header lines; the status: 404 when it was tried, 429 when refused. */
static long wrong_receipt(struct client *c, const char *xff)
{
	char wrong[RECEIPT_SHOWN_SIZE], body[200], line[120];
	receipt_generate(wrong);
	snprintf(body, sizeof body, "{\"receipt\":\"%s\"}", wrong);
	snprintf(line, sizeof line, "X-Forwarded-For: %s", xff);
	const char *hdr[] = {"Content-Type: application/json", xff ? line : NULL, NULL};
	struct http_result r;
	if (client_request(c, "POST", "/api/v1/receipt/session", hdr, body, strlen(body), &r) != 0)
		return -1;
	long st = r.status;
	http_result_free(&r);
	return st;
}

/* Last: it uses up receipt budgets. */
static void wrong_receipts_share_one_budget(void **state)
{
	(void)state;
	struct client *c = client_new(&via);
	int tried = 0;
	long st = 0;
	/* one visitor (as a proxy would name it) to node 0, 1, 2, 0, ... */
	for (int i = 0; i < NODES * RECEIPT_BURST + 1 && st != 429; i++) {
		go(i % NODES);
		st = wrong_receipt(c, "203.0.113.77");
		if (st == 404)
			tried++;
		else if (st != 429)
			fail_msg("a wrong receipt on node %d answered %ld", i % NODES, st);
	}
	/* the burst once over all nodes, not once per node */
	if (tried != RECEIPT_BURST) {
		for (int i = 0; i < NODES; i++)
			server_print_log(node[i]);
		fail_msg("%d wrong receipts were tried over %d nodes, the budget is %d", tried,
			 NODES, RECEIPT_BURST);
	}
	for (int i = 0; i < NODES; i++) {
		go(i);
		assert_int_equal(wrong_receipt(c, "203.0.113.77"), 429);
	}
	/* another visitor behind the same proxy has a budget of its own */
	go(1);
	assert_int_equal(wrong_receipt(c, "203.0.113.78"), 404);
	/* through nginx the visitor's own header is replaced by the address
	 * nginx saw: claiming to be the throttled visitor changes nothing */
	go(-1);
	assert_int_equal(wrong_receipt(c, "203.0.113.77"), 404);
	/* the table holds the three clients that failed, as keys, nothing else */
	int64_t n = -1;
	assert_int_equal(db_query_i64(db, "SELECT count(*) FROM throttle_bucket WHERE bucket = "
				      "'receipt'", NULL, &n), 0);
	assert_int_equal(n, 3);
	client_free(c);
}

int main(void)
{
	if (!getenv("PROBITY_TEST_PG") || !*getenv("PROBITY_TEST_PG")) {
		if (getenv("PROBITY_TEST_REQUIRE_PG")) {
			fprintf(stderr, "PROBITY_TEST_PG is not set: run under scripts/pg-test-cluster\n");
			return 1;
		}
		printf("# skipped: several nodes need PostgreSQL (scripts/pg-test-cluster run "
		       "meson test --setup pg --suite nodes)\n");
		return 77;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT); /* before any thread uses libcurl */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(staff_session_moves),
		cmocka_unit_test(receipt_session_moves),
		cmocka_unit_test(many_at_once_land_once),
		cmocka_unit_test(retries_only_idempotent),
		cmocka_unit_test(node_killed_mid_stream),
		cmocka_unit_test(wrong_receipts_share_one_budget),
	};
	int rc = cmocka_run_group_tests_name("nodes", tests, setup, teardown);
	stop_streamers();
	free(acked);
	curl_global_cleanup();
	return rc;
}
