/* cmd_user.c: the `probity user` commands: add accounts with their roles, list
 * them, disable and enable them, reset a password, give and take roles. The
 * rules live in src/accounts; this file parses arguments, reads passwords,
 * maps refusals to exit codes and prints for an operator.
 *
 * Passwords come from standard input (its first line) when it is not a
 * terminal, so that scripts can pipe them in without putting them on a
 * command line that `ps` shows; at a terminal they are typed twice without
 * echo. They are wiped as soon as they have been used. */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "accounts/email.h"
#include "base/alloc.h"
#include "cli/cli.h"
#include "cli/prompt.h"

enum {
	OPT_NAME = CLI_OPT_FIRST_FREE,
	OPT_ROLE,
	OPT_ORG,
	OPT_ADD,
	OPT_REMOVE,
	OPT_CLEAR,
};

#define MAX_ROLE_ARGS 16
#define PW_BUF (ACCOUNT_PASSWORD_MAX + 2)  /* the line, one byte to notice more, NUL */

/* What the options of any user command said; strings point into argv. */
struct args {
	const char *name, *org;
	struct account_role_spec roles[MAX_ROLE_ARGS];
	size_t nroles;
	int pending;        /* user add: a --role waits for its --org */
	int mode;           /* user role: OPT_ADD or OPT_REMOVE, 0 when not given */
	enum role role;     /* user role: the role to add or remove */
};

static const char ROLE_LIST[] =
	"reporter, confidential_adviser, manager, integrity_coordinator, investigator, "
	"competent_authority, coordinator, ipim_member, auditor, administrator";

static int parse_role(struct cli *c, const char *opt, const char *arg, enum role *out)
{
	if (role_parse(arg, out) == 0)
		return 0;
	return cli_usage_error(c, "%s: unknown role '%.40s' (roles: %s)", opt, arg, ROLE_LIST);
}

static int on_opt(struct cli *c, void *ctx, int opt, const char *arg)
{
	struct args *a = ctx;
	switch (opt) {
	case OPT_NAME:
		if (a->name)
			return cli_usage_error(c, "--name is given twice");
		a->name = arg;
		return 0;
	case OPT_ROLE:
		if (a->pending)
			return cli_usage_error(c, "--role %s needs --org CODE after it",
					       role_name(a->roles[a->nroles].role));
		if (a->nroles == MAX_ROLE_ARGS)
			return cli_usage_error(c, "more than %d --role", MAX_ROLE_ARGS);
		a->pending = 1;
		return parse_role(c, "--role", arg, &a->roles[a->nroles].role);
	case OPT_ORG:
		if (a->mode) {
			if (a->org)
				return cli_usage_error(c, "--org is given twice");
			a->org = arg;
			return 0;
		}
		if (!a->pending)
			return cli_usage_error(c, "--org CODE comes after the --role it belongs to");
		a->roles[a->nroles++].org_code = arg;
		a->pending = 0;
		return 0;
	case OPT_ADD:
	case OPT_REMOVE:
		if (a->mode > 0)
			return cli_usage_error(c, "give one --add or --remove");
		a->mode = opt;
		return parse_role(c, opt == OPT_ADD ? "--add" : "--remove", arg, &a->role);
	default:
		return EXIT_USAGE;
	}
}

/* Parses options into *a and requires exactly one USERNAME argument. Returns 0
 * with *user set, -1 after --help, or an exit code. */
static int parse(struct cli *c, int argc, char **argv, const struct option *opts,
		 struct args *a, int role_cmd, const char **user)
{
	int first;
	*user = NULL;
	memset(a, 0, sizeof *a);
	/* `user role` reads --org on its own; its --add/--remove set mode first or
	 * not at all, so mark the command before parsing */
	a->mode = role_cmd ? -1 : 0;
	int rc = cli_parse(c, argc, argv, opts, on_opt, a, &first);
	if (rc)
		return rc;
	if (role_cmd && a->mode == -1)
		a->mode = 0;
	if (first != argc - 1)
		return cli_usage_error(c, first < argc ? "give one username" :
				       "give the username, e.g. probity %s jan.devries", c->cmd->name);
	*user = argv[first];
	return 0;
}

/* Reports a refusal from src/accounts with the documented exit code. */
static int account_fail(struct cli *c, db_t *db, const struct account_error *e)
{
	static const enum cli_refusal why[ACCOUNT_EINTERNAL + 1] = {
		[ACCOUNT_EINVALID] = CLI_INVALID, [ACCOUNT_ENOTFOUND] = CLI_NOTFOUND,
		[ACCOUNT_ECONFLICT] = CLI_CONFLICT, [ACCOUNT_EDB] = CLI_DBFAIL};
	return cli_refused(c, db,
			   (unsigned)e->code <= ACCOUNT_EINTERNAL ? why[e->code] : CLI_REFUSED,
			   e->msg, NULL);
}

/* Loads the password policy's list; without it no password is accepted. */
static int load_policy(struct cli *c)
{
	char err[700];
	if (accounts_init(cli_data_dir(c), err, sizeof err) == 0)
		return 0;
	cli_error("%s: %s: check the data_dir setting", c->cmd->name, err);
	return EXIT_CONFIG;
}

/* ---- reading a password ---- */

/* Reads the new password for user into pw (PW_BUF bytes; the caller wipes it):
 * the first line of standard input when it is not a terminal, otherwise typed
 * twice at the terminal. Returns 0, or an exit code after saying why. */
static int read_password(struct cli *c, const char *user, char pw[PW_BUF])
{
	char again[PW_BUF], prompt[120];
	int rc;
	snprintf(prompt, sizeof prompt, "new password for %s: ", user);
	ssize_t n = prompt_line(prompt, 1, pw, PW_BUF);
	if (n >= 0 && prompt_is_tty()) {
		/* typed without echo: a second time, so that a slip is caught */
		ssize_t m = prompt_line("the same password again: ", 1, again, sizeof again);
		if (m != n || sodium_memcmp(pw, again, (size_t)n) != 0) {
			rc = cli_usage_error(c, "the two passwords differ: nothing was changed");
			goto out;
		}
	}
	if (n == PROMPT_ENUL)
		rc = cli_usage_error(c, "the password contains a NUL byte");
	else if (n == PROMPT_ELONG)
		rc = cli_usage_error(c, "the password is longer than %d bytes", ACCOUNT_PASSWORD_MAX);
	else if (n == PROMPT_EEOF || n == 0)
		rc = cli_usage_error(c, "no password given: type it at the prompt, or give it on the "
				     "first line of standard input");
	else if (n < 0)
		rc = cli_usage_error(c, "cannot read the password: %s", strerror(errno));
	else
		rc = 0;
out:
	sodium_memzero(again, sizeof again);
	if (rc)
		sodium_memzero(pw, PW_BUF);
	return rc;
}

/* ---- helpers ---- */

/* Finds the account named user; prints and returns an exit code if none. */
static int find_user(struct cli *c, db_t *db, const char *user, struct account *a)
{
	int found = accounts_by_name(db, user, a);
	if (found < 0)
		return cli_db_fail(c, db, c->cmd->name);
	if (found) {
		cli_error("%s: no account has username '%.64s': see 'probity user list'",
			  c->cmd->name, user);
		return EXIT_NOT_FOUND;
	}
	return 0;
}

#define EXIT_HELP                                                                          \
	"\nThe change and its audit entry are written in one transaction: on any\n"        \
	"refusal nothing changes. Exit status 2: a malformed argument or a refused\n"     \
	"password; 9: no such user or organisation; 10: the change contradicts the\n"     \
	"data (a username taken, a role held already).\n"

/* ---- user add ---- */

static int run_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{"name", required_argument, NULL, OPT_NAME},
		{"role", required_argument, NULL, OPT_ROLE},
		{"org", required_argument, NULL, OPT_ORG},
		{0},
	};
	struct args a;
	struct account_error e;
	char user[ACCOUNT_USERNAME_MAX + 1], pw[PW_BUF];
	const char *name = NULL;
	db_t *db = NULL;
	int64_t id = 0;
	int rc = parse(c, argc, argv, opts, &a, 0, &name);
	if (rc)
		return rc;
	if (a.pending)
		return cli_usage_error(c, "--role %s needs --org CODE after it",
				       role_name(a.roles[a.nroles].role));
	if (!a.name)
		return cli_usage_error(c, "give the person's name with --name 'Display Name'");
	/* refuse a bad name before asking for a password */
	if (account_check_username(name, user, &e) != 0 ||
	    account_check_display_name(a.name, &e) != 0)
		return cli_usage_error(c, "%s", e.msg);
	memset(pw, 0, sizeof pw);
	if ((rc = load_policy(c)) != 0)
		return rc;
	/* the database must be usable before anyone types a password for it */
	if ((rc = cli_open_signed(c, &db)) != 0 || (rc = read_password(c, user, pw)) != 0)
		goto out;
	struct account_new n = {.username = user, .display_name = a.name, .password = pw,
				.roles = a.roles, .nroles = a.nroles};
	if (accounts_create_batch(db, &c->signer, c->actor, &n, 1, &id, &e) != 0) {
		rc = account_fail(c, db, &e);
		goto out;
	}
	printf("added %s (%s)", user, a.name);
	for (size_t i = 0; i < a.nroles; i++)
		printf("%s%s at %s", i ? ", " : " as ", role_name(a.roles[i].role),
		       a.roles[i].org_code);
	printf("\n");
	for (size_t i = 0; i < a.nroles; i++)
		if (role_needs_2fa(a.roles[i].role)) {
			printf("%s must set up two-factor sign-in (an authenticator app) at the "
			       "first sign-in\n", user);
			break;
		}
out:
	sodium_memzero(pw, sizeof pw);
	db_close(db);
	accounts_shutdown();
	return rc;
}

const struct cli_command cmd_user_add = {
	.name = "user add",
	.summary = "add a user account, with roles",
	.usage = "usage: probity user add [--db FILE] USERNAME --name 'DISPLAY NAME'\n"
		 "           [--role ROLE --org CODE]...\n\n"
		 "Adds an account with a new key pair. USERNAME is 3-64 characters of a-z,\n"
		 "0-9, '.', '_' and '-', starting with a letter (stored in lower case,\n"
		 "unique whatever the case). Each --role is held at the organisation\n"
		 "--org CODE that follows it (as it is today); give the pair again for\n"
		 "more roles.\n\n"
		 "The password is read from the first line of standard input when that is\n"
		 "not a terminal; at a terminal it is asked for twice, without echo. It\n"
		 "needs at least 12 characters, must not be a common password, contain the\n"
		 "username or be one character repeated; a few unrelated words do well.\n\n"
		 "Roles: reporter, confidential_adviser, manager, integrity_coordinator,\n"
		 "investigator, competent_authority, coordinator, ipim_member, auditor,\n"
		 "administrator (docs/roles.md). Roles that can read case content, and\n"
		 "administrator, must set up two-factor sign-in at the first sign-in.\n\n"
		 "Example (the first administrator):\n"
		 "  probity user add beheer.rijk --name 'Eva Mulder' --role administrator \\\n"
		 "      --org RIJK\n"
		 EXIT_HELP,
	.run = run_add,
};

/* ---- user list ---- */

/* Columns a terminal gives s: one per character (Latin scripts). */
static size_t width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

struct listed {
	struct account a;
	char *roles;   /* "administrator at RIJK, auditor at RIJK" */
};

static int run_list(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS, {0}};
	enum { PAGE = 200 };
	struct account page[PAGE];
	struct account_role roles[ACCOUNT_MAX_ROLES];
	struct listed *all = NULL;
	size_t n = 0, cap = 0, got;
	char after[ACCOUNT_USERNAME_MAX + 1] = "";
	db_t *db = NULL;
	int rc = cli_parse_options(c, argc, argv, opts, NULL, NULL);
	if (rc)
		return rc;
	if ((rc = cli_open_db(c, CLI_DB_READ, &db)) != 0)
		return rc;
	if (db_begin_read(db) != 0)
		goto db_fail;
	do {
		if (accounts_list(db, after, page, PAGE, &got) != 0)
			goto db_fail;
		for (size_t i = 0; i < got; i++) {
			size_t nr;
			if (accounts_roles(db, page[i].id, roles, ACCOUNT_MAX_ROLES, &nr) != 0)
				goto db_fail;
			if (n == cap) {
				cap = cap ? 2 * cap : 64;
				all = xrealloc(all, cap * sizeof *all);
			}
			all[n].a = page[i];
			all[n].roles = xstrdup("");
			for (size_t r = 0; r < nr; r++) {
				char *next = xasprintf("%s%s%s at %s", all[n].roles, r ? ", " : "",
						       role_name(roles[r].role), roles[r].org_code);
				free(all[n].roles);
				all[n].roles = next;
			}
			n++;
		}
		if (got)
			snprintf(after, sizeof after, "%s", page[got - 1].username);
	} while (got == PAGE);
	db_rollback(db); /* ends the read snapshot */
	if (n == 0) {
		printf("no accounts yet: add the first administrator with 'probity user add NAME "
		       "--name 'Display Name' --role administrator --org CODE'\n");
		goto out;
	}
	size_t uw = strlen("username"), nw = strlen("name");
	for (size_t i = 0; i < n; i++) {
		uw = strlen(all[i].a.username) > uw ? strlen(all[i].a.username) : uw;
		nw = width(all[i].a.display_name) > nw ? width(all[i].a.display_name) : nw;
	}
	time_t now = time(NULL);
	printf("%-*s  %-*s  2FA  %-8s  roles\n", (int)uw, "username", (int)nw, "name", "status");
	for (size_t i = 0; i < n; i++) {
		const struct account *a = &all[i].a;
		char status[48];
		if (a->disabled)
			snprintf(status, sizeof status, "disabled");
		else if (a->locked_until > (int64_t)now)
			snprintf(status, sizeof status, "locked");
		else
			snprintf(status, sizeof status, "active");
		printf("%-*s  %s%*s  %-3s  %-8s  %s\n", (int)uw, a->username, a->display_name,
		       (int)(nw - width(a->display_name)), "", a->totp_enabled ? "on" : "off",
		       status, all[i].roles[0] ? all[i].roles : "(no roles)");
	}
	goto out;
db_fail:
	rc = cli_db_fail(c, db, c->cmd->name);
	db_rollback(db);
out:
	for (size_t i = 0; i < n; i++)
		free(all[i].roles);
	free(all);
	db_close(db);
	return rc;
}

const struct cli_command cmd_user_list = {
	.name = "user list",
	.summary = "list user accounts with their roles",
	.usage = "usage: probity user list [--db FILE]\n\n"
		 "Prints every account, ordered by username: username, name, whether\n"
		 "two-factor sign-in is on, status (active, disabled, or locked after\n"
		 "too many wrong passwords) and the roles with their organisations.\n"
		 "Passwords, hashes and keys are never shown.\n",
	.run = run_list,
};

/* ---- user disable / enable ---- */

static int set_disabled(struct cli *c, int argc, char **argv, int disabled)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS, {0}};
	struct args a;
	struct account acc;
	struct account_error e;
	const char *user = NULL;
	db_t *db = NULL;
	int changed = 0;
	int rc = parse(c, argc, argv, opts, &a, 0, &user);
	if (rc)
		return rc;
	if ((rc = cli_open_signed(c, &db)) != 0)
		return rc;
	if ((rc = find_user(c, db, user, &acc)) != 0)
		goto out;
	if (accounts_set_disabled(db, &c->signer, c->actor, acc.id, disabled, &changed, &e) != 0) {
		rc = account_fail(c, db, &e);
		goto out;
	}
	if (!changed)
		printf("%s is already %s\n", acc.username, disabled ? "disabled" : "enabled");
	else if (disabled)
		printf("disabled %s: signing in is refused from now on\n", acc.username);
	else
		printf("enabled %s: they can sign in again\n", acc.username);
out:
	db_close(db);
	return rc;
}

static int run_disable(struct cli *c, int argc, char **argv)
{
	return set_disabled(c, argc, argv, 1);
}

static int run_enable(struct cli *c, int argc, char **argv)
{
	return set_disabled(c, argc, argv, 0);
}

const struct cli_command cmd_user_disable = {
	.name = "user disable",
	.summary = "stop a user from signing in",
	.usage = "usage: probity user disable [--db FILE] USERNAME\n\n"
		 "Disables the account: signing in is refused, its roles and keys stay,\n"
		 "and 'probity user enable' undoes it. Accounts are never deleted, so\n"
		 "the audit trail always names someone who existed.\n"
		 EXIT_HELP,
	.run = run_disable,
};

const struct cli_command cmd_user_enable = {
	.name = "user enable",
	.summary = "let a disabled user sign in again",
	.usage = "usage: probity user enable [--db FILE] USERNAME\n\n"
		 "Enables a disabled account again.\n"
		 EXIT_HELP,
	.run = run_enable,
};

/* ---- user passwd ---- */

static int run_passwd(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS, {0}};
	struct args a;
	struct account acc;
	struct account_error e;
	char pw[PW_BUF];
	const char *user = NULL;
	db_t *db = NULL;
	int totp_cleared = 0;
	int rc = parse(c, argc, argv, opts, &a, 0, &user);
	if (rc)
		return rc;
	memset(pw, 0, sizeof pw);
	if ((rc = load_policy(c)) != 0)
		return rc;
	if ((rc = cli_open_signed(c, &db)) != 0)
		goto out;
	/* the account must exist before anyone types a password for it */
	if ((rc = find_user(c, db, user, &acc)) != 0)
		goto out;
	if ((rc = read_password(c, acc.username, pw)) != 0)
		goto out;
	if (accounts_reset_password(db, &c->signer, c->actor, acc.id, pw, &totp_cleared, &e) !=
	    0) {
		rc = account_fail(c, db, &e);
		goto out;
	}
	printf("password of %s reset\n", acc.username);
	printf("warning: %s has a new key pair: reports and messages sealed to the old key\n"
	       "can no longer be opened by %s until the reporting channel reseals them to\n"
	       "the new one\n", acc.username, acc.username);
	if (totp_cleared)
		printf("warning: two-factor sign-in of %s was turned off and its recovery codes\n"
		       "deleted: %s sets up an authenticator app again at the next sign-in\n",
		       acc.username, acc.username);
out:
	sodium_memzero(pw, sizeof pw);
	db_close(db);
	accounts_shutdown();
	return rc;
}

const struct cli_command cmd_user_passwd = {
	.name = "user passwd",
	.summary = "set a new password for a user who lost theirs",
	.usage = "usage: probity user passwd [--db FILE] USERNAME\n\n"
		 "Sets a new password without the old one, read like 'probity user add'\n"
		 "reads it. The old password protected the user's secret key, so without\n"
		 "it that key cannot be opened: the user gets a NEW key pair, and whatever\n"
		 "was sealed to the old one (reports, messages) is unreadable to them\n"
		 "until the reporting channel reseals it. Two-factor sign-in is turned\n"
		 "off and recovery codes are deleted (their secret was protected by the\n"
		 "old password too); the user sets it up again at the next sign-in. A\n"
		 "lock after wrong passwords is lifted.\n\n"
		 "Users who know their password change it themselves after signing in;\n"
		 "that keeps their key pair.\n"
		 EXIT_HELP,
	.run = run_passwd,
};

/* ---- user role ---- */

static int run_role(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{"add", required_argument, NULL, OPT_ADD},
		{"remove", required_argument, NULL, OPT_REMOVE},
		{"org", required_argument, NULL, OPT_ORG},
		{0},
	};
	struct args a;
	struct account acc;
	struct account_error e;
	const char *user = NULL;
	db_t *db = NULL;
	int rc = parse(c, argc, argv, opts, &a, 1, &user);
	if (rc)
		return rc;
	if (!a.mode)
		return cli_usage_error(c, "give --add ROLE or --remove ROLE, with --org CODE");
	if (!a.org)
		return cli_usage_error(c, "give the organisation with --org CODE");
	if ((rc = cli_open_signed(c, &db)) != 0)
		return rc;
	if ((rc = find_user(c, db, user, &acc)) != 0)
		goto out;
	int r = a.mode == OPT_ADD ?
		accounts_role_add(db, &c->signer, c->actor, acc.id, a.role, a.org, &e) :
		accounts_role_remove(db, &c->signer, c->actor, acc.id, a.role, a.org, &e);
	if (r != 0) {
		rc = account_fail(c, db, &e);
		goto out;
	}
	if (a.mode == OPT_ADD)
		printf("%s now holds the role %s at %s%s\n", acc.username, role_name(a.role), a.org,
		       role_needs_2fa(a.role) && !acc.totp_enabled ?
		       " (two-factor sign-in is asked for at the next sign-in)" : "");
	else
		printf("%s no longer holds the role %s at %s\n", acc.username, role_name(a.role),
		       a.org);
out:
	db_close(db);
	return rc;
}

const struct cli_command cmd_user_role = {
	.name = "user role",
	.summary = "give or take a user's role at an organisation",
	.usage = "usage: probity user role [--db FILE] USERNAME --add ROLE --org CODE\n"
		 "       probity user role [--db FILE] USERNAME --remove ROLE --org CODE\n\n"
		 "Gives the role at the organisation CODE as it is today, or takes it\n"
		 "away (at every organisation that has or had CODE). Roles:\n"
		 "reporter, confidential_adviser, manager, integrity_coordinator,\n"
		 "investigator, competent_authority, coordinator, ipim_member, auditor,\n"
		 "administrator (docs/roles.md).\n\n"
		 "Example: probity user role jan.devries --add investigator --org FIN\n"
		 EXIT_HELP,
	.run = run_role,
};

/* ---- user email ---- */

static int on_email_opt(struct cli *c, void *ctx, int opt, const char *arg)
{
	(void)c;
	(void)arg;
	if (opt != OPT_CLEAR)
		return EXIT_USAGE;
	*(int *)ctx = 1;
	return 0;
}

static int run_email(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{"clear", no_argument, NULL, OPT_CLEAR},
		{0},
	};
	struct account acc;
	struct account_error e;
	db_t *db = NULL;
	int clear = 0, first, changed = 0;
	int rc = cli_parse(c, argc, argv, opts, on_email_opt, &clear, &first);
	if (rc)
		return rc;
	int want = clear ? 1 : 2;
	if (argc - first != want)
		return cli_usage_error(c, clear ? "give the username, e.g. probity user email "
					       "jan.devries --clear"
					       : "give the username and the address, e.g. probity "
						 "user email jan.devries j.devries@example.nl");
	const char *user = argv[first], *address = clear ? NULL : argv[first + 1];
	/* refuse a bad address before touching the database */
	if (address && !mail_address_valid(address))
		return cli_usage_error(c, "'%.80s' is not an e-mail address Probity sends to: give "
				       "it as name@example.nl, without spaces, quotes or angle "
				       "brackets", address);
	if ((rc = cli_open_signed(c, &db)) != 0)
		return rc;
	if ((rc = find_user(c, db, user, &acc)) != 0)
		goto out;
	if (accounts_set_email(db, &c->signer, c->actor, acc.id, address, &changed, &e) != 0) {
		rc = account_fail(c, db, &e);
		goto out;
	}
	if (!changed)
		printf("%s %s\n", acc.username, address ? "already has this address" :
		       "has no address");
	else if (address)
		printf("%s gets deadline reminders at %s when reminders are on (setting "
		       "reminders = daily)\n", acc.username, address);
	else
		printf("removed the address of %s: no more reminders\n", acc.username);
out:
	db_close(db);
	return rc;
}

const struct cli_command cmd_user_email = {
	.name = "user email",
	.summary = "set or remove the address a user's deadline reminders go to",
	.usage = "usage: probity user email [--db FILE] USERNAME ADDRESS\n"
		 "       probity user email [--db FILE] USERNAME --clear\n\n"
		 "Sets the work e-mail address the daily reminder of due and overdue\n"
		 "deadlines goes to ('probity remind', setting reminders = daily), or\n"
		 "removes it. A reminder holds counts and a link to the deadlines page,\n"
		 "never a case, report, name or organisation (docs/security.md). ADDRESS\n"
		 "is name@domain without spaces, quotes or angle brackets, at most 254\n"
		 "characters. Audited as account.email (not the address).\n"
		 EXIT_HELP,
	.run = run_email,
};
