/* clock.h: the legal clocks of a report under the Wet bescherming
 * klokkenluiders and EU Directive 2019/1937 (shared/domain/README.md §3):
 *
 *   acknowledgement  due 7 days after receipt;
 *   feedback         due 3 months after the acknowledgement was sent, or, where
 *                    none was sent, 3 months after the end of the 7-day period.
 *
 * The law's text is followed to the letter: a late acknowledgement (after day
 * 7) still starts the 3 months on the day it was actually sent, so it moves the
 * feedback date later than if none had been sent at all. Until an
 * acknowledgement is sent, the feedback date is counted from the end of the
 * 7-day period; sending one changes it, so a stored feedback date must be
 * recomputed when the acknowledgement is recorded.
 *
 * Dates are calendar days "YYYY-MM-DD" of the local calendar (date_today), in
 * which legal terms are counted. Months clamp to the month's end (31 January +
 * 3 months = 30 April). Pure: no clock is read here; callers pass today. */
#ifndef INTAKE_CLOCK_H
#define INTAKE_CLOCK_H
#include "base/date.h"

#define INTAKE_ACK_DAYS 7
#define INTAKE_FEEDBACK_MONTHS 3

/* Writes the acknowledgement's due date (received + 7 days) into out.
 * Returns 0, or -1 (out "") if received is not a valid date or the result
 * falls outside the calendar's range. */
int intake_ack_due(const char *received, char out[DATE_LEN + 1]);

/* Writes the feedback's due date into out: acknowledged + 3 months when an
 * acknowledgement was sent (acknowledged not NULL), else received + 7 days +
 * 3 months. Returns 0, or -1 (out "") on an invalid date or an acknowledgement
 * dated before the receipt. */
int intake_feedback_due(const char *received, const char *acknowledged,
			char out[DATE_LEN + 1]);

enum intake_clock_state {
	INTAKE_CLOCK_RUNNING,  /* not done, due in `days` days (0: due today) */
	INTAKE_CLOCK_OVERDUE,  /* not done, `days` days past the due date */
	INTAKE_CLOCK_MET,      /* done on `done`; `days` late (0: on time) */
};

struct intake_clock {
	enum intake_clock_state state;
	char due[DATE_LEN + 1];
	char done[DATE_LEN + 1];  /* "" unless MET */
	int days;                 /* see the states; never negative */
};

struct intake_clocks {
	struct intake_clock ack, feedback;
};

/* Where both clocks of a report stand on `today`. acknowledged and
 * feedback_given are the dates those were sent, or NULL. Refuses (-1, *out
 * zeroed) invalid dates and impossible orders: a receipt after today, an
 * acknowledgement or feedback before the receipt or after today. Returns 0. */
int intake_clocks_status(const char *received, const char *acknowledged,
			 const char *feedback_given, const char *today, struct intake_clocks *out);

#endif
