/* test_handler.c: the handlers' pages and registering an in-person report,
 * against a real server: who may use which route (403 for roles without
 * it, 404 for a handler of another organisation, one answer for "not yours"
 * and "does not exist"), the inbox, a report decrypted for its handler, the
 * clock steps taken once with one audit entry, the conversation in both
 * directions, internal notes that the reporter never gets, attachment
 * downloads and their headers, refused input that stores nothing, and
 * registering an in-person report with its errors.
 *
 * Reports are put in through the store (intake_submit on the server's own
 * database file, signed with its key), as the reporter's form would; the
 * reporter's side of the conversation uses the receipt's key the same way. */
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
#include <sodium.h>

#include "crypto/audit.h"
#include "crypto/signkey.h"
#include "harness.h"
#include "intake/intake.h"
#include "intake/qset.h"
#include "store/db.h"

static struct server srv;

#define PW "lange zin over tulpen 42"

enum { IVO, VERA, BOB, MAX, ANNA, ADAM, OTTO, NUSERS };
static const char *const users[NUSERS] = {"ivo", "vera", "bob", "max", "anna", "adam", "otto"};
static const char *const roles[NUSERS] = {
	"integrity_coordinator", "confidential_adviser", "integrity_coordinator", "manager",
	"coordinator",           "administrator",        "auditor"};
static const char *const orgs[NUSERS] = {"FIN", "FIN", "BZK", "FIN", "RIJK", "RIJK", "RIJK"};
static const int needs_2fa[NUSERS] = {1, 1, 1, 1, 0, 1, 0};

static struct client *cl[NUSERS];
static int64_t uid[NUSERS];

/* the store, opened in this process */
static db_t *db;
static struct signkey key;
static struct audit_signer signer;

/* reports made in setup */
static int64_t fin_report, bzk_report;
static char fin_receipt[RECEIPT_SHOWN_SIZE];
static int64_t fin_attachment, bzk_attachment;

static const char pdf[] = "%PDF-1.4\n% a test document\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

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
	static char b[4][24];
	static int i;
	i = (i + 1) % 4;
	snprintf(b[i], sizeof b[i], "%lld", (long long)v);
	return b[i];
}

/* ---- signing in ---- */

/* Signs in, enrols a second factor when the role needs one, and switches the
 * session to English, so that the texts checked below are the msgids. */
static int sign_in(int who)
{
	struct client *c = cl[who] = client_new(&srv);
	char *totp = NULL;
	if (client_sign_in(c, users[who], PW, &totp, NULL) != 0)
		return -1;
	int enrolled = totp != NULL;
	free(totp);
	if (enrolled != needs_2fa[who])
		return -1;
	return client_set_lang(c, "en");
}

/* ---- reports through the store ---- */

static int64_t submit(const char *org, const char *mode, const char *answers,
		      const char *identity, const struct intake_file *files, size_t nfiles,
		      char receipt[RECEIPT_SHOWN_SIZE])
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
		.files = files,
		.nfiles = nfiles,
	};
	char rc[RECEIPT_SHOWN_SIZE] = {0};
	int64_t id = 0;
	struct intake_error e;
	if (intake_submit(db, &signer, &s, receipt ? receipt : rc, &id, &e) != 0) {
		fprintf(stderr, "submit: %s\n", e.msg);
		return -1;
	}
	return id;
}

static int cli(const char *const *args, const char *input)
{
	return server_cli_input(&srv, args, input);
}

static int setup(void **state)
{
	(void)state;
	char err[300];
	/* a CLI child that exits before reading its input must not kill us */
	signal(SIGPIPE, SIG_IGN);
	if (sodium_init() < 0 || server_start(&srv) != 0 || intake_qset_init(err, sizeof err) != 0)
		return -1;
	const char *dgb[] = {"org", "add", "FIN-DGB", "--name", "Belastingdienst", "--kind",
			     "unit", "--parent", "FIN", "--from", "2020-01-01", NULL};
	const char *bzk[] = {"org", "add", "BZK", "--name", "Binnenlandse Zaken", "--parent",
			     "RIJK", "--from", "2020-01-01", NULL};
	if (server_add_rijk_fin(&srv) || cli(dgb, NULL) || cli(bzk, NULL)) {
		fprintf(stderr, "adding the organisations failed\n");
		return -1;
	}
	for (int i = 0; i < NUSERS; i++) {
		if (server_add_user(&srv, users[i], users[i], roles[i], orgs[i], PW)) {
			fprintf(stderr, "adding %s failed\n", users[i]);
			return -1;
		}
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
	for (int i = 0; i < NUSERS; i++) {
		int64_t id = 0;
		if (db_query_i64(db, "SELECT id FROM account WHERE username = ?", users[i], &id) != 0)
			return -1;
		uid[i] = id;
	}
	struct intake_file f = {(const unsigned char *)pdf, sizeof pdf - 1, "application/pdf",
				"verslag ü 50%.pdf"};
	fin_report = submit("FIN", "confidential",
			    "{\"kind\":\"integrity_violation\",\"description\":\"Geld verdwijnt uit "
			    "de kas\",\"ongoing\":\"yes\",\"contact\":\"messages\"}",
			    "Rita Reporter, 06-12345678", &f, 1, fin_receipt);
	bzk_report = submit("BZK", "anonymous",
			    "{\"kind\":\"integrity_violation\",\"description\":\"Iets bij "
			    "BZK\",\"contact\":\"messages\"}",
			    NULL, &f, 1, NULL);
	if (fin_report <= 0 || bzk_report <= 0)
		return -1;
	fin_attachment = q1("SELECT id FROM report_attachment WHERE report_id = ?", num(fin_report));
	bzk_attachment = q1("SELECT id FROM report_attachment WHERE report_id = ?", num(bzk_report));
	for (int i = 0; i < NUSERS; i++)
		if (sign_in(i) != 0) {
			fprintf(stderr, "signing in %s failed\n", users[i]);
			return -1;
		}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (int i = 0; i < NUSERS; i++)
		client_free(cl[i]);
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

/* Sends m (with the user's token added first) as multipart. Frees m. */
static long post_mp(int who, const char *path, struct multipart *m, struct http_result *r)
{
	char *csrf = client_csrf(cl[who], "/account");
	assert_non_null(csrf);
	struct multipart all = {0};
	multipart_field(&all, "csrf", csrf);
	multipart_append(&all, m);
	multipart_end(&all);
	assert_int_equal(client_post_as(cl[who], path, MP_CONTENT_TYPE, all.p, all.n, r), 0);
	free(all.p);
	free(m->p);
	free(csrf);
	m->p = NULL;
	m->n = 0;
	return r->status;
}

static const char *path_of(int64_t id, const char *rest)
{
	static char b[4][120];
	static int i;
	i = (i + 1) % 4;
	snprintf(b[i], sizeof b[i], "/meldingen/%lld%s", (long long)id, rest);
	return b[i];
}

/* ---- access ---- */

/* Every handler route for report id (attachment aid), GET and POST. */
static void every_handler_route(int who, int64_t id, int64_t aid, long want, int check_body)
{
	struct http_result r;
	char att[80];
	snprintf(att, sizeof att, "/bijlagen/%lld", (long long)aid);
	const char *gets[] = {"/meldingen", path_of(id, ""), path_of(id, att)};
	for (size_t i = 0; i < 3; i++) {
		if (want == 404 && i == 0)
			continue; /* a handler elsewhere has an inbox of their own */
		if (get(who, gets[i], &r) != want)
			fail_msg("%s GET %s answered %ld, not %ld", users[who], gets[i], r.status, want);
		if (check_body && want == 404 && i == 1)
			assert_true(has(r.body, "There is no report with this number that you can open."));
		http_result_free(&r);
	}
	const char *posts[] = {"/ontvangst", "/terugkoppeling", "/overdragen", "/berichten",
			       "/notities"};
	for (size_t i = 0; i < 5; i++) {
		if (post(who, path_of(id, posts[i]), "text=hallo", &r) != want)
			fail_msg("%s POST %s answered %ld, not %ld", users[who], posts[i], r.status, want);
		http_result_free(&r);
	}
}

static void test_roles_without_access(void **state)
{
	(void)state;
	struct http_result r;
	/* the coordinator (ministry), the administrator and the auditor: 403 on
	 * every handler route, and on registering */
	int denied[] = {ANNA, ADAM, OTTO};
	for (size_t i = 0; i < 3; i++) {
		every_handler_route(denied[i], fin_report, fin_attachment, 403, 0);
		assert_int_equal(get(denied[i], "/registreren", &r), 403);
		http_result_free(&r);
		assert_int_equal(post(denied[i], "/registreren", "org=FIN", &r), 403);
		http_result_free(&r);
	}
	/* a manager registers reports but has no inbox and opens no report */
	every_handler_route(MAX, fin_report, fin_attachment, 403, 0);
	/* a handler has no business registering unless also a manager or adviser */
	assert_int_equal(get(IVO, "/registreren", &r), 403);
	http_result_free(&r);
	/* nobody signed in */
	struct client *anon = client_new(&srv);
	assert_int_equal(client_get(anon, "/meldingen", &r), 0);
	assert_int_equal(r.status, 303);
	assert_true(has(r.headers, "Location: /login"));
	http_result_free(&r);
	assert_int_equal(client_get(anon, path_of(fin_report, ""), &r), 0);
	assert_int_equal(r.status, 303);
	http_result_free(&r);
	assert_int_equal(client_post(anon, path_of(fin_report, "/notities"), "text=x", &r), 0);
	assert_int_equal(r.status, 403);
	http_result_free(&r);
	client_free(anon);
	/* nothing of those requests was recorded */
	assert_int_equal(q1("SELECT count(*) FROM report_note WHERE report_id = ?", num(fin_report)), 0);
	assert_int_equal(q1("SELECT count(*) FROM report WHERE acknowledged_on IS NOT NULL AND id = ?",
			    num(fin_report)), 0);
}

static void test_other_department_gets_404(void **state)
{
	(void)state;
	struct http_result r;
	/* bob handles BZK's reports: FIN's report exists but is not his */
	every_handler_route(BOB, fin_report, fin_attachment, 404, 1);
	/* and for a report that does not exist, the same answer */
	assert_int_equal(get(IVO, "/meldingen/999999", &r), 404);
	assert_true(has(r.body, "There is no report with this number that you can open."));
	http_result_free(&r);
	assert_int_equal(post(IVO, "/meldingen/999999/ontvangst", NULL, &r), 404);
	http_result_free(&r);
	/* ivo may not fetch BZK's attachment through FIN's report either */
	char p[120];
	snprintf(p, sizeof p, "/meldingen/%lld/bijlagen/%lld", (long long)fin_report,
		 (long long)bzk_attachment);
	assert_int_equal(get(IVO, p, &r), 404);
	http_result_free(&r);
	/* bob's inbox has his own report only */
	assert_int_equal(get(BOB, "/meldingen", &r), 200);
	assert_true(has(r.body, path_of(bzk_report, "\"")));
	assert_false(has(r.body, path_of(fin_report, "\"")));
	http_result_free(&r);
	assert_int_equal(q1("SELECT count(*) FROM report_message WHERE report_id = ?", num(fin_report)), 0);
	assert_int_equal(q1("SELECT count(*) FROM report WHERE handed_over_on IS NOT NULL AND id = ?",
			    num(fin_report)), 0);
}

/* A handler the reporter excluded holds no key: no content, not even in the
 * inbox, while the other handler of the organisation reads it. */
static void test_recused_handler_gets_nothing(void **state)
{
	(void)state;
	const struct intake_questionnaire *q = intake_qset_current();
	const char *answers = "{\"kind\":\"integrity_violation\",\"description\":\"Over "
			      "Vera\",\"contact\":\"messages\"}";
	int64_t recused = uid[VERA];
	struct intake_submission s = {
		.org_code = "FIN", .kind = "integrity_violation", .mode = "anonymous",
		.questionnaire = q->id, .questionnaire_revision = q->revision,
		.answers = answers, .answers_len = strlen(answers),
		.recused = &recused, .nrecused = 1,
	};
	char rc[RECEIPT_SHOWN_SIZE];
	int64_t id = 0;
	struct intake_error e;
	assert_int_equal(intake_submit(db, &signer, &s, rc, &id, &e), 0);
	struct http_result r;
	every_handler_route(VERA, id, 0, 404, 1);
	assert_int_equal(get(VERA, "/meldingen", &r), 200);
	assert_false(has(r.body, path_of(id, "\"")));
	http_result_free(&r);
	assert_int_equal(get(IVO, path_of(id, ""), &r), 200);
	assert_true(has(r.body, "Over Vera"));
	http_result_free(&r);
}

/* ---- reading ---- */

static void test_inbox_and_report_page(void **state)
{
	(void)state;
	struct http_result r;
	assert_int_equal(get(IVO, "/meldingen", &r), 200);
	assert_true(has(r.body, path_of(fin_report, "\"")));
	assert_false(has(r.body, path_of(bzk_report, "\"")));
	assert_true(has(r.body, "Financiën (FIN)"));
	assert_true(has(r.body, "Confidential"));
	assert_true(has(r.body, "7 days left")); /* the acknowledgement, in words */
	assert_true(has(r.body, "href=\"/meldingen\" aria-current=\"page\">Inbox</a>"));
	/* metadata only: nothing of the report's text in the list */
	assert_false(has(r.body, "Geld verdwijnt"));
	http_result_free(&r);

	assert_int_equal(get(IVO, path_of(fin_report, ""), &r), 200);
	/* answers with the questionnaire's labels in the viewer's language */
	assert_true(has(r.body, "Describe what happened"));
	assert_true(has(r.body, "Geld verdwijnt uit de kas"));
	assert_true(has(r.body, "Is it still going on?"));
	assert_true(has(r.body, "<dd class=\"probity-pre\">Yes</dd>"));
	assert_true(has(r.body, "Through messages on this website, with my report code"));
	/* the identity, marked confidential */
	assert_true(has(r.body, "Rita Reporter, 06-12345678"));
	assert_true(has(r.body, "<strong>Confidential.</strong>"));
	/* clocks, actions, attachments, conversation and the notes apart */
	assert_true(has(r.body, "action=\"/meldingen/"));
	assert_true(has(r.body, "/ontvangst\""));
	assert_true(has(r.body, "/berichten\" enctype=\"multipart/form-data\""));
	assert_true(has(r.body, "The reporter does not see these."));
	assert_true(has(r.body, "verslag ü 50%.pdf"));
	assert_true(has(r.headers, "Cache-Control: no-store"));
	http_result_free(&r);

	/* an anonymous report has no identity section */
	assert_int_equal(get(BOB, path_of(bzk_report, ""), &r), 200);
	assert_true(has(r.body, "Iets bij BZK"));
	assert_false(has(r.body, "Who reported"));
	http_result_free(&r);
}

static void test_overdue_in_words(void **state)
{
	(void)state;
	struct http_result r;
	int64_t id = submit("FIN", "anonymous",
			    "{\"kind\":\"wrongdoing\",\"description\":\"Oud\",\"contact\":\"messages\"}",
			    NULL, NULL, 0, NULL);
	assert_true(id > 0);
	char sql[200];
	snprintf(sql, sizeof sql,
		 "UPDATE report SET received_on = date('now', 'localtime', '-20 days') WHERE id = %lld",
		 (long long)id);
	assert_int_equal(db_exec(db, sql), 0);
	assert_int_equal(get(VERA, "/meldingen", &r), 200);
	assert_true(has(r.body, "Overdue by 13 days"));
	/* the overdue report comes first */
	const char *old = strstr(r.body, path_of(id, "\""));
	const char *fresh = strstr(r.body, path_of(fin_report, "\""));
	assert_non_null(old);
	assert_non_null(fresh);
	assert_true(old < fresh);
	http_result_free(&r);
}

/* ---- the clock steps ---- */

static void test_acknowledge_once(void **state)
{
	(void)state;
	struct http_result r;
	const char *count = "SELECT count(*) FROM audit_log WHERE action = 'report.acknowledge' "
			    "AND object_id = ?";
	assert_int_equal(post(IVO, path_of(fin_report, "/ontvangst"), NULL, &r), 303);
	char want[120];
	snprintf(want, sizeof want, "Location: /meldingen/%lld?done=ack", (long long)fin_report);
	assert_true(has(r.headers, want));
	http_result_free(&r);
	assert_int_equal(q1(count, num(fin_report)), 1);
	assert_int_equal(get(IVO, path_of(fin_report, "?done=ack"), &r), 200);
	assert_true(has(r.body, "Acknowledgement of receipt recorded."));
	assert_true(has(r.body, "Done on "));
	assert_false(has(r.body, "/ontvangst\"")); /* the button is gone */
	http_result_free(&r);
	/* a second time (another handler, or a form sent twice): a clear
	 * message, nothing changed, no second audit entry */
	assert_int_equal(post(VERA, path_of(fin_report, "/ontvangst"), NULL, &r), 409);
	assert_true(has(r.body, "Receipt of this report was already acknowledged. Nothing was changed."));
	http_result_free(&r);
	assert_int_equal(q1(count, num(fin_report)), 1);
}

static void test_feedback_and_hand_over(void **state)
{
	(void)state;
	struct http_result r;
	assert_int_equal(post(VERA, path_of(fin_report, "/terugkoppeling"), NULL, &r), 303);
	http_result_free(&r);
	assert_int_equal(post(VERA, path_of(fin_report, "/terugkoppeling"), NULL, &r), 409);
	assert_true(has(r.body, "Feedback on this report was already recorded."));
	http_result_free(&r);
	assert_int_equal(post(IVO, path_of(fin_report, "/overdragen"), NULL, &r), 303);
	assert_true(has(r.headers, "?done=handover"));
	http_result_free(&r);
	assert_int_equal(post(IVO, path_of(fin_report, "/overdragen"), NULL, &r), 409);
	http_result_free(&r);
	assert_int_equal(get(IVO, path_of(fin_report, "?done=handover"), &r), 200);
	assert_true(has(r.body, "The report was handed over to case handling."));
	assert_true(has(r.body, "handed over on"));
	http_result_free(&r);
	assert_int_equal(q1("SELECT count(*) FROM audit_log WHERE action = 'report.handover' "
			    "AND object_id = ?", num(fin_report)), 1);
	assert_int_equal(q1("SELECT count(*) FROM audit_log WHERE action = 'report.feedback' "
			    "AND object_id = ?", num(fin_report)), 1);
}

/* ---- conversation and notes ---- */

static void test_message_round_trip(void **state)
{
	(void)state;
	struct http_result r;
	struct multipart m = {0};
	multipart_field(&m, "text", "Dank voor uw melding. Kunt u zeggen wanneer dit begon?");
	multipart_file(&m, "files", "", "application/octet-stream", "", 0); /* a file input left empty */
	assert_int_equal(post_mp(IVO, path_of(fin_report, "/berichten"), &m, &r), 303);
	assert_true(has(r.headers, "?done=message#conversation"));
	http_result_free(&r);
	/* the reporter reads it with the receipt's key */
	struct intake_key k;
	struct intake_error e;
	assert_int_equal(intake_key_by_receipt(db, fin_receipt, &k, &e), 0);
	struct intake_message *msgs = NULL;
	size_t n = 0;
	assert_int_equal(intake_messages(db, &k, &msgs, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(msgs[0].text, "Dank voor uw melding. Kunt u zeggen wanneer dit begon?");
	assert_int_equal(msgs[0].account_id, uid[IVO]);
	intake_messages_free(msgs, n);
	/* and answers; the handler sees the answer on the page */
	const char *answer = "Sinds maart <ongeveer>.";
	assert_int_equal(intake_message_add(db, &signer, &k, 0, answer, strlen(answer), NULL, 0,
					    NULL, &e), 0);
	intake_key_wipe(&k);
	assert_int_equal(get(VERA, path_of(fin_report, ""), &r), 200);
	assert_true(has(r.body, "Dank voor uw melding."));
	assert_true(has(r.body, "Sinds maart &lt;ongeveer&gt;.")); /* escaped */
	assert_true(has(r.body, "<strong>The reporter</strong>"));
	assert_true(has(r.body, "<strong>ivo</strong>"));
	http_result_free(&r);
}

static void test_note_stays_internal(void **state)
{
	(void)state;
	struct http_result r;
	const char *note = "Intern: eerst de kasboeken opvragen";
	char body[200];
	snprintf(body, sizeof body, "text=%s", "Intern%3A%20eerst%20de%20kasboeken%20opvragen");
	assert_int_equal(post(IVO, path_of(fin_report, "/notities"), body, &r), 303);
	assert_true(has(r.headers, "?done=note#notes"));
	http_result_free(&r);
	/* another handler reads it, under the notes */
	assert_int_equal(get(VERA, path_of(fin_report, ""), &r), 200);
	const char *at = strstr(r.body, note), *notes = strstr(r.body, "id=\"notes\"");
	assert_non_null(at);
	assert_non_null(notes);
	assert_true(at > notes);
	http_result_free(&r);
	/* what the reporter can read with the receipt has no trace of it */
	struct intake_key k;
	struct intake_error e;
	assert_int_equal(intake_key_by_receipt(db, fin_receipt, &k, &e), 0);
	struct intake_message *msgs = NULL;
	size_t n = 0;
	assert_int_equal(intake_messages(db, &k, &msgs, &n, &e), 0);
	for (size_t i = 0; i < n; i++)
		assert_null(strstr(msgs[i].text, "kasboeken"));
	intake_messages_free(msgs, n);
	struct intake_report rep;
	assert_int_equal(intake_read(db, &k, &rep, &e), 0);
	assert_null(strstr(rep.body, "kasboeken"));
	intake_report_free(&rep);
	intake_key_wipe(&k);
	/* the reporter's own pages, when they exist, must not show it either */
	struct client *reporter = client_new(&srv);
	assert_int_equal(client_get(reporter, "/melding", &r), 0);
	char *csrf = r.status == 200 ? html_input_value(r.body, "csrf") : NULL;
	http_result_free(&r);
	if (csrf) {
		char form[300];
		snprintf(form, sizeof form, "csrf=%s&receipt=%s", csrf, fin_receipt);
		assert_int_equal(client_post(reporter, "/melding", form, &r), 0);
		assert_int_equal(r.status, 303);
		http_result_free(&r);
		assert_int_equal(client_get(reporter, "/melding/overzicht", &r), 0);
		assert_int_equal(r.status, 200);
		assert_true(has(r.body, "Geld verdwijnt"));
		assert_false(has(r.body, "kasboeken"));
		http_result_free(&r);
		free(csrf);
	}
	client_free(reporter);
	/* not in the database in the clear either */
	assert_int_equal(q1("SELECT count(*) FROM report_note WHERE instr(body, 'kasboeken') > 0",
			    NULL), 0);
}

static void test_refused_messages_store_nothing(void **state)
{
	(void)state;
	struct http_result r;
	const char *count = "SELECT (SELECT count(*) FROM report_message) + "
			    "(SELECT count(*) FROM report_note) + (SELECT count(*) FROM report_attachment)";
	int64_t before = q1(count, NULL);
	/* one byte over the limit */
	char *big = malloc(INTAKE_MESSAGE_MAX + 2);
	memset(big, 'x', INTAKE_MESSAGE_MAX + 1);
	big[INTAKE_MESSAGE_MAX + 1] = 0;
	struct multipart m = {0};
	multipart_field(&m, "text", big);
	assert_int_equal(post_mp(IVO, path_of(fin_report, "/berichten"), &m, &r), 413);
	assert_true(has(r.body, "The message is too long"));
	assert_true(has(r.body, "xxxxxxxxxx")); /* the text is given back to shorten */
	http_result_free(&r);
	/* an empty message */
	multipart_field(&m, "text", "  \r\n ");
	assert_int_equal(post_mp(IVO, path_of(fin_report, "/berichten"), &m, &r), 422);
	assert_true(has(r.body, "Write a message, or choose a file to send."));
	http_result_free(&r);
	/* a file whose content is not on the allow-list refuses the message */
	multipart_field(&m, "text", "Zie bijlage");
	multipart_file(&m, "files", "run.sh", "application/octet-stream", "#!/bin/sh\nrm -rf /\n", 19);
	assert_int_equal(post_mp(IVO, path_of(fin_report, "/berichten"), &m, &r), 422);
	assert_true(has(r.body, "run.sh: "));
	assert_true(has(r.body, "Zie bijlage"));
	http_result_free(&r);
	/* notes: too long, empty */
	size_t n = strlen(big) + 40;
	char *form = malloc(n);
	snprintf(form, n, "text=%s", big);
	assert_int_equal(post(IVO, path_of(fin_report, "/notities"), form, &r), 413);
	assert_true(has(r.body, "The note is too long"));
	http_result_free(&r);
	assert_int_equal(post(IVO, path_of(fin_report, "/notities"), "text=%20", &r), 422);
	assert_true(has(r.body, "Write the note first."));
	http_result_free(&r);
	free(form);
	free(big);
	assert_int_equal(q1(count, NULL), before);
}

static void test_message_with_file(void **state)
{
	(void)state;
	struct http_result r;
	struct multipart m = {0};
	multipart_field(&m, "text", "");
	multipart_file(&m, "files", "brief.pdf", "application/octet-stream", pdf, sizeof pdf - 1);
	assert_int_equal(post_mp(VERA, path_of(fin_report, "/berichten"), &m, &r), 303);
	http_result_free(&r);
	/* listed under the message, and the reporter gets it */
	assert_int_equal(get(VERA, path_of(fin_report, ""), &r), 200);
	const char *file = strstr(r.body, "brief.pdf"), *notes = strstr(r.body, "id=\"notes\"");
	assert_non_null(file);
	assert_true(file < notes);
	http_result_free(&r);
	struct intake_key k;
	struct intake_error e;
	struct intake_attachment att[8];
	size_t n = 0;
	assert_int_equal(intake_key_by_receipt(db, fin_receipt, &k, &e), 0);
	assert_int_equal(intake_attachments(db, &k, att, 8, &n, &e), 0);
	intake_key_wipe(&k);
	assert_int_equal(n, 2);
	assert_string_equal(att[1].name, "brief.pdf");
	assert_string_equal(att[1].mime, "application/pdf");
	assert_true(att[1].message_id > 0);
	assert_false(att[1].from_reporter);
}

/* ---- downloads ---- */

static void test_attachment_download(void **state)
{
	(void)state;
	struct http_result r;
	char p[120];
	snprintf(p, sizeof p, "/meldingen/%lld/bijlagen/%lld", (long long)fin_report,
		 (long long)fin_attachment);
	assert_int_equal(get(VERA, p, &r), 200);
	assert_string_equal(r.body, pdf);
	assert_true(has(r.headers, "Content-Type: application/pdf\r\n"));
	assert_true(has(r.headers, "Content-Disposition: attachment; filename=\"verslag _ 50_.pdf\"; "
				   "filename*=UTF-8''verslag%20%C3%BC%2050%25.pdf\r\n"));
	assert_true(has(r.headers, "X-Content-Type-Options: nosniff"));
	assert_true(has(r.headers, "Cache-Control: no-store"));
	assert_true(has(r.headers, "Content-Security-Policy: sandbox"));
	http_result_free(&r);
	/* the page links to it */
	assert_int_equal(get(VERA, path_of(fin_report, ""), &r), 200);
	char href[160];
	snprintf(href, sizeof href, "href=\"%s\"", p);
	assert_true(has(r.body, href));
	http_result_free(&r);
	/* an attachment id that does not exist */
	assert_int_equal(get(VERA, path_of(fin_report, "/bijlagen/999999"), &r), 404);
	http_result_free(&r);
}

/* ---- registering an in-person report ---- */

static int64_t reports(void)
{
	return q1("SELECT count(*) FROM report", NULL);
}

static void test_register_page(void **state)
{
	(void)state;
	struct http_result r;
	assert_int_equal(get(MAX, "/registreren", &r), 200);
	assert_true(has(r.body, "Do not investigate yourself."));
	assert_true(has(r.body, "Keep it confidential."));
	assert_true(has(r.body, "Point the reporter to the confidential adviser."));
	assert_true(has(r.body, "You cannot open it again"));
	/* his department and its unit, nothing else */
	assert_true(has(r.body, "<option value=\"FIN\""));
	assert_true(has(r.body, "<option value=\"FIN-DGB\""));
	assert_false(has(r.body, "<option value=\"BZK\""));
	/* a conditional question, with its condition in words */
	assert_true(has(r.body, "Did this happen to you?"));
	assert_true(has(r.body, "Only when the answer to &quot;Kind of report&quot; is: Unwanted behaviour."));
	assert_true(has(r.body, "name=\"readback\""));
	assert_true(has(r.body, "href=\"/registreren\" aria-current=\"page\""));
	http_result_free(&r);
}

/* A registration form, urlencoded; extra is appended as given. */
static long register_as(int who, const char *org, const char *mode, const char *identity,
			const char *extra, struct http_result *r)
{
	char body[2000];
	snprintf(body, sizeof body,
		 "org=%s&mode=%s&identity=%s&a.description=%s&a.contact=messages%s", org, mode,
		 identity, "Mijn%20leidinggevende%20scheldt%20mij%20uit", extra);
	return post(who, "/registreren", body, r);
}

static void test_register_errors(void **state)
{
	(void)state;
	struct http_result r;
	int64_t before = reports();
	/* not read back */
	assert_int_equal(register_as(MAX, "FIN", "confidential", "Piet", "&a.kind=unwanted_behaviour",
				     &r), 422);
	assert_true(has(r.body, "Nothing was saved."));
	assert_true(has(r.body, "Read the record back to the reporter"));
	/* what was typed is kept */
	assert_true(has(r.body, "Mijn leidinggevende scheldt mij uit"));
	http_result_free(&r);
	/* an answer to a question that does not apply */
	assert_int_equal(register_as(MAX, "FIN", "confidential", "Piet",
				     "&a.kind=integrity_violation&a.affected=yes&readback=yes", &r),
			 422);
	assert_true(has(r.body, "This question does not apply to the answers given above"));
	assert_true(has(r.body, "href=\"#q-affected\">Did this happen to you?: This question does not apply"));
	http_result_free(&r);
	/* an organisation where he is not a manager */
	assert_int_equal(register_as(MAX, "BZK", "confidential", "Piet",
				     "&a.kind=unwanted_behaviour&readback=yes", &r), 422);
	assert_true(has(r.body, "You can register reports only for the organisations"));
	http_result_free(&r);
	/* anonymous with a name, and open without one */
	assert_int_equal(register_as(MAX, "FIN", "anonymous", "Piet",
				     "&a.kind=unwanted_behaviour&readback=yes", &r), 422);
	assert_true(has(r.body, "The report is anonymous, so leave the reporter"));
	http_result_free(&r);
	assert_int_equal(register_as(MAX, "FIN", "open", "", "&a.kind=unwanted_behaviour&readback=yes",
				     &r), 422);
	assert_true(has(r.body, "Fill in the reporter&#39;s name") ||
		    has(r.body, "Fill in the reporter's name"));
	http_result_free(&r);
	/* a required question left out, and a date in the future */
	assert_int_equal(post(MAX, "/registreren",
			      "org=FIN&mode=anonymous&a.kind=wrongdoing&a.when=2999-01-01"
			      "&a.contact=messages&readback=yes",
			      &r), 422);
	assert_true(has(r.body, "Please answer this question."));
	assert_true(has(r.body, "The date cannot be in the future."));
	http_result_free(&r);
	assert_int_equal(reports(), before);
}

static void test_register_happy_path(void **state)
{
	(void)state;
	struct http_result r;
	int64_t before = reports();
	assert_int_equal(register_as(MAX, "FIN-DGB", "confidential",
				     "Piet%20Melder%2C%20kamer%2012",
				     "&a.kind=unwanted_behaviour&a.affected=yes&readback=yes", &r),
			 200);
	assert_true(has(r.body, "The report has been saved"));
	assert_true(has(r.body, "You cannot open this report any more"));
	assert_true(has(r.body, "Check the written record"));
	char *receipt = text_between(r.body, "<code class=\"utrecht-code\" id=\"receipt\">", "</code>");
	assert_non_null(receipt);
	http_result_free(&r);
	assert_int_equal(reports(), before + 1);
	/* the receipt opens it: answers, identity, and who wrote it down */
	struct intake_report rep;
	struct intake_error e;
	assert_int_equal(intake_open_by_receipt(db, receipt, &rep, &e), 0);
	assert_int_equal(rep.registered_by, uid[MAX]);
	assert_string_equal(rep.kind, "unwanted_behaviour");
	assert_string_equal(rep.org_code, "FIN-DGB");
	assert_non_null(strstr(rep.body, "\"affected\":\"yes\""));
	assert_non_null(strstr(rep.body, "Piet Melder, kamer 12"));
	int64_t id = rep.id;
	intake_report_free(&rep);
	free(receipt);
	/* sealed to FIN's handlers, not to the manager who wrote it down */
	char sql[200];
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM report_key WHERE report_id = %lld AND account_id = ?",
		 (long long)id);
	assert_int_equal(q1(sql, num(uid[MAX])), 0);
	assert_int_equal(q1(sql, num(uid[IVO])), 1);
	char actor[40];
	snprintf(actor, sizeof actor, "user:%lld", (long long)uid[MAX]);
	assert_int_equal(q1("SELECT count(*) FROM audit_log WHERE action = 'report.receive' "
			    "AND actor = ?", actor), 1);
	/* the handler sees it, marked as written down in person */
	assert_int_equal(get(IVO, path_of(id, ""), &r), 200);
	assert_true(has(r.body, "made in person and written down by a manager or confidential adviser"));
	assert_true(has(r.body, "the reporter has not agreed to it yet"));
	assert_true(has(r.body, "Did this happen to you?"));
	http_result_free(&r);
	/* an adviser who handles the organisation keeps access, and is told so */
	assert_int_equal(register_as(VERA, "FIN", "anonymous", "", "&a.kind=integrity_violation&readback=yes",
				     &r), 200);
	assert_true(has(r.body, "You are one of the handlers of this report"));
	http_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles_without_access),
		cmocka_unit_test(test_other_department_gets_404),
		cmocka_unit_test(test_recused_handler_gets_nothing),
		cmocka_unit_test(test_inbox_and_report_page),
		cmocka_unit_test(test_overdue_in_words),
		cmocka_unit_test(test_attachment_download),
		cmocka_unit_test(test_acknowledge_once),
		cmocka_unit_test(test_feedback_and_hand_over),
		cmocka_unit_test(test_message_round_trip),
		cmocka_unit_test(test_note_stays_internal),
		cmocka_unit_test(test_refused_messages_store_nothing),
		cmocka_unit_test(test_message_with_file),
		cmocka_unit_test(test_register_page),
		cmocka_unit_test(test_register_errors),
		cmocka_unit_test(test_register_happy_path),
	};
	return cmocka_run_group_tests_name("http_handler", tests, setup, teardown);
}
