/* test_cases_remind.c: the e-mail reminders (src/cases/remind.c) against a
 * real database and an SMTP sink on a loopback port (smtpsink.c): what is
 * counted as overdue and due within 3 days (case phases by the protocol's
 * term, the inbox's acknowledgements and feedback), one message per account
 * with an address and something due, with the right counts and the link and
 * NOTHING else: no case or report number, no organisation, no name, no
 * phase, no date; the day recorded so that a second run sends nothing (and
 * --again does); a refused recipient counted and the others still sent; a
 * mail server that is not there; a dry run that sends and writes nothing;
 * incomplete settings; the audit entry of a run; the message's form (CRLF,
 * headers, the Dutch half only when translated). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <sodium.h>

#include "accounts/email.h"
#include "base/date.h"
#include "cases/dataset.h"
#include "cases/remind.h"
#include "casesfx.h"
#include "smtpsink.h"
#include "web/i18n.h"

#define URL "https://probity.example.nl"
#define FROM "probity@example.nl"

static void set_email(struct cfx *f, int who, const char *email)
{
	struct account_error e;
	if (accounts_set_email(f->t.db, &f->t.signer, "cli:test", f->ids[who], email, NULL, &e) != 0)
		fail_msg("email of %s: %s", cfx_users[who], e.msg);
}

static void days_ago(struct cfx *f, int n, char out[DATE_LEN + 1])
{
	assert_int_equal(date_add_days(f->today, -n, out), 0);
}

static int64_t report_on(struct cfx *f, const char *received_on)
{
	const char *answers = "{\"what\":\"REMIND-CONTENT-MARK\"}";
	struct intake_submission s = {.org_code = "FIN", .kind = "integrity_violation",
				      .mode = "anonymous", .questionnaire = "melding",
				      .questionnaire_revision = 1, .answers = answers,
				      .answers_len = strlen(answers), .received_on = received_on};
	char receipt[RECEIPT_SHOWN_SIZE];
	struct intake_error e;
	int64_t id = 0;
	if (intake_submit(f->t.db, &f->t.signer, &s, receipt, &id, &e) != 0)
		fail_msg("submit: %s", e.msg);
	sodium_memzero(receipt, sizeof receipt);
	return id;
}

/* A FIN report received 25 days ago in a case opened 20 days ago (its
 * first phase's term has run out), with INV_FIN on the team; a FIN report
 * received 5 days ago, not acknowledged (due in 2 days). */
struct world {
	int64_t old_report, new_report, case_id;
	int phase_overdue;   /* the first phase has a term shorter than 20 days */
};

static void build(struct cfx *f, struct world *w)
{
	char d25[DATE_LEN + 1], d20[DATE_LEN + 1], d5[DATE_LEN + 1];
	struct cases_error e;
	struct cases_key k;
	days_ago(f, 25, d25);
	days_ago(f, 20, d20);
	days_ago(f, 5, d5);
	w->old_report = report_on(f, d25);
	w->new_report = report_on(f, d5);
	if (cases_open(f->t.db, &f->t.signer, f->ids[COORD_FIN], cfx_sk(f, COORD_FIN),
		       &w->old_report, 1, NULL, d20, &w->case_id, &e) != 0)
		fail_msg("open: %s", e.msg);
	cfx_key(f, w->case_id, COORD_FIN, &k);
	if (cases_member_add(f->t.db, &f->t.signer, &k, f->ids[COORD_FIN], f->ids[INV_FIN],
			     "investigator", d20, &e) != 0)
		fail_msg("member: %s", e.msg);
	cases_key_wipe(&k);
	int term = cases_data_protocol()->phases[0].term_days;
	w->phase_overdue = term > 0 && term < 20;
	assert_true(w->phase_overdue);  /* the shipped protocol's intake: 14 days */
}

static void test_counts(void **state)
{
	struct cfx *f = *state;
	struct world w;
	struct cases_remind_counts c;
	build(f, &w);
	/* the coordinator: the case overdue; the old report's acknowledgement
	 * overdue (due 18 days ago), the new one's due in 2 days */
	assert_int_equal(cases_remind_count(f->t.db, f->ids[COORD_FIN], f->today, &c), 0);
	assert_int_equal(c.cases_overdue, 1);
	assert_int_equal(c.cases_soon, 0);
	assert_int_equal(c.reports_overdue, 1);
	assert_int_equal(c.reports_soon, 1);
	assert_int_equal(cases_remind_any(&c), 1);
	/* the investigator holds no report key: the case only */
	assert_int_equal(cases_remind_count(f->t.db, f->ids[INV_FIN], f->today, &c), 0);
	assert_int_equal(c.cases_overdue, 1);
	assert_int_equal(c.reports_overdue + c.reports_soon + c.cases_soon, 0);
	/* a BZK coordinator has nothing */
	assert_int_equal(cases_remind_count(f->t.db, f->ids[COORD_BZK], f->today, &c), 0);
	assert_int_equal(cases_remind_any(&c), 0);
	/* acknowledged: the old report's clock is met; feedback is months away */
	struct intake_error ie;
	assert_int_equal(intake_acknowledge(f->t.db, &f->t.signer, w.old_report, f->ids[COORD_FIN],
					    f->today, &ie), 0);
	assert_int_equal(cases_remind_count(f->t.db, f->ids[COORD_FIN], f->today, &c), 0);
	assert_int_equal(c.reports_overdue, 0);
	assert_int_equal(c.reports_soon, 1);
	/* the new report's acknowledgement is due in 2 days; counted as if
	 * today were a day earlier (due in 3: within 3 days) and two days
	 * earlier (due in 4: not yet) */
	char earlier[DATE_LEN + 1];
	days_ago(f, 1, earlier);
	assert_int_equal(cases_remind_count(f->t.db, f->ids[COORD_FIN], earlier, &c), 0);
	assert_int_equal(c.reports_soon, 1);
	days_ago(f, 2, earlier);
	assert_int_equal(cases_remind_count(f->t.db, f->ids[COORD_FIN], earlier, &c), 0);
	assert_int_equal(c.reports_soon, 0);
}

static int has(const struct smtp_mail *m, const char *needle)
{
	return strstr(m->data, needle) != NULL;
}

/* What a reminder must never hold, whatever the counts. */
static void nothing_of_the_case(struct cfx *f, const struct world *w, const struct smtp_mail *m)
{
	char path[64], d[DATE_LEN + 1];
	/* links into a case or a report, not the Dutch words for cases and
	 * reports, which the counts themselves use ("fasen van zaken") */
	static const char *const never[] = {"FIN", "REMIND-CONTENT-MARK", "intake", "/zaken",
					    "/meldingen", "Coördinator", "Onderzoeker", "coord.fin",
					    "inv.fin"};
	for (size_t i = 0; i < sizeof never / sizeof *never; i++)
		if (has(m, never[i]))
			fail_msg("the reminder to %s holds \"%s\":\n%s", m->to, never[i], m->data);
	snprintf(path, sizeof path, "/%lld", (long long)w->case_id);
	assert_false(has(m, path));
	/* no date of the case or the reports: not the due dates, not the
	 * receipt dates; the Date header is the only date, in its own form */
	for (int k = -30; k <= 120; k++) {
		assert_int_equal(date_add_days(f->today, k, d), 0);
		if (has(m, d))
			fail_msg("the reminder holds the date %s", d);
	}
}

static void test_run_sends_counts_only(void **state)
{
	struct cfx *f = *state;
	struct world w;
	struct smtp_sink s = {0};
	struct cases_remind_result r;
	char url[64], err[300];
	build(f, &w);
	set_email(f, COORD_FIN, "coord@example.nl");
	set_email(f, INV_FIN, "inv@example.nl");
	set_email(f, COORD_BZK, "bzk@example.nl");   /* nothing due: no message */
	assert_int_equal(smtp_sink_start(&s), 0);
	snprintf(url, sizeof url, "smtp://127.0.0.1:%d", s.port);
	struct cases_remind_settings set = {url, FROM, URL, f->today, 0, 0};
	int64_t audits = cfx_q(f, "SELECT count(*) FROM audit_log");
	assert_int_equal(cases_remind_run(f->t.db, &f->t.signer, "cli:test", &set, &r, err,
					  sizeof err), 0);
	assert_int_equal(r.mailboxes, 3);
	assert_int_equal(r.due, 2);
	assert_int_equal(r.sent, 2);
	assert_int_equal(r.failed, 0);
	assert_int_equal(r.nlines, 2);
	assert_string_equal(r.lines[0].username, "coord.fin");
	assert_int_equal(r.lines[0].sent, 1);
	cases_remind_result_free(&r);
	assert_int_equal(smtp_sink_count(&s), 2);
	const struct smtp_mail *mc = &s.mail[0], *mi = &s.mail[1];
	assert_string_equal(mc->to, "coord@example.nl");
	assert_string_equal(mc->from, FROM);
	assert_string_equal(mi->to, "inv@example.nl");
	assert_true(has(mc, "case phases overdue: 1\r\n"));
	assert_true(has(mc, "case phases due within 3 days: 0\r\n"));
	assert_true(has(mc, "report deadlines overdue (acknowledgement of receipt, feedback): 1\r\n"));
	assert_true(has(mc, "report deadlines due within 3 days: 1\r\n"));
	assert_true(has(mc, URL "/termijnen"));
	assert_true(has(mi, "case phases overdue: 1\r\n"));
	assert_true(has(mi, "report deadlines due within 3 days: 0\r\n"));
	assert_true(has(mc, "To: <coord@example.nl>\r\n"));
	assert_true(has(mc, "Auto-Submitted: auto-generated\r\n"));
	if (getenv("REMIND_SHOW"))
		fprintf(stderr, "%s\n", mc->data);
	nothing_of_the_case(f, &w, mc);
	nothing_of_the_case(f, &w, mi);
	/* the day is recorded, and the run audited with counts only */
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM account WHERE reminded_on IS NOT NULL"), 2);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log"), audits + 1);
	db_stmt_t *st;
	assert_int_equal(db_prepare(f->t.db, "SELECT actor, detail FROM audit_log WHERE action = "
				    "'reminders.send'", &st), 0);
	assert_int_equal(db_step(st), DB_ROW);
	char want[64];
	snprintf(want, sizeof want, "sent 2 failed 0 on %s", f->today);
	assert_string_equal(db_col_text(st, 0), "cli:test");
	assert_string_equal(db_col_text(st, 1), want);
	db_finalize(st);
	cfx_audit_ok(f);

	/* a second run on the same day sends nothing and writes nothing */
	audits = cfx_q(f, "SELECT count(*) FROM audit_log");
	assert_int_equal(cases_remind_run(f->t.db, &f->t.signer, "cli:test", &set, &r, err,
					  sizeof err), 0);
	assert_int_equal(r.sent, 0);
	assert_int_equal(r.skipped, 2);
	cases_remind_result_free(&r);
	assert_int_equal(smtp_sink_count(&s), 2);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log"), audits);
	/* unless asked to */
	set.again = 1;
	assert_int_equal(cases_remind_run(f->t.db, &f->t.signer, "cli:test", &set, &r, err,
					  sizeof err), 0);
	assert_int_equal(r.sent, 2);
	cases_remind_result_free(&r);
	assert_int_equal(smtp_sink_count(&s), 4);
	/* a disabled account gets nothing */
	struct account_error ae;
	assert_int_equal(accounts_set_disabled(f->t.db, &f->t.signer, "cli:test", f->ids[INV_FIN],
					       1, NULL, &ae), 0);
	assert_int_equal(cases_remind_run(f->t.db, &f->t.signer, "cli:test", &set, &r, err,
					  sizeof err), 0);
	assert_int_equal(r.mailboxes, 2);
	assert_int_equal(r.sent, 1);
	cases_remind_result_free(&r);
	smtp_sink_stop(&s);
}

static void test_failures(void **state)
{
	struct cfx *f = *state;
	struct world w;
	struct smtp_sink s = {0};
	struct cases_remind_result r;
	char url[64], err[300];
	build(f, &w);
	set_email(f, COORD_FIN, "coord@example.nl");
	set_email(f, INV_FIN, "inv@example.nl");
	s.refuse = "coord@example.nl";
	assert_int_equal(smtp_sink_start(&s), 0);
	snprintf(url, sizeof url, "smtp://127.0.0.1:%d", s.port);
	struct cases_remind_settings set = {url, FROM, URL, f->today, 0, 0};
	/* one refused: counted and said, the other still sent, only it recorded */
	assert_int_equal(cases_remind_run(f->t.db, &f->t.signer, "cli:test", &set, &r, err,
					  sizeof err), 0);
	assert_int_equal(r.sent, 1);
	assert_int_equal(r.failed, 1);
	assert_int_equal(r.lines[0].sent, 0);
	assert_true(strlen(r.lines[0].error) > 0);
	assert_int_equal(r.lines[1].sent, 1);
	cases_remind_result_free(&r);
	assert_int_equal(smtp_sink_count(&s), 1);
	assert_string_equal(s.mail[0].to, "inv@example.nl");
	char oid[24];
	snprintf(oid, sizeof oid, "%lld", (long long)f->ids[COORD_FIN]);
	int64_t reminded = -1;
	assert_int_equal(db_query_i64(f->t.db, "SELECT reminded_on IS NOT NULL FROM account WHERE "
				      "id = ?", oid, &reminded), 0);
	assert_int_equal(reminded, 0);
	/* the next run tries the one that failed, not the one sent */
	s.refuse = NULL;
	assert_int_equal(cases_remind_run(f->t.db, &f->t.signer, "cli:test", &set, &r, err,
					  sizeof err), 0);
	assert_int_equal(r.sent, 1);
	assert_int_equal(r.skipped, 1);
	cases_remind_result_free(&r);
	assert_int_equal(smtp_sink_count(&s), 2);
	assert_string_equal(s.mail[1].to, "coord@example.nl");
	int port = s.port;
	smtp_sink_stop(&s);
	/* no server at all: every message fails, none is recorded as sent */
	set.again = 1;
	snprintf(url, sizeof url, "smtp://127.0.0.1:%d", port);
	assert_int_equal(cases_remind_run(f->t.db, &f->t.signer, "cli:test", &set, &r, err,
					  sizeof err), 0);
	assert_int_equal(r.sent, 0);
	assert_int_equal(r.failed, 2);
	cases_remind_result_free(&r);
	cfx_audit_ok(f);
}

static void test_dry_run_and_settings(void **state)
{
	struct cfx *f = *state;
	struct world w;
	struct cases_remind_result r;
	char err[300];
	build(f, &w);
	set_email(f, COORD_FIN, "coord@example.nl");
	int64_t audits = cfx_q(f, "SELECT count(*) FROM audit_log");
	/* a dry run needs no mail settings, sends and writes nothing */
	struct cases_remind_settings dry = {NULL, NULL, NULL, f->today, 1, 0};
	assert_int_equal(cases_remind_run(f->t.db, NULL, "cli:test", &dry, &r, err, sizeof err), 0);
	assert_int_equal(r.due, 1);
	assert_int_equal(r.sent, 0);
	assert_int_equal(r.lines[0].counts.cases_overdue, 1);
	cases_remind_result_free(&r);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log"), audits);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM account WHERE reminded_on IS NOT NULL"), 0);
	/* a real run needs them all, and a sender's address */
	struct cases_remind_settings bad[] = {
		{NULL, FROM, URL, f->today, 0, 0},
		{"smtp://127.0.0.1:1", NULL, URL, f->today, 0, 0},
		{"smtp://127.0.0.1:1", FROM, NULL, f->today, 0, 0},
		{"smtp://127.0.0.1:1", "not an address", URL, f->today, 0, 0},
		{"smtp://127.0.0.1:1", FROM, URL, "2024-02-30", 0, 0},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(cases_remind_run(f->t.db, &f->t.signer, "cli:test", &bad[i], &r, err,
						  sizeof err), -1);
		cases_remind_result_free(&r);
	}
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log"), audits);
}

static void test_email_setting(void **state)
{
	struct cfx *f = *state;
	struct account_error e;
	char out[MAIL_ADDRESS_MAX + 1];
	int changed = 0;
	int64_t audits = cfx_q(f, "SELECT count(*) FROM audit_log");
	assert_int_equal(accounts_set_email(f->t.db, &f->t.signer, "cli:test", f->ids[ADV_FIN],
					    "adv@example.nl", &changed, &e), 0);
	assert_int_equal(changed, 1);
	assert_int_equal(accounts_email(f->t.db, f->ids[ADV_FIN], out), 0);
	assert_string_equal(out, "adv@example.nl");
	/* the same again: nothing written */
	assert_int_equal(accounts_set_email(f->t.db, &f->t.signer, "cli:test", f->ids[ADV_FIN],
					    "adv@example.nl", &changed, &e), 0);
	assert_int_equal(changed, 0);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log"), audits + 1);
	/* the audit entry says that, not what */
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log WHERE action = 'account.email' "
			       "AND detail = 'set'"), 1);
	assert_int_equal(cfx_q(f, "SELECT count(*) FROM audit_log WHERE detail LIKE '%example%'"),
			 0);
	/* refused: not an address (a line break above all), no such account */
	assert_int_equal(accounts_set_email(f->t.db, &f->t.signer, "cli:test", f->ids[ADV_FIN],
					    "a@b\r\nBcc: x@y", &changed, &e), -1);
	assert_int_equal(e.code, ACCOUNT_EINVALID);
	assert_int_equal(accounts_set_email(f->t.db, &f->t.signer, "cli:test", 9999,
					    "x@example.nl", &changed, &e), -1);
	assert_int_equal(e.code, ACCOUNT_ENOTFOUND);
	/* the database refuses what the code would: a line break cannot get in */
	assert_int_equal(db_exec(f->t.db, "UPDATE account SET email = 'a@b' || char(13, 10) || "
				 "'x' WHERE id = 1"), -1);
	/* removed */
	assert_int_equal(accounts_set_email(f->t.db, &f->t.signer, "cli:test", f->ids[ADV_FIN],
					    NULL, &changed, &e), 0);
	assert_int_equal(changed, 1);
	assert_int_equal(accounts_email(f->t.db, f->ids[ADV_FIN], out), 0);
	assert_string_equal(out, "");
	assert_int_equal(accounts_email(f->t.db, 9999, out), 1);
	cfx_audit_ok(f);
}

/* The message's form: CRLF lines, no bare LF, none longer than 998 bytes,
 * none starting with '.', the link whole on its line. */
static void test_message_form(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct cases_remind_counts c = {2, 0, 11, 3};
	cases_remind_message(&b, &c, URL, FROM, "jan@example.nl", 1720000000);
	assert_non_null(strstr(b.p, "Date: Wed, 03 Jul 2024 09:46:40 +0000\r\n"));
	assert_non_null(strstr(b.p, "From: Probity <" FROM ">\r\n"));
	assert_non_null(strstr(b.p, "Message-ID: <"));
	assert_non_null(strstr(b.p, "@example.nl>\r\n"));
	assert_non_null(strstr(b.p, "Content-Type: text/plain; charset=UTF-8\r\n"));
	assert_non_null(strstr(b.p, "\r\n\r\n"));
	assert_non_null(strstr(b.p, "case phases overdue: 2\r\n"));
	assert_non_null(strstr(b.p, "report deadlines due within 3 days: 3\r\n"));
	assert_non_null(strstr(b.p, " " URL "/termijnen\r\n"));
	size_t start = 0;
	for (size_t i = 0; i < b.n; i++) {
		if (b.p[i] != '\n')
			continue;
		assert_true(i > 0 && b.p[i - 1] == '\r');
		assert_true(i - start <= 998);
		assert_true(b.p[start] != '.');
		start = i + 1;
	}
	assert_int_equal(start, b.n);  /* ends with CRLF */
	/* the Subject is ASCII or encoded words */
	const char *subj = strstr(b.p, "Subject: ");
	assert_non_null(subj);
	for (const char *p = subj; *p != '\r'; p++)
		assert_true((unsigned char)*p < 0x80);
	/* Dutch first when the catalogue has it, then English */
	const char *nl = i18n_translate("nl", "Deadlines in Probity need your attention:");
	if (strcmp(nl, "Deadlines in Probity need your attention:") != 0) {
		const char *a = strstr(b.p, nl), *en = strstr(b.p, "Deadlines in Probity");
		assert_non_null(a);
		assert_non_null(en);
		assert_true(a < en);
	} else {
		assert_null(strstr(b.p, "----"));
	}
	buf_free(&b);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, cfx_setup, cfx_teardown)
	const struct CMUnitTest tests[] = {
		T(test_counts),
		T(test_run_sends_counts_only),
		T(test_failures),
		T(test_dry_run_and_settings),
		T(test_email_setting),
		cmocka_unit_test(test_message_form),
	};
	char err[300];
	if (sodium_init() < 0 || cases_data_init(err, sizeof err) != 0 || i18n_init() != 0)
		return 1;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	i18n_free();
	return rc;
}
