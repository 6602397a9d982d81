/* test_risks_matrix.c: the risk matrix's rules (src/risks/matrix.c): the
 * default, every refusal with its message, band lookup, the palette's
 * contrast; and the SAINT arithmetic (saint.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "risks/matrix.h"
#include "risks/saint.h"

static const char *why(const struct risks_matrix *m)
{
	static char buf[400];
	struct risks_problem p;
	if (risks_matrix_check(m, &p) == 0)
		return "";
	return risks_problem_text(&p, NULL, "en", buf, sizeof buf);
}

static void band(struct risks_matrix *m, size_t i, const char *name, int lo, int hi,
		 const char *colour)
{
	snprintf(m->bands[i].name, sizeof m->bands[i].name, "%s", name);
	m->bands[i].lo = lo;
	m->bands[i].hi = hi;
	snprintf(m->bands[i].colour, sizeof m->bands[i].colour, "%s", colour);
}

static void test_default(void **state)
{
	(void)state;
	struct risks_matrix m;
	risks_matrix_default(&m);
	assert_int_equal(m.nlikelihood, 5);
	assert_int_equal(m.nimpact, 5);
	assert_string_equal(m.likelihood[0], "zeer klein");
	assert_string_equal(m.impact[4], "zeer groot");
	/* 17..19 are no product of 1..5: the gap between 16 and 20 is fine */
	assert_string_equal(why(&m), "");
	assert_int_equal(risks_score(&m, 4, 4), 16);
	assert_int_equal(risks_score(&m, 6, 1), 0);
	assert_int_equal(risks_score(&m, 0, 1), 0);
	/* band lookup at every edge */
	assert_int_equal(risks_band_of(&m, 1, 1), 0);
	assert_int_equal(risks_band_of(&m, 2, 2), 0);
	assert_int_equal(risks_band_of(&m, 1, 5), 1);
	assert_int_equal(risks_band_of(&m, 3, 3), 1);
	assert_int_equal(risks_band_of(&m, 2, 5), 2);
	assert_int_equal(risks_band_of(&m, 4, 4), 2);
	assert_int_equal(risks_band_of(&m, 4, 5), 3);
	assert_int_equal(risks_band_of(&m, 5, 5), 3);
	assert_int_equal(risks_band_of(&m, 6, 5), -1);
	/* every cell of the default lands in exactly one band */
	for (int l = 1; l <= 5; l++)
		for (int i = 1; i <= 5; i++)
			assert_true(risks_band_of(&m, l, i) >= 0);
}

static void test_sizes(void **state)
{
	(void)state;
	struct risks_matrix m;
	risks_matrix_default(&m);
	m.nlikelihood = 1;
	assert_string_equal(why(&m), "The likelihood axis has 1 levels; a matrix has 2 to 10 levels on each axis.");
	risks_matrix_default(&m);
	m.nimpact = 11;
	assert_string_equal(why(&m), "The impact axis has 11 levels; a matrix has 2 to 10 levels on each axis.");
	/* 2 × 2 and 10 × 10 are fine with bands to match */
	memset(&m, 0, sizeof m);
	m.nlikelihood = m.nimpact = 2;
	strcpy(m.likelihood[0], "low");
	strcpy(m.likelihood[1], "high");
	strcpy(m.impact[0], "low");
	strcpy(m.impact[1], "high");
	m.nbands = 2;
	band(&m, 0, "a", 1, 2, "green");
	band(&m, 1, "b", 4, 4, "red");
	assert_string_equal(why(&m), "");
	/* 3 is no product of 1..2 either: a band reaching only 3 is refused */
	m.nbands = 3;
	band(&m, 0, "a", 1, 2, "green");
	band(&m, 1, "c", 3, 3, "grey");
	band(&m, 2, "b", 4, 4, "red");
	assert_string_equal(why(&m), "Band 'c' (3) holds no score this matrix can give (a score is likelihood × impact), so no risk could ever fall in it.");
	memset(&m, 0, sizeof m);
	m.nlikelihood = m.nimpact = 10;
	for (int i = 0; i < 10; i++) {
		snprintf(m.likelihood[i], sizeof m.likelihood[i], "L%d", i + 1);
		snprintf(m.impact[i], sizeof m.impact[i], "I%d", i + 1);
	}
	m.nbands = 1;
	band(&m, 0, "all", 1, 100, "blue");
	assert_string_equal(why(&m), "");
	band(&m, 0, "all", 1, 101, "blue");
	assert_string_equal(why(&m), "Band 'all' (1–101) lies outside the scores of this matrix, 1 to 100.");
}

static void test_level_names(void **state)
{
	(void)state;
	struct risks_matrix m;
	risks_matrix_default(&m);
	strcpy(m.likelihood[2], "  ");
	assert_string_equal(why(&m), "Level 3 of the likelihood axis has no name. Give every level a name.");
	risks_matrix_default(&m);
	strcpy(m.impact[3], "klein");
	assert_string_equal(why(&m), "Levels 2 and 4 of the impact axis are both called 'klein'. Give each level its own name.");
	risks_matrix_default(&m);
	strcpy(m.impact[0], "a\nb");
	assert_string_equal(why(&m), "The name of level 1 of the impact axis contains characters that cannot be stored, such as line breaks.");
	risks_matrix_default(&m);
	memset(m.likelihood[1], 'x', RISKS_NAME_MAX);
	m.likelihood[1][RISKS_NAME_MAX] = 0;
	assert_string_equal(why(&m), ""); /* exactly at the limit */
}

static void test_bands(void **state)
{
	(void)state;
	struct risks_matrix m;
	risks_matrix_default(&m);
	/* the message of the brief, word for word */
	band(&m, 1, "medium", 5, 10, "yellow");
	band(&m, 2, "high", 9, 16, "orange");
	assert_string_equal(why(&m), "Bands 'medium' (5–10) and 'high' (9–16) overlap at 9–10. Every score belongs to one band only.");
	/* the lower band is named first whatever the order given */
	risks_matrix_default(&m);
	band(&m, 0, "high", 9, 16, "orange");
	band(&m, 2, "medium", 5, 10, "yellow");
	band(&m, 1, "low", 1, 4, "green");
	assert_string_equal(why(&m), "Bands 'medium' (5–10) and 'high' (9–16) overlap at 9–10. Every score belongs to one band only.");
	/* an overlap on scores no cell has is still an overlap */
	risks_matrix_default(&m);
	band(&m, 2, "hoog", 10, 18, "orange");
	band(&m, 3, "zeer hoog", 17, 25, "red");
	assert_string_equal(why(&m), "Bands 'hoog' (10–18) and 'zeer hoog' (17–25) overlap at 17–18. Every score belongs to one band only.");
	/* gaps: one score, and several */
	risks_matrix_default(&m);
	band(&m, 1, "midden", 6, 9, "yellow");
	assert_string_equal(why(&m), "No band holds the score 5. Every score the matrix can give (likelihood × impact) must be in a band.");
	risks_matrix_default(&m);
	m.nbands = 3;
	band(&m, 1, "midden", 5, 8, "yellow");
	assert_string_equal(why(&m), "No band holds the scores 9, 20 and 25. Every score the matrix can give (likelihood × impact) must be in a band.");
	/* a gap of unreachable scores only is no gap */
	risks_matrix_default(&m);
	band(&m, 2, "hoog", 10, 15, "orange");
	band(&m, 3, "zeer hoog", 16, 25, "red");
	assert_string_equal(why(&m), "");
	risks_matrix_default(&m);
	band(&m, 3, "zeer hoog", 17, 19, "red");
	assert_string_equal(why(&m), "Band 'zeer hoog' (17–19) holds no score this matrix can give (a score is likelihood × impact), so no risk could ever fall in it.");
	risks_matrix_default(&m);
	band(&m, 0, "laag", 0, 4, "green");
	assert_string_equal(why(&m), "Band 'laag' (0–4) lies outside the scores of this matrix, 1 to 25.");
	risks_matrix_default(&m);
	band(&m, 3, "zeer hoog", 20, 30, "red");
	assert_string_equal(why(&m), "Band 'zeer hoog' (20–30) lies outside the scores of this matrix, 1 to 25.");
	risks_matrix_default(&m);
	band(&m, 1, "midden", 9, 5, "yellow");
	assert_string_equal(why(&m), "Band 'midden' starts at 9 and ends at 5: its lowest score must not be above its highest.");
	risks_matrix_default(&m);
	band(&m, 1, "laag", 5, 9, "yellow");
	assert_string_equal(why(&m), "Two bands are called 'laag'. Give each band its own name.");
	risks_matrix_default(&m);
	band(&m, 1, "", 5, 9, "yellow");
	assert_string_equal(why(&m), "Band 2 has no name. Give every band a name, or leave all of its fields empty to remove it.");
	risks_matrix_default(&m);
	band(&m, 1, "midden", 5, 9, "pink");
	assert_string_equal(why(&m), "Band 'midden' has no colour from the list. Choose one.");
	risks_matrix_default(&m);
	m.nbands = 0;
	assert_string_equal(why(&m), "The matrix has no bands. Give at least one band, with its lowest and highest score.");
	m.nbands = RISKS_BANDS_MAX + 1;
	assert_string_equal(why(&m), "The matrix has too many bands: at most 10.");
	/* a name with braces is copied, never expanded */
	risks_matrix_default(&m);
	band(&m, 1, "{b}", 5, 10, "yellow");
	band(&m, 2, "x", 9, 16, "orange");
	assert_string_equal(why(&m), "Bands '{b}' (5–10) and 'x' (9–16) overlap at 9–10. Every score belongs to one band only.");
	/* sorting puts bands in score order */
	risks_matrix_default(&m);
	struct risks_band t = m.bands[0];
	m.bands[0] = m.bands[3];
	m.bands[3] = t;
	risks_matrix_sort(&m);
	assert_string_equal(m.bands[0].name, "laag");
	assert_string_equal(m.bands[3].name, "zeer hoog");
}

/* A translation that wraps the msgid, to see that the message is
 * translated and then filled. */
static const char *fake_tr(const char *lang, const char *msgid)
{
	(void)lang;
	if (strcmp(msgid, "likelihood") == 0)
		return "kans";
	if (strncmp(msgid, "The {axis} axis", 15) == 0)
		return "De as {axis} heeft {n} niveaus.";
	return msgid;
}

static void test_translated(void **state)
{
	(void)state;
	struct risks_matrix m;
	struct risks_problem p;
	char buf[200];
	risks_matrix_default(&m);
	m.nlikelihood = 12;
	assert_int_equal(risks_matrix_check(&m, &p), -1);
	assert_string_equal(risks_problem_text(&p, fake_tr, "nl", buf, sizeof buf),
			    "De as kans heeft 12 niveaus.");
	/* a small buffer cuts, never overruns */
	char small[8];
	risks_problem_text(&p, fake_tr, "nl", small, sizeof small);
	assert_int_equal(strlen(small), 7);
}

/* x^2.4 for x in [0, 1] without libm: x^2 times y = x^0.4, found by
 * bisection on y^5 = x^2 */
static double pow24(double x)
{
	double lo = 0, hi = 1, x2 = x * x;
	for (int k = 0; k < 60; k++) {
		double y = (lo + hi) / 2;
		if (y * y * y * y * y < x2)
			lo = y;
		else
			hi = y;
	}
	return x2 * lo;
}

/* WCAG 2.1 relative luminance of one channel */
static double channel(int c)
{
	double v = c / 255.0;
	return v <= 0.03928 ? v / 12.92 : pow24((v + 0.055) / 1.055);
}

/* Black text on every palette colour reaches WCAG AA (4.5:1). */
static void test_palette_contrast(void **state)
{
	(void)state;
	for (size_t i = 0; i < risks_npalette; i++) {
		unsigned r, g, b;
		assert_int_equal(sscanf(risks_palette[i].fill, "#%02x%02x%02x", &r, &g, &b), 3);
		double lum = 0.2126 * channel((int)r) + 0.7152 * channel((int)g) +
			     0.0722 * channel((int)b);
		double contrast = (lum + 0.05) / 0.05;
		if (contrast < 4.5)
			fail_msg("%s: contrast %.2f", risks_palette[i].id, contrast);
		assert_ptr_equal(risks_colour_find(risks_palette[i].id), &risks_palette[i]);
	}
	assert_null(risks_colour_find("pink"));
	assert_null(risks_colour_find(NULL));
}

/* ---- SAINT ---- */

static struct saint_profile prof(unsigned inherent, int a, int b, int c, int d, int e)
{
	struct saint_answers x = {inherent, {a, b, c, d, e}};
	struct saint_profile p;
	assert_int_equal(saint_valid(&x), 0);
	saint_profile(&x, &p);
	return p;
}

static void test_saint(void **state)
{
	(void)state;
	struct saint_profile p = prof(0, 3, 3, 3, 3, 3);
	/* nothing inherent: nothing to amplify */
	assert_int_equal(p.inherent_count, 0);
	assert_int_equal(p.factor_sum, 15);
	assert_int_equal(p.enhancing, SAINT_HIGH);
	assert_int_equal(p.profile, SAINT_LOW);
	/* the inherent level's edges: 1 low, 2 and 3 medium, 4 high */
	assert_int_equal(prof(1u << 1, 0, 0, 0, 0, 0).inherent, SAINT_LOW);
	assert_int_equal(prof(3u, 0, 0, 0, 0, 0).inherent, SAINT_MEDIUM);
	assert_int_equal(prof(7u, 0, 0, 0, 0, 0).inherent, SAINT_MEDIUM);
	assert_int_equal(prof(15u, 0, 0, 0, 0, 0).inherent, SAINT_HIGH);
	assert_int_equal(prof(1023u, 0, 0, 0, 0, 0).inherent_count, 10);
	/* the enhancing level's edges: 5 low, 6 and 10 medium, 11 high */
	assert_int_equal(prof(1u, 1, 1, 1, 1, 1).enhancing, SAINT_LOW);
	assert_int_equal(prof(1u, 2, 1, 1, 1, 1).enhancing, SAINT_MEDIUM);
	assert_int_equal(prof(1u, 2, 2, 2, 2, 2).enhancing, SAINT_MEDIUM);
	assert_int_equal(prof(1u, 3, 2, 2, 2, 2).enhancing, SAINT_HIGH);
	/* the profile: 2 × inherent + enhancing, 0–1 low .. 6 very high */
	assert_int_equal(prof(1u, 0, 0, 0, 0, 0).profile, SAINT_LOW);        /* 0 */
	assert_int_equal(prof(1u, 2, 2, 2, 0, 0).profile, SAINT_LOW);        /* 0+1 */
	assert_int_equal(prof(1u, 3, 3, 3, 2, 0).profile, SAINT_MEDIUM);     /* 0+2 */
	assert_int_equal(prof(3u, 0, 0, 0, 0, 0).profile, SAINT_MEDIUM);     /* 2 */
	assert_int_equal(prof(3u, 2, 2, 2, 0, 0).profile, SAINT_MEDIUM);     /* 2+1 */
	assert_int_equal(prof(3u, 3, 3, 3, 2, 0).profile, SAINT_HIGH);       /* 2+2 */
	assert_int_equal(prof(15u, 0, 0, 0, 0, 0).profile, SAINT_HIGH);      /* 4 */
	assert_int_equal(prof(15u, 2, 2, 2, 0, 0).profile, SAINT_HIGH);      /* 4+1 */
	assert_int_equal(prof(15u, 3, 3, 3, 2, 0).profile, SAINT_VERY_HIGH); /* 4+2 */
	/* out of range */
	struct saint_answers bad = {1u << 10, {0}};
	assert_int_equal(saint_valid(&bad), -1);
	bad = (struct saint_answers){0, {0, 4, 0, 0, 0}};
	assert_int_equal(saint_valid(&bad), -1);
	bad = (struct saint_answers){0, {0, 0, 0, -1, 0}};
	assert_int_equal(saint_valid(&bad), -1);
	assert_string_equal(saint_level_id(SAINT_VERY_HIGH), "very_high");
	assert_string_equal(saint_level_label(SAINT_VERY_HIGH), "very high");
	assert_int_equal(saint_find(saint_inherent, SAINT_INHERENT, "real_estate"), 9);
	assert_int_equal(saint_find(saint_factors, SAINT_FACTORS, "history"), 4);
	assert_int_equal(saint_find(saint_factors, SAINT_FACTORS, "nope"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default),       cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_level_names),   cmocka_unit_test(test_bands),
		cmocka_unit_test(test_translated),    cmocka_unit_test(test_palette_contrast),
		cmocka_unit_test(test_saint),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
