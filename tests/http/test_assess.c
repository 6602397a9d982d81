/* test_assess.c: the self-assessment pages against a real server: a
 * department's integrity coordinator cannot read or change another
 * department's assessment (404, nothing changed); the coordinator and the
 * auditor see the departments in scope only, never Defence, in the list
 * and the comparison; sign-off refused while a requirement is unjudged and
 * to a manager; review refused to anyone but the coordinator; a bad field
 * shows the form again with the other values kept and nothing stored; an
 * evidence file stored encrypted (no plaintext marker in the database files)
 * and downloadable by an eligible account, not by the auditor; the CSV and
 * XLSX exports (the workbook unzips and holds the three sheets); the whole
 * path to a reviewed assessment and the comparison showing it.
 *
 * The tests run in order and build on each other. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>

#include "frameworks/framework.h"
#include "harness.h"
#include "harness_api.h"
#include "store/db.h"

static struct server srv;

#define PW "lange zin over tulpen 42"

enum { IVO, MONA, BOB, ANNA, OTTO, DIRK, NUSERS };
static const char *const users[NUSERS] = {"ivo", "mona", "bob", "anna", "otto", "dirk"};
static const char *const roles[NUSERS] = {"integrity_coordinator", "manager",
					  "integrity_coordinator", "coordinator",
					  "auditor",               "integrity_coordinator"};
static const char *const orgs[NUSERS] = {"FIN", "FIN-DGB", "BZK", "RIJK", "RIJK", "DEF"};

static struct client *cl[NUSERS];
static char *recovery[NUSERS]; /* the first recovery code, for an API session */
static db_t *db;
static struct framework fw;   /* the basic norms, as stored */
static int64_t fw_id;
static int64_t a_fin, a_bzk, a_def;

static int has(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

static int64_t q1(const char *sql, const char *param)
{
	int64_t n = -1;
	if (db_query_i64(db, sql, param, &n) != 0)
		fail_msg("%s: %s", sql, db_error(db)->msg);
	return n;
}

static const char *path(int64_t id, const char *rest)
{
	static char b[8][160];
	static int i;
	i = (i + 1) % 8;
	snprintf(b[i], sizeof b[i], "/zelfevaluaties/%lld%s", (long long)id, rest);
	return b[i];
}

static int cli(const char *const *args)
{
	return server_cli_input(&srv, args, NULL);
}

static int setup(void **state)
{
	(void)state;
	signal(SIGPIPE, SIG_IGN);
	if (sodium_init() < 0 || server_start(&srv) != 0 || server_add_rijk_fin(&srv) != 0)
		return -1;
	const char *dgb[] = {"org", "add", "FIN-DGB", "--name", "Belastingdienst", "--kind",
			     "unit", "--parent", "FIN", "--from", "2020-01-01", NULL};
	const char *bzk[] = {"org", "add", "BZK", "--name", "Binnenlandse Zaken", "--parent",
			     "RIJK", "--from", "2020-01-01", NULL};
	const char *def[] = {"org", "add", "DEF", "--name", "Defensie", "--parent", "RIJK",
			     "--from", "2020-01-01", "--outside-scope", NULL};
	if (cli(dgb) || cli(bzk) || cli(def))
		return -1;
	for (int i = 0; i < NUSERS; i++)
		if (server_add_user(&srv, users[i], users[i], roles[i], orgs[i], PW)) {
			fprintf(stderr, "adding %s failed\n", users[i]);
			return -1;
		}
	struct db_options opt = {.busy_timeout_ms = 10000};
	struct db_error dbe;
	if (db_open(srv.db, 0, &opt, &db, &dbe) != 0)
		return -1;
	if (frameworks_latest(db, "basisnormen-2006", &fw_id) != 0 ||
	    frameworks_load(db, fw_id, &fw) != 0) {
		fprintf(stderr, "the shipped frameworks are not in the database\n");
		return -1;
	}
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
	framework_free(&fw);
	db_close(db);
	return server_stop(&srv) == 0 ? 0 : -1;
}

static long get(int who, const char *p, struct http_result *r)
{
	assert_int_equal(client_get(cl[who], p, r), 0);
	return r->status;
}

static long post(int who, const char *p, const char *fields, struct http_result *r)
{
	char *csrf = client_csrf(cl[who], "/account");
	if (!csrf) {
		fail_msg("no CSRF token for %s", users[who]);
		return -1;
	}
	size_t n = strlen(csrf) + (fields ? strlen(fields) : 0) + 16;
	char *body = malloc(n);
	snprintf(body, n, "csrf=%s%s%s", csrf, fields ? "&" : "", fields ? fields : "");
	assert_int_equal(client_post(cl[who], p, body, r), 0);
	free(body);
	free(csrf);
	return r->status;
}

static void expect(long got, long want, const struct http_result *r, const char *what)
{
	if (got != want)
		fail_msg("%s answered %ld, not %ld: %.400s", what, got, want,
			 r->body ? (strstr(r->body, "utrecht-alert--error")
					    ? strstr(r->body, "utrecht-alert--error")
					    : r->body)
				 : "");
}

/* Starts an assessment as who for dept (its id) and year; returns its id. */
static int64_t start(int who, const char *dept, int year)
{
	char sql[120], f[160];
	snprintf(sql, sizeof sql, "SELECT id FROM org WHERE code = '%s'", dept);
	int64_t dept_id = q1(sql, NULL);
	snprintf(f, sizeof f, "department=%lld&framework=%lld&year=%d", (long long)dept_id,
		 (long long)fw_id, year);
	struct http_result r;
	expect(post(who, "/zelfevaluaties/nieuw", f, &r), 303, &r, "starting");
	const char *loc = strstr(r.headers, "Location: /zelfevaluaties/");
	if (!loc) {
		fail_msg("starting did not lead to the assessment: %s", r.headers);
		return 0;
	}
	int64_t id = strtoll(loc + strlen("Location: /zelfevaluaties/"), NULL, 10);
	http_result_free(&r);
	assert_true(id > 0);
	return id;
}

/* The multipart form of group g (0-based) with every requirement judged j
 * and a comment; extra fields may follow before it is ended. */
static void group_form(int who, size_t g, const char *j, struct multipart *m)
{
	char *csrf = client_csrf(cl[who], "/account");
	memset(m, 0, sizeof *m);
	if (!csrf) {
		fail_msg("no CSRF token for %s", users[who]);
		return;
	}
	multipart_field(m, "csrf", csrf);
	free(csrf);
	for (size_t k = fw.groups[g].first; k < fw.groups[g].first + fw.groups[g].n; k++) {
		char name[48], val[80];
		for (int d = 0; d < 3; d++) {
			snprintf(name, sizeof name, "j%d-%zu", d, k);
			multipart_field(m, name, j);
		}
		snprintf(name, sizeof name, "m-%zu", k);
		multipart_field(m, name, "established");
		snprintf(name, sizeof name, "c-%zu", k);
		snprintf(val, sizeof val, "Opmerking bij eis %s", fw.reqs[k].code);
		multipart_field(m, name, val);
	}
}

static long send_group(int who, int64_t id, size_t g, struct multipart *m, struct http_result *r)
{
	multipart_end(m);
	char p[120];
	snprintf(p, sizeof p, "/zelfevaluaties/%lld/groepen/%zu", (long long)id, g + 1);
	assert_int_equal(client_post_as(cl[who], p, MP_CONTENT_TYPE, m->p, m->n, r), 0);
	free(m->p);
	return r->status;
}

static void test_start(void **state)
{
	(void)state;
	struct http_result r;
	a_fin = start(IVO, "FIN", 2024);
	a_bzk = start(BOB, "BZK", 2024);
	a_def = start(DIRK, "DEF", 2024);
	/* a second one for FIN, basic norms, 2024: refused, by the manager too */
	char f[160];
	snprintf(f, sizeof f, "department=%lld&framework=%lld&year=2024",
		 (long long)q1("SELECT id FROM org WHERE code = 'FIN'", NULL), (long long)fw_id);
	expect(post(MONA, "/zelfevaluaties/nieuw", f, &r), 409, &r, "a second one");
	assert_true(has(r.body, "already has a self-assessment"));
	http_result_free(&r);
	/* another department's: refused, nothing written */
	expect(post(BOB, "/zelfevaluaties/nieuw", f, &r), 422, &r, "FIN by BZK");
	http_result_free(&r);
	snprintf(f, sizeof f, "department=%lld&framework=%lld&year=20x4",
		 (long long)q1("SELECT id FROM org WHERE code = 'FIN'", NULL), (long long)fw_id);
	expect(post(IVO, "/zelfevaluaties/nieuw", f, &r), 422, &r, "a bad year");
	assert_true(has(r.body, "four digits"));
	assert_true(has(r.body, "value=\"20x4\""));
	http_result_free(&r);
	assert_int_equal(q1("SELECT count(*) FROM assessment", NULL), 3);
	/* the coordinator and the auditor start none */
	expect(get(ANNA, "/zelfevaluaties/nieuw", &r), 403, &r, "coordinator's new");
	http_result_free(&r);
	expect(get(IVO, path(a_fin, ""), &r), 200, &r, "the page");
	assert_true(has(r.body, "Draft"));
	assert_true(has(r.body, "Attention to integrity"));
	assert_true(has(r.body, "not assessed"));
	http_result_free(&r);
}

static void test_other_department(void **state)
{
	(void)state;
	struct http_result r;
	int64_t audit = q1("SELECT count(*) FROM audit_log", NULL);
	/* BZK's integrity coordinator: FIN's assessment does not exist */
	const char *gets[] = {"", "/groepen/1", "/export.csv", "/export.xlsx"};
	for (size_t i = 0; i < sizeof gets / sizeof gets[0]; i++) {
		expect(get(BOB, path(a_fin, gets[i]), &r), 404, &r, gets[i]);
		http_result_free(&r);
	}
	struct multipart m;
	group_form(BOB, 0, "adequate", &m);
	expect(send_group(BOB, a_fin, 0, &m, &r), 404, &r, "BZK saves FIN's group");
	http_result_free(&r);
	expect(post(BOB, path(a_fin, "/aftekenen"), NULL, &r), 404, &r, "BZK signs FIN's");
	http_result_free(&r);
	assert_int_equal(q1("SELECT count(*) FROM assessment_item WHERE updated_at IS NOT NULL",
			    NULL), 0);
	assert_int_equal(q1("SELECT count(*) FROM assessment WHERE status <> 'draft'", NULL), 0);
	assert_int_equal(q1("SELECT count(*) FROM audit_log", NULL), audit);
	/* the list: own departments only */
	expect(get(BOB, "/zelfevaluaties", &r), 200, &r, "BZK's list");
	assert_true(has(r.body, path(a_bzk, "")));
	assert_false(has(r.body, path(a_fin, "\"")));
	assert_false(has(r.body, "Defensie"));
	http_result_free(&r);
}

static void test_coordinator_scope(void **state)
{
	(void)state;
	struct http_result r;
	for (int who = ANNA; who <= OTTO; who++) {
		expect(get(who, "/zelfevaluaties", &r), 200, &r, "overseer's list");
		assert_true(has(r.body, path(a_fin, "")));
		assert_true(has(r.body, path(a_bzk, "")));
		assert_false(has(r.body, path(a_def, "")));
		assert_false(has(r.body, "Defensie"));
		http_result_free(&r);
		expect(get(who, path(a_def, ""), &r), 404, &r, "Defence's");
		http_result_free(&r);
		expect(get(who, path(a_def, "/export.csv"), &r), 404, &r, "Defence's CSV");
		http_result_free(&r);
		expect(get(who, "/zelfevaluaties/vergelijking?kader=basisnormen-2006&jaar=2024", &r),
		       200, &r, "comparison");
		assert_true(has(r.body, "(FIN)"));
		assert_true(has(r.body, "(BZK)"));
		assert_false(has(r.body, "DEF"));
		/* drafts do not count: said once, in words, across the row */
		assert_true(has(r.body, "<em>No signed-off or reviewed assessment against this framework for this year.</em>"));
		assert_false(has(r.body, "<em>not assessed</em>"));
		http_result_free(&r);
	}
	/* Defence's own coordinator reads it; the others' lists lack it */
	expect(get(DIRK, path(a_def, ""), &r), 200, &r, "Defence's own");
	http_result_free(&r);
	expect(get(DIRK, "/zelfevaluaties/vergelijking", &r), 403, &r, "comparison for DEF");
	http_result_free(&r);
	expect(get(IVO, "/zelfevaluaties/vergelijking", &r), 403, &r, "comparison for FIN");
	http_result_free(&r);
}

static void test_bad_field_keeps_values(void **state)
{
	(void)state;
	struct http_result r;
	struct multipart m;
	group_form(IVO, 0, "partly", &m);
	size_t k = fw.groups[0].first + 1;
	char name[48];
	snprintf(name, sizeof name, "link-%zu", k);
	multipart_field(&m, name, "javascript:alert(1)");
	snprintf(name, sizeof name, "n-%zu-text", fw.groups[0].first);
	multipart_field(&m, name, "Enquete uitzetten bij alle directies");
	expect(send_group(IVO, a_fin, 0, &m, &r), 422, &r, "a bad link");
	assert_true(has(r.body, "must start with https://"));
	/* what was typed is still there: the comments, the judgements, the
	 * action point, the link */
	assert_true(has(r.body, "Opmerking bij eis 1.1"));
	assert_true(has(r.body, "Opmerking bij eis 1.3"));
	assert_true(has(r.body, "value=\"Enquete uitzetten bij alle directies\""));
	assert_true(has(r.body, "value=\"javascript:alert(1)\""));
	assert_true(has(r.body, "value=\"partly\" checked"));
	http_result_free(&r);
	assert_int_equal(q1("SELECT count(*) FROM assessment_item WHERE updated_at IS NOT NULL",
			    NULL), 0);
	assert_int_equal(q1("SELECT count(*) FROM assessment_action", NULL), 0);
	/* an unknown judgement */
	group_form(IVO, 0, "excellent", &m);
	expect(send_group(IVO, a_fin, 0, &m, &r), 422, &r, "a bad judgement");
	http_result_free(&r);
	assert_int_equal(q1("SELECT count(*) FROM assessment_item WHERE updated_at IS NOT NULL",
			    NULL), 0);
}

#define MARKER "MARKER-EVIDENCE-8812"

static void test_evidence_file(void **state)
{
	(void)state;
	struct http_result r;
	struct multipart m;
	group_form(MONA, 0, "adequate", &m);
	const char body[] = "Verslag " MARKER " van het integriteitsoverleg.\n";
	char name[48];
	snprintf(name, sizeof name, "file-%zu", fw.groups[0].first);
	multipart_file(&m, name, "verslag-" MARKER ".txt", "text/plain", body, sizeof body - 1);
	snprintf(name, sizeof name, "link-%zu", fw.groups[0].first);
	multipart_field(&m, name, "https://intranet.example/integriteit/beleid.pdf");
	expect(send_group(MONA, a_fin, 0, &m, &r), 303, &r, "the manager saves with a file");
	http_result_free(&r);
	assert_int_equal(q1("SELECT count(*) FROM assessment_evidence WHERE kind = 'file'", NULL), 1);
	int64_t ev = q1("SELECT id FROM assessment_evidence WHERE kind = 'file'", NULL);
	/* no plaintext in the database or its log */
	char p[400];
	const char *files[] = {"", "-wal"};
	for (size_t i = 0; i < 2; i++) {
		snprintf(p, sizeof p, "%s%s", srv.db, files[i]);
		FILE *f = fopen(p, "rb");
		if (!f)
			continue;
		fseek(f, 0, SEEK_END);
		long n = ftell(f);
		fseek(f, 0, SEEK_SET);
		char *bytes = malloc((size_t)n + 1);
		assert_int_equal(fread(bytes, 1, (size_t)n, f), (size_t)n);
		fclose(f);
		assert_null(memmem(bytes, (size_t)n, MARKER, strlen(MARKER)));
		free(bytes);
	}
	/* the group page names the file for holders; the auditor sees that a
	 * file exists, not its name */
	expect(get(IVO, path(a_fin, "/groepen/1"), &r), 200, &r, "group as ivo");
	assert_true(has(r.body, "verslag-" MARKER ".txt"));
	assert_true(has(r.body, "https://intranet.example/integriteit/beleid.pdf"));
	http_result_free(&r);
	expect(get(OTTO, path(a_fin, "/groepen/1"), &r), 200, &r, "group as auditor");
	assert_false(has(r.body, MARKER));
	assert_true(has(r.body, "A file (encrypted)"));
	assert_false(has(r.body, "type=\"radio\"")); /* read-only */
	http_result_free(&r);
	/* the coordinator downloads it */
	char dl[120];
	snprintf(dl, sizeof dl, "/zelfevaluaties/%lld/bewijs/%lld", (long long)a_fin,
		 (long long)ev);
	expect(get(ANNA, dl, &r), 200, &r, "download by the coordinator");
	assert_string_equal(r.body, body);
	assert_true(has(r.headers, "Content-Disposition: attachment"));
	assert_true(has(r.headers, "sandbox"));
	http_result_free(&r);
	expect(get(OTTO, dl, &r), 403, &r, "download by the auditor");
	http_result_free(&r);
	expect(get(BOB, dl, &r), 404, &r, "download by BZK");
	http_result_free(&r);
	snprintf(dl, sizeof dl, "/zelfevaluaties/%lld/bewijs/%lld", (long long)a_bzk,
		 (long long)ev);
	expect(get(BOB, dl, &r), 404, &r, "FIN's file through BZK's assessment");
	http_result_free(&r);
}

static void test_sign_off_and_review(void **state)
{
	(void)state;
	struct http_result r;
	/* unjudged requirements: refused with how many */
	expect(post(IVO, path(a_fin, "/aftekenen"), NULL, &r), 409, &r, "incomplete sign-off");
	assert_true(has(r.body, "still need a judgement"));
	http_result_free(&r);
	for (size_t g = 1; g < fw.ngroups; g++) {
		struct multipart m;
		group_form(g % 2 ? MONA : IVO, g, "adequate", &m);
		expect(send_group(g % 2 ? MONA : IVO, a_fin, g, &m, &r), 303, &r, "filling in");
		http_result_free(&r);
	}
	/* a manager may not sign off; the router says so first */
	expect(post(MONA, path(a_fin, "/aftekenen"), NULL, &r), 403, &r, "manager's sign-off");
	http_result_free(&r);
	/* review before sign-off: the status refuses */
	expect(post(ANNA, path(a_fin, "/beoordelen"), "text=Goed", &r), 409, &r, "early review");
	http_result_free(&r);
	expect(post(IVO, path(a_fin, "/aftekenen"), NULL, &r), 303, &r, "sign-off");
	http_result_free(&r);
	assert_int_equal(q1("SELECT count(*) FROM assessment WHERE status = 'signed_off'", NULL), 1);
	/* read-only now */
	struct multipart m;
	group_form(IVO, 0, "absent", &m);
	expect(send_group(IVO, a_fin, 0, &m, &r), 409, &r, "saving after sign-off");
	http_result_free(&r);
	/* review: not by the integrity coordinator, the auditor or the manager */
	const int no[] = {IVO, OTTO, MONA, BOB};
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
		expect(post(no[i], path(a_fin, "/beoordelen"), "text=Goed", &r), 403, &r,
		       "review by another role");
		http_result_free(&r);
	}
	expect(post(ANNA, path(a_fin, "/beoordelen"), "text=", &r), 422, &r, "empty review");
	http_result_free(&r);
	/* returned, signed off again, reviewed */
	expect(post(ANNA, path(a_fin, "/terugsturen"), "text=Norm+4+onderbouwen", &r), 303, &r,
	       "return");
	http_result_free(&r);
	expect(get(IVO, path(a_fin, ""), &r), 200, &r, "returned page");
	assert_true(has(r.body, "Norm 4 onderbouwen"));
	assert_true(has(r.body, "Draft"));
	http_result_free(&r);
	expect(post(IVO, path(a_fin, "/aftekenen"), NULL, &r), 303, &r, "sign-off again");
	http_result_free(&r);
	expect(post(ANNA, path(a_fin, "/beoordelen"), "text=Beoordeeld%3A+in+orde", &r), 303, &r,
	       "review");
	http_result_free(&r);
	assert_int_equal(q1("SELECT count(*) FROM assessment WHERE status = 'reviewed'", NULL), 1);
	expect(get(OTTO, path(a_fin, ""), &r), 200, &r, "reviewed page");
	assert_true(has(r.body, "Beoordeeld: in orde"));
	assert_true(has(r.body, "Reviewed"));
	http_result_free(&r);
	/* the comparison shows FIN's scores now; BZK still not assessed */
	expect(get(ANNA, "/zelfevaluaties/vergelijking?kader=basisnormen-2006&jaar=2024", &r), 200,
	       &r, "comparison");
	assert_true(has(r.body, path(a_fin, "")));
	assert_true(has(r.body, "<strong>100</strong>"));
	http_result_free(&r);
	assert_true(q1("SELECT count(*) FROM audit_log WHERE action LIKE 'assess.%'", NULL) >= 17);
}

static void test_exports(void **state)
{
	(void)state;
	struct http_result r;
	expect(get(OTTO, path(a_fin, "/export.csv"), &r), 200, &r, "CSV");
	assert_true(has(r.headers, "text/csv"));
	assert_true(has(r.headers, "attachment"));
	assert_true(has(r.body, "norm,requirement,text,design,existence,operation,maturity,score,"
				"comment,evidence,prefilled\r\n"));
	assert_true(has(r.body, "\r\n1,1.1,"));
	assert_true(has(r.body, ",adequate,adequate,adequate,established,100,Opmerking bij eis 1.1,2,no"));
	http_result_free(&r);
	expect(get(OTTO, path(a_fin, "/export.csv?tabel=scores"), &r), 200, &r, "scores CSV");
	assert_true(has(r.body, "level,code,title,score,maturity,scored,not_assessed\r\n"));
	assert_true(has(r.body, "overall,,Overall,100,established,13,0"));
	http_result_free(&r);
	expect(get(OTTO, path(a_fin, "/export.csv?tabel=nope"), &r), 404, &r, "unknown table");
	http_result_free(&r);
	expect(get(OTTO, path(a_fin, "/export.xlsx"), &r), 200, &r, "XLSX");
	assert_true(has(r.headers, "spreadsheetml"));
	http_result_free(&r);
	/* the bytes, fetched with the auditor's session by curl and unzipped by
	 * python: a workbook with the three sheets, named */
	char *cookie = client_cookie(cl[OTTO], "probity_session");
	if (!cookie) {
		fail_msg("no session cookie");
		return;
	}
	char out[400], cmd[1600];
	snprintf(out, sizeof out, "%s/export.xlsx", srv.dir);
	snprintf(cmd, sizeof cmd, "curl -s -f -o '%s' -H 'Cookie: probity_session=%s' '%s%s'", out,
		 cookie, srv.base, path(a_fin, "/export.xlsx"));
	free(cookie);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof cmd,
		 "python3 -c 'import sys, zipfile\n"
		 "z = zipfile.ZipFile(sys.argv[1])\n"
		 "names = z.namelist()\n"
		 "assert \"xl/workbook.xml\" in names, names\n"
		 "sheets = [n for n in names if n.startswith(\"xl/worksheets/sheet\")]\n"
		 "assert len(sheets) == 3, sheets\n"
		 "wb = z.read(\"xl/workbook.xml\").decode()\n"
		 "for s in (\"Requirements\", \"Scores\", \"Action points\"):\n"
		 "    assert (\"name=\\\"%%s\\\"\" %% s) in wb, (s, wb)\n"
		 "strings = z.read(\"xl/sharedStrings.xml\").decode()\n"
		 "assert \"Opmerking bij eis 1.1\" in strings\n' '%s'",
		 out);
	assert_int_equal(system(cmd), 0);
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

static void expect_api(struct api_reply *r, long st, const char *code)
{
	if (r->status != st || (code && strcmp(err_code(r), code) != 0))
		fail_msg("expected %ld %s, got %ld %s", st, code ? code : "", r->status,
			 r->json ? json_dumps(r->json, 0) : "(no body)");
	json_decref(r->json);
	r->json = NULL;
}

static char *token(int who)
{
	return api_token(&srv, users[who], PW, recovery[who]);
}

static const char *api(int64_t id, const char *rest)
{
	static char b[4][120];
	static int i;
	i = (i + 1) % 4;
	snprintf(b[i], sizeof b[i], "/api/v1/assessments/%lld%s", (long long)id, rest);
	return b[i];
}

/* 1 if a list answer holds assessment id. */
static int lists(const struct api_reply *r, int64_t id)
{
	json_t *a = json_object_get(r->json, "assessments"), *x;
	size_t i;
	json_array_foreach(a, i, x)
		if (json_integer_value(json_object_get(x, "id")) == id)
			return 1;
	return 0;
}

static void test_api(void **state)
{
	(void)state;
	char *ivo = token(IVO), *bob = token(BOB), *anna = token(ANNA), *mona = token(MONA);
	struct api_reply r;
	/* lists: own departments; the coordinator's without Defence */
	assert_int_equal(call("GET", "/api/v1/assessments", ivo, NULL, &r), 200);
	assert_true(lists(&r, a_fin));
	assert_false(lists(&r, a_bzk));
	json_decref(r.json);
	assert_int_equal(call("GET", "/api/v1/assessments", anna, NULL, &r), 200);
	assert_true(lists(&r, a_fin));
	assert_true(lists(&r, a_bzk));
	assert_false(lists(&r, a_def));
	json_decref(r.json);
	call("GET", api(a_def, ""), anna, NULL, &r);
	expect_api(&r, 404, "assessment_not_found");
	call("GET", api(a_fin, ""), bob, NULL, &r);
	expect_api(&r, 404, "assessment_not_found");
	/* one, with its scores */
	assert_int_equal(call("GET", api(a_fin, ""), ivo, NULL, &r), 200);
	json_t *sc = json_object_get(r.json, "scores");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(sc, "overall"), "score")),
			 100);
	assert_int_equal(json_array_size(json_object_get(sc, "groups")), 13);
	assert_string_equal(json_string_value(json_object_get(r.json, "status")), "reviewed");
	assert_int_equal(json_integer_value(json_object_get(r.json, "open_requirements")), 0);
	json_decref(r.json);
	/* one requirement's judgement */
	const char *item = "{\"requirement\":\"1.1\",\"design\":\"adequate\",\"existence\":"
			   "\"partly\",\"operation\":\"none\",\"maturity\":\"emerging\","
			   "\"comment\":\"Via de API\"}";
	call("POST", api(a_bzk, "/items"), bob, item, &r);
	expect_api(&r, 200, NULL);
	assert_int_equal(q1("SELECT count(*) FROM assessment_item WHERE comment = 'Via de API' "
			    "AND design = 3 AND existence = 2 AND operation = 0 AND maturity = 2",
			    NULL), 1);
	call("POST", api(a_bzk, "/items"), ivo, item, &r);
	expect_api(&r, 404, "assessment_not_found");
	call("POST", api(a_fin, "/items"), ivo, item, &r);
	expect_api(&r, 409, "status_conflict");
	call("POST", api(a_bzk, "/items"), bob,
	     "{\"requirement\":\"1.1\",\"design\":\"great\",\"existence\":\"none\","
	     "\"operation\":\"none\",\"maturity\":\"none\"}", &r);
	expect_api(&r, 400, "invalid_field");
	call("POST", api(a_bzk, "/items"), bob,
	     "{\"requirement\":\"99.9\",\"design\":\"none\",\"existence\":\"none\","
	     "\"operation\":\"none\",\"maturity\":\"none\"}", &r);
	expect_api(&r, 400, "invalid_field");
	call("POST", api(a_bzk, "/items"), anna, item, &r);
	expect_api(&r, 403, "forbidden");
	/* sign-off: unjudged requirements, a manager */
	assert_int_equal(call("POST", api(a_bzk, "/sign-off"), bob, "{}", &r), 409);
	assert_string_equal(err_code(&r), "not_fully_judged");
	assert_true(json_integer_value(json_object_get(json_object_get(r.json, "error"),
						       "open_requirements")) > 40);
	json_decref(r.json);
	call("POST", api(a_bzk, "/sign-off"), mona, "{}", &r);
	expect_api(&r, 403, "forbidden");
	/* review: the coordinator only, of a signed-off one */
	call("POST", api(a_bzk, "/review"), ivo, "{\"comment\":\"Goed\"}", &r);
	expect_api(&r, 403, "forbidden");
	call("POST", api(a_bzk, "/review"), anna, "{\"comment\":\"Goed\"}", &r);
	expect_api(&r, 409, "status_conflict");
	call("POST", api(a_def, "/review"), anna, "{\"comment\":\"Goed\"}", &r);
	expect_api(&r, 404, "assessment_not_found");
	free(ivo);
	free(bob);
	free(anna);
	free(mona);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start),
		cmocka_unit_test(test_other_department),
		cmocka_unit_test(test_coordinator_scope),
		cmocka_unit_test(test_bad_field_keeps_values),
		cmocka_unit_test(test_evidence_file),
		cmocka_unit_test(test_sign_off_and_review),
		cmocka_unit_test(test_exports),
		cmocka_unit_test(test_api),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
