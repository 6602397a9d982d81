/* cmd_migrate.c: `probity migrate --from sqlite:FILE --to postgresql://...`
 * moves a whole database from SQLite to PostgreSQL (issue 8): creates the
 * schema on the target, copies every table in one transaction (store/copy.h),
 * checks the row counts before committing and the audit trail after.
 *
 * --replace-target replaces a Probity database the target already holds (a
 * trial move, say): it says what will be lost, asks for the database's name
 * at a terminal, and then drops and re-creates the schema inside the copy's
 * own transaction, so that a failure anywhere leaves the old target as it
 * was. Without it a target holding data is refused, as before. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/date.h"
#include "cli/cli.h"
#include "cli/prompt.h"
#include "store/copy.h"
#include "store/migrate.h"

enum { OPT_FROM = CLI_OPT_FIRST_FREE, OPT_TO, OPT_REPLACE, OPT_YES };

struct opts {
	const char *from, *to;
	int replace, yes;
};

struct run_ctx {
	struct cli *c;
	const char *from;
	int tty;
	char last[64];
	int replace;              /* --replace-target on a Probity database */
	int schema;               /* the replaced database's schema version */
	struct db_survey before;  /* what was shown (and confirmed) */
	struct db_survey *under;  /* the same, read again under the write lock */
};

static int on_opt(struct cli *c, void *ctx, int opt, const char *arg)
{
	struct opts *o = ctx;
	if (opt == OPT_FROM)
		return cli_once(c, &o->from, "--from", arg);
	if (opt == OPT_TO)
		return cli_once(c, &o->to, "--to", arg);
	if (opt == OPT_REPLACE || opt == OPT_YES) {
		(*(opt == OPT_REPLACE ? &o->replace : &o->yes))++;
		return 0;
	}
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

static void hex_of(const struct db_survey *v, char *out, size_t cap)
{
	if (!v->head_len)
		snprintf(out, cap, "none");
	else
		sodium_bin2hex(out, cap, v->head, v->head_len);
}

/* The replaced database's trail is gone with it: the new trail says what it
 * replaced (its rows and the head of its trail, so that a copy of the old
 * database kept elsewhere can be matched to it), by which command, when. */
static int audit_replaced(struct run_ctx *r, db_t *dst)
{
	char hex[2 * DB_SURVEY_HASH + 1], now[TIMESTAMP_LEN + 1], detail[800];
	hex_of(r->under, hex, sizeof hex);
	timestamp_now(now);
	snprintf(detail, sizeof detail,
		 "replaced a Probity database (schema %d) holding %lld rows in %d tables, "
		 "audit head entry %lld hash %s, by 'probity migrate --replace-target' from "
		 "sqlite:%.300s at %s",
		 r->schema, (long long)r->under->rows, r->under->ntables,
		 (long long)r->under->head_seq, hex, r->from, now);
	struct audit_entry e = {.actor = r->c->actor, .action = "database.replace",
				.object_type = "database", .detail = detail};
	return audit_append(dst, &r->c->signer, &e);
}

/* The move itself is audited, in the target's trail, in the copy's
 * transaction: the entry says where the data came from. */
static int audit_move(void *ctx, db_t *dst)
{
	struct run_ctx *r = ctx;
	if (r->replace && audit_replaced(r, dst) != 0)
		return -1;
	char detail[600];
	snprintf(detail, sizeof detail, "from sqlite:%s", r->from);
	struct audit_entry e = {.actor = r->c->actor, .action = "database.migrate",
				.object_type = "database", .detail = detail};
	return audit_append(dst, &r->c->signer, &e);
}

/* The copy's prepare hook for --replace-target, in the target's write
 * transaction: what was shown must still be what is there (a server still
 * writing to it would otherwise lose what the operator never saw), then the
 * schema goes and comes back empty. */
static int replace_schema(void *ctx, db_t *dst)
{
	struct run_ctx *r = ctx;
	if (db_survey(dst, r->under) != 0)
		return -1;
	if (r->under->rows != r->before.rows || r->under->head_seq != r->before.head_seq)
		return db_fail(dst, DBE_GENERIC, "the target changed since its tables were listed "
			       "(%lld rows now, %lld then): is a server still using it? Stop it "
			       "and run migrate again", (long long)r->under->rows,
			       (long long)r->before.rows);
	return migrate_replace(dst, NULL, NULL);
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
 * version whose data tables are empty (db_copy checks the last part), or,
 * with --replace-target, a Probity database not newer than this program.
 * Sets r->replace when the copy is to replace one. */
static int prepare_target(struct run_ctx *r, const struct opts *o, db_t *dst, const char *shown)
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
		if (s.current > s.latest) {
			cli_error("migrate: the target %s holds the data of a newer Probity (schema "
				  "%d, this program knows %d): nothing was changed; give another "
				  "database", shown, s.current, s.latest);
			return EXIT_DB_VERSION;
		}
		if (o->replace && s.current > 0) {
			r->replace = 1;
			r->schema = s.current;
			return 0;
		}
		if (s.current != s.latest) {
			cli_error("migrate: the target %s is a Probity database at schema version %d "
				  "(this program: %d): migrate copies into an empty database only "
				  "(to replace it, and lose what it holds: --replace-target)",
				  shown, s.current, s.latest);
			return EXIT_CONFLICT;
		}
	}
	if (migrate_up(dst, on_migration, NULL) != 0)
		return target_fail("cannot create the schema on", shown, dst);
	return 0;
}

/* The name an operator types back to confirm: PostgreSQL's database name,
 * or the SQLite file's name as given. */
static int target_name(db_t *dst, const char *to, char *out, size_t cap)
{
	if (strcmp(db_engine_name(dst), "postgresql") != 0) {
		const char *f = !strncmp(to, "sqlite:", 7) ? to + 7 : to;
		snprintf(out, cap, "%s", f);
		return 0;
	}
	db_stmt_t *st;
	if (db_prepare(dst, "SELECT current_database()", &st) != 0)
		return -1;
	int rc = db_step(st) == DB_ROW ? 0 : -1;
	if (rc == 0)
		snprintf(out, cap, "%s", db_col_text(st, 0));
	db_finalize(st);
	return rc;
}

/* Says on stderr what the replacement loses and, at a terminal without
 * --yes, has the operator type the database's name (a slip of the up-arrow
 * key must not drop a database; a script said --replace-target and has no
 * one to ask). Returns 0 to go on, or an exit code. */
static int confirm_replace(struct run_ctx *r, const struct opts *o, db_t *dst, const char *shown)
{
	if (db_survey(dst, &r->before) != 0)
		return target_fail("cannot read", shown, dst);
	char hex[2 * DB_SURVEY_HASH + 1];
	hex_of(&r->before, hex, sizeof hex);
	fprintf(stderr, "migrate: --replace-target: the Probity database (schema %d) in %s is "
		"replaced; it holds:\n", r->schema, shown);
	for (int i = 0; i < r->before.ntables; i++)
		fprintf(stderr, "  %-32s %lld rows\n", r->before.t[i].name,
			(long long)r->before.t[i].rows);
	fprintf(stderr, "  in all %lld rows in %d tables; its audit trail ends at entry %lld, "
		"hash %s\n", (long long)r->before.rows, r->before.ntables,
		(long long)r->before.head_seq, hex);
	if (o->yes || !prompt_is_tty())
		return 0;
	char name[256], typed[256];
	if (target_name(dst, o->to, name, sizeof name) != 0)
		return target_fail("cannot read", shown, dst);
	char ask[400];
	snprintf(ask, sizeof ask, "Type the target database's name (%s) to replace it: ", name);
	ssize_t n = prompt_line(ask, 0, typed, sizeof typed);
	if (n < 0 || strcmp(typed, name) != 0) {
		cli_error("migrate: not confirmed (the name typed is not %s): nothing was changed",
			  name);
		return EXIT_FAIL;
	}
	return 0;
}

static int run(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{"from", required_argument, NULL, OPT_FROM},
		{"to", required_argument, NULL, OPT_TO},
		{"replace-target", no_argument, NULL, OPT_REPLACE},
		{"yes", no_argument, NULL, OPT_YES},
		{0},
	};
	struct opts o = {0};
	int rc = cli_parse_options(c, argc, argv, opts, on_opt, &o);
	if (rc)
		return rc;
	if (!o.from || !o.to)
		return cli_usage_error(c, "give both --from sqlite:FILE and --to postgresql://...");
	if (o.replace > 1 || o.yes > 1)
		return cli_usage_error(c, "--replace-target and --yes are given once");
	if (o.yes && !o.replace)
		return cli_usage_error(c, "--yes confirms --replace-target, which is not given");
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
	struct db_survey under;
	struct run_ctx r = {.c = c, .from = from, .tty = isatty(2), .under = &under};
	if ((rc = prepare_target(&r, &o, dst, shown)) != 0)
		goto out;
	if (r.replace && (rc = confirm_replace(&r, &o, dst, shown)) != 0)
		goto out;

	struct db_copy_report cr;
	int which;
	struct db_copy_hooks hooks = {.progress = progress, .extra = audit_move, .ctx = &r,
				      .prepare = r.replace ? replace_schema : NULL};
	if (db_copy(src, dst, &hooks, &cr, &which) != 0) {
		if (which) {
			rc = cli_db_fail(c, src, "migrate");
		} else if (cr.refused) {
			const struct db_error *e = db_error(dst);
			cli_error("migrate: refused %s: %s (to replace it, and lose what it holds: "
				  "--replace-target)", shown, e->msg);
			rc = EXIT_CONFLICT;
		} else {
			/* a constraint failing here is the data's, not a conflict
			 * with what the target held: exit 1, not 10 */
			rc = target_fail(r.replace ? "replacement rolled back, the target is as it "
						     "was; replacing"
						   : "copy rolled back, the target keeps the schema "
						     "and no data; copying into",
					 shown, dst);
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
	if (r.replace)
		printf("replaced the Probity database in %s (%lld rows, audit trail to entry "
		       "%lld): recorded in its audit trail\n", shown, (long long)under.rows,
		       (long long)under.head_seq);
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
	.usage = "usage: probity migrate --from sqlite:FILE --to postgresql://...\n"
		 "                       [--replace-target [--yes]]\n\n"
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
		 "A target that holds data is refused: migrate never merges.\n\n"
		 "--replace-target replaces a Probity database the target holds (a trial\n"
		 "move, say): it lists the tables that hold rows and the end of their\n"
		 "audit trail on stderr, and at a terminal asks for the database's name\n"
		 "to be typed back (--yes skips that question; without a terminal the\n"
		 "option alone is the consent). Then, in the copy's one transaction, it\n"
		 "drops Probity's own tables, views and triggers (nothing else the\n"
		 "database holds), creates the schema afresh, copies, and records in the\n"
		 "new audit trail what it replaced. A failure anywhere leaves the old\n"
		 "database exactly as it was. A database of a newer Probity is refused\n"
		 "(exit 5).\n\n"
		 "The signing key (setting signing_key, default FILE.key) signs the\n"
		 "move's audit entry; serve the new database with that key.\n",
	.run = run,
};
