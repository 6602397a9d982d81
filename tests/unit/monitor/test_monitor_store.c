/* test_monitor_store.c: the dashboard's counts (migration 0017, src/monitor/
 * store.c). The triggers keep them as cases, measures and reports are
 * added, changed, closed and deleted: the arithmetic of a few steps by hand,
 * then a few thousand random changes after which the kept counts equal a
 * rebuild from scratch (monitor_check finds no difference, and a rebuild
 * changes nothing). The report view's clocks agree with src/intake/clock.c
 * on generated dates, month ends included. A count changed behind the
 * triggers' back is found by the check and repaired by the rebuild. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/date.h"
#include "intake/clock.h"
#include "monitor/store.h"
#include "orgs/orgs.h"
#include "store/testutil.h"

static struct testfx F;

static int setup(void **state)
{
	(void)state;
	testfx_open(&F);
	testfx_add_org(&F, "RIJK", NULL, ORG_GOVERNMENT);
	testfx_add_org(&F, "FIN", "RIJK", -1);
	testfx_add_org(&F, "FIN-DGB", "FIN", -1);
	testfx_add_org(&F, "BZK", "RIJK", -1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	testfx_close(&F);
	return 0;
}

static int64_t org(const char *code)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT id FROM org WHERE code = '%s'", code);
	return testdb_i64(F.db, sql);
}

static int64_t add_case(int64_t org_id, const char *opened)
{
	char sql[512];
	snprintf(sql, sizeof sql,
		 "INSERT INTO case_file (org_id, protocol, protocol_revision, phase,"
		 " phase_started_on, opened_on, opened_at, summary_key) VALUES (%lld,"
		 " 'onderzoeksprotocol', 1, 'intake', '%s', '%s', '%sT09:00:00Z', X'')"
		 " RETURNING id",
		 (long long)org_id, opened, opened, opened);
	return testdb_i64(F.db, sql);
}

static int64_t add_report(int64_t org_id, const char *kind, const char *received,
			  const char *ack, const char *fb)
{
	char sql[700], a[32], f[32];
	snprintf(a, sizeof a, ack ? "'%s'" : "NULL", ack ? ack : "");
	snprintf(f, sizeof f, fb ? "'%s'" : "NULL", fb ? fb : "");
	snprintf(sql, sizeof sql,
		 "INSERT INTO report (org_id, kind, mode, questionnaire, questionnaire_revision,"
		 " received_on, received_at, acknowledged_on, feedback_on, receipt_lookup,"
		 " receipt_salt, body) VALUES (%lld, '%s', 'anonymous', 'q', 1, '%s',"
		 " '%sT10:00:00Z', %s, %s, randomblob(32), randomblob(16), X'') RETURNING id",
		 (long long)org_id, kind, received, received, a, f);
	return testdb_i64(F.db, sql);
}

static int64_t count_of(const char *where)
{
	char sql[400];
	snprintf(sql, sizeof sql, "SELECT coalesce(sum(n), 0) FROM monitor_case_count WHERE %s",
		 where);
	return testdb_i64(F.db, sql);
}

static void agree(void)
{
	long long differ = -1;
	assert_int_equal(monitor_check(F.db, &differ), 0);
	assert_int_equal(differ, 0);
}

static void by_hand(void **state)
{
	(void)state;
	int64_t fin = org("FIN"), dgb = org("FIN-DGB"), bzk = org("BZK");
	int64_t c1 = add_case(dgb, "2024-03-01");
	int64_t c2 = add_case(fin, "2024-11-30");
	add_case(bzk, "2023-05-05");
	assert_int_equal(count_of("year = 2024"), 2);
	assert_int_equal(count_of("year = 2024 AND closed = 0 AND outcome = ''"), 2);
	assert_int_equal(count_of("year = 2023"), 1);

	/* the outcome recorded, then closed: the case moves, it is not added */
	char sql[400];
	snprintf(sql, sizeof sql,
		 "UPDATE case_file SET outcome = 'established', category = '2',"
		 " taxonomy = 'schendingen', taxonomy_revision = 1, police_report = 1"
		 " WHERE id = %lld",
		 (long long)c1);
	testdb_exec(F.db, sql);
	assert_int_equal(count_of("year = 2024"), 2);
	assert_int_equal(count_of("year = 2024 AND outcome = 'established' AND category = '2'"
				  " AND police_report = 1 AND closed = 0"),
			 1);
	snprintf(sql, sizeof sql, "UPDATE case_file SET closed_on = '2024-12-01' WHERE id = %lld",
		 (long long)c1);
	testdb_exec(F.db, sql);
	assert_int_equal(count_of("year = 2024 AND closed = 1"), 1);
	assert_int_equal(count_of("year = 2024 AND closed = 0"), 1);
	/* a change of unrelated columns leaves the counts alone */
	snprintf(sql, sizeof sql, "UPDATE case_file SET phase = 'closed' WHERE id = %lld",
		 (long long)c1);
	testdb_exec(F.db, sql);
	assert_int_equal(count_of("year = 2024"), 2);

	/* measures follow the case */
	snprintf(sql, sizeof sql,
		 "INSERT INTO case_measure (case_id, code) VALUES (%lld, 'written_reprimand'),"
		 " (%lld, 'suspension'), (%lld, 'written_reprimand')",
		 (long long)c1, (long long)c1, (long long)c2);
	testdb_exec(F.db, sql);
	assert_int_equal(testdb_i64(F.db, "SELECT sum(n) FROM monitor_measure_count WHERE year ="
					  " 2024 AND code = 'written_reprimand'"),
			 2);
	snprintf(sql, sizeof sql, "DELETE FROM case_measure WHERE case_id = %lld", (long long)c1);
	testdb_exec(F.db, sql);
	assert_int_equal(testdb_i64(F.db, "SELECT sum(n) FROM monitor_measure_count WHERE year ="
					  " 2024"),
			 1);
	/* a case moved to another year takes its measures along */
	snprintf(sql, sizeof sql, "UPDATE case_file SET opened_on = '2025-01-02' WHERE id = %lld",
		 (long long)c2);
	testdb_exec(F.db, sql);
	assert_int_equal(testdb_i64(F.db, "SELECT sum(n) FROM monitor_measure_count WHERE year ="
					  " 2025"),
			 1);
	assert_int_equal(count_of("year = 2025"), 1);
	assert_int_equal(count_of("year = 2024"), 1);

	/* reports: the clocks' ends */
	int64_t r = add_report(fin, "wrongdoing", "2023-01-24", "2023-01-31", "2023-04-30");
	add_report(fin, "wrongdoing", "2023-01-24", "2023-02-01", NULL);
	assert_int_equal(testdb_i64(F.db, "SELECT sum(n) FROM monitor_report_count WHERE year ="
					  " 2023 AND ack = 'on_time' AND feedback = 'on_time'"),
			 1);
	assert_int_equal(testdb_i64(F.db, "SELECT sum(n) FROM monitor_report_count WHERE year ="
					  " 2023 AND ack = 'late' AND feedback = 'none'"),
			 1);
	snprintf(sql, sizeof sql, "UPDATE report SET feedback_on = '2023-05-01' WHERE id = %lld",
		 (long long)r);
	testdb_exec(F.db, sql);
	assert_int_equal(testdb_i64(F.db, "SELECT sum(n) FROM monitor_report_count WHERE year ="
					  " 2023 AND feedback = 'late'"),
			 1);
	agree();
}

/* ---- random changes against a rebuild ---- */

static uint64_t rng = 0x243f6a8885a308d3ULL;

static unsigned pick(unsigned n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (unsigned)((rng * 0x2545f4914f6cdd1dULL) >> 33) % n;
}

static void random_date(char out[DATE_LEN + 1])
{
	snprintf(out, DATE_LEN + 1, "%04u-%02u-%02u", 2019 + pick(7), 1 + pick(12), 1 + pick(28));
}

static void random_changes(void **state)
{
	(void)state;
	static const char *const orgs[] = {"FIN", "FIN-DGB", "BZK"};
	static const char *const kinds[] = {"integrity_violation", "wrongdoing",
					    "unwanted_behaviour"};
	static const char *const outcomes[] = {"'established'", "'partly'",
					       "'not_established'", "NULL"};
	static const char *const codes[] = {"written_reprimand", "suspension", "dismissal"};
	int64_t cases[400], reports[400];
	size_t nc = 0, nr = 0;
	char sql[700], d[DATE_LEN + 1], d2[DATE_LEN + 1];
	testdb_exec(F.db, "BEGIN");
	for (int i = 0; i < 3000; i++) {
		random_date(d);
		switch (pick(9)) {
		case 0:
			if (nc < 400)
				cases[nc++] = add_case(org(orgs[pick(3)]), d);
			break;
		case 1:
			if (nr < 400) {
				date_add_days(d, pick(20), d2);
				reports[nr++] = add_report(org(orgs[pick(3)]), kinds[pick(3)], d,
							   pick(3) ? d2 : NULL, NULL);
			}
			break;
		case 2:
			if (nc) {
				const char *o = outcomes[pick(4)];
				int none = strcmp(o, "NULL") == 0;
				snprintf(sql, sizeof sql,
					 "UPDATE case_file SET outcome = %s, category = %s, taxonomy = %s,"
					 " taxonomy_revision = %s, police_report = %s WHERE id = %lld",
					 o, none ? "NULL" : pick(2) ? "'1'" : "'6'",
					 none ? "NULL" : "'schendingen'", none ? "NULL" : "1",
					 none ? "NULL" : pick(2) ? "1" : "0",
					 (long long)cases[pick((unsigned)nc)]);
				testdb_exec(F.db, sql);
			}
			break;
		case 3:
			if (nc) {
				snprintf(sql, sizeof sql,
					 "UPDATE case_file SET closed_on = CASE WHEN closed_on IS NULL"
					 " THEN opened_on ELSE NULL END WHERE id = %lld",
					 (long long)cases[pick((unsigned)nc)]);
				testdb_exec(F.db, sql);
			}
			break;
		case 4:
			if (nc) {
				snprintf(sql, sizeof sql,
					 "INSERT OR IGNORE INTO case_measure (case_id, code) VALUES"
					 " (%lld, '%s')",
					 (long long)cases[pick((unsigned)nc)], codes[pick(3)]);
				testdb_exec(F.db, sql);
			}
			break;
		case 5:
			if (nc) {
				snprintf(sql, sizeof sql,
					 "DELETE FROM case_measure WHERE case_id = %lld AND code = '%s'",
					 (long long)cases[pick((unsigned)nc)], codes[pick(3)]);
				testdb_exec(F.db, sql);
			}
			break;
		case 6:
			if (nc) {
				/* moved: another organisation and day (closed_on kept valid) */
				snprintf(sql, sizeof sql,
					 "UPDATE case_file SET org_id = %lld, opened_on = '%s',"
					 " closed_on = CASE WHEN closed_on IS NULL THEN NULL ELSE '%s' END"
					 " WHERE id = %lld",
					 (long long)org(orgs[pick(3)]), d, d,
					 (long long)cases[pick((unsigned)nc)]);
				testdb_exec(F.db, sql);
			}
			break;
		case 7:
			if (nr) {
				int64_t id = reports[pick((unsigned)nr)];
				snprintf(sql, sizeof sql,
					 "UPDATE report SET feedback_on = date(received_on, '+%u days')"
					 " WHERE id = %lld",
					 60 + pick(80), (long long)id);
				testdb_exec(F.db, sql);
			}
			break;
		default:
			if (nr) {
				int64_t id = reports[pick((unsigned)nr)];
				snprintf(sql, sizeof sql,
					 "UPDATE report SET acknowledged_on = date(received_on, '+%u days'),"
					 " kind = '%s' WHERE id = %lld",
					 pick(15), kinds[pick(3)], (long long)id);
				testdb_exec(F.db, sql);
			}
			break;
		}
	}
	testdb_exec(F.db, "COMMIT");
	assert_true(testdb_i64(F.db, "SELECT count(*) FROM monitor_case_count WHERE n > 0") > 10);
	agree();
	/* a rebuild finds the same counts */
	int64_t before = testdb_i64(F.db, "SELECT sum(n * year) + sum(n * org_id) FROM"
					  " monitor_case_count");
	long long rows[MONITOR_NTABLES];
	assert_int_equal(monitor_rebuild(F.db, rows), 0);
	assert_int_equal(rows[0], testdb_i64(F.db, "SELECT count(*) FROM monitor_case_count"));
	assert_int_equal(before, testdb_i64(F.db, "SELECT sum(n * year) + sum(n * org_id) FROM"
						  " monitor_case_count"));
	agree();
	assert_int_equal(testdb_i64(F.db, "SELECT sum(n) FROM monitor_case_count"),
			 testdb_i64(F.db, "SELECT count(*) FROM case_file"));
	assert_int_equal(testdb_i64(F.db, "SELECT sum(n) FROM monitor_report_count"),
			 testdb_i64(F.db, "SELECT count(*) FROM report"));
	assert_int_equal(testdb_i64(F.db, "SELECT sum(n) FROM monitor_measure_count"),
			 testdb_i64(F.db, "SELECT count(*) FROM case_measure"));
}

/* A count changed behind the triggers' back: found, and repaired. */
static void tampered(void **state)
{
	(void)state;
	add_case(org("BZK"), "2022-02-02");
	testdb_exec(F.db, "UPDATE monitor_case_count SET n = n + 3 WHERE year = 2022");
	long long differ = 0;
	assert_int_equal(monitor_check(F.db, &differ), 0);
	assert_true(differ > 0);
	assert_int_equal(monitor_rebuild(F.db, NULL), 0);
	agree();
	assert_int_equal(count_of("year = 2022"), 1);
}

/* The view's "on time" is intake/clock.h's, day for day. */
static void clocks_agree(void **state)
{
	(void)state;
	int64_t fin = org("FIN");
	char rec[DATE_LEN + 1], ack[DATE_LEN + 1], fb[DATE_LEN + 1];
	char ack_due[DATE_LEN + 1], fb_due[DATE_LEN + 1];
	testdb_exec(F.db, "BEGIN");
	for (int i = 0; i < 600; i++) {
		/* month ends and leap days on purpose */
		static const char *const days[] = {"2024-01-31", "2023-11-30", "2024-02-29",
						   "2023-08-31", "2023-12-25"};
		if (i % 3 == 0)
			snprintf(rec, sizeof rec, "%s", days[pick(5)]);
		else
			random_date(rec);
		int acked = pick(4) != 0;
		date_add_days(rec, pick(12), ack);
		assert_int_equal(intake_feedback_due(rec, acked ? ack : NULL, fb_due), 0);
		date_add_days(fb_due, (int)pick(5) - 2, fb);
		int64_t id = add_report(fin, "wrongdoing", rec, acked ? ack : NULL, fb);
		assert_int_equal(intake_ack_due(rec, ack_due), 0);
		char sql[300];
		snprintf(sql, sizeof sql,
			 "SELECT CASE WHEN ack = 'on_time' THEN 2 ELSE 0 END + CASE WHEN "
			 "feedback = 'on_time' THEN 1 ELSE 0 END FROM"
			 " monitor_report_key WHERE id = %lld",
			 (long long)id);
		int64_t got = testdb_i64(F.db, sql);
		int want = (acked && strcmp(ack, ack_due) <= 0) * 2 + (strcmp(fb, fb_due) <= 0);
		if (got != want)
			fail_msg("received %s acknowledged %s feedback %s (due %s): view %lld, clock %d",
				 rec, acked ? ack : "-", fb, fb_due, (long long)got, want);
	}
	testdb_exec(F.db, "COMMIT");
	agree();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(by_hand, setup, teardown),
		cmocka_unit_test_setup_teardown(random_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(tampered, setup, teardown),
		cmocka_unit_test_setup_teardown(clocks_agree, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
