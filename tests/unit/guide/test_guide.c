/* test_guide.c: the guide reader (src/guide/guide.c): the shipped file
 * parses, is the one embedded, and says what the page needs (what to do,
 * what not, whom to involve); every malformed part is refused with a
 * message naming where; the contacts for an organisation come in the
 * order code, department, everyone, without regard to case. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "guide/guide.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = malloc(GUIDE_MAX_BYTES + 1);
	*len = fread(buf, 1, GUIDE_MAX_BYTES + 1, f);
	fclose(f);
	buf[*len] = 0;
	return buf;
}

static void test_shipped(void **state)
{
	(void)state;
	size_t len;
	char err[400];
	struct guide g;
	char *text = slurp(SRCDIR "/data/guides/melding-ontvangen.json", &len);
	if (guide_parse(text, len, &g, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_string_equal(g.id, GUIDE_RECEIVED);
	assert_true(g.revision >= 1);
	assert_int_equal(g.nsections, 3);
	assert_string_equal(g.sections[0].id, "nu");
	assert_string_equal(g.sections[1].id, "niet");
	assert_string_equal(g.sections[2].id, "betrekken");
	for (size_t i = 0; i < g.nsections; i++) {
		assert_true(g.sections[i].nitems >= 3);
		for (size_t k = 0; k < g.sections[i].nitems; k++) {
			assert_non_null(g.sections[i].items[k].title.nl);
			assert_non_null(g.sections[i].items[k].text.en);
		}
	}
	assert_string_equal(guide_text(&g.title, "en"), "Someone told me about suspected wrongdoing");
	assert_string_equal(guide_text(&g.title, "nl"), g.title.nl);
	assert_string_equal(guide_text(&g.title, "fr"), g.title.nl);
	/* the shipped contacts are for everyone: no made-up contact of a real
	 * ministry */
	for (size_t i = 0; i < g.ncontacts; i++)
		assert_string_equal(g.contacts[i].org, "*");
	/* and it is what the program carries */
	assert_int_equal(guide_init(err, sizeof err), 0);
	const struct guide *e = guide_find(GUIDE_RECEIVED);
	assert_non_null(e);
	assert_int_equal(e->revision, g.revision);
	assert_string_equal(e->title.nl, g.title.nl);
	assert_null(guide_find("no-such-guide"));
	assert_null(guide_find(NULL));
	guide_free(&g);
	guide_free(&g);  /* harmless twice */
	free(text);
}

#define HEAD "{\"format\": \"probity-guide\", \"version\": 1, \"id\": \"g\", \"revision\": 1, " \
	     "\"title\": {\"nl\": \"T\", \"en\": \"T\"}, \"intro\": {\"nl\": \"I\", \"en\": \"I\"}, "
#define SECTION "{\"id\": \"s\", \"title\": {\"nl\": \"S\", \"en\": \"S\"}, \"items\": " \
		"[{\"title\": {\"nl\": \"a\", \"en\": \"a\"}, \"text\": {\"nl\": \"b\", \"en\": \"b\"}}]}"
#define NAME "\"name\": {\"nl\": \"N\", \"en\": \"N\"}"

static const char minimal[] = HEAD "\"sections\": [" SECTION "]}";

static void test_minimal_and_contacts(void **state)
{
	(void)state;
	char err[400];
	struct guide g;
	if (guide_parse(minimal, sizeof minimal - 1, &g, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(g.ncontacts, 0);
	const struct guide_contact *c[8];
	assert_int_equal(guide_contacts_for(&g, "FIN", NULL, c, 8), 0);
	guide_free(&g);

	static const char with[] = HEAD "\"sections\": [" SECTION "], \"contacts\": ["
		"{\"org\": \"*\", " NAME ", \"url\": \"https://www.example.nl/a?b=c\"},"
		"{\"org\": \"fin\", " NAME ", \"phone\": \"+31 (0)70 123-4567\"},"
		"{\"org\": \"FIN-DGB\", " NAME ", \"email\": \"integriteit@dgb.example.nl\", "
		"\"note\": {\"nl\": \"n\", \"en\": \"n\"}},"
		"{\"org\": \"BZK\", " NAME ", \"phone\": \"112\"},"
		"{\"org\": \"FIN\", " NAME ", \"phone\": \"113\"}]}";
	if (guide_parse(with, sizeof with - 1, &g, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(g.ncontacts, 5);
	/* a unit: its own, its department's (both, in file order), everyone's */
	size_t n = guide_contacts_for(&g, "fin-dgb", "FIN", c, 8);
	assert_int_equal(n, 4);
	assert_string_equal(c[0]->org, "FIN-DGB");
	assert_string_equal(c[0]->email, "integriteit@dgb.example.nl");
	assert_string_equal(c[0]->note.en, "n");
	assert_string_equal(c[1]->org, "fin");
	assert_string_equal(c[2]->phone, "113");
	assert_string_equal(c[3]->org, "*");
	/* a department: its own and everyone's; never another's */
	n = guide_contacts_for(&g, "BZK", NULL, c, 8);
	assert_int_equal(n, 2);
	assert_string_equal(c[0]->phone, "112");
	/* the same code as department is not listed twice */
	assert_int_equal(guide_contacts_for(&g, "FIN", "FIN", c, 8), 3);
	/* nothing chosen: everyone's only; cap holds */
	assert_int_equal(guide_contacts_for(&g, NULL, NULL, c, 8), 1);
	assert_int_equal(guide_contacts_for(&g, "FIN-DGB", "FIN", c, 2), 2);
	/* "*" given as a code is not a wildcard for the rest */
	assert_int_equal(guide_contacts_for(&g, "*", NULL, c, 8), 1);
	guide_free(&g);
}

static void refused(const char *text, const char *want)
{
	char err[400];
	struct guide g;
	memset(err, 'x', sizeof err);
	if (guide_parse(text, strlen(text), &g, err, sizeof err) == 0) {
		guide_free(&g);
		fail_msg("accepted: %s", text);
	}
	if (!strstr(err, want))
		fail_msg("error '%s' lacks '%s' for %s", err, want, text);
	assert_null(g.sections);
	assert_null(g.mem);
	for (const char *c = err; *c; c++)
		assert_true((unsigned char)*c >= 0x20 && (unsigned char)*c < 0x7f);
}

static void test_refused(void **state)
{
	(void)state;
	refused("", "line");
	refused("[]", "must be an object");
	refused("{\"format\": \"probity-guide\", \"version\": 2}", "version");
	refused("{\"format\": \"probity-protocol\", \"version\": 1}", "format");
	refused(HEAD "\"sections\": [" SECTION "], \"extra\": 1}", "unknown field \"extra\"");
	refused(HEAD "\"sections\": [" SECTION "], \"sections\": []}", "duplicate");
	refused(HEAD "\"sections\": []}", "\"sections\" must have 1 to 10");
	refused(HEAD "\"contacts\": []}", "lacks the field \"sections\"");
	refused("{\"format\": \"probity-guide\", \"version\": 1, \"id\": \"Bad Id\", \"revision\": 1,"
		" \"sections\": [" SECTION "]}", "id: must be 1-32");
	refused("{\"format\": \"probity-guide\", \"version\": 1, \"id\": \"g\", \"revision\": 0,"
		" \"sections\": [" SECTION "]}", "revision");
	refused("{\"format\": \"probity-guide\", \"version\": 1, \"id\": \"g\", \"revision\": 1,"
		" \"intro\": {\"nl\": \"I\", \"en\": \"I\"}, \"sections\": [" SECTION "]}",
		"lacks the field \"title\"");
	refused(HEAD "\"sections\": [" SECTION ", " SECTION "]}", "used twice");
	refused(HEAD "\"sections\": [{\"id\": \"s\", \"title\": {\"nl\": \"S\", \"en\": \"S\"}, "
		"\"items\": []}]}", "\"items\" must have 1 to 20");
	refused(HEAD "\"sections\": [{\"id\": \"s\", \"title\": {\"nl\": \"S\"}, \"items\": []}]}",
		"sections[0].title: lacks the field \"en\"");
	refused(HEAD "\"sections\": [{\"id\": \"s\", \"title\": {\"nl\": \" S\", \"en\": \"S\"}, "
		"\"items\": []}]}", "sections[0].title.nl: must not start or end with a space");
	refused(HEAD "\"sections\": [{\"id\": \"s\", \"title\": {\"nl\": \"a\\tb\", \"en\": \"S\"}, "
		"\"items\": []}]}", "control characters");
	refused(HEAD "\"sections\": [{\"id\": \"s\", \"title\": {\"nl\": \"\", \"en\": \"S\"}, "
		"\"items\": []}]}", "must not be empty");
	refused(HEAD "\"sections\": [{\"id\": \"s\", \"title\": {\"nl\": \"a\\u0000b\", \"en\": "
		"\"S\"}, \"items\": []}]}", "NUL");
	refused(HEAD "\"sections\": [{\"id\": \"s\", \"title\": {\"nl\": \"S\", \"en\": \"S\", "
		"\"de\": \"S\"}, \"items\": []}]}", "unknown field \"de\"");
	refused(HEAD "\"sections\": [{\"id\": \"s\", \"title\": {\"nl\": \"S\", \"en\": \"S\"}, "
		"\"items\": [{\"title\": {\"nl\": \"a\", \"en\": \"a\"}}]}]}",
		"sections[0].items[0]: lacks the field \"text\"");
	refused(HEAD "\"sections\": [" SECTION "], \"contacts\": [{\"org\": \"*\", " NAME "}]}",
		"contacts[0]: needs a phone, email or url");
	refused(HEAD "\"sections\": [" SECTION "], \"contacts\": [{\"org\": \"F I N\", " NAME
		", \"phone\": \"112\"}]}", "contacts[0].org: must be an organisation code");
	refused(HEAD "\"sections\": [" SECTION "], \"contacts\": [{\"org\": \"FIN\", " NAME
		", \"phone\": \"12\"}]}", "contacts[0].phone");
	refused(HEAD "\"sections\": [" SECTION "], \"contacts\": [{\"org\": \"FIN\", " NAME
		", \"phone\": \"070-1234 ext. 5\"}]}", "contacts[0].phone");
	refused(HEAD "\"sections\": [" SECTION "], \"contacts\": [{\"org\": \"FIN\", " NAME
		", \"email\": \"a@b\\r\\nBcc: c@d\"}]}", "contacts[0].email");
	refused(HEAD "\"sections\": [" SECTION "], \"contacts\": [{\"org\": \"FIN\", " NAME
		", \"url\": \"javascript:alert(1)\"}]}", "contacts[0].url");
	refused(HEAD "\"sections\": [" SECTION "], \"contacts\": [{\"org\": \"FIN\", " NAME
		", \"url\": \"http://example.nl\"}]}", "contacts[0].url");
	refused(HEAD "\"sections\": [" SECTION "], \"contacts\": [{\"org\": \"FIN\", " NAME
		", \"url\": \"https://example.nl/\\\"onmouseover=x\"}]}", "contacts[0].url");
	refused(HEAD "\"sections\": [" SECTION "], \"contacts\": [{\"org\": \"FIN\", " NAME
		", \"phone\": \"112\", \"fax\": \"113\"}]}", "unknown field \"fax\"");
	refused(HEAD "\"sections\": [" SECTION "], \"contacts\": {}}", "must be a list");
	/* too large */
	size_t big = GUIDE_MAX_BYTES + 10;
	char *t = malloc(big + 1);
	memset(t, ' ', big);
	t[big] = 0;
	refused(t, "larger than");
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_minimal_and_contacts),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
