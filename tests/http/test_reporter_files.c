/* test_reporter_files.c: a reporter downloads the files of their own report
 * at GET /melding/bestand/{id}, signed in with the receipt only: a handler's
 * file with its exact bytes and the download headers, their own upload too;
 * another report's receipt gets 404 for it, nobody signed in is sent to the
 * receipt sign-in, a staff session is refused; neither the database nor the
 * server's log holds the file in the clear.
 *
 * Reports and the handler's message are put in through the store on the
 * server's own database (as test_handler.c does): the handler's pages are
 * tested there, this file tests the reporter's side. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static db_t *db;
static struct signkey key;
static struct audit_signer signer;

static char receipt_a[RECEIPT_SHOWN_SIZE], receipt_b[RECEIPT_SHOWN_SIZE];
static int64_t report_a, report_b;
/* the reporter's own upload with report A, the handler's file to A, B's own */
static int64_t own_a, handler_a, own_b;

#define HANDLER_NAME "brief-van-de-behandelaar.pdf"
static const char handler_pdf[] =
	"%PDF-1.4\n% HANDLERFILEMARKER7731 uitnodiging gesprek\n1 0 obj << >> endobj\n"
	"trailer << >>\n%%EOF\n";
static const char own_pdf[] =
	"%PDF-1.4\n% REPORTERFILEMARKER4410 foto van de kas\n1 0 obj << >> endobj\n"
	"trailer << >>\n%%EOF\n";
static const char other_pdf[] =
	"%PDF-1.4\n% OTHERREPORTMARKER9902\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

static int has(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

static int64_t q1(const char *sql, int64_t param)
{
	char p[24];
	int64_t n = -1;
	snprintf(p, sizeof p, "%lld", (long long)param);
	assert_int_equal(db_query_i64(db, sql, p, &n), 0);
	return n;
}

static int64_t submit(const char *description, const struct intake_file *f,
		      char receipt[RECEIPT_SHOWN_SIZE])
{
	const struct intake_questionnaire *q = intake_qset_current();
	char answers[300];
	snprintf(answers, sizeof answers,
		 "{\"kind\":\"integrity_violation\",\"description\":\"%s\","
		 "\"contact\":\"messages\"}", description);
	struct intake_submission s = {
		.org_code = "FIN",
		.kind = "integrity_violation",
		.mode = "anonymous",
		.questionnaire = q->id,
		.questionnaire_revision = q->revision,
		.answers = answers,
		.answers_len = strlen(answers),
		.files = f,
		.nfiles = 1,
	};
	int64_t id = 0;
	struct intake_error e;
	if (intake_submit(db, &signer, &s, receipt, &id, &e) != 0) {
		fprintf(stderr, "submit: %s\n", e.msg);
		return -1;
	}
	return id;
}

static int setup(void **state)
{
	(void)state;
	char err[300];
	signal(SIGPIPE, SIG_IGN);
	if (sodium_init() < 0 || server_start_logged(&srv) != 0 ||
	    intake_qset_init(err, sizeof err) != 0)
		return -1;
	if (server_add_fin_ivo(&srv, PW) ||
	    server_add_user(&srv, "anna", "Anna", "coordinator", "RIJK", PW))
		return -1;
	struct db_options opt = {.busy_timeout_ms = 10000};
	struct db_error dbe;
	if (db_open(srv.db, 0, &opt, &db, &dbe) != 0)
		return -1;
	if (signkey_load(server_key_path(&srv), &key, err, sizeof err) != 0)
		return -1;
	signer = (struct audit_signer){&key, 100};
	int64_t ivo = 0;
	if (db_query_i64(db, "SELECT id FROM account WHERE username = ?", "ivo", &ivo) != 0)
		return -1;

	struct intake_file fa = {(const unsigned char *)own_pdf, sizeof own_pdf - 1,
				 "application/pdf", "foto-kas.pdf"};
	struct intake_file fb = {(const unsigned char *)other_pdf, sizeof other_pdf - 1,
				 "application/pdf", "ander.pdf"};
	report_a = submit("Geld verdwijnt uit de kas", &fa, receipt_a);
	report_b = submit("Iets anders", &fb, receipt_b);
	if (report_a <= 0 || report_b <= 0)
		return -1;
	/* the handler answers report A with a file, as the handler's page does */
	struct intake_key k;
	struct intake_error e;
	struct intake_file hf = {(const unsigned char *)handler_pdf, sizeof handler_pdf - 1,
				 "application/pdf", HANDLER_NAME};
	const char *text = "Hierbij de uitnodiging voor een gesprek.";
	if (intake_key_by_receipt(db, receipt_a, &k, &e) != 0 ||
	    intake_message_add(db, &signer, &k, ivo, text, strlen(text), &hf, 1, NULL, &e) != 0) {
		fprintf(stderr, "handler's message: %s\n", e.msg);
		return -1;
	}
	intake_key_wipe(&k);
	char a[24], b[24];
	snprintf(a, sizeof a, "%lld", (long long)report_a);
	snprintf(b, sizeof b, "%lld", (long long)report_b);
	if (db_query_i64(db, "SELECT id FROM report_attachment WHERE report_id = ? AND "
			     "added_by = 'reporter'", a, &own_a) != 0 ||
	    db_query_i64(db, "SELECT id FROM report_attachment WHERE report_id = ? AND "
			     "added_by = 'handler'", a, &handler_a) != 0 ||
	    db_query_i64(db, "SELECT id FROM report_attachment WHERE report_id = ?", b,
			 &own_b) != 0)
		return -1;
	return own_a > 0 && handler_a > 0 && own_b > 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	db_close(db);
	signkey_wipe(&key);
	int st = server_halt(&srv);
	server_remove(&srv);
	return st == 0 ? 0 : -1;
}

/* A browser signed in to a report with its receipt, in English. */
static struct client *reporter(const char *receipt)
{
	struct client *c = client_new(&srv);
	struct http_result r;
	client_set_cookie(c, "probity_lang", "en");
	assert_int_equal(client_get(c, "/melding", &r), 0);
	char *csrf = html_input_value(r.body, "csrf");
	http_result_free(&r);
	if (!csrf) {
		fail_msg("no token on /melding");
		return c;
	}
	char body[300];
	snprintf(body, sizeof body, "csrf=%s&receipt=%s", csrf, receipt);
	free(csrf);
	assert_int_equal(client_post(c, "/melding", body, &r), 0);
	assert_int_equal(r.status, 303);
	http_result_free(&r);
	return c;
}

static const char *file_path(int64_t id)
{
	static char b[4][64];
	static int i;
	i = (i + 1) % 4;
	snprintf(b[i], sizeof b[i], "/melding/bestand/%lld", (long long)id);
	return b[i];
}

static void test_reporter_downloads_handlers_file(void **state)
{
	(void)state;
	struct client *c = reporter(receipt_a);
	struct http_result r;
	/* the report page links both files */
	assert_int_equal(client_get(c, "/melding/overzicht", &r), 0);
	assert_int_equal(r.status, 200);
	char href[80];
	snprintf(href, sizeof href, "href=\"%s\"", file_path(handler_a));
	assert_true(has(r.body, href));
	assert_true(has(r.body, HANDLER_NAME));
	snprintf(href, sizeof href, "href=\"%s\"", file_path(own_a));
	assert_true(has(r.body, href));
	http_result_free(&r);

	assert_int_equal(client_get(c, file_path(handler_a), &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, handler_pdf); /* the exact bytes */
	assert_true(has(r.headers, "Content-Type: application/pdf"));
	assert_true(has(r.headers, "Content-Disposition: attachment"));
	assert_true(has(r.headers, HANDLER_NAME));
	assert_true(has(r.headers, "Content-Security-Policy: sandbox"));
	assert_true(has(r.headers, "X-Content-Type-Options: nosniff"));
	assert_true(has(r.headers, "Cache-Control: no-store"));
	http_result_free(&r);
	/* their own upload is theirs too */
	assert_int_equal(client_get(c, file_path(own_a), &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, own_pdf);
	http_result_free(&r);
	/* an id that does not exist */
	assert_int_equal(client_get(c, "/melding/bestand/999999", &r), 0);
	assert_int_equal(r.status, 404);
	http_result_free(&r);
	client_free(c);
}

static void test_other_report_gets_404(void **state)
{
	(void)state;
	struct client *c = reporter(receipt_b);
	struct http_result r;
	const int64_t not_theirs[] = {handler_a, own_a};
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(client_get(c, file_path(not_theirs[i]), &r), 0);
		assert_int_equal(r.status, 404);
		assert_false(has(r.body, "MARKER"));
		assert_false(has(r.headers, "Content-Disposition"));
		http_result_free(&r);
	}
	assert_int_equal(client_get(c, file_path(own_b), &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, other_pdf);
	http_result_free(&r);
	client_free(c);
}

static void test_no_receipt_session(void **state)
{
	(void)state;
	struct http_result r;
	/* nobody signed in: to the receipt sign-in */
	struct client *anon = client_new(&srv);
	assert_int_equal(client_get(anon, file_path(handler_a), &r), 0);
	assert_int_equal(r.status, 303);
	assert_true(has(r.headers, "Location: /melding\r\n"));
	http_result_free(&r);
	/* a forged receipt cookie opens nothing */
	client_set_cookie(anon, "probity_receipt", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	assert_int_equal(client_get(anon, file_path(handler_a), &r), 0);
	assert_int_equal(r.status, 303);
	assert_false(has(r.body, "MARKER"));
	http_result_free(&r);
	client_free(anon);
	/* a staff account, however senior, is refused: only the receipt opens it */
	struct client *anna = client_new(&srv);
	assert_int_equal(client_sign_in(anna, "anna", PW, NULL, NULL), 0);
	assert_int_equal(client_get(anna, file_path(handler_a), &r), 0);
	assert_int_equal(r.status, 403);
	assert_false(has(r.body, "MARKER"));
	assert_false(has(r.headers, "Content-Disposition"));
	http_result_free(&r);
	/* and a POST to it is no route */
	char *csrf = client_csrf(anna, "/account");
	char body[200];
	snprintf(body, sizeof body, "csrf=%s", csrf ? csrf : "");
	free(csrf);
	assert_int_equal(client_post(anna, file_path(handler_a), body, &r), 0);
	assert_true(r.status == 405 || r.status == 404);
	http_result_free(&r);
	client_free(anna);
}

/* Reads a file into a malloc'd string, or NULL. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *s = NULL;
	size_t n = 0, room = 0, got;
	char chunk[4096];
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (n + got + 1 > room) {
			room = (n + got + 1) * 2;
			s = realloc(s, room);
			if (!s)
				break;
		}
		memcpy(s + n, chunk, got);
		n += got;
	}
	fclose(f);
	if (s)
		s[n] = '\0';
	return s;
}

static void test_nothing_in_the_clear(void **state)
{
	(void)state;
	/* the file's bytes and name are sealed under the report key */
	assert_int_equal(q1("SELECT count(*) FROM report_attachment WHERE report_id = ? AND "
			    "(instr(body, 'HANDLERFILEMARKER7731') > 0 OR "
			    "instr(meta, 'brief-van-de-behandelaar') > 0)", report_a), 0);
	assert_int_equal(q1("SELECT count(*) FROM report_attachment WHERE id = ? AND "
			    "instr(body, 'REPORTERFILEMARKER4410') > 0", own_a), 0);
	assert_int_equal(q1("SELECT count(*) FROM audit_log WHERE seq > ? AND "
			    "instr(detail, 'brief-van-de') > 0", 0), 0);
	/* nor does the server's log name or hold them after the downloads */
	const char *logs[] = {"serve.out", "serve.err"};
	for (size_t i = 0; i < 2; i++) {
		char path[400];
		snprintf(path, sizeof path, "%s/%s", srv.dir, logs[i]);
		char *s = slurp(path);
		if (s && (has(s, "MARKER") || has(s, "brief-van-de"))) {
			server_print_log(&srv);
			fail_msg("%s holds the file", logs[i]);
		}
		free(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reporter_downloads_handlers_file),
		cmocka_unit_test(test_other_report_gets_404),
		cmocka_unit_test(test_no_receipt_session),
		cmocka_unit_test(test_nothing_in_the_clear),
	};
	return cmocka_run_group_tests_name("http_reporter_files", tests, setup, teardown);
}
