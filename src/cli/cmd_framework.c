/* cmd_framework.c: the `probity framework` commands: list the framework
 * library, show a revision, import a revision from a file, export one, and
 * show the difference between two revisions. The rules live in
 * src/frameworks; this file parses arguments, maps refusals to exit codes
 * and prints for an operator. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/file.h"
#include "base/num.h"
#include "cli/cli.h"
#include "frameworks/framework.h"

enum { OPT_ALL = CLI_OPT_FIRST_FREE, OPT_OUT, OPT_NOTE, OPT_LANG };

struct args {
	int all;
	const char *out, *note, *lang;
};

static int on_opt(struct cli *c, void *ctx, int opt, const char *arg)
{
	struct args *a = ctx;
	switch (opt) {
	case OPT_ALL: a->all = 1; return 0;
	case OPT_OUT: return cli_once(c, &a->out, "--out", arg);
	case OPT_NOTE: return cli_once(c, &a->note, "--note", arg);
	case OPT_LANG:
		if (strcmp(arg, "nl") != 0 && strcmp(arg, "en") != 0)
			return cli_usage_error(c, "--lang must be nl or en");
		return cli_once(c, &a->lang, "--lang", arg);
	default:
		return EXIT_USAGE;
	}
}

#define HINT "see 'probity framework list --all'"

/* CODE or CODE@REV into the id of that revision (the latest for CODE).
 * Returns 0 or an exit code after saying why. */
static int find(struct cli *c, db_t *db, const char *arg, int64_t *id)
{
	char code[FW_CODE_MAX + 1];
	const char *at = strchr(arg, '@');
	size_t n = at ? (size_t)(at - arg) : strlen(arg);
	int64_t rev = 0;
	if (n > FW_CODE_MAX)
		return cli_usage_error(c, "'%.40s...' is longer than a framework code (%d)", arg,
				       FW_CODE_MAX);
	memcpy(code, arg, n);
	code[n] = 0;
	if (!fw_code_ok(code))
		return cli_usage_error(c, "'%s' is not a framework code: a-z, 0-9, '.' and '-'",
				       code);
	if (at && num_parse_i64z(at + 1, 1, FW_REVISION_MAX, &rev) != 0)
		return cli_usage_error(c, "'%s': the revision after @ must be a number from 1 to %d",
				       arg, FW_REVISION_MAX);
	int rc = at ? frameworks_find(db, code, (int)rev, id) : frameworks_latest(db, code, id);
	if (rc < 0)
		return cli_db_fail(c, db, c->cmd->name);
	if (rc > 0) {
		if (at)
			cli_error("%s: framework %s has no revision %d: %s", c->cmd->name, code,
				  (int)rev, HINT);
		else
			cli_error("%s: no framework %s: %s", c->cmd->name, code, HINT);
		return EXIT_NOT_FOUND;
	}
	return 0;
}

/* Parses options and exactly want positional arguments (more_ok: at least). */
static int parse(struct cli *c, int argc, char **argv, const struct option *opts, struct args *a,
		 int want, const char *what, int *first)
{
	memset(a, 0, sizeof *a);
	int rc = cli_parse(c, argc, argv, opts, on_opt, a, first);
	if (rc)
		return rc;
	if (argc - *first != want)
		return cli_usage_error(c, "expected %s", what);
	return 0;
}

/* ---- framework list ---- */

static int run_list(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS, {"all", no_argument, NULL, OPT_ALL}, {0}};
	enum { CAP = 4096 };
	struct args a;
	db_t *db;
	size_t n;
	int first;
	int rc = parse(c, argc, argv, opts, &a, 0, "no arguments", &first);
	if (rc)
		return rc;
	if ((rc = cli_open_db(c, CLI_DB_READ, &db)) != 0)
		return rc;
	struct fw_version_row *rows = calloc(CAP, sizeof *rows);
	if (!rows || frameworks_list(db, !a.all, rows, CAP, &n) != 0) {
		rc = rows ? cli_db_fail(c, db, c->cmd->name) : EXIT_FAIL;
		goto out;
	}
	if (n == 0)
		printf("no frameworks yet: 'probity init' stores the shipped ones\n");
	size_t w = 4;
	for (size_t i = 0; i < n; i++)
		w = strlen(rows[i].code) > w ? strlen(rows[i].code) : w;
	for (size_t i = 0; i < n; i++) {
		const struct fw_version_row *r = &rows[i];
		printf("%-*s  %4d  %s  (%s, %s)\n", (int)w, r->code, r->revision,
		       r->title_en[0] ? r->title_en : r->title_nl, r->created_on,
		       r->created_by ? "edited here" : r->note[0] ? r->note : "shipped or imported");
	}
out:
	free(rows);
	db_close(db);
	return rc;
}

const struct cli_command cmd_framework_list = {
	.name = "framework list",
	.summary = "list the assessment frameworks and their revisions",
	.usage = "usage: probity framework list [--db FILE] [--all]\n\n"
		 "Prints the latest revision of each framework in the library, one per\n"
		 "line: code, revision, English title (Dutch when there is none), the\n"
		 "day it was stored, and who made it.\n\n"
		 "  --all   every revision, not only the latest\n",
	.run = run_list,
};

/* ---- framework show ---- */

static int run_show(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS, {"lang", required_argument, NULL, OPT_LANG}, {0}};
	struct args a;
	struct framework f;
	db_t *db;
	int64_t id;
	int first;
	int rc = parse(c, argc, argv, opts, &a, 1, "CODE or CODE@REVISION", &first);
	if (rc)
		return rc;
	const char *lang = a.lang ? a.lang : "en";
	if ((rc = cli_open_db(c, CLI_DB_READ, &db)) != 0)
		return rc;
	if ((rc = find(c, db, argv[first], &id)) != 0)
		goto out;
	if (frameworks_load(db, id, &f) != 0) {
		rc = cli_db_fail(c, db, c->cmd->name);
		goto out;
	}
	printf("%s revision %d: %s\n", f.code, f.revision, fw_lang(f.title_nl, f.title_en, lang));
	printf("kind: %s; published: %s\nsource: %s\n", f.kind, f.published, f.source);
	for (size_t p = 0; p < (f.npillars ? f.npillars : 1); p++) {
		if (f.npillars)
			printf("\npillar %s: %s\n", f.pillars[p].code,
			       fw_lang(f.pillars[p].title_nl, f.pillars[p].title_en, lang));
		for (size_t g = 0; g < f.ngroups; g++) {
			const struct fw_group *gr = &f.groups[g];
			if (f.npillars && gr->pillar != (int)p)
				continue;
			printf("\n%s %s\n", gr->code, fw_lang(gr->title_nl, gr->title_en, lang));
			for (size_t r = gr->first; r < gr->first + gr->n; r++)
				printf("  %s  %s\n", f.reqs[r].code,
				       fw_lang(f.reqs[r].text_nl, f.reqs[r].text_en, lang));
		}
	}
	framework_free(&f);
out:
	db_close(db);
	return rc;
}

const struct cli_command cmd_framework_show = {
	.name = "framework show",
	.summary = "print one revision of a framework",
	.usage = "usage: probity framework show [--db FILE] [--lang en|nl] CODE[@REVISION]\n\n"
		 "Prints a framework revision (the latest when no @REVISION is given):\n"
		 "its title, kind, publication and source, then its pillars, groups and\n"
		 "requirements with their codes, in English (default) or Dutch.\n"
		 "Exit status 9: no such framework or revision.\n\n"
		 "Example: probity framework show basisnormen-2006@1 --lang nl\n",
	.run = run_show,
};

/* ---- framework import ---- */

static int run_import(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS, {"note", required_argument, NULL, OPT_NOTE}, {0}};
	struct args a;
	struct framework f;
	db_t *db = NULL;
	char err[700], *text;
	size_t len;
	int64_t id;
	int first;
	int rc = parse(c, argc, argv, opts, &a, 1, "FILE", &first);
	if (rc)
		return rc;
	const char *path = argv[first];
	if (file_read_all(path, FW_FILE_MAX, &text, &len, err, sizeof err) != 0) {
		cli_error("%s: %s", c->cmd->name, err);
		return errno == ENOENT ? EXIT_NOT_FOUND : EXIT_FAIL;
	}
	rc = framework_parse(text, len, &f, err, sizeof err);
	free(text);
	if (rc != 0) {
		cli_error("%s: %s: %s", c->cmd->name, path, err);
		return EXIT_USAGE;
	}
	if ((rc = cli_open_signed(c, &db)) != 0)
		goto out;
	switch (frameworks_import(db, &c->signer, &f, c->actor, 0, a.note ? a.note : "", &id, err,
				  sizeof err)) {
	case FW_SAVE_OK:
		printf("imported %s revision %d\n", f.code, f.revision);
		break;
	case FW_SAVE_EINVALID:
		cli_error("%s: %s: %s", c->cmd->name, path, err);
		rc = EXIT_USAGE;
		break;
	case FW_SAVE_ESTALE:
	case FW_SAVE_ESAME:
		cli_error("%s: %s: %s", c->cmd->name, path, err);
		rc = EXIT_CONFLICT;
		break;
	default:
		rc = cli_db_fail(c, db, c->cmd->name);
	}
out:
	framework_free(&f);
	db_close(db);
	return rc;
}

const struct cli_command cmd_framework_import = {
	.name = "framework import",
	.summary = "store a framework revision from a JSON file",
	.usage = "usage: probity framework import [--db FILE] [--note TEXT] FILE\n\n"
		 "Reads FILE (format probity-framework, docs/assessment.md) and stores it\n"
		 "as a new revision of its framework, audited as framework.import. A new\n"
		 "code may have any revision; for a code in the library the file's\n"
		 "revision must be higher than the latest, and its content must differ.\n\n"
		 "  --note TEXT   why this revision is added (at most 500 bytes)\n\n"
		 "Exit status 2: the file is not a valid framework (the message names the\n"
		 "part, e.g. 'groups[3].requirements[1].code'); 9: FILE does not exist;\n"
		 "10: not newer than the latest revision, or nothing changed. On any\n"
		 "refusal nothing is stored.\n",
	.run = run_import,
};

/* ---- framework export ---- */

static int run_export(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS, {"out", required_argument, NULL, OPT_OUT}, {0}};
	struct args a;
	db_t *db;
	int64_t id;
	char *body = NULL;
	size_t len;
	int first;
	int rc = parse(c, argc, argv, opts, &a, 1, "CODE or CODE@REVISION", &first);
	if (rc)
		return rc;
	if ((rc = cli_open_db(c, CLI_DB_READ, &db)) != 0)
		return rc;
	if ((rc = find(c, db, argv[first], &id)) != 0)
		goto out;
	if (frameworks_body(db, id, &body, &len) != 0) {
		rc = cli_db_fail(c, db, c->cmd->name);
		goto out;
	}
	if (!a.out) {
		if (fwrite(body, 1, len, stdout) != len || fflush(stdout) != 0) {
			cli_error("%s: cannot write to standard output", c->cmd->name);
			rc = EXIT_FAIL;
		}
		goto out;
	}
	/* "x": an existing file is never overwritten */
	FILE *fp = fopen(a.out, "wx");
	if (!fp) {
		int e = errno;
		cli_error("%s: cannot create %s: %s", c->cmd->name, a.out,
			  e == EEXIST ? "it exists already; choose another name" : strerror(e));
		rc = e == EEXIST ? EXIT_CONFLICT : EXIT_FAIL;
		goto out;
	}
	int bad = fwrite(body, 1, len, fp) != len;
	bad |= fclose(fp) != 0;
	if (bad) {
		cli_error("%s: cannot write %s", c->cmd->name, a.out);
		remove(a.out);
		rc = EXIT_FAIL;
		goto out;
	}
	printf("wrote %s\n", a.out);
out:
	free(body);
	db_close(db);
	return rc;
}

const struct cli_command cmd_framework_export = {
	.name = "framework export",
	.summary = "write a framework revision as a JSON file",
	.usage = "usage: probity framework export [--db FILE] [--out FILE] CODE[@REVISION]\n\n"
		 "Writes the revision (the latest when no @REVISION is given) in the\n"
		 "canonical form of the format probity-framework, which 'probity framework\n"
		 "import' reads back, to standard output or to a new FILE.\n\n"
		 "  --out FILE   write to FILE, which must not exist yet\n\n"
		 "Exit status 9: no such framework or revision; 10: FILE exists.\n",
	.run = run_export,
};

/* ---- framework diff ---- */

static int run_diff(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS, {0}};
	struct args a;
	struct framework f1 = {0}, f2 = {0};
	struct fw_diff d = {0};
	db_t *db;
	int64_t id1, id2;
	int first;
	int rc = parse(c, argc, argv, opts, &a, 3, "CODE REVISION1 REVISION2", &first);
	if (rc)
		return rc;
	char s1[FW_CODE_MAX + 16], s2[FW_CODE_MAX + 16];
	if (strlen(argv[first]) > FW_CODE_MAX || strchr(argv[first], '@'))
		return cli_usage_error(c, "'%.40s' is not a framework code", argv[first]);
	snprintf(s1, sizeof s1, "%s@%.8s", argv[first], argv[first + 1]);
	snprintf(s2, sizeof s2, "%s@%.8s", argv[first], argv[first + 2]);
	if ((rc = cli_open_db(c, CLI_DB_READ, &db)) != 0)
		return rc;
	if ((rc = find(c, db, s1, &id1)) != 0 || (rc = find(c, db, s2, &id2)) != 0)
		goto out;
	if (frameworks_load(db, id1, &f1) != 0 || frameworks_load(db, id2, &f2) != 0) {
		rc = cli_db_fail(c, db, c->cmd->name);
		goto out;
	}
	fw_diff(&f1, &f2, &d);
	printf("%s revision %d to revision %d: %zu change%s\n", f1.code, f1.revision, f2.revision,
	       d.n, d.n == 1 ? "" : "s");
	for (size_t i = 0; i < d.n; i++) {
		char line[600];
		fw_change_line(&d.changes[i], line, sizeof line);
		printf("  %s\n", line);
	}
out:
	fw_diff_free(&d);
	framework_free(&f1);
	framework_free(&f2);
	db_close(db);
	return rc;
}

const struct cli_command cmd_framework_diff = {
	.name = "framework diff",
	.summary = "show what changed between two revisions of a framework",
	.usage = "usage: probity framework diff [--db FILE] CODE REVISION1 REVISION2\n\n"
		 "Prints one line per change from REVISION1 to REVISION2: the framework's\n"
		 "title, source, publication or kind; pillars, groups and requirements\n"
		 "added, removed, retitled, reworded or moved to another group. Parts are\n"
		 "matched by their codes. Exit status 9: no such framework or revision.\n\n"
		 "Example: probity framework diff basisnormen-2006 1 2\n",
	.run = run_diff,
};
