/* test_recs.c: the recommendations tracker and the policy cycle against a
 * real server (issue 7 items 5 and 6). The coordinator adds sources and
 * recommendations, records responses, statuses and progress notes, and
 * edits them; a refused form (a duplicate number, a status without its
 * date, an http:// evidence link, a department outside the scope) comes
 * back with its message and the values as typed, and nothing is written;
 * an integrity coordinator reads everything but changes nothing (403,
 * nothing written), an IPIM member and the auditor read, a manager does not
 * (403); the tally counts per source and in all; the overview prints and
 * the XLSX unzips with its three sheets; policy items link to
 * recommendations both ways; an integrity coordinator records its own
 * department's adoption and not another's (404, nothing written), the
 * coordinator none (403); Defence's adoption is shown to Defence only; the
 * API reads and changes the tracker by the same rules. The tests run in
 * order and build on each other. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <jansson.h>

#include "harness.h"
#include "harness_team.h"
#include "harness_api.h"
#include "store/db.h"

static struct server srv;

#define PW "lange zin over tulpen 42"

enum { ANNA, IVO, BOB, DIRK, OTTO, NOOR, MAX, NUSERS };
static const char *const users[NUSERS] = {"anna", "ivo", "bob", "dirk", "otto", "noor", "max"};
static const char *const roles[NUSERS] = {"coordinator", "integrity_coordinator",
					  "integrity_coordinator", "integrity_coordinator",
					  "auditor", "ipim_member", "manager"};
static const char *const orgs[NUSERS] = {"RIJK", "FIN", "BZK", "DEF", "RIJK", "OCW", "FIN"};

static struct client *cl[NUSERS];
static char *recovery[NUSERS];
static db_t *db;
static int64_t fin, bzk, def;
static int64_t src_ar, src_greco, rec1, rec2, rec3, policy1;

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

/* fmt with id in place of its one %lld */
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

static const char *const ocwa[] = {"org", "add", "OCW", "--name", "Onderwijs", "--parent", "RIJK",
				   "--from", "2020-01-01", NULL};
static const char *const *const more[] = {ocwa, NULL};

static struct team team = {
	.srv = &srv,
	.users = users,
	.roles = roles,
	.orgs = orgs,
	.n = NUSERS,
	.password = PW,
	.more = more,
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

/* Every row of the tracker and the policy cycle and their audit entries,
 * as one number that changes when anything is written. */
static int64_t written(void)
{
	return q1("SELECT (SELECT count(*) FROM rec_source) + (SELECT count(*) FROM recommendation)"
		  " + (SELECT count(*) FROM rec_addressee) + (SELECT count(*) FROM rec_note)"
		  " + (SELECT count(*) FROM rec_note_link) + (SELECT count(*) FROM rec_policy)"
		  " + (SELECT count(*) FROM policy_item) + (SELECT count(*) FROM policy_adoption)"
		  " + (SELECT count(*) FROM audit_log WHERE action LIKE 'recs.%')"
		  " + (SELECT total(length(text) + length(response) + length(status) + length(status_on))"
		  " FROM recommendation)"
		  " + (SELECT total(length(translation) + length(adopted_on)) FROM policy_adoption)", NULL);
}

/* ---- the coordinator keeps the tracker ---- */

static void test_coordinator_edits(void **state)
{
	(void)state;
	struct http_result r;
	assert_int_equal(get(ANNA, "/aanbevelingen", &r), 200);
	assert_true(has(r.body, "No sources yet."));
	assert_true(has(r.body, "href=\"/aanbevelingen/bronnen/nieuw\""));
	assert_true(has(r.body, "href=\"/aanbevelingen\" aria-current=\"page\""));
	http_result_free(&r);
	/* a source refused (no title), then saved */
	int64_t before = written();
	assert_int_equal(post(ANNA, "/aanbevelingen/bronnen",
			      "kind=court_of_audit&title=&reference=Kamerstuk+28844&issued_on=2024-09-25"
			      "&round=&link=", &r), 422);
	assert_true(has(r.body, "Give the source a title."));
	assert_true(has(r.body, "value=\"Kamerstuk 28844\""));
	http_result_free(&r);
	assert_int_equal(written(), before);
	post_status(ANNA, "/aanbevelingen/bronnen",
		    "kind=court_of_audit&title=Integriteit+als+basis&reference=Kamerstuk+28844"
		    "&issued_on=2024-09-25&round=&link=https%3A%2F%2Fwww.rekenkamer.nl%2Fia", 303);
	src_ar = q1("SELECT id FROM rec_source WHERE kind = 'court_of_audit'", NULL);
	post_status(ANNA, "/aanbevelingen/bronnen",
		    "kind=greco&title=GRECO+Fifth+Evaluation+Round&reference=GrecoEval5Rep(2018)4"
		    "&issued_on=2019-03-22&round=Fifth+evaluation+round&link=", 303);
	src_greco = q1("SELECT id FROM rec_source WHERE kind = 'greco'", NULL);
	assert_int_equal(q1("SELECT count(*) FROM audit_log WHERE action = 'recs.source.add'", NULL), 2);
	/* recommendations: two departments, government-wide, one of GRECO */
	char f[600];
	snprintf(f, sizeof f, "number=1&text=Zorg+voor+zicht+op+de+werking&report_due=2020-01-01"
		 "&dept=%lld&dept=%lld", (long long)fin, (long long)bzk);
	post_status(ANNA, path("/aanbevelingen/bronnen/%lld/aanbevelingen", src_ar), f, 303);
	rec1 = q1("SELECT id FROM recommendation WHERE number = '1'", NULL);
	post_status(ANNA, path("/aanbevelingen/bronnen/%lld/aanbevelingen", src_ar),
		    "number=2&text=Versterk+de+positie+van+de+integriteitscoordinator&report_due=", 303);
	rec2 = q1("SELECT id FROM recommendation WHERE number = '2'", NULL);
	post_status(ANNA, path("/aanbevelingen/bronnen/%lld/aanbevelingen", src_greco),
		    "number=iv&text=Gedragscode+voor+bewindspersonen&report_due=", 303);
	rec3 = q1("SELECT id FROM recommendation WHERE number = 'iv'", NULL);
	assert_int_equal(q1("SELECT count(*) FROM rec_addressee", NULL), 2);
	/* refused: the same number again, a department outside the scope */
	before = written();
	assert_int_equal(post(ANNA, path("/aanbevelingen/bronnen/%lld/aanbevelingen", src_ar),
			      "number=1&text=Nog+een+%3Ceerste%3E&report_due=", &r), 422);
	assert_true(has(r.body, "The source already has a recommendation with this number."));
	assert_true(has(r.body, "Nog een &lt;eerste&gt;</textarea>"));
	http_result_free(&r);
	snprintf(f, sizeof f, "number=3&text=Defensie&report_due=&dept=%lld", (long long)def);
	assert_int_equal(post(ANNA, path("/aanbevelingen/bronnen/%lld/aanbevelingen", src_ar), f, &r), 422);
	assert_true(has(r.body, "Choose departments from the list: only those in your scope."));
	http_result_free(&r);
	/* the form offers the departments in scope, never Defence */
	assert_int_equal(get(ANNA, path("/aanbevelingen/bronnen/%lld/nieuw", src_ar), &r), 200);
	assert_true(has(r.body, ">Financi"));
	assert_false(has(r.body, "Defensie"));
	http_result_free(&r);
	/* response, status, progress */
	post_status(ANNA, path("/aanbevelingen/%lld/reactie", rec1),
		    "response=Het+kabinet+neemt+de+aanbeveling+over.&response_on=2024-09-25", 303);
	assert_int_equal(post(ANNA, path("/aanbevelingen/%lld/status", rec1),
			      "status=partly&status_on=", &r), 422);
	assert_true(has(r.body, "Give the date the status was given"));
	assert_true(has(r.body, "<option value=\"partly\" selected>"));
	http_result_free(&r);
	assert_int_equal(written(), before + 1 + (int64_t)strlen("Het kabinet neemt de aanbeveling over."));
	post_status(ANNA, path("/aanbevelingen/%lld/status", rec1), "status=partly&status_on=2025-06-01", 303);
	post_status(ANNA, path("/aanbevelingen/%lld/status", rec2),
		    "status=implemented&status_on=2025-06-01", 303);
	before = written();
	snprintf(f, sizeof f, "noted_on=2025-02-01&dept=%lld&text=FIN+stelde+een+coordinator+aan"
		 "&link=http%%3A%%2F%%2Fexample.org%%2F&link=&link=&link=&link=", (long long)fin);
	assert_int_equal(post(ANNA, path("/aanbevelingen/%lld/voortgang", rec1), f, &r), 422);
	assert_true(has(r.body, "An evidence link must start with https://"));
	assert_true(has(r.body, "FIN stelde een coordinator aan</textarea>"));
	http_result_free(&r);
	assert_int_equal(written(), before);
	snprintf(f, sizeof f, "noted_on=2025-02-01&dept=%lld&text=FIN+stelde+een+coordinator+aan"
		 "&link=https%%3A%%2F%%2Fwww.rijksoverheid.nl%%2Fbrief&link=&link=&link=&link=",
		 (long long)fin);
	post_status(ANNA, path("/aanbevelingen/%lld/voortgang", rec1), f, 303);
	assert_int_equal(q1("SELECT count(*) FROM audit_log WHERE action IN ('recs.response', "
			    "'recs.status', 'recs.note.add')", NULL), 4);
	/* edit the source and a recommendation */
	post_status(ANNA, path("/aanbevelingen/bronnen/%lld", src_ar),
		    "kind=court_of_audit&title=Integriteit+als+basis+(2024)&reference=Kamerstuk+28844"
		    "&issued_on=2024-09-25&round=&link=", 303);
	assert_int_equal(q1("SELECT count(*) FROM rec_source WHERE title = 'Integriteit als basis (2024)'", NULL), 1);
	/* the recommendation's page */
	assert_int_equal(get(ANNA, path("/aanbevelingen/%lld?opgeslagen=1", rec1), &r), 200);
	assert_true(has(r.body, "The change was saved."));
	assert_true(has(r.body, "Recommendation 1"));
	assert_true(has(r.body, "BZK, FIN"));
	assert_true(has(r.body, "partly implemented (2025-06-01)"));
	assert_true(has(r.body, "2020-01-01 (overdue)"));
	assert_true(has(r.body, "href=\"https://www.rijksoverheid.nl/brief\" rel=\"noopener noreferrer\""));
	assert_true(has(r.body, "Het kabinet neemt de aanbeveling over."));
	assert_true(has(r.body, "href=\"/aanbevelingen/" ) && has(r.body, "/status\">Change the status</a>"));
	http_result_free(&r);
}

/* ---- who reads, who changes ---- */

static void test_access(void **state)
{
	(void)state;
	struct http_result r;
	/* readers: an integrity coordinator, the auditor, an IPIM member */
	int readers[] = {IVO, OTTO, NOOR, DIRK};
	for (size_t i = 0; i < sizeof readers / sizeof readers[0]; i++) {
		assert_int_equal(get(readers[i], path("/aanbevelingen/%lld", rec1), &r), 200);
		/* a department's progress notes are public to every reader */
		assert_true(has(r.body, "FIN stelde een coordinator aan"));
		assert_false(has(r.body, "Change the status"));
		http_result_free(&r);
		get_status(readers[i], "/aanbevelingen", 200);
		get_status(readers[i], "/beleid", 200);
		get_status(readers[i], "/aanbevelingen/overzicht", 200);
	}
	/* a manager is no reader */
	get_status(MAX, "/aanbevelingen", 403);
	get_status(MAX, "/beleid", 403);
	/* an integrity coordinator changes nothing: 403, nothing written */
	int64_t before = written();
	post_status(IVO, "/aanbevelingen/bronnen", "kind=other&title=Eigen&issued_on=2024-01-01", 403);
	post_status(IVO, path("/aanbevelingen/%lld/status", rec1), "status=implemented&status_on=2025-06-01", 403);
	post_status(IVO, path("/aanbevelingen/%lld/voortgang", rec1),
		    "noted_on=2025-02-01&dept=0&text=Eigen+voortgang", 403);
	post_status(IVO, path("/aanbevelingen/%lld/bewerken", rec1), "number=1&text=Anders", 403);
	post_status(IVO, "/beleid", "title=Eigen&kind=other&stage=development", 403);
	post_status(OTTO, path("/aanbevelingen/%lld/reactie", rec1), "response=x&response_on=2025-01-01", 403);
	get_status(IVO, path("/aanbevelingen/%lld/bewerken", rec1), 403);
	get_status(NOOR, "/aanbevelingen/bronnen/nieuw", 403);
	assert_int_equal(written(), before);
	/* a recommendation or source that does not exist */
	get_status(IVO, "/aanbevelingen/999999", 404);
	get_status(IVO, "/aanbevelingen/bronnen/999999", 404);
	post_status(ANNA, "/aanbevelingen/999999/status", "status=implemented&status_on=2025-06-01", 404);
	assert_int_equal(written(), before);
}

/* ---- the tally, the overview and the spreadsheet ---- */

static int run(const char *cmd)
{
	int rc = system(cmd);
	return rc == -1 ? -1 : WEXITSTATUS(rc);
}

static void save(const char *p, const char *data, size_t n)
{
	FILE *f = fopen(p, "wb");
	if (!f) {
		fail_msg("cannot write %s", p);
		return;
	}
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static void test_tally_and_exports(void **state)
{
	(void)state;
	struct http_result r;
	/* per source: the Court of Audit's two, GRECO's one */
	assert_int_equal(get(IVO, path("/aanbevelingen/bronnen/%lld", src_ar), &r), 200);
	assert_true(has(r.body, "1 implemented satisfactorily, 1 partly implemented, 0 not implemented, 0 no status yet (2 in all); progress report overdue: 1"));
	assert_true(has(r.body, "<span class=\"probity-overdue\">2020-01-01 (overdue)</span>"));
	assert_true(has(r.body, "2025-02-01 (FIN): FIN stelde een coordinator aan"));
	http_result_free(&r);
	assert_int_equal(get(IVO, path("/aanbevelingen/bronnen/%lld", src_greco), &r), 200);
	assert_true(has(r.body, "0 implemented satisfactorily, 0 partly implemented, 0 not implemented, 1 no status yet (1 in all)"));
	assert_true(has(r.body, "government-wide"));
	http_result_free(&r);
	/* the list: one row per source and the total */
	assert_int_equal(get(OTTO, "/aanbevelingen", &r), 200);
	char *foot = text_between(r.body, "<tfoot", "</tfoot>");
	if (!foot) {
		fail_msg("no total row");
		return;
	}
	/* implemented, partly, not, none, total, overdue */
	assert_true(has(foot, ">1</td>\n<td class=\"utrecht-table__cell utrecht-table__cell--numeric\">1</td>\n"
			      "<td class=\"utrecht-table__cell utrecht-table__cell--numeric\">0</td>\n"
			      "<td class=\"utrecht-table__cell utrecht-table__cell--numeric\">1</td>\n"
			      "<td class=\"utrecht-table__cell utrecht-table__cell--numeric\">3</td>\n"
			      "<td class=\"utrecht-table__cell utrecht-table__cell--numeric\">1</td>"));
	free(foot);
	assert_true(has(r.body, "Fifth evaluation round"));
	http_result_free(&r);
	/* the print-ready overview */
	assert_int_equal(get(NOOR, "/aanbevelingen/overzicht", &r), 200);
	assert_true(has(r.body, "<div class=\"probity-print\">"));
	assert_true(has(r.body, "Integriteit als basis (2024)"));
	assert_true(has(r.body, "Het kabinet neemt de aanbeveling over. (2024-09-25)"));
	assert_true(has(r.body, "No response recorded."));
	assert_true(has(r.body, "1 implemented satisfactorily, 1 partly implemented, 0 not implemented, 1 no status yet (3 in all)"));
	http_result_free(&r);
	/* the workbook: three sheets, the texts, no formula */
	assert_int_equal(get(ANNA, "/aanbevelingen/overzicht.xlsx", &r), 200);
	assert_true(has(r.headers, "spreadsheetml.sheet"));
	assert_true(has(r.headers, "attachment; filename=\"aanbevelingen-"));
	char *cl_hdr = text_between(r.headers, "Content-Length: ", "\r");
	if (!cl_hdr) {
		fail_msg("no Content-Length");
		return;
	}
	size_t n = (size_t)atol(cl_hdr);
	free(cl_hdr);
	assert_true(n > 1000 && r.body[0] == 'P' && r.body[1] == 'K');
	char file[400], cmd[2000];
	snprintf(file, sizeof file, "%s/overzicht.xlsx", srv.dir);
	save(file, r.body, n);
	http_result_free(&r);
	snprintf(cmd, sizeof cmd,
		 "python3 -c 'import sys, zipfile, re\n"
		 "z = zipfile.ZipFile(sys.argv[1])\n"
		 "wb = z.read(\"xl/workbook.xml\").decode()\n"
		 "names = re.findall(r\"<sheet name=\\\"([^\\\"]+)\\\"\", wb)\n"
		 "assert names == [\"sources\", \"recommendations\", \"tally\"], names\n"
		 "strings = z.read(\"xl/sharedStrings.xml\").decode()\n"
		 "for s in (\"Integriteit als basis (2024)\", \"Zorg voor zicht op de werking\",\n"
		 "          \"partly implemented\", \"(FIN) FIN stelde een coordinator aan\", \"All sources\"):\n"
		 "    assert s in strings, s\n"
		 "for n in z.namelist():\n"
		 "    if n.startswith(\"xl/worksheets/\"): assert \"<f>\" not in z.read(n).decode()\n"
		 "' '%s'", file);
	assert_int_equal(run(cmd), 0);
}

/* ---- the policy cycle ---- */

static void test_policy(void **state)
{
	(void)state;
	struct http_result r;
	int64_t before = written();
	/* a stage without its date: refused, values kept */
	assert_int_equal(post(ANNA, "/beleid",
			      "title=Onderzoeksprotocol&kind=protocol&version=2024&description=&stage=adopted"
			      "&development_on=&adopted_on=&implemented_on=&evaluated_on=", &r), 422);
	assert_true(has(r.body, "Give the date of every stage the policy has reached"));
	assert_true(has(r.body, "value=\"Onderzoeksprotocol\""));
	http_result_free(&r);
	assert_int_equal(written(), before);
	post_status(ANNA, "/beleid",
		    "title=Onderzoeksprotocol&kind=protocol&version=2024&description=Rijksbreed"
		    "&stage=adopted&development_on=2023-01-01&adopted_on=2024-06-01"
		    "&implemented_on=&evaluated_on=", 303);
	policy1 = q1("SELECT id FROM policy_item", NULL);
	/* the link both ways: set from the recommendation */
	char f[300];
	snprintf(f, sizeof f, "number=2&text=Versterk+de+positie+van+de+integriteitscoordinator"
		 "&report_due=&policy=%lld", (long long)policy1);
	post_status(ANNA, path("/aanbevelingen/%lld/bewerken", rec2), f, 303);
	assert_int_equal(get(IVO, path("/aanbevelingen/%lld", rec2), &r), 200);
	assert_true(has(r.body, path("href=\"/beleid/%lld\">Onderzoeksprotocol</a>", policy1)));
	http_result_free(&r);
	assert_int_equal(get(IVO, path("/beleid/%lld", policy1), &r), 200);
	assert_true(has(r.body, path("href=\"/aanbevelingen/%lld\">Integriteit als basis (2024), 2</a>", rec2)));
	/* FIN's coordinator may record FIN's adoption, not BZK's */
	assert_true(has(r.body, path("/adoptie/%lld\">Record your department", fin)));
	assert_false(has(r.body, path("/adoptie/%lld\"", bzk)));
	assert_false(has(r.body, "Defensie"));
	http_result_free(&r);
	/* adoption: refused date, then FIN's own */
	before = written();
	snprintf(f, sizeof f, "/beleid/%lld/adoptie/%lld", (long long)policy1, (long long)fin);
	char fb[300];
	snprintf(fb, sizeof fb, "/beleid/%lld/adoptie/%lld", (long long)policy1, (long long)bzk);
	assert_int_equal(post(IVO, f, "adopted_on=2030-01-01&translation=In+het+FIN-protocol"
			      "&evaluated_on=&assessment=0", &r), 422);
	assert_true(has(r.body, "Give the date the department adopted the policy"));
	assert_true(has(r.body, "In het FIN-protocol</textarea>"));
	http_result_free(&r);
	post_status(IVO, fb, "adopted_on=2024-07-01&translation=Niet+van+FIN&evaluated_on=&assessment=0", 404);
	get_status(IVO, fb, 404);
	post_status(ANNA, f, "adopted_on=2024-07-01&translation=Van+de+coordinator&evaluated_on=&assessment=0", 403);
	/* an assessment that is not FIN's */
	assert_int_equal(post(IVO, f, "adopted_on=2024-07-01&translation=x&evaluated_on=2025-01-01"
			      "&assessment=4242", &r), 422);
	assert_true(has(r.body, "The self-assessment chosen is not one of this department&#39;s."));
	http_result_free(&r);
	assert_int_equal(written(), before);
	post_status(IVO, f, "adopted_on=2024-07-01&translation=In+het+FIN-protocol&evaluated_on=&assessment=0", 303);
	assert_int_equal(q1("SELECT count(*) FROM audit_log WHERE action = 'recs.adoption'", NULL), 1);
	/* Defence records its own; only Defence sees it */
	snprintf(f, sizeof f, "/beleid/%lld/adoptie/%lld", (long long)policy1, (long long)def);
	post_status(DIRK, f, "adopted_on=2024-08-01&translation=Eigen+Defensieprotocol&evaluated_on=&assessment=0", 303);
	assert_int_equal(get(ANNA, path("/beleid/%lld", policy1), &r), 200);
	assert_true(has(r.body, "In het FIN-protocol"));
	assert_false(has(r.body, "Defensie"));
	assert_false(has(r.body, "Eigen Defensieprotocol"));
	http_result_free(&r);
	assert_int_equal(get(BOB, path("/beleid/%lld", policy1), &r), 200);
	assert_true(has(r.body, "In het FIN-protocol"));
	assert_false(has(r.body, "Eigen Defensieprotocol"));
	http_result_free(&r);
	assert_int_equal(get(DIRK, path("/beleid/%lld", policy1), &r), 200);
	assert_true(has(r.body, "Eigen Defensieprotocol"));
	http_result_free(&r);
	assert_int_equal(get(OTTO, "/beleid", &r), 200);
	assert_true(has(r.body, "1 / 3 departments"));
	http_result_free(&r);
	assert_int_equal(get(DIRK, "/beleid", &r), 200);
	assert_true(has(r.body, "2 / 4 departments"));
	http_result_free(&r);
}

/* ---- the API ---- */

static char *token(int who)
{
	return api_token(&srv, users[who], PW, recovery[who]);
}

static void test_api(void **state)
{
	(void)state;
	struct api_reply r;
	char *anna = token(ANNA), *ivo = token(IVO), *noor = token(NOOR);
	/* read: sources with their tally, and the tally of all */
	assert_int_equal(api_call(&srv, "GET", "/api/v1/recommendations", ivo, NULL, &r), 200);
	json_t *tally = json_object_get(r.json, "tally");
	assert_int_equal(json_integer_value(json_object_get(tally, "total")), 3);
	assert_int_equal(json_integer_value(json_object_get(tally, "implemented")), 1);
	assert_int_equal(json_integer_value(json_object_get(tally, "partly")), 1);
	assert_int_equal(json_integer_value(json_object_get(tally, "none")), 1);
	assert_int_equal(json_integer_value(json_object_get(tally, "overdue")), 1);
	assert_int_equal(json_array_size(json_object_get(r.json, "sources")), 2);
	json_decref(r.json);
	assert_int_equal(api_call(&srv, "GET", path("/api/v1/recommendations/%lld", rec1), noor, NULL, &r), 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "status")), "partly");
	assert_true(json_is_true(json_object_get(r.json, "overdue")));
	json_t *prog = json_array_get(json_object_get(r.json, "progress"), 0);
	assert_string_equal(json_string_value(json_object_get(prog, "department")), "FIN");
	assert_string_equal(json_string_value(json_array_get(json_object_get(prog, "evidence"), 0)),
			    "https://www.rijksoverheid.nl/brief");
	json_decref(r.json);
	assert_int_equal(api_call(&srv, "GET", "/api/v1/recommendations/999999", ivo, NULL, &r), 404);
	assert_string_equal(api_error_code(&r), "recommendation_not_found");
	json_decref(r.json);
	/* an integrity coordinator changes nothing */
	int64_t before = written();
	assert_int_equal(api_call(&srv, "POST", "/api/v1/recommendations/sources", ivo,
				  "{\"kind\":\"other\",\"title\":\"x\",\"issued_on\":\"2024-01-01\"}", &r), 403);
	json_decref(r.json);
	assert_int_equal(api_call(&srv, "POST", path("/api/v1/recommendations/%lld", rec1), ivo,
				  "{\"status\":\"implemented\",\"status_on\":\"2025-06-01\"}", &r), 403);
	json_decref(r.json);
	/* refused: a department outside the scope, a status without its date */
	assert_int_equal(api_call(&srv, "POST", path("/api/v1/recommendations/sources/%lld/recommendations", src_greco),
				  anna, "{\"number\":\"v\",\"text\":\"Marechaussee\",\"addressees\":[\"DEF\"]}", &r), 422);
	assert_string_equal(api_error_code(&r), "invalid_recommendation");
	json_decref(r.json);
	assert_int_equal(api_call(&srv, "POST", path("/api/v1/recommendations/%lld", rec3), anna,
				  "{\"status\":\"not_implemented\"}", &r), 422);
	json_decref(r.json);
	assert_int_equal(api_call(&srv, "POST", path("/api/v1/recommendations/%lld", rec3), anna,
				  "{\"status\":\"done\"}", &r), 400);
	json_decref(r.json);
	assert_int_equal(written(), before);
	/* create and change */
	assert_int_equal(api_call(&srv, "POST", "/api/v1/recommendations/sources", anna,
				  "{\"kind\":\"venice_commission\",\"title\":\"Opinion on the ombudsman\","
				  "\"issued_on\":\"2023-10-01\"}", &r), 201);
	int64_t sid = json_integer_value(json_object_get(r.json, "id"));
	json_decref(r.json);
	assert_int_equal(api_call(&srv, "POST", path("/api/v1/recommendations/sources/%lld/recommendations", sid),
				  anna, "{\"number\":\"1\",\"text\":\"Borg de onafhankelijkheid\","
				  "\"addressees\":[\"bzk\"]}", &r), 201);
	int64_t rid = json_integer_value(json_object_get(r.json, "id"));
	assert_string_equal(json_string_value(json_array_get(json_object_get(r.json, "addressees"), 0)), "BZK");
	json_decref(r.json);
	assert_int_equal(api_call(&srv, "POST", path("/api/v1/recommendations/%lld", rid), anna,
				  "{\"status\":\"not_implemented\",\"status_on\":\"2025-01-15\"}", &r), 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "text")), "Borg de onafhankelijkheid");
	json_decref(r.json);
	assert_int_equal(q1("SELECT count(*) FROM audit_log WHERE action = 'recs.status' "
			    "AND detail = 'status=not_implemented'", NULL), 1);
	assert_int_equal(api_call(&srv, "POST", path("/api/v1/recommendations/%lld/notes", rid), anna,
				  "{\"text\":\"Wetsvoorstel in consultatie\",\"evidence\":[\"http://x.example/\"]}", &r), 422);
	json_decref(r.json);
	assert_int_equal(api_call(&srv, "POST", path("/api/v1/recommendations/%lld/notes", rid), anna,
				  "{\"noted_on\":\"2025-03-01\",\"text\":\"Wetsvoorstel in consultatie\","
				  "\"evidence\":[\"https://www.internetconsultatie.nl/\"]}", &r), 201);
	assert_true(json_is_null(json_object_get(r.json, "department")));
	json_decref(r.json);
	free(anna);
	free(ivo);
	free(noor);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_coordinator_edits),
		cmocka_unit_test(test_access),
		cmocka_unit_test(test_tally_and_exports),
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_api),
	};
	return team_run_group_tests(&team, tests);
}
