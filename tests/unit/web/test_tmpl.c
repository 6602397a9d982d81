/* test_tmpl.c: the escapers and a template compiled by tools/tmplc.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sample_tmpl.h"
#include "web/tmpl.h"

static const char *shout(const char *lang, const char *msgid)
{
	(void)lang;
	return strcmp(msgid, "Hello") == 0 ? "Hallo <wereld>" : msgid;
}

static char *render_html(const char *s, struct buf *b)
{
	buf_reset(b);
	tmpl_html(b, s);
	return b->p ? b->p : "";
}

static void test_html_escape(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_string_equal(render_html("<a href=\"x\" onclick='y'>&</a>", &b),
			    "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
	assert_string_equal(render_html("plain ü", &b), "plain ü");
	assert_string_equal(render_html(NULL, &b), "");
	assert_string_equal(render_html("", &b), "");
	assert_string_equal(render_html("&&", &b), "&amp;&amp;");
	assert_string_equal(render_html("<x", &b), "&lt;x");
	assert_string_equal(render_html("x'", &b), "x&#39;");
	/* every byte value beside plain text: only the five are changed */
	for (int c = 1; c < 256; c++) {
		char in[4] = {'a', (char)c, 'b', 0}, want[16];
		const char *rep = c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;"
				: c == '"' ? "&quot;" : c == '\'' ? "&#39;" : NULL;
		if (rep)
			snprintf(want, sizeof want, "a%sb", rep);
		else
			memcpy(want, in, sizeof in);
		assert_string_equal(render_html(in, &b), want);
	}
	buf_free(&b);
}

static void test_url_and_href(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	tmpl_url(&b, "a b&c=d/é");
	assert_string_equal(b.p, "a%20b%26c%3Dd%2F%C3%A9");
	const char *cases[][2] = {
		{"/cases/3?tab=notes", "/cases/3?tab=notes"},
		{"//evil.example/", "/"},
		{"/\\evil", "/"},
		{"https://evil.example/", "/"},
		{"javascript:alert(1)", "/"},
		{"/a\"onmouseover=x", "/"},
		{"", "/"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_reset(&b);
		tmpl_href(&b, cases[i][0]);
		assert_string_equal(b.p, cases[i][1]);
	}
	buf_free(&b);
}

static void test_compiled_template(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct tmpl_ctx t = {.lang = "nl", .translate = shout};
	const char *items[] = {"één", "<twee>", NULL};
	struct sample_view v = {.title = "A & B", .items = items, .count = 2,
				.link = "//evil.example", .query = "x y"};
	tmpl_sample_page(&b, &t, &v);
	assert_string_equal(b.p,
			    "<h1 title=\"A &amp; B\">Hallo &lt;wereld&gt;</h1>\n"
			    "<ul>\n<li>één</li>\n<li>&lt;twee&gt;</li>\n</ul>\n"
			    "<p>2 items</p>\n"
			    "<a href=\"/\">x</a> <a href=\"/search?q=x%20y\">y</a>\n");
	buf_reset(&b);
	v.count = 0;
	v.items = NULL;
	tmpl_sample_page(&b, &t, &v);
	assert_non_null(strstr(b.p, "<p>none</p>"));
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_escape),
		cmocka_unit_test(test_url_and_href),
		cmocka_unit_test(test_compiled_template),
	};
	return cmocka_run_group_tests_name("tmpl", tests, NULL, NULL);
}
