/* test_serve.c: the server answers, keeps connections alive, sends the security
 * headers on every response and stops cleanly on SIGTERM. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

static struct server srv;

static int setup(void **state)
{
	(void)state;
	return server_start(&srv);
}

static int stopped;

static int teardown(void **state)
{
	(void)state;
	return stopped || server_stop(&srv) == 0 ? 0 : -1;
}

/* Last: SIGTERM ends the server with status 0. A test of its own, because
 * cmocka 1.1.5 does not fail a run whose group teardown fails. */
static void test_stops_cleanly(void **state)
{
	(void)state;
	stopped = 1;
	assert_int_equal(server_stop(&srv), 0);
}

static void test_health(void **state)
{
	(void)state;
	struct http_result r;
	assert_int_equal(http_get(&srv, "/healthz", &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "ok\n");
	http_result_free(&r);
}

static void test_start_page_and_headers(void **state)
{
	(void)state;
	struct http_result r;
	/* nobody is signed in: the start of the site is the way in to the
	 * reporting channel, with sign-in for staff */
	assert_int_equal(http_get(&srv, "/", &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "<html lang=\"nl\""));
	assert_non_null(strstr(r.body, "href=\"/melden\""));
	assert_non_null(strstr(r.body, "href=\"/melding\""));
	assert_non_null(strstr(r.body, "href=\"/login\""));
	assert_non_null(strstr(r.headers, "Content-Security-Policy: default-src 'self'"));
	http_result_free(&r);
	assert_int_equal(http_get(&srv, "/login", &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "<html lang=\"nl\""));
	assert_non_null(strstr(r.headers, "Content-Security-Policy: default-src 'self'"));
	assert_non_null(strstr(r.headers, "frame-ancestors 'none'"));
	/* the house style's checkbox tick is a data: SVG in the CSS */
	assert_non_null(strstr(r.headers, "img-src 'self' data:;"));
	assert_null(strstr(r.headers, "unsafe-inline"));
	assert_non_null(strstr(r.headers, "Referrer-Policy: no-referrer"));
	assert_non_null(strstr(r.headers, "X-Content-Type-Options: nosniff"));
	http_result_free(&r);
}

static void test_not_found_has_headers(void **state)
{
	(void)state;
	struct http_result r;
	assert_int_equal(http_get(&srv, "/no/such/page", &r), 0);
	assert_int_equal(r.status, 404);
	assert_non_null(strstr(r.headers, "Content-Security-Policy:"));
	http_result_free(&r);
}

static void test_keep_alive(void **state)
{
	(void)state;
	struct http_result a, b;
	assert_int_equal(http_get(&srv, "/healthz", &a), 0);
	assert_int_equal(http_get(&srv, "/healthz", &b), 0);
	/* the second request must travel over the first one's connection */
	assert_int_equal(b.connects, 0);
	http_result_free(&a);
	http_result_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_health),
		cmocka_unit_test(test_start_page_and_headers),
		cmocka_unit_test(test_not_found_has_headers),
		cmocka_unit_test(test_keep_alive),
		cmocka_unit_test(test_stops_cleanly),
	};
	return cmocka_run_group_tests_name("http_serve", tests, setup, teardown);
}
