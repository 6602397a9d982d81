/* cmd_keys.c: the `probity keys` commands: name the recovery key's
 * custodians, show the keys, and recover a departed handler's reports, cases
 * and assessment keys for a successor. The rules live in src/keys; this file parses arguments, asks the
 * custodians for their passwords, maps refusals to exit codes and prints for
 * an operator.
 *
 * Custodians' usernames and passwords are asked for at the terminal (the
 * password without echo); when standard input is not a terminal they are
 * read from it, two lines per custodian, so that a test or a script can pipe
 * them in. Passwords are kept in guarded memory and wiped once used. */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "base/num.h"
#include "cli/cli.h"
#include "cli/prompt.h"
#include "crypto/vault.h"
#include "keys/keys.h"

enum {
	OPT_THRESHOLD = CLI_OPT_FIRST_FREE,
	OPT_FROM,
	OPT_TO,
	OPT_ORG,
};

#define PW_BUF (ACCOUNT_PASSWORD_MAX + 2)   /* the line, one byte to notice more, NUL */
#define NAME_BUF (ACCOUNT_USERNAME_MAX + 2)

struct args {
	const char *threshold, *from, *to, *org;
};

static int on_opt(struct cli *c, void *ctx, int opt, const char *arg)
{
	struct args *a = ctx;
	switch (opt) {
	case OPT_THRESHOLD: return cli_once(c, &a->threshold, "--threshold", arg);
	case OPT_FROM: return cli_once(c, &a->from, "--from", arg);
	case OPT_TO: return cli_once(c, &a->to, "--to", arg);
	case OPT_ORG: return cli_once(c, &a->org, "--org", arg);
	default: return EXIT_USAGE;
	}
}

/* Reports a refusal from src/keys with the documented exit code. */
static int keys_failed(struct cli *c, db_t *db, const struct keys_error *e)
{
	static const enum cli_refusal why[KEYS_EDB + 1] = {
		[KEYS_EINVALID] = CLI_INVALID, [KEYS_ENOTFOUND] = CLI_NOTFOUND,
		[KEYS_ECONFLICT] = CLI_CONFLICT, [KEYS_EDB] = CLI_DBFAIL};
	return cli_refused(c, db, (unsigned)e->code <= KEYS_EDB ? why[e->code] : CLI_REFUSED,
			   e->msg, NULL);
}

/* ---- keys custodians ---- */

static int run_custodians(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{"threshold", required_argument, NULL, OPT_THRESHOLD},
		{0},
	};
	struct args a = {0};
	struct keys_error e;
	struct keys_key key;
	int64_t k = 0;
	int first;
	db_t *db = NULL;
	int rc = cli_parse(c, argc, argv, opts, on_opt, &a, &first);
	if (rc)
		return rc;
	size_t n = (size_t)(argc - first);
	if (!a.threshold)
		return cli_usage_error(c, "give the threshold with --threshold K: how many "
				       "custodians must join to recover");
	if (num_parse_i64z(a.threshold, RECOVERY_K_MIN, RECOVERY_N_MAX, &k) != 0)
		return cli_usage_error(c, "--threshold must be a whole number from %d to %d",
				       RECOVERY_K_MIN, RECOVERY_N_MAX);
	if (n < RECOVERY_K_MIN || n > RECOVERY_N_MAX)
		return cli_usage_error(c, "name between %d and %d custodians by username (%zu given)",
				       RECOVERY_K_MIN, RECOVERY_N_MAX, n);
	if ((uint64_t)k > n)
		return cli_usage_error(c, "--threshold %" PRId64 " is more than the %zu custodians "
				       "named: recovery would never be possible", k, n);
	if ((rc = cli_open_signed(c, &db)) != 0)
		return rc;
	if (keys_set_custodians(db, &c->signer, c->actor, (unsigned)k,
				(const char *const *)&argv[first], n, &key, &e) != 0) {
		rc = keys_failed(c, db, &e);
		goto out;
	}
	printf("new recovery key %s: any %u of its %u custodians together can recover\n",
	       key.fingerprint, key.k, key.n);
	for (unsigned i = 0; i < key.n; i++)
		printf("  share %u: %s\n", key.custodians[i].x, key.custodians[i].username);
	printf("every new report is sealed to it from now on; an earlier key is retired and\n"
	       "its custodians can still recover the reports sealed to it (probity keys status)\n");
out:
	db_close(db);
	return rc;
}

const struct cli_command cmd_keys_custodians = {
	.name = "keys custodians",
	.summary = "make a new recovery key, split among custodians",
	.usage = "usage: probity keys custodians [--db FILE] --threshold K USER1 USER2 ... USERn\n\n"
		 "Makes a new recovery key and splits its secret half among the custodians\n"
		 "USER1 to USERn (2 to 16 accounts, by username, each enabled): any K of them\n"
		 "together (2 <= K <= n) can give a departed handler's reports to a\n"
		 "successor ('probity keys recover'); fewer than K learn nothing. Each share\n"
		 "is sealed to its custodian's own account key, so only their password\n"
		 "opens it. The secret key is never stored or shown: what is printed is its\n"
		 "fingerprint.\n\n"
		 "Every report received from now on is sealed to the new key. The current\n"
		 "key, if any, is retired; its shares stay, so its custodians can still\n"
		 "recover the reports sealed to it. Name new custodians when one leaves, or\n"
		 "when an administrator resets a custodian's password (a reset gives the\n"
		 "account a new key pair, and the share sealed to the old one is lost).\n\n"
		 "Example: probity keys custodians --threshold 2 eva.mulder jan.devries \\\n"
		 "             fatima.elamrani\n\n"
		 "The key, its shares, the retirement of the old key and the audit entry\n"
		 "are written in one transaction: on any refusal nothing changes. Exit\n"
		 "status 2: a bad threshold, or a username malformed or named twice; 9: no\n"
		 "such account; 10: an account is disabled.\n",
	.run = run_custodians,
};

/* ---- keys status ---- */

static void print_custodians(const struct keys_key *k)
{
	unsigned live = 0;
	for (unsigned i = 0; i < k->n; i++) {
		printf("%s%s%s", i ? ", " : "", k->custodians[i].username,
		       k->custodians[i].disabled ? " (disabled)" : "");
		live += !k->custodians[i].disabled;
	}
	printf("\n");
	if (live < k->k)
		printf("  warning: only %u custodians can sign in, fewer than the %u needed: "
		       "enable accounts to recover\n", live, k->k);
}

static int run_status(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS, {0}};
	struct keys_status st;
	struct keys_error e;
	db_t *db = NULL;
	int rc = cli_parse_options(c, argc, argv, opts, NULL, NULL);
	if (rc)
		return rc;
	if ((rc = cli_open_db(c, CLI_DB_READ, &db)) != 0)
		return rc;
	if (keys_status(db, &st, &e) != 0) {
		rc = keys_failed(c, db, &e);
		goto out;
	}
	size_t i = 0;
	if (st.nkeys == 0 || st.keys[0].retired_at[0]) {
		printf("no current recovery key: reports received now cannot be recovered if\n"
		       "their handlers lose their keys; name custodians with 'probity keys\n"
		       "custodians --threshold K USER...'\n");
	} else {
		const struct keys_key *k = &st.keys[i++];
		printf("current recovery key %s, made %s: any %u of %u custodians\n",
		       k->fingerprint, k->created_at, k->k, k->n);
		printf("  custodians: ");
		print_custodians(k);
		printf("  reports sealed to it: %" PRId64 "; cases: %" PRId64 "; assessments: %"
		       PRId64 "\n", k->reports, k->cases, k->assessments);
	}
	if (i < st.nkeys)
		printf("retired recovery keys (their custodians can still recover the reports "
		       "sealed to them):\n");
	for (; i < st.nkeys; i++) {
		const struct keys_key *k = &st.keys[i];
		printf("key %s, made %s, retired %s: any %u of %u custodians\n", k->fingerprint,
		       k->created_at, k->retired_at, k->k, k->n);
		printf("  custodians: ");
		print_custodians(k);
		printf("  reports sealed to it: %" PRId64 "; cases: %" PRId64 "; assessments: %"
		       PRId64 "\n", k->reports, k->cases, k->assessments);
	}
	/* a purged report has nothing left to open: said apart, never among
	 * those sealed to no recovery key */
	if (st.purged)
		printf("reports: %" PRId64 " in all, %" PRId64 " of them purged (their content is "
		       "gone: nothing to open or recover), %" PRId64 " sealed to no recovery key\n",
		       st.reports, st.purged, st.unsealed);
	else
		printf("reports: %" PRId64 " in all, %" PRId64 " sealed to no recovery key\n",
		       st.reports, st.unsealed);
	if (st.unsealed)
		printf("the %" PRId64 " reports sealed to no recovery key were received before "
		       "any key existed:\nthey cannot be recovered; only their handlers' own keys "
		       "open them\n", st.unsealed);
	keys_status_free(&st);
out:
	db_close(db);
	return rc;
}

const struct cli_command cmd_keys_status = {
	.name = "keys status",
	.summary = "show the recovery keys and their custodians",
	.usage = "usage: probity keys status [--db FILE]\n\n"
		 "Shows the current recovery key (fingerprint, when it was made, how many\n"
		 "of how many custodians must join, who they are, how many reports, cases\n"
		 "and assessments' evidence keys are sealed to it), every retired key\n"
		 "likewise, and how many reports are sealed to no recovery key. Those\n"
		 "were received before any key existed: they cannot be recovered, only\n"
		 "their handlers' own keys open them. Purged reports (their content gone)\n"
		 "are counted apart.\n"
		 "Nothing secret is shown.\n",
	.run = run_status,
};

/* ---- keys recover ---- */

static void print_plan(const struct keys_plan *p)
{
	const char *to = p->to.username;
	printf("reports%s%s sealed to %s: %" PRId64 "\n", *p->org_code ? " of " : "", p->org_code,
	       p->from.username, p->sealed);
	if (p->already)
		printf("  held by %s already: %" PRId64 "\n", to, p->already);
	if (p->no_role)
		printf("  not for %s, who is no integrity coordinator or confidential adviser at "
		       "their organisation: %" PRId64 "\n", to, p->no_role);
	if (p->recused)
		printf("  not for %s, whom their reporter excluded: %" PRId64 "\n", to, p->recused);
	if (p->unrecoverable)
		printf("  received before any recovery key existed, so not recoverable: %" PRId64
		       "\n", p->unrecoverable);
	printf("  to be sealed to %s: %" PRId64 "\n", to, p->todo);
	if (p->cases) {
		printf("cases%s%s with %s on the team: %" PRId64 "\n", *p->org_code ? " of " : "",
		       p->org_code, p->from.username, p->cases);
		if (p->cases_already)
			printf("  with %s on the team already: %" PRId64 "\n", to, p->cases_already);
		if (p->cases_no_role)
			printf("  not for %s, who is no integrity coordinator or investigator at "
			       "the case's organisation: %" PRId64 "\n", to, p->cases_no_role);
		if (p->cases_recused)
			printf("  not for %s, whom a reporter of the case excluded: %" PRId64 "\n", to,
			       p->cases_recused);
		if (p->cases_unrecoverable)
			printf("  opened before any recovery key existed, so not recoverable: %" PRId64
			       "\n", p->cases_unrecoverable);
		printf("  %s to join the team: %" PRId64 "\n", to, p->cases_todo);
	}
	if (p->assessments) {
		printf("assessments%s%s whose evidence key %s holds: %" PRId64 "\n",
		       *p->org_code ? " of " : "", p->org_code, p->from.username, p->assessments);
		if (p->assessments_already)
			printf("  held by %s already: %" PRId64 "\n", to, p->assessments_already);
		if (p->assessments_no_role)
			printf("  not for %s, who is no integrity coordinator or manager of the "
			       "department, nor the coordinator over it: %" PRId64 "\n", to,
			       p->assessments_no_role);
		if (p->assessments_unrecoverable)
			printf("  made before any recovery key existed, so not recoverable: %" PRId64
			       "\n", p->assessments_unrecoverable);
		printf("  to be sealed to %s: %" PRId64 "\n", to, p->assessments_todo);
	}
	if (p->nneeds)
		printf("custodians needed:\n");
	for (size_t i = 0; i < p->nneeds; i++) {
		const struct keys_key *k = &p->needs[i].key;
		const char *sep = " ";
		printf("  key %s%s, for", k->fingerprint, k->retired_at[0] ? " (retired)" : "");
		/* only what it opens here: a key needed for cases alone does not
		 * say "0 of the reports" */
		if (k->reports) {
			printf("%s%" PRId64 " of the reports", sep, k->reports);
			sep = " and ";
		}
		if (k->cases) {
			printf("%s%" PRId64 " of the cases", sep, k->cases);
			sep = " and ";
		}
		if (k->assessments)
			printf("%s%" PRId64 " of the assessments", sep, k->assessments);
		printf(": any %u of ", k->k);
		for (unsigned j = 0; j < k->n; j++)
			printf("%s%s", j ? ", " : "", k->custodians[j].username);
		printf("\n");
	}
}

static int read_failed(struct cli *c, ssize_t n, const char *what)
{
	switch (n) {
	case PROMPT_ELONG:
		return cli_usage_error(c, "the %s is too long; nothing was changed", what);
	case PROMPT_ENUL:
		return cli_usage_error(c, "the %s contains a NUL byte; nothing was changed", what);
	default:
		return cli_usage_error(c, "cannot read the %s; nothing was changed", what);
	}
}

/* Asks custodians to join until every needed key has enough. An empty line
 * or the end of input for a username stops asking (finish then says which
 * key is short). Returns 0, or an exit code after saying why. */
static int ask_custodians(struct cli *c, db_t *db, struct keys_recovery *r)
{
	const struct keys_plan *p = keys_recovery_plan(r);
	char user[NAME_BUF], prompt[160];
	struct keys_error e;
	char *pw = vault_secure_alloc(PW_BUF);
	int rc = 0;
	while (!keys_recovery_ready(r)) {
		ssize_t n = prompt_line("custodian's username (an empty line stops): ", 0, user,
					sizeof user);
		if (n == PROMPT_EEOF || n == 0)
			break;
		if (n < 0) {
			rc = read_failed(c, n, "username");
			break;
		}
		snprintf(prompt, sizeof prompt, "password of %s: ", user);
		n = prompt_line(prompt, 1, pw, PW_BUF);
		if (n <= 0) {
			rc = n == 0 || n == PROMPT_EEOF ?
			     cli_usage_error(c, "no password given for %s; nothing was changed", user) :
			     read_failed(c, n, "password");
			break;
		}
		int joined = keys_recovery_join(db, &c->signer, r, user, pw, &e);
		sodium_memzero(pw, PW_BUF);
		if (joined != 0) {
			if (e.code != KEYS_EDB && e.code != KEYS_EINVALID)
				snprintf(e.msg + strlen(e.msg), sizeof e.msg - strlen(e.msg),
					 "; nothing was changed");
			rc = keys_failed(c, db, &e);
			break;
		}
		printf("%s joined", user);
		for (size_t i = 0; i < p->nneeds; i++)
			printf("; key %s: %u of %u", p->needs[i].key.fingerprint, p->needs[i].joined,
			       p->needs[i].key.k);
		printf("\n");
		fflush(stdout);
	}
	vault_secure_free(pw);
	return rc;
}

enum { SKIP_REPORT, SKIP_CASE, SKIP_ASSESSMENT };

static const char *skip_reason(int why, int kind)
{
	switch (why) {
	case KEYS_SKIP_NO_ROLE:
		return kind == SKIP_CASE ? "no integrity coordinator or investigator role at its "
					   "organisation"
		       : kind == SKIP_ASSESSMENT ? "no integrity coordinator or manager role at its "
						   "department, nor coordinator over it"
						 : "no handler role at its organisation";
	case KEYS_SKIP_RECUSED:
		return kind == SKIP_CASE ? "a reporter of the case excluded this person"
					 : "the reporter excluded this person";
	case KEYS_SKIP_UNRECOVERABLE:
		return kind == SKIP_CASE ? "opened before any recovery key existed"
		       : kind == SKIP_ASSESSMENT ? "made before any recovery key existed"
						 : "received before any recovery key existed";
	default: return "sealed to a key whose custodians did not join (new since the start)";
	}
}

static int run_recover(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{"from", required_argument, NULL, OPT_FROM},
		{"to", required_argument, NULL, OPT_TO},
		{"org", required_argument, NULL, OPT_ORG},
		{0},
	};
	struct args a = {0};
	struct keys_error e;
	struct keys_result res = {0};
	struct keys_recovery *r = NULL;
	db_t *db = NULL;
	int rc = cli_parse_options(c, argc, argv, opts, on_opt, &a);
	if (rc)
		return rc;
	if (!a.from || !a.to)
		return cli_usage_error(c, "give the departed handler with --from USER and the "
				       "successor with --to USER");
	if ((rc = cli_open_signed(c, &db)) != 0)
		return rc;
	if (keys_recovery_begin(db, a.from, a.to, a.org, &r, &e) != 0) {
		rc = keys_failed(c, db, &e);
		goto out;
	}
	const struct keys_plan *p = keys_recovery_plan(r);
	if (p->sealed == 0 && p->cases == 0 && p->assessments == 0) {
		printf("reports%s%s sealed to %s: 0, cases: 0, assessments: 0: nothing to "
		       "recover\n", *p->org_code ? " of " : "", p->org_code, p->from.username);
		goto out;
	}
	print_plan(p);
	if (p->todo == 0 && p->cases_todo == 0 && p->assessments_todo == 0) {
		/* a refusal only when the successor has none and can get none; a run
		 * after a successful one says so and succeeds */
		if (p->already == 0 && p->cases_already == 0 && p->assessments_already == 0 &&
		    (p->no_role || p->recused || p->cases_no_role || p->cases_recused ||
		     p->assessments_no_role)) {
			if (p->assessments)
				cli_error("%s: %s may receive none of these reports, cases and "
					  "assessments: give %s the role integrity_coordinator at their "
					  "organisation (or confidential_adviser for reports, "
					  "investigator for cases, manager for assessments) first",
					  c->cmd->name, p->to.username, p->to.username);
			else if (p->cases)
				cli_error("%s: %s may receive none of these reports and cases: give %s "
					  "the role integrity_coordinator at their organisation (or "
					  "confidential_adviser for reports, investigator for cases) "
					  "first", c->cmd->name, p->to.username, p->to.username);
			else
				cli_error("%s: %s may receive none of these reports: give %s the role "
					  "integrity_coordinator or confidential_adviser at their "
					  "organisation first", c->cmd->name, p->to.username,
					  p->to.username);
			rc = EXIT_CONFLICT;
		} else {
			printf("nothing to reseal\n");
		}
		goto out;
	}
	fflush(stdout);
	if ((rc = ask_custodians(c, db, r)) != 0)
		goto out;
	if (keys_recovery_finish(db, &c->signer, c->actor, r, &res, &e) != 0) {
		rc = keys_failed(c, db, &e);
		goto out;
	}
	printf("done: reports newly sealed to %s: %" PRId64, p->to.username, res.resealed);
	if (res.already)
		printf(" (held already: %" PRId64 ")", res.already);
	if (p->cases) {
		printf("; cases %s joined: %" PRId64, p->to.username, res.cases_resealed);
		if (res.cases_already)
			printf(" (on the team already: %" PRId64 ")", res.cases_already);
	}
	if (p->assessments) {
		printf("; assessments newly sealed to %s: %" PRId64, p->to.username,
		       res.assessments_resealed);
		if (res.assessments_already)
			printf(" (held already: %" PRId64 ")", res.assessments_already);
	}
	printf("\n");
	for (size_t i = 0; i < res.nskipped; i++)
		printf("  skipped report %" PRId64 ": %s\n", res.skipped[i].report_id,
		       skip_reason(res.skipped[i].why, SKIP_REPORT));
	for (size_t i = 0; i < res.ncases_skipped; i++)
		printf("  skipped case %" PRId64 ": %s\n", res.cases_skipped[i].report_id,
		       skip_reason(res.cases_skipped[i].why, SKIP_CASE));
	for (size_t i = 0; i < res.nassessments_skipped; i++)
		printf("  skipped assessment %" PRId64 ": %s\n",
		       res.assessments_skipped[i].report_id,
		       skip_reason(res.assessments_skipped[i].why, SKIP_ASSESSMENT));
out:
	keys_result_free(&res);
	keys_recovery_free(r);
	db_close(db);
	return rc;
}

const struct cli_command cmd_keys_recover = {
	.name = "keys recover",
	.summary = "give a departed handler's reports, cases and assessment keys to a successor",
	.usage = "usage: probity keys recover [--db FILE] --from USER --to USER [--org CODE]\n\n"
		 "Gives the successor --to every report whose key is sealed to the account\n"
		 "--from (a handler who left, or lost their password), optionally only the\n"
		 "reports of organisation CODE and its units. The report keys are opened\n"
		 "with the recovery key, which needs K of its custodians: each is asked for\n"
		 "their username and password (at the terminal, the password without echo;\n"
		 "when standard input is not a terminal, two lines per custodian from it).\n"
		 "A wrong password counts towards the custodian's lock like a failed\n"
		 "sign-in. Reports sealed to a retired key need K custodians of that key:\n"
		 "the command lists the keys and custodians needed before it asks, and a\n"
		 "custodian of several of them joins once for all.\n\n"
		 "The successor must be enabled and hold integrity_coordinator or\n"
		 "confidential_adviser at each report's organisation (or, for a unit, its\n"
		 "department); reports they may not handle, that their reporter excluded\n"
		 "them from, or that were received before any recovery key existed are\n"
		 "skipped and listed. Giving --from and --to the same user reseals that\n"
		 "user's reports to the new key pair an administrator's password reset\n"
		 "gave them. Run it again safely: reports held already are left alone.\n\n"
		 "The cases --from is on the team of (of CODE, when given) are recovered\n"
		 "too: the case key sealed to the recovery key is sealed to --to, who joins\n"
		 "the team in --from's role, or in the other one, when they are an\n"
		 "integrity_coordinator (to coordinate) or investigator at the case's\n"
		 "organisation or the department above it; cases they may not join, or\n"
		 "of which a reporter excluded them, are skipped and listed.\n\n"
		 "So are the self-assessments whose evidence key --from holds (of CODE,\n"
		 "when it is their department's code): the key sealed to the recovery key\n"
		 "is sealed to --to when they are an integrity_coordinator or manager of\n"
		 "the department or a unit under it, or the coordinator whose scope holds\n"
		 "it; others are skipped and listed.\n\n"
		 "The reports, cases and assessment keys are resealed in one transaction\n"
		 "with one audit entry (keys.recover: who from, who to, how many, which\n"
		 "keys, which custodians), a case.member-add entry per case joined and an\n"
		 "assess.key_share entry per assessment;\n"
		 "on any refusal nothing changes. Exit status 1: a custodian's password is\n"
		 "wrong or their account locked; 2: a malformed argument; 9: no such user or\n"
		 "organisation; 10: too few custodians joined, a custodian named twice or\n"
		 "not a custodian of the key needed, a disabled account, or a successor who\n"
		 "may receive none of the reports, cases and assessment keys.\n",
	.run = run_recover,
};
