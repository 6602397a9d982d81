/* test_report.c: the reporter's pages against a real server: the report
 * form screen by screen and its refusals (which store nothing), sending with
 * attachments judged by content, recusal, the receipt shown once; and
 * "follow your report": receipt sign-in (mistyped, wrong, throttled), the
 * report with its dates, a reply, signing out, and what needs a session.
 *
 * The database is read in this process only to count rows and check who holds
 * a key: what the pages promise is checked through the pages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "base/date.h"
#include "crypto/receipt.h"
#include "harness.h"
#include "store/db.h"

static struct server srv;
static db_t *db;
static int64_t ivo, vera;  /* the two handlers at FIN */

#define PW "lange zin over tulpen 42"

static const char pdf[] = "%PDF-1.4\n% a test document\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
static const char elf[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0\x3e\0";

static int has(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

static int64_t count(const char *sql, const char *param)
{
	int64_t n = -1;
	assert_int_equal(db_query_i64(db, sql, param, &n), 0);
	return n;
}

static int setup(void **state)
{
	(void)state;
	if (server_start(&srv) != 0)
		return -1;
	const char *const cmds[][12] = {
		{"org", "add", "RIJK", "--name", "Rijksoverheid", "--kind", "government", "--from",
		 "2020-01-01", NULL},
		{"org", "add", "FIN", "--name", "Financien", "--parent", "RIJK", "--from",
		 "2020-01-01", NULL},
		{"org", "add", "BZK", "--name", "Binnenlandse Zaken", "--parent", "RIJK", "--from",
		 "2020-01-01", NULL},
		{"user", "add", "ivo", "--name", "Ivo Integer", "--role", "integrity_coordinator",
		 "--org", "FIN", NULL},
		{"user", "add", "vera", "--name", "Vera Vertrouwens", "--role",
		 "confidential_adviser", "--org", "FIN", NULL},
	};
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		if (server_cli_input(&srv, cmds[i], PW "\n") != 0)
			return -1;
	struct db_options opt = {.busy_timeout_ms = 10000};
	struct db_error e;
	if (db_open(srv.db, 0, &opt, &db, &e) != 0 ||
	    db_query_i64(db, "SELECT id FROM account WHERE username = ?", "ivo", &ivo) != 0 ||
	    db_query_i64(db, "SELECT id FROM account WHERE username = ?", "vera", &vera) != 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(db);
	return server_stop(&srv) == 0 ? 0 : -1;
}

/* A visitor in English, with the form's CSRF token. */
static struct client *visitor(char **csrf)
{
	struct client *c = client_new(&srv);
	client_set_cookie(c, "probity_lang", "en");
	struct http_result r;
	assert_int_equal(client_get(c, "/melden", &r), 0);
	assert_int_equal(r.status, 200);
	*csrf = html_input_value(r.body, "csrf");
	assert_non_null(*csrf);
	http_result_free(&r);
	return c;
}

static long post(struct client *c, const char *path, const char *csrf, const char *fields,
		 struct http_result *r)
{
	char body[4096];
	snprintf(body, sizeof body, "csrf=%s&%s", csrf, fields);
	assert_int_equal(client_post(c, path, body, r), 0);
	return r->status;
}

static void the_form_opens_with_the_organisations(void **state)
{
	(void)state;
	char *csrf;
	struct client *c = visitor(&csrf);
	struct http_result r;
	assert_int_equal(client_get(c, "/melden", &r), 0);
	assert_true(has(r.body, "<option value=\"FIN\""));
	assert_true(has(r.body, "<option value=\"-\""));          /* I do not know */
	assert_false(has(r.body, "<option value=\"RIJK\""));     /* only through "-" */
	http_result_free(&r);
	/* the home page leads here for a visitor */
	assert_int_equal(client_get(c, "/", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.body, "href=\"/melden\""));
	http_result_free(&r);
	free(csrf);
	client_free(c);
}

static void each_screen_refuses_what_is_wrong(void **state)
{
	(void)state;
	char *csrf;
	struct client *c = visitor(&csrf);
	struct http_result r;
	/* no token: refused before anything is looked at */
	assert_int_equal(client_post(c, "/melden", "screen=0&org=FIN&go=next", &r), 0);
	assert_int_equal(r.status, 403);
	http_result_free(&r);
	assert_int_equal(post(c, "/melden", csrf, "screen=0&go=next", &r), 422);
	assert_true(has(r.body, "Choose an organisation"));
	http_result_free(&r);
	assert_int_equal(post(c, "/melden", csrf, "screen=0&org=NOPE&go=next", &r), 422);
	http_result_free(&r);
	assert_int_equal(post(c, "/melden", csrf, "screen=0&org=RIJK&go=next", &r), 422);
	http_result_free(&r);
	/* an organisation without handlers cannot take a report */
	assert_int_equal(post(c, "/melden", csrf, "screen=0&org=BZK&go=next", &r), 422);
	assert_true(has(r.body, "cannot receive reports here yet"));
	http_result_free(&r);
	assert_int_equal(post(c, "/melden", csrf, "screen=0&org=FIN&go=next", &r), 200);
	assert_true(has(r.body, "Who may know that you reported?"));
	assert_true(has(r.body, "name=\"org\" value=\"FIN\""));   /* carried along */
	http_result_free(&r);
	/* anonymous with a name */
	assert_int_equal(post(c, "/melden", csrf,
			      "screen=1&org=FIN&mode=anonymous&identity=Jan&go=next", &r), 422);
	assert_true(has(r.body, "report anonymously, so leave your name out"));
	http_result_free(&r);
	/* a required question left empty keeps what was typed */
	assert_int_equal(post(c, "/melden", csrf,
			      "screen=3&org=FIN&mode=anonymous&a.kind=integrity_violation"
			      "&a.where=kantoor%20Utrecht&go=next", &r), 422);
	assert_true(has(r.body, "id=\"q-description\""));
	assert_true(has(r.body, "value=\"kantoor Utrecht\""));
	http_result_free(&r);
	/* a form that is not ours */
	assert_int_equal(post(c, "/melden", csrf, "screen=-4&go=next", &r), 400);
	http_result_free(&r);
	/* nothing of all this was stored */
	assert_int_equal(count("SELECT count(*) FROM report", NULL), 0);
	free(csrf);
	client_free(c);
}

/* The last screen's form with everything filled in. */
static void full_form(struct multipart *m, const char *csrf, const char *recuse1,
		      const char *recuse2)
{
	multipart_field(m, "csrf", csrf);
	multipart_field(m, "screen", "9");
	multipart_field(m, "org", "FIN");
	multipart_field(m, "mode", "anonymous");
	multipart_field(m, "a.kind", "integrity_violation");
	multipart_field(m, "a.description", "Er verdwijnt geld uit de kas.");
	multipart_field(m, "a.contact", "messages");
	if (recuse1)
		multipart_field(m, "recuse", recuse1);
	if (recuse2)
		multipart_field(m, "recuse", recuse2);
}

static char receipt[RECEIPT_SHOWN_SIZE + 8];

static void sending_checks_files_and_recusal(void **state)
{
	(void)state;
	char *csrf;
	struct client *c = visitor(&csrf);
	struct http_result r;
	char ivo_s[24], vera_s[24];
	snprintf(ivo_s, sizeof ivo_s, "%lld", (long long)ivo);
	snprintf(vera_s, sizeof vera_s, "%lld", (long long)vera);

	/* an executable among the files: refused, nothing stored */
	struct multipart m = {0};
	full_form(&m, csrf, NULL, NULL);
	multipart_file(&m, "f.evidence", "notulen.pdf", "application/pdf", pdf, sizeof pdf - 1);
	multipart_file(&m, "f.evidence", "factuur.pdf", "application/pdf", elf, sizeof elf - 1);
	multipart_end(&m);
	assert_int_equal(client_post_as(c, "/melden/verzenden", MP_CONTENT_TYPE, m.p, m.n, &r), 0);
	free(m.p);
	assert_int_equal(r.status, 422);
	assert_true(has(r.body, "utrecht-form-field-error-message"));
	http_result_free(&r);
	assert_int_equal(count("SELECT count(*) FROM report", NULL), 0);

	/* both handlers excluded: somebody must be able to read it */
	m = (struct multipart){0};
	full_form(&m, csrf, ivo_s, vera_s);
	multipart_end(&m);
	assert_int_equal(client_post_as(c, "/melden/verzenden", MP_CONTENT_TYPE, m.p, m.n, &r), 0);
	free(m.p);
	assert_int_equal(r.status, 422);
	assert_true(has(r.body, "leave at least one person unticked"));
	http_result_free(&r);
	/* someone who is no handler here */
	m = (struct multipart){0};
	full_form(&m, csrf, "999999", NULL);
	multipart_end(&m);
	assert_int_equal(client_post_as(c, "/melden/verzenden", MP_CONTENT_TYPE, m.p, m.n, &r), 0);
	free(m.p);
	assert_int_equal(r.status, 422);
	http_result_free(&r);
	assert_int_equal(count("SELECT count(*) FROM report", NULL), 0);

	/* vera excluded, a PDF attached: stored, receipt shown once */
	m = (struct multipart){0};
	full_form(&m, csrf, vera_s, NULL);
	multipart_file(&m, "f.evidence", "../../etc/notulen.pdf", "application/pdf", pdf, sizeof pdf - 1);
	multipart_field(&m, "f.evidence", "");  /* an empty file input is no file */
	multipart_end(&m);
	assert_int_equal(client_post_as(c, "/melden/verzenden", MP_CONTENT_TYPE, m.p, m.n, &r), 0);
	free(m.p);
	if (r.status != 200)
		fprintf(stderr, "%s\n", r.body);
	assert_int_equal(r.status, 200);
	assert_true(has(r.headers, "no-store"));
	const char *at = strstr(r.body, "id=\"receipt\">");
	assert_non_null(at);
	at += strlen("id=\"receipt\">");
	size_t n = strcspn(at, "<");
	assert_true(n > 20 && n < sizeof receipt);
	memcpy(receipt, at, n);
	receipt[n] = '\0';
	http_result_free(&r);
	assert_int_equal(count("SELECT count(*) FROM report", NULL), 1);
	assert_int_equal(count("SELECT count(*) FROM report_attachment", NULL), 1);
	assert_int_equal(count("SELECT count(*) FROM report_key WHERE account_id = ?", ivo_s), 1);
	assert_int_equal(count("SELECT count(*) FROM report_key WHERE account_id = ?", vera_s), 0);
	/* the recusal is audited, naming the excluded handler, not the reporter */
	assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action = 'report.recuse'", NULL),
			 1);
	free(csrf);
	client_free(c);
}

static long follow_signin(struct client *c, const char *typed, struct http_result *r)
{
	struct http_result g;
	assert_int_equal(client_get(c, "/melding", &g), 0);
	char *csrf = html_input_value(g.body, "csrf");
	http_result_free(&g);
	char *t = url_encode(typed);
	char body[600];
	snprintf(body, sizeof body, "csrf=%s&receipt=%s", csrf, t);
	free(t);
	free(csrf);
	assert_int_equal(client_post(c, "/melding", body, r), 0);
	return r->status;
}

static void following_the_report(void **state)
{
	(void)state;
	assert_true(receipt[0]);
	struct client *c = client_new(&srv);
	client_set_cookie(c, "probity_lang", "en");
	struct http_result r;
	/* without a session the report page sends you to sign in */
	assert_int_equal(client_get(c, "/melding/overzicht", &r), 0);
	assert_int_equal(r.status, 303);
	http_result_free(&r);

	/* the API and these pages share the receipt throttles: a sign-in
	 * through the API first must not upset the page's (one clock for all) */
	char json[128];
	snprintf(json, sizeof json, "{\"receipt\": \"%s\"}", receipt);
	const char *jh[] = {"Content-Type: application/json", NULL};
	assert_int_equal(client_request(c, "POST", "/api/v1/receipt/session", jh, json,
					strlen(json), &r), 0);
	assert_int_equal(r.status, 201);
	http_result_free(&r);

	/* typed in lower case with spaces: the same receipt */
	char typed[64];
	size_t k = 0;
	for (const char *s = receipt; *s && k < sizeof typed - 1; s++)
		typed[k++] = *s == '-' ? ' ' : (char)(*s | 0x20);
	typed[k] = '\0';
	assert_int_equal(follow_signin(c, typed, &r), 303);
	http_result_free(&r);
	assert_int_equal(client_get(c, "/melding/overzicht", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.body, "Er verdwijnt geld uit de kas."));
	assert_true(has(r.body, "due at the latest on"));
	assert_true(has(r.body, "notulen.pdf"));
	assert_false(has(r.body, "etc"));   /* the path is not kept */
	char *csrf = html_input_value(r.body, "csrf");
	http_result_free(&r);

	/* a reply */
	char body[600];
	snprintf(body, sizeof body, "csrf=%s&text=Ik%%20heb%%20nog%%20een%%20vraag", csrf);
	assert_int_equal(client_post(c, "/melding/berichten", body, &r), 0);
	assert_int_equal(r.status, 303);
	http_result_free(&r);
	assert_int_equal(client_get(c, "/melding/overzicht", &r), 0);
	assert_true(has(r.body, "Ik heb nog een vraag"));
	http_result_free(&r);
	/* an empty one is refused and stores nothing */
	snprintf(body, sizeof body, "csrf=%s&text=", csrf);
	assert_int_equal(client_post(c, "/melding/berichten", body, &r), 0);
	assert_int_equal(r.status, 422);
	http_result_free(&r);
	assert_int_equal(count("SELECT count(*) FROM report_message", NULL), 1);
	/* nothing to agree to: this report was not written down by someone */
	snprintf(body, sizeof body, "csrf=%s", csrf);
	assert_int_equal(client_post(c, "/melding/akkoord", body, &r), 0);
	assert_int_equal(r.status, 409);
	http_result_free(&r);
	/* signing out ends the session on the server, not only the cookie */
	char *token = client_cookie(c, "probity_receipt");
	assert_non_null(token);
	assert_int_equal(client_post(c, "/melding/afmelden", body, &r), 0);
	assert_int_equal(r.status, 200);
	http_result_free(&r);
	client_set_cookie(c, "probity_receipt", token);
	assert_int_equal(client_get(c, "/melding/overzicht", &r), 0);
	assert_int_equal(r.status, 303);
	http_result_free(&r);
	assert_int_equal(client_post(c, "/melding/berichten", body, &r), 0);
	assert_int_equal(r.status, 403);
	http_result_free(&r);
	free(token);
	free(csrf);
	client_free(c);
}

static void wrong_receipts_are_throttled(void **state)
{
	(void)state;
	struct client *c = client_new(&srv);
	client_set_cookie(c, "probity_lang", "en");
	struct http_result r;
	/* a typing error is answered as one and not counted */
	char mistyped[sizeof receipt];
	memcpy(mistyped, receipt, sizeof receipt);
	mistyped[0] = mistyped[0] == '2' ? '3' : '2';
	for (int i = 0; i < 20; i++) {
		assert_int_equal(follow_signin(c, mistyped, &r), 400);
		if (!has(r.body, "typing error"))
			fprintf(stderr, "%s -> %s\n", mistyped, strstr(r.body, "<h1"));
		assert_true(has(r.body, "typing error"));
		http_result_free(&r);
	}
	/* receipts of the right shape that open nothing are guesses */
	long last = 0;
	int tries = 0;
	for (; tries < 50 && last != 429; tries++) {
		char guess[RECEIPT_SHOWN_SIZE];
		receipt_generate(guess);
		last = follow_signin(c, guess, &r);
		if (last == 429) {
			assert_true(has(r.headers, "Retry-After"));
			assert_true(has(r.body, "wait"));
		} else {
			assert_int_equal(last, 404);
		}
		http_result_free(&r);
	}
	assert_int_equal(last, 429);
	assert_true(tries > 2);
	/* throttled, even the right receipt waits */
	assert_int_equal(follow_signin(c, receipt, &r), 429);
	http_result_free(&r);
	client_free(c);
}

/* A department renamed away (by `probity org`, another process, as another
 * node would) between showing the form and sending it: the form may list it
 * for up to a second (orgs_load_recent), but sending checks the choice in
 * its own transaction, so the report is refused with a plain message and
 * nothing is stored; the list follows within the interval. */
static void a_department_gone_meanwhile_is_refused(void **state)
{
	(void)state;
	const char *const add[][12] = {
		{"org", "add", "OCW", "--name", "Onderwijs", "--parent", "RIJK", "--from",
		 "2020-01-01", NULL},
		{"user", "add", "otto", "--name", "Otto Onderwijs", "--role",
		 "integrity_coordinator", "--org", "OCW", NULL},
	};
	for (size_t i = 0; i < sizeof add / sizeof add[0]; i++)
		assert_int_equal(server_cli_input(&srv, add[i], PW "\n"), 0);
	char *csrf;
	struct client *c = visitor(&csrf);
	struct http_result r;
	/* added by another process: listed within the interval (1 s; up to 3 s
	 * allowed for a busy machine) */
	int listed = 0;
	for (int i = 0; i < 30 && !listed; i++) {
		assert_int_equal(client_get(c, "/melden", &r), 0);
		listed = has(r.body, "<option value=\"OCW\"");
		http_result_free(&r);
		if (!listed) {
			struct timespec ts = {0, 100 * 1000000L};
			nanosleep(&ts, NULL);
		}
	}
	assert_true(listed);
	int64_t before = count("SELECT count(*) FROM report", NULL);
	char today[DATE_LEN + 1];
	date_today(today);
	const char *const rename[] = {"org", "rename", "OCW", "--to", "OCW2", "--on", today, NULL};
	assert_int_equal(server_cli(&srv, rename), 0);

	struct multipart m = {0};
	multipart_field(&m, "csrf", csrf);
	multipart_field(&m, "screen", "9");
	multipart_field(&m, "org", "OCW");
	multipart_field(&m, "mode", "anonymous");
	multipart_field(&m, "a.kind", "integrity_violation");
	multipart_field(&m, "a.description", "Er verdwijnt geld uit de kas.");
	multipart_field(&m, "a.contact", "messages");
	multipart_end(&m);
	assert_int_equal(client_post_as(c, "/melden/verzenden", MP_CONTENT_TYPE, m.p, m.n, &r), 0);
	free(m.p);
	assert_int_equal(r.status, 422);
	assert_true(has(r.body, "Choose an organisation"));
	http_result_free(&r);
	assert_int_equal(count("SELECT count(*) FROM report", NULL), before);

	/* the list shows the change within the interval too */
	int gone = 0;
	for (int i = 0; i < 30 && !gone; i++) {
		assert_int_equal(client_get(c, "/melden", &r), 0);
		gone = !has(r.body, "<option value=\"OCW\"") &&
		       has(r.body, "<option value=\"OCW2\"");
		http_result_free(&r);
		if (!gone) {
			struct timespec ts = {0, 100 * 1000000L};
			nanosleep(&ts, NULL);
		}
	}
	assert_true(gone);
	free(csrf);
	client_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_form_opens_with_the_organisations),
		cmocka_unit_test(each_screen_refuses_what_is_wrong),
		cmocka_unit_test(sending_checks_files_and_recusal),
		cmocka_unit_test(following_the_report),
		cmocka_unit_test(wrong_receipts_are_throttled),
		cmocka_unit_test(a_department_gone_meanwhile_is_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
