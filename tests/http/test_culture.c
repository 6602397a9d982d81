/* test_culture.c: the culture indicators page (src/culture/pages.c) against
 * a real server.
 *
 * Departments FIN, BZK and DEF (outside the coordinator's scope), each with
 * survey figures, reports received and registered violations put into the
 * server's database. Proves: the coordinator sees FIN and BZK, never DEF,
 * on the page and in both downloads; FIN's integrity coordinator sees FIN
 * only and BZK's manager BZK only (department A cannot see B); an
 * investigator is refused; the numbers of the table are the stored ones,
 * the reports next to them per year, a small count shown as "< 5"; each
 * figures and reports of BZK's row before its split (it kept its code) show
 * in its series; each chart parses as XML, an image named by its title and described by its
 * desc, with a line per indicator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "harness.h"
#include "harness_team.h"
#include "store/db.h"

static struct server srv;

#define PW "lange zin over tulpen 42"

enum { ANNA, IVO, MIA, IDA, NUSERS };
static const char *const users[NUSERS] = {"anna", "ivo", "mia", "ida"};
static const char *const roles[NUSERS] = {"coordinator", "integrity_coordinator", "manager",
					  "investigator"};
static const char *const orgs[NUSERS] = {"RIJK", "FIN", "BZK", "FIN"};

static struct client *cl[NUSERS];
static db_t *db;

static int has(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

static int exec(const char *q)
{
	if (db_exec(db, q) != 0) {
		fprintf(stderr, "%s: %s\n", q, db_error(db)->msg);
		return -1;
	}
	return 0;
}

/* a survey figure of a department's open row */
static int fig(const char *code, int year, const char *ind, int tenths, int n)
{
	char q[700];
	snprintf(q, sizeof q,
		 "INSERT INTO culture_figure (org_id, year, indicator, value_tenths, respondents,"
		 " source, import_id) SELECT id, %d, '%s', %d, %d, 'Enquête', 1 FROM org WHERE"
		 " code = '%s' AND valid_to IS NULL",
		 year, ind, tenths, n, code);
	return exec(q);
}

/* n reports received in year, as the dashboard's kept counts hold them */
static int rep(const char *code, int year, int n)
{
	char q[700];
	snprintf(q, sizeof q,
		 "INSERT INTO monitor_report_count (year, org_id, kind, ack, feedback, n) SELECT"
		 " %d, id, 'internal', 'on_time', 'none', %d FROM org WHERE code = '%s' AND"
		 " valid_to IS NULL",
		 year, n, code);
	return exec(q);
}

/* BZK keeps its code through a split on 2 July 2024: one series */
static const char *const splitc[] = {"org", "split", "BZK", "--into", "BZK=Binnenlandse Zaken",
				     "--into", "VRO=Volkshuisvesting", "--on", "2024-07-02", NULL};
static const char *const *const more[] = {splitc, NULL};

static struct team team = {
	.srv = &srv,
	.users = users,
	.roles = roles,
	.orgs = orgs,
	.n = NUSERS,
	.password = PW,
	.more = more,
	.cl = cl,
	.db = &db,
};

static int setup(void **state)
{
	(void)state;
	if (team_start(&team) != 0)
		return -1;
	if (db_exec(db, "INSERT INTO culture_import (id, sha256, file_name, rows, imported_at,"
			" imported_by) VALUES (1, printf('%064d', 0), 'x.csv', 0,"
			" '2024-01-01T00:00:00Z', 'test')") != 0)
		return -1;
	/* FIN: would_report 71.5 and 74.0, safe_to_speak 63.0 in 2024; 12
	 * reports in 2022, 3 in 2024. BZK: knows_adviser 48.2 in 2023. DEF:
	 * would_report 99.9 (a number seen nowhere else). */
	if (fig("FIN", 2022, "would_report", 715, 1200) ||
	    fig("FIN", 2024, "would_report", 740, 1300) ||
	    fig("FIN", 2024, "safe_to_speak", 630, 1300) ||
	    fig("BZK", 2023, "knows_adviser", 482, 40) ||
	    fig("DEF", 2023, "would_report", 999, 500) || rep("FIN", 2022, 12) ||
	    rep("FIN", 2024, 3) || rep("DEF", 2023, 77) ||
	    exec("INSERT INTO culture_figure (org_id, year, indicator, value_tenths, respondents,"
		 " source, import_id) SELECT id, 2022, 'knows_adviser', 417, 35, 'Enquête', 1"
		 " FROM org WHERE code = 'BZK' AND valid_to IS NOT NULL") ||
	    exec("INSERT INTO monitor_report_count (year, org_id, kind, ack, feedback, n) SELECT"
		 " 2022, id, 'internal', 'on_time', 'none', 8 FROM org WHERE code = 'BZK' AND"
		 " valid_to IS NOT NULL"))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return team_stop(&team);
}

static long get(int who, const char *path, struct http_result *r)
{
	return team_get(&team, (size_t)who, path, r);
}

static void no_defence(const char *body)
{
	assert_false(has(body, "DEF"));
	assert_false(has(body, "Defensie"));
	assert_false(has(body, "99.9"));
	assert_false(has(body, "77"));
}

static void test_coordinator(void **state)
{
	(void)state;
	struct http_result r;
	assert_int_equal(get(ANNA, "/cultuur", &r), 200);
	assert_true(has(r.body, "href=\"/cultuur\""));   /* the navigation */
	assert_true(has(r.body, "id=\"cultuur-FIN\""));
	assert_true(has(r.body, "id=\"cultuur-BZK\""));
	no_defence(r.body);
	/* FIN's table: the years, the stored values and the reports beside them */
	char *fin = text_between(r.body, "id=\"cultuur-FIN-tabel\"", "</table>");
	if (!fin) {
		fail_msg("no FIN table: %s", r.body);
		return;
	}
	assert_true(has(fin, "Would report a suspicion of wrongdoing (%)"));
	assert_true(has(fin, "Feels safe to speak up (%)"));
	assert_false(has(fin, "Knows the confidential adviser"));
	assert_true(has(fin, ">2022</th>\n<td class=\"utrecht-table__cell utrecht-table__cell--numeric-data\">71.5</td>\n<td class=\"utrecht-table__cell utrecht-table__cell--numeric-data\">–</td>\n<td class=\"utrecht-table__cell utrecht-table__cell--numeric-data\">12</td>"));
	assert_true(has(fin, ">2024</th>\n<td class=\"utrecht-table__cell utrecht-table__cell--numeric-data\">74.0</td>\n<td class=\"utrecht-table__cell utrecht-table__cell--numeric-data\">63.0</td>\n<td class=\"utrecht-table__cell utrecht-table__cell--numeric-data\">&lt; 5</td>"));
	free(fin);
	assert_true(has(r.body, "48.2"));
	http_result_free(&r);
	/* the downloads: FIN and BZK, never DEF */
	assert_int_equal(get(ANNA, "/cultuur/export.csv", &r), 200);
	assert_true(has(r.headers, "text/csv"));
	assert_true(has(r.headers, "attachment; filename=\"cultuur.csv\""));
	assert_true(has(r.body, "FIN,2022,71.5,1200,"));
	assert_true(has(r.body, "BZK,2023,"));
	no_defence(r.body);
	http_result_free(&r);
	assert_int_equal(get(ANNA, "/cultuur/export.xlsx", &r), 200);
	assert_true(has(r.headers, "spreadsheetml.sheet"));
	assert_true(r.body && r.body[0] == 'P' && r.body[1] == 'K');
	http_result_free(&r);
}

static void test_own_department(void **state)
{
	(void)state;
	struct http_result r;
	/* FIN's integrity coordinator: FIN only */
	assert_int_equal(get(IVO, "/cultuur", &r), 200);
	assert_true(has(r.body, "id=\"cultuur-FIN\""));
	assert_false(has(r.body, "BZK"));
	assert_false(has(r.body, "48.2"));
	no_defence(r.body);
	http_result_free(&r);
	assert_int_equal(get(IVO, "/cultuur/export.csv", &r), 200);
	assert_true(has(r.body, "FIN,2024,74"));
	assert_false(has(r.body, "BZK"));
	http_result_free(&r);
	/* BZK's manager: BZK only */
	assert_int_equal(get(MIA, "/cultuur", &r), 200);
	assert_true(has(r.body, "id=\"cultuur-BZK\""));
	assert_true(has(r.body, "48.2"));
	/* the figure and the reports of BZK's row before its split, one series */
	assert_true(has(r.body, ">2022</th>\n<td class=\"utrecht-table__cell utrecht-table__cell--numeric-data\">41.7</td>\n<td class=\"utrecht-table__cell utrecht-table__cell--numeric-data\">8</td>"));
	assert_false(has(r.body, "VRO"));
	assert_false(has(r.body, "cultuur-FIN"));
	assert_false(has(r.body, "71.5"));
	http_result_free(&r);
	assert_int_equal(get(MIA, "/cultuur/export.csv", &r), 200);
	assert_false(has(r.body, "FIN"));
	http_result_free(&r);
	/* an investigator: no such page */
	assert_int_equal(get(IDA, "/cultuur", &r), 403);
	assert_false(has(r.body, "71.5"));
	http_result_free(&r);
	assert_int_equal(get(IDA, "/cultuur/export.csv", &r), 403);
	http_result_free(&r);
}

static void test_svg(void **state)
{
	(void)state;
	struct http_result r;
	char file[400], cmd[1600];
	assert_int_equal(get(ANNA, "/cultuur", &r), 200);
	char *svg = text_between(r.body, "id=\"cultuur-FIN\"", "</svg>");
	char *start = svg ? strstr(svg, "<svg") : NULL;
	if (!start) {
		free(svg);
		fail_msg("no chart for FIN");
		return;
	}
	snprintf(file, sizeof file, "%s/cultuur.svg", srv.dir);
	FILE *f = fopen(file, "wb");
	if (!f) {
		free(svg);
		fail_msg("cannot write %s", file);
		return;
	}
	fprintf(f, "%s</svg>", start);
	fclose(f);
	free(svg);
	http_result_free(&r);
	snprintf(cmd, sizeof cmd,
		 "python3 -c 'import sys, xml.etree.ElementTree as E\n"
		 "ns = \"{http://www.w3.org/2000/svg}\"\n"
		 "root = E.parse(sys.argv[1]).getroot()\n"
		 "assert root.tag == ns + \"svg\", root.tag\n"
		 "assert root.get(\"role\") == \"img\"\n"
		 "t, d = root.find(ns + \"title\"), root.find(ns + \"desc\")\n"
		 "assert t is not None and \"FIN\" in t.text, t\n"
		 "assert d is not None and d.text\n"
		 "assert root.get(\"aria-labelledby\") == t.get(\"id\")\n"
		 "assert root.get(\"aria-describedby\") == d.get(\"id\")\n"
		 "legend = [x.text for x in root.findall(ns + \"text\")]\n"
		 "assert \"Would report a suspicion of wrongdoing\" in legend, legend\n"
		 "assert \"Feels safe to speak up\" in legend, legend\n"
		 "assert \"would_report\" not in legend, legend\n"
		 "lines = root.findall(ns + \"polyline\")\n"
		 "assert len(lines) == 2, lines\n"
		 "assert len(lines[0].get(\"points\").split()) == 2\n' '%s'",
		 file);
	int rc = system(cmd);
	assert_int_equal(rc == -1 ? -1 : WEXITSTATUS(rc), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_coordinator),
		cmocka_unit_test(test_own_department),
		cmocka_unit_test(test_svg),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
