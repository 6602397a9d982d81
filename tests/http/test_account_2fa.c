/* test_account_2fa.c: moving two-step sign-in to a new phone from the account
 * page, against a real server. A user with 2FA on sees the link; the move asks
 * the password, a current second factor (a code of the current app or a
 * recovery code) and a code of the new app; every refusal changes nothing
 * (the old codes still work after them, no audit entry); success makes the
 * old secret and old recovery codes fail, the new ones work, ends the
 * account's other sessions and is audited once. A user with 2FA off still
 * gets the plain set-up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "harness.h"
#include "store/db.h"

static struct server srv;

#define PW "lange zin over tulpen 42"
#define PW_URL "lange%20zin%20over%20tulpen%2042"
#define NCODES 10

static int has(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

static int setup(void **state)
{
	(void)state;
	if (server_start(&srv) != 0 || server_add_fin_ivo(&srv, PW) != 0 ||
	    server_add_user(&srv, "otto", "Otto", "auditor", "RIJK", PW) != 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return server_stop(&srv) == 0 ? 0 : -1;
}

/* One number from the server's database (read in this process). */
static int64_t q1(const char *sql)
{
	db_t *db = NULL;
	struct db_options opt = {.busy_timeout_ms = 10000};
	struct db_error e;
	int64_t n = -1;
	assert_int_equal(db_open(srv.db, 0, &opt, &db, &e), 0);
	assert_int_equal(db_query_i64(db, sql, NULL, &n), 0);
	db_close(db);
	return n;
}

/* Every <code> of a recovery page into codes[]; returns how many. */
static int recovery_codes(const char *body, char codes[NCODES][32])
{
	const char *open = "<li class=\"utrecht-unordered-list__item\"><code class=\"utrecht-code\">";
	int n = 0;
	for (const char *p = body; n < NCODES && (p = strstr(p, open)) != NULL; n++) {
		p += strlen(open);
		const char *end = strstr(p, "</code>");
		if (!end || end - p >= 32)
			return -1;
		memcpy(codes[n], p, (size_t)(end - p));
		codes[n][end - p] = '\0';
	}
	return n;
}

/* Posts the sign-in form; returns the status (Location in r). */
static long password_step(struct client *c, const char *user, struct http_result *r)
{
	char *csrf = client_csrf(c, "/login");
	char body[300];
	snprintf(body, sizeof body, "csrf=%s&username=%s&password=%s", csrf ? csrf : "", user,
		 PW_URL);
	free(csrf);
	assert_int_equal(client_post(c, "/login", body, r), 0);
	return r->status;
}

/* A fresh browser: password, then code at /login/2fa. Returns that status. */
static long sign_in_with(const char *code)
{
	struct client *c = client_new(&srv);
	struct http_result r;
	assert_int_equal(password_step(c, "ivo", &r), 303);
	assert_true(has(r.headers, "Location: /login/2fa"));
	http_result_free(&r);
	char *csrf = client_csrf(c, "/login/2fa");
	char body[200];
	snprintf(body, sizeof body, "csrf=%s&code=%s", csrf ? csrf : "", code);
	free(csrf);
	assert_int_equal(client_post(c, "/login/2fa", body, &r), 0);
	long st = r.status;
	http_result_free(&r);
	client_free(c);
	return st;
}

/* Posts the move form on c; returns the status, the body in r. */
static long move(struct client *c, const char *pw, const char *current, const char *code,
		 struct http_result *r)
{
	char *csrf = client_csrf(c, "/account");
	char body[400];
	snprintf(body, sizeof body, "csrf=%s&password=%s&current=%s&code=%s", csrf ? csrf : "",
		 pw, current ? current : "", code);
	free(csrf);
	assert_int_equal(client_post(c, "/account/2fa", body, r), 0);
	return r->status;
}

static void test_move_to_a_new_phone(void **state)
{
	(void)state;
	struct http_result r;
	char code[7], cur[7];
	/* ivo signs in the first time and enrols: the old secret and codes */
	struct client *c = client_new(&srv);
	assert_int_equal(password_step(c, "ivo", &r), 303);
	http_result_free(&r);
	assert_int_equal(client_get(c, "/account/2fa", &r), 0);
	char *old = text_between(r.body, "<code class=\"utrecht-code\">", "</code>");
	char *csrf = html_input_value(r.body, "csrf");
	http_result_free(&r);
	if (!old || !csrf) {
		fail_msg("no enrolment page");
		return;
	}
	assert_int_equal(totp_code(old, time(NULL), code), 0);
	char body[400];
	snprintf(body, sizeof body, "csrf=%s&password=%s&code=%s", csrf, PW_URL, code);
	free(csrf);
	assert_int_equal(client_post(c, "/account/2fa", body, &r), 0);
	assert_int_equal(r.status, 200);
	char oldrec[NCODES][32];
	assert_int_equal(recovery_codes(r.body, oldrec), NCODES);
	http_result_free(&r);
	assert_int_equal(client_set_lang(c, "en"), 0);
	/* a second browser, signed in with a recovery code */
	struct client *c2 = client_new(&srv);
	assert_int_equal(password_step(c2, "ivo", &r), 303);
	http_result_free(&r);
	csrf = client_csrf(c2, "/login/2fa");
	snprintf(body, sizeof body, "csrf=%s&code=%s", csrf ? csrf : "", oldrec[0]);
	free(csrf);
	assert_int_equal(client_post(c2, "/login/2fa", body, &r), 0);
	assert_int_equal(r.status, 303);
	http_result_free(&r);

	/* the account page offers the move */
	assert_int_equal(client_get(c, "/account", &r), 0);
	assert_true(has(r.body, "href=\"/account/2fa\""));
	assert_true(has(r.body, "move it to a new phone or get new recovery codes"));
	http_result_free(&r);
	assert_int_equal(client_get(c, "/account/2fa", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.body, "Move two-step sign-in to a new phone"));
	assert_true(has(r.body, "name=\"current\""));
	char *new = text_between(r.body, "<code class=\"utrecht-code\">", "</code>");
	http_result_free(&r);
	if (!new) {
		fail_msg("no new secret shown");
		return;
	}
	assert_string_not_equal(new, old);

	/* refusals: each leaves everything as it was. The old app's code is
	 * taken one step ahead: the enrolment used the current step. */
	assert_int_equal(totp_code(new, time(NULL), code), 0);
	assert_int_equal(totp_code(old, time(NULL) + 30, cur), 0);
	assert_int_equal(move(c, "wrongwrongwrong", cur, code, &r), 400);
	assert_true(has(r.body, "Your password is not right."));
	http_result_free(&r);
	assert_int_equal(move(c, PW_URL, strcmp(cur, "000000") ? "000000" : "111111", code, &r),
			 400);
	assert_true(has(r.body, "recovery code is not right"));
	http_result_free(&r);
	assert_int_equal(move(c, PW_URL, oldrec[0], code, &r), 400); /* used already */
	assert_true(has(r.body, "recovery code is not right"));
	http_result_free(&r);
	assert_int_equal(move(c, PW_URL, NULL, code, &r), 400);
	assert_true(has(r.body, "Fill in your password, the code from your current app"));
	http_result_free(&r);
	assert_int_equal(move(c, PW_URL, cur, strcmp(code, "000000") ? "000000" : "111111", &r),
			 400);
	assert_true(has(r.body, "That code is not right."));
	http_result_free(&r);
	assert_int_equal(q1("SELECT count(*) FROM audit_log WHERE action = 'account.totp_move'"), 0);
	assert_int_equal(q1("SELECT count(*) FROM recovery_code r JOIN account a ON "
			    "a.id = r.account_id WHERE a.username = 'ivo' AND r.used_at IS NULL"),
			 NCODES - 1);
	assert_int_equal(q1("SELECT count(*) FROM session s JOIN account a ON a.id = s.account_id "
			    "WHERE a.username = 'ivo'"), 2);

	/* the move, confirmed with an old recovery code */
	assert_int_equal(move(c, PW_URL, oldrec[1], code, &r), 200);
	char newrec[NCODES][32];
	assert_int_equal(recovery_codes(r.body, newrec), NCODES);
	http_result_free(&r);
	assert_int_equal(q1("SELECT count(*) FROM audit_log WHERE action = 'account.totp_move'"), 1);
	/* this browser goes on; the other one was signed out */
	assert_int_equal(client_get(c, "/account", &r), 0);
	assert_int_equal(r.status, 200);
	http_result_free(&r);
	assert_int_equal(client_get(c2, "/account", &r), 0);
	assert_int_equal(r.status, 303);
	http_result_free(&r);

	/* the old app and the old recovery codes open nothing; the new do */
	assert_int_equal(totp_code(old, time(NULL) + 30, cur), 0);
	assert_int_equal(sign_in_with(cur), 401);
	assert_int_equal(sign_in_with(oldrec[2]), 401);
	assert_int_equal(sign_in_with(newrec[0]), 303);
	assert_int_equal(totp_code(new, time(NULL) + 30, code), 0);
	assert_int_equal(sign_in_with(code), 303);
	free(old);
	free(new);
	client_free(c2);
	client_free(c);
}

/* with 2FA off, /account/2fa is still the first set-up, without a current code */
static void test_off_is_set_up(void **state)
{
	(void)state;
	struct client *c = client_new(&srv);
	struct http_result r;
	assert_int_equal(client_sign_in(c, "otto", PW, NULL, NULL), 0);
	assert_int_equal(client_set_lang(c, "en"), 0);
	assert_int_equal(client_get(c, "/account", &r), 0);
	assert_true(has(r.body, "set it up"));
	assert_false(has(r.body, "move it to a new phone"));
	http_result_free(&r);
	assert_int_equal(client_get(c, "/account/2fa", &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(has(r.body, "Set up two-step sign-in"));
	assert_false(has(r.body, "name=\"current\""));
	http_result_free(&r);
	client_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_move_to_a_new_phone),
		cmocka_unit_test(test_off_is_set_up),
	};
	return cmocka_run_group_tests_name("http_account_2fa", tests, setup, teardown);
}
