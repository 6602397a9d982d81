/* test_orgs_import.c: the organisations data file parser (orgs_parse_json in
 * src/orgs/import.c): what it accepts, and that every refusal names the place
 * in the file (a JSON path, or line and column) and the rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "orgs/orgs.h"

#define HEAD "{\"format\": \"probity-organisations\", \"version\": 1, "
#define GOV "{\"code\": \"RIJK\", \"name\": \"Rijksoverheid\", \"kind\": \"government\", " \
	    "\"from\": \"2010-01-01\"}"
#define DEPT(c) "{\"code\": \"" c "\", \"name\": \"Dept " c "\", \"kind\": \"department\", " \
		"\"parent\": \"RIJK\", \"from\": \"2010-01-01\"}"

static int parse(const char *text, struct orgs_file *f, char *err, size_t errlen)
{
	return orgs_parse_json(text, strlen(text), f, err, errlen);
}

static void test_valid(void **state)
{
	(void)state;
	const char *text = HEAD "\"description\": \"test\", \"organisations\": [" GOV ", "
		DEPT("EZK") ", {\"code\": \"DEF\", \"name\": \"Defensie\", \"kind\": \"department\", "
		"\"parent\": \"RIJK\", \"from\": \"2010-01-01\", \"outside_scope\": true}], "
		"\"events\": ["
		"{\"type\": \"split\", \"on\": \"2024-07-02\", \"code\": \"EZK\", \"into\": "
		"[{\"code\": \"EZ\", \"name\": \"Economische Zaken\"}, {\"code\": \"EZK\"}], "
		"\"move\": {\"DGBI\": \"EZ\"}},"
		"{\"type\": \"rename\", \"on\": \"2024-07-02\", \"code\": \"DEF\", \"to\": \"DEFE\"},"
		"{\"type\": \"merge\", \"on\": \"2025-01-01\", \"codes\": [\"EZ\", \"EZK\"], "
		"\"into\": {\"code\": \"EZ\"}},"
		"{\"type\": \"add\", \"on\": \"2025-01-01\", \"code\": \"U\", \"name\": \"Unit\", "
		"\"kind\": \"unit\", \"parent\": \"EZ\"}]}";
	struct orgs_file f;
	char err[800];
	if (parse(text, &f, err, sizeof err) != 0)
		fail_msg("refused: %s", err);
	assert_int_equal(f.nchanges, 7);
	assert_int_equal(f.norgs, 3);
	assert_int_equal(f.nevents, 4);
	assert_int_equal(f.changes[0].op, ORG_OP_ADD);
	assert_int_equal(f.changes[0].kind, ORG_GOVERNMENT);
	assert_null(f.changes[0].parent);
	assert_int_equal(f.changes[2].scope, 1);
	assert_int_equal(f.changes[1].scope, -1);
	assert_string_equal(f.changes[1].parent, "RIJK");
	const struct org_change *s = &f.changes[3];
	assert_int_equal(s->op, ORG_OP_SPLIT);
	assert_int_equal(s->ninto, 2);
	assert_null(s->into[1].name);
	assert_int_equal(s->nmoves, 1);
	assert_string_equal(s->moves[0].unit, "DGBI");
	assert_string_equal(s->moves[0].to, "EZ");
	assert_int_equal(f.changes[4].op, ORG_OP_RENAME);
	assert_string_equal(f.changes[4].into[0].code, "DEFE");
	assert_null(f.changes[4].into[0].name);
	assert_int_equal(f.changes[5].op, ORG_OP_MERGE);
	assert_int_equal(f.changes[5].npreds, 2);
	assert_int_equal(f.changes[6].op, ORG_OP_ADD);
	assert_string_equal(f.changes[6].on, "2025-01-01");
	assert_string_equal(f.where[3], "events[0] (split EZK)");
	assert_string_equal(f.where[0], "organisations[0] (add RIJK)");
	orgs_file_free(&f);
}

static void test_refused(void **state)
{
	(void)state;
	static const struct {
		const char *text, *want;
	} cases[] = {
		{"", "line 1"},
		{"[1, 2]", "top level: must be an object"},
		{"{\"format\": \"probity-organisations\", \"version\": 1, \"organisations\": []} x",
		 "line 1"},
		{"{\"format\": \"something\", \"version\": 1, \"organisations\": []}", "format"},
		{"{\"format\": \"probity-organisations\", \"version\": 2, \"organisations\": []}",
		 "version: must be 1"},
		{"{\"format\": \"probity-organisations\", \"version\": \"1\", \"organisations\": []}",
		 "version"},
		{HEAD "\"organisations\": [], \"colour\": 1}", "unknown field \"colour\""},
		{HEAD "\"organisations\": {}}", "organisations: must be a list"},
		{HEAD "\"organisations\": [], \"organisations\": []}", "duplicate"},
		{HEAD "\"organisations\": [" GOV ", 7]}", "organisations[1]: must be an object"},
		{HEAD "\"organisations\": [{\"code\": \"RIJK\", \"name\": \"R\", \"kind\": "
		      "\"government\", \"from\": \"2010-01-01\", \"colour\": \"red\"}]}",
		 "organisations[0]: unknown field \"colour\""},
		{HEAD "\"organisations\": [{\"code\": \"R IJK\", \"name\": \"R\", \"kind\": "
		      "\"government\", \"from\": \"2010-01-01\"}]}",
		 "organisations[0]: code 'R IJK' may hold only"},
		{HEAD "\"organisations\": [{\"code\": \"RIJK\", \"name\": \"R\\u0000X\", \"kind\": "
		      "\"government\", \"from\": \"2010-01-01\"}]}", "NUL"},
		{HEAD "\"organisations\": [{\"code\": \"RIJK\", \"name\": \"R\\nX\", \"kind\": "
		      "\"government\", \"from\": \"2010-01-01\"}]}", "control character"},
		{HEAD "\"organisations\": [{\"code\": \"RIJK\", \"name\": \"R\", \"kind\": "
		      "\"ministry\", \"from\": \"2010-01-01\"}]}", "\"kind\" must be"},
		{HEAD "\"organisations\": [{\"code\": \"RIJK\", \"name\": \"R\", \"kind\": "
		      "\"government\", \"from\": \"2010-02-30\"}]}", "organisations[0]: from"},
		{HEAD "\"organisations\": [{\"code\": \"RIJK\", \"name\": \"R\", \"kind\": "
		      "\"government\"}]}", "lacks the field \"from\""},
		{HEAD "\"organisations\": [{\"code\": 12, \"name\": \"R\", \"kind\": "
		      "\"government\", \"from\": \"2010-01-01\"}]}", "\"code\" must be a string"},
		{HEAD "\"organisations\": [" DEPT("X") "], \"events\": {}}", "events: must be a list"},
		{HEAD "\"organisations\": [" DEPT("X") "], \"events\": [{\"type\": \"close\", "
		      "\"on\": \"2020-01-01\"}]}", "events[0]: unknown type \"close\""},
		{HEAD "\"organisations\": [" DEPT("X") "], \"events\": [{\"type\": \"split\", "
		      "\"on\": \"2020-01-01\", \"code\": \"X\", \"into\": [], \"move\": []}]}",
		 "\"move\" must be an object"},
		{HEAD "\"organisations\": [" DEPT("X") "], \"events\": [{\"type\": \"split\", "
		      "\"on\": \"2020-01-01\", \"code\": \"X\", \"into\": [{\"code\": \"A\", "
		      "\"nam\": \"B\"}]}]}", "events[0].into[0]: unknown field \"nam\""},
		{HEAD "\"organisations\": [" DEPT("X") "], \"events\": [{\"type\": \"split\", "
		      "\"on\": \"2020-01-01\", \"code\": \"X\", \"into\": [], \"move\": "
		      "{\"A B\": \"C\"}}]}", "events[0].move: unit code 'A B'"},
		{HEAD "\"organisations\": [" DEPT("X") "], \"events\": [{\"type\": \"split\", "
		      "\"on\": \"2020-01-01\", \"code\": \"X\", \"into\": [], \"move\": "
		      "{\"AB\": 3}}]}", "events[0].move.AB: must be the code of a successor"},
		{HEAD "\"organisations\": [" DEPT("X") "], \"events\": [{\"type\": \"merge\", "
		      "\"on\": \"2020-01-01\", \"codes\": [\"A\", 2], \"into\": {\"code\": \"C\"}}]}",
		 "events[0].codes[1]: must be a code"},
		{HEAD "\"organisations\": [" DEPT("X") "], \"events\": [{\"type\": \"merge\", "
		      "\"on\": \"2020-01-01\", \"codes\": [\"A\", \"B\"]}]}", "lacks the field \"into\""},
		{HEAD "\"organisations\": [" DEPT("X") "], \"events\": [{\"type\": \"rename\", "
		      "\"code\": \"X\", \"to\": \"Y\"}]}", "events[0]: lacks the field \"on\""},
		{HEAD "\"organisations\": [" DEPT("X") "], \"events\": [{\"type\": \"rename\", "
		      "\"on\": \"2020-01-01\", \"code\": \"X\", \"to\": \"Y\", \"into\": []}]}",
		 "unknown field \"into\""},
		{HEAD "\"organisations\": [{\"code\": \"\xff\"}]}", "line 1"}, /* not UTF-8 */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct orgs_file f;
		char err[800];
		if (parse(cases[i].text, &f, err, sizeof err) != -1)
			fail_msg("case %zu accepted", i);
		if (!strstr(err, cases[i].want))
			fail_msg("case %zu: \"%s\" does not mention %s", i, err, cases[i].want);
		for (const char *p = err; *p; p++)
			if ((unsigned char)*p < 0x20)
				fail_msg("case %zu: control character in \"%s\"", i, err);
		assert_null(f.changes);
		assert_int_equal(f.nchanges, 0);
		orgs_file_free(&f); /* harmless on an empty result */
	}
}

static void test_limits(void **state)
{
	(void)state;
	struct orgs_file f;
	char err[800];
	/* more than 1 MiB is refused before parsing */
	size_t big = ORGS_FILE_MAX_BYTES + 1;
	char *text = malloc(big);
	assert_non_null(text);
	memset(text, ' ', big);
	assert_int_equal(orgs_parse_json(text, big, &f, err, sizeof err), -1);
	assert_non_null(strstr(err, "larger than"));
	free(text);
	/* too many successors */
	char buf[4096];
	int n = snprintf(buf, sizeof buf, HEAD "\"organisations\": [], \"events\": [{\"type\": "
			 "\"split\", \"on\": \"2020-01-01\", \"code\": \"X\", \"into\": [");
	for (int i = 0; i <= ORG_MAX_SUCCESSORS; i++)
		n += snprintf(buf + n, sizeof buf - (size_t)n, "%s{\"code\": \"S%d\", \"name\": \"S\"}",
			      i ? "," : "", i);
	snprintf(buf + n, sizeof buf - (size_t)n, "]}]}");
	assert_int_equal(parse(buf, &f, err, sizeof err), -1);
	assert_non_null(strstr(err, "more than 16 successors"));
	/* too many organisations */
	size_t cap = (ORGS_FILE_MAX_ORGS + 2) * 4 + 200;
	text = malloc(cap);
	assert_non_null(text);
	size_t used = (size_t)snprintf(text, cap, HEAD "\"organisations\": [");
	for (int i = 0; i <= ORGS_FILE_MAX_ORGS; i++)
		used += (size_t)snprintf(text + used, cap - used, "%s{}", i ? "," : "");
	snprintf(text + used, cap - used, "]}");
	assert_int_equal(parse(text, &f, err, sizeof err), -1);
	assert_non_null(strstr(err, "more than 5000"));
	free(text);
}

static void test_demo_file_parses(void **state)
{
	(void)state;
	FILE *fp = fopen(SRCDIR "/data/demo/organisations.json", "rb");
	assert_non_null(fp);
	static char text[ORGS_FILE_MAX_BYTES];
	size_t n = fread(text, 1, sizeof text, fp);
	fclose(fp);
	struct orgs_file f;
	char err[800];
	if (orgs_parse_json(text, n, &f, err, sizeof err) != 0)
		fail_msg("demo file refused: %s", err);
	assert_true(f.norgs >= 1 + 12 + 24);
	assert_true(f.nevents >= 4);
	orgs_file_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_demo_file_parses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
