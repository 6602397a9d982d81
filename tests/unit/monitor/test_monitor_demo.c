/* test_monitor_demo.c: the demo history of reports (src/monitor/demo.c) on
 * the shipped data/demo/report-history.json and organisations, as `probity
 * demo` loads them. The rows are the purge's shape (no body, no key); every
 * report lies at the department valid on the day it was received (EZK
 * before the split, EZ and KGG after) and within the years 2021 to last
 * year; the counts of migration 0017 agree with the rows (the triggers saw
 * every insert); last year every department of today has reports, a small
 * one fewer than 5, and most clocks ended on time, some late; the late
 * shares fall over the years. A malformed file, an unknown department or a
 * department named twice writes nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "monitor/demo.h"
#include "monitor/store.h"
#include "orgs/orgs.h"
#include "store/testutil.h"

#define TODAY "2026-11-30"

static struct testfx F;

static int setup(void **state)
{
	(void)state;
	char err[1024];
	testfx_open(&F);
	if (orgs_import_file(F.db, &F.signer, "test", SRCDIR "/data/demo/organisations.json", err,
			     sizeof err) != 0) {
		fprintf(stderr, "demo organisations: %s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	testfx_close(&F);
	return 0;
}

static int64_t q(const char *sql)
{
	return testdb_i64(F.db, sql); /* fails the test naming the SQL and the error */
}

#define HEAD "{\"format\":\"probity-demo-report-history\",\"version\":1,\"seed\":1," \
	     "\"from\":\"2021-01-01\",\"questionnaire\":{\"id\":\"melding\",\"revision\":1}," \
	     "\"kinds\":{\"integrity_violation\":1,\"wrongdoing\":1,\"unwanted_behaviour\":1}," \
	     "\"improvement\":0,"
#define MODES "\"modes\":{\"open\":1,\"confidential\":1,\"anonymous\":1},"
#define FIN "{\"org\":\"FIN\",\"per_year\":10,\"ack_late\":10,\"feedback_late\":10}"

static void test_refused_writes_nothing(void **state)
{
	(void)state;
	struct mon_demo_summary s;
	char err[700];
	const char *bad[] = {
		HEAD MODES "\"departments\":[" FIN ",{\"org\":\"NOPE\",\"per_year\":1,"
		"\"ack_late\":0,\"feedback_late\":0}]}",
		HEAD MODES "\"departments\":[" FIN "," FIN "]}",
		HEAD MODES "\"departments\":[{\"org\":\"FIN\",\"per_year\":0,\"ack_late\":0,"
		"\"feedback_late\":0}]}",
		HEAD MODES "\"departments\":[{\"org\":\"FIN\",\"per_year\":1,\"ack_late\":101,"
		"\"feedback_late\":0}]}",
		HEAD "\"modes\":{\"open\":0,\"confidential\":0,\"anonymous\":0},\"departments\":["
		FIN "]}",
		HEAD MODES "\"departments\":[]}",
		HEAD MODES "\"departments\":[" FIN "],\"extra\":1}",
		/* a unit is not a department */
		HEAD MODES "\"departments\":[{\"org\":\"RWS\",\"per_year\":1,\"ack_late\":0,"
		"\"feedback_late\":0}]}",
	};
	const char *why[] = {"departments[1]: org must be the code of a department",
			     "departments[1]: names a department a second time",
			     "per_year must be a whole number from 1", "ack_late",
			     "modes: the weights must not all be 0", "departments: must list",
			     "extra", "departments[0]: org must be the code of a department"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(mon_import_demo(F.db, &F.signer, "test", bad[i], strlen(bad[i]),
						 TODAY, &s, err, sizeof err), -1);
		if (!strstr(err, why[i]))
			fail_msg("case %zu: %s", i, err);
	}
	assert_int_equal(q("SELECT count(*) FROM report"), 0);
	assert_int_equal(q("SELECT count(*) FROM audit_log WHERE action = "
			   "'report.history-import'"), 0);
}

/* Reports of department code (as it is today, or any version) received in
 * year whose clock clause holds. */
static int64_t count(const char *code, int year, const char *clause)
{
	char sql[600];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM report r JOIN org o ON o.id = r.org_id "
		 "WHERE o.code = '%s' AND r.received_on LIKE '%d-%%' AND (%s)", code, year, clause);
	return q(sql);
}

#define ACK_LATE "acknowledged_on > date(received_on, '+7 days')"

static void test_shipped_history(void **state)
{
	(void)state;
	struct mon_demo_summary s;
	char err[1024];
	if (mon_import_demo_file(F.db, &F.signer, "test", SRCDIR "/data/demo/report-history.json",
				 TODAY, &s, err, sizeof err) != 0) {
		fail_msg("%s", err);
		return;
	}
	assert_int_equal(s.departments, 17);
	assert_true(s.reports > 1000);
	assert_int_equal(q("SELECT count(*) FROM report"), (int64_t)s.reports);
	assert_true(strcmp(s.first, "2021-01-01") >= 0 && strncmp(s.first, "2021-01", 7) == 0);
	assert_true(strcmp(s.last, "2025-12-31") <= 0 && strncmp(s.last, "2025-12", 7) == 0);
	/* the purge's shape: nothing of content, no key to any holder */
	assert_int_equal(q("SELECT count(*) FROM report WHERE length(body) <> 0 OR "
			   "length(receipt_lookup) <> 32 OR length(receipt_salt) <> 16"), 0);
	assert_int_equal(q("SELECT count(*) FROM report_key"), 0);
	/* the clocks in order, nothing after today, every report handed over */
	assert_int_equal(q("SELECT count(*) FROM report WHERE acknowledged_on IS NULL OR "
			   "feedback_on IS NULL OR handed_over_on IS NULL OR acknowledged_on < "
			   "received_on OR handed_over_on < acknowledged_on OR feedback_on < "
			   "handed_over_on OR feedback_on > '" TODAY "'"), 0);
	/* at the department as it was on the day: EZK before the split only */
	assert_int_equal(q("SELECT count(*) FROM report r JOIN org o ON o.id = r.org_id WHERE "
			   "o.kind <> 'department' OR r.received_on < o.valid_from OR "
			   "(o.valid_to IS NOT NULL AND r.received_on >= o.valid_to)"), 0);
	assert_true(count("EZK", 2023, "1 = 1") > 5);
	assert_int_equal(count("EZK", 2025, "1 = 1"), 0);
	assert_int_equal(count("KGG", 2023, "1 = 1"), 0);
	/* the triggers counted every row: the kept counts equal a rebuild */
	long long differ = -1;
	assert_int_equal(monitor_check(F.db, &differ), 0);
	assert_int_equal(differ, 0);
	assert_int_equal(q("SELECT sum(n) FROM monitor_report_count"), (int64_t)s.reports);
	/* last year: every department of today has reports, Defence's too */
	assert_int_equal(q("SELECT count(*) FROM org o WHERE o.kind = 'department' AND "
			   "o.valid_to IS NULL AND NOT EXISTS (SELECT 1 FROM report r WHERE "
			   "r.org_id = o.id AND r.received_on LIKE '2025-%')"), 0);
	/* a small department under the dashboard's threshold of 5 */
	int64_t az = count("AZ", 2025, "1 = 1");
	if (az < 1 || az > 4)
		fail_msg("AZ 2025: %lld reports", (long long)az);
	/* most clocks on time, some late, in a large department */
	int64_t fin = count("FIN", 2025, "1 = 1"), fin_ack_late = count("FIN", 2025, ACK_LATE);
	int64_t fin_fb_on_time = q("SELECT sum(n) FROM monitor_report_count c JOIN org o ON "
				   "o.id = c.org_id WHERE o.code = 'FIN' AND c.year = 2025 AND "
				   "c.feedback = 'on_time'");
	if (fin < 30 || fin_ack_late < 1 || fin_ack_late * 4 > fin || fin_fb_on_time * 3 < fin * 2 ||
	    fin_fb_on_time == fin)
		fail_msg("FIN 2025: %lld reports, %lld acknowledged late, %lld with feedback on time",
			 (long long)fin, (long long)fin_ack_late, (long long)fin_fb_on_time);
	/* the late share falls over the years (all departments) */
	int64_t l21 = q("SELECT 1000 * sum(CASE WHEN ack = 'late' THEN n ELSE 0 END) / sum(n) "
			"FROM monitor_report_count WHERE year = 2021");
	int64_t l25 = q("SELECT 1000 * sum(CASE WHEN ack = 'late' THEN n ELSE 0 END) / sum(n) "
			"FROM monitor_report_count WHERE year = 2025");
	if (!(l21 > l25 && l25 > 0))
		fail_msg("late acknowledgements per mille: 2021 %lld, 2025 %lld", (long long)l21,
			 (long long)l25);
	assert_int_equal(q("SELECT count(*) FROM audit_log WHERE action = "
			   "'report.history-import'"), 17);
	struct audit_report ar;
	int v = audit_verify(F.db, F.key.pk, &ar);
	if (v != 0)
		fail_msg("audit_verify: %d at %lld: %s", v, (long long)ar.bad_seq, ar.reason);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refused_writes_nothing),
		cmocka_unit_test(test_shipped_history),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
