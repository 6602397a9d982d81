/* clock.c: due dates and standing of a report's legal clocks (see clock.h for
 * the law they follow). Pure date arithmetic over base/date.h. */
#include "intake/clock.h"

#include <string.h>

int intake_ack_due(const char *received, char out[DATE_LEN + 1])
{
	return date_add_days(received, INTAKE_ACK_DAYS, out);
}

int intake_feedback_due(const char *received, const char *acknowledged,
			char out[DATE_LEN + 1])
{
	char start[DATE_LEN + 1];
	int c;
	out[0] = 0;
	if (intake_ack_due(received, start) != 0)
		goto fail;
	if (acknowledged) {
		/* the 3 months run from the day it was sent, early or late */
		if (date_cmp(acknowledged, received, &c) != 0 || c < 0)
			goto fail;
		memcpy(start, acknowledged, DATE_LEN + 1);
	}
	return date_add_months(start, INTAKE_FEEDBACK_MONTHS, out);
fail:
	return -1;
}

/* Fills k for a clock due on `due`, done on `done` (or NULL), seen on today.
 * Every date has been validated by the caller. */
static int stand(const char *due, const char *done, const char *today, struct intake_clock *k)
{
	int32_t d;
	memcpy(k->due, due, DATE_LEN + 1);
	if (done) {
		if (date_days_between(due, done, &d) != 0)
			return -1;
		k->state = INTAKE_CLOCK_MET;
		memcpy(k->done, done, DATE_LEN + 1);
		k->days = d > 0 ? d : 0;
		return 0;
	}
	if (date_days_between(today, due, &d) != 0)
		return -1;
	k->state = d >= 0 ? INTAKE_CLOCK_RUNNING : INTAKE_CLOCK_OVERDUE;
	k->days = d >= 0 ? d : -d;
	return 0;
}

/* 0 if s is a valid date within [from, to]. */
static int within(const char *s, const char *from, const char *to)
{
	int a, b;
	if (date_cmp(s, from, &a) != 0 || date_cmp(s, to, &b) != 0)
		return -1;
	return a >= 0 && b <= 0 ? 0 : -1;
}

int intake_clocks_status(const char *received, const char *acknowledged,
			 const char *feedback_given, const char *today, struct intake_clocks *out)
{
	char ack_due[DATE_LEN + 1], fb_due[DATE_LEN + 1];
	memset(out, 0, sizeof *out);
	if (within(received, "1900-01-01", today) != 0)
		goto fail;
	if (acknowledged && within(acknowledged, received, today) != 0)
		goto fail;
	if (feedback_given && within(feedback_given, received, today) != 0)
		goto fail;
	if (intake_ack_due(received, ack_due) != 0 ||
	    intake_feedback_due(received, acknowledged, fb_due) != 0)
		goto fail;
	if (stand(ack_due, acknowledged, today, &out->ack) != 0 ||
	    stand(fb_due, feedback_given, today, &out->feedback) != 0)
		goto fail;
	return 0;
fail:
	memset(out, 0, sizeof *out);
	return -1;
}
