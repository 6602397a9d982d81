/* test_risks_heatmap.c: the SVG writer (src/web/svg.c) escapes every text
 * and attribute and refuses misuse; the heat map (src/risks/heatmap.c) is
 * well-formed (a small checker here: balanced tags, quoted attributes, no
 * bare & or <) and carries its text alternative, each cell's band colour and
 * count. The HTTP test parses the served map with Python's XML parser too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "risks/heatmap.h"
#include "risks/matrix.h"
#include "risks/risks.h"
#include "web/svg.h"

/* 1 if s is a well-formed tree of elements: every tag closed in order,
 * attribute values quoted, & only in an entity, no < in text. Good enough
 * for what our writer produces; the HTTP test uses a real parser. */
static int well_formed(const char *s)
{
	char stack[32][32];
	int depth = 0, seen_root = 0;
	if (strncmp(s, "<?xml", 5) == 0) {
		s = strstr(s, "?>");
		if (!s)
			return 0;
		s += 2;
	}
	while (*s) {
		if (*s == '&') {
			const char *e = strchr(s, ';');
			if (!e || e - s > 8)
				return 0;
			if (strncmp(s, "&amp;", 5) && strncmp(s, "&lt;", 4) && strncmp(s, "&gt;", 4) &&
			    strncmp(s, "&quot;", 6) && strncmp(s, "&#39;", 5))
				return 0;
			s = e + 1;
			continue;
		}
		if (*s == '>')
			return 0;
		if (*s != '<') {
			if (depth == 0 && *s != '\n' && *s != ' ')
				return 0; /* text outside the root */
			s++;
			continue;
		}
		int closing = s[1] == '/';
		s += closing ? 2 : 1;
		char name[32];
		size_t n = 0;
		while (*s && *s != ' ' && *s != '>' && *s != '/' && n < sizeof name - 1)
			name[n++] = *s++;
		name[n] = 0;
		if (!n)
			return 0;
		if (closing) {
			if (*s != '>' || depth == 0 || strcmp(stack[depth - 1], name) != 0)
				return 0;
			depth--;
			s++;
			continue;
		}
		if (depth == 0 && seen_root++)
			return 0;
		/* attributes: name="value" with no < or raw " inside */
		while (*s == ' ') {
			s++;
			while (*s && *s != '=' && *s != ' ' && *s != '>')
				s++;
			if (*s++ != '=' || *s++ != '"')
				return 0;
			while (*s && *s != '"') {
				if (*s == '<')
					return 0;
				if (*s == '&') {
					const char *e = strchr(s, ';');
					if (!e || e - s > 8)
						return 0;
				}
				s++;
			}
			if (*s++ != '"')
				return 0;
		}
		if (s[0] == '/' && s[1] == '>') {
			s += 2;
			continue;
		}
		if (*s != '>' || depth == 32)
			return 0;
		snprintf(stack[depth++], sizeof stack[0], "%s", name);
		s++;
	}
	return depth == 0 && seen_root;
}

static void test_checker(void **state)
{
	(void)state;
	/* the checker itself tells good from bad */
	assert_true(well_formed("<a x=\"1\"><b/>t &amp; u</a>"));
	assert_false(well_formed("<a><b></a></b>"));
	assert_false(well_formed("<a>x & y</a>"));
	assert_false(well_formed("<a x=\"<\"></a>"));
	assert_false(well_formed("<a>"));
	assert_false(well_formed("<a></a><b></b>"));
}

static void test_writer(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct svg s;
	svg_begin(&s, &b);
	svg_open(&s, "svg");
	svg_attr(&s, "aria-label", "a \"quoted\" <name> & 'more'");
	svg_elem_text(&s, "title", "</title><script>alert(1)</script>");
	svg_open(&s, "rect");
	svg_attr_int(&s, "x", -5);
	svg_close(&s);
	/* control characters XML forbids are dropped, a bad byte replaced */
	svg_elem_text(&s, "desc", "a\x01" "b\tc\xff" "d\xc3\xa9");
	svg_close(&s);
	assert_int_equal(svg_end(&s), 0);
	assert_string_equal(b.p,
		"<svg aria-label=\"a &quot;quoted&quot; &lt;name&gt; &amp; &#39;more&#39;\">"
		"<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>"
		"<rect x=\"-5\"/><desc>ab\tc\xef\xbf\xbd" "d\xc3\xa9</desc></svg>");
	assert_true(well_formed(b.p));
	buf_free(&b);

	/* misuse is caught: an element left open, a bad name, an attribute
	 * after content, closing too often */
	svg_begin(&s, &b);
	svg_open(&s, "g");
	assert_int_equal(svg_end(&s), -1);
	buf_reset(&b);
	svg_begin(&s, &b);
	svg_open(&s, "g onload");
	assert_int_equal(svg_end(&s), -1);
	buf_reset(&b);
	svg_begin(&s, &b);
	svg_open(&s, "g");
	svg_text(&s, "x");
	svg_attr(&s, "onclick", "y");
	svg_close(&s);
	assert_int_equal(svg_end(&s), -1);
	buf_reset(&b);
	svg_begin(&s, &b);
	svg_open(&s, "g");
	svg_attr(&s, "x=\"1\" onload", "y");
	svg_close(&s);
	assert_int_equal(svg_end(&s), -1);
	buf_reset(&b);
	svg_begin(&s, &b);
	svg_close(&s);
	svg_text(&s, "x");
	assert_int_equal(svg_end(&s), -1);
	buf_free(&b);
}

static const struct risks_heat_words words = {
	.title = "Heat map <inherent> & \"more\"",
	.desc = "Open risks by likelihood and impact.",
	.likelihood = "Likelihood",
	.impact = "Impact",
	.cell = "likelihood {l}, impact {i}: {n} risks, band {b}",
	.id = "heat-inherent",
};

static void test_heatmap(void **state)
{
	(void)state;
	struct risks_matrix m;
	risks_matrix_default(&m);
	snprintf(m.bands[3].name, sizeof m.bands[3].name, "%s", "<zeer> & \"hoog\"");
	struct risks_risk r[4];
	memset(r, 0, sizeof r);
	for (int k = 0; k < 4; k++)
		strcpy(r[k].status, "open");
	r[0].il = 5, r[0].ii = 5, r[0].rl = 2, r[0].ri = 2;
	r[1].il = 5, r[1].ii = 5, r[1].rl = 1, r[1].ri = 1;
	r[2].il = 1, r[2].ii = 3, r[2].rl = 1, r[2].ri = 3;
	strcpy(r[3].status, "closed"); /* not counted */
	r[3].il = 5, r[3].ii = 5, r[3].rl = 5, r[3].ri = 5;
	struct risks_heat h;
	risks_heat_count(r, 4, 0, &h);
	assert_int_equal(h.total, 3);
	assert_int_equal(h.count[4][4], 2);
	assert_int_equal(h.count[0][2], 1);
	struct buf b = BUF_INIT;
	assert_int_equal(risks_heatmap_svg(&b, &m, &h, &words, 1), 0);
	assert_true(well_formed(b.p));
	assert_non_null(strstr(b.p, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
	assert_non_null(strstr(b.p, "role=\"img\""));
	assert_non_null(strstr(b.p, "aria-labelledby=\"heat-inherent-title heat-inherent-desc\""));
	assert_non_null(strstr(b.p, "<title id=\"heat-inherent-title\">Heat map &lt;inherent&gt; &amp; &quot;more&quot;</title>"));
	assert_non_null(strstr(b.p, "<desc id=\"heat-inherent-desc\">Open risks by likelihood and impact.</desc>"));
	/* the cell (5, 5): red, 2, its band named (escaped) */
	assert_non_null(strstr(b.p, "<title>likelihood 5, impact 5: 2 risks, band &lt;zeer&gt; &amp; &quot;hoog&quot;</title>"));
	assert_non_null(strstr(b.p, "fill=\"#e34a33\""));
	assert_non_null(strstr(b.p, "<title>likelihood 1, impact 3: 1 risks, band laag</title>"));
	assert_non_null(strstr(b.p, ">2</text>"));
	assert_non_null(strstr(b.p, "5 zeer groot"));
	/* 25 cells */
	size_t cells = 0;
	for (const char *p = b.p; (p = strstr(p, "<rect")); p++)
		cells++;
	assert_int_equal(cells, 25);
	buf_reset(&b);
	/* the residual counts and the inline form (no declaration) */
	risks_heat_count(r, 4, 1, &h);
	assert_int_equal(h.count[1][1], 1);
	assert_int_equal(h.count[4][4], 0);
	assert_int_equal(risks_heatmap_svg(&b, &m, &h, &words, 0), 0);
	assert_true(strncmp(b.p, "<svg ", 5) == 0);
	assert_true(well_formed(b.p));
	buf_reset(&b);
	/* a matrix off its limits draws nothing usable */
	m.nlikelihood = 11;
	assert_int_equal(risks_heatmap_svg(&b, &m, &h, &words, 0), -1);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checker),
		cmocka_unit_test(test_writer),
		cmocka_unit_test(test_heatmap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
