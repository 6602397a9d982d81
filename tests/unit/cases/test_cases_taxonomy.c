/* test_cases_taxonomy.c: the violation taxonomy and the measures
 * (src/cases/taxonomy.c) and the embedded data set (dataset.c): the shipped
 * files hold the nine categories of shared/domain §4 and the measures of §7;
 * v2 maps every code of v1 (8 split into 8a and 8b) and codes map forwards
 * and back; malformed files and broken links between revisions are refused
 * with their path; the data set picks v1 as current, not the example. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cases/dataset.h"
#include "cases/taxonomy.h"

#define T(s) "{\"nl\": \"" s "\", \"en\": \"" s "\"}"
#define CAT(code) "{\"code\": \"" code "\", \"title\": " T("C" code) ", \"description\": " \
	T("D") "}"
#define TAX(rev, extra, cats) "{\"format\": \"probity-taxonomy\", \"version\": 1, \"id\": " \
	"\"t\", \"revision\": " #rev ", \"title\": " T("T") extra ", \"categories\": [" cats "]}"
#define MAPS(rev, codes) ", \"maps_from\": {\"revision\": " #rev ", \"codes\": [" codes "]}"
#define MAP(from, to) "{\"from\": \"" from "\", \"to\": [" to "]}"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	char *buf = malloc(CASES_TAXONOMY_MAX_BYTES + 1);
	assert_non_null(buf);
	*len = fread(buf, 1, CASES_TAXONOMY_MAX_BYTES + 1, f);
	fclose(f);
	assert_true(*len <= CASES_TAXONOMY_MAX_BYTES);
	return buf;
}

static void load_tax(const char *name, struct cases_taxonomy *t)
{
	char path[256], err[512];
	size_t len;
	snprintf(path, sizeof path, SRCDIR "/data/taxonomies/%s", name);
	char *text = slurp(path, &len);
	if (cases_taxonomy_parse(text, len, t, err, sizeof err) != 0)
		fail_msg("%s refused: %s", name, err);
	free(text);
}

static int tax(const char *text, struct cases_taxonomy *t, char *err, size_t n)
{
	return cases_taxonomy_parse(text, strlen(text), t, err, n);
}

static void test_shipped_taxonomy(void **state)
{
	(void)state;
	struct cases_taxonomy v1, v2;
	load_tax("schendingen-v1.json", &v1);
	load_tax("schendingen-v2.json", &v2);
	assert_string_equal(v1.id, "schendingen");
	assert_int_equal(v1.revision, 1);
	assert_false(v1.example);
	assert_int_equal(v1.maps_from, 0);
	assert_int_equal(v1.ncategories, 9);
	static const char *const nl[] = {
		"Financiële schendingen", "Misbruik positie en belangenverstrengeling",
		"Lekken en misbruik van informatie", "Misbruik van bevoegdheden",
		"Misbruik van geweldsbevoegdheid", "Ongewenste omgangsvormen",
		"Misdragingen in de privésfeer",
		"Oneigenlijk gebruik dienstmiddelen of overschrijding interne regels",
		"Misstand volgens de klokkenluidersregeling",
	};
	for (size_t i = 0; i < 9; i++) {
		char code[4];
		snprintf(code, sizeof code, "%zu", i + 1);
		const struct cases_category *c = cases_taxonomy_find(&v1, code);
		assert_ptr_equal(c, &v1.categories[i]);
		assert_string_equal(c->title.nl, nl[i]);
		assert_non_null(c->title.en);
		assert_non_null(c->description.nl);
		assert_non_null(c->description.en);
	}
	assert_null(cases_taxonomy_find(&v1, "10"));
	assert_null(cases_taxonomy_find(&v1, "8a"));
	assert_null(cases_taxonomy_find(&v1, NULL));
	/* v2: the example, and that it says so */
	assert_true(v2.example);
	assert_int_equal(v2.revision, 2);
	assert_int_equal(v2.maps_from, 1);
	assert_int_equal(v2.ncategories, 10);
	assert_non_null(strstr(v2.description.en, "example"));
	assert_non_null(strstr(v2.description.nl, "Voorbeeld"));
	assert_non_null(cases_taxonomy_find(&v2, "8a"));
	assert_non_null(cases_taxonomy_find(&v2, "8b"));
	assert_null(cases_taxonomy_find(&v2, "8"));
	char err[512];
	assert_int_equal(cases_taxonomy_link(&v1, &v2, err, sizeof err), 0);
	/* mapping: 8 -> 8a, 8b; back again; the rest to themselves */
	const struct cases_taxonomy *revs[] = {&v2, &v1};
	const char *out[CASES_MAX_CATEGORIES];
	size_t n;
	assert_int_equal(cases_taxonomy_map(revs, 2, "8", 1, 2, out, 10, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(out[0], "8a");
	assert_string_equal(out[1], "8b");
	assert_int_equal(cases_taxonomy_map(revs, 2, "8b", 2, 1, out, 10, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(out[0], "8");
	assert_int_equal(cases_taxonomy_map(revs, 2, "6", 1, 2, out, 10, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(out[0], "6");
	assert_int_equal(cases_taxonomy_map(revs, 2, "9", 2, 1, out, 10, &n), 0);
	assert_string_equal(out[0], "9");
	assert_int_equal(cases_taxonomy_map(revs, 2, "8a", 2, 2, out, 10, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(out[0], "8a");
	/* refusals: unknown code, a code of the other revision, a missing
	 * revision, too small an output */
	assert_int_equal(cases_taxonomy_map(revs, 2, "10", 1, 2, out, 10, &n), -1);
	assert_int_equal(n, 0);
	assert_int_equal(cases_taxonomy_map(revs, 2, "8a", 1, 2, out, 10, &n), -1);
	assert_int_equal(cases_taxonomy_map(revs, 2, "8", 1, 3, out, 10, &n), -1);
	assert_int_equal(cases_taxonomy_map(revs, 1, "8", 1, 2, out, 10, &n), -1);
	assert_int_equal(cases_taxonomy_map(revs, 2, "8", 1, 2, out, 1, &n), -1);
	assert_int_equal(cases_taxonomy_map(revs, 2, NULL, 1, 2, out, 10, &n), -1);
	/* the link the other way round, or to itself, is refused */
	assert_int_equal(cases_taxonomy_link(&v2, &v1, err, sizeof err), -1);
	assert_non_null(strstr(err, "schendingen revision 1 does not follow schendingen revision 2"));
	assert_int_equal(cases_taxonomy_link(&v1, &v1, err, sizeof err), -1);
	cases_taxonomy_free(&v1);
	cases_taxonomy_free(&v2);
	assert_null(v1.mem);
	cases_taxonomy_free(&v1);
}

/* A chain of three revisions: 1 {a, b} -> 2 {a, b1, b2} -> 3 {a, b} where
 * b1 and b2 merge again; mapping runs over both links. */
static void test_chain(void **state)
{
	(void)state;
	static const char *const docs[] = {
		TAX(1, "", CAT("a") "," CAT("b")),
		TAX(2, MAPS(1, MAP("a", "\"a\"") "," MAP("b", "\"b1\", \"b2\"")),
		    CAT("a") "," CAT("b1") "," CAT("b2")),
		TAX(3, MAPS(2, MAP("a", "\"a\"") "," MAP("b1", "\"b\"") "," MAP("b2", "\"b\", \"a\"")),
		    CAT("a") "," CAT("b")),
	};
	struct cases_taxonomy t[3];
	char err[512];
	for (int i = 0; i < 3; i++)
		if (tax(docs[i], &t[i], err, sizeof err) != 0)
			fail_msg("revision %d refused: %s", i + 1, err);
	assert_int_equal(cases_taxonomy_link(&t[0], &t[1], err, sizeof err), 0);
	assert_int_equal(cases_taxonomy_link(&t[1], &t[2], err, sizeof err), 0);
	const struct cases_taxonomy *revs[] = {&t[2], &t[0], &t[1]};
	const char *out[8];
	size_t n;
	assert_int_equal(cases_taxonomy_map(revs, 3, "b", 1, 3, out, 8, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(out[0], "a");   /* in the target revision's order */
	assert_string_equal(out[1], "b");
	assert_int_equal(cases_taxonomy_map(revs, 3, "a", 1, 3, out, 8, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(cases_taxonomy_map(revs, 3, "a", 3, 1, out, 8, &n), 0);
	assert_int_equal(n, 2);   /* a came from a and (through b2) from b */
	assert_string_equal(out[0], "a");
	assert_string_equal(out[1], "b");
	assert_int_equal(cases_taxonomy_map(revs, 3, "b", 3, 2, out, 8, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(out[0], "b1");
	assert_string_equal(out[1], "b2");
	/* without the middle revision there is no way through */
	const struct cases_taxonomy *gap[] = {&t[0], &t[2]};
	assert_int_equal(cases_taxonomy_map(gap, 2, "b", 1, 3, out, 8, &n), -1);
	/* a link that leaves a code out, or maps one that is not there */
	struct cases_taxonomy bad;
	assert_int_equal(tax(TAX(2, MAPS(1, MAP("a", "\"a\"")), CAT("a")), &bad, err, sizeof err), 0);
	assert_int_equal(cases_taxonomy_link(&t[0], &bad, err, sizeof err), -1);
	assert_non_null(strstr(err, "t revision 2: maps_from does not say where category \"b\" "
			       "of revision 1 goes"));
	cases_taxonomy_free(&bad);
	assert_int_equal(tax(TAX(2, MAPS(1, MAP("a", "\"a\"") "," MAP("b", "\"a\"") ","
					 MAP("c", "\"a\"")), CAT("a")), &bad, err, sizeof err), 0);
	assert_int_equal(cases_taxonomy_link(&t[0], &bad, err, sizeof err), -1);
	assert_non_null(strstr(err, "t revision 2: maps_from.codes[2]: \"c\" is not a category "
			       "of revision 1"));
	/* mapping through such a pair fails rather than guess */
	const struct cases_taxonomy *broken[] = {&t[0], &bad};
	assert_int_equal(cases_taxonomy_map(broken, 2, "a", 2, 1, out, 8, &n), -1);
	assert_int_equal(n, 0);
	cases_taxonomy_free(&bad);
	for (int i = 0; i < 3; i++)
		cases_taxonomy_free(&t[i]);
}

static void test_taxonomy_refused(void **state)
{
	(void)state;
	static const struct {
		const char *text, *want;
	} cases[] = {
		{"{\"format\": \"probity-taxonomy\", \"version\": 2}", "version: must be 1"},
		{"{\"format\": \"probity-protocol\", \"version\": 1}", "format: must be \"probity-taxonomy\""},
		{TAX(1, ", \"colour\": 1", CAT("a")), "top level: unknown field \"colour\""},
		{TAX(1, ", \"title\": " T("U"), CAT("a")), "duplicate"},
		{TAX(1, "", CAT("a") "," CAT("a")), "categories[1]: \"code\" \"a\" is already used by "
		 "categories[0]"},
		{TAX(1, "", CAT("A")), "categories[0]: \"code\" \"A\" must be 1 to 32"},
		{TAX(1, "", CAT("8 a")), "categories[0]: \"code\" \"8 a\" must be"},
		{TAX(1, "", ""), "top level: \"categories\" must be a list of 1 to 100 entries"},
		{TAX(1, "", "{\"code\": \"a\", \"title\": " T("A") "}"),
		 "categories[0]: lacks the field \"description\""},
		{TAX(1, "", "{\"code\": \"a\", \"title\": " T("A") ", \"description\": " T("D")
		     ", \"x\": 1}"), "categories[0]: unknown field \"x\""},
		{TAX(1, "", "3"), "categories[0]: must be an object"},
		{TAX(1, ", \"example\": \"yes\"", CAT("a")), "top level: \"example\" must be true or false"},
		{TAX(1, MAPS(0, MAP("a", "\"a\"")), CAT("a")), "maps_from: revision 1 is the first"},
		{TAX(2, "", CAT("a")), "top level: lacks the field \"maps_from\": revision 2 must say how "
		 "the codes of revision 1 map"},
		{TAX(3, MAPS(1, MAP("a", "\"a\"")), CAT("a")),
		 "maps_from: \"revision\" must be 2, the revision before this one"},
		{TAX(2, ", \"maps_from\": []", CAT("a")), "maps_from: must be an object"},
		{TAX(2, ", \"maps_from\": {\"revision\": 1, \"codes\": [], \"x\": 1}", CAT("a")),
		 "maps_from: unknown field \"x\""},
		{TAX(2, MAPS(1, ""), CAT("a")), "maps_from: \"codes\" must be a list of 1 to 100"},
		{TAX(2, MAPS(1, MAP("a", "\"z\"")), CAT("a")),
		 "maps_from.codes[0].to[0]: \"z\" is not a category of this revision"},
		{TAX(2, MAPS(1, MAP("a", "")), CAT("a")),
		 "maps_from.codes[0]: \"to\" must be a list of 1 to 20 entries"},
		{TAX(2, MAPS(1, MAP("a", "\"a\", \"a\"")), CAT("a")),
		 "maps_from.codes[0].to[1]: \"a\" is listed twice"},
		{TAX(2, MAPS(1, MAP("a", "\"a\"") "," MAP("a", "\"a\"")), CAT("a")),
		 "maps_from.codes[1]: \"from\" \"a\" is already mapped by codes[0]"},
		{TAX(2, MAPS(1, MAP("A", "\"a\"")), CAT("a")),
		 "maps_from.codes[0]: \"from\" \"A\" must be"},
		{TAX(2, MAPS(1, "{\"from\": \"a\", \"to\": [\"a\"], \"into\": 1}"), CAT("a")),
		 "maps_from.codes[0]: unknown field \"into\""},
		{TAX(2, MAPS(1, MAP("a", "1")), CAT("a")), "maps_from.codes[0].to[0]: the code must be "
		 "a string"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct cases_taxonomy t;
		char err[512];
		if (tax(cases[i].text, &t, err, sizeof err) != -1)
			fail_msg("accepted: %s", cases[i].text);
		if (!strstr(err, cases[i].want))
			fail_msg("message \"%s\" lacks \"%s\"", err, cases[i].want);
		assert_null(t.mem);
		assert_null(t.categories);
	}
	/* the size limit */
	char *big = malloc(CASES_TAXONOMY_MAX_BYTES + 1);
	assert_non_null(big);
	const char *doc = TAX(1, "", CAT("a"));
	memcpy(big, doc, strlen(doc));
	memset(big + strlen(doc), ' ', CASES_TAXONOMY_MAX_BYTES + 1 - strlen(doc));
	struct cases_taxonomy t;
	char err[512];
	assert_int_equal(cases_taxonomy_parse(big, CASES_TAXONOMY_MAX_BYTES, &t, err, sizeof err), 0);
	cases_taxonomy_free(&t);
	assert_int_equal(cases_taxonomy_parse(big, CASES_TAXONOMY_MAX_BYTES + 1, &t, err,
					      sizeof err), -1);
	assert_non_null(strstr(err, "larger than 131072 bytes"));
	free(big);
}

#define MEAS(extra, items) "{\"format\": \"probity-measures\", \"version\": 1, \"id\": \"m\", " \
	"\"revision\": 1, \"title\": " T("M") extra ", \"measures\": [" items "]}"
#define MSR(code, kind, hearing) "{\"code\": \"" code "\", \"kind\": \"" kind "\", " \
	"\"hearing_required\": " hearing ", \"title\": " T("X") "}"

static void test_measures(void **state)
{
	(void)state;
	size_t len;
	char *text = slurp(SRCDIR "/data/measures/cao-rijk-v1.json", &len);
	struct cases_measures m;
	char err[512];
	if (cases_measures_parse(text, len, &m, err, sizeof err) != 0)
		fail_msg("cao-rijk-v1.json refused: %s", err);
	free(text);
	assert_string_equal(m.id, "cao_rijk");
	assert_int_equal(m.revision, 1);
	static const struct {
		const char *code;
		enum cases_measure_kind kind;
	} want[] = {
		{"access_ban", CASES_MEASURE_ORDER},
		{"suspension", CASES_MEASURE_ORDER},
		{"written_reprimand", CASES_MEASURE_PENALTY},
		{"fewer_choice_budget_hours", CASES_MEASURE_PENALTY},
		{"no_salary_increments", CASES_MEASURE_PENALTY},
		{"transfer", CASES_MEASURE_PENALTY},
		{"fine", CASES_MEASURE_PENALTY},
		{"dismissal", CASES_MEASURE_PENALTY},
		{"police_report", CASES_MEASURE_OTHER},
		{"no_measure", CASES_MEASURE_OTHER},
	};
	assert_int_equal(m.nmeasures, sizeof want / sizeof *want);
	for (size_t i = 0; i < m.nmeasures; i++) {
		const struct cases_measure *x = cases_measures_find(&m, want[i].code);
		assert_ptr_equal(x, &m.measures[i]);
		assert_int_equal(x->kind, want[i].kind);
		/* penalties only after hearing the employee; the others need not */
		assert_int_equal(x->hearing_required, want[i].kind == CASES_MEASURE_PENALTY);
		assert_non_null(x->title.nl);
		assert_non_null(x->title.en);
	}
	assert_non_null(strstr(cases_measures_find(&m, "no_salary_increments")->description.en,
			       "4 years"));
	assert_null(cases_measures_find(&m, "warning"));
	assert_null(cases_measures_find(&m, NULL));
	assert_string_equal(cases_measure_kind_name(CASES_MEASURE_ORDER), "order_measure");
	assert_string_equal(cases_measure_kind_name(CASES_MEASURE_PENALTY), "penalty");
	assert_string_equal(cases_measure_kind_name(CASES_MEASURE_OTHER), "other");
	assert_string_equal(cases_measure_kind_name((enum cases_measure_kind)3), "?");
	cases_measures_free(&m);
	assert_null(m.mem);
	static const struct {
		const char *text, *want;
	} bad[] = {
		{"{\"format\": \"probity-measures\", \"version\": 3}", "version: must be 1"},
		{MEAS("", MSR("fine", "penalty", "false")), "measures[0]: a penalty needs "
		 "\"hearing_required\": true"},
		{MEAS("", MSR("fine", "punishment", "true")), "measures[0]: unknown kind \"punishment\""},
		{MEAS("", "{\"code\": \"x\", \"title\": " T("X") ", \"hearing_required\": true}"),
		 "measures[0]: lacks the field \"kind\""},
		{MEAS("", "{\"code\": \"x\", \"kind\": \"other\", \"title\": " T("X") "}"),
		 "measures[0]: lacks the field \"hearing_required\""},
		{MEAS("", MSR("x", "other", "0")), "measures[0]: \"hearing_required\" must be true or "
		 "false"},
		{MEAS("", MSR("x", "other", "false") "," MSR("x", "penalty", "true")),
		 "measures[1]: \"code\" \"x\" is already used by measures[0]"},
		{MEAS("", MSR("X", "other", "false")), "measures[0]: \"code\" \"X\" must be"},
		{MEAS("", ""), "top level: \"measures\" must be a list of 1 to 50 entries"},
		{MEAS(", \"extra\": 1", MSR("x", "other", "false")), "top level: unknown field \"extra\""},
		{MEAS("", "{\"code\": \"x\", \"kind\": \"other\", \"hearing_required\": false, "
		      "\"title\": " T("X") ", \"colour\": 2}"), "measures[0]: unknown field \"colour\""},
		{MEAS("", "{\"code\": \"x\", \"kind\": \"other\", \"hearing_required\": false}"),
		 "measures[0]: lacks the field \"title\""},
		{MEAS("", "true"), "measures[0]: must be an object"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		if (cases_measures_parse(bad[i].text, strlen(bad[i].text), &m, err, sizeof err) != -1)
			fail_msg("accepted: %s", bad[i].text);
		if (!strstr(err, bad[i].want))
			fail_msg("message \"%s\" lacks \"%s\"", err, bad[i].want);
		assert_null(m.mem);
		assert_null(m.measures);
	}
	const char *ok = MEAS("", MSR("ban", "order_measure", "true"));
	assert_int_equal(cases_measures_parse(ok, strlen(ok), &m, err, sizeof err), 0);
	assert_true(m.measures[0].hearing_required);
	assert_null(m.measures[0].description.nl);
	cases_measures_free(&m);
}

static void test_dataset(void **state)
{
	(void)state;
	/* nothing before init */
	assert_null(cases_data_protocol());
	assert_null(cases_data_taxonomy());
	char err[512];
	if (cases_data_init(err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(cases_data_init(err, sizeof err), 0);  /* idempotent */
	const struct cases_protocol *p = cases_data_protocol();
	assert_non_null(p);
	assert_string_equal(p->id, CASES_PROTOCOL_ID);
	assert_int_equal(p->revision, 1);
	assert_ptr_equal(cases_data_protocol_find("onderzoeksprotocol", 1), p);
	assert_null(cases_data_protocol_find("onderzoeksprotocol", 2));
	assert_null(cases_data_protocol_find(NULL, 1));
	/* v1 is current although v2 ships: v2 is an example */
	const struct cases_taxonomy *t = cases_data_taxonomy();
	assert_non_null(t);
	assert_string_equal(t->id, CASES_TAXONOMY_ID);
	assert_int_equal(t->revision, 1);
	const struct cases_taxonomy *t2 = cases_data_taxonomy_find("schendingen", 2);
	assert_non_null(t2);
	assert_true(t2->example);
	assert_null(cases_data_taxonomy_find("schendingen", 3));
	const struct cases_measures *m = cases_data_measures();
	assert_non_null(m);
	assert_string_equal(m->id, CASES_MEASURES_ID);
	assert_ptr_equal(cases_data_measures_find("cao_rijk", 1), m);
	assert_null(cases_data_measures_find("cao_rijk", 0));
	const char *out[4];
	size_t n;
	assert_int_equal(cases_data_map_category("schendingen", "8", 1, 2, out, 4, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(out[0], "8a");
	assert_string_equal(out[1], "8b");
	assert_int_equal(cases_data_map_category("schendingen", "8a", 2, 1, out, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(out[0], "8");
	assert_int_equal(cases_data_map_category("other", "8", 1, 2, out, 4, &n), -1);
	assert_int_equal(cases_data_map_category(NULL, "8", 1, 2, out, 4, &n), -1);
	/* every code of the current taxonomy maps to the example and back to itself */
	for (size_t i = 0; i < t->ncategories; i++) {
		const char *code = t->categories[i].code, *fwd[4], *back[4];
		size_t nf, nb;
		assert_int_equal(cases_data_map_category("schendingen", code, 1, 2, fwd, 4, &nf), 0);
		for (size_t k = 0; k < nf; k++) {
			assert_int_equal(cases_data_map_category("schendingen", fwd[k], 2, 1, back, 4,
								 &nb), 0);
			assert_int_equal(nb, 1);
			assert_string_equal(back[0], code);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_taxonomy),
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_taxonomy_refused),
		cmocka_unit_test(test_measures),
		cmocka_unit_test(test_dataset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
