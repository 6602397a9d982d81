/* test_api_issue7.c: the read-only JSON API of issue 7 (src/app/api_ipim.c,
 * api_policy.c, api_culture.c) against a real server.
 *
 * Departments FIN, BZK and DEF (outside the coordinator's scope), with an
 * IPIM meeting whose agenda item links a policy item and has a decision,
 * good practices of all three, the policy item adopted by FIN and DEF, and
 * culture figures of all three (imported with `probity import culture`)
 * beside reports received (3 for FIN, below the threshold; 6 for BZK).
 * Proves: access per role as on the pages (an investigator 403 everywhere,
 * a manager the culture figures only, an IPIM member no culture figures, no
 * token 401); Defence's practices, adoption and figures reach its own
 * integrity coordinator and nobody else, and asking for DEF by code answers
 * 404 like a code that does not exist; another department's culture figures
 * 404; the search takes '%' literally and pages; every query parameter out
 * of its limits answers 400 invalid_parameter naming it; small counts are
 * null; and each answer validates against its schema in docs/openapi.yaml. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "harness_api.h"
#include "harness_team.h"
#include "store/db.h"

static struct server srv;

#define PW "lange zin over tulpen 42"

enum { ANNA, PIM, IVO, MIA, DIRK, IDA, NUSERS };
static const char *const users[NUSERS] = {"anna", "pim", "ivo", "mia", "dirk", "ida"};
static const char *const roles[NUSERS] = {"coordinator", "ipim_member",
					  "integrity_coordinator", "manager",
					  "integrity_coordinator", "investigator"};
static const char *const orgs[NUSERS] = {"RIJK", "RIJK", "FIN", "BZK", "DEF", "FIN"};

static struct client *cl[NUSERS];
static char *recovery[NUSERS]; /* the first recovery code, for an API session */
static char *tok[NUSERS];
static db_t *db;

static const struct team team = {.srv = &srv, .users = users, .roles = roles, .orgs = orgs,
				 .n = NUSERS, .password = PW, .cl = cl, .recovery = recovery,
				 .db = &db};

static int sql(const char *q)
{
	if (db_exec(db, q) != 0) {
		fprintf(stderr, "%s: %s\n", q, db_error(db)->msg);
		return -1;
	}
	return 0;
}

/* n reports received by code in 2022 */
static int reports(const char *code, int n)
{
	char q[700];
	for (int i = 0; i < n; i++) {
		snprintf(q, sizeof q,
			 "INSERT INTO report (org_id, kind, mode, questionnaire, questionnaire_revision,"
			 " received_on, received_at, receipt_lookup, receipt_salt, body) SELECT id,"
			 " 'wrongdoing', 'anonymous', 'q', 1, '2022-03-01', '2022-03-01T10:00:00Z',"
			 " randomblob(32), randomblob(16), X'' FROM org WHERE code = '%s'",
			 code);
		if (sql(q) != 0)
			return -1;
	}
	return 0;
}

static int seed(void)
{
	static const char *const q[] = {
		"INSERT INTO policy_item (id, title, kind, version, description, stage,"
		" development_on, adopted_on, implemented_on, evaluated_on, updated_on) VALUES (1,"
		" 'Gedragscode Integriteit Rijk', 'framework', '2019', 'De gedragscode.', 'adopted',"
		" '2018-01-01', '2019-03-01', '', '', '2024-01-01')",
		"INSERT INTO policy_adoption (policy_id, org_id, adopted_on, translation, evaluated_on,"
		" updated_on) SELECT 1, id, '2019-06-01', 'Eigen gedragscode ' || code, '',"
		" '2024-01-01' FROM org WHERE code IN ('FIN', 'DEF')",
		"INSERT INTO ipim_meeting (id, held_on, title, place, minutes, updated_on) VALUES"
		" (1, '2024-05-14', 'IPIM mei', 'online', 'Verslag.', '2024-05-14')",
		"INSERT INTO ipim_item (id, meeting_id, pos, title, note) VALUES (1, 1, 1,"
		" 'Gedragscode', '')",
		"INSERT INTO ipim_item_policy (item_id, policy_id) VALUES (1, 1)",
		"INSERT INTO ipim_decision (id, item_id, text, owner, due_on, status) VALUES (1, 1,"
		" 'Evalueren', 'coordinator', '2024-12-31', 'open')",
		"INSERT INTO ipim_practice (org_id, theme, title, description, contact, practised_on,"
		" updated_on) SELECT id, 'values', 'Dilemmatraining', 'Voor 100% van de teams.',"
		" 'integrity coordinator of FIN', '2023-01-01', '2024-01-01' FROM org WHERE code ="
		" 'FIN'",
		"INSERT INTO ipim_practice (org_id, theme, title, description, contact, practised_on,"
		" updated_on) SELECT id, 'information', 'Meldpunt', 'Een vast meldpunt.',"
		" 'integrity coordinator of BZK', '2023-02-01', '2024-01-01' FROM org WHERE code ="
		" 'BZK'",
		"INSERT INTO ipim_practice (org_id, theme, title, description, contact, practised_on,"
		" updated_on) SELECT id, 'relations', 'Defensiepraktijk', 'Alleen voor Defensie.',"
		" 'integrity coordinator of DEF', '2023-03-01', '2024-01-01' FROM org WHERE code ="
		" 'DEF'",
	};
	for (size_t i = 0; i < sizeof q / sizeof q[0]; i++)
		if (sql(q[i]) != 0)
			return -1;
	if (reports("FIN", 3) || reports("BZK", 6) || reports("DEF", 7))
		return -1;
	char path[400];
	snprintf(path, sizeof path, "%s/culture.csv", srv.dir);
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fputs("organisation,year,indicator,value,respondents,source\n"
	      "FIN,2022,would_report,70.5,120,Personeelsenquete 2022\n"
	      "BZK,2022,would_report,61.0,80,Personeelsenquete 2022\n"
	      "DEF,2022,would_report,55.0,300,Personeelsenquete 2022\n",
	      f);
	if (fclose(f) != 0)
		return -1;
	const char *imp[] = {"import", "culture", path, NULL};
	return server_cli_input(&srv, imp, NULL) == 0 ? 0 : -1;
}

static int setup(void **state)
{
	(void)state;
	/* the first sign-in on the website (team_start) sets up a second factor
	 * where the role needs one; its recovery code opens the API session */
	if (team_start(&team) != 0 || seed() != 0)
		return -1;
	for (int i = 0; i < NUSERS; i++)
		tok[i] = api_token(&srv, users[i], PW, recovery[i]);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (int i = 0; i < NUSERS; i++)
		free(tok[i]);
	return team_stop(&team);
}

static long get(int who, const char *path, struct api_reply *r)
{
	return api_call(&srv, "GET", path, who < 0 ? NULL : tok[who], NULL, r);
}

/* Validates j against the schema at pointer (a JSON pointer into
 * docs/openapi.yaml) with jsonschema; fails the test with its message. */
static void valid(const json_t *j, const char *pointer)
{
	char file[400], cmd[1600];
	snprintf(file, sizeof file, "%s/answer.json", srv.dir);
	if (!j || json_dump_file(j, file, 0) != 0) {
		fail_msg("no answer to validate against %s", pointer);
		return;
	}
	snprintf(cmd, sizeof cmd,
		 "python3 -c 'import sys, json, yaml\n"
		 "from jsonschema import Draft202012Validator\n"
		 "d = yaml.safe_load(open(sys.argv[1]))\n"
		 "s = dict(d)\n"
		 "s[\"$ref\"] = sys.argv[3]\n"
		 "Draft202012Validator(s).validate(json.load(open(sys.argv[2])))\n'"
		 " '%s/docs/openapi.yaml' '%s' '%s' 2>&1",
		 SRCDIR, file, pointer);
	FILE *f = popen(cmd, "r");
	if (!f) {
		fail_msg("cannot run python3");
		return;
	}
	char out[2000];
	size_t n = fread(out, 1, sizeof out - 1, f);
	out[n] = 0;
	if (pclose(f) != 0)
		fail_msg("%s does not validate: %s", pointer, out);
}

#define OK_SCHEMA(p) "#/paths/~1api~1v1~1" p "/get/responses/200/content/application~1json/schema"
#define ERROR_SCHEMA "#/components/schemas/Error"

/* the codes of a list of objects under key, joined with ',' */
static const char *codes(const json_t *list, const char *key)
{
	static char b[400];
	size_t len = 0;
	b[0] = 0;
	for (size_t i = 0; i < json_array_size(list) && len < sizeof b; i++) {
		const char *v = json_string_value(json_object_get(json_array_get(list, i), key));
		len += (size_t)snprintf(b + len, sizeof b - len, "%s%s", i ? "," : "", v ? v : "?");
	}
	return b;
}

/* One request and what its answer must be: the status; for a list, the
 * codes under key of the objects in list (when list is set); for an error,
 * its code (when error is set). */
struct expect {
	int who; /* -1: no token */
	const char *path;
	long status;
	const char *list, *key, *codes;
	const char *error;
};

static void check(const struct expect *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *who = e[i].who < 0 ? "nobody" : users[e[i].who];
		struct api_reply r;
		long status = get(e[i].who, e[i].path, &r);
		if (status != e[i].status)
			fail_msg("%s as %s: %ld, not %ld", e[i].path, who, status, e[i].status);
		const char *got = e[i].list ? codes(json_object_get(r.json, e[i].list), e[i].key) : NULL;
		if (got && strcmp(got, e[i].codes) != 0)
			fail_msg("%s as %s: %s, not %s", e[i].path, who, got, e[i].codes);
		const char *error = e[i].error ? api_error_code(&r) : NULL;
		if (e[i].error && (!error || strcmp(error, e[i].error) != 0))
			fail_msg("%s as %s: error %s, not %s", e[i].path, who, error ? error : "none",
				 e[i].error);
		json_decref(r.json);
	}
}

#define N(a) (sizeof(a) / sizeof((a)[0]))
/* a status alone; a 200 with a list's codes; an error's status and code */
#define STATUS(w, p, s) {.who = (w), .path = (p), .status = (s)}
#define LIST(w, p, l, k, c) \
	{.who = (w), .path = (p), .status = 200, .list = (l), .key = (k), .codes = (c)}
#define ERROR(w, p, s, e) {.who = (w), .path = (p), .status = (s), .error = (e)}

/* ---- access per role ---- */

static void test_roles(void **state)
{
	(void)state;
	static const char *const ipim_policy[] = {"/api/v1/ipim/meetings", "/api/v1/ipim/meetings/1",
						  "/api/v1/good-practices", "/api/v1/policy-items",
						  "/api/v1/policy-items/1"};
	for (size_t i = 0; i < N(ipim_policy); i++) {
		const struct expect e[] = {
			STATUS(IDA, ipim_policy[i], 403), STATUS(MIA, ipim_policy[i], 403),
			STATUS(-1, ipim_policy[i], 401), STATUS(PIM, ipim_policy[i], 200),
			STATUS(IVO, ipim_policy[i], 200),
		};
		check(e, N(e));
	}
	struct api_reply r;
	assert_int_equal(get(IDA, "/api/v1/culture", &r), 403);
	assert_string_equal(api_error_code(&r), "forbidden");
	valid(r.json, ERROR_SCHEMA);
	json_decref(r.json);
	static const struct expect culture[] = {
		ERROR(PIM, "/api/v1/culture", 403, "forbidden"),
		STATUS(MIA, "/api/v1/culture", 200),
	};
	check(culture, N(culture));
}

/* ---- IPIM's meetings ---- */

static void test_meetings(void **state)
{
	(void)state;
	struct api_reply r;
	assert_int_equal(get(ANNA, "/api/v1/ipim/meetings", &r), 200);
	valid(r.json, OK_SCHEMA("ipim~1meetings"));
	json_t *m = json_object_get(r.json, "meetings");
	assert_int_equal(json_array_size(m), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(m, 0), "title")),
			    "IPIM mei");
	json_decref(r.json);

	assert_int_equal(get(PIM, "/api/v1/ipim/meetings/1", &r), 200);
	valid(r.json, OK_SCHEMA("ipim~1meetings~1{id}"));
	json_t *agenda = json_object_get(r.json, "agenda");
	json_t *item = json_array_get(agenda, 0);
	assert_int_equal(json_array_size(agenda), 1);
	assert_int_equal(json_array_size(json_object_get(item, "policy_items")), 1);
	json_t *dec = json_array_get(json_object_get(item, "decisions"), 0);
	assert_string_equal(json_string_value(json_object_get(dec, "status")), "open");
	assert_string_equal(json_string_value(json_object_get(dec, "due_on")), "2024-12-31");
	json_decref(r.json);

	assert_int_equal(get(ANNA, "/api/v1/ipim/meetings/999", &r), 404);
	assert_string_equal(api_error_code(&r), "meeting_not_found");
	valid(r.json, ERROR_SCHEMA);
	json_decref(r.json);
}

/* ---- the good-practice library ---- */

static void test_practices(void **state)
{
	(void)state;
	struct api_reply r;
	/* the coordinator: FIN's and BZK's, never Defence's */
	assert_int_equal(get(ANNA, "/api/v1/good-practices", &r), 200);
	valid(r.json, OK_SCHEMA("good-practices"));
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 2);
	assert_string_equal(codes(json_object_get(r.json, "practices"), "department"), "BZK,FIN");
	json_decref(r.json);
	static const struct expect e[] = {
		/* Defence's integrity coordinator sees its own too */
		LIST(DIRK, "/api/v1/good-practices", "practices", "department", "DEF,BZK,FIN"),
		/* to anyone else DEF is no department: the same answer as one
		 * that does not exist */
		ERROR(ANNA, "/api/v1/good-practices?department=NOPE", 404, "department_not_found"),
		/* by department, theme, words; '%' is a character, not a wildcard */
		LIST(IVO, "/api/v1/good-practices?department=BZK", "practices", "department", "BZK"),
		LIST(IVO, "/api/v1/good-practices?theme=values", "practices", "department", "FIN"),
		LIST(IVO, "/api/v1/good-practices?q=100%25", "practices", "department", "FIN"),
	};
	check(e, N(e));
	assert_int_equal(get(DIRK, "/api/v1/good-practices?department=def", &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 1);
	json_decref(r.json);
	/* DEF answers as NOPE does (above), and by the Error schema */
	assert_int_equal(get(ANNA, "/api/v1/good-practices?department=DEF", &r), 404);
	assert_string_equal(api_error_code(&r), "department_not_found");
	valid(r.json, ERROR_SCHEMA);
	json_decref(r.json);
	assert_int_equal(get(IVO, "/api/v1/good-practices?q=M%25punt", &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 0);
	json_decref(r.json);
	assert_int_equal(get(IVO, "/api/v1/good-practices?page=2", &r), 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "practices")), 0);
	assert_int_equal(json_integer_value(json_object_get(r.json, "page")), 2);
	assert_int_equal(json_integer_value(json_object_get(r.json, "pages")), 1);
	json_decref(r.json);
}

/* every parameter out of its limits: 400 naming it */
static void test_bad_parameters(void **state)
{
	(void)state;
	char long_q[260] = "/api/v1/good-practices?q=";
	memset(long_q + strlen(long_q), 'a', 201);
	static const struct {
		const char *path, *parameter;
	} bad[] = {
		{NULL, "q"},
		{"/api/v1/good-practices?q=a%01b", "q"},
		{"/api/v1/good-practices?q=%ff", "q"},
		{"/api/v1/good-practices?theme=courage", "theme"},
		{"/api/v1/good-practices?page=0", "page"},
		{"/api/v1/good-practices?page=102", "page"},
		{"/api/v1/good-practices?page=01", "page"},
		{"/api/v1/good-practices?page=-1", "page"},
		{"/api/v1/good-practices?page=two", "page"},
		{"/api/v1/good-practices?department=A%20B", "department"},
		{"/api/v1/good-practices?department=ABCDEFGHIJKLMNOPQRSTUVWXYZ", "department"},
		{"/api/v1/culture?department=-FIN", "department"},
		{"/api/v1/culture?year=1989", "year"},
		{"/api/v1/culture?year=3000", "year"},
		{"/api/v1/culture?year=20x2", "year"},
		{"/api/v1/culture?year=", "year"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct api_reply r;
		const char *path = bad[i].path ? bad[i].path : long_q;
		if (get(ANNA, path, &r) != 400)
			fail_msg("%s: %ld, not 400", path, r.status);
		assert_string_equal(api_error_code(&r), "invalid_parameter");
		json_t *e = json_object_get(r.json, "error");
		assert_string_equal(json_string_value(json_object_get(e, "parameter")),
				    bad[i].parameter);
		if (i == 0)
			valid(r.json, ERROR_SCHEMA);
		json_decref(r.json);
	}
}

/* ---- the policy cycle ---- */

static void test_policy(void **state)
{
	(void)state;
	struct api_reply r;
	assert_int_equal(get(ANNA, "/api/v1/policy-items", &r), 200);
	valid(r.json, OK_SCHEMA("policy-items"));
	json_t *it = json_array_get(json_object_get(r.json, "policy_items"), 0);
	json_t *ad = json_object_get(it, "adoptions");
	/* FIN of FIN and BZK: Defence's adoption is not counted for the coordinator */
	assert_int_equal(json_integer_value(json_object_get(ad, "recorded")), 1);
	assert_int_equal(json_integer_value(json_object_get(ad, "departments")), 2);
	assert_string_equal(json_string_value(json_object_get(it, "stage")), "adopted");
	json_decref(r.json);
	assert_int_equal(get(DIRK, "/api/v1/policy-items", &r), 200);
	ad = json_object_get(json_array_get(json_object_get(r.json, "policy_items"), 0),
			     "adoptions");
	assert_int_equal(json_integer_value(json_object_get(ad, "recorded")), 2);
	assert_int_equal(json_integer_value(json_object_get(ad, "departments")), 3);
	json_decref(r.json);

	assert_int_equal(get(PIM, "/api/v1/policy-items/1", &r), 200);
	valid(r.json, OK_SCHEMA("policy-items~1{id}"));
	json_t *deps = json_object_get(r.json, "departments");
	assert_string_equal(codes(deps, "code"), "BZK,FIN");
	assert_true(json_is_null(json_object_get(json_array_get(deps, 0), "adoption")));
	json_t *fin = json_object_get(json_array_get(deps, 1), "adoption");
	assert_string_equal(json_string_value(json_object_get(fin, "translation")),
			    "Eigen gedragscode FIN");
	char *all = json_dumps(r.json, 0);
	if (!all) {
		fail_msg("no json");
		return;
	}
	assert_null(strstr(all, "DEF"));
	assert_null(strstr(all, "Defensie"));
	free(all);
	json_decref(r.json);
	static const struct expect e[] = {
		LIST(DIRK, "/api/v1/policy-items/1", "departments", "code", "BZK,DEF,FIN"),
	};
	check(e, N(e));
	assert_int_equal(get(ANNA, "/api/v1/policy-items/999", &r), 404);
	assert_string_equal(api_error_code(&r), "policy_item_not_found");
	valid(r.json, ERROR_SCHEMA);
	json_decref(r.json);
}

/* ---- culture indicators ---- */

static void test_culture(void **state)
{
	(void)state;
	struct api_reply r;
	assert_int_equal(get(ANNA, "/api/v1/culture", &r), 200);
	valid(r.json, OK_SCHEMA("culture"));
	json_t *deps = json_object_get(r.json, "departments");
	assert_string_equal(codes(deps, "code"), "BZK,FIN");
	/* BZK's 6 reports are shown, FIN's 3 are below the threshold: null */
	json_t *bzk = json_array_get(json_object_get(json_array_get(deps, 0), "years"), 0);
	json_t *fin = json_array_get(json_object_get(json_array_get(deps, 1), "years"), 0);
	assert_int_equal(json_integer_value(json_object_get(bzk, "reports")), 6);
	assert_true(json_is_null(json_object_get(fin, "reports")));
	json_t *wr = json_object_get(json_object_get(fin, "indicators"), "would_report");
	assert_true(json_real_value(json_object_get(wr, "percent")) == 70.5);
	assert_int_equal(json_integer_value(json_object_get(wr, "respondents")), 120);
	assert_int_equal(json_integer_value(json_object_get(r.json, "suppressed_below")), 5);
	json_decref(r.json);
	static const struct expect e[] = {
		/* a department's own people: their department only */
		LIST(IVO, "/api/v1/culture", "departments", "code", "FIN"),
		LIST(MIA, "/api/v1/culture?department=BZK&year=2022", "departments", "code", "BZK"),
		LIST(DIRK, "/api/v1/culture", "departments", "code", "DEF"),
		/* another department, Defence for the coordinator: 404 */
		ERROR(IVO, "/api/v1/culture?department=BZK", 404, "department_not_found"),
		ERROR(ANNA, "/api/v1/culture?department=DEF", 404, "department_not_found"),
	};
	check(e, N(e));
	/* a year without figures: the department, no years */
	assert_int_equal(get(ANNA, "/api/v1/culture?department=FIN&year=2021", &r), 200);
	deps = json_object_get(r.json, "departments");
	assert_int_equal(json_array_size(deps), 1);
	assert_int_equal(json_array_size(json_object_get(json_array_get(deps, 0), "years")), 0);
	json_decref(r.json);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_meetings),
		cmocka_unit_test(test_practices),
		cmocka_unit_test(test_bad_parameters),
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_culture),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
