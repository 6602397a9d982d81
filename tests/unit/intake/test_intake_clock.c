/* test_intake_clock.c: the legal clocks of a report (src/intake/clock.c):
 * acknowledgement 7 days after receipt; feedback 3 months after the
 * acknowledgement was sent, or 3 months after the 7-day period when none was;
 * month ends, leap years, year boundaries, late acknowledgements, and where
 * each clock stands on a given day. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "intake/clock.h"

static const char *ack(const char *received)
{
	static char out[DATE_LEN + 1];
	memset(out, 'x', sizeof out);
	if (intake_ack_due(received, out) != 0) {
		assert_string_equal(out, "");
		return "ERR";
	}
	return out;
}

static const char *feedback(const char *received, const char *acknowledged)
{
	static char out[DATE_LEN + 1];
	memset(out, 'x', sizeof out);
	if (intake_feedback_due(received, acknowledged, out) != 0) {
		assert_string_equal(out, "");
		return "ERR";
	}
	return out;
}

static void test_ack_due(void **state)
{
	(void)state;
	assert_string_equal(ack("2024-07-02"), "2024-07-09");
	assert_string_equal(ack("2024-02-25"), "2024-03-03"); /* across 29 February */
	assert_string_equal(ack("2023-02-25"), "2023-03-04");
	assert_string_equal(ack("2100-02-25"), "2100-03-04"); /* 2100 is not a leap year */
	assert_string_equal(ack("2000-02-25"), "2000-03-03"); /* 2000 is */
	assert_string_equal(ack("2024-12-28"), "2025-01-04");
	assert_string_equal(ack("2024-12-31"), "2025-01-07");
	assert_string_equal(ack("2024-01-31"), "2024-02-07");
	assert_string_equal(ack("9999-12-24"), "9999-12-31");
	assert_string_equal(ack("9999-12-25"), "ERR");
	assert_string_equal(ack("2024-02-30"), "ERR");
	assert_string_equal(ack("2024-7-2"), "ERR");
	assert_string_equal(ack(""), "ERR");
	assert_string_equal(ack(NULL), "ERR");
}

/* Without an acknowledgement: received + 7 days + 3 months, the month clamped
 * to its end. One case per month of receipt, at month ends where the 7 days
 * land on a day the target month may lack. */
static void test_feedback_without_ack(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"2024-01-24", "2024-04-30"}, /* 31 Jan + 3 months = 30 April */
		{"2023-01-24", "2023-04-30"},
		{"2024-02-22", "2024-05-29"}, /* 29 February (leap) + 3 months */
		{"2023-02-21", "2023-05-28"},
		{"2024-03-24", "2024-06-30"}, /* 31 March: June has 30 days */
		{"2024-04-23", "2024-07-30"},
		{"2024-05-24", "2024-08-31"},
		{"2024-06-23", "2024-09-30"},
		{"2024-07-24", "2024-10-31"},
		{"2024-08-24", "2024-11-30"}, /* 31 August: November has 30 days */
		{"2024-09-23", "2024-12-30"},
		{"2024-10-24", "2025-01-31"}, /* across the year */
		{"2024-11-23", "2025-02-28"}, /* 30 November: 2025 is not a leap year */
		{"2023-11-23", "2024-02-29"}, /* ... 2024 is */
		{"2099-11-23", "2100-02-28"}, /* ... 2100 is not */
		{"1999-11-23", "2000-02-29"}, /* ... 2000 is */
		{"2024-12-24", "2025-03-31"},
		{"2024-12-25", "2025-04-01"}, /* 7 days reach into January */
		{"2024-07-02", "2024-10-09"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *got = feedback(cases[i][0], NULL);
		if (strcmp(got, cases[i][1]) != 0)
			fail_msg("received %s, no acknowledgement: feedback due %s, want %s",
				 cases[i][0], got, cases[i][1]);
	}
}

/* With an acknowledgement: 3 months from the day it was sent, whether that
 * was on time, early or late. */
static void test_feedback_with_ack(void **state)
{
	(void)state;
	static const char *const cases[][3] = {
		{"2024-01-25", "2024-01-31", "2024-04-30"}, /* 31 January + 3 months */
		{"2024-01-31", "2024-01-31", "2024-04-30"}, /* same day as receipt */
		{"2024-01-28", "2024-01-29", "2024-04-29"},
		{"2023-11-28", "2023-11-30", "2024-02-29"}, /* 30 November, leap year */
		{"2024-11-28", "2024-11-30", "2025-02-28"}, /* 30 November, common year */
		{"2099-11-28", "2099-11-30", "2100-02-28"},
		{"2024-10-30", "2024-10-31", "2025-01-31"},
		{"2024-12-30", "2025-01-02", "2025-04-02"},
		{"2024-07-02", "2024-07-03", "2024-10-03"}, /* early: earlier than without */
		{"2024-07-02", "2024-07-09", "2024-10-09"}, /* on the last day: as without */
		/* late (day 8 and after): the law counts from the acknowledgement actually
		 * sent, which puts the date later than if none had been sent */
		{"2024-07-02", "2024-07-10", "2024-10-10"},
		{"2024-07-02", "2024-08-31", "2024-11-30"},
		{"2024-01-02", "2024-05-31", "2024-08-31"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const char *got = feedback(cases[i][0], cases[i][1]);
		if (strcmp(got, cases[i][2]) != 0)
			fail_msg("received %s, acknowledged %s: feedback due %s, want %s",
				 cases[i][0], cases[i][1], got, cases[i][2]);
	}
	/* the two branches differ exactly where they should */
	assert_string_equal(feedback("2024-07-02", NULL), "2024-10-09");
	assert_string_equal(feedback("2024-07-02", "2024-07-05"), "2024-10-05");
}

static void test_feedback_refused(void **state)
{
	(void)state;
	assert_string_equal(feedback("2024-07-02", "2024-07-01"), "ERR"); /* before receipt */
	assert_string_equal(feedback("2024-07-02", "2024-02-30"), "ERR");
	assert_string_equal(feedback("2024-07-02", ""), "ERR");
	assert_string_equal(feedback("2024-07-32", NULL), "ERR");
	assert_string_equal(feedback("2024-07-32", "2024-08-01"), "ERR");
	assert_string_equal(feedback(NULL, NULL), "ERR");
	assert_string_equal(feedback("9999-09-23", NULL), "9999-12-30");
	assert_string_equal(feedback("9999-09-24", NULL), "ERR"); /* past the calendar */
	assert_string_equal(feedback("9999-09-01", "9999-10-01"), "ERR");
}

static struct intake_clocks status(const char *received, const char *acknowledged,
				   const char *feedback_given, const char *today)
{
	struct intake_clocks c;
	if (intake_clocks_status(received, acknowledged, feedback_given, today, &c) != 0)
		fail_msg("status refused: %s %s %s %s", received, acknowledged ? acknowledged : "-",
			 feedback_given ? feedback_given : "-", today);
	return c;
}

static void check(const struct intake_clock *k, enum intake_clock_state state, const char *due,
		  const char *done, int days)
{
	assert_int_equal(k->state, state);
	assert_string_equal(k->due, due);
	assert_string_equal(k->done, done);
	assert_int_equal(k->days, days);
}

static void test_status(void **state)
{
	(void)state;
	/* received today: both running */
	struct intake_clocks c = status("2024-07-02", NULL, NULL, "2024-07-02");
	check(&c.ack, INTAKE_CLOCK_RUNNING, "2024-07-09", "", 7);
	check(&c.feedback, INTAKE_CLOCK_RUNNING, "2024-10-09", "", 99);
	/* the last day of the 7 is due today, not overdue */
	c = status("2024-07-02", NULL, NULL, "2024-07-09");
	check(&c.ack, INTAKE_CLOCK_RUNNING, "2024-07-09", "", 0);
	/* the day after: overdue by one */
	c = status("2024-07-02", NULL, NULL, "2024-07-10");
	check(&c.ack, INTAKE_CLOCK_OVERDUE, "2024-07-09", "", 1);
	check(&c.feedback, INTAKE_CLOCK_RUNNING, "2024-10-09", "", 91);
	/* acknowledged on time: met, feedback counted from it */
	c = status("2024-07-02", "2024-07-04", NULL, "2024-07-20");
	check(&c.ack, INTAKE_CLOCK_MET, "2024-07-09", "2024-07-04", 0);
	check(&c.feedback, INTAKE_CLOCK_RUNNING, "2024-10-04", "", 76);
	/* acknowledged late: met, 3 days late; feedback from the late date */
	c = status("2024-07-02", "2024-07-12", NULL, "2024-07-12");
	check(&c.ack, INTAKE_CLOCK_MET, "2024-07-09", "2024-07-12", 3);
	check(&c.feedback, INTAKE_CLOCK_RUNNING, "2024-10-12", "", 92);
	/* feedback overdue, without an acknowledgement */
	c = status("2024-07-02", NULL, NULL, "2024-12-31");
	check(&c.ack, INTAKE_CLOCK_OVERDUE, "2024-07-09", "", 175);
	check(&c.feedback, INTAKE_CLOCK_OVERDUE, "2024-10-09", "", 83);
	/* feedback given on the due day, and one day late */
	c = status("2024-07-02", "2024-07-09", "2024-10-09", "2025-03-01");
	check(&c.feedback, INTAKE_CLOCK_MET, "2024-10-09", "2024-10-09", 0);
	c = status("2024-07-02", "2024-07-09", "2024-10-10", "2025-03-01");
	check(&c.feedback, INTAKE_CLOCK_MET, "2024-10-09", "2024-10-10", 1);
	/* feedback without an acknowledgement (the law still counts from day 7) */
	c = status("2024-07-02", NULL, "2024-08-01", "2024-08-01");
	check(&c.ack, INTAKE_CLOCK_OVERDUE, "2024-07-09", "", 23);
	check(&c.feedback, INTAKE_CLOCK_MET, "2024-10-09", "2024-08-01", 0);
	/* across a leap day and a year */
	c = status("2023-11-23", NULL, NULL, "2024-02-29");
	check(&c.feedback, INTAKE_CLOCK_RUNNING, "2024-02-29", "", 0);
	c = status("2023-11-23", NULL, NULL, "2024-03-01");
	check(&c.feedback, INTAKE_CLOCK_OVERDUE, "2024-02-29", "", 1);
	c = status("2024-12-28", NULL, NULL, "2024-12-31");
	check(&c.ack, INTAKE_CLOCK_RUNNING, "2025-01-04", "", 4);
}

static void test_status_refused(void **state)
{
	(void)state;
	static const char *const bad[][4] = {
		{"2024-07-03", NULL, NULL, "2024-07-02"},             /* received after today */
		{"2024-07-02", "2024-07-01", NULL, "2024-07-10"},     /* ack before receipt */
		{"2024-07-02", "2024-07-11", NULL, "2024-07-10"},     /* ack after today */
		{"2024-07-02", NULL, "2024-07-01", "2024-07-10"},     /* feedback before receipt */
		{"2024-07-02", "2024-07-03", "2024-07-11", "2024-07-10"}, /* feedback after today */
		{"2024-02-30", NULL, NULL, "2024-07-10"},
		{"2024-07-02", "2024-7-3", NULL, "2024-07-10"},
		{"2024-07-02", NULL, "junk", "2024-07-10"},
		{"2024-07-02", NULL, NULL, "2024-07-1"},
		{NULL, NULL, NULL, "2024-07-10"},
		{"2024-07-02", NULL, NULL, NULL},
		{"9999-12-30", NULL, NULL, "9999-12-31"},             /* due dates past the calendar */
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct intake_clocks c;
		memset(&c, 0x55, sizeof c);
		if (intake_clocks_status(bad[i][0], bad[i][1], bad[i][2], bad[i][3], &c) != -1)
			fail_msg("case %zu accepted", i);
		assert_string_equal(c.ack.due, "");
		assert_string_equal(c.feedback.due, "");
		assert_int_equal(c.ack.days, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ack_due),
		cmocka_unit_test(test_feedback_without_ack),
		cmocka_unit_test(test_feedback_with_ack),
		cmocka_unit_test(test_feedback_refused),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_status_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
