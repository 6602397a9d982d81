/* test_guide.c: the guide "someone told me about a suspected wrongdoing"
 * (GET /hulp/melding-ontvangen, src/guide) against a real server: public,
 * in Dutch by default and in English; the organisation chooser; for an
 * organisation its integrity coordinators and confidential advisers by name
 * and role (a unit gets its department's, never another department's), and
 * the data file's contacts; never an account's e-mail address; an unknown
 * or overlong code answered 404 with the chooser; names escaped; the link
 * to register only for those who may; linked from the manager's start page
 * and from /registreren. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "harness.h"

static struct server srv;

#define PW "lange zin over tulpen 42"
#define PATH "/hulp/melding-ontvangen"

enum { IVO, VERA, BOB, MAX, NUSERS };
static const char *const users[NUSERS] = {"ivo", "vera", "bob", "max"};
static const char *const names[NUSERS] = {"Ivo Integer", "Vera <Vertrouwens> & Co",
					  "Bob Binnenland", "Max Manager"};
static const char *const roles[NUSERS] = {"integrity_coordinator", "confidential_adviser",
					  "integrity_coordinator", "manager"};
static const char *const orgs[NUSERS] = {"FIN", "FIN", "BZK", "FIN"};

static int has(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

static int setup(void **state)
{
	(void)state;
	signal(SIGPIPE, SIG_IGN);
	if (sodium_init() < 0 || server_start(&srv) != 0)
		return -1;
	const char *dgb[] = {"org", "add", "FIN-DGB", "--name", "Belastingdienst", "--kind",
			     "unit", "--parent", "FIN", "--from", "2020-01-01", NULL};
	const char *bzk[] = {"org", "add", "BZK", "--name", "Binnenlandse <Zaken>", "--parent",
			     "RIJK", "--from", "2020-01-01", NULL};
	if (server_add_rijk_fin(&srv) || server_cli(&srv, dgb) || server_cli(&srv, bzk))
		return -1;
	for (int i = 0; i < NUSERS; i++)
		if (server_add_user(&srv, users[i], names[i], roles[i], orgs[i], PW))
			return -1;
	/* an address for reminders: never on this page */
	const char *email[] = {"user", "email", "ivo", "ivo.integer@fin.example.nl", NULL};
	return server_cli(&srv, email);
}

static int teardown(void **state)
{
	(void)state;
	return server_stop(&srv) == 0 ? 0 : -1;
}

static void test_public_in_both_languages(void **state)
{
	(void)state;
	struct client *c = client_new(&srv);
	struct http_result r;
	/* no sign-in needed, Dutch by default */
	assert_int_equal(client_get(c, PATH, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.body, "Iemand vertelde mij over een vermoeden van een misstand"));
	assert_true(has(r.body, "Wat u nu doet"));
	assert_true(has(r.body, "Wat u niet doet"));
	assert_true(has(r.body, "Wie u erbij haalt"));
	/* the chooser lists the organisations alive today, units indented */
	assert_true(has(r.body, "<option value=\"FIN\">&nbsp;&nbsp;&nbsp;Financi"));
	assert_true(has(r.body, "<option value=\"FIN-DGB\">&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;"
			       "Belastingdienst</option>"));
	assert_true(has(r.body, "method=\"get\""));
	/* nobody is named before an organisation is chosen; the contacts for
	 * everyone are there */
	assert_false(has(r.body, "Ivo Integer"));
	assert_true(has(r.body, "huisvoorklokkenluiders.nl"));
	/* a visitor may not register: no link to it */
	assert_false(has(r.body, "href=\"/registreren\""));
	assert_true(has(r.body, "href=\"/melden\""));
	http_result_free(&r);
	/* in English after the language switch (a cookie for a visitor) */
	client_set_cookie(c, "probity_lang", "en");
	assert_int_equal(client_get(c, PATH, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.body, "Someone told me about suspected wrongdoing"));
	assert_true(has(r.body, "Do not investigate yourself"));
	assert_true(has(r.body, "Whom to involve"));
	http_result_free(&r);
	client_free(c);
}

static void test_contacts_of_an_organisation(void **state)
{
	(void)state;
	struct client *c = client_new(&srv);
	struct http_result r;
	client_set_cookie(c, "probity_lang", "en");
	assert_int_equal(client_get(c, PATH "?org=FIN", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.body, "Contacts at Financi"));
	assert_true(has(r.body, "<option value=\"FIN\" selected>"));
	assert_true(has(r.body, "Ivo Integer, Integrity coordinator</li>"));
	/* names are escaped */
	assert_true(has(r.body, "Vera &lt;Vertrouwens&gt; &amp; Co, Confidential adviser</li>"));
	assert_false(has(r.body, "<Vertrouwens>"));
	/* another department's coordinator, a manager and any address: never */
	assert_false(has(r.body, "Bob Binnenland"));
	assert_false(has(r.body, "Max Manager"));
	assert_false(has(r.body, "ivo.integer@"));
	assert_true(has(r.body, "phone 112"));
	http_result_free(&r);
	/* a unit: its department's people, with where they hold the role; the
	 * code in any case */
	assert_int_equal(client_get(c, PATH "?org=fin-dgb", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.body, "Contacts at Belastingdienst"));
	assert_true(has(r.body, "Ivo Integer, Integrity coordinator (FIN)</li>"));
	http_result_free(&r);
	/* an organisation whose people have no account here */
	assert_int_equal(client_get(c, PATH "?org=RIJK", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.body, "No integrity coordinator or confidential adviser of this "
			       "organisation has an account here yet"));
	http_result_free(&r);
	/* BZK: its own coordinator, its escaped name */
	assert_int_equal(client_get(c, PATH "?org=BZK", &r), 0);
	assert_true(has(r.body, "Contacts at Binnenlandse &lt;Zaken&gt;"));
	assert_true(has(r.body, "Bob Binnenland, Integrity coordinator</li>"));
	assert_false(has(r.body, "Ivo Integer"));
	http_result_free(&r);
	/* unknown, overlong, odd: 404 with the chooser and the guide itself */
	static const char *const bad[] = {PATH "?org=NOPE", PATH "?org=%3Cscript%3E",
					  PATH "?org=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(client_get(c, bad[i], &r), 0);
		assert_int_equal(r.status, 404);
		assert_true(has(r.body, "No organisation has that code today"));
		assert_true(has(r.body, "Do not investigate yourself"));
		assert_false(has(r.body, "<script>"));
		assert_false(has(r.body, "Ivo Integer"));
		http_result_free(&r);
	}
	/* an empty choice is no choice */
	assert_int_equal(client_get(c, PATH "?org=", &r), 0);
	assert_int_equal(r.status, 200);
	http_result_free(&r);
	/* GET only */
	assert_int_equal(client_post(c, PATH, "org=FIN", &r), 0);
	assert_true(r.status == 405 || r.status == 403);
	http_result_free(&r);
	client_free(c);
}

static void test_linked_for_managers(void **state)
{
	(void)state;
	struct client *c = client_new(&srv);
	struct http_result r;
	assert_int_equal(client_sign_in(c, "max", PW, NULL, NULL), 0);
	assert_int_equal(client_set_lang(c, "en"), 0);
	assert_int_equal(client_get(c, "/start/manager", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.body, "href=\"" PATH "\""));
	assert_true(has(r.body, "Someone told me about suspected wrongdoing: what to do now"));
	http_result_free(&r);
	assert_int_equal(client_get(c, "/registreren", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.body, "href=\"" PATH "\""));
	http_result_free(&r);
	/* signed in as a manager, the guide offers registering */
	assert_int_equal(client_get(c, PATH "?org=FIN", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.body, "href=\"/registreren\""));
	assert_true(has(r.body, "Ivo Integer"));
	http_result_free(&r);
	client_free(c);
	/* an integrity coordinator's start page has no such link */
	c = client_new(&srv);
	assert_int_equal(client_sign_in(c, "ivo", PW, NULL, NULL), 0);
	assert_int_equal(client_get(c, "/start/integrity-coordinator", &r), 0);
	assert_int_equal(r.status, 200);
	assert_false(has(r.body, "href=\"" PATH "\""));
	http_result_free(&r);
	assert_int_equal(client_get(c, PATH, &r), 0);
	assert_false(has(r.body, "href=\"/registreren\""));
	http_result_free(&r);
	client_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_public_in_both_languages),
		cmocka_unit_test(test_contacts_of_an_organisation),
		cmocka_unit_test(test_linked_for_managers),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
