/* cmd_init.c: `probity init` creates a database or upgrades it to this
 * program's schema, and creates the audit signing key on first use. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "crypto/audit.h"
#include "frameworks/framework.h"
#include "store/migrate.h"

static void progress(void *ctx, int version, const char *name)
{
	(void)ctx;
	printf("applied migration %d (%s)\n", version, name);
}

/* Creates the signing key unless it exists. A database that already has an
 * audit trail but lost its key must not get a new one silently. */
static int ensure_key(struct cli *c, db_t *db, int *created)
{
	struct stat sb;
	const char *path = cli_key_path(c);
	*created = 0;
	if (stat(path, &sb) == 0)
		return 0;
	if (errno != ENOENT) {
		cli_error("cannot use signing key %s: %s", path, strerror(errno));
		return EXIT_CONFIG;
	}
	int64_t has_audit = 0, entries = 0;
	if (db_count_tables(db, "audit_log", &has_audit) != 0)
		return cli_db_fail(c, db, "init");
	if (has_audit && db_query_i64(db, "SELECT count(*) FROM audit_log", NULL, &entries) != 0)
		return cli_db_fail(c, db, "init");
	if (entries > 0) {
		cli_error("signing key %s is missing but the database has an audit trail: restore "
			  "the key from its backup, or set signing_key to where it is", path);
		return EXIT_CONFIG;
	}
	char err[600];
	if (signkey_create(path, err, sizeof err) != 0) {
		cli_error("%s", err);
		return EXIT_CONFIG;
	}
	*created = 1;
	return 0;
}

static int run(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS, {0}};
	int rc = cli_parse_options(c, argc, argv, opts, NULL, NULL);
	if (rc)
		return rc;
	db_t *db;
	if ((rc = cli_open_db(c, CLI_DB_CREATE, &db)) != 0)
		return rc;
	struct migrate_state before;
	int key_created = 0;
	if (migrate_state(db, &before) != 0) {
		rc = cli_db_fail(c, db, "init");
		goto out;
	}
	if (before.current > before.latest) {
		migrate_up(db, NULL, NULL); /* sets the "newer" error */
		rc = cli_db_fail(c, db, "init");
		goto out;
	}
	if ((rc = ensure_key(c, db, &key_created)) != 0 || (rc = cli_load_signer(c)) != 0)
		goto out;
	if (migrate_up(db, progress, NULL) != 0) {
		rc = cli_db_fail(c, db, "init");
		goto out;
	}
	if (before.current == before.latest && !key_created) {
		printf("database %s is up to date (schema %d)\n", c->cfg.db, before.latest);
		goto up_to_date;
	}
	/* The frameworks this build ships (data/frameworks) go in with the
	 * schema, in the same transaction and under its one audit entry: init
	 * runs on every new database, every upgrade and the demo, so the
	 * library is there before anyone serves, and serving never writes at
	 * start-up. */
	char detail[AUDIT_MAX_FIELD], shipped[AUDIT_MAX_FIELD - 64];
	int added = 0;
	if (db_begin(db) != 0 || frameworks_ship(db, &added, shipped, sizeof shipped) != 0) {
		rc = cli_db_fail(c, db, "init");
		db_rollback(db);
		goto out;
	}
	snprintf(detail, sizeof detail, "schema %d to %d%s%s", before.current, before.latest,
		 added ? "; frameworks " : "", added ? shipped : "");
	struct audit_entry e = {.actor = c->actor, .action = before.current ? "schema.upgrade" :
						     "schema.create",
				.object_type = "database", .detail = detail};
	if (audit_append(db, &c->signer, &e) != 0 || db_commit(db) != 0) {
		rc = cli_db_fail(c, db, "init");
		db_rollback(db);
		goto out;
	}
	if (key_created)
		printf("created signing key %s (back it up apart from the database)\n",
		       cli_key_path(c));
	printf("database %s is ready (schema %d)\n", c->cfg.db, before.latest);
	goto out;
up_to_date:;
	/* a build that ships a new framework revision without a schema
	 * change still adds it, under an entry of its own */
	int more = 0;
	if (frameworks_ensure_shipped(db, &c->signer, &more) != 0) {
		rc = cli_db_fail(c, db, "init");
		goto out;
	}
	if (more)
		printf("added %d shipped framework revision%s\n", more, more == 1 ? "" : "s");
out:
	db_close(db);
	return rc;
}

const struct cli_command cmd_init = {
	.name = "init",
	.summary = "create a database, or upgrade it to this version",
	.usage = "usage: probity init [--db FILE] [--config FILE]\n\n"
		 "Creates the database if it does not exist and applies every schema\n"
		 "migration it lacks, each in its own transaction. On first use it also\n"
		 "creates the audit signing key (setting signing_key, default FILE.key)\n"
		 "and its public half FILE.key.pub. It stores the assessment frameworks\n"
		 "this version ships that the database lacks (docs/assessment.md).\n"
		 "Running init again is safe.\n\n"
		 "A database made by a newer probity is refused: upgrade probity.\n",
	.run = run,
};
