/* test_loop.c: "where were the risks greatest" (src/loop) and the place of
 * a violation at the outcome step, against a real server.
 *
 * Departments FIN (with the unit FIN-DGB), BZK and DEF (outside the
 * coordinator's scope), each with a process in its risk register; closed
 * cases of FIN as a purge leaves them (the statistical record only) are put
 * into the server's database. Proves: FIN's integrity coordinator sees FIN
 * in full and BZK's view answers 404 (and the other way round); the
 * coordinator's overview never lists DEF and DEF's view is 404 to it; the
 * coordinator sees FIN with small counts as "< 5"; flags A and B appear for
 * the seeded situation and disappear when the register changes; the CSV and
 * XLSX exports; a refused period; at the outcome step a process of another
 * department, or a unit outside the department, is refused with a plain
 * message and nothing is saved, while FIN's own process is saved. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>

#include "crypto/audit.h"
#include "crypto/signkey.h"
#include "harness.h"
#include "harness_api.h"
#include "intake/intake.h"
#include "intake/qset.h"
#include "store/db.h"

static struct server srv;

#define PW "lange zin over tulpen 42"

enum { IVO, BOB, DORA, MAX, ANNA, OTTO, NUSERS };
static const char *const users[NUSERS] = {"ivo", "bob", "dora", "max", "anna", "otto"};
static const char *const roles[NUSERS] = {"integrity_coordinator", "integrity_coordinator",
					  "integrity_coordinator", "manager",
					  "coordinator",           "auditor"};
static const char *const orgs[NUSERS] = {"FIN", "BZK", "DEF", "FIN", "RIJK", "RIJK"};

static struct client *cl[NUSERS];
static char *recovery[NUSERS]; /* the first recovery code, for an API session */
static db_t *db;
static struct signkey key;
static struct audit_signer signer;
static int64_t fin, dgb, bzk, def, p_inkoop, p_invordering, p_bzk, p_def, risk_low;

static int has(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

static int64_t q1(const char *sql)
{
	int64_t n = -1;
	assert_int_equal(db_query_i64(db, sql, NULL, &n), 0);
	return n;
}

static int exec(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int exec(const char *fmt, ...)
{
	char sql[1000];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	int rc = db_exec(db, sql);
	if (rc != 0)
		fprintf(stderr, "%s: %s\n", sql, db_error(db)->msg);
	return rc;
}

static int64_t add_process(int64_t org, const char *name)
{
	int64_t id = -1;
	if (exec("INSERT INTO risk_process (org_id, name, description, inherent, f_complexity, "
		 "f_change, f_management, f_personnel, f_history, updated_on) VALUES (%lld, '%s', "
		 "'', 0, 0, 0, 0, 0, 0, '2026-01-01')", (long long)org, name) != 0 ||
	    db_query_i64(db, "SELECT max(id) FROM risk_process", NULL, &id) != 0)
		return -1;
	return id;
}

/* A closed, purged case of org as the purge leaves it: statistics only. */
static int add_history(int64_t org, int64_t process, const char *category, const char *outcome,
		       const char *opened)
{
	return exec("INSERT INTO case_file (org_id, protocol, protocol_revision, phase, "
		    "phase_started_on, opened_on, opened_at, closed_on, category, taxonomy, "
		    "taxonomy_revision, outcome, police_report, purge_after, purged_on, "
		    "summary_key, process_id) VALUES (%lld, 'onderzoeksprotocol', 1, 'closing', "
		    "'%s', '%s', '%sT09:00:00Z', '%s', '%s', 'schendingen', 1, '%s', 0, '%s', "
		    "'%s', X'', nullif(%lld, 0))",
		    (long long)org, opened, opened, opened, opened, category, outcome, opened,
		    opened, (long long)process);
}

static int64_t id_of(const char *code)
{
	int64_t id = -1;
	db_query_i64(db, "SELECT id FROM org WHERE code = ? AND valid_to IS NULL", code, &id);
	return id;
}

static int cli(const char *const *args)
{
	return server_cli_input(&srv, args, NULL);
}

static int setup(void **state)
{
	(void)state;
	char err[300];
	signal(SIGPIPE, SIG_IGN);
	if (sodium_init() < 0 || server_start(&srv) != 0 || intake_qset_init(err, sizeof err) != 0)
		return -1;
	const char *dgbc[] = {"org", "add", "FIN-DGB", "--name", "Belastingdienst", "--kind",
			      "unit", "--parent", "FIN", "--from", "2020-01-01", NULL};
	const char *bzkc[] = {"org", "add", "BZK", "--name", "Binnenlandse Zaken", "--parent",
			      "RIJK", "--from", "2020-01-01", NULL};
	const char *defc[] = {"org", "add", "DEF", "--name", "Defensie", "--parent", "RIJK",
			      "--from", "2020-01-01", "--outside-scope", NULL};
	if (server_add_rijk_fin(&srv) || cli(dgbc) || cli(bzkc) || cli(defc))
		return -1;
	for (int i = 0; i < NUSERS; i++)
		if (server_add_user(&srv, users[i], users[i], roles[i], orgs[i], PW))
			return -1;
	struct db_options opt = {.busy_timeout_ms = 10000};
	struct db_error dbe;
	if (db_open(srv.db, 0, &opt, &db, &dbe) != 0)
		return -1;
	char keypath[400];
	snprintf(keypath, sizeof keypath, "%s", server_key_path(&srv));
	if (signkey_load(keypath, &key, err, sizeof err) != 0)
		return -1;
	signer = (struct audit_signer){&key, 100};
	fin = id_of("FIN");
	dgb = id_of("FIN-DGB");
	bzk = id_of("BZK");
	def = id_of("DEF");
	p_inkoop = add_process(fin, "Inkoop en aanbesteding");
	p_invordering = add_process(fin, "Invordering");
	p_bzk = add_process(bzk, "Vergunningverlening BZK");
	p_def = add_process(def, "Materieelverwerving");
	if (fin <= 0 || dgb <= 0 || bzk <= 0 || def <= 0 || p_inkoop <= 0 || p_bzk <= 0 ||
	    p_def <= 0)
		return -1;
	/* FIN: a risk of Inkoop, category 2, residual 1 x 2 = 2: the lowest band */
	if (exec("INSERT INTO risk (org_id, process_id, title, description, category, taxonomy, "
		 "taxonomy_revision, inherent_likelihood, inherent_impact, residual_likelihood, "
		 "residual_impact, treatment, owner, status, updated_on) VALUES (%lld, %lld, "
		 "'Belangenverstrengeling bij gunning', '', '2', 'schendingen', 1, 3, 3, 1, 2, "
		 "'reduce', 'Directeur inkoop', 'open', '2026-01-01')",
		 (long long)fin, (long long)p_inkoop) != 0 ||
	    db_query_i64(db, "SELECT max(id) FROM risk", NULL, &risk_low) != 0)
		return -1;
	/* two established violations of Inkoop/2 (flag A at n = 2), one of
	 * Invordering/1 without any risk (flag B), one not established (never
	 * counted), one of DEF */
	if (add_history(fin, p_inkoop, "2", "established", "2025-03-01") ||
	    add_history(dgb, p_inkoop, "2", "partly", "2025-09-01") ||
	    add_history(fin, p_invordering, "1", "established", "2025-05-01") ||
	    add_history(fin, p_invordering, "3", "not_established", "2025-05-01") ||
	    add_history(def, p_def, "1", "established", "2025-05-01"))
		return -1;
	for (int i = 0; i < NUSERS; i++) {
		cl[i] = client_new(&srv);
		if (client_sign_in(cl[i], users[i], PW, NULL, &recovery[i]) != 0 ||
		    client_set_lang(cl[i], "en") != 0) {
			fprintf(stderr, "signing in %s failed\n", users[i]);
			return -1;
		}
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (int i = 0; i < NUSERS; i++) {
		client_free(cl[i]);
		free(recovery[i]);
	}
	db_close(db);
	signkey_wipe(&key);
	return server_stop(&srv) == 0 ? 0 : -1;
}

static const char *view(int64_t dept, const char *rest)
{
	static char b[4][200];
	static int i;
	i = (i + 1) % 4;
	snprintf(b[i], sizeof b[i], "/schendingen-en-risicos/%lld%s", (long long)dept, rest);
	return b[i];
}

static long get(int who, const char *path, struct http_result *r)
{
	assert_int_equal(client_get(cl[who], path, r), 0);
	return r->status;
}

#define FLAG_A "Rated low, but violations keep occurring:"
#define FLAG_B "Violations without any registered risk:"

/* a department's own people see it in full; another department's answers 404 */
static void test_access(void **state)
{
	(void)state;
	struct http_result r;
	assert_int_equal(get(IVO, view(fin, ""), &r), 200);
	assert_true(has(r.body, "Inkoop en aanbesteding"));
	assert_true(has(r.body, "Invordering"));
	assert_false(has(r.body, "&lt; 5"));
	assert_true(has(r.body, "href=\"/schendingen-en-risicos\"")); /* in the navigation */
	http_result_free(&r);
	assert_int_equal(get(MAX, view(fin, ""), &r), 200); /* a manager of FIN */
	http_result_free(&r);
	assert_int_equal(get(IVO, view(bzk, ""), &r), 404);
	assert_false(has(r.body, "Vergunningverlening BZK"));
	http_result_free(&r);
	assert_int_equal(get(BOB, view(fin, ""), &r), 404);
	assert_false(has(r.body, "Inkoop"));
	http_result_free(&r);
	assert_int_equal(get(BOB, view(fin, "/export.csv"), &r), 404);
	http_result_free(&r);
	assert_int_equal(get(IVO, view(999999, ""), &r), 404);
	http_result_free(&r);
	/* DEF's own coordinator sees DEF */
	assert_int_equal(get(DORA, view(def, ""), &r), 200);
	assert_true(has(r.body, "Materieelverwerving"));
	http_result_free(&r);
}

/* the coordinator's overview never lists DEF; DEF's view is 404 to it;
 * FIN's view to the coordinator and auditor suppresses small counts */
static void test_coordinator(void **state)
{
	(void)state;
	struct http_result r;
	for (int who = ANNA; who <= OTTO; who++) {
		assert_int_equal(get(who, "/schendingen-en-risicos", &r), 200);
		assert_true(has(r.body, "(FIN)"));
		assert_true(has(r.body, "(BZK)"));
		assert_false(has(r.body, "DEF"));
		assert_false(has(r.body, "Defensie"));
		assert_true(has(r.body, "&lt; 5"));
		http_result_free(&r);
		assert_int_equal(get(who, view(def, ""), &r), 404);
		assert_false(has(r.body, "Materieelverwerving"));
		http_result_free(&r);
		assert_int_equal(get(who, view(def, "/export.csv"), &r), 404);
		http_result_free(&r);
		assert_int_equal(get(who, view(fin, ""), &r), 200);
		assert_true(has(r.body, "&lt; 5"));
		assert_true(has(r.body, FLAG_A));
		http_result_free(&r);
	}
	/* DEF's coordinator has no overview of the government */
	assert_int_equal(get(DORA, "/schendingen-en-risicos", &r), 200);
	assert_false(has(r.body, "(FIN)"));
	http_result_free(&r);
}

/* flags for the seeded situation, gone when the register changes */
static void test_flags(void **state)
{
	(void)state;
	struct http_result r;
	assert_int_equal(get(IVO, view(fin, "?van=2024-01-01&tot=2025-12-31&n=2"), &r), 200);
	assert_true(has(r.body, FLAG_A));
	assert_true(has(r.body, FLAG_B));
	http_result_free(&r);
	/* n = 3: two violations are no longer enough for A */
	assert_int_equal(get(IVO, view(fin, "?van=2024-01-01&tot=2025-12-31&n=3"), &r), 200);
	assert_false(has(r.body, FLAG_A));
	assert_true(has(r.body, FLAG_B));
	http_result_free(&r);
	/* a period without the violations: no flag */
	assert_int_equal(get(IVO, view(fin, "?van=2021-01-01&tot=2024-12-31"), &r), 200);
	assert_false(has(r.body, FLAG_A));
	assert_false(has(r.body, FLAG_B));
	http_result_free(&r);
	/* the risk reassessed higher, a risk registered for Invordering/1 */
	assert_int_equal(exec("UPDATE risk SET residual_likelihood = 3, residual_impact = 4 "
			      "WHERE id = %lld", (long long)risk_low), 0);
	assert_int_equal(exec("INSERT INTO risk (org_id, process_id, title, description, category, "
			      "taxonomy, taxonomy_revision, inherent_likelihood, inherent_impact, "
			      "residual_likelihood, residual_impact, treatment, owner, status, "
			      "updated_on) VALUES (%lld, %lld, 'Misbruik bij invordering', '', '1', "
			      "'schendingen', 1, 3, 3, 2, 3, 'reduce', 'Directeur', 'open', "
			      "'2026-01-01')", (long long)fin, (long long)p_invordering), 0);
	assert_int_equal(get(IVO, view(fin, "?van=2024-01-01&tot=2025-12-31&n=2"), &r), 200);
	assert_false(has(r.body, FLAG_A));
	assert_false(has(r.body, FLAG_B));
	assert_true(has(r.body, "hoog"));
	http_result_free(&r);
	/* and back: the assessment lowered again brings A back */
	assert_int_equal(exec("UPDATE risk SET residual_likelihood = 1, residual_impact = 2 "
			      "WHERE id = %lld", (long long)risk_low), 0);
	assert_int_equal(get(IVO, view(fin, "?van=2024-01-01&tot=2025-12-31&n=2"), &r), 200);
	assert_true(has(r.body, FLAG_A));
	http_result_free(&r);
}

static void test_query_refused(void **state)
{
	(void)state;
	struct http_result r;
	assert_int_equal(get(IVO, view(fin, "?van=2025-13-01"), &r), 422);
	assert_true(has(r.body, "not a date"));
	http_result_free(&r);
	assert_int_equal(get(IVO, view(fin, "?van=2025-06-01&tot=2025-01-01"), &r), 422);
	assert_true(has(r.body, "ends before it begins"));
	http_result_free(&r);
	assert_int_equal(get(IVO, view(fin, "?n=0"), &r), 422);
	http_result_free(&r);
	assert_int_equal(get(IVO, view(fin, "?tot=2999-01-01"), &r), 422);
	http_result_free(&r);
	assert_int_equal(get(IVO, view(fin, "/export.csv?n=x"), &r), 422);
	http_result_free(&r);
	/* another department's view with a bad query is still 404 */
	assert_int_equal(get(BOB, view(fin, "?van=x"), &r), 404);
	http_result_free(&r);
}

static void test_exports(void **state)
{
	(void)state;
	struct http_result r;
	assert_int_equal(get(IVO, view(fin, "/export.csv?van=2024-01-01&tot=2025-12-31"), &r), 200);
	assert_true(has(r.headers, "text/csv"));
	assert_true(has(r.headers, "schendingen-en-risicos-FIN-2024-01-01-2025-12-31.csv"));
	assert_true(has(r.body, "Inkoop en aanbesteding"));
	http_result_free(&r);
	assert_int_equal(get(ANNA, view(fin, "/export.csv?van=2024-01-01&tot=2025-12-31"), &r), 200);
	assert_true(has(r.body, "< 5"));
	http_result_free(&r);
	assert_int_equal(get(IVO, view(fin, "/export.xlsx"), &r), 200);
	assert_true(has(r.headers, "spreadsheetml"));
	assert_true(r.body && r.body[0] == 'P' && r.body[1] == 'K'); /* a zip */
	http_result_free(&r);
}

/* the outcome step: FIN's process saved; BZK's process and a unit of BZK
 * refused with nothing saved */
static void test_outcome_place(void **state)
{
	(void)state;
	const struct intake_questionnaire *q = intake_qset_current();
	const char *answers = "{\"kind\":\"integrity_violation\",\"description\":\"Geld\","
			      "\"contact\":\"messages\"}";
	struct intake_submission s = {.org_code = "FIN", .kind = "integrity_violation",
				      .mode = "anonymous", .questionnaire = q->id,
				      .questionnaire_revision = q->revision, .answers = answers,
				      .answers_len = strlen(answers)};
	char rc[RECEIPT_SHOWN_SIZE] = {0};
	int64_t rep = 0;
	struct intake_error e;
	assert_int_equal(intake_submit(db, &signer, &s, rc, &rep, &e), 0);
	struct http_result r;
	char path[80], body[400];
	char *csrf = client_csrf(cl[IVO], "/account");
	if (!csrf) {
		fail_msg("no csrf token");
		return;
	}
	snprintf(path, sizeof path, "/meldingen/%lld/zaak", (long long)rep);
	snprintf(body, sizeof body, "csrf=%s&case=", csrf);
	assert_int_equal(client_post(cl[IVO], path, body, &r), 0);
	assert_int_equal(r.status, 303);
	http_result_free(&r);
	int64_t cid = q1("SELECT max(id) FROM case_file WHERE purged_on IS NULL");
	snprintf(path, sizeof path, "/zaken/%lld", (long long)cid);
	/* the form offers FIN's processes and units, not BZK's */
	assert_int_equal(get(IVO, path, &r), 200);
	assert_true(has(r.body, "Inkoop en aanbesteding"));
	assert_true(has(r.body, "FIN-DGB"));
	assert_false(has(r.body, "Vergunningverlening BZK"));
	http_result_free(&r);
	snprintf(path, sizeof path, "/zaken/%lld/uitkomst", (long long)cid);
	snprintf(body, sizeof body, "csrf=%s&outcome=established&category=2&police=no&process=%lld",
		 csrf, (long long)p_bzk);
	assert_int_equal(client_post(cl[IVO], path, body, &r), 0);
	assert_int_equal(r.status, 422);
	assert_true(has(r.body, "not in the risk register of the case"));
	http_result_free(&r);
	snprintf(body, sizeof body, "csrf=%s&outcome=established&category=2&police=no&unit=%lld",
		 csrf, (long long)bzk);
	assert_int_equal(client_post(cl[IVO], path, body, &r), 0);
	assert_int_equal(r.status, 422);
	assert_true(has(r.body, "not part of the case"));
	http_result_free(&r);
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM case_file WHERE id = %lld AND outcome IS "
		 "NULL AND process_id IS NULL AND unit_id IS NULL", (long long)cid);
	assert_int_equal(q1(sql), 1);
	assert_int_equal(q1("SELECT count(*) FROM audit_log WHERE action = 'case.outcome'"), 0);
	/* FIN's own process and unit are saved, with the outcome */
	snprintf(body, sizeof body,
		 "csrf=%s&outcome=established&category=2&police=no&process=%lld&unit=%lld", csrf,
		 (long long)p_inkoop, (long long)dgb);
	assert_int_equal(client_post(cl[IVO], path, body, &r), 0);
	assert_int_equal(r.status, 303);
	http_result_free(&r);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM case_file WHERE id = %lld AND outcome = "
		 "'established' AND process_id = %lld AND unit_id = %lld", (long long)cid,
		 (long long)p_inkoop, (long long)dgb);
	assert_int_equal(q1(sql), 1);
	snprintf(path, sizeof path, "/zaken/%lld", (long long)cid);
	assert_int_equal(get(IVO, path, &r), 200);
	assert_true(has(r.body, "Inkoop en aanbesteding"));
	http_result_free(&r);
	free(csrf);
}


/* ---- the API ---- */

/* An API session token of who (malloc'd), with their recovery code as the
 * second factor when they have one. */
static char *token(int who)
{
	return api_token(&srv, users[who], PW, recovery[who]);
}

/* GET path with token; the JSON answer (json_decref it) and *status. */
static json_t *api_get(const char *tok, const char *path, long *status)
{
	char auth[200];
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", tok ? tok : "");
	const char *hdrs[] = {auth, NULL};
	struct client *c = client_new(&srv);
	struct http_result r;
	assert_int_equal(client_request(c, "GET", path, hdrs, NULL, 0, &r), 0);
	client_free(c);
	*status = r.status;
	json_t *j = json_loads(r.body, 0, NULL);
	http_result_free(&r);
	return j;
}

static const char *api_view(int64_t dept, const char *q)
{
	static char b[4][200];
	static int i;
	i = (i + 1) % 4;
	snprintf(b[i], sizeof b[i], "/api/v1/risk-registers/%lld/violations%s", (long long)dept, q);
	return b[i];
}

/* a row of the answer with the process name and category, or NULL */
static json_t *api_row(json_t *j, const char *process, const char *category)
{
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(j, "rows"), i, row) {
		const char *p = json_string_value(json_object_get(json_object_get(row, "process"), "name"));
		const char *c = json_string_value(json_object_get(row, "category"));
		if (p && c && strcmp(p, process) == 0 && strcmp(c, category) == 0)
			return row;
	}
	return NULL;
}

static int has_flag(json_t *row, const char *flag)
{
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(row, "flags"), i, f)
		if (strcmp(json_string_value(f), flag) == 0)
			return 1;
	return 0;
}

static void test_api(void **state)
{
	(void)state;
	char *t_ivo = token(IVO), *t_bob = token(BOB), *t_anna = token(ANNA);
	long st;
	const char *q = "?from=2024-01-01&to=2025-12-31&n=2";
	json_t *j = api_get(t_ivo, api_view(fin, q), &st);
	assert_int_equal(st, 200);
	assert_false(json_is_true(json_object_get(j, "suppressed")));
	assert_int_equal(json_integer_value(json_object_get(j, "violations")), 3);
	json_t *row = api_row(j, "Inkoop en aanbesteding", "2");
	if (!row) {
		fail_msg("no row Inkoop/2");
		return;
	}
	assert_true(has_flag(row, "rated_low"));
	assert_int_equal(json_integer_value(json_object_get(row, "violations")), 2);
	assert_string_equal(json_string_value(json_object_get(row, "assessed")), "laag");
	row = api_row(j, "Invordering", "1");
	if (!row) {
		fail_msg("no row Invordering/1");
		return;
	}
	/* test_flags registered a risk for it */
	assert_false(has_flag(row, "no_risk"));
	assert_int_equal(json_integer_value(json_object_get(row, "risks")), 1);
	json_decref(j);
	/* another department: 404, as one that does not exist */
	j = api_get(t_bob, api_view(fin, q), &st);
	assert_int_equal(st, 404);
	json_decref(j);
	/* the coordinator: suppressed; Defence: 404 */
	j = api_get(t_anna, api_view(fin, q), &st);
	assert_int_equal(st, 200);
	assert_true(json_is_true(json_object_get(j, "suppressed")));
	assert_string_equal(json_string_value(json_object_get(j, "violations")), "< 5");
	json_decref(j);
	j = api_get(t_anna, api_view(def, ""), &st);
	assert_int_equal(st, 404);
	json_decref(j);
	/* a refused query names its field */
	j = api_get(t_ivo, api_view(fin, "?n=0"), &st);
	assert_int_equal(st, 400);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "field")),
			    "n");
	json_decref(j);
	j = api_get(t_ivo, api_view(fin, "?from=2025-02-30"), &st);
	assert_int_equal(st, 400);
	json_decref(j);
	free(t_ivo);
	free(t_bob);
	free(t_anna);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_access),
		cmocka_unit_test(test_coordinator),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_query_refused),
		cmocka_unit_test(test_exports),
		cmocka_unit_test(test_api),
		cmocka_unit_test(test_outcome_place),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
