/* cmd_bundle.c: `probity export-case` writes a case as a verifiable bundle
 * for a team member who types their password; `probity verify-bundle`
 * checks one, with nothing but the file and the server's public key, and
 * names every part that changed (src/cases/bundle.h, docs/bundle.md).
 *
 * The export needs the member's own key: the server holds none that opens
 * a case, so the member signs in here (their password, from the terminal
 * without echo or the first line of standard input). The second factor is
 * not asked for, as for `keys recover`: whoever runs commands on the server
 * can read the database without it, and the password is what opens the key.
 *
 * The bundle is written to a temporary name beside FILE with mode 0600 and
 * linked into place only when it is complete and its audit entry committed,
 * so FILE never exists half-written, nor without the audit entry. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accounts/accounts.h"
#include "app/api.h"
#include "base/alloc.h"
#include "base/num.h"
#include "cases/bundle.h"
#include "cases/dataset.h"
#include "cases/export.h"
#include "cli/cli.h"
#include "cli/prompt.h"

enum { OPT_CASE = CLI_OPT_FIRST_FREE, OPT_USER, OPT_OUT, OPT_KEY };

struct args {
	const char *case_id, *user, *out, *key;
};

static int on_opt(struct cli *c, void *ctx, int opt, const char *arg)
{
	struct args *a = ctx;
	switch (opt) {
	case OPT_CASE: return cli_once(c, &a->case_id, "--case", arg);
	case OPT_USER: return cli_once(c, &a->user, "--user", arg);
	case OPT_OUT: return cli_once(c, &a->out, "--out", arg);
	case OPT_KEY: return cli_once(c, &a->key, "--key", arg);
	default: return EXIT_USAGE;
	}
}

/* ---- export-case ---- */

#define PW_BUF (ACCOUNT_PASSWORD_MAX + 2)

static int read_password(struct cli *c, const char *user, char pw[PW_BUF])
{
	char prompt[120];
	snprintf(prompt, sizeof prompt, "password of %s: ", user);
	ssize_t n = prompt_line(prompt, 1, pw, PW_BUF);
	if (n > 0)
		return 0;
	sodium_memzero(pw, PW_BUF);
	if (n == PROMPT_ELONG)
		return cli_usage_error(c, "the password is longer than %d bytes",
				       ACCOUNT_PASSWORD_MAX);
	if (n == PROMPT_ENUL)
		return cli_usage_error(c, "the password contains a NUL byte");
	if (n == 0 || n == PROMPT_EEOF)
		return cli_usage_error(c, "no password given: type it at the prompt, or give it on "
				       "the first line of standard input");
	return cli_usage_error(c, "cannot read the password: %s", strerror(errno));
}

/* Signs user in with their password; 0 with *acc and sk, or an exit code. */
static int sign_in(struct cli *c, db_t *db, const char *user, struct account *acc,
		   unsigned char sk[ACCOUNT_KEY_BYTES])
{
	char pw[PW_BUF];
	int has_totp, rc;
	time_t until;
	if ((rc = read_password(c, user, pw)) != 0)
		return rc;
	enum account_login r = accounts_login(db, &c->signer, user, pw, acc, sk, NULL, &has_totp,
					      &until);
	sodium_memzero(pw, sizeof pw);
	switch (r) {
	case ACCOUNT_LOGIN_OK:
		return 0;
	case ACCOUNT_LOGIN_BAD:
		cli_error("export-case: the password of %s is wrong: nothing was exported", user);
		return EXIT_FAIL;
	case ACCOUNT_LOGIN_LOCKED:
		cli_error("export-case: %s is locked after too many wrong passwords: try again "
			  "later", user);
		return EXIT_FAIL;
	case ACCOUNT_LOGIN_DISABLED:
		cli_error("export-case: the account %s is disabled", user);
		return EXIT_FAIL;
	default:
		return cli_db_fail(c, db, "export-case");
	}
}

static int case_fail(struct cli *c, db_t *db, const struct cases_error *e, const char *user,
		     int64_t id)
{
	switch (e->code) {
	case CASES_ENOTFOUND:
		cli_error("export-case: no case %lld that %s is on the team of: see the team on the "
			  "case's page", (long long)id, user);
		return EXIT_NOT_FOUND;
	case CASES_EDB:
		return cli_db_fail(c, db, "export-case");
	case CASES_EDAMAGED:
		cli_error("export-case: case %lld holds damaged data (%s): nothing was exported; "
			  "restore the database from a backup", (long long)id, e->msg);
		return EXIT_FAIL;
	default:
		cli_error("export-case: %s", e->msg);
		return EXIT_FAIL;
	}
}

static int run_export(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{"case", required_argument, NULL, OPT_CASE},
		{"user", required_argument, NULL, OPT_USER},
		{"out", required_argument, NULL, OPT_OUT},
		{0},
	};
	struct args a = {0};
	struct account acc;
	struct cases_key k;
	struct cases_error e;
	struct cases_export_result res;
	unsigned char sk[ACCOUNT_KEY_BYTES];
	char *tmp = NULL;
	db_t *db = NULL;
	FILE *out = NULL;
	int64_t id;
	int rc = cli_parse_options(c, argc, argv, opts, on_opt, &a);
	if (rc)
		return rc;
	if (!a.case_id || !a.user || !a.out)
		return cli_usage_error(c, "give --case N, --user USERNAME and --out FILE");
	if (num_parse_i64z(a.case_id, 1, INT64_MAX, &id) != 0)
		return cli_usage_error(c, "--case: '%.40s' is not a case number", a.case_id);
	struct stat sb;
	if (lstat(a.out, &sb) == 0) {
		cli_error("export-case: %s exists: give a new file name; nothing was exported",
			  a.out);
		return EXIT_CONFLICT;
	}
	memset(&k, 0, sizeof k);
	memset(sk, 0, sizeof sk);
	char err[300];
	if (cases_data_init(err, sizeof err) != 0) {
		cli_error("export-case: %s", err);
		return EXIT_FAIL;
	}
	/* the database and the account must be there before anyone types */
	if ((rc = cli_open_signed(c, &db)) != 0)
		return rc;
	int found = accounts_by_name(db, a.user, &acc);
	if (found != 0) {
		rc = found < 0 ? cli_db_fail(c, db, "export-case") : EXIT_NOT_FOUND;
		if (found > 0)
			cli_error("export-case: no account has username '%.64s': see 'probity user "
				  "list'", a.user);
		goto out;
	}
	char user[ACCOUNT_USERNAME_MAX + 1];
	snprintf(user, sizeof user, "%s", acc.username);
	if ((rc = sign_in(c, db, user, &acc, sk)) != 0)
		goto out;
	if (cases_key_as_member(db, id, acc.id, sk, &k, &e) != 0) {
		rc = case_fail(c, db, &e, user, id);
		goto out;
	}
	sodium_memzero(sk, sizeof sk);
	/* jansson holds copies of the texts while a part is built */
	api_json_wipe_on_free();
	tmp = xasprintf("%s.partial-%ld", a.out, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || !(out = fdopen(fd, "w"))) {
		cli_error("export-case: cannot create %s: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(tmp);
		tmp = NULL;
		rc = EXIT_DB_WRITE;
		goto out;
	}
	int x = cases_export(db, &c->signer, &k, acc.id, out, &res, &e);
	int ferr = x == 0 && (fflush(out) != 0 || fsync(fileno(out)) != 0) ? errno : 0;
	if (fclose(out) != 0 && x == 0 && !ferr)
		ferr = errno;
	out = NULL;
	if (x == -2 || ferr) {
		cli_error("export-case: cannot write %s: %s: nothing was exported", a.out,
			  strerror(x == -2 ? res.io_errno : ferr));
		rc = EXIT_DB_WRITE;
		goto out;
	}
	if (x != 0) {
		rc = case_fail(c, db, &e, user, id);
		goto out;
	}
	/* link, not rename: it refuses a FILE that appeared meanwhile */
	if (link(tmp, a.out) != 0) {
		int le = errno;
		cli_error("export-case: cannot write %s: %s; the export is in the audit trail, the "
			  "file was removed", a.out, strerror(le));
		rc = le == EEXIST ? EXIT_CONFLICT : EXIT_DB_WRITE;
		goto out;
	}
	char hex[2 * CASES_BUNDLE_HASH_BYTES + 1];
	sodium_bin2hex(hex, sizeof hex, res.manifest_sha256, sizeof res.manifest_sha256);
	printf("exported case %lld to %s: %zu parts, signed with the server's key\n",
	       (long long)id, a.out, res.parts);
	printf("manifest SHA-256 %s (also in the audit trail)\n", hex);
	printf("warning: %s holds the case's content in the clear: keep it as safe as the case "
	       "itself\n", a.out);
	printf("check it with: probity verify-bundle %s --key %s.pub\n", a.out, cli_key_path(c));
out:
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	cases_key_wipe(&k);
	sodium_memzero(sk, sizeof sk);
	db_close(db);
	return rc;
}

const struct cli_command cmd_export_case = {
	.name = "export-case",
	.summary = "write a case as a signed bundle a recipient can verify",
	.usage = "usage: probity export-case [--db FILE] --case N --user USERNAME --out FILE\n\n"
		 "Writes case N, decrypted, into FILE: a tar archive of JSON files (the\n"
		 "case, its phases, records, notes, people involved and their rights, the\n"
		 "outcome, the joined reports with their answers, messages and notes) and\n"
		 "the attachments, with a manifest of every part's SHA-256 signed with the\n"
		 "server's signing key (docs/bundle.md). USERNAME must be on the case's\n"
		 "team; their password opens the case and is read from the first line of\n"
		 "standard input when that is not a terminal, else asked for without echo.\n"
		 "The export is audited as case.export with the manifest's hash.\n\n"
		 "FILE must not exist. It is written with mode 0600 and holds the case in\n"
		 "the clear: keep it as safe as the case itself.\n\n"
		 "Exit status 1: wrong password, locked or disabled account; 2: a\n"
		 "malformed argument; 7: FILE cannot be written; 9: no such account, or no\n"
		 "such case on the user's team; 10: FILE exists.\n",
	.run = run_export,
};

/* ---- verify-bundle ---- */

static ssize_t file_read(void *ctx, void *buf, size_t n)
{
	FILE *f = ctx;
	size_t k = fread(buf, 1, n, f);
	if (k == 0 && ferror(f))
		return -1;
	return (ssize_t)k;
}

/* The key to pin: --key, else the server's (setting signing_key or
 * DB.key: its .pub, else the key itself) when one is configured and
 * there; *found 0 when there is none. Returns 0 or an exit code. */
static int pinned_key(struct cli *c, const char *flag, struct signkey *k, int *found,
		      char *from, size_t fromlen)
{
	char err[600];
	struct stat sb;
	*found = 0;
	if (flag) {
		if (signkey_load_public(flag, k, err, sizeof err) != 0) {
			cli_error("verify-bundle: --key: %s", err);
			return EXIT_CONFIG;
		}
		snprintf(from, fromlen, "%s", flag);
		*found = 1;
		return 0;
	}
	if (!c->cfg.signing_key && !c->cfg.db)
		return 0;
	const char *path = cli_key_path(c);
	char *pub = xasprintf("%s.pub", path);
	int rc = 0;
	if (stat(pub, &sb) == 0) {
		if (signkey_load_public(pub, k, err, sizeof err) != 0) {
			cli_error("verify-bundle: %s", err);
			rc = EXIT_CONFIG;
		} else {
			snprintf(from, fromlen, "%s", pub);
			*found = 1;
		}
	} else if (stat(path, &sb) == 0) {
		if (signkey_load(path, k, err, sizeof err) != 0) {
			cli_error("verify-bundle: %s", err);
			rc = EXIT_CONFIG;
		} else {
			snprintf(from, fromlen, "%s", path);
			*found = 1;
		}
	}
	free(pub);
	return rc;
}

static int run_verify(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{"key", required_argument, NULL, OPT_KEY},
		{0},
	};
	struct args a = {0};
	struct signkey key;
	struct cases_bundle_report r;
	char from[4200] = "", hex[2 * SIGNKEY_PUBLIC_BYTES + 1];
	int first, found;
	int rc = cli_parse(c, argc, argv, opts, on_opt, &a, &first);
	if (rc)
		return rc;
	if (first != argc - 1)
		return cli_usage_error(c, first < argc ? "give one bundle file"
						       : "give the bundle file, e.g. probity "
							 "verify-bundle case-12.tar");
	const char *path = argv[first];
	memset(&key, 0, sizeof key);
	if ((rc = pinned_key(c, a.key, &key, &found, from, sizeof from)) != 0)
		return rc;
	FILE *f = fopen(path, "rb");
	if (!f) {
		int fe = errno;
		signkey_wipe(&key);
		cli_error("verify-bundle: cannot open %s: %s", path, strerror(fe));
		return fe == ENOENT ? EXIT_NOT_FOUND : EXIT_FAIL;
	}
	int x = cases_bundle_check(file_read, f, found ? key.pk : NULL, &r);
	fclose(f);
	signkey_wipe(&key);
	if (x < 0) {
		cli_error("verify-bundle: %s: %s", path, r.problem);
		cases_bundle_report_free(&r);
		return EXIT_FAIL;
	}
	printf("bundle: %s\n", path);
	if (r.manifest_valid)
		printf("case %lld of %s, exported %s by %s (account %lld)\n", (long long)r.case_id,
		       r.org_code, r.exported_at, r.username, (long long)r.account_id);
	if (r.have_key) {
		sodium_bin2hex(hex, sizeof hex, r.key, sizeof r.key);
		if (r.pinned)
			printf("key: pinned, %s (from %s)\n", hex, from);
		else
			printf("key: NOT pinned: checked against the key the bundle carries, %s;\n"
			       "     that shows the bundle is unchanged since it was signed, not who\n"
			       "     signed it: give the server's public key with --key FILE\n",
			       hex);
	} else if (found) {
		printf("key: pinned (from %s)\n", from);
	}
	if (r.status == CASES_BUNDLE_UNREADABLE) {
		printf("unreadable: %s\n", r.problem);
		cli_error("verify-bundle: %s is damaged or not a bundle as Probity writes them: %s",
			  path, r.problem);
		cases_bundle_report_free(&r);
		return EXIT_INTEGRITY;
	}
	if (r.signature_valid)
		printf("signature: valid\n");
	size_t counts[4] = {0};
	for (size_t i = 0; i < r.nissues; i++) {
		counts[r.issues[i].kind]++;
		printf("%s: %s: %s\n", cases_bundle_issue_name(r.issues[i].kind), r.issues[i].name,
		       r.issues[i].why);
	}
	if (r.issues_total > r.nissues)
		printf("... and %zu more\n", r.issues_total - r.nissues);
	if (r.status == CASES_BUNDLE_INTACT) {
		printf("parts: %zu checked, every one as the manifest says: intact\n", r.nparts);
		rc = EXIT_OK;
	} else {
		printf("NOT intact\n");
		cli_error("verify-bundle: %s is not intact: %zu changed, %zu missing, %zu extra, "
			  "%zu twice (first: %s)",
			  path, counts[CASES_BUNDLE_CHANGED], counts[CASES_BUNDLE_MISSING],
			  counts[CASES_BUNDLE_EXTRA], counts[CASES_BUNDLE_DUPLICATE],
			  r.nissues ? r.issues[0].name : "?");
		rc = EXIT_INTEGRITY;
	}
	cases_bundle_report_free(&r);
	return rc;
}

const struct cli_command cmd_verify_bundle = {
	.name = "verify-bundle",
	.summary = "check a case bundle's signature and every part",
	.usage = "usage: probity verify-bundle FILE [--key PUBLIC-KEY-FILE] [--db FILE]\n\n"
		 "Checks a bundle made by 'probity export-case': the signature over the\n"
		 "manifest, then every part's size and SHA-256. Names each part that was\n"
		 "changed, is missing, was added or is there twice, and a manifest or\n"
		 "signature that was changed. Needs no database.\n\n"
		 "The key the signature must be made with (pinned): --key FILE (the\n"
		 "server's DB.key.pub, which may be handed to anyone), else the server's\n"
		 "own when --db, PROBITY_DB or signing_key is set (its .pub, else the key).\n"
		 "Without one the bundle is checked against the key it carries, and the\n"
		 "output says the key was NOT pinned: that proves the bundle unchanged\n"
		 "since it was signed, not that your server signed it.\n\n"
		 "Exit status 0: intact; 8: a part, the manifest or the signature was\n"
		 "changed, is missing or extra, or the file is damaged or no bundle;\n"
		 "3: the key file is unreadable; 9: FILE does not exist; 1: FILE cannot\n"
		 "be read.\n",
	.run = run_verify,
};
