/* cmd_backup.c: `probity backup DEST` writes a consistent copy of a live
 * database while the server keeps running. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static int run(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS, {0}};
	int first, rc = cli_parse(c, argc, argv, opts, NULL, NULL, &first);
	if (rc)
		return rc;
	if (first != argc - 1)
		return cli_usage_error(c, "give exactly one destination file");
	const char *dest = argv[first];
	db_t *db;
	if ((rc = cli_open_db(c, CLI_DB_WRITE, &db)) != 0)
		return rc;
	if ((rc = cli_load_signer(c)) != 0)
		goto out;
	/* PostgreSQL has its own tools (pg_basebackup, pg_dump): refuse before
	 * the record below, which would otherwise tell of a copy never made */
	if (strcmp(db_engine_name(db), "sqlite") != 0) {
		cli_error("backup: probity backup copies SQLite databases only: back up "
			  "PostgreSQL with pg_dump or pg_basebackup (docs/deployment.md)");
		rc = EXIT_FAIL;
		goto out;
	}
	/* record the backup first: a copy of the data leaving is security relevant,
	 * and the copy then carries its own record */
	struct audit_entry e = {.actor = c->actor, .action = "database.backup",
				.object_type = "database", .detail = dest};
	if (db_begin(db) != 0 || audit_append(db, &c->signer, &e) != 0 ||
	    db_commit(db) != 0) {
		rc = cli_db_fail(c, db, "backup");
		db_rollback(db);
		goto out;
	}
	if (db_backup(db, dest) != 0) {
		const struct db_error *err = db_error(db);
		if (err->cls == DBE_CONSTRAINT) {
			cli_error("backup: %s already exists: choose a new file name", dest);
			rc = EXIT_CONFLICT;
		} else {
			rc = cli_db_fail(c, db, "backup");
		}
		goto out;
	}
	printf("wrote %s (the signing key %s is not in it: back that up separately)\n", dest,
	       cli_key_path(c));
out:
	db_close(db);
	return rc;
}

const struct cli_command cmd_backup = {
	.name = "backup",
	.summary = "write a consistent copy of a live database",
	.usage = "usage: probity backup [--db FILE] DEST\n\n"
		 "Writes a consistent copy of the database to DEST while probity keeps\n"
		 "serving. DEST must not exist; it appears only once complete. The audit\n"
		 "signing key is not copied: keep its backup apart from the database's.\n",
	.run = run,
};
