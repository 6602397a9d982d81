/* test_proxy.c: the sign-in throttle behind a reverse proxy. A server told to
 * trust 127.0.0.1 (PROBITY_TRUSTED_PROXIES, as a proxy on the same machine)
 * keys clients by the right-most X-Forwarded-For entry: two visitors have
 * their own budgets, and a value the visitor wrote on the left does not
 * escape its own. A server without the setting ignores the header: whatever
 * it says, the connection's address is the client. And when the throttle's
 * table cannot be used, attempts are refused (503), not let through. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "store/db.h"

#define BURST 10 /* sign-in attempts per client at once (src/app/app.c) */

/* One failed sign-in from a visitor whose proxy wrote the given
 * X-Forwarded-For headers (NULL-terminated, may be NULL); the status. */
static long fail_login(struct server *s, const char *const *xff)
{
	struct client *c = client_new(s);
	struct http_result r;
	if (client_get(c, "/login", &r) != 0 || r.status != 200) {
		fail_msg("GET /login");
		return -1;
	}
	char *csrf = html_input_value(r.body, "csrf");
	http_result_free(&r);
	if (!csrf) {
		fail_msg("no csrf on /login");
		return -1;
	}
	/* an account that does not exist: no account lock-out gets in the way,
	 * only the per-client throttle answers 429 */
	static int attempt;
	char body[256];
	snprintf(body, sizeof body, "csrf=%s&username=nobody%d&password=wrong+wrong+wrong", csrf,
		 attempt++);
	free(csrf);
	const char *hdr[8] = {"Content-Type: application/x-www-form-urlencoded"};
	size_t n = 1;
	char lines[6][200];
	for (size_t i = 0; xff && xff[i] && n < 7; i++, n++) {
		snprintf(lines[i], sizeof lines[i], "X-Forwarded-For: %s", xff[i]);
		hdr[n] = lines[i];
	}
	hdr[n] = NULL;
	if (client_request(c, "POST", "/login", hdr, body, strlen(body), &r) != 0) {
		fail_msg("POST /login");
		return -1;
	}
	long status = r.status;
	if (status != 429 && status != 401 && status != 503)
		fail_msg("POST /login answered %ld", status);
	http_result_free(&r);
	client_free(c);
	return status;
}

#define XFF(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Fails sign-in until refused; the number of attempts before the refusal. */
static int exhaust(struct server *s, const char *const *xff)
{
	for (int i = 0; i < BURST + 2; i++)
		if (fail_login(s, xff) == 429)
			return i;
	return -1;
}

/* One server per test, stopped by the teardown also when a check failed. */
static struct server srv;

static int start(const char *trusted)
{
	if (trusted)
		setenv("PROBITY_TRUSTED_PROXIES", trusted, 1);
	else
		unsetenv("PROBITY_TRUSTED_PROXIES");
	int rc = server_start(&srv);
	unsetenv("PROBITY_TRUSTED_PROXIES");
	return rc;
}

static int setup_trusted(void **state)
{
	(void)state;
	return start("127.0.0.1");
}

static int setup_plain(void **state)
{
	(void)state;
	return start(NULL);
}

static int teardown(void **state)
{
	(void)state;
	return server_stop(&srv) == 0 ? 0 : -1;
}

static void test_trusted_proxy(void **state)
{
	(void)state;
	struct server *s = &srv;
	/* visitor A spends its budget */
	assert_int_equal(exhaust(s, XFF("203.0.113.5")), BURST);
	/* visitor B behind the same proxy still has its own */
	assert_int_equal(fail_login(s, XFF("203.0.113.6")), 401);
	/* A writing another address on the left stays A, in one header or two */
	assert_int_equal(fail_login(s, XFF("198.51.100.99, 203.0.113.5")), 429);
	assert_int_equal(fail_login(s, XFF("198.51.100.98", "203.0.113.5")), 429);
	assert_int_equal(fail_login(s, XFF(" 203.0.113.5 ")), 429);
	/* the proxy's own requests (no header, or one it garbled) are the
	 * proxy's bucket, not A's and not a fresh one per value */
	assert_int_equal(fail_login(s, NULL), 401);
	assert_int_equal(exhaust(s, XFF("garbage")) + 1, BURST);
	assert_int_equal(fail_login(s, NULL), 429);
	assert_int_equal(fail_login(s, XFF("203.0.113.7, nonsense")), 429);
	/* B is still untouched by all of that */
	assert_int_equal(fail_login(s, XFF("203.0.113.6")), 401);
}

static void test_no_setting(void **state)
{
	(void)state;
	struct server *s = &srv;
	assert_int_equal(exhaust(s, XFF("203.0.113.5")), BURST);
	/* the header changes nothing: every value is the same connection */
	assert_int_equal(fail_login(s, XFF("203.0.113.6")), 429);
	assert_int_equal(fail_login(s, XFF("2001:db8::1")), 429);
	assert_int_equal(fail_login(s, NULL), 429);
}

/* The throttle fails closed: with its table gone (a database that cannot be
 * read or written), sign-in and receipts are refused with 503 and a plain
 * message, never let through unchecked. */
static void test_fail_closed(void **state)
{
	(void)state;
	db_t *db;
	struct db_error e;
	if (db_open(srv.db, 0, NULL, &db, &e) != 0) {
		fail_msg("%s", e.msg);
		return;
	}
	int dropped = db_exec(db, "DROP TABLE throttle_bucket");
	db_close(db);
	assert_int_equal(dropped, 0);
	assert_int_equal(fail_login(&srv, NULL), 503);
	struct client *c = client_new(&srv);
	struct http_result r;
	const char *json[] = {"Content-Type: application/json", NULL};
	const char *body = "{\"receipt\":\"ABCD-EFGH-JKLM-NPQR-STUV-WX\"}";
	assert_int_equal(client_request(c, "POST", "/api/v1/receipt/session", json, body,
					strlen(body), &r), 0);
	assert_int_equal(r.status, 503);
	assert_non_null(strstr(r.body, "\"unavailable\""));
	http_result_free(&r);
	const char *session = "{\"username\":\"nobody\",\"password\":\"wrong wrong wrong\"}";
	assert_int_equal(client_request(c, "POST", "/api/v1/session", json, session,
					strlen(session), &r), 0);
	assert_int_equal(r.status, 503);
	http_result_free(&r);
	/* the reporter's page */
	assert_int_equal(client_get(c, "/melding", &r), 0);
	char *csrf = html_input_value(r.body, "csrf");
	http_result_free(&r);
	if (!csrf) {
		fail_msg("no csrf on /melding");
		return;
	}
	char form[200];
	snprintf(form, sizeof form, "csrf=%s&receipt=ABCD-EFGH-JKLM-NPQR-STUV-WX", csrf);
	free(csrf);
	assert_int_equal(client_post(c, "/melding", form, &r), 0);
	assert_int_equal(r.status, 503);
	http_result_free(&r);
	client_free(c);
}

/* A setting that does not parse stops the server at start. */
static void test_bad_setting(void **state)
{
	(void)state;
	struct server s;
	setenv("PROBITY_TRUSTED_PROXIES", "10.0.0.1/8", 1);
	int rc = server_start(&s);
	unsetenv("PROBITY_TRUSTED_PROXIES");
	if (rc == 0) {
		server_stop(&s);
		fail_msg("a server started with trusted_proxies 10.0.0.1/8");
		return;
	}
	s.pid = 0; /* already reaped by server_start */
	server_remove(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_trusted_proxy, setup_trusted, teardown),
		cmocka_unit_test_setup_teardown(test_no_setting, setup_plain, teardown),
		cmocka_unit_test_setup_teardown(test_fail_closed, setup_plain, teardown),
		cmocka_unit_test(test_bad_setting),
	};
	return cmocka_run_group_tests_name("http_proxy", tests, NULL, NULL);
}
