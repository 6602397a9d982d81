/* test_router.c: route matching and the checks on a route table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "web/router.h"

static void h(struct page *p) { (void)p; }

static const struct route table[] = {
	{"GET", "/", 0, ROUTE_PUBLIC, h, "home"},
	{"GET", "/login", 0, ROUTE_PUBLIC, h, "login"},
	{"POST", "/login", 0, ROUTE_PUBLIC | ROUTE_CHANGES, h, "login.post"},
	{"GET", "/cases/{id}", 1, 0, h, "case"},
	{"GET", "/cases/{id}/notes/{id}", 1, 0, h, "note"},
};
#define N (sizeof table / sizeof table[0])

static void test_match(void **state)
{
	(void)state;
	const struct route *r;
	int64_t p[ROUTE_MAX_PARAMS];
	assert_int_equal(router_match(table, N, "GET", "/", &r, p), ROUTER_FOUND);
	assert_string_equal(r->name, "home");
	assert_int_equal(router_match(table, N, "HEAD", "/login", &r, p), ROUTER_FOUND);
	assert_string_equal(r->name, "login");
	assert_int_equal(router_match(table, N, "POST", "/login", &r, p), ROUTER_FOUND);
	assert_string_equal(r->name, "login.post");
	assert_int_equal(router_match(table, N, "GET", "/cases/42", &r, p), ROUTER_FOUND);
	assert_int_equal(p[0], 42);
	assert_int_equal(router_match(table, N, "GET", "/cases/7/notes/9", &r, p), ROUTER_FOUND);
	assert_string_equal(r->name, "note");
	assert_int_equal(p[0], 7);
	assert_int_equal(p[1], 9);
}

static void test_no_match(void **state)
{
	(void)state;
	const struct route *r;
	int64_t p[ROUTE_MAX_PARAMS];
	const char *missing[] = {"/cases/", "/cases/0", "/cases/007", "/cases/-1", "/cases/1x",
				 "/cases/99999999999999999999", "/cases/1/", "/login/", "//",
				 "/Login", "/cases/9007199254740993"};
	for (size_t i = 0; i < sizeof missing / sizeof *missing; i++) {
		assert_int_equal(router_match(table, N, "GET", missing[i], &r, p), ROUTER_NOT_FOUND);
		assert_null(r);
	}
	assert_int_equal(router_match(table, N, "DELETE", "/login", &r, p), ROUTER_BAD_METHOD);
	assert_int_equal(router_match(table, N, "POST", "/", &r, p), ROUTER_BAD_METHOD);
	assert_int_equal(router_match(table, N, "PUT", "/cases/3", &r, p), ROUTER_BAD_METHOD);
}

static void expect_bad(struct route r, const char *why)
{
	char err[200];
	assert_int_equal(router_check(&r, 1, err, sizeof err), -1);
	assert_non_null(strstr(err, why));
}

static void test_check(void **state)
{
	(void)state;
	char err[200];
	assert_int_equal(router_check(table, N, err, sizeof err), 0);
	expect_bad((struct route){"GET", "/x", 0, 0, h, "x"}, "allows nobody");
	expect_bad((struct route){"POST", "/x", 1, 0, h, "x"}, "POST exactly when");
	expect_bad((struct route){"GET", "/x", 1, ROUTE_CHANGES, h, "x"}, "POST exactly when");
	expect_bad((struct route){"PUT", "/x", 1, ROUTE_CHANGES, h, "x"}, "method");
	expect_bad((struct route){"GET", "x", 1, 0, h, "x"}, "malformed");
	expect_bad((struct route){"GET", "/a{id}", 1, 0, h, "x"}, "malformed");
	expect_bad((struct route){"GET", "/a/{name}", 1, 0, h, "x"}, "malformed");
	expect_bad((struct route){"GET", "/a/{id}/{id}/{id}", 1, 0, h, "x"}, "malformed");
	expect_bad((struct route){"GET", "/x", 1, 0, NULL, "x"}, "handler");
	const struct route dup[] = {{"GET", "/x", 1, 0, h, "a"}, {"GET", "/x", 2, 0, h, "b"}};
	assert_int_equal(router_check(dup, 2, err, sizeof err), -1);
	assert_non_null(strstr(err, "duplicates"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_no_match),
		cmocka_unit_test(test_check),
	};
	return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
