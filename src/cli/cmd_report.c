/* cmd_report.c: `probity report annual` writes the annual report for a year
 * (src/monitor/annual.h) as HTML, CSV, XLSX or JSON, for the government as
 * a whole or for one department. Reads only; the rules live in
 * src/monitor/annual*.c, this file parses arguments and writes the file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/date.h"
#include "base/num.h"
#include "cli/cli.h"
#include "monitor/annual.h"
#include "web/sheet.h"

enum { OPT_YEAR = CLI_OPT_FIRST_FREE, OPT_ORG, OPT_TODAY, OPT_FORMAT, OPT_OUT, OPT_TABLE, OPT_AS_OF };

struct args {
	const char *year, *org, *format, *out, *table, *as_of;
	int today;
};

static int on_opt(struct cli *c, void *ctx, int opt, const char *arg)
{
	struct args *a = ctx;
	switch (opt) {
	case OPT_YEAR: return cli_once(c, &a->year, "--year", arg);
	case OPT_ORG: return cli_once(c, &a->org, "--org", arg);
	case OPT_FORMAT: return cli_once(c, &a->format, "--format", arg);
	case OPT_OUT: return cli_once(c, &a->out, "--out", arg);
	case OPT_TABLE: return cli_once(c, &a->table, "--table", arg);
	case OPT_AS_OF: return cli_once(c, &a->as_of, "--as-of", arg);
	case OPT_TODAY: a->today = 1; return 0;
	default: return EXIT_USAGE;
	}
}

/* Writes len bytes to a new file (never overwriting one) or stdout. */
static int write_out(struct cli *c, const char *path, const char *data, size_t len)
{
	if (!path) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
			cli_error("%s: cannot write to standard output", c->cmd->name);
			return EXIT_FAIL;
		}
		return 0;
	}
	FILE *fp = fopen(path, "wx");
	if (!fp) {
		int e = errno;
		cli_error("%s: cannot create %s: %s", c->cmd->name, path,
			  e == EEXIST ? "it exists already; choose another name" : strerror(e));
		return e == EEXIST ? EXIT_CONFLICT : EXIT_FAIL;
	}
	int bad = fwrite(data, 1, len, fp) != len;
	bad |= fclose(fp) != 0;
	if (bad) {
		cli_error("%s: cannot write %s", c->cmd->name, path);
		remove(path);
		return EXIT_FAIL;
	}
	printf("wrote %s\n", path);
	return 0;
}

static int run_annual(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS,
					     {"year", required_argument, NULL, OPT_YEAR},
					     {"org", required_argument, NULL, OPT_ORG},
					     {"today", no_argument, NULL, OPT_TODAY},
					     {"format", required_argument, NULL, OPT_FORMAT},
					     {"out", required_argument, NULL, OPT_OUT},
					     {"table", required_argument, NULL, OPT_TABLE},
					     {"as-of", required_argument, NULL, OPT_AS_OF},
					     {0}};
	struct args a = {0};
	int rc = cli_parse_options(c, argc, argv, opts, on_opt, &a);
	if (rc)
		return rc;
	int64_t year;
	if (!a.year)
		return cli_usage_error(c, "--year YYYY is required");
	if (num_parse_i64z(a.year, ANNUAL_YEAR_MIN, ANNUAL_YEAR_MAX, &year) != 0)
		return cli_usage_error(c, "--year must be a year from %d to %d, not '%.20s'",
				       ANNUAL_YEAR_MIN, ANNUAL_YEAR_MAX, a.year);
	if (!a.format)
		return cli_usage_error(c, "--format html|csv|xlsx|json is required");
	if (strcmp(a.format, "html") != 0 && strcmp(a.format, "csv") != 0 &&
	    strcmp(a.format, "xlsx") != 0 && strcmp(a.format, "json") != 0)
		return cli_usage_error(c, "--format must be html, csv, xlsx or json");
	/* a CSV holds one table: the violations unless --table names another,
	 * in the workbook's order (annual_book) */
	static const char *const tables[] = {"violations", "measures", "departments",
					     "timeliness"};
	size_t table = 0;
	if (a.table) {
		if (strcmp(a.format, "csv") != 0)
			return cli_usage_error(c, "--table goes with --format csv only: the other "
					       "formats hold every table");
		while (table < 4 && strcmp(a.table, tables[table]) != 0)
			table++;
		if (table == 4)
			return cli_usage_error(c, "--table must be violations, measures, "
					       "departments or timeliness");
	}
	if (a.as_of && date_valid(a.as_of, strlen(a.as_of)) != 0)
		return cli_usage_error(c, "--as-of must be a date YYYY-MM-DD, not '%.20s'", a.as_of);
	struct org_error oe;
	if (a.org && org_check_code("--org", a.org, &oe) != 0)
		return cli_usage_error(c, "%s", oe.msg);
	if (!a.out && strcmp(a.format, "xlsx") == 0 && isatty(STDOUT_FILENO))
		return cli_usage_error(c, "an XLSX workbook is binary: write it with --out FILE");

	db_t *db = NULL;
	if ((rc = cli_open_db(c, CLI_DB_READ, &db)) != 0)
		return rc;
	struct annual_opts o = {.year = (int)year, .org = a.org, .today = a.today,
				.as_of = a.as_of};
	struct annual_report r;
	char err[600];
	switch (annual_load(db, &o, &r, err, sizeof err)) {
	case ANNUAL_OK: break;
	case ANNUAL_EINVALID: rc = cli_usage_error(c, "%s", err); goto out;
	case ANNUAL_ENOTFOUND:
		cli_error("%s: %s: see 'probity org list --all'", c->cmd->name, err);
		rc = EXIT_NOT_FOUND;
		goto out;
	case ANNUAL_EDB: rc = cli_db_fail(c, db, c->cmd->name); goto out;
	}
	struct buf b = {0};
	struct arena ar = ARENA_INIT;
	if (strcmp(a.format, "html") == 0) {
		annual_html(&r, &b);
	} else if (strcmp(a.format, "json") == 0) {
		annual_json(&r, &b);
	} else {
		struct sheet_book *book = annual_book(&r, &ar);
		if (strcmp(a.format, "csv") == 0) {
			sheet_write_csv(sheet_book_table(book, table), &b);
		} else if (sheet_write_xlsx(book, &b, err, sizeof err) != 0) {
			cli_error("%s: cannot write the workbook: %s", c->cmd->name, err);
			rc = EXIT_FAIL;
		}
	}
	if (!rc)
		rc = write_out(c, a.out, b.p ? b.p : "", b.n);
	buf_free(&b);
	arena_free(&ar);
	annual_report_free(&r);
out:
	db_close(db);
	return rc;
}

const struct cli_command cmd_report_annual = {
	.name = "report annual",
	.summary = "write the annual report on integrity violations for a year",
	.usage = "usage: probity report annual --year YYYY [--org CODE] [--today]\n"
		 "                             --format html|csv|xlsx|json [--out FILE]\n"
		 "                             [--table NAME] [--as-of YYYY-MM-DD]\n\n"
		 "The registered violations of a year (imported registers and closed\n"
		 "cases) per department and category, with outcomes, police reports and\n"
		 "measures, and the timeliness of the reports received that year, for the\n"
		 "government as a whole: the departments in the coordinator's scope\n"
		 "(Defence is never part of it). Full counts.\n\n"
		 "  --org CODE    one department's own figures and nothing else\n"
		 "  --today       organisations mapped onto today's departments through\n"
		 "                their successor links (a split department's figures\n"
		 "                that belong to no one successor stay under it, marked\n"
		 "                'before the split'); without it, as they were that year\n"
		 "  --format      html (print-ready page), csv (the main table),\n"
		 "                xlsx (one sheet per table), json (docs/monitoring.md)\n"
		 "  --table NAME  with csv: violations (the default), measures,\n"
		 "                departments or timeliness\n"
		 "  --as-of DATE  the day reports without feedback are counted as\n"
		 "                overdue on (default: today)\n"
		 "  --out FILE    write to FILE, which must not exist yet (default:\n"
		 "                standard output; xlsx needs --out on a terminal)\n\n"
		 "Exit status 2: a bad option, year or code, or a code that is no\n"
		 "department; 9: no such department (in that year); 10: FILE exists.\n",
	.run = run_annual,
};
