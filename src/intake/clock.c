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

/* Fills k for a clock due on `due` (day number due_d), done on `done` (day
 * done_d) or not (NULL), seen on day today. */
static void stand(const char *due, int32_t due_d, const char *done, int32_t done_d,
		  int32_t today, struct intake_clock *k)
{
	memcpy(k->due, due, DATE_LEN + 1);
	if (done) {
		k->state = INTAKE_CLOCK_MET;
		memcpy(k->done, done, DATE_LEN + 1);
		k->days = done_d > due_d ? done_d - due_d : 0;
		return;
	}
	int32_t d = due_d - today;
	k->state = d >= 0 ? INTAKE_CLOCK_RUNNING : INTAKE_CLOCK_OVERDUE;
	k->days = d >= 0 ? d : -d;
}

/* Each date is read once, as a day number, and the rules compared on those:
 * the inbox asks this for every row, and reading the same dates again in
 * every comparison was a tenth of its CPU (docs/performance.md). The rules
 * are intake_ack_due's and intake_feedback_due's. */
int intake_clocks_status(const char *received, const char *acknowledged,
			 const char *feedback_given, const char *today, struct intake_clocks *out)
{
	char ack_due[DATE_LEN + 1], fb_due[DATE_LEN + 1];
	int32_t r, t, a = 0, f = 0, ad, fd;
	memset(out, 0, sizeof *out);
	/* every valid date is on or after 1900-01-01 */
	if (date_to_days(received, &r) != 0 || date_to_days(today, &t) != 0 || r > t)
		goto fail;
	if (acknowledged && (date_to_days(acknowledged, &a) != 0 || a < r || a > t))
		goto fail;
	if (feedback_given && (date_to_days(feedback_given, &f) != 0 || f < r || f > t))
		goto fail;
	ad = r + INTAKE_ACK_DAYS;
	if (date_from_days(ad, ack_due) != 0)
		goto fail;
	/* the 3 months run from the day it was sent, early or late */
	if (date_add_months(acknowledged ? acknowledged : ack_due, INTAKE_FEEDBACK_MONTHS,
			    fb_due) != 0 ||
	    date_to_days(fb_due, &fd) != 0)
		goto fail;
	stand(ack_due, ad, acknowledged, a, t, &out->ack);
	stand(fb_due, fd, feedback_given, f, t, &out->feedback);
	return 0;
fail:
	memset(out, 0, sizeof *out);
	return -1;
}
