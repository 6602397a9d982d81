/* test_annual.c: the annual report from the pages (src/monitor/
 * annual_pages.c) against a real server.
 *
 * Departments FIN, BZK and DEF (outside the coordinator's scope), with
 * registrations of 2023 put into the server's database. Proves: the
 * coordinator's form offers the government and FIN and BZK, never DEF; the
 * government's report in each format holds FIN's and BZK's figures and no
 * trace of DEF; DEF asked by code answers 404; FIN's integrity coordinator
 * gets FIN's own figures only, and 404 for the government and for BZK; an
 * IPIM member and an investigator are refused; a bad year and a bad format
 * are refused with 422; every report is a download, sandboxed. The
 * timeliness table (formaat=csv-tijdigheid) counts FIN's report received in
 * 2023 and not DEF's. */
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

enum { ANNA, IVO, PIM, IDA, NUSERS };
static const char *const users[NUSERS] = {"anna", "ivo", "pim", "ida"};
static const char *const roles[NUSERS] = {"coordinator", "integrity_coordinator",
					  "ipim_member", "investigator"};
static const char *const orgs[NUSERS] = {"RIJK", "FIN", "RIJK", "FIN"};

static struct client *cl[NUSERS];
static db_t *db;

static const struct team team = {.srv = &srv, .users = users, .roles = roles, .orgs = orgs,
				 .n = NUSERS, .password = PW, .cl = cl, .db = &db};

static int has(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

static int reg(const char *code, const char *outcome, int police, int n)
{
	char sql[700];
	for (int i = 0; i < n; i++) {
		snprintf(sql, sizeof sql,
			 "INSERT INTO registration (org_id, received_on, category, taxonomy,"
			 " taxonomy_revision, outcome, police_report, import_id) SELECT id,"
			 " '2023-04-01', '2', 'schendingen', 1, '%s', %d, 1 FROM org WHERE code ="
			 " '%s' AND valid_to IS NULL",
			 outcome, police, code);
		if (db_exec(db, sql) != 0) {
			fprintf(stderr, "%s: %s\n", sql, db_error(db)->msg);
			return -1;
		}
	}
	return 0;
}

static int setup(void **state)
{
	(void)state;
	if (team_start(&team) != 0)
		return -1;
	if (db_exec(db, "INSERT INTO registration_import (id, sha256, file_name, rows,"
			" imported_at, imported_by) VALUES (1, printf('%064d', 0), 'x.csv', 0,"
			" '2024-01-01T00:00:00Z', 'test')") != 0)
		return -1;
	/* FIN 7 (3 established, 1 police report), BZK 2, DEF 11 */
	if (reg("FIN", "established", 1, 1) || reg("FIN", "established", 0, 2) ||
	    reg("FIN", "not_established", 0, 4) || reg("BZK", "partly", 0, 2) ||
	    reg("DEF", "established", 1, 11))
		return -1;
	/* reports received in 2023 for the timeliness: FIN one acknowledged in
	 * time and without feedback, DEF one */
	if (db_exec(db, "INSERT INTO report (org_id, kind, mode, questionnaire,"
			" questionnaire_revision, received_on, received_at, acknowledged_on,"
			" receipt_lookup, receipt_salt, body) SELECT id, 'wrongdoing', 'anonymous',"
			" 'q', 1, '2023-03-01', '2023-03-01T10:00:00Z', '2023-03-02', randomblob(32),"
			" randomblob(16), X'' FROM org WHERE code IN ('FIN', 'DEF') AND valid_to IS"
			" NULL") != 0)
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

static void test_form(void **state)
{
	(void)state;
	struct http_result r;
	assert_int_equal(get(ANNA, "/jaarverslag", &r), 200);
	assert_true(has(r.body, "<option value=\"\""));
	assert_true(has(r.body, "<option value=\"FIN\""));
	assert_true(has(r.body, "<option value=\"BZK\""));
	assert_false(has(r.body, "DEF"));
	assert_false(has(r.body, "Defensie"));
	http_result_free(&r);
	/* the integrity coordinator: FIN only, no government */
	assert_int_equal(get(IVO, "/jaarverslag", &r), 200);
	assert_true(has(r.body, "<option value=\"FIN\""));
	assert_false(has(r.body, "<option value=\"\""));
	assert_false(has(r.body, "BZK"));
	http_result_free(&r);
	assert_int_equal(get(PIM, "/jaarverslag", &r), 403);
	http_result_free(&r);
	assert_int_equal(get(IDA, "/jaarverslag", &r), 403);
	http_result_free(&r);
}

static void test_government(void **state)
{
	(void)state;
	struct http_result r;
	assert_int_equal(get(ANNA, "/jaarverslag/rapport?jaar=2023&org=&formaat=json", &r), 200);
	assert_true(has(r.headers, "attachment; filename=\"jaarverslag-2023.json\""));
	assert_true(has(r.headers, "sandbox"));
	assert_true(has(r.body, "\"code\": \"FIN\""));
	assert_true(has(r.body, "\"code\": \"BZK\""));
	/* 7 + 2, DEF's 11 nowhere */
	char *total = r.body ? strstr(r.body, "\"total\"") : NULL;
	if (!total) {
		fail_msg("no total");
		return;
	}
	assert_true(has(total, "\"registered\": 9"));
	assert_false(has(r.body, "DEF"));
	assert_false(has(r.body, "Defensie"));
	http_result_free(&r);
	assert_int_equal(get(ANNA, "/jaarverslag/rapport?jaar=2023&formaat=html", &r), 200);
	assert_true(has(r.body, "@media print"));
	assert_true(has(r.body, "<caption>"));
	assert_false(has(r.body, "Defensie"));
	http_result_free(&r);
	assert_int_equal(get(ANNA, "/jaarverslag/rapport?jaar=2023&formaat=csv", &r), 200);
	assert_true(has(r.body, "FIN,"));
	assert_false(has(r.body, "DEF"));
	http_result_free(&r);
	/* the timeliness table: FIN's report, the total, Defence's nowhere */
	assert_int_equal(get(ANNA, "/jaarverslag/rapport?jaar=2023&formaat=csv-tijdigheid", &r),
			 200);
	assert_true(has(r.headers, "-tijdigheid.csv"));
	assert_true(has(r.body, "\nFIN,Financi"));
	assert_true(has(r.body, "\nTotal,,,1,1,100,0,0,1,1,"));
	assert_false(has(r.body, "DEF"));
	http_result_free(&r);
	assert_int_equal(get(ANNA, "/jaarverslag/rapport?jaar=2023&formaat=xlsx", &r), 200);
	assert_true(r.body && r.body[0] == 'P' && r.body[1] == 'K');
	http_result_free(&r);
	/* one department in scope; Defence by code is not there */
	assert_int_equal(get(ANNA, "/jaarverslag/rapport?jaar=2023&org=BZK&formaat=json", &r),
			 200);
	assert_true(has(r.body, "\"code\": \"BZK\""));
	assert_false(has(r.body, "\"code\": \"FIN\""));
	http_result_free(&r);
	assert_int_equal(get(ANNA, "/jaarverslag/rapport?jaar=2023&org=DEF&formaat=json", &r),
			 404);
	assert_false(has(r.body, "Defensie"));
	http_result_free(&r);
}

static void test_own(void **state)
{
	(void)state;
	struct http_result r;
	assert_int_equal(get(IVO, "/jaarverslag/rapport?jaar=2023&org=FIN&formaat=json", &r), 200);
	assert_true(has(r.body, "\"code\": \"FIN\""));
	assert_false(has(r.body, "BZK"));
	assert_true(has(r.body, "\"registered\": 7"));
	http_result_free(&r);
	assert_int_equal(get(IVO, "/jaarverslag/rapport?jaar=2023&formaat=json", &r), 404);
	http_result_free(&r);
	assert_int_equal(get(IVO, "/jaarverslag/rapport?jaar=2023&org=BZK&formaat=json", &r), 404);
	assert_false(has(r.body, "\"code\""));
	http_result_free(&r);
	assert_int_equal(get(PIM, "/jaarverslag/rapport?jaar=2023&formaat=json", &r), 403);
	http_result_free(&r);
	assert_int_equal(get(IDA, "/jaarverslag/rapport?jaar=2023&org=FIN&formaat=json", &r),
			 403);
	http_result_free(&r);
}

static void test_refusals(void **state)
{
	(void)state;
	struct http_result r;
	assert_int_equal(get(ANNA, "/jaarverslag/rapport?jaar=20x3&formaat=json", &r), 422);
	assert_true(has(r.body, "The year is not valid"));
	http_result_free(&r);
	assert_int_equal(get(ANNA, "/jaarverslag/rapport?jaar=1800&formaat=json", &r), 422);
	http_result_free(&r);
	assert_int_equal(get(ANNA, "/jaarverslag/rapport?formaat=json", &r), 422);
	http_result_free(&r);
	assert_int_equal(get(ANNA, "/jaarverslag/rapport?jaar=2023&formaat=pdf", &r), 422);
	assert_true(has(r.body, "Choose one of the formats"));
	http_result_free(&r);
	/* a department that did not exist in that year */
	assert_int_equal(get(ANNA, "/jaarverslag/rapport?jaar=2015&org=BZK&formaat=json", &r),
			 404);
	http_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form),
		cmocka_unit_test(test_government),
		cmocka_unit_test(test_own),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
