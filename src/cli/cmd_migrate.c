/* cmd_migrate.c: `probity migrate --from sqlite:FILE --to postgresql://...`
 * moves a whole database from SQLite to PostgreSQL (issue 8): creates the
 * schema on the target, copies every table in one transaction (store/copy.h),
 * checks the row counts before committing and the audit trail after. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "store/copy.h"
#include "store/migrate.h"

enum { OPT_FROM = CLI_OPT_FIRST_FREE, OPT_TO };

struct opts {
	const char *from, *to;
};

struct run_ctx {
	struct cli *c;
	const char *from;
	int tty;
	char last[64];
};

static int on_opt(struct cli *c, void *ctx, int opt, const char *arg)
{
	struct opts *o = ctx;
	if (opt == OPT_FROM)
		return cli_once(c, &o->from, "--from", arg);
	if (opt == OPT_TO)
		return cli_once(c, &o->to, "--to", arg);
	return EXIT_USAGE;
}

static int is_url(const char *s)
{
	return !strncmp(s, "postgresql://", 13) || !strncmp(s, "postgres://", 11);
}

/* Progress on stderr: one line per table (overwritten in place on a
 * terminal, so that a large table shows its rows as they go). */
static void progress(void *ctx, const char *table, int64_t done, int64_t total)
{
	struct run_ctx *r = ctx;
	int end = done >= total;
	if (r->tty)
		fprintf(stderr, "\rcopy %-32s %lld/%lld rows%s", table, (long long)done,
			(long long)total, end ? "\n" : "");
	else if (end)
		fprintf(stderr, "copy %-32s %lld/%lld rows\n", table, (long long)done,
			(long long)total);
	snprintf(r->last, sizeof r->last, "%s", table);
}

static void on_migration(void *ctx, int version, const char *name)
{
	(void)ctx;
	fprintf(stderr, "schema %04d %s\n", version, name);
}

/* The move itself is audited, in the target's trail, in the copy's
 * transaction: the entry says where the data came from. */
static int audit_move(void *ctx, db_t *dst)
{
	struct run_ctx *r = ctx;
	char detail[600];
	snprintf(detail, sizeof detail, "from sqlite:%s", r->from);
	struct audit_entry e = {.actor = r->c->actor, .action = "database.migrate",
				.object_type = "database", .detail = detail};
	return audit_append(dst, &r->c->signer, &e);
}

static int target_fail(const char *doing, const char *target, db_t *dst)
{
	const struct db_error *e = db_error(dst);
	cli_error("migrate: %s %s: %s", doing, target, e->msg);
	return e->cls == DBE_BUSY ? EXIT_DB_BUSY : e->cls == DBE_CONSTRAINT ? EXIT_CONFLICT
		: e->cls == DBE_FULL || e->cls == DBE_READONLY || e->cls == DBE_IO ? EXIT_DB_WRITE
		: EXIT_FAIL;
}

/* A target with tables must be a Probity database at this program's schema
 * version whose data tables are empty (db_copy checks the last part). */
static int prepare_target(struct cli *c, db_t *dst, const char *shown)
{
	int64_t ntables;
	if (db_count_tables(dst, NULL, &ntables) != 0)
		return target_fail("cannot read", shown, dst);
	if (ntables > 0) {
		struct migrate_state s;
		if (migrate_state(dst, &s) != 0) {
			cli_error("migrate: the target %s holds tables that are not a Probity "
				  "database: give an empty database", shown);
			return EXIT_CONFLICT;
		}
		if (s.current != s.latest) {
			cli_error("migrate: the target %s is a Probity database at schema version %d "
				  "(this program: %d): migrate copies into an empty database only",
				  shown, s.current, s.latest);
			return EXIT_CONFLICT;
		}
	}
	(void)c;
	if (migrate_up(dst, on_migration, NULL) != 0)
		return target_fail("cannot create the schema on", shown, dst);
	return 0;
}

static int run(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{"from", required_argument, NULL, OPT_FROM},
		{"to", required_argument, NULL, OPT_TO},
		{0},
	};
	struct opts o = {0};
	int rc = cli_parse_options(c, argc, argv, opts, on_opt, &o);
	if (rc)
		return rc;
	if (!o.from || !o.to)
		return cli_usage_error(c, "give both --from sqlite:FILE and --to postgresql://...");
	if (is_url(o.from))
		return cli_usage_error(c, "--from must be a SQLite file (sqlite:FILE)");
	const char *from = !strncmp(o.from, "sqlite:", 7) ? o.from + 7 : o.from;
	if (!*from)
		return cli_usage_error(c, "--from: no file given");
	if (!strcmp(from, !strncmp(o.to, "sqlite:", 7) ? o.to + 7 : o.to))
		return cli_usage_error(c, "--from and --to name the same database");

	/* the source: read-only, current schema, its trail intact */
	char err[900];
	if (config_set(&c->cfg, "db", from, err, sizeof err) != 0)
		return cli_usage_error(c, "--from: %s", err);
	db_t *src = NULL, *dst = NULL;
	if ((rc = cli_open_db(c, CLI_DB_READ, &src)) != 0)
		return rc;
	if ((rc = cli_load_signer(c)) != 0)
		goto out;
	struct audit_report ar;
	int v = audit_verify(src, c->key.pk, &ar);
	if (v < 0) {
		rc = cli_db_fail(c, src, "migrate");
		goto out;
	}
	if (v > 0) {
		cli_error("migrate: the audit trail of %s is broken at entry %lld (%s): nothing "
			  "was copied; see 'probity audit verify'", from, (long long)ar.bad_seq,
			  ar.reason);
		rc = EXIT_INTEGRITY;
		goto out;
	}

	struct db_error derr;
	struct db_options dopt = {.busy_timeout_ms = c->cfg.busy_timeout_ms};
	unsigned flags = is_url(o.to) ? 0 : DB_OPEN_CREATE;
	if (db_open(o.to, flags, &dopt, &dst, &derr) != 0) {
		cli_error("migrate: cannot open the target: %s", derr.msg);
		rc = EXIT_DB_OPEN;
		goto out;
	}
	const char *shown = db_target(dst);  /* the URL's password as *** */
	if ((rc = prepare_target(c, dst, shown)) != 0)
		goto out;

	struct run_ctx r = {.c = c, .from = from, .tty = isatty(2)};
	struct db_copy_report cr;
	int which;
	if (db_copy(src, dst, progress, &r, audit_move, &cr, &which) != 0) {
		if (which)
			rc = cli_db_fail(c, src, "migrate");
		else if (cr.refused)
			rc = target_fail("refused", shown, dst);
		else {
			/* a constraint failing here is the data's, not a conflict
			 * with what the target held: exit 1, not 10 */
			rc = target_fail("copy rolled back, the target keeps the schema and no "
					 "data; copying into", shown, dst);
			if (rc == EXIT_CONFLICT)
				rc = EXIT_FAIL;
		}
		goto out;
	}
	/* the same check as 'probity audit verify', on the committed copy */
	struct audit_report tr;
	v = audit_verify(dst, c->key.pk, &tr);
	if (v != 0) {
		cli_error("migrate: the audit trail of the copy in %s does not verify (%s): do not "
			  "use it; drop that database and report this", shown,
			  v < 0 ? db_error(dst)->msg : tr.reason);
		rc = EXIT_INTEGRITY;
		goto out;
	}
	char hex[2 * AUDIT_HASH_BYTES + 1];
	sodium_bin2hex(hex, sizeof hex, tr.head, sizeof tr.head);
	printf("copied %d tables, %lld rows from %s to %s; row counts equal\n", cr.tables,
	       (long long)cr.rows, from, shown);
	printf("audit trail on the target: %lld entries and %lld signed checkpoints: ok\n",
	       (long long)tr.entries, (long long)tr.checkpoints);
	printf("head: entry %lld, hash %s\n", (long long)tr.entries, hex);
	printf("serve it with --db set to the target and signing_key = %s (the key is not "
	       "in the database)\n", cli_key_path(c));
out:
	db_close(dst);
	db_close(src);
	return rc;
}

const struct cli_command cmd_migrate = {
	.name = "migrate",
	.summary = "move a SQLite database to PostgreSQL",
	.usage = "usage: probity migrate --from sqlite:FILE --to postgresql://...\n\n"
		 "Copies a whole Probity database from a SQLite file into an empty\n"
		 "PostgreSQL database (which must exist: createdb). Stop 'probity serve'\n"
		 "first: what is written to FILE after the copy began is not moved.\n\n"
		 "It checks the source's audit trail, creates the schema on the target,\n"
		 "copies every table in the order of their foreign keys in one\n"
		 "transaction (ids and sealed contents byte for byte), shows each table's\n"
		 "rows on stderr, compares the row count of every table before it\n"
		 "commits, records the move in the target's audit trail and then checks\n"
		 "that trail as 'probity audit verify' does. A failure rolls the copy\n"
		 "back: the target keeps the schema and no data, and the command can be\n"
		 "run again.\n\n"
		 "A target that holds data is refused, always: migrate never merges and\n"
		 "never deletes. To replace a database, drop and create it first.\n\n"
		 "The signing key (setting signing_key, default FILE.key) signs the\n"
		 "move's audit entry; serve the new database with that key.\n",
	.run = run,
};
