/* test_monitor.c: the coordinator's dashboard (src/monitor/pages.c) against
 * a real server.
 *
 * Departments AZ, FIN (with the unit FIN-DGB), BZK, JENV, DEF (outside the
 * coordinator's scope), EZK (split into EZ and KGG this year) and LNV
 * (renamed LVVN this year); closed cases as a purge leaves them are put into
 * the server's database for last year (the page's default year), which the
 * triggers of migration 0017 count. Proves: DEF's cases change no number
 * and DEF is named nowhere, on the page or in the downloads; BZK with 3
 * violations reads "< 5", and no line of the cases table holding a hidden
 * count has it as its only hidden count (so no sum gives it away); a unit's
 * cases count for its department; the integrity coordinator is refused; an
 * IPIM member sees the government-wide totals only; a bad year is refused
 * with a plain message; a year before the first case says its figures come
 * from the registers; the year before, as it was, LNV and EZK under their
 * own names, and mapped onto today's departments (?boom=nu) LNV's counts
 * are LVVN's and EZK's a row of their own, with equal totals; the CSV and
 * XLSX downloads; the configured threshold; the assessment scores (latest
 * final one with its change, drafts never), the risk heat (suppressed, no
 * closed risk, no Defence) and the trends (each cell that year's cell, a
 * share only from two shown counts), IPIM members the totals only. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "store/db.h"

static struct server srv;

#define PW "lange zin over tulpen 42"

enum { ANNA, OTTO, IVO, PIM, NUSERS };
static const char *const users[NUSERS] = {"anna", "otto", "ivo", "pim"};
static const char *const roles[NUSERS] = {"coordinator", "auditor", "integrity_coordinator",
					  "ipim_member"};
static const char *const orgs[NUSERS] = {"RIJK", "RIJK", "FIN", "RIJK"};

static struct client *cl[NUSERS];
static db_t *db;
static int64_t fin, dgb, bzk, jenv, az, def;
static int last_year;

static int has(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

static int exec(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int exec(const char *fmt, ...)
{
	char sql[1200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	int rc = db_exec(db, sql);
	if (rc != 0)
		fprintf(stderr, "%s: %s\n", sql, db_error(db)->msg);
	return rc;
}

/* n closed, purged cases of org opened in year, as the purge leaves them:
 * statistics only */
static int add_history_in(int year, int64_t org, const char *outcome, int police, int n)
{
	for (int i = 0; i < n; i++)
		if (exec("INSERT INTO case_file (org_id, protocol, protocol_revision, phase, "
			 "phase_started_on, opened_on, opened_at, closed_on, category, taxonomy, "
			 "taxonomy_revision, outcome, police_report, purge_after, purged_on, "
			 "summary_key) VALUES (%lld, 'onderzoeksprotocol', 1, 'closing', "
			 "'%d-03-01', '%d-03-01', '%d-03-01T09:00:00Z', '%d-06-01', '1', "
			 "'schendingen', 1, nullif('%s', ''), %d, '%d-06-01', '%d-06-01', X'')",
			 (long long)org, year, year, year, year, outcome, police, year, year) != 0)
			return -1;
	return 0;
}

static int add_history(int64_t org, const char *outcome, int police, int n)
{
	return add_history_in(last_year, org, outcome, police, n);
}

static int64_t id_of(const char *code)
{
	int64_t id = -1;
	db_query_i64(db, "SELECT id FROM org WHERE code = ? AND valid_to IS NULL", code, &id);
	return id;
}

/* A final (or draft) assessment of org against the basic norms for year,
 * every requirement judged j on all three dimensions. */
static int add_assessment(int64_t org, int year, const char *status, int j)
{
	const char *signed_off = strcmp(status, "draft") ? "1" : "NULL";
	const char *on = strcmp(status, "draft") ? "'2024-01-01T10:00:00Z'" : "NULL";
	const char *rev = strcmp(status, "reviewed") ? "NULL" : "1";
	const char *rev_on = strcmp(status, "reviewed") ? "NULL" : "'2024-02-03T10:00:00Z'";
	const char *comment = strcmp(status, "reviewed") ? "NULL" : "'fine'";
	if (exec("INSERT INTO assessment (org_id, framework_version_id, framework_code, year, "
		 "status, created_by, created_at, signed_off_by, signed_off_at, reviewed_by, "
		 "reviewed_at, review_comment) SELECT %lld, id, code, %d, '%s', 1, "
		 "'2024-01-01T09:00:00Z', %s, %s, %s, %s, %s FROM framework_version WHERE code = "
		 "'basisnormen-2006' ORDER BY revision DESC LIMIT 1",
		 (long long)org, year, status, signed_off, on, rev, rev_on, comment) != 0)
		return -1;
	return exec("INSERT INTO assessment_item (assessment_id, req_code, design, existence, "
		    "operation) SELECT (SELECT max(id) FROM assessment), r.value ->> '$.code', %d, %d, %d FROM "
		    "framework_version v, json_each(v.body, '$.groups') g, "
		    "json_each(g.value, '$.requirements') r WHERE v.code = 'basisnormen-2006' "
		    "AND v.revision = (SELECT max(revision) FROM framework_version WHERE code = "
		    "'basisnormen-2006')", j, j, j);
}

/* n risks of org, open or closed, at residual likelihood l and impact i
 * (the default matrix: 1 laag, 9 midden, 16 hoog, 25 zeer hoog) */
static int add_risks(int64_t org, const char *status, int l, int i, int n)
{
	for (int k = 0; k < n; k++)
		if (exec("INSERT INTO risk (org_id, title, description, inherent_likelihood, "
			 "inherent_impact, residual_likelihood, residual_impact, treatment, owner, "
			 "status, updated_on) VALUES (%lld, 'r', '', 5, 5, %d, %d, 'reduce', 'o', "
			 "'%s', '2025-01-01')", (long long)org, l, i, status) != 0)
			return -1;
	return 0;
}

/* n reports of org received last year on 1 April, acknowledged in 2 days,
 * answered on feedback (a date in last year, or NULL) */
static int add_reports(int64_t org, const char *feedback, int n)
{
	for (int k = 0; k < n; k++)
		if (exec("INSERT INTO report (org_id, kind, mode, questionnaire, "
			 "questionnaire_revision, received_on, received_at, acknowledged_on, "
			 "feedback_on, receipt_lookup, receipt_salt, body) VALUES (%lld, "
			 "'integrity_violation', 'open', 'q', 1, '%d-04-01', '%d-04-01T09:00:00Z', "
			 "'%d-04-03', %s, randomblob(32), randomblob(16), X'00')",
			 (long long)org, last_year, last_year, last_year, feedback) != 0)
			return -1;
	return 0;
}

/* FIN: the basic norms signed off for 2023 all adequate (100), reviewed
 * for 2024 all partly (50); BZK a draft only; DEF adequate, never shown.
 * Risks: FIN 12 open in zeer hoog, 6 in laag, 2 closed; JENV 7 midden,
 * 2 hoog; DEF 30 zeer hoog. Reports last year: FIN 9 answered in time,
 * JENV 10 of which 2 answered late. */
static int seed_scores_risks_reports(void)
{
	char on_time[20], late[20];
	snprintf(on_time, sizeof on_time, "'%d-05-01'", last_year);
	snprintf(late, sizeof late, "'%d-12-01'", last_year);
	return add_assessment(fin, 2023, "signed_off", 3) || add_assessment(fin, 2024, "reviewed", 2) ||
	       add_assessment(bzk, 2024, "draft", 3) || add_assessment(def, 2024, "reviewed", 3) ||
	       add_risks(fin, "open", 5, 5, 12) || add_risks(fin, "open", 1, 1, 6) ||
	       add_risks(fin, "closed", 5, 5, 2) || add_risks(jenv, "open", 3, 3, 7) ||
	       add_risks(jenv, "open", 4, 4, 2) || add_risks(def, "open", 5, 5, 30) ||
	       add_reports(fin, on_time, 9) || add_reports(jenv, on_time, 8) ||
	       add_reports(jenv, late, 2);
}

static int cli(const char *const *args)
{
	return server_cli_input(&srv, args, NULL);
}

static int setup(void **state)
{
	(void)state;
	signal(SIGPIPE, SIG_IGN);
	if (server_start(&srv) != 0)
		return -1;
	const char *dgbc[] = {"org", "add", "FIN-DGB", "--name", "Belastingdienst", "--kind",
			      "unit", "--parent", "FIN", "--from", "2020-01-01", NULL};
	const char *bzkc[] = {"org", "add", "BZK", "--name", "Binnenlandse Zaken", "--parent",
			      "RIJK", "--from", "2020-01-01", NULL};
	const char *jenvc[] = {"org", "add", "JENV", "--name", "Justitie en Veiligheid",
			       "--parent", "RIJK", "--from", "2020-01-01", NULL};
	const char *azc[] = {"org", "add", "AZ", "--name", "Algemene Zaken", "--parent", "RIJK",
			     "--from", "2020-01-01", NULL};
	const char *defc[] = {"org", "add", "DEF", "--name", "Defensie", "--parent", "RIJK",
			      "--from", "2020-01-01", "--outside-scope", NULL};
	if (server_add_rijk_fin(&srv) || cli(dgbc) || cli(bzkc) || cli(jenvc) || cli(azc) ||
	    cli(defc))
		return -1;
	for (int i = 0; i < NUSERS; i++)
		if (server_add_user(&srv, users[i], users[i], roles[i], orgs[i], PW))
			return -1;
	struct db_options opt = {.busy_timeout_ms = 10000};
	struct db_error dbe;
	if (db_open(srv.db, 0, &opt, &db, &dbe) != 0)
		return -1;
	int64_t y = 0;
	if (db_query_i64(db, "SELECT CAST(strftime('%Y', 'now', 'localtime') AS INTEGER) - 1",
			 NULL, &y) != 0)
		return -1;
	last_year = (int)y;
	fin = id_of("FIN");
	dgb = id_of("FIN-DGB");
	bzk = id_of("BZK");
	jenv = id_of("JENV");
	az = id_of("AZ");
	def = id_of("DEF");
	/* the year before: EZK, split into EZ and KGG since, and LNV, renamed
	 * LVVN since, each with violations */
	const char *ezkc[] = {"org", "add", "EZK", "--name", "Economische Zaken en Klimaat",
			      "--parent", "RIJK", "--from", "2020-01-01", NULL};
	const char *lnvc[] = {"org", "add", "LNV", "--name", "Landbouw, Natuur en Voedselkwaliteit",
			      "--parent", "RIJK", "--from", "2020-01-01", NULL};
	if (cli(ezkc) || cli(lnvc) || add_history_in(last_year - 1, id_of("EZK"), "established", 0, 7) ||
	    add_history_in(last_year - 1, id_of("LNV"), "established", 0, 6))
		return -1;
	char on[20];
	snprintf(on, sizeof on, "%d-01-15", last_year);
	const char *splitc[] = {"org", "split", "EZK", "--into", "EZ=Economische Zaken", "--into",
				"KGG=Klimaat en Groene Groei", "--on", on, NULL};
	const char *renamec[] = {"org", "rename", "LNV", "--to", "LVVN", "--name",
				 "Landbouw, Visserij, Voedselzekerheid en Natuur", "--on", on, NULL};
	if (cli(splitc) || cli(renamec))
		return -1;
	if (az <= 0 || fin <= 0 || dgb <= 0 || bzk <= 0 || jenv <= 0 || def <= 0)
		return -1;
	/* FIN 7 violations (2 at its unit), 6 not established; BZK 3
	 * violations; JENV 8 and 5; DEF 20 and 9, which must show nowhere */
	if (add_history(fin, "established", 0, 5) || add_history(dgb, "partly", 0, 2) ||
	    add_history(fin, "not_established", 0, 6) || add_history(bzk, "established", 1, 3) ||
	    add_history(jenv, "established", 0, 8) || add_history(jenv, "not_established", 0, 5) ||
	    add_history(az, "established", 0, 12) || add_history(az, "not_established", 0, 7) ||
	    add_history(az, "", 0, 6) || add_history(def, "established", 1, 20) || add_history(def, "not_established", 0, 9))
		return -1;
	if (seed_scores_risks_reports() != 0)
		return -1;
	for (int i = 0; i < NUSERS; i++) {
		cl[i] = client_new(&srv);
		if (client_sign_in(cl[i], users[i], PW, NULL, NULL) != 0 ||
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
	for (int i = 0; i < NUSERS; i++)
		client_free(cl[i]);
	db_close(db);
	return server_stop(&srv) == 0 ? 0 : -1;
}

static long get(int who, const char *path, struct http_result *r)
{
	assert_int_equal(client_get(cl[who], path, r), 0);
	return r->status;
}

/* the page from its heading on (the frame carries per-request tokens) */
static char *content(const char *body)
{
	const char *h = body ? strstr(body, "<h1") : NULL;
	return strdup(h ? h : "");
}

#define MAXR 16
#define MAXC 16
struct table {
	char label[MAXR][100];
	char cell[MAXR][MAXC][40];
	size_t nrows, ncols;
};

/* The rows of the table with id, each its row head and cells as text. */
static int parse_table(const char *body, const char *id, struct table *t)
{
	char key[80];
	memset(t, 0, sizeof *t);
	snprintf(key, sizeof key, "id=\"%s\"", id);
	const char *s = body ? strstr(body, key) : NULL;
	const char *end = s ? strstr(s, "</table>") : NULL;
	if (!s || !end || !(s = strstr(s, "<tbody")))
		return -1;
	while ((s = strstr(s, "<tr")) && s < end && t->nrows < MAXR) {
		const char *th = strstr(s, "scope=\"row\">");
		if (!th || th > end)
			break;
		th += strlen("scope=\"row\">");
		size_t n = strcspn(th, "<");
		snprintf(t->label[t->nrows], sizeof t->label[0], "%.*s", (int)n, th);
		const char *rowend = strstr(th, "</tr>");
		const char *c = th;
		size_t nc = 0;
		while ((c = strstr(c, "<td")) && c < rowend && nc < MAXC) {
			const char *gt = strchr(c, '>');
			if (!gt)
				break;
			c = gt + 1;
			n = strcspn(c, "<");
			snprintf(t->cell[t->nrows][nc++], sizeof t->cell[0][0], "%.*s", (int)n, c);
		}
		t->ncols = nc;
		t->nrows++;
		s = rowend;
	}
	return t->nrows ? 0 : -1;
}

static int is_number(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static int row_of(const struct table *t, const char *label_part)
{
	for (size_t r = 0; r < t->nrows; r++)
		if (strstr(t->label[r], label_part))
			return (int)r;
	return -1;
}

static const char *year_path(const char *path, int year, const char *rest)
{
	static char b[200];
	snprintf(b, sizeof b, "%s?jaar=%d%s", path, year, rest);
	return b;
}

/* DEF's cases count nowhere and DEF is named nowhere; BZK reads "< 5";
 * FIN counts its unit's cases; the numbers shown are the right ones */
static void test_scope_and_numbers(void **state)
{
	(void)state;
	struct http_result r;
	struct table t;
	assert_int_equal(get(ANNA, "/monitor", &r), 200);
	assert_false(has(r.body, "DEF"));
	assert_false(has(r.body, "Defensie"));
	assert_true(has(r.body, "href=\"/monitor\"")); /* in the navigation */
	assert_true(has(r.body, "role=\"img\""));
	assert_true(has(r.body, "<title id=\"grafiek-titel\">"));
	assert_true(has(r.body, "come from Probity"));
	assert_int_equal(parse_table(r.body, "zaken", &t), 0);
	int f = row_of(&t, "(FIN)"), b = row_of(&t, "(BZK)"), j = row_of(&t, "(JENV)");
	int tot = row_of(&t, "Total");
	assert_true(f >= 0 && b >= 0 && j >= 0 && tot >= 0);
	assert_int_equal(t.ncols, 5);
	/* 5 at FIN, 2 at its unit; BZK's 3 is protected by other hidden
	 * counts of its column (test_no_line_pins_a_count) */
	assert_string_equal(t.cell[f][0], "7");
	int a = row_of(&t, "(AZ)");
	assert_true(a >= 0);
	assert_string_equal(t.cell[a][0], "12");
	assert_string_equal(t.cell[a][4], "25");
	assert_string_equal(t.cell[j][4], "13");
	/* the violations' total is AZ 12 + BZK 3 + FIN 7 + JENV 8, without
	 * DEF's 20 */
	assert_string_equal(t.cell[tot][0], "30");
	assert_string_equal(t.cell[b][0], "&lt; 5");
	/* no total may include DEF's 20 and 9: the grand total, if shown, is
	 * AZ 25 + FIN 13 + BZK 3 + JENV 13 */
	assert_string_equal(t.cell[tot][4], "54");
	http_result_free(&r);
	/* the chart: BZK's bar is not drawn, its label says "< 5" */
	assert_int_equal(get(ANNA, "/monitor", &r), 200);
	assert_int_equal(parse_table(r.body, "grafiek-tabel", &t), 0);
	b = row_of(&t, "(BZK)");
	assert_true(b >= 0);
	assert_string_equal(t.cell[b][0], "&lt; 5");
	const char *svg = strstr(r.body, "<svg");
	if (!svg) {
		fail_msg("no chart");
		return;
	}
	const char *svgend = strstr(svg, "</svg>");
	int rects = 0;
	for (const char *s = svg; (s = strstr(s, "<rect")) && s < svgend; s++)
		rects++;
	assert_int_equal(rects, 2); /* AZ's and FIN's; the others hidden or 0 */
	http_result_free(&r);
}

/* every row and column of the cases table holding a hidden count holds at
 * least one more, so no sum of the shown numbers gives one away */
static void test_no_line_pins_a_count(void **state)
{
	(void)state;
	struct http_result r;
	struct table t;
	static const char *const ids[] = {"zaken", "aangifte", "grafiek-tabel"};
	assert_int_equal(get(OTTO, "/monitor", &r), 200);
	for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++) {
		assert_int_equal(parse_table(r.body, ids[k], &t), 0);
		int any = 0;
		for (size_t i = 0; i < t.nrows; i++) {
			int hidden = 0;
			for (size_t c = 0; c < t.ncols; c++)
				hidden += !is_number(t.cell[i][c]);
			any |= hidden > 0;
			if (t.ncols > 1 && hidden == 1)
				fail_msg("%s row %zu has one hidden count", ids[k], i);
		}
		for (size_t c = 0; c < t.ncols; c++) {
			int hidden = 0;
			for (size_t i = 0; i < t.nrows; i++)
				hidden += !is_number(t.cell[i][c]);
			if (hidden == 1)
				fail_msg("%s column %zu has one hidden count", ids[k], c);
		}
		assert_true(any); /* BZK's 3 is hidden in each */
	}
	http_result_free(&r);
}

/* another case of DEF changes nothing on the page nor in a download */
static void test_def_changes_nothing(void **state)
{
	(void)state;
	struct http_result r;
	assert_int_equal(get(ANNA, "/monitor", &r), 200);
	char *before = content(r.body);
	http_result_free(&r);
	assert_int_equal(get(ANNA, "/monitor/export.csv?tabel=zaken", &r), 200);
	char *csv_before = strdup(r.body ? r.body : "");
	http_result_free(&r);
	assert_int_equal(add_history(def, "partly", 1, 1), 0);
	assert_int_equal(get(ANNA, "/monitor", &r), 200);
	char *after = content(r.body);
	http_result_free(&r);
	assert_string_equal(before, after);
	assert_int_equal(get(ANNA, "/monitor/export.csv?tabel=zaken", &r), 200);
	assert_string_equal(csv_before, r.body);
	http_result_free(&r);
	/* while a case of BZK does change it */
	assert_int_equal(add_history(bzk, "established", 0, 2), 0);
	assert_int_equal(get(ANNA, "/monitor", &r), 200);
	char *bzk5 = content(r.body);
	assert_string_not_equal(before, bzk5);
	struct table t;
	assert_int_equal(parse_table(r.body, "zaken", &t), 0);
	int b = row_of(&t, "(BZK)");
	assert_true(b >= 0);
	/* 5 now, no longer "< 5"; hidden all the same, because BZK's total
	 * is hidden in the police-report table that shares it */
	assert_string_equal(t.cell[b][0], "hidden");
	http_result_free(&r);
	assert_int_equal(exec("DELETE FROM case_file WHERE org_id = %lld AND id IN (SELECT id "
			      "FROM case_file WHERE org_id = %lld ORDER BY id DESC LIMIT 2)",
			      (long long)bzk, (long long)bzk), 0);
	free(before);
	free(after);
	free(csv_before);
	free(bzk5);
}

/* who may open it */
static void test_access(void **state)
{
	(void)state;
	struct http_result r;
	long st = get(IVO, "/monitor", &r);
	assert_true(st == 403 || st == 404);
	assert_false(has(r.body, "Binnenlandse Zaken"));
	http_result_free(&r);
	st = get(IVO, "/monitor/export.csv?tabel=zaken", &r);
	assert_true(st == 403 || st == 404);
	http_result_free(&r);
	/* IPIM: the totals only */
	assert_int_equal(get(PIM, "/monitor", &r), 200);
	assert_true(has(r.body, "Government-wide total"));
	assert_false(has(r.body, "(FIN)"));
	assert_false(has(r.body, "(BZK)"));
	assert_false(has(r.body, "DEF"));
	assert_false(has(r.body, "<svg"));
	struct table t;
	assert_int_equal(parse_table(r.body, "zaken", &t), 0);
	assert_int_equal(t.nrows, 1);
	http_result_free(&r);
	assert_int_equal(get(PIM, "/monitor/export.csv?tabel=zaken", &r), 200);
	assert_false(has(r.body, "FIN"));
	assert_true(has(r.body, "Government-wide total"));
	http_result_free(&r);
}

static void test_year(void **state)
{
	(void)state;
	struct http_result r;
	static const char *const bad[] = {"abc", "20", "1989", "99999", "2025x", "3000"};
	char path[100];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(path, sizeof path, "/monitor?jaar=%s", bad[i]);
		assert_int_equal(get(ANNA, path, &r), 422);
		assert_true(has(r.body, "The year is not valid"));
		assert_false(has(r.body, "id=\"zaken\""));
		http_result_free(&r);
		snprintf(path, sizeof path, "/monitor/export.csv?tabel=zaken&jaar=%s", bad[i]);
		assert_int_equal(get(ANNA, path, &r), 422);
		http_result_free(&r);
	}
	/* before the first case: the registers */
	assert_int_equal(get(ANNA, year_path("/monitor", last_year - 3, ""), &r), 200);
	assert_true(has(r.body, "come from the registers"));
	assert_true(has(r.body, "Registered violations by outcome"));
	http_result_free(&r);
	assert_int_equal(get(ANNA, year_path("/monitor", last_year, ""), &r), 200);
	assert_true(has(r.body, "come from Probity"));
	http_result_free(&r);
}

static void test_exports(void **state)
{
	(void)state;
	struct http_result r;
	assert_int_equal(get(ANNA, year_path("/monitor/export.csv", last_year, "&tabel=zaken"), &r),
			 200);
	assert_true(has(r.headers, "text/csv"));
	assert_true(has(r.headers, "dashboard-"));
	assert_true(has(r.body, "BZK"));
	assert_true(has(r.body, "< 5"));
	assert_false(has(r.body, "DEF"));
	assert_false(has(r.body, "Defensie"));
	assert_false(has(r.body, ",3,")); /* BZK's count itself never */
	assert_true(has(r.body, "(FIN),7,hidden,")); /* as on the page */
	assert_true(has(r.body, "(AZ),12,7,hidden,"));
	assert_true(has(r.body, "\nTotal,30,18,"));
	http_result_free(&r);
	assert_int_equal(get(ANNA, "/monitor/export.csv?tabel=nope", &r), 404);
	http_result_free(&r);
	assert_int_equal(get(ANNA, "/monitor/export.csv", &r), 404);
	http_result_free(&r);
	assert_int_equal(get(ANNA, year_path("/monitor/export.xlsx", last_year, ""), &r), 200);
	assert_true(has(r.headers, "spreadsheetml"));
	assert_true(r.body && r.body[0] == 'P' && r.body[1] == 'K'); /* a zip */
	http_result_free(&r);
}

/* The default is the tree as it was: the year before the reorganisations,
 * LNV and EZK have rows of their own under their names of then, and EZ,
 * KGG and LVVN, which did not exist yet, have none. ?boom=nu maps onto
 * today's departments: LNV's counts are LVVN's, EZK's own stay on a row
 * of their own (never divided between EZ and KGG, both 0). The totals are
 * the same in both views, and the downloads follow the switch. */
static void test_reorganised(void **state)
{
	(void)state;
	struct http_result r;
	struct table t;
	assert_int_equal(get(ANNA, year_path("/monitor", last_year - 1, ""), &r), 200);
	assert_true(has(r.body, "come from Probity"));
	assert_true(has(r.body, "as they were in that year"));
	assert_true(has(r.body, "id=\"boom-toen\" name=\"boom\" value=\"toen\" checked"));
	assert_int_equal(parse_table(r.body, "zaken", &t), 0);
	int lnv = row_of(&t, "(LNV)"), ezk = row_of(&t, "(EZK)"), tot = row_of(&t, "Total");
	assert_true(lnv >= 0 && ezk >= 0 && tot >= 0);
	assert_int_equal(row_of(&t, "(LVVN)"), -1);
	assert_int_equal(row_of(&t, "(EZ)"), -1);
	assert_int_equal(row_of(&t, "(KGG)"), -1);
	assert_int_equal(row_of(&t, "before its split"), -1);
	assert_string_equal(t.cell[lnv][0], "6");
	assert_string_equal(t.cell[ezk][0], "7");
	assert_string_equal(t.cell[tot][0], "13");
	char total_then[40];
	snprintf(total_then, sizeof total_then, "%s", t.cell[tot][t.ncols - 1]);
	http_result_free(&r);

	assert_int_equal(get(ANNA, year_path("/monitor", last_year - 1, "&boom=nu"), &r), 200);
	assert_true(has(r.body, "id=\"boom-nu\" name=\"boom\" value=\"nu\" checked"));
	assert_true(has(r.body, "export.xlsx?jaar="));
	assert_true(has(r.body, "&amp;boom=nu")); /* the downloads follow the switch */
	assert_int_equal(parse_table(r.body, "zaken", &t), 0);
	int lvvn = row_of(&t, "(LVVN)");
	ezk = row_of(&t, "(EZK), before its split (since: EZ, KGG)");
	int ez = row_of(&t, "(EZ)"), kgg = row_of(&t, "(KGG)");
	tot = row_of(&t, "Total");
	assert_true(lvvn >= 0 && ezk >= 0 && ez >= 0 && kgg >= 0 && tot >= 0);
	assert_int_equal(row_of(&t, "(LNV)"), -1);
	assert_string_equal(t.cell[lvvn][0], "6");
	assert_string_equal(t.cell[ezk][0], "7");
	assert_string_equal(t.cell[ez][0], "0");
	assert_string_equal(t.cell[kgg][0], "0");
	assert_string_equal(t.cell[tot][0], "13");
	assert_string_equal(t.cell[tot][t.ncols - 1], total_then);
	http_result_free(&r);

	/* the same in the downloads */
	assert_int_equal(get(ANNA, year_path("/monitor/export.csv", last_year - 1, "&tabel=zaken"), &r),
			 200);
	assert_true(has(r.body, "(LNV)\",6,")); /* quoted: the name has a comma */
	assert_false(has(r.body, "LVVN"));
	assert_true(has(r.body, "\nTotal,13,"));
	http_result_free(&r);
	assert_int_equal(get(ANNA, year_path("/monitor/export.csv", last_year - 1,
					     "&tabel=zaken&boom=nu"), &r), 200);
	assert_true(has(r.headers, "-nu-zaken.csv"));
	assert_true(has(r.body, "(LVVN)\",6,"));
	assert_false(has(r.body, "(LNV)"));
	assert_true(has(r.body, "before its split"));
	assert_true(has(r.body, "\nTotal,13,"));
	http_result_free(&r);

	/* an unknown tree is refused, on the page and in a download */
	assert_int_equal(get(ANNA, year_path("/monitor", last_year - 1, "&boom=gisteren"), &r), 422);
	assert_true(has(r.body, "Choose how the departments are shown"));
	assert_false(has(r.body, "id=\"zaken\""));
	http_result_free(&r);
	assert_int_equal(get(ANNA, year_path("/monitor/export.csv", last_year - 1,
					     "&tabel=zaken&boom=x"), &r), 422);
	http_result_free(&r);
}

/* the year of the reorganisations, as it was: LNV and LVVN each once
 * (a row per name), EZK and EZ, KGG side by side; the counts (all of
 * last year's) are nowhere but at the departments that had them */
static void test_reorganised_year(void **state)
{
	(void)state;
	struct http_result r;
	struct table t;
	assert_int_equal(get(OTTO, year_path("/monitor", last_year, ""), &r), 200);
	assert_int_equal(parse_table(r.body, "zaken", &t), 0);
	assert_true(row_of(&t, "(LNV)") >= 0);
	assert_true(row_of(&t, "(LVVN)") >= 0);
	assert_true(row_of(&t, "(EZK)") >= 0);
	assert_true(row_of(&t, "(EZ)") >= 0);
	assert_true(row_of(&t, "(KGG)") >= 0);
	assert_false(has(r.body, "DEF"));
	http_result_free(&r);
}

/* the scores: FIN's latest final assessment up to the year, with its
 * change; BZK's draft is not one; DEF nowhere */
static void test_scores(void **state)
{
	(void)state;
	struct http_result r;
	struct table t;
	assert_int_equal(get(ANNA, "/monitor", &r), 200);
	assert_true(has(r.body, "<option value=\"basisnormen-2006\" selected>"));
	assert_int_equal(parse_table(r.body, "zelfevaluatie", &t), 0);
	int f = row_of(&t, "(FIN)"), b = row_of(&t, "(BZK)");
	assert_true(f >= 0 && b >= 0);
	assert_int_equal(t.ncols, 5);
	assert_string_equal(t.cell[f][0], "2024");
	assert_string_equal(t.cell[f][1], "reviewed");
	assert_string_equal(t.cell[f][2], "2024-02-03");
	assert_string_equal(t.cell[f][3], "50");
	assert_string_equal(t.cell[f][4], "-50 (since 2023)");
	assert_string_equal(t.cell[b][0], "not assessed"); /* a draft is not shown */
	assert_int_equal(row_of(&t, "DEF"), -1);
	http_result_free(&r);
	/* up to 2023: the one signed off then, no change */
	assert_int_equal(get(ANNA, "/monitor?jaar=2023&boom=nu", &r), 200);
	assert_int_equal(parse_table(r.body, "zelfevaluatie", &t), 0);
	f = row_of(&t, "(FIN)");
	assert_true(f >= 0);
	assert_string_equal(t.cell[f][1], "signed off");
	assert_string_equal(t.cell[f][3], "100");
	assert_string_equal(t.cell[f][4], "–");
	http_result_free(&r);
	/* another framework: nothing assessed; an unknown one refused */
	assert_int_equal(get(ANNA, "/monitor?kader=oecd-integrity-2017", &r), 200);
	assert_int_equal(parse_table(r.body, "zelfevaluatie", &t), 0);
	f = row_of(&t, "(FIN)");
	assert_true(f >= 0);
	assert_string_equal(t.cell[f][0], "not assessed");
	assert_true(has(r.body, "kader=oecd-integrity-2017&amp;tabel=zelfevaluatie"));
	http_result_free(&r);
	assert_int_equal(get(ANNA, "/monitor?kader=nope", &r), 422);
	assert_true(has(r.body, "Choose a framework from the list."));
	assert_false(has(r.body, "id=\"zelfevaluatie\""));
	http_result_free(&r);
	assert_int_equal(get(ANNA, "/monitor/export.csv?kader=nope&tabel=zelfevaluatie", &r), 422);
	http_result_free(&r);
	assert_int_equal(get(ANNA, "/monitor/export.csv?tabel=zelfevaluatie", &r), 200);
	/* a cell starting with '-' is guarded against formula injection */
	assert_true(has(r.body, "(FIN),2024,reviewed,2024-02-03,50,\"'-50 (since 2023)\""));
	assert_false(has(r.body, "DEF"));
	http_result_free(&r);
}

/* the heat: open risks per residual band under the matrix's band names,
 * suppressed as the counts of cases; closed risks and DEF's count nowhere */
static void test_heat(void **state)
{
	(void)state;
	struct http_result r;
	struct table t;
	assert_int_equal(get(ANNA, "/monitor", &r), 200);
	assert_true(has(r.body, ">zeer hoog</th>"));
	assert_int_equal(parse_table(r.body, "risico", &t), 0);
	int f = row_of(&t, "(FIN)"), j = row_of(&t, "(JENV)"), tot = row_of(&t, "Total");
	assert_true(f >= 0 && j >= 0 && tot >= 0);
	assert_int_equal(t.ncols, 5);
	assert_string_equal(t.cell[f][0], "6");
	assert_string_equal(t.cell[f][3], "12");  /* the 2 closed ones are no risk */
	assert_string_equal(t.cell[j][2], "&lt; 5");
	assert_string_equal(t.cell[tot][3], "12"); /* DEF's 30 nowhere */
	/* no line of it has exactly one hidden count */
	for (size_t i = 0; i < t.nrows; i++) {
		int hidden = 0;
		for (size_t c = 0; c < t.ncols; c++)
			hidden += !is_number(t.cell[i][c]);
		if (hidden == 1)
			fail_msg("risico row %zu has one hidden count", i);
	}
	for (size_t c = 0; c < t.ncols; c++) {
		int hidden = 0;
		for (size_t i = 0; i < t.nrows; i++)
			hidden += !is_number(t.cell[i][c]);
		if (hidden == 1)
			fail_msg("risico column %zu has one hidden count", c);
	}
	http_result_free(&r);
	assert_int_equal(get(ANNA, "/monitor/export.csv?tabel=risico", &r), 200);
	assert_false(has(r.body, "DEF"));
	assert_false(has(r.body, ",2,"));
	http_result_free(&r);
	/* an IPIM member: the government's totals only, no scores */
	assert_int_equal(get(PIM, "/monitor", &r), 200);
	assert_int_equal(parse_table(r.body, "risico", &t), 0);
	assert_int_equal(t.nrows, 1);
	assert_string_equal(t.label[0], "Government-wide total");
	assert_false(has(r.body, "id=\"zelfevaluatie\""));
	http_result_free(&r);
}

/* the trends: the last five years; each cell is that year's dashboard's
 * cell (suppression holds), a share only where both its counts show */
static void test_trends(void **state)
{
	(void)state;
	struct http_result r;
	struct table t, z, fb, tot;
	assert_int_equal(get(ANNA, "/monitor", &r), 200);
	assert_true(has(r.body, "<title id=\"trend-titel\">"));
	assert_true(has(r.body, "<desc id=\"trend-uitleg\">"));
	assert_int_equal(parse_table(r.body, "trend-totaal", &tot), 0);
	assert_int_equal(tot.nrows, 5);
	char y[8];
	snprintf(y, sizeof y, "%d", last_year);
	assert_string_equal(tot.label[4], y);
	assert_int_equal(parse_table(r.body, "zaken", &z), 0);
	int zt = row_of(&z, "Total");
	assert_true(zt >= 0);
	assert_string_equal(tot.cell[4][1], z.cell[zt][0]); /* 30, without DEF */
	assert_string_equal(tot.cell[4][0], "19");
	assert_string_equal(tot.cell[4][2], "100%");
	/* the year before: EZK's and LNV's 13 */
	assert_string_equal(tot.cell[3][1], "13");
	/* per department: last year's column is the cases table's column */
	assert_int_equal(parse_table(r.body, "trend-schendingen", &t), 0);
	assert_int_equal(t.ncols, 5);
	size_t compared = 0;
	for (size_t i = 0; i < t.nrows; i++) {
		int k = row_of(&z, t.label[i]);
		if (k < 0) {
			assert_string_equal(t.cell[i][4], "–");
			continue;
		}
		assert_string_equal(t.cell[i][4], z.cell[k][0]);
		compared++;
	}
	assert_true(compared >= 5);
	int b = row_of(&t, "(BZK)");
	assert_true(b >= 0);
	assert_string_equal(t.cell[b][4], "&lt; 5");
	assert_true(row_of(&t, "(EZK)") >= 0);
	assert_string_equal(t.cell[row_of(&t, "(EZK)")][3], "7");
	/* shares: shown exactly when the feedback table shows both counts */
	assert_int_equal(parse_table(r.body, "trend-terugkoppeling", &t), 0);
	assert_int_equal(parse_table(r.body, "terugkoppeling", &fb), 0);
	int fr = row_of(&t, "(FIN)"), jr = row_of(&t, "(JENV)");
	assert_true(fr >= 0 && jr >= 0);
	assert_string_equal(t.cell[fr][4], "100%");
	/* 2 of its 10 were late, hidden with another count of the row; 8 and
	 * 10 are shown, so is their share, which tells no more than they do */
	assert_string_equal(t.cell[jr][4], "80%");
	for (size_t i = 0; i < t.nrows; i++) {
		int k = row_of(&fb, t.label[i]);
		if (k < 0)
			continue;
		int both = is_number(fb.cell[k][0]) && is_number(fb.cell[k][fb.ncols - 1]);
		int pct = strchr(t.cell[i][4], '%') != NULL;
		if (pct != (both && strcmp(fb.cell[k][fb.ncols - 1], "0") != 0))
			fail_msg("row %s: share '%s' against '%s' of '%s'", t.label[i],
				 t.cell[i][4], fb.cell[k][0], fb.cell[k][fb.ncols - 1]);
		/* no share: "–" only when there was no report, else "hidden" (a
		 * shown total with its count on time hidden included) */
		const char *none = strcmp(fb.cell[k][fb.ncols - 1], "0") == 0 ? "–" : "hidden";
		if (!pct && strcmp(t.cell[i][4], none) != 0)
			fail_msg("row %s: '%s' for no share, not '%s' (total '%s')", t.label[i],
				 t.cell[i][4], none, fb.cell[k][fb.ncols - 1]);
	}
	/* the totals per year are headed by the year, not "Department" */
	assert_true(has(r.body, "<th class=\"utrecht-table__header-cell\" scope=\"col\">Year</th>"));
	assert_false(has(r.body, "DEF"));
	http_result_free(&r);
	/* the downloads of the trends */
	assert_int_equal(get(ANNA, "/monitor/export.csv?tabel=trend-schendingen", &r), 200);
	assert_true(has(r.body, "< 5"));
	assert_false(has(r.body, "DEF"));
	http_result_free(&r);
	/* an IPIM member: the totals per year, no department, no chart */
	assert_int_equal(get(PIM, "/monitor", &r), 200);
	assert_int_equal(parse_table(r.body, "trend-totaal", &t), 0);
	assert_int_equal(t.nrows, 5);
	assert_false(has(r.body, "id=\"trend-schendingen\""));
	assert_false(has(r.body, "<svg"));
	http_result_free(&r);
	/* an integrity coordinator: nothing */
	long st = get(IVO, "/monitor/export.csv?tabel=trend-totaal", &r);
	assert_true(st == 403 || st == 404);
	http_result_free(&r);
}

/* the threshold is the configuration's (monitor_threshold): a server of
 * its own started with PROBITY_MONITOR_THRESHOLD=20 explains "< 20" */
static void test_threshold_config(void **state)
{
	(void)state;
	struct server s2;
	struct http_result r;
	setenv("PROBITY_MONITOR_THRESHOLD", "20", 1);
	int rc = server_start(&s2);
	unsetenv("PROBITY_MONITOR_THRESHOLD");
	assert_int_equal(rc, 0);
	assert_int_equal(server_add_rijk_fin(&s2), 0);
	assert_int_equal(server_add_user(&s2, "anna", "anna", "coordinator", "RIJK", PW), 0);
	struct client *c = client_new(&s2);
	assert_int_equal(client_sign_in(c, "anna", PW, NULL, NULL), 0);
	assert_int_equal(client_set_lang(c, "en"), 0);
	assert_int_equal(client_get(c, "/monitor", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.body, "&lt; 20"));
	assert_false(has(r.body, "&lt; 5"));
	http_result_free(&r);
	client_free(c);
	assert_int_equal(server_stop(&s2), 0);
}

/* The page's figure sections are kept in memory (monitor/cache.c) per
 * scope, language and query, under the data's change marks; the frame
 * around them is made per request. A second request is the same page from
 * the heading on, with the session's own CSRF token in the frame; anna's
 * page in English stays English after otto (the same departments) asks for
 * it in Dutch, and pim (the same departments, totals only) gets the totals;
 * a write through another connection changes the next page. Fails when the
 * language, the totals-only view or the marks are left out of the key, or
 * a token is kept inside the cached part. */
static void test_page_cache(void **state)
{
	(void)state;
	struct http_result r1, r2;
	assert_int_equal(get(ANNA, "/monitor", &r1), 200);
	assert_int_equal(get(ANNA, "/monitor", &r2), 200);
	char *a1 = content(r1.body), *a2 = content(r2.body);
	assert_string_equal(a1, a2);
	assert_true(has(a1, "Small counts"));
	http_result_free(&r1);
	http_result_free(&r2);
	/* each session's token in its own frame, never in the kept part */
	char *ta = client_csrf(cl[ANNA], "/monitor"), *to = client_csrf(cl[OTTO], "/monitor");
	if (!ta || !to) {
		fail_msg("no CSRF token in the dashboard's frame");
		return;
	}
	assert_string_not_equal(ta, to);
	assert_false(has(a1, ta));
	assert_int_equal(get(OTTO, "/monitor", &r1), 200);
	char *o1 = content(r1.body);
	assert_string_equal(o1, a1); /* the same departments, the same page */
	assert_true(has(r1.body, to));
	assert_false(has(r1.body, ta));
	http_result_free(&r1);

	/* another language, the same departments: its own page */
	assert_int_equal(client_set_lang(cl[OTTO], "nl"), 0);
	assert_int_equal(get(OTTO, "/monitor", &r1), 200);
	char *o2 = content(r1.body);
	assert_true(has(o2, "Kleine aantallen"));
	assert_false(has(o2, "Small counts"));
	http_result_free(&r1);
	assert_int_equal(get(ANNA, "/monitor", &r1), 200);
	char *a3 = content(r1.body);
	assert_string_equal(a3, a1);
	http_result_free(&r1);
	assert_int_equal(client_set_lang(cl[OTTO], "en"), 0);

	/* the same departments as an IPIM member: the totals only */
	struct table t;
	assert_int_equal(get(PIM, "/monitor", &r1), 200);
	assert_false(has(r1.body, "(FIN)"));
	assert_int_equal(parse_table(r1.body, "zaken", &t), 0);
	assert_int_equal(t.nrows, 1);
	http_result_free(&r1);

	/* a write through another connection: BZK's 3 violations become 7
	 * (shown, or hidden when the rule of the line sums asks it), no
	 * longer "< 5" */
	assert_int_equal(parse_table(a1, "zaken", &t), 0);
	int b = row_of(&t, "(BZK)");
	assert_true(b >= 0);
	assert_string_equal(t.cell[b < 0 ? 0 : b][0], "&lt; 5");
	assert_int_equal(add_history(bzk, "established", 0, 4), 0);
	assert_int_equal(get(ANNA, "/monitor", &r1), 200);
	assert_int_equal(parse_table(r1.body, "zaken", &t), 0);
	b = row_of(&t, "(BZK)");
	assert_true(b >= 0);
	assert_string_not_equal(t.cell[b < 0 ? 0 : b][0], "&lt; 5");
	assert_true(strcmp(t.cell[b < 0 ? 0 : b][0], "7") == 0 ||
		    strcmp(t.cell[b < 0 ? 0 : b][0], "hidden") == 0);
	http_result_free(&r1);
	free(a1);
	free(a2);
	free(a3);
	free(o1);
	free(o2);
	free(ta);
	free(to);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scope_and_numbers),
		cmocka_unit_test(test_no_line_pins_a_count),
		cmocka_unit_test(test_def_changes_nothing),
		cmocka_unit_test(test_access),
		cmocka_unit_test(test_year),
		cmocka_unit_test(test_exports),
		cmocka_unit_test(test_reorganised),
		cmocka_unit_test(test_reorganised_year),
		cmocka_unit_test(test_scores),
		cmocka_unit_test(test_heat),
		cmocka_unit_test(test_trends),
		cmocka_unit_test(test_threshold_config),
		cmocka_unit_test(test_page_cache), /* last: it adds BZK's cases */
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
