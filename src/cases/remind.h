/* remind.h: e-mail reminders of due and overdue deadlines (issue 5 item 5),
 * optional and off by default (setting reminders = daily; `probity remind`,
 * run once a day by a timer, docs/cli.md).
 *
 * Each enabled account with an e-mail address (accounts/email.h) that has
 * something due within CASES_REMIND_SOON_DAYS days or overdue gets ONE
 * message a day with COUNTS and a link to /termijnen, nothing else: what
 * /termijnen lists for that user, counted, namely the open phases of their
 * cases (as a team member, or as the competent authority holding the
 * summary) by the protocol's term, and the legal clocks of the reports in
 * their inbox (acknowledgement of receipt, feedback). Never a case or report
 * number, a name, an organisation, a phase or a date: e-mail leaves
 * Probity's encryption, is kept on mail servers and phones and forwarded,
 * and even "case 12 is overdue" tells a reader that case 12 exists and what
 * stage it is in (docs/security.md). The message is in Dutch and English,
 * because an account has no language of its own (the session has).
 *
 * Metadata only: nothing is decrypted, no key is needed. */
#ifndef CASES_REMIND_H
#define CASES_REMIND_H
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/buf.h"
#include "base/date.h"
#include "crypto/audit.h"
#include "store/db.h"

#define CASES_REMIND_SOON_DAYS 3   /* "due within 3 days": today and the 3 days after */
#define CASES_REMIND_TIMEOUT 60    /* seconds one message may take */

/* What is due for one account on a day. */
struct cases_remind_counts {
	unsigned cases_overdue, cases_soon;      /* open phases of cases */
	unsigned reports_overdue, reports_soon;  /* acknowledgements and feedback */
};

/* Counts what is due for account_id on today ("YYYY-MM-DD"). 0 or -1 (db
 * error). */
int cases_remind_count(db_t *db, int64_t account_id, const char *today,
		       struct cases_remind_counts *out);
/* 1 if anything is due or overdue. */
int cases_remind_any(const struct cases_remind_counts *c);

/* Writes the whole message (headers, empty line, body; CRLF line ends, no
 * line starting with '.') from `from` to `to` with the counts and a link to
 * public_url + "/termijnen", dated now. Texts are gettext msgids, translated
 * with i18n_translate (call i18n_init first); the Dutch half is left out
 * while the catalogue has no Dutch for it. Pure but for the random
 * Message-ID. */
void cases_remind_message(struct buf *out, const struct cases_remind_counts *c,
			  const char *public_url, const char *from, const char *to, time_t now);

struct cases_remind_settings {
	const char *smtp_url;     /* "smtp://host:port" */
	const char *from;         /* the sender's address */
	const char *public_url;   /* "https://probity.example.nl" */
	const char *today;        /* "YYYY-MM-DD" */
	int dry_run;              /* count and say, send nothing, write nothing */
	int again;                /* also accounts already reminded today */
};

/* One account's line in the run's report. */
struct cases_remind_line {
	char username[72];
	struct cases_remind_counts counts;
	int sent;                 /* 1 sent, 0 not (dry run, or failed: see error) */
	char error[200];          /* why sending failed, "" when it did not */
};

struct cases_remind_result {
	size_t mailboxes;         /* enabled accounts with an address */
	size_t due;               /* of those, with something due */
	size_t sent, failed;
	size_t skipped;           /* reminded today already */
	struct cases_remind_line *lines;   /* one per account with something due */
	size_t nlines;
};

/* Sends today's reminders: to each account with an address and something
 * due, not reminded today yet (unless again), one message; records the day
 * on the account after each message sent (so that a run broken off and
 * started again sends nobody a second one), and at the end one audit entry
 * "reminders.send" by actor (detail: the counts of messages sent and
 * failed; no account, no address). A message that fails is counted and
 * reported, and the others still go. Returns 0 (also when some failed), or
 * -1 with the reason in err (the database failed; the settings are
 * incomplete). Free r with cases_remind_result_free. */
int cases_remind_run(db_t *db, const struct audit_signer *signer, const char *actor,
		     const struct cases_remind_settings *s, struct cases_remind_result *r,
		     char *err, size_t errlen);
void cases_remind_result_free(struct cases_remind_result *r);

#endif
