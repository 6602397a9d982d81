/* cmd_import.c: `probity import registrations FILE`, loading a department's
 * register of violations kept in a spreadsheet, CSV or XLSX
 * (docs/monitoring.md). The
 * rules live in src/registrations; this file parses arguments, shows
 * progress and the file's problems, and maps refusals to exit codes. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "registrations/registrations.h"

enum { OPT_AGAIN = CLI_OPT_FIRST_FREE, OPT_PROGRESS };

struct args {
	int again, progress;
};

static int on_opt(struct cli *c, void *ctx, int opt, const char *arg)
{
	(void)c, (void)arg;
	struct args *a = ctx;
	switch (opt) {
	case OPT_AGAIN: a->again = 1; return 0;
	case OPT_PROGRESS: a->progress = 1; return 0;
	default: return EXIT_USAGE;
	}
}

static void progress(void *ctx, size_t rows)
{
	fprintf(stderr, "probity: %s: %zu rows read\n", (const char *)ctx, rows);
}

/* A file refused whole (both imports): each listed problem, how many more,
 * and that nothing was written. Returns EXIT_USAGE. */
static int refused(const struct cli *c, const char *path, char *const *problems, size_t nlisted,
		   size_t nproblems)
{
	for (size_t i = 0; i < nlisted; i++)
		cli_error("%s: %s: %s", c->cmd->name, path, problems[i]);
	if (nproblems > nlisted)
		cli_error("%s: %s: and %zu more", c->cmd->name, path, nproblems - nlisted);
	cli_error("%s: %s was not imported: %zu problem%s; nothing was written", c->cmd->name,
		  path, nproblems, nproblems == 1 ? "" : "s");
	return EXIT_USAGE;
}

/* Another refusal with its one reason; returns code. */
static int said(const struct cli *c, const char *path, const char *why, int code)
{
	cli_error("%s: %s: %s", c->cmd->name, path, why);
	return code;
}

static int run_registrations(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS,
					     {"again", no_argument, NULL, OPT_AGAIN},
					     {"progress", no_argument, NULL, OPT_PROGRESS},
					     {0}};
	struct args a = {0};
	struct reg_import_result res;
	db_t *db = NULL;
	int first;
	int rc = cli_parse(c, argc, argv, opts, on_opt, &a, &first);
	if (rc)
		return rc;
	if (argc - first != 1)
		return cli_usage_error(c, "expected one FILE");
	const char *path = argv[first];
	if ((rc = cli_open_signed(c, &db)) != 0)
		return rc;
	struct reg_import_opts o = {
		.actor = c->actor,
		.again = a.again,
		.progress = a.progress || isatty(STDERR_FILENO) ? progress : NULL,
		.progress_ctx = (void *)c->cmd->name,
	};
	switch (registrations_import(db, &c->signer, path, &o, &res)) {
	case REG_OK:
		printf("imported %zu registrations from %s (import %lld, sha256 %s)\n", res.rows,
		       path, (long long)res.import_id, res.sha256);
		break;
	case REG_EINVALID:
		rc = refused(c, path, res.problems, res.nlisted, res.nproblems);
		break;
	case REG_ENOTFOUND:
		rc = said(c, path, res.err, EXIT_NOT_FOUND);
		break;
	case REG_ECONFLICT:
		rc = said(c, path, res.err, EXIT_CONFLICT);
		break;
	case REG_EIO:
		rc = said(c, path, res.err, EXIT_FAIL);
		break;
	default:
		rc = cli_db_fail(c, db, c->cmd->name);
	}
	reg_import_result_free(&res);
	db_close(db);
	return rc;
}

const struct cli_command cmd_import_registrations = {
	.name = "import registrations",
	.summary = "load a department's register of violations from a CSV or XLSX file",
	.usage = "usage: probity import registrations [--db FILE] [--again] [--progress] FILE\n\n"
		 "Loads FILE, a register of integrity violations kept in a spreadsheet and\n"
		 "saved as CSV (comma or semicolon separated, UTF-8) or as an Excel\n"
		 "workbook (.xlsx: its first sheet; told apart by content, not by name; an\n"
		 "old .xls is refused), one row per registered violation, with a header row\n"
		 "naming the columns in English or Dutch, in any order: organisation, date\n"
		 "received, category, taxonomy version, outcome, measure, police report\n"
		 "(docs/monitoring.md). In a workbook a date cell is read as a date.\n\n"
		 "Every row is checked, the organisation as it was on the date received.\n"
		 "A file with any problem is refused whole: each problem is listed with\n"
		 "its line number, in a workbook its sheet row (the first 100, then how\n"
		 "many more) and nothing is written. A good file is stored in one\n"
		 "transaction, audited as registrations.import with its SHA-256, rows\n"
		 "and import id.\n\n"
		 "  --again      import a file whose SHA-256 was imported before\n"
		 "  --progress   a line on stderr every 100,000 rows (the default when\n"
		 "               stderr is a terminal)\n\n"
		 "Exit status 2: the file has problems; 9: FILE does not exist; 10: the\n"
		 "same file was imported before; 1: FILE cannot be read.\n\n"
		 "Example: probity import registrations registraties-2023.csv\n",
	.run = run_registrations,
};

/* ---- probity import culture FILE: survey figures per department and year
 * (issue 7 item 8; src/culture) ---- */
#include "culture/culture.h"

enum { OPT_REPLACE = OPT_PROGRESS + 1 };

static int on_culture_opt(struct cli *c, void *ctx, int opt, const char *arg)
{
	(void)c, (void)arg;
	struct culture_import_opts *o = ctx;
	switch (opt) {
	case OPT_AGAIN: o->again = 1; return 0;
	case OPT_REPLACE: o->replace = 1; return 0;
	default: return EXIT_USAGE;
	}
}

static int run_culture(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS,
					     {"again", no_argument, NULL, OPT_AGAIN},
					     {"replace", no_argument, NULL, OPT_REPLACE},
					     {0}};
	struct culture_import_opts o = {0};
	struct culture_import_result res;
	db_t *db = NULL;
	int first;
	int rc = cli_parse(c, argc, argv, opts, on_culture_opt, &o, &first);
	if (rc)
		return rc;
	if (argc - first != 1)
		return cli_usage_error(c, "expected one FILE");
	const char *path = argv[first];
	if ((rc = cli_open_signed(c, &db)) != 0)
		return rc;
	o.actor = c->actor;
	switch (culture_import_csv(db, &c->signer, path, &o, &res)) {
	case CUL_OK:
		printf("imported %zu culture figures from %s (%zu replaced; import %lld, sha256 %s)\n",
		       res.rows, path, res.replaced, (long long)res.import_id, res.sha256);
		break;
	case CUL_EINVALID:
		rc = refused(c, path, res.problems, res.nlisted, res.nproblems);
		break;
	case CUL_ENOTFOUND:
		rc = said(c, path, res.err, EXIT_NOT_FOUND);
		break;
	case CUL_ECONFLICT:
		rc = said(c, path, res.err, EXIT_CONFLICT);
		break;
	case CUL_EIO:
		rc = said(c, path, res.err, EXIT_FAIL);
		break;
	default:
		rc = cli_db_fail(c, db, c->cmd->name);
	}
	culture_import_result_free(&res);
	db_close(db);
	return rc;
}

const struct cli_command cmd_import_culture = {
	.name = "import culture",
	.summary = "load survey figures (culture indicators) per department and year from CSV",
	.usage = "usage: probity import culture [--db FILE] [--replace] [--again] FILE\n\n"
		 "Loads FILE, survey figures saved as CSV (comma or semicolon, UTF-8), with\n"
		 "a header row naming the columns in English or Dutch, in any order:\n"
		 "organisation (organisatie), year (jaar), indicator, value (waarde),\n"
		 "respondents (respondenten), source (bron). The indicators:\n"
		 "  would_report    share who would report a suspicion of wrongdoing\n"
		 "  safe_to_speak   share who feel safe to speak up\n"
		 "  knows_adviser   share who know the confidential adviser\n"
		 "  dilemma_talks   share who discussed integrity dilemmas in the past year\n"
		 "The value is a percentage from 0 to 100 with at most one decimal (73,5 or\n"
		 "73.5); a figure needs at least 10 respondents (fewer could reveal who\n"
		 "answered what) and a department that existed in that year.\n\n"
		 "A file with any problem is refused whole with each problem's line number;\n"
		 "nothing is written. A figure already present for the department, year and\n"
		 "indicator is refused unless --replace. Audited as culture.import.\n\n"
		 "  --replace   replace figures already present\n"
		 "  --again     import a file whose SHA-256 was imported before\n\n"
		 "Exit status 2: the file has problems; 9: FILE does not exist; 10: the\n"
		 "same file was imported before; 1: FILE cannot be read.\n\n"
		 "Example: probity import culture personeelsenquete-2024.csv\n",
	.run = run_culture,
};
