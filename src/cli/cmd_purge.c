/* cmd_purge.c: `probity purge` removes the content and keys of closed cases
 * whose retention term has run out, and of the reports joined to them,
 * keeping the anonymous statistical record and the audit trail; and the same
 * purge once a day inside `probity serve` (purge.h). The rules live in
 * src/cases/purge.c; this file parses arguments, prints counts for an
 * operator and runs the daily thread.
 *
 * Nothing printed here or logged by the daily run names content: case and
 * report ids, dates and counts only. */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/date.h"
#include "cases/cases.h"
#include "cli/cli.h"
#include "cli/purge.h"

enum { OPT_DRY_RUN = CLI_OPT_FIRST_FREE, OPT_TODAY };

/* the due cases a run lists; more are purged, and counted, all the same */
#define LIST_MAX 200

struct args {
	int dry_run;
	const char *today;
};

static int on_opt(struct cli *c, void *ctx, int opt, const char *arg)
{
	struct args *a = ctx;
	switch (opt) {
	case OPT_DRY_RUN:
		a->dry_run = 1;
		return 0;
	case OPT_TODAY:
		return cli_once(c, &a->today, "--today", arg);
	default:
		return EXIT_USAGE;
	}
}

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void print_item(const struct cases_purge_item *it)
{
	printf("  case %" PRId64 ", closed %s, kept until %s: %zu %s, %zu %s, %zu %s, %zu %s, "
	       "%zu %s, %zu %s, %zu %s, %zu %s\n",
	       it->case_id, it->closed_on, it->purge_after, it->reports,
	       plural(it->reports, "report", "reports"), it->records,
	       plural(it->records, "record", "records"), it->notes, plural(it->notes, "note", "notes"),
	       it->people, plural(it->people, "person", "people"), it->files,
	       plural(it->files, "file", "files"), it->reasons,
	       plural(it->reasons, "deviation reason", "deviation reasons"), it->keys,
	       plural(it->keys, "key", "keys"), it->report_items,
	       plural(it->report_items, "message, note or file of a report",
		      "messages, notes and files of reports"));
}

/* Lists what is due on today; *total gets how many. 0 or an exit code. */
static int list_due(struct cli *c, db_t *db, const char *today, size_t *total)
{
	struct cases_purge_item *it = xcalloc(LIST_MAX, sizeof *it);
	struct cases_error e;
	size_t n;
	int rc = 0;
	if (cases_purge_due(db, today, it, LIST_MAX, &n, total, &e) != 0) {
		rc = e.code == CASES_EINVALID ? cli_usage_error(c, "%s", e.msg)
					      : cli_db_fail(c, db, c->cmd->name);
		goto out;
	}
	printf("closed cases due for purge on %s: %zu\n", today, *total);
	for (size_t i = 0; i < n; i++)
		print_item(&it[i]);
	if (*total > n)
		printf("  and %zu more\n", *total - n);
out:
	free(it);
	return rc;
}

static int run(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{"dry-run", no_argument, NULL, OPT_DRY_RUN},
		{"today", required_argument, NULL, OPT_TODAY},
		{0},
	};
	struct args a = {0};
	char now[DATE_LEN + 1];
	int rc = cli_parse_options(c, argc, argv, opts, on_opt, &a);
	if (rc)
		return rc;
	date_today(now);
	const char *today = a.today ? a.today : now;
	if (date_valid(today, strlen(today)) != 0)
		return cli_usage_error(c, "--today: '%s' is not a date: YYYY-MM-DD", today);
	/* a retention term is kept in full: a later day only shows what is
	 * coming, it never purges early */
	if (!a.dry_run && strcmp(today, now) > 0)
		return cli_usage_error(c, "--today %s is after today (%s): a purge never runs "
				       "early; add --dry-run to see what will be due then", today,
				       now);
	db_t *db = NULL;
	size_t total = 0, n = 0;
	if (a.dry_run) {
		if ((rc = cli_open_db(c, CLI_DB_READ, &db)) != 0)
			return rc;
		if ((rc = list_due(c, db, today, &total)) == 0)
			printf("dry run: nothing was changed\n");
		db_close(db);
		return rc;
	}
	if ((rc = cli_open_signed(c, &db)) != 0)
		return rc;
	if ((rc = list_due(c, db, today, &total)) != 0)
		goto out;
	struct cases_error e;
	if (cases_purge(db, &c->signer, today, &n, &e) != 0) {
		if (e.code == CASES_EINVALID)
			rc = cli_usage_error(c, "%s", e.msg);
		else if (db_error(db)->cls == DBE_BUSY && strstr(e.msg, "purged")) {
			/* the cases are purged; only the log still holds old pages */
			cli_error("%s: %s: run 'probity purge' again when it has finished",
				  c->cmd->name, e.msg);
			rc = EXIT_DB_BUSY;
		} else {
			if (n)
				printf("purged %zu %s before the failure\n", n,
				       plural(n, "case", "cases"));
			rc = cli_db_fail(c, db, c->cmd->name);
		}
		goto out;
	}
	printf("purged %zu %s; the write-ahead log was emptied\n", n, plural(n, "case", "cases"));
out:
	db_close(db);
	return rc;
}

const struct cli_command cmd_purge = {
	.name = "purge",
	.summary = "remove closed cases' content once their retention term has run out",
	.usage = "usage: probity purge [--db FILE] [--dry-run] [--today DATE]\n\n"
		 "Purges every closed case whose retention term (the organisation's, set\n"
		 "when it closed) has run out: its records, notes, people involved,\n"
		 "attachments, deviation reasons and every key of it, and of each report\n"
		 "joined to it the text, identity, messages, notes, attachments, receipt\n"
		 "sessions and keys, so that nothing of them can be read again, not even\n"
		 "with the recovery key. Kept: the anonymous statistical record (the\n"
		 "organisation, protocol, dates, category, outcome, measures, police\n"
		 "report; of the reports their organisation, kind, mode and dates) and the\n"
		 "audit trail, which gets one case.purge entry per case with ids and\n"
		 "counts. Each case is purged in its own transaction; then the\n"
		 "write-ahead log is emptied so that no old copy stays in it. Reports that\n"
		 "were never joined to a case are not touched. `probity serve` runs the\n"
		 "same purge at start-up and every 24 hours.\n\n"
		 "It lists the cases due with what is removed from each. --dry-run lists\n"
		 "them and changes nothing. --today DATE acts as if it were DATE (for\n"
		 "tests); a date after today is allowed with --dry-run only, to see what\n"
		 "will be due then: a purge never runs early.\n\n"
		 "Exit status 0 also when nothing is due; 2 for a malformed argument or a\n"
		 "future --today without --dry-run; 6 when the database is locked, or the\n"
		 "cases were purged but another process kept the write-ahead log from\n"
		 "being emptied (run it again).\n",
	.run = run,
};

/* ---- the daily run inside serve ---- */

#define DAY_SECONDS (24 * 60 * 60)

struct purge_daily {
	char *target;
	int busy_timeout_ms;
	const struct audit_signer *signer;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int stop;
};

/* One run: its own connection, opened and closed each time, so that a
 * database replaced or repaired in between is picked up. */
static void run_once(struct purge_daily *p)
{
	struct db_options opt = {.busy_timeout_ms = p->busy_timeout_ms};
	struct db_error err;
	struct cases_error e;
	char today[DATE_LEN + 1];
	db_t *db;
	size_t n = 0;
	date_today(today);
	if (db_open(p->target, 0, &opt, &db, &err) != 0) {
		fprintf(stderr, "probity: retention purge on %s: %s\n", today, err.msg);
		return;
	}
	if (cases_purge(db, p->signer, today, &n, &e) != 0)
		fprintf(stderr, "probity: retention purge on %s: %zu %s purged, then: %s\n", today, n,
			plural(n, "case", "cases"), e.msg);
	else
		printf("probity: retention purge on %s: %zu %s purged\n", today, n,
		       plural(n, "case", "cases"));
	fflush(stdout);
	db_close(db);
}

static void *loop(void *arg)
{
	struct purge_daily *p = arg;
	pthread_mutex_lock(&p->lock);
	while (!p->stop) {
		pthread_mutex_unlock(&p->lock);
		run_once(p);
		pthread_mutex_lock(&p->lock);
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += DAY_SECONDS;
		/* woken early only to stop */
		while (!p->stop && pthread_cond_timedwait(&p->wake, &p->lock, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

struct purge_daily *purge_daily_start(struct cli *c, char *err, size_t errlen)
{
	struct purge_daily *p = xcalloc(1, sizeof *p);
	pthread_condattr_t ca;
	p->target = xstrdup(c->cfg.db);
	p->busy_timeout_ms = c->cfg.busy_timeout_ms;
	p->signer = &c->signer;
	pthread_mutex_init(&p->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->wake, &ca);
	pthread_condattr_destroy(&ca);
	int rc = pthread_create(&p->thread, NULL, loop, p);
	if (rc != 0) {
		snprintf(err, errlen, "cannot start the daily retention purge: %s", strerror(rc));
		pthread_cond_destroy(&p->wake);
		pthread_mutex_destroy(&p->lock);
		free(p->target);
		free(p);
		return NULL;
	}
	return p;
}

void purge_daily_stop(struct purge_daily *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = 1;
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	pthread_cond_destroy(&p->wake);
	pthread_mutex_destroy(&p->lock);
	free(p->target);
	free(p);
}
