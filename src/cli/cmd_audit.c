/* cmd_audit.c: `probity audit verify` checks the whole audit trail: every link
 * of the hash chain, every signed checkpoint and the signed head. */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/alloc.h"
#include "cli/cli.h"

enum { OPT_PUBLIC_KEY = CLI_OPT_FIRST_FREE };

static int on_opt(struct cli *c, void *ctx, int opt, const char *arg)
{
	(void)c;
	if (opt != OPT_PUBLIC_KEY)
		return EXIT_USAGE;
	*(const char **)ctx = arg;
	return 0;
}

/* The key to trust: --public-key, else the secret key file, else its .pub. */
static int trusted_key(struct cli *c, const char *pub_flag, struct signkey *k)
{
	char err[600];
	if (pub_flag) {
		if (signkey_load_public(pub_flag, k, err, sizeof err) == 0)
			return 0;
		cli_error("%s", err);
		return EXIT_CONFIG;
	}
	const char *path = cli_key_path(c);
	struct stat sb;
	if (stat(path, &sb) == 0) {
		if (signkey_load(path, k, err, sizeof err) == 0)
			return 0;
		cli_error("%s", err);
		return EXIT_CONFIG;
	}
	char *pub = xasprintf("%s.pub", path);
	int rc = signkey_load_public(pub, k, err, sizeof err);
	free(pub);
	if (rc == 0)
		return 0;
	cli_error("cannot check signatures: no signing key at %s nor %s.pub: give the public "
		  "key with --public-key FILE", path, path);
	return EXIT_CONFIG;
}

static int run(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{"public-key", required_argument, NULL, OPT_PUBLIC_KEY},
		{0},
	};
	const char *pub = NULL;
	int rc = cli_parse_options(c, argc, argv, opts, on_opt, &pub);
	if (rc)
		return rc;
	db_t *db;
	if ((rc = cli_open_db(c, CLI_DB_READ, &db)) != 0)
		return rc;
	struct signkey key;
	if ((rc = trusted_key(c, pub, &key)) != 0) {
		db_close(db);
		return rc;
	}
	struct audit_report r;
	int v = audit_verify(db, key.pk, &r);
	signkey_wipe(&key);
	if (v < 0) {
		rc = cli_db_fail(c, db, "audit verify");
	} else if (v > 0) {
		printf("checked %lld entries: BROKEN at entry %lld: %s\n", (long long)r.entries,
		       (long long)r.bad_seq, r.reason);
		cli_error("audit trail of %s is broken at entry %lld: %s", c->cfg.db,
			  (long long)r.bad_seq, r.reason);
		rc = EXIT_INTEGRITY;
	} else {
		/* the head, to be noted outside the database: a later run that shows
		 * fewer entries, or another hash at this entry, reveals a rollback */
		char hex[2 * AUDIT_HASH_BYTES + 1];
		sodium_bin2hex(hex, sizeof hex, r.head, sizeof r.head);
		printf("checked %lld entries and %lld signed checkpoints: ok\n",
		       (long long)r.entries, (long long)r.checkpoints);
		if (r.entries)
			printf("head: entry %lld, hash %s\n", (long long)r.entries, hex);
	}
	db_close(db);
	return rc;
}

const struct cli_command cmd_audit_verify = {
	.name = "audit verify",
	.summary = "check that the audit trail is complete and unchanged",
	.usage = "usage: probity audit verify [--db FILE] [--public-key FILE]\n\n"
		 "Recomputes every link of the audit trail's hash chain and checks every\n"
		 "signed checkpoint and the signed head against the signing key. Prints\n"
		 "the number of entries checked and \"ok\", or names the first broken\n"
		 "entry and exits with status 8.\n\n"
		 "The key trusted is --public-key FILE if given, else the signing key\n"
		 "(setting signing_key, default DB.key), else DB.key.pub. An auditor needs\n"
		 "only the public key.\n",
	.run = run,
};
