/* cmd_monitor.c: `probity monitor rebuild` recomputes the dashboard's counts
 * (src/monitor/store.h) from the cases and reports, and `probity monitor
 * check` compares the kept counts with a fresh computation. The triggers of
 * migration 0017 keep the counts up to date; these are for an operator who
 * restored or repaired a database by hand, or who wants to know. */
#include <stdio.h>

#include "cli/cli.h"
#include "monitor/store.h"

static int run_rebuild(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS, {0}};
	int rc = cli_parse_options(c, argc, argv, opts, NULL, NULL);
	if (rc)
		return rc;
	db_t *db = NULL;
	if ((rc = cli_open_db(c, CLI_DB_WRITE, &db)) != 0)
		return rc;
	long long rows[MONITOR_NTABLES];
	if (monitor_rebuild(db, rows) != 0) {
		rc = cli_db_fail(c, db, c->cmd->name);
	} else {
		printf("rebuilt the dashboard's counts: %lld case, %lld measure and %lld report "
		       "rows\n",
		       rows[0], rows[1], rows[2]);
	}
	db_close(db);
	return rc;
}

static int run_check(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS, {0}};
	int rc = cli_parse_options(c, argc, argv, opts, NULL, NULL);
	if (rc)
		return rc;
	db_t *db = NULL;
	if ((rc = cli_open_db(c, CLI_DB_READ, &db)) != 0)
		return rc;
	long long differ = 0;
	if (monitor_check(db, &differ) != 0) {
		rc = cli_db_fail(c, db, c->cmd->name);
	} else if (differ) {
		printf("the dashboard's counts differ from the cases and reports in %lld rows: run "
		       "'probity monitor rebuild'\n",
		       differ);
		rc = EXIT_FAIL;
	} else {
		printf("the dashboard's counts agree with the cases and reports\n");
	}
	db_close(db);
	return rc;
}

const struct cli_command cmd_monitor_rebuild = {
	.name = "monitor rebuild",
	.summary = "recompute the dashboard's counts from the cases and reports",
	.usage = "usage: probity monitor rebuild [--db FILE]\n\n"
		 "Recomputes the counts behind the coordinator's dashboard (cases per\n"
		 "organisation, year, category, outcome and police report; measures;\n"
		 "reports per organisation, year, kind and how their legal clocks ended)\n"
		 "from the cases and reports, in one transaction. Triggers keep them up\n"
		 "to date, so this is needed only after a database was changed by hand.\n"
		 "Reads metadata only; no key is needed.\n",
	.run = run_rebuild,
};

const struct cli_command cmd_monitor_check = {
	.name = "monitor check",
	.summary = "check the dashboard's counts against the cases and reports",
	.usage = "usage: probity monitor check [--db FILE]\n\n"
		 "Compares the kept counts behind the dashboard with a fresh computation\n"
		 "and says whether they agree. Exit status 0 when they do, 1 when they\n"
		 "differ (run 'probity monitor rebuild').\n",
	.run = run_check,
};
