/* cli.h: what every probity command shares: option parsing, settings, opening
 * the database, the audit signer, and one way to report an error.
 *
 * Errors are one line on stderr, "probity: <problem>: <fix>", and the function
 * returns the documented exit code (base/exitcode.h, docs/cli.md). */
#ifndef CLI_CLI_H
#define CLI_CLI_H
#include <getopt.h>

#include "base/config.h"
#include "base/exitcode.h"
#include "crypto/audit.h"
#include "store/db.h"

/* Options every command accepts; put first in a command's option table. */
enum { CLI_OPT_DB = 1000, CLI_OPT_CONFIG, CLI_OPT_HELP, CLI_OPT_LISTEN, CLI_OPT_FIRST_FREE };
#define CLI_COMMON_OPTIONS                                                                 \
	{"db", required_argument, NULL, CLI_OPT_DB},                                       \
	{"config", required_argument, NULL, CLI_OPT_CONFIG},                               \
	{"help", no_argument, NULL, CLI_OPT_HELP}

struct cli_command;

struct cli {
	const struct cli_command *cmd;
	struct config cfg;
	char *flag_db, *flag_config, *flag_listen;  /* from the command line, win over all */
	char actor[80];                              /* who runs this, for the audit trail */
	struct signkey key;
	struct audit_signer signer;
};

struct cli_command {
	const char *name;     /* "org split" */
	const char *summary;  /* one line for the overview */
	const char *usage;    /* full --help text */
	int (*run)(struct cli *c, int argc, char **argv);
};

/* NULL-terminated; defined in commands.c */
extern const struct cli_command *const cli_commands[];

/* Handles a command's own option; returns 0, or an exit code. */
typedef int (*cli_opt_fn)(struct cli *c, void *ctx, int opt, const char *arg);

/* Parses argv with opts (which start with CLI_COMMON_OPTIONS), then loads the
 * settings: defaults < config file < PROBITY_* environment < flags. On return
 * *first_arg indexes the first positional argument. Returns 0 to go on, -1 when
 * --help was printed (exit 0), or an exit code. */
int cli_parse(struct cli *c, int argc, char **argv, const struct option *opts, cli_opt_fn fn,
	      void *ctx, int *first_arg);
/* For a cli_opt_fn: takes a single-valued option into *slot, refusing it
 * twice (a repeated option is more likely a slip than a wish for the last one
 * to win). Returns 0 or EXIT_USAGE after saying so. */
int cli_once(struct cli *c, const char **slot, const char *opt, const char *arg);

/* cli_parse for a command that takes options only: any other argument is a
 * usage error. */
int cli_parse_options(struct cli *c, int argc, char **argv, const struct option *opts,
		      cli_opt_fn fn, void *ctx);

enum cli_db_mode {
	CLI_DB_READ,    /* existing database, current schema, read only */
	CLI_DB_WRITE,   /* existing database, current schema */
	CLI_DB_CREATE,  /* create if missing; schema not checked (init) */
};
/* Opens the configured database; on failure prints why and returns an exit code
 * (never 0) with *out NULL. */
int cli_open_db(struct cli *c, enum cli_db_mode mode, db_t **out);
/* Prints the database's last error and returns the matching exit code. */
int cli_db_fail(struct cli *c, db_t *db, const char *doing);
/* What a module's refusal (accounts, orgs, keys each class their own) means
 * for the exit code. CLI_REFUSED (0) is any other refusal. */
enum cli_refusal {
	CLI_REFUSED = 0,  /* EXIT_FAIL */
	CLI_INVALID,      /* malformed input: a usage error, EXIT_USAGE */
	CLI_NOTFOUND,     /* EXIT_NOT_FOUND */
	CLI_CONFLICT,     /* EXIT_CONFLICT */
	CLI_DBFAIL,       /* the database failed: as cli_db_fail */
};
/* Prints a module's refusal msg, followed by ": hint" when it is a not-found
 * and hint is not NULL, and returns the documented exit code. */
int cli_refused(struct cli *c, db_t *db, enum cli_refusal why, const char *msg,
		const char *notfound_hint);
/* Opens the database for writing (CLI_DB_WRITE) and loads the signer, for a
 * command that changes audited data; on failure prints why and returns an
 * exit code with *db NULL. */
int cli_open_signed(struct cli *c, db_t **db);
/* Where data files live: setting data_dir, else the source tree's data/ when
 * run from a build directory, else the installed copy. */
const char *cli_data_dir(struct cli *c);
/* Loads the signing key and fills c->signer; prints and returns an exit code on
 * failure. */
int cli_load_signer(struct cli *c);
/* The signing key path: setting signing_key, else "<db>.key". Static storage. */
const char *cli_key_path(struct cli *c);

void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints a usage error mentioning the command's --help; returns EXIT_USAGE. */
int cli_usage_error(struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void cli_free(struct cli *c);

#endif
