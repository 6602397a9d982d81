/* test_ipim.c: IPIM against a real server (issue 7 item 7). An integrity
 * coordinator shares a practice for its own department and not for another
 * (404, nothing written) nor changes another department's (404), and an
 * IPIM member appointed at a department likewise; a manager
 * is refused (403); a contact that is an e-mail address comes back with its
 * message and the values as typed; Defence's practice is seen by Defence
 * only; the search finds by word, theme and department and takes '%' and
 * '_' literally; an IPIM member adds and edits a meeting, links a
 * recommendation and a policy item to an agenda item and records a
 * decision; a link to no such recommendation is refused with the values
 * kept and nothing written; readers read without the editors' links. The
 * tests run in order and build on each other. */
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

enum { ANNA, IVO, BOB, DIRK, OTTO, NOOR, MAX, ROOS, NUSERS };
static const char *const users[NUSERS] = {"anna", "ivo", "bob", "dirk", "otto", "noor", "max",
					  "roos"};
static const char *const roles[NUSERS] = {"coordinator", "integrity_coordinator",
					  "integrity_coordinator", "integrity_coordinator",
					  "auditor", "ipim_member", "manager", "ipim_member"};
static const char *const orgs[NUSERS] = {"RIJK", "FIN", "BZK", "DEF", "RIJK", "RIJK", "FIN",
					 "BZK"};

static struct client *cl[NUSERS];
static char *recovery[NUSERS];
static db_t *db;
static int64_t fin, bzk, def;

static int has(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

static int64_t q1(const char *sql, const char *param)
{
	int64_t n = -1;
	assert_int_equal(db_query_i64(db, sql, param, &n), 0);
	return n;
}

static const char *path(const char *fmt, int64_t id) __attribute__((format_arg(1)));
static const char *path(const char *fmt, int64_t id)
{
	static char b[8][200];
	static int i;
	i = (i + 1) % 8;
	const char *at = strstr(fmt, "%lld");
	if (!at)
		return fmt;
	snprintf(b[i], sizeof b[i], "%.*s%lld%s", (int)(at - fmt), fmt, (long long)id, at + 4);
	return b[i];
}

static struct team team = {
	.srv = &srv,
	.users = users,
	.roles = roles,
	.orgs = orgs,
	.n = NUSERS,
	.password = PW,
	.cl = cl,
	.recovery = recovery,
	.db = &db,
	.fin = &fin,
	.bzk = &bzk,
	.def = &def,
};

static long get(int who, const char *p, struct http_result *r)
{
	return team_get(&team, (size_t)who, p, r);
}

static long post(int who, const char *p, const char *fields, struct http_result *r)
{
	return team_post(&team, (size_t)who, p, fields, r);
}

static void post_status(int who, const char *p, const char *fields, long status)
{
	team_post_status(&team, (size_t)who, p, fields, status);
}

static void get_status(int who, const char *p, long status)
{
	team_get_status(&team, (size_t)who, p, status);
}

/* Every row of IPIM and its audit entries, as one number that changes
 * when anything is written. */
static int64_t written(void)
{
	return q1("SELECT (SELECT count(*) FROM ipim_meeting) + (SELECT count(*) FROM ipim_item)"
		  " + (SELECT count(*) FROM ipim_item_rec) + (SELECT count(*) FROM ipim_item_policy)"
		  " + (SELECT count(*) FROM ipim_decision) + (SELECT count(*) FROM ipim_practice)"
		  " + (SELECT count(*) FROM audit_log WHERE action LIKE 'ipim.%')"
		  " + (SELECT total(length(title) + length(note)) FROM ipim_item)"
		  " + (SELECT total(length(title) + length(minutes)) FROM ipim_meeting)"
		  " + (SELECT total(length(title) + length(org_id)) FROM ipim_practice)", NULL);
}

static const char *practice_fields(int64_t dept, const char *theme, const char *title,
				   const char *desc, const char *contact)
{
	static char f[1000];
	snprintf(f, sizeof f, "dept=%lld&theme=%s&title=%s&description=%s&contact=%s"
		 "&practised_on=2024-05-01", (long long)dept, theme, title, desc, contact);
	return f;
}

/* ---- who reads, who is refused ---- */

static void test_access(void **state)
{
	(void)state;
	struct http_result r;
	for (int who = 0; who < NUSERS; who++)
		get_status(who, "/ipim", who == MAX ? 403 : 200);
	get_status(MAX, "/ipim/praktijken", 403);
	assert_int_equal(get(IVO, "/ipim", &r), 200);
	assert_true(has(r.body, "href=\"/ipim\" aria-current=\"page\""));
	assert_true(has(r.body, "No meetings yet."));
	assert_false(has(r.body, "/ipim/vergaderingen/nieuw"));
	http_result_free(&r);
	assert_int_equal(get(NOOR, "/ipim", &r), 200);
	assert_true(has(r.body, "href=\"/ipim/vergaderingen/nieuw\""));
	http_result_free(&r);
	/* readers who change nothing */
	int64_t before = written();
	get_status(IVO, "/ipim/vergaderingen/nieuw", 403);
	post_status(IVO, "/ipim/vergaderingen", "held_on=2025-03-01&title=X&place=online&minutes=", 403);
	post_status(OTTO, "/ipim/vergaderingen", "held_on=2025-03-01&title=X&place=online&minutes=", 403);
	get_status(OTTO, "/ipim/praktijken/nieuw", 403);
	post_status(OTTO, "/ipim/praktijken",
		    practice_fields(fin, "values", "X", "Y", "Integriteitscoordinator"), 403);
	post_status(MAX, "/ipim/praktijken",
		    practice_fields(fin, "values", "X", "Y", "Integriteitscoordinator"), 403);
	assert_int_equal(written(), before);
}

/* ---- the good-practice library ---- */

static void test_practices(void **state)
{
	(void)state;
	struct http_result r;
	/* ivo's form offers FIN alone and says: a role, never a person */
	assert_int_equal(get(IVO, "/ipim/praktijken/nieuw", &r), 200);
	assert_true(has(r.body, "Financi"));
	assert_false(has(r.body, "Binnenlandse Zaken"));
	assert_true(has(r.body, "Never a person") && has(r.body, "e-mail address or phone number"));
	http_result_free(&r);
	post_status(IVO, "/ipim/praktijken",
		    practice_fields(fin, "interests", "Register+nevenwerk",
				    "Een+register+met+100%25+dekking", "Integriteitscoordinator+FIN"),
		    303);
	int64_t p_fin = q1("SELECT max(id) FROM ipim_practice", NULL);
	assert_int_equal(q1("SELECT org_id FROM ipim_practice WHERE id = (SELECT max(id) FROM ipim_practice)", NULL), fin);
	assert_int_equal(q1("SELECT count(*) FROM audit_log WHERE action = 'ipim.practice.add'", NULL), 1);

	/* not for another department: 404, nothing written */
	int64_t before = written();
	assert_int_equal(post(IVO, "/ipim/praktijken",
			      practice_fields(bzk, "values", "Van+BZK", "Y", "Coordinator"), &r), 404);
	http_result_free(&r);
	assert_int_equal(written(), before);
	/* nor another department's practice */
	get_status(BOB, path("/ipim/praktijken/%lld/bewerken", p_fin), 404);
	post_status(BOB, path("/ipim/praktijken/%lld", p_fin),
		    practice_fields(bzk, "values", "Overgenomen", "Y", "Coordinator"), 404);
	post_status(BOB, path("/ipim/praktijken/%lld", p_fin),
		    practice_fields(fin, "values", "Overgenomen", "Y", "Coordinator"), 404);
	assert_int_equal(written(), before);
	/* a contact that is a person: the form again, values as typed */
	assert_int_equal(post(IVO, "/ipim/praktijken",
			      practice_fields(fin, "values", "Mijn+%3Ctitel%3E", "Beschrijving",
					      "piet.jansen%40minfin.nl"), &r), 422);
	assert_true(has(r.body, "Give a role to contact, never a person: no e-mail addresses or phone numbers."));
	assert_true(has(r.body, "value=\"Mijn &lt;titel&gt;\""));
	assert_true(has(r.body, "value=\"piet.jansen@minfin.nl\""));
	http_result_free(&r);
	assert_int_equal(post(IVO, "/ipim/praktijken",
			      practice_fields(fin, "values", "Bellen", "Beschrijving",
					      "bel+070-123+45+67"), &r), 422);
	http_result_free(&r);
	assert_int_equal(written(), before);
	/* ivo edits its own */
	post_status(IVO, path("/ipim/praktijken/%lld", p_fin),
		    practice_fields(fin, "interests", "Register+nevenwerkzaamheden",
				    "Een+register+met+100%25+dekking", "Integriteitscoordinator+FIN"),
		    303);
	assert_int_equal(q1("SELECT count(*) FROM audit_log WHERE action = 'ipim.practice.update'", NULL), 1);

	/* the IPIM member for any department in scope, never Defence */
	post_status(NOOR, "/ipim/praktijken",
		    practice_fields(bzk, "prevention", "Meldpunt_intern", "Laagdrempelig+melden",
				    "Integriteitscoordinator+BZK"), 303);
	post_status(NOOR, "/ipim/praktijken",
		    practice_fields(bzk, "information", "Dilemmatraining",
				    "Elk+team+elk+jaar%3B+1000+deelnemers", "Team+Integriteit+BZK"), 303);
	before = written();
	post_status(NOOR, "/ipim/praktijken",
		    practice_fields(def, "values", "Defensie", "Y", "Coordinator"), 404);
	assert_int_equal(written(), before);
	/* an IPIM member appointed at BZK speaks for BZK alone */
	before = written();
	post_status(ROOS, "/ipim/praktijken",
		    practice_fields(fin, "values", "Voor+FIN", "Y", "Coordinator"), 404);
	assert_int_equal(written(), before);
	post_status(ROOS, "/ipim/praktijken",
		    practice_fields(bzk, "values", "Waardenspel", "Een+spel+over+waarden",
				    "IPIM-lid+BZK"), 303);
	/* Defence's own coordinator shares; only Defence sees it */
	post_status(DIRK, "/ipim/praktijken",
		    practice_fields(def, "abroad", "Uitzending", "Voorbereiding+op+uitzending",
				    "Integriteitscoordinator+DEF"), 303);
	assert_int_equal(get(IVO, "/ipim/praktijken", &r), 200);
	assert_true(has(r.body, "Practices found: 4"));
	assert_false(has(r.body, "Uitzending"));
	assert_false(has(r.body, "Defensie"));
	/* ivo may change its own, not the others' */
	assert_true(has(r.body, path("href=\"/ipim/praktijken/%lld/bewerken\"", p_fin)));
	http_result_free(&r);
	assert_int_equal(get(NOOR, "/ipim/praktijken", &r), 200);
	assert_true(has(r.body, "Practices found: 4"));
	http_result_free(&r);
	assert_int_equal(get(DIRK, "/ipim/praktijken", &r), 200);
	assert_true(has(r.body, "Practices found: 5"));
	assert_true(has(r.body, "Uitzending"));
	http_result_free(&r);
}

static void expect_found(const char *query, const char *count, const char *title)
{
	struct http_result r;
	if (get(OTTO, query, &r) != 200 || !has(r.body, count) || (title && !has(r.body, title)))
		fail_msg("%s: %ld, wanted '%s' with '%s'", query, r.status, count, title ? title : "");
	http_result_free(&r);
}

static void test_search(void **state)
{
	(void)state;
	struct http_result r;
	expect_found("/ipim/praktijken?q=dilemma", "Practices found: 1", "Dilemmatraining");
	expect_found("/ipim/praktijken?q=REGISTER", "Practices found: 1", "Register nevenwerkzaamheden");
	expect_found("/ipim/praktijken?thema=prevention", "Practices found: 1", "Meldpunt_intern");
	expect_found("/ipim/praktijken?ministerie=BZK", "Practices found: 3", NULL);
	expect_found("/ipim/praktijken?q=melden&thema=prevention&ministerie=BZK", "Practices found: 1", NULL);
	expect_found("/ipim/praktijken?q=melden&thema=values", "Practices found: 0", NULL);
	/* '%' and '_' are the characters, not LIKE's wildcards */
	expect_found("/ipim/praktijken?q=100%25", "Practices found: 1", "Register nevenwerkzaamheden");
	expect_found("/ipim/praktijken?q=%25", "Practices found: 1", NULL);
	expect_found("/ipim/praktijken?q=_", "Practices found: 1", "Meldpunt_intern");
	expect_found("/ipim/praktijken?q=10_0", "Practices found: 0", NULL);
	/* Defence by code is no choice for the auditor */
	assert_int_equal(get(OTTO, "/ipim/praktijken?ministerie=DEF", &r), 422);
	assert_true(has(r.body, "Choose the department from the list."));
	http_result_free(&r);
	assert_int_equal(get(OTTO, "/ipim/praktijken?thema=anders", &r), 422);
	http_result_free(&r);
	char longq[300];
	snprintf(longq, sizeof longq, "/ipim/praktijken?q=%0201d", 0);
	assert_int_equal(get(OTTO, longq, &r), 422);
	assert_true(has(r.body, "Search for at most 200 characters."));
	http_result_free(&r);
	get_status(OTTO, "/ipim/praktijken?pagina=0", 422);
}

/* ---- meetings ---- */

static void test_meetings(void **state)
{
	(void)state;
	struct http_result r;
	/* a recommendation and a policy item to link, by the coordinator */
	post_status(ANNA, "/aanbevelingen/bronnen",
		    "kind=court_of_audit&title=Integriteit+als+basis&reference=&issued_on=2024-09-25"
		    "&round=&link=", 303);
	int64_t src = q1("SELECT max(id) FROM rec_source", NULL);
	post_status(ANNA, path("/aanbevelingen/bronnen/%lld/aanbevelingen", src),
		    "number=1&text=Zorg+voor+zicht+op+de+werking&report_due=", 303);
	int64_t rec = q1("SELECT max(id) FROM recommendation", NULL);
	post_status(ANNA, "/beleid", "title=Toetsingskader&kind=framework&version=&description="
		    "&stage=development&development_on=2024-01-01&adopted_on=&implemented_on="
		    "&evaluated_on=", 303);
	int64_t pol = q1("SELECT max(id) FROM policy_item", NULL);

	/* the IPIM member adds a meeting, refused first without a place */
	int64_t before = written();
	assert_int_equal(post(NOOR, "/ipim/vergaderingen",
			      "held_on=2025-03-12&title=IPIM+maart&place=&minutes=", &r), 422);
	assert_true(has(r.body, "Say where the meeting is held, or write online."));
	assert_true(has(r.body, "value=\"IPIM maart\""));
	http_result_free(&r);
	assert_int_equal(written(), before);
	post_status(NOOR, "/ipim/vergaderingen", "held_on=2025-03-12&title=IPIM+maart&place=online&minutes=", 303);
	int64_t m = q1("SELECT max(id) FROM ipim_meeting", NULL);
	/* and edits it */
	get_status(NOOR, path("/ipim/vergaderingen/%lld/bewerken", m), 200);
	post_status(NOOR, path("/ipim/vergaderingen/%lld", m),
		    "held_on=2025-03-12&title=IPIM+maart+2025&place=Den+Haag"
		    "&minutes=Besproken%3A+de+opvolging+van+de+Rekenkamer.", 303);
	assert_int_equal(q1("SELECT count(*) FROM ipim_meeting WHERE title = 'IPIM maart 2025' AND "
			    "place = 'Den Haag' AND minutes LIKE 'Besproken:%'", NULL), 1);
	assert_int_equal(q1("SELECT count(*) FROM audit_log WHERE action = 'ipim.meeting.update'", NULL), 1);

	/* an agenda item linking the recommendation and the policy item */
	assert_int_equal(get(NOOR, path("/ipim/vergaderingen/%lld/agendapunten/nieuw", m), &r), 200);
	assert_true(has(r.body, "Zorg voor zicht"));
	assert_true(has(r.body, "Toetsingskader"));
	http_result_free(&r);
	char f[300];
	snprintf(f, sizeof f, "title=Opvolging+Rekenkamer&note=Stand+van+zaken&rec=%lld&policy=%lld",
		 (long long)rec, (long long)pol);
	post_status(NOOR, path("/ipim/vergaderingen/%lld/agendapunten", m), f, 303);
	int64_t item = q1("SELECT max(id) FROM ipim_item", NULL);
	assert_int_equal(q1("SELECT count(*) FROM ipim_item_rec", NULL), 1);
	assert_int_equal(q1("SELECT count(*) FROM ipim_item_policy", NULL), 1);

	/* a link to no such recommendation: refused, values kept, nothing written */
	before = written();
	snprintf(f, sizeof f, "title=Nieuw+%%3Cpunt%%3E&note=Mijn+notitie&rec=%lld", (long long)rec + 1000);
	assert_int_equal(post(NOOR, path("/ipim/vergaderingen/%lld/agendapunten", m), f, &r), 422);
	assert_true(has(r.body, "There is no such recommendation: choose from the list."));
	assert_true(has(r.body, "value=\"Nieuw &lt;punt&gt;\""));
	assert_true(has(r.body, "Mijn notitie</textarea>"));
	http_result_free(&r);
	snprintf(f, sizeof f, "title=Gewijzigd&note=&rec=%lld&rec=%lld", (long long)rec,
		 (long long)rec + 1000);
	assert_int_equal(post(NOOR, path("/ipim/agendapunten/%lld", item), f, &r), 422);
	assert_true(has(r.body, "value=\"Gewijzigd\""));
	http_result_free(&r);
	assert_int_equal(written(), before);
	assert_int_equal(q1("SELECT count(*) FROM ipim_item WHERE title = 'Opvolging Rekenkamer'", NULL), 1);

	/* a decision, then done */
	post_status(NOOR, path("/ipim/agendapunten/%lld/besluiten", item),
		    "text=BZK+herziet+de+handreiking.&owner=BZK&due_on=2025-12-01&status=open", 303);
	int64_t dec = q1("SELECT max(id) FROM ipim_decision", NULL);
	before = written();
	post_status(NOOR, path("/ipim/agendapunten/%lld/besluiten", item),
		    "text=Iets&owner=jan%40bzk.nl&due_on=&status=open", 422);
	assert_int_equal(written(), before);
	post_status(ANNA, path("/ipim/besluiten/%lld", dec),
		    "text=BZK+herziet+de+handreiking.&owner=BZK&due_on=2025-12-01&status=done", 303);
	assert_int_equal(q1("SELECT count(*) FROM ipim_decision WHERE status = 'done'", NULL), 1);

	/* a reader sees it all, without the editors' links */
	assert_int_equal(get(IVO, path("/ipim/vergaderingen/%lld", m), &r), 200);
	assert_true(has(r.body, "IPIM maart 2025"));
	assert_true(has(r.body, "Besproken: de opvolging van de Rekenkamer."));
	assert_true(has(r.body, path("href=\"/aanbevelingen/%lld\"", rec)));
	assert_true(has(r.body, path("href=\"/beleid/%lld\"", pol)));
	assert_true(has(r.body, "BZK herziet de handreiking."));
	assert_true(has(r.body, ">done"));
	assert_false(has(r.body, "/bewerken"));
	http_result_free(&r);
	assert_int_equal(get(NOOR, path("/ipim/vergaderingen/%lld", m), &r), 200);
	assert_true(has(r.body, path("href=\"/ipim/besluiten/%lld/bewerken\"", dec)));
	http_result_free(&r);
	before = written();
	post_status(IVO, path("/ipim/vergaderingen/%lld", m), "held_on=2025-03-12&title=X&place=online&minutes=", 403);
	post_status(OTTO, path("/ipim/besluiten/%lld", dec), "text=X&owner=FIN&due_on=&status=open", 403);
	assert_int_equal(written(), before);
	get_status(NOOR, "/ipim/vergaderingen/99999", 404);
	get_status(NOOR, "/ipim/agendapunten/99999/bewerken", 404);
	post_status(NOOR, "/ipim/agendapunten/99999/besluiten", "text=X&owner=FIN&due_on=&status=open", 404);
	assert_int_equal(written(), before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_access),
		cmocka_unit_test(test_practices),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_meetings),
	};
	return team_run_group_tests(&team, tests);
}
