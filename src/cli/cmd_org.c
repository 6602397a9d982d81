/* cmd_org.c: the `probity org` commands: list and show the organisation tree
 * as it was on any date, and add, rename, split and merge organisations. The
 * rules live in src/orgs/model.c; this file parses arguments, maps refusals to
 * exit codes and prints for an operator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/date.h"
#include "cli/cli.h"
#include "orgs/orgs.h"

enum {
	OPT_AT = CLI_OPT_FIRST_FREE,
	OPT_ALL,
	OPT_NAME,
	OPT_KIND,
	OPT_PARENT,
	OPT_FROM,
	OPT_OUTSIDE,
	OPT_TO,
	OPT_ON,
	OPT_INTO,
	OPT_MOVE,
};

/* What the options of any org command said. Strings point into argv or into
 * the arena (for the halves of CODE=NAME). */
struct args {
	struct arena a;
	const char *at, *name, *parent, *from, *to, *on;
	int all, outside, kind;
	struct org_successor into[ORG_MAX_SUCCESSORS];
	size_t ninto;
	struct org_move moves[ORG_MAX_MOVES];
	size_t nmoves;
};

static int on_opt(struct cli *c, void *ctx, int opt, const char *arg)
{
	struct args *a = ctx;
	const char *eq;
	switch (opt) {
	case OPT_AT: return cli_once(c, &a->at, "--at", arg);
	case OPT_ALL: a->all = 1; return 0;
	case OPT_NAME: return cli_once(c, &a->name, "--name", arg);
	case OPT_PARENT: return cli_once(c, &a->parent, "--parent", arg);
	case OPT_FROM: return cli_once(c, &a->from, "--from", arg);
	case OPT_TO: return cli_once(c, &a->to, "--to", arg);
	case OPT_ON: return cli_once(c, &a->on, "--on", arg);
	case OPT_OUTSIDE: a->outside = 1; return 0;
	case OPT_KIND: {
		enum org_kind k;
		if (a->kind >= 0)
			return cli_usage_error(c, "--kind is given twice");
		if (org_kind_parse(arg, &k) != 0)
			return cli_usage_error(c, "--kind must be government, department or unit");
		a->kind = (int)k;
		return 0;
	}
	case OPT_INTO:
		if (a->ninto == ORG_MAX_SUCCESSORS)
			return cli_usage_error(c, "more than %d --into", ORG_MAX_SUCCESSORS);
		eq = strchr(arg, '=');
		a->into[a->ninto].code = eq ? arena_strndup(&a->a, arg, (size_t)(eq - arg)) : arg;
		a->into[a->ninto].name = eq ? eq + 1 : NULL;
		a->ninto++;
		return 0;
	case OPT_MOVE:
		if (a->nmoves == ORG_MAX_MOVES)
			return cli_usage_error(c, "more than %d --move", ORG_MAX_MOVES);
		eq = strchr(arg, '=');
		if (!eq)
			return cli_usage_error(c, "--move needs UNIT=SUCCESSOR, e.g. --move IND=AENM");
		a->moves[a->nmoves].unit = arena_strndup(&a->a, arg, (size_t)(eq - arg));
		a->moves[a->nmoves].to = eq + 1;
		a->nmoves++;
		return 0;
	default:
		return EXIT_USAGE;
	}
}

/* Parses options into *a (which the caller frees with args_free). */
static int parse(struct cli *c, int argc, char **argv, const struct option *opts,
		 struct args *a, int *first)
{
	memset(a, 0, sizeof *a);
	a->kind = -1;
	return cli_parse(c, argc, argv, opts, on_opt, a, first);
}

static void args_free(struct args *a)
{
	arena_free(&a->a);
}

/* Reports a refusal from the model or store with the documented exit code. */
static int org_fail(struct cli *c, db_t *db, const struct org_error *e)
{
	static const enum cli_refusal why[ORG_EDB + 1] = {
		[ORG_EINVALID] = CLI_INVALID, [ORG_ENOTFOUND] = CLI_NOTFOUND,
		[ORG_ECONFLICT] = CLI_CONFLICT, [ORG_EDB] = CLI_DBFAIL};
	return cli_refused(c, db, (unsigned)e->cls <= ORG_EDB ? why[e->cls] : CLI_REFUSED, e->msg,
			   "see 'probity org list --all'");
}

/* Checks a date argument; returns 0 or the usage error's exit code. */
static int date_arg(struct cli *c, const char *opt, const char *s)
{
	struct org_error e;
	if (org_check_date(opt, s, &e) == 0)
		return 0;
	return cli_usage_error(c, "%s", e.msg);
}

/* Opens the database read-only and loads the whole tree in one snapshot. */
static int load(struct cli *c, db_t **db, struct org_table *t)
{
	int rc = cli_open_db(c, CLI_DB_READ, db);
	if (rc)
		return rc;
	if (db_begin_read(*db) != 0 || orgs_load(*db, t) != 0) {
		rc = cli_db_fail(c, *db, c->cmd->name);
		db_rollback(*db);
		db_close(*db);
		*db = NULL;
		return rc;
	}
	db_rollback(*db); /* ends the read snapshot; nothing was written */
	return 0;
}

/* Columns a terminal gives s: one per character, which holds for the Latin
 * scripts of organisation names. */
static size_t width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void period(const struct org *o, char *out, size_t len)
{
	if (o->valid_to[0])
		snprintf(out, len, "from %s until %s", o->valid_from, o->valid_to);
	else
		snprintf(out, len, "from %s", o->valid_from);
}

#define SCOPE_MARK "(outside coordinator's scope)"

/* ---- org list ---- */

static int run_list(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{"at", required_argument, NULL, OPT_AT},
		{"all", no_argument, NULL, OPT_ALL},
		{0},
	};
	struct args a;
	struct org_table t;
	struct org_tree_item *items = NULL;
	size_t n = 0;
	char today[DATE_LEN + 1];
	db_t *db = NULL;
	int first, rc;
	org_table_init(&t);
	if ((rc = parse(c, argc, argv, opts, &a, &first)) != 0)
		goto out;
	if (first < argc) {
		rc = cli_usage_error(c, "unexpected argument '%s' (to see one organisation: "
				     "probity org show CODE)", argv[first]);
		goto out;
	}
	if (a.at && a.all) {
		rc = cli_usage_error(c, "give --at DATE or --all, not both");
		goto out;
	}
	date_today(today);
	const char *at = a.all ? NULL : a.at ? a.at : today;
	if (at && (rc = date_arg(c, "--at", at)) != 0)
		goto out;
	if ((rc = load(c, &db, &t)) != 0)
		goto out;
	org_tree(&t, at, 0, &items, &n);
	if (n == 0) {
		if (t.nrows == 0)
			printf("no organisations yet: add the government first with 'probity org add "
			       "CODE --name NAME --kind government'\n");
		else
			printf("no organisations on %s (try --all to see every period)\n", at);
		goto out;
	}
	size_t codew = 0, namew = 0;
	for (size_t i = 0; i < n; i++) {
		size_t w = 2 * (size_t)items[i].depth + strlen(items[i].row->code);
		codew = w > codew ? w : codew;
		w = width(items[i].row->name);
		namew = w > namew ? w : namew;
	}
	if (at)
		printf("organisations on %s:\n", at);
	else
		printf("all organisations with their periods ('until' is the day of the change that "
		       "ended it):\n");
	for (size_t i = 0; i < n; i++) {
		const struct org *o = items[i].row;
		int ind = 2 * items[i].depth;
		char per[64] = "";
		if (!at)
			period(o, per, sizeof per);
		/* columns are padded only when something follows them, so that no
		 * line ends in spaces */
		int more = o->outside_scope || per[0];
		printf("%*s%-*s  %s%*s  %-*s%s%-*s%s%s\n", ind, "", (int)codew - ind, o->code,
		       o->name, (int)(namew - width(o->name)), "", more ? 10 : 0,
		       org_kind_name(o->kind), per[0] ? "  " : "",
		       o->outside_scope && per[0] ? 32 : 0, per, o->outside_scope ? "  " : "",
		       o->outside_scope ? SCOPE_MARK : "");
	}
out:
	free(items);
	org_table_free(&t);
	db_close(db);
	args_free(&a);
	return rc;
}

const struct cli_command cmd_org_list = {
	.name = "org list",
	.summary = "show the organisation tree as it was on a date",
	.usage = "usage: probity org list [--db FILE] [--at DATE | --all]\n\n"
		 "Prints the government, its departments and their units as an indented\n"
		 "tree, one organisation per line: code, name, kind, and \"(outside\n"
		 "coordinator's scope)\" for Defence-like departments and their units.\n\n"
		 "  --at DATE   the tree as it was on DATE (YYYY-MM-DD); default today\n"
		 "  --all       every organisation that ever existed, with its period; a\n"
		 "              period runs from its first day until, not including, the\n"
		 "              day of the change that ended it\n\n"
		 "Example: probity org list --at 2023-01-01\n",
	.run = run_list,
};

/* ---- org show ---- */

/* "EZK Economische Zaken (department from 2017-10-26 until 2024-07-02)" for a
 * lineage step, then the units the organisation had at its end. */
static void print_step(const struct org_table *t, const struct org_lineage_step *s,
		       int forward)
{
	static const char *const back[] = {"renamed from", "split from", "merged from",
					   "moved from"};
	static const char *const fwd[] = {"renamed to", "split into", "merged into", "moved to"};
	const struct org *o = s->row;
	const struct org *parent = o->parent_id ? org_by_id(t, o->parent_id) : NULL;
	int ind = 2 * s->depth;
	char per[64];
	period(o, per, sizeof per);
	printf("%*s%s  %s %s  %s\n", ind, "", s->link->on,
	       (forward ? fwd : back)[s->link->kind], o->code, o->name);
	printf("%*s%s%s%s, %s%s%s\n", ind + DATE_LEN + 2, "", org_kind_name(o->kind),
	       parent ? " under " : "", parent ? parent->code : "", per,
	       o->outside_scope ? ", " : "", o->outside_scope ? SCOPE_MARK : "");
	const struct org **kids;
	size_t n = org_children(t, o, NULL, &kids);
	if (n) {
		printf("%*s%s: ", ind + DATE_LEN + 2, "",
		       o->valid_to[0] ? "units at its end" : "units now");
		for (size_t i = 0; i < n; i++)
			printf("%s%s", i ? ", " : "", kids[i]->code);
		printf("\n");
	}
	free(kids);
}

static void print_lineage(const struct org_table *t, const struct org *o, int forward)
{
	struct org_lineage_step *steps;
	size_t n;
	org_lineage(t, o->id, forward, &steps, &n);
	printf("%s:%s\n", forward ? "successors" : "predecessors", n ? "" : " none");
	for (size_t i = 0; i < n; i++)
		print_step(t, &steps[i], forward);
	free(steps);
}

/* Explains why code names nothing on date: it never existed, or when it did. */
static int not_found_at(const struct org_table *t, const char *code, const char *date)
{
	char periods[400];
	size_t used = 0;
	periods[0] = 0;
	for (size_t i = 0; i < t->nrows && used + 64 < sizeof periods; i++) {
		const struct org *o = &t->rows[i];
		if (!org_code_eq(o->code, code))
			continue;
		char per[64];
		period(o, per, sizeof per);
		int k = snprintf(periods + used, sizeof periods - used, "%s%s", used ? "; " : "",
				 per);
		if (k > 0)
			used += (size_t)k;
	}
	if (!used) {
		cli_error("org show: no organisation has code %s: see 'probity org list --all'",
			  code);
		return EXIT_NOT_FOUND;
	}
	cli_error("org show: %s did not exist on %s (it existed %s): give --at a date inside "
		  "that period", code, date, periods);
	return EXIT_NOT_FOUND;
}

static int run_show(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{"at", required_argument, NULL, OPT_AT},
		{0},
	};
	struct args a;
	struct org_table t;
	struct org_error e;
	char today[DATE_LEN + 1];
	db_t *db = NULL;
	int first, rc;
	org_table_init(&t);
	if ((rc = parse(c, argc, argv, opts, &a, &first)) != 0)
		goto out;
	if (first != argc - 1) {
		rc = cli_usage_error(c, first < argc ? "give one code" : "give the code of the "
				     "organisation, e.g. probity org show EZK");
		goto out;
	}
	const char *code = argv[first];
	if (org_check_code("code", code, &e) != 0) {
		rc = cli_usage_error(c, "%s", e.msg);
		goto out;
	}
	if (a.at && (rc = date_arg(c, "--at", a.at)) != 0)
		goto out;
	if ((rc = load(c, &db, &t)) != 0)
		goto out;
	date_today(today);
	/* without --at: today's organisation, else the last one that had the code */
	const struct org *o = a.at ? org_find_at(&t, code, a.at) : org_find_at(&t, code, today);
	if (!o && !a.at)
		o = org_find_latest(&t, code);
	if (!o) {
		rc = not_found_at(&t, code, a.at ? a.at : today);
		goto out;
	}
	const struct org *parent = o->parent_id ? org_by_id(&t, o->parent_id) : NULL;
	char per[64];
	period(o, per, sizeof per);
	printf("%s  %s\n", o->code, o->name);
	printf("  kind      %s\n", org_kind_name(o->kind));
	if (parent)
		printf("  parent    %s  %s\n", parent->code, parent->name);
	printf("  period    %s%s\n", per, o->valid_to[0] ? "" : " (current)");
	printf("  scope     %s\n", o->outside_scope ? "outside the coordinator's scope: its "
	       "figures never appear in the coordinator's" : "inside the coordinator's scope");
	/* the children on the date asked, or on the organisation's last day */
	const char *at = a.at ? a.at : org_alive_at(o, today) ? today : NULL;
	const struct org **kids;
	size_t n = org_children(&t, o, at, &kids);
	const char *label = o->kind == ORG_GOVERNMENT ? "departments" :
			    o->kind == ORG_DEPARTMENT ? "units" : "sub-units";
	/* most units have no sub-units: saying so would be noise */
	if (n || o->kind != ORG_UNIT) {
		if (at)
			printf("  %s on %s:%s\n", label, at, n ? "" : " none");
		else
			printf("  %s at its end:%s\n", label, n ? "" : " none");
	}
	size_t codew = 0;
	for (size_t i = 0; i < n; i++)
		codew = strlen(kids[i]->code) > codew ? strlen(kids[i]->code) : codew;
	for (size_t i = 0; i < n; i++)
		printf("    %-*s  %s\n", (int)codew, kids[i]->code, kids[i]->name);
	free(kids);
	print_lineage(&t, o, 0);
	print_lineage(&t, o, 1);
out:
	org_table_free(&t);
	db_close(db);
	args_free(&a);
	return rc;
}

const struct cli_command cmd_org_show = {
	.name = "org show",
	.summary = "show one organisation with its units, predecessors and successors",
	.usage = "usage: probity org show [--db FILE] CODE [--at DATE]\n\n"
		 "Prints the organisation CODE: kind, parent, period, scope and its units,\n"
		 "then its lineage: the organisations it came from (renamed, split, merged\n"
		 "or moved), followed back in time, and those it became, followed forward,\n"
		 "each with its dates and units.\n\n"
		 "  --at DATE   the organisation that had CODE on DATE (YYYY-MM-DD) and its\n"
		 "              units then; default: today's, or else the last one with CODE\n\n"
		 "Examples: probity org show EZK --at 2023-01-01\n"
		 "          probity org show KGG\n",
	.run = run_show,
};

/* ---- changes ---- */

/* The end of every changing command's --help: what scripts can rely on. */
#define EXIT_HELP                                                                          \
	"\nThe change and its audit entries are written in one transaction: on any\n"      \
	"refusal nothing changes. Exit status 2: a malformed argument; 9: a code\n"        \
	"names no current organisation; 10: the change contradicts the data (the\n"      \
	"message says why and what to do).\n"

/* Runs one change in one transaction and prints what it did. */
static int run_change(struct cli *c, const struct org_change *ch, const char *verb)
{
	db_t *db;
	char *summary = NULL;
	size_t moved = 0;
	struct org_error e;
	int rc = cli_open_db(c, CLI_DB_WRITE, &db);
	if (rc)
		return rc;
	if ((rc = cli_load_signer(c)) != 0)
		goto out;
	if (orgs_change(db, &c->signer, c->actor, ch, &summary, &moved, &e) != 0) {
		rc = org_fail(c, db, &e);
		goto out;
	}
	printf("%s %s", verb, summary);
	if (moved)
		printf("; %zu organisation%s beneath it moved along", moved, moved == 1 ? "" : "s");
	printf("\n");
out:
	free(summary);
	db_close(db);
	return rc;
}

static int run_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{"name", required_argument, NULL, OPT_NAME},
		{"kind", required_argument, NULL, OPT_KIND},
		{"parent", required_argument, NULL, OPT_PARENT},
		{"from", required_argument, NULL, OPT_FROM},
		{"outside-scope", no_argument, NULL, OPT_OUTSIDE},
		{0},
	};
	struct args a;
	char today[DATE_LEN + 1];
	int first, rc;
	if ((rc = parse(c, argc, argv, opts, &a, &first)) != 0)
		goto out;
	if (first != argc - 1) {
		rc = cli_usage_error(c, first < argc ? "give one code" : "give the new "
				     "organisation's code, e.g. probity org add EZK --name ...");
		goto out;
	}
	if (!a.name) {
		rc = cli_usage_error(c, "give the name with --name NAME");
		goto out;
	}
	if (!a.parent && a.kind < 0) {
		rc = cli_usage_error(c, "give --parent CODE (the department or government it "
				     "belongs to), or --kind government for a new root");
		goto out;
	}
	date_today(today);
	struct org_change ch = {
		.op = ORG_OP_ADD, .on = a.from ? a.from : today, .code = argv[first],
		.name = a.name, .parent = a.parent, .kind = a.kind, .scope = a.outside ? 1 : -1,
	};
	rc = run_change(c, &ch, "added");
out:
	args_free(&a);
	return rc;
}

const struct cli_command cmd_org_add = {
	.name = "org add",
	.summary = "add a government, department or unit",
	.usage = "usage: probity org add [--db FILE] CODE --name NAME [--parent CODE]\n"
		 "           [--kind government|department|unit] [--from DATE] [--outside-scope]\n\n"
		 "Adds an organisation. CODE is 1-24 letters, digits and hyphens, unique\n"
		 "among current organisations (case ignored); a code can be reused once its\n"
		 "earlier holder has ended. NAME is at most 200 bytes.\n\n"
		 "  --parent CODE    the government of a department, the department (or unit)\n"
		 "                   of a unit\n"
		 "  --kind KIND      default: department under a government, unit otherwise;\n"
		 "                   a government has no parent\n"
		 "  --from DATE      its first day (YYYY-MM-DD); default today\n"
		 "  --outside-scope  a department outside the coordinating ministry's scope\n"
		 "                   (like Defence); its units inherit this\n\n"
		 "Examples: probity org add RIJK --name Rijksoverheid --kind government\n"
		 "          probity org add DEF --name Defensie --parent RIJK --outside-scope\n"
		 "          probity org add IND --name 'Immigratie- en Naturalisatiedienst' \\\n"
		 "              --parent JENV --from 2017-10-26\n"
		 EXIT_HELP,
	.run = run_add,
};

/* Shared checks of the date of a reorganisation. */
static int need_on(struct cli *c, const struct args *a, const char *what)
{
	if (!a->on)
		return cli_usage_error(c, "give the day of the %s with --on YYYY-MM-DD", what);
	return date_arg(c, "--on", a->on);
}

static int run_rename(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{"to", required_argument, NULL, OPT_TO},
		{"name", required_argument, NULL, OPT_NAME},
		{"on", required_argument, NULL, OPT_ON},
		{0},
	};
	struct args a;
	int first, rc;
	if ((rc = parse(c, argc, argv, opts, &a, &first)) != 0)
		goto out;
	if (first != argc - 1) {
		rc = cli_usage_error(c, "give the code of the one organisation to rename");
		goto out;
	}
	if (!a.to && !a.name) {
		rc = cli_usage_error(c, "give a new code with --to CODE, a new name with --name "
				     "NAME, or both");
		goto out;
	}
	if ((rc = need_on(c, &a, "rename")) != 0)
		goto out;
	/* only a new name: the code stays */
	struct org_successor s = {.code = a.to ? a.to : argv[first], .name = a.name};
	struct org_change ch = {.op = ORG_OP_RENAME, .on = a.on, .code = argv[first],
				.into = &s, .ninto = 1, .kind = -1, .scope = -1};
	rc = run_change(c, &ch, "renamed");
out:
	args_free(&a);
	return rc;
}

const struct cli_command cmd_org_rename = {
	.name = "org rename",
	.summary = "give an organisation a new code or name from a date",
	.usage = "usage: probity org rename [--db FILE] CODE [--to NEWCODE] [--name NAME] --on DATE\n\n"
		 "Ends organisation CODE on DATE and continues it from DATE as NEWCODE (same\n"
		 "kind, parent and scope), linked as a rename so that figures follow it.\n"
		 "Its units move along under the new organisation, with their own units.\n"
		 "Give --to, --name or both: without --name the name stays, without --to\n"
		 "the code stays.\n"
		 "DATE must come after CODE began.\n\n"
		 "Example: probity org rename LNV --to LVVN \\\n"
		 "             --name 'Landbouw, Visserij, Voedselzekerheid en Natuur' --on 2024-07-02\n"
		 EXIT_HELP,
	.run = run_rename,
};

static int run_split(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{"into", required_argument, NULL, OPT_INTO},
		{"move", required_argument, NULL, OPT_MOVE},
		{"on", required_argument, NULL, OPT_ON},
		{0},
	};
	struct args a;
	int first, rc;
	if ((rc = parse(c, argc, argv, opts, &a, &first)) != 0)
		goto out;
	if (first != argc - 1) {
		rc = cli_usage_error(c, "give the code of the one organisation to split");
		goto out;
	}
	if (a.ninto < 2) {
		rc = cli_usage_error(c, "give at least two successors, each with --into CODE=NAME");
		goto out;
	}
	if ((rc = need_on(c, &a, "split")) != 0)
		goto out;
	struct org_change ch = {.op = ORG_OP_SPLIT, .on = a.on, .code = argv[first],
				.into = a.into, .ninto = a.ninto, .moves = a.moves,
				.nmoves = a.nmoves, .kind = -1, .scope = -1};
	rc = run_change(c, &ch, "split");
out:
	args_free(&a);
	return rc;
}

const struct cli_command cmd_org_split = {
	.name = "org split",
	.summary = "split an organisation into two or more from a date",
	.usage = "usage: probity org split [--db FILE] CODE --into NEW=NAME --into NEW2=NAME2 ...\n"
		 "           [--move UNIT=NEW ...] --on DATE\n\n"
		 "Ends organisation CODE on DATE and opens its successors from DATE (same\n"
		 "kind, parent and scope), each linked to CODE as a split. One successor may\n"
		 "keep CODE (as BZK did when VRO split off); it may then leave out =NAME to\n"
		 "keep the name. Every current unit of CODE must go to a successor with\n"
		 "--move UNIT=NEW; its own units go along.\n\n"
		 "Example: probity org split EZK --into EZ='Economische Zaken' \\\n"
		 "             --into KGG='Klimaat en Groene Groei' \\\n"
		 "             --move DGBI=EZ --move DGKE=KGG --on 2024-07-02\n"
		 EXIT_HELP,
	.run = run_split,
};

static int run_merge(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{"into", required_argument, NULL, OPT_INTO},
		{"on", required_argument, NULL, OPT_ON},
		{0},
	};
	struct args a;
	int first, rc;
	if ((rc = parse(c, argc, argv, opts, &a, &first)) != 0)
		goto out;
	if (argc - first < 2) {
		rc = cli_usage_error(c, "give the codes of at least two organisations to merge");
		goto out;
	}
	if (argc - first > ORG_MAX_MERGE) {
		rc = cli_usage_error(c, "at most %d organisations merge at once", ORG_MAX_MERGE);
		goto out;
	}
	if (a.ninto != 1) {
		rc = cli_usage_error(c, a.ninto ? "give one successor: --into once" :
				     "give the successor with --into CODE=NAME");
		goto out;
	}
	if ((rc = need_on(c, &a, "merge")) != 0)
		goto out;
	struct org_change ch = {.op = ORG_OP_MERGE, .on = a.on,
				.preds = (const char *const *)(argv + first),
				.npreds = (size_t)(argc - first), .into = a.into, .ninto = 1,
				.kind = -1, .scope = -1};
	rc = run_change(c, &ch, "merged");
out:
	args_free(&a);
	return rc;
}

const struct cli_command cmd_org_merge = {
	.name = "org merge",
	.summary = "merge two or more organisations into one from a date",
	.usage = "usage: probity org merge [--db FILE] CODE CODE2 ... --into NEW=NAME --on DATE\n\n"
		 "Ends the organisations CODE, CODE2, ... on DATE and opens NEW from DATE,\n"
		 "linked to each as a merge; all their units move along under NEW. They\n"
		 "must be of one kind, under one parent and on the same side of the\n"
		 "coordinator's scope. NEW may keep one of their codes, and then may leave\n"
		 "out =NAME to keep that one's name.\n\n"
		 "Example: probity org merge DGA DGNVLG \\\n"
		 "             --into DGLN='Directoraat-generaal Landbouw en Natuur' --on 2025-01-01\n"
		 EXIT_HELP,
	.run = run_merge,
};
