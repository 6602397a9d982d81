/* test_layout.c: the frame around every page (src/app/templates/layout_top.html
 * and layout_bottom.html) and the style guide, rendered as a handler would:
 * one well-formed document in the right language, its stylesheet and icon at
 * URLs that answer, no inline style or script (the CSP forbids them), the CSRF
 * token in every form, the current page marked, hostile text escaped, every
 * string translated, every control labelled, every class defined in the CSS. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "app/layout_tmpl.h"
#include "styleguide_tmpl.h"
#include "web/i18n.h"
#include "web/static.h"

static int untranslated;
static char first_untranslated[200];

/* The real catalogues, counting every msgid that has no Dutch translation:
 * a template string missing from po/nl.po would show up in English. */
static const char *tr(const char *lang, const char *msgid)
{
	const char *s = i18n_translate(lang, msgid);
	if (strcmp(lang, "nl") == 0 && s == msgid) {
		if (!untranslated++)
			snprintf(first_untranslated, sizeof first_untranslated, "%s", msgid);
	}
	return s;
}

static int setup(void **state)
{
	(void)state;
	return i18n_init() != 0 || static_init() != 0 ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	i18n_free();
	return 0;
}

static const struct nav_item nav[] = {
	{"/start", "Start", 0},
	{"/cases", "Zaken", 1},
	{"/account", "Uw account", 0},
};

static struct layout_view signed_in(void)
{
	return (struct layout_view){
		.lang = "nl",
		.title = "Zaken",
		.user_name = "<b>Jan & \"Piet\"</b>",
		.role_label = "Behandelaar",
		.nav = nav,
		.nnav = 3,
		.csrf = "tok-3f9a1c",
		.return_to = "/cases?tab=open",
		.other_lang = "en",
		.other_lang_label = "English",
		.notice = "Opgeslagen",
	};
}

static struct layout_view signed_out(void)
{
	return (struct layout_view){
		.lang = "nl",
		.title = "Inloggen",
		.csrf = "tok-77e0b2",
		.return_to = "/login",
		.other_lang = "en",
		.other_lang_label = "English",
		.error = "Controleer <uw> gegevens",
	};
}

static char *render(struct buf *b, const struct layout_view *v, const char *lang, int guide)
{
	struct tmpl_ctx t = {.lang = lang, .translate = tr};
	buf_reset(b);
	untranslated = 0;
	tmpl_layout_layout_top(b, &t, v);
	if (guide)
		tmpl_sg_styleguide(b, &t, v);
	else
		buf_adds(b, "<h1 class=\"utrecht-heading-1\">Inhoud</h1>\n");
	tmpl_layout_layout_bottom(b, &t);
	return b->p;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* The value of the attribute attr="..." in the first tag that contains
 * marker, copied into out. */
static const char *attr_in_tag(const char *html, const char *marker, const char *attr, char *out,
			       size_t cap)
{
	const char *m = strstr(html, marker);
	assert_non_null(m);
	const char *start = m;
	while (start > html && *start != '<')
		start--;
	const char *end = strchr(m, '>');
	assert_non_null(end);
	char key[64];
	snprintf(key, sizeof key, " %s=\"", attr);
	const char *a = strstr(start, key);
	assert_true(a && a < end);
	a += strlen(key);
	const char *q = strchr(a, '"');
	assert_true(q && (size_t)(q - a) < cap);
	memcpy(out, a, (size_t)(q - a));
	out[q - a] = 0;
	return out;
}

/* Rules that hold on every rendering. */
static void check_document(const char *html, const char *lang)
{
	char want[64];
	snprintf(want, sizeof want, "<!DOCTYPE html>\n<html lang=\"%s\"", lang);
	assert_memory_equal(html, want, strlen(want));
	assert_string_equal(html + strlen(html) - strlen("</html>\n"), "</html>\n");
	const char *once[] = {"<!DOCTYPE", "<html", "</html>", "<head>", "</head>", "<body",
			      "</body>", "<title>", "</title>", "<main", "</main>", "<header",
			      "</header>", "<footer", "</footer>", "<meta charset=\"utf-8\">",
			      "<meta name=\"viewport\"", "id=\"main\""};
	for (size_t i = 0; i < sizeof once / sizeof once[0]; i++)
		if (count(html, once[i]) != 1)
			fail_msg("%s appears %zu times", once[i], count(html, once[i]));
	assert_true(strstr(html, "</head>") < strstr(html, "<body"));
	assert_true(strstr(html, "<main") < strstr(html, "</main>"));
	assert_true(strstr(html, "</main>") < strstr(html, "<footer"));
	/* the CSP allows none of these; case-insensitively, as browsers read HTML */
	int in_tag = 0; /* escaped text never holds '<' or '>', so this is exact */
	for (const char *p = html; *p; p++) {
		if (*p == '<' || *p == '>')
			in_tag = *p == '<';
		if (strncasecmp(p, "style=", 6) == 0 || strncasecmp(p, "<script", 7) == 0 ||
		    strncasecmp(p, "<style", 6) == 0)
			fail_msg("inline style or script at: %.40s", p);
		/* an event handler attribute: " on" letters "=" inside a tag */
		if (in_tag && *p == ' ' && strncasecmp(p + 1, "on", 2) == 0) {
			const char *q = p + 3;
			while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z'))
				q++;
			if (q > p + 3 && *q == '=')
				fail_msg("event handler attribute at: %.40s", p);
		}
	}
	/* the stylesheet and the icon are assets that answer, with the right type */
	char url[STATIC_URL_MAX + 8];
	const struct static_asset *css =
		static_find(attr_in_tag(html, "rel=\"stylesheet\"", "href", url, sizeof url));
	assert_non_null(css);
	assert_string_equal(css->content_type, "text/css; charset=utf-8");
	const struct static_asset *icon =
		static_find(attr_in_tag(html, "rel=\"icon\"", "href", url, sizeof url));
	assert_non_null(icon);
	assert_string_equal(icon->content_type, "image/svg+xml");
	/* the theme's tokens apply to the whole page */
	char cls[128];
	snprintf(cls, sizeof cls, "class=\"utrecht-root %s\"", static_theme_class());
	assert_non_null(strstr(html, cls));
	/* the skip link is the first thing in the body and leads to main */
	const char *body = strstr(html, "<body");
	const char *skip = strstr(html, "href=\"#main\"");
	assert_non_null(skip);
	assert_true(skip > body && skip < strstr(html, "<header"));
	assert_non_null(strstr(html, "href=\"/toegankelijkheid\""));
	assert_non_null(strstr(html, "action=\"/lang\""));
}

static void test_signed_in(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct layout_view v = signed_in();
	const char *html = render(&b, &v, "nl", 0);
	check_document(html, "nl");
	assert_non_null(strstr(html, "<title>Zaken — Probity</title>"));
	/* the user's name is text, never markup */
	assert_non_null(strstr(html, "&lt;b&gt;Jan &amp; &quot;Piet&quot;&lt;/b&gt;"));
	assert_null(strstr(html, "<b>Jan"));
	assert_non_null(strstr(html, "Behandelaar"));
	/* both forms carry the token and are plain POSTs */
	assert_int_equal(count(html, "name=\"csrf\" value=\"tok-3f9a1c\""), 2);
	assert_int_equal(count(html, "<form "), 2);
	assert_int_equal(count(html, "method=\"post\""), 2);
	const char *logout = strstr(html, "action=\"/logout\"");
	assert_non_null(logout);
	assert_true(strstr(logout, "tok-3f9a1c") < strstr(logout, "</form>"));
	const char *lang = strstr(html, "action=\"/lang\"");
	assert_true(strstr(lang, "tok-3f9a1c") < strstr(lang, "</form>"));
	assert_non_null(strstr(lang, "name=\"lang\" value=\"en\""));
	assert_non_null(strstr(lang, "name=\"return_to\" value=\"/cases?tab=open\""));
	assert_non_null(strstr(lang, "<span lang=\"en\">English</span>"));
	/* exactly the current page is marked */
	assert_int_equal(count(html, "aria-current="), 1);
	assert_non_null(strstr(html, "href=\"/cases\" aria-current=\"page\">Zaken</a>"));
	assert_non_null(strstr(html, "href=\"/start\">Start</a>"));
	/* the notice is announced politely, inside main */
	const char *notice = strstr(html, "Opgeslagen");
	assert_non_null(notice);
	assert_true(notice > strstr(html, "<main"));
	assert_non_null(strstr(html, "role=\"status\""));
	assert_null(strstr(html, "role=\"alert\""));
	/* in Dutch, with every string translated */
	assert_non_null(strstr(html, "Uitloggen"));
	assert_non_null(strstr(html, "Direct naar de inhoud"));
	if (untranslated)
		fail_msg("%d strings without Dutch, first: %s", untranslated, first_untranslated);
	buf_free(&b);
}

static void test_signed_out(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct layout_view v = signed_out();
	const char *html = render(&b, &v, "nl", 0);
	check_document(html, "nl");
	assert_null(strstr(html, "/logout"));
	assert_null(strstr(html, "Ingelogd als"));
	assert_null(strstr(html, "<nav"));
	assert_null(strstr(html, "aria-current"));
	assert_int_equal(count(html, "name=\"csrf\" value=\"tok-77e0b2\""), 1);
	/* the error is announced at once, escaped, inside main */
	const char *err = strstr(html, "Controleer &lt;uw&gt; gegevens");
	assert_non_null(err);
	assert_true(err > strstr(html, "<main"));
	assert_non_null(strstr(html, "role=\"alert\""));
	assert_int_equal(untranslated, 0);
	buf_free(&b);
}

/* Password given, second factor not yet: no name in the header, but a way out
 * of the half session (the enrolment page must not be a dead end). */
static void test_pending_second_step(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct layout_view v = signed_out();
	v.pending_second_step = 1;
	const char *html = render(&b, &v, "nl", 0);
	check_document(html, "nl");
	assert_null(strstr(html, "Ingelogd als"));
	const char *logout = strstr(html, "action=\"/logout\"");
	assert_non_null(logout);
	assert_true(strstr(logout, "tok-77e0b2") < strstr(logout, "</form>"));
	assert_non_null(strstr(html, "Uitloggen"));
	assert_int_equal(untranslated, 0);
	buf_free(&b);
}

static void test_english_and_hostile_values(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct layout_view v = signed_in();
	v.lang = "en";
	v.other_lang = "nl";
	v.other_lang_label = "Nederlands";
	v.title = NULL;
	v.return_to = "//evil.example/";
	struct nav_item evil[] = {{"javascript:alert(1)", "x\" onmouseover=\"y", 1}};
	v.nav = evil;
	v.nnav = 1;
	const char *html = render(&b, &v, "en", 0);
	check_document(html, "en");
	assert_non_null(strstr(html, "<title>Probity</title>"));
	assert_non_null(strstr(html, "Sign out"));
	assert_non_null(strstr(html, "<span lang=\"nl\">Nederlands</span>"));
	/* only same-site paths survive as link targets */
	assert_non_null(strstr(html, "name=\"return_to\" value=\"/\""));
	assert_null(strstr(html, "evil.example"));
	assert_null(strstr(html, "javascript:"));
	assert_null(strstr(html, "\" onmouseover"));
	buf_free(&b);
}

/* Every input, select and textarea (but hidden fields) has an id that a
 * <label for> names: a control without a label is unusable with a screen
 * reader and fails WCAG 1.3.1 and 4.1.2. */
static void check_labels(const char *html)
{
	const char *tags[] = {"<input ", "<select ", "<textarea "};
	size_t controls = 0;
	for (size_t k = 0; k < 3; k++) {
		for (const char *p = strstr(html, tags[k]); p; p = strstr(p + 1, tags[k])) {
			const char *end = strchr(p, '>');
			assert_non_null(end);
			const char *hidden = strstr(p, "type=\"hidden\"");
			if (hidden && hidden < end)
				continue;
			char id[64];
			attr_in_tag(p, tags[k], "id", id, sizeof id);
			char for_attr[80];
			snprintf(for_attr, sizeof for_attr, "for=\"%s\"", id);
			if (count(html, for_attr) != 1)
				fail_msg("no single label for #%s", id);
			controls++;
		}
	}
	assert_true(controls >= 7);
}

/* Every class a template uses is defined in the stylesheet: a misspelt
 * utrecht-* class silently leaves an element unstyled. */
static size_t check_classes(const char *html)
{
	const char *css = static_find(static_url("style.css"))->data;
	size_t n = 0;
	for (const char *p = strstr(html, "class=\""); p; p = strstr(p + 1, "class=\"")) {
		const char *c = p + 7, *end = strchr(c, '"');
		while (c < end) {
			size_t len = strcspn(c, " \"");
			char dot[96];
			assert_true(len + 2 < sizeof dot);
			dot[0] = '.';
			memcpy(dot + 1, c, len);
			dot[len + 1] = 0;
			int found = 0;
			for (const char *q = strstr(css, dot); q && !found; q = strstr(q + 1, dot))
				found = strchr(" .,:{[>+~)\n\t", q[len + 1]) != NULL;
			if (!found)
				fail_msg("class %s is not in style.css", dot + 1);
			n++;
			c += len;
			c += strspn(c, " ");
		}
	}
	return n;
}

static void test_styleguide(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct layout_view v = signed_in();
	const char *html = render(&b, &v, "nl", 1);
	check_document(html, "nl");
	if (untranslated)
		fail_msg("%d strings without Dutch, first: %s", untranslated, first_untranslated);
	/* all three forms carry the token */
	assert_int_equal(count(html, "name=\"csrf\" value=\"tok-3f9a1c\""), 3);
	assert_int_equal(count(html, "<h1"), 1);
	assert_non_null(strstr(html, "<legend"));
	assert_non_null(strstr(html, "<caption"));
	check_labels(html);
	assert_true(check_classes(html) > 100);
	/* the same rules hold for the frame alone, signed out */
	struct layout_view out = signed_out();
	assert_true(check_classes(render(&b, &out, "nl", 0)) > 20);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signed_in),
		cmocka_unit_test(test_signed_out),
		cmocka_unit_test(test_pending_second_step),
		cmocka_unit_test(test_english_and_hostile_values),
		cmocka_unit_test(test_styleguide),
	};
	return cmocka_run_group_tests_name("layout", tests, setup, teardown);
}
