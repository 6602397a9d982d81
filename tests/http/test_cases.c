/* test_cases.c: the case pages, the competent authority's pages, the
 * deadlines view and the case API, against a real server: a case opened
 * from a report, its team, a joined report read by an investigator who holds
 * no key of the report itself, every phase of the shipped protocol walked
 * through the pages with an illegal move refused in the machine's words and
 * a departure from the protocol approved, the checklist and records, a
 * person's rights stepped in order, the outcome with an unknown category
 * refused, the authority reading the summary and never the file, deciding
 * and moving the case on, closing; who gets nothing (another case's
 * investigator, another department's coordinator, the coordinator,
 * administrator, auditor and manager roles); an overdue phase in the
 * deadlines view; the API's happy path and errors.
 *
 * Reports are put in through the store (intake_submit on the server's own
 * database file, signed with its key), as test_handler.c does. The tests run
 * in order and build on each other: one case walks the protocol. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>

#include "base/date.h"
#include "crypto/audit.h"
#include "crypto/signkey.h"
#include "harness.h"
#include "harness_api.h"
#include "intake/intake.h"
#include "intake/qset.h"
#include "store/db.h"

static struct server srv;

#define PW "lange zin over tulpen 42"

enum { IVO, INES, IRIS, BOB, BART, CORA, ANNA, ADAM, OTTO, MAX, NUSERS };
static const char *const users[NUSERS] = {"ivo",  "ines", "iris", "bob",  "bart",
					  "cora", "anna", "adam", "otto", "max"};
static const char *const roles[NUSERS] = {
	"integrity_coordinator", "investigator", "investigator", "integrity_coordinator",
	"investigator",          "competent_authority", "coordinator", "administrator",
	"auditor",               "manager"};
static const char *const orgs[NUSERS] = {"FIN", "FIN", "FIN", "BZK", "BZK",
					 "FIN", "RIJK", "RIJK", "RIJK", "FIN"};

static struct client *cl[NUSERS];
static char *recovery[NUSERS]; /* the first recovery code, for an API session */
static int64_t uid[NUSERS];

static db_t *db;
static struct signkey key;
static struct audit_signer signer;

/* reports made in setup; the cases the tests open */
static int64_t rep_fin, rep_fin2, rep_bzk, rep_fin3;
static int64_t case1, case2;

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

static const char *num(int64_t v)
{
	static char b[8][24];
	static int i;
	i = (i + 1) % 8;
	snprintf(b[i], sizeof b[i], "%lld", (long long)v);
	return b[i];
}

/* "/zaken/3" + rest */
static const char *zaak(int64_t id, const char *rest)
{
	static char b[8][160];
	static int i;
	i = (i + 1) % 8;
	snprintf(b[i], sizeof b[i], "/zaken/%lld%s", (long long)id, rest);
	return b[i];
}

static int64_t submit(const char *org, const char *mode, const char *answers,
		      const char *identity)
{
	const struct intake_questionnaire *q = intake_qset_current();
	struct intake_submission s = {
		.org_code = org,
		.kind = "integrity_violation",
		.mode = mode,
		.questionnaire = q->id,
		.questionnaire_revision = q->revision,
		.answers = answers,
		.answers_len = strlen(answers),
		.identity = identity,
	};
	char rc[RECEIPT_SHOWN_SIZE] = {0};
	int64_t id = 0;
	struct intake_error e;
	if (intake_submit(db, &signer, &s, rc, &id, &e) != 0) {
		fprintf(stderr, "submit: %s\n", e.msg);
		return -1;
	}
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
	const char *dgb[] = {"org", "add", "FIN-DGB", "--name", "Belastingdienst", "--kind",
			     "unit", "--parent", "FIN", "--from", "2020-01-01", NULL};
	const char *bzk[] = {"org", "add", "BZK", "--name", "Binnenlandse Zaken", "--parent",
			     "RIJK", "--from", "2020-01-01", NULL};
	if (server_add_rijk_fin(&srv) || cli(dgb) || cli(bzk))
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
	char keypath[400];
	snprintf(keypath, sizeof keypath, "%s", server_key_path(&srv));
	if (signkey_load(keypath, &key, err, sizeof err) != 0)
		return -1;
	signer = (struct audit_signer){&key, 100};
	for (int i = 0; i < NUSERS; i++)
		if (db_query_i64(db, "SELECT id FROM account WHERE username = ?", users[i], &uid[i]))
			return -1;
	rep_fin = submit("FIN", "confidential",
			 "{\"kind\":\"integrity_violation\",\"description\":\"Geld verdwijnt uit de "
			 "kas\",\"contact\":\"messages\"}",
			 "Rita Reporter, 06-12345678");
	rep_fin2 = submit("FIN-DGB", "anonymous",
			  "{\"kind\":\"integrity_violation\",\"description\":\"Ook bij de "
			  "Belastingdienst verdwijnt geld\",\"contact\":\"messages\"}",
			  NULL);
	rep_bzk = submit("BZK", "anonymous",
			 "{\"kind\":\"integrity_violation\",\"description\":\"Iets bij "
			 "BZK\",\"contact\":\"messages\"}",
			 NULL);
	rep_fin3 = submit("FIN", "anonymous",
			  "{\"kind\":\"integrity_violation\",\"description\":\"Een tweede "
			  "zaak\",\"contact\":\"messages\"}",
			  NULL);
	if (rep_fin <= 0 || rep_fin2 <= 0 || rep_bzk <= 0 || rep_fin3 <= 0)
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

/* ---- requests ---- */

static long get(int who, const char *path, struct http_result *r)
{
	assert_int_equal(client_get(cl[who], path, r), 0);
	return r->status;
}

/* POSTs fields (urlencoded, without the token) with the user's CSRF token. */
static long post(int who, const char *path, const char *fields, struct http_result *r)
{
	char *csrf = client_csrf(cl[who], "/account");
	assert_non_null(csrf);
	size_t n = strlen(csrf) + (fields ? strlen(fields) : 0) + 16;
	char *body = malloc(n);
	snprintf(body, n, "csrf=%s%s%s", csrf, fields ? "&" : "", fields ? fields : "");
	assert_int_equal(client_post(cl[who], path, body, r), 0);
	free(body);
	free(csrf);
	return r->status;
}

/* POST that must answer status; the result is dropped. */
static void post_ok(int who, const char *path, const char *fields, long status)
{
	struct http_result r;
	if (post(who, path, fields, &r) != status)
		fail_msg("%s POST %s %s answered %ld, not %ld: %.600s", users[who], path,
			 fields ? fields : "", r.status, status,
			 r.body ? (strstr(r.body, "utrecht-alert--error") ? strstr(r.body, "utrecht-alert--error") : r.body) : "");
	http_result_free(&r);
}

static void tick(int who, int64_t id, const char *item)
{
	char f[120];
	snprintf(f, sizeof f, "item=%s&done=1", item);
	post_ok(who, zaak(id, "/checklist"), f, 303);
}

static void record(int who, int64_t id, const char *type, const char *text_enc)
{
	char f[400];
	snprintf(f, sizeof f, "type=%s&text=%s", type, text_enc);
	post_ok(who, zaak(id, "/stukken"), f, 303);
}

static void move(int who, int64_t id, const char *target, long status)
{
	char f[120];
	snprintf(f, sizeof f, "target=%s", target);
	post_ok(who, zaak(id, "/fase"), f, status);
}

static const char *phase_of(int64_t id)
{
	static char b[64];
	db_stmt_t *st;
	assert_int_equal(db_prepare(db, "SELECT phase FROM case_file WHERE id = ?", &st), 0);
	db_bind_i64(st, 1, id);
	assert_int_equal(db_step(st), DB_ROW);
	snprintf(b, sizeof b, "%s", db_col_text(st, 0));
	db_finalize(st);
	return b;
}

/* ---- opening a case ---- */

static void test_open_case(void **state)
{
	(void)state;
	struct http_result r;
	struct intake_error e;
	char today[DATE_LEN + 1];
	date_today(today);
	assert_int_equal(intake_hand_over(db, &signer, rep_fin, uid[IVO], today, &e), 0);
	/* the report waits to become a case, on the coordinator's list */
	assert_int_equal(get(IVO, "/zaken", &r), 200);
	assert_true(has(r.body, "Reports waiting to become a case"));
	char action[80];
	snprintf(action, sizeof action, "action=\"/meldingen/%lld/zaak\"", (long long)rep_fin);
	assert_true(has(r.body, action));
	assert_true(has(r.body, "href=\"/zaken\" aria-current=\"page\">Cases</a>"));
	assert_false(has(r.body, "Geld verdwijnt")); /* metadata only */
	http_result_free(&r);
	/* and the report's page offers it */
	char rp[60];
	snprintf(rp, sizeof rp, "/meldingen/%lld", (long long)rep_fin);
	assert_int_equal(get(IVO, rp, &r), 200);
	assert_true(has(r.body, action));
	http_result_free(&r);
	/* bob handles BZK: he holds no key to FIN's report */
	snprintf(rp, sizeof rp, "/meldingen/%lld/zaak", (long long)rep_fin);
	post_ok(BOB, rp, NULL, 404);
	assert_int_equal(q1("SELECT count(*) FROM case_file", NULL), 0);
	/* opened: the coordinator lands on the new case */
	assert_int_equal(post(IVO, rp, "case=", &r), 303);
	char *loc = text_between(r.headers, "Location: /zaken/", "?done=opened");
	assert_non_null(loc);
	case1 = atoll(loc);
	free(loc);
	http_result_free(&r);
	assert_true(case1 > 0);
	assert_int_equal(q1("SELECT count(*) FROM audit_log WHERE action = 'case.open'", NULL), 1);
	assert_int_equal(get(IVO, zaak(case1, "?done=opened"), &r), 200);
	assert_true(has(r.body, "The case was opened."));
	assert_true(has(r.body, "Current phase: Intake and preliminary inquiry"));
	assert_true(has(r.body, "Financiën (FIN)"));
	assert_true(has(r.body, "Coordinator of the case"));
	assert_true(has(r.body, "14 days left"));
	assert_true(has(r.headers, "Cache-Control: no-store"));
	http_result_free(&r);
	/* a second time: refused on the report's page, nothing changed */
	assert_int_equal(post(IVO, rp, NULL, &r), 409);
	assert_true(has(r.body, "This report is already in a case"));
	http_result_free(&r);
	/* the unit's report is joined to it (the case's organisation is FIN) */
	snprintf(rp, sizeof rp, "/meldingen/%lld/zaak", (long long)rep_fin2);
	assert_int_equal(post(IVO, rp, "case=abc", &r), 422);
	http_result_free(&r);
	assert_int_equal(post(IVO, rp, "case=999999", &r), 404);
	assert_true(has(r.body, "There is no open case with this number that you coordinate."));
	http_result_free(&r);
	char f[40];
	snprintf(f, sizeof f, "case=%lld", (long long)case1);
	assert_int_equal(post(IVO, rp, f, &r), 303);
	assert_true(has(r.headers, "?done=joined"));
	http_result_free(&r);
	assert_int_equal(q1("SELECT count(*) FROM case_report_key WHERE case_id = ?", num(case1)), 2);
	/* the list: the case, and no report waiting any more */
	assert_int_equal(get(IVO, "/zaken", &r), 200);
	assert_true(has(r.body, zaak(case1, "\"")));
	assert_true(has(r.body, "No reports are waiting."));
	http_result_free(&r);
}

/* ---- the team ---- */

static void test_team(void **state)
{
	(void)state;
	struct http_result r;
	/* bart is an investigator of BZK: not of this case's organisation */
	assert_int_equal(post(IVO, zaak(case1, "/team"), "username=bart&role=investigator", &r), 403);
	assert_true(has(r.body, "This person cannot join the team."));
	http_result_free(&r);
	assert_int_equal(post(IVO, zaak(case1, "/team"), "username=nobody&role=investigator", &r),
			 422);
	assert_true(has(r.body, "There is no user with that user name."));
	http_result_free(&r);
	post_ok(IVO, zaak(case1, "/team"), "username=ines&role=chief", 422);
	post_ok(IVO, zaak(case1, "/team"), "username=ines&role=investigator", 303);
	post_ok(IVO, zaak(case1, "/team"), "username=INES&role=investigator", 409);
	/* an investigator does not change the team */
	post_ok(INES, zaak(case1, "/team"), "username=iris&role=investigator", 403);
	assert_int_equal(q1("SELECT count(*) FROM case_member WHERE case_id = ? AND removed_on IS NULL",
			    num(case1)), 2);
	/* iris joins and is removed again: her key row goes */
	post_ok(IVO, zaak(case1, "/team"), "username=iris&role=investigator", 303);
	assert_int_equal(get(IRIS, zaak(case1, ""), &r), 200);
	http_result_free(&r);
	char f[40];
	snprintf(f, sizeof f, "remove=%lld", (long long)uid[IRIS]);
	post_ok(IVO, zaak(case1, "/team"), f, 303);
	assert_int_equal(get(IRIS, zaak(case1, ""), &r), 404);
	http_result_free(&r);
	assert_int_equal(q1("SELECT count(*) FROM case_key WHERE holder = 'account' AND account_id = ?",
			    num(uid[IRIS])), 0);
	/* the last coordinator stays */
	snprintf(f, sizeof f, "remove=%lld", (long long)uid[IVO]);
	post_ok(IVO, zaak(case1, "/team"), f, 409);
	assert_int_equal(get(INES, zaak(case1, "#team"), &r), 200);
	assert_true(has(r.body, "ines (ines)"));
	assert_true(has(r.body, "Investigator"));
	assert_false(has(r.body, "name=\"remove\"")); /* only the coordinator removes */
	http_result_free(&r);
}

/* ---- a joined report through the case ---- */

static void test_joined_report(void **state)
{
	(void)state;
	struct http_result r;
	char p[120];
	snprintf(p, sizeof p, "/zaken/%lld/meldingen/%lld", (long long)case1, (long long)rep_fin);
	/* ines holds no key of the report itself */
	assert_int_equal(q1("SELECT count(*) FROM report_key WHERE account_id = ?", num(uid[INES])), 0);
	assert_int_equal(get(INES, zaak(case1, ""), &r), 200);
	assert_true(has(r.body, p));
	http_result_free(&r);
	assert_int_equal(get(INES, p, &r), 200);
	assert_true(has(r.body, "Geld verdwijnt uit de kas"));
	assert_true(has(r.body, "Rita Reporter, 06-12345678"));
	assert_true(has(r.body, "<strong>Confidential.</strong>"));
	http_result_free(&r);
	/* the report's own page stays the handlers' */
	snprintf(p, sizeof p, "/meldingen/%lld", (long long)rep_fin);
	assert_int_equal(get(INES, p, &r), 403);
	http_result_free(&r);
	/* a report of no case, or of another case: 404 */
	snprintf(p, sizeof p, "/zaken/%lld/meldingen/%lld", (long long)case1, (long long)rep_bzk);
	assert_int_equal(get(INES, p, &r), 404);
	assert_true(has(r.body, "There is no report with this number in this case."));
	http_result_free(&r);
}

/* ---- who gets nothing ---- */

static const char *const case_posts[] = {
	"/fase",     "/checklist", "/stukken",     "/sluiten", "/team",
	"/notities", "/betrokkenen", "/uitkomst", "/samenvatting", "/betrokkenen/1/stap"};
#define NPOSTS (sizeof case_posts / sizeof case_posts[0])

static void every_case_route(int who, int64_t id, long want_get, long want_post)
{
	struct http_result r;
	char p[120];
	snprintf(p, sizeof p, "/zaken/%lld/meldingen/%lld", (long long)id, (long long)rep_fin);
	const char *gets[] = {zaak(id, ""), p};
	for (size_t i = 0; i < 2; i++) {
		if (get(who, gets[i], &r) != want_get)
			fail_msg("%s GET %s answered %ld, not %ld", users[who], gets[i], r.status,
				 want_get);
		if (want_get == 404 && i == 0)
			assert_true(has(r.body, "There is no case with this number that you can open."));
		http_result_free(&r);
	}
	for (size_t i = 0; i < NPOSTS; i++) {
		const char *path = zaak(id, case_posts[i]);
		if (post(who, path, "target=decision&item=scope_checked&done=1&type=intake_summary"
				    "&text=x&username=iris&role=investigator&party=witness&name=x"
				    "&outcome=established&category=1&police=no&step=informed",
			 &r) != want_post)
			fail_msg("%s POST %s answered %ld, not %ld", users[who], path, r.status,
				 want_post);
		http_result_free(&r);
	}
}

static int64_t written(void)
{
	return q1("SELECT (SELECT count(*) FROM case_record) + (SELECT count(*) FROM case_note) + "
		  "(SELECT count(*) FROM case_check) + (SELECT count(*) FROM case_person) + "
		  "(SELECT count(*) FROM case_phase_log) + (SELECT count(*) FROM case_member) + "
		  "(SELECT count(*) FROM case_summary_key)",
		  NULL);
}

static void test_access(void **state)
{
	(void)state;
	struct http_result r;
	int64_t before = written();
	/* an investigator of the organisation who is not on the team, another
	 * department's coordinator and investigator: 404, as for no case */
	every_case_route(IRIS, case1, 404, 404);
	every_case_route(BOB, case1, 404, 404);
	every_case_route(BART, case1, 404, 404);
	every_case_route(IVO, 999999, 404, 404);
	/* the competent authority asks for the file: 404; its POSTs are not theirs */
	every_case_route(CORA, case1, 404, 403);
	/* roles without case work: 403 everywhere */
	int denied[] = {ANNA, ADAM, OTTO, MAX};
	for (size_t i = 0; i < 4; i++) {
		every_case_route(denied[i], case1, 403, 403);
		const char *other[] = {"/zaken", "/besluiten", "/besluiten/1", "/termijnen"};
		for (size_t j = 0; j < 4; j++) {
			assert_int_equal(get(denied[i], other[j], &r), 403);
			http_result_free(&r);
		}
		char p[60];
		snprintf(p, sizeof p, "/meldingen/%lld/zaak", (long long)rep_fin3);
		post_ok(denied[i], p, NULL, 403);
		post_ok(denied[i], "/besluiten/1", "text=x", 403);
	}
	/* an investigator does not open cases */
	char p[60];
	snprintf(p, sizeof p, "/meldingen/%lld/zaak", (long long)rep_fin3);
	post_ok(INES, p, NULL, 403);
	/* team members and coordinators have no /besluiten */
	assert_int_equal(get(IVO, "/besluiten", &r), 403);
	http_result_free(&r);
	assert_int_equal(written(), before);
	/* nobody signed in */
	struct client *anon = client_new(&srv);
	assert_int_equal(client_get(anon, zaak(case1, ""), &r), 0);
	assert_int_equal(r.status, 303);
	http_result_free(&r);
	client_free(anon);
}

/* ---- the protocol, phase by phase ---- */

static void test_walk_the_protocol(void **state)
{
	(void)state;
	struct http_result r;
	/* illegal: straight to closing, in the machine's words */
	assert_int_equal(post(IVO, zaak(case1, "/fase"), "target=closing", &r), 409);
	assert_true(has(r.body, "The protocol does not allow moving the case from this phase to that one."));
	http_result_free(&r);
	assert_int_equal(post(IVO, zaak(case1, "/fase"), "target=nowhere", &r), 409);
	assert_true(has(r.body, "That phase is not part of this case&#39;s protocol.") ||
		    has(r.body, "That phase is not part of this case's protocol."));
	http_result_free(&r);
	post_ok(IVO, zaak(case1, "/fase"), "target=", 422);
	post_ok(IVO, zaak(case1, "/fase"), "target=intake", 409);
	/* the checklist first, listed */
	assert_int_equal(post(INES, zaak(case1, "/fase"), "target=decision", &r), 409);
	assert_true(has(r.body, "Some required checklist items of this phase are not done yet."));
	assert_true(has(r.body, "Checklist: "));
	http_result_free(&r);
	tick(INES, case1, "scope_checked");
	tick(IVO, case1, "team_impartial");
	tick(INES, case1, "facts_gathered");
	post_ok(INES, zaak(case1, "/checklist"), "item=facts_gathered&done=1", 409);
	post_ok(INES, zaak(case1, "/checklist"), "item=facts_gathered&done=0", 303);
	post_ok(INES, zaak(case1, "/checklist"), "item=no_such_item&done=1", 422);
	tick(INES, case1, "facts_gathered");
	tick(INES, case1, "police_considered");
	assert_int_equal(get(INES, zaak(case1, ""), &r), 200);
	assert_true(has(r.body, "<strong>Done:</strong>"));
	http_result_free(&r);
	/* then the records */
	assert_int_equal(post(INES, zaak(case1, "/fase"), "target=decision", &r), 409);
	assert_true(has(r.body, "Some records this phase requires are not in the case yet."));
	assert_true(has(r.body, "Record missing: Summary of the intake and preliminary inquiry"));
	http_result_free(&r);
	post_ok(INES, zaak(case1, "/stukken"), "type=intake_summary&text=%20%0A", 422);
	post_ok(INES, zaak(case1, "/stukken"), "type=no_such_type&text=x", 422);
	/* the authority's summary is the coordinator's */
	post_ok(INES, zaak(case1, "/stukken"), "type=authority_summary&text=x", 403);
	record(INES, case1, "intake_summary", "Intake%3A%20kasverschillen%20KASMARKER");
	assert_int_equal(q1("SELECT count(*) FROM case_record WHERE instr(body, 'KASMARKER') > 0",
			    NULL), 0);
	move(INES, case1, "decision", 303);
	assert_string_equal(phase_of(case1), "decision");
	assert_int_equal(get(INES, zaak(case1, "?done=moved"), &r), 200);
	assert_true(has(r.body, "The case moved to its next phase."));
	assert_true(has(r.body, "Current phase: Decision whether to investigate"));
	assert_true(has(r.body, "Intake: kasverschillen KASMARKER"));
	http_result_free(&r);
	/* decision: an investigator does not move this phase */
	tick(IVO, case1, "authority_decided");
	tick(IVO, case1, "reporter_informed");
	record(IVO, case1, "decision_memo", "Besluit%3A%20onderzoek%20instellen");
	assert_int_equal(post(INES, zaak(case1, "/fase"), "target=investigation", &r), 403);
	assert_true(has(r.body, "Your role does not allow you to move this case on from this phase."));
	http_result_free(&r);
	move(IVO, case1, "investigation", 303);
	/* investigation */
	const char *inv[] = {"protocol_given", "person_concerned_informed", "interviews_held",
			     "evidence_secured", "data_minimised"};
	for (size_t i = 0; i < 5; i++)
		tick(INES, case1, inv[i]);
	record(INES, case1, "interview_record", "Verslag%20van%20het%20verhoor");
	move(INES, case1, "draft_report", 303);
	/* a departure: back to the investigation, approved by an integrity
	 * coordinator; refused without approval, by the wrong role, without a
	 * reason */
	assert_int_equal(post(INES, zaak(case1, "/fase"), "target=investigation", &r), 409);
	assert_true(has(r.body, "This move departs from the protocol: it needs approval first."));
	assert_true(has(r.body, "It must be approved by: Integrity coordinator."));
	http_result_free(&r);
	assert_int_equal(post(INES, zaak(case1, "/fase"),
			      "target=investigation&approver=ines&reason=Nieuwe%20feiten", &r) / 100, 4);
	http_result_free(&r);
	assert_int_equal(post(INES, zaak(case1, "/fase"), "target=investigation&approver=ivo&reason=",
			      &r), 409);
	assert_true(has(r.body, "Give the reason for departing from the protocol."));
	http_result_free(&r);
	assert_int_equal(post(INES, zaak(case1, "/fase"),
			      "target=investigation&approver=nobody&reason=x", &r), 422);
	http_result_free(&r);
	assert_string_equal(phase_of(case1), "draft_report");
	post_ok(INES, zaak(case1, "/fase"),
		"target=investigation&approver=ivo&reason=Nieuwe%20feiten%20REDENMARKER", 303);
	assert_string_equal(phase_of(case1), "investigation");
	assert_int_equal(q1("SELECT count(*) FROM case_phase_log WHERE deviation = 1 AND case_id = ?",
			    num(case1)), 1);
	assert_int_equal(q1("SELECT count(*) FROM audit_log WHERE instr(detail, 'REDENMARKER') > 0",
			    NULL), 0);
	assert_int_equal(get(IVO, zaak(case1, "#history"), &r), 200);
	assert_true(has(r.body, "approved by ivo"));
	assert_true(has(r.body, "Nieuwe feiten REDENMARKER"));
	http_result_free(&r);
	/* on again, through the hearing */
	for (size_t i = 0; i < 5; i++) {
		char f[80];
		snprintf(f, sizeof f, "item=%s&done=1", inv[i]);
		post(INES, zaak(case1, "/checklist"), f, &r); /* ticked already, or not */
		http_result_free(&r);
	}
	move(INES, case1, "draft_report", 303);
	tick(INES, case1, "draft_sent");
	tick(INES, case1, "assistance_offered");
	tick(INES, case1, "reactions_processed");
	record(INES, case1, "draft_report", "Conceptrapport");
	record(INES, case1, "hearing_reaction", "Reactie%20op%20het%20concept");
	move(INES, case1, "final_report", 303);
	tick(IVO, case1, "report_adopted");
	tick(IVO, case1, "report_to_authority");
	tick(IVO, case1, "inspection_offered");
	record(IVO, case1, "final_report", "Eindrapport");
	move(IVO, case1, "authority_decision", 303);
	/* the competent authority moves this one, not the team */
	assert_int_equal(post(IVO, zaak(case1, "/fase"), "target=closing", &r), 403);
	assert_true(has(r.body, "Your role does not allow you to move this case on from this phase."));
	http_result_free(&r);
	assert_string_equal(phase_of(case1), "authority_decision");
}

/* ---- the people involved ---- */

static void test_people(void **state)
{
	(void)state;
	struct http_result r;
	post_ok(INES, zaak(case1, "/betrokkenen"), "party=person_concerned&name=%20", 422);
	post_ok(INES, zaak(case1, "/betrokkenen"), "party=boss&name=x", 422);
	post_ok(INES, zaak(case1, "/betrokkenen"),
		"party=person_concerned&name=Piet%20PERSOONMARKER&function=Kassier&contact=kamer%203",
		303);
	int64_t pid = q1("SELECT max(id) FROM case_person WHERE case_id = ?", num(case1));
	assert_true(pid > 0);
	assert_int_equal(q1("SELECT count(*) FROM case_person WHERE instr(blob, 'PERSOONMARKER') > 0",
			    NULL), 0);
	char step[80];
	snprintf(step, sizeof step, "/betrokkenen/%lld/stap", (long long)pid);
	post_ok(INES, zaak(case1, step), "step=informed&on=", 303);
	/* agreed to a record never offered: out of order */
	assert_int_equal(post(INES, zaak(case1, step), "step=record_agreed", &r), 409);
	assert_true(has(r.body, "This step was already recorded, or a step it follows is missing"));
	http_result_free(&r);
	post_ok(INES, zaak(case1, step), "step=informed", 409);
	post_ok(INES, zaak(case1, step), "step=flying", 422);
	post_ok(INES, zaak(case1, step), "step=heard&on=2999-01-01", 422);
	post_ok(INES, zaak(case1, step), "step=heard&on=31-12-2020", 422);
	post_ok(INES, zaak(case1, step), "step=heard", 303);
	post_ok(INES, zaak(case1, step), "step=record_offered", 303);
	post_ok(INES, zaak(case1, step), "step=record_agreed", 303);
	post_ok(INES, zaak(case1, "/betrokkenen/999999/stap"), "step=heard", 404);
	assert_int_equal(get(IVO, zaak(case1, "#people"), &r), 200);
	assert_true(has(r.body, "Piet PERSOONMARKER"));
	assert_true(has(r.body, "Person concerned"));
	assert_true(has(r.body, "Agreed to the interview record"));
	http_result_free(&r);
	/* team notes */
	post_ok(INES, zaak(case1, "/notities"), "text=%20", 422);
	post_ok(INES, zaak(case1, "/notities"), "text=Eerst%20de%20kasboeken%20NOTITIEMARKER", 303);
	assert_int_equal(get(IVO, zaak(case1, "#notes"), &r), 200);
	assert_true(has(r.body, "Eerst de kasboeken NOTITIEMARKER"));
	http_result_free(&r);
	/* a note with a file: an executable refuses the note, a PDF is kept,
	 * listed and served back to another member as a download */
	static const char pdf[] = "%PDF-1.4\n% case file\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
	static const char elf[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0\x3e\0";
	char *csrf = client_csrf(cl[INES], "/account");
	for (int bad = 1; bad >= 0; bad--) {
		struct multipart m = {0};
		multipart_field(&m, "csrf", csrf);
		multipart_field(&m, "text", "");
		multipart_file(&m, "files", bad ? "run.pdf" : "kasboek juni.pdf", "application/pdf",
			       bad ? elf : pdf, bad ? sizeof elf - 1 : sizeof pdf - 1);
		multipart_end(&m);
		assert_int_equal(client_post_as(cl[INES], zaak(case1, "/notities"), MP_CONTENT_TYPE,
						m.p, m.n, &r), 0);
		free(m.p);
		assert_int_equal(r.status, bad ? 422 : 303);
		http_result_free(&r);
	}
	free(csrf);
	assert_int_equal(get(IVO, zaak(case1, "#notes"), &r), 200);
	assert_true(has(r.body, "kasboek juni.pdf"));
	assert_false(has(r.body, "run.pdf"));
	char *link = text_between(r.body, "href=\"/zaken/", "\"");
	while (link && !strstr(link, "/bestanden/")) {
		const char *next = strstr(strstr(r.body, link) + strlen(link), "href=\"/zaken/");
		free(link);
		link = next ? text_between(next, "href=\"/zaken/", "\"") : NULL;
	}
	http_result_free(&r);
	assert_non_null(link);
	char path[200];
	snprintf(path, sizeof path, "/zaken/%s", link);
	free(link);
	assert_int_equal(get(IVO, path, &r), 200);
	assert_int_equal(memcmp(r.body, pdf, sizeof pdf - 1), 0);
	assert_true(has(r.headers, "Content-Disposition: attachment"));
	assert_true(has(r.headers, "sandbox"));
	http_result_free(&r);
}

/* ---- outcome ---- */

static void test_outcome(void **state)
{
	(void)state;
	struct http_result r;
	assert_int_equal(post(IVO, zaak(case1, "/uitkomst"),
			      "outcome=established&category=99&police=no", &r), 422);
	assert_true(has(r.body, "This kind of violation is not on the current list of categories."));
	http_result_free(&r);
	post_ok(IVO, zaak(case1, "/uitkomst"), "outcome=maybe&category=1&police=no", 422);
	post_ok(IVO, zaak(case1, "/uitkomst"), "outcome=established&category=1&police=no&measure=x",
		422);
	post_ok(IVO, zaak(case1, "/uitkomst"), "outcome=established&category=1", 422);
	/* an investigator does not record it */
	post_ok(INES, zaak(case1, "/uitkomst"), "outcome=established&category=1&police=no", 403);
	assert_int_equal(q1("SELECT count(*) FROM case_file WHERE outcome IS NOT NULL", NULL), 0);
	post_ok(IVO, zaak(case1, "/uitkomst"),
		"outcome=partly&category=1&police=yes&measure=written_reprimand", 303);
	assert_int_equal(get(INES, zaak(case1, "#outcome"), &r), 200);
	assert_true(has(r.body, "Partly established"));
	assert_true(has(r.body, "1. Financial violations"));
	assert_true(has(r.body, "Yes, a report was made to the police"));
	http_result_free(&r);
}

/* ---- the competent authority ---- */

static void test_authority(void **state)
{
	(void)state;
	struct http_result r;
	char b[60];
	snprintf(b, sizeof b, "/besluiten/%lld", (long long)case1);
	/* nothing shared yet */
	assert_int_equal(get(CORA, "/besluiten", &r), 200);
	assert_false(has(r.body, b));
	http_result_free(&r);
	assert_int_equal(get(CORA, b, &r), 404);
	http_result_free(&r);
	/* the coordinator writes the summary and shares it */
	record(IVO, case1, "authority_summary", "Samenvatting%20voor%20het%20bevoegd%20gezag");
	post_ok(IVO, zaak(case1, "/samenvatting"), "username=nobody", 422);
	post_ok(IVO, zaak(case1, "/samenvatting"), "username=bart", 403);
	post_ok(IVO, zaak(case1, "/samenvatting"), "username=ines", 403);
	post_ok(INES, zaak(case1, "/samenvatting"), "username=cora", 403);
	post_ok(IVO, zaak(case1, "/samenvatting"), "username=cora", 303);
	assert_int_equal(get(CORA, "/besluiten", &r), 200);
	assert_true(has(r.body, b));
	assert_true(has(r.body, "href=\"/besluiten\" aria-current=\"page\">Decisions</a>"));
	http_result_free(&r);
	/* the summary, the reason of the departure; not the file */
	assert_int_equal(get(CORA, b, &r), 200);
	assert_true(has(r.body, "Samenvatting voor het bevoegd gezag"));
	assert_true(has(r.body, "Nieuwe feiten REDENMARKER"));
	assert_true(has(r.body, "Decision of the competent authority")); /* the phase */
	const char *secret[] = {"KASMARKER", "PERSOONMARKER", "NOTITIEMARKER", "Geld verdwijnt",
				"Rita Reporter", "Eindrapport"};
	for (size_t i = 0; i < 6; i++)
		if (has(r.body, secret[i]))
			fail_msg("the authority's page shows %s", secret[i]);
	http_result_free(&r);
	assert_int_equal(get(CORA, zaak(case1, ""), &r), 404);
	http_result_free(&r);
	char rp[120];
	snprintf(rp, sizeof rp, "/zaken/%lld/meldingen/%lld", (long long)case1, (long long)rep_fin);
	assert_int_equal(get(CORA, rp, &r), 404);
	http_result_free(&r);
	/* moving on needs the decision (a record) and the checklist */
	assert_int_equal(post(CORA, zaak(case1, "/fase"), "target=closing", &r), 403);
	http_result_free(&r);
	snprintf(rp, sizeof rp, "%s/fase", b);
	assert_int_equal(post(CORA, rp, "target=closing", &r), 409);
	assert_true(has(r.body, "Some required checklist items of this phase are not done yet."));
	http_result_free(&r);
	/* the decision, with a measure; once */
	post_ok(CORA, b, "text=%20", 422);
	post_ok(CORA, b, "text=Besluit&measure=nonsense", 422);
	post_ok(CORA, b, "text=Berisping%20BESLUITMARKER&measure=written_reprimand", 303);
	post_ok(CORA, b, "text=Nogmaals", 409);
	assert_int_equal(q1("SELECT count(*) FROM case_file WHERE decided_on IS NOT NULL AND id = ?",
			    num(case1)), 1);
	/* the team reads it */
	assert_int_equal(get(INES, zaak(case1, ""), &r), 200);
	assert_true(has(r.body, "Berisping BESLUITMARKER"));
	assert_true(has(r.body, "The competent authority decided on"));
	http_result_free(&r);
	/* the authority ticks its phase's checklist and moves the case on */
	snprintf(rp, sizeof rp, "%s/checklist", b);
	post_ok(CORA, rp, "item=outcome_recorded&done=1", 303);
	post_ok(CORA, rp, "item=police_decided&done=1", 303);
	post_ok(INES, zaak(case1, "/checklist"), "item=decision_made_known&done=1", 303);
	snprintf(rp, sizeof rp, "%s/fase", b);
	post_ok(CORA, rp, "target=closing", 303);
	assert_string_equal(phase_of(case1), "closing");
	/* other roles get nothing of /besluiten */
	assert_int_equal(get(IRIS, b, &r), 403);
	http_result_free(&r);
	assert_int_equal(get(BOB, b, &r), 403);
	http_result_free(&r);
}

/* ---- closing ---- */

static void test_close(void **state)
{
	(void)state;
	struct http_result r;
	assert_int_equal(get(IVO, zaak(case1, ""), &r), 200);
	assert_true(has(r.body, "Current phase: Closing and archiving"));
	assert_true(has(r.body, "/sluiten\""));
	http_result_free(&r);
	assert_int_equal(post(IVO, zaak(case1, "/sluiten"), NULL, &r), 409);
	assert_true(has(r.body, "The case cannot be closed yet"));
	http_result_free(&r);
	tick(IVO, case1, "parties_informed");
	tick(IVO, case1, "registered");
	tick(IVO, case1, "archived");
	record(IVO, case1, "closing_memo", "Afgesloten");
	post_ok(INES, zaak(case1, "/sluiten"), NULL, 403);
	post_ok(IVO, zaak(case1, "/sluiten"), NULL, 303);
	assert_int_equal(q1("SELECT count(*) FROM case_file WHERE closed_on IS NOT NULL AND "
			    "purge_after IS NOT NULL AND id = ?", num(case1)), 1);
	assert_int_equal(get(IVO, zaak(case1, "?done=closed"), &r), 200);
	assert_true(has(r.body, "The case was closed."));
	assert_false(has(r.body, "/fase\""));
	http_result_free(&r);
	/* a closed case takes no more records or moves */
	post_ok(IVO, zaak(case1, "/stukken"), "type=closing_memo&text=Nog%20iets", 409);
	post_ok(IVO, zaak(case1, "/fase"), "target=intake", 409);
	assert_int_equal(get(IVO, "/zaken", &r), 200);
	assert_true(has(r.body, "closed on"));
	http_result_free(&r);
}

/* ---- due and overdue ---- */

static void test_deadlines(void **state)
{
	(void)state;
	struct http_result r;
	char p[60];
	snprintf(p, sizeof p, "/meldingen/%lld/zaak", (long long)rep_fin3);
	assert_int_equal(post(IVO, p, NULL, &r), 303);
	char *loc = text_between(r.headers, "Location: /zaken/", "?done=opened");
	assert_non_null(loc);
	case2 = atoll(loc);
	free(loc);
	http_result_free(&r);
	/* its intake began 30 days ago: 14 days' term, 16 days overdue */
	char sql[200];
	snprintf(sql, sizeof sql,
		 "UPDATE case_file SET phase_started_on = date('now', 'localtime', '-30 days') "
		 "WHERE id = %lld",
		 (long long)case2);
	assert_int_equal(db_exec(db, sql), 0);
	assert_int_equal(get(IVO, "/termijnen", &r), 200);
	assert_true(has(r.body, "href=\"/termijnen\" aria-current=\"page\">Due and overdue</a>"));
	const char *mine = strstr(r.body, "id=\"mine\"");
	const char *dept = strstr(r.body, "Open cases of Financiën (FIN)");
	assert_non_null(mine);
	assert_non_null(dept);
	const char *late = strstr(mine, "Overdue by 16 days");
	assert_non_null(late);
	assert_true(late < dept);
	char what[80];
	snprintf(what, sizeof what, "Case %lld: Intake and preliminary inquiry", (long long)case2);
	assert_true(has(mine, what));
	assert_true(has(dept, what));
	/* the reports' legal clocks, from the inbox */
	assert_true(has(r.body, ": acknowledgement of receipt"));
	/* metadata only */
	assert_false(has(r.body, "Een tweede zaak"));
	http_result_free(&r);
	assert_int_equal(get(IVO, "/zaken", &r), 200);
	assert_true(has(r.body, "Overdue by 16 days"));
	assert_true(has(r.body, "probity-overdue"));
	http_result_free(&r);
	/* ines is not on case 2's team and coordinates no department */
	assert_int_equal(get(INES, "/termijnen", &r), 200);
	assert_false(has(r.body, what));
	assert_false(has(r.body, "Open cases of"));
	http_result_free(&r);
	/* bob coordinates BZK: FIN's cases are not his */
	assert_int_equal(get(BOB, "/termijnen", &r), 200);
	assert_false(has(r.body, what));
	http_result_free(&r);
	/* iris investigates case 2: she sees it due, and still nothing of case 1 */
	post_ok(IVO, zaak(case2, "/team"), "username=iris&role=investigator", 303);
	assert_int_equal(get(IRIS, "/termijnen", &r), 200);
	assert_true(has(r.body, what));
	assert_true(has(r.body, zaak(case2, "\"")));
	http_result_free(&r);
	every_case_route(IRIS, case1, 404, 404);
	assert_int_equal(get(IRIS, zaak(case2, ""), &r), 200);
	http_result_free(&r);
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

#define expect_error(r, st, code)                                                           \
	do {                                                                                \
		if ((r)->status != (st) || strcmp(err_code(r), (code)) != 0)                \
			fail_msg("expected %d %s, got %ld %s", (st), (code), (r)->status,   \
				 (r)->json ? json_dumps((r)->json, 0) : "(no body)");         \
	} while (0)

static char *token(int who)
{
	return api_token(&srv, users[who], PW, recovery[who]);
}

static const char *api_case(int64_t id, const char *rest)
{
	static char b[4][120];
	static int i;
	i = (i + 1) % 4;
	snprintf(b[i], sizeof b[i], "/api/v1/cases/%lld%s", (long long)id, rest);
	return b[i];
}

static void test_api(void **state)
{
	(void)state;
	struct api_reply r;
	char *t_ivo = token(IVO), *t_ines = token(INES), *t_iris = token(IRIS),
	     *t_cora = token(CORA), *t_anna = token(ANNA), *t_bart = token(BART);
	/* the list */
	assert_int_equal(call("GET", "/api/v1/cases", t_ivo, NULL, &r), 200);
	json_t *cases = json_object_get(r.json, "cases");
	assert_int_equal(json_array_size(cases), 2);
	int seen_overdue = 0;
	for (size_t i = 0; i < json_array_size(cases); i++) {
		json_t *c = json_array_get(cases, i);
		if (json_integer_value(json_object_get(c, "id")) == case2) {
			assert_true(json_is_true(json_object_get(c, "overdue")));
			assert_int_equal(json_integer_value(json_object_get(c, "days_left")), -16);
			assert_string_equal(json_string_value(json_object_get(c, "role")), "coordinator");
			seen_overdue = 1;
		}
	}
	assert_true(seen_overdue);
	json_decref(r.json);
	assert_int_equal(call("GET", "/api/v1/cases", t_anna, NULL, &r), 403);
	expect_error(&r, 403, "forbidden");
	json_decref(r.json);
	assert_int_equal(call("GET", "/api/v1/cases", t_cora, NULL, &r), 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "cases")), 1);
	json_decref(r.json);
	/* one case: a member gets names, the authority does not */
	assert_int_equal(call("GET", api_case(case1, ""), t_ines, NULL, &r), 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "access")), "member");
	assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "phase"), "id")),
			    "closing");
	json_t *people = json_object_get(r.json, "people");
	assert_int_equal(json_array_size(people), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(people, 0), "name")),
			    "Piet PERSOONMARKER");
	assert_non_null(json_object_get(r.json, "team"));
	assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "outcome"),
								"outcome")),
			    "partly");
	json_decref(r.json);
	assert_int_equal(call("GET", api_case(case1, ""), t_cora, NULL, &r), 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "access")), "authority");
	assert_null(json_object_get(r.json, "people"));
	assert_null(json_object_get(r.json, "team"));
	assert_null(json_object_get(r.json, "reports"));
	char *dump = json_dumps(r.json, 0);
	assert_null(strstr(dump, "PERSOONMARKER"));
	free(dump);
	json_decref(r.json);
	/* not hers, or none: one answer */
	assert_int_equal(call("GET", api_case(case1, ""), t_iris, NULL, &r), 404);
	expect_error(&r, 404, "case_not_found");
	json_decref(r.json);
	assert_int_equal(call("GET", api_case(999999, ""), t_ivo, NULL, &r), 404);
	expect_error(&r, 404, "case_not_found");
	json_decref(r.json);
	/* moves on case 2: refused in the machine's terms, then made */
	assert_int_equal(call("POST", api_case(case2, "/phase"), t_ivo, "{}", &r), 400);
	expect_error(&r, 400, "missing_field");
	json_decref(r.json);
	assert_int_equal(call("POST", api_case(case2, "/phase"), t_ivo, "{\"target\":\"closing\"}",
			      &r), 409);
	expect_error(&r, 409, "move_refused");
	assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "error"),
								"refusal")),
			    "not_allowed");
	json_decref(r.json);
	assert_int_equal(call("POST", api_case(case2, "/phase"), t_ivo, "{\"target\":\"decision\"}",
			      &r), 409);
	json_t *err = json_object_get(r.json, "error");
	assert_string_equal(json_string_value(json_object_get(err, "refusal")), "checklist_open");
	assert_int_equal(json_array_size(json_object_get(err, "open")), 4);
	json_decref(r.json);
	assert_int_equal(call("POST", api_case(case2, "/phase"), t_ivo,
			      "{\"target\":\"decision\",\"deviation\":{\"approver\":\"nobody\","
			      "\"reason\":\"x\"}}", &r), 400);
	expect_error(&r, 400, "invalid_field");
	json_decref(r.json);
	assert_int_equal(call("POST", api_case(case2, "/phase"), t_ivo,
			      "{\"target\":\"decision\",\"extra\":1}", &r), 400);
	expect_error(&r, 400, "unknown_field");
	json_decref(r.json);
	const char *items[] = {"scope_checked", "team_impartial", "facts_gathered",
			       "police_considered"};
	for (size_t i = 0; i < 4; i++)
		tick(IVO, case2, items[i]);
	record(IVO, case2, "intake_summary", "Samenvatting");
	/* another department's investigator: not found; iris of this team may
	 * not move the decision phase on */
	assert_int_equal(call("POST", api_case(case2, "/phase"), t_bart, "{\"target\":\"decision\"}",
			      &r), 404);
	expect_error(&r, 404, "case_not_found");
	json_decref(r.json);
	assert_int_equal(call("POST", api_case(case2, "/phase"), t_ivo, "{\"target\":\"decision\"}",
			      &r), 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "phase")), "decision");
	assert_false(json_is_true(json_object_get(r.json, "overdue")));
	json_decref(r.json);
	assert_string_equal(phase_of(case2), "decision");
	assert_int_equal(call("POST", api_case(case2, "/phase"), t_iris,
			      "{\"target\":\"investigation\"}", &r), 409);
	expect_error(&r, 409, "move_refused");
	assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "error"),
								"refusal")),
			    "not_mover");
	json_decref(r.json);
	/* the outcome */
	assert_int_equal(call("POST", api_case(case2, "/outcome"), t_ivo,
			      "{\"outcome\":\"established\",\"category\":\"99\",\"police_report\":false}",
			      &r), 400);
	expect_error(&r, 400, "invalid_field");
	assert_string_equal(json_string_value(json_object_get(json_object_get(r.json, "error"),
								"field")),
			    "category");
	json_decref(r.json);
	assert_int_equal(call("POST", api_case(case2, "/outcome"), t_ivo,
			      "{\"outcome\":\"established\",\"category\":\"1\"}", &r), 400);
	expect_error(&r, 400, "missing_field");
	json_decref(r.json);
	assert_int_equal(call("POST", api_case(case2, "/outcome"), t_ivo,
			      "{\"outcome\":\"established\",\"category\":\"1\",\"police_report\":false,"
			      "\"measures\":[\"fine\",\"fine\"]}", &r), 400);
	json_decref(r.json);
	assert_int_equal(call("POST", api_case(case2, "/outcome"), t_cora,
			      "{\"outcome\":\"established\",\"category\":\"1\",\"police_report\":false}",
			      &r), 403);
	expect_error(&r, 403, "forbidden");
	json_decref(r.json);
	assert_int_equal(call("POST", api_case(case2, "/outcome"), t_ivo,
			      "{\"outcome\":\"not_established\",\"category\":\"8\","
			      "\"police_report\":false,\"measures\":[]}", &r), 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "outcome")), "not_established");
	json_decref(r.json);
	assert_int_equal(q1("SELECT count(*) FROM case_file WHERE outcome = 'not_established' "
			    "AND id = ?", num(case2)), 1);
	/* a closed case takes no outcome */
	assert_int_equal(call("POST", api_case(case1, "/outcome"), t_ivo,
			      "{\"outcome\":\"established\",\"category\":\"1\",\"police_report\":false}",
			      &r), 409);
	expect_error(&r, 409, "case_closed");
	json_decref(r.json);
	free(t_ivo);
	free(t_ines);
	free(t_iris);
	free(t_cora);
	free(t_anna);
	free(t_bart);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_case),
		cmocka_unit_test(test_team),
		cmocka_unit_test(test_joined_report),
		cmocka_unit_test(test_access),
		cmocka_unit_test(test_walk_the_protocol),
		cmocka_unit_test(test_people),
		cmocka_unit_test(test_outcome),
		cmocka_unit_test(test_authority),
		cmocka_unit_test(test_close),
		cmocka_unit_test(test_deadlines),
		cmocka_unit_test(test_api),
	};
	return cmocka_run_group_tests_name("http_cases", tests, setup, teardown);
}
