/* cmd_remind.c: `probity remind` sends the day's e-mail reminders of due
 * and overdue deadlines (src/cases/remind.h), meant to be run once a day by
 * a timer (docs/cli.md has a systemd unit). A command of its own, not a job
 * inside `serve`: the serving process then never needs a route out to a
 * mail server nor holds its password, a timer's failure shows in the
 * timer's status, and an operator can run it by hand with --dry-run. */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "cases/dataset.h"
#include "cases/remind.h"
#include "cli/cli.h"
#include "web/i18n.h"
#include "web/mail.h"

enum { OPT_DRY_RUN = CLI_OPT_FIRST_FREE, OPT_AGAIN, OPT_TODAY };

struct args {
	int dry_run, again;
	const char *today;
};

static int on_opt(struct cli *c, void *ctx, int opt, const char *arg)
{
	struct args *a = ctx;
	switch (opt) {
	case OPT_DRY_RUN: a->dry_run = 1; return 0;
	case OPT_AGAIN: a->again = 1; return 0;
	case OPT_TODAY: return cli_once(c, &a->today, "--today", arg);
	default: return EXIT_USAGE;
	}
}

static void counts(const struct cases_remind_counts *k)
{
	printf("cases %u overdue, %u due within %d days; reports %u overdue, %u due within %d "
	       "days", k->cases_overdue, k->cases_soon, CASES_REMIND_SOON_DAYS, k->reports_overdue,
	       k->reports_soon, CASES_REMIND_SOON_DAYS);
}

static int run(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{"dry-run", no_argument, NULL, OPT_DRY_RUN},
		{"again", no_argument, NULL, OPT_AGAIN},
		{"today", required_argument, NULL, OPT_TODAY},
		{0},
	};
	struct args a = {0};
	char today[DATE_LEN + 1], err[600];
	int rc = cli_parse_options(c, argc, argv, opts, on_opt, &a);
	if (rc)
		return rc;
	date_today(today);
	if (a.today) {
		if (date_valid(a.today, strlen(a.today)) != 0)
			return cli_usage_error(c, "--today: '%.20s' is not a date (YYYY-MM-DD)",
					       a.today);
		/* another day's counts are for looking, never for sending */
		if (!a.dry_run)
			return cli_usage_error(c, "--today goes with --dry-run only");
		snprintf(today, sizeof today, "%s", a.today);
	}
	if (!c->cfg.reminders && !a.dry_run) {
		printf("reminders are off (setting reminders = off): nothing sent\n");
		return EXIT_OK;
	}
	if (!a.dry_run) {
		const char *missing = !c->cfg.smtp_url ? "smtp_url" :
				      !c->cfg.smtp_from ? "smtp_from" :
				      !c->cfg.public_url ? "public_url" : NULL;
		if (missing) {
			cli_error("remind: reminders = daily needs the setting %s (docs/"
				  "configuration.md)", missing);
			return EXIT_CONFIG;
		}
		if (!mail_address_valid(c->cfg.smtp_from)) {
			cli_error("remind: smtp_from '%.80s' is not an e-mail address Probity sends "
				  "from", c->cfg.smtp_from);
			return EXIT_CONFIG;
		}
	}
	if (i18n_init() != 0) {
		cli_error("remind: the embedded translations are damaged");
		return EXIT_FAIL;
	}
	if (cases_data_init(err, sizeof err) != 0) {
		cli_error("remind: %s", err);
		return EXIT_FAIL;
	}
	db_t *db = NULL;
	if ((rc = a.dry_run ? cli_open_db(c, CLI_DB_READ, &db) : cli_open_signed(c, &db)) != 0)
		return rc;
	if (!a.dry_run && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		db_close(db);
		cli_error("remind: cannot start libcurl");
		return EXIT_FAIL;
	}
	struct cases_remind_settings s = {.smtp_url = c->cfg.smtp_url, .from = c->cfg.smtp_from,
					  .public_url = c->cfg.public_url, .today = today,
					  .dry_run = a.dry_run, .again = a.again};
	struct cases_remind_result r;
	int x = cases_remind_run(db, a.dry_run ? NULL : &c->signer, c->actor, &s, &r, err,
				 sizeof err);
	printf("reminders for %s: %zu accounts with an address, %zu with something due", today,
	       r.mailboxes, r.due);
	if (r.skipped)
		printf(", %zu reminded today already (--again sends to them too)", r.skipped);
	printf("\n");
	const char *first_error = NULL;
	for (size_t i = 0; i < r.nlines; i++) {
		const struct cases_remind_line *l = &r.lines[i];
		printf("%s %s: ", a.dry_run ? "would send to" : l->sent ? "sent to" : "FAILED for",
		       l->username);
		counts(&l->counts);
		if (l->error[0]) {
			printf(": %s", l->error);
			if (!first_error)
				first_error = l->error;
		}
		printf("\n");
	}
	if (x != 0) {
		cli_error("remind: %s", err);
		rc = EXIT_FAIL;
	} else if (!a.dry_run) {
		printf("sent %zu, failed %zu\n", r.sent, r.failed);
		if (r.failed) {
			cli_error("remind: %zu of %zu reminders could not be sent (%s): run again to "
				  "retry them", r.failed, r.failed + r.sent, first_error);
			rc = EXIT_FAIL;
		}
	}
	cases_remind_result_free(&r);
	if (!a.dry_run)
		curl_global_cleanup();
	db_close(db);
	return rc;
}

const struct cli_command cmd_remind = {
	.name = "remind",
	.summary = "e-mail each user a count of their due and overdue deadlines",
	.usage = "usage: probity remind [--db FILE] [--dry-run [--today DATE]] [--again]\n\n"
		 "Sends each enabled user with an e-mail address ('probity user email') and\n"
		 "something due within 3 days or overdue one message: how many case phases\n"
		 "and report deadlines (acknowledgement of receipt, feedback) are overdue or\n"
		 "due soon, and a link to the deadlines page. Never a case or report number,\n"
		 "a name, an organisation or a date (docs/security.md). Run it once a day\n"
		 "from a timer; a user gets at most one message a day, unless --again.\n\n"
		 "Off by default: needs the settings reminders = daily, smtp_url,\n"
		 "smtp_from and public_url (docs/configuration.md); while off it sends\n"
		 "nothing and exits 0. --dry-run counts and lists, sends and writes\n"
		 "nothing, also while reminders are off; --today DATE (with --dry-run)\n"
		 "counts as on DATE.\n\n"
		 "Exit status 1: a message could not be sent (the others were; run again\n"
		 "to retry); 2: a malformed argument; 3: a setting is missing or wrong.\n",
	.run = run,
};
