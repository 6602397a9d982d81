/* test_auth.c: signing in and out against a real server: CSRF, wrong
 * passwords, throttling, sessions, the second factor with enrolment and
 * recovery codes, role denial on every route of the table, languages, headers,
 * malformed and oversized forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <liboath/oath.h>

#include "app/routes.h"
#include "harness.h"

static struct server srv;

#define PW "lange zin over tulpen 42"

static int cli(const char *const *args, const char *input)
{
	return server_cli_input(&srv, args, input);
}

static int setup(void **state)
{
	(void)state;
	if (server_start(&srv) != 0)
		return -1;
	if (server_add_rijk_fin(&srv) ||
	    server_add_user(&srv, "anna", "Anna <Coördinator>", "coordinator", "RIJK", PW) ||
	    server_add_user(&srv, "ivo", "Ivo Integer", "integrity_coordinator", "FIN", PW) ||
	    server_add_user(&srv, "otto", "Otto Auditor", "auditor", "RIJK", PW))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return server_stop(&srv) == 0 ? 0 : -1;
}

static int has(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

/* GETs the sign-in page and returns its CSRF token (malloc'd). */
static char *login_form(struct client *c)
{
	struct http_result r;
	assert_int_equal(client_get(c, "/login", &r), 0);
	assert_int_equal(r.status, 200);
	char *csrf = html_input_value(r.body, "csrf");
	assert_non_null(csrf);
	http_result_free(&r);
	return csrf;
}

static long login(struct client *c, const char *user, const char *pw, struct http_result *r)
{
	char *csrf = login_form(c);
	char *u = url_encode(user), *p = url_encode(pw);
	char body[512];
	snprintf(body, sizeof body, "csrf=%s&username=%s&password=%s", csrf, u, p);
	free(csrf);
	free(u);
	free(p);
	assert_int_equal(client_post(c, "/login", body, r), 0);
	return r->status;
}

/* The token of the forms on a page the client can see. */
static char *csrf_of(struct client *c, const char *path)
{
	char *t = client_csrf(c, path);
	assert_non_null(t);
	return t;
}

static void test_login_page_and_headers(void **state)
{
	(void)state;
	struct client *c = client_new(&srv);
	struct http_result r;
	assert_int_equal(client_get(c, "/login", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.body, "<form"));
	assert_true(has(r.body, "name=\"csrf\""));
	assert_true(has(r.headers, "Content-Security-Policy: default-src 'self'"));
	assert_false(has(r.headers, "unsafe-inline"));
	assert_false(has(r.body, "<script"));
	assert_false(has(r.body, " style="));
	assert_true(has(r.headers, "Cache-Control: no-store"));
	assert_true(has(r.headers, "SameSite=Strict"));
	assert_true(has(r.headers, "HttpOnly"));
	http_result_free(&r);
	/* signed out, a protected page sends you to sign in */
	assert_int_equal(client_get(c, "/start", &r), 0);
	assert_int_equal(r.status, 303);
	assert_true(has(r.headers, "Location: /login"));
	http_result_free(&r);
	client_free(c);
}

static void test_csrf_required(void **state)
{
	(void)state;
	struct client *c = client_new(&srv);
	struct http_result r;
	char *csrf = login_form(c);
	assert_int_equal(client_post(c, "/login", "username=anna&password=" PW, &r), 0);
	assert_int_equal(r.status, 403);
	http_result_free(&r);
	assert_int_equal(client_post(c, "/login", "csrf=wrong&username=anna&password=x", &r), 0);
	assert_int_equal(r.status, 403);
	http_result_free(&r);
	/* the right token from another browser does not count */
	struct client *other = client_new(&srv);
	char body[256];
	snprintf(body, sizeof body, "csrf=%s&username=anna&password=x", csrf);
	assert_int_equal(client_post(other, "/login", body, &r), 0);
	assert_int_equal(r.status, 403);
	http_result_free(&r);
	free(csrf);
	client_free(other);
	client_free(c);
}

static void test_wrong_password_then_right(void **state)
{
	(void)state;
	struct client *c = client_new(&srv);
	struct http_result r;
	assert_int_equal(login(c, "anna", "not her password at all", &r), 401);
	assert_true(has(r.body, "gebruikersnaam of het wachtwoord"));
	assert_true(has(r.body, "value=\"anna\"")); /* the username is kept */
	assert_false(has(r.body, "not her password"));
	http_result_free(&r);
	assert_int_equal(login(c, "nobody", "whatever it is 123", &r), 401);
	http_result_free(&r);
	assert_int_equal(login(c, "anna", PW, &r), 303);
	assert_true(has(r.headers, "Location: /start"));
	assert_true(has(r.headers, "probity_session="));
	http_result_free(&r);
	assert_int_equal(client_get(c, "/start", &r), 0);
	assert_int_equal(r.status, 303);
	assert_true(has(r.headers, "Location: /start/coordinator"));
	http_result_free(&r);
	assert_int_equal(client_get(c, "/start/coordinator", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.body, "Anna &lt;Coördinator&gt;")); /* escaped */
	assert_true(has(r.headers, "Cache-Control: no-store"));
	http_result_free(&r);
	client_free(c);
}

static void test_logout_ends_session(void **state)
{
	(void)state;
	struct client *c = client_new(&srv);
	struct http_result r;
	assert_int_equal(login(c, "anna", PW, &r), 303);
	http_result_free(&r);
	char *cookie = client_cookie(c, "probity_session");
	assert_non_null(cookie);
	char *csrf = csrf_of(c, "/account");
	char body[200];
	snprintf(body, sizeof body, "csrf=%s", csrf);
	assert_int_equal(client_post(c, "/logout", body, &r), 0);
	assert_int_equal(r.status, 303);
	assert_true(has(r.headers, "Location: /login?signed_out=1"));
	http_result_free(&r);
	/* the old cookie, replayed by someone who kept it, opens nothing */
	struct client *thief = client_new(&srv);
	client_set_cookie(thief, "probity_session", cookie);
	assert_int_equal(client_get(thief, "/account", &r), 0);
	assert_int_equal(r.status, 303);
	assert_true(has(r.headers, "Location: /login"));
	http_result_free(&r);
	client_free(thief);
	assert_int_equal(client_get(c, "/account", &r), 0);
	assert_int_equal(r.status, 303);
	http_result_free(&r);
	free(cookie);
	free(csrf);
	client_free(c);
}

static void test_role_denial_on_every_route(void **state)
{
	(void)state;
	struct client *anon = client_new(&srv), *aud = client_new(&srv);
	struct http_result r;
	assert_int_equal(login(aud, "otto", PW, &r), 303);
	http_result_free(&r);
	char *csrf = csrf_of(aud, "/account");
	const unsigned auditor_bit = 1u << 8; /* ROLE_AUDITOR */
	int checked = 0;
	for (size_t i = 0; i < app_nroutes; i++) {
		const struct route *rt = &app_routes[i];
		if (rt->flags & ROUTE_PUBLIC)
			continue;
		char path[200];
		snprintf(path, sizeof path, "%s", rt->pattern);
		/* every {id} becomes 1 (some routes have two) */
		for (char *id; (id = strstr(path, "{id}"));)
			memmove(id + 1, id + 4, strlen(id + 4) + 1), *id = '1';
		int post = strcmp(rt->method, "POST") == 0;
		char body[200];
		snprintf(body, sizeof body, "csrf=%s", csrf);
		/* nobody signed in: never the page */
		assert_int_equal(post ? client_post(anon, path, "x=1", &r) : client_get(anon, path, &r), 0);
		assert_true(r.status == 303 || r.status == 403);
		http_result_free(&r);
		if ((rt->flags & ROUTE_SIGNED_IN) || (rt->roles & auditor_bit))
			continue;
		/* a signed-in user whose role is not listed: 403 */
		assert_int_equal(post ? client_post(aud, path, body, &r) : client_get(aud, path, &r), 0);
		if (r.status != 403)
			fail_msg("%s %s answered %ld to an auditor", rt->method, path, r.status);
		http_result_free(&r);
		checked++;
	}
	assert_true(checked >= 9);
	free(csrf);
	client_free(anon);
	client_free(aud);
}

static void test_throttle(void **state)
{
	(void)state;
	struct client *c = client_new(&srv);
	struct http_result r;
	long last = 0;
	/* the burst is ten attempts per client; the other tests used some */
	for (int i = 0; i < 12 && last != 429; i++) {
		last = login(c, "otto", "wrong wrong wrong 1", &r);
		if (last == 429) {
			assert_true(has(r.headers, "Retry-After:"));
			assert_true(has(r.body, "seconden"));
		}
		http_result_free(&r);
	}
	assert_int_equal(last, 429);
	client_free(c);
}

static void test_bad_forms(void **state)
{
	(void)state;
	struct client *c = client_new(&srv);
	struct http_result r;
	char *csrf = login_form(c);
	char body[300];
	snprintf(body, sizeof body, "csrf=%s&username=%%FF%%FE&password=x", csrf);
	assert_int_equal(client_post(c, "/login", body, &r), 0);
	assert_int_equal(r.status, 400);
	http_result_free(&r);
	snprintf(body, sizeof body, "csrf=%s&username=a%%zz", csrf);
	assert_int_equal(client_post(c, "/login", body, &r), 0);
	assert_int_equal(r.status, 400);
	http_result_free(&r);
	size_t big = 300 * 1024;
	char *huge = malloc(big + 1);
	memset(huge, 'a', big);
	huge[big] = 0;
	assert_int_equal(client_post(c, "/login", huge, &r), 0);
	assert_int_equal(r.status, 413);
	http_result_free(&r);
	free(huge);
	assert_int_equal(client_post_as(c, "/login", "text/plain", "hello", 5, &r), 0);
	assert_int_equal(r.status, 400);
	http_result_free(&r);
	free(csrf);
	client_free(c);
}

static void test_language_switch(void **state)
{
	(void)state;
	struct client *c = client_new(&srv);
	struct http_result r;
	assert_int_equal(client_get(c, "/login", &r), 0);
	assert_true(has(r.body, "<html lang=\"nl\""));
	assert_true(has(r.body, "Inloggen"));
	char *csrf = html_input_value(r.body, "csrf");
	http_result_free(&r);
	char body[300];
	snprintf(body, sizeof body, "csrf=%s&lang=en&return_to=%%2Flogin", csrf);
	assert_int_equal(client_post(c, "/lang", body, &r), 0);
	assert_int_equal(r.status, 303);
	assert_true(has(r.headers, "Location: /login"));
	http_result_free(&r);
	assert_int_equal(client_get(c, "/login", &r), 0);
	assert_true(has(r.body, "<html lang=\"en\""));
	assert_true(has(r.body, "Sign in"));
	http_result_free(&r);
	/* a return address off the site is not followed */
	snprintf(body, sizeof body, "csrf=%s&lang=nl&return_to=%%2F%%2Fevil.example%%2F", csrf);
	assert_int_equal(client_post(c, "/lang", body, &r), 0);
	assert_true(has(r.headers, "Location: /\r\n"));
	http_result_free(&r);
	free(csrf);
	client_free(c);
}

static void test_second_factor(void **state)
{
	(void)state;
	assert_int_equal(oath_init(), OATH_OK);
	struct client *c = client_new(&srv);
	struct http_result r;
	/* an integrity coordinator reads case content: 2FA is required */
	assert_int_equal(login(c, "ivo", PW, &r), 303);
	assert_true(has(r.headers, "Location: /account/2fa"));
	http_result_free(&r);
	assert_int_equal(client_get(c, "/start", &r), 0);
	assert_int_equal(r.status, 303);
	assert_true(has(r.headers, "Location: /account/2fa"));
	http_result_free(&r);
	assert_int_equal(client_get(c, "/account/2fa", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.body, "src=\"/account/2fa/qr.svg\""));
	char *shown = text_between(r.body, "<code class=\"utrecht-code\">", "</code>");
	char *csrf = html_input_value(r.body, "csrf");
	assert_non_null(shown);
	http_result_free(&r);
	assert_int_equal(client_get(c, "/account/2fa/qr.svg", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.headers, "Content-Type: image/svg+xml"));
	assert_true(has(r.body, "<svg"));
	http_result_free(&r);
	char code[7], body[400];
	/* a wrong code, then the right one with a wrong password: refused */
	snprintf(body, sizeof body, "csrf=%s&password=%s&code=000000", csrf, "lange%20zin%20over%20tulpen%2042");
	assert_int_equal(client_post(c, "/account/2fa", body, &r), 0);
	assert_int_equal(r.status, 400);
	http_result_free(&r);
	assert_int_equal(totp_code(shown, time(NULL), code), 0);
	snprintf(body, sizeof body, "csrf=%s&password=wrongwrongwrong&code=%s", csrf, code);
	assert_int_equal(client_post(c, "/account/2fa", body, &r), 0);
	assert_int_equal(r.status, 400);
	http_result_free(&r);
	snprintf(body, sizeof body, "csrf=%s&password=%s&code=%s", csrf,
		 "lange%20zin%20over%20tulpen%2042", code);
	assert_int_equal(client_post(c, "/account/2fa", body, &r), 0);
	assert_int_equal(r.status, 200);
	/* ten recovery codes, shown once */
	char *first = text_between(r.body, "<li class=\"utrecht-unordered-list__item\"><code class=\"utrecht-code\">", "</code>");
	assert_non_null(first);
	http_result_free(&r);
	assert_int_equal(client_get(c, "/start", &r), 0);
	assert_true(has(r.headers, "Location: /start/integrity-coordinator"));
	http_result_free(&r);
	client_free(c);

	/* next sign-in asks for the code; a recovery code works once */
	c = client_new(&srv);
	assert_int_equal(login(c, "ivo", PW, &r), 303);
	assert_true(has(r.headers, "Location: /login/2fa"));
	http_result_free(&r);
	/* half-way, the sign-in page sends you on to the pending step */
	assert_int_equal(client_get(c, "/login", &r), 0);
	assert_int_equal(r.status, 303);
	assert_true(has(r.headers, "Location: /login/2fa"));
	http_result_free(&r);
	free(csrf);
	csrf = csrf_of(c, "/login/2fa");
	snprintf(body, sizeof body, "csrf=%s&code=123456", csrf);
	assert_int_equal(client_post(c, "/login/2fa", body, &r), 0);
	assert_int_equal(r.status, 401);
	http_result_free(&r);
	/* the code used at enrolment cannot be used again */
	snprintf(body, sizeof body, "csrf=%s&code=%s", csrf, code);
	assert_int_equal(client_post(c, "/login/2fa", body, &r), 0);
	assert_int_equal(r.status, 401);
	http_result_free(&r);
	snprintf(body, sizeof body, "csrf=%s&code=%s", csrf, first);
	assert_int_equal(client_post(c, "/login/2fa", body, &r), 0);
	assert_int_equal(r.status, 303);
	assert_true(has(r.headers, "Location: /start"));
	http_result_free(&r);
	client_free(c);
	c = client_new(&srv);
	assert_int_equal(login(c, "ivo", PW, &r), 303);
	http_result_free(&r);
	free(csrf);
	csrf = csrf_of(c, "/login/2fa");
	snprintf(body, sizeof body, "csrf=%s&code=%s", csrf, first);
	assert_int_equal(client_post(c, "/login/2fa", body, &r), 0);
	assert_int_equal(r.status, 401); /* used up */
	http_result_free(&r);
	free(first);
	free(shown);
	free(csrf);
	client_free(c);
	oath_done();
}

/* Disabling an account or resetting its password ends its sessions at once. */
static void test_disable_and_reset_end_sessions(void **state)
{
	(void)state;
	struct client *c = client_new(&srv);
	struct http_result r;
	assert_int_equal(login(c, "otto", PW, &r), 303);
	http_result_free(&r);
	assert_int_equal(client_get(c, "/account", &r), 0);
	assert_int_equal(r.status, 200);
	http_result_free(&r);
	const char *disable[] = {"user", "disable", "otto", NULL};
	assert_int_equal(cli(disable, NULL), 0);
	assert_int_equal(client_get(c, "/account", &r), 0);
	assert_int_equal(r.status, 303);
	http_result_free(&r);
	assert_int_equal(login(c, "otto", PW, &r), 403); /* disabled */
	assert_true(has(r.body, "uitgeschakeld"));
	http_result_free(&r);
	const char *enable[] = {"user", "enable", "otto", NULL};
	assert_int_equal(cli(enable, NULL), 0);
	assert_int_equal(login(c, "otto", PW, &r), 303);
	http_result_free(&r);
	const char *reset[] = {"user", "passwd", "otto", NULL};
	assert_int_equal(cli(reset, "een heel ander wachtwoord 7\n"), 0);
	assert_int_equal(client_get(c, "/account", &r), 0);
	assert_int_equal(r.status, 303);
	http_result_free(&r);
	assert_int_equal(login(c, "otto", PW, &r), 401);
	http_result_free(&r);
	assert_int_equal(login(c, "otto", "een heel ander wachtwoord 7", &r), 303);
	http_result_free(&r);
	client_free(c);
}

static void test_static_cached(void **state)
{
	(void)state;
	struct client *c = client_new(&srv);
	struct http_result r;
	assert_int_equal(client_get(c, "/login", &r), 0);
	char *css = text_between(r.body, "rel=\"stylesheet\" href=\"", "\"");
	assert_non_null(css);
	http_result_free(&r);
	assert_int_equal(client_get(c, css, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.headers, "Cache-Control: public, max-age=31536000, immutable"));
	assert_true(has(r.headers, "Content-Type: text/css"));
	http_result_free(&r);
	assert_int_equal(client_get(c, "/static/0000000000000000/style.css", &r), 0);
	assert_int_equal(r.status, 404);
	http_result_free(&r);
	free(css);
	client_free(c);
}

/* Signs a new browser in as user, in English, and GETs /start: returns the
 * client, with the redirect's Location checked against want. */
static struct client *start_as(const char *user, const char *want)
{
	struct client *c = client_new(&srv);
	struct http_result r;
	assert_int_equal(client_sign_in(c, user, PW, NULL, NULL), 0);
	assert_int_equal(client_set_lang(c, "en"), 0);
	assert_int_equal(client_get(c, "/start", &r), 0);
	assert_int_equal(r.status, 303);
	char loc[120];
	snprintf(loc, sizeof loc, "Location: %s\r\n", want);
	if (!has(r.headers, loc))
		fail_msg("/start for %s: %s", user, r.headers);
	http_result_free(&r);
	return c;
}

/* /start prefers the staff roles, reporter last; every start page promises
 * only what exists on the web, and links to it */
static void test_start_pages(void **state)
{
	(void)state;
	struct http_result r;
	const char *iris_rep[] = {"user", "role", "iris", "--add", "reporter", "--org", "FIN", NULL};
	const char *olga_rep[] = {"user", "role", "olga", "--add", "reporter", "--org", "FIN", NULL};
	assert_int_equal(server_add_user(&srv, "iris", "Iris", "integrity_coordinator", "FIN", PW), 0);
	assert_int_equal(cli(iris_rep, NULL), 0);
	assert_int_equal(server_add_user(&srv, "olga", "Olga", "auditor", "RIJK", PW), 0);
	assert_int_equal(cli(olga_rep, NULL), 0);
	assert_int_equal(server_add_user(&srv, "rita", "Rita", "reporter", "FIN", PW), 0);
	assert_int_equal(server_add_user(&srv, "bea", "Bea", "administrator", "RIJK", PW), 0);

	/* reporter and integrity coordinator: the work comes first */
	struct client *c = start_as("iris", "/start/integrity-coordinator");
	assert_int_equal(client_get(c, "/start/integrity-coordinator", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.body, "href=\"/start/reporter\"")); /* the other role stays */
	http_result_free(&r);
	/* the reporter's page: the receipt code, and the way to use it */
	assert_int_equal(client_get(c, "/start/reporter", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.body, "report code you got"));
	assert_true(has(r.body, "href=\"/melding\""));
	assert_false(has(r.body, "reports you made with your account"));
	http_result_free(&r);
	client_free(c);

	/* a reporter only still lands on the reporter's page */
	c = start_as("rita", "/start/reporter");
	client_free(c);

	/* the auditor: the pages it may open, linked, and each one opens */
	c = start_as("olga", "/start/auditor");
	assert_int_equal(client_get(c, "/start/auditor", &r), 0);
	assert_int_equal(r.status, 200);
	assert_false(has(r.body, "and its audit trail."));
	assert_true(has(r.body, "probity command"));
	const char *pages[] = {"/zelfevaluaties", "/risicos", "/schendingen-en-risicos", "/monitor",
			       "/jaarverslag", "/cultuur", "/aanbevelingen", "/beleid", "/ipim",
			       "/kaders"};
	char *body = strdup(r.body);
	http_result_free(&r);
	for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		char href[80];
		snprintf(href, sizeof href, "href=\"%s\"", pages[i]);
		if (!has(body, href))
			fail_msg("the auditor's start page does not link %s", pages[i]);
		assert_int_equal(client_get(c, pages[i], &r), 0);
		if (r.status != 200)
			fail_msg("%s answers %ld to the auditor", pages[i], r.status);
		http_result_free(&r);
	}
	free(body);
	client_free(c);

	/* the administrator: accounts are the command line's */
	c = start_as("bea", "/start/administrator");
	assert_int_equal(client_get(c, "/start/administrator", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.body, "with the probity command"));
	assert_false(has(r.body, "Here you will manage accounts"));
	http_result_free(&r);
	client_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_login_page_and_headers),
		cmocka_unit_test(test_csrf_required),
		cmocka_unit_test(test_wrong_password_then_right),
		cmocka_unit_test(test_logout_ends_session),
		cmocka_unit_test(test_role_denial_on_every_route),
		cmocka_unit_test(test_bad_forms),
		cmocka_unit_test(test_language_switch),
		cmocka_unit_test(test_second_factor),
		cmocka_unit_test(test_static_cached),
		cmocka_unit_test(test_start_pages),
		cmocka_unit_test(test_disable_and_reset_end_sessions),
		cmocka_unit_test(test_throttle),
	};
	return cmocka_run_group_tests_name("http_auth", tests, setup, teardown);
}
