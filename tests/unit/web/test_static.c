/* test_static.c: the embedded stylesheet and icon (src/web/static.c): every
 * asset answers at its content-addressed URL and nothing else does; types and
 * hashes are right; the stylesheet is built in the order that lets our glue
 * override the library and loads nothing from elsewhere. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/embedded.h"
#include "web/static.h"

/* The build's table, read directly so that the test does not trust static.c
 * to list what was embedded. */
extern const struct embedded_file static_files[];

static int setup(void **state)
{
	(void)state;
	return static_init();
}

static const struct static_asset *asset(const char *name)
{
	const char *url = static_url(name);
	assert_non_null(url);
	const struct static_asset *a = static_find(url);
	assert_non_null(a);
	return a;
}

static void test_every_asset_found_by_url(void **state)
{
	(void)state;
	size_t n = 0;
	for (; static_files[n].name; n++) {
		const struct embedded_file *f = &static_files[n];
		const char *url = static_url(f->name);
		assert_non_null(url);
		char want[STATIC_URL_MAX];
		char hash[STATIC_HASH_HEX + 1];
		static_hash(f->data, f->len, hash);
		snprintf(want, sizeof want, "/static/%s/%s", hash, f->name);
		assert_string_equal(url, want);
		const struct static_asset *a = static_find(url);
		assert_non_null(a);
		assert_ptr_equal(a->data, f->data);
		assert_int_equal(a->len, f->len);
		assert_string_equal(a->name, f->name);
		assert_ptr_equal(static_at(n), a);
	}
	assert_null(static_at(n));
	/* what the layout links to */
	assert_true(n >= 2);
	assert_non_null(static_url("style.css"));
	assert_non_null(static_url("favicon.svg"));
	assert_null(static_url("missing.css"));
	assert_null(static_url(NULL));
}

static void test_content_types(void **state)
{
	(void)state;
	assert_string_equal(asset("style.css")->content_type, "text/css; charset=utf-8");
	assert_string_equal(asset("favicon.svg")->content_type, "image/svg+xml");
	assert_string_equal(STATIC_CACHE_CONTROL, "public, max-age=31536000, immutable");
}

static void test_refused(void **state)
{
	(void)state;
	const struct static_asset *css = asset("style.css");
	const struct static_asset *svg = asset("favicon.svg");
	char stale[STATIC_URL_MAX];
	snprintf(stale, sizeof stale, "%s", css->url);
	/* one hex digit changed: a page cached from another release */
	char *d = stale + strlen("/static/") + 3;
	*d = *d == '0' ? '1' : '0';
	assert_null(static_find(stale));

	char bad[32][STATIC_URL_MAX + 32];
	size_t n = 0;
	const char *h = css->hash;
	snprintf(bad[n++], sizeof bad[0], "/static/%s/%s", svg->hash, "style.css"); /* another's hash */
	snprintf(bad[n++], sizeof bad[0], "/static/%s/%s", h, "unknown.css");
	snprintf(bad[n++], sizeof bad[0], "/static/%s/../x", h);
	snprintf(bad[n++], sizeof bad[0], "/static/%s/../style.css", h);
	snprintf(bad[n++], sizeof bad[0], "/static/%s/../../etc/passwd", h);
	snprintf(bad[n++], sizeof bad[0], "/static/%s/%%2e%%2e/style.css", h);
	snprintf(bad[n++], sizeof bad[0], "/static/%s/%%2e%%2e", h);
	snprintf(bad[n++], sizeof bad[0], "/static/%s/..", h);
	snprintf(bad[n++], sizeof bad[0], "/static/%s/", h);
	snprintf(bad[n++], sizeof bad[0], "/static/%s", h);
	snprintf(bad[n++], sizeof bad[0], "/static/%s/style.css/", h);
	snprintf(bad[n++], sizeof bad[0], "/static/%s//style.css", h);
	snprintf(bad[n++], sizeof bad[0], "/static/%s/./style.css", h);
	snprintf(bad[n++], sizeof bad[0], "/static/%s/style.css%%00", h);
	snprintf(bad[n++], sizeof bad[0], "/static/%s/STYLE.CSS", h);
	snprintf(bad[n++], sizeof bad[0], "/static/%.15s/style.css", h);   /* short hash */
	snprintf(bad[n++], sizeof bad[0], "/static/%s0/style.css", h);     /* long hash */
	snprintf(bad[n++], sizeof bad[0], "/static/../static/%s/style.css", h);
	snprintf(bad[n++], sizeof bad[0], "/STATIC/%s/style.css", h);
	snprintf(bad[n++], sizeof bad[0], "static/%s/style.css", h);
	snprintf(bad[n++], sizeof bad[0], "//static/%s/style.css", h);
	snprintf(bad[n++], sizeof bad[0], "/static/style.css");
	snprintf(bad[n++], sizeof bad[0], "/static/");
	snprintf(bad[n++], sizeof bad[0], "/style.css");
	snprintf(bad[n++], sizeof bad[0], "%s", "");
	/* the hash in capitals is another string */
	snprintf(bad[n], sizeof bad[0], "%s", css->url);
	for (char *p = bad[n] + strlen("/static/"); *p != '/'; p++)
		if (*p >= 'a' && *p <= 'f')
			*p = (char)(*p - 'a' + 'A');
	if (strcmp(bad[n], css->url) != 0)
		n++;
	for (size_t i = 0; i < n; i++) {
		if (static_find(bad[i]))
			fail_msg("served %s", bad[i]);
	}
	assert_null(static_find(NULL));
	/* sanity: the unaltered URLs still work, so the refusals above mean something */
	assert_ptr_equal(static_find(css->url), css);
	assert_ptr_equal(static_find(svg->url), svg);
}

static void test_hash_known_answers(void **state)
{
	(void)state;
	char h[STATIC_HASH_HEX + 1];
	/* BLAKE2b-256 (RFC 7693 with a 32-byte digest), first 16 hex digits */
	static_hash("", 0, h);
	assert_string_equal(h, "0e5751c026e543b2");
	static_hash("abc", 3, h);
	assert_string_equal(h, "bddd813c63423972");
}

static void test_hash_stable(void **state)
{
	(void)state;
	for (size_t i = 0; static_at(i); i++) {
		const struct static_asset *a = static_at(i);
		char h[STATIC_HASH_HEX + 1];
		static_hash(a->data, a->len, h);
		assert_string_equal(a->hash, h);
		assert_int_equal(strlen(a->hash), STATIC_HASH_HEX);
		assert_int_equal(strspn(a->hash, "0123456789abcdef"), STATIC_HASH_HEX);
	}
	char before[STATIC_URL_MAX];
	snprintf(before, sizeof before, "%s", static_url("style.css"));
	assert_int_equal(static_init(), 0); /* a second call changes nothing */
	assert_string_equal(static_url("style.css"), before);
	/* different assets, different URLs */
	assert_string_not_equal(asset("style.css")->hash, asset("favicon.svg")->hash);
}

/* The first ".cls" selector in css that is not the start of a longer name. */
static const char *selector(const char *css, const char *cls)
{
	char dot[80];
	snprintf(dot, sizeof dot, ".%s", cls);
	for (const char *p = strstr(css, dot); p; p = strstr(p + 1, dot)) {
		char c = p[strlen(dot)];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return p;
	}
	return NULL;
}

static void test_stylesheet_contents(void **state)
{
	(void)state;
	const struct static_asset *css = asset("style.css");
	assert_int_equal(strlen(css->data), css->len); /* text, no NUL inside */
	/* the component library, then the theme's tokens, then our glue: later
	 * rules win ties, so the glue must come last */
	const char *lib = selector(css->data, "utrecht-button");
	const char *glue = selector(css->data, "probity-header");
	assert_non_null(lib);
	assert_non_null(glue);
	assert_true(lib < glue);
	/* a theme may scope its tokens to :root instead of a class (theme_class "") */
	if (*static_theme_class()) {
		const char *theme = selector(css->data, static_theme_class());
		assert_non_null(theme);
		assert_true(lib < theme);
		assert_true(theme < glue);
	}
	assert_non_null(strstr(css->data, "--basis-color-"));
	/* nothing is fetched from anywhere else: a URL in the CSS would either
	 * 404 (only embedded names exist) or leak visits to a third party */
	assert_null(strstr(css->data, "@import"));
	for (const char *p = strstr(css->data, "url("); p; p = strstr(p + 4, "url(")) {
		const char *q = p + 4;
		q += strspn(q, " \"'");
		if (strncmp(q, "data:", 5) != 0)
			fail_msg("external url in style.css: %.60s", p);
	}
}

static void test_favicon(void **state)
{
	(void)state;
	const struct static_asset *svg = asset("favicon.svg");
	assert_memory_equal(svg->data, "<svg ", 5);
	assert_null(strstr(svg->data, "<script"));
	assert_null(strstr(svg->data, "href"));
	assert_non_null(strstr(svg->data, "</svg>"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_asset_found_by_url),
		cmocka_unit_test(test_content_types),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_hash_known_answers),
		cmocka_unit_test(test_hash_stable),
		cmocka_unit_test(test_stylesheet_contents),
		cmocka_unit_test(test_favicon),
	};
	return cmocka_run_group_tests_name("static", tests, setup, NULL);
}
