/* test_form_cache.c: the report form's first screen kept as HTML
 * (src/intake/form_cache.h) against a real server: a kept page is the same
 * bytes as a fresh one but for the visitor's token, each visitor gets their
 * own token, Dutch and English are kept apart, a department added by
 * another process shows (after the tree's one-second rule, orgs/cache.h),
 * and a screen shown again after a POST keeps its errors and answers.
 *
 * The first GET after the server starts is always rendered (nothing is
 * confirmed yet); from the third on within a second the page comes from
 * memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

static struct server srv;

static int has(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

static int setup(void **state)
{
	(void)state;
	if (server_start(&srv) != 0)
		return -1;
	const char *const cmds[][12] = {
		{"org", "add", "RIJK", "--name", "Rijksoverheid", "--kind", "government", "--from",
		 "2020-01-01", NULL},
		{"org", "add", "FIN", "--name", "Financien", "--parent", "RIJK", "--from",
		 "2020-01-01", NULL},
	};
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		if (server_cli(&srv, cmds[i]) != 0)
			return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return server_stop(&srv) == 0 ? 0 : -1;
}

/* body with every occurrence of tok replaced by "TOKEN" (malloc'd). */
static char *without(const char *body, const char *tok)
{
	size_t n = strlen(tok);
	char *out = malloc(strlen(body) + 1);
	if (!out)
		return NULL;
	char *o = out;
	for (const char *s = body; *s;) {
		if (n && strncmp(s, tok, n) == 0) {
			o += sprintf(o, "TOKEN"); /* 5 < 43 bytes of a token */
			s += n;
		} else
			*o++ = *s++;
	}
	*o = '\0';
	return out;
}

/* GET /melden for c: the body with c's token taken out, and the token. */
static char *form_page(struct client *c, char **tok)
{
	struct http_result r;
	assert_int_equal(client_get(c, "/melden", &r), 0);
	assert_int_equal(r.status, 200);
	*tok = html_input_value(r.body, "csrf");
	if (!*tok || strlen(*tok) < 20) {
		fail_msg("no token in the form");
		return NULL;
	}
	char *w = without(r.body, *tok);
	http_result_free(&r);
	return w;
}

static struct client *visitor(const char *lang)
{
	struct client *c = client_new(&srv);
	if (lang)
		client_set_cookie(c, "probity_lang", lang);
	return c;
}

static void kept_page_is_the_fresh_one_with_each_visitors_token(void **state)
{
	(void)state;
	struct client *a = visitor("en"), *b = visitor("en");
	char *ta, *tb, *t2;
	char *fresh = form_page(a, &ta); /* the first since the start: rendered */
	if (!fresh)
		return;
	for (int i = 0; i < 4; i++) {
		char *kept = form_page(b, &tb);
		if (!kept)
			return;
		assert_string_equal(kept, fresh);
		assert_string_not_equal(ta, tb);
		free(kept);
		free(tb);
	}
	/* a's own token in a's page again (not the one b's request left) */
	char *again = form_page(a, &t2);
	if (!again)
		return;
	assert_string_equal(t2, ta);
	assert_string_equal(again, fresh);
	/* b's page holds no trace of a's token */
	struct http_result r;
	assert_int_equal(client_get(b, "/melden", &r), 0);
	assert_false(has(r.body, ta));
	http_result_free(&r);
	free(again);
	free(t2);
	free(fresh);
	free(ta);
	client_free(a);
	client_free(b);
}

static void dutch_and_english_are_kept_apart(void **state)
{
	(void)state;
	struct client *en = visitor("en"), *nl = visitor("nl");
	char *tok;
	for (int i = 0; i < 3; i++) {
		char *e = form_page(en, &tok);
		if (!e)
			return;
		free(tok);
		char *n = form_page(nl, &tok);
		if (!n)
			return;
		free(tok);
		assert_true(has(e, "Where do you want to report?"));
		assert_false(has(n, "Where do you want to report?"));
		assert_true(has(e, "I do not know (central desk)"));
		assert_false(has(n, "I do not know (central desk)"));
		free(e);
		free(n);
	}
	client_free(en);
	client_free(nl);
}

static void a_department_added_elsewhere_shows(void **state)
{
	(void)state;
	struct client *c = visitor("en");
	char *tok, *page;
	for (int i = 0; i < 3; i++) { /* kept under the tree without BZK */
		page = form_page(c, &tok);
		if (!page)
			return;
		assert_false(has(page, "<option value=\"BZK\""));
		free(page);
		free(tok);
	}
	const char *const add[] = {"org", "add", "BZK", "--name", "Binnenlandse Zaken", "--parent",
				   "RIJK", "--from", "2020-01-01", NULL};
	assert_int_equal(server_cli(&srv, add), 0);
	usleep(1100 * 1000); /* the tree confirmed up to a second ago may be shown */
	for (int i = 0; i < 3; i++) {
		page = form_page(c, &tok);
		if (!page)
			return;
		assert_true(has(page, "<option value=\"BZK\""));
		free(page);
		free(tok);
	}
	client_free(c);
}

static void a_screen_shown_again_keeps_errors_and_answers(void **state)
{
	(void)state;
	struct client *c = visitor("en");
	char *tok, *page;
	for (int i = 0; i < 3; i++) { /* the kept page is there */
		page = form_page(c, &tok);
		if (!page)
			return;
		free(page);
		if (i < 2)
			free(tok);
	}
	char body[512];
	struct http_result r;
	snprintf(body, sizeof body, "csrf=%s&screen=0&go=next", tok);
	assert_int_equal(client_post(c, "/melden", body, &r), 0);
	assert_int_equal(r.status, 422);
	assert_true(has(r.body, "Choose an organisation, or &quot;I do not know&quot;."));
	assert_true(has(r.body, "utrecht-form-field--invalid"));
	http_result_free(&r);
	/* back from the second screen: the first with FIN chosen */
	snprintf(body, sizeof body, "csrf=%s&screen=1&org=FIN&mode=anonymous&go=back", tok);
	assert_int_equal(client_post(c, "/melden", body, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.body, "<option value=\"FIN\" selected>"));
	assert_true(has(r.body, "name=\"mode\" value=\"anonymous\""));
	http_result_free(&r);
	free(tok);
	/* and the plain form after it still has nothing chosen */
	page = form_page(c, &tok);
	if (!page)
		return;
	assert_false(has(page, " selected>"));
	assert_false(has(page, "utrecht-form-field--invalid"));
	free(page);
	free(tok);
	client_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kept_page_is_the_fresh_one_with_each_visitors_token),
		cmocka_unit_test(dutch_and_english_are_kept_apart),
		cmocka_unit_test(a_department_added_elsewhere_shows),
		cmocka_unit_test(a_screen_shown_again_keeps_errors_and_answers),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
