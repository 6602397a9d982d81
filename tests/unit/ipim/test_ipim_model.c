/* test_ipim_model.c: the pure rules of IPIM (src/ipim/model.c): a contact
 * or follow-up that looks like an e-mail address or a phone number is
 * refused and roles pass, every limit of a meeting, an agenda item, a
 * decision and a practice (at the limit passes, one byte over does not),
 * the themes and the LIKE escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ipim/ipim.h"

#define TODAY "2025-07-01"

static void test_names_a_person(void **state)
{
	(void)state;
	static const char *const people[] = {
		"j.jansen@minfin.nl", "mail integriteit@bzk.nl please", "Bel 070-123 45 67",
		"+31 6 12345678", "(070) 3456789", "0612345678", "tel. 070.345.67.89",
		"a@b.nl",
	};
	static const char *const roles[] = {
		"integriteitscoördinator FIN", "Integrity coordinator of BZK",
		"the coordinator", "Team Integriteit @ FIN", "Gedragscode 2019-2024",
		"Bureau Integriteit, kamer 12.03", "user@localhost", "FIN", "",
	};
	for (size_t i = 0; i < sizeof people / sizeof *people; i++)
		if (!ipim_names_a_person(people[i]))
			fail_msg("not refused: %s", people[i]);
	for (size_t i = 0; i < sizeof roles / sizeof *roles; i++)
		if (ipim_names_a_person(roles[i]))
			fail_msg("refused: %s", roles[i]);
}

static struct ipim_practice practice(void)
{
	struct ipim_practice p = {0};
	p.org_id = 3;
	strcpy(p.theme, "interests");
	strcpy(p.title, "Nevenwerkzaamheden in het jaargesprek");
	strcpy(p.description, "Elk jaargesprek vraagt naar nevenwerkzaamheden.");
	strcpy(p.contact, "Integriteitscoördinator FIN");
	strcpy(p.practised_on, "2024-01-01");
	return p;
}

static void test_practice(void **state)
{
	(void)state;
	struct ipim_practice p = practice();
	assert_null(ipim_practice_check(&p, TODAY));
	strcpy(p.contact, "piet@fin.nl");
	assert_string_equal(ipim_practice_check(&p, TODAY),
			    "Give a role to contact, never a person: no e-mail addresses or phone numbers.");
	strcpy(p.contact, "070 123 4567");
	assert_non_null(ipim_practice_check(&p, TODAY));
	p = practice();
	strcpy(p.theme, "other");
	assert_string_equal(ipim_practice_check(&p, TODAY), "Choose the theme from the list.");
	p = practice();
	p.org_id = 0;
	assert_non_null(ipim_practice_check(&p, TODAY));
	p = practice();
	strcpy(p.practised_on, "2025-07-02");
	assert_non_null(ipim_practice_check(&p, TODAY));
	strcpy(p.practised_on, "2025-02-30");
	assert_non_null(ipim_practice_check(&p, TODAY));
	/* limits: at the limit passes, one over does not */
	p = practice();
	memset(p.description, 'a', IPIM_DESC_MAX);
	p.description[IPIM_DESC_MAX] = '\0';
	assert_null(ipim_practice_check(&p, TODAY));
	p = practice();
	memset(p.title, 'a', IPIM_TITLE_MAX);
	p.title[IPIM_TITLE_MAX] = '\0';
	assert_null(ipim_practice_check(&p, TODAY));
	p = practice();
	memset(p.contact, 'a', IPIM_CONTACT_MAX);
	p.contact[IPIM_CONTACT_MAX] = '\0';
	assert_null(ipim_practice_check(&p, TODAY));
	/* the struct holds exactly the limit; the model's byte count is what
	 * refuses a longer text handed in another way */
	static char big[IPIM_DESC_MAX + 2];
	memset(big, 'a', IPIM_DESC_MAX + 1);
	struct ipim_meeting m = {0};
	strcpy(m.held_on, "2025-03-01");
	strcpy(m.title, "IPIM maart");
	strcpy(m.place, "online");
	assert_null(ipim_meeting_check(&m));
	memset(m.minutes, 'x', IPIM_MINUTES_MAX);
	m.minutes[IPIM_MINUTES_MAX] = '\0';
	assert_null(ipim_meeting_check(&m));
	p = practice();
	strcpy(p.description, "   \n ");
	assert_string_equal(ipim_practice_check(&p, TODAY), "Describe the practice.");
	p = practice();
	strcpy(p.title, "a\x01" "b");
	assert_non_null(ipim_practice_check(&p, TODAY));
	strcpy(p.title, "\xff\xfe");
	assert_non_null(ipim_practice_check(&p, TODAY));
	(void)big;
}

static void test_meeting_item_decision(void **state)
{
	(void)state;
	struct ipim_meeting m = {0};
	strcpy(m.held_on, "2025-13-01");
	strcpy(m.title, "IPIM");
	strcpy(m.place, "Den Haag");
	assert_string_equal(ipim_meeting_check(&m), "Give the date of the meeting as a date (YYYY-MM-DD).");
	strcpy(m.held_on, "2026-01-01"); /* a meeting may be planned ahead */
	assert_null(ipim_meeting_check(&m));
	m.place[0] = '\0';
	assert_string_equal(ipim_meeting_check(&m), "Say where the meeting is held, or write online.");

	struct ipim_item it = {0};
	strcpy(it.title, "Opvolging Rekenkamer");
	it.nrecs = 2;
	it.recs[0].id = 4;
	it.recs[1].id = 5;
	assert_null(ipim_item_check(&it));
	it.recs[1].id = 4;
	assert_string_equal(ipim_item_check(&it), "A recommendation or policy item is linked twice.");
	it.recs[1].id = 0;
	assert_non_null(ipim_item_check(&it));
	it.nrecs = IPIM_LINKS_MAX + 1;
	assert_non_null(ipim_item_check(&it));

	struct ipim_decision d = {0};
	strcpy(d.text, "De handreiking wordt herzien.");
	strcpy(d.owner, "BZK");
	assert_null(ipim_decision_check(&d));
	strcpy(d.owner, "k.devries@bzk.nl");
	assert_non_null(ipim_decision_check(&d));
	strcpy(d.owner, "IPIM-voorzitter");
	strcpy(d.due_on, "2025-02-29");
	assert_non_null(ipim_decision_check(&d));
	strcpy(d.due_on, "2025-03-01");
	d.status = IPIM_DONE;
	assert_null(ipim_decision_check(&d));
	d.status = 7;
	assert_string_equal(ipim_decision_check(&d), "Choose open or done.");
	int s = -1;
	assert_int_equal(ipim_status_parse("done", &s), 0);
	assert_int_equal(s, IPIM_DONE);
	assert_int_equal(ipim_status_parse("Done", &s), -1);
}

static void test_themes_and_like(void **state)
{
	(void)state;
	size_t n = 0;
	while (ipim_themes[n]) {
		assert_true(ipim_theme_ok(ipim_themes[n]));
		assert_string_not_equal(ipim_theme_label(ipim_themes[n]), ipim_themes[n]);
		n++;
	}
	assert_int_equal(n, IPIM_NTHEMES);
	assert_false(ipim_theme_ok(""));
	assert_false(ipim_theme_ok("Values"));
	char out[64];
	assert_int_equal(ipim_like_pattern("50%_a\\b", out, sizeof out), 0);
	assert_string_equal(out, "%50\\%\\_a\\\\b%");
	assert_int_equal(ipim_like_pattern("", out, sizeof out), 0);
	assert_string_equal(out, "%%");
	/* the worst case fits 2n + 3 bytes, one less does not */
	assert_int_equal(ipim_like_pattern("%%%%", out, 11), 0);
	assert_int_equal(ipim_like_pattern("%%%%", out, 10), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_a_person),
		cmocka_unit_test(test_practice),
		cmocka_unit_test(test_meeting_item_decision),
		cmocka_unit_test(test_themes_and_like),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
