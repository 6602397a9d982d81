/* cli.c: option parsing, settings and database opening shared by all commands. */
#include "cli/cli.h"

#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "probity_config.h"
#include "store/migrate.h"

void cli_error(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	fprintf(stderr, "probity: %s\n", line);
}

int cli_usage_error(struct cli *c, const char *fmt, ...)
{
	char line[800];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	fprintf(stderr, "probity %s: %s; see 'probity %s --help'\n", c->cmd->name, line,
		c->cmd->name);
	return EXIT_USAGE;
}

static void set_actor(struct cli *c)
{
	const struct passwd *pw = getpwuid(geteuid());
	snprintf(c->actor, sizeof c->actor, "cli:%s", pw ? pw->pw_name : "unknown");
}

static int load_settings(struct cli *c)
{
	char err[900];
	const char *file = c->flag_config ? c->flag_config : getenv("PROBITY_CONFIG");
	if (file && *file && config_load_file(&c->cfg, file, err, sizeof err) != 0) {
		cli_error("%s", err);
		return EXIT_CONFIG;
	}
	if (config_apply_env(&c->cfg, err, sizeof err) != 0) {
		cli_error("%s", err);
		return EXIT_CONFIG;
	}
	if (c->flag_db && config_set(&c->cfg, "db", c->flag_db, err, sizeof err) != 0)
		return cli_usage_error(c, "--db: %s", err);
	if (c->flag_listen && config_set(&c->cfg, "listen", c->flag_listen, err, sizeof err) != 0)
		return cli_usage_error(c, "--listen: %s", err);
	log_set_level(c->cfg.log_level);
	return 0;
}

int cli_parse(struct cli *c, int argc, char **argv, const struct option *opts, cli_opt_fn fn,
	      void *ctx, int *first_arg)
{
	opterr = 0;
	optind = 0;  /* GNU: re-initialise, so that tests may parse twice */
	set_actor(c);
	for (;;) {
		int idx = 0;
		int o = getopt_long(argc, argv, ":", opts, &idx);
		if (o == -1)
			break;
		switch (o) {
		case CLI_OPT_DB:
			free(c->flag_db);
			c->flag_db = xstrdup(optarg);
			break;
		case CLI_OPT_CONFIG:
			free(c->flag_config);
			c->flag_config = xstrdup(optarg);
			break;
		case CLI_OPT_LISTEN:
			free(c->flag_listen);
			c->flag_listen = xstrdup(optarg);
			break;
		case CLI_OPT_HELP:
			fputs(c->cmd->usage, stdout);
			return -1;
		/* optopt names a bad short option; a bad long one is the argument just
		 * consumed (for a short-option cluster optind has not moved yet) */
		case ':':
			if (optopt && optopt < 256)
				return cli_usage_error(c, "option '-%c' needs a value", optopt);
			return cli_usage_error(c, "option '%s' needs a value", argv[optind - 1]);
		case '?':
			if (optopt && optopt < 256)
				return cli_usage_error(c, "unknown option '-%c'", optopt);
			return cli_usage_error(c, "unknown option '%s'", argv[optind - 1]);
		default: {
			int rc = fn ? fn(c, ctx, o, optarg) : EXIT_USAGE;
			if (rc)
				return rc;
		}
		}
	}
	*first_arg = optind;
	return load_settings(c);
}

int cli_parse_options(struct cli *c, int argc, char **argv, const struct option *opts,
		      cli_opt_fn fn, void *ctx)
{
	int first, rc = cli_parse(c, argc, argv, opts, fn, ctx, &first);
	if (rc == 0 && first < argc)
		rc = cli_usage_error(c, "unexpected argument '%s'", argv[first]);
	return rc;
}

const char *cli_key_path(struct cli *c)
{
	static char path[4096];
	const char *db = c->cfg.db ? c->cfg.db : "probity.db";
	if (c->cfg.signing_key)
		snprintf(path, sizeof path, "%s", c->cfg.signing_key);
	else if (!strncmp(db, "postgresql://", 13) || !strncmp(db, "postgres://", 11))
		/* no file to sit beside, and the URL may hold a password, which
		 * would show in every message naming the key: the working folder's
		 * probity.key unless signing_key says otherwise */
		snprintf(path, sizeof path, "probity.key");
	else
		snprintf(path, sizeof path, "%s.key", db);
	return path;
}

/* One message and exit code per kind of database failure. */
static int report(struct cli *c, const struct db_error *e, const char *doing)
{
	const char *target = c->cfg.db;
	switch (e->cls) {
	case DBE_BUSY:
		cli_error("%s: database %s is locked by another process: try again when it has "
			  "finished, or raise busy_timeout_ms", doing, target);
		return EXIT_DB_BUSY;
	case DBE_FULL:
		cli_error("%s: the disk holding %s is full: free space and try again; nothing "
			  "was changed", doing, target);
		return EXIT_DB_WRITE;
	case DBE_READONLY:
		cli_error("%s: database %s is read-only: give this user write access to the file "
			  "and its folder", doing, target);
		return EXIT_DB_WRITE;
	case DBE_IO:
		cli_error("%s: I/O error on %s (%s): check the disk; nothing was changed", doing,
			  target, e->msg);
		return EXIT_DB_WRITE;
	case DBE_SCHEMA:
		cli_error("%s", e->msg);
		return EXIT_DB_VERSION;
	case DBE_CONSTRAINT:
		cli_error("%s: %s", doing, e->msg);
		return EXIT_CONFLICT;
	case DBE_NOTADB:
		cli_error("%s: %s is not a database (or is damaged): check the path, or restore "
			  "it from a backup", doing, target);
		return EXIT_DB_OPEN;
	default:
		cli_error("%s: %s", doing, e->msg);
		return EXIT_FAIL;
	}
}

int cli_db_fail(struct cli *c, db_t *db, const char *doing)
{
	return report(c, db_error(db), doing);
}

int cli_once(struct cli *c, const char **slot, const char *opt, const char *arg)
{
	if (*slot)
		return cli_usage_error(c, "%s is given twice", opt);
	*slot = arg;
	return 0;
}

int cli_open_signed(struct cli *c, db_t **db)
{
	int rc = cli_open_db(c, CLI_DB_WRITE, db);
	if (rc)
		return rc;
	if ((rc = cli_load_signer(c)) != 0) {
		db_close(*db);
		*db = NULL;
	}
	return rc;
}

const char *cli_data_dir(struct cli *c)
{
	struct stat sb;
	if (c->cfg.data_dir)
		return c->cfg.data_dir;
	if (stat(PROBITY_SRCDATA, &sb) == 0 && S_ISDIR(sb.st_mode))
		return PROBITY_SRCDATA;
	return PROBITY_DATADIR;
}

int cli_refused(struct cli *c, db_t *db, enum cli_refusal why, const char *msg,
		const char *notfound_hint)
{
	switch (why) {
	case CLI_INVALID:
		return cli_usage_error(c, "%s", msg);
	case CLI_NOTFOUND:
		if (notfound_hint)
			cli_error("%s: %s: %s", c->cmd->name, msg, notfound_hint);
		else
			cli_error("%s: %s", c->cmd->name, msg);
		return EXIT_NOT_FOUND;
	case CLI_CONFLICT:
		cli_error("%s: %s", c->cmd->name, msg);
		return EXIT_CONFLICT;
	case CLI_DBFAIL:
		return cli_db_fail(c, db, c->cmd->name);
	default:
		cli_error("%s: %s", c->cmd->name, msg);
		return EXIT_FAIL;
	}
}

int cli_open_db(struct cli *c, enum cli_db_mode mode, db_t **out)
{
	*out = NULL;
	if (!c->cfg.db) {
		cli_error("no database given: use --db FILE, PROBITY_DB or 'db =' in the config "
			  "file");
		return EXIT_USAGE;
	}
	struct db_options opt = {.busy_timeout_ms = c->cfg.busy_timeout_ms};
	unsigned flags = mode == CLI_DB_CREATE ? DB_OPEN_CREATE :
			 mode == CLI_DB_READ ? DB_OPEN_READONLY : 0;
	struct db_error err;
	db_t *db;
	if (db_open(c->cfg.db, flags, &opt, &db, &err) != 0) {
		switch (err.cls) {
		case DBE_MISSING:
			cli_error("database %s does not exist: create it with 'probity init --db %s'",
				  c->cfg.db, c->cfg.db);
			return EXIT_DB_OPEN;
		case DBE_CANTOPEN:
			cli_error("%s: check that the file and its folder exist and that this user "
				  "may use them", err.msg);
			return EXIT_DB_OPEN;
		default:
			return report(c, &err, "open");
		}
	}
	if (mode != CLI_DB_CREATE && migrate_require_current(db) != 0) {
		int rc = cli_db_fail(c, db, "open");
		db_close(db);
		return rc;
	}
	*out = db;
	return 0;
}

int cli_load_signer(struct cli *c)
{
	char err[600];
	const char *path = cli_key_path(c);
	if (signkey_load(path, &c->key, err, sizeof err) != 0) {
		cli_error("%s", err);
		return EXIT_CONFIG;
	}
	c->signer.key = &c->key;
	c->signer.interval = c->cfg.audit_checkpoint_interval;
	return 0;
}

void cli_free(struct cli *c)
{
	signkey_wipe(&c->key);
	config_free(&c->cfg);
	free(c->flag_db);
	free(c->flag_config);
	free(c->flag_listen);
}
