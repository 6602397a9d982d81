/* test_risks.c: the risk register's pages, exports and API against a real
 * server (issue 6 item 3): an integrity coordinator keeps FIN's register
 * through the forms (a process with its SAINT answers, a position, risks, a
 * control); a likelihood off the matrix and a bad matrix are refused with
 * their messages and the values kept; a matrix with fewer levels than the
 * risks use is refused naming them; BZK's coordinator can neither read nor
 * change FIN's register (404, nothing changed), pages, exports, heat map and
 * API alike; FIN's manager reads and does not change; the coordinator and
 * the auditor see every department in scope and never Defence; the heat map
 * served on its own parses as XML with a <title> and <desc>; the CSV and
 * XLSX exports (the XLSX unzips with its four sheets); the API reads the
 * register and its heat map and creates and changes a risk. The tests run
 * in order and build on each other. */
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

enum { IVO, BOB, MAX, ANNA, OTTO, DIRK, ADAM, NUSERS };
static const char *const users[NUSERS] = {"ivo", "bob", "max", "anna", "otto", "dirk", "adam"};
static const char *const roles[NUSERS] = {"integrity_coordinator", "integrity_coordinator",
					  "manager", "coordinator", "auditor",
					  "integrity_coordinator", "administrator"};
static const char *const orgs[NUSERS] = {"FIN", "BZK", "FIN", "RIJK", "RIJK", "DEF", "RIJK"};

static struct client *cl[NUSERS];
static char *recovery[NUSERS];
static db_t *db;
static int64_t fin, bzk, def;
static int64_t risk1;

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

/* "/risicos/3" + rest */
static const char *reg(int64_t id, const char *rest)
{
	static char b[8][200];
	static int i;
	i = (i + 1) % 8;
	snprintf(b[i], sizeof b[i], "/risicos/%lld%s", (long long)id, rest);
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

static long get(int who, const char *path, struct http_result *r)
{
	return team_get(&team, (size_t)who, path, r);
}

static long post(int who, const char *path, const char *fields, struct http_result *r)
{
	return team_post(&team, (size_t)who, path, fields, r);
}

static void post_status(int who, const char *path, const char *fields, long status)
{
	team_post_status(&team, (size_t)who, path, fields, status);
}

static void get_status(int who, const char *path, long status)
{
	team_get_status(&team, (size_t)who, path, status);
}

/* Every row of the register's tables and the audit entries, as one number
 * that changes when anything is written. */
static int64_t written(void)
{
	return q1("SELECT (SELECT count(*) FROM risk_process) + (SELECT count(*) FROM risk_position)"
		  " + (SELECT count(*) FROM risk) + (SELECT count(*) FROM risk_control)"
		  " + (SELECT count(*) FROM risk_matrix) + (SELECT count(*) FROM risk_band)"
		  " + (SELECT count(*) FROM audit_log WHERE action LIKE 'risk.%')"
		  " + (SELECT total(length(title) + inherent_likelihood) FROM risk)", NULL);
}

#define RISK_FIELDS(title, il, ii, rl, ri)                                                 \
	"title=" title "&description=&process=0&category=1&inherent_likelihood=" il           \
	"&inherent_impact=" ii "&residual_likelihood=" rl "&residual_impact=" ri             \
	"&treatment=reduce&owner=Directeur+Subsidies&review_on=2030-01-01&status=open"

/* ---- keeping FIN's register ---- */

static void test_keep_register(void **state)
{
	(void)state;
	struct http_result r;
	/* an empty register shows the default matrix and an empty heat map */
	assert_int_equal(get(IVO, reg(fin, ""), &r), 200);
	assert_true(has(r.body, "Risk register of Financi"));
	assert_true(has(r.body, "The default matrix: 5 \xc3\x97 5"));
	assert_true(has(r.body, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\""));
	assert_true(has(r.body, "No risks yet."));
	assert_true(has(r.body, "href=\"/risicos\" aria-current=\"page\">Risks</a>"));
	http_result_free(&r);
	/* a process with its SAINT answers */
	assert_int_equal(get(IVO, reg(fin, "/processen/nieuw"), &r), 200);
	assert_true(has(r.body, "<legend class=\"utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend\">Inherent vulnerabilities (SAINT)</legend>"));
	assert_true(has(r.body, "for=\"f-inherent-payments\""));
	http_result_free(&r);
	post_status(IVO, reg(fin, "/processen"),
		    "name=Subsidieverlening&description=Toekennen+van+subsidies&inherent=payments"
		    "&inherent=money&inherent=permits&inherent=information&complexity=3&change=2"
		    "&management=2&personnel=2&history=3", 303);
	assert_int_equal(q1("SELECT count(*) FROM audit_log WHERE action = 'risk.process.add'", NULL), 1);
	/* a factor off the scale: the form again with the values as typed */
	assert_int_equal(post(IVO, reg(fin, "/processen"),
			      "name=Inkoop+%3Cb%3E&inherent=contracting&complexity=4&change=0"
			      "&management=0&personnel=0&history=0", &r), 422);
	assert_true(has(r.body, "Score each vulnerability-enhancing factor from 0 (absent) to 3"));
	assert_true(has(r.body, "value=\"Inkoop &lt;b&gt;\""));
	assert_true(has(r.body, "value=\"contracting\" checked"));
	http_result_free(&r);
	assert_int_equal(q1("SELECT count(*) FROM risk_process", NULL), 1);
	/* a position */
	int64_t proc = q1("SELECT id FROM risk_process", NULL);
	char f[600];
	snprintf(f, sizeof f, "title=Subsidiebeoordelaar&process=%lld&staff=14&screening=b"
		 "&screening_status=in_place&rotation_years=5&rotation_status=planned"
		 "&declaration=1&declaration_status=in_place", (long long)proc);
	post_status(IVO, reg(fin, "/functies"), f, 303);
	/* risks: within the matrix, and one off it */
	post_status(IVO, reg(fin, "/risicos"), RISK_FIELDS("Fraude+bij+subsidies", "4", "5", "2", "3"), 303);
	risk1 = q1("SELECT id FROM risk", NULL);
	int64_t before = written();
	assert_int_equal(post(IVO, reg(fin, "/risicos"), RISK_FIELDS("Te+hoog", "6", "5", "2", "3"), &r), 422);
	assert_true(has(r.body, "Likelihood must be one of the levels of the department&#39;s matrix."));
	assert_true(has(r.body, "value=\"Te hoog\""));
	http_result_free(&r);
	assert_int_equal(post(IVO, reg(fin, "/risicos"), RISK_FIELDS("Slechter", "2", "2", "3", "3"), &r), 422);
	assert_true(has(r.body, "The residual risk (after the controls) cannot score higher"));
	http_result_free(&r);
	assert_int_equal(written(), before);
	/* a choice that is no choice of the form is refused, not cut to fit
	 * ("implementedXYZ" once became "implemented") */
	snprintf(f, sizeof f, "risk=%lld&description=Vier-ogenprincipe&owner=Teamleider"
		 "&status=implementedXYZ&implemented_on=2024-03-01&review_on=", (long long)risk1);
	assert_int_equal(post(IVO, reg(fin, "/maatregelen"), f, &r), 422);
	assert_true(has(r.body, "An answer is longer than its field allows"));
	http_result_free(&r);
	assert_int_equal(written(), before);
	/* a control of the risk */
	snprintf(f, sizeof f, "risk=%lld&description=Vier-ogenprincipe&owner=Teamleider"
		 "&status=implemented&implemented_on=2024-03-01&review_on=", (long long)risk1);
	post_status(IVO, reg(fin, "/maatregelen"), f, 303);
	/* the register shows it all, the band inherent -> residual */
	assert_int_equal(get(IVO, reg(fin, "?opgeslagen=1"), &r), 200);
	assert_true(has(r.body, "Saved."));
	assert_true(has(r.body, "zeer hoog (20\xe2\x80\x93" "25) \xe2\x86\x92 midden (5\xe2\x80\x93" "9)"));
	assert_true(has(r.body, "Subsidiebeoordelaar"));
	assert_true(has(r.body, "security screening B: in place"));
	assert_true(has(r.body, "very high (inherent high, enhancing high)"));
	assert_true(has(r.body, "Vier-ogenprincipe"));
	/* residual by default: the cell (2, 3) holds the risk, in the map and the table */
	assert_true(has(r.body, "<title>likelihood 2, impact 3: 1 risks, level midden</title>"));
	assert_true(has(r.body, "<caption class=\"utrecht-table__caption\">Open risks per cell, after controls</caption>"));
	assert_true(has(r.body, "href=\"/risicos/"));
	http_result_free(&r);
	/* the switch to the inherent view is a link */
	assert_int_equal(get(IVO, reg(fin, "?weergave=bruto"), &r), 200);
	assert_true(has(r.body, "<title>likelihood 4, impact 5: 1 risks, level zeer hoog</title>"));
	assert_true(has(r.body, "Show the residual risks (after controls)"));
	http_result_free(&r);
	/* an update of the risk through its form */
	char path[80];
	snprintf(path, sizeof path, "/risicos/%lld", (long long)risk1);
	assert_int_equal(get(IVO, reg(fin, path), &r), 200);
	assert_true(has(r.body, "value=\"Fraude bij subsidies\""));
	http_result_free(&r);
	post_status(IVO, reg(fin, path), RISK_FIELDS("Fraude+bij+subsidies", "4", "5", "2", "2"), 303);
	assert_int_equal(q1("SELECT residual_impact FROM risk WHERE id = ?", "1"), 2);
	assert_int_equal(q1("SELECT count(*) FROM audit_log WHERE action = 'risk.update'", NULL), 1);
}

/* ---- the matrix ---- */

static void test_matrix(void **state)
{
	(void)state;
	struct http_result r;
	const char *levels = "likelihood_levels=5&likelihood_1=zeer+klein&likelihood_2=klein"
			     "&likelihood_3=gemiddeld&likelihood_4=groot&likelihood_5=zeer+groot"
			     "&impact_levels=5&impact_1=zeer+klein&impact_2=klein&impact_3=gemiddeld"
			     "&impact_4=groot&impact_5=zeer+groot";
	char f[1500];
	int64_t before = written();
	snprintf(f, sizeof f, "%s&band_1_name=low&band_1_lo=1&band_1_hi=4&band_1_colour=green"
		 "&band_2_name=medium&band_2_lo=5&band_2_hi=10&band_2_colour=yellow"
		 "&band_3_name=high&band_3_lo=9&band_3_hi=16&band_3_colour=orange"
		 "&band_4_name=very+high&band_4_lo=20&band_4_hi=25&band_4_colour=red", levels);
	assert_int_equal(post(IVO, reg(fin, "/matrix"), f, &r), 422);
	assert_true(has(r.body, "Bands &#39;medium&#39; (5\xe2\x80\x93" "10) and &#39;high&#39; (9\xe2\x80\x93" "16) overlap at 9\xe2\x80\x93" "10."));
	assert_true(has(r.body, "value=\"medium\""));
	http_result_free(&r);
	/* a gap */
	snprintf(f, sizeof f, "%s&band_1_name=low&band_1_lo=1&band_1_hi=4&band_1_colour=green"
		 "&band_2_name=high&band_2_lo=6&band_2_hi=25&band_2_colour=red", levels);
	assert_int_equal(post(IVO, reg(fin, "/matrix"), f, &r), 422);
	assert_true(has(r.body, "No band holds the score 5."));
	http_result_free(&r);
	/* bad sizes */
	assert_int_equal(post(IVO, reg(fin, "/matrix"), "likelihood_levels=11&impact_levels=5", &r), 422);
	assert_true(has(r.body, "Choose 2 to 10 levels on each axis."));
	http_result_free(&r);
	/* fewer levels than the risk uses (likelihood 4): refused, naming it */
	assert_int_equal(post(IVO, reg(fin, "/matrix"),
			      "likelihood_levels=3&likelihood_1=laag&likelihood_2=midden"
			      "&likelihood_3=hoog&impact_levels=5&impact_1=a&impact_2=b&impact_3=c"
			      "&impact_4=d&impact_5=e&band_1_name=laag&band_1_lo=1&band_1_hi=5"
			      "&band_1_colour=green&band_2_name=hoog&band_2_lo=6&band_2_hi=15"
			      "&band_2_colour=red", &r), 422);
	assert_true(has(r.body, "Risks still use levels the new matrix does not have"));
	assert_true(has(r.body, "&#39;Fraude bij subsidies&#39;"));
	http_result_free(&r);
	assert_int_equal(written(), before);
	/* a good one: 5 x 5 with three bands */
	snprintf(f, sizeof f, "%s&band_1_name=laag&band_1_lo=1&band_1_hi=6&band_1_colour=green"
		 "&band_2_name=midden&band_2_lo=8&band_2_hi=12&band_2_colour=yellow"
		 "&band_3_name=hoog&band_3_lo=15&band_3_hi=25&band_3_colour=red", levels);
	post_status(IVO, reg(fin, "/matrix"), f, 303);
	assert_int_equal(q1("SELECT count(*) FROM risk_band", NULL), 3);
	assert_int_equal(q1("SELECT count(*) FROM audit_log WHERE action = 'risk.matrix'", NULL), 1);
	assert_int_equal(get(IVO, reg(fin, ""), &r), 200);
	assert_true(has(r.body, "The department&#39;s own matrix: 5 \xc3\x97 5"));
	assert_true(has(r.body, "hoog (15\xe2\x80\x93" "25) \xe2\x86\x92 laag (1\xe2\x80\x93" "6)"));
	http_result_free(&r);
}

/* ---- who sees what ---- */

static void test_other_department(void **state)
{
	(void)state;
	struct http_result r;
	int64_t before = written();
	char path[80], f[300];
	/* BZK's coordinator: FIN's register is not there, reading or changing */
	const char *const reads[] = {"", "?weergave=bruto", "/heatmap.svg", "/export.csv",
				     "/export.xlsx", "/matrix", "/processen/nieuw",
				     "/risicos/nieuw", "/maatregelen/nieuw", "/functies/nieuw"};
	for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++)
		get_status(BOB, reg(fin, reads[i]), 404);
	snprintf(path, sizeof path, "/risicos/%lld", (long long)risk1);
	get_status(BOB, reg(fin, path), 404);
	post_status(BOB, reg(fin, path), RISK_FIELDS("Weg", "1", "1", "1", "1"), 404);
	post_status(BOB, reg(fin, "/risicos"), RISK_FIELDS("Nieuw", "1", "1", "1", "1"), 404);
	post_status(BOB, reg(fin, "/matrix"), "likelihood_levels=2&impact_levels=2", 404);
	post_status(BOB, reg(fin, "/processen"), "name=x&complexity=0&change=0&management=0"
		    "&personnel=0&history=0", 404);
	/* nor through his own register with FIN's ids */
	post_status(BOB, reg(bzk, path), RISK_FIELDS("Weg", "1", "1", "1", "1"), 404);
	get_status(BOB, reg(bzk, path), 404);
	snprintf(f, sizeof f, "risk=%lld&description=x&owner=y&status=planned&implemented_on="
		 "&review_on=", (long long)risk1);
	assert_int_equal(post(BOB, reg(bzk, "/maatregelen"), f, &r), 422);
	http_result_free(&r);
	int64_t ctl = q1("SELECT id FROM risk_control", NULL);
	snprintf(path, sizeof path, "/maatregelen/%lld", (long long)ctl);
	post_status(BOB, reg(bzk, path), f, 404);
	assert_int_equal(written(), before);
	/* his own list: BZK only */
	assert_int_equal(get(BOB, "/risicos", &r), 200);
	assert_true(has(r.body, "Binnenlandse Zaken (BZK)"));
	assert_false(has(r.body, "(FIN)"));
	http_result_free(&r);
	/* FIN's manager reads, never changes */
	get_status(MAX, reg(fin, ""), 200);
	get_status(MAX, reg(fin, "/export.csv"), 200);
	get_status(MAX, reg(fin, "/matrix"), 403);
	post_status(MAX, reg(fin, "/risicos"), RISK_FIELDS("Manager", "1", "1", "1", "1"), 403);
	get_status(MAX, reg(bzk, ""), 404);
	assert_int_equal(get(MAX, reg(fin, ""), &r), 200);
	assert_false(has(r.body, "Add a risk"));
	assert_false(has(r.body, "Change the matrix"));
	http_result_free(&r);
	/* the administrator has no register at all */
	get_status(ADAM, "/risicos", 403);
	get_status(ADAM, reg(fin, ""), 403);
	assert_int_equal(written(), before);
}

static void test_coordinator_scope(void **state)
{
	(void)state;
	struct http_result r;
	for (int who = ANNA; who <= OTTO; who++) {
		assert_int_equal(get(who, "/risicos", &r), 200);
		assert_true(has(r.body, "Binnenlandse Zaken (BZK)"));
		assert_true(has(r.body, "(FIN)"));
		assert_true(has(r.body, "laag 1")); /* FIN: one open risk, residual 2 x 2 */
		assert_false(has(r.body, "Defensie"));
		assert_false(has(r.body, "(DEF)"));
		http_result_free(&r);
		get_status(who, reg(fin, ""), 200);
		get_status(who, reg(fin, "/heatmap.svg"), 200);
		get_status(who, reg(def, ""), 404);
		get_status(who, reg(def, "/heatmap.svg"), 404);
		get_status(who, reg(def, "/export.xlsx"), 404);
		get_status(who, reg(fin, "/matrix"), 403);
	}
	/* Defence's own coordinator keeps Defence's register */
	get_status(DIRK, reg(def, ""), 200);
	get_status(DIRK, reg(fin, ""), 404);
}

/* ---- the heat map and the exports ---- */

static int run(const char *cmd)
{
	int rc = system(cmd);
	return rc == -1 ? -1 : WEXITSTATUS(rc);
}

static void save(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	if (!f)
		return;
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static void test_svg_and_exports(void **state)
{
	(void)state;
	struct http_result r;
	char file[400], cmd[1200];
	assert_int_equal(get(ANNA, reg(fin, "/heatmap.svg?weergave=bruto"), &r), 200);
	assert_true(has(r.headers, "Content-Type: image/svg+xml"));
	assert_true(has(r.headers, "X-Content-Type-Options: nosniff"));
	snprintf(file, sizeof file, "%s/heat.svg", srv.dir);
	save(file, r.body, strlen(r.body));
	http_result_free(&r);
	snprintf(cmd, sizeof cmd,
		 "python3 -c 'import sys, xml.etree.ElementTree as E\n"
		 "ns = \"{http://www.w3.org/2000/svg}\"\n"
		 "root = E.parse(sys.argv[1]).getroot()\n"
		 "assert root.tag == ns + \"svg\", root.tag\n"
		 "assert root.get(\"role\") == \"img\"\n"
		 "t, d = root.find(ns + \"title\"), root.find(ns + \"desc\")\n"
		 "assert t is not None and \"inherent\" in t.text, t\n"
		 "assert d is not None and d.text\n"
		 "ids = root.get(\"aria-labelledby\").split()\n"
		 "assert ids == [t.get(\"id\"), d.get(\"id\")], ids\n"
		 "assert len(root.findall(ns + \"g\")) == 25\n' '%s'", file);
	assert_int_equal(run(cmd), 0);

	/* CSV: the risks sheet by default, formulas never run */
	post_status(IVO, reg(fin, "/risicos"), RISK_FIELDS("%3DSUM(A1)", "2", "2", "1", "1"), 303);
	assert_int_equal(get(MAX, reg(fin, "/export.csv"), &r), 200);
	assert_true(has(r.headers, "Content-Type: text/csv"));
	assert_true(has(r.headers, "attachment; filename=\"risicoregister-FIN-risicos.csv\""));
	assert_true(has(r.body, "Fraude bij subsidies"));
	assert_true(has(r.body, "'=SUM(A1)"));
	assert_true(has(r.body, "Inherent likelihood"));
	http_result_free(&r);
	assert_int_equal(get(MAX, reg(fin, "/export.csv?blad=processen"), &r), 200);
	assert_true(has(r.body, "Subsidieverlening"));
	assert_true(has(r.body, "very high"));
	http_result_free(&r);
	get_status(MAX, reg(fin, "/export.csv?blad=geheim"), 404);
	/* XLSX: a zip with the four sheets; the body holds NUL bytes, so its
	 * length is the Content-Length */
	assert_int_equal(get(OTTO, reg(fin, "/export.xlsx"), &r), 200);
	assert_true(has(r.headers, "spreadsheetml.sheet"));
	assert_true(has(r.headers, "attachment; filename=\"risicoregister-FIN.xlsx\""));
	char *cl_hdr = text_between(r.headers, "Content-Length: ", "\r");
	if (!cl_hdr) {
		fail_msg("no Content-Length");
		return;
	}
	size_t n = (size_t)atol(cl_hdr);
	free(cl_hdr);
	assert_true(n > 1000);
	assert_true(r.body[0] == 'P' && r.body[1] == 'K');
	snprintf(file, sizeof file, "%s/register.xlsx", srv.dir);
	save(file, r.body, n);
	http_result_free(&r);
	snprintf(cmd, sizeof cmd,
		 "python3 -c 'import sys, zipfile, re\n"
		 "z = zipfile.ZipFile(sys.argv[1])\n"
		 "wb = z.read(\"xl/workbook.xml\").decode()\n"
		 "names = re.findall(r\"<sheet name=\\\"([^\\\"]+)\\\"\", wb)\n"
		 "assert names == [\"processes\", \"positions\", \"risks\", \"controls\"], names\n"
		 "strings = z.read(\"xl/sharedStrings.xml\").decode()\n"
		 "assert \"Fraude bij subsidies\" in strings\n"
		 "assert \"Vier-ogenprincipe\" in strings\n"
		 "assert \"Subsidiebeoordelaar\" in strings\n"
		 "for n in z.namelist():\n"
		 "    if n.startswith(\"xl/worksheets/\"): assert \"<f>\" not in z.read(n).decode()\n"
		 "' '%s'", file);
	assert_int_equal(run(cmd), 0);
}

/* ---- the API ---- */


static long call(const char *method, const char *path, const char *token, const char *json,
		 struct api_reply *out)
{
	return api_call(&srv, method, path, token, json, out);
}

static const char *err_code(const struct api_reply *r)
{
	return api_error_code(r);
}

static char *token(int who)
{
	return api_token(&srv, users[who], PW, recovery[who]);
}

/* base + id + rest: "/api/v1/risks/" 3 "" */
static const char *api3(const char *base, int64_t id, const char *rest)
{
	static char b[4][120];
	static int i;
	i = (i + 1) % 4;
	snprintf(b[i], sizeof b[i], "%s%lld%s", base, (long long)id, rest);
	return b[i];
}

static void test_api(void **state)
{
	(void)state;
	struct api_reply r;
	char *ivo = token(IVO), *bob = token(BOB), *anna = token(ANNA), *max = token(MAX);
	/* read: the register with bands, the heat map */
	assert_int_equal(call("GET", api3("/api/v1/risk-registers/", fin, ""), ivo, NULL, &r), 200);
	json_t *risks = json_object_get(r.json, "risks");
	assert_true(json_array_size(risks) >= 1);
	assert_true(json_is_true(json_object_get(json_object_get(r.json, "matrix"), "custom")));
	assert_int_equal(json_array_size(json_object_get(json_object_get(r.json, "matrix"), "bands")), 3);
	json_t *proc = json_array_get(json_object_get(r.json, "processes"), 0);
	assert_string_equal(json_string_value(json_object_get(json_object_get(proc, "profile"), "class")),
			    "very_high");
	json_decref(r.json);
	assert_int_equal(call("GET", api3("/api/v1/risk-registers/", fin, "/heatmap"), anna, NULL, &r), 200);
	json_t *inh = json_object_get(r.json, "inherent");
	assert_true(json_integer_value(json_object_get(inh, "total")) >= 1);
	/* risk 1 sits at likelihood 4, impact 5 before its controls */
	assert_int_equal(json_integer_value(json_array_get(json_array_get(json_object_get(inh, "counts"), 3), 4)), 1);
	json_decref(r.json);
	/* another department, or Defence for the coordinator: 404 */
	assert_int_equal(call("GET", api3("/api/v1/risk-registers/", fin, ""), bob, NULL, &r), 404);
	assert_string_equal(err_code(&r), "register_not_found");
	json_decref(r.json);
	assert_int_equal(call("GET", api3("/api/v1/risk-registers/", def, "/heatmap"), anna, NULL, &r), 404);
	json_decref(r.json);
	/* create */
	int64_t before = written();
	assert_int_equal(call("POST", api3("/api/v1/risk-registers/", fin, "/risks"), ivo,
			      "{\"title\":\"Lekken van informatie\",\"category\":\"1\","
			      "\"inherent_likelihood\":3,\"inherent_impact\":5,"
			      "\"residual_likelihood\":2,\"residual_impact\":4,"
			      "\"owner\":\"CISO\"}", &r), 201);
	int64_t id = json_integer_value(json_object_get(r.json, "id"));
	assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "inherent"), "band")), "hoog");
	assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "residual"), "band")), "midden");
	json_decref(r.json);
	assert_true(written() > before);
	/* off the matrix: 422 with the rule; another department and a manager
	 * change nothing */
	before = written();
	assert_int_equal(call("POST", api3("/api/v1/risks/", id, ""), ivo,
			      "{\"inherent_likelihood\":6}", &r), 422);
	assert_string_equal(err_code(&r), "invalid_risk");
	assert_true(has(json_string_value(json_object_get(json_object_get(r.json, "error"), "message")),
			"Likelihood must be one of the levels"));
	json_decref(r.json);
	assert_int_equal(call("POST", api3("/api/v1/risks/", id, ""), bob, "{\"title\":\"Weg\"}", &r), 404);
	json_decref(r.json);
	assert_int_equal(call("POST", api3("/api/v1/risk-registers/", fin, "/risks"), bob,
			      "{\"title\":\"x\",\"inherent_likelihood\":1,\"inherent_impact\":1,"
			      "\"residual_likelihood\":1,\"residual_impact\":1,\"owner\":\"x\"}", &r), 404);
	json_decref(r.json);
	assert_int_equal(call("POST", api3("/api/v1/risks/", id, ""), max, "{\"title\":\"Weg\"}", &r), 403);
	json_decref(r.json);
	assert_int_equal(call("POST", api3("/api/v1/risks/", id, ""), ivo, "{\"owner\":7}", &r), 400);
	json_decref(r.json);
	assert_int_equal(written(), before);
	/* a change of some fields keeps the others */
	assert_int_equal(call("POST", api3("/api/v1/risks/", id, ""), ivo,
			      "{\"status\":\"closed\",\"residual_impact\":3}", &r), 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "status")), "closed");
	assert_string_equal(json_string_value(json_object_get(r.json, "owner")), "CISO");
	json_decref(r.json);
	free(ivo);
	free(bob);
	free(anna);
	free(max);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keep_register),
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_other_department),
		cmocka_unit_test(test_coordinator_scope),
		cmocka_unit_test(test_svg_and_exports),
		cmocka_unit_test(test_api),
	};
	return team_run_group_tests(&team, tests);
}
