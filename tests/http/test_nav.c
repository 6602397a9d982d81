/* test_nav.c: the navigation by role (src/app/frame.c) against a real
 * `probity serve`: the main bar shows a section once when the viewer has
 * several of its pages, the section being shown lists its pages in a second
 * bar, a section with one page is that page's own link, and no link leads
 * where the viewer may not go. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "harness_team.h"
#include "store/db.h"

static struct server srv;

#define PW "lange zin over tulpen 42"

enum { ANNA, IVO, IDA, NUSERS };
static const char *const users[NUSERS] = {"anna", "ivo", "ida"};
static const char *const roles[NUSERS] = {"coordinator", "integrity_coordinator",
					  "investigator"};
static const char *const orgs[NUSERS] = {"RIJK", "FIN", "FIN"};

static struct client *cl[NUSERS];
static db_t *db;

static struct team team = {
	.srv = &srv,
	.users = users,
	.roles = roles,
	.orgs = orgs,
	.n = NUSERS,
	.password = PW,
	.cl = cl,
	.db = &db,
};

/* The part of body from the nav labelled label to its end, or NULL. */
static char *nav_of(const char *body, const char *label)
{
	char open[120];
	snprintf(open, sizeof open, "aria-label=\"%s\">", label);
	const char *a = body ? strstr(body, open) : NULL;
	const char *b = a ? strstr(a, "</nav>") : NULL;
	return b ? strndup(a, (size_t)(b - a)) : NULL;
}

static int has(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *s = hay; s && (s = strstr(s, needle)); s += strlen(needle))
		n++;
	return n;
}

/* The coordinator: three sections' worth of pages in one short bar. */
static void test_coordinator(void **state)
{
	(void)state;
	struct http_result r;
	assert_int_equal(team_get(&team, ANNA, "/start/coordinator", &r), 200);
	char *main = nav_of(r.body, "Main navigation");
	if (!main) {
		fail_msg("no main navigation: %s", r.body);
		return;
	}
	assert_true(has(main, "href=\"/zelfevaluaties\">Risks and assessment</a>"));
	assert_true(has(main, "href=\"/monitor\">Monitoring and policy</a>"));
	assert_false(has(main, "Reports and cases"));   /* no case work at all */
	assert_false(has(main, ">Culture<"));            /* inside its section */
	assert_true(has(main, "href=\"/start\" aria-current=\"page\">Start</a>"));
	assert_int_equal(count(main, "<li"), 4);         /* start, two sections, account */
	free(main);
	assert_false(has(r.body, "Section navigation")); /* the start page is in none */
	http_result_free(&r);

	/* inside a section: the section is marked, its pages listed, the page current */
	assert_int_equal(team_get(&team, ANNA, "/cultuur", &r), 200);
	main = nav_of(r.body, "Main navigation");
	char *sub = nav_of(r.body, "Section navigation");
	if (!main || !sub) {
		fail_msg("navigation missing: %s", r.body);
		free(main);
		return;
	}
	assert_true(has(main, "href=\"/monitor\" aria-current=\"true\">Monitoring and policy</a>"));
	assert_false(has(main, "aria-current=\"page\""));
	static const char *const pages[] = {"/monitor", "/jaarverslag", "/cultuur",
					    "/aanbevelingen", "/beleid", "/ipim"};
	for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
		char want[64];
		snprintf(want, sizeof want, "href=\"%s\"", pages[i]);
		if (!has(sub, want))
			fail_msg("%s not in the section: %s", pages[i], sub);
	}
	assert_true(has(sub, "href=\"/cultuur\" aria-current=\"page\">Culture</a>"));
	assert_int_equal(count(sub, "aria-current"), 1);
	assert_false(has(sub, "/zelfevaluaties"));       /* another section's page */
	free(main);
	free(sub);
	http_result_free(&r);
	/* a page under a section's page is in it too */
	assert_int_equal(team_get(&team, ANNA, "/ipim/praktijken", &r), 200);
	assert_true(has(r.body, "href=\"/ipim\" aria-current=\"page\">IPIM</a>"));
	http_result_free(&r);
}

/* A department's integrity coordinator: cases, control and monitoring, but
 * none of the coordinator's own pages. */
static void test_integrity_coordinator(void **state)
{
	(void)state;
	struct http_result r;
	assert_int_equal(team_get(&team, IVO, "/zaken", &r), 200);
	char *main = nav_of(r.body, "Main navigation");
	char *sub = nav_of(r.body, "Section navigation");
	if (!main || !sub) {
		fail_msg("navigation missing: %s", r.body);
		free(main);
		return;
	}
	assert_true(has(main, "href=\"/meldingen\" aria-current=\"true\">Reports and cases</a>"));
	assert_true(has(main, ">Risks and assessment</a>"));
	assert_true(has(main, ">Monitoring and policy</a>"));
	assert_true(has(sub, "href=\"/meldingen\">Inbox</a>"));
	assert_true(has(sub, "href=\"/zaken\" aria-current=\"page\">Cases</a>"));
	assert_true(has(sub, "href=\"/termijnen\">Due and overdue</a>"));
	assert_false(has(sub, "/registreren"));          /* a manager's page */
	free(main);
	free(sub);
	http_result_free(&r);
	assert_int_equal(team_get(&team, IVO, "/cultuur", &r), 200);
	sub = nav_of(r.body, "Section navigation");
	assert_true(has(sub, "href=\"/jaarverslag\""));
	assert_false(has(sub, "href=\"/monitor\""));     /* the dashboard is not theirs */
	free(sub);
	http_result_free(&r);
}

/* An investigator has one page of the control section: its own link. */
static void test_single_page_section(void **state)
{
	(void)state;
	struct http_result r;
	assert_int_equal(team_get(&team, IDA, "/kaders", &r), 200);
	char *main = nav_of(r.body, "Main navigation");
	if (!main) {
		fail_msg("no main navigation: %s", r.body);
		return;
	}
	assert_true(has(main, "href=\"/kaders\" aria-current=\"page\">Frameworks</a>"));
	assert_false(has(main, "Risks and assessment"));
	assert_false(has(main, "Monitoring and policy"));
	assert_true(has(main, ">Reports and cases</a>"));
	free(main);
	assert_false(has(r.body, "Section navigation"));
	http_result_free(&r);
	assert_int_equal(team_get(&team, IDA, "/zaken", &r), 200);
	char *sub = nav_of(r.body, "Section navigation");
	assert_true(has(sub, "href=\"/zaken\" aria-current=\"page\">Cases</a>"));
	assert_false(has(sub, "/meldingen"));            /* no inbox for an investigator */
	free(sub);
	http_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_coordinator),
		cmocka_unit_test(test_integrity_coordinator),
		cmocka_unit_test(test_single_page_section),
	};
	return team_run_group_tests(&team, tests);
}
